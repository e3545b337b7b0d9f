-- account: postgres
-- 提示催办 (schema/functions/74_urging.sql) as each account concerned
-- (SET SESSION AUTHORIZATION: session_user is the account; rolled back):
-- the list's rows against a count made by hand (the working days walked
-- with is_working_day, not add_working_days) for the district supervisor
-- and a town supervisor, its keyset pages; a batch urge as the town
-- supervisor: the town's open cases urged, a closed one and another town's
-- skipped (row-level security), a note on each case's timeline, one SMS
-- per handler (a digest for several of theirs, once per case and day), an
-- oversized batch and an empty one refused, a kiosk refused; a handler's
-- news (my_urges) sees the urge on their case and nobody else's.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(24);

-- The horizon of N working days, by hand: the N-th working day after the
-- district's today, at the end of its office hours, on its clock.
CREATE FUNCTION pg_temp.horizon(n integer) RETURNS timestamptz LANGUAGE sql AS $$
	SELECT (d + s.day_end) AT TIME ZONE s.time_zone
	  FROM minqing.calendar_setting(1::smallint) s,
	       LATERAL (SELECT x.d FROM (SELECT (now() AT TIME ZONE s.time_zone)::date + i AS d
	                                   FROM generate_series(1, 60) i) x
	                 WHERE minqing.is_working_day(1::smallint, x.d)
	                 ORDER BY x.d OFFSET n - 1 LIMIT 1) w(d)
$$;
-- The cases a login's list must show, by hand.
CREATE FUNCTION pg_temp.expected(p_login name, n integer) RETURNS SETOF bigint LANGUAGE sql AS $$
	SELECT c.case_id FROM minqing.cases c
	  JOIN minqing.staff s ON s.login = p_login
	  JOIN minqing.org_unit u ON u.unit_id = s.unit_id
	 WHERE (c.origin_path <@ u.path OR c.assigned_path <@ u.path)
	   AND c.status IN ('accepted', 'dispatched', 'in_progress', 'waiting')
	   AND (c.reminded_at IS NOT NULL OR c.due_at <= pg_temp.horizon(n)
	        OR EXISTS (SELECT 1 FROM minqing.case_event e WHERE e.case_id = c.case_id AND e.kind = 'urge'))
$$;

-- Two new cases of 天兴社区 (T01V01), dispatched to its handler (who has a
-- phone); the first due in a month: not listed until it is urged.
SELECT min(category_id) AS cat FROM case_category WHERE district_id = 1 AND parent_id IS NOT NULL AND active \gset
SET SESSION AUTHORIZATION demo_village;
SELECT case_id AS far FROM case_intake('walk_in', '催办测试一', '催办测试内容一', :cat, '催办测试人', '13900005551') \gset
SELECT case_id AS mate FROM case_intake('walk_in', '催办测试二', '催办测试内容二', :cat, '催办测试人', '13900005552') \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_town;
SELECT case_accept(:far), case_accept(:mate);
SELECT case_dispatch(:far, 'T01V01', 'handler_t01v01'), case_dispatch(:mate, 'T01V01', 'handler_t01v01');
RESET SESSION AUTHORIZATION;
UPDATE cases SET due_at = now() + interval '30 days', reminded_at = NULL, warning_level = 'none'
 WHERE case_id = :far;

-- The list against the hand count ---------------------------------------------------
-- (counted as postgres; pgTAP's set functions need temporary tables, which
-- the accounts may not create: arrays compared instead)
SELECT coalesce(array_agg(x ORDER BY x), '{}')::text AS sup1 FROM pg_temp.expected('demo_supervisor', 1) x \gset
SELECT coalesce(array_agg(x ORDER BY x), '{}')::text AS sup3 FROM pg_temp.expected('demo_supervisor', 3) x \gset
SELECT coalesce(array_agg(x ORDER BY x), '{}')::text AS sup5 FROM pg_temp.expected('demo_supervisor', 5) x \gset
SELECT coalesce(array_agg(x ORDER BY x), '{}')::text AS town3 FROM pg_temp.expected('demo_town_supervisor', 3) x \gset
SET SESSION AUTHORIZATION demo_supervisor;
SELECT is(ARRAY(SELECT case_id FROM urging_list(1, p_limit => 500) ORDER BY 1)::text, :'sup1',
	'district supervisor, 1 working day: the cases counted by hand');
SELECT is(ARRAY(SELECT case_id FROM urging_list(3, p_limit => 500) ORDER BY 1)::text, :'sup3',
	'district supervisor, 3 working days');
SELECT is(ARRAY(SELECT case_id FROM urging_list(5, p_limit => 500) ORDER BY 1)::text, :'sup5',
	'district supervisor, 5 working days');
SELECT ok((SELECT count(*) FROM urging_list(5, p_limit => 500)) > (SELECT count(*) FROM urging_list(1, p_limit => 500)),
	'more cases fall due within 5 working days than within 1');
SELECT is((SELECT count(*) FROM urging_list(5, p_limit => 500) WHERE case_id = :far), 0::bigint,
	'a case due in a month, never urged nor reminded, is not listed');
