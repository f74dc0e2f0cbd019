import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { webAppDirectory } from '../apps/api/src/web-app.js';
import { startTestStack, TEST_PASSWORD, type TestStack } from './support/test-stack.js';

/** Cookies of a response, by name, with their attributes as written. */
function cookies(res: { headers: Record<string, unknown> }): Record<string, string> {
  const list = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  return Object.fromEntries(list.map((c) => [c.slice(0, c.indexOf('=')), c]));
}
const value = (cookie: string) => cookie.slice(cookie.indexOf('=') + 1, cookie.indexOf(';'));

describe('the web app: served under /app/, signed in with cookies', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await stack.userToken('nadia@test.rbm', [{ role: 'admin' }]);
  });
  afterAll(async () => stack?.close());

  it('is built by npm run build (dist/web/index.html)', () => {
    expect(webAppDirectory()).not.toBeNull();
    expect(existsSync(`${webAppDirectory()}/index.html`)).toBe(true);
  });

  it('redirects / to /app/ and answers deep links with the app (SPA fallback only under /app/)', async () => {
    const root = await stack.http(null).get('/').expect(302);
    expect(root.headers.location).toBe('/app/');
    const deep = await stack.http(null).get('/app/projects/7a3c2c38-3a43-4d44-9a0f-0c5d1f7a9e11').expect(200);
    expect(deep.headers['content-type']).toMatch(/text\/html/);
    expect(deep.text).toContain('<div id="root"></div>');
    expect(deep.headers['cache-control']).toBe('no-cache');
    // A missing asset stays a 404, and API routes are untouched.
    await stack.http(null).get('/app/assets/missing-file.js').expect(404);
    await stack.http(null).get('/projects').expect(401);
    await stack.http(null).get('/nothing-here').expect(404);
  });

  it('serves hashed assets cacheable for a year, under a CSP that allows them', async () => {
    const html = (await stack.http(null).get('/app/').expect(200)).text;
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await stack.http(null).get(script!).expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    const csp = asset.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
  });

  it('signs in with the refresh token in an HttpOnly SameSite=Strict cookie on /auth, never in the body', async () => {
    const res = await stack
      .http(null)
      .post('/auth/session')
      .send({ email: 'nadia@test.rbm', password: TEST_PASSWORD })
      .expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshExpiresAt', 'tokenType']);
    const set = cookies(res);
    expect(set.rbm_refresh).toMatch(/HttpOnly/);
    expect(set.rbm_refresh).toMatch(/SameSite=Strict/);
    expect(set.rbm_refresh).toMatch(/Path=\/auth/);
    // Plain http here: the cookie is Secure only over https.
    expect(set.rbm_refresh).not.toMatch(/Secure/);
    expect(set.rbm_csrf).not.toMatch(/HttpOnly/);
    expect(set.rbm_csrf).toMatch(/Path=\//);
    await stack.http(res.body.accessToken).get('/me').expect(200);
  });

  it('marks the cookies Secure over https (behind a proxy that says so)', async () => {
    // TRUST_PROXY is off in tests, so X-Forwarded-Proto is ignored and req.secure stays false:
    // the attribute follows the real connection, which a client cannot fake.
    const res = await stack
      .http(null)
      .post('/auth/session')
      .set('X-Forwarded-Proto', 'https')
      .send({ email: 'nadia@test.rbm', password: TEST_PASSWORD })
      .expect(200);
    expect(cookies(res).rbm_refresh).not.toMatch(/Secure/);
  });

  it('refreshes only with the CSRF header matching its cookie, rotates, and signs out for good', async () => {
    const agent = stack.http(null);
    const login = await agent
      .post('/auth/session')
      .send({ email: 'nadia@test.rbm', password: TEST_PASSWORD })
      .expect(200);
    const csrf = value(cookies(login).rbm_csrf);
    // No header (a cross-site form post) or a wrong one: 403, session untouched.
    expect((await agent.post('/auth/session/refresh').expect(403)).body.message).toContain('X-CSRF-Token');
    await agent.post('/auth/session/refresh').set('X-CSRF-Token', 'x'.repeat(43)).expect(403);
    const refreshed = await agent.post('/auth/session/refresh').set('X-CSRF-Token', csrf).expect(200);
    expect(value(cookies(refreshed).rbm_refresh)).not.toBe(value(cookies(login).rbm_refresh));
    const csrf2 = value(cookies(refreshed).rbm_csrf);
    await stack.http(refreshed.body.accessToken).get('/me').expect(200);
    await agent.post('/auth/session/logout').set('X-CSRF-Token', csrf2).expect(204);
    // The session is revoked: its access token and refresh cookie stop working.
    await stack.http(refreshed.body.accessToken).get('/me').expect(401);
    // Logout cleared the browser's cookies; replaying the revoked refresh cookie with a matching CSRF
    // pair passes the CSRF check and is refused because the session has ended.
    const replay = `rbm_refresh=${value(cookies(refreshed).rbm_refresh)}; rbm_csrf=${csrf2}`;
    await stack.http(null).post('/auth/session/refresh').set('Cookie', replay).set('X-CSRF-Token', csrf2).expect(401);
  });

  it('keeps the body-token API for scripts', async () => {
    const res = await stack
      .http(null)
      .post('/auth/login')
      .send({ email: 'nadia@test.rbm', password: TEST_PASSWORD })
      .expect(200);
    expect(res.body.refreshToken).toEqual(expect.any(String));
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
