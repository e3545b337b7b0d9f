-- account: postgres
-- Times a person reads are on the district's clock (its work calendar's
-- time_zone), whatever the session's TimeZone: the case number's year, the
-- urge SMS's deadline and its once-a-day key, the days of case_stats() (the
-- periods of minqing-admin stats), the days of message_senders, the times of
-- case_detail() and case_timeline(), the publication board's day. The demo
-- district is put on Urumqi time (+06, neither UTC nor Shanghai's +08) in
-- this transaction only; the session runs at America/New_York and at UTC.
-- The calls a person makes run as demo_admin (SET SESSION AUTHORIZATION:
-- session_user is who the schema takes the caller to be); the checks as
-- postgres, which sees every row.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(31);

UPDATE work_calendar_setting SET time_zone = 'Asia/Urumqi' WHERE district_id = 1;
SET LOCAL TimeZone = 'America/New_York';

-- A moment on the district's clock ------------------------------------------------
-- 2026-12-31 17:30 UTC: 23:30 in Urumqi (still 2026), 01:30 next day in
-- Shanghai (2027), 12:30 in New York.
SELECT is(to_char(district_local_time(1::smallint, '2026-12-31 17:30+00'), 'YYYY-MM-DD HH24:MI'),
	'2026-12-31 23:30', 'district_local_time: New Year''s Eve 17:30 UTC is 23:30 of 2026 in Urumqi');
SELECT is(to_char(district_local_time(1::smallint, '2026-12-31 20:00+00'), 'YYYY'), '2027',
	'district_local_time: 20:00 UTC is 2027 there');
SELECT is(to_char(district_local_time(NULL::smallint, '2026-12-31 17:30+00'), 'YYYY-MM-DD HH24:MI'),
	'2027-01-01 01:30', 'district_local_time: a district without a calendar row is on Shanghai time');

-- What a person does (as demo_admin) -------------------------------------------------
SELECT min(category_id) AS cat FROM case_category WHERE district_id = 1 AND parent_id IS NOT NULL AND active \gset
-- An open case with a handler who has a phone (an urge sends an SMS), its
-- deadline moved to 09:00 UTC: 15:00 in Urumqi, 17:00 in Shanghai, 05:00 in
-- New York.
SELECT c.case_id AS urged FROM cases c JOIN staff h ON h.staff_id = c.handler_staff_id
 WHERE c.district_id = 1 AND c.status IN ('accepted', 'dispatched', 'in_progress', 'waiting')
   AND h.active AND h.phone IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.case_id = c.case_id AND o.dedupe_key LIKE '%:urge:%')
 ORDER BY c.case_id LIMIT 1 \gset
UPDATE cases SET due_at = '2026-03-10 09:00+00' WHERE case_id = :urged;
SELECT code AS root FROM org_unit WHERE district_id = 1 AND parent_id IS NULL \gset

SET SESSION AUTHORIZATION demo_admin;
SELECT case_no AS intake_no FROM case_intake('walk_in', '时区测试标题', '时区测试内容', :cat, '时区测试人', '13900001234') \gset
SELECT case_urge(:urged, '时区测试催办');
RESET SESSION AUTHORIZATION;

SELECT case_id AS taken FROM cases WHERE title = '时区测试标题' \gset
SELECT is((SELECT split_part(case_no, '-', 2) FROM cases WHERE case_id = :taken),
	to_char(now() AT TIME ZONE 'Asia/Urumqi', 'YYYY'), 'case_intake: the case number has the district''s year');
SELECT is((SELECT count(*) FROM outbox WHERE case_id = :urged AND dedupe_key LIKE '%:urge:%'), 1::bigint,
	'case_urge: one SMS to the handler');
SELECT ok((SELECT body LIKE '%将于03-10 15:00到期%' FROM outbox WHERE case_id = :urged AND dedupe_key LIKE '%:urge:%'),
	'case_urge: the SMS gives the deadline on the district''s clock (03-10 15:00, not 17:00 or 05:00)');
SELECT is((SELECT dedupe_key FROM outbox WHERE case_id = :urged AND dedupe_key LIKE '%:urge:%'),
	format('case:%s:urge:%s', :urged, to_char(now() AT TIME ZONE 'Asia/Urumqi', 'YYYYMMDD')),
	'case_urge: once a day, the district''s day');

