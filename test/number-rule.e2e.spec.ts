import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createOrgUnit } from '#libs/testing';
import { buildLogframe, stripReadOnly } from './support/logframe-builder.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * The one number rule at the API edge (docs/RULES.md, "Numbers at the API edge"): JSON numbers with
 * at most 15 significant digits, at most 10 decimal places, magnitude below 10^15, any notation.
 * Bodies are sent as raw JSON text: `JSON.stringify` of a JS number would already have lost the
 * digits this rule is about.
 */
describe('one number rule for measures, baselines, targets and amounts', () => {
  let stack: TestStack;
  let manager: string;
  let projectId: string;
  let ids: Record<string, string>;
  const raw = (method: 'put' | 'post' | 'patch', path: string, json: string) =>
    stack.http(manager)[method](path).set('content-type', 'application/json').send(json);

  beforeAll(async () => {
    stack = await startTestStack();
    const office = await createOrgUnit(stack.dataSource, 'NR', 'country_office');
    const focal = await stack.userToken('focal@test.rbm', [{ role: 'rbm_focal_point', orgUnitId: office.id }]);
    manager = await stack.userToken('pm@test.rbm', [{ role: 'project_manager', orgUnitId: office.id }]);
    projectId = (
      await stack
        .http(manager)
        .post('/projects')
        .send({
          code: 'NR-1',
          title: 'Number rule',
          orgUnitId: office.id,
          startDate: '2026-01-01',
          endDate: '2027-12-31',
          theoryOfChange: 'If numbers are exact, reports are right.',
        })
        .expect(201)
    ).body.id;
    await stack
      .http(manager)
      .put(`/projects/${projectId}/logframe`)
      .send(buildLogframe({ outcomes: 1, outputsPerOutcome: [1], version: 1 }))
      .expect(200);
    const revisions = (await stack.http(manager).get(`/projects/${projectId}/revisions`).expect(200)).body;
    await stack
      .http(manager)
      .post(`/projects/${projectId}/revisions/submit`)
      .send({ version: revisions[0].version })
      .expect(201);
    const submitted = (await stack.http(focal).get(`/projects/${projectId}/revisions`).expect(200)).body[0];
    await stack
      .http(focal)
      .post(`/projects/${projectId}/revisions/1/approve`)
      .send({ version: submitted.version })
      .expect(201);
    const logframe = (await stack.http(manager).get(`/projects/${projectId}/logframe`).expect(200)).body;
    ids = Object.fromEntries(
      logframe.outcomes.flatMap(
        (o: {
          indicators: { code: string; id: string }[];
          outputs: { indicators: { code: string; id: string }[] }[];
        }) => [...o.indicators, ...o.outputs.flatMap((p) => p.indicators)].map((i) => [i.code, i.id]),
      ),
    );
  });
  afterAll(async () => stack?.close());

  it('answers 12345678901234567891 in an actual with 400 naming the field, and saves nothing', async () => {
    const res = await raw(
      'put',
      `/projects/${projectId}/progress/2026/1/actuals`,
      `{"actuals":[{"indicatorId":"${ids['OP1.1.2']}","value":12345678901234567891}]}`,
    ).expect(400);
    expect(res.body.errors).toEqual([
      {
        path: 'actuals[0].value',
        code: 'isExactNumber',
        params: { maxSignificantDigits: 15, maxDecimalPlaces: 10, maxMagnitude: 1e15 },
        message: expect.stringMatching(/^value has more than 15 significant digits \(12345678901234567891\)/),
      },
    ]);
    const [{ n }] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM actual`);
    expect(n).toBe(0);
  });

  it.each([
    ['too many decimal places', '0.00000000001', /value must have at most 10 decimal places/],
    ['magnitude 10^15', '1e15', /value must be below 10\^15 in magnitude/],
    ['16 significant digits', '1.234567890123456', /value has more than 15 significant digits/],
    ['a string', '"12"', /value must be a JSON number/],
  ])('refuses %s with 400 naming the field', async (_name, token, message) => {
    const res = await raw(
      'put',
      `/projects/${projectId}/progress/2026/1/actuals`,
      `{"actuals":[{"indicatorId":"${ids['OP1.1.2']}","value":${token}}]}`,
    ).expect(400);
    expect(res.body.errors[0]).toMatchObject({
      path: 'actuals[0].value',
      code: 'isExactNumber',
      params: { maxSignificantDigits: 15, maxDecimalPlaces: 10, maxMagnitude: 1e15 },
    });
    expect(res.body.errors[0].message).toMatch(message);
  });

  it('stores 1e-7 in an actual as 0.0000001 and answers it as a JSON number', async () => {
    // OP1.1.1 is a percentage: numerator 1e-7 of denominator 1 (exact: 0.00001 %).
    await raw(
      'put',
      `/projects/${projectId}/progress/2026/1/actuals`,
      `{"actuals":[{"indicatorId":"${ids['OP1.1.1']}","numerator":1e-7,"denominator":1}]}`,
    ).expect(200);
    const [row] = await stack.dataSource.query(`SELECT numerator::text AS n, value::text AS v FROM actual`);
    expect(row).toEqual({ n: '0.0000001', v: '0.00001' });
    const series = (
      await stack.http(manager).get(`/projects/${projectId}/indicators/${ids['OP1.1.1']}/series`).expect(200)
    ).body;
    expect(series.actuals[0]).toMatchObject({ numerator: 1e-7, denominator: 1, value: 0.00001 });
  });

  it('stores 1e-7 as a baseline and a target of a draft logframe; refuses it as a budget with 400', async () => {
    await stack
      .http(manager)
      .post(`/projects/${projectId}/revisions`)
      .send({ justification: 'Smaller units' })
      .expect(201);
    const doc = stripReadOnly((await stack.http(manager).get(`/projects/${projectId}/logframe`).expect(200)).body) as {
      outcomes: { indicators: { code: string; baseline: { value: unknown }; periodTargets: { value: unknown }[] }[] }[];
    };
    // Baseline 1e-7 and the first period target 1e-7, written in exponent notation.
    const indicator = doc.outcomes[0].indicators.find((i) => i.code === 'OC1.1')!; // number
    indicator.baseline.value = 1e-7;
    indicator.periodTargets[0].value = 1e-7;
    const body = JSON.stringify(doc);
    expect(body).toContain('"value":1e-7');
    const put = await raw('put', `/projects/${projectId}/logframe`, body);
    expect([put.status, put.body.errors]).toEqual([200, undefined]);
    const rows = await stack.dataSource.query(
      `SELECT i.baseline_value::text AS b, (SELECT min(t.value)::text FROM period_target t WHERE t.indicator_id = i.id) AS t
       FROM indicator i JOIN logframe_revision r ON r.id = i.revision_id WHERE r.number = 2 AND i.code = 'OC1.1'`,
    );
    expect(rows).toEqual([{ b: '0.0000001', t: '0.0000001' }]);
    const after = (await stack.http(manager).get(`/projects/${projectId}/logframe`).expect(200)).body;
    const read = after.outcomes[0].indicators.find((i: { code: string }) => i.code === 'OC1.1');
    expect(read.baseline.value).toBe(1e-7);
    const budget = await raw(
      'patch',
      `/projects/${projectId}`,
      `{"version":1,"budget":{"amount":1e-7,"currency":"USD"}}`,
    ).expect(400);
    expect(budget.body.errors[0]).toMatchObject({
      path: 'budget.amount',
      code: 'isExactNumber',
      params: { maxSignificantDigits: 15, maxDecimalPlaces: 2, maxMagnitude: 1e15 },
    });
    const big = await raw(
      'patch',
      `/projects/${projectId}`,
      `{"version":1,"budget":{"amount":12345678901234567891,"currency":"USD"}}`,
    ).expect(400);
    expect(big.body.errors[0]).toEqual({
      path: 'budget.amount',
      code: 'isExactNumber',
      params: { maxSignificantDigits: 15, maxDecimalPlaces: 2, maxMagnitude: 1e15 },
      message: expect.stringMatching(/^amount has more than 15 significant digits/),
    });
  });
});
