/**
 * Pure RBM calculations (DESIGN.md §4-5): calendar quarters, indicator achievement and status,
 * outcome status suggestions, roll-ups across projects. No database, no Nest; exact decimals throughout.
 */
export * from './calculation-version.js';
export * from './decimal.js';
export * from './indicator-evaluation.js';
export * from './number-presentation.js';
export * from './outcome-status.js';
export * from './reporting-period.js';
export * from './roll-up.js';
export * from './round-percent.js';
export * from './vocabulary.js';
export * from './thresholds.js';
