import { Decimal } from 'decimal.js';
import { fragment } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { AssumptionEntity, IndicatorEntity, SdgLinkEntity } from '#libs/database';
import type { IndicatorNode, OutputNode } from '#libs/logframe';
import {
  type ActivityExportInput,
  type ExportActual,
  type ExportIssue,
  type ExportIssueCode,
  type PublisherSettings,
  RBM_IATI_NS,
} from './iati-export.types.js';

/** IATI IndicatorMeasure codes (codelist IndicatorMeasure): 1 unit, 2 percentage, 4 ordinal, 5 qualitative. */
const MEASURE_CODE = { number: '1', percentage: '2', ordinal: '4', qualitative: '5' } as const;

/** `YYYY-MM-DD` plus whole years, day kept (29 February → 28 February when the target year has none). */
function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * A period is "longer than a year" when it ends after the anniversary of its start
 * (2021-04-01..2022-03-31 and 2020-03-31..2021-03-31 are a year; 2021-03-31..2022-04-01 is longer):
 * the IATI Validator's guidance that result periods should not exceed a year.
 */
export function periodLongerThanYear(start: string, end: string): boolean {
  return end > addYears(start, 1);
}

/**
 * IATI ActivityStatus derived from the project's dates on the generation day (documented in
 * docs/RULES.md): before the start (or no start) 1 Pipeline/identification; from the start to
 * the end (or no end) 2 Implementation; after the end 3 Finalisation (results may still come;
 * 4 Closed is never derived). Only projects with an approved logframe are exported.
 */
export function activityStatus(start: string | null, end: string | null, today: string): '1' | '2' | '3' {
  if (start === null || today < start) return '1';
  if (end === null || today <= end) return '2';
  return '3';
}

/** Equal shares adding to exactly 100 (2 decimals; the last share takes the remainder). */
export function countryPercentages(count: number): string[] {
  if (count === 0) return [];
  const share = new Decimal(100).div(count).toDecimalPlaces(2, Decimal.ROUND_DOWN);
  const shares = Array.from({ length: count }, () => share);
  shares[count - 1] = new Decimal(100).minus(share.times(count - 1));
  return shares.map((s) => s.toFixed());
}

/** Characters IATI identifiers must not contain (IATI Standard, "iati-identifier" guidance). */
const IDENTIFIER_UNSAFE = /[\s/&|?]/;

/** Whether `<org id>-<code>` is usable as an IATI activity identifier. */
export function isIdentifierSafe(identifier: string): boolean {
  return identifier.length > 0 && !IDENTIFIER_UNSAFE.test(identifier);
}

/** One activity written, or kept out because of errors (warnings never keep it out). */
export interface WrittenActivity {
  /** The `<iati-activity>` element (no XML declaration), or null when an error keeps it out. */
  xml: string | null;
  issues: ExportIssue[];
}

/** What IATI calls a result here: an outcome (2), an output (1) or the impact indicators (3). */
interface ResultPlan {
  type: '1' | '2' | '3';
  title: string;
  stableId: string | null;
  code: string | null;
  outcomeCode: string | null;
  indicators: IndicatorNode[];
  sdgLinks: SdgLinkEntity[];
  assumptions: AssumptionEntity[];
}

/**
 * Writes one project as an IATI 2.03 `<iati-activity>` (pure: the caller loads the approved
 * revision, the validated actuals and the settings). Content and rules: docs/RULES.md, "IATI 2.03
 * export". Errors (reversed or missing dates, a percentage outside 0–100, an SDG indicator
 * reference whose target is not tagged) keep the activity out; warnings (a period longer than a
 * year, a result without indicators, a baseline without year) do not.
 *
 * @param input the project's approved tree, funders, validated actuals and disaggregations
 * @param publisher the organisation's publisher settings
 * @param generatedAt the generation instant (its UTC date drives the activity status)
 */
