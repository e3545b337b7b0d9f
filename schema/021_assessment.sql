-- 021_assessment.sql: the assessment (考核评分) — rules as data, snapshots,
-- adjustments, publication — and the days each account logged in (定期登录).
--
-- assessment_metric: the registry of computed measures (data): a code, its
-- names, how it scores (ratio against a target, or a deduction per
-- occurrence) and the SQL functions that compute it for every town and
-- village of a district at once and list the records behind one unit's
-- value. Written by migrations only (docs/assessment.md: adding a metric).
-- assessment_rule_set / assessment_rule: a district's rules (考核细则) for
-- a period (a year or a quarter): items with maximum points, computed from
-- a metric or entered by hand; kept by the district's administrator.
-- assessment: a snapshot computed at a cut-off time (draft), adjusted item
-- by item, then published, after which it and its rows never change (a
-- correction is a new version that supersedes it). assessment_item is the
-- snapshot's copy of the rules, assessment_score a unit's value and score
-- per item with its explanation, assessment_unit a unit's total and rank,
-- assessment_adjustment each change by hand with its reason and author.
-- staff_login_day: the first login of an account on a day (the console
-- records it when it connects).
-- docs/assessment.md has the model; schema/functions/73_assessment.sql the
-- functions.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- The metric registry
------------------------------------------------------------------------------
CREATE TABLE minqing.assessment_metric (
	metric_code       text PRIMARY KEY CHECK (metric_code ~ '^[a-z][a-z0-9_]{1,40}$'),
	name_zh           text NOT NULL,
	name_en           text NOT NULL,
	scoring           text NOT NULL CHECK (scoring IN ('ratio', 'deduct')),
	facts_function    text CHECK (facts_function ~ '^minqing\.[a-z][a-z0-9_]{1,62}$'),
	value_function    text CHECK (value_function ~ '^minqing\.[a-z][a-z0-9_]{1,62}$'),
	evidence_function text CHECK (evidence_function ~ '^minqing\.[a-z][a-z0-9_]{1,62}$'),
	default_target    numeric(8, 2) CHECK (default_target > 0),
	default_deduct    numeric(6, 2) CHECK (default_deduct > 0),
	description       text NOT NULL,
	sort_order        smallint NOT NULL DEFAULT 50,
	CHECK (facts_function IS NOT NULL OR (value_function IS NOT NULL AND evidence_function IS NOT NULL)),
	CHECK ((scoring = 'ratio') = (default_target IS NOT NULL)),
	CHECK ((scoring = 'deduct') = (default_deduct IS NOT NULL))
);
COMMENT ON TABLE minqing.assessment_metric IS
	'The computed measures of the assessment (考核指标), as data: scoring ratio (the value, a percentage, '
	'against a target: full points at the target) or deduct (points off per occurrence); either a facts '
	'function (the records, rolled up to towns and villages by the engine) or a value function and an '
	'evidence function. Written by migrations only (docs/assessment.md).';

------------------------------------------------------------------------------
-- The rules of a period
------------------------------------------------------------------------------
CREATE TABLE minqing.assessment_rule_set (
	rule_set_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id smallint NOT NULL REFERENCES minqing.district,
	path        ext.ltree NOT NULL,
	period      text NOT NULL CHECK (period ~ '^[0-9]{4}(Q[1-4])?$'),
	starts_on   date NOT NULL,
	ends_on     date NOT NULL,
	title       text NOT NULL,
	row_version integer NOT NULL DEFAULT 1,
	created_by  name NOT NULL DEFAULT session_user,
	created_at  timestamptz NOT NULL DEFAULT now(),
	updated_at  timestamptz NOT NULL DEFAULT now(),
	UNIQUE (district_id, period),
	CHECK (ends_on > starts_on)
);
COMMENT ON TABLE minqing.assessment_rule_set IS
	'考核细则: a district''s assessment rules for a period, a year (2026) or a quarter (2026Q4), from '
	'starts_on to ends_on (exclusive, the district''s days). Kept by the district''s administrator '
	'(assessment_rule_set_save); path is the district''s. Audited.';

