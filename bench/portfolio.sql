-- RBM Tracker portfolio generator (bench/portfolio.ts runs it; never by hand on a real database).
-- Set-based SQL on a database that is migrated, has the SDG framework and the demo users; the runner
-- replaces {{projects}} with the portfolio size, runs the whole file as one transaction, then stores
-- each approved revision's snapshot with the product's own code and runs VACUUM ANALYZE.
-- Ported from ../shared/perf/seed.sql (written against the initial migration); adapted to the
-- current migrations: update this file whenever a migration changes a table it fills.
--
-- Per project: 3 outcomes x (2 outcome indicators + 3 outputs x 6 output indicators) = 60 indicators,
-- 27 activities, 12 assumptions/risks, 4 SDG links; 5 annual period targets per indicator (project
-- years Jul-Jun), 40 monthly actuals per indicator (2023-07 .. 2026-10) = 2,400 actuals;
-- logframe revision 1 approved (submitted by the manager, approved by the focal point);
-- progress quarters 2023-Q3 .. 2026-Q3 validated (13) with outcome ratings, 6 explanations of
-- variance and 12 assumption updates each; 2026-Q4 draft. The report quarter is 2026-Q3 (the quarter
-- the daily schedule finds due on 2026-11-30 with the 30-day cut-off).
-- Mix: idx%5=0 percentage/latest (numerator+denominator); idx%5=1 number/latest (running total);
-- otherwise number/sum. Per-indicator performance factor f in [0.35, 1.35) -> a spread of statuses.
-- Pseudo-random values are md5-based on (project number, indicator index, ...) so project p has the
-- same data at every portfolio size.
SET client_min_messages = warning;
SET synchronous_commit = off;

CREATE FUNCTION pg_temp.r(t text) RETURNS double precision LANGUAGE sql IMMUTABLE AS
$$ SELECT ('x' || substr(md5(t), 1, 8))::bit(32)::bigint / 4294967296.0 $$;

CREATE TEMP TABLE ctx AS SELECT
  (SELECT id FROM app_user WHERE email = 'manager@demo.rbm') AS mgr,
  (SELECT id FROM app_user WHERE email = 'focal@demo.rbm') AS focal,
  (SELECT id FROM org_unit WHERE code = 'HQ') AS hq;

-- Org units: 5 regional offices, 50 country offices below HQ (the focal point at HQ covers them all).
INSERT INTO org_unit (code, name, type, parent_id, country_codes, version)
SELECT 'PF-RO' || r, 'Regional office ' || r, 'regional_office', ctx.hq, '{}', 1 FROM ctx, generate_series(1, 5) r;
INSERT INTO org_unit (code, name, type, parent_id, country_codes, version)
SELECT 'PF-CO' || lpad(c::text, 2, '0'), 'Country office ' || c, 'country_office',
       (SELECT id FROM org_unit WHERE code = 'PF-RO' || (1 + (c - 1) / 10)),
       ARRAY[chr(65 + c % 26) || chr(65 + (c / 26) % 26)]::varchar(2)[], 1
FROM generate_series(1, 50) c;
INSERT INTO donor (name, iati_org_ref, version) SELECT 'Donor ' || d, 'XM-PF-' || d, 1 FROM generate_series(1, 10) d;
INSERT INTO programme (code, title, scope, org_unit_id, start_date, end_date, version)
SELECT 'PF-PG' || lpad(g::text, 2, '0'), 'Programme ' || g || ': resilient livelihoods and inclusive services', 'global', ctx.hq, '2023-01-01', '2030-12-31', 1
FROM ctx, generate_series(1, 20) g;

CREATE TEMP TABLE ref AS SELECT
  (SELECT array_agg(id ORDER BY code) FROM org_unit WHERE code LIKE 'PF-CO%') AS offices,
  (SELECT array_agg(id ORDER BY iati_org_ref) FROM donor WHERE iati_org_ref LIKE 'XM-PF-%') AS donors,
  (SELECT array_agg(id ORDER BY code) FROM programme WHERE code LIKE 'PF-PG%') AS programmes,
  (SELECT array_agg(code ORDER BY position, code) FROM sdg_target) AS targets;

-- Projects and their approved revision 1.
CREATE TEMP TABLE tp AS SELECT p, gen_random_uuid() AS id, gen_random_uuid() AS rev FROM generate_series(1, {{projects}}) p;
INSERT INTO project (id, code, title, description, programme_id, org_unit_id, countries, start_date, end_date, budget_amount, budget_currency,
                     theory_of_change, gender_marker, human_rights_marker, lnob_groups, provenance, created_by_id, version)
