/** The API's error answers as the web app reads them (no browser globals, so unit tests can import it). */

/**
 * One field error as the API sends it: `path` like `outcomes[0].outputs[1].indicators[0].baseline.value`,
 * its stable `code` (docs/RULES.md, "Field error codes") with the `params` to phrase it, and the English message.
 */
export interface FieldError {
  path: string;
  code: string;
  params: Record<string, unknown>;
  message: string;
}

/** The API's error body (every 4xx/5xx). */
export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  params?: Record<string, unknown>;
  errors?: FieldError[];
  errorId?: string;
}

/** Thrown by {@link unwrap} so TanStack Query sees failures; carries the API's body. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
  ) {
    super(body.message);
  }
}
