// Fixture of test/lint-rules.spec.ts: a service that uses the TransactionRunner and repositories,
// and array, map and set methods that share names with TypeORM's: the rule reports nothing here.
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '#libs/database';
import { QuietRepository } from './quiet.repository.js';

export class QuietService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly projects: QuietRepository,
  ) {}

  async rename(code: string, title: string): Promise<number> {
    return this.tx.run(
      async (manager: EntityManager) => {
        const found = await this.projects.findByCode(code, manager);
        await this.projects.save(code, title, manager);
        return found.length;
      },
      { isolation: 'REPEATABLE READ' },
    );
  }

  collections(): number {
    const codes = ['P1', 'P2'];
    const seen = new Map([['P1', 1]]);
    const marks = new Set(['P1']);
    seen.delete('P1');
    marks.delete('P1');
    return (codes.find((c) => c === 'P2') ?? '').length + codes.findIndex((c) => c === 'P1');
  }
}
