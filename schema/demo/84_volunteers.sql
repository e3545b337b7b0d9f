-- Demo district, part 8: volunteers and activities (志愿者与主题活动), the
-- enterprise register (企业名录) and text messages received.
--
-- - The district's party volunteer team: 142 volunteers (district_team) at
--   the agencies and departments, and 158 more of theirs: the 300 people of
--   the three 百名 campaigns of last July (红七月), 100 each, every one of
--   the 142 among them; about four party members volunteering in every
--   village and community (more at larger scales).
-- - The enterprise register: the 60 enterprises with a station (linked to
--   their unit and station) and 90 more (at least 150 whatever the scale).
-- - Activities across the year, a busier July: the three campaigns with
--   their reach (百名机关党支部书记进百村: 100 villages; 百名专家进百企: 100
--   enterprises; 百名科长进千户: 1,000 households), a district activity each
--   month (pairing help, donations) and four more in July, and in every
--   village three through the year, two in July, one going on and one to
--   come; sign-ups (some answered by SMS), attendance with hours for those
--   past, results (households helped, money and goods, problems solved) and
--   for the villages' July activities a case they found.
-- - A few messages received waiting in the triage list of the district.
--
-- Everything is picked by the seed's hash (pg_temp.mq_h, 10_units.sql), so
-- the same seed gives the same rows. Loaded with session_replication_role =
-- replica (no triggers: rows valid by construction), set-based.

SET LOCAL session_replication_role = replica;

