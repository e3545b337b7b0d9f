-- account: demo_village
-- An information officer with psql against the calendar, categories,
-- commitments and escalation thresholds: may read them and compute
-- deadlines, may change none of them, and cannot seed a district. (Written
-- not to depend on the seeded rows, which the demo data provides.)
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(24);

SELECT is((SELECT duty::text || ' ' || unit_code FROM whoami()), 'officer T01V01', 'I am the officer of T01V01');
SELECT lives_ok('SELECT count(*) FROM case_category', 'I read the categories');
SELECT lives_ok('SELECT count(*) FROM service_commitment', 'I read the service commitments');
SELECT lives_ok('SELECT count(*) FROM escalation_rule', 'I read the escalation rules');
SELECT lives_ok('SELECT count(*) FROM holiday', 'I read the holidays');
SELECT is(add_working_days(1::smallint, '2026-03-06 15:00+08', 3), '2026-03-11 17:30+08',
	'I can compute a deadline');
SELECT is(my_admin_district(), NULL, 'I administer no district');

SELECT throws_ok($$INSERT INTO case_category (district_id, code, name, centre, path)
	VALUES (1, 'MY_OWN', '自设类别', 'service', 'x')$$, '42501', NULL, 'I cannot add a category');
SELECT throws_ok($$UPDATE case_category SET name = '改名'$$, '42501', NULL, 'I cannot rename a category');
SELECT throws_ok($$UPDATE case_category SET is_key = false$$, '42501', NULL,
	'I cannot clear the key/complex flag of a category');
SELECT throws_ok($$DELETE FROM case_category$$, '42501', NULL, 'I cannot delete categories');
SELECT throws_ok($$INSERT INTO service_commitment (district_id, category_id, level, kind, amount)
	SELECT 1, category_id, 'village', 'days', 30 FROM case_category LIMIT 1$$, '42501', NULL,
	'I cannot add a commitment');
SELECT throws_ok($$UPDATE service_commitment SET kind = 'days', amount = 365$$, '42501', NULL,
	'I cannot lengthen my own deadlines');
SELECT throws_ok($$DELETE FROM service_commitment$$, '42501', NULL, 'I cannot delete commitments');
SELECT throws_ok($$UPDATE escalation_rule SET value = 250$$, '42501', NULL,
	'I cannot postpone the warnings');
SELECT throws_ok($$INSERT INTO escalation_rule (district_id, step, basis, value)
	VALUES (1, 'red', 'overdue_working_days', 250)$$, '42501', NULL, 'I cannot add a rule');
SELECT throws_ok($$INSERT INTO holiday (district_id, day, kind, name) VALUES (1, '2026-03-11', 'holiday', '我的假日')$$,
	'42501', NULL, 'I cannot declare a holiday');
SELECT throws_ok($$UPDATE work_calendar_setting SET day_end = '23:59'$$, '42501', NULL,
	'I cannot change office hours');
SELECT throws_ok($$SELECT district_seed_defaults(1::smallint)$$, '42501', NULL, 'I cannot seed a district');
SELECT throws_ok($$SELECT category_seed_default(1::smallint)$$, '42501', NULL, 'nor its categories');
SELECT throws_ok($$SET ROLE mq_admin$$, '42501', NULL, 'I cannot become an administrator');
SELECT throws_ok($$SELECT count(*) FROM audit_log$$, '42501', NULL, 'I cannot read the audit trail');
-- The kiosk (公示) shows category names and the promised times; it writes nothing.
SELECT ok(has_table_privilege('mq_kiosk', 'minqing.case_category', 'SELECT')
          AND has_table_privilege('mq_kiosk', 'minqing.service_commitment', 'SELECT'),
	'the kiosk may read categories and commitments');
SELECT ok(NOT has_table_privilege('mq_kiosk', 'minqing.case_category', 'INSERT')
          AND NOT has_table_privilege('mq_kiosk', 'minqing.case_category', 'UPDATE')
          AND NOT has_table_privilege('mq_kiosk', 'minqing.escalation_rule', 'SELECT'),
	'and nothing more of them');

SELECT * FROM finish();
ROLLBACK;
