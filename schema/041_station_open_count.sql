-- 041_station_open_count.sql: the open cases received at each station,
-- kept per station, year and unit that received them.
--
-- 分站 (stations_list()) shows beside each station the cases received there
-- this year that are not closed or withdrawn. It counted them under
-- row-level security: 14,000 cases for the district's first page of fifty
-- stations at scale 10, 12-17 ms (docs/operations.md, "List screens at a
-- million cases").
--
-- station_open_count holds, per station, calendar year of the case's
-- receipt (the district's) and unit that received it (origin_unit_id, with
-- its path), the cases not closed or withdrawn. A row is read by whoever
-- sees the path: each case it counts was received there.
--
-- A case's station, receipt and receiving unit never change; its status
-- does. So a statement trigger adds the cases a statement inserts, and a
-- row trigger whose WHEN tests the status (schema/functions/83_station_open_count.sql)
-- moves a case in or out when it is closed, withdrawn or reopened: the
-- other transitions and the escalation passes cost a comparison. Both fire
-- in replica mode too (ENABLE ALWAYS); the demo district's bulk inserts drop
-- the insert trigger and recount once.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE TABLE minqing.station_open_count (
	station_id     integer NOT NULL REFERENCES minqing.station,
	year           smallint NOT NULL,
	origin_unit_id integer NOT NULL,
	origin_path    ext.ltree NOT NULL,
	n              integer NOT NULL CHECK (n >= 0),
	PRIMARY KEY (station_id, year, origin_unit_id)
);
COMMENT ON TABLE minqing.station_open_count IS
	'Per station, year of receipt (the district''s calendar) and unit that received the cases (with its path): '
	'the cases not closed or withdrawn. Kept by triggers on cases; read by stations_list().';

-- Read as the cases it counts are, by the unit that received them; written
-- by the triggers' owner only.
ALTER TABLE minqing.station_open_count ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.station_open_count FORCE ROW LEVEL SECURITY;
CREATE POLICY station_open_count_read ON minqing.station_open_count FOR SELECT
	USING (origin_path OPERATOR(ext.<@) (SELECT minqing.my_scope()));
GRANT SELECT ON minqing.station_open_count TO mq_staff;
GRANT SELECT, INSERT, UPDATE, DELETE ON minqing.station_open_count TO mq_summariser;

-- The triggers' functions (83_station_open_count.sql; created here first so
-- that the triggers can name them).
CREATE FUNCTION minqing.station_open_count_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN NULL; -- replaced by schema/functions/83_station_open_count.sql in this transaction
END
$$;
REVOKE ALL ON FUNCTION minqing.station_open_count_insert() FROM PUBLIC;
CREATE FUNCTION minqing.station_open_count_status() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN NULL; -- replaced by schema/functions/83_station_open_count.sql in this transaction
END
$$;
REVOKE ALL ON FUNCTION minqing.station_open_count_status() FROM PUBLIC;
CREATE TRIGGER station_open_count_insert AFTER INSERT ON minqing.cases
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION minqing.station_open_count_insert();
-- (Operators written schema-qualified, as 034 explains.)
CREATE TRIGGER station_open_count_status AFTER UPDATE OF status ON minqing.cases FOR EACH ROW
	WHEN (NEW.station_id IS NOT NULL
	      AND (OLD.status OPERATOR(pg_catalog.=) ANY ('{closed,withdrawn}'::minqing.case_status[]))
	          IS DISTINCT FROM
	          (NEW.status OPERATOR(pg_catalog.=) ANY ('{closed,withdrawn}'::minqing.case_status[])))
	EXECUTE FUNCTION minqing.station_open_count_status();
ALTER TABLE minqing.cases ENABLE ALWAYS TRIGGER station_open_count_insert;
ALTER TABLE minqing.cases ENABLE ALWAYS TRIGGER station_open_count_status;

RESET ROLE;
-- (As a superuser: mq_owner is not a member of mq_summariser.)
ALTER FUNCTION minqing.station_open_count_insert() OWNER TO mq_summariser;
ALTER FUNCTION minqing.station_open_count_status() OWNER TO mq_summariser;

-- The open cases there are, as the superuser (every row, past row-level
-- security; station_open_count_rebuild() of the function file does the same
-- for the demo district).
INSERT INTO minqing.station_open_count (station_id, year, origin_unit_id, origin_path, n)
SELECT c.station_id, extract(year FROM c.created_at AT TIME ZONE tz.tz)::smallint, c.origin_unit_id,
       (array_agg(c.origin_path ORDER BY c.case_id DESC))[1], count(*)
  FROM minqing.cases c
  JOIN (SELECT d.district_id, (minqing.calendar_setting(d.district_id)).time_zone AS tz
          FROM minqing.district d) tz ON tz.district_id = c.district_id
 WHERE c.station_id IS NOT NULL AND c.status NOT IN ('closed', 'withdrawn')
 GROUP BY 1, 2, 3;
