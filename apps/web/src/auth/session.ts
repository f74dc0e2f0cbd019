import createClient from 'openapi-fetch';
import type { components, paths } from '../api/schema';

/** The session routes are cookie-authenticated: this client sends no bearer token. */
const authApi = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });

/**
 * The browser session. The access token lives in this module's memory only (never in storage); the
 * refresh token is an HttpOnly cookie the app cannot read. Before the access token expires it is
 * refreshed silently; when a request still gets a 401, one refresh is tried; when the session has
 * really ended the state becomes `expired`, the sign-in dialog opens over the page (the page and its
 * unsaved form stay mounted) and the waiting requests go through once the person has signed in again.
 */
export type SessionStatus = 'starting' | 'signedOut' | 'signedIn' | 'expired';
type BrowserSession = components['schemas']['BrowserSessionDto'];

interface State {
  status: SessionStatus;
  accessToken: string | null;
}

let state: State = { status: 'starting', accessToken: null };
const listeners = new Set<() => void>();
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | null = null;
let waiters: Array<(ok: boolean) => void> = [];

function set(next: Partial<State>): void {
  state = { ...state, ...next };
  listeners.forEach((l) => l());
}

export const session = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  snapshot(): State {
    return state;
  },
  accessToken(): string | null {
    return state.accessToken;
  },
};

function csrfToken(): string {
  const match = /(?:^|;\s*)rbm_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]) : '';
}

function accept(answer: BrowserSession): void {
  set({ status: 'signedIn', accessToken: answer.accessToken });
  clearTimeout(refreshTimer);
  // Refresh a minute before the access token expires (or at half its life when it is short).
  const lead = Math.min(60, answer.expiresIn / 2);
  refreshTimer = setTimeout(() => void refreshSession(), (answer.expiresIn - lead) * 1000);
  const pending = waiters;
  waiters = [];
  pending.forEach((w) => w(true));
}

/** Signs in with email and password; the answer is the API's error body when it fails. */
export async function signIn(
  email: string,
  password: string,
): Promise<{ ok: true } | { ok: false; status: number; message: string }> {
  const { data, error, response } = await authApi.POST('/auth/session', { body: { email, password } });
  if (!data) {
    const body = (error ?? {}) as { message?: string };
    return { ok: false, status: response.status, message: body.message ?? response.statusText };
  }
  accept(data);
  return { ok: true };
}

/**
 * Exchanges the refresh cookie for a new access token (one request at a time: concurrent callers share
 * it, since the cookie rotates and a replayed one would end the session). True when signed in after.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const { data } = await authApi.POST('/auth/session/refresh', { headers: { 'X-CSRF-Token': csrfToken() } });
      if (!data) return false;
      accept(data);
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing.then((ok) => {
    if (!ok)
      set({
        accessToken: null,
        status: state.status === 'starting' || state.status === 'signedOut' ? 'signedOut' : 'expired',
      });
    return ok;
  });
}

/** At start-up: resume the session from the refresh cookie, or show the sign-in page. */
export async function resumeSession(): Promise<void> {
  if (!csrfToken()) {
    set({ status: 'signedOut' });
    return;
  }
  await refreshSession();
}

/** Resolves once the person signed in again in the dialog (called after a refresh failed). */
export function waitForSignIn(): Promise<boolean> {
  return new Promise((resolve) => waiters.push(resolve));
}

/** Signs out: the server revokes the session and clears the cookies; memory is wiped. */
export async function signOut(): Promise<void> {
  clearTimeout(refreshTimer);
  await authApi.POST('/auth/session/logout', { headers: { 'X-CSRF-Token': csrfToken() } }).catch(() => undefined);
  set({ status: 'signedOut', accessToken: null });
}

/** Marks the session ended (a 401 the refresh could not cure): opens the sign-in dialog. */
export function sessionEnded(): void {
  if (state.status === 'signedIn') set({ status: 'expired', accessToken: null });
}
