import { describe, expect, it } from '@jest/globals';
import SSF from 'ssf';
import {
  formatComputed,
  formatEntered,
  formatPercentValue,
  isTerminatingFraction,
  xlsxNumberFormat,
} from './number-presentation.js';

describe('the one number rule for presenting figures', () => {
  it('prints entered values exactly as stored, with thousands separators', () => {
    expect([0.0072, 0.005, 0.0061].map((v) => formatEntered(v))).toEqual(['0.0072', '0.005', '0.0061']);
    expect(formatEntered(13594502)).toBe('13,594,502');
    expect(formatEntered(100)).toBe('100');
    expect(formatEntered(1e-7)).toBe('0.0000001');
    expect(formatEntered('1234567.125')).toBe('1,234,567.125');
    expect(formatEntered(-4500.5)).toBe('-4,500.5');
    expect(formatEntered(13594502.25, 'fr')).toBe('13\u202f594\u202f502,25');
  });

  it('prints percentages to 1 dp, half away from zero', () => {
    expect(formatPercentValue('38.46153846153846153846')).toBe('38.5');
    expect(formatPercentValue(50)).toBe('50.0');
    expect(formatPercentValue(0.05)).toBe('0.1');
    expect(formatPercentValue(1234.56)).toBe('1,234.6');
  });

  it('prints other computed values exactly when they terminate, else to 4 significant digits', () => {
    expect(isTerminatingFraction(1, 8)).toBe(true);
    expect(isTerminatingFraction(1, 3)).toBe(false);
    expect(isTerminatingFraction('0.3', '0.6')).toBe(true);
    expect(formatComputed({ numerator: 1, denominator: 8 })).toBe('0.125');
    expect(formatComputed({ numerator: 2, denominator: 3 })).toBe('0.6667');
    expect(formatComputed({ numerator: 200000, denominator: 3 })).toBe('66,670');
    expect(formatComputed('12345.6789')).toBe('12,345.6789');
    expect(formatComputed('0.33333333333333333333')).toBe('0.3333');
  });

  it('gives XLSX formats that SSF renders exactly: #,##0 for whole numbers, one 0 per decimal place', () => {
    expect(xlsxNumberFormat(100)).toBe('#,##0');
    expect(xlsxNumberFormat(0.0061)).toBe('#,##0.0000');
    const cells = [100, 13594502, 0.0061, 0.0072, 0.005, 12.5].map((v) => SSF.format(xlsxNumberFormat(v), v));
    expect(cells).toEqual(['100', '13,594,502', '0.0061', '0.0072', '0.005', '12.5']);
    // The former format showed whole numbers with a trailing dot.
    expect(SSF.format('#,##0.##', 100)).toBe('100.');
  });
});
