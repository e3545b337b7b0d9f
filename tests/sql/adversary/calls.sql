-- Generates the psql script of phase A of tests/sql/adversary_generic.sh for
-- account :who, foreign scope :scope ('district': the second district;
-- 'town': T02 as well). Every SECURITY DEFINER function of schema minqing,
-- and every other one staff or kiosks may call (adv_test.definer_fn), read
-- from the catalogue, is called with foreign ids, unit codes and logins:
-- once per foreign case (or extension) when it takes one, else with all
-- arguments foreign and then with one foreign argument at a time. Each call
-- runs in its own transaction, rolled back, and prints @@REFUSED SQLSTATE or
-- @@DONE wrote=t|f (whether a transaction id was assigned: a write).
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on
SELECT '\set VERBOSITY terse';
SELECT '\set SHOW_CONTEXT never';
WITH me AS (
	SELECT s.login, u.code AS unit_code, u.path, s.district_id FROM minqing.staff s
	  JOIN minqing.org_unit u ON u.unit_id = s.unit_id WHERE s.login = :'who'),
foreign_case AS (
	SELECT t.case_id FROM adv_test.target t
	 WHERE t.scope = 'district' OR (t.scope = 'town' AND :'scope' = 'town')),
foreign_ext AS (
	SELECT x.extension_id FROM minqing.case_extension x JOIN foreign_case f USING (case_id)
	 WHERE x.decision IS NULL),
