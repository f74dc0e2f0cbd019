import { MigrationInterface, QueryRunner } from 'typeorm';

export class SessionReuseAndAssignmentShape1764600000000 implements MigrationInterface {
  name = 'SessionReuseAndAssignmentShape1764600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "auth_session" ADD "previous_refresh_token_sha256" character(64)`);
    await queryRunner.query(
      `CREATE INDEX "IDX_f1ed7c1f4c9bdd2e01be9e23ca" ON "auth_session"  ("previous_refresh_token_sha256") `,
    );
    await queryRunner.query(
      `ALTER TABLE "role_assignment" ADD CONSTRAINT "CHK_role_assignment_shape" CHECK (("role" = 'admin' AND "org_unit_id" IS NULL AND "donor_id" IS NULL) OR ("role" = 'donor' AND "donor_id" IS NOT NULL AND "org_unit_id" IS NULL) OR ("role" IN ('project_manager', 'rbm_focal_point') AND "org_unit_id" IS NOT NULL AND "donor_id" IS NULL))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "role_assignment" DROP CONSTRAINT "CHK_role_assignment_shape"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f1ed7c1f4c9bdd2e01be9e23ca"`);
    await queryRunner.query(`ALTER TABLE "auth_session" DROP COLUMN "previous_refresh_token_sha256"`);
  }
}