CREATE TABLE minqing.assessment_rule (
	rule_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	rule_set_id bigint NOT NULL REFERENCES minqing.assessment_rule_set,
	district_id smallint NOT NULL REFERENCES minqing.district,
	path        ext.ltree NOT NULL,
	item_no     smallint NOT NULL CHECK (item_no BETWEEN 1 AND 99),
	code        text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,15}$'),
	name_zh     text NOT NULL,
	name_en     text NOT NULL,
	kind        text NOT NULL CHECK (kind IN ('computed', 'manual')),
	metric_code text REFERENCES minqing.assessment_metric,
	max_points  numeric(6, 2) NOT NULL CHECK (max_points > 0 AND max_points <= 1000),
	target      numeric(8, 2) CHECK (target > 0 AND target <= 100000),
	deduct      numeric(6, 2) CHECK (deduct > 0 AND deduct <= 1000),
	row_version integer NOT NULL DEFAULT 1,
	created_at  timestamptz NOT NULL DEFAULT now(),
	updated_at  timestamptz NOT NULL DEFAULT now(),
	UNIQUE (rule_set_id, code),
	UNIQUE (rule_set_id, item_no),
	CHECK ((kind = 'computed') = (metric_code IS NOT NULL))
);
COMMENT ON TABLE minqing.assessment_rule IS
	'An item of the rules: number, code, names, computed from a metric (target: the value earning full '
	'points for a ratio; deduct: points off per occurrence) or manual (scored by hand with a reason), and '
	'its maximum points (the weight). Written by assessment_rule_save/_remove only. Audited.';

------------------------------------------------------------------------------
-- Snapshots
------------------------------------------------------------------------------
CREATE TABLE minqing.assessment (
	assessment_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	path          ext.ltree NOT NULL,
	rule_set_id   bigint NOT NULL REFERENCES minqing.assessment_rule_set,
	period        text NOT NULL,
	from_at       timestamptz NOT NULL,
	cutoff_at     timestamptz NOT NULL,
	version       smallint NOT NULL CHECK (version BETWEEN 1 AND 999),
	supersedes    bigint REFERENCES minqing.assessment,
	status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
	computed_at   timestamptz NOT NULL DEFAULT now(),
	computed_by   name NOT NULL DEFAULT session_user,
	compute_ms    integer,
	published_at  timestamptz,
	published_by  name,
	notice_id     bigint REFERENCES minqing.notice,
	row_version   integer NOT NULL DEFAULT 1,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	UNIQUE (district_id, period, version),
	CHECK (cutoff_at > from_at),
	CHECK ((status = 'published') = (published_at IS NOT NULL AND published_by IS NOT NULL)),
	CHECK ((version = 1) = (supersedes IS NULL))
);
COMMENT ON TABLE minqing.assessment IS
	'An assessment of a district for a period: its rules'' snapshot computed from from_at to cutoff_at '
	'(draft), adjusted, then published (a notice on the bulletin board, notice_id); a published one never '
	'changes, its correction is a new version superseding it. Written by the assessment_* definer '
	'functions only; audited.';
CREATE UNIQUE INDEX assessment_one_draft ON minqing.assessment (district_id, period) WHERE status = 'draft';

CREATE TABLE minqing.assessment_item (
	assessment_id bigint NOT NULL REFERENCES minqing.assessment,
	item_no       smallint NOT NULL,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	path          ext.ltree NOT NULL,
	code          text NOT NULL,
	name_zh       text NOT NULL,
	name_en       text NOT NULL,
	kind          text NOT NULL CHECK (kind IN ('computed', 'manual')),
	metric_code   text REFERENCES minqing.assessment_metric,
	scoring       text CHECK (scoring IN ('ratio', 'deduct')),
	max_points    numeric(6, 2) NOT NULL,
	target        numeric(8, 2),
	deduct        numeric(6, 2),
	PRIMARY KEY (assessment_id, item_no)
);
COMMENT ON TABLE minqing.assessment_item IS
	'The items of an assessment as its rules said when it was computed (a copy: the rules may change '
	'later, the snapshot does not).';

