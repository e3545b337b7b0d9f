-- Demo district: dialogue meetings (民情恳谈会, docs/meetings.md). In about
-- five villages and communities of six (天兴社区, demo_village's, always):
-- one to three meetings over the past year with all five steps recorded —
-- the unit's cases of the three months before gathered (会前汇总) with
-- their submitters invited, a topic, the cadres' notes, one matter raised
-- (群众说事) linked to the unit's next case, a decision on every matter
-- (民主议事) whose case with a deadline (限期办事) is the linked demo case,
-- and the review (定期评事) with satisfaction counts once its date has
-- passed; the latest meeting of some units still waits for its review, due
-- within days (天兴社区's in three days). About one unit in four (天兴社区
-- too) has a meeting planned in the coming weeks with a topic gathered.
--
-- Cases are linked, not created: the demo's cases stay as 40_cases.sql made
-- them. Picked by the seed's hash (pg_temp.mq_h), set-based, loaded with
-- session_replication_role = replica (no triggers: rows valid by
-- construction, one IMPORT row in the audit trail for the lot).

SET LOCAL session_replication_role = replica;

-- Bits [lo, lo+n) of a hash (10_units.sql's mq_bits is dropped by then).
CREATE FUNCTION pg_temp.mq_mtb(h bigint, lo integer, n integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((h >> lo) & ((1::bigint << n) - 1))::integer;

CREATE TEMP TABLE mq_dmu ON COMMIT DROP AS
SELECT u.unit_id, u.district_id, u.path, u.code, u.name, x.h,
       coalesce((SELECT s.staff_id FROM minqing.staff s WHERE s.login = 'handler_' || lower(u.code)),
                (SELECT min(s.staff_id) FROM minqing.staff s WHERE s.unit_id = u.unit_id AND s.active)) AS host
  FROM minqing.org_unit u
 CROSS JOIN LATERAL (SELECT pg_temp.mq_h('meeting:' || u.code, 1) AS h) x
 WHERE u.kind IN ('village', 'community') AND u.active
   AND (u.code = 'T01V01' OR pg_temp.mq_mtb(x.h, 0, 8) < 218);
DELETE FROM mq_dmu WHERE host IS NULL;

-- The meetings: k = 1 the latest; days ago and the review 30 days later.
CREATE TEMP TABLE mq_dmm ON COMMIT DROP AS
SELECT u.*, k.k, d.day, d.day + 30 AS review_on,
       ((d.day + time '19:30') AT TIME ZONE 'Asia/Shanghai') AS starts_at,
       CASE WHEN d.day + 30 > current_date THEN 'held' ELSE 'reviewed' END AS status,
       15 + pg_temp.mq_mtb(u.h, 20 + k.k, 5) AS attendance
  FROM mq_dmu u
 CROSS JOIN generate_series(1, 1 + pg_temp.mq_mtb(u.h, 8, 8) % 3) AS k(k)
 CROSS JOIN LATERAL (
	SELECT CASE WHEN u.code = 'T01V01' AND k.k = 1 THEN current_date - 27
	            ELSE current_date - (12 + (k.k - 1) * 115 + pg_temp.mq_mtb(u.h, 10 + 7 * k.k, 6)) END AS day) d
UNION ALL
SELECT u.*, 0, d.day, NULL, ((d.day + time '19:00') AT TIME ZONE 'Asia/Shanghai'), 'planned', NULL
  FROM mq_dmu u
 CROSS JOIN LATERAL (SELECT current_date + 3 + pg_temp.mq_mtb(u.h, 32, 4) AS day) d
 WHERE u.code = 'T01V01' OR pg_temp.mq_mtb(u.h, 40, 2) = 0;

INSERT INTO minqing.meeting (district_id, unit_id, path, kind, form, title, starts_at, place, host_staff_id, status,
                             cadres_ask, attendance, held_at, review_on, review_reminded_at, review_note, satisfied,
                             basically_satisfied, not_satisfied, reviewed_at, created_by, created_at, updated_at)
SELECT m.district_id, m.unit_id, m.path,
       pg_temp.mq_pick('{dialogue,dialogue,dialogue,communication_day,party_forum}'::text[], m.h >> (3 * m.k + 1)),
       pg_temp.mq_pick('{consultation,consultation,consultation,questionnaire,forum}'::text[], m.h >> (3 * m.k + 5)),
       pg_temp.mq_pick('{村庄环境整治,道路和路灯建设,居家养老服务,停车难问题,农田水利设施,垃圾分类推进,'
                       '老旧小区改造,邻里纠纷调解,集体经济发展,困难群众帮扶}'::text[], m.h >> (3 * m.k + 9)) || '恳谈',
       m.starts_at,
       pg_temp.mq_pick('{村委会议室,文化礼堂,党群服务中心,老年活动中心}'::text[], m.h >> (3 * m.k + 13)),
       m.host, m.status,
       CASE WHEN m.status <> 'planned'
            THEN pg_temp.mq_pick('{干部询问群众对村庄环境、道路和路灯的意见,干部了解老人照料和困难家庭情况,'
                                 '干部询问停车、噪音和邻里关系方面的问题,干部征求对集体经济项目和村务公开的意见}'::text[],
                                 m.h >> (3 * m.k + 17)) || '。' END,
       m.attendance,
       CASE WHEN m.status <> 'planned' THEN m.starts_at + interval '2 hours' END,
       m.review_on,
       CASE WHEN m.status = 'reviewed' THEN (m.review_on + time '08:30') AT TIME ZONE 'Asia/Shanghai' END,
       CASE WHEN m.status = 'reviewed'
            THEN pg_temp.mq_pick('{各事项均按期办理，群众评议满意,大部分事项已办结，个别事项正在推进,'
                                 '事项已办结，群众对办理结果总体满意}'::text[], m.h >> (3 * m.k + 21)) || '。' END,
       CASE WHEN m.status = 'reviewed' THEN m.attendance * 7 / 10 END,
       CASE WHEN m.status = 'reviewed' THEN m.attendance - m.attendance * 7 / 10 - m.attendance / 10 END,
       CASE WHEN m.status = 'reviewed' THEN m.attendance / 10 END,
       CASE WHEN m.status = 'reviewed' THEN (m.review_on + time '10:00') AT TIME ZONE 'Asia/Shanghai' END,
       'handler_' || lower(m.code), m.starts_at - interval '10 days',
       CASE WHEN m.status = 'reviewed' THEN (m.review_on + time '10:00') AT TIME ZONE 'Asia/Shanghai'
            ELSE m.starts_at END
  FROM mq_dmm m
 ORDER BY m.starts_at, m.unit_id;

CREATE TEMP TABLE mq_dmx ON COMMIT DROP AS
SELECT g.meeting_id, g.district_id, g.path, g.unit_id, g.starts_at, g.status, pg_temp.mq_h('meeting-matter', g.meeting_id) AS h
  FROM minqing.meeting g;

CREATE TEMP TABLE mq_dmc ON COMMIT DROP AS
SELECT c.case_id, c.case_no, c.title, c.origin_unit_id, c.created_at, c.anonymous, c.submitter_name,
       c.submitter_phone, c.resident_id, c.household_id
  FROM minqing.cases c;
CREATE INDEX ON mq_dmc (origin_unit_id, created_at);

-- The matters: o orders them (gathered cases, topic, raised) in each meeting.
CREATE TEMP TABLE mq_dmt ON COMMIT DROP AS
SELECT m.meeting_id, m.district_id, m.path, m.status, 1 AS o, 'case' AS source, left(c.title, 1000) AS content,
       CASE WHEN c.anonymous THEN NULL ELSE left(c.submitter_name, 50) END AS raised_by, c.household_id,
       c.case_id, c.case_no, c.case_id AS due_case_id, c.case_no AS due_case_no, m.h, c.created_at
  FROM mq_dmx m
 CROSS JOIN LATERAL (SELECT * FROM mq_dmc c
                      WHERE c.origin_unit_id = m.unit_id AND c.created_at < m.starts_at
                        AND c.created_at >= m.starts_at - interval '90 days'
                      ORDER BY c.created_at DESC LIMIT 2) c
 WHERE m.status <> 'planned'
UNION ALL
SELECT m.meeting_id, m.district_id, m.path, m.status, 2, 'topic',
       pg_temp.mq_pick('{村道两侧绿化和保洁,公共停车位规划,文化礼堂使用安排,河道保洁和防汛,老年食堂运营,'
                       '农贸市场周边秩序,村规民约修订,低收入农户帮扶}'::text[], m.h),
       NULL, NULL, NULL, NULL, d.case_id, d.case_no, m.h, NULL
  FROM mq_dmx m
  LEFT JOIN LATERAL (SELECT * FROM mq_dmc c
                      WHERE m.status <> 'planned' AND c.origin_unit_id = m.unit_id AND c.created_at > m.starts_at
                        AND c.created_at < m.starts_at + interval '60 days'
                      ORDER BY c.created_at OFFSET 1 LIMIT 1) d ON true
UNION ALL
SELECT m.meeting_id, m.district_id, m.path, m.status, 3, 'raised',
       coalesce(r.title, pg_temp.mq_pick('{楼道灯不亮，晚上出行不便,希望增设老年人休息座椅,路口缺少减速带,'
                                           '小区垃圾清运不及时,希望开设周末兴趣班}'::text[], m.h >> 8)),
       pg_temp.mq_surname(m.h >> 12) || pg_temp.mq_pick('{大伯,阿姨,师傅,大姐,老伯}'::text[], m.h >> 20),
       r.household_id, r.case_id, r.case_no, r.case_id, r.case_no, m.h, NULL
  FROM mq_dmx m
  LEFT JOIN LATERAL (SELECT * FROM mq_dmc c
                      WHERE c.origin_unit_id = m.unit_id AND c.created_at > m.starts_at
                        AND c.created_at < m.starts_at + interval '60 days'
                      ORDER BY c.created_at LIMIT 1) r ON true
 WHERE m.status <> 'planned';

INSERT INTO minqing.meeting_matter (meeting_id, district_id, path, source, content, raised_by, household_id, case_id,
                                    case_no, decision, decided_at, due_case_id, due_case_no, created_by, created_at,
                                    updated_at)
SELECT t.meeting_id, t.district_id, t.path, t.source, t.content, t.raised_by, t.household_id, t.case_id, t.case_no,
       d.decision, CASE WHEN d.decision IS NOT NULL THEN g.held_at END,
       CASE WHEN d.decision IS NOT NULL THEN t.due_case_id END, CASE WHEN d.decision IS NOT NULL THEN t.due_case_no END,
       g.created_by, coalesce(g.held_at, g.created_at), coalesce(g.held_at, g.created_at)
  FROM mq_dmt t
  JOIN minqing.meeting g ON g.meeting_id = t.meeting_id
 CROSS JOIN LATERAL (
	SELECT CASE WHEN t.status <> 'planned'
	            THEN pg_temp.mq_pick('{由村两委牵头，一个月内落实,联系镇相关部门协调解决,由联户党员跟进，两周内反馈,'
	                                 '列入本年度村级实事项目,召集相关户协商，限期办结}'::text[], (t.h >> (4 * t.o)) # coalesce(t.case_id, 0)) END
	       AS decision) d
 ORDER BY t.meeting_id, t.o, t.created_at;

-- The gathered cases' submitters, invited three days before.
INSERT INTO minqing.meeting_invitee (meeting_id, district_id, path, name, phone, resident_id, case_id, invited_at,
                                     created_by, created_at, updated_at)
SELECT DISTINCT ON (t.meeting_id, c.submitter_phone)
       t.meeting_id, t.district_id, t.path, left(c.submitter_name, 50), c.submitter_phone, c.resident_id, c.case_id,
       g.starts_at - interval '3 days', g.created_by, g.starts_at - interval '3 days', g.starts_at - interval '3 days'
  FROM mq_dmt t
  JOIN mq_dmc c ON c.case_id = t.case_id
  JOIN minqing.meeting g ON g.meeting_id = t.meeting_id
 WHERE t.source = 'case' AND NOT c.anonymous AND c.submitter_name IS NOT NULL AND c.submitter_phone IS NOT NULL
 ORDER BY t.meeting_id, c.submitter_phone, t.case_id;

SET LOCAL session_replication_role = origin;

INSERT INTO minqing.audit_log (district_id, table_name, row_id, op, path, before, after)
SELECT 1, 'demo-data',
       'meetings scale=' || current_setting('minqing_demo.scale') || ' seed=' || current_setting('minqing_demo.seed'),
       'IMPORT', u.path, NULL,
       jsonb_build_object(
         'meetings', (SELECT count(*) FROM minqing.meeting),
         'matters', (SELECT count(*) FROM minqing.meeting_matter),
         'invitees', (SELECT count(*) FROM minqing.meeting_invitee))
  FROM minqing.org_unit u WHERE u.code = 'LW';

DROP FUNCTION pg_temp.mq_mtb(bigint, integer, integer);
