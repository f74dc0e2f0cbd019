import { describe, it, expect } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { CalcDecimal, DECIMAL_PRECISION, isDecimalString, parseDecimal, toPlainString } from './decimal.js';

describe('decimal helpers', () => {
  it('loads decimal.js under ESM and computes exactly (0.1 + 0.2 = 0.3, not 0.30000000000000004)', () => {
    expect(typeof Decimal).toBe('function');
    expect(toPlainString(parseDecimal('0.1').plus(parseDecimal('0.2')))).toBe('0.3');
  });

  it('accepts plain decimal strings and rejects everything else', () => {
    for (const ok of ['0', '12', '-0.5', '+3', '12.50', '.5', '5.', '1e3', '1E-2']) {
      expect(isDecimalString(ok)).toBe(true);
    }
    for (const bad of ['', ' 1', '1 ', '1,000', '0x10', 'NaN', 'Infinity', '-', 'abc', '1.2.3', '£5']) {
      expect(isDecimalString(bad)).toBe(false);
    }
    expect(isDecimalString(12)).toBe(false);
    expect(isDecimalString(null)).toBe(false);
  });

  it('throws a clear error naming the value and its label', () => {
    expect(() => parseDecimal('1,000', 'baseline')).toThrow('Invalid decimal for baseline: "1,000"');
    expect(() => parseDecimal('NaN')).toThrow(/Invalid decimal for value/);
  });

  it('formats without exponent, trailing zeros or negative zero', () => {
    expect(toPlainString(parseDecimal('12.50'))).toBe('12.5');
    expect(toPlainString(parseDecimal('1e-12'))).toBe('0.000000000001');
    expect(toPlainString(parseDecimal('1e25'))).toBe('10000000000000000000000000');
    expect(toPlainString(parseDecimal('0').times(-1))).toBe('0');
  });

  it('divides to DECIMAL_PRECISION significant digits, half-up, independent of the global Decimal config', () => {
    const saved = Decimal.precision;
    Decimal.set({ precision: 5 });
    try {
      // 200 / 3 = 66.666…; 40 significant digits: 2 before the point, 38 after, last digit rounded up.
      const value = toPlainString(new CalcDecimal(200).dividedBy(3));
      expect(DECIMAL_PRECISION).toBe(40);
      expect(value).toBe(`66.${'6'.repeat(37)}7`);
    } finally {
      Decimal.set({ precision: saved });
    }
  });

  it('adds large values exactly', () => {
    // 12345678901234567890.1234 + 0.0001 = 12345678901234567890.1235 (24 significant digits)
    expect(toPlainString(parseDecimal('12345678901234567890.1234').plus(parseDecimal('0.0001')))).toBe(
      '12345678901234567890.1235',
    );
  });
});
