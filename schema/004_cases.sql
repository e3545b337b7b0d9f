-- 004_cases.sql: cases (民情信息) and their workflow, deadlines under the
-- service commitment, reminders and yellow/orange/red escalation, and the
-- messages they cause. Builds on 001 (organisation, staff, RLS), 002 (work
-- calendar, categories, commitments, escalation rules) and 003 (outbox,
-- templates, the mq_system group).
--
-- Every change of a case goes through a SECURITY DEFINER function below that
-- checks the caller's duty and jurisdiction and writes a case_event row; no
-- client role holds INSERT, UPDATE or DELETE on cases or case_event. The
-- deadline and the next escalation time are kept by a trigger, so no path
-- can forget them. One function, escalation_pass(now), runs a pass.

LOCK TABLE pg_catalog.pg_authid IN SHARE ROW EXCLUSIVE MODE;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA ext;

-- mq_escalator: the group of the escalation job's login (minqing-escalate).
-- mq_publisher: owns only the publication view and lookup; it bypasses RLS
-- so that the public sees every case, but only through masked columns.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mq_escalator') THEN
		CREATE ROLE mq_escalator NOLOGIN IN ROLE mq_system;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mq_publisher') THEN
		CREATE ROLE mq_publisher NOLOGIN BYPASSRLS;
	END IF;
	-- Owns case_unassign() only: see there.
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mq_case_mover') THEN
		CREATE ROLE mq_case_mover NOLOGIN BYPASSRLS IN ROLE mq_system;
	END IF;
END
$$;
GRANT USAGE ON SCHEMA ext TO mq_publisher;

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- System jobs see the whole tree (escalation pass, SMS drainer).
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.my_scope() RETURNS ext.ltree
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN coalesce(
		(SELECT u.path FROM minqing.staff s JOIN minqing.org_unit u ON u.unit_id = s.unit_id
		  WHERE s.login = session_user AND s.active AND s.duty <> 'kiosk'),
		CASE WHEN pg_has_role(session_user, 'mq_system', 'MEMBER') THEN ''::ext.ltree END);
END
$$;
COMMENT ON FUNCTION minqing.my_scope() IS
	'The organisation subtree the calling person may read; everything for system jobs (mq_system).';

------------------------------------------------------------------------------
-- Types
------------------------------------------------------------------------------
CREATE TYPE minqing.case_status AS ENUM
	('received', 'accepted', 'dispatched', 'in_progress', 'waiting', 'resolved', 'reported',
	 'closed', 'withdrawn');
COMMENT ON TYPE minqing.case_status IS
	'received 已受理登记; accepted 已分流受理; dispatched 已交办; in_progress 办理中; waiting 待群众补充(暂停计时); '
	'resolved 已办结; reported 已反馈; closed 已归档; withdrawn 已撤回';
CREATE TYPE minqing.case_channel AS ENUM
	('walk_in', 'hotline', 'email', 'letter', 'party_visit', 'dialogue_meeting', 'station_terminal');
CREATE TYPE minqing.urgency AS ENUM ('normal', 'urgent', 'very_urgent');
-- Ordered: comparisons such as warning_level >= 'orange' mean what they say.
CREATE TYPE minqing.warning_level AS ENUM ('none', 'yellow', 'orange', 'red');
CREATE TYPE minqing.satisfaction AS ENUM ('satisfied', 'basically_satisfied', 'not_satisfied');

------------------------------------------------------------------------------
-- Cases
------------------------------------------------------------------------------
CREATE SEQUENCE minqing.case_no_seq;
COMMENT ON SEQUENCE minqing.case_no_seq IS
	'Numbers for case_no. A sequence, not a counter row, so intakes never queue behind each other; '
	'a rolled-back intake leaves a gap, which is harmless.';

