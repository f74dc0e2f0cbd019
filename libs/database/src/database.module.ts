import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '#libs/config';
import { buildDataSourceOptions } from './data-source-options.js';
import { ALL_ENTITIES } from './entities/index.js';

/** TypeORM on PostgreSQL for the api and the worker (options from the validated config). */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => buildDataSourceOptions(config.DATABASE_URL),
    }),
    TypeOrmModule.forFeature(ALL_ENTITIES),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
