-- account: demo_village
-- The console's village archive screens (schema/functions/64_archive_screens.sql)
-- as the information officer of T01V01: the villages list shows my village
-- only; the record and its lines read my sections; every edit form's
-- function makes exactly one new revision holding what was asked, and
-- archive_changes() of it shows exactly the changed fields in Chinese; a
-- stale revision is refused with 40001, bad item numbers and sections
-- without items with their messages; another village's archive is refused
-- for every read and write. And the console's notice record: opening a
-- published notice marks it read, a draft records nothing; editable only
-- for my own unit's notices.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(80);

CREATE FUNCTION pg_temp.rev(p_section integer) RETURNS integer LANGUAGE sql AS $$
	SELECT revision_no FROM minqing.archive_section('T01V01', p_section)
$$;
CREATE FUNCTION pg_temp.content(p_section integer) RETURNS jsonb LANGUAGE sql AS $$
	SELECT content FROM minqing.archive_section('T01V01', p_section)
$$;
-- The paths archive_changes() lists for a revision, as one text.
CREATE FUNCTION pg_temp.changed(p_revision bigint, p_against text DEFAULT 'previous') RETURNS text
LANGUAGE sql AS $$
	SELECT string_agg(path, ',' ORDER BY path) FROM minqing.archive_changes(p_revision, p_against)
$$;
CREATE FUNCTION pg_temp.revision_content(p_revision bigint) RETURNS jsonb LANGUAGE sql AS $$
	SELECT content FROM minqing.archive_revision WHERE revision_id = p_revision
$$;

------------------------------------------------------------------------------
-- Reading
------------------------------------------------------------------------------
SELECT is((SELECT array_agg(unit_code) FROM archive_villages()), '{T01V01}'::text[],
	'archive_villages: my village only');
SELECT is((SELECT s1 || s2 || s3 || s4 || s5 || s6 || s7 || s8 IS NOT NULL AND filled = 8 FROM archive_villages()), true,
	'with the state of its eight sections, all filled in the demo');
SELECT is((SELECT count(*) FROM archive_villages(p_after_code => 'T01V01')), 0::bigint,
	'the page after my village is empty');
SELECT is((SELECT array_agg(section ORDER BY section) FROM archive_section_list('T01V01')),
	'{1,2,3,4,5,6,7,8}'::smallint[], 'archive_section_list: the eight sections');
SELECT is((SELECT heading || '|' || revision_no FROM archive_section_record('T01V01', 1)),
	(SELECT unit_name || ' · ' || name || '|' || revision_no FROM archive_section('T01V01', 1)),
	'archive_section_record: the heading and revision of my section');
SELECT is((SELECT main_industries FROM archive_section_record('T01V01', 1)), pg_temp.content(1) ->> 'main_industries',
	'and the overview''s fields as columns');
SELECT is((SELECT items FROM archive_section_record('T01V01', 2)), jsonb_array_length(pg_temp.content(2) -> 'members'),
	'a list section counts its items');
SELECT is((SELECT value FROM archive_section_lines('T01V01', 1) WHERE label_zh = '主要产业'),
	pg_temp.content(1) ->> 'main_industries', 'archive_section_lines: the fields labelled in Chinese');
SELECT is((SELECT count(*) FROM archive_section_lines('T01V01', 2) WHERE label_zh ~ '^班子成员 [0-9]+$' AND value IS NULL),
	jsonb_array_length(pg_temp.content(2) -> 'members')::bigint, 'each member a numbered heading');
SELECT ok((SELECT count(*) FROM archive_section_lines('T01V01', 3) WHERE label_zh = '来自登记簿和案件的数据') = 1,
	'the registers'' figures under a heading of their own');
SELECT is((SELECT count(*) FROM archive_section_lines('T01V01', 1) WHERE label_zh ~ '[A-Za-z]'), 0::bigint,
	'no label in English on the Chinese side');
SELECT is((SELECT max(revision_no) FROM archive_revisions('T01V01', 1)), pg_temp.rev(1),
	'archive_revisions: the history of my section, newest first');
CREATE TEMP TABLE first1 AS SELECT r.revision_id, r.content FROM archive_revision r JOIN org_unit u USING (unit_id)
 WHERE u.code = 'T01V01' AND r.section = 1 AND r.revision_no = 1;
SELECT is((SELECT count(*) FILTER (WHERE before IS NULL AND after IS NOT NULL) || '/' || count(*)
             FROM archive_changes((SELECT revision_id FROM first1))),
	(SELECT count(*) || '/' || count(*) FROM first1, jsonb_each(first1.content)),
	'archive_changes of a first revision: every field is new');
