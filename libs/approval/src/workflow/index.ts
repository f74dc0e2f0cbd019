export * from './approval.module.js';
export * from './audit-trail.service.js';
export * from './revision-workflow.service.js';
export * from './revision-diff.js';
export * from './review-comment.repository.js';
