import { Module } from '@nestjs/common';
import { ApprovalModule } from '#libs/approval';
import { AuthModule } from '#libs/auth';
import { AppConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { IatiModule } from '#libs/iati';
import { ProgressModule } from '#libs/progress';
import { ReportingModule } from '#libs/reporting';
import { SdgModule } from '#libs/sdg';
import { DemoRepository } from './demo.repository.js';

/** Services the command line uses (no HTTP, no queue consumer). */
@Module({
  imports: [
    AppConfigModule,
    DatabaseModule,
    AuthModule,
    ApprovalModule,
    SdgModule,
    IatiModule,
    ReportingModule,
    ProgressModule,
  ],
  providers: [DemoRepository],
})
export class CliModule {}
