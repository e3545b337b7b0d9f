-- Demo district, part 5: the village archive (村情档案). Every village and
-- community gets its eight sections filled, a revision history over the
-- last two years (one to four saves per section, some sections last saved
-- more than twelve months ago, so stale), and hardship marks at realistic
-- rates (低保 about 2.5 % of households).
--
-- The structured rows are written first; the latest revision of each section
-- is then archive_content() of them (the canonical form a save stores), and
-- the older revisions are that content taken back step by step (fewer years
-- of accounts, fewer rules, another committee member, another note), so
-- the history screen has differences to show. Everything depends on the
-- seed through pg_temp.mq_h only. Loaded with session_replication_role =
-- replica (no triggers: the rows are valid by construction, and no audit row
-- is written for each; the loader's IMPORT row says what was loaded).

SET LOCAL session_replication_role = replica;

-- (30_people.sql dropped these two of 10_units.sql: the same again.)
CREATE FUNCTION pg_temp.mq_bits(h bigint, lo integer, n integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((h >> lo) & ((1::bigint << n) - 1))::integer;
CREATE FUNCTION pg_temp.mq_u(salt text, i bigint) RETURNS double precision
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (pg_temp.mq_h(salt, i) & 2147483647)::double precision / 2147483648.0;

CREATE FUNCTION pg_temp.mq_ag(male boolean, x bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN male THEN pg_temp.mq_pick('{国,建,明,华,平,志,勇,斌,杰,海,峰,林,刚,东,德,忠,成,春,荣,生,宝,金,福,庆,祥,良,兴,富,文,武,新,光,永,'
                                           '长,清,正,秋,根,才,义,松,洪,云,伟,强,军,浩,宇}'::text[], x)
            ELSE pg_temp.mq_pick('{丽,芳,敏,静,燕,娟,红,霞,玲,艳,萍,梅,英,兰,琴,秀,莉,凤,素,珍,爱,月,彩,菊,香,云,玉,美,春,雪,慧}'::text[], x) END;

-- A person's name from a hash: surname and one or two given characters.
CREATE FUNCTION pg_temp.mq_aname(h bigint, male boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_temp.mq_surname(h >> 8) || pg_temp.mq_ag(male, h >> 20)
       || CASE WHEN (h >> 40) & 3 < 3 THEN pg_temp.mq_ag(male, h >> 44) ELSE '' END;

-- The villages, with what the sections are built from.
CREATE TEMP TABLE mq_av ON COMMIT DROP AS
SELECT v.vidx, v.unit_id, v.path, v.code, v.name, v.stem, v.kind = 'community' AS community,
       pg_temp.mq_h('av', v.vidx) AS h,
       'handler_' || lower(v.code) AS secretary_login,
       (SELECT s.display_name FROM minqing.staff s WHERE s.login = 'handler_' || lower(v.code)) AS secretary,
       coalesce((SELECT min(s.login) FROM minqing.staff s WHERE s.unit_id = v.unit_id AND s.duty = 'officer'),
                'handler_' || lower(v.code)) AS officer_login,
       coalesce(c.households, 0) AS households, coalesce(c.residents, 0) AS residents
  FROM mq_v v
  LEFT JOIN (SELECT h.unit_id, count(DISTINCT h.household_id) AS households, count(*) AS residents
               FROM minqing.household h JOIN minqing.resident r USING (household_id)
              GROUP BY h.unit_id) c ON c.unit_id = v.unit_id;
ANALYZE mq_av;

-- Per village and section: how many saves (1-4), when the last one was
-- (about one section in eight more than 12 months ago: stale), by whom.
CREATE TEMP TABLE mq_as ON COMMIT DROP AS
SELECT a.vidx, a.unit_id, a.path, g.s::smallint AS section, x.h,
       1 + pg_temp.mq_bits(x.h, 0, 8) % 4 AS saves,
       now() - make_interval(days => CASE WHEN pg_temp.mq_bits(x.h, 8, 8) < 32
                                          THEN 370 + pg_temp.mq_bits(x.h, 16, 12) % 300
                                          ELSE pg_temp.mq_bits(x.h, 16, 12) % 340 END,
                             mins => pg_temp.mq_bits(x.h, 28, 10) % 600) AS last_at,
       CASE WHEN pg_temp.mq_bits(x.h, 40, 2) = 0 THEN a.secretary_login ELSE a.officer_login END AS last_by
  FROM mq_av a
 CROSS JOIN generate_series(1, 8) AS g(s)
 CROSS JOIN LATERAL (SELECT pg_temp.mq_h('as', a.vidx * 10 + g.s) AS h) x;

------------------------------------------------------------------------------
-- 1 村情概况
------------------------------------------------------------------------------
INSERT INTO minqing.archive_overview (unit_id, district_id, path, area_km2, villager_groups, natural_villages,
                                      registered_population, resident_population, arable_land_mu,
                                      main_industries)
SELECT a.unit_id, 1, a.path,
       round((CASE WHEN a.community THEN 0.3 + 1.5 * pg_temp.mq_u('ov-area', a.vidx)
                   ELSE 1.2 + 5.5 * pg_temp.mq_u('ov-area', a.vidx) END)::numeric, 2),
       CASE WHEN a.community THEN 3 + pg_temp.mq_bits(a.h, 0, 8) % 8 ELSE 4 + pg_temp.mq_bits(a.h, 0, 8) % 12 END,
       CASE WHEN a.community THEN NULL ELSE 1 + pg_temp.mq_bits(a.h, 8, 8) % 4 END,
       round(a.residents * (0.95 + 0.15 * pg_temp.mq_u('ov-reg', a.vidx)))::int,
       round(a.residents * CASE WHEN a.community THEN 1.1 + 0.5 * pg_temp.mq_u('ov-res', a.vidx)
                                ELSE 0.75 + 0.4 * pg_temp.mq_u('ov-res', a.vidx) END)::int,
       CASE WHEN a.community THEN NULL
            ELSE round((300 + 2200 * pg_temp.mq_u('ov-land', a.vidx))::numeric, 1) END,
       CASE WHEN a.community
            THEN pg_temp.mq_pick('{商贸服务、物业出租,小微企业、商贸物流,物业经济、餐饮服务,电子商务、仓储物流,鞋服加工、商贸服务}'::text[],
                                 a.h >> 16)
            ELSE pg_temp.mq_pick('{水产养殖、蔬菜种植、来料加工,柑橘种植、农家乐,阀门配件加工、物业出租,鞋革加工、蔬菜种植,'
                                 '滩涂养殖、休闲渔业,花卉苗木、来料加工,农业观光、民宿,五金加工、土地流转}'::text[], a.h >> 16) END
  FROM mq_av a;

------------------------------------------------------------------------------
-- 2 班子建设: party branch, villagers' committee, supervisory committee
-- (the party secretary is the village's handler account)
------------------------------------------------------------------------------
INSERT INTO minqing.archive_member (unit_id, district_id, path, ord, committee, name, post, term, since, until, phone)
SELECT a.unit_id, 1, a.path, p.ord, p.committee,
       CASE WHEN p.ord = 1 AND a.secretary IS NOT NULL THEN a.secretary
            ELSE pg_temp.mq_aname(pg_temp.mq_h('member', a.vidx * 100 + p.ord), p.male) END,
       CASE WHEN a.community THEN replace(replace(p.post, '村委会', '居委会'), '支部', '社区党委') ELSE p.post END,
       '2021—2026', DATE '2021-01-08' + (a.vidx % 40)::int, NULL,
       pg_temp.mq_mobile(pg_temp.mq_h('member-phone', a.vidx * 100 + p.ord))
  FROM mq_av a
 CROSS JOIN (VALUES (1, 'party', '支部书记', true), (2, 'party', '支部副书记', true), (3, 'party', '支部委员', false),
                    (4, 'party', '支部委员', true), (5, 'villagers', '村委会主任', true),
                    (6, 'villagers', '村委会委员', false), (7, 'villagers', '村委会委员', true),
                    (8, 'supervisory', '监委会主任', true), (9, 'supervisory', '监委会委员', false))
            AS p(ord, committee, post, male)
 WHERE p.ord <> 2 OR pg_temp.mq_bits(a.h, 24, 2) <> 0;

------------------------------------------------------------------------------
-- 4 制度建设
------------------------------------------------------------------------------
INSERT INTO minqing.archive_rule (unit_id, district_id, path, ord, title, kind, adopted_on, body)
SELECT a.unit_id, 1, a.path, row_number() OVER (PARTITION BY a.unit_id ORDER BY r.k), r.title, r.kind,
       DATE '2016-03-01' + (pg_temp.mq_h('rule-date', a.vidx * 10 + r.k) & 2047)::int, r.body
  FROM mq_av a
 CROSS JOIN (VALUES
	(1, '村规民约', '村规民约', '经村民代表会议表决通过，涵盖移风易俗、环境卫生、邻里和睦、平安建设等内容，张贴于村务公开栏。'),
	(2, '村务财务公开制度', '财务公开', '村级财务收支每季度公开一次，重大事项随时公开；公开前经村务监督委员会审核。'),
	(3, '村级重大事项“五议两公开”议事规则', '议事规则', '党支部提议、两委商议、党员大会审议、村民代表会议决议、群众评议，决议公开、实施结果公开。'),
	(4, '民情恳谈会制度', '议事规则', '每季度召开民情恳谈会，干部问事、群众说事、民主议事、限时办事、定期评事。'),
	(5, '村级小微权力清单', '权力清单', '明确村级集体资产处置、工程项目建设、低保申请等事项的办理流程与责任人。'),
	(6, '垃圾分类管理办法', '环境卫生', '实行定时定点投放，党员包片督导，每月评比“美丽庭院”。')) AS r(k, title, kind, body)
 WHERE r.k <= 3 + pg_temp.mq_bits(a.h, 28, 8) % 4;

------------------------------------------------------------------------------
-- 5 集体经济: the last five years (元)
------------------------------------------------------------------------------
INSERT INTO minqing.archive_economy (unit_id, year, district_id, path, income, spending, assets, main_sources)
SELECT a.unit_id, y.year, 1, a.path, e.income, round(e.income * (0.55 + 0.35 * pg_temp.mq_u('ec-sp', a.vidx * 10000 + y.year))::numeric, 2),
       round(e.income * (4 + 4 * pg_temp.mq_u('ec-as', a.vidx))::numeric, 2),
       CASE WHEN a.community THEN '物业出租、股份分红' ELSE '土地流转、物业出租、来料加工管理费' END
  FROM mq_av a
 CROSS JOIN generate_series(extract(year FROM now())::int - 5, extract(year FROM now())::int - 1) AS y(year)
 CROSS JOIN LATERAL (SELECT round(((500000 + 7500000 * power(pg_temp.mq_u('ec-base', a.vidx), 2))
                                  * (1 + 0.06 * (y.year - extract(year FROM now())::int + 5))
                                  * (0.92 + 0.16 * pg_temp.mq_u('ec-y', a.vidx * 10000 + y.year)))::numeric, 2)
                            AS income) e;

------------------------------------------------------------------------------
-- 6 社会事业
------------------------------------------------------------------------------
INSERT INTO minqing.archive_facility (unit_id, district_id, path, ord, kind, name, facts, note)
SELECT a.unit_id, 1, a.path, row_number() OVER (PARTITION BY a.unit_id ORDER BY f.k), f.kind,
       a.stem || f.name, f.facts, f.note
  FROM mq_av a
 CROSS JOIN (VALUES
	(1, 'culture_hall', '文化礼堂', '建筑面积约800平方米，含礼堂、展陈馆、农家书屋。', '每月举办文艺演出或讲座。'),
	(2, 'elderly_care', '居家养老服务照料中心', '设床位12张，提供助餐、日间照料服务。', NULL),
	(3, 'clinic', '卫生室', '配备乡村医生2名，承担基本公共卫生服务。', '与街道社区卫生服务中心签约。'),
	(4, 'school', '幼儿园', '在园幼儿约120人，教职工15人。', NULL),
	(5, 'road', '村道', '主干道已全部硬化，路灯覆盖率达到百分之百。', '部分支路需修缮。'),
	(6, 'other', '便民服务中心', '代办社保、医保、户籍等事项。', NULL)) AS f(k, kind, name, facts, note)
 WHERE f.k <= 3 OR pg_temp.mq_bits(a.h, 36 + f.k, 1) = 1;

------------------------------------------------------------------------------
-- 7 社会稳定
------------------------------------------------------------------------------
INSERT INTO minqing.archive_stability (unit_id, district_id, path, ord, kind, title, since, note)
SELECT a.unit_id, 1, a.path, row_number() OVER (PARTITION BY a.unit_id ORDER BY i.k), i.kind, i.title,
       (now() - make_interval(days => 30 + (pg_temp.mq_h('st-date', a.vidx * 10 + i.k) & 511)::int))::date, i.note
  FROM mq_av a
 CROSS JOIN (VALUES
	(1, 'dispute', '宅基地边界纠纷', '已组织双方调解两次，待测绘后再次协调。'),
	(2, 'dispute', '土地流转租金纠纷', '村调委会跟进，约定年底前结清。'),
	(3, 'attention', '汛期地质灾害隐患点', '落实专人巡查，汛期每日上报。'),
	(4, 'attention', '独居老人安全', '党员结对联系，每周上门探访。'),
	(5, 'dispute', '邻里噪音纠纷', '已调解，双方签订协议。')) AS i(k, kind, title, note)
 WHERE pg_temp.mq_bits(pg_temp.mq_h('st', a.vidx * 10 + i.k), 0, 8) < 80;

------------------------------------------------------------------------------
-- Heads: the notes and the last save of every section
------------------------------------------------------------------------------
INSERT INTO minqing.archive_section (unit_id, section, district_id, path, revision_no, saved_at, saved_by, note)
SELECT s.unit_id, s.section, 1, s.path, s.saves, s.last_at, s.last_by,
       CASE s.section
         WHEN 1 THEN a.name || '位于' || pg_temp.mq_pick('{街道东部,街道西部,瓯江口南岸,镇区北侧,沿海平原}'::text[], s.h >> 12)
                     || '，交通便利，' || CASE WHEN a.community THEN '辖区以住宅小区和沿街商铺为主。'
                                                 ELSE '村庄整治已完成，正推进未来乡村建设。' END
         WHEN 2 THEN '村（社）组织于2021年初完成换届，班子成员分工明确，实行坐班值班制度。'
         WHEN 3 THEN '党员按网格编入党小组，每月开展主题党日活动，党员联系户全覆盖。'
         WHEN 4 THEN '各项制度上墙公开，每年对村规民约执行情况进行评议。'
         WHEN 5 THEN '集体经济收入逐年增长，' || pg_temp.mq_pick('{已消除薄弱村帽子,物业出租收入为主要来源,正谋划强村公司项目}'::text[], s.h >> 20) || '。'
         WHEN 6 THEN '公共服务设施基本齐全，' || pg_temp.mq_pick('{文化礼堂使用率较高,养老服务需求增长较快,道路改造列入明年计划}'::text[], s.h >> 20) || '。'
         WHEN 7 THEN '矛盾纠纷排查每月一次，' || pg_temp.mq_pick('{总体平稳,小纠纷就地化解,重点人员稳控到位}'::text[], s.h >> 20) || '。'
         ELSE '困难群众动态管理，' || pg_temp.mq_pick('{每季度走访一次,党员结对帮扶,节日慰问全覆盖}'::text[], s.h >> 20) || '。' END
  FROM mq_as s JOIN mq_av a ON a.vidx = s.vidx;

------------------------------------------------------------------------------
-- Revisions: the latest is the canonical content of the rows above; each
-- older one takes the content a step back.
------------------------------------------------------------------------------
CREATE TEMP TABLE mq_ar ON COMMIT DROP AS
SELECT s.*, minqing.archive_content(s.unit_id, s.section) AS content
  FROM mq_as s;

-- Content k saves before the latest (back >= 1).
CREATE FUNCTION pg_temp.mq_back(c jsonb, section smallint, back integer, h bigint) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
	WHEN section = 1 THEN c
		|| CASE WHEN c ? 'resident_population'
		        THEN jsonb_build_object('resident_population', (c ->> 'resident_population')::int - back * (5 + h % 40))
		        ELSE '{}' END
		|| CASE WHEN c ? 'registered_population'
		        THEN jsonb_build_object('registered_population', (c ->> 'registered_population')::int - back * ((h >> 8) % 25))
		        ELSE '{}' END
	WHEN section = 2 AND jsonb_array_length(c -> 'members') > 2 THEN
		jsonb_set(c, ARRAY['members', ((h >> 4) % (jsonb_array_length(c -> 'members') - 1) + 1)::text, 'name'],
		          to_jsonb(pg_temp.mq_aname(h >> 3, true)))
	WHEN section IN (4, 5, 6, 7) THEN
		jsonb_set(c, ARRAY[CASE section WHEN 4 THEN 'rules' WHEN 5 THEN 'years' WHEN 6 THEN 'facilities' ELSE 'items' END],
		          coalesce((SELECT jsonb_agg(e.v ORDER BY e.n)
		                      FROM jsonb_array_elements(c -> CASE section WHEN 4 THEN 'rules' WHEN 5 THEN 'years'
		                                                                  WHEN 6 THEN 'facilities' ELSE 'items' END)
		                           WITH ORDINALITY AS e(v, n)
		                     WHERE e.n <= jsonb_array_length(c -> CASE section WHEN 4 THEN 'rules' WHEN 5 THEN 'years'
		                                                                       WHEN 6 THEN 'facilities' ELSE 'items' END)
		                                  - back), '[]'))
	ELSE c END
	|| CASE WHEN back % 2 = 1 AND c ? 'note'
	        THEN jsonb_build_object('note', pg_temp.mq_pick('{情况已核实。,待补充最新数据。,根据走访情况更新。}'::text[], h >> 30))
	        ELSE '{}' END;

INSERT INTO minqing.archive_revision (unit_id, section, revision_no, district_id, path, saved_at, saved_by, content,
                                      changed)
SELECT r.unit_id, r.section, k.no, 1, r.path,
       r.last_at - make_interval(days => (r.saves - k.no) * greatest(20, (730 - extract(day FROM now() - r.last_at)::int) / r.saves)),
       CASE WHEN k.no = r.saves THEN r.last_by WHEN k.no % 2 = 0 THEN a.officer_login ELSE a.secretary_login END,
       c.content,
       CASE WHEN k.no = 1 THEN ARRAY(SELECT jsonb_object_keys(c.content) ORDER BY 1)
            ELSE ARRAY(SELECT j.key FROM (SELECT jsonb_object_keys(c.content) AS key
                                          UNION SELECT jsonb_object_keys(p.content)) j
                        WHERE (c.content -> j.key) IS DISTINCT FROM (p.content -> j.key) ORDER BY 1) END
  FROM mq_ar r
  JOIN mq_av a ON a.vidx = r.vidx
 CROSS JOIN generate_series(1, r.saves) AS k(no)
 CROSS JOIN LATERAL (SELECT CASE WHEN k.no = r.saves THEN r.content
                                 ELSE pg_temp.mq_back(r.content, r.section, r.saves - k.no, (r.h >> 2) & 1073741823) END AS content) c
 CROSS JOIN LATERAL (SELECT CASE WHEN k.no = 1 THEN NULL
                                 WHEN k.no - 1 = r.saves THEN r.content
                                 ELSE pg_temp.mq_back(r.content, r.section, r.saves - k.no + 1, (r.h >> 2) & 1073741823) END AS content) p
 ORDER BY 6, r.unit_id, r.section, k.no;

------------------------------------------------------------------------------
-- 8 困难群体: hardship marks. Per household 低保 ~2.5 %, 低边 ~1.5 %, 特困
-- ~0.3 %; per resident 残疾 ~2 %, 重病 ~0.6 %, 留守儿童 ~4 % of children
-- under 16, 独居老人 most people of 70 or more living alone. About one mark
-- in eight has ended.
------------------------------------------------------------------------------
CREATE TEMP TABLE mq_hm ON COMMIT DROP AS
SELECT h.household_id, NULL::bigint AS resident_id, h.unit_id, h.path, k.kind, pg_temp.mq_h('hm-' || k.kind, h.household_id) AS x
  FROM minqing.household h
 CROSS JOIN LATERAL (SELECT pg_temp.mq_bits(pg_temp.mq_h('hm', h.household_id), 0, 16) AS b) b
 CROSS JOIN LATERAL (SELECT CASE WHEN b.b < 1638 THEN 'dibao' WHEN b.b < 2621 THEN 'dibian'
                                 WHEN b.b < 2818 THEN 'tekun' END AS kind) k
 WHERE k.kind IS NOT NULL
UNION ALL
SELECT r.household_id, r.resident_id, h.unit_id, h.path, k.kind, pg_temp.mq_h('rm-' || k.kind, r.resident_id)
  FROM minqing.resident r
  JOIN minqing.household h ON h.household_id = r.household_id
 CROSS JOIN LATERAL (SELECT pg_temp.mq_bits(pg_temp.mq_h('rm', r.resident_id), 0, 16) AS b,
                            extract(year FROM age(now(), r.birth_date))::int AS age) b
 CROSS JOIN LATERAL (SELECT CASE WHEN b.b < 1311 THEN 'disabled'
                                 WHEN b.b < 1704 THEN 'serious_illness'
                                 WHEN b.age < 16 AND b.b < 1704 + 2621 THEN 'left_behind_child'
                                 WHEN b.age >= 70 AND b.b < 1704 + 45000
                                      AND NOT EXISTS (SELECT 1 FROM minqing.resident o
                                                       WHERE o.household_id = r.household_id
                                                         AND o.resident_id <> r.resident_id) THEN 'elderly_alone'
                            END AS kind) k
 WHERE k.kind IS NOT NULL;

INSERT INTO minqing.hardship_mark (district_id, unit_id, path, household_id, resident_id, kind, since, until, note,
                                   created_by, created_at, ended_by, updated_at)
SELECT 1, m.unit_id, m.path, m.household_id, m.resident_id, m.kind, d.since,
       CASE WHEN d.ended THEN least(current_date - 1, d.since + 180 + (m.x >> 20 & 511)::int) END,
       CASE m.kind WHEN 'dibao' THEN '家庭收入低于当地低保标准，按月发放低保金。'
                   WHEN 'dibian' THEN '低保边缘家庭，享受医疗、教育救助。'
                   WHEN 'tekun' THEN '无劳动能力、无生活来源，纳入特困供养。'
                   WHEN 'disabled' THEN pg_temp.mq_pick('{持证残疾人，肢体三级。,持证残疾人，视力二级。,持证残疾人，听力四级。,持证残疾人，智力三级。}'::text[], m.x >> 8)
                   WHEN 'serious_illness' THEN pg_temp.mq_pick('{长期透析治疗。,恶性肿瘤术后康复。,心脏疾病，需长期服药。}'::text[], m.x >> 8)
                   WHEN 'left_behind_child' THEN '父母在外务工，由祖父母照看。'
                   ELSE '独自居住，子女在外地，党员每周探访。' END,
       'handler_' || lower(u.code), d.since::timestamptz + interval '10 hours',
       CASE WHEN d.ended THEN 'handler_' || lower(u.code) END, now()
  FROM mq_hm m
  JOIN minqing.org_unit u ON u.unit_id = m.unit_id
 CROSS JOIN LATERAL (SELECT (current_date - 30 - (m.x & 2047)::int) AS since,
                            (m.x >> 12) & 7 = 0 AS ended) d
 ORDER BY m.household_id, m.resident_id NULLS FIRST;

SELECT pg_temp.mq_analyse('{archive_section,archive_revision,archive_overview,archive_member,archive_rule,'
                           'archive_economy,archive_facility,archive_stability,hardship_mark}');

SET LOCAL session_replication_role = origin;

INSERT INTO minqing.audit_log (district_id, table_name, row_id, op, path, before, after)
SELECT 1, 'demo-data',
       'archive scale=' || current_setting('minqing_demo.scale') || ' seed=' || current_setting('minqing_demo.seed'),
       'IMPORT', u.path, NULL,
       jsonb_build_object(
         'sections', (SELECT count(*) FROM minqing.archive_section),
         'revisions', (SELECT count(*) FROM minqing.archive_revision),
         'stale', (SELECT count(*) FROM minqing.archive_section WHERE saved_at < now() - interval '12 months'),
         'hardship_marks', (SELECT count(*) FROM minqing.hardship_mark))
  FROM minqing.org_unit u WHERE u.code = 'LW';

DROP FUNCTION pg_temp.mq_back(jsonb, smallint, integer, bigint);
DROP FUNCTION pg_temp.mq_aname(bigint, boolean);
DROP FUNCTION pg_temp.mq_ag(boolean, bigint);
DROP FUNCTION pg_temp.mq_u(text, bigint);
DROP FUNCTION pg_temp.mq_bits(bigint, integer, integer);
