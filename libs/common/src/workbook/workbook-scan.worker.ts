import { parentPort, workerData } from 'node:worker_threads';
import { scanWorkbookZip, type WorkbookLimits } from './workbook-scan.js';

/** Worker thread body: scans one workbook and posts the violation (or null) back. */
const { data, limits } = workerData as { data: Uint8Array; limits: WorkbookLimits };
scanWorkbookZip(Buffer.from(data.buffer, data.byteOffset, data.byteLength), limits).then(
  (violation) => parentPort!.postMessage({ violation }),
  (error: unknown) => parentPort!.postMessage({ error: String(error) }),
);
