import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { parseIatiActivities } from './iati-activities.parser.js';
import { IatiParseErrorCode, IatiParseException } from './iati-parse.exception.js';
import type { IatiParseResult, ImportIssue, ParsedIndicator } from './iati-parse.types.js';

const DATA_DIR = path.resolve(process.cwd(), '../shared/data/iati/activities');
const SDG_FRAMEWORK = path.resolve(process.cwd(), '../shared/data/sdg/sdg-framework.json');

function readFixture(name: string): string {
  return fs.readFileSync(path.join(DATA_DIR, name), 'utf8');
}

function indicatorsOf(result: IatiParseResult): ParsedIndicator[] {
  return result.activities.flatMap((a) => a.results.flatMap((r) => r.indicators));
}

function countByCode(issues: readonly ImportIssue[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of issues) counts[i.code] = (counts[i.code] ?? 0) + 1;
  return counts;
}

/** A minimal activity around the given result XML. */
function activityXml(inner: string, head = ''): string {
  return `<?xml version="1.0"?>
<iati-activities version="2.03">
  <iati-activity default-currency="USD">
    <iati-identifier>XM-TEST-1</iati-identifier>
    <reporting-org ref="XM-TEST" type="40"><narrative>Test org</narrative></reporting-org>
    <title><narrative xml:lang="fr">Titre</narrative><narrative xml:lang="en">Title</narrative></title>
    ${head}
    ${inner}
  </iati-activity>
</iati-activities>`;
}

