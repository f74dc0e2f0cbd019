/**
 * The caller cache of AuthService is bounded by what it holds, not only by how many sessions: every
 * session keeps its own copy of the caller's covered org units, and sign-ins that succeed are never
 * throttled, so one user covering a large tree could otherwise fill a process with many copies of it
 * (10,000 sessions × 20,000 unit ids is 200 million strings). The database is replaced by a counting
 * stand-in for AuthSessionRepository: a read of the caller is a miss, no read a kept caller.
 */
import { describe, expect, it } from '@jest/globals';
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

  it('keeps every session of narrow callers', async () => {
    expect(await keptOf(3, 500)).toBe(500);
  });
});
