import { compareDecimals } from './iati-number.js';
import type { ImportIssueCode, ImportIssueSeverity, IndicatorMeasure } from './iati-parse.types.js';

/** A note produced by an inference rule; the caller adds the element path. */
export interface InferenceNote {
  severity: ImportIssueSeverity;
  code: ImportIssueCode;
  message: string;
}

/** `@measure` as read: a code (1–5), a codelist name used instead of a code, absent, or unknown. */
export interface MeasureAttribute {
  code: number | null;
  raw: string | null;
  form: 'code' | 'name' | 'missing' | 'unknown';
}

const MEASURE_NAMES: Readonly<Record<string, number>> = {
  unit: 1,
  percentage: 2,
  nominal: 3,
  ordinal: 4,
  qualitative: 5,
};

/** Reads IndicatorMeasure `@measure`: `'1'`..`'5'`, or a codelist name such as `'Unit'`. */
export function readMeasureAttribute(raw: string | null): MeasureAttribute {
  if (raw === null) return { code: null, raw, form: 'missing' };
  if (/^[1-5]$/.test(raw)) return { code: Number(raw), raw, form: 'code' };
  const byName = MEASURE_NAMES[raw.toLowerCase()];
  if (byName !== undefined) return { code: byName, raw, form: 'name' };
  return { code: null, raw, form: 'unknown' };
}

/** What the values of an indicator look like, for measure inference. */
export interface ValueEvidence {
  /** values that parsed as numbers (incl. year-prefixed ones whose figure is a number) */
  numeric: number;
  /** values that parsed and ended with `%` */
  percent: number;
  /** non-empty values that are text, not numbers (placeholders such as `:` are not counted) */
  textual: string[];
}

const MEASURE_OF_CODE: Readonly<Record<number, IndicatorMeasure>> = {
  1: 'number',
  2: 'percentage',
  4: 'ordinal',
  5: 'qualitative',
};

function quoteExamples(values: readonly string[]): string {
  const shown = values.slice(0, 3).map((v) => `"${shorten(v, 60)}"`);
  return shown.join(', ') + (values.length > 3 ? ` and ${values.length - 3} more` : '');
}

/** Shortens long narrative for messages. */
export function shorten(s: string, max = 120): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/**
 * Decides the logframe measure. 1 → number, 2 → percentage, 4 → ordinal, 5 → qualitative.
 * 3 (nominal) → number when every non-empty value is a number (publishers use it for amounts),
 * else qualitative. Absent or unknown `@measure` → percentage when all values are numbers and
 * some end with `%`, number when all are numbers (or there are none), else qualitative.
 * Every decision not read straight from a code comes with a note.
 */
export function decideMeasure(
  attr: MeasureAttribute,
  evidence: ValueEvidence,
): { measure: IndicatorMeasure; notes: InferenceNote[] } {
  const notes: InferenceNote[] = [];
  const allNumeric = evidence.textual.length === 0;
  if (attr.form === 'name') {
    notes.push({
      severity: 'info',
      code: 'measure_name_used',
      message: `The measure is written as "${attr.raw}" instead of its IATI code; it was read as code ${attr.code}.`,
    });
  }
  if (attr.code !== null && attr.code !== 3) return { measure: MEASURE_OF_CODE[attr.code], notes };

  if (attr.code === 3) {
    if (allNumeric) {
      notes.push({
        severity: 'info',
        code: 'nominal_as_number',
        message:
          'The indicator is marked "nominal" (IATI measure 3), but all its values are figures, so it was imported as a number indicator.',
      });
      return { measure: 'number', notes };
    }
    notes.push({
      severity: 'warning',
      code: 'nominal_as_qualitative',
      message: `The indicator is marked "nominal" (IATI measure 3) and some values are text (${quoteExamples(evidence.textual)}), so it was imported as a qualitative indicator.`,
    });
    return { measure: 'qualitative', notes };
  }

  let measure: IndicatorMeasure;
  let why: string;
  if (!allNumeric) {
    measure = 'qualitative';
    why = `some values are text (${quoteExamples(evidence.textual)}), so it was imported as a qualitative indicator`;
  } else if (evidence.numeric > 0 && evidence.percent > 0) {
    measure = 'percentage';
    why = 'its values are figures written with "%", so it was imported as a percentage indicator';
  } else if (evidence.numeric > 0) {
    measure = 'number';
    why = 'its values are figures, so it was imported as a number indicator';
  } else {
    measure = 'number';
    why = 'it has no values to judge from, so it was imported as a number indicator';
  }
  notes.push({
    severity: 'warning',
    code: attr.form === 'missing' ? 'measure_missing' : 'measure_unknown',
    message:
      attr.form === 'missing'
        ? `The indicator does not say what it measures (no @measure); ${why}. Check the measure.`
        : `The measure "${attr.raw}" is not an IATI measure code; ${why}. Check the measure.`,
  });
  return { measure, notes };
}

