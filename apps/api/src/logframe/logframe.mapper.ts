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
  return mapMeasures(dto, (v) => (typeof v === 'number' ? decimalFromJson(v) : v)) as LogframeDocument;
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

/** The read document with every measure as a JSON number. */
export function toLogframeResponse(doc: LogframeReadDocument): unknown {
  return mapMeasures(doc, (v) => (typeof v === 'string' ? Number(v) : v));
}
