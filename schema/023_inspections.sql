-- 023_inspections.sql: inspections (督查) and their findings, tracked to
-- rectification (整改) like cases, and circulars (情况通报).
--
-- A supervisor records an inspection of a unit (scheduled or unannounced,
-- the team, the items checked, a rating) and its findings; a finding that
-- needs rectification gets an owner unit and a deadline, and from then on
-- its reminder and yellow/orange/red times come from the district's
-- escalation_rule through case_schedule() (the cases' own schedule
-- function), raised by minqing-escalate (finding_escalation_pass). The
-- owner unit's handler records the rectification with its evidence; a
-- supervisor accepts it or reopens it with a new deadline. Every step is an
-- event on the finding's timeline. A circular is drafted from the data (the
-- inspections or the warnings of a period, or free text), edited, and
-- published as a notice (公告栏, kind circular) to each unit concerned.
-- docs/inspections.md; the functions: schema/functions/75_inspections.sql.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE TABLE minqing.inspection (
	inspection_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id        smallint NOT NULL REFERENCES minqing.district,
	unit_id            integer NOT NULL REFERENCES minqing.org_unit,
	path               ext.ltree NOT NULL,
	kind               text NOT NULL CHECK (kind IN ('scheduled', 'unannounced')),
	inspected_on       date NOT NULL,
	team               text NOT NULL,
	items              text NOT NULL,
	summary            text,
	rating             text NOT NULL CHECK (rating IN ('excellent', 'good', 'fair', 'poor')),
	inspector_staff_id integer NOT NULL REFERENCES minqing.staff,
	created_by         name NOT NULL DEFAULT session_user,
	row_version        integer NOT NULL DEFAULT 1,
	created_at         timestamptz NOT NULL DEFAULT now(),
	updated_at         timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.inspection IS
	'督查: an inspection of a unit (path: the unit''s) by a supervisor (inspector_staff_id): scheduled or '
	'unannounced (暗访), the team, the items checked (a line each), a summary and a rating (excellent 优秀, '
	'good 良好, fair 一般, poor 较差). Its findings are inspection_finding. Written by inspection_record only; '
	'audited.';
CREATE INDEX inspection_on ON minqing.inspection (inspected_on DESC, inspection_id DESC);
CREATE INDEX inspection_path_gist ON minqing.inspection USING gist (path);

CREATE TABLE minqing.inspection_finding (
	finding_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	finding_no          text NOT NULL UNIQUE,
	inspection_id       bigint NOT NULL REFERENCES minqing.inspection,
	district_id         smallint NOT NULL REFERENCES minqing.district,
	owner_unit_id       integer NOT NULL REFERENCES minqing.org_unit,
	path                ext.ltree NOT NULL,
	title               text NOT NULL,
	detail              text,
	status              text NOT NULL CHECK (status IN ('noted', 'rectifying', 'rectified', 'accepted')),
	started_at          timestamptz,
	due_at              timestamptz,
	remind_at           timestamptz,
	yellow_at           timestamptz,
	orange_at           timestamptz,
	red_at              timestamptz,
	warning_level       minqing.warning_level NOT NULL DEFAULT 'none',
	reminded_at         timestamptz,
	next_escalation_at  timestamptz,
	rectification       text,
	evidence            text,
	rectified_at        timestamptz,
	rectified_by        name,
	accepted_at         timestamptz,
	accepted_by         name,
	reopened            integer NOT NULL DEFAULT 0 CHECK (reopened >= 0),
	created_by          name NOT NULL DEFAULT session_user,
	row_version         integer NOT NULL DEFAULT 1,
	created_at          timestamptz NOT NULL DEFAULT now(),
	updated_at          timestamptz NOT NULL DEFAULT now(),
	CHECK (status = 'noted' OR (due_at IS NOT NULL AND started_at IS NOT NULL)),
	CHECK (status NOT IN ('rectified', 'accepted') OR (rectified_at IS NOT NULL AND rectification IS NOT NULL)),
	CHECK ((status = 'accepted') = (accepted_at IS NOT NULL))
);
COMMENT ON TABLE minqing.inspection_finding IS
	'A finding of an inspection (督查发现问题): noted (no rectification asked), or rectifying (整改中) by its '
	'owner unit (path: the owner''s) until due_at -> rectified (the unit''s rectification and evidence) -> '
	'accepted (验收) by a supervisor, or back to rectifying with a new deadline (reopened). remind_at .. red_at: '
	'the schedule case_schedule() gives from the district''s escalation_rule; warning_level, reminded_at and '
	'next_escalation_at are kept by finding_escalation_pass (minqing-escalate) as for cases. Written by the '
	'finding_* functions only; audited.';
COMMENT ON COLUMN minqing.inspection_finding.next_escalation_at IS
	'When the escalation pass must next look at this finding (reminder, yellow, orange, red); NULL when '
	'nothing more can happen (not rectifying, or red). Kept by the trigger finding_bookkeeping.';
CREATE INDEX inspection_finding_inspection ON minqing.inspection_finding (inspection_id, finding_id);
CREATE INDEX inspection_finding_due ON minqing.inspection_finding (due_at, finding_id) WHERE status = 'rectifying';
CREATE INDEX inspection_finding_queue ON minqing.inspection_finding (next_escalation_at)
	WHERE next_escalation_at IS NOT NULL;
CREATE INDEX inspection_finding_path_gist ON minqing.inspection_finding USING gist (path);

CREATE TABLE minqing.finding_event (
	event_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	finding_id  bigint NOT NULL REFERENCES minqing.inspection_finding,
	district_id smallint NOT NULL REFERENCES minqing.district,
	path        ext.ltree NOT NULL,
	at          timestamptz NOT NULL DEFAULT clock_timestamp(),
	actor       name NOT NULL DEFAULT session_user,
	kind        text NOT NULL CHECK (kind IN ('recorded', 'reminder', 'warning', 'rectified', 'accepted',
	                                          'reopened')),
	note        text,
	data        jsonb
);
COMMENT ON TABLE minqing.finding_event IS
	'The timeline of a finding: recorded, reminder, warning (data.step), rectified, accepted, reopened '
	'(data.due_at). Append-only; path is the finding''s.';
CREATE INDEX finding_event_finding ON minqing.finding_event (finding_id, event_id);
CREATE INDEX finding_event_warning ON minqing.finding_event (at) WHERE kind = 'warning';

CREATE TABLE minqing.circular (
	circular_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	unit_id       integer NOT NULL REFERENCES minqing.org_unit,
	path          ext.ltree NOT NULL,
	kind          text NOT NULL CHECK (kind IN ('inspection', 'warnings', 'assessment', 'free')),
	period_from   date,
	period_to     date,
	title         text NOT NULL,
	body          text NOT NULL,
	unit_ids      integer[] NOT NULL DEFAULT '{}',
	status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
	notice_ids    bigint[] NOT NULL DEFAULT '{}',
	published_at  timestamptz,
	published_by  name,
	created_by    name NOT NULL DEFAULT session_user,
	row_version   integer NOT NULL DEFAULT 1,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	CHECK (period_to IS NULL OR period_from IS NULL OR period_to >= period_from),
	CHECK ((status = 'published') = (published_at IS NOT NULL))
);
COMMENT ON TABLE minqing.circular IS
	'情况通报: a circular of a supervisor''s unit (path: the issuing unit''s) of a kind (inspection: the '
	'inspections of a period; warnings: the warnings raised in it; assessment; free), its title and body '
	'(drafted from the data, then edited), the units concerned (unit_ids). draft -> published: one notice '
	'(kind circular, staff) per unit concerned, notice_ids. Written by the circular_* functions; audited.';
CREATE INDEX circular_created ON minqing.circular (created_at DESC, circular_id DESC);
CREATE INDEX circular_path_gist ON minqing.circular USING gist (path);

------------------------------------------------------------------------------
-- Text rules
------------------------------------------------------------------------------
INSERT INTO minqing.text_rule VALUES
	('inspection', 'team', 200, false, NULL),
	('inspection', 'items', 2000, true, NULL),
	('inspection', 'summary', 2000, true, NULL),
	('inspection_finding', 'title', 100, false, NULL),
	('inspection_finding', 'detail', 2000, true, NULL),
	('inspection_finding', 'rectification', 2000, true, NULL),
	('inspection_finding', 'evidence', 1000, true, NULL),
	('finding_event', 'note', 2000, true, NULL),
	('circular', 'title', 100, false, NULL),
	('circular', 'body', 4000, true, NULL);

SELECT minqing.text_rules_apply(ARRAY['inspection', 'inspection_finding', 'finding_event', 'circular']);

------------------------------------------------------------------------------
-- Audit, row versions; the finding's schedule (the trigger's function is in
-- schema/functions/75_inspections.sql; created here first, the file then
-- replaces it with the same text).
------------------------------------------------------------------------------
CREATE FUNCTION minqing.finding_bookkeeping() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN NEW;
END
$$;

