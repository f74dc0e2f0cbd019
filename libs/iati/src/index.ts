export * from './iati-import.repository.js';
export * from './iati-import.service.js';
export * from './iati.module.js';
export * from './parser/index.js';
export * from './export/iati-activity-writer.js';
export * from './export/iati-export.repository.js';
export * from './export/iati-export.service.js';
export * from './export/iati-export.types.js';
