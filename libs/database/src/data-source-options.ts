import type { DataSourceOptions } from 'typeorm';
import { ALL_MIGRATIONS } from '../../../migrations/index.js';
import { ALL_ENTITIES } from './entities/index.js';
import { installPgTypeParsers } from './pg-types.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

/**
 * TypeORM options shared by the api, the worker, the CLI and the migration CLI.
 * `synchronize` is always off: the schema comes from `migrations/` only.
 * @param url PostgreSQL URL (from the validated config).
 */
export function buildDataSourceOptions(url: string): DataSourceOptions {
  installPgTypeParsers();
  return {
    type: 'postgres',
    url,
    entities: ALL_ENTITIES,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    logging: false,
    // A connection that cannot be made in 5 s is an error (never an endless wait while PostgreSQL is down);
    // keep-alive notices a silently dropped connection.
    connectTimeoutMS: 5000,
    extra: { max: 10, application_name: 'rbm-tracker', keepAlive: true },
  };
}
