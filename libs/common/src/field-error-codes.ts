/**
 * The stable reasons of field errors (`errors[].code` of an error answer), each with the parameters
 * it carries (`errors[].params`), so a client can phrase the problem in any language without reading
 * the English `message`. Two families:
 * - constraints of the API's request validation, named after their class-validator rule (camelCase),
 *   answered by the validation pipe (apps/api/src/common/validation.ts);
 * - rules of the domain checked by services (snake_case).
 * Never rename a code: add a new one. docs/RULES.md ("Field error codes") lists them for people.
 */
export const FIELD_ERROR_CODES = {
  // Request validation (class-validator rules; params from the rule's arguments).
  isArray: { params: [], meaning: 'must be an array' },
  isBoolean: { params: [], meaning: 'must be true or false' },
  isEmail: { params: [], meaning: 'must be an email address' },
  isIn: { params: ['values'], meaning: 'must be one of `values` (comma-separated)' },
  isInt: { params: [], meaning: 'must be a whole number' },
  isNumber: { params: [], meaning: 'must be a number' },
  isObject: { params: [], meaning: 'must be an object' },
  isString: { params: [], meaning: 'must be a string' },
  isUUID: { params: [], meaning: 'must be a UUID' },
  isUrl: { params: [], meaning: 'must be a URL' },
  isCalendarDate: { params: ['format', 'minYear', 'maxYear'], meaning: 'must be a calendar date YYYY-MM-DD' },
  isExactNumber: {
    params: ['maxSignificantDigits', 'maxDecimalPlaces', 'maxMagnitude'],
    meaning: 'must be a JSON number within the number rule (docs/RULES.md, "Numbers at the API edge")',
  },
  isMoneyAmount: { params: ['max', 'maxDecimalPlaces'], meaning: 'must be an amount from 0 to below `max`' },
  matches: { params: ['pattern'], meaning: 'must match the regular expression `pattern`' },
  notBlank: { params: [], meaning: 'must hold a character that is not white space' },
  max: { params: ['max'], meaning: 'must be at most `max`' },
  min: { params: ['min'], meaning: 'must be at least `min`' },
  maxLength: { params: ['max'], meaning: 'must be at most `max` characters long' },
  minLength: { params: ['min'], meaning: 'must be at least `min` characters long' },
  arrayMaxSize: { params: ['max'], meaning: 'must hold at most `max` items' },
  arrayMinSize: { params: ['min'], meaning: 'must hold at least `min` items' },
  unknownField: { params: ['field'], meaning: 'the field is not allowed here' },
  invalid: { params: [], meaning: 'a request rule without a code of its own (the message says which)' },
  malformed: { params: [], meaning: 'the body is not well-formed JSON or Unicode text' },
  out_of_range: { params: ['min', 'max'], meaning: 'must be from `min` to `max`' },

  // Rules of the domain (services).
  required: { params: [], meaning: 'is required (params may name what for: `indicator`, `type`)' },
  not_found: { params: ['entity'], meaning: 'no such `entity` (in the approved logframe, or in your scope)' },
  duplicate: { params: [], meaning: 'given twice in the same request (params name what)' },
  already_used: { params: [], meaning: 'already used by another record (a code, an email, an identifier)' },
  stale_version: { params: ['current', 'yours'], meaning: 'the record changed since it was read' },
  not_saved: { params: [], meaning: 'a version was sent for a record that does not exist' },
  date_order: { params: ['start'], meaning: 'an end date before its start date' },
  before_start: { params: ['start'], meaning: 'a period end before the period start' },
  outside_quarter: { params: ['quarter', 'start', 'end'], meaning: 'the period does not end in the quarter' },
  before_project_start: { params: ['startDate'], meaning: 'before the project starts' },
  after_project_end: { params: ['endDate'], meaning: 'after the project ends' },
  retired: { params: ['indicator'], meaning: 'the indicator is retired' },
  numbers_not_allowed: { params: [], meaning: 'a qualitative indicator takes text, not numbers' },
  text_not_allowed: { params: [], meaning: 'a quantitative indicator takes numbers, not text' },
  numerator_not_allowed: { params: ['measure'], meaning: 'numerator and denominator are for percentages only' },
  not_positive: { params: [], meaning: 'must be greater than 0' },
  negative: { params: [], meaning: 'must not be negative' },
  percentage_mismatch: {
    params: ['value', 'numerator', 'denominator', 'computed'],
    meaning: 'the percentage given is not numerator / denominator',
  },
  out_of_scale: { params: ['min', 'max'], meaning: 'outside the ordinal scale' },
  dimension_required: { params: ['dimension'], meaning: 'the indicator requires values by this dimension' },
  not_in_list: { params: ['values'], meaning: 'not one of the allowed values' },
  parts_mismatch: {
    params: ['dimension', 'part', 'sum', 'total', 'difference', 'direction'],
    meaning: 'the disaggregated parts do not add up to the total',
  },
  rating_missing: { params: ['outcome'], meaning: 'the outcome needs a rating with a justification' },
  justification_missing: { params: ['outcome'], meaning: 'the saved rating needs a justification' },
  explanation_missing: {
    params: ['indicator', 'status', 'achievementPercent'],
    meaning: 'an at-risk or off-track indicator needs an explanation of variance',
  },
  not_applicable: { params: [], meaning: 'does not apply here (params say why)' },
  cannot_change: { params: [], meaning: 'can no longer change (data depends on it)' },
  in_use: { params: [], meaning: 'cannot be removed while data depends on it' },
  cycle: { params: [], meaning: 'would create a cycle' },
  not_above: { params: ['min'], meaning: 'must be above `min`' },
  not_both: { params: [], meaning: 'give one of two fields, not both' },
  wrong_side: {
    params: ['side', 'baseline', 'direction'],
    meaning: 'a target on the wrong side of the baseline for the direction (`orEqual`: equal is allowed)',
  },
  role_scope: { params: ['role'], meaning: "the assignment's org unit or donor does not fit its role" },
  checklist: { params: ['rule'], meaning: 'a blocking QA checklist rule (params.rule names it)' },
  unreadable: { params: [], meaning: 'a cell or file that cannot be read as what it should hold' },
  too_large: { params: ['limit'], meaning: 'beyond a size or time limit (params.limit names it)' },
  iati_issue: { params: ['issue'], meaning: 'an IATI export problem (params.issue: its export issue code)' },
} as const satisfies Record<string, { params: readonly string[]; meaning: string }>;

/** A stable reason of a field error (see {@link FIELD_ERROR_CODES}). */
export type FieldErrorCode = keyof typeof FIELD_ERROR_CODES;
