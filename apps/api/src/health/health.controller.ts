import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators.js';
import { RedisHealthIndicator } from './redis-health.indicator.js';

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  /** 200 when PostgreSQL and Redis answer; 503 naming the one that does not. */
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness of the API with its PostgreSQL and Redis' })
  @ApiOkResponse({ description: '`{ status: "ok", info: { database: { status: "up" }, redis: { status: "up" } } }`' })
  @ApiServiceUnavailableResponse({ description: 'PostgreSQL or Redis is down (named in `error`)' })
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1500 }),
      () => this.redis.isHealthy('redis'),
    ]);
  }
}
