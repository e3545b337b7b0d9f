-- account: demo_town
-- Service cards and pairings as the handler of 永中街道 (T01): the cards and
-- the households without one of every village of the town, not of another
-- town; a card issued in another village of the town; another town's
-- household refused; the town's pairings and cadres only.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(8);

SELECT is((SELECT count(*) FROM service_card WHERE NOT path <@ 'LW.T01'), 0::bigint, 'only the town''s cards');
SELECT ok((SELECT count(DISTINCT unit_id) FROM service_card) > 1, 'of several villages');
SELECT is((SELECT count(*) FROM households_without_card(p_limit => 500) h
            JOIN household x USING (household_id) WHERE NOT x.path <@ 'LW.T01'), 0::bigint,
	'households without a card of the town only');
SELECT household_id AS h2 FROM households_without_card(p_unit => 'T01V02', p_limit => 1) \gset
SELECT matches((SELECT card_no FROM card_issue(:h2)), '^T01V02-[0-9]{4}$', 'a card issued in another village of the town');
SELECT max(household_id) + 1 AS theirs FROM household \gset
SELECT throws_ok(format('SELECT * FROM minqing.card_issue(%s)', :theirs), 'P0002', NULL,
	'a household of another town is refused');
SELECT throws_ok($$SELECT * FROM minqing.households_without_card(p_unit => 'T02V01')$$, '42501', NULL,
	'another town''s list is refused');
SELECT is((SELECT count(*) FROM pairing WHERE NOT path <@ 'LW.T01' AND NOT agency_path <@ 'LW.T01'), 0::bigint,
	'only pairings with a side in the town');
SELECT is((SELECT count(*) FROM resident_cadre WHERE NOT path <@ 'LW.T01' AND NOT coalesce(from_path <@ 'LW.T01', false)),
	0::bigint, 'only cadres with a side in the town');

SELECT * FROM finish();
ROLLBACK;
