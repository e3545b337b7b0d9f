-- The cases each person entered per day and unit (039_entry_count.sql): the
-- trigger that keeps entry_count and a recount for a bulk load.
--
-- The trigger is owned by mq_summariser (BYPASSRLS), which mq_owner is not a
-- member of: it is replaced as the superuser that migrates.
RESET ROLE;
SET LOCAL search_path = minqing, ext, pg_temp;

-- AFTER INSERT on cases, per statement: the statement's cases summed per
-- login, district day and unit, added to this session's rows (slot: the
-- backend's process id, so that no other session waits for them; in key
-- order). A unit's path is the latest one seen (a unit that moved takes its
-- counts with it).
CREATE OR REPLACE FUNCTION minqing.entry_count_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	INSERT INTO minqing.entry_count AS e (entered_by, day, origin_unit_id, slot, district_id, origin_path, n)
	SELECT c.entered_by, minqing.district_local_time(c.district_id, c.created_at)::date, c.origin_unit_id,
	       pg_backend_pid(), min(c.district_id), (array_agg(c.origin_path ORDER BY c.case_id DESC))[1], count(*)
	  FROM new_rows c
	 GROUP BY 1, 2, 3
	 ORDER BY 1, 2, 3
	ON CONFLICT (entered_by, day, origin_unit_id, slot)
	DO UPDATE SET n = e.n + excluded.n, origin_path = excluded.origin_path;
	RETURN NULL;
END
$$;
ALTER FUNCTION minqing.entry_count_sync() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.entry_count_sync() FROM PUBLIC;
COMMENT ON FUNCTION minqing.entry_count_sync() IS
	'Trigger (AFTER INSERT on cases, per statement): adds the cases entered to entry_count, per login, '
	'district day, unit where they were received and session. Owned by mq_summariser (BYPASSRLS).';

SET LOCAL ROLE mq_owner;

-- Count again from the cases: for a load that bypassed the trigger (the
-- demo district) or a repair. Shares cases, so no insert is counted twice
-- or missed. Superusers only (no EXECUTE to anyone; a superuser reads past
-- row-level security).
CREATE OR REPLACE FUNCTION minqing.entry_count_rebuild() RETURNS void
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	LOCK TABLE minqing.cases IN SHARE MODE;
	DELETE FROM minqing.entry_count;
	INSERT INTO minqing.entry_count (entered_by, day, origin_unit_id, district_id, origin_path, n)
	SELECT c.entered_by, (c.created_at AT TIME ZONE tz.tz)::date, c.origin_unit_id, min(c.district_id),
	       (array_agg(c.origin_path ORDER BY c.case_id DESC))[1], count(*)
	  FROM minqing.cases c
	  JOIN (SELECT d.district_id, (minqing.calendar_setting(d.district_id)).time_zone AS tz
	          FROM minqing.district d) tz ON tz.district_id = c.district_id
	 GROUP BY 1, 2, 3;
END
$$;
REVOKE ALL ON FUNCTION minqing.entry_count_rebuild() FROM PUBLIC;
COMMENT ON FUNCTION minqing.entry_count_rebuild() IS
	'Count entry_count again from cases (after a load that bypassed the trigger). Superusers only.';

RESET ROLE;
