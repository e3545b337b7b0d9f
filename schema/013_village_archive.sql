-- 013_village_archive.sql: the village archive (村情档案): eight sections per
-- village or community, each saved as a whole; every save is a revision that
-- keeps the section's whole content (jsonb), and the structured rows of the
-- section are what the latest revision says. Hardship marks (困难群体) on
-- households and residents, and the district's stale period.
-- docs/archive.md has the model; schema/functions/57_archive.sql the functions.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- The district's setting
------------------------------------------------------------------------------
CREATE TABLE minqing.archive_setting (
	district_id  smallint PRIMARY KEY REFERENCES minqing.district,
	path         ext.ltree NOT NULL,
	stale_months smallint NOT NULL DEFAULT 12 CHECK (stale_months BETWEEN 1 AND 60),
	row_version  integer NOT NULL DEFAULT 1,
	created_at   timestamptz NOT NULL DEFAULT now(),
	updated_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.archive_setting IS
	'Per district: a section of the village archive not saved within stale_months is stale. A district '
	'without a row uses 12 months. Changed through archive_set_stale_months() only.';
COMMENT ON COLUMN minqing.archive_setting.path IS 'The path of the district''s unit (its audit rows carry it).';
INSERT INTO minqing.archive_setting (district_id, path)
SELECT u.district_id, u.path FROM minqing.org_unit u WHERE u.kind = 'district';

------------------------------------------------------------------------------
-- Sections and revisions
------------------------------------------------------------------------------
CREATE TABLE minqing.archive_section (
	unit_id     integer NOT NULL REFERENCES minqing.org_unit,
	section     smallint NOT NULL CHECK (section BETWEEN 1 AND 8),
	district_id smallint NOT NULL REFERENCES minqing.district,
	path        ext.ltree NOT NULL,
	revision_no integer NOT NULL DEFAULT 0 CHECK (revision_no >= 0),
	saved_at    timestamptz,
	saved_by    name,
	note        text,
	PRIMARY KEY (unit_id, section)
);
COMMENT ON TABLE minqing.archive_section IS
	'The head of one section of a village''s archive: the latest revision''s number, when and by whom '
	'it was saved, and the section''s free-text note. Locked by archive_save_section() to serialise saves. '
	'Sections: 1 村情概况 overview, 2 班子建设 leadership, 3 党员队伍 party members, 4 制度建设 rules, '
	'5 集体经济 collective economy, 6 社会事业 social undertakings, 7 社会稳定 stability, 8 困难群体 hardship.';
CREATE INDEX archive_section_path_gist ON minqing.archive_section USING gist (path);

CREATE TABLE minqing.archive_revision (
	revision_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit_id     integer NOT NULL REFERENCES minqing.org_unit,
	section     smallint NOT NULL CHECK (section BETWEEN 1 AND 8),
	revision_no integer NOT NULL CHECK (revision_no >= 1),
	district_id smallint NOT NULL REFERENCES minqing.district,
	path        ext.ltree NOT NULL,
	saved_at    timestamptz NOT NULL DEFAULT now(),
	saved_by    name NOT NULL DEFAULT session_user,
	content     jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
	changed     text[] NOT NULL DEFAULT '{}',
	UNIQUE (unit_id, section, revision_no)
);
COMMENT ON TABLE minqing.archive_revision IS
	'Every save of a section of the village archive: who, when, the section''s whole content as saved '
	'(jsonb, the canonical form archive_content() gives) and the top-level fields that changed. '
	'Append-only: no role may update, delete or truncate it, the owner included.';
COMMENT ON COLUMN minqing.archive_revision.changed IS
	'The top-level fields of content that differ from the previous revision (all of them for the first).';
CREATE INDEX archive_revision_path_gist ON minqing.archive_revision USING gist (path);

CREATE TRIGGER archive_revision_no_update BEFORE UPDATE OR DELETE ON minqing.archive_revision
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_refuse();
CREATE TRIGGER archive_revision_no_truncate BEFORE TRUNCATE ON minqing.archive_revision
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.audit_refuse();

------------------------------------------------------------------------------
-- The structured rows of the sections (what the latest revision says)
------------------------------------------------------------------------------
CREATE TABLE minqing.archive_overview (
	unit_id               integer PRIMARY KEY REFERENCES minqing.org_unit,
	district_id           smallint NOT NULL REFERENCES minqing.district,
	path                  ext.ltree NOT NULL,
	area_km2              numeric(10, 2) CHECK (area_km2 >= 0),
	villager_groups       integer CHECK (villager_groups >= 0),
	natural_villages      integer CHECK (natural_villages >= 0),
	registered_population integer CHECK (registered_population >= 0),
	resident_population   integer CHECK (resident_population >= 0),
	arable_land_mu        numeric(12, 1) CHECK (arable_land_mu >= 0),
	main_industries       text
);
COMMENT ON TABLE minqing.archive_overview IS
	'Section 1 村情概况: area (km²), villager groups, natural villages, registered and resident '
	'population, arable land (亩), main industries. Written by archive_save_section() only.';
CREATE INDEX archive_overview_path_gist ON minqing.archive_overview USING gist (path);

CREATE TABLE minqing.archive_member (
	member_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit_id     integer NOT NULL REFERENCES minqing.org_unit,
	district_id smallint NOT NULL REFERENCES minqing.district,
	path        ext.ltree NOT NULL,
	ord         smallint NOT NULL,
	committee   text NOT NULL CHECK (committee IN ('party', 'villagers', 'supervisory')),
	name        text NOT NULL,
	post        text NOT NULL,
	term        text,
	since       date,
	until       date,
	phone       minqing.phone,
	CHECK (until IS NULL OR since IS NULL OR until >= since),
	UNIQUE (unit_id, ord)
);
COMMENT ON TABLE minqing.archive_member IS
	'Section 2 班子建设: members of the two committees (party branch 党支部, villagers'' committee 村委会) '
	'and the supervisory committee (监委会): person, post, term, since/until, phone.';
CREATE INDEX archive_member_path_gist ON minqing.archive_member USING gist (path);

CREATE TABLE minqing.archive_rule (
	rule_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit_id     integer NOT NULL REFERENCES minqing.org_unit,
	district_id smallint NOT NULL REFERENCES minqing.district,
	path        ext.ltree NOT NULL,
	ord         smallint NOT NULL,
	title       text NOT NULL,
	kind        text,
	adopted_on  date,
	body        text,
	UNIQUE (unit_id, ord)
);
COMMENT ON TABLE minqing.archive_rule IS
	'Section 4 制度建设: rules and regulations (村规民约, 财务公开, 议事规则 …): title, kind, adopted on, text.';
CREATE INDEX archive_rule_path_gist ON minqing.archive_rule USING gist (path);

CREATE TABLE minqing.archive_economy (
	unit_id      integer NOT NULL REFERENCES minqing.org_unit,
	year         smallint NOT NULL CHECK (year BETWEEN 1949 AND 2100),
	district_id  smallint NOT NULL REFERENCES minqing.district,
	path         ext.ltree NOT NULL,
	income       numeric(14, 2) CHECK (income >= 0),
	spending     numeric(14, 2) CHECK (spending >= 0),
	assets       numeric(14, 2),
	main_sources text,
	PRIMARY KEY (unit_id, year)
);
COMMENT ON TABLE minqing.archive_economy IS
	'Section 5 集体经济: per year the collective''s income, spending and assets (元) and its main sources.';
CREATE INDEX archive_economy_path_gist ON minqing.archive_economy USING gist (path);

CREATE TABLE minqing.archive_facility (
	facility_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit_id     integer NOT NULL REFERENCES minqing.org_unit,
	district_id smallint NOT NULL REFERENCES minqing.district,
	path        ext.ltree NOT NULL,
	ord         smallint NOT NULL,
	kind        text NOT NULL CHECK (kind IN ('school', 'clinic', 'elderly_care', 'culture_hall', 'road',
	                                          'other')),
	name        text NOT NULL,
	facts       text,
	note        text,
	UNIQUE (unit_id, ord)
);
COMMENT ON TABLE minqing.archive_facility IS
	'Section 6 社会事业: schools, clinics, elderly care, the culture hall (文化礼堂), roads: facts and notes.';
CREATE INDEX archive_facility_path_gist ON minqing.archive_facility USING gist (path);

CREATE TABLE minqing.archive_stability (
	item_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit_id     integer NOT NULL REFERENCES minqing.org_unit,
	district_id smallint NOT NULL REFERENCES minqing.district,
	path        ext.ltree NOT NULL,
	ord         smallint NOT NULL,
	kind        text NOT NULL CHECK (kind IN ('dispute', 'attention')),
	title       text NOT NULL,
	since       date,
	note        text,
	UNIQUE (unit_id, ord)
);
COMMENT ON TABLE minqing.archive_stability IS
	'Section 7 社会稳定: disputes (矛盾纠纷) and points of attention (重点关注) of a village.';
CREATE INDEX archive_stability_path_gist ON minqing.archive_stability USING gist (path);

------------------------------------------------------------------------------
-- Hardship marks (困难群体), on a household or one of its residents
------------------------------------------------------------------------------
CREATE TABLE minqing.hardship_mark (
	mark_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id  smallint NOT NULL REFERENCES minqing.district,
	unit_id      integer NOT NULL REFERENCES minqing.org_unit,
	path         ext.ltree NOT NULL,
	household_id bigint NOT NULL REFERENCES minqing.household,
	resident_id  bigint REFERENCES minqing.resident,
	kind         text NOT NULL CHECK (kind IN ('dibao', 'dibian', 'tekun', 'disabled', 'elderly_alone',
	                                           'left_behind_child', 'serious_illness')),
	since        date NOT NULL,
	until        date,
	note         text,
	created_by   name NOT NULL DEFAULT session_user,
	created_at   timestamptz NOT NULL DEFAULT now(),
	ended_by     name,
	row_version  integer NOT NULL DEFAULT 1,
	updated_at   timestamptz NOT NULL DEFAULT now(),
	CHECK (until IS NULL OR until >= since)
);
COMMENT ON TABLE minqing.hardship_mark IS
	'A hardship mark of section 8 (困难群体) on a household (resident_id NULL) or a resident: dibao 低保, '
	'dibian 低边, tekun 特困, disabled 残疾, elderly_alone 独居老人, left_behind_child 留守儿童, '
	'serious_illness 重病; since/until. Added and ended through hardship_mark_add/_end; audited.';
CREATE INDEX hardship_mark_path_gist ON minqing.hardship_mark USING gist (path);
CREATE INDEX hardship_mark_unit ON minqing.hardship_mark (unit_id, kind) WHERE until IS NULL;
CREATE INDEX hardship_mark_household ON minqing.hardship_mark (household_id);

------------------------------------------------------------------------------
-- Text rules: the guard trigger and the check constraint of each text column
------------------------------------------------------------------------------
INSERT INTO minqing.text_rule VALUES
	('archive_section', 'note', 4000, true, NULL),
	('archive_overview', 'main_industries', 500, true, NULL),
	('archive_member', 'name', 50, false, NULL),
	('archive_member', 'post', 50, false, NULL),
	('archive_member', 'term', 50, false, NULL),
	('archive_rule', 'title', 100, false, NULL),
	('archive_rule', 'kind', 50, false, NULL),
	('archive_rule', 'body', 4000, true, NULL),
	('archive_economy', 'main_sources', 500, true, NULL),
	('archive_facility', 'name', 100, false, NULL),
	('archive_facility', 'facts', 1000, true, NULL),
	('archive_facility', 'note', 1000, true, NULL),
	('archive_stability', 'title', 100, false, NULL),
	('archive_stability', 'note', 2000, true, NULL),
	('hardship_mark', 'note', 500, true, NULL);

SELECT minqing.text_rules_apply(array_agg(DISTINCT r.table_name))
  FROM minqing.text_rule r
 WHERE r.table_name LIKE 'archive\_%' OR r.table_name = 'hardship_mark';

------------------------------------------------------------------------------
-- Audit: the hardship marks and the setting like households (audit_row);
-- the sections' history is archive_revision itself, as a case's is its
-- timeline.
------------------------------------------------------------------------------
CREATE TRIGGER hardship_mark_touch BEFORE UPDATE ON minqing.hardship_mark
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER hardship_mark_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.hardship_mark
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('mark_id');
CREATE TRIGGER archive_setting_touch BEFORE UPDATE ON minqing.archive_setting
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER archive_setting_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.archive_setting
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('district_id');

------------------------------------------------------------------------------
-- Row-level security: read within my_scope(), written (by the definer
-- functions, FORCE binds them) within my_write_scope(). No client role holds
-- a write privilege on any of these tables.
------------------------------------------------------------------------------
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['archive_section', 'archive_overview', 'archive_member', 'archive_rule',
	                         'archive_economy', 'archive_facility', 'archive_stability', 'hardship_mark'] LOOP
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
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR DELETE TO mq_owner '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))',
		               t || '_delete', t);
		EXECUTE format('GRANT SELECT ON minqing.%I TO mq_staff', t);
	END LOOP;
