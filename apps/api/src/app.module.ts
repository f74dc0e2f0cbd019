import { Module } from '@nestjs/common';
import { rbmLoggerModule } from '#libs/common';
import { AppConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { IatiModule } from '#libs/iati';
import { LogframeModule } from '#libs/logframe';
import { ReportingModule } from '#libs/reporting';
import { SdgModule } from '#libs/sdg';
import { HealthModule } from './health/health.module.js';
import { ImportsController } from './imports/imports.controller.js';
import { ProjectsController } from './projects/projects.controller.js';
import { ReportsController } from './reports/reports.controller.js';
import { SdgController } from './sdg/sdg.controller.js';

/** The HTTP API. It never builds reports: it records requests, the worker builds them. */
@Module({
  imports: [
    AppConfigModule,
    rbmLoggerModule(),
    DatabaseModule,
    HealthModule,
    SdgModule,
    LogframeModule,
    ReportingModule,
    IatiModule,
  ],
  controllers: [SdgController, ReportsController, ImportsController, ProjectsController],
})
export class AppModule {}
