import type { DataSource } from 'typeorm';
import { PolicyRepository, PolicyService } from '#libs/auth';
import { TransactionRunner } from '#libs/database';
import {
  AuditEventRepository,
  LogframeReader,
  LogframeRowsRepository,
  LogframeService,
  ProjectRepository,
  RevisionRepository,
} from '#libs/logframe';

/**
 * A LogframeService on `dataSource` without a Nest application (specs and the bench: e.g. counting the
 * statements of a read on a DataSource with a query logger), wired as LogframeModule wires it.
 */
export function logframeServiceOn(dataSource: DataSource): LogframeService {
  return new LogframeService(
    new TransactionRunner(dataSource),
    new LogframeReader(dataSource),
    new RevisionRepository(dataSource),
    new LogframeRowsRepository(dataSource),
    new AuditEventRepository(dataSource),
    new ProjectRepository(dataSource),
    new PolicyService(new PolicyRepository(dataSource)),
  );
}
