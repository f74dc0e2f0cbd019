import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuthSessions1764500000000 implements MigrationInterface {
  name = 'AuthSessions1764500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "auth_session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "refresh_token_sha256" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_19354ed146424a728c1112a8cbf" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_b8783d517fab10672700a39cb4" ON "auth_session"  ("user_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_071f585ea9bf9d618030f34a1f" ON "auth_session"  ("refresh_token_sha256") `,
    );
    await queryRunner.query(
      `ALTER TABLE "auth_session" ADD CONSTRAINT "FK_b8783d517fab10672700a39cb49" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "auth_session" DROP CONSTRAINT "FK_b8783d517fab10672700a39cb49"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_071f585ea9bf9d618030f34a1f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b8783d517fab10672700a39cb4"`);
    await queryRunner.query(`DROP TABLE "auth_session"`);
  }
}
