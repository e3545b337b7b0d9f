-- account: demo_admin
-- The district's administrator: the whole district's volunteers (the 142
-- of the district team), the enterprise register (at least 100), the three
-- campaigns with their reach (100 villages, 100 enterprises, 1,000
-- households, 100 volunteers each), a busier July; results recorded on
-- or after the day only, 40001 on a stale version; the supervisor's view
-- is the same rows, without the writes.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(9);

SELECT is((SELECT count(*) FROM volunteer WHERE district_team), 142::bigint, 'the district team has 142 volunteers');
SELECT ok((SELECT count(*) FROM enterprise) >= 100, 'the enterprise register holds at least 100 enterprises');
SELECT is((SELECT string_agg(x, ' ' ORDER BY x)
             FROM (SELECT format('%s:%s/%s/%s', a.title, count(DISTINCT t.village_unit_id),
                                 count(DISTINCT t.enterprise_id), count(DISTINCT t.household_id)) AS x
                     FROM activity a JOIN activity_target t USING (activity_id) WHERE a.title LIKE '百名%'
                    GROUP BY a.activity_id, a.title) y),
	'百名专家进百企:0/100/0 百名机关党支部书记进百村:100/0/0 百名科长进千户:0/0/1000',
	'the three campaigns and their reach');
SELECT is((SELECT array_agg(n ORDER BY n) FROM (SELECT count(*) FILTER (WHERE g.attended_on IS NOT NULL) AS n
                                                  FROM activity a JOIN activity_signup g USING (activity_id)
                                                 WHERE a.title LIKE '百名%' GROUP BY a.activity_id) x),
	'{100,100,100}'::bigint[], '100 volunteers attended each');
-- Of the activities begun before yesterday: every village's one going on
-- (begun yesterday) and one to come fall in this month or the next, whichever
-- month the test runs in.
SELECT ok((SELECT count(*) FROM activity WHERE extract(month FROM starts_on) = 7 AND starts_on < current_date - 1)
          > 3 * (SELECT max(n) FROM (SELECT count(*) AS n FROM activity
                                      WHERE extract(month FROM starts_on) <> 7 AND starts_on < current_date - 1
                                      GROUP BY extract(month FROM starts_on)) x), 'July is the busiest month by far');
SELECT a.activity_id AS future_act, a.row_version AS rv FROM activity a WHERE a.starts_on > current_date
 ORDER BY a.activity_id LIMIT 1 \gset
SELECT throws_ok(format('SELECT activity_result(%s, %s, 10)', :future_act, :rv), '22023', NULL,
	'no results before the activity''s day');
SELECT a.activity_id AS done_act, a.row_version AS rv2 FROM activity a WHERE a.title = '百名科长进千户' \gset
SELECT throws_ok(format('SELECT activity_result(%s, %s, 10)', :done_act, :rv2 + 1), '40001', NULL, 'a stale version is refused');
SELECT lives_ok(format('SELECT activity_result(%s, %s, p_problems_solved => 215)', :done_act, :rv2),
	'results of a past activity are recorded');
SELECT is((SELECT problems_solved FROM activity WHERE activity_id = :done_act), 215, 'and kept');
SELECT * FROM finish();
ROLLBACK;