describe('parseIatiActivities — gdihub-activity.xml (FCDO-funded, running totals, £ values)', () => {
  const result = parseIatiActivities(readFixture('gdihub-activity.xml'));
  const indicators = indicatorsOf(result);
  const periods = indicators.flatMap((i) => i.periods);
  const issueCodes = countByCode(result.issues);

  it('finds 4 activities, 12 indicators and 34 periods, all outputs', () => {
    expect(result.activities.map((a) => a.iatiIdentifier)).toEqual([
      'GB-COH-11126312-Cluster1',
      'GB-COH-11126312-Cluster2',
      'GB-COH-11126312-Cluster3',
      'GB-COH-11126312-Cluster4',
    ]);
    expect(indicators).toHaveLength(12);
    expect(result.activities.map((a) => a.results.flatMap((r) => r.indicators).length)).toEqual([3, 2, 3, 4]);
    expect(periods).toHaveLength(34);
    const results = result.activities.flatMap((a) => a.results);
    expect(results).toHaveLength(4);
    expect(results.every((r) => r.type === 'output' && r.aggregationStatus === true)).toBe(true);
    expect(issueCodes.output_unlinked).toBe(4);
  });

  it('gives every period a numeric target and actual', () => {
    const targets = periods.filter((p) => p.target?.value != null && /^-?\d+(\.\d+)?$/.test(p.target.value));
    const actuals = periods.filter((p) => p.actual?.value != null && /^-?\d+(\.\d+)?$/.test(p.actual.value));
    expect(targets).toHaveLength(34);
    expect(actuals).toHaveLength(34);
    expect(result.issues.filter((i) => i.code === 'value_not_numeric')).toHaveLength(0);
  });

  it('reads the activity header: funder, dates, countries, budget, SDG target 10.2 from sector vocabulary 8', () => {
    for (const a of result.activities) {
      expect(a.fundingOrgs).toEqual([{ ref: 'GB-GOV-3', name: 'UK - Foreign & Commonwealth Office' }]);
      expect(a.reportingOrg).toEqual({ ref: 'GB-COH-11126312', name: 'Global Disability Innovation Hub' });
      expect(a.sdgTargets).toEqual([{ code: '10.2', source: 'sector', rawCode: '10.2' }]);
      expect(a.sdgGoals).toEqual([]);
      // activity-date type 2 (actual start) and type 3 (planned end)
      expect(a.startDate).toBe('2018-10-01');
      expect(a.endDate).toBe('2024-08-31');
    }
    const [c1] = result.activities;
    expect(c1.title).toBe('AT2030 - Cluster 1: Data and Evidence');
    expect(c1.countries).toEqual(['KE', 'BD', 'PH', 'IN', 'CM', 'GM']);
    expect(c1.budget).toEqual({ amount: '202736.2', currency: 'GBP' });
    expect(c1.description).toContain('Led by GDI Hub, this cluster centres around promoting research');
  });

  it('keeps each period its own (ragged) dates', () => {
    const first = result.activities[0].results[0].indicators[0];
    expect(
      first.periods.map((p) => [p.position, p.periodStart, p.periodEnd, p.target?.value, p.actual?.value]),
    ).toEqual([
      [1, '2019-10-01', '2020-03-31', '7', '13'],
      [2, '2020-04-01', '2021-03-31', '14', '47'],
      [3, '2021-03-31', '2022-04-01', '50', '60'],
    ]);
    expect(first.baseline).toEqual({ year: 2019, isoDate: '2019-10-01', value: '0', raw: '0', comment: null });
    expect(first.endTarget).toBe('50');
    expect(first.endTargetInferred).toBe(true);
  });

  it('infers "latest" for all 12 running-total indicators and flags each inference', () => {
    expect(indicators.filter((i) => i.aggregation === 'latest')).toHaveLength(12);
    expect(indicators.every((i) => i.aggregationInferred)).toBe(true);
    expect(issueCodes.aggregation_inferred).toBe(12);
    expect(issueCodes.end_target_inferred).toBe(12);
    // no @ascending in the file: direction inferred from baseline 0 and rising targets
    expect(indicators.every((i) => i.ascending === null && i.direction === 'increase' && i.directionInferred)).toBe(
      true,
    );
    expect(issueCodes.ascending_missing).toBe(12);
  });

  it('reads the measure-3 indicator\'s "£3,500,000" values as GBP numbers and notes it', () => {
    const money = result.activities[3].results[0].indicators[3];
    expect(money.title).toBe('Value of matched funding provided through partnerships');
    expect(money.iatiMeasure).toBe(3);
    expect(money.measure).toBe('number');
    expect(money.unit).toBe('GBP');
    expect(money.aggregation).toBe('latest');
    expect(money.endTarget).toBe('13000000');
    expect(money.periods.map((p) => [p.target?.value, p.actual?.value])).toEqual([
      ['3500000', '4721182'],
      ['5600000', '10675554'],
      ['13000000', '13594502'],
    ]);
    expect(money.periods[0].target).toEqual({ value: '3500000', raw: '£3,500,000', comment: null, currency: 'GBP' });
    const currency = result.issues.filter((i) => i.code === 'currency_parsed');
    expect(currency).toHaveLength(1);
    expect(currency[0]).toMatchObject({
      severity: 'info',
      path: 'iati-activity[GB-COH-11126312-Cluster4]/result/indicator[4]',
      iatiIdentifier: 'GB-COH-11126312-Cluster4',
    });
    expect(currency[0].message).toContain('"£3,500,000"');
    expect(issueCodes.nominal_as_number).toBe(1);
    expect(indicators.filter((i) => i.unit === null)).toHaveLength(11);
  });

  it('raises no error or warning other than the aggregation guesses', () => {
    const serious = result.issues.filter((i) => i.severity !== 'info');
    expect(serious.every((i) => i.code === 'aggregation_inferred')).toBe(true);
  });
});

