import { Module } from '@nestjs/common';
import { LogframeReader } from './logframe.reader.js';
import { LogframeService } from './logframe.service.js';
import { OrgUnitRepository } from './org-unit.repository.js';
import { ProjectService } from './project.service.js';
import { ProjectRepository } from './project.repository.js';

@Module({
  providers: [LogframeReader, ProjectRepository, OrgUnitRepository, LogframeService, ProjectService],
  exports: [LogframeReader, ProjectRepository, OrgUnitRepository, LogframeService, ProjectService],
})
export class LogframeModule {}
