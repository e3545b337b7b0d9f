-- Reports of the assessment module (考核通报), for supervisors: first, the
-- e-station's summary (民情e站概况) — the figures the district publishes of
-- itself: stations by kind, information officers, service teams, service
-- cards, visits and their coverage, district volunteers, pairings, dialogue
-- meetings, cases recorded and resolved — counted from the data of the
-- caller's jurisdiction (my_scope(): a town supervisor sees the town's).
-- Invoker functions: row-level security decides what is counted, as it
-- does for every list (docs/reports.md).

-- How current the figures are (数据截至), wherever the report is read: the
-- primary, or a hot standby (database.report_conninfo; docs/reports.md, "Hot
-- standby for reports"). On the primary: now, no lag. On a standby: the lag
-- is nil while its WAL receiver runs and everything received is replayed
-- (the primary is idle, or the standby keeps up); otherwise it is the age of
-- the last transaction replayed (pg_last_xact_replay_timestamp(), the
-- primary's commit time) — what a standby cut off from the primary, or
-- behind it, can vouch for. NULL when a standby has replayed nothing since
-- it started and does not stream (unknown). The report screens show it in
-- their heading (数据截至 HH:MM:SS, 延迟 N 秒).
CREATE OR REPLACE FUNCTION minqing.report_as_of()
RETURNS TABLE (as_of timestamptz, lag interval, on_standby boolean)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT now() - l.lag, l.lag, l.standby FROM (
		SELECT pg_catalog.pg_is_in_recovery() AS standby,
		       CASE WHEN NOT pg_catalog.pg_is_in_recovery() THEN interval '0'
		            WHEN pg_catalog.pg_last_wal_replay_lsn() >= pg_catalog.pg_last_wal_receive_lsn()
		             AND EXISTS (SELECT 1 FROM pg_catalog.pg_stat_wal_receiver r WHERE r.pid IS NOT NULL)
		            THEN interval '0'
		            -- (greatest() would take a NULL for nil: a standby that has replayed nothing yet)
		            WHEN pg_catalog.pg_last_xact_replay_timestamp() IS NULL THEN NULL
		            ELSE greatest(now() - pg_catalog.pg_last_xact_replay_timestamp(), interval '0')
		       END AS lag
	) l;
$$;
COMMENT ON FUNCTION minqing.report_as_of() IS
	'How current a report''s figures are (数据截至): on the primary now; on a hot standby now less its replay lag '
	'(nil while it streams and has replayed all it received, else the age of the last transaction replayed).';
REVOKE ALL ON FUNCTION minqing.report_as_of() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_as_of() TO mq_staff;

-- The summary's heading: the jurisdiction and the moment of the figures
-- (report_as_of(): the same time the screen's heading shows).
CREATE OR REPLACE FUNCTION minqing.report_summary()
RETURNS TABLE (title text, unit_name text, unit_name_en text, as_of timestamptz)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT '民情e站概况', u.name, coalesce(u.name_en, u.name), a.as_of
	  FROM minqing.org_unit u, minqing.report_as_of() a WHERE u.path = (SELECT minqing.my_scope());
$$;
COMMENT ON FUNCTION minqing.report_summary() IS
	'The heading of the e-station''s summary (民情e站概况): the caller''s jurisdiction and the time of the figures.';
REVOKE ALL ON FUNCTION minqing.report_summary() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_summary() TO mq_staff;

-- The figures, one labelled line each (a record's lines: label, value,
-- depth). Counts of what is in force now (active stations and officers,
-- live cards, pairings not ended); visits and coverage over the last twelve
-- months as 走访覆盖率 counts them (visit_coverage); cases since the start.
CREATE OR REPLACE FUNCTION minqing.report_summary_lines()
RETURNS TABLE (label_zh text, label_en text, value text, value_en text, depth integer)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	WITH me AS (SELECT minqing.my_scope() AS p),
	st AS (SELECT s.kind, count(*) AS n FROM minqing.station s, me
	        WHERE s.path OPERATOR(ext.<@) me.p AND s.active AND s.kind <> 'central' GROUP BY s.kind),
	cov AS (SELECT c.households, c.visited, c.coverage_text, c.target_percent
	          FROM minqing.visit_coverage('district') c LIMIT 1),
	vis AS (SELECT count(*) AS visits, coalesce(sum(v.persons_met), 0) AS persons
	          FROM minqing.visit v, me
	         WHERE v.path OPERATOR(ext.<@) me.p AND v.visited_at > now() - interval '1 year'),
	-- From the summaries the triggers keep (72_report_figures.sql; by month): the
	-- jurisdiction's own unit counts every case received or handled in it
	-- once, each in its current state; no scan of the cases (a million at
	-- scale 10).
	cs AS (SELECT coalesce(sum(r.recorded), 0) AS recorded, coalesce(sum(r.resolved), 0) AS resolved
	         FROM (SELECT r.recorded, r.resolved FROM minqing.report_case_month r
	                WHERE r.unit_id = (SELECT u.unit_id FROM minqing.org_unit u, me WHERE u.path = me.p)
	                  AND r.dim = 'unit'
	               UNION ALL
	               -- what the report log holds that the summaries do not have yet
	               SELECT r.recorded, r.resolved
	                 FROM minqing.report_pending(ARRAY[(SELECT u.unit_id FROM minqing.org_unit u, me
	                                                    WHERE u.path = me.p)], 'unit') r) r),
	mt AS (SELECT count(*) FILTER (WHERE m.status IN ('held', 'reviewed')) AS held,
	              count(*) FILTER (WHERE m.status = 'reviewed') AS reviewed
	         FROM minqing.meeting m, me WHERE m.path OPERATOR(ext.<@) me.p)
	SELECT l.label_zh, l.label_en, l.value, coalesce(l.value_en, l.value), l.depth FROM (
		SELECT 1 AS o, '分站'::text AS label_zh, 'Stations'::text AS label_en,
		       (SELECT coalesce(sum(n), 0) FROM st)::text AS value, NULL::text AS value_en, 0 AS depth
		UNION ALL
		SELECT 2 + array_position('{village,enterprise,agency,other}'::text[], st.kind::text),
		       CASE st.kind WHEN 'village' THEN '村级分站' WHEN 'enterprise' THEN '企业分站'
		                    WHEN 'agency' THEN '机关分站' ELSE '其他分站' END,
		       CASE st.kind WHEN 'village' THEN 'village' WHEN 'enterprise' THEN 'enterprise'
		                    WHEN 'agency' THEN 'agency' ELSE 'other' END,
		       st.n::text, NULL, 1
		  FROM st
		UNION ALL
		SELECT 10, '信息员', 'Information officers',
		       (SELECT count(*) FROM minqing.staff s, me
		         WHERE s.path OPERATOR(ext.<@) me.p AND s.duty = 'officer' AND s.active)::text, NULL, 0
		UNION ALL
		SELECT 11, '服务队', 'Service teams',
		       (SELECT count(*) FROM minqing.service_team t, me WHERE t.path OPERATOR(ext.<@) me.p)::text, NULL, 0
		UNION ALL
		SELECT 12, '便民服务卡', 'Service cards',
		       (SELECT count(*) FROM minqing.service_card c, me
		         WHERE c.path OPERATOR(ext.<@) me.p AND c.voided_at IS NULL)::text, NULL, 0
		UNION ALL
		SELECT 13, '走访（近一年）', 'Visits (last 12 months)', vis.visits::text, NULL, 0 FROM vis
		UNION ALL
		SELECT 14, '走访人次', 'Persons met', vis.persons::text, NULL, 1 FROM vis
		UNION ALL
		SELECT 15, '走访覆盖率', 'Visit coverage',
		       coalesce(cov.coverage_text || '（' || cov.visited || '/' || cov.households || '户，目标 '
		                || cov.target_percent || '%）', '—'),
		       coalesce(cov.coverage_text || ' (' || cov.visited || '/' || cov.households
		                || ' households, target ' || cov.target_percent || '%)', '—'), 1
		  FROM (SELECT 1) one LEFT JOIN cov ON true
		UNION ALL
		SELECT 16, '区志愿者队伍', 'District volunteers',
		       (SELECT count(*) FROM minqing.volunteer v, me
		         WHERE v.path OPERATOR(ext.<@) me.p AND v.district_team AND v.active)::text, NULL, 0
		UNION ALL
		SELECT 17, '结对共建', 'Pairings',
		       (SELECT count(*) FROM minqing.pairing p, me
		         WHERE (p.path OPERATOR(ext.<@) me.p OR p.agency_path OPERATOR(ext.<@) me.p)
		           AND (p.until IS NULL OR p.until >= current_date))::text, NULL, 0
		UNION ALL
		SELECT 18, '民情恳谈会（已召开 / 已评事）', 'Dialogue meetings (held / reviewed)',
		       mt.held || ' / ' || mt.reviewed, NULL, 0 FROM mt
		UNION ALL
		SELECT 20, '民情信息', 'Cases', NULL, NULL, 0
		UNION ALL
		SELECT 21, '受理登记', 'recorded', cs.recorded::text, NULL, 1 FROM cs
		UNION ALL
		SELECT 22, '已办结', 'resolved', cs.resolved::text, NULL, 1 FROM cs
		UNION ALL
		SELECT 23, '办结率', 'resolution rate',
		       CASE WHEN cs.recorded > 0 THEN round(100.0 * cs.resolved / cs.recorded, 1) || '%' ELSE '—' END, NULL, 1
		  FROM cs
	) l ORDER BY l.o;
$$;
COMMENT ON FUNCTION minqing.report_summary_lines() IS
	'The e-station''s summary (民情e站概况) as labelled lines, counted in the caller''s jurisdiction: stations by '
	'kind, officers, service teams, live service cards, visits and coverage (last twelve months), district '
	'volunteers, pairings in force, dialogue meetings, cases recorded and resolved.';
REVOKE ALL ON FUNCTION minqing.report_summary_lines() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_summary_lines() TO mq_staff;