END
$$;
-- Hardship marks are never deleted: they end.
DROP POLICY hardship_mark_delete ON minqing.hardship_mark;

-- Revisions: read within my_scope(), appended within my_write_scope(); no
-- UPDATE or DELETE policy (and the triggers refuse them for everyone).
ALTER TABLE minqing.archive_revision ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.archive_revision FORCE ROW LEVEL SECURITY;
CREATE POLICY archive_revision_read ON minqing.archive_revision FOR SELECT
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()));
CREATE POLICY archive_revision_append ON minqing.archive_revision FOR INSERT TO mq_owner
	WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()));
GRANT SELECT ON minqing.archive_revision TO mq_staff;

-- The setting: published to staff; changed by archive_set_stale_months(),
-- which checks the caller.
ALTER TABLE minqing.archive_setting ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.archive_setting FORCE ROW LEVEL SECURITY;
CREATE POLICY archive_setting_read ON minqing.archive_setting FOR SELECT USING (true);
CREATE POLICY archive_setting_insert ON minqing.archive_setting FOR INSERT TO mq_owner
	WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()));
CREATE POLICY archive_setting_update ON minqing.archive_setting FOR UPDATE TO mq_owner
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))
	WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()));
GRANT SELECT ON minqing.archive_setting TO mq_staff;

-- Section 7's mediation cases per year of a village: an index-only scan by
-- the unit where cases were received (13,000 cases of a village at demo
-- scale 10 took 50 ms through the path index and the heap, 2 ms this way).
CREATE INDEX cases_origin_unit_category ON minqing.cases (origin_unit_id, category_id)
	INCLUDE (created_at, resolved_at);

-- archive_counts() (owned by mq_lister, BYPASSRLS) counts a checked
-- village's rows: the columns it reads, nothing more.
GRANT SELECT (household_id, path, active) ON minqing.household TO mq_lister;
GRANT SELECT (resident_id, path, gender, birth_date, active) ON minqing.resident TO mq_lister;
GRANT SELECT (resident_id, path, branch, joined_on) ON minqing.party_member TO mq_lister;
GRANT SELECT (path, kind, until) ON minqing.hardship_mark TO mq_lister;

RESET ROLE;
