import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '#libs/auth';
import { FundingAgreementService } from '#libs/logframe';
import { ANY_ROLE, CurrentUser, Roles } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import {
  FundingAgreementCreateDto,
  FundingAgreementResponseDto,
  FundingAgreementUpdateDto,
  toFundingAgreementResponse,
} from './funding-agreements.dto.js';
import { decimalFromJson } from './reference.validation.js';

/**
 * A project's funding agreements. Whoever reads the project reads them (donors see co-funders);
 * admins and the project's managers change them (policy action `funding.edit`).
 */
@ApiTags('funding-agreements')
@Controller('projects/:projectId/funding-agreements')
@ApiParam({ name: 'projectId', format: 'uuid' })
export class FundingAgreementsController {
  constructor(private readonly agreements: FundingAgreementService) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: "The project's funding agreements, by donor name (404 when the project is outside your scope)",
  })
  @ApiOkResponse({ type: [FundingAgreementResponseDto] })
  @ApiErrors(400, 404)
  async list(
    @Param('projectId', uuidParam('projectId')) projectId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<FundingAgreementResponseDto[]> {
    return (await this.agreements.list(user, projectId)).map(toFundingAgreementResponse);
  }

  @Post()
  @Roles('admin', 'project_manager')
  @ApiOperation({
    summary: "Add a donor's funding agreement to the project",
    description: 'One per donor and project (409). 404 naming donorId for an unknown donor.',
  })
  @ApiCreatedResponse({ type: FundingAgreementResponseDto })
  @ApiErrors(400, 404, 409)
  async create(
    @Param('projectId', uuidParam('projectId')) projectId: string,
    @Body() body: FundingAgreementCreateDto,
    @CurrentUser() user: AuthUser,
  ): Promise<FundingAgreementResponseDto> {
    const view = await this.agreements.create(user, projectId, { ...body, amount: decimalFromJson(body.amount) });
    return toFundingAgreementResponse(view);
  }

  @Patch(':agreementId')
  @Roles('admin', 'project_manager')
  @ApiOperation({
    summary: 'Change the amount, currency or dates of an agreement (send the version you read: 409 when stale)',
  })
  @ApiParam({ name: 'agreementId', format: 'uuid' })
  @ApiOkResponse({ type: FundingAgreementResponseDto })
  @ApiErrors(400, 404, 409)
  async update(
    @Param('projectId', uuidParam('projectId')) projectId: string,
    @Param('agreementId', uuidParam('agreementId')) agreementId: string,
    @Body() body: FundingAgreementUpdateDto,
    @CurrentUser() user: AuthUser,
  ): Promise<FundingAgreementResponseDto> {
    const view = await this.agreements.update(user, projectId, agreementId, {
      ...body,
      amount: body.amount === undefined ? undefined : decimalFromJson(body.amount),
    });
    return toFundingAgreementResponse(view);
  }

  @Delete(':agreementId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Roles('admin', 'project_manager')
  @ApiOperation({
    summary: "Remove an agreement (the donor's users stop reaching the project unless another agreement links them)",
  })
  @ApiParam({ name: 'agreementId', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(400, 404)
  async remove(
    @Param('projectId', uuidParam('projectId')) projectId: string,
    @Param('agreementId', uuidParam('agreementId')) agreementId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    await this.agreements.remove(user, projectId, agreementId);
  }
}
