// Fixture of test/lint-rules.spec.ts: every form the rule `rbm/sql-in-repositories` refuses in a
// service. The comment `// fires: <method>` names what each line must report.
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { ProjectEntity } from '#libs/database';

export class FiresService {
  constructor(
    private readonly dataSource: DataSource, // fires: inject
    @InjectRepository(ProjectEntity) private readonly projects: Repository<ProjectEntity>, // fires: inject
  ) {}

  async everyForm(manager: EntityManager): Promise<void> {
    await this.dataSource.query('SELECT 1'); // fires: query
    await manager.query('SELECT 1'); // fires: query
    await manager.createQueryBuilder(ProjectEntity, 'p').getMany(); // fires: createQueryBuilder
    await this.dataSource.getRepository(ProjectEntity).count(); // fires: getRepository count
    await this.dataSource.transaction(async () => undefined); // fires: transaction
    await manager.find(ProjectEntity); // fires: find
    await manager.findOne(ProjectEntity, { where: { code: 'P1' } }); // fires: findOne
    await manager.findOneBy(ProjectEntity, { code: 'P1' }); // fires: findOneBy
    await manager.save(ProjectEntity, { code: 'P1' }); // fires: save
    await manager.insert(ProjectEntity, { code: 'P1' }); // fires: insert
    await manager.update(ProjectEntity, { code: 'P1' }, { title: 'T' }); // fires: update
    await manager.delete(ProjectEntity, { code: 'P1' }); // fires: delete
    await manager.count(ProjectEntity); // fires: count
    await manager.exists(ProjectEntity); // fires: exists
    await manager.increment(ProjectEntity, { code: 'P1' }, 'version', 1); // fires: increment
    await this.projects.findBy({ code: 'P1' }); // fires: findBy
    await this.projects.save({ code: 'P1' }); // fires: save
  }
}
