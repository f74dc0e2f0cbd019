/**
 * The repositories of libs/auth, libs/sdg and libs/iati's import against a real database, without HTTP
 * (issue 11 item 4, immich's "medium" tier): each built directly on a DataSource of a private
 * database, run alone and inside a TransactionRunner transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import {
  AuditLogRepository,
  AuthSessionRepository,
  OrgUnitAdminRepository,
  PolicyRepository,
  PolicyService,
  UserRepository,
  UsersService,
} from '#libs/auth';
import { DomainException } from '#libs/common';
import { AuditEventEntity, buildDataSourceOptions, TransactionRunner } from '#libs/database';
import { IATI_IMPORT_LOCK_BUCKETS, IATI_IMPORT_LOCK_SPACE, IatiImportRepository } from '#libs/iati';
import { SdgRepository, sdgServiceOn } from '#libs/sdg';
import { createDonor, createOrgUnit, createSimpleProject, createTestDatabase, type TestDatabase } from '#libs/testing';

describe('auth, SDG and IATI import repositories on a real database', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let tx: TransactionRunner;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(buildDataSourceOptions(db.url));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    tx = new TransactionRunner(ds);
  }, 120_000);

  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await db?.drop();
  });

  describe('UserRepository', () => {
    it('saves, finds and upserts users by email; holds and saves assignments', async () => {
      const users = new UserRepository(ds);
      const unit = await createOrgUnit(ds, 'UR-1', 'country_office');
      const saved = await users.save({ email: 'ur@test.rbm', displayName: 'UR', passwordHash: 'h1', isActive: true });
      expect(await users.emailTaken('ur@test.rbm')).toBe(true);
      expect(await users.emailTaken('other@test.rbm')).toBe(false);
      expect((await users.findByEmail('ur@test.rbm'))?.id).toBe(saved.id);
      const again = await users.upsertByEmail({
        email: 'ur@test.rbm',
        displayName: 'ignored on update',
        passwordHash: 'h2',
        isActive: false,
      });
      expect(again).toMatchObject({ id: saved.id, displayName: 'UR', passwordHash: 'h2', isActive: false });
      const scope = { role: 'project_manager' as const, orgUnitId: unit.id, donorId: null };
      expect(await users.holds(saved.id, scope)).toBe(false);
      await tx.run((m) => users.saveAssignment(saved.id, scope, m));
      expect(await users.holds(saved.id, scope)).toBe(true);
      expect(await users.holds(saved.id, { ...scope, role: 'rbm_focal_point' })).toBe(false);
      expect((await users.assignments(saved.id)).map((a) => a.role)).toEqual(['project_manager']);
      const donor = await createDonor(ds, 'UR donor', 'XM-UR');
      expect(await users.donorExists(donor.id)).toBe(true);
      expect((await users.ensureDonor({ name: 'renamed?', iatiOrgRef: 'XM-UR' })).name).toBe('UR donor');
    });

    it('counts the other active admins, and UsersService refuses to remove the last one', async () => {
      const users = new UserRepository(ds);
      const service = new UsersService(
        tx,
        users,
        new OrgUnitAdminRepository(ds),
        new AuthSessionRepository(ds),
        new AuditLogRepository(ds),
        new PolicyService(new PolicyRepository(ds)),
      );
      const admin = await service.create(
        { email: 'only-admin@test.rbm', displayName: 'A', password: 'x'.repeat(12) },
        null,
      );
      const withRole = await service.assign(admin.id, { role: 'admin' }, null);
      expect(await users.lockOtherActiveAdmins(admin.id)).toBe(0);
      let error: unknown;
      try {
        await service.unassign(admin.id, withRole.assignments[0].id, null);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainException);
      expect((error as DomainException).code).toBe('conflict');
      expect((error as DomainException).reason).toBe('LAST_ADMIN');
      expect(await users.isAdmin(admin.id)).toBe(true);
      const audit = await ds.getRepository(AuditEventEntity).findBy({ entityId: admin.id, action: 'user.create' });
      expect(audit).toHaveLength(1);
    });
  });

  describe('OrgUnitAdminRepository', () => {
    it('compares codes case-insensitively, detects cycles and ensures a unit once', async () => {
      const units = new OrgUnitAdminRepository(ds);
      const top = await createOrgUnit(ds, 'OU-TOP', 'hq_division');
      const mid = await createOrgUnit(ds, 'OU-MID', 'regional_office', top.id);
      const low = await createOrgUnit(ds, 'OU-LOW', 'country_office', mid.id);
      expect(await units.codeTaken('ou-top')).toBe(true);
      expect(await units.codeTaken('OU-NONE')).toBe(false);
      expect(await units.isSelfOrBelow(top.id, low.id)).toBe(true);
      expect(await units.isSelfOrBelow(top.id, top.id)).toBe(true);
      expect(await units.isSelfOrBelow(low.id, top.id)).toBe(false);
      const first = await units.ensure({
        code: 'OU-NEW',
        name: 'New',
        type: 'hq_division',
        parentId: null,
        countryCodes: [],
      });
      const second = await units.ensure({
        code: 'OU-NEW',
        name: 'Other',
        type: 'country_office',
        parentId: top.id,
        countryCodes: [],
      });
      expect(second).toMatchObject({ id: first.id, name: 'New', type: 'hq_division', parentId: null });
      expect((await tx.run((m) => units.lockById(mid.id, m)))?.parentId).toBe(top.id);
    });
  });

  describe('AuthSessionRepository', () => {
    it('locks live sessions only, rotates, revokes, and finds the caller of a live session', async () => {
      const users = new UserRepository(ds);
      const sessions = new AuthSessionRepository(ds);
      const user = await users.save({ email: 'sess@test.rbm', displayName: 'Sess', passwordHash: 'h', isActive: true });
      const expiresAt = new Date(Date.now() + 3_600_000);
      const stampBeforeLogin = await sessions.authStamp();
      const session = await sessions.create({
        userId: user.id,
        refreshTokenSha256: 'a'.repeat(64),
        generation: 0,
        expiresAt,
        revokedAt: null,
        lastUsedAt: null,
      });
      // A new session (a login) cannot narrow any kept caller: the auth stamp stays.
      const stampAfterLogin = await sessions.authStamp();
      expect(stampAfterLogin).toBe(stampBeforeLogin);
      expect(stampAfterLogin).toMatch(/^\d+$/);
      const caller = await sessions.liveCaller(session.id, user.id);
      expect(caller).toEqual({
        id: user.id,
        email: 'sess@test.rbm',
        displayName: 'Sess',
        language: 'en',
        // No role assignment yet (coverage of assignments: policy-service.spec.ts, through authenticate).
        assignments: [],
        sessionExpiresAt: expect.any(Number),
        authStamp: stampAfterLogin,
      });
      // The read's start plus the lifetime PostgreSQL's clock left: in the future, never past expires_at.
      expect(caller!.sessionExpiresAt).toBeLessThanOrEqual(expiresAt.getTime());
      expect(caller!.sessionExpiresAt).toBeGreaterThan(Date.now());
      const locked = await tx.run((m) => sessions.lockLive(session.id, m));
      expect(locked?.generation).toBe(0);
      // A rotation moves the expiry later: a caller kept with the earlier expiry is only read again sooner.
      await sessions.rotate(session.id, {
        generation: 1,
        refreshTokenSha256: 'b'.repeat(64),
        expiresAt: new Date(expiresAt.getTime() + 60_000),
        lastUsedAt: new Date(),
      });
      expect(await sessions.authStamp()).toBe(stampAfterLogin);
      expect((await tx.run((m) => sessions.lockLive(session.id, m)))?.generation).toBe(1);
      await sessions.revokeByRefreshTokenSha256('b'.repeat(64));
      const stampAfterRevoke = await sessions.authStamp();
      expect(BigInt(stampAfterRevoke)).toBeGreaterThan(BigInt(stampAfterLogin));
      expect(await tx.run((m) => sessions.lockLive(session.id, m))).toBeNull();
      expect(await sessions.liveCaller(session.id, user.id)).toBeNull();
    });

    it('revokes every live session of a user', async () => {
      const users = new UserRepository(ds);
      const sessions = new AuthSessionRepository(ds);
      const user = await users.save({ email: 'sess2@test.rbm', displayName: 'S2', passwordHash: 'h', isActive: true });
      const make = (hash: string) =>
        sessions.create({
          userId: user.id,
          refreshTokenSha256: hash,
          generation: 0,
          expiresAt: new Date(Date.now() + 3_600_000),
          revokedAt: null,
          lastUsedAt: null,
        });
      const [one, two] = [await make('c'.repeat(64)), await make('d'.repeat(64))];
      await sessions.revokeAllOfUser(user.id);
      expect(await sessions.liveCaller(one.id, user.id)).toBeNull();
      expect(await sessions.liveCaller(two.id, user.id)).toBeNull();
    });
  });

  describe('SdgRepository', () => {
    it('loads the framework idempotently and finds by code and by words', async () => {
      const first = await sdgServiceOn(ds).load();
      const sdg = new SdgRepository(ds);
      expect(await sdg.counts()).toEqual(first);
      expect(first).toEqual({ goals: 17, targets: 169, indicatorCodes: 251, distinctIndicators: 235 });
      const goals = await sdg.goalsWithTargetCounts();
      expect(goals[15]).toEqual({ code: '16', title: expect.any(String), targetCount: 12 });
      const byCode = await sdg.findByCode('16.4', '16.4%', 50);
      expect(byCode.goals).toEqual([]);
      expect(byCode.targets.map((t) => t.code)).toEqual(['16.4']);
      expect(byCode.indicators.map((i) => i.code)).toEqual(['16.4.1', '16.4.2']);
      expect(Object.keys(byCode.indicators[0])).toEqual([
        'code',
        'targetCode',
        'title',
        'unsdCode',
        'primaryCode',
        'position',
      ]);
      expect(byCode.indicators[0]).toMatchObject({
        code: '16.4.1',
        targetCode: '16.4',
        primaryCode: '16.4.1',
        position: 1,
      });
      const byWords = await sdg.findByWords(['%illicit%', '%arms%'], 50);
      expect(byWords.targets.map((t) => t.code)).toContain('16.4');
      expect(await sdg.existingTargetCodes(['16.4', '99.9'])).toEqual(new Set(['16.4']));
      expect(await sdg.existingIndicatorCodes(['1.5.1', '11.5.1', '0.0.0'])).toEqual(new Set(['1.5.1', '11.5.1']));
      expect((await sdg.listingsOf('1.5.1')).map((i) => i.code)).toEqual(['1.5.1', '11.5.1', '13.1.1']);
      expect(await sdg.allTargetCodes()).toHaveLength(169);
    });
  });

  describe('IatiImportRepository', () => {
    it('locks the identifiers of a file in one statement: one advisory lock per bucket, released at commit', async () => {
      const imports = new IatiImportRepository(ds);
      const mine = `SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
      const none = { donorRefs: [], orgUnitCodes: [] };
      const held = await tx.run(async (m) => {
        await imports.lockImportKeys({ identifiers: ['XM-1', 'XM-2', 'XM-1'], ...none }, m);
        const few = (await m.query(mine, [IATI_IMPORT_LOCK_SPACE]))[0].n;
        // A file of 20,000 activities still takes at most one lock per bucket (the shared lock table is small).
        await imports.lockImportKeys(
          { identifiers: Array.from({ length: 20000 }, (_, i) => `XM-BIG-${i}`), ...none },
          m,
        );
        return [few, (await m.query(mine, [IATI_IMPORT_LOCK_SPACE]))[0].n];
      });
      expect(held).toEqual([2, IATI_IMPORT_LOCK_BUCKETS]);
      expect((await ds.query(mine, [IATI_IMPORT_LOCK_SPACE]))[0].n).toBe(0);
    });

    it('locks the donors and org units a file would create with its identifiers, in one statement; not the existing ones', async () => {
      const imports = new IatiImportRepository(ds);
      await createDonor(ds, 'Lock donor', 'XM-LOCK-OLD');
      await createOrgUnit(ds, 'XM-LOCK-OU-OLD', 'hq_division');
      const bucketsOf = async (keys: string[]): Promise<number[]> =>
        (
          await ds.query(
            'SELECT array_agg(DISTINCT hashtext(k) & ($2 - 1) ORDER BY hashtext(k) & ($2 - 1)) AS b FROM unnest($1::text[]) AS k',
            [keys, IATI_IMPORT_LOCK_BUCKETS],
          )
        )[0].b;
      const locked = await tx.run(async (m) => {
        await imports.lockImportKeys(
          {
            identifiers: ['XM-LOCK-1'],
            donorRefs: ['XM-LOCK-NEW', 'XM-LOCK-OLD'],
            orgUnitCodes: ['XM-LOCK-OU-OLD', 'XM-LOCK-OU-NEW'],
          },
          m,
        );
        return (
          await m.query(
            `SELECT array_agg(objid::int ORDER BY objid) AS b FROM pg_locks
              WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2 AND pid = pg_backend_pid()`,
            [IATI_IMPORT_LOCK_SPACE],
          )
        )[0].b;
      });
      // The identifier as it is; a new donor and a new org unit under their kind; the existing two not at all.
      expect(locked).toEqual(await bucketsOf(['XM-LOCK-1', 'donor:XM-LOCK-NEW', 'org_unit:XM-LOCK-OU-NEW']));
      expect(locked).toHaveLength(3);
    });

    it('reads a revision content and rolls back to a savepoint without ending the transaction', async () => {
      const imports = new IatiImportRepository(ds);
      const { project, revision, indicator } = await createSimpleProject(ds, {
        code: 'IMP-1',
        endTarget: '10',
        targets: [{ start: '2026-01-01', end: '2026-03-31', value: '2' }],
        actuals: [{ start: '2026-01-01', end: '2026-03-31', value: '1' }],
      });
      const content = await imports.revisionContent(revision.id);
      expect(content.outcomes.map((o) => o.code)).toEqual(['OC1']);
      expect(content.outputs.map((o) => o.code)).toEqual(['OP1.1']);
      expect(content.indicators.map((i) => i.id)).toEqual([indicator.id]);
      expect(content.periodTargets.map((t) => t.value)).toEqual(['2']);
      expect(content.actuals.map((a) => a.value)).toEqual(['1']);
      expect((await imports.latestRevision(project.id))?.id).toBe(revision.id);

      const donorsAfter = await tx.run(async (m) => {
        const { donor: kept, created } = await imports.ensureDonor({ iatiOrgRef: 'XM-KEPT', name: 'Kept' }, m);
        // Asked again: the same donor, not created (no unique violation).
        const again = await imports.ensureDonor({ iatiOrgRef: 'XM-KEPT', name: 'Other name' }, m);
        expect([created, again.created, again.donor.id, again.donor.name]).toEqual([true, false, kept.id, 'Kept']);
        await imports.savepoint('spec_point', m);
        await imports.ensureDonor({ iatiOrgRef: 'XM-UNDONE', name: 'Undone' }, m);
        await imports.rollbackToSavepoint('spec_point', m);
        await imports.linkFunder(project.id, kept.id, m);
        await imports.linkFunder(project.id, kept.id, m);
        return [await imports.donorByRef('XM-KEPT', m), await imports.donorByRef('XM-UNDONE', m)];
      });
      expect(donorsAfter[0]?.name).toBe('Kept');
      expect(donorsAfter[1]).toBeNull();
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM funding_agreement WHERE project_id = $1`, [
        project.id,
      ]);
      expect(n).toBe(1);
    });
  });
});
