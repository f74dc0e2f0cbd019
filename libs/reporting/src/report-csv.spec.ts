import { describe, expect, it } from '@jest/globals';
import { safeCsvText } from './report-csv.js';

describe('safeCsvText (CSV formula injection)', () => {
  it('prefixes a quote to text a spreadsheet would run as a formula', () => {
    expect(safeCsvText('=HYPERLINK("http://evil","x") papers')).toBe(`'=HYPERLINK("http://evil","x") papers`);
    expect(safeCsvText('+1')).toBe("'+1");
    expect(safeCsvText('-cmd')).toBe("'-cmd");
    expect(safeCsvText('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('leaves ordinary text alone', () => {
    expect(safeCsvText('Number of prosecutors trained')).toBe('Number of prosecutors trained');
    expect(safeCsvText('OP1-I1')).toBe('OP1-I1');
  });
});
