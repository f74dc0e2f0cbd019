import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createDonor, createSimpleProject } from '#libs/testing';
import { approvedProject, type ApprovedProject, validActual } from './support/approved-project.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * Report input stamps (docs/RULES.md, "Fingerprint") are bumped at commit, in key order: two writing
 * transactions that touch the same stamps in different orders never deadlock on them, and a long
 * transaction (an IATI import of a whole file) does not hold the stamps of the projects it touched, so a
 * manager's entry on one of them goes through meanwhile. Two real connections interleave statements
 * with the real triggers; rows written are still counted (the stamps move once both have committed).
 */
describe('report input stamps: concurrent writers in different orders', () => {
  let stack: TestStack;
  let clients: pg.Client[] = [];
  const connect = async () => {
    const client = new pg.Client({ connectionString: stack.db.url });
    await client.connect();
    clients.push(client);
    return client;
  };
  const stamps = async (projectIds: string[]): Promise<{ key: string; stamp: string }[]> =>
    (
      await stack.dataSource.query(
        `SELECT project_id, source, period, stamp FROM report_input_stamp WHERE project_id = ANY($1)
          ORDER BY project_id, source, period`,
        [projectIds],
      )
    ).map((r: { project_id: string; source: string; period: number; stamp: string }) => ({
      key: `${r.project_id}/${r.source}/${r.period}`,
      stamp: r.stamp,
    }));
  const insertActual = (client: pg.Client, seriesId: string, end = '2026-03-31') =>
    client.query(
      `INSERT INTO actual (indicator_series_id, period_start, period_end, value, version) VALUES ($1, $2::date - 30, $2, 7, 1)`,
      [seriesId, end],
    );

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.end()));
    clients = [];
  });
  afterAll(async () => stack?.close());

  it('two transactions entering actuals of projects A and B in opposite orders both commit, and both bump the stamps', async () => {
    const spec = { endTarget: '100', targets: [], actuals: [] };
    const a = await createSimpleProject(stack.dataSource, { ...spec, code: 'DL-A' });
    const b = await createSimpleProject(stack.dataSource, { ...spec, code: 'DL-B' });
    const before = await stamps([a.project.id, b.project.id]);
    const [t1, t2] = [await connect(), await connect()];
    await t1.query('BEGIN');
    await t2.query('BEGIN');
    await insertActual(t1, a.indicator.stableId);
    await insertActual(t2, b.indicator.stableId);
    // Each now writes the other project: with stamps bumped (and locked) per statement this is a
    // deadlock (40P01); bumped at commit, neither waits.
    const crossed = await Promise.allSettled([
      insertActual(t1, b.indicator.stableId, '2026-02-28'),
      insertActual(t2, a.indicator.stableId, '2026-02-28'),
    ]);
    expect(crossed.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual([
      'fulfilled',
      'fulfilled',
    ]);
    // Pending for t1 until it commits: its two keys (A's and B's actuals of 2026 Q1), once each, and
    // one flush marker (one trigger event at commit, however many keys).
    const pending = await t1.query(
      `SELECT source, count(*)::int AS n FROM report_input_stamp_pending WHERE xact = pg_current_xact_id()
        GROUP BY source ORDER BY source`,
    );
    expect(pending.rows).toEqual([
      { source: '', n: 1 },
      { source: 'actuals', n: 2 },
    ]);
    await t1.query('COMMIT');
    // Between the commits: A's and B's actuals stamps moved, by t1, and are moved again by t2.
    const between = await stamps([a.project.id, b.project.id]);
    await t2.query('COMMIT');
    const after = await stamps([a.project.id, b.project.id]);
    const actualsKeys = [a, b].map((p) => `${p.project.id}/actuals/20261`).sort();
    for (const key of actualsKeys) {
      const at = (list: { key: string; stamp: string }[]) => list.find((s) => s.key === key)?.stamp;
      expect(at(before)).not.toBe(at(between));
      expect(at(between)).not.toBe(at(after));
      expect(at(after)).toBeDefined();
    }
    expect(Number((await stack.dataSource.query(`SELECT count(*) FROM actual`))[0].count)).toBe(4);
  });

  it('two transactions crossing two stamps of one project (actuals, project row) in opposite orders both commit', async () => {
    const donor = await createDonor(stack.dataSource, 'Deadlock Fund', 'XM-DL-1');
    const c = await createSimpleProject(stack.dataSource, {
      code: 'DL-C',
      endTarget: '100',
      targets: [],
      actuals: [],
      donorIds: [donor.id],
    });
    const [t1, t2] = [await connect(), await connect()];
    await t1.query('BEGIN');
    await t2.query('BEGIN');
    // t1 (an import): C's actuals, then its funding agreement; t2: C's project row, then another actual.
    // No data row is shared: only the stamps (C actuals 2026 Q1, C project) are.
    await insertActual(t1, c.indicator.stableId);
    await t2.query(`UPDATE project SET title = 'Renamed C' WHERE id = $1`, [c.project.id]);
    const crossed = await Promise.allSettled([
      t1.query(`UPDATE funding_agreement SET amount = 5, currency = 'USD' WHERE project_id = $1`, [c.project.id]),
      insertActual(t2, c.indicator.stableId, '2026-02-28'),
    ]);
    expect(crossed.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual([
      'fulfilled',
      'fulfilled',
    ]);
    await t2.query('COMMIT');
    await t1.query('COMMIT');
    const [row] = await stack.dataSource.query(
      `SELECT p.title, f.amount, (SELECT count(*) FROM actual a WHERE a.indicator_series_id = $2)::int AS actuals
         FROM project p JOIN funding_agreement f ON f.project_id = p.id WHERE p.id = $1`,
      [c.project.id, c.indicator.stableId],
    );
    expect(row).toEqual({ title: 'Renamed C', amount: '5', actuals: 2 });
  });

  it('keys of a rolled-back savepoint are not bumped; nothing stays pending after commit', async () => {
    const e = await createSimpleProject(stack.dataSource, { code: 'DL-E', endTarget: '100', targets: [], actuals: [] });
    const before = await stamps([e.project.id]);
    const t = await connect();
    await t.query('BEGIN');
    await t.query('SAVEPOINT activity');
    await insertActual(t, e.indicator.stableId);
    await t.query('ROLLBACK TO SAVEPOINT activity');
    await t.query(`UPDATE project SET title = title WHERE id = $1`, [e.project.id]); // changes nothing shown
    await t.query('COMMIT');
    expect(await stamps([e.project.id])).toEqual(before);
    expect(await stack.dataSource.query(`SELECT * FROM report_input_stamp_pending`)).toEqual([]);
  });

  describe('through HTTP', () => {
    let p: ApprovedProject;
    beforeAll(async () => {
      p = await approvedProject(stack, { code: 'DLH', outputsPerOutcome: [1] });
    });

    it("a manager's entry goes through while an import that wrote the same project and quarter is still open", async () => {
      const importer = await connect();
      await importer.query('BEGIN');
      // The import wrote another indicator's actual of the same quarter and goes on with other activities.
      await insertActual(importer, p.ids['OP1.1.1']);
      const q1 = `/projects/${p.projectId}/progress/2026/1`;
      const res = await stack
        .http(p.manager)
        .put(`${q1}/actuals`)
        .send({ actuals: [{ ...validActual('number', p.ids['OC1.1'], 9), version: null }] });
      expect(res.status).toBe(200);
      const entered = await stamps([p.projectId]);
      await importer.query('COMMIT');
      const after = await stamps([p.projectId]);
      const key = `${p.projectId}/actuals/20261`;
      expect(after.find((s) => s.key === key)!.stamp).not.toBe(entered.find((s) => s.key === key)!.stamp);
      const read = (await stack.http(p.manager).get(q1).expect(200)).body;
      expect(read.actuals.map((x: { indicatorId: string }) => x.indicatorId).sort()).toEqual(
        [p.ids['OC1.1'], p.ids['OP1.1.1']].sort(),
      );
    });
  });
});
