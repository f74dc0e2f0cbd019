/**
 * Report renderers (DESIGN.md §6): a project's quarterly report content as an XLSX workbook or a
 * donor-ready PDF. Pure functions of `ProjectReportContent`; no database.
 */
export {
  INTERNAL_BANNER,
  missingCharactersText,
  renderReportPdf,
  REPORT_PDF_MEDIA_TYPE,
  type RenderReportPdfOptions,
} from './report-pdf.js';
export {
  renderReportXlsx,
  type RenderOptions,
  REPORT_XLSX_MEDIA_TYPE,
  REPORT_XLSX_SHEETS,
  XLSX_COUNT_FORMAT,
  XLSX_DATE_FORMAT,
  XLSX_PERCENT_FORMAT,
} from './report-xlsx.js';
export { STATUS_COLOURS, STATUS_LABELS, STATUS_ORDER } from './presentation.js';
export { PdfFontsMissingError } from './pdf-fonts.js';
export { renderPortfolioXlsx } from './portfolio-render.js';
export { portfolioTitle, renderPortfolioPdf, type RenderPortfolioPdfOptions } from './portfolio-pdf.js';
