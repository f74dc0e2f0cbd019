import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AuditTrailService, ReviewCommentRepository, RevisionWorkflowService } from '#libs/approval';
import { type AuthUser, PolicyRepository, PolicyService } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import { buildDataSourceOptions, TransactionRunner, UserEntity } from '#libs/database';
import {
  AuditEventRepository,
  LogframeReader,
  LogframeRowsRepository,
  OrgUnitRepository,
  ProgrammeRepository,
  ProjectRepository,
  ProjectService,
  RevisionRepository,
} from '#libs/logframe';
import {
  createOrgUnit,
  createSimpleProject,
  createTestDatabase,
  logframeServiceOn,
  type TestDatabase,
} from '#libs/testing';

/**
 * The repositories of libs/logframe and libs/approval and the services on them, against a real
 * database without HTTP (issue 11, "medium" tier): each method's SQL, the typed mapping of its rows,
 * the transaction it runs in, and the policy check each service method starts with.
 */
describe('logframe and approval repositories and services (real database, no HTTP)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let revisions: RevisionRepository;
  let rows: LogframeRowsRepository;
  let audit: AuditEventRepository;
  let manager: AuthUser;
  let focal: AuthUser;
  let outsider: AuthUser;
  let unitId: string;

  const user = async (email: string, scope: Partial<AuthUser['scope']>): Promise<AuthUser> => {
    const row = await ds.getRepository(UserEntity).save({ email, displayName: email });
    return {
      id: row.id,
      email,
      displayName: email,
      sessionId: 's',
      roles: [],
      assignments: [],
      scope: { isAdmin: false, managerUnitIds: [], focalUnitIds: [], donorIds: [], ...scope },
    };
  };
  const rejects = async (work: Promise<unknown>, code: ErrorCode) => {
    const error = await work.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainException);
    expect((error as DomainException).reason).toBe(code);
  };
  const workflow = () =>
    new RevisionWorkflowService(
      new TransactionRunner(ds),
      new LogframeReader(ds),
      revisions,
      rows,
      new ReviewCommentRepository(ds),
      audit,
      new PolicyService(new PolicyRepository(ds)),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(buildDataSourceOptions(db.url));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    revisions = new RevisionRepository(ds);
    rows = new LogframeRowsRepository(ds);
    audit = new AuditEventRepository(ds);
    unitId = (await createOrgUnit(ds, 'KE', 'country_office')).id;
    manager = await user('manager@example.org', { managerUnitIds: [unitId] });
    focal = await user('focal@example.org', { focalUnitIds: [unitId] });
    outsider = await user('outsider@example.org', { managerUnitIds: [] });
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('RevisionRepository: locks the latest revision, records edits once per editor, and moves versions optimistically', async () => {
    const { project, revision } = await createSimpleProject(ds, {
      code: 'REV-1',
      endTarget: '10',
      targets: [],
      actuals: [],
      orgUnitId: unitId,
    });
    await new TransactionRunner(ds).run(async (m) => {
      const locked = await revisions.lockLatest(project.id, m);
      expect(locked?.id).toBe(revision.id);
      await revisions.markEdited(revision.id, manager.id, m);
      await revisions.markEdited(revision.id, manager.id, m);
    });
    const after = await revisions.byNumber(project.id, 1);
    expect(after?.version).toBe(revision.version + 2);
    expect(await revisions.editors([revision.id])).toEqual(new Map([[revision.id, [manager.id]]]));
    expect(await revisions.isEditor(revision.id, manager.id)).toBe(true);
    expect(await revisions.isEditor(revision.id, focal.id)).toBe(false);
    expect(await revisions.transition(revision.id, revision.version, 'submitted', {})).toBe(false);
    expect(await revisions.transition(revision.id, after!.version, 'submitted', { submittedById: manager.id })).toBe(
      true,
    );
    const submitted = await revisions.get(revision.id);
    expect([submitted.status, submitted.version, submitted.submittedById]).toEqual([
      'submitted',
      after!.version + 1,
      manager.id,
    ]);
  });

  it('RevisionRepository.awaitingReview: submitted revisions of the units, mapped with their editors', async () => {
    const { project, revision } = await createSimpleProject(ds, {
      code: 'REV-2',
      endTarget: '10',
      targets: [],
      actuals: [],
      orgUnitId: unitId,
    });
    await revisions.markEdited(revision.id, manager.id);
    const current = await revisions.get(revision.id);
    await revisions.transition(revision.id, current.version, 'submitted', {
      submittedById: manager.id,
      submittedAt: new Date(),
    });
    const inbox = await revisions.awaitingReview([unitId]);
    const row = inbox.find((r) => r.projectId === project.id);
    expect(row).toMatchObject({
      projectCode: 'REV-2',
      projectTitle: 'Project REV-2',
      revisionNumber: 1,
      version: current.version + 1,
      submittedBy: manager.id,
      waitingDays: 0,
      editors: [manager.id],
    });
    expect(await revisions.awaitingReview([])).toEqual([]);
  });

  it('LogframeRowsRepository: copies a revision keeping stable ids, knows element kinds, clears flags by code', async () => {
    const { project, revision, indicator } = await createSimpleProject(ds, {
      code: 'ROWS-1',
      endTarget: '10',
      targets: [{ start: '2026-01-01', end: '2026-12-31', value: '10' }],
      actuals: [],
      orgUnitId: unitId,
    });
    const opened = await revisions.insert({ projectId: project.id, number: 2, status: 'draft' });
    await rows.copyRevision(revision.id, opened.id);
    const [from, to] = await new LogframeReader(ds).loadTrees([revision.id, opened.id]);
    const stable = (t: typeof from) => t.outcomes.flatMap((o) => o.outputs.flatMap((p) => p.indicators));
    expect(stable(to).map((n) => [n.indicator.stableId, n.indicator.code, n.periodTargets.length])).toEqual(
      stable(from).map((n) => [n.indicator.stableId, n.indicator.code, n.periodTargets.length]),
    );
    expect(stable(to)[0].indicator.id).not.toBe(indicator.id);
    const kinds = await rows.elementKinds(opened.id);
    expect(kinds.get(indicator.stableId)).toBe('indicator');
    expect(kinds.get(from.outcomes[0].outcome.stableId)).toBe('outcome');
    expect(kinds.size).toBe(3);
    await ds.query(`UPDATE indicator SET flags = '["aggregation_inferred"]' WHERE revision_id = $1`, [opened.id]);
    expect(await rows.clearIndicatorFlags(opened.id, ['OP1.1.1', 'NOPE'])).toEqual(['OP1.1.1']);
    expect(await rows.clearIndicatorFlags(opened.id, ['OP1.1.1'])).toEqual([]);
  });

  it('AuditEventRepository: records in the caller transaction (rolled back with it) and lists with the actor email', async () => {
    const { project } = await createSimpleProject(ds, {
      code: 'AUD-1',
      endTarget: '10',
      targets: [],
      actuals: [],
      orgUnitId: unitId,
    });
    await expect(
      new TransactionRunner(ds).run(async (m) => {
        await audit.record(
          {
            projectId: project.id,
            actorId: manager.id,
            action: 'x.rolled',
            entityType: 'project',
            entityId: project.id,
          },
          m,
        );
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await audit.record({
      projectId: project.id,
      actorId: manager.id,
      action: 'project.update',
      entityType: 'project',
      entityId: project.id,
      after: { title: 'New' },
    });
    const events = await audit.listForProject(project.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: manager.id,
      actorEmail: 'manager@example.org',
      action: 'project.update',
      entityId: project.id,
      before: null,
      after: { title: 'New' },
    });
    expect(typeof events[0].id).toBe('number');
  });

  it('LogframeService: each change starts with the policy check; retiring is audited once', async () => {
    const logframes = logframeServiceOn(ds);
    const { project, indicator } = await createSimpleProject(ds, {
      code: 'SVC-1',
      endTarget: '10',
      targets: [],
      actuals: [],
      orgUnitId: unitId,
    });
    await rejects(logframes.retireIndicator(outsider, project.id, indicator.stableId, 'gone'), ErrorCode.NOT_FOUND);
    await rejects(logframes.retireIndicator(focal, project.id, indicator.stableId, 'gone'), ErrorCode.FORBIDDEN);
    await logframes.retireIndicator(manager, project.id, indicator.stableId, 'replaced by a better measure');
    await rejects(logframes.retireIndicator(manager, project.id, indicator.stableId, 'again'), ErrorCode.INVALID_STATE);
    const events = await new AuditTrailService(audit, new PolicyService(new PolicyRepository(ds))).list(
      manager,
      project.id,
    );
    expect(events.map((e) => [e.action, e.after])).toEqual([
      ['indicator.retire', { reason: 'replaced by a better measure' }],
    ]);
    expect(await logframes.approvedOnlyFor(focal, project.id)).toBe(false);
  });

  it('LogframeService.clearReviewFlags: audits the codes it cleared (the rows of UPDATE … RETURNING, typed)', async () => {
    const logframes = logframeServiceOn(ds);
    const { project, revision } = await createSimpleProject(ds, {
      code: 'SVC-2',
      endTarget: '10',
      targets: [],
      actuals: [],
      orgUnitId: unitId,
    });
    await ds.query(`UPDATE indicator SET flags = '["end_target_inferred"]' WHERE revision_id = $1`, [revision.id]);
    await rejects(logframes.clearReviewFlags(focal, project.id, ['OP1.1.1']), ErrorCode.FORBIDDEN);
    await logframes.clearReviewFlags(manager, project.id, ['OP1.1.1', 'OP9']);
    const events = await audit.listForProject(project.id);
    expect(events.map((e) => [e.action, e.after])).toEqual([['indicator.confirm', { confirmed: ['OP1.1.1'] }]]);
    expect(await revisions.editors([revision.id])).toEqual(new Map([[revision.id, [manager.id]]]));
  });

  it('ProjectService.create: only a manager of the unit creates; revision 1 starts as a draft, audited', async () => {
    const service = new ProjectService(
      new TransactionRunner(ds),
      new ProjectRepository(ds),
      revisions,
      new OrgUnitRepository(ds),
      new ProgrammeRepository(ds),
      audit,
      new PolicyService(new PolicyRepository(ds)),
    );
    const input = { code: 'NEW-1', title: 'New project', orgUnitId: unitId };
    await rejects(service.create(outsider, input), ErrorCode.NOT_FOUND);
    await rejects(service.create(focal, input), ErrorCode.FORBIDDEN);
    const project = await service.create(manager, input);
    expect((await revisions.latest(project.id))?.status).toBe('draft');
    expect((await audit.listForProject(project.id)).map((e) => e.action)).toEqual(['project.create']);
    await rejects(service.create(manager, input), ErrorCode.DUPLICATE);
  });

  it('RevisionWorkflowService: the policy check comes first; the inbox maps four eyes', async () => {
    const { project } = await createSimpleProject(ds, {
      code: 'WF-1',
      endTarget: '10',
      targets: [],
      actuals: [],
      orgUnitId: unitId,
    });
    await rejects(workflow().list(outsider, project.id), ErrorCode.NOT_FOUND);
    await rejects(workflow().submit(focal, project.id, 1), ErrorCode.FORBIDDEN);
    const [latest] = await workflow().list(manager, project.id);
    expect([latest.number, latest.status, latest.actions.maySubmit]).toEqual([1, 'draft', true]);
    const checklist = await workflow().checklist(focal, project.id);
    expect(checklist.passed).toBe(false);
    const inbox = await workflow().inbox(focal);
    expect(inbox.every((i) => i.mayApprove === (i.submittedBy !== focal.id))).toBe(true);
  });
});
