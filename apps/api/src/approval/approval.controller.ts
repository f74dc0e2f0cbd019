import { diffValuesAsJsonNumbers } from '../logframe/logframe.mapper.js';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditTrailService, RevisionWorkflowService } from '#libs/approval';
import type { AuthUser } from '#libs/auth';
import { ErrorCode } from '#libs/common';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { intParam } from '../common/int-param.js';
import { uuidParam } from '../common/uuid-param.js';
import {
  AuditQueryDto,
  ChecklistDto,
  CommentDto,
  ElementChangeDto,
  InboxItemDto,
  RevisionDto,
  RevisionOpenDto,
  RevisionReturnDto,
  RevisionVersionDto,
} from './approval.dto.js';

/**
 * RBM Quality Assurance of logframes (DESIGN.md §3): the checklist, submit, approve or return,
 * new revisions, comments, the review inbox and the audit trail.
 */
@ApiTags('quality assurance')
@Controller()
export class ApprovalController {
  constructor(
    private readonly workflow: RevisionWorkflowService,
    private readonly audit: AuditTrailService,
  ) {}

  @Get('projects/:id/revisions')
  @Roles('admin', 'project_manager', 'rbm_focal_point')
  @ApiOperation({
    summary:
      'The revisions of a logframe, newest first, each with what you may do (mayEdit, maySubmit, mayApprove, mayReturn)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: [RevisionDto] })
  @ApiErrors(400, 404)
  async revisions(@Param('id', uuidParam('id')) id: string, @CurrentUser() user: AuthUser): Promise<RevisionDto[]> {
    return this.workflow.list(user, id);
  }

  @Get('projects/:id/checklist')
  @Roles('admin', 'project_manager', 'rbm_focal_point')
  @ApiOperation({
    summary: 'Run the QA checklist on the working copy now (nothing is stored), to fix problems before submitting',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ChecklistDto })
  @ApiErrors(400, 404)
  async checklist(@Param('id', uuidParam('id')) id: string, @CurrentUser() user: AuthUser): Promise<ChecklistDto> {
    return this.workflow.checklist(user, id);
  }

  @Post('projects/:id/revisions/submit')
  @Roles('project_manager')
  @ApiOperation({
    summary:
      'Submit the working copy for review: the checklist runs; blocking items refuse the submission (422 lists every one)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: RevisionDto })
  @ApiErrors(400, 404, 409, 422)
  async submit(
    @Param('id', uuidParam('id')) id: string,
    @Body() body: RevisionVersionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<RevisionDto> {
    return this.workflow.submit(user, id, body.version);
  }

  @Post('projects/:id/revisions/:number/approve')
  @Roles('rbm_focal_point')
  @ApiOperation({
    summary:
      'Approve a submitted revision: stores its snapshot (canonical JSON, SHA-256). Not by its submitter or editors (403, four eyes)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'number', example: 1 })
  @ApiCreatedResponse({ type: RevisionDto })
  @ApiErrors(400, 404, 409, ErrorCode.FOUR_EYES)
  async approve(
    @Param('id', uuidParam('id')) id: string,
    @Param('number', intParam('number')) number: number,
    @Body() body: RevisionVersionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<RevisionDto> {
    return this.workflow.approve(user, id, number, body.version);
  }

  @Post('projects/:id/revisions/:number/return')
  @Roles('rbm_focal_point')
  @ApiOperation({
    summary: 'Return a submitted revision to the manager, with a comment and optional comments on elements',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'number', example: 1 })
  @ApiCreatedResponse({ type: RevisionDto })
  @ApiErrors(400, 404, 409, 422)
  async return(
    @Param('id', uuidParam('id')) id: string,
    @Param('number', intParam('number')) number: number,
    @Body() body: RevisionReturnDto,
    @CurrentUser() user: AuthUser,
  ): Promise<RevisionDto> {
    return this.workflow.return(user, id, number, body.version, body.comment, body.elementComments ?? []);
  }

  @Post('projects/:id/revisions')
  @Roles('project_manager')
  @ApiOperation({ summary: 'Open revision n+1 from the approved revision n (n stays in force until n+1 is approved)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: RevisionDto })
  @ApiErrors(400, 404, 409, 422)
  async open(
    @Param('id', uuidParam('id')) id: string,
    @Body() body: RevisionOpenDto,
    @CurrentUser() user: AuthUser,
  ): Promise<RevisionDto> {
    return this.workflow.openRevision(user, id, body.justification);
  }

  @Get('projects/:id/revisions/:from/diff/:to')
  @Roles('admin', 'project_manager', 'rbm_focal_point')
  @ApiOperation({
    summary:
      'What changed between two revisions, element by element (by stable id): added, removed, changed fields with before/after',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'from', example: 1 })
  @ApiParam({ name: 'to', example: 2 })
  @ApiOkResponse({ type: [ElementChangeDto] })
  @ApiErrors(400, 404)
  async diff(
    @Param('id', uuidParam('id')) id: string,
    @Param('from', intParam('from')) from: number,
    @Param('to', intParam('to')) to: number,
    @CurrentUser() user: AuthUser,
  ): Promise<ElementChangeDto[]> {
    return diffValuesAsJsonNumbers(await this.workflow.diff(user, id, from, to));
  }

  @Get('projects/:id/comments')
  @Roles('admin', 'project_manager', 'rbm_focal_point')
  @ApiOperation({
    summary: "Review comments of a project, oldest first (element comments keep the element's stable id)",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: [CommentDto] })
  @ApiErrors(400, 404)
  async comments(@Param('id', uuidParam('id')) id: string, @CurrentUser() user: AuthUser): Promise<CommentDto[]> {
    return (await this.workflow.comments(user, id)).map((c) => ({
      id: c.id,
      revisionId: c.revisionId,
      elementType: c.elementType,
      elementId: c.elementStableId,
      authorId: c.authorId,
      body: c.body,
      createdAt: c.createdAt,
    }));
  }

  @Get('projects/:id/audit')
  @Roles('admin', 'project_manager', 'rbm_focal_point')
  @ApiOperation({ summary: 'The audit trail of a project (append-only): who, when, what, before/after; JSON or CSV' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'Events, oldest first' })
  @ApiErrors(400, 404)
  async auditTrail(
    @Param('id', uuidParam('id')) id: string,
    @Query() query: AuditQueryDto,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
  ): Promise<void> {
    const events = await this.audit.list(user, id);
    if (query.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="audit-${id}.csv"`);
      res.send(this.audit.toCsv(events));
      return;
    }
    res.json(events);
  }

  @Get('reviews/inbox')
  @Roles('rbm_focal_point')
  @ApiOperation({ summary: 'Submissions awaiting you (in your scope), oldest first, with how long each has waited' })
  @ApiOkResponse({ type: [InboxItemDto] })
  inbox(@CurrentUser() user: AuthUser): Promise<InboxItemDto[]> {
    return this.workflow.inbox(user);
  }
}
