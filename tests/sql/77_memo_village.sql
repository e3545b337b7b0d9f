-- account: demo_village
-- The household memo as the information officer of T01V01: finding my
-- village's households by number, name, address, phone and ID tails, a page
-- at a time without gap or repeat; the card with phones and ID numbers
-- masked; saving the memo (every save a revision; 40001 on a stale
-- version), its history and differences; demands raised, resolved and
-- turned into a case; the lists; nothing of another village, and no way to
-- change a revision.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(52);

-- A household of mine with a head who has a phone and an ID number, and one
-- of another village (read as nobody here can: through the search table's
-- owner, so the test names it without seeing it).
SELECT h.household_id AS mine, h.household_no AS mine_no, r.name AS head, r.phone AS head_phone,
       right(r.id_card_masked, 4) AS id4
  FROM household h JOIN resident r ON r.resident_id = h.head_resident_id
 WHERE h.active AND r.phone IS NOT NULL AND r.id_card_masked IS NOT NULL AND char_length(r.name) >= 3
 ORDER BY h.household_id LIMIT 1 \gset

-- Classification
SELECT is(ARRAY(SELECT kind FROM unnest(ARRAY['', ' 王 ', '王建', 'T01V01-00', 't01v01-0001', '13800138000',
                                                '0577-88123456', '5678', '12345678', '1234X', '12', '天兴公寓'])
                                  AS q, household_query(q)),
	'{empty,short,words,household_no,household_no,phone,phone,tail,tail,id_tail,words,words}'::text[],
	'a search is classified by what it looks like');
SELECT is((SELECT norm FROM household_query('t01v01-0001')), 'T01V01-0001', 'a household number is upper-cased');
SELECT is((SELECT norm FROM household_query(E'\u3000王建 ')), '王建', 'blanks and the ideographic space are trimmed');

-- Finding
SELECT is((SELECT household_id FROM household_search(:'mine_no')), :mine::bigint, 'by household number');
SELECT ok(:mine IN (SELECT household_id FROM household_search(left(:'head', 2), p_limit => 200)),
	'by two characters of the head''s name');
SELECT ok(:mine IN (SELECT household_id FROM household_search(right(:'head', 2), p_limit => 200)),
	'by the last two characters of the head''s name');
SELECT is((SELECT count(*) FROM household_search(left(:'head', 1), p_limit => 200)
            WHERE NOT starts_with(head_name, left(:'head', 1))), 0::bigint,
	'one character finds only names that begin with it');
SELECT ok(:mine IN (SELECT household_id FROM household_search(:'head_phone')), 'by the head''s phone');
SELECT ok(:mine IN (SELECT household_id FROM household_search(right(:'head_phone', 4), p_limit => 200)),
	'by the last four digits of the phone');
SELECT ok(:mine IN (SELECT household_id FROM household_search(right(:'head_phone', 7), p_limit => 200)),
	'by the last seven digits');
SELECT ok(:mine IN (SELECT household_id FROM household_search(:'id4', p_limit => 200)),
	'by the last four characters of the ID number');
SELECT ok((SELECT bool_and(address LIKE '%天兴公寓1幢%') FROM household_search('天兴公寓1幢', p_limit => 200))
	AND (SELECT count(*) FROM household_search('天兴公寓1幢', p_limit => 200))
	    = (SELECT count(*) FROM household WHERE active AND address LIKE '%天兴公寓1幢%'),
	'by part of the address: all of them, nothing else');
SELECT is((SELECT count(*) FROM household_search('', p_limit => 200) WHERE phone ~ '^1[3-9][0-9]{9}$'), 0::bigint,
	'phones are masked in the search');
SELECT is((SELECT count(*) FROM household_search('LW.T02', p_limit => 200)), 0::bigint, 'a path is not a way in');
SELECT is((SELECT count(*) FROM household_search('', p_limit => 200) WHERE unit_code <> 'T01V01'), 0::bigint,
	'only households of my village');

-- Keyset paging: every household of my village once, in order
CREATE TEMP TABLE pages (n serial, household_id bigint, sort_key text);
DO $$
DECLARE
	k text;
	i bigint;
	got integer;
