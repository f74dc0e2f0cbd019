import { serveOffThread } from '#libs/common';
import { renderReportFile, type RenderedReportFile, type ReportRenderInput } from './report-render.js';

/** Worker thread body of ReportFileService's render: one report file's bytes and its missing characters. */
serveOffThread(async (input: ReportRenderInput): Promise<RenderedReportFile> => renderReportFile(input));
