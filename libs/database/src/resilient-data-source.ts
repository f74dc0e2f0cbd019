import { Logger } from '@nestjs/common';
import { DataSource, type DataSourceOptions } from 'typeorm';

/** Backoff of the first connection: 0.5 s, doubling, at most 10 s between attempts. */
export const CONNECT_BACKOFF = { initialMs: 500, maxMs: 10_000 };

/**
 * A DataSource that lets its process start while PostgreSQL is down (DESIGN: self-healing processes).
 * Entity metadata is built at once (so Nest can create repositories and every service can be wired),
 * then the first connection is tried in the background with exponential backoff until it succeeds or
 * the DataSource is closed. Until then `isInitialized` is false: the API answers 503 with Retry-After
 * (see the availability middleware) and the worker's jobs wait. Once connected, the pg pool opens new
 * connections on demand, so later outages heal by themselves (each failed query is a 503 or a retried job).
 *
 * Metadata is built once: `buildMetadatas` is replaced by a no-op before `initialize`, so repositories
 * created before the connection keep the same metadata objects as those created after.
 */
export async function createResilientDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource(options);
  const internals = dataSource as unknown as { buildMetadatas(): Promise<void> };
  await internals.buildMetadatas();
  internals.buildMetadatas = async () => undefined;
  const logger = new Logger('Database');
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    closed = true;
    if (timer) clearTimeout(timer);
    if (dataSource.isInitialized) await destroy();
  };
  const attempt = async (delayMs: number, attempts: number): Promise<void> => {
    if (closed) return;
    try {
      await dataSource.initialize();
      if (closed) await destroy();
      else if (attempts > 0) logger.log({ attempts }, 'connected to PostgreSQL');
    } catch (error) {
      if (closed) return;
      logger.warn(
        { err: error instanceof Error ? error.message : String(error), retryInMs: delayMs },
        'PostgreSQL unreachable; retrying',
      );
      timer = setTimeout(() => void attempt(Math.min(delayMs * 2, CONNECT_BACKOFF.maxMs), attempts + 1), delayMs);
      timer.unref();
    }
  };
  // The first attempt is awaited (a healthy start is connected before the app listens); later ones run in the background.
  await attempt(CONNECT_BACKOFF.initialMs, 0);
  return dataSource;
}