CREATE TABLE minqing.assessment_unit (
	assessment_id bigint NOT NULL REFERENCES minqing.assessment,
	unit_id       integer NOT NULL REFERENCES minqing.org_unit,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	path          ext.ltree NOT NULL,
	level         text NOT NULL CHECK (level IN ('town', 'village')),
	town_unit_id  integer NOT NULL REFERENCES minqing.org_unit,
	total         numeric(8, 2) NOT NULL DEFAULT 0,
	rank          integer NOT NULL DEFAULT 1,
	PRIMARY KEY (assessment_id, unit_id)
);
COMMENT ON TABLE minqing.assessment_unit IS
	'A town or village of an assessment: its total of the items'' scores and its rank (towns among the '
	'district''s towns, villages among their town''s villages, 1 the best), kept with the scores.';
CREATE INDEX assessment_unit_rank ON minqing.assessment_unit (assessment_id, level, town_unit_id, rank);

CREATE TABLE minqing.assessment_score (
	assessment_id  bigint NOT NULL REFERENCES minqing.assessment,
	item_no        smallint NOT NULL,
	unit_id        integer NOT NULL REFERENCES minqing.org_unit,
	district_id    smallint NOT NULL REFERENCES minqing.district,
	path           ext.ltree NOT NULL,
	value          numeric(12, 2),
	basis          text,
	computed_score numeric(6, 2),
	score          numeric(6, 2),
	explanation    text NOT NULL,
	adjusted       boolean NOT NULL DEFAULT false,
	PRIMARY KEY (assessment_id, item_no, unit_id),
	FOREIGN KEY (assessment_id, item_no) REFERENCES minqing.assessment_item,
	FOREIGN KEY (assessment_id, unit_id) REFERENCES minqing.assessment_unit
);
COMMENT ON TABLE minqing.assessment_score IS
	'A unit''s item in an assessment: the metric''s value and basis (numerator/denominator, or the count), '
	'the score computed from the rule, the score now (adjusted by hand: adjusted), and the explanation. '
	'path is the unit''s: a town supervisor reads the town''s rows only.';

CREATE TABLE minqing.assessment_adjustment (
	adjustment_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	assessment_id bigint NOT NULL REFERENCES minqing.assessment,
	item_no       smallint NOT NULL,
	unit_id       integer NOT NULL REFERENCES minqing.org_unit,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	path          ext.ltree NOT NULL,
	old_score     numeric(6, 2),
	new_score     numeric(6, 2) NOT NULL,
	reason        text NOT NULL,
	author        name NOT NULL DEFAULT session_user,
	at            timestamptz NOT NULL DEFAULT now(),
	FOREIGN KEY (assessment_id, item_no, unit_id) REFERENCES minqing.assessment_score
);
COMMENT ON TABLE minqing.assessment_adjustment IS
	'A score changed by hand on a draft assessment: the item, the unit, the old and new score, the reason '
	'and who and when. Append-only.';
CREATE INDEX assessment_adjustment_score ON minqing.assessment_adjustment (assessment_id, item_no, unit_id);

------------------------------------------------------------------------------
-- Logins (定期登录)
------------------------------------------------------------------------------
CREATE TABLE minqing.staff_login_day (
	staff_id    integer NOT NULL REFERENCES minqing.staff,
	day         date NOT NULL,
	district_id smallint NOT NULL REFERENCES minqing.district,
	path        ext.ltree NOT NULL,
	first_at    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (staff_id, day)
);
COMMENT ON TABLE minqing.staff_login_day IS
	'An account''s first login of a day (the district''s day), recorded by login_mark() when the console '
	'connects: what 定期登录 (handlers logging in regularly) is counted from. path is the account''s unit''s.';
CREATE INDEX staff_login_day_day ON minqing.staff_login_day (district_id, day);

------------------------------------------------------------------------------
-- Indexes the metrics read by (set-based over the district, docs/assessment.md)
------------------------------------------------------------------------------
-- (Covering: the value functions count by unit from the index alone, a
-- tenth of the table's pages: at scale 10 a metric over a million cases in
-- about half a second instead of two.)
CREATE INDEX cases_assess_resolved ON minqing.cases (district_id, resolved_at)
	INCLUDE (due_at, assigned_unit_id, origin_unit_id) WHERE resolved_at IS NOT NULL;
