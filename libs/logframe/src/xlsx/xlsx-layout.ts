import {
  AGGREGATIONS,
  COLLECTION_FREQUENCIES,
  DIRECTIONS,
  LIKELIHOODS,
  MEASURES,
  SDG_CONTRIBUTIONS,
} from '#libs/database';

/**
 * The layout of the logframe workbook (`GET`/`PUT /projects/:id/logframe.xlsx`), shared by the
 * writer and the reader. Columns are found by their header text (row 1), so a user may reorder
 * them; every header listed here must be present on import.
 */
export const SHEET_RESULTS = 'Results chain';
export const SHEET_TARGETS = 'Period targets';
export const SHEET_README = 'Read me';
/** Sheet order, for sorting error lists. */
export const SHEETS = [SHEET_RESULTS, SHEET_TARGETS, SHEET_README] as const;

/** Read me labels (column A) whose value sits in column B. */
export const README_VERSION = 'Logframe version';
export const README_PROJECT_ID = 'Project id';

/** Row kinds of the Results chain sheet, as written in its Level column. */
export const LEVELS = {
  project: 'Project',
  outcome: 'Outcome',
  output: 'Output',
  activity: 'Activity',
  outcomeIndicator: 'Outcome indicator',
  outputIndicator: 'Output indicator',
  impactIndicator: 'Impact indicator',
  assumption: 'Assumption',
  risk: 'Risk',
} as const;
export type Level = keyof typeof LEVELS;
export const INDICATOR_LEVELS: readonly Level[] = ['outcomeIndicator', 'outputIndicator', 'impactIndicator'];

/** How a cell is read: free text, a code, a number (decimal), a whole number, a date, one value of a list, or a structured text. */
export type CellKind =
  'text' | 'code' | 'number' | 'integer' | 'date' | 'enum' | 'list' | 'sdgTargets' | 'rationales' | 'labels' | 'level';

export interface ColumnSpec {
  /** Internal key. */
  key: string;
  /** Header text in row 1 (matched case-insensitively on import). */
  header: string;
  width: number;
  kind: CellKind;
  /** The allowed values of an `enum` cell (also the sheet's drop-down list). */
  values?: readonly string[];
  /** Row levels on which the cell may be filled; elsewhere it must stay empty. */
  levels: readonly Level[];
  /**
   * Where the value goes in the JSON document, relative to the row's element (e.g. `baseline.value`);
   * per level when it differs. Used to map validation errors back to the cell.
   */
  field?: string | Partial<Record<Level, string>>;
  hidden?: boolean;
  /** Input hint shown by Excel when the cell is selected. */
  prompt?: string;
}

const INDICATORS = INDICATOR_LEVELS;
const ELEMENTS_WITH_LINKS: readonly Level[] = ['project', 'outcome', 'output'];
const ASSUMPTIONS: readonly Level[] = ['assumption', 'risk'];
const ALL = Object.keys(LEVELS) as Level[];

