import { describe, expect, it } from '@jest/globals';
import {
  normaliseSdgCode,
  normaliseSdgGoalCode,
  normaliseSdgIndicatorCode,
  normaliseSdgTargetCode,
  sdgCodeKind,
  targetOfIndicator,
} from './sdg-code.js';

describe('normaliseSdgTargetCode', () => {
  it.each([
    ['16.4', '16.4', false],
    ['1.a', '1.a', false],
    ['1.A', '1.a', true],
    ['16.A', '16.a', true],
    [' 10.2 ', '10.2', false],
    ['01.02', '1.2', true],
    ['Target 16.4', '16.4', true],
    ['SDG 5.c', '5.c', true],
  ])('%j → %j (changed: %s)', (raw, code, changed) => {
    expect(normaliseSdgTargetCode(raw)).toEqual({ code, changed });
  });

  it.each(['', '16', '18.1', '0.1', '16.0', '16.4.1', '1.ab', 'x.1', null, undefined])('refuses %j', (raw) => {
    expect(normaliseSdgTargetCode(raw)).toBeNull();
  });
});

describe('normaliseSdgIndicatorCode', () => {
  it.each([
    ['16.4.1', '16.4.1', false],
    ['1.A.1', '1.a.1', true],
    ['16.04.01', '16.4.1', true],
    ['17.19.2', '17.19.2', false],
  ])('%j → %j (changed: %s)', (raw, code, changed) => {
    expect(normaliseSdgIndicatorCode(raw)).toEqual({ code, changed });
  });

  it.each(['16.4', '16.4.0', '18.1.1', 'B1', ''])('refuses %j', (raw) => {
    expect(normaliseSdgIndicatorCode(raw)).toBeNull();
  });
});

describe('normaliseSdgGoalCode', () => {
  it.each([
    ['1', '1', false],
    ['17', '17', false],
    ['05', '5', true],
    ['SDG 16', '16', true],
  ])('%j → %j (changed: %s)', (raw, code, changed) => {
    expect(normaliseSdgGoalCode(raw)).toEqual({ code, changed });
  });

  it.each(['0', '18', '1.1', 'Goal', ''])('refuses %j', (raw) => {
    expect(normaliseSdgGoalCode(raw)).toBeNull();
  });
});

describe('normaliseSdgCode and sdgCodeKind (API lookups)', () => {
  it('normalises any kind of code and classifies it', () => {
    expect(normaliseSdgCode(' 1.A ')).toBe('1.a');
    expect(normaliseSdgCode('16.04.01')).toBe('16.4.1');
    expect(normaliseSdgCode('SDG 5')).toBe('5');
    expect(sdgCodeKind(normaliseSdgCode('1.A'))).toBe('target');
    expect(sdgCodeKind(normaliseSdgCode('16.4.1'))).toBe('indicator');
    expect(sdgCodeKind(normaliseSdgCode('17'))).toBe('goal');
    expect(targetOfIndicator('16.4.1')).toBe('16.4');
  });

  it('leaves a code of no SDG form trimmed and lower-cased, of no kind', () => {
    expect(normaliseSdgCode(' 99.9 ')).toBe('99.9');
    expect(sdgCodeKind('99.9')).toBeNull();
    expect(sdgCodeKind('16.')).toBeNull();
  });
});
