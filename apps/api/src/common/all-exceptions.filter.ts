import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { DomainErrorCode, DomainException, type FieldError } from '#libs/common';
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
  error: 'SERVICE_UNAVAILABLE',
  message: `The database is unavailable; nothing was changed. Retry in ${RETRY_AFTER_SECONDS} seconds`,
};

/** Body of every error answer: never a stack trace or SQL. */
export interface ErrorBody {
  statusCode: number;
  error: string;
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

/**
 * The one exception filter (STYLE.md §5): domain codes → HTTP statuses; PostgreSQL constraint errors
 * → 409/422; anything unknown → 500 with a logged `errorId` and no detail in the body.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE)
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainException) {
      const statusCode = STATUS_BY_CODE[exception.code];
      return {
        statusCode,
        error: HttpStatus[statusCode] ?? 'Error',
        message: exception.message,
        ...(exception.errors.length ? { errors: exception.errors } : {}),
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
          error: 'PAYLOAD_TOO_LARGE',
          message: 'The request body is larger than the API accepts (JSON bodies: 4 MB); send less at a time',
        };
      return { statusCode, error: HttpStatus[statusCode] ?? 'Error', message };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(
        { err: exception instanceof Error ? exception.message : String(exception) },
        'database unavailable',
      );
      return { ...DATABASE_UNAVAILABLE };
    }
    if (exception instanceof RangeError && /call stack/i.test(exception.message)) {
      return { statusCode: 400, error: 'BAD_REQUEST', message: 'The request body is nested too deeply' };
    }
    switch (pgErrorCode(exception)) {
      case PG_CHARACTER_NOT_IN_REPERTOIRE:
      case PG_UNTRANSLATABLE_CHARACTER:
        return {
          statusCode: 400,
          error: 'BAD_REQUEST',
          message:
            'A value contains a character that cannot be stored (for example a NUL byte); remove it and try again',
        };
      case PG_UNIQUE_VIOLATION:
        return {
          statusCode: 409,
          error: 'CONFLICT',
          message: 'This record conflicts with an existing one (a code or key is already used)',
        };
      case PG_SERIALIZATION_FAILURE:
        return {
          statusCode: 409,
          error: 'CONFLICT',
          message: 'Someone else changed this at the same time; reload and try again',
        };
      case PG_FOREIGN_KEY_VIOLATION:
        return {
          statusCode: 422,
          error: 'UNPROCESSABLE_ENTITY',
          message: 'A referenced record does not exist or is still in use',
        };
      case PG_CHECK_VIOLATION:
      case PG_NOT_NULL_VIOLATION:
      case PG_INVALID_TEXT_REPRESENTATION:
      case PG_NUMERIC_OUT_OF_RANGE:
        return { statusCode: 422, error: 'UNPROCESSABLE_ENTITY', message: 'A value is missing or out of range' };
    }
    const errorId = randomUUID();
    this.logger.error({ errorId, err: exception }, 'Unhandled error');
    return {
      statusCode: 500,
      error: 'INTERNAL_SERVER_ERROR',
      message: 'Unexpected error; quote this errorId to support',
      errorId,
    };
  }
}
