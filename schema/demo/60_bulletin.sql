-- Demo district, part 6: news (动态信息) and the bulletin board (公告栏) over
-- the past year, the read receipts of the staff, the district's published
-- consultation and complaint channels and the receiving staff of every unit
-- (受理人名单). docs/bulletin.md has the model.
--
-- Every unit publishes: the district 40 news items and 24 notices, each town
-- 12 and 6, each village 3 and 2 (fewer villages below scale 1, so fewer
-- items). Among the notices: two pinned district notices in force, expired
-- ones, drafts, withdrawn ones and one planned for next week; some news is
-- withdrawn. Staff have read most notices older than two weeks and a few of
-- the newer ones, so every demo account has unread ones. "Random" choices
-- are hashes of (seed, salt, number) (pg_temp.mq_h of 10_units.sql), times
-- are placed from midnight of the load's day: the same seed on the same day
-- gives the same rows.
--
-- Loaded with the row triggers off (path and district set here, texts
-- within their rules by construction); one IMPORT audit row at the end.

SET LOCAL search_path = minqing, ext, public;
SET LOCAL session_replication_role = replica;

-- Midnight of the load's day in the district's time: every time below is
-- placed from it (office hours on the days before, a planned notice on a
-- day after), so the same seed on the same day gives the same rows.
CREATE TEMP TABLE mq_day ON COMMIT DROP AS
SELECT date_trunc('day', now() AT TIME ZONE tz) AT TIME ZONE tz AS base
  FROM (SELECT (minqing.calendar_setting(1::smallint)).time_zone AS tz) z;

------------------------------------------------------------------------------
-- Who publishes: the district, the towns, the villages (and their writer)
------------------------------------------------------------------------------
CREATE TEMP TABLE mq_pub ON COMMIT DROP AS
SELECT u.unit_id, u.district_id, u.path, u.code, u.name, u.kind,
       CASE WHEN u.kind = 'district' THEN 40 WHEN u.kind IN ('town', 'street') THEN 12 ELSE 3 END AS n_news,
       CASE WHEN u.kind = 'district' THEN 24 WHEN u.kind IN ('town', 'street') THEN 6 ELSE 2 END AS n_notice,
       CASE WHEN u.kind = 'district' THEN 'demo_admin'
            ELSE coalesce((SELECT s.login FROM minqing.staff s
                            WHERE s.unit_id = u.unit_id AND s.duty IN ('handler', 'officer') AND s.active
                            ORDER BY s.staff_id LIMIT 1), 'demo_admin') END AS writer
  FROM minqing.org_unit u
 WHERE u.district_id = 1 AND u.kind IN ('district', 'town', 'street', 'village', 'community');

------------------------------------------------------------------------------
-- News
------------------------------------------------------------------------------
INSERT INTO minqing.news (district_id, unit_id, path, kind, title, body, published_at, author,
                          withdrawn_at, withdrawn_by)