CREATE TABLE minqing.cases (
	case_id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id         smallint NOT NULL REFERENCES minqing.district,
	case_no             text NOT NULL UNIQUE,
	channel             minqing.case_channel NOT NULL,
	station_id          integer REFERENCES minqing.station,
	origin_unit_id      integer NOT NULL REFERENCES minqing.org_unit,
	origin_path         ext.ltree NOT NULL,
	household_id        bigint REFERENCES minqing.household,
	resident_id         bigint REFERENCES minqing.resident,
	submitter_name      text,
	submitter_phone     minqing.phone,
	anonymous           boolean NOT NULL DEFAULT false,
	title               text NOT NULL CHECK (title <> ''),
	content             text NOT NULL CHECK (content <> ''),
	category_id         integer NOT NULL REFERENCES minqing.case_category,
	urgency             minqing.urgency NOT NULL DEFAULT 'normal',
	is_key              boolean NOT NULL DEFAULT false,
	status              minqing.case_status NOT NULL DEFAULT 'received',
	assigned_unit_id    integer REFERENCES minqing.org_unit,
	assigned_path       ext.ltree,
	handler_staff_id    integer REFERENCES minqing.staff,
	proxy_resident_id   bigint REFERENCES minqing.resident,
	commitment_kind     text,
	commitment_amount   integer,
	started_at          timestamptz,
	due_at              timestamptz,
	paused_at           timestamptz,
	pause_reason        text,
	warning_level       minqing.warning_level NOT NULL DEFAULT 'none',
	reminded_at         timestamptz,
	remind_at           timestamptz,
	yellow_at           timestamptz,
	orange_at           timestamptz,
	red_at              timestamptz,
	next_escalation_at  timestamptz,
	accepted_at         timestamptz,
	dispatched_at       timestamptz,
	resolved_at         timestamptz,
	result              text,
	overdue_reason      text,
	reported_at         timestamptz,
	closed_at           timestamptz,
	satisfaction        minqing.satisfaction,
	entered_by          name NOT NULL DEFAULT session_user,
	row_version         integer NOT NULL DEFAULT 1,
	created_at          timestamptz NOT NULL DEFAULT now(),
	updated_at          timestamptz NOT NULL DEFAULT now(),
	CHECK (anonymous OR household_id IS NOT NULL OR submitter_name IS NOT NULL),
	CHECK ((assigned_unit_id IS NULL) = (assigned_path IS NULL)),
	CHECK (status NOT IN ('resolved', 'reported', 'closed') OR result IS NOT NULL)
);
COMMENT ON TABLE minqing.cases IS
	'A case (民情信息): an appeal, complaint or question of a resident. Visible to the units on the path '
	'where it was received (origin_path) and to the unit it is assigned to (assigned_path). Changed only '
	'through the case_* functions.';
COMMENT ON COLUMN minqing.cases.remind_at IS
	'The escalation schedule (remind_at, yellow_at, orange_at, red_at): computed from the rules and the '
	'calendar when the deadline is set or moved, so an escalation pass does no calendar arithmetic.';
COMMENT ON COLUMN minqing.cases.next_escalation_at IS
	'When the escalation pass must next look at this case (reminder, yellow, orange, red); NULL when '
	'nothing more can happen. Kept by trigger; the pass reads only rows due, through a partial index.';
CREATE INDEX cases_origin_path_gist ON minqing.cases USING gist (origin_path);
CREATE INDEX cases_assigned_path_gist ON minqing.cases USING gist (assigned_path);
CREATE INDEX cases_next_escalation ON minqing.cases (next_escalation_at)
	WHERE next_escalation_at IS NOT NULL;
CREATE INDEX cases_phone_created ON minqing.cases (submitter_phone, created_at)
	WHERE submitter_phone IS NOT NULL;
CREATE INDEX cases_household ON minqing.cases (household_id) WHERE household_id IS NOT NULL;
CREATE INDEX cases_created ON minqing.cases (created_at, case_id);
CREATE INDEX cases_open_status ON minqing.cases (status, due_at)
	WHERE status NOT IN ('closed', 'withdrawn');

-- A plain sequence rather than an identity: case_log takes the id first, since
-- INSERT ... RETURNING would need the new row to pass the SELECT policy, and a
-- case returned or re-dispatched has just left the caller's sight.
CREATE SEQUENCE minqing.case_event_seq;
CREATE TABLE minqing.case_event (
	event_id    bigint PRIMARY KEY DEFAULT nextval('minqing.case_event_seq'),
	case_id     bigint NOT NULL REFERENCES minqing.cases,
	district_id smallint NOT NULL REFERENCES minqing.district,
	at          timestamptz NOT NULL DEFAULT clock_timestamp(),
	actor       name NOT NULL DEFAULT session_user,
	kind        text NOT NULL,
	from_status minqing.case_status,
	to_status   minqing.case_status,
	note        text,
	data        jsonb
);
COMMENT ON TABLE minqing.case_event IS
	'The timeline of a case: every transition, progress note, reminder and warning. Append-only; '
	'visible exactly when its case is visible.';
CREATE INDEX case_event_case ON minqing.case_event (case_id, event_id);

CREATE TABLE minqing.case_extension (
	extension_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id       bigint NOT NULL REFERENCES minqing.cases,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	requested_by  name NOT NULL DEFAULT session_user,
	requested_at  timestamptz NOT NULL DEFAULT now(),
	reason        text NOT NULL CHECK (reason <> ''),
	working_days  integer NOT NULL CHECK (working_days BETWEEN 1 AND 60),
	decision      text CHECK (decision IN ('approved', 'refused')),
	decided_by    name,
	decided_at    timestamptz,
	decision_note text
);
COMMENT ON TABLE minqing.case_extension IS
	'A request to move a deadline, with its reason, decided one level up.';
