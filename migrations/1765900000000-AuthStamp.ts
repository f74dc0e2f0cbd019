import { MigrationInterface, QueryRunner } from 'typeorm';

const NIL = `'00000000-0000-0000-0000-000000000000'::uuid`;

/**
 * The sign-in data a cached caller was read from (AuthSessionRepository.liveCaller), and the changes
 * that must invalidate it: per table, the trigger definitions (after `CREATE TRIGGER auth_stamp_<n>`).
 * Not listed, because they cannot narrow what a cached caller may do: a new session (login), a refresh
 * rotation (it only moves `expires_at` later, `last_used_at` and the token hash), a new password hash
 * (a password change revokes the user's sessions, which is listed), an org unit's name or code.
 */
export const AUTH_STAMP_TRIGGERS: { name: string; table: string; definition: string }[] = [
  {
    name: 'auth_stamp_session_update',
    table: 'auth_session',
    definition: `AFTER UPDATE ON "auth_session" FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.id IS DISTINCT FROM NEW.id OR NEW.expires_at < OLD.expires_at)`,
  },
  {
    name: 'auth_stamp_session_delete',
    table: 'auth_session',
    definition: `AFTER DELETE ON "auth_session" FOR EACH STATEMENT`,
  },
  {
    name: 'auth_stamp_session_truncate',
    table: 'auth_session',
    definition: `AFTER TRUNCATE ON "auth_session" FOR EACH STATEMENT`,
  },
  {
    name: 'auth_stamp_user_update',
    table: 'app_user',
    definition: `AFTER UPDATE ON "app_user" FOR EACH ROW WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active OR OLD.id IS DISTINCT FROM NEW.id OR OLD.email IS DISTINCT FROM NEW.email OR OLD.display_name IS DISTINCT FROM NEW.display_name OR OLD.language IS DISTINCT FROM NEW.language)`,
  },
  { name: 'auth_stamp_user_delete', table: 'app_user', definition: `AFTER DELETE ON "app_user" FOR EACH STATEMENT` },
  {
    name: 'auth_stamp_user_truncate',
    table: 'app_user',
    definition: `AFTER TRUNCATE ON "app_user" FOR EACH STATEMENT`,
  },
  {
    name: 'auth_stamp_assignment',
    table: 'role_assignment',
    definition: `AFTER INSERT OR UPDATE OR DELETE ON "role_assignment" FOR EACH STATEMENT`,
  },
  {
    name: 'auth_stamp_assignment_truncate',
    table: 'role_assignment',
    definition: `AFTER TRUNCATE ON "role_assignment" FOR EACH STATEMENT`,
  },
  // A new unit below a covered one is covered too; a moved unit changes which assignments cover it.
  {
    name: 'auth_stamp_org_unit_insert',
    table: 'org_unit',
    definition: `AFTER INSERT ON "org_unit" FOR EACH STATEMENT`,
  },
  {
    name: 'auth_stamp_org_unit_update',
    table: 'org_unit',
    definition: `AFTER UPDATE ON "org_unit" FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id OR OLD.id IS DISTINCT FROM NEW.id)`,
  },
  {
    name: 'auth_stamp_org_unit_delete',
    table: 'org_unit',
    definition: `AFTER DELETE OR TRUNCATE ON "org_unit" FOR EACH STATEMENT`,
  },
];

/**
 * Issue 14: the auth stamp, which lets an API process keep the caller of a session (user, role
 * assignments and the org units they cover) between requests and still see every change of it on the
 * very next request. A change to what a caller may do (a session revoked or shortened, a user
 * deactivated, renamed or deleted, a role assignment added, changed or removed, an org unit added,
 * moved or removed) bumps one stamp, kept as the row (nil project, source `auth`) of
 * `report_input_stamp`: the triggers note it as pending in the writing transaction and the at-commit
 * flush of migration 1765800000000 writes it with the report input stamps, in the same sorted upsert.
 * So the stamp commits with the change (a snapshot that sees one sees the other; a sequence value alone
 * would be visible before the change commits), no stamp row is locked before commit, and all stamps are
 * locked in one order (no deadlock between a user edit and a report input write). It is not a report
 * input: fingerprints read the `global` row and project rows only. Read by
 * AuthSessionRepository.authStamp; docs/RULES.md, "Caller cache".
 */
export class AuthStamp1765900000000 implements MigrationInterface {
  name = 'AuthStamp1765900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION auth_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_input_stamp_pending (project_id, source, revision_id, period)
  VALUES (${NIL}, 'auth', ${NIL}, 0), (${NIL}, '', ${NIL}, 0)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$`,
    );
    for (const { name, definition } of AUTH_STAMP_TRIGGERS)
      await queryRunner.query(`CREATE TRIGGER ${name} ${definition} EXECUTE FUNCTION auth_stamp_bump()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const { name, table } of AUTH_STAMP_TRIGGERS) await queryRunner.query(`DROP TRIGGER ${name} ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION auth_stamp_bump()`);
    await queryRunner.query(`DELETE FROM report_input_stamp WHERE project_id = ${NIL} AND source = 'auth'`);
  }
}
