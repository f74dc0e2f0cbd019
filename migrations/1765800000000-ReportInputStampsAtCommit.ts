import { MigrationInterface, QueryRunner } from 'typeorm';
import {
  bumpNow,
  globalFunctionSql,
  personFunctionSql,
  STAMPED,
  stampFunctionSql,
} from './1765500000000-ReportInputStamps.js';

/** The flush marker of a transaction in `report_input_stamp_pending` (no stamp has an empty source). */
const MARKER = `'00000000-0000-0000-0000-000000000000'::uuid, '', '00000000-0000-0000-0000-000000000000'::uuid, 0`;

/**
 * Records the stamp keys a statement changed as pending for the writing transaction (distinct; a key
 * already pending is skipped), with the transaction's flush marker the first time: no stamp row is
 * locked before commit.
 */
const bumpAtCommit = (keys: string) => `WITH k AS (
        SELECT DISTINCT * FROM (${keys}) x(project_id, source, revision_id, period) WHERE x.project_id IS NOT NULL
      )
      INSERT INTO report_input_stamp_pending (project_id, source, revision_id, period)
      SELECT * FROM k UNION ALL SELECT ${MARKER} WHERE EXISTS (SELECT 1 FROM k)
      ON CONFLICT DO NOTHING`;

const replaceAll = async (queryRunner: QueryRunner, bump: (keys: string) => string) => {
  for (const { table, keys } of STAMPED)
    await queryRunner.query(`CREATE OR REPLACE ${stampFunctionSql(table, keys, bump)}`);
  await queryRunner.query(`CREATE OR REPLACE ${personFunctionSql(bump)}`);
  await queryRunner.query(`CREATE OR REPLACE ${globalFunctionSql(bump)}`);
};

/**
 * Report input stamps bumped once, at commit, in key order (issue 14, found by the adversarial test
 * `test/report-stamp-deadlock.e2e.spec.ts`). The statement triggers used to upsert the stamp rows at
 * once, so a transaction held the row lock of every stamp it had bumped until it ended: two
 * transactions writing projects A and B (or one project's actuals and its project row) in opposite
 * orders deadlocked on stamps although they shared no data row, and a long IATI import held the stamps
 * of every project it had touched, blocking managers' entries on those projects until it committed.
 * Now the triggers only note the keys in `report_input_stamp_pending` (the writing transaction's own
 * rows, keyed by its transaction id, so concurrent writers never meet there); a deferred constraint
 * trigger bumps them all at commit in one upsert sorted by key and deletes them. Stamp rows are then
 * locked only while committing, always in the same order: no cycle. The data and its stamps still
 * commit together (one snapshot sees both), a rolled-back savepoint takes its pending keys with it, and
 * an UPDATE that changes nothing shown still notes no key.
 */
export class ReportInputStampsAtCommit1765800000000 implements MigrationInterface {
  name = 'ReportInputStampsAtCommit1765800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Unlogged: the rows live only until their transaction commits; a crash aborts those transactions.
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "report_input_stamp_pending" ("xact" xid8 NOT NULL DEFAULT pg_current_xact_id(), "project_id" uuid NOT NULL, "source" character varying(16) NOT NULL, "revision_id" uuid NOT NULL, "period" integer NOT NULL, CONSTRAINT "PK_report_input_stamp_pending" PRIMARY KEY ("xact", "project_id", "source", "revision_id", "period"))`,
    );
    // Fires at commit once per transaction (for its marker row: one trigger event per pending key made
    // the commit of a large import quadratic) and bumps every key of the transaction.
    await queryRunner.query(
      `CREATE FUNCTION report_input_stamp_flush() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH mine AS (
    DELETE FROM report_input_stamp_pending WHERE xact = pg_current_xact_id()
    RETURNING project_id, source, revision_id, period
  )
  INSERT INTO report_input_stamp (project_id, source, revision_id, period, stamp)
  SELECT k.project_id, k.source, k.revision_id, k.period, nextval('report_input_stamp_seq')
    FROM mine k
   WHERE k.source <> ''
   ORDER BY 1, 2, 3, 4
  ON CONFLICT (project_id, source, revision_id, period) DO UPDATE SET stamp = EXCLUDED.stamp;
  RETURN NULL;
END $$`,
    );
    await queryRunner.query(
      `CREATE CONSTRAINT TRIGGER report_input_stamp_flush AFTER INSERT ON "report_input_stamp_pending" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.source = '') EXECUTE FUNCTION report_input_stamp_flush()`,
    );
    await replaceAll(queryRunner, bumpAtCommit);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await replaceAll(queryRunner, bumpNow);
    await queryRunner.query(`DROP TRIGGER report_input_stamp_flush ON "report_input_stamp_pending"`);
    await queryRunner.query(`DROP FUNCTION report_input_stamp_flush()`);
    await queryRunner.query(`DROP TABLE "report_input_stamp_pending"`);
  }
}
