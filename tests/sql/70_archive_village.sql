-- account: demo_village
-- The village archive as the information officer of T01V01: my village's
-- eight sections, the derived figures, saving (every save a revision, the
-- revision I opened or 40001), the differences between revisions, checked
-- input, hardship marks; nothing of another village, and no way to change a
-- revision.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(57);

CREATE FUNCTION pg_temp.affected(sql text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE sql;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
CREATE FUNCTION pg_temp.rev(p_section integer) RETURNS integer LANGUAGE sql AS $$
	SELECT revision_no FROM minqing.archive_section('T01V01', p_section)
$$;

-- Reading
SELECT is((SELECT count(*) FROM archive_sections('T01V01')), 8::bigint, 'my village has eight sections');
SELECT is((SELECT array_agg(code ORDER BY section) FROM archive_sections('T01V01')),
	'{overview,leadership,party,rules,economy,social,stability,hardship}'::text[], 'in their order, by code');
SELECT ok((SELECT bool_and(filled) FROM archive_sections('T01V01')), 'the demo filled every section');
SELECT is((SELECT count(*) FROM archive_sections('T01V01')
            WHERE stale IS DISTINCT FROM (saved_at < now() - interval '12 months')), 0::bigint,
	'stale: not saved within the district''s 12 months');
SELECT is((SELECT (derived ->> 'households')::bigint FROM archive_section('T01V01', 1)),
	(SELECT count(*) FROM household WHERE active), 'section 1 shows the live household count');
SELECT is((SELECT (derived ->> 'residents')::bigint FROM archive_section('T01V01', 1)),
	(SELECT count(*) FROM resident WHERE active), 'and the live resident count');
SELECT is((SELECT (derived ->> 'count')::bigint FROM archive_section('T01V01', 3)),
	(SELECT count(*) FROM party_member p JOIN resident r USING (resident_id) WHERE r.active),
	'section 3 is derived from the party-member register');
SELECT is((SELECT (derived ->> 'male')::int + (derived ->> 'female')::int FROM archive_section('T01V01', 3)),
	(SELECT count(*)::int FROM party_member p JOIN resident r USING (resident_id) WHERE r.active AND r.gender IS NOT NULL),
	'by sex');
SELECT is((SELECT (SELECT sum(v::int) FROM jsonb_each_text(derived -> 'age_bands') AS e(k, v))
             FROM archive_section('T01V01', 3)),
	(SELECT count(*)::bigint FROM party_member p JOIN resident r USING (resident_id) WHERE r.active),
	'the age bands add up to the count');
SELECT is((SELECT coalesce(sum((e ->> 'cases')::int), 0) FROM archive_section('T01V01', 7),
                  jsonb_array_elements(derived -> 'mediation') AS e)::bigint,
	(SELECT count(*) FROM cases c JOIN case_category k USING (category_id)
	  WHERE k.centre = 'mediation' AND c.origin_path <@ 'LW.T01.T01V01'),
	'section 7 counts the village''s mediation cases per year');
SELECT is((SELECT sum(v::bigint) FROM archive_section('T01V01', 8), jsonb_each_text(derived -> 'counts') AS e(k, v)),
	(SELECT count(*)::numeric FROM hardship_mark WHERE until IS NULL), 'section 8 counts the current hardship marks');
SELECT is((SELECT (derived -> 'counts' ->> 'dibao')::bigint FROM archive_section('T01V01', 8)),
	(SELECT count(*) FROM hardship_mark WHERE until IS NULL AND kind = 'dibao'), 'per kind');
SELECT is((SELECT count(*) FROM hardship_marks('T01V01', NULL, NULL, 200)),
	(SELECT least(count(*), 200) FROM hardship_mark WHERE until IS NULL), 'the current marks, a page at a time');
SELECT is((SELECT array_agg(mark_id ORDER BY mark_id) FROM hardship_marks('T01V01', 'dibao',
	(SELECT max(mark_id) FROM hardship_marks('T01V01', 'dibao', NULL, 3)), 3)),
	(SELECT array_agg(mark_id ORDER BY mark_id) FROM (SELECT mark_id FROM hardship_mark
	  WHERE until IS NULL AND kind = 'dibao' ORDER BY mark_id OFFSET 3 LIMIT 3) x),
	'the next page after the last mark shown');
SELECT ok((SELECT count(*) FROM archive_history('T01V01', 5)) >= 1, 'the history of a section');
SELECT is((SELECT max(revision_no) FROM archive_history('T01V01', 5)), pg_temp.rev(5),
	'its newest revision is the section''s');

-- Nothing of another village
SELECT throws_ok($$SELECT * FROM archive_sections('T02V01')$$, '42501', NULL,
	'another town''s village is outside my jurisdiction');
SELECT throws_ok($$SELECT * FROM archive_section('T01V02', 1)$$, '42501', NULL,
	'so is another village of my town');
SELECT throws_ok($$SELECT * FROM archive_history('T01V02', 1)$$, '42501', NULL, 'and its history');
SELECT throws_ok($$SELECT * FROM hardship_marks('T01V02')$$, '42501', NULL, 'and its hardship marks');
SELECT throws_ok($$SELECT * FROM archive_sections('T01')$$, '42501', NULL, 'and my town');
SELECT is((SELECT count(*) FROM archive_revision WHERE NOT path <@ 'LW.T01.T01V01'), 0::bigint,
	'revisions: only my village''s');
SELECT is((SELECT count(*) FROM archive_section WHERE NOT path <@ 'LW.T01.T01V01')
        + (SELECT count(*) FROM archive_member WHERE NOT path <@ 'LW.T01.T01V01')
        + (SELECT count(*) FROM archive_economy WHERE NOT path <@ 'LW.T01.T01V01')
        + (SELECT count(*) FROM hardship_mark WHERE NOT path <@ 'LW.T01.T01V01'), 0::bigint,
	'sections, members, accounts and hardship marks: only my village''s');
SELECT throws_ok(format('SELECT * FROM archive_diff(%s, %s)',
	(SELECT min(g) FROM generate_series(1, 200) g WHERE g NOT IN (SELECT revision_id FROM archive_revision)),
	(SELECT min(revision_id) FROM archive_revision)), 'P0002', NULL,
	'the difference with another village''s revision: not found');
SELECT is((SELECT count(DISTINCT unit_code) FROM archive_overview()), 1::bigint,
	'the overview: my village only');

-- Revisions cannot be changed
SELECT throws_ok($$UPDATE archive_revision SET content = '{}'$$, '42501', NULL, 'I cannot edit a revision');
SELECT throws_ok($$DELETE FROM archive_revision$$, '42501', NULL, 'nor delete one');
SELECT throws_ok($$INSERT INTO archive_revision (unit_id, section, revision_no, district_id, path, content)
	SELECT unit_id, 1, 99, 1, path, '{}' FROM org_unit WHERE code = 'T01V01'$$, '42501', NULL, 'nor forge one');
SELECT throws_ok($$UPDATE archive_section SET revision_no = 0$$, '42501', NULL,
	'the sections change only through archive_save_section');
SELECT throws_ok($$DELETE FROM hardship_mark$$, '42501', NULL, 'hardship marks are not deleted');

-- Saving
CREATE TEMP TABLE before AS SELECT content, revision_no FROM archive_section('T01V01', 2);
CREATE TEMP TABLE saved AS
SELECT * FROM archive_save_section('T01V01', 2,
	jsonb_set((SELECT content FROM before), '{members,0,phone}', '"13957700001"') || '{"note": "班子成员调整后重新登记。"}',
	(SELECT revision_no FROM before));
SELECT is((SELECT revision_no FROM saved), (SELECT revision_no + 1 FROM before), 'a save is the next revision');
SELECT is((SELECT changed FROM saved), '{members,note}'::text[], 'it says which fields changed');
SELECT is((SELECT content -> 'members' -> 0 ->> 'phone' FROM archive_section('T01V01', 2)), '13957700001',
	'the section shows what was saved');
SELECT is((SELECT content FROM archive_revision WHERE revision_id = (SELECT revision_id FROM saved)),
	(SELECT content FROM archive_section('T01V01', 2)), 'the revision holds the whole content as it stands');
SELECT is((SELECT saved_by FROM archive_history('T01V01', 2) LIMIT 1), 'demo_village'::name,
	'the history names who saved it, newest first');
SELECT results_eq(format('SELECT path, before, after FROM archive_diff(%s, %s)',
	(SELECT revision_id FROM archive_revision WHERE unit_id = (SELECT unit_id FROM org_unit WHERE code = 'T01V01')
	    AND section = 2 AND revision_no = (SELECT revision_no FROM before)),
	(SELECT revision_id FROM saved)),
	format($$VALUES ('members[1].phone', %L, '13957700001'), ('note', %L, '班子成员调整后重新登记。')$$,
	       (SELECT content -> 'members' -> 0 ->> 'phone' FROM before), (SELECT content ->> 'note' FROM before)),
	'the difference between two revisions, field by field');
SELECT throws_ok(format($$SELECT * FROM archive_save_section('T01V01', 2, '{"note": "另一人的修改"}', %s)$$,
	(SELECT revision_no FROM before)), '40001', NULL,
	'saving over a revision someone saved since I opened it: 40001');
SELECT is((SELECT count(*) FROM archive_history('T01V01', 2, (SELECT revision_no FROM saved))),
	least((SELECT revision_no FROM before), 20)::bigint, 'the next page of the history starts below a revision');

-- Checked input
SELECT throws_ok(format($$SELECT * FROM archive_save_section('T01V01', 1, '{"population": 5}', %s)$$,
	pg_temp.rev(1)), '22023', NULL, 'an unknown field is refused');
SELECT throws_ok(format($$SELECT * FROM archive_save_section('T01V01', 1, '{"area_km2": "很大"}', %s)$$,
	pg_temp.rev(1)), '22P02', NULL, 'a number that is not one');
SELECT throws_ok(format($$SELECT * FROM archive_save_section('T01V01', 1, '{"resident_population": -3}', %s)$$,
	pg_temp.rev(1)), '22003', NULL, 'a negative population');
SELECT throws_ok(format($$SELECT * FROM archive_save_section('T01V01', 4, '{"rules": [{"title": "村规", "adopted_on": "2024-02-30"}]}', %s)$$,
	pg_temp.rev(4)), '22007', NULL, 'a date that does not exist');
SELECT throws_ok(format($$SELECT * FROM archive_save_section('T01V01', 2, '{"members": [{"committee": "club", "name": "王五", "post": "委员"}]}', %s)$$,
	pg_temp.rev(2)), '22023', NULL, 'an unknown committee');
SELECT throws_ok(format($$SELECT * FROM archive_save_section('T01V01', 2, '{"members": [{"committee": "party", "name": "\u3000", "post": "委员"}]}', %s)$$,
	pg_temp.rev(2)), '23502', NULL, 'a member without a name (blank counts)');
SELECT throws_ok(format($$SELECT * FROM archive_save_section('T01V01', 3, jsonb_build_object('note', repeat('很', 5000)), %s)$$,
	pg_temp.rev(3)), '22001', NULL, 'a note too long');
SELECT throws_ok(format($$SELECT * FROM archive_save_section('T01V01', 3, jsonb_build_object('note', E'正常\u202e文本'), %s)$$,
	pg_temp.rev(3)), '22021', NULL, 'a note with a direction override');
SELECT throws_ok(format($$SELECT * FROM archive_save_section('T01V01', 5, '{"years": [{"year": 2024}, {"year": 2024}]}', %s)$$,
	pg_temp.rev(5)), '23505', NULL, 'a year twice');
SELECT throws_ok($$SELECT * FROM archive_save_section('T01V01', 9, '{}', 0)$$, '22023', NULL, 'section 9');
SELECT throws_ok($$SELECT * FROM archive_save_section('T01V01', 3, '[]', 0)$$, '22023', NULL, 'content that is not an object');
SELECT throws_ok($$SELECT * FROM archive_save_section('T02V01', 3, '{}', 0)$$, '42501', NULL,
	'I cannot save another village''s section');
SELECT throws_ok($$SELECT * FROM archive_save_section('T01', 3, '{}', 0)$$, '42501', NULL, 'nor my town''s');

-- Hardship marks
CREATE TEMP TABLE m AS
SELECT hardship_mark_add((SELECT min(household_id) FROM household), NULL, 'dibao', current_date - 10, '新认定低保户') AS id;
SELECT is((SELECT kind || ' ' || note FROM household_hardship((SELECT min(household_id) FROM household))
            WHERE mark_id = (SELECT id FROM m)), 'dibao 新认定低保户', 'a mark on a household shows on its memo');
SELECT lives_ok(format('SELECT hardship_mark_end(%s, current_date, %L)', (SELECT id FROM m), '收入提高，退出低保'),
	'and ends');
SELECT throws_ok(format('SELECT hardship_mark_end(%s)', (SELECT id FROM m)), '22023', NULL, 'once');
SELECT throws_ok(format('SELECT hardship_mark_add(%s, NULL, %L)', (SELECT max(household_id) + 1 FROM household), 'dibao'),
	'P0002', NULL, 'a household of another village: not found');
SELECT throws_ok(format('SELECT hardship_mark_end(%s)', (SELECT max(mark_id) + 1 FROM hardship_mark)),
	'P0002', NULL, 'a mark of another village: not found');
SELECT throws_ok($$SELECT hardship_mark_add((SELECT min(household_id) FROM household), NULL, 'rich')$$,
	'22023', NULL, 'an unknown hardship kind');

SELECT * FROM finish();
ROLLBACK;
