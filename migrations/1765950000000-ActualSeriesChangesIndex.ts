import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14: the logframe read's series stamp (LogframeReader.readHead) counts each series' actuals and
 * takes their latest `created_at`/`updated_at`. Through the unique `(indicator_series_id, period_start,
 * period_end)` index each of those rows was a heap fetch: a project of 60 indicators with 40 actuals
 * each visited about 2,500 heap pages per read (measured with EXPLAIN (ANALYZE, BUFFERS) on the bench's
 * portfolio: 5.1 ms of PostgreSQL time per read at load 8). This index carries the two timestamps, so
 * the same aggregate is an index-only scan (about 120 index pages, 1.8 ms in the same run) wherever the
 * visibility map is current (autovacuum; the bench runs VACUUM ANALYZE). Declared on ActualEntity with
 * `synchronize: false` (TypeORM does not model INCLUDE columns).
 */
export class ActualSeriesChangesIndex1765950000000 implements MigrationInterface {
  name = 'ActualSeriesChangesIndex1765950000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_actual_series_changes" ON "actual" ("indicator_series_id") INCLUDE ("created_at", "updated_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_actual_series_changes"`);
  }
}