CREATE UNIQUE INDEX case_extension_one_pending ON minqing.case_extension (case_id)
	WHERE decision IS NULL;

-- outbox.case_id has no foreign key: cases are never deleted (no role holds
-- DELETE on them) and the per-row check cost an escalation pass 13 µs per
-- message; the join is by index (outbox_case, 003) when a supervisor looks.

------------------------------------------------------------------------------
-- Guards: history is append-only; a case is changed only by its functions.
------------------------------------------------------------------------------
CREATE TRIGGER case_event_no_update BEFORE UPDATE OR DELETE ON minqing.case_event
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_refuse();
CREATE TRIGGER case_event_no_truncate BEFORE TRUNCATE ON minqing.case_event
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.audit_refuse();

------------------------------------------------------------------------------
-- Deadline and escalation bookkeeping, by trigger.
------------------------------------------------------------------------------
-- The time of the next escalation step of a case, from its stored schedule:
-- the reminder (if not yet sent and the warning is still none), then the
-- level above the current one.
-- (No SET search_path: it names nothing unqualified, and the clause would
-- stop PostgreSQL from inlining it into the trigger, once per updated row.)
CREATE FUNCTION minqing.case_next_escalation(c minqing.cases) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN c.status NOT IN ('accepted', 'dispatched', 'in_progress') OR c.due_at IS NULL
		     OR c.paused_at IS NOT NULL THEN NULL
		WHEN c.warning_level = 'none' AND c.reminded_at IS NULL AND c.due_at > c.started_at
		     THEN c.remind_at
		WHEN c.warning_level = 'none'::minqing.warning_level THEN c.yellow_at
		WHEN c.warning_level = 'yellow'::minqing.warning_level THEN c.orange_at
		WHEN c.warning_level = 'orange'::minqing.warning_level THEN c.red_at
	END
$$;

-- The deadline under the service commitment for a case handled at a level,
-- counted from p_from. Immediate matters are due at once.
CREATE FUNCTION minqing.case_deadline(p_district smallint, p_category integer,
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

-- BEFORE INSERT OR UPDATE (also the row version and time of every update):
-- on acceptance and on every dispatch to a unit the clock starts again at
-- the commitment of that unit's level; the escalation schedule follows the
-- deadline, and the next escalation time whatever changed.
CREATE FUNCTION minqing.cases_bookkeeping() RETURNS trigger
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
		NEW.remind_at := minqing.escalation_due_at(NEW.district_id, 'reminder', NEW.started_at, NEW.due_at);
		NEW.yellow_at := minqing.escalation_due_at(NEW.district_id, 'yellow', NEW.started_at, NEW.due_at);
		NEW.orange_at := minqing.escalation_due_at(NEW.district_id, 'orange', NEW.started_at, NEW.due_at);
		NEW.red_at := minqing.escalation_due_at(NEW.district_id, 'red', NEW.started_at, NEW.due_at);
	END IF;
	NEW.next_escalation_at := minqing.case_next_escalation(NEW);
	RETURN NEW;
END
$$;
CREATE TRIGGER cases_bookkeeping BEFORE INSERT OR UPDATE ON minqing.cases
	FOR EACH ROW EXECUTE FUNCTION minqing.cases_bookkeeping();

------------------------------------------------------------------------------
-- Row-level security: a village sees its cases, a town its villages', a
-- department those dispatched to it, the district all.
------------------------------------------------------------------------------
ALTER TABLE minqing.cases ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.cases FORCE ROW LEVEL SECURITY;
CREATE POLICY cases_read ON minqing.cases FOR SELECT
	USING (origin_path <@ (SELECT minqing.my_scope()) OR assigned_path <@ (SELECT minqing.my_scope()));
-- The functions (owner) decide every change; a case may leave the caller's
-- sight by being dispatched elsewhere, so WITH CHECK does not restrict.
CREATE POLICY cases_write ON minqing.cases FOR UPDATE TO mq_owner
	USING (origin_path <@ (SELECT minqing.my_scope()) OR assigned_path <@ (SELECT minqing.my_scope()))
	WITH CHECK (true);
CREATE POLICY cases_insert ON minqing.cases FOR INSERT TO mq_owner WITH CHECK (true);
GRANT SELECT ON minqing.cases TO mq_staff;

ALTER TABLE minqing.case_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.case_event FORCE ROW LEVEL SECURITY;
CREATE POLICY case_event_read ON minqing.case_event FOR SELECT
	USING (EXISTS (SELECT 1 FROM minqing.cases c WHERE c.case_id = case_event.case_id));
CREATE POLICY case_event_insert ON minqing.case_event FOR INSERT TO mq_owner WITH CHECK (true);
GRANT SELECT ON minqing.case_event TO mq_staff;

ALTER TABLE minqing.case_extension ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.case_extension FORCE ROW LEVEL SECURITY;
CREATE POLICY case_extension_read ON minqing.case_extension FOR SELECT
	USING (EXISTS (SELECT 1 FROM minqing.cases c WHERE c.case_id = case_extension.case_id));
CREATE POLICY case_extension_write ON minqing.case_extension TO mq_owner
	USING (EXISTS (SELECT 1 FROM minqing.cases c WHERE c.case_id = case_extension.case_id))
	WITH CHECK (true);
GRANT SELECT ON minqing.case_extension TO mq_staff;

------------------------------------------------------------------------------
-- Helpers of the workflow functions
------------------------------------------------------------------------------
-- The caller's staff row, or an error. p_duties: the duties allowed.
CREATE FUNCTION minqing.case_caller(p_duties minqing.duty[]) RETURNS minqing.staff
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

-- Is path inside the unit of staff s (their jurisdiction)?
CREATE FUNCTION minqing.staff_covers(s minqing.staff, p_path ext.ltree) RETURNS boolean
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT p_path IS NOT NULL AND p_path <@ s.path
$$;

-- The checks every transition makes, in one place: the case exists for the
-- caller (FORCE RLS hides the rest), it is locked, its state allows
-- p_action, and the caller's unit covers p_side of it: 'origin' (where it
-- was received: triage, report back, close, withdraw), 'assigned' (the unit
-- handling it), 'either', or 'any' (no further check).
CREATE FUNCTION minqing.case_for(s minqing.staff, p_case bigint, p_allowed minqing.case_status[],
                                 p_action text, p_side text) RETURNS minqing.cases
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	c minqing.cases;
BEGIN
	SELECT * INTO c FROM minqing.cases WHERE case_id = p_case FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case % not found', p_case USING ERRCODE = 'no_data_found';
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

