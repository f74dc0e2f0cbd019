import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
    expect(wrong.body).toEqual({ statusCode: 401, error: 'UNAUTHORIZED', message: 'Email or password is incorrect' });
  });

  it('throttles brute force: the 6th attempt on one account within a minute gets 429, even with the right password', async () => {
    await stack.userToken('target@test.rbm', []); // one successful login already counted
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await login('target@test.rbm', `guess-${i}`)).status);
    const blocked = await login('target@test.rbm', TEST_PASSWORD);
    expect(statuses).toEqual([401, 401, 401, 401]);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body.message).toMatch(/^Too many sign-in attempts; try again in \d+ seconds$/);
    // Another account is not blocked by it.
    expect((await login('amina@test.rbm', TEST_PASSWORD)).status).toBe(200);
  });

  it('rotates refresh tokens: the old one stops working, the new one works', async () => {
    const first = (await login('amina@test.rbm', TEST_PASSWORD).expect(200)).body;
    expect(first).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const second = (await stack.http(null).post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await stack.http(null).post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    await stack.http(second.accessToken).get('/me').expect(200);
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
    const forged = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url') + '.' + Buffer.from(JSON.stringify({ sub: 'x', sid: 'y', typ: 'access' })).toString('base64url') + '.';
    await stack.http(forged).get('/me').expect(401);
  });

  it('deactivating a user ends their sessions at once', async () => {
    const token = await stack.userToken('leaver@test.rbm', [{ role: 'admin' }]);
    await stack.http(token).get('/me').expect(200);
    const user = (await stack.http().get('/admin/users').expect(200)).body.find((u: { email: string }) => u.email === 'leaver@test.rbm');
    await stack.http().patch(`/admin/users/${user.id}`).send({ version: user.version, isActive: false }).expect(200);
    await stack.http(token).get('/me').expect(401);
    expect((await login('leaver@test.rbm', TEST_PASSWORD)).body.message).toBe('Email or password is incorrect');
    // A stale version is a conflict, not a silent overwrite.
    await stack.http().patch(`/admin/users/${user.id}`).send({ version: user.version, displayName: 'x' }).expect(409);
  });

  it('admin assignments follow the rules and name the field', async () => {
    const created = (await stack.http().post('/admin/users').send({ email: 'Rules@Test.rbm', displayName: 'Rules', password: 'long-enough-pw' }).expect(201)).body;
    expect(created.email).toBe('rules@test.rbm');
    const noDonor = await stack.http().post(`/admin/users/${created.id}/assignments`).send({ role: 'donor' }).expect(422);
    expect(noDonor.body.errors).toEqual([{ path: 'donorId', message: 'A donor assignment names a donor organisation (donorId) and no orgUnitId' }]);
    const badRole = await stack.http().post(`/admin/users/${created.id}/assignments`).send({ role: 'superuser' }).expect(400);
    expect(badRole.body.errors[0].message).toBe('role must be one of: project_manager, rbm_focal_point, donor, admin');
    await stack.http().post('/admin/users').send({ email: 'rules@test.rbm', displayName: 'Again', password: 'long-enough-pw' }).expect(409);
    const short = await stack.http().post('/admin/users').send({ email: 'short@test.rbm', displayName: 'S', password: 'short' }).expect(400);
    expect(short.body.errors).toEqual([{ path: 'password', message: 'password must be at least 10 characters' }]);
  });

  it('never stores or returns a password in clear', async () => {
    const rows: { password_hash: string }[] = await stack.dataSource.query(`SELECT password_hash FROM app_user`);
    expect(rows.every((r) => r.password_hash.startsWith('$argon2id$'))).toBe(true);
    const users = (await stack.http().get('/admin/users').expect(200)).body;
    expect(JSON.stringify(users)).not.toMatch(/password|argon2/i);
  });

  it('refuses moving an org unit under itself', async () => {
    const hq = (await stack.http().post('/admin/org-units').send({ code: 'HQX', name: 'HQ', type: 'hq_division' }).expect(201)).body;
    const child = (await stack.http().post('/admin/org-units').send({ code: 'CHX', name: 'Child', type: 'country_office', parentId: hq.id, countryCodes: ['KE'] }).expect(201)).body;
    const cycle = await stack.http().patch(`/admin/org-units/${hq.id}`).send({ version: hq.version, parentId: child.id }).expect(422);
    expect(cycle.body.errors).toEqual([{ path: 'parentId', message: 'would create a cycle' }]);
  });
});
