import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuthService } from '#libs/auth';
import { RoleAssignmentEntity, UserEntity } from '#libs/database';
import { MATRIX_PARTS } from './matrix/index.js';
import type { Entry, MatrixContext } from './support/matrix.js';
import { buildScopeFixture, PERSONAS, type ScopeFixture } from './support/scope-fixture.js';
import { startTestStack, TEST_PASSWORD, type TestStack } from './support/test-stack.js';

/** Lists the API's routes from the Express router itself: `METHOD /path`. */
function routerRoutes(stack: TestStack): string[] {
  const express = stack.api.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
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
    const spare = await stack.dataSource.getRepository(UserEntity).save({
      email: 'spare@test.rbm',
      displayName: 'Spare',
      passwordHash: await AuthService.hashPassword(TEST_PASSWORD),
      isActive: true,
    });
    spareUser = spare.id;
    spareAssignment = (
      await stack.dataSource
        .getRepository(RoleAssignmentEntity)
        .save({ userId: spare.id, role: 'project_manager', orgUnitId: fx.units.spare, donorId: null })
    ).id;
    const ctx: MatrixContext = { stack, fx, spareUser, spareAssignment, auth: stack.api.get(AuthService), unique };
    matrix = Object.assign({}, ...MATRIX_PARTS.map((part) => part(ctx)));
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
    // Every route x every persona, one request at a time: the count grows with each feature, so
    // this test gets its own budget rather than the suite's 60 s (a correctness test, not a timing one).
  }, 300_000);
});
