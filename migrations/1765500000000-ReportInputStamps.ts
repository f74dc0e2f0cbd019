import { MigrationInterface, QueryRunner } from 'typeorm';

/** A table whose writes bump report input stamps, and how a changed row names the stamps it moves. */
interface StampedTable {
  table: string;
  /**
   * SELECT of the stamp keys `(project_id, source, revision_id, period)` of the changed rows, `r` being
   * the rows (the statement's transition table).
   */
  keys: string;
}

const NIL = `'00000000-0000-0000-0000-000000000000'::uuid`;
/** The quarter of a date as `year * 10 + quarter` (2026-08-31 → 20263). */
const period = (date: string) => `(extract(year FROM ${date})::int * 10 + extract(quarter FROM ${date})::int)`;

/**
 * Every report input table (docs/RULES.md, "Report fingerprint"). Sources: `project` (the project row,
 * its funding agreements, its indicator series), `logframe` per revision (the revision row and every
 * element of its tree), `actuals` per quarter of the period end (actuals and their disaggregation),
 * `quarter` per quarter (the progress report row, ratings, explanations of variance, the narrative and
 * the assumption and risk updates).
 */
export const STAMPED: StampedTable[] = [
  { table: 'project', keys: `SELECT r.id, 'project', ${NIL}, 0 FROM rows r` },
  { table: 'funding_agreement', keys: `SELECT r.project_id, 'project', ${NIL}, 0 FROM rows r` },
  { table: 'indicator_series', keys: `SELECT r.project_id, 'project', ${NIL}, 0 FROM rows r` },
  { table: 'logframe_revision', keys: `SELECT r.project_id, 'logframe', r.id, 0 FROM rows r` },
  ...['outcome', 'output', 'activity', 'indicator', 'assumption', 'sdg_link'].map((table) => ({
    table,
    keys: `SELECT v.project_id, 'logframe', v.id, 0 FROM rows r JOIN logframe_revision v ON v.id = r.revision_id`,
  })),
  {
    table: 'period_target',
    keys: `SELECT v.project_id, 'logframe', v.id, 0 FROM rows r JOIN indicator i ON i.id = r.indicator_id JOIN logframe_revision v ON v.id = i.revision_id`,
  },
  {
    table: 'period_target_disaggregation',
    keys: `SELECT v.project_id, 'logframe', v.id, 0 FROM rows r JOIN period_target t ON t.id = r.period_target_id
             JOIN indicator i ON i.id = t.indicator_id JOIN logframe_revision v ON v.id = i.revision_id`,
  },
  {
    table: 'actual',
    keys: `SELECT s.project_id, 'actuals', ${NIL}, ${period('r.period_end')} FROM rows r JOIN indicator_series s ON s.id = r.indicator_series_id`,
  },
  {
    table: 'actual_disaggregation',
    keys: `SELECT s.project_id, 'actuals', ${NIL}, ${period('a.period_end')} FROM rows r JOIN actual a ON a.id = r.actual_id
             JOIN indicator_series s ON s.id = a.indicator_series_id`,
  },
  { table: 'progress_report', keys: `SELECT r.project_id, 'quarter', ${NIL}, r.year * 10 + r.quarter FROM rows r` },
  ...['outcome_rating', 'variance_explanation', 'progress_narrative'].map((table) => ({
    table,
    keys: `SELECT p.project_id, 'quarter', ${NIL}, p.year * 10 + p.quarter FROM rows r JOIN progress_report p ON p.id = r.progress_report_id`,
  })),
  { table: 'assumption_update', keys: `SELECT r.project_id, 'quarter', ${NIL}, r.year * 10 + r.quarter FROM rows r` },
];

/** Reference rows whose names multi-project reports print: any change bumps the `global` stamp. */
export const GLOBAL = ['donor', 'org_unit', 'programme', 'standard_indicator', 'sdg_target'];

/**
 * The rows of transition table `rows` whose row of the same key in `other` differs: an UPDATE that
 * rewrites a row with the values it had (a re-import of an unchanged IATI file, a save of the same
 * logframe) changes no input, so it bumps no stamp and the same report is returned. Rows are paired by
 * their key (a hash join, linear in the statement's rows) and compared as jsonb (every column type has a
 * jsonb form; `json` columns have no equality operator), without the columns in `ignored`.
 */
const changed = (rows: string, other: string, ignored: string[], key: string) => {
  const content = (alias: string) => `to_jsonb(${alias}) - '{${ignored.join(',')}}'::text[]`;
  return `(SELECT c.* FROM ${rows} c JOIN ${other} o ON o.${key} = c.${key} WHERE ${content('c')} IS DISTINCT FROM ${content('o')})`;
};

/** The key pairing old and new rows of an UPDATE: `id`, but for tables keyed otherwise. */
const KEY: Record<string, string> = { progress_narrative: 'progress_report_id' };

/**
 * Columns that no report shows, left out when an UPDATE is compared: bookkeeping (`updated_at`,
 * `version`: TypeORM's update bumps them on every save) and, for projects and actuals, the IATI
 * publication choice (publish or keep out, its reason, language, DAC sector, public evidence), which
 * changes what is published to IATI, not a results report.
 */
const NOT_SHOWN: Record<string, string[]> = {
  project: ['updated_at', 'version', 'iati_publish', 'iati_exclusion_reason', 'language', 'dac_sector_code'],
  actual: ['updated_at', 'version', 'evidence_public'],
};
const notShown = (table: string) => NOT_SHOWN[table] ?? ['updated_at', 'version'];

