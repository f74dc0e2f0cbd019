/**
 * Typed domain errors (STYLE.md §5): services throw a {@link DomainException} with a code;
 * the API's one exception filter maps the code to an HTTP status. Services never build HTTP responses.
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

/** One problem with one field: `path` like `outcomes[0].outputs[1].indicators[0].baseline.value`. */
export interface FieldError {
  path: string;
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
  ) {
    super(message);
    this.name = 'DomainException';
  }

  static notFound(what: string): DomainException {
    return new DomainException(DomainErrorCode.NotFound, `${what} not found`);
  }

  static conflict(message: string, errors: FieldError[] = []): DomainException {
    return new DomainException(DomainErrorCode.Conflict, message, errors);
  }

  static unprocessable(message: string, errors: FieldError[] = []): DomainException {
    return new DomainException(DomainErrorCode.Unprocessable, message, errors);
  }

  static unauthorized(message = 'Sign in to use this route'): DomainException {
    return new DomainException(DomainErrorCode.Unauthorized, message);
  }

  static forbidden(message: string): DomainException {
    return new DomainException(DomainErrorCode.Forbidden, message);
  }

  static badRequest(message: string, errors: FieldError[] = []): DomainException {
    return new DomainException(DomainErrorCode.BadRequest, message, errors);
  }

  static payloadTooLarge(message: string, errors: FieldError[] = []): DomainException {
    return new DomainException(DomainErrorCode.PayloadTooLarge, message, errors);
  }
}
