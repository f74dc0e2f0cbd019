export * from './iati-import.service.js';
export * from './iati.module.js';
export * from './parser/index.js';
