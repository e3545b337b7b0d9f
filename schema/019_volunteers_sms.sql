-- 019_volunteers_sms.sql: volunteers and activities (志愿者与主题活动),
-- the enterprise register (企业名录), and text messages received (two-way
-- SMS: what Gammu SMSD receives, read by minqing-notify).
--
-- volunteer: a resident, a staff member or an outside person (name and
-- phone) of a unit, in the district team (142) or not, skills, active.
-- enterprise: the register of enterprises by town (not only the stations).
-- activity: organiser unit, title, theme (红七月 ...), kind, dates, the
-- reach it aims at (villages, enterprises, households) and its results;
-- activity_target: the villages, enterprises and households it reached;
-- activity_signup: invitations (by SMS), answers, attendance and hours;
-- activity_case: problems found by an activity that became cases.
-- sms_inbound: every message Gammu received, once per Gammu inbox ID, with
-- what became of it (a case, a sign-up, or waiting in triage).
-- docs/volunteers.md has the model; schema/functions/68_volunteers.sql and
-- 69_sms_inbox.sql the functions.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

-- The new channel of a case: a resident's text message. (The value cannot
-- be used in this transaction; the function files name it in PL/pgSQL
-- bodies only, which are not checked until they run.)
ALTER TYPE minqing.case_channel ADD VALUE IF NOT EXISTS 'sms';

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Volunteers
------------------------------------------------------------------------------
CREATE TABLE minqing.volunteer (
	volunteer_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	unit_id       integer NOT NULL REFERENCES minqing.org_unit,
	path          ext.ltree NOT NULL,
	kind          text NOT NULL CHECK (kind IN ('resident', 'staff', 'outside')),
	resident_id   bigint REFERENCES minqing.resident,
	staff_id      integer REFERENCES minqing.staff,
	name          text NOT NULL,
	phone         minqing.phone,
	district_team boolean NOT NULL DEFAULT false,
	skills        text,
	active        boolean NOT NULL DEFAULT true,
	row_version   integer NOT NULL DEFAULT 1,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	CHECK ((kind = 'resident') = (resident_id IS NOT NULL)),
	CHECK ((kind = 'staff') = (staff_id IS NOT NULL))
);
COMMENT ON TABLE minqing.volunteer IS
	'A volunteer (志愿者) of a unit: a resident of the register, a staff member, or an outside person with a '
	'name and phone; district_team: one of the district''s party volunteer team (142); skills; active. '
	'Written by volunteer_add/_update only; audited.';
CREATE INDEX volunteer_unit ON minqing.volunteer (unit_id, name, volunteer_id);
CREATE INDEX volunteer_phone ON minqing.volunteer (phone) WHERE active;
CREATE UNIQUE INDEX volunteer_resident ON minqing.volunteer (resident_id) WHERE resident_id IS NOT NULL;
CREATE UNIQUE INDEX volunteer_staff ON minqing.volunteer (staff_id) WHERE staff_id IS NOT NULL;

------------------------------------------------------------------------------
-- The enterprise register
------------------------------------------------------------------------------
CREATE TABLE minqing.enterprise (
	enterprise_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	unit_id       integer NOT NULL REFERENCES minqing.org_unit,
	path          ext.ltree NOT NULL,
	name          text NOT NULL,
	industry      text,
	contact_name  text,
	contact_phone minqing.phone,
	org_unit_id   integer REFERENCES minqing.org_unit,
	station_id    integer REFERENCES minqing.station,
	active        boolean NOT NULL DEFAULT true,
	row_version   integer NOT NULL DEFAULT 1,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	UNIQUE (district_id, name)
);
COMMENT ON TABLE minqing.enterprise IS
	'The enterprise register (企业名录): name, the town (or village) it belongs to (unit_id), industry, '
	'contact and phone, optionally its own unit (org_unit_id, an enterprise with a party branch) and its '
	'station. Written by enterprise_add only; audited.';
CREATE INDEX enterprise_unit ON minqing.enterprise (unit_id, name, enterprise_id);