export function writeIatiActivity(
  input: ActivityExportInput,
  publisher: PublisherSettings,
  generatedAt: Date,
): WrittenActivity {
  const { tree } = input;
  const project = tree.project;
  const root = `iati-activity[${input.iatiIdentifier}]`;
  const issues: ExportIssue[] = [];
  const note: Note = (severity, code, path, message) => issues.push({ severity, code, path, message });
  const lang = project.language ?? publisher.defaultLanguage;
  const today = generatedAt.toISOString().slice(0, 10);
  checkActivity(input, root, note);
  const plans = resultPlans(tree);

  // SDG tags: every linked target (project, outcomes, outputs), and their goals.
  const allLinks = [...tree.projectSdgLinks, ...plans.flatMap((p) => p.sdgLinks)];
  const targets = [...new Set(allLinks.map((l) => l.sdgTargetCode))].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );

  const a = fragment().ele('iati-activity', {
    'xmlns:rbm': RBM_IATI_NS,
    'last-updated-datetime': input.lastUpdated.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'xml:lang': lang,
    'default-currency': project.budgetCurrency ?? publisher.defaultCurrency,
  });
  writeActivityHeader(a, input, publisher, lang, today, targets);
  writeResults(a, plans, { root, input, lang, tagged: new Set(targets), note });

  const ext = a.ele(RBM_IATI_NS, 'rbm:logframe', { revision: String(tree.revision.number) });
  if (project.theoryOfChange) ext.ele(RBM_IATI_NS, 'rbm:theory-of-change').txt(project.theoryOfChange).up();
  writeLinksAndAssumptions(ext, tree.projectSdgLinks, tree.projectAssumptions);

  const xml = issues.some((i) => i.severity === 'error') ? null : a.end({ prettyPrint: true, headless: true });
  return { xml, issues };
}

/** Notes the errors that keep an activity out: an identifier IATI cannot take, missing or reversed dates. */
function checkActivity(input: ActivityExportInput, root: string, note: Note): void {
  const project = input.tree.project;
  if (!isIdentifierSafe(input.iatiIdentifier))
    note(
      'error',
      'identifier_invalid',
      `${root}/iati-identifier`,
      `"${input.iatiIdentifier}" cannot be an IATI identifier (no spaces, "/", "&", "|" or "?"): change the project code before its first export.`,
    );
  if (project.startDate === null)
    note('error', 'activity_dates_missing', `${root}/activity-date`, 'The project has no start date.');
  if (project.startDate && project.endDate && project.startDate > project.endDate)
    note(
      'error',
      'activity_dates_reversed',
      `${root}/activity-date`,
      `The project starts (${project.startDate}) after it ends (${project.endDate}).`,
    );
}

/** Results: outcomes (type 2) with their outputs (type 1) after them, unlinked outputs, impact indicators (type 3). */
function resultPlans(tree: ActivityExportInput['tree']): ResultPlan[] {
  const plans: ResultPlan[] = [];
  const outputPlan = (o: OutputNode, outcomeCode: string | null): ResultPlan => ({
    type: '1',
    title: o.output.statement,
    stableId: o.output.stableId,
    code: o.output.code,
    outcomeCode,
    indicators: o.indicators,
    sdgLinks: o.sdgLinks,
    assumptions: o.assumptions,
  });
  for (const oc of tree.outcomes) {
    plans.push({
      type: '2',
      title: oc.outcome.statement,
      stableId: oc.outcome.stableId,
      code: oc.outcome.code,
      outcomeCode: null,
      indicators: oc.indicators,
      sdgLinks: oc.sdgLinks,
      assumptions: oc.assumptions,
    });
    for (const op of oc.outputs) plans.push(outputPlan(op, oc.outcome.code));
  }
  for (const op of tree.unlinkedOutputs) plans.push(outputPlan(op, null));
  if (tree.impactIndicators.length)
    plans.push({
      type: '3',
      title: 'Impact',
      stableId: null,
      code: null,
      outcomeCode: null,
      indicators: tree.impactIndicators,
      sdgLinks: [],
      assumptions: [],
    });
  return plans;
}

