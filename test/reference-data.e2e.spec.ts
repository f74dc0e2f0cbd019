import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditEventEntity, IndicatorEntity, ProjectEntity, UserEntity } from '#libs/database';
import { buildScopeFixture, type Persona, type ScopeFixture } from './support/scope-fixture.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

type Body = Record<string, unknown>;
const codes = (body: { items: { code: string }[] }) => body.items.map((i) => i.code);
const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path).sort();

/**
 * Reference data through HTTP with the scope fixture (offices A and B under REG; PA in A funded by D1,
 * PB in B funded by D2): programmes, donors, funding agreements and the standard indicator library.
 */
describe('reference data: programmes, donors, funding agreements, standard indicators', () => {
  let stack: TestStack;
  let fx: ScopeFixture;
  /** Project manager of B and RBM focal point of A: reaches A, but may not manage there (403). */
  let mixedToken: string;
  const as = (persona: Persona | 'mixed') =>
    stack.http(persona === 'anonymous' ? null : persona === 'mixed' ? mixedToken : fx.tokens[persona]);
  const userId = async (persona: Exclude<Persona, 'anonymous'>) =>
    (await stack.dataSource.getRepository(UserEntity).findOneByOrFail({ email: fx.emails[persona] })).id;
  const audits = (action: string, entityId: string) =>
    stack.dataSource.getRepository(AuditEventEntity).find({ where: { action, entityId }, order: { id: 'ASC' } });

  beforeAll(async () => {
    stack = await startTestStack();
    fx = await buildScopeFixture(stack);
    mixedToken = await stack.userToken('mixed@test.rbm', [
      { role: 'project_manager', orgUnitId: fx.units.b },
      { role: 'rbm_focal_point', orgUnitId: fx.units.a },
    ]);
  });
  afterAll(async () => stack?.close());

  describe('programmes', () => {
    const ids: Record<string, string> = {};
    const create = (persona: Persona | 'mixed', body: Body) => as(persona).post('/programmes').send(body);

    beforeAll(async () => {
      const rows: [string, string, 'global' | 'regional' | 'country', string, string, string][] = [
        ['G-A1', 'Justice reform in A', 'country', fx.units.a, '2026-01-01', '2027-12-31'],
        ['G-A2', 'Border management', 'country', fx.units.a, '2025-06-01', '2028-06-30'],
        ['G-B1', 'Prison reform', 'country', fx.units.b, '2024-01-01', '2026-12-31'],
        ['G-HQ', 'Drug research', 'global', fx.units.hq, '2023-01-01', '2030-12-31'],
        ['G-REG', 'Regional anti-trafficking', 'regional', fx.units.reg, '2026-03-01', '2029-12-31'],
        ['G-SPARE', 'Cybercrime', 'global', fx.units.spare, '2022-07-01', '2026-06-30'],
      ];
      for (const [code, title, scope, orgUnitId, startDate, endDate] of rows) {
        const res = await create('admin', { code, title, scope, orgUnitId, startDate, endDate }).expect(201);
        ids[code] = res.body.id;
      }
      // G-REG holds PA (office A, funded by D1); G-SPARE holds PB (office B, funded by D2).
      await stack.dataSource.getRepository(ProjectEntity).update({ id: fx.projects.pa }, { programmeId: ids['G-REG'] });
      await stack.dataSource
        .getRepository(ProjectEntity)
        .update({ id: fx.projects.pb }, { programmeId: ids['G-SPARE'] });
    });

    it('lists a page with the total, sorted by code, title or start date either way', async () => {
      const first = await as('admin').get('/programmes').expect(200);
      expect(first.body).toMatchObject({ total: 6, page: 1, pageSize: 50 });
      expect(codes(first.body)).toEqual(['G-A1', 'G-A2', 'G-B1', 'G-HQ', 'G-REG', 'G-SPARE']);
      expect(first.body.items[0]).toEqual({
        id: ids['G-A1'],
        code: 'G-A1',
        title: 'Justice reform in A',
        scope: 'country',
        orgUnitId: fx.units.a,
        startDate: '2026-01-01',
        endDate: '2027-12-31',
        version: 1,
      });

      const second = await as('admin').get('/programmes').query({ page: 2, pageSize: 2 }).expect(200);
      expect(second.body).toMatchObject({ total: 6, page: 2, pageSize: 2 });
      expect(codes(second.body)).toEqual(['G-B1', 'G-HQ']);
      expect(
        codes((await as('admin').get('/programmes').query({ sort: '-code', pageSize: 2 }).expect(200)).body),
      ).toEqual(['G-SPARE', 'G-REG']);
      expect(codes((await as('admin').get('/programmes').query({ sort: 'startDate' }).expect(200)).body)).toEqual([
        'G-SPARE',
        'G-HQ',
        'G-B1',
        'G-A2',
        'G-A1',
        'G-REG',
      ]);
      expect(codes((await as('admin').get('/programmes').query({ sort: '-startDate' }).expect(200)).body)).toEqual([
        'G-REG',
        'G-A1',
        'G-A2',
        'G-B1',
        'G-HQ',
        'G-SPARE',
      ]);
      expect(codes((await as('admin').get('/programmes').query({ sort: 'title' }).expect(200)).body)).toEqual([
        'G-A2',
        'G-SPARE',
        'G-HQ',
        'G-A1',
        'G-B1',
        'G-REG',
      ]);
      const beyond = await as('admin').get('/programmes').query({ page: 9 }).expect(200);
      expect(beyond.body).toEqual({ items: [], total: 6, page: 9, pageSize: 50 });
    });

    it('filters by words in code or title (case-insensitive, % taken literally) and by org unit', async () => {
      expect(codes((await as('admin').get('/programmes').query({ q: 'REFORM' }).expect(200)).body)).toEqual([
        'G-A1',
        'G-B1',
      ]);
      expect(codes((await as('admin').get('/programmes').query({ q: 'g-a' }).expect(200)).body)).toEqual([
        'G-A1',
        'G-A2',
      ]);
      expect((await as('admin').get('/programmes').query({ q: '%' }).expect(200)).body.total).toBe(0);
      expect(
        codes((await as('admin').get('/programmes').query({ orgUnitId: fx.units.a, sort: '-code' }).expect(200)).body),
      ).toEqual(['G-A2', 'G-A1']);
      expect((await as('managerB').get('/programmes').query({ orgUnitId: fx.units.a }).expect(200)).body).toEqual({
        items: [],
        total: 0,
        page: 1,
        pageSize: 50,
      });
    });

    it('shows staff the programmes of their units, the units above them and the global ones; donors those holding a project they fund', async () => {
      const seen = async (persona: Persona) => codes((await as(persona).get('/programmes').expect(200)).body);
      // managerA: A, then REG and HQ above it; G-HQ and G-SPARE are global. Never B's G-B1.
      expect(await seen('managerA')).toEqual(['G-A1', 'G-A2', 'G-HQ', 'G-REG', 'G-SPARE']);
      expect(await seen('managerB')).toEqual(['G-B1', 'G-HQ', 'G-REG', 'G-SPARE']);
      expect(await seen('focalRegional')).toEqual(['G-A1', 'G-A2', 'G-B1', 'G-HQ', 'G-REG', 'G-SPARE']);
      expect(await seen('donor1')).toEqual(['G-REG']);
      expect(await seen('donor2')).toEqual(['G-SPARE']);
      expect((await as('managerA').get('/programmes').query({ pageSize: 1 }).expect(200)).body.total).toBe(5);

      await as('managerA').get(`/programmes/${ids['G-REG']}`).expect(200);
      await as('donor1').get(`/programmes/${ids['G-REG']}`).expect(200);
      for (const [persona, code] of [
        ['managerA', 'G-B1'],
        ['managerB', 'G-A1'],
        ['donor1', 'G-A1'],
        ['donor2', 'G-REG'],
        ['managerB', 'G-A2'],
      ] as const) {
        const res = await as(persona).get(`/programmes/${ids[code]}`).expect(404);
        expect(res.body).toMatchObject({ statusCode: 404, message: 'Programme not found' });
      }
      await as('admin').get('/programmes/00000000-0000-4000-8000-000000000000').expect(404);
      const bad = await as('admin').get('/programmes/not-a-uuid').expect(400);
      expect(bad.body.errors).toEqual([{ path: 'id', code: 'isUUID', params: {}, message: 'must be a UUID' }]);
      await as('anonymous').get('/programmes').expect(401);
    });

    it('refuses bad list queries with 400 naming the field', async () => {
      const sort = await as('admin').get('/programmes').query({ sort: 'version' }).expect(400);
      expect(sort.body.errors).toEqual([
        {
          path: 'sort',
          code: 'isIn',
          params: { values: 'code, title, startDate' },
          message: 'sort must be one of: code, title, startDate (prefix - for descending)',
        },
      ]);
      expect(paths((await as('admin').get('/programmes').query({ pageSize: 501 }).expect(400)).body)).toEqual([
        'pageSize',
      ]);
      expect(paths((await as('admin').get('/programmes').query({ page: 'two' }).expect(400)).body)).toEqual(['page']);
      expect(paths((await as('admin').get('/programmes').query({ orgUnitId: 'A' }).expect(400)).body)).toEqual([
        'orgUnitId',
      ]);
      expect((await as('admin').get('/programmes').query({ q: 'a\u0000b' }).expect(400)).body.message).toMatch(
        /NUL byte/,
      );
    });

    it("lets admins and the office's managers create, with an audit event", async () => {
      const res = await create('managerA', {
        code: 'NEW-A',
        title: '  New programme of A  ',
        scope: 'country',
        orgUnitId: fx.units.a,
        startDate: '2026-01-01',
        endDate: '2026-01-01',
      }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        code: 'NEW-A',
        title: 'New programme of A',
        scope: 'country',
        orgUnitId: fx.units.a,
        startDate: '2026-01-01',
        endDate: '2026-01-01',
        version: 1,
      });
      const [event] = await audits('programme.create', res.body.id);
      expect(event).toMatchObject({ actorId: await userId('managerA'), entityType: 'programme', before: null });
      expect(event.after).toEqual({
        code: 'NEW-A',
        title: 'New programme of A',
        scope: 'country',
        orgUnitId: fx.units.a,
        startDate: '2026-01-01',
        endDate: '2026-01-01',
      });
      await as('managerA').get(`/programmes/${res.body.id}`).expect(200);
      await as('managerB').get(`/programmes/${res.body.id}`).expect(404);
      await create('admin', {
        code: 'NEW.SPARE_1',
        title: 'Admin anywhere',
        scope: 'global',
        orgUnitId: fx.units.spare,
        startDate: '2026-01-01',
        endDate: '2030-12-31',
      }).expect(201);
    });

    it("answers 404 for an org unit outside the caller's scope and 403 where the caller only reviews or has no such role", async () => {
      const body = (orgUnitId: string, code: string) => ({
        code,
        title: 'Refused',
        scope: 'country',
        orgUnitId,
        startDate: '2026-01-01',
        endDate: '2026-12-31',
      });
      for (const [persona, unit] of [
        ['managerA', fx.units.b],
        ['managerA', fx.units.reg],
        ['admin', '00000000-0000-4000-8000-000000000000'],
      ] as const) {
        const res = await create(persona, body(unit, 'REFUSED')).expect(404);
        expect(res.body).toMatchObject({
          message: 'Org unit not found',
          errors: [
            {
              path: 'orgUnitId',
              code: 'not_found',
              params: { entity: 'org unit' },
              message: 'no org unit with this id in your scope',
            },
          ],
        });
      }
      expect((await create('mixed', body(fx.units.a, 'REFUSED')).expect(403)).body.message).toMatch(
        /project manager of this org unit/,
      );
      await create('mixed', body(fx.units.b, 'MIXED-B')).expect(201);
      await create('focalRegional', body(fx.units.a, 'REFUSED')).expect(403);
      await create('donor1', body(fx.units.a, 'REFUSED')).expect(403);
      await create('anonymous', body(fx.units.a, 'REFUSED')).expect(401);
      // Only the mixed user's programme in B (titled "Refused" too) was created.
      expect(codes((await as('admin').get('/programmes').query({ q: 'REFUSED' }).expect(200)).body)).toEqual([
        'MIXED-B',
      ]);
    });

    it('answers 409 naming the code when it is taken, ignoring case', async () => {
      const res = await create('admin', {
        code: 'g-a1',
        title: 'Copy',
        scope: 'country',
        orgUnitId: fx.units.a,
        startDate: '2026-01-01',
        endDate: '2026-12-31',
      }).expect(409);
      expect(res.body).toMatchObject({
        statusCode: 409,
        message: "Programme code 'g-a1' is already used (by 'G-A1')",
        errors: [{ path: 'code', code: 'already_used', params: {}, message: 'is already used' }],
      });
    });

    it('refuses bad input with 400 and the path of every bad field', async () => {
      const res = await create('admin', {
        code: 'bad code!',
        title: '   ',
        scope: 'national',
        orgUnitId: 'office-a',
        startDate: '2026-02-30',
        endDate: '26-12-31',
        budget: 5,
      }).expect(400);
      expect(paths(res.body)).toEqual(['budget', 'code', 'endDate', 'orgUnitId', 'scope', 'startDate', 'title']);
      const messages = Object.fromEntries(
        (res.body.errors as { path: string; message: string }[]).map((e) => [e.path, e.message]),
      );
      expect(messages).toEqual({
        budget: "field 'budget' is not allowed here",
        code: 'code must be 1–32 letters, digits, ., _ or -',
        endDate: 'endDate must be a calendar date YYYY-MM-DD (years 1900–2199)',
        orgUnitId: 'orgUnitId must be a UUID',
        scope: 'scope must be one of: global, regional, country',
        startDate: 'startDate must be a calendar date YYYY-MM-DD (years 1900–2199)',
        title: 'title must not be blank',
      });
      expect(paths((await create('admin', {}).expect(400)).body)).toEqual([
        'code',
        'endDate',
        'orgUnitId',
        'scope',
        'startDate',
        'title',
      ]);
      expect(
        paths(
          (
            await create('admin', {
              code: 'X'.repeat(33),
              title: 'T'.repeat(501),
              scope: 'global',
              orgUnitId: fx.units.a,
              startDate: '2026-01-01',
              endDate: '2026-12-31',
            }).expect(400)
          ).body,
        ),
      ).toEqual(['code', 'title']);
      const order = await create('admin', {
        code: 'ORDER',
        title: 'Ends before it starts',
        scope: 'global',
        orgUnitId: fx.units.a,
        startDate: '2026-07-01',
        endDate: '2026-06-30',
      }).expect(400);
      expect(order.body.errors).toEqual([
        {
          path: 'endDate',
          code: 'date_order',
          params: { start: '2026-07-01' },
          message: 'endDate must be on or after startDate (2026-07-01)',
        },
      ]);
      // 29 February exists in 2028, not in 2027.
      await create('admin', {
        code: 'LEAP',
        title: 'Leap day',
        scope: 'global',
        orgUnitId: fx.units.a,
        startDate: '2028-02-29',
        endDate: '2028-12-31',
      }).expect(201);
      expect(
        paths(
          (
            await create('admin', {
              code: 'NOLEAP',
              title: 'No leap day',
              scope: 'global',
              orgUnitId: fx.units.a,
              startDate: '2027-02-29',
              endDate: '2028-12-31',
            }).expect(400)
          ).body,
        ),
      ).toEqual(['startDate']);
    });

    it('updates with the version read: 409 when stale, before/after in the audit trail', async () => {
      const id = ids['G-A1'];
      const res = await as('managerA')
        .patch(`/programmes/${id}`)
        .send({ version: 1, title: 'Justice reform in office A', endDate: '2028-12-31' })
        .expect(200);
      expect(res.body).toMatchObject({
        id,
        code: 'G-A1',
        title: 'Justice reform in office A',
        endDate: '2028-12-31',
        version: 2,
      });
      const stale = await as('managerA')
        .patch(`/programmes/${id}`)
        .send({ version: 1, title: 'Lost update' })
        .expect(409);
      expect(stale.body.message).toBe(
        'Programme was changed by someone else (version 2, yours 1); reload and try again',
      );
      expect(stale.body.errors).toEqual([
        {
          path: 'version',
          code: 'stale_version',
          params: { current: 2, yours: 1 },
          message: 'is stale (current version 2)',
        },
      ]);
      const [event] = await audits('programme.update', id);
      expect(event.actorId).toBe(await userId('managerA'));
      expect(event.before).toMatchObject({ title: 'Justice reform in A', endDate: '2027-12-31' });
      expect(event.after).toMatchObject({ title: 'Justice reform in office A', endDate: '2028-12-31' });
      // Nothing changed: same version, no new audit event.
      expect(
        (
          await as('managerA')
            .patch(`/programmes/${id}`)
            .send({ version: 2, title: 'Justice reform in office A' })
            .expect(200)
        ).body.version,
      ).toBe(2);
      expect(await audits('programme.update', id)).toHaveLength(1);
    });

    it('checks the merged dates, the code and the rights on both units when moving a programme', async () => {
      const id = ids['G-A2'];
      const order = await as('managerA')
        .patch(`/programmes/${id}`)
        .send({ version: 1, endDate: '2025-01-01' })
        .expect(400);
      expect(order.body.errors).toEqual([
        {
          path: 'endDate',
          code: 'date_order',
          params: { start: '2025-06-01' },
          message: 'endDate must be on or after startDate (2025-06-01)',
        },
      ]);
      expect(
        (await as('managerA').patch(`/programmes/${id}`).send({ version: 1, code: 'G-B1' }).expect(409)).body.errors,
      ).toEqual([{ path: 'code', code: 'already_used', params: {}, message: 'is already used' }]);
      expect(
        (await as('managerA').patch(`/programmes/${id}`).send({ version: 1, orgUnitId: fx.units.b }).expect(404)).body
          .errors[0].path,
      ).toBe('orgUnitId');
      await as('managerB').patch(`/programmes/${id}`).send({ version: 1, title: 'Not mine' }).expect(404);
      await as('mixed').patch(`/programmes/${id}`).send({ version: 1, title: 'Only reviewing' }).expect(403);
      await as('focalRegional').patch(`/programmes/${id}`).send({ version: 1, title: 'Only reviewing' }).expect(403);
      expect(
        paths((await as('managerA').patch(`/programmes/${id}`).send({ version: '1', title: null }).expect(400)).body),
      ).toEqual(['title', 'version']);
      expect(
        paths((await as('managerA').patch(`/programmes/${id}`).send({ title: 'No version' }).expect(400)).body),
      ).toEqual(['version']);
      const moved = await as('admin')
        .patch(`/programmes/${id}`)
        .send({ version: 1, orgUnitId: fx.units.b, scope: 'regional' })
        .expect(200);
      expect(moved.body).toMatchObject({ orgUnitId: fx.units.b, scope: 'regional', version: 2 });
      await as('managerA').get(`/programmes/${id}`).expect(404);
      await as('managerB').get(`/programmes/${id}`).expect(200);
    });
  });

  describe('donors', () => {
    let fcdo: string;

    it('lets admins create donors, the IATI identifier optional and unique (409 naming it)', async () => {
      const res = await as('admin')
        .post('/donors')
        .send({ name: 'Foreign, Commonwealth & Development Office', iatiOrgRef: 'GB-GOV-1' })
        .expect(201);
      fcdo = res.body.id;
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Foreign, Commonwealth & Development Office',
        iatiOrgRef: 'GB-GOV-1',
        version: 1,
      });
      expect((await audits('donor.create', fcdo))[0]).toMatchObject({
        actorId: await userId('admin'),
        entityType: 'donor',
        after: { name: 'Foreign, Commonwealth & Development Office', iatiOrgRef: 'GB-GOV-1' },
      });
      const dup = await as('admin')
        .post('/donors')
        .send({ name: 'Copy of donor one', iatiOrgRef: 'XM-DONOR-1' })
        .expect(409);
      expect(dup.body).toMatchObject({
        message: "A donor with IATI organisation identifier 'XM-DONOR-1' already exists",
        errors: [
          {
            path: 'iatiOrgRef',
            code: 'already_used',
            params: { value: 'XM-DONOR-1' },
            message: "'XM-DONOR-1' is already used by another donor",
          },
        ],
      });
      // Without an identifier, names may repeat (no IATI reference to clash on).
      await as('admin').post('/donors').send({ name: 'Private foundation' }).expect(201);
      await as('admin').post('/donors').send({ name: 'Private foundation', iatiOrgRef: null }).expect(201);
      await as('managerA').post('/donors').send({ name: 'Not an admin' }).expect(403);
      await as('donor1').post('/donors').send({ name: 'Not an admin' }).expect(403);
      const bad = await as('admin').post('/donors').send({ name: ' ', iatiOrgRef: 'GB GOV 1' }).expect(400);
      expect(paths(bad.body)).toEqual(['iatiOrgRef', 'name']);
    });

    it('shows admins and staff every donor (reference data), donors their own organisation', async () => {
      const names = async (persona: Persona, query: Body = {}) =>
        (await as(persona).get('/donors').query(query).expect(200)).body.items.map((d: { name: string }) => d.name);
      expect(await names('admin')).toEqual([
        'Donor One',
        'Donor Two',
        'Foreign, Commonwealth & Development Office',
        'Private foundation',
        'Private foundation',
      ]);
      expect(await names('donor1')).toEqual(['Donor One']);
      expect(await names('donor2')).toEqual(['Donor Two']);
      for (const staff of ['managerA', 'managerB', 'focalRegional'] as const)
        expect(await names(staff)).toEqual(await names('admin'));
      expect(await names('admin', { q: 'donor', sort: '-name' })).toEqual(['Donor Two', 'Donor One']);
      expect(await names('admin', { q: 'gb-gov' })).toEqual(['Foreign, Commonwealth & Development Office']);
      const page = await as('admin').get('/donors').query({ sort: 'iatiOrgRef', pageSize: 2, page: 2 }).expect(200);
      expect(page.body).toMatchObject({ total: 5, page: 2, pageSize: 2 });
      expect(page.body.items.map((d: { iatiOrgRef: string | null }) => d.iatiOrgRef)).toEqual(['XM-DONOR-2', null]);
      expect((await as('admin').get('/donors').query({ sort: 'country' }).expect(400)).body.errors[0]).toEqual({
        path: 'sort',
        code: 'isIn',
        params: { values: 'name, iatiOrgRef' },
        message: 'sort must be one of: name, iatiOrgRef (prefix - for descending)',
      });

      await as('donor1').get(`/donors/${fx.donors.d1}`).expect(200);
      await as('donor1').get(`/donors/${fx.donors.d2}`).expect(404);
      await as('managerA').get(`/donors/${fx.donors.d2}`).expect(200);
      await as('focalRegional').get(`/donors/${fcdo}`).expect(200);
      expect((await as('admin').get(`/donors/${fcdo}`).expect(200)).body.iatiOrgRef).toBe('GB-GOV-1');
    });

    it('updates with the version read, refuses a taken identifier and clears it with null', async () => {
      const renamed = await as('admin').patch(`/donors/${fcdo}`).send({ version: 1, name: 'FCDO' }).expect(200);
      expect(renamed.body).toEqual({ id: fcdo, name: 'FCDO', iatiOrgRef: 'GB-GOV-1', version: 2 });
      await as('admin').patch(`/donors/${fcdo}`).send({ version: 1, name: 'Lost update' }).expect(409);
      expect(
        (await as('admin').patch(`/donors/${fcdo}`).send({ version: 2, iatiOrgRef: 'XM-DONOR-2' }).expect(409)).body
          .errors[0].path,
      ).toBe('iatiOrgRef');
      const cleared = await as('admin').patch(`/donors/${fcdo}`).send({ version: 2, iatiOrgRef: null }).expect(200);
      expect(cleared.body).toMatchObject({ iatiOrgRef: null, version: 3 });
      const events = await audits('donor.update', fcdo);
      expect(events.map((e) => [e.before, e.after])).toEqual([
        [
          { name: 'Foreign, Commonwealth & Development Office', iatiOrgRef: 'GB-GOV-1' },
          { name: 'FCDO', iatiOrgRef: 'GB-GOV-1' },
        ],
        [
          { name: 'FCDO', iatiOrgRef: 'GB-GOV-1' },
          { name: 'FCDO', iatiOrgRef: null },
        ],
      ]);
      await as('managerA').patch(`/donors/${fcdo}`).send({ version: 3, name: 'Not an admin' }).expect(403);
      await as('admin')
        .patch('/donors/00000000-0000-4000-8000-000000000000')
        .send({ version: 1, name: 'Nobody' })
        .expect(404);
      expect(
        paths((await as('admin').patch(`/donors/${fcdo}`).send({ version: 3, name: null }).expect(400)).body),
      ).toEqual(['name']);
    });
  });

  describe('funding agreements', () => {
    const pa = () => `/projects/${fx.projects.pa}/funding-agreements`;
    let d2OnPa: string;
    const newDonor = async (name: string) =>
      (await as('admin').post('/donors').send({ name }).expect(201)).body.id as string;
    const agreement = (donorId: string, amount: unknown, extra: Body = {}) => ({
      donorId,
      amount,
      currency: 'EUR',
      startDate: '2026-01-01',
      endDate: '2027-12-31',
      ...extra,
    });

    it("lists the project's agreements to whoever reads the project", async () => {
      const res = await as('managerA').get(pa()).expect(200);
      expect(res.body).toEqual([
        {
          id: expect.any(String),
          projectId: fx.projects.pa,
          donorId: fx.donors.d1,
          donorName: 'Donor One',
          amount: null,
          currency: null,
          startDate: null,
          endDate: null,
          version: 1,
        },
      ]);
      for (const persona of ['admin', 'focalRegional', 'donor1'] as const) await as(persona).get(pa()).expect(200);
      for (const persona of ['managerB', 'donor2'] as const) await as(persona).get(pa()).expect(404);
    });

    it('adds an agreement with the amount stored and returned exactly (1234567.89 stays 1234567.89)', async () => {
      const res = await as('managerA').post(pa()).send(agreement(fx.donors.d2, 1234567.89)).expect(201);
      d2OnPa = res.body.id;
      expect(res.text).toContain('"amount":1234567.89,');
      expect(res.body).toEqual({
        id: d2OnPa,
        projectId: fx.projects.pa,
        donorId: fx.donors.d2,
        donorName: 'Donor Two',
        amount: 1234567.89,
        currency: 'EUR',
        startDate: '2026-01-01',
        endDate: '2027-12-31',
        version: 1,
      });
      const [row] = await stack.dataSource.query(`SELECT amount::text AS amount FROM funding_agreement WHERE id = $1`, [
        d2OnPa,
      ]);
      expect(row.amount).toBe('1234567.89');
      const [event] = await audits('funding_agreement.create', d2OnPa);
      expect(event).toMatchObject({
        projectId: fx.projects.pa,
        actorId: await userId('managerA'),
        after: {
          donorId: fx.donors.d2,
          amount: '1234567.89',
          currency: 'EUR',
          startDate: '2026-01-01',
          endDate: '2027-12-31',
        },
      });

      // Amounts that binary floats cannot add exactly keep their decimal form (up to 15 significant
      // digits: the API's one number rule; 999999999999999.9 has 16 and is refused below).
      for (const amount of [0.1, 0, 98765432109.1234, 999999999999999]) {
        const donorId = await newDonor(`Co-funder ${amount}`);
        const created = await as('admin').post(pa()).send(agreement(donorId, amount)).expect(201);
        expect(created.body.amount).toBe(amount);
        const [stored] = await stack.dataSource.query(
          `SELECT amount::text AS amount FROM funding_agreement WHERE id = $1`,
          [created.body.id],
        );
        expect(stored.amount).toBe(String(amount));
      }
      const listed = await as('managerA').get(pa()).expect(200);
      expect(listed.body.find((a: { id: string }) => a.id === d2OnPa).amount).toBe(1234567.89);
    });

    it('discloses co-funders: a donor that now funds the project sees every agreement on it', async () => {
      const seen = await as('donor2').get(pa()).expect(200);
      expect(seen.body.map((a: { donorName: string }) => a.donorName)).toEqual(
        expect.arrayContaining(['Donor One', 'Donor Two']),
      );
      expect((await as('donor1').get(pa()).expect(200)).body).toHaveLength(seen.body.length);
    });

    it('allows one agreement per donor and project (409), and 404 naming donorId for an unknown donor', async () => {
      const dup = await as('admin').post(pa()).send(agreement(fx.donors.d1, 10)).expect(409);
      expect(dup.body).toMatchObject({
        message: "Donor 'Donor One' already has a funding agreement on this project; change that one instead",
        errors: [{ path: 'donorId', code: 'already_used', params: {}, message: 'already funds this project' }],
      });
      const unknown = await as('admin')
        .post(pa())
        .send(agreement('00000000-0000-4000-8000-000000000000', 10))
        .expect(404);
      expect(unknown.body).toMatchObject({ message: 'Donor not found', errors: [{ path: 'donorId' }] });
    });

    it('refuses bad input with 400 and field paths: amounts must be JSON numbers ≥ 0, currencies ISO 4217', async () => {
      const donorId = await newDonor('Validation donor');
      const one = async (body: Body, path: string, message?: string) => {
        const res = await as('admin').post(pa()).send(body).expect(400);
        expect(paths(res.body)).toEqual([path]);
        if (message) expect(res.body.errors[0].message).toBe(message);
      };
      const amountMessage = 'amount must be a JSON number from 0 to less than 10^15 with at most 4 decimal places';
      await one(agreement(donorId, '12.50'), 'amount', amountMessage);
      await one(agreement(donorId, -0.01), 'amount', amountMessage);
      await one(agreement(donorId, 1.23456), 'amount', amountMessage);
      await one(agreement(donorId, 1e-7), 'amount', amountMessage);
      await one(agreement(donorId, 1e15), 'amount', amountMessage);
      await one(agreement(donorId, 999999999999999.9), 'amount', amountMessage);
      await one(agreement(donorId, null), 'amount', amountMessage);
      await one(
        agreement(donorId, 10, { currency: 'eur' }),
        'currency',
        'currency must be an ISO 4217 code (three capital letters, e.g. USD)',
      );
      await one(agreement(donorId, 10, { currency: 'EURO' }), 'currency');
      await one(agreement(donorId, 10, { startDate: '2026-1-1' }), 'startDate');
      await one(
        agreement(donorId, 10, { endDate: '2025-12-31' }),
        'endDate',
        'endDate must be on or after startDate (2026-01-01)',
      );
      await one(agreement('D1', 10), 'donorId', 'donorId must be a UUID');
      await one({ ...agreement(donorId, 10), projectId: fx.projects.pb }, 'projectId');
      expect(paths((await as('admin').post(pa()).send({}).expect(400)).body)).toEqual([
        'amount',
        'currency',
        'donorId',
        'endDate',
        'startDate',
      ]);
      await as('admin').post(`/projects/not-a-uuid/funding-agreements`).send(agreement(donorId, 10)).expect(400);
    });

    it("lets only admins and the project's managers change funding", async () => {
      const donorId = await newDonor('Rights donor');
      await as('managerB').post(pa()).send(agreement(donorId, 10)).expect(404);
      expect((await as('mixed').post(pa()).send(agreement(donorId, 10)).expect(403)).body.message).toBe(
        'As rbm_focal_point here you may not change the funding of this project',
      );
      await as('focalRegional').post(pa()).send(agreement(donorId, 10)).expect(403);
      await as('donor1').post(pa()).send(agreement(donorId, 10)).expect(403);
      await as('admin')
        .post('/projects/00000000-0000-4000-8000-000000000000/funding-agreements')
        .send(agreement(donorId, 10))
        .expect(404);
    });

    it('updates amount, currency and dates with the version read (409 when stale), audited with the project', async () => {
      const res = await as('managerA')
        .patch(`${pa()}/${d2OnPa}`)
        .send({ version: 1, amount: 2000000.5, currency: 'USD' })
        .expect(200);
      expect(res.body).toMatchObject({
        id: d2OnPa,
        amount: 2000000.5,
        currency: 'USD',
        startDate: '2026-01-01',
        version: 2,
      });
      await as('managerA').patch(`${pa()}/${d2OnPa}`).send({ version: 1, amount: 1 }).expect(409);
      const [event] = await audits('funding_agreement.update', d2OnPa);
      expect(event).toMatchObject({
        projectId: fx.projects.pa,
        before: { amount: '1234567.89', currency: 'EUR' },
        after: { amount: '2000000.5', currency: 'USD' },
      });
      expect(
        paths(
          (await as('managerA').patch(`${pa()}/${d2OnPa}`).send({ version: 2, endDate: '2025-01-01' }).expect(400))
            .body,
        ),
      ).toEqual(['endDate']);
      expect(
        paths(
          (await as('managerA').patch(`${pa()}/${d2OnPa}`).send({ version: 2, donorId: fx.donors.d1 }).expect(400))
            .body,
        ),
      ).toEqual(['donorId']);
      expect(
        paths((await as('managerA').patch(`${pa()}/${d2OnPa}`).send({ version: 2, amount: null }).expect(400)).body),
      ).toEqual(['amount']);
      // The imported-style agreement of D1 has no currency: an amount needs one.
      const d1 = (await as('admin').get(pa()).expect(200)).body.find(
        (a: { donorId: string }) => a.donorId === fx.donors.d1,
      );
      expect(
        (await as('admin').patch(`${pa()}/${d1.id}`).send({ version: d1.version, amount: 5 }).expect(400)).body.errors,
      ).toEqual([
        {
          path: 'currency',
          code: 'required',
          params: { with: 'amount' },
          message: 'currency is required with an amount',
        },
      ]);
      // An agreement is addressed under its own project only.
      await as('admin')
        .patch(`/projects/${fx.projects.pb}/funding-agreements/${d2OnPa}`)
        .send({ version: 2, amount: 1 })
        .expect(404);
      await as('managerB').patch(`${pa()}/${d2OnPa}`).send({ version: 2, amount: 1 }).expect(404);
      await as('donor2').patch(`${pa()}/${d2OnPa}`).send({ version: 2, amount: 1 }).expect(403);
    });

    it('removes an agreement: audited, and the donor stops reaching the project', async () => {
      await as('focalRegional').delete(`${pa()}/${d2OnPa}`).expect(403);
      await as('managerA').delete(`${pa()}/${d2OnPa}`).expect(204);
      expect((await as('managerA').get(pa()).expect(200)).body.map((a: { id: string }) => a.id)).not.toContain(d2OnPa);
      await as('donor2').get(pa()).expect(404);
      const [event] = await audits('funding_agreement.delete', d2OnPa);
      expect(event).toMatchObject({
        projectId: fx.projects.pa,
        actorId: await userId('managerA'),
        before: { donorId: fx.donors.d2, amount: '2000000.5', currency: 'USD' },
        after: null,
      });
      await as('managerA').delete(`${pa()}/${d2OnPa}`).expect(404);
    });
  });

  describe('standard indicators', () => {
    const ids: Record<string, string> = {};
    const create = (persona: Persona, body: Body) => as(persona).post('/standard-indicators').send(body);

    it('lets admins add indicators to the library, audited', async () => {
      const rows: Body[] = [
        {
          code: 'SI-1',
          title: 'People trained',
          definition: 'Practitioners who completed a course',
          measure: 'number',
          unit: 'people',
        },
        {
          code: 'SI-2',
          title: 'Cases closed',
          definition: 'Cases closed over cases opened',
          measure: 'percentage',
          unit: '%',
        },
        { code: 'SI-3', title: 'Institutional capacity', definition: 'Capacity on a 1–5 scale', measure: 'ordinal' },
        {
          code: 'SI-4',
          title: 'Policy adopted',
          definition: 'A national policy is adopted',
          measure: 'qualitative',
          unit: null,
        },
      ];
      for (const row of rows) ids[row.code as string] = (await create('admin', row).expect(201)).body.id;
      const one = await as('donor1').get(`/standard-indicators/${ids['SI-1']}`).expect(200);
      expect(one.body).toEqual({
        id: ids['SI-1'],
        code: 'SI-1',
        title: 'People trained',
        definition: 'Practitioners who completed a course',
        measure: 'number',
        unit: 'people',
        isActive: true,
        version: 1,
      });
      expect((await audits('standard_indicator.create', ids['SI-3']))[0]).toMatchObject({
        actorId: await userId('admin'),
        after: { code: 'SI-3', measure: 'ordinal', unit: null, isActive: true },
      });
      await create('managerA', { code: 'SI-9', title: 'Not admin', definition: 'x', measure: 'qualitative' }).expect(
        403,
      );
      await as('admin').get('/standard-indicators/00000000-0000-4000-8000-000000000000').expect(404);
    });

    it('refuses bad input: enum errors list the allowed values, unit required for quantitative measures, codes unique', async () => {
      const measure = await create('admin', {
        code: 'SI-X',
        title: 'Count',
        definition: 'x',
        measure: 'count',
        unit: 'people',
      }).expect(400);
      expect(measure.body.errors).toEqual([
        {
          path: 'measure',
          code: 'isIn',
          params: { values: 'number, percentage, ordinal, qualitative' },
          message: 'measure must be one of: number, percentage, ordinal, qualitative',
        },
      ]);
      const unit = await create('admin', { code: 'SI-X', title: 'Count', definition: 'x', measure: 'number' }).expect(
        400,
      );
      expect(unit.body.errors).toEqual([
        {
          path: 'unit',
          code: 'required',
          params: { measure: 'number' },
          message: 'unit is required for number indicators (e.g. people, %)',
        },
      ]);
      expect(
        paths((await create('admin', { code: 'SI X', title: '', measure: 'number', unit: 5 }).expect(400)).body),
      ).toEqual(['code', 'definition', 'title', 'unit']);
      const dup = await create('admin', {
        code: 'si-1',
        title: 'Copy',
        definition: 'x',
        measure: 'number',
        unit: 'people',
      }).expect(409);
      expect(dup.body).toMatchObject({
        message: "Standard indicator code 'si-1' is already used (by 'SI-1')",
        errors: [{ path: 'code', code: 'already_used', params: {}, message: 'is already used' }],
      });
    });

    it('pages, sorts and filters the library for every signed-in caller', async () => {
      const list = async (query: Body, persona: Persona = 'managerB') =>
        (await as(persona).get('/standard-indicators').query(query).expect(200)).body;
      expect(codes(await list({}))).toEqual(['SI-1', 'SI-2', 'SI-3', 'SI-4']);
      expect(await list({ sort: '-code', pageSize: 3, page: 1 }, 'donor2')).toMatchObject({
        total: 4,
        page: 1,
        pageSize: 3,
        items: [{ code: 'SI-4' }, { code: 'SI-3' }, { code: 'SI-2' }],
      });
      expect(codes(await list({ sort: 'title' }))).toEqual(['SI-2', 'SI-3', 'SI-1', 'SI-4']);
      expect(codes(await list({ sort: '-measure' }))).toEqual(['SI-4', 'SI-3', 'SI-2', 'SI-1']);
      expect(codes(await list({ measure: 'percentage' }))).toEqual(['SI-2']);
      expect(codes(await list({ q: 'CASES' }))).toEqual(['SI-2']);
      expect(codes(await list({ isActive: 'true' }))).toEqual(['SI-1', 'SI-2', 'SI-3', 'SI-4']);
      expect((await list({ isActive: 'false' })).total).toBe(0);
      const bad = await as('admin')
        .get('/standard-indicators')
        .query({ measure: 'count', isActive: 'yes' })
        .expect(400);
      expect(bad.body.errors).toEqual([
        {
          path: 'measure',
          code: 'isIn',
          params: { values: 'number, percentage, ordinal, qualitative' },
          message: 'measure must be one of: number, percentage, ordinal, qualitative',
        },
        { path: 'isActive', code: 'isBoolean', params: {}, message: 'isActive must be true or false' },
      ]);
      expect(
        (await as('admin').get('/standard-indicators').query({ sort: 'unit' }).expect(400)).body.errors[0].path,
      ).toBe('sort');
      await as('anonymous').get('/standard-indicators').expect(401);
    });

    it('updates and deactivates with the version read (409 when stale), audited', async () => {
      const id = ids['SI-4'];
      const res = await as('admin')
        .patch(`/standard-indicators/${id}`)
        .send({ version: 1, isActive: false, definition: 'A national policy is formally adopted' })
        .expect(200);
      expect(res.body).toMatchObject({
        isActive: false,
        definition: 'A national policy is formally adopted',
        version: 2,
      });
      await as('admin').patch(`/standard-indicators/${id}`).send({ version: 1, isActive: true }).expect(409);
      expect(
        codes((await as('managerA').get('/standard-indicators').query({ isActive: false }).expect(200)).body),
      ).toEqual(['SI-4']);
      expect(
        codes((await as('managerA').get('/standard-indicators').query({ isActive: true }).expect(200)).body),
      ).toEqual(['SI-1', 'SI-2', 'SI-3']);
      const [event] = await audits('standard_indicator.update', id);
      expect(event).toMatchObject({
        before: { isActive: true, definition: 'A national policy is adopted' },
        after: { isActive: false, definition: 'A national policy is formally adopted' },
      });
      await as('managerA').patch(`/standard-indicators/${id}`).send({ version: 2, isActive: true }).expect(403);
      // Turning an ordinal indicator into a number needs a unit.
      expect(
        (
          await as('admin')
            .patch(`/standard-indicators/${ids['SI-3']}`)
            .send({ version: 1, measure: 'number' })
            .expect(400)
        ).body.errors[0].path,
      ).toBe('unit');
      expect(
        paths(
          (await as('admin').patch(`/standard-indicators/${id}`).send({ version: 2, isActive: 'no' }).expect(400)).body,
        ),
      ).toEqual(['isActive']);
    });

    it('fixes measure and unit once a project indicator maps to the standard indicator (422)', async () => {
      const id = ids['SI-1'];
      await stack.dataSource.getRepository(IndicatorEntity).update({ code: 'OP1.1.1' }, { standardIndicatorId: id });
      const res = await as('admin')
        .patch(`/standard-indicators/${id}`)
        .send({ version: 1, measure: 'percentage', unit: '%' })
        .expect(422);
      expect(paths(res.body)).toEqual(['measure', 'unit']);
      expect(res.body.message).toMatch(/deactivate it and add a new one/);
      const renamed = await as('admin')
        .patch(`/standard-indicators/${id}`)
        .send({ version: 1, title: 'People trained (criminal justice)', isActive: false })
        .expect(200);
      expect(renamed.body).toMatchObject({ measure: 'number', unit: 'people', isActive: false, version: 2 });
    });
  });

  it('never answers 500 to text the database cannot store', async () => {
    for (const path of ['/programmes', '/donors', '/standard-indicators'])
      await as('admin').get(path).query({ q: '\u0000' }).expect(400);
    const res = await as('admin').post('/donors').send({ name: 'Nul\u0000donor' }).expect(400);
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|INSERT|at \w+ \(/);
  });
});
