/**
 * Version of the calculation rules in this folder (DESIGN.md §5 as implemented here).
 *
 * Hashed into report fingerprints: bump it whenever a change alters any computed figure, status
 * or flag, so reports computed under the old rules are not mistaken for current ones.
 */
export const CALCULATION_VERSION = '1';
