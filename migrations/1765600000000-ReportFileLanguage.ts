import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: XLSX and PDF files are stored per language (rendered on their first download in that
 * language), and each stored file records the characters no bundled font covers (drawn as boxes;
 * listed in the report's flags).
 */
export class ReportFileLanguage1765600000000 implements MigrationInterface {
  name = 'ReportFileLanguage1765600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "report_file" ADD "language" character varying(8) NOT NULL DEFAULT 'en'`);
    await queryRunner.query(`ALTER TABLE "report_file" ADD "missing_characters" integer array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a9eac53a056862f83a5d38687d"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_report_file_report_format_language" ON "report_file" ("report_id", "format", "language")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "report_file" WHERE "language" <> 'en'`);
    await queryRunner.query(`DROP INDEX "public"."IDX_report_file_report_format_language"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_a9eac53a056862f83a5d38687d" ON "report_file" ("report_id", "format")`,
    );
    await queryRunner.query(`ALTER TABLE "report_file" DROP COLUMN "missing_characters"`);
    await queryRunner.query(`ALTER TABLE "report_file" DROP COLUMN "language"`);
  }
}