SELECT is((SELECT label_zh FROM archive_changes((SELECT revision_id FROM first1)) WHERE path = 'main_industries'),
	'主要产业', 'labelled in Chinese');

------------------------------------------------------------------------------
-- Each edit: one new revision with the expected content
------------------------------------------------------------------------------
-- 村情概况: the form sends every field; main_industries changed.
CREATE TEMP TABLE o1 AS SELECT pg_temp.content(1) AS content, pg_temp.rev(1) AS rev,
	(SELECT max(revision_id) FROM archive_revision) AS last_id;
CREATE TEMP TABLE e1 AS
SELECT e.* FROM archive_section_record('T01V01', 1) r
 CROSS JOIN LATERAL archive_edit_overview('T01V01', (SELECT rev FROM o1),
	r.area_km2, r.villager_groups::integer, r.natural_villages::integer, r.registered_population::integer,
	r.resident_population::integer, r.arable_land_mu, '茶叶、杨梅、乡村旅游', r.note) e;
SELECT is((SELECT revision_no FROM e1), (SELECT rev + 1 FROM o1), 'archive_edit_overview: the next revision');
SELECT is((SELECT count(*) FROM archive_revision WHERE revision_id > (SELECT last_id FROM o1)), 1::bigint,
	'exactly one new revision');
SELECT is(pg_temp.revision_content((SELECT revision_id FROM e1)),
	(SELECT content || '{"main_industries": "茶叶、杨梅、乡村旅游"}' FROM o1), 'holding the content with the new text');
SELECT results_eq(format('SELECT path, label_zh, before, after FROM archive_changes(%s)', (SELECT revision_id FROM e1)),
	format($$VALUES ('main_industries', '主要产业', %L, '茶叶、杨梅、乡村旅游')$$,
	       (SELECT content ->> 'main_industries' FROM o1)),
	'archive_changes: exactly the changed field, in Chinese, before and after');
SELECT is((SELECT main_industries || '|' || revision_no FROM archive_section_record('T01V01', 1)),
	'茶叶、杨梅、乡村旅游|' || (SELECT rev + 1 FROM o1), 'the record shows the new text and revision');
SELECT ok((SELECT changed_zh FROM archive_revisions('T01V01', 1) LIMIT 1) = '主要产业',
	'the history says what changed, in Chinese');

-- 说明 of section 1 next: against the current content, the earlier revision
-- differs by the note alone; the newest one not at all.
CREATE TEMP TABLE e1n AS SELECT * FROM archive_edit_note('T01V01', 1, pg_temp.rev(1), '二〇二六年人口数据已核对。');
SELECT is(pg_temp.changed((SELECT revision_id FROM e1), 'current'), 'note',
	'archive_changes against the current content: only the note changed since');
SELECT is((SELECT label_zh || '|' || after FROM archive_changes((SELECT revision_id FROM e1), 'current')),
	'说明|二〇二六年人口数据已核对。', 'labelled, with what it says now');
SELECT is(pg_temp.changed((SELECT revision_id FROM e1n), 'current'), NULL, 'the newest revision: nothing differs');
SELECT is(pg_temp.changed((SELECT revision_id FROM o1 JOIN archive_revision r ON true
                           WHERE r.unit_id = (SELECT unit_id FROM org_unit WHERE code = 'T01V01')
                             AND r.section = 1 AND r.revision_no = o1.rev), 'current'),
	'main_industries,note', 'the revision before both: both fields');

-- 说明 of a section that has a list
CREATE TEMP TABLE o3 AS SELECT pg_temp.content(3) AS content, pg_temp.rev(3) AS rev;
CREATE TEMP TABLE e3 AS SELECT * FROM archive_edit_note('T01V01', 3, (SELECT rev FROM o3), '党员名册每季度核对一次。');
SELECT is((SELECT revision_no FROM e3), (SELECT rev + 1 FROM o3), 'archive_edit_note: the next revision');
SELECT is(pg_temp.revision_content((SELECT revision_id FROM e3)),
	(SELECT content - 'note' || '{"note": "党员名册每季度核对一次。"}' FROM o3), 'the rest of the section as it was');
SELECT is((SELECT string_agg(path || '=' || label_zh, ',') FROM archive_changes((SELECT revision_id FROM e3))),
	'note=说明', 'the note alone changed');

-- 班子建设: a member added at the end
CREATE TEMP TABLE o2 AS SELECT pg_temp.content(2) AS content, pg_temp.rev(2) AS rev,
	jsonb_array_length(pg_temp.content(2) -> 'members') AS n;
