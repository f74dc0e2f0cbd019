import { describe, it, expect } from '@jest/globals';
import { suggestOutcomeStatus } from './outcome-status.js';
import type { IndicatorStatus } from './vocabulary.js';

const zero = { off_track: 0, at_risk: 0, on_track: 0, exceeded: 0, no_data: 0, not_assessable: 0 };

describe('suggestOutcomeStatus', () => {
  it('suggests the worst assessed status and counts every status', () => {
    const result = suggestOutcomeStatus(['exceeded', 'on_track', 'at_risk', 'no_data', 'not_assessable', 'on_track']);
    expect(result.suggestion).toBe('at_risk');
    expect(result.counts).toEqual({ ...zero, exceeded: 1, on_track: 2, at_risk: 1, no_data: 1, not_assessable: 1 });
  });

  it('orders off_track < at_risk < on_track < exceeded', () => {
    expect(suggestOutcomeStatus(['exceeded', 'off_track', 'at_risk']).suggestion).toBe('off_track');
    expect(suggestOutcomeStatus(['exceeded', 'on_track']).suggestion).toBe('on_track');
    expect(suggestOutcomeStatus(['exceeded', 'exceeded']).suggestion).toBe('exceeded');
  });

  it('leaves no_data and not_assessable out of the choice', () => {
    expect(suggestOutcomeStatus(['no_data', 'exceeded', 'not_assessable']).suggestion).toBe('exceeded');
  });

  it('with none assessable: no_data if any lacks data, else not_assessable', () => {
    expect(suggestOutcomeStatus(['not_assessable', 'no_data']).suggestion).toBe('no_data');
    expect(suggestOutcomeStatus(['no_data']).suggestion).toBe('no_data');
    expect(suggestOutcomeStatus(['not_assessable', 'not_assessable'])).toEqual({
      suggestion: 'not_assessable',
      counts: { ...zero, not_assessable: 2 },
    });
  });

  it('gives not_assessable with all counts 0 for an outcome without indicators', () => {
    expect(suggestOutcomeStatus([])).toEqual({ suggestion: 'not_assessable', counts: zero });
  });

  it('does not depend on order', () => {
    const statuses: IndicatorStatus[] = ['on_track', 'no_data', 'at_risk', 'exceeded'];
    expect(suggestOutcomeStatus([...statuses].reverse())).toEqual(suggestOutcomeStatus(statuses));
  });

  it('throws on an unknown status', () => {
    expect(() => suggestOutcomeStatus(['on_track', 'green' as IndicatorStatus])).toThrow(
      'Invalid indicator status "green"',
    );
  });
});
