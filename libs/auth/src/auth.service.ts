import { createHash, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as argon2 from 'argon2';
import { LRUCache } from 'lru-cache';
import type { EntityManager } from 'typeorm';
import { DomainException, ErrorCode } from '#libs/common';
import { AppConfig } from '#libs/config';
import { type AuthSessionEntity, type Role, TransactionRunner } from '#libs/database';
import { AuthSessionRepository, type SessionCaller } from './auth-session.repository.js';
import type { AccessScope, AuthUser } from './auth-user.js';
import type { AssignmentCoverage } from './policy.repository.js';
import { SigningSecretRepository } from './signing-secret.repository.js';
import { UserRepository } from './user.repository.js';

/** The answer to a login or a refresh. `expiresIn` is the access token's lifetime in seconds. */
export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: string;
}

/** One message for every failed login: it never says whether the email exists. */
export const LOGIN_FAILED = 'Email or password is incorrect';

/** The `signing_secret` row holding the generated access-token secret (outside production only). */
export const JWT_SECRET_NAME = 'jwt-access-token';

/**
 * How many sessions' callers one API process keeps at most (docs/RULES.md, "Caller cache"; their
 * covered org units are bounded too, {@link CALLER_CACHE_UNITS}); a session dropped is read again on
 * its next request.
 */
export const CALLER_CACHE_SIZE = 10_000;

/**
 * How many covered org units (plus one per caller and per assignment) the kept callers of one process
 * hold in all, about 60 bytes each (some 30 MB when full): each session keeps its own copy of its
 * caller's coverage, and successful sign-ins are not throttled, so one user covering a large tree must
 * not be able to fill the process with copies of it by opening sessions. The least recently used
 * callers are dropped first; a caller larger than this is not kept at all.
 */
export const CALLER_CACHE_UNITS = 500_000;

/** A kept caller's weight against {@link CALLER_CACHE_UNITS}. */
const callerWeight = (caller: SessionCaller) =>
  1 + caller.assignments.reduce((units, a) => units + 1 + a.unitIds.length, 0);

/** `<session id>.<generation>.<43 base64url characters of 32 random bytes>`. */
const REFRESH_TOKEN_FORMAT =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,9})\.[A-Za-z0-9_-]{43}$/;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * A user's assignments and scope from their assignment coverage (AuthSessionRepository.liveCaller): each
 * org unit assignment reaches its unit and every unit below it.
 */
export function scopeOf(rows: AssignmentCoverage[]): { assignments: AuthUser['assignments']; scope: AccessScope } {
  const units = (role: Role) => [...new Set(rows.filter((r) => r.role === role).flatMap((r) => r.unitIds))];
  return {
    assignments: rows.map((r) => ({ id: r.id, role: r.role, orgUnitId: r.orgUnitId, donorId: r.donorId })),
    scope: {
      isAdmin: rows.some((r) => r.role === 'admin' && r.orgUnitId === null),
      managerUnitIds: units('project_manager'),
      focalUnitIds: units('rbm_focal_point'),
      donorIds: [...new Set(rows.filter((r) => r.role === 'donor' && r.donorId).map((r) => r.donorId!))],
    },
  };
}

/**
 * The caller of session `sessionId` as an AuthUser (roles, assignments and scope from {@link scopeOf}),
 * frozen to its arrays: kept callers share one object across requests, which no code may change.
 */
function frozenAuthUser(caller: SessionCaller, sessionId: string): Readonly<AuthUser> {
  const { assignments, scope } = scopeOf(caller.assignments);
  for (const a of assignments) Object.freeze(a);
  Object.freeze(assignments);
  Object.freeze(scope.managerUnitIds);
  Object.freeze(scope.focalUnitIds);
  Object.freeze(scope.donorIds);
  return Object.freeze({
    id: caller.id,
    email: caller.email,
    displayName: caller.displayName,
    language: caller.language,
    sessionId,
    roles: Object.freeze([...new Set(assignments.map((a) => a.role))]) as Role[],
    assignments,
    scope: Object.freeze(scope),
  });
}

interface AccessClaims {
  sub: string;
  sid: string;
  typ: 'access';
  exp?: number;
}

/**
 * Sign-in with email + password (argon2id hashes), short-lived JWT access tokens (HS256, carrying the
 * session id) and rotating opaque refresh tokens stored as SHA-256 in `auth_session`.
 */
