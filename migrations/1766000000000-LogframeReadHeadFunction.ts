import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14: the logframe read's head (LogframeReader.readHead, one statement on every read) as a
 * PL/pgSQL function, so each connection plans its query once and keeps the plan (PL/pgSQL prepares the
 * statements of a function on first use in a session). Sent as a parameterised statement it was parsed
 * and planned on every read: 0.73 ms a statement against 0.34 ms through the function on the bench's S
 * portfolio (pgbench, one client, extended protocol), most of the read's PostgreSQL time. The body is
 * what the read selects (docs/RULES.md, "Performance and several processes"): the project's org unit and
 * funders, the revision numbered `p_number` (null: the latest) and the latest approved one, as json and
 * never with their snapshot, and the project's `actuals` and `project` report input stamps. No row when
 * the project does not exist. A change of what the head reads is a new migration replacing the function.
 */
export class LogframeReadHeadFunction1766000000000 implements MigrationInterface {
  name = 'LogframeReadHeadFunction1766000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION logframe_read_head(p_project uuid, p_number int)
RETURNS TABLE (org_unit_id uuid, donor_ids uuid[], selected json, approved json, series_stamp text)
LANGUAGE plpgsql STABLE AS $body$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT p.org_unit_id,
         coalesce((SELECT array_agg(fa.donor_id) FROM funding_agreement fa WHERE fa.project_id = p.id), '{}'),
         (SELECT json_build_object('id', r.id, 'number', r.number, 'status', r.status, 'version', r.version)
            FROM logframe_revision r WHERE r.project_id = p.id AND (p_number IS NULL OR r.number = p_number)
           ORDER BY r.number DESC LIMIT 1),
         (SELECT json_build_object('id', r.id, 'number', r.number, 'status', r.status, 'version', r.version)
            FROM logframe_revision r WHERE r.project_id = p.id AND r.status = 'approved'
           ORDER BY r.number DESC LIMIT 1),
         (SELECT string_agg(st.source || ':' || st.period || ':' || st.stamp, ',' ORDER BY st.source, st.period)
            FROM report_input_stamp st
           WHERE st.project_id = p.id AND st.source IN ('actuals', 'project'))
    FROM project p WHERE p.id = p_project;
END
$body$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION logframe_read_head(uuid, int)`);
  }
}
