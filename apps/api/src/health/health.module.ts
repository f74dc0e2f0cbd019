import { Module } from '@nestjs/common';
import { DatabaseHealthRepository } from './database-health.repository.js';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';

@Module({ controllers: [HealthController], providers: [HealthService, DatabaseHealthRepository] })
export class HealthModule {}
