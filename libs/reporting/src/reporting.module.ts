import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { LogframeModule } from '#libs/logframe';
import { ProgressModule } from '#libs/progress';
import { ReportBuilderService } from './report-builder.service.js';
import { ReportFileRepository } from './report-file.repository.js';
import { ReportFileService } from './report-file.service.js';
import { ReportInputsRepository } from './report-inputs.repository.js';
import { ReportRequestService } from './report-request.service.js';
import { ReportReadRepository } from './report-read.repository.js';
import { ReportReadService } from './report-read.service.js';
import { ReportRepository } from './report.repository.js';

/** Report requests (api), building (worker) and reads. */
@Module({
  imports: [AuthModule, LogframeModule, ProgressModule],
  providers: [
    ReportInputsRepository,
    ReportRepository,
    ReportReadRepository,
    ReportFileRepository,
    ReportRequestService,
    ReportBuilderService,
    ReportReadService,
    ReportFileService,
  ],
  exports: [
    ReportRequestService,
    ReportBuilderService,
    ReportReadService,
    ReportInputsRepository,
    ReportRepository,
    ReportFileService,
  ],
})
export class ReportingModule {}
