/**
 * Locale formatting and parsing. Everything visible goes through Intl for the current language;
 * calendar dates (YYYY-MM-DD, no time) are formatted with timeZone UTC so that no local midnight
 * can shift them by a day (America/Lima is UTC−5, Asia/Kathmandu UTC+5:45).
 */

/** The Intl locale of a UI language and digit preference: Arabic keeps Latin digits unless asked. */
export function intlLocale(language: string, arabicIndicDigits = false): string {
  if (language === 'ar') return arabicIndicDigits ? 'ar-u-nu-arab' : 'ar-u-nu-latn';
  return language;
}

/** Formats a calendar date `YYYY-MM-DD` (or null → dash) for the locale, e.g. fr → "31 mars 2026". */
export function formatDate(value: string | null | undefined, locale: string): string {
  if (!value) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return value;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** Formats an instant (ISO date-time) in the user's own time zone. */
export function formatDateTime(value: string | null | undefined, locale: string): string {
  if (!value) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
}

/** Formats a number for the locale (null → dash); never rounds below 10 decimals. */
export function formatNumber(
  value: number | null | undefined,
  locale: string,
  options: { grouping?: boolean } = {},
): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 10, useGrouping: options.grouping ?? true }).format(
    value,
  );
}

/**
 * Formats an amount of money for the locale with its ISO 4217 code after it: at least two decimals
 * (`202 736,20 GBP` in French, never `202 736,2`), more when entered, never rounded; null → dash.
 */
export function formatMoney(value: number | null | undefined, currency: string, locale: string): string {
  if (value === null || value === undefined) return '—';
  const amount = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 10 }).format(value);
  return `${amount} ${currency}`;
}

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';
const EXTENDED_ARABIC_INDIC = '۰۱۲۳۴۵۶۷۸۹';

/** The decimal and group separators Intl uses for a locale. */
export function separators(locale: string): { decimal: string; group: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  return {
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
  };
}

/**
 * Parses what a person typed or pasted as a number in the locale: both digit sets (Latin and
 * Arabic-Indic), the locale's decimal separator, group separators (including the narrow no-break
 * space French uses and ordinary spaces) and a leading minus. French `1 234,5` → 1234.5; Arabic
 * `١٢٣٫٥` → 123.5; English `1,234.5` → 1234.5. Returns null for empty input and NaN for text that is
 * not a number (the caller shows the field error).
 */
export function parseLocaleNumber(text: string, locale: string): number | null {
  let s = text.trim();
  if (s === '') return null;
  s = s
    .replace(/[٠-٩]/g, (d) => String(ARABIC_INDIC.indexOf(d)))
    .replace(/[۰-۹]/g, (d) => String(EXTENDED_ARABIC_INDIC.indexOf(d)));
  s = s.replace(/[\u2212\u2012\u2013]/g, '-').replace(/\u061c|\u200e|\u200f/g, '');
  const { decimal, group } = separators(locale);
  // Arabic decimal (٫) and group (٬) separators are accepted whatever the locale's choice.
  s = s.replace(/٫/g, decimal).replace(/٬/g, group);
  s = s.replace(/[\s\u00a0\u202f]/g, '');
  if (group.trim() !== '' && group !== decimal) s = s.split(group).join('');
  if (decimal !== '.') {
    if (s.includes('.') && !s.includes(decimal)) return Number.NaN;
    s = s.replace(decimal, '.');
  }
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(s)) return Number.NaN;
  return Number(s);
}
