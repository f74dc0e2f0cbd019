import type { LogframeDocument, LogframeReadDocument } from '#libs/logframe';
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
 * The request document with every measure as an exact decimal string. `String(n)` of a JSON number
 * is its shortest round-trip form (12.5 → '12.5'), so no binary float reaches a calculation.
 */
export function toLogframeDocument(dto: LogframeDto): LogframeDocument {
  return mapMeasures(dto, (v) => (typeof v === 'number' ? String(v) : v)) as LogframeDocument;
}

/** The read document with every measure as a JSON number. */
export function toLogframeResponse(doc: LogframeReadDocument): unknown {
  return mapMeasures(doc, (v) => (typeof v === 'string' ? Number(v) : v));
}
