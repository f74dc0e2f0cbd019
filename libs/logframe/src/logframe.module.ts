import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { AuditEventRepository } from './audit-event.repository.js';
import { LogframeReader } from './logframe-reader.repository.js';
import { LogframeRowsRepository } from './logframe-rows.repository.js';
import { LogframeService } from './logframe.service.js';
import { OrgUnitRepository } from './org-unit.repository.js';
import { ProjectService } from './project.service.js';
import { ProjectRepository } from './project.repository.js';
import { ProgrammeRepository } from './reference/programme.repository.js';
import { RevisionRepository } from './revision.repository.js';
import { OrgUnitService } from './org-unit.service.js';
import { LogframeXlsxService } from './xlsx/logframe-xlsx.service.js';

const REPOSITORIES = [
  LogframeReader,
  RevisionRepository,
  LogframeRowsRepository,
  AuditEventRepository,
  ProjectRepository,
  OrgUnitRepository,
  ProgrammeRepository,
];

/** Projects and their logframes: services (policy checks first) and the repositories that own their tables. */
@Module({
  imports: [AuthModule],
  providers: [...REPOSITORIES, LogframeService, ProjectService, LogframeXlsxService, OrgUnitService],
  exports: [...REPOSITORIES, LogframeService, ProjectService, LogframeXlsxService, OrgUnitService],
})
export class LogframeModule {}
