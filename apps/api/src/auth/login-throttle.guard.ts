import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '#libs/config';
import { redisOptionsFromUrl } from '#libs/queue';

/**
 * Throttles failed sign-ins (rate-limiter-flexible on Redis, so every API instance shares the counts;
 * an in-memory limiter stands in while Redis is unreachable): LOGIN_ATTEMPTS_PER_MINUTE failures per
 * email, and four times that per client address, within a minute; then 429 with Retry-After. A
 * success clears the account's count. Only failures count, so people signing in are never slowed.
 */
@Injectable()
export class LoginThrottleGuard implements CanActivate, OnModuleDestroy {
  private readonly redis: Redis;
  private readonly perAccount: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;

  constructor(config: AppConfig) {
    this.redis = new Redis({
      ...redisOptionsFromUrl(config.REDIS_URL),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
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

  /** Refuses the attempt (429) when the address or the account already used up its failed attempts. */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const [address, account] = await Promise.all([
      this.perAddress.get(LoginThrottleGuard.address(request.ip)),
      this.perAccount.get(LoginThrottleGuard.account((request.body as { email?: unknown } | undefined)?.email)),
    ]);
    const blocked = [address, account].filter((r): r is RateLimiterRes => r !== null && r.remainingPoints <= 0);
    if (blocked.length) {
      const seconds = Math.max(1, Math.ceil(Math.max(...blocked.map((r) => r.msBeforeNext)) / 1000));
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
      throw new HttpException(
        `Too many sign-in attempts; try again in ${seconds} seconds`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    return true;
  }

  /** Counts a failed sign-in against the client address and the account. */
  async recordFailure(ip: string | undefined, email: unknown): Promise<void> {
    const swallowLimit = (error: unknown) => {
      if (!(error instanceof RateLimiterRes)) throw error;
    };
    await this.perAddress.consume(LoginThrottleGuard.address(ip)).catch(swallowLimit);
    await this.perAccount.consume(LoginThrottleGuard.account(email)).catch(swallowLimit);
  }

  private static address(ip: string | undefined): string {
    return ip ?? 'unknown';
  }

  private static account(email: unknown): string {
    return (
      String(email ?? '')
        .trim()
        .toLowerCase() || 'no-email'
    );
  }

  /** Clears an account's count after a successful sign-in (failures from the same address still count). */
  async forgetAccount(email: string): Promise<void> {
    await this.perAccount.delete(LoginThrottleGuard.account(email)).catch(() => undefined);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
