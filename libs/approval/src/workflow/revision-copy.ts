import type { EntityManager } from 'typeorm';

/**
 * Copies every row of revision `from` into revision `to` (same stable ids, new row ids, parents
 * re-pointed through stable ids), with one INSERT … SELECT per table: a constant number of queries.
 */
export async function copyRevisionRows(m: EntityManager, from: string, to: string): Promise<void> {
  const sameStable = (table: string, column: string, alias: string) =>
    `(SELECT n.id FROM ${table} n JOIN ${table} o2 ON o2.stable_id = n.stable_id WHERE n.revision_id = $2 AND o2.id = ${alias}.${column})`;
  await m.query(
    `INSERT INTO outcome (id, revision_id, stable_id, code, statement, position) SELECT gen_random_uuid(), $2, stable_id, code, statement, position FROM outcome WHERE revision_id = $1`,
    [from, to],
  );
  await m.query(
    `INSERT INTO output (id, revision_id, stable_id, outcome_id, code, statement, position)
     SELECT gen_random_uuid(), $2, o.stable_id, ${sameStable('outcome', 'outcome_id', 'o')}, o.code, o.statement, o.position FROM output o WHERE o.revision_id = $1`,
    [from, to],
  );
  await m.query(
    `INSERT INTO activity (id, revision_id, stable_id, output_id, code, description, start_date, end_date, position)
     SELECT gen_random_uuid(), $2, a.stable_id, ${sameStable('output', 'output_id', 'a')}, a.code, a.description, a.start_date, a.end_date, a.position FROM activity a WHERE a.revision_id = $1`,
    [from, to],
  );
  await m.query(
    `INSERT INTO indicator (id, revision_id, stable_id, level, outcome_id, output_id, code, title, definition, measure, iati_measure, unit, direction, aggregation, ordinal_scale,
       baseline_value, baseline_numerator, baseline_denominator, baseline_year, baseline_date, baseline_comment, baseline_not_available_reason, baseline_due_date,
       end_target_value, end_target_numerator, end_target_denominator, end_target_description, means_of_verification, data_source, collection_frequency,
       required_disaggregations, standard_indicator_id, sdg_indicator_code, flags, position)
     SELECT gen_random_uuid(), $2, i.stable_id, i.level, ${sameStable('outcome', 'outcome_id', 'i')}, ${sameStable('output', 'output_id', 'i')}, i.code, i.title, i.definition, i.measure, i.iati_measure, i.unit, i.direction, i.aggregation, i.ordinal_scale,
       i.baseline_value, i.baseline_numerator, i.baseline_denominator, i.baseline_year, i.baseline_date, i.baseline_comment, i.baseline_not_available_reason, i.baseline_due_date,
       i.end_target_value, i.end_target_numerator, i.end_target_denominator, i.end_target_description, i.means_of_verification, i.data_source, i.collection_frequency,
       i.required_disaggregations, i.standard_indicator_id, i.sdg_indicator_code, i.flags, i.position
     FROM indicator i WHERE i.revision_id = $1`,
    [from, to],
  );
  await m.query(
    `INSERT INTO period_target (id, indicator_id, period_start, period_end, value, numerator, denominator, description, comment)
     SELECT gen_random_uuid(), n.id, t.period_start, t.period_end, t.value, t.numerator, t.denominator, t.description, t.comment
       FROM period_target t JOIN indicator i ON i.id = t.indicator_id AND i.revision_id = $1 JOIN indicator n ON n.stable_id = i.stable_id AND n.revision_id = $2`,
    [from, to],
  );
  await m.query(
    `INSERT INTO period_target_disaggregation (id, period_target_id, dimension, category, value, numerator, denominator)
     SELECT gen_random_uuid(), nt.id, d.dimension, d.category, d.value, d.numerator, d.denominator
       FROM period_target_disaggregation d JOIN period_target t ON t.id = d.period_target_id JOIN indicator i ON i.id = t.indicator_id AND i.revision_id = $1
       JOIN indicator n ON n.stable_id = i.stable_id AND n.revision_id = $2 JOIN period_target nt ON nt.indicator_id = n.id AND nt.period_start = t.period_start AND nt.period_end = t.period_end`,
    [from, to],
  );
  await m.query(
    `INSERT INTO sdg_link (id, revision_id, outcome_id, output_id, sdg_target_code, contribution, rationale, source)
     SELECT gen_random_uuid(), $2, ${sameStable('outcome', 'outcome_id', 'l')}, ${sameStable('output', 'output_id', 'l')}, l.sdg_target_code, l.contribution, l.rationale, l.source FROM sdg_link l WHERE l.revision_id = $1`,
    [from, to],
  );
  await m.query(
    `INSERT INTO assumption (id, revision_id, stable_id, outcome_id, output_id, kind, statement, likelihood, impact, mitigation, position)
     SELECT gen_random_uuid(), $2, a.stable_id, ${sameStable('outcome', 'outcome_id', 'a')}, ${sameStable('output', 'output_id', 'a')}, a.kind, a.statement, a.likelihood, a.impact, a.mitigation, a.position FROM assumption a WHERE a.revision_id = $1`,
    [from, to],
  );
}
