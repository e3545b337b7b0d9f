-- account: demo_kiosk
-- The public kiosk and the console's village archive screens: every
-- function is refused. A notice it opens records nothing and is readonly.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(21);

SELECT is((SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'minqing' AND p.proname LIKE 'archive\_%'
              AND has_function_privilege(p.oid, 'EXECUTE')), NULL,
	'I may execute no archive function at all');
SELECT throws_ok($$SELECT * FROM archive_villages()$$, '42501', NULL, 'no villages list');
SELECT throws_ok($$SELECT * FROM archive_section_list('T01V01')$$, '42501', NULL, 'no section list');
SELECT throws_ok($$SELECT * FROM archive_section_record('T01V01', 1)$$, '42501', NULL, 'no record');
SELECT throws_ok($$SELECT * FROM archive_section_lines('T01V01', 1)$$, '42501', NULL, 'no lines');
SELECT throws_ok($$SELECT * FROM archive_revisions('T01V01', 1)$$, '42501', NULL, 'no history');
SELECT throws_ok($$SELECT * FROM archive_changes(1)$$, '42501', NULL, 'no differences');
SELECT throws_ok($$SELECT * FROM archive_changes(1, 'current')$$, '42501', NULL, 'against the current content neither');
SELECT throws_ok($$SELECT archive_current('T01V01', 1)$$, '42501', NULL, 'no content');
SELECT throws_ok($$SELECT * FROM archive_edit_overview('T01V01', 1, p_main_industries => '公示')$$, '42501', NULL,
	'no overview edit');
SELECT throws_ok($$SELECT * FROM archive_edit_note('T01V01', 3, 1, '公示')$$, '42501', NULL, 'no note');
SELECT throws_ok($$SELECT * FROM archive_add_item('T01V01', 2, 1, '{}')$$, '42501', NULL, 'no item');
SELECT throws_ok($$SELECT * FROM archive_add_member('T01V01', 1, 'party', '王五', '委员')$$, '42501', NULL, 'no member');
SELECT throws_ok($$SELECT * FROM archive_add_rule('T01V01', 1, '制度')$$, '42501', NULL, 'no rule');
SELECT throws_ok($$SELECT * FROM archive_set_year('T01V01', 1, 2030)$$, '42501', NULL, 'no year');
SELECT throws_ok($$SELECT * FROM archive_add_facility('T01V01', 1, 'road', '道路')$$, '42501', NULL, 'no facility');
SELECT throws_ok($$SELECT * FROM archive_add_stability('T01V01', 1, 'dispute', '纠纷')$$, '42501', NULL,
	'no stability item');
SELECT throws_ok($$SELECT * FROM archive_remove_item('T01V01', 2, 1, 1)$$, '42501', NULL, 'no removal');

CREATE TEMP TABLE pub AS SELECT notice_id FROM notices(p_limit => 1);
SELECT is((SELECT editable || '|' || coalesce(read_at::text, '-') FROM notice_record((SELECT notice_id FROM pub))),
	'readonly|-', 'a public notice: readonly, no reading time');
SELECT is(notice_opened((SELECT notice_id FROM pub)), NULL, 'opening it records nothing');
SELECT is((SELECT unread FROM notices(p_limit => 1)), NULL, 'a kiosk has no unread marks');

SELECT * FROM finish();
ROLLBACK;
