import { NestedArray, UuidRef, NonBlankText } from '../common/dto-decorators.js';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';

export class RevisionVersionDto {
  @ApiProperty({ example: 4, description: 'The revision version you read (409 when someone acted since)' })
  @IsInt({ message: 'version must be a whole number' })
  @Min(1)
  version: number;
}

const ELEMENTS = ['outcome', 'output', 'indicator', 'activity', 'assumption'] as const;

export class ElementCommentDto {
  @ApiProperty({ enum: ELEMENTS })
  @IsIn(ELEMENTS as unknown as string[], { message: `elementType must be one of: ${ELEMENTS.join(', ')}` })
  elementType: (typeof ELEMENTS)[number];
  @UuidRef({ description: "The element's stable id" })
  elementId: string;
  @NonBlankText('body must not be blank', 4000, { example: 'The means of verification must name the court registry.' })
  body: string;
}

export class RevisionReturnDto extends RevisionVersionDto {
  @NonBlankText('comment must say why the logframe is returned', 4000, {
    example: 'Outcome 2 has no SDG link and OC1.1 lacks a baseline.',
  })
  comment: string;
  @NestedArray(() => ElementCommentDto, { max: 100, optional: true })
  elementComments?: ElementCommentDto[];
}

export class RevisionOpenDto {
  @NonBlankText('justification must say why a new revision is needed', 4000, {
    example: 'The donor extended the project to 2028: new end targets and a third outcome.',
  })
  justification: string;
}

export class RevisionActionsDto {
  @ApiProperty() mayEdit: boolean;
  @ApiProperty() maySubmit: boolean;
  @ApiProperty() mayApprove: boolean;
  @ApiProperty() mayReturn: boolean;
  @ApiProperty({ required: false, example: 'You submitted or edited this revision (four eyes)' })
  approveBlockedBecause?: string;
}

export class ChecklistItemDto {
  @ApiProperty({ example: 'outcome_has_indicator' }) rule: string;
  @ApiProperty({ enum: ['blocking', 'warning'] }) severity: string;
  @ApiProperty({ enum: ['project', 'outcome', 'output', 'indicator'] }) elementType: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) elementId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'OC2' }) elementCode: string | null;
  @ApiProperty({ example: 'Outcome OC2 has no indicator: add at least one outcome indicator.' }) message: string;
}

export class ChecklistDto {
  @ApiProperty({ description: 'No blocking item' }) passed: boolean;
  @ApiProperty({ type: [ChecklistItemDto] }) blocking: ChecklistItemDto[];
  @ApiProperty({ type: [ChecklistItemDto] }) warnings: ChecklistItemDto[];
}

export class RevisionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 1 }) number: number;
  @ApiProperty({ enum: ['draft', 'submitted', 'returned', 'approved', 'superseded'] }) status: string;
  @ApiProperty() version: number;
  @ApiProperty({ nullable: true, type: String }) justification: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) submittedBy: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) submittedAt: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) approvedBy: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) approvedAt: Date | null;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 of the approved snapshot (canonical JSON)' })
  snapshotSha256: string | null;
  @ApiProperty({ type: [String], description: 'Users who edited this revision (none of them may approve it)' })
  editors: string[];
  @ApiProperty({
    nullable: true,
    type: ChecklistDto,
    description: 'The checklist stored at submission (warnings for the reviewer)',
  })
  checklist: ChecklistDto | null;
  @ApiProperty({ type: RevisionActionsDto }) actions: RevisionActionsDto;
}

export class InboxItemDto {
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty() projectCode: string;
  @ApiProperty() projectTitle: string;
  @ApiProperty() revisionNumber: number;
  @ApiProperty() version: number;
  @ApiProperty({ type: String, format: 'date-time' }) submittedAt: Date;
  @ApiProperty({ format: 'uuid' }) submittedBy: string;
  @ApiProperty({ example: 3, description: 'Whole days since submission' }) waitingDays: number;
  @ApiProperty({ description: 'False when you submitted or edited it (four eyes)' }) mayApprove: boolean;
}

export class CommentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) revisionId: string | null;
  @ApiProperty({ nullable: true, type: String }) elementType: string | null;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'Stable id: the comment stays attached across revisions',
  })
  elementId: string | null;
  @ApiProperty({ format: 'uuid' }) authorId: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class AuditQueryDto {
  @ApiProperty({ required: false, enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be one of: json, csv' })
  format?: 'json' | 'csv';
}

class FieldChangeDto {
  @ApiProperty({ example: 'endTarget' }) field: string;
  @ApiProperty({
    nullable: true,
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: { type: 'string' } }],
    description: 'Value in the earlier revision (decimals as strings)',
  })
  before: unknown;
  @ApiProperty({
    nullable: true,
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: { type: 'string' } }],
    description: 'Value in the later revision',
  })
  after: unknown;
}

export class ElementChangeDto {
  @ApiProperty({ enum: ['project', 'outcome', 'output', 'activity', 'indicator', 'assumption'] }) elementType: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) elementId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'OC1.1' }) code: string | null;
  @ApiProperty({ enum: ['added', 'removed', 'changed'] }) change: string;
  @ApiProperty({ type: [FieldChangeDto] }) fields: FieldChangeDto[];
}
