import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '#libs/config';
import { buildDataSourceOptions } from './data-source-options.js';
import { ALL_ENTITIES } from './entities/index.js';
import { createResilientDataSource } from './resilient-data-source.js';
import { TransactionRunner } from './transaction-runner.js';

/**
 * TypeORM on PostgreSQL for the api, the worker and the CLI (options from the validated config). Global,
 * so every lib's services can inject the {@link TransactionRunner} and every lib's repositories the DataSource.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      // Started while PostgreSQL is down, the process stays up and connects in the background.
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config.DATABASE_URL),
        manualInitialization: true,
      }),
      dataSourceFactory: (options) => createResilientDataSource(options!),
    }),
    TypeOrmModule.forFeature(ALL_ENTITIES),
  ],
  providers: [TransactionRunner],
  exports: [TypeOrmModule, TransactionRunner],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  /** Stops the background connection attempts of a DataSource that never connected (Nest closes only connected ones). */
  async onApplicationShutdown(): Promise<void> {
    if (!this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
