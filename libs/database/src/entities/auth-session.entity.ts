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
 * Each refresh rotates the token: every earlier one no longer works, and presenting one ends the session.
 */
@Entity({ name: 'auth_session' })
export class AuthSessionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column({ type: 'uuid' }) userId: string;
  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: Relation<UserEntity>;
  @Index({ unique: true }) @Column({ type: 'char', length: 64 }) refreshTokenSha256: string;
  /**
   * Rotations of the session's refresh token: the current token carries this number; presenting a
   * token of an older generation is a reuse and ends the session (however many rotations ago).
   */
  @Column({ type: 'integer', default: 0 }) generation: number;
  @Column({ type: 'timestamptz' }) expiresAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
