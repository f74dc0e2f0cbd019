import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { approvedProject, type ApprovedProject } from './support/approved-project.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * The logframe read's ETag and the per-process cache of approved revisions (docs/RULES.md,
 * "Performance and several processes"), attacked between reads: an edit, an approval that supersedes
 * the cached revision, a stale If-None-Match, and a session revoked while its logframe is cached.
 */
describe('logframe read: ETag and cache never serve a stale body', () => {
  let stack: TestStack;
  let p: ApprovedProject;
  const url = (revision: string) => `/projects/${p.projectId}/logframe?revision=${revision}`;
  const read = (token: string, revision: string, tag?: string) => {
    const req = stack.http(token).get(url(revision));
    return tag ? req.set('If-None-Match', tag) : req;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    p = await approvedProject(stack, { code: 'LFC', outputsPerOutcome: [1] });
  });
  afterAll(async () => stack?.close());

  it('edits and approvals between reads: a new tag and the new body; a stale tag gets 200, the current one 304', async () => {
    const first = await read(p.manager, 'approved').expect(200);
    const cached = await read(p.manager, 'approved').expect(200);
    expect(cached.text).toBe(first.text);
    expect(cached.headers.etag).toBe(first.headers.etag);
    const oneApproved = first.headers.etag as string;

    // Revision 2 opened and edited: the working copy has its own tag; revision 1 is unchanged.
    await stack
      .http(p.manager)
      .post(`/projects/${p.projectId}/revisions`)
      .send({ justification: 'Sharper outcome' })
      .expect(201);
    const draft = await read(p.manager, 'latest').expect(200);
    expect(draft.body.revision).toMatchObject({ number: 2, status: 'draft' });
    const edited = { ...draft.body };
    edited.outcomes = draft.body.outcomes.map((o: { statement: string }, i: number) =>
      i === 0 ? { ...o, statement: 'Justice institutions convict traffickers' } : o,
    );
    await stack.http(p.manager).put(`/projects/${p.projectId}/logframe`).send(edited).expect(200);
    const afterEdit = await read(p.manager, 'latest', draft.headers.etag).expect(200);
    expect(afterEdit.headers.etag).not.toBe(draft.headers.etag);
    expect(afterEdit.body.outcomes[0].statement).toBe('Justice institutions convict traffickers');
    await read(p.manager, 'approved', oneApproved).expect(304);

    // Revision 2 approved: revision 1 (cached as approved) is superseded.
    await stack
      .http(p.manager)
      .post(`/projects/${p.projectId}/revisions/submit`)
      .send({ version: afterEdit.body.version })
      .expect(201);
    const submitted = await read(p.focal, 'latest').expect(200);
    await stack
      .http(p.focal)
      .post(`/projects/${p.projectId}/revisions/2/approve`)
      .send({ version: submitted.body.version })
      .expect(201);
    const one = await read(p.manager, '1', oneApproved).expect(200);
    expect(one.headers.etag).not.toBe(oneApproved);
    expect(one.body.revision).toMatchObject({ number: 1, status: 'superseded' });
    const inForce = await read(p.manager, 'approved', oneApproved).expect(200);
    expect(inForce.body.revision).toMatchObject({ number: 2, status: 'approved' });
    expect(inForce.body.outcomes[0].statement).toBe('Justice institutions convict traffickers');
    await read(p.manager, 'approved', inForce.headers.etag).expect(304);
  });

  it('a revoked session reading a cached logframe gets 401, with or without If-None-Match', async () => {
    const token = await stack.userToken('reader-lfc@test.rbm', [{ role: 'admin' }]);
    const cached = await read(token, 'approved').expect(200);
    await read(token, 'approved').expect(200);
    await stack.http(token).post('/auth/logout').expect(204);
    await read(token, 'approved').expect(401);
    await read(token, 'approved', cached.headers.etag).expect(401);
  });
});
