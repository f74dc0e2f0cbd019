import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, QueryCounter } from '#libs/database';
import { createOrgUnit, logframeServiceOn } from '#libs/testing';
import { buildLogframe, countIndicators, stripReadOnly as strip } from './support/logframe-builder.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

type Doc = ReturnType<typeof buildLogframe> & Record<string, unknown>;

describe('logframe authoring through HTTP', () => {
  let stack: TestStack;
  let manager: string;
  let projectId: string;
  let officeId: string;
  const http = () => stack.http(manager);

  const createProject = async (code: string) =>
    (
      await http()
        .post('/projects')
        .send({
          code,
          title: `Countering trafficking ${code}`,
          orgUnitId: officeId,
          startDate: '2026-01-01',
          endDate: '2027-12-31',
          countries: ['KE', 'TZ'],
          budget: { amount: 2500000.5, currency: 'USD' },
          genderMarker: 2,
          lnobGroups: ['women', 'victims'],
          theoryOfChange: 'If prosecutors are trained, more cases reach a verdict.',
        })
        .expect(201)
    ).body;

  beforeAll(async () => {
    stack = await startTestStack();
    officeId = (await createOrgUnit(stack.dataSource, 'KE-PO', 'country_office')).id;
    manager = await stack.userToken('pm@test.rbm', [{ role: 'project_manager', orgUnitId: officeId }]);
    projectId = (await createProject('KENZ23')).id;
  });
  afterAll(async () => stack?.close());

  it('creates a project with exact budget and calendar dates, and an empty draft logframe', async () => {
    const project = (await http().get(`/projects/${projectId}`).expect(200)).body;
    expect(project).toMatchObject({
      code: 'KENZ23',
      startDate: '2026-01-01',
      endDate: '2027-12-31',
      budget: { amount: 2500000.5, currency: 'USD' },
      genderMarker: 2,
      lnobGroups: ['women', 'victims'],
      provenance: 'entered',
    });
    const logframe = (await http().get(`/projects/${projectId}/logframe`).expect(200)).body;
    expect(logframe).toMatchObject({
      version: 1,
      revision: { number: 1, status: 'draft' },
      outcomes: [],
      unlinkedOutputs: [],
    });
  });

  it('saves a realistic logframe (2 outcomes, 5 outputs, 12 indicators of all measures) and reads back the same values', async () => {
    const doc = buildLogframe({ outcomes: 2, outputsPerOutcome: [3, 2], version: 1 });
    expect(countIndicators(doc)).toBe(12);
    const saved = (await http().put(`/projects/${projectId}/logframe`).send(doc).expect(200)).body;
    const read = (await http().get(`/projects/${projectId}/logframe`).expect(200)).body;
    expect(read).toEqual(saved);
    expect(read.version).toBe(2);
    expect(read.outcomes.map((o: { code: string }) => o.code)).toEqual(['OC1', 'OC2']);
    expect(read.outcomes.flatMap((o: { outputs: { code: string }[] }) => o.outputs.map((p) => p.code))).toEqual([
      'OP1.1',
      'OP1.2',
      'OP1.3',
      'OP2.1',
      'OP2.2',
    ]);
    expect(countIndicators(read)).toBe(12);
    // '1.A' was normalised to '1.a'; links keep contribution and rationale and are listed by target code.
    expect(read.sdgLinks).toEqual([
      { sdgTargetCode: '1.a', contribution: 'secondary', rationale: 'Resources mobilised.' },
      { sdgTargetCode: '16.4', contribution: 'primary', rationale: 'The project reduces illicit arms flows.' },
    ]);
    const [number, percentage, ordinal, qualitative] = [
      read.outcomes[0].indicators[0],
      read.outcomes[0].outputs[0].indicators[0],
      read.outcomes[0].outputs[0].indicators[1],
      read.outcomes[0].outputs[1].indicators[0],
    ];
    expect(number).toMatchObject({
      code: 'OC1.1',
      measure: 'number',
      baseline: { value: 0, year: 2025 },
      endTarget: { value: 100 },
      requiredDisaggregations: ['sex'],
      actualCount: 0,
      retired: null,
    });
    expect(number.periodTargets).toEqual([
      {
        periodStart: '2026-01-01',
        periodEnd: '2026-03-31',
        value: 25,
        numerator: null,
        denominator: null,
        description: null,
      },
      {
        periodStart: '2026-04-01',
        periodEnd: '2026-06-30',
        value: 25,
        numerator: null,
        denominator: null,
        description: null,
      },
      {
        periodStart: '2026-07-01',
        periodEnd: '2026-09-30',
        value: 25,
        numerator: null,
        denominator: null,
        description: null,
      },
      {
        periodStart: '2026-10-01',
        periodEnd: '2026-12-31',
        value: 25,
        numerator: null,
        denominator: null,
        description: null,
      },
    ]);
    // Percentages on a 0-100 scale: 45/100 -> 45; period targets 15/100, 25/100 ... -> 15, 25, 35, 45.
    expect(percentage).toMatchObject({
      code: 'OP1.1.1',
      measure: 'percentage',
      baseline: { value: 12.5 },
      endTarget: { value: 45, numerator: 45, denominator: 100 },
      sdgIndicatorCode: '16.4.2',
      impliedSdgTargetCode: '16.4',
    });
    expect(percentage.periodTargets.map((t: { value: number }) => t.value)).toEqual([15, 25, 35, 45]);
    expect(typeof percentage.baseline.value).toBe('number');
    expect(ordinal).toMatchObject({
      measure: 'ordinal',
      ordinalScale: { min: 1, max: 5, labels: { '1': 'none', '5': 'full' } },
      endTarget: { value: 4 },
    });
    expect(qualitative).toMatchObject({
      measure: 'qualitative',
      baseline: { comment: 'No plan exists', value: null },
      endTarget: { description: 'Plan adopted by Cabinet and funded', value: null },
    });
    expect(read.outcomes[0].outputs[0].activities).toEqual([
      {
        id: expect.any(String),
        code: 'A1.1.1',
        description: 'Activity for OP1.1',
        startDate: '2026-02-01',
        endDate: '2026-11-30',
      },
    ]);
    // The editor is recorded on the revision (four eyes) and in the audit trail.
    const [editor] = await stack.dataSource.query(
      `SELECT count(*)::int AS n FROM logframe_revision_editor WHERE revision_id = $1`,
      [read.revision.id],
    );
    expect(editor.n).toBe(1);
    const [audit] = await stack.dataSource.query(
      `SELECT action, after->>'sha256' AS sha FROM audit_event WHERE action = 'logframe.replace' AND project_id = $1`,
      [projectId],
    );
    expect(audit.sha).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps element ids across edits: matched by id, or by code when no id is given', async () => {
    const before = (await http().get(`/projects/${projectId}/logframe`).expect(200)).body;
    const edited = structuredClone(before) as Doc & {
      outcomes: { id?: string; statement: string; indicators: { id?: string; title: string }[] }[];
    };
    edited.outcomes[0].statement = 'Outcome 1, reworded';
    delete edited.outcomes[1].id; // matched by its code OC2
    delete edited.outcomes[1].indicators[0].id;
    const after = (await http().put(`/projects/${projectId}/logframe`).send(strip(edited)).expect(200)).body;
    expect(after.outcomes[0].id).toBe(before.outcomes[0].id);
    expect(after.outcomes[0].statement).toBe('Outcome 1, reworded');
    expect(after.outcomes[1].id).toBe(before.outcomes[1].id);
    expect(after.outcomes[1].indicators[0].id).toBe(before.outcomes[1].indicators[0].id);
    expect(after.version).toBe(before.version + 1);
  });

  it('refuses a stale version with 409 and leaves the logframe as it was', async () => {
    const current = (await http().get(`/projects/${projectId}/logframe`).expect(200)).body;
    const stale = strip({ ...current, version: current.version - 1 });
    const res = await http().put(`/projects/${projectId}/logframe`).send(stale).expect(409);
    expect(res.body.message).toMatch(/changed by someone else since you read it/);
    expect((await http().get(`/projects/${projectId}/logframe`).expect(200)).body).toEqual(current);
  });

  it('reports a bad nested value with its full path (400) and refuses unknown fields', async () => {
    const current = (await http().get(`/projects/${projectId}/logframe`).expect(200)).body;
    const bad = strip(current) as { outcomes: { outputs: { indicators: { baseline: unknown }[] }[] }[] };
    (bad.outcomes[0].outputs[1].indicators[0].baseline as Record<string, unknown>).value = 'twelve';
    (bad.outcomes[0] as Record<string, unknown>).colour = 'blue';
    (bad.outcomes[0].outputs[0].indicators[0] as Record<string, unknown>).measure = 'count';
    const res = await http().put(`/projects/${projectId}/logframe`).send(bad).expect(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        {
          path: 'outcomes[0].outputs[1].indicators[0].baseline.value',
          message:
            'value must be a JSON number: a JSON number with at most 15 significant digits, at most 10 decimal places and a magnitude below 10^15',
        },
        { path: 'outcomes[0].colour', message: "field 'colour' is not allowed here" },
        {
          path: 'outcomes[0].outputs[0].indicators[0].measure',
          message: 'measure must be one of: number, percentage, ordinal, qualitative',
        },
      ]),
    );
    expect((await http().get(`/projects/${projectId}/logframe`).expect(200)).body).toEqual(current);
  });

  it('checks the rules (422 with paths): unknown SDG codes, direction, percentages, ordinal scale, project dates; nothing is saved', async () => {
    const current = (await http().get(`/projects/${projectId}/logframe`).expect(200)).body;
    const bad = strip(current) as Doc & {
      outcomes: {
        sdgLinks: { sdgTargetCode: string }[];
        indicators: { endTarget: { value: number } }[];
        outputs: {
          indicators: {
            endTarget: Record<string, unknown>;
            periodTargets: Record<string, unknown>[];
            sdgIndicatorCode?: string;
          }[];
        }[];
      }[];
    };
    bad.outcomes[0].sdgLinks[0].sdgTargetCode = '16.99';
    bad.outcomes[0].indicators[0].endTarget.value = -5; // below the baseline 0 of an increase indicator
    bad.outcomes[0].outputs[0].indicators[0].endTarget = { value: 120 }; // percentage over 100
    bad.outcomes[0].outputs[0].indicators[0].sdgIndicatorCode = '16.4.9';
    bad.outcomes[0].outputs[0].indicators[1].endTarget = { value: 7 }; // off the 1-5 scale
    bad.outcomes[0].outputs[2].indicators[0].periodTargets[0].periodStart = '2025-10-01'; // before the project starts
    const res = await http().put(`/projects/${projectId}/logframe`).send(bad).expect(422);
    expect(res.body.message).toMatch(/nothing was saved/);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        {
          path: 'outcomes[0].sdgLinks[0].sdgTargetCode',
          message: "SDG target '16.99' does not exist in the official framework",
        },
        {
          path: 'outcomes[0].indicators[0].endTarget.value',
          message: 'must be above the baseline (0) for an indicator that should increase',
        },
        { path: 'outcomes[0].outputs[0].indicators[0].endTarget.value', message: 'must be a percentage from 0 to 100' },
        {
          path: 'outcomes[0].outputs[0].indicators[0].sdgIndicatorCode',
          message: "SDG indicator '16.4.9' does not exist in the official framework",
        },
        { path: 'outcomes[0].outputs[0].indicators[1].endTarget.value', message: 'must be on the scale 1–5' },
        {
          path: 'outcomes[0].outputs[2].indicators[0].periodTargets[0].periodStart',
          message: '2025-10-01 is before the project starts (2026-01-01)',
        },
      ]),
    );
    expect(res.body.errors).toHaveLength(6);
    expect((await http().get(`/projects/${projectId}/logframe`).expect(200)).body).toEqual(current);
  });

  it('gives 409 naming a duplicate code', async () => {
    const current = (await http().get(`/projects/${projectId}/logframe`).expect(200)).body;
    const dup = strip(current) as Doc & { outcomes: { code: string; id?: string }[] };
    dup.outcomes[1].code = 'OC1';
    delete dup.outcomes[1].id;
    const res = await http().put(`/projects/${projectId}/logframe`).send(dup).expect(409);
    expect(res.body.message).toBe("Code 'OC1' is used twice (outcomes[0].code and outcomes[1].code)");
  });

  it('locks the series fields of an indicator with actuals, and removes it only once retired', async () => {
    const current = (await http().get(`/projects/${projectId}/logframe`).expect(200)).body;
    const indicator = current.outcomes[0].indicators[0];
    await stack.dataSource.query(
      `INSERT INTO actual (indicator_series_id, period_start, period_end, value, provenance, version) VALUES ($1, '2026-01-01', '2026-03-31', 20, 'entered', 1)`,
      [indicator.id],
    );
    const changed = strip(current) as Doc & { outcomes: { indicators: Record<string, unknown>[] }[] };
    changed.outcomes[0].indicators[0].unit = 'officials';
    changed.outcomes[0].indicators[0].aggregation = 'latest';
    const locked = await http().put(`/projects/${projectId}/logframe`).send(changed).expect(422);
    expect(locked.body.errors).toEqual([
      {
        path: 'outcomes[0].indicators[0].unit',
        message:
          "cannot change from 'people': this indicator has 1 actual(s); retire it and add a new indicator instead",
      },
      {
        path: 'outcomes[0].indicators[0].aggregation',
        message: "cannot change from 'sum': this indicator has 1 actual(s); retire it and add a new indicator instead",
      },
    ]);
    const removed = strip(current) as Doc & { outcomes: { indicators: unknown[] }[] };
    removed.outcomes[0].indicators = [];
    const refused = await http().put(`/projects/${projectId}/logframe`).send(removed).expect(422);
    expect(refused.body.errors[0].message).toMatch(
      /^Indicator OC1\.1 has 1 actual\(s\) and cannot be removed: retire it with a reason first/,
    );
    await http()
      .post(`/projects/${projectId}/indicators/${indicator.id}/retire`)
      .send({ reason: 'Replaced by a count of certified officials' })
      .expect(204);
    const retired = (await http().get(`/projects/${projectId}/logframe`).expect(200)).body;
    expect(retired.outcomes[0].indicators[0].retired).toMatchObject({
      reason: 'Replaced by a count of certified officials',
    });
    const after = (
      await http()
        .put(`/projects/${projectId}/logframe`)
        .send(strip({ ...removed, version: retired.version }))
        .expect(200)
    ).body;
    expect(after.outcomes[0].indicators).toEqual([]);
    // The series and its actual survive.
    const [{ n }] = await stack.dataSource.query(
      `SELECT count(*)::int AS n FROM actual WHERE indicator_series_id = $1`,
      [indicator.id],
    );
    expect(n).toBe(1);
  });

  it('reads a logframe tree with the same number of queries for a small and a 5x larger logframe', async () => {
    const small = (await createProject('SMALL-1')).id;
    const large = (await createProject('LARGE-5')).id;
    await http()
      .put(`/projects/${small}/logframe`)
      .send(buildLogframe({ outcomes: 1, outputsPerOutcome: [2], version: 1 }))
      .expect(200);
    await http()
      .put(`/projects/${large}/logframe`)
      .send(buildLogframe({ outcomes: 5, outputsPerOutcome: [2, 2, 2, 2, 2], version: 1 }))
      .expect(200);
    const counter = new QueryCounter();
    const counted = new DataSource({ ...buildDataSourceOptions(stack.db.url), logger: counter, logging: ['query'] });
    await counted.initialize();
    try {
      const service = logframeServiceOn(counted);
      counter.reset();
      const a = await service.read(small);
      const smallQueries = counter.count;
      counter.reset();
      const b = await service.read(large);
      expect(countIndicators(b)).toBe(5 * countIndicators(a));
      expect(counter.count).toBe(smallQueries);
      expect(smallQueries).toBeLessThanOrEqual(12);
    } finally {
      await counted.destroy();
    }
  });
});
