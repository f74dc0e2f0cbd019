export * from './approval.module.js';
export * from './audit-trail.service.js';
export * from './revision-copy.js';
export * from './revision-workflow.service.js';
export * from './revision-diff.js';
