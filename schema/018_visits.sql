-- The visits migration: grid cells (网格 / 片组片格) as records, each
-- household in exactly one cell; service teams (服务队) with their members
-- and the cells they cover; household visits (走访) with the households
-- visited, the case a return visit goes back to and the cases a visit
-- produced; the district's coverage target. docs/visits.md has the model;
-- schema/functions/66_visits.sql the functions.
--
-- household.grid_cell stays as the register's text (the import writes it):
-- a trigger maps a new or changed text to the cell of that name in the
-- household's unit, creating it. The household's cell is household_cell.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Grid cells and the household's cell
------------------------------------------------------------------------------
CREATE TABLE minqing.grid_cell (
	cell_id      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id  smallint NOT NULL REFERENCES minqing.district,
	unit_id      integer NOT NULL REFERENCES minqing.org_unit,
	path         ext.ltree NOT NULL,
	code         text NOT NULL CHECK (code <> ''),
	name         text NOT NULL CHECK (name <> ''),
	party_group  text,
	area_group   text,
	households   integer NOT NULL DEFAULT 0 CHECK (households >= 0),
	active       boolean NOT NULL DEFAULT true,
	row_version  integer NOT NULL DEFAULT 1,
	created_at   timestamptz NOT NULL DEFAULT now(),
	updated_at   timestamptz NOT NULL DEFAULT now(),
	UNIQUE (unit_id, code),
	UNIQUE (unit_id, name),
	UNIQUE (cell_id, unit_id)
);
COMMENT ON TABLE minqing.grid_cell IS
	'A grid cell (网格 / 片格) of a village or community: its code and name, the party group (党小组) and '
	'area group (片组) it belongs to. Written by cell_save() and by the household trigger that maps the '
	'register''s text (household.grid_cell) to a cell; audited.';
COMMENT ON COLUMN minqing.grid_cell.households IS
	'How many households the cell holds, kept by household_cell_count() (coverage divides by it without '
	'counting the households); not audited, no new row version.';

CREATE TABLE minqing.household_cell (
	household_id    bigint PRIMARY KEY REFERENCES minqing.household ON DELETE CASCADE,
	cell_id         integer NOT NULL,
	unit_id         integer NOT NULL,
	district_id     smallint NOT NULL REFERENCES minqing.district,
	path            ext.ltree NOT NULL,
	since           date NOT NULL DEFAULT current_date,
	last_visited_on date,
	FOREIGN KEY (cell_id, unit_id) REFERENCES minqing.grid_cell (cell_id, unit_id)
);
COMMENT ON TABLE minqing.household_cell IS
	'The cell of a household: at most one (the primary key), in the household''s own unit (the foreign '
	'key on cell and unit). last_visited_on is the day of its latest visit, kept by visit_record(): '
	'coverage and the visit plan read it instead of the visits. Only changes of cell are audited.';
CREATE INDEX household_cell_cell ON minqing.household_cell (cell_id);
-- The visit plan (oldest last visit first, never visited first) and
-- coverage per unit (households visited since a day): one index.
CREATE INDEX household_cell_plan ON minqing.household_cell
	(unit_id, (coalesce(last_visited_on, '-infinity'::date)), household_id);

------------------------------------------------------------------------------
-- Service teams
------------------------------------------------------------------------------
CREATE TABLE minqing.service_team (
	team_id      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id  smallint NOT NULL REFERENCES minqing.district,
	unit_id      integer NOT NULL REFERENCES minqing.org_unit,
	path         ext.ltree NOT NULL,
	name         text NOT NULL CHECK (name <> ''),
	active       boolean NOT NULL DEFAULT true,
	row_version  integer NOT NULL DEFAULT 1,
	created_at   timestamptz NOT NULL DEFAULT now(),
	updated_at   timestamptz NOT NULL DEFAULT now(),
	UNIQUE (unit_id, name)
);
COMMENT ON TABLE minqing.service_team IS
	'A service team (服务队) of a village, community or town. Written by team_save(); audited.';