describe('parseIatiActivities — undp-covid19-dportal_100.xml (narrative results, 1.A-style tags)', () => {
  const xml = readFixture('undp-covid19-dportal_100.xml');
  const result = parseIatiActivities(xml);
  const indicators = indicatorsOf(result);
  const periods = indicators.flatMap((i) => i.periods);

  it('parses 100 activities, 82 with results, 82 indicators and 252 periods', () => {
    expect(result.activities).toHaveLength(100);
    expect(result.activities.filter((a) => a.results.length > 0)).toHaveLength(82);
    expect(indicators).toHaveLength(82);
    expect(periods).toHaveLength(252);
  });

  it('reports narrative-only targets and actuals as issues instead of throwing', () => {
    expect(periods.filter((p) => p.target !== null)).toHaveLength(252);
    expect(periods.filter((p) => p.actual !== null)).toHaveLength(208);
    expect(periods.every((p) => p.target?.value === null && p.target.comment !== null)).toBe(true);
    const narrativeOnly = result.issues.filter((i) => i.code === 'value_narrative_only');
    expect(narrativeOnly.filter((i) => i.path.endsWith('/target'))).toHaveLength(252);
    expect(narrativeOnly.filter((i) => i.path.endsWith('/actual'))).toHaveLength(208);
    expect(narrativeOnly.filter((i) => i.path.endsWith('/baseline'))).toHaveLength(82);
    expect(narrativeOnly.every((i) => i.severity === 'warning' && i.iatiIdentifier !== undefined)).toBe(true);
    expect(indicators.every((i) => i.measure === 'number' && i.iatiMeasure === 1 && i.endTarget === null)).toBe(true);
  });

  it('normalises the 20 "1.A"-style tag codes out of 196 tag listings', () => {
    const tagTargets = result.activities.flatMap((a) => a.sdgTargets.filter((t) => t.source === 'tag'));
    expect(tagTargets).toHaveLength(196);
    const normalisedTags = result.issues.filter(
      (i) => i.code === 'sdg_code_normalised' && /\/tag(\[\d+\])?\/@code$/.test(i.path),
    );
    expect(normalisedTags).toHaveLength(20);
    expect(tagTargets.filter((t) => t.rawCode !== t.code)).toHaveLength(20);
    expect(tagTargets.filter((t) => t.rawCode === '1.A').every((t) => t.code === '1.a')).toBe(true);
    expect(tagTargets.every((t) => /^\d{1,2}\.(\d{1,2}|[a-z])$/.test(t.code))).toBe(true);
    // the same codes are repeated as sector vocabulary 8 and normalised there too
    expect(result.issues.filter((i) => i.code === 'sdg_code_normalised' && i.path.includes('/sector'))).toHaveLength(
      20,
    );
  });

  it('distrusts the blanket ascending="0"', () => {
    expect(indicators.every((i) => i.ascending === false && i.direction === 'increase' && i.directionInferred)).toBe(
      true,
    );
    expect(result.issues.filter((i) => i.code === 'ascending_untrusted')).toHaveLength(82);
  });

  it('checks SDG codes against the framework when asked', () => {
    const framework = JSON.parse(fs.readFileSync(SDG_FRAMEWORK, 'utf8')) as {
      goals: { targets: { code: string }[] }[];
    };
    const known = new Set(framework.goals.flatMap((g) => g.targets.map((t) => t.code)));
    const checked = parseIatiActivities(xml, { sdgTargetExists: (code) => known.has(code) });
    expect(checked.issues.filter((i) => i.code === 'sdg_code_unknown')).toHaveLength(0);
    expect(checked.activities.flatMap((a) => a.sdgTargets)).toHaveLength(196);
    const none = parseIatiActivities(xml, { sdgTargetExists: (code) => code !== '1.a' });
    expect(none.activities.flatMap((a) => a.sdgTargets).some((t) => t.code === '1.a')).toBe(false);
    expect(none.issues.filter((i) => i.code === 'sdg_code_unknown').length).toBeGreaterThan(0);
  });
});

