-- Demo district, part 4: cases over the past year, their timelines
-- (case_event), extensions and the messages they caused (outbox).
--
-- At scale 1 the totals are the seed's published figures: 956 cases
-- recorded, 920 resolved (resolved, reported or closed; most closed). The
-- other 36 are spread over every open state and withdrawn, with overdue
-- cases at each warning level, key cases that started at orange and pending
-- extensions. Cases grow as 956 x scale^3 (scale 10: 956,000 cases, about 7
-- million events), at least 20; about 96% resolved at every scale.
--
-- Every row is what the workflow functions, the bookkeeping trigger and the
-- escalation pass of 004_cases.sql would have left at the time of the load
-- (now()): statuses and times in order, the commitment and deadline of the
-- level the case was handled at, the proxy, the warning level and reminder
-- time the pass would have set (running every 5 minutes), the events with
-- the actors the functions check for, the result SMS and the warnings.
-- "Random" choices are hashes of (seed, salt, number) as in 10_units.sql;
-- times are placed relative to the start of today's working time (nothing
-- of an open case falls between it and now), so the same seed on the same
-- day gives the same cases, events and messages.
--
-- Deadlines without a function call per row: the working-day calendar of the
-- district (holiday table, office hours) is read once into constant arrays,
-- and working time becomes a number W(t) = seconds of office hours since the
-- start of the calendar; add_working_hours is W⁻¹(W(t) + h), add_working_days
-- a look-up in the list of working days, working_seconds_between a
-- difference. These replicas give exactly what the SQL functions give; the
-- script checks them against case_deadline() and escalation_due_at() (the
-- stored schedule) on a sample and on every open case, and takes
-- next_escalation_at of the open cases from case_next_escalation() itself
-- (and checks it against the replica too).
--
-- Open cases are placed so that nothing is due at the load (an escalation
-- pass right after finds nothing) and so that, within the next two weeks,
-- their reminders and warnings do not fall in the windows
-- tests/sql/case_flow.sh counts for its own case: not-yet-overdue open cases
-- are at towns and departments and due at least 4 working days on; yellow
-- ones were due 2 working days ago, orange ones 4-5, red ones 8 or more.

SET LOCAL search_path = minqing, ext, public;
SET LOCAL session_replication_role = origin;

