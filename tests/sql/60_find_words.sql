-- account: postgres
-- Find cases by words (case_find_words) gives each account exactly the
-- cases it sees that hold the words, newest first, a page at a time, by
-- whichever way it reads them: a village (a unit with no unit below it)
-- with 300 new cases, so that its newest 200 decide between a rare word
-- (its cases holding it read at once through the bigram index ANDed with
-- the unit's cases) and a common one (the window of its newest 2,000); a
-- town (the window, then the bigram index ANDed with its units' cases);
-- the district (the window, then the bigram index alone). A case
-- dispatched to a department is found by the department at once: the
-- search row follows the case's handling unit.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(16);

SELECT min(category_id) AS cat FROM case_category c JOIN org_unit u ON u.district_id = c.district_id
 WHERE u.code = 'LW' AND c.parent_id IS NOT NULL \gset

-- 300 cases of T01V01: the rare word in the three oldest of them (outside
-- the newest 200), the common word in every third.
SET SESSION AUTHORIZATION demo_village;
SELECT count(*) FROM (
	SELECT case_intake('walk_in', '查找测试' || g,
	                   CASE WHEN g <= 3 THEN '罕见词甲乙丙' ELSE '' END
	                   || CASE WHEN g % 3 = 0 THEN '常见词丁戊' ELSE '' END || '内容' || g,
	                   :cat, '测试人', '139' || lpad(g::text, 8, '0'))
	  FROM generate_series(1, 300) g) x;
RESET SESSION AUTHORIZATION;
SELECT min(case_id) AS rare1 FROM cases WHERE title = '查找测试1' \gset

-- What the account sees holding the words, newest first (a plain query
-- under its row-level security), against find_cases in one page of 500
-- and in pages of 7 by the keyset.
CREATE FUNCTION pg_temp.want(w text) RETURNS bigint[] LANGUAGE sql AS $$
	SELECT array_agg(case_id ORDER BY created_at DESC, case_id DESC)
	  FROM (SELECT c.case_id, c.created_at FROM minqing.cases c
	         WHERE minqing.case_search_doc(c.title, c.content, c.submitter_name) LIKE minqing.like_contains(w)
	         ORDER BY c.created_at DESC, c.case_id DESC LIMIT 500) x
$$;
CREATE FUNCTION pg_temp.got(w text) RETURNS bigint[] LANGUAGE sql AS $$
	SELECT array_agg(case_id) FROM minqing.find_cases(w, p_limit => 500)
$$;
CREATE FUNCTION pg_temp.paged(w text) RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
	ids bigint[] := '{}';
	r record;
	at timestamptz;
	id bigint;
	n integer;
BEGIN
	LOOP
		n := 0;
		FOR r IN SELECT * FROM minqing.find_cases(w, p_after_created => at, p_after_id => id, p_limit => 7) LOOP
			ids := ids || r.case_id;
			at := r.created_at;
			id := r.case_id;
			n := n + 1;
		END LOOP;
		EXIT WHEN n < 7 OR cardinality(ids) >= 70;
	END LOOP;
	RETURN ids;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.want(text), pg_temp.got(text), pg_temp.paged(text) TO PUBLIC;

SET SESSION AUTHORIZATION demo_village;
SELECT is(cardinality(pg_temp.want('罕见词甲乙丙')), 3, 'the village sees the three cases with the rare word');
SELECT is(pg_temp.got('罕见词甲乙丙'), pg_temp.want('罕见词甲乙丙'), 'a village: a rare word, all its cases at once');
SELECT is(pg_temp.paged('罕见词甲乙丙'), pg_temp.want('罕见词甲乙丙'), 'a village: a rare word, page by page');
SELECT ok(cardinality(pg_temp.want('常见词丁戊')) >= 100, 'the village sees a hundred cases with the common word');
SELECT is(pg_temp.got('常见词丁戊'), pg_temp.want('常见词丁戊'), 'a village: a common word, from the window');
SELECT is(pg_temp.paged('常见词丁戊'), (pg_temp.want('常见词丁戊'))[1:70], 'a village: a common word, page by page');
SELECT is(pg_temp.got('查找测试'), pg_temp.want('查找测试'), 'a village: a word in all 300');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION demo_town;
SELECT is(pg_temp.got('罕见词甲乙丙'), pg_temp.want('罕见词甲乙丙'), 'a town: the rare word in its village''s cases');
SELECT is(pg_temp.got('常见词丁戊'), pg_temp.want('常见词丁戊'), 'a town: the common word');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION demo_supervisor;
SELECT is(pg_temp.got('罕见词甲乙丙'), pg_temp.want('罕见词甲乙丙'), 'the district: the rare word');
SELECT is(pg_temp.paged('常见词丁戊'), (pg_temp.want('常见词丁戊'))[1:70], 'the district: the common word, page by page');
RESET SESSION AUTHORIZATION;

-- The oldest case with the rare word goes to a department.
SET SESSION AUTHORIZATION demo_dept;
SELECT is(pg_temp.got('罕见词甲乙丙'), NULL, 'the department sees none of them yet');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_town;
SELECT case_accept(:rare1);
SELECT case_dispatch(p_case => :rare1, p_unit_code => 'D01', p_handler_login => 'demo_dept');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT (s.origin_unit_id, s.assigned_unit_id)::text FROM case_search s WHERE s.case_id = :rare1),
          (SELECT (c.origin_unit_id, c.assigned_unit_id)::text FROM cases c WHERE c.case_id = :rare1),
          'the search row follows the dispatch');
SET SESSION AUTHORIZATION demo_dept;
SELECT is(pg_temp.got('罕见词甲乙丙'), ARRAY[:rare1]::bigint[], 'the department finds the case dispatched to it');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_village;
SELECT is(pg_temp.got('罕见词甲乙丙'), pg_temp.want('罕见词甲乙丙'), 'the village still finds all three');
RESET SESSION AUTHORIZATION;

-- Every search row's units are its case's.
SELECT is((SELECT count(*) FROM cases c JOIN case_search s USING (case_id)
            WHERE (s.origin_unit_id, s.assigned_unit_id) IS DISTINCT FROM (c.origin_unit_id, c.assigned_unit_id)),
          0::bigint, 'every search row has its case''s units');

SELECT * FROM finish();
ROLLBACK;
