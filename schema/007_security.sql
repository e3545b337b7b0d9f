-- 007_security.sql: the holes found by attacking the database from psql with
-- staff accounts, closed (docs/security.md lists each threat and its test).
--
--  1. No definer function creates or uses a temporary table: a caller could
--     create it first, with a trigger that then ran as the function's owner.
--     TEMP on the database is revoked from PUBLIC.
--  2. The escalation job's mutual exclusion is a lock on a table nobody else
--     may lock (advisory locks are open to every login); a stuck job is loud.
--     Link maintenance serialises on the contact's row, not an advisory lock.
--  3. No staff session can keep a case from escalating or being handled for
--     long: case_expect_version() no longer locks; the escalation job ends
--     staff sessions that keep a transaction open past a limit, and reports
--     the due cases it found locked.
--  4. A read of an ID number is written to the server log, which no rollback
--     undoes and no staff session can silence.
--  5. user_add() never adopts a role that belongs to other roles (a job's
--     login), has members, or has a password.
--  6. Every text a person writes has a length and content check in the
--     database; bigrams in linear time; staff logins get a statement_timeout.
--  8. Messages caused by a person are rate-limited per person and per phone
--     number (data, per district); an urge sends at most one SMS per case and
--     day; supervisors see who sent how many. Escalation tells staff by one
--     digest per step and recipient, not one SMS per case.
--  9. Notifications carry a case id at most; consoles re-read (my_news()).
-- 10. Dispatch and intake stay inside the district and the caller's reach; a
--     duplicate ID number is refused without saying where it is.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

LOCK TABLE pg_catalog.pg_authid IN SHARE ROW EXCLUSIVE MODE;

