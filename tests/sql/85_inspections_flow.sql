-- account: postgres
-- Inspections (督查) and the rectification of their findings (整改) as each
-- account concerned (SET SESSION AUTHORIZATION: the identity is
-- session_user), rolled back: a town supervisor records an unannounced
-- inspection of T01V01 with a finding to rectify; its reminder and
-- yellow/orange/red times are case_schedule()'s over the district's
-- escalation_rule rows; finding_escalation_pass at chosen times raises the
-- reminder, then yellow, then orange, with their digests to the village's
-- and the town's handlers; the village's handler records the rectification
-- (the escalation stops), the supervisor reopens it (a new deadline, from
-- none again), then it is accepted (nothing more happens); who reads what
-- (a town supervisor their town, a village's staff their own findings);
-- inspection_unrectified for the assessment.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(40);

SET SESSION AUTHORIZATION demo_town_supervisor;
SELECT inspection_record('T01V01', 'unannounced', '街道纪工委督查组', E'民情台账\n值班制度', 'fair',
                         p_summary => '总体一般') AS insp \gset
SELECT finding_id AS f1, finding_no AS f1_no
  FROM finding_add(:insp, '民情台账未及时更新', '近两周无记录', true, NULL, 5) \gset
SELECT finding_id AS f2 FROM finding_add(:insp, '值班表已公示', p_needs_rectification => false) \gset
RESET SESSION AUTHORIZATION;

SELECT is((SELECT status FROM inspection_finding WHERE finding_id = :f1), 'rectifying', 'a finding to rectify is being rectified');
SELECT is((SELECT status || coalesce(due_at::text, '-') FROM inspection_finding WHERE finding_id = :f2), 'noted-',
	'a finding without rectification is noted, with no deadline');
SELECT ok(:'f1_no' ~ '^DC-[0-9]{4}-[0-9]{6}$', 'a finding has its number DC-YYYY-NNNNNN');
SELECT is((SELECT due_at FROM inspection_finding WHERE finding_id = :f1),
	add_working_days(1::smallint, now(), 5), 'the deadline is five working days on the district''s calendar');
SELECT is((SELECT ARRAY[remind_at, yellow_at, orange_at, red_at] FROM inspection_finding WHERE finding_id = :f1),
	(SELECT ARRAY[s.remind_at, s.yellow_at, s.orange_at, s.red_at] FROM inspection_finding f,
	        case_schedule(f.district_id, f.started_at, f.due_at) s WHERE f.finding_id = :f1),
	'its reminder and warning times are case_schedule()''s over the district''s escalation rules');
SELECT is((SELECT next_escalation_at FROM inspection_finding WHERE finding_id = :f1),
	(SELECT remind_at FROM inspection_finding WHERE finding_id = :f1), 'the first step ahead is the reminder');
SELECT is((SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'finding:' || :f1 || ':assigned:%'),
	(SELECT count(*) FROM staff s JOIN org_unit u USING (unit_id)
	  WHERE u.code = 'T01V01' AND s.duty = 'handler' AND s.active AND s.phone IS NOT NULL),
	'each handler of the owner unit is told by SMS');

-- The times of this finding, kept in variables.
SELECT remind_at AS t_remind, yellow_at AS t_yellow, orange_at AS t_orange, red_at AS t_red, due_at AS t_due
  FROM inspection_finding WHERE finding_id = :f1 \gset

SELECT finding_escalation_pass(:'t_remind'::timestamptz - interval '1 second');
SELECT is((SELECT warning_level::text || coalesce(reminded_at::text, '-') FROM inspection_finding WHERE finding_id = :f1),
	'none-', 'before the reminder time nothing happens');
SELECT finding_escalation_pass(:'t_remind');
SELECT is((SELECT reminded_at FROM inspection_finding WHERE finding_id = :f1), :'t_remind'::timestamptz,
	'at the reminder time the finding is reminded');
SELECT is((SELECT count(*) FROM finding_event WHERE finding_id = :f1 AND kind = 'reminder'), 1::bigint,
	'the reminder is on its timeline');
SELECT ok((SELECT count(*) FROM outbox o JOIN staff s ON s.phone = o.recipient_phone
	    WHERE o.dedupe_key LIKE 'finding-escalation:%:reminder:%' AND s.login = 'handler_t01v01'
	      AND o.body LIKE '%' || :'f1_no' || '%') = 1,
	'the village''s handler gets the reminder digest naming the finding');
SELECT is((SELECT next_escalation_at FROM inspection_finding WHERE finding_id = :f1), :'t_yellow'::timestamptz,
	'then yellow is next');

SELECT ok((SELECT yellow FROM finding_escalation_pass(:'t_yellow')) >= 1, 'the pass at the yellow time raises yellows');
SELECT is((SELECT warning_level::text FROM inspection_finding WHERE finding_id = :f1), 'yellow', 'the finding is yellow');
SELECT is((SELECT array_agg(DISTINCT s.login::text ORDER BY s.login::text) FROM outbox o JOIN staff s ON s.phone = o.recipient_phone
	    WHERE o.dedupe_key LIKE 'finding-escalation:%:yellow:%' AND o.body LIKE '%' || :'f1_no' || '%'
	      AND s.login IN ('handler_t01v01', 'handler_t01', 'demo_town', 'handler_t01v02', 'demo_supervisor')),
	ARRAY['demo_town', 'handler_t01', 'handler_t01v01'],
	'yellow goes to the owner village''s handlers and the town''s, not a neighbour nor the district');
SELECT is((SELECT count(*) FROM finding_escalation_pass(:'t_yellow') WHERE findings = 0), 1::bigint,
	'a second pass at the same time raises nothing');
SELECT finding_escalation_pass(:'t_orange');
SELECT is((SELECT warning_level::text FROM inspection_finding WHERE finding_id = :f1), 'orange', 'at the orange time it turns orange');
SELECT is((SELECT array_agg(DISTINCT s.login::text ORDER BY s.login::text) FROM outbox o JOIN staff s ON s.phone = o.recipient_phone
	    WHERE o.dedupe_key LIKE 'finding-escalation:%:orange:%' AND o.body LIKE '%' || :'f1_no' || '%'
	      AND s.login IN ('handler_t01v01', 'handler_t01', 'demo_town')),
	ARRAY['demo_town', 'handler_t01'], 'orange goes to the town''s handlers');
SELECT is((SELECT array_agg(data->>'step' ORDER BY event_id) FROM finding_event WHERE finding_id = :f1 AND kind = 'warning'),
	ARRAY['yellow', 'orange'], 'each warning is on the timeline once');

-- Who reads what.
SET SESSION AUTHORIZATION demo_village2;
SELECT is((SELECT count(*) FROM findings('all')) + (SELECT count(*) FROM inspections()), 0::bigint,
	'an officer of another town''s village reads neither the inspection nor its findings');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION handler_t01v02;
SELECT is((SELECT count(*) FROM findings('all') WHERE finding_id = :f1), 0::bigint,
	'the handler of a neighbouring village does not read the finding');
SELECT throws_ok(format('SELECT finding_rectify(%s, 1, %L, %L)', :f1, '已整改', '照片'), 'P0002', NULL,
	'nor may they rectify it');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION handler_t01v01;
SELECT is((SELECT array_agg(finding_id) FROM findings('open')), ARRAY[:f1::bigint],
	'the owner village''s handler reads their finding being rectified');
SELECT row_version AS v1 FROM inspection_finding WHERE finding_id = :f1 \gset
SELECT throws_ok(format('SELECT finding_rectify(%s, %s, %L, %L)', :f1, :v1 - 1, '已整改', '照片'), '40001', NULL,
	'a rectification over a version they did not see is refused');
SELECT throws_ok(format('SELECT finding_accept(%s, %s)', :f1, :v1), '42501', NULL, 'a handler does not accept');
SELECT lives_ok(format('SELECT finding_rectify(%s, %s, %L, %L)', :f1, :v1, '已补齐两周民情台账并明确专人负责',
	'台账照片三张，值班表'), 'the handler records the rectification with its evidence');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT status || ' ' || coalesce(next_escalation_at::text, '-') FROM inspection_finding WHERE finding_id = :f1),
	'rectified -', 'rectified: its escalation stops');
