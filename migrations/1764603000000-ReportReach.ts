import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Multi-project reports respect the requester's reach: `report.restricted_to_unit_ids` (empty: the
 * whole scope) joins the unique keys, so a restricted report and the unrestricted one of the same
 * scope and quarter are separate reports with their own versions.
 */
export class ReportReach1764603000000 implements MigrationInterface {
  name = 'ReportReach1764603000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_5e53d68f5b90b934e1d5a76ee7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bf3103d59ce5ca6e4d0e6782c8"`);
    await queryRunner.query(`ALTER TABLE "report" ADD "restricted_to_unit_ids" uuid array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_1e4afeeddb0ee152a2e585522f" ON "report" ("scope_type", "scope_id", "restricted_to_unit_ids", "year", "quarter", "version") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_6c6182e500f1be15a7ba0ebab7" ON "report" ("scope_type", "scope_id", "restricted_to_unit_ids", "year", "quarter", "fingerprint") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_6c6182e500f1be15a7ba0ebab7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1e4afeeddb0ee152a2e585522f"`);
    await queryRunner.query(`ALTER TABLE "report" DROP COLUMN "restricted_to_unit_ids"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_bf3103d59ce5ca6e4d0e6782c8" ON "report" ("scope_type", "scope_id", "year", "quarter", "fingerprint") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_5e53d68f5b90b934e1d5a76ee7" ON "report" ("scope_type", "scope_id", "year", "quarter", "version") `,
    );
  }
}