SELECT tp.id, 'PF-' || lpad(p::text, 5, '0'),
       'Strengthening resilient livelihoods and inclusive basic services in district cluster ' || p,
       'The project supports local governments, communities and service providers to deliver inclusive, climate-resilient basic services and livelihoods for the most vulnerable households. ' || repeat('It works through partners at national and sub-national level. ', 3),
       ref.programmes[1 + (p - 1) % 20], ref.offices[1 + (p - 1) % 50], ARRAY['KE', 'UG']::varchar(2)[], '2023-07-01', '2028-06-30',
       (2000000 + (p % 97) * 50000)::numeric, 'USD',
       'If local institutions have the capacity and resources to plan and deliver inclusive services, and communities can hold them to account, then vulnerable households will have sustained access to services and livelihoods, because ... ' || repeat('(assumption chain) ', 10),
       1, 1, '{women,youth,persons_with_disabilities}', 'entered', ctx.mgr, 3
FROM tp, ctx, ref;
INSERT INTO funding_agreement (project_id, donor_id, amount, currency, start_date, end_date, version)
SELECT tp.id, ref.donors[1 + (p - 1) % 10], 1500000, 'USD', '2023-07-01', '2028-06-30', 1 FROM tp, ref;
INSERT INTO funding_agreement (project_id, donor_id, amount, currency, start_date, end_date, version)
SELECT tp.id, ref.donors[1 + (p + 3) % 10], 700000, 'USD', '2023-07-01', '2028-06-30', 1 FROM tp, ref WHERE p % 2 = 0;
INSERT INTO logframe_revision (id, project_id, number, status, submitted_by_id, submitted_at, approved_by_id, approved_at, checklist, version)
SELECT tp.rev, tp.id, 1, 'approved', ctx.mgr, '2023-06-20 10:00+00', ctx.focal, '2023-06-25 10:00+00', '{"passed": true, "blocking": [], "warnings": []}', 5
FROM tp, ctx;
INSERT INTO logframe_revision_editor (revision_id, user_id) SELECT tp.rev, ctx.mgr FROM tp, ctx;

-- Outcomes (3), outputs (3 per outcome), activities (3 per output).
CREATE TEMP TABLE toc AS SELECT tp.p, tp.rev, o, gen_random_uuid() AS id, gen_random_uuid() AS sid FROM tp, generate_series(1, 3) o;
INSERT INTO outcome (id, revision_id, stable_id, code, statement, position)
SELECT id, rev, sid, 'OC' || o, 'Outcome ' || o || ': vulnerable households in target districts use inclusive, climate-resilient basic services and diversified livelihoods', o FROM toc;
CREATE TEMP TABLE top AS SELECT toc.p, toc.rev, toc.o, toc.id AS oc_id, (toc.o - 1) * 3 + k AS m, gen_random_uuid() AS id, gen_random_uuid() AS sid FROM toc, generate_series(1, 3) k;
INSERT INTO output (id, revision_id, stable_id, outcome_id, code, statement, position)
SELECT id, rev, sid, oc_id, 'OP' || m, 'Output ' || m || ': local service providers have the skills, tools and funding to deliver quality services to all groups', m FROM top;
INSERT INTO activity (revision_id, stable_id, output_id, code, description, start_date, end_date, position)
SELECT rev, gen_random_uuid(), id, 'A' || m || '.' || a, 'Activity ' || m || '.' || a || ': train and equip district staff and community committees; monitor service delivery', '2023-07-01', '2027-12-31', a
FROM top, generate_series(1, 3) a;

-- Indicators: idx 1..6 outcome indicators (2 per outcome), 7..60 output indicators (6 per output).
CREATE TEMP TABLE ti AS
SELECT toc.p, toc.rev, (toc.o - 1) * 2 + j AS idx, 'outcome'::indicator_level AS level, toc.id AS oc_id, NULL::uuid AS op_id, 'OC' || toc.o || '.' || j AS code, toc.o AS grp
FROM toc, generate_series(1, 2) j
UNION ALL
SELECT top.p, top.rev, 6 + (top.m - 1) * 6 + j, 'output', NULL, top.id, 'OP' || top.m || '.' || j, top.m
FROM top, generate_series(1, 6) j;
ALTER TABLE ti ADD COLUMN id uuid DEFAULT gen_random_uuid(), ADD COLUMN sid uuid DEFAULT gen_random_uuid(),
  ADD COLUMN kind text, ADD COLUMN f double precision, ADD COLUMN b numeric, ADD COLUMN e numeric, ADD COLUMN pid uuid;
UPDATE ti SET kind = CASE WHEN idx % 5 = 0 THEN 'pct' WHEN idx % 5 = 1 THEN 'latest' ELSE 'sum' END,
              f = 0.35 + pg_temp.r(p || ':' || idx || ':f');