/** The upsert bumping the stamps named by a keys SELECT (distinct, in key order: one lock order). */
export const bumpNow = (
  keys: string,
) => `INSERT INTO report_input_stamp (project_id, source, revision_id, period, stamp)
      SELECT k.project_id, k.source, k.revision_id, k.period, nextval('report_input_stamp_seq')
        FROM (SELECT DISTINCT * FROM (${keys}) x(project_id, source, revision_id, period) WHERE x.project_id IS NOT NULL) k
       ORDER BY 1, 2, 3, 4
      ON CONFLICT (project_id, source, revision_id, period) DO UPDATE SET stamp = EXCLUDED.stamp`;

/**
 * `FUNCTION report_input_stamp_<table>() ...` (to follow CREATE or CREATE OR REPLACE): the statement
 * trigger of a stamped table, handing the keys of the rows the statement changed to `bump`.
 */
export const stampFunctionSql = (table: string, keys: string, bump: (keys: string) => string) => {
  const of = (rows: string) => keys.replaceAll('FROM rows r', `FROM ${rows} r`);
  return `FUNCTION report_input_stamp_${table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${bump(of('new_rows'))};
  ELSIF TG_OP = 'DELETE' THEN
    ${bump(of('old_rows'))};
  ELSE
    ${bump(`${of(changed('new_rows', 'old_rows', notShown(table), KEY[table] ?? 'id'))} UNION ${of(changed('old_rows', 'new_rows', notShown(table), KEY[table] ?? 'id'))}`)};
  END IF;
  RETURN NULL;
END $$`;
};

/** `FUNCTION report_input_stamp_person() ...`: a renamed approver, submitter or validator. */
export const personFunctionSql = (bump: (keys: string) => string) =>
  `FUNCTION report_input_stamp_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  ${bump(`SELECT v.project_id, 'logframe', v.id, 0 FROM logframe_revision v WHERE v.approved_by_id = NEW.id
          UNION SELECT p.project_id, 'quarter', ${NIL}, p.year * 10 + p.quarter FROM progress_report p
           WHERE p.submitted_by_id = NEW.id OR p.validated_by_id = NEW.id`)};
  RETURN NULL;
END $$`;

/** `FUNCTION report_input_stamp_global() ...`: the `global` stamp. */
export const globalFunctionSql = (bump: (keys: string) => string) =>
  `FUNCTION report_input_stamp_global() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  ${bump(`SELECT ${NIL}, 'global', ${NIL}, 0`)};
  RETURN NULL;
END $$`;

/**
 * Issue 14: report fingerprints from version stamps maintained in SQL. `report_input_stamp` holds one
 * stamp per project, source and (revision | quarter); statement-level triggers on every report input
 * table bump the stamps of the rows a statement changed (one upsert per statement, in the writing
 * transaction, so a REPEATABLE READ snapshot sees data and stamps together). A fingerprint is then one
 * small read (`ReportInputsRepository.inputStamps`) instead of loading every input. Renaming a person
 * bumps the stamps of the revisions they approved and the quarters they submitted or validated; a change
 * of a donor, org unit, programme, standard indicator or SDG target bumps the `global` stamp (nil project).
 * Also `report.job_id`: the BullMQ job that builds the row when it is not `report-<id>` (a batch).
 */
export class ReportInputStamps1765500000000 implements MigrationInterface {
  name = 'ReportInputStamps1765500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE "report_input_stamp_seq"`);
    await queryRunner.query(
      `CREATE TABLE "report_input_stamp" ("project_id" uuid NOT NULL, "source" character varying(16) NOT NULL, "revision_id" uuid NOT NULL, "period" integer NOT NULL, "stamp" bigint NOT NULL, CONSTRAINT "PK_report_input_stamp" PRIMARY KEY ("project_id", "source", "revision_id", "period"))`,
    );
    for (const { table, keys } of STAMPED) {
      const fn = `report_input_stamp_${table}`;
      await queryRunner.query(`CREATE ${stampFunctionSql(table, keys, bumpNow)}`);
      await queryRunner.query(
        `CREATE TRIGGER ${fn}_insert AFTER INSERT ON "${table}" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${fn}_update AFTER UPDATE ON "${table}" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${fn}_delete AFTER DELETE ON "${table}" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      );
    }
    await queryRunner.query(`CREATE ${personFunctionSql(bumpNow)}`);
    await queryRunner.query(
      `CREATE TRIGGER report_input_stamp_person AFTER UPDATE ON "app_user" FOR EACH ROW WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name OR OLD.email IS DISTINCT FROM NEW.email) EXECUTE FUNCTION report_input_stamp_person()`,
    );
    await queryRunner.query(`CREATE ${globalFunctionSql(bumpNow)}`);
    for (const table of GLOBAL) {
      await queryRunner.query(
        `CREATE TRIGGER report_input_stamp_global_update AFTER UPDATE ON "${table}" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION report_input_stamp_global()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER report_input_stamp_global_delete AFTER DELETE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION report_input_stamp_global()`,
      );
    }
    await queryRunner.query(`ALTER TABLE "report" ADD "job_id" character varying(100)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "report" DROP COLUMN "job_id"`);
    for (const table of GLOBAL) {
      await queryRunner.query(`DROP TRIGGER report_input_stamp_global_update ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER report_input_stamp_global_delete ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION report_input_stamp_global()`);
    await queryRunner.query(`DROP TRIGGER report_input_stamp_person ON "app_user"`);
    await queryRunner.query(`DROP FUNCTION report_input_stamp_person()`);
    for (const { table } of STAMPED) {
      const fn = `report_input_stamp_${table}`;
      for (const op of ['insert', 'update', 'delete'])
        await queryRunner.query(`DROP TRIGGER ${fn}_${op} ON "${table}"`);
      await queryRunner.query(`DROP FUNCTION ${fn}()`);
    }
    await queryRunner.query(`DROP TABLE "report_input_stamp"`);
    await queryRunner.query(`DROP SEQUENCE "report_input_stamp_seq"`);
  }
}
