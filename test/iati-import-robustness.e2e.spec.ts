import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * The importer keeps what it reads and one bad element never fails the file (issue: qualitative
 * text lost, a 6000 % target accepted, a reversed period failing the whole file with a 422).
 */
const file = (activities: string) =>
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2026-11-30T00:00:00Z">${activities}</iati-activities>`);

const activity = (id: string, body: string, dates = ['2026-01-01', '2027-12-31']) => `
  <iati-activity default-currency="USD" last-updated-datetime="2026-11-30T00:00:00Z">
    <iati-identifier>${id}</iati-identifier>
    <reporting-org ref="XM-TEST" type="40"><narrative>Test org</narrative></reporting-org>
    <title><narrative>Activity ${id}</narrative></title>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="${dates[0]}"/>
    <activity-date type="3" iso-date="${dates[1]}"/>
    ${body}
  </iati-activity>`;

const QUALITATIVE = `
    <result type="2" aggregation-status="0">
      <title><narrative>Policy framework in place</narrative></title>
      <indicator measure="5">
        <title><narrative>Status of the national policy on disability inclusion</narrative></title>
        <baseline year="2025"><comment><narrative>No policy exists; disability is not mentioned in the education law</narrative></comment></baseline>
        <period>
          <period-start iso-date="2026-01-01"/><period-end iso-date="2026-12-31"/>
          <target><comment><narrative>Draft policy submitted to the ministry</narrative></comment></target>
        </period>
        <period>
          <period-start iso-date="2027-01-01"/><period-end iso-date="2027-12-31"/>
          <target><comment><narrative>Policy adopted by parliament</narrative></comment></target>
        </period>
      </indicator>
    </result>`;

const PERCENT = `
    <result type="1">
      <title><narrative>Schools made accessible</narrative></title>
      <indicator measure="2" ascending="1">
        <title><narrative>Share of schools with ramps (%)</narrative></title>
        <baseline year="2025" value="12"/>
        <period>
          <period-start iso-date="2026-01-01"/><period-end iso-date="2026-12-31"/>
          <target value="6000"/>
          <actual value="35"/>
        </period>
      </indicator>
    </result>`;

const REVERSED_PERIOD = `
    <result type="1">
      <title><narrative>Teachers trained</narrative></title>
      <indicator measure="1" ascending="1">
        <title><narrative>Teachers trained in inclusive education</narrative></title>
        <baseline year="2025" value="0"/>
        <period>
          <period-start iso-date="2026-01-01"/><period-end iso-date="2026-03-31"/>
          <target value="50"/><actual value="40"/>
        </period>
        <period>
          <period-start iso-date="2026-06-30"/><period-end iso-date="2026-04-01"/>
          <target value="100"/><actual value="90"/>
        </period>
        <period>
          <period-start iso-date="2026-07-01"/><period-end iso-date="2026-09-30"/>
          <target value="150"/><actual value="130"/>
        </period>
      </indicator>
    </result>`;

type Issue = { severity: string; code: string; path: string; message: string };