UPDATE ti SET pid = tp.id FROM tp WHERE tp.p = ti.p;
UPDATE ti SET b = CASE kind WHEN 'pct' THEN round((30 + 20 * pg_temp.r(p || ':' || idx || ':b'))::numeric, 1)
                            WHEN 'latest' THEN round((20 * pg_temp.r(p || ':' || idx || ':b'))::numeric)
                            ELSE 0 END;
UPDATE ti SET e = CASE kind WHEN 'pct' THEN 80
                            WHEN 'latest' THEN b + 50 + round((150 * pg_temp.r(p || ':' || idx || ':e'))::numeric)
                            ELSE 5 * round((120 + 480 * pg_temp.r(p || ':' || idx || ':e'))::numeric) END;
CREATE INDEX ON ti (p, idx);
ANALYZE ti;

INSERT INTO indicator_series (id, project_id) SELECT sid, pid FROM ti;
INSERT INTO indicator (id, revision_id, stable_id, level, outcome_id, output_id, code, title, definition, measure, unit, direction, aggregation,
                       baseline_value, baseline_year, baseline_comment, end_target_value, means_of_verification, data_source, collection_frequency,
                       required_disaggregations, sdg_indicator_code, flags, position)
SELECT ti.id, ti.rev, ti.sid, ti.level, ti.oc_id, ti.op_id, ti.code,
       CASE kind WHEN 'pct' THEN 'Percentage of targeted households with year-round access to the service (' || ti.code || ')'
                 WHEN 'latest' THEN 'Number of communities with an approved and funded local action plan (cumulative, ' || ti.code || ')'
                 ELSE 'Number of people (women, men, youth) reached with the service in the period (' || ti.code || ')' END,
       'Counted from the partner registers and verified quarterly by the field monitoring team; definitions as in the M&E plan.',
       CASE WHEN kind = 'pct' THEN 'percentage' ELSE 'number' END::measure,
       CASE kind WHEN 'pct' THEN '%' WHEN 'latest' THEN 'communities' ELSE 'people' END,
       'increase', CASE WHEN kind = 'sum' THEN 'sum' ELSE 'latest' END::aggregation,
       ti.b, 2022, 'Baseline survey of June 2023', ti.e,
       'Partner quarterly reports; field monitoring visit reports; household survey (annual)', 'Project M&E database', 'quarterly',
       CASE WHEN kind = 'sum' THEN '{sex}' ELSE '{}' END::varchar(40)[], CASE WHEN ti.level = 'outcome' AND ti.idx % 2 = 1 THEN (SELECT min(code) FROM sdg_indicator WHERE target_code = ref.targets[1 + (ti.p * 3 + ti.grp) % 169]) END,
       '[]', ti.idx
FROM ti, ref;

-- SDG links: one primary per outcome, one secondary at project level.
INSERT INTO sdg_link (revision_id, outcome_id, sdg_target_code, contribution, rationale, source)
SELECT toc.rev, toc.id, ref.targets[1 + (toc.p * 3 + toc.o) % 169], 'primary', 'The outcome directly contributes to the target through improved service coverage.', 'entered' FROM toc, ref;
INSERT INTO sdg_link (revision_id, sdg_target_code, contribution, rationale, source)
SELECT tp.rev, ref.targets[1 + (tp.p * 7) % 169], 'primary', 'Indirect contribution through local governance.', 'entered' FROM tp, ref
WHERE ref.targets[1 + (tp.p * 7) % 169] NOT IN (SELECT l.sdg_target_code FROM sdg_link l WHERE l.revision_id = tp.rev);

-- Assumptions (1 per outcome) and risks (1 per output).
CREATE TEMP TABLE ta AS
SELECT toc.p, toc.rev, toc.id AS oc_id, NULL::uuid AS op_id, 'assumption'::assumption_kind AS kind, toc.o AS pos, gen_random_uuid() AS sid FROM toc
UNION ALL
SELECT top.p, top.rev, NULL, top.id, 'risk', 3 + top.m, gen_random_uuid() FROM top;
INSERT INTO assumption (revision_id, stable_id, outcome_id, output_id, kind, statement, likelihood, impact, mitigation, position)
SELECT rev, sid, oc_id, op_id, kind,
       CASE kind WHEN 'assumption' THEN 'District governments keep allocating recurrent budget to the services once project funding ends'
                 ELSE 'Insecurity or extreme weather prevents field teams from reaching target communities for part of the year' END,
       CASE WHEN kind = 'risk' THEN 'medium' END::likelihood, CASE WHEN kind = 'risk' THEN 'high' END::likelihood,
       CASE WHEN kind = 'risk' THEN 'Remote monitoring through community focal points; contingency stock pre-positioned' END, pos