------------------------------------------------------------------------------
-- Activities
------------------------------------------------------------------------------
CREATE TABLE minqing.activity (
	activity_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id        smallint NOT NULL REFERENCES minqing.district,
	unit_id            integer NOT NULL REFERENCES minqing.org_unit,
	path               ext.ltree NOT NULL,
	title              text NOT NULL,
	theme              text,
	kind               text NOT NULL CHECK (kind IN ('pairing', 'donation', 'villages', 'enterprises',
	                                                 'households')),
	starts_on          date NOT NULL,
	ends_on            date NOT NULL,
	target_villages    integer NOT NULL DEFAULT 0 CHECK (target_villages BETWEEN 0 AND 100000),
	target_enterprises integer NOT NULL DEFAULT 0 CHECK (target_enterprises BETWEEN 0 AND 100000),
	target_households  integer NOT NULL DEFAULT 0 CHECK (target_households BETWEEN 0 AND 1000000),
	households_helped  integer NOT NULL DEFAULT 0 CHECK (households_helped BETWEEN 0 AND 1000000),
	money_donated      numeric(12, 2) NOT NULL DEFAULT 0 CHECK (money_donated BETWEEN 0 AND 1e9),
	goods_donated      text,
	problems_solved    integer NOT NULL DEFAULT 0 CHECK (problems_solved BETWEEN 0 AND 100000),
	result_note        text,
	created_by         name NOT NULL DEFAULT session_user,
	row_version        integer NOT NULL DEFAULT 1,
	created_at         timestamptz NOT NULL DEFAULT now(),
	updated_at         timestamptz NOT NULL DEFAULT now(),
	CHECK (ends_on >= starts_on AND ends_on <= starts_on + 366)
);
COMMENT ON TABLE minqing.activity IS
	'A themed activity (主题活动): organiser unit, title, theme (红七月 for the July service month), kind '
	'(pairing 结对帮扶, donation 捐赠, villages 进村, enterprises 进企, households 入户), dates, the reach aimed '
	'at (target_*) and the results (households helped, money and goods donated, problems solved). Read by '
	'the organiser''s subtree and the units below it (a district campaign is seen by every village). '
	'Written by activity_add/_result only; audited.';
CREATE INDEX activity_unit ON minqing.activity (unit_id, starts_on, activity_id);
CREATE INDEX activity_start ON minqing.activity (starts_on, activity_id);

CREATE TABLE minqing.activity_target (
	target_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	activity_id     bigint NOT NULL REFERENCES minqing.activity,
	district_id     smallint NOT NULL REFERENCES minqing.district,
	path            ext.ltree NOT NULL,
	village_unit_id integer REFERENCES minqing.org_unit,
	enterprise_id   bigint REFERENCES minqing.enterprise,
	household_id    bigint REFERENCES minqing.household,
	reached_on      date,
	created_at      timestamptz NOT NULL DEFAULT now(),
	CHECK (num_nonnulls(village_unit_id, enterprise_id, household_id) = 1)
);
COMMENT ON TABLE minqing.activity_target IS
	'What an activity reached: one village, enterprise or household per row (path: the target''s own, so a '
	'village sees the campaigns that reached it), the day. Written by activity_target_add only.';
CREATE UNIQUE INDEX activity_target_village ON minqing.activity_target (activity_id, village_unit_id)
	WHERE village_unit_id IS NOT NULL;
CREATE UNIQUE INDEX activity_target_enterprise ON minqing.activity_target (activity_id, enterprise_id)
	WHERE enterprise_id IS NOT NULL;
CREATE UNIQUE INDEX activity_target_household ON minqing.activity_target (activity_id, household_id)
	WHERE household_id IS NOT NULL;

CREATE TABLE minqing.activity_signup (
	signup_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	activity_id   bigint NOT NULL REFERENCES minqing.activity,
	volunteer_id  bigint NOT NULL REFERENCES minqing.volunteer,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	path          ext.ltree NOT NULL,
	activity_path ext.ltree NOT NULL,
	status        text NOT NULL DEFAULT 'signed' CHECK (status IN ('invited', 'signed', 'declined')),
	via           text NOT NULL DEFAULT 'console' CHECK (via IN ('console', 'sms')),
	invited_at    timestamptz,
	invitation_id bigint REFERENCES minqing.outbox,
	answered_at   timestamptz,
	attended_on   date,
	hours         numeric(5, 1) CHECK (hours > 0 AND hours <= 240),
	signed_by     name NOT NULL DEFAULT session_user,
	row_version   integer NOT NULL DEFAULT 1,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	UNIQUE (activity_id, volunteer_id),
	CHECK ((attended_on IS NULL) = (hours IS NULL)),
	CHECK (attended_on IS NULL OR status = 'signed')
);
COMMENT ON TABLE minqing.activity_signup IS
	'A volunteer and an activity: invited (an SMS, invitation_id), signed up (at the console, or by replying '
	'1 to the invitation) or declined (replying 2); attendance (attended_on, never before the activity''s '
	'first day) and hours. path is the volunteer''s unit, activity_path the activity''s: each side sees it. '
	'Written by activity_invite/_signup/_attend and sms_receive only; audited.';
