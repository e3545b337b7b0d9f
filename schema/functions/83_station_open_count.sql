-- The open cases kept per station, year and receiving unit
-- (041_station_open_count.sql): the triggers that keep station_open_count
-- and a recount for a bulk load.
--
-- The triggers are owned by mq_summariser (BYPASSRLS), which mq_owner is
-- not a member of: they are replaced as the superuser that migrates.
RESET ROLE;
SET LOCAL search_path = minqing, ext, pg_temp;

-- AFTER INSERT on cases, per statement: the statement's open cases received
-- at a station, summed per station, district year and unit, added to the
-- rows there are (in key order: two statements cannot deadlock on them).
-- A unit's path is the latest one seen.
CREATE OR REPLACE FUNCTION minqing.station_open_count_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	INSERT INTO minqing.station_open_count AS o (station_id, year, origin_unit_id, origin_path, n)
	SELECT c.station_id, extract(year FROM minqing.district_local_time(c.district_id, c.created_at))::smallint,
	       c.origin_unit_id, (array_agg(c.origin_path ORDER BY c.case_id DESC))[1], count(*)
	  FROM new_rows c
	 WHERE c.station_id IS NOT NULL AND c.status NOT IN ('closed', 'withdrawn')
	 GROUP BY 1, 2, 3
	 ORDER BY 1, 2, 3
	ON CONFLICT (station_id, year, origin_unit_id)
	DO UPDATE SET n = o.n + excluded.n, origin_path = excluded.origin_path;
	RETURN NULL;
END
$$;
ALTER FUNCTION minqing.station_open_count_insert() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.station_open_count_insert() FROM PUBLIC;
COMMENT ON FUNCTION minqing.station_open_count_insert() IS
	'Trigger (AFTER INSERT on cases, per statement): adds the open cases received at a station to '
	'station_open_count. Owned by mq_summariser (BYPASSRLS).';

-- AFTER UPDATE OF status on cases, per row, when a case received at a
-- station is closed or withdrawn (-1) or comes back from either (+1): the
-- trigger's WHEN decides, so every other update costs a comparison.
CREATE OR REPLACE FUNCTION minqing.station_open_count_status() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	d integer := CASE WHEN NEW.status IN ('closed', 'withdrawn') THEN -1 ELSE 1 END;
BEGIN
	INSERT INTO minqing.station_open_count AS o (station_id, year, origin_unit_id, origin_path, n)
	VALUES (NEW.station_id, extract(year FROM minqing.district_local_time(NEW.district_id, NEW.created_at)),
	        NEW.origin_unit_id, NEW.origin_path, greatest(d, 0))
	ON CONFLICT (station_id, year, origin_unit_id) DO UPDATE SET n = o.n + d;
	RETURN NULL;
END
$$;
ALTER FUNCTION minqing.station_open_count_status() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.station_open_count_status() FROM PUBLIC;
COMMENT ON FUNCTION minqing.station_open_count_status() IS
	'Trigger (AFTER UPDATE OF status on cases, per row, when a case received at a station is closed, '
	'withdrawn or reopened): moves it out of or into station_open_count. Owned by mq_summariser (BYPASSRLS).';

SET LOCAL ROLE mq_owner;

-- Count again from the cases: for a load that bypassed the triggers (the
-- demo district) or a repair. Shares cases, so no change is counted twice
-- or missed. Superusers only (no EXECUTE to anyone; a superuser reads past
-- row-level security).
CREATE OR REPLACE FUNCTION minqing.station_open_count_rebuild() RETURNS void
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	LOCK TABLE minqing.cases IN SHARE MODE;
	DELETE FROM minqing.station_open_count;
	INSERT INTO minqing.station_open_count (station_id, year, origin_unit_id, origin_path, n)
	SELECT c.station_id, extract(year FROM c.created_at AT TIME ZONE tz.tz)::smallint, c.origin_unit_id,
	       (array_agg(c.origin_path ORDER BY c.case_id DESC))[1], count(*)
	  FROM minqing.cases c
	  JOIN (SELECT d.district_id, (minqing.calendar_setting(d.district_id)).time_zone AS tz
	          FROM minqing.district d) tz ON tz.district_id = c.district_id
	 WHERE c.station_id IS NOT NULL AND c.status NOT IN ('closed', 'withdrawn')
	 GROUP BY 1, 2, 3;
END
$$;
REVOKE ALL ON FUNCTION minqing.station_open_count_rebuild() FROM PUBLIC;
COMMENT ON FUNCTION minqing.station_open_count_rebuild() IS
	'Count station_open_count again from cases (after a load that bypassed the triggers). Superusers only.';

RESET ROLE;
