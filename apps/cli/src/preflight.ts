import { Redis } from 'ioredis';
import pg from 'pg';
import type { AppConfig } from '#libs/config';
import { redisOptionsFromUrl } from '#libs/queue';
import { DatabaseServerRepository } from './database-server.repository.js';

const START_POSTGRES =
  'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (or: docker compose up -d postgres)';
const START_REDIS =
  'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no   (or: docker compose up -d redis)';

/** Thrown when a service the command needs is down; the message says which and how to start it. */
export class ServiceUnavailableError extends Error {}

/**
 * Checks PostgreSQL and Redis are reachable and creates the configured database if it is missing.
 * @throws ServiceUnavailableError naming the service that is down and how to start it
 */
export async function preflight(config: AppConfig): Promise<void> {
  const url = new URL(config.DATABASE_URL);
  const database = decodeURIComponent(url.pathname.slice(1));
  const adminUrl = new URL(config.DATABASE_URL);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString(), connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new ServiceUnavailableError(
      `PostgreSQL is not reachable at ${url.host} (${(error as Error).message}).\nStart it with: ${START_POSTGRES}`,
    );
  }
  try {
    const server = new DatabaseServerRepository(admin);
    if (!(await server.exists(database))) await server.create(database);
  } finally {
    await admin.end();
  }
  const redis = new Redis({
    ...redisOptionsFromUrl(config.REDIS_URL),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new ServiceUnavailableError(
      `Redis is not reachable at ${config.REDIS_URL} (${(error as Error).message || 'connection refused'}).\nStart it with: ${START_REDIS}`,
    );
  } finally {
    redis.disconnect();
  }
}