/** `<name attrs><narrative xml:lang>text</narrative></name>` under `parent`. */
function narrativeElement(
  parent: XMLBuilder,
  lang: string,
  name: string,
  text: string,
  attrs: Record<string, string> = {},
): void {
  parent.ele(name, attrs).ele('narrative', { 'xml:lang': lang }).txt(text).up().up();
}

/**
 * The activity's elements before its results: identifier, organisations, title and description,
 * status and dates, countries, sector and the SDG tags (targets, then their goals).
 */
function writeActivityHeader(
  a: XMLBuilder,
  input: ActivityExportInput,
  publisher: PublisherSettings,
  lang: string,
  today: string,
  targets: string[],
): void {
  const project = input.tree.project;
  const narrative = (name: string, text: string, attrs: Record<string, string> = {}) =>
    narrativeElement(a, lang, name, text, attrs);
  a.ele('iati-identifier').txt(input.iatiIdentifier).up();
  narrative('reporting-org', publisher.organisationName, {
    ref: publisher.organisationIdentifier,
    type: publisher.organisationType,
  });
  narrative('title', project.title);
  narrative('description', project.description?.trim() || project.title, { type: '1' });
  for (const f of input.funders) {
    const attrs: Record<string, string> = { role: '1' };
    if (f.ref) attrs.ref = f.ref;
    narrative('participating-org', f.name, attrs);
  }
  narrative('participating-org', publisher.organisationName, {
    ref: publisher.organisationIdentifier,
    role: '4',
    type: publisher.organisationType,
  });
  a.ele('activity-status', { code: activityStatus(project.startDate, project.endDate, today) }).up();
  if (project.startDate) {
    a.ele('activity-date', { type: '1', 'iso-date': project.startDate }).up();
    if (project.startDate <= today) a.ele('activity-date', { type: '2', 'iso-date': project.startDate }).up();
  }
  if (project.endDate) a.ele('activity-date', { type: '3', 'iso-date': project.endDate }).up();
  const shares = countryPercentages(project.countries.length);
  project.countries.forEach((code, i) => {
    const attrs: Record<string, string> = { code };
    if (project.countries.length > 1) attrs.percentage = shares[i];
    a.ele('recipient-country', attrs).up();
  });
  if (project.dacSectorCode) a.ele('sector', { vocabulary: '1', code: project.dacSectorCode, percentage: '100' }).up();
  for (const t of targets) a.ele('tag', { vocabulary: '3', code: t }).up();
  for (const g of new Set(targets.map((t) => t.split('.')[0]))) a.ele('tag', { vocabulary: '2', code: g }).up();
}

/** What writing the results of one activity needs. */
interface ResultsWriting {
  root: string;
  input: ActivityExportInput;
  lang: string;
  /** The SDG targets the activity is tagged with. */
  tagged: Set<string>;
  note: Note;
}

/** The `<result>` elements (results without indicators are left out with a warning), each with its extension. */
function writeResults(a: XMLBuilder, plans: ResultPlan[], w: ResultsWriting): void {
  const written = plans.filter((plan, i) => {
    if (plan.indicators.length > 0) return true;
    w.note(
      'warning',
      'result_without_indicators',
      `${w.root}/result[${i + 1}]`,
      `"${plan.title}" has no indicator; IATI requires one per result, so it was left out.`,
    );
    return false;
  });
  written.forEach((plan, ri) => {
    const rPath = `${w.root}/result[${ri + 1}]`;
    const quantitative = plan.indicators.every((n) => ['number', 'percentage'].includes(n.indicator.measure));
    const r = a.ele('result', { type: plan.type, 'aggregation-status': quantitative ? '1' : '0' });
    narrativeElement(r, w.lang, 'title', plan.title);
    plan.indicators.forEach((node, ii) =>
      writeIndicator(r, node, `${rPath}/indicator[${ii + 1}]`, w.input, w.lang, w.tagged, w.note),
    );
    if (plan.stableId) {
      const ext = r.ele(RBM_IATI_NS, 'rbm:element', {
        id: plan.stableId,
        code: plan.code ?? '',
        ...(plan.outcomeCode ? { outcome: plan.outcomeCode } : {}),
      });
      writeLinksAndAssumptions(ext, plan.sdgLinks, plan.assumptions);
    }
  });
}

