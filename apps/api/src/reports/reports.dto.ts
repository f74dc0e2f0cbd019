import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';
import {
  REPORT_FORMATS,
  REPORT_SCOPES,
  REPORT_STATUSES,
  type ReportEntity,
  type ReportFormat,
  type ReportScope,
  type ReportStatus,
} from '#libs/database';
import { reportFileName, type ReportScopeLabel } from '#libs/reporting';

/**
 * Request of a quarterly outcome-level report. `scope` project (with `projectId` or `scopeId`),
 * programme, donor or org_unit (`scopeId` a UUID), or sdg_target (`scopeId` a target code like 16.4).
 */
export class ReportCreateDto {
  @ApiProperty({ enum: REPORT_SCOPES, example: 'project', description: 'Report scope' })
  @IsIn(REPORT_SCOPES as unknown as string[], { message: `scope must be one of: ${REPORT_SCOPES.join(', ')}` })
  scope: ReportScope;

  @ApiProperty({
    required: false,
    format: 'uuid',
    example: '0b6f3a52-2f7c-4f65-9d38-0c1a4c0e2f10',
    description: 'Project scope: the project',
  })
  @ValidateIf((o: ReportCreateDto) => o.scope === 'project' && o.scopeId === undefined)
  @IsUUID('all', { message: 'projectId must be a UUID' })
  projectId?: string;

  @ApiProperty({
    required: false,
    example: '9d1c2f3a-7b7e-4e2a-9a57-3e5b6f0d8c21',
    description: 'The programme, donor, org unit or project id; for sdg_target the target code',
  })
  @ValidateIf((o: ReportCreateDto) => o.scope !== 'project' || o.projectId === undefined)
  @IsString({ message: 'scopeId is required for this scope' })
  @Matches(/^([0-9a-fA-F-]{36}|\d{1,2}\.[0-9a-zA-Z]{1,2})$/, {
    message: 'scopeId must be a UUID, or an SDG target code like 16.4',
  })
  scopeId?: string;

  @ApiProperty({ example: 2026, minimum: 2000, maximum: 2100 })
  @Min(2000)
  @Max(2100)
  @IsInt({ message: 'year must be a whole number' })
  year: number;

  @ApiProperty({ example: 4, minimum: 1, maximum: 4, description: 'Calendar quarter: 1 = January–March' })
  @Min(1, { message: 'quarter must be from 1 to 4' })
  @Max(4, { message: 'quarter must be from 1 to 4' })
  @IsInt({ message: 'quarter must be a whole number from 1 to 4' })
  quarter: number;
}

export class ReportQueryDto {
  @ApiProperty({ enum: REPORT_SCOPES, required: false })
  @IsOptional()
  @IsIn(REPORT_SCOPES as unknown as string[], { message: `scope must be one of: ${REPORT_SCOPES.join(', ')}` })
  scope?: ReportScope;

  @ApiProperty({ required: false, description: 'Project, programme, donor or org unit id, or SDG target code' })
  @IsOptional()
  @Matches(/^([0-9a-fA-F-]{36}|\d{1,2}\.[0-9a-zA-Z]{1,2})$/, {
    message: 'scopeId must be a UUID, or an SDG target code like 16.4',
  })
  scopeId?: string;
}

export class ReportAcceptedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REPORT_STATUSES, example: 'requested' }) status: ReportStatus;
  @ApiProperty({ example: 1, description: 'Version of the report for this scope and quarter' }) version: number;
  @ApiProperty({ description: 'False when an identical report (same fingerprint) already existed' }) created: boolean;
  @ApiProperty({ example: '/reports/0b6f3a52-2f7c-4f65-9d38-0c1a4c0e2f10' }) location: string;
}

export class ReportSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REPORT_SCOPES }) scope: ReportScope;
  @ApiProperty() scopeId: string;
  @ApiProperty({
    example: 'GB-COH-11126312-Cluster2',
    description:
      "The scope's code: project, programme or org unit code; the donor's IATI organisation identifier (or a slug of its name); the SDG target code",
  })
  scopeCode: string;
  @ApiProperty({ example: 'Countering illicit trafficking', description: "The scope's title or name" })
  scopeTitle: string;
  @ApiProperty({
    example: 'GB-COH-11126312-Cluster2-2022Q1-v1',
    description:
      'Download name without extension: `<project code>-<year>Q<quarter>-v<version>` or `<scope type>-<scope code>-<year>Q<quarter>-v<version>`',
  })
  fileName: string;
  @ApiProperty({
    type: [String],
    description:
      'Empty: the whole scope. Otherwise the org units (ids) a donor or programme report is restricted to, because its requester reaches only some of its projects (docs/RULES.md "Report reach")',
  })
  restrictedToUnitIds: string[];
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ example: 4 }) quarter: number;
  @ApiProperty({ example: '2026-10-01', format: 'date' }) periodStart: string;
  @ApiProperty({ example: '2026-12-31', format: 'date' }) periodEnd: string;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ enum: REPORT_STATUSES }) status: ReportStatus;
  @ApiProperty({ description: 'Not for donors: unapproved logframe or unvalidated data' }) internal: boolean;
  @ApiProperty({ description: 'SHA-256 of the report inputs (docs/RULES.md)' }) fingerprint: string;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, format: 'date-time' }) requestedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: Date | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'Status superseded: the report of the same scope and quarter that has this content (its inputs changed between the request and the build)',
  })
  supersededById: string | null;
}

export class ReportFileFlagDto {
  @ApiProperty({ enum: ['missing_characters'] }) code: 'missing_characters';
  @ApiProperty({ enum: REPORT_FORMATS, example: 'pdf' }) format: ReportFormat;
  @ApiProperty({ example: 'en' }) language: string;
  @ApiProperty({ type: [Number], example: [57344], description: 'Code points drawn as boxes' }) codePoints: number[];
  @ApiProperty({ example: 'U+E000' }) text: string;
}

export class ReportResponseDto extends ReportSummaryDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'The report once completed: header (scope, quarter, as-of date, revision, thresholds, internal), outcomes with computed status and indicators (baseline, end target, target to date, actual this quarter, latest actual with its period, actual to date, achievement % and progress % on a 0–100 scale rounded to 1 dp, status, flags), unlinked outputs, impact indicators, summary. Values are JSON numbers.',
  })
  content: unknown;
  @ApiProperty({
    type: [ReportFileFlagDto],
    description:
      'What a stored file could not show as written: `missing_characters`, characters no bundled font covers (drawn as visible boxes in that PDF)',
  })
  flags: ReportFileFlagDto[];
}

export function toReportSummary(report: ReportEntity, scope: ReportScopeLabel): ReportSummaryDto {
  return {
    id: report.id,
    scope: report.scopeType,
    scopeId: report.scopeId,
    scopeCode: scope.code,
    scopeTitle: scope.title,
    fileName: reportFileName(report, scope, '').replace(/\.$/, ''),
    restrictedToUnitIds: report.restrictedToUnitIds ?? [],
    year: report.year,
    quarter: report.quarter,
    periodStart: report.periodStart,
    periodEnd: report.periodEnd,
    version: report.version,
    status: report.status,
    internal: report.internal,
    fingerprint: report.fingerprint,
    error: report.error,
    attempts: report.attempts,
    requestedAt: report.requestedAt,
    completedAt: report.completedAt,
    supersededById: report.supersededById ?? null,
  };
}
