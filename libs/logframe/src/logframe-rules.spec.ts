import { describe, expect, it } from '@jest/globals';
import { CalcDecimal } from '#libs/calculations';
import { isBeyondBaseline, isPeriodWithinProject, periodOutsideProject } from './logframe-rules.js';

describe('isBeyondBaseline (shared by the save and the QA checklist)', () => {
  it('wants an end target strictly above the baseline for an increasing indicator', () => {
    expect(isBeyondBaseline('12', '10', 'increase', true)).toBe(true);
    expect(isBeyondBaseline('10', '10', 'increase', true)).toBe(false);
    expect(isBeyondBaseline('9.5', '10', 'increase', true)).toBe(false);
  });

  it('accepts a period target equal to the baseline but not on the wrong side', () => {
    expect(isBeyondBaseline('10', '10', 'increase', false)).toBe(true);
    expect(isBeyondBaseline('9.99', '10', 'increase', false)).toBe(false);
    expect(isBeyondBaseline('10', '10', 'decrease', false)).toBe(true);
    expect(isBeyondBaseline('10.01', '10', 'decrease', false)).toBe(false);
  });

  it('wants an end target strictly below the baseline for a decreasing indicator, exactly (no float rounding)', () => {
    expect(isBeyondBaseline('0.3', '0.30000000000000001', 'decrease', true)).toBe(true);
    expect(isBeyondBaseline(new CalcDecimal('5'), new CalcDecimal('5'), 'decrease', true)).toBe(false);
    expect(isBeyondBaseline(new CalcDecimal('4'), new CalcDecimal('5'), 'decrease', true)).toBe(true);
  });
});

describe('periodOutsideProject / isPeriodWithinProject (shared by the save and the QA checklist)', () => {
  const project = { startDate: '2026-01-01', endDate: '2027-12-31' };

  it('tells a start before the project from an end after it', () => {
    expect(periodOutsideProject({ periodStart: '2025-10-01', periodEnd: '2025-12-31' }, project)).toEqual({
      startsBefore: true,
      endsAfter: false,
    });
    expect(periodOutsideProject({ periodStart: '2027-10-01', periodEnd: '2028-03-31' }, project)).toEqual({
      startsBefore: false,
      endsAfter: true,
    });
    expect(isPeriodWithinProject({ periodStart: '2026-01-01', periodEnd: '2027-12-31' }, project)).toBe(true);
    expect(isPeriodWithinProject({ periodStart: '2025-12-31', periodEnd: '2026-03-31' }, project)).toBe(false);
  });

  it('treats an open project date as no bound', () => {
    const open = { startDate: null, endDate: null };
    expect(isPeriodWithinProject({ periodStart: '1999-01-01', periodEnd: '2099-12-31' }, open)).toBe(true);
    expect(
      periodOutsideProject({ periodStart: '2030-01-01', periodEnd: '2030-03-31' }, { ...project, endDate: null }),
    ).toEqual({
      startsBefore: false,
      endsAfter: false,
    });
  });
});
