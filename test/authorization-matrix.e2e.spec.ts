import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuthService } from '#libs/auth';
import { DonorEntity, ProgrammeEntity, ProjectEntity, RoleAssignmentEntity, UserEntity } from '#libs/database';
import { ReportBuilderService } from '#libs/reporting';
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
    // A stack, the scope fixture and its built reports: more than the suite's 60 s on a loaded machine.
  }, 180_000);
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

  /**
   * Escalation paths (docs/RULES.md "Report reach"): office A's manager links office B's donor or
   * programme to A's own project, then asks for the donor or programme report. The answer is a report
   * restricted to office A (named on its cover) or 404, never office B's rows.
   */
  describe('escalation paths through a donor or a programme', () => {
    const build = (id: string) => stack.api.get(ReportBuilderService).build(id);
    const reportOf = (token: string, scope: 'donor' | 'programme', scopeId: string) =>
      stack.http(token).post('/reports').send({ scope, scopeId, year: 2026, quarter: 3 });
    const codes = (content: { projects: { code: string }[] }) => content.projects.map((p) => p.code).sort();

    it("donor link: recording office B's donor as a funder of A's project gives A a report restricted to A, never B's rows", async () => {
      // Donor DB funds only PB (office B).
      const db = await stack.dataSource
        .getRepository(DonorEntity)
        .save({ name: `Donor of B ${unique()}`, iatiOrgRef: null });
      await stack
        .http()
        .post(`/projects/${fx.projects.pb}/funding-agreements`)
        .send({ donorId: db.id, amount: 1000, currency: 'USD', startDate: '2026-01-01', endDate: '2026-12-31' })
        .expect(201);
      // Before the link office A reaches nothing of DB.
      await reportOf(fx.tokens.managerA, 'donor', db.id).expect(404);
      // The admin's report of DB: the whole scope, with PB.
      const whole = (await reportOf(fx.tokens.admin, 'donor', db.id)).body;
      await build(whole.id);
      expect(codes((await stack.http().get(`/reports/${whole.id}`).expect(200)).body.content)).toEqual(['PB']);
      // Recording DB as a funder of A's own project stays allowed (donors are reference data).
      await stack.http(fx.tokens.managerA).get(`/donors/${db.id}`).expect(200);
      await stack
        .http(fx.tokens.managerA)
        .post(`/projects/${fx.projects.pa}/funding-agreements`)
        .send({ donorId: db.id, amount: 1000, currency: 'USD', startDate: '2026-01-01', endDate: '2026-12-31' })
        .expect(201);
      // ...but never widens what A reads: the whole-scope report stays 404 and out of A's list.
      await stack.http(fx.tokens.managerA).get(`/reports/${whole.id}`).expect(404);
      await stack.http(fx.tokens.managerA).get(`/reports/${whole.id}/report.csv`).expect(404);
      const listed = (await stack.http(fx.tokens.managerA).get('/reports').query({ scope: 'donor' }).expect(200)).body;
      expect(listed.map((r: { id: string }) => r.id)).not.toContain(whole.id);
      // A's request is built for DB x office A.
      const restricted = (await reportOf(fx.tokens.managerA, 'donor', db.id).expect(202)).body;
      expect(restricted.id).not.toBe(whole.id);
      await build(restricted.id);
      const got = (await stack.http(fx.tokens.managerA).get(`/reports/${restricted.id}`).expect(200)).body;
      expect(got.restrictedToUnitIds).toEqual([fx.units.a]);
      expect(got.content.scope.restrictedTo).toEqual([{ id: fx.units.a, code: 'A', name: 'Office A' }]);
      expect(codes(got.content)).toEqual(['PA']);
      expect(JSON.stringify(got.content)).not.toContain(fx.projects.pb);
      // Its cover names the restriction.
      const csv = await stack.http(fx.tokens.managerA).get(`/reports/${restricted.id}/report.csv`).expect(200);
      expect(csv.text).not.toMatch(/\bPB\b/);
      // Office B's manager does not read A's restricted report; the regional focal point (A and B) does.
      await stack.http(fx.tokens.managerB).get(`/reports/${restricted.id}`).expect(404);
      await stack.http(fx.tokens.focalRegional).get(`/reports/${restricted.id}`).expect(200);
      // The regional focal point covers every project of DB (PA and PB): their request is the whole scope.
      const regional = (await reportOf(fx.tokens.focalRegional, 'donor', db.id).expect(202)).body;
      expect(regional.id).not.toBe(restricted.id);
      expect((await stack.http().get(`/reports/${regional.id}`).expect(200)).body.restrictedToUnitIds).toEqual([]);
    });

    it("programme link: A may not join office B's programme; when linked anyway (by an admin) A gets a report restricted to A or 404", async () => {
      const programme = (unit: string, scope: 'country' | 'regional' | 'global', code: string) =>
        stack.dataSource.getRepository(ProgrammeEntity).save({
          code: `${code}-${unique()}`,
          title: `Programme ${code}`,
          scope,
          orgUnitId: unit,
          startDate: '2026-01-01',
          endDate: '2028-12-31',
        });
      const gb = await programme(fx.units.b, 'country', 'GB');
      const greg = await programme(fx.units.reg, 'regional', 'GREG');
      const gglobal = await programme(fx.units.spare, 'global', 'GGLOBAL');
      await stack.dataSource.getRepository(ProjectEntity).update({ id: fx.projects.pb }, { programmeId: gb.id });
      const patch = async (programmeId: string) => {
        const { version } = (await stack.http(fx.tokens.managerA).get(`/projects/${fx.projects.pa}`).expect(200)).body;
        return stack.http(fx.tokens.managerA).patch(`/projects/${fx.projects.pa}`).send({ version, programmeId });
      };
      // Office B's programme: refused as unknown (existence not revealed), the project unchanged.
      const refused = await patch(gb.id);
      expect(refused.status).toBe(422);
      expect(refused.body.errors).toEqual([
        { path: 'programmeId', code: 'not_found', params: { entity: 'programme' }, message: 'no such programme' },
      ]);
      expect(
        (await stack.dataSource.getRepository(ProjectEntity).findOneByOrFail({ id: fx.projects.pa })).programmeId,
      ).not.toBe(gb.id);
      // A programme of an ancestor unit (REG) and a global one are allowed.
      expect((await patch(greg.id)).status).toBe(200);
      expect((await patch(gglobal.id)).status).toBe(200);
      // GET /programmes for A: A's units, the units above and global ones; never B's.
      const listed = (await stack.http(fx.tokens.managerA).get('/programmes').query({ pageSize: 100 }).expect(200))
        .body;
      const ids = listed.items.map((g: { id: string }) => g.id);
      expect(ids).toEqual(expect.arrayContaining([greg.id, gglobal.id]));
      expect(ids).not.toContain(gb.id);
      await stack.http(fx.tokens.managerA).get(`/programmes/${gb.id}`).expect(404);
      // Before any link A reaches nothing of GB.
      await reportOf(fx.tokens.managerA, 'programme', gb.id).expect(404);
      // An admin links PA to GB (allowed for admins): A now reaches GB through its own project.
      await stack.dataSource.getRepository(ProjectEntity).update({ id: fx.projects.pa }, { programmeId: gb.id });
      const whole = (await reportOf(fx.tokens.admin, 'programme', gb.id).expect(202)).body;
      await build(whole.id);
      expect(codes((await stack.http().get(`/reports/${whole.id}`).expect(200)).body.content)).toEqual(['PA', 'PB']);
      await stack.http(fx.tokens.managerA).get(`/reports/${whole.id}`).expect(404);
      const restricted = (await reportOf(fx.tokens.managerA, 'programme', gb.id).expect(202)).body;
      await build(restricted.id);
      const got = (await stack.http(fx.tokens.managerA).get(`/reports/${restricted.id}`).expect(200)).body;
      expect(got.restrictedToUnitIds).toEqual([fx.units.a]);
      expect(codes(got.content)).toEqual(['PA']);
      expect(JSON.stringify(got.content)).not.toContain(fx.projects.pb);
      // Office B's manager covers... only PB: their own request is restricted to B, and they cannot read A's.
      await stack.http(fx.tokens.managerB).get(`/reports/${restricted.id}`).expect(404);
      const forB = (await reportOf(fx.tokens.managerB, 'programme', gb.id).expect(202)).body;
      await build(forB.id);
      expect(codes((await stack.http(fx.tokens.managerB).get(`/reports/${forB.id}`).expect(200)).body.content)).toEqual(
        ['PB'],
      );
      await stack.dataSource.getRepository(ProjectEntity).update({ id: fx.projects.pa }, { programmeId: null });
    });

    it('GET /donors lists every donor to staff and only their own organisation to donor users', async () => {
      const names = async (token: string) =>
        (await stack.http(token).get('/donors').query({ pageSize: 100 }).expect(200)).body.items.map(
          (d: { id: string }) => d.id,
        );
      expect(await names(fx.tokens.managerA)).toEqual(expect.arrayContaining([fx.donors.d1, fx.donors.d2]));
      expect(await names(fx.tokens.donor1)).toEqual([fx.donors.d1]);
      await stack.http(fx.tokens.donor1).get(`/donors/${fx.donors.d2}`).expect(404);
    });
  });
});
