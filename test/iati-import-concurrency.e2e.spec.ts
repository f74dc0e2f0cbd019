import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { Response } from 'supertest';
import { startTestStack, type TestStack, waitFor } from './support/test-stack.js';

/**
 * Two imports of overlapping IATI files at once (docs/RULES.md, "IATI 2.03 import"): each file is one
 * transaction, so before the import took its identifiers' locks up front two files holding the same
 * activities in opposite orders deadlocked on the project rows (40P01: one activity not imported), and
 * two files creating the same new projects in opposite orders deadlocked or met a unique violation;
 * before it also locked the donors and org units it creates, two files of different activities creating
 * the same two new donors (or org units) in opposite orders deadlocked on their unique keys (40P01: one
 * activity not imported).
 *
 * The interleaving is forced from the test's own connection, nothing in the product: a trigger the test
 * adds to its database makes each transaction's first write of the watched table wait for an advisory
 * lock the test holds, after the row is written (and locked). The test lets go once both imports wait.
 */
const file = (activities: string) =>
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2026-11-30T00:00:00Z">${activities}</iati-activities>`);

/**
 * An activity with one output indicator (people trained) whose 2026 Q1 actual is `actual`, funded by
 * `funders` (participating-org role 1, in that order) and reported by `reportingOrg` (the org unit it
 * is imported into when the import names none).
 */
const activity = (id: string, title: string, actual: number, funders: string[] = [], reportingOrg = 'XM-CONC') => `
  <iati-activity default-currency="USD" last-updated-datetime="2026-11-30T00:00:00Z">
    <iati-identifier>${id}</iati-identifier>
    <reporting-org ref="${reportingOrg}" type="40"><narrative>Org ${reportingOrg}</narrative></reporting-org>
    <title><narrative>${title}</narrative></title>
    ${funders.map((f) => `<participating-org ref="${f}" role="1"><narrative>Fund ${f}</narrative></participating-org>`).join('')}
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2026-01-01"/>
    <activity-date type="3" iso-date="2027-12-31"/>
    <result type="1">
      <title><narrative>Teachers trained</narrative></title>
      <indicator measure="1" ascending="1">
        <title><narrative>Teachers trained in inclusive education</narrative></title>
        <baseline year="2025" value="0"/>
        <period>
          <period-start iso-date="2026-01-01"/><period-end iso-date="2026-03-31"/>
          <target value="50"/><actual value="${actual}"/>
        </period>
      </indicator>
    </result>
  </iati-activity>`;

type Issue = { severity: string; code: string; path: string; message: string };

/** Advisory lock (two-int form) the test holds while the imports line up; no product code uses it. */
const HOLD = [4711, 1];

