import type { INestApplication } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent.js';
import { DataSource } from 'typeorm';
import { AuthService } from '#libs/auth';
import { buildDataSourceOptions, RoleAssignmentEntity, type Role, UserEntity } from '#libs/database';
import { QueueName, redisOptionsFromUrl } from '#libs/queue';
import { sdgServiceOn } from '#libs/sdg';
import { createTestDatabase, type TestDatabase, uniqueQueuePrefix } from '#libs/testing';
import { AppModule } from '../../apps/api/src/app.module.js';
import { undeclaredErrorCodes } from '../../apps/api/src/common/all-exceptions.filter.js';
import { configureApp } from '../../apps/api/src/configure-app.js';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A real stack for one test file: its own database and queue prefix, the API and (optionally) the worker. */
export interface TestStack {
  db: TestDatabase;
  dataSource: DataSource;
  api: INestApplication;
  worker: TestingModule | null;
  queuePrefix: string;
  /** Access token of `admin@test.rbm` (global admin). */
  adminToken: string;
  /** A supertest agent on the API; signed in as the admin unless `token` is given (null: anonymous). */
  http(token?: string | null): TestAgent;
  /** Creates a user with the given assignments and returns an access token for them. */
  userToken(
    email: string,
    assignments: { role: Role; orgUnitId?: string | null; donorId?: string | null }[],
  ): Promise<string>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'correct-horse-battery';

/**
 * Creates a database, runs the migrations, loads the SDG framework, and starts the API (with the
 * production setup from configureApp) and, when `withWorker`, the worker module (relay + processor).
 */
export async function startTestStack(options: { withWorker?: boolean } = {}): Promise<TestStack> {
  const db = await createTestDatabase();
  const queuePrefix = uniqueQueuePrefix();
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    RELAY_INTERVAL_MS: '100',
  });
  const dataSource = new DataSource(buildDataSourceOptions(db.url));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await sdgServiceOn(dataSource).load();

  const apiModule = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const api = configureApp(apiModule.createNestApplication({ logger: false }));
  await api.init();

  let worker: TestingModule | null = null;
  if (options.withWorker) {
    worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    worker.useLogger(false);
    await worker.init();
  }

  const hash = await AuthService.hashPassword(TEST_PASSWORD);
  const userToken = async (
    email: string,
    assignments: { role: Role; orgUnitId?: string | null; donorId?: string | null }[],
  ) => {
    const user = await dataSource
      .getRepository(UserEntity)
      .save({ email, displayName: email, passwordHash: hash, isActive: true });
    if (assignments.length)
      await dataSource.getRepository(RoleAssignmentEntity).insert(
        assignments.map((a) => ({
          userId: user.id,
          role: a.role,
          orgUnitId: a.orgUnitId ?? null,
          donorId: a.donorId ?? null,
        })),
      );
    const res = await request(api.getHttpServer()).post('/auth/login').send({ email, password: TEST_PASSWORD });
    if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken as string;
  };
  const adminToken = await userToken('admin@test.rbm', [{ role: 'admin' }]);
  const http = (token: string | null = adminToken) => {
    const agent = request.agent(api.getHttpServer());
    return token ? agent.set('Authorization', `Bearer ${token}`) : agent;
  };

  return {
    db,
    dataSource,
    api,
    worker,
    queuePrefix,
    adminToken,
    http,
    userToken,
    async close() {
      await worker?.close();
      await api.close();
      const queue = new Queue(QueueName.Reports, { connection: redisOptionsFromUrl(REDIS_URL), prefix: queuePrefix });
      await queue.obliterate({ force: true });
      await queue.close();
      await dataSource.destroy();
      await db.drop();
      // Every error code a route answered must be listed in its OpenAPI operation (ApiErrors).
      if (undeclaredErrorCodes.length)
        throw new Error(`Routes answered codes they do not list:\n${[...new Set(undeclaredErrorCodes)].join('\n')}`);
    },
  };
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 30000,
  stepMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waitFor: condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
