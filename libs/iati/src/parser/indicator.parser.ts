import { Decimal } from 'decimal.js';
import type {
  IatiParseOptions,
  IndicatorMeasure,
  ParsedBaseline,
  ParsedDimensionValue,
  ParsedIndicator,
  ParsedPeriod,
  ParsedValue,
} from './iati-parse.types.js';
import { type IatiNumber, parseIatiNumber } from './iati-number.js';
import {
  type SeriesPoint,
  type ValueEvidence,
  decideAggregation,
  decideDirection,
  decideMeasure,
  inTimeOrder,
  readMeasureAttribute,
  shorten,
} from './indicator-inference.js';
import { normaliseSdgIndicatorCode } from '#libs/sdg';
import { type XmlElement, attr, attrOrNull, child, children, narrative } from './xml-tree.js';
import { readIndicatorExtension, readRatio } from './iati-extension.js';
import { ActivityIssues } from './activity-issues.js';
import { step, PLAUSIBLE_FROM, PLAUSIBLE_TO, isoDatePart, readBoolean } from './parse-support.js';

/** One `@value` read from a baseline, target or actual, kept until the measure is known. */
interface ValueRecord {
  path: string;
  /** What it is, e.g. `The target`, `The disaggregated actual female (sex)`. */
  what: string;
  /** When it applies, e.g. ` for 2020-01-01 to 2020-12-31` (empty for a baseline). */
  when: string;
  raw: string | null;
  comment: string | null;
  parsed: IatiNumber | null;
}

/** How a target/actual list of a period is read. */
interface PeriodValues {
  total: ParsedValue | null;
  dimensions: ParsedDimensionValue[];
}

/** Parses one `<indicator>`: values first, then measure, direction, aggregation and end target. */
export class IndicatorParser {
  private readonly values: ValueRecord[] = [];

  constructor(
    private readonly el: XmlElement,
    private readonly path: string,
    private readonly position: number,
    private readonly issues: ActivityIssues,
    private readonly options: IatiParseOptions,
    private readonly blanketDescending: boolean,
    private readonly ext: string | null = null,
  ) {}

  parse(): ParsedIndicator {
    const el = this.el;
    const title = narrative(child(el, 'title')) ?? '';
    if (title === '') this.issues.add('warning', `${this.path}/title`, 'title_missing', 'The indicator has no title.');
    const measureAttr = readMeasureAttribute(attrOrNull(el, 'measure'));
    const ascendingRaw = attrOrNull(el, 'ascending');
    const ascendingRead = readBoolean(ascendingRaw);
    if (ascendingRead === 'invalid') {
      this.issues.add(
        'warning',
        `${this.path}/@ascending`,
        'ascending_invalid',
        `"${ascendingRaw}" is not a valid ascending flag (1/true or 0/false); the direction was worked out from the targets.`,
      );
    }
    const ascending = ascendingRead === 'invalid' ? null : ascendingRead;

    const baseline = this.readBaseline();
    const periods = children(el, 'period')
      .map((p, i, all) => this.readPeriod(p, i + 1, all.length))
      .filter((p): p is ParsedPeriod => p !== null);

    const evidence = this.valueEvidence();
    const decided = decideMeasure(measureAttr, evidence);
    for (const note of decided.notes) this.issues.add(note.severity, `${this.path}/@measure`, note.code, note.message);
    const measure = decided.measure;
    this.reportValues(measure, measureAttr.code === 5);
    this.reportOutOfRange(measure);
    const unit = this.decideUnit();

    const series: SeriesPoint[] = periods.map((p) => ({
      periodStart: p.periodStart,
      periodEnd: p.periodEnd,
      target: p.target?.value ?? null,
      actual: p.actual?.value ?? null,
    }));
    const direction = decideDirection({
      ascending,
      ascendingInvalid: ascendingRead === 'invalid',
      measure,
      baseline: baseline?.value ?? null,
      series,
      blanketDescending: this.blanketDescending,
    });
    for (const note of direction.notes)
      this.issues.add(note.severity, `${this.path}/@ascending`, note.code, note.message);
    const aggregation = decideAggregation({ measure, direction: direction.direction, series });
    this.issues.add(aggregation.note.severity, this.path, aggregation.note.code, aggregation.note.message);
    const endTarget = this.decideEndTarget(measure, periods);

    return {
      position: this.position,
      title,
      description: narrative(child(el, 'description')),
      iatiMeasure: measureAttr.code,
      measure,
      ascending,
      direction: direction.direction,
      directionInferred: direction.inferred,
      aggregation: aggregation.aggregation,
      aggregationInferred: true,
      unit,
      baseline,
      endTarget: endTarget.value,
      endTargetInferred: endTarget.value !== null,
      sdgIndicatorCodes: this.readSdgIndicators(),
      periods,
      ...(this.ext && readIndicatorExtension(el, this.ext) ? { extension: readIndicatorExtension(el, this.ext) } : {}),
    };
  }