-- keyset pages: 3 rows at a time give the same rows in the same order
SELECT is(ARRAY(
	WITH RECURSIVE p(n, due, id, ids) AS (
		SELECT 1, (array_agg(f.due_at ORDER BY f.due_at, f.case_id))[count(*)],
		       (array_agg(f.case_id ORDER BY f.due_at, f.case_id))[count(*)],
		       array_agg(f.case_id ORDER BY f.due_at, f.case_id)
		  FROM urging_list(5, p_limit => 3) f
		UNION ALL
		SELECT p.n + 1, x.due, x.id, x.ids FROM p,
		       LATERAL (SELECT (array_agg(f.due_at ORDER BY f.due_at, f.case_id))[count(*)] AS due,
		                       (array_agg(f.case_id ORDER BY f.due_at, f.case_id))[count(*)] AS id,
		                       array_agg(f.case_id ORDER BY f.due_at, f.case_id) AS ids
		                  FROM urging_list(5, p.due, p.id, 3) f) x
		 WHERE p.id IS NOT NULL AND x.id IS NOT NULL AND p.n < 100)
	SELECT unnest(ids) FROM p ORDER BY n),
	ARRAY(SELECT case_id FROM urging_list(5, p_limit => 500)),
	'the pages of 3 by keyset (due, id) give the whole list in order');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION demo_town_supervisor;
SELECT is(ARRAY(SELECT case_id FROM urging_list(3, p_limit => 500) ORDER BY 1)::text, :'town3',
	'town supervisor: the town''s cases counted by hand');
SELECT is((SELECT count(*) FROM urging_list(5, p_limit => 500) l JOIN cases c USING (case_id)
            WHERE NOT (c.origin_path <@ 'LW.T01' OR coalesce(c.assigned_path <@ 'LW.T01', false))), 0::bigint,
	'and nothing of another town');
RESET SESSION AUTHORIZATION;

-- A batch urge ---------------------------------------------------------------------------
-- The two open cases of the same handler; a closed case of T01; an open
-- case of another town.
SELECT handler_staff_id AS h FROM cases WHERE case_id = :far \gset
SELECT case_id AS shut FROM cases WHERE status = 'closed' AND origin_path <@ 'LW.T01' ORDER BY case_id LIMIT 1 \gset
SELECT case_id AS other FROM cases WHERE status IN ('dispatched', 'in_progress')
   AND NOT (origin_path <@ 'LW.T01' OR coalesce(assigned_path <@ 'LW.T01', false)) ORDER BY case_id LIMIT 1 \gset
SELECT count(*) AS outbox_before FROM outbox \gset

SET SESSION AUTHORIZATION demo_town_supervisor;
SELECT is((SELECT (urged, skipped)::text FROM case_urge_many(ARRAY[:far, :mate, :shut, :other, :far], '请本周内办结')),
	'(2,2)', 'two of T01''s open cases urged; the closed one and another town''s skipped (a repeat counts once)');
SELECT is((SELECT count(*) FROM urging_list(5, p_limit => 500) WHERE case_id = :far AND urges = 1
            AND last_urged_at IS NOT NULL), 1::bigint, 'the far case is listed now, urged once, with its last urge');
SELECT throws_ok(format('SELECT * FROM case_urge_many(ARRAY(SELECT generate_series(1, 501)::bigint), %L)', 'x'),
	'54000', 'at most 500 cases can be urged at once, not 501', 'an oversized batch is refused');
SELECT throws_ok(format('SELECT * FROM case_urge_many(%L::bigint[], %L)', '{}', 'x'),
	'22023', 'no case was chosen to urge', 'an empty batch is refused');
SELECT is((SELECT (urged, skipped)::text FROM case_urge_many(ARRAY[:other]::bigint[], 'x')), '(0,1)', 'another town''s case alone: nothing urged');
RESET SESSION AUTHORIZATION;

SELECT is((SELECT count(*) FROM case_event WHERE kind = 'urge' AND note = '请本周内办结'
            AND case_id IN (:far, :mate) AND actor = 'demo_town_supervisor'), 2::bigint,
	'an urge with the note on each case''s timeline');
SELECT is((SELECT count(*) FROM case_event WHERE kind = 'urge' AND case_id IN (:shut, :other)
            AND actor = 'demo_town_supervisor'), 0::bigint, 'none on the skipped cases');
SELECT is((SELECT count(*) FROM outbox o JOIN staff s ON s.staff_id = :h
            WHERE o.recipient_phone = s.phone AND o.created_at = now()), 1::bigint,
	'the handler of both gets one SMS');
SELECT ok((SELECT body LIKE '%2件事项被催办%' AND dedupe_key = format('urge:%s:%s:%s', :h,
                  to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD'), least(:far, :mate))
             FROM outbox WHERE created_at = now() AND dedupe_key LIKE 'urge:%'),
	'a digest of the two (template case_urge_digest), keyed by handler, district day and first case');

-- once per case and day: urged again, one alone, no new message
SET SESSION AUTHORIZATION demo_town_supervisor;
SELECT is((SELECT (urged, skipped)::text FROM case_urge_many(ARRAY[:far, :mate], '再次催办')), '(2,0)', 'urged again the same day');
SELECT lives_ok(format('SELECT case_urge(%s, %L)', :far, '单件催办'), 'and once more alone (case_urge, the same body)');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM outbox) - :outbox_before, 1::bigint,
	'still one message: once per case and district day');

-- the handler's console asks my_urges(): the urges on their own cases
SELECT login AS handler FROM staff WHERE staff_id = :h \gset
SET SESSION AUTHORIZATION :handler;
SELECT ok((SELECT urges >= 4 AND case_id IN (:far, :mate) FROM my_urges(0)),
	'the handler''s news: the urges on their cases, the newest one''s case');
SELECT is((SELECT urges FROM my_urges(NULL)), 0, 'a first call is the starting point only');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_village2;
SELECT is((SELECT urges FROM my_urges(0)), 0, 'another person hears nothing of them');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION demo_kiosk;
SELECT throws_ok(format('SELECT * FROM case_urge_many(ARRAY[%s], %L)', :far, 'x'), '42501', NULL,
	'a kiosk may not urge');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
