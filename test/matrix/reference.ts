import {
  DonorEntity,
  FundingAgreementEntity,
  ProgrammeEntity,
  ProjectEntity,
  StandardIndicatorEntity,
} from '#libs/database';
import { adminOnly, type Entry, type MatrixContext, read, signedIn } from '../support/matrix.js';
import type { Persona } from '../support/scope-fixture.js';

/** Runs `make` once, on first use (the matrix builder is synchronous; rows are created when first called). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

/**
 * Reference data routes: programmes, donors, funding agreements, standard indicators.
 * Programme G-A belongs to office A and holds project PA (funded by donor D1): managerA, the regional
 * focal point and donor1 see it; managerB and donor2 do not (404).
 */
export function referenceEntries({ stack, fx, unique }: MatrixContext): Record<string, Entry> {
  const ds = stack.dataSource;
  const { pa } = fx.projects;
  const programmeA = once(async () => {
    const programme = await ds.getRepository(ProgrammeEntity).save({
      code: `G-A-${unique()}`,
      title: 'Programme of office A',
      scope: 'country',
      orgUnitId: fx.units.a,
      startDate: '2026-01-01',
      endDate: '2028-12-31',
    });
    await ds.getRepository(ProjectEntity).update({ id: pa }, { programmeId: programme.id });
    return programme.id;
  });
  const spareDonor = once(
    async () => (await ds.getRepository(DonorEntity).save({ name: 'Spare donor', iatiOrgRef: null })).id,
  );
  const standardIndicator = once(
    async () =>
      (
        await ds.getRepository(StandardIndicatorEntity).save({
          code: `SI-${unique()}`,
          title: 'People trained',
          definition: 'People who completed a course',
          measure: 'number',
          unit: 'people',
          isActive: true,
        })
      ).id,
  );
  const version = async (
    entity:
      typeof ProgrammeEntity | typeof DonorEntity | typeof StandardIndicatorEntity | typeof FundingAgreementEntity,
    id: string,
  ) => (await ds.getRepository(entity).findOneByOrFail({ id })).version;
  const d1Agreement = once(
    async () =>
      (await ds.getRepository(FundingAgreementEntity).findOneByOrFail({ projectId: pa, donorId: fx.donors.d1 })).id,
  );
  /** A new donor with no agreement yet, so each call can add (or add and remove) one on PA. */
  const freshDonor = async () =>
    (await ds.getRepository(DonorEntity).save({ name: `Donor ${unique()}`, iatiOrgRef: null })).id;
  // Managers of A (and admins) change what belongs to A; B's manager does not reach it; focal points and donors hold no role that may.
  const managersOfA = (status: number): Record<Persona, number> => ({
    anonymous: 401,
    admin: status,
    managerA: status,
    managerB: 404,
    focalRegional: 403,
    donor1: 403,
    donor2: 403,
  });
  let patches = 0;
  const readersOfA = {
    anonymous: 401,
    admin: 200,
    managerA: 200,
    managerB: 404,
    focalRegional: 200,
    donor1: 200,
    donor2: 404,
  };

  return {
    'GET /programmes': read('/programmes'),
    'GET /programmes/:id': { call: async (a) => a.get(`/programmes/${await programmeA()}`), expect: readersOfA },
    // Manager B naming office A: 404 (outside scope); focal points and donors lack the role: 403.
    'POST /programmes': {
      call: (a) =>
        a.post('/programmes').send({
          code: `P-${unique()}`,
          title: 'New programme',
          scope: 'country',
          orgUnitId: fx.units.a,
          startDate: '2026-01-01',
          endDate: '2027-12-31',
        }),
      expect: managersOfA(201),
    },
    'PATCH /programmes/:id': {
      call: async (a) => {
        const id = await programmeA();
        return a
          .patch(`/programmes/${id}`)
          .send({ version: await version(ProgrammeEntity, id), title: `Programme of office A ${unique()}` });
      },
      expect: managersOfA(200),
    },
    'GET /donors': read('/donors'),
    // Donors are organisation-wide reference data: every staff member sees D1; of the donor users only D1's own.
    'GET /donors/:id': { call: (a) => a.get(`/donors/${fx.donors.d1}`), expect: { ...readersOfA, managerB: 200 } },
    'POST /donors': {
      call: (a) => a.post('/donors').send({ name: `Donor ${unique()}`, iatiOrgRef: `XM-${unique()}` }),
      expect: adminOnly(201),
    },
    'PATCH /donors/:id': {
      call: async (a) => {
        const id = await spareDonor();
        return a
          .patch(`/donors/${id}`)
          .send({ version: await version(DonorEntity, id), name: `Spare donor ${unique()}` });
      },
      expect: adminOnly(200),
    },
    // Everyone who reads PA reads its funding (donor 1 funds it; donor 2 does not: 404).
    'GET /projects/:projectId/funding-agreements': {
      call: (a) => a.get(`/projects/${pa}/funding-agreements`),
      expect: readersOfA,
    },
    'POST /projects/:projectId/funding-agreements': {
      call: async (a) =>
        a.post(`/projects/${pa}/funding-agreements`).send({
          donorId: await freshDonor(),
          amount: 1000.5,
          currency: 'USD',
          startDate: '2026-01-01',
          endDate: '2026-12-31',
        }),
      expect: managersOfA(201),
    },
    'PATCH /projects/:projectId/funding-agreements/:agreementId': {
      call: async (a) => {
        const id = await d1Agreement();
        return a.patch(`/projects/${pa}/funding-agreements/${id}`).send({
          version: await version(FundingAgreementEntity, id),
          amount: 250000 + (patches += 1),
          currency: 'USD',
        });
      },
      expect: managersOfA(200),
    },
    'DELETE /projects/:projectId/funding-agreements/:agreementId': {
      call: async (a) => {
        const agreement = await ds
          .getRepository(FundingAgreementEntity)
          .save({ projectId: pa, donorId: await freshDonor(), amount: '10', currency: 'USD' });
        return a.delete(`/projects/${pa}/funding-agreements/${agreement.id}`);
      },
      expect: managersOfA(204),
    },
    'GET /standard-indicators': read('/standard-indicators'),
    'GET /standard-indicators/:id': {
      call: async (a) => a.get(`/standard-indicators/${await standardIndicator()}`),
      expect: signedIn(200),
    },
    'POST /standard-indicators': {
      call: (a) =>
        a.post('/standard-indicators').send({
          code: `SI-${unique()}`,
          title: 'Share of cases closed',
          definition: 'Cases closed over cases opened',
          measure: 'percentage',
          unit: '%',
        }),
      expect: adminOnly(201),
    },
    'PATCH /standard-indicators/:id': {
      call: async (a) => {
        const id = await standardIndicator();
        return a
          .patch(`/standard-indicators/${id}`)
          .send({ version: await version(StandardIndicatorEntity, id), title: `People trained ${unique()}` });
      },
      expect: adminOnly(200),
    },
  };
}
