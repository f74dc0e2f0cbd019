import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { LogframeModule } from '#libs/logframe';
import { ActualsRepository } from './actuals.repository.js';
import { ProgressReadRepository } from './progress-read.repository.js';
import { ProgressService } from './progress.service.js';
import { QuarterRepository } from './quarter.repository.js';

/** Quarterly progress: actuals entry and the validation workflow (access checked by the policy service). */
@Module({
  imports: [LogframeModule, AuthModule],
  providers: [ProgressService, ProgressReadRepository, ActualsRepository, QuarterRepository],
  exports: [ProgressService, ProgressReadRepository],
})
export class ProgressModule {}
