-- account: demo_village
-- Dialogue meetings (schema/functions/70_meetings.sql) as the information
-- officer of 天兴社区, over a real connection: plan a meeting; it cannot be
-- held without a gathered matter; gather a case of the community (its
-- submitter proposed as an invitee) and a topic; a stale row version is
-- refused; hold it; a matter raised becomes a case with channel
-- dialogue_meeting, linked to the matter; a decision becomes a case
-- accepted at once with the deadline of the service commitment and its
-- escalation schedule, once; the review; the minutes fit 80 columns; the
-- officer sees only the community's meetings, matters and invitees, and
-- cannot run the review reminders. Rolled back.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(31);

SELECT meeting_id AS m FROM meeting_plan('dialogue', 'consultation', '测试恳谈', now() + interval '2 days',
                                         '社区会议室') \gset
SELECT is((SELECT status || '/' || path::text FROM meeting WHERE meeting_id = :m), 'planned/LW.T01.T01V01',
          'planned at the officer''s own community');
SELECT throws_ok(format('SELECT meeting_hold(%s, 1, %L, current_date + 30)', :m, '问事'), '23514',
                 'a meeting cannot be marked held without at least one gathered matter',
                 'no matter gathered: it cannot be held');
SELECT throws_ok(format('SELECT meeting_plan(%L, %L, %L, now(), %L, %L)', 'dialogue', 'forum', '外单位', '会议室',
                        'T01V02'), '42501', NULL, 'another community''s meeting cannot be planned');

-- 会前汇总: a case of the community, proposed, gathered; its submitter invited
SELECT case_id AS c1 FROM case_intake('walk_in', '小区路灯不亮', '小区东门路灯坏了一个月。',
                                      (SELECT min(category_id) FROM case_category WHERE parent_id IS NOT NULL AND active),
                                      '测试居民', '13900001111') \gset
SELECT ok(EXISTS (SELECT 1 FROM meeting_proposals(:m) WHERE case_id = :c1), 'the open case is proposed');
SELECT lives_ok(format('SELECT meeting_gather_case(%s, %s)', :m, :c1), 'the case is gathered');
SELECT ok(NOT EXISTS (SELECT 1 FROM meeting_proposals(:m) WHERE case_id = :c1), 'and is no longer proposed');
SELECT throws_ok(format('SELECT meeting_gather_case(%s, %s)', :m, :c1), '23505', NULL, 'nor gathered twice');
SELECT is((SELECT name || ' ' || phone FROM meeting_invitee_rows(:m)), '测试居民 139****1111',
          'its submitter is proposed as an invitee, the phone masked');
SELECT lives_ok(format('SELECT meeting_gather_topic(%s, %L)', :m, '停车位规划'), 'a topic is gathered');
SELECT is((SELECT sent FROM meeting_send_invitations(:m, (SELECT row_version FROM meeting WHERE meeting_id = :m))),
          1, 'one invitation SMS queued');
SELECT ok((SELECT invited_at IS NOT NULL AND message_id IS NOT NULL FROM meeting_invitee WHERE meeting_id = :m),
          'the invitee shows the SMS');
SELECT throws_ok(format('SELECT meeting_hold(%s, %s, %L, current_date + 30)', :m,
                        (SELECT row_version - 1 FROM meeting WHERE meeting_id = :m), '问事'), '40001', NULL,
                 'a row version other than the current one is refused');
SELECT throws_ok(format('SELECT meeting_hold(%s, %s, %L, current_date - 1)', :m,
                        (SELECT row_version FROM meeting WHERE meeting_id = :m), '问事'), '23514', NULL,
                 'the review is not before the meeting');
SELECT lives_ok(format('SELECT meeting_hold(%s, %s, %L, current_date + 30, 20)', :m,
                       (SELECT row_version FROM meeting WHERE meeting_id = :m), '干部询问了停车和路灯'),
                'held, with the cadres'' notes');