describe('parseIatiActivities — unicef-covid19-activities-with-results.xml (not schema-valid, messy values)', () => {
  const result = parseIatiActivities(readFixture('unicef-covid19-activities-with-results.xml'));
  const indicators = indicatorsOf(result);
  const codes = countByCode(result.issues);

  it('parses 62 activities and 160 indicators', () => {
    expect(result.activities).toHaveLength(62);
    expect(indicators).toHaveLength(160);
  });

  it('reports "2020:2160" with its path and reason', () => {
    const issue = result.issues.find((i) => i.message.includes('"2020:2160"'));
    expect(issue).toMatchObject({
      severity: 'warning',
      code: 'value_not_numeric',
      path: 'iati-activity[XM-DAC-41122-Bangladesh-5070/A0/05/106/001]/result/indicator[1]/period/target/@value',
      iatiIdentifier: 'XM-DAC-41122-Bangladesh-5070/A0/05/106/001',
    });
    expect(issue?.message).toContain('year (2020)');
    const first = result.activities[0].results[0].indicators[0];
    expect(first.periods[0].target).toEqual({ value: null, raw: '2020:2160', comment: null });
  });

  it('reports ":" with its path', () => {
    const colon = result.issues.filter((i) => i.code === 'value_not_numeric' && i.message.includes('":"'));
    expect(colon).toHaveLength(53);
    expect(colon.every((i) => /\/period(\[\d+\])?\/actual\/@value$/.test(i.path))).toBe(true);
    expect(colon[0].path).toBe(
      'iati-activity[XM-DAC-41122-Bangladesh-5070/A0/05/106/001]/result/indicator[1]/period/actual/@value',
    );
  });

  it('flags every missing @measure and decides from the values', () => {
    expect(codes.measure_missing).toBe(160);
    expect(indicators.every((i) => i.iatiMeasure === null)).toBe(true);
    expect(indicators.filter((i) => i.measure === 'number')).toHaveLength(128);
    expect(indicators.filter((i) => i.measure === 'qualitative')).toHaveLength(32);
  });

  it('skips placeholder 9999 periods with an error and never fails on a value', () => {
    expect(codes.period_date_invalid).toBe(20);
    expect(indicators.flatMap((i) => i.periods)).toHaveLength(140);
    expect(codes.value_not_numeric).toBe(302);
  });
});

describe('parseIatiActivities — iati-schemas-test-24-results.xml (every result element)', () => {
  const result = parseIatiActivities(readFixture('iati-schemas-test-24-results.xml'));
  const [activity] = result.activities;

  it('parses the synthetic activity and flags its missing identifier', () => {
    expect(result.activities).toHaveLength(1);
    expect(activity.iatiIdentifier).toBe('');
    expect(result.issues.find((i) => i.code === 'identifier_missing')).toMatchObject({
      severity: 'error',
      path: 'iati-activity[#1]/iati-identifier',
    });
    expect(activity.results).toHaveLength(13);
    expect(indicatorsOf(result)).toHaveLength(14);
    expect(activity.results.every((r) => r.type === 'output' && r.aggregationStatus === false)).toBe(true);
    expect(indicatorsOf(result).every((i) => i.ascending === true)).toBe(true);
  });

  it('picks up dimensions and leaves the total empty when only disaggregated values exist', () => {
    const period = activity.results[12].indicators[0].periods[0];
    expect(period.targetDimensions).toEqual([{ name: 'xxx', category: 'yyyy', value: '110' }]);
    expect(period.actualDimensions).toEqual([{ name: 'xxx', category: 'yyy', value: '111' }]);
    expect(period.target).toBeNull();
    expect(period.actual).toBeNull();
    const missing = result.issues.filter((i) => i.code === 'total_missing');
    expect(missing.map((i) => i.path)).toEqual([
      'iati-activity[#1]/result[13]/indicator/period/target',
      'iati-activity[#1]/result[13]/indicator/period/actual',
    ]);
  });

  it('reads comments, baselines and codelist names', () => {
    const ind = activity.results[2].indicators[0];
    expect(ind.title).toBe('Number and % of public laboratories enabled to perform sputum tests');
    expect(ind.baseline).toEqual({
      year: 2008,
      isoDate: null,
      value: null,
      raw: 'N=35;P=55',
      comment: 'Source:adminstrative records',
    });
    expect(ind.periods[0].target).toEqual({ value: null, raw: 'N=42;P=57', comment: 'Target Comment Period 2009' });
    expect(ind.measure).toBe('qualitative');
    expect(ind.iatiMeasure).toBeNull();
    expect(activity.results[0].indicators[0].iatiMeasure).toBe(1);
    const codes = countByCode(result.issues);
    expect(codes.measure_unknown).toBe(2);
    expect(codes.measure_name_used).toBe(12);
    expect(codes.result_type_name_used).toBe(13);
  });
});

