import { serveOffThread } from '#libs/common';
import { renderReportFile, type ReportRenderInput } from './report-render.js';

/** Worker thread body of ReportFileService's render: one report file's bytes. */
serveOffThread(async (input: ReportRenderInput): Promise<Uint8Array> => renderReportFile(input));
