import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel.js';

/** Options of {@link TransactionRunner.run}. */
export interface TransactionOptions {
  /** PostgreSQL isolation level; READ COMMITTED (PostgreSQL's default) when omitted. */
  isolation?: IsolationLevel;
}

/**
 * The one way services open a database transaction (STYLE.md: services hold the rules, repositories
 * alone speak SQL). `run` starts a transaction and hands its EntityManager to `fn`; `fn` passes that
 * manager to repository methods, which run every statement on it, so one service call commits or
 * rolls back as a whole. Services never touch the EntityManager themselves: the ESLint rule
 * `rbm/sql-in-repositories` refuses its data methods outside repositories.
 */
@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `fn` in one transaction: committed when `fn` resolves, rolled back when it throws (the error
   * is rethrown unchanged).
   * @param fn receives the transaction's EntityManager, to hand to repository methods
   * @param options `isolation`, e.g. `'REPEATABLE READ'` for a consistent snapshot of several reads
   * @returns what `fn` resolves to
   */
  run<T>(fn: (manager: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return options.isolation ? this.dataSource.transaction(options.isolation, fn) : this.dataSource.transaction(fn);
  }
}
