import { LOGFRAME_EXAMPLE } from '../../apps/api/src/logframe/logframe.dto.js';
import type { Entry, MatrixContext } from '../support/matrix.js';
import { paManager, paReaders } from './expectations.js';

/** Routes of logframe authoring: project create/edit, the logframe document, indicator retirement. */
export function logframeEntries({ stack, fx, unique }: MatrixContext): Record<string, Entry> {
  const { pa } = fx.projects;
  const version = async (table: 'project' | 'logframe_revision', where: string) =>
    ((await stack.dataSource.query(`SELECT version FROM ${table} WHERE ${where}`, [pa])) as { version: number }[])[0]
      .version;
  return {
    // Only managers create projects, and only in an office they manage: manager B asking for office A gets 404.
    'POST /projects': {
      call: (a) => a.post('/projects').send({ code: `NEW-${unique()}`, title: 'New project', orgUnitId: fx.units.a }),
      expect: paManager(201),
    },
    'PATCH /projects/:id': {
      call: async (a) =>
        a.patch(`/projects/${pa}`).send({
          version: await version('project', 'id = $1'),
          theoryOfChange: `If prosecutors are trained ... (${unique()})`,
        }),
      expect: paManager(200),
    },
    // Donors read only an approved revision: PA has none yet, so 404 for its funding donor too.
    'GET /projects/:id/logframe': {
      call: (a) => a.get(`/projects/${pa}/logframe`),
      expect: paReaders(200),
    },
    'PUT /projects/:id/logframe': {
      call: async (a) =>
        a.put(`/projects/${pa}/logframe`).send({
          ...LOGFRAME_EXAMPLE,
          version: await version('logframe_revision', 'project_id = $1 ORDER BY number DESC LIMIT 1'),
        }),
      expect: paManager(200),
    },
    // Retiring an unknown indicator: the project check answers first (404 outside scope, 403 wrong role), then 404 for the indicator.
    'POST /projects/:id/indicators/:indicatorId/retire': {
      call: (a) =>
        a
          .post(`/projects/${pa}/indicators/00000000-0000-4000-8000-000000000001/retire`)
          .send({ reason: 'Replaced by a better indicator' }),
      expect: paManager(404),
    },
  };
}
