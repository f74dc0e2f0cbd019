import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { type AuthUser, PolicyService } from '#libs/auth';
import type { ProjectEntity } from '#libs/database';
import { ProjectRepository } from '#libs/logframe';
import { ANY_ROLE, CurrentUser, Roles } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { uuidParam } from '../common/uuid-param.js';


const summary = ({ id, code, title, orgUnitId, provenance, iatiIdentifier, startDate, endDate }: ProjectEntity): ProjectSummaryDto => ({ id, code, title, orgUnitId, provenance, iatiIdentifier, startDate, endDate });

export class ProjectQueryDto {
  @ApiProperty({ required: false, description: 'Words or code to look for in code or title' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ProjectSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'GB-GOV-3-300708-101' }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'uuid' }) orgUnitId: string;
  @ApiProperty({ enum: ['entered', 'imported'] }) provenance: string;
  @ApiProperty({ nullable: true, type: String }) iatiIdentifier: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) startDate: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) endDate: string | null;
}

/** Projects (read, scoped). Authoring arrives with the logframe authoring issue. */
@ApiTags('projects')
@Controller('projects')
@Roles(...ANY_ROLE)
export class ProjectsController {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly policy: PolicyService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Projects in your scope, by code (managers and focal points: their offices; donors: projects they fund)' })
  @ApiOkResponse({ type: [ProjectSummaryDto] })
  @ApiErrors(400)
  async list(@Query() query: ProjectQueryDto, @CurrentUser() user: AuthUser): Promise<ProjectSummaryDto[]> {
    return (await this.projects.search(query.q, (qb) => this.policy.scopeProjects(qb, user))).map(summary);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A project (404 when outside your scope)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ProjectSummaryDto })
  @ApiErrors(400, 404)
  async get(@Param('id', uuidParam('id')) id: string, @CurrentUser() user: AuthUser): Promise<ProjectSummaryDto> {
    await this.policy.authorizeProject(user, 'project.read', id);
    return summary(await this.projects.get(id));
  }
}
