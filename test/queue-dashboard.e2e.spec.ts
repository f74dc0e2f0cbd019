import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from './support/test-stack.js';

describe('the admin-only queue dashboard (Bull Board)', () => {
  let stack: TestStack;
  let manager: string;
  beforeAll(async () => {
    stack = await startTestStack();
    manager = await stack.userToken('pm@test.rbm', []);
  });
  afterAll(async () => stack?.close());

  it('refuses a browser without the admin session cookie, even with a bearer header', async () => {
    await stack.http(null).get('/admin/queues').expect(401);
    const res = await stack.http().get('/admin/queues').expect(401);
    expect(res.body.message).toMatch(/POST \/admin\/queue-dashboard\/session/);
  });

  it('opens for an admin after the session call: an HttpOnly, SameSite=Strict cookie scoped to /admin/queues', async () => {
    const session = await stack.http().post('/admin/queue-dashboard/session').expect(204);
    const cookie = String(session.headers['set-cookie']);
    expect(cookie).toMatch(
      /^rbm_queue_dashboard=[^;]+; Max-Age=900; Path=\/admin\/queues; Expires=.+; HttpOnly; SameSite=Strict$/,
    );
    const value = cookie.split(';')[0];
    const page = await stack.http(null).get('/admin/queues').set('Cookie', value).expect(200);
    expect(page.text).toContain('<title>Bull Dashboard</title>');
    const queues = await stack.http(null).get('/admin/queues/api/queues').set('Cookie', value).expect(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name)).toEqual(['reports']);
  });

  it('never opens for a non-admin: the session call is 403 and a copied cookie is 401', async () => {
    await stack.http(manager).post('/admin/queue-dashboard/session').expect(403);
    await stack.http(null).get('/admin/queues/api/queues').set('Cookie', `rbm_queue_dashboard=${manager}`).expect(401);
  });
});
