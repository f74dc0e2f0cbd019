import { AbstractLogger, type LogLevel, type LogMessage, type QueryRunner } from 'typeorm';

/**
 * A TypeORM logger that counts the SQL statements run, used by tests and benchmarks to prove that
 * a logframe tree or a report takes a constant number of queries whatever its size.
 */
export class QueryCounter extends AbstractLogger {
  count = 0;
  readonly statements: string[] = [];
  /** The parameters of each statement in `statements` (same index), e.g. to EXPLAIN it in a test. */
  readonly parameters: (unknown[] | undefined)[] = [];

  override logQuery(query: string, parameters?: unknown[], _queryRunner?: QueryRunner): void {
    if (/^(START TRANSACTION|COMMIT|ROLLBACK|BEGIN)/i.test(query.trim())) return;
    this.count += 1;
    this.statements.push(query);
    this.parameters.push(parameters);
  }

  protected writeLog(
    _level: LogLevel,
    _message: LogMessage | LogMessage[] | string | number,
    _queryRunner?: QueryRunner,
  ): void {}

  reset(): void {
    this.count = 0;
    this.statements.length = 0;
    this.parameters.length = 0;
  }
}
