import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ReportRequestService } from '#libs/reporting';
import { createDonor } from '#libs/testing';
import { approvedProject, type ApprovedProject, validActual } from './support/approved-project.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * Report fingerprints come from version stamps maintained in SQL (docs/RULES.md, "Report fingerprint"):
 * through HTTP against the real services, each input the content shows is changed in turn and the next
 * request gets a new fingerprint (a new version); a request with nothing changed gets the same report;
 * a change the quarter's content does not show (a later quarter's actual, a new draft revision while
 * the approved one stays in force) keeps the fingerprint.
 */
describe('report fingerprint from version stamps: every input changes it, nothing else does', () => {
  let stack: TestStack;
  let p: ApprovedProject;
  let outcomeId: string;
  let riskId: string;
  const seen = new Set<string>();
  const as = (token: string) => stack.http(token);
  const q = (quarter: number, suffix = '') => `/projects/${p.projectId}/progress/2026/${quarter}${suffix}`;
  const request = async (body: Record<string, unknown> = { scope: 'project', projectId: p.projectId }) => {
    const accepted = (
      await as(p.focal)
        .post('/reports')
        .send({ year: 2026, quarter: 1, ...body })
        .expect(202)
    ).body as { id: string; version: number; created: boolean };
    const { fingerprint } = (await as(p.focal).get(`/reports/${accepted.id}`).expect(200)).body as {
      fingerprint: string;
    };
    return { ...accepted, fingerprint };
  };
  /** Requests after a change: a new report whose fingerprint no earlier request had; then the same again. */
  const expectNewFingerprint = async () => {
    const changed = await request();
    expect(changed.created).toBe(true);
    expect(seen.has(changed.fingerprint)).toBe(false);
    seen.add(changed.fingerprint);
    expect(await request()).toMatchObject({ id: changed.id, created: false, fingerprint: changed.fingerprint });
    return changed;
  };
  const expectSameFingerprint = async (before: { id: string; fingerprint: string }) =>
    expect(await request()).toMatchObject({ id: before.id, created: false, fingerprint: before.fingerprint });
  const saveActual = async (quarter: number, value: number) => {
    const read = (await as(p.manager).get(q(quarter)).expect(200)).body;
    const current = read.actuals.find((a: { indicatorId: string }) => a.indicatorId === p.ids['OC1.1']);
    const periodEnd = quarter === 1 ? '2026-03-31' : '2026-06-30';
    await as(p.manager)
      .put(q(quarter, '/actuals'))
      .send({
        actuals: [
          {
            ...validActual('number', p.ids['OC1.1'], value),
            periodStart: quarter === 1 ? '2026-01-01' : '2026-04-01',
            periodEnd,
            version: current?.version ?? null,
          },
        ],
      })
      .expect(200);
  };
  const story = async (parts: Record<string, unknown>) => {
    const { version } = (await as(p.manager).get(q(1, '/narrative')).expect(200)).body as { version: number };
    await as(p.manager)
      .put(q(1, '/narrative'))
      .send({ version, ...parts })
      .expect(200);
  };
  const quarterVersion = async (token: string) => (await as(token).get(q(1)).expect(200)).body.version as number;

  beforeAll(async () => {
    stack = await startTestStack();
    p = await approvedProject(stack, { code: 'STAMP', outputsPerOutcome: [1] });
    const logframe = (await as(p.manager).get(`/projects/${p.projectId}/logframe`).expect(200)).body;
    outcomeId = logframe.outcomes[0].id;
    riskId = logframe.outcomes[0].assumptions[0].id;
  });
  afterAll(async () => stack?.close());

  it('same inputs: the same report; each input changed in turn: a new fingerprint', async () => {
    const first = await request();
    expect(first).toMatchObject({ version: 1, created: true });
    seen.add(first.fingerprint);
    await expectSameFingerprint(first);

    // Actuals (and their disaggregation) of the quarter.
    await saveActual(1, 10);
    await expectNewFingerprint();
    await saveActual(1, 12);
    const afterActuals = await expectNewFingerprint();
    // An actual of a later quarter is not in this quarter's report.
    await saveActual(2, 30);
    await expectSameFingerprint(afterActuals);

    // Ratings, explanations, risk updates and narrative, each in turn.
    await story({ outcomeRatings: [{ outcomeId, rating: 'off_track', justification: 'Trainings delayed' }] });
    await expectNewFingerprint();
    await story({ varianceExplanations: [{ indicatorId: p.ids['OC1.1'], explanation: 'One training took place' }] });
    await expectNewFingerprint();
    await story({ assumptionUpdates: [{ assumptionId: riskId, status: 'materialised', note: 'Strike' }] });
    await expectNewFingerprint();
    await story({ narrative: { progressSummary: 'Slow start.' } });
    await expectNewFingerprint();

    // Quarter rows: submitted, validated, reopened.
    await as(p.manager)
      .post(q(1, '/submit'))
      .send({ version: await quarterVersion(p.manager) })
      .expect(201);
    await expectNewFingerprint();
    await as(p.focal)
      .post(q(1, '/validate'))
      .send({ version: await quarterVersion(p.focal) })
      .expect(201);
    await expectNewFingerprint();
    await as(p.focal)
      .post(q(1, '/reopen'))
      .send({ version: await quarterVersion(p.focal), reason: 'Register recounted' })
      .expect(201);
    await expectNewFingerprint();

    // The project row.
    const project = (await as(p.manager).get(`/projects/${p.projectId}`).expect(200)).body;
    await as(p.manager)
      .patch(`/projects/${p.projectId}`)
      .send({ version: project.version, title: 'Project STAMP, renamed' })
      .expect(200);
    await expectNewFingerprint();

    // Funding agreements: added, then changed.
    const donor = await createDonor(stack.dataSource, 'Stamp Fund', 'XM-STAMP-1');
    const agreement = (
      await as(p.manager)
        .post(`/projects/${p.projectId}/funding-agreements`)
        .send({ donorId: donor.id, amount: 1000, currency: 'USD', startDate: '2026-01-01', endDate: '2027-12-31' })
        .expect(201)
    ).body;
    await expectNewFingerprint();
    await as(p.manager)
      .patch(`/projects/${p.projectId}/funding-agreements/${agreement.id}`)
      .send({ version: agreement.version, amount: 2000 })
      .expect(200);
    await expectNewFingerprint();

    // Settings: a new version in force (no route sets them; an admin's SQL does).
    await stack.dataSource.query(
      `INSERT INTO rbm_settings (version, at_risk_from, on_track_from, exceeded_above, validation_cutoff_days, blocking_checks)
       SELECT version + 1, at_risk_from, on_track_from, exceeded_above, validation_cutoff_days, blocking_checks
         FROM rbm_settings ORDER BY version DESC LIMIT 1`,
    );
    await expectNewFingerprint();

    // The approver's name, printed on the report.
    await stack.dataSource.query(`UPDATE app_user SET display_name = 'Fatima Ndiaye' WHERE email = $1`, [
      'focal-stamp@test.rbm',
    ]);
    const last = await expectNewFingerprint();

    // Rewrites that change nothing a report shows keep the fingerprint: the project row saved with the
    // values it has (TypeORM bumps updated_at and version; an IATI re-import of an unchanged file does
    // the same), and the IATI publication choice (published to IATI, not printed in results reports).
    await stack.dataSource.query(
      `UPDATE project SET title = title, version = version + 1, updated_at = now() WHERE id = $1`,
      [p.projectId],
    );
    await stack.dataSource.query(
      `UPDATE project SET iati_publish = NOT iati_publish, iati_exclusion_reason = 'stamp test', dac_sector_code = '15130' WHERE id = $1`,
      [p.projectId],
    );
    await stack.dataSource.query(
      `UPDATE actual a SET evidence_public = NOT a.evidence_public FROM indicator_series s
        WHERE s.id = a.indicator_series_id AND s.project_id = $1`,
      [p.projectId],
    );
    await expectSameFingerprint(last);

    // The revision: revision 2 opened (a working copy; revision 1 stays in force): same fingerprint ...
    await as(p.manager)
      .post(`/projects/${p.projectId}/revisions`)
      .send({ justification: 'New end targets' })
      .expect(201);
    await expectSameFingerprint(last);
    // ... then submitted and approved: revision 2 in force, a new fingerprint.
    const opened = (await as(p.manager).get(`/projects/${p.projectId}/revisions`).expect(200)).body;
    const two = opened.find((r: { number: number }) => r.number === 2);
    await as(p.manager).post(`/projects/${p.projectId}/revisions/submit`).send({ version: two.version }).expect(201);
    await expectSameFingerprint(last);
    const submitted = (await as(p.focal).get(`/projects/${p.projectId}/revisions`).expect(200)).body;
    await as(p.focal)
      .post(`/projects/${p.projectId}/revisions/2/approve`)
      .send({ version: submitted.find((r: { number: number }) => r.number === 2).version })
      .expect(201);
    await expectNewFingerprint();
  });

  it('a multi-project report: the same while nothing changes, new when a project input or its printed name changes', async () => {
    const unit = { scope: 'org_unit', scopeId: p.officeId };
    const first = await request(unit);
    expect(first.created).toBe(true);
    expect(await request(unit)).toMatchObject({ id: first.id, created: false, fingerprint: first.fingerprint });
    await saveActual(2, 31);
    expect(await request(unit)).toMatchObject({ id: first.id, created: false }); // Q2: not in Q1's content
    await saveActual(1, 13);
    const changed = await request(unit);
    expect(changed.created).toBe(true);
    expect(changed.fingerprint).not.toBe(first.fingerprint);
    // The org unit's own name is printed on the cover.
    await stack.dataSource.query(`UPDATE org_unit SET name = name || ' (renamed)' WHERE id = $1`, [p.officeId]);
    const renamed = await request(unit);
    expect(renamed.created).toBe(true);
    expect(renamed.fingerprint).not.toBe(changed.fingerprint);
    expect(await request(unit)).toMatchObject({ id: renamed.id, created: false });
  });

  it('the quarterly run requests set-based with the same fingerprints: an unchanged project keeps its report', async () => {
    const before = await request();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const result = await stack.api.get(ReportRequestService).requestProjectReports([p.projectId, unknown], 2026, 1);
    expect(result).toEqual({ requested: [p.projectId], failed: [{ projectId: unknown, error: 'Project not found' }] });
    expect(await request()).toMatchObject({ id: before.id, created: false, fingerprint: before.fingerprint });
    await saveActual(1, 14);
    await stack.api.get(ReportRequestService).requestProjectReports([p.projectId], 2026, 1);
    const after = await request();
    expect(after).toMatchObject({ created: false, version: before.version + 1 });
    expect(after.fingerprint).not.toBe(before.fingerprint);
  });
});
