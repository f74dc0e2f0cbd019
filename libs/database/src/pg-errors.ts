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
