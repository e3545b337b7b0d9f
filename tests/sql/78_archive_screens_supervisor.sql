-- account: demo_supervisor
-- The console's village archive screens as a district supervisor: every
-- village is read, nothing is changed. The notice record is readonly.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(17);

SELECT is((SELECT count(*) FROM archive_villages(p_limit => 200)),
	least((SELECT count(*) FROM org_unit WHERE level = 'village' AND kind IN ('village', 'community') AND active
	                                      AND path <@ 'LW'), 200),
	'archive_villages: the villages of the district');
SELECT is((SELECT count(*) FROM archive_section_list('T02V01')), 8::bigint, 'I read a village''s sections');
SELECT ok((SELECT revision_no > 0 FROM archive_section_record('T05V01', 2)), 'its record');
SELECT ok((SELECT count(*) FROM archive_section_lines('T05V01', 2)) > 0, 'its lines');
SELECT ok((SELECT count(*) FROM archive_changes((SELECT revision_id FROM archive_revisions('T02V01', 1) LIMIT 1))) > 0,
	'and the differences of its revisions');

SELECT throws_ok($$SELECT * FROM archive_edit_overview('T01V01', 1, p_main_industries => '督查')$$, '42501', NULL,
	'no overview edit');
SELECT throws_ok($$SELECT * FROM archive_edit_note('T01V01', 3, 1, '督查意见')$$, '42501', NULL, 'no note');
SELECT throws_ok($$SELECT * FROM archive_add_item('T01V01', 2, 1, '{}')$$, '42501', NULL, 'no item');
SELECT throws_ok($$SELECT * FROM archive_add_member('T01V01', 1, 'party', '王五', '委员')$$, '42501', NULL, 'no member');
SELECT throws_ok($$SELECT * FROM archive_add_rule('T01V01', 1, '制度')$$, '42501', NULL, 'no rule');
SELECT throws_ok($$SELECT * FROM archive_set_year('T01V01', 1, 2030)$$, '42501', NULL, 'no year');
SELECT throws_ok($$SELECT * FROM archive_add_facility('T01V01', 1, 'road', '道路')$$, '42501', NULL, 'no facility');
SELECT throws_ok($$SELECT * FROM archive_add_stability('T01V01', 1, 'dispute', '纠纷')$$, '42501', NULL,
	'no stability item');
SELECT throws_ok($$SELECT * FROM archive_remove_item('T01V01', 2, 1, 1)$$, '42501', NULL, 'no removal');

CREATE TEMP TABLE un AS SELECT notice_id FROM notices(p_filter => 'unread', p_limit => 1);
SELECT is((SELECT editable FROM notice_record((SELECT notice_id FROM un))), 'readonly', 'a notice: readonly');
SELECT is(notice_opened((SELECT notice_id FROM un)), now(), 'opening it marks it read');
SELECT is((SELECT unread FROM notices(p_limit => 500) WHERE notice_id = (SELECT notice_id FROM un)), false,
	'its 未读 mark is gone');

SELECT * FROM finish();
ROLLBACK;