CREATE TABLE minqing.service_team_member (
	member_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	team_id      integer NOT NULL REFERENCES minqing.service_team,
	district_id  smallint NOT NULL REFERENCES minqing.district,
	path         ext.ltree NOT NULL,
	kind         text NOT NULL CHECK (kind IN ('staff', 'party_member', 'resident')),
	staff_id     integer REFERENCES minqing.staff,
	resident_id  bigint REFERENCES minqing.resident,
	is_leader    boolean NOT NULL DEFAULT false,
	since        date NOT NULL DEFAULT current_date,
	CHECK ((kind = 'staff') = (staff_id IS NOT NULL)),
	CHECK ((kind = 'staff') = (resident_id IS NULL)),
	UNIQUE (team_id, staff_id),
	UNIQUE (team_id, resident_id)
);
COMMENT ON TABLE minqing.service_team_member IS
	'A member of a service team: a staff account, a party member or a resident; one leader per team. '
	'Written by team_member_add/_remove(); audited.';
CREATE UNIQUE INDEX service_team_member_leader ON minqing.service_team_member (team_id) WHERE is_leader;
CREATE INDEX service_team_member_staff ON minqing.service_team_member (staff_id) WHERE staff_id IS NOT NULL;

CREATE TABLE minqing.service_team_cell (
	team_id      integer NOT NULL REFERENCES minqing.service_team,
	cell_id      integer NOT NULL REFERENCES minqing.grid_cell,
	district_id  smallint NOT NULL REFERENCES minqing.district,
	path         ext.ltree NOT NULL,
	PRIMARY KEY (team_id, cell_id)
);
COMMENT ON TABLE minqing.service_team_cell IS
	'The cells a service team covers. Written by team_cell_set(); audited.';
CREATE INDEX service_team_cell_cell ON minqing.service_team_cell (cell_id);

------------------------------------------------------------------------------
-- Visits
------------------------------------------------------------------------------
CREATE TABLE minqing.visit (
	visit_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id    smallint NOT NULL REFERENCES minqing.district,
	unit_id        integer NOT NULL REFERENCES minqing.org_unit,
	path           ext.ltree NOT NULL,
	team_id        integer REFERENCES minqing.service_team,
	visited_at     timestamptz NOT NULL,
	shift          text NOT NULL CHECK (shift IN ('day', 'night')),
	kind           text NOT NULL CHECK (kind IN ('appointment', 'return', 'regular', 'irregular')),
	visitors       text,
	persons_met    integer NOT NULL DEFAULT 0 CHECK (persons_met BETWEEN 0 AND 1000),
	households     integer NOT NULL DEFAULT 0 CHECK (households BETWEEN 0 AND 200),
	findings       text,
	return_case_id bigint REFERENCES minqing.cases,
	recorded_by    name NOT NULL DEFAULT session_user,
	row_version    integer NOT NULL DEFAULT 1,
	created_at     timestamptz NOT NULL DEFAULT now(),
	updated_at     timestamptz NOT NULL DEFAULT now(),
	CHECK (kind <> 'return' OR return_case_id IS NOT NULL)
);
COMMENT ON TABLE minqing.visit IS
	'A visit (走访) of a village''s households: when, day or night (日访/夜访), the kind (约访 appointment, '
	'回访 return, 定期 regular, 不定期 irregular), the team and the visitors, persons met (人次), what was '
	'found, the case a return visit goes back to (reported back or closed). Written by visit_record(); '
	'audited; never deleted.';
CREATE INDEX visit_unit_time ON minqing.visit (unit_id, visited_at, visit_id);
CREATE INDEX visit_time ON minqing.visit (visited_at, visit_id);

CREATE TABLE minqing.visit_household (
	visit_id      bigint NOT NULL REFERENCES minqing.visit,
	household_id  bigint NOT NULL REFERENCES minqing.household,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	unit_id       integer NOT NULL REFERENCES minqing.org_unit,
	cell_id       integer REFERENCES minqing.grid_cell,
	path          ext.ltree NOT NULL,
	visited_on    date NOT NULL,
	finding       text,
	case_id       bigint REFERENCES minqing.cases,
	case_no       text,
	row_version   integer NOT NULL DEFAULT 1,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (visit_id, household_id)
);
COMMENT ON TABLE minqing.visit_household IS
	'A household visited on a visit (one visit covers several: a team''s round of an area group), the '
	'day in the district''s calendar, what was found there and the case it became (visit_to_case(): '
	'case_id and its number). Coverage over any period counts distinct households here.';
COMMENT ON COLUMN minqing.visit_household.case_no IS
	'The number of the case the finding became, kept here so that it shows even where the case does not.';
