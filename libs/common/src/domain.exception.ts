import type { FieldErrorCode } from './field-error-codes.js';

/**
 * Typed domain errors (STYLE.md §5): services throw a {@link DomainException} with a stable
 * {@link ErrorCode} (the reason, with the parameters needed to phrase it in another language) and an
 * English message; the API's one exception filter maps the category to an HTTP status and answers
 * `{ statusCode, error, code, params, message, errors }`. Services never build HTTP responses.
 */
export enum DomainErrorCode {
  /** Input is well-formed but breaks a rule (422). */
  Unprocessable = 'unprocessable',
  /** Bad input shape (400). */
  BadRequest = 'bad_request',
  /** Not signed in, or the token is invalid or expired (401). */
  Unauthorized = 'unauthorized',
  /** Not found, or outside the caller's scope (404). */
  NotFound = 'not_found',
  /** Duplicate code or a stale version (409). */
  Conflict = 'conflict',
  /** In scope, but the role may not take this action (403). */
  Forbidden = 'forbidden',
  /** A dependency (PostgreSQL, Redis) is unavailable (503). */
  Unavailable = 'unavailable',
  /** An upload beyond a size limit (413): the message names the limit. */
  PayloadTooLarge = 'payload_too_large',
}

/**
 * Stable reasons of error answers (the body's `code`), for clients to branch on and translate;
 * the English `message` stays for people. Never rename one: add a new code instead.
 */
export enum ErrorCode {
  /** 400: fields of the request are invalid; `errors` lists each with its path and code. */
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  /** 400: an uploaded file is not the kind expected (an .xlsx workbook, an IATI XML document). */
  FILE_UNREADABLE = 'FILE_UNREADABLE',
  /** 400: a value holds a character PostgreSQL cannot store (a NUL byte). */
  VALUE_NOT_STORABLE = 'VALUE_NOT_STORABLE',
  /** 400: the JSON body is nested too deeply. */
  BODY_TOO_DEEP = 'BODY_TOO_DEEP',
  /** 401: no valid access token, or the session ended. */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** 401: wrong email or password (or an inactive user). */
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  /** 403: in scope, but the role may not take this action. */
  FORBIDDEN = 'FORBIDDEN',
  /** 403: the four-eyes rule: whoever submitted or edited may not approve/validate (DESIGN.md §3-4). */
  FOUR_EYES = 'FOUR_EYES',
  /** 404: not found, or outside the caller's scope. params: { what } */
  NOT_FOUND = 'NOT_FOUND',
  /** 409: the resource changed since the client read it. params: { current, yours } */
  STALE_VERSION = 'STALE_VERSION',
  /** 409: a code, email or pairing is already used. */
  DUPLICATE = 'DUPLICATE',
  /** 409: the resource's status does not allow the action. params: { status } */
  INVALID_STATE = 'INVALID_STATE',
  /** 409: the quarter is submitted or validated, so its actuals are locked. params: { year, quarter, status } */
  QUARTER_LOCKED = 'QUARTER_LOCKED',
  /** 409: someone else acted at the same time (also PostgreSQL serialization failures). */
  CONCURRENT_CHANGE = 'CONCURRENT_CHANGE',
  /** 409: the last active admin cannot lose the admin role. */
  LAST_ADMIN = 'LAST_ADMIN',
  /** 422: the QA checklist found blocking problems (DESIGN.md §3). params: { count } */
  CHECKLIST_BLOCKING = 'CHECKLIST_BLOCKING',
  /** 422: the logframe breaks RBM rules; `errors` lists each problem. params: { count } */
  LOGFRAME_INVALID = 'LOGFRAME_INVALID',
  /** 422: actuals of the quarter break rules (`errors`, e.g. DISAGGREGATION_MISMATCH). params: { count } */
  ACTUALS_INVALID = 'ACTUALS_INVALID',
  /** 422: the quarter cannot be submitted yet: items missing. params: { count } */
  QUARTER_INCOMPLETE = 'QUARTER_INCOMPLETE',
  /** 422: the action needs a reason (return, reopen, new revision). params: { field } */
  REASON_REQUIRED = 'REASON_REQUIRED',
  /** 422: actuals need an approved logframe. */
  NOT_APPROVED = 'NOT_APPROVED',
  /** 422: a referenced record does not exist (or is still in use). */
  REFERENCE_MISSING = 'REFERENCE_MISSING',
  /** 422: a value is missing or out of range for the database. */
  VALUE_OUT_OF_RANGE = 'VALUE_OUT_OF_RANGE',
  /** 422: the SDG framework is not loaded (run `npm run sdg:load`). */
  SDG_FRAMEWORK_MISSING = 'SDG_FRAMEWORK_MISSING',
  /** 422: any other rule of the domain; `errors` says which and why. */
  RULE_VIOLATED = 'RULE_VIOLATED',
  /** 429: too many attempts; retry later. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** 413: the request body is too large. */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** 503: PostgreSQL or Redis is unavailable. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  /** 500: unexpected; the body carries an `errorId` to quote to support. */
  INTERNAL_ERROR = 'INTERNAL_ERROR',
}

