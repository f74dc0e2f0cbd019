import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApprovalModule } from '#libs/approval';
import { AuthModule } from '#libs/auth';
import { rbmLoggerModule } from '#libs/common';
import { AppConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { IatiModule } from '#libs/iati';
import { LogframeModule } from '#libs/logframe';
import { ProgressModule } from '#libs/progress';
import { ReportingModule } from '#libs/reporting';
import { SdgModule } from '#libs/sdg';
import { AdminController } from './admin/admin.controller.js';
import { ApprovalController } from './approval/approval.controller.js';
import { OrgUnitsController } from './admin/org-units.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { BrowserSessionController } from './auth/browser-session.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { LoginThrottleGuard } from './auth/login-throttle.guard.js';
import { HealthModule } from './health/health.module.js';
import { ImportsController } from './imports/imports.controller.js';
import { LogframeXlsxController } from './logframe/logframe-xlsx.controller.js';
import { ProgressController } from './progress/progress.controller.js';
import { LogframeReadService } from './logframe/logframe-read.service.js';
import { ProjectsController } from './projects/projects.controller.js';
import { ReferenceModule } from './reference/reference.module.js';
import { ReportsController } from './reports/reports.controller.js';
import { SdgController } from './sdg/sdg.controller.js';

/** The HTTP API. It never builds reports: it records requests, the worker builds them. */
@Module({
  imports: [
    AppConfigModule,
    rbmLoggerModule(),
    DatabaseModule,
    AuthModule,
    HealthModule,
    SdgModule,
    LogframeModule,
    ReportingModule,
    IatiModule,
    ReferenceModule,
    ApprovalModule,
    ProgressModule,
  ],
  controllers: [
    AuthController,
    BrowserSessionController,
    AdminController,
    ApprovalController,
    ProgressController,
    OrgUnitsController,
    SdgController,
    ProjectsController,
    LogframeXlsxController,
    ImportsController,
    ReportsController,
  ],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }, LoginThrottleGuard, LogframeReadService],
})
export class AppModule {}
