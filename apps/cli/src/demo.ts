import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import Table from 'cli-table3';
import { DataSource } from 'typeorm';
import { repoPath } from '#libs/common';
import { AppConfig } from '#libs/config';
import type { ReportEntity } from '#libs/database';
import {
  AuthService,
  type AuthUser,
  DEFAULT_DEMO_PASSWORD,
  DEMO_USERS,
  PolicyService,
  seedDemoUsers,
} from '#libs/auth';
import { IatiExportService, IatiImportService } from '#libs/iati';
import { quarterOf } from '#libs/calculations';
import { personText, type ProjectReportContent, ReportRequestService, reportRows } from '#libs/reporting';
import { SdgService } from '#libs/sdg';
import { validateQuarter, walkQaWorkflow } from './demo-workflow.js';
import { DemoRepository } from './demo.repository.js';

const SAMPLE = repoPath('data', 'samples', 'gdihub-activity.xml');
const REPORT_TIMEOUT_MS = 120_000;

const fmt = (v: unknown) => (v === null || v === undefined ? '–' : String(v));

/** Prints one project's report as a table: result, indicator, period of the latest value, to date vs target, achievement, status. */
export function printReport(content: ProjectReportContent): void {
  console.log(`\n${content.scope.code}  ${content.scope.title}`);
  const approver = content.revision.approvedBy
    ? (personText(
        content.revision.approvedByRole
          ? { displayName: content.revision.approvedBy, role: content.revision.approvedByRole }
          : null,
      ) ?? content.revision.approvedBy)
    : null;
  const approval = approver ? `, approved by ${approver} on ${content.revision.approvedAt?.slice(0, 10)}` : '';
  console.log(
    `${content.quarter.label} (${content.quarter.start}..${content.quarter.end}), as of ${content.asOfDate}; logframe revision ${content.revision.number} (${content.revision.status}${approval}); thresholds v${content.thresholds.version}`,
  );
  if (content.internal) console.log(`INTERNAL – not for donors: ${content.internalReasons.join('; ')}`);
  else
    console.log(`Quarter ${content.validation.status}${content.validation.restated ? ' (restated)' : ''}: donor-ready`);
  for (const o of content.outcomes)
    console.log(
      `${o.code} ${o.statement}: computed ${o.computedStatus}; rated ${o.rating ? `${o.rating.rating} – ${o.rating.justification}` : '–'}`,
    );
  const table = new Table({
    head: [
      'Result',
      'Indicator',
      'Latest value covers',
      'To date: actual / target',
      'End target',
      'Achievement %',
      'Status',
    ],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [10, 44, 25, 26, 12, 13, 15],
  });
  for (const { section, outcome, output, row } of reportRows(content)) {
    table.push([
      output ?? outcome ?? section,
      `${row.code} ${row.title}${row.unit ? ` (${row.unit})` : ''}`,
      row.latestActual ? `${row.latestActual.period.start}..${row.latestActual.period.end}` : '–',
      `${fmt(row.actualToDate)} / ${fmt(row.targetToDate)}`,
      fmt(row.endTarget),
      fmt(row.achievementPercent),
      row.status,
    ]);
  }
  console.log(table.toString());
}

function startWorker(logFile: string): ChildProcess {
  const out = openSync(logFile, 'a');
  return spawn(process.execPath, [repoPath('dist', 'apps', 'worker', 'src', 'main.js')], {
    stdio: ['ignore', out, out],
    env: process.env,
  });
}

/**
 * The main job end to end: migrate, load the SDG framework, import the GDI Hub IATI file, start the
 * worker process, request each project's report for its own latest quarter with data, wait, write
 * ./out/*.json and *.csv and print a table per project. Running it twice duplicates nothing.
 */
