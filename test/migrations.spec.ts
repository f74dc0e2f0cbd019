import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '#libs/database';
import { createTestDatabase, type TestDatabase } from '#libs/testing';
import { ALL_MIGRATIONS } from '../migrations/index.js';

describe('migrations are the schema', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource(buildDataSourceOptions(db.url));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('runs every migration on an empty database and the entities need no further change', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual([
      'InitialSchema1764400000000',
      'AuthSessions1764500000000',
      'SessionReuseAndAssignmentShape1764600000000',
      'SigningSecret1764601000000',
      'SessionGeneration1764602000000',
      'ReportReach1764603000000',
      'ReportSuperseded1764713000000',
      'IatiExport1764916000000',
      'ReportFileRenderer1765000000000',
      'QuarterNarrative1765100000000',
      'ReportInputStamps1765500000000',
      'ReportFileLanguage1765600000000',
      'ReportInputStampsAtCommit1765800000000',
      'AuthStamp1765900000000',
      'ActualSeriesChangesIndex1765950000000',
      'LogframeReadHeadFunction1766000000000',
    ]);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('seeds the settings row version 1 with the DESIGN.md thresholds', async () => {
    const rows = await dataSource.query(
      'SELECT version, at_risk_from, on_track_from, exceeded_above, validation_cutoff_days FROM rbm_settings',
    );
    expect(rows).toEqual([
      { version: 1, at_risk_from: '50', on_track_from: '85', exceeded_above: '115', validation_cutoff_days: 30 },
    ]);
  });

  it('keeps the audit trail append-only', async () => {
    await dataSource.query(`INSERT INTO audit_event (action, entity_type) VALUES ('test', 'test')`);
    await expect(dataSource.query(`UPDATE audit_event SET action = 'rewritten'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
  });

  it('reads date columns as calendar-date strings, whatever the time zone', async () => {
    const [row] = await dataSource.query(`SELECT DATE '2026-10-01' AS d`);
    expect(row.d).toBe('2026-10-01');
  });

  it('reverts every migration', async () => {
    for (let i = 0; i < ALL_MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await dataSource.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations'`,
    );
    expect(tables[0].n).toBe(0);
  });
});
