import createClient from 'openapi-fetch';
import { refreshSession, session, sessionEnded, waitForSignIn } from '../auth/session';
import { type ApiError, ApiRequestError } from './errors';
import type { components, paths } from './schema';

export { type ApiError, ApiRequestError, type FieldError } from './errors';

/**
 * Fetch with the in-memory bearer token. A 401 gets one silent refresh and a retry; when the session
 * has ended, the request waits for the sign-in dialog and is then sent again (so a Save survives an
 * expired session and still goes through the normal version check).
 */
async function authFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const send = (r: Request) => {
    const token = session.accessToken();
    if (token) r.headers.set('Authorization', `Bearer ${token}`);
    return fetch(r);
  };
  const res = await send(request);
  if (res.status !== 401 || new URL(request.url).pathname.startsWith('/auth/')) return res;
  if (!(await refreshSession())) {
    sessionEnded();
    if (!(await waitForSignIn())) return res;
  }
  return send(retry);
}

/** The one API client: typed from the API's OpenAPI document (src/api/schema.ts, generated). */
export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: authFetch });

export type Schemas = components['schemas'];

/** The data of an openapi-fetch answer, or throws {@link ApiRequestError}. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const body = (result.error ?? {}) as Partial<ApiError>;
    throw new ApiRequestError(result.response.status, {
      statusCode: result.response.status,
      error: body.error ?? result.response.statusText,
      message: body.message ?? result.response.statusText,
      ...body,
    } as ApiError);
  }
  return result.data as T;
}
