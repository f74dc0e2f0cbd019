import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainException, runOffThread } from '#libs/common';
import { ReportEntity, ReportFileEntity, type ReportFormat } from '#libs/database';
import type { PortfolioReportContent } from './portfolio-report.js';
import type { ProjectReportContent } from './project-report.js';
import type { ReportLanguage } from './labels.js';
import type { RenderedOnDownload, ReportRenderInput } from './report-render.js';
import { REPORT_PDF_MEDIA_TYPE, REPORT_XLSX_MEDIA_TYPE } from './render/index.js';

/**
 * Version of the XLSX and PDF renderers: raise it when their output changes. A stored file of an older
 * version is rendered again (once) on its next download; files of the current version are served as
 * stored, byte for byte.
 */
export const REPORT_RENDERER_VERSION = 2;

/** How long rendering one file off the main thread may take, ms, and its worker's heap, MB. */
export const REPORT_RENDER_LIMITS = { timeoutMs: 60_000, heapMb: 256 };

const MEDIA_TYPES: Record<RenderedOnDownload, string> = { xlsx: REPORT_XLSX_MEDIA_TYPE, pdf: REPORT_PDF_MEDIA_TYPE };

/** A stored file of a report and the SHA-256 (hex) of its bytes. */
export const fileRecord = (format: ReportFormat, mediaType: string, body: string | Buffer) => {
  const content = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    format,
    mediaType,
    content,
    sha256: createHash('sha256').update(content).digest('hex'),
    byteSize: content.length,
    rendererVersion: REPORT_RENDERER_VERSION,
  };
};

/**
 * A completed report's XLSX and PDF files, rendered on first download rather than for every report
 * when it is built (most are never downloaded). One render per report and format, even across API
 * processes: concurrent first downloads in a process share one render, and the render runs under a
 * PostgreSQL advisory lock per report and format, re-checking for a stored file once it holds it.
 * The render itself runs in a worker thread (the API's event loop keeps answering); the file is stored
 * with its SHA-256 and {@link REPORT_RENDERER_VERSION} and served from storage afterwards.
 */
@Injectable()
export class ReportFileService {
  private readonly logger = new Logger(ReportFileService.name);
  private readonly inFlight = new Map<string, Promise<ReportFileEntity>>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * The stored file of a completed report in `format`, rendering it first when it is missing (or of an
   * older renderer).
   * @throws DomainException unavailable (503) when the render runs out of time or memory; Error when it fails
   */
  async fileOf(report: ReportEntity, format: RenderedOnDownload): Promise<ReportFileEntity> {
    const stored = await this.stored(this.dataSource.manager, report.id, format);
    if (stored) return stored;
    const key = `${report.id}:${format}`;
    let render = this.inFlight.get(key);
    if (!render) {
      render = this.renderOnce(report, format).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, render);
    }
    return render;
  }

  /**
   * Renders a report's content off the main thread (a worker thread of the off-thread pool): the stored
   * files, and XLSX in another language, which is rendered on each download and not stored.
   * @throws DomainException unavailable (503) when the render runs out of time or memory; Error when it fails
   */
  async render(input: ReportRenderInput): Promise<Buffer> {
    const outcome = await runOffThread<Uint8Array>(
      new URL('./report-render.worker.js', import.meta.url),
      input,
      REPORT_RENDER_LIMITS,
    );
    if (!outcome.ok) {
      if (outcome.reason === 'failed')
        throw new Error(`Rendering the ${input.format} of a report failed: ${outcome.message}`);
      throw DomainException.unavailable(
        `The ${input.format.toUpperCase()} of this report could not be rendered now (${outcome.message}); try again later`,
      );
    }
    return Buffer.from(outcome.value.buffer, outcome.value.byteOffset, outcome.value.byteLength);
  }

  /** The stored file, when there is one of the current renderer. */
  private async stored(
    manager: EntityManager,
    reportId: string,
    format: ReportFormat,
  ): Promise<ReportFileEntity | null> {
    const file = await manager.getRepository(ReportFileEntity).findOneBy({ reportId, format });
    return file && file.rendererVersion === REPORT_RENDERER_VERSION ? file : null;
  }

  private async renderOnce(report: ReportEntity, format: RenderedOnDownload): Promise<ReportFileEntity> {
    return this.dataSource.transaction(async (manager) => {
      // One render per report and format across processes: the lock is held until this transaction ends.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`report-file:${report.id}:${format}`]);
      const files = manager.getRepository(ReportFileEntity);
      const stored = await this.stored(manager, report.id, format);
      if (stored) return stored;
      // A completed report's content never changes: the row read by the caller is the one to render.
      const content = report.content as ProjectReportContent | PortfolioReportContent;
      const started = Date.now();
      const bytes = await this.render({ content, format });
      await files.delete({ reportId: report.id, format });
      const record = { ...fileRecord(format, MEDIA_TYPES[format], bytes), reportId: report.id };
      await files.insert(record);
      this.logger.log(
        { reportId: report.id, format, bytes: bytes.length, ms: Date.now() - started },
        'report file rendered',
      );
      return files.findOneByOrFail({ reportId: report.id, format });
    });
  }

  /**
   * A completed report's file in another language than the stored (English) one: rendered from the
   * stored content in a worker thread, not stored (issue 12: labels chosen per request).
   * @throws DomainException unavailable (503) when the render runs out of time or memory; Error when it fails
   */
  async renderIn(report: ReportEntity, format: RenderedOnDownload, lang: ReportLanguage): Promise<Buffer> {
    const { content } = await this.dataSource
      .getRepository(ReportEntity)
      .findOneOrFail({ select: { id: true, content: true }, where: { id: report.id } });
    return this.render({ content: content as ProjectReportContent | PortfolioReportContent, format, lang });
  }
}
