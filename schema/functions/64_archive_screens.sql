-- schema/functions/64_archive_screens.sql: what the console's village
-- archive screens read and submit (forms/archive*.view, forms/archive_*.form):
-- the villages of a jurisdiction with the state of their eight sections, a
-- section as a record and as labelled lines, the history with what changed,
-- the differences of a revision, and the edits of a section as forms can
-- send them (one field a parameter), each saved through
-- archive_save_section() as one new revision.
--
-- The current definition of these functions, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` in the
-- migration transaction whenever the function files change
-- (docs/development.md). The model: docs/archive.md.
--
-- None of these is a definer: each runs as the caller and goes through the
-- checked functions of 57_archive.sql (archive_overview, archive_section,
-- archive_history, archive_diff, archive_save_section), which decide who may
-- read and save what.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Labels: the fields of a content in Chinese and English
------------------------------------------------------------------------------
-- A key of a section's content or of its derived figures; the key with its
-- parent first (members.name is a person's name, facilities.name a place's).
-- The labels of the keys, in Chinese and English: one jsonb constant, looked
-- up by key (a row of VALUES scanned per leaf cost the section's lines 10 ms).
CREATE OR REPLACE FUNCTION minqing.archive_key_labels() RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{
	"area_km2": ["面积（平方公里）", "Area (km²)"],
	"villager_groups": ["村民小组", "Villager groups"],
	"natural_villages": ["自然村", "Natural villages"],
	"registered_population": ["户籍人口", "Registered population"],
	"resident_population": ["常住人口", "Resident population"],
	"arable_land_mu": ["耕地（亩）", "Arable land (mu)"],
	"main_industries": ["主要产业", "Main industries"],
	"note": ["说明", "Notes"],
	"members": ["班子成员", "Member"],
	"committee": ["所在班子", "Committee"],
	"members.name": ["姓名", "Name"],
	"name": ["名称", "Name"],
	"post": ["职务", "Post"],
	"term": ["届次", "Term"],
	"since": ["起始日期", "Since"],
	"until": ["截止日期", "Until"],
	"phone": ["联系电话", "Phone"],
	"rules": ["制度", "Rule"],
	"title": ["标题", "Title"],
	"kind": ["类别", "Kind"],
	"adopted_on": ["通过日期", "Adopted on"],
	"body": ["内容", "Text"],
	"years": ["年度收支", "Year"],
	"year": ["年度", "Year"],
	"income": ["收入（元）", "Income (yuan)"],
	"spending": ["支出（元）", "Spending (yuan)"],
	"assets": ["资产（元）", "Assets (yuan)"],
	"main_sources": ["主要收入来源", "Main sources"],
	"facilities": ["设施", "Facility"],
	"facts": ["基本情况", "Facts"],
	"items": ["事项", "Item"],
	"households": ["户数", "Households"],
	"residents": ["人口", "Residents"],
	"party_members": ["党员", "Party members"],
	"count": ["人数", "Count"],
	"male": ["男", "Men"],
	"female": ["女", "Women"],
	"age_bands": ["年龄结构", "Ages"],
	"under_35": ["35岁以下", "Under 35"],
	"35_49": ["35至49岁", "35 to 49"],
	"50_59": ["50至59岁", "50 to 59"],
	"60_69": ["60至69岁", "60 to 69"],
	"70_over": ["70岁及以上", "70 and over"],
	"unknown": ["不详", "Unknown"],
	"joined": ["入党年代", "Joined"],
	"decade": ["年代", "Decade"],
	"groups": ["党小组", "Party groups"],
	"branch": ["党小组", "Group"],
	"mediation": ["民情调处案件", "Mediation cases"],
	"cases": ["件数", "Cases"],
	"resolved": ["已办结", "Resolved"],
	"counts": ["现有困难标记", "Current hardship marks"],
	"dibao": ["低保", "Minimum living allowance"],
	"dibian": ["低边", "Near the allowance line"],
	"tekun": ["特困", "Extreme hardship"],
	"disabled": ["残疾", "Disability"],
	"elderly_alone": ["独居老人", "Elderly living alone"],
	"left_behind_child": ["留守儿童", "Left-behind child"],
	"serious_illness": ["重病", "Serious illness"]
}'::jsonb;
COMMENT ON FUNCTION minqing.archive_key_labels() IS
	'The labels of the keys of archive contents and derived figures: key (or parent.key) -> [Chinese, English].';
REVOKE ALL ON FUNCTION minqing.archive_key_labels() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_key_labels() TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.archive_key_label(p_parent text, p_key text, p_en boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(minqing.archive_key_labels() -> (p_parent || '.' || p_key) ->> (CASE WHEN p_en THEN 1 ELSE 0 END),
                minqing.archive_key_labels() -> p_key ->> (CASE WHEN p_en THEN 1 ELSE 0 END),
                p_key);
COMMENT ON FUNCTION minqing.archive_key_label(text, text, boolean) IS
	'The label of a key of an archive section''s content or derived figures, in Chinese or English '
	'(p_parent.p_key first: members.name is 姓名); the key itself when it has none.';
REVOKE ALL ON FUNCTION minqing.archive_key_label(text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_key_label(text, text, boolean) TO mq_staff;

-- The place of a key among its siblings on the screen (a person reads the
-- name before the post, the year before the income), whatever order jsonb
-- keeps them in.
CREATE OR REPLACE FUNCTION minqing.archive_key_rank(p_key text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lpad(coalesce(array_position(ARRAY[
	'area_km2', 'villager_groups', 'natural_villages', 'registered_population', 'resident_population',
	'arable_land_mu', 'main_industries', 'households', 'residents', 'party_members',
	'committee', 'name', 'post', 'term', 'since', 'until', 'phone',
	'year', 'income', 'spending', 'assets', 'main_sources',
	'kind', 'title', 'adopted_on', 'facts', 'body',
	'count', 'male', 'female', 'age_bands', 'under_35', '35_49', '50_59', '60_69', '70_over', 'unknown',
	'joined', 'decade', 'groups', 'branch', 'mediation', 'cases', 'resolved', 'counts',
	'members', 'rules', 'years', 'facilities', 'items', 'note'], p_key), 99)::text, 3, '0') || p_key;
COMMENT ON FUNCTION minqing.archive_key_rank(text) IS
	'A sort key that puts the fields of an archive content in the order a person reads them.';
REVOKE ALL ON FUNCTION minqing.archive_key_rank(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_key_rank(text) TO mq_staff;

-- A value as shown: the words of the coded fields (committee, kinds).
CREATE OR REPLACE FUNCTION minqing.archive_value_label(p_key text, p_value text, p_en boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce('{
	"committee.party": ["党支部", "Party branch"],
	"committee.villagers": ["村民委员会", "Villagers'' committee"],
	"committee.supervisory": ["村务监督委员会", "Supervisory committee"],
	"kind.school": ["学校", "School"],
	"kind.clinic": ["卫生室", "Clinic"],
	"kind.elderly_care": ["居家养老", "Elderly care"],
	"kind.culture_hall": ["文化礼堂", "Culture hall"],
	"kind.road": ["道路", "Road"],
	"kind.other": ["其他", "Other"],
	"kind.dispute": ["矛盾纠纷", "Dispute"],
	"kind.attention": ["关注事项", "Point of attention"]
}'::jsonb -> (p_key || '.' || p_value) ->> (CASE WHEN p_en THEN 1 ELSE 0 END), p_value);
COMMENT ON FUNCTION minqing.archive_value_label(text, text, boolean) IS
	'The words for a coded value of an archive content (committee party: 党支部), or the value itself.';
REVOKE ALL ON FUNCTION minqing.archive_value_label(text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_value_label(text, text, boolean) TO mq_staff;

-- A leaf's path (members[2].name) in words: 班子成员 2 · 姓名.
CREATE OR REPLACE FUNCTION minqing.archive_path_label(p_path text, p_en boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT string_agg(CASE WHEN t.part[2] IS NOT NULL
                               THEN minqing.archive_key_label(NULL, t.part[1], p_en) || ' ' || t.part[2]
                               ELSE minqing.archive_key_label(t.prev, t.part[1], p_en) END,
                          ' · ' ORDER BY t.n)
          FROM (SELECT m.part, m.n, lag(m.part[1]) OVER (ORDER BY m.n) AS prev
                  FROM regexp_matches(p_path, '([^.\[\]]+)(?:\[([0-9]+)\])?', 'g') WITH ORDINALITY AS m(part, n)) t);
COMMENT ON FUNCTION minqing.archive_path_label(text, boolean) IS
	'The path of an archive content''s leaf (members[2].name) in words: 班子成员 2 · 姓名.';
REVOKE ALL ON FUNCTION minqing.archive_path_label(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_path_label(text, boolean) TO mq_staff;

------------------------------------------------------------------------------
-- Reading
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.archive_state(p_filled boolean, p_stale boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN NOT p_filled THEN 'empty' WHEN p_stale THEN 'stale' ELSE 'filled' END;
COMMENT ON FUNCTION minqing.archive_state(boolean, boolean) IS
	'The state of an archive section as the console shows it: empty, stale or filled.';
REVOKE ALL ON FUNCTION minqing.archive_state(boolean, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_state(boolean, boolean) TO mq_staff;

-- The villages of the caller's jurisdiction, a row each, with the state of
-- each section: filled, stale or empty (the town's table villages × sections).
-- Bitmap scans off (docs/operations.md, "List screens at a million cases").
CREATE OR REPLACE FUNCTION minqing.archive_villages(p_after_code text DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (unit_id bigint, unit_code text, unit_name text, town_name text, s1 text, s2 text, s3 text, s4 text, s5 text,
               s6 text, s7 text, s8 text, filled integer, stale integer, last_saved_at timestamptz)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp SET enable_bitmapscan = off SET jit = off AS $$
	SELECT (SELECT u.unit_id FROM minqing.org_unit u WHERE u.code = o.unit_code)::bigint,
	       o.unit_code, min(o.unit_name), min(o.town_name),
	       min(CASE WHEN o.section = 1 THEN minqing.archive_state(o.filled, o.stale) END),
	       min(CASE WHEN o.section = 2 THEN minqing.archive_state(o.filled, o.stale) END),
	       min(CASE WHEN o.section = 3 THEN minqing.archive_state(o.filled, o.stale) END),
	       min(CASE WHEN o.section = 4 THEN minqing.archive_state(o.filled, o.stale) END),
	       min(CASE WHEN o.section = 5 THEN minqing.archive_state(o.filled, o.stale) END),
	       min(CASE WHEN o.section = 6 THEN minqing.archive_state(o.filled, o.stale) END),
	       min(CASE WHEN o.section = 7 THEN minqing.archive_state(o.filled, o.stale) END),
	       min(CASE WHEN o.section = 8 THEN minqing.archive_state(o.filled, o.stale) END),
	       (count(*) FILTER (WHERE o.filled))::integer, (count(*) FILTER (WHERE o.stale))::integer,
	       max(o.saved_at)
	  FROM minqing.archive_overview() o
	 WHERE p_after_code IS NULL OR o.unit_code > p_after_code
	 GROUP BY o.unit_code
	 ORDER BY o.unit_code
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 200)
$$;
COMMENT ON FUNCTION minqing.archive_villages(text, integer) IS
	'The villages and communities of the caller''s jurisdiction by code (keyset p_after_code), each with '
	'the state of its eight sections (s1 … s8: filled, stale or empty), how many are filled and stale, '
	'and the last save.';
REVOKE ALL ON FUNCTION minqing.archive_villages(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_villages(text, integer) TO mq_staff;

-- The eight sections of one village (the list the village's archive opens on).
CREATE OR REPLACE FUNCTION minqing.archive_section_list(p_unit text)
RETURNS TABLE (unit_code text, unit_name text, section smallint, name text, state text,
               revision_no integer, saved_at timestamptz, saved_by_name text)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT a.unit_code, a.unit_name, a.section, a.name, minqing.archive_state(a.filled, a.stale),
	       a.revision_no, a.saved_at, a.saved_by_name
	  FROM minqing.archive_sections(p_unit) a
$$;
COMMENT ON FUNCTION minqing.archive_section_list(text) IS
	'The eight sections of a village''s archive with their state (filled, stale, empty), revision and last save.';
REVOKE ALL ON FUNCTION minqing.archive_section_list(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_section_list(text) TO mq_staff;

-- One section as a record: who saved it when, and the fields a form edits
-- (section 1's facts and every section's note) as columns to fill it from.
CREATE OR REPLACE FUNCTION minqing.archive_section_record(p_unit text, p_section integer)
RETURNS TABLE (unit_code text, unit_name text, section smallint, code text, name text, heading text,
               state text, revision_no integer, saved_at timestamptz, saved_by_name text,
               area_km2 text, villager_groups text, natural_villages text, registered_population text,
               resident_population text, arable_land_mu text, main_industries text, note text,
               items integer)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	-- The content alone, first (it refuses what the caller may not read);
	-- archive_sections() the rest: the registers' figures are the lines'.
	c jsonb := minqing.archive_section_content(p_unit, p_section);
BEGIN
	RETURN QUERY
	SELECT a.unit_code, a.unit_name, a.section, a.code, a.name, a.unit_name || ' · ' || a.name,
	       minqing.archive_state(a.revision_no > 0, a.stale), a.revision_no, a.saved_at, a.saved_by_name,
	       c ->> 'area_km2', c ->> 'villager_groups', c ->> 'natural_villages', c ->> 'registered_population',
	       c ->> 'resident_population', c ->> 'arable_land_mu', c ->> 'main_industries', c ->> 'note',
	       coalesce(jsonb_array_length(CASE a.section WHEN 2 THEN c -> 'members' WHEN 4 THEN c -> 'rules'
	                                                  WHEN 5 THEN c -> 'years' WHEN 6 THEN c -> 'facilities'
	                                                  WHEN 7 THEN c -> 'items' END), 0)
	  FROM minqing.archive_sections(p_unit) a
	 WHERE a.section = p_section;
END
$$;
COMMENT ON FUNCTION minqing.archive_section_record(text, integer) IS
	'A section of a village''s archive as the console''s record shows it: its state and last save, section '
	'1''s facts and the note as columns (the edit forms start from them), the number of items of a list section.';
REVOKE ALL ON FUNCTION minqing.archive_section_record(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_section_record(text, integer) TO mq_staff;

-- The leaves of a jsonb in order, with their depth and the key above them:
-- a list's items become numbered headings with their fields under them.
CREATE OR REPLACE FUNCTION minqing.archive_walk(p_doc jsonb)
RETURNS TABLE (label_zh text, label_en text, value_zh text, value_en text, depth integer, ord text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	-- shown: the depth on the screen. A list is not a line of its own: its
	-- items ("班子成员 2") stand at its depth, their fields one deeper.
	WITH RECURSIVE walk(key, parent, v, shown, ord) AS (
		SELECT e.key, NULL::text, e.value, 0, minqing.archive_key_rank(e.key)
		  FROM pg_catalog.jsonb_each(p_doc) AS e
		UNION ALL
		SELECT c.key, c.parent, c.value, w.shown + c.step, w.ord || '/' || c.rank
		  FROM walk w
		 CROSS JOIN LATERAL (
			-- a list item's fields belong to the list (members#2.name: members.name)
			SELECT o.key, split_part(w.key, '#', 1) AS parent, o.value, 1 AS step,
			       minqing.archive_key_rank(o.key) AS rank
			  FROM pg_catalog.jsonb_each(w.v) AS o
			 WHERE pg_catalog.jsonb_typeof(w.v) = 'object'
			UNION ALL
			SELECT w.key || '#' || a.n, NULL, a.value, 0, lpad(a.n::text, 4, '0')
			  FROM pg_catalog.jsonb_array_elements(w.v) WITH ORDINALITY AS a(value, n)
			 WHERE pg_catalog.jsonb_typeof(w.v) = 'array') c
		 WHERE pg_catalog.jsonb_typeof(w.v) IN ('object', 'array')
	)
	SELECT l.zh, l.en, v.zh, v.en, w.shown, w.ord
	  FROM walk w
	 CROSS JOIN LATERAL (
		SELECT CASE WHEN w.key ~ '#[0-9]+$'
		            THEN minqing.archive_key_label(NULL, split_part(w.key, '#', 1), false) || ' ' ||
		                 split_part(w.key, '#', 2)
		            ELSE minqing.archive_key_label(w.parent, w.key, false) END AS zh,
		       CASE WHEN w.key ~ '#[0-9]+$'
		            THEN minqing.archive_key_label(NULL, split_part(w.key, '#', 1), true) || ' ' ||
		                 split_part(w.key, '#', 2)
		            ELSE minqing.archive_key_label(w.parent, w.key, true) END AS en) l
	 CROSS JOIN LATERAL (
		SELECT CASE WHEN pg_catalog.jsonb_typeof(w.v) = 'object' THEN NULL
		            ELSE minqing.archive_value_label(w.key, w.v #>> '{}', false) END AS zh,
		       CASE WHEN pg_catalog.jsonb_typeof(w.v) = 'object' THEN NULL
		            ELSE minqing.archive_value_label(w.key, w.v #>> '{}', true) END AS en) v
	 WHERE pg_catalog.jsonb_typeof(w.v) <> 'array'
$$;
COMMENT ON FUNCTION minqing.archive_walk(jsonb) IS
	'The fields of an archive content or derived figures in order, labelled, with their depth: an object '
	'or a list item is a heading (value NULL) with its fields one level deeper; labels and coded values in '
	'Chinese and English.';
REVOKE ALL ON FUNCTION minqing.archive_walk(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_walk(jsonb) TO mq_staff;

-- A section's content and derived figures as the record's lines.
CREATE OR REPLACE FUNCTION minqing.archive_section_lines(p_unit text, p_section integer)
RETURNS TABLE (label_zh text, label_en text, value text, value_en text, depth integer)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	a record;
BEGIN
	SELECT x.content, x.derived INTO a FROM minqing.archive_section(p_unit, p_section) x;
	-- the content without the note (the record shows it), then the registers' figures
	RETURN QUERY
	SELECT z.label_zh, z.label_en, z.value_zh, z.value_en, z.depth
	  FROM minqing.archive_walk(a.content - 'note') z ORDER BY z.ord;
	IF a.derived IS NOT NULL THEN
		RETURN QUERY SELECT '来自登记簿和案件的数据'::text, 'From the registers and cases'::text, NULL::text,
		                    NULL::text, 0;
		RETURN QUERY
		SELECT z.label_zh, z.label_en, z.value_zh, z.value_en, z.depth + 1
		  FROM minqing.archive_walk(a.derived) z ORDER BY z.ord;
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.archive_section_lines(text, integer) IS
	'A section of a village''s archive as labelled lines (label_zh, label_en, value and value_en, depth; a '
	'heading has no value): the content without its note, then the figures derived from the registers and cases.';
REVOKE ALL ON FUNCTION minqing.archive_section_lines(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_section_lines(text, integer) TO mq_staff;

-- The history, with what each revision changed in words, in both languages.
CREATE OR REPLACE FUNCTION minqing.archive_revisions(p_unit text, p_section integer,
                                                     p_before_revision integer DEFAULT NULL,
                                                     p_limit integer DEFAULT 20)
RETURNS TABLE (revision_id bigint, revision_no integer, saved_at timestamptz, saved_by_name text,
               changed_zh text, changed_en text)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT h.revision_id, h.revision_no, h.saved_at, coalesce(h.saved_by_name, h.saved_by::text),
	       (SELECT string_agg(minqing.archive_key_label(NULL, k, false), '、' ORDER BY k) FROM unnest(h.changed) k),
	       (SELECT string_agg(minqing.archive_key_label(NULL, k, true), ', ' ORDER BY k) FROM unnest(h.changed) k)
	  FROM minqing.archive_history(p_unit, p_section, p_before_revision, p_limit) h
$$;
COMMENT ON FUNCTION minqing.archive_revisions(text, integer, integer, integer) IS
	'archive_history() with what each revision changed in words (changed_zh, changed_en).';
REVOKE ALL ON FUNCTION minqing.archive_revisions(text, integer, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_revisions(text, integer, integer, integer) TO mq_staff;

-- What a revision changed against the one before it (p_against 'previous'),
-- or how it differs from the section as it is now ('current').
CREATE OR REPLACE FUNCTION minqing.archive_changes(p_revision bigint, p_against text DEFAULT 'previous')
RETURNS TABLE (path text, label_zh text, label_en text, before text, after text)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	r minqing.archive_revision;
	other bigint;
BEGIN
	-- Row-level security shows only the revisions of the caller's jurisdiction.
	SELECT * INTO r FROM minqing.archive_revision x WHERE x.revision_id = p_revision;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'archive revision % not found', p_revision
			USING ERRCODE = 'no_data_found', COLUMN = 'revision';
	END IF;
	IF p_against IS DISTINCT FROM 'current' THEN
		SELECT x.revision_id INTO other FROM minqing.archive_revision x
		 WHERE x.unit_id = r.unit_id AND x.section = r.section AND x.revision_no = r.revision_no - 1;
	ELSE
		SELECT x.revision_id INTO other FROM minqing.archive_revision x
		 WHERE x.unit_id = r.unit_id AND x.section = r.section ORDER BY x.revision_no DESC LIMIT 1;
	END IF;
	IF other IS NULL THEN
		-- The first revision: everything in it is new.
		RETURN QUERY
		SELECT l.path, minqing.archive_path_label(l.path, false), minqing.archive_path_label(l.path, true),
		       NULL::text, l.value
		  FROM minqing.archive_leaves(r.content) l ORDER BY l.path;
		RETURN;
	END IF;
	RETURN QUERY
	SELECT d.path, minqing.archive_path_label(d.path, false), minqing.archive_path_label(d.path, true),
	       d.before, d.after
	  FROM (SELECT * FROM minqing.archive_diff(CASE WHEN p_against = 'current' THEN p_revision ELSE other END,
	                                          CASE WHEN p_against = 'current' THEN other ELSE p_revision END)) d
	 ORDER BY d.path;
END
$$;
COMMENT ON FUNCTION minqing.archive_changes(bigint, text) IS
	'The fields a revision of an archive section changed against the revision before it (p_against '
	'previous), or how the section changed since it (current): path, its words in Chinese and English, '
	'before and after. The first revision shows all its fields as new.';
REVOKE ALL ON FUNCTION minqing.archive_changes(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_changes(bigint, text) TO mq_staff;

------------------------------------------------------------------------------
-- Editing: each form's fields into the section's content, saved as a revision
------------------------------------------------------------------------------
-- The section's content as it stands, for an edit to change a part of it
-- (the content alone: an edit has no use for the registers' figures).
CREATE OR REPLACE FUNCTION minqing.archive_current(p_unit text, p_section integer) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp
RETURN minqing.archive_section_content(p_unit, p_section);
COMMENT ON FUNCTION minqing.archive_current(text, integer) IS
	'The current content of a section of a village''s archive (archive_section_content()), for an edit to change.';
REVOKE ALL ON FUNCTION minqing.archive_current(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_current(text, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.archive_edit_overview(p_unit text, p_expect_revision integer,
                                                         p_area_km2 text DEFAULT NULL,
                                                         p_villager_groups integer DEFAULT NULL,
                                                         p_natural_villages integer DEFAULT NULL,
                                                         p_registered_population integer DEFAULT NULL,
                                                         p_resident_population integer DEFAULT NULL,
                                                         p_arable_land_mu text DEFAULT NULL,
                                                         p_main_industries text DEFAULT NULL,
                                                         p_note text DEFAULT NULL)
RETURNS TABLE (revision_id bigint, revision_no integer)
LANGUAGE sql SET search_path = minqing, ext, pg_temp AS $$
	SELECT s.revision_id, s.revision_no
	  FROM minqing.archive_save_section(p_unit, 1, jsonb_strip_nulls(jsonb_build_object(
		'area_km2', p_area_km2::numeric, 'villager_groups', p_villager_groups, 'natural_villages', p_natural_villages,
		'registered_population', p_registered_population, 'resident_population', p_resident_population,
		'arable_land_mu', p_arable_land_mu::numeric, 'main_industries', p_main_industries, 'note', p_note)),
		p_expect_revision) s
$$;
COMMENT ON FUNCTION minqing.archive_edit_overview(text, integer, text, integer, integer, integer, integer,
                                                  text, text, text) IS
	'Save section 1 (村情概况) of a village''s archive from its fields (the console''s form); an empty field '
	'clears it. A new revision, refused with 40001 when someone saved since p_expect_revision.';
REVOKE ALL ON FUNCTION minqing.archive_edit_overview(text, integer, text, integer, integer, integer, integer,
                                                     text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_edit_overview(text, integer, text, integer, integer, integer,
                                                        integer, text, text, text)
	TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.archive_edit_note(p_unit text, p_section integer, p_expect_revision integer,
                                                     p_note text DEFAULT NULL)
RETURNS TABLE (revision_id bigint, revision_no integer)
LANGUAGE sql SET search_path = minqing, ext, pg_temp AS $$
	SELECT s.revision_id, s.revision_no
	  FROM minqing.archive_save_section(p_unit, p_section,
		coalesce(minqing.archive_current(p_unit, p_section), '{}') - 'note'
		|| jsonb_strip_nulls(jsonb_build_object('note', p_note)), p_expect_revision) s
$$;
COMMENT ON FUNCTION minqing.archive_edit_note(text, integer, integer, text) IS
	'Save the note (说明) of a section of a village''s archive, the rest as it is: a new revision.';
REVOKE ALL ON FUNCTION minqing.archive_edit_note(text, integer, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_edit_note(text, integer, integer, text)
	TO mq_officer, mq_handler, mq_admin;

-- The list of items a section holds (2 members, 4 rules, 5 years, 6
-- facilities, 7 stability items), or a refusal for the others.
CREATE OR REPLACE FUNCTION minqing.archive_item_list(p_section integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	list text := CASE p_section WHEN 2 THEN 'members' WHEN 4 THEN 'rules' WHEN 5 THEN 'years'
	                            WHEN 6 THEN 'facilities' WHEN 7 THEN 'items' END;
BEGIN
	IF list IS NULL THEN
		RAISE EXCEPTION 'section % of the archive has no list of items', coalesce(p_section::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'section';
	END IF;
	RETURN list;
END
$$;
COMMENT ON FUNCTION minqing.archive_item_list(integer) IS
	'The key of the list a section of the archive holds (members, rules, years, facilities, items); '
	'raises for a section without one.';
REVOKE ALL ON FUNCTION minqing.archive_item_list(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_item_list(integer) TO mq_officer, mq_handler, mq_admin;

-- Add an item to a list section (2 members, 4 rules, 6 facilities, 7
-- items); a year of section 5 replaces the same year.
CREATE OR REPLACE FUNCTION minqing.archive_add_item(p_unit text, p_section integer, p_expect_revision integer,
                                                    p_item jsonb)
RETURNS TABLE (revision_id bigint, revision_no integer)
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	list text := minqing.archive_item_list(p_section);
	cur jsonb;
	items jsonb;
BEGIN
	cur := coalesce(minqing.archive_current(p_unit, p_section), '{}');
	items := coalesce(cur -> list, '[]');
	IF p_section = 5 THEN
		items := coalesce((SELECT jsonb_agg(e ORDER BY (e ->> 'year'))
		                     FROM jsonb_array_elements(items) e
		                    WHERE e ->> 'year' IS DISTINCT FROM p_item ->> 'year'), '[]');
	END IF;
	RETURN QUERY
	SELECT s.revision_id, s.revision_no
	  FROM minqing.archive_save_section(p_unit, p_section,
		cur || jsonb_build_object(list, items || jsonb_build_array(jsonb_strip_nulls(p_item))),
		p_expect_revision) s;
END
$$;
COMMENT ON FUNCTION minqing.archive_add_item(text, integer, integer, jsonb) IS
	'Add an item to a list section of a village''s archive (members, rules, years: the same year is '
	'replaced, facilities, stability items): a new revision. The forms call it through the archive_add_* '
	'functions.';
REVOKE ALL ON FUNCTION minqing.archive_add_item(text, integer, integer, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_add_item(text, integer, integer, jsonb)
	TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.archive_add_member(p_unit text, p_expect_revision integer, p_committee text,
                                                      p_name text, p_post text, p_term text DEFAULT NULL,
                                                      p_since date DEFAULT NULL, p_until date DEFAULT NULL,
                                                      p_phone text DEFAULT NULL)
RETURNS TABLE (revision_id bigint, revision_no integer)
LANGUAGE sql SET search_path = minqing, ext, pg_temp AS $$
	SELECT * FROM minqing.archive_add_item(p_unit, 2, p_expect_revision, jsonb_build_object(
		'committee', p_committee, 'name', p_name, 'post', p_post, 'term', p_term, 'since', p_since,
		'until', p_until, 'phone', p_phone))
$$;
COMMENT ON FUNCTION minqing.archive_add_member(text, integer, text, text, text, text, date, date, text) IS
	'Add a member of the two committees or the supervisory committee to section 2 (班子建设).';
REVOKE ALL ON FUNCTION minqing.archive_add_member(text, integer, text, text, text, text, date, date, text)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_add_member(text, integer, text, text, text, text, date, date, text)
	TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.archive_add_rule(p_unit text, p_expect_revision integer, p_title text,
                                                    p_kind text DEFAULT NULL, p_adopted_on date DEFAULT NULL,
                                                    p_body text DEFAULT NULL)
RETURNS TABLE (revision_id bigint, revision_no integer)
LANGUAGE sql SET search_path = minqing, ext, pg_temp AS $$
	SELECT * FROM minqing.archive_add_item(p_unit, 4, p_expect_revision, jsonb_build_object(
		'title', p_title, 'kind', p_kind, 'adopted_on', p_adopted_on, 'body', p_body))
$$;
COMMENT ON FUNCTION minqing.archive_add_rule(text, integer, text, text, date, text) IS
	'Add a rule or regulation to section 4 (制度建设).';
REVOKE ALL ON FUNCTION minqing.archive_add_rule(text, integer, text, text, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_add_rule(text, integer, text, text, date, text)
	TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.archive_set_year(p_unit text, p_expect_revision integer, p_year integer,
                                                    p_income text DEFAULT NULL, p_spending text DEFAULT NULL,
                                                    p_assets text DEFAULT NULL,
                                                    p_main_sources text DEFAULT NULL)
RETURNS TABLE (revision_id bigint, revision_no integer)
LANGUAGE sql SET search_path = minqing, ext, pg_temp AS $$
	SELECT * FROM minqing.archive_add_item(p_unit, 5, p_expect_revision, jsonb_build_object(
		'year', p_year, 'income', p_income::numeric, 'spending', p_spending::numeric,
		'assets', p_assets::numeric,
		'main_sources', p_main_sources))
$$;
COMMENT ON FUNCTION minqing.archive_set_year(text, integer, integer, text, text, text, text) IS
	'Enter a year of section 5 (集体经济), replacing what that year had.';
REVOKE ALL ON FUNCTION minqing.archive_set_year(text, integer, integer, text, text, text, text)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_set_year(text, integer, integer, text, text, text, text)
	TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.archive_add_facility(p_unit text, p_expect_revision integer, p_kind text,
                                                        p_name text, p_facts text DEFAULT NULL,
                                                        p_note text DEFAULT NULL)
RETURNS TABLE (revision_id bigint, revision_no integer)
LANGUAGE sql SET search_path = minqing, ext, pg_temp AS $$
	SELECT * FROM minqing.archive_add_item(p_unit, 6, p_expect_revision, jsonb_build_object(
		'kind', p_kind, 'name', p_name, 'facts', p_facts, 'note', p_note))
$$;
COMMENT ON FUNCTION minqing.archive_add_facility(text, integer, text, text, text, text) IS
	'Add a school, clinic, elderly care, culture hall, road or other facility to section 6 (社会事业).';
REVOKE ALL ON FUNCTION minqing.archive_add_facility(text, integer, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_add_facility(text, integer, text, text, text, text)
	TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.archive_add_stability(p_unit text, p_expect_revision integer, p_kind text,
                                                         p_title text, p_since date DEFAULT NULL,
                                                         p_note text DEFAULT NULL)
RETURNS TABLE (revision_id bigint, revision_no integer)
LANGUAGE sql SET search_path = minqing, ext, pg_temp AS $$
	SELECT * FROM minqing.archive_add_item(p_unit, 7, p_expect_revision, jsonb_build_object(
		'kind', p_kind, 'title', p_title, 'since', p_since, 'note', p_note))
$$;
COMMENT ON FUNCTION minqing.archive_add_stability(text, integer, text, text, date, text) IS
	'Add a dispute or a point of attention to section 7 (社会稳定).';
REVOKE ALL ON FUNCTION minqing.archive_add_stability(text, integer, text, text, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_add_stability(text, integer, text, text, date, text)
	TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.archive_remove_item(p_unit text, p_section integer, p_expect_revision integer,
                                                       p_item integer)
RETURNS TABLE (revision_id bigint, revision_no integer)
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	list text := minqing.archive_item_list(p_section);
	cur jsonb;
BEGIN
	cur := coalesce(minqing.archive_current(p_unit, p_section), '{}');
	IF p_item IS NULL OR p_item < 1 OR p_item > coalesce(jsonb_array_length(cur -> list), 0) THEN
		RAISE EXCEPTION 'there is no item % in this section', coalesce(p_item::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'item';
	END IF;
	RETURN QUERY
	SELECT s.revision_id, s.revision_no
	  FROM minqing.archive_save_section(p_unit, p_section, cur #- ARRAY[list, (p_item - 1)::text],
	                                    p_expect_revision) s;
END
$$;
COMMENT ON FUNCTION minqing.archive_remove_item(text, integer, integer, integer) IS
	'Remove item p_item (counting from 1, as the record numbers them) of a list section of a village''s '
	'archive: a new revision.';
REVOKE ALL ON FUNCTION minqing.archive_remove_item(text, integer, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_remove_item(text, integer, integer, integer)
	TO mq_officer, mq_handler, mq_admin;
