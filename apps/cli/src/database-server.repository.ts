import pg from 'pg';

/**
 * The PostgreSQL server's catalogue, read and changed through a connection to its maintenance
 * database (`postgres`) before the application's own database exists.
 */
export class DatabaseServerRepository {
  constructor(private readonly admin: pg.Client) {}

  /** Whether a database of this name exists on the server. */
  async exists(database: string): Promise<boolean> {
    const { rowCount } = await this.admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    return Boolean(rowCount);
  }

  /** Creates an empty database of this name (quoted: any name is safe). */
  async create(database: string): Promise<void> {
    await this.admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  }
}
