import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { OrgUnitEntity } from '#libs/database';

/** Org unit reads. */
@Injectable()
export class OrgUnitRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Org units by code; only `ids` when given (an empty list gives none). */
  list(ids?: string[], manager: EntityManager = this.dataSource.manager): Promise<OrgUnitEntity[]> {
    return manager.getRepository(OrgUnitEntity).find({ where: ids ? { id: In(ids) } : {}, order: { code: 'ASC' } });
  }

  /** Whether an org unit with this id exists. */
  exists(id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(OrgUnitEntity).existsBy({ id });
  }
}
