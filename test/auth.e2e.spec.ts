import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import { AuthService, JWT_SECRET_NAME } from '#libs/auth';
import request from 'supertest';
import { AppModule } from '../apps/api/src/app.module.js';
import { configureApp } from '../apps/api/src/configure-app.js';
import { startTestStack, TEST_PASSWORD, type TestStack } from './support/test-stack.js';

describe('sign-in, tokens and sessions', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await stack.userToken('amina@test.rbm', [{ role: 'admin' }]);
  });
  afterAll(async () => stack?.close());

  const login = (email: string, password: string) => stack.http(null).post('/auth/login').send({ email, password });

  it('answers a wrong password and an unknown email the same way', async () => {
    const wrong = await login('amina@test.rbm', 'not-the-password');
    const unknown = await login('nobody@test.rbm', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({
      statusCode: 401,
      error: 'UNAUTHORIZED',
      code: 'INVALID_CREDENTIALS',
      params: {},
      message: 'Email or password is incorrect',
    });
  });

  it('throttles brute force: after 5 failures on one account within a minute the next attempt gets 429, even with the right password', async () => {
    await stack.userToken('target@test.rbm', []);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await login(i % 2 ? 'TARGET@test.rbm' : 'target@test.rbm', `guess-${i}`)).status);
    const blocked = await login('target@test.rbm', TEST_PASSWORD);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body.message).toMatch(/^Too many sign-in attempts; try again in \d+ seconds$/);
    // Another account is not blocked by it.
    expect((await login('amina@test.rbm', TEST_PASSWORD)).status).toBe(200);
  });

  it('rotates refresh tokens: the old one stops working, the new one works', async () => {
    const first = (await login('amina@test.rbm', TEST_PASSWORD).expect(200)).body;
    expect(first).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const second = (await stack.http(null).post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200))
      .body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await stack.http(second.accessToken).get('/me').expect(200);
    const third = (await stack.http(null).post('/auth/refresh').send({ refreshToken: second.refreshToken }).expect(200))
      .body;
    await stack.http(third.accessToken).get('/me').expect(200);
  });

  it('logout ends the session: its access and refresh tokens stop working', async () => {
    const tokens = (await login('amina@test.rbm', TEST_PASSWORD).expect(200)).body;
    await stack.http(tokens.accessToken).post('/auth/logout').expect(204);
    await stack.http(tokens.accessToken).get('/me').expect(401);
    await stack.http(null).post('/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
  });

  it('refuses missing, malformed and forged tokens', async () => {
    await stack.http(null).get('/me').expect(401);
    await stack.http('not-a-jwt').get('/me').expect(401);
    const forged =
      Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url') +
      '.' +
      Buffer.from(JSON.stringify({ sub: 'x', sid: 'y', typ: 'access' })).toString('base64url') +
      '.';
    await stack.http(forged).get('/me').expect(401);
  });

  it('deactivating a user ends their sessions at once', async () => {
    const token = await stack.userToken('leaver@test.rbm', [{ role: 'admin' }]);
    await stack.http(token).get('/me').expect(200);
    const user = (await stack.http().get('/admin/users').expect(200)).body.find(
      (u: { email: string }) => u.email === 'leaver@test.rbm',
    );
    await stack.http().patch(`/admin/users/${user.id}`).send({ version: user.version, isActive: false }).expect(200);
    await stack.http(token).get('/me').expect(401);
    expect((await login('leaver@test.rbm', TEST_PASSWORD)).body.message).toBe('Email or password is incorrect');
    // A stale version is a conflict, not a silent overwrite.
    await stack.http().patch(`/admin/users/${user.id}`).send({ version: user.version, displayName: 'x' }).expect(409);
  });

  it('admin assignments follow the rules and name the field', async () => {
    const created = (
      await stack
        .http()
        .post('/admin/users')
        .send({ email: 'Rules@Test.rbm', displayName: 'Rules', password: 'long-enough-pw' })
        .expect(201)
    ).body;
    expect(created.email).toBe('rules@test.rbm');
    const noDonor = await stack
      .http()
      .post(`/admin/users/${created.id}/assignments`)
      .send({ role: 'donor' })
      .expect(422);
    expect(noDonor.body.errors).toEqual([
      {
        path: 'donorId',
        code: 'role_scope',
        params: { role: 'donor' },
        message: 'A donor assignment names a donor organisation (donorId) and no orgUnitId',
      },
    ]);
    const badRole = await stack
      .http()
      .post(`/admin/users/${created.id}/assignments`)
      .send({ role: 'superuser' })
      .expect(400);
    expect(badRole.body.errors[0]).toEqual({
      path: 'role',
      code: 'isIn',
      params: { values: 'project_manager, rbm_focal_point, donor, admin' },
      message: 'role must be one of: project_manager, rbm_focal_point, donor, admin',
    });
    await stack
      .http()
      .post('/admin/users')
      .send({ email: 'rules@test.rbm', displayName: 'Again', password: 'long-enough-pw' })
      .expect(409);
    const short = await stack
      .http()
      .post('/admin/users')
      .send({ email: 'short@test.rbm', displayName: 'S', password: 'short' })
      .expect(400);
    expect(short.body.errors).toEqual([
      { path: 'password', code: 'minLength', params: { min: 10 }, message: 'password must be at least 10 characters' },
    ]);
  });

  it('never stores or returns a password in clear', async () => {
    const rows: { password_hash: string }[] = await stack.dataSource.query(`SELECT password_hash FROM app_user`);
    expect(rows.every((r) => r.password_hash.startsWith('$argon2id$'))).toBe(true);
    const users = (await stack.http().get('/admin/users').expect(200)).body;
    expect(JSON.stringify(users)).not.toMatch(/password|argon2/i);
  });

  it('refuses moving an org unit under itself', async () => {
    const hq = (
      await stack.http().post('/admin/org-units').send({ code: 'HQX', name: 'HQ', type: 'hq_division' }).expect(201)
    ).body;
    const child = (
      await stack
        .http()
        .post('/admin/org-units')
        .send({ code: 'CHX', name: 'Child', type: 'country_office', parentId: hq.id, countryCodes: ['KE'] })
        .expect(201)
    ).body;
    const cycle = await stack
      .http()
      .patch(`/admin/org-units/${hq.id}`)
      .send({ version: hq.version, parentId: child.id })
      .expect(422);
    expect(cycle.body.errors).toEqual([
      { path: 'parentId', code: 'cycle', params: {}, message: 'would create a cycle' },
    ]);
  });

  it('ends the session when a used refresh token is presented again (reuse detection), and never caches tokens', async () => {
    const first = await login('amina@test.rbm', TEST_PASSWORD).expect(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const second = (
      await stack.http(null).post('/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(200)
    ).body;
    await stack.http(null).post('/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(401);
    // The thief replayed the old token: the legitimate new tokens die with the session.
    await stack.http(null).post('/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
    await stack.http(second.accessToken).get('/me').expect(401);
  });

  it('ends the session when a token is replayed two rotations late', async () => {
    const refresh = (refreshToken: string) => stack.http(null).post('/auth/refresh').send({ refreshToken });
    const first = (await login('amina@test.rbm', TEST_PASSWORD).expect(200)).body;
    const second = (await refresh(first.refreshToken).expect(200)).body;
    const third = (await refresh(second.refreshToken).expect(200)).body;
    const sid = JSON.parse(Buffer.from(third.accessToken.split('.')[1], 'base64url').toString()).sid;
    // Login issued generation 1, each refresh one more: the session is at generation 3.
    expect(third.refreshToken.split('.').slice(0, 2)).toEqual([sid, '3']);
    expect(
      await stack.dataSource.query(`SELECT generation, revoked_at FROM auth_session WHERE id = $1`, [sid]),
    ).toEqual([{ generation: 3, revoked_at: null }]);
    // The first token (generation 1), two rotations behind, comes back.
    await refresh(first.refreshToken).expect(401);
    const [row] = await stack.dataSource.query(`SELECT revoked_at FROM auth_session WHERE id = $1`, [sid]);
    expect(row.revoked_at).not.toBeNull();
    await refresh(third.refreshToken).expect(401);
    await stack.http(third.accessToken).get('/me').expect(401);
  });

  it('refuses a forged token of the current generation without ending the session', async () => {
    const tokens = (await login('amina@test.rbm', TEST_PASSWORD).expect(200)).body;
    const [sid, generation] = tokens.refreshToken.split('.');
    const forged = `${sid}.${generation}.${'A'.repeat(43)}`;
    await stack.http(null).post('/auth/refresh').send({ refreshToken: forged }).expect(401);
    await stack.http(null).post('/auth/refresh').send({ refreshToken: 'not-a-refresh-token-at-all' }).expect(401);
    await stack.http(tokens.accessToken).get('/me').expect(200);
    await stack.http(null).post('/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(200);
  });

  it('refuses a token without an expiry even when signed with the right secret', async () => {
    const tokens = (await login('amina@test.rbm', TEST_PASSWORD).expect(200)).body;
    const claims = JSON.parse(Buffer.from(tokens.accessToken.split('.')[1], 'base64url').toString());
    const forever = await stack.api
      .get(JwtService)
      .signAsync(
        { sub: claims.sub, sid: claims.sid, typ: 'access' },
        { secret: await stack.api.get(AuthService).signingSecret() },
      );
    expect(JSON.parse(Buffer.from(forever.split('.')[1], 'base64url').toString()).exp).toBeUndefined();
    await stack.http(forever).get('/me').expect(401);
    await stack.http(tokens.accessToken).get('/me').expect(200);
  });

  it('signs with a secret generated once and kept in the database, which a second API process shares', async () => {
    const tokens = (await login('amina@test.rbm', TEST_PASSWORD).expect(200)).body;
    const rows = await stack.dataSource.query(`SELECT name, secret FROM signing_secret`);
    expect(rows).toHaveLength(1);
    expect(rows[0].name).toBe(JWT_SECRET_NAME);
    // 48 random bytes in base64url: 64 characters.
    expect(rows[0].secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    // A second API process on the same database (JWT_SECRET unset in the test environment).
    expect(process.env.JWT_SECRET).toBeUndefined();
    const second = configureApp(
      (await Test.createTestingModule({ imports: [AppModule] }).compile()).createNestApplication({ logger: false }),
    );
    await second.init();
    try {
      const me = await request(second.getHttpServer()).get('/me').set('Authorization', `Bearer ${tokens.accessToken}`);
      expect(me.status).toBe(200);
      expect(me.body.email).toBe('amina@test.rbm');
      expect(await second.get(AuthService).signingSecret()).toBe(rows[0].secret);
      // Still one row: the second process read the secret back instead of making its own.
      expect(await stack.dataSource.query(`SELECT count(*)::int AS n FROM signing_secret`)).toEqual([{ n: 1 }]);
    } finally {
      await second.close();
    }
  });

  it("clears an account's failed attempts after a successful sign-in", async () => {
    await stack.userToken('busy@test.rbm', []);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3; i++) expect((await login('busy@test.rbm', 'wrong-password')).status).toBe(401);
      expect((await login('busy@test.rbm', TEST_PASSWORD)).status).toBe(200);
    }
  });

  it('answers an assignment change with the new list, refuses blank names and case-twin org unit codes', async () => {
    const user = (
      await stack
        .http()
        .post('/admin/users')
        .send({ email: 'shape@test.rbm', displayName: 'Shape', password: 'long-enough-pw' })
        .expect(201)
    ).body;
    const unit = (
      await stack
        .http()
        .post('/admin/org-units')
        .send({ code: 'KE-CO', name: 'Kenya', type: 'country_office' })
        .expect(201)
    ).body;
    const added = (
      await stack
        .http()
        .post(`/admin/users/${user.id}/assignments`)
        .send({ role: 'project_manager', orgUnitId: unit.id })
        .expect(201)
    ).body;
    expect(added.assignments).toEqual([
      expect.objectContaining({ role: 'project_manager', orgUnitId: unit.id, donorId: null }),
    ]);
    const removed = (
      await stack.http().delete(`/admin/users/${user.id}/assignments/${added.assignments[0].id}`).expect(200)
    ).body;
    expect(removed.assignments).toEqual([]);
    const blank = await stack
      .http()
      .post('/admin/users')
      .send({ email: 'blank@test.rbm', displayName: '   ', password: '          ' })
      .expect(400);
    expect(blank.body.errors).toEqual([
      { path: 'displayName', code: 'notBlank', params: {}, message: 'displayName must not be blank' },
      { path: 'password', code: 'notBlank', params: {}, message: 'password must not be only spaces' },
    ]);
    await stack
      .http()
      .post('/admin/org-units')
      .send({ code: 'ke-co', name: 'Kenya again', type: 'country_office' })
      .expect(409);
    // The database itself refuses an assignment of the wrong shape (a scoped admin).
    await expect(
      stack.dataSource.query(`INSERT INTO role_assignment (user_id, role, org_unit_id) VALUES ($1, 'admin', $2)`, [
        user.id,
        unit.id,
      ]),
    ).rejects.toThrow(/CHK_role_assignment_shape/);
  });

  it('never leaves the product without an active admin', async () => {
    const admins = (
      (await stack.http().get('/admin/users').expect(200)).body as {
        email: string;
        id: string;
        version: number;
        isActive: boolean;
        assignments: { id: string; role: string }[];
      }[]
    ).filter((u) => u.isActive && u.assignments.some((a) => a.role === 'admin'));
    expect(admins.map((u) => u.email).sort()).toEqual(['admin@test.rbm', 'amina@test.rbm']);
    const amina = admins.find((u) => u.email === 'amina@test.rbm')!;
    const root = admins.find((u) => u.email === 'admin@test.rbm')!;
    const aminaToken = (await login('amina@test.rbm', TEST_PASSWORD).expect(200)).body.accessToken;
    await stack
      .http(aminaToken)
      .patch(`/admin/users/${root.id}`)
      .send({ version: root.version, isActive: false })
      .expect(200);
    const last = await stack
      .http(aminaToken)
      .patch(`/admin/users/${amina.id}`)
      .send({ version: amina.version, isActive: false })
      .expect(409);
    expect(last.body.message).toBe('This is the last active admin: give another user the admin role first');
    const adminAssignment = amina.assignments.find((a) => a.role === 'admin')!;
    await stack.http(aminaToken).delete(`/admin/users/${amina.id}/assignments/${adminAssignment.id}`).expect(409);
  });
});
