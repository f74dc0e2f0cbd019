/**
 * Benchmark (run on demand: `npm run bench`, never in CI): IATI import throughput, and the time and
 * SQL statement count of reading a logframe tree and building a project report, for a small and a
 * large project. Prints its figures; asserts nothing on wall time.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { repoPath } from '#libs/common';
import { buildDataSourceOptions, QueryCounter } from '#libs/database';
import { iatiImportServiceOn } from '#libs/iati';
import { LogframeReader } from '#libs/logframe';
import { ProgressReadRepository } from '#libs/progress';
import { buildProjectReport, ReportInputsRepository } from '#libs/reporting';
import { sdgServiceOn } from '#libs/sdg';
import { createTestDatabase } from '#libs/testing';

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const counter = new QueryCounter();
  const dataSource = new DataSource({ ...buildDataSourceOptions(db.url), logger: counter, logging: ['query'] });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const sdg = sdgServiceOn(dataSource);
    let t = performance.now();
    await sdg.load();
    console.log(`SDG load: ${(performance.now() - t).toFixed(0)} ms`);
    const importer = iatiImportServiceOn(dataSource);
    for (const file of [
      'gdihub-activity.xml',
      'undp-covid19-dportal_100.xml',
      'unicef-covid19-activities-with-results.xml',
    ]) {
      const path = file.startsWith('gdihub')
        ? repoPath('data', 'samples', file)
        : repoPath('..', 'shared', 'data', 'iati', 'activities', file);
      const xml = readFileSync(path, 'utf8');
      t = performance.now();
      const report = await importer.import({ xml, sourceName: file });
      const ms = performance.now() - t;
      console.log(
        `Import ${file}: ${report.activities} activities, ${report.indicators.created} indicators, ${report.actuals.created} actuals in ${ms.toFixed(0)} ms (${(report.activities / (ms / 1000)).toFixed(1)} activities/s)`,
      );
    }
    const reader = new LogframeReader(dataSource);
    const inputs = new ReportInputsRepository(dataSource, reader, new ProgressReadRepository(dataSource));
    const rows: { id: string; project_id: string; n: number }[] = await dataSource.query(
      `SELECT r.id, r.project_id, count(i.id)::int AS n FROM logframe_revision r JOIN indicator i ON i.revision_id = r.id GROUP BY r.id ORDER BY n ASC`,
    );
    for (const revision of [rows[0], rows[rows.length - 1]]) {
      counter.reset();
      t = performance.now();
      const source = await inputs.projectSource(revision.id, 2022, 1);
      const content = buildProjectReport({ ...source, year: 2022, quarter: 1, graceDays: 30 });
      console.log(
        `Report of a project with ${revision.n} indicators: ${(performance.now() - t).toFixed(1)} ms, ${counter.count} SQL statements, ${content.summary.indicators} rows`,
      );
    }
  } finally {
    await dataSource.destroy();
    await db.drop();
  }
}

void main();
