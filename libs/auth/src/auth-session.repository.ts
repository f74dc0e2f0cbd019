import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuthSessionEntity, type Role, UserEntity } from '#libs/database';
import type { AssignmentCoverage } from './policy.repository.js';

/**
 * The signed-in caller of a live session: the user's id, email, name and report language, and their
 * role assignments with the org units each covers.
 */
export interface SessionCaller {
  id: string;
  email: string;
  displayName: string;
  language: string;
  /** In creation order; see {@link AssignmentCoverage}. */
  assignments: AssignmentCoverage[];
  /**
   * When the session expires, epoch milliseconds on this process's clock: the time the read started
   * plus the lifetime PostgreSQL's clock gave the session then (`expires_at - now()`, rounded down), so
   * a skewed host clock cannot keep an expired session alive, and never later than `expires_at`.
   */
  sessionExpiresAt: number;
  /**
   * The auth stamp read in the same statement ({@link AuthSessionRepository.authStamp}); null when
   * not every trigger that moves it is installed and enabled ({@link AUTH_STAMP_TRIGGER_COUNT}: code
   * started before migration 1765900000000 ran, or after it was reverted), so the caller must not be
   * kept.
   */
  authStamp: string | null;
}

interface SessionCallerRow {
  id: string;
  email: string;
  display_name: string;
  language: string;
  /** `expires_at - now()` in whole milliseconds (text: bigint). */
  expires_in_ms: string;
  auth_stamp: string;
  /** Whether every auth stamp trigger is installed and enabled. */
  stamped: boolean;
  /** json_agg of the assignments (parsed by pg). */
  assignments: {
    id: string;
    role: Role;
    org_unit_id: string | null;
    donor_id: string | null;
    unit_ids: string[] | null;
  }[];
}

const toSessionCaller = (row: SessionCallerRow, readAt: number): SessionCaller => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  language: row.language,
  assignments: row.assignments.map((a) => ({
    id: a.id,
    role: a.role,
    orgUnitId: a.org_unit_id,
    donorId: a.donor_id,
    unitIds: a.unit_ids ?? [],
  })),
  sessionExpiresAt: readAt + Number(row.expires_in_ms),
  authStamp: row.stamped ? row.auth_stamp : null,
});

/**
 * How many triggers move the auth stamp (`auth_stamp_*`, migration 1765900000000, its
 * `AUTH_STAMP_TRIGGERS`): a caller is kept only while all of them are installed and enabled.
 */
export const AUTH_STAMP_TRIGGER_COUNT = 11;

/**
 * The auth stamp: the `report_input_stamp` row (nil project, source `auth`) that every change to a
 * session, user, role assignment or org unit tree moves, at commit and with the change (migration
 * 1765900000000); `0` before the first change.
 */
const AUTH_STAMP_SQL = `coalesce((SELECT stamp FROM report_input_stamp
   WHERE project_id = '00000000-0000-0000-0000-000000000000' AND source = 'auth'
     AND revision_id = '00000000-0000-0000-0000-000000000000' AND period = 0), 0)::text`;

/**
 * Whether every trigger that moves the auth stamp is installed and enabled (a scan of `pg_trigger`,
 * about 0.1 ms, made only when a caller is read, never on a kept one's request; the function's oid is
 * looked up once, not per trigger row): without them the stamp would stay while callers change, and a
 * kept caller would be trusted forever.
 */
const AUTH_STAMPED_SQL = `(SELECT count(*) FROM pg_trigger t
   WHERE t.tgfoid = (SELECT to_regproc('auth_stamp_bump')::oid) AND t.tgenabled <> 'D') = ${AUTH_STAMP_TRIGGER_COUNT}`;

/**
 * The caller of a live session with their assignments, in one statement (one round trip when a
 * process has no valid cached caller for the session, see AuthService.authenticate), with the
 * session's remaining lifetime, the auth stamp of the same snapshot and whether the triggers moving it
 * are all in place: the session must be neither revoked nor expired and its user active (else
 * no row); each org unit assignment is expanded to its unit and every unit below it (recursive CTE over
 * `org_unit.parent_id`), in creation order.
 */
const LIVE_CALLER_SQL = `WITH RECURSIVE caller AS (
    SELECT u.id, u.email, u.display_name, u.language,
           floor(extract(epoch FROM s.expires_at - now()) * 1000)::bigint::text AS expires_in_ms
      FROM auth_session s JOIN app_user u ON u.id = s.user_id
     WHERE s.id = $1 AND u.id = $2 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.is_active
  ), covered(assignment_id, unit_id) AS (
    SELECT ra.id, ra.org_unit_id FROM role_assignment ra WHERE ra.user_id = $2 AND ra.org_unit_id IS NOT NULL
    UNION
    SELECT c.assignment_id, child.id FROM org_unit child JOIN covered c ON child.parent_id = c.unit_id
  )
  SELECT c.id, c.email, c.display_name, c.language, c.expires_in_ms, ${AUTH_STAMP_SQL} AS auth_stamp,
         ${AUTH_STAMPED_SQL} AS stamped,
         coalesce((SELECT json_agg(json_build_object('id', a.id, 'role', a.role, 'org_unit_id', a.org_unit_id,
                                                     'donor_id', a.donor_id, 'unit_ids', a.unit_ids) ORDER BY a.created_at)
                     FROM (SELECT ra.id, ra.role, ra.org_unit_id, ra.donor_id, ra.created_at,
                                  array_agg(cv.unit_id) FILTER (WHERE cv.unit_id IS NOT NULL) AS unit_ids
                             FROM role_assignment ra LEFT JOIN covered cv ON cv.assignment_id = ra.id
                            WHERE ra.user_id = c.id GROUP BY ra.id) a), '[]') AS assignments
    FROM caller c`;

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
   * The caller of an access token: the user `userId` with their role assignments and the org units each
   * covers, when session `sessionId` is theirs, neither revoked nor expired, and the user is active;
   * null otherwise; with the session's expiry and the auth stamp read in the same snapshot. One
   * statement ({@link LIVE_CALLER_SQL}).
   */
  async liveCaller(
    sessionId: string,
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<SessionCaller | null> {
    const readAt = Date.now();
    const rows: SessionCallerRow[] = await manager.query(LIVE_CALLER_SQL, [sessionId, userId]);
    return rows.length ? toSessionCaller(rows[0], readAt) : null;
  }

  /**
   * The auth stamp now (decimal text; `0` before the first change): equal to the one a
   * {@link liveCaller} read returned if and only if no session, user, role assignment or org unit
   * change that could alter a caller has committed since (migration 1765900000000). One primary-key
   * read.
   */
  async authStamp(manager: EntityManager = this.dataSource.manager): Promise<string> {
    const rows: { stamp: string }[] = await manager.query(`SELECT ${AUTH_STAMP_SQL} AS stamp`);
    return rows[0].stamp;
  }
}
