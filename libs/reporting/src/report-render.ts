import type { PortfolioReportContent } from './portfolio-report.js';
import type { ProjectReportContent } from './project-report.js';
import { renderPortfolioPdf, renderPortfolioXlsx, renderReportPdf, renderReportXlsx } from './render/index.js';

/** The formats rendered on first download (JSON and CSV are stored when the report is built). */
export type RenderedOnDownload = 'xlsx' | 'pdf';

/** What the render worker is given: a report's stored content and the format to render. */
export interface ReportRenderInput {
  content: ProjectReportContent | PortfolioReportContent;
  format: RenderedOnDownload;
}

/** Renders a report's content as XLSX or PDF (project or portfolio layout by the content's kind). */
export async function renderReportFile({ content, format }: ReportRenderInput): Promise<Buffer> {
  if (content.kind === 'project-quarterly-report')
    return format === 'pdf' ? renderReportPdf(content) : renderReportXlsx(content);
  return format === 'pdf' ? renderPortfolioPdf(content) : renderPortfolioXlsx(content);
}
