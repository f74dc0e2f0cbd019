import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Redis } from 'ioredis';
import { AppConfig } from '#libs/config';
import { redisOptionsFromUrl } from '#libs/queue';

/** Health of Redis (the job queue): a PING with a short timeout. */
@Injectable()
export class RedisHealthIndicator implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(
    private readonly health: HealthIndicatorService,
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

  async isHealthy(key: 'redis') {
    const session = this.health.check(key);
    try {
      if (this.redis.status === 'wait') await this.redis.connect();
      await this.redis.ping();
      return session.up();
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : 'unreachable' });
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }
}
