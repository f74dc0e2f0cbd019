import { describe, it, expect } from '@jest/globals';
import { roundPercent } from './round-percent.js';
import { DEFAULT_THRESHOLDS, statusFromAchievement, validateThresholds, type Thresholds } from './thresholds.js';

describe('DEFAULT_THRESHOLDS', () => {
  it('are 50 / 85 / 115, version 1, and frozen', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ version: 1, atRiskFrom: '50', onTrackFrom: '85', exceededAbove: '115' });
    expect(Object.isFrozen(DEFAULT_THRESHOLDS)).toBe(true);
  });
});

describe('statusFromAchievement', () => {
  it('uses half-open bands: exactly 50 is at_risk, exactly 85 and 115 are on_track', () => {
    expect(statusFromAchievement('49.9999999999')).toBe('off_track');
    expect(statusFromAchievement('50')).toBe('at_risk');
    expect(statusFromAchievement('84.9999999999')).toBe('at_risk');
    expect(statusFromAchievement('85')).toBe('on_track');
    expect(statusFromAchievement('85.0')).toBe('on_track');
    expect(statusFromAchievement('100')).toBe('on_track');
    expect(statusFromAchievement('115')).toBe('on_track');
    expect(statusFromAchievement('115.0000000001')).toBe('exceeded');
  });

  it('handles negative and large achievements', () => {
    expect(statusFromAchievement('-25')).toBe('off_track');
    expect(statusFromAchievement('0')).toBe('off_track');
    expect(statusFromAchievement('1000')).toBe('exceeded');
  });

  it('applies custom thresholds', () => {
    const custom: Thresholds = { version: 3, atRiskFrom: '60', onTrackFrom: '90', exceededAbove: '110' };
    expect(statusFromAchievement('55', custom)).toBe('off_track');
    expect(statusFromAchievement('60', custom)).toBe('at_risk');
    expect(statusFromAchievement('89', custom)).toBe('at_risk');
    expect(statusFromAchievement('110', custom)).toBe('on_track');
    expect(statusFromAchievement('110.5', custom)).toBe('exceeded');
  });

  it('throws on a malformed percent', () => {
    expect(() => statusFromAchievement('75%')).toThrow('Invalid decimal for achievement percent: "75%"');
  });
});

describe('validateThresholds', () => {
  it('accepts ordered thresholds, including an empty band', () => {
    const t: Thresholds = { version: 2, atRiskFrom: '80', onTrackFrom: '80', exceededAbove: '120' };
    expect(validateThresholds(t)).toBe(t);
  });

  it('rejects unordered thresholds, bad decimals and bad versions', () => {
    expect(() => validateThresholds({ version: 1, atRiskFrom: '90', onTrackFrom: '85', exceededAbove: '115' })).toThrow(
      'expected atRiskFrom <= onTrackFrom <= exceededAbove',
    );
    expect(() =>
      validateThresholds({ version: 1, atRiskFrom: '50', onTrackFrom: '120', exceededAbove: '115' }),
    ).toThrow('expected atRiskFrom <= onTrackFrom <= exceededAbove');
    expect(() =>
      validateThresholds({ version: 1, atRiskFrom: 'fifty', onTrackFrom: '85', exceededAbove: '115' }),
    ).toThrow('thresholds.atRiskFrom');
    expect(() => validateThresholds({ version: 0, atRiskFrom: '50', onTrackFrom: '85', exceededAbove: '115' })).toThrow(
      'Invalid thresholds version 0',
    );
  });
});

describe('roundPercent', () => {
  it('rounds half up to 1 dp by default and keeps the decimal place', () => {
    expect(roundPercent(`66.${'6'.repeat(37)}7`)).toBe('66.7');
    expect(roundPercent('66.65')).toBe('66.7');
    expect(roundPercent('66.64999')).toBe('66.6');
    expect(roundPercent('75')).toBe('75.0');
    expect(roundPercent('84.95')).toBe('85.0'); // presentation only: the status uses the exact value
  });

  it('rounds negative halves away from zero and never shows -0.0', () => {
    expect(roundPercent('-2.25')).toBe('-2.3');
    expect(roundPercent('-0.04')).toBe('0.0');
  });

  it('takes other decimal places and passes null through', () => {
    expect(roundPercent('12.345', 2)).toBe('12.35');
    expect(roundPercent('12.5', 0)).toBe('13');
    expect(roundPercent(null)).toBeNull();
  });

  it('throws on bad input', () => {
    expect(() => roundPercent('abc')).toThrow('Invalid decimal for percent');
    expect(() => roundPercent('1', -1)).toThrow('Invalid decimal places -1');
    expect(() => roundPercent('1', 1.5)).toThrow('Invalid decimal places');
  });
});