describe('IATI import: keeps what it reads, one bad element never fails the file', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  it('stores and shows the text of a qualitative baseline and of its targets', async () => {
    const res = await stack
      .http()
      .post('/imports/iati')
      .attach('file', file(activity('XM-TEST-QUAL', QUALITATIVE)), 'qual.xml')
      .expect(201);
    expect(res.body.indicators.created).toBe(1);
    expect(res.body.periodTargets.created).toBe(2);
    const projectId = res.body.projectResults[0].projectId;
    const doc = await stack.http().get(`/projects/${projectId}/logframe`).expect(200);
    const indicator = doc.body.outcomes[0].indicators[0];
    expect(indicator.measure).toBe('qualitative');
    expect(indicator.baseline).toMatchObject({
      value: null,
      year: 2025,
      comment: 'No policy exists; disability is not mentioned in the education law',
    });
    expect(indicator.periodTargets.map((t: { description: string }) => t.description)).toEqual([
      'Draft policy submitted to the ministry',
      'Policy adopted by parliament',
    ]);
    // IATI has no end target: the last period's text, flagged for confirmation.
    expect(indicator.endTarget.description).toBe('Policy adopted by parliament');
    expect(indicator.flags.map((f: { code: string }) => f.code)).toContain('end_target_inferred');
  });

  it('flags a percentage of 6000 by its path and on the indicator', async () => {
    const res = await stack
      .http()
      .post('/imports/iati')
      .attach('file', file(activity('XM-TEST-PCT', PERCENT)), 'pct.xml')
      .expect(201);
    const flagged = (res.body.issues as Issue[]).filter((i) => i.code === 'value_out_of_range');
    expect(flagged).toEqual([
      {
        severity: 'warning',
        code: 'value_out_of_range',
        path: 'iati-activity[XM-TEST-PCT]/result/indicator/period/target/@value',
        iatiIdentifier: 'XM-TEST-PCT',
        message: expect.stringContaining('"6000" for 2026-01-01 to 2026-12-31 is a percentage outside 0–100'),
      },
    ]);
    expect(res.body.issueCounts.value_out_of_range).toBe(1);
    const [row] = await stack.dataSource.query(
      `SELECT i.measure, i.flags, t.value FROM indicator i JOIN period_target t ON t.indicator_id = i.id
       JOIN logframe_revision r ON r.id = i.revision_id JOIN project p ON p.id = r.project_id
       WHERE p.iati_identifier = 'XM-TEST-PCT'`,
    );
    expect(row.measure).toBe('percentage');
    expect(row.value).toBe('6000');
    expect(row.flags.map((f: { code: string }) => f.code)).toContain('value_out_of_range');
  });

  it('skips a reversed period (reported by its path) and imports the other periods and activities; reversed activity dates are not stored', async () => {
    const xml = file(
      activity('XM-TEST-REV', REVERSED_PERIOD) +
        activity('XM-TEST-DATES', PERCENT.replace('6000', '60'), ['2027-12-31', '2026-01-01']) +
        activity('XM-TEST-OK', PERCENT.replace('6000', '70')),
    );
    const res = await stack.http().post('/imports/iati').attach('file', xml, 'mixed.xml').expect(201);
    expect(res.body.activities).toBe(3);
    expect(res.body.projects.created).toBe(3);
    const errors = (res.body.issues as Issue[]).filter((i) => i.severity === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'period_dates_reversed',
        path: 'iati-activity[XM-TEST-REV]/result/indicator/period[2]',
        message: expect.stringContaining('starts (2026-06-30) after it ends (2026-04-01); the period and its values'),
      }),
      expect.objectContaining({
        code: 'activity_dates_reversed',
        path: 'iati-activity[XM-TEST-DATES]/activity-date',
        message: expect.stringContaining('starts (2027-12-31'),
      }),
    ]);
    // Periods 1 and 3 of the first activity: 2 targets and 2 actuals; one each for the two others.
    expect(res.body.periodTargets.created).toBe(4);
    expect(res.body.actuals.created).toBe(4);
    const rows = await stack.dataSource.query(
      `SELECT p.iati_identifier AS id, p.start_date AS start, p.end_date AS end,
        (SELECT string_agg(a.period_start || '..' || a.period_end, ',' ORDER BY a.period_start)
           FROM actual a JOIN indicator_series s ON s.id = a.indicator_series_id WHERE s.project_id = p.id) AS periods
       FROM project p WHERE p.iati_identifier IN ('XM-TEST-REV', 'XM-TEST-DATES', 'XM-TEST-OK') ORDER BY 1`,
    );
    expect(rows).toEqual([
      { id: 'XM-TEST-DATES', start: null, end: null, periods: '2026-01-01..2026-12-31' },
      { id: 'XM-TEST-OK', start: '2026-01-01', end: '2027-12-31', periods: '2026-01-01..2026-12-31' },
      {
        id: 'XM-TEST-REV',
        start: '2026-01-01',
        end: '2027-12-31',
        periods: '2026-01-01..2026-03-31,2026-07-01..2026-09-30',
      },
    ]);
    const [run] = await stack.dataSource.query(`SELECT issues FROM import_run WHERE id = $1`, [res.body.importRunId]);
    expect(run.issues.filter((i: Issue) => i.severity === 'error').map((i: Issue) => i.code)).toEqual([
      'period_dates_reversed',
      'activity_dates_reversed',
    ]);
  });
});
