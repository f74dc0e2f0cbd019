import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { ReportBuilderService } from '#libs/reporting';
import { createDonor } from '#libs/testing';
import { approvedProject, type ApprovedProject, validActual } from './support/approved-project.js';
import { binary } from './support/binary.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/** Issue 12, item 6: the quarter's story saved as a versioned draft, submitted as saved, carried by every format. */
describe("the quarter's story: narrative, ratings, explanations and risks as a versioned draft", () => {
  let stack: TestStack;
  let p: ApprovedProject;
  let donor: string;
  let outcomes: { id: string; code: string }[];
  let risk: string;
  const as = (token: string) => stack.http(token);
  const q1 = (suffix = '') => `/projects/${p.projectId}/progress/2026/1${suffix}`;
  const narrative = {
    progressSummary: 'Forty officials trained; the case system runs in two provinces.',
    challenges: 'A three-week prison service strike postponed two trainings.',
    lessonsLearned: 'Training on site keeps attendance above 90 %.',
    nextQuarter: 'Roll out to the third province.',
  };
  const report = async (token: string) => {
    const accepted = (
      await as(token)
        .post('/reports')
        .send({ scope: 'project', projectId: p.projectId, year: 2026, quarter: 1 })
        .expect(202)
    ).body;
    await stack.api.get(ReportBuilderService).build(accepted.id);
    return accepted as { id: string; version: number; created: boolean };
  };

  beforeAll(async () => {
    stack = await startTestStack();
    p = await approvedProject(stack, { code: 'STORY', outputsPerOutcome: [1, 1] });
    await stack.dataSource.query(`UPDATE app_user SET display_name = 'Amina Diallo' WHERE email = 'pm-story@test.rbm'`);
    const funder = await createDonor(stack.dataSource, 'Story Fund', 'XM-STORY-1');
    await stack.dataSource.query(`INSERT INTO funding_agreement (project_id, donor_id, version) VALUES ($1, $2, 1)`, [
      p.projectId,
      funder.id,
    ]);
    donor = await stack.userToken('donor-story@test.rbm', [{ role: 'donor', donorId: funder.id }]);
    const logframe = (await as(p.manager).get(`/projects/${p.projectId}/logframe`).expect(200)).body;
    outcomes = logframe.outcomes.map((o: { id: string; code: string }) => ({ id: o.id, code: o.code }));
    risk = logframe.outcomes[0].assumptions[0].id;
    // OC1.1 (number, sum): 20 of the 25 due -> 80 % at risk; its sex parts 10 + 10.
    await as(p.manager)
      .put(q1('/actuals'))
      .send({
        actuals: Object.entries(p.ids).map(([code, id]) =>
          code === 'OC1.1'
            ? {
                indicatorId: id,
                value: 20,
                disaggregations: [
                  { dimension: 'sex', category: 'female', value: 12 },
                  { dimension: 'sex', category: 'male', value: 8 },
                ],
              }
            : validActual(p.measures[code], id, 30),
        ),
      })
      .expect(200);
  });
  afterAll(async () => stack?.close());

  it('starts empty at version 0', async () => {
    const story = (await as(p.manager).get(q1('/narrative')).expect(200)).body;
    expect(story).toMatchObject({
      status: 'draft',
      version: 0,
      outcomeRatings: [],
      varianceExplanations: [],
      assumptionUpdates: [],
      narrative: { progressSummary: null, challenges: null, lessonsLearned: null, nextQuarter: null },
      savedBy: null,
      savedAt: null,
    });
  });

  it('saves a draft (version 1), refuses a stale save with 409 and keeps the parts not sent', async () => {
    const saved = (
      await as(p.manager)
        .put(q1('/narrative'))
        .send({
          version: 0,
          outcomeRatings: [{ outcomeId: outcomes[0].id, rating: 'at_risk', justification: 'Trainings postponed' }],
          varianceExplanations: [{ indicatorId: p.ids['OC1.1'], explanation: 'Two trainings postponed to Q2.' }],
          assumptionUpdates: [{ assumptionId: risk, status: 'materialised', note: 'The strike lasted three weeks' }],
          narrative,
        })
        .expect(200)
    ).body;
    expect(saved).toMatchObject({
      version: 1,
      outcomeRatings: [
        { outcomeId: outcomes[0].id, outcomeCode: 'OC1', rating: 'at_risk', justification: 'Trainings postponed' },
      ],
      varianceExplanations: [
        { indicatorId: p.ids['OC1.1'], indicatorCode: 'OC1.1', explanation: 'Two trainings postponed to Q2.' },
      ],
      assumptionUpdates: [{ assumptionId: risk, status: 'materialised', note: 'The strike lasted three weeks' }],
      narrative,
      savedBy: { displayName: 'Amina Diallo', role: 'project_manager' },
    });
    expect(typeof saved.savedAt).toBe('string');

    const stale = await as(p.manager)
      .put(q1('/narrative'))
      .send({ version: 0, narrative: { progressSummary: 'Overwritten?' } })
      .expect(409);
    expect(stale.body.errors).toEqual([
      { path: 'version', code: 'stale_version', params: { current: 1, yours: 0 }, message: 'is 0, current is 1' },
    ]);

    // Only the narrative is sent: ratings, explanations and risk updates stay as saved.
    const second = (
      await as(p.manager)
        .put(q1('/narrative'))
        .send({ version: 1, narrative: { ...narrative, nextQuarter: 'Roll out to the third and fourth provinces.' } })
        .expect(200)
    ).body;
    expect(second.version).toBe(2);
    expect(second.narrative.nextQuarter).toBe('Roll out to the third and fourth provinces.');
    expect(second.outcomeRatings).toHaveLength(1);
    expect(second.assumptionUpdates).toHaveLength(1);
    const read = (await as(p.manager).get(q1('/narrative')).expect(200)).body;
    expect(read).toEqual(second);
  });

  it('applies the actual-entry policy: ids outside the logframe 422, focal points 403, donors 404 before validation', async () => {
    const wrong = await as(p.manager)
      .put(q1('/narrative'))
      .send({
        version: 2,
        outcomeRatings: [{ outcomeId: '00000000-0000-4000-8000-000000000000', rating: 'on_track', justification: 'x' }],
      })
      .expect(422);
    expect(wrong.body.errors).toEqual([
      {
        path: 'outcomeRatings[0].outcomeId',
        code: 'not_found',
        params: { entity: 'outcome' },
        message: 'no such outcome in the approved logframe',
      },
    ]);
    await as(p.focal).put(q1('/narrative')).send({ version: 2, narrative }).expect(403);
    await as(donor).get(q1('/narrative')).expect(404);
    const bad = await as(p.manager)
      .put(q1('/narrative'))
      .send({ version: 2, narrative: { progressSummary: 7 } })
      .expect(400);
    expect(bad.body.errors[0]).toMatchObject({ path: 'narrative.progressSummary', code: 'isString', params: {} });
    // Nothing changed.
    expect((await as(p.manager).get(q1('/narrative')).expect(200)).body.version).toBe(2);
  });

  it('reports carry the narrative, disaggregation, output summary and data completeness; the fingerprint covers the narrative', async () => {
    const first = await report(p.manager);
    const content = (await as(p.manager).get(`/reports/${first.id}`).expect(200)).body.content;
    expect(content.narrative).toEqual({ ...narrative, nextQuarter: 'Roll out to the third and fourth provinces.' });
    expect(content.outcomes[0].indicators[0]).toMatchObject({
      code: 'OC1.1',
      actualToDate: 20,
      status: 'at_risk',
      varianceExplanation: 'Two trainings postponed to Q2.',
      disaggregations: [
        { dimension: 'sex', category: 'female', value: 12, numerator: null, denominator: null },
        { dimension: 'sex', category: 'male', value: 8, numerator: null, denominator: null },
      ],
    });
    expect(content.outcomes[0].rating).toEqual({ rating: 'at_risk', justification: 'Trainings postponed' });
    expect(content.assumptions.find((a: { id: string }) => a.id === risk).update).toEqual({
      status: 'materialised',
      note: 'The strike lasted three weeks',
    });
    expect(content.outputSummary).toEqual([
      expect.objectContaining({ outcome: 'OC1', code: 'OP1.1', indicators: 2 }),
      expect.objectContaining({ outcome: 'OC2', code: 'OP2.1', indicators: 2 }),
    ]);
    expect(content.dataCompleteness).toMatchObject({ indicators: 6, reported: 6, missing: [], validated: false });

    // Same inputs: the same report. A changed narrative: a new version (the fingerprint covers it).
    expect(await report(p.manager)).toMatchObject({ id: first.id, created: false });
    await as(p.manager)
      .put(q1('/narrative'))
      .send({ version: 2, narrative: { ...narrative, lessonsLearned: 'Train on site.' } })
      .expect(200);
    const second = await report(p.manager);
    expect(second).toMatchObject({ created: true, version: 2 });
    expect((await as(p.manager).get(`/reports/${second.id}`).expect(200)).body.content.narrative.lessonsLearned).toBe(
      'Train on site.',
    );
    // Each project section of a multi-project report carries the narrative too (org unit scope).
    const unit = (
      await stack
        .http()
        .post('/reports')
        .send({ scope: 'org_unit', scopeId: p.officeId, year: 2026, quarter: 1 })
        .expect(202)
    ).body;
    await stack.api.get(ReportBuilderService).build(unit.id);
    const portfolio = (await stack.http().get(`/reports/${unit.id}`).expect(200)).body.content;
    // The last save sent the whole narrative again: its texts replace all four.
    expect(portfolio.projects[0].narrative).toEqual({ ...narrative, lessonsLearned: 'Train on site.' });
    expect(portfolio.projects[0].report.narrative).toEqual(portfolio.projects[0].narrative);

    // CSV: narrative rows first, the disaggregation beside the indicator, the risk update last.
    const csv = (
      await as(p.manager)
        .get(`/reports/${second.id}/report.csv?bom=0`)
        .buffer(true)
        .parse(binary as never)
        .expect(200)
    ).body.toString('utf8') as string;
    const lines = csv.trim().split('\n');
    expect(lines[0]).toMatch(/,variance_explanation,disaggregation,item,text$/);
    expect(lines[1]).toMatch(/^STORY,2026-Q1,2026-03-31,narrative,.*,progress_summary,Forty officials trained;/);
    expect(lines[3]).toContain(',narrative,');
    expect(lines[3]).toContain(',lessons_learned,Train on site.');
    const oc11 = lines.find((l) => l.includes(',OC1.1,'))!;
    expect(oc11).toContain(',Two trainings postponed to Q2.,sex: female 12; male 8,,');
    // The outcome's rating and justification in their own columns, beside the explanation.
    expect(oc11).toContain(',at_risk,Trainings postponed,Two trainings postponed to Q2.,');
    expect(lines.find((l) => l.includes(',materialised,'))).toMatch(/^STORY,2026-Q1,2026-03-31,(risk|assumption),OC1,/);

    // XLSX: the Narrative sheet, the disaggregation and the risk update.
    const xlsx = (
      await as(p.manager)
        .get(`/reports/${second.id}/report.xlsx`)
        .buffer(true)
        .parse(binary as never)
        .expect(200)
    ).body as Buffer;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as never);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      'Summary',
      'Narrative',
      'Outcomes',
      'Outputs',
      'Outcome indicators',
      'Output indicators',
      'Impact indicators',
      'Disaggregation',
      'Assumptions and risks',
    ]);
    const story = book.getWorksheet('Narrative')!;
    expect(story.getRow(2).values).toEqual([undefined, 'Progress summary', narrative.progressSummary]);
    expect(story.getRow(4).values).toEqual([undefined, 'Lessons learned', 'Train on site.']);
    const parts = book.getWorksheet('Disaggregation')!;
    expect(parts.getRow(2).values).toEqual([
      undefined,
      'OC1.1',
      expect.any(String),
      'Sex',
      'Female',
      12,
      undefined,
      undefined,
      20,
    ]);
    const risks = book.getWorksheet('Assumptions and risks')!;
    const riskRow = risks.getSheetValues().find((r) => Array.isArray(r) && r.includes('Materialised')) as unknown[];
    expect(riskRow).toContain('The strike lasted three weeks');
  });

  it('submit takes what is saved (only the version in the body); the story is then locked', async () => {
    const version = (await as(p.manager).get(q1()).expect(200)).body.version;
    await as(p.manager)
      .post(q1('/submit'))
      .send({ version })
      .expect(422)
      .then((res) =>
        // The English messages of these codes are asserted in progress.e2e.spec.ts.
        expect(
          res.body.errors.map(({ path, code, params }: Record<string, unknown>) => ({ path, code, params })),
        ).toEqual([
          { path: 'outcomeRatings', code: 'rating_missing', params: { outcome: 'OC2' } },
          {
            path: 'varianceExplanations',
            code: 'explanation_missing',
            params: { indicator: 'OC2.1', status: 'at_risk', achievementPercent: null },
          },
        ]),
      );
    const story = (await as(p.manager).get(q1('/narrative')).expect(200)).body;
    await as(p.manager)
      .put(q1('/narrative'))
      .send({
        version: story.version,
        outcomeRatings: [
          ...story.outcomeRatings.map((r: { outcomeId: string; rating: string; justification: string }) => ({
            outcomeId: r.outcomeId,
            rating: r.rating,
            justification: r.justification,
          })),
          { outcomeId: outcomes[1].id, rating: 'on_track', justification: 'On plan' },
        ],
        varianceExplanations: [
          { indicatorId: p.ids['OC1.1'], explanation: 'Two trainings postponed to Q2.' },
          { indicatorId: p.ids['OC2.1'], explanation: 'The draft plan awaits the ministry.' },
        ],
      })
      .expect(200);
    const submitted = (
      await as(p.manager)
        .post(q1('/submit'))
        .send({ version: (await as(p.manager).get(q1()).expect(200)).body.version })
        .expect(201)
    ).body;
    expect(submitted.status).toBe('submitted');
    expect(submitted.outcomes.map((o: { rating: unknown }) => o.rating)).toEqual([
      { rating: 'at_risk', justification: 'Trainings postponed' },
      { rating: 'on_track', justification: 'On plan' },
    ]);
    const locked = await as(p.manager)
      .put(q1('/narrative'))
      .send({ version: story.version + 1, narrative })
      .expect(409);
    expect(locked.body.message).toMatch(/is submitted: its story is locked/);
  });
});