/** Columns of the Results chain sheet, in the order they are written. */
export const RESULT_COLUMNS: readonly ColumnSpec[] = [
  { key: 'level', header: 'Level', width: 17, kind: 'level', levels: ALL, field: { assumption: 'kind', risk: 'kind' } },
  {
    key: 'code',
    header: 'Code',
    width: 11,
    kind: 'code',
    levels: ['project', 'outcome', 'output', 'activity', ...INDICATORS],
    field: 'code',
  },
  {
    key: 'parent',
    header: 'Parent code',
    width: 11,
    kind: 'code',
    levels: ['output', 'activity', 'outcomeIndicator', 'outputIndicator', ...ASSUMPTIONS],
  },
  {
    key: 'statement',
    header: 'Statement / title',
    width: 50,
    kind: 'text',
    levels: ALL,
    field: {
      outcome: 'statement',
      output: 'statement',
      activity: 'description',
      outcomeIndicator: 'title',
      outputIndicator: 'title',
      impactIndicator: 'title',
      assumption: 'statement',
      risk: 'statement',
    },
  },
  { key: 'definition', header: 'Definition', width: 30, kind: 'text', levels: INDICATORS, field: 'definition' },
  {
    key: 'measure',
    header: 'Measure',
    width: 12,
    kind: 'enum',
    values: MEASURES,
    levels: INDICATORS,
    field: 'measure',
  },
  { key: 'unit', header: 'Unit', width: 12, kind: 'text', levels: INDICATORS, field: 'unit' },
  {
    key: 'direction',
    header: 'Direction',
    width: 10,
    kind: 'enum',
    values: DIRECTIONS,
    levels: INDICATORS,
    field: 'direction',
  },
  {
    key: 'aggregation',
    header: 'Aggregation',
    width: 12,
    kind: 'enum',
    values: AGGREGATIONS,
    levels: INDICATORS,
    field: 'aggregation',
  },
  {
    key: 'scaleMin',
    header: 'Scale min',
    width: 9,
    kind: 'number',
    levels: INDICATORS,
    field: 'ordinalScale.min',
    prompt: 'Ordinal indicators only: the lowest point of the scale',
  },
  {
    key: 'scaleMax',
    header: 'Scale max',
    width: 9,
    kind: 'number',
    levels: INDICATORS,
    field: 'ordinalScale.max',
    prompt: 'Ordinal indicators only: the highest point of the scale',
  },
  {
    key: 'scaleLabels',
    header: 'Scale labels',
    width: 18,
    kind: 'labels',
    levels: INDICATORS,
    field: 'ordinalScale.labels',
    prompt: 'One per line: 1 = none',
  },
  {
    key: 'baselineValue',
    header: 'Baseline value',
    width: 10,
    kind: 'number',
    levels: INDICATORS,
    field: 'baseline.value',
    prompt: 'In the indicator unit; percentages 0–100',
  },
  {
    key: 'baselineNumerator',
    header: 'Baseline numerator',
    width: 11,
    kind: 'number',
    levels: INDICATORS,
    field: 'baseline.numerator',
  },
  {
    key: 'baselineDenominator',
    header: 'Baseline denominator',
    width: 12,
    kind: 'number',
    levels: INDICATORS,
    field: 'baseline.denominator',
  },
  {
    key: 'baselineYear',
    header: 'Baseline year',
    width: 9,
    kind: 'integer',
    levels: INDICATORS,
    field: 'baseline.year',
  },
  { key: 'baselineDate', header: 'Baseline date', width: 12, kind: 'date', levels: INDICATORS, field: 'baseline.date' },
  {
    key: 'baselineComment',
    header: 'Baseline comment',
    width: 24,
    kind: 'text',
    levels: INDICATORS,
    field: 'baseline.comment',
  },
  {
    key: 'baselineNotAvailable',
    header: 'Baseline not available: reason',
    width: 20,
    kind: 'text',
    levels: INDICATORS,
    field: 'baseline.notAvailableReason',
  },
  {
    key: 'baselineDueDate',
    header: 'Baseline due date',
    width: 12,
    kind: 'date',
    levels: INDICATORS,
    field: 'baseline.dueDate',
  },
  {
    key: 'endTargetValue',
    header: 'End target',
    width: 10,
    kind: 'number',
    levels: INDICATORS,
    field: 'endTarget.value',
    prompt: 'In the indicator unit; percentages 0–100',
  },
  {
    key: 'endTargetNumerator',
    header: 'End target numerator',
    width: 11,
    kind: 'number',
    levels: INDICATORS,
    field: 'endTarget.numerator',
  },
  {
    key: 'endTargetDenominator',
    header: 'End target denominator',
    width: 12,
    kind: 'number',
    levels: INDICATORS,
    field: 'endTarget.denominator',
  },
  {
    key: 'endTargetDescription',
    header: 'End target description',
    width: 24,
    kind: 'text',
    levels: INDICATORS,
    field: 'endTarget.description',
  },
  {
    key: 'meansOfVerification',
    header: 'Means of verification',
    width: 28,
    kind: 'text',
    levels: INDICATORS,
    field: 'meansOfVerification',
  },
  { key: 'dataSource', header: 'Data source', width: 20, kind: 'text', levels: INDICATORS, field: 'dataSource' },
  {
    key: 'collectionFrequency',
    header: 'Collection frequency',
    width: 15,
    kind: 'enum',
    values: COLLECTION_FREQUENCIES,
    levels: INDICATORS,
    field: 'collectionFrequency',
  },
  {
    key: 'disaggregations',
    header: 'Required disaggregations',
    width: 16,
    kind: 'list',
    levels: INDICATORS,
    field: 'requiredDisaggregations',
    prompt: 'Comma-separated, e.g. sex, age',
  },
  {
    key: 'sdgIndicator',
    header: 'SDG indicator',
    width: 10,
    kind: 'code',
    levels: INDICATORS,
    field: 'sdgIndicatorCode',
  },
  {
    key: 'sdgTargets',
    header: 'SDG targets',
    width: 24,
    kind: 'sdgTargets',
    levels: ELEMENTS_WITH_LINKS,
    field: 'sdgLinks',
    prompt: 'Target and contribution (primary or secondary), separated by ;  e.g. 16.4 primary; 5.2 secondary',
  },
  {
    key: 'sdgRationales',
    header: 'SDG rationales',
    width: 36,
    kind: 'rationales',
    levels: ELEMENTS_WITH_LINKS,
    field: 'sdgLinks',
    prompt: 'One line per target: 16.4: why the project serves it',
  },
  {
    key: 'likelihood',
    header: 'Likelihood',
    width: 10,
    kind: 'enum',
    values: LIKELIHOODS,
    levels: ASSUMPTIONS,
    field: 'likelihood',
  },
  {
    key: 'impact',
    header: 'Impact',
    width: 10,
    kind: 'enum',
    values: LIKELIHOODS,
    levels: ASSUMPTIONS,
    field: 'impact',
  },
  { key: 'mitigation', header: 'Mitigation', width: 24, kind: 'text', levels: ASSUMPTIONS, field: 'mitigation' },
  { key: 'startDate', header: 'Start date', width: 12, kind: 'date', levels: ['activity'], field: 'startDate' },
  { key: 'endDate', header: 'End date', width: 12, kind: 'date', levels: ['activity'], field: 'endDate' },
  {
    key: 'standardIndicator',
    header: 'Standard indicator id',
    width: 20,
    kind: 'code',
    levels: INDICATORS,
    field: 'standardIndicatorId',
  },
  {
    key: 'id',
    header: 'Id',
    width: 38,
    kind: 'code',
    levels: ['outcome', 'output', 'activity', ...INDICATORS, ...ASSUMPTIONS],
    field: 'id',
    hidden: true,
  },
];

