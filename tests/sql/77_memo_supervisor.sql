-- account: demo_supervisor
-- The household memo as the district's supervisor: reads everything, writes
-- nothing.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(7);

SELECT s.household_id AS h, c.row_version AS v FROM household_search('T02V01-0001') s, household_card(s.household_id) c \gset
SELECT is((SELECT household_no FROM household_card(:h)), 'T02V01-0001', 'the card of any household of the district');
SELECT ok((SELECT count(DISTINCT left(unit_code, 3)) FROM household_search('王', p_limit => 200)) >= 1, 'the search');
SELECT lives_ok($$SELECT * FROM minqing.memos_stale()$$, 'the lists');
SELECT throws_ok(format('SELECT * FROM minqing.memo_save(%s, %L, NULL, NULL, NULL, %s)', :h, '督查', :v), '42501', NULL,
	'a supervisor cannot save a memo');
SELECT throws_ok(format('SELECT minqing.demand_add(%s, %L)', :h, '诉求'), '42501', NULL, 'nor add a demand');
SELECT throws_ok($$SELECT minqing.demand_resolve((SELECT min(demand_id) FROM minqing.household_demand WHERE status = 'open'), '好')$$,
	'42501', NULL, 'nor resolve one');
SELECT is((SELECT count(*) FROM household_members(:h) WHERE phone ~ '^1[3-9][0-9]{9}$' OR id_card ~ '^[0-9]{17}[0-9X]$'),
	0::bigint, 'phones and ID numbers masked for a supervisor too');

SELECT * FROM finish();
ROLLBACK;
