import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { FundingAgreementEntity } from '#libs/database';

/** Funding agreement queries (repository layer: the only place that queries `funding_agreement` for this feature). */
@Injectable()
export class FundingAgreementRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A project's agreements with their donor loaded, by donor name. */
  listForProject(
    projectId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<FundingAgreementEntity[]> {
    return manager
      .getRepository(FundingAgreementEntity)
      .createQueryBuilder('fa')
      .innerJoinAndSelect('fa.donor', 'd')
      .where('fa.project_id = :projectId', { projectId })
      .orderBy('d.name', 'ASC')
      .addOrderBy('fa.id', 'ASC')
      .getMany();
  }

  /** The agreement of this project locked for update in the caller's transaction, or null (also when it belongs to another project). */
  lock(
    projectId: string,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<FundingAgreementEntity | null> {
    return manager
      .getRepository(FundingAgreementEntity)
      .findOne({ where: { id, projectId }, lock: { mode: 'pessimistic_write' } });
  }

  /** The agreement between this project and donor, or null. */
  findByDonor(
    projectId: string,
    donorId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<FundingAgreementEntity | null> {
    return manager.getRepository(FundingAgreementEntity).findOneBy({ projectId, donorId });
  }

  save(
    agreement: Partial<FundingAgreementEntity>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<FundingAgreementEntity> {
    return manager.getRepository(FundingAgreementEntity).save(agreement as FundingAgreementEntity);
  }

  async delete(id: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(FundingAgreementEntity).delete({ id });
  }
}
