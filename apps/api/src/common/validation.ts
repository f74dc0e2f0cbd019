import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainException, ErrorCode, type FieldError } from '#libs/common';

/**
 * Flattens class-validator errors into `{ path, message }` with the full path of each bad field,
 * e.g. `outcomes[0].outputs[1].indicators[0].baseline.value`.
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
      result.push({
        path,
        message:
          wrongKind(constraint, error.property, error.value) ??
          message.replace(/^property (\S+) should not exist$/, `field '$1' is not allowed here`),
      });
    }
    if (error.children?.length) result.push(...flattenValidationErrors(error.children, path));
  }
  return result;
}

const ARRAY_CONSTRAINTS = new Set(['arrayMaxSize', 'arrayMinSize', 'arrayNotEmpty', 'arrayUnique']);
const STRING_CONSTRAINTS = new Set(['maxLength', 'minLength', 'matches', 'isUrl', 'isEmail', 'isUUID']);
const NUMBER_CONSTRAINTS = new Set(['min', 'max']);

/**
 * The real problem when a size or format rule fails on a value of the wrong kind (with
 * `stopAtFirstError` the first rule that runs may be a size rule): a missing or non-array value
 * for an array field is "must be an array", not "must contain no more than 50 elements".
 */
function wrongKind(constraint: string, property: string, value: unknown): string | undefined {
  const what = value === undefined || value === null ? 'is required and' : '';
  const say = (kind: string) => `${property} ${what ? `${what} ` : ''}must be ${kind}`;
  if (ARRAY_CONSTRAINTS.has(constraint) && !Array.isArray(value)) return say('an array');
  if (Array.isArray(value)) return undefined; // a rule on each element (`each: true`) keeps its own message
  if (STRING_CONSTRAINTS.has(constraint) && typeof value !== 'string') return say('a string');
  if (NUMBER_CONSTRAINTS.has(constraint) && typeof value !== 'number') return say('a number');
  return undefined;
}

/** The global ValidationPipe (STYLE.md §3): whitelist, refuse unknown fields, transform; 400 with paths. */
export function buildValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) =>
      DomainException.badRequest(
        ErrorCode.VALIDATION_FAILED,
        'The request has invalid fields',
        flattenValidationErrors(errors),
      ),
  });
}
