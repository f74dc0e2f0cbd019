export {
  SHEET_README,
  SHEET_RESULTS,
  SHEET_TARGETS,
  LEVELS,
  RESULT_COLUMNS,
  TARGET_COLUMNS,
  README_VERSION,
  README_PROJECT_ID,
} from './xlsx-layout.js';
export { XLSX_MEDIA_TYPE, writeLogframeWorkbook, type LogframeWorkbookProject } from './logframe-xlsx-writer.js';
export {
  MAX_XLSX_BYTES,
  readLogframeWorkbook,
  sortCellErrors,
  type CellRef,
  type LogframeWorkbook,
} from './logframe-xlsx-reader.js';
export { LogframeXlsxService, type LogframeWorkbookFile } from './logframe-xlsx.service.js';
