import ExcelJS from 'exceljs';
import type { IndicatorStatus } from '#libs/calculations';
import type { ProjectReportContent, ReportIndicatorRow, ReportOutputSection } from '../project-report.js';
import { safeCsvText } from '../report-csv.js';
import {
  countTotal,
  STATUS_COLOURS,
  STATUS_DARK_TEXT,
  STATUS_LABELS,
  STATUS_ORDER,
  statusLabel,
  thresholdsText,
} from './presentation.js';

/** Media type of the report workbook. */
export const REPORT_XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sheet names of the report workbook, in order. */
export const REPORT_XLSX_SHEETS = [
  'Summary',
  'Outcomes',
  'Outputs',
  'Outcome indicators',
  'Output indicators',
  'Impact indicators',
] as const;

/** Number format of indicator values (in the indicator's unit; percentages on a 0–100 scale). */
export const XLSX_VALUE_FORMAT = '#,##0.##';
/** Number format of achievement and progress percents (0–100 scale, e.g. 104.6). */
export const XLSX_PERCENT_FORMAT = '0.0';
/** Number format of counts and years. */
export const XLSX_COUNT_FORMAT = '0';
/** Number format of calendar dates (written as Excel dates at UTC midnight). */
export const XLSX_DATE_FORMAT = 'yyyy-mm-dd';

type Kind = 'text' | 'code' | 'value' | 'percent' | 'count' | 'date' | 'status';
type Cell = string | number | null | undefined;
interface Column<R> {
  header: string;
  width: number;
  kind: Kind;
  get: (row: R) => Cell;
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
const argb = (hex: string) => `FF${hex.replace('#', '').toUpperCase()}`;

/** `YYYY-MM-DD` (or an ISO instant) as an Excel date at UTC midnight, so no time zone shifts the day. */
function excelDate(value: string | null | undefined): Date | null {
  const m = value ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

/** A cell value for its column kind: text neutralised against formula injection, numbers kept as numbers. */
function cellValue(kind: Kind, value: Cell): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  if (kind === 'date') return typeof value === 'string' ? (excelDate(value) ?? safeCsvText(value)) : value;
  if (kind === 'status') return typeof value === 'string' ? safeCsvText(statusLabel(value)) : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return safeCsvText(value);
}

const NUMBER_FORMATS: Partial<Record<Kind, string>> = {
  value: XLSX_VALUE_FORMAT,
  percent: XLSX_PERCENT_FORMAT,
  count: XLSX_COUNT_FORMAT,
  date: XLSX_DATE_FORMAT,
};

/** A data sheet: styled, frozen and filterable header row, column widths, per-cell number formats, status fills. */
function dataSheet<R>(
  book: ExcelJS.Workbook,
  name: string,
  columns: Column<R>[],
  rows: R[],
  frozenColumns: number,
  filter = true,
): ExcelJS.Worksheet {
  const sheet = book.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: frozenColumns, ySplit: 1, activeCell: 'A2' }],
  });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  const header = sheet.getRow(1);
  header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  header.fill = HEADER_FILL;
  header.alignment = { vertical: 'top', wrapText: true };
  header.height = 30;
  for (const row of rows) {
    const line = sheet.addRow(columns.map((c) => cellValue(c.kind, c.get(row))));
    line.alignment = { vertical: 'top' };
    columns.forEach((c, index) => {
      const cell = line.getCell(index + 1);
      const format = NUMBER_FORMATS[c.kind];
      if (format && (typeof cell.value === 'number' || cell.value instanceof Date)) cell.numFmt = format;
      if (c.kind === 'text') cell.alignment = { vertical: 'top', wrapText: true };
      const raw = c.get(row);
      if (c.kind === 'status' && typeof raw === 'string' && raw in STATUS_COLOURS) {
        const status = raw as IndicatorStatus;
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(STATUS_COLOURS[status]) } };
        cell.font = { color: { argb: STATUS_DARK_TEXT[status] ? 'FF000000' : 'FFFFFFFF' }, bold: true };
      }
    });
  }
  if (filter) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return sheet;
}

/** Count columns, one per status (report order) after a total. */
function countColumns<R>(counts: (row: R) => Record<IndicatorStatus, number>): Column<R>[] {
  return [
    { header: 'Indicators', width: 11, kind: 'count', get: (r) => countTotal(counts(r)) },
    ...STATUS_ORDER.map((s): Column<R> => ({
      header: STATUS_LABELS[s],
      width: 11,
      kind: 'count',
      get: (r) => counts(r)[s] ?? 0,
    })),
  ];
}

