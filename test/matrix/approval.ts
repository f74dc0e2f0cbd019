import type { Entry, MatrixContext } from '../support/matrix.js';
import { paFocalPoint, paManager, paReaders } from './expectations.js';

/**
 * Routes of the QA workflow. Actions use a stale version (or a state that does not allow them), so
 * each persona's answer is the authorisation result (401/403/404) or, once allowed through, the
 * workflow's 409 — the matrix never changes PA's revision state.
 */
export function approvalEntries({ fx }: MatrixContext): Record<string, Entry> {
  const { pa } = fx.projects;
  const staff = paReaders(200, 403);
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
      expect: paManager(409),
    },
    'POST /projects/:id/revisions/:number/approve': {
      call: (a) => a.post(`/projects/${pa}/revisions/1/approve`).send({ version: 999999 }),
      expect: paFocalPoint(409),
    },
    'POST /projects/:id/revisions/:number/return': {
      call: (a) =>
        a.post(`/projects/${pa}/revisions/1/return`).send({ version: 999999, comment: 'Please add baselines' }),
      expect: paFocalPoint(409),
    },
    // PA's latest revision is a draft: opening a new one is a conflict for its manager.
    'POST /projects/:id/revisions': {
      call: (a) => a.post(`/projects/${pa}/revisions`).send({ justification: 'New targets' }),
      expect: paManager(409),
    },
    'GET /reviews/inbox': { call: (a) => a.get('/reviews/inbox'), expect: paFocalPoint(200) },
  };
}
