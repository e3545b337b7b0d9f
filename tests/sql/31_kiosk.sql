-- account: demo_kiosk
-- The public kiosk reads only what is published.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(7);

SELECT is((SELECT duty::text FROM whoami()), 'kiosk', 'I am a kiosk');
SELECT throws_ok('SELECT count(*) FROM household', '42501', NULL, 'no households');
SELECT throws_ok('SELECT count(*) FROM resident', '42501', NULL, 'no residents');
SELECT throws_ok('SELECT count(*) FROM staff', '42501', NULL, 'no staff directory');
SELECT throws_ok('SELECT responsible_phone FROM station', '42501', NULL, 'no phone numbers of stations');
SELECT ok((SELECT count(*) FROM station) > 255, 'stations are published');
SELECT is(my_scope(), NULL, 'a kiosk has no jurisdiction');

SELECT * FROM finish();
ROLLBACK;
