-- schema/functions/10_spine.sql: the spine: ID numbers and masks, the audit
-- and derive triggers, jurisdiction (my_scope), who am I, reading an ID
-- number, accounts, the integrity report.
--
-- The current definition of these functions and views, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` in the migration
-- transaction whenever the function files change (docs/development.md,
-- "Functions, views and grants"). Change a function here, not in a migration.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- GB 11643-1999 resident identity number: 17 digits and a check character.
CREATE OR REPLACE FUNCTION minqing.id_card_valid(id text) RETURNS boolean
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

CREATE OR REPLACE FUNCTION minqing.mask_id_card(id text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN left(id, 6) || '********' || right(id, 4);
COMMENT ON FUNCTION minqing.mask_id_card(text) IS 'An ID number with the middle hidden: 330303********1234.';
GRANT EXECUTE ON FUNCTION minqing.mask_id_card(text) TO PUBLIC;

CREATE OR REPLACE FUNCTION minqing.mask_phone(p text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN length(p) >= 7 THEN left(p, 3) || repeat('*', length(p) - 7) || right(p, 4)
            ELSE repeat('*', length(p)) END;
COMMENT ON FUNCTION minqing.mask_phone(text) IS 'A phone number with the middle hidden: 138****1234.';
GRANT EXECUTE ON FUNCTION minqing.mask_phone(text) TO PUBLIC;

CREATE OR REPLACE FUNCTION minqing.mask_name(n text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN left(n, 1) || repeat('*', greatest(char_length(n) - 1, 1));
COMMENT ON FUNCTION minqing.mask_name(text) IS 'A name with all but the first character hidden: 王**.';
GRANT EXECUTE ON FUNCTION minqing.mask_name(text) TO PUBLIC;

CREATE OR REPLACE FUNCTION minqing.audit_refuse() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'the audit trail is append-only: % is not allowed', TG_OP
		USING ERRCODE = 'insufficient_privilege';
END
$$;
REVOKE ALL ON FUNCTION minqing.audit_refuse() FROM PUBLIC;

-- AFTER ROW trigger; TG_ARGV are the primary-key columns (row_id joins their
-- values with '/'). Runs as mq_owner so
-- that nobody needs INSERT on audit_log; the secret column id_card is dropped
-- (id_card_masked stays and shows that it changed).
CREATE OR REPLACE FUNCTION minqing.audit_row() RETURNS trigger
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
REVOKE ALL ON FUNCTION minqing.audit_row() FROM PUBLIC;

-- BEFORE UPDATE: bump the row version (optimistic concurrency) and the time.
CREATE OR REPLACE FUNCTION minqing.touch_row() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	NEW.row_version := OLD.row_version + 1;
	NEW.updated_at := now();
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION minqing.touch_row() FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.org_unit_derive() RETURNS trigger
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
REVOKE ALL ON FUNCTION minqing.org_unit_derive() FROM PUBLIC;

-- For station and staff: path and district of the unit they are attached to.
CREATE OR REPLACE FUNCTION minqing.unit_attached_derive() RETURNS trigger
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
REVOKE ALL ON FUNCTION minqing.unit_attached_derive() FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.household_derive() RETURNS trigger
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
REVOKE ALL ON FUNCTION minqing.household_derive() FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.resident_derive() RETURNS trigger
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
REVOKE ALL ON FUNCTION minqing.resident_derive() FROM PUBLIC;

-- For party_member and villager_representative: path of the resident.
CREATE OR REPLACE FUNCTION minqing.resident_role_derive() RETURNS trigger
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
REVOKE ALL ON FUNCTION minqing.resident_role_derive() FROM PUBLIC;

-- The row lock on the contact's party_member or villager_representative row
-- can be taken only by those who may change it (UPDATE grant and policy):
-- an advisory lock was open to every login.
CREATE OR REPLACE FUNCTION minqing.household_link_derive() RETURNS trigger
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
	-- Serialise concurrent links to one contact so the limit holds.
	IF NEW.contact_kind = 'party_member' THEN
		SELECT path INTO c_path FROM minqing.party_member
		 WHERE resident_id = NEW.contact_resident_id FOR NO KEY UPDATE;
	ELSE
		SELECT path INTO c_path FROM minqing.villager_representative
		 WHERE resident_id = NEW.contact_resident_id FOR NO KEY UPDATE;
	END IF;
	IF c_path IS NULL THEN
		RAISE EXCEPTION 'resident % is not a %', NEW.contact_resident_id, NEW.contact_kind
			USING ERRCODE = 'check_violation';
	END IF;
	IF c_path <> h.path THEN
		RAISE EXCEPTION 'a contact looks after households of their own village'
			USING ERRCODE = 'check_violation';
	END IF;
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
REVOKE ALL ON FUNCTION minqing.household_link_derive() FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.my_scope() RETURNS ext.ltree
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN coalesce(
		(SELECT u.path FROM minqing.staff s JOIN minqing.org_unit u ON u.unit_id = s.unit_id
		  WHERE s.login = session_user AND s.active AND s.duty <> 'kiosk'),
		CASE WHEN pg_has_role(session_user, 'mq_system', 'MEMBER') THEN ''::ext.ltree END);
END
$$;
COMMENT ON FUNCTION minqing.my_scope() IS
	'The organisation subtree the calling person may read; everything for system jobs (mq_system).';
GRANT EXECUTE ON FUNCTION minqing.my_scope() TO PUBLIC;

-- The subtree the caller may change: officers, handlers and administrators.
CREATE OR REPLACE FUNCTION minqing.my_write_scope() RETURNS ext.ltree
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN (SELECT u.path FROM minqing.staff s JOIN minqing.org_unit u ON u.unit_id = s.unit_id
	         WHERE s.login = session_user AND s.active AND s.duty IN ('officer', 'handler', 'admin'));
END
$$;
COMMENT ON FUNCTION minqing.my_write_scope() IS 'The organisation subtree the calling person may change.';
GRANT EXECUTE ON FUNCTION minqing.my_write_scope() TO PUBLIC, mq_role_manager;

CREATE OR REPLACE FUNCTION minqing.whoami()
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

-- RAISE LOG goes to the server log at once (log_min_messages is for
-- superusers only; a session cannot silence it) and stays there whatever
-- the caller's transaction does; the audit row is for supervisors to see
-- in the console, and is there when the caller commits.
CREATE OR REPLACE FUNCTION minqing.resident_id_card(p_resident_id bigint) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	r minqing.resident;
BEGIN
	-- FORCE RLS: only a resident inside the caller's scope is found.
	SELECT * INTO r FROM minqing.resident WHERE resident_id = p_resident_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'resident % not found', p_resident_id USING ERRCODE = 'no_data_found';
	END IF;
	RAISE LOG 'minqing audit: % read the ID number of resident % (district %, unit %)',
		session_user, r.resident_id, r.district_id, r.path;
	INSERT INTO minqing.audit_log (district_id, table_name, row_id, op, path, before, after)
	VALUES (r.district_id, 'resident', r.resident_id::text, 'UPDATE', r.path, NULL,
	        jsonb_build_object('read', 'id_card'));
	RETURN r.id_card;
END
$$;
COMMENT ON FUNCTION minqing.resident_id_card(bigint) IS
	'The full ID number of a resident in the caller''s jurisdiction; every read is audited.';
REVOKE ALL ON FUNCTION minqing.resident_id_card(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.resident_id_card(bigint) TO mq_handler, mq_admin;

-- Owned by mq_role_manager (docs/security.md): replaced by the superuser, which keeps the owner.
RESET ROLE;
-- Raises unless the login role p_login (if it exists) could be a staff
-- account: no powers beyond a staff member's, no membership but the duty
-- groups (a job's login is in mq_system). Runs as its caller, user_add()
-- and staff_for_change() (mq_role_manager).
CREATE OR REPLACE FUNCTION minqing.staff_role_check(p_login name) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	rl pg_catalog.pg_roles;
	other text;
BEGIN
	SELECT * INTO rl FROM pg_catalog.pg_roles a WHERE a.rolname = p_login;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF rl.rolsuper OR rl.rolcreaterole OR rl.rolcreatedb OR rl.rolbypassrls OR rl.rolreplication THEN
		RAISE EXCEPTION 'role % exists with privileges a staff account must not have', p_login
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT string_agg(g.rolname, ', ' ORDER BY g.rolname) INTO other
	  FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
	 WHERE m.member = rl.oid
	   AND g.rolname NOT IN ('mq_officer', 'mq_handler', 'mq_supervisor', 'mq_admin', 'mq_kiosk');
	IF other IS NOT NULL THEN
		RAISE EXCEPTION 'role % exists and belongs to % (a system or job account): it cannot become a staff account',
			p_login, other USING ERRCODE = 'insufficient_privilege',
			HINT = 'choose another login';
	END IF;
END
$$;
ALTER FUNCTION minqing.staff_role_check(name) OWNER TO mq_role_manager;
COMMENT ON FUNCTION minqing.staff_role_check(name) IS
	'Raises when the login role p_login exists with powers or memberships a staff account must not '
	'have (called by user_add and staff_for_change).';
REVOKE ALL ON FUNCTION minqing.staff_role_check(name) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.user_add(p_login name, p_display_name text, p_unit_code text,
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
		-- Roles are per cluster: another database of the cluster may have
		-- made this one a staff login already, or the DBA made it for peer
		-- authentication. Adopt nothing else: no powers beyond a staff
		-- member's, no membership but the duty groups (a job's login is in
		-- mq_system), no members, no password (it would be somebody's).
		PERFORM minqing.staff_role_check(p_login);
		IF EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = existing.oid) THEN
			RAISE EXCEPTION 'role % exists and has members: it cannot become a staff account', p_login
				USING ERRCODE = 'insufficient_privilege', HINT = 'choose another login';
		END IF;
		IF (SELECT a.rolpassword IS NOT NULL FROM pg_authid a WHERE a.oid = existing.oid) THEN
			RAISE EXCEPTION 'role % exists and has a password: it is somebody''s account already', p_login
				USING ERRCODE = 'insufficient_privilege',
				HINT = 'choose another login, or ask the database administrator';
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
	PERFORM minqing.login_defaults(p_login);

	INSERT INTO minqing.staff (login, display_name, unit_id, duty, position, phone)
	VALUES (p_login, p_display_name, u.unit_id, p_duty, p_position, p_phone)
	RETURNING staff_id INTO id;
	RETURN id;
END
$$;
ALTER FUNCTION minqing.user_add(name, text, text, minqing.duty, text, text, text) OWNER TO mq_role_manager;
COMMENT ON FUNCTION minqing.user_add(name, text, text, minqing.duty, text, text, text) IS
	'Create (or adopt) the login role, grant the duty''s group role and add the staff row, in one transaction. '
	'p_password may be a SCRAM verifier (the client hashes it) or NULL for peer/cert authentication.';
REVOKE ALL ON FUNCTION minqing.user_add(name, text, text, minqing.duty, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.user_add(name, text, text, minqing.duty, text, text, text) TO mq_admin;
SET LOCAL ROLE mq_owner;

-- Owned by mq_role_manager (docs/security.md): replaced by the superuser, which keeps the owner.
RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.user_disable(p_login name) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	-- The checks and the change are staff_set_active()'s (63_registers.sql).
	PERFORM minqing.staff_set_active(p_login, false);
END
$$;
ALTER FUNCTION minqing.user_disable(name) OWNER TO mq_role_manager;
COMMENT ON FUNCTION minqing.user_disable(name) IS
	'Disable an account (staff row inactive, login role NOLOGIN), by an administrator within their '
	'jurisdiction or the DBA; not one''s own.';
REVOKE ALL ON FUNCTION minqing.user_disable(name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.user_disable(name) TO mq_admin;
SET LOCAL ROLE mq_owner;

CREATE OR REPLACE VIEW minqing.integrity_report WITH (security_invoker = true) AS
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
