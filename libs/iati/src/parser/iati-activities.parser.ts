import { Decimal } from 'decimal.js';
import { IatiParseErrorCode, IatiParseException } from './iati-parse.exception.js';
import type {
  IatiParseOptions,
  IatiParseResult,
  ImportIssue,
  ImportIssueCode,
  ImportIssueSeverity,
  IndicatorMeasure,
  ParsedActivity,
  ParsedBaseline,
  ParsedDimensionValue,
  ParsedIndicator,
  ParsedOrg,
  ParsedPeriod,
  ParsedResult,
  ParsedSdgTarget,
  ParsedValue,
} from './iati-parse.types.js';
import { type IatiNumber, parseIatiNumber, sumDecimals } from './iati-number.js';
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
import { normaliseSdgGoalCode, normaliseSdgIndicatorCode, normaliseSdgTargetCode } from '#libs/sdg';
import { type XmlElement, attr, attrOrNull, child, children, narrative, readXml, text } from './xml-tree.js';

/** Collects issues for one activity, stamping its identifier. */
class ActivityIssues {
  constructor(
    private readonly sink: ImportIssue[],
    private readonly iatiIdentifier: string | undefined,
  ) {}

  add(severity: ImportIssueSeverity, path: string, code: ImportIssueCode, message: string): void {
    const issue: ImportIssue = { severity, path, code, message };
    if (this.iatiIdentifier) issue.iatiIdentifier = this.iatiIdentifier;
    this.sink.push(issue);
  }
}

/** `name` or `name[n]`: the index is shown only when there are several siblings of that name. */
function step(name: string, index: number, count: number): string {
  return count > 1 ? `${name}[${index}]` : name;
}

/** Period dates outside these bounds (e.g. `9999-12-31`) are placeholders, not reporting periods. */
const PLAUSIBLE_FROM = '1900-01-01';
const PLAUSIBLE_TO = '2100-12-31';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T\s]|Z$|[+-]\d{2}:?\d{2}$)/;

