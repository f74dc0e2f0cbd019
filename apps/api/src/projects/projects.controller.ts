import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { decimalFromJson } from '../common/exact-number.js';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import type { ProjectEntity } from '#libs/database';
import { LogframeService, ProjectService } from '#libs/logframe';
import { normaliseSdgCode } from '#libs/sdg';
import { ANY_ROLE, CurrentUser, Roles } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { resolveSort } from '../common/paging.js';
import { uuidParam } from '../common/uuid-param.js';
import { IndicatorRetireDto, LOGFRAME_EXAMPLE, LogframeDto, LogframeResponseDto } from '../logframe/logframe.dto.js';
import { LogframeReadService } from '../logframe/logframe-read.service.js';
import { toLogframeDocument, toLogframeResponse } from '../logframe/logframe.mapper.js';
import {
  LogframeQueryDto,
  ProjectCreateDto,
  ProjectPageDto,
  ProjectQueryDto,
  ProjectResponseDto,
  ProjectUpdateDto,
} from './projects.dto.js';

const SORTS = { code: 'p.code', title: 'p.title', startDate: 'p.startDate', endDate: 'p.endDate' };

function view(p: ProjectEntity): ProjectResponseDto {
  return {
    id: p.id,
    code: p.code,
    title: p.title,
    description: p.description,
    orgUnitId: p.orgUnitId,
    programmeId: p.programmeId,
    countries: p.countries,
    startDate: p.startDate,
    endDate: p.endDate,
    budget:
      p.budgetAmount !== null && p.budgetCurrency
        ? { amount: Number(p.budgetAmount), currency: p.budgetCurrency }
        : null,
    theoryOfChange: p.theoryOfChange,
    genderMarker: p.genderMarker,
    humanRightsMarker: p.humanRightsMarker,
    lnobGroups: p.lnobGroups,
    provenance: p.provenance,
    iatiIdentifier: p.iatiIdentifier,
    version: p.version,
  };
}

function input(body: ProjectCreateDto | ProjectUpdateDto) {
  const { budget, ...rest } = body;
  return {
    ...rest,
    ...(budget !== undefined
      ? {
          budgetAmount: budget ? decimalFromJson(budget.amount) : null,
          budgetCurrency: budget ? budget.currency : null,
        }
      : {}),
  };
}

