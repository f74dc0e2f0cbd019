import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A report whose content turned out (at build time) to describe the same inputs as another report of
 * its scope and quarter is `superseded` and points to that report (docs/RULES.md, "Fingerprint and
 * content agree").
 */
export class ReportSuperseded1764713000000 implements MigrationInterface {
  name = 'ReportSuperseded1764713000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."report_status" ADD VALUE IF NOT EXISTS 'superseded'`);
    await queryRunner.query(`ALTER TABLE "report" ADD "superseded_by_id" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "report" DROP COLUMN "superseded_by_id"`);
    await queryRunner.query(
      `UPDATE "report" SET "status" = 'failed', "error" = 'superseded' WHERE "status" = 'superseded'`,
    );
    await queryRunner.query(`ALTER TYPE "public"."report_status" RENAME TO "report_status_old"`);
    await queryRunner.query(
      `CREATE TYPE "public"."report_status" AS ENUM('requested', 'queued', 'running', 'completed', 'failed')`,
    );
    await queryRunner.query(`ALTER TABLE "report" ALTER COLUMN "status" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "report" ALTER COLUMN "status" TYPE "public"."report_status" USING "status"::text::"public"."report_status"`,
    );
    await queryRunner.query(`ALTER TABLE "report" ALTER COLUMN "status" SET DEFAULT 'requested'`);
    await queryRunner.query(`DROP TYPE "public"."report_status_old"`);
  }
}