CREATE TRIGGER inspection_touch BEFORE UPDATE ON minqing.inspection
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER inspection_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.inspection
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('inspection_id');
CREATE TRIGGER inspection_finding_bookkeeping BEFORE INSERT OR UPDATE ON minqing.inspection_finding
	FOR EACH ROW EXECUTE FUNCTION minqing.finding_bookkeeping();
CREATE TRIGGER inspection_finding_touch BEFORE UPDATE ON minqing.inspection_finding
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER inspection_finding_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.inspection_finding
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('finding_id');
CREATE TRIGGER circular_touch BEFORE UPDATE ON minqing.circular
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER circular_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.circular
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('circular_id');

------------------------------------------------------------------------------
-- Row-level security: read within my_scope() (so a town supervisor reads
-- the town's, a village handler their village's findings); written by the
-- definer functions within the same scope (they check the duty: the
-- supervisors record and accept, the owner unit's staff rectify); the
-- escalation job (mq_system: my_scope() is the whole tree) marks findings
-- of every district. No client role holds a write privilege; nothing is
-- deleted.
------------------------------------------------------------------------------
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['inspection', 'inspection_finding', 'finding_event', 'circular'] LOOP
		EXECUTE format('ALTER TABLE minqing.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE minqing.%I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR SELECT '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()))', t || '_read', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR INSERT TO mq_owner '
		               'WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_scope()))',
		               t || '_insert', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR UPDATE TO mq_owner '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope())) '
		               'WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_scope()))',
		               t || '_update', t);
		EXECUTE format('GRANT SELECT ON minqing.%I TO mq_staff', t);
	END LOOP;
