import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { DomainException, ErrorCode, type ErrorParams, type FieldError, type FieldErrorCode } from '#libs/common';
import { MAX_DECIMAL_PLACES, MAX_MAGNITUDE, MAX_SIGNIFICANT_DIGITS } from './exact-number.js';

/** The params of a constraint from its arguments (the `constraints` of class-validator's metadata). */
type ParamsOf = (args: unknown[]) => ErrorParams;

const list = (values: unknown): string => (Array.isArray(values) ? values.map(String).join(', ') : String(values));

/**
 * class-validator constraint names → the stable field error code and its params (FIELD_ERROR_CODES in
 * libs/common). A constraint missing here answers `invalid`; `validation.spec.ts` checks that every
 * constraint the DTOs use is listed.
 */
export const CONSTRAINT_CODES: Readonly<Record<string, { code: FieldErrorCode; params?: ParamsOf }>> = {
  isArray: { code: 'isArray' },
  isBoolean: { code: 'isBoolean' },
  isEmail: { code: 'isEmail' },
  isIn: { code: 'isIn', params: ([values]) => ({ values: list(values) }) },
  isInt: { code: 'isInt' },
  isNumber: { code: 'isNumber' },
  isString: { code: 'isString' },
  isUUID: { code: 'isUUID' },
  isUuid: { code: 'isUUID' },
  isUrl: { code: 'isUrl' },
  isCalendarDate: { code: 'isCalendarDate', params: () => ({ format: 'YYYY-MM-DD', minYear: 1900, maxYear: 2199 }) },
  isExactNumber: {
    code: 'isExactNumber',
    params: ([places]) => ({
      maxSignificantDigits: MAX_SIGNIFICANT_DIGITS,
      maxDecimalPlaces: typeof places === 'number' ? places : MAX_DECIMAL_PLACES,
      maxMagnitude: MAX_MAGNITUDE,
    }),
  },
  isMoneyAmount: {
    code: 'isMoneyAmount',
    params: ([max, places]) => ({ max: Number(max), maxDecimalPlaces: Number(places) }),
  },
  matches: {
    code: 'matches',
    params: ([pattern]) => ({ pattern: pattern instanceof RegExp ? pattern.source : list(pattern) }),
  },
  notBlank: { code: 'notBlank' },
  max: { code: 'max', params: ([max]) => ({ max: Number(max) }) },
  min: { code: 'min', params: ([min]) => ({ min: Number(min) }) },
  maxLength: { code: 'maxLength', params: ([max]) => ({ max: Number(max) }) },
  minLength: { code: 'minLength', params: ([min]) => ({ min: Number(min) }) },
  arrayMaxSize: { code: 'arrayMaxSize', params: ([max]) => ({ max: Number(max) }) },
  arrayMinSize: { code: 'arrayMinSize', params: ([min]) => ({ min: Number(min) }) },
  nestedValidation: { code: 'isObject' },
  whitelistValidation: { code: 'unknownField' },
};

/** The arguments class-validator registered for `constraint` on `property` of the error's target class. */
function constraintArgs(error: ValidationError, constraint: string): unknown[] {
  const target = error.target as object | undefined;
  if (!target) return [];
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .find((m) => m.propertyName === error.property && m.name === constraint);
  return (metadata?.constraints as unknown[] | undefined) ?? [];
}

/** The stable code and params of one failed constraint (a `matches` of `/\S/` is `notBlank`). */
function codeOf(error: ValidationError, constraint: string): { code: FieldErrorCode; params: ErrorParams } {
  if (constraint === 'whitelistValidation') return { code: 'unknownField', params: { field: error.property } };
  const args = constraintArgs(error, constraint);
  if (constraint === 'matches' && args[0] instanceof RegExp && args[0].source === '\\S')
    return { code: 'notBlank', params: {} };
  const known = CONSTRAINT_CODES[constraint];
  if (!known) return { code: 'invalid', params: {} };
  return { code: known.code, params: known.params?.(args) ?? {} };
}

/**
 * Flattens class-validator errors into `{ path, code, params, message }` with the full path of each
 * bad field, e.g. `outcomes[0].outputs[1].indicators[0].baseline.value`, the constraint's stable code
 * (FIELD_ERROR_CODES) and its parameters (e.g. `{ max: 4000 }` for maxLength).
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const segment = /^\d+$/.test(error.property)
      ? `[${error.property}]`
      : parent
        ? `.${error.property}`
        : error.property;
    const path = parent + segment;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      const wrong = wrongKind(constraint, error.property, error.value);
      result.push({
        path,
        ...(wrong ? { code: wrong.code, params: wrong.params } : codeOf(error, constraint)),
        message:
          wrong?.message ?? message.replace(/^property (\S+) should not exist$/, `field '$1' is not allowed here`),
      });
    }
    if (error.children?.length) result.push(...flattenValidationErrors(error.children, path));
  }
  return result;
}

const ARRAY_CONSTRAINTS = new Set(['arrayMaxSize', 'arrayMinSize', 'arrayNotEmpty', 'arrayUnique']);
const STRING_CONSTRAINTS = new Set(['maxLength', 'minLength', 'matches', 'isUrl', 'isEmail', 'isUUID', 'isUuid']);
const NUMBER_CONSTRAINTS = new Set(['min', 'max']);
const KIND_CODES = { array: 'isArray', string: 'isString', number: 'isNumber' } as const;

/**
 * The real problem when a size or format rule fails on a value of the wrong kind (with
 * `stopAtFirstError` the first rule that runs may be a size rule): a missing or non-array value
 * for an array field is "must be an array" (`isArray`; `required` when missing), not "must contain
 * no more than 50 elements".
 */
function wrongKind(
  constraint: string,
  property: string,
  value: unknown,
): { code: FieldErrorCode; params: ErrorParams; message: string } | undefined {
  const missing = value === undefined || value === null;
  const say = (kind: keyof typeof KIND_CODES) => ({
    code: missing ? ('required' as const) : KIND_CODES[kind],
    params: (missing ? { type: kind } : {}) as ErrorParams,
    message: `${property} ${missing ? 'is required and ' : ''}must be ${kind === 'array' ? 'an' : 'a'} ${kind}`,
  });
  if (ARRAY_CONSTRAINTS.has(constraint) && !Array.isArray(value)) return say('array');
  if (Array.isArray(value)) return undefined; // a rule on each element (`each: true`) keeps its own message
  if (STRING_CONSTRAINTS.has(constraint) && typeof value !== 'string') return say('string');
  if (NUMBER_CONSTRAINTS.has(constraint) && typeof value !== 'number') return say('number');
  return undefined;
}

/** The global ValidationPipe (STYLE.md §3): whitelist, refuse unknown fields, transform; 400 with paths and codes. */
export function buildValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    // The target (the object holding the field) lets the codes read each constraint's arguments; it is
    // never sent: the answer carries only path, code, params and message.
    validationError: { target: true },
    exceptionFactory: (errors) =>
      DomainException.badRequest(
        ErrorCode.VALIDATION_FAILED,
        'The request has invalid fields',
        flattenValidationErrors(errors),
      ),
  });
}
