import { Module } from '@nestjs/common';
import { LogframeReader } from './logframe.reader.js';
import { OrgUnitRepository } from './org-unit.repository.js';
import { ProjectRepository } from './project.repository.js';

@Module({ providers: [LogframeReader, ProjectRepository, OrgUnitRepository], exports: [LogframeReader, ProjectRepository, OrgUnitRepository] })
export class LogframeModule {}
