import { serveOffThread } from '../off-thread.js';
import { readWorkbookZip } from './workbook-read.js';
import type { WorkbookLimits } from './workbook-scan.js';

/** Worker thread body of readBoundedWorkbook: scans, then parses one workbook to plain data. */
serveOffThread(({ data, limits }: { data: Uint8Array; limits: WorkbookLimits }) =>
  readWorkbookZip(Buffer.from(data.buffer, data.byteOffset, data.byteLength), limits),
);
