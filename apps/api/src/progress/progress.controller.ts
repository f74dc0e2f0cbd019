import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import { type ActualInput, ProgressService, type QuarterProgress, type QuarterStory } from '#libs/progress';
import { toJsonNumber } from '#libs/reporting';
import { ANY_ROLE, CurrentUser, Roles } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { intParam } from '../common/int-param.js';
import { uuidParam } from '../common/uuid-param.js';
import { decimalFromJson } from '../common/exact-number.js';
import {
  QuarterActualsDto,
  QuarterProgressDto,
  QuarterReopenDto,
  QuarterReturnDto,
  QuarterStoryDto,
  QuarterStoryUpdateDto,
  QuarterSubmitDto,
  VersionDto,
} from './progress.dto.js';

const str = (v: number | null | undefined) => (v === null || v === undefined ? v : decimalFromJson(v));

function checkQuarter(year: number, quarter: number): void {
  if (quarter < 1 || quarter > 4)
    throw DomainException.badRequest(ErrorCode.VALIDATION_FAILED, 'quarter must be from 1 to 4', [
      { path: 'quarter', code: 'out_of_range', params: { min: 1, max: 4 }, message: 'must be from 1 to 4' },
    ]);
  if (year < 2000 || year > 2100)
    throw DomainException.badRequest(ErrorCode.VALIDATION_FAILED, 'year must be from 2000 to 2100', [
      { path: 'year', code: 'out_of_range', params: { min: 2000, max: 2100 }, message: 'must be from 2000 to 2100' },
    ]);
}

/** Quarterly progress (DESIGN.md §4): actuals, submission, validation, reopen; read per quarter and per indicator. */
@ApiTags('progress')
@Controller('projects/:id')
export class ProgressController {
  constructor(private readonly progress: ProgressService) {}