  private readSdgIndicators(): string[] {
    const codes = new Set<string>();
    children(this.el, 'reference').forEach((r, i, all) => {
      if (attr(r, 'vocabulary') !== '9') return;
      const raw = attr(r, 'code') ?? '';
      const path = `${this.path}/${step('reference', i + 1, all.length)}/@code`;
      const norm = normaliseSdgIndicatorCode(raw);
      if (norm === null) {
        this.issues.add('warning', path, 'sdg_code_invalid', `"${raw}" is not an SDG indicator code; it was ignored.`);
        return;
      }
      if (norm.changed) {
        this.issues.add(
          'info',
          path,
          'sdg_code_normalised',
          `The SDG indicator code "${raw}" was read as "${norm.code}".`,
        );
      }
      if (this.options.sdgIndicatorExists && !this.options.sdgIndicatorExists(norm.code)) {
        this.issues.add(
          'warning',
          path,
          'sdg_code_unknown',
          `"${raw}" is not an indicator of the UN SDG framework; it was ignored.`,
        );
        return;
      }
      codes.add(norm.code);
    });
    return [...codes];
  }

  private record(
    path: string,
    what: string,
    when: string,
    raw: string | null,
    comment: string | null,
  ): IatiNumber | null {
    const parsed = raw === null ? null : parseIatiNumber(raw);
    this.values.push({ path, what, when, raw, comment, parsed });
    return parsed;
  }

  private readBaseline(): ParsedBaseline | null {
    const all = children(this.el, 'baseline');
    if (all.length === 0) return null;
    const hasDimension = (b: XmlElement) => children(b, 'dimension').some((d) => attrOrNull(d, 'name') !== null);
    const chosenIndex = Math.max(
      0,
      all.findIndex((b) => !hasDimension(b)),
    );
    const b = all[chosenIndex];
    const path = `${this.path}/${step('baseline', chosenIndex + 1, all.length)}`;
    if (all.length > 1) {
      this.issues.add(
        'info',
        this.path,
        'baseline_multiple',
        `The indicator has ${all.length} baselines; baseline ${chosenIndex + 1} (the one without a dimension, or the first) was used.`,
      );
    }
    const yearRaw = attrOrNull(b, 'year');
    let year: number | null = null;
    if (yearRaw !== null) {
      if (/^\d{4}$/.test(yearRaw)) year = Number(yearRaw);
      else {
        this.issues.add(
          'warning',
          `${path}/@year`,
          'baseline_year_invalid',
          `The baseline year "${yearRaw}" is not a year; it was left empty.`,
        );
      }
    }
    const raw = attr(b, 'value') ?? null;
    const comment = narrative(child(b, 'comment'));
    const parsed = this.record(`${path}/@value`, 'The baseline', '', raw, comment);
    const ratio = readRatio(b, this.ext);
    return {
      year,
      isoDate: isoDatePart(attr(b, 'iso-date')),
      value: parsed?.value ?? null,
      raw,
      comment,
      ...(ratio ? { numerator: ratio.numerator, denominator: ratio.denominator } : {}),
    };
  }

