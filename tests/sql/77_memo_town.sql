-- account: demo_town
-- The household memo as the handler of town T01: the households of all my
-- villages are found and their memos written; another town's are not.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(9);

SELECT is((SELECT array_agg(DISTINCT left(unit_code, 3)) FROM household_search('', p_limit => 200)), '{T01}'::text[],
	'the search covers my town');
SELECT ok((SELECT count(DISTINCT unit_code) FROM household_search('王', p_limit => 200)) > 1,
	'a name finds households in several of my villages');
SELECT is((SELECT count(*) FROM household_search('T02V01-0001')), 0::bigint, 'another town''s household is not found');
SELECT s.household_id AS h2, c.row_version AS v2 FROM household_search('T01V02-0002') s, household_card(s.household_id) c \gset
SELECT is((SELECT revision_no FROM memo_save(:h2, '镇里走访记录。', NULL, NULL, NULL, :v2)) > 0, true,
	'I write the memo of a household of one of my villages');
SELECT ok((SELECT count(*) FROM households_without_memo('T01V02', p_limit => 500) WHERE unit_name IS NULL) = 0
	AND :h2 NOT IN (SELECT household_id FROM households_without_memo('T01V02', p_limit => 500)),
	'the list of a village of mine');
SELECT throws_ok($$SELECT * FROM minqing.households_without_memo('T02V01')$$, '42501', NULL,
	'a village of another town is refused');
SELECT is((SELECT count(*) FROM open_demands(p_limit => 500) WHERE household_no NOT LIKE 'T01%'), 0::bigint,
	'open demands of my town only');
SELECT ok((SELECT count(*) FROM open_demands(p_limit => 500)) > 0, 'the demo has open demands in my town');
-- keyset of the stale list: two pages are the first page of twice the size
SELECT saved_at AS s5, household_id AS i5 FROM memos_stale(p_limit => 5) ORDER BY saved_at DESC, household_id DESC LIMIT 1 \gset
SELECT is(ARRAY(SELECT household_id FROM memos_stale(p_limit => 5))
	|| ARRAY(SELECT household_id FROM memos_stale(NULL, :'s5', :i5, 5)),
	ARRAY(SELECT household_id FROM memos_stale(p_limit => 10)), 'stale memos page without gap or repeat');

SELECT * FROM finish();
ROLLBACK;
