import { Module } from '@nestjs/common';
import { LogframeModule } from '#libs/logframe';
import { AuditTrailService } from './audit-trail.service.js';
import { RevisionWorkflowService } from './revision-workflow.service.js';

/** The QA workflow of logframe revisions and the audit trail. */
@Module({
  imports: [LogframeModule],
  providers: [RevisionWorkflowService, AuditTrailService],
  exports: [RevisionWorkflowService, AuditTrailService],
})
export class ApprovalModule {}
