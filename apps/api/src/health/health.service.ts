import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '#libs/config';
import { redisOptionsFromUrl } from '#libs/queue';
import { DatabaseHealthRepository } from './database-health.repository.js';

/** The state of one dependency: up, or down with the reason. */
export interface DependencyHealth {
  name: 'PostgreSQL' | 'Redis';
  status: 'up' | 'down';
  message?: string;
}

const CHECK_TIMEOUT_MS = 1500;

/** Pings PostgreSQL (`SELECT 1`) and Redis (`PING`) in parallel, each within 1.5 s. */
@Injectable()
export class HealthService implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(
    private readonly database: DatabaseHealthRepository,
    config: AppConfig,
  ) {
    this.redis = new Redis({
      ...redisOptionsFromUrl(config.REDIS_URL),
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 1000,
      retryStrategy: () => 1000,
    });
    this.redis.on('error', () => undefined);
  }

  async check(): Promise<{ database: DependencyHealth; redis: DependencyHealth }> {
    const [database, redis] = await Promise.all([
      probe('PostgreSQL', () => this.database.ping()),
      probe('Redis', async () => {
        if (this.redis.status === 'wait') await this.redis.connect();
        await this.redis.ping();
      }),
    ]);
    return { database, redis };
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

async function probe(name: DependencyHealth['name'], check: () => Promise<void>): Promise<DependencyHealth> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { name, status: 'up' };
  } catch (error) {
    return { name, status: 'down', message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
