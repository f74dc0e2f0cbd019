import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: the quarterly narrative saved as a versioned draft (`progress_narrative`, one row per
 * project quarter) and each user's preferred report language (`app_user.language`, `en` by default).
 */
export class QuarterNarrative1765100000000 implements MigrationInterface {
  name = 'QuarterNarrative1765100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "progress_narrative" ("progress_report_id" uuid NOT NULL, "progress_summary" text, "challenges" text, "lessons_learned" text, "next_quarter" text, "version" integer NOT NULL, "updated_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_progress_narrative" PRIMARY KEY ("progress_report_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "progress_narrative" ADD CONSTRAINT "FK_progress_narrative_progress_report" FOREIGN KEY ("progress_report_id") REFERENCES "progress_report"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "progress_narrative" ADD CONSTRAINT "FK_progress_narrative_updated_by" FOREIGN KEY ("updated_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "app_user" ADD "language" character(2) NOT NULL DEFAULT 'en'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "language"`);
    await queryRunner.query(`DROP TABLE "progress_narrative"`);
  }
}
