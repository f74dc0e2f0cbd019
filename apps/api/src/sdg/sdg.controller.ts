import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { SdgService } from '#libs/sdg';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ANY_ROLE, Roles } from '../auth/auth.decorators.js';
import {
  SdgGoalDetailResponseDto,
  SdgGoalResponseDto,
  SdgIndicatorDetailResponseDto,
  SdgSearchQueryDto,
  SdgSearchResponseDto,
  SdgTargetDetailResponseDto,
} from './sdg.dto.js';

/** Read API of the official SDG framework (17 goals, 169 targets, 251 indicator codes). */
@ApiTags('sdg')
@Controller('sdg')
@Roles(...ANY_ROLE)
export class SdgController {
  constructor(private readonly sdg: SdgService) {}

  @Get('goals')
  @ApiOperation({ summary: 'The 17 SDG goals with their number of targets' })
  @ApiOkResponse({ type: [SdgGoalResponseDto] })
  listGoals(): Promise<SdgGoalResponseDto[]> {
    return this.sdg.listGoals();
  }

  @Get('goals/:code')
  @ApiOperation({ summary: 'A goal with its targets' })
  @ApiParam({ name: 'code', example: '16' })
  @ApiOkResponse({ type: SdgGoalDetailResponseDto })
  @ApiErrors(404)
  async getGoal(@Param('code') code: string): Promise<SdgGoalDetailResponseDto> {
    const { goal, targets } = await this.sdg.getGoal(code);
    return {
      code: goal.code,
      title: goal.title,
      targets: targets.map(({ code: c, goalCode, title }) => ({ code: c, goalCode, title })),
    };
  }

  @Get('targets/:code')
  @ApiOperation({ summary: 'A target with its indicators (`1.A` is read as `1.a`)' })
  @ApiParam({ name: 'code', example: '16.4' })
  @ApiOkResponse({ type: SdgTargetDetailResponseDto })
  @ApiErrors(404)
  async getTarget(@Param('code') code: string): Promise<SdgTargetDetailResponseDto> {
    const { target, indicators } = await this.sdg.getTarget(code);
    return {
      code: target.code,
      goalCode: target.goalCode,
      title: target.title,
      indicators: indicators.map(({ code: c, targetCode, title, unsdCode, primaryCode }) => ({
        code: c,
        targetCode,
        title,
        unsdCode,
        primaryCode,
      })),
    };
  }

  @Get('indicators/:code')
  @ApiOperation({ summary: 'An indicator with the other codes it is listed under' })
  @ApiParam({ name: 'code', example: '1.5.1' })
  @ApiOkResponse({ type: SdgIndicatorDetailResponseDto })
  @ApiErrors(404)
  async getIndicator(@Param('code') code: string): Promise<SdgIndicatorDetailResponseDto> {
    const { indicator, alsoListedAs } = await this.sdg.getIndicator(code);
    const { code: c, targetCode, title, unsdCode, primaryCode } = indicator;
    return { code: c, targetCode, title, unsdCode, primaryCode, alsoListedAs };
  }

  @Get('search')
  @ApiOperation({ summary: 'Search goals, targets and indicators by code or words' })
  @ApiOkResponse({ type: SdgSearchResponseDto })
  @ApiErrors(400)
  search(@Query() query: SdgSearchQueryDto): Promise<SdgSearchResponseDto> {
    return this.sdg.search(query.q, query.limit ?? 50);
  }
}
