-- account: postgres
-- Messages received, as the SMS drainer (minqing_notify, in mq_notifier)
-- records them through sms_receive(): the same Gammu inbox ID twice is one
-- case and one receipt; a resident's number known to the register makes a
-- case of that household, channel sms, in triage at the district, with the
-- receipt "已收到，编号 …" in the outbox; a volunteer's "1" answers the
-- latest open invitation (signed up, by SMS) and "2" declines; a "1" with no
-- invitation, an empty text, a number of several households wait in the
-- triage list; then, as demo_admin, one becomes a case (channel sms,
-- through case_intake) and one is marked handled (40001 on a stale
-- version). Rolled back.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(22);

-- A resident with a phone of one household only, a volunteer of T01V01
-- with an open invitation to the activity to come, and a phone shared by
-- two households.
SELECT r.phone AS res_phone, r.household_id AS res_hh FROM resident r
 WHERE r.active AND r.phone IS NOT NULL
   AND (SELECT count(DISTINCT x.household_id) FROM resident x WHERE x.phone = r.phone AND x.active) = 1
   AND NOT EXISTS (SELECT 1 FROM household h WHERE h.phone = r.phone AND h.household_id <> r.household_id)
   AND NOT EXISTS (SELECT 1 FROM volunteer v WHERE v.phone = r.phone)
 ORDER BY r.resident_id LIMIT 1 \gset
SELECT g.signup_id AS inv, v.phone AS vol_phone FROM activity_signup g JOIN volunteer v USING (volunteer_id)
  JOIN activity a USING (activity_id)
 WHERE g.status = 'invited' AND a.ends_on >= current_date AND v.active
   AND (SELECT count(*) FROM activity_signup y JOIN volunteer w USING (volunteer_id)
         WHERE w.phone = v.phone AND y.status = 'invited') = 1
 ORDER BY g.signup_id LIMIT 1 \gset
SELECT g.signup_id AS inv2, v.phone AS vol2_phone FROM activity_signup g JOIN volunteer v USING (volunteer_id)
  JOIN activity a USING (activity_id)
 WHERE g.status = 'invited' AND a.ends_on >= current_date AND v.active AND g.signup_id <> :inv
   AND (SELECT count(*) FROM activity_signup y JOIN volunteer w USING (volunteer_id)
         WHERE w.phone = v.phone AND y.status = 'invited') = 1
 ORDER BY g.signup_id LIMIT 1 \gset
UPDATE household SET phone = '13900000999' WHERE household_id IN (SELECT household_id FROM household ORDER BY 1 LIMIT 2);
SELECT count(*) AS outbox_before FROM outbox \gset

SET SESSION AUTHORIZATION minqing_notify;
SELECT throws_ok($$SELECT count(*) FROM cases$$, '42501', NULL, 'the drainer reads no case (least privilege)');
SELECT is(sms_receive(777001, '+86 ' || :'res_phone', '我家门口的路灯坏了三天了，请帮忙修一下。', now(), 1::smallint), 'case',
	'a resident''s message becomes a case');
SELECT is(sms_receive(777001, '+86 ' || :'res_phone', '我家门口的路灯坏了三天了，请帮忙修一下。', now(), 1::smallint), 'duplicate',
	'the same Gammu ID again: already recorded');
SELECT is((SELECT count(*) FROM sms_inbound WHERE gammu_id = 777001), 1::bigint, 'one message');
SELECT is(sms_receive(777002, :'vol_phone', ' １ ', now(), 1::smallint), 'signup', 'a volunteer''s "1" answers the invitation');
SELECT is(sms_receive(777002, :'vol_phone', '1', now(), 1::smallint), 'duplicate', 'read again: nothing changes');
SELECT is(sms_receive(777003, :'vol2_phone', '2', now(), 1::smallint), 'signup', 'a "2"');
SELECT is(sms_receive(777004, '13900000001', '1', now(), 1::smallint), 'triage', 'a "1" with no invitation waits in triage');
SELECT is(sms_receive(777005, '13900000002', E' \u3000 ', now(), 1::smallint), 'triage', 'an empty message waits in triage');
SELECT is(sms_receive(777006, '13900000999', '请问低保怎么申请？', now(), 1::smallint), 'triage',
	'a number of several households waits in triage');
SELECT is(sms_receive(777007, '13900000003', E'bad\u202etext\u0007', now(), 1::smallint), 'case',
	'hidden characters are dropped, the message kept');
SELECT is((SELECT body FROM sms_inbound WHERE gammu_id = 777007), 'badtext', 'as it can be stored');
RESET SESSION AUTHORIZATION;
-- What the drainer may not read (cases, the outbox, sign-ups), as the superuser.
SELECT is((SELECT count(*) FROM cases c JOIN sms_inbound m USING (case_id) WHERE m.gammu_id = 777001), 1::bigint,
	'one case');
SELECT is((SELECT c.channel::text || ' ' || c.status || ' ' || c.household_id || ' ' || c.submitter_phone
             FROM cases c JOIN sms_inbound m USING (case_id) WHERE m.gammu_id = 777001),
	'sms received ' || :res_hh || ' ' || :'res_phone', 'channel sms, in triage, the household of the number, its phone');
SELECT is((SELECT count(*) FROM outbox o JOIN sms_inbound m ON m.case_id = o.case_id
            WHERE m.gammu_id = 777001 AND o.body LIKE '%已收到，编号' || m.case_no || '%'), 1::bigint,
	'one receipt "已收到，编号 …" in the outbox');
SELECT is((SELECT status || ' ' || via FROM activity_signup WHERE signup_id = :inv), 'signed sms',
	'signed up, by SMS');
SELECT is((SELECT status FROM activity_signup WHERE signup_id = :inv2), 'declined', 'declines');
SELECT is((SELECT count(*) FROM outbox) - :outbox_before, 4::bigint,
	'receipts for the two cases, acknowledgements for the two answers; nothing for the rest');

SELECT inbound_id AS waiting, row_version AS rv FROM sms_inbound WHERE gammu_id = 777006 \gset
SELECT inbound_id AS waiting2 FROM sms_inbound WHERE gammu_id = 777005 \gset
SELECT min(category_id) AS cat FROM case_category WHERE district_id = 1 AND parent_id IS NOT NULL AND active \gset
SET SESSION AUTHORIZATION demo_admin;
SELECT ok((SELECT count(*) FROM sms_inbound_rows()) >= 3, 'the district sees the messages waiting');
SELECT case_id AS made FROM sms_to_case(:waiting, :cat, p_household => :res_hh) \gset
SELECT is((SELECT c.channel::text || ' ' || m.outcome FROM cases c JOIN sms_inbound m USING (case_id) WHERE c.case_id = :made),
	'sms case', 'a waiting message becomes a case through case_intake, channel sms');
SELECT throws_ok(format('SELECT sms_mark_handled(%s, %s, %L)', :waiting2, :rv + 5, '空短信，不需处理'), '40001', NULL,
	'a stale version is refused');
SELECT lives_ok(format('SELECT sms_mark_handled(%s, row_version, %L) FROM sms_inbound WHERE inbound_id = %s',
                       :waiting2, '空短信，不需处理', :waiting2), 'and the current one marks it handled');
RESET SESSION AUTHORIZATION;
SELECT * FROM finish();
ROLLBACK;
