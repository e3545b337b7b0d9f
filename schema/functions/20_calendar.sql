-- schema/functions/20_calendar.sql: the caller's district, the working
-- calendar, service commitments, escalation deadlines and a district's seeded
-- defaults.
--
-- The current definition of these functions and views, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` in the migration
-- transaction whenever the function files change (docs/development.md,
-- "Functions, views and grants"). Change a function here, not in a migration.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- Calendar, categories, commitments and rules are district-wide data: an
-- administrator whose jurisdiction is the whole district (the root of the
-- organisation tree) may change them, for that district only.
CREATE OR REPLACE FUNCTION minqing.my_admin_district() RETURNS smallint
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	SELECT s.district_id FROM minqing.staff s JOIN minqing.org_unit u ON u.unit_id = s.unit_id
	 WHERE s.login = session_user AND s.active AND s.duty = 'admin' AND ext.nlevel(u.path) = 1
$$;
COMMENT ON FUNCTION minqing.my_admin_district() IS
	'The district whose configuration (calendar, categories, commitments, escalation rules) the caller '
	'may change: set only for an active administrator at the district root; NULL for everyone else.';
REVOKE ALL ON FUNCTION minqing.my_admin_district() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.my_admin_district() TO mq_staff;

-- The district of the calling person (any duty but kiosk).
CREATE OR REPLACE FUNCTION minqing.my_district() RETURNS smallint
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	SELECT s.district_id FROM minqing.staff s
	 WHERE s.login = session_user AND s.active AND s.duty <> 'kiosk'
$$;
COMMENT ON FUNCTION minqing.my_district() IS 'The district of the calling staff member; NULL for kiosks and non-staff.';
REVOKE ALL ON FUNCTION minqing.my_district() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.my_district() TO mq_staff;

-- The district a form names by its unit code (the root unit's), or
-- p_default when none is given: the district settings' forms (visit target,
-- overdue report time), whose functions then check the caller's right.
CREATE OR REPLACE FUNCTION minqing.district_of_code(p_unit_code text, p_default smallint) RETURNS smallint
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	d smallint;
BEGIN
	IF p_unit_code IS NULL THEN
		RETURN p_default;
	END IF;
	SELECT u.district_id INTO d FROM minqing.org_unit u
	 WHERE u.code = left(p_unit_code, 64) AND u.kind = 'district';
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unit % not found', left(p_unit_code, 64)
			USING ERRCODE = 'no_data_found', COLUMN = 'unit_code';
	END IF;
	RETURN d;
END
$$;
COMMENT ON FUNCTION minqing.district_of_code(text, smallint) IS
	'The district whose root unit has code p_unit_code (P0002 when none), p_default when it is NULL. '
	'Internal (executable by no login).';
REVOKE ALL ON FUNCTION minqing.district_of_code(text, smallint) FROM PUBLIC;

-- Seed functions run as mq_owner; they check the caller themselves: the DBA
-- (a superuser, e.g. the demo-data loader) or that district's administrator.
CREATE OR REPLACE FUNCTION minqing.seed_authorise(p_district smallint) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF p_district IS NULL THEN
		RAISE EXCEPTION 'district must be given' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
	   AND minqing.my_admin_district() IS DISTINCT FROM p_district THEN
		RAISE EXCEPTION 'only an administrator of district % may seed its configuration', p_district
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM minqing.district WHERE district_id = p_district) THEN
		RAISE EXCEPTION 'district % not found', p_district USING ERRCODE = 'no_data_found';
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.seed_authorise(smallint) IS
	'Raises unless the caller is a superuser or an administrator of the district (see my_admin_district()).';
REVOKE ALL ON FUNCTION minqing.seed_authorise(smallint) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.work_calendar_setting_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	-- An unknown zone raises 22023 "time zone ... not recognized".
	PERFORM now() AT TIME ZONE NEW.time_zone;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION minqing.work_calendar_setting_check() IS 'Refuses a time zone PostgreSQL does not know.';
REVOKE ALL ON FUNCTION minqing.work_calendar_setting_check() FROM PUBLIC;

-- Office hours of a district, defaults when it has no row.
CREATE OR REPLACE FUNCTION minqing.calendar_setting(p_district smallint, OUT time_zone text, OUT day_start time,
                                         OUT day_end time, OUT default_commitment_days integer)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	-- (plpgsql rather than SQL: a non-inlined SQL function is planned on every
	-- call, and this one is called by every deadline computation.)
	SELECT s.time_zone, s.day_start, s.day_end, s.default_commitment_days
	  INTO time_zone, day_start, day_end, default_commitment_days
	  FROM minqing.work_calendar_setting s WHERE s.district_id = p_district;
	IF NOT FOUND THEN
		time_zone := 'Asia/Shanghai';
		day_start := '08:30';
		day_end := '17:30';
		default_commitment_days := 5;
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.calendar_setting(smallint) IS
	'The district''s time zone, office hours and default commitment; the column defaults of '
	'work_calendar_setting when the district has no row. Always one row.';
REVOKE ALL ON FUNCTION minqing.calendar_setting(smallint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.calendar_setting(smallint) TO mq_staff, mq_system, mq_publisher;

-- The wall-clock time of a moment in a district: its work calendar's zone,
-- whatever the session's TimeZone. What a person reads (a case number's
-- year, a deadline in an SMS, a day of the publication board, a key that
-- allows one message a day) is in it. SECURITY DEFINER so that the
-- publication view read by the kiosk, which may not read the calendar, can
-- use it (the kiosk calls it through the view, mq_publisher through
-- case_lookup()); it gives out nothing but a time zone.
CREATE OR REPLACE FUNCTION minqing.district_local_time(p_district smallint, p_at timestamptz)
RETURNS timestamp
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	SELECT p_at AT TIME ZONE (minqing.calendar_setting(p_district)).time_zone
$$;
COMMENT ON FUNCTION minqing.district_local_time(smallint, timestamptz) IS
	'A moment as the district''s clock shows it (the time zone of calendar_setting()), whatever the '
	'session''s TimeZone.';
REVOKE ALL ON FUNCTION minqing.district_local_time(smallint, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.district_local_time(smallint, timestamptz) TO mq_staff, mq_system, mq_kiosk,
	mq_publisher;

        -- day in the week
-- (plpgsql, whose plan is kept: a SQL function with a subquery is never
-- inlined and was planned at every call, a tenth of an acceptance.)
CREATE OR REPLACE FUNCTION minqing.is_working_day(p_district smallint, p_day date) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN CASE (SELECT h.kind FROM minqing.holiday h WHERE h.district_id = p_district AND h.day = p_day)
	       WHEN 'holiday' THEN false
	       WHEN 'workday' THEN true
	       ELSE extract(isodow FROM p_day) < 6 END;
END
$$;
COMMENT ON FUNCTION minqing.is_working_day(smallint, date) IS
	'Mon-Fri unless a holiday row says holiday; Sat/Sun only with a workday (调休上班) row.';
REVOKE ALL ON FUNCTION minqing.is_working_day(smallint, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.is_working_day(smallint, date) TO mq_staff, mq_system;

-- (Not STRICT any more, so that it inlines; a NULL argument gives NULL all the
-- same.)
CREATE OR REPLACE FUNCTION minqing.weekday_after(p_day date, p_n integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (p_day - (extract(isodow FROM p_day)::integer - 1))                   -- Monday of that week
       + ((least(extract(isodow FROM p_day)::integer, 5) - 1 + p_n) / 5) * 7   -- whole weeks
       + (least(extract(isodow FROM p_day)::integer, 5) - 1 + p_n) % 5;
COMMENT ON FUNCTION minqing.weekday_after(date, integer) IS
	'The n-th Monday-to-Friday strictly after a date (n >= 1), ignoring holidays.';
REVOKE ALL ON FUNCTION minqing.weekday_after(date, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.weekday_after(date, integer) TO mq_staff, mq_system;

-- The p_n-th working day strictly after p_day (p_n >= 1), or for p_n = 0
-- p_day itself if it is a working day, else the first one after it.
-- Weekday arithmetic, then one indexed look at the holiday rows of the span:
-- each statutory holiday in it pushes the answer on (another round over the
-- extra span); a span with make-up days is walked day by day (it is short).
CREATE OR REPLACE FUNCTION minqing.working_day_after(p_district smallint, p_day date, p_n integer) RETURNS date
LANGUAGE plpgsql STABLE STRICT SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	cur date := p_day;
	rem integer := p_n;
	cand date;
	nh integer;
	nw integer;
	w integer;
	r date;
BEGIN
	IF p_n < 0 THEN
		RAISE EXCEPTION 'the number of working days must not be negative (%)', p_n
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_n = 0 THEN
		IF minqing.is_working_day(p_district, p_day) THEN
			RETURN p_day;
		END IF;
		rem := 1;
	END IF;
	FOR guard IN 1 .. 1000 LOOP
		cand := minqing.weekday_after(cur, rem);
		SELECT count(*) FILTER (WHERE h.kind = 'holiday' AND extract(isodow FROM h.day) < 6),
		       count(*) FILTER (WHERE h.kind = 'workday')
		  INTO nh, nw
		  FROM minqing.holiday h
		 WHERE h.district_id = p_district AND h.day > cur AND h.day <= cand;
		IF nh = 0 AND nw = 0 THEN
			RETURN cand;
		END IF;
		w := rem - nh + nw;         -- working days in (cur, cand]
		IF w < rem THEN
			cur := cand;
			rem := rem - w;
			CONTINUE;
		END IF;
		-- The answer lies in (cur, cand]: walk it.
		SELECT cur + i INTO r
		  FROM generate_series(1, cand - cur) AS i
		  LEFT JOIN minqing.holiday h ON h.district_id = p_district AND h.day = cur + i
		                             AND h.day > cur AND h.day <= cand
		 WHERE CASE h.kind WHEN 'holiday' THEN false
		                   WHEN 'workday' THEN true
		                   ELSE extract(isodow FROM cur + i) < 6 END
		 ORDER BY i
		OFFSET rem - 1 LIMIT 1;
		RETURN r;
	END LOOP;
	RAISE EXCEPTION 'no % working days after % (district %): check the holiday table', p_n, p_day,
		p_district USING ERRCODE = 'data_exception';
END
$$;
COMMENT ON FUNCTION minqing.working_day_after(smallint, date, integer) IS
	'The p_n-th working day strictly after p_day; for p_n = 0, p_day if it is a working day, else the next one.';
REVOKE ALL ON FUNCTION minqing.working_day_after(smallint, date, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.working_day_after(smallint, date, integer) TO mq_staff, mq_system;

CREATE OR REPLACE FUNCTION minqing.add_working_days(p_district smallint, p_start timestamptz, p_days integer)
RETURNS timestamptz
LANGUAGE plpgsql STABLE STRICT SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s record;
	loc timestamp;
	d date;
BEGIN
	IF p_days < 0 THEN
		RAISE EXCEPTION 'the number of working days must not be negative (%)', p_days
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	s := minqing.calendar_setting(p_district);
	loc := p_start AT TIME ZONE s.time_zone;
	IF p_days = 0 AND loc::time > s.day_end THEN
		d := minqing.working_day_after(p_district, loc::date, 1);
	ELSE
		d := minqing.working_day_after(p_district, loc::date, p_days);
	END IF;
	RETURN (d + s.day_end) AT TIME ZONE s.time_zone;
END
$$;
COMMENT ON FUNCTION minqing.add_working_days(smallint, timestamptz, integer) IS
	'Deadline of "N working days" from p_start: the end of office hours (local) of the N-th working day '
	'after p_start''s local date (Friday 15:00 + 3 = Wednesday 17:30). N = 0: the end of the working day '
	'p_start falls on, or of the next working day if p_start is on a non-working day or after hours.';
REVOKE ALL ON FUNCTION minqing.add_working_days(smallint, timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.add_working_days(smallint, timestamptz, integer) TO mq_staff, mq_system;

CREATE OR REPLACE FUNCTION minqing.add_working_hours(p_district smallint, p_start timestamptz, p_hours numeric)
RETURNS timestamptz
LANGUAGE plpgsql STABLE STRICT SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s record;
	loc timestamp;
	d date;
	t time;
	day_len numeric;
	rem numeric;
	avail numeric;
	m integer;
BEGIN
	IF p_hours < 0 THEN
		RAISE EXCEPTION 'the number of working hours must not be negative (%)', p_hours
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	s := minqing.calendar_setting(p_district);
	day_len := extract(epoch FROM s.day_end - s.day_start);
	loc := p_start AT TIME ZONE s.time_zone;
	d := loc::date;
	t := loc::time;
	-- Clamp forward into working time (the office hours are a closed interval,
	-- so 17:30 + 0 hours stays 17:30).
	IF t > s.day_end OR NOT minqing.is_working_day(p_district, d) THEN
		d := minqing.working_day_after(p_district, d, 1);
		t := s.day_start;
	ELSIF t < s.day_start THEN
		t := s.day_start;
	END IF;
	-- To the microsecond (timestamps' resolution): 13200 s / 3600 * 3600 is
	-- 13200.0000000000001 in numeric and must not spill into the next day.
	rem := round(p_hours * 3600, 6);
	avail := extract(epoch FROM s.day_end - t);
	IF rem <= avail THEN
		RETURN (d + t + make_interval(secs => rem::float8)) AT TIME ZONE s.time_zone;
	END IF;
	rem := rem - avail;
	-- The rest fills m more working days, the last one partly (or exactly).
	m := ceil(rem / day_len)::integer;
	d := minqing.working_day_after(p_district, d, m);
	RETURN (d + s.day_start + make_interval(secs => (rem - (m - 1) * day_len)::float8))
		AT TIME ZONE s.time_zone;
END
$$;
COMMENT ON FUNCTION minqing.add_working_hours(smallint, timestamptz, numeric) IS
	'p_start plus p_hours of working time (office hours of working days only); p_start is first moved '
	'forward into working time. A span that ends exactly at the end of a day ends at day_end, not at the '
	'next day_start.';
REVOKE ALL ON FUNCTION minqing.add_working_hours(smallint, timestamptz, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.add_working_hours(smallint, timestamptz, numeric) TO mq_staff, mq_system;

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
COMMENT ON FUNCTION minqing.working_seconds_between(smallint, timestamptz, timestamptz) IS
	'Seconds of working time between a and b (0 if b <= a). A deadline paused from a to b (waiting on '
	'the resident) is moved by add_working_hours(deadline, this / 3600).';
REVOKE ALL ON FUNCTION minqing.working_seconds_between(smallint, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.working_seconds_between(smallint, timestamptz, timestamptz) TO mq_staff, mq_system;

CREATE OR REPLACE FUNCTION minqing.case_category_derive() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	p minqing.case_category;
BEGIN
	IF TG_OP = 'UPDATE' THEN
		IF NEW.code <> OLD.code OR NEW.parent_id IS DISTINCT FROM OLD.parent_id
		   OR NEW.centre <> OLD.centre OR NEW.district_id <> OLD.district_id
		   OR NEW.path <> OLD.path THEN
			RAISE EXCEPTION 'the code, parent, centre and district of a category cannot change; '
				'create a new category and deactivate this one' USING ERRCODE = 'check_violation';
		END IF;
		RETURN NEW;
	END IF;
	IF NEW.parent_id IS NULL THEN
		IF NEW.centre IS NULL THEN
			RAISE EXCEPTION 'a top-level category is a centre: give centre (mediation, policy or service)'
				USING ERRCODE = 'not_null_violation';
		END IF;
		NEW.path := NEW.code::ext.ltree;
		RETURN NEW;
	END IF;
	SELECT * INTO p FROM minqing.case_category WHERE category_id = NEW.parent_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'parent category % not found', NEW.parent_id
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	NEW.district_id := p.district_id;
	NEW.centre := p.centre;
	NEW.path := p.path || NEW.code::ext.ltree;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION minqing.case_category_derive() IS
	'A child category takes district, centre and path from its parent; code, parent, centre and district '
	'never change.';
REVOKE ALL ON FUNCTION minqing.case_category_derive() FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.service_commitment_derive() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	SELECT c.district_id INTO NEW.district_id FROM minqing.case_category c
	 WHERE c.category_id = NEW.category_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'category % not found', NEW.category_id USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION minqing.service_commitment_derive() IS 'A commitment''s district is its category''s.';
REVOKE ALL ON FUNCTION minqing.service_commitment_derive() FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.commitment_for(p_category integer, p_level minqing.unit_level)
RETURNS TABLE (kind text, amount integer)
LANGUAGE plpgsql STABLE STRICT SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	c minqing.case_category;
BEGIN
	SELECT * INTO c FROM minqing.case_category WHERE category_id = p_category;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'category % not found', p_category USING ERRCODE = 'no_data_found';
	END IF;
	RETURN QUERY
	SELECT x.kind, x.amount FROM (
		SELECT sc.kind, sc.amount, ext.nlevel(a.path) AS depth
		  FROM minqing.case_category a
		  JOIN minqing.service_commitment sc ON sc.category_id = a.category_id AND sc.level = p_level
		 WHERE a.district_id = c.district_id AND a.path OPERATOR(ext.@>) c.path
		UNION ALL
		SELECT 'days', cs.default_commitment_days, 0 FROM minqing.calendar_setting(c.district_id) cs
	) AS x
	ORDER BY x.depth DESC LIMIT 1;
END
$$;
COMMENT ON FUNCTION minqing.commitment_for(integer, minqing.unit_level) IS
	'The commitment for a category at a level: its own row, else its nearest ancestor''s, else '
	'(days, work_calendar_setting.default_commitment_days). One row; none if an argument is NULL; an unknown category is an error.';
REVOKE ALL ON FUNCTION minqing.commitment_for(integer, minqing.unit_level) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.commitment_for(integer, minqing.unit_level) TO mq_staff, mq_system;

CREATE OR REPLACE FUNCTION minqing.escalation_due_at(p_district smallint, p_step text, p_start timestamptz,
                                          p_deadline timestamptz)
RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	r minqing.escalation_rule;
	s record;
	w numeric;
BEGIN
	IF p_deadline IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT * INTO r FROM minqing.escalation_rule WHERE district_id = p_district AND step = p_step;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF r.basis = 'elapsed_fraction' THEN
		IF p_start IS NULL OR p_start >= p_deadline OR r.value >= 1 THEN
			RETURN p_deadline;
		END IF;
		-- A share of the working time, so a reminder never falls at night or on
		-- a holiday; never later than the deadline itself.
		w := minqing.working_seconds_between(p_district, p_start, p_deadline);
		RETURN least(minqing.add_working_hours(p_district, p_start, r.value * w / 3600), p_deadline);
	END IF;
	IF r.value = 0 THEN
		RETURN p_deadline;
	END IF;
	s := minqing.calendar_setting(p_district);
	RETURN minqing.add_working_hours(p_district, p_deadline,
	                                 r.value * extract(epoch FROM s.day_end - s.day_start) / 3600);
END
$$;
COMMENT ON FUNCTION minqing.escalation_due_at(smallint, text, timestamptz, timestamptz) IS
	'When p_step falls due for a case started at p_start with deadline p_deadline. elapsed_fraction f: '
	'p_start plus f of the working time between p_start and p_deadline (at most p_deadline). '
	'overdue_working_days N: p_deadline plus N working days of working time, i.e. add_working_hours('
	'p_deadline, N * office hours of a day); N = 0 is the deadline itself. NULL when the district has no '
	'rule for the step or the deadline is NULL.';
REVOKE ALL ON FUNCTION minqing.escalation_due_at(smallint, text, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.escalation_due_at(smallint, text, timestamptz, timestamptz) TO mq_staff, mq_system;

CREATE OR REPLACE FUNCTION minqing.holiday_seed_prc(p_district smallint) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n integer;
BEGIN
	PERFORM minqing.seed_authorise(p_district);
	INSERT INTO minqing.holiday (district_id, day, kind, name)
	SELECT p_district, v.first_day + i, v.kind, v.name
	  FROM (VALUES
		-- 2025 (国务院办公厅 国办发明电〔2024〕12号)
		('2025-01-01'::date, '2025-01-01'::date, 'holiday', '元旦'),
		('2025-01-28', '2025-02-04', 'holiday', '春节'),
		('2025-01-26', '2025-01-26', 'workday', '春节调休上班'),
		('2025-02-08', '2025-02-08', 'workday', '春节调休上班'),
		('2025-04-04', '2025-04-06', 'holiday', '清明节'),
		('2025-05-01', '2025-05-05', 'holiday', '劳动节'),
		('2025-04-27', '2025-04-27', 'workday', '劳动节调休上班'),
		('2025-05-31', '2025-06-02', 'holiday', '端午节'),
		('2025-10-01', '2025-10-08', 'holiday', '国庆节、中秋节'),
		('2025-09-28', '2025-09-28', 'workday', '国庆节调休上班'),
		('2025-10-11', '2025-10-11', 'workday', '国庆节调休上班'),
		-- 2026
		('2026-01-01', '2026-01-03', 'holiday', '元旦'),
		('2026-01-04', '2026-01-04', 'workday', '元旦调休上班'),
		('2026-02-15', '2026-02-23', 'holiday', '春节'),
		('2026-02-14', '2026-02-14', 'workday', '春节调休上班'),
		('2026-02-28', '2026-02-28', 'workday', '春节调休上班'),
		('2026-04-04', '2026-04-06', 'holiday', '清明节'),
		('2026-05-01', '2026-05-05', 'holiday', '劳动节'),
		('2026-05-09', '2026-05-09', 'workday', '劳动节调休上班'),
		('2026-06-19', '2026-06-21', 'holiday', '端午节'),
		('2026-09-25', '2026-09-27', 'holiday', '中秋节'),
		('2026-10-01', '2026-10-07', 'holiday', '国庆节'),
		('2026-09-20', '2026-09-20', 'workday', '国庆节调休上班'),
		('2026-10-10', '2026-10-10', 'workday', '国庆节调休上班'))
	       AS v(first_day, last_day, kind, name),
	       generate_series(0, v.last_day - v.first_day) AS i
	ON CONFLICT (district_id, day) DO NOTHING;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
COMMENT ON FUNCTION minqing.holiday_seed_prc(smallint) IS
	'Inserts the PRC statutory holidays and make-up working days of 2025 and 2026 for a district '
	'(every day of each holiday period); keeps existing rows. Returns the rows inserted.';
REVOKE ALL ON FUNCTION minqing.holiday_seed_prc(smallint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.holiday_seed_prc(smallint) TO mq_admin;

CREATE OR REPLACE FUNCTION minqing.category_seed_default(p_district smallint) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n integer;
	k integer;
BEGIN
	PERFORM minqing.seed_authorise(p_district);

	INSERT INTO minqing.case_category (district_id, code, name, name_en, centre, path)
	VALUES (p_district, 'MED', '民情调处中心', 'Mediation centre', 'mediation', 'MED'),
	       (p_district, 'POL', '政策咨询中心', 'Policy consultation centre', 'policy', 'POL'),
	       (p_district, 'SVC', '便民服务中心', 'Convenience service centre', 'service', 'SVC')
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS n = ROW_COUNT;

	-- Second level under the centres, then the third-level example.
	INSERT INTO minqing.case_category (district_id, parent_id, code, name, name_en, centre, path, is_key)
	SELECT p_district, p.category_id, v.code, v.name, v.name_en, p.centre,
	       p.path || v.code::ext.ltree, v.is_key
	  FROM (VALUES
		('MED', 'MED_NEIGHBOUR', '邻里纠纷', 'Neighbour disputes', false),
		('MED', 'MED_FAMILY', '婚姻家庭纠纷', 'Marriage and family disputes', false),
		('MED', 'MED_LAND', '土地山林纠纷', 'Land and forest disputes', false),
		('MED', 'MED_LABOUR', '劳资纠纷', 'Labour and wage disputes', false),
		('MED', 'MED_CONDUCT', '干部作风投诉', 'Complaints about officials'' conduct', true),
		('MED', 'MED_DEMOLITION', '征地拆迁', 'Land requisition and demolition', true),
		('POL', 'POL_INSURANCE', '社保医保', 'Social and medical insurance', false),
		('POL', 'POL_RELIEF', '低保救助', 'Minimum living allowance and relief', false),
		('POL', 'POL_FAMILY_PLANNING', '计划生育', 'Family planning', false),
		('POL', 'POL_RURAL', '农村政策', 'Rural policy', false),
		('POL', 'POL_EMPLOYMENT', '就业创业', 'Employment and starting a business', false),
		('POL', 'POL_HUKOU', '户籍政策', 'Household registration policy', false),
		('SVC', 'SVC_LICENCE', '证照办理', 'Certificates and licences', false),
		('SVC', 'SVC_UTILITIES', '水电气维修', 'Water, power and gas repairs', false),
		('SVC', 'SVC_ENVIRONMENT', '道路环境卫生', 'Roads, environment and sanitation', false),
		('SVC', 'SVC_SAFETY', '治安消防', 'Public order and fire safety', false),
		('SVC', 'SVC_CARE', '老人儿童关爱', 'Care for the elderly and children', false),
		('SVC', 'SVC_OTHER', '其他便民', 'Other services', false))
	       AS v(parent_code, code, name, name_en, is_key)
	  JOIN LATERAL (SELECT c.category_id, c.centre, c.path FROM minqing.case_category c
	                 WHERE c.district_id = p_district AND c.code = v.parent_code) AS p ON true
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS k = ROW_COUNT;
	n := n + k;
	INSERT INTO minqing.case_category (district_id, parent_id, code, name, name_en, centre, path, is_key)
	SELECT p_district, p.category_id, 'SVC_LICENCE_ENQUIRY', '证照办理咨询', 'Enquiries about certificates',
	       p.centre, p.path || 'SVC_LICENCE_ENQUIRY'::ext.ltree, false
	  FROM minqing.case_category p WHERE p.district_id = p_district AND p.code = 'SVC_LICENCE'
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS k = ROW_COUNT;
	n := n + k;

	-- Commitments: a centre's rows serve all its subcategories; a few
	-- subcategories promise more (or need longer).
	INSERT INTO minqing.service_commitment (district_id, category_id, level, kind, amount)
	SELECT p_district, c.category_id, v.level::minqing.unit_level, v.kind, v.amount
	  FROM (VALUES
		('MED', 'village', 'days', 3), ('MED', 'town', 'days', 5), ('MED', 'district', 'days', 7),
		('POL', 'village', 'days', 3), ('POL', 'town', 'days', 5), ('POL', 'district', 'days', 7),
		('SVC', 'village', 'days', 3), ('SVC', 'town', 'days', 5), ('SVC', 'district', 'days', 7),
		('MED_DEMOLITION', 'town', 'days', 10), ('MED_DEMOLITION', 'district', 'days', 15),
		('MED_CONDUCT', 'district', 'days', 10),
		('POL_INSURANCE', 'village', 'days', 2),
		('SVC_UTILITIES', 'village', 'hours', 24), ('SVC_UTILITIES', 'town', 'hours', 36),
		('SVC_LICENCE_ENQUIRY', 'village', 'immediate', NULL),
		('SVC_LICENCE_ENQUIRY', 'town', 'immediate', NULL),
		('SVC_LICENCE_ENQUIRY', 'district', 'immediate', NULL))
	       AS v(code, level, kind, amount)
	  JOIN minqing.case_category c ON c.district_id = p_district AND c.code = v.code
	ON CONFLICT DO NOTHING;
	RETURN n;
END
$$;
COMMENT ON FUNCTION minqing.category_seed_default(smallint) IS
	'Inserts the three centres, their default subcategories (codes like MED_NEIGHBOUR) and default '
	'service commitments (centres: village 3, town 5, district 7 working days; overrides for some '
	'subcategories); keeps existing rows. Returns the categories inserted.';
REVOKE ALL ON FUNCTION minqing.category_seed_default(smallint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.category_seed_default(smallint) TO mq_admin;

CREATE OR REPLACE FUNCTION minqing.escalation_rule_seed_default(p_district smallint) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n integer;
BEGIN
	PERFORM minqing.seed_authorise(p_district);
	INSERT INTO minqing.escalation_rule (district_id, step, basis, value)
	VALUES (p_district, 'reminder', 'elapsed_fraction', 0.8),
	       (p_district, 'yellow', 'overdue_working_days', 0),
	       (p_district, 'orange', 'overdue_working_days', 3),
	       (p_district, 'red', 'overdue_working_days', 7)
	ON CONFLICT (district_id, step) DO NOTHING;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
COMMENT ON FUNCTION minqing.escalation_rule_seed_default(smallint) IS
	'Inserts the default thresholds: reminder at 80% of the working time to the deadline, yellow when '
	'overdue, orange 3 and red 7 working days overdue; keeps existing rows. Returns the rows inserted.';
REVOKE ALL ON FUNCTION minqing.escalation_rule_seed_default(smallint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.escalation_rule_seed_default(smallint) TO mq_admin;

CREATE OR REPLACE FUNCTION minqing.district_seed_defaults(p_district smallint) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	PERFORM minqing.seed_authorise(p_district);
	INSERT INTO minqing.work_calendar_setting (district_id) VALUES (p_district)
	ON CONFLICT (district_id) DO NOTHING;
	PERFORM minqing.holiday_seed_prc(p_district);
	PERFORM minqing.category_seed_default(p_district);
	PERFORM minqing.escalation_rule_seed_default(p_district);
END
$$;
COMMENT ON FUNCTION minqing.district_seed_defaults(smallint) IS
	'Default configuration of a district: calendar setting, PRC holidays, categories with commitments, '
	'escalation rules. Idempotent (existing rows are kept); for the demo data and for a new district. '
	'Callable by a superuser or that district''s administrator.';
REVOKE ALL ON FUNCTION minqing.district_seed_defaults(smallint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.district_seed_defaults(smallint) TO mq_admin;

RESET ROLE;
