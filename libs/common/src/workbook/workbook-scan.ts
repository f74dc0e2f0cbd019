import yauzl from 'yauzl';

/**
 * Limits of an uploaded workbook (.xlsx, a zip of XML parts). The zip's central directory is checked
 * first (entry count, declared sizes), then every entry is inflated as a stream while its bytes are
 * counted, and worksheet XML is scanned for rows, columns and cells as it streams: the scan stops at
 * the first limit crossed, so a zip bomb or a sheet of a million rows never gets inflated whole.
 */
export interface WorkbookLimits {
  /** Zip entries (parts) in the workbook. */
  maxEntries: number;
  /** Inflated bytes of one entry (declared and counted). */
  maxEntryBytes: number;
  /** Inflated bytes of all entries together. */
  maxTotalBytes: number;
  /** Rows of one worksheet. */
  maxRows: number;
  /** Highest column of any cell (1 = A). */
  maxColumns: number;
  /** Cells of all worksheets together. */
  maxCells: number;
}

/** The limits of every workbook upload (logframe workbook; later the quarter, revision and mapping workbooks). */
export const WORKBOOK_LIMITS: WorkbookLimits = {
  maxEntries: 200,
  maxEntryBytes: 32 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxRows: 10_000,
  maxColumns: 200,
  maxCells: 500_000,
};

/**
 * A limit the workbook crossed: `limit` names it (one of {@link WorkbookLimits}, `readSeconds` or
 * `readMemory` for the off-thread read's time and heap, `zip` for a file that is not a workbook);
 * `status` is 413 for sizes and 400 for a broken file.
 */
export interface WorkbookViolation {
  status: 400 | 413;
  limit: keyof WorkbookLimits | 'readSeconds' | 'readMemory' | 'zip';
  message: string;
}

const WORKSHEET = /^xl\/worksheets\/[^/]+\.xml$/i;

const columnNumber = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/**
 * Scans a workbook zip under `limits`.
 * @returns the first limit crossed, or null when the workbook is within every limit
 */
export async function scanWorkbookZip(data: Buffer, limits: WorkbookLimits): Promise<WorkbookViolation | null> {
  const tooBig = (limit: keyof WorkbookLimits, message: string): WorkbookViolation => ({ status: 413, limit, message });
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(data, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false });
  } catch {
    return {
      status: 400,
      limit: 'zip',
      message: 'The file is not an Excel workbook (.xlsx): its zip structure is broken',
    };
  }
  try {
    if (zip.entryCount > limits.maxEntries)
      return tooBig('maxEntries', `The workbook has ${zip.entryCount} parts; at most ${limits.maxEntries} are read`);
    let total = 0;
    let cells = 0;
    const entries = (zip as unknown as { eachEntry(): AsyncIterable<yauzl.Entry> }).eachEntry();
    for await (const entry of entries) {
      // Declared sizes first (central directory): refuse before inflating anything.
      if (entry.uncompressedSize > limits.maxEntryBytes)
        return tooBig(
          'maxEntryBytes',
          `The workbook part ${entry.fileName} would inflate to ${entry.uncompressedSize} bytes; at most ${limits.maxEntryBytes} are read`,
        );
      if (total + entry.uncompressedSize > limits.maxTotalBytes)
        return tooBig('maxTotalBytes', `The workbook would inflate to more than ${limits.maxTotalBytes} bytes`);
      if (entry.fileName.endsWith('/')) continue;
      const sheet = WORKSHEET.test(entry.fileName);
      let stream: NodeJS.ReadableStream | undefined;
      let inflated = 0;
      let rows = 0;
      let tail = '';
      let violation: WorkbookViolation | null = null;
      try {
        stream = await zip.openReadStreamPromise(entry);
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          // Counted while streaming as well: declared sizes may lie (yauzl also checks them).
          inflated += chunk.length;
          total += chunk.length;
          if (inflated > limits.maxEntryBytes) {
            violation = tooBig(
              'maxEntryBytes',
              `The workbook part ${entry.fileName} inflates to more than ${limits.maxEntryBytes} bytes`,
            );
            break;
          }
          if (total > limits.maxTotalBytes) {
            violation = tooBig('maxTotalBytes', `The workbook inflates to more than ${limits.maxTotalBytes} bytes`);
            break;
          }
          if (!sheet) continue;
          // Scan up to the last tag start; the rest waits for the next chunk, so a tag split between
          // two chunks is seen once, whole.
          const text = tail + chunk.toString('latin1');
          const cut = text.lastIndexOf('<');
          const scanned = cut > 0 ? text.slice(0, cut) : cut === 0 ? '' : text;
          tail = text.slice(scanned.length);
          violation = scanSheetText(scanned, entry.fileName, limits, (r, c) => {
            rows += r;
            cells += c;
            return { rows, cells };
          });
          if (violation) break;
        }
        if (!violation && sheet && tail)
          violation = scanSheetText(tail, entry.fileName, limits, (r, c) => {
            rows += r;
            cells += c;
            return { rows, cells };
          });
      } catch {
        violation = tooBig(
          'maxEntryBytes',
          `The workbook part ${entry.fileName} does not inflate to its declared size`,
        );
      } finally {
        (stream as { destroy?: () => void } | undefined)?.destroy?.();
      }
      if (violation) return violation;
    }
    return null;
  } finally {
    zip.close();
  }
}

/** Counts `<row` and `<c` tags of a piece of worksheet XML and the highest column named by a cell reference. */
function scanSheetText(
  text: string,
  part: string,
  limits: WorkbookLimits,
  add: (rows: number, cells: number) => { rows: number; cells: number },
): WorkbookViolation | null {
  const rowCount = text.match(/<(?:\w+:)?row[\s>]/g)?.length ?? 0;
  const cellCount = text.match(/<(?:\w+:)?c[\s>]/g)?.length ?? 0;
  const { rows, cells } = add(rowCount, cellCount);
  if (rows > limits.maxRows)
    return { status: 413, limit: 'maxRows', message: `The sheet ${part} has more than ${limits.maxRows} rows` };
  if (cells > limits.maxCells)
    return { status: 413, limit: 'maxCells', message: `The workbook has more than ${limits.maxCells} cells` };
  for (const match of text.matchAll(/<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})\d+"/g))
    if (columnNumber(match[1]) > limits.maxColumns)
      return {
        status: 413,
        limit: 'maxColumns',
        message: `The sheet ${part} has a cell in column ${match[1]}; at most ${limits.maxColumns} columns are read`,
      };
  return null;
}
