import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ReportFileEntity, type ReportFormat } from '#libs/database';

/** A file to store: what `fileRecord` gives, with its report, language and missing characters. */
export type ReportFileRecord = Pick<
  ReportFileEntity,
  | 'reportId'
  | 'format'
  | 'mediaType'
  | 'content'
  | 'sha256'
  | 'byteSize'
  | 'rendererVersion'
  | 'language'
  | 'missingCharacters'
>;

/** A stored file that has characters no bundled font covers (the report's flags). */
export interface MissingCharactersRow {
  format: ReportFormat;
  language: string;
  missingCharacters: number[];
}

/** Stored report files (`report_file`): one per report, format and language. */
@Injectable()
export class ReportFileRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The stored file of a report in a format and language, or null. */
  async find(
    reportId: string,
    format: ReportFormat,
    language: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ReportFileEntity | null> {
    return manager.getRepository(ReportFileEntity).findOneBy({ reportId, format, language });
  }

  /**
   * Waits for, then holds until the caller's transaction ends, the lock of one render (report, format,
   * language) across API processes.
   */
  async lockRender(reportId: string, format: ReportFormat, language: string, manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `report-file:${reportId}:${format}:${language}`,
    ]);
  }

  /** Stores a file in place of the one of the same report, format and language; returns the stored row. */
  async replace(record: ReportFileRecord, manager: EntityManager = this.dataSource.manager): Promise<ReportFileEntity> {
    const files = manager.getRepository(ReportFileEntity);
    const key = { reportId: record.reportId, format: record.format, language: record.language };
    await files.delete(key);
    await files.insert(record);
    return files.findOneByOrFail(key);
  }

  /** The stored files of a report (of a renderer version) with characters no bundled font covers. */
  async missingCharacters(
    reportId: string,
    rendererVersion: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<MissingCharactersRow[]> {
    const rows = await manager.getRepository(ReportFileEntity).find({
      select: { format: true, language: true, missingCharacters: true },
      where: { reportId, rendererVersion },
      order: { format: 'ASC', language: 'ASC' },
    });
    return rows
      .filter((r) => r.missingCharacters.length > 0)
      .map((r) => ({ format: r.format, language: r.language, missingCharacters: r.missingCharacters }));
  }
}