/** Projects and their logframes. Managers edit projects of their offices; others read within their scope. */
@ApiTags('projects')
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly projectService: ProjectService,
    private readonly logframes: LogframeService,
    private readonly logframeReads: LogframeReadService,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'Projects in your scope (managers and focal points: their offices; donors: projects they fund), paged',
    description: 'sort: code, title, startDate, endDate (prefix - for descending)',
  })
  @ApiOkResponse({ type: ProjectPageDto })
  @ApiErrors(400)
  async list(@Query() query: ProjectQueryDto, @CurrentUser() user: AuthUser): Promise<ProjectPageDto> {
    const sort = resolveSort(query.sort, SORTS, 'code');
    if (sort.error)
      throw DomainException.badRequest(ErrorCode.VALIDATION_FAILED, sort.error, [
        { path: 'sort', code: 'isIn', params: { values: Object.keys(SORTS).join(', ') }, message: sort.error },
      ]);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const { items, total } = await this.projectService.list(
      user,
      {
        text: query.q,
        orgUnitId: query.orgUnitId,
        programmeId: query.programmeId,
        donorId: query.donorId,
        sdgTargetCode: query.sdgTarget ? normaliseSdgCode(query.sdgTarget) : undefined,
        revisionStatus: query.status,
      },
      { page, pageSize, sortColumn: sort.column, direction: sort.direction },
      // Overdue is judged on today's calendar date in UTC.
      new Date().toISOString().slice(0, 10),
    );
    return {
      items: items.map(({ project, summary: { projectId: _, ...summary } }) => ({ ...view(project), summary })),
      total,
      page,
      pageSize,
    };
  }

  @Post()
  @Roles('project_manager')
  @ApiOperation({ summary: 'Create a project in an office you manage (its logframe starts as revision 1, draft)' })
  @ApiCreatedResponse({ type: ProjectResponseDto })
  @ApiErrors(400, 404, 409, 422)
  async create(@Body() body: ProjectCreateDto, @CurrentUser() user: AuthUser): Promise<ProjectResponseDto> {
    return view(
      await this.projectService.create(user, input(body) as ProjectCreateDto & { budgetAmount?: string | null }),
    );
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'A project (404 when outside your scope)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ProjectResponseDto })
  @ApiErrors(400, 404)
  async get(@Param('id', uuidParam('id')) id: string, @CurrentUser() user: AuthUser): Promise<ProjectResponseDto> {
    return view(await this.projectService.get(user, id));
  }

  @Patch(':id')
  @Roles('project_manager')
  @ApiOperation({ summary: 'Edit a project (send the version you read)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ProjectResponseDto })
  @ApiErrors(400, 404, 409, 422)
  async update(
    @Param('id', uuidParam('id')) id: string,
    @Body() body: ProjectUpdateDto,
    @CurrentUser() user: AuthUser,
  ): Promise<ProjectResponseDto> {
    return view(await this.projectService.update(user, id, input(body) as ProjectUpdateDto));
  }

  @Get(':id/logframe')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'The whole logframe in one call',
    description:
      'Outcomes → outputs → activities, indicators with baselines, targets and SDG links, assumptions; read with a constant number of queries. `revision`: latest (default, the working copy), approved (the revision in force) or a number. Donors get the approved revision (404 if none) and never a draft. Carries an `ETag` (revision version plus a stamp of the series: actuals entered, corrected or deleted, retirements); send it back in `If-None-Match` to get 304 Not Modified while nothing changed.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of a copy you hold' })
  @ApiOkResponse({ type: LogframeResponseDto })
  @ApiResponse({ status: 304, description: 'Your copy (If-None-Match) is current' })
  @ApiErrors(400, 404)
  async logframe(
    @Param('id', uuidParam('id')) id: string,
    @Query() query: LogframeQueryDto,
    @CurrentUser() user: AuthUser,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const revision =
      query.revision === undefined || query.revision === 'latest' || query.revision === 'approved'
        ? (query.revision ?? 'latest')
        : Number(query.revision);
    const answer = await this.logframeReads.read(user, id, revision, ifNoneMatch);
    res.setHeader('ETag', answer.etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    if (answer.body === null) res.status(HttpStatus.NOT_MODIFIED).end();
    // The body is UTF-8 JSON bytes: the type is set as it is (no mime lookup), and Express sends the
    // bytes with their length (no encoding, and no ETag hashing since one is set).
    else res.status(HttpStatus.OK).setHeader('Content-Type', 'application/json; charset=utf-8').send(answer.body);
  }

  @Put(':id/logframe')
  @Roles('project_manager')
  @ApiOperation({
    summary: 'Replace the draft logframe from one document (all or nothing)',
    description:
      'Elements are matched by id, or by code when no id is given, so their ids, actuals and comments survive. 400: bad shapes (each field with its path); 422: broken rules (each with its path); 409: stale version, duplicate code, or a revision that is not a draft.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ type: LogframeDto, examples: { 'firearms trafficking project': { value: LOGFRAME_EXAMPLE } } })
  @ApiOkResponse({ type: LogframeResponseDto })
  @ApiErrors(400, 404, 409, 422)
  async replace(
    @Param('id', uuidParam('id')) id: string,
    @Body() body: LogframeDto,
    @CurrentUser() user: AuthUser,
  ): Promise<unknown> {
    return toLogframeResponse(await this.logframes.replace(user, id, toLogframeDocument(body)));
  }

  @Post(':id/indicators/:indicatorId/retire')
  @Roles('project_manager')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Retire an indicator (with a reason): its actuals stay; it may then be removed from the draft',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'indicatorId', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Retired' })
  @ApiErrors(400, 404, 409)
  async retire(
    @Param('id', uuidParam('id')) id: string,
    @Param('indicatorId', uuidParam('indicatorId')) indicatorId: string,
    @Body() body: IndicatorRetireDto,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    await this.logframes.retireIndicator(user, id, indicatorId, body.reason);
  }
}