CREATE INDEX visit_household_household ON minqing.visit_household (household_id, visited_on);
CREATE INDEX visit_household_unit_day ON minqing.visit_household (unit_id, visited_on, household_id);
CREATE INDEX visit_household_case ON minqing.visit_household (case_id) WHERE case_id IS NOT NULL;

------------------------------------------------------------------------------
-- The district's setting: the coverage target
------------------------------------------------------------------------------
CREATE TABLE minqing.visit_setting (
	district_id    smallint PRIMARY KEY REFERENCES minqing.district,
	path           ext.ltree NOT NULL,
	target_percent smallint NOT NULL DEFAULT 80 CHECK (target_percent BETWEEN 1 AND 100),
	rural_only     boolean NOT NULL DEFAULT true,
	row_version    integer NOT NULL DEFAULT 1,
	created_at     timestamptz NOT NULL DEFAULT now(),
	updated_at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.visit_setting IS
	'Per district: the share of households to visit in a year (default 80 %) and whether the district''s '
	'figure counts rural households only (villages, not urban communities; the default) or all. A '
	'district without a row uses the defaults. Changed through visit_set_target() only.';
INSERT INTO minqing.visit_setting (district_id, path)
SELECT u.district_id, u.path FROM minqing.org_unit u WHERE u.kind = 'district';

------------------------------------------------------------------------------
-- Text rules
------------------------------------------------------------------------------
INSERT INTO minqing.text_rule VALUES
	('grid_cell', 'code', 16, false, NULL),
	('grid_cell', 'name', 50, false, NULL),
	('grid_cell', 'party_group', 50, false, NULL),
	('grid_cell', 'area_group', 50, false, NULL),
	('service_team', 'name', 50, false, NULL),
	('visit', 'visitors', 200, false, NULL),
	('visit', 'findings', 2000, true, NULL),
	('visit_household', 'finding', 1000, true, NULL);

SELECT minqing.text_rules_apply(ARRAY['grid_cell', 'service_team', 'visit', 'visit_household']);

------------------------------------------------------------------------------
-- The cells of the households already there (as the migrating superuser,
-- before the audit triggers: the migration is the record): one cell per
-- distinct (unit, grid_cell); its code the number in the text (第3网格 ->
-- 03) when there is one and it is free, else the text.
------------------------------------------------------------------------------
RESET ROLE;
INSERT INTO minqing.grid_cell (district_id, unit_id, path, code, name)
SELECT x.district_id, x.unit_id, x.path,
       CASE WHEN x.digits IS NOT NULL AND count(*) OVER (PARTITION BY x.unit_id, x.digits) = 1
            THEN x.digits ELSE left(x.name, 16) END,
       x.name
  FROM (SELECT DISTINCT h.district_id, h.unit_id, u.path, left(btrim(h.grid_cell), 50) AS name,
               lpad(substring(h.grid_cell FROM '[0-9]+'), 2, '0') AS digits
          FROM minqing.household h JOIN minqing.org_unit u ON u.unit_id = h.unit_id
         WHERE nullif(btrim(h.grid_cell), '') IS NOT NULL) x
 ORDER BY x.unit_id, x.name;
INSERT INTO minqing.household_cell (household_id, cell_id, unit_id, district_id, path)
SELECT h.household_id, c.cell_id, h.unit_id, h.district_id, h.path
  FROM minqing.household h
  JOIN minqing.grid_cell c ON c.unit_id = h.unit_id AND c.name = left(btrim(h.grid_cell), 50);
UPDATE minqing.grid_cell c SET households = n.n
  FROM (SELECT hc.cell_id, count(*) AS n FROM minqing.household_cell hc GROUP BY hc.cell_id) n
 WHERE n.cell_id = c.cell_id;
SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Audit
------------------------------------------------------------------------------
-- (Not the count of households: it changes with every household moved,
-- which household_cell's audit rows record.)
CREATE TRIGGER grid_cell_touch BEFORE UPDATE OF code, name, party_group, area_group, active ON minqing.grid_cell
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER grid_cell_audit
	AFTER INSERT OR DELETE OR UPDATE OF code, name, party_group, area_group, active ON minqing.grid_cell
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('cell_id');
-- (Only a change of cell: the day of the last visit changes with every
-- visit, which has its own audit row.)
CREATE TRIGGER household_cell_audit AFTER INSERT OR DELETE OR UPDATE OF cell_id ON minqing.household_cell
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('household_id');
CREATE TRIGGER service_team_touch BEFORE UPDATE ON minqing.service_team
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER service_team_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.service_team
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('team_id');
CREATE TRIGGER service_team_member_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.service_team_member
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('team_id', 'member_id');
CREATE TRIGGER service_team_cell_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.service_team_cell
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('team_id', 'cell_id');
CREATE TRIGGER visit_touch BEFORE UPDATE ON minqing.visit
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER visit_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.visit
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('visit_id');
CREATE TRIGGER visit_household_touch BEFORE UPDATE ON minqing.visit_household
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER visit_household_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.visit_household
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('visit_id', 'household_id');
CREATE TRIGGER visit_setting_touch BEFORE UPDATE ON minqing.visit_setting
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER visit_setting_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.visit_setting
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('district_id');

------------------------------------------------------------------------------
-- Row-level security: read within my_scope(), written (by the definer
-- functions, FORCE binds them) within my_write_scope(). No client role
-- holds a write privilege.
------------------------------------------------------------------------------
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['grid_cell', 'household_cell', 'service_team', 'service_team_member',
	                         'service_team_cell', 'visit', 'visit_household'] LOOP
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
	-- Members leave a team and a team stops covering a cell: deleted rows
	-- (their audit rows keep them).
	FOREACH t IN ARRAY ARRAY['service_team_member', 'service_team_cell'] LOOP
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR DELETE TO mq_owner '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))', t || '_delete', t);
	END LOOP;
END
$$;

ALTER TABLE minqing.visit_setting ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.visit_setting FORCE ROW LEVEL SECURITY;
CREATE POLICY visit_setting_read ON minqing.visit_setting FOR SELECT USING (true);
CREATE POLICY visit_setting_insert ON minqing.visit_setting FOR INSERT TO mq_owner
	WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()));
