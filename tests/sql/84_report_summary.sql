-- account: postgres
-- The e-station's summary (民情e站概况, schema/functions/71_reports.sql)
-- against counts made here independently, as postgres, of the same rows:
-- for the district supervisor (the whole district: on the demo district
-- the seed's own figures 255 / 100 / 196 / 3,480 / 6,157 / >= 80 % / 142 /
-- 110 / 956 / 920) and for a town supervisor (the street T01 only). A case
-- recorded inside the transaction moves the figure; the kiosk reads
-- nothing. (SET SESSION AUTHORIZATION: session_user is the supervisor.)
-- One snapshot for the hand counts and the summary: the suite's other
-- tests add staff and stations to the same database meanwhile.
BEGIN ISOLATION LEVEL REPEATABLE READ;
SET search_path = minqing, ext, tap, public;
SELECT plan(16);

CREATE FUNCTION pg_temp.fig(label text) RETURNS text LANGUAGE sql
RETURN (SELECT value FROM minqing.report_summary_lines() WHERE label_zh = label);

-- The hand counts, by path: the district LW and its street T01 (the test
-- database may hold another district, the adversary's, at the same time).
SELECT (SELECT count(*) FROM station s WHERE s.active AND s.kind <> 'central' AND s.path <@ 'LW') AS d_stations,
       (SELECT count(*) FROM station s WHERE s.active AND s.kind <> 'central' AND s.path <@ 'LW.T01') AS t_stations,
       (SELECT count(*) FROM station s WHERE s.active AND s.kind = 'enterprise' AND s.path <@ 'LW') AS d_enterprise,
       (SELECT count(*) FROM staff s WHERE s.duty = 'officer' AND s.active AND s.path <@ 'LW') AS d_officers,
       (SELECT count(*) FROM staff s WHERE s.duty = 'officer' AND s.active AND s.path <@ 'LW.T01') AS t_officers,
       (SELECT count(*) FROM service_team t WHERE t.path <@ 'LW') AS d_teams,
       (SELECT count(*) FROM service_card c WHERE c.voided_at IS NULL AND c.path <@ 'LW') AS d_cards,
       (SELECT count(*) FROM service_card c WHERE c.voided_at IS NULL AND c.path <@ 'LW.T01') AS t_cards,
       (SELECT count(*) FROM visit v WHERE v.visited_at > now() - interval '1 year' AND v.path <@ 'LW') AS d_visits,
       (SELECT count(*) FROM volunteer v WHERE v.district_team AND v.active AND v.path <@ 'LW') AS d_volunteers,
       (SELECT count(*) FROM pairing p WHERE (p.until IS NULL OR p.until >= current_date)
                                         AND (p.path <@ 'LW' OR p.agency_path <@ 'LW')) AS d_pairings,
       (SELECT count(*) FROM cases k WHERE k.origin_path <@ 'LW' OR k.assigned_path <@ 'LW') AS d_recorded,
       (SELECT count(*) FROM cases k WHERE k.status IN ('resolved', 'reported', 'closed')
                                       AND (k.origin_path <@ 'LW' OR k.assigned_path <@ 'LW')) AS d_resolved,
       (SELECT count(*) FROM cases k WHERE k.origin_path <@ 'LW.T01' OR k.assigned_path <@ 'LW.T01') AS t_recorded
\gset
-- Coverage: rural households of the district with a visit in the last twelve months.
SELECT round(100.0 * count(*) FILTER (WHERE hc.last_visited_on > (now() AT TIME ZONE 'Asia/Shanghai')::date
                                                                 - interval '1 year') / count(*), 1) || '%'
       AS d_coverage
  FROM household_cell hc JOIN org_unit u USING (unit_id) WHERE u.kind = 'village' AND u.path <@ 'LW' \gset

SET SESSION AUTHORIZATION demo_supervisor;
SELECT is((SELECT unit_name FROM report_summary()), '龙湾区', 'the district supervisor''s summary is the district''s');
SELECT is(pg_temp.fig('分站'), :'d_stations', 'stations: every active sub-station (the central one not)');
SELECT is(pg_temp.fig('企业分站'), :'d_enterprise', 'enterprise stations');
SELECT is(pg_temp.fig('信息员'), :'d_officers', 'active information officers');
SELECT is(pg_temp.fig('服务队'), :'d_teams', 'service teams');
SELECT is(pg_temp.fig('便民服务卡'), :'d_cards', 'live service cards (void ones not)');
SELECT is(pg_temp.fig('走访（近一年）'), :'d_visits', 'visits in the last twelve months');
SELECT is(split_part(pg_temp.fig('走访覆盖率'), '（', 1), :'d_coverage', 'coverage: rural households visited');
SELECT is(pg_temp.fig('区志愿者队伍'), :'d_volunteers', 'the district volunteer team');
SELECT is(pg_temp.fig('结对共建'), :'d_pairings', 'pairings in force');
SELECT is(pg_temp.fig('受理登记') || '/' || pg_temp.fig('已办结'), :'d_recorded' || '/' || :'d_resolved',
          'cases recorded and resolved');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION demo_town_supervisor;
SELECT is((SELECT unit_name FROM report_summary()), '永中街道', 'a town supervisor''s summary is the town''s');
SELECT is(pg_temp.fig('分站') || ' ' || pg_temp.fig('信息员') || ' ' || pg_temp.fig('便民服务卡'),
          :'t_stations' || ' ' || :'t_officers' || ' ' || :'t_cards', 'stations, officers and cards of the town only');
SELECT is(pg_temp.fig('受理登记'), :'t_recorded', 'the cases from or assigned to the town');
RESET SESSION AUTHORIZATION;

-- A case recorded now counts at once (the figures are not a stale copy).
SET SESSION AUTHORIZATION demo_village;
SELECT case_no AS new_case FROM case_intake('walk_in', '概况计数测试', '测试内容',
       (SELECT min(category_id) FROM case_category WHERE parent_id IS NOT NULL), '测试人', '13800000000') \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_supervisor;
SELECT is(pg_temp.fig('受理登记'), (:'d_recorded'::int + 1)::text, 'a case recorded now counts at once');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION demo_kiosk;
SELECT throws_ok($$SELECT * FROM minqing.report_summary_lines()$$, '42501', NULL, 'a kiosk reads no summary');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