export async function runDemo(app: INestApplicationContext): Promise<void> {
  const dataSource = app.get(DataSource);
  const config = app.get(AppConfig);
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  console.log(`Migrations: ${applied.length ? applied.map((m) => m.name).join(', ') : 'up to date'}`);
  const sdg = await app.get(SdgService).load();
  console.log(
    `SDG framework: ${sdg.goals} goals, ${sdg.targets} targets, ${sdg.indicatorCodes} indicator codes (${sdg.distinctIndicators} distinct indicators)`,
  );

  const password = config.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD;
  await seedDemoUsers(dataSource, { password, nodeEnv: config.NODE_ENV });
  console.log(
    `Demo users (password '${config.DEMO_PASSWORD ? '$DEMO_PASSWORD' : DEFAULT_DEMO_PASSWORD}'): ${DEMO_USERS.map((u) => `${u.email} (${u.role}${u.orgUnit ? ' @ ' + u.orgUnit : u.donorRef ? ' for ' + u.donorRef : ''})`).join(', ')}`,
  );
  // The demo acts as the demo project manager: signed in, scoped, like any user of the API.
  const auth = app.get(AuthService);
  const manager = await auth.authenticate((await auth.login('manager@demo.rbm', password)).accessToken);
  const focal = await auth.authenticate((await auth.login('focal@demo.rbm', password)).accessToken);
  const imported = await app.get(IatiImportService).importAs(manager, {
    xml: readFileSync(SAMPLE, 'utf8'),
    sourceName: 'gdihub-activity.xml',
    orgUnitCode: 'GDI-PO',
  });
  console.log(
    `IATI import of gdihub-activity.xml: ${imported.activities} activities; projects ${imported.projects.created} created, ${imported.projects.updated} updated, ${imported.projects.unchanged} unchanged; ` +
      `indicators ${imported.indicators.created} created, ${imported.indicators.unchanged} unchanged; actuals ${imported.actuals.created} created, ${imported.actuals.unchanged} unchanged; ${imported.issues.length} notes`,
  );
  for (const [code, n] of Object.entries(imported.issueCounts)) console.log(`  ${code}: ${n}`);

  console.log('RBM QA review (edits from data/samples/gdihub-demo-edits.json):');
  for (const project of imported.projectResults)
    console.log(`  ${await walkQaWorkflow(app, project.projectId, manager, focal)}`);

  const outDir = join(process.cwd(), 'out');
  mkdirSync(outDir, { recursive: true });
  const worker = startWorker(join(outDir, 'worker.log'));
  console.log(`Worker started (pid ${worker.pid}, queue prefix '${config.QUEUE_PREFIX}', log out/worker.log)`);
  try {
    const requests = app.get(ReportRequestService);
    const demo = app.get(DemoRepository);
    const policy = app.get(PolicyService);
    const reportIds: string[] = [];
    for (const project of imported.projectResults) {
      const last = await demo.lastActualPeriodEnd(project.projectId);
      if (!last) {
        console.log(`${project.iatiIdentifier}: no actuals, no report`);
        continue;
      }
      const { year, quarter } = quarterOf(last);
      console.log(`  ${await validateQuarter(app, project.projectId, year, quarter, manager, focal)}`);
      await policy.authorizeProject(manager, 'report.request', project.projectId);
      const { report, created } = await requests.requestProjectReport({
        projectId: project.projectId,
        year,
        quarter,
        requestedById: manager.id,
      });
      console.log(
        `Report requested by ${manager.email} for ${project.iatiIdentifier} ${year}-Q${quarter}: ${report.id} (${created ? 'new' : 'already exists, version ' + report.version})`,
      );
      reportIds.push(report.id);
    }
    const reports = await waitForReports(demo, reportIds, worker);
    for (const report of reports) {
      const content = report.content as ProjectReportContent;
      const base = join(outDir, `${content.scope.code}-${content.quarter.label}`);
      const files = await demo.reportFiles(report.id);
      for (const file of files) writeFileSync(`${base}.${file.format}`, file.content);
      printReport(content);
    }
    console.log(`\n${reports.length} reports written to ${outDir} (JSON and CSV).`);
    await exportIati(app, manager, imported.projectResults, outDir);
  } finally {
    if (worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
  }
}

async function waitForReports(demo: DemoRepository, ids: string[], worker: ChildProcess): Promise<ReportEntity[]> {
  const deadline = Date.now() + REPORT_TIMEOUT_MS;
  for (;;) {
    if (worker.exitCode !== null)
      throw new Error(`The worker process exited with code ${worker.exitCode}; see out/worker.log`);
    const rows = await demo.reports(ids);
    const failed = rows.filter((r) => r.status === 'failed');
    if (failed.length) throw new Error(`Report(s) failed: ${failed.map((r) => `${r.id}: ${r.error}`).join('; ')}`);
    if (rows.length === ids.length && rows.every((r) => r.status === 'completed'))
      return ids.map((id) => rows.find((r) => r.id === id)!);
    if (Date.now() > deadline)
      throw new Error(
        `Reports not completed after ${REPORT_TIMEOUT_MS / 1000}s; statuses: ${rows.map((r) => r.status).join(', ')} (see out/worker.log)`,
      );
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/**
 * The IATI export after the approvals and validations: the demo organisation is the publisher of
 * the GDI Hub file (its reporting-org), the manager chooses the four projects for publication, and
 * the organisation file is written to out/iati-activities.xml (as `npm run export:iati` would).
 */
async function exportIati(
  app: INestApplicationContext,
  manager: AuthUser,
  projects: { projectId: string }[],
  outDir: string,
): Promise<void> {
  const iati = app.get(IatiExportService);
  if (!(await iati.settings()))
    await iati.saveSettings(await systemAdmin(app), {
      organisationIdentifier: 'GB-COH-11126312',
      organisationName: 'Global Disability Innovation Hub',
      organisationType: '90',
      defaultLanguage: 'en',
      defaultCurrency: 'GBP',
    });
  for (const p of projects) await iati.setPublication(manager, p.projectId, { publish: true });
  let xml = '';
  const report = await iati.exportActivities(manager, {}, {}, (chunk) => {
    xml += chunk;
  });
  writeFileSync(join(outDir, 'iati-activities.xml'), xml);
  console.log(
    `IATI 2.03 export: ${report.activities.length} activities written to out/iati-activities.xml; ${report.errors.length} errors, ${report.warnings.length} warnings`,
  );
  for (const w of report.warnings) console.log(`  warning ${w.code} at ${w.path}: ${w.message}`);
  for (const e of report.errors) console.log(`  error ${e.code} at ${e.path}: ${e.message}`);
}

/** The demo admin, signed in (publisher settings are an admin's). */
async function systemAdmin(app: INestApplicationContext): Promise<AuthUser> {
  const auth = app.get(AuthService);
  const password = app.get(AppConfig).DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD;
  return auth.authenticate((await auth.login('admin@demo.rbm', password)).accessToken);
}
