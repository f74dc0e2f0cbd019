import { addQuarters, compareDates, quarterOf, quarterRange } from '@calculations/reporting-period';
import type { Schemas } from '../../api/client';

/** The logframe as the editor holds it: the read document (its read-only fields typed `readOnly` in OpenAPI). */
export type Logframe = Schemas['LogframeResponseDto'];
export type Outcome = Schemas['OutcomeDto'];
export type Output = Schemas['OutputDto'];
export type Indicator = Schemas['IndicatorDto'];
export type Activity = Schemas['ActivityDto'];
export type Assumption = Schemas['AssumptionDto'];
export type SdgLink = Schemas['SdgLinkDto'];
export type PeriodTarget = Schemas['PeriodTargetDto'];

export const MEASURES = ['number', 'percentage', 'ordinal', 'qualitative'] as const;
export const DIRECTIONS = ['increase', 'decrease'] as const;
export const AGGREGATIONS = ['sum', 'latest'] as const;
export const FREQUENCIES = ['quarterly', 'semi_annual', 'annual', 'end_of_project'] as const;
export const LIKELIHOODS = ['low', 'medium', 'high'] as const;

const INDICATOR_KEYS = [
  'id',
  'code',
  'title',
  'definition',
  'measure',
  'unit',
  'direction',
  'aggregation',
  'ordinalScale',
  'baseline',
  'endTarget',
  'meansOfVerification',
  'dataSource',
  'collectionFrequency',
  'requiredDisaggregations',
  'standardIndicatorId',
  'sdgIndicatorCode',
  'periodTargets',
] as const;

function pick<T extends object>(source: T, keys: readonly string[]): T {
  return Object.fromEntries(Object.entries(source).filter(([k, v]) => keys.includes(k) && v !== undefined)) as T;
}

const indicatorDoc = (i: Indicator): Schemas['IndicatorDto'] => pick(i, INDICATOR_KEYS);
const outputDoc = (o: Output): Output => ({
  ...pick(o, ['id', 'code', 'statement']),
  sdgLinks: o.sdgLinks,
  assumptions: o.assumptions,
  indicators: o.indicators.map(indicatorDoc),
  activities: o.activities,
});

/** The PUT body: the read document without its read-only parts (the API refuses unknown fields). */
export function toDocument(lf: Logframe): Schemas['LogframeDto'] {
  return {
    version: lf.version,
    sdgLinks: lf.sdgLinks,
    assumptions: lf.assumptions,
    impactIndicators: lf.impactIndicators.map(indicatorDoc),
    outcomes: lf.outcomes.map((oc) => ({
      ...pick(oc, ['id', 'code', 'statement']),
      sdgLinks: oc.sdgLinks,
      assumptions: oc.assumptions,
      indicators: oc.indicators.map(indicatorDoc),
      outputs: oc.outputs.map(outputDoc),
    })),
    unlinkedOutputs: lf.unlinkedOutputs.map(outputDoc),
  };
}

/** A new indicator under a parent code: the next free `<parent>.<n>` code. */
export function newIndicator(parentCode: string, siblings: { code: string }[]): Indicator {
  return {
    code: nextCode(parentCode ? `${parentCode}.` : 'IM', siblings),
    title: '',
    measure: 'number',
    direction: 'increase',
    aggregation: 'sum',
    unit: null,
    baseline: null,
    endTarget: null,
    meansOfVerification: null,
    collectionFrequency: 'quarterly',
    requiredDisaggregations: [],
    sdgIndicatorCode: null,
    periodTargets: [],
  };
}

/** The next code `<prefix><n>` not used by a sibling (OC1, OC2 … ; OP1.1, OP1.2 …). */
export function nextCode(prefix: string, siblings: { code: string }[]): string {
  let n = siblings.length + 1;
  const used = new Set(siblings.map((s) => s.code));
  while (used.has(`${prefix}${n}`)) n += 1;
  return `${prefix}${n}`;
}

export function newOutcome(lf: Logframe): Outcome {
  return {
    code: nextCode('OC', lf.outcomes),
    statement: '',
    sdgLinks: [],
    assumptions: [],
    indicators: [],
    outputs: [],
  };
}

export function newOutput(outcome: Outcome): Output {
  const prefix = `OP${outcome.code.replace(/^OC/, '')}.`;
  return {
    code: nextCode(prefix, outcome.outputs),
    statement: '',
    sdgLinks: [],
    assumptions: [],
    indicators: [],
    activities: [],
  };
}

export function newActivity(output: Output): Activity {
  return {
    code: nextCode(`A${output.code.replace(/^OP/, '')}.`, output.activities),
    description: '',
    startDate: null,
    endDate: null,
  };
}

/**
 * Calendar quarters (start and end dates) covering [start, end], for the period targets table, from the
 * shared calculation library (at most 60 quarters).
 * @throws Error when a date is not a valid `YYYY-MM-DD` calendar date
 */
export function quartersBetween(start: string, end: string): Array<{ periodStart: string; periodEnd: string }> {
  const out: Array<{ periodStart: string; periodEnd: string }> = [];
  for (let q = quarterOf(start); out.length < 60; q = addQuarters(q, 1)) {
    const range = quarterRange(q.year, q.quarter);
    if (compareDates(range.start, end) > 0) break;
    out.push({ periodStart: range.start, periodEnd: range.end });
  }
  return out;
}

/** One difference between two versions of the logframe, for the conflict view. */
export interface Change {
  path: string;
  label: string;
  before: unknown;
  after: unknown;
}

/**
 * What changed between two logframe documents, element by element (matched by stable id, else by
 * code), field by field, e.g. `OC1.1 · endTarget.value: 45 → 50`. Used to show what another person
 * saved since the version the user started from.
 */
export function diffLogframes(before: Logframe, after: Logframe): Change[] {
  const changes: Change[] = [];
  const elements = (lf: Logframe) => {
    const map = new Map<string, { code: string; node: Record<string, unknown> }>();
    const add = (node: { id?: string; code: string }) =>
      map.set(node.id ?? `code:${node.code}`, { code: node.code, node: node as unknown as Record<string, unknown> });
    lf.impactIndicators.forEach(add);
    for (const oc of lf.outcomes) {
      add(oc);
      oc.indicators.forEach(add);
      for (const op of oc.outputs) {
        add(op);
        op.indicators.forEach(add);
        op.activities.forEach(add);
      }
    }
    return map;
  };
  const a = elements(before);
  const b = elements(after);
  const skip = new Set([
    'outputs',
    'indicators',
    'activities',
    'actualCount',
    'flags',
    'retired',
    'impliedSdgTargetCode',
  ]);
  for (const [key, { code, node }] of b) {
    const old = a.get(key);
    if (!old) {
      changes.push({ path: code, label: code, before: null, after: 'added' });
      continue;
    }
    for (const field of new Set([...Object.keys(old.node), ...Object.keys(node)])) {
      if (skip.has(field)) continue;
      const x = JSON.stringify(old.node[field] ?? null);
      const y = JSON.stringify(node[field] ?? null);
      if (x !== y)
        changes.push({
          path: `${code}.${field}`,
          label: `${code} · ${field}`,
          before: old.node[field] ?? null,
          after: node[field] ?? null,
        });
    }
  }
  for (const [key, { code }] of a)
    if (!b.has(key)) changes.push({ path: code, label: code, before: 'present', after: 'removed' });
  for (const field of ['sdgLinks', 'assumptions'] as const)
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field]))
      changes.push({ path: field, label: field, before: before[field], after: after[field] });
  return changes;
}
