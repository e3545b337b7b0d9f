-- Generates the psql script of phase B of tests/sql/adversary_generic.sh for
-- account :who: every SECURITY DEFINER function with a free-text parameter,
-- called on each of the caller's own target cases (one per state) with
-- normal text (@@GOOD), then with each text parameter in turn hostile
-- (@@BAD): a million characters, blank, a direction override, a zero-width
-- space, a control character. Each call in its own transaction, rolled back;
-- @@REFUSED, or @@FIXED (it worked and no row it wrote holds a text that
-- breaks the rules: cases, events, extensions, news, notices), or @@OK (it
-- worked: for a hostile text, a failure).
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on
SELECT '\set VERBOSITY terse';
SELECT '\set SHOW_CONTEXT never';
WITH me AS (
	SELECT s.login, u.code AS unit_code, s.district_id FROM minqing.staff s
	  JOIN minqing.org_unit u ON u.unit_id = s.unit_id WHERE s.login = :'who'),
own_case AS (SELECT t.case_id FROM adv_test.target t WHERE t.scope = 'own'),
own_ext AS (
	SELECT x.extension_id FROM minqing.case_extension x JOIN own_case USING (case_id) WHERE x.decision IS NULL),
typed AS (
	SELECT d.*,
	       -- free text: what a person types, not a code, login, number or phone
	       (d.typname = 'text' AND d.name NOT IN ('p_unit_code', 'p_handler_login', 'p_login', 'p_case_no',
	                                             'p_phone_tail', 'p_phone', 'p_submitter_phone', 'p_password',
	                                             'p_code', 'p_filter', 'p_centre', 'p_step', 'p_unit',
	                                             'p_kind')) AS free
	  FROM adv_test.definer_arg d
	 WHERE d.definer),
valued AS (
	SELECT t.*,
	       CASE WHEN t.free THEN quote_literal('正常文本')
	            WHEN t.name = 'p_category' THEN (SELECT min(category_id)::text FROM minqing.case_category k, me
	                                             WHERE k.district_id = me.district_id AND k.parent_id IS NOT NULL)
	            WHEN t.name IN ('p_unit_code', 'p_unit') THEN quote_literal('T01V01')
	            WHEN t.name = 'p_kind' THEN quote_literal('dibao')
	            WHEN t.name = 'p_submitter_phone' THEN quote_literal('13933300099')
	            WHEN t.name IN ('p_household', 'p_resident', 'p_station', 'p_handler_login', 'p_is_key',
	                            'p_warning', 'p_after_at', 'p_after_id', 'p_resident_id', 'p_notice',
	                            'p_expire_at') THEN 'NULL'
	            WHEN t.name = 'p_anonymous' THEN 'false'
	            WHEN t.name = 'p_approve' THEN 'true'
	            WHEN t.name = 'p_satisfaction' THEN quote_literal('satisfied')
	            WHEN t.name = 'p_channel' THEN quote_literal('walk_in')
	            WHEN t.typtype = 'e' THEN t.first_label
	            WHEN t.typtype = 'c' OR t.typcategory = 'A' THEN 'NULL'
	            WHEN t.qtype IN ('pg_catalog.int2', 'pg_catalog.int4', 'pg_catalog.int8', 'pg_catalog.numeric') THEN
	                 CASE t.name WHEN 'p_limit' THEN '50' WHEN 'p_working_days' THEN '2' ELSE '1' END
	            WHEN t.qtype = 'pg_catalog.bool' THEN 'false'
	            WHEN t.qtype = 'pg_catalog.timestamptz' THEN 'now()'
	            WHEN t.qtype = 'pg_catalog.date' THEN 'NULL'
	            WHEN t.qtype = 'pg_catalog.jsonb' THEN quote_literal('{}')
	            WHEN t.qtype = 'pg_catalog.name' THEN quote_literal('adv_new_login')
	            ELSE quote_literal('测试') END AS val
	  FROM typed t),
target AS ( -- the case (or extension) of each call, or none
	SELECT v.oid, x.id
	  FROM (SELECT DISTINCT oid FROM valued WHERE name IN ('p_case', 'p_case_id')) v
	 CROSS JOIN (SELECT case_id AS id FROM own_case) x
	UNION ALL
	SELECT v.oid, x.id
	  FROM (SELECT DISTINCT oid FROM valued WHERE name = 'p_extension') v
	 CROSS JOIN (SELECT extension_id AS id FROM own_ext) x
	UNION ALL
	SELECT DISTINCT v.oid, NULL::bigint FROM valued v
	 WHERE NOT EXISTS (SELECT 1 FROM valued w WHERE w.oid = v.oid AND w.name IN ('p_case', 'p_case_id', 'p_extension'))),