-- A text the person must give (a result, a reason, a note).
CREATE FUNCTION minqing.require_text(p_value text, p_column text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF coalesce(btrim(p_value), '') = '' THEN
		RAISE EXCEPTION 'the % is required', p_column
			USING ERRCODE = 'not_null_violation', COLUMN = p_column;
	END IF;
END
$$;


-- Record an event and tell open consoles.
CREATE FUNCTION minqing.case_log(c minqing.cases, p_kind text, p_from minqing.case_status,
                                 p_note text, p_data jsonb DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	id bigint;
BEGIN
	id := nextval('minqing.case_event_seq');
	INSERT INTO minqing.case_event (event_id, case_id, district_id, kind, from_status, to_status, note, data)
	VALUES (id, c.case_id, c.district_id, p_kind, p_from, c.status, p_note, p_data);
	PERFORM pg_notify('minqing_case', json_build_object(
		'case_id', c.case_id, 'case_no', c.case_no, 'event', p_kind, 'status', c.status,
		'origin', c.origin_path::text, 'assigned', c.assigned_path::text,
		'warning', c.warning_level)::text);
	RETURN id;
END
$$;

-- The SMS with the result to the resident, in the same transaction.
CREATE FUNCTION minqing.case_message_result(c minqing.cases, p_event bigint) RETURNS bigint
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
			'case_no', c.case_no, 'title', c.title, 'result', c.result, 'unit', unit_name)),
		format('case:%s:result:%s', c.case_id, p_event), c.case_id, p_event);
END
$$;

------------------------------------------------------------------------------
-- Intake
------------------------------------------------------------------------------
-- Earlier cases from the same phone with similar content in the last 30
-- days: a hint for the person entering, never merged silently.
CREATE FUNCTION minqing.case_duplicates(p_phone text, p_content text, p_now timestamptz DEFAULT now())
RETURNS TABLE (case_id bigint, case_no text, title text, status minqing.case_status,
               created_at timestamptz, similarity real)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	SELECT c.case_id, c.case_no, c.title, c.status, c.created_at,
	       ext.similarity(c.content, p_content)
	  FROM minqing.cases c
	 WHERE c.submitter_phone = p_phone
	   AND c.created_at >= p_now - interval '30 days'
	   -- similarity on the few cases of one phone (index cases_phone_created);
	   -- no trigram index on cases: it would make every update of a case costly
	   AND ext.similarity(c.content, p_content) >= 0.3
	 ORDER BY 6 DESC, c.case_id DESC
	 LIMIT 5
$$;
COMMENT ON FUNCTION minqing.case_duplicates(text, text, timestamptz) IS
	'Possible duplicates (same phone, similar content, last 30 days) among the cases the caller can see.';

