import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '#libs/auth';
import { DONOR_SORTS, DonorService } from '#libs/logframe';
import { ANY_ROLE, CurrentUser, Roles } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { PageQueryDto } from '../common/paging.js';
import { uuidParam } from '../common/uuid-param.js';
import {
  DONOR_SORT_TEXT,
  DonorCreateDto,
  DonorPageDto,
  DonorResponseDto,
  DonorUpdateDto,
  toDonorResponse,
} from './donors.dto.js';
import { pageRequest } from './reference.validation.js';

/**
 * Donor organisations. Reads are scoped: admins all; donors their own organisation; managers and
 * focal points the donors funding projects of the org units they cover. Admins manage them.
 */
@ApiTags('donors')
@Controller('donors')
export class DonorsController {
  constructor(private readonly donors: DonorService) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'Donors in your scope, a page at a time',
    description: `Filter with q (words in the name or IATI organisation identifier). ${DONOR_SORT_TEXT}`,
  })
  @ApiOkResponse({ type: DonorPageDto })
  @ApiErrors(400)
  async list(@Query() query: PageQueryDto, @CurrentUser() user: AuthUser): Promise<DonorPageDto> {
    const page = await this.donors.list(user, { q: query.q }, pageRequest(query, DONOR_SORTS, 'name'));
    return { ...page, items: page.items.map(toDonorResponse) };
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'A donor (404 when outside your scope)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: DonorResponseDto })
  @ApiErrors(400, 404)
  async get(@Param('id', uuidParam('id')) id: string, @CurrentUser() user: AuthUser): Promise<DonorResponseDto> {
    return toDonorResponse(await this.donors.get(user, id));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Create a donor organisation',
    description: 'The IATI organisation identifier is optional and unique (409 naming it).',
  })
  @ApiCreatedResponse({ type: DonorResponseDto })
  @ApiErrors(400, 409)
  async create(@Body() body: DonorCreateDto, @CurrentUser() user: AuthUser): Promise<DonorResponseDto> {
    return toDonorResponse(await this.donors.create(user, body));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    summary: 'Rename a donor or change its IATI organisation identifier (send the version you read: 409 when stale)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: DonorResponseDto })
  @ApiErrors(400, 404, 409)
  async update(
    @Param('id', uuidParam('id')) id: string,
    @Body() body: DonorUpdateDto,
    @CurrentUser() user: AuthUser,
  ): Promise<DonorResponseDto> {
    return toDonorResponse(await this.donors.update(user, id, body));
  }
}
