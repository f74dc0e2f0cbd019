import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiProperty, type ApiPropertyOptions, ApiResponse } from '@nestjs/swagger';
import { ErrorCode, FIELD_ERROR_CODES, type FieldErrorCode } from '#libs/common';

/** OpenAPI property of an error's parameters: names to strings, numbers, booleans or null (what a translation needs). */
export function errorParamsProperty(options: {
  required?: boolean;
  example: object;
  description?: string;
}): ApiPropertyOptions {
  return {
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }], nullable: true },
    selfRequired: options.required ?? true,
    example: options.example,
    description: options.description,
  };
}

export class FieldErrorDto {
  @ApiProperty({ example: 'outcomes[0].outputs[1].indicators[0].baseline.value' }) path: string;
  @ApiProperty({
    enum: Object.keys(FIELD_ERROR_CODES),
    enumName: 'FieldErrorCode',
    example: 'maxLength',
    description:
      'Stable reason of the field error: a request-validation constraint (maxLength, isIn, ...) or a rule of the domain (required, not_found, stale_version, ...); docs/RULES.md "Field error codes" lists each with its params',
  })
  code: FieldErrorCode;
  @ApiProperty(
    errorParamsProperty({
      example: { max: 4000 },
      description: 'Parameters of the reason, to phrase it in any language (empty when it has none)',
    }),
  )
  params: Record<string, string | number | boolean | null>;
  @ApiProperty({ example: 'baseline.value must be a number' }) message: string;
}

/** The body of every error answer. */
export class ErrorResponseDto {
  @ApiProperty({ example: 404 }) statusCode: number;
  @ApiProperty({ example: 'NOT_FOUND' }) error: string;
  @ApiProperty({ enum: ErrorCode, example: ErrorCode.NOT_FOUND, description: 'Stable reason; see x-error-codes' })
  code: ErrorCode;
  @ApiProperty(
    errorParamsProperty({
      example: { what: 'Project' },
      description: 'Parameters of the reason, to phrase it in any language',
    }),
  )
  params: Record<string, string | number | boolean | null>;
  @ApiProperty({ example: 'Project not found' }) message: string;
  @ApiProperty({ type: [FieldErrorDto], required: false }) errors?: FieldErrorDto[];
  @ApiProperty({ required: false, description: 'Set on 500 answers; quote it to support' }) errorId?: string;
}

/** The reasons each documented status stands for when a route lists the status itself. */
export const CODES_BY_STATUS: Readonly<Record<number, readonly ErrorCode[]>> = {
  400: [ErrorCode.VALIDATION_FAILED, ErrorCode.FILE_UNREADABLE],
  401: [ErrorCode.UNAUTHENTICATED, ErrorCode.INVALID_CREDENTIALS],
  403: [ErrorCode.FORBIDDEN, ErrorCode.FOUR_EYES],
  404: [ErrorCode.NOT_FOUND],
  409: [
    ErrorCode.STALE_VERSION,
    ErrorCode.DUPLICATE,
    ErrorCode.INVALID_STATE,
    ErrorCode.QUARTER_LOCKED,
    ErrorCode.CONCURRENT_CHANGE,
    ErrorCode.LAST_ADMIN,
  ],
  422: [
    ErrorCode.CHECKLIST_BLOCKING,
    ErrorCode.LOGFRAME_INVALID,
    ErrorCode.ACTUALS_INVALID,
    ErrorCode.QUARTER_INCOMPLETE,
    ErrorCode.REASON_REQUIRED,
    ErrorCode.NOT_APPROVED,
    ErrorCode.REFERENCE_MISSING,
    ErrorCode.VALUE_OUT_OF_RANGE,
    ErrorCode.SDG_FRAMEWORK_MISSING,
    ErrorCode.RULE_VIOLATED,
  ],
  503: [ErrorCode.SERVICE_UNAVAILABLE],
};

/**
 * Reasons any route may answer, documented once (the API description) rather than per route:
 * malformed input and ids (the global ValidationPipe and the UUID/int pipes), not found or out of
 * scope, the guard's 401/403, body limits, storage refusals, rate limits, outages and 500s.
 */
export const GLOBAL_ERROR_CODES: readonly ErrorCode[] = [
  ErrorCode.VALIDATION_FAILED,
  ErrorCode.NOT_FOUND,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.BODY_TOO_DEEP,
  ErrorCode.PAYLOAD_TOO_LARGE,
  ErrorCode.VALUE_NOT_STORABLE,
  // PostgreSQL serialization failures (40001) can end any write.
  ErrorCode.CONCURRENT_CHANGE,
  ErrorCode.RATE_LIMITED,
  ErrorCode.SERVICE_UNAVAILABLE,
  ErrorCode.INTERNAL_ERROR,
];

/** The status an error code is answered with. */
export function statusOfCode(code: ErrorCode): number {
  const found = Object.entries(CODES_BY_STATUS).find(([, codes]) => codes.includes(code));
  if (found) return Number(found[0]);
  return code === ErrorCode.RATE_LIMITED
    ? 429
    : code === ErrorCode.PAYLOAD_TOO_LARGE
      ? 413
      : code === ErrorCode.INTERNAL_ERROR
        ? 500
        : 400;
}

/**
 * Documents the error answers a route may give, each with the {@link ErrorResponseDto} body, and the
 * reasons (`code`) it can answer, listed per status and as the operation's `x-error-codes`. A status
 * stands for all its reasons (`CODES_BY_STATUS`); an ErrorCode adds exactly that reason (and its status).
 * The e2e tests fail when a route answers a code it does not list (AllExceptionsFilter).
 */
export function ApiErrors(...items: (number | ErrorCode)[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, Set<ErrorCode>>();
  for (const item of items) {
    const status = typeof item === 'number' ? item : statusOfCode(item);
    const codes = byStatus.get(status) ?? new Set<ErrorCode>();
    for (const code of typeof item === 'number' ? (CODES_BY_STATUS[item] ?? []) : [item]) codes.add(code);
    byStatus.set(status, codes);
  }
  const descriptions: Record<number, string> = {
    400: 'Invalid input: `errors` lists each bad field with its path and code',
    404: 'Not found',
    409: 'Conflict: duplicate code, stale version or a status that does not allow the action',
    413: 'The upload crosses a limit (size, parts, rows, cells, parse time or memory): the message of `errors[0]` ends with `(limit <name>)`',
    422: 'Breaks a rule: `errors` says which and why',
    503: 'PostgreSQL or Redis unavailable',
  };
  const all = [...byStatus.values()].flatMap((codes) => [...codes]);
  return applyDecorators(
    ApiExtension('x-error-codes', all),
    ...[...byStatus].map(([status, codes]) =>
      ApiResponse({
        status,
        description: `${descriptions[status] ?? 'Error'}. Codes: ${[...codes].join(', ')}`,
        type: ErrorResponseDto,
      }),
    ),
  );
}
