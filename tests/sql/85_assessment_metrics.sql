-- account: postgres
-- Every computed item of the assessment (考核评分, schema/functions/
-- 73_assessment.sql) against a count made by hand on a small world built
-- here (85_assessment_fixture.inc: a third district, the period 2025Q1 up
-- to the cut-off 2025-02-08 00:00 +08, across the Spring Festival, with a
-- reopened case): the basis (counted/of), value and score of each town and
-- village, the totals and ranks, and the records that explain a score.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(45);
\ir 85_assessment_fixture.inc

SELECT is(:'c3_due'::timestamptz, '2025-02-07 17:30+08'::timestamptz,
          'C3''s deadline: three working days from 01-27 skip the Spring Festival');
SELECT is((SELECT count(*)::int FROM assessment_unit WHERE assessment_id = :kq_a), 5,
          'two towns and three villages are assessed');
SELECT is((SELECT count(*)::int FROM assessment_item WHERE assessment_id = :kq_a), 12,
          'the default rules: eleven computed items and one manual');
SELECT is((SELECT sum(max_points) FROM assessment_item WHERE assessment_id = :kq_a), 100.00::numeric,
          'the default rules total 100 points');

-- 按时办结率: resolved in the period, by the deadline.
SELECT is((pg_temp.kq('KQT1V1', 'ontime')).basis, '3/4', 'on time, 一村: C1, C3 (across the holiday), C5 of C1, C2, C3, C5');
SELECT is((pg_temp.kq('KQT1V1', 'ontime')).score, 11.25::numeric, 'on time, 一村: 15 × 75 % = 11.25');
SELECT is((pg_temp.kq('KQT1V2', 'ontime')).basis, '1/1', 'on time, 二村: C8, recorded before the period, resolved in it');
SELECT is((pg_temp.kq('KQT1', 'ontime')).basis, '5/6', 'on time, the town: its villages'' and C9 assigned to it');
SELECT is((pg_temp.kq('KQT2V1', 'ontime')).basis, NULL, 'on time, 三社区: C7 was resolved after the cut-off');
SELECT is((pg_temp.kq('KQT2V1', 'ontime')).score, 15.00::numeric, 'no record: full points');
-- 办结率: recorded in the period (not withdrawn), resolved by the cut-off.
SELECT is((pg_temp.kq('KQT1V1', 'resolve')).basis, '4/5', 'resolved, 一村: C4 reopened is not, C6 withdrawn not counted');
SELECT is((pg_temp.kq('KQT2V1', 'resolve')).basis, '0/1', 'resolved, 三社区: C7 only after the cut-off');
SELECT is((pg_temp.kq('KQT2V1', 'resolve')).score, 0.00::numeric, 'resolved, 三社区: 0 points');
SELECT is((pg_temp.kq('KQT1', 'resolve')).basis, '5/6', 'resolved, the town: 一村''s five and C9');
-- 满意率: judgements in the period.
SELECT is((pg_temp.kq('KQT1V1', 'satisfy')).basis, '2/3', 'satisfaction, 一村: C1 basically, C5 satisfied, C4 reopened');
SELECT is((pg_temp.kq('KQT1V1', 'satisfy')).score, 10.00::numeric, 'satisfaction, 一村: 15 × 66.67 % = 10.00');
SELECT is((pg_temp.kq('KQT2V1', 'satisfy')).basis, NULL, 'satisfaction, 三社区: C7 judged after the cut-off');
-- 走访覆盖率: rural households visited in the twelve months, target 80 %.
SELECT is((pg_temp.kq('KQT1V1', 'visits')).basis, '2/3', 'visits, 一村: H1, and H3 by its visit before the cut-off');
SELECT is((pg_temp.kq('KQT1V1', 'visits')).score, 12.50::numeric, 'visits, 一村: 15 × 66.67/80 = 12.50');
SELECT is((pg_temp.kq('KQT2V1', 'visits')).basis, NULL, 'visits: a community''s households are not counted');
-- 村情档案更新: sections saved within twelve months before the cut-off.
SELECT is((pg_temp.kq('KQT1V1', 'archive')).basis, '1/8', 'archive, 一村: section 1 only (2 stale, 3 after)');
SELECT is((pg_temp.kq('KQT1V1', 'archive')).score, 0.63::numeric, 'archive, 一村: 5 × 12.5 % = 0.63');
SELECT is((pg_temp.kq('KQT1', 'archive')).basis, '1/16', 'archive, the town: two villages'' sixteen sections');
-- 户情档案更新
SELECT is((pg_temp.kq('KQT1V1', 'memo')).basis, '2/3', 'memos, 一村: H1, and H3 by its revision before the cut-off');
SELECT is((pg_temp.kq('KQT2V1', 'memo')).basis, '0/1', 'memos, 三社区: H4 has none');
-- 党员联户覆盖率
SELECT is((pg_temp.kq('KQT1V1', 'links')).basis, '1/3', 'links, 一村: H1');
SELECT is((pg_temp.kq('KQT2', 'links')).basis, '0/1', 'links, the street: H4 has none');
-- 红色预警扣分: 2 points a red warning, of 5.
SELECT is((pg_temp.kq('KQT1V1', 'red')).basis, '1', 'red warnings, 一村: C2''s (its orange one not)');
SELECT is((pg_temp.kq('KQT1V1', 'red')).score, 3.00::numeric, 'red warnings, 一村: 5 - 2 = 3');
SELECT is((pg_temp.kq('KQT2V1', 'red')).score, 5.00::numeric, 'red warnings, 三社区: C7''s came after the cut-off');
-- 民情恳谈会: villages that held a meeting and reviewed it.
SELECT is((pg_temp.kq('KQT1V2', 'meetings')).basis, '0/1', 'meetings, 二村: held, not reviewed');
SELECT is((pg_temp.kq('KQT1', 'meetings')).score, 2.50::numeric, 'meetings, the town: 1 of 2 villages, 2.5 points');
-- 志愿者参与率
SELECT is((pg_temp.kq('KQT1V1', 'volunteer')).basis, '1/2', 'volunteers, 一村: 甲 attended, 乙 not');
SELECT is((pg_temp.kq('KQT2V1', 'volunteer')).basis, '0/1', 'volunteers, 三社区: 丙 after the cut-off');
-- 定期登录: working days with a login, the holiday calendar's.
SELECT is((pg_temp.kq('KQT1V1', 'logins')).basis, '3/22', 'logins, 一村: 3 of 22 working days (01-29 a holiday)');
SELECT is((pg_temp.kq('KQT1V1', 'logins')).score, 0.68::numeric, 'logins, 一村: 5 × 13.64 % = 0.68');
SELECT is((pg_temp.kq('KQT1', 'logins')).basis, '5/44', 'logins, the town: its handler''s 2 and 一村''s 3');
-- Manual items wait for a score.
SELECT is((pg_temp.kq('KQT1V1', 'special')).score, NULL, 'the manual item has no score until adjusted');

