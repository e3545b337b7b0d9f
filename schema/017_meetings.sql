-- 017_meetings.sql: dialogue meetings (民情恳谈会, 民情沟通日, 党员论坛) in
-- five steps: planned from the unit's gathered cases and topics (会前汇总)
-- with the people concerned invited by SMS; recorded as 干部问事 (the
-- cadres' notes), 群众说事 (matters raised, each may become a case), 民主议事
-- (a decision per matter), 限期办事 (a decision becomes a case with a
-- deadline under the service commitment) and 定期评事 (the review on a set
-- date: each item's result read from its case, the participants'
-- satisfaction). docs/meetings.md has the model; schema/functions/
-- 70_meetings.sql the functions.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE TABLE minqing.meeting (
	meeting_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id        smallint NOT NULL REFERENCES minqing.district,
	unit_id            integer NOT NULL REFERENCES minqing.org_unit,
	path               ext.ltree NOT NULL,
	kind               text NOT NULL CHECK (kind IN ('dialogue', 'communication_day', 'party_forum')),
	form               text NOT NULL CHECK (form IN ('consultation', 'questionnaire', 'forum')),
	title              text NOT NULL,
	starts_at          timestamptz NOT NULL,
	place              text NOT NULL,
	host_staff_id      integer NOT NULL REFERENCES minqing.staff,
	status             text NOT NULL DEFAULT 'planned'
	                   CHECK (status IN ('planned', 'held', 'reviewed', 'cancelled')),
	cadres_ask         text,
	attendance         integer CHECK (attendance >= 0),
	held_at            timestamptz,
	review_on          date,
	review_reminded_at timestamptz,
	review_note        text,
	satisfied          integer CHECK (satisfied >= 0),
	basically_satisfied integer CHECK (basically_satisfied >= 0),
	not_satisfied      integer CHECK (not_satisfied >= 0),
	reviewed_at        timestamptz,
	cancel_reason      text,
	created_by         name NOT NULL DEFAULT session_user,
	row_version        integer NOT NULL DEFAULT 1,
	created_at         timestamptz NOT NULL DEFAULT now(),
	updated_at         timestamptz NOT NULL DEFAULT now(),
	CHECK (status = 'planned' OR status = 'cancelled' OR (held_at IS NOT NULL AND review_on IS NOT NULL)),
	CHECK (status <> 'reviewed' OR reviewed_at IS NOT NULL),
	CHECK (status <> 'cancelled' OR cancel_reason IS NOT NULL)
);
COMMENT ON TABLE minqing.meeting IS
	'A dialogue meeting (民情恳谈会 dialogue, 民情沟通日 communication_day, 党员论坛 party_forum) of a unit: '
	'form (座谈 consultation, 问卷 questionnaire, 论坛 forum), time, place, host; planned -> held -> reviewed '
	'(or cancelled while planned). cadres_ask: the notes of 干部问事; review_on: the date of 定期评事, whose '
	'reminder to the host is review_reminded_at; the review''s note and satisfaction counts. Written through '
	'the meeting_* functions only; audited.';
CREATE INDEX meeting_unit_starts ON minqing.meeting (unit_id, starts_at DESC, meeting_id DESC);
CREATE INDEX meeting_starts ON minqing.meeting (starts_at DESC, meeting_id DESC);
CREATE INDEX meeting_review_due ON minqing.meeting (review_on) WHERE status = 'held' AND review_reminded_at IS NULL;

CREATE TABLE minqing.meeting_matter (
	matter_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	meeting_id    bigint NOT NULL REFERENCES minqing.meeting,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	path          ext.ltree NOT NULL,
	source        text NOT NULL CHECK (source IN ('case', 'topic', 'raised')),
	content       text NOT NULL,
	raised_by     text,
	household_id  bigint REFERENCES minqing.household,
	case_id       bigint REFERENCES minqing.cases,
	case_no       text,
	decision      text,
	decided_at    timestamptz,
	due_case_id   bigint REFERENCES minqing.cases,
	due_case_no   text,
	created_by    name NOT NULL DEFAULT session_user,
	row_version   integer NOT NULL DEFAULT 1,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	CHECK (source <> 'case' OR case_id IS NOT NULL),
	CHECK (source <> 'topic' OR case_id IS NULL),
	CHECK ((case_id IS NULL) = (case_no IS NULL)),
	CHECK ((due_case_id IS NULL) = (due_case_no IS NULL)),
	CHECK (due_case_id IS NULL OR decision IS NOT NULL),
	CHECK ((decision IS NULL) = (decided_at IS NULL))
);
COMMENT ON TABLE minqing.meeting_matter IS
	'A matter of a meeting: gathered beforehand (会前汇总: source case, an open case of the unit; topic, a '
	'free topic) or raised at the meeting (群众说事: raised, by whom; it may become a case with channel '
	'dialogue_meeting, case_id). decision: 民主议事; due_case_id: the case the decision became (限期办事), '
	'whose deadline is the service commitment''s. The links to cases live here, not on cases.';
CREATE INDEX meeting_matter_meeting ON minqing.meeting_matter (meeting_id, matter_id);
CREATE UNIQUE INDEX meeting_matter_case_once ON minqing.meeting_matter (meeting_id, case_id)
	WHERE source = 'case';
CREATE INDEX meeting_matter_case ON minqing.meeting_matter (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX meeting_matter_due_case ON minqing.meeting_matter (due_case_id) WHERE due_case_id IS NOT NULL;

CREATE TABLE minqing.meeting_invitee (
	invitee_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	meeting_id    bigint NOT NULL REFERENCES minqing.meeting,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	path          ext.ltree NOT NULL,
	name          text NOT NULL,
	phone         minqing.phone,
	resident_id   bigint REFERENCES minqing.resident,
	case_id       bigint REFERENCES minqing.cases,
	invited_at    timestamptz,
	message_id    bigint,
	created_by    name NOT NULL DEFAULT session_user,
	row_version   integer NOT NULL DEFAULT 1,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.meeting_invitee IS
	'A person invited to a meeting: proposed from a gathered case''s submitter (case_id) or added by name '
	'and phone; invited_at and message_id once the invitation SMS is queued (template meeting_invitation).';
CREATE INDEX meeting_invitee_meeting ON minqing.meeting_invitee (meeting_id, invitee_id);
CREATE UNIQUE INDEX meeting_invitee_phone_once ON minqing.meeting_invitee (meeting_id, phone)
	WHERE phone IS NOT NULL;

------------------------------------------------------------------------------
-- Text rules
------------------------------------------------------------------------------
INSERT INTO minqing.text_rule VALUES
	('meeting', 'title', 100, false, NULL),
	('meeting', 'place', 100, false, NULL),
	('meeting', 'cadres_ask', 2000, true, NULL),
	('meeting', 'review_note', 2000, true, NULL),
	('meeting', 'cancel_reason', 500, true, NULL),
	('meeting_matter', 'content', 1000, true, NULL),
	('meeting_matter', 'raised_by', 50, false, NULL),
	('meeting_matter', 'decision', 1000, true, NULL),
	('meeting_invitee', 'name', 50, false, NULL);

SELECT minqing.text_rules_apply(ARRAY['meeting', 'meeting_matter', 'meeting_invitee']);

------------------------------------------------------------------------------
-- Audit, row versions
------------------------------------------------------------------------------
CREATE TRIGGER meeting_touch BEFORE UPDATE ON minqing.meeting
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER meeting_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.meeting
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('meeting_id');
CREATE TRIGGER meeting_matter_touch BEFORE UPDATE ON minqing.meeting_matter
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER meeting_matter_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.meeting_matter
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('matter_id');
CREATE TRIGGER meeting_invitee_touch BEFORE UPDATE ON minqing.meeting_invitee
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER meeting_invitee_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.meeting_invitee
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('invitee_id');

------------------------------------------------------------------------------
-- Row-level security: read within my_scope() (supervisors read), written
-- by the definer functions within my_write_scope(); the review reminder of
-- the escalation job (mq_escalator) marks meetings of the whole district.
-- No client role holds a write privilege; nothing is deleted.
------------------------------------------------------------------------------
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['meeting', 'meeting_matter', 'meeting_invitee'] LOOP
		EXECUTE format('ALTER TABLE minqing.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE minqing.%I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR SELECT '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()))', t || '_read', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR INSERT TO mq_owner '
		               'WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))',
		               t || '_insert', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR UPDATE TO mq_owner '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope())) '
		               'WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))',
		               t || '_update', t);
		EXECUTE format('GRANT SELECT ON minqing.%I TO mq_staff', t);
	END LOOP;
END
$$;
CREATE POLICY meeting_review_job ON minqing.meeting FOR UPDATE TO mq_owner
	USING ((SELECT pg_has_role(session_user, 'mq_escalator', 'MEMBER')))
	WITH CHECK ((SELECT pg_has_role(session_user, 'mq_escalator', 'MEMBER')));

------------------------------------------------------------------------------
-- Message templates: the invitation and the host's review reminder.
------------------------------------------------------------------------------
INSERT INTO minqing.message_template (code, body, description) VALUES
('meeting_invitation',
 '【民情e站】{name}您好，{unit}定于{date}在{place}召开{kind}“{title}”，诚邀您参加。',
 'To a person invited to a dialogue meeting. Variables: name, unit, date (day and time), place, kind, title.'),
('meeting_review_due',
 '【民情e站】{host}您好，{unit}{date}召开的{kind}“{title}”定于{review_on}定期评事，请组织评议办理结果。',
 'To the host when a dialogue meeting''s review falls due (the escalation job). '
 'Variables: host, unit, date, kind, title, review_on.');

RESET ROLE;