@Injectable()
export class AuthService {
  /** A hash verified when the email is unknown, so both failures take the same time. */
  private dummyHash: Promise<string> | undefined;
  /** The access-token secret, read once: JWT_SECRET, else the database's generated one. */
  private secret: Promise<string> | undefined;
  /** The same secret as a KeyObject, for verification. */
  private key: Promise<KeyObject> | undefined;
  /**
   * The callers of the sessions this process has authenticated, by session id, each with the auth
   * stamp it was read with; never trusted without comparing that stamp (see {@link authenticate}).
   * Bounded by sessions ({@link CALLER_CACHE_SIZE}) and by the org units they cover
   * ({@link CALLER_CACHE_UNITS}): the least recently used sessions are dropped first.
   */
  private readonly callers = new LRUCache<string, SessionCaller>({
    max: CALLER_CACHE_SIZE,
    maxSize: CALLER_CACHE_UNITS,
    sizeCalculation: callerWeight,
  });
  /**
   * The AuthUser (roles and scope) computed from each kept caller, made once per caller read: it lives
   * exactly as long as that caller object is kept. Frozen, since every request of the session shares it.
   */
  private readonly authUsers = new WeakMap<SessionCaller, Readonly<AuthUser>>();

  constructor(
    private readonly tx: TransactionRunner,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly secrets: SigningSecretRepository,
    private readonly users: UserRepository,
    private readonly sessions: AuthSessionRepository,
  ) {}

  /**
   * The HS256 secret of access tokens: JWT_SECRET when set (required in production, see
   * `validateConfig`); otherwise the secret generated once and kept in `signing_secret`, shared by
   * every process on the database. There is no default secret.
   */
  signingSecret(): Promise<string> {
    this.secret ??= this.config.JWT_SECRET
      ? Promise.resolve(this.config.JWT_SECRET)
      : this.secrets.obtain(JWT_SECRET_NAME).catch((error: unknown) => {
          this.secret = undefined;
          throw error;
        });
    return this.secret;
  }

  /** argon2id hash of a password (the only form stored). */
  static hashPassword(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  /** Checks a password against its argon2id hash (false for a malformed hash); the one password check of sign-in. */
  verifyPassword(hash: string, password: string): Promise<boolean> {
    return argon2.verify(hash, password).catch(() => false);
  }

  /** @throws DomainException unauthorized with {@link LOGIN_FAILED} for any wrong email, password or inactive user */
  async login(email: string, password: string): Promise<TokenPair> {
    const user = await this.users.findByEmail(email.trim().toLowerCase());
    this.dummyHash ??= AuthService.hashPassword(randomBytes(16).toString('hex'));
    const ok = await this.verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !user.isActive || !user.passwordHash || !ok)
      throw DomainException.unauthorized(LOGIN_FAILED, ErrorCode.INVALID_CREDENTIALS);
    const session = await this.sessions.create({
      userId: user.id,
      refreshTokenSha256: sha256(randomBytes(32).toString('hex')),
      generation: 0,
      expiresAt: this.refreshExpiry(),
      revokedAt: null,
      lastUsedAt: new Date(),
    });
    return this.issue(user.id, session);
  }

  /**
   * Exchanges a refresh token (`<session id>.<generation>.<random>`) for a new pair of the next
   * generation. A token of an older generation than the session's current one is a reuse (refresh
   * token rotation with reuse detection, OAuth 2.0 Security Best Current Practice): the session ends,
   * however many rotations ago the token was used.
   * @throws DomainException unauthorized for an unknown, expired, revoked, replayed or malformed token
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const invalid = () =>
      DomainException.unauthorized('The refresh token is invalid, expired or already used; sign in again');
    const parsed = REFRESH_TOKEN_FORMAT.exec(refreshToken);
    if (!parsed) throw invalid();
    const [, sessionId, generationText] = parsed;
    const generation = Number(generationText);
    const outcome = await this.tx.run(async (manager) => {
      const session = await this.sessions.lockLive(sessionId, manager);
      if (!session) return null;
      if (session.generation === generation && session.refreshTokenSha256 === sha256(refreshToken))
        return this.issue(session.userId, session, manager);
      // A token the session already moved past is being replayed: end the session, so the legitimate
      // holder's newer tokens die with the thief's.
      if (generation < session.generation) await this.sessions.revoke(session.id, manager);
      return null;
    });
    if (!outcome) throw invalid();
    return outcome;
  }

  /** Revokes a session: its refresh token and every access token carrying it stop working. */
  async logout(sessionId: string): Promise<void> {
    await this.sessions.revoke(sessionId);
  }

