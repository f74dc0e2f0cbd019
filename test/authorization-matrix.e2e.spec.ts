import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import TestAgent from 'supertest/lib/agent.js';
import { AuthService } from '#libs/auth';
import { OrgUnitEntity, RoleAssignmentEntity, UserEntity } from '#libs/database';
import { buildScopeFixture, type Persona, PERSONAS, type ScopeFixture } from './support/scope-fixture.js';
import { startTestStack, TEST_PASSWORD, type TestStack } from './support/test-stack.js';

const SAMPLE = resolve(process.cwd(), 'data/samples/gdihub-activity.xml');

/** Builds the request of a route for one persona (the agent is already signed in as that persona). */
type Call = (agent: TestAgent, persona: Persona) => Promise<Response>;
interface Entry {
  call: Call;
  expect: Record<Persona, number>;
}

const everyone = (status: number): Record<Persona, number> => Object.fromEntries(PERSONAS.map((p) => [p, status])) as Record<Persona, number>;
const signedIn = (status: number) => ({ ...everyone(status), anonymous: 401 });
const adminOnly = (status: number) => ({ ...everyone(403), anonymous: 401, admin: status });

/** Lists the API's routes from the Express router itself: `METHOD /path`. */
function routerRoutes(stack: TestStack): string[] {
  const express = stack.api.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  return express.router.stack
    .filter((layer) => layer.route && !layer.route.path.includes('*'))
    .flatMap((layer) => Object.keys(layer.route!.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`));
}

describe('authorisation matrix: every route x every role (and anonymous)', () => {
  let stack: TestStack;
  let fx: ScopeFixture;
  let matrix: Record<string, Entry>;
  let spareUser: string;
  let spareAssignment: string;
  let counter = 0;
  const unique = () => `${Date.now().toString(36)}${(counter += 1)}`;

  beforeAll(async () => {
    stack = await startTestStack();
    fx = await buildScopeFixture(stack);
    const spare = await stack.dataSource.getRepository(UserEntity).save({ email: 'spare@test.rbm', displayName: 'Spare', passwordHash: await AuthService.hashPassword(TEST_PASSWORD), isActive: true });
    spareUser = spare.id;
    spareAssignment = (await stack.dataSource.getRepository(RoleAssignmentEntity).save({ userId: spare.id, role: 'project_manager', orgUnitId: fx.units.spare, donorId: null })).id;
    const auth = stack.api.get(AuthService);
    const { pa } = fx.projects;
    const { ra } = fx.reports;
    const publicGet = (path: string): Entry => ({ call: (a) => a.get(path), expect: everyone(200) });
    const read = (path: string): Entry => ({ call: (a) => a.get(path), expect: signedIn(200) });
    matrix = {
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
      'POST /auth/login': {
        call: (a, p) => a.post('/auth/login').send({ email: p === 'anonymous' ? 'spare@test.rbm' : fx.emails[p], password: TEST_PASSWORD }),
        expect: everyone(200),
      },
      'POST /auth/refresh': {
        call: async (a, p) => a.post('/auth/refresh').send({ refreshToken: (await auth.login(p === 'anonymous' ? 'spare@test.rbm' : fx.emails[p], TEST_PASSWORD)).refreshToken }),
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
      'GET /me': read('/me'),
      'GET /admin/users': { call: (a) => a.get('/admin/users'), expect: adminOnly(200) },
      'POST /admin/users': { call: (a) => a.post('/admin/users').send({ email: `new-${unique()}@test.rbm`, displayName: 'New', password: 'a-long-password' }), expect: adminOnly(201) },
      'GET /admin/users/:userId': { call: (a) => a.get(`/admin/users/${spareUser}`), expect: adminOnly(200) },
      'PATCH /admin/users/:userId': {
        call: async (a) => a.patch(`/admin/users/${spareUser}`).send({ version: (await stack.dataSource.getRepository(UserEntity).findOneByOrFail({ id: spareUser })).version, displayName: `Spare ${unique()}` }),
        expect: adminOnly(200),
      },
      'POST /admin/users/:userId/assignments': { call: (a) => a.post(`/admin/users/${spareUser}/assignments`).send({ role: 'rbm_focal_point', orgUnitId: fx.units.spare }), expect: adminOnly(201) },
      'DELETE /admin/users/:userId/assignments/:assignmentId': { call: (a) => a.delete(`/admin/users/${spareUser}/assignments/${spareAssignment}`), expect: adminOnly(200) },
      'POST /admin/org-units': { call: (a) => a.post('/admin/org-units').send({ code: `U${unique()}`, name: 'New unit', type: 'country_office', parentId: fx.units.hq }), expect: adminOnly(201) },
      'PATCH /admin/org-units/:orgUnitId': {
        call: async (a) => a.patch(`/admin/org-units/${fx.units.spare}`).send({ version: (await stack.dataSource.getRepository(OrgUnitEntity).findOneByOrFail({ id: fx.units.spare })).version, name: `Spare ${unique()}` }),
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
        expect: { anonymous: 401, admin: 200, managerA: 200, managerB: 404, focalRegional: 200, donor1: 200, donor2: 404 },
      },
      // Focal points may not import (403); manager B reaching office A's unit: 404.
      'POST /imports/iati': {
        call: (a) => a.post('/imports/iati').field('orgUnitCode', 'A').attach('file', SAMPLE),
        expect: { anonymous: 401, admin: 201, managerA: 201, managerB: 404, focalRegional: 403, donor1: 403, donor2: 403 },
      },
      // The regional focal point reaches the child office's project; donors may not request reports.
      'POST /reports': {
        call: (a) => a.post('/reports').send({ scope: 'project', projectId: pa, year: 2026, quarter: 3 }),
        expect: { anonymous: 401, admin: 202, managerA: 202, managerB: 404, focalRegional: 202, donor1: 403, donor2: 403 },
      },
      'GET /reports': read('/reports'),
      // RA is internal (draft logframe): even the funding donor gets 404.
      'GET /reports/:id': {
        call: (a) => a.get(`/reports/${ra}`),
        expect: { anonymous: 401, admin: 200, managerA: 200, managerB: 404, focalRegional: 200, donor1: 404, donor2: 404 },
      },
      'GET /reports/:id/report.csv': {
        call: (a) => a.get(`/reports/${ra}/report.csv`),
        expect: { anonymous: 401, admin: 200, managerA: 200, managerB: 404, focalRegional: 200, donor1: 404, donor2: 404 },
      },
    };
  });
  afterAll(async () => stack?.close());

  it('has an entry for every route of the router, and no entry for a route that does not exist', () => {
    const routes = [...new Set(routerRoutes(stack))].sort();
    expect(routes.filter((r) => !(r in matrix))).toEqual([]);
    expect(Object.keys(matrix).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('gives each persona the status code of its entry on every route', async () => {
    const got: Record<string, Record<string, number>> = {};
    const want: Record<string, Record<string, number>> = {};
    for (const [route, entry] of Object.entries(matrix)) {
      got[route] = {};
      want[route] = entry.expect;
      for (const persona of PERSONAS) {
        const agent = stack.http(persona === 'anonymous' ? null : fx.tokens[persona]);
        got[route][persona] = (await entry.call(agent, persona)).status;
      }
    }
    expect(got).toEqual(want);
  });
});
