import { stringify } from 'csv-stringify/sync';
import type { PortfolioReportContent } from './portfolio-report.js';
import { type ProjectReportContent, reportRows } from './project-report.js';

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
] as const;

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
    v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : safeCsvText(String(v));
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

/** Renders a project report as CSV (RFC 4180, UTF-8, header row); percents 0–100 with 1 dp. */
export function renderReportCsv(content: ProjectReportContent): string {
  const value = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : safeCsvText(String(v));
  const records = reportRows(content).map(({ section, outcome, output, row }) => [
    value(content.scope.code),
    content.quarter.label,
    content.asOfDate,
    section,
    value(outcome),
    value(output),
    value(row.code),
    value(row.title),
    row.measure,
    value(row.unit),
    row.aggregation,
    value(row.baseline),
    value(row.endTarget),
    value(row.targetToDate),
    value(row.actualThisQuarter),
    value(row.latestActual?.value),
    value(row.latestActual?.period.start),
    value(row.latestActual?.period.end),
    value(row.actualToDate),
    value(row.achievementPercent),
    value(row.progressPercent),
    row.status,
    row.flags.join(' '),
    content.internal ? 'yes' : 'no',
  ]);
  return stringify(records, { header: true, columns: [...REPORT_CSV_COLUMNS] });
}