fv AS ( -- the foreign values, by parameter name
	SELECT * FROM (VALUES
		('p_household', (SELECT household_id::text FROM minqing.household WHERE household_no = 'XQ-0001')),
		('p_resident', (SELECT resident_id::text FROM minqing.resident WHERE name = 'XQ机密居民')),
		('p_resident_id', (SELECT resident_id::text FROM minqing.resident WHERE name = 'XQ机密居民')),
		('p_contact', (SELECT resident_id::text FROM minqing.resident WHERE name = 'XQ机密居民')),
		('p_from_contact', (SELECT resident_id::text FROM minqing.resident WHERE name = 'XQ机密居民')),
		('p_to_contact', (SELECT resident_id::text FROM minqing.resident WHERE name = 'XQ机密居民')),
		('p_category', (SELECT min(category_id)::text FROM minqing.case_category WHERE district_id = 2)),
		('p_station', (SELECT station_id::text FROM minqing.station WHERE code = 'XQS01')),
		('p_code', quote_literal('XQS01')),
		('p_unit_code', quote_literal('XQT01V01')),
		('p_handler_login', quote_literal('adv_x_vhandler')),
		('p_login', quote_literal('adv_x_officer')),
		('p_district', '2'),
		('p_path', quote_literal('XQ.XQT01.XQT01V01')),
		('p_case_no', (SELECT quote_literal(min(c.case_no)) FROM minqing.cases c JOIN foreign_case f USING (case_id))),
		('p_cases', (SELECT quote_literal(array_agg(f.case_id)::text) FROM foreign_case f)),
		('p_phone_tail', quote_literal('0001')),
		('p_phone', quote_literal('13911100001')),
		('p_submitter_phone', quote_literal('13911100001')),
		('p_content', quote_literal('XQ机密内容1')),
		('p_query', quote_literal('机密')),
		('p_news', (SELECT min(news_id)::text FROM minqing.news WHERE title LIKE 'XQ机密%')),
		('p_notice', (SELECT min(notice_id)::text FROM minqing.notice WHERE title LIKE 'XQ机密%')),
		('p_receiver', (SELECT min(receiver_id)::text FROM minqing.receiver WHERE name LIKE 'XQ机密%')),
		('p_unit', quote_literal('XQT01V01')),
		('p_mark', (SELECT min(m.mark_id)::text FROM minqing.hardship_mark m
		             JOIN minqing.household h USING (household_id) WHERE h.household_no = 'XQ-0001')),
		('p_revision', (SELECT min(r.revision_id)::text FROM minqing.archive_revision r
		                 JOIN minqing.org_unit u USING (unit_id) WHERE u.code = 'XQT01V01')),
		('p_revision_a', (SELECT min(r.revision_id)::text FROM minqing.archive_revision r
		                   JOIN minqing.org_unit u USING (unit_id) WHERE u.code = 'XQT01V01')),
		('p_revision_b', (SELECT min(r.revision_id)::text FROM minqing.archive_revision r
		                   JOIN minqing.org_unit u USING (unit_id) WHERE u.code = 'XQT01V01')),
		('p_demand', (SELECT min(d.demand_id)::text FROM minqing.household_demand d
		               JOIN minqing.household h USING (household_id) WHERE h.household_no = 'XQ-0001')),
		('p_memo_revision_a', (SELECT min(r.revision_id)::text FROM minqing.household_memo_revision r
		                        JOIN minqing.household h USING (household_id) WHERE h.household_no = 'XQ-0001')),
		('p_memo_revision_b', (SELECT min(r.revision_id)::text FROM minqing.household_memo_revision r
		                        JOIN minqing.household h USING (household_id) WHERE h.household_no = 'XQ-0001')),
		('p_card', (SELECT min(c.card_id)::text FROM minqing.service_card c WHERE c.card_no = 'XQT01V01-0001')),
		('p_pairing', (SELECT min(p.pairing_id)::text FROM minqing.pairing p WHERE p.note = 'XQ机密结对')),
		('p_cadre', (SELECT min(c.cadre_id)::text FROM minqing.resident_cadre c WHERE c.name = 'XQ机密干部')),
		('p_agency_code', quote_literal('XQA01')),
		('p_from_code', quote_literal('XQA01')),
		('p_passed_to_code', quote_literal('XQA01')),
		('p_meeting', (SELECT min(m.meeting_id)::text FROM minqing.meeting m WHERE m.title = 'XQ机密恳谈')),
		('p_matter', (SELECT min(x.matter_id)::text FROM minqing.meeting_matter x
		               JOIN minqing.meeting m USING (meeting_id) WHERE m.title = 'XQ机密恳谈')),
		('p_host_login', quote_literal('adv_x_officer')),
		('p_cell', (SELECT min(c.cell_id)::text FROM minqing.grid_cell c WHERE c.name = 'XQ机密网格')),
		('p_team', (SELECT min(t.team_id)::text FROM minqing.service_team t WHERE t.name = 'XQ机密服务队')),
		('p_member', (SELECT min(m.member_id)::text FROM minqing.service_team_member m
		               JOIN minqing.service_team t USING (team_id) WHERE t.name = 'XQ机密服务队')),
		('p_visit', (SELECT min(v.visit_id)::text FROM minqing.visit v WHERE v.findings = 'XQ机密走访')),
		('p_volunteer', (SELECT min(volunteer_id)::text FROM minqing.volunteer WHERE name = 'XQ机密志愿者')),
		('p_enterprise', (SELECT min(enterprise_id)::text FROM minqing.enterprise WHERE name = 'XQ机密企业')),
		('p_activity', (SELECT min(activity_id)::text FROM minqing.activity WHERE title = 'XQ机密活动')),
		('p_signup', (SELECT min(g.signup_id)::text FROM minqing.activity_signup g
		               JOIN minqing.activity a USING (activity_id) WHERE a.title = 'XQ机密活动')),
		('p_inbound', (SELECT min(inbound_id)::text FROM minqing.sms_inbound WHERE body = 'XQ机密短信')),
		('p_assessment', (SELECT min(assessment_id)::text FROM minqing.assessment WHERE district_id = 2)),
		('p_rule', (SELECT min(rule_id)::text FROM minqing.assessment_rule WHERE name_zh = 'XQ机密项目')),
		('p_period', quote_literal('2020')),
		('p_copy_from', quote_literal('2020')),
		('p_town', quote_literal('XQT01')),
		('p_inspection', (SELECT min(inspection_id)::text FROM minqing.inspection WHERE team = 'XQ机密督查组')),
		('p_finding', (SELECT min(finding_id)::text FROM minqing.inspection_finding WHERE finding_no = 'DC-XQ-000001')),
		('p_circular', (SELECT min(circular_id)::text FROM minqing.circular WHERE title = 'XQ机密通报')),
		('p_owner_unit_code', quote_literal('XQT01V01')),
		('p_unit_codes', quote_literal('XQT01V01')),
		('p_messages', (SELECT quote_literal(array_agg(message_id)::text) || '::bigint[]'
		                  FROM minqing.outbox WHERE district_id = 2)),
		('p_units', (SELECT quote_literal(array_agg(unit_id)::text) || '::integer[]'
		               FROM minqing.org_unit WHERE district_id = 2))) AS v(name, val)),
ov AS ( -- the caller's own values for the same names (one foreign at a time)
	SELECT * FROM (VALUES
		('p_category', (SELECT min(category_id)::text FROM minqing.case_category k, me
		                 WHERE k.district_id = me.district_id AND k.parent_id IS NOT NULL)),
		('p_unit_code', (SELECT quote_literal(unit_code) FROM me)),
		('p_login', quote_literal('adv_new_login')),
		('p_district', (SELECT district_id::text FROM me)),
		('p_path', (SELECT quote_literal(path::text) FROM me))) AS v(name, val)),