/** One period's figures in time order, for direction and aggregation inference. */
export interface SeriesPoint {
  periodStart: string;
  periodEnd: string;
  target: string | null;
  actual: string | null;
}

/** Sorts periods by end date, then start date (ISO dates sort as strings); stable. */
export function inTimeOrder<T extends { periodStart: string; periodEnd: string }>(points: readonly T[]): T[] {
  return [...points].sort((a, b) =>
    a.periodEnd === b.periodEnd ? a.periodStart.localeCompare(b.periodStart) : a.periodEnd.localeCompare(b.periodEnd),
  );
}

/**
 * Decides the direction of change. `@ascending` is not trusted blindly: when baseline and targets
 * show a direction (last target vs baseline, else last vs first target) that direction wins and a
 * disagreement is flagged; with no such evidence `@ascending` is used, except that a publisher
 * that marks every indicator `ascending="0"` (`blanketDescending`) is taken to mean nothing by it
 * and `increase` (the IATI default) is assumed, flagged.
 */
export function decideDirection(input: {
  ascending: boolean | null;
  ascendingInvalid: boolean;
  measure: IndicatorMeasure;
  baseline: string | null;
  series: readonly SeriesPoint[];
  blanketDescending: boolean;
}): { direction: 'increase' | 'decrease'; inferred: boolean; notes: InferenceNote[] } {
  const { ascending, measure, baseline, blanketDescending } = input;
  const targets = inTimeOrder(input.series).filter((p) => p.target !== null);
  let evidence: 'increase' | 'decrease' | null = null;
  let evidenceText = '';
  if (measure !== 'qualitative' && targets.length > 0) {
    const last = targets[targets.length - 1].target as string;
    if (baseline !== null && compareDecimals(last, baseline) !== 0) {
      evidence = compareDecimals(last, baseline) > 0 ? 'increase' : 'decrease';
      evidenceText = `the last target (${last}) is ${evidence === 'increase' ? 'above' : 'below'} the baseline (${baseline})`;
    } else if (targets.length >= 2 && compareDecimals(last, targets[0].target as string) !== 0) {
      const first = targets[0].target as string;
      evidence = compareDecimals(last, first) > 0 ? 'increase' : 'decrease';
      evidenceText = `the targets ${evidence === 'increase' ? 'rise' : 'fall'} from ${first} to ${last}`;
    }
  }
  const declared = ascending === null ? null : ascending ? 'increase' : 'decrease';
  const notes: InferenceNote[] = [];
  const said = ascending === null ? '' : ascending ? 'ascending (higher is better)' : 'not ascending (lower is better)';

  if (evidence !== null) {
    if (declared === evidence) return { direction: evidence, inferred: false, notes };
    if (declared === null) {
      if (!input.ascendingInvalid) {
        notes.push({
          severity: 'info',
          code: 'ascending_missing',
          message: `The file does not say whether higher values are better; "${evidence}" was inferred because ${evidenceText}.`,
        });
      }
    } else {
      notes.push({
        severity: 'warning',
        code: 'ascending_untrusted',
        message: `The file marks this indicator as ${said}, but ${evidenceText}, so "${evidence}" was used. Check the direction.`,
      });
    }
    return { direction: evidence, inferred: true, notes };
  }

  if (declared === null) {
    if (!input.ascendingInvalid) {
      notes.push({
        severity: 'info',
        code: 'ascending_missing',
        message:
          'The file does not say whether higher values are better and the targets do not show it; "increase" (the IATI default) was assumed.',
      });
    }
    return { direction: 'increase', inferred: true, notes };
  }
  if (declared === 'increase') return { direction: 'increase', inferred: false, notes };
  if (blanketDescending) {
    notes.push({
      severity: 'warning',
      code: 'ascending_untrusted',
      message:
        'The publisher marks every indicator as not ascending (ascending="0"), which is unlikely to be meant, and the baseline and targets cannot confirm it; "increase" was assumed. Check the direction.',
    });
    return { direction: 'increase', inferred: true, notes };
  }
  notes.push({
    severity: 'info',
    code: 'ascending_untrusted',
    message:
      'The file marks this indicator as not ascending (lower is better); the baseline and targets cannot confirm it, so "decrease" was kept. Check the direction.',
  });
  return { direction: 'decrease', inferred: false, notes };
}

