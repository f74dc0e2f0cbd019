import type { TFunction } from 'i18next';
import { ApiRequestError, type ApiError, type FieldError } from '../api/errors';

/**
 * The message of one API error in the UI language: the catalogue's `apiErrors.<code>` with the error's
 * parameters when the API sends a stable code the catalogue knows, else the API's English message.
 */
export function translateFieldError(error: FieldError, t: TFunction): string {
  if (error.code) {
    const key = `apiErrors.${error.code}`;
    const text = t(key, { ...(error.params ?? {}), defaultValue: '' });
    if (text) return text;
  }
  return error.message;
}

/** A whole failed request, for an alert: status-specific wording, then the API's own words. */
export function translateApiError(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiRequestError)) return error instanceof Error ? error.message : String(error);
  const body: ApiError = error.body;
  const translated = body.code
    ? t(`apiErrors.${body.code}`, { ...(body.params ?? {}), errorId: body.errorId, defaultValue: '' })
    : '';
  if (translated) return translated;
  const lead = t(`httpStatus.${error.status}`, { defaultValue: '' });
  return lead ? `${lead} ${body.message}` : body.message;
}

/** Field errors keyed by their API path (`outcomes[0].indicators[1].baseline.value`), translated. */
export function fieldErrorsOf(body: ApiError, t: TFunction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of body.errors ?? [])
    out[e.path] = out[e.path] ? `${out[e.path]}; ${translateFieldError(e, t)}` : translateFieldError(e, t);
  return out;
}

/** True when some error's path is this path or below it (an error marks every ancestor card). */
export function hasErrorUnder(errors: Record<string, string>, prefix: string): number {
  return Object.keys(errors).filter((p) => p === prefix || p.startsWith(`${prefix}.`) || p.startsWith(`${prefix}[`))
    .length;
}
