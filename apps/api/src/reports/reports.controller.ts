import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainException } from '#libs/common';
import { ReportReadService, ReportRequestService } from '#libs/reporting';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ReportAcceptedDto, ReportCreateDto, ReportQueryDto, ReportResponseDto, ReportSummaryDto, toReportSummary } from './reports.dto.js';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => DomainException.badRequest('The id in the address must be a UUID', [{ path: 'id', message: 'must be a UUID' }]) });

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
    description: 'Records the request (PostgreSQL row first) and answers 202 at once; the worker builds it. An identical request (same fingerprint of logframe, actuals, thresholds and calculation version) returns the existing report.',
  })
  @ApiAcceptedResponse({ type: ReportAcceptedDto })
  @ApiErrors(400, 404)
  async create(@Body() body: ReportCreateDto): Promise<ReportAcceptedDto> {
    const { report, created } = await this.requests.requestProjectReport({ projectId: body.projectId, year: body.year, quarter: body.quarter });
    return { id: report.id, status: report.status, version: report.version, created, location: `/reports/${report.id}` };
  }

  @Get()
  @ApiOperation({ summary: 'List reports, newest quarter and version first' })
  @ApiOkResponse({ type: [ReportSummaryDto] })
  @ApiErrors(400)
  async list(@Query() query: ReportQueryDto): Promise<ReportSummaryDto[]> {
    return (await this.reads.list({ scopeType: query.scope, scopeId: query.scopeId })).map(toReportSummary);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A report: its job status and, once completed, its content' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ReportResponseDto })
  @ApiErrors(400, 404)
  async get(@Param('id', uuid) id: string): Promise<ReportResponseDto> {
    const report = await this.reads.get(id);
    return { ...toReportSummary(report), content: report.content ?? null };
  }

  @Get(':id/report.csv')
  @ApiOperation({ summary: 'Download the report as CSV (one row per indicator)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV file', schema: { type: 'string' } })
  @ApiErrors(400, 404, 409)
  async csv(@Param('id', uuid) id: string, @Res() res: Response): Promise<void> {
    const file = await this.reads.file(id, 'csv');
    res.setHeader('Content-Type', file.mediaType);
    res.setHeader('Content-Disposition', `attachment; filename="report-${id}.csv"`);
    res.setHeader('ETag', `"${file.sha256}"`);
    res.send(file.content);
  }
}