CREATE FUNCTION minqing.case_intake(
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
	root text;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	SELECT * INTO u FROM minqing.org_unit WHERE unit_id = s.unit_id;
	SELECT * INTO cat FROM minqing.case_category WHERE category_id = p_category AND active;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no active category %', p_category USING ERRCODE = 'foreign_key_violation';
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
	IF NOT p_anonymous AND p_household IS NULL AND coalesce(p_submitter_name, '') = '' THEN
		RAISE EXCEPTION 'a case needs a submitter: a resident of the archive, a name, or anonymous'
			USING ERRCODE = 'not_null_violation', COLUMN = 'submitter_name';
	END IF;
	IF p_station IS NOT NULL AND NOT EXISTS (SELECT 1 FROM minqing.station WHERE station_id = p_station) THEN
		RAISE EXCEPTION 'station % not found', p_station USING ERRCODE = 'foreign_key_violation';
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
COMMENT ON FUNCTION minqing.case_intake IS
	'Record a case received at the caller''s unit; returns its number and possible duplicates.';

------------------------------------------------------------------------------
-- Transitions
------------------------------------------------------------------------------
-- received -> resolved at once: an immediate matter settled on the spot.
CREATE FUNCTION minqing.case_resolve_at_once(p_case bigint, p_result text) RETURNS void
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

-- received -> accepted: triage takes the case on; the clock starts.
CREATE FUNCTION minqing.case_accept(p_case bigint, p_note text DEFAULT NULL) RETURNS void
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

-- accepted | dispatched | in_progress -> dispatched to a village, town or
-- department; re-dispatch is the same call. A general case from a household
-- with a linked party member (or villager representative) gets that person
-- as its proxy (全程代理). A key case may start at orange or red.
CREATE FUNCTION minqing.case_dispatch(p_case bigint, p_unit_code text, p_handler_login name DEFAULT NULL,
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
	SELECT * INTO u FROM minqing.org_unit WHERE code = p_unit_code AND active;
	IF NOT FOUND OR u.kind NOT IN ('village', 'community', 'town', 'street', 'department') THEN
		RAISE EXCEPTION 'a case is dispatched to a village, a town or a district department, not %',
			coalesce(u.kind::text, p_unit_code) USING ERRCODE = 'check_violation';
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

-- The handler at the assigned unit: dispatched -> in progress, progress notes,
-- resolve, return, pause and resume, extension requests.
CREATE FUNCTION minqing.case_start(p_case bigint, p_note text DEFAULT NULL) RETURNS void
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

CREATE FUNCTION minqing.case_progress(p_case bigint, p_note text) RETURNS void
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

CREATE FUNCTION minqing.case_resolve(p_case bigint, p_result text, p_overdue_reason text DEFAULT NULL)
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

-- resolved -> reported: the officer has told the resident.
CREATE FUNCTION minqing.case_report_back(p_case bigint, p_note text DEFAULT NULL) RETURNS void
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

-- reported -> closed with the resident's satisfaction; not satisfied reopens
-- the case at the unit that handled it.
CREATE FUNCTION minqing.case_close(p_case bigint, p_satisfaction minqing.satisfaction,
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

-- dispatched | in_progress -> accepted: wrong unit, back to triage.
CREATE FUNCTION minqing.case_return(p_case bigint, p_reason text) RETURNS void
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

-- Back to triage: the one change after which the caller (the unit that
-- had the case) may no longer see it. An UPDATE with a WHERE clause must leave
-- a row its caller can still SELECT, so under FORCE RLS the owner cannot do
-- it for them; this function's owner, mq_case_mover, bypasses RLS and may
-- only clear the assignment (column grants), and only case_return calls it.
CREATE FUNCTION minqing.case_unassign(p_case bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	UPDATE minqing.cases SET status = 'accepted', assigned_unit_id = NULL, assigned_path = NULL,
	       handler_staff_id = NULL, proxy_resident_id = NULL
	 WHERE case_id = p_case AND status IN ('dispatched', 'in_progress')
$$;

-- in_progress -> waiting (the clock stops), and back.
CREATE FUNCTION minqing.case_pause(p_case bigint, p_reason text) RETURNS void
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

CREATE FUNCTION minqing.case_resume(p_case bigint, p_note text DEFAULT NULL) RETURNS void
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

-- Any open state -> withdrawn, at the resident's request.
CREATE FUNCTION minqing.case_withdraw(p_case bigint, p_reason text) RETURNS void
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

-- Extension: asked by the assigned handler, decided one level up (a handler
-- or administrator whose unit strictly contains the assigned unit).
CREATE FUNCTION minqing.case_request_extension(p_case bigint, p_working_days integer, p_reason text)
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

CREATE FUNCTION minqing.case_decide_extension(p_extension bigint, p_approve boolean, p_note text DEFAULT NULL)
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

-- 催办: anyone above the handling unit (or a supervisor) urges a case.
CREATE FUNCTION minqing.case_urge(p_case bigint, p_note text) RETURNS void
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
		PERFORM minqing.outbox_enqueue(c.district_id, coalesce(c.assigned_path, c.origin_path), h.phone,
			h.display_name, minqing.render_template('case_reminder', jsonb_build_object(
				'case_no', c.case_no, 'title', c.title, 'deadline',
				to_char(c.due_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI'), 'handler', h.display_name)),
			format('case:%s:urge:%s', c.case_id, ev), c.case_id, ev);
	END IF;
END
$$;

------------------------------------------------------------------------------
-- The escalation pass
------------------------------------------------------------------------------
-- A message template filled in SQL (inlined, cheap for thousands of rows):
-- the escalation placeholders, and any other {name} left empty, as
-- render_template() does.
CREATE FUNCTION minqing.fill_escalation_template(p_body text, p_case_no text, p_title text,
                                                 p_unit text, p_handler text, p_deadline text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN regexp_replace(
	replace(replace(replace(replace(replace(p_body, '{case_no}', coalesce(p_case_no, '')),
	        '{title}', coalesce(p_title, '')), '{unit}', coalesce(p_unit, '')),
	        '{handler}', coalesce(p_handler, '')), '{deadline}', coalesce(p_deadline, '')),
	'\{[A-Za-z_][A-Za-z0-9_]*\}', '', 'g');

-- One pass at p_now: every case whose next step has fallen due takes every
-- step due by p_now (a job that was down catches up): the warning level and
-- reminder on the case, one event per step, the messages to the people at
-- that level (deduplicated per case, step, deadline and person) and a
-- notification. Set-based: the cost grows with the due cases only (partial
-- index on next_escalation_at; the schedule is stored on the case).
-- Idempotent, transactional, and single at a time (advisory lock: a second
-- pass returns at once with skipped = true).
--
-- Whom a step tells: the reminder the handler; yellow the village handlers
-- and their town's; orange the town handlers; red the district centre
-- (handlers and supervisors of the district unit).
CREATE FUNCTION minqing.escalation_pass(p_now timestamptz DEFAULT now())
RETURNS TABLE (cases integer, reminders integer, yellow integer, orange integer, red integer,
               messages integer, skipped boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF NOT pg_try_advisory_xact_lock(hashtext('minqing.escalation_pass')) THEN
		RETURN QUERY SELECT 0, 0, 0, 0, 0, 0, true;
		RETURN;
	END IF;
	CREATE TEMP TABLE IF NOT EXISTS escalation_step (
		case_id bigint, district_id smallint, case_no text, title text, status minqing.case_status,
		due_at timestamptz, handler_staff_id integer, origin_path ext.ltree, path ext.ltree,
		unit_name text, step text, ord integer, event_id bigint) ON COMMIT DROP;
	TRUNCATE escalation_step;

	-- The due cases, locked, and the steps each crosses now.
	WITH due AS (
		SELECT c.case_id, c.district_id, c.case_no, c.title, c.status, c.due_at, c.handler_staff_id,
		       c.origin_path, coalesce(c.assigned_path, c.origin_path) AS path,
		       coalesce(c.assigned_unit_id, c.origin_unit_id) AS unit_id, c.warning_level AS old_level,
		       (c.warning_level = 'none' AND c.reminded_at IS NULL AND c.remind_at <= p_now
		        AND c.due_at > p_now) AS remind,
		       greatest(c.warning_level,
		                CASE WHEN c.red_at <= p_now THEN 'red'
		                     WHEN c.orange_at <= p_now THEN 'orange'
		                     WHEN c.yellow_at <= p_now THEN 'yellow'
		                     ELSE 'none' END::minqing.warning_level) AS new_level
		  FROM minqing.cases c
		 WHERE c.next_escalation_at <= p_now
		 ORDER BY c.next_escalation_at
		   FOR UPDATE SKIP LOCKED
	), upd AS (
		UPDATE minqing.cases c
		   SET warning_level = d.new_level,
		       reminded_at = CASE WHEN d.remind OR d.new_level > 'none' THEN coalesce(c.reminded_at, p_now)
		                          ELSE c.reminded_at END
		  FROM due d
		 WHERE c.case_id = d.case_id
	)
	INSERT INTO escalation_step
	SELECT d.case_id, d.district_id, d.case_no, d.title, d.status, d.due_at, d.handler_staff_id,
	       d.origin_path, d.path, u.name, st.step, st.ord, nextval('minqing.case_event_seq')
	  -- (upd runs to completion unreferenced; joining it would be a nested
	  -- loop over two CTEs the planner believes hold one row each.)
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
	  FROM escalation_step e ORDER BY e.case_id, e.ord;

	-- Recipients by equality joins (hash joins): the handler by id for a
	-- reminder, the people of the units a warning tells by path.
	WITH rcp AS (
		SELECT e.*, r.staff_id AS r_id, r.phone AS r_phone, r.display_name AS r_name
		  FROM escalation_step e
		  JOIN minqing.staff r ON r.staff_id = e.handler_staff_id
		 WHERE e.step = 'reminder' AND r.active AND r.phone IS NOT NULL
		UNION ALL
		SELECT e.*, r.staff_id, r.phone, r.display_name
		  FROM escalation_step e
		 CROSS JOIN LATERAL (
			SELECT DISTINCT u.path FROM unnest(CASE e.step
				WHEN 'yellow' THEN ARRAY[subpath(e.path, 0, least(3, nlevel(e.path))),
				                         subpath(e.path, 0, least(2, nlevel(e.path)))]
				WHEN 'orange' THEN ARRAY[subpath(e.path, 0, least(2, nlevel(e.path)))]
				ELSE ARRAY[subpath(e.origin_path, 0, 1)] END) AS u(path)) tp
		  JOIN minqing.staff r ON r.path = tp.path
		 WHERE e.step <> 'reminder' AND r.active AND r.phone IS NOT NULL
		   AND (r.duty = 'handler' OR (e.step = 'red' AND r.duty = 'supervisor'))
	)
	INSERT INTO minqing.outbox (district_id, path, recipient_phone, recipient_name, body, dedupe_key,
	                            case_id, event_id)
	SELECT e.district_id, e.path, e.r_phone, e.r_name,
	       minqing.fill_escalation_template(t.body, e.case_no, e.title, e.unit_name, e.r_name,
	                                        to_char(e.due_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI')),
	       -- the deadline in UTC: the key must not depend on a session's TimeZone
	       format('case:%s:%s:%s:%s', e.case_id, e.step,
	              to_char(e.due_at AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS'), e.r_id),
	       e.case_id, e.event_id
	  FROM rcp e
	 CROSS JOIN LATERAL (
		SELECT mt.body FROM minqing.message_template mt
		 WHERE mt.code = CASE e.step WHEN 'reminder' THEN 'case_reminder' ELSE 'case_warning_' || e.step END
		   AND (mt.district_id IS NULL OR mt.district_id = e.district_id)
		 ORDER BY mt.district_id NULLS LAST LIMIT 1) t
	ON CONFLICT (dedupe_key) DO NOTHING;
	GET DIAGNOSTICS messages = ROW_COUNT;

	-- Open consoles hear of every step (delivered at commit).
	PERFORM pg_notify('minqing_case', json_build_object(
		'case_id', e.case_id, 'case_no', e.case_no, 'event', CASE e.step WHEN 'reminder' THEN 'reminder'
		ELSE 'warning' END, 'status', e.status, 'origin', e.origin_path::text, 'assigned', e.path::text,
		'warning', CASE WHEN e.step = 'reminder' THEN NULL ELSE e.step END)::text)
	  FROM escalation_step e;

	RETURN QUERY
	SELECT count(DISTINCT e.case_id)::integer,
	       count(*) FILTER (WHERE e.step = 'reminder')::integer,
	       count(*) FILTER (WHERE e.step = 'yellow')::integer,
	       count(*) FILTER (WHERE e.step = 'orange')::integer,
	       count(*) FILTER (WHERE e.step = 'red')::integer,
	       messages, false
	  FROM escalation_step e;
END
$$;
COMMENT ON FUNCTION minqing.escalation_pass(timestamptz) IS
	'One escalation pass at p_now (tests pass a chosen time). Run by minqing-escalate.';

------------------------------------------------------------------------------
-- Publication (公示): progress and results with personal data masked.
------------------------------------------------------------------------------
CREATE VIEW minqing.case_publication AS
SELECT c.case_no, c.district_id, c.title, cat.name AS category, cat.centre, c.channel,
       c.status, c.created_at::date AS received_on, c.due_at, c.resolved_at, c.result,
       c.warning_level, u.name AS handling_unit,
       CASE WHEN c.anonymous THEN '匿名' ELSE minqing.mask_name(c.submitter_name) END AS submitter,
       minqing.mask_phone(c.submitter_phone) AS phone
  FROM minqing.cases c
  JOIN minqing.case_category cat ON cat.category_id = c.category_id
  LEFT JOIN minqing.org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)
 WHERE c.status <> 'withdrawn';
COMMENT ON VIEW minqing.case_publication IS
	'Progress and results for the public: names and phones masked, no address, no content. '
	'Owner-rights view: the kiosk reads it without any right on cases.';
GRANT SELECT ON minqing.case_publication TO mq_kiosk, mq_staff;

-- A resident checks their case by number and the last four digits of the
-- phone given when it was recorded.
CREATE FUNCTION minqing.case_lookup(p_case_no text, p_phone_tail text)
RETURNS SETOF minqing.case_publication
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	SELECT p.* FROM minqing.case_publication p
	  JOIN minqing.cases c ON c.case_no = p.case_no
	 WHERE p.case_no = upper(trim(p_case_no)) AND p_phone_tail ~ '^[0-9]{4}$'
	   AND right(c.submitter_phone, 4) = p_phone_tail
$$;
GRANT EXECUTE ON FUNCTION minqing.case_lookup(text, text) TO mq_kiosk, mq_staff;

------------------------------------------------------------------------------
-- Figures for people and scripts (minqing-admin stats), within the caller's
-- jurisdiction (FORCE RLS binds this definer function to the caller).
------------------------------------------------------------------------------
CREATE FUNCTION minqing.case_stats(p_unit_code text DEFAULT NULL, p_from date DEFAULT NULL,
                                   p_to date DEFAULT NULL, p_now timestamptz DEFAULT now())
RETURNS TABLE (name text, value text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	scope ext.ltree;
	t0 timestamptz;
	t1 timestamptz;
	r record;
	m record;
BEGIN
	IF p_unit_code IS NOT NULL THEN
		SELECT path INTO scope FROM minqing.org_unit WHERE code = p_unit_code;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'no unit with code %', p_unit_code USING ERRCODE = 'no_data_found';
		END IF;
	END IF;
	t0 := coalesce(p_from, '2000-01-01')::timestamp AT TIME ZONE 'Asia/Shanghai';
	t1 := (coalesce(p_to, '2999-12-31') + 1)::timestamp AT TIME ZONE 'Asia/Shanghai';
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
GRANT EXECUTE ON FUNCTION minqing.case_stats(text, date, date, timestamptz) TO mq_staff;

------------------------------------------------------------------------------
-- Grants: the workflow functions by duty; checks inside decide the rest.
------------------------------------------------------------------------------
GRANT EXECUTE ON FUNCTION
	minqing.case_duplicates(text, text, timestamptz),
	minqing.case_intake(minqing.case_channel, text, text, integer, text, text, bigint, bigint, boolean,
	                    minqing.urgency, boolean, integer),
	minqing.case_resolve_at_once(bigint, text),
	minqing.case_progress(bigint, text),
	minqing.case_report_back(bigint, text),
	minqing.case_close(bigint, minqing.satisfaction, text),
	minqing.case_withdraw(bigint, text),
	minqing.case_urge(bigint, text)
	TO mq_officer, mq_handler, mq_admin;
GRANT EXECUTE ON FUNCTION
	minqing.case_accept(bigint, text),
	minqing.case_dispatch(bigint, text, name, boolean, minqing.warning_level, text),
	minqing.case_start(bigint, text),
	minqing.case_resolve(bigint, text, text),
	minqing.case_return(bigint, text),
	minqing.case_pause(bigint, text),
	minqing.case_resume(bigint, text),
	minqing.case_request_extension(bigint, integer, text),
	minqing.case_decide_extension(bigint, boolean, text)
	TO mq_handler, mq_admin;
GRANT EXECUTE ON FUNCTION minqing.case_urge(bigint, text) TO mq_supervisor;
GRANT EXECUTE ON FUNCTION minqing.escalation_pass(timestamptz) TO mq_escalator;

-- Publication runs with the rights of mq_publisher, which reads these tables
-- past RLS; what it shows is fixed by the view.
GRANT SELECT ON minqing.cases, minqing.case_category, minqing.org_unit TO mq_publisher;
GRANT SELECT ON minqing.org_unit TO mq_case_mover;
GRANT SELECT (case_id, status), UPDATE (status, assigned_unit_id, assigned_path, handler_staff_id,
	proxy_resident_id) ON minqing.cases TO mq_case_mover;
GRANT EXECUTE ON FUNCTION minqing.case_deadline(smallint, integer, minqing.unit_level, timestamptz),
	minqing.case_next_escalation(minqing.cases) TO mq_case_mover;
RESET ROLE;
ALTER FUNCTION minqing.case_unassign(bigint) OWNER TO mq_case_mover;
REVOKE ALL ON FUNCTION minqing.case_unassign(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_unassign(bigint) TO mq_owner;
ALTER VIEW minqing.case_publication OWNER TO mq_publisher;
ALTER FUNCTION minqing.case_lookup(text, text) OWNER TO mq_publisher;
