import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { DomainErrorCode, DomainException, ErrorCode, type ErrorParams, type FieldError } from '#libs/common';
import {
  PG_CHARACTER_NOT_IN_REPERTOIRE,
  PG_CHECK_VIOLATION,
  PG_FOREIGN_KEY_VIOLATION,
  PG_INVALID_TEXT_REPRESENTATION,
  PG_NOT_NULL_VIOLATION,
  PG_NUMERIC_OUT_OF_RANGE,
  PG_SERIALIZATION_FAILURE,
  PG_UNIQUE_VIOLATION,
  PG_UNTRANSLATABLE_CHARACTER,
  isDatabaseUnavailable,
  pgErrorCode,
} from '#libs/database';

/** Seconds a client should wait before retrying a 503 (PostgreSQL or Redis unreachable). */
export const RETRY_AFTER_SECONDS = 5;

/** The body of a 503 while PostgreSQL cannot be reached (no detail of the failure). */
export const DATABASE_UNAVAILABLE: ErrorBody = {
  statusCode: 503,
  error: 'Service Unavailable',
  code: ErrorCode.SERVICE_UNAVAILABLE,
  params: { retryAfterSeconds: RETRY_AFTER_SECONDS },
  message: `The database is unavailable; nothing was changed. Retry in ${RETRY_AFTER_SECONDS} seconds`,
};

/** Body of every error answer: never a stack trace or SQL. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  /** Stable reason (ErrorCode) for clients to branch on and translate. */
  code: ErrorCode;
  /** Parameters of the reason (may be empty). */
  params: ErrorParams;
  message: string;
  errors?: FieldError[];
  errorId?: string;
}

const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  [DomainErrorCode.BadRequest]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.Unprocessable]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.Unauthorized]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.Conflict]: HttpStatus.CONFLICT,
  [DomainErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [DomainErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
};

/** The reason of a Nest HttpException (thrown by Nest or a library), from its status. */
const CODE_BY_HTTP_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONCURRENT_CHANGE,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  422: ErrorCode.RULE_VIOLATED,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

/**
 * Answers whose code the route does not list in its OpenAPI operation (`x-error-codes`), as
 * `METHOD /path answered CODE`; the e2e test stack fails a spec file when this is not empty.
 */
export const undeclaredErrorCodes: string[] = [];

/**
 * The one exception filter (STYLE.md §5): domain codes → HTTP statuses; PostgreSQL constraint errors
 * → 409/422; anything unknown → 500 with a logged `errorId` and no detail in the body.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');
  /** `METHOD /express/:path` → the codes its operation lists; set from the OpenAPI document. */
  private routeCodes: Map<string, Set<string>> | null = null;

  /** Reads each operation's `x-error-codes` (see ApiErrors) to check answers against them. */
  declareRouteCodes(document: OpenAPIObject, globalCodes: readonly string[]): void {
    this.routeCodes = new Map();
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item as Record<string, { 'x-error-codes'?: string[] }>)) {
        if (typeof operation !== 'object' || operation === null) continue;
        const key = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        this.routeCodes.set(key, new Set([...(operation['x-error-codes'] ?? []), ...globalCodes]));
      }
    }
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE)
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    this.checkDeclared(host.switchToHttp().getRequest<Request>(), body);
    response.status(body.statusCode).json(body);
  }

  private checkDeclared(request: Request, body: ErrorBody): void {
    const routePath = (request.route as { path?: string } | undefined)?.path;
    if (!this.routeCodes || !routePath || body.statusCode >= 500) return;
    const key = `${request.method} ${routePath}`;
    const allowed = this.routeCodes.get(key);
    if (allowed && !allowed.has(body.code)) {
      undeclaredErrorCodes.push(`${key} answered ${body.statusCode} ${body.code}`);
      this.logger.warn(`${key} answered ${body.code}, which its OpenAPI operation does not list`);
    }
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainException) {
      const statusCode = STATUS_BY_CODE[exception.code];
      return {
        statusCode,
        error: HttpStatus[statusCode] ?? 'Error',
        code: exception.reason,
        params: exception.params,
        message: exception.message,
        ...(exception.errors.length ? { errors: exception.errors.map((e) => ({ ...e, params: e.params ?? {} })) } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const res = exception.getResponse();
      const message =
        typeof res === 'string'
          ? res
          : Array.isArray((res as { message?: unknown }).message)
            ? (res as { message: string[] }).message.join('; ')
            : String((res as { message?: unknown }).message ?? exception.message);
      if (statusCode === HttpStatus.PAYLOAD_TOO_LARGE)
        return {
          statusCode,
          error: 'Payload Too Large',
          code: ErrorCode.PAYLOAD_TOO_LARGE,
          params: {},
          message: 'The request body is larger than the API accepts (JSON bodies: 4 MB); send less at a time',
        };
      const code =
        CODE_BY_HTTP_STATUS[statusCode] ?? (statusCode >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.VALIDATION_FAILED);
      return { statusCode, error: HttpStatus[statusCode] ?? 'Error', code, params: {}, message };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(
        { err: exception instanceof Error ? exception.message : String(exception) },
        'database unavailable',
      );
      return { ...DATABASE_UNAVAILABLE };
    }
    if (exception instanceof RangeError && /call stack/i.test(exception.message)) {
      return {
        statusCode: 400,
        error: 'BAD_REQUEST',
        code: ErrorCode.BODY_TOO_DEEP,
        params: {},
        message: 'The request body is nested too deeply',
      };
    }
    const stored = pgErrorBody(exception);
    if (stored) return stored;
    const errorId = randomUUID();
    this.logger.error({ errorId, err: exception }, 'Unhandled error');
    return {
      statusCode: 500,
      error: 'INTERNAL_SERVER_ERROR',
      code: ErrorCode.INTERNAL_ERROR,
      params: {},
      message: 'Unexpected error; quote this errorId to support',
      errorId,
    };
  }
}

