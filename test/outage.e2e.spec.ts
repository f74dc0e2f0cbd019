/**
 * Outages heal without restarts (issue: self-healing processes). PostgreSQL and Redis are the
 * machine's shared services, reached through TCP proxies started by this file (test/support/tcp-proxy.ts):
 * a "cut" drops every connection and refuses new ones, a "restore" lets them through again. The
 * shared services themselves are never stopped. The real API and worker modules run in this process;
 * the compiled processes (dist) are spawned to check SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { Queue } from 'bullmq';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuthService } from '#libs/auth';
import { buildDataSourceOptions, RoleAssignmentEntity, UserEntity } from '#libs/database';
import { QueueName, redisOptionsFromUrl, reportJobId } from '#libs/queue';
import { sdgServiceOn } from '#libs/sdg';
import { createSimpleProject, createTestDatabase, type TestDatabase, uniqueQueuePrefix } from '#libs/testing';
import { AppModule } from '../apps/api/src/app.module.js';
import { configureApp } from '../apps/api/src/configure-app.js';
import { WorkerModule } from '../apps/worker/src/worker.module.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { REDIS_URL, waitFor } from './support/test-stack.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PASSWORD = 'correct-horse-battery';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('outages of PostgreSQL and Redis heal without restarting the API or the worker', () => {
  let db: TestDatabase;
  let direct: DataSource;
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;
  let api: INestApplication;
  let worker: TestingModule;
  let queue: Queue;
  let token: string;
  const rejections: unknown[] = [];
  const children: ChildProcess[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  const http = () => request(api.getHttpServer());
  const status = async (id: string) =>
    ((await direct.query(`SELECT status FROM report WHERE id = $1`, [id])) as { status: string }[])[0]?.status;

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    db = await createTestDatabase();
    direct = new DataSource(buildDataSourceOptions(db.url));
    await direct.initialize();
    await direct.runMigrations({ transaction: 'each' });
    await sdgServiceOn(direct).load();
    pgProxy = await new TcpProxy('127.0.0.1', Number(new URL(db.url).port || 5432)).start();
    const redisUrl = new URL(REDIS_URL);
    redisProxy = await new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379)).start();
    Object.assign(process.env, {
      DATABASE_URL: pgProxy.url(db.url),
      REDIS_URL: redisProxy.url(REDIS_URL),
      QUEUE_PREFIX: uniqueQueuePrefix(),
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      RELAY_INTERVAL_MS: '100',
      // Recovery of stale rows is not what heals these outages: keep it out of the way.
      REPORT_STALE_AFTER_MS: '600000',
    });
    const apiModule = await Test.createTestingModule({ imports: [AppModule] }).compile();
    api = configureApp(apiModule.createNestApplication({ logger: false }));
    await api.init();
    worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    worker.useLogger(false);
    await worker.init();
    queue = new Queue(QueueName.Reports, {
      connection: redisOptionsFromUrl(REDIS_URL),
      prefix: process.env.QUEUE_PREFIX,
    });
    const user = await direct.getRepository(UserEntity).save({
      email: 'admin@test.rbm',
      displayName: 'Admin',
      passwordHash: await AuthService.hashPassword(PASSWORD),
      isActive: true,
    });
    await direct.getRepository(RoleAssignmentEntity).insert({ userId: user.id, role: 'admin' });
    token = (await http().post('/auth/login').send({ email: 'admin@test.rbm', password: PASSWORD }).expect(200)).body
      .accessToken;
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    pgProxy?.restore();
    redisProxy?.restore();
    await worker?.close();
    await api?.close();
    if (queue) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await pgProxy?.stop();
    await redisProxy?.stop();
    await direct?.destroy();
    await db?.drop();
    process.off('unhandledRejection', onRejection);
  }, 180_000);

  it('a worker finishes a report begun before a PostgreSQL cut, without restart; the API answers 503 + Retry-After during the cut, 200 after', async () => {
    const { project } = await createSimpleProject(direct, {
      code: 'CUT-PG',
      endTarget: '100',
      targets: [{ start: '2026-01-01', end: '2026-03-31', value: '25' }],
      actuals: [{ start: '2026-01-01', end: '2026-03-31', value: '20' }],
    });
    // Hold the builder at its last step (storing the files) so the cut falls in the middle of the build.
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE report_file IN ACCESS EXCLUSIVE MODE');
    const report = (
      await http()
        .post('/reports')
        .set('Authorization', `Bearer ${token}`)
        .send({ scope: 'project', projectId: project.id, year: 2026, quarter: 1 })
        .expect(202)
    ).body;
    await waitFor(async () => (await status(report.id)) === 'running');
    await waitFor(async () => {
      const [{ n }] = await direct.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%report_file%'`,
      );
      return n > 0;
    });

    pgProxy.cut();
    await locker.query('ROLLBACK');
    await locker.end();

    const during = await http().get('/projects').set('Authorization', `Bearer ${token}`).expect(503);
    expect(during.headers['retry-after']).toBe('5');
    expect(during.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'SERVICE_UNAVAILABLE',
      params: { retryAfterSeconds: 5 },
      message: 'The database is unavailable; nothing was changed. Retry in 5 seconds',
    });
    const health = await http().get('/health').expect(503);
    expect(health.headers['retry-after']).toBe('5');
    expect(health.body).toMatchObject({
      status: 'error',
      message: 'PostgreSQL is unavailable',
      dependencies: { database: { name: 'PostgreSQL', status: 'down' }, redis: { name: 'Redis', status: 'up' } },
    });
    // The job waits for the database (delayed, its attempts untouched); the row is still `running`.
    const job = await waitFor(async () => {
      const j = await queue.getJob(reportJobId(report.id));
      return j && (await j.getState()) === 'delayed' && (j.data as { databaseWaits?: number }).databaseWaits ? j : null;
    });
    expect(job.attemptsMade).toBe(0);
    await sleep(2500); // several relay passes and job retries fail meanwhile
    expect(await status(report.id)).toBe('running');

    pgProxy.restore();
    await waitFor(async () => (await status(report.id)) === 'completed', 60000);
    const [row] = await direct.query(`SELECT content, attempts FROM report WHERE id = $1`, [report.id]);
    // OP1.1.1: 20 of the quarter's 25 (baseline 0) = 80 % achievement.
    expect(row.content.outcomes[0].outputs[0].indicators[0]).toMatchObject({ code: 'OP1.1.1', actualToDate: 20 });
    const files: { format: string }[] = await direct.query(
      `SELECT format FROM report_file WHERE report_id = $1 ORDER BY format`,
      [report.id],
    );
    expect(files.map((f) => f.format)).toEqual(['json', 'csv']); // XLSX and PDF: on first download
    await waitFor(async () => (await http().get('/health')).status === 200);
    await http().get('/projects').set('Authorization', `Bearer ${token}`).expect(200);
    expect(rejections).toEqual([]);
  }, 120_000);

  it('an API started while PostgreSQL is down stays up, answers 503 and connects when it can', async () => {
    pgProxy.cut();
    const module = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const late = configureApp(module.createNestApplication({ logger: false }));
    await late.init();
    try {
      const res = await request(late.getHttpServer()).get('/projects').set('Authorization', `Bearer ${token}`);
      expect([res.status, res.headers['retry-after']]).toEqual([503, '5']);
      const health = await request(late.getHttpServer()).get('/health').expect(503);
      expect(health.body.dependencies.database).toEqual({
        name: 'PostgreSQL',
        status: 'down',
        message: 'not connected yet (connecting in the background)',
      });
      await sleep(1500); // a few connection attempts fail
      pgProxy.restore();
      await waitFor(async () => (await request(late.getHttpServer()).get('/health')).status === 200, 30000);
      await request(late.getHttpServer()).get('/projects').set('Authorization', `Bearer ${token}`).expect(200);
    } finally {
      pgProxy.restore();
      await late.close();
    }
  }, 120_000);

  it('the worker survives a Redis outage: requests wait in PostgreSQL and are built once Redis is back', async () => {
    const { project } = await createSimpleProject(direct, {
      code: 'CUT-REDIS',
      endTarget: '100',
      targets: [{ start: '2026-01-01', end: '2026-03-31', value: '25' }],
      actuals: [{ start: '2026-01-01', end: '2026-03-31', value: '30' }],
    });
    redisProxy.cut();
    await sleep(1500);
    const report = (
      await http()
        .post('/reports')
        .set('Authorization', `Bearer ${token}`)
        .send({ scope: 'project', projectId: project.id, year: 2026, quarter: 1 })
        .expect(202)
    ).body;
    const health = await http().get('/health').expect(503);
    expect(health.body.message).toBe('Redis is unavailable');
    await sleep(1500);
    expect(await status(report.id)).toBe('requested');
    redisProxy.restore();
    await waitFor(async () => (await status(report.id)) === 'completed', 60000);
    expect(rejections).toEqual([]);
  }, 120_000);

  it('SIGTERM ends the API and the worker within SHUTDOWN_TIMEOUT_MS while PostgreSQL and Redis are cut', async () => {
    // Proxies of their own, cut from the start, so the in-process API and worker are not affected.
    const deadPg = await new TcpProxy('127.0.0.1', Number(new URL(db.url).port || 5432)).start();
    const deadRedis = await new TcpProxy('127.0.0.1', Number(new URL(REDIS_URL).port || 6379)).start();
    deadPg.cut();
    deadRedis.cut();
    try {
      const port = await freePort();
      const env = {
        ...process.env,
        DATABASE_URL: deadPg.url(db.url),
        REDIS_URL: deadRedis.url(REDIS_URL),
        PORT: String(port),
        SHUTDOWN_TIMEOUT_MS: '2000',
        LOG_LEVEL: 'info',
        NODE_OPTIONS: '',
      };
      for (const [name, main] of [
        ['api', 'dist/apps/api/src/main.js'],
        ['worker', 'dist/apps/worker/src/main.js'],
      ] as const) {
        const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        children.push(child);
        let output = '';
        child.stdout.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr.on('data', (c: Buffer) => (output += c.toString()));
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        if (name === 'api') {
          // It listens although PostgreSQL is down, and answers 503.
          // Start-up is slow on a loaded machine: wait up to 2 minutes, showing the log if it never listens.
          await waitFor(
            async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.status === 503,
            120_000,
          ).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${output.slice(-3000)}`)));
          const res = await fetch(`http://127.0.0.1:${port}/projects`);
          expect([res.status, res.headers.get('retry-after')]).toEqual([503, '5']);
        } else {
          await waitFor(async () => output.includes('RBM Tracker worker started'), 120_000).catch((error: Error) =>
            Promise.reject(new Error(`${error.message}\n${output.slice(-3000)}`)),
          );
          await sleep(1000);
        }
        const sent = Date.now();
        child.kill('SIGTERM');
        const code = await exited;
        const tookMs = Date.now() - sent;
        expect({ name, stillRunning: child.exitCode === null && child.signalCode === null }).toEqual({
          name,
          stillRunning: false,
        });
        // 2 s of SHUTDOWN_TIMEOUT_MS plus the process's own exit.
        expect({ name, bounded: tookMs < 4000, code: code === 0 || code === 1 }).toEqual({
          name,
          bounded: true,
          code: true,
        });
      }
    } finally {
      await deadPg.stop();
      await deadRedis.stop();
    }
  }, 300_000);
});
