import { ReportBuilderService, ReportRequestService } from '#libs/reporting';
import { createDonor, createOrgUnit, createSimpleProject } from '#libs/testing';
import type { TestStack } from './test-stack.js';

/** Who calls: anonymous and one persona per role and scope. */
export const PERSONAS = ['anonymous', 'admin', 'managerA', 'managerB', 'focalRegional', 'donor1', 'donor2'] as const;
export type Persona = (typeof PERSONAS)[number];

/**
 * Two offices under one region, two donors, one project per office:
 *   HQ ─ REG ─┬─ A: project PA, funded by donor D1   (managerA; donor1)
 *             └─ B: project PB, funded by donor D2   (managerB; donor2)
 *   focalRegional is the RBM focal point of REG (covers A and B). SPARE is an unused unit under HQ.
 * Each project has one completed, internal report (RA, RB) for Q3 2026.
 */
export interface ScopeFixture {
  units: { hq: string; reg: string; a: string; b: string; spare: string };
  donors: { d1: string; d2: string };
  projects: { pa: string; pb: string };
  reports: { ra: string; rb: string };
  tokens: Record<Exclude<Persona, 'anonymous'>, string>;
  emails: Record<Exclude<Persona, 'anonymous'>, string>;
}

export async function buildScopeFixture(stack: TestStack): Promise<ScopeFixture> {
  const ds = stack.dataSource;
  const hq = await createOrgUnit(ds, 'HQ', 'hq_division');
  const reg = await createOrgUnit(ds, 'REG', 'regional_office', hq.id);
  const a = await createOrgUnit(ds, 'A', 'country_office', reg.id);
  const b = await createOrgUnit(ds, 'B', 'country_office', reg.id);
  const spare = await createOrgUnit(ds, 'SPARE', 'country_office', hq.id);
  const d1 = await createDonor(ds, 'Donor One', 'XM-DONOR-1');
  const d2 = await createDonor(ds, 'Donor Two', 'XM-DONOR-2');
  const period = {
    targets: [{ start: '2026-07-01', end: '2026-09-30', value: '20' }],
    actuals: [{ start: '2026-07-01', end: '2026-09-30', value: '15' }],
    endTarget: '80',
  };
  const pa = await createSimpleProject(ds, { code: 'PA', orgUnitId: a.id, donorIds: [d1.id], ...period });
  const pb = await createSimpleProject(ds, { code: 'PB', orgUnitId: b.id, donorIds: [d2.id], ...period });
  const requests = stack.api.get(ReportRequestService);
  const builder = stack.api.get(ReportBuilderService);
  const ra = (await requests.requestProjectReport({ projectId: pa.project.id, year: 2026, quarter: 3 })).report.id;
  const rb = (await requests.requestProjectReport({ projectId: pb.project.id, year: 2026, quarter: 3 })).report.id;
  await builder.build(ra);
  await builder.build(rb);
  const emails = {
    admin: 'admin@test.rbm',
    managerA: 'manager.a@test.rbm',
    managerB: 'manager.b@test.rbm',
    focalRegional: 'focal.reg@test.rbm',
    donor1: 'donor1@test.rbm',
    donor2: 'donor2@test.rbm',
  };
  return {
    units: { hq: hq.id, reg: reg.id, a: a.id, b: b.id, spare: spare.id },
    donors: { d1: d1.id, d2: d2.id },
    projects: { pa: pa.project.id, pb: pb.project.id },
    reports: { ra, rb },
    emails,
    tokens: {
      admin: stack.adminToken,
      managerA: await stack.userToken(emails.managerA, [{ role: 'project_manager', orgUnitId: a.id }]),
      managerB: await stack.userToken(emails.managerB, [{ role: 'project_manager', orgUnitId: b.id }]),
      focalRegional: await stack.userToken(emails.focalRegional, [{ role: 'rbm_focal_point', orgUnitId: reg.id }]),
      donor1: await stack.userToken(emails.donor1, [{ role: 'donor', donorId: d1.id }]),
      donor2: await stack.userToken(emails.donor2, [{ role: 'donor', donorId: d2.id }]),
    },
  };
}
