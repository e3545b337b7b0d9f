-- account: demo_kiosk
-- Service cards, pairings and resident cadres as a public kiosk: nothing.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(12);

SELECT throws_ok('SELECT count(*) FROM minqing.service_card', '42501', NULL, 'no card');
SELECT throws_ok('SELECT count(*) FROM minqing.pairing', '42501', NULL, 'no pairing');
SELECT throws_ok('SELECT count(*) FROM minqing.pairing_activity', '42501', NULL, 'no activity');
SELECT throws_ok('SELECT count(*) FROM minqing.resident_cadre', '42501', NULL, 'no cadre');
SELECT throws_ok('SELECT count(*) FROM minqing.cadre_contact', '42501', NULL, 'no contact');
SELECT throws_ok($$SELECT * FROM minqing.service_cards()$$, '42501', NULL, 'the list of cards is not for a kiosk');
SELECT throws_ok($$SELECT * FROM minqing.households_without_card()$$, '42501', NULL, 'nor the households without one');
SELECT throws_ok($$SELECT * FROM minqing.pairings()$$, '42501', NULL, 'nor the pairings');
SELECT throws_ok($$SELECT * FROM minqing.resident_cadres()$$, '42501', NULL, 'nor the cadres');
SELECT throws_ok($$SELECT * FROM minqing.card_issue(1)$$, '42501', NULL, 'a kiosk issues no card');
SELECT throws_ok($$SELECT minqing.pairing_activity_add(1, 'ideas', '座谈')$$, '42501', NULL, 'nor logs an activity');
SELECT throws_ok($$SELECT minqing.cadre_contact_add(1, '联系')$$, '42501', NULL, 'nor a contact');

SELECT * FROM finish();
ROLLBACK;
