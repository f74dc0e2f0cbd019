import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, QueryCounter } from '#libs/database';
import { indicatorNodes, LogframeReader, type LogframeTree } from '#libs/logframe';
import { createTestDatabase, type TestDatabase } from '#libs/testing';
import { seedPortfolio } from '../bench/portfolio.js';

/** Every row object of a tree (project, revision, elements, targets, links, assumptions). */
function treeRows(tree: LogframeTree): object[] {
  const nodes = indicatorNodes(tree);
  const outputs = [...tree.outcomes.flatMap((o) => o.outputs), ...tree.unlinkedOutputs];
  return [
    tree.project,
    tree.revision,
    ...tree.outcomes.flatMap((o) => [o.outcome, ...o.sdgLinks, ...o.assumptions]),
    ...outputs.flatMap((p) => [p.output, ...p.activities, ...p.sdgLinks, ...p.assumptions]),
    ...nodes.flatMap((n) => [n.indicator, ...n.periodTargets]),
    ...tree.projectSdgLinks,
    ...tree.projectAssumptions,
  ];
}

/**
 * Reports read the logframe tree as plain rows (issue 14: no entity hydration). The rows must carry
 * exactly what the entities of `loadTrees` carry (every column, decimals as the normalised strings of
 * `decimalTransformer`, calendar dates as 'YYYY-MM-DD', timestamps as Dates, jsonb and arrays parsed),
 * in the same tree, in the same order, with the same number of statements.
 */
describe('LogframeReader.loadPlainTrees (the tree as plain rows)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let counter: QueryCounter;
  let reader: LogframeReader;
  let revisionIds: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    counter = new QueryCounter();
    dataSource = new DataSource({ ...buildDataSourceOptions(db.url), logger: counter, logging: ['query'] });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await seedPortfolio(dataSource, 2);
    // Values the generator leaves empty or plain: trailing zeros and tiny/huge decimals, jsonb, arrays,
    // dates, an output without outcome, percentages with numerator/denominator.
    await dataSource.query(`UPDATE project SET budget_amount = 1500000.500, countries = '{KE,UG}', lnob_groups = '{youth}',
                                   budget_currency = 'USD', gender_marker = 2, iati_identifier = 'XM-1-' || code`);
    await dataSource.query(`UPDATE indicator SET baseline_numerator = 3.000, baseline_denominator = 0.00000001,
                                   baseline_date = '2023-06-30', baseline_due_date = '2024-01-31', end_target_numerator = 1000000000000000000000.0,
                                   end_target_denominator = -0.000, ordinal_scale = '{"min": "1", "max": "5", "labels": {"1": "none"}}',
                                   flags = '[{"code": "inferred_aggregation", "message": "Inferred"}]', iati_measure = 1, standard_indicator_id = NULL
                             WHERE position % 3 = 0`);
    await dataSource.query(`UPDATE period_target SET numerator = 45.50, denominator = 100, description = 'Half way', comment = 'é'
                             WHERE period_end = '2025-06-30'`);
    await dataSource.query(`UPDATE output SET outcome_id = NULL WHERE code = 'OP2'`);
    await dataSource.query(
      `UPDATE indicator SET outcome_id = NULL WHERE output_id IN (SELECT id FROM output WHERE outcome_id IS NULL)`,
    );
    await dataSource.query(`UPDATE logframe_revision SET justification = 'First', checklist = '{"ok": true}'`);
    reader = new LogframeReader(dataSource);
    revisionIds = (
      (await dataSource.query(`SELECT id FROM logframe_revision ORDER BY id DESC`)) as { id: string }[]
    ).map((r) => r.id);
  }, 120000);

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('gives the trees loadTrees gives, row for row, as plain objects, in as many statements', async () => {
    counter.reset();
    const entities = await reader.loadTrees(revisionIds);
    const entityStatements = counter.count;
    counter.reset();
    const plain = await reader.loadPlainTrees(revisionIds);
    expect(counter.count).toBe(entityStatements);
    expect(plain.map((t) => t.revision.id)).toEqual(revisionIds);
    // toEqual ignores the class: every column's value, the tree's shape and every list's order.
    expect(plain).toEqual(entities);
    expect(plain.map(treeRows).flat().length).toBe(entities.map(treeRows).flat().length);
    for (const row of plain.flatMap(treeRows)) expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });

  it('carries decimals, dates, timestamps, jsonb and arrays as the entities do', async () => {
    const [tree] = await reader.loadPlainTrees([revisionIds[0]]);
    expect(tree.project.budgetAmount).toBe('1500000.5');
    expect(tree.project.countries).toEqual(['KE', 'UG']);
    expect(tree.project.lnobGroups).toEqual(['youth']);
    expect(tree.project.createdAt).toBeInstanceOf(Date);
    expect(tree.revision.approvedAt).toBeInstanceOf(Date);
    expect(tree.revision.checklist).toEqual({ ok: true });
    expect('snapshot' in tree.revision).toBe(false);
    const marked = indicatorNodes(tree).find((n) => n.indicator.position % 3 === 0)!;
    expect(marked.indicator).toMatchObject({
      baselineNumerator: '3',
      baselineDenominator: '0.00000001',
      baselineDate: '2023-06-30',
      endTargetNumerator: '1000000000000000000000',
      endTargetDenominator: '0',
      ordinalScale: { min: '1', max: '5', labels: { '1': 'none' } },
      flags: [{ code: 'inferred_aggregation', message: 'Inferred' }],
      iatiMeasure: 1,
      requiredDisaggregations: expect.any(Array),
    });
    const target = marked.periodTargets.find((t) => t.periodEnd === '2025-06-30')!;
    expect(target).toMatchObject({ periodStart: '2024-07-01', numerator: '45.5', denominator: '100', comment: 'é' });
    expect(tree.unlinkedOutputs.length).toBeGreaterThan(0);
    expect(await reader.loadPlainTrees([])).toEqual([]);
  });
});