SELECT p.district_id, p.unit_id, p.path, x.kind, x.title, x.body, x.at, p.writer,
       CASE WHEN x.h % 37 = 0 THEN least(x.at + interval '2 days', (SELECT d.base FROM mq_day d)) END,
       CASE WHEN x.h % 37 = 0 THEN p.writer END
  FROM mq_pub p
 CROSS JOIN LATERAL generate_series(1, p.n_news) AS i
 CROSS JOIN LATERAL (SELECT pg_temp.mq_h('news', p.unit_id * 1000 + i) & 9223372036854775807 AS h) hh
 CROSS JOIN LATERAL (
	SELECT k.kind,
	       replace(pg_temp.mq_pick(CASE k.kind
	           WHEN 'work' THEN ARRAY['{u}召开民情e站工作推进会', '{u}开展“民情日”集中走访', '{u}完成本季度户情民意备忘录更新',
	                                  '{u}召开民情恳谈会听取群众意见', '{u}部署提示催办和超期件清理工作', '{u}开展分站信息员业务培训',
	                                  '{u}推进民情e站分站规范化建设', '{u}召开驻村干部联系群众工作例会']
	           WHEN 'activity' THEN ARRAY['{u}党员志愿者开展主题服务月活动', '{u}开展“结对共建”走访慰问', '{u}组织便民服务进村社活动',
	                                      '{u}服务队上门为困难群众解难题', '{u}开展夜间走访倾听群众心声', '{u}举办邻里纠纷调解现场会',
	                                      '{u}开展党员联系户“回头看”', '{u}组织志愿者清理河道垃圾']
	           ELSE ARRAY['医保参保缴费政策解读', '农村宅基地审批政策解读', '城乡居民养老保险政策问答', '困难群众临时救助政策解读',
	                      '残疾人两项补贴申领须知', '农村危房改造补助政策解读', '义务教育入学政策问答', '退役军人优待政策解读'] END,
	           hh.h >> 8), '{u}', p.name) AS title,
	       replace(pg_temp.mq_pick(CASE k.kind
	           WHEN 'work' THEN ARRAY[E'{u}围绕民情e站“收集、分流、办理、反馈”各环节，对照服务承诺逐项检查，对临近期限的民情信息逐件提示催办。\n会议要求各分站信息员及时录入群众诉求，做到件件有回音、事事有着落。',
	                                  E'{u}组织干部分片走访农户，收集群众在道路、环境卫生、邻里关系等方面的意见建议，现场能解决的当场解决，不能当场解决的录入民情e站分流办理。',
	                                  E'{u}对本辖区超期未办结的民情信息进行梳理，逐件明确责任人和办结时限，并向群众说明原因。']
	           WHEN 'activity' THEN ARRAY[E'{u}党员志愿者走进困难家庭，帮助打扫卫生、检修电器，并了解家庭生活困难和合理诉求。\n活动共走访农户三十余户，收集民情信息十余条，均已录入民情e站跟踪办理。',
	                                      E'{u}结对单位党员干部与村（社区）党组织开展共建活动，围绕群众关心的热点问题座谈交流，现场解答政策咨询。',
	                                      E'{u}服务队按照“党小组+片组+片格”网格，分片上门服务，为群众代办各类便民事项。']
	           ELSE ARRAY[E'本文就群众关心的办理条件、所需材料、办理流程和办理时限作简要说明。\n如有疑问，可到所在村（社区）民情e站分站咨询，或拨打区民情e站咨询电话。',
	                      E'政策适用对象、申请条件和补助标准以有关部门正式文件为准。群众可通过民情e站提出申请，由信息员代为登记、全程代理。',
	                      E'符合条件的群众可向村（社区）提出申请，经审核公示后报镇（街道）审批，办理进度可在民情e站查询。'] END,
	           hh.h >> 24), '{u}', p.name) AS body,
	       (SELECT d.base FROM mq_day d) - (1 + (hh.h >> 32) % 364) * interval '1 day'
	       + interval '8 hours 30 minutes' + ((hh.h >> 16) % 480) * interval '1 minute' AS at,
	       hh.h & 2147483647 AS h
	  FROM (SELECT (ARRAY['work', 'work', 'activity', 'policy'])[1 + (hh.h & 3)]::minqing.news_kind AS kind) k
 ) x
 ORDER BY p.unit_id, i;

------------------------------------------------------------------------------
-- Notices
------------------------------------------------------------------------------
-- n = 1, 2 of the district: pinned and in force; the last two of the district
-- drafts, one withdrawn, one planned; the rest by hash: about one in six
-- expired, one in twenty withdrawn, one in fifteen a draft.
CREATE TEMP TABLE mq_notice_plan ON COMMIT DROP AS
SELECT p.district_id, p.unit_id, p.path, p.name AS unit_name, p.kind AS unit_kind, p.writer, i,
       pg_temp.mq_h('notice', p.unit_id * 1000 + i) & 9223372036854775807 AS h,
       p.n_notice, (SELECT d.base FROM mq_day d) AS base
  FROM mq_pub p CROSS JOIN LATERAL generate_series(1, p.n_notice) AS i;

INSERT INTO minqing.notice (district_id, unit_id, path, kind, audience, title, body, state, publish_at,
                            expire_at, pinned, author, published_by, withdrawn_at, withdrawn_by)
