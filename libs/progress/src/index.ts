export * from './actual-checks.js';
export * from './actuals.repository.js';
export * from './disaggregation.js';
export * from './progress.module.js';
export * from './progress.service.js';
export * from './indicator-row.js';
export * from './progress-read.repository.js';
export * from './quarter.repository.js';
