export * from './sdg-code.js';
export * from './sdg-framework.js';
export * from './sdg.module.js';
export * from './sdg.repository.js';
export * from './sdg.service.js';
