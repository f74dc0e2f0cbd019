import { describe, expect, it } from '@jest/globals';
import { decimalTransformer } from './column-types.js';

describe('decimalTransformer (numeric columns as plain decimal strings)', () => {
  it('never returns exponent notation, in either direction', () => {
    // decimal.js's global default writes 0.00000001 as '1e-8' (toExpNeg -7) and 1e21 as '1e+21' (toExpPos 21).
    expect(decimalTransformer.from('0.00000001')).toBe('0.00000001');
    expect(decimalTransformer.to('1e-8')).toBe('0.00000001');
    expect(decimalTransformer.from('1000000000000000000000')).toBe('1000000000000000000000');
    expect(decimalTransformer.to('1e21')).toBe('1000000000000000000000');
  });

  it('normalises trailing zeros and negative zero, keeps null', () => {
    expect(decimalTransformer.from('12.500')).toBe('12.5');
    expect(decimalTransformer.from('-0.000')).toBe('0');
    expect(decimalTransformer.from(null)).toBeNull();
    expect(decimalTransformer.to(null)).toBeNull();
    expect(decimalTransformer.to(undefined)).toBeUndefined();
  });
});