SELECT q.district_id, q.unit_id, q.path, q.kind, q.audience,
       replace(replace(q.title, '{u}', q.unit_name), '{m}',
               to_char(coalesce(q.publish_at, q.base) - interval '20 days', 'FMYYYY"年"FMMM"月"')),
       replace(q.body, '{u}', q.unit_name),
       q.state, q.publish_at, q.expire_at, q.pinned, q.writer,
       CASE WHEN q.state <> 'draft' THEN q.writer END,
       CASE WHEN q.state = 'withdrawn' THEN least(q.publish_at + interval '3 days', q.base) END,
       CASE WHEN q.state = 'withdrawn' THEN q.writer END
  FROM (
	SELECT m.*, t.kind, t.audience, t.title, t.body,
	       CASE WHEN m.unit_kind = 'district' AND m.i IN (1, 2) THEN 'published'
	            WHEN m.unit_kind = 'district' AND m.i = m.n_notice THEN 'draft'
	            WHEN m.unit_kind = 'district' AND m.i = m.n_notice - 1 THEN 'withdrawn'
	            WHEN m.unit_kind = 'district' AND m.i = m.n_notice - 2 THEN 'published'
	            WHEN m.h % 15 = 0 THEN 'draft'
	            WHEN m.h % 20 = 1 THEN 'withdrawn'
	            ELSE 'published' END::minqing.notice_state AS state,
	       CASE WHEN m.unit_kind = 'district' AND m.i IN (1, 2) THEN m.base - m.i * interval '20 days' + interval '9 hours'
	            WHEN m.unit_kind = 'district' AND m.i = m.n_notice THEN NULL
	            WHEN m.unit_kind = 'district' AND m.i = m.n_notice - 1 THEN m.base - interval '30 days' + interval '9 hours'
	            WHEN m.unit_kind = 'district' AND m.i = m.n_notice - 2 THEN m.base + interval '7 days' + interval '9 hours'
	            WHEN m.h % 15 = 0 THEN NULL
	            ELSE m.base - (1 + (m.h >> 20) % 360) * interval '1 day' + interval '8 hours 30 minutes'
	                 + ((m.h >> 8) % 480) * interval '1 minute' END AS publish_at,
	       CASE WHEN m.unit_kind = 'district' AND (m.i IN (1, 2) OR m.i >= m.n_notice - 2) THEN NULL
	            WHEN m.h % 6 = 2 THEN m.base - (1 + (m.h >> 20) % 360) * interval '1 day'
	                                  + ((m.h >> 40) % (1 + (m.h >> 20) % 360)) * interval '1 day' / 2
	                                  + interval '2 days'
	            WHEN m.h % 6 = 3 THEN m.base + interval '90 days'
	            ELSE NULL END AS expire_at,
	       m.unit_kind = 'district' AND m.i IN (1, 2) OR (m.unit_kind IN ('town', 'street') AND m.i = 1) AS pinned
	  FROM mq_notice_plan m
	 CROSS JOIN LATERAL (
		SELECT v.kind::minqing.notice_kind, v.audience::minqing.notice_audience, v.title, v.body
		  FROM (VALUES
			('notice', 'public', '{u}关于开展民情恳谈会的通知',
			 E'为进一步畅通群众诉求表达渠道，{u}定于近期召开民情恳谈会，按照“干部问事、群众说事、民主议事、限时办事、定期评事”五个环节进行。\n欢迎群众踊跃参加，反映意见建议。'),
			('contacts', 'public', '{u}民情e站分站受理时间及联系方式',
			 E'受理时间：工作日上午8:30-11:30，下午13:30-17:00。\n群众可到分站当面反映，也可通过信息员、服务热线反映诉求。'),
			('commitment', 'public', '{u}民情e站服务承诺',
			 E'对群众反映的民情信息，即时能办的当场办结；其他事项明确责任人和办结时限，在承诺时限内办结并反馈；确需延期的向群众说明原因。'),
			('results', 'public', '{u}{m}民情信息办理情况公示',
			 E'现将近期受理的民情信息办理进度和结果予以公示（姓名、电话已作隐去处理），接受群众监督。\n对办理结果有异议的，可在公示期内向民情e站反映。'),
			('circular', 'staff', '{u}关于{m}民情e站运行情况的督查通报',
			 E'经督查，部分分站存在录入不及时、反馈不到位、超期未说明原因等问题。\n请各单位对照通报逐项整改，并于十个工作日内报送整改情况。'),
			('notice', 'staff', '{u}关于做好近期民情信息分流办理工作的通知',
			 E'请各信息处理责任人及时登录民情e站分流处理新受理的民情信息，对临近期限的事项加强跟踪，避免超期预警。'),
			('notice', 'public', '{u}关于开展党员志愿者主题服务月活动的公告',
			 E'七月为党员志愿者主题服务月，{u}将组织服务队开展上门服务、政策宣传和矛盾调解，欢迎群众提出服务需求。')
		  ) AS v(kind, audience, title, body)
		 OFFSET (CASE WHEN m.unit_kind = 'district' AND m.i IN (1, 2) THEN m.i - 1 ELSE m.h % 7 END) LIMIT 1
	 ) t
 ) q
 ORDER BY q.unit_id, q.i;

