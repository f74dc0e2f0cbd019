import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ReportBuilderService } from '#libs/reporting';
import { createOrgUnit } from '#libs/testing';
import { buildLogframe, stripReadOnly as strip } from './support/logframe-builder.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * The RBM QA workflow through HTTP: office KE under region EA; the manager edits and submits, the
 * regional focal point approves or returns; a second focal point is also a manager (four eyes).
 */
describe('logframe quality assurance: submit, review, return or approve', () => {
  let stack: TestStack;
  let manager: string;
  let focal: string;
  let focal2: string;
  let hybrid: string;
  let projectId: string;

  const as = (token: string) => stack.http(token);
  const latestVersion = async () =>
    (await as(manager).get(`/projects/${projectId}/revisions`).expect(200)).body[0].version as number;
  const logframe = async (token = manager, revision = 'latest') =>
    (await as(token).get(`/projects/${projectId}/logframe`).query({ revision }).expect(200)).body;

  beforeAll(async () => {
    stack = await startTestStack();
    const region = await createOrgUnit(stack.dataSource, 'EA', 'regional_office');
    const office = await createOrgUnit(stack.dataSource, 'KE', 'country_office', region.id);
    manager = await stack.userToken('pm@test.rbm', [{ role: 'project_manager', orgUnitId: office.id }]);
    focal = await stack.userToken('focal@test.rbm', [{ role: 'rbm_focal_point', orgUnitId: region.id }]);
    focal2 = await stack.userToken('focal2@test.rbm', [{ role: 'rbm_focal_point', orgUnitId: region.id }]);
    // Manager and focal point of the same office: may edit, but never approve what they edited.
    hybrid = await stack.userToken('hybrid@test.rbm', [
      { role: 'project_manager', orgUnitId: office.id },
      { role: 'rbm_focal_point', orgUnitId: office.id },
      { role: 'admin' },
    ]);
    projectId = (
      await as(manager)
        .post('/projects')
        .send({
          code: 'KE-QA',
          title: 'Firearms trafficking, Kenya',
          orgUnitId: office.id,
          startDate: '2026-01-01',
          endDate: '2027-12-31',
          theoryOfChange: 'If prosecutors are trained, more trafficking cases reach a verdict.',
        })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => stack?.close());

  it('refuses a submission that fails the checklist, listing every blocking item', async () => {
    const doc = buildLogframe({ outcomes: 2, outputsPerOutcome: [2, 1], version: 1 }) as ReturnType<
      typeof buildLogframe
    > & { outcomes: { indicators: unknown[]; outputs: { indicators: unknown[] }[] }[] };
    doc.outcomes[1].indicators = []; // OC2 without an outcome indicator
    doc.outcomes[0].outputs[1].indicators = []; // OP1.2 without an indicator
    doc.outcomes[1].outputs[0].indicators = []; // OP2.1 without an indicator
    await as(manager).put(`/projects/${projectId}/logframe`).send(doc).expect(200);
    const checklist = (await as(manager).get(`/projects/${projectId}/checklist`).expect(200)).body;
    expect(checklist.passed).toBe(false);
    const res = await as(manager)
      .post(`/projects/${projectId}/revisions/submit`)
      .send({ version: await latestVersion() })
      .expect(422);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      checklist.blocking.map((i: { elementCode: string }) => i.elementCode ?? 'project').sort(),
    );
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['OC2', 'OP1.2', 'OP2.1']),
    );
    expect((await as(manager).get(`/projects/${projectId}/revisions`).expect(200)).body[0].status).toBe('draft');
  });

  it('submits a complete logframe; the submitter and editors cannot approve it (four eyes, admin included)', async () => {
    const current = await logframe();
    const complete = buildLogframe({ outcomes: 2, outputsPerOutcome: [2, 1], version: current.version });
    await as(manager).put(`/projects/${projectId}/logframe`).send(complete).expect(200);
    const checklist = (await as(manager).get(`/projects/${projectId}/checklist`).expect(200)).body;
    expect(checklist.blocking).toEqual([]);
    // The hybrid user edits too, so they are an editor of this revision.
    const again = await logframe();
    await as(hybrid)
      .put(`/projects/${projectId}/logframe`)
      .send(
        strip({
          ...again,
          assumptions: [
            ...again.assumptions,
            { kind: 'risk', statement: 'Elections in 2027 delay legislation', likelihood: 'medium', impact: 'medium' },
          ],
        }),
      )
      .expect(200);
    const submitted = (
      await as(manager)
        .post(`/projects/${projectId}/revisions/submit`)
        .send({ version: await latestVersion() })
        .expect(201)
    ).body;
    expect(submitted).toMatchObject({
      number: 1,
      status: 'submitted',
      actions: { mayEdit: false, maySubmit: false, mayApprove: false, mayReturn: false },
    });
    // Editing a submitted revision is refused.
    const frozen = await logframe();
    await as(manager).put(`/projects/${projectId}/logframe`).send(strip(frozen)).expect(409);
    const hybridView = (await as(hybrid).get(`/projects/${projectId}/revisions`).expect(200)).body[0];
    expect(hybridView.actions).toMatchObject({
      mayApprove: false,
      mayReturn: true,
      approveBlockedBecause: 'You submitted or edited this revision (four eyes)',
    });
    const denied = await as(hybrid)
      .post(`/projects/${projectId}/revisions/1/approve`)
      .send({ version: submitted.version })
      .expect(403);
    expect(denied.body.code).toBe('FOUR_EYES');
    expect(denied.body.message).toBe('You edited this revision: another RBM focal point must approve it (four eyes)');
    // The manager is not a focal point at all: 403 from the route's roles.
    await as(manager)
      .post(`/projects/${projectId}/revisions/1/approve`)
      .send({ version: submitted.version })
      .expect(403);
    const inbox = (await as(focal).get('/reviews/inbox').expect(200)).body;
    expect(inbox).toEqual([
      expect.objectContaining({ projectCode: 'KE-QA', revisionNumber: 1, waitingDays: 0, mayApprove: true }),
    ]);
  });

  it('returns with a comment and element comments, then the manager fixes and resubmits', async () => {
    const version = await latestVersion();
    await as(focal).post(`/projects/${projectId}/revisions/1/return`).send({ version, comment: ' ' }).expect(400);
    const oc1 = (await logframe()).outcomes[0];
    const returned = (
      await as(focal)
        .post(`/projects/${projectId}/revisions/1/return`)
        .send({
          version,
          comment: 'Tighten the means of verification of OC1.1',
          elementComments: [
            {
              elementType: 'indicator',
              elementId: oc1.indicators[0].id,
              body: 'Name the court registry as the source.',
            },
          ],
        })
        .expect(201)
    ).body;
    expect(returned).toMatchObject({ status: 'returned' });
    const comments = (await as(manager).get(`/projects/${projectId}/comments`).expect(200)).body;
    expect(comments.map((c: { body: string; elementId: string | null }) => [c.body, c.elementId])).toEqual([
      ['Tighten the means of verification of OC1.1', null],
      ['Name the court registry as the source.', oc1.indicators[0].id],
    ]);
    const current = await logframe();
    const fixed = strip(current) as { outcomes: { indicators: { meansOfVerification: string }[] }[] };
    fixed.outcomes[0].indicators[0].meansOfVerification = 'Case registry of the High Court, Nairobi';
    await as(manager).put(`/projects/${projectId}/logframe`).send(fixed).expect(200);
    const resubmitted = (
      await as(manager)
        .post(`/projects/${projectId}/revisions/submit`)
        .send({ version: await latestVersion() })
        .expect(201)
    ).body;
    expect(resubmitted.status).toBe('submitted');
  });

  it('two concurrent approvals: one wins, the other gets 409', async () => {
    const version = await latestVersion();
    const [a, b] = await Promise.all([
      as(focal).post(`/projects/${projectId}/revisions/1/approve`).send({ version }),
      as(focal2).post(`/projects/${projectId}/revisions/1/approve`).send({ version }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const approved = (await as(manager).get(`/projects/${projectId}/revisions`).expect(200)).body[0];
    expect(approved).toMatchObject({
      number: 1,
      status: 'approved',
      snapshotSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const [row] = await stack.dataSource.query(
      `SELECT snapshot FROM logframe_revision WHERE project_id = $1 AND number = 1`,
      [projectId],
    );
    expect(row.snapshot.outcomes.map((o: { code: string }) => o.code)).toEqual(['OC1', 'OC2']);
    // Editing an approved revision is refused.
    await as(manager)
      .put(`/projects/${projectId}/logframe`)
      .send(strip(await logframe()))
      .expect(409);
  });

  it('opens revision 2 from the approved 1; 1 stays in force for reports until 2 is approved', async () => {
    await as(manager).post(`/projects/${projectId}/revisions`).send({ justification: '' }).expect(400);
    const opened = (
      await as(manager)
        .post(`/projects/${projectId}/revisions`)
        .send({ justification: 'The donor raised the end targets' })
        .expect(201)
    ).body;
    expect(opened).toMatchObject({
      number: 2,
      status: 'draft',
      justification: 'The donor raised the end targets',
      actions: { mayEdit: true, maySubmit: true },
    });
    const r1 = await logframe(manager, '1');
    const r2 = await logframe();
    // Same elements, same stable ids.
    expect(r2.outcomes.map((o: { id: string }) => o.id)).toEqual(r1.outcomes.map((o: { id: string }) => o.id));
    const raised = strip(r2) as {
      outcomes: { indicators: { endTarget: { value: number }; periodTargets: { value: number }[] }[] }[];
    };
    raised.outcomes[0].indicators[0].endTarget.value = 140; // sum indicator: targets 25 x 4 would no longer add up, but drafts may be incomplete
    await as(manager).put(`/projects/${projectId}/logframe`).send(raised).expect(200);
    // The diff shows exactly the changed element.
    const diff = (await as(manager).get(`/projects/${projectId}/revisions/1/diff/2`).expect(200)).body;
    expect(diff).toEqual([
      {
        elementType: 'indicator',
        elementId: r1.outcomes[0].indicators[0].id,
        code: 'OC1.1',
        change: 'changed',
        fields: [
          {
            field: 'endTarget',
            before: { value: 100, numerator: null, denominator: null, description: null },
            after: { value: 140, numerator: null, denominator: null, description: null },
          },
        ],
      },
    ]);
    expect((await logframe(manager, 'approved')).revision.number).toBe(1);
    expect((await logframe(manager, 'approved')).outcomes[0].indicators[0].endTarget.value).toBe(100);
    // A report of Q1 2026 uses revision 1 and names it, with its approver.
    await stack.dataSource.query(
      `INSERT INTO actual (indicator_series_id, period_start, period_end, value, provenance, version) VALUES ($1, '2026-01-01', '2026-03-31', 20, 'entered', 1)`,
      [r1.outcomes[0].indicators[0].id],
    );
    const requested = (
      await as(manager).post('/reports').send({ scope: 'project', projectId, year: 2026, quarter: 1 }).expect(202)
    ).body;
    await stack.api.get(ReportBuilderService).build(requested.id);
    const report = (await as(manager).get(`/reports/${requested.id}`).expect(200)).body;
    expect(report.content.revision).toMatchObject({
      number: 1,
      status: 'approved',
      approvedBy: expect.stringMatching(/^focal2?@test\.rbm$/),
    });
    expect(report.content.outcomes[0].indicators[0]).toMatchObject({
      code: 'OC1.1',
      endTarget: 100,
      targetToDate: 25,
      actualToDate: 20,
      achievementPercent: 80,
    });
  });

  it('leaves no half transition when a failure follows the state change', async () => {
    const version = await latestVersion();
    await as(manager).post(`/projects/${projectId}/revisions/submit`).send({ version }).expect(422); // revision 2's sum targets no longer add up
    const current = strip(await logframe()) as { outcomes: { indicators: { endTarget: { value: number } }[] }[] };
    current.outcomes[0].indicators[0].endTarget.value = 100;
    await as(manager).put(`/projects/${projectId}/logframe`).send(current).expect(200);
    await as(manager)
      .post(`/projects/${projectId}/revisions/submit`)
      .send({ version: await latestVersion() })
      .expect(201);
    // Inject a failure in the audit write of the approval (after the status change in the same transaction).
    await stack.dataSource.query(
      `CREATE FUNCTION fail_approval() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.action = 'revision.approve' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`,
    );
    await stack.dataSource.query(
      `CREATE TRIGGER fail_approval BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION fail_approval()`,
    );
    const submittedVersion = await latestVersion();
    const failed = await as(focal)
      .post(`/projects/${projectId}/revisions/2/approve`)
      .send({ version: submittedVersion })
      .expect(500);
    expect(failed.body).toMatchObject({ statusCode: 500, errorId: expect.any(String) });
    expect(JSON.stringify(failed.body)).not.toMatch(/injected|audit_event/);
    const [r] = await stack.dataSource.query(
      `SELECT status, version, snapshot_sha256 FROM logframe_revision WHERE project_id = $1 AND number = 2`,
      [projectId],
    );
    expect(r).toEqual({ status: 'submitted', version: submittedVersion, snapshot_sha256: null });
    const [r1] = await stack.dataSource.query(
      `SELECT status FROM logframe_revision WHERE project_id = $1 AND number = 1`,
      [projectId],
    );
    expect(r1.status).toBe('approved');
    await stack.dataSource.query(`DROP TRIGGER fail_approval ON audit_event; DROP FUNCTION fail_approval()`);
    await as(focal).post(`/projects/${projectId}/revisions/2/approve`).send({ version: submittedVersion }).expect(201);
    const statuses = (await as(manager).get(`/projects/${projectId}/revisions`).expect(200)).body.map(
      (x: { number: number; status: string }) => [x.number, x.status],
    );
    expect(statuses).toEqual([
      [2, 'approved'],
      [1, 'superseded'],
    ]);
  });

  it('keeps every step in the audit trail with before/after, in JSON and CSV', async () => {
    const events = (await as(manager).get(`/projects/${projectId}/audit`).expect(200)).body as {
      action: string;
      actorEmail: string;
      before: { status?: string } | null;
      after: { status?: string } | null;
    }[];
    const steps = events
      .filter((e) => e.action.startsWith('revision.'))
      .map((e) => `${e.action}:${e.before?.status ?? ''}->${e.after?.status ?? ''}:${e.actorEmail}`);
    expect(steps).toEqual([
      'revision.submit:draft->submitted:pm@test.rbm',
      'revision.return:submitted->returned:focal@test.rbm',
      'revision.submit:returned->submitted:pm@test.rbm',
      expect.stringMatching(/^revision\.approve:submitted->approved:focal2?@test\.rbm$/),
      'revision.open:->draft:pm@test.rbm',
      'revision.submit:draft->submitted:pm@test.rbm',
      'revision.approve:submitted->approved:focal@test.rbm',
    ]);
    expect(events.filter((e) => e.action === 'logframe.replace').length).toBeGreaterThanOrEqual(6);
    expect(events[0].action).toBe('project.create');
    const csv = await as(manager).get(`/projects/${projectId}/audit`).query({ format: 'csv' }).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\n')[0]).toBe('id,occurred_at,actor,action,entity_type,entity_id,before,after');
    expect(csv.text).toContain(',revision.approve,logframe_revision,');
    // Nothing rewrites it.
    await expect(stack.dataSource.query(`DELETE FROM audit_event WHERE project_id = $1`, [projectId])).rejects.toThrow(
      /append-only/,
    );
  });
});
