import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDonor, createOrgUnit, createSimpleProject } from '#libs/testing';
import { startTestStack, type TestStack } from './support/test-stack.js';

interface AdminUser {
  id: string;
  email: string;
  version: number;
  assignments: { id: string; role: string; orgUnitId: string | null; donorId: string | null }[];
}

/**
 * GET /projects/:id/logframe reads the caller's session and assignments, and the project's reach, in
 * two folded statements, and serves approved revisions from a per-process cache of their JSON. The
 * cache never decides access: a revoked session, a deactivated user, a removed assignment, a moved
 * org unit and an ended funding agreement each take effect on the very next request, for cached
 * bodies and for 304 revalidations alike.
 */
describe('logframe read: access is checked against the database on every request, cached body or not', () => {
  let stack: TestStack;
  const units = { hq: '', reg: '', a: '', b: '' };
  const projects = { pa: '', pb: '' };
  let donorId = '';
  const url = (projectId: string) => `/projects/${projectId}/logframe?revision=approved`;
  const adminUser = async (email: string): Promise<AdminUser> =>
    ((await stack.http().get('/admin/users').expect(200)).body as AdminUser[]).find((u) => u.email === email)!;

  beforeAll(async () => {
    stack = await startTestStack();
    const ds = stack.dataSource;
    units.hq = (await createOrgUnit(ds, 'HQ', 'hq_division')).id;
    units.reg = (await createOrgUnit(ds, 'REG', 'regional_office', units.hq)).id;
    units.a = (await createOrgUnit(ds, 'A', 'country_office', units.reg)).id;
    units.b = (await createOrgUnit(ds, 'B', 'country_office', units.reg)).id;
    donorId = (await createDonor(ds, 'Donor One', 'XM-DONOR-1')).id;
    const simple = { endTarget: '80', targets: [], actuals: [] };
    projects.pa = (
      await createSimpleProject(ds, { ...simple, code: 'PA', orgUnitId: units.a, donorIds: [donorId] })
    ).project.id;
    projects.pb = (
      await createSimpleProject(ds, { ...simple, code: 'PB', orgUnitId: units.b, donorIds: [] })
    ).project.id;
    // Approved revisions, so their JSON is cached by the API process after the first read.
    await ds.query(`UPDATE logframe_revision SET status = 'approved' WHERE project_id = ANY($1::uuid[])`, [
      [projects.pa, projects.pb],
    ]);
  });
  afterAll(async () => stack?.close());

  it('a revoked session (logout) is refused on the next read: no cached body and no 304', async () => {
    const token = await stack.userToken('focal.logout@test.rbm', [{ role: 'rbm_focal_point', orgUnitId: units.reg }]);
    const first = await stack.http(token).get(url(projects.pa)).expect(200);
    const etag = first.headers.etag as string;
    expect(first.body).toMatchObject({ projectId: projects.pa, revision: { status: 'approved' } });
    await stack.http(token).get(url(projects.pa)).expect(200);
    await stack.http(token).get(url(projects.pa)).set('If-None-Match', etag).expect(304);
    await stack.http(token).post('/auth/logout').expect(204);
    const after = await stack.http(token).get(url(projects.pa)).expect(401);
    expect(after.body.message).toBe('The session has ended; sign in again');
    await stack.http(token).get(url(projects.pa)).set('If-None-Match', etag).expect(401);
  });

  it('a deactivated user is refused on the next read', async () => {
    const email = 'focal.deactivated@test.rbm';
    const token = await stack.userToken(email, [{ role: 'rbm_focal_point', orgUnitId: units.reg }]);
    await stack.http(token).get(url(projects.pa)).expect(200);
    const user = await adminUser(email);
    await stack.http().patch(`/admin/users/${user.id}`).send({ version: user.version, isActive: false }).expect(200);
    await stack.http(token).get(url(projects.pa)).expect(401);
  });

  it('a removed or narrowed role assignment takes effect on the next read', async () => {
    const email = 'focal.moved@test.rbm';
    const token = await stack.userToken(email, [{ role: 'rbm_focal_point', orgUnitId: units.reg }]);
    await stack.http(token).get(url(projects.pa)).expect(200);
    const etagB = (await stack.http(token).get(url(projects.pb)).expect(200)).headers.etag as string;
    const user = await adminUser(email);
    // Narrowed: REG (covering A and B) becomes A only.
    await stack
      .http()
      .post(`/admin/users/${user.id}/assignments`)
      .send({ role: 'rbm_focal_point', orgUnitId: units.a })
      .expect(201);
    await stack.http().delete(`/admin/users/${user.id}/assignments/${user.assignments[0].id}`).expect(200);
    await stack.http(token).get(url(projects.pa)).expect(200);
    await stack.http(token).get(url(projects.pb)).expect(404);
    await stack.http(token).get(url(projects.pb)).set('If-None-Match', etagB).expect(404);
    // Removed: no role left at all, so the route itself is closed to the caller.
    const narrowed = await adminUser(email);
    expect(narrowed.assignments.map((a) => a.orgUnitId)).toEqual([units.a]);
    await stack.http().delete(`/admin/users/${user.id}/assignments/${narrowed.assignments[0].id}`).expect(200);
    await stack.http(token).get(url(projects.pa)).expect(403);
  });

  it('moving an org unit out of the caller’s unit takes effect on the next read', async () => {
    const token = await stack.userToken('focal.reorg@test.rbm', [{ role: 'rbm_focal_point', orgUnitId: units.reg }]);
    await stack.http(token).get(url(projects.pb)).expect(200);
    const unit = ((await stack.http().get('/org-units').expect(200)).body as { id: string; version: number }[]).find(
      (u) => u.id === units.b,
    )!;
    await stack
      .http()
      .patch(`/admin/org-units/${units.b}`)
      .send({ version: unit.version, parentId: units.hq })
      .expect(200);
    await stack.http(token).get(url(projects.pb)).expect(404);
    await stack.http(token).get(url(projects.pa)).expect(200);
  });

  it('a donor whose funding agreement ends no longer reads the project', async () => {
    const token = await stack.userToken('donor.one@test.rbm', [{ role: 'donor', donorId }]);
    await stack.http(token).get(url(projects.pa)).expect(200);
    await stack.dataSource.query(`DELETE FROM funding_agreement WHERE project_id = $1 AND donor_id = $2`, [
      projects.pa,
      donorId,
    ]);
    await stack.http(token).get(url(projects.pa)).expect(404);
  });
});