function writeLinksAndAssumptions(ext: XMLBuilder, links: SdgLinkEntity[], assumptions: AssumptionEntity[]): void {
  for (const l of links) {
    const e = ext.ele(RBM_IATI_NS, 'rbm:sdg-link', { target: l.sdgTargetCode, contribution: l.contribution });
    if (l.rationale) e.ele(RBM_IATI_NS, 'rbm:rationale').txt(l.rationale).up();
  }
  for (const s of [...assumptions].sort((x, y) => x.position - y.position)) {
    const attrs: Record<string, string> = { id: s.stableId, kind: s.kind };
    if (s.likelihood) attrs.likelihood = s.likelihood;
    if (s.impact) attrs.impact = s.impact;
    const e = ext.ele(RBM_IATI_NS, 'rbm:assumption', attrs);
    e.ele(RBM_IATI_NS, 'rbm:statement').txt(s.statement).up();
    if (s.mitigation) e.ele(RBM_IATI_NS, 'rbm:mitigation').txt(s.mitigation).up();
  }
}

type Note = (severity: 'error' | 'warning', code: ExportIssueCode, path: string, message: string) => void;

/** The aggregation as IATI readers should understand it (IATI has no such field). */
function aggregationSentence(i: IndicatorEntity): string {
  return i.aggregation === 'latest'
    ? 'Values are levels to date: each actual is the level reached at the end of its period (latest value counts, periods are not added).'
    : 'Values are per period: the actuals of successive periods add up to the total achieved.';
}

/** What writing one indicator needs: its element, path, the activity's input, language and issue notes. */
interface IndicatorWriting {
  i: IndicatorEntity;
  el: XMLBuilder;
  path: string;
  input: ActivityExportInput;
  lang: string;
  note: Note;
  qualitative: boolean;
  /** Notes an error when the indicator is a percentage and `value` lies outside 0–100. */
  checkPercent: (value: string | null | undefined, where: string) => void;
}

function writeIndicator(
  r: XMLBuilder,
  node: IndicatorNode,
  path: string,
  input: ActivityExportInput,
  lang: string,
  tagged: Set<string>,
  note: Note,
): void {
  const i = node.indicator;
  const percentage = i.measure === 'percentage';
  const checkPercent = (value: string | null | undefined, where: string) => {
    if (!percentage || value == null) return;
    const v = new Decimal(value);
    if (v.lt(0) || v.gt(100))
      note('error', 'percentage_out_of_range', where, `The percentage ${value} is outside 0–100 (${i.code}).`);
  };
  const el = r.ele('indicator', {
    measure: MEASURE_CODE[i.measure],
    ascending: i.direction === 'increase' ? '1' : '0',
  });
  const w: IndicatorWriting = {
    i,
    el,
    path,
    input,
    lang,
    note,
    qualitative: i.measure === 'qualitative',
    checkPercent,
  };
  el.ele('title').ele('narrative', { 'xml:lang': lang }).txt(i.title).up().up();
  const description = [i.definition?.trim(), aggregationSentence(i)].filter(Boolean).join('\n\n');
  el.ele('description').ele('narrative', { 'xml:lang': lang }).txt(description).up().up();
  if (i.sdgIndicatorCode) {
    el.ele('reference', { vocabulary: '9', code: i.sdgIndicatorCode }).up();
    const target = i.sdgIndicatorCode.split('.').slice(0, 2).join('.');
    if (!tagged.has(target))
      note(
        'error',
        'sdg_tag_inconsistent',
        `${path}/reference`,
        `The indicator references SDG indicator ${i.sdgIndicatorCode}, but the activity is not tagged with its target ${target}: link the target to the project, the outcome or the output.`,
      );
  }
  writeBaseline(w);
  writePeriods(w, node);
  writeIndicatorExtension(w);
}

