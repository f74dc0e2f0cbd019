import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, QueryCounter, TransactionRunner } from '#libs/database';
import { LogframeReader, READ_HEAD_SQL } from '#libs/logframe';
import { ProgressReadRepository } from '#libs/progress';
import { ReportBuilderService, ReportInputsRepository, ReportRepository, ReportRequestService } from '#libs/reporting';
import { createTestDatabase, logframeServiceOn, type TestDatabase } from '#libs/testing';
import { PORTFOLIO_SIZES, seedPortfolio } from '../bench/portfolio.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * Plans and statement counts at portfolio scale (no timing): the bench's generator seeds two
 * portfolios in their own databases, each followed by VACUUM ANALYZE (as autovacuum leaves a table at
 * rest: statistics and the visibility map the index-only read relies on), so the planner decides on real row
 * counts. No plan of the report-input or logframe-read statements scans the whole `actual` table, and a
 * report and a logframe read take the same number of statements at both sizes. The logframe read's
 * entity tag is checked through HTTP on the larger one.
 *
 * Sizes: S (10 projects, 24,000 actuals) and M (100 projects, 240,000 actuals), as the issue asks
 * (seeding M takes about 30 s on a quiet 2-core machine; until the sixth session a 20-project stand-in
 * was used, when seeding M took about 100 s under shared load). S already shows the plan choice: there
 * the former per-series count (LEFT JOIN actual ... GROUP BY) is planned as a sequential scan of
 * `actual` (asserted below), so the rewritten statement is tested where the old one fails.
 */
const SMALL = PORTFOLIO_SIZES.S;
const MEDIUM = PORTFOLIO_SIZES.M;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every node of an EXPLAIN (FORMAT JSON) plan, depth first. */
function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

/** The statements (with their parameters) that read `actual`, from what the counter recorded. */
function statementsOnActual(counter: QueryCounter): { sql: string; parameters: unknown[] }[] {
  return counter.statements
    .map((sql, i) => ({ sql, parameters: counter.parameters[i] ?? [] }))
    .filter(({ sql }) => /^\s*(SELECT|WITH)\b/i.test(sql) && /("actual"|\bactual\b)(?!_)/i.test(sql));
}

/** Statements of one report (request with fingerprint, then build) and one logframe read (state + document). */
async function measure(dataSource: DataSource, counter: QueryCounter) {
  const reader = new LogframeReader(dataSource);
  const inputs = new ReportInputsRepository(dataSource, reader, new ProgressReadRepository(dataSource));
  const [project]: { id: string }[] = await dataSource.query(`SELECT id FROM project WHERE code = 'PF-00001'`);
  counter.reset();
  const { report } = await new ReportRequestService(
    new TransactionRunner(dataSource),
    inputs,
    new ReportRepository(dataSource),
  ).requestProjectReport({
    projectId: project.id,
    year: 2026,
    quarter: 3,
  });
  const request = counter.count;
  const requestOnActual = statementsOnActual(counter);
  counter.reset();
  expect(
    await new ReportBuilderService(new TransactionRunner(dataSource), inputs, new ReportRepository(dataSource)).build(
      report.id,
    ),
  ).toBe('completed');
  const build = counter.count;
  const buildOnActual = statementsOnActual(counter);
  const logframes = logframeServiceOn(dataSource);
  counter.reset();
  const state = await logframes.readState(project.id, { revision: 'approved' });
  const doc = await logframes.document(state);
  const read = counter.count;
  const readStatements = [...counter.statements];
  const readOnActual = statementsOnActual(counter);
  return {
    counts: { request, build, read },
    requestOnActual,
    onActual: [...requestOnActual, ...buildOnActual, ...readOnActual],
    readOnActual,
    readStatements,
    indicators: doc.outcomes.reduce(
      (n, o) => n + o.indicators.length + o.outputs.reduce((m, p) => m + p.indicators.length, 0),
      0,
    ),
  };
}

