import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DomainException, MAX_PARALLEL_TASKS, runOffThread } from '#libs/common';
import { type ReportEntity, type ReportFileEntity, type ReportFormat, TransactionRunner } from '#libs/database';
import type { PortfolioReportContent } from './portfolio-report.js';
import type { ProjectReportContent } from './project-report.js';
import type { ReportLanguage } from './labels.js';
import { type MissingCharactersRow, ReportFileRepository } from './report-file.repository.js';
import type { RenderedOnDownload, RenderedReportFile, ReportRenderInput } from './report-render.js';
import { REPORT_PDF_MEDIA_TYPE, REPORT_XLSX_MEDIA_TYPE } from './render/index.js';

/**
 * Version of the XLSX and PDF renderers: raise it when their output changes. A stored file of an older
 * version is rendered again (once) on its next download; files of the current version are served as
 * stored, byte for byte.
 */
export const REPORT_RENDERER_VERSION = 3;

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
 * A completed report's XLSX and PDF files, rendered on first download in each language rather than for
 * every report when it is built (most are never downloaded). One render per report, format and language,
 * even across API processes: concurrent first downloads in a process share one render, and the render
 * runs under a PostgreSQL advisory lock per report, format and language, re-checking for a stored file
 * once it holds it. The render itself runs in a worker thread (the API's event loop keeps answering);
 * the file is stored with its SHA-256, {@link REPORT_RENDERER_VERSION}, its language and the characters
 * no bundled font covers, and served from storage afterwards.
 */
@Injectable()
export class ReportFileService {
  private readonly logger = new Logger(ReportFileService.name);
  private readonly inFlight = new Map<string, Promise<ReportFileEntity>>();
  /** Render transactions open in this process, and the renders waiting to open theirs. */
  private renderSlots = 0;
  private readonly renderQueue: (() => void)[] = [];

  constructor(
    private readonly tx: TransactionRunner,
    private readonly files: ReportFileRepository,
  ) {}

  /**
   * The stored file of a completed report in `format` and `lang`, rendering it first when it is missing
   * (or of an older renderer).
   * @throws DomainException unavailable (503) when the render runs out of time or memory; Error when it fails
   */
  async fileOf(report: ReportEntity, format: RenderedOnDownload, lang: ReportLanguage): Promise<ReportFileEntity> {
    const stored = current(await this.files.find(report.id, format, lang));
    if (stored) return stored;
    const key = `${report.id}:${format}:${lang}`;
    let render = this.inFlight.get(key);
    if (!render) {
      render = this.renderOnce(report, format, lang).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, render);
    }
    return render;
  }

  /** A file stored at build (JSON, CSV: English), or null. */
  async storedAtBuild(reportId: string, format: ReportFormat): Promise<ReportFileEntity | null> {
    return this.files.find(reportId, format, 'en');
  }

  /** The report's stored files (of the current renderer) that draw characters no bundled font covers. */
  async missingCharacters(reportId: string): Promise<MissingCharactersRow[]> {
    return this.files.missingCharacters(reportId, REPORT_RENDERER_VERSION);
  }

  /**
   * Renders a report's content off the main thread (a worker thread of the off-thread pool).
   * @throws DomainException unavailable (503) when the render runs out of time or memory; Error when it fails
   */
  async render(input: ReportRenderInput): Promise<{ bytes: Buffer; missingCharacters: number[] }> {
    const outcome = await runOffThread<RenderedReportFile>(
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
    const { bytes, missingCharacters } = outcome.value;
    return { bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), missingCharacters };
  }

  private async renderOnce(
    report: ReportEntity,
    format: RenderedOnDownload,
    lang: ReportLanguage,
  ): Promise<ReportFileEntity> {
    return this.withRenderSlot(() => this.renderInTransaction(report, format, lang));
  }

  /**
   * Runs `run` once fewer than MAX_PARALLEL_TASKS renders of this process are under way (a freed slot is
   * handed to the next waiter). A render's transaction holds a pooled connection from its lock to its
   * store, so opening it only when a render thread is free keeps many first downloads at once from
   * taking every connection of the pool (10) while they wait for a thread: other requests then waited
   * for a connection and got 503 (test/report-render-connections.e2e.spec.ts).
   */
  private async withRenderSlot<T>(run: () => Promise<T>): Promise<T> {
    if (this.renderSlots < MAX_PARALLEL_TASKS) this.renderSlots += 1;
    else await new Promise<void>((resolve) => this.renderQueue.push(resolve));
    try {
      return await run();
    } finally {
      const next = this.renderQueue.shift();
      if (next) next();
      else this.renderSlots -= 1;
    }
  }

  private async renderInTransaction(
    report: ReportEntity,
    format: RenderedOnDownload,
    lang: ReportLanguage,
  ): Promise<ReportFileEntity> {
    return this.tx.run(async (manager) => {
      // One render per report, format and language across processes: held until this transaction ends.
      await this.files.lockRender(report.id, format, lang, manager);
      const stored = current(await this.files.find(report.id, format, lang, manager));
      if (stored) return stored;
      // A completed report's content never changes: the row read by the caller is the one to render.
      const content = report.content as ProjectReportContent | PortfolioReportContent;
      const started = Date.now();
      const { bytes, missingCharacters } = await this.render({ content, format, lang });
      const file = await this.files.replace(
        { ...fileRecord(format, MEDIA_TYPES[format], bytes), reportId: report.id, language: lang, missingCharacters },
        manager,
      );
      this.logger.log(
        { reportId: report.id, format, lang, bytes: bytes.length, missingCharacters, ms: Date.now() - started },
        'report file rendered',
      );
      return file;
    });
  }
}

/** A stored file when it is of the current renderer (else it is rendered again). */
const current = (file: ReportFileEntity | null): ReportFileEntity | null =>
  file && file.rendererVersion === REPORT_RENDERER_VERSION ? file : null;