SELECT throws_ok(format('SELECT meeting_gather_topic(%s, %L)', :m, '晚了'), '25000', NULL,
                 'gathering is for a planned meeting');

-- 群众说事 -> a case
SELECT meeting_raise(:m, '楼道灯不亮，晚上出行不便', '张阿姨') AS raised \gset
SELECT case_id AS c2, case_no AS n2
  FROM meeting_matter_to_case(:raised, (SELECT min(category_id) FROM case_category WHERE parent_id IS NOT NULL AND active),
                              '楼道灯不亮') \gset
SELECT is((SELECT channel::text || '/' || submitter_name FROM cases WHERE case_id = :c2), 'dialogue_meeting/张阿姨',
          'the raised matter is a case with channel dialogue_meeting and its raiser');
SELECT is((SELECT case_no FROM meeting_matter WHERE matter_id = :raised), :'n2', 'the matter keeps the case');
SELECT throws_ok(format('SELECT meeting_matter_to_case(%s, 1, %L)', :raised, 'x'), '25000', NULL, 'only once');

-- 民主议事 and 限期办事
SELECT throws_ok(format('SELECT meeting_decision_to_case(%s, 1)', :raised), '25000', NULL,
                 'no case before the decision');
SELECT lives_ok(format('SELECT meeting_decide(%s, NULL, %L)', :raised, '一周内修好楼道灯'), 'the decision');
SELECT case_id AS c3, due_at AS due3
  FROM meeting_decision_to_case(:raised, (SELECT min(category_id) FROM case_category WHERE parent_id IS NOT NULL AND active)) \gset
SELECT is((SELECT status::text FROM cases WHERE case_id = :c3), 'accepted', 'the decision is a case taken on at once');
SELECT ok((SELECT c.due_at > c.started_at AND c.commitment_kind IS NOT NULL AND c.next_escalation_at IS NOT NULL
                  AND c.yellow_at IS NOT NULL
             FROM cases c WHERE c.case_id = :c3), 'with the deadline of the commitment and its escalation schedule');
SELECT is((SELECT c.commitment_kind || ' ' || c.commitment_amount FROM cases c WHERE c.case_id = :c3),
          (SELECT k.kind || ' ' || k.amount FROM cases c, commitment_for(c.category_id, 'village') k
            WHERE c.case_id = :c3), 'the deadline is the village level''s commitment');
SELECT is((SELECT kind FROM case_event WHERE case_id = :c3 ORDER BY event_id DESC LIMIT 1), 'accept',
          'the acceptance is in its timeline');
SELECT throws_ok(format('SELECT meeting_decision_to_case(%s, 1)', :raised), '25000', NULL, 'once');

-- 定期评事 and the minutes
SELECT lives_ok(format('SELECT meeting_review(%s, %s, %L, 15, 4, 1)', :m,
                       (SELECT row_version FROM meeting WHERE meeting_id = :m), '路灯已修好'), 'the review');
SELECT is((SELECT status || ' ' || satisfaction FROM meeting_record(:m)), 'reviewed 满意 15，基本满意 4，不满意 1',
          'reviewed, with the satisfaction');
SELECT ok((SELECT max(text_width(line)) <= 78 AND count(*) > 15 FROM meeting_minutes(:m)),
          'the minutes fit 80 columns');

-- What the officer sees
SELECT is((SELECT count(*) FROM meeting WHERE NOT path <@ 'LW.T01.T01V01')
          + (SELECT count(*) FROM meeting_matter WHERE NOT path <@ 'LW.T01.T01V01')
          + (SELECT count(*) FROM meeting_invitee WHERE NOT path <@ 'LW.T01.T01V01'), 0::bigint,
          'only the community''s meetings, matters and invitees');
SELECT ok((SELECT count(*) FROM meetings(p_limit => 500)) >= 3, 'the demo''s meetings of the community are listed');
SELECT throws_ok('SELECT meeting_review_pass()', '42501', NULL, 'the review reminders are the job''s');

SELECT * FROM finish();
ROLLBACK;
