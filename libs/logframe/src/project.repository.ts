import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProjectEntity } from '#libs/database';

/** Project reads (repository layer: the only place these queries live). */
@Injectable()
export class ProjectRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Projects by code, at most `limit`; `text` (optional) matches code or title, case-insensitive,
   * with `%` and `_` taken literally.
   */
  async search(text: string | undefined, limit = 500): Promise<ProjectEntity[]> {
    const qb = this.dataSource.getRepository(ProjectEntity).createQueryBuilder('p').orderBy('p.code').take(limit);
    if (text) qb.where('(p.code ILIKE :q OR p.title ILIKE :q)', { q: `%${text.replace(/[%_\\]/g, (c) => '\\' + c)}%` });
    return qb.getMany();
  }
}
