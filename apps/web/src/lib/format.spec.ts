import { describe, expect, it } from '@jest/globals';
import { formatDate, formatMoney, formatNumber, intlLocale, parseLocaleNumber } from './format';

describe('parseLocaleNumber', () => {
  it('reads French separators, typed or pasted (narrow no-break, no-break or plain spaces)', () => {
    expect(parseLocaleNumber('1 234,5', 'fr')).toBe(1234.5);
    expect(parseLocaleNumber('1\u202f234,5', 'fr')).toBe(1234.5);
    expect(parseLocaleNumber('1\u00a0234,5', 'fr')).toBe(1234.5);
    expect(parseLocaleNumber('-0,25', 'fr')).toBe(-0.25);
    // A dot in French is not the decimal separator: refused rather than read as 1.5 or 15.
    expect(parseLocaleNumber('1.5', 'fr')).toBeNaN();
  });

  it('reads English groups and decimals', () => {
    expect(parseLocaleNumber('1,234.5', 'en')).toBe(1234.5);
    expect(parseLocaleNumber('12', 'en')).toBe(12);
    expect(parseLocaleNumber('', 'en')).toBeNull();
    expect(parseLocaleNumber('twelve', 'en')).toBeNaN();
  });

  it('reads both digit sets in Arabic, with Arabic or Latin separators', () => {
    // ١٢٣٤٫٥ is 1234.5 written with Arabic-Indic digits and the Arabic decimal separator.
    expect(parseLocaleNumber('١٬٢٣٤٫٥', intlLocale('ar'))).toBe(1234.5);
    expect(parseLocaleNumber('١٢٣٤٫٥', intlLocale('ar', true))).toBe(1234.5);
    expect(parseLocaleNumber('1,234.5', intlLocale('ar'))).toBe(1234.5);
    expect(parseLocaleNumber('۴۵', intlLocale('ar'))).toBe(45);
  });
});

describe('formatDate', () => {
  it('keeps calendar dates on their day whatever the time zone (formatted in UTC)', () => {
    // Jest runs this suite under TZ=Asia/Kathmandu in CI; local midnight would not shift a UTC format.
    expect(formatDate('2026-03-31', 'en')).toBe('Mar 31, 2026');
    expect(formatDate('2026-01-01', 'fr')).toBe('1 janv. 2026');
  });

  it('shows Latin digits in Arabic unless Arabic-Indic digits are chosen', () => {
    expect(formatDate('2026-03-31', intlLocale('ar'))).toContain('2026');
    expect(formatDate('2026-03-31', intlLocale('ar', true))).toContain('٢٠٢٦');
    expect(formatDate(null, 'en')).toBe('—');
  });
});

describe('formatNumber', () => {
  it('groups quantities by the locale and leaves identifiers such as a year ungrouped', () => {
    expect(formatNumber(13594502, 'en')).toBe('13,594,502');
    expect(formatNumber(0.0061, 'en')).toBe('0.0061');
    // The baseline year field: 2025, never "2,025" (seen in the Arabic editor screenshot).
    expect(formatNumber(2025, 'en', { grouping: false })).toBe('2025');
    expect(formatNumber(2025, 'ar-u-nu-latn', { grouping: false })).toBe('2025');
  });
});

describe('formatMoney', () => {
  it('shows an amount with at least two decimals and its currency code, never rounded', () => {
    // French groups with a narrow no-break space (U+202F) and uses a decimal comma.
    expect(formatMoney(202736.2, 'GBP', 'fr')).toBe('202\u202f736,20 GBP');
    expect(formatMoney(1500000, 'USD', 'en')).toBe('1,500,000.00 USD');
    expect(formatMoney(0.125, 'EUR', 'en')).toBe('0.125 EUR');
    expect(formatMoney(null, 'USD', 'en')).toBe('—');
  });
});