-- Staff of the district have read what they see of the published notices:
-- most of those older than two weeks, a few newer ones.
INSERT INTO minqing.notice_read (notice_id, login, district_id, path, read_at)
SELECT n.notice_id, s.login, n.district_id, n.path,
       least((SELECT d.base FROM mq_day d),
             n.publish_at + (1 + (pg_temp.mq_h('notice-read-at', n.notice_id * 100000 + s.staff_id) & 1023) % 72)
                            * interval '1 hour')
  FROM minqing.notice n
  JOIN minqing.staff s ON s.district_id = n.district_id AND s.active AND s.duty <> 'kiosk'
 WHERE n.district_id = 1 AND n.state = 'published' AND n.publish_at <= (SELECT d.base FROM mq_day d)
   AND (n.path @> s.path OR n.path <@ s.path)
   AND (pg_temp.mq_h('notice-read', n.notice_id * 100000 + s.staff_id) & 1023)
       < CASE WHEN n.publish_at < (SELECT d.base FROM mq_day d) - interval '14 days' THEN 820 ELSE 200 END
   AND NOT (s.login IN ('demo_village', 'demo_town', 'demo_supervisor')
            AND n.publish_at > (SELECT d.base FROM mq_day d) - interval '60 days')
 ORDER BY n.notice_id, s.login;

------------------------------------------------------------------------------
-- The public pages
------------------------------------------------------------------------------
INSERT INTO minqing.public_contact (district_id, kind, label, value, note, sort_order)
VALUES (1, 'consult_phone', '区民情e站咨询电话', '0577-86899000', '工作日 8:30-17:00', 10),
       (1, 'complaint_phone', '区民情e站投诉举报电话', '0577-86899111', '24小时', 20),
       (1, 'consult_phone', '12345政务服务便民热线', '12345', '24小时', 30),
       (1, 'complaint_phone', '区纪委区监委举报电话', '12388', '工作日 8:30-17:00', 40),
       (1, 'mailbox', '民情e站咨询邮箱', 'minqing@longwan.example', '工作日内答复', 50),
       (1, 'mailbox', '民情e站举报邮箱', 'jubao@longwan.example', '受理后五个工作日内答复', 60);

-- Receivers: the central station's two, the handler of every town, village
-- and department (their name and post), and a window clerk at every town.
INSERT INTO minqing.receiver (district_id, unit_id, path, name, post, office_phone, sort_order)
SELECT x.district_id, x.unit_id, x.path, x.name, x.post, x.phone, x.ord
  FROM (
	SELECT u.district_id, u.unit_id, u.path, v.name, v.post, v.phone, v.ord
	  FROM minqing.org_unit u
	 CROSS JOIN (VALUES ('陈海燕', '区民情e站总站受理员', '0577-86899001', 1),
	                    ('林志强', '区民情e站总站值班长', '0577-86899002', 2)) AS v(name, post, phone, ord)
	 WHERE u.code = 'LW'
	UNION ALL
	SELECT s.district_id, s.unit_id, s.path, s.display_name, coalesce(s.position, '受理人'),
	       '0577-86' || lpad(((pg_temp.mq_h('receiver-phone', s.staff_id) & 2147483647) % 1000000)::text, 6, '0'),
	       10
	  FROM minqing.staff s JOIN minqing.org_unit u ON u.unit_id = s.unit_id
	 WHERE s.district_id = 1 AND s.active AND s.duty = 'handler' AND s.login = 'handler_' || lower(u.code)
	UNION ALL
	SELECT u.district_id, u.unit_id, u.path,
	       pg_temp.mq_surname(pg_temp.mq_h('receiver-name', u.unit_id))
	       || pg_temp.mq_pick('{丽,静,敏,燕,芳,婷,晓,海,建,伟,军,磊}'::text[], pg_temp.mq_h('receiver-given', u.unit_id))
	       || pg_temp.mq_pick('{华,红,平,英,萍,东,斌,峰,勇,洁,琳,娜}'::text[], pg_temp.mq_h('receiver-given2', u.unit_id)),
	       '便民服务中心窗口受理员',
	       '0577-86' || lpad(((pg_temp.mq_h('receiver-phone-w', u.unit_id) & 2147483647) % 1000000)::text, 6, '0'),
	       20
	  FROM minqing.org_unit u
	 WHERE u.district_id = 1 AND u.kind IN ('town', 'street')
 ) x
 ORDER BY x.path, x.ord;

SET LOCAL session_replication_role = origin;

-- One audit row for the whole load (the row triggers were off).
INSERT INTO minqing.audit_log (district_id, table_name, row_id, op, path, before, after)
SELECT 1, 'demo-data', 'bulletin seed=' || current_setting('minqing_demo.seed'), 'IMPORT', u.path, NULL,
       jsonb_build_object(
         'news', (SELECT count(*) FROM minqing.news),
         'notices', (SELECT count(*) FROM minqing.notice),
         'notice_reads', (SELECT count(*) FROM minqing.notice_read),
         'public_contacts', (SELECT count(*) FROM minqing.public_contact),
         'receivers', (SELECT count(*) FROM minqing.receiver))
  FROM minqing.org_unit u WHERE u.code = 'LW';
