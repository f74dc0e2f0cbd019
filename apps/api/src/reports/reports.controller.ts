import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { create as contentDisposition } from 'content-disposition';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { type AuthUser, PolicyService } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import { normaliseSdgCode } from '#libs/sdg';
import type { ReportEntity } from '#libs/database';
import {
  isReportLanguage,
  REPORT_XLSX_MEDIA_TYPE,
  reportFileName,
  type ReportLanguage,
  ReportReadService,
  ReportRequestService,
  resolveReportLanguage,
} from '#libs/reporting';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { ANY_ROLE, CurrentUser, Roles } from '../auth/auth.decorators.js';
import {
  ReportAcceptedDto,
  ReportCreateDto,
  ReportQueryDto,
  ReportResponseDto,
  ReportSummaryDto,
  toReportSummary,
} from './reports.dto.js';

const LANG_QUERY = {
  name: 'lang',
  required: false,
  enum: ['en', 'fr'],
  description:
    "Language of the file's labels. Default: the first of the Accept-Language header's languages that has a catalogue, else your own language (GET /me)",
} as const;

/**
 * `attachment` with the report's file name (RFC 6266): an ASCII `filename` (non-ASCII letters
 * transliterated, others `_`) and, when the name is not ASCII, `filename*=UTF-8''…`.
 */
function attachment(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_');
  return contentDisposition(name, { fallback: ascii });
}

