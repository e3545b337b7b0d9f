-- account: demo_village
-- The reads behind the case screen, the overview and the pick lists, as a
-- village officer: what each gives is what a plain query under the same
-- row-level security gives. (That a case of another village gives nothing
-- is tests/sql/adversary_generic.sh's: it calls every function with p_case
-- set to a case the caller cannot see.)
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(21);

-- (the newest case I see, and one of another village I do not)
SELECT ok((SELECT count(*) FROM cases) > 0, 'I see some cases');

SELECT is((SELECT case_no || '|' || status || '|' || title || '|' || row_version
             FROM case_detail((SELECT max(case_id) FROM cases))),
	(SELECT case_no || '|' || status || '|' || left(title, 201) || '|' || row_version
	   FROM cases WHERE case_id = (SELECT max(case_id) FROM cases)),
	'case_detail: my case, its number, status, title and version');
SELECT is((SELECT category FROM case_detail((SELECT max(case_id) FROM cases), true)),
	(SELECT coalesce(k.name_en, k.name) FROM cases c JOIN case_category k USING (category_id)
	  WHERE c.case_id = (SELECT max(case_id) FROM cases)),
	'case_detail: the category in English when asked');
SELECT is((SELECT char_length(title) FROM case_detail((SELECT max(case_id) FROM cases), false, 3)),
	3, 'case_detail: texts cut to the length asked');
SELECT is((SELECT count(*) FROM case_detail(-1)), 0::bigint, 'case_detail: no row for a case that is not there');
SELECT is((SELECT count(*) FROM case_timeline((SELECT max(case_id) FROM cases))),
	(SELECT count(*) FROM case_event WHERE case_id = (SELECT max(case_id) FROM cases))
	+ (SELECT count(*) FROM outbox WHERE case_id = (SELECT max(case_id) FROM cases)),
	'case_timeline: every event and message of my case');
SELECT ok((SELECT bool_and(at_text ~ '^\d\d-\d\d \d\d:\d\d$') FROM case_timeline((SELECT max(case_id) FROM cases))),
	'case_timeline: each with its time');
SELECT is((SELECT count(*) FROM case_contacts((SELECT max(case_id) FROM cases))),
	(SELECT count(*) FROM cases c JOIN household_link l ON l.household_id = c.household_id
	  WHERE c.case_id = (SELECT max(case_id) FROM cases)),
	'case_contacts: the contacts of its household');

SELECT is((SELECT n FROM jurisdiction_overview() WHERE section = 3 AND kind = 'households'),
	(SELECT count(*) FROM household), 'overview: the households I see');
SELECT is((SELECT n FROM jurisdiction_overview() WHERE section = 3 AND kind = 'residents'),
	(SELECT count(*) FROM resident), 'overview: the residents I see');
SELECT is((SELECT sum(n) FROM jurisdiction_overview() WHERE section = 1),
	(SELECT count(*) FROM org_unit u WHERE u.active AND u.path <@ my_scope())::numeric,
	'overview: the units of my jurisdiction');

SELECT is((SELECT count(*) FROM pick_categories()),
	(SELECT count(*) FROM case_category c JOIN staff s ON s.login = session_user
	  WHERE c.active AND c.district_id = s.district_id),
	'pick_categories: the active categories of my district');
SELECT ok((SELECT bool_and(detail IS NOT NULL) FROM pick_units()), 'pick_units: each with its code');
SELECT is((SELECT count(*) FROM pick_residents((SELECT name FROM resident ORDER BY resident_id LIMIT 1))),
	(SELECT count(*) FROM (SELECT 1 FROM resident r WHERE r.active
	   AND r.name LIKE like_contains((SELECT name FROM resident ORDER BY resident_id LIMIT 1))
	   LIMIT 100) x),
	'pick_residents: found by name, as far as I see');
SELECT ok((SELECT count(*) FROM pick_households('')) <= 100, 'pick_households: at most 100');
-- The stations by code: a person picks ST001, the form submits its id
-- (which is not 1: the central station ST000 came first).
SELECT is((SELECT value FROM pick_stations() WHERE label LIKE 'ST001 %'),
	(SELECT station_id::text FROM station WHERE code = 'ST001'), 'pick_stations: ST001 submits its id');
SELECT is((SELECT array_agg(split_part(label, ' ', 1) ORDER BY label) FROM pick_stations()),
	(SELECT array_agg(x.code ORDER BY x.code) FROM station x JOIN org_unit u USING (unit_id)
	  WHERE x.active AND (x.path <@ my_scope() OR u.level = 'district')),
	'pick_stations: the stations of my subtree and the district''s, by code');
SELECT ok(NOT EXISTS (SELECT 1 FROM pick_stations() WHERE label LIKE 'ST002 %'),
	'pick_stations: not another village''s (ST002)');

-- The time promise of a finished case: measured at its resolution, not now
-- (a closed case resolved in time reads "按时办结", not overdue for ever after).
SELECT is((SELECT count(*) FROM cases c CROSS JOIN LATERAL case_detail(c.case_id) d
            WHERE c.status IN ('resolved', 'reported', 'closed')
              AND (d.seconds_left IS DISTINCT FROM floor(extract(epoch FROM c.due_at - c.resolved_at))::bigint
                   OR d.overdue IS DISTINCT FROM (c.resolved_at > c.due_at))),
	0::bigint, 'case_detail: a finished case''s time left is the deadline against its resolution');
SELECT ok((SELECT count(*) FROM cases c CROSS JOIN LATERAL case_detail(c.case_id) d
            WHERE c.status = 'closed' AND NOT d.overdue AND c.due_at < now()) > 0,
	'case_detail: a closed case resolved in time is not overdue, though its deadline has passed');
SELECT ok((SELECT count(*) FROM cases c CROSS JOIN LATERAL case_detail(c.case_id) d
            WHERE c.status = 'closed' AND d.overdue AND d.seconds_left < 0) > 0,
	'case_detail: a closed case resolved late is overdue by the time it took past its deadline');

SELECT * FROM finish();
ROLLBACK;
