import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * IATI export (issue 16): the publisher settings (one row), the per-project publication flag,
 * exclusion reason, language of entry and DAC sector, and the "public" mark of evidence links.
 */
export class IatiExport1764916000000 implements MigrationInterface {
  name = 'IatiExport1764916000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "iati_publisher" ("id" smallint NOT NULL DEFAULT '1', "organisation_identifier" character varying(100) NOT NULL, "organisation_name" character varying(300) NOT NULL, "organisation_type" character varying(10) NOT NULL, "default_language" character(2) NOT NULL DEFAULT 'en', "default_currency" character(3) NOT NULL DEFAULT 'USD', "updated_by_id" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "CHK_iati_publisher_single_row" CHECK ("id" = 1), CONSTRAINT "PK_iati_publisher_id" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`ALTER TABLE "project" ADD "iati_publish" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "project" ADD "iati_exclusion_reason" text`);
    await queryRunner.query(`ALTER TABLE "project" ADD "language" character(2)`);
    await queryRunner.query(`ALTER TABLE "project" ADD "dac_sector_code" character varying(5)`);
    await queryRunner.query(`ALTER TABLE "actual" ADD "evidence_public" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "actual" DROP COLUMN "evidence_public"`);
    await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "dac_sector_code"`);
    await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "language"`);
    await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "iati_exclusion_reason"`);
    await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "iati_publish"`);
    await queryRunner.query(`DROP TABLE "iati_publisher"`);
  }
}
