-- 005_case_due.sql: the escalation queue apart from the case row, and the
-- escalation schedule in one computation.
--
-- Why: an escalation pass updates the warning level of every due case. With
-- the queue (next_escalation_at) indexed on cases itself, every such update
-- changed an indexed column and so rewrote all nine indexes of the row,
-- two of them GiST (10,000 due cases: ~590 ms of the pass). The queue now
-- lives in case_due (case id, due time), kept by a statement trigger with
-- transition tables (set-based: one statement for a pass, whatever its size);
-- cases keeps next_escalation_at unindexed, for reading, and leaves free space
-- in its pages (fillfactor) so that those updates are HOT.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- New pages keep 15% free for HOT updates (existing pages fill up over time
-- as rows are updated; VACUUM FULL or pg_repack applies it to them at once).
ALTER TABLE minqing.cases SET (fillfactor = 85);

CREATE TABLE minqing.case_due (
	case_id bigint PRIMARY KEY,
	due_at  timestamptz NOT NULL
);
COMMENT ON TABLE minqing.case_due IS
	'The escalation queue: one row per case whose next step (reminder, yellow, orange, red) is ahead, at '
	'cases.next_escalation_at. Kept only by the trigger case_due_sync on cases (also in replica mode); '
	'read only by escalation_pass(). No role but the owner has any privilege on it.';
CREATE INDEX case_due_at ON minqing.case_due (due_at, case_id);
-- RLS with no policy: invisible to everyone but the owner, should a grant
-- ever be given by mistake.
ALTER TABLE minqing.case_due ENABLE ROW LEVEL SECURITY;

INSERT INTO minqing.case_due (case_id, due_at)
SELECT case_id, next_escalation_at FROM minqing.cases WHERE next_escalation_at IS NOT NULL;
DROP INDEX minqing.cases_next_escalation;
COMMENT ON COLUMN minqing.cases.next_escalation_at IS
	'When the escalation pass must next look at this case (reminder, yellow, orange, red); NULL when '
	'nothing more can happen. Kept by trigger, mirrored into the queue case_due (indexed there, not here, '
	'so that the updates of a pass are HOT).';

-- AFTER INSERT / AFTER UPDATE, per statement: the rows whose next escalation
-- time appeared, moved or went away. SECURITY DEFINER: the updates of
-- mq_case_mover (case_unassign) keep the queue too, without a grant on it.
CREATE FUNCTION minqing.case_due_sync() RETURNS trigger
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
CREATE TRIGGER case_due_insert AFTER INSERT ON minqing.cases
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.case_due_sync();
CREATE TRIGGER case_due_update AFTER UPDATE ON minqing.cases
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.case_due_sync();
-- Also under session_replication_role = replica (bulk loads, repairs): the
-- queue must never disagree with the cases.
ALTER TABLE minqing.cases ENABLE ALWAYS TRIGGER case_due_insert;
ALTER TABLE minqing.cases ENABLE ALWAYS TRIGGER case_due_update;

