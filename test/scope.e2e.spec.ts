import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildScopeFixture, type ScopeFixture } from './support/scope-fixture.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

// Two offices (A, B under region REG) and two donors (D1 funds PA in A, D2 funds PB in B).
describe("lists and searches return only rows in the caller's scope", () => {
  let stack: TestStack;
  let fx: ScopeFixture;
  const codes = (rows: { code: string }[]) => rows.map((r) => r.code).sort();

  beforeAll(async () => {
    stack = await startTestStack();
    fx = await buildScopeFixture(stack);
  });
  afterAll(async () => stack?.close());

  it('GET /projects: managers see their office, the regional focal point both, donors what they fund', async () => {
    const seen: Record<string, string[]> = {};
    for (const persona of ['admin', 'managerA', 'managerB', 'focalRegional', 'donor1', 'donor2'] as const) {
      const body = (await stack.http(fx.tokens[persona]).get('/projects').expect(200)).body;
      expect(body.total).toBe(body.items.length);
      seen[persona] = codes(body.items);
    }
    expect(seen).toEqual({
      admin: ['PA', 'PB'],
      managerA: ['PA'],
      managerB: ['PB'],
      focalRegional: ['PA', 'PB'],
      donor1: ['PA'],
      donor2: ['PB'],
    });
  });

  it('search does not leak: donor 1 searching for PB finds nothing, and counts match', async () => {
    expect((await stack.http(fx.tokens.donor1).get('/projects').query({ q: 'PB' }).expect(200)).body).toMatchObject({
      items: [],
      total: 0,
    });
    expect(
      codes((await stack.http(fx.tokens.donor2).get('/projects').query({ q: 'P' }).expect(200)).body.items),
    ).toEqual(['PB']);
    // Filters cannot widen the scope: donor 2 filtering on donor 1 gets nothing, and the total says 0.
    expect(
      (await stack.http(fx.tokens.donor2).get('/projects').query({ donorId: fx.donors.d1 }).expect(200)).body,
    ).toMatchObject({ items: [], total: 0 });
    expect(
      codes((await stack.http(fx.tokens.managerA).get('/projects').query({ q: 'Project' }).expect(200)).body.items),
    ).toEqual(['PA']);
    expect(
      codes(
        (await stack.http(fx.tokens.focalRegional).get('/projects').query({ orgUnitId: fx.units.b }).expect(200)).body
          .items,
      ),
    ).toEqual(['PB']);
    const sorted = (
      await stack.http(fx.tokens.admin).get('/projects').query({ orgUnitId: fx.units.reg, sort: '-code' }).expect(200)
    ).body.items as { code: string }[];
    expect(sorted.map((p) => p.code)).toEqual(['PB', 'PA']);
    const badSort = await stack.http(fx.tokens.admin).get('/projects').query({ sort: 'budget' }).expect(400);
    expect(badSort.body.errors).toEqual([
      {
        path: 'sort',
        code: 'isIn',
        params: { values: 'code, title, startDate, endDate' },
        message: 'sort must be one of: code, title, startDate, endDate (prefix - for descending)',
      },
    ]);
  });

  it('GET /reports: internal reports reach managers and focal points in scope, never donors', async () => {
    const ids = async (persona: keyof ScopeFixture['tokens'], query: Record<string, string> = {}) =>
      ((await stack.http(fx.tokens[persona]).get('/reports').query(query).expect(200)).body as { id: string }[])
        .map((r) => r.id)
        .sort();
    expect(await ids('managerA')).toEqual([fx.reports.ra]);
    expect(await ids('focalRegional')).toEqual([fx.reports.ra, fx.reports.rb].sort());
    expect(await ids('donor1')).toEqual([]);
    // A filter on another office's project gives nothing rather than an error that reveals it.
    expect(await ids('managerA', { scope: 'project', scopeId: fx.projects.pb })).toEqual([]);
  });

  it('a donor sees a report of a funded project once it is no longer internal, and only that one', async () => {
    await stack.dataSource.query(`UPDATE report SET internal = false WHERE id = $1`, [fx.reports.rb]);
    const donor2 = (await stack.http(fx.tokens.donor2).get('/reports').expect(200)).body as { id: string }[];
    expect(donor2.map((r) => r.id)).toEqual([fx.reports.rb]);
    await stack.http(fx.tokens.donor2).get(`/reports/${fx.reports.rb}`).expect(200);
    expect((await stack.http(fx.tokens.donor1).get('/reports').expect(200)).body).toEqual([]);
    await stack.http(fx.tokens.donor1).get(`/reports/${fx.reports.rb}`).expect(404);
  });

  it('GET /org-units: each caller sees the units their roles cover', async () => {
    const units = async (persona: keyof ScopeFixture['tokens']) =>
      codes((await stack.http(fx.tokens[persona]).get('/org-units').expect(200)).body);
    expect(await units('managerA')).toEqual(['A']);
    expect(await units('focalRegional')).toEqual(['A', 'B', 'REG']);
    expect(await units('donor1')).toEqual([]);
    expect(await units('admin')).toEqual(['A', 'B', 'HQ', 'REG', 'SPARE']);
  });

  it('GET /me gives roles and scope: the regional focal point covers its child offices', async () => {
    const me = (await stack.http(fx.tokens.focalRegional).get('/me').expect(200)).body;
    expect(me.roles).toEqual(['rbm_focal_point']);
    expect(me.scope.focalUnitIds.sort()).toEqual([fx.units.reg, fx.units.a, fx.units.b].sort());
    expect(me.scope).toMatchObject({ isAdmin: false, managerUnitIds: [], donorIds: [] });
    expect(JSON.stringify(me)).not.toMatch(/password/i);
  });

  it("a manager cannot import over another office's project with the same IATI identifier", async () => {
    const xml = (title: string) =>
      `<?xml version="1.0"?><iati-activities version="2.03"><iati-activity><iati-identifier>XM-TEST-SHARED-1</iati-identifier><reporting-org ref="XM-TEST"/><title><narrative>${title}</narrative></title></iati-activity></iati-activities>`;
    await stack
      .http(fx.tokens.managerB)
      .post('/imports/iati')
      .field('orgUnitCode', 'B')
      .attach('file', Buffer.from(xml('Office B project')), 'b.xml')
      .expect(201);
    const res = await stack
      .http(fx.tokens.managerA)
      .post('/imports/iati')
      .field('orgUnitCode', 'A')
      .attach('file', Buffer.from(xml('Hijacked')), 'a.xml')
      .expect(201);
    expect(res.body.projects).toEqual({ created: 0, updated: 0, unchanged: 0 });
    expect(res.body.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'project_out_of_scope', severity: 'error' })]),
    );
    const [row] = await stack.dataSource.query(`SELECT title FROM project WHERE iati_identifier = 'XM-TEST-SHARED-1'`);
    expect(row.title).toBe('Office B project');
    const missing = await stack
      .http(fx.tokens.managerA)
      .post('/imports/iati')
      .attach('file', Buffer.from(xml('x')), 'a.xml')
      .expect(400);
    expect(missing.body.errors).toEqual([
      {
        path: 'orgUnitCode',
        code: 'required',
        params: { role: 'project_manager' },
        message: 'is required for project managers',
      },
    ]);
  });
});
