import type {
  IatiParseOptions,
  ImportIssue,
  ParsedActivity,
  ParsedOrg,
  ParsedResult,
  ParsedSdgTarget,
} from './iati-parse.types.js';
import { parseIatiNumber, sumDecimals } from './iati-number.js';
import { shorten } from './indicator-inference.js';
import { normaliseSdgGoalCode, normaliseSdgTargetCode } from '#libs/sdg';
import { type XmlElement, attr, attrOrNull, child, children, narrative, text } from './xml-tree.js';
import { readActivityExtension, readResultExtension } from './iati-extension.js';
import { ActivityIssues } from './activity-issues.js';
import { step, PLAUSIBLE_FROM, PLAUSIBLE_TO, isoDatePart, readBoolean } from './parse-support.js';
import { IndicatorParser } from './indicator.parser.js';

const RESULT_TYPES: Readonly<Record<string, ParsedResult['type']>> = {
  '1': 'output',
  '2': 'outcome',
  '3': 'impact',
  '9': 'other',
};

/** Parses one `<iati-activity>`. */
export class ActivityParser {
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
    private readonly ext: string | null = null,
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
      ...this.ownExportFields(),
    };
  }

  /** Language, DAC sector and the RBM extension: set only when the file carries them (our own export does). */
  private ownExportFields(): Pick<ParsedActivity, 'language' | 'dacSectorCode' | 'extension'> {
    const fields: Pick<ParsedActivity, 'language' | 'dacSectorCode' | 'extension'> = {};
    const lang = attr(this.el, 'xml:lang') ?? '';
    if (/^[a-z]{2}$/i.test(lang)) fields.language = lang.toLowerCase();
    const sector = children(this.el, 'sector')
      .filter((s) => (attr(s, 'vocabulary') ?? '1') === '1')
      .map((s) => attrOrNull(s, 'code'))
      .find((c): c is string => c !== null && /^\d{5}$/.test(c));
    if (sector) fields.dacSectorCode = sector;
    const extension = readActivityExtension(this.el, this.ext);
    if (extension) fields.extension = extension;
    return fields;
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
          this.ext,
        ).parse(),
      ),
      ...(this.ext && readResultExtension(el, this.ext) ? { extension: readResultExtension(el, this.ext) } : {}),
    };
  }
}