CREATE INDEX cases_assess_created ON minqing.cases (district_id, created_at)
	INCLUDE (status, resolved_at, assigned_unit_id, origin_unit_id);
CREATE INDEX cases_assess_closed ON minqing.cases (district_id, closed_at)
	INCLUDE (status, satisfaction, assigned_unit_id, origin_unit_id) WHERE satisfaction IS NOT NULL;
CREATE INDEX household_assess ON minqing.household (district_id) INCLUDE (household_id, unit_id) WHERE active;
CREATE INDEX household_link_assess ON minqing.household_link (district_id, household_id) INCLUDE (since);
CREATE INDEX household_memo_assess ON minqing.household_memo (household_id) INCLUDE (saved_at);
CREATE INDEX case_event_red ON minqing.case_event (district_id, at) WHERE kind = 'warning' AND data ->> 'step' = 'red';
CREATE INDEX case_event_reopen ON minqing.case_event (district_id, at) WHERE kind = 'reopen';

------------------------------------------------------------------------------
-- Touch, audit, text rules
------------------------------------------------------------------------------
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT * FROM (VALUES ('assessment_rule_set', '{rule_set_id}'::text[], true),
	                               ('assessment_rule', '{rule_id}', true),
	                               ('assessment', '{assessment_id}', true),
	                               ('assessment_adjustment', '{adjustment_id}', false))
	                      AS v(tab, pk, touch) LOOP
		IF t.touch THEN
			EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON minqing.%I FOR EACH ROW '
			               'EXECUTE FUNCTION minqing.touch_row()', t.tab || '_touch', t.tab);
		END IF;
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON minqing.%I '
		               'FOR EACH ROW EXECUTE FUNCTION minqing.audit_row(%s)',
		               t.tab || '_audit', t.tab,
		               (SELECT string_agg(quote_literal(k), ', ') FROM unnest(t.pk) AS k));
	END LOOP;
END
$$;

INSERT INTO minqing.text_rule VALUES
	('assessment_rule_set', 'title', 100, false, NULL),
	('assessment_rule', 'name_zh', 40, false, NULL),
	('assessment_rule', 'name_en', 80, false, NULL),
	('assessment_adjustment', 'reason', 200, false, NULL);
SELECT minqing.text_rules_apply(ARRAY['assessment_rule_set', 'assessment_rule', 'assessment_adjustment']);

------------------------------------------------------------------------------
-- A published assessment never changes (the trigger function with the
-- text of 73_assessment.sql, which then replaces it; the bindings here). For everyone: the owner, the
-- definer functions, a superuser without session_replication_role.
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.assessment_frozen() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	a_id bigint;
	st text;
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		RAISE EXCEPTION 'assessments are kept: % cannot be truncated', TG_TABLE_NAME
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	IF TG_TABLE_NAME = 'assessment' THEN
		IF OLD.status = 'published' THEN
			RAISE EXCEPTION 'assessment % is published and cannot change: a correction is a new version',
				OLD.assessment_id USING ERRCODE = 'object_not_in_prerequisite_state';
		END IF;
		RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	a_id := CASE TG_OP WHEN 'INSERT' THEN NEW.assessment_id ELSE OLD.assessment_id END;
	SELECT a.status INTO st FROM minqing.assessment a WHERE a.assessment_id = a_id;
	-- (Not found: an assessment the caller cannot see is not theirs to change.)
	IF st IS DISTINCT FROM 'draft' THEN
		RAISE EXCEPTION 'assessment % is published and cannot change: a correction is a new version', a_id
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER assessment_frozen BEFORE UPDATE OR DELETE ON minqing.assessment
	FOR EACH ROW EXECUTE FUNCTION minqing.assessment_frozen();
CREATE TRIGGER assessment_item_frozen BEFORE INSERT OR UPDATE OR DELETE ON minqing.assessment_item
	FOR EACH ROW EXECUTE FUNCTION minqing.assessment_frozen();
CREATE TRIGGER assessment_unit_frozen BEFORE INSERT OR UPDATE OR DELETE ON minqing.assessment_unit
	FOR EACH ROW EXECUTE FUNCTION minqing.assessment_frozen();
