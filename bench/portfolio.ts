/**
 * The portfolio generator: a realistic portfolio seeded in set-based SQL (`bench/portfolio.sql`) on a
 * migrated database, for the bench (`npm run bench`) and the plan test (test/scale-plans.e2e.spec.ts).
 * Per project: 60 indicators, 2,400 monthly actuals, an approved revision 1 with its snapshot, 13
 * validated quarters (2023-Q3 .. 2026-Q3); project p has the same data at every size.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { seedDemoUsers } from '#libs/auth';
import { repoPath } from '#libs/common';
import { canonicalSha256, LogframeReader, logframeSnapshot } from '#libs/logframe';
import { sdgServiceOn } from '#libs/sdg';

/** Portfolio sizes (projects) of the bench: S 10, M 100, L 1,000. */
export const PORTFOLIO_SIZES = { S: 10, M: 100, L: 1000 } as const;
export type PortfolioSize = keyof typeof PORTFOLIO_SIZES;

/** The quarter the generated portfolio reports on: the one the daily schedule finds due on `REPORT_DAY`. */
export const REPORT_QUARTER = { year: 2026, quarter: 3 } as const;
/** The day (UTC) on which 2026-Q3 is due with the 30-day validation cut-off. */
export const REPORT_DAY = '2026-11-30';

/** What the generator made and how long each step took (milliseconds). */
export interface PortfolioSeedResult {
  projects: number;
  indicators: number;
  actuals: number;
  snapshots: number;
  ms: { reference: number; sql: number; snapshots: number; analyze: number };
}

/**
 * Seeds `projects` projects on `dataSource` (migrated, otherwise empty): the SDG framework, the demo
 * users (the generator's manager and focal point), the portfolio SQL in one transaction, each approved
 * revision's snapshot and SHA-256 computed by the product's own code (as approval does), then
 * VACUUM ANALYZE so the planner sees the real row counts. `sdgLoaded`: the SDG framework is already there.
 * @throws Error when a step fails (the SQL is all or nothing)
 */
export async function seedPortfolio(
  dataSource: DataSource,
  projects: number,
  options: { sdgLoaded?: boolean } = {},
): Promise<PortfolioSeedResult> {
  if (!Number.isInteger(projects) || projects < 1) throw new Error(`projects must be a positive integer: ${projects}`);
  let t = performance.now();
  if (!options.sdgLoaded) await sdgServiceOn(dataSource).load();
  await seedDemoUsers(dataSource, { nodeEnv: 'test' });
  const reference = performance.now() - t;

  t = performance.now();
  const sql = readFileSync(repoPath('bench', 'portfolio.sql'), 'utf8').replaceAll('{{projects}}', String(projects));
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction();
    await runner.query(sql);
    await runner.commitTransaction();
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
  const sqlMs = performance.now() - t;

  t = performance.now();
  const snapshots = await storeSnapshots(dataSource);
  const snapshotsMs = performance.now() - t;

  t = performance.now();
  await dataSource.query('VACUUM ANALYZE');
  const analyze = performance.now() - t;

  const [counts]: { projects: number; indicators: number; actuals: number }[] = await dataSource.query(
    `SELECT (SELECT count(*) FROM project)::int AS projects, (SELECT count(*) FROM indicator)::int AS indicators,
            (SELECT count(*) FROM actual)::int AS actuals`,
  );
  return { ...counts, snapshots, ms: { reference, sql: sqlMs, snapshots: snapshotsMs, analyze } };
}

/** Stores the snapshot and SHA-256 of every approved revision that has none, 25 trees per read. */
async function storeSnapshots(dataSource: DataSource): Promise<number> {
  const reader = new LogframeReader(dataSource);
  const ids = (
    (await dataSource.query(
      `SELECT id FROM logframe_revision WHERE status = 'approved' AND snapshot IS NULL ORDER BY id`,
    )) as { id: string }[]
  ).map((r) => r.id);
  for (let i = 0; i < ids.length; i += 25) {
    const trees = await reader.loadTrees(ids.slice(i, i + 25));
    const rows = trees.map((tree) => {
      const snapshot = logframeSnapshot(tree);
      return { id: tree.revision.id, snapshot, sha256: canonicalSha256(snapshot) };
    });
    await dataSource.query(
      `UPDATE logframe_revision r SET snapshot = s.snapshot, snapshot_sha256 = s.sha256
         FROM jsonb_to_recordset($1::jsonb) AS s(id uuid, snapshot jsonb, sha256 char(64)) WHERE r.id = s.id`,
      [JSON.stringify(rows)],
    );
  }
  return ids.length;
}
