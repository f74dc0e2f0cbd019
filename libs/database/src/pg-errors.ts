/** PostgreSQL SQLSTATE codes the API maps to 409/422 (never a 500). */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';
export const PG_NOT_NULL_VIOLATION = '23502';
export const PG_INVALID_TEXT_REPRESENTATION = '22P02';
export const PG_NUMERIC_OUT_OF_RANGE = '22003';
export const PG_SERIALIZATION_FAILURE = '40001';
/** Invalid byte sequence, e.g. a NUL byte in text. */
export const PG_CHARACTER_NOT_IN_REPERTOIRE = '22021';
export const PG_UNTRANSLATABLE_CHARACTER = '22P05';

/** The SQLSTATE of a pg driver error (possibly wrapped by TypeORM's QueryFailedError), or undefined. */
export function pgErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = candidate.driverError?.code ?? candidate.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** SQLSTATE classes and codes that mean "the database cannot be reached now" (08 connection exception, 57P operator intervention, 53300 too many connections). */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[1-4]|53300)$/;
/** Socket errors of the pg client when PostgreSQL is down or the network drops. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** Messages of the pg client and pool (no code) when a connection is lost or cannot be made. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Connection is not established|Driver not Connected|is not initialized/i;

/**
 * Whether an error means PostgreSQL is unreachable (down, restarting, network cut) rather than a
 * bad query: the API answers 503 with Retry-After and the worker waits and retries.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown; driverError?: unknown; message?: unknown; cause?: unknown };
  if (candidate.driverError && candidate.driverError !== error && isDatabaseUnavailable(candidate.driverError))
    return true;
  if (typeof candidate.code === 'string') {
    if (UNAVAILABLE_SOCKET_CODES.has(candidate.code)) return true;
    if (/^[0-9A-Z]{5}$/.test(candidate.code) && UNAVAILABLE_SQLSTATES.test(candidate.code)) return true;
  }
  if (Array.isArray((error as { errors?: unknown }).errors))
    return ((error as { errors: unknown[] }).errors ?? []).some(isDatabaseUnavailable);
  if (typeof candidate.message === 'string' && UNAVAILABLE_MESSAGES.test(candidate.message)) return true;
  return candidate.cause !== undefined && candidate.cause !== error && isDatabaseUnavailable(candidate.cause);
}
