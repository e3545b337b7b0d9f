-- account: postgres
-- Dialogue meetings as each account concerned (SET SESSION AUTHORIZATION:
-- session_user is the account; rolled back): demo_village plans and runs a
-- meeting whose invitation SMS is queued through the outbox with the
-- template's text; demo_village2, an officer of another village, neither
-- sees it nor touches it (every writing function refuses it as not found);
-- demo_town (the street's handler) sees and writes it; the supervisors read
-- every meeting of their scope and write none; the kiosk reads nothing; the
-- review that falls due reminds the host once, through the escalation job's
-- login (minqing_escalate), a second pass queuing nothing.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(23);

SET SESSION AUTHORIZATION demo_village;
SELECT meeting_id AS m FROM meeting_plan('communication_day', 'forum', '账户测试恳谈', now() + interval '1 day',
                                         '文化礼堂') \gset
SELECT meeting_gather_topic(:m, '垃圾分类') AS topic \gset
SELECT meeting_invite(:m, '王测试', '13900002222') AS invitee \gset
SELECT sent FROM meeting_send_invitations(:m, (SELECT row_version FROM meeting WHERE meeting_id = :m)) \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM outbox WHERE dedupe_key = format('meeting:%s:invite:%s', :m, :invitee)
             AND recipient_phone = '13900002222' AND body LIKE '%王测试您好，天兴社区定于%文化礼堂召开民情沟通日“账户测试恳谈”%'),
          1::bigint, 'the invitation is in the outbox with the template''s text');

-- another village's officer
SET SESSION AUTHORIZATION demo_village2;
SELECT is((SELECT count(*) FROM meeting WHERE meeting_id = :m), 0::bigint, 'demo_village2 does not see it');
SELECT is((SELECT count(*) FROM meeting_matter WHERE meeting_id = :m)
          + (SELECT count(*) FROM meeting_invitee WHERE meeting_id = :m), 0::bigint, 'nor its matters and invitees');
SELECT is((SELECT count(*) FROM meeting_record(:m)) + (SELECT count(*) FROM meeting_minutes(:m))
          + (SELECT count(*) FROM meeting_matter_rows(:m)), 0::bigint, 'nor through the reads');
SELECT throws_ok(format('SELECT meeting_gather_topic(%s, %L)', :m, 'x'), 'P0002', NULL, 'gather: refused');
SELECT throws_ok(format('SELECT meeting_invite(%s, %L, %L)', :m, '李', '13900003333'), 'P0002', NULL, 'invite: refused');
SELECT throws_ok(format('SELECT meeting_hold(%s, NULL, %L, current_date + 9)', :m, 'x'), 'P0002', NULL, 'hold: refused');
SELECT throws_ok(format('SELECT meeting_cancel(%s, NULL, %L)', :m, 'x'), 'P0002', NULL, 'cancel: refused');
SELECT throws_ok(format('SELECT meeting_decide(%s, NULL, %L)', :topic, 'x'), 'P0002', NULL, 'decide: refused');
SELECT throws_ok(format('SELECT meeting_decision_to_case(%s, 1)', :topic), 'P0002', NULL, 'decision to case: refused');
SELECT throws_ok(format('SELECT meeting_matter_to_case(%s, 1, %L)', :topic, 'x'), 'P0002', NULL, 'matter to case: refused');
RESET SESSION AUTHORIZATION;

-- the street's handler
SET SESSION AUTHORIZATION demo_town;
SELECT is((SELECT count(*) FROM meetings(p_limit => 500) WHERE meeting_id = :m), 1::bigint, 'demo_town sees it');
SELECT lives_ok(format('SELECT meeting_gather_topic(%s, %L)', :m, '街道补充议题'), 'and may gather for it');
RESET SESSION AUTHORIZATION;

-- supervisors read, never write
SELECT count(*) AS total FROM meeting
 WHERE path <@ (SELECT u.path FROM staff s JOIN org_unit u USING (unit_id) WHERE s.login = 'demo_supervisor') \gset
SET SESSION AUTHORIZATION demo_supervisor;
SELECT is((SELECT count(*) FROM meeting), :total::bigint, 'demo_supervisor reads the meetings of its scope');
SELECT throws_ok(format('SELECT meeting_gather_topic(%s, %L)', :m, 'x'), '42501', NULL, 'and writes none');
SELECT throws_ok($$SELECT meeting_plan('dialogue', 'forum', 'x', now(), 'y')$$, '42501', NULL, 'nor plans one');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM meeting WHERE meeting_id = :m), 1::bigint, 'the meeting is there');

SET SESSION AUTHORIZATION demo_kiosk;
SELECT throws_ok('SELECT count(*) FROM minqing.meeting', '42501', NULL, 'the kiosk reads no meeting');
RESET SESSION AUTHORIZATION;

-- the review that falls due: one reminder to the host, once (the review's
-- day two days on in the district's calendar, not the server's: from 16:00
-- UTC the district is a day ahead)
SELECT minqing.district_local_time(district_id, now())::date + 2 AS review_on FROM meeting WHERE meeting_id = :m \gset
SET SESSION AUTHORIZATION demo_village;
SELECT meeting_hold(:m, (SELECT row_version FROM meeting WHERE meeting_id = :m), '问了垃圾分类', :'review_on');
RESET SESSION AUTHORIZATION;
UPDATE staff SET phone = '13900004444' WHERE login = 'demo_village' AND phone IS NULL;
SET SESSION AUTHORIZATION minqing_escalate;
SELECT meeting_review_pass(now() + interval '1 day') AS pass1 \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM outbox WHERE dedupe_key = format('meeting:%s:review', :m)), 0::bigint,
          'not reminded before the review''s day');
SET SESSION AUTHORIZATION minqing_escalate;
SELECT ok(meeting_review_pass(now() + interval '3 days') >= 1, 'on the day, the hosts are reminded');
SELECT is(meeting_review_pass(now() + interval '3 days'), 0, 'a second pass reminds nobody again');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM outbox o JOIN staff s ON s.login = 'demo_village'
            WHERE o.dedupe_key = format('meeting:%s:review', :m) AND o.recipient_phone = s.phone
              AND o.body LIKE '%账户测试恳谈%定期评事%'), 1::bigint, 'one reminder, to the host''s phone');
SELECT ok((SELECT review_reminded_at IS NOT NULL FROM meeting WHERE meeting_id = :m), 'the meeting shows it');

SELECT * FROM finish();
ROLLBACK;
