import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ActualEntity, buildDataSourceOptions } from '#libs/database';
import { ProgressReadRepository } from '#libs/progress';
import { createSimpleProject, createTestDatabase, type SimpleProject, type TestDatabase } from '#libs/testing';

/**
 * The report path reads actuals and their parts as plain rows (issue 14: no entity hydration). They
 * must carry exactly what the entities carried: calendar dates as 'YYYY-MM-DD', decimals as the
 * normalised strings of `decimalTransformer` (trailing zeros dropped, never exponent notation).
 */
describe('ProgressReadRepository plain rows (actuals to date and their parts)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let simple: SimpleProject;
  let reads: ProgressReadRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource(buildDataSourceOptions(db.url));
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    simple = await createSimpleProject(dataSource, {
      code: 'ROWS-1',
      endTarget: '100',
      targets: [{ start: '2026-01-01', end: '2026-12-31', value: '100' }],
      // Inserted out of period order; tiny and huge values.
      actuals: [
        { start: '2026-04-01', end: '2026-06-30', value: '12.5' },
        { start: '2026-01-01', end: '2026-03-31', value: '0.00000001' },
        { start: '2026-07-01', end: '2026-09-30', value: '1000000000000000000000' },
        { start: '2026-10-01', end: '2026-12-31', value: '0' },
      ],
    });
    // Stored with trailing zeros (as SQL or an import may write them; the entity transformer would trim them).
    await dataSource.query(
      `UPDATE actual SET value = CASE period_end WHEN '2026-06-30' THEN 12.500
              WHEN '2026-09-30' THEN 1000000000000000000000.0 WHEN '2026-12-31' THEN -0.000 ELSE value END
        WHERE indicator_series_id = $1`,
      [simple.indicator.stableId],
    );
    // Text and rating travel through the read's JSON: quotes, a backslash, control characters, non-ASCII.
    await dataSource.query(
      `UPDATE actual SET text = $2, rating = 'partly_achieved' WHERE indicator_series_id = $1 AND period_end = '2026-03-31'`,
      [simple.indicator.stableId, 'Said "yes" \\ — é\n\tdone \u0001'],
    );
    const [second] = await dataSource.query(
      `SELECT id FROM actual WHERE indicator_series_id = $1 AND period_end = '2026-06-30'`,
      [simple.indicator.stableId],
    );
    await dataSource.query(
      `INSERT INTO actual_disaggregation (actual_id, dimension, category, value)
       VALUES ($1, 'sex', 'male', 5.50), ($1, 'age', '18+', 7.000), ($1, 'sex', 'female', 7)`,
      [second.id],
    );
    reads = new ProgressReadRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('reads the actuals to a date in period order, with the values the entities carry', async () => {
    const rows = (await reads.actualsToDate([simple.indicator.stableId], '2026-09-30')).get(simple.indicator.stableId);
    expect(rows?.map((r) => [r.periodStart, r.periodEnd, r.value])).toEqual([
      ['2026-01-01', '2026-03-31', '0.00000001'],
      ['2026-04-01', '2026-06-30', '12.5'],
      ['2026-07-01', '2026-09-30', '1000000000000000000000'],
    ]);
    const entities = await dataSource
      .getRepository(ActualEntity)
      .find({ where: { indicatorSeriesId: simple.indicator.stableId }, order: { periodEnd: 'ASC' } });
    const all = (await reads.actualsToDate([simple.indicator.stableId], '2026-12-31')).get(simple.indicator.stableId);
    expect(all).toEqual(
      entities.map((e) => ({
        id: e.id,
        indicatorSeriesId: e.indicatorSeriesId,
        periodStart: e.periodStart,
        periodEnd: e.periodEnd,
        value: e.value,
        numerator: e.numerator,
        denominator: e.denominator,
        text: e.text,
        rating: e.rating,
      })),
    );
    expect(all?.at(-1)?.value).toBe('0');
    expect(all?.[0]).toMatchObject({ text: 'Said "yes" \\ — é\n\tdone \u0001', rating: 'partly_achieved' });
    // Calendar dates whatever the session's DateStyle.
    const underSqlStyle = await dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL datestyle = 'SQL, DMY'`);
      return reads.actualsToDate([simple.indicator.stableId], '2026-12-31', manager);
    });
    expect(underSqlStyle.get(simple.indicator.stableId)).toEqual(all);
    // Series without actuals to the date are absent; no series, no statement.
    expect((await reads.actualsToDate([simple.indicator.stableId], '2025-12-31')).size).toBe(0);
    expect((await reads.actualsToDate([], '2026-12-31')).size).toBe(0);
  });

  it('reads the parts of the actuals to a date by actual id, dimension then category', async () => {
    const parts = await reads.disaggregationsToDate([simple.indicator.stableId], '2026-12-31');
    expect(parts.size).toBe(1);
    expect([...parts.values()][0].map((p) => [p.dimension, p.category, p.value, p.numerator])).toEqual([
      ['age', '18+', '7', null],
      ['sex', 'female', '7', null],
      ['sex', 'male', '5.5', null],
    ]);
    // Actuals after the date bring no parts.
    expect((await reads.disaggregationsToDate([simple.indicator.stableId], '2026-03-31')).size).toBe(0);
  });
});