BEGIN
	LOOP
		INSERT INTO pages (household_id, sort_key)
		SELECT s.household_id, s.sort_key FROM minqing.household_search('', k, i, 37) s;
		GET DIAGNOSTICS got = ROW_COUNT;
		EXIT WHEN got < 37;
		SELECT p.sort_key, p.household_id INTO k, i FROM pages p ORDER BY p.n DESC LIMIT 1;
	END LOOP;
END
$$;
SELECT is((SELECT count(*) FROM pages), (SELECT count(*) FROM household WHERE active), 'paging reaches every household');
SELECT is((SELECT count(DISTINCT household_id) FROM pages), (SELECT count(*) FROM pages), 'none twice');
SELECT is((SELECT array_agg(household_id ORDER BY n) FROM pages),
	(SELECT array_agg(household_id ORDER BY path::text || ' ' || household_no COLLATE "C", household_id)
	   FROM household WHERE active), 'in the order of village and number');
-- the same for a word, with the page boundary inside the matches
SELECT array_agg(household_id ORDER BY sort_key COLLATE "C", household_id) AS all_wang
  FROM household_search('王', p_limit => 200) \gset
SELECT sort_key AS k5, household_id AS i5 FROM household_search('王', p_limit => 5) ORDER BY sort_key COLLATE "C" DESC LIMIT 1 \gset
SELECT is(ARRAY(SELECT household_id FROM household_search('王', p_limit => 5))
	|| ARRAY(SELECT household_id FROM household_search('王', :'k5', :i5, 195)),
	:'all_wang'::bigint[], 'two pages of a search are the whole result, without gap or repeat');

-- The card
SELECT is((SELECT household_no FROM household_card(:mine)), :'mine_no', 'the card of my household');
SELECT is((SELECT phone FROM household_card(:mine)), (SELECT mask_phone(phone) FROM household WHERE household_id = :mine),
	'its phone masked');
SELECT ok((SELECT party_member_phone IS NULL OR party_member_phone LIKE '%****%' FROM household_card(:mine)),
	'the party member''s phone masked');
SELECT is((SELECT count(*) FROM household_members(:mine)), (SELECT count(*) FROM resident WHERE household_id = :mine AND active),
	'its members');
SELECT is((SELECT count(*) FROM household_members(:mine) WHERE phone ~ '^1[3-9][0-9]{9}$' OR id_card ~ '^[0-9]{17}[0-9X]$'),
	0::bigint, 'members'' phones and ID numbers masked');
SELECT ok((SELECT is_head AND age BETWEEN 0 AND 120 FROM household_members(:mine) LIMIT 1), 'the head first, with an age');
SELECT is((SELECT count(*) FROM household_cases(:mine, p_limit => 200)),
	(SELECT count(*) FROM cases WHERE household_id = :mine), 'its cases');

-- Saving the memo
SELECT row_version AS v0, revision_no AS r0 FROM household_card(:mine) \gset
SELECT is((SELECT revision_no FROM memo_save(:mine, '家中三口人。', '老人看病难。', NULL, NULL, :v0)), :r0 + 1,
	'a save is a new revision');
SELECT is((SELECT living FROM household_card(:mine)), '家中三口人。', 'the card shows it');
SELECT throws_ok(format('SELECT * FROM minqing.memo_save(%s, %L, NULL, NULL, NULL, %s)', :mine, '旧的', :v0),
	'40001', NULL, 'a save from a stale version is refused (40001)');
SELECT is((SELECT changed FROM memo_save(:mine, '家中三口人。', '老人看病难，已联系医保。', '希望申请救助。', NULL,
                                         (SELECT row_version FROM household_card(:mine)))),
	'{difficulties,demands_note}'::text[], 'the revision says which fields changed');
SELECT is((SELECT count(*) FROM memo_history(:mine)), (:r0 + 2)::bigint, 'the history holds every revision');
SELECT max(revision_id) AS rb, min(revision_id) FILTER (WHERE revision_no = :r0 + 1) AS ra
  FROM memo_history(:mine) \gset
SELECT is((SELECT array_agg(field ORDER BY field) FROM memo_diff(:ra, :rb)), '{demands_note,difficulties}'::text[],
	'the differences between two revisions');