SELECT finding_escalation_pass(:'t_red');
SELECT is((SELECT count(*) FROM finding_event WHERE finding_id = :f1 AND kind IN ('reminder', 'warning')), 3::bigint,
	'at the red time nothing happens to it');

-- Reopened: a new deadline, the escalation from none again.
SET SESSION AUTHORIZATION demo_town_supervisor;
SELECT row_version AS v2 FROM inspection_finding WHERE finding_id = :f1 \gset
SELECT lives_ok(format('SELECT finding_reopen(%s, %s, %L, 3)', :f1, :v2, '佐证材料不全'),
	'the inspecting supervisor reopens it with three working days');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT status || ' ' || warning_level || ' ' || (reminded_at IS NULL) || ' ' || reopened
             FROM inspection_finding WHERE finding_id = :f1), 'rectifying none true 1',
	'reopened: being rectified again, no warning, no reminder yet');
SELECT is((SELECT ARRAY[due_at, yellow_at] FROM inspection_finding WHERE finding_id = :f1),
	(SELECT ARRAY[add_working_days(1::smallint, now(), 3), s.yellow_at] FROM inspection_finding f,
	        case_schedule(f.district_id, now(), add_working_days(1::smallint, now(), 3)) s WHERE f.finding_id = :f1),
	'its new schedule runs from now to the new deadline');