------------------------------------------------------------------------------
-- Roles
------------------------------------------------------------------------------
-- mq_reaper owns end_stale_sessions() only: it may see every session's state
-- and end sessions (never a superuser's). mq_checker owns the few checks that
-- must look past row-level security (is this ID number taken anywhere, how
-- many messages did this person send): it reads only the columns it needs.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mq_reaper') THEN
		CREATE ROLE mq_reaper NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mq_checker') THEN
		CREATE ROLE mq_checker NOLOGIN BYPASSRLS;
	END IF;
	IF NOT pg_has_role('mq_reaper', 'pg_signal_backend', 'MEMBER') THEN
		GRANT pg_signal_backend TO mq_reaper;
	END IF;
	IF NOT pg_has_role('mq_reaper', 'pg_read_all_stats', 'MEMBER') THEN
		GRANT pg_read_all_stats TO mq_reaper;
	END IF;
	-- A temporary object of a caller is the one name a definer function
	-- could be tricked into using: nobody creates them unless granted.
	EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END
$$;
COMMENT ON ROLE mq_reaper IS
	'Owns minqing.end_stale_sessions() only (pg_signal_backend, pg_read_all_stats); nobody is a member.';
COMMENT ON ROLE mq_checker IS
	'Owns the checks that must look past row-level security (ID number taken, messages sent); '
	'nobody is a member.';
GRANT USAGE ON SCHEMA ext TO mq_checker, mq_reaper;
-- user_add() must know whether a role it would adopt has a password.
GRANT SELECT (oid, rolname, rolpassword) ON pg_catalog.pg_authid TO mq_role_manager;

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- 6. Texts: one rule for every text a person writes
------------------------------------------------------------------------------
-- Blank: nothing but white space, including the ideographic space U+3000 an
-- input method types and the no-break spaces.
CREATE FUNCTION minqing.text_is_blank(t text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN t ~ '^[[:space:]\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*$';

-- Characters no person means to store: C0 and C1 controls (a multi-line
-- text keeps tab and newline), DEL, the soft hyphen, zero-width characters
-- and the byte-order mark, and the direction controls that make a text show
-- in another order than it is stored (U+202E and its kin).
CREATE FUNCTION minqing.text_has_hidden(t text, p_multiline boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN p_multiline
            THEN t ~ '[\x01-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]'
            ELSE t ~ '[\x01-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]' END;

-- The check constraint of every person-written text column (the backstop
-- behind text_guard(), which gives the clear message).
CREATE FUNCTION minqing.text_ok(t text, p_max integer, p_multiline boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN t IS NULL OR (char_length(t) <= p_max AND NOT minqing.text_is_blank(t)
                     AND NOT minqing.text_has_hidden(t, p_multiline));
COMMENT ON FUNCTION minqing.text_ok(text, integer, boolean) IS
	'A text a person may store: at most p_max characters, not blank (U+3000 counts as blank), no '
	'control, invisible or direction-changing characters (tab and newline allowed when multi-line).';
GRANT EXECUTE ON FUNCTION minqing.text_is_blank(text), minqing.text_has_hidden(text, boolean),
	minqing.text_ok(text, integer, boolean) TO PUBLIC;

-- BEFORE INSERT OR UPDATE: the clear refusal. TG_ARGV: one "column:max:m:field"
-- per checked column (m: multi-line; field: the name a form knows the value
-- by, when not the column's). A blank text becomes NULL, so an optional note
-- of spaces is no note, and a required one fails NOT NULL on its column.
-- Length is checked first: a megabyte is refused without being scanned.
CREATE FUNCTION minqing.text_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	spec text;
	parts text[];
	field text;
	lim integer;
	v text;
	blanks jsonb := '{}';
	row_json jsonb := to_jsonb(NEW);
	old_json jsonb;
BEGIN
	IF TG_OP = 'UPDATE' THEN
		old_json := to_jsonb(OLD);
	END IF;
	FOREACH spec IN ARRAY TG_ARGV LOOP
		parts := string_to_array(spec, ':');
		v := row_json ->> parts[1];
		CONTINUE WHEN v IS NULL;
		-- (an update is judged by what it changes)
		CONTINUE WHEN old_json IS NOT NULL AND v IS NOT DISTINCT FROM old_json ->> parts[1];
		field := coalesce(nullif(parts[4], ''), parts[1]);
		lim := parts[2]::integer;
		IF char_length(v) > lim THEN
			RAISE EXCEPTION 'the % is too long: % characters, at most %', field, char_length(v), lim
				USING ERRCODE = 'string_data_right_truncation', COLUMN = field;
		END IF;
		IF minqing.text_has_hidden(v, parts[3] = 'm') THEN
			RAISE EXCEPTION 'the % contains control, invisible or direction-changing characters', field
				USING ERRCODE = 'character_not_in_repertoire', COLUMN = field,
				      HINT = 'type the text again without them';
		END IF;
		IF minqing.text_is_blank(v) THEN
			blanks := blanks || jsonb_build_object(parts[1], NULL);
		END IF;
	END LOOP;
	IF blanks <> '{}' THEN
		NEW := jsonb_populate_record(NEW, blanks);
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION minqing.text_guard() IS
	'BEFORE trigger: refuses too long texts (22001) and hidden characters (22021) with the field '
	'name, and makes blank texts NULL. Arguments: column:max[:m[:field]].';

-- Which columns, how long. The check constraint <table>_<column>_text is
-- added NOT VALID and then validated: on an upgraded database whose old rows
-- break a rule the migration goes on and says so (new rows are checked
-- either way); tests/sql/00_schema.sql requires every constraint validated.
CREATE TABLE minqing.text_rule (
	table_name  text NOT NULL,
	column_name text NOT NULL,
	max_chars   integer NOT NULL CHECK (max_chars > 0),
	multiline   boolean NOT NULL DEFAULT false,
	field       text,
	PRIMARY KEY (table_name, column_name)
);
COMMENT ON TABLE minqing.text_rule IS
	'The length and content rule of every text column a person writes (see text_ok, text_guard). '
	'tests/sql/00_schema.sql fails when a text column of a table is neither here nor exempt.';
ALTER TABLE minqing.text_rule ENABLE ROW LEVEL SECURITY;
CREATE POLICY text_rule_read ON minqing.text_rule FOR SELECT USING (true);
GRANT SELECT ON minqing.text_rule TO mq_staff;
INSERT INTO minqing.text_rule VALUES
	('cases', 'title', 100, false, NULL),
	('cases', 'content', 2000, true, NULL),
	('cases', 'submitter_name', 50, false, NULL),
	('cases', 'result', 2000, true, NULL),
	('cases', 'overdue_reason', 1000, true, NULL),
	('cases', 'pause_reason', 1000, true, 'reason'),
	('case_event', 'note', 2000, true, NULL),
	('case_extension', 'reason', 1000, true, NULL),
	('case_extension', 'decision_note', 1000, true, 'note'),
	('message_template', 'body', 500, false, NULL),
	('message_template', 'description', 500, true, NULL),
	('district', 'name', 50, false, NULL),
	('district', 'name_en', 100, false, NULL),
	('org_unit', 'name', 50, false, NULL),
	('org_unit', 'name_en', 100, false, NULL),
	('org_unit', 'address', 200, false, NULL),
	('staff', 'display_name', 50, false, NULL),
	('staff', 'position', 50, false, NULL),
	('station', 'name', 50, false, NULL),
	('station', 'responsible_name', 50, false, NULL),
	('station', 'terminal', 100, false, NULL),
	('household', 'household_no', 32, false, NULL),
	('household', 'address', 200, false, NULL),
	('household', 'grid_cell', 50, false, NULL),
	('resident', 'name', 50, false, NULL),
	('party_member', 'branch', 100, false, NULL),
	('villager_representative', 'term', 50, false, NULL),
	('holiday', 'name', 50, false, NULL),
	('case_category', 'name', 50, false, NULL),
	('case_category', 'name_en', 100, false, NULL),
	('outbox', 'recipient_name', 50, false, NULL),
	('outbox', 'body', 4000, true, NULL);

DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT r.table_name, array_agg(r.column_name ORDER BY r.column_name) AS cols,
	                array_agg(format('%s:%s:%s:%s', r.column_name, r.max_chars,
	                                 CASE WHEN r.multiline THEN 'm' ELSE '' END, coalesce(r.field, ''))
	                          ORDER BY r.column_name) AS specs
	           FROM minqing.text_rule r GROUP BY r.table_name LOOP
		EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OF %s ON minqing.%I FOR EACH ROW '
		               'EXECUTE FUNCTION minqing.text_guard(%s)',
		               t.table_name || '_text_guard',
		               (SELECT string_agg(quote_ident(c), ', ') FROM unnest(t.cols) AS c),
		               t.table_name,
		               (SELECT string_agg(quote_literal(s), ', ') FROM unnest(t.specs) AS s));
	END LOOP;
END
$$;

-- Rows written before this migration that break a rule are cleaned first,
-- so that every constraint is validated: a NOT VALID check is still checked
-- on every UPDATE of an old row, and one old case with a carriage return in
-- its content would have failed every escalation pass of the district. CR LF
-- becomes LF, hidden characters go (single-line: tab and newline become a
-- space), an over-long text is cut, a blank one becomes NULL (a required
-- one '（空）'). The cleaning is audited like any change. (As the superuser:
-- FORCE row-level security would hide the rows from the owner.)
CREATE FUNCTION minqing.text_clean(t text, p_max integer, p_multiline boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN nullif(btrim(left(regexp_replace(
	CASE WHEN p_multiline THEN replace(t, E'\r\n', E'\n') ELSE regexp_replace(t, '[\r\n\t]+', ' ', 'g') END,
	'[\x01-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]', '', 'g'),
	p_max), E' \t\n\u3000'), '');
COMMENT ON FUNCTION minqing.text_clean(text, integer, boolean) IS
	'A text made to pass text_ok(): CR LF to LF, hidden characters removed, cut to p_max, NULL when blank.';
RESET ROLE;
DO $$
DECLARE
	t record;
	n bigint;
	con text;
BEGIN
	ALTER TABLE minqing.case_event DISABLE TRIGGER case_event_no_update;
	FOR t IN SELECT r.*, a.attnotnull FROM minqing.text_rule r
	           JOIN pg_attribute a ON a.attrelid = ('minqing.' || r.table_name)::regclass
	                              AND a.attname = r.column_name LOOP
		con := t.table_name || '_' || t.column_name || '_text';
		EXECUTE format('ALTER TABLE minqing.%I ADD CONSTRAINT %I CHECK (minqing.text_ok(%I, %s, %s)) NOT VALID',
		               t.table_name, con, t.column_name, t.max_chars, t.multiline::text);
		EXECUTE format('UPDATE minqing.%I SET %I = %s WHERE NOT minqing.text_ok(%I, %s, %s)',
		               t.table_name, t.column_name,
		               CASE WHEN t.attnotnull
		                    THEN format('coalesce(minqing.text_clean(%I, %s, %s), %L)', t.column_name,
		                                t.max_chars, t.multiline::text, '（空）')
		                    ELSE format('minqing.text_clean(%I, %s, %s)', t.column_name, t.max_chars,
		                                t.multiline::text) END,
		               t.column_name, t.max_chars, t.multiline::text);
		GET DIAGNOSTICS n = ROW_COUNT;
		IF n > 0 THEN
			RAISE WARNING 'cleaned % old rows of %.% to the text rule (at most % characters, not blank, '
			              'no hidden characters)', n, t.table_name, t.column_name, t.max_chars;
		END IF;
		EXECUTE format('ALTER TABLE minqing.%I VALIDATE CONSTRAINT %I', t.table_name, con);
	END LOOP;
	ALTER TABLE minqing.case_event ENABLE TRIGGER case_event_no_update;
END
$$;
SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;
-- case_event's guard only when there is a note: an escalation pass inserts
-- thousands of events without one.
DROP TRIGGER case_event_text_guard ON minqing.case_event;
CREATE TRIGGER case_event_text_guard BEFORE INSERT ON minqing.case_event
	FOR EACH ROW WHEN (NEW.note IS NOT NULL)
	EXECUTE FUNCTION minqing.text_guard('note:2000:m:');

-- A text the person must give: blank includes U+3000 and no-break spaces.
CREATE OR REPLACE FUNCTION minqing.require_text(p_value text, p_column text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF p_value IS NULL OR minqing.text_is_blank(p_value) THEN
		RAISE EXCEPTION 'the % is required', p_column
			USING ERRCODE = 'not_null_violation', COLUMN = p_column;
	END IF;
END
$$;

-- Bigrams in linear time: the characters once (string_to_table), each with
-- the next (lead). substr(t, i, 2) for every i was quadratic on multibyte
-- text (20,000 characters took 8 s).
CREATE OR REPLACE FUNCTION minqing.text_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(SELECT DISTINCT g.pair
               FROM (SELECT ch || lead(ch) OVER (ORDER BY n) AS pair
                       FROM string_to_table(lower(t), NULL) WITH ORDINALITY AS x(ch, n)) g
              WHERE g.pair IS NOT NULL AND g.pair !~ '\s');

------------------------------------------------------------------------------
-- 1. Search by words without a temporary table
------------------------------------------------------------------------------
-- The window of the newest 2,000 cases the caller sees is kept in two arrays
-- (ids and times) instead of a temporary table a caller could have made first.
CREATE OR REPLACE FUNCTION minqing.case_find_words(p_query text, p_after_at timestamptz DEFAULT NULL,
                                                   p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (case_id bigint, created_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	q text := btrim(p_query);
	lim integer := least(greatest(coalesce(p_limit, 50), 1), 500);
	pat text;
	win_id bigint[];
	win_at timestamptz[];
	w_n integer;
	n integer;
BEGIN
	IF q IS NULL OR char_length(q) < 2 THEN
		RETURN;
	END IF;
	IF char_length(q) > 100 THEN
		RAISE EXCEPTION 'the search words are too long: % characters, at most 100', char_length(q)
			USING ERRCODE = 'string_data_right_truncation', COLUMN = 'words';
	END IF;
	pat := minqing.like_contains(q);
	SELECT array_agg(w.case_id ORDER BY w.created_at DESC, w.case_id DESC),
	       array_agg(w.created_at ORDER BY w.created_at DESC, w.case_id DESC), count(*)
	  INTO win_id, win_at, w_n
	  FROM (SELECT c.case_id, c.created_at FROM minqing.cases c
	         WHERE p_after_id IS NULL OR (c.created_at, c.case_id) < (p_after_at, p_after_id)
	         ORDER BY c.created_at DESC, c.case_id DESC LIMIT 2000) w;
	IF w_n = 0 THEN
		RETURN;
	END IF;
	RETURN QUERY
	SELECT w.case_id, w.created_at
	  FROM unnest(win_id, win_at) AS w(case_id, created_at)
	  JOIN minqing.case_search s ON s.case_id = w.case_id
	 WHERE s.doc LIKE pat
	 ORDER BY w.created_at DESC, w.case_id DESC LIMIT lim;
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n >= lim OR w_n < 2000 THEN
		RETURN;
	END IF;
	RETURN QUERY
	SELECT c.case_id, c.created_at
	  FROM minqing.case_search s JOIN minqing.cases c ON c.case_id = s.case_id
	 WHERE s.grams @> minqing.text_bigrams(q) AND s.doc LIKE pat
	   AND (c.created_at, c.case_id) < (win_at[w_n], win_id[w_n])
	 ORDER BY c.created_at DESC, c.case_id DESC LIMIT lim - n;
END
$$;

------------------------------------------------------------------------------
-- 3. "Not changed since I opened it" without holding a lock
------------------------------------------------------------------------------
-- The version is checked now and again, under the lock, by the workflow
-- function that follows in the same transaction (case_for): nothing is
-- locked by the check itself, so it cannot be used to hold cases.
CREATE OR REPLACE FUNCTION minqing.case_expect_version(p_case bigint, p_version integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	v integer;
	no text;
BEGIN
	SELECT c.row_version, c.case_no INTO v, no FROM minqing.cases c WHERE c.case_id = p_case;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case % not found', p_case USING ERRCODE = 'no_data_found';
	END IF;
	IF v <> p_version THEN
		RAISE EXCEPTION 'case % was changed by someone else since you opened it', no
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('version %s when opened, %s now', p_version, v),
			      HINT = 'reload the case and try again';
	END IF;
	PERFORM set_config('minqing.expect_case', format('%s:%s', p_case, p_version), true);
END
$$;
COMMENT ON FUNCTION minqing.case_expect_version(bigint, integer) IS
	'Check that a case''s row_version is still the one the caller saw (40001 if not); the workflow '
	'function called next in the same transaction checks it again under its lock. Locks nothing.';

CREATE OR REPLACE FUNCTION minqing.case_for(s minqing.staff, p_case bigint, p_allowed minqing.case_status[],
                                            p_action text, p_side text) RETURNS minqing.cases
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	c minqing.cases;
	expect text := current_setting('minqing.expect_case', true);
BEGIN
	SELECT * INTO c FROM minqing.cases WHERE case_id = p_case FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case % not found', p_case USING ERRCODE = 'no_data_found';
	END IF;
	-- case_expect_version() earlier in this transaction: the version seen
	-- must still be the version now that the case is locked.
	IF expect ~ '^[0-9]+:[0-9]+$' AND split_part(expect, ':', 1)::bigint = p_case THEN
		PERFORM set_config('minqing.expect_case', '', true);
		IF split_part(expect, ':', 2)::integer <> c.row_version THEN
			RAISE EXCEPTION 'case % was changed by someone else since you opened it', c.case_no
				USING ERRCODE = 'serialization_failure', HINT = 'reload the case and try again';
		END IF;
	END IF;
	IF NOT c.status = ANY (p_allowed) THEN
		RAISE EXCEPTION 'case % is %; it cannot be %', c.case_no, c.status, p_action
			USING ERRCODE = 'invalid_transaction_state',
			      HINT = 'allowed from: ' || array_to_string(p_allowed, ', ');
	END IF;
	IF (p_side = 'origin' AND NOT minqing.staff_covers(s, c.origin_path))
	   OR (p_side = 'assigned' AND NOT minqing.staff_covers(s, c.assigned_path))
	   OR (p_side = 'either' AND NOT (minqing.staff_covers(s, c.origin_path)
	                                  OR minqing.staff_covers(s, c.assigned_path))) THEN
		RAISE EXCEPTION 'case % cannot be % by your unit', c.case_no, p_action
			USING ERRCODE = 'insufficient_privilege',
			      DETAIL = CASE p_side WHEN 'origin' THEN 'this is for the unit where it was received'
			                           WHEN 'assigned' THEN 'this is for the unit it is assigned to'
			                           ELSE 'it is neither received nor handled by your unit' END;
	END IF;
	RETURN c;
END
$$;

------------------------------------------------------------------------------
-- 9. Notifications are hints: a case id at most
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.case_log(c minqing.cases, p_kind text, p_from minqing.case_status,
                                            p_note text, p_data jsonb DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	id bigint;
BEGIN
	id := nextval('minqing.case_event_seq');
	INSERT INTO minqing.case_event (event_id, case_id, district_id, kind, from_status, to_status, note, data)
	VALUES (id, c.case_id, c.district_id, p_kind, p_from, c.status, p_note, p_data);
	-- Every login may LISTEN: the payload says which case, nothing about it.
	PERFORM pg_notify('minqing_case', c.case_id::text);
	RETURN id;
END
$$;

-- What changed for the calling person since they last asked: the warnings
-- raised on cases they can see (row-level security decides), counted by
-- level, after event p_after_event; last_event is what to pass next time.
-- NULL: just the current last_event (a console's starting point). At most
-- the last 20,000 events are looked at, whatever p_after_event says.
--
-- last_event is the newest event id at the end of the last completed
-- escalation pass (job_state.news_mark), not the sequence's: passes take
-- turns under the job's lock, so every warning at or below the mark is
-- committed, and none a later pass raises can fall below it (with the
-- sequence's value, a console asking during a pass would step past the
-- pass's warnings before they were committed, and never count them).
CREATE FUNCTION minqing.my_news(p_after_event bigint DEFAULT NULL)
RETURNS TABLE (last_event bigint, yellow integer, orange integer, red integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	top bigint;
BEGIN
	SELECT j.news_mark INTO top FROM minqing.job_state j WHERE j.job = 'escalation';
	top := coalesce(top, 0);
	IF p_after_event IS NULL OR p_after_event >= top THEN
		RETURN QUERY SELECT top, 0, 0, 0;
		RETURN;
	END IF;
	RETURN QUERY
	SELECT top,
	       (count(*) FILTER (WHERE e.data ->> 'step' = 'yellow'))::integer,
	       (count(*) FILTER (WHERE e.data ->> 'step' = 'orange'))::integer,
	       (count(*) FILTER (WHERE e.data ->> 'step' = 'red'))::integer
	  FROM minqing.case_event e
	 WHERE e.event_id > greatest(p_after_event, top - 20000) AND e.event_id <= top
	   AND e.kind = 'warning';
END
$$;
COMMENT ON FUNCTION minqing.my_news(bigint) IS
	'Warnings raised (yellow, orange, red) on cases the caller can see since event p_after_event, and '
	'the newest event id. A console calls it when notified: a notification is only a hint.';
GRANT EXECUTE ON FUNCTION minqing.my_news(bigint) TO mq_staff;

------------------------------------------------------------------------------
-- 8. Messages a person causes: limits per person and per phone number
------------------------------------------------------------------------------
ALTER TABLE minqing.outbox ADD COLUMN caused_by name;
COMMENT ON COLUMN minqing.outbox.caused_by IS
	'The staff login whose action queued the message (a result SMS, an urge); NULL for the jobs.';
CREATE INDEX outbox_caused_by ON minqing.outbox (caused_by, created_at) WHERE caused_by IS NOT NULL;
CREATE INDEX outbox_phone_caused ON minqing.outbox (recipient_phone, created_at) WHERE caused_by IS NOT NULL;

CREATE TABLE minqing.message_limit (
	district_id     smallint PRIMARY KEY REFERENCES minqing.district,
	per_sender_hour integer NOT NULL DEFAULT 60 CHECK (per_sender_hour > 0),
	per_sender_day  integer NOT NULL DEFAULT 300 CHECK (per_sender_day > 0),
	per_phone_day   integer NOT NULL DEFAULT 10 CHECK (per_phone_day > 0),
	row_version     integer NOT NULL DEFAULT 1,
	created_at      timestamptz NOT NULL DEFAULT now(),
	updated_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.message_limit IS
	'How many messages one person''s actions may queue per hour and per day, and how many may go to '
	'one phone number per day (all senders together). A district without a row has the defaults.';
CREATE TRIGGER message_limit_touch BEFORE UPDATE ON minqing.message_limit
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER message_limit_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.message_limit
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('district_id');
ALTER TABLE minqing.message_limit ENABLE ROW LEVEL SECURITY;
CREATE POLICY message_limit_read ON minqing.message_limit FOR SELECT USING (true);
CREATE POLICY message_limit_update ON minqing.message_limit FOR UPDATE
	USING (ext.nlevel((SELECT minqing.my_write_scope())) = 1
	       AND district_id = (SELECT u.district_id FROM minqing.org_unit u
	                           WHERE u.path = (SELECT minqing.my_write_scope())))
	WITH CHECK (true);
GRANT SELECT ON minqing.message_limit TO mq_staff;
GRANT UPDATE (per_sender_hour, per_sender_day, per_phone_day) ON minqing.message_limit TO mq_admin;
INSERT INTO minqing.message_limit (district_id) SELECT district_id FROM minqing.district;
-- A new district gets its row (with the defaults) at once, so that an
-- administrator can change it.
CREATE FUNCTION minqing.district_message_limit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	INSERT INTO minqing.message_limit (district_id) SELECT n.district_id FROM new_rows n
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION minqing.district_message_limit() FROM PUBLIC;
CREATE TRIGGER district_message_limit AFTER INSERT ON minqing.district
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION minqing.district_message_limit();
ALTER TABLE minqing.district ENABLE ALWAYS TRIGGER district_message_limit;


-- How many messages p_sender caused in the last hour and day, how many went
-- to p_phone today from anyone's action, and whether p_key was queued
-- already: over every district's rows (past RLS), so that a handler of a
-- department sees the count of the SMS it caused in a village.
CREATE FUNCTION minqing.message_counts(p_sender name, p_phone text, p_key text,
                                       OUT queued boolean, OUT sender_hour integer,
                                       OUT sender_day integer, OUT phone_day integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	SELECT EXISTS (SELECT 1 FROM minqing.outbox o WHERE o.dedupe_key = p_key),
	       (SELECT count(*) FROM minqing.outbox o
	         WHERE o.caused_by = p_sender AND o.created_at > now() - interval '1 hour')::integer,
	       (SELECT count(*) FROM minqing.outbox o
	         WHERE o.caused_by = p_sender AND o.created_at > now() - interval '1 day')::integer,
	       (SELECT count(*) FROM minqing.outbox o
	         WHERE o.caused_by IS NOT NULL AND o.recipient_phone = p_phone
	           AND o.created_at > now() - interval '1 day')::integer
$$;
REVOKE ALL ON FUNCTION minqing.message_counts(name, text, text) FROM PUBLIC;

-- 10. An ID number registered anywhere in the district is refused without
-- saying where (the unique index behind it would quote it in its message).
-- Every such refusal is in the server log: probing for numbers shows there.
CREATE FUNCTION minqing.resident_id_card_unique() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF NEW.id_card IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.id_card IS DISTINCT FROM OLD.id_card)
	   AND EXISTS (SELECT 1 FROM minqing.resident r
	                WHERE r.id_card = NEW.id_card AND r.resident_id <> NEW.resident_id) THEN
		RAISE LOG 'minqing: % was refused an ID number already registered (resident %)',
			session_user, NEW.resident_id;
		RAISE EXCEPTION 'this ID number is already registered'
			USING ERRCODE = 'unique_violation', COLUMN = 'id_card',
			      HINT = 'a district administrator can tell where';
	END IF;
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION minqing.resident_id_card_unique() FROM PUBLIC;
CREATE TRIGGER resident_id_card_unique BEFORE INSERT OR UPDATE OF id_card ON minqing.resident
	FOR EACH ROW EXECUTE FUNCTION minqing.resident_id_card_unique();

-- The queue, with the limits for messages a person's action causes (jobs
-- and superusers are not limited: their messages are the system's).
CREATE OR REPLACE FUNCTION minqing.outbox_enqueue(p_district smallint, p_path ext.ltree, p_phone text,
                                                  p_name text, p_body text, p_dedupe_key text,
                                                  p_case_id bigint DEFAULT NULL, p_event_id bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	sender name;
	k record;
	lim minqing.message_limit;
BEGIN
	IF p_district IS NULL OR p_path IS NULL OR p_dedupe_key IS NULL OR p_dedupe_key = '' THEN
		RAISE EXCEPTION 'outbox_enqueue: district, path and dedupe key are required'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF EXISTS (SELECT 1 FROM minqing.staff s WHERE s.login = session_user) THEN
		sender := session_user;
		k := minqing.message_counts(sender, coalesce(p_phone, ''), p_dedupe_key);
		IF k.queued THEN
			RETURN NULL;
		END IF;
		SELECT * INTO lim FROM minqing.message_limit WHERE district_id = p_district;
		IF NOT FOUND THEN
			lim := ROW(p_district, 60, 300, 10, 1, now(), now())::minqing.message_limit;
		END IF;
		IF k.sender_hour >= lim.per_sender_hour OR k.sender_day >= lim.per_sender_day THEN
			RAISE LOG 'minqing: message limit reached for % (% this hour, % today)', sender,
				k.sender_hour, k.sender_day;
			RAISE EXCEPTION 'your actions have queued % messages in the last hour and % today: the limit is % and %',
				k.sender_hour, k.sender_day, lim.per_sender_hour, lim.per_sender_day
				USING ERRCODE = 'configuration_limit_exceeded',
				      HINT = 'a district administrator can raise the limits (minqing.message_limit)';
		END IF;
		IF k.phone_day >= lim.per_phone_day THEN
			RAISE LOG 'minqing: message limit reached for phone % (% today), action of %',
				minqing.mask_phone(p_phone), k.phone_day, sender;
			RAISE EXCEPTION '% messages went to this phone number today: the limit is %', k.phone_day,
				lim.per_phone_day
				USING ERRCODE = 'configuration_limit_exceeded',
				      HINT = 'a district administrator can raise the limits (minqing.message_limit)';
		END IF;
	END IF;
	-- (Neither RETURNING nor ON CONFLICT: both need the new row to pass the
	-- SELECT policy of the caller, and the caller is whoever caused the
	-- event: a department's handler resolving a village's case, a town's
	-- handler urging a case assigned to a department. The key was looked
	-- up above; a concurrent twin is caught here.)
	BEGIN
		INSERT INTO minqing.outbox (district_id, path, recipient_phone, recipient_name, body,
		                            dedupe_key, case_id, event_id, caused_by)
		VALUES (p_district, p_path, coalesce(p_phone, ''), p_name, p_body, p_dedupe_key, p_case_id,
		        p_event_id, sender);
	EXCEPTION WHEN unique_violation THEN
		RETURN NULL;
	END;
	RETURN currval(pg_get_serial_sequence('minqing.outbox', 'message_id'));
END
$$;

-- Who caused how many messages, per day (the district's time zone), within
-- the caller's jurisdiction (the outbox's row-level security).
CREATE VIEW minqing.message_senders WITH (security_invoker = true) AS
SELECT o.caused_by AS login, s.display_name, u.name AS unit_name,
       (o.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
       count(*) AS messages, count(DISTINCT o.recipient_phone) AS phones,
       count(*) FILTER (WHERE o.status = 'dead') AS dead, max(o.created_at) AS last_at
  FROM minqing.outbox o
  LEFT JOIN minqing.staff s ON s.login = o.caused_by
  LEFT JOIN minqing.org_unit u ON u.unit_id = s.unit_id
 WHERE o.caused_by IS NOT NULL
 GROUP BY o.caused_by, s.display_name, u.name, (o.created_at AT TIME ZONE 'Asia/Shanghai')::date;
COMMENT ON VIEW minqing.message_senders IS
	'Messages caused by each person per day (result SMS, urges): how many, to how many numbers, dead; '
	'within the caller''s jurisdiction. For supervisors watching for misuse.';
GRANT SELECT ON minqing.message_senders TO mq_supervisor, mq_admin;

------------------------------------------------------------------------------
-- 10. Intake and dispatch stay inside the district and the caller's reach;
-- 8. an urge sends at most one SMS per case and day
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.case_intake(
	p_channel minqing.case_channel, p_title text, p_content text, p_category integer,
	p_submitter_name text DEFAULT NULL, p_submitter_phone text DEFAULT NULL,
	p_household bigint DEFAULT NULL, p_resident bigint DEFAULT NULL,
	p_anonymous boolean DEFAULT false, p_urgency minqing.urgency DEFAULT 'normal',
	p_is_key boolean DEFAULT NULL, p_station integer DEFAULT NULL,
	OUT case_id bigint, OUT case_no text, OUT duplicates jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	u minqing.org_unit;
	cat minqing.case_category;
	h minqing.household;
	r minqing.resident;
	c minqing.cases;
	st minqing.station;
	root text;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	SELECT * INTO u FROM minqing.org_unit WHERE unit_id = s.unit_id;
	SELECT * INTO cat FROM minqing.case_category
	 WHERE category_id = p_category AND active AND district_id = s.district_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no active category % in this district', p_category
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'category';
	END IF;
	IF p_household IS NOT NULL THEN
		-- RLS: only a household of the caller's jurisdiction is found.
		SELECT * INTO h FROM minqing.household WHERE household_id = p_household;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'household % not found', p_household
				USING ERRCODE = 'foreign_key_violation';
		END IF;
	END IF;
	IF p_resident IS NOT NULL THEN
		SELECT * INTO r FROM minqing.resident WHERE resident_id = p_resident;
		IF NOT FOUND OR (p_household IS NOT NULL AND r.household_id <> p_household) THEN
			RAISE EXCEPTION 'resident % not found in that household', p_resident
				USING ERRCODE = 'foreign_key_violation';
		END IF;
		p_household := r.household_id;
	END IF;
	IF NOT p_anonymous AND p_household IS NULL
	   AND (p_submitter_name IS NULL OR minqing.text_is_blank(p_submitter_name)) THEN
		RAISE EXCEPTION 'a case needs a submitter: a resident of the archive, a name, or anonymous'
			USING ERRCODE = 'not_null_violation', COLUMN = 'submitter_name';
	END IF;
	IF p_station IS NOT NULL THEN
		-- A station of the caller's own subtree, or one at district level
		-- (the central station), of the caller's district.
		SELECT * INTO st FROM minqing.station x WHERE x.station_id = p_station AND x.active;
		IF NOT FOUND OR st.district_id <> s.district_id
		   OR NOT (st.path OPERATOR(ext.<@) s.path
		           OR EXISTS (SELECT 1 FROM minqing.org_unit x
		                       WHERE x.unit_id = st.unit_id AND x.level = 'district')) THEN
			RAISE EXCEPTION 'station % is not one of your unit''s', p_station
				USING ERRCODE = 'foreign_key_violation', COLUMN = 'station';
		END IF;
	END IF;

	SELECT split_part(path::text, '.', 1) INTO root FROM minqing.org_unit WHERE unit_id = s.unit_id;
	INSERT INTO minqing.cases (district_id, case_no, channel, station_id, origin_unit_id, origin_path,
	                           household_id, resident_id, submitter_name, submitter_phone, anonymous,
	                           title, content, category_id, urgency, is_key)
	VALUES (s.district_id,
	        -- at least six digits; lpad alone would cut a seventh
	        format('%s-%s-%s', root, to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY'),
	               (SELECT lpad(n::text, greatest(6, length(n::text)), '0')
	                  FROM nextval('minqing.case_no_seq') AS n)),
	        p_channel, p_station, s.unit_id, u.path, p_household, p_resident,
	        CASE WHEN p_anonymous THEN NULL ELSE coalesce(nullif(p_submitter_name, ''), r.name) END,
	        CASE WHEN p_anonymous THEN NULL ELSE coalesce(nullif(p_submitter_phone, ''), r.phone) END,
	        p_anonymous, p_title, p_content, p_category, p_urgency, coalesce(p_is_key, cat.is_key))
	RETURNING * INTO c;
	PERFORM minqing.case_log(c, 'intake', NULL, NULL,
	                         jsonb_build_object('channel', p_channel, 'category', cat.code));
	case_id := c.case_id;
	case_no := c.case_no;
	SELECT coalesce(jsonb_agg(to_jsonb(d)), '[]') INTO duplicates
	  FROM minqing.case_duplicates(c.submitter_phone, c.content) d WHERE d.case_id <> c.case_id;
END
$$;

-- The duplicate hint compares at most what a case may hold (2,000
-- characters): a megabyte of text compared by trigrams with every case of a
-- phone number was a way to burn a server CPU.
CREATE OR REPLACE FUNCTION minqing.case_duplicates(p_phone text, p_content text,
                                                   p_now timestamptz DEFAULT now())
RETURNS TABLE (case_id bigint, case_no text, title text, status minqing.case_status,
               created_at timestamptz, similarity real)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	probe text := left(p_content, 2000);
BEGIN
	RETURN QUERY
	SELECT c.case_id, c.case_no, c.title, c.status, c.created_at,
	       ext.similarity(c.content, probe)
	  FROM minqing.cases c
	 WHERE c.submitter_phone = p_phone
	   AND c.created_at >= p_now - interval '30 days'
	   -- similarity on the few cases of one phone (index cases_phone_created)
	   AND ext.similarity(c.content, probe) >= 0.3
	 ORDER BY 6 DESC, c.case_id DESC
	 LIMIT 5;
END
$$;

CREATE OR REPLACE FUNCTION minqing.case_dispatch(p_case bigint, p_unit_code text, p_handler_login name DEFAULT NULL,
                                                 p_is_key boolean DEFAULT NULL,
                                                 p_warning minqing.warning_level DEFAULT NULL,
                                                 p_note text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
	u minqing.org_unit;
	handler minqing.staff;
	from_status minqing.case_status;
	proxy bigint;
	key boolean;
BEGIN
	s := minqing.case_caller('{handler,admin}');
	-- Triage belongs to the unit that received the case (or one above it).
	c := minqing.case_for(s, p_case, '{accepted,dispatched,in_progress}', 'dispatched', 'origin');
	from_status := c.status;
	SELECT * INTO u FROM minqing.org_unit WHERE code = p_unit_code AND active AND district_id = c.district_id;
	IF NOT FOUND OR u.kind NOT IN ('village', 'community', 'town', 'street', 'department') THEN
		RAISE EXCEPTION 'a case is dispatched to a village, a town or a department of its district, not %',
			coalesce(u.kind::text, p_unit_code) USING ERRCODE = 'check_violation', COLUMN = 'unit';
	END IF;
	IF p_handler_login IS NOT NULL THEN
		SELECT * INTO handler FROM minqing.staff
		 WHERE login = p_handler_login AND active AND duty = 'handler' AND unit_id = u.unit_id;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'no handler % at %', p_handler_login, u.name USING ERRCODE = 'no_data_found';
		END IF;
	ELSE
		SELECT * INTO handler FROM minqing.staff
		 WHERE unit_id = u.unit_id AND active AND duty = 'handler' ORDER BY staff_id LIMIT 1;
	END IF;
	key := coalesce(p_is_key, c.is_key);
	IF p_warning IS NOT NULL AND p_warning > 'none' AND NOT key THEN
		RAISE EXCEPTION 'only a key or complex case starts with a warning' USING ERRCODE = 'check_violation';
	END IF;
	IF NOT key AND c.household_id IS NOT NULL THEN
		SELECT l.contact_resident_id INTO proxy FROM minqing.household_link l
		 WHERE l.household_id = c.household_id
		 ORDER BY l.contact_kind = 'party_member' DESC, l.since LIMIT 1;
	END IF;
	UPDATE minqing.cases SET status = 'dispatched', assigned_unit_id = u.unit_id, assigned_path = u.path,
	       handler_staff_id = handler.staff_id, proxy_resident_id = proxy, is_key = key,
	       dispatched_at = now(), warning_level = greatest(c.warning_level, coalesce(p_warning, 'none'))
	 WHERE case_id = p_case RETURNING * INTO c;
	PERFORM minqing.case_log(c, CASE WHEN from_status = 'accepted' THEN 'dispatch' ELSE 'redispatch' END,
	                         from_status, p_note,
	                         jsonb_build_object('unit', u.code, 'handler', handler.login, 'proxy', proxy,
	                                            'warning', c.warning_level));
END
$$;

CREATE OR REPLACE FUNCTION minqing.case_urge(p_case bigint, p_note text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
	h minqing.staff;
	ev bigint;
BEGIN
	s := minqing.case_caller('{handler,admin,supervisor,officer}');
	c := minqing.case_for(s, p_case, '{accepted,dispatched,in_progress,waiting}', 'urged', 'any');
	ev := minqing.case_log(c, 'urge', c.status, p_note);
	SELECT * INTO h FROM minqing.staff WHERE staff_id = c.handler_staff_id;
	IF h.phone IS NOT NULL THEN
		-- Once per case and day (the district's day), however often it is urged.
		PERFORM minqing.outbox_enqueue(c.district_id, coalesce(c.assigned_path, c.origin_path), h.phone,
			h.display_name, minqing.render_template('case_reminder', jsonb_build_object(
				'case_no', c.case_no, 'title', c.title, 'deadline',
				to_char(c.due_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI'), 'handler', h.display_name)),
			format('case:%s:urge:%s', c.case_id, to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD')),
			c.case_id, ev);
	END IF;
END
$$;

------------------------------------------------------------------------------
-- 2. Link maintenance serialises on the contact's row
------------------------------------------------------------------------------
-- The row lock on the contact's party_member or villager_representative row
-- can be taken only by those who may change it (UPDATE grant and policy):
-- an advisory lock was open to every login.
CREATE OR REPLACE FUNCTION minqing.household_link_derive() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	h minqing.household;
	c_path ext.ltree;
	n integer;
BEGIN
	SELECT * INTO h FROM minqing.household WHERE household_id = NEW.household_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'household % not found', NEW.household_id
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	-- Serialise concurrent links to one contact so the limit holds.
	IF NEW.contact_kind = 'party_member' THEN
		SELECT path INTO c_path FROM minqing.party_member
		 WHERE resident_id = NEW.contact_resident_id FOR NO KEY UPDATE;
	ELSE
		SELECT path INTO c_path FROM minqing.villager_representative
		 WHERE resident_id = NEW.contact_resident_id FOR NO KEY UPDATE;
	END IF;
	IF c_path IS NULL THEN
		RAISE EXCEPTION 'resident % is not a %', NEW.contact_resident_id, NEW.contact_kind
			USING ERRCODE = 'check_violation';
	END IF;
	IF c_path <> h.path THEN
		RAISE EXCEPTION 'a contact looks after households of their own village'
			USING ERRCODE = 'check_violation';
	END IF;
	SELECT count(*) INTO n FROM minqing.household_link
	 WHERE contact_resident_id = NEW.contact_resident_id AND household_id <> NEW.household_id;
	IF n >= 10 THEN
		RAISE EXCEPTION 'a contact looks after at most 10 households' USING ERRCODE = 'check_violation';
	END IF;
	NEW.district_id := h.district_id;
	NEW.path := h.path;
	RETURN NEW;
END
$$;

------------------------------------------------------------------------------
-- 4. Reading an ID number leaves a trace no rollback removes
------------------------------------------------------------------------------
-- RAISE LOG goes to the server log at once (log_min_messages is for
-- superusers only; a session cannot silence it) and stays there whatever
-- the caller's transaction does; the audit row is for supervisors to see
-- in the console, and is there when the caller commits.
CREATE OR REPLACE FUNCTION minqing.resident_id_card(p_resident_id bigint) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	r minqing.resident;
BEGIN
	-- FORCE RLS: only a resident inside the caller's scope is found.
	SELECT * INTO r FROM minqing.resident WHERE resident_id = p_resident_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'resident % not found', p_resident_id USING ERRCODE = 'no_data_found';
	END IF;
	RAISE LOG 'minqing audit: % read the ID number of resident % (district %, unit %)',
		session_user, r.resident_id, r.district_id, r.path;
	INSERT INTO minqing.audit_log (district_id, table_name, row_id, op, path, before, after)
	VALUES (r.district_id, 'resident', r.resident_id::text, 'UPDATE', r.path, NULL,
	        jsonb_build_object('read', 'id_card'));
	RETURN r.id_card;
END
$$;

------------------------------------------------------------------------------
-- 2, 3. The jobs: settings, state, and ending sessions that hold too long
------------------------------------------------------------------------------
CREATE TABLE minqing.job_setting (
	singleton                 boolean PRIMARY KEY DEFAULT true CHECK (singleton),
	staff_idle_in_transaction interval NOT NULL DEFAULT '1 minute'
	                          CHECK (staff_idle_in_transaction > interval '0'),
	staff_max_transaction     interval NOT NULL DEFAULT '5 minutes'
	                          CHECK (staff_max_transaction > interval '0'),
	escalation_stall_after    interval NOT NULL DEFAULT '10 minutes'
	                          CHECK (escalation_stall_after > interval '0')
);
COMMENT ON TABLE minqing.job_setting IS
	'One row: how long a staff session may sit idle in a transaction, and keep one open at all, '
	'before the escalation job ends it; after how long without a completed escalation pass a skipped '
	'pass counts as stalled (non-zero exit, an alert to the district centre). Set by the DBA.';
INSERT INTO minqing.job_setting DEFAULT VALUES;
ALTER TABLE minqing.job_setting ENABLE ROW LEVEL SECURITY;
CREATE POLICY job_setting_read ON minqing.job_setting FOR SELECT USING (true);
GRANT SELECT ON minqing.job_setting TO mq_staff, mq_system;

CREATE TABLE minqing.job_state (
	job               text PRIMARY KEY,
	last_completed_at timestamptz,
	last_cases        integer,
	last_locked       integer,
	last_ended        integer,
	news_mark         bigint
);
COMMENT ON TABLE minqing.job_state IS
	'What each job last did: written by the job''s own function at the end of a completed run.';
COMMENT ON COLUMN minqing.job_state.news_mark IS
	'The newest case event id when the last pass completed: every warning at or below it is committed '
	'(my_news()).';
INSERT INTO minqing.job_state (job, last_completed_at, news_mark)
SELECT 'escalation', now(), s.last_value FROM minqing.case_event_seq s;
ALTER TABLE minqing.job_state ENABLE ROW LEVEL SECURITY;
CREATE POLICY job_state_read ON minqing.job_state FOR SELECT USING (true);
GRANT SELECT ON minqing.job_state TO mq_supervisor, mq_admin, mq_system;

-- The scratch table of an escalation pass (was a temporary table), and the
-- job's lock: only its owner may lock it (no role has any privilege on it),
-- so no other login can take the lock and keep the pass from running.
CREATE UNLOGGED TABLE minqing.escalation_work (
	case_id bigint, district_id smallint, case_no text, title text, status minqing.case_status,
	due_at timestamptz, handler_staff_id integer, origin_path ext.ltree, path ext.ltree,
	unit_name text, step text, ord integer, event_id bigint
) WITH (autovacuum_enabled = false);
COMMENT ON TABLE minqing.escalation_work IS
	'Scratch rows of the escalation pass in progress (emptied at its start), and the lock that makes '
	'passes take turns: nobody but the owner may read, write or lock it.';
ALTER TABLE minqing.escalation_work ENABLE ROW LEVEL SECURITY;

-- End the sessions of staff and kiosks that sit idle in a transaction past
-- staff_idle_in_transaction or keep one open past staff_max_transaction:
-- whatever they lock (cases held FOR UPDATE) is free again. A console never
-- keeps a transaction open for seconds; timeouts a session sets for itself
-- do not help (it may set them back). Superusers and the jobs are never
-- ended. Each one is written to the server log. Returns how many.
CREATE FUNCTION minqing.end_stale_sessions() RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	lim minqing.job_setting;
	r record;
	n integer := 0;
BEGIN
	SELECT * INTO lim FROM minqing.job_setting;
	FOR r IN SELECT a.pid, a.usename, a.state, a.xact_start, a.application_name
	           FROM pg_catalog.pg_stat_activity a
	           JOIN pg_catalog.pg_roles ro ON ro.oid = a.usesysid
	          WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
	            AND a.datname = current_database() AND NOT ro.rolsuper
	            AND (pg_has_role(a.usesysid, 'mq_staff', 'MEMBER') OR pg_has_role(a.usesysid, 'mq_kiosk', 'MEMBER'))
	            AND NOT pg_has_role(a.usesysid, 'mq_system', 'MEMBER')
	            AND ((a.state IN ('idle in transaction', 'idle in transaction (aborted)')
	                  AND a.state_change < clock_timestamp() - lim.staff_idle_in_transaction)
	                 OR a.xact_start < clock_timestamp() - lim.staff_max_transaction) LOOP
		-- (waits up to a second for it to end, so its locks are free after)
		IF pg_terminate_backend(r.pid, 1000) THEN
			n := n + 1;
			RAISE LOG 'minqing: ended the session % of % (%, %, transaction open since %)',
				r.pid, r.usename, r.application_name, r.state, r.xact_start;
		END IF;
	END LOOP;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION minqing.end_stale_sessions() FROM PUBLIC;

-- The digests of an escalation pass: one message per step and recipient.
INSERT INTO minqing.message_template (code, body, description) VALUES
	('case_digest_reminder', '【民情e站】{handler}您好：您有{count}件民情即将到期，请抓紧办理：{cases}。',
	 'Escalation digest to a handler: cases about to fall due (count, case numbers).'),
	('case_digest_yellow', '【民情e站】黄色预警：{unit}辖区有{count}件民情已逾期未办结，请抓紧办理：{cases}。',
	 'Escalation digest, yellow: overdue cases (village handlers and their town''s).'),
	('case_digest_orange', '【民情e站】橙色预警：{unit}辖区有{count}件民情逾期未办结，请镇（街道）牵头督办：{cases}。',
	 'Escalation digest, orange: the town takes over.'),
	('case_digest_red', '【民情e站】红色预警：{unit}辖区有{count}件民情严重逾期，请区民情中心协调：{cases}。',
	 'Escalation digest, red: the district centre coordinates.'),
	('escalation_stalled', '【民情e站】系统提醒：预警检查已{minutes}分钟未能完成，请通知系统管理员。',
	 'To the district centre when no escalation pass has completed for longer than the limit.');

DROP FUNCTION minqing.escalation_pass(timestamptz);
-- One pass at p_now (see 004 and 005 for the steps). Differences:
--  * mutual exclusion by an ACCESS EXCLUSIVE lock on escalation_work, which
--    no other role may lock; a pass that cannot have it within 2 s is
--    skipped, and stalled when no pass completed for escalation_stall_after
--    (then the district centre gets an alert, once an hour);
--  * first, staff sessions holding transactions too long are ended (by a
--    skipped pass too: the pass it waits for may be waiting on one); no
--    wait on another session's lock lasts more than 10 s;
--  * due cases locked by others are skipped (retried next pass) and counted;
--  * staff get one digest per step and recipient (count and the first case
--    numbers by deadline), not one SMS per case;
--  * one notification for the whole pass, with no payload.
CREATE FUNCTION minqing.escalation_pass(p_now timestamptz DEFAULT now())
RETURNS TABLE (cases integer, reminders integer, yellow integer, orange integer, red integer,
               messages integer, skipped boolean, locked integer, ended_sessions integer,
               stalled boolean, last_completed timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp
-- (JIT costs ~50 ms of compiling on a large batch and saves nothing here.)
SET jit = off AS $$
DECLARE
	old_timeout text := current_setting('lock_timeout');
	last_done timestamptz;
	stall interval;
	ended integer;
	n_locked integer;
BEGIN
	PERFORM set_config('lock_timeout', '2s', true);
	BEGIN
		LOCK TABLE minqing.escalation_work IN ACCESS EXCLUSIVE MODE;
	EXCEPTION WHEN lock_not_available THEN
		PERFORM set_config('lock_timeout', old_timeout, true);
		-- The pass that holds the lock may itself be waiting for a session
		-- that holds a table it needs (a login with UPDATE on a table may
		-- LOCK it): ending stale sessions here frees it.
		ended := minqing.end_stale_sessions();
		SELECT j.last_completed_at INTO last_done FROM minqing.job_state j WHERE j.job = 'escalation';
		SELECT s.escalation_stall_after INTO stall FROM minqing.job_setting s;
		IF last_done < clock_timestamp() - stall THEN
			RAISE LOG 'minqing: escalation pass skipped, none completed since %', last_done;
			-- The district centre hears of it, once an hour.
			INSERT INTO minqing.outbox (district_id, path, recipient_phone, recipient_name, body, dedupe_key)
			SELECT r.district_id, r.path, r.phone, r.display_name,
			       minqing.render_template('escalation_stalled', jsonb_build_object(
			           'minutes', floor(extract(epoch FROM clock_timestamp() - last_done) / 60)),
			           r.district_id),
			       format('job:escalation:stalled:%s:%s',
			              to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDDHH24'), r.staff_id)
			  FROM minqing.staff r
			 WHERE r.active AND r.phone IS NOT NULL AND r.duty IN ('handler', 'supervisor')
			   AND ext.nlevel(r.path) = 1
			ON CONFLICT (dedupe_key) DO NOTHING;
			RETURN QUERY SELECT 0, 0, 0, 0, 0, 0, true, 0, ended, true, last_done;
		ELSE
			RETURN QUERY SELECT 0, 0, 0, 0, 0, 0, true, 0, ended, false, last_done;
		END IF;
		RETURN;
	END;
	-- No wait of this pass on another session's lock lasts longer than
	-- this: the pass fails (the job exits 1) and the next one first ends
	-- the sessions that held on too long.
	PERFORM set_config('lock_timeout', '10s', true);
	TRUNCATE minqing.escalation_work;

	ended := minqing.end_stale_sessions();

	-- The due cases, locked, and the steps each crosses now.
	WITH due AS (
		SELECT c.case_id, c.district_id, c.case_no, c.title, c.status, c.due_at, c.handler_staff_id,
		       c.origin_path, coalesce(c.assigned_path, c.origin_path) AS path,
		       coalesce(c.assigned_unit_id, c.origin_unit_id) AS unit_id, c.warning_level AS old_level,
		       c.reminded_at,
		       (c.warning_level = 'none' AND c.reminded_at IS NULL AND c.remind_at <= p_now
		        AND c.due_at > p_now) AS remind,
		       greatest(c.warning_level,
		                CASE WHEN c.red_at <= p_now THEN 'red'
		                     WHEN c.orange_at <= p_now THEN 'orange'
		                     WHEN c.yellow_at <= p_now THEN 'yellow'
		                     ELSE 'none' END::minqing.warning_level) AS new_level
		  FROM minqing.case_due q
		  JOIN minqing.cases c ON c.case_id = q.case_id
		 WHERE q.due_at <= p_now
		   AND c.next_escalation_at <= p_now
		 ORDER BY q.due_at
		   FOR UPDATE OF c SKIP LOCKED
	), upd AS (
		UPDATE minqing.cases c
		   SET warning_level = d.new_level,
		       reminded_at = d.new_reminded,
		       next_escalation_at = CASE
		           WHEN d.new_level = 'none' AND d.new_reminded IS NULL AND c.due_at > c.started_at
		                THEN c.remind_at
		           WHEN d.new_level = 'none' THEN c.yellow_at
		           WHEN d.new_level = 'yellow' THEN c.orange_at
		           WHEN d.new_level = 'orange' THEN c.red_at END,
		       row_version = c.row_version + 1,
		       updated_at = now()
		  FROM (SELECT d0.case_id, d0.new_level,
		               CASE WHEN d0.remind OR d0.new_level > 'none' THEN coalesce(d0.reminded_at, p_now)
		                    ELSE d0.reminded_at END AS new_reminded
		          FROM due d0) d
		 WHERE c.case_id = d.case_id
	)
	INSERT INTO minqing.escalation_work
	SELECT d.case_id, d.district_id, d.case_no, d.title, d.status, d.due_at, d.handler_staff_id,
	       d.origin_path, d.path, u.name, st.step, st.ord, nextval('minqing.case_event_seq')
	  FROM due d
	  JOIN minqing.org_unit u ON u.unit_id = d.unit_id
	 CROSS JOIN LATERAL (
		SELECT 'reminder' AS step, 0 AS ord WHERE d.remind
		UNION ALL
		SELECT l::text, array_position(enum_range(NULL::minqing.warning_level), l)
		  FROM unnest(enum_range(NULL::minqing.warning_level)) AS l
		 WHERE l > d.old_level AND l <= d.new_level) st;

	INSERT INTO minqing.case_event (event_id, case_id, district_id, at, kind, from_status, to_status, data)
	SELECT e.event_id, e.case_id, e.district_id, clock_timestamp(),
	       CASE e.step WHEN 'reminder' THEN 'reminder' ELSE 'warning' END, e.status, e.status,
	       jsonb_build_object('step', e.step, 'at', p_now)
	  FROM minqing.escalation_work e ORDER BY e.case_id, e.ord;

	-- Recipients as before (the handler for a reminder; the handlers of the
	-- units a warning tells, and the district's supervisors for red); one
	-- digest per step and recipient, naming the first cases by deadline.
	WITH rcp AS (
		SELECT e.*, r.staff_id AS r_id, r.phone AS r_phone, r.display_name AS r_name, r.unit_id AS r_unit
		  FROM minqing.escalation_work e
		  JOIN minqing.staff r ON r.staff_id = e.handler_staff_id
		 WHERE e.step = 'reminder' AND r.active AND r.phone IS NOT NULL
		UNION ALL
		SELECT e.*, r.staff_id, r.phone, r.display_name, r.unit_id
		  FROM minqing.escalation_work e
		 CROSS JOIN LATERAL (
			SELECT DISTINCT u.path FROM unnest(CASE e.step
				WHEN 'yellow' THEN ARRAY[subpath(e.path, 0, least(3, nlevel(e.path))),
				                         subpath(e.path, 0, least(2, nlevel(e.path)))]
				WHEN 'orange' THEN ARRAY[subpath(e.path, 0, least(2, nlevel(e.path)))]
				ELSE ARRAY[subpath(e.origin_path, 0, 1)] END) AS u(path)) tp
		  JOIN minqing.staff r ON r.path = tp.path
		 WHERE e.step <> 'reminder' AND r.active AND r.phone IS NOT NULL
		   AND (r.duty = 'handler' OR (e.step = 'red' AND r.duty = 'supervisor'))
	), digest AS (
		SELECT e.district_id, e.step, e.r_id, e.r_phone, e.r_name, e.r_unit,
		       count(DISTINCT e.case_id) AS n,
		       (array_agg(e.case_no ORDER BY e.due_at, e.case_id))[1:3] AS first_cases
		  FROM rcp e
		 GROUP BY e.district_id, e.step, e.r_id, e.r_phone, e.r_name, e.r_unit
	)
	INSERT INTO minqing.outbox (district_id, path, recipient_phone, recipient_name, body, dedupe_key)
	SELECT g.district_id, u.path, g.r_phone, g.r_name,
	       minqing.render_template('case_digest_' || g.step, jsonb_build_object(
	           'handler', g.r_name, 'unit', u.name, 'count', g.n,
	           'cases', array_to_string(g.first_cases, '、') || CASE WHEN g.n > 3 THEN '等' ELSE '' END),
	           g.district_id),
	       -- the pass's time in UTC: the key must not depend on a session's TimeZone
	       format('escalation:%s:%s:%s', to_char(p_now AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS'),
	              g.step, g.r_id)
	  FROM digest g
	  JOIN minqing.org_unit u ON u.unit_id = g.r_unit
	ON CONFLICT (dedupe_key) DO NOTHING;
	GET DIAGNOSTICS messages = ROW_COUNT;

	-- Due cases this pass could not lock (someone holds them): the next pass
	-- takes them.
	SELECT count(*) INTO n_locked
	  FROM minqing.case_due q JOIN minqing.cases c ON c.case_id = q.case_id
	 WHERE q.due_at <= p_now AND c.next_escalation_at <= p_now;

	-- Open consoles re-read what concerns them (delivered at commit).
	IF EXISTS (SELECT 1 FROM minqing.escalation_work) THEN
		PERFORM pg_notify('minqing_case', '');
	END IF;

	UPDATE minqing.job_state j
	   SET last_completed_at = clock_timestamp(), last_locked = n_locked, last_ended = ended,
	       last_cases = (SELECT count(DISTINCT e.case_id) FROM minqing.escalation_work e),
	       news_mark = (SELECT s.last_value FROM minqing.case_event_seq s)
	 WHERE j.job = 'escalation';

	RETURN QUERY
	SELECT count(DISTINCT e.case_id)::integer,
	       count(*) FILTER (WHERE e.step = 'reminder')::integer,
	       count(*) FILTER (WHERE e.step = 'yellow')::integer,
	       count(*) FILTER (WHERE e.step = 'orange')::integer,
	       count(*) FILTER (WHERE e.step = 'red')::integer,
	       messages, false, n_locked, ended, false, clock_timestamp()
	  FROM minqing.escalation_work e;
END
$$;
COMMENT ON FUNCTION minqing.escalation_pass(timestamptz) IS
	'One escalation pass at p_now (tests pass a chosen time). Run by minqing-escalate. skipped: '
	'another pass holds the job''s lock; stalled: and none completed for job_setting.escalation_stall_after.';
REVOKE ALL ON FUNCTION minqing.escalation_pass(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.escalation_pass(timestamptz) TO mq_escalator;

RESET ROLE;

------------------------------------------------------------------------------
-- 5. Accounts: never adopt a job's or another system's role; 6. limits
------------------------------------------------------------------------------
-- Every staff and kiosk login has defaults that keep a forgotten session
-- from holding anything for long (a session may override them; the
-- escalation job's end_stale_sessions() is the limit that holds).
CREATE FUNCTION minqing.login_defaults(p_login name) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	EXECUTE format('ALTER ROLE %I IN DATABASE %I SET statement_timeout = %L', p_login,
	               current_database(), '30s');
	EXECUTE format('ALTER ROLE %I IN DATABASE %I SET idle_in_transaction_session_timeout = %L', p_login,
	               current_database(), '60s');
	EXECUTE format('ALTER ROLE %I IN DATABASE %I SET lock_timeout = %L', p_login,
	               current_database(), '10s');
END
$$;
ALTER FUNCTION minqing.login_defaults(name) OWNER TO mq_role_manager;
REVOKE ALL ON FUNCTION minqing.login_defaults(name) FROM PUBLIC;
COMMENT ON FUNCTION minqing.login_defaults(name) IS
	'statement_timeout 30s, idle_in_transaction_session_timeout 60s and lock_timeout 10s for a '
	'staff or kiosk login in this database (called by user_add).';

CREATE OR REPLACE FUNCTION minqing.user_add(p_login name, p_display_name text, p_unit_code text,
                                            p_duty minqing.duty, p_password text DEFAULT NULL,
                                            p_position text DEFAULT NULL, p_phone text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit;
	existing pg_roles;
	caller_scope ext.ltree;
	other text;
	id integer;
BEGIN
	-- Superusers (the DBA at the database host) or administrators, within their scope.
	IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
		IF NOT pg_has_role(session_user, 'mq_admin', 'MEMBER') THEN
			RAISE EXCEPTION 'only an administrator may add accounts'
				USING ERRCODE = 'insufficient_privilege';
		END IF;
		caller_scope := minqing.my_write_scope();
	END IF;
	IF p_login !~ '^[a-z][a-z0-9_]{1,62}$' THEN
		RAISE EXCEPTION 'login "%" must be lower-case letters, digits and _, starting with a letter',
			p_login USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_login ~ '^(pg_|mq_)' THEN
		RAISE EXCEPTION 'login "%" is reserved', p_login USING ERRCODE = 'reserved_name';
	END IF;
	SELECT * INTO u FROM minqing.org_unit WHERE code = p_unit_code AND active;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no active unit with code %', p_unit_code USING ERRCODE = 'no_data_found';
	END IF;
	IF caller_scope IS NOT NULL AND NOT u.path <@ caller_scope THEN
		RAISE EXCEPTION 'unit % is outside your jurisdiction', p_unit_code
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF EXISTS (SELECT 1 FROM minqing.staff WHERE login = p_login) THEN
		RAISE EXCEPTION 'account % already exists', p_login USING ERRCODE = 'duplicate_object';
	END IF;

	SELECT * INTO existing FROM pg_roles WHERE rolname = p_login;
	IF FOUND THEN
		-- Roles are per cluster: another database of the cluster may have
		-- made this one a staff login already, or the DBA made it for peer
		-- authentication. Adopt nothing else: no powers beyond a staff
		-- member's, no membership but the duty groups (a job's login is in
		-- mq_system), no members, no password (it would be somebody's).
		IF existing.rolsuper OR existing.rolcreaterole OR existing.rolcreatedb
		   OR existing.rolbypassrls OR existing.rolreplication THEN
			RAISE EXCEPTION 'role % exists with privileges a staff account must not have', p_login
				USING ERRCODE = 'insufficient_privilege';
		END IF;
		SELECT string_agg(g.rolname, ', ' ORDER BY g.rolname) INTO other
		  FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
		 WHERE m.member = existing.oid
		   AND g.rolname NOT IN ('mq_officer', 'mq_handler', 'mq_supervisor', 'mq_admin', 'mq_kiosk');
		IF other IS NOT NULL THEN
			RAISE EXCEPTION 'role % exists and belongs to % (a system or job account): it cannot become a staff account',
				p_login, other USING ERRCODE = 'insufficient_privilege',
				HINT = 'choose another login';
		END IF;
		IF EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = existing.oid) THEN
			RAISE EXCEPTION 'role % exists and has members: it cannot become a staff account', p_login
				USING ERRCODE = 'insufficient_privilege', HINT = 'choose another login';
		END IF;
		IF (SELECT a.rolpassword IS NOT NULL FROM pg_authid a WHERE a.oid = existing.oid) THEN
			RAISE EXCEPTION 'role % exists and has a password: it is somebody''s account already', p_login
				USING ERRCODE = 'insufficient_privilege',
				HINT = 'choose another login, or ask the database administrator';
		END IF;
		IF p_password IS NOT NULL THEN
			EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', p_login, p_password);
		ELSIF NOT existing.rolcanlogin THEN
			EXECUTE format('ALTER ROLE %I LOGIN', p_login);
		END IF;
	ELSIF p_password IS NOT NULL THEN
		EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_login, p_password);
	ELSE
		EXECUTE format('CREATE ROLE %I LOGIN', p_login);
	END IF;
	IF NOT pg_has_role(p_login, 'mq_' || p_duty::text, 'MEMBER') THEN
		EXECUTE format('GRANT %I TO %I', 'mq_' || p_duty::text, p_login);
	END IF;
	PERFORM minqing.login_defaults(p_login);

	INSERT INTO minqing.staff (login, display_name, unit_id, duty, position, phone)
	VALUES (p_login, p_display_name, u.unit_id, p_duty, p_position, p_phone)
	RETURNING staff_id INTO id;
	RETURN id;
END
$$;

-- The logins that exist already get the same defaults.
DO $$
DECLARE
	l name;
BEGIN
	FOR l IN SELECT s.login FROM minqing.staff s JOIN pg_roles r ON r.rolname = s.login LOOP
		PERFORM minqing.login_defaults(l);
	END LOOP;
END
$$;

------------------------------------------------------------------------------
-- The functions that look past row-level security or end sessions belong
-- to the roles with just those powers (the superuser hands them over).
------------------------------------------------------------------------------
GRANT SELECT (message_id, dedupe_key, caused_by, recipient_phone, created_at) ON minqing.outbox TO mq_checker;
GRANT SELECT ON minqing.message_limit TO mq_checker;
GRANT SELECT (resident_id, id_card) ON minqing.resident TO mq_checker;
ALTER FUNCTION minqing.message_counts(name, text, text) OWNER TO mq_checker;
ALTER FUNCTION minqing.resident_id_card_unique() OWNER TO mq_checker;
GRANT SELECT ON minqing.job_setting TO mq_reaper;
ALTER FUNCTION minqing.end_stale_sessions() OWNER TO mq_reaper;
REVOKE ALL ON FUNCTION minqing.message_counts(name, text, text), minqing.resident_id_card_unique(),
	minqing.end_stale_sessions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.message_counts(name, text, text), minqing.end_stale_sessions() TO mq_owner;
