import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import type { AuthUser } from '#libs/auth';
import { DomainException } from '#libs/common';
import { AppConfigModule } from '#libs/config';
import { buildDataSourceOptions, LogframeRevisionEntity, TransactionRunner, UserEntity } from '#libs/database';
import { ActualsRepository, ProgressModule, ProgressService, QuarterRepository } from '#libs/progress';
import { createSimpleProject, createTestDatabase, type SimpleProject, type TestDatabase } from '#libs/testing';
import { REDIS_URL } from './support/test-stack.js';

/**
 * Service-level integration (immich's "medium" tier): the progress service and its repositories
 * (ActualsRepository, QuarterRepository) against a real, migrated PostgreSQL database, wired by Nest
 * as in production, without HTTP. Checks that the policy check comes first, that a service call is
 * one transaction (all or nothing) and that the repositories read back what they wrote.
 */
describe('ProgressService with its repositories on PostgreSQL (no HTTP)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let moduleRef: TestingModule;
  let progress: ProgressService;
  let actuals: ActualsRepository;
  let quarters: QuarterRepository;
  let simple: SimpleProject;
  let manager: AuthUser;
  let focal: AuthUser;
  let stranger: AuthUser;

  const user = async (email: string, scope: Partial<AuthUser['scope']>): Promise<AuthUser> => {
    const row = await dataSource
      .getRepository(UserEntity)
      .save({ email, displayName: email.split('@')[0], passwordHash: 'x', isActive: true });
    return {
      id: row.id,
      email,
      displayName: row.displayName,
      sessionId: 'test',
      roles: [],
      assignments: [],
      scope: { isAdmin: false, managerUnitIds: [], focalUnitIds: [], donorIds: [], ...scope },
    };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    Object.assign(process.env, { DATABASE_URL: db.url, REDIS_URL, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    dataSource = new DataSource(buildDataSourceOptions(db.url));
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });

    /** The DataSource and the TransactionRunner, as the production DatabaseModule gives them. */
    @Global()
    @Module({
      providers: [{ provide: DataSource, useValue: dataSource }, TransactionRunner],
      exports: [DataSource, TransactionRunner],
    })
    class TestDatabaseModule {}

    moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule, TestDatabaseModule, ProgressModule],
    }).compile();
    progress = moduleRef.get(ProgressService);
    actuals = moduleRef.get(ActualsRepository);
    quarters = moduleRef.get(QuarterRepository);

    simple = await createSimpleProject(dataSource, {
      code: 'MED-1',
      endTarget: '100',
      targets: [{ start: '2026-01-01', end: '2026-03-31', value: '20' }],
      actuals: [{ start: '2026-01-01', end: '2026-03-31', value: '15' }],
    });
    await dataSource.getRepository(LogframeRevisionEntity).update({ id: simple.revision.id }, { status: 'approved' });
    manager = await user('pm@medium.test', { managerUnitIds: [simple.project.orgUnitId] });
    focal = await user('focal@medium.test', { focalUnitIds: [simple.project.orgUnitId] });
    stranger = await user('other@medium.test', { managerUnitIds: [] });
  });

  afterAll(async () => {
    await moduleRef?.close();
    await dataSource?.destroy();
    await db?.drop();
  });

  const seriesId = () => simple.indicator.stableId;

  it('checks the policy first: out of scope is not found, a focal point may not enter actuals', async () => {
    const entry = [{ indicatorId: seriesId(), value: '30' }];
    await expect(progress.enterQuarter(simple.project.id, 2026, 2, entry, stranger)).rejects.toMatchObject({
      reason: 'NOT_FOUND',
    });
    await expect(progress.enterQuarter(simple.project.id, 2026, 2, entry, focal)).rejects.toMatchObject({
      reason: 'FORBIDDEN',
    });
    // Nothing was started for the quarter.
    expect(await quarters.find(simple.project.id, 2026, 2)).toBeNull();
  });

  it('enters a quarter through the repositories and reads it back', async () => {
    const read = await progress.enterQuarter(
      simple.project.id,
      2026,
      2,
      [{ indicatorId: seriesId(), value: '30', comment: 'from the training register' }],
      manager,
    );
    expect(read.version).toBe(2);
    expect(read.actuals).toEqual([
      {
        id: expect.any(String),
        indicatorId: seriesId(),
        periodStart: '2026-04-01',
        periodEnd: '2026-06-30',
        value: 30,
        numerator: null,
        denominator: null,
        text: null,
        rating: null,
        comment: 'from the training register',
        evidenceUrl: null,
        disaggregations: [],
        version: 1,
        provenance: 'entered',
        savedBy: 'pm@medium.test',
        savedAt: expect.any(String),
      },
    ]);
    expect(read.indicators[0]).toMatchObject({ code: 'OP1.1.1', actualToDate: 45 });
    const stored = await actuals.ofSeries([seriesId()]);
    expect(stored.map((a) => [a.periodEnd, a.value, a.enteredById]).sort()).toEqual([
      ['2026-03-31', '15', null],
      ['2026-06-30', '30', manager.id],
    ]);
    expect(await actuals.enteredBy(simple.project.id, { start: '2026-04-01', end: '2026-06-30' }, manager.id)).toBe(
      true,
    );
    expect(await actuals.enteredBy(simple.project.id, { start: '2026-04-01', end: '2026-06-30' }, focal.id)).toBe(
      false,
    );
    const [audit] = await dataSource.query(
      `SELECT action, entity_type FROM audit_event WHERE action = 'actuals.enter' AND project_id = $1`,
      [simple.project.id],
    );
    expect(audit).toEqual({ action: 'actuals.enter', entity_type: 'progress_report' });
  });

  it('is all or nothing: a stale actual rolls the whole call back, with the codes of each field', async () => {
    const before = await quarters.find(simple.project.id, 2026, 2);
    const error = await progress
      .enterQuarter(simple.project.id, 2026, 2, [{ indicatorId: seriesId(), value: '31', version: 7 }], manager)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainException);
    expect((error as DomainException).errors).toEqual([
      {
        path: 'actuals[0].version',
        code: 'stale_version',
        params: { indicator: 'OP1.1.1', periodStart: '2026-04-01', periodEnd: '2026-06-30', yours: 7, current: 1 },
        message: expect.stringMatching(
          /^OP1\.1\.1 2026-04-01\.\.2026-06-30 is at version 1, you read version 7; saved by pm@medium\.test at /,
        ),
        current: expect.objectContaining({ value: 30, version: 1, savedBy: 'pm@medium.test' }),
      },
    ]);
    const after = await quarters.find(simple.project.id, 2026, 2);
    expect(after?.version).toBe(before?.version);
    expect((await actuals.ofSeries([seriesId()])).find((a) => a.periodEnd === '2026-06-30')?.value).toBe('30');
  });

  it('saves the story through QuarterRepository (narrative versioned, parts replaced) and submits and validates', async () => {
    const outcomeId = (await progress.read(simple.project.id, 2026, 2, manager)).outcomes[0].id;
    const story = await progress.saveStory(
      simple.project.id,
      2026,
      2,
      {
        version: 0,
        outcomeRatings: [{ outcomeId, rating: 'on_track', justification: 'Trainings on schedule' }],
        narrative: { progressSummary: 'Thirty trained', challenges: '  ' },
      },
      manager,
    );
    expect(story).toMatchObject({
      version: 1,
      quarterVersion: 3,
      outcomeRatings: [{ outcomeId, outcomeCode: 'OC1', rating: 'on_track', justification: 'Trainings on schedule' }],
      narrative: { progressSummary: 'Thirty trained', challenges: null, lessonsLearned: null, nextQuarter: null },
      savedBy: { displayName: 'pm', role: 'project_manager' },
    });
    const report = await quarters.find(simple.project.id, 2026, 2);
    const record = await quarters.story(report!.id, simple.project.id, 2026, 2);
    expect(record.ratings.map((r) => r.justification)).toEqual(['Trainings on schedule']);
    expect(record.narrative?.version).toBe(1);

    const submitted = await progress.submitQuarter(simple.project.id, 2026, 2, { version: 3 }, manager);
    expect(submitted).toMatchObject({ status: 'submitted', version: 4 });
    // Four eyes through the repository: the manager entered actuals, the focal point did not.
    const validated = await progress.validateQuarter(simple.project.id, 2026, 2, 4, focal);
    expect(validated).toMatchObject({ status: 'validated', version: 5 });
    const locked = await progress
      .saveStory(simple.project.id, 2026, 2, { version: 1, narrative: { nextQuarter: 'More' } }, manager)
      .catch((e: unknown) => e);
    expect(locked).toMatchObject({ reason: 'QUARTER_LOCKED' });
  });
});
