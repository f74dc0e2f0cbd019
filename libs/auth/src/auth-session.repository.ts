import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuthSessionEntity, UserEntity } from '#libs/database';

/** The signed-in caller of a live session: the user's id, email, name and report language. */
export interface SessionCaller {
  id: string;
  email: string;
  displayName: string;
  language: string;
}

interface SessionCallerRow {
  id: string;
  email: string;
  display_name: string;
  language: string;
}

const toSessionCaller = (row: SessionCallerRow): SessionCaller => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  language: row.language,
});

/** The values a refresh rotation writes: the next generation, its token hash and expiry. */
export type SessionRotation = Pick<AuthSessionEntity, 'generation' | 'refreshTokenSha256' | 'expiresAt' | 'lastUsedAt'>;

/** The `auth_session` table: sign-in sessions and their rotating refresh tokens (stored as SHA-256). */
@Injectable()
export class AuthSessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a new session. */
  create(
    session: Pick<
      AuthSessionEntity,
      'userId' | 'refreshTokenSha256' | 'generation' | 'expiresAt' | 'revokedAt' | 'lastUsedAt'
    >,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<AuthSessionEntity> {
    return manager.getRepository(AuthSessionEntity).save(session);
  }

  /**
   * The session, locked for update, when it is neither revoked nor expired and its user is active;
   * null otherwise.
   */
  lockLive(sessionId: string, manager: EntityManager = this.dataSource.manager): Promise<AuthSessionEntity | null> {
    return manager
      .getRepository(AuthSessionEntity)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .innerJoin(UserEntity, 'u', 'u.id = s.user_id AND u.is_active')
      .where('s.id = :sessionId', { sessionId })
      .andWhere('s.revoked_at IS NULL AND s.expires_at > now()')
      .getOne();
  }

  /** Writes a refresh rotation (next generation, new token hash and expiry). */
  async rotate(
    sessionId: string,
    rotation: SessionRotation,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.getRepository(AuthSessionEntity).update({ id: sessionId }, rotation);
  }

  /** Revokes one session (now). */
  async revoke(sessionId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(AuthSessionEntity).update({ id: sessionId }, { revokedAt: new Date() });
  }

  /** Revokes the session whose current refresh token has this SHA-256 (none: nothing changes). */
  async revokeByRefreshTokenSha256(sha256: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(AuthSessionEntity).update({ refreshTokenSha256: sha256 }, { revokedAt: new Date() });
  }

  /** Revokes every live session of a user (deactivation, password change). */
  async revokeAllOfUser(userId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(`UPDATE auth_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [
      userId,
    ]);
  }

  /**
   * The caller of an access token: the user `userId` when session `sessionId` is theirs, neither revoked
   * nor expired, and the user is active; null otherwise.
   */
  async liveCaller(
    sessionId: string,
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<SessionCaller | null> {
    const rows: SessionCallerRow[] = await manager.query(
      `SELECT u.id, u.email, u.display_name, u.language FROM auth_session s JOIN app_user u ON u.id = s.user_id
        WHERE s.id = $1 AND u.id = $2 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.is_active`,
      [sessionId, userId],
    );
    return rows.length ? toSessionCaller(rows[0]) : null;
  }
}