CREATE INDEX activity_signup_volunteer ON minqing.activity_signup (volunteer_id, invited_at);
CREATE INDEX activity_signup_invited ON minqing.activity_signup (volunteer_id) WHERE status = 'invited';

CREATE TABLE minqing.activity_case (
	activity_id bigint NOT NULL REFERENCES minqing.activity,
	case_id     bigint NOT NULL REFERENCES minqing.cases,
	case_no     text NOT NULL,
	district_id smallint NOT NULL REFERENCES minqing.district,
	path        ext.ltree NOT NULL,
	created_at  timestamptz NOT NULL DEFAULT now(),
	created_by  name NOT NULL DEFAULT session_user,
	PRIMARY KEY (activity_id, case_id)
);
COMMENT ON TABLE minqing.activity_case IS
	'A problem an activity found that became a case (activity_to_case(), through case_intake()): the '
	'activity keeps the case and its number. Append-only.';

------------------------------------------------------------------------------
-- Text messages received (Gammu SMSD's inbox, read by minqing-notify)
------------------------------------------------------------------------------
CREATE TABLE minqing.sms_inbound (
	inbound_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	gammu_id      bigint NOT NULL,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	path          ext.ltree NOT NULL,
	phone         text NOT NULL,
	body          text NOT NULL,
	received_at   timestamptz NOT NULL,
	read_at       timestamptz NOT NULL DEFAULT now(),
	outcome       text NOT NULL CHECK (outcome IN ('case', 'signup', 'triage', 'handled')),
	reason        text,
	household_id  bigint REFERENCES minqing.household,
	case_id       bigint REFERENCES minqing.cases,
	case_no       text,
	signup_id     bigint REFERENCES minqing.activity_signup,
	handled_by    name,
	handled_at    timestamptz,
	handled_note  text,
	row_version   integer NOT NULL DEFAULT 1,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT sms_inbound_gammu_id UNIQUE (district_id, gammu_id),
	CHECK ((outcome = 'case') = (case_id IS NOT NULL) OR outcome = 'handled'),
	CHECK (outcome <> 'signup' OR signup_id IS NOT NULL)
);
COMMENT ON TABLE minqing.sms_inbound IS
	'Every text message Gammu SMSD received, once (unique on Gammu''s inbox ID: reading it again changes '
	'nothing): sender, text, when; what became of it: a case in triage (channel sms), a volunteer''s answer '
	'to an invitation (signup), or waiting in the triage list of messages received (reason), until a '
	'handler turns it into a case or marks it handled. Written by sms_receive (the drainer), sms_to_case '
	'and sms_mark_handled only; audited.';
CREATE INDEX sms_inbound_triage ON minqing.sms_inbound (received_at, inbound_id) WHERE outcome = 'triage';
CREATE INDEX sms_inbound_received ON minqing.sms_inbound (received_at, inbound_id);
-- sms_receive() matches a sender to the register by phone: residents have
-- their index (resident_phone); the household's own phone gets one here.
CREATE INDEX household_phone ON minqing.household (phone) WHERE phone IS NOT NULL;

------------------------------------------------------------------------------
-- Message templates: the invitation says how to answer; the receipt.
------------------------------------------------------------------------------
INSERT INTO minqing.message_template (code, body, description) VALUES
	('activity_invitation',
	 '【民情e站】{name}您好，{unit}邀请您参加“{title}”（{date}）。回复1参加，回复2不参加。',
	 'To a volunteer: an invitation to an activity. Variables: name, unit, title, date. The answer (1 yes, '
	 '2 no) is read from the messages received (sms_receive).'),
	('activity_reply_ack',
	 '【民情e站】已收到您的回复：{answer}“{title}”（{date}）。',
	 'To a volunteer who answered an invitation. Variables: answer, title, date.'),
	('sms_case_received',
	 '【民情e站】已收到，编号{case_no}。我们会尽快办理并告知结果。',
	 'To a resident whose text message became a case. Variables: case_no.');

------------------------------------------------------------------------------
-- Text rules
------------------------------------------------------------------------------
INSERT INTO minqing.text_rule VALUES
	('volunteer', 'name', 50, false, NULL),
	('volunteer', 'skills', 200, false, NULL),
	('enterprise', 'name', 100, false, NULL),
	('enterprise', 'industry', 50, false, NULL),
	('enterprise', 'contact_name', 50, false, NULL),
	('activity', 'title', 100, false, NULL),
	('activity', 'theme', 50, false, NULL),
	('activity', 'goods_donated', 500, true, NULL),
	('activity', 'result_note', 2000, true, NULL),
	('sms_inbound', 'body', 2000, true, NULL),
	('sms_inbound', 'handled_note', 1000, true, NULL),
	('sms_inbound', 'reason', 200, false, NULL);

SELECT minqing.text_rules_apply(ARRAY['volunteer', 'enterprise', 'activity', 'sms_inbound']);

------------------------------------------------------------------------------
-- Audit
------------------------------------------------------------------------------
CREATE TRIGGER volunteer_touch BEFORE UPDATE ON minqing.volunteer
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER volunteer_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.volunteer
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('volunteer_id');
CREATE TRIGGER enterprise_touch BEFORE UPDATE ON minqing.enterprise
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER enterprise_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.enterprise
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('enterprise_id');
CREATE TRIGGER activity_touch BEFORE UPDATE ON minqing.activity
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER activity_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.activity
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('activity_id');
CREATE TRIGGER activity_target_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.activity_target
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('target_id');
CREATE TRIGGER activity_signup_touch BEFORE UPDATE ON minqing.activity_signup
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER activity_signup_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.activity_signup
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('signup_id');
CREATE TRIGGER activity_case_no_update BEFORE UPDATE OR DELETE ON minqing.activity_case
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_refuse();
CREATE TRIGGER sms_inbound_touch BEFORE UPDATE ON minqing.sms_inbound
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER sms_inbound_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.sms_inbound
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('inbound_id');

------------------------------------------------------------------------------
-- Row-level security. Read within my_scope(); an activity also by the
-- units below its organiser (a district campaign is every village's);
-- a sign-up by the volunteer's side and the activity's side. Written (by
-- the definer functions, FORCE binds them) within my_write_scope(), or
-- by the drainer (mq_system: my_scope() is everything) for messages
-- received and the sign-ups they record. No client role holds a write
-- privilege; nothing is deleted.
------------------------------------------------------------------------------
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['volunteer', 'enterprise', 'activity', 'activity_target', 'activity_signup',
	                         'activity_case', 'sms_inbound'] LOOP
		EXECUTE format('ALTER TABLE minqing.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE minqing.%I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('GRANT SELECT ON minqing.%I TO mq_staff', t);
	END LOOP;
	FOREACH t IN ARRAY ARRAY['volunteer', 'enterprise', 'activity_target', 'activity_case'] LOOP
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR SELECT '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()))', t || '_read', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR INSERT TO mq_owner '
		               'WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))',
		               t || '_insert', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR UPDATE TO mq_owner '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope())) '
		               'WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))',
		               t || '_update', t);
	END LOOP;
END
$$;

-- An activity: its organiser's subtree and the units below the organiser.
CREATE POLICY activity_read ON minqing.activity FOR SELECT
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()) OR path OPERATOR(ext.@>) (SELECT minqing.my_scope()));
CREATE POLICY activity_insert ON minqing.activity FOR INSERT TO mq_owner
	WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()));
