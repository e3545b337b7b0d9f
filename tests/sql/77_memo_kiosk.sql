-- account: demo_kiosk
-- The public kiosk sees nothing of the household memo.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(7);

SELECT throws_ok($$SELECT * FROM minqing.household_search('王')$$, '42501', NULL, 'no household search');
SELECT throws_ok($$SELECT * FROM minqing.household_card(1)$$, '42501', NULL, 'no household card');
SELECT throws_ok($$SELECT * FROM minqing.household_demands(1)$$, '42501', NULL, 'no demands');
SELECT throws_ok($$SELECT * FROM minqing.open_demands()$$, '42501', NULL, 'no lists');
SELECT throws_ok($$SELECT * FROM minqing.household_memo$$, '42501', NULL, 'no memo table');
SELECT throws_ok($$SELECT * FROM minqing.household_memo_revision$$, '42501', NULL, 'no revisions');
SELECT throws_ok($$SELECT * FROM minqing.household_search$$, '42501', NULL, 'no search table');

SELECT * FROM finish();
ROLLBACK;
