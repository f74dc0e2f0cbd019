import { once } from 'node:events';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Put, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '#libs/auth';
import { DomainException, ErrorCode, type FieldError } from '#libs/common';
import type { IatiPublisherEntity } from '#libs/database';
import { type IatiExportReport, IatiExportService } from '#libs/iati';
import { ANY_ROLE, CurrentUser, Roles } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import {
  IatiExportQueryDto,
  IatiExportReportDto,
  IatiPreviewDto,
  IatiProjectExportQueryDto,
  IatiPublicationDto,
  IatiSettingsDto,
  IatiSettingsResponseDto,
} from './iati.dto.js';

function settingsView(s: IatiPublisherEntity): IatiSettingsResponseDto {
  return {
    organisationIdentifier: s.organisationIdentifier,
    organisationName: s.organisationName,
    organisationType: s.organisationType,
    defaultLanguage: s.defaultLanguage,
    defaultCurrency: s.defaultCurrency,
    version: s.version,
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** Why nothing was exported, as field errors of a 422 answer. */
function nothingExported(report: IatiExportReport): DomainException {
  const errors: FieldError[] = [
    ...report.skipped.map((s): FieldError => ({
      path: `project[${s.code}]`,
      code: 'not_applicable',
      params: { reason: s.reason },
      message: `${s.reason}: ${s.message}`,
    })),
    ...report.errors.map((e): FieldError => ({
      path: e.path,
      code: 'iati_issue',
      params: { issue: e.code },
      message: `${e.code}: ${e.message}`,
    })),
  ];
  return DomainException.unprocessable(ErrorCode.RULE_VIOLATED, 'No activity qualifies for IATI export', errors);
}

/** Streams the document chunk by chunk; headers go with the first chunk (nothing qualifies: a 422 instead). */
function streamTo(res: Response, filename: string) {
  return async (chunk: string) => {
    if (!res.headersSent) {
      res.status(200);
      res.setHeader('Content-Type', 'application/xml; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    }
    if (!res.write(chunk)) await once(res, 'drain');
  };
}

/** IATI 2.03 export: publisher settings, the organisation's activity file and its report. */
@ApiTags('iati')
@Controller('iati')
export class IatiController {
  constructor(private readonly iati: IatiExportService) {}

  @Get('settings')
  @Roles('admin')
  @ApiOperation({ summary: 'The IATI publisher settings (404 until an admin sets them)' })
  @ApiOkResponse({ type: IatiSettingsResponseDto })
  @ApiErrors(404)
  async settings(): Promise<IatiSettingsResponseDto> {
    const settings = await this.iati.settings();
    if (!settings) throw DomainException.notFound('IATI publisher settings');
    return settingsView(settings);
  }

  @Put('settings')
  @Roles('admin')
  @ApiOperation({ summary: 'Set the organisation identifier, name, type, default language and currency' })
  @ApiBody({ type: IatiSettingsDto })
  @ApiOkResponse({ type: IatiSettingsResponseDto })
  @ApiErrors(400)
  async saveSettings(@CurrentUser() user: AuthUser, @Body() body: IatiSettingsDto): Promise<IatiSettingsResponseDto> {
    return settingsView(await this.iati.saveSettings(user, body));
  }

  @Get('activities.xml')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      'IATI 2.03 activity file of the published projects in your scope (donors: projects they fund), streamed activity by activity',
  })
  @ApiProduces('application/xml')
  @ApiOkResponse({ description: 'An iati-activities document' })
  @ApiErrors(400, 422)
  async activities(
    @CurrentUser() user: AuthUser,
    @Query() query: IatiExportQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const { includeOtherPublishers, ...filter } = query;
    const report = await this.iati.exportActivities(
      user,
      filter,
      { includeOtherPublishers },
      streamTo(res, 'iati-activities.xml'),
    );
    if (!res.headersSent) throw nothingExported(report);
    res.end();
  }

  @Get('export-report')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'What GET /iati/activities.xml would export, keep out and warn about (stores nothing)' })
  @ApiOkResponse({ type: IatiExportReportDto })
  @ApiErrors(400, 422)
  async report(@CurrentUser() user: AuthUser, @Query() query: IatiExportQueryDto): Promise<IatiExportReportDto> {
    const { includeOtherPublishers, ...filter } = query;
    return this.iati.exportActivities(user, filter, { includeOtherPublishers, dryRun: true }, () => undefined);
  }
}

/** A project's IATI publication: its choice, its preview, its activity file. */
@ApiTags('iati')
@Controller('projects')
export class ProjectIatiController {
  constructor(private readonly iati: IatiExportService) {}

  @Get(':id/iati.xml')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: "The project's IATI 2.03 activity (generates and stores its iati-identifier on first export)",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/xml')
  @ApiOkResponse({ description: 'An iati-activities document with one activity' })
  @ApiErrors(400, 404, 422)
  async project(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Query() query: IatiProjectExportQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const report = await this.iati.exportProject(
      user,
      id,
      { includeOtherPublishers: query.includeOtherPublishers },
      streamTo(res, `iati-${id}.xml`),
    );
    if (!res.headersSent) throw nothingExported(report);
    res.end();
  }

  @Get(':id/iati-preview')
  @Roles('admin', 'project_manager', 'rbm_focal_point')
  @ApiOperation({ summary: 'Exactly what the IATI export would make public for this project (stores nothing)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: IatiPreviewDto })
  @ApiErrors(400, 404, 422)
  async preview(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Query() query: IatiProjectExportQueryDto,
  ): Promise<IatiPreviewDto> {
    return this.iati.preview(user, id, { includeOtherPublishers: query.includeOtherPublishers });
  }

  @Put(':id/iati-publication')
  @Roles('admin', 'project_manager')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Publish the project to IATI or keep it out (with a reason); language of entry, DAC sector, public evidence',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ type: IatiPublicationDto })
  @ApiNoContentResponse()
  @ApiErrors(400, 404, 422)
  async publication(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: IatiPublicationDto,
  ): Promise<void> {
    await this.iati.setPublication(user, id, body);
  }
}
