import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators.js';
import { RETRY_AFTER_SECONDS } from '../common/all-exceptions.filter.js';
import { HealthDto } from './health.dto.js';
import { type DependencyHealth, HealthService } from './health.service.js';

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /**
   * 200 when PostgreSQL and Redis answer; 503 (with Retry-After) naming each dependency that does not,
   * e.g. `{ status: "error", message: "PostgreSQL is unavailable", dependencies: { database: { status: "down", ... } } }`.
   */
  @Get()
  @ApiOperation({ summary: 'Health of the API with its PostgreSQL and Redis (each failing dependency named)' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'PostgreSQL or Redis is down (each named)' })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthDto> {
    const dependencies: Record<'database' | 'redis', DependencyHealth> = await this.health.check();
    const down = Object.entries(dependencies).filter(([, d]) => d.status === 'down');
    if (down.length) {
      res.status(503);
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    return {
      status: down.length ? 'error' : 'ok',
      message: down.length
        ? `${down.map(([, d]) => d.name).join(' and ')} ${down.length > 1 ? 'are' : 'is'} unavailable`
        : 'PostgreSQL and Redis answer',
      dependencies,
    };
  }
}