describe('parseIatiActivities — rules on small documents', () => {
  it('throws a clear error on malformed XML', () => {
    let caught: unknown;
    try {
      parseIatiActivities('<iati-activities><iati-activity></iati-activities>');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IatiParseException);
    expect((caught as IatiParseException).code).toBe(IatiParseErrorCode.XmlMalformed);
    expect((caught as IatiParseException).line).toBe(1);
    expect((caught as Error).message).toMatch(/not well-formed XML \(line 1, column \d+\)/);
  });

  it('throws on empty input and on a non-IATI document', () => {
    expect(() => parseIatiActivities('  ')).toThrow(IatiParseException);
    expect(() => parseIatiActivities('<html><body/></html>')).toThrow(/not an IATI activity file/);
  });

  it('separates the total from disaggregated values and accepts date-times', () => {
    const r = parseIatiActivities(
      activityXml(`<result type="2"><title><narrative>Outcome</narrative></title>
        <indicator measure="1" ascending="1"><title><narrative>People reached</narrative></title>
          <reference vocabulary="9" code="1.A.1"/><reference vocabulary="99" code="X"/>
          <baseline year="2020" iso-date="2020-01-01T00:00:00" value="100"/>
          <period><period-start iso-date="2021-01-01T00:00:00"/><period-end iso-date="2021-12-31"/>
            <target value="120"/>
            <actual value="70"><dimension name="sex" value="female"/></actual>
            <actual value="1,30"><dimension name="sex" value="male"/></actual>
            <actual value="130"><comment><narrative xml:lang="es">Hola</narrative><narrative xml:lang="EN">Hello</narrative></comment></actual>
            <actual value="5"><dimension name="sex" value="female"/><dimension name="age" value="0-5"/></actual>
          </period>
        </indicator></result>`),
    );
    const [activity] = r.activities;
    expect(activity.title).toBe('Title');
    const [result] = activity.results;
    expect(result.type).toBe('outcome');
    const ind = result.indicators[0];
    expect(ind.sdgIndicatorCodes).toEqual(['1.a.1']);
    expect(ind.baseline?.isoDate).toBe('2020-01-01');
    const p = ind.periods[0];
    expect(p.periodStart).toBe('2021-01-01');
    expect(p.actual).toEqual({ value: '130', raw: '130', comment: 'Hello' });
    expect(p.actualDimensions).toEqual([
      { name: 'sex', category: 'female', value: '70' },
      { name: 'sex', category: 'male', value: null },
      { name: 'sex / age', category: 'female / 0-5', value: '5' },
    ]);
    const bad = r.issues.find((i) => i.code === 'value_not_numeric');
    expect(bad?.path).toBe('iati-activity[XM-TEST-1]/result/indicator/period/actual[2]/@value');
    expect(bad?.message).toContain('"1,30"');
    expect(r.issues.some((i) => i.code === 'dimension_combined')).toBe(true);
    expect(r.issues.some((i) => i.code === 'output_unlinked')).toBe(false);
  });

  it('does not trust @ascending when the targets contradict it', () => {
    const r = parseIatiActivities(
      activityXml(`<result type="1"><title><narrative>Output</narrative></title>
        <indicator measure="1" ascending="1"><title><narrative>Stock-outs</narrative></title>
          <baseline year="2020" value="40"/>
          <period><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/><target value="30"/><actual value="35"/></period>
          <period><period-start iso-date="2022-01-01"/><period-end iso-date="2022-12-31"/><target value="20"/><actual value="25"/></period>
        </indicator></result>`),
    );
    const ind = r.activities[0].results[0].indicators[0];
    expect(ind).toMatchObject({
      ascending: true,
      direction: 'decrease',
      directionInferred: true,
      aggregation: 'latest',
      endTarget: '20',
    });
    expect(r.issues.find((i) => i.code === 'ascending_untrusted')?.message).toContain('below the baseline (40)');
  });

  it('sums per-period counts and infers percentages from "%" values when @measure is missing', () => {
    const r = parseIatiActivities(
      activityXml(`<result type="1"><title><narrative>Output</narrative></title>
        <indicator><title><narrative>Trainings held</narrative></title>
          <period><period-start iso-date="2021-01-01"/><period-end iso-date="2021-06-30"/><target value="10"/><actual value="12"/></period>
          <period><period-start iso-date="2021-07-01"/><period-end iso-date="2021-12-31"/><target value="10"/><actual value="8"/></period>
        </indicator>
        <indicator><title><narrative>Coverage</narrative></title>
          <period><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/><target value="45%"/><actual value="50 %"/></period>
        </indicator></result>`),
    );
    const [counts, coverage] = r.activities[0].results[0].indicators;
    expect(counts).toMatchObject({ measure: 'number', aggregation: 'sum', direction: 'increase', endTarget: '10' });
    expect(coverage).toMatchObject({ measure: 'percentage', aggregation: 'latest', endTarget: '45' });
    expect(coverage.periods[0].actual?.value).toBe('50');
    expect(r.issues.filter((i) => i.code === 'measure_missing')).toHaveLength(2);
    expect(r.issues.filter((i) => i.code === 'aggregation_inferred')).toHaveLength(2);
  });

  it('reads goals, budgets and dates at activity level', () => {
    const r = parseIatiActivities(
      activityXml(
        '',
        `<participating-org role="1" ref="XM-DAC-7"><narrative>Netherlands</narrative></participating-org>
         <participating-org role="3" ref="XM-OTHER"/>
         <activity-date type="1" iso-date="2020-01-01"/><activity-date type="2" iso-date="2020-02-01"/>
         <activity-date type="3" iso-date="2023-12-31"/>
         <recipient-country code="ke"/><recipient-country code="KE"/>
         <sector vocabulary="7" code="05"/><tag vocabulary="2" code="16"/><tag vocabulary="3" code="16.4"/><sector vocabulary="8" code="16.4"/>
         <tag vocabulary="3" code="16.x1"/>
         <budget type="1"><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/><value>1000.50</value></budget>
         <budget type="2"><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/><value>1200</value></budget>
         <budget type="1"><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/><value currency="USD">300.25</value></budget>`,
      ),
    );
    const [a] = r.activities;
    expect(a.fundingOrgs).toEqual([{ ref: 'XM-DAC-7', name: 'Netherlands' }]);
    expect(a.startDate).toBe('2020-02-01');
    expect(a.endDate).toBe('2023-12-31');
    expect(a.countries).toEqual(['KE']);
    expect(a.sdgGoals).toEqual(['16', '5']);
    expect(a.sdgTargets).toEqual([{ code: '16.4', source: 'tag', rawCode: '16.4' }]);
    expect(a.budget).toEqual({ amount: '1500.25', currency: 'USD' });
    expect(r.issues.some((i) => i.code === 'sdg_code_invalid' && i.message.includes('"16.x1"'))).toBe(true);
    expect(r.issues.some((i) => i.code === 'budget_summed')).toBe(true);
  });
});
