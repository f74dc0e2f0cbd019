import { Module } from '@nestjs/common';
import { LogframeModule } from '#libs/logframe';
import { ReportingModule } from '#libs/reporting';
import { ProgressService } from './progress.service.js';

/** Quarterly progress: actuals entry and the validation workflow. */
@Module({ imports: [LogframeModule, ReportingModule], providers: [ProgressService], exports: [ProgressService] })
export class ProgressModule {}