CREATE POLICY visit_setting_update ON minqing.visit_setting FOR UPDATE TO mq_owner
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))
	WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()));
GRANT SELECT ON minqing.visit_setting TO mq_staff;

-- The trigger that maps the register's text to a cell (its function is
-- household_cell_sync() of 66_visits.sql; created here first so that the
-- triggers can name it). Statement triggers with transition tables: an
-- import of thousands of households maps them in one pass.
CREATE FUNCTION minqing.household_cell_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN NULL; -- replaced by schema/functions/66_visits.sql in this transaction
END
$$;
REVOKE ALL ON FUNCTION minqing.household_cell_sync() FROM PUBLIC;
-- The cells' counts of households (household_cell_count(), 66_visits.sql;
-- created here first with the same text as its file's).
CREATE FUNCTION minqing.household_cell_count() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN NULL; -- replaced by schema/functions/66_visits.sql in this transaction
END
$$;
REVOKE ALL ON FUNCTION minqing.household_cell_count() FROM PUBLIC;
CREATE TRIGGER household_cell_count_insert AFTER INSERT ON minqing.household_cell
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION minqing.household_cell_count();
CREATE TRIGGER household_cell_count_update AFTER UPDATE ON minqing.household_cell
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.household_cell_count();
CREATE TRIGGER household_cell_count_delete AFTER DELETE ON minqing.household_cell
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION minqing.household_cell_count();
CREATE TRIGGER household_cell_insert AFTER INSERT ON minqing.household
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION minqing.household_cell_sync();
CREATE TRIGGER household_cell_update AFTER UPDATE ON minqing.household
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.household_cell_sync();

RESET ROLE;

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;
COMMENT ON COLUMN minqing.household.grid_cell IS
	'The grid cell''s name as the register gives it (the import writes it): a new or changed text moves '
	'the household to the cell of that name in its unit (created when missing; household_cell_sync). '
	'The household''s cell is household_cell.';
-- visit_coverage_counts() and visit_plan_page() (owned by mq_lister,
-- BYPASSRLS) read the households of checked villages: the columns they
-- read, nothing more.
GRANT SELECT (cell_id, unit_id, households) ON minqing.grid_cell TO mq_lister;
GRANT SELECT (household_id, cell_id, unit_id, last_visited_on) ON minqing.household_cell TO mq_lister;
GRANT SELECT (household_id, unit_id, visited_on) ON minqing.visit_household TO mq_lister;
RESET ROLE;
