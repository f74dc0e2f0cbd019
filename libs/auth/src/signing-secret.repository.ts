import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * The `signing_secret` table: secrets the service generates for itself. Outside production, when
 * JWT_SECRET is unset, the access-token secret is generated once (48 random bytes, base64url) and
 * kept here, so every API process on one database signs and verifies with the same secret and no
 * secret is ever written in the source. Production never reads this table (JWT_SECRET is required).
 */
@Injectable()
export class SigningSecretRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The secret called `name`: inserted if absent (a fresh random value), then read back, so of two
   * processes starting together both get the row that won the insert.
   */
  async obtain(name: string): Promise<string> {
    await this.dataSource.query(
      `INSERT INTO signing_secret (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
      [name, randomBytes(48).toString('base64url')],
    );
    const rows: { secret: string }[] = await this.dataSource.query(
      `SELECT secret FROM signing_secret WHERE name = $1`,
      [name],
    );
    return rows[0].secret;
  }
}
