export * from './disaggregation.js';
export * from './progress.module.js';
export * from './progress.service.js';