function nonDecreasing(values: readonly string[]): boolean {
  for (let i = 1; i < values.length; i++) if (compareDecimals(values[i], values[i - 1]) < 0) return false;
  return true;
}

/**
 * Decides how period values combine: percentages, ordinal and qualitative measures and
 * decreasing indicators → `latest`. Otherwise running totals (targets and actuals, each with at
 * least two figures, never going down from one period to the next) → `latest`; anything else →
 * `sum`. IATI has no flag for this, so a note is always returned.
 */
export function decideAggregation(input: {
  measure: IndicatorMeasure;
  direction: 'increase' | 'decrease';
  series: readonly SeriesPoint[];
}): { aggregation: 'sum' | 'latest'; note: InferenceNote } {
  const { measure, direction } = input;
  const why = (reason: string, aggregation: 'sum' | 'latest', severity: ImportIssueSeverity) => ({
    aggregation,
    note: {
      severity,
      code: 'aggregation_inferred' as const,
      message: `IATI does not say how period values combine; ${reason}.`,
    },
  });
  if (measure === 'percentage')
    return why('percentages are not added up across periods, so the latest value counts ("latest")', 'latest', 'info');
  if (measure === 'ordinal')
    return why('scale values are not added up across periods, so the latest value counts ("latest")', 'latest', 'info');
  if (measure === 'qualitative')
    return why('text values are not added up, so the latest value counts ("latest")', 'latest', 'info');
  if (direction === 'decrease')
    return why('for an indicator that should go down the latest value counts ("latest")', 'latest', 'info');

  const ordered = inTimeOrder(input.series);
  const targets = ordered.map((p) => p.target).filter((v): v is string => v !== null);
  const actuals = ordered.map((p) => p.actual).filter((v): v is string => v !== null);
  const usable = [
    { label: 'targets', values: targets },
    { label: 'actuals', values: actuals },
  ].filter((s) => s.values.length >= 2);
  if (usable.length === 0) {
    return why(
      'there are too few figures to tell whether periods hold running totals, so each period is taken as new and periods are added up ("sum"). Check this',
      'sum',
      'warning',
    );
  }
  const listed = usable.map((s) => `${s.label} (${s.values.join(', ')})`).join(' and ');
  if (usable.every((s) => nonDecreasing(s.values))) {
    return why(
      `the ${listed} never go down from one period to the next, so they are read as running totals and the latest value counts ("latest"), not the sum. Check this`,
      'latest',
      'warning',
    );
  }
  return why(
    `the ${listed} go down between periods, so each period is taken as new and periods are added up ("sum"). Check this`,
    'sum',
    'warning',
  );
}
