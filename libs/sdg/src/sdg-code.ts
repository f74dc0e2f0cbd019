/**
 * SDG codes (DESIGN.md §2): goal `16`, target `16.4` or `1.a`, indicator `16.4.1` or `1.a.2`.
 * Letters are lower case in the official framework; some IATI files write `1.A`.
 */
const GOAL = /^([1-9]|1[0-7])$/;
const TARGET = /^([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])$/;
const INDICATOR = /^([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])\.([1-9][0-9]?)$/;

/** Trims and lower-cases a code (`' 1.A '` → `'1.a'`). Does not check that it exists. */
export function normaliseSdgCode(raw: string): string {
  return raw.trim().toLowerCase();
}

/** `'goal' | 'target' | 'indicator'` for a well-formed (normalised) code, else `null`. */
export function sdgCodeKind(code: string): 'goal' | 'target' | 'indicator' | null {
  if (GOAL.test(code)) return 'goal';
  if (TARGET.test(code)) return 'target';
  if (INDICATOR.test(code)) return 'indicator';
  return null;
}

/** The target an indicator code belongs to (`16.4.1` → `16.4`). */
export function targetOfIndicator(code: string): string {
  return code.split('.').slice(0, 2).join('.');
}
