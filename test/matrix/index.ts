import type { Entry, MatrixContext } from '../support/matrix.js';
import { approvalEntries } from './approval.js';
import { foundationEntries } from './foundation.js';
import { iatiEntries } from './iati.js';
import { logframeEntries } from './logframe.js';
import { progressEntries } from './progress.js';
import { logframeXlsxEntries } from './logframe-xlsx.js';
import { referenceEntries } from './reference.js';

/** Every part of the authorisation matrix; each issue adds its file here. */
export const MATRIX_PARTS: ((ctx: MatrixContext) => Record<string, Entry>)[] = [
  approvalEntries,
  foundationEntries,
  logframeEntries,
  progressEntries,
  referenceEntries,
  logframeXlsxEntries,
  iatiEntries,
];
