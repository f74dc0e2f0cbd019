/** `name` or `name[n]`: the index is shown only when there are several siblings of that name. */
export function step(name: string, index: number, count: number): string {
  return count > 1 ? `${name}[${index}]` : name;
}

/** Period dates outside these bounds (e.g. `9999-12-31`) are placeholders, not reporting periods. */
export const PLAUSIBLE_FROM = '1900-01-01';
export const PLAUSIBLE_TO = '2100-12-31';

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
export function readBoolean(raw: string | null): boolean | null | 'invalid' {
  if (raw === null) return null;
  const v = raw.toLowerCase();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  return 'invalid';
}
