-- schema/functions/40_cases.sql: cases: the workflow, bookkeeping and due
-- dates, escalation, publication and figures.
--
-- The current definition of these functions and views, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` in the migration
-- transaction whenever the function files change (docs/development.md,
-- "Functions, views and grants"). Change a function here, not in a migration.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- The escalation steps as rules over a schedule (remind_at .. red_at from
-- case_schedule()), shared by the cases' pass and the inspection findings'
-- (finding_escalation_pass, 75_inspections.sql): what is next, the level
-- reached at a time, whether the reminder is due, the steps crossed. SQL
-- without SET, every name qualified: inlined where they are called.
CREATE OR REPLACE FUNCTION minqing.escalation_next(p_level minqing.warning_level, p_reminded_at timestamptz,
                                                   p_started_at timestamptz, p_due_at timestamptz,
                                                   p_remind_at timestamptz, p_yellow_at timestamptz,
                                                   p_orange_at timestamptz, p_red_at timestamptz)
RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
	WHEN p_due_at IS NULL THEN NULL
	WHEN p_level = 'none'::minqing.warning_level AND p_reminded_at IS NULL AND p_due_at > p_started_at
	     THEN p_remind_at
	WHEN p_level = 'none'::minqing.warning_level THEN p_yellow_at
	WHEN p_level = 'yellow'::minqing.warning_level THEN p_orange_at
	WHEN p_level = 'orange'::minqing.warning_level THEN p_red_at
END;
COMMENT ON FUNCTION minqing.escalation_next(minqing.warning_level, timestamptz, timestamptz, timestamptz,
                                            timestamptz, timestamptz, timestamptz, timestamptz) IS
	'The time of the next escalation step of a running matter (a case, an inspection finding): the reminder '
	'(not yet sent, no warning, a deadline after the start), then the warning above the current one; NULL '
	'without a deadline or once red.';
REVOKE ALL ON FUNCTION minqing.escalation_next(minqing.warning_level, timestamptz, timestamptz, timestamptz,
                                               timestamptz, timestamptz, timestamptz, timestamptz) FROM PUBLIC;
-- (case_next_escalation calls it in the trigger of mq_case_mover's updates.)
GRANT EXECUTE ON FUNCTION minqing.escalation_next(minqing.warning_level, timestamptz, timestamptz, timestamptz,
                                                  timestamptz, timestamptz, timestamptz, timestamptz) TO mq_case_mover;

CREATE OR REPLACE FUNCTION minqing.escalation_level(p_level minqing.warning_level, p_yellow_at timestamptz,
                                                    p_orange_at timestamptz, p_red_at timestamptz,
                                                    p_now timestamptz)
RETURNS minqing.warning_level
LANGUAGE sql IMMUTABLE PARALLEL SAFE
-- (Each label cast on its own: a cast of the whole CASE would be the enum's
-- input function at run time, not immutable, and stop the inlining.)
RETURN greatest(p_level,
                CASE WHEN p_red_at <= p_now THEN 'red'::minqing.warning_level
                     WHEN p_orange_at <= p_now THEN 'orange'::minqing.warning_level
                     WHEN p_yellow_at <= p_now THEN 'yellow'::minqing.warning_level
                     ELSE 'none'::minqing.warning_level END);
COMMENT ON FUNCTION minqing.escalation_level(minqing.warning_level, timestamptz, timestamptz, timestamptz,
                                             timestamptz) IS
	'The warning level a matter has reached at p_now by its yellow, orange and red times; never below p_level.';
REVOKE ALL ON FUNCTION minqing.escalation_level(minqing.warning_level, timestamptz, timestamptz, timestamptz,
                                                timestamptz) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.escalation_remind_due(p_level minqing.warning_level, p_reminded_at timestamptz,
                                                         p_remind_at timestamptz, p_due_at timestamptz,
                                                         p_now timestamptz)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN p_level = 'none'::minqing.warning_level AND p_reminded_at IS NULL AND p_remind_at <= p_now
       AND p_due_at > p_now;
COMMENT ON FUNCTION minqing.escalation_remind_due(minqing.warning_level, timestamptz, timestamptz, timestamptz,
                                                  timestamptz) IS
	'Whether a matter''s reminder is due at p_now: none sent, no warning, its time come, the deadline ahead.';
REVOKE ALL ON FUNCTION minqing.escalation_remind_due(minqing.warning_level, timestamptz, timestamptz, timestamptz,
                                                     timestamptz) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.escalation_steps(p_remind boolean, p_old minqing.warning_level,
                                                    p_new minqing.warning_level)
RETURNS TABLE (step text, ord integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT 'reminder', 0 WHERE p_remind
	UNION ALL
	SELECT l::text, array_position(enum_range(NULL::minqing.warning_level), l)
	  FROM unnest(enum_range(NULL::minqing.warning_level)) AS l
	 WHERE l > p_old AND l <= p_new
$$;
COMMENT ON FUNCTION minqing.escalation_steps(boolean, minqing.warning_level, minqing.warning_level) IS
	'The steps a pass takes on a matter, in order: the reminder when due, then each warning above p_old up '
	'to p_new (yellow, orange, red), with their order.';
REVOKE ALL ON FUNCTION minqing.escalation_steps(boolean, minqing.warning_level, minqing.warning_level) FROM PUBLIC;

-- The units whose staff hear of an escalation step of something handled at
-- p_path, as the cases' pass tells them: a reminder the unit itself; yellow
-- the unit (at most a village) and its town; orange the town; red the
-- district (its centre).
CREATE OR REPLACE FUNCTION minqing.escalation_told_paths(p_step text, p_path ext.ltree) RETURNS ext.ltree[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE p_step
	WHEN 'reminder' THEN ARRAY[p_path]
	WHEN 'yellow' THEN ARRAY[ext.subpath(p_path, 0, least(3, ext.nlevel(p_path))),
	                         ext.subpath(p_path, 0, least(2, ext.nlevel(p_path)))]
	WHEN 'orange' THEN ARRAY[ext.subpath(p_path, 0, least(2, ext.nlevel(p_path)))]
	ELSE ARRAY[ext.subpath(p_path, 0, 1)] END;
COMMENT ON FUNCTION minqing.escalation_told_paths(text, ext.ltree) IS
	'The units told of an escalation step of a matter handled at p_path: reminder the unit; yellow the unit '
	'(village level at most) and its town; orange the town; red the district. Used by escalation_pass() '
	'(cases) and finding_escalation_pass() (inspection findings).';
REVOKE ALL ON FUNCTION minqing.escalation_told_paths(text, ext.ltree) FROM PUBLIC;

-- The time of the next escalation step of a case, from its stored schedule:
-- the reminder (if not yet sent and the warning is still none), then the
-- level above the current one.
-- (No SET search_path: it names nothing unqualified, and the clause would
-- stop PostgreSQL from inlining it into the trigger, once per updated row.)
CREATE OR REPLACE FUNCTION minqing.case_next_escalation(c minqing.cases) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN c.status NOT IN ('accepted', 'dispatched', 'in_progress') OR c.paused_at IS NOT NULL THEN NULL
		ELSE minqing.escalation_next(c.warning_level, c.reminded_at, c.started_at, c.due_at, c.remind_at,
		                             c.yellow_at, c.orange_at, c.red_at)
	END
$$;
REVOKE ALL ON FUNCTION minqing.case_next_escalation(minqing.cases) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_next_escalation(minqing.cases) TO mq_case_mover;

-- The deadline under the service commitment for a case handled at a level,
-- counted from p_from. Immediate matters are due at once.
CREATE OR REPLACE FUNCTION minqing.case_deadline(p_district smallint, p_category integer,
                                      p_level minqing.unit_level, p_from timestamptz,
                                      OUT kind text, OUT amount integer, OUT due timestamptz)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	SELECT c.kind, c.amount INTO kind, amount FROM minqing.commitment_for(p_category, p_level) c;
	due := CASE kind
		WHEN 'immediate' THEN p_from
		WHEN 'hours' THEN minqing.add_working_hours(p_district, p_from, amount)
		ELSE minqing.add_working_days(p_district, p_from, amount) END;
END
$$;
REVOKE ALL ON FUNCTION minqing.case_deadline(smallint, integer, minqing.unit_level, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_deadline(smallint, integer, minqing.unit_level, timestamptz) TO mq_case_mover;

CREATE OR REPLACE FUNCTION minqing.cases_bookkeeping() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	lvl minqing.unit_level;
	d record;
BEGIN
	-- What touch_row() does elsewhere, here: one row trigger, not two, on
	-- the table every transition and escalation pass updates.
	IF TG_OP = 'UPDATE' THEN
		NEW.row_version := OLD.row_version + 1;
		NEW.updated_at := now();
	END IF;
	IF TG_OP = 'UPDATE' AND NEW.status IN ('accepted', 'dispatched')
	   AND (NEW.status <> OLD.status OR NEW.assigned_unit_id IS DISTINCT FROM OLD.assigned_unit_id) THEN
		SELECT level INTO lvl FROM minqing.org_unit
		 WHERE unit_id = coalesce(NEW.assigned_unit_id, NEW.origin_unit_id);
		d := minqing.case_deadline(NEW.district_id, NEW.category_id, lvl, now());
		NEW.commitment_kind := d.kind;
		NEW.commitment_amount := d.amount;
		NEW.started_at := now();
		NEW.due_at := d.due;
		NEW.reminded_at := NULL;
	END IF;
	IF NEW.due_at IS NULL THEN
		NEW.remind_at := NULL;
		NEW.yellow_at := NULL;
		NEW.orange_at := NULL;
		NEW.red_at := NULL;
	ELSIF TG_OP = 'INSERT' OR NEW.due_at IS DISTINCT FROM OLD.due_at
	      OR NEW.started_at IS DISTINCT FROM OLD.started_at THEN
		SELECT s.remind_at, s.yellow_at, s.orange_at, s.red_at
		  INTO NEW.remind_at, NEW.yellow_at, NEW.orange_at, NEW.red_at
		  FROM minqing.case_schedule(NEW.district_id, NEW.started_at, NEW.due_at) s;
	END IF;
	NEW.next_escalation_at := minqing.case_next_escalation(NEW);
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION minqing.cases_bookkeeping() FROM PUBLIC;

-- The caller's staff row, or an error. p_duties: the duties allowed.
CREATE OR REPLACE FUNCTION minqing.case_caller(p_duties minqing.duty[]) RETURNS minqing.staff
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
BEGIN
	SELECT * INTO s FROM minqing.staff WHERE login = session_user AND active;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'you are not registered as staff of the e-station'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF NOT s.duty = ANY (p_duties) THEN
		RAISE EXCEPTION 'your duty (%) does not allow this', s.duty
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN s;
END
$$;
REVOKE ALL ON FUNCTION minqing.case_caller(minqing.duty[]) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.staff_covers(s minqing.staff, p_path ext.ltree) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT p_path IS NOT NULL AND p_path OPERATOR(ext.<@) s.path
$$;
REVOKE ALL ON FUNCTION minqing.staff_covers(minqing.staff, ext.ltree) FROM PUBLIC;

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
REVOKE ALL ON FUNCTION minqing.case_for(minqing.staff, bigint, minqing.case_status[], text, text) FROM PUBLIC;

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
REVOKE ALL ON FUNCTION minqing.require_text(text, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.case_log(c minqing.cases, p_kind text, p_from minqing.case_status,
                                            p_note text, p_data jsonb DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	id bigint;
BEGIN
	id := nextval('minqing.case_event_seq');
	INSERT INTO minqing.case_event (event_id, case_id, district_id, kind, from_status, to_status, note, data)
	VALUES (id, c.case_id, c.district_id, p_kind, p_from, c.status, p_note, p_data);
	-- For the consoles, notified by case_news_relay() after the commit (a
	-- NOTIFY here would make this transaction's commit wait for every other
	-- notifying commit: 030_case_news.sql).
	INSERT INTO minqing.case_news (case_id) VALUES (c.case_id);
	RETURN id;
END
$$;
REVOKE ALL ON FUNCTION minqing.case_log(minqing.cases, text, minqing.case_status, text, jsonb) FROM PUBLIC;

-- Notify what case_log appended to case_news, in the caller's transaction
-- (minqing-notify's every half second; the console's right after a change
-- and every few seconds; the job's after its pass): each case once, its id
-- the payload (every login may LISTEN: the payload says which case, nothing
-- about it). Rows another
-- relay holds are skipped, not waited for: that relay notifies them. At
-- most 2,000 ids a call (a NOTIFY queue entry each); the rest next time.
-- The number of cases notified.
CREATE OR REPLACE FUNCTION minqing.case_news_relay() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n integer;
BEGIN
	WITH taken AS (
		DELETE FROM minqing.case_news n
		 WHERE n.ctid = ANY (ARRAY(SELECT x.ctid FROM minqing.case_news x LIMIT 2000 FOR UPDATE SKIP LOCKED))
		RETURNING n.case_id
	)
	SELECT count(pg_notify('minqing_case', d.case_id::text))::integer INTO n
	  FROM (SELECT DISTINCT t.case_id FROM taken t) d;
	-- The drainer's wake-up for the messages the change queued (032).
	PERFORM minqing.outbox_news_relay();
	RETURN n;
END
$$;
COMMENT ON FUNCTION minqing.case_news_relay() IS
	'Notify minqing_case (payload: the case id) of the cases changed since the last relay, and minqing_outbox '
	'if messages were queued (outbox_news_relay), in the caller''s transaction; the number of cases notified. '
	'Called by minqing-notify every half second, by the console after each change and every few seconds, and '
	'by the escalation job.';
REVOKE ALL ON FUNCTION minqing.case_news_relay() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_news_relay() TO mq_staff, mq_system;

CREATE OR REPLACE FUNCTION minqing.case_message_result(c minqing.cases, p_event bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	phone text;
	unit_name text;
BEGIN
	phone := coalesce(c.submitter_phone,
	                  (SELECT r.phone FROM minqing.resident r WHERE r.resident_id = c.resident_id));
	IF phone IS NULL OR c.anonymous THEN
		RETURN NULL;
	END IF;
	SELECT name INTO unit_name FROM minqing.org_unit
	 WHERE unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id);
	RETURN minqing.outbox_enqueue(c.district_id, c.origin_path, phone, c.submitter_name,
		minqing.render_template('case_resolved_sms', jsonb_build_object(
			'case_no', c.case_no, 'title', c.title,
			-- the template ends the result with its own full stop
			'result', rtrim(btrim(c.result), '。.！!；;，, '), 'unit', unit_name)),
		format('case:%s:result:%s', c.case_id, p_event), c.case_id, p_event);
END
$$;
REVOKE ALL ON FUNCTION minqing.case_message_result(minqing.cases, bigint) FROM PUBLIC;

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
COMMENT ON FUNCTION minqing.case_duplicates(text, text, timestamptz) IS
	'Possible duplicates (same phone, similar content, last 30 days) among the cases the caller can see.';
REVOKE ALL ON FUNCTION minqing.case_duplicates(text, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_duplicates(text, text, timestamptz) TO mq_officer, mq_handler, mq_admin;

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
	        -- the district's year (a case of New Year's Eve 20:00 UTC is next
	        -- year's in Shanghai); at least six digits: lpad alone would cut a seventh
	        format('%s-%s-%s', root, to_char(minqing.district_local_time(s.district_id, now()), 'YYYY'),
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
COMMENT ON FUNCTION minqing.case_intake IS
	'Record a case received at the caller''s unit; returns its number and possible duplicates.';
REVOKE ALL ON FUNCTION minqing.case_intake(minqing.case_channel, text, text, integer, text, text, bigint, bigint, boolean, minqing.urgency, boolean, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_intake(minqing.case_channel, text, text, integer, text, text, bigint, bigint, boolean, minqing.urgency, boolean, integer) TO mq_officer, mq_handler, mq_admin;

-- received -> resolved at once: an immediate matter settled on the spot.
CREATE OR REPLACE FUNCTION minqing.case_resolve_at_once(p_case bigint, p_result text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
	ev bigint;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	c := minqing.case_for(s, p_case, '{received}', 'resolved at once', 'origin');
	PERFORM minqing.require_text(p_result, 'result');
	UPDATE minqing.cases SET status = 'resolved', result = p_result, resolved_at = now(),
	       accepted_at = now(), started_at = now(), due_at = now(), commitment_kind = 'immediate',
	       handler_staff_id = s.staff_id
	 WHERE case_id = p_case RETURNING * INTO c;
	ev := minqing.case_log(c, 'resolve_at_once', 'received', p_result);
	PERFORM minqing.case_message_result(c, ev);
END
$$;
COMMENT ON FUNCTION minqing.case_resolve_at_once(bigint, text) IS
	'An immediate matter settled on the spot (received -> resolved), with its result and the result SMS.';
REVOKE ALL ON FUNCTION minqing.case_resolve_at_once(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_resolve_at_once(bigint, text) TO mq_officer, mq_handler, mq_admin;

-- received -> accepted: triage takes the case on; the clock starts.
CREATE OR REPLACE FUNCTION minqing.case_accept(p_case bigint, p_note text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
BEGIN
	s := minqing.case_caller('{handler,admin}');
	c := minqing.case_for(s, p_case, '{received}', 'accepted', 'origin');
	UPDATE minqing.cases SET status = 'accepted', accepted_at = now(), handler_staff_id = s.staff_id
	 WHERE case_id = p_case RETURNING * INTO c;
	PERFORM minqing.case_log(c, 'accept', 'received', p_note);
END
$$;
COMMENT ON FUNCTION minqing.case_accept(bigint, text) IS
	'Triage takes a received case on (received -> accepted) at the unit where it was received or one above; '
	'the clock starts under the commitment of that level. Handlers and administrators.';
REVOKE ALL ON FUNCTION minqing.case_accept(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_accept(bigint, text) TO mq_handler, mq_admin;

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
COMMENT ON FUNCTION minqing.case_dispatch(bigint, text, name, boolean, minqing.warning_level, text) IS
	'Dispatch (or re-dispatch) a case to a village, town or department of its district, with a handler of '
	'that unit (the first one when none is named); the clock starts again at that unit''s level. A general '
	'case of a household gets its linked party member as proxy; a key case may start at orange or red.';
REVOKE ALL ON FUNCTION minqing.case_dispatch(bigint, text, name, boolean, minqing.warning_level, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_dispatch(bigint, text, name, boolean, minqing.warning_level, text) TO mq_handler, mq_admin;

-- The handler at the assigned unit: dispatched -> in progress, progress notes,
-- resolve, return, pause and resume, extension requests.
CREATE OR REPLACE FUNCTION minqing.case_start(p_case bigint, p_note text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
BEGIN
	s := minqing.case_caller('{handler,admin}');
	c := minqing.case_for(s, p_case, '{dispatched}', 'started', 'assigned');
	UPDATE minqing.cases SET status = 'in_progress', handler_staff_id = s.staff_id
	 WHERE case_id = p_case RETURNING * INTO c;
	PERFORM minqing.case_log(c, 'start', 'dispatched', p_note);
END
$$;
COMMENT ON FUNCTION minqing.case_start(bigint, text) IS
	'The handling unit starts a dispatched case (dispatched -> in_progress); the caller becomes its handler.';
REVOKE ALL ON FUNCTION minqing.case_start(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_start(bigint, text) TO mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.case_progress(p_case bigint, p_note text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
BEGIN
	s := minqing.case_caller('{handler,admin,officer}');
	c := minqing.case_for(s, p_case, '{dispatched,in_progress,waiting}', 'noted', 'either');
	PERFORM minqing.require_text(p_note, 'note');
	PERFORM minqing.case_log(c, 'progress', c.status, p_note);
END
$$;
COMMENT ON FUNCTION minqing.case_progress(bigint, text) IS
	'A progress note on an open case, by the unit that received it or the one handling it.';
REVOKE ALL ON FUNCTION minqing.case_progress(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_progress(bigint, text) TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.case_resolve(p_case bigint, p_result text, p_overdue_reason text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
	ev bigint;
BEGIN
	s := minqing.case_caller('{handler,admin}');
	c := minqing.case_for(s, p_case, '{in_progress}', 'resolved', 'assigned');
	PERFORM minqing.require_text(p_result, 'result');
	-- Service commitment: what misses its deadline gets an explanation.
	IF now() > c.due_at AND coalesce(p_overdue_reason, '') = '' THEN
		RAISE EXCEPTION 'case % is past its deadline: state the reason', c.case_no
			USING ERRCODE = 'not_null_violation', COLUMN = 'overdue_reason';
	END IF;
	UPDATE minqing.cases SET status = 'resolved', result = p_result, resolved_at = now(),
	       overdue_reason = p_overdue_reason
	 WHERE case_id = p_case RETURNING * INTO c;
	ev := minqing.case_log(c, 'resolve', 'in_progress', p_result);
	PERFORM minqing.case_message_result(c, ev);
END
$$;
COMMENT ON FUNCTION minqing.case_resolve(bigint, text, text) IS
	'The handling unit resolves a case with its result (in_progress -> resolved); past the deadline a reason '
	'is required. The result SMS to the resident is queued in the same transaction.';
REVOKE ALL ON FUNCTION minqing.case_resolve(bigint, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_resolve(bigint, text, text) TO mq_handler, mq_admin;

-- resolved -> reported: the officer has told the resident.
CREATE OR REPLACE FUNCTION minqing.case_report_back(p_case bigint, p_note text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	c := minqing.case_for(s, p_case, '{resolved}', 'reported back', 'origin');
	UPDATE minqing.cases SET status = 'reported', reported_at = now() WHERE case_id = p_case RETURNING * INTO c;
	PERFORM minqing.case_log(c, 'report_back', 'resolved', p_note);
END
$$;
COMMENT ON FUNCTION minqing.case_report_back(bigint, text) IS
	'The unit that received the case has told the resident the result (resolved -> reported).';
REVOKE ALL ON FUNCTION minqing.case_report_back(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_report_back(bigint, text) TO mq_officer, mq_handler, mq_admin;

-- reported -> closed with the resident's satisfaction; not satisfied reopens
-- the case at the unit that handled it.
CREATE OR REPLACE FUNCTION minqing.case_close(p_case bigint, p_satisfaction minqing.satisfaction,
                                   p_note text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	c := minqing.case_for(s, p_case, '{reported}', 'closed', 'origin');
	IF p_satisfaction = 'not_satisfied' THEN
		IF coalesce(p_note, '') = '' THEN
			RAISE EXCEPTION 'say why the resident is not satisfied'
				USING ERRCODE = 'not_null_violation', COLUMN = 'note';
		END IF;
		UPDATE minqing.cases SET status = CASE WHEN assigned_unit_id IS NULL THEN 'accepted'::minqing.case_status
		                                       ELSE 'dispatched' END,
		       satisfaction = p_satisfaction, resolved_at = NULL, reported_at = NULL,
		       -- the first result stays on the timeline, not on the case (nor
		       -- in the publication) while it is handled again
		       result = NULL, overdue_reason = NULL,
		       -- a new round: the clock starts again under the commitment
		       warning_level = 'none'
		 WHERE case_id = p_case RETURNING * INTO c;
		PERFORM minqing.case_log(c, 'reopen', 'reported', p_note,
		                         jsonb_build_object('satisfaction', p_satisfaction));
		RETURN;
	END IF;
	UPDATE minqing.cases SET status = 'closed', closed_at = now(), satisfaction = p_satisfaction
	 WHERE case_id = p_case RETURNING * INTO c;
	PERFORM minqing.case_log(c, 'close', 'reported', p_note, jsonb_build_object('satisfaction', p_satisfaction));
END
$$;
COMMENT ON FUNCTION minqing.case_close(bigint, minqing.satisfaction, text) IS
	'Close a reported case with the resident''s satisfaction; not satisfied (with a note) reopens it at the '
	'unit that handled it, the clock starting again.';
REVOKE ALL ON FUNCTION minqing.case_close(bigint, minqing.satisfaction, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_close(bigint, minqing.satisfaction, text) TO mq_officer, mq_handler, mq_admin;

-- dispatched | in_progress -> accepted: wrong unit, back to triage.
CREATE OR REPLACE FUNCTION minqing.case_return(p_case bigint, p_reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
	from_status minqing.case_status;
	from_unit text;
BEGIN
	s := minqing.case_caller('{handler,admin}');
	c := minqing.case_for(s, p_case, '{dispatched,in_progress}', 'returned', 'assigned');
	from_status := c.status;
	PERFORM minqing.require_text(p_reason, 'reason');
	from_unit := c.assigned_path::text;
	PERFORM minqing.case_unassign(p_case);
	c.status := 'accepted';
	c.assigned_unit_id := NULL;
	c.assigned_path := NULL;
	PERFORM minqing.case_log(c, 'return', from_status, p_reason, jsonb_build_object('from_unit', from_unit));
END
$$;
COMMENT ON FUNCTION minqing.case_return(bigint, text) IS
	'The handling unit returns a case that is not theirs to triage (dispatched | in_progress -> accepted), '
	'with the reason.';
REVOKE ALL ON FUNCTION minqing.case_return(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_return(bigint, text) TO mq_handler, mq_admin;

-- Back to triage: the one change after which the caller (the unit that
-- had the case) may no longer see it. An UPDATE with a WHERE clause must leave
-- a row its caller can still SELECT, so under FORCE RLS the owner cannot do
-- it for them; this function's owner, mq_case_mover, bypasses RLS and may
-- only clear the assignment (column grants), and only case_return calls it.
-- Owned by mq_case_mover (docs/security.md): replaced by the superuser, which keeps the owner.
RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.case_unassign(p_case bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	UPDATE minqing.cases SET status = 'accepted', assigned_unit_id = NULL, assigned_path = NULL,
	       handler_staff_id = NULL, proxy_resident_id = NULL
	 WHERE case_id = p_case AND status IN ('dispatched', 'in_progress')
$$;
ALTER FUNCTION minqing.case_unassign(bigint) OWNER TO mq_case_mover;
REVOKE ALL ON FUNCTION minqing.case_unassign(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_unassign(bigint) TO mq_owner;
SET LOCAL ROLE mq_owner;

-- in_progress -> waiting (the clock stops), and back.
CREATE OR REPLACE FUNCTION minqing.case_pause(p_case bigint, p_reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
BEGIN
	s := minqing.case_caller('{handler,admin}');
	c := minqing.case_for(s, p_case, '{in_progress}', 'paused', 'assigned');
	PERFORM minqing.require_text(p_reason, 'reason');
	UPDATE minqing.cases SET status = 'waiting', paused_at = now(), pause_reason = p_reason
	 WHERE case_id = p_case RETURNING * INTO c;
	PERFORM minqing.case_log(c, 'pause', 'in_progress', p_reason);
END
$$;
COMMENT ON FUNCTION minqing.case_pause(bigint, text) IS
	'Stop the clock while waiting on the resident (in_progress -> waiting), with the reason.';
REVOKE ALL ON FUNCTION minqing.case_pause(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_pause(bigint, text) TO mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.case_resume(p_case bigint, p_note text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
	paused numeric;
BEGIN
	s := minqing.case_caller('{handler,admin}');
	c := minqing.case_for(s, p_case, '{waiting}', 'resumed', 'assigned');
	-- The deadline moves by the working time spent waiting on the resident.
	paused := minqing.working_seconds_between(c.district_id, c.paused_at, now());
	UPDATE minqing.cases SET status = 'in_progress', paused_at = NULL, pause_reason = NULL,
	       due_at = minqing.add_working_hours(c.district_id, c.due_at, paused / 3600.0)
	 WHERE case_id = p_case RETURNING * INTO c;
	PERFORM minqing.case_log(c, 'resume', 'waiting', p_note,
	                         jsonb_build_object('paused_working_seconds', paused, 'due_at', c.due_at));
END
$$;
COMMENT ON FUNCTION minqing.case_resume(bigint, text) IS
	'Start the clock again (waiting -> in_progress): the deadline moves by the working time spent waiting.';
REVOKE ALL ON FUNCTION minqing.case_resume(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_resume(bigint, text) TO mq_handler, mq_admin;

-- Any open state -> withdrawn, at the resident's request.
CREATE OR REPLACE FUNCTION minqing.case_withdraw(p_case bigint, p_reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
	from_status minqing.case_status;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	c := minqing.case_for(s, p_case, '{received,accepted,dispatched,in_progress,waiting}', 'withdrawn', 'origin');
	from_status := c.status;
	PERFORM minqing.require_text(p_reason, 'reason');
	UPDATE minqing.cases SET status = 'withdrawn', closed_at = now() WHERE case_id = p_case RETURNING * INTO c;
	PERFORM minqing.case_log(c, 'withdraw', from_status, p_reason);
END
$$;
COMMENT ON FUNCTION minqing.case_withdraw(bigint, text) IS
	'Withdraw an open case at the resident''s request, by the unit that received it, with the reason.';
REVOKE ALL ON FUNCTION minqing.case_withdraw(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_withdraw(bigint, text) TO mq_officer, mq_handler, mq_admin;

-- Extension: asked by the assigned handler, decided one level up (a handler
-- or administrator whose unit strictly contains the assigned unit).
CREATE OR REPLACE FUNCTION minqing.case_request_extension(p_case bigint, p_working_days integer, p_reason text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
	id bigint;
BEGIN
	s := minqing.case_caller('{handler,admin}');
	c := minqing.case_for(s, p_case, '{dispatched,in_progress}', 'extended', 'assigned');
	PERFORM minqing.require_text(p_reason, 'reason');
	IF EXISTS (SELECT 1 FROM minqing.case_extension WHERE case_id = p_case AND decision IS NULL) THEN
		RAISE EXCEPTION 'an extension of case % is already waiting for a decision', c.case_no
			USING ERRCODE = 'unique_violation';
	END IF;
	INSERT INTO minqing.case_extension (case_id, district_id, reason, working_days)
	VALUES (p_case, c.district_id, p_reason, p_working_days) RETURNING extension_id INTO id;
	PERFORM minqing.case_log(c, 'extension_requested', c.status, p_reason,
	                         jsonb_build_object('extension_id', id, 'working_days', p_working_days));
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.case_request_extension(bigint, integer, text) IS
	'The handling unit asks for more working days, with the reason; decided one level above it. '
	'Returns the extension id.';
REVOKE ALL ON FUNCTION minqing.case_request_extension(bigint, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_request_extension(bigint, integer, text) TO mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.case_decide_extension(p_extension bigint, p_approve boolean, p_note text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
	x minqing.case_extension;
BEGIN
	s := minqing.case_caller('{handler,admin}');
	SELECT * INTO x FROM minqing.case_extension WHERE extension_id = p_extension FOR UPDATE;
	IF NOT FOUND OR x.decision IS NOT NULL THEN
		RAISE EXCEPTION 'no pending extension %', p_extension USING ERRCODE = 'no_data_found';
	END IF;
	c := minqing.case_for(s, x.case_id, '{dispatched,in_progress,waiting}', 'extended', 'any');
	IF NOT (c.assigned_path <@ s.path AND c.assigned_path <> s.path) THEN
		RAISE EXCEPTION 'an extension is decided one level above the unit handling the case'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	UPDATE minqing.case_extension SET decision = CASE WHEN p_approve THEN 'approved' ELSE 'refused' END,
	       decided_by = session_user, decided_at = now(), decision_note = p_note
	 WHERE extension_id = p_extension;
	IF p_approve THEN
		UPDATE minqing.cases SET due_at = minqing.add_working_days(c.district_id, c.due_at, x.working_days),
		       -- a new deadline: warnings of the old one no longer hold
		       warning_level = CASE WHEN is_key THEN warning_level ELSE 'none' END, reminded_at = NULL
		 WHERE case_id = c.case_id RETURNING * INTO c;
	END IF;
	PERFORM minqing.case_log(c, CASE WHEN p_approve THEN 'extension_approved' ELSE 'extension_refused' END,
	                         c.status, p_note, jsonb_build_object('extension_id', p_extension, 'due_at', c.due_at));
END
$$;
COMMENT ON FUNCTION minqing.case_decide_extension(bigint, boolean, text) IS
	'Approve (the deadline moves by the days asked; warnings of the old deadline lapse) or refuse an '
	'extension, by a handler or administrator of a unit strictly above the handling unit.';
REVOKE ALL ON FUNCTION minqing.case_decide_extension(bigint, boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_decide_extension(bigint, boolean, text) TO mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.case_urge(p_case bigint, p_note text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	-- The body is case_urge_many()'s too (schema/functions/74_urging.sql):
	-- the urge on the timeline, then the SMS to the handler with the
	-- deadline on the district's clock, once per case and district day.
	PERFORM minqing.case_urge_notify(ARRAY[minqing.case_urge_one(
		minqing.case_caller('{handler,admin,supervisor,officer}'), p_case, p_note)]);
END
$$;
COMMENT ON FUNCTION minqing.case_urge(bigint, text) IS
	'催办: urge an open case; an event on its timeline, and an SMS to its handler at most once a day.';
REVOKE ALL ON FUNCTION minqing.case_urge(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_urge(bigint, text) TO mq_officer, mq_handler, mq_admin, mq_supervisor;

-- A message template filled in SQL (inlined, cheap for thousands of rows):
-- the escalation placeholders, and any other {name} left empty, as
-- render_template() does.
CREATE OR REPLACE FUNCTION minqing.fill_escalation_template(p_body text, p_case_no text, p_title text,
                                                 p_unit text, p_handler text, p_deadline text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN regexp_replace(
	replace(replace(replace(replace(replace(p_body, '{case_no}', coalesce(p_case_no, '')),
	        '{title}', coalesce(p_title, '')), '{unit}', coalesce(p_unit, '')),
	        '{handler}', coalesce(p_handler, '')), '{deadline}', coalesce(p_deadline, '')),
	'\{[A-Za-z_][A-Za-z0-9_]*\}', '', 'g');
REVOKE ALL ON FUNCTION minqing.fill_escalation_template(text, text, text, text, text, text) FROM PUBLIC;

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
CREATE OR REPLACE FUNCTION minqing.escalation_pass(p_now timestamptz DEFAULT now())
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
		       minqing.escalation_remind_due(c.warning_level, c.reminded_at, c.remind_at, c.due_at, p_now) AS remind,
		       minqing.escalation_level(c.warning_level, c.yellow_at, c.orange_at, c.red_at, p_now) AS new_level
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
	 CROSS JOIN LATERAL minqing.escalation_steps(d.remind, d.old_level, d.new_level) st;

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
			SELECT DISTINCT u.path FROM unnest(minqing.escalation_told_paths(e.step, e.path)) AS u(path)) tp
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
	       -- (the pass is its transaction: now() is when it began)
	       last_duration_ms = (extract(epoch FROM clock_timestamp() - now()) * 1000)::integer,
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

-- Owned by mq_publisher (docs/security.md): replaced by the superuser, which keeps the owner.
RESET ROLE;
CREATE OR REPLACE VIEW minqing.case_publication AS
SELECT c.case_no, c.district_id, c.title, cat.name AS category, cat.centre, c.channel,
       c.status, minqing.district_local_time(c.district_id, c.created_at)::date AS received_on, c.due_at, c.resolved_at, c.result,
       c.warning_level, u.name AS handling_unit,
       CASE WHEN c.anonymous THEN '匿名' ELSE minqing.mask_name(c.submitter_name) END AS submitter,
       minqing.mask_phone(c.submitter_phone) AS phone
  FROM minqing.cases c
  JOIN minqing.case_category cat ON cat.category_id = c.category_id
  LEFT JOIN minqing.org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)
 WHERE c.status <> 'withdrawn';
ALTER VIEW minqing.case_publication OWNER TO mq_publisher;
COMMENT ON VIEW minqing.case_publication IS
	'Progress and results for the public: names and phones masked, no address, no content. '
	'Owner-rights view: the kiosk reads it without any right on cases.';
GRANT SELECT ON minqing.case_publication TO mq_kiosk, mq_staff;
SET LOCAL ROLE mq_owner;

-- A resident checks their case by number and the last four digits of the
-- phone given when it was recorded.
-- Owned by mq_publisher (docs/security.md): replaced by the superuser, which keeps the owner.
RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.case_lookup(p_case_no text, p_phone_tail text)
RETURNS SETOF minqing.case_publication
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	SELECT p.* FROM minqing.case_publication p
	  JOIN minqing.cases c ON c.case_no = p.case_no
	 WHERE p.case_no = upper(trim(p_case_no)) AND p_phone_tail ~ '^[0-9]{4}$'
	   AND right(c.submitter_phone, 4) = p_phone_tail
$$;
ALTER FUNCTION minqing.case_lookup(text, text) OWNER TO mq_publisher;
COMMENT ON FUNCTION minqing.case_lookup(text, text) IS
	'A resident looks a case up by its number and the last four digits of the phone given: the published, '
	'masked row, or nothing.';
REVOKE ALL ON FUNCTION minqing.case_lookup(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_lookup(text, text) TO mq_kiosk, mq_staff;
SET LOCAL ROLE mq_owner;

CREATE OR REPLACE FUNCTION minqing.case_stats(p_unit_code text DEFAULT NULL, p_from date DEFAULT NULL,
                                   p_to date DEFAULT NULL, p_now timestamptz DEFAULT now())
RETURNS TABLE (name text, value text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	scope ext.ltree;
	dist smallint;
	tz text;
	t0 timestamptz;
	t1 timestamptz;
	r record;
	m record;
BEGIN
	dist := minqing.my_district();
	IF p_unit_code IS NOT NULL THEN
		SELECT path, district_id INTO scope, dist FROM minqing.org_unit WHERE code = p_unit_code;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'no unit with code %', p_unit_code USING ERRCODE = 'no_data_found';
		END IF;
	END IF;
	-- The days of the period are the district's (the unit's, else the
	-- caller's), whatever the session's TimeZone.
	tz := (minqing.calendar_setting(dist)).time_zone;
	t0 := coalesce(p_from, '2000-01-01')::timestamp AT TIME ZONE tz;
	t1 := (coalesce(p_to, '2999-12-31') + 1)::timestamp AT TIME ZONE tz;
	SELECT count(*) AS recorded,
	       count(*) FILTER (WHERE c.resolved_at IS NOT NULL) AS resolved,
	       count(*) FILTER (WHERE c.resolved_at IS NOT NULL AND c.resolved_at <= c.due_at) AS on_time,
	       count(*) FILTER (WHERE c.status IN ('received', 'accepted', 'dispatched', 'in_progress',
	                                           'waiting')) AS open,
	       -- waiting cases have their clock stopped: not overdue
	       count(*) FILTER (WHERE c.status IN ('accepted', 'dispatched', 'in_progress')
	                          AND c.due_at < p_now) AS overdue,
	       count(*) FILTER (WHERE c.status IN ('accepted', 'dispatched', 'in_progress', 'waiting')
	                          AND c.warning_level = 'yellow') AS yellow,
	       count(*) FILTER (WHERE c.status IN ('accepted', 'dispatched', 'in_progress', 'waiting')
	                          AND c.warning_level = 'orange') AS orange,
	       count(*) FILTER (WHERE c.status IN ('accepted', 'dispatched', 'in_progress', 'waiting')
	                          AND c.warning_level = 'red') AS red
	  INTO r
	  FROM minqing.cases c
	 WHERE c.created_at >= t0 AND c.created_at < t1
	   AND (scope IS NULL OR c.origin_path <@ scope OR c.assigned_path <@ scope);
	SELECT count(*) FILTER (WHERE o.status IN ('queued', 'failed')) AS queued,
	       count(*) FILTER (WHERE o.status = 'sent') AS sent,
	       count(*) FILTER (WHERE o.status = 'dead') AS dead
	  INTO m
	  FROM minqing.outbox o
	 WHERE o.created_at >= t0 AND o.created_at < t1 AND (scope IS NULL OR o.path <@ scope);
	RETURN QUERY VALUES
		('cases recorded', r.recorded::text),
		('cases resolved', r.resolved::text),
		('resolution rate', CASE WHEN r.recorded = 0 THEN 'n/a'
		                         ELSE round(100.0 * r.resolved / r.recorded, 1) || '%' END),
		('on-time rate', CASE WHEN r.resolved = 0 THEN 'n/a'
		                      ELSE round(100.0 * r.on_time / r.resolved, 1) || '%' END),
		('cases open', r.open::text),
		('cases overdue', r.overdue::text),
		('warnings yellow', r.yellow::text),
		('warnings orange', r.orange::text),
		('warnings red', r.red::text),
		('messages queued', m.queued::text),
		('messages sent', m.sent::text),
		('messages dead', m.dead::text);
END
$$;
COMMENT ON FUNCTION minqing.case_stats(text, date, date, timestamptz) IS
	'The summary figures of minqing-admin stats, for the caller''s jurisdiction.';
REVOKE ALL ON FUNCTION minqing.case_stats(text, date, date, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_stats(text, date, date, timestamptz) TO mq_staff;

-- AFTER INSERT / AFTER UPDATE, per statement: the rows whose next escalation
-- time appeared, moved or went away. SECURITY DEFINER: the updates of
-- mq_case_mover (case_unassign) keep the queue too, without a grant on it.
CREATE OR REPLACE FUNCTION minqing.case_due_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO minqing.case_due (case_id, due_at)
		SELECT n.case_id, n.next_escalation_at FROM new_rows n WHERE n.next_escalation_at IS NOT NULL;
		RETURN NULL;
	END IF;
	DELETE FROM minqing.case_due q
	 USING new_rows n JOIN old_rows o ON o.case_id = n.case_id
	 WHERE q.case_id = n.case_id AND n.next_escalation_at IS NULL AND o.next_escalation_at IS NOT NULL;
	INSERT INTO minqing.case_due AS q (case_id, due_at)
	SELECT n.case_id, n.next_escalation_at
	  FROM new_rows n JOIN old_rows o ON o.case_id = n.case_id
	 WHERE n.next_escalation_at IS NOT NULL
	   AND n.next_escalation_at IS DISTINCT FROM o.next_escalation_at
	ON CONFLICT (case_id) DO UPDATE SET due_at = excluded.due_at;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION minqing.case_due_sync() FROM PUBLIC;

-- The four times of the schedule in one call: the rules read once, the
-- working time from start to deadline computed once. The same values as
-- escalation_due_at() step by step (tests/sql/40_calendar.sql compares them).
CREATE OR REPLACE FUNCTION minqing.case_schedule(p_district smallint, p_start timestamptz, p_deadline timestamptz,
                                      OUT remind_at timestamptz, OUT yellow_at timestamptz,
                                      OUT orange_at timestamptz, OUT red_at timestamptz)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	r record;
	w numeric;
	day_secs numeric;
	t timestamptz;
BEGIN
	IF p_deadline IS NULL THEN
		RETURN;
	END IF;
	FOR r IN SELECT e.step, e.basis, e.value FROM minqing.escalation_rule e
	          WHERE e.district_id = p_district LOOP
		IF r.basis = 'elapsed_fraction' THEN
			IF p_start IS NULL OR p_start >= p_deadline OR r.value >= 1 THEN
				t := p_deadline;
			ELSE
				w := coalesce(w, minqing.working_seconds_between(p_district, p_start, p_deadline));
				t := least(minqing.add_working_hours(p_district, p_start, r.value * w / 3600), p_deadline);
			END IF;
		ELSIF r.value = 0 THEN
			t := p_deadline;
		ELSE
			IF day_secs IS NULL THEN
				SELECT extract(epoch FROM s.day_end - s.day_start) INTO day_secs
				  FROM minqing.calendar_setting(p_district) s;
			END IF;
			t := minqing.add_working_hours(p_district, p_deadline, r.value * day_secs / 3600);
		END IF;
		CASE r.step
			WHEN 'reminder' THEN remind_at := t;
			WHEN 'yellow' THEN yellow_at := t;
			WHEN 'orange' THEN orange_at := t;
			ELSE red_at := t;
		END CASE;
	END LOOP;
END
$$;
COMMENT ON FUNCTION minqing.case_schedule(smallint, timestamptz, timestamptz) IS
	'The escalation schedule of a case started at p_start with deadline p_deadline: what '
	'escalation_due_at() gives for reminder, yellow, orange and red, in one call.';
REVOKE ALL ON FUNCTION minqing.case_schedule(smallint, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_schedule(smallint, timestamptz, timestamptz) TO mq_staff, mq_system;

RESET ROLE;