  private readPeriod(el: XmlElement, position: number, count: number): ParsedPeriod | null {
    const path = `${this.path}/${step('period', position, count)}`;
    const dates: string[] = [];
    for (const name of ['period-start', 'period-end'] as const) {
      const raw = attr(child(el, name), 'iso-date');
      const date = isoDatePart(raw);
      const plausible = date !== null && date >= PLAUSIBLE_FROM && date <= PLAUSIBLE_TO;
      if (!plausible) {
        this.issues.add(
          'error',
          `${path}/${name}/@iso-date`,
          'period_date_invalid',
          raw === undefined
            ? `Period ${position} has no ${name}; the period and its values were skipped.`
            : date === null
              ? `The ${name} "${raw}" of period ${position} is not a calendar date (YYYY-MM-DD); the period and its values were skipped.`
              : `The ${name} "${raw}" of period ${position} is not a plausible reporting date (a placeholder year?); the period and its values were skipped.`,
        );
        return null;
      }
      dates.push(date);
    }
    const [periodStart, periodEnd] = dates;
    if (periodStart > periodEnd) {
      this.issues.add(
        'error',
        path,
        'period_dates_reversed',
        `Period ${position} starts (${periodStart}) after it ends (${periodEnd}); the period and its values were skipped (the other periods were imported).`,
      );
      return null;
    }
    const span = `${periodStart} to ${periodEnd}`;
    const target = this.readPeriodValues(el, 'target', path, span);
    const actual = this.readPeriodValues(el, 'actual', path, span);
    return {
      position,
      periodStart,
      periodEnd,
      target: target.total,
      actual: actual.total,
      targetDimensions: target.dimensions,
      actualDimensions: actual.dimensions,
    };
  }

  /** Reads the `<target>`s or `<actual>`s of a period: the one without dimension is the total. */
  private readPeriodValues(
    period: XmlElement,
    name: 'target' | 'actual',
    periodPath: string,
    span: string,
  ): PeriodValues {
    const all = children(period, name);
    let total: ParsedValue | null = null;
    let totals = 0;
    const dimensions: ParsedDimensionValue[] = [];
    all.forEach((e, i) => {
      const path = `${periodPath}/${step(name, i + 1, all.length)}`;
      const raw = attr(e, 'value') ?? null;
      const comment = narrative(child(e, 'comment'));
      const dims = children(e, 'dimension')
        .map((d) => ({ name: attrOrNull(d, 'name'), value: attrOrNull(d, 'value') }))
        .filter((d) => d.name !== null || d.value !== null);
      if (dims.length === 0) {
        totals++;
        const parsed = this.record(`${path}/@value`, `The ${name}`, ` for ${span}`, raw, comment);
        if (totals > 1) {
          this.issues.add(
            'warning',
            path,
            'total_multiple',
            `The period ${span} has more than one ${name} without a dimension; the first was used as the total and "${raw ?? ''}" was ignored.`,
          );
          return;
        }
        const ratio = readRatio(e, this.ext);
        total = {
          value: parsed?.value ?? null,
          raw,
          comment,
          ...(ratio ? { numerator: ratio.numerator, denominator: ratio.denominator } : {}),
        };
        if (parsed?.currency) total.currency = parsed.currency;
        return;
      }
      const incomplete = dims.find((d) => d.name === null || d.value === null);
      if (incomplete) {
        this.issues.add(
          'warning',
          `${path}/dimension`,
          'dimension_incomplete',
          `A dimension of the ${name} for ${span} lacks a ${incomplete.name === null ? 'name' : 'value'} ("${incomplete.name ?? incomplete.value}").`,
        );
      }
      const dimName = dims.map((d) => d.name ?? '?').join(' / ');
      const category = dims.map((d) => d.value ?? '?').join(' / ');
      if (dims.length > 1) {
        this.issues.add(
          'info',
          path,
          'dimension_combined',
          `The ${name} "${raw ?? ''}" for ${span} is broken down by several dimensions at once; it was recorded as "${dimName}" = "${category}".`,
        );
      }
      const parsed = this.record(
        `${path}/@value`,
        `The disaggregated ${name} ${category} (${dimName})`,
        ` for ${span}`,
        raw,
        comment,
      );
      dimensions.push({ name: dimName, category, value: parsed?.value ?? null });
    });
    if (totals === 0 && dimensions.length > 0) {
      this.issues.add(
        'warning',
        `${periodPath}/${name}`,
        'total_missing',
        `The period ${span} gives only disaggregated ${name}s (${dimensions.map((d) => `${d.category}: ${d.value ?? '?'}`).join(', ')}) and no total; the total was left empty.`,
      );
    }
    return { total, dimensions };
  }

  private valueEvidence(): ValueEvidence {
    const evidence: ValueEvidence = { numeric: 0, percent: 0, textual: [] };
    for (const v of this.values) {
      const p = v.parsed;
      if (p === null) {
        if (v.comment !== null) evidence.textual.push(v.comment);
        continue;
      }
      if (p.value !== null) {
        evidence.numeric++;
        if (p.percent) evidence.percent++;
      } else if (p.problem === 'year_prefixed' && p.yearPrefix?.figureValue != null) {
        evidence.numeric++;
      } else if (p.problem === 'year_prefixed' && p.yearPrefix?.figure === '') {
        continue;
      } else if (p.problem !== 'empty' && p.problem !== 'placeholder') {
        evidence.textual.push(v.raw ?? '');
      }
    }
    return evidence;
  }

