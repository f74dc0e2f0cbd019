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
    for (const message of Object.values(error.constraints ?? {})) {
      result.push({
        path,
        message: message.replace(/^property (\S+) should not exist$/, `field '$1' is not allowed here`),
      });
    }
    if (error.children?.length) result.push(...flattenValidationErrors(error.children, path));
  }
  return result;
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
