import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ReportBuilderService } from '#libs/reporting';
import { createDonor, createOrgUnit } from '#libs/testing';
import { buildLogframe } from './support/logframe-builder.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

type Indicator = {
  id: string;
  code: string;
  status: string;
  achievementPercent: number | null;
  needsExplanation: boolean;
  varianceExplanation: string | null;
  actualToDate: number | null;
};

describe('quarterly progress: actuals, submission, validation, reopen', () => {
  let stack: TestStack;
  let manager: string;
  let focal: string;
  let hybrid: string;
  let donor: string;
  let projectId: string;
  let ids: Record<string, string>;
  let outcomes: string[];
  const as = (token: string) => stack.http(token);
  const q1 = (suffix = '') => `/projects/${projectId}/progress/2026/1${suffix}`;
  const version = async () => (await as(manager).get(q1()).expect(200)).body.version as number;
  /** The version of the saved actual of an indicator in Q1 (sent back on PUT .../actuals). */
  const actualVersion = async (code: string) =>
    ((await as(manager).get(q1()).expect(200)).body.actuals as { indicatorId: string; version: number }[]).find(
      (a) => a.indicatorId === ids[code],
    )?.version;

  beforeAll(async () => {
    stack = await startTestStack();
    const office = await createOrgUnit(stack.dataSource, 'UG', 'country_office');
    const fcdo = await createDonor(stack.dataSource, 'FCDO', 'GB-GOV-3');
    manager = await stack.userToken('pm@test.rbm', [{ role: 'project_manager', orgUnitId: office.id }]);
    focal = await stack.userToken('focal@test.rbm', [{ role: 'rbm_focal_point', orgUnitId: office.id }]);
    hybrid = await stack.userToken('hybrid@test.rbm', [
      { role: 'project_manager', orgUnitId: office.id },
      { role: 'rbm_focal_point', orgUnitId: office.id },
    ]);
    donor = await stack.userToken('donor@test.rbm', [{ role: 'donor', donorId: fcdo.id }]);
    projectId = (
      await as(manager)
        .post('/projects')
        .send({
          code: 'UG-PR',
          title: 'Prison reform, Uganda',
          orgUnitId: office.id,
          startDate: '2026-01-01',
          endDate: '2027-12-31',
          theoryOfChange: 'If prison staff are trained, conditions improve.',
        })
        .expect(201)
    ).body.id;
    await stack.dataSource.query(`INSERT INTO funding_agreement (project_id, donor_id, version) VALUES ($1, $2, 1)`, [
      projectId,
      fcdo.id,
    ]);
    // An approved logframe: 2 outcomes; OC1.1 number/sum (25 a quarter, sex required); OP1.1.1 percentage; OP1.1.2 ordinal; OP1.2.1 qualitative ...
    await as(manager)
      .put(`/projects/${projectId}/logframe`)
      .send(buildLogframe({ outcomes: 2, outputsPerOutcome: [2, 1], version: 1 }))
      .expect(200);
    const revisions = (await as(manager).get(`/projects/${projectId}/revisions`).expect(200)).body;
    await as(manager)
      .post(`/projects/${projectId}/revisions/submit`)
      .send({ version: revisions[0].version })
      .expect(201);
    const submitted = (await as(focal).get(`/projects/${projectId}/revisions`).expect(200)).body[0];
    await as(focal).post(`/projects/${projectId}/revisions/1/approve`).send({ version: submitted.version }).expect(201);
    const logframe = (await as(manager).get(`/projects/${projectId}/logframe`).expect(200)).body;
    const all = [
      ...logframe.outcomes.flatMap(
        (o: {
          indicators: { code: string; id: string }[];
          outputs: { indicators: { code: string; id: string }[] }[];
        }) => [...o.indicators, ...o.outputs.flatMap((p) => p.indicators)],
      ),
    ];
    ids = Object.fromEntries(all.map((i: { code: string; id: string }) => [i.code, i.id]));
    outcomes = logframe.outcomes.map((o: { id: string }) => o.id);
  });
  afterAll(async () => stack?.close());

  it('refuses disaggregations that do not add up (naming the difference), free text in a number, and saves nothing', async () => {
    const res = await as(manager)
      .put(q1('/actuals'))
      .send({
        actuals: [
          {
            indicatorId: ids['OC1.1'],
            value: 20,
            disaggregations: [
              { dimension: 'sex', category: 'female', value: 12 },
              { dimension: 'sex', category: 'male', value: 10 },
            ],
          },
          { indicatorId: ids['OP1.1.1'], numerator: 18, denominator: 100, text: 'about 18 %' },
          { indicatorId: ids['OP1.2.1'], value: 3 },
        ],
      })
      .expect(422);
    expect(res.body.code).toBe('ACTUALS_INVALID');
    expect(res.body.params).toEqual({ count: 5 });
    expect(res.body.errors).toEqual([
      {
        path: 'actuals[0].disaggregations',
        code: 'parts_mismatch',
        params: {
          indicator: 'OC1.1',
          dimension: 'sex',
          part: 'value',
          sum: '22',
          total: '20',
          difference: '2',
          direction: 'over',
        },
        message: 'OC1.1 sex: female 12 + male 10 = 22, but the total is 20: the parts are 2 over',
      },
      {
        path: 'actuals[1].text',
        code: 'text_not_allowed',
        params: { indicator: 'OP1.1.1' },
        message: 'OP1.1.1 is quantitative: free text is not a value (use comment)',
      },
      {
        path: 'actuals[2].value',
        code: 'numbers_not_allowed',
        params: { indicator: 'OP1.2.1' },
        message: 'OP1.2.1 is qualitative: give text and a milestone rating, not numbers',
      },
      {
        path: 'actuals[2].text',
        code: 'required',
        params: { indicator: 'OP1.2.1' },
        message: 'OP1.2.1 is qualitative: describe what was achieved',
      },
      {
        path: 'actuals[2].rating',
        code: 'required',
        params: { indicator: 'OP1.2.1' },
        message: 'OP1.2.1 is qualitative: rate the milestone (achieved, partly_achieved, not_achieved)',
      },
    ]);
    const [{ n }] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM actual`);
    expect(n).toBe(0);
  });

  it('enters a whole quarter in bulk and computes every indicator', async () => {
    const res = await as(manager)
      .put(q1('/actuals'))
      .send({
        actuals: [
          // OC1.1 (sum, target 25 in Q1, b = 0): 20 / 25 = 80 % -> at_risk; parts 12 + 8 = 20.
          {
            indicatorId: ids['OC1.1'],
            value: 20,
            comment: 'Two trainings postponed',
            evidenceUrl: 'https://example.org/evidence/q1.pdf',
            disaggregations: [
              { dimension: 'sex', category: 'female', value: 12 },
              { dimension: 'sex', category: 'male', value: 8 },
            ],
          },
          // OP1.1.1 (percentage, latest, baseline 12.5, Q1 target 15/100 = 15): 18/100 = 18 -> (18 - 12.5) / (15 - 12.5) = 220 % -> exceeded.
          { indicatorId: ids['OP1.1.1'], numerator: 18, denominator: 100 },
          // OP1.1.2 (ordinal 1-5, baseline 1, Q1 target 1 = baseline): 2 meets it -> on_track, no ratio.
          { indicatorId: ids['OP1.1.2'], value: 2 },
        ],
      })
      .expect(200);
    const byCode = Object.fromEntries((res.body.indicators as Indicator[]).map((i) => [i.code, i]));
    expect(byCode['OC1.1']).toMatchObject({
      actualToDate: 20,
      achievementPercent: 80,
      status: 'at_risk',
      needsExplanation: true,
    });
    expect(byCode['OP1.1.1']).toMatchObject({
      actualToDate: 18,
      achievementPercent: 220,
      status: 'exceeded',
      needsExplanation: false,
    });
    expect(byCode['OP1.1.2']).toMatchObject({ actualToDate: 2, achievementPercent: null, status: 'on_track' });
    expect(byCode['OP1.2.1']).toMatchObject({ status: 'no_data' });
    expect(res.body).toMatchObject({ status: 'draft', revision: { number: 1, status: 'approved' } });
    const series = (await as(focal).get(`/projects/${projectId}/indicators/${ids['OC1.1']}/series`).expect(200)).body;
    expect(series.actuals).toEqual([
      expect.objectContaining({
        periodStart: '2026-01-01',
        periodEnd: '2026-03-31',
        value: 20,
        provenance: 'entered',
        disaggregations: [
          { dimension: 'sex', category: 'female', value: 12, numerator: null, denominator: null },
          { dimension: 'sex', category: 'male', value: 8, numerator: null, denominator: null },
        ],
      }),
    ]);
  });

  it('needs outcome ratings and an explanation for every at-risk or off-track indicator before submission', async () => {
    const res = await as(manager)
      .post(q1('/submit'))
      .send({ version: await version(), outcomeRatings: [], varianceExplanations: [] })
      .expect(422);
    expect(res.body.errors).toEqual([
      {
        path: 'outcomeRatings',
        code: 'rating_missing',
        params: { outcome: 'OC1' },
        message: 'Outcome OC1 needs your rating (on_track, at_risk or off_track) with a justification',
      },
      {
        path: 'outcomeRatings',
        code: 'rating_missing',
        params: { outcome: 'OC2' },
        message: 'Outcome OC2 needs your rating (on_track, at_risk or off_track) with a justification',
      },
      {
        path: 'varianceExplanations',
        code: 'explanation_missing',
        params: { indicator: 'OC1.1', status: 'at_risk', achievementPercent: 80 },
        message: 'Indicator OC1.1 is at_risk (achievement 80 %): explain the variance',
      },
    ]);
  });

  it('submit -> return -> resubmit -> validate, with four eyes; a submitted or validated quarter is locked', async () => {
    const risk = (await as(manager).get(`/projects/${projectId}/logframe`).expect(200)).body.outcomes[0].assumptions[0]
      .id as string;
    const submission = {
      assumptionUpdates: [
        { assumptionId: risk, status: 'materialised', note: 'The prison service strike lasted three weeks' },
      ],
      outcomeRatings: [
        { outcomeId: outcomes[0], rating: 'at_risk', justification: 'Trainings postponed' },
        { outcomeId: outcomes[1], rating: 'on_track', justification: 'On plan' },
      ],
      varianceExplanations: [
        { indicatorId: ids['OC1.1'], explanation: 'Two trainings postponed to Q2 after the prison service strike.' },
      ],
    };
    await as(manager)
      .post(q1('/submit'))
      .send({ version: await version(), ...submission })
      .expect(201);
    const locked = await as(manager)
      .put(q1('/actuals'))
      .send({ actuals: [{ indicatorId: ids['OC1.1'], value: 21 }] })
      .expect(409);
    expect(locked.body.code).toBe('QUARTER_LOCKED');
    expect(locked.body.params).toEqual({ year: 2026, quarter: 1, status: 'submitted' });
    expect(locked.body.message).toBe('2026-Q1 is submitted: its actuals are locked');
    await as(manager)
      .post(q1('/validate'))
      .send({ version: await version() })
      .expect(403);
    // The donor sees nothing before validation.
    await as(donor).get(q1()).expect(404);
    await as(focal)
      .post(q1('/return'))
      .send({ version: await version(), comment: 'Attach the attendance sheets' })
      .expect(201);
    // The hybrid user (manager + focal point) corrects an actual, so may not validate this quarter.
    await as(hybrid)
      .put(q1('/actuals'))
      .send({
        actuals: [
          {
            indicatorId: ids['OP1.1.2'],
            value: 2,
            evidenceUrl: 'https://example.org/evidence/assessment.pdf',
            version: await actualVersion('OP1.1.2'),
          },
        ],
      })
      .expect(200);
    await as(manager)
      .post(q1('/submit'))
      .send({ version: await version(), ...submission })
      .expect(201);
    const denied = await as(hybrid)
      .post(q1('/validate'))
      .send({ version: await version() })
      .expect(403);
    expect(denied.body.code).toBe('FOUR_EYES');
    expect(denied.body.message).toBe(
      'You entered actuals of this quarter: another RBM focal point must validate it (four eyes)',
    );
    const validated = (
      await as(focal)
        .post(q1('/validate'))
        .send({ version: await version() })
        .expect(201)
    ).body;
    expect(validated.status).toBe('validated');
    expect(validated.outcomes[0].rating).toEqual({ rating: 'at_risk', justification: 'Trainings postponed' });
    await as(manager)
      .put(q1('/actuals'))
      .send({ actuals: [{ indicatorId: ids['OC1.1'], value: 21 }] })
      .expect(409);
    // Donor-facing: the validated quarter and its report are now visible to the funding donor.
    expect((await as(donor).get(q1()).expect(200)).body.status).toBe('validated');
    const report = (
      await as(manager).post('/reports').send({ scope: 'project', projectId, year: 2026, quarter: 1 }).expect(202)
    ).body;
    await stack.api.get(ReportBuilderService).build(report.id);
    const content = (await as(donor).get(`/reports/${report.id}`).expect(200)).body.content;
    expect(content).toMatchObject({ internal: false, validation: { status: 'validated', restated: false } });
    expect(content.outcomes[0]).toMatchObject({
      computedStatus: 'at_risk',
      rating: { rating: 'at_risk', justification: 'Trainings postponed' },
    });
    expect(content.outcomes[0].indicators[0]).toMatchObject({
      code: 'OC1.1',
      actualToDate: 20,
      varianceExplanation: 'Two trainings postponed to Q2 after the prison service strike.',
    });
    // The assumptions/risks update of the quarter.
    expect(content.assumptions.find((a: { id: string }) => a.id === risk)).toMatchObject({
      element: 'OC1',
      kind: 'risk',
      update: { status: 'materialised', note: 'The prison service strike lasted three weeks' },
    });
  });

  it('reopen -> correct -> revalidate, and the next report flags the restatement', async () => {
    await as(focal)
      .post(q1('/reopen'))
      .send({ version: await version(), reason: '' })
      .expect(400);
    const reopened = (
      await as(focal)
        .post(q1('/reopen'))
        .send({ version: await version(), reason: 'The prison service corrected the trainee count after an audit' })
        .expect(201)
    ).body;
    expect(reopened).toMatchObject({
      status: 'draft',
      restated: true,
      reopenReason: 'The prison service corrected the trainee count after an audit',
    });
    await as(manager)
      .put(q1('/actuals'))
      .send({
        actuals: [
          {
            indicatorId: ids['OC1.1'],
            version: await actualVersion('OC1.1'),
            value: 23,
            disaggregations: [
              { dimension: 'sex', category: 'female', value: 13 },
              { dimension: 'sex', category: 'male', value: 10 },
            ],
          },
        ],
      })
      .expect(200);
    await as(manager)
      .post(q1('/submit'))
      .send({ version: await version(), outcomeRatings: [], varianceExplanations: [] })
      .expect(201);
    await as(focal)
      .post(q1('/validate'))
      .send({ version: await version() })
      .expect(201);
    // People by display name and the role they acted in, never by e-mail address field or id.
    const read = (await as(manager).get(q1()).expect(200)).body;
    expect(read).toMatchObject({
      submittedBy: { displayName: 'pm@test.rbm', role: 'project_manager' },
      validatedBy: { displayName: 'focal@test.rbm', role: 'rbm_focal_point' },
    });
    expect(read.actuals.find((a: { indicatorId: string }) => a.indicatorId === ids['OC1.1']).savedBy).toEqual({
      displayName: 'pm@test.rbm',
      role: 'project_manager',
    });
    const report = (
      await as(manager).post('/reports').send({ scope: 'project', projectId, year: 2026, quarter: 1 }).expect(202)
    ).body;
    expect(report).toMatchObject({ created: true, version: 2 });
    await stack.api.get(ReportBuilderService).build(report.id);
    const content = (await as(donor).get(`/reports/${report.id}`).expect(200)).body.content;
    // 23 / 25 = 92 % -> on_track; the quarter is flagged as restated.
    expect(content.validation).toEqual({
      status: 'validated',
      restated: true,
      reopenReason: 'The prison service corrected the trainee count after an audit',
      submittedBy: { displayName: 'pm@test.rbm', role: 'project_manager' },
      validatedBy: { displayName: 'focal@test.rbm', role: 'rbm_focal_point' },
    });
    expect(content.outcomes[0].indicators[0]).toMatchObject({
      code: 'OC1.1',
      actualToDate: 23,
      achievementPercent: 92,
      status: 'on_track',
    });
    const audit = (await as(manager).get(`/projects/${projectId}/audit`).expect(200)).body as { action: string }[];
    expect(audit.filter((e) => e.action.startsWith('progress.')).map((e) => e.action)).toEqual([
      'progress.submit',
      'progress.return',
      'progress.submit',
      'progress.validate',
      'progress.reopen',
      'progress.submit',
      'progress.validate',
    ]);
  });

  it('takes manual actuals only against an approved logframe', async () => {
    const office2 = await createOrgUnit(stack.dataSource, 'UG2', 'country_office');
    const pm2 = await stack.userToken('pm2@test.rbm', [{ role: 'project_manager', orgUnitId: office2.id }]);
    const draft = (
      await stack
        .http(pm2)
        .post('/projects')
        .send({ code: 'UG-DRAFT', title: 'Draft only', orgUnitId: office2.id })
        .expect(201)
    ).body.id;
    const res = await stack
      .http(pm2)
      .put(`/projects/${draft}/progress/2026/1/actuals`)
      .send({ actuals: [] })
      .expect(422);
    expect(res.body.message).toBe(
      'Actuals can be entered only against an approved logframe: submit it for RBM QA review first',
    );
  });
});
