import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refresh-token reuse detection by generation: each session counts its rotations, refresh tokens name
 * the session and their generation, and any token older than the current one ends the session. The
 * one-step-back `previous_refresh_token_sha256` is no longer needed. Sessions opened before this
 * migration end at their next refresh (their tokens carry no generation); their users sign in again.
 */
export class SessionGeneration1764602000000 implements MigrationInterface {
  name = 'SessionGeneration1764602000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "auth_session" ADD "generation" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f1ed7c1f4c9bdd2e01be9e23ca"`);
    await queryRunner.query(`ALTER TABLE "auth_session" DROP COLUMN "previous_refresh_token_sha256"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "auth_session" ADD "previous_refresh_token_sha256" character(64)`);
    await queryRunner.query(
      `CREATE INDEX "IDX_f1ed7c1f4c9bdd2e01be9e23ca" ON "auth_session"  ("previous_refresh_token_sha256") `,
    );
    await queryRunner.query(`ALTER TABLE "auth_session" DROP COLUMN "generation"`);
  }
}
