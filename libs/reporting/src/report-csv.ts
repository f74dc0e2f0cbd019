import { stringify } from 'csv-stringify/sync';
import type { PortfolioReportContent } from './portfolio-report.js';
import { plainDecimal } from '#libs/calculations';
import { type ProjectReportContent, type ReportDisaggregatedValue, reportRows } from './project-report.js';

/** Column headers of the report CSV, one row per indicator. */
export const REPORT_CSV_COLUMNS = [
  'project_code',
  'quarter',
  'as_of_date',
  'section',
  'outcome_code',
  'output_code',
  'indicator_code',
  'indicator',
  'measure',
  'unit',
  'aggregation',
  'baseline',
  'end_target',
  'target_to_date',
  'actual_this_quarter',
  'latest_actual',
  'latest_actual_period_start',
  'latest_actual_period_end',
  'actual_to_date',
  'achievement_percent',
  'progress_percent',
  'status',
  'flags',
  'internal',
  'outcome_rating',
  'rating_justification',
  'variance_explanation',
  'disaggregation',
  'item',
  'text',
] as const;

/** The parts of a quarterly narrative, in report order, with their CSV `item` names. */
export const NARRATIVE_PARTS = [
  ['progressSummary', 'progress_summary'],
  ['challenges', 'challenges'],
  ['lessonsLearned', 'lessons_learned'],
  ['nextQuarter', 'next_quarter'],
] as const;

/**
 * Disaggregated values as one text cell: `sex: female 12; male 10 | age: 15-24 7` (entered values exact;
 * percentage parts as numerator/denominator).
 */
export function disaggregationText(parts: ReportDisaggregatedValue[] | undefined): string {
  if (!parts?.length) return '';
  const byDimension = new Map<string, string[]>();
  for (const p of parts) {
    const value =
      p.numerator !== null && p.denominator !== null
        ? `${plainDecimal(p.numerator)}/${plainDecimal(p.denominator)}`
        : p.value === null
          ? ''
          : plainDecimal(p.value);
    byDimension.set(p.dimension, [...(byDimension.get(p.dimension) ?? []), `${p.category} ${value}`.trim()]);
  }
  return [...byDimension.entries()].map(([d, values]) => `${d}: ${values.join('; ')}`).join(' | ');
}

/**
 * Neutralises text that a spreadsheet would run as a formula (starts with = + - @, tab or CR) by
 * prefixing a single quote (OWASP CSV injection guidance). Numbers are written as numbers.
 */
export function safeCsvText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Renders a multi-project report as CSV: the rows of every included project, each naming its project,
 * then one `roll-up` row per standard indicator combined across projects (`project_code` lists the
 * contributing projects, `indicator_code` is the standard indicator's code, `baseline` the combined
 * baseline, `flags` the reason when not combined).
 */
export function renderPortfolioCsv(content: PortfolioReportContent): string {
  const included = content.projects.filter((p) => p.report);
  const projectRows = included.map((p, i) =>
    i === 0 ? renderReportCsv(p.report!) : renderReportCsv(p.report!).split('\n').slice(1).join('\n'),
  );
  const value = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'number' ? plainDecimal(v) : safeCsvText(String(v));
  const rollUps = content.rollUps
    .filter((r) => r.standardIndicator)
    .map((r) => {
      const record: Record<(typeof REPORT_CSV_COLUMNS)[number], string> = Object.fromEntries(
        REPORT_CSV_COLUMNS.map((c) => [c, '']),
      ) as Record<(typeof REPORT_CSV_COLUMNS)[number], string>;
      Object.assign(record, {
        project_code: value(r.projects.map((p) => p.projectCode).join(' ')),
        quarter: content.quarter.label,
        as_of_date: content.asOfDate,
        section: 'roll-up',
        indicator_code: value(r.standardIndicator!.code),
        indicator: value(r.standardIndicator!.title),
        measure: r.measure,
        unit: value(r.measure === 'percentage' ? '%' : r.unit),
        baseline: value(r.combinedBaseline),
        target_to_date: value(r.combinedTargetToDate),
        actual_to_date: value(r.combinedActualToDate),
        achievement_percent: value(r.combinedAchievementPercent),
        status: r.combinedStatus ?? '',
        flags: r.notCombinedCode ?? '',
        internal: content.internal ? 'yes' : 'no',
      });
      return REPORT_CSV_COLUMNS.map((c) => record[c]);
    });
  const rollUpCsv = stringify(rollUps, { header: included.length === 0, columns: [...REPORT_CSV_COLUMNS] });
  if (included.length === 0 && rollUps.length === 0)
    return stringify([], { header: true, columns: [...REPORT_CSV_COLUMNS] });
  return projectRows.join('') + rollUpCsv;
}

