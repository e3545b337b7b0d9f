-- 节假日安排 (system administration): the district's statutory holidays and
-- make-up working days, which every deadline, escalation and working-hours
-- figure is counted by (schema/002_calendar.sql; docs/cases.md). The State
-- Council publishes each year's schedule in the autumn before; the seed
-- holds 2025 and 2026 only, so the district's administrator enters each
-- later year here (docs/operations.md, "Each year's holidays"), and 运行状态
-- says when the coming year is still missing (ops_calendar_lines).
--
-- Invoker functions: the table's grants (INSERT, UPDATE of kind and name,
-- DELETE to mq_admin) and its row-level security (only the administrator
-- at the district root writes, and only that district's rows) decide; the
-- functions add the checks a person needs words for.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- The calendar's exceptions of the caller's district by day: a year
-- (p_year_offset 0 this year, 1 next year, in the district's time zone) or
-- all; keyset by day. day_id is the day as YYYYMMDD (the row's id on the
-- screen, where marked rows are removed).
CREATE OR REPLACE FUNCTION minqing.holidays_list(p_year_offset integer DEFAULT NULL, p_after_day date DEFAULT NULL,
                                                 p_limit integer DEFAULT 50)
RETURNS TABLE (day_id integer, day date, weekday text, weekday_en text, kind text, kind_name text,
               kind_name_en text, name text, row_version integer)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	d smallint := minqing.my_district();
	y integer;
BEGIN
	IF p_year_offset IS NOT NULL THEN
		y := extract(year FROM minqing.district_local_time(d, now()))::integer + least(greatest(p_year_offset, -50), 50);
	END IF;
	RETURN QUERY
	SELECT to_char(h.day, 'YYYYMMDD')::integer, h.day,
	       (ARRAY['星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'])[extract(isodow FROM h.day)::integer],
	       to_char(h.day, 'FMDay'), h.kind, CASE h.kind WHEN 'holiday' THEN '放假' ELSE '调休上班' END,
	       CASE h.kind WHEN 'holiday' THEN 'holiday' ELSE 'make-up working day' END, h.name, h.row_version
	  FROM minqing.holiday h
	 WHERE h.district_id = d
	   AND (y IS NULL OR (h.day >= make_date(y, 1, 1) AND h.day < make_date(y + 1, 1, 1)))
	   AND (p_after_day IS NULL OR h.day > p_after_day)
	 ORDER BY h.day
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500);
END
$$;
COMMENT ON FUNCTION minqing.holidays_list(integer, date, integer) IS
	'节假日安排: the holidays and make-up working days of the caller''s district by day, of this year (0), '
	'next year (1) or all (NULL); keyset by day; day_id = the day as YYYYMMDD.';
REVOKE ALL ON FUNCTION minqing.holidays_list(integer, date, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.holidays_list(integer, date, integer) TO mq_staff;

-- The administrator at the district root, or 42501 in words (row-level
-- security would refuse too, with a message no person should read).
CREATE OR REPLACE FUNCTION minqing.calendar_admin_district() RETURNS smallint
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	d smallint := minqing.my_admin_district();
BEGIN
	IF d IS NULL THEN
		RAISE EXCEPTION 'only the administrator of the district may change its work calendar'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN d;
END
$$;
COMMENT ON FUNCTION minqing.calendar_admin_district() IS
	'The district whose work calendar the caller may change (an active administrator at the district root); '
	'42501 for everyone else.';
REVOKE ALL ON FUNCTION minqing.calendar_admin_district() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.calendar_admin_district() TO mq_admin;

-- A period of the calendar, as the State Council's notice gives it: the
-- days p_first to p_last (at most 31) are holidays (放假, weekend days
-- included) or make-up working days (调休上班, Saturdays and Sundays only),
-- named. Days already in the calendar take the new kind and name. Returns
-- the days written.
CREATE OR REPLACE FUNCTION minqing.holiday_set(p_first date, p_last date DEFAULT NULL, p_kind text DEFAULT 'holiday',
                                               p_name text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	d smallint := minqing.calendar_admin_district();
	last_day date := coalesce(p_last, p_first);
	nm text := btrim(p_name);
	wd date;
	n integer;
BEGIN
	IF p_first IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'first day' USING ERRCODE = 'not_null_violation', COLUMN = 'first';
	ELSIF nm IS NULL OR nm = '' THEN
		RAISE EXCEPTION 'the % is required', 'name' USING ERRCODE = 'not_null_violation', COLUMN = 'name';
	ELSIF char_length(nm) > 50 THEN
		RAISE EXCEPTION 'the % is too long: % characters, at most %', 'name', char_length(nm), 50
			USING ERRCODE = 'string_data_right_truncation', COLUMN = 'name';
	ELSIF p_kind IS NULL OR p_kind NOT IN ('holiday', 'workday') THEN
		RAISE EXCEPTION 'a day of the calendar is a holiday or a make-up working day, not %', coalesce(p_kind, 'nothing')
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'kind';
	ELSIF last_day < p_first THEN
		RAISE EXCEPTION 'the last day % is before the first day %', last_day, p_first
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'last';
	ELSIF last_day - p_first >= 31 THEN
		RAISE EXCEPTION 'a period of the calendar is at most 31 days, not %', last_day - p_first + 1
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'last';
	END IF;
	IF p_kind = 'workday' THEN
		SELECT g::date INTO wd FROM generate_series(p_first, last_day, interval '1 day') AS g
		 WHERE extract(isodow FROM g) < 6 ORDER BY g LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION 'a make-up working day is a Saturday or a Sunday; % is neither', wd
				USING ERRCODE = 'invalid_parameter_value', COLUMN = 'first';
		END IF;
	END IF;
	INSERT INTO minqing.holiday AS h (district_id, day, kind, name)
	SELECT d, g::date, p_kind, nm FROM generate_series(p_first, last_day, interval '1 day') AS g
	ON CONFLICT (district_id, day) DO UPDATE SET kind = excluded.kind, name = excluded.name
	 WHERE (h.kind, h.name) IS DISTINCT FROM (excluded.kind, excluded.name);
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
COMMENT ON FUNCTION minqing.holiday_set(date, date, text, text) IS
	'The district administrator enters a period of the calendar: p_first..p_last (at most 31 days) as '
	'holidays or make-up working days (weekends only), named; existing days take the new kind and name. '
	'Returns the days written (unchanged days not counted).';
REVOKE ALL ON FUNCTION minqing.holiday_set(date, date, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.holiday_set(date, date, text, text) TO mq_admin;

-- Days taken out of the calendar (marked rows of 节假日安排, day_id =
-- YYYYMMDD; at most 400): they become ordinary days again. Days not in the
-- calendar are counted as skipped.
CREATE OR REPLACE FUNCTION minqing.holiday_remove(p_days integer[])
RETURNS TABLE (removed integer, skipped integer)
LANGUAGE plpgsql VOLATILE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	d smallint := minqing.calendar_admin_district();
	n integer;
BEGIN
	IF coalesce(cardinality(p_days), 0) = 0 THEN
		RAISE EXCEPTION 'no day was chosen' USING ERRCODE = 'invalid_parameter_value';
	ELSIF cardinality(p_days) > 400 THEN
		RAISE EXCEPTION 'at most 400 days can be removed at once, not %', cardinality(p_days)
			USING ERRCODE = 'program_limit_exceeded';
	END IF;
	DELETE FROM minqing.holiday h
	 WHERE h.district_id = d
	   -- (compared as numbers: an id that is no date, 20270230, matches nothing instead of failing)
	   AND to_char(h.day, 'YYYYMMDD')::integer = ANY (p_days);
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN QUERY SELECT n, cardinality(ARRAY(SELECT DISTINCT unnest(p_days))) - n;
END
$$;
COMMENT ON FUNCTION minqing.holiday_remove(integer[]) IS
	'The district administrator takes days (YYYYMMDD, at most 400) out of the calendar: ordinary days again. '
	'Returns how many were removed and skipped (not in the calendar).';
REVOKE ALL ON FUNCTION minqing.holiday_remove(integer[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.holiday_remove(integer[]) TO mq_admin;

-- 运行状态's 工作日历 lines for a district on a day: this year's holidays,
-- and next year's — which, when missing from November on (the schedule is
-- published by then), is a warning: deadlines after New Year would be
-- counted through the holidays.
CREATE OR REPLACE FUNCTION minqing.ops_calendar_lines(p_district smallint, p_today date)
RETURNS TABLE (label_zh text, label_en text, value text, value_en text, depth integer)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	WITH y AS (
		SELECT k, extract(year FROM p_today)::integer + k AS year
		  FROM generate_series(0, 1) AS k),
	c AS (
		SELECT y.k, y.year, count(h.day) AS days, max(h.day) AS last_day
		  FROM y LEFT JOIN minqing.holiday h
		    ON h.district_id = p_district AND h.kind = 'holiday'
		   AND h.day >= make_date(y.year, 1, 1) AND h.day < make_date(y.year + 1, 1, 1)
		 GROUP BY y.k, y.year)
	SELECT '工作日历', 'Work calendar', NULL, NULL, 0
	UNION ALL
	SELECT * FROM (
		SELECT c.year || ' 年节假日', 'Holidays of ' || c.year,
		       CASE WHEN c.days > 0 THEN c.days || ' 天（最后一天 ' || to_char(c.last_day, 'YYYY-MM-DD') || '）'
		            WHEN c.k = 0 OR extract(month FROM p_today) >= 11
		            THEN '尚未录入：办理时限和预警不会避开节假日（系统管理 › 节假日安排）'
		            ELSE '尚未录入（国务院通常在当年秋季公布）' END,
		       CASE WHEN c.days > 0 THEN c.days || ' days (the last ' || to_char(c.last_day, 'YYYY-MM-DD') || ')'
		            WHEN c.k = 0 OR extract(month FROM p_today) >= 11
		            THEN 'not entered: deadlines and warnings will not skip the holidays (System administration › Holidays)'
		            ELSE 'not entered yet (published in the autumn)' END,
		       1
		  FROM c ORDER BY c.k) x
$$;
COMMENT ON FUNCTION minqing.ops_calendar_lines(smallint, date) IS
	'运行状态''s 工作日历 section for a district on a day: the holidays entered for that year and the next '
	'(a warning when missing: always for this year, from November on for the next).';
REVOKE ALL ON FUNCTION minqing.ops_calendar_lines(smallint, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.ops_calendar_lines(smallint, date) TO mq_admin;
