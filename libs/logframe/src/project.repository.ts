import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { DomainException } from '#libs/common';
import { ProjectEntity } from '#libs/database';

/** Filters of the project list; every one optional. */
export interface ProjectFilter {
  /** Words or code, case-insensitive, `%` and `_` literal. */
  text?: string;
  /** This org unit and every unit below it. */
  orgUnitId?: string;
  programmeId?: string;
  /** Funded by this donor. */
  donorId?: string;
  /** The latest revision links this SDG target (project, outcome or output). */
  sdgTargetCode?: string;
  /** Status of the latest logframe revision. */
  revisionStatus?: string;
}

const LATEST_REVISION = `(SELECT lr.id FROM logframe_revision lr WHERE lr.project_id = p.id ORDER BY lr.number DESC LIMIT 1)`;

/** Project reads (repository layer: the only place these queries live). */
@Injectable()
export class ProjectRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A page of projects and the total matching, in two queries. `restrict` narrows the query to the
   * caller's scope (the policy service's `scopeProjects`, alias `p`); `sort` is a column of `p`.
   */
  async page(
    filter: ProjectFilter,
    restrict: (qb: SelectQueryBuilder<ProjectEntity>) => SelectQueryBuilder<ProjectEntity>,
    paging: { page: number; pageSize: number; sortColumn: string; direction: 'ASC' | 'DESC' },
  ): Promise<{ items: ProjectEntity[]; total: number }> {
    const qb = this.dataSource.getRepository(ProjectEntity).createQueryBuilder('p').where('TRUE');
    if (filter.text)
      qb.andWhere('(p.code ILIKE :q OR p.title ILIKE :q)', {
        q: `%${filter.text.replace(/[%_\\]/g, (c) => '\\' + c)}%`,
      });
    if (filter.orgUnitId) {
      qb.andWhere(
        `p.org_unit_id IN (WITH RECURSIVE below(id) AS (SELECT CAST(:orgUnitId AS uuid) UNION SELECT o.id FROM org_unit o JOIN below b ON o.parent_id = b.id) SELECT id FROM below)`,
        { orgUnitId: filter.orgUnitId },
      );
    }
    if (filter.programmeId) qb.andWhere('p.programme_id = :programmeId', { programmeId: filter.programmeId });
    if (filter.donorId)
      qb.andWhere('EXISTS (SELECT 1 FROM funding_agreement f WHERE f.project_id = p.id AND f.donor_id = :donorId)', {
        donorId: filter.donorId,
      });
    if (filter.sdgTargetCode)
      qb.andWhere(
        `EXISTS (SELECT 1 FROM sdg_link l WHERE l.revision_id = ${LATEST_REVISION} AND l.sdg_target_code = :sdg)`,
        { sdg: filter.sdgTargetCode },
      );
    if (filter.revisionStatus)
      qb.andWhere(`(SELECT lr.status FROM logframe_revision lr WHERE lr.id = ${LATEST_REVISION}) = :status`, {
        status: filter.revisionStatus,
      });
    const [items, total] = await restrict(qb)
      .orderBy(paging.sortColumn, paging.direction)
      .addOrderBy('p.id', 'ASC')
      .skip((paging.page - 1) * paging.pageSize)
      .take(paging.pageSize)
      .getManyAndCount();
    return { items, total };
  }

  /** @throws DomainException not_found */
  async get(id: string): Promise<ProjectEntity> {
    const project = await this.dataSource.getRepository(ProjectEntity).findOneBy({ id });
    if (!project) throw DomainException.notFound('Project');
    return project;
  }
}
