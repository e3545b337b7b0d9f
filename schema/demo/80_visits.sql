-- Demo district, part 8: grid cells, service teams and visits (走访).
-- Cells from the households' register text (第N网格: one cell per distinct
-- unit and text, as the migration does for an existing database), every
-- household in its cell; 196 service teams over the 120 villages and
-- communities (one each, a second in the 76 with the most cells), led by
-- the unit's officer or handler, with two party members and a villager
-- representative, covering the unit's cells in turn; 6,157 visits x scale
-- in the past year. A visit is a team's round: 3 to 7 consecutive
-- households of its cells, mostly of one cell (about five, so 6,157 visits
-- make about 30,700 household visits); each team walks its households in
-- order, so a team visits min(1, its rounds' households / its households)
-- of them: rounds are shared out by households, a rural household weighing
-- 0.93 and an urban one 0.55, which puts rural coverage near 92 % and
-- communities near 55 %. A third of the visits are at night; kinds: regular 45 %,
-- irregular 25 %, appointment 20 %, return 10 % (back to a closed or
-- reported case of the unit; a unit without one makes it regular). Cases
-- the demo received through a party member's visit are linked to the
-- household's latest visit before them.
--
-- Reproducible by the seed (pg_temp.mq_h, 10_units.sql); loaded with
-- session_replication_role = replica (no triggers: rows valid by
-- construction, one IMPORT row in the audit trail for the lot).

SET LOCAL session_replication_role = replica;

CREATE FUNCTION pg_temp.mq_vb(h bigint, lo integer, n integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((h >> lo) & ((1::bigint << n) - 1))::integer;

------------------------------------------------------------------------------
-- Cells and the households' cells
------------------------------------------------------------------------------
INSERT INTO minqing.grid_cell (district_id, unit_id, path, code, name, party_group, area_group, households)
SELECT x.district_id, x.unit_id, x.path, lpad(x.n::text, 2, '0'), x.name,
       '第' || x.n || '党小组', '第' || (x.n + 1) / 2 || '片组', x.households
  FROM (SELECT h.district_id, h.unit_id, h.path, h.grid_cell AS name,
               substring(h.grid_cell FROM '[0-9]+')::int AS n, count(*) AS households
          FROM minqing.household h WHERE h.grid_cell IS NOT NULL
         GROUP BY h.district_id, h.unit_id, h.path, h.grid_cell) x
 ORDER BY x.unit_id, x.n;

-- The households' cells (written at the end, with the day of each one's
-- last visit).
CREATE TEMP TABLE mq_hc ON COMMIT DROP AS
SELECT h.household_id, c.cell_id, h.unit_id, h.district_id, h.path, c.code, h.household_no
  FROM minqing.household h
  JOIN minqing.grid_cell c ON c.unit_id = h.unit_id AND c.name = h.grid_cell;
ANALYZE mq_hc;

------------------------------------------------------------------------------
-- Teams: 120 + the 76 units with the most cells (then the most households)
------------------------------------------------------------------------------
CREATE TEMP TABLE mq_vu ON COMMIT DROP AS
SELECT u.unit_id, u.district_id, u.path, u.code, u.name, u.kind = 'village' AS rural,
       (SELECT count(*) FROM minqing.grid_cell c WHERE c.unit_id = u.unit_id) AS cells,
       coalesce(n.hh, 0) AS hh
  FROM minqing.org_unit u
  LEFT JOIN (SELECT x.unit_id, count(*) AS hh FROM mq_hc x GROUP BY x.unit_id) n ON n.unit_id = u.unit_id
 WHERE u.kind IN ('village', 'community');

CREATE TEMP TABLE mq_team ON COMMIT DROP AS
WITH ranked AS (
	SELECT v.*, row_number() OVER (ORDER BY v.cells DESC, v.hh DESC, v.code) AS rk FROM mq_vu v
)
SELECT r.unit_id, r.district_id, r.path, r.code, r.name, r.rural, k.k,
       CASE WHEN r.rk <= 76 THEN 2 ELSE 1 END AS teams
  FROM ranked r CROSS JOIN LATERAL generate_series(1, CASE WHEN r.rk <= 76 THEN 2 ELSE 1 END) AS k(k);

INSERT INTO minqing.service_team (district_id, unit_id, path, name, created_at, updated_at)
SELECT t.district_id, t.unit_id, t.path, t.name || CASE t.k WHEN 1 THEN '第一服务队' ELSE '第二服务队' END,
       now() - interval '400 days', now() - interval '400 days'
  FROM mq_team t ORDER BY t.code, t.k;

-- Cells in turn: cell n of a unit with two teams goes to team 1 + (n-1) % 2.
INSERT INTO minqing.service_team_cell (team_id, cell_id, district_id, path)
SELECT st.team_id, c.cell_id, c.district_id, st.path
  FROM minqing.grid_cell c
  JOIN mq_team t ON t.unit_id = c.unit_id AND t.k = 1 + (c.code::int - 1) % t.teams
  JOIN minqing.service_team st ON st.unit_id = t.unit_id
       AND st.name = t.name || CASE t.k WHEN 1 THEN '第一服务队' ELSE '第二服务队' END;

-- Members: the leader (team 1: the unit's officer, else its handler; team
-- 2: the handler, else the officer), two party members of the unit and a
-- villager representative.
INSERT INTO minqing.service_team_member (team_id, district_id, path, kind, staff_id, resident_id, is_leader, since)
SELECT st.team_id, st.district_id, st.path, 'staff', l.staff_id, NULL, true, current_date - 400
  FROM minqing.service_team st
  JOIN mq_team t ON t.unit_id = st.unit_id
       AND st.name = t.name || CASE t.k WHEN 1 THEN '第一服务队' ELSE '第二服务队' END
 CROSS JOIN LATERAL (SELECT s.staff_id FROM minqing.staff s
                      WHERE s.unit_id = st.unit_id AND s.active AND s.duty IN ('officer', 'handler')
                      ORDER BY (s.duty = 'officer') = (t.k = 1) DESC, s.login LIMIT 1) l;
INSERT INTO minqing.service_team_member (team_id, district_id, path, kind, staff_id, resident_id, is_leader, since)
SELECT st.team_id, st.district_id, st.path, p.kind, NULL, p.resident_id, false, current_date - 400
  FROM minqing.service_team st
  JOIN mq_team t ON t.unit_id = st.unit_id
       AND st.name = t.name || CASE t.k WHEN 1 THEN '第一服务队' ELSE '第二服务队' END
  JOIN (SELECT x.path, x.kind, x.resident_id,
               row_number() OVER (PARTITION BY x.path, x.kind ORDER BY x.resident_id) AS rn
          FROM (SELECT pm.path, 'party_member' AS kind, pm.resident_id FROM minqing.party_member pm
                UNION ALL
                SELECT vr.path, 'resident', vr.resident_id FROM minqing.villager_representative vr
                 WHERE NOT EXISTS (SELECT 1 FROM minqing.party_member pm WHERE pm.resident_id = vr.resident_id)) x) p
       ON p.path = st.path
      AND ((p.kind = 'party_member' AND p.rn IN (2 * t.k - 1, 2 * t.k)) OR (p.kind = 'resident' AND p.rn = t.k));

------------------------------------------------------------------------------
-- Visits
------------------------------------------------------------------------------
-- Each team's households in walking order: seven households of one cell,
-- seven of the next, and so on (rounds spread over all its cells),
-- position 0 .. hh-1.
CREATE TEMP TABLE mq_th ON COMMIT DROP AS
SELECT y.team_id, y.household_id, y.unit_id, y.cell_id, y.path, y.district_id,
       (row_number() OVER (PARTITION BY y.team_id ORDER BY y.rn / 7, y.code, y.rn) - 1)::int AS pos
  FROM (SELECT x.team_id, hc.household_id, hc.unit_id, hc.cell_id, hc.path, hc.district_id, hc.code,
               row_number() OVER (PARTITION BY hc.cell_id ORDER BY hc.household_no) - 1 AS rn
          FROM minqing.service_team_cell x
          JOIN mq_hc hc ON hc.cell_id = x.cell_id) y;
CREATE INDEX ON mq_th (team_id, pos);
ANALYZE mq_th;

-- Rounds per team: 6,157 x scale shared out by weighted households
-- (cumulative rounding, so the total is exact).
CREATE TEMP TABLE mq_tr ON COMMIT DROP AS
WITH w AS (
	SELECT st.team_id, st.unit_id, st.district_id, st.path, st.name, n.hh,
	       n.hh * CASE WHEN v.rural THEN 0.93 ELSE 0.55 END AS w
	  FROM minqing.service_team st
	  JOIN mq_vu v ON v.unit_id = st.unit_id
	  JOIN (SELECT team_id, count(*) AS hh FROM mq_th GROUP BY team_id) n ON n.team_id = st.team_id
), c AS (
	SELECT w.*, sum(w.w) OVER (ORDER BY w.path, w.name) AS cw, sum(w.w) OVER () AS tw FROM w
)
SELECT c.team_id, c.unit_id, c.district_id, c.path, c.hh,
       row_number() OVER (ORDER BY c.path, c.name) AS tno,
       (floor(c.cw / c.tw * round(6157 * current_setting('minqing_demo.scale')::numeric))
        - floor((c.cw - c.w) / c.tw * round(6157 * current_setting('minqing_demo.scale')::numeric)))::int AS rounds
  FROM c;

-- Visit j of a team: its size (3-7), its start (the sum of the sizes
-- before it), a day in the past year, day or night, the kind.
CREATE TEMP TABLE mq_vis ON COMMIT DROP AS
WITH r AS (
	SELECT t.team_id, t.unit_id, t.district_id, t.path, t.hh, j.j,
	       pg_temp.mq_h('visit', t.tno::bigint * 100000 + j.j) AS h
	  FROM mq_tr t CROSS JOIN LATERAL generate_series(1, t.rounds) AS j(j)
), s AS (
	SELECT r.*, 3 + pg_temp.mq_vb(r.h, 0, 8) % 5 AS size FROM r
)
SELECT s.team_id, s.unit_id, s.district_id, s.path, s.hh, s.j, s.h, least(s.size, s.hh)::int AS size,
       (sum(s.size) OVER (PARTITION BY s.team_id ORDER BY s.j) - s.size)::int AS start,
       current_date - 1 - pg_temp.mq_vb(s.h, 8, 12) % 364 AS day,
       pg_temp.mq_vb(s.h, 20, 8) < 85 AS night,
       CASE WHEN pg_temp.mq_vb(s.h, 28, 8) < 115 THEN 'regular'
            WHEN pg_temp.mq_vb(s.h, 28, 8) < 179 THEN 'irregular'
            WHEN pg_temp.mq_vb(s.h, 28, 8) < 230 THEN 'appointment'
            ELSE 'return' END AS kind
  FROM s;

-- The closed or reported cases of each unit's households, numbered.
-- (A visit's case is looked up by unit and number: k = a hash % the
-- unit's n, both equalities, so a hash join.)
CREATE TEMP TABLE mq_rc ON COMMIT DROP AS
SELECT h.unit_id, c.case_id, (row_number() OVER (PARTITION BY h.unit_id ORDER BY c.case_id) - 1)::int AS k,
       count(*) OVER (PARTITION BY h.unit_id) AS n, c.updated_at
  FROM minqing.cases c JOIN minqing.household h ON h.household_id = c.household_id
 WHERE c.status IN ('closed', 'reported');
CREATE TEMP TABLE mq_rcn ON COMMIT DROP AS
SELECT unit_id, max(n) AS n FROM mq_rc GROUP BY unit_id;
ANALYZE mq_rc;
ANALYZE mq_rcn;

CREATE TEMP TABLE mq_v2 ON COMMIT DROP AS
SELECT (SELECT coalesce(max(x.visit_id), 0) FROM minqing.visit x)
       + row_number() OVER (ORDER BY v.day, v.team_id, v.j) AS visit_id, v.*, l.staff_id, l.login, l.display_name,
       (v.day + CASE WHEN v.night THEN time '19:00' + make_interval(mins => pg_temp.mq_vb(v.h, 36, 8) % 150)
                     ELSE time '08:30' + make_interval(mins => pg_temp.mq_vb(v.h, 36, 10) % 510) END)
         AT TIME ZONE 'Asia/Shanghai' AS at,
       CASE WHEN v.kind = 'return' THEN rc.case_id END AS return_case_id
  FROM mq_vis v
  JOIN minqing.service_team_member m ON m.team_id = v.team_id AND m.is_leader
  JOIN minqing.staff l ON l.staff_id = m.staff_id
  LEFT JOIN mq_rcn rn ON rn.unit_id = v.unit_id
  LEFT JOIN mq_rc rc ON rc.unit_id = v.unit_id AND rc.k = pg_temp.mq_vb(v.h, 44, 16) % rn.n;
ANALYZE mq_v2;

INSERT INTO minqing.visit (visit_id, district_id, unit_id, path, team_id, visited_at, shift, kind, visitors, persons_met,
                           households, findings, return_case_id, recorded_by, created_at, updated_at)
OVERRIDING SYSTEM VALUE
SELECT v.visit_id, v.district_id, v.unit_id, v.path, v.team_id, v.at, CASE WHEN v.night THEN 'night' ELSE 'day' END,
       CASE WHEN v.kind = 'return' AND v.return_case_id IS NULL THEN 'regular' ELSE v.kind END,
       v.display_name || '等' || (2 + pg_temp.mq_vb(v.h, 60, 2)) || '人',
       v.size + pg_temp.mq_vb(v.h, 24, 4) % (v.size + 1), v.size,
       pg_temp.mq_pick('{户情稳定，无新增诉求,反映村道路灯损坏，已记录,老人独居，提醒子女常回家看看,'
                       '询问医保缴费政策，已当场解答,反映邻里宅基地纠纷，建议调解,家中困难，了解低保申请条件,'
                       '宣传防诈骗知识，群众反响良好,反映垃圾清运不及时,对上次反映问题的处理结果表示满意,'
                       '询问子女入学政策，已解释}'::text[], v.h >> 40),
       CASE WHEN v.kind = 'return' THEN v.return_case_id END, v.login, v.at, v.at
  FROM mq_v2 v
 ORDER BY v.visit_id;
SELECT setval(pg_get_serial_sequence('minqing.visit', 'visit_id'), max(visit_id)) FROM minqing.visit;

-- The households of each visit: positions start .. start+size-1 of its team
-- (wrapping round).
CREATE TEMP TABLE mq_vh ON COMMIT DROP AS
SELECT w.visit_id, th.household_id, th.district_id, th.unit_id, th.cell_id, th.path, w.day, w.at
  FROM (SELECT v.visit_id, v.team_id, p.p % v.hh AS pos, v.day, v.at
          FROM mq_v2 v CROSS JOIN LATERAL generate_series(v.start, v.start + v.size - 1) AS p(p)) w
  JOIN mq_th th ON th.team_id = w.team_id AND th.pos = w.pos;
INSERT INTO minqing.visit_household (visit_id, household_id, district_id, unit_id, cell_id, path, visited_on,
                                     created_at, updated_at)
SELECT x.visit_id, x.household_id, x.district_id, x.unit_id, x.cell_id, x.path, x.day, x.at, x.at
  FROM mq_vh x ORDER BY x.visit_id, x.household_id;

-- Cases that came from a party member's visit: the household's latest visit
-- on or before the case's day.
UPDATE minqing.visit_household vh SET case_id = l.case_id, case_no = l.case_no
  FROM (SELECT DISTINCT ON (c.case_id) c.case_id, c.case_no, x.visit_id, x.household_id
          FROM minqing.cases c
          JOIN minqing.visit_household x ON x.household_id = c.household_id
               AND x.visited_on <= (c.created_at AT TIME ZONE 'Asia/Shanghai')::date
         WHERE c.channel = 'party_visit'
         ORDER BY c.case_id, x.visited_on DESC, x.visit_id DESC) l
 WHERE vh.visit_id = l.visit_id AND vh.household_id = l.household_id AND vh.case_id IS NULL;

-- (Its insert trigger, which counts the cells' households, keeps a
-- transition table and does not fire here: dropped for the insert, see
-- pg_temp.mq_drop_triggers; grid_cell.households is counted above.)
SELECT pg_temp.mq_drop_triggers('{household_cell}', '{}');
INSERT INTO minqing.household_cell (household_id, cell_id, unit_id, district_id, path, since, last_visited_on)
SELECT hc.household_id, hc.cell_id, hc.unit_id, hc.district_id, hc.path, current_date - 400, l.last
  FROM mq_hc hc
  LEFT JOIN (SELECT x.household_id, max(x.day) AS last FROM mq_vh x GROUP BY x.household_id) l
       ON l.household_id = hc.household_id
 ORDER BY hc.household_id;

SELECT pg_temp.mq_restore_triggers();
-- The jurisdiction overview's counts (people_count), which the dropped
-- triggers did not keep here and in 30_people.sql: households, residents,
-- party members and links, and the households in a cell. Counted once,
-- after the last of them is loaded.
SELECT minqing.people_count_rebuild();

-- (No ANALYZE here: 99_cleanup.sql analyses what the scripts did not.)
SET LOCAL session_replication_role = origin;

INSERT INTO minqing.audit_log (district_id, table_name, row_id, op, path, before, after)
SELECT 1, 'demo-data',
       'visits scale=' || current_setting('minqing_demo.scale') || ' seed=' || current_setting('minqing_demo.seed'),
       'IMPORT', u.path, NULL,
       jsonb_build_object(
         'cells', (SELECT count(*) FROM minqing.grid_cell),
         'teams', (SELECT count(*) FROM minqing.service_team),
         'visits', (SELECT count(*) FROM minqing.visit),
         'household_visits', (SELECT count(*) FROM minqing.visit_household))
  FROM minqing.org_unit u WHERE u.code = 'LW';

DROP FUNCTION pg_temp.mq_vb(bigint, integer, integer);
