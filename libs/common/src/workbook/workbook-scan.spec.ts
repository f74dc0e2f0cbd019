import { describe, expect, it } from '@jest/globals';
import JSZip from 'jszip';
import { scanWorkbookZip, type WorkbookLimits } from './workbook-scan.js';

const SMALL: WorkbookLimits = {
  maxEntries: 5,
  maxEntryBytes: 64 * 1024,
  maxTotalBytes: 128 * 1024,
  maxRows: 100,
  maxColumns: 26,
  maxCells: 150,
};

/** A workbook-shaped zip holding the given worksheet XML bodies (inside <sheetData>) and extra parts. */
async function book(sheets: string[], extra: Record<string, string> = {}): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types/>');
  sheets.forEach((body, i) =>
    zip.file(
      `xl/worksheets/sheet${i + 1}.xml`,
      `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`,
    ),
  );
  for (const [name, body] of Object.entries(extra)) zip.file(name, body);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const rows = (n: number, cellsPerRow = 1) =>
  Array.from(
    { length: n },
    (_, r) =>
      `<row r="${r + 1}">${Array.from({ length: cellsPerRow }, (_, c) => `<c r="${String.fromCharCode(65 + c)}${r + 1}"><v>1</v></c>`).join('')}</row>`,
  ).join('');

describe('scanWorkbookZip', () => {
  it('accepts a workbook within every limit, whatever its merged ranges say', async () => {
    // 100 rows x 1 cell: exactly at the row limit; a merged range over whole columns is not a cell.
    const xml = rows(100) + '</sheetData><mergeCells count="1"><mergeCell ref="B3:ZZ500000"/></mergeCells><sheetData>';
    expect(await scanWorkbookZip(await book([xml]), SMALL)).toBeNull();
  });

  it('names the row limit (counted per sheet, across chunk boundaries)', async () => {
    expect(await scanWorkbookZip(await book([rows(101)]), SMALL)).toMatchObject({ status: 413, limit: 'maxRows' });
    expect(await scanWorkbookZip(await book([rows(60), rows(60)]), SMALL)).toBeNull();
  });

  it('names the cell limit (all sheets together) and the column limit', async () => {
    // 2 sheets x 40 rows x 2 cells = 160 cells > 150.
    expect(await scanWorkbookZip(await book([rows(40, 2), rows(40, 2)]), SMALL)).toMatchObject({ limit: 'maxCells' });
    const wide = await book(['<row r="1"><c r="AA1"><v>1</v></c></row>']);
    expect(await scanWorkbookZip(wide, SMALL)).toMatchObject({
      status: 413,
      limit: 'maxColumns',
      message: 'The sheet xl/worksheets/sheet1.xml has a cell in column AA; at most 26 columns are read',
    });
  });

  it('names the part count and the inflated sizes, and refuses a broken zip with 400', async () => {
    const parts = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`docProps/p${i}.xml`, '<x/>']));
    expect(await scanWorkbookZip(await book([rows(1)], parts), SMALL)).toMatchObject({ limit: 'maxEntries' });
    const big = await book([rows(1)], { 'xl/sharedStrings.xml': ' '.repeat(65 * 1024) });
    expect(await scanWorkbookZip(big, SMALL)).toMatchObject({ status: 413, limit: 'maxEntryBytes' });
    const total = await book([rows(1)], {
      'a.xml': ' '.repeat(60 * 1024),
      'b.xml': ' '.repeat(60 * 1024),
      'c.xml': ' '.repeat(60 * 1024),
    });
    expect(await scanWorkbookZip(total, { ...SMALL, maxEntries: 20 })).toMatchObject({
      status: 413,
      limit: 'maxTotalBytes',
    });
    expect(await scanWorkbookZip(Buffer.from('PK\x03\x04 not really a zip'), SMALL)).toMatchObject({
      status: 400,
      limit: 'zip',
    });
  });
});
