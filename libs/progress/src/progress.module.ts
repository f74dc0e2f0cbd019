import { Module } from '@nestjs/common';
import { LogframeModule } from '#libs/logframe';
import { ProgressReadRepository } from './progress-read.repository.js';
import { ProgressService } from './progress.service.js';

/** Quarterly progress: actuals entry and the validation workflow. */
@Module({
  imports: [LogframeModule],
  providers: [ProgressService, ProgressReadRepository],
  exports: [ProgressService, ProgressReadRepository],
})
export class ProgressModule {}
