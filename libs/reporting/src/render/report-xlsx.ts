import ExcelJS from 'exceljs';
import { formatEntered, type IndicatorStatus, xlsxNumberFormat } from '#libs/calculations';
import { codeLabel, type CodeKind, personText, type ReportLanguage, reportText, statusText } from '../labels.js';
import {
  dataCompleteness,
  type ProjectReportContent,
  type ReportIndicatorRow,
  type ReportOutputSection,
  reportRows,
} from '../project-report.js';
import { NARRATIVE_PARTS, safeCsvText } from '../report-csv.js';
import { countTotal, STATUS_COLOURS, STATUS_DARK_TEXT, STATUS_ORDER, thresholdsText } from './presentation.js';

/** Media type of the report workbook. */
export const REPORT_XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sheet names of the report workbook (English), in order; the Narrative sheet only when a narrative is saved. */
export const REPORT_XLSX_SHEETS = [
  'Summary',
  'Narrative',
  'Outcomes',
  'Outputs',
  'Outcome indicators',
  'Output indicators',
  'Impact indicators',
  'Disaggregation',
  'Assumptions and risks',
] as const;

/** Number format of achievement and progress percents (0–100 scale, 1 dp, e.g. 104.6). */
export const XLSX_PERCENT_FORMAT = '#,##0.0';
/** Number format of counts and years. */
export const XLSX_COUNT_FORMAT = '0';
/** Number format of calendar dates (written as Excel dates at UTC midnight). */
export const XLSX_DATE_FORMAT = 'yyyy-mm-dd';

type Kind = 'text' | 'code' | 'value' | 'percent' | 'count' | 'date' | 'status' | CodeKind;
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

const LABELLED: ReadonlySet<string> = new Set<CodeKind>([
  'flag',
  'reviewFlag',
  'measure',
  'direction',
  'aggregation',
  'level',
  'section',
  'quarterStatus',
  'revisionStatus',
  'milestoneRating',
  'assumptionKind',
  'assumptionStatus',
  'likelihood',
  'role',
  'scope',
  'notCombined',
  'dimension',
  'category',
]);

/**
 * A cell value for its column kind: codes as their human label in the report's language, text
 * neutralised against formula injection, numbers kept as numbers.
 */
function cellValue(kind: Kind, value: Cell, lang: ReportLanguage): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  if (kind === 'date') return typeof value === 'string' ? (excelDate(value) ?? safeCsvText(value)) : value;
  if (kind === 'status') return typeof value === 'string' ? safeCsvText(statusText(value, lang)) : value;
  if (LABELLED.has(kind) && typeof value === 'string') return safeCsvText(codeLabel(kind as CodeKind, value, lang));
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return safeCsvText(value);
}

const NUMBER_FORMATS: Partial<Record<Kind, string>> = {
  percent: XLSX_PERCENT_FORMAT,
  count: XLSX_COUNT_FORMAT,
  date: XLSX_DATE_FORMAT,
};

/** The number format of a cell: entered values exactly (`#,##0`, `#,##0.0000`), the others by kind. */
function numberFormat(kind: Kind, value: ExcelJS.CellValue): string | undefined {
  if (kind === 'value' && typeof value === 'number') return xlsxNumberFormat(value);
  return typeof value === 'number' || value instanceof Date ? NUMBER_FORMATS[kind] : undefined;
}