/**
 * Renders a project report as CSV (RFC 4180, UTF-8, header row); percents 0–100 with 1 dp; entered
 * values exact. Rows, in order: the quarter's narrative (`section` narrative, `item` progress_summary,
 * challenges, lessons_learned, next_quarter, `text` the text; only parts written), one row per indicator
 * (outcome indicator rows carry their outcome's rating and justification; every row its explanation of
 * variance and its disaggregated values to date in `disaggregation`), then one row per assumption or
 * risk (`section` assumption or risk, `outcome_code`/`output_code` the element, `item` the statement,
 * `status` this quarter's update, `text` its note). `actual_this_quarter` is filled only for cumulative
 * (`sum`) number indicators, whose quarter has its own value; a `latest` level is never "this quarter".
 * The byte-order mark is added when the file is downloaded (`?bom=0` omits it).
 */
export function renderReportCsv(content: ProjectReportContent): string {
  const value = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'number' ? plainDecimal(v) : safeCsvText(String(v));
  const ratings = new Map(content.outcomes.map((o) => [o.code, o.rating]));
  type Cells = Partial<Record<(typeof REPORT_CSV_COLUMNS)[number], string>>;
  // The cells every row shares, built once; a row is its own cells over these (no 30-cell copy per row).
  const shared: Cells = {
    project_code: value(content.scope.code),
    quarter: content.quarter.label,
    as_of_date: content.asOfDate,
    internal: content.internal ? 'yes' : 'no',
  };
  const line = (own: Cells): (string | undefined)[] =>
    REPORT_CSV_COLUMNS.map((c) => (c in own ? own[c] : (shared[c] ?? '')));
  const narrative = content.narrative
    ? NARRATIVE_PARTS.filter(([key]) => content.narrative![key]).map(([key, item]): Cells => ({
        section: 'narrative',
        item,
        text: value(content.narrative![key]),
      }))
    : [];
  const indicators = reportRows(content).map(({ section, outcome, output, row }): Cells => ({
    section,
    outcome_code: value(outcome),
    output_code: value(output),
    indicator_code: value(row.code),
    indicator: value(row.title),
    measure: row.measure,
    unit: value(row.unit),
    aggregation: row.aggregation,
    baseline: value(row.baseline),
    end_target: value(row.endTarget),
    target_to_date: value(row.targetToDate),
    actual_this_quarter: row.aggregation === 'sum' && row.measure === 'number' ? value(row.actualThisQuarter) : '',
    latest_actual: value(row.latestActual?.value),
    latest_actual_period_start: value(row.latestActual?.period.start),
    latest_actual_period_end: value(row.latestActual?.period.end),
    actual_to_date: value(row.actualToDate),
    achievement_percent: value(row.achievementPercent),
    progress_percent: value(row.progressPercent),
    status: row.status,
    flags: row.flags.join(' '),
    outcome_rating: section === 'outcome' ? value(ratings.get(outcome ?? '')?.rating) : '',
    rating_justification: section === 'outcome' ? value(ratings.get(outcome ?? '')?.justification) : '',
    variance_explanation: value(row.varianceExplanation),
    disaggregation: safeCsvText(disaggregationText(row.disaggregations)),
  }));
  const outputCodes = new Set([
    ...content.outcomes.flatMap((o) => o.outputs.map((p) => p.code)),
    ...content.unlinkedOutputs.map((p) => p.code),
  ]);
  const outcomeOf = new Map(content.outcomes.flatMap((o) => o.outputs.map((p) => [p.code, o.code] as const)));
  const risks = content.assumptions.map((a): Cells => ({
    section: a.kind,
    outcome_code:
      a.element === 'project' ? '' : outputCodes.has(a.element) ? value(outcomeOf.get(a.element)) : value(a.element),
    output_code: outputCodes.has(a.element) ? value(a.element) : '',
    item: value(a.statement),
    status: value(a.update?.status),
    text: value(a.update?.note),
  }));
  return stringify([...narrative, ...indicators, ...risks].map(line), {
    header: true,
    columns: [...REPORT_CSV_COLUMNS],
  });
}