CREATE TRIGGER assessment_score_frozen BEFORE INSERT OR UPDATE OR DELETE ON minqing.assessment_score
	FOR EACH ROW EXECUTE FUNCTION minqing.assessment_frozen();
CREATE TRIGGER assessment_adjustment_frozen BEFORE INSERT OR UPDATE OR DELETE ON minqing.assessment_adjustment
	FOR EACH ROW EXECUTE FUNCTION minqing.assessment_frozen();
CREATE TRIGGER assessment_no_truncate BEFORE TRUNCATE ON minqing.assessment
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.assessment_frozen();
CREATE TRIGGER assessment_score_no_truncate BEFORE TRUNCATE ON minqing.assessment_score
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.assessment_frozen();
CREATE TRIGGER assessment_adjustment_no_truncate BEFORE TRUNCATE ON minqing.assessment_adjustment
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.assessment_frozen();

------------------------------------------------------------------------------
-- Row-level security. Reads: policies; writes: only the definer functions
-- of 73_assessment.sql (as mq_owner, bound by FORCE), by the district's
-- administrator.
------------------------------------------------------------------------------

-- District-wide rows (rules, the snapshot's heading and items, read @>):
-- every staff member of the district reads them (the path is the
-- district's, above everyone's scope). A unit's rows (read <@): within the
-- caller's jurisdiction (a town supervisor: the town and its villages). The
-- district's administrator writes.
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT * FROM (VALUES ('assessment_rule_set', '@>'), ('assessment_rule', '@>'), ('assessment', '@>'),
	                               ('assessment_item', '@>'), ('assessment_unit', '<@'), ('assessment_score', '<@'),
	                               ('assessment_adjustment', '<@')) AS v(tab, op) LOOP
		EXECUTE format('ALTER TABLE minqing.%I ENABLE ROW LEVEL SECURITY', t.tab);
		EXECUTE format('ALTER TABLE minqing.%I FORCE ROW LEVEL SECURITY', t.tab);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR SELECT '
		               'USING (path OPERATOR(ext.%s) (SELECT minqing.my_scope()))', t.tab || '_read', t.tab, t.op);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR INSERT TO mq_owner '
		               'WITH CHECK (district_id = (SELECT minqing.my_admin_district()))', t.tab || '_insert', t.tab);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR UPDATE TO mq_owner '
		               'USING (district_id = (SELECT minqing.my_admin_district())) '
		               'WITH CHECK (district_id = (SELECT minqing.my_admin_district()))', t.tab || '_update', t.tab);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR DELETE TO mq_owner '
		               'USING (district_id = (SELECT minqing.my_admin_district()))', t.tab || '_delete', t.tab);
		EXECUTE format('GRANT SELECT ON minqing.%I TO mq_staff', t.tab);
	END LOOP;
END
$$;

ALTER TABLE minqing.staff_login_day ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.staff_login_day FORCE ROW LEVEL SECURITY;
CREATE POLICY staff_login_day_read ON minqing.staff_login_day FOR SELECT
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()));
CREATE POLICY staff_login_day_insert ON minqing.staff_login_day FOR INSERT TO mq_owner
	WITH CHECK (staff_id = (SELECT s.staff_id FROM minqing.staff s WHERE s.login = session_user AND s.active));
GRANT SELECT ON minqing.staff_login_day TO mq_staff;