/** Columns of the Period targets sheet. */
export const TARGET_COLUMNS: readonly ColumnSpec[] = [
  { key: 'indicator', header: 'Indicator code', width: 14, kind: 'code', levels: ALL },
  { key: 'periodStart', header: 'Period start', width: 12, kind: 'date', levels: ALL, field: 'periodStart' },
  { key: 'periodEnd', header: 'Period end', width: 12, kind: 'date', levels: ALL, field: 'periodEnd' },
  {
    key: 'value',
    header: 'Value',
    width: 10,
    kind: 'number',
    levels: ALL,
    field: 'value',
    prompt: 'In the indicator unit; percentages 0–100',
  },
  { key: 'numerator', header: 'Numerator', width: 11, kind: 'number', levels: ALL, field: 'numerator' },
  { key: 'denominator', header: 'Denominator', width: 12, kind: 'number', levels: ALL, field: 'denominator' },
  { key: 'description', header: 'Description', width: 40, kind: 'text', levels: ALL, field: 'description' },
];

export const CONTRIBUTIONS = SDG_CONTRIBUTIONS;

/** Spreadsheet column letter of a 1-based column number (1 → A, 27 → AA). */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** The level's key from what a user wrote (`Outcome indicator`, `outcome-indicator`, `RISK` ...), or null. */
export function levelOf(text: string): Level | null {
  const norm = text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
  return (Object.entries(LEVELS) as [Level, string][]).find(([, label]) => label.toLowerCase() === norm)?.[0] ?? null;
}
