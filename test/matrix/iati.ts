import { createSimpleProject } from '#libs/testing';
import { adminOnly, type Entry, type MatrixContext, signedIn } from '../support/matrix.js';

/** Runs `make` once, on first use. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

const SETTINGS = {
  organisationIdentifier: 'XM-MATRIX',
  organisationName: 'Matrix Organisation',
  organisationType: '40',
  defaultLanguage: 'en',
  defaultCurrency: 'USD',
};

/**
 * IATI export routes. Project PX of office A, funded by donor D1, approved and published: staff
 * reaching office A and donor1 export it; managerB and donor2 reach nothing published (404 for the
 * project, 422 "nothing to export" for the organisation file).
 */
export function iatiEntries({ stack, fx }: MatrixContext): Record<string, Entry> {
  const ds = stack.dataSource;
  const px = once(async () => {
    const { project } = await createSimpleProject(ds, {
      code: 'PX',
      orgUnitId: fx.units.a,
      donorIds: [fx.donors.d1],
      endTarget: '80',
      targets: [{ start: '2026-01-01', end: '2026-03-31', value: '20' }],
      actuals: [{ start: '2026-01-01', end: '2026-03-31', value: '15' }],
    });
    await ds.query(`UPDATE logframe_revision SET status = 'approved', approved_at = now() WHERE project_id = $1`, [
      project.id,
    ]);
    await ds.query(`UPDATE project SET iati_publish = true WHERE id = $1`, [project.id]);
    await ds.query(
      `INSERT INTO iati_publisher (id, organisation_identifier, organisation_name, organisation_type, version)
       VALUES (1, $1, $2, $3, 1) ON CONFLICT (id) DO NOTHING`,
      [SETTINGS.organisationIdentifier, SETTINGS.organisationName, SETTINGS.organisationType],
    );
    return project.id;
  });
  const reachA = { ...signedIn(200), managerB: 404, donor2: 404 };
  return {
    'GET /iati/settings': {
      call: async (a) => {
        await px();
        return a.get('/iati/settings');
      },
      expect: adminOnly(200),
    },
    'PUT /iati/settings': { call: (a) => a.put('/iati/settings').send(SETTINGS), expect: adminOnly(200) },
    'GET /iati/activities.xml': {
      call: async (a) => {
        await px();
        return a.get('/iati/activities.xml');
      },
      expect: { ...signedIn(200), managerB: 422, donor2: 422 },
    },
    'GET /iati/export-report': {
      call: async (a) => {
        await px();
        return a.get('/iati/export-report');
      },
      expect: signedIn(200),
    },
    'GET /projects/:id/iati.xml': { call: async (a) => a.get(`/projects/${await px()}/iati.xml`), expect: reachA },
    'GET /projects/:id/iati-preview': {
      call: async (a) => a.get(`/projects/${await px()}/iati-preview`),
      expect: { ...reachA, donor1: 403, donor2: 403 },
    },
    'PUT /projects/:id/iati-publication': {
      call: async (a) => a.put(`/projects/${await px()}/iati-publication`).send({ publish: true }),
      expect: { ...signedIn(403), admin: 204, managerA: 204, managerB: 404 },
    },
  };
}
