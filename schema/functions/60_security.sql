-- schema/functions/60_security.sql: text rules, news, message limits, unique
-- ID numbers, stale sessions, login defaults.
--
-- The current definition of these functions and views, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` in the migration
-- transaction whenever the function files change (docs/development.md,
-- "Functions, views and grants"). Change a function here, not in a migration.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- Blank: nothing but white space, including the ideographic space U+3000 an
-- input method types and the no-break spaces.
CREATE OR REPLACE FUNCTION minqing.text_is_blank(t text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN t ~ '^[[:space:]\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*$';
COMMENT ON FUNCTION minqing.text_is_blank(text) IS
	'Nothing but white space, the ideographic space U+3000 and the no-break spaces included.';
GRANT EXECUTE ON FUNCTION minqing.text_is_blank(text) TO PUBLIC;

-- Characters no person means to store: C0 and C1 controls (a multi-line
-- text keeps tab and newline), DEL, the soft hyphen, zero-width characters
-- and the byte-order mark, and the direction controls that make a text show
-- in another order than it is stored (U+202E and its kin).
CREATE OR REPLACE FUNCTION minqing.text_has_hidden(t text, p_multiline boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN p_multiline
            THEN t ~ '[\x01-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]'
            ELSE t ~ '[\x01-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]' END;
COMMENT ON FUNCTION minqing.text_has_hidden(text, boolean) IS
	'Holds a control, zero-width, byte-order or direction character (tab and newline allowed when multi-line).';
GRANT EXECUTE ON FUNCTION minqing.text_has_hidden(text, boolean) TO PUBLIC;

-- The check constraint of every person-written text column (the backstop
-- behind text_guard(), which gives the clear message).
CREATE OR REPLACE FUNCTION minqing.text_ok(t text, p_max integer, p_multiline boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN t IS NULL OR (char_length(t) <= p_max AND NOT minqing.text_is_blank(t)
                     AND NOT minqing.text_has_hidden(t, p_multiline));
COMMENT ON FUNCTION minqing.text_ok(text, integer, boolean) IS
	'A text a person may store: at most p_max characters, not blank (U+3000 counts as blank), no '
	'control, invisible or direction-changing characters (tab and newline allowed when multi-line).';
GRANT EXECUTE ON FUNCTION minqing.text_ok(text, integer, boolean) TO PUBLIC;

-- BEFORE INSERT OR UPDATE: the clear refusal. TG_ARGV: one "column:max:m:field"
-- per checked column (m: multi-line; field: the name a form knows the value
-- by, when not the column's). A blank text becomes NULL, so an optional note
-- of spaces is no note, and a required one fails NOT NULL on its column.
-- Length is checked first: a megabyte is refused without being scanned.
CREATE OR REPLACE FUNCTION minqing.text_guard() RETURNS trigger
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
REVOKE ALL ON FUNCTION minqing.text_guard() FROM PUBLIC;

-- Put the text rules of tables p_tables (rows of text_rule) on them: the
-- guard trigger (the clear refusal) and a check constraint per column (the
-- rule itself). For the migrations that add tables with texts; nobody else
-- may run it.
CREATE OR REPLACE FUNCTION minqing.text_rules_apply(p_tables text[]) RETURNS void
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT r.table_name, array_agg(r.column_name ORDER BY r.column_name) AS cols,
	                array_agg(format('%s:%s:%s:%s', r.column_name, r.max_chars,
	                                 CASE WHEN r.multiline THEN 'm' ELSE '' END, coalesce(r.field, ''))
	                          ORDER BY r.column_name) AS specs
	           FROM minqing.text_rule r
	          WHERE r.table_name = ANY (p_tables)
	          GROUP BY r.table_name LOOP
		EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OF %s ON minqing.%I FOR EACH ROW '
		               'EXECUTE FUNCTION minqing.text_guard(%s)',
		               t.table_name || '_text_guard',
		               (SELECT string_agg(quote_ident(c), ', ') FROM unnest(t.cols) AS c),
		               t.table_name,
		               (SELECT string_agg(quote_literal(s), ', ') FROM unnest(t.specs) AS s));
	END LOOP;
	FOR t IN SELECT r.* FROM minqing.text_rule r WHERE r.table_name = ANY (p_tables) LOOP
		EXECUTE format('ALTER TABLE minqing.%I ADD CONSTRAINT %I CHECK (minqing.text_ok(%I, %s, %s))',
		               t.table_name, t.table_name || '_' || t.column_name || '_text', t.column_name,
		               t.max_chars, t.multiline::text);
	END LOOP;
END
$$;
COMMENT ON FUNCTION minqing.text_rules_apply(text[]) IS
	'For migrations: puts the text rules (text_rule) of the tables named on them, the guard trigger '
	'and a check constraint per column.';
REVOKE ALL ON FUNCTION minqing.text_rules_apply(text[]) FROM PUBLIC;

-- Rows written before this migration that break a rule are cleaned first,
-- so that every constraint is validated: a NOT VALID check is still checked
-- on every UPDATE of an old row, and one old case with a carriage return in
-- its content would have failed every escalation pass of the district. CR LF
-- becomes LF, hidden characters go (single-line: tab and newline become a
-- space), an over-long text is cut, a blank one becomes NULL (a required
-- one '（空）'). The cleaning is audited like any change. (As the superuser:
-- FORCE row-level security would hide the rows from the owner.)
CREATE OR REPLACE FUNCTION minqing.text_clean(t text, p_max integer, p_multiline boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN nullif(btrim(left(regexp_replace(
	CASE WHEN p_multiline THEN replace(t, E'\r\n', E'\n') ELSE regexp_replace(t, '[\r\n\t]+', ' ', 'g') END,
	'[\x01-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]', '', 'g'),
	p_max), E' \t\n\u3000'), '');
COMMENT ON FUNCTION minqing.text_clean(text, integer, boolean) IS
	'A text made to pass text_ok(): CR LF to LF, hidden characters removed, cut to p_max, NULL when blank.';
REVOKE ALL ON FUNCTION minqing.text_clean(text, integer, boolean) FROM PUBLIC;

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
CREATE OR REPLACE FUNCTION minqing.my_news(p_after_event bigint DEFAULT NULL)
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
REVOKE ALL ON FUNCTION minqing.my_news(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.my_news(bigint) TO mq_staff;

-- A new district gets its row (with the defaults) at once, so that an
-- administrator can change it.
CREATE OR REPLACE FUNCTION minqing.district_message_limit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	INSERT INTO minqing.message_limit (district_id) SELECT n.district_id FROM new_rows n
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION minqing.district_message_limit() FROM PUBLIC;

-- How many messages p_sender caused in the last hour and day, how many went
-- to p_phone today from anyone's action, and whether p_key was queued
-- already: over every district's rows (past RLS), so that a handler of a
-- department sees the count of the SMS it caused in a village. Each count
-- stops at its cap (the limit it is compared with): whether a limit is
-- reached is all that is asked, and a busy sender's thousands of rows of
-- the day were counted again for every message.
-- Owned by mq_checker (docs/security.md): replaced by the superuser, which keeps the owner.
RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.message_counts(p_sender name, p_phone text, p_key text, p_hour_cap integer,
                                       p_day_cap integer, p_phone_cap integer,
                                       OUT queued boolean, OUT sender_hour integer,
                                       OUT sender_day integer, OUT phone_day integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	-- (plpgsql, whose plans are kept: planning these counts probed the end
	-- of the created_at index for its newest value at every call, 8 ms once
	-- the outbox took thousands of messages an hour.)
	queued := EXISTS (SELECT 1 FROM minqing.outbox o WHERE o.dedupe_key = p_key);
	-- The sender's day, newest first, read once for both counts: the last
	-- hour's rows come first, so the first max(caps) rows hold both
	-- answers (each capped at its own limit).
	SELECT least(count(*) FILTER (WHERE x.created_at > now() - interval '1 hour'), p_hour_cap),
	       least(count(*), p_day_cap)
	  INTO sender_hour, sender_day
	  FROM (SELECT o.created_at FROM minqing.outbox o
	         WHERE o.caused_by = p_sender AND o.created_at > now() - interval '1 day'
	         ORDER BY o.created_at DESC LIMIT greatest(p_hour_cap, p_day_cap)) x;
	SELECT count(*) INTO phone_day
	  FROM (SELECT 1 FROM minqing.outbox o
	         WHERE o.caused_by IS NOT NULL AND o.recipient_phone = p_phone
	           AND o.created_at > now() - interval '1 day' LIMIT p_phone_cap) x;
END
$$;
ALTER FUNCTION minqing.message_counts(name, text, text, integer, integer, integer) OWNER TO mq_checker;
REVOKE ALL ON FUNCTION minqing.message_counts(name, text, text, integer, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.message_counts(name, text, text, integer, integer, integer) TO mq_owner;
SET LOCAL ROLE mq_owner;

-- 10. An ID number registered anywhere in the district is refused without
-- saying where (the unique index behind it would quote it in its message).
-- Every such refusal is in the server log: probing for numbers shows there.
-- Owned by mq_checker (docs/security.md): replaced by the superuser, which keeps the owner.
RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.resident_id_card_unique() RETURNS trigger
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
ALTER FUNCTION minqing.resident_id_card_unique() OWNER TO mq_checker;
REVOKE ALL ON FUNCTION minqing.resident_id_card_unique() FROM PUBLIC;
SET LOCAL ROLE mq_owner;

-- Who caused how many messages, per day (the message's district's day,
-- whatever the session's TimeZone), within the caller's jurisdiction (the
-- outbox's row-level security). The zone is joined, not looked up per row
-- (the outbox is long); calendar_setting() only for a district without a
-- calendar row (its defaults).
CREATE OR REPLACE VIEW minqing.message_senders WITH (security_invoker = true) AS
SELECT o.caused_by AS login, s.display_name, u.name AS unit_name,
       (o.created_at AT TIME ZONE coalesce(w.time_zone, (minqing.calendar_setting(o.district_id)).time_zone))::date
           AS day,
       count(*) AS messages, count(DISTINCT o.recipient_phone) AS phones,
       count(*) FILTER (WHERE o.status = 'dead') AS dead, max(o.created_at) AS last_at
  FROM minqing.outbox o
  LEFT JOIN minqing.work_calendar_setting w ON w.district_id = o.district_id
  LEFT JOIN minqing.staff s ON s.login = o.caused_by
  LEFT JOIN minqing.org_unit u ON u.unit_id = s.unit_id
 WHERE o.caused_by IS NOT NULL
 GROUP BY o.caused_by, s.display_name, u.name,
          (o.created_at AT TIME ZONE coalesce(w.time_zone, (minqing.calendar_setting(o.district_id)).time_zone))::date;
COMMENT ON VIEW minqing.message_senders IS
	'Messages caused by each person per day (result SMS, urges): how many, to how many numbers, dead; '
	'within the caller''s jurisdiction. For supervisors watching for misuse.';
GRANT SELECT ON minqing.message_senders TO mq_supervisor, mq_admin;

-- End the sessions of staff and kiosks that sit idle in a transaction past
-- staff_idle_in_transaction or keep one open past staff_max_transaction:
-- whatever they lock (cases held FOR UPDATE) is free again. A console never
-- keeps a transaction open for seconds; timeouts a session sets for itself
-- do not help (it may set them back). Superusers and the jobs are never
-- ended. Each one is written to the server log. Returns how many.
-- Owned by mq_reaper (docs/security.md): replaced by the superuser, which keeps the owner.
RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.end_stale_sessions() RETURNS integer
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
ALTER FUNCTION minqing.end_stale_sessions() OWNER TO mq_reaper;
REVOKE ALL ON FUNCTION minqing.end_stale_sessions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.end_stale_sessions() TO mq_owner;
SET LOCAL ROLE mq_owner;

-- Every staff and kiosk login has defaults that keep a forgotten session
-- from holding anything for long (a session may override them; the
-- escalation job's end_stale_sessions() is the limit that holds).
-- Owned by mq_role_manager (docs/security.md): replaced by the superuser, which keeps the owner.
RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.login_defaults(p_login name) RETURNS void
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
COMMENT ON FUNCTION minqing.login_defaults(name) IS
	'statement_timeout 30s, idle_in_transaction_session_timeout 60s and lock_timeout 10s for a '
	'staff or kiosk login in this database (called by user_add).';
REVOKE ALL ON FUNCTION minqing.login_defaults(name) FROM PUBLIC;
SET LOCAL ROLE mq_owner;

RESET ROLE;
