import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { IndicatorEntity, type Measure, StandardIndicatorEntity } from '#libs/database';
import { containsPattern, orderAndPage, type ReferencePageRequest, type ReferencePage } from './reference-support.js';

/** Fields a standard indicator list sorts by. */
export const STANDARD_INDICATOR_SORTS = ['code', 'title', 'measure'] as const;
export type StandardIndicatorSort = (typeof STANDARD_INDICATOR_SORTS)[number];

const SORT_COLUMNS: Record<StandardIndicatorSort, string> = { code: 's.code', title: 's.title', measure: 's.measure' };

/** Filters of the standard indicator library. */
export interface StandardIndicatorFilter {
  /** Words or code found in code or title (case-insensitive). */
  q?: string;
  measure?: Measure;
  isActive?: boolean;
}

/** Standard indicator queries (repository layer: the only place that queries `standard_indicator`). Alias `s`. */
@Injectable()
export class StandardIndicatorRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A page of the library, filtered, sorted by the field then code and id. */
  async page(
    filter: StandardIndicatorFilter,
    request: ReferencePageRequest<StandardIndicatorSort>,
  ): Promise<ReferencePage<StandardIndicatorEntity>> {
    const qb = this.dataSource.getRepository(StandardIndicatorEntity).createQueryBuilder('s').where('TRUE');
    if (filter.q) qb.andWhere('(s.code ILIKE :q OR s.title ILIKE :q)', { q: containsPattern(filter.q) });
    if (filter.measure) qb.andWhere('s.measure = :measure', { measure: filter.measure });
    if (filter.isActive !== undefined) qb.andWhere('s.is_active = :isActive', { isActive: filter.isActive });
    // The measure enum sorts in its declared order (number, percentage, ordinal, qualitative).
    orderAndPage(qb, SORT_COLUMNS[request.sort], request, ['s.code', 's.id']);
    const [items, total] = await qb.getManyAndCount();
    return { items, total, page: request.page, pageSize: request.pageSize };
  }

  find(id: string, manager: EntityManager = this.dataSource.manager): Promise<StandardIndicatorEntity | null> {
    return manager.getRepository(StandardIndicatorEntity).findOneBy({ id });
  }

  /** The standard indicator locked for update in the caller's transaction, or null. */
  lock(id: string, manager: EntityManager = this.dataSource.manager): Promise<StandardIndicatorEntity | null> {
    return manager
      .getRepository(StandardIndicatorEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Another standard indicator whose code equals `code` ignoring case, or null. */
  findByCode(
    code: string,
    exceptId?: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StandardIndicatorEntity | null> {
    const qb = manager
      .getRepository(StandardIndicatorEntity)
      .createQueryBuilder('s')
      .where('lower(s.code) = lower(:code)', { code });
    if (exceptId) qb.andWhere('s.id <> :exceptId', { exceptId });
    return qb.getOne();
  }

  /** How many logframe indicators (any project, any revision) map to the standard indicator. */
  countMapped(id: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    return manager.getRepository(IndicatorEntity).countBy({ standardIndicatorId: id });
  }

  save(
    row: Partial<StandardIndicatorEntity>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StandardIndicatorEntity> {
    return manager.getRepository(StandardIndicatorEntity).save(row as StandardIndicatorEntity);
  }
}