describe('portfolio scale: plans and statement counts (generator, S and M: 10 and 100 projects)', () => {
  let stack: TestStack;
  let small: TestDatabase;
  let smallSource: DataSource;
  let mediumSource: DataSource;
  const smallCounter = new QueryCounter();
  const mediumCounter = new QueryCounter();

  beforeAll(async () => {
    stack = await startTestStack();
    await seedPortfolio(stack.dataSource, MEDIUM, { sdgLoaded: true });
    await stack.dataSource.query('VACUUM ANALYZE');
    mediumSource = new DataSource({
      ...buildDataSourceOptions(process.env.DATABASE_URL!),
      logger: mediumCounter,
      logging: ['query'],
    });
    await mediumSource.initialize();
    small = await createTestDatabase();
    smallSource = new DataSource({ ...buildDataSourceOptions(small.url), logger: smallCounter, logging: ['query'] });
    await smallSource.initialize();
    await smallSource.runMigrations({ transaction: 'each' });
    await seedPortfolio(smallSource, SMALL);
    await smallSource.query('VACUUM ANALYZE');
  }, 600000);

  afterAll(async () => {
    await mediumSource?.destroy();
    await smallSource?.destroy();
    await small?.drop();
    await stack?.close();
  });

  it('seeds the sizes with the same per-project shape (60 indicators and 2,400 actuals a project)', async () => {
    const counts = async (ds: DataSource) =>
      (
        await ds.query(
          `SELECT (SELECT count(*) FROM project)::int AS projects, (SELECT count(*) FROM indicator)::int AS indicators,
                  (SELECT count(*) FROM actual)::int AS actuals`,
        )
      )[0];
    // 10 projects x 60 indicators x 40 monthly actuals; 100 projects likewise.
    expect(await counts(smallSource)).toEqual({ projects: 10, indicators: 600, actuals: 24000 });
    expect(await counts(mediumSource)).toEqual({ projects: 100, indicators: 6000, actuals: 240000 });
  });

  it('plans the former per-series count as a sequential scan of actual already at S (the size shows the choice)', async () => {
    const [project]: { id: string }[] = await smallSource.query(`SELECT id FROM project WHERE code = 'PF-00001'`);
    const former = `SELECT s.id, count(a.id)::int AS n FROM indicator_series s LEFT JOIN actual a ON a.indicator_series_id = s.id WHERE s.project_id = $1 GROUP BY s.id`;
    const [{ 'QUERY PLAN': plan }]: { 'QUERY PLAN': { Plan: PlanNode }[] }[] = await smallSource.query(
      `EXPLAIN (FORMAT JSON) ${former}`,
      [project.id],
    );
    expect(planNodes(plan[0].Plan).some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'actual')).toBe(
      true,
    );
  });

  it('reads a report and a logframe with the same statements at both sizes, and no plan scans actual', async () => {
    const atSmall = await measure(smallSource, smallCounter);
    const atMedium = await measure(mediumSource, mediumCounter);
    expect(atMedium.indicators).toBe(60);
    expect(atMedium.counts).toEqual(atSmall.counts);
    // The read: one statement for the project's reach, the revision heads and the stamps of its series
    // (LogframeReader.readHead: all a read answered from cache or with 304 runs), then, to build the
    // document, the nine statements of the tree and one for the series states (LogframeReader.seriesStates).
    expect(atMedium.counts.read).toBe(11);
    // The head reads no actual and no series: its tag comes from the maintained report input stamps.
    // (The head is a PL/pgSQL function, migration 1766000000000, so each connection plans it once.)
    expect(atMedium.readStatements[0]).toBe(READ_HEAD_SQL);
    const [{ body }]: { body: string }[] = await mediumSource.query(
      `SELECT prosrc AS body FROM pg_proc WHERE proname = 'logframe_read_head'`,
    );
    expect(body).toMatch(/FROM report_input_stamp st/);
    expect(body).not.toMatch(/\bactual\b(?!_)|indicator_series/);
    // No statement of the read selects the revision's snapshot.
    expect(atMedium.readStatements.filter((sql) => /"snapshot"|\bsnapshot\b(?!_)/i.test(sql))).toEqual([]);

    // The request's fingerprint comes from version stamps: it reads no actual at all.
    expect(atSmall.requestOnActual).toEqual([]);
    expect(atMedium.requestOnActual).toEqual([]);
    // Report inputs (build) and the logframe read: every statement reading `actual`, at both sizes.
    expect(atMedium.onActual.length).toBeGreaterThanOrEqual(2);
    for (const [source, statements] of [
      [smallSource, atSmall.onActual],
      [mediumSource, atMedium.onActual],
    ] as const) {
      for (const { sql, parameters } of statements) {
        const [{ 'QUERY PLAN': plan }]: { 'QUERY PLAN': { Plan: PlanNode }[] }[] = await source.query(
          `EXPLAIN (FORMAT JSON) ${sql}`,
          parameters,
        );
        const scans = planNodes(plan[0].Plan)
          .filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'actual')
          .map(() => sql);
        expect(scans).toEqual([]);
      }
    }
    // The document's series states take each series' actual count and latest change from the index that
    // carries the timestamps (migration 1765950000000): no heap fetch per actual.
    for (const [source, statements] of [
      [smallSource, atSmall.readOnActual],
      [mediumSource, atMedium.readOnActual],
    ] as const) {
      expect(statements).toHaveLength(1);
      const [{ sql, parameters }] = statements;
      const [{ 'QUERY PLAN': plan }]: { 'QUERY PLAN': { Plan: PlanNode }[] }[] = await source.query(
        `EXPLAIN (FORMAT JSON) ${sql}`,
        parameters,
      );
      const onActual = planNodes(plan[0].Plan)
        .filter((n) => n['Relation Name'] === 'actual')
        .map((n) => `${n['Node Type']} ${String(n['Index Name'])}`);
      expect(onActual).toEqual(['Index Only Scan IDX_actual_series_changes']);
    }
  }, 300000);

  it('answers the logframe read with an ETag, 304 while nothing changed, and a new tag once an actual is entered or an indicator retired', async () => {
    const [project]: { id: string; org_unit_id: string }[] = await stack.dataSource.query(
      `SELECT id, org_unit_id FROM project WHERE code = 'PF-00002'`,
    );
    const manager = await stack.userToken('pm@scale.rbm', [
      { role: 'project_manager', orgUnitId: project.org_unit_id },
    ]);
    const url = `/projects/${project.id}/logframe?revision=approved`;
    const first = await stack.http(manager).get(url).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"1\.5\.[0-9a-f]{16}"$/); // revision 1, version 5 (as seeded), series stamp
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    // The second read comes from the process cache: same bytes, same tag.
    const second = await stack.http(manager).get(url).expect(200);
    expect(second.text).toBe(first.text);
    expect(second.headers.etag).toBe(etag);
    const notModified = await stack.http(manager).get(url).set('If-None-Match', etag).expect(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(etag);

    // OC1.1 is a number/latest indicator with 40 monthly actuals (2023-07 .. 2026-10); 2026-Q4 is a draft quarter.
    const indicator = first.body.outcomes[0].indicators[0];
    expect(indicator).toMatchObject({ code: 'OC1.1', aggregation: 'latest', actualCount: 40 });
    await stack
      .http(manager)
      .put(`/projects/${project.id}/progress/2026/4/actuals`)
      .send({ actuals: [{ indicatorId: indicator.id, periodStart: '2026-11-01', periodEnd: '2026-11-30', value: 90 }] })
      .expect(200);
    const entered = await stack.http(manager).get(url).set('If-None-Match', etag).expect(200);
    expect(entered.headers.etag).not.toBe(etag);
    expect(entered.body.outcomes[0].indicators[0].actualCount).toBe(41);

    await stack
      .http(manager)
      .post(`/projects/${project.id}/indicators/${indicator.id}/retire`)
      .send({ reason: 'Replaced by a survey-based indicator' })
      .expect(204);
    const retired = await stack.http(manager).get(url).set('If-None-Match', entered.headers.etag).expect(200);
    expect(retired.headers.etag).not.toBe(entered.headers.etag);
    expect(retired.body.outcomes[0].indicators[0].retired).toMatchObject({
      reason: 'Replaced by a survey-based indicator',
    });
    await stack.http(manager).get(url).set('If-None-Match', `W/${retired.headers.etag}, "other"`).expect(304);

    // Two writers' stamps can commit out of sequence order (each takes nextval at its own commit): the
    // later commit may carry the smaller stamp. The tag covers every stamp, not the largest, so such a
    // commit still gives a new tag. Here 2026-Q3's actuals stamp is set just below 2026-Q4's (bumped by
    // the entry above), so still below the project stamp the retirement took after it: the largest stamp
    // does not move, as after such a later commit.
    const [{ q4 }]: { q4: string }[] = await stack.dataSource.query(
      `SELECT stamp::text AS q4 FROM report_input_stamp WHERE project_id = $1 AND source = 'actuals' AND period = 20264`,
      [project.id],
    );
    const [, lowered]: [unknown, number] = await stack.dataSource.query(
      `UPDATE report_input_stamp SET stamp = $2::bigint - 1 WHERE project_id = $1 AND source = 'actuals' AND period = 20263`,
      [project.id, q4],
    );
    expect(lowered).toBe(1);
    const outOfOrder = await stack.http(manager).get(url).set('If-None-Match', retired.headers.etag).expect(200);
    expect(outOfOrder.headers.etag).not.toBe(retired.headers.etag);
  }, 300000);
});
