-- The foreign world of tests/sql/adversary_generic.sh, as the superuser: a
-- second district (外区, code XQ) with a town, a village, a station, a
-- household with a resident whose ID number is known, and three staff
-- accounts; a table of the target cases. Idempotent: the test may run again
-- on the same database.
\set ON_ERROR_STOP 1
CREATE SCHEMA IF NOT EXISTS adv_test;
GRANT USAGE ON SCHEMA adv_test TO PUBLIC;
CREATE TABLE IF NOT EXISTS adv_test.target (scope text NOT NULL, case_id bigint NOT NULL);
-- The functions under attack, read from the catalogue when used: every
-- SECURITY DEFINER function of schema minqing but the trigger functions,
-- and every other one a staff member or a kiosk may call but the immutable
-- ones (labels and formatting, which read no table): the screens' readers
-- and the forms' functions run as the caller but call the definers
-- (definer says which is which; phase B attacks the definers),
-- and their IN arguments in order, with the schema-qualified type (a
-- caller's temporary table named "text" would otherwise be its type).
CREATE OR REPLACE VIEW adv_test.definer_fn AS
SELECT p.oid, p.proname,
       coalesce(p.proallargtypes, string_to_array(nullif(p.proargtypes::text, ''), ' ')::oid[]) AS all_types,
       p.proargmodes AS modes, p.proargnames AS names, p.prosecdef AS definer
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'minqing' AND p.prorettype <> 'trigger'::regtype
   AND (p.prosecdef OR (p.provolatile <> 'i' AND (has_function_privilege('mq_staff', p.oid, 'EXECUTE')
                                                  OR has_function_privilege('mq_kiosk', p.oid, 'EXECUTE'))));
CREATE OR REPLACE VIEW adv_test.definer_arg AS
WITH arg AS (
	SELECT f.oid, f.proname, row_number() OVER (PARTITION BY f.oid ORDER BY a.i) AS pos,
	       f.names[a.i] AS name, f.all_types[a.i] AS typ
	  FROM adv_test.definer_fn f, generate_subscripts(f.all_types, 1) AS a(i)
	 WHERE f.modes IS NULL OR f.modes[a.i] IN ('i', 'b'))
SELECT a.*, format('%I.%I', tn.nspname, t.typname) AS qtype, t.typname, t.typtype, t.typcategory,
       (SELECT quote_literal(e.enumlabel) FROM pg_enum e WHERE e.enumtypid = a.typ
         ORDER BY e.enumsortorder LIMIT 1) AS first_label,
       (SELECT f.definer FROM adv_test.definer_fn f WHERE f.oid = a.oid) AS definer
  FROM arg a JOIN pg_type t ON t.oid = a.typ JOIN pg_namespace tn ON tn.oid = t.typnamespace;

INSERT INTO minqing.district (district_id, code, name) VALUES (2, '330399', '测试外区')
ON CONFLICT DO NOTHING;
INSERT INTO minqing.org_unit (district_id, parent_id, code, name, kind)
SELECT 2, NULL, 'XQ', '外区', 'district' WHERE NOT EXISTS (SELECT 1 FROM minqing.org_unit WHERE code = 'XQ');
INSERT INTO minqing.org_unit (parent_id, code, name, kind)
SELECT unit_id, 'XQT01', '外区一镇', 'town' FROM minqing.org_unit WHERE code = 'XQ'
   AND NOT EXISTS (SELECT 1 FROM minqing.org_unit WHERE code = 'XQT01');
INSERT INTO minqing.org_unit (parent_id, code, name, kind)
SELECT unit_id, 'XQT01V01', '外区一村', 'village' FROM minqing.org_unit WHERE code = 'XQT01'
   AND NOT EXISTS (SELECT 1 FROM minqing.org_unit WHERE code = 'XQT01V01');
SELECT minqing.district_seed_defaults(2::smallint);
INSERT INTO minqing.station (code, name, kind, unit_id)
SELECT 'XQS01', '外区一村站', 'village', unit_id FROM minqing.org_unit WHERE code = 'XQT01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.station WHERE code = 'XQS01');

SELECT minqing.user_add(l, n, u, d::minqing.duty, NULL, NULL, p)
  FROM (VALUES ('adv_x_officer', '外区信息员', 'XQT01V01', 'officer', '13900000101'),
               ('adv_x_handler', '外区镇处理员', 'XQT01', 'handler', '13900000102'),
               ('adv_x_vhandler', '外区村处理员', 'XQT01V01', 'handler', '13900000103')) AS v(l, n, u, d, p)
 WHERE NOT EXISTS (SELECT 1 FROM minqing.staff s WHERE s.login = v.l);

-- A resident of the second district with a valid ID number (the check
-- character found by trying each).
DO $$
DECLARE
	hh bigint;
	id text;
BEGIN
	IF EXISTS (SELECT 1 FROM minqing.resident WHERE name = 'XQ机密居民') THEN
		RETURN;
	END IF;
	SET LOCAL session_replication_role = origin;
	INSERT INTO minqing.household (unit_id, household_no, address)
	SELECT unit_id, 'XQ-0001', '外区一村1号' FROM minqing.org_unit WHERE code = 'XQT01V01'
	RETURNING household_id INTO hh;
	SELECT '33039919800101777' || c INTO id
	  FROM unnest(ARRAY['0','1','2','3','4','5','6','7','8','9','X']) AS c
	 WHERE minqing.id_card_valid('33039919800101777' || c);
	INSERT INTO minqing.resident (household_id, name, relation, phone, id_card)
	VALUES (hh, 'XQ机密居民', 'head', '13900000199', id);
END
$$;

-- News, notices (published, public and staff, and a draft) and a receiver of
-- the second district, whose texts are secrets to every other district's
-- account (the foreign values of p_news, p_notice and p_receiver).
DO $$
DECLARE
	v integer;
BEGIN
	IF EXISTS (SELECT 1 FROM minqing.news WHERE title LIKE 'XQ机密%') THEN
		RETURN;
	END IF;
	SELECT unit_id INTO v FROM minqing.org_unit WHERE code = 'XQT01V01';
	INSERT INTO minqing.news (unit_id, kind, title, body, author)
	VALUES (v, 'work', 'XQ机密动态', 'XQ机密动态内容', 'adv_x_officer');
	INSERT INTO minqing.notice (unit_id, kind, audience, title, body, state, publish_at, published_by, author)
	VALUES (v, 'notice', 'public', 'XQ机密公告', 'XQ机密公告内容', 'published', now() - interval '1 day',
	        'adv_x_officer', 'adv_x_officer'),
	       (v, 'circular', 'staff', 'XQ机密通报', 'XQ机密通报内容', 'published', now() - interval '1 day',
	        'adv_x_officer', 'adv_x_officer');
	INSERT INTO minqing.notice (unit_id, kind, audience, title, body, author)
	VALUES (v, 'notice', 'public', 'XQ机密草稿', 'XQ机密草稿内容', 'adv_x_officer');
	INSERT INTO minqing.receiver (unit_id, name, post, office_phone)
	VALUES (v, 'XQ机密受理人', '外区受理员', '0577-81234567');
	INSERT INTO minqing.public_contact (district_id, kind, label, value)
	VALUES (2, 'mailbox', 'XQ机密邮箱', 'xq@example.org');
END
$$;

-- A hardship mark on that household, and a revision of the village's
-- archive whose note is secret (the archive functions are attacked with them).
INSERT INTO minqing.hardship_mark (district_id, unit_id, path, household_id, kind, since, note)
SELECT h.district_id, h.unit_id, h.path, h.household_id, 'dibao', DATE '2024-01-01', 'XQ机密困难说明'
  FROM minqing.household h WHERE h.household_no = 'XQ-0001'
   AND NOT EXISTS (SELECT 1 FROM minqing.hardship_mark m WHERE m.household_id = h.household_id);
INSERT INTO minqing.archive_revision (unit_id, section, revision_no, district_id, path, content, changed)
SELECT u.unit_id, 3, 1, u.district_id, u.path, '{"note": "XQ机密档案"}', '{note}'
  FROM minqing.org_unit u WHERE u.code = 'XQT01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.archive_revision r WHERE r.unit_id = u.unit_id);
-- A household memo (with a revision) and a demand on that household, whose
-- texts are secret (the memo functions are attacked with them). Inserted
-- with the memo's own triggers as they are; the revision stays until
-- unworld.sql takes it back.
INSERT INTO minqing.household_memo (household_id, district_id, unit_id, path, living, difficulties)
SELECT h.household_id, h.district_id, h.unit_id, h.path, 'XQ机密生活情况', 'XQ机密困难'
  FROM minqing.household h WHERE h.household_no = 'XQ-0001'
   AND NOT EXISTS (SELECT 1 FROM minqing.household_memo m WHERE m.household_id = h.household_id);
INSERT INTO minqing.household_memo_revision (household_id, revision_no, district_id, path, living, difficulties,
                                             changed)
SELECT h.household_id, 1, h.district_id, h.path, 'XQ机密生活情况', 'XQ机密困难', '{living,difficulties}'
  FROM minqing.household h WHERE h.household_no = 'XQ-0001'
   AND NOT EXISTS (SELECT 1 FROM minqing.household_memo_revision r WHERE r.household_id = h.household_id);
INSERT INTO minqing.household_demand (household_id, district_id, unit_id, path, content)
SELECT h.household_id, h.district_id, h.unit_id, h.path, 'XQ机密诉求'
  FROM minqing.household h WHERE h.household_no = 'XQ-0001'
   AND NOT EXISTS (SELECT 1 FROM minqing.household_demand d WHERE d.household_id = h.household_id);
-- An agency of the second district paired with its village, a resident
-- cadre there with a contact, and a service card on its household, whose
-- texts are secret (the card and pairing functions are attacked with them:
-- the foreign values of p_card, p_pairing, p_cadre and the unit codes).
INSERT INTO minqing.org_unit (parent_id, code, name, kind)
SELECT unit_id, 'XQA01', '外区机关', 'agency' FROM minqing.org_unit WHERE code = 'XQ'
   AND NOT EXISTS (SELECT 1 FROM minqing.org_unit WHERE code = 'XQA01');
INSERT INTO minqing.service_card (district_id, household_id, unit_id, path, seq, card_no, member_name, issued_by)
SELECT h.district_id, h.household_id, h.unit_id, h.path, 1, 'XQT01V01-0001', 'XQ机密党员', 'adv_x_officer'
  FROM minqing.household h WHERE h.household_no = 'XQ-0001'
   AND NOT EXISTS (SELECT 1 FROM minqing.service_card c WHERE c.household_id = h.household_id);
INSERT INTO minqing.pairing (district_id, agency_unit_id, agency_path, unit_id, path, since, agency_contact, note)
SELECT v.district_id, a.unit_id, a.path, v.unit_id, v.path, DATE '2024-01-01', 'XQ机密联系人', 'XQ机密结对'
  FROM minqing.org_unit a, minqing.org_unit v WHERE a.code = 'XQA01' AND v.code = 'XQT01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.pairing p WHERE p.unit_id = v.unit_id);
INSERT INTO minqing.pairing_activity (pairing_id, district_id, agency_path, path, item, done_on, content, by_agency)
SELECT p.pairing_id, p.district_id, p.agency_path, p.path, 'ideas', DATE '2024-02-01', 'XQ机密活动', true
  FROM minqing.pairing p JOIN minqing.org_unit v ON v.unit_id = p.unit_id WHERE v.code = 'XQT01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.pairing_activity t WHERE t.pairing_id = p.pairing_id);
INSERT INTO minqing.resident_cadre (district_id, unit_id, path, name, phone, from_unit_id, from_path, since)
SELECT v.district_id, v.unit_id, v.path, 'XQ机密干部', '13911100009', a.unit_id, a.path, DATE '2024-01-01'
  FROM minqing.org_unit a, minqing.org_unit v WHERE a.code = 'XQA01' AND v.code = 'XQT01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.resident_cadre c WHERE c.unit_id = v.unit_id);
INSERT INTO minqing.cadre_contact (cadre_id, district_id, path, from_path, contacted_on, content)
SELECT c.cadre_id, c.district_id, c.path, c.from_path, DATE '2024-02-01', 'XQ机密村情'
  FROM minqing.resident_cadre c WHERE c.name = 'XQ机密干部'
   AND NOT EXISTS (SELECT 1 FROM minqing.cadre_contact k WHERE k.cadre_id = c.cadre_id);
-- A held dialogue meeting of that village with a matter and an invitee,
-- all secret texts (the meeting functions are attacked with them).
INSERT INTO minqing.meeting (district_id, unit_id, path, kind, form, title, starts_at, place, host_staff_id, status,
                             cadres_ask, held_at, review_on)
SELECT u.district_id, u.unit_id, u.path, 'dialogue', 'consultation', 'XQ机密恳谈', now(), 'XQ机密地点', s.staff_id,
       'held', 'XQ机密问事', now(), current_date + 30
  FROM minqing.org_unit u JOIN minqing.staff s ON s.login = 'adv_x_officer' WHERE u.code = 'XQT01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.meeting m WHERE m.title = 'XQ机密恳谈');
INSERT INTO minqing.meeting_matter (meeting_id, district_id, path, source, content, raised_by, decision, decided_at)
SELECT m.meeting_id, m.district_id, m.path, 'raised', 'XQ机密议题', 'XQ机密人', 'XQ机密决定', now()
  FROM minqing.meeting m WHERE m.title = 'XQ机密恳谈'
   AND NOT EXISTS (SELECT 1 FROM minqing.meeting_matter x WHERE x.meeting_id = m.meeting_id);
INSERT INTO minqing.meeting_invitee (meeting_id, district_id, path, name, phone)
SELECT m.meeting_id, m.district_id, m.path, 'XQ机密人', '13911100009'
  FROM minqing.meeting m WHERE m.title = 'XQ机密恳谈'
   AND NOT EXISTS (SELECT 1 FROM minqing.meeting_invitee i WHERE i.meeting_id = m.meeting_id);
-- A grid cell, a service team and a visit of that household, whose texts
-- are secret (the visit functions are attacked with them). The cell and
-- the team stay; unworld.sql takes the visit back with the household.
INSERT INTO minqing.grid_cell (district_id, unit_id, path, code, name)
SELECT u.district_id, u.unit_id, u.path, 'XQ1', 'XQ机密网格' FROM minqing.org_unit u WHERE u.code = 'XQT01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.grid_cell c WHERE c.name = 'XQ机密网格');
INSERT INTO minqing.household_cell (household_id, cell_id, unit_id, district_id, path)
SELECT h.household_id, c.cell_id, h.unit_id, h.district_id, h.path
  FROM minqing.household h JOIN minqing.grid_cell c ON c.unit_id = h.unit_id AND c.name = 'XQ机密网格'
 WHERE h.household_no = 'XQ-0001'
   AND NOT EXISTS (SELECT 1 FROM minqing.household_cell x WHERE x.household_id = h.household_id);
INSERT INTO minqing.service_team (district_id, unit_id, path, name)
SELECT u.district_id, u.unit_id, u.path, 'XQ机密服务队' FROM minqing.org_unit u WHERE u.code = 'XQT01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.service_team t WHERE t.name = 'XQ机密服务队');
INSERT INTO minqing.service_team_member (team_id, district_id, path, kind, resident_id)
SELECT t.team_id, t.district_id, t.path, 'resident', r.resident_id
  FROM minqing.service_team t, minqing.resident r
 WHERE t.name = 'XQ机密服务队' AND r.name = 'XQ机密居民'
   AND NOT EXISTS (SELECT 1 FROM minqing.service_team_member m WHERE m.team_id = t.team_id);
INSERT INTO minqing.service_team_cell (team_id, cell_id, district_id, path)
SELECT t.team_id, c.cell_id, t.district_id, t.path
  FROM minqing.service_team t, minqing.grid_cell c
 WHERE t.name = 'XQ机密服务队' AND c.name = 'XQ机密网格'
   AND NOT EXISTS (SELECT 1 FROM minqing.service_team_cell x WHERE x.team_id = t.team_id);
INSERT INTO minqing.visit (district_id, unit_id, path, team_id, visited_at, shift, kind, households, findings)
SELECT t.district_id, t.unit_id, t.path, t.team_id, now() - interval '1 day', 'night', 'regular', 1, 'XQ机密走访'
  FROM minqing.service_team t WHERE t.name = 'XQ机密服务队'
   AND NOT EXISTS (SELECT 1 FROM minqing.visit v WHERE v.findings = 'XQ机密走访');
INSERT INTO minqing.visit_household (visit_id, household_id, district_id, unit_id, cell_id, path, visited_on, finding)
SELECT v.visit_id, h.household_id, h.district_id, h.unit_id, c.cell_id, h.path, current_date - 1, 'XQ机密发现'
  FROM minqing.visit v, minqing.household h, minqing.grid_cell c
 WHERE v.findings = 'XQ机密走访' AND h.household_no = 'XQ-0001' AND c.name = 'XQ机密网格'
   AND NOT EXISTS (SELECT 1 FROM minqing.visit_household x WHERE x.visit_id = v.visit_id);
-- A volunteer, an enterprise, an activity with a sign-up, and a message
-- received in the second district, whose texts are secret (the volunteer
-- and SMS functions are attacked with them; none references the household,
-- so unworld.sql leaves them).
INSERT INTO minqing.volunteer (district_id, unit_id, path, kind, name, phone, skills)
SELECT u.district_id, u.unit_id, u.path, 'outside', 'XQ机密志愿者', '13911100009', 'XQ机密特长'
  FROM minqing.org_unit u WHERE u.code = 'XQT01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.volunteer v WHERE v.name = 'XQ机密志愿者');
INSERT INTO minqing.enterprise (district_id, unit_id, path, name, contact_name, contact_phone)
SELECT u.district_id, u.unit_id, u.path, 'XQ机密企业', 'XQ机密联系人', '13911100008'
  FROM minqing.org_unit u WHERE u.code = 'XQT01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.enterprise e WHERE e.name = 'XQ机密企业');
INSERT INTO minqing.activity (district_id, unit_id, path, title, kind, starts_on, ends_on, result_note)
SELECT u.district_id, u.unit_id, u.path, 'XQ机密活动', 'villages', current_date - 1, current_date + 30, 'XQ机密成果'
  FROM minqing.org_unit u WHERE u.code = 'XQT01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.activity a WHERE a.title = 'XQ机密活动');
INSERT INTO minqing.activity_signup (activity_id, volunteer_id, district_id, path, activity_path, status)
SELECT a.activity_id, v.volunteer_id, a.district_id, v.path, a.path, 'signed'
  FROM minqing.activity a, minqing.volunteer v WHERE a.title = 'XQ机密活动' AND v.name = 'XQ机密志愿者'
   AND NOT EXISTS (SELECT 1 FROM minqing.activity_signup g WHERE g.activity_id = a.activity_id);
INSERT INTO minqing.sms_inbound (gammu_id, district_id, path, phone, body, received_at, outcome, reason)
SELECT 1, u.district_id, u.path, '13911100007', 'XQ机密短信', now(), 'triage', 'XQ机密'
  FROM minqing.org_unit u WHERE u.code = 'XQT01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.sms_inbound m WHERE m.body = 'XQ机密短信');
-- An assessment of the second district (rules of 2020, a draft with the
-- town's score of one item and an adjustment), whose texts are secret (the
-- assessment functions are attacked with them: the foreign values of
-- p_assessment, p_rule, p_period, p_town). Drafts: unworld.sql may leave them.
INSERT INTO minqing.assessment_rule_set (district_id, path, period, starts_on, ends_on, title)
SELECT u.district_id, u.path, '2020', '2020-01-01', '2021-01-01', 'XQ机密细则'
  FROM minqing.org_unit u WHERE u.code = 'XQ'
   AND NOT EXISTS (SELECT 1 FROM minqing.assessment_rule_set r WHERE r.title = 'XQ机密细则');
INSERT INTO minqing.assessment_rule (rule_set_id, district_id, path, item_no, code, name_zh, name_en, kind, max_points)
SELECT r.rule_set_id, r.district_id, r.path, 1, 'secret', 'XQ机密项目', 'XQ机密项目', 'manual', 10
  FROM minqing.assessment_rule_set r WHERE r.title = 'XQ机密细则'
   AND NOT EXISTS (SELECT 1 FROM minqing.assessment_rule x WHERE x.rule_set_id = r.rule_set_id);
INSERT INTO minqing.assessment (district_id, path, rule_set_id, period, from_at, cutoff_at, version)
SELECT r.district_id, r.path, r.rule_set_id, '2020', '2020-01-01', '2020-06-01', 1
  FROM minqing.assessment_rule_set r WHERE r.title = 'XQ机密细则'
   AND NOT EXISTS (SELECT 1 FROM minqing.assessment a WHERE a.rule_set_id = r.rule_set_id);
INSERT INTO minqing.assessment_item (assessment_id, item_no, district_id, path, code, name_zh, name_en, kind, max_points)
SELECT a.assessment_id, 1, a.district_id, a.path, 'secret', 'XQ机密项目', 'XQ机密项目', 'manual', 10
  FROM minqing.assessment a JOIN minqing.assessment_rule_set r USING (rule_set_id) WHERE r.title = 'XQ机密细则'
   AND NOT EXISTS (SELECT 1 FROM minqing.assessment_item i WHERE i.assessment_id = a.assessment_id);
INSERT INTO minqing.assessment_unit (assessment_id, unit_id, district_id, path, level, town_unit_id, total)
SELECT a.assessment_id, u.unit_id, u.district_id, u.path, 'town', u.unit_id, 7
  FROM minqing.assessment a JOIN minqing.assessment_rule_set r USING (rule_set_id), minqing.org_unit u
 WHERE r.title = 'XQ机密细则' AND u.code = 'XQT01'
   AND NOT EXISTS (SELECT 1 FROM minqing.assessment_unit x WHERE x.assessment_id = a.assessment_id);
INSERT INTO minqing.assessment_score (assessment_id, item_no, unit_id, district_id, path, score, explanation, adjusted)
SELECT x.assessment_id, 1, x.unit_id, x.district_id, x.path, 7, 'XQ机密说明', true
  FROM minqing.assessment_unit x JOIN minqing.assessment a USING (assessment_id)
  JOIN minqing.assessment_rule_set r USING (rule_set_id) WHERE r.title = 'XQ机密细则'
   AND NOT EXISTS (SELECT 1 FROM minqing.assessment_score s WHERE s.assessment_id = x.assessment_id);
INSERT INTO minqing.assessment_adjustment (assessment_id, item_no, unit_id, district_id, path, new_score, reason, author)
SELECT s.assessment_id, 1, s.unit_id, s.district_id, s.path, 7, 'XQ机密理由', 'adv_x_officer'
  FROM minqing.assessment_score s WHERE s.explanation = 'XQ机密说明'
   AND NOT EXISTS (SELECT 1 FROM minqing.assessment_adjustment j WHERE j.reason = 'XQ机密理由');
-- An inspection of that village with a finding being rectified and its
-- timeline, and a draft circular of the town, whose texts are secret (the
-- inspection and circular functions are attacked with them).
INSERT INTO minqing.inspection (district_id, unit_id, path, kind, inspected_on, team, items, summary, rating,
                                inspector_staff_id)
SELECT u.district_id, u.unit_id, u.path, 'unannounced', current_date - 1, 'XQ机密督查组', 'XQ机密检查', 'XQ机密情况',
       'poor', s.staff_id
  FROM minqing.org_unit u JOIN minqing.staff s ON s.login = 'adv_x_handler' WHERE u.code = 'XQT01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.inspection i WHERE i.team = 'XQ机密督查组');
INSERT INTO minqing.inspection_finding (finding_no, inspection_id, district_id, owner_unit_id, path, title, detail,
                                        status, started_at, due_at)
SELECT 'DC-XQ-000001', i.inspection_id, i.district_id, i.unit_id, i.path, 'XQ机密问题', 'XQ机密描述', 'rectifying',
       now(), now() + interval '10 days'
  FROM minqing.inspection i WHERE i.team = 'XQ机密督查组'
   AND NOT EXISTS (SELECT 1 FROM minqing.inspection_finding f WHERE f.inspection_id = i.inspection_id);
INSERT INTO minqing.finding_event (finding_id, district_id, path, kind, note)
SELECT f.finding_id, f.district_id, f.path, 'recorded', 'XQ机密问题'
  FROM minqing.inspection_finding f WHERE f.finding_no = 'DC-XQ-000001'
   AND NOT EXISTS (SELECT 1 FROM minqing.finding_event e WHERE e.finding_id = f.finding_id);
INSERT INTO minqing.circular (district_id, unit_id, path, kind, title, body, unit_ids)
SELECT u.district_id, u.unit_id, u.path, 'free', 'XQ机密通报', 'XQ机密正文', ARRAY[v.unit_id]
  FROM minqing.org_unit u, minqing.org_unit v WHERE u.code = 'XQT01' AND v.code = 'XQT01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.circular c WHERE c.title = 'XQ机密通报');
