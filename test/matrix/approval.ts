import type { Entry, MatrixContext } from '../support/matrix.js';

/**
 * Routes of the QA workflow. Actions use a stale version (or a state that does not allow them), so
 * each persona's answer is the authorisation result (401/403/404) or, once allowed through, the
 * workflow's 409 — the matrix never changes PA's revision state.
 */
export function approvalEntries({ fx }: MatrixContext): Record<string, Entry> {
  const { pa } = fx.projects;
  const staff = {
    anonymous: 401,
    admin: 200,
    managerA: 200,
    managerB: 404,
    focalRegional: 200,
    donor1: 403,
    donor2: 403,
  };
  const reviewer = (status: number) => ({
    anonymous: 401,
    admin: 403,
    managerA: 403,
    managerB: 403,
    focalRegional: status,
    donor1: 403,
    donor2: 403,
  });
  return {
    'GET /projects/:id/revisions': { call: (a) => a.get(`/projects/${pa}/revisions`), expect: staff },
    'GET /projects/:id/checklist': { call: (a) => a.get(`/projects/${pa}/checklist`), expect: staff },
    'GET /projects/:id/comments': { call: (a) => a.get(`/projects/${pa}/comments`), expect: staff },
    'GET /projects/:id/audit': { call: (a) => a.get(`/projects/${pa}/audit`), expect: staff },
    'GET /projects/:id/revisions/:from/diff/:to': {
      call: (a) => a.get(`/projects/${pa}/revisions/1/diff/1`),
      expect: staff,
    },
    'POST /projects/:id/revisions/submit': {
      call: (a) => a.post(`/projects/${pa}/revisions/submit`).send({ version: 999999 }),
      expect: {
        anonymous: 401,
        admin: 403,
        managerA: 409,
        managerB: 404,
        focalRegional: 403,
        donor1: 403,
        donor2: 403,
      },
    },
    'POST /projects/:id/revisions/:number/approve': {
      call: (a) => a.post(`/projects/${pa}/revisions/1/approve`).send({ version: 999999 }),
      expect: reviewer(409),
    },
    'POST /projects/:id/revisions/:number/return': {
      call: (a) =>
        a.post(`/projects/${pa}/revisions/1/return`).send({ version: 999999, comment: 'Please add baselines' }),
      expect: reviewer(409),
    },
    // PA's latest revision is a draft: opening a new one is a conflict for its manager.
    'POST /projects/:id/revisions': {
      call: (a) => a.post(`/projects/${pa}/revisions`).send({ justification: 'New targets' }),
      expect: {
        anonymous: 401,
        admin: 403,
        managerA: 409,
        managerB: 404,
        focalRegional: 403,
        donor1: 403,
        donor2: 403,
      },
    },
    'GET /reviews/inbox': { call: (a) => a.get('/reviews/inbox'), expect: reviewer(200) },
  };
}