CREATE POLICY activity_update ON minqing.activity FOR UPDATE TO mq_owner
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))
	WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()));

-- A sign-up: the volunteer's side or the activity's; written by the
-- volunteer's side (a village officer signs up the village's volunteers)
-- or by the drainer recording an answer by SMS.
CREATE POLICY activity_signup_read ON minqing.activity_signup FOR SELECT
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope())
	       OR activity_path OPERATOR(ext.<@) (SELECT minqing.my_scope()));
CREATE POLICY activity_signup_insert ON minqing.activity_signup FOR INSERT TO mq_owner
	WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope())
	            OR activity_path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()));
CREATE POLICY activity_signup_update ON minqing.activity_signup FOR UPDATE TO mq_owner
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope())
	       OR activity_path OPERATOR(ext.<@) (SELECT minqing.my_write_scope())
	       OR (SELECT pg_catalog.pg_has_role(session_user, 'mq_system', 'MEMBER')))
	WITH CHECK (true);

-- Messages received: read in my_scope() (the district's staff: all; a
-- village: those matched to its households); written by the drainer
-- (mq_system) and by the district's handlers.
CREATE POLICY sms_inbound_read ON minqing.sms_inbound FOR SELECT
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()));
CREATE POLICY sms_inbound_insert ON minqing.sms_inbound FOR INSERT TO mq_owner
	WITH CHECK ((SELECT pg_catalog.pg_has_role(session_user, 'mq_system', 'MEMBER')));
CREATE POLICY sms_inbound_update ON minqing.sms_inbound FOR UPDATE TO mq_owner
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope())
	       OR (SELECT pg_catalog.pg_has_role(session_user, 'mq_system', 'MEMBER')))
	WITH CHECK (true);
GRANT SELECT ON minqing.sms_inbound TO mq_system;

RESET ROLE;
