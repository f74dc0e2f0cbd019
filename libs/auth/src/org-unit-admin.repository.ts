import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { OrgUnitEntity } from '#libs/database';

/** The `org_unit` table as admins keep it: codes, the parent tree, and org units made on demand (demo, import). */
@Injectable()
export class OrgUnitAdminRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Org units by code: every unit, or those in `ids` (an empty list gives none). */
  list(ids: string[] | null, manager: EntityManager = this.dataSource.manager): Promise<OrgUnitEntity[]> {
    return manager
      .getRepository(OrgUnitEntity)
      .find({ where: ids === null ? {} : { id: In(ids) }, order: { code: 'ASC' } });
  }

  /** Whether an org unit has this code, compared case-insensitively. */
  async codeTaken(code: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT code FROM org_unit WHERE lower(code) = lower($1)`, [code]);
    return rows.length > 0;
  }

  /** Whether an org unit has this id. */
  exists(id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(OrgUnitEntity).existsBy({ id });
  }

  /** The org unit with this id locked for update, or null. */
  lockById(id: string, manager: EntityManager = this.dataSource.manager): Promise<OrgUnitEntity | null> {
    return manager.getRepository(OrgUnitEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The org unit with this code (exact), or null. */
  findByCode(code: string, manager: EntityManager = this.dataSource.manager): Promise<OrgUnitEntity | null> {
    return manager.getRepository(OrgUnitEntity).findOneBy({ code });
  }

  /** Whether `candidateId` is the unit `id` itself or one of the units below it (moving `id` under it would make a cycle). */
  async isSelfOrBelow(
    id: string,
    candidateId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `WITH RECURSIVE below(id) AS (SELECT $1::uuid UNION SELECT o.id FROM org_unit o JOIN below b ON o.parent_id = b.id) SELECT 1 AS hit FROM below WHERE id = $2`,
      [id, candidateId],
    );
    return rows.length > 0;
  }

  /** Inserts or updates an org unit; returns the saved row. */
  save(unit: Partial<OrgUnitEntity>, manager: EntityManager = this.dataSource.manager): Promise<OrgUnitEntity> {
    return manager.getRepository(OrgUnitEntity).save(unit);
  }

  /** The org unit with `unit.code`, inserted first when no unit has that code (an existing one is kept as it is). */
  async ensure(
    unit: Pick<OrgUnitEntity, 'code' | 'name' | 'type' | 'parentId' | 'countryCodes'>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<OrgUnitEntity> {
    await manager.getRepository(OrgUnitEntity).createQueryBuilder().insert().values(unit).orIgnore().execute();
    return manager.getRepository(OrgUnitEntity).findOneByOrFail({ code: unit.code });
  }
}