  /** Reports values that cannot be used, now that the measure is known. */
  private reportValues(measure: IndicatorMeasure, declaredQualitative: boolean): void {
    if (declaredQualitative) return; // text is what a qualitative indicator holds
    const asText = measure === 'qualitative';
    for (const v of this.values) {
      const p = v.parsed;
      if (p === null || p.problem === 'empty') {
        if (v.path.endsWith('/baseline/@value') || /\/baseline\[\d+\]\/@value$/.test(v.path)) {
          if (v.comment === null) continue; // a baseline may be given as a year only
        }
        const elementPath = v.path.replace(/\/@value$/, '');
        if (v.comment !== null) {
          this.issues.add(
            asText ? 'info' : 'warning',
            elementPath,
            'value_narrative_only',
            `${v.what}${v.when} is given only as text, not as a figure: "${shorten(v.comment)}".${asText ? '' : ' No figure was imported.'}`,
          );
        } else {
          this.issues.add('info', elementPath, 'value_missing', `${v.what}${v.when} has no value.`);
        }
        continue;
      }
      if (p.value === null) {
        this.issues.add(
          asText ? 'info' : 'warning',
          v.path,
          'value_not_numeric',
          `${v.what} "${shorten(v.raw ?? '', 80)}"${v.when} could not be read as a number: ${p.reason}. ${asText ? 'It is kept as text.' : 'No figure was imported; enter it by hand if it is known.'}`,
        );
      }
    }
  }

  /**
   * Flags figures outside their measure's range (a percentage is on the 0–100 scale, DESIGN.md §2):
   * the figure is kept as published so a person can correct it, and the note gives its path.
   */
  private reportOutOfRange(measure: IndicatorMeasure): void {
    if (measure !== 'percentage') return;
    for (const v of this.values) {
      const value = v.parsed?.value;
      if (value == null) continue;
      const n = new Decimal(value);
      if (n.gte(0) && n.lte(100)) continue;
      this.issues.add(
        'warning',
        v.path,
        'value_out_of_range',
        `${v.what} "${shorten(v.raw ?? value, 40)}"${v.when} is a percentage outside 0–100; it was imported as published and must be corrected before the logframe goes for approval.`,
      );
    }
  }

  /** Unit = the currency the values carried (one `currency_parsed` note per indicator). */
  private decideUnit(): string | null {
    const withCurrency = this.values.filter((v) => v.parsed?.value != null && v.parsed.currency !== null);
    if (withCurrency.length === 0) return null;
    const currencies = [...new Set(withCurrency.map((v) => v.parsed?.currency as string))];
    const first = withCurrency[0];
    this.issues.add(
      'info',
      this.path,
      'currency_parsed',
      `${withCurrency.length} value${withCurrency.length > 1 ? 's were' : ' was'} written with a currency (e.g. "${first.raw}" read as ${first.parsed?.value} ${first.parsed?.currency}); the indicator's unit was set to ${currencies[0]}.`,
    );
    if (currencies.length > 1) {
      this.issues.add(
        'warning',
        this.path,
        'currency_mixed',
        `The values are in several currencies (${currencies.join(', ')}); the unit was set to ${currencies[0]}. Check the values.`,
      );
    }
    return currencies[0];
  }

  /** IATI has no end target: the target of the last period (by end date) that has one. */
  private decideEndTarget(measure: IndicatorMeasure, periods: readonly ParsedPeriod[]): { value: string | null } {
    if (measure === 'qualitative') return { value: null };
    const last = inTimeOrder(periods)
      .filter((p) => p.target?.value != null)
      .pop();
    if (!last) {
      if (periods.length > 0 || children(this.el, 'period').length > 0) {
        this.issues.add(
          'info',
          this.path,
          'end_target_missing',
          'No period gives a target figure, so the indicator has no end-of-project target; set one by hand.',
        );
      }
      return { value: null };
    }
    const value = last.target?.value as string;
    const raw = last.target?.raw ?? value;
    this.issues.add(
      'info',
      this.path,
      'end_target_inferred',
      `IATI has no end-of-project target; the target of the last period (${last.periodStart} to ${last.periodEnd}), ${raw === value ? value : `"${raw}" = ${value}`}, was used.`,
    );
    return { value };
  }
}
