export * from './logframe-snapshot.js';
export * from './logframe-tree.js';
export * from './logframe.module.js';
export * from './logframe.reader.js';
export * from './project.repository.js';
export * from './org-unit.repository.js';
