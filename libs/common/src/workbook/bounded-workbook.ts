import { types } from 'node:util';
import { DomainException, ErrorCode, type FieldError } from '../domain.exception.js';
import { runOffThread } from '../off-thread.js';
import type { PlainWorkbook } from './workbook-cells.js';
import type { WorkbookReadResult } from './workbook-read.js';
import { WORKBOOK_LIMITS, type WorkbookLimits, type WorkbookViolation } from './workbook-scan.js';

/** How long reading one workbook off the main thread may take (scan and parse), ms. */
export const WORKBOOK_READ_TIMEOUT_MS = 8000;

/**
 * V8 heap of the worker reading a workbook, MB: room for ExcelJS to parse a workbook at the limits
 * (the scan alone needs little; Buffers are bounded by the scan's streaming caps, not by this).
 */
export const WORKBOOK_READ_HEAP_MB = 160;

/**
 * The workbook with its date cells re-created as this realm's Dates: a Date copied from a worker
 * thread belongs to the process's main realm, so `instanceof Date` fails in any other (a vm context,
 * as Jest runs code in).
 */
function withLocalDates(workbook: PlainWorkbook): PlainWorkbook {
  for (const sheet of workbook.sheets)
    for (const row of sheet.rows)
      for (const cell of Object.values(row.cells))
        if (types.isDate(cell.value)) cell.value = new Date(cell.value.getTime());
  return workbook;
}

/**
 * Reads an uploaded workbook off the main event loop (a worker thread of the shared off-thread pool,
 * with a timeout): first checks it against `limits` (parts, declared and inflated sizes, rows, columns,
 * cells) while streaming, then parses it with ExcelJS into plain data. Every workbook upload reads
 * through this; the main thread only walks the plain rows.
 * @throws DomainException payload_too_large (413) naming the limit crossed (maxEntries, maxEntryBytes,
 *   maxTotalBytes, maxRows, maxColumns, maxCells) or the read running out of time or memory;
 *   bad_request (400) when the zip is broken or is not a workbook
 */
export async function readBoundedWorkbook(
  data: Buffer,
  limits: WorkbookLimits = WORKBOOK_LIMITS,
): Promise<PlainWorkbook> {
  const outcome = await runOffThread<WorkbookReadResult>(
    new URL('./workbook-read.worker.js', import.meta.url),
    { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), limits },
    { timeoutMs: WORKBOOK_READ_TIMEOUT_MS, heapMb: WORKBOOK_READ_HEAP_MB },
  );
  let violation: WorkbookViolation;
  if (outcome.ok) {
    if ('workbook' in outcome.value) return withLocalDates(outcome.value.workbook);
    violation = outcome.value.violation;
  } else if (outcome.reason === 'timeout')
    violation = {
      status: 413,
      limit: 'readSeconds',
      message: `The workbook could not be read within ${WORKBOOK_READ_TIMEOUT_MS / 1000} seconds`,
    };
  else if (outcome.reason === 'out_of_memory')
    violation = {
      status: 413,
      limit: 'readMemory',
      message: `The workbook is too big to read within ${WORKBOOK_READ_HEAP_MB} MB`,
    };
  // A zip that fails while inflating (yauzl: more bytes than declared, a broken entry) is the
  // uploader's problem, never a 500: sizes that lie are a size limit, anything else a bad file.
  else if (/bytes|size/i.test(outcome.message))
    violation = {
      status: 413,
      limit: 'maxEntryBytes',
      message: 'A workbook part does not inflate to its declared size',
    };
  else
    violation = {
      status: 400,
      limit: 'zip',
      message: `The file is not an Excel workbook (.xlsx) that can be read: ${outcome.message}`,
    };
  const errors: FieldError[] = [
    {
      path: 'file',
      code: violation.status === 400 ? 'unreadable' : 'too_large',
      params: { limit: violation.limit },
      message: `${violation.message} (limit ${violation.limit})`,
    },
  ];
  if (violation.status === 400) throw DomainException.badRequest(ErrorCode.FILE_UNREADABLE, violation.message, errors);
  throw DomainException.payloadTooLarge(violation.message, errors);
}
