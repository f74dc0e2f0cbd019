import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '#libs/auth';
import { PROGRAMME_SORTS, ProgrammeService } from '#libs/logframe';
import { ANY_ROLE, CurrentUser, Roles } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import {
  PROGRAMME_SORT_TEXT,
  ProgrammeCreateDto,
  ProgrammePageDto,
  ProgrammeQueryDto,
  ProgrammeResponseDto,
  ProgrammeUpdateDto,
  toProgrammeResponse,
} from './programmes.dto.js';
import { pageRequest } from './reference.validation.js';

/**
 * Programmes (groups of projects). Reads are scoped: admins all; managers and focal points the
 * programmes of the org units they cover and those holding a project they reach; donors those
 * holding a project they fund. Admins and the programme's project managers change them.
 */
@ApiTags('programmes')
@Controller('programmes')
export class ProgrammesController {
  constructor(private readonly programmes: ProgrammeService) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'Programmes in your scope, a page at a time',
    description: `Filter with q (words in code or title) and orgUnitId. ${PROGRAMME_SORT_TEXT}`,
  })
  @ApiOkResponse({ type: ProgrammePageDto })
  @ApiErrors(400)
  async list(@Query() query: ProgrammeQueryDto, @CurrentUser() user: AuthUser): Promise<ProgrammePageDto> {
    const page = await this.programmes.list(
      user,
      { q: query.q, orgUnitId: query.orgUnitId },
      pageRequest(query, PROGRAMME_SORTS, 'code'),
    );
    return { ...page, items: page.items.map(toProgrammeResponse) };
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'A programme (404 when outside your scope)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ProgrammeResponseDto })
  @ApiErrors(400, 404)
  async get(@Param('id', uuidParam('id')) id: string, @CurrentUser() user: AuthUser): Promise<ProgrammeResponseDto> {
    return toProgrammeResponse(await this.programmes.get(user, id));
  }

  @Post()
  @Roles('admin', 'project_manager')
  @ApiOperation({
    summary: 'Create a programme',
    description:
      'Admins anywhere; project managers in an org unit they manage (404 when the org unit is outside your scope, 403 when you only review there). Code unique ignoring case (409).',
  })
  @ApiCreatedResponse({ type: ProgrammeResponseDto })
  @ApiErrors(400, 404, 409)
  async create(@Body() body: ProgrammeCreateDto, @CurrentUser() user: AuthUser): Promise<ProgrammeResponseDto> {
    return toProgrammeResponse(await this.programmes.create(user, body));
  }

  @Patch(':id')
  @Roles('admin', 'project_manager')
  @ApiOperation({
    summary: 'Change a programme (send the version you read: 409 when stale)',
    description: 'Same rights as creating it, on its current org unit and on the new one when moving it.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ProgrammeResponseDto })
  @ApiErrors(400, 404, 409)
  async update(
    @Param('id', uuidParam('id')) id: string,
    @Body() body: ProgrammeUpdateDto,
    @CurrentUser() user: AuthUser,
  ): Promise<ProgrammeResponseDto> {
    return toProgrammeResponse(await this.programmes.update(user, id, body));
  }
}
