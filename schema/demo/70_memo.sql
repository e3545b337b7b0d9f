-- Demo district, part 7: the household memo (户情民意备忘录). The search
-- rows of every household (household_search: its triggers do not fire in
-- replica mode); a memo for about a third of the households, each saved one
-- to three times over the last two years (about one in five last saved
-- more than twelve months ago, so stale); demands (诉求) for about one
-- household in eight: open, resolved with a note, or turned into a case
-- (linked to a case the household already has in the demo data).
--
-- The texts come from short lists picked by the seed's hash (pg_temp.mq_h,
-- 10_units.sql), so the same seed gives the same memos. Loaded with
-- session_replication_role = replica (no triggers: rows valid by
-- construction, one IMPORT row in the audit trail for the lot).

SET LOCAL session_replication_role = replica;

-- Secondary indexes off for the load and built once at the end: the GIN
-- indexes of the search rows cost four times as much filled row by row.
SELECT pg_temp.mq_drop_indexes('{household_search,household_memo,household_memo_revision,household_demand}');

CREATE FUNCTION pg_temp.mq_mb(h bigint, lo integer, n integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((h >> lo) & ((1::bigint << n) - 1))::integer;

------------------------------------------------------------------------------
-- The search rows, set-based (what household_search_rows() gives for one
-- household, for all of them in one pass over the residents)
------------------------------------------------------------------------------
-- (The bigrams without text_bigrams()'s window function, and the arrays
-- with their duplicates, which the GIN indexes drop: the same index keys in
-- a third of the time; a demo address or name holds no white space but the
-- one blank between them.)
INSERT INTO minqing.household_search (household_id, district_id, path, sort_key, household_no, head_name, doc,
                                      grams, phones, id_tails, keys)
SELECT h.household_id, h.district_id, h.path, (h.path::text || ' ' || h.household_no) COLLATE "C",
       h.household_no, coalesce(hr.name, ''), d.doc,
       ARRAY(SELECT substr(d.doc, i, 2) FROM generate_series(1, char_length(d.doc) - 1) AS i
              WHERE strpos(substr(d.doc, i, 2), ' ') = 0),
       ph.phones, coalesce(m.tails, '{}'),
       ARRAY(SELECT 'p4:' || right(p, 4) FROM unnest(ph.phones) AS p
             UNION ALL SELECT 'i4:' || right(t, 4) FROM unnest(m.tails) AS t)
  FROM minqing.household h
  JOIN (SELECT r.household_id, array_agg(r.phone) FILTER (WHERE r.phone IS NOT NULL) AS phones,
               array_agg(right(r.id_card, 6) ORDER BY right(r.id_card, 6)) FILTER (WHERE r.id_card IS NOT NULL)
                 AS tails
          FROM minqing.resident r WHERE r.active GROUP BY r.household_id) m ON m.household_id = h.household_id
  LEFT JOIN minqing.resident hr ON hr.resident_id = h.head_resident_id
 CROSS JOIN LATERAL (SELECT lower(concat_ws(' ', hr.name, h.address)) AS doc) d
 CROSS JOIN LATERAL (SELECT CASE WHEN h.phone IS NULL OR h.phone = ANY (m.phones) THEN coalesce(m.phones, '{}')
                            ELSE coalesce(m.phones, '{}') || h.phone::text END AS phones) ph
 WHERE h.active;

------------------------------------------------------------------------------
-- Memos: which households, how many saves, the last one when
------------------------------------------------------------------------------
CREATE TEMP TABLE mq_mm ON COMMIT DROP AS
SELECT h.household_id, h.district_id, h.unit_id, h.path, x.h,
       1 + pg_temp.mq_mb(x.h, 8, 8) % 3 AS saves,
       now() - make_interval(days => CASE WHEN pg_temp.mq_mb(x.h, 16, 8) < 51
                                          THEN 370 + pg_temp.mq_mb(x.h, 24, 12) % 330
                                          ELSE 3 + pg_temp.mq_mb(x.h, 24, 12) % 360 END,
                             mins => pg_temp.mq_mb(x.h, 36, 10) % 600) AS last_at,
       CASE WHEN pg_temp.mq_mb(x.h, 46, 1) = 0 THEN 'handler_' || lower(u.code)
            ELSE coalesce(o.login, 'handler_' || lower(u.code)) END::name AS last_by,
       'handler_' || lower(u.code) AS handler_login, cardinality(h.tails) AS size
  FROM (SELECT y.*, z.id_tails AS tails FROM minqing.household y
          JOIN minqing.household_search z ON z.household_id = y.household_id) h
  JOIN minqing.org_unit u ON u.unit_id = h.unit_id
  LEFT JOIN (SELECT s.unit_id, min(s.login) AS login FROM minqing.staff s WHERE s.duty = 'officer'
              GROUP BY s.unit_id) o ON o.unit_id = h.unit_id
 CROSS JOIN LATERAL (SELECT pg_temp.mq_h('memo', h.household_id) AS h) x
 WHERE pg_temp.mq_mb(x.h, 0, 8) < 85;

-- The four fields of save k (1 .. saves): the last save says the most.
CREATE FUNCTION pg_temp.mq_memo(h bigint, size bigint, k integer, saves integer,
                                OUT living text, OUT difficulties text, OUT demands_note text, OUT resolution text)
LANGUAGE sql IMMUTABLE AS $$
	SELECT '家中' || size || '口人，' ||
	       pg_temp.mq_pick('{户主在本地企业务工，收入稳定,户主从事水产养殖，收入受行情影响较大,户主经营小店，妻子在家照顾老人,'
	                       '夫妻二人在外务工，老人在家带孙辈,户主年老体弱，主要靠子女赡养和养老金,户主开网约车，家庭收入一般,'
	                       '家庭以种植柑橘为主，兼做来料加工,户主为退休教师，生活较为宽裕}'::text[], h >> 4)
	       || CASE WHEN k > 1 THEN '；' || pg_temp.mq_pick('{住房为自建三层楼房,住房为老旧平房，已列入危房改造,'
	                                                        '住安置小区，居住条件较好,租住在村里，房屋较小}'::text[], h >> 12)
	               ELSE '' END || '。',
	       CASE WHEN (h >> 20) & 3 = 0 THEN NULL
	            ELSE pg_temp.mq_pick('{老人患慢性病，医药费支出较大,孩子上学接送不便,家中劳动力不足，收入偏低,'
	                                 '房屋漏水，雨季影响居住,门前道路坑洼，夜间无路灯,残疾人家庭，日常照料困难,'
	                                 '就业信息少，年轻人外出务工}'::text[], h >> 24) || '。' END,
	       CASE WHEN k < 2 OR (h >> 20) & 3 = 0 THEN NULL
	            ELSE pg_temp.mq_pick('{希望协调申请临时救助,希望修缮门前道路并安装路灯,希望帮助联系就业岗位,'
	                                 '希望落实医疗救助政策,希望解决孩子入学问题,希望尽快完成危房改造}'::text[], h >> 28)
	                 || '。' END,
	       CASE WHEN k < saves OR (h >> 20) & 3 = 0 THEN NULL
	            ELSE pg_temp.mq_pick('{已由联户党员跟进，村两委研究解决,已帮助申请临时救助，等待审批,已转镇（街道）相关部门办理,'
	                                 '已落实，户主表示满意,正在协调，下次走访时反馈}'::text[], h >> 32) || '。' END
$$;

CREATE TEMP TABLE mq_mr ON COMMIT DROP AS
SELECT y.*,
       lag(y.living) OVER w AS p_living, lag(y.difficulties) OVER w AS p_difficulties,
       lag(y.demands_note) OVER w AS p_demands_note, lag(y.resolution) OVER w AS p_resolution
  FROM (SELECT m.household_id, m.district_id, m.path, k.no, m.saves,
               m.last_at - make_interval(days => (m.saves - k.no) * (60 + pg_temp.mq_mb(m.h, 48, 7))) AS saved_at,
               CASE WHEN k.no = m.saves THEN m.last_by ELSE m.handler_login::name END AS saved_by,
               f.living, f.difficulties, f.demands_note, f.resolution
          FROM mq_mm m
         CROSS JOIN generate_series(1, m.saves) AS k(no)
         CROSS JOIN LATERAL pg_temp.mq_memo(m.h, m.size, k.no, m.saves) f) y
WINDOW w AS (PARTITION BY y.household_id ORDER BY y.no);

INSERT INTO minqing.household_memo_revision (household_id, revision_no, district_id, path, saved_at, saved_by,
                                             living, difficulties, demands_note, resolution, changed)
SELECT r.household_id, r.no, r.district_id, r.path, r.saved_at, r.saved_by, r.living, r.difficulties,
       r.demands_note, r.resolution,
       ARRAY(SELECT f.f FROM (VALUES ('living', r.living, r.p_living),
                                     ('difficulties', r.difficulties, r.p_difficulties),
                                     ('demands_note', r.demands_note, r.p_demands_note),
                                     ('resolution', r.resolution, r.p_resolution)) AS f(f, a, b)
              WHERE f.a IS DISTINCT FROM f.b OR (r.no = 1 AND f.a IS NOT NULL))
  FROM mq_mr r
 ORDER BY r.saved_at, r.household_id, r.no;

INSERT INTO minqing.household_memo (household_id, district_id, unit_id, path, living, difficulties, demands_note,
                                    resolution, revision_no, saved_at, saved_by, row_version, created_at, updated_at)
SELECT m.household_id, m.district_id, m.unit_id, m.path, r.living, r.difficulties, r.demands_note, r.resolution,
       m.saves, m.last_at, m.last_by, m.saves, r1.saved_at, m.last_at
  FROM mq_mm m
  JOIN mq_mr r ON r.household_id = m.household_id AND r.no = m.saves
  JOIN mq_mr r1 ON r1.household_id = m.household_id AND r1.no = 1;

------------------------------------------------------------------------------
-- Demands: about one household in eight; of such a household with a demo
-- case, the newest case is what its first demand became
------------------------------------------------------------------------------
INSERT INTO minqing.household_demand (household_id, district_id, unit_id, path, content, raised_on, raised_by,
                                      status, resolution, resolved_at, resolved_by, case_id, case_no, created_at,
                                      updated_at)
SELECT h.household_id, h.district_id, h.unit_id, h.path,
       CASE WHEN c.case_id IS NOT NULL AND g.n = 1 THEN c.title
            ELSE pg_temp.mq_pick('{门前排水沟堵塞，下雨积水,申请低保，家庭收入下降,希望村里安装健身器材,邻居违章搭建影响通行,'
                                 '老人行动不便，希望上门办理社保认证,希望帮助孩子联系暑期托管,宅基地审批进度咨询,'
                                 '家门口路灯损坏,希望增加公交班次,农田灌溉用水不足}'::text[], x.h >> (8 * g.n)) END,
       d.raised_on, 'handler_' || lower(u.code),
       d.status, CASE WHEN d.status = 'resolved'
                      THEN pg_temp.mq_pick('{已联系相关单位处理完毕,已上门解释政策，户主表示理解,已协调解决，群众满意}'::text[],
                                           x.h >> 40) END,
       CASE WHEN d.status = 'resolved' THEN d.raised_on + 3 + (x.h >> 44 & 15)::int + time '16:00' END,
       CASE WHEN d.status = 'resolved' THEN 'handler_' || lower(u.code) END,
       CASE WHEN d.status = 'case' THEN c.case_id END, CASE WHEN d.status = 'case' THEN c.case_no END,
       d.raised_on + time '10:00', now()
  FROM (SELECT y.*, pg_temp.mq_h('demand', y.household_id) AS h FROM minqing.household y) h
  JOIN minqing.org_unit u ON u.unit_id = h.unit_id
 CROSS JOIN LATERAL (SELECT h.h) x
  LEFT JOIN (SELECT DISTINCT ON (k.household_id) k.household_id, k.case_id, k.case_no, k.title, k.created_at
               FROM minqing.cases k WHERE k.household_id IS NOT NULL
              ORDER BY k.household_id, k.created_at DESC) c ON c.household_id = h.household_id
 CROSS JOIN generate_series(1, 1 + pg_temp.mq_mb(x.h, 8, 1)) AS g(n)
 CROSS JOIN LATERAL (
	SELECT CASE WHEN c.case_id IS NOT NULL AND g.n = 1 THEN c.created_at::date
	            ELSE current_date - 1 - ((x.h >> (12 + g.n)) & 511)::int END AS raised_on,
	       CASE WHEN c.case_id IS NOT NULL AND g.n = 1 THEN 'case'
	            WHEN ((x.h >> (20 + g.n)) & 7) < 3 THEN 'resolved' ELSE 'open' END AS status) d
 WHERE pg_temp.mq_mb(x.h, 0, 8) < 32
 ORDER BY d.raised_on, h.household_id, g.n;

-- (No ANALYZE here: 99_cleanup.sql analyses what the scripts did not.)
SET LOCAL session_replication_role = origin;

SELECT pg_temp.mq_rebuild_indexes();

INSERT INTO minqing.audit_log (district_id, table_name, row_id, op, path, before, after)
SELECT 1, 'demo-data',
       'memo scale=' || current_setting('minqing_demo.scale') || ' seed=' || current_setting('minqing_demo.seed'),
       'IMPORT', u.path, NULL,
       jsonb_build_object(
         'memos', (SELECT count(*) FROM minqing.household_memo),
         'revisions', (SELECT count(*) FROM minqing.household_memo_revision),
         'demands', (SELECT count(*) FROM minqing.household_demand))
  FROM minqing.org_unit u WHERE u.code = 'LW';

DROP FUNCTION pg_temp.mq_memo(bigint, bigint, integer, integer);
DROP FUNCTION pg_temp.mq_mb(bigint, integer, integer);
