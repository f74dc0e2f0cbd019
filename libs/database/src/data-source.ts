import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateConfig } from '#libs/config';
import { buildDataSourceOptions } from './data-source-options.js';

/** The DataSource the typeorm CLI uses (`npm run migrate`); it must export exactly one. */
export const AppDataSource = new DataSource(buildDataSourceOptions(validateConfig().DATABASE_URL));
