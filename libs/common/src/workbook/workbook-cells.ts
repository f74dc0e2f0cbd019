import type ExcelJS from 'exceljs';

/**
 * A cell's content, with formulas replaced by their cached result and rich text flattened. A formula
 * whose workbook holds no computed result (saved by a tool that does not calculate, e.g. a script
 * writing `DATE(2026,2,1)`) is kept as `{ formula }`: every reader refuses it, naming the formula,
 * rather than reading it as an empty cell.
 */
export type Plain = null | string | number | boolean | Date | { error: string } | { formula: string };

/** One cell of an uploaded workbook as plain data: its content and whether its number format shows percentages. */
export interface PlainCell {
  value: Plain;
  /** The cell's number format shows percentages (Excel then stores 45 % as 0.45). */
  percent: boolean;
}

/** A row with values: its 1-based number and its cells with values by 1-based column number. */
export interface PlainRow {
  number: number;
  cells: Record<number, PlainCell>;
}

/** A worksheet as plain data: its name and its rows with values, in order. */
export interface PlainSheet {
  name: string;
  rows: PlainRow[];
}

/** An uploaded workbook read to plain data off the main thread (see readBoundedWorkbook). */
export interface PlainWorkbook {
  /** The workbook counts dates from 1904 (old Mac Excel). */
  date1904: boolean;
  sheets: PlainSheet[];
}

const EMPTY_CELL: PlainCell = { value: null, percent: false };

/** The cell at a 1-based column of a row, an empty one when the row has no value there. */
export function cellOf(row: PlainRow | undefined, column: number): PlainCell {
  return row?.cells[column] ?? EMPTY_CELL;
}

/** The content of an ExcelJS cell value as {@link Plain}. */
export function plainValue(value: ExcelJS.CellValue): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date)
    return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('error' in value) return { error: String(value.error) };
    if ('hyperlink' in value)
      return typeof value.text === 'string' ? value.text : plainValue(value.text as ExcelJS.CellValue);
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: ExcelJS.CellValue }).result;
      if (result === undefined || result === null) {
        const f = value as { formula?: string; sharedFormula?: string };
        return { formula: String(f.formula ?? f.sharedFormula ?? '') };
      }
      return plainValue(result);
    }
  }
  return String(value);
}

/** Whether an ExcelJS cell's number format shows percentages. */
export function isPercentFormat(cell: ExcelJS.Cell): boolean {
  return typeof cell.numFmt === 'string' && cell.numFmt.includes('%');
}
