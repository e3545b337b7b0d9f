-- account: postgres
-- The status line's count of the inbox (minqing.inbox_count(), the four
-- branches of inbox() counted without its page) equals the rows of inbox()
-- itself, up to 1000, for every duty: officers, handlers of a village, a
-- town and a department, a supervisor (no inbox), an administrator; and
-- after a case is dispatched to a village's handler, for that handler.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(8);

CREATE FUNCTION pg_temp.same(p_login name) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	a bigint;
	b bigint;
BEGIN
	EXECUTE format('SET SESSION AUTHORIZATION %I', p_login);
	SELECT count(*) INTO a FROM minqing.inbox(p_limit => 1000);
	SELECT minqing.inbox_count() INTO b;
	RESET SESSION AUTHORIZATION;
	RETURN a || ' / ' || b;
END
$$;
CREATE FUNCTION pg_temp.check(p_login name) RETURNS text LANGUAGE sql AS $$
	SELECT tap.is(split_part(pg_temp.same(p_login), ' / ', 2), split_part(pg_temp.same(p_login), ' / ', 1),
	              'inbox_count() of ' || p_login || ' is the rows of its inbox: ' || pg_temp.same(p_login))
$$;
SELECT pg_temp.check('demo_village');
SELECT pg_temp.check('handler_t01v05');
SELECT pg_temp.check('demo_town');
SELECT pg_temp.check('demo_dept');
SELECT pg_temp.check('demo_supervisor');
SELECT pg_temp.check('demo_admin');

-- A case dispatched to handler_t01v05: one more, counted.
SET SESSION AUTHORIZATION demo_village;
SELECT case_id AS k FROM case_intake('walk_in', '待办计数测试', '内容',
	(SELECT min(category_id) FROM case_category WHERE parent_id IS NOT NULL), '测试人', '13800000009') \gset
RESET SESSION AUTHORIZATION;
SELECT split_part(pg_temp.same('handler_t01v05'), ' / ', 2)::integer AS before \gset
SET SESSION AUTHORIZATION demo_town;
SELECT case_accept(:k);
SELECT case_dispatch(p_case => :k, p_unit_code => 'T01V05', p_handler_login => 'handler_t01v05');
RESET SESSION AUTHORIZATION;
SELECT is(split_part(pg_temp.same('handler_t01v05'), ' / ', 2)::integer, :before + 1,
          'a case dispatched to handler_t01v05 counts in its inbox');
SELECT pg_temp.check('handler_t01v05');

SELECT * FROM finish();
ROLLBACK;