-- Totals and ranks follow the scores.
SELECT is((SELECT total FROM assessment_unit u JOIN org_unit o USING (unit_id) WHERE u.assessment_id = :kq_a AND o.code = 'KQT1V1'),
          (SELECT sum(score) FROM assessment_score s JOIN org_unit o USING (unit_id)
            WHERE s.assessment_id = :kq_a AND o.code = 'KQT1V1'),
          'a unit''s total is the sum of its scores');
SELECT is((SELECT array_agg(o.code ORDER BY u.rank) FROM assessment_unit u JOIN org_unit o USING (unit_id)
            WHERE u.assessment_id = :kq_a AND u.level = 'town'),
          (SELECT array_agg(o.code ORDER BY u.total DESC) FROM assessment_unit u JOIN org_unit o USING (unit_id)
            WHERE u.assessment_id = :kq_a AND u.level = 'town'),
          'towns are ranked by their totals');
SELECT matches((pg_temp.kq('KQT1V1', 'ontime')).explanation, '^按时办结率：3/4 = 75%，目标 100%，得 11.25 分（满分 15）$',
               'the explanation says the basis, the target and the score');

-- The metrics counted by unit id (their value functions, what the engine
-- uses) give the figures of their records (the facts, what the evidence
-- lists) rolled up by path, for every town and village.
CREATE FUNCTION pg_temp.facts_basis(p_fn text, p_path ext.ltree) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	b text;
BEGIN
	EXECUTE format('SELECT CASE WHEN sum(f.den) > 0 THEN trim_scale(sum(f.num)) || ''/'' || trim_scale(sum(f.den)) END '
	               'FROM %s(3::smallint, $1, $2, $3) f', p_fn)
	   INTO b USING '2025-01-01 00:00+08'::timestamptz, '2025-02-08 00:00+08'::timestamptz, p_path;
	RETURN b;
END
$$;
SELECT is((SELECT string_agg(i.code || '@' || o.code || ': ' || coalesce(s.basis, '-') || ' vs '
                             || coalesce(pg_temp.facts_basis(m.facts_function, u.path), '-'), '; ')
             FROM assessment_item i JOIN assessment_metric m USING (metric_code)
             JOIN assessment_score s ON s.assessment_id = i.assessment_id AND s.item_no = i.item_no
             JOIN assessment_unit u ON u.assessment_id = s.assessment_id AND u.unit_id = s.unit_id
             JOIN org_unit o ON o.unit_id = u.unit_id
            WHERE i.assessment_id = :kq_a AND m.value_function IS NOT NULL AND m.facts_function IS NOT NULL
              AND s.basis IS DISTINCT FROM pg_temp.facts_basis(m.facts_function, u.path)),
          NULL, 'the value functions and the facts agree for every town and village');

-- The records behind a score, those that cost points first.
SET SESSION AUTHORIZATION kq_tsup;
SELECT is((SELECT array_agg(ref_no || ':' || points) FROM assessment_evidence(:kq_a, 1, 'KQT1V1')),
          ARRAY['KQ-C2:0', 'KQ-C1:1', 'KQ-C5:1', 'KQ-C3:1'], 'on time, 一村: the late case first, then the others');
SELECT is((SELECT array_agg(ref_no || ':' || points ORDER BY ref_no) FROM assessment_evidence(:kq_a, 3, 'KQT1V1')),
          ARRAY['KQ-C1:1', 'KQ-C4:0', 'KQ-C5:1'], 'satisfaction, 一村: the reopened case counts against');
SELECT is((SELECT array_agg(ref_no || ':' || points) FROM assessment_evidence(:kq_a, 8, 'KQT1V1')),
          ARRAY['KQ-C2:-2.00'], 'red warnings, 一村: C2, 2 points off');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