SELECT is((SELECT after FROM memo_diff(:ra, :rb) WHERE field = 'demands_note'), '希望申请救助。', 'with the texts');
SELECT throws_ok(format('UPDATE minqing.household_memo_revision SET living = %L WHERE revision_id = %s', 'x', :rb),
	'42501', NULL, 'a revision cannot be changed');
SELECT throws_ok(format('DELETE FROM minqing.household_memo_revision WHERE revision_id = %s', :rb),
	'42501', NULL, 'nor deleted');
SELECT throws_ok($$UPDATE minqing.household_memo SET living = 'x'$$, '42501', NULL, 'the memo is written by memo_save only');

-- Demands
SELECT demand_add(:mine, '门前路灯坏了，希望尽快修复。') AS d1 \gset
SELECT demand_add(:mine, '希望帮助申请临时救助。') AS d2 \gset
SELECT is((SELECT status FROM household_demands(:mine) WHERE demand_id = :d1), 'open', 'a demand is open');
SELECT is((SELECT open_demands FROM household_card(:mine)),
	(SELECT count(*)::int FROM household_demand WHERE household_id = :mine AND status = 'open'), 'the card counts it');
SELECT lives_ok(format('SELECT minqing.demand_resolve(%s, %L)', :d1, '已报修，路灯已更换。'), 'resolving a demand');
SELECT is((SELECT status || ' ' || resolution FROM household_demands(:mine) WHERE demand_id = :d1),
	'resolved 已报修，路灯已更换。', 'resolved with its note');
SELECT throws_ok(format('SELECT minqing.demand_resolve(%s, %L)', :d1, '再次'), '25000', NULL,
	'a resolved demand cannot be resolved again');
SELECT is((SELECT title || '|' || household_id || '|' || submitter_name FROM demand_intake_defaults(:d2)),
	'希望帮助申请临时救助。|' || :mine || '|' || :'head', 'the intake form''s defaults: title, household, head');
SELECT value::integer AS cat FROM pick_categories() WHERE depth > 0 LIMIT 1 \gset
SELECT case_no AS cno FROM demand_to_case(:d2, 'walk_in', :cat) \gset
SELECT is((SELECT status || ' ' || case_no || ' ' || case_status FROM household_demands(:mine) WHERE demand_id = :d2),
	'case ' || :'cno' || ' received', 'a demand turned into a case shows the case and its status');
SELECT is((SELECT household_id || ' ' || submitter_name || ' ' || content FROM cases WHERE case_no = :'cno'),
	:mine || ' ' || :'head' || ' 希望帮助申请临时救助。', 'the case has the household, its head, the demand''s text');
SELECT ok(:d2 NOT IN (SELECT demand_id FROM open_demands(p_limit => 500)), 'it is no longer open');

-- Lists
SELECT ok(:mine NOT IN (SELECT household_id FROM households_without_memo(p_limit => 500)),
	'a household with a memo is not in the list of those without');
SELECT is((SELECT count(*) FROM memos_stale(p_limit => 500) WHERE saved_at >= now() - interval '12 months'), 0::bigint,
	'stale memos: none saved within the last 12 months');
SELECT throws_ok($$SELECT * FROM minqing.open_demands('T02V01')$$, '42501', NULL, 'another village''s list is refused');

-- Another village: the demo numbers households village by village, so the
-- one after my last is the next village's first.
SELECT max(household_id) + 1 AS other FROM household \gset
SELECT throws_ok(format('SELECT * FROM minqing.household_card(%s)', :other), 'P0002', NULL,
	'a household of another village is not found');
SELECT throws_ok(format('SELECT * FROM minqing.memo_save(%s, %L, NULL, NULL, NULL, 0)', :other, '写入'), 'P0002', NULL,
	'its memo cannot be written');
SELECT throws_ok(format('SELECT minqing.demand_add(%s, %L)', :other, '诉求'), 'P0002', NULL, 'nor a demand added');
SELECT throws_ok(format('SELECT * FROM minqing.memo_history(%s)', :other), 'P0002', NULL, 'nor its history read');

SELECT * FROM finish();
ROLLBACK;
