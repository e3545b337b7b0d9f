-- 001_spine.sql: the schema spine of Minqing e-Station.
--
-- Organisation units (a tree: district > town/street > village/community, with
-- departments, agencies, enterprises and other units hanging under the level
-- they belong to), stations, staff tied to PostgreSQL login roles, households,
-- residents, party members, villager representatives and the links between
-- contacts and households; an append-only audit trail; row-level security by
-- organisation subtree. The model is written down in docs/security.md.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.
-- Objects are owned by the NOLOGIN role mq_owner, so that SECURITY DEFINER
-- functions are not superuser code and FORCE ROW LEVEL SECURITY binds them.

-- Roles are cluster-wide: create each once, whichever database migrates first.
-- Two databases of one cluster migrating at once would race on the shared
-- role catalog ("tuple concurrently updated"); a lock on pg_authid, which is
-- shared by all databases, makes them take turns. Logins are not blocked.
LOCK TABLE pg_catalog.pg_authid IN SHARE ROW EXCLUSIVE MODE;
DO $$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['mq_owner', 'mq_role_manager', 'mq_staff', 'mq_officer',
	                         'mq_handler', 'mq_supervisor', 'mq_admin', 'mq_kiosk'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;
	-- Every duty but kiosk is staff: one grant of table access serves them all.
	FOREACH r IN ARRAY ARRAY['mq_officer', 'mq_handler', 'mq_supervisor', 'mq_admin'] LOOP
		IF NOT pg_has_role(r, 'mq_staff', 'MEMBER') THEN
			EXECUTE format('GRANT mq_staff TO %I', r);
		END IF;
	END LOOP;
END
$$;
-- Only the definer functions user_add/user_disable run as mq_role_manager;
-- nobody is a member of it.
DO $$
BEGIN
	IF NOT (SELECT rolcreaterole FROM pg_roles WHERE rolname = 'mq_role_manager') THEN
		ALTER ROLE mq_role_manager CREATEROLE;
	END IF;
END
$$;

CREATE SCHEMA ext;
COMMENT ON SCHEMA ext IS 'Extensions (ltree); nobody but superusers may create objects here.';
CREATE EXTENSION ltree SCHEMA ext;
GRANT USAGE ON SCHEMA ext TO PUBLIC;

CREATE SCHEMA minqing AUTHORIZATION mq_owner;
COMMENT ON SCHEMA minqing IS 'Minqing e-Station: every table, view and function of the system.';
REVOKE ALL ON SCHEMA minqing FROM PUBLIC;
-- USAGE alone exposes nothing (every table and function has its own grant);
-- it lets a login that is not (or no longer) staff be told so by whoami().
GRANT USAGE ON SCHEMA minqing TO PUBLIC;

-- psql users find the tables and ltree operators without qualifying them.
DO $$
BEGIN
	EXECUTE format('ALTER DATABASE %I SET search_path = "$user", minqing, ext, public',
	               current_database());
END
$$;

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- Functions are private unless granted: no EXECUTE for PUBLIC by default.
-- (Per-schema defaults can only add to the global ones, so this is per role.)
ALTER DEFAULT PRIVILEGES FOR ROLE mq_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

CREATE TABLE minqing.schema_version (
	version    integer PRIMARY KEY,
	name       text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now(),
	applied_by name NOT NULL DEFAULT session_user
);
COMMENT ON TABLE minqing.schema_version IS
	'One row per applied migration (schema/NNN_*.sql); programs refuse a version they do not know.';
GRANT SELECT ON minqing.schema_version TO PUBLIC;

------------------------------------------------------------------------------
-- Types and checks
------------------------------------------------------------------------------
CREATE TYPE minqing.unit_kind AS ENUM
	('district', 'town', 'street', 'village', 'community', 'department', 'agency',
	 'enterprise', 'other');
COMMENT ON TYPE minqing.unit_kind IS
	'district 区; town 镇 / street 街道; village 村 / community 社区; department 区级部门; '
	'agency 机关; enterprise 企业; other 其他';
CREATE TYPE minqing.unit_level AS ENUM ('district', 'town', 'village');
CREATE TYPE minqing.station_kind AS ENUM ('central', 'village', 'enterprise', 'agency', 'other');
CREATE TYPE minqing.duty AS ENUM ('officer', 'handler', 'supervisor', 'admin', 'kiosk');
COMMENT ON TYPE minqing.duty IS
	'officer 信息员; handler 信息处理责任人; supervisor 督查; admin 管理员; kiosk 公示终端';
CREATE TYPE minqing.relation AS ENUM
	('head', 'spouse', 'child', 'child_in_law', 'grandchild', 'parent', 'sibling', 'other');
CREATE TYPE minqing.contact_kind AS ENUM ('party_member', 'representative');

-- Mainland mobile or a landline with area code.
CREATE DOMAIN minqing.phone AS text
	CHECK (VALUE ~ '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$');

-- GB 11643-1999 resident identity number: 17 digits and a check character.
CREATE FUNCTION minqing.id_card_valid(id text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
-- Weights 2^(18-i) mod 11, written out: a subquery would make this a
-- non-inlinable function costing ~13 µs per row of every resident insert.
RETURN CASE WHEN id !~ '^[0-9]{17}[0-9X]$' THEN false
            ELSE substr('10X98765432',
                        (substr(id, 1, 1)::int * 7 + substr(id, 2, 1)::int * 9
                         + substr(id, 3, 1)::int * 10 + substr(id, 4, 1)::int * 5
                         + substr(id, 5, 1)::int * 8 + substr(id, 6, 1)::int * 4
                         + substr(id, 7, 1)::int * 2 + substr(id, 8, 1)::int * 1
                         + substr(id, 9, 1)::int * 6 + substr(id, 10, 1)::int * 3
                         + substr(id, 11, 1)::int * 7 + substr(id, 12, 1)::int * 9
                         + substr(id, 13, 1)::int * 10 + substr(id, 14, 1)::int * 5
                         + substr(id, 15, 1)::int * 8 + substr(id, 16, 1)::int * 4
                         + substr(id, 17, 1)::int * 2) % 11 + 1, 1) = substr(id, 18, 1)
       END;
COMMENT ON FUNCTION minqing.id_card_valid(text) IS 'GB 11643 check digit of an 18-character ID number.';
GRANT EXECUTE ON FUNCTION minqing.id_card_valid(text) TO PUBLIC;

CREATE FUNCTION minqing.mask_id_card(id text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN left(id, 6) || '********' || right(id, 4);
CREATE FUNCTION minqing.mask_phone(p text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN length(p) >= 7 THEN left(p, 3) || repeat('*', length(p) - 7) || right(p, 4)
            ELSE repeat('*', length(p)) END;
CREATE FUNCTION minqing.mask_name(n text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN left(n, 1) || repeat('*', greatest(char_length(n) - 1, 1));
GRANT EXECUTE ON FUNCTION minqing.mask_id_card(text), minqing.mask_phone(text),
	minqing.mask_name(text) TO PUBLIC;

------------------------------------------------------------------------------
-- Organisation
------------------------------------------------------------------------------
CREATE TABLE minqing.district (
	district_id smallint PRIMARY KEY,
	code        text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{6}$'),
	name        text NOT NULL,
	name_en     text
);
COMMENT ON TABLE minqing.district IS
	'The tenant: every table carries district_id so a province can shard by district (Citus).';
COMMENT ON COLUMN minqing.district.code IS 'Administrative division code, e.g. 330303 (龙湾区).';

CREATE TABLE minqing.org_unit (
	unit_id     integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id smallint NOT NULL REFERENCES minqing.district,
	parent_id   integer REFERENCES minqing.org_unit,
	code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_]{1,32}$'),
	name        text NOT NULL CHECK (name <> ''),
	name_en     text,
	kind        minqing.unit_kind NOT NULL,
	level       minqing.unit_level NOT NULL,
	path        ext.ltree NOT NULL UNIQUE,
	address     text,
	phone       minqing.phone,
	active      boolean NOT NULL DEFAULT true,
	row_version integer NOT NULL DEFAULT 1,
	created_at  timestamptz NOT NULL DEFAULT now(),
	updated_at  timestamptz NOT NULL DEFAULT now(),
	CHECK ((kind = 'district') = (parent_id IS NULL))
);
COMMENT ON TABLE minqing.org_unit IS
	'Organisation tree. path = parent path || code (set by trigger); jurisdiction is "inside this subtree".';
COMMENT ON COLUMN minqing.org_unit.level IS
	'Administrative level the unit sits at: departments are district level, an enterprise under a town is town level.';
CREATE INDEX org_unit_path_gist ON minqing.org_unit USING gist (path);
CREATE INDEX org_unit_parent ON minqing.org_unit (parent_id);

CREATE TABLE minqing.staff (
	staff_id     integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id  smallint NOT NULL REFERENCES minqing.district,
	login        name NOT NULL UNIQUE,
	display_name text NOT NULL CHECK (display_name <> ''),
	unit_id      integer NOT NULL REFERENCES minqing.org_unit,
	path         ext.ltree NOT NULL,
	duty         minqing.duty NOT NULL,
	position     text,
	phone        minqing.phone,
	active       boolean NOT NULL DEFAULT true,
	row_version  integer NOT NULL DEFAULT 1,
	created_at   timestamptz NOT NULL DEFAULT now(),
	updated_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.staff IS
	'Every person who logs in: login is their PostgreSQL role; duty decides the group role, unit the jurisdiction.';
CREATE INDEX staff_path_gist ON minqing.staff USING gist (path);
CREATE INDEX staff_unit ON minqing.staff (unit_id);

CREATE TABLE minqing.station (
	station_id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id          smallint NOT NULL REFERENCES minqing.district,
	code                 text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
	name                 text NOT NULL CHECK (name <> ''),
	kind                 minqing.station_kind NOT NULL,
	unit_id              integer NOT NULL REFERENCES minqing.org_unit,
	path                 ext.ltree NOT NULL,
	responsible_staff_id integer REFERENCES minqing.staff,
	responsible_name     text,
	responsible_phone    minqing.phone,
	terminal             text,
	active               boolean NOT NULL DEFAULT true,
	row_version          integer NOT NULL DEFAULT 1,
	created_at           timestamptz NOT NULL DEFAULT now(),
	updated_at           timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.station IS
	'The central station (总站) and sub-stations (分站) of four kinds, each at a unit, with its terminal''s responsible person.';
CREATE INDEX station_path_gist ON minqing.station USING gist (path);
CREATE INDEX station_unit ON minqing.station (unit_id);
CREATE UNIQUE INDEX station_one_central ON minqing.station (district_id) WHERE kind = 'central';

------------------------------------------------------------------------------
-- Households and people
------------------------------------------------------------------------------
CREATE TABLE minqing.household (
	household_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id      smallint NOT NULL REFERENCES minqing.district,
	unit_id          integer NOT NULL REFERENCES minqing.org_unit,
	path             ext.ltree NOT NULL,
	household_no     text NOT NULL CHECK (household_no <> ''),
	address          text NOT NULL CHECK (address <> ''),
	head_resident_id bigint,
	phone            minqing.phone,
	grid_cell        text,
	active           boolean NOT NULL DEFAULT true,
	row_version      integer NOT NULL DEFAULT 1,
	created_at       timestamptz NOT NULL DEFAULT now(),
	updated_at       timestamptz NOT NULL DEFAULT now(),
	UNIQUE (unit_id, household_no)
);
COMMENT ON TABLE minqing.household IS 'A household (户) of a village or community.';
COMMENT ON COLUMN minqing.household.grid_cell IS 'Grid cell (片组片格) of the party-group/area-group/grid model.';
CREATE INDEX household_path_gist ON minqing.household USING gist (path);

CREATE TABLE minqing.resident (
	resident_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id    smallint NOT NULL REFERENCES minqing.district,
	household_id   bigint NOT NULL REFERENCES minqing.household,
	path           ext.ltree NOT NULL,
	name           text NOT NULL CHECK (name <> ''),
	gender         char(1) CHECK (gender IN ('M', 'F')),
	birth_date     date,
	relation       minqing.relation NOT NULL,
	phone          minqing.phone,
	id_card        text CHECK (minqing.id_card_valid(id_card)),
	id_card_masked text GENERATED ALWAYS AS (minqing.mask_id_card(id_card)) STORED,
	active         boolean NOT NULL DEFAULT true,
	row_version    integer NOT NULL DEFAULT 1,
	created_at     timestamptz NOT NULL DEFAULT now(),
	updated_at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.resident IS 'A member of a household.';
COMMENT ON COLUMN minqing.resident.id_card IS
	'Stored, never readable by staff roles (column privilege); they read id_card_masked.';
CREATE INDEX resident_path_gist ON minqing.resident USING gist (path);
CREATE INDEX resident_household ON minqing.resident (household_id);
CREATE INDEX resident_phone ON minqing.resident (phone) WHERE phone IS NOT NULL;
CREATE UNIQUE INDEX resident_id_card ON minqing.resident (id_card) WHERE id_card IS NOT NULL;

ALTER TABLE minqing.household ADD CONSTRAINT household_head_fk
	FOREIGN KEY (head_resident_id) REFERENCES minqing.resident DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE minqing.party_member (
	resident_id bigint PRIMARY KEY REFERENCES minqing.resident ON DELETE CASCADE,
	district_id smallint NOT NULL REFERENCES minqing.district,
	path        ext.ltree NOT NULL,
	branch      text NOT NULL CHECK (branch <> ''),
	joined_on   date,
	row_version integer NOT NULL DEFAULT 1,
	created_at  timestamptz NOT NULL DEFAULT now(),
	updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.party_member IS 'A resident who is a party member (党员), with the branch (党支部).';
CREATE INDEX party_member_path_gist ON minqing.party_member USING gist (path);

CREATE TABLE minqing.villager_representative (
	resident_id bigint PRIMARY KEY REFERENCES minqing.resident ON DELETE CASCADE,
	district_id smallint NOT NULL REFERENCES minqing.district,
	path        ext.ltree NOT NULL,
	term        text,
	since       date,
	row_version integer NOT NULL DEFAULT 1,
	created_at  timestamptz NOT NULL DEFAULT now(),
	updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.villager_representative IS 'A villager representative (村民代表).';
CREATE INDEX villager_representative_path_gist ON minqing.villager_representative USING gist (path);

CREATE TABLE minqing.household_link (
	household_id        bigint NOT NULL REFERENCES minqing.household ON DELETE CASCADE,
	contact_resident_id bigint NOT NULL REFERENCES minqing.resident ON DELETE CASCADE,
	contact_kind        minqing.contact_kind NOT NULL,
	district_id         smallint NOT NULL REFERENCES minqing.district,
	path                ext.ltree NOT NULL,
	since               date NOT NULL DEFAULT current_date,
	row_version         integer NOT NULL DEFAULT 1,
	created_at          timestamptz NOT NULL DEFAULT now(),
	updated_at          timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (household_id, contact_resident_id)
);
COMMENT ON TABLE minqing.household_link IS
	'联系户: a party member or villager representative looks after 5-10 households; '
	'the linked party member is the household''s proxy (全程代理).';
CREATE UNIQUE INDEX household_link_one_party_member ON minqing.household_link (household_id)
	WHERE contact_kind = 'party_member';
CREATE INDEX household_link_contact ON minqing.household_link (contact_resident_id);
CREATE INDEX household_link_path_gist ON minqing.household_link USING gist (path);

------------------------------------------------------------------------------
-- Audit trail: append-only
------------------------------------------------------------------------------
CREATE TABLE minqing.audit_log (
	audit_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id smallint,
	at          timestamptz NOT NULL DEFAULT clock_timestamp(),
	actor       name NOT NULL DEFAULT session_user,
	txid        bigint NOT NULL DEFAULT txid_current(),
	table_name  text NOT NULL,
	row_id      text NOT NULL,
	op          text NOT NULL CHECK (op IN ('INSERT', 'UPDATE', 'DELETE', 'IMPORT')),
	path        ext.ltree,
	before      jsonb,
	after       jsonb
);
COMMENT ON TABLE minqing.audit_log IS
	'Who (session_user), when, which row, before and after. Written only by triggers; '
	'no role can update, delete or truncate it. ID numbers appear masked only.';
CREATE INDEX audit_log_row ON minqing.audit_log (table_name, row_id, at);
CREATE INDEX audit_log_at ON minqing.audit_log (at);
CREATE INDEX audit_log_path_gist ON minqing.audit_log USING gist (path);

CREATE FUNCTION minqing.audit_refuse() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'the audit trail is append-only: % is not allowed', TG_OP
		USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON minqing.audit_log
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON minqing.audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.audit_refuse();

-- AFTER ROW trigger; TG_ARGV are the primary-key columns (row_id joins their
-- values with '/'). Runs as mq_owner so
-- that nobody needs INSERT on audit_log; the secret column id_card is dropped
-- (id_card_masked stays and shows that it changed).
CREATE FUNCTION minqing.audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	b jsonb;
	a jsonb;
	r jsonb;
BEGIN
	IF TG_OP <> 'INSERT' THEN
		b := to_jsonb(OLD) - 'id_card';
	END IF;
	IF TG_OP <> 'DELETE' THEN
		a := to_jsonb(NEW) - 'id_card';
	END IF;
	r := coalesce(a, b);
	INSERT INTO minqing.audit_log (district_id, table_name, row_id, op, path, before, after)
	VALUES ((r ->> 'district_id')::smallint, TG_TABLE_NAME,
	        array_to_string(ARRAY(SELECT r ->> k FROM unnest(TG_ARGV) AS k), '/'), TG_OP,
	        (r ->> 'path')::ext.ltree, b, a);
	RETURN NULL;
END
$$;

-- BEFORE UPDATE: bump the row version (optimistic concurrency) and the time.
CREATE FUNCTION minqing.touch_row() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	NEW.row_version := OLD.row_version + 1;
	NEW.updated_at := now();
	RETURN NEW;
END
$$;

------------------------------------------------------------------------------
-- Derivation triggers: path and district come from the parent row, never
-- from the client. They run as the caller (SECURITY INVOKER), so a parent the
-- caller cannot see under RLS is "not found".
------------------------------------------------------------------------------
CREATE FUNCTION minqing.org_unit_derive() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	p minqing.org_unit;
BEGIN
	IF TG_OP = 'UPDATE' AND (NEW.code <> OLD.code OR NEW.parent_id IS DISTINCT FROM OLD.parent_id
	                         OR NEW.kind <> OLD.kind) THEN
		RAISE EXCEPTION 'the code, parent and kind of a unit cannot change; create a new unit'
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.parent_id IS NULL THEN
		NEW.path := NEW.code::ext.ltree;
		NEW.level := 'district';
		RETURN NEW;
	END IF;
	SELECT * INTO p FROM minqing.org_unit WHERE unit_id = NEW.parent_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'parent unit % not found', NEW.parent_id USING ERRCODE = 'foreign_key_violation';
	END IF;
	IF (NEW.kind IN ('town', 'street', 'department') AND p.kind <> 'district')
	   OR (NEW.kind IN ('village', 'community') AND p.kind NOT IN ('town', 'street')) THEN
		RAISE EXCEPTION 'a unit of kind % cannot be placed under a %', NEW.kind, p.kind
			USING ERRCODE = 'check_violation';
	END IF;
	NEW.district_id := p.district_id;
	NEW.path := p.path || NEW.code::ext.ltree;
	NEW.level := CASE WHEN NEW.kind IN ('town', 'street') THEN 'town'
	                  WHEN NEW.kind IN ('village', 'community') THEN 'village'
	                  WHEN NEW.kind = 'department' THEN 'district'
	                  ELSE p.level END;
	RETURN NEW;
END
$$;

-- For station and staff: path and district of the unit they are attached to.
CREATE FUNCTION minqing.unit_attached_derive() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit;
BEGIN
	SELECT * INTO u FROM minqing.org_unit WHERE unit_id = NEW.unit_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unit % not found', NEW.unit_id USING ERRCODE = 'foreign_key_violation';
	END IF;
	-- (Nested: PL/pgSQL would resolve NEW.kind on staff rows too.)
	IF TG_TABLE_NAME = 'station' THEN
		IF NOT ((NEW.kind = 'central' AND u.kind = 'district')
		        OR (NEW.kind = 'village' AND u.kind IN ('village', 'community'))
		        OR (NEW.kind = 'enterprise' AND u.kind = 'enterprise')
		        OR (NEW.kind = 'agency' AND u.kind IN ('agency', 'department', 'town', 'street'))
		        OR (NEW.kind = 'other' AND u.kind <> 'district')) THEN
			RAISE EXCEPTION 'a % station cannot be attached to a unit of kind %', NEW.kind,
				u.kind USING ERRCODE = 'check_violation';
		END IF;
	END IF;
	NEW.district_id := u.district_id;
	NEW.path := u.path;
	RETURN NEW;
END
$$;

CREATE FUNCTION minqing.household_derive() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit;
BEGIN
	SELECT * INTO u FROM minqing.org_unit WHERE unit_id = NEW.unit_id;
	IF NOT FOUND OR u.kind NOT IN ('village', 'community') THEN
		RAISE EXCEPTION 'a household belongs to a village or community' USING ERRCODE = 'check_violation';
	END IF;
	NEW.district_id := u.district_id;
	NEW.path := u.path;
	IF NEW.head_resident_id IS NOT NULL AND NOT EXISTS (
	   SELECT 1 FROM minqing.resident r
	    WHERE r.resident_id = NEW.head_resident_id AND r.household_id = NEW.household_id) THEN
		RAISE EXCEPTION 'the head of a household must be one of its members'
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END
$$;

CREATE FUNCTION minqing.resident_derive() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	h minqing.household;
BEGIN
	SELECT * INTO h FROM minqing.household WHERE household_id = NEW.household_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'household % not found', NEW.household_id
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	NEW.district_id := h.district_id;
	NEW.path := h.path;
	RETURN NEW;
END
$$;

-- For party_member and villager_representative: path of the resident.
CREATE FUNCTION minqing.resident_role_derive() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	r_district smallint;
	r_path ext.ltree;
BEGIN
	SELECT district_id, path INTO r_district, r_path
	  FROM minqing.resident WHERE resident_id = NEW.resident_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'resident % not found', NEW.resident_id
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	NEW.district_id := r_district;
	NEW.path := r_path;
	RETURN NEW;
END
$$;

-- A link: the contact must hold that role, live in the same village, and
-- look after at most 10 households (fewer than 5 is reported by
-- minqing.integrity_report, since a new contact starts with none).
CREATE FUNCTION minqing.household_link_derive() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	h minqing.household;
	c_path ext.ltree;
	n integer;
BEGIN
	SELECT * INTO h FROM minqing.household WHERE household_id = NEW.household_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'household % not found', NEW.household_id
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	IF NEW.contact_kind = 'party_member' THEN
		SELECT path INTO c_path FROM minqing.party_member WHERE resident_id = NEW.contact_resident_id;
	ELSE
		SELECT path INTO c_path FROM minqing.villager_representative
		 WHERE resident_id = NEW.contact_resident_id;
	END IF;
	IF c_path IS NULL THEN
		RAISE EXCEPTION 'resident % is not a %', NEW.contact_resident_id, NEW.contact_kind
			USING ERRCODE = 'check_violation';
	END IF;
	IF c_path <> h.path THEN
		RAISE EXCEPTION 'a contact looks after households of their own village'
			USING ERRCODE = 'check_violation';
	END IF;
	-- Serialise concurrent links to one contact so the limit holds.
	PERFORM pg_advisory_xact_lock(hashtextextended('household_link', NEW.contact_resident_id));
	SELECT count(*) INTO n FROM minqing.household_link
	 WHERE contact_resident_id = NEW.contact_resident_id AND household_id <> NEW.household_id;
	IF n >= 10 THEN
		RAISE EXCEPTION 'a contact looks after at most 10 households' USING ERRCODE = 'check_violation';
	END IF;
	NEW.district_id := h.district_id;
	NEW.path := h.path;
	RETURN NEW;
END
$$;

CREATE TRIGGER org_unit_derive BEFORE INSERT OR UPDATE ON minqing.org_unit
	FOR EACH ROW EXECUTE FUNCTION minqing.org_unit_derive();
CREATE TRIGGER station_derive BEFORE INSERT OR UPDATE OF unit_id, kind ON minqing.station
	FOR EACH ROW EXECUTE FUNCTION minqing.unit_attached_derive();
CREATE TRIGGER staff_derive BEFORE INSERT OR UPDATE OF unit_id ON minqing.staff
	FOR EACH ROW EXECUTE FUNCTION minqing.unit_attached_derive();
CREATE TRIGGER household_derive BEFORE INSERT OR UPDATE ON minqing.household
	FOR EACH ROW EXECUTE FUNCTION minqing.household_derive();
CREATE TRIGGER resident_derive BEFORE INSERT OR UPDATE OF household_id ON minqing.resident
	FOR EACH ROW EXECUTE FUNCTION minqing.resident_derive();
CREATE TRIGGER party_member_derive BEFORE INSERT OR UPDATE OF resident_id ON minqing.party_member
	FOR EACH ROW EXECUTE FUNCTION minqing.resident_role_derive();
CREATE TRIGGER villager_representative_derive BEFORE INSERT OR UPDATE OF resident_id
	ON minqing.villager_representative
	FOR EACH ROW EXECUTE FUNCTION minqing.resident_role_derive();
CREATE TRIGGER household_link_derive BEFORE INSERT OR UPDATE ON minqing.household_link
	FOR EACH ROW EXECUTE FUNCTION minqing.household_link_derive();

-- Touch and audit every table a person cares about.
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT * FROM (VALUES ('org_unit', '{unit_id}'::text[]), ('staff', '{staff_id}'),
	                               ('station', '{station_id}'), ('household', '{household_id}'),
	                               ('resident', '{resident_id}'), ('party_member', '{resident_id}'),
	                               ('villager_representative', '{resident_id}'),
	                               ('household_link', '{household_id,contact_resident_id}'))
	                      AS v(tab, pk) LOOP
		EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON minqing.%I FOR EACH ROW '
		               'EXECUTE FUNCTION minqing.touch_row()', t.tab || '_touch', t.tab);
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON minqing.%I '
		               'FOR EACH ROW EXECUTE FUNCTION minqing.audit_row(%s)',
		               t.tab || '_audit', t.tab,
		               (SELECT string_agg(quote_literal(k), ', ') FROM unnest(t.pk) AS k));
	END LOOP;
END
$$;

------------------------------------------------------------------------------
-- Who is calling, and what they may see
------------------------------------------------------------------------------
-- Identity is session_user: the role the person authenticated as. It cannot
-- be changed by SET ROLE, and it is the same inside SECURITY DEFINER functions,
-- so the functions act within the caller's jurisdiction too.

-- The subtree the caller may read; NULL (nothing) for kiosks, disabled staff
-- and roles without a staff row. SECURITY DEFINER so that it can read staff
-- without recursing into staff's own policy; STABLE so `(SELECT my_scope())`
-- is evaluated once per statement.
-- PL/pgSQL, not SQL: a SECURITY DEFINER SQL function with SET search_path is
-- never inlined, so it would be parsed and planned on every call (~0.5 ms,
-- several times per statement under RLS); PL/pgSQL keeps its plan.
CREATE FUNCTION minqing.my_scope() RETURNS ext.ltree
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN (SELECT u.path FROM minqing.staff s JOIN minqing.org_unit u ON u.unit_id = s.unit_id
	         WHERE s.login = session_user AND s.active AND s.duty <> 'kiosk');
END
$$;
COMMENT ON FUNCTION minqing.my_scope() IS 'The organisation subtree the calling person may read.';

-- The subtree the caller may change: officers, handlers and administrators.
CREATE FUNCTION minqing.my_write_scope() RETURNS ext.ltree
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN (SELECT u.path FROM minqing.staff s JOIN minqing.org_unit u ON u.unit_id = s.unit_id
	         WHERE s.login = session_user AND s.active AND s.duty IN ('officer', 'handler', 'admin'));
END
$$;
COMMENT ON FUNCTION minqing.my_write_scope() IS 'The organisation subtree the calling person may change.';
GRANT EXECUTE ON FUNCTION minqing.my_scope(), minqing.my_write_scope() TO PUBLIC;

CREATE FUNCTION minqing.whoami()
RETURNS TABLE (login name, display_name text, duty minqing.duty, unit_code text, unit_name text,
               unit_kind minqing.unit_kind, unit_level minqing.unit_level, district_name text,
               scope ext.ltree)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	SELECT s.login, s.display_name, s.duty, u.code, u.name, u.kind, u.level, d.name, u.path
	  FROM minqing.staff s JOIN minqing.org_unit u ON u.unit_id = s.unit_id
	  JOIN minqing.district d ON d.district_id = s.district_id
	 WHERE s.login = session_user AND s.active
$$;
COMMENT ON FUNCTION minqing.whoami() IS 'The calling person: name, duty, unit. No row: not (or no longer) staff.';
GRANT EXECUTE ON FUNCTION minqing.whoami() TO PUBLIC;

------------------------------------------------------------------------------
-- Row-level security. Policies decide which rows; GRANTs decide which
-- operations. Policies apply to PUBLIC, so SECURITY DEFINER functions owned
-- by mq_owner (FORCE) are bound by the caller's scope as well.
------------------------------------------------------------------------------
-- Published reference data: everyone reads units, districts and stations.
ALTER TABLE minqing.district ENABLE ROW LEVEL SECURITY;
CREATE POLICY district_read ON minqing.district FOR SELECT USING (true);
GRANT SELECT ON minqing.district TO mq_staff, mq_kiosk;

-- org_unit and staff are not FORCEd: my_scope() (owner) reads them unhindered.
ALTER TABLE minqing.org_unit ENABLE ROW LEVEL SECURITY;
CREATE POLICY org_unit_read ON minqing.org_unit FOR SELECT USING (true);
CREATE POLICY org_unit_insert ON minqing.org_unit FOR INSERT
	WITH CHECK (path <@ (SELECT minqing.my_write_scope()));
CREATE POLICY org_unit_update ON minqing.org_unit FOR UPDATE
	USING (path <@ (SELECT minqing.my_write_scope()))
	WITH CHECK (path <@ (SELECT minqing.my_write_scope()));
GRANT SELECT ON minqing.org_unit TO mq_staff, mq_kiosk;
GRANT INSERT (parent_id, code, name, name_en, kind, address, phone, active),
      UPDATE (name, name_en, address, phone, active) ON minqing.org_unit TO mq_admin;

ALTER TABLE minqing.staff ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_read ON minqing.staff FOR SELECT USING (true);
CREATE POLICY staff_manage ON minqing.staff TO mq_role_manager USING (true) WITH CHECK (true);
GRANT SELECT ON minqing.staff TO mq_staff;
GRANT SELECT, INSERT, UPDATE ON minqing.staff TO mq_role_manager;
GRANT SELECT ON minqing.org_unit TO mq_role_manager;

ALTER TABLE minqing.station ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.station FORCE ROW LEVEL SECURITY;
CREATE POLICY station_read ON minqing.station FOR SELECT USING (true);
CREATE POLICY station_insert ON minqing.station FOR INSERT
	WITH CHECK (path <@ (SELECT minqing.my_write_scope()));
CREATE POLICY station_update ON minqing.station FOR UPDATE
	USING (path <@ (SELECT minqing.my_write_scope()))
	WITH CHECK (path <@ (SELECT minqing.my_write_scope()));
GRANT SELECT (station_id, district_id, code, name, kind, unit_id, path, responsible_name,
              active) ON minqing.station TO mq_kiosk;
GRANT SELECT ON minqing.station TO mq_staff;
GRANT INSERT (code, name, kind, unit_id, responsible_staff_id, responsible_name,
              responsible_phone, terminal, active),
      UPDATE (name, kind, unit_id, responsible_staff_id, responsible_name, responsible_phone,
              terminal, active) ON minqing.station TO mq_admin;

-- Households and people: read within my_scope(), change within
-- my_write_scope(); the same rules for every table.
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['household', 'resident', 'party_member', 'villager_representative',
	                         'household_link'] LOOP
		EXECUTE format('ALTER TABLE minqing.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE minqing.%I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR SELECT '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()))', t || '_read', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR INSERT '
		               'WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))',
		               t || '_insert', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR UPDATE '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope())) '
		               'WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))',
		               t || '_update', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR DELETE '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))',
		               t || '_delete', t);
	END LOOP;
END
$$;

GRANT SELECT ON minqing.household, minqing.party_member, minqing.villager_representative,
	minqing.household_link TO mq_staff;
-- Every column of resident but the ID number itself.
GRANT SELECT (resident_id, district_id, household_id, path, name, gender, birth_date, relation,
              phone, id_card_masked, active, row_version, created_at, updated_at)
	ON minqing.resident TO mq_staff;

GRANT INSERT (unit_id, household_no, address, head_resident_id, phone, grid_cell, active),
      UPDATE (household_no, address, head_resident_id, phone, grid_cell, active)
	ON minqing.household TO mq_officer, mq_handler, mq_admin;
GRANT INSERT (household_id, name, gender, birth_date, relation, phone, id_card, active),
      UPDATE (household_id, name, gender, birth_date, relation, phone, id_card, active), DELETE
	ON minqing.resident TO mq_officer, mq_handler, mq_admin;
GRANT INSERT (resident_id, branch, joined_on), UPDATE (branch, joined_on), DELETE
	ON minqing.party_member TO mq_officer, mq_handler, mq_admin;
GRANT INSERT (resident_id, term, since), UPDATE (term, since), DELETE
	ON minqing.villager_representative TO mq_officer, mq_handler, mq_admin;
GRANT INSERT (household_id, contact_resident_id, contact_kind, since), UPDATE (since), DELETE
	ON minqing.household_link TO mq_officer, mq_handler, mq_admin;
GRANT DELETE ON minqing.household TO mq_admin;

-- The audit trail: supervisors and administrators read it within their scope;
-- only the audit trigger (as mq_owner) inserts.
ALTER TABLE minqing.audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_log_read ON minqing.audit_log FOR SELECT
	USING (path <@ (SELECT minqing.my_scope()));
CREATE POLICY audit_log_append ON minqing.audit_log FOR INSERT TO mq_owner WITH CHECK (true);
GRANT SELECT ON minqing.audit_log TO mq_supervisor, mq_admin;

------------------------------------------------------------------------------
-- The full ID number, for those who must see it: read through a function
-- that checks the jurisdiction and leaves an audit row for the read.
------------------------------------------------------------------------------
CREATE FUNCTION minqing.resident_id_card(p_resident_id bigint) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	r minqing.resident;
BEGIN
	-- FORCE RLS: only a resident inside the caller's scope is found.
	SELECT * INTO r FROM minqing.resident WHERE resident_id = p_resident_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'resident % not found', p_resident_id USING ERRCODE = 'no_data_found';
	END IF;
	INSERT INTO minqing.audit_log (district_id, table_name, row_id, op, path, before, after)
	VALUES (r.district_id, 'resident', r.resident_id::text, 'UPDATE', r.path, NULL,
	        jsonb_build_object('read', 'id_card'));
	RETURN r.id_card;
END
$$;
COMMENT ON FUNCTION minqing.resident_id_card(bigint) IS
	'The full ID number of a resident in the caller''s jurisdiction; every read is audited.';
GRANT EXECUTE ON FUNCTION minqing.resident_id_card(bigint) TO mq_handler, mq_admin;

------------------------------------------------------------------------------
-- Accounts: creating and disabling login roles, only through these functions.
------------------------------------------------------------------------------
CREATE FUNCTION minqing.user_add(p_login name, p_display_name text, p_unit_code text,
                                 p_duty minqing.duty, p_password text DEFAULT NULL,
                                 p_position text DEFAULT NULL, p_phone text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit;
	existing pg_roles;
	caller_scope ext.ltree;
	id integer;
BEGIN
	-- Superusers (the DBA at the database host) or administrators, within their scope.
	IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
		IF NOT pg_has_role(session_user, 'mq_admin', 'MEMBER') THEN
			RAISE EXCEPTION 'only an administrator may add accounts'
				USING ERRCODE = 'insufficient_privilege';
		END IF;
		caller_scope := minqing.my_write_scope();
	END IF;
	IF p_login !~ '^[a-z][a-z0-9_]{1,62}$' THEN
		RAISE EXCEPTION 'login "%" must be lower-case letters, digits and _, starting with a letter',
			p_login USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_login ~ '^(pg_|mq_)' THEN
		RAISE EXCEPTION 'login "%" is reserved', p_login USING ERRCODE = 'reserved_name';
	END IF;
	SELECT * INTO u FROM minqing.org_unit WHERE code = p_unit_code AND active;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no active unit with code %', p_unit_code USING ERRCODE = 'no_data_found';
	END IF;
	IF caller_scope IS NOT NULL AND NOT u.path <@ caller_scope THEN
		RAISE EXCEPTION 'unit % is outside your jurisdiction', p_unit_code
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF EXISTS (SELECT 1 FROM minqing.staff WHERE login = p_login) THEN
		RAISE EXCEPTION 'account % already exists', p_login USING ERRCODE = 'duplicate_object';
	END IF;

	SELECT * INTO existing FROM pg_roles WHERE rolname = p_login;
	IF FOUND THEN
		-- Roles are per cluster; a database of the same cluster may already
		-- have made it, or the DBA made it for peer authentication. Never
		-- adopt a role with powers beyond a staff member's.
		IF existing.rolsuper OR existing.rolcreaterole OR existing.rolcreatedb
		   OR existing.rolbypassrls OR existing.rolreplication THEN
			RAISE EXCEPTION 'role % exists with privileges a staff account must not have', p_login
				USING ERRCODE = 'insufficient_privilege';
		END IF;
		IF p_password IS NOT NULL THEN
			EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', p_login, p_password);
		ELSIF NOT existing.rolcanlogin THEN
			EXECUTE format('ALTER ROLE %I LOGIN', p_login);
		END IF;
	ELSIF p_password IS NOT NULL THEN
		EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_login, p_password);
	ELSE
		EXECUTE format('CREATE ROLE %I LOGIN', p_login);
	END IF;
	IF NOT pg_has_role(p_login, 'mq_' || p_duty::text, 'MEMBER') THEN
		EXECUTE format('GRANT %I TO %I', 'mq_' || p_duty::text, p_login);
	END IF;

	INSERT INTO minqing.staff (login, display_name, unit_id, duty, position, phone)
	VALUES (p_login, p_display_name, u.unit_id, p_duty, p_position, p_phone)
	RETURNING staff_id INTO id;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.user_add(name, text, text, minqing.duty, text, text, text) IS
	'Create (or adopt) the login role, grant the duty''s group role and add the staff row, in one transaction. '
	'p_password may be a SCRAM verifier (the client hashes it) or NULL for peer/cert authentication.';

CREATE FUNCTION minqing.user_disable(p_login name) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
BEGIN
	SELECT * INTO s FROM minqing.staff WHERE login = p_login;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no account %', p_login USING ERRCODE = 'no_data_found';
	END IF;
	IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
		IF NOT pg_has_role(session_user, 'mq_admin', 'MEMBER') THEN
			RAISE EXCEPTION 'only an administrator may disable accounts'
				USING ERRCODE = 'insufficient_privilege';
		END IF;
		IF NOT s.path <@ minqing.my_write_scope() THEN
			RAISE EXCEPTION 'account % is outside your jurisdiction', p_login
				USING ERRCODE = 'insufficient_privilege';
		END IF;
		IF p_login = session_user THEN
			RAISE EXCEPTION 'you cannot disable your own account' USING ERRCODE = 'check_violation';
		END IF;
	END IF;
	UPDATE minqing.staff SET active = false WHERE staff_id = s.staff_id;
	EXECUTE format('ALTER ROLE %I NOLOGIN', p_login);
END
$$;

RESET ROLE;
ALTER FUNCTION minqing.user_add(name, text, text, minqing.duty, text, text, text) OWNER TO mq_role_manager;
ALTER FUNCTION minqing.user_disable(name) OWNER TO mq_role_manager;
REVOKE ALL ON FUNCTION minqing.user_add(name, text, text, minqing.duty, text, text, text),
	minqing.user_disable(name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.user_add(name, text, text, minqing.duty, text, text, text),
	minqing.user_disable(name) TO mq_admin;
GRANT EXECUTE ON FUNCTION minqing.my_write_scope() TO mq_role_manager;
SET LOCAL ROLE mq_owner;

------------------------------------------------------------------------------
-- Integrity report for `minqing-admin check`
------------------------------------------------------------------------------
CREATE VIEW minqing.integrity_report WITH (security_invoker = true) AS
SELECT 'households without a linked party member' AS problem, count(*) AS n
  FROM minqing.household h
 WHERE h.active AND NOT EXISTS (SELECT 1 FROM minqing.household_link l
                                 WHERE l.household_id = h.household_id
                                   AND l.contact_kind = 'party_member')
UNION ALL
SELECT 'party members linking fewer than 5 households', count(*)
  FROM minqing.party_member p
 WHERE (SELECT count(*) FROM minqing.household_link l
         WHERE l.contact_resident_id = p.resident_id AND l.contact_kind = 'party_member') < 5
UNION ALL
SELECT 'households without a head', count(*)
  FROM minqing.household WHERE active AND head_resident_id IS NULL
UNION ALL
SELECT 'villages without a village station', count(*)
  FROM minqing.org_unit u
 WHERE u.kind IN ('village', 'community') AND u.active
   AND NOT EXISTS (SELECT 1 FROM minqing.station s WHERE s.unit_id = u.unit_id)
UNION ALL
SELECT 'staff whose login cannot log in', count(*)
  FROM minqing.staff s LEFT JOIN pg_roles r ON r.rolname = s.login
 WHERE s.active AND (r.rolname IS NULL OR NOT r.rolcanlogin);
COMMENT ON VIEW minqing.integrity_report IS
	'Each row a kind of problem and how many, within the caller''s jurisdiction; all zeros is healthy.';
GRANT SELECT ON minqing.integrity_report TO mq_staff;

RESET ROLE;
