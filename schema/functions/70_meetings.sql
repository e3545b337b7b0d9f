-- schema/functions/70_meetings.sql: dialogue meetings (民情恳谈会) in five
-- steps (docs/meetings.md): planning, gathering (会前汇总) and inviting;
-- holding with the cadres' notes (干部问事); matters raised (群众说事, each
-- may become a case through case_intake); decisions (民主议事) that become
-- cases with a deadline under the service commitment (限期办事); the review
-- (定期评事) and its reminder to the host, sent by the escalation job; the
-- lists, the record and the minutes in 80 columns.
--
-- The current definition of these functions, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` whenever the
-- function files change (docs/development.md). Change a function here.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Words
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.meeting_kind_name(p_kind text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE p_kind WHEN 'dialogue' THEN '民情恳谈会' WHEN 'communication_day' THEN '民情沟通日'
                   WHEN 'party_forum' THEN '党员论坛' ELSE p_kind END;
COMMENT ON FUNCTION minqing.meeting_kind_name(text) IS
	'A meeting kind in Chinese: dialogue 民情恳谈会, communication_day 民情沟通日, party_forum 党员论坛.';
REVOKE ALL ON FUNCTION minqing.meeting_kind_name(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_kind_name(text) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.meeting_form_name(p_form text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE p_form WHEN 'consultation' THEN '座谈' WHEN 'questionnaire' THEN '问卷'
                   WHEN 'forum' THEN '论坛' ELSE p_form END;
COMMENT ON FUNCTION minqing.meeting_form_name(text) IS
	'A meeting form in Chinese: consultation 座谈, questionnaire 问卷, forum 论坛.';
REVOKE ALL ON FUNCTION minqing.meeting_form_name(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_form_name(text) TO mq_staff;

-- A text broken into lines of at most p_width display columns, the first
-- line after p_first (a label), the next ones indented by p_indent
-- columns (minqing.text_width, as the printed service card counts them);
-- paragraphs kept; a character is never cut.
CREATE OR REPLACE FUNCTION minqing.meeting_wrap(p_first text, p_text text, p_width integer DEFAULT 78,
                                                p_indent integer DEFAULT 4)
RETURNS SETOF text
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	para text;
	ch text;
	line text := coalesce(p_first, '');
	w integer := minqing.text_width(coalesce(p_first, ''));
	cw integer;
	pad text := repeat(' ', p_indent);
	started boolean := false;
BEGIN
	FOREACH para IN ARRAY string_to_array(coalesce(p_text, ''), E'\n') LOOP
		IF started THEN
			RETURN NEXT line;
			line := pad;
			w := p_indent;
		END IF;
		started := true;
		FOREACH ch IN ARRAY regexp_split_to_array(para, '') LOOP
			cw := minqing.text_width(ch);
			IF w + cw > p_width THEN
				RETURN NEXT line;
				line := pad;
				w := p_indent;
				CONTINUE WHEN ch = ' ';
			END IF;
			line := line || ch;
			w := w + cw;
		END LOOP;
	END LOOP;
	RETURN NEXT line;
END
$$;
COMMENT ON FUNCTION minqing.meeting_wrap(text, text, integer, integer) IS
	'A label and a text as lines of at most p_width display columns (the next lines indented by p_indent), '
	'for the printed minutes of a meeting.';
REVOKE ALL ON FUNCTION minqing.meeting_wrap(text, text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_wrap(text, text, integer, integer) TO mq_staff;

------------------------------------------------------------------------------
-- The meeting and its matters, locked and checked
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.meeting_for(s minqing.staff, p_meeting bigint, p_row_version integer,
                                               p_status text) RETURNS minqing.meeting
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	m minqing.meeting;
BEGIN
	SELECT * INTO m FROM minqing.meeting x WHERE x.meeting_id = p_meeting FOR UPDATE;
	IF NOT FOUND OR NOT minqing.staff_covers(s, m.path) THEN
		RAISE EXCEPTION 'meeting % not found', coalesce(p_meeting::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = 'meeting';
	END IF;
	IF p_row_version IS NOT NULL AND p_row_version <> m.row_version THEN
		RAISE EXCEPTION 'meeting % was changed by someone else since you opened it', m.meeting_id
			USING ERRCODE = 'serialization_failure', HINT = 'reload the meeting and try again';
	END IF;
	IF p_status = 'planned' AND m.status <> 'planned' THEN
		RAISE EXCEPTION 'this step is for a planned meeting' USING ERRCODE = 'invalid_transaction_state';
	ELSIF p_status = 'held' AND m.status <> 'held' THEN
		RAISE EXCEPTION 'this step is for a meeting that has been held'
			USING ERRCODE = 'invalid_transaction_state';
	END IF;
	RETURN m;
END
$$;
REVOKE ALL ON FUNCTION minqing.meeting_for(minqing.staff, bigint, integer, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.meeting_matter_for(s minqing.staff, p_matter bigint, p_row_version integer)
RETURNS minqing.meeting_matter
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	x minqing.meeting_matter;
BEGIN
	SELECT * INTO x FROM minqing.meeting_matter y WHERE y.matter_id = p_matter FOR UPDATE;
	IF NOT FOUND OR NOT minqing.staff_covers(s, x.path) THEN
		RAISE EXCEPTION 'matter % not found', coalesce(p_matter::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = 'matter';
	END IF;
	-- The meeting must be held (and is locked against a review meanwhile).
	PERFORM minqing.meeting_for(s, x.meeting_id, NULL, 'held');
	IF p_row_version IS NOT NULL AND p_row_version <> x.row_version THEN
		RAISE EXCEPTION 'matter % was changed by someone else since you opened it', x.matter_id
			USING ERRCODE = 'serialization_failure', HINT = 'reload the matters and try again';
	END IF;
	RETURN x;
END
$$;
REVOKE ALL ON FUNCTION minqing.meeting_matter_for(minqing.staff, bigint, integer) FROM PUBLIC;

------------------------------------------------------------------------------
-- Planning, gathering, inviting
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.meeting_plan(p_kind text, p_form text, p_title text, p_starts_at timestamptz,
                                                p_place text, p_unit_code text DEFAULT NULL,
                                                p_host_login name DEFAULT NULL, OUT meeting_id bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	u minqing.org_unit;
	h minqing.staff;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	IF p_unit_code IS NULL OR p_unit_code = '' THEN
		SELECT * INTO u FROM minqing.org_unit x WHERE x.unit_id = s.unit_id;
	ELSE
		u := minqing.unit_in_scope(s, p_unit_code);
	END IF;
	IF u.kind NOT IN ('village', 'community', 'town', 'street') THEN
		RAISE EXCEPTION 'meetings are held by villages, communities and towns, not %', u.kind
			USING ERRCODE = 'check_violation', COLUMN = 'unit';
	END IF;
	PERFORM minqing.require_text(p_title, 'title');
	PERFORM minqing.require_text(p_place, 'place');
	IF p_starts_at IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'starts_at' USING ERRCODE = 'not_null_violation', COLUMN = 'starts_at';
	END IF;
	SELECT * INTO h FROM minqing.staff x WHERE x.login = coalesce(p_host_login, session_user) AND x.active;
	-- The host: staff of the meeting's unit, of a unit above it, or below it.
	IF NOT FOUND OR h.district_id <> u.district_id OR h.duty = 'kiosk'
	   OR NOT (u.path OPERATOR(ext.<@) h.path OR h.path OPERATOR(ext.<@) u.path) THEN
		RAISE EXCEPTION 'the host must be active staff of the meeting''s unit or of a unit above it'
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'host';
	END IF;
	INSERT INTO minqing.meeting (district_id, unit_id, path, kind, form, title, starts_at, place, host_staff_id)
	VALUES (u.district_id, u.unit_id, u.path, p_kind, p_form, btrim(p_title), p_starts_at, btrim(p_place),
	        h.staff_id);
	meeting_id := currval(pg_get_serial_sequence('minqing.meeting', 'meeting_id'));
END
$$;
COMMENT ON FUNCTION minqing.meeting_plan(text, text, text, timestamptz, text, text, name) IS
	'Plan a dialogue meeting of the caller''s unit (or of p_unit_code in the jurisdiction): kind (dialogue, '
	'communication_day, party_forum), form (consultation, questionnaire, forum), title, time, place, host (the '
	'caller when not given). Returns its id. Officers, handlers, administrators.';
REVOKE ALL ON FUNCTION minqing.meeting_plan(text, text, text, timestamptz, text, text, name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_plan(text, text, text, timestamptz, text, text, name)
	TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.meeting_cancel(p_meeting bigint, p_row_version integer, p_reason text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	m minqing.meeting;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	m := minqing.meeting_for(s, p_meeting, p_row_version, 'planned');
	PERFORM minqing.require_text(p_reason, 'reason');
	UPDATE minqing.meeting x SET status = 'cancelled', cancel_reason = btrim(p_reason)
	 WHERE x.meeting_id = m.meeting_id;
END
$$;
COMMENT ON FUNCTION minqing.meeting_cancel(bigint, integer, text) IS
	'Cancel a planned meeting, with the reason (row_version: the version read; 40001 when it changed).';
REVOKE ALL ON FUNCTION minqing.meeting_cancel(bigint, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_cancel(bigint, integer, text) TO mq_officer, mq_handler, mq_admin;

-- 会前汇总: the open cases received in the meeting's unit (and below), not
-- yet gathered for it, oldest first (keyset: created_at, case_id). A unit
-- with no unit below it by its own open cases (cases_origin_open_created),
-- a town's by the open cases of the district, oldest first
-- (cases_open_created), tested with ltree_risparent() (<@ would offer the
-- GiST index of all of the town's cases, 120,000 at scale 10, sorted).
CREATE OR REPLACE FUNCTION minqing.meeting_proposals(p_meeting bigint, p_after_created timestamptz DEFAULT NULL,
                                                     p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (meeting_id bigint, case_id bigint, case_no text, title text, status minqing.case_status,
               submitter text, created_at timestamptz, row_version integer)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp SET enable_bitmapscan = off SET jit = off
SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
DECLARE
	m record;
	lim integer := least(greatest(coalesce(p_limit, 50), 1), 500);
	after_at timestamptz := coalesce(p_after_created, '-infinity');
	after_id bigint := coalesce(p_after_id, 0);
BEGIN
	SELECT x.meeting_id, x.unit_id, x.path INTO m FROM minqing.meeting x WHERE x.meeting_id = p_meeting;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM minqing.org_unit u WHERE u.parent_id = m.unit_id) THEN
		RETURN QUERY
		SELECT m.meeting_id, c.case_id, c.case_no, c.title, c.status,
		       CASE WHEN c.anonymous THEN '匿名' ELSE coalesce(c.submitter_name, '') END, c.created_at,
		       c.row_version
		  FROM minqing.cases c
		 WHERE c.origin_unit_id = m.unit_id
		   AND c.status IN ('received', 'accepted', 'dispatched', 'in_progress', 'waiting')
		   AND NOT EXISTS (SELECT 1 FROM minqing.meeting_matter x
		                    WHERE x.meeting_id = m.meeting_id AND x.case_id = c.case_id)
		   AND (c.created_at, c.case_id) > (after_at, after_id)
		 ORDER BY c.created_at, c.case_id LIMIT lim;
	ELSE
		RETURN QUERY
		SELECT m.meeting_id, c.case_id, c.case_no, c.title, c.status,
		       CASE WHEN c.anonymous THEN '匿名' ELSE coalesce(c.submitter_name, '') END, c.created_at,
		       c.row_version
		  FROM minqing.cases c
		 WHERE ext.ltree_risparent(c.origin_path, m.path)
		   AND c.status IN ('received', 'accepted', 'dispatched', 'in_progress', 'waiting')
		   AND NOT EXISTS (SELECT 1 FROM minqing.meeting_matter x
		                    WHERE x.meeting_id = m.meeting_id AND x.case_id = c.case_id)
		   AND (c.created_at, c.case_id) > (after_at, after_id)
		 ORDER BY c.created_at, c.case_id LIMIT lim;
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.meeting_proposals(bigint, timestamptz, bigint, integer) IS
	'会前汇总: the open cases received in a meeting''s unit or below it and not yet gathered for it, oldest '
	'first; next page: p_after_created, p_after_id = created_at, case_id of the last row.';
REVOKE ALL ON FUNCTION minqing.meeting_proposals(bigint, timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_proposals(bigint, timestamptz, bigint, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.meeting_gather_case(p_meeting bigint, p_case bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	m minqing.meeting;
	c minqing.cases;
	id bigint;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	m := minqing.meeting_for(s, p_meeting, NULL, 'planned');
	SELECT * INTO c FROM minqing.cases x WHERE x.case_id = p_case;
	IF NOT FOUND OR NOT c.origin_path OPERATOR(ext.<@) m.path
	   OR c.status NOT IN ('received', 'accepted', 'dispatched', 'in_progress', 'waiting') THEN
		RAISE EXCEPTION 'case % is not an open case of the meeting''s unit', coalesce(c.case_no, p_case::text)
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'case';
	END IF;
	IF EXISTS (SELECT 1 FROM minqing.meeting_matter x WHERE x.meeting_id = m.meeting_id AND x.case_id = c.case_id) THEN
		RAISE EXCEPTION 'case % is already gathered for this meeting', c.case_no
			USING ERRCODE = 'unique_violation', COLUMN = 'case';
	END IF;
	INSERT INTO minqing.meeting_matter (meeting_id, district_id, path, source, content, raised_by, household_id,
	                                    case_id, case_no)
	VALUES (m.meeting_id, m.district_id, m.path, 'case', left(c.title, 1000),
	        CASE WHEN c.anonymous THEN NULL ELSE left(c.submitter_name, 50) END, c.household_id,
	        c.case_id, c.case_no);
	id := currval(pg_get_serial_sequence('minqing.meeting_matter', 'matter_id'));
	-- Its submitter is proposed as an invitee (not the anonymous, not twice).
	IF NOT c.anonymous AND c.submitter_name IS NOT NULL AND c.submitter_phone IS NOT NULL
	   AND NOT EXISTS (SELECT 1 FROM minqing.meeting_invitee i
	                    WHERE i.meeting_id = m.meeting_id AND i.phone = c.submitter_phone) THEN
		INSERT INTO minqing.meeting_invitee (meeting_id, district_id, path, name, phone, resident_id, case_id)
		VALUES (m.meeting_id, m.district_id, m.path, left(c.submitter_name, 50), c.submitter_phone,
		        c.resident_id, c.case_id);
	END IF;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.meeting_gather_case(bigint, bigint) IS
	'Gather an open case of the meeting''s unit as a matter of a planned meeting (会前汇总); its submitter is '
	'proposed as an invitee. Returns the matter''s id.';
REVOKE ALL ON FUNCTION minqing.meeting_gather_case(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_gather_case(bigint, bigint) TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.meeting_gather_topic(p_meeting bigint, p_content text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	m minqing.meeting;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	m := minqing.meeting_for(s, p_meeting, NULL, 'planned');
	PERFORM minqing.require_text(p_content, 'content');
	INSERT INTO minqing.meeting_matter (meeting_id, district_id, path, source, content)
	VALUES (m.meeting_id, m.district_id, m.path, 'topic', btrim(p_content));
	RETURN currval(pg_get_serial_sequence('minqing.meeting_matter', 'matter_id'));
END
$$;
COMMENT ON FUNCTION minqing.meeting_gather_topic(bigint, text) IS
	'Gather a free topic as a matter of a planned meeting (会前汇总). Returns the matter''s id.';
REVOKE ALL ON FUNCTION minqing.meeting_gather_topic(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_gather_topic(bigint, text) TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.meeting_invite(p_meeting bigint, p_name text, p_phone text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	m minqing.meeting;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	m := minqing.meeting_for(s, p_meeting, NULL, 'planned');
	PERFORM minqing.require_text(p_name, 'name');
	PERFORM minqing.require_text(p_phone, 'phone');
	IF EXISTS (SELECT 1 FROM minqing.meeting_invitee i WHERE i.meeting_id = m.meeting_id AND i.phone = btrim(p_phone)) THEN
		RAISE EXCEPTION 'this phone number is already invited' USING ERRCODE = 'unique_violation', COLUMN = 'phone';
	END IF;
	INSERT INTO minqing.meeting_invitee (meeting_id, district_id, path, name, phone)
	VALUES (m.meeting_id, m.district_id, m.path, btrim(p_name), btrim(p_phone)::minqing.phone);
	RETURN currval(pg_get_serial_sequence('minqing.meeting_invitee', 'invitee_id'));
END
$$;
COMMENT ON FUNCTION minqing.meeting_invite(bigint, text, text) IS
	'Add a person (name, mobile phone) to the invitees of a planned meeting; the SMS goes with '
	'meeting_send_invitations. Returns the invitee''s id.';
REVOKE ALL ON FUNCTION minqing.meeting_invite(bigint, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_invite(bigint, text, text) TO mq_officer, mq_handler, mq_admin;

-- The invitations by SMS, through outbox_enqueue (the per-person and
-- per-phone limits); each invitee once (dedupe key meeting:M:invite:I).
CREATE OR REPLACE FUNCTION minqing.meeting_send_invitations(p_meeting bigint, p_row_version integer,
                                                            OUT sent integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	m minqing.meeting;
	u minqing.org_unit;
	i record;
	msg bigint;
	local timestamp;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	m := minqing.meeting_for(s, p_meeting, p_row_version, 'planned');
	SELECT * INTO u FROM minqing.org_unit x WHERE x.unit_id = m.unit_id;
	local := minqing.district_local_time(m.district_id, m.starts_at);
	sent := 0;
	FOR i IN SELECT * FROM minqing.meeting_invitee x
	          WHERE x.meeting_id = m.meeting_id AND x.invited_at IS NULL AND x.phone IS NOT NULL
	          ORDER BY x.invitee_id LOOP
		msg := minqing.outbox_enqueue(m.district_id, m.path, i.phone, i.name,
			minqing.render_template('meeting_invitation', jsonb_build_object(
				'name', i.name, 'unit', u.name, 'date', to_char(local, 'FMMM月FMDD日 HH24:MI'),
				'place', m.place, 'kind', minqing.meeting_kind_name(m.kind), 'title', m.title), m.district_id),
			format('meeting:%s:invite:%s', m.meeting_id, i.invitee_id));
		UPDATE minqing.meeting_invitee x SET invited_at = now(), message_id = msg WHERE x.invitee_id = i.invitee_id;
		sent := sent + 1;
	END LOOP;
END
$$;
COMMENT ON FUNCTION minqing.meeting_send_invitations(bigint, integer) IS
	'Send the invitation SMS (template meeting_invitation) to every invitee of a planned meeting not yet '
	'invited, through the outbox; returns how many were queued.';
REVOKE ALL ON FUNCTION minqing.meeting_send_invitations(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_send_invitations(bigint, integer) TO mq_officer, mq_handler, mq_admin;

------------------------------------------------------------------------------
-- The five steps
------------------------------------------------------------------------------
-- planned -> held, with 干部问事 and the date of 定期评事. Not without a
-- gathered matter.
CREATE OR REPLACE FUNCTION minqing.meeting_hold(p_meeting bigint, p_row_version integer, p_cadres_ask text,
                                                p_review_on date, p_attendance integer DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	m minqing.meeting;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	m := minqing.meeting_for(s, p_meeting, p_row_version, 'planned');
	IF NOT EXISTS (SELECT 1 FROM minqing.meeting_matter x
	                WHERE x.meeting_id = m.meeting_id AND x.source IN ('case', 'topic')) THEN
		RAISE EXCEPTION 'a meeting cannot be marked held without at least one gathered matter'
			USING ERRCODE = 'check_violation',
			      HINT = 'gather the unit''s open cases or a topic first (会前汇总)';
	END IF;
	PERFORM minqing.require_text(p_cadres_ask, 'cadres_ask');
	IF p_review_on IS NULL OR p_review_on < minqing.district_local_time(m.district_id, m.starts_at)::date THEN
		RAISE EXCEPTION 'the review date must be on or after the meeting''s day'
			USING ERRCODE = 'check_violation', COLUMN = 'review_on';
	END IF;
	UPDATE minqing.meeting x SET status = 'held', held_at = now(), cadres_ask = btrim(p_cadres_ask),
	       review_on = p_review_on, attendance = p_attendance
	 WHERE x.meeting_id = m.meeting_id;
END
$$;
COMMENT ON FUNCTION minqing.meeting_hold(bigint, integer, text, date, integer) IS
	'Mark a planned meeting held (planned -> held): the cadres'' notes (干部问事), the date of the review '
	'(定期评事), the attendance. Refused without at least one gathered matter.';
REVOKE ALL ON FUNCTION minqing.meeting_hold(bigint, integer, text, date, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_hold(bigint, integer, text, date, integer) TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.meeting_ask(p_meeting bigint, p_row_version integer, p_cadres_ask text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	m minqing.meeting;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	m := minqing.meeting_for(s, p_meeting, p_row_version, 'held');
	PERFORM minqing.require_text(p_cadres_ask, 'cadres_ask');
	UPDATE minqing.meeting x SET cadres_ask = btrim(p_cadres_ask) WHERE x.meeting_id = m.meeting_id;
END
$$;
COMMENT ON FUNCTION minqing.meeting_ask(bigint, integer, text) IS
	'Correct the cadres'' notes (干部问事) of a held meeting.';
REVOKE ALL ON FUNCTION minqing.meeting_ask(bigint, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_ask(bigint, integer, text) TO mq_officer, mq_handler, mq_admin;

-- 群众说事: a matter raised at a held meeting.
CREATE OR REPLACE FUNCTION minqing.meeting_raise(p_meeting bigint, p_content text, p_raised_by text,
                                                 p_household bigint DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	m minqing.meeting;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	m := minqing.meeting_for(s, p_meeting, NULL, 'held');
	PERFORM minqing.require_text(p_content, 'content');
	PERFORM minqing.require_text(p_raised_by, 'raised_by');
	IF p_household IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM minqing.household h
		 WHERE h.household_id = p_household AND h.path OPERATOR(ext.<@) m.path) THEN
		RAISE EXCEPTION 'household % not found', p_household USING ERRCODE = 'foreign_key_violation';
	END IF;
	INSERT INTO minqing.meeting_matter (meeting_id, district_id, path, source, content, raised_by, household_id)
	VALUES (m.meeting_id, m.district_id, m.path, 'raised', btrim(p_content), btrim(p_raised_by), p_household);
	RETURN currval(pg_get_serial_sequence('minqing.meeting_matter', 'matter_id'));
END
$$;
COMMENT ON FUNCTION minqing.meeting_raise(bigint, text, text, bigint) IS
	'群众说事: record a matter a person raised at a held meeting (who, optionally the household of the '
	'meeting''s unit). Returns the matter''s id.';
REVOKE ALL ON FUNCTION minqing.meeting_raise(bigint, text, text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_raise(bigint, text, text, bigint) TO mq_officer, mq_handler, mq_admin;

-- A raised matter becomes a case: case_intake() with channel
-- dialogue_meeting, in this transaction; the matter keeps the case.
CREATE OR REPLACE FUNCTION minqing.meeting_matter_to_case(
	p_matter bigint, p_category integer, p_title text, p_content text DEFAULT NULL,
	p_submitter_name text DEFAULT NULL, p_submitter_phone text DEFAULT NULL,
	p_urgency minqing.urgency DEFAULT 'normal',
	OUT case_id bigint, OUT case_no text, OUT duplicates jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_variable
DECLARE
	s minqing.staff;
	x minqing.meeting_matter;
	c record;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	x := minqing.meeting_matter_for(s, p_matter, NULL);
	IF x.case_id IS NOT NULL THEN
		RAISE EXCEPTION 'matter % is already a case', x.matter_id USING ERRCODE = 'invalid_transaction_state';
	END IF;
	SELECT * INTO c
	  FROM minqing.case_intake('dialogue_meeting', coalesce(nullif(btrim(p_title), ''), left(x.content, 40)),
	                           coalesce(nullif(btrim(p_content), ''), x.content), p_category,
	                           coalesce(nullif(btrim(p_submitter_name), ''), x.raised_by), nullif(btrim(p_submitter_phone), ''),
	                           x.household_id, NULL, false, p_urgency, NULL, NULL);
	UPDATE minqing.meeting_matter y SET case_id = c.case_id, case_no = c.case_no WHERE y.matter_id = x.matter_id;
	case_id := c.case_id;
	case_no := c.case_no;
	duplicates := c.duplicates;
END
$$;
COMMENT ON FUNCTION minqing.meeting_matter_to_case(bigint, integer, text, text, text, text, minqing.urgency) IS
	'群众说事 -> a case: case_intake() with channel dialogue_meeting, the matter''s text and raiser (each may be '
	'given instead), in one transaction; the matter keeps the case. Returns what case_intake returns.';
REVOKE ALL ON FUNCTION minqing.meeting_matter_to_case(bigint, integer, text, text, text, text, minqing.urgency) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_matter_to_case(bigint, integer, text, text, text, text, minqing.urgency)
	TO mq_officer, mq_handler, mq_admin;

-- 民主议事: the decision on a matter (changed until it is a case).
CREATE OR REPLACE FUNCTION minqing.meeting_decide(p_matter bigint, p_row_version integer, p_decision text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	x minqing.meeting_matter;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	x := minqing.meeting_matter_for(s, p_matter, p_row_version);
	IF x.due_case_id IS NOT NULL THEN
		RAISE EXCEPTION 'the decision on matter % is already a case', x.matter_id
			USING ERRCODE = 'invalid_transaction_state';
	END IF;
	PERFORM minqing.require_text(p_decision, 'decision');
	UPDATE minqing.meeting_matter y SET decision = btrim(p_decision), decided_at = now()
	 WHERE y.matter_id = x.matter_id;
END
$$;
COMMENT ON FUNCTION minqing.meeting_decide(bigint, integer, text) IS
	'民主议事: record the decision on a matter of a held meeting (until the decision is a case).';
REVOKE ALL ON FUNCTION minqing.meeting_decide(bigint, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_decide(bigint, integer, text) TO mq_officer, mq_handler, mq_admin;

-- 限期办事: the decision becomes a case through case_intake (channel
-- dialogue_meeting), taken on at once by the meeting's unit — the meeting
-- decided it, so the receiving unit accepts it in the same step (the
-- transition of case_accept: received -> accepted, logged 'accept'), and
-- the cases' bookkeeping trigger sets its deadline under the service
-- commitment at that unit's level, with the escalation schedule. A handler
-- or administrator may dispatch it at once (case_dispatch, its own checks).
CREATE OR REPLACE FUNCTION minqing.meeting_decision_to_case(
	p_matter bigint, p_category integer, p_title text DEFAULT NULL, p_unit_code text DEFAULT NULL,
	OUT case_id bigint, OUT case_no text, OUT due_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_variable
DECLARE
	s minqing.staff;
	x minqing.meeting_matter;
	m minqing.meeting;
	src minqing.cases;
	c minqing.cases;
	r record;
	submitter text;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	x := minqing.meeting_matter_for(s, p_matter, NULL);
	IF x.decision IS NULL THEN
		RAISE EXCEPTION 'record the decision on matter % first', x.matter_id
			USING ERRCODE = 'invalid_transaction_state';
	END IF;
	IF x.due_case_id IS NOT NULL THEN
		RAISE EXCEPTION 'the decision on matter % is already a case', x.matter_id
			USING ERRCODE = 'invalid_transaction_state';
	END IF;
	SELECT * INTO m FROM minqing.meeting y WHERE y.meeting_id = x.meeting_id;
	IF x.case_id IS NOT NULL THEN
		SELECT * INTO src FROM minqing.cases y WHERE y.case_id = x.case_id;
	END IF;
	submitter := coalesce(CASE WHEN src.anonymous THEN NULL ELSE src.submitter_name END, x.raised_by,
	                      (SELECT u.name FROM minqing.org_unit u WHERE u.unit_id = m.unit_id)
	                      || minqing.meeting_kind_name(m.kind));
	SELECT * INTO r
	  FROM minqing.case_intake('dialogue_meeting',
	                           coalesce(nullif(btrim(p_title), ''), left(split_part(x.decision, E'\n', 1), 40)),
	                           '民主议事决定：' || x.decision || E'\n议题：' || x.content, p_category,
	                           left(submitter, 50), CASE WHEN src.anonymous THEN NULL ELSE src.submitter_phone END,
	                           coalesce(x.household_id, src.household_id), NULL, false, 'normal', NULL, NULL);
	c := minqing.case_for(s, r.case_id, '{received}', 'accepted', 'origin');
	UPDATE minqing.cases y SET status = 'accepted', accepted_at = now(), handler_staff_id = s.staff_id
	 WHERE y.case_id = c.case_id RETURNING * INTO c;
	PERFORM minqing.case_log(c, 'accept', 'received', '限期办事：' || m.title,
	                         jsonb_build_object('meeting', m.meeting_id, 'matter', x.matter_id));
	IF p_unit_code IS NOT NULL AND p_unit_code <> '' THEN
		PERFORM minqing.case_dispatch(c.case_id, p_unit_code, NULL, NULL, NULL, '限期办事：' || m.title);
	END IF;
	UPDATE minqing.meeting_matter y SET due_case_id = c.case_id, due_case_no = c.case_no
	 WHERE y.matter_id = x.matter_id;
	case_id := c.case_id;
	case_no := c.case_no;
	SELECT y.due_at INTO due_at FROM minqing.cases y WHERE y.case_id = c.case_id;
END
$$;
COMMENT ON FUNCTION minqing.meeting_decision_to_case(bigint, integer, text, text) IS
	'限期办事: the decision on a matter becomes a case (case_intake, channel dialogue_meeting) taken on at '
	'once by the caller''s unit, so that its deadline is the service commitment''s (and its escalation '
	'follows); handlers and administrators may dispatch it to p_unit_code at once. Returns the case and its '
	'deadline.';
REVOKE ALL ON FUNCTION minqing.meeting_decision_to_case(bigint, integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_decision_to_case(bigint, integer, text, text)
	TO mq_officer, mq_handler, mq_admin;

-- 定期评事: held -> reviewed, the note and the participants' satisfaction.
CREATE OR REPLACE FUNCTION minqing.meeting_review(p_meeting bigint, p_row_version integer, p_note text,
                                                  p_satisfied integer DEFAULT 0,
                                                  p_basically_satisfied integer DEFAULT 0,
                                                  p_not_satisfied integer DEFAULT 0) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	m minqing.meeting;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	m := minqing.meeting_for(s, p_meeting, p_row_version, 'held');
	PERFORM minqing.require_text(p_note, 'note');
	IF coalesce(p_satisfied, 0) < 0 OR coalesce(p_basically_satisfied, 0) < 0 OR coalesce(p_not_satisfied, 0) < 0 THEN
		RAISE EXCEPTION 'satisfaction counts cannot be negative' USING ERRCODE = 'check_violation';
	END IF;
	UPDATE minqing.meeting x
	   SET status = 'reviewed', reviewed_at = now(), review_note = btrim(p_note),
	       satisfied = coalesce(p_satisfied, 0), basically_satisfied = coalesce(p_basically_satisfied, 0),
	       not_satisfied = coalesce(p_not_satisfied, 0)
	 WHERE x.meeting_id = m.meeting_id;
END
$$;
COMMENT ON FUNCTION minqing.meeting_review(bigint, integer, text, integer, integer, integer) IS
	'定期评事: record the review of a held meeting (held -> reviewed): a note and how many participants were '
	'satisfied, basically satisfied, not satisfied. Each item''s result is read from its case.';
REVOKE ALL ON FUNCTION minqing.meeting_review(bigint, integer, text, integer, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_review(bigint, integer, text, integer, integer, integer)
	TO mq_officer, mq_handler, mq_admin;

-- The reminders of reviews that fall due, to the hosts: called by the
-- escalation job (minqing-escalate) after each pass. Set-based and
-- idempotent: one message per meeting (review_reminded_at, and the dedupe
-- key meeting:M:review).
CREATE OR REPLACE FUNCTION minqing.meeting_review_pass(p_now timestamptz DEFAULT now()) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n integer;
BEGIN
	WITH due AS (
		SELECT m.meeting_id
		  FROM minqing.meeting m
		 WHERE m.status = 'held' AND m.review_reminded_at IS NULL
		   AND m.review_on <= minqing.district_local_time(m.district_id, p_now)::date
		   FOR UPDATE SKIP LOCKED
	), marked AS (
		UPDATE minqing.meeting m SET review_reminded_at = p_now
		  FROM due WHERE m.meeting_id = due.meeting_id
		RETURNING m.*
	), sent AS (
		INSERT INTO minqing.outbox (district_id, path, recipient_phone, recipient_name, body, dedupe_key)
		SELECT k.district_id, k.path, h.phone, h.display_name,
		       minqing.render_template('meeting_review_due', jsonb_build_object(
		           'host', h.display_name, 'unit', u.name,
		           'date', to_char(minqing.district_local_time(k.district_id, k.starts_at), 'FMMM月FMDD日'),
		           'kind', minqing.meeting_kind_name(k.kind), 'title', k.title,
		           'review_on', to_char(k.review_on, 'FMMM月FMDD日')), k.district_id),
		       format('meeting:%s:review', k.meeting_id)
		  FROM marked k
		  JOIN minqing.staff h ON h.staff_id = k.host_staff_id
		  JOIN minqing.org_unit u ON u.unit_id = k.unit_id
		 WHERE h.phone IS NOT NULL
		ON CONFLICT (dedupe_key) DO NOTHING
		RETURNING 1
	)
	SELECT count(*) INTO n FROM sent;
	RETURN n;
END
$$;
COMMENT ON FUNCTION minqing.meeting_review_pass(timestamptz) IS
	'The reminders of the meeting reviews (定期评事) due by p_now, one SMS to each host (template '
	'meeting_review_due), each meeting once; returns how many were queued. Run by minqing-escalate.';
REVOKE ALL ON FUNCTION minqing.meeting_review_pass(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_review_pass(timestamptz) TO mq_escalator;

------------------------------------------------------------------------------
-- Reads: the list, the record and its lines, the matters, the invitees,
-- the minutes. SECURITY INVOKER: row-level security decides what is seen.
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.meetings(p_filter text DEFAULT 'all', p_after_starts timestamptz DEFAULT NULL,
                                            p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (meeting_id bigint, unit_name text, kind text, form text, title text, starts_at timestamptz,
               place text, host_name text, status text, matters integer, review_on date, row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT m.meeting_id, u.name, m.kind, m.form, m.title, m.starts_at, m.place, h.display_name, m.status,
	       (SELECT count(*) FROM minqing.meeting_matter x WHERE x.meeting_id = m.meeting_id)::integer,
	       m.review_on, m.row_version
	  FROM minqing.meeting m
	  JOIN minqing.org_unit u ON u.unit_id = m.unit_id
	  JOIN minqing.staff h ON h.staff_id = m.host_staff_id
	 WHERE (coalesce(p_filter, 'all') = 'all' OR m.status = p_filter
	        OR (p_filter = 'review_due' AND m.status = 'held'
	            AND m.review_on <= minqing.district_local_time(m.district_id, now())::date + 7))
	   AND (p_after_id IS NULL OR (m.starts_at, m.meeting_id) < (p_after_starts, p_after_id))
	 ORDER BY m.starts_at DESC, m.meeting_id DESC
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.meetings(text, timestamptz, bigint, integer) IS
	'The dialogue meetings of the caller''s jurisdiction, latest first; p_filter all, planned, held, reviewed, '
	'cancelled or review_due (held, review within 7 days or past); next page: p_after_starts, p_after_id.';
REVOKE ALL ON FUNCTION minqing.meetings(text, timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meetings(text, timestamptz, bigint, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.meeting_record(p_meeting bigint)
RETURNS TABLE (meeting_id bigint, heading text, unit_code text, unit_name text, kind text, form text,
               starts_at timestamptz, place text, host_name text, status text, gathered integer,
               invitees integer, cadres_ask text, attendance integer, review_on date, review_note text,
               satisfaction text, cancel_reason text, row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT m.meeting_id, m.title, u.code, u.name, m.kind, m.form, m.starts_at, m.place, h.display_name, m.status,
	       (SELECT count(*) FROM minqing.meeting_matter x
	         WHERE x.meeting_id = m.meeting_id AND x.source IN ('case', 'topic'))::integer,
	       (SELECT count(*) FROM minqing.meeting_invitee i WHERE i.meeting_id = m.meeting_id)::integer,
	       m.cadres_ask, m.attendance, m.review_on, m.review_note,
	       CASE WHEN m.reviewed_at IS NOT NULL
	            THEN format('满意 %s，基本满意 %s，不满意 %s', m.satisfied, m.basically_satisfied, m.not_satisfied) END,
	       m.cancel_reason, m.row_version
	  FROM minqing.meeting m
	  JOIN minqing.org_unit u ON u.unit_id = m.unit_id
	  JOIN minqing.staff h ON h.staff_id = m.host_staff_id
	 WHERE m.meeting_id = p_meeting
$$;
COMMENT ON FUNCTION minqing.meeting_record(bigint) IS
	'One meeting as a record: title, unit, kind, form, time, place, host, state, how many matters gathered and '
	'people invited, the cadres'' notes, the review date, note and satisfaction.';
REVOKE ALL ON FUNCTION minqing.meeting_record(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_record(bigint) TO mq_staff;

-- The state of a case in Chinese, for the minutes and lines.
CREATE OR REPLACE FUNCTION minqing.meeting_case_state(p_status minqing.case_status) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE p_status WHEN 'received' THEN '已登记' WHEN 'accepted' THEN '已受理' WHEN 'dispatched' THEN '已交办'
                     WHEN 'in_progress' THEN '办理中' WHEN 'waiting' THEN '暂停' WHEN 'resolved' THEN '已办结'
                     WHEN 'reported' THEN '已反馈' WHEN 'closed' THEN '已结案' WHEN 'withdrawn' THEN '已撤回' END;
COMMENT ON FUNCTION minqing.meeting_case_state(minqing.case_status) IS 'A case status in Chinese words.';
REVOKE ALL ON FUNCTION minqing.meeting_case_state(minqing.case_status) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_case_state(minqing.case_status) TO mq_staff;

-- A matter's lines: what, from where, the decision, the case and its state.
CREATE OR REPLACE FUNCTION minqing.meeting_matter_rows(p_meeting bigint)
RETURNS TABLE (matter_id bigint, meeting_id bigint, n integer, source text, content text, title text, raised_by text,
               case_no text, case_status minqing.case_status, decision text, due_case_no text,
               due_status minqing.case_status, due_at timestamptz, result text, state text, row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT x.matter_id, x.meeting_id, (row_number() OVER (ORDER BY x.matter_id))::integer, x.source, x.content,
	       left(split_part(x.content, E'\n', 1), 40), x.raised_by, x.case_no, c.status, x.decision, x.due_case_no, d.status, d.due_at,
	       coalesce(d.result, c.result),
	       CASE WHEN m.status <> 'held' THEN 'closed'
	            WHEN x.due_case_id IS NOT NULL THEN 'done'
	            WHEN x.decision IS NOT NULL THEN 'decided'
	            WHEN x.source = 'raised' AND x.case_id IS NULL THEN 'raised'
	            ELSE 'open' END,
	       x.row_version
	  FROM minqing.meeting_matter x
	  JOIN minqing.meeting m ON m.meeting_id = x.meeting_id
	  LEFT JOIN minqing.cases c ON c.case_id = x.case_id
	  LEFT JOIN minqing.cases d ON d.case_id = x.due_case_id
	 WHERE x.meeting_id = p_meeting
	 ORDER BY x.matter_id
$$;
COMMENT ON FUNCTION minqing.meeting_matter_rows(bigint) IS
	'The matters of a meeting in order: gathered (case, topic) and raised (title: the first line, for the '
	'intake), the case each is or became and its '
	'status, the decision, the case the decision became (限期办事), its status and deadline, the result; '
	'state: raised (may become a case), open, decided (may become a case with a deadline), done, closed (the '
	'meeting is not held).';
REVOKE ALL ON FUNCTION minqing.meeting_matter_rows(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_matter_rows(bigint) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.meeting_invitee_rows(p_meeting bigint)
RETURNS TABLE (invitee_id bigint, name text, phone text, case_no text, invited_at timestamptz)
LANGUAGE sql STABLE AS $$
	SELECT i.invitee_id, i.name, coalesce(minqing.mask_phone(i.phone), ''), c.case_no, i.invited_at
	  FROM minqing.meeting_invitee i
	  LEFT JOIN minqing.cases c ON c.case_id = i.case_id
	 WHERE i.meeting_id = p_meeting
	 ORDER BY i.invitee_id
$$;
COMMENT ON FUNCTION minqing.meeting_invitee_rows(bigint) IS
	'The invitees of a meeting: name, masked phone, the gathered case they were proposed from, when invited.';
REVOKE ALL ON FUNCTION minqing.meeting_invitee_rows(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_invitee_rows(bigint) TO mq_staff;

-- The record's lines: the five steps.
CREATE OR REPLACE FUNCTION minqing.meeting_lines(p_meeting bigint)
RETURNS TABLE (label_zh text, label_en text, value text, value_en text, depth integer)
LANGUAGE sql STABLE AS $$
	WITH x AS (SELECT * FROM minqing.meeting_matter_rows(p_meeting)),
	m AS (SELECT g.district_id FROM minqing.meeting g WHERE g.meeting_id = p_meeting)
	SELECT l.label_zh, l.label_en, l.value, l.value_en, l.depth FROM (
		SELECT 1 AS part, 0 AS n, 0 AS sub, '会前汇总'::text AS label_zh, 'Gathered'::text AS label_en,
		       NULL::text AS value, NULL::text AS value_en, 0 AS depth
		UNION ALL
		SELECT 1, x.n, 0, x.n::text || '.', x.n::text || '.',
		       coalesce(x.case_no || ' ', '') || x.content
		       || coalesce('（' || minqing.meeting_case_state(x.case_status) || '）', ''), NULL, 1
		  FROM x WHERE x.source IN ('case', 'topic')
		UNION ALL
		SELECT 2, 0, 0, '群众说事', 'Raised', NULL, NULL, 0
		 WHERE EXISTS (SELECT 1 FROM x WHERE x.source = 'raised')
		UNION ALL
		SELECT 2, x.n, 0, x.n::text || '.', x.n::text || '.',
		       coalesce(x.raised_by || '：', '') || x.content || coalesce(' → ' || x.case_no, ''), NULL, 1
		  FROM x WHERE x.source = 'raised'
		UNION ALL
		SELECT 3, 0, 0, '民主议事 / 限期办事', 'Decisions and deadlines', NULL, NULL, 0
		 WHERE EXISTS (SELECT 1 FROM x WHERE x.decision IS NOT NULL)
		UNION ALL
		SELECT 3, x.n, 0, x.n::text || '.', x.n::text || '.',
		       x.decision || coalesce(' → ' || x.due_case_no || '，时限 '
		                              || to_char(minqing.district_local_time(m.district_id, x.due_at),
		                                         'YYYY-MM-DD HH24:MI') || '，'
		                              || minqing.meeting_case_state(x.due_status), ''), NULL, 1
		  FROM x CROSS JOIN m WHERE x.decision IS NOT NULL
	) l ORDER BY l.part, l.n, l.sub
$$;
COMMENT ON FUNCTION minqing.meeting_lines(bigint) IS
	'A meeting''s record lines: the gathered matters (会前汇总) with their cases'' state, the matters raised '
	'(群众说事) and the cases they became, the decisions (民主议事) and the cases with deadlines (限期办事).';
REVOKE ALL ON FUNCTION minqing.meeting_lines(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_lines(bigint) TO mq_staff;

-- The minutes (会议纪要), printable: one row per line of at most 78
-- display columns; the list's export (E) writes them to a text file.
CREATE OR REPLACE FUNCTION minqing.meeting_minutes(p_meeting bigint)
RETURNS TABLE (line_no integer, line text)
LANGUAGE sql STABLE AS $$
	WITH m AS (SELECT r.*, g.reviewed_at, g.held_at, g.district_id
	             FROM minqing.meeting_record(p_meeting) r
	             JOIN minqing.meeting g ON g.meeting_id = r.meeting_id),
	x AS (SELECT * FROM minqing.meeting_matter_rows(p_meeting)),
	parts AS (
		SELECT 0 AS part, 0 AS n, m.unit_name || minqing.meeting_kind_name(m.kind) || '纪要' AS first, NULL::text AS body FROM m
		UNION ALL SELECT 1, 0, '议题：', m.heading FROM m
		UNION ALL SELECT 2, 0, '时间：', to_char(minqing.district_local_time(m.district_id, m.starts_at), 'YYYY-MM-DD HH24:MI')
		                       || '　形式：' || minqing.meeting_form_name(m.form) || '　地点：' || m.place FROM m
		UNION ALL SELECT 3, 0, '主持：', m.host_name || coalesce('　参加人数：' || m.attendance, '') FROM m
		UNION ALL SELECT 4, 0, '一、会前汇总', '' FROM m
		UNION ALL SELECT 5, x.n, '  ' || x.n || '. ', coalesce(x.case_no || ' ', '') || x.content
		                         || coalesce('（' || minqing.meeting_case_state(x.case_status) || '）', '')
		  FROM x WHERE x.source IN ('case', 'topic')
		UNION ALL SELECT 6, 0, '二、干部问事', '' FROM m
		UNION ALL SELECT 7, 0, '  ', coalesce(m.cadres_ask, '（未记录）') FROM m
		UNION ALL SELECT 8, 0, '三、群众说事', '' FROM m
		UNION ALL SELECT 9, x.n, '  ' || x.n || '. ', coalesce(x.raised_by || '：', '') || x.content
		                         || coalesce('（转为案件 ' || x.case_no || '）', '')
		  FROM x WHERE x.source = 'raised'
		UNION ALL SELECT 10, 0, '四、民主议事', '' FROM m
		UNION ALL SELECT 11, x.n, '  ' || x.n || '. ', x.decision FROM x WHERE x.decision IS NOT NULL
		UNION ALL SELECT 12, 0, '五、限期办事', '' FROM m
		UNION ALL SELECT 13, x.n, '  ' || x.n || '. ', x.due_case_no || ' 时限 '
		                          || to_char(minqing.district_local_time((SELECT district_id FROM m), x.due_at),
		                                     'YYYY-MM-DD HH24:MI')
		                          || ' ' || minqing.meeting_case_state(x.due_status)
		  FROM x WHERE x.due_case_no IS NOT NULL
		UNION ALL SELECT 14, 0, '六、定期评事', coalesce('（' || to_char(m.review_on, 'YYYY-MM-DD') || '）', '') FROM m
		UNION ALL SELECT 15, x.n, '  ' || x.n || '. ', coalesce(x.due_case_no, x.case_no) || ' '
		                          || minqing.meeting_case_state(coalesce(x.due_status, x.case_status))
		                          || coalesce('：' || x.result, '')
		  FROM x WHERE coalesce(x.due_case_no, x.case_no) IS NOT NULL
		UNION ALL SELECT 16, 0, '  评议：', m.review_note || '（' || m.satisfaction || '）' FROM m
		 WHERE m.reviewed_at IS NOT NULL
	)
	SELECT (row_number() OVER (ORDER BY p.part, p.n, w.o))::integer, w.line
	  FROM parts p
	 CROSS JOIN LATERAL minqing.meeting_wrap(p.first, p.body, 78, 5) WITH ORDINALITY AS w(line, o)
	 ORDER BY 1
$$;
COMMENT ON FUNCTION minqing.meeting_minutes(bigint) IS
	'The minutes of a meeting (会议纪要) as lines of at most 78 display columns: heading, time, form, place, '
	'host, then the five steps with the cases, deadlines and results; printable through the list''s export.';
REVOKE ALL ON FUNCTION minqing.meeting_minutes(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.meeting_minutes(bigint) TO mq_staff;

RESET ROLE;