END
$$;

-- A circular is published by a supervisor (who writes no notice of their
-- own: my_write_scope() is NULL for them) as a notice of each unit
-- concerned inside their jurisdiction, through circular_publish only.
CREATE POLICY notice_insert_circular ON minqing.notice FOR INSERT TO mq_owner
	WITH CHECK (kind = 'circular' AND state = 'published'
	            AND path OPERATOR(ext.<@) (SELECT minqing.my_scope())
	            AND (SELECT w.duty FROM minqing.whoami() w) = 'supervisor');

------------------------------------------------------------------------------
-- Message templates: the owner unit told of a finding; the escalation
-- digests of findings, one per step and recipient (as case_digest_*).
------------------------------------------------------------------------------
INSERT INTO minqing.message_template (code, body, description) VALUES
('finding_assigned',
 '【民情e站】{unit}：督查发现问题“{title}”（{finding_no}），请于{deadline}前整改并录入整改情况。',
 'To the owner unit''s handlers when a finding needing rectification is recorded or reopened. '
 'Variables: unit, title, finding_no, deadline.'),
('finding_digest_reminder',
 '【民情e站】{handler}您好：{unit}有{count}项督查整改即将到期，请抓紧整改：{findings}。',
 'Findings'' escalation digest to the owner unit''s handlers: rectifications about to fall due.'),
('finding_digest_yellow',
 '【民情e站】黄色预警：{unit}辖区有{count}项督查整改已逾期，请抓紧整改：{findings}。',
 'Findings'' escalation digest, yellow: the owner unit''s handlers and their town''s.'),
('finding_digest_orange',
 '【民情e站】橙色预警：{unit}辖区有{count}项督查整改逾期未完成，请镇（街道）牵头督办：{findings}。',
 'Findings'' escalation digest, orange: the town takes over.'),
('finding_digest_red',
 '【民情e站】红色预警：{unit}辖区有{count}项督查整改严重逾期，请区民情中心协调：{findings}。',
 'Findings'' escalation digest, red: the district centre and the supervisors.');

RESET ROLE;
