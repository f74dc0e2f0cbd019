import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '#libs/auth';
import { STANDARD_INDICATOR_SORTS, StandardIndicatorService } from '#libs/logframe';
import { ANY_ROLE, CurrentUser, Roles } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { pageRequest } from './reference.validation.js';
import {
  STANDARD_INDICATOR_SORT_TEXT,
  StandardIndicatorCreateDto,
  StandardIndicatorPageDto,
  StandardIndicatorQueryDto,
  StandardIndicatorResponseDto,
  StandardIndicatorUpdateDto,
  toStandardIndicatorResponse,
} from './standard-indicators.dto.js';

/**
 * The standard (corporate) indicator library that project indicators map to for roll-ups.
 * Everyone signed in reads it; admins manage it.
 */
@ApiTags('standard-indicators')
@Controller('standard-indicators')
export class StandardIndicatorsController {
  constructor(private readonly library: StandardIndicatorService) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'The standard indicator library, a page at a time',
    description: `Filter with q (words in code or title), measure and isActive. ${STANDARD_INDICATOR_SORT_TEXT}`,
  })
  @ApiOkResponse({ type: StandardIndicatorPageDto })
  @ApiErrors(400)
  async list(@Query() query: StandardIndicatorQueryDto): Promise<StandardIndicatorPageDto> {
    const page = await this.library.list(
      { q: query.q, measure: query.measure, isActive: query.isActive },
      pageRequest(query, STANDARD_INDICATOR_SORTS, 'code'),
    );
    return { ...page, items: page.items.map(toStandardIndicatorResponse) };
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'A standard indicator' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: StandardIndicatorResponseDto })
  @ApiErrors(400, 404)
  async get(@Param('id', uuidParam('id')) id: string): Promise<StandardIndicatorResponseDto> {
    return toStandardIndicatorResponse(await this.library.get(id));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Add a standard indicator (active)',
    description: 'Code unique ignoring case (409); unit required for number and percentage measures.',
  })
  @ApiCreatedResponse({ type: StandardIndicatorResponseDto })
  @ApiErrors(400, 409)
  async create(
    @Body() body: StandardIndicatorCreateDto,
    @CurrentUser() user: AuthUser,
  ): Promise<StandardIndicatorResponseDto> {
    return toStandardIndicatorResponse(await this.library.create(user, body));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    summary: 'Change or deactivate a standard indicator (send the version you read: 409 when stale)',
    description: 'Measure and unit are fixed once project indicators map to it (422): deactivate it and add a new one.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: StandardIndicatorResponseDto })
  @ApiErrors(400, 404, 409, 422)
  async update(
    @Param('id', uuidParam('id')) id: string,
    @Body() body: StandardIndicatorUpdateDto,
    @CurrentUser() user: AuthUser,
  ): Promise<StandardIndicatorResponseDto> {
    return toStandardIndicatorResponse(await this.library.update(user, id, body));
  }
}