------------------------------------------------------------------------------
-- The built-in metrics (their functions: 73_assessment.sql). The inspection
-- module's unrectified findings are wired when it is merged
-- (docs/assessment.md).
------------------------------------------------------------------------------
INSERT INTO minqing.assessment_metric (metric_code, name_zh, name_en, scoring, facts_function, default_target,
                                       default_deduct, description, sort_order) VALUES
	('on_time_rate', '按时办结率', 'On-time rate', 'ratio', 'minqing.assessment_facts_on_time', 100, NULL,
	 'Cases resolved in the period: resolved by their deadline (due_at) over all resolved; a case counts '
	 'for the unit it was assigned to, else the unit it came from.', 10),
	('resolution_rate', '办结率', 'Resolution rate', 'ratio', 'minqing.assessment_facts_resolution', 100, NULL,
	 'Cases recorded in the period (withdrawn ones not): resolved by the cut-off over recorded; a case '
	 'reopened by a resident who was not satisfied is unresolved until it is resolved again.', 20),
	('satisfaction', '满意率', 'Satisfaction', 'ratio', 'minqing.assessment_facts_satisfaction', 100, NULL,
	 'Residents'' judgements in the period (a case closed, or reopened as not satisfied): satisfied or '
	 'basically satisfied over all judgements.', 30),
	('visit_coverage', '走访覆盖率', 'Visit coverage', 'ratio', 'minqing.assessment_facts_visits', 80, NULL,
	 'Households of the grid cells (rural only when the district''s visit setting says so) visited in the '
	 'twelve months before the cut-off, over the households; full points at the target (80 %).', 40),
	('archive_fresh', '村情档案更新', 'Archive kept up', 'ratio', 'minqing.assessment_facts_archive', 100, NULL,
	 'Sections of the villages'' archives saved within the district''s stale period before the cut-off, '
	 'over the sections (eight per village).', 50),
	('memo_fresh', '户情档案更新', 'Memos kept up', 'ratio', 'minqing.assessment_facts_memo', 100, NULL,
	 'Active households whose memo was saved within the stale period before the cut-off, over the active '
	 'households.', 60),
	('link_coverage', '党员联户覆盖率', 'Link coverage', 'ratio', 'minqing.assessment_facts_links', 100, NULL,
	 'Active households with a party member or representative linked to them, over the active households.', 70),
	('red_warnings', '红色预警扣分', 'Red warnings', 'deduct', 'minqing.assessment_facts_red', NULL, 2,
	 'Red warnings raised in the period (the escalation job''s events): points off per warning.', 80),
	('meetings', '民情恳谈会', 'Dialogue meetings', 'ratio', 'minqing.assessment_facts_meetings', 100, NULL,
	 'Villages that held a dialogue meeting in the period and reviewed it (评事) by the cut-off, over the '
	 'villages.', 90),
	('volunteers', '志愿者参与率', 'Volunteer participation', 'ratio', 'minqing.assessment_facts_volunteers', 100,
	 NULL, 'Active volunteers who attended an activity in the period, over the active volunteers.', 100),
	('handler_logins', '定期登录', 'Regular logins', 'ratio', 'minqing.assessment_facts_logins', 100, NULL,
	 'Working days of the period (the district''s calendar: holidays not, make-up days yes) on which each '
	 'active handler logged in, over the handlers'' working days.', 110);

-- The metrics over the large tables (cases, households) also have a value
-- function: counted by unit id without row-level security (owned by
-- mq_lister), the same figures as their facts rolled up
-- (tests/sql/85_assessment_metrics.sql compares them).
UPDATE minqing.assessment_metric m SET value_function = 'minqing.assessment_value_' || v.fn
  FROM (VALUES ('on_time_rate', 'on_time'), ('resolution_rate', 'resolution'), ('satisfaction', 'satisfaction'),
               ('visit_coverage', 'visits'), ('memo_fresh', 'memo'), ('link_coverage', 'links')) AS v(code, fn)
 WHERE m.metric_code = v.code;
-- What they read (columns), past row-level security.
GRANT SELECT (case_id, district_id, kind, at, data) ON minqing.case_event TO mq_lister;
GRANT SELECT (household_id, district_id, unit_id) ON minqing.household TO mq_lister;
GRANT SELECT (household_id, saved_at) ON minqing.household_memo TO mq_lister;
GRANT SELECT (household_id, saved_at) ON minqing.household_memo_revision TO mq_lister;
GRANT SELECT (household_id, district_id, since) ON minqing.household_link TO mq_lister;
GRANT SELECT (district_id) ON minqing.household_cell TO mq_lister;
GRANT SELECT (district_id, rural_only) ON minqing.visit_setting TO mq_lister;
GRANT SELECT (district_id, stale_months) ON minqing.archive_setting TO mq_lister;

-- The registry is read by everyone of staff; only migrations write it.
ALTER TABLE minqing.assessment_metric ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.assessment_metric FORCE ROW LEVEL SECURITY;
CREATE POLICY assessment_metric_read ON minqing.assessment_metric FOR SELECT USING (true);
GRANT SELECT ON minqing.assessment_metric TO mq_staff;
