import { describe, expect, it } from '@jest/globals';
import { compareDecimals, normaliseDecimal, parseIatiNumber, sumDecimals } from './iati-number.js';

describe('parseIatiNumber', () => {
  it.each([
    ['12', '12'],
    ['12.5', '12.5'],
    [' 1,234 ', '1234'],
    ['1,234,567.25', '1234567.25'],
    ['1 234 567', '1234567'],
    ['1\u00a0234', '1234'],
    ['0012.50', '12.5'],
    ['-3', '-3'],
    ['+7', '7'],
    ['-0', '0'],
    ['.5', '0.5'],
    ['202736.20', '202736.2'],
    ['123456789012345678901234567890.123456789', '123456789012345678901234567890.123456789'],
  ])('reads %j as %j', (raw, value) => {
    const r = parseIatiNumber(raw);
    expect(r).toMatchObject({ value, currency: null, percent: false, problem: null, reason: null });
  });

  it.each([
    ['£3,500,000', '3500000', 'GBP'],
    ['£13,594,502', '13594502', 'GBP'],
    ['$100', '100', 'USD'],
    ['US$ 2,000', '2000', 'USD'],
    ['€1.5', '1.5', 'EUR'],
    ['100 €', '100', 'EUR'],
    ['USD 100', '100', 'USD'],
    ['usd100', '100', 'USD'],
    ['250 KES', '250', 'KES'],
    ['-£5', '-5', 'GBP'],
  ])('reads %j as %j with currency %s', (raw, value, currency) => {
    expect(parseIatiNumber(raw)).toMatchObject({ value, currency, percent: false, problem: null });
  });

  it('reads percentages on their 0-100 scale', () => {
    expect(parseIatiNumber('45%')).toMatchObject({ value: '45', percent: true, currency: null });
    expect(parseIatiNumber('12.5 %')).toMatchObject({ value: '12.5', percent: true });
  });

  it('never goes through JS floats', () => {
    expect(parseIatiNumber('0.1').value).toBe('0.1');
    expect(parseIatiNumber('9007199254740993').value).toBe('9007199254740993');
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    [':', 'placeholder'],
    ['N/A', 'placeholder'],
    ['n/a', 'placeholder'],
    ['-', 'placeholder'],
    ['TBD', 'placeholder'],
    ['2020:2160', 'year_prefixed'],
    ['2020:Yes', 'year_prefixed'],
    ['2020:', 'year_prefixed'],
    ['12,5', 'ambiguous_separator'],
    ['1,23,456', 'ambiguous_separator'],
    ['Around 12,167 households', 'not_numeric'],
    ['N=35;P=55', 'not_numeric'],
    ['10-20', 'not_numeric'],
    ['1e3', 'not_numeric'],
    ['12.5.3', 'not_numeric'],
    ['£45%', 'not_numeric'],
    ['ABC 100', 'not_numeric'],
    ['12 34', 'not_numeric'],
  ])('refuses %j (%s) with a reason', (raw, problem) => {
    const r = parseIatiNumber(raw);
    expect(r.value).toBeNull();
    expect(r.problem).toBe(problem);
    expect(r.reason).toEqual(expect.any(String));
  });

  it('treats null and undefined as empty', () => {
    expect(parseIatiNumber(null).problem).toBe('empty');
    expect(parseIatiNumber(undefined).problem).toBe('empty');
  });

  it('keeps the figure of a year-prefixed value aside without using it', () => {
    const r = parseIatiNumber('2020:2,160');
    expect(r.value).toBeNull();
    expect(r.yearPrefix).toEqual({ year: '2020', figure: '2,160', figureValue: '2160' });
    expect(r.reason).toContain('2020');
    expect(parseIatiNumber('2020:Completed').yearPrefix).toEqual({
      year: '2020',
      figure: 'Completed',
      figureValue: null,
    });
  });
});

describe('decimal helpers', () => {
  it('normalises and compares exactly', () => {
    expect(normaliseDecimal('1.000')).toBe('1');
    expect(normaliseDecimal('-0.00')).toBe('0');
    expect(compareDecimals('10', '9.999999999999999999')).toBeGreaterThan(0);
    expect(compareDecimals('2.50', '2.5')).toBe(0);
    expect(sumDecimals(['202736.20', '1683606.9'])).toBe('1886343.1');
  });

  it('throws on a non-number', () => {
    expect(() => normaliseDecimal('abc')).toThrow();
  });
});