CREATE TEMP TABLE e2 AS SELECT * FROM archive_add_member('T01V01', (SELECT rev FROM o2), 'villagers', '林晓燕', '委员',
	p_phone => '13957711234');
SELECT is((SELECT revision_no FROM e2), (SELECT rev + 1 FROM o2), 'archive_add_member: the next revision');
SELECT is(pg_temp.revision_content((SELECT revision_id FROM e2)) -> 'members',
	(SELECT (content -> 'members') || '[{"committee": "villagers", "name": "林晓燕", "post": "委员", "phone": "13957711234"}]'
	   FROM o2), 'the member at the end of the list, the others as they were');
SELECT results_eq(format('SELECT label_zh, before, after FROM archive_changes(%s) ORDER BY label_zh',
	(SELECT revision_id FROM e2)),
	format($$VALUES ('班子成员 %1$s · 姓名', NULL, '林晓燕'), ('班子成员 %1$s · 所在班子', NULL, 'villagers'),
	                ('班子成员 %1$s · 职务', NULL, '委员'), ('班子成员 %1$s · 联系电话', NULL, '13957711234')$$,
	       (SELECT n + 1 FROM o2)) || ' ORDER BY 1',
	'its four fields are new, labelled with its number');
SELECT is((SELECT count(*) FROM archive_section_lines('T01V01', 2) WHERE label_zh = '班子成员 ' || (SELECT n + 1 FROM o2)),
	1::bigint, 'the record lists it as 班子成员 N');
SELECT is((SELECT value FROM archive_section_lines('T01V01', 2) WHERE label_zh = '所在班子' AND value = '村民委员会'
            LIMIT 1), '村民委员会', 'its committee in words');

-- The other list sections
CREATE TEMP TABLE o4 AS SELECT pg_temp.content(4) AS content, pg_temp.rev(4) AS rev;
CREATE TEMP TABLE e4 AS SELECT * FROM archive_add_rule('T01V01', (SELECT rev FROM o4), '村级小微权力清单',
	'村务', '2026-01-15', '村级重大事项决策实行“五议两公开”。');
SELECT is(pg_temp.revision_content((SELECT revision_id FROM e4)),
	(SELECT content || jsonb_build_object('rules', (content -> 'rules') || '[{"title": "村级小微权力清单", "kind": "村务",
	   "adopted_on": "2026-01-15", "body": "村级重大事项决策实行“五议两公开”。"}]') FROM o4),
	'archive_add_rule: the rule at the end');
SELECT is((SELECT revision_no FROM e4), (SELECT rev + 1 FROM o4), 'one revision');

CREATE TEMP TABLE o5 AS SELECT pg_temp.content(5) AS content, pg_temp.rev(5) AS rev;
CREATE TEMP TABLE e5 AS SELECT * FROM archive_set_year('T01V01', (SELECT rev FROM o5), 2031, '1200000', '800000',
	'5600000', '物业出租');
SELECT is(pg_temp.revision_content((SELECT revision_id FROM e5)) -> 'years' -> -1,
	'{"year": 2031, "income": 1200000, "spending": 800000, "assets": 5600000, "main_sources": "物业出租"}'::jsonb,
	'archive_set_year: a new year, last in order');
SELECT is((SELECT revision_no FROM e5), (SELECT rev + 1 FROM o5), 'one revision');
SELECT is(pg_temp.changed((SELECT revision_id FROM e5)),
	(SELECT string_agg(format('years[%s].%s', jsonb_array_length(content -> 'years') + 1, k), ',' ORDER BY k)
	   FROM o5, unnest('{assets,income,main_sources,spending,year}'::text[]) k),
	'its fields are what changed');
CREATE TEMP TABLE e5b AS SELECT * FROM archive_set_year('T01V01', pg_temp.rev(5), 2031, '1300000');
SELECT is((SELECT count(*) FROM jsonb_array_elements(pg_temp.content(5) -> 'years') e WHERE e ->> 'year' = '2031'),
	1::bigint, 'the same year again replaces it');
SELECT is((SELECT string_agg(path || ':' || coalesce(before, '-') || '>' || coalesce(after, '-'), ',' ORDER BY path)
             FROM archive_changes((SELECT revision_id FROM e5b))),
	(SELECT format('years[%1$s].assets:5600000.00>-,years[%1$s].income:1200000.00>1300000.00,'
	               'years[%1$s].main_sources:物业出租>-,years[%1$s].spending:800000.00>-', jsonb_array_length(content -> 'years') + 1) FROM o5),
	'with what it no longer says');

