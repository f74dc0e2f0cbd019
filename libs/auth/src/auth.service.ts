import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { DomainException, ErrorCode } from '#libs/common';
import { AppConfig } from '#libs/config';
import { AuthSessionEntity, type Role, UserEntity } from '#libs/database';
import type { AccessScope, AuthUser } from './auth-user.js';
import { SigningSecretRepository } from './signing-secret.repository.js';

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

/** `<session id>.<generation>.<43 base64url characters of 32 random bytes>`. */
const REFRESH_TOKEN_FORMAT =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,9})\.[A-Za-z0-9_-]{43}$/;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

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

  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly secrets: SigningSecretRepository,
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
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ email: email.trim().toLowerCase() });
    this.dummyHash ??= AuthService.hashPassword(randomBytes(16).toString('hex'));
    const ok = await this.verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !user.isActive || !user.passwordHash || !ok)
      throw DomainException.unauthorized(LOGIN_FAILED, ErrorCode.INVALID_CREDENTIALS);
    const session = await this.dataSource.getRepository(AuthSessionEntity).save({
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
    const outcome = await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(AuthSessionEntity);
      const session = await repo
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .innerJoin(UserEntity, 'u', 'u.id = s.user_id AND u.is_active')
        .where('s.id = :sessionId', { sessionId })
        .andWhere('s.revoked_at IS NULL AND s.expires_at > now()')
        .getOne();
      if (!session) return null;
      if (session.generation === generation && session.refreshTokenSha256 === sha256(refreshToken))
        return this.issue(session.userId, session, repo);
      // A token the session already moved past is being replayed: end the session, so the legitimate
      // holder's newer tokens die with the thief's.
      if (generation < session.generation) await repo.update({ id: session.id }, { revokedAt: new Date() });
      return null;
    });
    if (!outcome) throw invalid();
    return outcome;
  }

  /** Revokes a session: its refresh token and every access token carrying it stop working. */
  async logout(sessionId: string): Promise<void> {
    await this.dataSource.getRepository(AuthSessionEntity).update({ id: sessionId }, { revokedAt: new Date() });
  }

  /**
   * Revokes the session a refresh token belongs to (browser sign-out, where the refresh token sits in
   * an HttpOnly cookie and the access token may have expired). An unknown token changes nothing.
   */
  async logoutByRefreshToken(refreshToken: string): Promise<void> {
    await this.dataSource
      .getRepository(AuthSessionEntity)
      .update({ refreshTokenSha256: sha256(refreshToken) }, { revokedAt: new Date() });
  }

  /**
   * The caller of an access token, with roles and scope (two queries).
   * @throws DomainException unauthorized when the token is invalid, expired, or its session revoked
   */
  async authenticate(accessToken: string): Promise<AuthUser> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(accessToken, {
        algorithms: ['HS256'],
        secret: await this.signingSecret(),
      });
    } catch {
      throw DomainException.unauthorized('The access token is invalid or expired');
    }
    // Tokens we sign always expire; one without `exp` was not made by this service's login.
    if (claims.typ !== 'access' || typeof claims.exp !== 'number')
      throw DomainException.unauthorized('The access token is invalid or expired');
    const [row] = await this.dataSource.query(
      `SELECT u.id, u.email, u.display_name, u.language FROM auth_session s JOIN app_user u ON u.id = s.user_id
        WHERE s.id = $1 AND u.id = $2 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.is_active`,
      [claims.sid, claims.sub],
    );
    if (!row) throw DomainException.unauthorized('The session has ended; sign in again');
    const { assignments, scope } = await this.scopeOf(row.id);
    return {
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      language: row.language,
      sessionId: claims.sid,
      roles: [...new Set(assignments.map((a) => a.role))],
      assignments,
      scope,
    };
  }

  /**
   * A user's assignments and scope in one query: each org unit assignment expanded to its unit and
   * every unit below it (recursive CTE over `org_unit.parent_id`).
   */
  async scopeOf(userId: string): Promise<{ assignments: AuthUser['assignments']; scope: AccessScope }> {
    const rows: {
      id: string;
      role: Role;
      org_unit_id: string | null;
      donor_id: string | null;
      unit_ids: string[] | null;
    }[] = await this.dataSource.query(
      `WITH RECURSIVE covered(assignment_id, unit_id) AS (
         SELECT ra.id, ra.org_unit_id FROM role_assignment ra WHERE ra.user_id = $1 AND ra.org_unit_id IS NOT NULL
         UNION
         SELECT c.assignment_id, child.id FROM org_unit child JOIN covered c ON child.parent_id = c.unit_id
       )
       SELECT ra.id, ra.role, ra.org_unit_id, ra.donor_id, array_agg(c.unit_id) FILTER (WHERE c.unit_id IS NOT NULL) AS unit_ids
         FROM role_assignment ra LEFT JOIN covered c ON c.assignment_id = ra.id
        WHERE ra.user_id = $1 GROUP BY ra.id ORDER BY ra.created_at`,
      [userId],
    );
    const units = (role: Role) => [...new Set(rows.filter((r) => r.role === role).flatMap((r) => r.unit_ids ?? []))];
    return {
      assignments: rows.map((r) => ({ id: r.id, role: r.role, orgUnitId: r.org_unit_id, donorId: r.donor_id })),
      scope: {
        isAdmin: rows.some((r) => r.role === 'admin' && r.org_unit_id === null),
        managerUnitIds: units('project_manager'),
        focalUnitIds: units('rbm_focal_point'),
        donorIds: [...new Set(rows.filter((r) => r.role === 'donor' && r.donor_id).map((r) => r.donor_id!))],
      },
    };
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
  }

  private async issue(
    userId: string,
    session: AuthSessionEntity,
    repo = this.dataSource.getRepository(AuthSessionEntity),
  ): Promise<TokenPair> {
    const generation = session.generation + 1;
    const refreshToken = `${session.id}.${generation}.${randomBytes(32).toString('base64url')}`;
    const expiresAt = this.refreshExpiry();
    await repo.update(
      { id: session.id },
      {
        generation,
        refreshTokenSha256: sha256(refreshToken),
        expiresAt,
        lastUsedAt: new Date(),
      },
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
