/**
 * The caller cache of AuthService without a database. Races: a read that started before a change and
 * ends after it never leaves a caller that a later request trusts; a token naming another user's
 * session never gets that user's kept caller. Bound: the cache is bounded by what it holds, not only by how many sessions: every
 * session keeps its own copy of the caller's covered org units, and sign-ins that succeed are never
 * throttled, so one user covering a large tree could otherwise fill a process with many copies of it
 * (10,000 sessions × 20,000 unit ids is 200 million strings). The database is replaced by a counting
 * stand-in for AuthSessionRepository: a read of the caller is a miss, no read a kept caller.
 */
import { describe, expect, it } from '@jest/globals';
import { DomainException } from '#libs/common';
import { JwtService } from '@nestjs/jwt';
import {
  AuthService,
  type AuthSessionRepository,
  CALLER_CACHE_UNITS,
  type SessionCaller,
  type SigningSecretRepository,
  type UserRepository,
} from '#libs/auth';
import { validateConfig } from '#libs/config';
import type { TransactionRunner } from '#libs/database';

const SECRET = 'b'.repeat(40);
const USER = '11111111-1111-4111-8111-111111111111';

/** Session ids `00000000-0000-4000-8000-<n>` for n = 0..count-1. */
const sessionIds = (count: number) =>
  Array.from({ length: count }, (_, n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);

/** An AuthService on a stand-in repository whose every session's caller covers `units` org units. */
function serviceCovering(units: number) {
  const unitIds = Array.from({ length: units }, (_, n) => `u${n}`);
  const reads = { count: 0 };
  const sessions = {
    authStamp: () => Promise.resolve('7'),
    liveCaller: (sessionId: string, userId: string): Promise<SessionCaller> => {
      reads.count += 1;
      return Promise.resolve({
        id: userId,
        email: 'wide@test.rbm',
        displayName: 'Wide',
        language: 'en',
        assignments: [{ id: sessionId, role: 'rbm_focal_point', orgUnitId: 'u0', donorId: null, unitIds }],
        sessionExpiresAt: Date.now() + 86_400_000,
        authStamp: '7',
      });
    },
  } as unknown as AuthSessionRepository;
  const jwt = new JwtService({});
  const auth = new AuthService(
    {} as TransactionRunner,
    jwt,
    validateConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET }),
    {} as SigningSecretRepository,
    {} as UserRepository,
    sessions,
  );
  const token = (sid: string) =>
    jwt.signAsync({ sub: USER, sid, typ: 'access' }, { secret: SECRET, expiresIn: 900, algorithm: 'HS256' });
  return { auth, reads, token };
}

/** How many of `count` sessions, each authenticated once, the service still keeps (newest first). */
async function keptOf(units: number, count: number): Promise<number> {
  const { auth, reads, token } = serviceCovering(units);
  const tokens = await Promise.all(sessionIds(count).map(token));
  for (const t of tokens) await auth.authenticate(t);
  expect(reads.count).toBe(count);
  // Newest first: the kept ones answer without a read until the first one that was dropped.
  let kept = 0;
  for (const t of [...tokens].reverse()) {
    const before = reads.count;
    await auth.authenticate(t);
    if (reads.count > before) break;
    kept += 1;
  }
  return kept;
}

describe('caller cache bound', () => {
  it('keeps at most CALLER_CACHE_UNITS covered org units in all, however many sessions one wide caller opens', async () => {
    const kept = await keptOf(20_000, 100);
    expect(kept).toBeGreaterThan(0);
    expect(kept * 20_001).toBeLessThanOrEqual(CALLER_CACHE_UNITS);
  });

  it('computes the AuthUser once per caller read: later requests share it, frozen; a re-read computes it again', async () => {
    const { auth, reads, token } = serviceCovering(3);
    const [sid] = sessionIds(1);
    const t = await token(sid);
    const first = await auth.authenticate(t);
    // One focal point assignment on u0 covering u0, u1 and u2 (the stand-in's coverage of 3 units).
    expect(first).toMatchObject({ id: USER, roles: ['rbm_focal_point'], sessionId: sid });
    expect(first.scope).toEqual({ isAdmin: false, managerUnitIds: [], focalUnitIds: ['u0', 'u1', 'u2'], donorIds: [] });
    const second = await auth.authenticate(t);
    expect(reads.count).toBe(1);
    expect(second).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.scope) && Object.isFrozen(first.scope.focalUnitIds)).toBe(
      true,
    );
    expect(() => (first.scope.focalUnitIds as string[]).push('u9')).toThrow(TypeError);
    expect(Object.isFrozen(first.assignments[0])).toBe(true);
    // Another session of the same user: its own caller read, so its own AuthUser.
    const [, other] = sessionIds(2);
    const third = await auth.authenticate(await token(other));
    expect(reads.count).toBe(2);
    expect(third).not.toBe(first);
    expect(third.sessionId).toBe(other);
  });

  it('keeps every session of narrow callers', async () => {
    expect(await keptOf(3, 500)).toBe(500);
  });
});

