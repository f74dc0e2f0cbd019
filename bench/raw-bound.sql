-- The raw-SQL bound of the report bench (bench/bench.ts runs it for 2026-Q3; from ../shared/perf/rawsql.sql).
-- Raw-SQL lower bound: for quarter 2026-Q3 (end 2026-09-30), every indicator of every project's revision
-- in force (latest approved): evaluation date (latest actual period end <= quarter end), actual to date
-- (sum: total of values; latest: latest value), target to date (sum: total of period targets ended by the
-- evaluation date; latest: latest such target), this quarter's actual, and achievement % (b = 0 for sum,
-- baseline for latest). Reads the same rows as the reports (all actuals to date, all period targets).
WITH rif AS (
  SELECT DISTINCT ON (project_id) id, project_id FROM logframe_revision WHERE status = 'approved' ORDER BY project_id, number DESC
), ind AS (
  SELECT i.id, i.stable_id, i.aggregation, i.baseline_value, rif.project_id FROM indicator i JOIN rif ON i.revision_id = rif.id
), act AS (
  SELECT ind.id, max(a.period_end) AS eval_date, sum(a.value) AS total,
         (array_agg(a.value ORDER BY a.period_end DESC, a.period_start DESC))[1] AS latest,
         sum(a.value) FILTER (WHERE a.period_end >= DATE '2026-07-01') AS this_quarter
  FROM ind JOIN actual a ON a.indicator_series_id = ind.stable_id AND a.period_end <= DATE '2026-09-30'
  GROUP BY ind.id
), tgt AS (
  SELECT act.id, sum(t.value) AS total, (array_agg(t.value ORDER BY t.period_end DESC, t.period_start DESC))[1] AS latest
  FROM act JOIN period_target t ON t.indicator_id = act.id AND t.period_end <= act.eval_date
  GROUP BY act.id
)
SELECT ind.project_id, ind.id AS indicator_id, act.eval_date,
       CASE ind.aggregation WHEN 'sum' THEN act.total ELSE act.latest END AS actual_to_date,
       CASE ind.aggregation WHEN 'sum' THEN tgt.total ELSE tgt.latest END AS target_to_date,
       act.this_quarter,
       round(100 * (CASE ind.aggregation WHEN 'sum' THEN act.total ELSE act.latest END - CASE ind.aggregation WHEN 'sum' THEN 0 ELSE ind.baseline_value END)
             / nullif(CASE ind.aggregation WHEN 'sum' THEN tgt.total ELSE tgt.latest END - CASE ind.aggregation WHEN 'sum' THEN 0 ELSE ind.baseline_value END, 0), 1) AS achievement_pct
FROM ind LEFT JOIN act ON act.id = ind.id LEFT JOIN tgt ON tgt.id = ind.id
ORDER BY ind.project_id, ind.id
