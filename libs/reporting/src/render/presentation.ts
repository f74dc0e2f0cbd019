import { formatEntered, INDICATOR_STATUSES, type IndicatorStatus } from '#libs/calculations';
import {
  codeLabel,
  indicatorValueText,
  MONTH_NAMES,
  percentText,
  personText,
  reportPhrase,
  type ReportLanguage,
  statusText,
} from '../labels.js';
import type { ProjectReportContent, ReportIndicatorRow } from '../project-report.js';

/**
 * Presentation rules shared by the XLSX and PDF renderers: status labels and colours, number,
 * percent and date formatting. Pure functions of the report content; no time zone is involved
 * (calendar dates stay `YYYY-MM-DD` strings until shown).
 */

/** The statuses in report order: best to worst, then the two without an assessment. */
export const STATUS_ORDER: readonly IndicatorStatus[] = [
  'exceeded',
  'on_track',
  'at_risk',
  'off_track',
  'no_data',
  'not_assessable',
];

/** Human label of each indicator status. */
export const STATUS_LABELS: Readonly<Record<IndicatorStatus, string>> = {
  exceeded: 'Exceeded',
  on_track: 'On track',
  at_risk: 'At risk',
  off_track: 'Off track',
  no_data: 'No data',
  not_assessable: 'Not assessable',
};

/**
 * Colour of each status as `#RRGGBB`: exceeded dark green, on_track light green, at_risk amber,
 * off_track red, no_data dark grey, not_assessable light grey. Text on each colour is
 * {@link STATUS_TEXT_COLOURS}: the pairs meet WCAG AA contrast (4.5:1, `contrast.spec.ts`).
 */
export const STATUS_COLOURS: Readonly<Record<IndicatorStatus, string>> = {
  exceeded: '#1B5E20',
  on_track: '#66BB6A',
  at_risk: '#FFB300',
  off_track: '#C62828',
  no_data: '#6E6E6E',
  not_assessable: '#D9D9D9',
};

/** Whether dark text (`#222222`) is written on a status colour (else white). */
export const STATUS_DARK_TEXT: Readonly<Record<IndicatorStatus, boolean>> = {
  exceeded: false,
  on_track: true,
  at_risk: true,
  off_track: false,
  no_data: false,
  not_assessable: true,
};

/** The text colour written on each status colour (chips, labels inside bars). */
export const STATUS_TEXT_COLOURS: Readonly<Record<IndicatorStatus, string>> = Object.fromEntries(
  INDICATOR_STATUSES.map((s) => [s, STATUS_DARK_TEXT[s] ? '#222222' : '#FFFFFF']),
) as Record<IndicatorStatus, string>;

const isStatus = (value: string): value is IndicatorStatus => (INDICATOR_STATUSES as readonly string[]).includes(value);

/**
 * Label of a status, of a manager's rating or of a quarter's validation status in the report's language
 * (`on_track` → `On track`, `En bonne voie`); unknown codes are humanised.
 */
export function statusLabel(value: string, lang: ReportLanguage = 'en'): string {
  if (isStatus(value)) return statusText(value, lang);
  return codeLabel('quarterStatus', value, lang);
}

/**
 * An entered number exactly as stored, with thousands separators (`13594502` → `13,594,502`,
 * `0.0061` → `0.0061`): the one presentation rule (`formatEntered`, libs/calculations).
 */
export function formatNumber(value: number, lang: ReportLanguage = 'en'): string {
  return formatEntered(value, lang);
}

/** A computed percent on a 0–100 scale with 1 decimal (`104.6` → `104.6 %`, a no-break space before `%`); null → `–`. */
export function formatPercent(value: number | null, lang: ReportLanguage = 'en'): string {
  return percentText(value, lang);
}

/**
 * An indicator value for reading: entered numbers exactly (with `%` for percentage indicators),
 * qualitative text as is, null as `–`. `withUnit` appends the unit of a number indicator (ordinal
 * scores stay bare). Units and `%` follow a no-break space so they never wrap alone.
 */
export function formatValue(
  value: number | string | null | undefined,
  row: Pick<ReportIndicatorRow, 'measure' | 'unit'>,
  withUnit = false,
  lang: ReportLanguage = 'en',
): string {
  return indicatorValueText(value, row, lang, withUnit);
}

/**
 * A calendar date `YYYY-MM-DD` (or an ISO instant, read as its UTC date) as `30 June 2025` (`30 juin 2025`);
 * other text unchanged.
 */
export function formatDate(value: string, lang: ReportLanguage = 'en'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return value;
  const month = MONTH_NAMES[lang][Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : value;
}

/** A period as `1 April 2025 – 30 June 2025`. */
export function formatPeriod(period: { start: string; end: string }, lang: ReportLanguage = 'en'): string {
  return `${formatDate(period.start, lang)} – ${formatDate(period.end, lang)}`;
}

/** The thresholds in words: `version 1 (at risk from 50 %, on track from 85 %, exceeded above 115 %)`. */
export function thresholdsText(content: ProjectReportContent, lang: ReportLanguage = 'en'): string {
  const t = content.thresholds;
  return reportPhrase(
    'version {n} (at risk from {atRisk} %, on track from {onTrack} %, exceeded above {exceeded} %)',
    { n: t.version, atRisk: t.atRiskFrom, onTrack: t.onTrackFrom, exceeded: t.exceededAbove },
    lang,
  );
}

/** The revision line: `3 (approved) by Amina Diallo (RBM focal point) on 2 May 2025`. */
export function revisionText(content: ProjectReportContent, lang: ReportLanguage = 'en'): string {
  const r = content.revision;
  const approver =
    r.approvedBy && r.approvedByRole
      ? personText({ displayName: r.approvedBy, role: r.approvedByRole }, lang)
      : r.approvedBy;
  return reportPhrase(
    '{number} ({status}){by}{on}',
    {
      number: r.number,
      status: codeLabel('revisionStatus', r.status, lang).toLowerCase(),
      by: approver ? reportPhrase(' by {person}', { person: approver }, lang) : '',
      on: r.approvedAt ? reportPhrase(' on {date}', { date: formatDate(r.approvedAt, lang) }, lang) : '',
    },
    lang,
  );
}

/** The validation line: `validated`, or `validated, restated (reopened: reason)`. */
export function validationText(content: ProjectReportContent, lang: ReportLanguage = 'en'): string {
  const v = content.validation;
  const status = statusLabel(v.status, lang);
  if (!v.restated) return status;
  return v.reopenReason
    ? reportPhrase('{status}, restated (reopened: {reason})', { status, reason: v.reopenReason }, lang)
    : reportPhrase('{status}, restated (reopened after validation)', { status }, lang);
}

/** Whether an indicator row has numeric values to chart (number, percentage and ordinal measures). */
export function isQuantitative(row: ReportIndicatorRow): boolean {
  if (row.measure === 'qualitative') return false;
  return [row.actualToDate, row.targetToDate, row.endTarget].some((v) => typeof v === 'number');
}

/** Total indicators in a status count. */
export function countTotal(counts: Record<IndicatorStatus, number>): number {
  return STATUS_ORDER.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
}
