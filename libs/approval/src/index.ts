export * from './checklist.js';
export * from './workflow/index.js';