/** `YYYY-MM-DD` from an ISO date or date-time (`2021-03-31T00:00:00` → `2021-03-31`), `null` if not a real date. */
export function isoDatePart(raw: string | null | undefined): string | null {
  const m = ISO_DATE.exec((raw ?? '').trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** IATI booleans: `1`/`true` and `0`/`false`; `null` when absent, `'invalid'` otherwise. */
function readBoolean(raw: string | null): boolean | null | 'invalid' {
  if (raw === null) return null;
  const v = raw.toLowerCase();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  return 'invalid';
}

const RESULT_TYPES: Readonly<Record<string, ParsedResult['type']>> = {
  '1': 'output',
  '2': 'outcome',
  '3': 'impact',
  '9': 'other',
};

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

/**
 * Per reporting organisation: does it mark every indicator `ascending="0"` (two or more)? Such a
 * blanket value says nothing about the indicators (DESIGN section 7: do not trust `@ascending` blindly).
 */
function findBlanketDescending(activities: readonly XmlElement[]): Set<string> {
  const counts = new Map<string, { declared: number; descending: number }>();
  for (const a of activities) {
    const key = attrOrNull(child(a, 'reporting-org'), 'ref') ?? '';
    const c = counts.get(key) ?? { declared: 0, descending: 0 };
    for (const r of children(a, 'result')) {
      for (const i of children(r, 'indicator')) {
        const b = readBoolean(attrOrNull(i, 'ascending'));
        if (b === null || b === 'invalid') continue;
        c.declared++;
        if (b === false) c.descending++;
      }
    }
    counts.set(key, c);
  }
  const blanket = new Set<string>();
  for (const [key, c] of counts) if (c.declared >= 2 && c.descending === c.declared) blanket.add(key);
  return blanket;
}

/**
 * Parses an IATI 2.03 activity file (`<iati-activities>` or a single `<iati-activity>`) into
 * activities with their results chain, for import as draft logframes. Pure: no I/O.
 *
 * Mirrors: `iati-identifier`, `title`, `description`, `reporting-org`, `participating-org role="1"`,
 * `activity-date`, `recipient-country`, `budget`, `tag vocabulary 2/3`, `sector vocabulary 7/8`,
 * `result` → `indicator` (`@measure`, `@ascending`, `reference vocabulary="9"`, `baseline`,
 * `period` → `period-start`, `period-end`, `target`, `actual`, `dimension`, `comment`).
 *
 * Figures are exact decimal strings (see {@link parseIatiNumber}); dates are `YYYY-MM-DD`.
 * Anything unusable (a bad value, a missing date, an unknown code) is reported as an
 * {@link ImportIssue} with its element path and never fails the file. Inferred facts (measure
 * for nominal/missing `@measure`, direction, aggregation, end target) are always flagged.
 *
 * @param xml the document text.
 * @param options `sdgTargetExists` / `sdgIndicatorExists` check normalised SDG codes against the
 *   framework; codes they reject are dropped with an `sdg_code_unknown` warning.
 * @throws IatiParseException `empty_document`, `xml_malformed` (with line and column) or
 *   `not_iati_activities` when the document as a whole cannot be read.
 */
export function parseIatiActivities(xml: string, options: IatiParseOptions = {}): IatiParseResult {
  const { rootName, root } = readXml(xml);
  let activityEls: XmlElement[];
  if (rootName === 'iati-activities') activityEls = children(root, 'iati-activity');
  else if (rootName === 'iati-activity') activityEls = [root];
  else {
    throw new IatiParseException(
      IatiParseErrorCode.NotIatiActivities,
      `This is not an IATI activity file: its root element is <${rootName}>, expected <iati-activities>.`,
    );
  }

  const issues: ImportIssue[] = [];
  const blanket = findBlanketDescending(activityEls);
  const seen = new Set<string>();
  const activities = activityEls.map((el, i) => {
    const activity = new ActivityParser(el, i + 1, options, blanket, issues).parse();
    if (activity.iatiIdentifier !== '') {
      if (seen.has(activity.iatiIdentifier)) {
        issues.push({
          severity: 'warning',
          path: `iati-activity[${activity.iatiIdentifier}]`,
          code: 'identifier_duplicate',
          message: `The identifier "${activity.iatiIdentifier}" appears more than once in the file; an import keeps only the last one.`,
          iatiIdentifier: activity.iatiIdentifier,
        });
      }
      seen.add(activity.iatiIdentifier);
    }
    return activity;
  });
  return { activities, issues };
}

/** Parses one `<iati-activity>`. */
class ActivityParser {
  private readonly issues: ActivityIssues;
  private readonly path: string;
  private readonly id: string;
  private readonly defaultCurrency: string | null;

  constructor(
    private readonly el: XmlElement,
    private readonly index: number,
    private readonly options: IatiParseOptions,
    private readonly blanketDescending: ReadonlySet<string>,
    sink: ImportIssue[],
  ) {
    this.id = text(child(el, 'iati-identifier'));
    this.path = this.id !== '' ? `iati-activity[${this.id}]` : `iati-activity[#${index}]`;
    this.issues = new ActivityIssues(sink, this.id || undefined);
    this.defaultCurrency = attrOrNull(el, 'default-currency')?.toUpperCase() ?? null;
  }

  parse(): ParsedActivity {
    const el = this.el;
    if (this.id === '') {
      this.issues.add(
        'error',
        `${this.path}/iati-identifier`,
        'identifier_missing',
        `Activity number ${this.index} in the file has no iati-identifier, so a re-import cannot recognise it.`,
      );
    }
    const title = narrative(child(el, 'title'));
    if (title === null) {
      this.issues.add('warning', `${this.path}/title`, 'title_missing', 'The activity has no title.');
    }
    const descriptions = children(el, 'description');
    const description = narrative(descriptions.find((d) => attr(d, 'type') === '1') ?? descriptions[0]);
    const reportingEl = child(el, 'reporting-org');
    const reportingOrg: ParsedOrg = { ref: attrOrNull(reportingEl, 'ref'), name: narrative(reportingEl) };
    const { startDate, endDate } = this.readDates();
    const { sdgTargets, sdgGoals } = this.readSdgLinks();
    const blanket = this.blanketDescending.has(reportingOrg.ref ?? '');
    const results = children(el, 'result').map((r, i, all) => this.readResult(r, i + 1, all.length, blanket));
    return {
      iatiIdentifier: this.id,
      title: title ?? '',
      description,
      reportingOrg,
      fundingOrgs: this.readFundingOrgs(),
      startDate,
      endDate,
      countries: this.readCountries(),
      budget: this.readBudget(),
      sdgTargets,
      sdgGoals,
      results,
    };
  }

  private readFundingOrgs(): ParsedOrg[] {
    const orgs: ParsedOrg[] = [];
    for (const p of children(this.el, 'participating-org')) {
      if (attr(p, 'role') !== '1') continue;
      const org = { ref: attrOrNull(p, 'ref'), name: narrative(p) };
      if (org.ref === null && org.name === null) continue;
      if (!orgs.some((o) => o.ref === org.ref && o.name === org.name)) orgs.push(org);
    }
    return orgs;
  }

  private readCountries(): string[] {
    const codes = new Set<string>();
    for (const c of children(this.el, 'recipient-country')) {
      const code = attrOrNull(c, 'code');
      if (code) codes.add(code.toUpperCase());
    }
    return [...codes];
  }

  /** ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end. */
  private readDates(): { startDate: string | null; endDate: string | null } {
    const byType = new Map<string, { date: string; path: string }>();
    children(this.el, 'activity-date').forEach((d, i, all) => {
      const type = attr(d, 'type') ?? '';
      const raw = attr(d, 'iso-date');
      const date = isoDatePart(raw);
      const path = `${this.path}/${step('activity-date', i + 1, all.length)}/@iso-date`;
      if (date === null || date < PLAUSIBLE_FROM || date > PLAUSIBLE_TO) {
        this.issues.add(
          'warning',
          path,
          'activity_date_invalid',
          date === null
            ? `The activity date "${raw ?? ''}" (type ${type}) is not a calendar date (YYYY-MM-DD); it was ignored.`
            : `The activity date "${raw ?? ''}" (type ${type}) is not a plausible date (a placeholder year?); it was ignored.`,
        );
        return;
      }
      if (!byType.has(type)) byType.set(type, { date, path });
    });
    const start = byType.get('2') ?? byType.get('1') ?? null;
    const end = byType.get('4') ?? byType.get('3') ?? null;
    if (start && end && start.date > end.date) {
      // The API refuses such dates for a project; which of the two is wrong cannot be told.
      this.issues.add(
        'error',
        `${this.path}/activity-date`,
        'activity_dates_reversed',
        `The activity starts (${start.date}, ${start.path}) after it ends (${end.date}, ${end.path}); neither date was stored: set the project's dates by hand.`,
      );
      return { startDate: null, endDate: null };
    }
    return { startDate: start?.date ?? null, endDate: end?.date ?? null };
  }

  /**
   * Budget: per budget period the revised (type 2) budget, else the original (type 1); summed
   * over distinct periods in one currency.
   */
  private readBudget(): { amount: string; currency: string } | null {
    const byPeriod = new Map<string, { type: string; amount: string; currency: string | null; path: string }>();
    let ok = true;
    children(this.el, 'budget').forEach((b, i, all) => {
      const path = `${this.path}/${step('budget', i + 1, all.length)}`;
      const valueEl = child(b, 'value');
      const raw = text(valueEl);
      const parsed = parseIatiNumber(raw);
      if (parsed.value === null) {
        this.issues.add(
          'warning',
          `${path}/value`,
          'budget_value_invalid',
          `The budget amount "${raw}" could not be read as a number: ${parsed.reason}. The activity budget was left empty.`,
        );
        ok = false;
        return;
      }
      const currency = attrOrNull(valueEl, 'currency')?.toUpperCase() ?? parsed.currency ?? this.defaultCurrency;
      const key = `${isoDatePart(attr(child(b, 'period-start'), 'iso-date')) ?? '?'}..${isoDatePart(attr(child(b, 'period-end'), 'iso-date')) ?? '?'}`;
      const type = attr(b, 'type') ?? '1';
      const prev = byPeriod.get(key);
      if (!prev || (prev.type !== '2' && type === '2') || prev.type === type) {
        byPeriod.set(key, { type, amount: parsed.value, currency, path });
      }
    });
    if (!ok || byPeriod.size === 0) return null;
    const entries = [...byPeriod.entries()];
    const missing = entries.find(([, e]) => e.currency === null);
    if (missing) {
      this.issues.add(
        'warning',
        `${missing[1].path}/value/@currency`,
        'budget_currency_missing',
        'A budget amount has no currency and the activity has no default currency; the activity budget was left empty.',
      );
      return null;
    }
    const currencies = [...new Set(entries.map(([, e]) => e.currency as string))];
    if (currencies.length > 1) {
      this.issues.add(
        'warning',
        `${this.path}/budget`,
        'budget_currency_mixed',
        `The budgets are in several currencies (${currencies.join(', ')}); they cannot be added up, so the activity budget was left empty.`,
      );
      return null;
    }
    const amount = sumDecimals(entries.map(([, e]) => e.amount));
    if (entries.length > 1) {
      this.issues.add(
        'info',
        `${this.path}/budget`,
        'budget_summed',
        `The activity budget ${amount} ${currencies[0]} is the sum of ${entries.length} budget periods (${entries.map(([k, e]) => `${k.replace('..', ' to ')}: ${e.amount}`).join('; ')}).`,
      );
    }
    return { amount, currency: currencies[0] };
  }

  private readSdgLinks(): { sdgTargets: ParsedSdgTarget[]; sdgGoals: string[] } {
    const targets = new Map<string, ParsedSdgTarget>();
    const goals = new Set<string>();
    const sources: { name: 'tag' | 'sector'; targetVocab: string; goalVocab: string }[] = [
      { name: 'tag', targetVocab: '3', goalVocab: '2' },
      { name: 'sector', targetVocab: '8', goalVocab: '7' },
    ];
    for (const source of sources) {
      children(this.el, source.name).forEach((e, i, all) => {
        const vocab = attr(e, 'vocabulary');
        if (vocab !== source.targetVocab && vocab !== source.goalVocab) return;
        const isTarget = vocab === source.targetVocab;
        const raw = attr(e, 'code') ?? '';
        const path = `${this.path}/${step(source.name, i + 1, all.length)}/@code`;
        const kind = isTarget ? 'target' : 'goal';
        const norm = isTarget ? normaliseSdgTargetCode(raw) : normaliseSdgGoalCode(raw);
        if (norm === null) {
          this.issues.add(
            'warning',
            path,
            'sdg_code_invalid',
            `"${raw}" is not an SDG ${kind} code (${source.name} vocabulary ${vocab}); it was ignored.`,
          );
          return;
        }
        if (norm.changed) {
          this.issues.add(
            'info',
            path,
            'sdg_code_normalised',
            `The SDG ${kind} code "${raw}" was read as "${norm.code}".`,
          );
        }
        if (!isTarget) {
          goals.add(norm.code);
          return;
        }
        if (this.options.sdgTargetExists && !this.options.sdgTargetExists(norm.code)) {
          this.issues.add(
            'warning',
            path,
            'sdg_code_unknown',
            `"${raw}" is not a target of the UN SDG framework; it was ignored.`,
          );
          return;
        }
        if (!targets.has(norm.code)) targets.set(norm.code, { code: norm.code, source: source.name, rawCode: raw });
      });
    }
    return { sdgTargets: [...targets.values()], sdgGoals: [...goals] };
  }

  private readResult(el: XmlElement, position: number, count: number, blanket: boolean): ParsedResult {
    const path = `${this.path}/${step('result', position, count)}`;
    const rawType = attrOrNull(el, 'type');
    let type = rawType !== null ? RESULT_TYPES[rawType] : undefined;
    if (type === undefined && rawType !== null) {
      const byName = rawType.toLowerCase();
      if (byName === 'output' || byName === 'outcome' || byName === 'impact' || byName === 'other') {
        type = byName;
        this.issues.add(
          'info',
          `${path}/@type`,
          'result_type_name_used',
          `The result type is written as "${rawType}" instead of its IATI code; it was read as "${type}".`,
        );
      }
    }
    if (type === undefined) {
      this.issues.add(
        'warning',
        `${path}/@type`,
        'result_type_unknown',
        `The result type "${rawType ?? ''}" is not an IATI result type (1 output, 2 outcome, 3 impact, 9 other); it was imported as "other".`,
      );
      type = 'other';
    }
    const title = narrative(child(el, 'title')) ?? '';
    if (title === '') this.issues.add('warning', `${path}/title`, 'title_missing', 'The result has no title.');
    if (type === 'output') {
      this.issues.add(
        'info',
        path,
        'output_unlinked',
        `The output "${shorten(title || `result ${position}`, 80)}" is imported without an outcome (IATI does not link outputs to outcomes); link it to an outcome before the logframe goes for approval.`,
      );
    }
    const agg = readBoolean(attrOrNull(el, 'aggregation-status'));
    return {
      position,
      type,
      title,
      description: narrative(child(el, 'description')),
      aggregationStatus: agg === 'invalid' ? null : agg,
      indicators: children(el, 'indicator').map((ind, i, all) =>
        new IndicatorParser(
          ind,
          `${path}/${step('indicator', i + 1, all.length)}`,
          i + 1,
          this.issues,
          this.options,
          blanket,
        ).parse(),
      ),
    };
  }
}

/** Parses one `<indicator>`: values first, then measure, direction, aggregation and end target. */
class IndicatorParser {
  private readonly values: ValueRecord[] = [];

  constructor(
    private readonly el: XmlElement,
    private readonly path: string,
    private readonly position: number,
    private readonly issues: ActivityIssues,
    private readonly options: IatiParseOptions,
    private readonly blanketDescending: boolean,
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
    return { year, isoDate: isoDatePart(attr(b, 'iso-date')), value: parsed?.value ?? null, raw, comment };
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
        total = { value: parsed?.value ?? null, raw, comment };
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
