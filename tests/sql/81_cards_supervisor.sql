-- account: demo_supervisor
-- Service cards, pairings and resident cadres as the district's supervisor:
-- reads everything of the district (the demo's 3,480 live cards and 110
-- pairings), writes nothing.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(12);

SELECT card_id AS c, row_version AS v FROM service_cards(p_limit => 1) \gset
SELECT household_id AS h FROM households_without_card(p_limit => 1) \gset
SELECT pairing_id AS p FROM pairings(p_limit => 1) \gset
SELECT cadre_id AS k FROM resident_cadres(p_limit => 1) \gset

SELECT is((SELECT count(*) FROM service_card WHERE voided_at IS NULL AND district_id = 1), 3480::bigint,
	'the demo''s 3,480 live cards of the district');
SELECT is((SELECT count(*) FROM pairing WHERE district_id = 1), 110::bigint, 'and its 110 pairings');
SELECT is((SELECT count(DISTINCT item) FROM pairing_activity WHERE district_id = 1), 5::bigint,
	'activities under all five help items');
SELECT ok((SELECT count(*) FROM cadres_without_contact()) > 0, 'some cadres had no contact in 30 days');
SELECT ok((SELECT count(*) FROM villages_without_pairing()) > 0, 'some villages are without a pairing');
SELECT is((SELECT count(*) FROM service_card_print(:c) WHERE text_width(line) <> 72), 0::bigint, 'the printed card');
SELECT throws_ok(format('SELECT * FROM minqing.card_issue(%s)', :h), '42501', NULL, 'a supervisor issues no card');
SELECT throws_ok(format('SELECT * FROM minqing.card_reissue(%s, %L, %s)', :c, '遗失', :v), '42501', NULL, 'nor reissues one');
SELECT throws_ok(format('SELECT minqing.card_void(%s, %L, %s)', :c, '作废', :v), '42501', NULL, 'nor voids one');
SELECT throws_ok(format('SELECT minqing.pairing_activity_add(%s, %L, %L)', :p, 'ideas', '座谈'), '42501', NULL,
	'nor logs an activity');
SELECT throws_ok(format('SELECT minqing.cadre_contact_add(%s, %L)', :k, '联系'), '42501', NULL, 'nor a contact');
SELECT throws_ok($$SELECT minqing.pairing_add('D01', 'T02V01')$$, '42501', NULL, 'nor creates a pairing');

SELECT * FROM finish();
ROLLBACK;
