import type { ReportLanguage } from './labels.js';
import type { PortfolioReportContent } from './portfolio-report.js';
import type { ProjectReportContent } from './project-report.js';
import { renderPortfolioPdf, renderPortfolioXlsx, renderReportPdf, renderReportXlsx } from './render/index.js';

/** The formats rendered on first download (JSON and CSV are stored when the report is built). */
export type RenderedOnDownload = 'xlsx' | 'pdf';

/** What the render worker is given: a report's stored content, the format and the language to render. */
export interface ReportRenderInput {
  content: ProjectReportContent | PortfolioReportContent;
  format: RenderedOnDownload;
  /** Language of the labels (default English). */
  lang?: ReportLanguage;
}

/** A rendered file: its bytes and the code points no bundled font covers (PDF; drawn as boxes), ascending. */
export interface RenderedReportFile {
  bytes: Uint8Array;
  missingCharacters: number[];
}

/** Renders a report's content as XLSX or PDF (project or portfolio layout by the content's kind) in a language. */
export async function renderReportFile({
  content,
  format,
  lang = 'en',
}: ReportRenderInput): Promise<RenderedReportFile> {
  let missingCharacters: number[] = [];
  const onMissingCharacters = (codePoints: number[]) => {
    missingCharacters = [...codePoints].sort((a, b) => a - b);
  };
  const project = content.kind === 'project-quarterly-report';
  let bytes: Buffer;
  if (format === 'xlsx')
    bytes = project ? await renderReportXlsx(content, { lang }) : await renderPortfolioXlsx(content, { lang });
  else
    bytes = project
      ? await renderReportPdf(content, { lang, onMissingCharacters })
      : await renderPortfolioPdf(content, { lang, onMissingCharacters });
  return { bytes, missingCharacters };
}
