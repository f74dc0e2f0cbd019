export { parseIatiActivities, isoDatePart } from './iati-activities.parser.js';
export { IatiParseErrorCode, IatiParseException } from './iati-parse.exception.js';
export {
  type IatiNumber,
  type IatiNumberProblem,
  compareDecimals,
  normaliseDecimal,
  parseIatiNumber,
  sumDecimals,
} from './iati-number.js';
export type {
  IatiParseOptions,
  IatiParseResult,
  ImportIssue,
  ImportIssueCode,
  ImportIssueSeverity,
  IndicatorMeasure,
  ParsedActivity,
  ParsedBaseline,
  ParsedDimensionValue,
  ParsedIndicator,
  ParsedOrg,
  ParsedPeriod,
  ParsedResult,
  ParsedSdgTarget,
  ParsedValue,
} from './iati-parse.types.js';
export { IATI_PARSE_HEAP_MB, IATI_PARSE_TIMEOUT_MS, parseIatiActivitiesOffThread } from './iati-parse-off-thread.js';
export { funderRef, type ImportKeys, importKeysOf, reportingOrgUnit } from './import-keys.js';
export type { IatiParseInput, IatiParseMessage, IatiParseOutput } from './iati-parse-off-thread.js';
