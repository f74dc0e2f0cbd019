import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { UserEntity } from './user.entity.js';

/**
 * A signed-in session: the refresh token (stored as its SHA-256, never in clear) and its expiry.
 * Access tokens carry the session id; a revoked session (logout, deactivated user) stops them at once.
 * Each refresh rotates the token: the previous one no longer works.
 */
@Entity({ name: 'auth_session' })
export class AuthSessionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column({ type: 'uuid' }) userId: string;
  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: Relation<UserEntity>;
  @Index({ unique: true }) @Column({ type: 'char', length: 64 }) refreshTokenSha256: string;
  /** The refresh token this one replaced: presenting it again is a reuse, and ends the session. */
  @Index() @Column({ type: 'char', length: 64, nullable: true }) previousRefreshTokenSha256: string | null;
  @Column({ type: 'timestamptz' }) expiresAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