SELECT yellow_at AS t_yellow2, red_at AS t_red2 FROM inspection_finding WHERE finding_id = :f1 \gset
SELECT finding_escalation_pass(:'t_yellow2');
SELECT is((SELECT warning_level::text FROM inspection_finding WHERE finding_id = :f1), 'yellow',
	'the escalation restarts: yellow again at the new yellow time');

-- Rectified again and accepted by the district's supervisor (above the unit).
SET SESSION AUTHORIZATION handler_t01v01;
SELECT finding_rectify(:f1, (SELECT row_version FROM inspection_finding WHERE finding_id = :f1), '已全部补齐', '台账复印件');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_supervisor;
SELECT lives_ok(format('SELECT finding_accept(%s, %s, %L)', :f1,
	(SELECT row_version FROM inspection_finding WHERE finding_id = :f1), '验收合格'),
	'a supervisor above the owner unit accepts it');
RESET SESSION AUTHORIZATION;
SELECT finding_escalation_pass(:'t_red2'::timestamptz + interval '1 day');
SELECT is((SELECT warning_level::text || ' ' || count(e.*) FROM inspection_finding f JOIN finding_event e USING (finding_id)
            WHERE f.finding_id = :f1 GROUP BY f.warning_level), 'yellow 9', 'accepted: no pass raises anything on it');
SELECT is((SELECT array_agg(kind ORDER BY event_id) FROM finding_event WHERE finding_id = :f1),
	ARRAY['recorded', 'reminder', 'warning', 'warning', 'rectified', 'reopened', 'warning', 'rectified', 'accepted'],
	'the whole timeline');
SELECT is((SELECT count(*) FROM finding_lines(:f1)), 10::bigint, 'the record shows the timeline under its heading');

-- For the assessment: a third finding, left overdue.
SET SESSION AUTHORIZATION demo_town_supervisor;
SELECT finding_id AS f3 FROM finding_add(:insp, '便民服务点无人值守', NULL, true, 'T01V01', 2) \gset
RESET SESSION AUTHORIZATION;
SELECT due_at AS t_due3 FROM inspection_finding WHERE finding_id = :f3 \gset
SET SESSION AUTHORIZATION demo_supervisor;
SELECT is((SELECT array_agg(finding_id ORDER BY finding_id) FROM inspection_unrectified(1::smallint, :'t_due3'::timestamptz + interval '1 day')
            WHERE finding_id IN (:f1, :f2, :f3)),
	ARRAY[:f3::bigint], 'unrectified at a cut-off after its deadline: the overdue one, not the accepted nor the noted');
SELECT is((SELECT count(*) FROM inspection_unrectified(1::smallint, :'t_due3'::timestamptz - interval '1 second')
            WHERE finding_id = :f3), 0::bigint, 'before its deadline it does not count');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_village;
SELECT throws_ok($$SELECT inspection_record('T01V01', 'scheduled', '组', '项', 'good')$$, '42501', NULL,
	'an officer does not record inspections');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_town_supervisor;
SELECT throws_ok($$SELECT inspection_record('T02V01', 'scheduled', '组', '项', 'good')$$, '42501', NULL,
	'a town supervisor inspects only in their town');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
