import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DomainException, ErrorCode } from '../domain.exception.js';
import { repoRoot } from '../repo-path.js';
import { WORKBOOK_LIMITS, type WorkbookLimits, type WorkbookViolation } from './workbook-scan.js';

/** How long the off-thread scan of one workbook may take, ms. */
export const WORKBOOK_SCAN_TIMEOUT_MS = 8000;

/** Workbook scans running at once; more wait for a free slot (a small pool: parsing never starves the API). */
const MAX_PARALLEL_SCANS = 2;
let running = 0;
const waiting: (() => void)[] = [];

/** The compiled worker script (dist); from sources (Jest) the build's copy is used. */
function workerFile(): string {
  const beside = fileURLToPath(new URL('./workbook-scan.worker.js', import.meta.url));
  return existsSync(beside) ? beside : join(repoRoot(), 'dist/libs/common/src/workbook/workbook-scan.worker.js');
}

async function slot<T>(run: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL_SCANS) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await run();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

/**
 * Checks an uploaded workbook against {@link WORKBOOK_LIMITS} before anything parses it: in a worker
 * thread (V8 heap capped at 96 MB; the streaming caps bound the Buffers), with a timeout. Every
 * workbook upload calls this first.
 * @throws DomainException payload_too_large (413) naming the limit crossed (parts, inflated bytes,
 *   rows, columns, cells) or the scan timing out; bad_request (400) when the zip is broken
 */
export async function assertWorkbookWithinLimits(
  data: Buffer,
  limits: WorkbookLimits = WORKBOOK_LIMITS,
): Promise<void> {
  const violation = await slot(
    () =>
      new Promise<WorkbookViolation | null>((resolve, reject) => {
        const worker = new Worker(workerFile(), {
          workerData: { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), limits },
          resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 },
        });
        const timer = setTimeout(() => {
          void worker.terminate();
          resolve({
            status: 413,
            limit: 'maxTotalBytes',
            message: `The workbook could not be read within ${WORKBOOK_SCAN_TIMEOUT_MS / 1000} seconds`,
          });
        }, WORKBOOK_SCAN_TIMEOUT_MS);
        worker.once('message', (message: { violation?: WorkbookViolation | null; error?: string }) => {
          clearTimeout(timer);
          void worker.terminate();
          // A zip that fails while inflating (yauzl: more bytes than declared, a broken entry) is the
          // uploader's problem, never a 500: sizes that lie are a size limit, anything else a bad file.
          if (message.error !== undefined)
            resolve(
              /bytes|size/i.test(message.error)
                ? {
                    status: 413,
                    limit: 'maxEntryBytes',
                    message: 'A workbook part does not inflate to its declared size',
                  }
                : { status: 400, limit: 'zip', message: `The file is not a readable workbook: ${message.error}` },
            );
          else resolve(message.violation ?? null);
        });
        worker.once('error', (error) => {
          clearTimeout(timer);
          // The heap limit was reached: the workbook is too big to read.
          if (/ERR_WORKER_OUT_OF_MEMORY/.test(String((error as { code?: string }).code)))
            resolve({ status: 413, limit: 'maxTotalBytes', message: 'The workbook is too big to read' });
          else reject(error);
        });
      }),
  );
  if (!violation) return;
  const errors = [{ path: 'file', message: `${violation.message} (limit ${violation.limit})` }];
  if (violation.status === 400) throw DomainException.badRequest(ErrorCode.FILE_UNREADABLE, violation.message, errors);
  throw DomainException.payloadTooLarge(violation.message, errors);
}
