import ExcelJS from 'exceljs';
import { isPercentFormat, plainValue, type PlainRow, type PlainWorkbook } from './workbook-cells.js';
import { scanWorkbookZip, type WorkbookLimits, type WorkbookViolation } from './workbook-scan.js';

/** What reading a workbook gave: its plain data, or the limit it crossed (or why it is not a workbook). */
export type WorkbookReadResult = { workbook: PlainWorkbook } | { violation: WorkbookViolation };

/**
 * Scans a workbook zip under `limits` and, when it is within every one, parses it with ExcelJS into
 * plain data (rows and cells with values). Data validations, conditional formats and merged ranges
 * are never read (one merged range over whole columns would expand to millions of cells). Meant to run
 * in a worker thread (workbook-read.worker.ts): the parse is the expensive part.
 */
export async function readWorkbookZip(data: Buffer, limits: WorkbookLimits): Promise<WorkbookReadResult> {
  const violation = await scanWorkbookZip(data, limits);
  if (violation) return { violation };
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(data as unknown as ExcelJS.Buffer, {
      ignoreNodes: ['dataValidations', 'conditionalFormatting', 'extLst', 'mergeCells'],
    });
  } catch (error) {
    return {
      violation: {
        status: 400,
        limit: 'zip',
        message: `The file is not an Excel workbook (.xlsx) that can be read: ${error instanceof Error ? error.message : String(error)}`,
      },
    };
  }
  return {
    workbook: {
      date1904: Boolean((book.properties as { date1904?: boolean } | undefined)?.date1904),
      sheets: book.worksheets.map((sheet) => {
        const rows: PlainRow[] = [];
        sheet.eachRow({ includeEmpty: false }, (row, number) => {
          const cells: PlainRow['cells'] = {};
          row.eachCell({ includeEmpty: false }, (cell, column) => {
            cells[column] = { value: plainValue(cell.value), percent: isPercentFormat(cell) };
          });
          rows.push({ number, cells });
        });
        return { name: sheet.name, rows };
      }),
    },
  };
}
