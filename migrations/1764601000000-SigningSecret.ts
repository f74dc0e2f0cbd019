import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `signing_secret`: secrets the service generates for itself outside production (the JWT signing
 * secret when JWT_SECRET is unset), one row per name, so every API process of one database agrees.
 */
export class SigningSecret1764601000000 implements MigrationInterface {
  name = 'SigningSecret1764601000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "signing_secret" ("name" character varying(64) NOT NULL, "secret" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_signing_secret_name" PRIMARY KEY ("name"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "signing_secret"`);
  }
}