describe('caller cache races', () => {
  /** A stand-in whose stamp and callers the test sets, and whose caller reads it can hold back. */
  function controllable() {
    const state = {
      stamp: '1',
      reads: 0,
      /** The caller each read answers (null: session ended), by user id. */
      callers: new Map<string, SessionCaller | null>(),
      /** When set, the next read waits for this before answering with what was current when it began. */
      hold: null as Promise<void> | null,
      /** Called when a held read has taken its answer. */
      began: () => undefined as void,
    };
    const sessions = {
      authStamp: () => Promise.resolve(state.stamp),
      liveCaller: async (_sessionId: string, userId: string): Promise<SessionCaller | null> => {
        state.reads += 1;
        const snapshot = state.callers.get(userId) ?? null;
        const answer = snapshot && { ...snapshot, authStamp: state.stamp };
        const hold = state.hold;
        state.hold = null;
        if (hold) {
          state.began();
          await hold;
        }
        return answer;
      },
    } as unknown as AuthSessionRepository;
    const jwt = new JwtService({});
    const auth = new AuthService(
      {} as TransactionRunner,
      jwt,
      validateConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET }),
      {} as SigningSecretRepository,
      {} as UserRepository,
      sessions,
    );
    const token = (sub: string, sid: string) =>
      jwt.signAsync({ sub, sid, typ: 'access' }, { secret: SECRET, expiresIn: 900, algorithm: 'HS256' });
    const caller = (id: string): SessionCaller => ({
      id,
      email: `${id}@test.rbm`,
      displayName: id,
      language: 'en',
      assignments: [{ id: `a-${id}`, role: 'admin', orgUnitId: null, donorId: null, unitIds: [] }],
      sessionExpiresAt: Date.now() + 86_400_000,
      authStamp: state.stamp,
    });
    const outcome = (call: Promise<unknown>) =>
      call.then(
        () => 'ok',
        (error: unknown) => (error instanceof DomainException ? error.code : 'error'),
      );
    return { auth, state, token, caller, outcome };
  }

  it('a slow read that began before a revocation and is kept after it is read again on the next request', async () => {
    const { auth, state, token, caller, outcome } = controllable();
    const [sid] = sessionIds(1);
    state.callers.set(USER, caller(USER));
    const t = await token(USER, sid);
    let release = () => undefined as void;
    state.hold = new Promise<void>((resolve) => (release = resolve));
    const began = new Promise<void>((resolve) => (state.began = resolve));
    const slow = outcome(auth.authenticate(t)); // reads the live caller with stamp 1, answers late
    await began;
    // The revocation commits (stamp 2); a faster request sees the session ended and forgets it.
    state.callers.set(USER, null);
    state.stamp = '2';
    expect(await outcome(auth.authenticate(t))).toBe('unauthorized');
    release();
    expect(await slow).toBe('ok'); // began before the revocation, as without a cache
    // The slow read kept its caller with stamp 1 after the fast one forgot it: never trusted again.
    expect(await outcome(auth.authenticate(t))).toBe('unauthorized');
    expect(state.reads).toBe(3);
  });

  it("a token naming another user's session never gets that user's kept caller", async () => {
    const { auth, state, token, caller, outcome } = controllable();
    const [sid] = sessionIds(1);
    const other = '22222222-2222-4222-8222-222222222222';
    state.callers.set(USER, caller(USER));
    expect((await auth.authenticate(await token(USER, sid))).id).toBe(USER);
    // The database finds no session `sid` of `other` (it is USER's): no caller, whatever is kept.
    state.callers.set(other, null);
    expect(await outcome(auth.authenticate(await token(other, sid)))).toBe('unauthorized');
    expect(state.reads).toBe(2);
  });
});