/** The indicator columns shared by the three indicator sheets (after their parent codes). */
const INDICATOR_COLUMNS: Column<ReportIndicatorRow>[] = [
  { header: 'Indicator code', width: 14, kind: 'code', get: (r) => r.code },
  { header: 'Indicator', width: 48, kind: 'text', get: (r) => r.title },
  { header: 'Measure', width: 12, kind: 'code', get: (r) => r.measure },
  { header: 'Unit', width: 12, kind: 'code', get: (r) => r.unit },
  { header: 'Direction', width: 10, kind: 'code', get: (r) => r.direction },
  { header: 'Baseline', width: 12, kind: 'value', get: (r) => r.baseline },
  { header: 'Baseline year', width: 10, kind: 'count', get: (r) => r.baselineYear },
  { header: 'End target', width: 14, kind: 'value', get: (r) => r.endTarget },
  { header: 'Target to date', width: 14, kind: 'value', get: (r) => r.targetToDate },
  { header: 'Actual this quarter', width: 13, kind: 'value', get: (r) => r.actualThisQuarter },
  { header: 'Latest actual', width: 13, kind: 'value', get: (r) => r.latestActual?.value ?? null },
  { header: 'Latest actual period start', width: 12, kind: 'date', get: (r) => r.latestActual?.period.start ?? null },
  { header: 'Latest actual period end', width: 12, kind: 'date', get: (r) => r.latestActual?.period.end ?? null },
  { header: 'Actual to date', width: 14, kind: 'value', get: (r) => r.actualToDate },
  { header: 'Achievement %', width: 13, kind: 'percent', get: (r) => r.achievementPercent },
  { header: 'Progress to end target %', width: 13, kind: 'percent', get: (r) => r.progressPercent },
  { header: 'Status', width: 15, kind: 'status', get: (r) => r.status },
  { header: 'Status note', width: 30, kind: 'text', get: (r) => r.statusNote },
  { header: 'Variance explanation', width: 50, kind: 'text', get: (r) => r.varianceExplanation ?? null },
  { header: 'Flags', width: 24, kind: 'text', get: (r) => r.flags.join(', ') },
  { header: 'Review flags', width: 20, kind: 'text', get: (r) => r.reviewFlags.join(', ') },
];

const withParents = <P>(
  parents: Column<P & { row: ReportIndicatorRow }>[],
): Column<P & { row: ReportIndicatorRow }>[] => [
  ...parents,
  ...INDICATOR_COLUMNS.map((c) => ({ ...c, get: (r: P & { row: ReportIndicatorRow }) => c.get(r.row) })),
];

function summarySheet(book: ExcelJS.Workbook, content: ProjectReportContent): void {
  const { scope, quarter, revision, validation } = content;
  const facts: [string, Cell, Kind][] = [
    ['Project code', scope.code, 'code'],
    ['Project title', scope.title, 'text'],
    ['IATI identifier', scope.iatiIdentifier, 'code'],
    ['Scope', scope.type, 'code'],
    ['Quarter', quarter.label, 'code'],
    ['Quarter start', quarter.start, 'date'],
    ['Quarter end', quarter.end, 'date'],
    ['As-of date', content.asOfDate, 'date'],
    ['Logframe revision', revision.number, 'count'],
    ['Revision status', revision.status, 'code'],
    ['Approved by', revision.approvedBy, 'text'],
    ['Approved on', revision.approvedAt, 'date'],
    ['Snapshot SHA-256', revision.snapshotSha256, 'code'],
    ['Thresholds version', content.thresholds.version, 'count'],
    ['Thresholds', thresholdsText(content), 'text'],
    ['Calculation version', content.calculationVersion, 'code'],
    ['Validation status', validation.status, 'code'],
    ['Restated', validation.restated ? 'Yes' : 'No', 'code'],
    ['Reopen reason', validation.reopenReason, 'text'],
    ['Report use', content.internal ? 'INTERNAL – not for donors' : 'Donor-ready', 'text'],
    ['Internal reasons', content.internalReasons.join('; '), 'text'],
    ['SDG targets', content.sdgTargets.join(', '), 'text'],
    ['Indicators', content.summary.indicators, 'count'],
    ...STATUS_ORDER.map((s): [string, Cell, Kind] => [
      `Indicators ${STATUS_LABELS[s].toLowerCase()}`,
      content.summary.statusCounts[s] ?? 0,
      'count',
    ]),
  ];
  const sheet = dataSheet(
    book,
    'Summary',
    [
      { header: 'Item', width: 26, kind: 'code', get: (f: [string, Cell, Kind]) => f[0] },
      { header: 'Value', width: 90, kind: 'text', get: (f) => f[1] },
    ],
    facts,
    0,
    false,
  );
  // Each fact has its own kind: re-apply the value's format and alignment row by row.
  facts.forEach(([, value, kind], index) => {
    const cell = sheet.getCell(index + 2, 2);
    cell.value = cellValue(kind, value);
    const format = NUMBER_FORMATS[kind];
    if (format && (typeof cell.value === 'number' || cell.value instanceof Date)) cell.numFmt = format;
    cell.alignment = { vertical: 'top', horizontal: 'left', wrapText: true };
  });
  if (content.internal)
    sheet.getCell(facts.findIndex((f) => f[0] === 'Report use') + 2, 2).font = {
      bold: true,
      color: { argb: 'FFC00000' },
    };
}

