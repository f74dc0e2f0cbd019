/**
 * A realistic logframe document for tests (JSON as a client sends it): `outcomes` outcomes, each with
 * `outputsPerOutcome` outputs; every outcome has 1 indicator and every output 2, cycling through
 * the four measures, with quarterly targets for 2026 and SDG links.
 */
export function buildLogframe(options: { outcomes: number; outputsPerOutcome: number[]; version: number }) {
  let n = 0;
  const indicator = (code: string) => {
    const kind = n++ % 4;
    const quarters = [
      ['2026-01-01', '2026-03-31'],
      ['2026-04-01', '2026-06-30'],
      ['2026-07-01', '2026-09-30'],
      ['2026-10-01', '2026-12-31'],
    ];
    const base = {
      code,
      meansOfVerification: `MoV for ${code}`,
      collectionFrequency: 'quarterly',
      dataSource: 'Project monitoring records',
    };
    if (kind === 0) {
      return {
        ...base,
        title: `Number of officials trained (${code})`,
        measure: 'number',
        unit: 'people',
        direction: 'increase',
        aggregation: 'sum',
        baseline: { value: 0, year: 2025 },
        endTarget: { value: 100 },
        requiredDisaggregations: ['sex'],
        periodTargets: quarters.map(([s, e]) => ({ periodStart: s, periodEnd: e, value: 25 })),
      };
    }
    if (kind === 1) {
      return {
        ...base,
        title: `Percentage of cases reaching a verdict (${code})`,
        measure: 'percentage',
        unit: 'percent',
        direction: 'increase',
        aggregation: 'latest',
        baseline: { value: 12.5, year: 2025 },
        endTarget: { numerator: 45, denominator: 100 },
        sdgIndicatorCode: '16.4.2',
        periodTargets: quarters.map(([s, e], i) => ({
          periodStart: s,
          periodEnd: e,
          numerator: 15 + i * 10,
          denominator: 100,
        })),
      };
    }
    if (kind === 2) {
      return {
        ...base,
        title: `Capacity of the unit on a 1–5 scale (${code})`,
        measure: 'ordinal',
        unit: 'scale points',
        direction: 'increase',
        aggregation: 'latest',
        ordinalScale: { min: 1, max: 5, labels: { '1': 'none', '5': 'full' } },
        baseline: { value: 1, year: 2025 },
        endTarget: { value: 4 },
        periodTargets: quarters.map(([s, e], i) => ({ periodStart: s, periodEnd: e, value: 1 + i })),
      };
    }
    return {
      ...base,
      title: `National action plan adopted (${code})`,
      measure: 'qualitative',
      direction: 'increase',
      aggregation: 'latest',
      collectionFrequency: 'annual',
      baseline: { comment: 'No plan exists' },
      endTarget: { description: 'Plan adopted by Cabinet and funded' },
      periodTargets: [{ periodStart: '2026-07-01', periodEnd: '2026-12-31', description: 'Draft plan validated' }],
    };
  };
  const outcomes = Array.from({ length: options.outcomes }, (_, o) => ({
    code: `OC${o + 1}`,
    statement: `Outcome ${o + 1}: institutions counter illicit trafficking`,
    sdgLinks: [
      {
        sdgTargetCode: o % 2 ? '5.2' : '16.4',
        contribution: 'primary',
        rationale: 'The outcome serves this target directly.',
      },
    ],
    assumptions: [
      {
        kind: 'risk',
        statement: `Risk for outcome ${o + 1}`,
        likelihood: 'medium',
        impact: 'high',
        mitigation: 'Engage ministries early',
      },
    ],
    indicators: [indicator(`OC${o + 1}.1`)],
    outputs: Array.from({ length: options.outputsPerOutcome[o] }, (_, p) => {
      const code = `OP${o + 1}.${p + 1}`;
      return {
        code,
        statement: `Output ${code} delivered`,
        sdgLinks:
          p === 0
            ? [{ sdgTargetCode: '16.a', contribution: 'secondary', rationale: 'Builds institutional capacity.' }]
            : [],
        assumptions: [],
        indicators: [indicator(`${code}.1`), indicator(`${code}.2`)],
        activities: [
          {
            code: `A${o + 1}.${p + 1}.1`,
            description: `Activity for ${code}`,
            startDate: '2026-02-01',
            endDate: '2026-11-30',
          },
        ],
      };
    }),
  }));
  return {
    version: options.version,
    sdgLinks: [
      { sdgTargetCode: '16.4', contribution: 'primary', rationale: 'The project reduces illicit arms flows.' },
      { sdgTargetCode: '1.A', contribution: 'secondary', rationale: 'Resources mobilised.' },
    ],
    assumptions: [{ kind: 'assumption', statement: 'Political commitment holds', likelihood: 'low', impact: 'high' }],
    impactIndicators: [],
    outcomes,
    unlinkedOutputs: [],
  };
}

/** Counts the indicators of a document. */
export function countIndicators(doc: {
  impactIndicators: unknown[];
  outcomes: { indicators: unknown[]; outputs: { indicators: unknown[] }[] }[];
  unlinkedOutputs: { indicators: unknown[] }[];
}): number {
  return (
    doc.impactIndicators.length +
    doc.outcomes.reduce((n, o) => n + o.indicators.length + o.outputs.reduce((m, p) => m + p.indicators.length, 0), 0) +
    doc.unlinkedOutputs.reduce((n, p) => n + p.indicators.length, 0)
  );
}

/** The document a client sends back after a GET: the read-only fields removed. */
export function stripReadOnly<T>(doc: T): T {
  const copy = structuredClone(doc) as Record<string, unknown>;
  delete copy.projectId;
  delete copy.revision;
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      for (const key of ['actualCount', 'retired', 'impliedSdgTargetCode', 'flags']) delete record[key];
      Object.values(record).forEach(walk);
    }
  };
  walk(copy);
  return copy as T;
}