/** A data sheet: styled, frozen and filterable header row, column widths, per-cell number formats, status fills. */
function dataSheet<R>(
  book: ExcelJS.Workbook,
  lang: ReportLanguage,
  name: string,
  columns: Column<R>[],
  rows: R[],
  frozenColumns: number,
  filter = true,
): ExcelJS.Worksheet {
  const sheet = book.addWorksheet(reportText(name, lang), {
    views: [{ state: 'frozen', xSplit: frozenColumns, ySplit: 1, activeCell: 'A2' }],
  });
  sheet.columns = columns.map((c) => ({ header: reportText(c.header, lang), width: c.width }));
  const header = sheet.getRow(1);
  header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  header.fill = HEADER_FILL;
  header.alignment = { vertical: 'top', wrapText: true };
  header.height = 30;
  for (const row of rows) {
    const line = sheet.addRow(columns.map((c) => cellValue(c.kind, c.get(row), lang)));
    line.alignment = { vertical: 'top' };
    columns.forEach((c, index) => {
      const cell = line.getCell(index + 1);
      const format = numberFormat(c.kind, cell.value);
      if (format) cell.numFmt = format;
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
function countColumns<R>(counts: (row: R) => Record<IndicatorStatus, number>, lang: ReportLanguage): Column<R>[] {
  return [
    { header: 'Indicators', width: 11, kind: 'count', get: (r) => countTotal(counts(r)) },
    ...STATUS_ORDER.map((s): Column<R> => ({
      header: statusText(s, lang),
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
  { header: 'Measure', width: 12, kind: 'measure', get: (r) => r.measure },
  { header: 'Unit', width: 12, kind: 'code', get: (r) => r.unit },
  { header: 'Direction', width: 10, kind: 'direction', get: (r) => r.direction },
  { header: 'Aggregation', width: 14, kind: 'aggregation', get: (r) => r.aggregation },
  { header: 'Baseline', width: 12, kind: 'value', get: (r) => r.baseline },
  { header: 'Baseline year', width: 10, kind: 'count', get: (r) => r.baselineYear },
  { header: 'End target', width: 14, kind: 'value', get: (r) => r.endTarget },
  { header: 'Target to date', width: 14, kind: 'value', get: (r) => r.targetToDate },
  { header: 'Target due by the as-of date', width: 14, kind: 'value', get: (r) => r.targetDue?.value ?? null },
  { header: 'Target due by', width: 12, kind: 'date', get: (r) => r.targetDue?.by ?? null },
  {
    header: 'Actual this quarter (cumulative indicators)',
    width: 13,
    kind: 'value',
    // Only a cumulative (sum) number has a value of its own this quarter; a latest level never does.
    get: (r) => (r.aggregation === 'sum' && r.measure === 'number' ? r.actualThisQuarter : null),
  },
  { header: 'Latest actual', width: 13, kind: 'value', get: (r) => r.latestActual?.value ?? null },
  { header: 'Latest actual period start', width: 12, kind: 'date', get: (r) => r.latestActual?.period.start ?? null },
  { header: 'Latest actual period end', width: 12, kind: 'date', get: (r) => r.latestActual?.period.end ?? null },
  { header: 'Actual to date', width: 14, kind: 'value', get: (r) => r.actualToDate },
  { header: 'Achievement %', width: 13, kind: 'percent', get: (r) => r.achievementPercent },
  { header: 'Progress to end target %', width: 13, kind: 'percent', get: (r) => r.progressPercent },
  { header: 'Status', width: 15, kind: 'status', get: (r) => r.status },
  { header: 'Status note', width: 30, kind: 'text', get: (r) => r.statusNote },
  { header: 'Variance explanation', width: 50, kind: 'text', get: (r) => r.varianceExplanation ?? null },
];

/** Columns whose text depends on the report's language (codes joined as labels). */
const labelledListColumns = (lang: ReportLanguage): Column<ReportIndicatorRow>[] => [
  {
    header: 'Disaggregated values to date',
    width: 30,
    kind: 'text',
    get: (r) =>
      (r.disaggregations ?? [])
        .map(
          (d) =>
            `${codeLabel('dimension', d.dimension, lang)} – ${codeLabel('category', d.category, lang)}: ${
              d.numerator !== null && d.denominator !== null
                ? `${formatEntered(d.numerator, lang)}/${formatEntered(d.denominator, lang)}`
                : d.value === null
                  ? '–'
                  : formatEntered(d.value, lang)
            }`,
        )
        .join('; '),
  },
  { header: 'Flags', width: 24, kind: 'text', get: (r) => r.flags.map((f) => codeLabel('flag', f, lang)).join(', ') },
  {
    header: 'Review flags',
    width: 20,
    kind: 'text',
    get: (r) => r.reviewFlags.map((f) => codeLabel('reviewFlag', f, lang)).join(', '),
  },
];

const withParents = <P>(
  parents: Column<P & { row: ReportIndicatorRow }>[],
  lang: ReportLanguage,
): Column<P & { row: ReportIndicatorRow }>[] => [
  ...parents,
  ...[...INDICATOR_COLUMNS, ...labelledListColumns(lang)].map((c) => ({
    ...c,
    get: (r: P & { row: ReportIndicatorRow }) => c.get(r.row),
  })),
];

function summarySheet(book: ExcelJS.Workbook, content: ProjectReportContent, lang: ReportLanguage): void {
  const { scope, quarter, revision, validation } = content;
  const completeness =
    content.dataCompleteness ??
    dataCompleteness(
      reportRows(content).map((r) => r.row),
      validation.status === 'validated',
    );
  const approver =
    revision.approvedBy && revision.approvedByRole
      ? personText({ displayName: revision.approvedBy, role: revision.approvedByRole }, lang)
      : revision.approvedBy;
  const facts: [string, Cell, Kind][] = [
    ['Project code', scope.code, 'code'],
    ['Project title', scope.title, 'text'],
    ['IATI identifier', scope.iatiIdentifier, 'code'],
    ['Scope', scope.type, 'scope'],
    ['Quarter', quarter.label, 'code'],
    ['Quarter start', quarter.start, 'date'],
    ['Quarter end', quarter.end, 'date'],
    ['As-of date', content.asOfDate, 'date'],
    ['Logframe revision', revision.number, 'count'],
    ['Revision status', revision.status, 'revisionStatus'],
    ['Approved by', approver, 'text'],
    ['Approved on', revision.approvedAt, 'date'],
    ['Submitted by', personText(validation.submittedBy, lang), 'text'],
    ['Validated by', personText(validation.validatedBy, lang), 'text'],
    ['Snapshot SHA-256', revision.snapshotSha256, 'code'],
    ['Thresholds version', content.thresholds.version, 'count'],
    ['Thresholds', thresholdsText(content), 'text'],
    ['Calculation version', content.calculationVersion, 'code'],
    ['Validation status', validation.status, 'quarterStatus'],
    ['Restated', reportText(validation.restated ? 'Yes' : 'No', lang), 'text'],
    ['Reopen reason', validation.reopenReason, 'text'],
    ['Report use', reportText(content.internal ? 'INTERNAL – not for donors' : 'Donor-ready', lang), 'text'],
    ['Internal reasons', content.internalReasons.join('; '), 'text'],
    ['SDG targets', content.sdgTargets.join(', '), 'text'],
    ['Indicators', content.summary.indicators, 'count'],
    ...STATUS_ORDER.map((s): [string, Cell, Kind] => [
      `${reportText('Indicators', lang)} ${statusText(s, lang).toLowerCase()}`,
      content.summary.statusCounts[s] ?? 0,
      'count',
    ]),
    ['Indicators reported', completeness.reported, 'count'],
    ['Missing (target due, nothing reported)', completeness.missing.join(', ') || 0, 'text'],
    ['Overdue', completeness.overdue.join(', ') || 0, 'text'],
    ['No target due yet', completeness.notDueYet.join(', ') || 0, 'text'],
  ];
  const sheet = dataSheet(
    book,
    lang,
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
    sheet.getCell(index + 2, 1).value = reportText(facts[index][0], lang);
    cell.value = cellValue(kind, value, lang);
    const format = numberFormat(kind, cell.value);
    if (format) cell.numFmt = format;
    cell.alignment = { vertical: 'top', horizontal: 'left', wrapText: true };
  });
  if (content.internal)
    sheet.getCell(facts.findIndex((f) => f[0] === 'Report use') + 2, 2).font = {
      bold: true,
      color: { argb: 'FFC00000' },
    };
}

type OutputLine = { outcome: string | null; output: ReportOutputSection };

/** Options of the report renderers: the language of labels and fixed texts (default English). */
export interface RenderOptions {
  lang?: ReportLanguage;
}

/**
 * Renders a project's quarterly report as an XLSX workbook (DESIGN.md §6, issue 12): "Summary" (header
 * facts, people by display name and role, status counts, data completeness), "Narrative" (when one is
 * saved: progress summary, challenges, lessons learned, next quarter), "Outcomes" (computed status beside
 * the manager's rating and justification), "Outputs" (the output summary: indicators per status per
 * output), "Outcome indicators", "Output indicators", "Impact indicators", "Disaggregation" (one row
 * per indicator, dimension and category: values to date) and "Assumptions and risks" (with this
 * quarter's update). Sheet names, headers and every code's label come from the catalogue of `lang`.
 *
 * Every sheet has a frozen, filterable header row. Entered values are numbers formatted to show exactly
 * what was stored (`#,##0` for whole numbers, one `0` per decimal place otherwise: `#,##0.0000` for
 * 0.0061); achievement and progress are percents on a 0–100 scale with 1 dp (`#,##0.0`); dates are
 * Excel dates (`yyyy-mm-dd`). Text cells a spreadsheet would run as a formula are prefixed with `'`.
 * Pure: no database.
 *
 * @returns the .xlsx file bytes (media type {@link REPORT_XLSX_MEDIA_TYPE})
 */
export async function renderReportXlsx(content: ProjectReportContent, options: RenderOptions = {}): Promise<Buffer> {
  const lang = options.lang ?? 'en';
  const book = new ExcelJS.Workbook();
  book.creator = 'RBM Tracker';
  book.title = safeCsvText(`${content.scope.code} ${content.quarter.label}`);
  const stamp = excelDate(content.asOfDate) ?? new Date(0);
  book.created = stamp;
  book.modified = stamp;

  summarySheet(book, content, lang);
  narrativeSheet(book, content, lang);
  resultSheets(book, content, lang);
  detailSheets(book, content, lang);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The Narrative sheet (the quarterly narrative's four parts), when the report carries a narrative. */
function narrativeSheet(book: ExcelJS.Workbook, content: ProjectReportContent, lang: ReportLanguage): void {
  if (content.narrative) {
    const narrative = content.narrative;
    const labels: Record<(typeof NARRATIVE_PARTS)[number][0], string> = {
      progressSummary: 'Progress summary',
      challenges: 'Challenges',
      lessonsLearned: 'Lessons learned',
      nextQuarter: 'Next quarter',
    };
    dataSheet(
      book,
      lang,
      'Narrative',
      [
        {
          header: 'Item',
          width: 24,
          kind: 'text',
          get: (k: (typeof NARRATIVE_PARTS)[number][0]) => reportText(labels[k], lang),
        },
        { header: 'Text', width: 110, kind: 'text', get: (k) => narrative[k] },
      ],
      NARRATIVE_PARTS.map(([k]) => k),
      0,
      false,
    );
  }
}

/** The sheets of the results chain: outcomes, outputs, and the outcome, output and impact indicators. */
function resultSheets(book: ExcelJS.Workbook, content: ProjectReportContent, lang: ReportLanguage): void {
  dataSheet(
    book,
    lang,
    'Outcomes',
    [
      { header: 'Outcome code', width: 13, kind: 'code', get: (o) => o.code },
      { header: 'Statement', width: 60, kind: 'text', get: (o) => o.statement },
      { header: 'SDG targets', width: 16, kind: 'text', get: (o) => o.sdgTargets.join(', ') },
      { header: 'Computed status', width: 15, kind: 'status', get: (o) => o.computedStatus },
      { header: "Manager's rating", width: 15, kind: 'status', get: (o) => o.rating?.rating ?? null },
      { header: 'Rating justification', width: 60, kind: 'text', get: (o) => o.rating?.justification ?? null },
      ...countColumns<ProjectReportContent['outcomes'][number]>((o) => o.statusCounts, lang),
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
    lang,
    'Outputs',
    [
      { header: 'Outcome code', width: 13, kind: 'code', get: (l) => l.outcome },
      { header: 'Output code', width: 13, kind: 'code', get: (l) => l.output.code },
      { header: 'Statement', width: 60, kind: 'text', get: (l) => l.output.statement },
      ...countColumns<OutputLine>((l) => l.output.statusCounts, lang),
    ],
    outputs,
    2,
  );

  type OutcomeIndicator = { outcome: string; row: ReportIndicatorRow };
  dataSheet(
    book,
    lang,
    'Outcome indicators',
    withParents<{ outcome: string }>(
      [{ header: 'Outcome code', width: 13, kind: 'code', get: (r) => r.outcome }],
      lang,
    ),
    content.outcomes.flatMap((o) => o.indicators.map((row): OutcomeIndicator => ({ outcome: o.code, row }))),
    2,
  );

  type OutputIndicator = { outcome: string | null; output: string; row: ReportIndicatorRow };
  dataSheet(
    book,
    lang,
    'Output indicators',
    withParents<{ outcome: string | null; output: string }>(
      [
        { header: 'Outcome code', width: 13, kind: 'code', get: (r) => r.outcome },
        { header: 'Output code', width: 13, kind: 'code', get: (r) => r.output },
      ],
      lang,
    ),
    outputs.flatMap((l) =>
      l.output.indicators.map((row): OutputIndicator => ({ outcome: l.outcome, output: l.output.code, row })),
    ),
    3,
  );

  dataSheet(
    book,
    lang,
    'Impact indicators',
    withParents<object>([], lang),
    content.impactIndicators.map((row) => ({ row })),
    1,
  );
}

/** The Disaggregation and the Assumptions and risks sheets. */
function detailSheets(book: ExcelJS.Workbook, content: ProjectReportContent, lang: ReportLanguage): void {
  type Part = { row: ReportIndicatorRow; part: NonNullable<ReportIndicatorRow['disaggregations']>[number] };
  dataSheet(
    book,
    lang,
    'Disaggregation',
    [
      { header: 'Indicator code', width: 14, kind: 'code', get: (p: Part) => p.row.code },
      { header: 'Indicator', width: 48, kind: 'text', get: (p) => p.row.title },
      { header: 'Dimension', width: 16, kind: 'dimension', get: (p) => p.part.dimension },
      { header: 'Category', width: 18, kind: 'category', get: (p) => p.part.category },
      { header: 'Value', width: 12, kind: 'value', get: (p) => p.part.value },
      { header: 'Numerator', width: 12, kind: 'value', get: (p) => p.part.numerator },
      { header: 'Denominator', width: 12, kind: 'value', get: (p) => p.part.denominator },
      { header: 'Actual to date', width: 14, kind: 'value', get: (p) => p.row.actualToDate },
    ],
    reportRows(content).flatMap(({ row }) => (row.disaggregations ?? []).map((part): Part => ({ row, part }))),
    1,
  );

  type Assumption = ProjectReportContent['assumptions'][number];
  dataSheet(
    book,
    lang,
    'Assumptions and risks',
    [
      { header: 'Element', width: 12, kind: 'code', get: (a: Assumption) => a.element },
      { header: 'Kind', width: 12, kind: 'assumptionKind', get: (a) => a.kind },
      { header: 'Statement', width: 60, kind: 'text', get: (a) => a.statement },
      { header: 'Likelihood', width: 12, kind: 'likelihood', get: (a) => a.likelihood },
      { header: 'Impact', width: 12, kind: 'likelihood', get: (a) => a.impact },
      { header: 'Mitigation', width: 40, kind: 'text', get: (a) => a.mitigation },
      { header: 'Update this quarter', width: 18, kind: 'assumptionStatus', get: (a) => a.update?.status ?? null },
      { header: 'Note', width: 60, kind: 'text', get: (a) => a.update?.note ?? null },
    ],
    content.assumptions,
    1,
  );
}
