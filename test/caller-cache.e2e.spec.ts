import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AUTH_STAMP_TRIGGER_COUNT, AuthSessionRepository } from '#libs/auth';
import { createOrgUnit, createSimpleProject } from '#libs/testing';
import { AppModule } from '../apps/api/src/app.module.js';
import { AuthStamp1765900000000, AUTH_STAMP_TRIGGERS } from '../migrations/1765900000000-AuthStamp.js';
import { configureApp } from '../apps/api/src/configure-app.js';
import { startTestStack, TEST_PASSWORD, type TestStack, waitFor } from './support/test-stack.js';

interface Me {
  id: string;
  displayName: string;
  language: string;
  scope: { focalUnitIds: string[] };
}

/**
 * An API process keeps the caller of each session it has authenticated (AuthService.authenticate) and
 * trusts it only while the auth stamp it was read with has not moved (migration 1765900000000) and the
 * session has not expired. These tests make the cache visible by changing sign-in data with the stamp
 * triggers switched off for one connection (`session_replication_role = replica`, a superuser setting
 * that no application path uses): such a change is not seen until the stamp moves, which proves the
 * kept caller is used and that the stamp alone decides when it is read again.
 */
describe('caller cache: a kept caller is trusted only while the auth stamp stays and the session lives', () => {
  let stack: TestStack;
  let second: INestApplication;
  const units = { reg: '', a: '', b: '' };
  let projectA = '';
  let projectB = '';
  const stampNow = () => new AuthSessionRepository(stack.dataSource).authStamp();
  /** Runs `sql` on one connection with the triggers off: the auth stamp does not move. */
  const withoutTriggers = async (sql: string, parameters: unknown[]) => {
    const runner = stack.dataSource.createQueryRunner();
    try {
      await runner.query(`SET session_replication_role = replica`);
      await runner.query(sql, parameters);
    } finally {
      await runner.query(`RESET session_replication_role`);
      await runner.release();
    }
  };
  const userId = async (email: string) =>
    ((await stack.dataSource.query(`SELECT id FROM app_user WHERE email = $1`, [email])) as { id: string }[])[0].id;

  /** Sets every session of `email` to expire 1.5 s from now on PostgreSQL's clock (this moves the stamp). */
  const expireSoon = async (email: string) =>
    stack.dataSource.query(
      `UPDATE auth_session SET expires_at = now() + interval '1500 milliseconds' WHERE user_id = $1`,
      [await userId(email)],
    );
  /** Waits until PostgreSQL's clock is past every session of `email` (time passing changes no row). */
  const sessionsExpired = async (email: string) =>
    waitFor(
      async () =>
        (
          (await stack.dataSource.query(
            `SELECT bool_and(expires_at < now()) AS over FROM auth_session WHERE user_id = $1`,
            [await userId(email)],
          )) as { over: boolean }[]
        )[0].over,
      10_000,
    );

  beforeAll(async () => {
    stack = await startTestStack();
    const ds = stack.dataSource;
    units.reg = (await createOrgUnit(ds, 'REG', 'regional_office')).id;
    units.a = (await createOrgUnit(ds, 'A', 'country_office', units.reg)).id;
    units.b = (await createOrgUnit(ds, 'B', 'country_office', units.reg)).id;
    const simple = { endTarget: '80', targets: [], actuals: [] };
    projectA = (await createSimpleProject(ds, { ...simple, code: 'PA', orgUnitId: units.a, donorIds: [] })).project.id;
    projectB = (await createSimpleProject(ds, { ...simple, code: 'PB', orgUnitId: units.b, donorIds: [] })).project.id;
    // A second API process on the same database: its own AuthService, so its own kept callers.
    const module = await Test.createTestingModule({ imports: [AppModule] }).compile();
    second = configureApp(module.createNestApplication({ logger: false }));
    await second.init();
  });
  afterAll(async () => {
    await second?.close();
    await stack?.close();
  });

  it('uses the kept caller while the stamp stays, and reads the caller again once any change moves it', async () => {
    const email = 'focal.kept@test.rbm';
    const token = await stack.userToken(email, [{ role: 'rbm_focal_point', orgUnitId: units.reg }]);
    expect(((await stack.http(token).get('/me').expect(200)).body as Me).displayName).toBe(email);
    const before = await stampNow();
    // Renamed with the triggers off: the stamp stays, so this process still answers with the kept caller.
    await withoutTriggers(`UPDATE app_user SET display_name = 'Renamed quietly' WHERE email = $1`, [email]);
    expect(await stampNow()).toBe(before);
    expect(((await stack.http(token).get('/me').expect(200)).body as Me).displayName).toBe(email);
    // Any change that moves the stamp (here another user's assignment) makes every process read it again.
    await stack.userToken('someone.else@test.rbm', [{ role: 'project_manager', orgUnitId: units.a }]);
    expect(BigInt(await stampNow())).toBeGreaterThan(BigInt(before));
    expect(((await stack.http(token).get('/me').expect(200)).body as Me).displayName).toBe('Renamed quietly');
  });

  it('refuses a kept caller whose session has expired, although no stamp moved', async () => {
    const email = 'focal.expiring@test.rbm';
    const token = await stack.userToken(email, [{ role: 'rbm_focal_point', orgUnitId: units.reg }]);
    // A session about to expire (shortening it moves the stamp), then kept by the next request.
    await expireSoon(email);
    await stack.http(token).get(`/projects/${projectA}/logframe`).expect(200);
    const kept = await stampNow();
    // Time passing changes no row: wait until PostgreSQL's clock is past the expiry.
    await sessionsExpired(email);
    expect(await stampNow()).toBe(kept);
    const refused = await stack.http(token).get(`/projects/${projectA}/logframe`).expect(401);
    expect(refused.body.message).toBe('The session has ended; sign in again');
  });

  it('a logout or a narrowed assignment through one process takes effect on the next request to another', async () => {
    const email = 'focal.two.processes@test.rbm';
    const token = await stack.userToken(email, [{ role: 'rbm_focal_point', orgUnitId: units.reg }]);
    const onSecond = () =>
      request(second.getHttpServer()).get(`/projects/${projectB}/logframe`).auth(token, { type: 'bearer' });
    // The second process keeps the caller (focal point over REG, so A and B).
    await onSecond().expect(200);
    await onSecond().expect(200);
    const user = (
      (await stack.http().get('/admin/users').expect(200)).body as {
        email: string;
        id: string;
        assignments: { id: string }[];
      }[]
    ).find((u) => u.email === email)!;
    // Narrowed to A through the first process (A added, REG removed): the second no longer reaches B.
    await stack
      .http()
      .post(`/admin/users/${user.id}/assignments`)
      .send({ role: 'rbm_focal_point', orgUnitId: units.a })
      .expect(201);
    await stack.http().delete(`/admin/users/${user.id}/assignments/${user.assignments[0].id}`).expect(200);
    await onSecond().expect(404);
    const meOnSecond = await request(second.getHttpServer()).get('/me').auth(token, { type: 'bearer' }).expect(200);
    expect((meOnSecond.body as Me).scope.focalUnitIds).toEqual([units.a]);
    // A logout through the first process ends the session in the second.
    await stack.http(token).post('/auth/logout').expect(204);
    await request(second.getHttpServer())
      .get(`/projects/${projectA}/logframe`)
      .auth(token, { type: 'bearer' })
      .expect(401);
  });

  it('the stamp commits with the change: not before, and not at all when the change is rolled back', async () => {
    const email = 'focal.tx@test.rbm';
    const token = await stack.userToken(email, [{ role: 'rbm_focal_point', orgUnitId: units.reg }]);
    await stack.http(token).get('/me').expect(200);
    const sessionId = (
      (await stack.dataSource.query(`SELECT id FROM auth_session WHERE user_id = $1 AND revoked_at IS NULL`, [
        await userId(email),
      ])) as { id: string }[]
    )[0].id;
    const before = await stampNow();
    const writer = stack.dataSource.createQueryRunner();
    try {
      await writer.startTransaction();
      await writer.query(`UPDATE auth_session SET revoked_at = now() WHERE id = $1`, [sessionId]);
      // Uncommitted: others see neither the revocation nor a new stamp, and keep being served.
      expect(await stampNow()).toBe(before);
      await stack.http(token).get('/me').expect(200);
      await writer.rollbackTransaction();
      expect(await stampNow()).toBe(before);
      await stack.http(token).get('/me').expect(200);
      await writer.startTransaction();
      await writer.query(`UPDATE auth_session SET revoked_at = now() WHERE id = $1`, [sessionId]);
      await writer.commitTransaction();
    } finally {
      await writer.release();
    }
    expect(BigInt(await stampNow())).toBeGreaterThan(BigInt(before));
    await stack.http(token).get('/me').expect(401);
  });

  it('moves the stamp on every change that can narrow a caller, and on nothing a login or refresh writes', async () => {
    const ds = stack.dataSource;
    const email = 'stamp.rules@test.rbm';
    await stack.userToken(email, [{ role: 'project_manager', orgUnitId: units.a }]);
    const id = await userId(email);
    const moves = async (sql: string, parameters: unknown[] = []) => {
      const before = BigInt(await stampNow());
      await ds.query(sql, parameters);
      return BigInt(await stampNow()) > before;
    };
    // Writes of a login (a new session), a refresh (rotation: later expiry, new token) and a password hash.
    const login = await request(stack.api.getHttpServer()).post('/auth/login').send({ email, password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    const before = await stampNow();
    await request(stack.api.getHttpServer())
      .post('/auth/refresh')
      .send({ refreshToken: login.body.refreshToken as string })
      .expect(200);
    expect(await stampNow()).toBe(before);
    expect(await moves(`UPDATE app_user SET password_hash = password_hash || '' WHERE id = $1`, [id])).toBe(false);
    expect(await moves(`UPDATE org_unit SET name = name || ' (renamed)' WHERE id = $1`, [units.b])).toBe(false);
    expect(await moves(`UPDATE auth_session SET last_used_at = now() WHERE user_id = $1`, [id])).toBe(false);
    // Every change that can narrow (or otherwise alter) a caller.
    const narrowing: [string, unknown[]][] = [
      [`UPDATE auth_session SET expires_at = expires_at - interval '1 hour' WHERE user_id = $1`, [id]],
      [`UPDATE auth_session SET revoked_at = now() WHERE user_id = $1`, [id]],
      [`DELETE FROM auth_session WHERE user_id = $1`, [id]],
      [`UPDATE app_user SET display_name = 'Stamp Rules' WHERE id = $1`, [id]],
      [`UPDATE app_user SET language = 'fr' WHERE id = $1`, [id]],
      [`UPDATE app_user SET email = 'stamp.rules2@test.rbm' WHERE id = $1`, [id]],
      [`UPDATE app_user SET is_active = false WHERE id = $1`, [id]],
      [`INSERT INTO role_assignment (user_id, role, org_unit_id) VALUES ($1, 'rbm_focal_point', $2)`, [id, units.b]],
      [`UPDATE role_assignment SET org_unit_id = $2 WHERE user_id = $1 AND role = 'rbm_focal_point'`, [id, units.a]],
      [`DELETE FROM role_assignment WHERE user_id = $1 AND role = 'rbm_focal_point'`, [id]],
      [
        `INSERT INTO org_unit (code, name, type, parent_id, version) VALUES ('C', 'C', 'country_office', $1, 1)`,
        [units.a],
      ],
      [`UPDATE org_unit SET parent_id = $1 WHERE code = 'C'`, [units.b]],
      [`DELETE FROM org_unit WHERE code = 'C'`, []],
      [`DELETE FROM role_assignment WHERE user_id = $1`, [id]],
    ];
    const moved: string[] = [];
    for (const [sql, parameters] of narrowing) if (await moves(sql, parameters)) moved.push(sql);
    expect(moved).toEqual(narrowing.map(([sql]) => sql));
  });

  it('keeps no caller while a stamp trigger is missing or disabled (code started before migration 1765900000000, or after its revert)', async () => {
    expect(AUTH_STAMP_TRIGGERS).toHaveLength(AUTH_STAMP_TRIGGER_COUNT);
    const logframe = `/projects/${projectA}/logframe`;
    /** A caller read twice (kept after the first read if at all), then revoked with no stamp moving. */
    const revokedQuietly = async (email: string) => {
      const token = await stack.userToken(email, [{ role: 'rbm_focal_point', orgUnitId: units.reg }]);
      await stack.http(token).get(logframe).expect(200);
      await stack.http(token).get(logframe).expect(200);
      const before = await stampNow();
      await stack.dataSource.query(`UPDATE auth_session SET revoked_at = now() WHERE user_id = $1`, [
        await userId(email),
      ]);
      expect(await stampNow()).toBe(before);
      return token;
    };
    // The migration reverted (as before it ran): no trigger moves the stamp, so nothing may be kept.
    const runner = stack.dataSource.createQueryRunner();
    const migration = new AuthStamp1765900000000();
    await migration.down(runner);
    try {
      const token = await revokedQuietly('focal.unstamped@test.rbm');
      const refused = await stack.http(token).get(logframe).expect(401);
      expect(refused.body.message).toBe('The session has ended; sign in again');
    } finally {
      await migration.up(runner);
      await runner.release();
    }
    // One trigger switched off for everyone (ALTER TABLE ... DISABLE TRIGGER): the same.
    await stack.dataSource.query(`ALTER TABLE auth_session DISABLE TRIGGER auth_stamp_session_update`);
    try {
      const token = await revokedQuietly('focal.disabled.trigger@test.rbm');
      await stack.http(token).get(logframe).expect(401);
    } finally {
      await stack.dataSource.query(`ALTER TABLE auth_session ENABLE TRIGGER auth_stamp_session_update`);
    }
    // Every trigger back: callers are kept again (the quiet rename is not seen).
    const email = 'focal.restamped@test.rbm';
    const token = await stack.userToken(email, [{ role: 'rbm_focal_point', orgUnitId: units.reg }]);
    await stack.http(token).get('/me').expect(200);
    await withoutTriggers(`UPDATE app_user SET display_name = 'Renamed quietly' WHERE email = $1`, [email]);
    expect(((await stack.http(token).get('/me').expect(200)).body as Me).displayName).toBe(email);
  });

  it('judges the session expiry by the database clock, not by the clock of the API host', async () => {
    const email = 'focal.skewed.clock@test.rbm';
    const token = await stack.userToken(email, [{ role: 'rbm_focal_point', orgUnitId: units.reg }]);
    await expireSoon(email);
    // The API host's clock an hour behind the database's (no time service, a paused VM).
    const realNow = Date.now.bind(Date);
    const behind = jest.spyOn(Date, 'now').mockImplementation(() => realNow() - 3_600_000);
    try {
      await stack.http(token).get(`/projects/${projectA}/logframe`).expect(200);
      const kept = await stampNow();
      await sessionsExpired(email);
      expect(await stampNow()).toBe(kept);
      const refused = await stack.http(token).get(`/projects/${projectA}/logframe`).expect(401);
      expect(refused.body.message).toBe('The session has ended; sign in again');
    } finally {
      behind.mockRestore();
    }
  });

  it('a deactivation, a new password or a moved org unit through the admin API takes effect on the next request to a process keeping the caller', async () => {
    const onSecond = (token: string, path: string) =>
      request(second.getHttpServer()).get(path).auth(token, { type: 'bearer' });
    const logframeB = `/projects/${projectB}/logframe`;
    const admin = async (email: string) =>
      (
        (await stack.http().get('/admin/users').expect(200)).body as { email: string; id: string; version: number }[]
      ).find((u) => u.email === email)!;
    for (const change of [{ isActive: false }, { password: 'another-long-password' }]) {
      const email = `focal.${Object.keys(change)[0].toLowerCase()}@test.rbm`;
      const token = await stack.userToken(email, [{ role: 'rbm_focal_point', orgUnitId: units.reg }]);
      await onSecond(token, logframeB).expect(200);
      await onSecond(token, logframeB).expect(200);
      const user = await admin(email);
      await stack
        .http()
        .patch(`/admin/users/${user.id}`)
        .send({ version: user.version, ...change })
        .expect(200);
      const refused = await onSecond(token, logframeB).expect(401);
      expect(refused.body.message).toBe('The session has ended; sign in again');
    }
    // B moved from under REG to the top: a focal point over REG kept by the second process loses it.
    const token = await stack.userToken('focal.moved.unit@test.rbm', [
      { role: 'rbm_focal_point', orgUnitId: units.reg },
    ]);
    await onSecond(token, logframeB).expect(200);
    await onSecond(token, logframeB).expect(200);
    const version = async () =>
      (
        (await stack.dataSource.query(`SELECT version FROM org_unit WHERE id = $1`, [units.b])) as { version: number }[]
      )[0].version;
    await stack
      .http()
      .patch(`/admin/org-units/${units.b}`)
      .send({ version: await version(), parentId: null })
      .expect(200);
    await onSecond(token, logframeB).expect(404);
    await stack
      .http()
      .patch(`/admin/org-units/${units.b}`)
      .send({ version: await version(), parentId: units.reg })
      .expect(200);
    await onSecond(token, logframeB).expect(200);
  });
});
