-- Demo district, part 2: staff (through minqing.user_add, so the login roles
-- and their group memberships are real) and the stations.
--
-- Fixed demo accounts: demo_admin, demo_supervisor (district), demo_town
-- (handler of T01), demo_town_admin and demo_town_supervisor (of T01),
-- demo_village (officer of T01V01), demo_village2 (officer of the first
-- village of T02), demo_dept (handler of D01), demo_kiosk.
-- demo_village and demo_village2 are two of the 100 information officers.

SET LOCAL session_replication_role = origin;

-- Everybody who gets an account, in the order the accounts are made (which
-- fixes staff_id).
CREATE TEMP TABLE mq_staff_plan ON COMMIT DROP AS
WITH acc AS (
	-- district: administrators and supervisors
	SELECT 1 AS grp, n AS i, CASE n WHEN 1 THEN 'demo_admin' ELSE 'admin_' || lpad(n::text, 2, '0') END AS login,
	       'LW' AS unit_code, 'admin' AS duty,
	       (ARRAY['区民情e站系统管理员', '区大数据中心工程师'])[n] AS position
	  FROM generate_series(1, 2) AS n
	UNION ALL
	SELECT 2, n, CASE n WHEN 1 THEN 'demo_supervisor' ELSE 'supervisor_' || lpad(n::text, 2, '0') END,
	       'LW', 'supervisor', (ARRAY['区委督查室督查员', '区纪委区监委督查员', '区民情e站督查组组长'])[n]
	  FROM generate_series(1, 3) AS n
	UNION ALL
	-- a handler for every town, department and district agency
	SELECT 3, t.tidx, 'handler_' || lower(t.code), t.code, 'handler', '街道社会治理中心主任'
	  FROM mq_town t
	UNION ALL
	SELECT 3, 11, 'demo_town', 'T01', 'handler', '街道党工委委员'
	UNION ALL
	SELECT 4, d.didx, 'handler_' || lower(d.code), d.code, 'handler',
	       CASE WHEN d.code = 'D01' THEN '信访接待科科长' ELSE '办公室主任' END
	  FROM mq_dept d
	UNION ALL
	SELECT 4, 13, 'demo_dept', 'D01', 'handler', '办公室副主任'
	UNION ALL
	SELECT 5, u.unit_id, 'handler_' || lower(u.code), u.code, 'handler', '办公室主任'
	  FROM minqing.org_unit u WHERE u.kind = 'agency' AND u.level = 'district'
	UNION ALL
	-- a handler for every village: the party secretary
	SELECT 6, v.vidx, 'handler_' || lower(v.code), v.code, 'handler',
	       CASE WHEN v.kind = 'community' THEN '社区党委书记' ELSE '村党支部书记' END
	  FROM mq_v v
	UNION ALL
	-- 100 information officers, the first villages of each town first
	SELECT 7, o.n, CASE o.n WHEN 1 THEN 'demo_village' WHEN 2 THEN 'demo_village2'
	                        ELSE 'officer_' || lpad(o.n::text, 3, '0') END,
	       v.code, 'officer',
	       pg_temp.mq_pick(CASE WHEN v.kind = 'community'
	                            THEN ARRAY['社区居委会主任', '社区网格员', '社区信息员', '大学生村官', '街道驻村信息员']
	                            ELSE ARRAY['村委会主任', '村文书', '大学生村官', '街道驻村信息员', '村妇女主任'] END,
	                       pg_temp.mq_h('officer-pos', o.n))
	  FROM generate_series(1, 100) AS o(n)
	  JOIN (SELECT tidx, count(*) AS nv FROM mq_v GROUP BY tidx) c ON c.tidx = (o.n - 1) % 10 + 1
	  JOIN mq_v v ON v.tidx = c.tidx AND v.idx = ((o.n - 1) / 10) % c.nv + 1
	UNION ALL
	-- public kiosks: the district hall and every town's service centre
	SELECT 8, 0, 'demo_kiosk', 'LW', 'kiosk', '公示终端'
	UNION ALL
	SELECT 8, t.tidx, 'kiosk_' || lower(t.code), t.code, 'kiosk', '公示终端'
	  FROM mq_town t
	UNION ALL
	-- an administrator and a supervisor of one town (their jurisdiction is
	-- T01 and its villages only); last, so that nobody's staff_id moves
	SELECT 9, 1, 'demo_town_admin', 'T01', 'admin', '街道民情e站管理员'
	UNION ALL
	SELECT 9, 2, 'demo_town_supervisor', 'T01', 'supervisor', '街道纪工委督查员'
), ordered AS (
	SELECT row_number() OVER (ORDER BY grp, i) AS ord, acc.* FROM acc
), h AS (
	SELECT o.*, pg_temp.mq_h('staff', o.ord) AS h FROM ordered o
), person AS (
	-- most staff are men aged 25-58; college-graduate village officials are young
	SELECT h.*, pg_temp.mq_bits(h.h, 24, 7) < CASE WHEN h.duty = 'officer' THEN 70 ELSE 90 END AS male,
	       CASE WHEN h.position = '大学生村官' THEN 23 + pg_temp.mq_bits(h.h, 30, 3)
	            ELSE 25 + pg_temp.mq_bits(h.h, 30, 5) END AS age
	  FROM h
)
SELECT p.ord, p.login, p.unit_code, p.duty, p.position,
       pg_temp.mq_name(pg_temp.mq_surname(p.h >> 40), p.male, p.age < 40, p.h) AS display_name,
       pg_temp.mq_mobile(pg_temp.mq_h('staff-phone', p.ord)) AS phone
  FROM person p;

