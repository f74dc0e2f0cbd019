import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { OrgUnitEntity } from '#libs/database';

/** Org unit reads. */
@Injectable()
export class OrgUnitRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Org units by code; only `ids` when given (an empty list gives none). */
  list(ids?: string[]): Promise<OrgUnitEntity[]> {
    return this.dataSource
      .getRepository(OrgUnitEntity)
      .find({ where: ids ? { id: In(ids) } : {}, order: { code: 'ASC' } });
  }
}
