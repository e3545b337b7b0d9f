-- account: demo_town
-- The console's village archive screens as the handler of town T01: the
-- villages list holds every village of the town and no other; I edit a
-- village's section; another town's village is refused. The notice record:
-- my town's notices are mine to change, a village's below me too.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(12);

SELECT is((SELECT count(*) FROM archive_villages(p_limit => 200)),
	(SELECT count(*) FROM org_unit WHERE path <@ 'LW.T01' AND level = 'village' AND active),
	'archive_villages: every village of my town');
SELECT is((SELECT count(*) FROM archive_villages(p_limit => 200) v JOIN org_unit u ON u.code = v.unit_code
            WHERE NOT u.path <@ 'LW.T01'), 0::bigint, 'and none of another town');
SELECT is((SELECT array_agg(unit_code ORDER BY unit_code) FROM archive_villages(p_limit => 2)),
	(SELECT (array_agg(unit_code ORDER BY unit_code))[1:2] FROM archive_villages(p_limit => 200)), 'a page at a time');
SELECT is((SELECT count(*) FROM archive_section_list('T01V02')), 8::bigint, 'a village''s eight sections');

CREATE TEMP TABLE o AS SELECT revision_no AS rev, (SELECT max(revision_id) FROM archive_revision) AS last_id
  FROM archive_section('T01V02', 3);
CREATE TEMP TABLE e AS SELECT * FROM archive_edit_note('T01V02', 3, (SELECT rev FROM o), '镇里已核对党员名册。');
SELECT is((SELECT revision_no FROM e), (SELECT rev + 1 FROM o), 'I edit a section of a village of my town');
SELECT is((SELECT count(*) FROM archive_revision WHERE revision_id > (SELECT last_id FROM o)), 1::bigint,
	'one new revision');
SELECT is((SELECT string_agg(label_zh || '=' || after, ',') FROM archive_changes((SELECT revision_id FROM e))),
	'说明=镇里已核对党员名册。', 'archive_changes: the note');
SELECT is((SELECT saved_by_name FROM archive_revisions('T01V02', 3) LIMIT 1),
	(SELECT display_name FROM whoami()), 'the history names me');
SELECT throws_ok($$SELECT * FROM archive_section_record('T02V01', 1)$$, '42501', NULL, 'another town''s village: no record');
SELECT throws_ok($$SELECT * FROM archive_add_rule('T02V01', 1, '外镇制度')$$, '42501', NULL, 'and no edit');

-- notices: my town's own, and a village's below me
SELECT is((SELECT editable FROM notices(p_unit_code => 'T01') n, notice_record(n.notice_id) r
            WHERE n.state = 'published' LIMIT 1), 'published', 'my town''s published notice: mine to withdraw');
SELECT is((SELECT editable FROM notices(p_unit_code => 'LW') n, notice_record(n.notice_id) r LIMIT 1), 'readonly',
	'the district''s: readonly');

SELECT * FROM finish();
ROLLBACK;