/** Quarterly outcome-level reports, produced in the background by the worker. */
@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly requests: ReportRequestService,
    private readonly reads: ReportReadService,
    private readonly policy: PolicyService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Request a quarterly report',
    description:
      'Records the request (PostgreSQL row first) and answers 202 at once; the worker builds it. An identical request (same fingerprint of logframe, actuals, thresholds and calculation version) returns the existing report. Scopes: project, programme, donor (every project it funds, co-funders disclosed), org_unit (and the units below it), sdg_target (contributing results, never summed values; admins). A donor or programme report requested by staff whose org units do not cover every project of it is restricted to their org units (`restrictedToUnitIds`, named on its cover).',
  })
  @Roles('admin', 'project_manager', 'rbm_focal_point')
  @ApiAcceptedResponse({ type: ReportAcceptedDto })
  @ApiErrors(400, 404)
  async create(@Body() body: ReportCreateDto, @CurrentUser() user: AuthUser): Promise<ReportAcceptedDto> {
    const scopeId =
      body.scope === 'project'
        ? (body.projectId ?? body.scopeId!)
        : body.scope === 'sdg_target'
          ? normaliseSdgCode(body.scopeId!)
          : body.scopeId!;
    if (
      body.scope !== 'sdg_target' &&
      !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(scopeId)
    ) {
      throw DomainException.badRequest(ErrorCode.VALIDATION_FAILED, 'scopeId must be a UUID for this scope', [
        { path: 'scopeId', code: 'isUUID', params: {}, message: 'must be a UUID' },
      ]);
    }
    let restrictedToUnitIds: string[] = [];
    if (body.scope === 'project') await this.policy.authorizeProject(user, 'report.request', scopeId);
    else ({ restrictedToUnitIds } = await this.policy.authorizeScopeRequest(user, body.scope, scopeId));
    const { report, created } = await this.requests.requestReport({
      scopeType: body.scope,
      scopeId,
      restrictedToUnitIds,
      year: body.year,
      quarter: body.quarter,
      requestedById: user.id,
    });
    return {
      id: report.id,
      status: report.status,
      version: report.version,
      created,
      location: `/reports/${report.id}`,
    };
  }

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'Reports in your scope, newest quarter and version first (donors: only reports that are not internal)',
  })
  @ApiOkResponse({ type: [ReportSummaryDto] })
  @ApiErrors(400)
  async list(@Query() query: ReportQueryDto, @CurrentUser() user: AuthUser): Promise<ReportSummaryDto[]> {
    const reports = await this.reads.list({ scopeType: query.scope, scopeId: query.scopeId }, (qb) =>
      this.policy.scopeReports(qb, user),
    );
    const labels = await this.reads.scopeLabels(reports);
    return reports.map((r) => toReportSummary(r, labels.get(r.id)!));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A report: its job status and, once completed, its content' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ReportResponseDto })
  @Roles(...ANY_ROLE)
  @ApiErrors(400, 404)
  async get(@Param('id', uuidParam('id')) id: string, @CurrentUser() user: AuthUser): Promise<ReportResponseDto> {
    const report = await this.reads.get(id);
    await this.policy.authorizeReport(user, report);
    const labels = await this.reads.scopeLabels([report]);
    return { ...toReportSummary(report, labels.get(report.id)!), content: report.content ?? null };
  }

  @Get(':id/report.csv')
  @ApiOperation({ summary: 'Download the report as CSV (one row per indicator)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'CSV file (UTF-8, starting with a byte-order mark unless bom=0)',
    schema: { type: 'string' },
  })
  @ApiQuery({
    name: 'bom',
    required: false,
    enum: ['0', '1'],
    description: '0: no UTF-8 byte-order mark (for scripts)',
  })
  @Roles(...ANY_ROLE)
  @ApiErrors(400, 404, 409)
  async csv(
    @Param('id', uuidParam('id')) id: string,
    @Query('bom') bom: string | undefined,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
  ): Promise<void> {
    if (bom !== undefined && bom !== '0' && bom !== '1')
      throw DomainException.badRequest(ErrorCode.VALIDATION_FAILED, 'bom must be 0 or 1', [
        { path: 'bom', code: 'isIn', params: { values: '0, 1' }, message: 'bom must be 0 or 1' },
      ]);
    const report = await this.reads.get(id);
    await this.policy.authorizeReport(user, report);
    const file = await this.reads.file(id, 'csv');
    // Excel on Windows reads a CSV as UTF-8 only after a byte-order mark (EF BB BF).
    const withBom = bom !== '0';
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', await this.disposition(report, 'csv'));
    res.setHeader('ETag', `"${file.sha256}${withBom ? '-bom' : ''}"`);
    const body = Buffer.isBuffer(file.content) ? file.content : Buffer.from(String(file.content), 'utf8');
    res.send(withBom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
  }

  @Get(':id/report.xlsx')
  @ApiOperation({
    summary:
      'Download the report as XLSX (one sheet per level), labelled in the language asked (?lang=, Accept-Language, else yours)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery(LANG_QUERY)
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: 'XLSX file', schema: { type: 'string', format: 'binary' } })
  @Roles(...ANY_ROLE)
  @ApiErrors(400, 404, 409)
  async xlsx(
    @Param('id', uuidParam('id')) id: string,
    @Query('lang') langQuery: string | undefined,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
  ): Promise<void> {
    const lang = this.language(langQuery, acceptLanguage, user);
    const report = await this.reads.get(id);
    await this.policy.authorizeReport(user, report);
    const file = lang === 'en' ? await this.reads.file(id, 'xlsx') : null;
    const body = file ? file.content : await this.reads.translated(report, 'xlsx', lang);
    res.setHeader('Content-Type', REPORT_XLSX_MEDIA_TYPE);
    res.setHeader('Content-Disposition', await this.disposition(report, 'xlsx'));
    res.setHeader('Content-Language', lang);
    // The stored file is the English one; other languages are rendered from the stored content.
    if (file) res.setHeader('ETag', `"${file.sha256}"`);
    res.send(body);
  }

  @Get(':id/report.pdf')
  @ApiOperation({ summary: 'Download the report as a donor-ready PDF with charts' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'PDF file', schema: { type: 'string', format: 'binary' } })
  @Roles(...ANY_ROLE)
  @ApiErrors(400, 404, 409)
  async pdf(
    @Param('id', uuidParam('id')) id: string,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
  ): Promise<void> {
    const report = await this.reads.get(id);
    await this.policy.authorizeReport(user, report);
    const file = await this.reads.file(id, 'pdf');
    res.setHeader('Content-Type', file.mediaType);
    res.setHeader('Content-Disposition', await this.disposition(report, 'pdf'));
    res.setHeader('ETag', `"${file.sha256}"`);
    res.send(file.content);
  }

  /** The Content-Disposition of a report file: `<code>-<year>Q<quarter>-v<version>.<ext>` (RFC 6266). */
  private async disposition(report: ReportEntity, extension: string): Promise<string> {
    const labels = await this.reads.scopeLabels([report]);
    return attachment(reportFileName(report, labels.get(report.id)!, extension));
  }

  /**
   * The report language of a download: `?lang=` (400 when it names no catalogue), else Accept-Language,
   * else the caller's own language.
   * @throws DomainException bad_request naming `lang`
   */
  private language(query: string | undefined, acceptLanguage: string | undefined, user: AuthUser): ReportLanguage {
    if (query !== undefined && !isReportLanguage(query))
      throw DomainException.badRequest(ErrorCode.VALIDATION_FAILED, 'lang must be one of: en, fr', [
        { path: 'lang', code: 'isIn', params: { values: 'en, fr' }, message: 'lang must be one of: en, fr' },
      ]);
    return resolveReportLanguage(query, acceptLanguage, user.language);
  }
}