SELECT count(minqing.user_add(s.login::name, s.display_name, s.unit_code, s.duty::minqing.duty, NULL,
                              s.position, s.phone))
  FROM (SELECT * FROM mq_staff_plan ORDER BY ord) s;

------------------------------------------------------------------------------
-- Stations: the central station and the sub-stations (village, agency,
-- enterprise, other), each with the person responsible for its terminal.
------------------------------------------------------------------------------
WITH st AS (
	SELECT 0 AS grp, 0 AS i, 'central'::minqing.station_kind AS kind, 'LW' AS unit_code,
	       '龙湾区民情e站总站' AS name, 'demo_admin' AS responsible, '总站服务器' AS terminal
	UNION ALL
	SELECT 1, v.vidx, 'village', v.code, v.town_name || v.name || '分站', 'handler_' || lower(v.code),
	       '触摸屏一体机'
	  FROM mq_v v
	UNION ALL
	SELECT 2, t.tidx, 'agency', t.code, t.name || '分站', 'handler_' || lower(t.code), '政务外网PC'
	  FROM mq_town t
	UNION ALL
	SELECT 3, d.didx, 'agency', d.code, d.name || '分站', 'handler_' || lower(d.code), '政务外网PC'
	  FROM mq_dept d
	UNION ALL
	SELECT 4, u.unit_id, 'agency', u.code, u.name || '分站', 'handler_' || lower(u.code), '政务外网PC'
	  FROM minqing.org_unit u WHERE u.kind = 'agency' AND u.level = 'district'
	UNION ALL
	SELECT 5 + CASE x.kind WHEN 'agency' THEN 0 WHEN 'enterprise' THEN 1 ELSE 2 END, x.xidx,
	       x.kind::minqing.station_kind, x.code, x.name || '分站', 'handler_' || lower(x.town_code),
	       CASE x.kind WHEN 'enterprise' THEN '企业PC终端' WHEN 'agency' THEN '政务外网PC'
	                   ELSE '便民服务一体机' END
	  FROM mq_unit_extra x
), numbered AS (
	SELECT row_number() OVER (ORDER BY grp, i) - 1 AS n, st.* FROM st
)
INSERT INTO minqing.station (code, name, kind, unit_id, responsible_staff_id, responsible_name,
                             responsible_phone, terminal)
SELECT 'ST' || lpad(n.n::text, 3, '0'), n.name, n.kind, u.unit_id, s.staff_id, s.display_name, s.phone,
       n.terminal
  FROM numbered n
  JOIN minqing.org_unit u ON u.code = n.unit_code
  JOIN minqing.staff s ON s.login = n.responsible
 ORDER BY n.n;
