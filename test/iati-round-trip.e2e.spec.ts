import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { asText, buildRoundTripProject, type RoundTripProject, xmllint } from './support/iati-fixture.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/** The logframe document without what belongs to one database's history (versions, counts, flags). */
function comparable(doc: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(doc), (key, value) =>
    ['version', 'projectId', 'revision', 'flags', 'actualCount', 'retired'].includes(key) ? undefined : value,
  );
}

async function actualsOf(stack: TestStack, projectId: string) {
  return stack.dataSource.query(
    `SELECT a.indicator_series_id AS series, a.period_start, a.period_end, a.value,
            (SELECT json_agg(json_build_object('dimension', d.dimension, 'category', d.category, 'value', d.value)
                      ORDER BY d.category) FROM actual_disaggregation d WHERE d.actual_id = a.id) AS parts
       FROM actual a JOIN indicator_series s ON s.id = a.indicator_series_id
      WHERE s.project_id = $1 AND a.period_end <= '2026-03-31' ORDER BY a.period_start`,
    [projectId],
  );
}

describe('IATI round trip: export, import into an empty database, equal field by field', () => {
  let source: TestStack;
  let target: TestStack;
  let fx: RoundTripProject;
  let xml: string;

  beforeAll(async () => {
    source = await startTestStack();
    fx = await buildRoundTripProject(source);
    await source
      .http()
      .put('/iati/settings')
      .send({
        organisationIdentifier: 'XM-TEST-ORG',
        organisationName: 'Test Organisation',
        organisationType: '40',
        defaultLanguage: 'en',
        defaultCurrency: 'USD',
      })
      .expect(200);
    await source
      .http(fx.managerToken)
      .put(`/projects/${fx.projectId}/iati-publication`)
      .send({ publish: true, dacSectorCode: '15130' })
      .expect(204);
    xml = (await source.http().get(`/projects/${fx.projectId}/iati.xml`).buffer(true).parse(asText).expect(200))
      .body as string;
    target = await startTestStack();
  }, 240_000);
  afterAll(async () => {
    await target?.close();
    await source?.close();
  });

  it('exports a schema-valid file with a percentage indicator, a sex disaggregation, an SDG target tag and indicator reference', () => {
    expect(xmllint(xml)).toEqual({ valid: true, output: '' });
    expect(xml).toContain('<indicator measure="2" ascending="1">');
    expect(xml).toContain('<dimension name="sex" value="female"/>');
    expect(xml).toContain('<tag vocabulary="3" code="16.4"/>');
    expect(xml).toContain('<reference vocabulary="9" code="16.4.2"/>');
  });

  it('imports into an empty database the same logframe, project fields and validated actuals', async () => {
    const [{ n }] = await target.dataSource.query(`SELECT count(*)::int AS n FROM project`);
    expect(n).toBe(0);
    const res = await target.http().post('/imports/iati').attach('file', Buffer.from(xml), 'export.xml').expect(201);
    expect(res.body.projects.created).toBe(1);
    expect(res.body.issues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
    const importedId = res.body.projectResults[0].projectId as string;

    // Every logframe field, IATI's and the extension's: statements, codes, stable ids, indicators
    // (title, definition, measure, unit, direction, aggregation, baseline, end target, means of
    // verification, data source, frequency, required disaggregations, SDG indicator, period targets
    // with numerator/denominator), SDG links with contribution and rationale, assumptions and risks.
    const before = (await source.http().get(`/projects/${fx.projectId}/logframe?revision=approved`).expect(200)).body;
    const after = (await target.http().get(`/projects/${importedId}/logframe`).expect(200)).body;
    expect(comparable(after)).toEqual(comparable(before));
    // Spot checks of what IATI alone cannot carry, so a broken comparison cannot pass unnoticed.
    const pct = after.outcomes[0].indicators[0];
    expect(pct).toMatchObject({
      id: fx.percentageStableId,
      unit: 'percent',
      aggregation: 'latest',
      meansOfVerification: 'Court case management system',
      requiredDisaggregations: ['sex'],
      sdgIndicatorCode: '16.4.2',
    });
    expect(pct.endTarget).toMatchObject({ numerator: 45, denominator: 100 });
    expect(after.outcomes[0].outputs[0].code).toBe('OP1.1');
    expect(after.sdgLinks).toEqual([
      { sdgTargetCode: '16.4', contribution: 'primary', rationale: 'Trafficking is a form of organised crime' },
    ]);

    const projectBefore = (await source.http().get(`/projects/${fx.projectId}`).expect(200)).body;
    const projectAfter = (await target.http().get(`/projects/${importedId}`).expect(200)).body;
    for (const field of ['title', 'description', 'countries', 'startDate', 'endDate', 'theoryOfChange'])
      expect([field, projectAfter[field]]).toEqual([field, projectBefore[field]]);
    expect(projectAfter.iatiIdentifier).toBe('XM-TEST-ORG-P-RT');

    // The validated quarter's actual and its sex disaggregation (Q2 was not validated: not exported).
    const validatedBefore = await actualsOf(source, fx.projectId);
    expect(validatedBefore).toHaveLength(1);
    expect(await actualsOf(target, importedId)).toEqual(validatedBefore);
  }, 120_000);
});
