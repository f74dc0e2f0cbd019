import {
  adminOnly,
  type Entry,
  everyone,
  type MatrixContext,
  OrgUnitEntity,
  publicGet,
  read,
  SAMPLE,
  signedIn,
  TEST_PASSWORD,
  UserEntity,
} from '../support/matrix.js';
import type { Persona } from '../support/scope-fixture.js';
import { paManager, paReaders } from './expectations.js';

/** Routes of the foundation and of users/roles/scopes: docs, health, auth, admin, SDG, projects, imports, reports. */
export function foundationEntries({
  stack,
  fx,
  spareUser,
  spareAssignment,
  auth,
  unique,
}: MatrixContext): Record<string, Entry> {
  const { pa } = fx.projects;
  const { ra } = fx.reports;
  /** The persona's sign-in email; anonymous rows sign in as the spare user. */
  const emailOf = (p: Persona) => (p === 'anonymous' ? 'spare@test.rbm' : fx.emails[p]);
  const signIn = (path: string): Entry => ({
    call: (a, p) => a.post(path).send({ email: emailOf(p), password: TEST_PASSWORD }),
    expect: everyone(200),
  });
  return {
    'GET /docs': publicGet('/docs/'),
    'GET /docs/': publicGet('/docs/'),
    'GET /docs/index.html': publicGet('/docs/'),
    'GET /docs/swagger-ui-init.js': publicGet('/docs/swagger-ui-init.js'),
    'GET /docs/docs/swagger-ui-init.js': publicGet('/docs/swagger-ui-init.js'),
    // Registered by @nestjs/swagger, but swagger-ui-dist ships no LICENSE file: 404 for everyone, no sign-in asked.
    'GET /docs/LICENSE': { call: (a) => a.get('/docs/LICENSE'), expect: everyone(404) },
    'GET /docs-json': publicGet('/docs-json'),
    'GET /docs-yaml': publicGet('/docs-yaml'),
    'GET /health': publicGet('/health'),
    'POST /auth/login': signIn('/auth/login'),
    'POST /auth/refresh': {
      call: async (a, p) =>
        a.post('/auth/refresh').send({
          refreshToken: (await auth.login(emailOf(p), TEST_PASSWORD)).refreshToken,
        }),
      expect: everyone(200),
    },
    'POST /auth/logout': {
      // A session of its own, so the persona's token used by the other rows stays valid.
      call: async (a, p) => {
        const fresh = p === 'anonymous' ? null : (await auth.login(fx.emails[p], TEST_PASSWORD)).accessToken;
        return fresh ? a.post('/auth/logout').set('Authorization', `Bearer ${fresh}`) : a.post('/auth/logout');
      },
      expect: signedIn(204),
    },
    // The web app's browser session (refresh token in an HttpOnly cookie, CSRF double submit): each row
    // signs in a browser session of its own, so the persona's bearer token used elsewhere stays valid.
    'POST /auth/session': signIn('/auth/session'),
    'POST /auth/session/refresh': {
      call: async (a, p) => {
        const { cookie, csrf } = await browserSession(a, emailOf(p));
        return a.post('/auth/session/refresh').set('Cookie', cookie).set('X-CSRF-Token', csrf);
      },
      expect: everyone(200),
    },
    'POST /auth/session/logout': {
      call: async (a, p) => {
        const { cookie, csrf } = await browserSession(a, emailOf(p));
        return a.post('/auth/session/logout').set('Cookie', cookie).set('X-CSRF-Token', csrf);
      },
      expect: everyone(204),
    },
    'GET /me': read('/me'),
    'GET /admin/users': { call: (a) => a.get('/admin/users'), expect: adminOnly(200) },
    'POST /admin/users': {
      call: (a) =>
        a
          .post('/admin/users')
          .send({ email: `new-${unique()}@test.rbm`, displayName: 'New', password: 'a-long-password' }),
      expect: adminOnly(201),
    },
    'GET /admin/users/:userId': { call: (a) => a.get(`/admin/users/${spareUser}`), expect: adminOnly(200) },
    'PATCH /admin/users/:userId': {
      call: async (a) =>
        a.patch(`/admin/users/${spareUser}`).send({
          version: (await stack.dataSource.getRepository(UserEntity).findOneByOrFail({ id: spareUser })).version,
          displayName: `Spare ${unique()}`,
        }),
      expect: adminOnly(200),
    },
    'POST /admin/users/:userId/assignments': {
      call: (a) =>
        a.post(`/admin/users/${spareUser}/assignments`).send({ role: 'rbm_focal_point', orgUnitId: fx.units.spare }),
      expect: adminOnly(201),
    },
    'DELETE /admin/users/:userId/assignments/:assignmentId': {
      call: (a) => a.delete(`/admin/users/${spareUser}/assignments/${spareAssignment}`),
      expect: adminOnly(200),
    },
    'POST /admin/queue-dashboard/session': {
      call: (a) => a.post('/admin/queue-dashboard/session'),
      expect: adminOnly(204),
    },
    'POST /admin/org-units': {
      call: (a) =>
        a
          .post('/admin/org-units')
          .send({ code: `U${unique()}`, name: 'New unit', type: 'country_office', parentId: fx.units.hq }),
      expect: adminOnly(201),
    },
    'PATCH /admin/org-units/:orgUnitId': {
      call: async (a) =>
        a.patch(`/admin/org-units/${fx.units.spare}`).send({
          version: (await stack.dataSource.getRepository(OrgUnitEntity).findOneByOrFail({ id: fx.units.spare }))
            .version,
          name: `Spare ${unique()}`,
        }),
      expect: adminOnly(200),
    },
    'GET /org-units': read('/org-units'),
    'GET /sdg/goals': read('/sdg/goals'),
    'GET /sdg/goals/:code': read('/sdg/goals/16'),
    'GET /sdg/targets/:code': read('/sdg/targets/16.4'),
    'GET /sdg/indicators/:code': read('/sdg/indicators/16.4.1'),
    'GET /sdg/search': read('/sdg/search?q=16.4'),
    'GET /projects': read('/projects'),
    // Donor 2 does not fund PA and manager B is in another office: 404, the project's existence is not revealed.
    'GET /projects/:id': {
      call: (a) => a.get(`/projects/${pa}`),
      expect: { ...paReaders(200), donor1: 200 },
    },
    // Focal points may not import (403); manager B reaching office A's unit: 404.
    'POST /imports/iati': {
      call: (a) => a.post('/imports/iati').field('orgUnitCode', 'A').attach('file', SAMPLE),
      expect: { ...paManager(201), admin: 201 },
    },
    // The regional focal point reaches the child office's project; donors may not request reports.
    'POST /reports': {
      call: (a) => a.post('/reports').send({ scope: 'project', projectId: pa, year: 2026, quarter: 3 }),
      expect: paReaders(202, 403),
    },
    'GET /reports': read('/reports'),
    // RA is internal (draft logframe): even the funding donor gets 404.
    'GET /reports/:id': {
      call: (a) => a.get(`/reports/${ra}`),
      expect: paReaders(200),
    },
    'GET /reports/:id/report.csv': {
      call: (a) => a.get(`/reports/${ra}/report.csv`),
      expect: paReaders(200),
    },
    'GET /reports/:id/report.xlsx': {
      call: (a) => a.get(`/reports/${ra}/report.xlsx`),
      expect: paReaders(200),
    },
    'GET /reports/:id/report.pdf': {
      call: (a) => a.get(`/reports/${ra}/report.pdf`),
      expect: paReaders(200),
    },
  };
}

/** Signs a browser session in; answers its Cookie header and the CSRF token to echo. */
async function browserSession(
  a: { post(url: string): { send(body: object): PromiseLike<{ headers: Record<string, unknown> }> } },
  email: string,
): Promise<{ cookie: string; csrf: string }> {
  const res = await a.post('/auth/session').send({ email, password: TEST_PASSWORD });
  const pairs = ((res.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split(';')[0]);
  const csrf = pairs.find((c) => c.startsWith('rbm_csrf='))?.slice('rbm_csrf='.length) ?? '';
  return { cookie: pairs.join('; '), csrf };
}
