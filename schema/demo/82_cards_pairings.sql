-- Demo district: service cards (便民服务卡), pairings (结对共建) and resident
-- cadres (驻村干部).
--
-- Cards: 3,480 live cards at scale 1 (3,480 x scale, the seed's figure),
-- about one household in twelve, with 天兴社区 (T01V01, demo_village's unit)
-- favoured so that its officer sees many cards and still has households
-- without one; about one card in twenty was reported lost and reissued, its
-- predecessor void (kept, with the reason) and pointing to it. Numbers are
-- the unit's code and a sequence in the order of issue; the contacts are
-- what card_issue() prints by default (the linked party member, the unit's
-- officer, the station's phone).
--
-- Pairings: 110 (fewer when the scale leaves fewer villages), each agency or
-- department paired with two to four villages, communities or enterprises
-- (天兴社区 among them; a quarter of the villages left without one, so the
-- list of villages without a pairing shows rows), with four to ten
-- activities across the last year covering the five help items (五帮五促),
-- problems solved, some with a case of the partner. Resident cadres: most
-- villages, a staff member of the paired agency or a named person, with a
-- contact log; about one in five had no contact in the last 30 days.
--
-- Every choice is a hash of the seed (pg_temp.mq_h, 10_units.sql). Loaded
-- with session_replication_role = replica (no triggers: rows valid by
-- construction, one IMPORT row in the audit trail for the lot).

SET LOCAL session_replication_role = replica;

CREATE FUNCTION pg_temp.mq_cb(h bigint, lo integer, n integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((h >> lo) & ((1::bigint << n) - 1))::integer;

-- A person's name from a hash (surname and a given name).
CREATE FUNCTION pg_temp.mq_cname(h bigint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN pg_temp.mq_surname(h) || pg_temp.mq_pick('{建国,海燕,志强,丽华,晓东,春梅,伟,静,明辉,秀英,国平,红霞,'
                                                 '永胜,雪芳,立新,文杰,慧敏,家豪}'::text[], h >> 20);

------------------------------------------------------------------------------
-- Service cards
------------------------------------------------------------------------------
-- The households that hold a live card: the first 3,480 x scale by a hash,
-- 天兴社区's counted five times as likely; one in twenty reissued.
CREATE TEMP TABLE mq_card_hh ON COMMIT DROP AS
SELECT h.household_id, h.district_id, h.unit_id, h.path, x.h,
       current_date - 30 - pg_temp.mq_cb(x.h, 8, 10) % 700 AS first_on,
       pg_temp.mq_cb(x.h, 20, 8) < 13 AS reissued
  FROM minqing.household h
 CROSS JOIN LATERAL (SELECT pg_temp.mq_h('card', h.household_id) AS h) x
 WHERE h.active
 ORDER BY (x.h & 1048575)
          / CASE WHEN h.unit_id = (SELECT u.unit_id FROM minqing.org_unit u WHERE u.code = 'T01V01') THEN 5 ELSE 1 END,
          h.household_id
 LIMIT round(3480 * current_setting('minqing_demo.scale')::numeric);

-- Each card: the first one, and for a reissued household the new one (the
-- first then void on the day of the reissue).
CREATE TEMP TABLE mq_card ON COMMIT DROP AS
SELECT c.*, row_number() OVER (PARTITION BY c.unit_id ORDER BY c.issued_on, c.household_id, c.k)::integer AS seq
  FROM (SELECT m.household_id, m.district_id, m.unit_id, m.path, u.code, m.h, k.k,
               CASE WHEN k.k = 1 THEN m.first_on ELSE m.first_on + 1 + pg_temp.mq_cb(m.h, 30, 6) % 29 END AS issued_on,
               CASE WHEN m.reissued AND k.k = 1 THEN m.first_on + 1 + pg_temp.mq_cb(m.h, 30, 6) % 29 END AS void_on
          FROM mq_card_hh m
          JOIN minqing.org_unit u ON u.unit_id = m.unit_id
         CROSS JOIN generate_series(1, CASE WHEN m.reissued THEN 2 ELSE 1 END) AS k(k)) c;

INSERT INTO minqing.service_card (district_id, household_id, unit_id, path, seq, card_no, member_name, member_phone,
                                  officer_name, officer_phone, station_phone, issued_on, issued_by, voided_at,
                                  voided_by, void_reason, created_at, updated_at)
SELECT c.district_id, c.household_id, c.unit_id, c.path, c.seq, c.code || '-' || lpad(c.seq::text, 4, '0'),
       pm.name, pm.phone, o.display_name, o.phone, coalesce(st.phone, u.phone), c.issued_on,
       coalesce(o.login, 'handler_' || lower(c.code)),
       c.void_on + time '10:30', CASE WHEN c.void_on IS NOT NULL THEN coalesce(o.login, 'handler_' || lower(c.code)) END,
       CASE WHEN c.void_on IS NOT NULL
            THEN pg_temp.mq_pick('{户主报告卡片遗失,卡片损坏无法辨认,联系人变更，重新制卡,搬家时遗失}'::text[], c.h >> 40) END,
       c.issued_on + time '09:30', coalesce(c.void_on, c.issued_on) + time '10:30'
  FROM mq_card c
  JOIN minqing.org_unit u ON u.unit_id = c.unit_id
  LEFT JOIN LATERAL (SELECT r.name, r.phone FROM minqing.household_link l
                       JOIN minqing.resident r ON r.resident_id = l.contact_resident_id
                      WHERE l.household_id = c.household_id AND l.contact_kind = 'party_member') pm ON true
  LEFT JOIN (SELECT DISTINCT ON (s.unit_id) s.unit_id, s.login, s.display_name, s.phone FROM minqing.staff s
              WHERE s.active AND s.duty IN ('officer', 'handler') ORDER BY s.unit_id, s.duty, s.staff_id) o
         ON o.unit_id = c.unit_id
  LEFT JOIN (SELECT DISTINCT ON (x.unit_id) x.unit_id, x.responsible_phone AS phone FROM minqing.station x
              WHERE x.active AND x.responsible_phone IS NOT NULL ORDER BY x.unit_id, x.station_id) st
         ON st.unit_id = c.unit_id
 ORDER BY c.issued_on, c.household_id, c.k;

UPDATE minqing.service_card v SET replaced_by = n.card_id
  FROM minqing.service_card n
 WHERE v.voided_at IS NOT NULL AND n.household_id = v.household_id AND n.voided_at IS NULL;

------------------------------------------------------------------------------
-- Pairings: partners by hash (天兴社区 first), agencies in turn
------------------------------------------------------------------------------
CREATE TEMP TABLE mq_agency ON COMMIT DROP AS
SELECT u.unit_id, u.path, u.district_id, row_number() OVER (ORDER BY u.code) - 1 AS i,
       count(*) OVER () AS n
  FROM minqing.org_unit u WHERE u.kind IN ('agency', 'department') AND u.active;

CREATE TEMP TABLE mq_pair ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY p.unit_id) - 1 AS i, p.*
  FROM (SELECT q.*, row_number() OVER (ORDER BY NOT q.village, q.k) AS r
          FROM (SELECT u.unit_id, u.path, u.district_id, x.h, u.kind <> 'enterprise' AS village,
                       row_number() OVER (PARTITION BY u.kind = 'enterprise'
                                          ORDER BY u.code = 'T01V01' DESC, x.h) AS k
                  FROM minqing.org_unit u
                 CROSS JOIN LATERAL (SELECT pg_temp.mq_h('pairing', u.unit_id) AS h) x
                 WHERE u.active AND u.kind IN ('village', 'community', 'enterprise')) q
         -- at most 88 villages and communities (three in four at scale 1), enterprises for the rest
         WHERE NOT q.village OR q.k <= 88) p
 WHERE p.r <= 110;

INSERT INTO minqing.pairing (district_id, agency_unit_id, agency_path, unit_id, path, since, until, agency_contact,
                             agency_phone, unit_contact, unit_phone, note, created_by, created_at, updated_at)
SELECT p.district_id, a.unit_id, a.path, p.unit_id, p.path,
       current_date - 380 - pg_temp.mq_cb(p.h, 10, 9), NULL,
       pg_temp.mq_cname(p.h >> 3), pg_temp.mq_mobile(pg_temp.mq_h('pairing-a', p.unit_id)),
       pg_temp.mq_cname(p.h >> 9), pg_temp.mq_mobile(pg_temp.mq_h('pairing-u', p.unit_id)),
       pg_temp.mq_pick('{机关党支部与基层党组织结对共建，每季度至少开展一次共建活动。,结对帮扶，重点帮助解决群众反映的突出问题。,'
                       '共建协议已签订，双方联系人负责日常对接。}'::text[], p.h >> 30),
       'demo_admin', now() - interval '380 days', now() - interval '380 days'
  FROM mq_pair p
  JOIN mq_agency a ON a.i = p.i % a.n;

-- Four to ten activities a pairing over the last year, the items in turn
-- from a start of the hash (every item comes up), a case of the partner
-- for about one in eight.
INSERT INTO minqing.pairing_activity (pairing_id, district_id, agency_path, path, item, done_on, content,
                                      problems_solved, case_id, by_agency, recorded_by, created_at, updated_at)
SELECT p.pairing_id, p.district_id, p.agency_path, p.path, i.code, a.done_on,
       CASE i.code
         WHEN 'ideas' THEN pg_temp.mq_pick('{召开共建座谈会，共同研究村集体经济发展思路,邀请专家为村两委讲解乡村振兴政策,'
                                            '帮助制定年度发展规划}'::text[], a.h >> 8)
         WHEN 'team' THEN pg_temp.mq_pick('{联合开展主题党日活动,与村两委班子谈心谈话，促进班子团结,'
                                           '组织党员到先进村参观学习}'::text[], a.h >> 8)
         WHEN 'rules' THEN pg_temp.mq_pick('{帮助完善村务公开制度,指导规范“三会一课”记录,协助修订村规民约}'::text[], a.h >> 8)
         WHEN 'projects' THEN pg_temp.mq_pick('{协调落实道路硬化项目资金,对接农产品销售渠道，帮助增收,'
                                               '引进来料加工项目，带动群众就业}'::text[], a.h >> 8)
         ELSE pg_temp.mq_pick('{走访慰问困难党员和困难群众,协调解决低保户就医难题,为独居老人安装应急呼叫设备}'::text[],
                              a.h >> 8) END,
       pg_temp.mq_cb(a.h, 20, 2), CASE WHEN pg_temp.mq_cb(a.h, 24, 3) = 0 THEN c.case_id END,
       pg_temp.mq_cb(a.h, 28, 1) = 0, 'demo_admin', a.done_on + time '16:00', a.done_on + time '16:00'
  FROM minqing.pairing p
 CROSS JOIN LATERAL (SELECT pg_temp.mq_h('pairing-act', p.unit_id) AS h) x
 CROSS JOIN LATERAL (SELECT g.k, pg_temp.mq_h('pairing-act', p.unit_id * 16 + g.k) AS h,
                            current_date - 2 - (g.k * 360 / (4 + pg_temp.mq_cb(x.h, 0, 3) % 7))
                              - pg_temp.mq_cb(pg_temp.mq_h('pairing-act', p.unit_id * 16 + g.k), 0, 5) AS done_on
                       FROM generate_series(0, 3 + pg_temp.mq_cb(x.h, 0, 3) % 7) AS g(k)) a
  JOIN minqing.pairing_help_item i ON i.ord = 1 + (pg_temp.mq_cb(x.h, 4, 3) + a.k) % 5
  LEFT JOIN (SELECT k.origin_unit_id, min(k.case_id) AS case_id FROM minqing.cases k
              WHERE k.origin_unit_id IN (SELECT y.unit_id FROM minqing.pairing y)
              GROUP BY k.origin_unit_id) c ON c.origin_unit_id = p.unit_id
 ORDER BY a.done_on, p.pairing_id;

------------------------------------------------------------------------------
-- Resident cadres: most villages; from the paired agency (else the town),
-- its staff member or a named person; contacts across the stay
------------------------------------------------------------------------------
INSERT INTO minqing.resident_cadre (district_id, unit_id, path, staff_id, name, phone, from_unit_id, from_path,
                                    since, created_by, created_at, updated_at)
SELECT v.district_id, v.unit_id, v.path, s.staff_id, coalesce(s.display_name, pg_temp.mq_cname(x.h >> 5)),
       coalesce(s.phone, pg_temp.mq_mobile(pg_temp.mq_h('cadre-phone', v.unit_id))), f.unit_id, f.path,
       current_date - 200 - pg_temp.mq_cb(x.h, 12, 9), 'demo_admin', now() - interval '200 days',
       now() - interval '200 days'
  FROM minqing.org_unit v
 CROSS JOIN LATERAL (SELECT pg_temp.mq_h('cadre', v.unit_id) AS h) x
  LEFT JOIN LATERAL (SELECT p.agency_unit_id FROM minqing.pairing p WHERE p.unit_id = v.unit_id
                      ORDER BY p.pairing_id LIMIT 1) pa ON true
  JOIN minqing.org_unit f ON f.unit_id = coalesce(pa.agency_unit_id, v.parent_id)
  LEFT JOIN LATERAL (SELECT y.staff_id, y.display_name, y.phone FROM minqing.staff y
                      WHERE y.unit_id = f.unit_id AND y.active AND pg_temp.mq_cb(x.h, 30, 1) = 0
                      ORDER BY y.staff_id LIMIT 1) s ON true
 WHERE v.kind IN ('village', 'community') AND v.active
   AND (v.code = 'T01V01' OR pg_temp.mq_cb(x.h, 0, 8) < 218);

-- Contacts every two to five weeks; about one cadre in five (never
-- 天兴社区's) stopped 35 to 90 days ago.
INSERT INTO minqing.cadre_contact (cadre_id, district_id, path, from_path, contacted_on, content, passed_to,
                                   recorded_by, created_at, updated_at)
SELECT c.cadre_id, c.district_id, c.path, c.from_path, d.on_day,
       pg_temp.mq_pick('{向结对单位反映村道路灯损坏情况,转达群众对垃圾清运时间的意见,汇报村集体经济项目进展,'
                       '反映部分老人看病难问题,通报村里矛盾纠纷排查情况,转交群众关于饮水安全的诉求,'
                       '汇报防汛防台准备情况,反映农产品销售困难}'::text[], pg_temp.mq_h('cadre-c', c.unit_id * 64 + g.k)),
       pa.agency_unit_id, 'demo_admin', d.on_day + time '15:00', d.on_day + time '15:00'
  FROM minqing.resident_cadre c
  JOIN minqing.org_unit u ON u.unit_id = c.unit_id
 CROSS JOIN LATERAL (SELECT pg_temp.mq_h('cadre-c', c.unit_id) AS h) x
 CROSS JOIN LATERAL (SELECT CASE WHEN u.code <> 'T01V01' AND pg_temp.mq_cb(x.h, 0, 8) < 51
                                 THEN 35 + pg_temp.mq_cb(x.h, 8, 6) ELSE 1 + pg_temp.mq_cb(x.h, 8, 4) END AS last_ago,
                            14 + pg_temp.mq_cb(x.h, 16, 5) AS every) s
 CROSS JOIN LATERAL generate_series(0, 15) AS g(k)
 CROSS JOIN LATERAL (SELECT current_date - s.last_ago - g.k * s.every AS on_day) d
  LEFT JOIN LATERAL (SELECT p.agency_unit_id FROM minqing.pairing p WHERE p.unit_id = c.unit_id
                      ORDER BY p.pairing_id LIMIT 1) pa ON true
 WHERE d.on_day >= c.since
 ORDER BY d.on_day, c.cadre_id;

SET LOCAL session_replication_role = origin;

INSERT INTO minqing.audit_log (district_id, table_name, row_id, op, path, before, after)
SELECT 1, 'demo-data',
       'cards and pairings scale=' || current_setting('minqing_demo.scale') || ' seed='
         || current_setting('minqing_demo.seed'),
       'IMPORT', u.path, NULL,
       jsonb_build_object(
         'live cards', (SELECT count(*) FROM minqing.service_card WHERE voided_at IS NULL),
         'void cards', (SELECT count(*) FROM minqing.service_card WHERE voided_at IS NOT NULL),
         'pairings', (SELECT count(*) FROM minqing.pairing),
         'pairing activities', (SELECT count(*) FROM minqing.pairing_activity),
         'resident cadres', (SELECT count(*) FROM minqing.resident_cadre),
         'cadre contacts', (SELECT count(*) FROM minqing.cadre_contact))
  FROM minqing.org_unit u WHERE u.code = 'LW';

DROP FUNCTION pg_temp.mq_cname(bigint);
DROP FUNCTION pg_temp.mq_cb(bigint, integer, integer);