fn AS (SELECT oid, proname FROM adv_test.definer_fn),
typed AS (SELECT * FROM adv_test.definer_arg),
valued AS ( -- foreign value, own value (NULL: the same) of every argument
	SELECT t.*,
	       coalesce((SELECT fv.val FROM fv WHERE fv.name = t.name),
	                CASE WHEN t.typtype = 'e' THEN t.first_label
	                     WHEN t.typtype = 'c' OR t.typcategory = 'A' THEN 'NULL'
	                     WHEN t.qtype IN ('pg_catalog.int2', 'pg_catalog.int4', 'pg_catalog.int8',
	                                      'pg_catalog.numeric') THEN
	                          CASE t.name WHEN 'p_limit' THEN '50' WHEN 'p_working_days' THEN '2' ELSE '1' END
	                     WHEN t.qtype = 'pg_catalog.bool' THEN 'true'
	                     WHEN t.qtype = 'pg_catalog.timestamptz' THEN 'now()'
	                     WHEN t.qtype = 'pg_catalog.date' THEN 'NULL'
	                     WHEN t.qtype = 'pg_catalog.jsonb' THEN quote_literal('{}')
	                     WHEN t.qtype = 'pg_catalog.name' THEN quote_literal('adv_x_officer')
	                     ELSE quote_literal('测试') END) AS fval,
	       (SELECT ov.val FROM ov WHERE ov.name = t.name) AS oval
	  FROM typed t),
calls AS (
	-- per foreign case or extension
	SELECT v.oid, v.proname, x.k AS variant,
	       string_agg(CASE WHEN v.name IN ('p_case', 'p_case_id', 'p_extension') THEN x.id::text ELSE v.fval END
	                  || '::' || v.qtype, ', ' ORDER BY v.pos) AS args
	  FROM valued v
	  JOIN (SELECT 'case' AS what, case_id AS id, row_number() OVER (ORDER BY case_id) AS k FROM foreign_case
	        UNION ALL
	        SELECT 'ext', extension_id, 100 + row_number() OVER (ORDER BY extension_id) FROM foreign_ext) x
	    ON x.what = CASE WHEN EXISTS (SELECT 1 FROM valued w WHERE w.oid = v.oid AND w.name = 'p_extension')
	                     THEN 'ext' ELSE 'case' END
	 WHERE EXISTS (SELECT 1 FROM valued w WHERE w.oid = v.oid AND w.name IN ('p_case', 'p_case_id', 'p_extension'))
	 GROUP BY v.oid, v.proname, x.k
	UNION ALL
	-- all foreign (also the functions without arguments)
	SELECT f.oid, f.proname, 0,
	       coalesce((SELECT string_agg(v.fval || '::' || v.qtype, ', ' ORDER BY v.pos) FROM valued v
	                  WHERE v.oid = f.oid), '')
	  FROM fn f
	 WHERE NOT EXISTS (SELECT 1 FROM valued w WHERE w.oid = f.oid AND w.name IN ('p_case', 'p_case_id', 'p_extension'))
	UNION ALL
	-- one foreign argument at a time, the others the caller's own
	SELECT v.oid, v.proname, 1000 + v.pos,
	       (SELECT string_agg(CASE WHEN w.pos = v.pos THEN w.fval ELSE coalesce(w.oval, w.fval) END
	                          || '::' || w.qtype, ', ' ORDER BY w.pos) FROM valued w WHERE w.oid = v.oid)
	  FROM valued v
	 WHERE v.oval IS NOT NULL
	   AND NOT EXISTS (SELECT 1 FROM valued w WHERE w.oid = v.oid AND w.name IN ('p_case', 'p_case_id', 'p_extension'))
)
SELECT format(E'\\echo @@CALL minqing.%s(%s)\nBEGIN;\nSELECT * FROM minqing.%I(%s);\n'
              '\\if :ERROR\n\\echo @@REFUSED :SQLSTATE\n\\else\n'
              'SELECT pg_catalog.pg_current_xact_id_if_assigned() IS NOT NULL AS wrote \\gset\n'
              '\\echo @@DONE wrote=:wrote\n\\endif\nROLLBACK;',
              c.proname, c.args, c.proname, c.args)
  FROM calls c
 ORDER BY c.proname, c.variant;
