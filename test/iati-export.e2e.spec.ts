import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { asText, buildRoundTripProject, type RoundTripProject, xmllint } from './support/iati-fixture.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

const SETTINGS = {
  organisationIdentifier: 'XM-TEST-ORG',
  organisationName: 'Test Organisation',
  organisationType: '40',
  defaultLanguage: 'en',
  defaultCurrency: 'USD',
};

describe('IATI 2.03 export', () => {
  let stack: TestStack;
  let fx: RoundTripProject;
  beforeAll(async () => {
    stack = await startTestStack();
    fx = await buildRoundTripProject(stack);
  });
  afterAll(async () => stack?.close());

  const xml = (path: string, token?: string) => stack.http(token).get(path).buffer(true).parse(asText);

  it('refuses any export before the publisher settings are set, naming them', async () => {
    const res = await stack.http().get(`/projects/${fx.projectId}/iati.xml`).expect(422);
    expect(res.body.errors).toEqual([
      {
        path: 'iati.settings',
        code: 'required',
        params: {},
        message: 'are required before any export (PUT /iati/settings)',
      },
    ]);
    await stack.http().get('/iati/settings').expect(404);
    const bad = await stack
      .http()
      .put('/iati/settings')
      .send({ ...SETTINGS, organisationType: '99' })
      .expect(400);
    expect(bad.body.errors[0].path).toBe('organisationType');
    await stack.http(fx.managerToken).put('/iati/settings').send(SETTINGS).expect(403);
    const saved = await stack.http().put('/iati/settings').send(SETTINGS).expect(200);
    expect(saved.body).toMatchObject(SETTINGS);
  });

  it('keeps a project out until it is chosen for publication; off needs a reason', async () => {
    const off = await stack.http().get(`/projects/${fx.projectId}/iati.xml`).expect(422);
    expect(off.body.errors).toEqual([
      {
        path: 'project[P-RT]',
        code: 'not_applicable',
        params: { reason: 'not_published' },
        message: 'not_published: Not chosen for publication',
      },
    ]);
    const noReason = await stack
      .http(fx.managerToken)
      .put(`/projects/${fx.projectId}/iati-publication`)
      .send({ publish: false })
      .expect(400);
    expect(noReason.body.errors[0].path).toBe('exclusionReason');
    await stack
      .http(fx.managerToken)
      .put(`/projects/${fx.projectId}/iati-publication`)
      .send({ publish: false, exclusionReason: 'Sensitive: witness safety' })
      .expect(204);
    const sensitive = await stack.http().get(`/iati/export-report`).expect(200);
    expect(sensitive.body.skipped).toEqual([
      { projectId: fx.projectId, code: 'P-RT', reason: 'not_published', message: 'Sensitive: witness safety' },
    ]);
    const badSector = await stack
      .http(fx.managerToken)
      .put(`/projects/${fx.projectId}/iati-publication`)
      .send({ publish: true, dacSectorCode: '99999' })
      .expect(422);
    expect(badSector.body.errors[0].path).toBe('dacSectorCode');
    await stack
      .http(fx.managerToken)
      .put(`/projects/${fx.projectId}/iati-publication`)
      .send({ publish: true, language: 'en', dacSectorCode: '15130', publicEvidenceActualIds: [fx.actualId] })
      .expect(204);
  });

  it('previews exactly what would be public without storing the identifier', async () => {
    const res = await stack.http(fx.managerToken).get(`/projects/${fx.projectId}/iati-preview`).expect(200);
    expect(res.body.publish).toBe(true);
    expect(res.body.report.activities).toEqual([{ projectId: fx.projectId, iatiIdentifier: 'XM-TEST-ORG-P-RT' }]);
    expect(xmllint(res.body.xml)).toEqual({ valid: true, output: '' });
    const [row] = await stack.dataSource.query(`SELECT iati_identifier FROM project WHERE id = $1`, [fx.projectId]);
    expect(row.iati_identifier).toBeNull();
  });

  it('exports the approved logframe and validated quarter as a schema-valid activity; the identifier is stored and kept', async () => {
    const res = await xml(`/projects/${fx.projectId}/iati.xml`).expect(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    const doc = res.body as string;
    expect(xmllint(doc)).toEqual({ valid: true, output: '' });
    expect(doc).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<iati-activities version="2.03" generated-datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">/,
    );
    expect(doc).toContain('<iati-identifier>XM-TEST-ORG-P-RT</iati-identifier>');
    expect(doc).toContain('<reporting-org ref="XM-TEST-ORG" type="40">');
    expect(doc).toContain('<participating-org role="1" ref="XM-DONOR-P-RT">');
    expect(doc).toContain('<participating-org ref="XM-TEST-ORG" role="4" type="40">');
    // Three countries: 33.33 + 33.33 + 33.34 = 100.
    expect(doc).toContain('<recipient-country code="KE" percentage="33.33"/>');
    expect(doc).toContain('<recipient-country code="TZ" percentage="33.34"/>');
    expect(doc).toContain('<sector vocabulary="1" code="15130" percentage="100"/>');
    for (const tag of [
      'vocabulary="3" code="5.2"',
      'vocabulary="3" code="16.4"',
      'vocabulary="2" code="5"',
      'vocabulary="2" code="16"',
    ])
      expect(doc).toContain(`<tag ${tag}/>`);
    expect(doc).toContain('<result type="2" aggregation-status="1">');
    expect(doc).toContain('<result type="1" aggregation-status="1">');
    expect(doc).toContain('<indicator measure="2" ascending="1">');
    expect(doc).toContain('<reference vocabulary="9" code="16.4.2"/>');
    expect(doc).toContain('<baseline year="2025" value="12.5"/>');
    expect(doc).toContain('<dimension name="sex" value="female"/>');
    expect(doc).toContain('Courts closed for three weeks in February');
    expect(doc).toContain('<document-link url="https://example.org/evidence/q1" format="text/html">');
    // Internal comments never; the Q2 actual (quarter not validated) never.
    expect(doc).not.toContain('the registry was late');
    expect(doc).not.toContain('value="22"');
    // One period per date range: Q1 holds both the target (20) and the actual (18).
    expect(doc).toMatch(
      /<period-start iso-date="2026-01-01"\/>\s*<period-end iso-date="2026-03-31"\/>\s*<target value="20">[\s\S]*?<actual value="18">/,
    );
    const [row] = await stack.dataSource.query(`SELECT iati_identifier FROM project WHERE id = $1`, [fx.projectId]);
    expect(row.iati_identifier).toBe('XM-TEST-ORG-P-RT');
    // Project codes can be edited; IATI identifiers are permanent.
    await stack.dataSource.query(`UPDATE project SET code = 'P-RENAMED' WHERE id = $1`, [fx.projectId]);
    const again = await xml(`/projects/${fx.projectId}/iati.xml`).expect(200);
    expect(again.body).toContain('<iati-identifier>XM-TEST-ORG-P-RT</iati-identifier>');
    await stack.dataSource.query(`UPDATE project SET code = 'P-RT' WHERE id = $1`, [fx.projectId]);
  });

  it('serves the funding donor and staff in scope; 404 outside', async () => {
    const donor = await stack.userToken('donor.rt@test.rbm', [{ role: 'donor', donorId: fx.donorId }]);
    const res = await xml(`/projects/${fx.projectId}/iati.xml`, donor).expect(200);
    expect(xmllint(res.body).valid).toBe(true);
    const list = await xml('/iati/activities.xml', donor).expect(200);
    expect(list.body).toContain('<iati-identifier>XM-TEST-ORG-P-RT</iati-identifier>');
    const other = await stack.userToken('manager.other@test.rbm', [
      {
        role: 'project_manager',
        orgUnitId: (
          await stack.dataSource.query(
            `INSERT INTO org_unit (code, name, type, version) VALUES ('OTHER', 'Other', 'country_office', 1) RETURNING id`,
          )
        )[0].id,
      },
    ]);
    await stack.http(other).get(`/projects/${fx.projectId}/iati.xml`).expect(404);
    // Outside the caller's scope the list has nothing to export: 422 (an IATI file needs one activity).
    await stack.http(other).get('/iati/activities.xml').expect(422);
  });

  it('filters the organisation file by donor, org unit and programme, and lists projects kept out', async () => {
    const byDonor = await xml(`/iati/activities.xml?donorId=${fx.donorId}`).expect(200);
    expect(xmllint(byDonor.body)).toEqual({ valid: true, output: '' });
    const byUnit = await xml(`/iati/activities.xml?orgUnitId=${fx.orgUnitId}`).expect(200);
    expect(byUnit.body).toContain('XM-TEST-ORG-P-RT');
    const [programme] = await stack.dataSource.query(
      `INSERT INTO programme (code, title, scope, org_unit_id, version) VALUES ('G-EMPTY', 'Empty programme', 'country', $1, 1) RETURNING id`,
      [fx.orgUnitId],
    );
    const none = await stack.http().get(`/iati/activities.xml?programmeId=${programme.id}`).expect(422);
    expect(none.body.message).toBe('No activity qualifies for IATI export');
    await stack.http().get('/iati/activities.xml?donorId=nope').expect(400);
  });

  it('keeps an activity out for errors (a percentage over 100, an untagged SDG indicator) and lets warnings through', async () => {
    await stack.dataSource.query(
      `UPDATE period_target SET value = 120 WHERE indicator_id IN (SELECT i.id FROM indicator i JOIN logframe_revision r ON r.id = i.revision_id WHERE r.project_id = $1 AND i.code = 'OC1-I1') AND period_start = '2026-04-01'`,
      [fx.projectId],
    );
    await stack.dataSource.query(
      `UPDATE indicator SET sdg_indicator_code = '1.1.1' WHERE code = 'OP1.1-I1' AND revision_id IN (SELECT id FROM logframe_revision WHERE project_id = $1)`,
      [fx.projectId],
    );
    await stack.dataSource.query(
      `UPDATE period_target SET period_end = '2027-06-30' WHERE indicator_id IN (SELECT i.id FROM indicator i JOIN logframe_revision r ON r.id = i.revision_id WHERE r.project_id = $1 AND i.code = 'OP1.1-I1')`,
      [fx.projectId],
    );
    const report = await stack.http().get('/iati/export-report').expect(200);
    expect(report.body.activities).toEqual([]);
    expect(report.body.errors.map((e: { code: string; path: string }) => [e.code, e.path])).toEqual([
      ['percentage_out_of_range', 'iati-activity[XM-TEST-ORG-P-RT]/result[1]/indicator[1]/period[2]/target/@value'],
      ['sdg_tag_inconsistent', 'iati-activity[XM-TEST-ORG-P-RT]/result[2]/indicator[1]/reference'],
    ]);
    // 2026-01-01 to 2027-06-30 is a year and a half: a warning, not an error.
    expect(report.body.warnings.map((e: { code: string; path: string }) => [e.code, e.path])).toEqual([
      ['period_longer_than_year', 'iati-activity[XM-TEST-ORG-P-RT]/result[2]/indicator[1]/period[1]'],
    ]);
    await stack.dataSource.query(
      `UPDATE indicator SET sdg_indicator_code = NULL WHERE code = 'OP1.1-I1' AND revision_id IN (SELECT id FROM logframe_revision WHERE project_id = $1)`,
      [fx.projectId],
    );
    await stack.dataSource.query(`UPDATE period_target SET value = 25 WHERE value = 120`);
    const ok = await stack.http().get('/iati/export-report').expect(200);
    expect(ok.body.errors).toEqual([]);
    expect(ok.body.warnings).toHaveLength(1);
    expect(ok.body.activities).toHaveLength(1);
  });
});
