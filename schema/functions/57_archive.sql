-- schema/functions/57_archive.sql: the village archive (村情档案): its eight
-- sections, their revisions and differences, the jurisdiction's overview,
-- saving a section, hardship marks, the district's stale period.
--
-- The current definition of these functions and views, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` in the migration
-- transaction whenever the function files change (docs/development.md,
-- "Functions, views and grants"). Change a function here, not in a migration.
-- The model: docs/archive.md.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- Every definer function here runs with jit = off: the planner's estimates
-- for the recursive walk of a content (thousands of rows for twenty) and for
-- the counts made it compile 1 ms queries to machine code for 30 ms.

------------------------------------------------------------------------------
-- Sections
------------------------------------------------------------------------------
-- (SQL functions without SET search_path name nothing unqualified, so they
-- can be inlined.)
CREATE OR REPLACE FUNCTION minqing.archive_section_code(p_section integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (ARRAY['overview', 'leadership', 'party', 'rules', 'economy', 'social', 'stability',
              'hardship'])[p_section];
COMMENT ON FUNCTION minqing.archive_section_code(integer) IS
	'The code of an archive section (1 overview … 8 hardship).';
REVOKE ALL ON FUNCTION minqing.archive_section_code(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_section_code(integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.archive_section_name(p_section integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (ARRAY['村情概况', '班子建设', '党员队伍', '制度建设', '集体经济', '社会事业', '社会稳定',
              '困难群体'])[p_section];
COMMENT ON FUNCTION minqing.archive_section_name(integer) IS
	'The Chinese name of an archive section (1 村情概况 … 8 困难群体).';
REVOKE ALL ON FUNCTION minqing.archive_section_name(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_section_name(integer) TO mq_staff;

-- The fields a section's content may have (top level).
CREATE OR REPLACE FUNCTION minqing.archive_fields(p_section integer) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE p_section
	WHEN 1 THEN ARRAY['area_km2', 'villager_groups', 'natural_villages', 'registered_population',
	                  'resident_population', 'arable_land_mu', 'main_industries', 'note']
	WHEN 2 THEN ARRAY['members', 'note']
	WHEN 4 THEN ARRAY['rules', 'note']
	WHEN 5 THEN ARRAY['years', 'note']
	WHEN 6 THEN ARRAY['facilities', 'note']
	WHEN 7 THEN ARRAY['items', 'note']
	ELSE ARRAY['note'] END;
COMMENT ON FUNCTION minqing.archive_fields(integer) IS
	'The top-level fields of an archive section''s content (docs/archive.md).';
REVOKE ALL ON FUNCTION minqing.archive_fields(integer) FROM PUBLIC;

------------------------------------------------------------------------------
-- Checking what a person sends (each refusal names the field)
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.archive_check_keys(p_obj jsonb, p_allowed text[]) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	k text;
BEGIN
	FOR k IN SELECT jsonb_object_keys(p_obj) LOOP
		IF NOT k = ANY (p_allowed) THEN
			RAISE EXCEPTION 'the village archive has no field "%" here', left(k, 50)
				USING ERRCODE = 'invalid_parameter_value',
				      HINT = 'fields: ' || array_to_string(p_allowed, ', ');
		END IF;
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION minqing.archive_check_keys(jsonb, text[]) FROM PUBLIC;

-- A text field: a string (or a number, as its text); NULL when absent.
CREATE OR REPLACE FUNCTION minqing.archive_text(p_obj jsonb, p_key text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	v jsonb := p_obj -> p_key;
BEGIN
	IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
		RETURN NULL;
	ELSIF jsonb_typeof(v) NOT IN ('string', 'number') THEN
		RAISE EXCEPTION 'the % must be text', p_key
			USING ERRCODE = 'invalid_parameter_value', COLUMN = p_key;
	END IF;
	RETURN p_obj ->> p_key;
END
$$;
REVOKE ALL ON FUNCTION minqing.archive_text(jsonb, text) FROM PUBLIC;

-- A number (a JSON number or its text), at most 12 digits before the point.
CREATE OR REPLACE FUNCTION minqing.archive_number(p_obj jsonb, p_key text, p_negative boolean DEFAULT false)
RETURNS numeric
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	v jsonb := p_obj -> p_key;
	t text;
	n numeric;
BEGIN
	IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
		RETURN NULL;
	END IF;
	t := btrim(p_obj ->> p_key);
	IF jsonb_typeof(v) NOT IN ('string', 'number') OR t = ''
	   OR t !~ '^-?[0-9]{1,12}(\.[0-9]{1,6})?$' THEN
		RAISE EXCEPTION 'the % must be a number', p_key
			USING ERRCODE = 'invalid_text_representation', COLUMN = p_key;
	END IF;
	n := t::numeric;
	IF n < 0 AND NOT p_negative THEN
		RAISE EXCEPTION 'the % must not be negative', p_key
			USING ERRCODE = 'numeric_value_out_of_range', COLUMN = p_key;
	END IF;
	RETURN round(n, 2);
END
$$;
REVOKE ALL ON FUNCTION minqing.archive_number(jsonb, text, boolean) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.archive_whole(p_obj jsonb, p_key text) RETURNS integer
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	v jsonb := p_obj -> p_key;
	t text;
BEGIN
	IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
		RETURN NULL;
	END IF;
	t := btrim(p_obj ->> p_key);
	IF jsonb_typeof(v) NOT IN ('string', 'number') OR t !~ '^-?[0-9]{1,9}$' THEN
		RAISE EXCEPTION 'the % must be a whole number', p_key
			USING ERRCODE = 'invalid_text_representation', COLUMN = p_key;
	END IF;
	IF t::integer < 0 THEN
		RAISE EXCEPTION 'the % must not be negative', p_key
			USING ERRCODE = 'numeric_value_out_of_range', COLUMN = p_key;
	END IF;
	RETURN t::integer;
END
$$;
REVOKE ALL ON FUNCTION minqing.archive_whole(jsonb, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.archive_date(p_obj jsonb, p_key text) RETURNS date
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	v jsonb := p_obj -> p_key;
	t text;
	d date;
BEGIN
	IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
		RETURN NULL;
	END IF;
	t := btrim(p_obj ->> p_key);
	IF jsonb_typeof(v) = 'string' AND t ~ '^(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}$' THEN
		BEGIN
			d := to_date(t, 'YYYY-MM-DD');
			IF to_char(d, 'YYYY-MM-DD') = t THEN
				RETURN d;
			END IF;
		EXCEPTION WHEN others THEN
			NULL;
		END;
	END IF;
	RAISE EXCEPTION 'the % must be a date (YYYY-MM-DD)', p_key
		USING ERRCODE = 'invalid_datetime_format', COLUMN = p_key;
END
$$;
REVOKE ALL ON FUNCTION minqing.archive_date(jsonb, text) FROM PUBLIC;

-- A phone number (the domain's rule); NULL when absent or blank.
CREATE OR REPLACE FUNCTION minqing.archive_phone(p_obj jsonb, p_key text) RETURNS minqing.phone
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	t text := btrim(minqing.archive_text(p_obj, p_key));
BEGIN
	IF t IS NULL OR t = '' THEN
		RETURN NULL;
	END IF;
	IF t !~ '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$' THEN
		RAISE EXCEPTION 'the % is not a phone number', p_key
			USING ERRCODE = 'check_violation', COLUMN = p_key;
	END IF;
	RETURN t::minqing.phone;
END
$$;
REVOKE ALL ON FUNCTION minqing.archive_phone(jsonb, text) FROM PUBLIC;

-- A list of objects (at most 200); an empty list when absent.
CREATE OR REPLACE FUNCTION minqing.archive_list(p_obj jsonb, p_key text, p_allowed text[]) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	v jsonb := p_obj -> p_key;
	item jsonb;
BEGIN
	IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
		RETURN '[]';
	END IF;
	IF jsonb_typeof(v) <> 'array' THEN
		RAISE EXCEPTION 'the % must be a list', p_key
			USING ERRCODE = 'invalid_parameter_value', COLUMN = p_key;
	END IF;
	IF jsonb_array_length(v) > 200 THEN
		RAISE EXCEPTION 'the % has too many items: %, at most 200', p_key, jsonb_array_length(v)
			USING ERRCODE = 'invalid_parameter_value', COLUMN = p_key;
	END IF;
	FOR item IN SELECT e FROM jsonb_array_elements(v) AS e LOOP
		IF jsonb_typeof(item) <> 'object' THEN
			RAISE EXCEPTION 'the % must be a list', p_key
				USING ERRCODE = 'invalid_parameter_value', COLUMN = p_key,
				      DETAIL = 'each item is an object';
		END IF;
		PERFORM minqing.archive_check_keys(item, p_allowed);
	END LOOP;
	RETURN v;
END
$$;
REVOKE ALL ON FUNCTION minqing.archive_list(jsonb, text, text[]) FROM PUBLIC;

------------------------------------------------------------------------------
-- Who may see or change which village
------------------------------------------------------------------------------
-- The village p_unit (a unit code) for the caller s: it must exist, be a
-- village or community, and lie in the caller's unit's subtree. A supervisor
-- reads there too; writes need officer, handler or admin (s was checked).
-- The unit of code p_unit, inside staff member s's jurisdiction, or a
-- refusal naming the field "unit" (the archive's and the memo's lists).
CREATE OR REPLACE FUNCTION minqing.unit_in_scope(s minqing.staff, p_unit text) RETURNS minqing.org_unit
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit;
BEGIN
	SELECT * INTO u FROM minqing.org_unit WHERE code = p_unit;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unit % not found', left(p_unit, 50)
			USING ERRCODE = 'no_data_found', COLUMN = 'unit';
	END IF;
	IF NOT minqing.staff_covers(s, u.path) THEN
		RAISE EXCEPTION 'unit % is outside your jurisdiction', u.code
			USING ERRCODE = 'insufficient_privilege', COLUMN = 'unit';
	END IF;
	RETURN u;
END
$$;
REVOKE ALL ON FUNCTION minqing.unit_in_scope(minqing.staff, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.archive_unit(s minqing.staff, p_unit text) RETURNS minqing.org_unit
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit := minqing.unit_in_scope(s, p_unit);
BEGIN
	IF u.level <> 'village' OR u.kind NOT IN ('village', 'community') THEN
		RAISE EXCEPTION 'the village archive is kept for villages and communities, not a %', u.kind
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'unit';
	END IF;
	RETURN u;
END
$$;
REVOKE ALL ON FUNCTION minqing.archive_unit(minqing.staff, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.archive_check_section(p_section integer) RETURNS smallint
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF p_section IS NULL OR p_section NOT BETWEEN 1 AND 8 THEN
		RAISE EXCEPTION 'unknown archive section %: 1 to 8', coalesce(p_section::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'section';
	END IF;
	RETURN p_section::smallint;
END
$$;
REVOKE ALL ON FUNCTION minqing.archive_check_section(integer) FROM PUBLIC;

-- The district's stale period in months (12 without a setting).
CREATE OR REPLACE FUNCTION minqing.archive_stale_months(p_district smallint) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce((SELECT s.stale_months FROM minqing.archive_setting s WHERE s.district_id = p_district), 12);
COMMENT ON FUNCTION minqing.archive_stale_months(smallint) IS
	'The months after which an archive section not saved is stale, for a district (default 12).';
REVOKE ALL ON FUNCTION minqing.archive_stale_months(smallint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_stale_months(smallint) TO mq_staff;

------------------------------------------------------------------------------
-- The content of a section, from its structured rows (the canonical form a
-- revision stores). Reads under the caller's row-level security.
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.archive_content(p_unit_id integer, p_section smallint) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	v_note text := (SELECT h.note FROM minqing.archive_section h
	                 WHERE h.unit_id = p_unit_id AND h.section = p_section);
BEGIN
	RETURN jsonb_strip_nulls(CASE p_section
	WHEN 1 THEN (
		SELECT jsonb_build_object('area_km2', o.area_km2, 'villager_groups', o.villager_groups,
		                          'natural_villages', o.natural_villages,
		                          'registered_population', o.registered_population,
		                          'resident_population', o.resident_population,
		                          'arable_land_mu', o.arable_land_mu, 'main_industries', o.main_industries,
		                          'note', v_note)
		  FROM (SELECT 1) AS one LEFT JOIN minqing.archive_overview o ON o.unit_id = p_unit_id)
	WHEN 2 THEN jsonb_build_object('note', v_note, 'members', coalesce((
		SELECT jsonb_agg(jsonb_build_object('committee', m.committee, 'name', m.name, 'post', m.post,
		                                    'term', m.term, 'since', m.since, 'until', m.until,
		                                    'phone', m.phone) ORDER BY m.ord)
		  FROM minqing.archive_member m WHERE m.unit_id = p_unit_id), '[]'))
	WHEN 4 THEN jsonb_build_object('note', v_note, 'rules', coalesce((
		SELECT jsonb_agg(jsonb_build_object('title', r.title, 'kind', r.kind, 'adopted_on', r.adopted_on,
		                                    'body', r.body) ORDER BY r.ord)
		  FROM minqing.archive_rule r WHERE r.unit_id = p_unit_id), '[]'))
	WHEN 5 THEN jsonb_build_object('note', v_note, 'years', coalesce((
		SELECT jsonb_agg(jsonb_build_object('year', e.year, 'income', e.income, 'spending', e.spending,
		                                    'assets', e.assets, 'main_sources', e.main_sources)
		                 ORDER BY e.year)
		  FROM minqing.archive_economy e WHERE e.unit_id = p_unit_id), '[]'))
	WHEN 6 THEN jsonb_build_object('note', v_note, 'facilities', coalesce((
		SELECT jsonb_agg(jsonb_build_object('kind', f.kind, 'name', f.name, 'facts', f.facts,
		                                    'note', f.note) ORDER BY f.ord)
		  FROM minqing.archive_facility f WHERE f.unit_id = p_unit_id), '[]'))
	WHEN 7 THEN jsonb_build_object('note', v_note, 'items', coalesce((
		SELECT jsonb_agg(jsonb_build_object('kind', i.kind, 'title', i.title, 'since', i.since,
		                                    'note', i.note) ORDER BY i.ord)
		  FROM minqing.archive_stability i WHERE i.unit_id = p_unit_id), '[]'))
	ELSE jsonb_build_object('note', v_note) END);
END
$$;
COMMENT ON FUNCTION minqing.archive_content(integer, smallint) IS
	'The current content of a section of a village''s archive, built from its structured rows: the '
	'canonical form archive_save_section() stores in each revision.';
REVOKE ALL ON FUNCTION minqing.archive_content(integer, smallint) FROM PUBLIC;

-- What is derived from the registers and cases (sections 1, 3, 7, 8):
-- counted by archive_counts() (below), past row-level security, for the
-- village whose jurisdiction archive_unit() has just checked.
CREATE OR REPLACE FUNCTION minqing.archive_derived(u minqing.org_unit, p_section smallint) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF p_section IN (1, 3, 7, 8) THEN
		RETURN minqing.archive_counts(u.path, p_section);
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION minqing.archive_derived(minqing.org_unit, smallint) IS
	'What a section shows beside its content from the registers and cases: live counts (1), the '
	'party-member register (3), mediation cases per year (7), the current hardship marks per kind (8).';
REVOKE ALL ON FUNCTION minqing.archive_derived(minqing.org_unit, smallint) FROM PUBLIC;

------------------------------------------------------------------------------
-- Reading
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.archive_sections(p_unit text)
RETURNS TABLE (unit_code text, unit_name text, section smallint, code text, name text,
               revision_no integer, saved_at timestamptz, saved_by name, saved_by_name text,
               filled boolean, stale boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	u minqing.org_unit;
	months integer;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	u := minqing.archive_unit(s, p_unit);
	months := minqing.archive_stale_months(u.district_id);
	RETURN QUERY
	SELECT u.code, u.name, g.n::smallint, minqing.archive_section_code(g.n), minqing.archive_section_name(g.n),
	       coalesce(h.revision_no, 0), h.saved_at, h.saved_by, st.display_name,
	       coalesce(h.revision_no, 0) > 0,
	       coalesce(h.saved_at < now() - make_interval(months => months), false)
	  FROM generate_series(1, 8) AS g(n)
	  LEFT JOIN minqing.archive_section h ON h.unit_id = u.unit_id AND h.section = g.n
	  LEFT JOIN minqing.staff st ON st.login = h.saved_by
	 ORDER BY g.n;
END
$$;
COMMENT ON FUNCTION minqing.archive_sections(text) IS
	'The eight sections of a village''s archive: revision number, last saved when and by whom, filled, '
	'stale (not saved within the district''s period). Staff of the village or above.';
REVOKE ALL ON FUNCTION minqing.archive_sections(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_sections(text) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.archive_section(p_unit text, p_section integer)
RETURNS TABLE (unit_code text, unit_name text, section smallint, code text, name text,
               revision_no integer, saved_at timestamptz, saved_by name, saved_by_name text,
               stale boolean, content jsonb, derived jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	u minqing.org_unit;
	sec smallint;
	h minqing.archive_section;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	u := minqing.archive_unit(s, p_unit);
	sec := minqing.archive_check_section(p_section);
	SELECT * INTO h FROM minqing.archive_section a WHERE a.unit_id = u.unit_id AND a.section = sec;
	RETURN QUERY
	SELECT u.code, u.name, sec, minqing.archive_section_code(sec), minqing.archive_section_name(sec),
	       coalesce(h.revision_no, 0), h.saved_at, h.saved_by,
	       (SELECT st.display_name FROM minqing.staff st WHERE st.login = h.saved_by),
	       coalesce(h.saved_at < now() - make_interval(months => minqing.archive_stale_months(u.district_id)),
	                false),
	       minqing.archive_content(u.unit_id, sec), minqing.archive_derived(u, sec);
END
$$;
COMMENT ON FUNCTION minqing.archive_section(text, integer) IS
	'One section of a village''s archive as it stands: revision number (pass it to archive_save_section), '
	'who saved it when, stale, the content (jsonb, docs/archive.md) and what is derived from the '
	'registers and cases (section 1 live counts, 3 party members, 7 mediation cases per year, 8 marks).';
REVOKE ALL ON FUNCTION minqing.archive_section(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_section(text, integer) TO mq_staff;

-- The content alone (no figures from the registers): what the console's
-- record of a section needs beside its lines, without counting the
-- village's households a second time.
CREATE OR REPLACE FUNCTION minqing.archive_section_content(p_unit text, p_section integer) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	u minqing.org_unit;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	u := minqing.archive_unit(s, p_unit);
	RETURN minqing.archive_content(u.unit_id, minqing.archive_check_section(p_section));
END
$$;
COMMENT ON FUNCTION minqing.archive_section_content(text, integer) IS
	'The content of a section of a village''s archive, as archive_section() gives it but without the figures '
	'derived from the registers and cases. Staff of the village or above.';
REVOKE ALL ON FUNCTION minqing.archive_section_content(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_section_content(text, integer) TO mq_staff;

-- Keyset pagination: p_before_revision (a revision number) gives the page
-- after the last row of the previous one, newest first.
CREATE OR REPLACE FUNCTION minqing.archive_history(p_unit text, p_section integer,
                                                   p_before_revision integer DEFAULT NULL,
                                                   p_limit integer DEFAULT 20)
RETURNS TABLE (revision_id bigint, revision_no integer, saved_at timestamptz, saved_by name,
               saved_by_name text, changed text[])
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	u minqing.org_unit;
	sec smallint;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	u := minqing.archive_unit(s, p_unit);
	sec := minqing.archive_check_section(p_section);
	RETURN QUERY
	SELECT r.revision_id, r.revision_no, r.saved_at, r.saved_by, st.display_name, r.changed
	  FROM minqing.archive_revision r
	  LEFT JOIN minqing.staff st ON st.login = r.saved_by
	 WHERE r.unit_id = u.unit_id AND r.section = sec
	   AND (p_before_revision IS NULL OR r.revision_no < p_before_revision)
	 ORDER BY r.revision_no DESC
	 LIMIT least(greatest(coalesce(p_limit, 20), 1), 200);
END
$$;
COMMENT ON FUNCTION minqing.archive_history(text, integer, integer, integer) IS
	'The revisions of a section of a village''s archive, newest first, p_limit (at most 200) at a time; '
	'the next page: p_before_revision = the last revision_no shown.';
REVOKE ALL ON FUNCTION minqing.archive_history(text, integer, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_history(text, integer, integer, integer) TO mq_staff;

-- The leaves of a content: path (members[2].name, note) and value as text.
CREATE OR REPLACE FUNCTION minqing.archive_leaves(p_content jsonb)
RETURNS TABLE (path text, value text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	WITH RECURSIVE walk(path, v) AS (
		SELECT e.key, e.value FROM pg_catalog.jsonb_each(p_content) AS e
		UNION ALL
		SELECT CASE WHEN pg_catalog.jsonb_typeof(w.v) = 'array'
		            THEN w.path || '[' || c.k || ']' ELSE w.path || '.' || c.k END,
		       c.value
		  FROM walk w
		 CROSS JOIN LATERAL (
			SELECT o.key AS k, o.value FROM pg_catalog.jsonb_each(w.v) AS o
			 WHERE pg_catalog.jsonb_typeof(w.v) = 'object'
			UNION ALL
			SELECT a.n::text, a.value FROM pg_catalog.jsonb_array_elements(w.v) WITH ORDINALITY AS a(value, n)
			 WHERE pg_catalog.jsonb_typeof(w.v) = 'array') c
		 WHERE pg_catalog.jsonb_typeof(w.v) IN ('object', 'array')
	)
	SELECT w.path, w.v #>> '{}' FROM walk w WHERE pg_catalog.jsonb_typeof(w.v) NOT IN ('object', 'array')
$$;
COMMENT ON FUNCTION minqing.archive_leaves(jsonb) IS
	'The leaves of an archive content: a path (members[2].name; list items count from 1) and the value as text.';
REVOKE ALL ON FUNCTION minqing.archive_leaves(jsonb) FROM PUBLIC;
-- archive_changes() (64_archive_screens.sql) runs as the caller and lists
-- a first revision's leaves with it; it reads nothing but its argument.
GRANT EXECUTE ON FUNCTION minqing.archive_leaves(jsonb) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.archive_diff(p_revision_a bigint, p_revision_b bigint)
RETURNS TABLE (path text, before text, after text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	a minqing.archive_revision;
	b minqing.archive_revision;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	SELECT * INTO a FROM minqing.archive_revision r WHERE r.revision_id = p_revision_a;
	IF NOT FOUND OR NOT minqing.staff_covers(s, a.path) THEN
		RAISE EXCEPTION 'archive revision % not found', p_revision_a
			USING ERRCODE = 'no_data_found', COLUMN = 'revision_a';
	END IF;
	SELECT * INTO b FROM minqing.archive_revision r WHERE r.revision_id = p_revision_b;
	IF NOT FOUND OR NOT minqing.staff_covers(s, b.path) THEN
		RAISE EXCEPTION 'archive revision % not found', p_revision_b
			USING ERRCODE = 'no_data_found', COLUMN = 'revision_b';
	END IF;
	IF a.unit_id <> b.unit_id OR a.section <> b.section THEN
		RAISE EXCEPTION 'revisions % and % are not of the same section', p_revision_a, p_revision_b
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	SELECT coalesce(x.path, y.path), x.value, y.value
	  FROM minqing.archive_leaves(a.content) x
	  FULL JOIN minqing.archive_leaves(b.content) y ON y.path = x.path
	 WHERE x.value IS DISTINCT FROM y.value
	 ORDER BY 1;
END
$$;
COMMENT ON FUNCTION minqing.archive_diff(bigint, bigint) IS
	'The differences between two revisions of one section, field by field: path (members[2].name), the '
	'value in p_revision_a (before) and in p_revision_b (after); NULL where the field is absent.';
REVOKE ALL ON FUNCTION minqing.archive_diff(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_diff(bigint, bigint) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.archive_overview()
RETURNS TABLE (town_code text, town_name text, unit_code text, unit_name text, section smallint,
               code text, filled boolean, stale boolean, revision_no integer, saved_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	scope ext.ltree;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	SELECT u.path INTO scope FROM minqing.org_unit u WHERE u.unit_id = s.unit_id;
	RETURN QUERY
	SELECT t.code, t.name, v.code, v.name, g.n::smallint, minqing.archive_section_code(g.n),
	       coalesce(h.revision_no, 0) > 0,
	       coalesce(h.saved_at < now() - make_interval(months => minqing.archive_stale_months(v.district_id)),
	                false),
	       coalesce(h.revision_no, 0), h.saved_at
	  FROM minqing.org_unit v
	  JOIN minqing.org_unit t ON t.unit_id = v.parent_id
	 CROSS JOIN generate_series(1, 8) AS g(n)
	  LEFT JOIN minqing.archive_section h ON h.unit_id = v.unit_id AND h.section = g.n
	 WHERE v.path OPERATOR(ext.<@) scope AND v.level = 'village' AND v.kind IN ('village', 'community')
	   AND v.active
	 ORDER BY t.code, v.code, g.n;
END
$$;
COMMENT ON FUNCTION minqing.archive_overview() IS
	'The villages × sections table of the caller''s jurisdiction (a town handler: the villages of the '
	'town): per village and section filled, stale, revision number and last save.';
REVOKE ALL ON FUNCTION minqing.archive_overview() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_overview() TO mq_staff;

------------------------------------------------------------------------------
-- Saving a section
------------------------------------------------------------------------------
-- Replaces the section's structured rows with what p_content says (checked
-- field by field; texts by the text guards of the tables).
CREATE OR REPLACE FUNCTION minqing.archive_put(u minqing.org_unit, p_section smallint, p_content jsonb)
RETURNS void
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	items jsonb;
	it jsonb;
	n integer;
	yr integer;
	seen integer[] := '{}';
	v text;
BEGIN
	UPDATE minqing.archive_section SET note = minqing.archive_text(p_content, 'note')
	 WHERE unit_id = u.unit_id AND section = p_section;
	IF p_section = 1 THEN
		DELETE FROM minqing.archive_overview WHERE unit_id = u.unit_id;
		INSERT INTO minqing.archive_overview (unit_id, district_id, path, area_km2, villager_groups,
		                                      natural_villages, registered_population, resident_population,
		                                      arable_land_mu, main_industries)
		VALUES (u.unit_id, u.district_id, u.path, minqing.archive_number(p_content, 'area_km2'),
		        minqing.archive_whole(p_content, 'villager_groups'),
		        minqing.archive_whole(p_content, 'natural_villages'),
		        minqing.archive_whole(p_content, 'registered_population'),
		        minqing.archive_whole(p_content, 'resident_population'),
		        minqing.archive_number(p_content, 'arable_land_mu'),
		        minqing.archive_text(p_content, 'main_industries'));
	ELSIF p_section = 2 THEN
		items := minqing.archive_list(p_content, 'members',
		                              '{committee,name,post,term,since,until,phone}');
		DELETE FROM minqing.archive_member WHERE unit_id = u.unit_id;
		n := 0;
		FOR it IN SELECT e FROM jsonb_array_elements(items) AS e LOOP
			n := n + 1;
			v := minqing.archive_text(it, 'committee');
			IF v IS NULL OR v NOT IN ('party', 'villagers', 'supervisory') THEN
				RAISE EXCEPTION 'unknown committee "%": party, villagers or supervisory', left(v, 50)
					USING ERRCODE = 'invalid_parameter_value', COLUMN = 'committee';
			END IF;
			PERFORM minqing.require_text(minqing.archive_text(it, 'name'), 'name');
			PERFORM minqing.require_text(minqing.archive_text(it, 'post'), 'post');
			IF minqing.archive_date(it, 'until') < minqing.archive_date(it, 'since') THEN
				RAISE EXCEPTION 'the end date is before the start date'
					USING ERRCODE = 'invalid_parameter_value', COLUMN = 'until';
			END IF;
			INSERT INTO minqing.archive_member (unit_id, district_id, path, ord, committee, name, post, term,
			                                    since, until, phone)
			VALUES (u.unit_id, u.district_id, u.path, n, v, minqing.archive_text(it, 'name'),
			        minqing.archive_text(it, 'post'), minqing.archive_text(it, 'term'),
			        minqing.archive_date(it, 'since'), minqing.archive_date(it, 'until'),
			        minqing.archive_phone(it, 'phone'));
		END LOOP;
	ELSIF p_section = 4 THEN
		items := minqing.archive_list(p_content, 'rules', '{title,kind,adopted_on,body}');
		DELETE FROM minqing.archive_rule WHERE unit_id = u.unit_id;
		n := 0;
		FOR it IN SELECT e FROM jsonb_array_elements(items) AS e LOOP
			n := n + 1;
			PERFORM minqing.require_text(minqing.archive_text(it, 'title'), 'title');
			INSERT INTO minqing.archive_rule (unit_id, district_id, path, ord, title, kind, adopted_on, body)
			VALUES (u.unit_id, u.district_id, u.path, n, minqing.archive_text(it, 'title'),
			        minqing.archive_text(it, 'kind'), minqing.archive_date(it, 'adopted_on'),
			        minqing.archive_text(it, 'body'));
		END LOOP;
	ELSIF p_section = 5 THEN
		items := minqing.archive_list(p_content, 'years', '{year,income,spending,assets,main_sources}');
		DELETE FROM minqing.archive_economy WHERE unit_id = u.unit_id;
		FOR it IN SELECT e FROM jsonb_array_elements(items) AS e LOOP
			yr := minqing.archive_whole(it, 'year');
			IF yr IS NULL OR yr NOT BETWEEN 1949 AND 2100 THEN
				RAISE EXCEPTION 'the year % is not a year from 1949 to 2100', coalesce(yr::text, 'NULL')
					USING ERRCODE = 'invalid_parameter_value', COLUMN = 'year';
			END IF;
			IF yr = ANY (seen) THEN
				RAISE EXCEPTION 'the year % appears twice', yr
					USING ERRCODE = 'unique_violation', COLUMN = 'year';
			END IF;
			seen := seen || yr;
			INSERT INTO minqing.archive_economy (unit_id, year, district_id, path, income, spending, assets,
			                                     main_sources)
			VALUES (u.unit_id, yr, u.district_id, u.path, minqing.archive_number(it, 'income'),
			        minqing.archive_number(it, 'spending'), minqing.archive_number(it, 'assets', true),
			        minqing.archive_text(it, 'main_sources'));
		END LOOP;
	ELSIF p_section = 6 THEN
		items := minqing.archive_list(p_content, 'facilities', '{kind,name,facts,note}');
		DELETE FROM minqing.archive_facility WHERE unit_id = u.unit_id;
		n := 0;
		FOR it IN SELECT e FROM jsonb_array_elements(items) AS e LOOP
			n := n + 1;
			v := minqing.archive_text(it, 'kind');
			IF v IS NULL OR v NOT IN ('school', 'clinic', 'elderly_care', 'culture_hall', 'road', 'other') THEN
				RAISE EXCEPTION 'unknown facility kind "%": school, clinic, elderly_care, culture_hall, road or other',
				                left(v, 50)
					USING ERRCODE = 'invalid_parameter_value', COLUMN = 'kind';
			END IF;
			PERFORM minqing.require_text(minqing.archive_text(it, 'name'), 'name');
			INSERT INTO minqing.archive_facility (unit_id, district_id, path, ord, kind, name, facts, note)
			VALUES (u.unit_id, u.district_id, u.path, n, v, minqing.archive_text(it, 'name'),
			        minqing.archive_text(it, 'facts'), minqing.archive_text(it, 'note'));
		END LOOP;
	ELSIF p_section = 7 THEN
		items := minqing.archive_list(p_content, 'items', '{kind,title,since,note}');
		DELETE FROM minqing.archive_stability WHERE unit_id = u.unit_id;
		n := 0;
		FOR it IN SELECT e FROM jsonb_array_elements(items) AS e LOOP
			n := n + 1;
			v := minqing.archive_text(it, 'kind');
			IF v IS NULL OR v NOT IN ('dispute', 'attention') THEN
				RAISE EXCEPTION 'unknown stability item kind "%": dispute or attention', left(v, 50)
					USING ERRCODE = 'invalid_parameter_value', COLUMN = 'kind';
			END IF;
			PERFORM minqing.require_text(minqing.archive_text(it, 'title'), 'title');
			INSERT INTO minqing.archive_stability (unit_id, district_id, path, ord, kind, title, since, note)
			VALUES (u.unit_id, u.district_id, u.path, n, v, minqing.archive_text(it, 'title'),
			        minqing.archive_date(it, 'since'), minqing.archive_text(it, 'note'));
		END LOOP;
	END IF;
END
$$;
REVOKE ALL ON FUNCTION minqing.archive_put(minqing.org_unit, smallint, jsonb) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.archive_save_section(p_unit text, p_section integer, p_content jsonb,
                                                        p_expect_revision integer)
RETURNS TABLE (revision_id bigint, revision_no integer, changed text[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	u minqing.org_unit;
	sec smallint;
	h minqing.archive_section;
	prev jsonb;
	cur jsonb;
	ch text[];
	rid bigint;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	u := minqing.archive_unit(s, p_unit);
	sec := minqing.archive_check_section(p_section);
	IF p_content IS NULL OR jsonb_typeof(p_content) <> 'object' THEN
		RAISE EXCEPTION 'the content of an archive section is a JSON object'
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'content';
	END IF;
	PERFORM minqing.archive_check_keys(p_content, minqing.archive_fields(sec));
	IF p_expect_revision IS NULL THEN
		PERFORM minqing.require_text(NULL, 'expect_revision');
	END IF;
	-- The head serialises saves: the first save of a section makes it (a
	-- second first save waits here, then finds revision 1 and is refused).
	INSERT INTO minqing.archive_section (unit_id, section, district_id, path)
	VALUES (u.unit_id, sec, u.district_id, u.path)
	ON CONFLICT (unit_id, section) DO NOTHING;
	SELECT * INTO h FROM minqing.archive_section a WHERE a.unit_id = u.unit_id AND a.section = sec FOR UPDATE;
	IF h.revision_no <> p_expect_revision THEN
		RAISE EXCEPTION 'section % of the archive of % was saved by someone else since you opened it',
		                sec, u.name
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('revision %s when opened, %s now', p_expect_revision, h.revision_no),
			      HINT = 'reload the section and try again';
	END IF;
	prev := (SELECT r.content FROM minqing.archive_revision r
	          WHERE r.unit_id = u.unit_id AND r.section = sec AND r.revision_no = h.revision_no);
	PERFORM minqing.archive_put(u, sec, p_content);
	cur := minqing.archive_content(u.unit_id, sec);
	ch := ARRAY(SELECT k.key FROM (SELECT jsonb_object_keys(cur) AS key
	                               UNION SELECT jsonb_object_keys(coalesce(prev, '{}'))) k
	             WHERE (cur -> k.key) IS DISTINCT FROM (prev -> k.key) ORDER BY 1);
	INSERT INTO minqing.archive_revision (unit_id, section, revision_no, district_id, path, content, changed)
	VALUES (u.unit_id, sec, h.revision_no + 1, u.district_id, u.path, cur, ch)
	RETURNING archive_revision.revision_id INTO rid;
	UPDATE minqing.archive_section a SET revision_no = h.revision_no + 1, saved_at = now(),
	       saved_by = session_user
	 WHERE a.unit_id = u.unit_id AND a.section = sec;
	RETURN QUERY SELECT rid, h.revision_no + 1, ch;
END
$$;
COMMENT ON FUNCTION minqing.archive_save_section(text, integer, jsonb, integer) IS
	'Save a section of a village''s archive: p_content is the whole section (docs/archive.md); '
	'p_expect_revision the revision number the person opened (0: never saved), refused with 40001 when '
	'someone saved since. Every save is a new revision. Officers of the village, handlers and '
	'administrators above it.';
REVOKE ALL ON FUNCTION minqing.archive_save_section(text, integer, jsonb, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_save_section(text, integer, jsonb, integer)
	TO mq_officer, mq_handler, mq_admin;

------------------------------------------------------------------------------
-- Hardship marks
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.hardship_mark_add(p_household bigint, p_resident bigint, p_kind text,
                                                     p_since date DEFAULT NULL, p_note text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	hh minqing.household;
	rhh bigint;
	id bigint;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	IF p_kind IS NULL OR p_kind NOT IN ('dibao', 'dibian', 'tekun', 'disabled', 'elderly_alone',
	                                    'left_behind_child', 'serious_illness') THEN
		RAISE EXCEPTION 'unknown hardship kind "%"', left(p_kind, 50)
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'kind',
			      HINT = 'dibao, dibian, tekun, disabled, elderly_alone, left_behind_child, serious_illness';
	END IF;
	IF p_resident IS NOT NULL THEN
		SELECT r.household_id INTO rhh FROM minqing.resident r WHERE r.resident_id = p_resident;
		IF NOT FOUND OR (p_household IS NOT NULL AND rhh <> p_household) THEN
			RAISE EXCEPTION 'resident % not found', p_resident
				USING ERRCODE = 'no_data_found', COLUMN = 'resident';
		END IF;
	ELSIF p_household IS NULL THEN
		PERFORM minqing.require_text(NULL, 'household');
	END IF;
	SELECT * INTO hh FROM minqing.household h WHERE h.household_id = coalesce(rhh, p_household);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'household % not found', coalesce(rhh, p_household)
			USING ERRCODE = 'no_data_found', COLUMN = 'household';
	END IF;
	IF NOT minqing.staff_covers(s, hh.path) THEN
		RAISE EXCEPTION 'household % not found', hh.household_id
			USING ERRCODE = 'no_data_found', COLUMN = 'household';
	END IF;
	IF p_since > current_date THEN
		RAISE EXCEPTION 'a hardship mark cannot begin in the future'
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'since';
	END IF;
	INSERT INTO minqing.hardship_mark (district_id, unit_id, path, household_id, resident_id, kind, since, note)
	VALUES (hh.district_id, hh.unit_id, hh.path, hh.household_id, p_resident, p_kind,
	        coalesce(p_since, current_date), p_note)
	RETURNING mark_id INTO id;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.hardship_mark_add(bigint, bigint, text, date, text) IS
	'Mark a household (p_resident NULL) or one of its residents with a hardship (低保 dibao, 低边 dibian, '
	'特困 tekun, 残疾 disabled, 独居老人 elderly_alone, 留守儿童 left_behind_child, 重病 serious_illness) '
	'since a day (today by default), with a note. Returns the mark id. Audited.';
REVOKE ALL ON FUNCTION minqing.hardship_mark_add(bigint, bigint, text, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.hardship_mark_add(bigint, bigint, text, date, text)
	TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.hardship_mark_end(p_mark bigint, p_until date DEFAULT NULL,
                                                     p_note text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	m minqing.hardship_mark;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	SELECT * INTO m FROM minqing.hardship_mark h WHERE h.mark_id = p_mark FOR UPDATE;
	IF NOT FOUND OR NOT minqing.staff_covers(s, m.path) THEN
		RAISE EXCEPTION 'hardship mark % not found', p_mark
			USING ERRCODE = 'no_data_found', COLUMN = 'mark';
	END IF;
	IF m.until IS NOT NULL THEN
		RAISE EXCEPTION 'hardship mark % has already ended', p_mark
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'mark';
	END IF;
	IF coalesce(p_until, current_date) < m.since THEN
		RAISE EXCEPTION 'the end date is before the start date'
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'until';
	END IF;
	UPDATE minqing.hardship_mark h SET until = coalesce(p_until, current_date), ended_by = session_user,
	       note = coalesce(p_note, h.note)
	 WHERE h.mark_id = p_mark;
END
$$;
COMMENT ON FUNCTION minqing.hardship_mark_end(bigint, date, text) IS
	'End a hardship mark on a day (today by default), optionally with a new note. Marks are never '
	'deleted. Audited.';
REVOKE ALL ON FUNCTION minqing.hardship_mark_end(bigint, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.hardship_mark_end(bigint, date, text) TO mq_officer, mq_handler, mq_admin;

-- The marks of a household (for the household memo): current and ended.
CREATE OR REPLACE FUNCTION minqing.household_hardship(p_household bigint)
RETURNS TABLE (mark_id bigint, kind text, resident_id bigint, resident_name text, since date, until date,
               note text, created_by name)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	RETURN QUERY
	SELECT m.mark_id, m.kind, m.resident_id, r.name, m.since, m.until, m.note, m.created_by
	  FROM minqing.hardship_mark m
	  LEFT JOIN minqing.resident r ON r.resident_id = m.resident_id
	 WHERE m.household_id = p_household AND minqing.staff_covers(s, m.path)
	 ORDER BY m.until IS NOT NULL, m.since DESC, m.mark_id;
END
$$;
COMMENT ON FUNCTION minqing.household_hardship(bigint) IS
	'The hardship marks of a household and its residents, current first: what the household memo shows.';
REVOKE ALL ON FUNCTION minqing.household_hardship(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.household_hardship(bigint) TO mq_staff;

-- The current marks of a village, a page at a time (keyset after p_after_mark).
CREATE OR REPLACE FUNCTION minqing.hardship_marks(p_unit text, p_kind text DEFAULT NULL,
                                                  p_after_mark bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (mark_id bigint, kind text, household_id bigint, household_no text, resident_id bigint,
               resident_name text, since date, note text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	u minqing.org_unit;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	u := minqing.archive_unit(s, p_unit);
	RETURN QUERY
	SELECT m.mark_id, m.kind, m.household_id, h.household_no, m.resident_id, r.name, m.since, m.note
	  FROM minqing.hardship_mark m
	  JOIN minqing.household h ON h.household_id = m.household_id
	  LEFT JOIN minqing.resident r ON r.resident_id = m.resident_id
	 WHERE m.unit_id = u.unit_id AND m.until IS NULL
	   AND (p_kind IS NULL OR m.kind = p_kind)
	   AND (p_after_mark IS NULL OR m.mark_id > p_after_mark)
	 ORDER BY m.mark_id
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 200);
END
$$;
COMMENT ON FUNCTION minqing.hardship_marks(text, text, bigint, integer) IS
	'The current hardship marks of a village (section 8), of one kind or all, p_limit (at most 200) at '
	'a time in mark order; the next page: p_after_mark = the last mark_id shown.';
REVOKE ALL ON FUNCTION minqing.hardship_marks(text, text, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.hardship_marks(text, text, bigint, integer) TO mq_staff;

-- The figures of a village's derived sections, past row-level security:
-- with the policies' ltree conditions in the way a town's handler counted
-- every row of the town (a second for section 7 at scale 10). Owned by
-- mq_lister (BYPASSRLS, docs/security.md) and executable by mq_owner only:
-- archive_section() calls it (through archive_derived) for p_path, the path
-- of the village archive_unit() has just found inside the caller's
-- jurisdiction, so every row counted lies in it (households, residents and
-- party members by their path, cases by the units where they were received,
-- which the caller's policy lets them read). Counts and branch names only.
RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.archive_counts(p_path ext.ltree, p_section integer) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
BEGIN
	IF p_section = 1 THEN
		RETURN jsonb_build_object(
			'households', (SELECT count(*) FROM minqing.household h
			                WHERE h.path OPERATOR(ext.<@) p_path AND h.active),
			'residents', (SELECT count(*) FROM minqing.resident r
			               WHERE r.path OPERATOR(ext.<@) p_path AND r.active),
			'party_members', (SELECT count(*) FROM minqing.party_member p
			                   WHERE p.path OPERATOR(ext.<@) p_path));
	ELSIF p_section = 3 THEN
		RETURN (
			WITH pm AS (
				SELECT p.branch, p.joined_on, r.gender,
				       extract(year FROM age(current_date, r.birth_date))::int AS age
				  FROM minqing.party_member p JOIN minqing.resident r ON r.resident_id = p.resident_id
				 WHERE p.path OPERATOR(ext.<@) p_path AND r.active)
			SELECT jsonb_build_object(
				'count', count(*),
				'male', count(*) FILTER (WHERE pm.gender = 'M'),
				'female', count(*) FILTER (WHERE pm.gender = 'F'),
				'age_bands', jsonb_build_object(
					'under_35', count(*) FILTER (WHERE pm.age < 35),
					'35_49', count(*) FILTER (WHERE pm.age BETWEEN 35 AND 49),
					'50_59', count(*) FILTER (WHERE pm.age BETWEEN 50 AND 59),
					'60_69', count(*) FILTER (WHERE pm.age BETWEEN 60 AND 69),
					'70_over', count(*) FILTER (WHERE pm.age >= 70),
					'unknown', count(*) FILTER (WHERE pm.age IS NULL)),
				'joined', coalesce((SELECT jsonb_agg(jsonb_build_object('decade', d.decade, 'count', d.n)
				                                     ORDER BY d.decade)
				                      FROM (SELECT (extract(year FROM x.joined_on)::int / 10 * 10) AS decade,
				                                   count(*) AS n
				                              FROM pm x WHERE x.joined_on IS NOT NULL GROUP BY 1) d), '[]'),
				'groups', coalesce((SELECT jsonb_agg(jsonb_build_object('branch', g.branch, 'count', g.n)
				                                     ORDER BY g.branch)
				                      FROM (SELECT x.branch, count(*) AS n FROM pm x GROUP BY x.branch) g), '[]'))
			  FROM pm);
	ELSIF p_section = 7 THEN
		RETURN jsonb_build_object('mediation', coalesce((
			SELECT jsonb_agg(jsonb_build_object('year', y.year, 'cases', y.n, 'resolved', y.resolved)
			                 ORDER BY y.year DESC)
			  FROM (SELECT extract(year FROM c.created_at)::int AS year, count(*) AS n,
			               count(*) FILTER (WHERE c.resolved_at IS NOT NULL) AS resolved
			          FROM minqing.cases c JOIN minqing.case_category k ON k.category_id = c.category_id
			         WHERE c.origin_unit_id IN (SELECT u.unit_id FROM minqing.org_unit u
			                                     WHERE u.path OPERATOR(ext.<@) p_path)
			           AND k.centre = 'mediation'
			         GROUP BY 1) y), '[]'));
	ELSIF p_section = 8 THEN
		RETURN jsonb_build_object(
			'households', (SELECT count(*) FROM minqing.household h
			                WHERE h.path OPERATOR(ext.<@) p_path AND h.active),
			'counts', coalesce((SELECT jsonb_object_agg(c.kind, c.n)
			                      FROM (SELECT m.kind, count(*) AS n FROM minqing.hardship_mark m
			                             WHERE m.path OPERATOR(ext.<@) p_path AND m.until IS NULL
			                             GROUP BY m.kind) c), '{}'));
	END IF;
	RETURN NULL;
END
$$;
ALTER FUNCTION minqing.archive_counts(ext.ltree, integer) OWNER TO mq_lister;
COMMENT ON FUNCTION minqing.archive_counts(ext.ltree, integer) IS
	'The derived figures of archive sections 1, 3, 7 and 8 for a village''s path, past row-level security. '
	'Owned by mq_lister (BYPASSRLS); executable by mq_owner only: archive_section() passes the path of a '
	'village it has checked is inside the caller''s jurisdiction.';
REVOKE ALL ON FUNCTION minqing.archive_counts(ext.ltree, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_counts(ext.ltree, integer) TO mq_owner;
SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- The district's stale period
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.archive_set_stale_months(p_district smallint, p_months integer)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
BEGIN
	s := minqing.case_caller('{admin}');
	IF NOT EXISTS (SELECT 1 FROM minqing.org_unit u
	                WHERE u.district_id = p_district AND u.kind = 'district' AND u.unit_id = s.unit_id) THEN
		RAISE EXCEPTION 'only an administrator of district % may set its stale period', p_district
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_months IS NULL OR p_months NOT BETWEEN 1 AND 60 THEN
		RAISE EXCEPTION 'the stale period is from 1 to 60 months, not %', coalesce(p_months::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'months';
	END IF;
	INSERT INTO minqing.archive_setting (district_id, path, stale_months)
	SELECT u.district_id, u.path, p_months FROM minqing.org_unit u WHERE u.unit_id = s.unit_id
	ON CONFLICT (district_id) DO UPDATE SET stale_months = excluded.stale_months;
END
$$;
COMMENT ON FUNCTION minqing.archive_set_stale_months(smallint, integer) IS
	'Set after how many months (1-60, default 12) a section of the village archive not saved is stale; '
	'an administrator of the district. Audited.';
REVOKE ALL ON FUNCTION minqing.archive_set_stale_months(smallint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_set_stale_months(smallint, integer) TO mq_admin;

------------------------------------------------------------------------------
-- The archive as rows of a spreadsheet (minqing-admin import/export archive,
-- docs/import-export.md): one row per field, list items by their number
-- (集体经济 by the year)
------------------------------------------------------------------------------
-- Every field a person fills in, by section: the list it belongs to (NULL
-- at the top level), its Chinese label (what the export writes, what the
-- import reads besides the field's code), its type (text, number, signed
-- number, whole number, date, phone, choice), the text rule of a text
-- (table.column in minqing.text_rule), whether a list item needs it, and
-- the order. The year of 集体经济 is its item, not a field.
CREATE OR REPLACE FUNCTION minqing.archive_labels()
RETURNS TABLE (section smallint, list text, field text, label text, type text, rule text, required boolean,
               ord integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT v.section::smallint, v.list, v.field, v.label, v.type, v.rule, v.required, v.ord
	  FROM (VALUES
		(1, NULL, 'area_km2', '面积（平方公里）', 'number', NULL, false, 1),
		(1, NULL, 'villager_groups', '村民小组数', 'whole', NULL, false, 2),
		(1, NULL, 'natural_villages', '自然村数', 'whole', NULL, false, 3),
		(1, NULL, 'registered_population', '户籍人口', 'whole', NULL, false, 4),
		(1, NULL, 'resident_population', '常住人口', 'whole', NULL, false, 5),
		(1, NULL, 'arable_land_mu', '耕地面积（亩）', 'number', NULL, false, 6),
		(1, NULL, 'main_industries', '主要产业', 'text', 'archive_overview.main_industries', false, 7),
		(2, 'members', 'committee', '所属班子', 'choice', NULL, true, 1),
		(2, 'members', 'name', '姓名', 'text', 'archive_member.name', true, 2),
		(2, 'members', 'post', '职务', 'text', 'archive_member.post', true, 3),
		(2, 'members', 'term', '届次', 'text', 'archive_member.term', false, 4),
		(2, 'members', 'since', '任职时间', 'date', NULL, false, 5),
		(2, 'members', 'until', '离任时间', 'date', NULL, false, 6),
		(2, 'members', 'phone', '联系电话', 'phone', NULL, false, 7),
		(4, 'rules', 'title', '制度名称', 'text', 'archive_rule.title', true, 1),
		(4, 'rules', 'kind', '类别', 'text', 'archive_rule.kind', false, 2),
		(4, 'rules', 'adopted_on', '通过日期', 'date', NULL, false, 3),
		(4, 'rules', 'body', '内容', 'text', 'archive_rule.body', false, 4),
		(5, 'years', 'income', '收入（元）', 'number', NULL, false, 1),
		(5, 'years', 'spending', '支出（元）', 'number', NULL, false, 2),
		(5, 'years', 'assets', '资产（元）', 'signed', NULL, false, 3),
		(5, 'years', 'main_sources', '主要收入来源', 'text', 'archive_economy.main_sources', false, 4),
		(6, 'facilities', 'kind', '类别', 'choice', NULL, true, 1),
		(6, 'facilities', 'name', '名称', 'text', 'archive_facility.name', true, 2),
		(6, 'facilities', 'facts', '基本情况', 'text', 'archive_facility.facts', false, 3),
		(6, 'facilities', 'note', '备注', 'text', 'archive_facility.note', false, 4),
		(7, 'items', 'kind', '类别', 'choice', NULL, true, 1),
		(7, 'items', 'title', '事项', 'text', 'archive_stability.title', true, 2),
		(7, 'items', 'since', '起始日期', 'date', NULL, false, 3),
		(7, 'items', 'note', '情况说明', 'text', 'archive_stability.note', false, 4)) AS v(section, list, field, label, type, rule, required, ord)
	UNION ALL
	SELECT n::smallint, NULL, 'note', '备注', 'text', 'archive_section.note', false, 99
	  FROM generate_series(1, 8) AS n
$$;
COMMENT ON FUNCTION minqing.archive_labels() IS
	'The fields of the village archive a person fills in, by section: list (NULL at the top level), field, '
	'Chinese label, type, text rule, required in a list item, order. What import and export archive read.';
REVOKE ALL ON FUNCTION minqing.archive_labels() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_labels() TO mq_staff;

-- The values of the choice fields and their Chinese.
CREATE OR REPLACE FUNCTION minqing.archive_choices()
RETURNS TABLE (list text, field text, value text, label text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT * FROM (VALUES
		('members', 'committee', 'party', '党支部'),
		('members', 'committee', 'villagers', '村（居）委会'),
		('members', 'committee', 'supervisory', '监委会'),
		('facilities', 'kind', 'school', '学校'),
		('facilities', 'kind', 'clinic', '卫生室'),
		('facilities', 'kind', 'elderly_care', '养老服务'),
		('facilities', 'kind', 'culture_hall', '文化礼堂'),
		('facilities', 'kind', 'road', '道路'),
		('facilities', 'kind', 'other', '其他'),
		('items', 'kind', 'dispute', '矛盾纠纷'),
		('items', 'kind', 'attention', '重点关注')) AS v(list, field, value, label)
$$;
COMMENT ON FUNCTION minqing.archive_choices() IS
	'The values of the archive''s choice fields (committee, facility and stability item kinds) and their Chinese.';
REVOKE ALL ON FUNCTION minqing.archive_choices() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_choices() TO mq_staff;

-- A village's whole archive as rows: section, item (a list item's number;
-- the year in 集体经济), field, label, value as text (choices in Chinese),
-- in the order of the sections, items and the labels. Read through
-- archive_section(), so the caller's duty and jurisdiction decide; the
-- sections never saved give no rows.
CREATE OR REPLACE FUNCTION minqing.archive_export(p_unit text)
RETURNS TABLE (unit_code text, unit_name text, section smallint, section_name text, revision_no integer,
               saved_at timestamptz, item text, field text, label text, value text)
LANGUAGE sql STABLE SET jit = off AS $$
	-- Each section read once (archive_section() counts the derived figures);
	-- jit off, as for the archive's functions: the estimates for the eight
	-- calls made it compile a 20 ms query for half a second.
	WITH sec AS MATERIALIZED (
		SELECT a.* FROM generate_series(1, 8) AS g(n)
		 CROSS JOIN LATERAL minqing.archive_section(p_unit, g.n) AS a),
	vals AS (
		-- the top-level fields
		SELECT s.section, NULL::integer AS item_no, l.field, l.label, l.ord, s.content ->> l.field AS v, l.list,
		       l.type
		  FROM sec s JOIN minqing.archive_labels() l ON l.section = s.section AND l.list IS NULL
		UNION ALL
		-- the list items: by position, 集体经济 by its year
		SELECT s.section, CASE WHEN s.section = 5 THEN (e.obj ->> 'year')::integer ELSE e.k::integer END,
		       l.field, l.label, l.ord, e.obj ->> l.field, l.list, l.type
		  FROM sec s JOIN minqing.archive_labels() l ON l.section = s.section AND l.list IS NOT NULL
		 CROSS JOIN LATERAL jsonb_array_elements(coalesce(s.content -> l.list, '[]')) WITH ORDINALITY AS e(obj, k))
	SELECT s.unit_code, s.unit_name, s.section, s.name, s.revision_no, s.saved_at, v.item_no::text, v.field,
	       v.label,
	       CASE WHEN v.type = 'choice'
	            THEN coalesce((SELECT c.label FROM minqing.archive_choices() c
	                            WHERE c.list = v.list AND c.field = v.field AND c.value = v.v), v.v)
	            ELSE v.v END
	  FROM vals v JOIN sec s ON s.section = v.section
	 WHERE v.v IS NOT NULL AND v.v <> ''
	 ORDER BY v.section, v.item_no NULLS LAST, v.ord
$$;
COMMENT ON FUNCTION minqing.archive_export(text) IS
	'A village''s archive as rows (minqing-admin export archive): section and its name, revision, item '
	'(list item number; the year in 集体经济), field, Chinese label, value as text. The caller''s duty and '
	'jurisdiction decide, as for archive_section().';
REVOKE ALL ON FUNCTION minqing.archive_export(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.archive_export(text) TO mq_staff;

RESET ROLE;
