/**
 * Portfolio bench (on demand, never in CI): `npm run bench -- --size S|M|L` (10, 100, 1,000 projects).
 * Seeds a portfolio with the generator in its own database, then prints each figure beside its
 * baseline, measured in the same run on the same machine:
 * - all quarterly project reports of 2026-Q3 through today's path (the worker process's daily
 *   schedule job requests them, its relay enqueues them, its builder builds them) against the raw-SQL
 *   bound (one statement computing every indicator's to-date actual and target, bench/raw-bound.sql);
 * - GET /projects/:id/logframe on the API process at 1, 10 and 50 connections (autocannon) against
 *   the same JSON payload served from memory by the same framework (bench/memory-server.ts);
 * - the CPU per read of the API process and of its PostgreSQL backends (from /proc) against the
 *   in-memory server's CPU per request;
 * - GET /projects (paged, filtered), without a goal;
 * - report requests (the fingerprint from version stamps): wall and CPU per request, in process;
 * - SQL statements per report request, report build, batch build, logframe read (answered from cache,
 *   and building the document) and projects page;
 * - peak RSS (VmHWM) of the worker and API processes.
 * Asserts nothing; durations are wall time on a shared machine: compare ratios of the same run.
 * Needs PostgreSQL ($TEST_ADMIN_DATABASE_URL) and Redis ($REDIS_URL) and a build (`npm run bench` builds).
 */
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { DEFAULT_DEMO_PASSWORD } from '#libs/auth';
import { repoPath } from '#libs/common';
import { buildDataSourceOptions, QueryCounter, TransactionRunner } from '#libs/database';
import { LogframeReader, ProjectRepository } from '#libs/logframe';
import { QueueName, redisOptionsFromUrl, ReportJobName } from '#libs/queue';
import { ProgressReadRepository } from '#libs/progress';
import { ReportBuilderService, ReportInputsRepository, ReportRepository, ReportRequestService } from '#libs/reporting';
import { createTestDatabase, logframeServiceOn, uniqueQueuePrefix } from '#libs/testing';
import { PORTFOLIO_SIZES, type PortfolioSize, REPORT_DAY, REPORT_QUARTER, seedPortfolio } from './portfolio.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function parseSize(argv: string[]): PortfolioSize {
  const i = argv.indexOf('--size');
  const value = (i >= 0 ? argv[i + 1] : 'S')?.toUpperCase();
  if (value !== 'S' && value !== 'M' && value !== 'L') throw new Error(`--size must be S, M or L (got ${value})`);
  return value;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A child Node process with its output in a log file; `ready` settles when `readyText` is printed. */
function startProcess(script: string, env: Record<string, string>, logFile: string, readyText?: string) {
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [repoPath('dist', script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', readyText ? 'pipe' : out, out],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} (see ${logFile})`)));
    if (!readyText) return resolve();
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      writeFileSync(logFile, chunk, { flag: 'a' });
      if (seen.length < 100000) seen += chunk.toString();
      if (seen.includes(readyText)) resolve();
    });
  });
  ready.catch(() => undefined);
  return { child, ready };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
  await exited;
  clearTimeout(timer);
}

/** Peak resident set size (VmHWM, MB) of a live process. */
function peakRssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** User + system CPU time (ms) consumed so far by a live process. */
function cpuMs(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // Fields 14 and 15 (utime, stime) in clock ticks; after "pid (comm) " they are at index 11 and 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * CPU time (ms) of the PostgreSQL backends connected to the bench database, from /proc (the API's pool
 * keeps its connections through the load runs). With `before`, only those backends and any new ones
 * are summed; a backend gone in between is not counted.
 */
async function backendCpuMs(dataSource: DataSource, before?: number[]): Promise<{ ms: number; pids: number[] }> {
  const rows: { pid: number }[] = await dataSource.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  const pids = [...new Set([...(before ?? []), ...rows.map((r) => r.pid)])];
  let ms = 0;
  for (const pid of pids) {
    try {
      ms += cpuMs(pid);
    } catch {
      // The backend ended between the query and the read of /proc.
    }
  }
  return { ms, pids };
}

/** A live process and its live descendants (a cluster primary and its processes). */
function processTree(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // gone
  }
  return [pid, ...children.flatMap(processTree)];
}

/** CPU time (ms) of a process tree (WORKER_PROCESSES > 1: the primary and its worker processes). */
function treeCpuMs(pid: number | undefined): number {
  return processTree(pid).reduce((sum, p) => sum + cpuMs(p), 0);
}

