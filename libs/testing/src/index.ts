export * from './test-database.js';
export * from './factories.js';
