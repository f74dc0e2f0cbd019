import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ReportBuilderService } from '#libs/reporting';
import { approvedProject, type ApprovedProject, validActual } from './support/approved-project.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * Fingerprint and content agree (docs/RULES.md): the builder recomputes the fingerprint inside the
 * snapshot it builds from. The builder is called directly (no worker) so the race is deterministic:
 * a report is requested, the data change, then the report is built.
 */
describe('reopen race: a report built after its inputs changed carries the fingerprint of its content', () => {
  let stack: TestStack;
  let p: ApprovedProject;
  const q1 = (suffix = '') => `/projects/${p.projectId}/progress/2026/1${suffix}`;
  const as = (token: string) => stack.http(token);
  const save = async (value: number) => {
    const read = (await as(p.manager).get(q1()).expect(200)).body;
    const current = read.actuals.find((a: { indicatorId: string }) => a.indicatorId === p.ids['OC1.1']);
    await as(p.manager)
      .put(q1('/actuals'))
      .send({ actuals: [{ ...validActual('number', p.ids['OC1.1'], value), version: current?.version ?? null }] })
      .expect(200);
  };
  const request = async () =>
    (
      await as(p.manager)
        .post('/reports')
        .send({ scope: 'project', projectId: p.projectId, year: 2026, quarter: 1 })
        .expect(202)
    ).body as { id: string; version: number; created: boolean };
  const report = async (id: string) => (await as(p.manager).get(`/reports/${id}`).expect(200)).body;
  const oc11 = (content: { outcomes: { indicators: { code: string; actualToDate: number }[] }[] }) =>
    content.outcomes[0].indicators.find((i) => i.code === 'OC1.1')!.actualToDate;
  const build = (id: string) => stack.api.get(ReportBuilderService).build(id);

  beforeAll(async () => {
    stack = await startTestStack();
    // One outcome, one output: OC1.1 (number, sum, 25 a quarter), OP1.1.1 (percentage), OP1.1.2 (ordinal).
    p = await approvedProject(stack, { code: 'RACE', outputsPerOutcome: [1] });
  });
  afterAll(async () => stack?.close());

  it('version 1 requested at actual 10, built after a reopen corrected it to 12: content 12 under the fingerprint of 12', async () => {
    await save(10);
    const read = (await as(p.manager).get(q1()).expect(200)).body;
    await as(p.manager)
      .post(q1('/submit'))
      .send({
        version: read.version,
        outcomeRatings: [{ outcomeId: read.outcomes[0].id, rating: 'off_track', justification: 'Trainings delayed' }],
        // OC1.1: 10 of 25 (baseline 0) = 40 % -> off track: explained.
        varianceExplanations: [{ indicatorId: p.ids['OC1.1'], explanation: 'Only one of three trainings took place' }],
      })
      .expect(201);
    await as(p.focal)
      .post(q1('/validate'))
      .send({ version: (await as(p.focal).get(q1()).expect(200)).body.version })
      .expect(201);
    const v1 = await request();
    expect(v1).toMatchObject({ version: 1, created: true });
    const requestedFingerprint = (await report(v1.id)).fingerprint;

    // The race: the quarter is reopened and corrected before the worker builds version 1.
    await as(p.focal)
      .post(q1('/reopen'))
      .send({ version: (await as(p.focal).get(q1()).expect(200)).body.version, reason: 'Register recounted' })
      .expect(201);
    await save(12);
    expect(await build(v1.id)).toBe('completed');

    const built = await report(v1.id);
    expect(built.status).toBe('completed');
    expect(oc11(built.content)).toBe(12);
    expect(built.fingerprint).not.toBe(requestedFingerprint);
    // A request now (actual 12) computes that same fingerprint: it gets version 1, nothing new is built.
    const again = await request();
    expect(again).toMatchObject({ id: v1.id, version: 1, created: false });
  });

  it('a report whose new fingerprint another report already has becomes superseded and points to it', async () => {
    await save(14);
    const v2 = await request(); // fingerprint of 14
    await save(15);
    const v3 = await request(); // fingerprint of 15
    expect([v2.version, v3.version, v2.created, v3.created]).toEqual([2, 3, true, true]);
    const v3Fingerprint = (await report(v3.id)).fingerprint;

    expect(await build(v2.id)).toBe('superseded');
    const superseded = await report(v2.id);
    expect(superseded).toMatchObject({ status: 'superseded', supersededById: v3.id, content: null });

    expect(await build(v3.id)).toBe('completed');
    const built = await report(v3.id);
    expect(built).toMatchObject({ status: 'completed', fingerprint: v3Fingerprint, supersededById: null });
    expect(oc11(built.content)).toBe(15);
    // Building version 2 again changes nothing.
    expect(await build(v2.id)).toBe('superseded');
  });
  it('two builds of one report at once (a job run again while the first still runs): one stores it, the other leaves it as stored', async () => {
    await save(16);
    const v = await request();
    expect(v.created).toBe(true);
    await stack.dataSource.query(`CREATE TABLE test_store_log (report_id uuid NOT NULL, format text NOT NULL)`);
    await stack.dataSource.query(`CREATE FUNCTION test_log_store() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO test_store_log VALUES (NEW.report_id, NEW.format::text); RETURN NEW; END $$`);
    await stack.dataSource.query(
      `CREATE TRIGGER test_store_log AFTER INSERT ON report_file FOR EACH ROW EXECUTE FUNCTION test_log_store()`,
    );
    try {
      const outcomes = await Promise.all([build(v.id), build(v.id)]);
      expect(outcomes.sort()).toEqual(['already-completed', 'completed']);
      const logged = await stack.dataSource.query(
        `SELECT format FROM test_store_log WHERE report_id = $1 ORDER BY format`,
        [v.id],
      );
      expect(logged.map((r: { format: string }) => r.format)).toEqual(['csv', 'json']);
      const built = await report(v.id);
      expect(built.status).toBe('completed');
      expect(oc11(built.content)).toBe(16);
    } finally {
      await stack.dataSource.query(`DROP TRIGGER test_store_log ON report_file`);
    }
  });
});
