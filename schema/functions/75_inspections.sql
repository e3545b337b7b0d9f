-- schema/functions/75_inspections.sql: inspections (督查), their findings
-- tracked to rectification (整改) through the cases' escalation rules, and
-- circulars (情况通报) published on the bulletin board (docs/inspections.md).
--
-- The schedule of a finding is case_schedule() over the district's
-- escalation_rule rows (the same function the cases' bookkeeping calls);
-- its steps are raised by finding_escalation_pass(), which minqing-escalate
-- runs after each escalation pass. Writes are SECURITY DEFINER functions
-- that check the caller's duty and jurisdiction (FORCE row-level security
-- binds them to the caller's scope as well) and the row version the caller
-- saw (40001); reads are SECURITY INVOKER: row-level security decides.
--
-- The current definition of these functions, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` whenever the
-- function files change (docs/development.md). Change a function here.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Words
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.inspection_word(p_value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE p_value
	WHEN 'scheduled' THEN '定期督查' WHEN 'unannounced' THEN '暗访'
	WHEN 'excellent' THEN '优秀' WHEN 'good' THEN '良好' WHEN 'fair' THEN '一般' WHEN 'poor' THEN '较差'
	WHEN 'noted' THEN '无需整改' WHEN 'rectifying' THEN '整改中' WHEN 'rectified' THEN '已整改待验收'
	WHEN 'accepted' THEN '已验收'
	WHEN 'yellow' THEN '黄色预警' WHEN 'orange' THEN '橙色预警' WHEN 'red' THEN '红色预警'
	WHEN 'recorded' THEN '督查录入' WHEN 'reminder' THEN '到期提醒' WHEN 'warning' THEN '预警'
	WHEN 'reopened' THEN '重新整改'
	ELSE p_value END;
COMMENT ON FUNCTION minqing.inspection_word(text) IS
	'The Chinese word of an inspection''s kind or rating, a finding''s status or warning, or a timeline '
	'event''s kind (scheduled 定期督查, unannounced 暗访, rectifying 整改中, ...), for texts made in SQL.';
REVOKE ALL ON FUNCTION minqing.inspection_word(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.inspection_word(text) TO mq_staff, mq_system;

------------------------------------------------------------------------------
-- The finding's schedule and its next step
------------------------------------------------------------------------------
-- The time of a finding's next escalation step by the cases' rule
-- (escalation_next, 40_cases.sql); none unless it is being rectified.
CREATE OR REPLACE FUNCTION minqing.finding_next_escalation(f minqing.inspection_finding) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN f.status = 'rectifying'
	            THEN minqing.escalation_next(f.warning_level, f.reminded_at, f.started_at, f.due_at, f.remind_at,
	                                         f.yellow_at, f.orange_at, f.red_at) END
$$;
COMMENT ON FUNCTION minqing.finding_next_escalation(minqing.inspection_finding) IS
	'When the escalation pass must next look at a finding: its reminder, then the warning above the '
	'current one; NULL unless it is being rectified (the rule case_next_escalation() applies to cases).';
REVOKE ALL ON FUNCTION minqing.finding_next_escalation(minqing.inspection_finding) FROM PUBLIC;

-- BEFORE INSERT OR UPDATE: the schedule from the district's escalation
-- rules whenever the deadline or its start moves (case_schedule(), the
-- cases' own function: the same rule rows, the same working calendar),
-- and the next step.
CREATE OR REPLACE FUNCTION minqing.finding_bookkeeping() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	-- (No deadline: case_schedule() gives four NULLs.)
	IF TG_OP = 'INSERT' OR NEW.due_at IS DISTINCT FROM OLD.due_at OR NEW.started_at IS DISTINCT FROM OLD.started_at THEN
		SELECT s.remind_at, s.yellow_at, s.orange_at, s.red_at
		  INTO NEW.remind_at, NEW.yellow_at, NEW.orange_at, NEW.red_at
		  FROM minqing.case_schedule(NEW.district_id, NEW.started_at, NEW.due_at) s;
	END IF;
	NEW.next_escalation_at := minqing.finding_next_escalation(NEW);
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION minqing.finding_bookkeeping() IS
	'Trigger on inspection_finding: reminder, yellow, orange and red times from case_schedule() when the '
	'deadline or its start changes; next_escalation_at from finding_next_escalation().';
REVOKE ALL ON FUNCTION minqing.finding_bookkeeping() FROM PUBLIC;

------------------------------------------------------------------------------
-- The rows to change, locked and checked
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.inspection_for(s minqing.staff, p_inspection bigint) RETURNS minqing.inspection
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	i minqing.inspection;
BEGIN
	SELECT * INTO i FROM minqing.inspection x WHERE x.inspection_id = p_inspection FOR UPDATE;
	IF NOT FOUND OR NOT minqing.staff_covers(s, i.path) THEN
		RAISE EXCEPTION 'inspection % not found', coalesce(p_inspection::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = 'inspection';
	END IF;
	RETURN i;
END
$$;
COMMENT ON FUNCTION minqing.inspection_for(minqing.staff, bigint) IS
	'An inspection locked for a change by staff member s: raises unless it is in their jurisdiction.';
REVOKE ALL ON FUNCTION minqing.inspection_for(minqing.staff, bigint) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.finding_for(s minqing.staff, p_finding bigint, p_row_version integer,
                                               p_status text) RETURNS minqing.inspection_finding
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	f minqing.inspection_finding;
BEGIN
	SELECT * INTO f FROM minqing.inspection_finding x WHERE x.finding_id = p_finding FOR UPDATE;
	IF NOT FOUND OR NOT minqing.staff_covers(s, f.path) THEN
		RAISE EXCEPTION 'finding % not found', coalesce(p_finding::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = 'finding';
	END IF;
	IF p_row_version IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'row_version'
			USING ERRCODE = 'not_null_violation', COLUMN = 'row_version';
	END IF;
	IF p_row_version <> f.row_version THEN
		RAISE EXCEPTION 'finding % was changed by someone else since you opened it', f.finding_no
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('version %s when opened, %s now', p_row_version, f.row_version),
			      HINT = 'reload it and try again';
	END IF;
	IF f.status <> p_status AND p_status = 'rectifying' THEN
		RAISE EXCEPTION 'finding % is not being rectified', f.finding_no
			USING ERRCODE = 'invalid_transaction_state';
	ELSIF f.status <> p_status THEN
		RAISE EXCEPTION 'finding % has no rectification waiting for acceptance', f.finding_no
			USING ERRCODE = 'invalid_transaction_state';
	END IF;
	RETURN f;
END
$$;
COMMENT ON FUNCTION minqing.finding_for(minqing.staff, bigint, integer, text) IS
	'A finding locked for a step by staff member s: raises unless it is in their jurisdiction, at row '
	'version p_row_version (40001) and in status p_status (25000).';
REVOKE ALL ON FUNCTION minqing.finding_for(minqing.staff, bigint, integer, text) FROM PUBLIC;

-- The deadline of a rectification: p_deadline, or p_working_days working
-- days from now (the working calendar of the district); in the future.
CREATE OR REPLACE FUNCTION minqing.finding_deadline(p_district smallint, p_working_days integer,
                                                    p_deadline timestamptz) RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	d timestamptz;
BEGIN
	IF p_deadline IS NULL AND p_working_days IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'working_days'
			USING ERRCODE = 'not_null_violation', COLUMN = 'working_days';
	END IF;
	IF p_deadline IS NULL AND p_working_days NOT BETWEEN 1 AND 90 THEN
		RAISE EXCEPTION 'the rectification period must be 1 to 90 working days, not %', p_working_days
			USING ERRCODE = 'check_violation', COLUMN = 'working_days';
	END IF;
	d := coalesce(p_deadline, minqing.add_working_days(p_district, now(), p_working_days));
	IF d <= now() OR d > now() + interval '1 year' THEN
		RAISE EXCEPTION 'the rectification deadline must be in the future and within a year'
			USING ERRCODE = 'check_violation', COLUMN = 'deadline';
	END IF;
	RETURN d;
END
$$;
COMMENT ON FUNCTION minqing.finding_deadline(smallint, integer, timestamptz) IS
	'A rectification deadline: p_deadline, or the end of office hours p_working_days (1-90) working days '
	'from now; raises unless it is in the future and within a year.';
REVOKE ALL ON FUNCTION minqing.finding_deadline(smallint, integer, timestamptz) FROM PUBLIC;

-- The owner unit's handlers told of a rectification asked (a finding
-- recorded or reopened): an SMS each through the outbox, once per finding,
-- round and person.
CREATE OR REPLACE FUNCTION minqing.finding_tell_owner(f minqing.inspection_finding) RETURNS void
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	h record;
BEGIN
	FOR h IN SELECT r.staff_id, r.phone, r.display_name, u.name AS unit_name
	           FROM minqing.staff r JOIN minqing.org_unit u ON u.unit_id = f.owner_unit_id
	          WHERE r.unit_id = f.owner_unit_id AND r.duty = 'handler' AND r.active AND r.phone IS NOT NULL
	          ORDER BY r.staff_id LOOP
		PERFORM minqing.outbox_enqueue(f.district_id, f.path, h.phone, h.display_name,
			minqing.render_template('finding_assigned', jsonb_build_object(
				'unit', h.unit_name, 'title', f.title, 'finding_no', f.finding_no,
				'deadline', to_char(minqing.district_local_time(f.district_id, f.due_at), 'FMMM月FMDD日 HH24:MI')),
				f.district_id),
			format('finding:%s:assigned:%s:%s', f.finding_id, f.reopened, h.staff_id));
	END LOOP;
END
$$;
COMMENT ON FUNCTION minqing.finding_tell_owner(minqing.inspection_finding) IS
	'Queue the SMS finding_assigned to each active handler of a finding''s owner unit (once per finding, '
	'round and person).';
REVOKE ALL ON FUNCTION minqing.finding_tell_owner(minqing.inspection_finding) FROM PUBLIC;

------------------------------------------------------------------------------
-- Inspections and findings: writes
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.inspection_record(p_unit_code text, p_kind text, p_team text, p_items text,
                                                     p_rating text, p_inspected_on date DEFAULT NULL,
                                                     p_summary text DEFAULT NULL, OUT inspection_id bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{supervisor}');
	u minqing.org_unit;
BEGIN
	IF p_unit_code IS NULL OR btrim(p_unit_code) = '' THEN
		RAISE EXCEPTION 'the % is required', 'unit' USING ERRCODE = 'not_null_violation', COLUMN = 'unit';
	END IF;
	u := minqing.unit_in_scope(s, p_unit_code);
	IF p_kind IS NULL OR p_kind NOT IN ('scheduled', 'unannounced') THEN
		RAISE EXCEPTION 'an inspection is scheduled or unannounced, not %', coalesce(p_kind, 'NULL')
			USING ERRCODE = 'check_violation', COLUMN = 'kind';
	END IF;
	IF p_rating IS NULL OR p_rating NOT IN ('excellent', 'good', 'fair', 'poor') THEN
		RAISE EXCEPTION 'the rating is excellent, good, fair or poor, not %', coalesce(p_rating, 'NULL')
			USING ERRCODE = 'check_violation', COLUMN = 'rating';
	END IF;
	IF p_inspected_on > minqing.district_local_time(u.district_id, now())::date
	   OR p_inspected_on < minqing.district_local_time(u.district_id, now())::date - 366 THEN
		RAISE EXCEPTION 'the day of the inspection must be within the last year, not in the future'
			USING ERRCODE = 'check_violation', COLUMN = 'inspected_on';
	END IF;
	PERFORM minqing.require_text(p_team, 'team');
	PERFORM minqing.require_text(p_items, 'items');
	INSERT INTO minqing.inspection (district_id, unit_id, path, kind, inspected_on, team, items, summary, rating,
	                                inspector_staff_id)
	VALUES (u.district_id, u.unit_id, u.path, p_kind,
	        coalesce(p_inspected_on, minqing.district_local_time(u.district_id, now())::date), btrim(p_team), btrim(p_items),
	        nullif(btrim(p_summary), ''), p_rating, s.staff_id);
	inspection_id := currval(pg_get_serial_sequence('minqing.inspection', 'inspection_id'));
END
$$;
COMMENT ON FUNCTION minqing.inspection_record(text, text, text, text, text, date, text) IS
	'督查: record an inspection of a unit of the caller''s jurisdiction: kind (scheduled, unannounced), day '
	'(within the last year; NULL: today), team, items checked, rating (excellent, good, fair, poor), summary. Supervisors. '
	'Returns its id; its findings are added with finding_add.';
REVOKE ALL ON FUNCTION minqing.inspection_record(text, text, text, text, text, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.inspection_record(text, text, text, text, text, date, text) TO mq_supervisor;

CREATE OR REPLACE FUNCTION minqing.finding_add(p_inspection bigint, p_title text, p_detail text DEFAULT NULL,
                                               p_needs_rectification boolean DEFAULT true,
                                               p_owner_unit_code text DEFAULT NULL,
                                               p_working_days integer DEFAULT NULL,
                                               p_deadline timestamptz DEFAULT NULL,
                                               OUT finding_id bigint, OUT finding_no text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{supervisor}');
	i minqing.inspection;
	u minqing.org_unit;
	f minqing.inspection_finding;
	id bigint;
	due timestamptz;
BEGIN
	i := minqing.inspection_for(s, p_inspection);
	IF p_owner_unit_code IS NULL OR btrim(p_owner_unit_code) = '' THEN
		SELECT * INTO u FROM minqing.org_unit x WHERE x.unit_id = i.unit_id;
	ELSE
		u := minqing.unit_in_scope(s, p_owner_unit_code);
	END IF;
	PERFORM minqing.require_text(p_title, 'title');
	IF coalesce(p_needs_rectification, true) THEN
		due := minqing.finding_deadline(i.district_id, p_working_days, p_deadline);
	END IF;
	id := nextval(pg_get_serial_sequence('minqing.inspection_finding', 'finding_id'));
	INSERT INTO minqing.inspection_finding (finding_id, finding_no, inspection_id, district_id, owner_unit_id, path,
	                                        title, detail, status, started_at, due_at)
	OVERRIDING SYSTEM VALUE
	VALUES (id, format('DC-%s-%s', to_char(minqing.district_local_time(i.district_id, now()), 'YYYY'),
	                   lpad(id::text, 6, '0')),
	        i.inspection_id, i.district_id, u.unit_id, u.path, btrim(p_title), nullif(btrim(p_detail), ''),
	        CASE WHEN due IS NULL THEN 'noted' ELSE 'rectifying' END,
	        CASE WHEN due IS NOT NULL THEN now() END, due);
	SELECT * INTO f FROM minqing.inspection_finding x WHERE x.finding_id = id;
	INSERT INTO minqing.finding_event (finding_id, district_id, path, kind, note, data)
	VALUES (id, f.district_id, f.path, 'recorded', f.title,
	        jsonb_build_object('due_at', f.due_at, 'owner', u.code, 'inspection', i.inspection_id));
	IF f.status = 'rectifying' THEN
		PERFORM minqing.finding_tell_owner(f);
	END IF;
	finding_id := id;
	finding_no := f.finding_no;
END
$$;
COMMENT ON FUNCTION minqing.finding_add(bigint, text, text, boolean, text, integer, timestamptz) IS
	'A finding of an inspection (supervisors of its jurisdiction): title, detail; when it needs rectification '
	'(the default) its owner unit (NULL: the unit inspected) and deadline (p_working_days 1-90 working days, or '
	'p_deadline), from which the escalation rules give its reminder and warnings; the owner''s handlers get '
	'an SMS. Returns its id and number (DC-YYYY-NNNNNN).';
REVOKE ALL ON FUNCTION minqing.finding_add(bigint, text, text, boolean, text, integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.finding_add(bigint, text, text, boolean, text, integer, timestamptz)
	TO mq_supervisor;

-- 整改: the owner unit's staff (or of a unit above it) record what was done
-- and the evidence; the clock stops, the supervisor accepts or reopens.
CREATE OR REPLACE FUNCTION minqing.finding_rectify(p_finding bigint, p_row_version integer, p_rectification text,
                                                   p_evidence text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{officer,handler,admin}');
	f minqing.inspection_finding := minqing.finding_for(s, p_finding, p_row_version, 'rectifying');
	v integer;
BEGIN
	PERFORM minqing.require_text(p_rectification, 'rectification');
	PERFORM minqing.require_text(p_evidence, 'evidence');
	UPDATE minqing.inspection_finding x
	   SET status = 'rectified', rectification = btrim(p_rectification), evidence = btrim(p_evidence),
	       rectified_at = now(), rectified_by = session_user
	 WHERE x.finding_id = f.finding_id;
	INSERT INTO minqing.finding_event (finding_id, district_id, path, kind, note, data)
	VALUES (f.finding_id, f.district_id, f.path, 'rectified', btrim(p_rectification),
	        jsonb_build_object('evidence', btrim(p_evidence), 'late', now() > f.due_at));
	SELECT x.row_version INTO v FROM minqing.inspection_finding x WHERE x.finding_id = f.finding_id;
	RETURN v;
END
$$;
COMMENT ON FUNCTION minqing.finding_rectify(bigint, integer, text, text) IS
	'整改: the owner unit''s officer, handler or administrator (or of a unit above it) records the '
	'rectification of a finding being rectified and its evidence (both required), at the row version read; '
	'its escalation stops until a supervisor reopens it. Returns the new row version.';
REVOKE ALL ON FUNCTION minqing.finding_rectify(bigint, integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.finding_rectify(bigint, integer, text, text) TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.finding_accept(p_finding bigint, p_row_version integer, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{supervisor}');
	f minqing.inspection_finding := minqing.finding_for(s, p_finding, p_row_version, 'rectified');
	v integer;
BEGIN
	UPDATE minqing.inspection_finding x SET status = 'accepted', accepted_at = now(), accepted_by = session_user
	 WHERE x.finding_id = f.finding_id;
	INSERT INTO minqing.finding_event (finding_id, district_id, path, kind, note)
	VALUES (f.finding_id, f.district_id, f.path, 'accepted', nullif(btrim(p_note), ''));
	SELECT x.row_version INTO v FROM minqing.inspection_finding x WHERE x.finding_id = f.finding_id;
	RETURN v;
END
$$;
COMMENT ON FUNCTION minqing.finding_accept(bigint, integer, text) IS
	'验收: a supervisor whose jurisdiction holds the owner unit accepts a rectified finding (closed), at the '
	'row version read, with an optional note. Returns the new row version.';
REVOKE ALL ON FUNCTION minqing.finding_accept(bigint, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.finding_accept(bigint, integer, text) TO mq_supervisor;

CREATE OR REPLACE FUNCTION minqing.finding_reopen(p_finding bigint, p_row_version integer, p_reason text,
                                                  p_working_days integer DEFAULT NULL,
                                                  p_deadline timestamptz DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{supervisor}');
	f minqing.inspection_finding := minqing.finding_for(s, p_finding, p_row_version, 'rectified');
	due timestamptz;
	v integer;
BEGIN
	PERFORM minqing.require_text(p_reason, 'reason');
	due := minqing.finding_deadline(f.district_id, p_working_days, p_deadline);
	-- A new round: the schedule from now to the new deadline (the trigger),
	-- no warning, no reminder yet.
	UPDATE minqing.inspection_finding x
	   SET status = 'rectifying', started_at = now(), due_at = due, warning_level = 'none', reminded_at = NULL,
	       reopened = x.reopened + 1
	 WHERE x.finding_id = f.finding_id;
	INSERT INTO minqing.finding_event (finding_id, district_id, path, kind, note, data)
	VALUES (f.finding_id, f.district_id, f.path, 'reopened', btrim(p_reason), jsonb_build_object('due_at', due));
	SELECT * INTO f FROM minqing.inspection_finding x WHERE x.finding_id = f.finding_id;
	PERFORM minqing.finding_tell_owner(f);
	RETURN f.row_version;
END
$$;
COMMENT ON FUNCTION minqing.finding_reopen(bigint, integer, text, integer, timestamptz) IS
	'重新整改: a supervisor whose jurisdiction holds the owner unit sends a rectified finding back with the '
	'reason and a new deadline (p_working_days 1-90, or p_deadline); its escalation starts again from none. '
	'Returns the new row version.';
REVOKE ALL ON FUNCTION minqing.finding_reopen(bigint, integer, text, integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.finding_reopen(bigint, integer, text, integer, timestamptz) TO mq_supervisor;

------------------------------------------------------------------------------
-- The findings' escalation pass (run by minqing-escalate after each pass of
-- the cases that ran)
------------------------------------------------------------------------------
-- The steps of the cases' pass on the findings being rectified, by the same
-- rules (escalation_remind_due, escalation_level, escalation_steps of
-- 40_cases.sql): the reminder, then yellow, orange and red at the times
-- case_schedule() gave
-- (finding_bookkeeping), an event per step on the finding's timeline, and
-- one SMS digest per step and recipient (templates finding_digest_*): the
-- owner unit's handlers for a reminder, escalation_told_paths()'s units'
-- handlers for a warning, and for red the district's supervisors and the
-- inspector. A finding another session holds is skipped (the next pass
-- takes it); two passes at once do each step once.
CREATE OR REPLACE FUNCTION minqing.finding_escalation_pass(p_now timestamptz DEFAULT now())
RETURNS TABLE (findings integer, reminders integer, yellow integer, orange integer, red integer, messages integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
BEGIN
	IF p_now IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'now' USING ERRCODE = 'not_null_violation';
	END IF;
	PERFORM set_config('lock_timeout', '10s', true);
	-- (One statement: the counts are what it did, whatever ran before in
	-- the transaction. The job's login sees every row it inserts.)
	RETURN QUERY
	WITH due AS (
		SELECT f.finding_id, f.district_id, f.finding_no, f.due_at, f.path, f.inspection_id,
		       f.warning_level AS old_level, f.reminded_at,
		       minqing.escalation_remind_due(f.warning_level, f.reminded_at, f.remind_at, f.due_at, p_now) AS remind,
		       minqing.escalation_level(f.warning_level, f.yellow_at, f.orange_at, f.red_at, p_now) AS new_level
		  FROM minqing.inspection_finding f
		 WHERE f.next_escalation_at <= p_now AND f.status = 'rectifying'
		 ORDER BY f.next_escalation_at, f.finding_id
		   FOR UPDATE OF f SKIP LOCKED
	), upd AS (
		UPDATE minqing.inspection_finding f
		   SET warning_level = d.new_level,
		       reminded_at = CASE WHEN d.remind OR d.new_level > 'none' THEN coalesce(d.reminded_at, p_now)
		                          ELSE d.reminded_at END
		  FROM due d
		 WHERE f.finding_id = d.finding_id
	), steps AS (
		SELECT d.*, st.step, st.ord
		  FROM due d
		 CROSS JOIN LATERAL minqing.escalation_steps(d.remind, d.old_level, d.new_level) st
	), ev AS (
		INSERT INTO minqing.finding_event (finding_id, district_id, path, at, kind, data)
		SELECT s.finding_id, s.district_id, s.path, now(), CASE s.step WHEN 'reminder' THEN 'reminder' ELSE 'warning' END,
		       jsonb_build_object('step', s.step, 'at', p_now)
		  FROM steps s ORDER BY s.finding_id, s.ord
		RETURNING finding_id, kind, data->>'step' AS step
	), rcp AS (
		SELECT s.*, r.staff_id AS r_id, r.phone AS r_phone, r.display_name AS r_name, r.unit_id AS r_unit
		  FROM steps s
		 CROSS JOIN LATERAL unnest(minqing.escalation_told_paths(s.step, s.path)) AS tp(path)
		  JOIN minqing.staff r ON r.path = tp.path
		 WHERE r.active AND r.phone IS NOT NULL
		   AND (r.duty = 'handler' OR (s.step = 'red' AND r.duty = 'supervisor'))
		UNION
		SELECT s.*, r.staff_id, r.phone, r.display_name, r.unit_id
		  FROM steps s
		  JOIN minqing.inspection i ON i.inspection_id = s.inspection_id
		  JOIN minqing.staff r ON r.staff_id = i.inspector_staff_id
		 WHERE s.step = 'red' AND r.active AND r.phone IS NOT NULL
	), digest AS (
		SELECT e.district_id, e.step, e.r_id, e.r_phone, e.r_name, e.r_unit,
		       count(DISTINCT e.finding_id) AS n,
		       (array_agg(DISTINCT e.finding_no))[1:3] AS first_findings
		  FROM rcp e
		 GROUP BY e.district_id, e.step, e.r_id, e.r_phone, e.r_name, e.r_unit
	), sent AS (
		INSERT INTO minqing.outbox (district_id, path, recipient_phone, recipient_name, body, dedupe_key)
		SELECT g.district_id, u.path, g.r_phone, g.r_name,
		       minqing.render_template('finding_digest_' || g.step, jsonb_build_object(
		           'handler', g.r_name, 'unit', u.name, 'count', g.n,
		           'findings', array_to_string(g.first_findings, '、') || CASE WHEN g.n > 3 THEN '等' ELSE '' END),
		           g.district_id),
		       format('finding-escalation:%s:%s:%s', to_char(p_now AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS'),
		              g.step, g.r_id)
		  FROM digest g
		  JOIN minqing.org_unit u ON u.unit_id = g.r_unit
		ON CONFLICT (dedupe_key) DO NOTHING
		RETURNING 1
	)
	SELECT count(DISTINCT e.finding_id)::integer,
	       count(*) FILTER (WHERE e.kind = 'reminder')::integer,
	       count(*) FILTER (WHERE e.step = 'yellow')::integer,
	       count(*) FILTER (WHERE e.step = 'orange')::integer,
	       count(*) FILTER (WHERE e.step = 'red')::integer,
	       (SELECT count(*) FROM sent)::integer
	  FROM ev e;
END
$$;
COMMENT ON FUNCTION minqing.finding_escalation_pass(timestamptz) IS
	'The escalation of the findings being rectified at p_now (tests pass a chosen time): the reminder and '
	'yellow, orange, red warnings at the times the district''s escalation_rule gives (case_schedule()), an '
	'event each, one SMS digest per step and recipient (finding_digest_*). Run by minqing-escalate after '
	'each escalation pass that ran; returns the counts.';
REVOKE ALL ON FUNCTION minqing.finding_escalation_pass(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.finding_escalation_pass(timestamptz) TO mq_escalator;

------------------------------------------------------------------------------
-- For the assessment: findings not rectified at a cut-off
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.inspection_unrectified(p_district smallint, p_cutoff timestamptz)
RETURNS TABLE (unit_id integer, finding_id bigint, finding_no text, title text, deadline timestamptz)
LANGUAGE sql STABLE AS $$
	SELECT f.owner_unit_id, f.finding_id, f.finding_no, f.title, f.due_at
	  FROM minqing.inspection_finding f
	 WHERE f.district_id = p_district
	   AND f.status <> 'noted'
	   AND f.created_at <= p_cutoff
	   AND f.due_at < p_cutoff
	   AND (f.accepted_at IS NULL OR f.accepted_at > p_cutoff)
	 ORDER BY f.owner_unit_id, f.due_at, f.finding_id
$$;
COMMENT ON FUNCTION minqing.inspection_unrectified(smallint, timestamptz) IS
	'For the assessment (考核评分, a deduction per unrectified finding): the findings of district p_district '
	'needing rectification, recorded by p_cutoff, whose deadline passed before p_cutoff and that were not '
	'accepted as rectified by then, by owner unit. The deadline is the current one (a finding reopened after '
	'the cut-off counts with its new deadline). SECURITY INVOKER: the caller''s jurisdiction.';
REVOKE ALL ON FUNCTION minqing.inspection_unrectified(smallint, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.inspection_unrectified(smallint, timestamptz) TO mq_staff, mq_system;

-- The assessment's metric unrectified_findings (docs/assessment.md, "Adding
-- a metric"): each finding unrectified at the cut-off, a deduction each,
-- counted for the owner unit and the units above it. Inlined by the engine.
CREATE OR REPLACE FUNCTION minqing.assessment_facts_findings(p_district smallint, p_from timestamptz,
                                                             p_to timestamptz, p_path ext.ltree)
RETURNS TABLE (path ext.ltree, kind text, ref_id bigint, ref_no text, label text, at timestamptz, num numeric,
               den numeric)
LANGUAGE sql STABLE AS $$
	SELECT u.path, 'finding', f.finding_id, f.finding_no, f.title, f.deadline, 1::numeric, 0::numeric
	  FROM minqing.inspection_unrectified(p_district, p_to) f
	  JOIN minqing.org_unit u ON u.unit_id = f.unit_id
	 WHERE u.path OPERATOR(ext.<@) p_path
$$;
COMMENT ON FUNCTION minqing.assessment_facts_findings(smallint, timestamptz, timestamptz, ext.ltree) IS
	'Metric unrectified_findings: each inspection finding past its deadline and unrectified at p_to '
	'(a deduction each), for the units under p_path.';
REVOKE ALL ON FUNCTION minqing.assessment_facts_findings(smallint, timestamptz, timestamptz, ext.ltree) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_facts_findings(smallint, timestamptz, timestamptz, ext.ltree)
	TO mq_staff;

------------------------------------------------------------------------------
-- Reads: lists, records and their lines. SECURITY INVOKER.
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.inspections(p_filter text DEFAULT 'all', p_after_on date DEFAULT NULL,
                                               p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (inspection_id bigint, inspected_on date, unit_code text, unit_name text, kind text, rating text,
               team text, inspector_name text, findings integer, open_findings integer, row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT i.inspection_id, i.inspected_on, u.code, u.name, i.kind, i.rating, i.team, s.display_name,
	       (SELECT count(*) FROM minqing.inspection_finding f WHERE f.inspection_id = i.inspection_id)::integer,
	       (SELECT count(*) FROM minqing.inspection_finding f
	         WHERE f.inspection_id = i.inspection_id AND f.status IN ('rectifying', 'rectified'))::integer,
	       i.row_version
	  FROM minqing.inspection i
	  JOIN minqing.org_unit u ON u.unit_id = i.unit_id
	  JOIN minqing.staff s ON s.staff_id = i.inspector_staff_id
	 WHERE (coalesce(p_filter, 'all') = 'all' OR i.kind = p_filter
	        OR (p_filter = 'open' AND EXISTS (SELECT 1 FROM minqing.inspection_finding f
	                                           WHERE f.inspection_id = i.inspection_id
	                                             AND f.status IN ('rectifying', 'rectified'))))
	   AND (p_after_id IS NULL OR (i.inspected_on, i.inspection_id) < (p_after_on, p_after_id))
	 ORDER BY i.inspected_on DESC, i.inspection_id DESC
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.inspections(text, date, bigint, integer) IS
	'The inspections of the caller''s jurisdiction, latest first; p_filter all, scheduled, unannounced or open '
	'(with findings not yet accepted); next page after (p_after_on, p_after_id).';
REVOKE ALL ON FUNCTION minqing.inspections(text, date, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.inspections(text, date, bigint, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.inspection_view(p_inspection bigint)
RETURNS TABLE (inspection_id bigint, heading text, unit_code text, unit_name text, kind text, inspected_on date,
               team text, rating text, inspector_name text, items text, summary text, findings integer,
               row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT i.inspection_id, format('%s %s', u.name, minqing.inspection_word(i.kind)), u.code, u.name, i.kind,
	       i.inspected_on, i.team, i.rating, s.display_name, i.items, i.summary,
	       (SELECT count(*) FROM minqing.inspection_finding f WHERE f.inspection_id = i.inspection_id)::integer,
	       i.row_version
	  FROM minqing.inspection i
	  JOIN minqing.org_unit u ON u.unit_id = i.unit_id
	  JOIN minqing.staff s ON s.staff_id = i.inspector_staff_id
	 WHERE i.inspection_id = p_inspection
$$;
COMMENT ON FUNCTION minqing.inspection_view(bigint) IS
	'One inspection as its record shows it: the unit, kind, day, team, rating, inspector, items and summary.';
REVOKE ALL ON FUNCTION minqing.inspection_view(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.inspection_view(bigint) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.inspection_lines(p_inspection bigint)
RETURNS TABLE (label_zh text, label_en text, value text, value_en text, depth integer)
LANGUAGE sql STABLE AS $$
	SELECT '发现问题', 'Findings', NULL::text, NULL::text, 0
	 WHERE EXISTS (SELECT 1 FROM minqing.inspection_finding f WHERE f.inspection_id = p_inspection)
	UNION ALL
	SELECT * FROM (
		SELECT f.finding_no, f.finding_no,
		       format('%s（%s%s%s）', f.title, minqing.inspection_word(f.status),
		              CASE WHEN f.due_at IS NOT NULL
		                   THEN '，' || u.name || '，期限' || to_char(minqing.district_local_time(f.district_id, f.due_at), 'MM-DD HH24:MI')
		                   ELSE '' END,
		              CASE WHEN f.warning_level > 'none' THEN '，' || minqing.inspection_word(f.warning_level::text) ELSE '' END),
		       format('%s (%s%s)', f.title, f.status, CASE WHEN f.due_at IS NOT NULL THEN ', ' || u.code ELSE '' END),
		       1
		  FROM minqing.inspection_finding f
		  JOIN minqing.org_unit u ON u.unit_id = f.owner_unit_id
		 WHERE f.inspection_id = p_inspection
		 ORDER BY f.finding_id) x
$$;
COMMENT ON FUNCTION minqing.inspection_lines(bigint) IS
	'The findings of an inspection as labelled lines of its record: number, title, status, owner and deadline.';
REVOKE ALL ON FUNCTION minqing.inspection_lines(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.inspection_lines(bigint) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.findings(p_filter text DEFAULT 'open', p_after_sort timestamptz DEFAULT NULL,
                                            p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (finding_id bigint, finding_no text, title text, owner_unit_code text, unit_name text, status text,
               warning_level minqing.warning_level, due_at timestamptz, sort_at timestamptz, inspected_on date,
               reopened integer, row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT f.finding_id, f.finding_no, f.title, u.code, u.name, f.status, f.warning_level, f.due_at,
	       coalesce(f.due_at, f.created_at), i.inspected_on, f.reopened, f.row_version
	  FROM minqing.inspection_finding f
	  JOIN minqing.inspection i ON i.inspection_id = f.inspection_id
	  JOIN minqing.org_unit u ON u.unit_id = f.owner_unit_id
	 WHERE CASE coalesce(p_filter, 'open')
	       WHEN 'open' THEN f.status = 'rectifying'
	       WHEN 'overdue' THEN f.status = 'rectifying' AND f.due_at < now()
	       WHEN 'rectified' THEN f.status = 'rectified'
	       WHEN 'accepted' THEN f.status = 'accepted'
	       ELSE true END
	   AND (p_after_id IS NULL OR (coalesce(f.due_at, f.created_at), f.finding_id) > (p_after_sort, p_after_id))
	 ORDER BY coalesce(f.due_at, f.created_at), f.finding_id
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.findings(text, timestamptz, bigint, integer) IS
	'整改: the inspection findings of the caller''s jurisdiction (a village''s staff: their own), nearest '
	'deadline first; p_filter open (being rectified, the default), overdue, rectified (waiting for acceptance), '
	'accepted or all; next page after (p_after_sort = sort_at, p_after_id).';
REVOKE ALL ON FUNCTION minqing.findings(text, timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.findings(text, timestamptz, bigint, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.finding_record(p_finding bigint)
RETURNS TABLE (finding_id bigint, heading text, finding_no text, unit_name text, inspection text, status text,
               warning_level minqing.warning_level, due_at timestamptz, detail text, rectification text,
               evidence text, rectified_at timestamptz, accepted_at timestamptz, reopened integer,
               row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT f.finding_id, f.finding_no || ' ' || f.title, f.finding_no, u.name,
	       format('%s %s %s（%s）', i.inspected_on, iu.name, minqing.inspection_word(i.kind),
	              minqing.inspection_word(i.rating)),
	       f.status, f.warning_level, f.due_at, f.detail, f.rectification, f.evidence, f.rectified_at,
	       f.accepted_at, f.reopened, f.row_version
	  FROM minqing.inspection_finding f
	  JOIN minqing.inspection i ON i.inspection_id = f.inspection_id
	  JOIN minqing.org_unit u ON u.unit_id = f.owner_unit_id
	  JOIN minqing.org_unit iu ON iu.unit_id = i.unit_id
	 WHERE f.finding_id = p_finding
$$;
COMMENT ON FUNCTION minqing.finding_record(bigint) IS
	'One finding as its record shows it: the owner unit, the inspection, status, warning, deadline, detail, '
	'the rectification and its evidence, when rectified and accepted, how often reopened.';
REVOKE ALL ON FUNCTION minqing.finding_record(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.finding_record(bigint) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.finding_lines(p_finding bigint)
RETURNS TABLE (label_zh text, label_en text, value text, value_en text, depth integer)
LANGUAGE sql STABLE AS $$
	SELECT '处理记录', 'Timeline', NULL::text, NULL::text, 0
	UNION ALL
	SELECT * FROM (
		SELECT to_char(minqing.district_local_time(e.district_id, e.at), 'MM-DD HH24:MI'),
		       to_char(minqing.district_local_time(e.district_id, e.at), 'MM-DD HH24:MI'),
		       CASE WHEN e.kind = 'warning' THEN minqing.inspection_word(e.data->>'step')
		            ELSE minqing.inspection_word(e.kind) END
		       || coalesce('：' || CASE e.kind WHEN 'reopened' THEN e.note || '（新期限'
		                                    || to_char(minqing.district_local_time(e.district_id,
		                                               (e.data->>'due_at')::timestamptz), 'MM-DD HH24:MI') || '）'
		                                   WHEN 'rectified' THEN e.note || '（佐证：' || (e.data->>'evidence') || '）'
		                                   ELSE e.note END, ''),
		       CASE WHEN e.kind = 'warning' THEN e.data->>'step' ELSE e.kind END || coalesce(': ' || e.note, ''),
		       1
		  FROM minqing.finding_event e
		 WHERE e.finding_id = p_finding
		 ORDER BY e.event_id) x
$$;
COMMENT ON FUNCTION minqing.finding_lines(bigint) IS
	'The timeline of a finding as labelled lines of its record: recorded, reminders, warnings, rectifications '
	'with their evidence, acceptance, reopening with the new deadline.';
REVOKE ALL ON FUNCTION minqing.finding_lines(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.finding_lines(bigint) TO mq_staff;

------------------------------------------------------------------------------
-- Circulars (情况通报)
------------------------------------------------------------------------------
-- Unit codes typed as a list (blanks, commas, 、 or ; between them), each a
-- unit of staff member s's jurisdiction: their ids.
CREATE OR REPLACE FUNCTION minqing.circular_units(s minqing.staff, p_unit_codes text) RETURNS integer[]
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	code text;
	ids integer[] := '{}';
	u minqing.org_unit;
BEGIN
	IF char_length(p_unit_codes) > 2000 THEN
		RAISE EXCEPTION 'the list of units is too long: % characters, at most 2000', char_length(p_unit_codes)
			USING ERRCODE = 'string_data_right_truncation', COLUMN = 'unit_codes';
	END IF;
	FOR code IN SELECT c FROM regexp_split_to_table(btrim(coalesce(p_unit_codes, ''), E' \t\u3000'),
	                                                E'[\\s,，、;；\u3000]+') AS c WHERE c <> '' LOOP
		u := minqing.unit_in_scope(s, code);
		IF NOT u.unit_id = ANY (ids) THEN
			ids := ids || u.unit_id;
		END IF;
	END LOOP;
	RETURN ids;
END
$$;
COMMENT ON FUNCTION minqing.circular_units(minqing.staff, text) IS
	'The units of a typed list of codes (separated by blanks, commas, 、 or ;), each in the jurisdiction of s.';
REVOKE ALL ON FUNCTION minqing.circular_units(minqing.staff, text) FROM PUBLIC;

-- The unit a case's warning concerns for a circular of the caller: the
-- unit handling it when that is in the caller's jurisdiction (a department
-- is not, for a town), else the unit it came from.
CREATE OR REPLACE FUNCTION minqing.circular_case_unit(c minqing.cases) RETURNS integer
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN c.assigned_path OPERATOR(ext.<@) (SELECT minqing.my_scope()) THEN c.assigned_unit_id
	            ELSE c.origin_unit_id END
$$;
COMMENT ON FUNCTION minqing.circular_case_unit(minqing.cases) IS
	'The unit a case concerns in a warnings circular of the caller: its handling unit when in the caller''s '
	'jurisdiction, else the unit it came from.';
REVOKE ALL ON FUNCTION minqing.circular_case_unit(minqing.cases) FROM PUBLIC;

-- A circular's text from the data of the caller's jurisdiction (row-level
-- security of the caller applies to every table read): the inspections of
-- a period with their findings, or the warnings raised in it on cases and
-- findings; and the units it concerns. At most 4,000 characters (longer
-- lists end with "等N项").
CREATE OR REPLACE FUNCTION minqing.circular_text(p_kind text, p_from date, p_to date, OUT title text,
                                                 OUT body text, OUT unit_ids integer[])
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	d smallint := minqing.my_district();
	who text := (SELECT u.name FROM minqing.org_unit u WHERE u.path = minqing.my_scope());
	period text := format('%s至%s', to_char(p_from, 'YYYY年FMMM月FMDD日'), to_char(p_to, 'YYYY年FMMM月FMDD日'));
	r record;
	n integer := 0;
	lines text := '';
BEGIN
	IF p_kind = 'inspection' THEN
		title := format('%s督查情况通报（%s）', who, period);
		SELECT format('本期共开展督查%s次（定期督查%s次、暗访%s次），评定优秀%s个、良好%s个、一般%s个、较差%s个；'
		              '发现问题%s个，其中需整改%s个、已验收%s个、逾期未整改%s个。',
		              count(DISTINCT i.inspection_id),
		              count(DISTINCT i.inspection_id) FILTER (WHERE i.kind = 'scheduled'),
		              count(DISTINCT i.inspection_id) FILTER (WHERE i.kind = 'unannounced'),
		              count(DISTINCT i.inspection_id) FILTER (WHERE i.rating = 'excellent'),
		              count(DISTINCT i.inspection_id) FILTER (WHERE i.rating = 'good'),
		              count(DISTINCT i.inspection_id) FILTER (WHERE i.rating = 'fair'),
		              count(DISTINCT i.inspection_id) FILTER (WHERE i.rating = 'poor'),
		              count(f.finding_id), count(f.finding_id) FILTER (WHERE f.status <> 'noted'),
		              count(f.finding_id) FILTER (WHERE f.status = 'accepted'),
		              count(f.finding_id) FILTER (WHERE f.status = 'rectifying' AND f.due_at < now())),
		       coalesce(array_agg(DISTINCT i.unit_id), '{}') || coalesce(array_agg(DISTINCT f.owner_unit_id)
		                                                           FILTER (WHERE f.finding_id IS NOT NULL), '{}')
		  INTO body, unit_ids
		  FROM minqing.inspection i
		  LEFT JOIN minqing.inspection_finding f ON f.inspection_id = i.inspection_id
		 WHERE i.inspected_on BETWEEN p_from AND p_to;
		body := body || E'\n一、督查情况';
		FOR r IN SELECT i.inspected_on, u.name, i.kind, i.rating,
		                (SELECT count(*) FROM minqing.inspection_finding f WHERE f.inspection_id = i.inspection_id) AS nf
		           FROM minqing.inspection i JOIN minqing.org_unit u ON u.unit_id = i.unit_id
		          WHERE i.inspected_on BETWEEN p_from AND p_to
		          ORDER BY i.inspected_on, i.inspection_id LOOP
			n := n + 1;
			IF n <= 30 THEN
				lines := lines || format(E'\n%s. %s %s（%s，%s）：发现问题%s个。', n, to_char(r.inspected_on, 'FMMM月FMDD日'),
				                         r.name, minqing.inspection_word(r.kind), minqing.inspection_word(r.rating), r.nf);
			END IF;
		END LOOP;
		body := body || CASE WHEN n = 0 THEN E'\n本期无督查。' ELSE lines END
		             || CASE WHEN n > 30 THEN format(E'\n……等%s项。', n) ELSE '' END;
		n := 0;
		lines := '';
		FOR r IN SELECT f.finding_no, u.name, f.title, f.status, f.due_at, f.warning_level, f.district_id
		           FROM minqing.inspection_finding f
		           JOIN minqing.inspection i ON i.inspection_id = f.inspection_id
		           JOIN minqing.org_unit u ON u.unit_id = f.owner_unit_id
		          WHERE i.inspected_on BETWEEN p_from AND p_to AND f.status <> 'noted'
		          ORDER BY f.due_at, f.finding_id LOOP
			n := n + 1;
			IF n <= 30 THEN
				lines := lines || format(E'\n%s. %s %s：%s，期限%s，%s%s。', n, r.finding_no, r.name, r.title,
				                         to_char(minqing.district_local_time(r.district_id, r.due_at), 'FMMM月FMDD日'),
				                         minqing.inspection_word(r.status),
				                         CASE WHEN r.warning_level > 'none'
				                              THEN '（' || minqing.inspection_word(r.warning_level::text) || '）' ELSE '' END);
			END IF;
		END LOOP;
		IF n > 0 THEN
			body := body || E'\n二、需整改问题' || lines || CASE WHEN n > 30 THEN format(E'\n……等%s项。', n) ELSE '' END
			             || E'\n三、工作要求\n请各有关单位对照问题清单，在整改期限内完成整改，并在民情e站录入整改情况和佐证材料。';
		END IF;
	ELSIF p_kind = 'warnings' THEN
		title := format('%s预警情况通报（%s）', who, period);
		SELECT format('本期民情案件触发黄色预警%s件次、橙色预警%s件次、红色预警%s件次；',
		              count(*) FILTER (WHERE e.data->>'step' = 'yellow'),
		              count(*) FILTER (WHERE e.data->>'step' = 'orange'),
		              count(*) FILTER (WHERE e.data->>'step' = 'red')),
		       coalesce(array_agg(DISTINCT minqing.circular_case_unit(c)), '{}')
		  INTO body, unit_ids
		  FROM minqing.case_event e JOIN minqing.cases c ON c.case_id = e.case_id
		 WHERE e.kind = 'warning' AND c.district_id = d
		   AND minqing.district_local_time(e.district_id, e.at)::date BETWEEN p_from AND p_to;
		SELECT body || format('督查整改触发黄色预警%s项次、橙色预警%s项次、红色预警%s项次。',
		                      count(*) FILTER (WHERE e.data->>'step' = 'yellow'),
		                      count(*) FILTER (WHERE e.data->>'step' = 'orange'),
		                      count(*) FILTER (WHERE e.data->>'step' = 'red')),
		       unit_ids || coalesce(array_agg(DISTINCT f.owner_unit_id), '{}')
		  INTO body, unit_ids
		  FROM minqing.finding_event e JOIN minqing.inspection_finding f ON f.finding_id = e.finding_id
		 WHERE e.kind = 'warning'
		   AND minqing.district_local_time(e.district_id, e.at)::date BETWEEN p_from AND p_to;
		body := body || E'\n一、预警分布（按单位）';
		FOR r IN WITH w AS (
				SELECT minqing.circular_case_unit(c) AS unit_id, e.data->>'step' AS step, c.case_no AS no
				  FROM minqing.case_event e JOIN minqing.cases c ON c.case_id = e.case_id
				 WHERE e.kind = 'warning' AND c.district_id = d
				   AND minqing.district_local_time(e.district_id, e.at)::date BETWEEN p_from AND p_to
				UNION ALL
				SELECT f.owner_unit_id, e.data->>'step', f.finding_no
				  FROM minqing.finding_event e JOIN minqing.inspection_finding f ON f.finding_id = e.finding_id
				 WHERE e.kind = 'warning'
				   AND minqing.district_local_time(e.district_id, e.at)::date BETWEEN p_from AND p_to)
			SELECT u.name, count(*) FILTER (WHERE w.step = 'yellow') AS y, count(*) FILTER (WHERE w.step = 'orange') AS o,
			       count(*) FILTER (WHERE w.step = 'red') AS rd,
			       (array_agg(DISTINCT w.no))[1:3] AS nos, count(DISTINCT w.no) AS nn
			  FROM w JOIN minqing.org_unit u ON u.unit_id = w.unit_id
			 GROUP BY u.unit_id, u.name
			 ORDER BY count(*) FILTER (WHERE w.step = 'red') DESC, count(*) DESC, u.name LOOP
			n := n + 1;
			IF n <= 30 THEN
				lines := lines || format(E'\n%s. %s：黄色%s、橙色%s、红色%s（%s%s）', n, r.name, r.y, r.o, r.rd,
				                         array_to_string(r.nos, '、'), CASE WHEN r.nn > 3 THEN '等' ELSE '' END);
			END IF;
		END LOOP;
		body := body || CASE WHEN n = 0 THEN E'\n本期无预警。' ELSE lines END
		             || CASE WHEN n > 30 THEN format(E'\n……等%s个单位。', n) ELSE '' END
		             || CASE WHEN n > 0 THEN E'\n二、工作要求\n请有关单位对照预警事项，抓紧办理和整改，逾期事项说明原因。'
		                     ELSE '' END;
	ELSE
		RAISE EXCEPTION 'a circular is drafted from the data for inspection or warnings, not %', coalesce(p_kind, 'NULL')
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'kind';
	END IF;
	-- Only units of the jurisdiction are sent the circular.
	SELECT coalesce(array_agg(DISTINCT u.unit_id ORDER BY u.unit_id), '{}') INTO unit_ids
	  FROM minqing.org_unit u
	 WHERE u.unit_id = ANY (unit_ids) AND u.path OPERATOR(ext.<@) (SELECT minqing.my_scope());
	IF char_length(body) > 4000 THEN
		body := left(body, 3990) || E'\n……';
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.circular_text(text, date, date) IS
	'The title, body and units concerned of a circular drafted from the data of the caller''s jurisdiction: '
	'inspection (the inspections of p_from..p_to with their ratings and the findings to rectify) or warnings '
	'(the warnings raised on cases and findings in the period, by unit).';
REVOKE ALL ON FUNCTION minqing.circular_text(text, date, date) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.circular_draft(p_kind text, p_from date DEFAULT NULL, p_to date DEFAULT NULL,
                                                  p_title text DEFAULT NULL, p_body text DEFAULT NULL,
                                                  p_unit_codes text DEFAULT NULL, OUT circular_id bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{supervisor}');
	u minqing.org_unit;
	today date;
	t_title text;
	t_body text;
	v_from date;
	v_to date;
	ids integer[];
BEGIN
	SELECT * INTO u FROM minqing.org_unit x WHERE x.unit_id = s.unit_id;
	today := minqing.district_local_time(s.district_id, now())::date;
	v_from := coalesce(p_from, date_trunc('month', today)::date);
	v_to := coalesce(p_to, today);
	IF v_to < v_from OR v_to - v_from > 400 THEN
		RAISE EXCEPTION 'the period must end after it starts and last at most 400 days'
			USING ERRCODE = 'check_violation', COLUMN = 'period_to';
	END IF;
	IF p_kind IN ('inspection', 'warnings') THEN
		SELECT x.title, x.body, x.unit_ids INTO t_title, t_body, ids
		  FROM minqing.circular_text(p_kind, v_from, v_to) x;
	ELSIF p_kind IN ('assessment', 'free') THEN
		PERFORM minqing.require_text(p_title, 'title');
		PERFORM minqing.require_text(p_body, 'body');
		ids := '{}';
	ELSE
		RAISE EXCEPTION 'a circular is of kind inspection, warnings, assessment or free, not %', coalesce(p_kind, 'NULL')
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'kind';
	END IF;
	IF p_unit_codes IS NOT NULL AND btrim(p_unit_codes) <> '' THEN
		ids := minqing.circular_units(s, p_unit_codes);
	END IF;
	INSERT INTO minqing.circular (district_id, unit_id, path, kind, period_from, period_to, title, body, unit_ids)
	VALUES (u.district_id, u.unit_id, u.path, p_kind, v_from, v_to,
	        coalesce(nullif(btrim(p_title), ''), t_title), coalesce(nullif(btrim(p_body), ''), t_body), ids);
	circular_id := currval(pg_get_serial_sequence('minqing.circular', 'circular_id'));
END
$$;
COMMENT ON FUNCTION minqing.circular_draft(text, date, date, text, text, text) IS
	'情况通报: a supervisor drafts a circular of their unit: kind inspection or warnings (title, body and the '
	'units concerned drafted from the data of p_from..p_to, default this month; p_title, p_body, p_unit_codes '
	'replace them when given) or assessment / free (title, body and units given). Returns its id.';
REVOKE ALL ON FUNCTION minqing.circular_draft(text, date, date, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.circular_draft(text, date, date, text, text, text) TO mq_supervisor;

CREATE OR REPLACE FUNCTION minqing.circular_for(s minqing.staff, p_circular bigint, p_row_version integer)
RETURNS minqing.circular
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	c minqing.circular;
BEGIN
	SELECT * INTO c FROM minqing.circular x WHERE x.circular_id = p_circular FOR UPDATE;
	IF NOT FOUND OR NOT minqing.staff_covers(s, c.path) THEN
		RAISE EXCEPTION 'circular % not found', coalesce(p_circular::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = 'circular';
	END IF;
	IF p_row_version IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'row_version'
			USING ERRCODE = 'not_null_violation', COLUMN = 'row_version';
	END IF;
	IF p_row_version <> c.row_version THEN
		RAISE EXCEPTION 'circular % was changed by someone else since you opened it', c.circular_id
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('version %s when opened, %s now', p_row_version, c.row_version),
			      HINT = 'reload it and try again';
	END IF;
	IF c.status <> 'draft' THEN
		RAISE EXCEPTION 'circular % is published: only a draft can be changed or published', c.circular_id
			USING ERRCODE = 'invalid_transaction_state';
	END IF;
	RETURN c;
END
$$;
COMMENT ON FUNCTION minqing.circular_for(minqing.staff, bigint, integer) IS
	'A draft circular locked for a change by staff member s: in their jurisdiction, at row version '
	'p_row_version (40001), still a draft (25000).';
REVOKE ALL ON FUNCTION minqing.circular_for(minqing.staff, bigint, integer) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.circular_save(p_circular bigint, p_row_version integer, p_title text, p_body text,
                                                 p_unit_codes text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{supervisor}');
	c minqing.circular := minqing.circular_for(s, p_circular, p_row_version);
	v integer;
BEGIN
	PERFORM minqing.require_text(p_title, 'title');
	PERFORM minqing.require_text(p_body, 'body');
	UPDATE minqing.circular x
	   SET title = btrim(p_title), body = btrim(p_body),
	       unit_ids = CASE WHEN p_unit_codes IS NULL THEN x.unit_ids ELSE minqing.circular_units(s, p_unit_codes) END
	 WHERE x.circular_id = c.circular_id;
	SELECT x.row_version INTO v FROM minqing.circular x WHERE x.circular_id = c.circular_id;
	RETURN v;
END
$$;
COMMENT ON FUNCTION minqing.circular_save(bigint, integer, text, text, text) IS
	'Edit a draft circular (a supervisor of its unit''s tree) at the row version read: title, body and, when '
	'p_unit_codes is given, the units concerned. Returns the new row version.';
REVOKE ALL ON FUNCTION minqing.circular_save(bigint, integer, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.circular_save(bigint, integer, text, text, text) TO mq_supervisor;

-- Publication: one notice of the bulletin board (kind circular, for staff,
-- published now) of each unit concerned, which its staff and the units
-- above it read (docs/bulletin.md: down the tree), a neighbour not.
CREATE OR REPLACE FUNCTION minqing.circular_publish(p_circular bigint, p_row_version integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{supervisor}');
	c minqing.circular := minqing.circular_for(s, p_circular, p_row_version);
	u minqing.org_unit;
	ids bigint[] := '{}';
	v integer;
BEGIN
	IF cardinality(c.unit_ids) = 0 THEN
		RAISE EXCEPTION 'the circular concerns no unit: name the units it is published to'
			USING ERRCODE = 'check_violation', COLUMN = 'unit_codes';
	END IF;
	FOR u IN SELECT * FROM minqing.org_unit x WHERE x.unit_id = ANY (c.unit_ids) ORDER BY x.path LOOP
		IF NOT minqing.staff_covers(s, u.path) THEN
			RAISE EXCEPTION 'unit % is outside your jurisdiction', u.code
				USING ERRCODE = 'insufficient_privilege', COLUMN = 'unit';
		END IF;
		INSERT INTO minqing.notice (unit_id, kind, audience, title, body, state, publish_at, published_by)
		VALUES (u.unit_id, 'circular', 'staff', c.title, c.body, 'published', now(), session_user);
		ids := ids || currval(pg_get_serial_sequence('minqing.notice', 'notice_id'));
	END LOOP;
	UPDATE minqing.circular x SET status = 'published', published_at = now(), published_by = session_user,
	       notice_ids = ids
	 WHERE x.circular_id = c.circular_id;
	SELECT x.row_version INTO v FROM minqing.circular x WHERE x.circular_id = c.circular_id;
	RETURN v;
END
$$;
COMMENT ON FUNCTION minqing.circular_publish(bigint, integer) IS
	'Publish a draft circular (a supervisor of its tree, at the row version read): a notice of kind circular '
	'for staff on the bulletin board of each unit concerned (all in the caller''s jurisdiction); it can no '
	'longer change. Returns the new row version.';
REVOKE ALL ON FUNCTION minqing.circular_publish(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.circular_publish(bigint, integer) TO mq_supervisor;

CREATE OR REPLACE FUNCTION minqing.circulars(p_after_created timestamptz DEFAULT NULL, p_after_id bigint DEFAULT NULL,
                                             p_limit integer DEFAULT 50)
RETURNS TABLE (circular_id bigint, created_at timestamptz, kind text, title text, status text, units integer,
               published_at timestamptz, row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT c.circular_id, c.created_at, c.kind, c.title, c.status, cardinality(c.unit_ids), c.published_at,
	       c.row_version
	  FROM minqing.circular c
	 WHERE p_after_id IS NULL OR (c.created_at, c.circular_id) < (p_after_created, p_after_id)
	 ORDER BY c.created_at DESC, c.circular_id DESC
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.circulars(timestamptz, bigint, integer) IS
	'The circulars of the caller''s jurisdiction, newest first; next page after (p_after_created, p_after_id).';
REVOKE ALL ON FUNCTION minqing.circulars(timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.circulars(timestamptz, bigint, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.circular_record(p_circular bigint)
RETURNS TABLE (circular_id bigint, title text, kind text, period text, status text, units text, unit_codes text,
               body text, published_at timestamptz, row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT c.circular_id, c.title, c.kind,
	       CASE WHEN c.period_from IS NOT NULL THEN format('%s 至 %s', c.period_from, c.period_to) END,
	       c.status,
	       (SELECT string_agg(u.name, '、' ORDER BY u.path) FROM minqing.org_unit u WHERE u.unit_id = ANY (c.unit_ids)),
	       (SELECT string_agg(u.code, ' ' ORDER BY u.path) FROM minqing.org_unit u WHERE u.unit_id = ANY (c.unit_ids)),
	       c.body, c.published_at, c.row_version
	  FROM minqing.circular c
	 WHERE c.circular_id = p_circular
$$;
COMMENT ON FUNCTION minqing.circular_record(bigint) IS
	'One circular as its record shows it: title, kind, period, state, the units concerned (names and codes), '
	'the body, when published.';
REVOKE ALL ON FUNCTION minqing.circular_record(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.circular_record(bigint) TO mq_staff;

RESET ROLE;
