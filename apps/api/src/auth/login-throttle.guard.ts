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
 * Limits sign-in attempts (rate-limiter-flexible on Redis, so every API instance shares the counts):
 * LOGIN_ATTEMPTS_PER_MINUTE attempts per email, and four times that per client address, within a
 * minute; then 429 with Retry-After. The attempt is consumed atomically (one Redis increment per key)
 * BEFORE the password is verified, so parallel guesses all count: of 30 simultaneous wrong passwords
 * at most LOGIN_ATTEMPTS_PER_MINUTE reach the password check. A successful sign-in gives its points
 * back (the account's count is cleared, the address's point returned), so successes never count.
 * While Redis is unreachable an in-memory limiter per process stands in (see docs/RULES.md).
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

  /**
   * Consumes one attempt of the client address, then one of the account; refuses (429) when either
   * is used up. Runs before the controller, hence before any password verification.
   */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const email = (request.body as { email?: unknown } | undefined)?.email;
    try {
      await this.perAddress.consume(LoginThrottleGuard.address(request.ip));
      await this.perAccount.consume(LoginThrottleGuard.account(email));
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
      throw new HttpException(
        `Too many sign-in attempts; try again in ${seconds} seconds`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    return true;
  }

  /**
   * After a successful sign-in: clears the account's count and gives the address its point back, so
   * a success never counts (failures from the same address still do).
   */
  async forgetSuccess(ip: string | undefined, email: string): Promise<void> {
    await Promise.all([
      this.perAccount.delete(LoginThrottleGuard.account(email)).catch(() => undefined),
      this.perAddress.reward(LoginThrottleGuard.address(ip)).catch(() => undefined),
    ]);
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

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