/** The baseline (left out, with a warning, when it has no year). */
function writeBaseline({ i, el, path, lang, note, qualitative, checkPercent }: IndicatorWriting): void {
  const baselineYear = i.baselineYear ?? (i.baselineDate ? Number(i.baselineDate.slice(0, 4)) : null);
  const hasBaseline = i.baselineValue !== null || (i.baselineComment ?? '').trim() !== '';
  if (hasBaseline && baselineYear === null) {
    note(
      'warning',
      'baseline_year_missing',
      `${path}/baseline`,
      'The baseline has no year (IATI requires one); it was left out.',
    );
  } else if (hasBaseline && baselineYear !== null) {
    const attrs: Record<string, string> = { year: String(baselineYear) };
    if (i.baselineDate) attrs['iso-date'] = i.baselineDate;
    if (!qualitative && i.baselineValue !== null) attrs.value = i.baselineValue;
    checkPercent(i.baselineValue, `${path}/baseline/@value`);
    const b = el.ele('baseline', attrs);
    if (i.baselineComment?.trim())
      b.ele('comment').ele('narrative', { 'xml:lang': lang }).txt(i.baselineComment).up().up();
    if (i.baselineNumerator !== null && i.baselineDenominator !== null)
      b.ele(RBM_IATI_NS, 'rbm:ratio', { numerator: i.baselineNumerator, denominator: i.baselineDenominator }).up();
  }
}

/** One period of the indicator: its dates, its target and its validated actual (either may be absent). */
interface PeriodOut {
  start: string;
  end: string;
  target?: IndicatorNode['periodTargets'][number];
  actual?: ExportActual;
}

/** Periods: each target and each validated actual in its own period; the same dates make one period. */
function writePeriods(w: IndicatorWriting, node: IndicatorNode): void {
  const periods = new Map<string, PeriodOut>();
  const key = (s: string, e: string) => `${s}..${e}`;
  for (const t of node.periodTargets)
    periods.set(key(t.periodStart, t.periodEnd), { start: t.periodStart, end: t.periodEnd, target: t });
  for (const act of w.input.actuals.get(w.i.stableId) ?? []) {
    const k = key(act.periodStart, act.periodEnd);
    const p = periods.get(k) ?? { start: act.periodStart, end: act.periodEnd };
    p.actual = act;
    periods.set(k, p);
  }
  const ordered = [...periods.values()].sort((x, y) => x.start.localeCompare(y.start) || x.end.localeCompare(y.end));
  ordered.forEach((p, pi) => {
    const pPath = `${w.path}/period[${pi + 1}]`;
    if (p.start > p.end)
      w.note('error', 'period_dates_reversed', pPath, `The period starts (${p.start}) after it ends (${p.end}).`);
    if (periodLongerThanYear(p.start, p.end))
      w.note(
        'warning',
        'period_longer_than_year',
        pPath,
        `The period ${p.start} to ${p.end} is longer than a year (IATI: result periods should not exceed a year).`,
      );
    const pe = w.el.ele('period');
    pe.ele('period-start', { 'iso-date': p.start }).up();
    pe.ele('period-end', { 'iso-date': p.end }).up();
    if (p.target) writePeriodTarget(w, pe, pPath, p.target);
    if (p.actual) writePeriodActual(w, pe, pPath, p.actual);
  });
}