type OutputLine = { outcome: string | null; output: ReportOutputSection };

/**
 * Renders a project's quarterly report as an XLSX workbook (DESIGN.md §6), one sheet per level:
 * "Summary" (header facts and status counts), "Outcomes", "Outputs" (indicators per status per
 * output), "Outcome indicators", "Output indicators" (with outcome and output codes; unlinked
 * outputs have no outcome code) and "Impact indicators".
 *
 * Every sheet has a frozen, filterable header row. Indicator values are numbers in the indicator's
 * unit (format `#,##0.##`; qualitative values stay text); achievement and progress are percents on a
 * 0–100 scale with 1 dp (format `0.0`, e.g. 104.6); dates are Excel dates (`yyyy-mm-dd`). Text
 * cells that a spreadsheet would run as a formula are prefixed with `'` (the `safeCsvText` rule).
 * Pure: no database.
 *
 * @returns the .xlsx file bytes (media type {@link REPORT_XLSX_MEDIA_TYPE})
 */
export async function renderReportXlsx(content: ProjectReportContent): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'RBM Tracker';
  book.title = safeCsvText(`${content.scope.code} quarterly report ${content.quarter.label}`);
  const stamp = excelDate(content.asOfDate) ?? new Date(0);
  book.created = stamp;
  book.modified = stamp;

  summarySheet(book, content);

  dataSheet(
    book,
    'Outcomes',
    [
      { header: 'Outcome code', width: 13, kind: 'code', get: (o) => o.code },
      { header: 'Statement', width: 60, kind: 'text', get: (o) => o.statement },
      { header: 'SDG targets', width: 16, kind: 'text', get: (o) => o.sdgTargets.join(', ') },
      { header: 'Computed status', width: 15, kind: 'status', get: (o) => o.computedStatus },
      { header: "Manager's rating", width: 15, kind: 'status', get: (o) => o.rating?.rating ?? null },
      { header: 'Rating justification', width: 60, kind: 'text', get: (o) => o.rating?.justification ?? null },
      ...countColumns<ProjectReportContent['outcomes'][number]>((o) => o.statusCounts),
    ],
    content.outcomes,
    1,
  );

  const outputs: OutputLine[] = [
    ...content.outcomes.flatMap((o) => o.outputs.map((output) => ({ outcome: o.code, output }))),
    ...content.unlinkedOutputs.map((output) => ({ outcome: null, output })),
  ];
  dataSheet(
    book,
    'Outputs',
    [
      { header: 'Outcome code', width: 13, kind: 'code', get: (l) => l.outcome },
      { header: 'Output code', width: 13, kind: 'code', get: (l) => l.output.code },
      { header: 'Statement', width: 60, kind: 'text', get: (l) => l.output.statement },
      ...countColumns<OutputLine>((l) => l.output.statusCounts),
    ],
    outputs,
    2,
  );

  type OutcomeIndicator = { outcome: string; row: ReportIndicatorRow };
  dataSheet(
    book,
    'Outcome indicators',
    withParents<{ outcome: string }>([{ header: 'Outcome code', width: 13, kind: 'code', get: (r) => r.outcome }]),
    content.outcomes.flatMap((o) => o.indicators.map((row): OutcomeIndicator => ({ outcome: o.code, row }))),
    2,
  );

  type OutputIndicator = { outcome: string | null; output: string; row: ReportIndicatorRow };
  dataSheet(
    book,
    'Output indicators',
    withParents<{ outcome: string | null; output: string }>([
      { header: 'Outcome code', width: 13, kind: 'code', get: (r) => r.outcome },
      { header: 'Output code', width: 13, kind: 'code', get: (r) => r.output },
    ]),
    outputs.flatMap((l) =>
      l.output.indicators.map((row): OutputIndicator => ({ outcome: l.outcome, output: l.output.code, row })),
    ),
    3,
  );

  dataSheet(
    book,
    'Impact indicators',
    withParents<object>([]),
    content.impactIndicators.map((row) => ({ row })),
    1,
  );

  return Buffer.from(await book.xlsx.writeBuffer());
}