  /**
   * Revokes the session a refresh token belongs to (browser sign-out, where the refresh token sits in
   * an HttpOnly cookie and the access token may have expired). An unknown token changes nothing.
   */
  async logoutByRefreshToken(refreshToken: string): Promise<void> {
    await this.sessions.revokeByRefreshTokenSha256(sha256(refreshToken));
  }

  /**
   * The caller of an access token, with roles and scope, as the database holds them now: the session
   * live, the user active, their assignments and the org units they cover. The process keeps the caller
   * of each session it has seen ({@link callers}) with the auth stamp it was read with; every call reads
   * the current stamp (one primary-key read) and reads the caller again (AuthSessionRepository.liveCaller)
   * when it moved, when the session's expiry has passed, or when the session is not kept. Any change
   * that can narrow a caller moves the stamp at its commit (migration 1765900000000), so it takes
   * effect on the very next request in every process (docs/RULES.md, "Caller cache").
   * @throws DomainException unauthorized when the token is invalid, expired, or its session revoked
   */
  async authenticate(accessToken: string): Promise<AuthUser> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(accessToken, {
        algorithms: ['HS256'],
        // jsonwebtoken takes a KeyObject (its `Secret` type) as it is; a string is first tried as a PEM
        // public key (a thrown error) on every call. @nestjs/jwt's option type names only string | Buffer.
        secret: (await this.verificationKey()) as unknown as Buffer,
      });
    } catch {
      throw DomainException.unauthorized('The access token is invalid or expired');
    }
    // Tokens we sign always expire; one without `exp` was not made by this service's login.
    if (claims.typ !== 'access' || typeof claims.exp !== 'number')
      throw DomainException.unauthorized('The access token is invalid or expired');
    const caller = await this.liveCaller(claims.sid, claims.sub);
    if (!caller) throw DomainException.unauthorized('The session has ended; sign in again');
    let user = this.authUsers.get(caller);
    if (!user) {
      user = frozenAuthUser(caller, claims.sid);
      this.authUsers.set(caller, user);
    }
    return user;
  }

  /**
   * The caller of session `sessionId` of user `userId`: the kept one when the auth stamp has not moved
   * since it was read and the session has not expired, else read again (and kept when live and the
   * stamp triggers are all in place; forgotten otherwise). A caller kept by a concurrent request with an
   * older stamp is simply read again next time.
   */
  private async liveCaller(sessionId: string, userId: string): Promise<SessionCaller | null> {
    const kept = this.callers.get(sessionId);
    if (kept && kept.id === userId && kept.sessionExpiresAt > Date.now()) {
      if ((await this.sessions.authStamp()) === kept.authStamp) return kept;
    }
    const caller = await this.sessions.liveCaller(sessionId, userId);
    if (caller?.authStamp) this.callers.set(sessionId, caller);
    else this.callers.delete(sessionId);
    return caller;
  }

  /** The signing secret as an HMAC KeyObject, made once per process (see {@link signingSecret}). */
  private verificationKey(): Promise<KeyObject> {
    this.key ??= this.signingSecret().then(
      (secret) => createSecretKey(Buffer.from(secret)),
      (error: unknown) => {
        this.key = undefined;
        throw error;
      },
    );
    return this.key;
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
  }

  private async issue(userId: string, session: AuthSessionEntity, manager?: EntityManager): Promise<TokenPair> {
    const generation = session.generation + 1;
    const refreshToken = `${session.id}.${generation}.${randomBytes(32).toString('base64url')}`;
    const expiresAt = this.refreshExpiry();
    await this.sessions.rotate(
      session.id,
      { generation, refreshTokenSha256: sha256(refreshToken), expiresAt, lastUsedAt: new Date() },
      manager,
    );
    const claims: AccessClaims = { sub: userId, sid: session.id, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, {
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      algorithm: 'HS256',
      secret: await this.signingSecret(),
    });
    return {
      tokenType: 'Bearer',
      accessToken,
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      refreshToken,
      refreshExpiresAt: expiresAt.toISOString(),
    };
  }
}