-- The four times of the schedule in one call: the rules read once, the
-- working time from start to deadline computed once. The same values as
-- escalation_due_at() step by step (tests/sql/40_calendar.sql compares them).
CREATE FUNCTION minqing.case_schedule(p_district smallint, p_start timestamptz, p_deadline timestamptz,
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
GRANT EXECUTE ON FUNCTION minqing.case_schedule(smallint, timestamptz, timestamptz)
	TO mq_staff, mq_system;

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

------------------------------------------------------------------------------
-- Cheaper calls on the path of every transition (measured with
-- track_functions = all under tests/bench/intake.sh): a SQL function with a
-- SET clause, SECURITY DEFINER, or STRICT over a body the planner cannot
-- prove strict is never inlined, and called from PL/pgSQL it is planned
-- again on every call. These are now inlinable (no SET: every name in them
-- is schema-qualified) or PL/pgSQL (plan cached per session).
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.staff_covers(s minqing.staff, p_path ext.ltree) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT p_path IS NOT NULL AND p_path OPERATOR(ext.<@) s.path
$$;

-- (Not STRICT any more, so that it inlines; a NULL argument gives NULL all the
-- same.)
CREATE OR REPLACE FUNCTION minqing.weekday_after(p_day date, p_n integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (p_day - (extract(isodow FROM p_day)::integer - 1))                   -- Monday of that week
       + ((least(extract(isodow FROM p_day)::integer, 5) - 1 + p_n) / 5) * 7   -- whole weeks
       + (least(extract(isodow FROM p_day)::integer, 5) - 1 + p_n) % 5;        -- day in the week

CREATE OR REPLACE FUNCTION minqing.is_working_day(p_district smallint, p_day date) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT CASE (SELECT h.kind FROM minqing.holiday h
	              WHERE h.district_id = p_district AND h.day = p_day)
	       WHEN 'holiday' THEN false
	       WHEN 'workday' THEN true
	       ELSE extract(isodow FROM p_day) < 6 END
$$;

CREATE OR REPLACE FUNCTION minqing.case_duplicates(p_phone text, p_content text,
                                                   p_now timestamptz DEFAULT now())
RETURNS TABLE (case_id bigint, case_no text, title text, status minqing.case_status,
               created_at timestamptz, similarity real)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN QUERY
	SELECT c.case_id, c.case_no, c.title, c.status, c.created_at,
	       ext.similarity(c.content, p_content)
	  FROM minqing.cases c
	 WHERE c.submitter_phone = p_phone
	   AND c.created_at >= p_now - interval '30 days'
	   -- similarity on the few cases of one phone (index cases_phone_created)
	   AND ext.similarity(c.content, p_content) >= 0.3
	 ORDER BY 6 DESC, c.case_id DESC
	 LIMIT 5;
END
$$;

-- Working time between two moments by arithmetic: the partial first and last
-- days, plus the whole working days between them counted from the weekday
-- arithmetic and one indexed look at the holiday rows of the span (before: a
-- row per calendar day, generate_series and a join: the most expensive call
-- of an acceptance). The same values as before (tests/sql/40_calendar.sql
-- compares them with a day-by-day sum).
CREATE OR REPLACE FUNCTION minqing.working_seconds_between(p_district smallint, a timestamptz,
                                                           b timestamptz)
RETURNS numeric
LANGUAGE plpgsql STABLE STRICT SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s record;
	da date;
	db date;
	n integer;
	wd integer;
	nh integer;
	nw integer;
	ka text;
	kb text;
	r numeric := 0;
BEGIN
	IF b <= a THEN
		RETURN 0;
	END IF;
	s := minqing.calendar_setting(p_district);
	da := (a AT TIME ZONE s.time_zone)::date;
	db := (b AT TIME ZONE s.time_zone)::date;
	SELECT count(*) FILTER (WHERE h.day > da AND h.day < db AND h.kind = 'holiday'
	                        AND extract(isodow FROM h.day) < 6),
	       count(*) FILTER (WHERE h.day > da AND h.day < db AND h.kind = 'workday'
	                        AND extract(isodow FROM h.day) >= 6),
	       max(h.kind) FILTER (WHERE h.day = da), max(h.kind) FILTER (WHERE h.day = db)
	  INTO nh, nw, ka, kb
	  FROM minqing.holiday h
	 WHERE h.district_id = p_district AND h.day BETWEEN da AND db;
	-- the first day (and the last, when it is the same day)
	IF (CASE ka WHEN 'holiday' THEN false WHEN 'workday' THEN true
	            ELSE extract(isodow FROM da) < 6 END) THEN
		r := greatest(0, extract(epoch FROM
			least(b, (da + s.day_end) AT TIME ZONE s.time_zone)
			- greatest(a, (da + s.day_start) AT TIME ZONE s.time_zone)));
	END IF;
	IF db = da THEN
		RETURN r;
	END IF;
	IF (CASE kb WHEN 'holiday' THEN false WHEN 'workday' THEN true
	            ELSE extract(isodow FROM db) < 6 END) THEN
		r := r + greatest(0, extract(epoch FROM
			least(b, (db + s.day_end) AT TIME ZONE s.time_zone)
			- (db + s.day_start) AT TIME ZONE s.time_zone));
	END IF;
	-- Monday-to-Friday days strictly between: whole weeks, then the rest
	n := db - da - 1;
	wd := (n / 7) * 5;
	FOR i IN 1 .. n % 7 LOOP
		IF extract(isodow FROM da + (n / 7) * 7 + i) < 6 THEN
			wd := wd + 1;
		END IF;
	END LOOP;
	RETURN r + (wd - nh + nw) * extract(epoch FROM s.day_end - s.day_start);
END
$$;

-- One trigger for INSERT, one for UPDATE that leaves alone an update which
-- moves row_version itself: only escalation_pass() does, keeping the books
-- of its batch set-based (no client role may UPDATE cases at all).
DROP TRIGGER cases_bookkeeping ON minqing.cases;
CREATE TRIGGER cases_bookkeeping_insert BEFORE INSERT ON minqing.cases
	FOR EACH ROW EXECUTE FUNCTION minqing.cases_bookkeeping();
CREATE TRIGGER cases_bookkeeping BEFORE UPDATE ON minqing.cases
	FOR EACH ROW WHEN (NEW.row_version = OLD.row_version)
	EXECUTE FUNCTION minqing.cases_bookkeeping();

-- The pass reads the queue and keeps the books of its own update; otherwise
-- as in 004.
CREATE OR REPLACE FUNCTION minqing.escalation_pass(p_now timestamptz DEFAULT now())
RETURNS TABLE (cases integer, reminders integer, yellow integer, orange integer, red integer,
               messages integer, skipped boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp
-- (JIT costs ~50 ms of compiling on a large batch and saves nothing here.)
SET jit = off AS $$
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
		   -- on the case too: re-checked on the newest version of a row that a
		   -- transition committed since this pass's snapshot (the queue row
		   -- read here may already be gone)
		   AND c.next_escalation_at <= p_now
		 ORDER BY q.due_at
		   FOR UPDATE OF c SKIP LOCKED
	), upd AS (
		-- The books kept here, not by the row trigger (which leaves alone an
		-- update that moves row_version itself): for a batch, 10,000 calls of
		-- the trigger cost more than the rest of the update. The next step:
		-- case_next_escalation() of the row as it will be (status, deadline
		-- and pause are unchanged, so only the level and reminder matter).
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
	  -- the template of each step for each district in the batch, once (a
	  -- district's own before the default), joined by equality
	  JOIN (SELECT DISTINCT ON (dd.district_id, st.step) dd.district_id, st.step, mt.body
	          FROM (SELECT DISTINCT x.district_id FROM escalation_step x) dd
	         CROSS JOIN (VALUES ('reminder', 'case_reminder'), ('yellow', 'case_warning_yellow'),
	                            ('orange', 'case_warning_orange'), ('red', 'case_warning_red')) st(step, code)
	          JOIN minqing.message_template mt
	            ON mt.code = st.code AND (mt.district_id IS NULL OR mt.district_id = dd.district_id)
	         ORDER BY dd.district_id, st.step, mt.district_id NULLS LAST) t
	    ON t.district_id = e.district_id AND t.step = e.step
	ON CONFLICT (dedupe_key) DO NOTHING;
	GET DIAGNOSTICS messages = ROW_COUNT;

	-- Open consoles hear of the steps (delivered at commit): one notification
	-- per unit and step, not per case (a console re-reads its list; a batch
	-- of 10,000 would otherwise queue 10,000 notifications).
	PERFORM pg_notify('minqing_case', json_build_object(
		'event', CASE e.step WHEN 'reminder' THEN 'reminder' ELSE 'warning' END,
		'origin', e.origin_path::text, 'assigned', e.path::text,
		'warning', CASE WHEN e.step = 'reminder' THEN NULL ELSE e.step END,
		'cases', count(*), 'case_id', min(e.case_id), 'case_no', min(e.case_no))::text)
	  FROM escalation_step e
	 GROUP BY e.origin_path, e.path, e.step;

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
RESET ROLE;
