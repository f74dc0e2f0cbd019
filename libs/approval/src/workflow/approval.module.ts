import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { LogframeModule } from '#libs/logframe';
import { AuditTrailService } from './audit-trail.service.js';
import { ReviewCommentRepository } from './review-comment.repository.js';
import { RevisionWorkflowService } from './revision-workflow.service.js';

/** The QA workflow of logframe revisions and the audit trail. */
@Module({
  imports: [AuthModule, LogframeModule],
  providers: [ReviewCommentRepository, RevisionWorkflowService, AuditTrailService],
  exports: [RevisionWorkflowService, AuditTrailService],
})
export class ApprovalModule {}