describe('IATI import: overlapping files imported at once', () => {
  let stack: TestStack;
  let holder: pg.Client;

  /** Makes every transaction's first insert or update of `table` wait for the test's lock (after the write). */
  const holdFirstWriteOf = async (table: 'project' | 'donor' | 'org_unit') => {
    await stack.dataSource.query(`
      CREATE OR REPLACE FUNCTION test_hold_first_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(current_setting('rbm_test.held', true), '') = '' THEN
          PERFORM set_config('rbm_test.held', 'yes', true);
          PERFORM pg_advisory_xact_lock_shared(${HOLD[0]}, ${HOLD[1]});
        END IF;
        RETURN NULL;
      END $$`);
    await stack.dataSource.query(
      `CREATE TRIGGER test_hold_first_write AFTER INSERT OR UPDATE ON ${table}
         FOR EACH ROW EXECUTE FUNCTION test_hold_first_write()`,
    );
  };
  /** Sessions of this database waiting for a lock (the imports, once lined up). */
  const waiting = async () =>
    Number(
      (
        await holder.query(
          `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      ).rows[0].count,
    );
  /**
   * Starts import `first`, waits until it waits, starts `second`, waits until both wait, lets go, and
   * returns both answers (in the order given).
   */
  const importInterleaved = async (first: Buffer, second: Buffer): Promise<[Response, Response]> => {
    await holder.query('SELECT pg_advisory_lock($1, $2)', HOLD);
    const one = stack
      .http()
      .post('/imports/iati')
      .attach('file', first, 'first.xml')
      .then((r) => r);
    await waitFor(async () => (await waiting()) === 1, 120_000);
    const two = stack
      .http()
      .post('/imports/iati')
      .attach('file', second, 'second.xml')
      .then((r) => r);
    await waitFor(async () => (await waiting()) === 2, 120_000);
    await holder.query('SELECT pg_advisory_unlock($1, $2)', HOLD);
    return Promise.all([one, two]);
  };
  const errorsOf = (res: Response) =>
    (res.body.issues as Issue[]).filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.message}`);
  /** Title and 2026 Q1 actual of each project, by identifier. */
  const state = async (ids: string[]) =>
    stack.dataSource.query(
      `SELECT p.iati_identifier AS id, p.title, a.value AS actual
         FROM project p JOIN indicator_series s ON s.project_id = p.id
         JOIN actual a ON a.indicator_series_id = s.id AND a.period_end = '2026-03-31'
        WHERE p.iati_identifier = ANY($1) ORDER BY 1`,
      [ids],
    );

  beforeAll(async () => {
    stack = await startTestStack();
    holder = new pg.Client({ connectionString: stack.db.url });
    await holder.connect();
  });
  afterEach(async () => {
    await stack.dataSource.query('DROP TRIGGER IF EXISTS test_hold_first_write ON project');
    await stack.dataSource.query('DROP TRIGGER IF EXISTS test_hold_first_write ON donor');
    await stack.dataSource.query('DROP TRIGGER IF EXISTS test_hold_first_write ON org_unit');
  });
  afterAll(async () => {
    await holder?.end();
    await stack?.close();
  });

  it('two files updating the same projects in opposite orders both import in full; the later one wins, results in file order', async () => {
    await stack
      .http()
      .post('/imports/iati')
      .attach(
        'file',
        file(activity('XM-CONC-A', 'A as first published', 1) + activity('XM-CONC-B', 'B as first published', 2)),
        'v0.xml',
      )
      .expect(201);
    await holdFirstWriteOf('project');
    const [one, two] = await importInterleaved(
      file(activity('XM-CONC-A', 'A by file one', 11) + activity('XM-CONC-B', 'B by file one', 12)),
      file(activity('XM-CONC-B', 'B by file two', 22) + activity('XM-CONC-A', 'A by file two', 21)),
    );
    expect([one.status, two.status]).toEqual([201, 201]);
    expect([errorsOf(one), errorsOf(two)]).toEqual([[], []]);
    expect(one.body.projects).toEqual({ created: 0, updated: 2, unchanged: 0 });
    expect(two.body.projects).toEqual({ created: 0, updated: 2, unchanged: 0 });
    expect(two.body.actuals).toEqual({ created: 0, updated: 2, unchanged: 0 });
    // Each answer lists its projects in its file's order.
    expect(one.body.projectResults.map((r: { iatiIdentifier: string }) => r.iatiIdentifier)).toEqual([
      'XM-CONC-A',
      'XM-CONC-B',
    ]);
    expect(two.body.projectResults.map((r: { iatiIdentifier: string }) => r.iatiIdentifier)).toEqual([
      'XM-CONC-B',
      'XM-CONC-A',
    ]);
    // File one went first (it held its locks when file two started): file two is what is stored.
    expect(await state(['XM-CONC-A', 'XM-CONC-B'])).toEqual([
      { id: 'XM-CONC-A', title: 'A by file two', actual: '21' },
      { id: 'XM-CONC-B', title: 'B by file two', actual: '22' },
    ]);
  }, 300_000);

  it('two files creating the same new projects in opposite orders: the first creates them, the second updates them', async () => {
    await holdFirstWriteOf('project');
    const [one, two] = await importInterleaved(
      file(activity('XM-CONC-C', 'C by file one', 31) + activity('XM-CONC-D', 'D by file one', 32)),
      file(activity('XM-CONC-D', 'D by file two', 42) + activity('XM-CONC-C', 'C by file two', 41)),
    );
    expect([one.status, two.status]).toEqual([201, 201]);
    expect([errorsOf(one), errorsOf(two)]).toEqual([[], []]);
    expect(one.body.projects).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(two.body.projects).toEqual({ created: 0, updated: 2, unchanged: 0 });
    expect(two.body.projectResults.map((r: { iatiIdentifier: string }) => r.iatiIdentifier)).toEqual([
      'XM-CONC-D',
      'XM-CONC-C',
    ]);
    expect(await state(['XM-CONC-C', 'XM-CONC-D'])).toEqual([
      { id: 'XM-CONC-C', title: 'C by file two', actual: '41' },
      { id: 'XM-CONC-D', title: 'D by file two', actual: '42' },
    ]);
    const [counts] = await stack.dataSource.query(
      `SELECT count(*)::int AS projects, count(DISTINCT r.id)::int AS revisions
         FROM project p JOIN logframe_revision r ON r.project_id = p.id WHERE p.iati_identifier IN ('XM-CONC-C', 'XM-CONC-D')`,
    );
    expect(counts).toEqual({ projects: 2, revisions: 2 });
  }, 300_000);

  it('two files of different projects funded by the same new donor both import; one donor, funding both', async () => {
    await holdFirstWriteOf('donor');
    const [one, two] = await importInterleaved(
      file(activity('XM-CONC-E', 'E', 51, ['XM-NEW-FUND'])),
      file(activity('XM-CONC-F', 'F', 61, ['XM-NEW-FUND'])),
    );
    expect([one.status, two.status]).toEqual([201, 201]);
    expect([errorsOf(one), errorsOf(two)]).toEqual([[], []]);
    expect(one.body.donors).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(two.body.donors).toEqual({ created: 0, updated: 0, unchanged: 1 });
    const funded = await stack.dataSource.query(
      `SELECT p.iati_identifier AS id, d.iati_org_ref AS donor FROM funding_agreement f
         JOIN project p ON p.id = f.project_id JOIN donor d ON d.id = f.donor_id
        WHERE d.iati_org_ref = 'XM-NEW-FUND' ORDER BY 1`,
    );
    expect(funded).toEqual([
      { id: 'XM-CONC-E', donor: 'XM-NEW-FUND' },
      { id: 'XM-CONC-F', donor: 'XM-NEW-FUND' },
    ]);
  }, 300_000);

  /**
   * Rounds of the donor and org unit tests below: each round uses new donors (org units) and alternates
   * which file starts first, so both lock orders are taken; before the fix every round deadlocked (the
   * first of five in the helper's runs), so two rounds, one per order, keep the suite short for CI.
   */
  const ROUNDS = 2;

  it('two files of different projects each creating the same two new donors in opposite orders both import; each donor once', async () => {
    await holdFirstWriteOf('donor');
    for (let round = 1; round <= ROUNDS; round += 1) {
      const [d1, d2] = [`XM-FUND-${round}-1`, `XM-FUND-${round}-2`];
      const [g, h] = [`XM-CONC-G${round}`, `XM-CONC-H${round}`];
      const fileG = file(activity(g, `G${round}`, 70 + round, [d1, d2]));
      const fileH = file(activity(h, `H${round}`, 80 + round, [d2, d1]));
      const gFirst = round % 2 === 1;
      const [first, second] = await importInterleaved(gFirst ? fileG : fileH, gFirst ? fileH : fileG);
      expect({ round, statuses: [first.status, second.status] }).toEqual({ round, statuses: [201, 201] });
      expect({ round, errors: [errorsOf(first), errorsOf(second)] }).toEqual({ round, errors: [[], []] });
      // The file that started first created both donors; the other waited and found them.
      expect([first.body.donors, second.body.donors]).toEqual([
        { created: 2, updated: 0, unchanged: 0 },
        { created: 0, updated: 0, unchanged: 2 },
      ]);
      expect(await state([g, h])).toEqual([
        { id: g, title: `G${round}`, actual: String(70 + round) },
        { id: h, title: `H${round}`, actual: String(80 + round) },
      ]);
      const donors = await stack.dataSource.query(
        `SELECT d.iati_org_ref AS donor, count(DISTINCT d.id)::int AS rows, array_agg(p.iati_identifier ORDER BY p.iati_identifier) AS funds
           FROM donor d JOIN funding_agreement f ON f.donor_id = d.id JOIN project p ON p.id = f.project_id
          WHERE d.iati_org_ref = ANY($1) GROUP BY 1 ORDER BY 1`,
        [[d1, d2]],
      );
      expect(donors).toEqual([
        { donor: d1, rows: 1, funds: [g, h] },
        { donor: d2, rows: 1, funds: [g, h] },
      ]);
    }
  }, 300_000);

  it('two files of different projects each creating the same two new org units in opposite orders both import; each unit once', async () => {
    await holdFirstWriteOf('org_unit');
    for (let round = 1; round <= ROUNDS; round += 1) {
      const [u1, u2] = [`XM-OU-${round}-1`, `XM-OU-${round}-2`];
      const [p, q, r, s] = ['P', 'Q', 'R', 'S'].map((x) => `XM-CONC-${x}${round}`);
      // File one: P reported by u1, then Q by u2; file two: R by u2, then S by u1.
      const fileOne = file(activity(p, `P${round}`, 1, [], u1) + activity(q, `Q${round}`, 2, [], u2));
      const fileTwo = file(activity(r, `R${round}`, 3, [], u2) + activity(s, `S${round}`, 4, [], u1));
      const oneFirst = round % 2 === 1;
      const [first, second] = await importInterleaved(oneFirst ? fileOne : fileTwo, oneFirst ? fileTwo : fileOne);
      expect({ round, statuses: [first.status, second.status] }).toEqual({ round, statuses: [201, 201] });
      expect({ round, errors: [errorsOf(first), errorsOf(second)] }).toEqual({ round, errors: [[], []] });
      expect([first.body.projects, second.body.projects]).toEqual([
        { created: 2, updated: 0, unchanged: 0 },
        { created: 2, updated: 0, unchanged: 0 },
      ]);
      const units = await stack.dataSource.query(
        `SELECT u.code, count(DISTINCT u.id)::int AS rows, array_agg(pr.iati_identifier ORDER BY pr.iati_identifier) AS projects
           FROM org_unit u JOIN project pr ON pr.org_unit_id = u.id
          WHERE u.code = ANY($1) GROUP BY 1 ORDER BY 1`,
        [[u1, u2]],
      );
      expect(units).toEqual([
        { code: u1, rows: 1, projects: [p, s] },
        { code: u2, rows: 1, projects: [q, r] },
      ]);
      expect((await state([p, q, r, s])).map((row: { actual: string }) => row.actual)).toEqual(['1', '2', '3', '4']);
    }
  }, 300_000);
});
