import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { DomainException } from '#libs/common';
import { ProjectEntity } from '#libs/database';

/** Project reads (repository layer: the only place these queries live). */
@Injectable()
export class ProjectRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Projects by code, at most `limit`; `text` (optional) matches code or title, case-insensitive,
   * with `%` and `_` taken literally. `restrict` narrows the query to the caller's scope (the policy
   * service's `scopeProjects`, alias `p`).
   */
  async search(
    text: string | undefined,
    restrict: (qb: SelectQueryBuilder<ProjectEntity>) => SelectQueryBuilder<ProjectEntity> = (qb) => qb,
    limit = 500,
  ): Promise<ProjectEntity[]> {
    const qb = this.dataSource.getRepository(ProjectEntity).createQueryBuilder('p').where('TRUE').orderBy('p.code').take(limit);
    if (text) qb.andWhere('(p.code ILIKE :q OR p.title ILIKE :q)', { q: `%${text.replace(/[%_\\]/g, (c) => '\\' + c)}%` });
    return restrict(qb).getMany();
  }

  /** @throws DomainException not_found */
  async get(id: string): Promise<ProjectEntity> {
    const project = await this.dataSource.getRepository(ProjectEntity).findOneBy({ id });
    if (!project) throw DomainException.notFound('Project');
    return project;
  }
}