  @Get('progress/:year/:quarter')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      "A quarter's progress: every indicator with to-date values, achievement, progress, status and flags; ratings and explanations. Donors: validated quarters only",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'year', example: 2026 })
  @ApiParam({ name: 'quarter', example: 3 })
  @ApiOkResponse({ type: QuarterProgressDto })
  @ApiErrors(400, 404)
  async read(
    @Param('id', uuidParam('id')) id: string,
    @Param('year', intParam('year')) year: number,
    @Param('quarter', intParam('quarter')) quarter: number,
    @CurrentUser() user: AuthUser,
  ): Promise<QuarterProgress> {
    checkQuarter(year, quarter);
    return this.progress.read(id, year, quarter, user);
  }

  @Put('progress/:year/:quarter/actuals')
  @Roles('project_manager')
  @ApiOperation({
    summary:
      "Enter or correct a whole quarter's actuals in one transaction (all or nothing); locked once the quarter is submitted or validated",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'year', example: 2026 })
  @ApiParam({ name: 'quarter', example: 3 })
  @ApiOkResponse({ type: QuarterProgressDto })
  @ApiErrors(400, 404, 409, 422)
  async enter(
    @Param('id', uuidParam('id')) id: string,
    @Param('year', intParam('year')) year: number,
    @Param('quarter', intParam('quarter')) quarter: number,
    @Body() body: QuarterActualsDto,
    @CurrentUser() user: AuthUser,
  ): Promise<QuarterProgress> {
    checkQuarter(year, quarter);
    const entries: ActualInput[] = body.actuals.map((a) => ({
      ...a,
      value: str(a.value),
      numerator: str(a.numerator),
      denominator: str(a.denominator),
      disaggregations: a.disaggregations?.map((d) => ({
        ...d,
        value: str(d.value),
        numerator: str(d.numerator),
        denominator: str(d.denominator),
      })),
    }));
    return this.progress.enterQuarter(id, year, quarter, entries, user);
  }

  @Get('progress/:year/:quarter/narrative')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      "The quarter's story as saved: outcome ratings with justification, explanations of variance, the assumptions/risks update and the narrative (progress summary, challenges, lessons learned, next quarter). Donors: validated quarters only",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'year', example: 2026 })
  @ApiParam({ name: 'quarter', example: 3 })
  @ApiOkResponse({ type: QuarterStoryDto })
  @ApiErrors(400, 404)
  async readStory(
    @Param('id', uuidParam('id')) id: string,
    @Param('year', intParam('year')) year: number,
    @Param('quarter', intParam('quarter')) quarter: number,
    @CurrentUser() user: AuthUser,
  ): Promise<QuarterStory> {
    checkQuarter(year, quarter);
    return this.progress.readStory(id, year, quarter, user);
  }

  @Put('progress/:year/:quarter/narrative')
  @Roles('project_manager')
  @ApiOperation({
    summary:
      "Save the quarter's story as a draft (versioned: a stale version answers 409): outcome ratings, explanations of variance, the assumptions/risks update and the narrative; each part given replaces that part, parts left out stay. Submit takes what is saved",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'year', example: 2026 })
  @ApiParam({ name: 'quarter', example: 3 })
  @ApiOkResponse({ type: QuarterStoryDto })
  @ApiErrors(400, 404, 409, 422)
  async saveStory(
    @Param('id', uuidParam('id')) id: string,
    @Param('year', intParam('year')) year: number,
    @Param('quarter', intParam('quarter')) quarter: number,
    @Body() body: QuarterStoryUpdateDto,
    @CurrentUser() user: AuthUser,
  ): Promise<QuarterStory> {
    checkQuarter(year, quarter);
    return this.progress.saveStory(id, year, quarter, body, user);
  }

  @Post('progress/:year/:quarter/submit')
  @Roles('project_manager')
  @ApiOperation({
    summary:
      'Submit a quarter: every outcome needs your rating with a justification, every at-risk or off-track indicator an explanation of variance. Takes what PUT .../narrative saved; ratings, explanations and assumption updates sent in the body are saved over it first',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: QuarterProgressDto })
  @ApiErrors(400, 404, 409, 422)
  async submit(
    @Param('id', uuidParam('id')) id: string,
    @Param('year', intParam('year')) year: number,
    @Param('quarter', intParam('quarter')) quarter: number,
    @Body() body: QuarterSubmitDto,
    @CurrentUser() user: AuthUser,
  ): Promise<QuarterProgress> {
    checkQuarter(year, quarter);
    return this.progress.submitQuarter(id, year, quarter, body, user);
  }

  @Post('progress/:year/:quarter/validate')
  @Roles('rbm_focal_point')
  @ApiOperation({
    summary:
      'Validate a submitted quarter (not by whoever submitted it or entered its actuals: four eyes); it is then locked',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: QuarterProgressDto })
  @ApiErrors(400, 404, 409, ErrorCode.FOUR_EYES, ErrorCode.CHECKLIST_BLOCKING)
  async validate(
    @Param('id', uuidParam('id')) id: string,
    @Param('year', intParam('year')) year: number,
    @Param('quarter', intParam('quarter')) quarter: number,
    @Body() body: VersionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<QuarterProgress> {
    checkQuarter(year, quarter);
    return this.progress.validateQuarter(id, year, quarter, body.version, user);
  }

  @Post('progress/:year/:quarter/return')
  @Roles('rbm_focal_point')
  @ApiOperation({ summary: 'Return a submitted quarter to the manager with a comment' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: QuarterProgressDto })
  @ApiErrors(400, 404, 409, 422)
  async return(
    @Param('id', uuidParam('id')) id: string,
    @Param('year', intParam('year')) year: number,
    @Param('quarter', intParam('quarter')) quarter: number,
    @Body() body: QuarterReturnDto,
    @CurrentUser() user: AuthUser,
  ): Promise<QuarterProgress> {
    checkQuarter(year, quarter);
    return this.progress.returnQuarter(id, year, quarter, body.version, body.comment, user);
  }

  @Post('progress/:year/:quarter/reopen')
  @Roles('rbm_focal_point')
  @ApiOperation({ summary: 'Reopen a validated quarter with a reason (a restatement: later reports flag it)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: QuarterProgressDto })
  @ApiErrors(400, 404, 409, 422)
  async reopen(
    @Param('id', uuidParam('id')) id: string,
    @Param('year', intParam('year')) year: number,
    @Param('quarter', intParam('quarter')) quarter: number,
    @Body() body: QuarterReopenDto,
    @CurrentUser() user: AuthUser,
  ): Promise<QuarterProgress> {
    checkQuarter(year, quarter);
    return this.progress.reopenQuarter(id, year, quarter, body.version, body.reason, user);
  }

  @Get('indicators/:indicatorId/series')
  @Roles('admin', 'project_manager', 'rbm_focal_point')
  @ApiOperation({
    summary:
      "An indicator's time series: every actual with its period, provenance and disaggregation, and the period targets in force",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'indicatorId', format: 'uuid' })
  @ApiOkResponse({ description: 'Values are JSON numbers; percentages 0–100' })
  @ApiErrors(400, 404)
  async series(
    @Param('id', uuidParam('id')) id: string,
    @Param('indicatorId', uuidParam('indicatorId')) indicatorId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<unknown> {
    const s = await this.progress.series(id, indicatorId, user);
    return {
      ...s,
      periodTargets: s.periodTargets.map((t) => ({ ...t, value: toJsonNumber(t.value) })),
      actuals: s.actuals.map((a) => ({
        id: a.id,
        periodStart: a.periodStart,
        periodEnd: a.periodEnd,
        value: toJsonNumber(a.value),
        numerator: toJsonNumber(a.numerator),
        denominator: toJsonNumber(a.denominator),
        text: a.text,
        rating: a.rating,
        comment: a.comment,
        evidenceUrl: a.evidenceUrl,
        provenance: a.provenance,
        sourceNote: a.sourceNote,
        version: a.version,
        disaggregations: a.disaggregations.map((d) => ({
          dimension: d.dimension,
          category: d.category,
          value: toJsonNumber(d.value),
          numerator: toJsonNumber(d.numerator),
          denominator: toJsonNumber(d.denominator),
        })),
      })),
    };
  }
}
