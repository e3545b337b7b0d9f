-- schema/functions/59_import.sql: paper registers into the system
-- (`minqing-admin import`, docs/import-export.md).
--
-- The client opens an import (import_begin), COPYs the file into the view
-- import_input (its INSTEAD OF trigger files each row under that import),
-- and calls the check of its kind (import_households, import_residents,
-- import_party_members, import_links) in the same transaction. Each check
-- is set-based: one statement per rule adds the rows it rejects to
-- import_reject (line, column, an English reason template and its
-- parameters); nothing is written when a row is rejected unless p_partial,
-- and then only the rows that passed. Writing is idempotent: rows are
-- matched by their natural key (village code and household number, ID
-- number, ...) and a row equal to what is stored changes nothing. The
-- figures go to import_run; the rejects come back with the fields of their
-- row (for the reject file); the staged rows are deleted.
--
-- Only an administrator imports, into units of their write scope (the
-- tables' FORCE row-level security holds these functions to it too).
--
-- The import functions run with enable_nestloop off: the planner takes the
-- policies' "path <@ scope" for a small part of a table (an ltree default
-- selectivity, twice for an UPDATE), so it believed a village's 40,000
-- households to be 4 rows and joined them to every staged row in a nested
-- loop (quadratic: minutes for a re-run of 40,000). Hash joins cost one
-- scan of the jurisdiction's rows per statement, whatever the estimates.
--
-- The current definition of these functions and views, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` whenever the
-- function files change (docs/development.md, "Functions, views and grants").

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE OR REPLACE VIEW minqing.import_input AS
SELECT NULL::text AS c1, NULL::text AS c2, NULL::text AS c3, NULL::text AS c4,
       NULL::text AS c5, NULL::text AS c6, NULL::text AS c7, NULL::text AS c8
 WHERE false;
COMMENT ON VIEW minqing.import_input IS
	'What COPY writes an import''s file into (COPY refuses tables with row-level security): its '
	'INSTEAD OF trigger files each row under the caller''s open import. Always empty.';
REVOKE ALL ON minqing.import_input FROM PUBLIC;
GRANT INSERT ON minqing.import_input TO mq_admin;

-- A value of a register's cell: NULL when blank, else without the spaces
-- around it: the white space of text_is_blank() (the ideographic space
-- U+3000 and the no-break spaces included), trimmed without a regular
-- expression (every cell of a file passes here).
CREATE OR REPLACE FUNCTION minqing.import_value(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN nullif(btrim(t, E' \t\n\u000b\f\r\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000'), '');
COMMENT ON FUNCTION minqing.import_value(text) IS
	'A cell of an imported register: NULL when blank, else trimmed of spaces (U+3000 included).';
REVOKE ALL ON FUNCTION minqing.import_value(text) FROM PUBLIC;

-- A date as registers write it: 1958-03-07, 1958/3/7 or 1958.03.07; NULL
-- when it is none (never an error: a bad date is a rejected row).
CREATE OR REPLACE FUNCTION minqing.import_date(t text) RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN t !~ '^[12][0-9]{3}[-/.](0?[1-9]|1[0-2])[-/.](0?[1-9]|[12][0-9]|3[01])$' THEN NULL
            ELSE CASE WHEN split_part(translate(t, '/.', '--'), '-', 3)::int
                           <= extract(day FROM make_date(split_part(translate(t, '/.', '--'), '-', 1)::int,
                                                         split_part(translate(t, '/.', '--'), '-', 2)::int, 1)
                                             + interval '1 month - 1 day')::int
                      THEN make_date(split_part(translate(t, '/.', '--'), '-', 1)::int,
                                     split_part(translate(t, '/.', '--'), '-', 2)::int,
                                     split_part(translate(t, '/.', '--'), '-', 3)::int) END END;
COMMENT ON FUNCTION minqing.import_date(text) IS
	'A date of an imported register (YYYY-MM-DD, YYYY/M/D or YYYY.MM.DD), NULL when it is none.';
REVOKE ALL ON FUNCTION minqing.import_date(text) FROM PUBLIC;

-- A relation to the head of the household: the schema's word or the
-- register's Chinese; NULL when it is neither.
CREATE OR REPLACE FUNCTION minqing.import_relation(t text) RETURNS minqing.relation
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN lower(t) IN ('head', 'spouse', 'child', 'child_in_law', 'grandchild', 'parent',
                              'sibling', 'other') THEN lower(t)::minqing.relation
            WHEN t IN ('户主') THEN 'head'
            WHEN t IN ('配偶', '妻', '夫', '妻子', '丈夫') THEN 'spouse'
            WHEN t IN ('子女', '子', '女', '儿子', '女儿', '长子', '长女', '次子', '次女') THEN 'child'
            WHEN t IN ('儿媳', '女婿', '媳妇') THEN 'child_in_law'
            WHEN t IN ('孙子女', '孙子', '孙女', '外孙', '外孙女') THEN 'grandchild'
            WHEN t IN ('父母', '父亲', '母亲', '父', '母') THEN 'parent'
            WHEN t IN ('兄弟姐妹', '兄', '弟', '姐', '妹') THEN 'sibling'
            WHEN t IN ('其他') THEN 'other' END;
COMMENT ON FUNCTION minqing.import_relation(text) IS
	'The relation of an imported resident: head, spouse, ... or the register''s 户主, 配偶, 子女, ...';
REVOKE ALL ON FUNCTION minqing.import_relation(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.import_begin(p_kind text) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	v_district smallint;
	v_path ext.ltree;
	v_id bigint;
BEGIN
	SELECT s.district_id, u.path INTO v_district, v_path
	  FROM minqing.staff s JOIN minqing.org_unit u ON u.unit_id = s.unit_id
	 WHERE s.login = session_user AND s.active AND s.duty = 'admin';
	IF NOT FOUND THEN
		RAISE EXCEPTION 'only an administrator may import registers' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_kind IS NULL OR p_kind NOT IN ('households', 'residents', 'party-members', 'links', 'archive') THEN
		RAISE EXCEPTION 'unknown kind of register: %', p_kind USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO minqing.import_run (district_id, path, kind) VALUES (v_district, v_path, p_kind)
	RETURNING import_id INTO v_id;
	RETURN v_id;
END
$$;
COMMENT ON FUNCTION minqing.import_begin(text) IS
	'Opens an import of a register (households, residents, party-members, links or archive) for the calling '
	'administrator: set minqing.import_id to the number it returns, COPY into import_input, then call '
	'the import function of the kind, in the same transaction.';
REVOKE ALL ON FUNCTION minqing.import_begin(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.import_begin(text) TO mq_admin;

-- INSTEAD OF INSERT on import_input: the row goes to the import named by
-- the setting minqing.import_id, when it is the caller's and still open,
-- numbered by its line in the file (the header is line 1), its cells
-- trimmed (import_value) and its ID number in capitals. The checks then
-- join plain columns: an expression that is not leakproof could not be an
-- index condition under the tables' row-level security (a scan of a
-- village's households for every row). The count is
-- the session's setting minqing.import_line ("import:line", set for the
-- session: a SET LOCAL would end with this function), which a rollback
-- undoes; numbering afterwards (an UPDATE joining the staged rows) cost
-- quadratic time on a table whose statistics lag behind.
CREATE OR REPLACE FUNCTION minqing.import_input_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	v_id bigint := nullif(current_setting('minqing.import_id', true), '')::bigint;
	v_last text := coalesce(current_setting('minqing.import_line', true), '');
	v_line integer := 2;
	v_kind text;
	v_id_column integer;
	v_fields text[];
BEGIN
	SELECT r.kind INTO v_kind FROM minqing.import_run r
	 WHERE r.import_id = v_id AND r.login = session_user AND r.finished_at IS NULL;
	IF v_kind IS NULL THEN
		RAISE EXCEPTION 'no import is open in this session' USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	IF split_part(v_last, ':', 1) = v_id::text AND split_part(v_last, ':', 2) ~ '^[0-9]{1,9}$' THEN
		v_line := split_part(v_last, ':', 2)::integer + 1;
	END IF;
	PERFORM set_config('minqing.import_line', v_id || ':' || v_line, false);
	v_fields := ARRAY[minqing.import_value(NEW.c1), minqing.import_value(NEW.c2), minqing.import_value(NEW.c3),
	                  minqing.import_value(NEW.c4), minqing.import_value(NEW.c5), minqing.import_value(NEW.c6),
	                  minqing.import_value(NEW.c7), minqing.import_value(NEW.c8)];
	-- The ID number's column of the kind: a lower-case x is an X.
	v_id_column := CASE v_kind WHEN 'residents' THEN 8 WHEN 'party-members' THEN 1 WHEN 'links' THEN 1 END;
	IF v_id_column IS NOT NULL THEN
		v_fields[v_id_column] := upper(v_fields[v_id_column]);
	END IF;
	INSERT INTO minqing.import_row (import_id, line, fields) VALUES (v_id, v_line, v_fields);
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION minqing.import_input_row() FROM PUBLIC;

-- The open import p_import of kind p_kind, locked, for the calling
-- administrator; its empty rows (a spreadsheet's trailing ,,,, rows) dropped.
-- Called by the import functions (as their owner).
CREATE OR REPLACE FUNCTION minqing.import_open(p_import bigint, p_kind text) RETURNS minqing.import_run
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	v_run minqing.import_run;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM minqing.staff s
	                WHERE s.login = session_user AND s.active AND s.duty = 'admin') THEN
		RAISE EXCEPTION 'only an administrator may import registers' USING ERRCODE = 'insufficient_privilege';
	END IF;
	-- Row-level security: only the caller's own imports are found.
	SELECT * INTO v_run FROM minqing.import_run r WHERE r.import_id = p_import FOR UPDATE;
	IF NOT FOUND OR v_run.kind <> p_kind THEN
		RAISE EXCEPTION 'import % not found', p_import USING ERRCODE = 'no_data_found';
	END IF;
	IF v_run.finished_at IS NOT NULL THEN
		RAISE EXCEPTION 'import % is finished', p_import USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	DELETE FROM minqing.import_row r
	 WHERE r.import_id = p_import
	   AND NOT EXISTS (SELECT 1 FROM unnest(r.fields) AS f(v) WHERE f.v IS NOT NULL);
	RETURN v_run;
END
$$;
COMMENT ON FUNCTION minqing.import_open(bigint, text) IS
	'The caller''s open import, locked, its empty rows dropped; for the import functions.';
REVOKE ALL ON FUNCTION minqing.import_open(bigint, text) FROM PUBLIC;

-- Records the figures, returns the rejects with their rows as CSV (the
-- kind's columns, each quoted; for the reject file) and drops the staged
-- rows. For the import functions.
CREATE OR REPLACE FUNCTION minqing.import_close(p_import bigint, p_partial boolean, p_inserted integer,
                                                p_updated integer)
RETURNS TABLE (line integer, field text, reason text, args text[], record text)
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_columns integer;
	v_read integer;
	v_rejected integer;
BEGIN
	SELECT count(*) INTO v_read FROM minqing.import_row r WHERE r.import_id = p_import;
	SELECT count(DISTINCT j.line) INTO v_rejected FROM minqing.import_reject j WHERE j.import_id = p_import;
	UPDATE minqing.import_run r
	   SET finished_at = now(), partial = p_partial, read_rows = v_read, rejected = v_rejected,
	       written = (v_rejected = 0 OR p_partial), inserted = p_inserted, updated = p_updated,
	       unchanged = CASE WHEN v_rejected = 0 OR p_partial
	                        THEN v_read - v_rejected - p_inserted - p_updated ELSE 0 END
	 WHERE r.import_id = p_import;
	SELECT CASE r.kind WHEN 'households' THEN 5 WHEN 'archive' THEN 5 WHEN 'residents' THEN 8 ELSE 3 END
	  INTO v_columns
	  FROM minqing.import_run r WHERE r.import_id = p_import;
	RETURN QUERY
	SELECT j.line, j.field, j.reason, j.args,
	       array_to_string(ARRAY(SELECT '"' || replace(coalesce(f.v, ''), '"', '""') || '"'
	                               FROM unnest(r.fields[1:v_columns]) WITH ORDINALITY AS f(v, k)
	                              ORDER BY f.k), ',')
	  FROM minqing.import_reject j
	  JOIN minqing.import_row r ON r.import_id = j.import_id AND r.line = j.line
	 WHERE j.import_id = p_import
	 ORDER BY j.line, j.field, j.reason;
	DELETE FROM minqing.import_row r WHERE r.import_id = p_import;
END
$$;
COMMENT ON FUNCTION minqing.import_close(bigint, boolean, integer, integer) IS
	'Ends an import: its figures into import_run, its rejects with their rows as CSV returned.';
REVOKE ALL ON FUNCTION minqing.import_close(bigint, boolean, integer, integer) FROM PUBLIC;

-- Rejects common to several kinds: a required cell; a village code that is
-- no village or community, or one outside the import's scope; a text over
-- its rule (minqing.text_rule) or with hidden characters; a phone number;
-- an ID number's form and check character.
CREATE OR REPLACE FUNCTION minqing.import_reject_common(p_import bigint, p_scope ext.ltree,
                                                        p_required integer[], p_village integer,
                                                        p_texts text[], p_phone integer, p_id_card integer)
RETURNS void
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	-- p_texts: 'position:table.column' for each cell with a text rule
	-- (text_ok() less the blank test: a staged cell is never blank).
	INSERT INTO minqing.import_reject (import_id, line, field, reason)
	SELECT p_import, r.line, 'c' || k.k, 'a value is required'
	  FROM minqing.import_row r CROSS JOIN unnest(p_required) AS k(k)
	 WHERE r.import_id = p_import AND r.fields[k.k] IS NULL;
	IF p_village IS NOT NULL THEN
		INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
		SELECT p_import, r.line, 'c' || p_village,
		       CASE WHEN o.unit_id IS NULL THEN 'unknown village %s'
		            ELSE 'village %s is outside your jurisdiction' END,
		       ARRAY[r.fields[p_village]]
		  FROM minqing.import_row r
		  LEFT JOIN minqing.org_unit o ON o.code = r.fields[p_village]
		                               AND o.kind IN ('village', 'community') AND o.active
		 WHERE r.import_id = p_import AND r.fields[p_village] IS NOT NULL
		   AND (o.unit_id IS NULL OR NOT o.path OPERATOR(ext.<@) p_scope);
	END IF;
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, r.line, 'c' || t.pos,
	       CASE WHEN char_length(r.fields[t.pos]) > x.max_chars
	            THEN 'longer than %s characters' ELSE 'holds control or invisible characters' END,
	       CASE WHEN char_length(r.fields[t.pos]) > x.max_chars
	            THEN ARRAY[x.max_chars::text] ELSE '{}' END
	  FROM unnest(p_texts) AS s(spec)
	 CROSS JOIN LATERAL (SELECT split_part(s.spec, ':', 1)::int AS pos,
	                            split_part(split_part(s.spec, ':', 2), '.', 1) AS tab,
	                            split_part(split_part(s.spec, ':', 2), '.', 2) AS col) t
	  JOIN minqing.text_rule x ON x.table_name = t.tab AND x.column_name = t.col
	  JOIN minqing.import_row r ON r.import_id = p_import
	 WHERE char_length(r.fields[t.pos]) > x.max_chars
	    OR minqing.text_has_hidden(r.fields[t.pos], x.multiline);
	IF p_phone IS NOT NULL THEN
		INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
		SELECT p_import, r.line, 'c' || p_phone, 'not a phone number: %s',
		       ARRAY[left(r.fields[p_phone], 40)]
		  FROM minqing.import_row r
		 WHERE r.import_id = p_import AND r.fields[p_phone] IS NOT NULL
		   AND r.fields[p_phone] !~ '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$';
	END IF;
	IF p_id_card IS NOT NULL THEN
		INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
		SELECT p_import, r.line, 'c' || p_id_card,
		       CASE WHEN r.fields[p_id_card] !~ '^[0-9]{17}[0-9X]$'
		            THEN 'not an ID number (17 digits and a check character): %s'
		            ELSE 'wrong check character in ID number %s' END,
		       ARRAY[minqing.mask_id_card(left(r.fields[p_id_card], 40))]
		  FROM minqing.import_row r
		 WHERE r.import_id = p_import AND r.fields[p_id_card] IS NOT NULL
		   AND NOT minqing.id_card_valid(r.fields[p_id_card]);
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.import_reject_common(bigint, ext.ltree, integer[], integer, text[], integer, integer) IS
	'The rejects every kind of import shares (required cells, villages, text rules, phone and ID numbers).';
REVOKE ALL ON FUNCTION minqing.import_reject_common(bigint, ext.ltree, integer[], integer, text[], integer, integer)
	FROM PUBLIC;

-- households: village_code, household_no, address, phone, grid_cell.
CREATE OR REPLACE FUNCTION minqing.import_households(p_import bigint, p_partial boolean)
RETURNS TABLE (line integer, field text, reason text, args text[], record text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp
SET enable_nestloop = off AS $$
#variable_conflict use_column
DECLARE
	v_run minqing.import_run := minqing.import_open(p_import, 'households');
	v_inserted integer := 0;
	v_updated integer := 0;
BEGIN
	PERFORM minqing.import_reject_common(p_import, v_run.path, '{1,2,3}', 1,
		'{2:household.household_no,3:household.address,5:household.grid_cell}', 4, NULL);
	-- The same household twice in the file.
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, d.line, 'c2', 'household number %s appears again (first at line %s)',
	       ARRAY[d.no, d.first::text]
	  FROM (SELECT r.line, r.fields[2] AS no,
	               first_value(r.line) OVER w AS first, row_number() OVER w AS k
	          FROM minqing.import_row r
	         WHERE r.import_id = p_import AND r.fields[1] IS NOT NULL
	           AND r.fields[2] IS NOT NULL
	        WINDOW w AS (PARTITION BY r.fields[1], r.fields[2]
	                     ORDER BY r.line)) d
	 WHERE d.k > 1;
	-- A household number the village has already given another address.
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, r.line, 'c2', 'household number %s is already registered at another address: %s',
	       ARRAY[h.household_no, h.address]
	  FROM minqing.import_row r
	  JOIN minqing.org_unit o ON o.code = r.fields[1]
	  JOIN minqing.household h ON h.unit_id = o.unit_id AND h.household_no = r.fields[2]
	 WHERE r.import_id = p_import AND r.fields[3] IS NOT NULL
	   AND h.address <> r.fields[3];

	IF p_partial OR NOT EXISTS (SELECT 1 FROM minqing.import_reject j WHERE j.import_id = p_import) THEN
		-- (The phone compared as text: this CTE is inlined, and a cast in a
		-- join condition could meet a rejected row's number.)
		WITH good AS (
			SELECT o.unit_id, r.fields[2] AS no, r.fields[4] AS phone, r.fields[5] AS grid_cell
			  FROM minqing.import_row r
			  JOIN minqing.org_unit o ON o.code = r.fields[1]
			 WHERE r.import_id = p_import
			   AND NOT EXISTS (SELECT 1 FROM minqing.import_reject j
			                    WHERE j.import_id = p_import AND j.line = r.line))
		UPDATE minqing.household h SET phone = g.phone::minqing.phone, grid_cell = g.grid_cell
		  FROM good g
		 WHERE h.unit_id = g.unit_id AND h.household_no = g.no
		   AND (h.phone::text IS DISTINCT FROM g.phone OR h.grid_cell IS DISTINCT FROM g.grid_cell);
		GET DIAGNOSTICS v_updated = ROW_COUNT;
		INSERT INTO minqing.household (unit_id, household_no, address, phone, grid_cell)
		SELECT o.unit_id, r.fields[2], r.fields[3],
		       r.fields[4]::minqing.phone, r.fields[5]
		  FROM minqing.import_row r
		  JOIN minqing.org_unit o ON o.code = r.fields[1]
		 WHERE r.import_id = p_import
		   AND NOT EXISTS (SELECT 1 FROM minqing.import_reject j
		                    WHERE j.import_id = p_import AND j.line = r.line)
		   AND NOT EXISTS (SELECT 1 FROM minqing.household h
		                    WHERE h.unit_id = o.unit_id AND h.household_no = r.fields[2])
		 ORDER BY r.line;
		GET DIAGNOSTICS v_inserted = ROW_COUNT;
	END IF;
	RETURN QUERY SELECT * FROM minqing.import_close(p_import, p_partial, v_inserted, v_updated);
END
$$;
COMMENT ON FUNCTION minqing.import_households(bigint, boolean) IS
	'Checks the rows of import p_import as households (village_code, household_no, address, phone, '
	'grid_cell) and writes them when all pass, or the good ones when p_partial: new households '
	'inserted, a known one (same village, number and address) given its phone and grid cell. '
	'Returns the rejects (line, column c1.., reason template, its parameters, the row as CSV).';
REVOKE ALL ON FUNCTION minqing.import_households(bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.import_households(bigint, boolean) TO mq_admin;

-- Which of these ID numbers are registered, and in which household, past
-- the caller's row-level security: the residents import rejects a number
-- registered in another household (which the unique-number trigger would
-- refuse without saying which row) before it writes. Executable by mq_owner
-- only (the import functions): a person learns no more than the trigger's
-- refusal tells. Owned by mq_checker (docs/security.md).
RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.import_id_cards_registered(p_id_cards text[])
RETURNS TABLE (id_card text, household_id bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	SELECT r.id_card, r.household_id FROM minqing.resident r WHERE r.id_card = ANY (p_id_cards)
$$;
ALTER FUNCTION minqing.import_id_cards_registered(text[]) OWNER TO mq_checker;
COMMENT ON FUNCTION minqing.import_id_cards_registered(text[]) IS
	'The households of the given ID numbers wherever they are registered; for import_residents only.';
REVOKE ALL ON FUNCTION minqing.import_id_cards_registered(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.import_id_cards_registered(text[]) TO mq_owner;
SET LOCAL ROLE mq_owner;

-- residents: village_code, household_no, name, gender, birth_date,
-- relation, phone, id_card.
CREATE OR REPLACE FUNCTION minqing.import_residents(p_import bigint, p_partial boolean)
RETURNS TABLE (line integer, field text, reason text, args text[], record text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp
SET enable_nestloop = off AS $$
#variable_conflict use_column
DECLARE
	v_run minqing.import_run := minqing.import_open(p_import, 'residents');
	v_inserted integer := 0;
	v_updated integer := 0;
BEGIN
	PERFORM minqing.import_reject_common(p_import, v_run.path, '{1,2,3,6}', 1, '{3:resident.name}', 7, 8);
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, r.line, 'c4', 'gender must be M or F (男 or 女), not %s',
	       ARRAY[left(r.fields[4], 40)]
	  FROM minqing.import_row r
	 WHERE r.import_id = p_import AND r.fields[4] IS NOT NULL
	   AND upper(r.fields[4]) NOT IN ('M', 'F', '男', '女');
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, r.line, 'c5', 'not a date (YYYY-MM-DD): %s', ARRAY[left(r.fields[5], 40)]
	  FROM minqing.import_row r
	 WHERE r.import_id = p_import AND r.fields[5] IS NOT NULL
	   AND minqing.import_date(r.fields[5]) IS NULL;
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, r.line, 'c6', 'unknown relation %s', ARRAY[left(r.fields[6], 40)]
	  FROM minqing.import_row r
	 WHERE r.import_id = p_import AND r.fields[6] IS NOT NULL
	   AND minqing.import_relation(r.fields[6]) IS NULL;
	-- The household must be registered (import the households first).
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, r.line, 'c2', 'no household %s in village %s',
	       ARRAY[r.fields[2], o.code]
	  FROM minqing.import_row r
	  JOIN minqing.org_unit o ON o.code = r.fields[1]
	                          AND o.path OPERATOR(ext.<@) v_run.path
	 WHERE r.import_id = p_import AND r.fields[2] IS NOT NULL
	   AND NOT EXISTS (SELECT 1 FROM minqing.household h
	                    WHERE h.unit_id = o.unit_id AND h.household_no = r.fields[2]);
	-- One person twice in the file: by ID number, or by name in one household
	-- when no ID number is given.
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, d.line, 'c8', 'ID number %s appears again (first at line %s)',
	       ARRAY[minqing.mask_id_card(d.id_card), d.first::text]
	  FROM (SELECT r.line, r.fields[8] AS id_card,
	               first_value(r.line) OVER w AS first, row_number() OVER w AS k
	          FROM minqing.import_row r
	         WHERE r.import_id = p_import AND minqing.id_card_valid(r.fields[8])
	        WINDOW w AS (PARTITION BY r.fields[8] ORDER BY r.line)) d
	 WHERE d.k > 1;
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, d.line, 'c3', 'resident %s appears again in household %s (first at line %s)',
	       ARRAY[d.name, d.no, d.first::text]
	  FROM (SELECT r.line, r.fields[3] AS name, r.fields[2] AS no,
	               first_value(r.line) OVER w AS first, row_number() OVER w AS k
	          FROM minqing.import_row r
	         WHERE r.import_id = p_import AND r.fields[8] IS NULL
	           AND r.fields[3] IS NOT NULL
	        WINDOW w AS (PARTITION BY r.fields[1], r.fields[2],
	                                  r.fields[3] ORDER BY r.line)) d
	 WHERE d.k > 1;
	-- An ID number registered in another household (anywhere).
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, r.line, 'c8', 'ID number %s is already registered in another household',
	       ARRAY[minqing.mask_id_card(g.id_card)]
	  FROM minqing.import_row r
	  JOIN minqing.import_id_cards_registered(ARRAY(
	           SELECT x.fields[8] FROM minqing.import_row x
	            WHERE x.import_id = p_import AND minqing.id_card_valid(x.fields[8]))) g
	    ON g.id_card = r.fields[8]
	  LEFT JOIN minqing.org_unit o ON o.code = r.fields[1]
	  LEFT JOIN minqing.household h ON h.unit_id = o.unit_id AND h.household_no = r.fields[2]
	 WHERE r.import_id = p_import AND g.household_id IS DISTINCT FROM h.household_id;

	IF p_partial OR NOT EXISTS (SELECT 1 FROM minqing.import_reject j WHERE j.import_id = p_import) THEN
		WITH good AS (
			SELECT r.line, h.household_id, r.fields[3] AS name,
			       CASE upper(r.fields[4]) WHEN 'M' THEN 'M' WHEN '男' THEN 'M'
			            WHEN 'F' THEN 'F' WHEN '女' THEN 'F' END AS gender,
			       minqing.import_date(r.fields[5]) AS birth_date,
			       minqing.import_relation(r.fields[6]) AS relation,
			       r.fields[7]::minqing.phone AS phone,
			       r.fields[8] AS id_card
			  FROM minqing.import_row r
			  JOIN minqing.org_unit o ON o.code = r.fields[1]
			  JOIN minqing.household h ON h.unit_id = o.unit_id AND h.household_no = r.fields[2]
			 WHERE r.import_id = p_import
			   AND NOT EXISTS (SELECT 1 FROM minqing.import_reject j
			                    WHERE j.import_id = p_import AND j.line = r.line)),
		matched AS (
			SELECT g.*, coalesce(
			           (SELECT x.resident_id FROM minqing.resident x
			             WHERE g.id_card IS NOT NULL AND x.id_card = g.id_card),
			           (SELECT min(x.resident_id) FROM minqing.resident x
			             WHERE x.household_id = g.household_id AND x.name = g.name
			               AND (g.id_card IS NULL OR x.id_card IS NULL))) AS resident_id
			  FROM good g),
		changed AS (
			UPDATE minqing.resident x
			   SET name = m.name, gender = m.gender, birth_date = m.birth_date, relation = m.relation,
			       phone = m.phone, id_card = coalesce(m.id_card, x.id_card)
			  FROM matched m
			 WHERE x.resident_id = m.resident_id
			   AND (x.name, x.gender::text, x.birth_date, x.relation, x.phone::text, x.id_card)
			       IS DISTINCT FROM (m.name, m.gender, m.birth_date, m.relation, m.phone::text,
			                         coalesce(m.id_card, x.id_card))
			RETURNING 1),
		added AS (
			INSERT INTO minqing.resident (household_id, name, gender, birth_date, relation, phone, id_card)
			SELECT m.household_id, m.name, m.gender, m.birth_date, m.relation, m.phone, m.id_card
			  FROM matched m WHERE m.resident_id IS NULL ORDER BY m.line
			RETURNING 1)
		SELECT (SELECT count(*) FROM changed), (SELECT count(*) FROM added) INTO v_updated, v_inserted;
		-- A household without a head gets the member the register calls its head.
		UPDATE minqing.household h SET head_resident_id = x.resident_id
		  FROM (SELECT DISTINCT ON (x.household_id) x.household_id, x.resident_id
		          FROM minqing.resident x
		         WHERE x.relation = 'head'
		           AND x.household_id IN (
		               SELECT h2.household_id FROM minqing.import_row r
		                 JOIN minqing.org_unit o ON o.code = r.fields[1]
		                 JOIN minqing.household h2 ON h2.unit_id = o.unit_id
		                                          AND h2.household_no = r.fields[2]
		                WHERE r.import_id = p_import)
		         ORDER BY x.household_id, x.resident_id) x
		 WHERE h.household_id = x.household_id AND h.head_resident_id IS NULL;
	END IF;
	RETURN QUERY SELECT * FROM minqing.import_close(p_import, p_partial, v_inserted, v_updated);
END
$$;
COMMENT ON FUNCTION minqing.import_residents(bigint, boolean) IS
	'Checks the rows of import p_import as residents (village_code, household_no, name, gender, '
	'birth_date, relation, phone, id_card) and writes them when all pass, or the good ones when '
	'p_partial: a resident is matched by ID number, else by name in the household, and updated; '
	'the others are added. Returns the rejects (line, column, reason template, parameters, row as CSV).';
REVOKE ALL ON FUNCTION minqing.import_residents(bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.import_residents(bigint, boolean) TO mq_admin;

-- party-members: id_card, branch, joined_on.
CREATE OR REPLACE FUNCTION minqing.import_party_members(p_import bigint, p_partial boolean)
RETURNS TABLE (line integer, field text, reason text, args text[], record text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp
SET enable_nestloop = off AS $$
#variable_conflict use_column
DECLARE
	v_run minqing.import_run := minqing.import_open(p_import, 'party-members');
	v_inserted integer := 0;
	v_updated integer := 0;
BEGIN
	PERFORM minqing.import_reject_common(p_import, v_run.path, '{1,2}', NULL, '{2:party_member.branch}',
	                                     NULL, 1);
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, r.line, 'c3', 'not a date (YYYY-MM-DD): %s', ARRAY[left(r.fields[3], 40)]
	  FROM minqing.import_row r
	 WHERE r.import_id = p_import AND r.fields[3] IS NOT NULL
	   AND minqing.import_date(r.fields[3]) IS NULL;
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, r.line, 'c1', 'no resident with ID number %s in your jurisdiction',
	       ARRAY[minqing.mask_id_card(r.fields[1])]
	  FROM minqing.import_row r
	 WHERE r.import_id = p_import AND minqing.id_card_valid(r.fields[1])
	   AND NOT EXISTS (SELECT 1 FROM minqing.resident x
	                    WHERE x.id_card = r.fields[1]
	                      AND x.path OPERATOR(ext.<@) v_run.path);
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, d.line, 'c1', 'ID number %s appears again (first at line %s)',
	       ARRAY[minqing.mask_id_card(d.id_card), d.first::text]
	  FROM (SELECT r.line, r.fields[1] AS id_card,
	               first_value(r.line) OVER w AS first, row_number() OVER w AS k
	          FROM minqing.import_row r
	         WHERE r.import_id = p_import AND minqing.id_card_valid(r.fields[1])
	        WINDOW w AS (PARTITION BY r.fields[1] ORDER BY r.line)) d
	 WHERE d.k > 1;

	IF p_partial OR NOT EXISTS (SELECT 1 FROM minqing.import_reject j WHERE j.import_id = p_import) THEN
		WITH good AS (
			SELECT r.line, x.resident_id, r.fields[2] AS branch,
			       minqing.import_date(r.fields[3]) AS joined_on
			  FROM minqing.import_row r
			  JOIN minqing.resident x ON x.id_card = r.fields[1]
			 WHERE r.import_id = p_import
			   AND NOT EXISTS (SELECT 1 FROM minqing.import_reject j
			                    WHERE j.import_id = p_import AND j.line = r.line)),
		changed AS (
			UPDATE minqing.party_member p SET branch = g.branch, joined_on = g.joined_on
			  FROM good g
			 WHERE p.resident_id = g.resident_id
			   AND (p.branch, p.joined_on) IS DISTINCT FROM (g.branch, g.joined_on)
			RETURNING 1),
		added AS (
			INSERT INTO minqing.party_member (resident_id, branch, joined_on)
			SELECT g.resident_id, g.branch, g.joined_on FROM good g
			 WHERE NOT EXISTS (SELECT 1 FROM minqing.party_member p WHERE p.resident_id = g.resident_id)
			 ORDER BY g.line
			RETURNING 1)
		SELECT (SELECT count(*) FROM changed), (SELECT count(*) FROM added) INTO v_updated, v_inserted;
	END IF;
	RETURN QUERY SELECT * FROM minqing.import_close(p_import, p_partial, v_inserted, v_updated);
END
$$;
COMMENT ON FUNCTION minqing.import_party_members(bigint, boolean) IS
	'Checks the rows of import p_import as party members (id_card of a registered resident, branch, '
	'joined_on) and writes them when all pass, or the good ones when p_partial. Returns the rejects.';
REVOKE ALL ON FUNCTION minqing.import_party_members(bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.import_party_members(bigint, boolean) TO mq_admin;

-- links: id_card (of the party member), village_code, household_no: the
-- households a party member looks after (联系户), at most 10 each.
CREATE OR REPLACE FUNCTION minqing.import_links(p_import bigint, p_partial boolean)
RETURNS TABLE (line integer, field text, reason text, args text[], record text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp
SET enable_nestloop = off AS $$
#variable_conflict use_column
DECLARE
	v_run minqing.import_run := minqing.import_open(p_import, 'links');
	v_inserted integer := 0;
BEGIN
	PERFORM minqing.import_reject_common(p_import, v_run.path, '{1,2,3}', 2, '{}', NULL, 1);
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, r.line, 'c1', 'no party member with ID number %s in your jurisdiction',
	       ARRAY[minqing.mask_id_card(r.fields[1])]
	  FROM minqing.import_row r
	 WHERE r.import_id = p_import AND minqing.id_card_valid(r.fields[1])
	   AND NOT EXISTS (SELECT 1 FROM minqing.resident x
	                     JOIN minqing.party_member p ON p.resident_id = x.resident_id
	                    WHERE x.id_card = r.fields[1]
	                      AND p.path OPERATOR(ext.<@) v_run.path);
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, r.line, 'c3', 'no household %s in village %s',
	       ARRAY[r.fields[3], o.code]
	  FROM minqing.import_row r
	  JOIN minqing.org_unit o ON o.code = r.fields[2]
	                          AND o.path OPERATOR(ext.<@) v_run.path
	 WHERE r.import_id = p_import AND r.fields[3] IS NOT NULL
	   AND NOT EXISTS (SELECT 1 FROM minqing.household h
	                    WHERE h.unit_id = o.unit_id AND h.household_no = r.fields[3]);
	-- The rows that name a party member and a household of the caller's.
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, n.line, 'c3', n.reason, ARRAY[n.no]
	  FROM (SELECT r.line, h.household_no AS no,
	               CASE WHEN p.path <> h.path THEN 'household %s is not in the village of the party member'
	                    WHEN EXISTS (SELECT 1 FROM minqing.household_link l
	                                  WHERE l.household_id = h.household_id AND l.contact_kind = 'party_member'
	                                    AND l.contact_resident_id <> x.resident_id)
	                    THEN 'household %s already has another party member as its contact'
	                    WHEN row_number() OVER (PARTITION BY h.household_id ORDER BY r.line) > 1
	                    THEN 'household %s appears again in the file' END AS reason
	          FROM minqing.import_row r
	          JOIN minqing.resident x ON x.id_card = r.fields[1]
	          JOIN minqing.party_member p ON p.resident_id = x.resident_id
	          JOIN minqing.org_unit o ON o.code = r.fields[2]
	          JOIN minqing.household h ON h.unit_id = o.unit_id AND h.household_no = r.fields[3]
	         WHERE r.import_id = p_import) n
	 WHERE n.reason IS NOT NULL;
	-- At most 10 households a party member: the new links of the rows that
	-- passed, in the order of the file, after the links already stored.
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, n.line, 'c1', 'party member %s would look after more than 10 households',
	       ARRAY[minqing.mask_id_card(n.id_card)]
	  FROM (SELECT r.line, x.id_card,
	               row_number() OVER (PARTITION BY x.resident_id ORDER BY r.line) AS k,
	               (SELECT count(*) FROM minqing.household_link l WHERE l.contact_resident_id = x.resident_id) AS have
	          FROM minqing.import_row r
	          JOIN minqing.resident x ON x.id_card = r.fields[1]
	          JOIN minqing.org_unit o ON o.code = r.fields[2]
	          JOIN minqing.household h ON h.unit_id = o.unit_id AND h.household_no = r.fields[3]
	         WHERE r.import_id = p_import
	           AND NOT EXISTS (SELECT 1 FROM minqing.import_reject j
	                            WHERE j.import_id = p_import AND j.line = r.line)
	           AND NOT EXISTS (SELECT 1 FROM minqing.household_link l
	                            WHERE l.household_id = h.household_id AND l.contact_resident_id = x.resident_id)) n
	 WHERE n.have + n.k > 10;

	IF p_partial OR NOT EXISTS (SELECT 1 FROM minqing.import_reject j WHERE j.import_id = p_import) THEN
		INSERT INTO minqing.household_link (household_id, contact_resident_id, contact_kind)
		SELECT h.household_id, x.resident_id, 'party_member'
		  FROM minqing.import_row r
		  JOIN minqing.resident x ON x.id_card = r.fields[1]
		  JOIN minqing.org_unit o ON o.code = r.fields[2]
		  JOIN minqing.household h ON h.unit_id = o.unit_id AND h.household_no = r.fields[3]
		 WHERE r.import_id = p_import
		   AND NOT EXISTS (SELECT 1 FROM minqing.import_reject j
		                    WHERE j.import_id = p_import AND j.line = r.line)
		   AND NOT EXISTS (SELECT 1 FROM minqing.household_link l
		                    WHERE l.household_id = h.household_id AND l.contact_resident_id = x.resident_id)
		 ORDER BY r.line;
		GET DIAGNOSTICS v_inserted = ROW_COUNT;
	END IF;
	RETURN QUERY SELECT * FROM minqing.import_close(p_import, p_partial, v_inserted, 0);
END
$$;
COMMENT ON FUNCTION minqing.import_links(bigint, boolean) IS
	'Checks the rows of import p_import as links of party members to households (id_card of the '
	'party member, village_code, household_no; at most 10 households each, one party member a '
	'household, of the same village) and writes the new ones when all pass, or the good ones when '
	'p_partial. Returns the rejects.';
REVOKE ALL ON FUNCTION minqing.import_links(bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.import_links(bigint, boolean) TO mq_admin;

------------------------------------------------------------------------------
-- archive: unit_code, section, item, field, value (docs/import-export.md)
------------------------------------------------------------------------------
-- The section a cell names: its number (1-8), its code (overview) or its
-- Chinese name (村情概况); NULL when none.
CREATE OR REPLACE FUNCTION minqing.import_archive_section(t text) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT g.n::smallint FROM generate_series(1, 8) AS g(n)
         WHERE t IN (g.n::text, minqing.archive_section_code(g.n), minqing.archive_section_name(g.n)));
COMMENT ON FUNCTION minqing.import_archive_section(text) IS
	'The archive section an imported cell names (1-8, overview, 村情概况 ...), NULL when none.';
REVOKE ALL ON FUNCTION minqing.import_archive_section(text) FROM PUBLIC;

-- The staged rows of an archive import with what they name: the village,
-- the section, the field (by code or Chinese label; a list's field when the
-- row has an item, a top-level one when not, where both have the name) and
-- the value as the section's content takes it (a date as YYYY-MM-DD, a
-- choice as its code; NULL when it is none).
CREATE OR REPLACE FUNCTION minqing.import_archive_rows(p_import bigint)
RETURNS TABLE (line integer, unit_id integer, unit_code text, section smallint, item text, field_text text,
               value text, list text, field text, label text, type text, rule text, required boolean,
               content_value text)
LANGUAGE sql STABLE AS $$
	SELECT r.line, o.unit_id, r.fields[1], s.n, r.fields[3], r.fields[4], r.fields[5], l.list, l.field,
	       l.label, l.type, l.rule, l.required,
	       CASE l.type WHEN 'date' THEN to_char(minqing.import_date(r.fields[5]), 'YYYY-MM-DD')
	                   WHEN 'choice' THEN (SELECT c.value FROM minqing.archive_choices() c
	                                        WHERE c.list = l.list AND c.field = l.field
	                                          AND r.fields[5] IN (c.value, c.label))
	                   ELSE r.fields[5] END
	  FROM minqing.import_row r
	  LEFT JOIN minqing.org_unit o ON o.code = r.fields[1] AND o.kind IN ('village', 'community') AND o.active
	 CROSS JOIN LATERAL (SELECT minqing.import_archive_section(r.fields[2]) AS n) s
	  LEFT JOIN LATERAL (SELECT a.* FROM minqing.archive_labels() a
	                      WHERE a.section = s.n AND r.fields[4] IN (a.field, a.label)
	                      ORDER BY (a.list IS NULL) = (r.fields[3] IS NULL) DESC LIMIT 1) l ON true
	 WHERE r.import_id = p_import
$$;
COMMENT ON FUNCTION minqing.import_archive_rows(bigint) IS
	'The staged rows of an archive import with the village, section, field and value they name.';
REVOKE ALL ON FUNCTION minqing.import_archive_rows(bigint) FROM PUBLIC;

-- Checks the rows row by row (the village, section, field, item, value,
-- repetitions, the fields a list item needs), then saves each village's
-- section named in the file through archive_save_section(): the file's
-- fields replace those of the section's current content, a list named in
-- the file is replaced by the file's items, the rest stays. One revision
-- per section, none when the section's content would not change (the save
-- is undone: archive_save_section() makes a revision of every save). A
-- section the archive refuses rejects its rows; without p_partial nothing
-- is saved while anything is rejected. Rows of saved sections count as
-- inserted (the section's first revision) or updated.
CREATE OR REPLACE FUNCTION minqing.import_archive(p_import bigint, p_partial boolean)
RETURNS TABLE (line integer, field text, reason text, args text[], record text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	v_run minqing.import_run := minqing.import_open(p_import, 'archive');
	v_inserted integer := 0;
	v_updated integer := 0;
	v_ins integer;
	v_upd integer;
	v_failed jsonb := '[]';
	g record;
	v_rev integer;
	v_content jsonb;
	v_save record;
BEGIN
	PERFORM minqing.import_reject_common(p_import, v_run.path, '{1,2,4}', 1, '{}', NULL, NULL);
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, x.line,
	       CASE WHEN x.reason = 'unknown archive section %s' THEN 'c2'
	            WHEN x.reason = 'section %s has no field %s' THEN 'c4'
	            WHEN x.reason LIKE '%item%' THEN 'c3' ELSE 'c5' END,
	       x.reason,
	       CASE x.reason
	            WHEN 'unknown archive section %s' THEN ARRAY[left(x.fields[2], 40)]
	            WHEN 'section %s has no field %s'
	            THEN ARRAY[minqing.archive_section_name(x.section), left(x.field_text, 40)]
	            WHEN '%s is a field of a list: give the item number' THEN ARRAY[x.label]
	            WHEN '%s is not in a list: leave the item empty' THEN ARRAY[x.label]
	            WHEN 'the item of the collective economy is the year (1949 to 2100), not %s'
	            THEN ARRAY[left(x.item, 40)]
	            WHEN 'the item must be a number from 1 to 200, not %s' THEN ARRAY[left(x.item, 40)]
	            WHEN 'unknown value %s: give one of %s'
	            THEN ARRAY[left(x.value, 40), (SELECT string_agg(c.label, '、') FROM minqing.archive_choices() c
	                                            WHERE c.list = x.list AND c.field = x.field)]
	            WHEN 'longer than %s characters' THEN ARRAY[x.max_chars::text]
	            WHEN 'holds control or invisible characters' THEN '{}'
	            ELSE ARRAY[left(x.value, 40)] END
	  FROM (SELECT a.*, r.fields, t.max_chars,
	               CASE WHEN a.section IS NULL THEN 'unknown archive section %s'
	                    WHEN a.field IS NULL THEN 'section %s has no field %s'
	                    WHEN a.list IS NOT NULL AND a.item IS NULL THEN '%s is a field of a list: give the item number'
	                    WHEN a.list IS NULL AND a.item IS NOT NULL THEN '%s is not in a list: leave the item empty'
	                    WHEN a.list = 'years' AND (a.item !~ '^[0-9]{4}$' OR a.item::integer NOT BETWEEN 1949 AND 2100)
	                    THEN 'the item of the collective economy is the year (1949 to 2100), not %s'
	                    WHEN a.list <> 'years' AND (a.item !~ '^[0-9]{1,3}$' OR a.item::integer NOT BETWEEN 1 AND 200)
	                    THEN 'the item must be a number from 1 to 200, not %s'
	                    WHEN a.value IS NULL THEN NULL
	                    WHEN a.type IN ('number', 'signed') AND a.value !~ '^-?[0-9]{1,12}(\.[0-9]{1,6})?$'
	                    THEN 'not a number: %s'
	                    WHEN a.type = 'number' AND a.value ~ '^-' THEN 'must not be negative: %s'
	                    WHEN a.type = 'whole' AND a.value !~ '^[0-9]{1,9}$' THEN 'not a whole number: %s'
	                    WHEN a.type = 'date' AND a.content_value IS NULL THEN 'not a date (YYYY-MM-DD): %s'
	                    WHEN a.type = 'phone' AND a.value !~ '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$'
	                    THEN 'not a phone number: %s'
	                    WHEN a.type = 'choice' AND a.content_value IS NULL THEN 'unknown value %s: give one of %s'
	                    WHEN a.type = 'text' AND char_length(a.value) > t.max_chars THEN 'longer than %s characters'
	                    WHEN a.type = 'text' AND minqing.text_has_hidden(a.value, t.multiline)
	                    THEN 'holds control or invisible characters' END AS reason
	          FROM minqing.import_archive_rows(p_import) a
	          JOIN minqing.import_row r ON r.import_id = p_import AND r.line = a.line
	          LEFT JOIN minqing.text_rule t ON a.rule = t.table_name || '.' || t.column_name
	         WHERE r.fields[2] IS NOT NULL AND r.fields[4] IS NOT NULL) x
	 WHERE x.reason IS NOT NULL;
	-- The same field of the same item of a section twice.
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, d.line, 'c4', '%s appears again (first at line %s)', ARRAY[d.label, d.first::text]
	  FROM (SELECT a.line, a.label, first_value(a.line) OVER w AS first, row_number() OVER w AS k
	          FROM minqing.import_archive_rows(p_import) a
	         WHERE a.unit_id IS NOT NULL AND a.field IS NOT NULL
	        WINDOW w AS (PARTITION BY a.unit_id, a.section, a.list, a.item, a.field ORDER BY a.line)) d
	 WHERE d.k > 1;
	-- A list item without a field it needs (at the item's first line).
	INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
	SELECT p_import, i.first, 'c4', 'item %s lacks %s', ARRAY[i.item, string_agg(l.label, '、' ORDER BY l.ord)]
	  FROM (SELECT a.unit_id, a.section, a.list, a.item, min(a.line) AS first,
	               array_agg(a.field) FILTER (WHERE a.value IS NOT NULL) AS given
	          FROM minqing.import_archive_rows(p_import) a
	         WHERE a.unit_id IS NOT NULL AND a.list IS NOT NULL AND a.item IS NOT NULL
	         GROUP BY 1, 2, 3, 4) i
	  JOIN minqing.archive_labels() l ON l.section = i.section AND l.list = i.list AND l.required
	 WHERE NOT l.field = ANY (coalesce(i.given, '{}'))
	 GROUP BY i.first, i.item;
	-- Taking the good rows: a section with a rejected row is left as it was
	-- (saving the rest of it could drop what the rejected row held).
	IF p_partial THEN
		INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
		SELECT p_import, a.line, 'c2', 'section %s of %s has rejected rows: it is left as it was',
		       ARRAY[minqing.archive_section_name(a.section), a.unit_code]
		  FROM minqing.import_archive_rows(p_import) a
		 WHERE NOT EXISTS (SELECT 1 FROM minqing.import_reject j WHERE j.import_id = p_import AND j.line = a.line)
		   AND EXISTS (SELECT 1 FROM minqing.import_archive_rows(p_import) b
		                JOIN minqing.import_reject j ON j.import_id = p_import AND j.line = b.line
		               WHERE b.unit_id = a.unit_id AND b.section = a.section);
	END IF;

	IF p_partial OR NOT EXISTS (SELECT 1 FROM minqing.import_reject j WHERE j.import_id = p_import) THEN
		BEGIN
			FOR g IN
				WITH ok AS (
					SELECT a.* FROM minqing.import_archive_rows(p_import) a
					 WHERE NOT EXISTS (SELECT 1 FROM minqing.import_reject j
					                    WHERE j.import_id = p_import AND j.line = a.line)),
				items AS (
					SELECT o.unit_id, o.section, o.list, o.item::integer AS item_no,
					       jsonb_strip_nulls(jsonb_object_agg(o.field, o.content_value))
					       || CASE WHEN o.section = 5 THEN jsonb_build_object('year', o.item::integer)
					               ELSE '{}' END AS obj
					  FROM ok o WHERE o.list IS NOT NULL GROUP BY 1, 2, 3, 4),
				lists AS (
					SELECT z.unit_id, z.section, jsonb_object_agg(z.list, z.arr) AS lists
					  FROM (SELECT i.unit_id, i.section, i.list, jsonb_agg(i.obj ORDER BY i.item_no) AS arr
					          FROM items i GROUP BY 1, 2, 3) z
					 GROUP BY 1, 2),
				scalars AS (
					SELECT o.unit_id, o.section, jsonb_object_agg(o.field, o.content_value) AS scalars
					  FROM ok o WHERE o.list IS NULL GROUP BY 1, 2)
				SELECT o.unit_id, o.unit_code, o.section, array_agg(o.line) AS lines,
				       coalesce(min(s.scalars::text)::jsonb, '{}') AS scalars,
				       coalesce(min(l.lists::text)::jsonb, '{}') AS lists
				  FROM ok o
				  LEFT JOIN scalars s ON s.unit_id = o.unit_id AND s.section = o.section
				  LEFT JOIN lists l ON l.unit_id = o.unit_id AND l.section = o.section
				 GROUP BY o.unit_id, o.unit_code, o.section
				 ORDER BY o.unit_code, o.section
			LOOP
				v_rev := coalesce((SELECT h.revision_no FROM minqing.archive_section h
				                    WHERE h.unit_id = g.unit_id AND h.section = g.section), 0);
				v_content := jsonb_strip_nulls(minqing.archive_content(g.unit_id, g.section) || g.scalars || g.lists);
				BEGIN
					SELECT * INTO v_save
					  FROM minqing.archive_save_section(g.unit_code, g.section, v_content, v_rev) x;
					IF cardinality(v_save.changed) = 0 THEN
						RAISE SQLSTATE 'MQI01'; -- unchanged: undo the revision
					END IF;
					IF v_save.revision_no = 1 THEN
						v_inserted := v_inserted + cardinality(g.lines);
					ELSE
						v_updated := v_updated + cardinality(g.lines);
					END IF;
				EXCEPTION
					WHEN SQLSTATE 'MQI01' THEN
						NULL;
					WHEN others THEN
						v_failed := v_failed || jsonb_build_object('lines', to_jsonb(g.lines),
						                                           'section', minqing.archive_section_name(g.section),
						                                           'unit', g.unit_code, 'why', SQLERRM);
				END;
			END LOOP;
			IF NOT p_partial AND jsonb_array_length(v_failed) > 0 THEN
				RAISE SQLSTATE 'MQI02'; -- nothing is saved while anything is rejected
			END IF;
		EXCEPTION
			WHEN SQLSTATE 'MQI02' THEN
				v_inserted := 0;
				v_updated := 0;
		END;
		INSERT INTO minqing.import_reject (import_id, line, field, reason, args)
		SELECT p_import, l.line::integer, 'c2', 'the archive refused section %s of %s: %s',
		       ARRAY[f ->> 'section', f ->> 'unit', f ->> 'why']
		  FROM jsonb_array_elements(v_failed) AS f
		 CROSS JOIN LATERAL jsonb_array_elements_text(f -> 'lines') AS l(line);
	END IF;
	RETURN QUERY SELECT * FROM minqing.import_close(p_import, p_partial, v_inserted, v_updated);
END
$$;
COMMENT ON FUNCTION minqing.import_archive(bigint, boolean) IS
	'Checks the rows of import p_import as facts of the village archive (unit_code, section, item, field, '
	'value) and saves each village''s section named in the file through archive_save_section() (one '
	'revision per section, none when it would not change) when all pass, or the good sections when '
	'p_partial. Returns the rejects.';
REVOKE ALL ON FUNCTION minqing.import_archive(bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.import_archive(bigint, boolean) TO mq_admin;

RESET ROLE;
