import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report files rendered on first download (issue 14): each stored file records the version of the
 * renderer that made it, so a file of an older renderer is rendered again on its next download.
 */
export class ReportFileRenderer1765000000000 implements MigrationInterface {
  name = 'ReportFileRenderer1765000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "report_file" ADD "renderer_version" integer NOT NULL DEFAULT 1`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "report_file" DROP COLUMN "renderer_version"`);
  }
}
