/**
 * PolicyService against a real database, without HTTP (issue 11 item 4, immich's "medium" tier): the
 * classes are built directly on a DataSource of a private database; callers sign in through AuthService
 * so their scope is the one the API would compute. Each role's allowed and forbidden paths of
 * authorizeProject, scopeProjects, authorizeScopeRequest, authorizeReport, programmeUnits and
 * authorizeImportInto, with real rows.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import {
  AuthService,
  AuthSessionRepository,
  type AuthUser,
  PolicyRepository,
  PolicyService,
  SigningSecretRepository,
  UserRepository,
} from '#libs/auth';
import { DomainException } from '#libs/common';
import { validateConfig } from '#libs/config';
import {
  buildDataSourceOptions,
  ProgrammeEntity,
  ProjectEntity,
  type Role,
  RoleAssignmentEntity,
  TransactionRunner,
  UserEntity,
} from '#libs/database';
import { sdgServiceOn } from '#libs/sdg';
import { createDonor, createOrgUnit, createSimpleProject, createTestDatabase, type TestDatabase } from '#libs/testing';

const PASSWORD = 'policy-spec-password';

/** The code of the DomainException a call throws (`not_found` out of scope, 404; `forbidden` in scope but not allowed, 403), or 'ok'. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    if (error instanceof DomainException) return error.code;
    throw error;
  }
}

describe('PolicyService on a real database', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let policy: PolicyService;
  let auth: AuthService;
  /** HQ ─ REG ─ A; HQ ─ B. */
  const unit: Record<'HQ' | 'REG' | 'A' | 'B', string> = { HQ: '', REG: '', A: '', B: '' };
  const project: Record<'pA' | 'pB', string> = { pA: '', pB: '' };
  const donor: Record<'D1' | 'D2', string> = { D1: '', D2: '' };
  let programmeId = '';
  const users: Record<string, AuthUser> = {};

  async function signIn(email: string, assignments: { role: Role; orgUnitId?: string; donorId?: string }[]) {
    const hash = await AuthService.hashPassword(PASSWORD);
    const user = await ds.getRepository(UserEntity).save({ email, displayName: email, passwordHash: hash });
    for (const a of assignments)
      await ds
        .getRepository(RoleAssignmentEntity)
        .insert({ userId: user.id, role: a.role, orgUnitId: a.orgUnitId ?? null, donorId: a.donorId ?? null });
    return auth.authenticate((await auth.login(email, PASSWORD)).accessToken);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(buildDataSourceOptions(db.url));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await sdgServiceOn(ds).load();
    const policyRepository = new PolicyRepository(ds);
    policy = new PolicyService(policyRepository);
    auth = new AuthService(
      new TransactionRunner(ds),
      new JwtService({}),
      validateConfig({ NODE_ENV: 'test', JWT_SECRET: 'p'.repeat(40) }),
      new SigningSecretRepository(ds),
      new UserRepository(ds),
      new AuthSessionRepository(ds),
    );
    unit.HQ = (await createOrgUnit(ds, 'HQ', 'hq_division')).id;
    unit.REG = (await createOrgUnit(ds, 'REG', 'regional_office', unit.HQ)).id;
    unit.A = (await createOrgUnit(ds, 'A', 'country_office', unit.REG)).id;
    unit.B = (await createOrgUnit(ds, 'B', 'country_office', unit.HQ)).id;
    donor.D1 = (await createDonor(ds, 'Donor one', 'XM-D1')).id;
    donor.D2 = (await createDonor(ds, 'Donor two', 'XM-D2')).id;
    const simple = { endTarget: '10', targets: [], actuals: [] };
    project.pA = (
      await createSimpleProject(ds, { ...simple, code: 'PA', orgUnitId: unit.A, donorIds: [donor.D1] })
    ).project.id;
    project.pB = (
      await createSimpleProject(ds, { ...simple, code: 'PB', orgUnitId: unit.B, donorIds: [donor.D1] })
    ).project.id;
    programmeId = (
      await ds.getRepository(ProgrammeEntity).save({
        code: 'PRG',
        title: 'Programme',
        scope: 'regional',
        orgUnitId: unit.REG,
        startDate: null,
        endDate: null,
      })
    ).id;
    await ds.getRepository(ProjectEntity).update({ id: project.pA }, { programmeId });
    users.admin = await signIn('admin@policy.test', [{ role: 'admin' }]);
    users.managerA = await signIn('manager-a@policy.test', [{ role: 'project_manager', orgUnitId: unit.A }]);
    users.managerB = await signIn('manager-b@policy.test', [{ role: 'project_manager', orgUnitId: unit.B }]);
    users.focalReg = await signIn('focal-reg@policy.test', [{ role: 'rbm_focal_point', orgUnitId: unit.REG }]);
    users.donor1 = await signIn('donor1@policy.test', [{ role: 'donor', donorId: donor.D1 }]);
    users.donor2 = await signIn('donor2@policy.test', [{ role: 'donor', donorId: donor.D2 }]);
    users.nobody = await signIn('nobody@policy.test', []);
  }, 120_000);

  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await db?.drop();
  });

  it('computes each caller scope from the assignments: a unit covers the units below it', () => {
    expect(users.admin.scope).toEqual({ isAdmin: true, managerUnitIds: [], focalUnitIds: [], donorIds: [] });
    expect(users.managerA.scope.managerUnitIds).toEqual([unit.A]);
    expect([...users.focalReg.scope.focalUnitIds].sort()).toEqual([unit.REG, unit.A].sort());
    expect(users.donor1.scope.donorIds).toEqual([donor.D1]);
    expect(users.donor1.roles).toEqual(['donor']);
    expect(users.nobody.scope).toEqual({ isAdmin: false, managerUnitIds: [], focalUnitIds: [], donorIds: [] });
  });

  describe('authorizeProject', () => {
    it('gives the roles each caller acts through, and 403 for an action their roles may not take', async () => {
      await expect(policy.authorizeProject(users.admin, 'project.read', project.pA)).resolves.toEqual(['admin']);
      expect(await outcome(policy.authorizeProject(users.admin, 'project.edit', project.pA))).toBe('forbidden');
      await expect(policy.authorizeProject(users.admin, 'funding.edit', project.pB)).resolves.toEqual(['admin']);

      await expect(policy.authorizeProject(users.managerA, 'project.edit', project.pA)).resolves.toEqual([
        'project_manager',
      ]);
      await expect(policy.authorizeProject(users.managerA, 'progress.enter', project.pA)).resolves.toEqual([
        'project_manager',
      ]);
      expect(await outcome(policy.authorizeProject(users.managerA, 'logframe.review', project.pA))).toBe('forbidden');
      expect(await outcome(policy.authorizeProject(users.managerA, 'progress.validate', project.pA))).toBe('forbidden');

      await expect(policy.authorizeProject(users.focalReg, 'logframe.review', project.pA)).resolves.toEqual([
        'rbm_focal_point',
      ]);
      await expect(policy.authorizeProject(users.focalReg, 'progress.validate', project.pA)).resolves.toEqual([
        'rbm_focal_point',
      ]);
      expect(await outcome(policy.authorizeProject(users.focalReg, 'project.edit', project.pA))).toBe('forbidden');

      await expect(policy.authorizeProject(users.donor1, 'project.read', project.pA)).resolves.toEqual(['donor']);
      await expect(policy.authorizeProject(users.donor1, 'iati.export', project.pB)).resolves.toEqual(['donor']);
      expect(await outcome(policy.authorizeProject(users.donor1, 'report.request', project.pA))).toBe('forbidden');
      expect(await outcome(policy.authorizeProject(users.donor1, 'iati.preview', project.pA))).toBe('forbidden');
    });

    it('answers 404 for a project outside the caller scope, or that does not exist', async () => {
      expect(await outcome(policy.authorizeProject(users.managerA, 'project.read', project.pB))).toBe('not_found');
      expect(await outcome(policy.authorizeProject(users.managerB, 'project.read', project.pA))).toBe('not_found');
      expect(await outcome(policy.authorizeProject(users.focalReg, 'project.read', project.pB))).toBe('not_found');
      expect(await outcome(policy.authorizeProject(users.donor2, 'project.read', project.pA))).toBe('not_found');
      expect(await outcome(policy.authorizeProject(users.nobody, 'project.read', project.pA))).toBe('not_found');
      const missing = '00000000-0000-4000-8000-000000000000';
      expect(await outcome(policy.authorizeProject(users.admin, 'project.read', missing))).toBe('not_found');
    });

    it('runs inside the caller transaction when handed its manager', async () => {
      const roles = await new TransactionRunner(ds).run((manager) =>
        policy.authorizeProject(users.managerB, 'project.edit', project.pB, manager),
      );
      expect(roles).toEqual(['project_manager']);
    });
  });

  describe('scopeProjects', () => {
    const visible = async (user: AuthUser) =>
      (await policy.scopeProjects(ds.getRepository(ProjectEntity).createQueryBuilder('p'), user).getMany())
        .map((p) => p.code)
        .sort();

    it('filters a project query in SQL to the caller scope', async () => {
      expect(await visible(users.admin)).toEqual(['PA', 'PB']);
      expect(await visible(users.managerA)).toEqual(['PA']);
      expect(await visible(users.managerB)).toEqual(['PB']);
      expect(await visible(users.focalReg)).toEqual(['PA']);
      expect(await visible(users.donor1)).toEqual(['PA', 'PB']);
      expect(await visible(users.donor2)).toEqual([]);
      expect(await visible(users.nobody)).toEqual([]);
    });
  });

  describe('authorizeScopeRequest (multi-project reports)', () => {
    const request = (user: AuthUser, scopeType: 'donor' | 'programme' | 'org_unit' | 'sdg_target', id: string) =>
      policy.authorizeScopeRequest(user, scopeType, id);

    it('lets admins request any existing scope, unrestricted', async () => {
      await expect(request(users.admin, 'donor', donor.D1)).resolves.toEqual({ restrictedToUnitIds: [] });
      await expect(request(users.admin, 'programme', programmeId)).resolves.toEqual({ restrictedToUnitIds: [] });
      await expect(request(users.admin, 'org_unit', unit.B)).resolves.toEqual({ restrictedToUnitIds: [] });
      await expect(request(users.admin, 'sdg_target', '16.4')).resolves.toEqual({ restrictedToUnitIds: [] });
      expect(await outcome(request(users.admin, 'sdg_target', '99.9'))).toBe('not_found');
      expect(await outcome(request(users.admin, 'donor', '00000000-0000-4000-8000-000000000000'))).toBe('not_found');
    });

    it('restricts staff to their org units when the scope reaches beyond them', async () => {
      // D1 funds PA (unit A) and PB (unit B): manager A reaches it but does not cover it.
      await expect(request(users.managerA, 'donor', donor.D1)).resolves.toEqual({ restrictedToUnitIds: [unit.A] });
      await expect(request(users.focalReg, 'donor', donor.D1)).resolves.toEqual({
        restrictedToUnitIds: [unit.REG],
      });
      // The programme holds PA only (placed at REG): the focal point at REG covers it.
      await expect(request(users.focalReg, 'programme', programmeId)).resolves.toEqual({ restrictedToUnitIds: [] });
      await expect(request(users.managerA, 'programme', programmeId)).resolves.toEqual({ restrictedToUnitIds: [] });
      await expect(request(users.focalReg, 'org_unit', unit.A)).resolves.toEqual({ restrictedToUnitIds: [] });
    });

    it('answers 404 for a scope out of reach and 403 for SDG targets to non-admins', async () => {
      expect(await outcome(request(users.managerB, 'programme', programmeId))).toBe('not_found');
      expect(await outcome(request(users.managerA, 'org_unit', unit.REG))).toBe('not_found');
      expect(await outcome(request(users.managerA, 'org_unit', unit.B))).toBe('not_found');
      expect(await outcome(request(users.donor1, 'donor', donor.D1))).toBe('not_found');
      expect(await outcome(request(users.donor2, 'donor', donor.D2))).toBe('not_found');
      expect(await outcome(request(users.focalReg, 'sdg_target', '16.4'))).toBe('forbidden');
      expect(await outcome(request(users.managerA, 'sdg_target', '99.9'))).toBe('not_found');
    });
  });

  describe('authorizeReport', () => {
    const report = (scopeType: 'project' | 'donor' | 'org_unit', scopeId: string, internal = false) => ({
      scopeType,
      scopeId,
      internal,
      restrictedToUnitIds: [] as string[],
    });

    it('lets donors read non-internal reports of funded projects and their donor reports only', async () => {
      expect(await outcome(policy.authorizeReport(users.donor1, report('project', project.pA)))).toBe('ok');
      expect(await outcome(policy.authorizeReport(users.donor1, report('project', project.pA, true)))).toBe(
        'not_found',
      );
      expect(await outcome(policy.authorizeReport(users.donor1, report('donor', donor.D1)))).toBe('ok');
      expect(await outcome(policy.authorizeReport(users.donor1, report('donor', donor.D1, true)))).toBe('not_found');
      expect(await outcome(policy.authorizeReport(users.donor2, report('project', project.pA)))).toBe('not_found');
    });

    it('lets staff read reports of projects and scopes they cover, and nothing else', async () => {
      expect(await outcome(policy.authorizeReport(users.managerA, report('project', project.pA, true)))).toBe('ok');
      expect(await outcome(policy.authorizeReport(users.managerA, report('project', project.pB)))).toBe('not_found');
      expect(await outcome(policy.authorizeReport(users.managerA, report('donor', donor.D1)))).toBe('not_found');
      expect(
        await outcome(
          policy.authorizeReport(users.managerA, { ...report('donor', donor.D1), restrictedToUnitIds: [unit.A] }),
        ),
      ).toBe('ok');
      expect(await outcome(policy.authorizeReport(users.focalReg, report('org_unit', unit.A)))).toBe('ok');
      expect(await outcome(policy.authorizeReport(users.focalReg, report('org_unit', unit.B)))).toBe('not_found');
      expect(await outcome(policy.authorizeReport(users.admin, report('org_unit', unit.B, true)))).toBe('ok');
    });
  });

  describe('programmeUnits', () => {
    it('gives the units staff cover and every unit above them; null for admins, none for donors', async () => {
      await expect(policy.programmeUnits(users.admin)).resolves.toBeNull();
      await expect(policy.programmeUnits(users.managerA)).resolves.toEqual([unit.HQ, unit.REG, unit.A].sort());
      await expect(policy.programmeUnits(users.managerB)).resolves.toEqual([unit.HQ, unit.B].sort());
      await expect(policy.programmeUnits(users.donor1)).resolves.toEqual([]);
    });
  });

  describe('visibleOrgUnitIds', () => {
    it('gives every unit to admins (null), the covered units to staff and none to donors', () => {
      expect(policy.visibleOrgUnitIds(users.admin)).toBeNull();
      expect(policy.visibleOrgUnitIds(users.managerA)).toEqual([unit.A]);
      expect([...policy.visibleOrgUnitIds(users.focalReg)!].sort()).toEqual([unit.REG, unit.A].sort());
      expect(policy.visibleOrgUnitIds(users.donor1)).toEqual([]);
    });
  });

  describe('authorizeImportInto', () => {
    it('lets managers import into an office they manage and admins anywhere', async () => {
      await expect(policy.authorizeImportInto(users.managerA, 'A')).resolves.toMatchObject({ id: unit.A, code: 'A' });
      await expect(policy.authorizeImportInto(users.admin, 'B')).resolves.toMatchObject({ id: unit.B });
    });

    it('answers 404 for an office out of scope or unknown, 403 for a focal point of the office', async () => {
      expect(await outcome(policy.authorizeImportInto(users.managerA, 'B'))).toBe('not_found');
      expect(await outcome(policy.authorizeImportInto(users.managerA, 'REG'))).toBe('not_found');
      expect(await outcome(policy.authorizeImportInto(users.admin, 'NOPE'))).toBe('not_found');
      expect(await outcome(policy.authorizeImportInto(users.focalReg, 'A'))).toBe('forbidden');
      expect(await outcome(policy.authorizeImportInto(users.donor1, 'A'))).toBe('not_found');
    });
  });
});
