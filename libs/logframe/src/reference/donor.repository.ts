import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { DonorEntity } from '#libs/database';
import { containsPattern, orderAndPage, type ReferencePageRequest, type ReferencePage } from './reference-support.js';

/** Fields a donor list sorts by. */
export const DONOR_SORTS = ['name', 'iatiOrgRef'] as const;
export type DonorSort = (typeof DONOR_SORTS)[number];

const SORT_COLUMNS: Record<DonorSort, string> = { name: 'd.name', iatiOrgRef: 'd.iati_org_ref' };

/** Which donors a caller sees: all, or those in `donorIds` and those funding a project of an org unit in `unitIds`. */
export type DonorVisibility = { all: true } | { all: false; donorIds: string[]; unitIds: string[] };

/** Donor queries (repository layer: the only place that queries `donor`). Alias `d`. */
@Injectable()
export class DonorRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A page of visible donors, filtered by `q` (name or IATI organisation identifier), sorted by the field then name and id. */
  async page(
    visibility: DonorVisibility,
    filter: { q?: string },
    request: ReferencePageRequest<DonorSort>,
  ): Promise<ReferencePage<DonorEntity>> {
    const qb = this.visible(visibility);
    if (filter.q) qb.andWhere('(d.name ILIKE :q OR d.iati_org_ref ILIKE :q)', { q: containsPattern(filter.q) });
    orderAndPage(qb, SORT_COLUMNS[request.sort], request, ['d.name', 'd.id']);
    const [items, total] = await qb.getManyAndCount();
    return { items, total, page: request.page, pageSize: request.pageSize };
  }

  /** The donor if it exists and is visible, else null. */
  findVisible(id: string, visibility: DonorVisibility): Promise<DonorEntity | null> {
    return this.visible(visibility).andWhere('d.id = :id', { id }).getOne();
  }

  /** A donor by id (no scope: for references in a request body), or null. */
  find(id: string, manager: EntityManager = this.dataSource.manager): Promise<DonorEntity | null> {
    return manager.getRepository(DonorEntity).findOneBy({ id });
  }

  /** The donor locked for update in the caller's transaction, or null. */
  lock(id: string, manager: EntityManager = this.dataSource.manager): Promise<DonorEntity | null> {
    return manager.getRepository(DonorEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** A donor other than `exceptId` with this IATI organisation identifier (exact, as the unique index), or null. */
  findByIatiOrgRef(
    iatiOrgRef: string,
    exceptId?: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<DonorEntity | null> {
    const qb = manager
      .getRepository(DonorEntity)
      .createQueryBuilder('d')
      .where('d.iati_org_ref = :iatiOrgRef', { iatiOrgRef });
    if (exceptId) qb.andWhere('d.id <> :exceptId', { exceptId });
    return qb.getOne();
  }

  save(donor: Partial<DonorEntity>, manager: EntityManager = this.dataSource.manager): Promise<DonorEntity> {
    return manager.getRepository(DonorEntity).save(donor as DonorEntity);
  }

  private visible(visibility: DonorVisibility): SelectQueryBuilder<DonorEntity> {
    const qb = this.dataSource.getRepository(DonorEntity).createQueryBuilder('d').where('TRUE');
    if (visibility.all) return qb;
    return qb.andWhere(
      `(d.id = ANY(:donorIds) OR EXISTS (SELECT 1 FROM funding_agreement dfa JOIN project dp ON dp.id = dfa.project_id WHERE dfa.donor_id = d.id AND dp.org_unit_id = ANY(:donorUnits)))`,
      { donorIds: visibility.donorIds, donorUnits: visibility.unitIds },
    );
  }
}
