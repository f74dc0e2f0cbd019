import type { LogframeDocument, LogframeReadDocument } from '#libs/logframe';
import { decimalFromJson } from '../common/exact-number.js';
import type { LogframeDto } from './logframe.dto.js';

/** Keys that hold measures: exact decimal strings inside, JSON numbers at the API edge. */
const MEASURE_KEYS = new Set(['value', 'numerator', 'denominator', 'min', 'max']);

function mapMeasures(node: unknown, convert: (value: unknown) => unknown): unknown {
  if (Array.isArray(node)) return node.map((item) => mapMeasures(item, convert));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      MEASURE_KEYS.has(key) && value !== null && typeof value !== 'object'
        ? convert(value)
        : mapMeasures(value, convert),
    ]),
  );
}

/**
 * The request document with every measure as an exact decimal string in plain notation
 * (`decimalFromJson`: 12.5 → '12.5', 1e-7 → '0.0000001'), so no binary float reaches a calculation.
 */
export function toLogframeDocument(dto: LogframeDto): LogframeDocument {
  return mapMeasures(withoutReadOnly(dto), (v) => (typeof v === 'number' ? decimalFromJson(v) : v)) as LogframeDocument;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A revision diff's before/after values with every measure (value, numerator, denominator, scale
 * bounds) and the budget amount as JSON numbers, like every other figure the API returns.
 */
export function diffValuesAsJsonNumbers<T extends { fields: { field: string; before: unknown; after: unknown }[] }>(
  changes: T[],
): T[] {
  const convert = (field: string, value: unknown): unknown =>
    field === 'budgetAmount' || MEASURE_KEYS.has(field)
      ? typeof value === 'string' && DECIMAL.test(value)
        ? Number(value)
        : value
      : mapMeasures(value, (v) => (typeof v === 'string' && DECIMAL.test(v) ? Number(v) : v));
  return changes.map((change) => ({
    ...change,
    fields: change.fields.map((f) => ({ ...f, before: convert(f.field, f.before), after: convert(f.field, f.after) })),
  }));
}

/** Fields GET returns that PUT ignores (`readOnly` in OpenAPI): the document's and each indicator's. */
const READ_ONLY_TOP = ['projectId', 'revision'] as const;
const READ_ONLY_INDICATOR = ['actualCount', 'retired', 'impliedSdgTargetCode', 'flags'] as const;

function withoutReadOnly(dto: LogframeDto): LogframeDto {
  const copy = { ...dto };
  for (const key of READ_ONLY_TOP) delete copy[key];
  type Ind = Record<string, unknown>;
  const strip = (indicators: Ind[] | undefined) =>
    indicators?.map((i) =>
      Object.fromEntries(Object.entries(i).filter(([k]) => !(READ_ONLY_INDICATOR as readonly string[]).includes(k))),
    );
  type Out = { indicators?: Ind[] } & Record<string, unknown>;
  copy.impactIndicators = strip(copy.impactIndicators as unknown as Ind[]) as never;
  copy.unlinkedOutputs = copy.unlinkedOutputs?.map((o) => ({
    ...o,
    indicators: strip((o as unknown as Out).indicators),
  })) as never;
  copy.outcomes = copy.outcomes?.map((o) => ({
    ...o,
    indicators: strip((o as unknown as Out).indicators),
    outputs: o.outputs?.map((p) => ({ ...p, indicators: strip((p as unknown as Out).indicators) })),
  })) as never;
  return copy;
}

/** The read document with every measure as a JSON number. */
export function toLogframeResponse(doc: LogframeReadDocument): unknown {
  return mapMeasures(doc, (v) => (typeof v === 'string' ? Number(v) : v));
}
