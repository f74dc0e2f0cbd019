import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { OrgUnitEntity, ProgrammeEntity, ProjectEntity } from '#libs/database';
import { containsPattern, orderAndPage, type ReferencePageRequest, type ReferencePage } from './reference-support.js';

/** Fields a programme list sorts by (`?sort=startDate`, `-` first for descending). */
export const PROGRAMME_SORTS = ['code', 'title', 'startDate'] as const;
export type ProgrammeSort = (typeof PROGRAMME_SORTS)[number];

const SORT_COLUMNS: Record<ProgrammeSort, string> = { code: 'g.code', title: 'g.title', startDate: 'g.start_date' };

/**
 * Which programmes a caller sees: all, or those whose org unit is in `unitIds`, the global ones when
 * `includeGlobal`, and those holding a project passing `reachProjects` (a restriction of a query on
 * projects with the given alias; null: none).
 */
export type ProgrammeVisibility =
  | { all: true }
  | {
      all: false;
      unitIds: string[];
      includeGlobal: boolean;
      reachProjects:
        ((qb: SelectQueryBuilder<ProjectEntity>, alias: string) => SelectQueryBuilder<ProjectEntity>) | null;
    };

/** Programme queries (repository layer: the only place that queries `programme`). Alias `g`. */
@Injectable()
export class ProgrammeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A page of the programmes visible under `visibility`, filtered by `q` (code or title, case-insensitive)
   * and `orgUnitId`, sorted by the requested field (missing dates last) then by code and id (stable paging).
   */
  async page(
    visibility: ProgrammeVisibility,
    filter: { q?: string; orgUnitId?: string },
    request: ReferencePageRequest<ProgrammeSort>,
  ): Promise<ReferencePage<ProgrammeEntity>> {
    const qb = this.visible(this.dataSource.manager, visibility);
    if (filter.q) qb.andWhere('(g.code ILIKE :q OR g.title ILIKE :q)', { q: containsPattern(filter.q) });
    if (filter.orgUnitId) qb.andWhere('g.org_unit_id = :orgUnitId', { orgUnitId: filter.orgUnitId });
    orderAndPage(qb, SORT_COLUMNS[request.sort], request, ['g.code', 'g.id']);
    const [items, total] = await qb.getManyAndCount();
    return { items, total, page: request.page, pageSize: request.pageSize };
  }

  /** The programme if it exists and is visible under `visibility`, else null. */
  findVisible(
    id: string,
    visibility: ProgrammeVisibility,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProgrammeEntity | null> {
    return this.visible(manager, visibility).andWhere('g.id = :id', { id }).getOne();
  }

  /** A programme by id (no scope: callers decide what the caller may link), or null. */
  find(id: string, manager: EntityManager = this.dataSource.manager): Promise<ProgrammeEntity | null> {
    return manager.getRepository(ProgrammeEntity).findOneBy({ id });
  }

  /** The programme locked for update (`FOR UPDATE`) in the caller's transaction, or null. */
  lock(id: string, manager: EntityManager = this.dataSource.manager): Promise<ProgrammeEntity | null> {
    return manager.getRepository(ProgrammeEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** A programme other than `exceptId` whose code equals `code` ignoring case, or null. */
  findByCode(
    code: string,
    exceptId?: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProgrammeEntity | null> {
    const qb = manager
      .getRepository(ProgrammeEntity)
      .createQueryBuilder('g')
      .where('lower(g.code) = lower(:code)', { code });
    if (exceptId) qb.andWhere('g.id <> :exceptId', { exceptId });
    return qb.getOne();
  }

  orgUnitExists(orgUnitId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(OrgUnitEntity).existsBy({ id: orgUnitId });
  }

  save(
    programme: Partial<ProgrammeEntity>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProgrammeEntity> {
    return manager.getRepository(ProgrammeEntity).save(programme as ProgrammeEntity);
  }

  private visible(manager: EntityManager, visibility: ProgrammeVisibility): SelectQueryBuilder<ProgrammeEntity> {
    const qb = manager.getRepository(ProgrammeEntity).createQueryBuilder('g').where('TRUE');
    if (visibility.all) return qb;
    const clauses = ['g.org_unit_id = ANY(:programmeUnits)'];
    if (visibility.includeGlobal) clauses.push(`g.scope = 'global'`);
    const parameters: Record<string, unknown> = { programmeUnits: visibility.unitIds };
    if (visibility.reachProjects) {
      const reached = visibility.reachProjects(
        qb.subQuery().select('1').from(ProjectEntity, 'gp').where('gp.programme_id = g.id'),
        'gp',
      );
      clauses.push(`EXISTS ${reached.getQuery()}`);
      Object.assign(parameters, reached.getParameters());
    }
    return qb.andWhere(`(${clauses.join(' OR ')})`, parameters);
  }
}