/**
 * The answer to a PostgreSQL error an input can cause (a character it cannot store, a unique or
 * foreign-key violation, a value out of its column's range), or null for any other error.
 */
function pgErrorBody(exception: unknown): ErrorBody | null {
  switch (pgErrorCode(exception)) {
    case PG_CHARACTER_NOT_IN_REPERTOIRE:
    case PG_UNTRANSLATABLE_CHARACTER:
      return {
        statusCode: 400,
        error: 'BAD_REQUEST',
        code: ErrorCode.VALUE_NOT_STORABLE,
        params: {},
        message: 'A value contains a character that cannot be stored (for example a NUL byte); remove it and try again',
      };
    case PG_UNIQUE_VIOLATION:
      return {
        statusCode: 409,
        error: 'CONFLICT',
        code: ErrorCode.DUPLICATE,
        params: {},
        message: 'This record conflicts with an existing one (a code or key is already used)',
      };
    case PG_SERIALIZATION_FAILURE:
      return {
        statusCode: 409,
        error: 'CONFLICT',
        code: ErrorCode.CONCURRENT_CHANGE,
        params: {},
        message: 'Someone else changed this at the same time; reload and try again',
      };
    case PG_FOREIGN_KEY_VIOLATION:
      return {
        statusCode: 422,
        error: 'UNPROCESSABLE_ENTITY',
        code: ErrorCode.REFERENCE_MISSING,
        params: {},
        message: 'A referenced record does not exist or is still in use',
      };
    case PG_CHECK_VIOLATION:
    case PG_NOT_NULL_VIOLATION:
    case PG_INVALID_TEXT_REPRESENTATION:
    case PG_NUMERIC_OUT_OF_RANGE:
      return {
        statusCode: 422,
        error: 'UNPROCESSABLE_ENTITY',
        code: ErrorCode.VALUE_OUT_OF_RANGE,
        params: {},
        message: 'A value is missing or out of range',
      };
    default:
      return null;
  }
}