CREATE TEMP TABLE o6 AS SELECT pg_temp.content(6) AS content, pg_temp.rev(6) AS rev;
CREATE TEMP TABLE e6 AS SELECT * FROM archive_add_facility('T01V01', (SELECT rev FROM o6), 'culture_hall', '文化礼堂',
	'建筑面积六百平方米');
SELECT is(pg_temp.revision_content((SELECT revision_id FROM e6)),
	(SELECT content || jsonb_build_object('facilities', coalesce(content -> 'facilities', '[]')
	   || '[{"kind": "culture_hall", "name": "文化礼堂", "facts": "建筑面积六百平方米"}]') FROM o6),
	'archive_add_facility: the facility at the end');
SELECT is((SELECT revision_no FROM e6), (SELECT rev + 1 FROM o6), 'one revision');

CREATE TEMP TABLE o7 AS SELECT pg_temp.content(7) AS content, pg_temp.rev(7) AS rev;
CREATE TEMP TABLE e7 AS SELECT * FROM archive_add_stability('T01V01', (SELECT rev FROM o7), 'dispute', '宅基地边界纠纷',
	'2026-05-01', '已调解');
SELECT is(pg_temp.revision_content((SELECT revision_id FROM e7)),
	(SELECT content || jsonb_build_object('items', coalesce(content -> 'items', '[]')
	   || '[{"kind": "dispute", "title": "宅基地边界纠纷", "since": "2026-05-01", "note": "已调解"}]') FROM o7),
	'archive_add_stability: the item at the end');
SELECT is((SELECT revision_no FROM e7), (SELECT rev + 1 FROM o7), 'one revision');

-- Removing the first member
CREATE TEMP TABLE o2r AS SELECT pg_temp.content(2) AS content, pg_temp.rev(2) AS rev,
	(SELECT max(revision_id) FROM archive_revision) AS last_id;
CREATE TEMP TABLE r2 AS SELECT * FROM archive_remove_item('T01V01', 2, (SELECT rev FROM o2r), 1);
SELECT is((SELECT revision_no FROM r2), (SELECT rev + 1 FROM o2r), 'archive_remove_item: the next revision');
SELECT is((SELECT count(*) FROM archive_revision WHERE revision_id > (SELECT last_id FROM o2r)), 1::bigint,
	'exactly one');
