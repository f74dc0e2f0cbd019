import type { Entry, MatrixContext } from '../support/matrix.js';
import { paFocalPoint, paManager, paReaders } from './expectations.js';

/**
 * Routes of quarterly progress. PA's logframe is a draft, so once authorised a manager's entry is 422
 * (manual actuals need an approved logframe) and a focal point's decision finds no quarter (404);
 * nothing changes PA's state.
 */
export function progressEntries({ stack, fx }: MatrixContext): Record<string, Entry> {
  const { pa } = fx.projects;
  return {
    // Donor 1 funds PA but the quarter is not validated: 404 (no unvalidated figures reach donors).
    'GET /projects/:id/progress/:year/:quarter': {
      call: (a) => a.get(`/projects/${pa}/progress/2026/3`),
      expect: paReaders(200),
    },
    'PUT /projects/:id/progress/:year/:quarter/actuals': {
      call: (a) => a.put(`/projects/${pa}/progress/2026/3/actuals`).send({ actuals: [] }),
      expect: paManager(422),
    },
    // The quarter's story: read like the quarter; saved like actuals (PA's draft logframe: 422 once authorised).
    'GET /projects/:id/progress/:year/:quarter/narrative': {
      call: (a) => a.get(`/projects/${pa}/progress/2026/3/narrative`),
      expect: paReaders(200),
    },
    'PUT /projects/:id/progress/:year/:quarter/narrative': {
      call: (a) =>
        a.put(`/projects/${pa}/progress/2026/3/narrative`).send({ version: 0, narrative: { challenges: 'Floods' } }),
      expect: paManager(422),
    },
    'POST /projects/:id/progress/:year/:quarter/submit': {
      call: (a) =>
        a
          .post(`/projects/${pa}/progress/2026/3/submit`)
          .send({ version: 999999, outcomeRatings: [], varianceExplanations: [] }),
      expect: paManager(409),
    },
    'POST /projects/:id/progress/:year/:quarter/validate': {
      call: (a) => a.post(`/projects/${pa}/progress/2026/3/validate`).send({ version: 1 }),
      expect: paFocalPoint(404),
    },
    'POST /projects/:id/progress/:year/:quarter/return': {
      call: (a) => a.post(`/projects/${pa}/progress/2026/3/return`).send({ version: 1, comment: 'Add evidence' }),
      expect: paFocalPoint(404),
    },
    'POST /projects/:id/progress/:year/:quarter/reopen': {
      call: (a) => a.post(`/projects/${pa}/progress/2026/3/reopen`).send({ version: 1, reason: 'Audit correction' }),
      expect: paFocalPoint(404),
    },
    'GET /projects/:id/indicators/:indicatorId/series': {
      call: async (a) => {
        const [row] = await stack.dataSource.query(
          `SELECT i.stable_id FROM indicator i JOIN logframe_revision r ON r.id = i.revision_id WHERE r.project_id = $1 ORDER BY r.number DESC, i.code LIMIT 1`,
          [pa],
        );
        return a.get(`/projects/${pa}/indicators/${row.stable_id}/series`);
      },
      expect: paReaders(200, 403),
    },
  };
}