FROM ta;

-- Period targets: 5 annual project-year targets per indicator.
INSERT INTO period_target (indicator_id, period_start, period_end, value)
SELECT ti.id, (date '2023-07-01' + make_interval(years => y - 1))::date, (date '2023-07-01' + make_interval(years => y) - interval '1 day')::date,
       CASE kind WHEN 'sum' THEN round(ti.e / 5) ELSE trim_scale(round(ti.b + (ti.e - ti.b) * y / 5, 1)) END
FROM ti, generate_series(1, 5) y;

-- Actuals: 40 monthly values per indicator, 2023-07 .. 2026-10.
INSERT INTO actual (indicator_series_id, period_start, period_end, value, numerator, denominator, comment, provenance, entered_by_id, version)
SELECT ti.sid, (date '2023-07-01' + make_interval(months => m - 1))::date, (date '2023-07-01' + make_interval(months => m) - interval '1 day')::date,
       CASE kind WHEN 'sum' THEN round(ti.e / 60 * ti.f * (0.7 + 0.6 * pg_temp.r(ti.p || ':' || ti.idx || ':' || m))::numeric)
                 WHEN 'latest' THEN ti.b + round((ti.e - ti.b) * (ti.f * m / 60)::numeric)
                 ELSE trim_scale(round(x.num * 100.0 / x.den, 10)) END,
       CASE WHEN kind = 'pct' THEN x.num END, CASE WHEN kind = 'pct' THEN x.den END,
       CASE WHEN m % 10 = 0 THEN 'Verified during the field monitoring visit; partner register reconciled.' END,
       'entered', ctx.mgr, 1
FROM ti CROSS JOIN ctx CROSS JOIN generate_series(1, 40) m
CROSS JOIN LATERAL (SELECT d AS den, least(d, round((d * (ti.b + (ti.e - ti.b) * ti.f * m / 60) / 100)::numeric)) AS num
                    FROM (SELECT (200 + round(300 * pg_temp.r(ti.p || ':' || ti.idx || ':d' || m)::numeric)) AS d) dd) x;

-- Quarterly progress: 2023-Q3 .. 2026-Q3 validated, 2026-Q4 draft.
CREATE TEMP TABLE tq AS SELECT tp.p, tp.id AS pid, y, q, gen_random_uuid() AS id,
  (y * 4 + q) <= (2026 * 4 + 3) AS done
FROM tp, (SELECT 2023 + (n + 2) / 4 AS y, 1 + (n + 2) % 4 AS q FROM generate_series(0, 13) n) qq;
INSERT INTO progress_report (id, project_id, year, quarter, status, submitted_by_id, submitted_at, validated_by_id, validated_at, restated, version)
SELECT tq.id, tq.pid, y, q, CASE WHEN done THEN 'validated' ELSE 'draft' END::progress_status,
       CASE WHEN done THEN ctx.mgr END, CASE WHEN done THEN make_date(y, q * 3, 1) + interval '40 days' END,
       CASE WHEN done THEN ctx.focal END, CASE WHEN done THEN make_date(y, q * 3, 1) + interval '50 days' END, false, CASE WHEN done THEN 3 ELSE 1 END
FROM tq, ctx;
INSERT INTO outcome_rating (progress_report_id, outcome_stable_id, rating, justification)
SELECT tq.id, toc.sid, (ARRAY['on_track', 'at_risk', 'off_track'])[1 + floor(3 * pg_temp.r(tq.p || ':' || tq.y || tq.q || ':' || toc.o))::int]::outcome_rating_value,
       'Most output indicators are on track; the household survey shows improved access, but two districts lag because of flooding in the quarter.'
FROM tq JOIN toc ON toc.p = tq.p WHERE tq.done;
INSERT INTO variance_explanation (progress_report_id, indicator_series_id, explanation)
SELECT tq.id, ti.sid, 'Below target because the rainy season delayed field activities in two districts; catch-up plan agreed with partners for next quarter.'
FROM tq JOIN ti ON ti.p = tq.p WHERE tq.done AND ti.idx % 10 = (tq.y * 4 + tq.q) % 10;
INSERT INTO assumption_update (project_id, assumption_stable_id, year, quarter, status, note, created_by_id)
SELECT tq.pid, ta.sid, tq.y, tq.q, (ARRAY['holds', 'holds', 'holds', 'at_risk', 'mitigated'])[1 + floor(5 * pg_temp.r(tq.p || ':' || tq.y || tq.q || ':' || ta.pos))::int],
       'Reviewed at the quarterly partner meeting.', ctx.mgr
FROM tq JOIN ta ON ta.p = tq.p CROSS JOIN ctx WHERE tq.done;