/** Parameters of a code or field error, enough to phrase it in another language. */
export type ErrorParams = Record<string, string | number | boolean | null>;

/**
 * One problem with one field: `path` like `outcomes[0].outputs[1].indicators[0].baseline.value`,
 * its stable reason `code` and the reason's `params` (the API answers `{}` when none are given).
 */
export interface FieldError {
  path: string;
  /** Stable reason of the field (`maxLength`, `required`, `not_found`, ...): one of {@link FIELD_ERROR_CODES}. */
  code: FieldErrorCode;
  /** Parameters of the reason (e.g. `{ max: 4000 }` for maxLength). */
  params?: ErrorParams;
  /** English sentence. */
  message: string;
  /** Spreadsheet uploads: the sheet, 1-based row and column letter the value came from. */
  sheet?: string;
  row?: number;
  column?: string;
  /** Conflicts (409) on a stale version: the record as it is now (value, version, who saved it and when). */
  current?: Record<string, unknown> | null;
}

export class DomainException extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    /** The stable reason answered as the body's `code`. */
    readonly reason: ErrorCode,
    readonly params: ErrorParams = {},
  ) {
    super(message);
    this.name = 'DomainException';
  }

  static notFound(what: string, errors: FieldError[] = []): DomainException {
    return new DomainException(DomainErrorCode.NotFound, `${what} not found`, errors, ErrorCode.NOT_FOUND, { what });
  }

  static conflict(reason: ErrorCode, message: string, errors: FieldError[] = [], params: ErrorParams = {}) {
    return new DomainException(DomainErrorCode.Conflict, message, errors, reason, params);
  }

  static unprocessable(reason: ErrorCode, message: string, errors: FieldError[] = [], params: ErrorParams = {}) {
    return new DomainException(DomainErrorCode.Unprocessable, message, errors, reason, params);
  }

  static unauthorized(
    message = 'Sign in to use this route',
    reason: ErrorCode = ErrorCode.UNAUTHENTICATED,
  ): DomainException {
    return new DomainException(DomainErrorCode.Unauthorized, message, [], reason);
  }

  static forbidden(reason: ErrorCode, message: string, params: ErrorParams = {}): DomainException {
    return new DomainException(DomainErrorCode.Forbidden, message, [], reason, params);
  }

  static badRequest(reason: ErrorCode, message: string, errors: FieldError[] = [], params: ErrorParams = {}) {
    return new DomainException(DomainErrorCode.BadRequest, message, errors, reason, params);
  }

  /** The stale-version conflict of a versioned resource (409 STALE_VERSION with `{ current, yours }`). */
  static staleVersion(message: string, current: number, yours: number, errors: FieldError[] = []): DomainException {
    return new DomainException(DomainErrorCode.Conflict, message, errors, ErrorCode.STALE_VERSION, {
      current,
      yours,
    });
  }

  /** 503 SERVICE_UNAVAILABLE: a dependency or a bounded worker could not answer now; the client may retry. */
  static unavailable(message: string, params: ErrorParams = {}): DomainException {
    return new DomainException(DomainErrorCode.Unavailable, message, [], ErrorCode.SERVICE_UNAVAILABLE, params);
  }

  static payloadTooLarge(message: string, errors: FieldError[] = [], params: ErrorParams = {}): DomainException {
    return new DomainException(DomainErrorCode.PayloadTooLarge, message, errors, ErrorCode.PAYLOAD_TOO_LARGE, params);
  }
}