hostile (k, expr) AS (VALUES
	(1, 'repeat(''很'', 1000000)'), (2, 'E''\u3000 \u3000'''), (3, 'E''正常\u202e文本'''),
	(4, 'E''正\u200b常'''), (5, 'E''正常\x01文本''')),
calls AS (
	SELECT t.oid, t.id, 0 AS free_pos, 0 AS k,
	       string_agg(CASE WHEN v.name IN ('p_case', 'p_case_id', 'p_extension') THEN t.id::text ELSE v.val END
	                  || '::' || v.qtype, ', ' ORDER BY v.pos) AS args
	  FROM target t JOIN valued v ON v.oid = t.oid
	 WHERE EXISTS (SELECT 1 FROM valued w WHERE w.oid = t.oid AND w.free)
	 GROUP BY t.oid, t.id
	UNION ALL
	SELECT t.oid, t.id, f.pos, h.k,
	       (SELECT string_agg(CASE WHEN v.name IN ('p_case', 'p_case_id', 'p_extension') THEN t.id::text
	                               WHEN v.pos = f.pos THEN h.expr ELSE v.val END
	                          || '::' || v.qtype, ', ' ORDER BY v.pos) FROM valued v WHERE v.oid = t.oid)
	  FROM target t JOIN valued f ON f.oid = t.oid AND f.free CROSS JOIN hostile h)
SELECT format(E'\\echo @@%s minqing.%s(%s) %s\nBEGIN;\n%sSELECT * FROM minqing.%I(%s);\n%s'
              '\\if :ERROR\n\\echo @@REFUSED :SQLSTATE\n\\else\n'
              'SELECT (SELECT count(*) FROM minqing.case_event e WHERE e.xmin = pg_catalog.pg_current_xact_id()::pg_catalog.xid'
              ' AND NOT minqing.text_ok(e.note, 1000000, true))'
              ' + (SELECT count(*) FROM minqing.cases c WHERE c.xmin = pg_catalog.pg_current_xact_id()::pg_catalog.xid'
              ' AND NOT (minqing.text_ok(c.title, 1000000, false) AND minqing.text_ok(c.content, 1000000, true)'
              ' AND minqing.text_ok(c.result, 1000000, true) AND minqing.text_ok(c.pause_reason, 1000000, true)'
              ' AND minqing.text_ok(c.overdue_reason, 1000000, true)))'
              ' + (SELECT count(*) FROM minqing.case_extension x WHERE x.xmin = pg_catalog.pg_current_xact_id()::pg_catalog.xid'
              ' AND NOT (minqing.text_ok(x.reason, 1000000, true) AND minqing.text_ok(x.decision_note, 1000000, true)))'
              ' + (SELECT count(*) FROM minqing.news n WHERE n.xmin = pg_catalog.pg_current_xact_id()::pg_catalog.xid'
              ' AND NOT (minqing.text_ok(n.title, 1000000, false) AND minqing.text_ok(n.body, 1000000, true)))'
              ' + (SELECT count(*) FROM minqing.notice n WHERE n.xmin = pg_catalog.pg_current_xact_id()::pg_catalog.xid'
              ' AND NOT (minqing.text_ok(n.title, 1000000, false) AND minqing.text_ok(n.body, 1000000, true)))'
              ' = 0 AS clean \\gset\n'
              '\\if :clean\n\\echo %s\n\\else\n\\echo @@OK\n\\endif\n\\endif\nROLLBACK;',
              CASE WHEN c.k = 0 THEN 'GOOD' ELSE 'BAD' END, p.proname,
              coalesce(c.id::text, '-') || '/' || c.free_pos, 'k' || c.k,
              CASE WHEN c.k = 0 THEN '' ELSE E'\\timing on\n' END, p.proname, c.args,
              CASE WHEN c.k = 0 THEN '' ELSE E'\\timing off\n' END,
              CASE WHEN c.k = 0 THEN '@@OK' ELSE '@@FIXED' END)
  FROM calls c JOIN pg_proc p ON p.oid = c.oid
 ORDER BY p.proname, c.id NULLS FIRST, c.free_pos, c.k;
