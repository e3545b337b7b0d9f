-- schema/functions/65_memo_screens.sql: what the console's household memo
-- screens read (forms/memos*.view, household*.view, demands_open.view): a
-- household's card as labelled lines, its demands with what an intake form
-- starts from, and what a memo revision changed.
--
-- The current definition of these functions, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` whenever the
-- function files change (docs/development.md). The model: docs/memo.md.
--
-- None of these is a definer: each runs as the caller and reads through the
-- checked functions of 61_memo.sql (household_card, household_members,
-- household_demands, household_cases, memo_history, memo_diff) or under the
-- caller's row-level security.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- A member's relation to the head in words.
CREATE OR REPLACE FUNCTION minqing.relation_label(p_relation text, p_en boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(
	(SELECT CASE WHEN p_en THEN l.en ELSE l.zh END
	   FROM (VALUES ('head', '户主', 'head'), ('spouse', '配偶', 'spouse'), ('child', '子女', 'child'),
	                ('child_in_law', '儿媳/女婿', 'child-in-law'), ('grandchild', '孙子女', 'grandchild'),
	                ('parent', '父母', 'parent'), ('sibling', '兄弟姐妹', 'sibling'),
	                ('other', '其他', 'other')) AS l(code, zh, en)
	  WHERE l.code = p_relation),
	p_relation);
COMMENT ON FUNCTION minqing.relation_label(text, boolean) IS
	'A household member''s relation to the head in Chinese or English (head: 户主).';
REVOKE ALL ON FUNCTION minqing.relation_label(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.relation_label(text, boolean) TO mq_staff;

-- A household's card after its fields: members, hardship marks, open
-- demands and the latest cases, as the record's labelled lines.
CREATE OR REPLACE FUNCTION minqing.household_card_lines(p_household bigint)
RETURNS TABLE (label_zh text, label_en text, value text, value_en text, depth integer)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp SET jit = off AS $$
	-- Each read once (a part's heading only when it has rows); part, then order.
	WITH m AS MATERIALIZED (SELECT * FROM minqing.household_members(p_household)),
	     k AS MATERIALIZED (SELECT * FROM minqing.household_hardship(p_household) x WHERE x.until IS NULL),
	     d AS MATERIALIZED (SELECT * FROM minqing.household_demands(p_household)),
	     c AS MATERIALIZED (SELECT * FROM minqing.household_cases(p_household, NULL, NULL, 10)),
	     lines (part, ord, label_zh, label_en, value, value_en, depth) AS (
		SELECT 1, 0::bigint, '家庭成员', 'Members', NULL, NULL, 0
		UNION ALL
		SELECT 1, row_number() OVER (), m.name, m.name,
		       concat_ws(' · ', minqing.relation_label(m.relation::text, false),
		                 CASE m.sex WHEN 'M' THEN '男' WHEN 'F' THEN '女' END,
		                 m.age || '岁', nullif(m.phone, ''),
		                 CASE WHEN m.party_member THEN '党员' END, CASE WHEN m.representative THEN '村民代表' END),
		       concat_ws(' · ', minqing.relation_label(m.relation::text, true),
		                 CASE m.sex WHEN 'M' THEN 'male' WHEN 'F' THEN 'female' END,
		                 m.age || ' years', nullif(m.phone, ''),
		                 CASE WHEN m.party_member THEN 'party member' END,
		                 CASE WHEN m.representative THEN 'representative' END),
		       1
		  FROM m
		UNION ALL
		SELECT 2, 0, '困难标记', 'Hardship marks', NULL, NULL, 0 WHERE EXISTS (SELECT 1 FROM k)
		UNION ALL
		SELECT 2, row_number() OVER (ORDER BY k.since), minqing.hardship_kind_name(k.kind),
		       minqing.archive_key_label(NULL, k.kind, true),
		       concat_ws(' · ', k.resident_name, '自' || k.since, k.note),
		       concat_ws(' · ', k.resident_name, 'since ' || k.since, k.note), 1
		  FROM k
		UNION ALL
		SELECT 3, 0, '群众诉求', 'Demands', NULL, NULL, 0 WHERE EXISTS (SELECT 1 FROM d)
		UNION ALL
		SELECT 3, row_number() OVER (), d.raised_on::text, d.raised_on::text,
		       CASE d.status WHEN 'open' THEN '【待解决】' WHEN 'resolved' THEN '【已解决】'
		                     ELSE '【已转案件 ' || coalesce(d.case_no, '') || '】' END || d.content,
		       CASE d.status WHEN 'open' THEN '[open] ' WHEN 'resolved' THEN '[resolved] '
		                     ELSE '[case ' || coalesce(d.case_no, '') || '] ' END || d.content, 1
		  FROM d
		UNION ALL
		SELECT 4, 0, '问题解决情况（最近的案件）', 'Cases (latest)', NULL, NULL, 0 WHERE EXISTS (SELECT 1 FROM c)
		UNION ALL
		SELECT 4, row_number() OVER (), c.case_no, c.case_no, c.title || coalesce('：' || nullif(c.result, ''), ''),
		       c.title || coalesce(': ' || nullif(c.result, ''), ''), 1
		  FROM c)
	SELECT l.label_zh, l.label_en, l.value, l.value_en, l.depth FROM lines l ORDER BY l.part, l.ord
$$;
COMMENT ON FUNCTION minqing.household_card_lines(bigint) IS
	'A household''s card after its fields, as labelled lines (label_zh, label_en, value, value_en, depth): '
	'its members, current hardship marks, demands and latest cases, each under a heading.';
REVOKE ALL ON FUNCTION minqing.household_card_lines(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.household_card_lines(bigint) TO mq_staff;

-- A household's demands with what the intake form starts from (the title:
-- the first line, at most 40 characters) and the head as the submitter.
CREATE OR REPLACE FUNCTION minqing.household_demand_rows(p_household bigint)
RETURNS TABLE (demand_id bigint, content text, title text, raised_on date, raised_by_name text, status text,
               resolution text, case_no text, case_status text, row_version integer, household_id bigint)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT d.demand_id, d.content, left(split_part(d.content, E'\n', 1), 40), d.raised_on, d.raised_by_name,
	       d.status::text, d.resolution, d.case_no, d.case_status::text, d.row_version, p_household
	  FROM minqing.household_demands(p_household) d
$$;
COMMENT ON FUNCTION minqing.household_demand_rows(bigint) IS
	'household_demands() with a title for the intake form (the first line, 40 characters at most): the '
	'console''s list of a household''s demands.';
REVOKE ALL ON FUNCTION minqing.household_demand_rows(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.household_demand_rows(bigint) TO mq_staff;

-- The open demands of the caller's jurisdiction (open_demands()) with the
-- intake form's title, for the list of demands to act on.
CREATE OR REPLACE FUNCTION minqing.open_demand_rows(p_after_raised date DEFAULT NULL, p_after_id bigint DEFAULT NULL,
                                                    p_limit integer DEFAULT 50)
RETURNS TABLE (demand_id bigint, household_id bigint, household_no text, unit_name text, head_name text,
               content text, title text, raised_on date, days_open integer, row_version integer)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT o.demand_id, o.household_id, o.household_no, o.unit_name, o.head_name, o.content,
	       left(split_part(o.content, E'\n', 1), 40), o.raised_on, o.days_open, o.row_version
	  FROM minqing.open_demands(NULL, p_after_raised, p_after_id, p_limit) o
$$;
COMMENT ON FUNCTION minqing.open_demand_rows(date, bigint, integer) IS
	'open_demands() of the caller''s jurisdiction, oldest first, with a title for the intake form.';
REVOKE ALL ON FUNCTION minqing.open_demand_rows(date, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.open_demand_rows(date, bigint, integer) TO mq_staff;

-- What a memo revision changed against the one before it.
CREATE OR REPLACE FUNCTION minqing.memo_changes(p_revision bigint)
RETURNS TABLE (field text, field_name text, before text, after text)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	r record;
	prev bigint;
BEGIN
	-- Row-level security shows only the revisions of the caller's jurisdiction.
	SELECT x.revision_id, x.household_id, x.revision_no INTO r
	  FROM minqing.household_memo_revision x WHERE x.revision_id = p_revision;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'memo revision % not found', p_revision
			USING ERRCODE = 'no_data_found', COLUMN = 'revision';
	END IF;
	SELECT x.revision_id INTO prev FROM minqing.household_memo_revision x
	 WHERE x.household_id = r.household_id AND x.revision_no = r.revision_no - 1;
	IF prev IS NULL THEN
		-- The first revision: what it says is new.
		RETURN QUERY
		SELECT f.field, minqing.memo_field_name(f.field), NULL::text, f.value
		  FROM minqing.household_memo_revision x
		 CROSS JOIN LATERAL (VALUES (1, 'living', x.living), (2, 'difficulties', x.difficulties),
		                            (3, 'demands_note', x.demands_note), (4, 'resolution', x.resolution))
		       AS f(n, field, value)
		 WHERE x.revision_id = p_revision AND f.value IS NOT NULL
		 ORDER BY f.n;
		RETURN;
	END IF;
	RETURN QUERY SELECT d.field, d.field_name, d.before, d.after FROM minqing.memo_diff(prev, p_revision) d;
END
$$;
COMMENT ON FUNCTION minqing.memo_changes(bigint) IS
	'The fields a memo revision changed against the revision before it: field, its name, before and after '
	'(the first revision: every field it has, as new).';
REVOKE ALL ON FUNCTION minqing.memo_changes(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.memo_changes(bigint) TO mq_staff;
