import { describe, expect, it } from '@jest/globals';
import { checkDisaggregation } from './disaggregation.js';

describe('checkDisaggregation', () => {
  it('accepts parts that add up to the total (12 + 13 = 25)', () => {
    expect(
      checkDisaggregation(
        'number',
        { value: '25' },
        [
          { dimension: 'sex', category: 'female', value: '12' },
          { dimension: 'sex', category: 'male', value: '13' },
        ],
        ['sex'],
      ),
    ).toEqual([]);
  });

  it('names the difference when they do not (12 + 10 = 22 against 25: 3 short)', () => {
    expect(
      checkDisaggregation(
        'number',
        { value: '25' },
        [
          { dimension: 'sex', category: 'female', value: '12' },
          { dimension: 'sex', category: 'male', value: '10' },
        ],
        ['sex'],
      ),
    ).toEqual([
      {
        dimension: 'sex',
        code: 'parts_mismatch',
        params: { dimension: 'sex', part: 'value', sum: '22', total: '25', difference: '3', direction: 'short' },
        message: 'sex: female 12 + male 10 = 22, but the total is 25: the parts are 3 short',
      },
    ]);
  });

  it('checks numerators and denominators of percentages, never the percentages', () => {
    // Total 30/40 = 75 %; parts 20/25 (80 %) and 10/15 (66.7 %): numerators 30 = 30, denominators 40 = 40.
    expect(
      checkDisaggregation(
        'percentage',
        { numerator: '30', denominator: '40' },
        [
          { dimension: 'sex', category: 'female', numerator: '20', denominator: '25' },
          { dimension: 'sex', category: 'male', numerator: '10', denominator: '15' },
        ],
        [],
      ),
    ).toEqual([]);
    expect(
      checkDisaggregation(
        'percentage',
        { numerator: '30', denominator: '40' },
        [
          { dimension: 'sex', category: 'female', numerator: '20', denominator: '25' },
          { dimension: 'sex', category: 'male', numerator: '10', denominator: '10' },
        ],
        [],
      ),
    ).toEqual([
      {
        dimension: 'sex',
        code: 'parts_mismatch',
        params: { dimension: 'sex', part: 'denominator', sum: '35', total: '40', difference: '5', direction: 'short' },
        message: 'sex denominators: female 25 + male 10 = 35, but the total is 40: the parts are 5 short',
      },
    ]);
  });

  it('does not sum overlapping groups, and asks for required dimensions', () => {
    expect(
      checkDisaggregation(
        'number',
        { value: '10' },
        [
          { dimension: 'lnob', category: 'women', value: '8' },
          { dimension: 'lnob', category: 'victims', value: '6' },
        ],
        ['sex'],
      ),
    ).toEqual([
      {
        dimension: 'sex',
        code: 'dimension_required',
        params: { dimension: 'sex' },
        message: 'sex: this indicator requires values by sex',
      },
    ]);
  });

  it('refuses unknown sex categories and repeated categories', () => {
    expect(
      checkDisaggregation(
        'number',
        { value: '2' },
        [
          { dimension: 'sex', category: 'woman', value: '1' },
          { dimension: 'sex', category: 'woman', value: '1' },
        ],
        [],
      ).map((p) => ({ code: p.code, params: p.params, message: p.message })),
    ).toEqual([
      {
        code: 'not_in_list',
        params: { dimension: 'sex', category: 'woman', values: 'female, male, other, not_recorded' },
        message: "sex: category 'woman' must be one of: female, male, other, not_recorded",
      },
      {
        code: 'duplicate',
        params: { dimension: 'sex', category: 'woman' },
        message: "sex: category 'woman' is given twice",
      },
      {
        code: 'not_in_list',
        params: { dimension: 'sex', category: 'woman', values: 'female, male, other, not_recorded' },
        message: "sex: category 'woman' must be one of: female, male, other, not_recorded",
      },
    ]);
  });
});
