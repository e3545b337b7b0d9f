-- account: demo_town
-- The reads behind the case lists (forms/*.view): what a search typed in
-- Find cases is (case_query, once tested in C as listfmt_classify), and
-- that find_cases() and warnings() give a town's handler exactly the rows a
-- plain query under its row-level security gives, in the view's order, a
-- page at a time by keyset without a gap or a repeat.
-- One snapshot for the pages and the plain queries they are compared with:
-- the suite's other tests write cases to the same database meanwhile.
BEGIN ISOLATION LEVEL REPEATABLE READ;
SET search_path = minqing, ext, tap, public;
SELECT plan(32);

-- what was typed
SELECT is((SELECT kind || '|' || norm FROM case_query('')), 'empty|', 'nothing typed: every case');
SELECT is((SELECT kind || '|' || norm FROM case_query('   ')), 'empty|', 'blanks only: every case');
SELECT is((SELECT kind || '|' || norm FROM case_query(E'\u3000')), 'empty|', 'an ideographic space only');
SELECT is((SELECT kind || '|' || norm FROM case_query(NULL)), 'empty|', 'NULL: every case');
SELECT is((SELECT kind || '|' || norm FROM case_query('lw-2026-0009')), 'case_no|LW-2026-0009',
	'a case number, upper-cased');
SELECT is((SELECT kind || '|' || norm FROM case_query(' LW- ')), 'case_no|LW-', 'a case number prefix, trimmed');
SELECT is((SELECT kind || '|' || norm FROM case_query('936')), 'serial|936', 'three digits: a serial');
SELECT is((SELECT kind || '|' || norm FROM case_query('000936')), 'serial|000936', 'zeros kept as typed');
SELECT is((SELECT kind || '|' || norm FROM case_query('13957700001')), 'phone|13957700001', 'a mobile number');
SELECT is((SELECT kind FROM case_query('12957700001')), 'serial', '12… is not a mobile number');
SELECT is((SELECT kind FROM case_query('139577000011')), 'serial', 'twelve digits are not a mobile number');
SELECT is((SELECT kind || '|' || norm FROM case_query('路灯')), 'words|路灯', 'two characters: words');
SELECT is((SELECT kind || '|' || norm FROM case_query(E'\u3000路灯 ')), 'words|路灯', 'words, trimmed');
SELECT is((SELECT kind FROM case_query('12')), 'words', 'two digits are words');
SELECT is((SELECT kind FROM case_query('灯')), 'short', 'one character is too short');
SELECT is((SELECT kind FROM case_query('a')), 'short', 'one letter is too short');
SELECT is((SELECT kind FROM case_query('LW 2026')), 'words', 'a number with a blank is words');

-- every case I see, newest first, in pages of 5 that join up
CREATE TEMP TABLE IF NOT EXISTS pages (n serial, case_id bigint) ON COMMIT DROP;
DO $$
DECLARE
	at timestamptz;
	id bigint;
	r record;
	got integer;
BEGIN
	LOOP
		got := 0;
		FOR r IN SELECT * FROM minqing.find_cases(p_after_created => at, p_after_id => id, p_limit => 5) LOOP
			INSERT INTO pages (case_id) VALUES (r.case_id);
			at := r.created_at;
			id := r.case_id;
			got := got + 1;
		END LOOP;
		EXIT WHEN got < 5;
	END LOOP;
END $$;
SELECT is((SELECT array_agg(case_id ORDER BY n) FROM pages),
	(SELECT array_agg(case_id ORDER BY created_at DESC, case_id DESC) FROM cases),
	'find_cases pages, keyset by (created_at, id), are every case I see, newest first, once');
SELECT cmp_ok((SELECT count(*) FROM pages), '>', 5::bigint, 'more than one page');
SELECT is((SELECT array_agg(case_id) FROM find_cases(p_sort => 'case_no', p_limit => 500)),
	(SELECT array_agg(case_id ORDER BY case_no) FROM (SELECT * FROM cases ORDER BY case_no LIMIT 500) c),
	'by case number');
SELECT is((SELECT array_agg(f.case_id) FROM find_cases(p_sort => 'case_no', p_after_no => (SELECT min(case_no) FROM cases), p_limit => 500) f),
	(SELECT array_agg(case_id ORDER BY case_no) FROM (SELECT * FROM cases WHERE case_no > (SELECT min(case_no) FROM cases) ORDER BY case_no LIMIT 500) c),
	'by case number, after a number');

-- found by what was typed
SELECT is((SELECT array_agg(case_id) FROM find_cases((SELECT left(max(case_no), 9) FROM cases), p_limit => 500)),
	(SELECT array_agg(case_id ORDER BY created_at DESC, case_id DESC) FROM cases
	  WHERE case_no LIKE (SELECT left(max(case_no), 9) FROM cases) || '%'),
	'a case number prefix');
SELECT is((SELECT array_agg(case_id) FROM find_cases((SELECT split_part(max(case_no), '-', 3)::integer::text FROM cases))),
	(SELECT array_agg(case_id ORDER BY created_at DESC, case_id DESC) FROM cases
	  WHERE split_part(case_no, '-', 3)::integer = (SELECT split_part(max(case_no), '-', 3)::integer FROM cases)),
	'a serial without its zeros, every year');
SELECT is((SELECT array_agg(case_id) FROM find_cases((SELECT max(submitter_phone) FROM cases), p_limit => 500)),
	(SELECT array_agg(case_id ORDER BY created_at DESC, case_id DESC) FROM cases
	  WHERE submitter_phone = (SELECT max(submitter_phone) FROM cases)),
	'a mobile number');
SELECT is((SELECT array_agg(case_id) FROM find_cases((SELECT substr(title, 1, 2) FROM cases ORDER BY case_id LIMIT 1), p_limit => 500)),
	(SELECT array_agg(case_id ORDER BY created_at DESC, case_id DESC) FROM cases
	  WHERE position((SELECT substr(title, 1, 2) FROM cases ORDER BY case_id LIMIT 1)
	                 IN title || ' ' || content || ' ' || coalesce(submitter_name, '')) > 0),
	'words of a title, newest first');
SELECT is((SELECT count(*) FROM find_cases('灯')), 0::bigint, 'one character finds nothing (the console says why)');
SELECT is((SELECT array_agg(case_id) FROM find_cases(p_centre => 'mediation', p_limit => 500)),
	(SELECT array_agg(c.case_id ORDER BY c.created_at DESC, c.case_id DESC) FROM cases c
	  JOIN case_category k USING (category_id) WHERE k.centre = 'mediation'),
	'a centre');
SELECT throws_ok($$SELECT * FROM find_cases(p_sort => 'title')$$, '22023', NULL, 'an unknown order is refused');
SELECT throws_ok($$SELECT * FROM find_cases(p_centre => 'x')$$, '22023', NULL, 'an unknown centre is refused');
SELECT throws_ok($$SELECT * FROM find_cases(repeat('字', 101))$$, '22001', NULL, 'a search of 101 characters is refused');

-- warnings
SELECT is((SELECT array_agg(case_id) FROM warnings(p_limit => 500)),
	(SELECT array_agg(case_id ORDER BY due_at, case_id) FROM cases
	  WHERE status IN ('accepted', 'dispatched', 'in_progress', 'waiting') AND warning_level <> 'none'),
	'warnings: my open cases with a warning, most overdue first');
SELECT is((SELECT count(*) FROM warnings(p_after_due => 'infinity', p_after_id => 0)), 0::bigint,
	'warnings: nothing after the end');

SELECT * FROM finish();
ROLLBACK;
