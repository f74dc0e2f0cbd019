// Fixture of test/lint-rules.spec.ts: a repository may speak SQL (the rule's allowed files).
import { DataSource, type EntityManager } from 'typeorm';
import { ProjectEntity } from '#libs/database';

export class QuietRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findByCode(code: string, manager: EntityManager = this.dataSource.manager): Promise<ProjectEntity[]> {
    return manager.find(ProjectEntity, { where: { code } });
  }

  async save(code: string, title: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query('UPDATE project SET title = $2 WHERE code = $1', [code, title]);
  }
}
