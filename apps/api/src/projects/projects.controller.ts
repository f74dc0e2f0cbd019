import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ProjectRepository } from '#libs/logframe';

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

/** Projects (read). Authoring arrives with the logframe authoring issue. */
@ApiTags('projects')
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectRepository) {}

  @Get()
  @ApiOperation({ summary: 'List projects by code' })
  @ApiOkResponse({ type: [ProjectSummaryDto] })
  async list(@Query() query: ProjectQueryDto): Promise<ProjectSummaryDto[]> {
    const rows = await this.projects.search(query.q);
    return rows.map(({ id, code, title, orgUnitId, provenance, iatiIdentifier, startDate, endDate }) => ({ id, code, title, orgUnitId, provenance, iatiIdentifier, startDate, endDate }));
  }
}