/** A period's target, then one `<target>` per disaggregated value. */
function writePeriodTarget(
  { lang, input, qualitative, checkPercent }: IndicatorWriting,
  pe: XMLBuilder,
  pPath: string,
  t: IndicatorNode['periodTargets'][number],
): void {
  checkPercent(t.value, `${pPath}/target/@value`);
  const te = pe.ele('target', !qualitative && t.value !== null ? { value: t.value } : {});
  if (qualitative && t.description?.trim())
    te.ele('comment').ele('narrative', { 'xml:lang': lang }).txt(t.description).up().up();
  if (t.numerator !== null && t.denominator !== null)
    te.ele(RBM_IATI_NS, 'rbm:ratio', { numerator: t.numerator, denominator: t.denominator }).up();
  for (const d of input.targetDisaggregations.get(t.id) ?? []) {
    checkPercent(d.value, `${pPath}/target/dimension[@name="${d.dimension}"]`);
    pe.ele('target', d.value !== null ? { value: d.value } : {})
      .ele('dimension', { name: d.dimension, value: d.category })
      .up()
      .up();
  }
}

/** A period's validated actual (with its comment, evidence and variance explanation), then one `<actual>` per disaggregated value. */
function writePeriodActual(
  { i, lang, qualitative, checkPercent }: IndicatorWriting,
  pe: XMLBuilder,
  pPath: string,
  act: ExportActual,
): void {
  checkPercent(act.value, `${pPath}/actual/@value`);
  const ae = pe.ele('actual', !qualitative && act.value !== null ? { value: act.value } : {});
  const comment = [qualitative ? act.text?.trim() : null, act.varianceExplanation?.trim()].filter(Boolean).join('\n\n');
  if (comment) ae.ele('comment').ele('narrative', { 'xml:lang': lang }).txt(comment).up().up();
  if (act.publicEvidenceUrl)
    ae.ele('document-link', { url: act.publicEvidenceUrl, format: 'text/html' })
      .ele('title')
      .ele('narrative', { 'xml:lang': lang })
      .txt(`Evidence for ${i.title}, ${act.periodStart} to ${act.periodEnd}`)
      .up()
      .up()
      .ele('category', { code: 'A07' })
      .up()
      .up();
  if (act.varianceExplanation) ae.ele(RBM_IATI_NS, 'rbm:variance-explanation').txt(act.varianceExplanation).up();
  for (const d of act.disaggregations) {
    checkPercent(d.value, `${pPath}/actual/dimension[@name="${d.dimension}"]`);
    pe.ele('actual', d.value !== null ? { value: d.value } : {})
      .ele('dimension', { name: d.dimension, value: d.category })
      .up()
      .up();
  }
}

/** The extension: what IATI lacks, so our importer can read the logframe back. */
function writeIndicatorExtension({ i, el, path, checkPercent }: IndicatorWriting): void {
  const attrs: Record<string, string> = { id: i.stableId, code: i.code, aggregation: i.aggregation };
  if (i.unit) attrs.unit = i.unit;
  if (i.collectionFrequency) attrs['collection-frequency'] = i.collectionFrequency;
  const x = el.ele(RBM_IATI_NS, 'rbm:indicator', attrs);
  if (i.meansOfVerification) x.ele(RBM_IATI_NS, 'rbm:means-of-verification').txt(i.meansOfVerification).up();
  if (i.dataSource) x.ele(RBM_IATI_NS, 'rbm:data-source').txt(i.dataSource).up();
  if (i.definition) x.ele(RBM_IATI_NS, 'rbm:definition').txt(i.definition).up();
  for (const d of i.requiredDisaggregations) x.ele(RBM_IATI_NS, 'rbm:required-disaggregation', { name: d }).up();
  if (i.endTargetValue !== null || i.endTargetDescription) {
    checkPercent(i.endTargetValue, `${path}/rbm:indicator/rbm:end-target/@value`);
    const et: Record<string, string> = {};
    if (i.endTargetValue !== null) et.value = i.endTargetValue;
    if (i.endTargetNumerator !== null) et.numerator = i.endTargetNumerator;
    if (i.endTargetDenominator !== null) et.denominator = i.endTargetDenominator;
    const e = x.ele(RBM_IATI_NS, 'rbm:end-target', et);
    if (i.endTargetDescription) e.ele(RBM_IATI_NS, 'rbm:description').txt(i.endTargetDescription).up();
  }
}
