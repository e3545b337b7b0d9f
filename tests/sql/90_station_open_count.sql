-- account: postgres
-- The open cases kept per station, year and receiving unit
-- (station_open_count, 041_station_open_count.sql; the triggers of
-- schema/functions/83_station_open_count.sql) and 分站's counts read from
-- them (stations_list().open_cases): after the demo load the kept counts
-- are a recount of the cases; a case entered at a station adds one, its
-- withdrawal takes it off, and its coming back adds it again, while a
-- transition between open states changes nothing; a statement of several
-- cases at two stations (one already withdrawn, one of New Year's Eve in
-- UTC that is the next year in the district) adds each to its row; the
-- list of a supervisor and of a village officer shows what a plain count
-- under their policies shows; a village officer reads its village's rows
-- only; nobody but the triggers writes the counts, and the recount is the
-- superuser's. Rolled back.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(15);

-- The rows that differ from a recount of the cases (none: 0).
CREATE FUNCTION pg_temp.mismatches() RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*)
	  FROM (SELECT c.station_id, extract(year FROM c.created_at AT TIME ZONE 'Asia/Shanghai')::smallint AS year,
	               c.origin_unit_id, count(*)::integer AS n
	          FROM minqing.cases c
	         WHERE c.station_id IS NOT NULL AND c.status NOT IN ('closed', 'withdrawn')
	         GROUP BY 1, 2, 3) m
	  FULL JOIN (SELECT * FROM minqing.station_open_count WHERE n > 0) o USING (station_id, year, origin_unit_id)
	 WHERE m.n IS NULL OR o.n IS NULL OR m.n <> o.n
$$;
SELECT is(pg_temp.mismatches(), 0::bigint, 'after the demo load the kept counts are the open cases');

SELECT min(category_id) AS cat FROM case_category c JOIN org_unit u ON u.district_id = c.district_id
 WHERE u.code = 'LW' AND c.parent_id IS NOT NULL \gset
SELECT s.station_id AS st FROM station s JOIN org_unit u USING (unit_id) WHERE u.code = 'T01V01'
 ORDER BY s.station_id LIMIT 1 \gset
SELECT s.station_id AS st2 FROM station s JOIN org_unit u USING (unit_id) WHERE u.code = 'T01V02'
 ORDER BY s.station_id LIMIT 1 \gset
CREATE FUNCTION pg_temp.kept(p_station integer) RETURNS integer LANGUAGE sql AS $$
	SELECT coalesce(sum(o.n), 0)::integer FROM minqing.station_open_count o
	 WHERE o.station_id = p_station
	   AND o.year = extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')
$$;
SELECT pg_temp.kept(:st) AS before \gset

-- A case entered at T01V01's station by its officer.
SET SESSION AUTHORIZATION demo_village;
SELECT case_id AS k FROM case_intake('walk_in', '分站计数测试', '分站计数测试内容', :cat, '测试人', '13600001234',
                                     p_station => :st) \gset
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.kept(:st), :before + 1, 'a case entered at the station: one more open');
UPDATE cases SET status = 'accepted' WHERE case_id = :k;
SELECT is(pg_temp.kept(:st), :before + 1, 'accepted: still one more (open to open)');
SET SESSION AUTHORIZATION demo_village;
SELECT lives_ok(format($$SELECT case_withdraw(%s, '居民撤回')$$, :k), 'withdrawn at the console');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.kept(:st), :before, 'withdrawn: no longer open');
UPDATE cases SET status = 'received' WHERE case_id = :k;
SELECT is(pg_temp.kept(:st), :before + 1, 'back from withdrawn (a repair): open again');

-- One statement: two open cases at T01V01's station, one of them on New
-- Year's Eve at 16:30 UTC (New Year's Day 00:30 in the district), one
-- withdrawn, one at T01V02's.
INSERT INTO cases (district_id, case_no, channel, station_id, origin_unit_id, origin_path, title, content,
                   category_id, anonymous, status, created_at)
SELECT u.district_id, 'LW-TEST-STATION-' || x.i, 'walk_in', x.station, u.unit_id, u.path, '计数' || x.i, '计数',
       :cat, true, x.status::case_status, x.at
  FROM (VALUES (1, 'T01V01', :st, 'received', timestamptz '2025-12-31 16:30+00'),
               (2, 'T01V01', :st, 'received', '2025-12-31 15:30+00'),
               (3, 'T01V01', :st, 'withdrawn', '2026-03-01 03:00+00'),
               (4, 'T01V02', :st2, 'received', '2026-03-01 03:00+00')) x(i, code, station, status, at)
  JOIN org_unit u ON u.code = x.code;
SELECT is((SELECT array_agg(format('%s %s %s', o.station_id = :st, o.year, o.n) ORDER BY o.station_id, o.year)
             FROM station_open_count o
            WHERE o.station_id IN (:st, :st2) AND o.year IN (2025, 2026)
              AND (o.station_id = :st AND o.year = 2025 OR o.station_id = :st2)),
          (SELECT array_agg(format('%s %s %s', m.station_id = :st, m.year, m.n) ORDER BY m.station_id, m.year)
             FROM (SELECT c.station_id, extract(year FROM c.created_at AT TIME ZONE 'Asia/Shanghai') AS year,
                          count(*) AS n
                     FROM cases c
                    WHERE c.station_id IN (:st, :st2) AND c.status NOT IN ('closed', 'withdrawn')
                      AND (c.station_id = :st AND c.created_at < '2025-12-31 16:00+00' OR c.station_id = :st2)
                      AND c.created_at >= '2024-12-31 16:00+00'
                    GROUP BY 1, 2) m),
          'a statement''s open cases by station and the district''s year');
SELECT is(pg_temp.mismatches(), 0::bigint, 'and the kept counts are still the open cases');

-- The list's counts against a plain count under the caller's policies:
-- the open cases received at each listed station this year, by units the
-- caller sees.
CREATE FUNCTION pg_temp.list_wrong() RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM minqing.stations_list(p_limit => 500) s
	 WHERE s.open_cases <> (SELECT count(*) FROM minqing.cases c
	                         WHERE c.station_id = s.station_id AND c.status NOT IN ('closed', 'withdrawn')
	                           AND c.origin_path OPERATOR(ext.<@) minqing.my_scope()
	                           AND extract(year FROM c.created_at AT TIME ZONE 'Asia/Shanghai')
	                               = extract(year FROM now() AT TIME ZONE 'Asia/Shanghai'))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.list_wrong() TO PUBLIC;
SET SESSION AUTHORIZATION demo_supervisor;
SELECT ok((SELECT count(*) FROM stations_list(p_limit => 500) WHERE open_cases > 0) > 0,
          'the district''s stations: some with open cases');
SELECT is(pg_temp.list_wrong(), 0::bigint, 'each station''s count is a count of the cases');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_village;
SELECT is(pg_temp.list_wrong(), 0::bigint, 'and the village''s');
SELECT is((SELECT count(*) FROM station_open_count o
            WHERE NOT o.origin_path OPERATOR(ext.<@) (SELECT u.path FROM org_unit u WHERE u.code = 'T01V01')),
          0::bigint, 'a village officer reads its village''s rows only');
SELECT throws_ok($$UPDATE station_open_count SET n = 10$$, '42501', NULL, 'a person may not write the counts');
SELECT throws_ok($$SELECT station_open_count_rebuild()$$, '42501', NULL, 'nor count them again');
RESET SESSION AUTHORIZATION;

SELECT lives_ok($$SELECT station_open_count_rebuild()$$, 'the superuser counts them again');

SELECT * FROM finish();
ROLLBACK;
