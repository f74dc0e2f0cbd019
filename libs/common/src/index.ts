export * from './domain.exception.js';
export * from './repo-path.js';
export * from './logger.module.js';
export * from './workbook/bounded-workbook.js';
export * from './workbook/workbook-scan.js';
export * from './workbook/workbook-cells.js';
export * from './off-thread.js';
export * from './bounded-shutdown.js';
