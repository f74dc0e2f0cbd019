export * from './domain.exception.js';
export * from './repo-path.js';
export * from './logger.module.js';
export * from './bounded-shutdown.js';