------------------------------------------------------------------------------
-- Helpers of this script (mq_h, mq_pick, mq_mobile and mq_surname are
-- 10_units.sql's, kept until 99_cleanup.sql)
------------------------------------------------------------------------------
-- Three independent uniform numbers in [0, 1) from one hash (k = 0, 1, 2).
CREATE FUNCTION pg_temp.mq_f(h bigint, k integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((h >> (k * 21)) & 2097151)::double precision / 2097152.0;

CREATE FUNCTION pg_temp.mq_given(male boolean, x bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN male THEN pg_temp.mq_pick('{国,建,明,华,平,志,勇,斌,杰,海,峰,林,刚,东,德,忠,成,春,荣,生,宝,金,福,庆,祥,良,兴,富,文,武,新,光,永,'
                                           '长,清,正,秋,根,才,义,松,洪,云,伟,强,军,浩,宇,轩,博,涛,磊,鑫,鹏}'::text[], x)
            ELSE pg_temp.mq_pick('{丽,芳,敏,静,燕,娟,红,霞,玲,艳,萍,梅,英,兰,琴,秀,莉,凤,素,珍,爱,月,彩,菊,香,云,玉,美,春,雪,慧,'
                                 '琼,淑,翠,欣,怡,婷,琳,颖,佳}'::text[], x) END;

------------------------------------------------------------------------------
-- Parameters
------------------------------------------------------------------------------
-- n cases, n_res of them resolved; "now" to the second; the office hours of
-- the district (calendar_setting) and its escalation thresholds.
CREATE TEMP TABLE mq_p ON COMMIT DROP AS
WITH s AS (
	SELECT current_setting('minqing_demo.scale')::numeric AS scale
), cs AS (
	SELECT * FROM minqing.calendar_setting(1::smallint)
), n AS (
	SELECT greatest(20, round(956 * s.scale ^ 3))::bigint AS n FROM s
)
SELECT s.scale, n.n, round(n.n * 920 / 956.0)::bigint AS n_res,
       date_trunc('second', now()) AS t_now,
       cs.time_zone AS tz, extract(epoch FROM cs.day_start)::integer AS ds,
       extract(epoch FROM cs.day_end)::integer AS de,
       extract(epoch FROM cs.day_end - cs.day_start)::integer AS len,
       (now() AT TIME ZONE cs.time_zone)::date AS today,
       (SELECT max(household_id) FROM minqing.household) AS n_hh,
       (SELECT value FROM minqing.escalation_rule WHERE district_id = 1 AND step = 'reminder'
                                                     AND basis = 'elapsed_fraction')::float8 AS f_rem,
       (SELECT value FROM minqing.escalation_rule WHERE district_id = 1 AND step = 'yellow'
                                                     AND basis = 'overdue_working_days')::float8 AS d_yel,
       (SELECT value FROM minqing.escalation_rule WHERE district_id = 1 AND step = 'orange'
                                                     AND basis = 'overdue_working_days')::float8 AS d_ora,
       (SELECT value FROM minqing.escalation_rule WHERE district_id = 1 AND step = 'red'
                                                     AND basis = 'overdue_working_days')::float8 AS d_red
  FROM s, cs, n;
ANALYZE mq_p;

DO $$
BEGIN
	IF (SELECT f_rem IS NULL OR d_yel IS DISTINCT FROM 0 OR d_ora IS NULL OR d_red IS NULL
	           OR NOT (d_ora > d_yel AND d_red > d_ora) FROM mq_p) THEN
		RAISE EXCEPTION 'demo cases: the escalation rules of district 1 are not the default shape '
		                '(reminder by elapsed fraction, yellow at the deadline, orange and red later)';
	END IF;
END
$$;

------------------------------------------------------------------------------
-- The working-day calendar as constant arrays, and working time W(t)
------------------------------------------------------------------------------
-- 400 days back to 500 days on; cum = working days before the day.
CREATE TEMP TABLE mq_cal ON COMMIT DROP AS
SELECT x.d, x.work, (count(*) FILTER (WHERE x.work) OVER (ORDER BY x.d) - x.work::integer)::integer AS cum
  FROM (SELECT d::date AS d, minqing.is_working_day(1::smallint, d::date) AS work
          FROM mq_p, generate_series(today - 400, today + 500, interval '1 day') AS d) x;

-- mq_cum(d): working days from the calendar's start to d (excluded);
-- mq_work(d): is d a working day; mq_wday(k): the working day with k working
-- days before it. W(t) (mq_wt): seconds of office hours from the calendar's
-- start to t; mq_tw(w) its inverse (a span that ends exactly at the end of
-- a day ends at day_end, as add_working_hours does); mq_awd(t, n) is
-- add_working_days. The district's time zone and office hours are folded in.
DO $$
DECLARE
	p record;
	d0 date;
	cums text;
	works text;
	wdays text;
BEGIN
	SELECT * INTO p FROM mq_p;
	SELECT min(d), string_agg(cum::text, ',' ORDER BY d),
	       string_agg(CASE WHEN work THEN 't' ELSE 'f' END, ',' ORDER BY d)
	  INTO d0, cums, works FROM mq_cal;
	SELECT string_agg(d::text, ',' ORDER BY d) INTO wdays FROM mq_cal WHERE work;
	EXECUTE format($f$CREATE FUNCTION pg_temp.mq_cum(d date) RETURNS integer
		LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN ('{%s}'::integer[])[d - %L::date + 1]$f$, cums, d0);
	EXECUTE format($f$CREATE FUNCTION pg_temp.mq_work(d date) RETURNS boolean
		LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN ('{%s}'::boolean[])[d - %L::date + 1]$f$, works, d0);
	EXECUTE format($f$CREATE FUNCTION pg_temp.mq_wday(k integer) RETURNS date
		LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN ('{%s}'::date[])[k + 1]$f$, wdays);
	EXECUTE format($f$CREATE FUNCTION pg_temp.mq_wt(t timestamptz) RETURNS double precision
		LANGUAGE sql IMMUTABLE PARALLEL SAFE
		RETURN pg_temp.mq_cum((t AT TIME ZONE %1$L)::date)::double precision * %2$s
		       + CASE WHEN pg_temp.mq_work((t AT TIME ZONE %1$L)::date)
		              THEN least(greatest(extract(epoch FROM (t AT TIME ZONE %1$L)::time)::double precision - %3$s, 0), %2$s)
		              ELSE 0 END$f$, p.tz, p.len, p.ds);
	EXECUTE format($f$CREATE FUNCTION pg_temp.mq_tw(w double precision) RETURNS timestamptz
		LANGUAGE sql IMMUTABLE PARALLEL SAFE
		RETURN (pg_temp.mq_wday((ceil(w / %2$s) - 1)::integer)
		        + make_interval(secs => %3$s + w - (ceil(w / %2$s) - 1) * %2$s)) AT TIME ZONE %1$L$f$,
		p.tz, p.len, p.ds);
	EXECUTE format($f$CREATE FUNCTION pg_temp.mq_awd(t timestamptz, n integer) RETURNS timestamptz
		LANGUAGE sql IMMUTABLE PARALLEL SAFE
		RETURN (pg_temp.mq_wday(pg_temp.mq_cum((t AT TIME ZONE %1$L)::date)
		                        + CASE WHEN n > 0 THEN pg_temp.mq_work((t AT TIME ZONE %1$L)::date)::integer + n - 1
		                               WHEN (t AT TIME ZONE %1$L)::time > %2$L::time
		                               THEN pg_temp.mq_work((t AT TIME ZONE %1$L)::date)::integer
		                               ELSE 0 END)
		        + %2$L::time) AT TIME ZONE %1$L$f$, p.tz, make_time(p.de / 3600, p.de / 60 % 60, 0));
END
$$;

-- The reference point of the timeline: the start of today's working time
-- (W = K * len, K working days before today; as a timestamp the end of the
-- last working day). Everything happened by then, so the same seed gives the
-- same cases all day; no step of an open case falls between it and now.
-- Resolved cases were received up to 2 working days before it, withdrawn
-- ones up to 20.
ALTER TABLE mq_p ADD COLUMN w_ref double precision, ADD COLUMN t_ref timestamptz,
                 ADD COLUMN lim_res timestamptz, ADD COLUMN lim_wd timestamptz;
UPDATE mq_p SET w_ref = pg_temp.mq_cum(today)::double precision * len,
                t_ref = pg_temp.mq_tw(pg_temp.mq_cum(today)::double precision * len),
                lim_res = pg_temp.mq_tw((pg_temp.mq_cum(today) - 2)::double precision * len),
                lim_wd = pg_temp.mq_tw((pg_temp.mq_cum(today) - 20)::double precision * len);

-- case_deadline(): immediate, N working hours or N working days from t.
-- (Called with plain columns, so that the planner inlines it.)
CREATE FUNCTION pg_temp.mq_due(kind text, amount integer, t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE kind WHEN 'immediate' THEN t
                 WHEN 'hours' THEN pg_temp.mq_tw(pg_temp.mq_wt(t) + amount * 3600)
                 ELSE pg_temp.mq_awd(t, amount) END;

-- The time a pass running every 5 minutes first sees t.
CREATE FUNCTION pg_temp.mq_pass(t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN date_bin('5 minutes', t + interval '299.999999 seconds', timestamptz '2000-01-01 00:00:00+00');

-- The commitment of every category at every level (commitment_for()).
CREATE TEMP TABLE mq_commit ON COMMIT DROP AS
SELECT c.category_id, c.code, c.name, c.centre, c.is_key, l.level, x.kind, x.amount
  FROM minqing.case_category c
 CROSS JOIN unnest(enum_range(NULL::minqing.unit_level)) AS l(level)
 CROSS JOIN LATERAL minqing.commitment_for(c.category_id, l.level) x
 WHERE c.district_id = 1;
ANALYZE mq_commit;

-- The replicas must agree with the functions: a sample of starting times
-- (whole seconds, any hour, weekends and holidays included) for every
-- commitment.
DO $$
DECLARE
	bad integer;
BEGIN
	SELECT count(*) INTO bad
	  FROM (SELECT k.kind, k.amount, k.category_id, k.level,
	               date_trunc('second', p.t_now - interval '380 days'
	                                    + (pg_temp.mq_f(pg_temp.mq_h('check', i), 0) * 400) * interval '1 day') AS t
	          FROM mq_p p CROSS JOIN generate_series(1, 300) AS i
	          JOIN (SELECT *, row_number() OVER (ORDER BY category_id, level) - 1 AS r FROM mq_commit) k
	            ON k.r = i % (SELECT count(*) FROM mq_commit)
	        OFFSET 0) s
	 WHERE pg_temp.mq_due(s.kind, s.amount, s.t)
	       IS DISTINCT FROM (minqing.case_deadline(1::smallint, s.category_id, s.level, s.t)).due;
	IF bad > 0 THEN
		RAISE EXCEPTION 'demo cases: % of 300 deadlines differ from case_deadline()', bad;
	END IF;
END
$$;

------------------------------------------------------------------------------
-- What residents bring: templates per category
------------------------------------------------------------------------------
-- Placeholders: {v} the village or community, {vm} 村民/居民, {vc} 村/社区,
-- {p} a place in it, {a} a filler of the template, {k} a small number,
-- {n} an amount of money. dept: the district department for the matter;
-- results: what the handler wrote (without the final 。, the SMS adds it).
CREATE TEMP TABLE mq_tpl ON COMMIT DROP AS
SELECT row_number() OVER () AS tid, t.*
  FROM (VALUES
	-- 民情调处中心
	('MED_NEIGHBOUR', 'D12', 6, '邻居{a}影响正常生活',
	 '{v}{vm}反映：{p}的邻居长期{a}，严重影响其家人休息和正常生活，多次上门沟通未果，请求{vc}里出面协调。',
	 ARRAY['深夜装修噪音大', '在楼道堆放杂物', '饲养大型犬只扰民', '空调外机正对卧室窗户', '厨房油烟直排', '在房前饲养家禽'],
	 ARRAY['经网格员上门调解，邻居承诺整改，现已恢复正常', '{vc}调委会组织双方面谈，邻居已按约定整改到位', '经调解双方达成书面协议并签字确认，问题已解决']),
	('MED_NEIGHBOUR', 'D10', 4, '邻居违章搭建{a}',
	 '{v}{vm}反映：{p}有邻居未经审批在房前屋后违章搭建{a}，占用公共通道，影响通行和采光，请求处理。',
	 ARRAY['彩钢棚', '简易厕所', '杂物间', '围墙', '车棚'], ARRAY['经综合执法部门现场核查，违章搭建的{a}已责令拆除', '经{vc}里协调，当事人已自行拆除违章搭建部分，通道恢复畅通']),
	('MED_NEIGHBOUR', 'D12', 3, '邻里排水纠纷',
	 '{v}{vm}反映：邻居翻建房屋时将排水管接到其家院子里，下雨时院内积水严重，双方协商无果，请求调解。',
	 ARRAY[]::text[], ARRAY['经{vc}干部现场察看并调解，邻居已重新铺设排水管', '双方同意共同出资修建排水沟，积水问题已解决']),
	('MED_NEIGHBOUR', 'D12', 2, '邻居种植{a}遮挡采光',
	 '{v}{vm}反映：邻居在两家交界处种植{a}，枝叶遮挡其家采光，落叶堵塞排水沟，协商多次未果。',
	 ARRAY['香樟树', '竹子', '桂花树', '葡萄架'], ARRAY['经调解，邻居同意修剪{a}并定期清理落叶', '{vc}调委会组织双方协商，已将{a}移栽，双方满意']),
	('MED_FAMILY', 'D12', 3, '赡养老人纠纷',
	 '{v}{vm}反映：其母亲年过八旬，家中{k}个子女因赡养费分摊和轮流照料问题长期争执，老人生活无人照料。',
	 ARRAY[]::text[], ARRAY['经{vc}调委会和司法所联合调解，子女签订赡养协议，约定每月赡养费和轮流照料时间', '调解后子女同意每人每月支付赡养费，老人由长子照料']),
	('MED_FAMILY', 'D12', 3, '家庭矛盾需要调解',
	 '{v}{vm}反映：夫妻双方因{a}问题多次争吵，已影响到子女学习生活，请求{vc}妇联和调委会介入调解。',
	 ARRAY['家庭经济开支', '赡养父母', '子女教育', '一方沉迷赌博', '外出务工长期分居'], ARRAY['经妇联和调委会耐心调解，夫妻双方表示互相谅解、和好如初', '经多次调解，双方就{a}问题达成一致']),
	('MED_FAMILY', 'D02', 2, '家庭财产分割纠纷',
	 '{v}{vm}反映：父亲去世后，兄弟姐妹之间因{a}的分割问题产生矛盾，要求{vc}里主持公道。',
	 ARRAY['宅基地房屋', '拆迁安置款', '征地补偿款', '老人存款'], ARRAY['经调解，兄弟姐妹就{a}分割达成协议，已在调委会见证下签字', '已引导当事人通过法律援助中心咨询继承事宜，双方同意按法定继承分割']),
	('MED_LAND', 'D05', 4, '宅基地界址纠纷',
	 '{v}{vm}反映：与邻户因宅基地界址不清发生争执，对方翻建房屋时越界约{a}米，双方多次争吵。',
	 ARRAY['0.5', '0.8', '1', '1.2', '1.5'], ARRAY['经自然资源所现场测量确界，对方同意按原界址退让', '经调解双方按测绘结果重新确定界址，矛盾化解']),
	('MED_LAND', 'D06', 3, '承包地边界纠纷',
	 '{v}{vm}反映：其家承包地与相邻农户之间的田埂被对方挖掉，边界不清，要求重新确界。',
	 ARRAY[]::text[], ARRAY['经{vc}股份经济合作社对照承包合同重新确界，双方认可', '已会同农业部门现场确认边界并重新埋设界桩']),
	('MED_LAND', 'D06', 2, '滩涂养殖区域争议',
	 '{v}{vm}反映：其承包的滩涂养殖区域被他人占用养殖{a}，双方对承包范围有争议。',
	 ARRAY['蛏子', '蛤蜊', '对虾', '紫菜'], ARRAY['经核对承包合同和测绘图，占用方已退出争议区域', '经调解双方对养殖范围达成一致，签订协议']),
	('MED_LABOUR', 'D03', 4, '工资被拖欠',
	 '{v}{vm}反映：其在{a}务工，企业拖欠{k}个月工资共计约{n}元，多次讨要未果。',
	 ARRAY['本地一家阀门厂', '一家鞋厂', '一处建筑工地', '一家服装加工厂', '一家眼镜厂'],
	 ARRAY['经劳动监察部门介入，企业已全额支付拖欠工资', '经协调企业分两期支付拖欠工资，首期已到账', '已指导当事人申请劳动仲裁，仲裁调解后企业已支付']),
	('MED_LABOUR', 'D03', 2, '工伤赔偿纠纷',
	 '{v}{vm}反映：其家人在{a}上班时受伤，企业拒绝承担医疗费用，也未缴纳工伤保险。',
	 ARRAY['本地一家阀门厂', '一家鞋厂', '一处建筑工地', '一家汽摩配件厂'], ARRAY['经人社部门协调，企业已垫付医疗费并协助申报工伤认定', '已指导当事人申请工伤认定，企业同意承担相应赔偿']),
	('MED_LABOUR', 'D03', 2, '劳动合同纠纷',
	 '{v}{vm}反映：所在企业未与其签订劳动合同即将其辞退，也未支付经济补偿。',
	 ARRAY[]::text[], ARRAY['经劳动监察部门约谈，企业已补发经济补偿', '已帮助当事人申请劳动仲裁，双方在仲裁庭调解下达成协议']),
	('MED_CONDUCT', 'D01', 3, '反映{vc}干部工作作风问题',
	 '{v}{vm}反映：{vc}干部办事拖拉，{a}，群众意见较大，要求调查处理。',
	 ARRAY['低保评定不公开', '集体资金使用不透明', '办事需要多次跑腿', '对群众态度生硬'], ARRAY['经调查核实，已对相关干部进行批评教育并责令整改', '经核查反映情况部分属实，已督促{vc}两委整改并公开相关事项']),
	('MED_CONDUCT', 'D01', 2, '{vc}务公开不及时',
	 '{v}{vm}反映：{vc}集体{a}情况长期未公开，群众无从了解，要求按规定公开。',
	 ARRAY['土地租金收支', '工程项目招投标', '征地补偿款分配', '资产出租'], ARRAY['已督促{vc}两委在公开栏和民情e站公开{a}情况', '经核查，{vc}里已补充公开近两年{a}明细']),
	('MED_DEMOLITION', 'D05', 3, '征地补偿标准异议',
	 '{v}{vm}反映：{a}项目征收其家承包地，对补偿标准有异议，认为低于周边同类地块。',
	 ARRAY['瓯江口新区道路', '机场扩建', '滨海园区', '高铁站场', '污水管网'], ARRAY['经征收部门解释补偿依据并复核面积，当事人表示理解', '经复核补偿面积有误，已按实际面积补足补偿款']),
	('MED_DEMOLITION', 'D04', 2, '拆迁安置房分配问题',
	 '{v}{vm}反映：旧村改造拆迁安置房分配方案不明确，其家{k}口人仅分到一套安置房，要求说明依据。',
	 ARRAY[]::text[], ARRAY['已向当事人解释安置政策和人口认定标准，并公开分配方案', '经复核当事人家庭符合增配条件，已按政策增配安置面积']),
	('MED_DEMOLITION', 'D04', 2, '拆迁过渡费未按时发放',
	 '{v}{vm}反映：旧村改造项目过渡费已拖欠{k}个月未发放，租房负担较重。',
	 ARRAY[]::text[], ARRAY['经协调，拖欠的过渡费已全部发放到位', '已督促项目指挥部按月发放过渡费，欠款已补发']),
	-- 政策咨询中心
	('POL_INSURANCE', 'D03', 4, '城乡居民医保缴费咨询',
	 '{v}{vm}咨询：{a}城乡居民医疗保险的缴费标准、缴费时间和缴费方式。',
	 ARRAY['今年', '明年度', '家中老人', '新生儿'], ARRAY['已告知缴费标准及缴费期，可在{vc}便民服务点或通过浙里办缴纳', '已告知{a}参保缴费流程和所需材料']),
	('POL_INSURANCE', 'D03', 3, '养老保险待遇咨询',
	 '{v}{vm}咨询：其已年满60周岁，如何申领城乡居民基本养老保险待遇，需要准备哪些材料。',
	 ARRAY[]::text[], ARRAY['已告知申领条件和材料，并协助在{vc}便民服务点提交申请', '已帮助办理待遇申领，次月起按月发放']),
	('POL_INSURANCE', 'D03', 2, '异地就医备案咨询',
	 '{v}{vm}咨询：家人在{a}住院，如何办理异地就医备案和医保报销。',
	 ARRAY['上海', '杭州', '宁波', '外省'], ARRAY['已告知通过浙里办办理异地就医备案的步骤，当事人已备案成功', '已协助当事人家属办理备案及报销手续']),
	('POL_INSURANCE', 'D03', 2, '被征地农民养老保险',
	 '{v}{vm}咨询：被征地农民参加基本养老保险的条件和补缴办法。',
	 ARRAY[]::text[], ARRAY['已告知参保条件和补缴标准，并指导准备材料', '已核实当事人符合参保条件，协助办理参保手续']),
	('POL_RELIEF', 'D02', 4, '申请最低生活保障',
	 '{v}{vm}反映：家中{a}，生活困难，希望申请最低生活保障。',
	 ARRAY['丈夫患重病长期住院', '老人瘫痪在床', '子女残疾无劳动能力', '主要劳动力因车祸致残'],
	 ARRAY['已入户核查家庭经济状况，符合条件，低保申请已审批通过', '经核查家庭收入超过标准，不符合低保条件，已协助申请临时救助']),
	('POL_RELIEF', 'D02', 3, '临时救助申请',
	 '{v}{vm}反映：家中突遭{a}，生活陷入困境，申请临时救助。',
	 ARRAY['火灾', '重大疾病', '意外事故', '台风损毁房屋'], ARRAY['已按程序审批，临时救助金已发放', '已发放临时救助金并链接慈善资源帮扶']),
	('POL_RELIEF', 'D02', 2, '残疾人补贴咨询',
	 '{v}{vm}咨询：残疾人两项补贴的申领条件和办理流程。',
	 ARRAY[]::text[], ARRAY['已告知申领条件和流程，协助提交申请', '已核实当事人符合条件，补贴已按月发放']),
	('POL_FAMILY_PLANNING', 'D07', 2, '生育登记咨询',
	 '{v}{vm}咨询：生育{a}需要办理哪些登记手续。',
	 ARRAY['二孩', '三孩', '第一个孩子'], ARRAY['已告知可通过浙里办线上办理生育登记', '已协助当事人完成生育登记']),
	('POL_FAMILY_PLANNING', 'D07', 2, '计生奖扶政策咨询',
	 '{v}{vm}咨询：农村部分计划生育家庭奖励扶助的申报条件和发放标准。',
	 ARRAY[]::text[], ARRAY['已告知申报条件和发放标准，当事人符合条件，已协助申报', '经核实当事人暂不符合年龄条件，已告知满60周岁后申报']),
	('POL_FAMILY_PLANNING', 'D07', 2, '育儿补贴政策咨询',
	 '{v}{vm}咨询：三孩育儿补贴的申领条件和办理渠道。',
	 ARRAY[]::text[], ARRAY['已告知申领条件和办理渠道', '已协助当事人在线提交育儿补贴申请']),
	('POL_RURAL', 'D06', 3, '耕地地力保护补贴咨询',
	 '{v}{vm}咨询：今年耕地地力保护补贴为何尚未到账，发放标准是多少。',
	 ARRAY[]::text[], ARRAY['经核实补贴已于近日发放到一卡通账户，已告知发放标准', '经核查系银行账户信息有误，已更正并补发']),
	('POL_RURAL', 'D06', 3, '土地流转政策咨询',
	 '{v}{vm}咨询：承包地流转给{a}需要办理什么手续，流转费如何约定。',
	 ARRAY['种植大户', '家庭农场', '{vc}股份经济合作社', '农业合作社'], ARRAY['已告知土地流转程序，提供规范合同文本', '已协助双方签订土地流转合同并备案']),
	('POL_RURAL', 'D05', 3, '农房翻建审批咨询',
	 '{v}{vm}咨询：老房子年久失修，翻建农房需要办理哪些审批手续。',
	 ARRAY[]::text[], ARRAY['已告知农房翻建审批流程和所需材料', '已指导当事人向街道提交翻建申请']),
	('POL_EMPLOYMENT', 'D03', 3, '就业技能培训咨询',
	 '{v}{vm}咨询：{a}是否有免费的职业技能培训，如何报名。',
	 ARRAY['失业人员', '退役军人', '大龄妇女', '残疾人'], ARRAY['已告知近期培训班安排，当事人已报名', '已推荐当事人参加区人社局组织的免费技能培训']),
	('POL_EMPLOYMENT', 'D03', 2, '创业担保贷款咨询',
	 '{v}{vm}咨询：想开办{a}，能否申请创业担保贷款及贴息。',
	 ARRAY['网店', '小吃店', '农家乐', '养殖场', '电商服务站'], ARRAY['已告知创业担保贷款申请条件和流程', '已协助当事人提交贷款申请，已获批']),
	('POL_EMPLOYMENT', 'D03', 2, '灵活就业社保补贴咨询',
	 '{v}{vm}咨询：灵活就业人员社会保险补贴的申领条件。',
	 ARRAY[]::text[], ARRAY['已告知申领条件和材料', '经核实当事人符合条件，已协助申领补贴']),
	('POL_HUKOU', 'D11', 3, '子女落户咨询',
	 '{v}{vm}咨询：孩子出生后{a}落户需要哪些材料。',
	 ARRAY['随父', '随母', '在外地出生后'], ARRAY['已告知落户所需材料，可到派出所户籍窗口办理', '已协助当事人预约户籍窗口办理']),
	('POL_HUKOU', 'D11', 2, '户口迁移咨询',
	 '{v}{vm}咨询：{a}户口迁入本{vc}需要什么条件。',
	 ARRAY['外嫁女', '大学毕业生', '退伍军人', '投靠子女的老人'], ARRAY['已告知户口迁入条件和办理流程', '经核实符合迁入条件，已协助办理迁移手续']),
	-- 便民服务中心
	('SVC_LICENCE', 'D09', 3, '办理营业执照',
	 '{v}{vm}咨询：想开办{a}，需要办理营业执照，想了解办理流程和所需材料。',
	 ARRAY['小卖部', '理发店', '早餐店', '快递代收点'], ARRAY['已指导当事人在线申请，营业执照已办结', '已告知办理流程并协助准备材料，执照已领取']),
	('SVC_LICENCE', 'D11', 2, '老人身份证补办',
	 '{v}{vm}反映：家中老人身份证{a}，行动不便，希望能上门办理。',
	 ARRAY['遗失', '过期', '损坏'], ARRAY['派出所民警已上门为老人采集信息，新证已送达', '已预约上门办证服务，身份证已办好']),
	('SVC_LICENCE_ENQUIRY', 'D09', 5, '证件办理材料咨询',
	 '{v}{vm}咨询：办理{a}需要携带哪些材料、到哪里办理。',
	 ARRAY['居住证', '老年优待证', '残疾证', '社保卡', '不动产权证'], ARRAY['已当场告知办理{a}所需材料及办理地点', '已当场告知，{a}可通过浙里办网上办理']),
	('SVC_LICENCE_ENQUIRY', 'D09', 3, '办事时间咨询',
	 '{v}{vm}咨询：{a}的办公时间和办理窗口。',
	 ARRAY['区行政服务中心', '街道便民服务中心', '不动产登记中心'], ARRAY['已当场告知{a}的办公时间和窗口位置']),
	('SVC_UTILITIES', 'D04', 4, '自来水{a}',
	 '{v}{vm}反映：{p}一带自来水{a}已有{k}天，影响日常生活，请尽快处理。',
	 ARRAY['停水', '水压不足', '水质浑浊'], ARRAY['经供水公司抢修，{p}一带供水已恢复正常', '已更换损坏的管道阀门，水压恢复正常']),
	('SVC_UTILITIES', 'D04', 3, '线路老化经常停电',
	 '{v}{vm}反映：{p}电力线路老化，经常跳闸停电，夏季用电高峰更加严重。',
	 ARRAY[]::text[], ARRAY['供电所已对{p}线路进行改造，用电恢复正常', '已更换老化线路和变压器开关']),
	('SVC_UTILITIES', 'D04', 2, '燃气管道有异味',
	 '{v}{vm}反映：{p}燃气管道附近有异味，担心存在泄漏隐患，请尽快检修。',
	 ARRAY[]::text[], ARRAY['燃气公司已上门检测并更换老化接口，无泄漏隐患', '已修复泄漏点并对周边管道进行检测']),
	('SVC_ENVIRONMENT', 'D10', 4, '道路破损坑洼',
	 '{v}{vm}反映：{p}道路破损严重，坑洼积水，电动车和行人通行困难。',
	 ARRAY[]::text[], ARRAY['已对{p}破损路面进行修补，通行恢复正常', '已列入今年道路提升工程，先行修补了坑洼路面']),
	('SVC_ENVIRONMENT', 'D10', 4, '垃圾清运不及时',
	 '{v}{vm}反映：{p}垃圾桶满溢，垃圾清运不及时，气味难闻，蚊蝇滋生。',
	 ARRAY[]::text[], ARRAY['已增加清运频次至每日两次，并增设垃圾桶', '已督促保洁公司及时清运，现场已清理干净']),
	('SVC_ENVIRONMENT', 'D10', 3, '河道有人偷排{a}',
	 '{v}{vm}反映：{p}河道有人偷排{a}，河水发黑发臭。',
	 ARRAY['生活污水', '养殖废水', '工业废水'], ARRAY['经执法部门排查，已封堵偷排口并对责任人立案处理', '已对河道进行清淤，偷排问题已整改']),
	('SVC_ENVIRONMENT', 'D04', 2, '路灯损坏',
	 '{v}{vm}反映：{p}路段有{k}盏路灯损坏，夜间出行不便，存在安全隐患。',
	 ARRAY[]::text[], ARRAY['已更换损坏的路灯，夜间照明恢复', '已对{p}路段路灯进行维修']),
	('SVC_SAFETY', 'D11', 3, '电动车楼道充电隐患',
	 '{v}{vm}反映：{p}出租房内有住户将电动车推入楼道充电，存在火灾隐患。',
	 ARRAY[]::text[], ARRAY['已联合派出所开展检查，清理楼道电动车，并增设集中充电桩', '已责令房东整改，出租房楼道已清理']),
	('SVC_SAFETY', 'D11', 3, '夜间治安问题',
	 '{v}{vm}反映：{p}夜间常有{a}，影响治安，请求加强巡逻。',
	 ARRAY['不明人员聚集', '车辆被盗', '醉酒闹事', '飙车噪音'], ARRAY['派出所已加强夜间巡逻，并在{p}增设监控探头', '已组织平安志愿者夜间巡逻，情况明显好转']),
	('SVC_SAFETY', 'D11', 2, '消防通道被占用',
	 '{v}{vm}反映：{p}消防通道长期被车辆和杂物占用，存在安全隐患。',
	 ARRAY[]::text[], ARRAY['已清理占用消防通道的杂物并施划禁停标线', '已督促物业清理通道并加强日常管理']),
	('SVC_CARE', 'D02', 3, '独居老人需要关爱',
	 '{v}{vm}反映：{vc}里独居老人{a}，生活不便，希望安排志愿者定期上门探望。',
	 ARRAY['年近九旬', '患有慢性病', '行动不便', '子女常年在外'], ARRAY['已安排党员志愿者结对，每周上门探望一次', '已将老人纳入居家养老服务对象，提供助餐和定期探访']),
	('SVC_CARE', 'D08', 2, '留守儿童课后看护',
	 '{v}{vm}反映：{vc}里留守儿童较多，放学后无人看管，希望开设{a}。',
	 ARRAY['四点半课堂', '暑期托管班', '儿童之家'], ARRAY['已在{vc}文化礼堂开设{a}，由志愿者轮流值守', '已协调学校和团委开设{a}']),
	('SVC_CARE', 'D02', 2, '居家养老服务申请',
	 '{v}{vm}咨询：如何申请居家养老服务补贴和老年食堂助餐服务。',
	 ARRAY[]::text[], ARRAY['已协助当事人完成居家养老服务评估，补贴已发放', '已为老人办理助餐服务']),
	('SVC_OTHER', 'D09', 3, '购买商品质量问题',
	 '{v}{vm}反映：在{p}一家超市购买的{a}存在质量问题，商家拒绝退换。',
	 ARRAY['电动车电池', '燃气灶', '冰箱', '电热水器'], ARRAY['经市场监管所调解，商家已同意退货退款', '经调解商家已为当事人更换{a}']),
	('SVC_OTHER', 'D09', 2, '公交班次太少',
	 '{v}{vm}建议：{vc}里到{a}的公交班次太少，希望增加班次或调整线路。',
	 ARRAY['永强客运站', '区行政中心', '温州火车南站', '龙湾国际机场'], ARRAY['已将建议转交公交公司，高峰时段已增加班次', '公交公司已调整线路，增设{v}站点']),
	('SVC_OTHER', 'D09', 2, '快递代收点服务差',
	 '{v}{vm}反映：{vc}里快递代收点{a}，服务态度差。',
	 ARRAY['乱收费', '经常丢件', '不送货上门'], ARRAY['已约谈快递网点负责人，代收点已整改', '已责令代收点停止违规收费并公示收费标准'])
	) AS t(code, dept, weight, title, content, fill, results);
ANALYZE mq_tpl;

-- Template slots: 1000 per group, each template by its weight. Groups:
-- any (everything), disp (no immediate matters), days (commitments in
-- working days), key (key/complex categories).
CREATE TEMP TABLE mq_slot ON COMMIT DROP AS
WITH t AS (
	SELECT g.grp, t.tid, t.weight,
	       sum(t.weight) OVER (PARTITION BY g.grp ORDER BY t.tid) - t.weight AS lo,
	       sum(t.weight) OVER (PARTITION BY g.grp) AS tot
	  FROM mq_tpl t
	  JOIN mq_commit c ON c.code = t.code AND c.level = 'village'
	 CROSS JOIN (VALUES ('any'), ('disp'), ('days'), ('key')) AS g(grp)
	 WHERE CASE g.grp WHEN 'any' THEN true
	                  WHEN 'disp' THEN t.code <> 'SVC_LICENCE_ENQUIRY'
	                  WHEN 'days' THEN t.code NOT IN ('SVC_LICENCE_ENQUIRY', 'SVC_UTILITIES')
	                  ELSE c.is_key END
)
SELECT t.grp, s AS slot, t.tid
  FROM t CROSS JOIN generate_series(0, 999) AS s
 WHERE s >= floor(1000.0 * t.lo / t.tot) AND s < floor(1000.0 * (t.lo + t.weight) / t.tot);
ANALYZE mq_slot;

-- Notes people write, by kind.
CREATE TEMP TABLE mq_words ON COMMIT DROP AS
SELECT * FROM (VALUES
	('progress', ARRAY['已上门核实情况，正在协调处理', '已约双方当事人到{vc}委会面谈', '已联系相关部门到现场查看', '已电话联系当事人了解具体诉求', '正在协调相关单位，落实处理方案', '已召开协调会，初步形成处理意见']),
	('overdue', ARRAY['涉及多个部门，协调时间较长', '当事人外出务工，无法及时联系', '需等待上级部门审批', '现场勘查受天气影响推迟', '双方分歧较大，经多次调解才达成一致', '需要测绘和核查，耗时较长']),
	('report', ARRAY['已电话告知办理结果', '已上门告知办理结果', '已短信和电话告知当事人', '在民情恳谈会上当面反馈']),
	('reopen', ARRAY['群众反映问题未彻底解决', '群众对处理结果不认可，要求重新处理', '回访时发现问题反复，群众不满意']),
	('withdraw', ARRAY['当事人表示问题已自行解决', '群众来电要求撤回', '双方已私下达成和解', '经解释群众表示理解，不再要求处理']),
	('pause', ARRAY['等待当事人提供相关证明材料', '当事人外出，待其返回后处理', '需当事人补充身份证和户口簿复印件', '等待当事人确认处理方案']),
	('extension', ARRAY['涉及多个部门，需延长办理时限', '需等待测绘结果', '当事人要求延期协商', '需提交{vc}民代表会议讨论']),
	('decision', ARRAY['同意延期', '同意延期，请抓紧办理', '情况属实，同意延期']),
	('place', ARRAY['村口', '老街', '东头', '西头', '菜市场附近', '祠堂附近', '新村', '安置小区', '河边', '学校附近', '工业区', '文化礼堂旁']))
	AS w(kind, words);

------------------------------------------------------------------------------
-- Units, their handlers, officers and stations
------------------------------------------------------------------------------
-- Per unit: the first handler by staff_id (whom case_dispatch names), the
-- officers, the station (the village station; a town's own station).
CREATE TEMP TABLE mq_unit ON COMMIT DROP AS
SELECT u.unit_id, u.code, u.name, u.kind, u.level, u.path, u.parent_id,
       h.staff_id AS h_id, h.login AS h_login, ha.ids AS h_ids, ha.logins AS h_logins,
       coalesce(o.ids, '{}') AS o_ids, coalesce(o.logins, '{}') AS o_logins,
       (SELECT min(st.station_id) FROM minqing.station st WHERE st.unit_id = u.unit_id) AS station_id
  FROM minqing.org_unit u
  LEFT JOIN LATERAL (SELECT s.staff_id, s.login FROM minqing.staff s
                      WHERE s.unit_id = u.unit_id AND s.duty = 'handler' AND s.active
                      ORDER BY s.staff_id LIMIT 1) h ON true
  LEFT JOIN LATERAL (SELECT array_agg(s.staff_id ORDER BY s.staff_id) AS ids,
                            array_agg(s.login::text ORDER BY s.staff_id) AS logins
                       FROM minqing.staff s
                      WHERE s.unit_id = u.unit_id AND s.duty = 'handler' AND s.active) ha ON true
  LEFT JOIN LATERAL (SELECT array_agg(s.staff_id ORDER BY s.staff_id) AS ids,
                            array_agg(s.login::text ORDER BY s.staff_id) AS logins
                       FROM minqing.staff s
                      WHERE s.unit_id = u.unit_id AND s.duty = 'officer' AND s.active) o ON true
 WHERE u.district_id = 1 AND u.kind IN ('town', 'street', 'village', 'community', 'department');
CREATE UNIQUE INDEX ON mq_unit (unit_id);
CREATE UNIQUE INDEX ON mq_unit (code);
ANALYZE mq_unit;
ALTER TABLE mq_tpl ADD COLUMN dept_id integer;
UPDATE mq_tpl t SET dept_id = u.unit_id FROM mq_unit u WHERE u.code = t.dept;

-- Open profiles: how the cases that are not resolved are spread, by largest
-- remainder of these weights (at scale 1 exactly these numbers).
CREATE TEMP TABLE mq_prof ON COMMIT DROP AS
WITH w(prof, wt, ord) AS (
	VALUES ('withdrawn', 6, 1), ('received', 4, 2), ('waiting', 4, 3), ('yellow', 3, 4), ('orange', 3, 5),
	       ('red', 3, 6), ('key_orange', 2, 7), ('accepted', 3, 8), ('dispatched', 4, 9), ('in_progress', 4, 10)
), o AS (
	SELECT n - n_res AS n_open FROM mq_p
), f AS (
	SELECT w.*, floor(o.n_open * w.wt / 36.0)::bigint AS base,
	       o.n_open * w.wt / 36.0 - floor(o.n_open * w.wt / 36.0) AS rem, o.n_open
	  FROM w CROSS JOIN o
), r AS (
	SELECT f.*, f.base + CASE WHEN row_number() OVER (ORDER BY f.rem DESC, f.ord)
	                               <= f.n_open - sum(f.base) OVER () THEN 1 ELSE 0 END AS cnt
	  FROM f
)
SELECT prof, ord, cnt, (sum(cnt) OVER (ORDER BY ord) - cnt)::bigint AS off FROM r;
ANALYZE mq_prof;

-- Each household's proxy (全程代理) as case_dispatch picks it: the linked
-- party member, else the earliest representative.
CREATE TEMP TABLE mq_proxy ON COMMIT DROP AS
SELECT DISTINCT ON (l.household_id) l.household_id, l.contact_resident_id AS proxy
  FROM minqing.household_link l
 ORDER BY l.household_id, l.contact_kind = 'party_member' DESC, l.since;
CREATE UNIQUE INDEX ON mq_proxy (household_id);
ANALYZE mq_proxy;

------------------------------------------------------------------------------
-- The cases: who, what, where, and when in working time
------------------------------------------------------------------------------
-- g numbers the cases as generated (1..n_res resolved, then the open
-- profiles); case_id is given later in the order of created_at. Times are
-- first placed in working time W (seconds of office hours; K = working days
-- before today, so working day K-1 is the last one before today and starts
-- at W = (K-1)*len), then turned into timestamps.
-- (The generated rows are estimated far too few; nested loops over them
-- would cost minutes at scale 10.)
SET LOCAL enable_nestloop = off;
CREATE TEMP TABLE mq_a ON COMMIT DROP AS
WITH base AS (
	SELECT g.g,
	       CASE WHEN g.g <= p.n_res THEN 'res'
	            ELSE (SELECT pr.prof FROM mq_prof pr WHERE g.g > p.n_res + pr.off
	                                                   AND g.g <= p.n_res + pr.off + pr.cnt) END AS prof,
	       g.g - p.n_res - coalesce((SELECT pr.off FROM mq_prof pr WHERE g.g > p.n_res + pr.off
	                                                                AND g.g <= p.n_res + pr.off + pr.cnt), 0) AS pi,
	       pg_temp.mq_h('c1', g.g) AS c1, pg_temp.mq_h('c2', g.g) AS c2, pg_temp.mq_h('c3', g.g) AS c3,
	       pg_temp.mq_h('c4', g.g) AS c4, pg_temp.mq_h('c5', g.g) AS c5, pg_temp.mq_h('c6', g.g) AS c6,
	       pg_temp.mq_h('c7', g.g) AS c7, pg_temp.mq_h('c8', g.g) AS c8, pg_temp.mq_h('c9', g.g) AS c9,
	       pg_temp.mq_h('c10', g.g) AS c10, pg_temp.mq_h('c11', g.g) AS c11
	  FROM mq_p p CROSS JOIN generate_series(1, p.n) AS g(g)
	OFFSET 0
), who AS (
	-- The household (uniform, so villages weigh by their size), its village
	-- and town; received at the village (by an officer) or at the town.
	SELECT b.*, hh.household_id AS hid, hh.head_resident_id AS head, hh.phone AS hh_phone,
	       v.unit_id AS v_id, v.parent_id AS t_id,
	       b.prof = 'accepted' OR (b.prof <> 'accepted' AND pg_temp.mq_f(b.c2, 2) < 0.10) AS at_town,
	       CASE WHEN pg_temp.mq_f(b.c2, 1) < 0.80 THEN 'res'
	            WHEN pg_temp.mq_f(b.c2, 1) < 0.95 THEN 'named' ELSE 'anon' END AS sub,
	       s.tid
	  FROM base b
	  JOIN mq_p p ON true
	  JOIN minqing.household hh ON hh.household_id = 1 + (b.c1 & 4611686018427387903) % p.n_hh
	  JOIN mq_unit v ON v.unit_id = hh.unit_id
	  JOIN mq_slot s ON s.grp = CASE WHEN b.prof IN ('res', 'received') THEN 'any'
	                                 WHEN b.prof IN ('withdrawn', 'waiting') THEN 'disp'
	                                 WHEN b.prof = 'key_orange' THEN 'key' ELSE 'days' END
	                AND s.slot = floor(pg_temp.mq_f(b.c2, 0) * 1000)::integer
	OFFSET 0
), what AS (
	SELECT w.*, t.code AS cat_code, c.category_id, c.centre, t.dept_id,
	       c.is_key OR (w.prof IN ('res', 'withdrawn', 'waiting') AND pg_temp.mq_f(w.c4, 2) < 0.01) AS is_key,
	       -- how a resolved case went: at once, or dispatched
	       CASE WHEN w.prof <> 'res' THEN NULL
	            WHEN pg_temp.mq_f(w.c3, 2) < CASE WHEN t.code = 'SVC_LICENCE_ENQUIRY' THEN 1.0
	                                              WHEN c.centre = 'policy' THEN 0.35
	                                              WHEN t.code IN ('SVC_LICENCE', 'SVC_OTHER') THEN 0.2
	                                              WHEN c.centre = 'service' THEN 0.05 ELSE 0.02 END
	            THEN 'imm' ELSE 'disp' END AS path,
	       -- how far a withdrawn case got
	       CASE WHEN w.prof <> 'withdrawn' THEN NULL
	            WHEN pg_temp.mq_f(w.c3, 2) < 0.45 THEN 'received'
	            WHEN pg_temp.mq_f(w.c3, 2) < 0.60 THEN 'accepted'
	            WHEN pg_temp.mq_f(w.c3, 2) < 0.80 THEN 'dispatched' ELSE 'in_progress' END AS wd_from
	  FROM who w
	  JOIN mq_tpl t ON t.tid = w.tid
	  JOIN mq_commit c ON c.code = t.code AND c.level = 'village'
	OFFSET 0
), route AS (
	-- Where it is handled: the village, its town or the department of the
	-- matter; key cases go to the town or the department, and the open
	-- cases not yet overdue too (see the header).
	SELECT w.*,
	       CASE WHEN w.prof = 'received' OR w.path = 'imm' OR w.wd_from IN ('received', 'accepted')
	                 OR w.prof = 'accepted' THEN NULL
	            WHEN w.is_key OR w.prof IN ('dispatched', 'in_progress', 'key_orange')
	            THEN CASE WHEN pg_temp.mq_f(w.c3, 1) < 0.5 THEN 't' ELSE 'd' END
	            WHEN pg_temp.mq_f(w.c3, 1) < CASE w.centre WHEN 'mediation' THEN 0.60 WHEN 'policy' THEN 0.45 ELSE 0.65 END
	            THEN 'v'
	            WHEN pg_temp.mq_f(w.c3, 1) < CASE w.centre WHEN 'mediation' THEN 0.85 WHEN 'policy' THEN 0.70 ELSE 0.85 END
	            THEN 't' ELSE 'd' END AS to_kind
	  FROM what w
	OFFSET 0
), units AS (
	SELECT r.*, CASE WHEN r.at_town THEN r.t_id ELSE r.v_id END AS o_id,
	       CASE r.to_kind WHEN 'v' THEN r.v_id WHEN 't' THEN r.t_id
	                      WHEN 'd' THEN r.dept_id END AS a_id
	  FROM route r
	OFFSET 0
), levels AS (
	SELECT u.*, ou.level AS o_level, coalesce(au.level, ou.level) AS c_level
	  FROM units u
	  JOIN mq_unit ou ON ou.unit_id = u.o_id
	  LEFT JOIN mq_unit au ON au.unit_id = u.a_id
	OFFSET 0
), commit AS (
	-- The commitment the clock runs under: of the assigned unit's level, or
	-- of the receiving unit's while the case is only accepted.
	SELECT u.*, k.kind AS c_kind, k.amount AS c_amount,
	       CASE WHEN u.prof = 'res' AND u.path = 'disp' AND NOT u.is_key
	                 AND pg_temp.mq_f(u.c5, 2) < 0.02 THEN true ELSE false END AS reopen,
	       CASE WHEN u.prof = 'res' AND u.path = 'disp' AND NOT u.is_key AND u.to_kind = 'v'
	                 AND pg_temp.mq_f(u.c5, 2) BETWEEN 0.02 AND 0.04 THEN true ELSE false END AS ext,
	       CASE WHEN u.is_key AND u.prof = 'res' AND pg_temp.mq_f(u.c4, 2) < 0.4 THEN 'orange'
	            WHEN u.prof = 'key_orange' OR (u.prof = 'red' AND u.is_key) THEN 'orange'
	            ELSE 'none' END::minqing.warning_level AS warn0
	  FROM levels u
	  JOIN mq_commit k ON k.category_id = u.category_id AND k.level = u.c_level
	OFFSET 0
), placed AS (
	SELECT c.*, pg_temp.mq_cum(p.today) AS kk, p.len, p.t_ref AS t_now, p.w_ref AS wnow,
	       -- the last working day the clock may have started on, counting back
	       -- b working days from today (see the header for the bounds)
	       CASE WHEN c.prof IN ('dispatched', 'in_progress', 'key_orange', 'accepted')
	            THEN 1 + (c.c11 & 1023) % greatest(1, least(c.c_amount - 4, floor(0.8 * c.c_amount - 2.71)::integer))
	            WHEN c.prof = 'yellow' THEN 2 + c.c_amount
	            WHEN c.prof = 'orange' THEN 4 + c.pi % 2 + c.c_amount
	            WHEN c.prof = 'red' THEN 8 + (c.c11 & 1023) % 18 + c.c_amount
	            WHEN c.prof = 'waiting' THEN 1 + (c.c11 & 1023) % 8 END AS back
	  FROM commit c CROSS JOIN mq_p p
	OFFSET 0
)
SELECT x.*,
       -- created (resolved and withdrawn: over the year before; received: hours ago)
       CASE WHEN x.prof IN ('res', 'withdrawn')
            THEN least(((((x.t_now - interval '365 days') AT TIME ZONE p.tz)::date
                        + floor(pg_temp.mq_f(x.c4, 0) * (extract(epoch FROM x.lim - (x.t_now - interval '365 days')) / 86400))::integer)
                        + make_interval(secs => floor(CASE WHEN x.channel = 'hotline' THEN 27000 + pg_temp.mq_f(x.c4, 1) * 50400
                                                           ELSE 28800 + pg_temp.mq_f(x.c4, 1) * 36000 END)))
                       AT TIME ZONE p.tz, x.lim)
            WHEN x.prof = 'received' THEN pg_temp.mq_tw(x.wnow - 300 - floor(pg_temp.mq_f(x.c4, 0) * 0.8 * x.len))
       END AS created0,
       -- the clock's start (accept or dispatch) of the open cases, in W
       CASE WHEN x.back IS NOT NULL
            THEN (x.kk - x.back) * x.len + 1800 + floor(pg_temp.mq_f(x.c6, 1) * (x.len - 3600)) END AS w_start
  FROM (SELECT pl.*,
               (ARRAY['walk_in', 'walk_in', 'walk_in', 'hotline', 'hotline', 'party_visit', 'party_visit',
                      'station_terminal', 'station_terminal', 'dialogue_meeting', 'email', 'letter', 'walk_in',
                      'hotline', 'party_visit', 'dialogue_meeting'])[1 + floor(pg_temp.mq_f(pl.c3, 0) * 16)::integer]
                 ::minqing.case_channel AS channel,
               CASE WHEN pl.prof = 'withdrawn' THEN p.lim_wd ELSE p.lim_res END AS lim
          FROM placed pl CROSS JOIN mq_p p OFFSET 0) x
 CROSS JOIN mq_p p;
RESET enable_nestloop;
ANALYZE mq_a;

-- The timeline. Working-time positions (w*) are turned into timestamps by
-- mq_tw, deadlines come from mq_due/mq_awd, each on plain columns of the
-- layer below (OFFSET 0 keeps the layers apart, so the replicas inline).
-- Slots of the timeline, in this order, which is also the order in time:
-- intake, resolve_at_once, accept, dispatch, start, resolve (1st round),
-- report_back, reopen, start (2nd round), extension_requested/_approved,
-- progress x2, reminder, yellow, orange, red, pause, resolve, report_back,
-- close, withdraw.
CREATE TEMP TABLE mq_b ON COMMIT DROP AS
WITH t1 AS (
	SELECT a.*,
	       CASE WHEN a.prof = 'received' THEN NULL
	            WHEN a.w_start IS NULL THEN pg_temp.mq_wt(a.created0)
	            WHEN a.prof = 'accepted' THEN a.w_start - 600 - floor(pg_temp.mq_f(a.c6, 0) * 7200)
	            ELSE a.w_start - 900 - floor(pg_temp.mq_f(a.c6, 0) * 5000) - floor(pg_temp.mq_f(a.c6, 2) * 15000) END AS wc0
	  FROM mq_a a
	OFFSET 0
), t2 AS (
	-- accept and dispatch
	SELECT t.*,
	       CASE WHEN t.prof = 'received' OR t.path = 'imm' OR t.wd_from = 'received' THEN NULL
	            WHEN t.prof = 'accepted' THEN t.w_start
	            WHEN t.w_start IS NOT NULL THEN t.w_start - 300 - floor(pg_temp.mq_f(t.c6, 0) * 5000)
	            ELSE t.wc0 + 600 + floor(pg_temp.mq_f(t.c6, 0) * 0.6 * t.len) END AS wa,
	       CASE WHEN t.a_id IS NULL THEN NULL
	            WHEN t.w_start IS NOT NULL THEN t.w_start
	            ELSE t.wc0 + 600 + floor(pg_temp.mq_f(t.c6, 0) * 0.6 * t.len) + 300
	                 + floor(pg_temp.mq_f(t.c6, 1) * 7200) END AS wd
	  FROM t1 t
	OFFSET 0
), t3 AS (
	SELECT t.*, coalesce(t.created0, pg_temp.mq_tw(t.wc0)) AS created_at,
	       pg_temp.mq_tw(t.wa) AS accepted_at, pg_temp.mq_tw(t.wd) AS dispatched_at,
	       pg_temp.mq_tw(coalesce(t.wd, t.wa)) AS start0
	  FROM t2 t
	OFFSET 0
), t4 AS (
	-- the deadline of the first clock (accept, then dispatch)
	SELECT t.*, pg_temp.mq_due(t.c_kind, t.c_amount, t.start0) AS due0,
	       CASE WHEN t.ext THEN (2 + (t.c11 >> 12 & 1023) % 3)::integer END AS ext_days
	  FROM t3 t
	OFFSET 0
), t5 AS (
	SELECT t.*, pg_temp.mq_wt(t.due0) AS wdue0,
	       CASE WHEN t.ext THEN pg_temp.mq_awd(t.due0, t.ext_days) END AS due1
	  FROM t4 t
	OFFSET 0
), t6 AS (
	-- first round: start, the approved extension, the reopened case's first
	-- resolution and the reopening; the withdrawal
	SELECT t.*, coalesce(pg_temp.mq_wt(t.due1), t.wdue0) AS wdue1,
	       CASE WHEN t.wd IS NULL OR t.prof = 'dispatched' OR t.prof = 'key_orange' AND t.pi % 2 = 1
	                 OR t.prof IN ('yellow', 'orange', 'red') AND t.pi % 3 = 0 OR t.wd_from = 'dispatched'
	            THEN NULL
	            WHEN t.prof IN ('res', 'withdrawn')
	            THEN t.wd + least(600 + floor(pg_temp.mq_f(t.c6, 2) * 7200), floor(0.1 * (t.wdue0 - t.wd)))
	            ELSE t.wd + least(600 + floor(pg_temp.mq_f(t.c6, 2) * 5400), floor(0.3 * (t.wnow - t.wd))) END AS ws1
	  FROM t5 t
	OFFSET 0
), t7 AS (
	SELECT t.*,
	       CASE WHEN t.reopen THEN greatest(t.wd + floor((0.25 + 0.45 * pg_temp.mq_f(t.c11, 1)) * (t.wdue0 - t.wd)),
	                                        t.ws1 + 1200) END AS wr1,
	       CASE t.wd_from WHEN 'received' THEN t.wc0 + 1800 + floor(pg_temp.mq_f(t.c7, 0) * t.len)
	                      WHEN 'accepted' THEN t.wa + 600 + floor(pg_temp.mq_f(t.c7, 0) * 0.4 * t.len)
	                      WHEN 'dispatched' THEN t.wd + 600 + floor(pg_temp.mq_f(t.c7, 0) * 0.5 * (t.wdue0 - t.wd))
	                      WHEN 'in_progress' THEN t.ws1 + 600 + floor(pg_temp.mq_f(t.c7, 0) * 0.5 * (t.wdue0 - t.wd)) END AS ww
	  FROM t6 t
	OFFSET 0
), t8 AS (
	SELECT t.*, t.wr1 + 300 + floor(pg_temp.mq_f(t.c11, 2) * 0.5 * t.len) AS wrp1,
	       t.wr1 + 300 + floor(pg_temp.mq_f(t.c11, 2) * 0.5 * t.len) + 600 + floor(pg_temp.mq_f(t.c11, 0) * t.len) AS wro
	  FROM t7 t
	OFFSET 0
), t9 AS (
	SELECT t.*, pg_temp.mq_tw(t.wro) AS reopen_at FROM t8 t OFFSET 0
), t10 AS (
	SELECT t.*, CASE WHEN t.reopen THEN pg_temp.mq_due(t.c_kind, t.c_amount, t.reopen_at) END AS due2 FROM t9 t OFFSET 0
), t11 AS (
	-- the final clock: started (s), deadline (due, W dw)
	SELECT t.*, coalesce(t.due2, t.due1, t.due0) AS due_at,
	       coalesce(pg_temp.mq_wt(t.due2), t.wdue1) AS dw,
	       coalesce(t.wro, t.wd, t.wa) AS w_s,
	       coalesce(t.reopen_at, t.dispatched_at, t.accepted_at) AS started_at,
	       CASE WHEN t.reopen THEN t.wro + 600 + floor(pg_temp.mq_f(t.c6, 2) * 3600) ELSE t.ws1 END AS ws
	  FROM t10 t
	OFFSET 0
), t12 AS (
	-- the resolution of resolved cases: on time mostly (a share of the
	-- time), late sometimes; never later than half an hour before now
	SELECT t.*,
	       CASE WHEN t.prof <> 'res' OR t.path = 'imm' THEN NULL
	            ELSE greatest(t.w_s + (t.dw - t.w_s) *
	                          CASE WHEN NOT t.reopen AND pg_temp.mq_f(t.c5, 1) < CASE WHEN t.is_key THEN 0.15 ELSE 0.07 END
	                               THEN 1.02 + 1.6 * pg_temp.mq_f(t.c5, 0) ^ 2
	                               WHEN t.ext THEN 0.4 + 0.55 * pg_temp.mq_f(t.c5, 0)
	                               ELSE 0.2 + 0.75 * pg_temp.mq_f(t.c5, 0) END,
	                          t.ws + 1200) END AS wr_raw,
	       -- the reminder's position (for placing progress notes before it)
	       CASE WHEN t.warn0 = 'none' AND t.dw > t.w_s THEN t.w_s + p.f_rem * (t.dw - t.w_s) ELSE t.dw END AS w_rem,
	       -- the extension: asked and approved early, before the old reminder
	       CASE WHEN t.ext THEN t.ws + 0.15 * (t.wd + p.f_rem * (t.wdue0 - t.wd) - t.ws) END AS wx1_res,
	       CASE WHEN t.ext THEN floor(t.ws + 0.30 * (t.wd + p.f_rem * (t.wdue0 - t.wd) - t.ws)) END AS wx2
	  FROM t11 t CROSS JOIN mq_p p
	OFFSET 0
), t13 AS (
	SELECT t.*,
	       CASE WHEN t.wr_raw > t.wnow - 1800
	            THEN floor(t.ws + (t.wnow - 1800 - t.ws) * (0.3 + 0.6 * pg_temp.mq_f(t.c5, 0)))
	            ELSE floor(t.wr_raw) END AS wr,
	       -- the end of the time the pass could act on the case
	       CASE WHEN t.prof IN ('accepted', 'dispatched', 'in_progress', 'key_orange', 'yellow', 'orange', 'red')
	            THEN t.wnow END AS w_open
	  FROM t12 t
	OFFSET 0
), t14 AS (
	SELECT t.*,
	       -- progress notes (after the start and any extension, before the
	       -- reminder and the resolution)
	       least(coalesce(t.wr, t.w_open, t.ww, t.wnow), t.w_rem) AS w_lim,
	       t.wr + 300 + floor(pg_temp.mq_f(t.c7, 0) * 0.8 * t.len) AS wrp,
	       -- pending extensions: some open cases in progress
	       CASE WHEN t.ws IS NOT NULL AND (t.prof = 'in_progress' AND t.pi % 4 = 1 OR t.prof = 'yellow' AND t.pi % 3 = 1)
	            THEN true ELSE false END AS ext_pending
	  FROM t13 t
	OFFSET 0
), t15 AS (
	SELECT t.*,
	       CASE WHEN t.ws IS NULL OR t.prof IN ('withdrawn', 'waiting') OR pg_temp.mq_f(t.c8, 0) >= 0.5 THEN NULL
	            ELSE floor(coalesce(t.wx2, t.ws) + CASE WHEN t.ext_pending THEN 0.5 ELSE 0.35 END
	                                              * (t.w_lim - coalesce(t.wx2, t.ws))) END AS wp1,
	       CASE WHEN t.ws IS NULL OR t.prof <> 'res' OR pg_temp.mq_f(t.c8, 0) >= 0.2 THEN NULL
	            ELSE floor(coalesce(t.wx2, t.ws) + 0.7 * (t.w_lim - coalesce(t.wx2, t.ws))) END AS wp2,
	       CASE WHEN t.ext THEN floor(t.wx1_res)
	            WHEN t.ext_pending THEN floor(t.ws + 0.2 * (t.w_lim - t.ws)) END AS wx1,
	       CASE WHEN t.prof = 'waiting'
	            THEN floor(t.ws + (0.2 + 0.4 * pg_temp.mq_f(t.c7, 1)) * (least(t.dw, t.wnow) - t.ws)) END AS wpa,
	       t.wrp + 300 + floor(pg_temp.mq_f(t.c7, 1) * 1.2 * t.len) AS wcl
	  FROM t14 t
	OFFSET 0
), t16 AS (
	-- to timestamps
	SELECT t.*,
	       pg_temp.mq_tw(t.ws1) AS start1_at, pg_temp.mq_tw(t.ws) AS start_at,
	       pg_temp.mq_tw(t.wr1) AS resolved1_at, pg_temp.mq_tw(t.wrp1) AS reported1_at,
	       pg_temp.mq_tw(t.wx1) AS ext_req_at, pg_temp.mq_tw(t.wx2) AS ext_dec_at,
	       pg_temp.mq_tw(t.wp1) AS progress1_at, pg_temp.mq_tw(t.wp2) AS progress2_at,
	       pg_temp.mq_tw(t.wpa) AS paused_at, pg_temp.mq_tw(t.ww) AS withdrawn_at,
	       CASE WHEN t.path = 'imm' THEN t.created_at + make_interval(secs => 300 + floor(pg_temp.mq_f(t.c5, 0) * 2100))
	            ELSE pg_temp.mq_tw(t.wr) END AS resolved_at,
	       CASE WHEN t.path = 'imm' THEN NULL ELSE pg_temp.mq_tw(t.wrp) END AS reported_w_at,
	       CASE WHEN t.path = 'imm' THEN NULL ELSE pg_temp.mq_tw(t.wcl) END AS closed_w_at,
	       -- the escalation steps, in W
	       CASE WHEN t.warn0 = 'none' AND t.dw > t.w_s THEN t.w_s + p.f_rem * (t.dw - t.w_s) END AS w_r,
	       t.dw + p.d_ora * t.len AS w_o, t.dw + p.d_red * t.len AS w_rd,
	       -- the stored schedule's reminder (also of cases that start at orange)
	       CASE WHEN t.dw > t.w_s THEN t.w_s + p.f_rem * (t.dw - t.w_s) END AS w_sr
	  FROM t15 t CROSS JOIN mq_p p
	OFFSET 0
), t17 AS (
	SELECT t.*,
	       least(pg_temp.mq_tw(t.w_r), t.due_at) AS step_r,
	       CASE WHEN t.warn0 < 'yellow' THEN t.due_at END AS step_y,
	       CASE WHEN t.warn0 < 'orange' THEN pg_temp.mq_tw(t.w_o) END AS step_o,
	       pg_temp.mq_tw(t.w_rd) AS step_rd,
	       -- the schedule the bookkeeping trigger stores (escalation_due_at)
	       CASE WHEN t.started_at >= t.due_at THEN t.due_at ELSE least(pg_temp.mq_tw(t.w_sr), t.due_at) END AS sched_r,
	       pg_temp.mq_tw(t.w_o) AS sched_o,
	       CASE WHEN t.path = 'imm' THEN pg_temp.mq_wt(t.resolved_at) END AS w_imm,
	       -- report back and close of the resolved ones
	       CASE WHEN t.path = 'imm' THEN t.resolved_at + make_interval(secs => 60 + floor(pg_temp.mq_f(t.c7, 0) * 600))
	            ELSE t.reported_w_at END AS reported_x,
	       CASE WHEN t.path = 'imm' THEN t.resolved_at + make_interval(secs => 120 + floor(pg_temp.mq_f(t.c7, 0) * 600)
	                                                                          + floor(pg_temp.mq_f(t.c7, 1) * 3600))
	            ELSE t.closed_w_at END AS closed_x
	  FROM t16 t CROSS JOIN mq_p p
	OFFSET 0
), t18 AS (
	-- Which steps the pass took: it runs every 5 minutes and acts on a
	-- case still open then; for cases open now, every step due by now.
	-- (An immediate matter's schedule counts from its resolution.)
	SELECT t.*,
	       CASE WHEN t.path = 'imm' THEN pg_temp.mq_tw(t.w_imm + p.d_ora * t.len) ELSE t.sched_o END AS orange_at,
	       CASE WHEN t.path = 'imm' THEN pg_temp.mq_tw(t.w_imm + p.d_red * t.len) ELSE t.step_rd END AS red_at,
	       CASE WHEN t.w_open IS NOT NULL THEN t.t_now
	            WHEN t.prof = 'res' THEN t.resolved_at
	            WHEN t.prof = 'waiting' THEN t.paused_at
	            WHEN t.prof = 'withdrawn' THEN t.withdrawn_at END AS stop_at
	  FROM t17 t CROSS JOIN mq_p p
	OFFSET 0
), t19 AS (
	SELECT t.*,
	       CASE WHEN t.w_open IS NOT NULL THEN least(pg_temp.mq_pass(t.step_r), t.t_now) ELSE pg_temp.mq_pass(t.step_r) END AS p_r,
	       CASE WHEN t.w_open IS NOT NULL THEN least(pg_temp.mq_pass(t.step_y), t.t_now) ELSE pg_temp.mq_pass(t.step_y) END AS p_y,
	       CASE WHEN t.w_open IS NOT NULL THEN least(pg_temp.mq_pass(t.step_o), t.t_now) ELSE pg_temp.mq_pass(t.step_o) END AS p_o,
	       CASE WHEN t.w_open IS NOT NULL THEN least(pg_temp.mq_pass(t.step_rd), t.t_now) ELSE pg_temp.mq_pass(t.step_rd) END AS p_rd
	  FROM t18 t
	OFFSET 0
), t20 AS (
	SELECT t.*,
	       t.started_at IS NOT NULL AND t.path IS DISTINCT FROM 'imm' AND t.stop_at IS NOT NULL
	       AND t.step_r IS NOT NULL AND t.due_at > t.p_r
	       AND CASE WHEN t.w_open IS NOT NULL THEN t.step_r <= t.stop_at ELSE t.p_r < t.stop_at END AS tk_r,
	       t.started_at IS NOT NULL AND t.path IS DISTINCT FROM 'imm' AND t.stop_at IS NOT NULL AND t.step_y IS NOT NULL
	       AND CASE WHEN t.w_open IS NOT NULL THEN t.step_y <= t.stop_at ELSE t.p_y < t.stop_at END AS tk_y,
	       t.started_at IS NOT NULL AND t.path IS DISTINCT FROM 'imm' AND t.stop_at IS NOT NULL AND t.step_o IS NOT NULL
	       AND CASE WHEN t.w_open IS NOT NULL THEN t.step_o <= t.stop_at ELSE t.p_o < t.stop_at END AS tk_o,
	       t.started_at IS NOT NULL AND t.path IS DISTINCT FROM 'imm' AND t.stop_at IS NOT NULL
	       AND CASE WHEN t.w_open IS NOT NULL THEN t.step_rd <= t.stop_at ELSE t.p_rd < t.stop_at END AS tk_rd
	  FROM t19 t
)
SELECT t.*,
       CASE WHEN t.tk_rd THEN 'red' WHEN t.tk_o THEN 'orange' WHEN t.tk_y THEN 'yellow'
            ELSE t.warn0::text END::minqing.warning_level AS warning_level,
       CASE WHEN t.tk_r THEN t.p_r WHEN t.tk_y THEN t.p_y WHEN t.tk_o THEN t.p_o WHEN t.tk_rd THEN t.p_rd END AS reminded_at,
       CASE t.prof
            WHEN 'res' THEN CASE WHEN t.closed_x <= t.t_now THEN 'closed' WHEN t.reported_x <= t.t_now THEN 'reported'
                                 ELSE 'resolved' END
            WHEN 'yellow' THEN CASE WHEN t.pi % 3 = 0 THEN 'dispatched' ELSE 'in_progress' END
            WHEN 'orange' THEN CASE WHEN t.pi % 3 = 0 THEN 'dispatched' ELSE 'in_progress' END
            WHEN 'red' THEN CASE WHEN t.pi % 3 = 0 THEN 'dispatched' ELSE 'in_progress' END
            WHEN 'key_orange' THEN CASE WHEN t.pi % 2 = 1 THEN 'dispatched' ELSE 'in_progress' END
            ELSE t.prof END::minqing.case_status AS status,
       CASE t.wd_from WHEN 'in_progress' THEN 'in_progress' WHEN 'dispatched' THEN 'dispatched'
                      WHEN 'accepted' THEN 'accepted' ELSE 'received' END::minqing.case_status AS withdrawn_from,
       row_number() OVER (ORDER BY t.created_at, t.g) AS case_id
  FROM t20 t;

-- The texts of a case from its template.
CREATE FUNCTION pg_temp.mq_fill(t text, a text, p text, k text, n text, v text, vm text, vc text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN replace(replace(replace(replace(replace(replace(replace(t, '{a}', a), '{p}', p), '{k}', k), '{n}', n),
                                       '{v}', v), '{vm}', vm), '{vc}', vc);

-- A word of a list of mq_words, filled in for the case.
CREATE FUNCTION pg_temp.mq_word(words text[], h bigint, vc text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN replace(words[1 + (h & 1023) % cardinality(words)], '{vc}', vc);

-- Which slots of the timeline each case has (pres, a bit per slot; see
-- mq_b), how many events that makes and the first event's place, and the
-- number of the extension: running sums in case_id order, worked out on
-- these few columns (sorting the wide rows of mq_c would spill a gigabyte
-- at scale 10).
CREATE TEMP TABLE mq_pres ON COMMIT DROP AS
SELECT x.case_id, x.pres, bit_count(x.pres::bit(32))::integer AS nev,
       sum(bit_count(x.pres::bit(32))) OVER (ORDER BY x.case_id) - bit_count(x.pres::bit(32)) AS ev0,
       CASE WHEN x.ext_req_at IS NOT NULL
            THEN count(*) FILTER (WHERE x.ext_req_at IS NOT NULL) OVER (ORDER BY x.case_id) END AS xid
  FROM (SELECT b.case_id, b.ext_req_at,
                 1
               | CASE WHEN b.path = 'imm' THEN 1 << 1 ELSE 0 END
               | CASE WHEN b.accepted_at IS NOT NULL THEN 1 << 2 ELSE 0 END
               | CASE WHEN b.dispatched_at IS NOT NULL THEN 1 << 3 ELSE 0 END
               | CASE WHEN b.start1_at IS NOT NULL THEN 1 << 4 ELSE 0 END
               | CASE WHEN b.reopen THEN (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) ELSE 0 END
               | CASE WHEN b.ext_req_at IS NOT NULL THEN 1 << 9 ELSE 0 END
               | CASE WHEN b.ext THEN 1 << 10 ELSE 0 END
               | CASE WHEN b.progress1_at IS NOT NULL THEN 1 << 11 ELSE 0 END
               | CASE WHEN b.progress2_at IS NOT NULL THEN 1 << 12 ELSE 0 END
               | CASE WHEN b.tk_r THEN 1 << 13 ELSE 0 END
               | CASE WHEN b.tk_y THEN 1 << 14 ELSE 0 END
               | CASE WHEN b.tk_o THEN 1 << 15 ELSE 0 END
               | CASE WHEN b.tk_rd THEN 1 << 16 ELSE 0 END
               | CASE WHEN b.paused_at IS NOT NULL THEN 1 << 17 ELSE 0 END
               | CASE WHEN b.prof = 'res' AND b.path = 'disp' THEN 1 << 18 ELSE 0 END
               | CASE WHEN b.status IN ('reported', 'closed') THEN 1 << 19 ELSE 0 END
               | CASE WHEN b.status = 'closed' THEN 1 << 20 ELSE 0 END
               | CASE WHEN b.prof = 'withdrawn' THEN 1 << 21 ELSE 0 END AS pres
          FROM mq_b b) x;
ANALYZE mq_pres;

-- What the cases, events and messages need, one row per case: the actors,
-- the resident, the proxy, and which slots of the timeline the case has (pres
-- from mq_pres; event ids are ev0 + the number of slots up to each one, so
-- they follow the case and the time). (In case_id order as mq_b is, which the
-- hash joins keep, without sorting the wide rows again; nothing depends on
-- the order but the cases' place on disk.)
CREATE TEMP TABLE mq_c ON COMMIT DROP AS
WITH x AS (
	SELECT b.case_id, b.g, b.prof, b.pi, b.c7, b.c8, b.c9, b.c10, b.c11, b.hid, b.head, b.hh_phone, b.sub,
	       b.v_id, b.t_id, b.o_id, b.a_id, b.tid, b.category_id, b.cat_code, b.is_key, b.channel, b.path, b.reopen,
	       b.ext, b.ext_days, b.ext_pending, b.warn0, b.c_kind, b.c_amount, b.at_town,
	       b.created_at, b.accepted_at, b.dispatched_at, b.start1_at, b.resolved1_at, b.reported1_at, b.reopen_at,
	       b.start_at, b.ext_req_at, b.ext_dec_at, b.progress1_at, b.progress2_at, b.paused_at, b.withdrawn_at,
	       b.resolved_at, b.reported_x, b.closed_x, b.started_at, b.due_at, b.due0, b.p_r, b.p_y, b.p_o, b.p_rd,
	       b.tk_r, b.tk_y, b.tk_o, b.tk_rd, b.warning_level, b.reminded_at, b.status, b.withdrawn_from,
	       b.step_r, b.step_o, b.step_rd, b.sched_r, b.orange_at, b.red_at,
	       coalesce(b.ext_days, (2 + (b.c11 >> 22 & 1023) % 4)::integer) AS xdays,
	       CASE WHEN pg_temp.mq_f(b.c10, 2) < 0.03 THEN 'very_urgent'
	            WHEN pg_temp.mq_f(b.c10, 2) < 0.15 THEN 'urgent' ELSE 'normal' END::minqing.urgency AS urgency,
	       pr.pres, pr.nev, pr.ev0, pr.xid
	  FROM mq_b b
	  JOIN mq_pres pr ON pr.case_id = b.case_id
), y AS (
SELECT x.*,
       -- who entered it (an officer of the village, else its handler; the
       -- town's handler), who triaged it (a handler of the town), who handles it
       CASE WHEN x.at_town THEN t.h_login
            WHEN cardinality(v.o_logins) > 0 THEN v.o_logins[1 + (x.c10 & 1023) % cardinality(v.o_logins)]
            ELSE v.h_login END AS entry_login,
       CASE WHEN x.at_town THEN t.h_id
            WHEN cardinality(v.o_ids) > 0 THEN v.o_ids[1 + (x.c10 & 1023) % cardinality(v.o_ids)]
            ELSE v.h_id END AS entry_id,
       t.h_logins[1 + (x.c10 >> 10 & 1023) % cardinality(t.h_logins)] AS triage_login,
       t.h_ids[1 + (x.c10 >> 10 & 1023) % cardinality(t.h_ids)] AS triage_id,
       a.h_login AS a_login, a.h_id AS a_hid, a.code AS a_code, a.name AS a_name, a.path AS a_path,
       o.path AS o_path, o.name AS o_name, o.station_id,
       v.name AS v_name, v.kind AS v_kind,
       CASE WHEN x.dispatched_at IS NOT NULL AND NOT x.is_key AND x.sub = 'res' THEN px.proxy END AS proxy,
       'LW-' || to_char(x.created_at AT TIME ZONE (SELECT tz FROM mq_p), 'YYYY') || '-'
             || lpad(x.case_id::text, greatest(6, length(x.case_id::text)), '0') AS case_no
  FROM x
  JOIN mq_unit v ON v.unit_id = x.v_id
  JOIN mq_unit t ON t.unit_id = x.t_id
  JOIN mq_unit o ON o.unit_id = x.o_id
  LEFT JOIN mq_unit a ON a.unit_id = x.a_id
  LEFT JOIN mq_proxy px ON px.household_id = x.hid
	OFFSET 0
)
-- the texts (the same for the case, its events and its messages) and the
-- submitter: a resident of the archive (the head, or the spouse), a name and
-- maybe a phone, or nobody
SELECT y.*, f.*,
       pg_temp.mq_fill(tp.title, f.fa, f.fp, f.fk, f.fn, y.v_name, f.vm, f.vc) AS title,
       pg_temp.mq_fill(tp.content, f.fa, f.fp, f.fk, f.fn, y.v_name, f.vm, f.vc) AS content,
       CASE WHEN y.prof = 'res'
            THEN pg_temp.mq_fill(tp.results[1 + (y.c8 >> 20 & 1023) % cardinality(tp.results)],
                                 f.fa, f.fp, f.fk, f.fn, y.v_name, f.vm, f.vc) END AS result,
       CASE WHEN y.reopen
            THEN pg_temp.mq_fill(tp.results[1 + ((y.c8 >> 20 & 1023) + 1) % cardinality(tp.results)],
                                 f.fa, f.fp, f.fk, f.fn, y.v_name, f.vm, f.vc) END AS result1,
       CASE WHEN y.paused_at IS NOT NULL THEN pg_temp.mq_word(wp.words, y.c8 >> 30, f.vc) END AS pause_reason,
       CASE WHEN y.status = 'closed'
            THEN CASE WHEN pg_temp.mq_f(y.c7, 2) < CASE WHEN y.reopen THEN 0.5 ELSE 0.86 END
                      THEN 'satisfied' ELSE 'basically_satisfied' END::minqing.satisfaction
            WHEN y.reopen THEN 'not_satisfied' END AS satisfaction,
       CASE WHEN y.sub = 'res' THEN r.resident_id END AS resident_id,
       CASE y.sub WHEN 'res' THEN r.name
                  WHEN 'named' THEN pg_temp.mq_surname(y.c10 >> 20)
                                    || pg_temp.mq_given(y.c10 & 1 = 1, y.c10 >> 30)
                                    || CASE WHEN y.c10 >> 50 & 3 < 3 THEN pg_temp.mq_given(y.c10 & 1 = 1, y.c10 >> 40)
                                            ELSE '' END END AS sub_name,
       CASE y.sub WHEN 'res' THEN coalesce(r.phone, y.hh_phone)
                  WHEN 'named' THEN CASE WHEN y.c11 >> 50 & 15 < 14 THEN pg_temp.mq_mobile(y.c11) END END AS sub_phone
  FROM y
  JOIN mq_tpl tp ON tp.tid = y.tid
 CROSS JOIN (SELECT words FROM mq_words WHERE kind = 'pause') wp
 CROSS JOIN (SELECT words FROM mq_words WHERE kind = 'place') wpl
 CROSS JOIN LATERAL (
	SELECT coalesce(tp.fill[1 + (y.c9 & 1023) % greatest(1, cardinality(tp.fill))], '') AS fa,
	       wpl.words[1 + (y.c9 >> 10 & 1023) % cardinality(wpl.words)] AS fp,
	       (2 + (y.c9 >> 20 & 1023) % 5)::text AS fk,
	       ((5 + (y.c9 >> 30 & 1023) % 56) * 1000 + (y.c9 >> 40 & 7) * 100)::text AS fn,
	       CASE WHEN y.v_kind = 'community' THEN '居民' ELSE '村民' END AS vm,
	       CASE WHEN y.v_kind = 'community' THEN '社区' ELSE '村' END AS vc) f
  LEFT JOIN minqing.resident sp ON y.sub = 'res' AND sp.resident_id = y.head + 1 AND sp.household_id = y.hid
                               AND sp.relation = 'spouse'
  LEFT JOIN minqing.resident r ON y.sub = 'res'
                              AND r.resident_id = CASE WHEN sp.resident_id IS NOT NULL AND pg_temp.mq_f(y.c7, 0) < 0.35
                                                       THEN sp.resident_id ELSE y.head END;
ANALYZE mq_c;
DROP TABLE mq_b;
DROP TABLE mq_a;

------------------------------------------------------------------------------
-- Bulk load: no triggers (every derived column is filled here), secondary
-- indexes dropped and rebuilt at the end as in 30_people.sql (the bigram GIN
-- of case_search built once, afterwards, rather than grown a million times).
------------------------------------------------------------------------------
SET LOCAL session_replication_role = replica;

SELECT pg_temp.mq_drop_indexes('{cases,case_event,case_extension,outbox,case_search,case_due}',
                               '{cases_open_due,cases_open_status,cases_open_created,cases_report_open,'
                               'cases_received_path,cases_received_due,cases_station_open,cases_origin_todo,'
                               'cases_assigned_todo,cases_handler_todo,cases_handler_triage,cases_origin_open,'
                               'cases_assigned_open,cases_origin_open_created,cases_warning_due,'
                               'cases_origin_warning,cases_assigned_warning,case_event_red,case_event_reopen,'
                               'case_event_urge,case_event_urge_case,case_extension_one_pending,outbox_due,'
                               'outbox_dead,outbox_readback,outbox_caused_by,outbox_phone_caused}');

-- The statement triggers that keep the search rows, the escalation queue,
-- the report summaries, the cases entered per person (entry_count) and the
-- stations' open cases (station_open_count) fire in replica mode too (ENABLE ALWAYS: they must
-- never disagree with the cases). For the bulk inserts they are dropped (see
-- pg_temp.mq_drop_triggers): each would keep a transition table of a million
-- rows, and work through it case by case (text_bigrams,
-- working_seconds_between and a look-up of the calendar per case: four
-- fifths of the load at scale 10). What they would have written is written
-- below in one pass each (case_search, report_case_day, report_case_hours,
-- report_case_mark, entry_count, station_open_count; case_due by its update
-- trigger, which stays), and they
-- are back, ENABLE ALWAYS, before the end of the script.
SELECT pg_temp.mq_drop_triggers('{cases,case_event}',
                                '{case_search_insert,case_due_insert,report_cases_insert,report_events_insert,'
                                 'entry_count_insert,station_open_count_insert}');

-- The keys no foreign key refers to (the messages' dedupe key, the
-- timeline's, the search rows' and the summaries' primary keys) are taken off
-- and put back the same way: one sorted build instead of millions of
-- insertions. (The summaries' keys after the cases' update below: its
-- trigger needs them.)
CREATE TEMP TABLE mq_saved_unique (tab text, conname text, def text, comment text, index_comment text) ON COMMIT DROP;

CREATE FUNCTION pg_temp.mq_drop_keys(p_tables regclass[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	x record;
BEGIN
	FOR x IN SELECT k.conrelid::regclass::text AS tab, k.conname, pg_get_constraintdef(k.oid) AS def,
	                obj_description(k.oid, 'pg_constraint') AS comment,
	                obj_description(k.conindid, 'pg_class') AS index_comment
	           FROM pg_constraint k
	          WHERE k.conrelid = ANY (p_tables) AND k.contype IN ('p', 'u')
	            AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = k.conindid)
	          ORDER BY 1, 2 LOOP
		INSERT INTO mq_saved_unique VALUES (x.tab, x.conname, x.def, x.comment, x.index_comment);
		EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', x.tab, x.conname);
	END LOOP;
END
$$;

SELECT pg_temp.mq_drop_keys('{minqing.outbox,minqing.case_event,minqing.case_search}');

INSERT INTO minqing.cases (case_id, district_id, case_no, channel, station_id, origin_unit_id, origin_path,
                           household_id, resident_id, submitter_name, submitter_phone, anonymous, title, content,
                           category_id, urgency, is_key, status, assigned_unit_id, assigned_path, handler_staff_id,
                           proxy_resident_id, commitment_kind, commitment_amount, started_at, due_at, paused_at,
                           pause_reason, warning_level, reminded_at, remind_at, yellow_at, orange_at, red_at,
                           next_escalation_at, accepted_at, dispatched_at,
                           resolved_at, result, overdue_reason, reported_at, closed_at, satisfaction, entered_by,
                           row_version, created_at, updated_at)
OVERRIDING SYSTEM VALUE
SELECT c.case_id, 1, c.case_no, c.channel, c.station_id, c.o_id, c.o_path,
       CASE WHEN c.sub = 'res' THEN c.hid END, c.resident_id, c.sub_name, c.sub_phone, c.sub = 'anon',
       c.title, c.content,
       c.category_id, c.urgency, c.is_key, c.status,
       c.a_id, c.a_path,
       CASE WHEN c.path = 'imm' THEN c.entry_id WHEN c.a_id IS NOT NULL THEN c.a_hid
            WHEN c.accepted_at IS NOT NULL THEN c.triage_id END,
       c.proxy,
       CASE WHEN c.path = 'imm' THEN 'immediate' WHEN c.started_at IS NOT NULL THEN c.c_kind END,
       CASE WHEN c.path = 'imm' THEN NULL WHEN c.started_at IS NOT NULL THEN c.c_amount END,
       coalesce(c.started_at, CASE WHEN c.path = 'imm' THEN c.resolved_at END),
       coalesce(c.due_at, CASE WHEN c.path = 'imm' THEN c.resolved_at END),
       c.paused_at, c.pause_reason,
       c.warning_level, c.reminded_at,
       CASE WHEN c.path = 'imm' THEN c.resolved_at ELSE c.sched_r END,
       CASE WHEN c.path = 'imm' THEN c.resolved_at ELSE c.due_at END,
       c.orange_at, c.red_at, NULL,
       coalesce(c.accepted_at, CASE WHEN c.path = 'imm' THEN c.resolved_at END),
       c.dispatched_at,
       CASE WHEN c.prof = 'res' THEN c.resolved_at END,
       c.result,
       CASE WHEN c.prof = 'res' AND c.resolved_at > c.due_at THEN pg_temp.mq_word(wo.words, c.c8 >> 40, c.vc) END,
       CASE WHEN c.status IN ('reported', 'closed') THEN c.reported_x END,
       CASE WHEN c.status = 'closed' THEN c.closed_x WHEN c.status = 'withdrawn' THEN c.withdrawn_at END,
       c.satisfaction,
       c.entry_login,
       -- one version per change: every slot but the intake, progress notes
       -- and extension requests
       c.nev - bit_count((c.pres & ((1 << 0) | (1 << 9) | (1 << 11) | (1 << 12)))::bit(32))::integer + 1,
       c.created_at,
       greatest(c.created_at, c.accepted_at, c.dispatched_at, c.start1_at, c.reported1_at, c.reopen_at, c.start_at,
                c.ext_dec_at, CASE WHEN c.tk_r THEN c.p_r END, CASE WHEN c.tk_y THEN c.p_y END,
                CASE WHEN c.tk_o THEN c.p_o END, CASE WHEN c.tk_rd THEN c.p_rd END, c.paused_at, c.withdrawn_at,
                CASE WHEN c.prof = 'res' THEN c.resolved_at END,
                CASE WHEN c.status IN ('reported', 'closed') THEN c.reported_x END,
                CASE WHEN c.status = 'closed' THEN c.closed_x END)
  FROM mq_c c
 CROSS JOIN (SELECT words FROM mq_words WHERE kind = 'overdue') wo;

-- Extension requests: approved ones of resolved cases, pending ones of open
-- cases; decided by the town above the village (case_decide_extension).
INSERT INTO minqing.case_extension (extension_id, case_id, district_id, requested_by, requested_at, reason,
                                    working_days, decision, decided_by, decided_at, decision_note)
OVERRIDING SYSTEM VALUE
SELECT c.xid, c.case_id, 1, c.a_login, c.ext_req_at,
       pg_temp.mq_word(we.words, c.c8 >> 50, CASE WHEN c.v_kind = 'community' THEN '社区' ELSE '村' END),
       c.xdays, CASE WHEN c.ext THEN 'approved' END, CASE WHEN c.ext THEN c.triage_login END,
       c.ext_dec_at, CASE WHEN c.ext THEN pg_temp.mq_word(wd.words, c.c8 >> 55, '') END
  FROM mq_c c
  JOIN mq_words we ON we.kind = 'extension'
  JOIN mq_words wd ON wd.kind = 'decision'
 WHERE c.xid IS NOT NULL
 ORDER BY c.xid;

-- The timeline: one event per slot the case has, as case_log writes them.
CREATE TEMP TABLE mq_slotname ON COMMIT DROP AS
SELECT (s.bit - 1)::integer AS bit, s.kind, s.fr::minqing.case_status AS fr, s.tt::minqing.case_status AS tt, s.actor
  FROM unnest(ARRAY['intake', 'resolve_at_once', 'accept', 'dispatch', 'start', 'resolve', 'report_back', 'reopen',
                    'start', 'extension_requested', 'extension_approved', 'progress', 'progress', 'reminder',
                    'warning', 'warning', 'warning', 'pause', 'resolve', 'report_back', 'close', 'withdraw'],
              ARRAY[NULL, 'received', 'received', 'accepted', 'dispatched', 'in_progress', 'resolved', 'reported',
                    'dispatched', 'in_progress', 'in_progress', 'in_progress', 'in_progress', NULL, NULL, NULL, NULL,
                    'in_progress', 'in_progress', 'resolved', 'reported', NULL],
              ARRAY['received', 'resolved', 'accepted', 'dispatched', 'in_progress', 'resolved', 'reported',
                    'dispatched', 'in_progress', 'in_progress', 'in_progress', 'in_progress', 'in_progress', NULL,
                    NULL, NULL, NULL, 'waiting', 'resolved', 'reported', 'closed', 'withdrawn'],
              ARRAY['entry', 'entry', 'triage', 'triage', 'handler', 'handler', 'entry', 'entry', 'handler',
                    'handler', 'triage', 'handler', 'handler', 'system', 'system', 'system', 'system', 'handler',
                    'handler', 'entry', 'entry', 'entry'])
       WITH ORDINALITY AS s(kind, fr, tt, actor, bit);
ANALYZE mq_slotname;

-- Each set of slots the cases have (a few hundred) with its slots and their
-- places in the case's timeline: the events come from joining the cases to
-- their set, not from testing 22 slots of every case.
CREATE TEMP TABLE mq_presbit ON COMMIT DROP AS
SELECT p.pres, n.bit, bit_count((p.pres & ((2 << n.bit) - 1))::bit(32)) AS place
  FROM (SELECT DISTINCT x.pres FROM mq_pres x) p
  JOIN mq_slotname n ON p.pres & (1 << n.bit) <> 0;
ANALYZE mq_presbit;

INSERT INTO minqing.case_event (event_id, case_id, district_id, at, actor, kind, from_status, to_status, note, data)
SELECT e.event_id, e.case_id, 1, e.at, e.actor, e.kind,
       coalesce(e.fr, e.st), coalesce(e.tt, e.st),
       CASE e.bit
            WHEN 1 THEN e.result
            WHEN 3 THEN CASE WHEN e.c7 >> 60 & 3 = 0 THEN '请按服务承诺时限办结并及时反馈' END
            WHEN 5 THEN e.result1
            WHEN 6 THEN pg_temp.mq_word(w.words, e.c11 >> 30, e.vc)
            WHEN 7 THEN pg_temp.mq_word(wr.words, e.c11 >> 40, e.vc)
            WHEN 9 THEN pg_temp.mq_word(we.words, e.c8 >> 50, e.vc)
            WHEN 10 THEN pg_temp.mq_word(wd.words, e.c8 >> 55, '')
            WHEN 11 THEN pg_temp.mq_word(wg.words, e.c9 >> 50, e.vc)
            WHEN 12 THEN pg_temp.mq_word(wg.words, e.c9 >> 55, e.vc)
            WHEN 17 THEN e.pause_reason
            WHEN 18 THEN e.result
            WHEN 19 THEN pg_temp.mq_word(w.words, e.c11 >> 50, e.vc)
            WHEN 21 THEN pg_temp.mq_word(ww.words, e.c11 >> 55, e.vc) END,
       CASE e.bit
            WHEN 0 THEN jsonb_build_object('channel', e.channel, 'category', e.cat_code)
            WHEN 3 THEN jsonb_build_object('unit', e.a_code, 'handler', e.a_login, 'proxy', e.proxy, 'warning', e.warn0)
            WHEN 7 THEN jsonb_build_object('satisfaction', 'not_satisfied')
            WHEN 9 THEN jsonb_build_object('extension_id', e.xid, 'working_days', e.xdays)
            WHEN 10 THEN jsonb_build_object('extension_id', e.xid, 'due_at', e.due_at)
            WHEN 13 THEN jsonb_build_object('step', 'reminder', 'at', e.at)
            WHEN 14 THEN jsonb_build_object('step', 'yellow', 'at', e.at)
            WHEN 15 THEN jsonb_build_object('step', 'orange', 'at', e.at)
            WHEN 16 THEN jsonb_build_object('step', 'red', 'at', e.at)
            WHEN 20 THEN jsonb_build_object('satisfaction', e.satisfaction) END
  FROM (SELECT c.ev0 + pb.place AS event_id, c.case_id, n.bit, n.kind,
               n.fr, n.tt, c.c7, c.c8, c.c9, c.c11, c.tid, c.v_name, c.v_kind, c.channel, c.cat_code, c.a_code,
               c.a_login, c.proxy, c.warn0, c.xid, c.xdays, c.due_at, c.result, c.result1, c.pause_reason,
               c.satisfaction, c.vc,
               CASE n.actor WHEN 'entry' THEN c.entry_login WHEN 'triage' THEN c.triage_login
                            WHEN 'handler' THEN c.a_login ELSE 'minqing_escalate' END AS actor,
               CASE n.bit WHEN 0 THEN c.created_at WHEN 1 THEN c.resolved_at WHEN 2 THEN c.accepted_at
                          WHEN 3 THEN c.dispatched_at WHEN 4 THEN c.start1_at WHEN 5 THEN c.resolved1_at
                          WHEN 6 THEN c.reported1_at WHEN 7 THEN c.reopen_at WHEN 8 THEN c.start_at
                          WHEN 9 THEN c.ext_req_at WHEN 10 THEN c.ext_dec_at WHEN 11 THEN c.progress1_at
                          WHEN 12 THEN c.progress2_at WHEN 13 THEN c.p_r WHEN 14 THEN c.p_y WHEN 15 THEN c.p_o
                          WHEN 16 THEN c.p_rd WHEN 17 THEN c.paused_at WHEN 18 THEN c.resolved_at
                          WHEN 19 THEN c.reported_x WHEN 20 THEN c.closed_x ELSE c.withdrawn_at END AS at,
               -- the status while the pass acted; the one a withdrawal left
               CASE WHEN n.bit = 21 THEN c.withdrawn_from
                    WHEN n.bit BETWEEN 13 AND 16
                    THEN CASE WHEN c.dispatched_at IS NULL THEN 'accepted'
                              WHEN c.start_at IS NULL OR CASE n.bit WHEN 13 THEN c.p_r WHEN 14 THEN c.p_y
                                                                    WHEN 15 THEN c.p_o ELSE c.p_rd END < c.start_at
                              THEN 'dispatched' ELSE 'in_progress' END::minqing.case_status END AS st
          FROM mq_c c
          JOIN mq_presbit pb ON pb.pres = c.pres
          JOIN mq_slotname n ON n.bit = pb.bit
        OFFSET 0) e
 CROSS JOIN (SELECT words FROM mq_words WHERE kind = 'report') w
 CROSS JOIN (SELECT words FROM mq_words WHERE kind = 'reopen') wr
 CROSS JOIN (SELECT words FROM mq_words WHERE kind = 'withdraw') ww
 CROSS JOIN (SELECT words FROM mq_words WHERE kind = 'extension') we
 CROSS JOIN (SELECT words FROM mq_words WHERE kind = 'decision') wd
 CROSS JOIN (SELECT words FROM mq_words WHERE kind = 'progress') wg;

-- Messages. The result SMS of every resolution (not to anonymous
-- submitters, nor without a phone); the reminders and warnings to the people
-- escalation_recipients() names. All were sent by the demo transport, but
-- those of the last day are still queued (a drainer has a little to do) and
-- a landline given as the submitter's phone is dead, as the drainer marks it.
CREATE TEMP TABLE mq_msg ON COMMIT DROP AS
SELECT c.o_path AS path, CASE n.bit WHEN 5 THEN c.resolved1_at ELSE c.resolved_at END AS created_at,
       c.sub_phone AS phone, c.sub_name AS name,
       replace(replace(replace(tm.body, '{case_no}', c.case_no),
                       '{result}', CASE n.bit WHEN 5 THEN c.result1 ELSE c.result END),
               '{unit}', coalesce(c.a_name, c.o_name)) AS body,
       'result'::text AS step, c.case_id, c.ev0 + bit_count((c.pres & ((2 << n.bit) - 1))::bit(32)) AS event_id,
       0 AS staff_id, NULL::timestamptz AS due_at
  FROM mq_c c
  JOIN (VALUES (1), (5), (18)) AS n(bit) ON c.pres & (1 << n.bit) <> 0
  JOIN minqing.message_template tm ON tm.code = 'case_resolved_sms' AND tm.district_id IS NULL
 WHERE c.sub <> 'anon' AND c.sub_phone IS NOT NULL;

-- The steps the pass took, then whom each told (escalation_recipients()).
CREATE TEMP TABLE mq_esc ON COMMIT DROP AS
SELECT c.case_id, n.step, CASE n.step WHEN 'reminder' THEN c.p_r WHEN 'yellow' THEN c.p_y
                                      WHEN 'orange' THEN c.p_o ELSE c.p_rd END AS at,
       c.ev0 + bit_count((c.pres & ((2 << n.bit) - 1))::bit(32)) AS event_id,
       coalesce(c.a_path, c.o_path) AS path,
       subpath(coalesce(c.a_path, c.o_path), 0, least(3, nlevel(coalesce(c.a_path, c.o_path))))::text AS p3,
       subpath(coalesce(c.a_path, c.o_path), 0, least(2, nlevel(coalesce(c.a_path, c.o_path))))::text AS p2,
       subpath(c.o_path, 0, 1)::text AS root,
       CASE WHEN c.a_id IS NOT NULL THEN c.a_hid ELSE c.triage_id END AS handler_staff_id,
       c.case_no, c.title, c.due_at, coalesce(c.a_name, c.o_name) AS unit_name
  FROM mq_c c
  JOIN (VALUES (13, 'reminder'), (14, 'yellow'), (15, 'orange'), (16, 'red')) AS n(bit, step)
    ON c.pres & (1 << n.bit) <> 0
 WHERE c.pres & (15 << 13) <> 0;

CREATE TEMP TABLE mq_recip ON COMMIT DROP AS
SELECT s.staff_id, s.path::text AS path, s.duty, s.display_name, s.phone, nlevel(s.path) AS depth
  FROM minqing.staff s
 WHERE s.active AND s.phone IS NOT NULL;

INSERT INTO mq_msg
SELECT e.path, e.at, r.phone, r.display_name,
       replace(replace(replace(replace(replace(tm.body, '{case_no}', e.case_no), '{title}', e.title),
                               '{unit}', e.unit_name), '{handler}', r.display_name),
               '{deadline}', to_char(e.due_at AT TIME ZONE (SELECT tz FROM mq_p), 'MM-DD HH24:MI')),
       e.step, e.case_id, e.event_id, r.staff_id, e.due_at
  FROM mq_esc e
  JOIN minqing.message_template tm
    ON tm.code = CASE e.step WHEN 'reminder' THEN 'case_reminder' ELSE 'case_warning_' || e.step END
   AND tm.district_id IS NULL
  JOIN (SELECT e.case_id, e.step, r.staff_id FROM mq_esc e JOIN mq_recip r ON r.staff_id = e.handler_staff_id
         WHERE e.step = 'reminder'
        UNION
        SELECT e.case_id, e.step, r.staff_id FROM mq_esc e JOIN mq_recip r ON r.path = e.p3 AND r.duty = 'handler'
         WHERE e.step = 'yellow'
        UNION
        SELECT e.case_id, e.step, r.staff_id FROM mq_esc e JOIN mq_recip r ON r.path = e.p2 AND r.duty = 'handler'
         WHERE e.step IN ('yellow', 'orange')
        UNION
        SELECT e.case_id, e.step, r.staff_id FROM mq_esc e
          JOIN mq_recip r ON r.path = e.root AND r.depth = 1 AND r.duty IN ('handler', 'supervisor')
         WHERE e.step = 'red') x ON x.case_id = e.case_id AND x.step = e.step
  JOIN mq_recip r ON r.staff_id = x.staff_id;

-- (The mobile test and the day's cut once per message; room to sort them in
-- memory.)
SET LOCAL work_mem = '512MB';
INSERT INTO minqing.outbox (district_id, path, created_at, recipient_phone, recipient_name, body, dedupe_key,
                            case_id, event_id, status, attempts, next_attempt_at, last_error, sent_at, transport,
                            segments)
SELECT 1, m.path, m.created_at, m.phone, m.name, m.body,
       CASE m.step WHEN 'result' THEN format('case:%s:result:%s', m.case_id, m.event_id)
                   ELSE format('case:%s:%s:%s:%s', m.case_id, m.step, to_char(m.due_at AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS'), m.staff_id) END,
       m.case_id, m.event_id,
       CASE WHEN m.queued THEN 'queued' WHEN NOT m.mobile THEN 'dead' ELSE 'sent' END,
       CASE WHEN m.queued THEN 0 ELSE 1 END,
       CASE WHEN m.queued THEN m.created_at
            WHEN NOT m.mobile THEN m.created_at + interval '2 minutes'
            ELSE m.created_at END,
       CASE WHEN NOT m.queued AND NOT m.mobile THEN 'invalid mobile number: ' || m.phone END,
       CASE WHEN NOT m.queued AND m.mobile THEN m.created_at + make_interval(secs => 2 + m.event_id % 29) END,
       CASE WHEN NOT m.queued AND m.mobile THEN 'demo' END,
       CASE WHEN NOT m.queued AND m.mobile
            THEN CASE WHEN char_length(m.body) <= 70 THEN 1 ELSE ceil(char_length(m.body) / 67.0)::integer END END
  FROM (SELECT m.*, m.created_at > p.t_ref - interval '1 day' AS queued, m.phone ~ '^1[3-9][0-9]{9}$' AS mobile
          FROM mq_msg m
         CROSS JOIN mq_p p
        OFFSET 0) m
 ORDER BY m.created_at, m.event_id, m.staff_id;
SET LOCAL work_mem = '128MB';

------------------------------------------------------------------------------
-- The open cases through the real functions
------------------------------------------------------------------------------
-- Their deadline must be case_deadline()'s, their next escalation comes from
-- case_next_escalation() and must agree with the replica; nothing may be due
-- at the load (an escalation pass right after it finds nothing).
UPDATE minqing.cases k SET next_escalation_at = minqing.case_next_escalation(k)
 WHERE k.case_id IN (SELECT c.case_id FROM mq_c c WHERE c.status IN ('accepted', 'dispatched', 'in_progress'));

DO $$
DECLARE
	bad integer;
BEGIN
	SELECT count(*) INTO bad
	  FROM mq_c c
	  JOIN minqing.cases k ON k.case_id = c.case_id
	  JOIN minqing.org_unit u ON u.unit_id = coalesce(k.assigned_unit_id, k.origin_unit_id)
	 WHERE c.status IN ('accepted', 'dispatched', 'in_progress')
	   AND (k.due_at IS DISTINCT FROM (minqing.case_deadline(1::smallint, k.category_id, u.level, k.started_at)).due
	        OR k.next_escalation_at IS DISTINCT FROM
	           CASE WHEN k.warning_level = 'none' AND k.reminded_at IS NULL AND k.due_at > k.started_at THEN c.step_r
	                ELSE CASE k.warning_level WHEN 'none' THEN k.due_at WHEN 'yellow' THEN c.step_o
	                                          WHEN 'orange' THEN c.step_rd END END
	        OR k.next_escalation_at <= (SELECT t_now FROM mq_p)
	        OR (k.remind_at, k.yellow_at, k.orange_at, k.red_at) IS DISTINCT FROM
	           (minqing.escalation_due_at(1::smallint, 'reminder', k.started_at, k.due_at),
	            minqing.escalation_due_at(1::smallint, 'yellow', k.started_at, k.due_at),
	            minqing.escalation_due_at(1::smallint, 'orange', k.started_at, k.due_at),
	            minqing.escalation_due_at(1::smallint, 'red', k.started_at, k.due_at)));
	IF bad > 0 THEN
		RAISE EXCEPTION 'demo cases: % open cases disagree with case_deadline()/case_next_escalation() or are due', bad;
	END IF;
	-- and a sample of the others (an approved extension moved its deadline)
	SELECT count(*) INTO bad
	  FROM (SELECT k.* FROM minqing.cases k
	         WHERE k.status IN ('resolved', 'reported', 'closed', 'waiting', 'withdrawn')
	           AND k.case_id % 97 = 0
	           AND NOT EXISTS (SELECT 1 FROM minqing.case_extension x
	                            WHERE x.case_id = k.case_id AND x.decision = 'approved')
	         LIMIT 500) k
	  JOIN minqing.org_unit u ON u.unit_id = coalesce(k.assigned_unit_id, k.origin_unit_id)
	 WHERE (k.commitment_kind <> 'immediate'
	        AND k.due_at IS DISTINCT FROM (minqing.case_deadline(1::smallint, k.category_id, u.level, k.started_at)).due)
	    OR (k.remind_at, k.yellow_at, k.orange_at, k.red_at) IS DISTINCT FROM
	       (minqing.escalation_due_at(1::smallint, 'reminder', k.started_at, k.due_at),
	        minqing.escalation_due_at(1::smallint, 'yellow', k.started_at, k.due_at),
	        minqing.escalation_due_at(1::smallint, 'orange', k.started_at, k.due_at),
	        minqing.escalation_due_at(1::smallint, 'red', k.started_at, k.due_at));
	IF bad > 0 THEN
		RAISE EXCEPTION 'demo cases: % of the sampled deadlines differ from case_deadline()', bad;
	END IF;
END
$$;

------------------------------------------------------------------------------
-- The search rows (case_search_sync), in one pass
------------------------------------------------------------------------------
-- The text of a case (case_search_doc) is its title, content and submitter
-- with a blank between them, and no bigram spans a blank: a case's bigrams
-- are those of its title and content, which cases share (some 97,000 texts
-- for 956,000 cases at scale 10), and the one or two of the submitter's name
-- (two or three characters). Each title and content is given to
-- text_bigrams() once, and the name's bigrams are put into its sorted array
-- where they belong (width_bucket: a binary search), so that every array is
-- exactly text_bigrams(doc) (a sample is checked below; a longer name, or one
-- with white space, takes text_bigrams(doc)).
CREATE FUNCTION pg_temp.mq_gram_add(g text[], b text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN b IS NULL OR g[width_bucket(b, g)] = b THEN g
            ELSE g[1:width_bucket(b, g)] || b || g[width_bucket(b, g) + 1:] END;

CREATE TEMP TABLE mq_tc_grams ON COMMIT DROP AS
SELECT x.title, x.content, minqing.text_bigrams(lower(concat_ws(' ', x.title, x.content))) AS grams
  FROM (SELECT DISTINCT c.title, c.content FROM mq_c c) x;
ANALYZE mq_tc_grams;

INSERT INTO minqing.case_search (case_id, doc, grams, origin_unit_id, assigned_unit_id)
SELECT x.case_id, x.doc,
       CASE WHEN x.long THEN minqing.text_bigrams(x.doc)
            ELSE pg_temp.mq_gram_add(x.g1, CASE WHEN char_length(x.name) = 3 THEN substr(x.name, 2, 2) END) END,
       x.o_id, x.a_id
  FROM (SELECT c.case_id, minqing.case_search_doc(c.title, c.content, c.sub_name) AS doc, y.name, c.o_id, c.a_id,
               char_length(y.name) > 3 OR y.name ~ '\s' AS long,
               pg_temp.mq_gram_add(t.grams, CASE WHEN char_length(y.name) >= 2 THEN substr(y.name, 1, 2) END) AS g1
          FROM mq_c c
         CROSS JOIN LATERAL (SELECT lower(c.sub_name) AS name) y
          JOIN mq_tc_grams t ON t.title = c.title AND t.content = c.content
        OFFSET 0) x;

------------------------------------------------------------------------------
-- The report figures (report_cases_sync, report_events_sync), in one pass
------------------------------------------------------------------------------
-- The triggers append each case, and each warning, answer at close and
-- reopening, to the report log (report_case_log), and a statement of more
-- than a thousand log rows folds the whole log into the summaries at its end
-- (report_fold). So after the bulk inserts the cases are in the summaries
-- when there are more than a thousand of them or of those events, the events
-- when there are more than a thousand of them (every scale from 1 up), and
-- what is not folded is in the log: written here the same way.
--
-- What report_log_parts() gives for each case, without a function call per
-- case: the working seconds from recording to resolution are a difference of
-- working time W (mq_wt), numeric as working_seconds_between() returns them
-- (microseconds, or a plain 0 within one day or for no time). The units a case
-- counts for (report_case_units) depend only on where it was received and
-- where it is handled: looked up once per pair of units. The cases' and the
-- events' parts are then summed per unit, day and each of the five
-- dimensions in hashed GROUPING SETS (no sort of the ten million rows a fold
-- makes of them at scale 10). A sample is checked against report_log_parts()
-- and report_mark_kind().
CREATE TEMP TABLE mq_rc_case ON COMMIT DROP AS
SELECT x.case_id, x.o_id, x.a_id, x.day, x.centre, x.category_id, x.channel, x.level, x.withdrawn, x.resolved,
       x.on_time,
       CASE WHEN x.resolved = 1 AND x.resolved_at IS NOT NULL
            THEN CASE WHEN x.resolved_at <= x.created_at THEN 0
                      WHEN x.day = (x.resolved_at AT TIME ZONE x.tz)::date AND x.w_b - x.w_a <= 0 THEN 0
                      ELSE round((x.w_b - x.w_a)::numeric, 6) END / 3600 END AS hours
  FROM (SELECT k.case_id, k.origin_unit_id AS o_id, coalesce(k.assigned_unit_id, 0) AS a_id,
               (k.created_at AT TIME ZONE p.tz)::date AS day, g.centre, k.category_id, k.channel, o.level,
               (k.status = 'withdrawn')::integer AS withdrawn,
               (k.status IN ('resolved', 'reported', 'closed'))::integer AS resolved,
               (k.status IN ('resolved', 'reported', 'closed')
                AND k.resolved_at <= coalesce(k.due_at, k.resolved_at))::integer AS on_time,
               k.created_at, k.resolved_at, p.tz,
               pg_temp.mq_wt(k.created_at) AS w_a, pg_temp.mq_wt(k.resolved_at) AS w_b
          FROM minqing.cases k
          JOIN minqing.case_category g ON g.category_id = k.category_id
          JOIN minqing.org_unit o ON o.unit_id = coalesce(k.assigned_unit_id, k.origin_unit_id)
         CROSS JOIN mq_p p
        OFFSET 0) x;
ANALYZE mq_rc_case;

CREATE TEMP TABLE mq_rc_units ON COMMIT DROP AS
SELECT x.o_id, x.a_id, u.unit_id
  FROM (SELECT DISTINCT c.o_id, c.a_id FROM mq_rc_case c) x
  JOIN minqing.org_unit ou ON ou.unit_id = x.o_id
  LEFT JOIN minqing.org_unit au ON au.unit_id = x.a_id
  JOIN minqing.org_unit u
    ON u.path OPERATOR(ext.@>) ou.path OR (au.path IS NOT NULL AND u.path OPERATOR(ext.@>) au.path);
ANALYZE mq_rc_units;

-- The events that count (report_event_parts): warnings, answers at close,
-- reopenings; with what their case counts under.
CREATE TEMP TABLE mq_rc_event ON COMMIT DROP AS
SELECT e.event_id, e.case_id, e.at, e.kind, c.o_id, c.a_id, c.centre, c.category_id, c.channel, c.level,
       (e.at AT TIME ZONE p.tz)::date AS day,
       (e.kind = 'warning' AND e.data ->> 'step' = 'yellow')::integer AS yellow,
       (e.kind = 'warning' AND e.data ->> 'step' = 'orange')::integer AS orange,
       (e.kind = 'warning' AND e.data ->> 'step' = 'red')::integer AS red,
       (e.kind = 'close' AND e.data ->> 'satisfaction' = 'satisfied')::integer AS satisfied,
       (e.kind = 'close' AND e.data ->> 'satisfaction' = 'basically_satisfied')::integer AS basic,
       (e.kind = 'reopen' OR (e.kind = 'close' AND e.data ->> 'satisfaction' = 'not_satisfied'))::integer
         AS unsatisfied,
       (e.kind = 'reopen')::integer AS reopened
  FROM minqing.case_event e
  JOIN mq_rc_case c ON c.case_id = e.case_id
 CROSS JOIN mq_p p
 WHERE e.kind IN ('warning', 'close', 'reopen');
ANALYZE mq_rc_event;

-- Folded or left in the log (see above).
CREATE TEMP TABLE mq_rc_fold ON COMMIT DROP AS
SELECT p.n > 1000 OR e.n > 1000 AS cases, e.n > 1000 AS events
  FROM mq_p p CROSS JOIN (SELECT count(*) AS n FROM mq_rc_event) e;

INSERT INTO minqing.report_case_log (sign, at, district_id, status, created_at, resolved_at, due_at, category_id,
                                     channel, origin_unit_id, assigned_unit_id, origin_path, assigned_path)
SELECT 1, k.created_at, k.district_id, k.status, k.created_at, k.resolved_at, k.due_at, k.category_id, k.channel,
       k.origin_unit_id, k.assigned_unit_id, k.origin_path, k.assigned_path
  FROM minqing.cases k
 WHERE NOT (SELECT f.cases FROM mq_rc_fold f);
INSERT INTO minqing.report_case_log (sign, event, answer, at, district_id, status, created_at, resolved_at, due_at,
                                     category_id, channel, origin_unit_id, assigned_unit_id, origin_path,
                                     assigned_path)
SELECT 1, e.kind, left(coalesce(e.data ->> 'step', e.data ->> 'satisfaction'), 40), e.at, k.district_id, k.status,
       k.created_at, k.resolved_at, k.due_at, k.category_id, k.channel, k.origin_unit_id, k.assigned_unit_id,
       k.origin_path, k.assigned_path
  FROM mq_rc_event x
  JOIN minqing.case_event e ON e.event_id = x.event_id
  JOIN minqing.cases k ON k.case_id = e.case_id
 WHERE NOT (SELECT f.events FROM mq_rc_fold f);

SELECT pg_temp.mq_drop_keys('{minqing.report_case_day,minqing.report_case_month,minqing.report_case_hours,minqing.report_case_mark}');

-- A month at a time (no summary row spans two), so that the hash tables stay
-- small (a hundred thousand groups at scale 10) and in memory. As the fold,
-- no row of nothing but zeros. GROUPING(centre, category_id, channel, level)
-- tells the dimension: 15 unit, 7 centre, 11 category, 13 channel, 14 level.
DO $$
DECLARE
	m date;
	fold_cases boolean;
	fold_events boolean;
BEGIN
	SELECT f.cases, f.events INTO fold_cases, fold_events FROM mq_rc_fold f;
	FOR m IN SELECT DISTINCT date_trunc('month', x.day)::date
	           FROM (SELECT day FROM mq_rc_case WHERE fold_cases
	                 UNION SELECT day FROM mq_rc_event WHERE fold_events) x ORDER BY 1 LOOP
		INSERT INTO minqing.report_case_day (unit_id, path, day, dim, key, recorded, withdrawn, resolved, on_time,
		                                     hours_sum, yellow, orange, red, satisfied, basic, unsatisfied, reopened)
		SELECT s.unit_id, o.path, s.day,
		       CASE s.g WHEN 15 THEN 'unit' WHEN 7 THEN 'centre' WHEN 11 THEN 'category' WHEN 13 THEN 'channel'
		                ELSE 'level' END,
		       CASE s.g WHEN 15 THEN '' WHEN 7 THEN s.centre::text WHEN 11 THEN s.category_id::text
		                WHEN 13 THEN s.channel::text ELSE s.level::text END,
		       s.recorded, s.withdrawn, s.resolved, s.on_time, coalesce(s.hours, 0), s.yellow, s.orange, s.red,
		       s.satisfied, s.basic, s.unsatisfied, s.reopened
		  FROM (SELECT u.unit_id, x.day, x.centre, x.category_id, x.channel, x.level,
		               GROUPING(x.centre, x.category_id, x.channel, x.level) AS g,
		               sum(x.recorded) AS recorded, sum(x.withdrawn) AS withdrawn, sum(x.resolved) AS resolved,
		               sum(x.on_time) AS on_time, sum(x.hours) AS hours, sum(x.yellow) AS yellow,
		               sum(x.orange) AS orange, sum(x.red) AS red, sum(x.satisfied) AS satisfied,
		               sum(x.basic) AS basic, sum(x.unsatisfied) AS unsatisfied, sum(x.reopened) AS reopened
		          FROM (SELECT c.o_id, c.a_id, c.day, c.centre, c.category_id, c.channel, c.level, 1 AS recorded,
		                       c.withdrawn, c.resolved, c.on_time, c.hours, 0 AS yellow, 0 AS orange, 0 AS red,
		                       0 AS satisfied, 0 AS basic, 0 AS unsatisfied, 0 AS reopened
		                  FROM mq_rc_case c
		                 WHERE fold_cases AND c.day >= m AND c.day < (m + interval '1 month')::date
		                UNION ALL
		                SELECT e.o_id, e.a_id, e.day, e.centre, e.category_id, e.channel, e.level, 0, 0, 0, 0, NULL,
		                       e.yellow, e.orange, e.red, e.satisfied, e.basic, e.unsatisfied, e.reopened
		                  FROM mq_rc_event e
		                 WHERE fold_events AND e.day >= m AND e.day < (m + interval '1 month')::date) x
		          JOIN mq_rc_units u ON u.o_id = x.o_id AND u.a_id = x.a_id
		         GROUP BY GROUPING SETS ((u.unit_id, x.day), (u.unit_id, x.day, x.centre),
		                                 (u.unit_id, x.day, x.category_id), (u.unit_id, x.day, x.channel),
		                                 (u.unit_id, x.day, x.level))
		        HAVING sum(x.recorded) <> 0 OR sum(x.withdrawn) <> 0 OR sum(x.resolved) <> 0 OR sum(x.on_time) <> 0
		            OR coalesce(sum(x.hours), 0) <> 0 OR sum(x.yellow) <> 0 OR sum(x.orange) <> 0 OR sum(x.red) <> 0
		            OR sum(x.satisfied) <> 0 OR sum(x.basic) <> 0 OR sum(x.unsatisfied) <> 0
		            OR sum(x.reopened) <> 0) s
		  JOIN minqing.org_unit o ON o.unit_id = s.unit_id;

		INSERT INTO minqing.report_case_hours (unit_id, path, month, dim, key, hours, n)
		SELECT s.unit_id, o.path, m,
		       CASE s.g WHEN 15 THEN 'unit' WHEN 7 THEN 'centre' WHEN 11 THEN 'category' WHEN 13 THEN 'channel'
		                ELSE 'level' END,
		       CASE s.g WHEN 15 THEN '' WHEN 7 THEN s.centre::text WHEN 11 THEN s.category_id::text
		                WHEN 13 THEN s.channel::text ELSE s.level::text END,
		       s.hours, s.n
		  FROM (SELECT u.unit_id, x.hours, x.centre, x.category_id, x.channel, x.level,
		               GROUPING(x.centre, x.category_id, x.channel, x.level) AS g, count(*) AS n
		          FROM (SELECT c.o_id, c.a_id, ceil(c.hours)::integer AS hours, c.centre, c.category_id, c.channel,
		                       c.level
		                  FROM mq_rc_case c
		                 WHERE fold_cases AND c.hours IS NOT NULL AND c.day >= m
		                   AND c.day < (m + interval '1 month')::date) x
		          JOIN mq_rc_units u ON u.o_id = x.o_id AND u.a_id = x.a_id
		         GROUP BY GROUPING SETS ((u.unit_id, x.hours), (u.unit_id, x.hours, x.centre),
		                                 (u.unit_id, x.hours, x.category_id), (u.unit_id, x.hours, x.channel),
		                                 (u.unit_id, x.hours, x.level))) s
		  JOIN minqing.org_unit o ON o.unit_id = s.unit_id;
	END LOOP;
END
$$;

-- The marks of red warnings and reopenings (report_mark_kind), with the
-- case's recording time and paths.
INSERT INTO minqing.report_case_mark (event_id, kind, at, case_id, created_at, origin_path, assigned_path)
SELECT e.event_id, CASE WHEN e.kind = 'reopen' THEN 'reopen' ELSE 'red' END, e.at, e.case_id, k.created_at,
       k.origin_path, k.assigned_path
  FROM mq_rc_event e
  JOIN minqing.cases k ON k.case_id = e.case_id
 WHERE e.kind = 'reopen' OR e.red = 1;

-- The months (report_case_month): each the sum of its days, as the fold
-- keeps them.
SELECT minqing.report_month_recount();

------------------------------------------------------------------------------
-- Triggers and indexes back, sequences past the numbers used, one audit row
------------------------------------------------------------------------------
SELECT pg_temp.mq_restore_triggers();

SET LOCAL session_replication_role = origin;
-- (a GIN index on a million texts builds much faster with room)
SET LOCAL maintenance_work_mem = '1GB';

DO $$
DECLARE
	x record;
BEGIN
	FOR x IN SELECT * FROM mq_saved_unique ORDER BY conname LOOP
		EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', x.tab, x.conname, x.def);
		IF x.comment IS NOT NULL THEN
			EXECUTE format('COMMENT ON CONSTRAINT %I ON %s IS %L', x.conname, x.tab, x.comment);
		END IF;
		IF x.index_comment IS NOT NULL THEN
			EXECUTE format('COMMENT ON INDEX %I.%I IS %L', 'minqing', x.conname, x.index_comment);
		END IF;
	END LOOP;
END
$$;
SELECT pg_temp.mq_rebuild_indexes();
-- The cases each person entered per day (信息员名册's counts), which the
-- dropped trigger did not keep.
SELECT minqing.entry_count_rebuild();
-- (and the stations' open cases, 分站's counts)
SELECT minqing.station_open_count_rebuild();
SELECT pg_temp.mq_analyse('{cases,case_event,case_extension,outbox,case_search,case_due,report_case_day,'
                           'report_case_month,report_case_hours,report_case_mark,entry_count,'
                           'station_open_count}');

-- The samples of the search rows and of the figures' parts, checked against
-- the functions they replicate (case_search_sync; report_log_parts and
-- report_mark_kind of the report triggers): the first 300 cases and every
-- 997th, a look-up each.
CREATE TEMP TABLE mq_sample ON COMMIT DROP AS
SELECT g AS case_id FROM mq_p p CROSS JOIN generate_series(1, least(300, p.n)) AS g
UNION
SELECT g FROM mq_p p CROSS JOIN generate_series(997, p.n, 997) AS g;
ANALYZE mq_sample;

DO $$
DECLARE
	bad integer;
BEGIN
	SELECT count(*) INTO bad
	  FROM mq_sample x
	  JOIN minqing.cases k ON k.case_id = x.case_id
	  LEFT JOIN minqing.case_search s ON s.case_id = x.case_id
	 WHERE (s.doc, s.grams, s.origin_unit_id, s.assigned_unit_id) IS DISTINCT FROM
	       (minqing.case_search_doc(k.title, k.content, k.submitter_name),
	        minqing.text_bigrams(minqing.case_search_doc(k.title, k.content, k.submitter_name)),
	        k.origin_unit_id, k.assigned_unit_id);
	IF bad > 0 THEN
		RAISE EXCEPTION 'demo cases: % search rows of the sampled cases differ from what case_search_sync() writes',
		                bad;
	END IF;
END
$$;

DO $$
DECLARE
	bad integer;
BEGIN
	WITH k AS (
		SELECT k.* FROM mq_sample x JOIN minqing.cases k ON k.case_id = x.case_id
	), f AS (
		SELECT p.unit_id, p.path, p.day, p.dim, p.key, p.recorded, p.withdrawn, p.resolved, p.on_time,
		       p.hours::text AS hours
		  FROM k
		 CROSS JOIN LATERAL minqing.report_log_parts(
		                      ROW(1, NULL, NULL, k.created_at, k.district_id, k.status, k.created_at, k.resolved_at,
		                          k.due_at, k.category_id, k.channel, k.origin_unit_id, k.assigned_unit_id,
		                          k.origin_path, k.assigned_path)::minqing.report_case_log) p
	), r AS (
		SELECT u.unit_id, o.path, c.day, d.dim, d.key, 1 AS recorded, c.withdrawn, c.resolved, c.on_time,
		       c.hours::text AS hours
		  FROM mq_rc_case c
		  JOIN mq_rc_units u ON u.o_id = c.o_id AND u.a_id = c.a_id
		  JOIN minqing.org_unit o ON o.unit_id = u.unit_id
		 CROSS JOIN LATERAL (VALUES ('unit', ''), ('centre', c.centre::text), ('category', c.category_id::text),
		                            ('channel', c.channel::text), ('level', c.level::text)) AS d(dim, key)
		 WHERE c.case_id IN (SELECT case_id FROM mq_sample)
	)
	SELECT count(*) INTO bad FROM ((TABLE f EXCEPT ALL TABLE r) UNION ALL (TABLE r EXCEPT ALL TABLE f)) x;
	IF bad > 0 THEN
		RAISE EXCEPTION 'demo cases: % report parts of the sampled cases differ from report_log_parts()', bad;
	END IF;
	WITH f AS (
		SELECT p.unit_id, p.path, p.day, p.dim, p.key, p.yellow, p.orange, p.red, p.satisfied, p.basic,
		       p.unsatisfied, p.reopened
		  FROM mq_sample x
		  JOIN minqing.case_event e ON e.case_id = x.case_id AND e.kind IN ('warning', 'close', 'reopen')
		  JOIN minqing.cases k ON k.case_id = e.case_id
		 CROSS JOIN LATERAL minqing.report_log_parts(
		                      ROW(1, e.kind, left(coalesce(e.data ->> 'step', e.data ->> 'satisfaction'), 40), e.at,
		                          k.district_id, k.status, k.created_at, k.resolved_at, k.due_at, k.category_id,
		                          k.channel, k.origin_unit_id, k.assigned_unit_id, k.origin_path,
		                          k.assigned_path)::minqing.report_case_log) p
	), r AS (
		SELECT u.unit_id, o.path, e.day, d.dim, d.key, e.yellow, e.orange, e.red, e.satisfied, e.basic,
		       e.unsatisfied, e.reopened
		  FROM mq_rc_event e
		  JOIN mq_rc_units u ON u.o_id = e.o_id AND u.a_id = e.a_id
		  JOIN minqing.org_unit o ON o.unit_id = u.unit_id
		 CROSS JOIN LATERAL (VALUES ('unit', ''), ('centre', e.centre::text), ('category', e.category_id::text),
		                            ('channel', e.channel::text), ('level', e.level::text)) AS d(dim, key)
		 WHERE e.case_id IN (SELECT case_id FROM mq_sample)
	)
	SELECT count(*) INTO bad FROM ((TABLE f EXCEPT ALL TABLE r) UNION ALL (TABLE r EXCEPT ALL TABLE f)) x;
	IF bad > 0 THEN
		RAISE EXCEPTION 'demo cases: % report parts of the sampled cases'' events differ from report_log_parts()',
		                bad;
	END IF;
	SELECT count(*) INTO bad
	  FROM mq_sample x
	  JOIN minqing.case_event e ON e.case_id = x.case_id
	  LEFT JOIN minqing.report_case_mark m ON m.event_id = e.event_id
	 WHERE minqing.report_mark_kind(e) IS DISTINCT FROM m.kind;
	IF bad > 0 THEN
		RAISE EXCEPTION 'demo cases: % events of the sampled cases differ from report_mark_kind()', bad;
	END IF;
END
$$;

SELECT setval('minqing.case_no_seq', (SELECT n FROM mq_p));
SELECT setval(pg_get_serial_sequence('minqing.cases', 'case_id'), (SELECT n FROM mq_p));
SELECT setval('minqing.case_event_seq', (SELECT max(event_id) FROM minqing.case_event));
SELECT setval(pg_get_serial_sequence('minqing.case_extension', 'extension_id'),
              greatest(1, (SELECT max(extension_id) FROM minqing.case_extension)),
              (SELECT count(*) > 0 FROM minqing.case_extension));

INSERT INTO minqing.audit_log (district_id, table_name, row_id, op, path, before, after)
SELECT 1, 'demo-data',
       'cases scale=' || current_setting('minqing_demo.scale') || ' seed=' || current_setting('minqing_demo.seed'),
       'IMPORT', u.path, NULL,
       jsonb_build_object(
         'scale', current_setting('minqing_demo.scale')::numeric,
         'seed', current_setting('minqing_demo.seed')::bigint,
         'now', (SELECT t_now FROM mq_p), 'reference', (SELECT t_ref FROM mq_p),
         'cases', (SELECT count(*) FROM minqing.cases),
         'resolved', (SELECT count(*) FROM minqing.cases WHERE resolved_at IS NOT NULL),
         'case_events', (SELECT count(*) FROM minqing.case_event),
         'case_extensions', (SELECT count(*) FROM minqing.case_extension),
         'messages', (SELECT count(*) FROM minqing.outbox))
  FROM minqing.org_unit u WHERE u.code = 'LW';

-- Leave nothing behind (the temp tables go at commit).
DROP FUNCTION pg_temp.mq_drop_keys(regclass[]);
DROP FUNCTION pg_temp.mq_gram_add(text[], text);
DROP FUNCTION pg_temp.mq_word(text[], bigint, text);
DROP FUNCTION pg_temp.mq_fill(text, text, text, text, text, text, text, text);
DROP FUNCTION pg_temp.mq_pass(timestamptz);
DROP FUNCTION pg_temp.mq_due(text, integer, timestamptz);
DROP FUNCTION pg_temp.mq_awd(timestamptz, integer);
DROP FUNCTION pg_temp.mq_tw(double precision);
DROP FUNCTION pg_temp.mq_wt(timestamptz);
DROP FUNCTION pg_temp.mq_wday(integer);
DROP FUNCTION pg_temp.mq_work(date);
DROP FUNCTION pg_temp.mq_cum(date);
DROP FUNCTION pg_temp.mq_given(boolean, bigint);
DROP FUNCTION pg_temp.mq_f(bigint, integer);