/** The largest peak RSS (MB) among a process tree's processes, and how many there are. */
function treePeakRss(pid: number | undefined): { mb: number; processes: number } {
  const tree = processTree(pid);
  return { mb: Math.max(...tree.map((p) => peakRssMb(p))), processes: tree.length };
}

async function waitForHttp(url: string, timeoutMs = 60000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10000) });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface LoadFigures {
  p50: number;
  p99: number;
  rps: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, connections: number, seconds: number, headers: Record<string, string> = {}) {
  // Drain what an earlier run left queued: one request answered alone before the clock starts.
  await fetch(url, { headers, signal: AbortSignal.timeout(120000) }).then((r) => r.arrayBuffer());
  const result = await autocannon({ url, connections, duration: seconds, headers });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    non2xx: result.non2xx,
    errors: result.errors,
  } satisfies LoadFigures;
}

const rows: [string, string, string, string][] = [];
function figure(name: string, measured: string, baseline = '', ratio = ''): void {
  rows.push([name, measured, baseline, ratio]);
  console.log(`  ${name}: ${measured}${baseline ? ` | baseline ${baseline}` : ''}${ratio ? ` | ratio ${ratio}` : ''}`);
}
const x = (a: number, b: number) => `${(a / b).toFixed(1)}x`;

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const size = parseSize(process.argv.slice(2));
  const projects = PORTFOLIO_SIZES[size];
  const seconds = size === 'S' ? 5 : 10;
  const logDir = mkdtempSync(join(tmpdir(), 'rbm-bench-'));
  console.log(`RBM Tracker bench, size ${size} (${projects} projects); process logs in ${logDir}`);
  const started = performance.now();
  const db = await createTestDatabase();
  const counter = new QueryCounter();
  const dataSource = new DataSource({ ...buildDataSourceOptions(db.url), logger: counter, logging: ['query'] });
  await dataSource.initialize();
  const prefix = uniqueQueuePrefix();
  const children: ChildProcess[] = [];
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const seed = await seedPortfolio(dataSource, projects);
    console.log(
      `Seeded ${seed.projects} projects, ${seed.indicators} indicators, ${seed.actuals} actuals, ${seed.snapshots} snapshots: ` +
        `SQL ${(seed.ms.sql / 1000).toFixed(1)} s, snapshots ${(seed.ms.snapshots / 1000).toFixed(1)} s, VACUUM ANALYZE ${(seed.ms.analyze / 1000).toFixed(1)} s`,
    );

    // 1. Raw-SQL bound: the best of two runs (the second runs on a warm cache, as the reports do).
    const rawSql = readFileSync(repoPath('bench', 'raw-bound.sql'), 'utf8');
    let rawMs = Infinity;
    let rawRows = 0;
    for (let i = 0; i < 2; i += 1) {
      const t = performance.now();
      rawRows = ((await dataSource.query(rawSql)) as unknown[]).length;
      rawMs = Math.min(rawMs, performance.now() - t);
    }

    // 2. All quarterly project reports of the quarter, through the worker process as it runs today.
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
    };
    const worker = startProcess('apps/worker/src/main.js', env, join(logDir, 'worker.log'), 'worker started');
    children.push(worker.child);
    await worker.ready;
    const workerCpu0 = treeCpuMs(worker.child.pid);
    const queue = new Queue(QueueName.Reports, { connection: redisOptionsFromUrl(REDIS_URL), prefix });
    const t0 = performance.now();
    await queue.add(ReportJobName.ScheduleQuarterReports, { today: REPORT_DAY });
    let done = { completed: 0, failed: 0 };
    for (;;) {
      [done] = await dataSource.query(
        `SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed, count(*) FILTER (WHERE status = 'failed')::int AS failed
           FROM report WHERE scope_type = 'project' AND year = $1 AND quarter = $2`,
        [REPORT_QUARTER.year, REPORT_QUARTER.quarter],
      );
      if (done.completed + done.failed >= projects) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const reportsMs = performance.now() - t0;
    console.log(`Reports built in ${(reportsMs / 1000).toFixed(1)} s (raw SQL ${(rawMs / 1000).toFixed(2)} s)`);
    const workerCpu = treeCpuMs(worker.child.pid) - workerCpu0;
    const workerRss = treePeakRss(worker.child.pid);
    await stopProcess(worker.child);
    await queue.obliterate({ force: true });
    await queue.close();

    // 3. Statements per operation (in this process, counted by the QueryCounter).
    const reader = new LogframeReader(dataSource);
    const inputs = new ReportInputsRepository(dataSource, reader, new ProgressReadRepository(dataSource));
    const requests = new ReportRequestService(
      new TransactionRunner(dataSource),
      inputs,
      new ReportRepository(dataSource),
    );
    const builder = new ReportBuilderService(
      new TransactionRunner(dataSource),
      inputs,
      new ReportRepository(dataSource),
    );
    const [first]: { id: string; programme_id: string }[] = await dataSource.query(
      `SELECT id, programme_id FROM project ORDER BY code LIMIT 1`,
    );
    counter.reset();
    const { report } = await requests.requestProjectReport({ projectId: first.id, year: 2026, quarter: 2 });
    const requestStatements = counter.count;
    counter.reset();
    await builder.build(report.id);
    const buildStatements = counter.count;
    // Report requests (POST /reports' service call: the fingerprint from version stamps), one per project
    // for 2026-Q1, timed in this process; then the same reports built as one batch (the quarterly run's path).
    const batchProjects: { id: string }[] = await dataSource.query(`SELECT id FROM project ORDER BY code LIMIT $1`, [
      Math.min(projects, 25),
    ]);
    const requestCpu0 = process.cpuUsage();
    const requestT0 = performance.now();
    const batchIds: string[] = [];
    for (const { id } of batchProjects)
      batchIds.push((await requests.requestProjectReport({ projectId: id, year: 2026, quarter: 1 })).report.id);
    const requestMs = (performance.now() - requestT0) / batchProjects.length;
    const requestCpu = process.cpuUsage(requestCpu0);
    const requestCpuMs = (requestCpu.user + requestCpu.system) / 1000 / batchProjects.length;
    counter.reset();
    const batchT0 = performance.now();
    await builder.buildBatch(batchIds);
    const batchMs = performance.now() - batchT0;
    const batchStatements = counter.count;
    const logframes = logframeServiceOn(dataSource);
    counter.reset();
    const readState = await logframes.readState(first.id, { revision: 'approved' });
    const headStatements = counter.count;
    counter.reset();
    await logframes.document(readState);
    const documentStatements = counter.count;
    counter.reset();
    await new ProjectRepository(dataSource).page({ text: 'cluster', programmeId: first.programme_id }, (qb) => qb, {
      page: 1,
      pageSize: 50,
      sortColumn: 'p.code',
      direction: 'ASC',
    });
    const pageStatements = counter.count;

    // 4. The logframe read and the projects list on the API process.
    const apiPort = await freePort();
    const api = startProcess(
      'apps/api/src/main.js',
      { ...env, PORT: String(apiPort), LOG_LEVEL: 'warn' },
      join(logDir, 'api.log'),
    );
    children.push(api.child);
    const base = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${base}/health`);
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'focal@demo.rbm', password: process.env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD }),
      signal: AbortSignal.timeout(60000),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };
    const logframeUrl = `${base}/projects/${first.id}/logframe?revision=approved`;
    const payload = await (await fetch(logframeUrl, { headers: auth, signal: AbortSignal.timeout(60000) })).text();
    console.log(`API ready; logframe payload ${payload.length} bytes; load runs of ${seconds} s follow`);
    const payloadFile = join(logDir, 'logframe.json');
    writeFileSync(payloadFile, payload);
    const apiCpu0 = cpuMs(api.child.pid);
    const pgCpu0 = await backendCpuMs(dataSource);
    const reads: Record<number, LoadFigures> = {};
    let readRequests = 0;
    for (const c of [1, 10, 50]) {
      reads[c] = await load(logframeUrl, c, seconds, auth);
      readRequests += reads[c].rps * seconds;
    }
    const apiCpuPerRead = (cpuMs(api.child.pid) - apiCpu0) / readRequests;
    const pgCpuPerRead = ((await backendCpuMs(dataSource, pgCpu0.pids)).ms - pgCpu0.ms) / readRequests;
    const pageUrl = `${base}/projects?page=1&pageSize=50&q=cluster&status=approved&programmeId=${first.programme_id}`;
    const list = await load(pageUrl, 10, seconds, auth);
    const apiRss = peakRssMb(api.child.pid);
    await stopProcess(api.child);

    const memPort = await freePort();
    const memory = startProcess(
      'bench/memory-server.js',
      { PORT: String(memPort), PAYLOAD_FILE: payloadFile },
      join(logDir, 'memory.log'),
      'memory server ready',
    );
    children.push(memory.child);
    await memory.ready;
    const baseline: Record<number, LoadFigures> = {};
    const memoryCpu0 = cpuMs(memory.child.pid);
    let memoryRequests = 0;
    for (const c of [1, 10, 50]) {
      baseline[c] = await load(`http://127.0.0.1:${memPort}/payload`, c, seconds);
      memoryRequests += baseline[c].rps * seconds;
    }
    const memoryCpuPerRead = (cpuMs(memory.child.pid) - memoryCpu0) / memoryRequests;
    await stopProcess(memory.child);

    console.log(`\nFigures (size ${size}: ${projects} projects, ${seed.actuals} actuals), each beside its baseline:`);
    figure(
      `all ${done.completed} quarterly project reports of ${REPORT_QUARTER.year}-Q${REPORT_QUARTER.quarter} (${done.failed} failed; ` +
        `worker processes ${process.env.WORKER_PROCESSES ?? 1}, concurrency ${process.env.WORKER_CONCURRENCY ?? 2}, batch ${process.env.REPORT_BATCH_SIZE ?? 25})`,
      `${(reportsMs / 1000).toFixed(2)} s (${(reportsMs / projects).toFixed(0)} ms per report wall, ${(workerCpu / projects).toFixed(0)} ms worker CPU per report)`,
      `raw SQL ${(rawMs / 1000).toFixed(2)} s (${rawRows} indicator rows)`,
      x(reportsMs, rawMs),
    );
    for (const c of [1, 10, 50]) {
      const r = reads[c];
      const b = baseline[c];
      figure(
        `logframe read, ${c} connection(s): p50/p99, requests/s`,
        `${r.p50}/${r.p99} ms, ${r.rps.toFixed(0)}/s${r.non2xx || r.errors ? ` (${r.non2xx} non-2xx, ${r.errors} errors)` : ''}`,
        `in memory ${b.p50}/${b.p99} ms, ${b.rps.toFixed(0)}/s`,
        `p99 ${x(Math.max(r.p99, 1), Math.max(b.p99, 1))}, throughput ${x(b.rps, r.rps)} lower`,
      );
    }
    figure(
      'logframe read: CPU per read of the API process (and of its PostgreSQL backends)',
      `${apiCpuPerRead.toFixed(2)} ms (PostgreSQL ${pgCpuPerRead.toFixed(2)} ms; ${(payload.length / 1024).toFixed(0)} KB body)`,
      `in memory ${memoryCpuPerRead.toFixed(2)} ms`,
      x(apiCpuPerRead + pgCpuPerRead, memoryCpuPerRead),
    );
    figure(
      'GET /projects (page 1 of 50, text + programme + status filters), 10 connections',
      `${list.p50}/${list.p99} ms, ${list.rps.toFixed(0)}/s${list.non2xx || list.errors ? ` (${list.non2xx} non-2xx, ${list.errors} errors)` : ''}`,
    );
    figure(
      'report request (service call, fingerprint from version stamps)',
      `${requestMs.toFixed(1)} ms wall, ${requestCpuMs.toFixed(2)} ms CPU per request (${batchProjects.length} projects, in process)`,
      'issue 14: 33-36 ms of API CPU for the fingerprint alone',
    );
    figure('statements per report request (fingerprint included)', String(requestStatements));
    figure('statements per report build', String(buildStatements));
    figure(
      `statements per batch build of ${batchIds.length} project reports`,
      `${batchStatements} (${(batchMs / batchIds.length).toFixed(0)} ms per report wall, in process)`,
      `${buildStatements} x ${batchIds.length} = ${buildStatements * batchIds.length} built one by one`,
    );
    figure(
      'statements per logframe read (service): answered from cache or 304 / building the document',
      `${headStatements} / ${headStatements + documentStatements} (plus the guard's auth stamp)`,
    );
    figure('statements per projects page', String(pageStatements));
    figure(
      'peak RSS',
      `worker ${workerRss.mb.toFixed(0)} MB${workerRss.processes > 1 ? ` (largest of ${workerRss.processes} processes)` : ''}, API ${apiRss.toFixed(0)} MB`,
    );
    console.log(`\nBench total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    for (const child of children) await stopProcess(child);
    await dataSource.destroy();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