-- The new case recorded at 23:30 Urumqi time on 2020-06-15 (17:30 UTC,
-- 01:30 of the 16th in Shanghai), the SMS at 23:50 (17:50 UTC); the urged
-- case at 00:30 on 2019-03-11 (18:30 of the 10th in UTC and 14:30 in New
-- York).
UPDATE cases SET created_at = '2020-06-15 17:30+00' WHERE case_id = :taken;
UPDATE cases SET created_at = '2019-03-10 18:30+00' WHERE case_id = :urged;
UPDATE outbox SET created_at = '2020-06-15 17:50+00' WHERE case_id = :urged AND dedupe_key LIKE '%:urge:%';

-- The same reads at two session time zones -------------------------------------------
CREATE FUNCTION pg_temp.tz_checks(p_session text, p_taken bigint, p_urged bigint, p_root text)
RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('TimeZone', p_session, true);
	RETURN NEXT is((SELECT value FROM case_stats(p_root, '2020-06-15', '2020-06-15') WHERE name = 'cases recorded'),
		'1', p_session || ': case_stats counts a case of 23:30 in its day');
	RETURN NEXT is((SELECT value FROM case_stats(p_root, '2020-06-16', '2020-06-16') WHERE name = 'cases recorded'),
		'0', p_session || ': and not in the next');
	RETURN NEXT is((SELECT value FROM case_stats(p_root, '2020-06-14', '2020-06-15') WHERE name = 'cases recorded'),
		'1', p_session || ': a period of two days ending that day has it');
	RETURN NEXT is((SELECT string_agg(value, ' ' ORDER BY d) FROM (VALUES (date '2019-03-10'), ('2019-03-11')) v(d),
	                      case_stats(p_root, v.d, v.d) WHERE name = 'cases recorded'),
		'0 1', p_session || ': case_stats counts a case of 00:30 in its day, not in the session''s');
	RETURN NEXT is((SELECT string_agg(day || ' ' || messages, ',') FROM message_senders
	                 WHERE login = 'demo_admin' AND day BETWEEN '2020-06-14' AND '2020-06-17'),
		'2020-06-15 1', p_session || ': message_senders counts the SMS of 23:50 in its day');
	RETURN NEXT is((SELECT due_at FROM case_detail(p_urged)), '2026-03-10 15:00',
		p_session || ': case_detail gives the deadline on the district''s clock');
	RETURN NEXT is((SELECT created_at FROM case_detail(p_taken)) || ', ' || (SELECT created_at FROM case_detail(p_urged)),
		'2020-06-15 23:30, 2019-03-11 00:30', p_session || ': and the times recorded');
	RETURN NEXT is((SELECT at_text FROM case_timeline(p_urged) WHERE kind = 'sms' AND note LIKE '%15:00%'),
		'06-15 23:50', p_session || ': case_timeline gives the SMS''s time on the district''s clock');
	RETURN NEXT is((SELECT at_text FROM case_timeline(p_urged) WHERE kind = 'urge'),
		(SELECT to_char(e.at AT TIME ZONE 'Asia/Urumqi', 'MM-DD HH24:MI') FROM case_event e
		  WHERE e.case_id = p_urged AND e.kind = 'urge'),
		p_session || ': and the urge''s');
	RETURN NEXT is((SELECT string_agg(p.received_on::text, ', ' ORDER BY c.case_id DESC)
	                  FROM case_publication p JOIN cases c USING (case_no) WHERE c.case_id IN (p_taken, p_urged)),
		'2020-06-15, 2019-03-11', p_session || ': the publication board gives the district''s days');
	RETURN NEXT is((SELECT to_char(district_local_time(1::smallint, '2026-12-31 17:30+00'), 'YYYY-MM-DD HH24:MI')),
		'2026-12-31 23:30', p_session || ': district_local_time does not follow the session');
	RETURN NEXT is(current_setting('TimeZone'), p_session, p_session || ': (the session was at that zone)');
END
$$;
SELECT * FROM pg_temp.tz_checks('UTC', :taken, :urged, :'root');
SELECT * FROM pg_temp.tz_checks('America/New_York', :taken, :urged, :'root');

SELECT * FROM finish();
ROLLBACK;
