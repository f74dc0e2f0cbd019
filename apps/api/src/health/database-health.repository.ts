import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** PostgreSQL as the health check sees it: connected, and answering a trivial query. */
@Injectable()
export class DatabaseHealthRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `SELECT 1`.
   * @throws Error when the DataSource has not connected yet (it connects in the background) or the query fails
   */
  async ping(): Promise<void> {
    if (!this.dataSource.isInitialized) throw new Error('not connected yet (connecting in the background)');
    await this.dataSource.query('SELECT 1');
  }
}
