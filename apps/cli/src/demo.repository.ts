import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ReportEntity, type ReportFormat } from '#libs/database';

/** A rendered report file as the demo writes it to ./out. */
export interface DemoReportFile {
  format: ReportFormat;
  content: Buffer;
}

interface ReportFileRow {
  format: ReportFormat;
  content: Buffer;
}

const toReportFile = (row: ReportFileRow): DemoReportFile => ({ format: row.format, content: row.content });

interface LastActualRow {
  last: string | null;
}

const toLastActual = (row: LastActualRow | undefined): string | null => row?.last ?? null;

/**
 * The demo's reads of what the import and the worker produced: the last period with an actual of a
 * project, the reports it waits for, and their rendered files. Read-only.
 */
@Injectable()
export class DemoRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The end of the latest period with an actual of any of the project's indicator series, or null. */
  async lastActualPeriodEnd(
    projectId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string | null> {
    const rows: LastActualRow[] = await manager.query(
      `SELECT max(a.period_end) AS last FROM actual a JOIN indicator_series s ON s.id = a.indicator_series_id WHERE s.project_id = $1`,
      [projectId],
    );
    return toLastActual(rows[0]);
  }

  /** The reports with these ids (those that exist, in no order). */
  reports(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<ReportEntity[]> {
    return manager.getRepository(ReportEntity).createQueryBuilder('r').where('r.id = ANY(:ids)', { ids }).getMany();
  }

  /** The rendered files of a report. */
  async reportFiles(reportId: string, manager: EntityManager = this.dataSource.manager): Promise<DemoReportFile[]> {
    const rows: ReportFileRow[] = await manager.query(`SELECT format, content FROM report_file WHERE report_id = $1`, [
      reportId,
    ]);
    return rows.map(toReportFile);
  }
}
