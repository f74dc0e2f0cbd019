/**
 * Reports are never lost (DESIGN.md §6): real PostgreSQL (a database of its own), a real Redis
 * started by this file on a private port (so it can be stopped, restarted empty and flushed without
 * touching the machine's shared Redis), the real API and real worker modules (several at once, some
 * "killed"). Short timings: relay every 100 ms, stale after 1.5 s, BullMQ lock 2 s, stalled check
 * every 0.5 s.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuthService } from '#libs/auth';
import { ActualEntity, buildDataSourceOptions, RoleAssignmentEntity, UserEntity } from '#libs/database';
import {
  QUARTER_REPORTS_SCHEDULER_ID,
  QueueName,
  redisOptionsFromUrl,
  reportJobId,
  ReportJobName,
  type ReportQueuePayload,
} from '#libs/queue';
import { sdgServiceOn } from '#libs/sdg';
import {
  createSimpleProject,
  createTestDatabase,
  type SimpleProject,
  type TestDatabase,
  uniqueQueuePrefix,
} from '#libs/testing';
import { AppModule } from '../apps/api/src/app.module.js';
import { configureApp } from '../apps/api/src/configure-app.js';
import { ReportProcessor } from '../apps/worker/src/processors/report.processor.js';
import {
  QuarterReportScheduler,
  type ScheduleRunSummary,
} from '../apps/worker/src/quarter-report-scheduler.service.js';
import { nextScheduledRun } from '../apps/worker/src/report-schedule.js';
import { WorkerModule } from '../apps/worker/src/worker.module.js';
import { waitFor } from './support/test-stack.js';

/** A redis-server child process on a private port, without persistence: stop() loses every key. */
class PrivateRedis {
  private process: ChildProcessWithoutNullStreams | null = null;

  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--dir',
      this.dir,
    ]);
    this.process = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 5000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${output}`));
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const Q3_2026 = { scope: 'project', year: 2026, quarter: 3 };

describe('reports are never lost (private Redis, several workers)', () => {
  let redisDir: string;
  let redis: PrivateRedis;
  let db: TestDatabase;
  let ds: DataSource;
  let api: INestApplication;
  let adminToken: string;
  let queue: Queue<ReportQueuePayload>;
  /** Worker modules alive now; `killWorker` removes one. */
  const workers: TestingModule[] = [];

  const http = () => request.agent(api.getHttpServer()).set('Authorization', `Bearer ${adminToken}`);
  const requestReport = (projectId: string) =>
    http()
      .post('/reports')
      .send({ ...Q3_2026, projectId });
  const row = async (id: string) => {
    const [r] = await ds.query(
      `SELECT id, status, attempts, version, error, requested_by_id FROM report WHERE id = $1`,
      [id],
    );
    return r as {
      id: string;
      status: string;
      attempts: number;
      version: number;
      error: string | null;
      requested_by_id: string | null;
    };
  };
  const completed = (id: string, timeoutMs = 20000) =>
    waitFor(
      async () => {
        const r = await row(id);
        if (r.status === 'failed') throw new Error(`report ${id} failed: ${r.error}`);
        return r.status === 'completed' ? r : null;
      },
      timeoutMs,
      50,
    );
  /** The formats of a report's stored files: one file per format (never a second set), JSON and CSV at least. */
  const expectOneSetOfFiles = async (id: string) => {
    const formats: string[] = (
      await ds.query(`SELECT format FROM report_file WHERE report_id = $1 ORDER BY format`, [id])
    ).map((f: { format: string }) => f.format);
    expect(formats).toEqual(expect.arrayContaining(['json', 'csv']));
    expect(new Set(formats).size).toBe(formats.length);
  };
  const reportsOf = async (projectId: string) =>
    ds.query(
      `SELECT id, version, status FROM report WHERE scope_id = $1 AND year = 2026 AND quarter = 3 ORDER BY version`,
      [projectId],
    );
  const project = (code: string, actualValue = '5') =>
    createSimpleProject(ds, {
      code,
      endTarget: '50',
      targets: [{ start: '2026-07-01', end: '2026-09-30', value: '20' }],
      actuals: [{ start: '2026-07-01', end: '2026-07-31', value: actualValue }],
    });

  /** Compiles and starts a worker module (relay, processor, scheduler) with the current environment. */
  const startWorker = async (): Promise<TestingModule> => {
    const worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    worker.useLogger(false);
    await worker.init();
    workers.push(worker);
    return worker;
  };

  /**
   * Kills a worker in the middle of a report as a crash would: its BullMQ worker stops at once
   * (no lock renewal, no completion or failure reported to Redis) and its PostgreSQL session is
   * terminated (the build's open transaction rolls back); then the rest of the module is disposed.
   */
  const killWorker = async (worker: TestingModule, buildBackendPid: number): Promise<void> => {
    workers.splice(workers.indexOf(worker), 1);
    await worker.get(ReportProcessor).worker.close(true);
    await ds.query('SELECT pg_terminate_backend($1)', [buildBackendPid]);
    await worker.close();
  };

  /** Holds a SHARE lock on report_file: a build reaches `running`, then waits before storing its files. */
  const blockReportFiles = async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE report_file IN SHARE MODE');
    return {
      release: async () => {
        await client.query('COMMIT');
        await client.end();
      },
    };
  };
  /** The PostgreSQL backend of a build waiting for the report_file lock, once its report is `running`. */
  const stuckBuild = (reportId: string) =>
    waitFor(
      async () => {
        const [waiting] = await ds.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        const r = await row(reportId);
        return waiting && r.status === 'running' ? (waiting.pid as number) : null;
      },
      15000,
      50,
    );

  beforeAll(async () => {
    redisDir = mkdtempSync(join(tmpdir(), 'rbm-redis-'));
    redis = new PrivateRedis(await freePort(), redisDir);
    await redis.start();
    db = await createTestDatabase();
    Object.assign(process.env, {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: uniqueQueuePrefix(),
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      RELAY_INTERVAL_MS: '100',
      REPORT_STALE_AFTER_MS: '1500',
      REPORT_LOCK_DURATION_MS: '2000',
      REPORT_STALLED_INTERVAL_MS: '500',
      REPORT_MAX_STALLED_COUNT: '2',
    });
    ds = new DataSource(buildDataSourceOptions(db.url));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await sdgServiceOn(ds).load();

    const apiModule = await Test.createTestingModule({ imports: [AppModule] }).compile();
    api = configureApp(apiModule.createNestApplication({ logger: false }));
    await api.init();
    const user = await ds.getRepository(UserEntity).save({
      email: 'admin@test.rbm',
      displayName: 'Admin',
      passwordHash: await AuthService.hashPassword('correct-horse-battery'),
      isActive: true,
    });
    await ds
      .getRepository(RoleAssignmentEntity)
      .insert({ userId: user.id, role: 'admin', orgUnitId: null, donorId: null });
    const login = await request(api.getHttpServer())
      .post('/auth/login')
      .send({ email: 'admin@test.rbm', password: 'correct-horse-battery' })
      .expect(200);
    adminToken = login.body.accessToken;

    queue = new Queue(QueueName.Reports, {
      connection: redisOptionsFromUrl(redis.url),
      prefix: process.env.QUEUE_PREFIX,
    });
    queue.on('error', () => undefined); // the tests stop Redis on purpose
    await startWorker();
  });

  afterAll(async () => {
    for (const worker of workers.splice(0)) await worker.close();
    await api?.close();
    if (queue) {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    await ds?.destroy();
    await db?.drop();
    await redis?.stop();
    if (redisDir) rmSync(redisDir, { recursive: true, force: true });
  });

  let projectA: SimpleProject;
  let reportA: string;

  it('(a) a request made while Redis is down is accepted and waits in PostgreSQL; once Redis is back the worker builds it, once', async () => {
    projectA = await project('RES-A');
    await redis.stop();
    const accepted = await requestReport(projectA.project.id).expect(202);
    expect(accepted.body).toMatchObject({ status: 'requested', created: true, version: 1 });
    reportA = accepted.body.id;
    await sleep(800); // several relay passes fail meanwhile (Redis refused), the row stays put
    expect((await row(reportA)).status).toBe('requested');

    await redis.start(); // empty: nothing of the earlier Redis survives
    const done = await completed(reportA);
    expect(done).toMatchObject({ status: 'completed', attempts: 1, version: 1 });
    expect(await reportsOf(projectA.project.id)).toEqual([{ id: reportA, version: 1, status: 'completed' }]);
    await expectOneSetOfFiles(reportA);
    const job = await queue.getJob(reportJobId(reportA));
    expect(await job?.getState()).toBe('completed');
  });

  it('(b) a worker killed in the middle of a report: its job goes back to the queue (BullMQ stalled check) and a new worker completes it, once', async () => {
    const { project: p } = await project('RES-B');
    const blocker = await blockReportFiles();
    const id = (await requestReport(p.id).expect(202)).body.id as string;
    const pid = await stuckBuild(id);
    expect(await row(id)).toMatchObject({ status: 'running', attempts: 1 });

    await killWorker(workers[0], pid);
    await blocker.release();
    const jobBefore = await queue.getJob(reportJobId(id));
    expect(await jobBefore?.getState()).toBe('active'); // still held by the dead worker's (expiring) lock
    await startWorker();

    expect(await completed(id)).toMatchObject({ status: 'completed', attempts: 2 });
    expect(await reportsOf(p.id)).toHaveLength(1);
    await expectOneSetOfFiles(id);
    const job = (await queue.getJob(reportJobId(id))) as Job;
    expect(await job.getState()).toBe('completed');
    expect(job.stalledCounter).toBe(1); // recovered by the stalled-job check, not by a failed attempt
    expect(job.attemptsMade).toBe(1); // the killed run is not an attempt: only the run that completed
  });

  it('(b2) a worker killed mid-report while Redis also lost the job: the relay enqueues it again after the staleness timeout', async () => {
    const { project: p } = await project('RES-B2');
    const blocker = await blockReportFiles();
    const id = (await requestReport(p.id).expect(202)).body.id as string;
    const pid = await stuckBuild(id);
    await killWorker(workers[0], pid);
    await redis.stop();
    await redis.start(); // restarted without persistence: the job is gone, the row still says running
    await blocker.release();
    expect(await queue.getJob(reportJobId(id))).toBeUndefined();
    expect((await row(id)).status).toBe('running');

    await startWorker();
    expect(await completed(id)).toMatchObject({ status: 'completed', attempts: 2 });
    expect(await reportsOf(p.id)).toHaveLength(1);
    await expectOneSetOfFiles(id);
    expect(await (await queue.getJob(reportJobId(id)))?.getState()).toBe('completed');
  });

  it('(b3) a queued report whose job was flushed from Redis before any worker took it is enqueued again and built once', async () => {
    await queue.pause(); // a backlog: jobs wait, no worker takes them
    const { project: p } = await project('RES-B3');
    const id = (await requestReport(p.id).expect(202)).body.id as string;
    await waitFor(async () => (await row(id)).status === 'queued', 10000, 50);
    expect(await (await queue.getJob(reportJobId(id)))?.getState()).toBe('waiting');

    const client = new Redis(redisOptionsFromUrl(redis.url));
    await client.flushall(); // the job (and the pause) are gone; the row still says queued
    client.disconnect();
    expect(await queue.getJob(reportJobId(id))).toBeUndefined();
    expect((await row(id)).status).toBe('queued');

    expect(await completed(id)).toMatchObject({ status: 'completed', attempts: 1 });
    expect(await reportsOf(p.id)).toHaveLength(1);
    await expectOneSetOfFiles(id);
  });

  it('(c) the same report requested twice concurrently, with two workers running: one row, one job, one build', async () => {
    await startWorker();
    expect(workers).toHaveLength(2);
    const { project: p } = await project('RES-C');
    const [first, second] = await Promise.all([requestReport(p.id), requestReport(p.id)]);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.body.id).toBe(second.body.id);
    expect([first.body.created, second.body.created].sort()).toEqual([false, true]);
    const id = first.body.id as string;

    expect(await completed(id)).toMatchObject({ status: 'completed', attempts: 1, version: 1 });
    expect(await reportsOf(p.id)).toHaveLength(1);
    await expectOneSetOfFiles(id);
    const jobs = await queue.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed', 'prioritized']);
    const ofReport = jobs.filter((job) => (job.data as { reportId?: string }).reportId === id);
    expect(ofReport.map((job) => job.id)).toEqual([reportJobId(id)]);
    expect(ofReport[0].attemptsMade).toBe(1); // completed on its first attempt
  });

  it('(d) after a data change a new request makes version 2 and keeps version 1', async () => {
    await ds.getRepository(ActualEntity).insert({
      indicatorSeriesId: projectA.indicator.stableId,
      periodStart: '2026-08-01',
      periodEnd: '2026-08-31',
      value: '7.5',
      provenance: 'entered',
    });
    const accepted = await requestReport(projectA.project.id).expect(202);
    expect(accepted.body).toMatchObject({ created: true, version: 2 });
    await completed(accepted.body.id);

    expect(await reportsOf(projectA.project.id)).toEqual([
      { id: reportA, version: 1, status: 'completed' },
      { id: accepted.body.id, version: 2, status: 'completed' },
    ]);
    const [v1, v2] = await Promise.all(
      [reportA, accepted.body.id].map(async (id) => (await http().get(`/reports/${id}`).expect(200)).body),
    );
    // sum of the quarter's actuals: 5 (July) in version 1; 5 + 7.5 (August) = 12.5 in version 2.
    expect(v1.content.outcomes[0].outputs[0].indicators[0].actualToDate).toBe(5);
    expect(v2.content.outcomes[0].outputs[0].indicators[0].actualToDate).toBe(12.5);
    await expectOneSetOfFiles(reportA);
  });

  it('(e) the daily schedule: one job scheduler however many workers start; its job requests the due quarter of approved projects without a report', async () => {
    const before = new Date().toISOString();
    await Promise.all([startWorker(), startWorker()]);
    await Promise.all(workers.map((worker) => worker.get(QuarterReportScheduler).registered));
    const after = new Date().toISOString();
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({
      key: QUARTER_REPORTS_SCHEDULER_ID,
      name: ReportJobName.ScheduleQuarterReports,
      pattern: '0 2 * * *',
      tz: 'UTC',
    });
    expect([Date.parse(nextScheduledRun(before)), Date.parse(nextScheduledRun(after))]).toContain(schedulers[0].next);
    const delayed = (await queue.getDelayed()).filter((job) => job.name === ReportJobName.ScheduleQuarterReports);
    expect(delayed).toHaveLength(1);

    const approve = (s: SimpleProject) =>
      ds.query(`UPDATE logframe_revision SET status = 'approved', approved_at = now() WHERE id = $1`, [s.revision.id]);
    const due = await project('SCH-DUE');
    await approve(due);
    await project('SCH-DRAFT'); // no approved logframe: not requested
    const closed = await project('SCH-CLOSED'); // approved, but ended before the quarter
    await approve(closed);
    await ds.query(`UPDATE project SET start_date = '2020-01-01', end_date = '2021-12-31' WHERE id = $1`, [
      closed.project.id,
    ]);
    const reported = await project('SCH-REPORTED'); // approved, already has its Q3 2026 report
    await approve(reported);
    await requestReport(reported.project.id).expect(202);

    const runSchedule = async (today: string) => {
      const job = await queue.add(ReportJobName.ScheduleQuarterReports, { today });
      return waitFor(
        async () => {
          const fresh = await queue.getJob(job.id as string);
          if (fresh?.failedReason) throw new Error(fresh.failedReason);
          return fresh?.finishedOn ? (fresh.returnvalue as ScheduleRunSummary) : null;
        },
        15000,
        50,
      );
    };
    // Q3 2026 ends 2026-09-30; the cut-off (rbm_settings: 30 days) is 2026-10-30.
    const tooEarly = await runSchedule('2026-10-29');
    // The day before, Q2 is the latest due quarter: the approved running projects lack its report.
    expect(tooEarly).toMatchObject({
      year: 2026,
      quarter: 2,
      cutoffDate: '2026-07-30',
      requested: [due.project.id, reported.project.id],
      failed: [],
    });
    const summary = await runSchedule('2026-10-30');
    expect(summary).toEqual({
      today: '2026-10-30',
      year: 2026,
      quarter: 3,
      cutoffDate: '2026-10-30',
      requested: [due.project.id],
      failed: [],
    });
    const [scheduled] = await reportsOf(due.project.id);
    expect(await completed(scheduled.id)).toMatchObject({ status: 'completed', requested_by_id: null });
    // The next day: the report exists, nothing more is requested.
    expect(await runSchedule('2026-10-31')).toMatchObject({ year: 2026, quarter: 3, requested: [] });
    expect(await reportsOf(due.project.id)).toHaveLength(1);
  });
});
