import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { approvedProject, type ApprovedProject, validActual } from './support/approved-project.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

type Conflict = {
  path: string;
  code: string;
  params: Record<string, unknown>;
  message: string;
  current: Record<string, unknown> | null;
};

describe('ordinary input never answers 500; concurrent saves of actuals never overwrite each other', () => {
  let stack: TestStack;
  let p: ApprovedProject;
  const quarter = (q: number, suffix = '') => `/projects/${p.projectId}/progress/2026/${q}${suffix}`;
  const read = async (q: number) => (await stack.http(p.manager).get(quarter(q)).expect(200)).body;

  beforeAll(async () => {
    stack = await startTestStack();
    // 2 outcomes with 3 and 2 outputs: 2 + 10 = 12 indicators (3 number, 3 percentage, 3 ordinal, 3 qualitative).
    p = await approvedProject(stack, { code: 'RES1', outputsPerOutcome: [3, 2] });
  });
  afterAll(async () => stack?.close());

  it('checks sort keys against the allow-list: Object.prototype names are 400, not 500', async () => {
    for (const sort of ['toString', 'constructor', '-valueOf', 'hasOwnProperty']) {
      const res = await stack.http().get(`/projects?sort=${sort}`).expect(400);
      expect(res.body.errors).toEqual([
        {
          path: 'sort',
          code: 'isIn',
          params: { values: 'code, title, startDate, endDate' },
          message: 'sort must be one of: code, title, startDate, endDate (prefix - for descending)',
        },
      ]);
    }
    for (const path of ['/programmes', '/donors', '/standard-indicators'])
      expect((await stack.http().get(`${path}?sort=toString`)).status).toBe(400);
    await stack.http().get('/projects?sort=-code').expect(200);
  });

  it('answers 400 naming the field for text that is not valid Unicode (a lone surrogate), never 500', async () => {
    // Found by the fuzz suite: validator's isEmail measured the byte length with encodeURI, which throws
    // a URIError on "\ud800"; the body parser now refuses such text first, for every route.
    const body = '{"email":"a\\ud800@test.rbm","displayName":"Lone","password":"long-enough-pw"}';
    const res = await stack.http().post('/admin/users').set('Content-Type', 'application/json').send(body).expect(400);
    expect(res.body.errors).toEqual([
      {
        path: 'email',
        code: 'malformed',
        params: {},
        message: 'contains a lone UTF-16 surrogate: send valid Unicode text',
      },
    ]);
    const nested = await stack
      .http(p.manager)
      .put(quarter(1, '/actuals'))
      .set('Content-Type', 'application/json')
      .send('{"actuals":[{"indicatorId":"x","comment":"ok \\udc00"}]}')
      .expect(400);
    expect(nested.body.errors).toEqual([
      {
        path: 'actuals[0].comment',
        code: 'malformed',
        params: {},
        message: 'contains a lone UTF-16 surrogate: send valid Unicode text',
      },
    ]);
    // A proper pair (an emoji) is text like any other.
    await stack
      .http()
      .post('/admin/users')
      .send({ email: 'pair@test.rbm', displayName: 'Pair \u{1F600}', password: 'long-enough-pw' })
      .expect(201);
  });

  it('names the real problem: a missing or non-array list "must be an array"', async () => {
    const missing = await stack.http(p.manager).put(quarter(1, '/actuals')).send({}).expect(400);
    expect(missing.body.errors).toEqual([
      {
        path: 'actuals',
        code: 'required',
        params: { type: 'array' },
        message: 'actuals is required and must be an array',
      },
    ]);
    const text = await stack.http(p.manager).put(quarter(1, '/actuals')).send({ actuals: 'all' }).expect(400);
    expect(text.body.errors).toEqual([
      { path: 'actuals', code: 'isArray', params: {}, message: 'actuals must be an array' },
    ]);
    const comment = await stack
      .http(p.manager)
      .put(quarter(1, '/actuals'))
      .send({ actuals: [{ indicatorId: p.ids['OC1.1'], value: 1, comment: 7 }] })
      .expect(400);
    expect(comment.body.errors).toEqual([
      { path: 'actuals[0].comment', code: 'isString', params: {}, message: 'comment must be a string' },
    ]);
  });

  it('accepts a quarter of 1,000 actuals with disaggregation (a body far over 100 kB) and refuses 1,001 by name', async () => {
    // 12 indicators x 84 distinct periods (start 2026-04-01 + k days, end 2026-06-30) = 1,008 >= 1,000.
    const codes = Object.keys(p.ids);
    const actuals = Array.from({ length: 1000 }, (_, i) => {
      const code = codes[i % codes.length];
      const start = new Date(Date.UTC(2026, 3, 1 + Math.floor(i / codes.length))).toISOString().slice(0, 10);
      return {
        ...validActual(p.measures[code], p.ids[code], 10 + (i % 7)),
        periodStart: start,
        periodEnd: '2026-06-30',
        comment: `Entered from the field office register, line ${i + 1} (checked by the M&E officer).`,
        evidenceUrl: `https://intranet.example.org/evidence/2026-q2/register-${i + 1}.pdf`,
      };
    });
    const body = JSON.stringify({ actuals });
    expect(body.length).toBeGreaterThan(250_000);
    const res = await stack
      .http(p.manager)
      .put(quarter(2, '/actuals'))
      .set('content-type', 'application/json')
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body.actuals).toHaveLength(1000);
    const [{ n }] = await stack.dataSource.query(
      `SELECT count(*)::int AS n FROM actual_disaggregation d JOIN actual a ON a.id = d.actual_id WHERE a.period_end = '2026-06-30'`,
    );
    // The number indicators (3 of 12) carry 2 sex parts each: 1,000 actuals, indices i % 12 in {0, 4, 8}: 84 + 83 + 83 = 250 actuals, 500 parts.
    expect(n).toBe(500);
    const tooMany = await stack
      .http(p.manager)
      .put(quarter(2, '/actuals'))
      .send({ actuals: [...actuals, actuals[0]] })
      .expect(400);
    expect(tooMany.body.errors).toEqual([
      {
        path: 'actuals',
        code: 'arrayMaxSize',
        params: { max: 1000 },
        message: 'actuals must contain no more than 1000 elements',
      },
    ]);
    const huge = await stack
      .http(p.manager)
      .put(quarter(2, '/actuals'))
      .set('content-type', 'application/json')
      .send(JSON.stringify({ actuals: [{ indicatorId: p.ids['OC1.1'], comment: 'x'.repeat(5 * 1024 * 1024) }] }))
      .expect(413);
    expect(huge.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      code: 'PAYLOAD_TOO_LARGE',
      params: {},
      message: 'The request body is larger than the API accepts (JSON bodies: 4 MB); send less at a time',
    });
  });

  it('20 parallel saves of one actual read at the same version: one 200 and nineteen 409 naming the winner', async () => {
    // The saver is named by display name and the role they acted in.
    await stack.dataSource.query(`UPDATE app_user SET display_name = 'Ram Thapa' WHERE email = 'pm-res1@test.rbm'`);
    const ram = { displayName: 'Ram Thapa', role: 'project_manager' };
    await stack
      .http(p.manager)
      .put(quarter(1, '/actuals'))
      .send({ actuals: [validActual('number', p.ids['OC1.1'], 10)] })
      .expect(200);
    const first = (await read(1)).actuals.find((a: { indicatorId: string }) => a.indicatorId === p.ids['OC1.1']);
    expect(first).toMatchObject({ value: 10, version: 1, savedBy: ram, periodStart: '2026-01-01' });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        stack
          .http(p.manager)
          .put(quarter(1, '/actuals'))
          .send({ actuals: [{ ...validActual('number', p.ids['OC1.1'], 20 + i), version: first.version }] }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const conflicts = results.filter((r) => r.status === 409);
    expect([ok.length, conflicts.length]).toEqual([1, 19]);
    // The winner's value is the one stored, at version 2; every loser is told so.
    const winner = results.indexOf(ok[0]) + 20;
    const now = (await read(1)).actuals.find((a: { indicatorId: string }) => a.indicatorId === p.ids['OC1.1']);
    expect(now).toMatchObject({ value: winner, version: 2, savedBy: ram });
    for (const c of conflicts) {
      expect(c.body.message).toBe(
        '1 actual(s) of 2026-Q1 changed since you read them; nothing was saved: reload, compare and save again',
      );
      const [error] = c.body.errors as Conflict[];
      expect(error.path).toBe('actuals[0].version');
      expect(error.code).toBe('stale_version');
      expect(error.params).toEqual({
        indicator: 'OC1.1',
        periodStart: '2026-01-01',
        periodEnd: '2026-03-31',
        yours: 1,
        current: 2,
      });
      expect(error.message).toBe(
        `OC1.1 2026-01-01..2026-03-31 is at version 2, you read version 1; saved by Ram Thapa at ${now.savedAt}`,
      );
      expect(error.current).toEqual({
        indicatorId: p.ids['OC1.1'],
        indicatorCode: 'OC1.1',
        periodStart: '2026-01-01',
        periodEnd: '2026-03-31',
        value: winner,
        numerator: null,
        denominator: null,
        text: null,
        rating: null,
        version: 2,
        savedBy: ram,
        savedAt: now.savedAt,
      });
    }
    // A new actual sent with a version, and an existing one sent without: both stale.
    const noVersion = await stack
      .http(p.manager)
      .put(quarter(1, '/actuals'))
      .send({
        actuals: [
          validActual('number', p.ids['OC1.1'], 5),
          { ...validActual('ordinal', p.ids['OP1.1.2'], 1), version: 3 },
        ],
      })
      .expect(409);
    expect(
      (noVersion.body.errors as Conflict[]).map(({ code, params }) => ({
        code,
        params,
      })),
    ).toEqual([
      {
        code: 'stale_version',
        params: { indicator: 'OC1.1', periodStart: '2026-01-01', periodEnd: '2026-03-31', yours: null, current: 2 },
      },
      {
        code: 'not_saved',
        params: { indicator: 'OP1.1.2', periodStart: '2026-01-01', periodEnd: '2026-03-31', yours: 3 },
      },
    ]);
    expect((noVersion.body.errors as Conflict[]).map((e) => e.message)).toEqual([
      `OC1.1 2026-01-01..2026-03-31 is at version 2 (you sent none: it did not exist when you read it); saved by Ram Thapa at ${now.savedAt}`,
      'OP1.1.2 2026-01-01..2026-03-31 has no saved actual: send it without a version',
    ]);
  });

  it('10 parallel saves of 10 different indicators in one quarter all succeed (component leads)', async () => {
    const codes = Object.keys(p.ids)
      .filter((c) => c !== 'OC1.1')
      .slice(0, 10);
    expect(codes).toHaveLength(10);
    const results = await Promise.all(
      codes.map((code, i) =>
        stack
          .http(p.manager)
          .put(quarter(1, '/actuals'))
          .send({ actuals: [validActual(p.measures[code], p.ids[code], 30 + i)] }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const saved = (await read(1)).actuals as { indicatorId: string; version: number }[];
    // OC1.1 (version 2) and the ten new ones (version 1 each).
    expect(saved).toHaveLength(11);
    expect(saved.filter((a) => a.version === 1)).toHaveLength(10);
  });
});
