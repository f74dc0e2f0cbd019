export * from './test-database.js';
export * from './factories.js';
export * from './services.js';
