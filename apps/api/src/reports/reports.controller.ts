import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
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
import type { Request, Response } from 'express';
import type { AuthUser } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import { normaliseSdgCode } from '#libs/sdg';
import {
  isReportLanguage,
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

/** The download routes: one handler, the format read from the path's extension. */
const DOWNLOAD_PATHS = [':id/report.csv', ':id/report.xlsx', ':id/report.pdf'];
type DownloadFormat = 'csv' | 'xlsx' | 'pdf';

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
    const { report, created } = await this.requests.requestReport(
      { scopeType: body.scope, scopeId, year: body.year, quarter: body.quarter, requestedById: user.id },
      user,
    );
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
    const reports = await this.reads.list(user, { scopeType: query.scope, scopeId: query.scopeId });
    return reports.map(({ report, scope }) => toReportSummary(report, scope));
  }

  @Get(':id')
  @ApiOperation({
    summary: 'A report: its job status and, once completed, its content',
    description:
      '`flags` lists what a stored file could not show as written: `missing_characters`, characters no bundled font covers, drawn as visible boxes in that PDF (format, language, code points).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ReportResponseDto })
  @Roles(...ANY_ROLE)
  @ApiErrors(400, 404)
  async get(@Param('id', uuidParam('id')) id: string, @CurrentUser() user: AuthUser): Promise<ReportResponseDto> {
    const { report, scope, flags } = await this.reads.get(user, id);
    return { ...toReportSummary(report, scope), content: report.content ?? null, flags };
  }

  @Get(DOWNLOAD_PATHS)
  @ApiOperation({
    summary: 'Download the report as CSV (one row per indicator), XLSX (one sheet per level) or a donor-ready PDF',
    description:
      'XLSX and PDF are labelled in the language asked (?lang=, Accept-Language, else yours) and stored per language once rendered; the CSV starts with a UTF-8 byte-order mark unless bom=0 (its column names are machine names).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery(LANG_QUERY)
  @ApiQuery({
    name: 'bom',
    required: false,
    enum: ['0', '1'],
    description: 'CSV only. 0: no UTF-8 byte-order mark (for scripts)',
  })
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  @Roles(...ANY_ROLE)
  @ApiErrors(400, 404, 409)
  async download(
    @Param('id', uuidParam('id')) id: string,
    @Query('lang') langQuery: string | undefined,
    @Query('bom') bom: string | undefined,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const format = req.path.slice(req.path.lastIndexOf('.') + 1) as DownloadFormat;
    if (format === 'csv' && bom !== undefined && bom !== '0' && bom !== '1')
      throw DomainException.badRequest(ErrorCode.VALIDATION_FAILED, 'bom must be 0 or 1', [
        { path: 'bom', code: 'isIn', params: { values: '0, 1' }, message: 'bom must be 0 or 1' },
      ]);
    const lang = format === 'csv' ? 'en' : this.language(langQuery, acceptLanguage, user);
    const { file, fileName } = await this.reads.download(user, id, format, lang);
    // Excel on Windows reads a CSV as UTF-8 only after a byte-order mark (EF BB BF).
    const withBom = format === 'csv' && bom !== '0';
    const body = Buffer.isBuffer(file.content) ? file.content : Buffer.from(String(file.content), 'utf8');
    res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : file.mediaType);
    res.setHeader('Content-Disposition', attachment(fileName));
    if (format !== 'csv') res.setHeader('Content-Language', lang);
    res.setHeader('ETag', `"${file.sha256}${withBom ? '-bom' : ''}"`);
    res.send(withBom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
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
