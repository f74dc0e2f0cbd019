import type { DataSource } from 'typeorm';
import { type Role, TransactionRunner } from '#libs/database';
import { AuthService } from './auth.service.js';
import { OrgUnitAdminRepository } from './org-unit-admin.repository.js';
import { UserRepository } from './user.repository.js';

/** The password of every demo user unless DEMO_PASSWORD says otherwise (documented in the README). */
export const DEFAULT_DEMO_PASSWORD = 'rbm-demo-2026';

/** Org units of the demo: HQ with one programme office below it. */
export const DEMO_ORG_UNITS = [
  { code: 'HQ', name: 'Headquarters, Division for Policy Analysis', type: 'hq_division' as const, parent: null },
  {
    code: 'GDI-PO',
    name: 'Global Disability Innovation programme office',
    type: 'programme_office' as const,
    parent: 'HQ',
  },
];

/** Demo users: one per role. The focal point sits at HQ and so covers the programme office below it. */
export const DEMO_USERS: { email: string; displayName: string; role: Role; orgUnit?: string; donorRef?: string }[] = [
  { email: 'admin@demo.rbm', displayName: 'Demo Admin', role: 'admin' },
  { email: 'manager@demo.rbm', displayName: 'Demo Project Manager', role: 'project_manager', orgUnit: 'GDI-PO' },
  { email: 'focal@demo.rbm', displayName: 'Demo RBM Focal Point', role: 'rbm_focal_point', orgUnit: 'HQ' },
  { email: 'donor@demo.rbm', displayName: 'Demo Donor (FCDO)', role: 'donor', donorRef: 'GB-GOV-3' },
];

/**
 * Creates the demo org units, the FCDO donor (GB-GOV-3) and one user per role, idempotently
 * (existing rows are kept; passwords are reset to `password`). Refuses in production unless `force`.
 * @throws Error when NODE_ENV is production and `force` is not set
 */
export async function seedDemoUsers(
  dataSource: DataSource,
  options: { password?: string; nodeEnv: string; force?: boolean },
): Promise<{ email: string; role: Role }[]> {
  if (options.nodeEnv === 'production' && !options.force)
    throw new Error('Demo users are never created in production unless asked (--force)');
  const password = options.password ?? DEFAULT_DEMO_PASSWORD;
  const hash = await AuthService.hashPassword(password);
  const users = new UserRepository(dataSource);
  const orgUnits = new OrgUnitAdminRepository(dataSource);
  return new TransactionRunner(dataSource).run(async (m) => {
    const units = new Map<string, string>();
    for (const unit of DEMO_ORG_UNITS) {
      const parentId = unit.parent ? units.get(unit.parent)! : null;
      const row = await orgUnits.ensure(
        { code: unit.code, name: unit.name, type: unit.type, parentId, countryCodes: [] },
        m,
      );
      units.set(unit.code, row.id);
    }
    const donor = await users.ensureDonor(
      { name: 'Foreign, Commonwealth and Development Office (FCDO)', iatiOrgRef: 'GB-GOV-3' },
      m,
    );
    for (const demo of DEMO_USERS) {
      const user = await users.upsertByEmail(
        { email: demo.email, displayName: demo.displayName, passwordHash: hash, isActive: true },
        m,
      );
      const scope = {
        role: demo.role,
        orgUnitId: demo.orgUnit ? units.get(demo.orgUnit)! : null,
        donorId: demo.donorRef ? donor.id : null,
      };
      if (!(await users.holds(user.id, scope, m))) await users.saveAssignment(user.id, scope, m);
    }
    return DEMO_USERS.map((u) => ({ email: u.email, role: u.role }));
  });
}
