import { describe, expect, it } from '@jest/globals';
import { diffLogframes, nextCode, quartersBetween, toDocument, type Logframe } from './model';

const base: Logframe = {
  version: 3,
  projectId: 'p',
  revision: { id: 'r', number: 1, status: 'draft' },
  sdgLinks: [],
  assumptions: [],
  impactIndicators: [],
  unlinkedOutputs: [],
  outcomes: [
    {
      id: 'oc-1',
      code: 'OC1',
      statement: 'Courts decide cases faster',
      sdgLinks: [],
      assumptions: [],
      outputs: [],
      indicators: [
        {
          id: 'in-1',
          code: 'OC1.1',
          title: 'Cases decided',
          measure: 'number',
          direction: 'increase',
          aggregation: 'sum',
          endTarget: { value: 45 },
          periodTargets: [],
          actualCount: 4,
          retired: null,
        } as Logframe['outcomes'][number]['indicators'][number],
      ],
    },
  ],
};

describe('logframe model', () => {
  it('strips the read-only parts before a save (the API refuses unknown fields)', () => {
    const doc = toDocument(base);
    expect(doc).not.toHaveProperty('projectId');
    expect(doc).not.toHaveProperty('revision');
    expect(doc.outcomes[0].indicators[0]).not.toHaveProperty('actualCount');
    expect(doc.outcomes[0].indicators[0]).not.toHaveProperty('retired');
    expect(doc.outcomes[0].indicators[0].endTarget).toEqual({ value: 45 });
  });

  it('numbers codes after the siblings, skipping used ones', () => {
    expect(nextCode('OC', [{ code: 'OC1' }])).toBe('OC2');
    expect(nextCode('OP1.', [{ code: 'OP1.2' }])).toBe('OP1.3'); // OP1.2 taken, length+1 = 2 → 3
  });

  it('lists calendar quarters with their real last days', () => {
    // 2026-02-15 .. 2026-08-01 covers Q1, Q2 and Q3 of 2026; June has 30 days, September 30.
    expect(quartersBetween('2026-02-15', '2026-08-01')).toEqual([
      { periodStart: '2026-01-01', periodEnd: '2026-03-31' },
      { periodStart: '2026-04-01', periodEnd: '2026-06-30' },
      { periodStart: '2026-07-01', periodEnd: '2026-09-30' },
    ]);
    // 2028 is a leap year, but quarters end on 03-31, 06-30, 09-30, 12-31 whatever February holds.
    expect(quartersBetween('2028-10-01', '2029-01-01').map((q) => q.periodEnd)).toEqual(['2028-12-31', '2029-03-31']);
  });

  it('names what another person changed, field by field', () => {
    const theirs = structuredClone(base);
    theirs.version = 4;
    theirs.outcomes[0].indicators[0].endTarget = { value: 50 };
    theirs.outcomes[0].statement = 'Courts decide cases within a year';
    const changes = diffLogframes(base, theirs);
    expect(changes.map((c) => c.label).sort()).toEqual(['OC1 · statement', 'OC1.1 · endTarget']);
    expect(changes.find((c) => c.label === 'OC1.1 · endTarget')).toMatchObject({
      before: { value: 45 },
      after: { value: 50 },
    });
  });
});