CREATE FUNCTION pg_temp.mq_vb(h bigint, lo integer, n integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((h >> lo) & ((1::bigint << n) - 1))::integer;

-- Last July (the campaigns' month): this year's once July is past.
CREATE TEMP TABLE mq_vday ON COMMIT DROP AS
SELECT make_date(extract(year FROM current_date)::integer
                 - CASE WHEN extract(month FROM current_date) >= 8 THEN 0 ELSE 1 END, 7, 1) AS july,
       (SELECT unit_id FROM minqing.org_unit WHERE level = 'district' AND district_id = 1 ORDER BY unit_id LIMIT 1)
         AS lw,
       (SELECT path FROM minqing.org_unit WHERE level = 'district' AND district_id = 1 ORDER BY unit_id LIMIT 1)
         AS lw_path,
       greatest(current_setting('minqing_demo.scale')::numeric, 0.05) AS scale;

------------------------------------------------------------------------------
-- Volunteers
------------------------------------------------------------------------------
-- The 300 of the agencies and departments: the first 142 are the district
-- team. Names and mobiles from the hash.
CREATE TEMP TABLE mq_vol_agency ON COMMIT DROP AS
SELECT i, u.unit_id, u.path,
       pg_temp.mq_surname(pg_temp.mq_h('vol-sur', i))
       || pg_temp.mq_pick('{国,建,明,华,志,海,丽,芳,静,伟,强,军,敏,燕,斌,杰,晓,文,宏,春}'::text[], pg_temp.mq_h('vol-g1', i))
       || pg_temp.mq_pick('{平,峰,林,东,荣,英,红,霞,勇,涛,磊,鑫,鹏,琴,萍,刚,亮,超,洁,慧}'::text[], pg_temp.mq_h('vol-g2', i))
         AS name,
       pg_temp.mq_mobile(pg_temp.mq_h('vol-phone', i)) AS phone,
       i <= 142 AS team,
       CASE WHEN i <= 100 THEN '机关党支部书记' WHEN i <= 200 THEN pg_temp.mq_pick(
              '{法律咨询,医疗卫生,农业技术,企业管理,安全生产,财税金融,规划建设,环境保护}'::text[], pg_temp.mq_h('vol-skill', i))
            ELSE '科长' END AS skills
  FROM generate_series(1, 300) AS i
  JOIN LATERAL (SELECT x.unit_id, x.path FROM minqing.org_unit x
                 WHERE x.district_id = 1 AND x.kind IN ('agency', 'department')
                 ORDER BY pg_temp.mq_h('vol-unit', i * 1000 + x.unit_id), x.unit_id LIMIT 1) u ON true;

ALTER TABLE mq_vol_agency ADD COLUMN vid bigint;
UPDATE mq_vol_agency SET vid = nextval(pg_get_serial_sequence('minqing.volunteer', 'volunteer_id'));
INSERT INTO minqing.volunteer (volunteer_id, district_id, unit_id, path, kind, name, phone, district_team, skills)
OVERRIDING SYSTEM VALUE
SELECT a.vid, 1, a.unit_id, a.path, 'outside', a.name, a.phone, a.team, a.skills
  FROM mq_vol_agency a ORDER BY a.i;

-- Party members of every village volunteering (党员志愿者): about four, more
-- at larger scales, picked by the hash; those with a mobile (the residents
-- are looked up by key for the few picked, not scanned).
INSERT INTO minqing.volunteer (district_id, unit_id, path, kind, resident_id, name, phone, district_team, skills)
SELECT 1, u.unit_id, u.path, 'resident', r.resident_id, r.name, r.phone, false,
       pg_temp.mq_pick('{水电维修,理发,医疗护理,文艺宣传,法律咨询,助老助残,环境整治,家电维修,心理疏导,农技指导}'::text[],
                       pg_temp.mq_h('vol-rskill', r.resident_id))
  FROM (SELECT p.resident_id, p.path,
               row_number() OVER (PARTITION BY p.path ORDER BY pg_temp.mq_h('vol-res', p.resident_id), p.resident_id)
                 AS k
          FROM minqing.party_member p WHERE p.district_id = 1) x
  JOIN minqing.org_unit u ON u.path = x.path AND u.kind IN ('village', 'community')
 CROSS JOIN LATERAL (SELECT y.resident_id, y.name, y.phone FROM minqing.resident y
                      WHERE y.resident_id = x.resident_id AND y.active AND y.phone IS NOT NULL) r
 WHERE x.k <= 3 + (pg_temp.mq_h('vol-n', u.unit_id) & 1)::integer
              + ceil(2 * (SELECT scale FROM mq_vday))::integer - 1
 ORDER BY u.unit_id, x.k;

------------------------------------------------------------------------------
-- The enterprise register
------------------------------------------------------------------------------
INSERT INTO minqing.enterprise (district_id, unit_id, path, name, industry, contact_name, contact_phone,
                                org_unit_id, station_id)
SELECT 1, t.unit_id, t.path, e.name,
       CASE WHEN e.name ~ '阀门|泵业|机械|不锈钢' THEN '机械制造' WHEN e.name ~ '鞋业|合成革' THEN '鞋革'
            WHEN e.name ~ '服饰' THEN '服装' WHEN e.name ~ '眼镜' THEN '眼镜' WHEN e.name ~ '汽摩' THEN '汽摩配'
            WHEN e.name ~ '印刷|包装' THEN '印刷包装' WHEN e.name ~ '塑业' THEN '塑料制品' ELSE '电气科技' END,
       pg_temp.mq_surname(pg_temp.mq_h('ent-contact', e.unit_id))
       || pg_temp.mq_pick('{经理,主任,书记,总监}'::text[], pg_temp.mq_h('ent-title', e.unit_id)),
       pg_temp.mq_mobile(pg_temp.mq_h('ent-phone', e.unit_id)), e.unit_id, s.station_id
  FROM minqing.org_unit e
  JOIN minqing.org_unit t ON t.unit_id = e.parent_id
  LEFT JOIN LATERAL (SELECT min(x.station_id) AS station_id FROM minqing.station x WHERE x.unit_id = e.unit_id) s
    ON true
 WHERE e.kind = 'enterprise' AND e.district_id = 1;

-- Ninety more, without a station, spread over the towns.
INSERT INTO minqing.enterprise (district_id, unit_id, path, name, industry, contact_name, contact_phone)
SELECT 1, t.unit_id, t.path, c.name, c.industry, c.contact, c.phone
  FROM (SELECT DISTINCT ON (y.name) y.*
          FROM (SELECT i, pg_temp.mq_pick('{龙湾,温州,瓯江,永强,海城,状元,瑶溪,蒲州,沙城,天河}'::text[], pg_temp.mq_h('ent2-a', i))
                      || pg_temp.mq_pick('{宏,鑫,达,盛,华,泰,恒,隆,丰,昌,裕,兴,瑞,祥,和,安}'::text[], pg_temp.mq_h('ent2-b', i))
                      || pg_temp.mq_pick('{源,通,远,达,富,嘉,佳,美,信,诚,立,诺}'::text[], pg_temp.mq_h('ent2-c', i))
                      || ind.word || '有限公司' AS name,
                      ind.industry,
                      pg_temp.mq_surname(pg_temp.mq_h('ent2-contact', i)) || '经理' AS contact,
                      pg_temp.mq_mobile(pg_temp.mq_h('ent2-phone', i)) AS phone
                 FROM generate_series(1, 160) AS i
                CROSS JOIN LATERAL (SELECT (ARRAY['阀门','泵业','鞋业','服饰','眼镜','汽摩配件','印刷','塑业','五金','电器'])[k] AS word,
                                           (ARRAY['机械制造','机械制造','鞋革','服装','眼镜','汽摩配','印刷包装','塑料制品','五金','电气科技'])[k]
                                             AS industry
                                      FROM (SELECT 1 + (pg_temp.mq_h('ent2-ind', i) & 1023)::integer % 10 AS k) kk) ind) y
         WHERE NOT EXISTS (SELECT 1 FROM minqing.enterprise z WHERE z.name = y.name)
         ORDER BY y.name, y.i) c
  JOIN LATERAL (SELECT x.unit_id, x.path FROM minqing.org_unit x
                 WHERE x.district_id = 1 AND x.level = 'town'
                 ORDER BY pg_temp.mq_h('ent2-town', c.i * 100 + x.unit_id), x.unit_id LIMIT 1) t ON true
 ORDER BY pg_temp.mq_h('ent2-order', c.i), c.i
 LIMIT 90;

------------------------------------------------------------------------------
-- Activities
------------------------------------------------------------------------------
CREATE TEMP TABLE mq_act (
	k serial, unit_id integer, path ext.ltree, title text, theme text, kind text, starts_on date, ends_on date,
	tv integer DEFAULT 0, te integer DEFAULT 0, th integer DEFAULT 0, campaign integer, village boolean,
	activity_id bigint) ON COMMIT DROP;

-- The three campaigns, all of July.
INSERT INTO mq_act (unit_id, path, title, theme, kind, starts_on, ends_on, tv, te, th, campaign, village)
SELECT d.lw, d.lw_path, c.title, '红七月', c.kind, d.july, d.july + 30, c.tv, c.te, c.th, c.n, false
  FROM mq_vday d,
       (VALUES (1, '百名机关党支部书记进百村', 'villages', 100, 0, 0),
               (2, '百名专家进百企', 'enterprises', 0, 100, 0),
               (3, '百名科长进千户', 'households', 0, 0, 1000)) AS c(n, title, kind, tv, te, th);

-- A district activity each month of the past year, four more in July.
INSERT INTO mq_act (unit_id, path, title, theme, kind, starts_on, ends_on, village)
SELECT d.lw, d.lw_path, x.title, CASE WHEN x.day >= d.july AND x.day < d.july + 31 THEN '红七月' END, x.kind, x.day,
       x.day + (pg_temp.mq_h('act-len', x.m) & 1)::integer, false
  FROM mq_vday d
 CROSS JOIN LATERAL (
	SELECT m, current_date - 30 * m + (pg_temp.mq_h('act-day', m) & 15)::integer AS day,
	       CASE WHEN m % 2 = 0 THEN 'donation' ELSE 'pairing' END AS kind,
	       CASE WHEN m % 2 = 0 THEN pg_temp.mq_pick('{爱心捐赠进社区,助学捐赠,困难群众慰问捐赠,冬季送温暖捐赠}'::text[], pg_temp.mq_h('act-t', m))
	            ELSE pg_temp.mq_pick('{机关结对帮扶困难户,党员结对帮扶,结对共建送服务}'::text[], pg_temp.mq_h('act-t', m)) END AS title
	  FROM generate_series(1, 12) AS m
	UNION ALL
	SELECT 100 + m, d.july + 2 + 7 * m, CASE WHEN m % 2 = 0 THEN 'donation' ELSE 'pairing' END,
	       (ARRAY['红七月志愿服务启动仪式', '红七月爱心捐赠', '红七月结对帮扶', '红七月志愿服务总结'])[m]
	  FROM generate_series(1, 4) AS m) x
 WHERE x.day <= current_date;

-- Every village and community: three through the year, two in July, one
-- going on (started yesterday, a week long) and one to come.
INSERT INTO mq_act (unit_id, path, title, theme, kind, starts_on, ends_on, village)
SELECT v.unit_id, v.path, v.name || pg_temp.mq_pick(CASE x.kind
	         WHEN 'households' THEN '{入户走访送服务,夜访民情,关爱空巢老人}'::text[]
	         WHEN 'donation' THEN '{爱心义卖,助学捐赠,慈善一日捐}'::text[]
	         WHEN 'pairing' THEN '{党员结对帮扶,邻里互助结对}'::text[]
	         WHEN 'enterprises' THEN '{进企业送政策,企业安全生产宣传}'::text[]
	         ELSE '{环境整治志愿服务,文明创建志愿服务,义诊义剪}'::text[] END,
	       pg_temp.mq_h('vact-title', v.unit_id * 10 + x.j)),
       CASE WHEN x.day >= d.july AND x.day < d.july + 31 THEN '红七月' END, x.kind, x.day, x.day + x.len, true
  FROM minqing.org_unit v
 CROSS JOIN mq_vday d
 CROSS JOIN LATERAL (
	SELECT j, CASE WHEN j <= 3 THEN current_date - 8 - ((pg_temp.mq_h('vact-day', v.unit_id * 10 + j) & 1048575) % 350)::integer
	               WHEN j <= 5 THEN d.july + (pg_temp.mq_h('vact-day', v.unit_id * 10 + j) & 31)::integer % 28
	               WHEN j = 6 THEN current_date - 1
	               ELSE current_date + 3 + (pg_temp.mq_h('vact-day', v.unit_id * 10 + j) & 15)::integer END AS day,
	       CASE WHEN j = 6 THEN 6 ELSE (pg_temp.mq_h('vact-len', v.unit_id * 10 + j) & 1)::integer END AS len,
	       (ARRAY['households', 'donation', 'pairing', 'villages', 'households', 'villages', 'enterprises'])
	         [1 + ((pg_temp.mq_h('vact-kind', v.unit_id * 10 + j) & 1048575) % 7)::integer] AS kind
	  FROM generate_series(1, 7) AS j) x
 WHERE v.district_id = 1 AND v.kind IN ('village', 'community');
-- (The last row of a village is its activity to come: ends_on = starts_on.)

UPDATE mq_act SET activity_id = nextval(pg_get_serial_sequence('minqing.activity', 'activity_id'));
INSERT INTO minqing.activity (activity_id, district_id, unit_id, path, title, theme, kind, starts_on, ends_on,
	                              target_villages, target_enterprises, target_households, households_helped,
	                              money_donated, goods_donated, problems_solved, result_note, created_by)
	OVERRIDING SYSTEM VALUE
	SELECT a.activity_id, 1, a.unit_id, a.path, a.title, a.theme, a.kind, a.starts_on, a.ends_on, a.tv, a.te, a.th,
	       CASE WHEN a.ends_on < current_date THEN
	            CASE a.campaign WHEN 3 THEN 1000 WHEN 1 THEN 310 WHEN 2 THEN 0
	                 ELSE 3 + ((pg_temp.mq_h('act-hh', a.k) & 1048575) % 25)::integer END ELSE 0 END,
	       CASE WHEN a.ends_on < current_date AND a.kind = 'donation'
	            THEN 500 * (1 + ((pg_temp.mq_h('act-money', a.k) & 1048575) % 40)) ELSE 0 END,
	       CASE WHEN a.ends_on < current_date AND a.kind = 'donation'
	            THEN pg_temp.mq_pick('{大米50袋、食用油50桶,棉被30床,书包文具40套,慰问品一批}'::text[], pg_temp.mq_h('act-goods', a.k)) END,
	       CASE WHEN a.ends_on < current_date THEN
	            CASE a.campaign WHEN 1 THEN 136 WHEN 2 THEN 87 WHEN 3 THEN 214
	                 ELSE ((pg_temp.mq_h('act-solved', a.k) & 1048575) % 5)::integer END ELSE 0 END,
	       CASE WHEN a.campaign IS NOT NULL THEN '活动已完成，覆盖目标全部走到。' END,
	       CASE WHEN a.village THEN 'handler_' || lower(u.code) ELSE 'demo_admin' END
	  FROM mq_act a JOIN minqing.org_unit u ON u.unit_id = a.unit_id
	 ORDER BY a.k;

-- The campaigns' reach: 100 villages, 100 enterprises, 1,000 households
-- (天兴社区 among the villages and its households among the thousand).
INSERT INTO minqing.activity_target (activity_id, district_id, path, village_unit_id, reached_on)
SELECT a.activity_id, 1, v.path, v.unit_id, a.starts_on + ((pg_temp.mq_h('tgt-v', v.unit_id) & 1048575) % 28)::integer
  FROM mq_act a
  JOIN (SELECT x.unit_id, x.path FROM minqing.org_unit x
         WHERE x.district_id = 1 AND x.kind IN ('village', 'community')
         ORDER BY x.code <> 'T01V01', pg_temp.mq_h('tgt-village', x.unit_id), x.unit_id LIMIT 100) v ON true
 WHERE a.campaign = 1;
INSERT INTO minqing.activity_target (activity_id, district_id, path, enterprise_id, reached_on)
SELECT a.activity_id, 1, e.path, e.enterprise_id, a.starts_on + ((pg_temp.mq_h('tgt-e', e.enterprise_id) & 1048575) % 28)::integer
  FROM mq_act a
  JOIN (SELECT x.enterprise_id, x.path FROM minqing.enterprise x
         ORDER BY pg_temp.mq_h('tgt-ent', x.enterprise_id), x.enterprise_id LIMIT 100) e ON true
 WHERE a.campaign = 2;
INSERT INTO minqing.activity_target (activity_id, district_id, path, household_id, reached_on)
SELECT a.activity_id, 1, h.path, h.household_id, a.starts_on + ((pg_temp.mq_h('tgt-h', h.household_id) & 1048575) % 28)::integer
  FROM mq_act a
  JOIN (SELECT x.household_id, x.path
          FROM minqing.household x,
               (SELECT y.unit_id FROM minqing.org_unit y WHERE y.code = 'T01V01') t
         WHERE x.active AND x.district_id = 1
           AND (x.household_id % 16 = (current_setting('minqing_demo.seed')::bigint & 15) OR x.unit_id = t.unit_id)
         ORDER BY x.unit_id <> t.unit_id OR (pg_temp.mq_h('tgt-hh1', x.household_id) & 7) <> 0,
                  pg_temp.mq_h('tgt-hh', x.household_id), x.household_id LIMIT 1000) h ON true
 WHERE a.campaign = 3;

------------------------------------------------------------------------------
-- Sign-ups, attendance and hours
------------------------------------------------------------------------------
-- The campaigns: 100 each, every one attended.
INSERT INTO minqing.activity_signup (activity_id, volunteer_id, district_id, path, activity_path, status, via,
                                     invited_at, answered_at, attended_on, hours, signed_by, created_at)
SELECT a.activity_id, v.volunteer_id, 1, v.path, a.path, 'signed',
       CASE WHEN (pg_temp.mq_h('su-via', v.volunteer_id) & 3) = 0 THEN 'console' ELSE 'sms' END,
       a.starts_on - 10, a.starts_on - 9, a.starts_on + ((pg_temp.mq_h('su-day', v.volunteer_id) & 1048575) % 28)::integer,
       2 + ((pg_temp.mq_h('su-hours', v.volunteer_id) & 1048575) % 13) * 0.5, 'demo_admin', a.starts_on - 10
  FROM mq_act a
  JOIN mq_vol_agency g ON (g.i - 1) / 100 + 1 = a.campaign
  JOIN minqing.volunteer v ON v.volunteer_id = g.vid
 WHERE a.campaign IS NOT NULL;

-- The other district activities: 10 to 30 of the team, most attended.
INSERT INTO minqing.activity_signup (activity_id, volunteer_id, district_id, path, activity_path, status, via,
                                     attended_on, hours, signed_by, created_at)
SELECT x.activity_id, x.volunteer_id, 1, x.vpath, x.path, 'signed', 'console',
       CASE WHEN x.done THEN x.starts_on END, CASE WHEN x.done THEN 1 + (x.h % 7) * 0.5 END, 'demo_admin',
       x.starts_on - 7
  FROM (SELECT a.activity_id, a.path, a.starts_on, v.volunteer_id, v.path AS vpath,
               pg_temp.mq_h('su2', a.k * 1000 + v.volunteer_id) & 1048575 AS h,
               a.ends_on < current_date AND ((pg_temp.mq_h('su2-att', a.k * 1000 + v.volunteer_id) & 1048575) % 10) < 9 AS done,
               row_number() OVER (PARTITION BY a.activity_id ORDER BY pg_temp.mq_h('su2', a.k * 1000 + v.volunteer_id))
                 AS r,
               10 + ((pg_temp.mq_h('su2-n', a.k) & 1048575) % 21)::integer AS n
          FROM mq_act a
          JOIN minqing.volunteer v ON v.district_team
         WHERE a.campaign IS NULL AND NOT a.village) x
 WHERE x.r <= x.n;

-- Village activities: the village's volunteers, each about two in three;
-- attended with 1-4 hours when past; the one to come: invited by SMS,
-- some answered.
INSERT INTO minqing.activity_signup (activity_id, volunteer_id, district_id, path, activity_path, status, via,
                                     invited_at, answered_at, attended_on, hours, signed_by, created_at)
SELECT a.activity_id, v.volunteer_id, 1, v.path, a.path,
       CASE WHEN NOT x.future THEN 'signed' WHEN x.h % 3 = 0 THEN 'invited' WHEN x.h % 3 = 1 THEN 'signed'
            ELSE 'declined' END,
       CASE WHEN x.future OR x.h % 4 = 0 THEN 'sms' ELSE 'console' END,
       CASE WHEN x.future THEN now() - interval '1 day' END,
       CASE WHEN x.future AND x.h % 3 <> 0 THEN now() - interval '20 hours' END,
       CASE WHEN a.ends_on < current_date AND x.h % 8 <> 0 THEN a.starts_on END,
       CASE WHEN a.ends_on < current_date AND x.h % 8 <> 0 THEN 1 + (x.h % 7) * 0.5 END,
       'handler_' || lower(u.code), least(a.starts_on - 3, current_date)
  FROM mq_act a
  JOIN minqing.org_unit u ON u.unit_id = a.unit_id
  JOIN minqing.volunteer v ON v.unit_id = a.unit_id
 CROSS JOIN LATERAL (SELECT pg_temp.mq_h('su3', a.k * 100000 + v.volunteer_id) & 1048575 AS h,
                            a.starts_on > current_date AS future) x
 WHERE a.village AND (x.future OR x.h % 3 <> 0);

-- A case each village's July activities found (one the village received
-- after the activity began), kept with the activity.
-- (Set-based: the cases of the activities' units in one join, the first of
-- each activity by DISTINCT ON.)
INSERT INTO minqing.activity_case (activity_id, case_id, case_no, district_id, path, created_at, created_by)
SELECT DISTINCT ON (c.case_id) c.activity_id, c.case_id, c.case_no, 1, c.path, c.created_at, 'handler_' || lower(u.code)
  FROM (SELECT DISTINCT ON (a.activity_id) a.activity_id, a.unit_id, a.path, x.case_id, x.case_no, x.created_at
          FROM mq_act a
          JOIN minqing.cases x ON x.origin_unit_id = a.unit_id AND x.created_at >= a.starts_on
                              AND x.created_at < a.starts_on + 60
         WHERE a.village AND a.theme = '红七月'
         ORDER BY a.activity_id, x.created_at, x.case_id) c
  JOIN minqing.org_unit u ON u.unit_id = c.unit_id
 ORDER BY c.case_id, c.activity_id;

------------------------------------------------------------------------------
-- Messages received waiting in the district's triage list
------------------------------------------------------------------------------
INSERT INTO minqing.sms_inbound (gammu_id, district_id, path, phone, body, received_at, read_at, outcome, reason,
                                 handled_by, handled_at, handled_note)
SELECT 900000 + m.n, 1, d.lw_path, pg_temp.mq_mobile(pg_temp.mq_h('sms-phone', m.n)), m.body,
       now() - make_interval(hours => m.ago), now() - make_interval(hours => m.ago), m.outcome, m.reason,
       CASE WHEN m.outcome = 'handled' THEN 'demo_admin' END,
       CASE WHEN m.outcome = 'handled' THEN now() - make_interval(hours => m.ago - 1) END,
       CASE WHEN m.outcome = 'handled' THEN '已电话回复，不需立案。' END
  FROM mq_vday d,
       (VALUES (1, '1', 30, 'triage', '回复没有对应的活动邀请'),
               (2, '（空短信）', 20, 'triage', '空短信'),
               (3, '你好，请问社保卡在哪里补办？', 6, 'triage', '号码对应多户，请核实后转为案件'),
               (4, '2', 3, 'triage', '回复没有对应的活动邀请'),
               (5, '谢谢你们上次帮忙修路灯', 50, 'handled', NULL)) AS m(n, body, ago, outcome, reason);

DROP FUNCTION pg_temp.mq_vb(bigint, integer, integer);
