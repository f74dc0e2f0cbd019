import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from './support/test-stack.js';

const ACTIVITIES = resolve(process.cwd(), '../shared/data/iati/activities');
const SAMPLE = resolve(process.cwd(), 'data/samples/gdihub-activity.xml');

async function tableCounts(stack: TestStack) {
  const [row] = await stack.dataSource.query(`SELECT
    (SELECT count(*)::int FROM project) AS projects,
    (SELECT count(*)::int FROM logframe_revision) AS revisions,
    (SELECT count(*)::int FROM output) AS outputs,
    (SELECT count(*)::int FROM indicator) AS indicators,
    (SELECT count(*)::int FROM period_target) AS period_targets,
    (SELECT count(*)::int FROM actual) AS actuals,
    (SELECT count(*)::int FROM sdg_link) AS sdg_links,
    (SELECT count(*)::int FROM donor) AS donors,
    (SELECT count(*)::int FROM funding_agreement) AS funding_agreements,
    (SELECT max(updated_at) FROM actual) AS actuals_updated,
    (SELECT max(updated_at) FROM indicator) AS indicators_updated`);
  return row;
}

describe('IATI 2.03 import', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  it('imports the GDI Hub file: 4 projects, 12 indicators, 34 periods with numeric targets and actuals, latest inferred, SDG 10.2 linked', async () => {
    const res = await stack.http().post('/imports/iati').attach('file', SAMPLE).expect(201);
    expect(res.body.activities).toBe(4);
    expect(res.body.projects).toEqual({ created: 4, updated: 0, unchanged: 0 });
    expect(res.body.indicators).toEqual({ created: 12, updated: 0, unchanged: 0 });
    expect(res.body.periodTargets.created).toBe(34);
    expect(res.body.actuals.created).toBe(34);
    expect(res.body.issueCounts).toMatchObject({
      currency_parsed: 1,
      aggregation_inferred: 12,
      end_target_inferred: 12,
      output_unlinked: 4,
    });
    const currency = res.body.issues.find((i: { code: string }) => i.code === 'currency_parsed');
    expect(currency.path).toMatch(/^iati-activity\[GB-COH-11126312-Cluster4\]\/result\/indicator\[4\]/);

    const counts = await tableCounts(stack);
    expect(counts).toMatchObject({
      projects: 4,
      revisions: 4,
      outputs: 4,
      indicators: 12,
      period_targets: 34,
      actuals: 34,
      sdg_links: 4,
      donors: 1,
      funding_agreements: 4,
    });
    const [numeric] = await stack.dataSource.query(`SELECT
      (SELECT count(*)::int FROM period_target WHERE value IS NOT NULL) AS targets,
      (SELECT count(*)::int FROM actual WHERE value IS NOT NULL AND provenance = 'imported') AS actuals,
      (SELECT count(*)::int FROM indicator WHERE aggregation = 'latest' AND flags @> '[{"code":"aggregation_inferred"}]') AS latest_flagged,
      (SELECT count(*)::int FROM sdg_link WHERE sdg_target_code = '10.2' AND outcome_id IS NULL AND output_id IS NULL) AS sdg_10_2,
      (SELECT count(*)::int FROM output WHERE outcome_id IS NULL) AS unlinked_outputs`);
    expect(numeric).toEqual({ targets: 34, actuals: 34, latest_flagged: 12, sdg_10_2: 4, unlinked_outputs: 4 });
    const [matched] = await stack.dataSource.query(
      `SELECT a.value, a.source_note, i.unit FROM actual a JOIN indicator i ON i.stable_id = a.indicator_series_id WHERE i.unit = 'GBP' ORDER BY a.period_end DESC LIMIT 1`,
    );
    expect(matched.value).toBe('13594502');
    const [donor] = await stack.dataSource.query(`SELECT iati_org_ref FROM donor`);
    expect(donor.iati_org_ref).toBe('GB-GOV-3');
  });

  it('is idempotent on iati-identifier: the second import changes nothing', async () => {
    const before = await tableCounts(stack);
    const res = await stack.http().post('/imports/iati').attach('file', SAMPLE).expect(201);
    expect(res.body.projects).toEqual({ created: 0, updated: 0, unchanged: 4 });
    expect(res.body.indicators).toEqual({ created: 0, updated: 0, unchanged: 12 });
    expect(res.body.actuals).toEqual({ created: 0, updated: 0, unchanged: 34 });
    expect(res.body.periodTargets).toEqual({ created: 0, updated: 0, unchanged: 34 });
    expect(await tableCounts(stack)).toEqual(before);
  });

  it('imports the 100-activity UNDP file, reporting narrative-only values instead of failing', async () => {
    const res = await stack
      .http()
      .post('/imports/iati')
      .attach('file', resolve(ACTIVITIES, 'undp-covid19-dportal_100.xml'))
      .expect(201);
    expect(res.body.activities).toBe(100);
    expect(res.body.projects.created).toBe(100);
    expect(res.body.issueCounts.value_narrative_only).toBeGreaterThan(200);
    expect(res.body.issueCounts.sdg_code_normalised).toBeGreaterThanOrEqual(20);
    const [{ n }] = await stack.dataSource.query(
      `SELECT count(*)::int AS n FROM sdg_link WHERE sdg_target_code LIKE '%.a' OR sdg_target_code LIKE '%.b'`,
    );
    expect(n).toBeGreaterThan(0);
  });

  it('imports what it can of the schema-invalid UNICEF file and reports the rest with element paths', async () => {
    const res = await stack
      .http()
      .post('/imports/iati')
      .attach('file', resolve(ACTIVITIES, 'unicef-covid19-activities-with-results.xml'))
      .expect(201);
    expect(res.body.activities).toBe(62);
    expect(res.body.indicators.created).toBe(160);
    expect(res.body.issueCounts.measure_missing).toBe(160);
    const messy = res.body.issues.filter(
      (i: { code: string; message: string }) => i.code === 'value_not_numeric' && i.message.includes('"2020:2160"'),
    );
    expect(messy.length).toBeGreaterThan(0);
    expect(messy[0].path).toBe(
      'iati-activity[XM-DAC-41122-Bangladesh-5070/A0/05/106/001]/result/indicator[1]/period/target/@value',
    );
  });

  it('refuses a file that is not IATI XML with 400 and a message, and a missing file with the field named', async () => {
    const notXml = await stack
      .http()
      .post('/imports/iati')
      .attach('file', Buffer.from('name,value\nx,1\n'), 'data.csv')
      .expect(400);
    expect(notXml.body.message).toMatch(/not a readable IATI activities document/);
    const missing = await stack.http().post('/imports/iati').field('orgUnitCode', 'X').expect(400);
    expect(missing.body.errors).toEqual([{ path: 'file', code: 'required', params: {}, message: 'is required' }]);
    const unknownUnit = await stack
      .http()
      .post('/imports/iati')
      .field('orgUnitCode', 'NOPE')
      .attach('file', SAMPLE)
      .expect(404);
    expect(unknownUnit.body.message).toBe("Org unit 'NOPE' not found");
  });

  it('reads the shipped copy identically to the shared data file', () => {
    expect(readFileSync(SAMPLE, 'utf8')).toBe(readFileSync(resolve(ACTIVITIES, 'gdihub-activity.xml'), 'utf8'));
  });

  it('refuses XML with external entities as unreadable (400) and skips activities without an identifier', async () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><iati-activities version="2.03"><iati-activity><iati-identifier>&xxe;</iati-identifier></iati-activity></iati-activities>';
    const refused = await stack.http().post('/imports/iati').attach('file', Buffer.from(xxe), 'xxe.xml').expect(400);
    expect(refused.body.message).toMatch(/not a readable IATI activities document/);
    const noId = (title: string) =>
      `<?xml version="1.0"?><iati-activities version="2.03"><iati-activity><iati-identifier></iati-identifier><reporting-org ref="XM-TEST"/><title><narrative>${title}</narrative></title></iati-activity></iati-activities>`;
    const [{ n: before }] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM project`);
    for (const title of ['Alpha project', 'Gamma project']) {
      const res = await stack
        .http()
        .post('/imports/iati')
        .attach('file', Buffer.from(noId(title)), 'noid.xml')
        .expect(201);
      expect(res.body.projects).toEqual({ created: 0, updated: 0, unchanged: 0 });
      expect(res.body.issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            code: 'identifier_missing',
            severity: 'error',
            message: expect.stringContaining(`'${title}' has no iati-identifier: it was not imported`),
          }),
        ]),
      );
    }
    const [{ n: after }] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM project`);
    expect(after).toBe(before);
  });
});