SELECT is(pg_temp.revision_content((SELECT revision_id FROM r2)), (SELECT content #- '{members,0}' FROM o2r),
	'without the first member, the others moved up');
SELECT is((SELECT items FROM archive_section_record('T01V01', 2)),
	(SELECT jsonb_array_length(content -> 'members') - 1 FROM o2r), 'one item fewer on the record');

------------------------------------------------------------------------------
-- Refused
------------------------------------------------------------------------------
SELECT throws_ok(format($$SELECT * FROM archive_edit_note('T01V01', 3, %s, '过时的修改')$$, (SELECT rev FROM o3)),
	'40001', NULL, 'a stale p_expect_revision: 40001');
SELECT throws_ok(format($$SELECT * FROM archive_edit_overview('T01V01', %s, p_main_industries => '过时')$$,
	(SELECT rev FROM o1)), '40001', NULL, 'also for the overview');
SELECT throws_ok(format($$SELECT * FROM archive_add_member('T01V01', %s, 'party', '王五', '委员')$$, (SELECT rev FROM o2)),
	'40001', NULL, 'and for adding an item');
SELECT throws_ok(format($$SELECT * FROM archive_remove_item('T01V01', 2, %s, 1)$$, (SELECT rev FROM o2r)),
	'40001', NULL, 'and for removing one');
SELECT throws_ok(format($$SELECT * FROM archive_remove_item('T01V01', 2, %s, 0)$$, pg_temp.rev(2)),
	'22023', 'there is no item 0 in this section', 'item 0 does not exist');
SELECT throws_ok(format($$SELECT * FROM archive_remove_item('T01V01', 2, %s, 99)$$, pg_temp.rev(2)),
	'22023', 'there is no item 99 in this section', 'nor does one past the end');
SELECT throws_ok(format($$SELECT * FROM archive_remove_item('T01V01', 2, %s, NULL)$$, pg_temp.rev(2)),
	'22023', 'there is no item NULL in this section', 'nor no item');
SELECT throws_ok(format($$SELECT * FROM archive_remove_item('T01V01', 1, %s, 1)$$, pg_temp.rev(1)),
	'22023', 'section 1 of the archive has no list of items', 'section 1 has no items to remove');
SELECT throws_ok(format($$SELECT * FROM archive_add_item('T01V01', 3, %s, '{"name": "x"}')$$, pg_temp.rev(3)),
	'22023', 'section 3 of the archive has no list of items', 'nor section 3 to add to');
SELECT throws_ok(format($$SELECT * FROM archive_add_item('T01V01', 8, %s, '{}')$$, pg_temp.rev(8)),
	'22023', 'section 8 of the archive has no list of items', 'nor section 8');
SELECT throws_ok(format($$SELECT * FROM archive_add_member('T01V01', %s, 'club', '王五', '委员')$$, pg_temp.rev(2)),
	'22023', NULL, 'a member of an unknown committee');

-- Another village, of my town and of another
SELECT throws_ok($$SELECT * FROM archive_section_list('T01V02')$$, '42501', NULL, 'another village: no section list');
SELECT throws_ok($$SELECT * FROM archive_section_record('T01V02', 1)$$, '42501', NULL, 'no record');
SELECT throws_ok($$SELECT * FROM archive_section_lines('T02V01', 2)$$, '42501', NULL, 'no lines');
SELECT throws_ok($$SELECT * FROM archive_revisions('T01V02', 1)$$, '42501', NULL, 'no history');
SELECT throws_ok($$SELECT archive_current('T02V01', 1)$$, '42501', NULL, 'no content');
SELECT throws_ok(format('SELECT * FROM archive_changes(%s)',
	(SELECT min(g) FROM generate_series(1, 100000) g WHERE g NOT IN (SELECT revision_id FROM archive_revision))),
	'P0002', NULL, 'no differences of its revisions (not found)');
SELECT throws_ok($$SELECT * FROM archive_edit_overview('T01V02', 1, p_main_industries => '外村')$$, '42501', NULL,
	'no overview edit');
SELECT throws_ok($$SELECT * FROM archive_edit_note('T02V01', 3, 1, '外村')$$, '42501', NULL, 'no note');
SELECT throws_ok($$SELECT * FROM archive_add_member('T01V02', 1, 'party', '王五', '委员')$$, '42501', NULL, 'no member');
SELECT throws_ok($$SELECT * FROM archive_add_rule('T02V01', 1, '外村制度')$$, '42501', NULL, 'no rule');
SELECT throws_ok($$SELECT * FROM archive_set_year('T01V02', 1, 2030, '1')$$, '42501', NULL, 'no year');
SELECT throws_ok($$SELECT * FROM archive_add_facility('T02V01', 1, 'road', '外村道路')$$, '42501', NULL, 'no facility');
SELECT throws_ok($$SELECT * FROM archive_add_stability('T01V02', 1, 'dispute', '外村纠纷')$$, '42501', NULL,
	'no stability item');
SELECT throws_ok($$SELECT * FROM archive_remove_item('T02V01', 2, 1, 1)$$, '42501', NULL, 'no removal');

------------------------------------------------------------------------------
-- The notice record: opening marks read; editable for my own unit only
------------------------------------------------------------------------------
CREATE TEMP TABLE un AS SELECT notice_id FROM notices(p_filter => 'unread', p_limit => 1);
SELECT is((SELECT editable || '|' || (read_at IS NULL)::text FROM notice_record((SELECT notice_id FROM un))), 'readonly|true',
	'a notice from above: readonly, unread');
SELECT is(notice_opened((SELECT notice_id FROM un)), now(), 'notice_opened records that I read it');
SELECT is((SELECT unread FROM notices(p_limit => 500) WHERE notice_id = (SELECT notice_id FROM un)), false,
	'its 未读 mark is gone');
CREATE TEMP TABLE dr AS SELECT * FROM notice_save(p_unit_code => 'T01V01', p_kind => 'notice', p_audience => 'public',
	p_title => '村委会办公时间调整', p_body => '自下周一起，村委会周六上午照常办公。');
SELECT is((SELECT editable FROM notice_record((SELECT saved_notice_id FROM dr))), 'draft', 'my own draft: editable draft');
SELECT is(notice_opened((SELECT saved_notice_id FROM dr)), NULL, 'opening a draft records nothing');
SELECT is((SELECT count(*) FROM notice_read WHERE notice_id = (SELECT saved_notice_id FROM dr)), 0::bigint,
	'no receipt');
SELECT lives_ok(format('SELECT notice_publish(%s, %s)', (SELECT saved_notice_id FROM dr), (SELECT saved_row_version FROM dr)),
	'I publish it');
SELECT is((SELECT editable FROM notice_record((SELECT saved_notice_id FROM dr))), 'published',
	'my own published notice: editable published (it can be withdrawn)');

SELECT * FROM finish();
ROLLBACK;
