import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '#libs/config';
import { redisOptionsFromUrl } from '#libs/queue';

/**
 * Throttles sign-in attempts (rate-limiter-flexible on Redis, so every API instance shares the
 * counts; an in-memory limiter stands in while Redis is unreachable): LOGIN_ATTEMPTS_PER_MINUTE per
 * email, and four times that per client address. Over the limit: 429 with Retry-After.
 */
@Injectable()
export class LoginThrottleGuard implements CanActivate, OnModuleDestroy {
  private readonly redis: Redis;
  private readonly perAccount: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;

  constructor(config: AppConfig) {
    this.redis = new Redis({ ...redisOptionsFromUrl(config.REDIS_URL), enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.redis.on('error', () => undefined);
    const limiter = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${config.QUEUE_PREFIX}:login:${name}`,
        points,
        duration: 60,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `login:${name}`, points, duration: 60 }),
      });
    this.perAccount = limiter('account', config.LOGIN_ATTEMPTS_PER_MINUTE);
    this.perAddress = limiter('address', config.LOGIN_ATTEMPTS_PER_MINUTE * 4);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const email = String((request.body as { email?: unknown } | undefined)?.email ?? '').trim().toLowerCase();
    try {
      await this.perAddress.consume(request.ip ?? 'unknown');
      await this.perAccount.consume(email || 'no-email');
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
      throw new HttpException(`Too many sign-in attempts; try again in ${seconds} seconds`, HttpStatus.TOO_MANY_REQUESTS);
    }
    return true;
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
