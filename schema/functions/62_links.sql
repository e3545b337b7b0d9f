-- schema/functions/62_links.sql: party-member links (党员联户) kept up: a
-- party member or villager representative takes on a household, gives it
-- up, or hands it to another contact (forms/link_add.form, link_remove.form,
-- link_move.form). The lists are in 55_lists.sql (contact_links,
-- unlinked_households, contact_households).
--
-- The rules of the table stay where they are (schema/001_spine.sql and the
-- trigger household_link_derive() in 10_spine.sql: a contact of the
-- household's own village, at most 10 households a contact, one party member
-- a household); these functions check the caller's duty and jurisdiction
-- first and say plainly what is wrong before the table would. Every change
-- is in the audit trail through the table's audit trigger (a move is a
-- DELETE and an INSERT of one transaction).
--
-- The current definition of these functions, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` whenever the
-- function files change (docs/development.md, "Functions, views and grants").

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- The household p_household, locked, for the caller s (officer, handler or
-- admin of its village or above); one outside the jurisdiction is "not
-- found", as elsewhere.
CREATE OR REPLACE FUNCTION minqing.link_household(s minqing.staff, p_household bigint)
RETURNS minqing.household
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	h minqing.household;
BEGIN
	IF p_household IS NULL THEN
		PERFORM minqing.require_text(NULL, 'household');
	END IF;
	SELECT * INTO h FROM minqing.household x WHERE x.household_id = p_household FOR NO KEY UPDATE;
	IF NOT FOUND OR NOT minqing.staff_covers(s, h.path) THEN
		RAISE EXCEPTION 'household % not found', p_household
			USING ERRCODE = 'no_data_found', COLUMN = 'household';
	END IF;
	RETURN h;
END
$$;
COMMENT ON FUNCTION minqing.link_household(minqing.staff, bigint) IS
	'The household of a link change, locked, when it lies in the caller''s jurisdiction; for the link functions.';
REVOKE ALL ON FUNCTION minqing.link_household(minqing.staff, bigint) FROM PUBLIC;

-- What the resident p_contact may be to the household h: 'party_member'
-- when they are a party member (a person who is both looks after
-- households as a party member), else 'representative'; refused when they
-- are neither, of another village, or outside the jurisdiction (p_column
-- names the form's field).
CREATE OR REPLACE FUNCTION minqing.link_contact_kind(s minqing.staff, h minqing.household, p_contact bigint,
                                                     p_column text)
RETURNS minqing.contact_kind
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	r minqing.resident;
BEGIN
	IF p_contact IS NULL THEN
		PERFORM minqing.require_text(NULL, p_column);
	END IF;
	SELECT * INTO r FROM minqing.resident x WHERE x.resident_id = p_contact;
	IF NOT FOUND OR NOT minqing.staff_covers(s, r.path) OR NOT r.active THEN
		RAISE EXCEPTION 'resident % not found', p_contact
			USING ERRCODE = 'no_data_found', COLUMN = p_column;
	END IF;
	IF r.path <> h.path THEN
		RAISE EXCEPTION 'a contact looks after households of their own village'
			USING ERRCODE = 'check_violation', COLUMN = p_column;
	END IF;
	IF EXISTS (SELECT 1 FROM minqing.party_member p WHERE p.resident_id = p_contact) THEN
		RETURN 'party_member';
	ELSIF EXISTS (SELECT 1 FROM minqing.villager_representative v WHERE v.resident_id = p_contact) THEN
		RETURN 'representative';
	END IF;
	RAISE EXCEPTION '% is neither a party member nor a villager representative', r.name
		USING ERRCODE = 'check_violation', COLUMN = p_column;
END
$$;
COMMENT ON FUNCTION minqing.link_contact_kind(minqing.staff, minqing.household, bigint, text) IS
	'Whether a resident may look after a household (a party member or villager representative of its '
	'village, in the caller''s jurisdiction), and as what; for the link functions.';
REVOKE ALL ON FUNCTION minqing.link_contact_kind(minqing.staff, minqing.household, bigint, text) FROM PUBLIC;

-- Link h to p_contact: refused when the link exists, when a party member is
-- given a household another party member looks after, or (the table's
-- trigger, which locks the contact's register row) an eleventh household.
CREATE OR REPLACE FUNCTION minqing.link_insert(s minqing.staff, h minqing.household, p_contact bigint,
                                               p_column text)
RETURNS void
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	k minqing.contact_kind := minqing.link_contact_kind(s, h, p_contact, p_column);
	other text;
BEGIN
	IF EXISTS (SELECT 1 FROM minqing.household_link l
	            WHERE l.household_id = h.household_id AND l.contact_resident_id = p_contact) THEN
		RAISE EXCEPTION 'household % is already looked after by this contact', h.household_no
			USING ERRCODE = 'unique_violation', COLUMN = p_column;
	END IF;
	IF k = 'party_member' THEN
		SELECT r.name INTO other FROM minqing.household_link l
		  JOIN minqing.resident r ON r.resident_id = l.contact_resident_id
		 WHERE l.household_id = h.household_id AND l.contact_kind = 'party_member';
		IF FOUND THEN
			RAISE EXCEPTION 'household % already has a party member as its contact: %', h.household_no, other
				USING ERRCODE = 'unique_violation', COLUMN = p_column;
		END IF;
	END IF;
	INSERT INTO minqing.household_link (household_id, contact_resident_id, contact_kind)
	VALUES (h.household_id, p_contact, k);
END
$$;
COMMENT ON FUNCTION minqing.link_insert(minqing.staff, minqing.household, bigint, text) IS
	'Inserts a checked link of a household to a contact; for household_link_add and household_link_move.';
REVOKE ALL ON FUNCTION minqing.link_insert(minqing.staff, minqing.household, bigint, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.household_link_add(p_household bigint, p_contact bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{officer,handler,admin}');
BEGIN
	PERFORM minqing.link_insert(s, minqing.link_household(s, p_household), p_contact, 'contact');
END
$$;
COMMENT ON FUNCTION minqing.household_link_add(bigint, bigint) IS
	'党员联户: the party member or villager representative p_contact (a resident of the household''s '
	'village) takes on the household p_household. Refused: outside the caller''s jurisdiction (officer, '
	'handler or administrator of the village or above), neither a party member nor a representative, '
	'another village, a second party member for the household, an eleventh household. Audited.';
REVOKE ALL ON FUNCTION minqing.household_link_add(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.household_link_add(bigint, bigint) TO mq_officer, mq_handler, mq_admin;

-- Removes the link of h to p_contact; refused when there is none.
CREATE OR REPLACE FUNCTION minqing.link_delete(h minqing.household, p_contact bigint, p_column text)
RETURNS void
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF p_contact IS NULL THEN
		PERFORM minqing.require_text(NULL, p_column);
	END IF;
	DELETE FROM minqing.household_link l
	 WHERE l.household_id = h.household_id AND l.contact_resident_id = p_contact;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'household % is not looked after by this contact', h.household_no
			USING ERRCODE = 'no_data_found', COLUMN = p_column;
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.link_delete(minqing.household, bigint, text) IS
	'Deletes the link of a household to a contact, refused when there is none; for the link functions.';
REVOKE ALL ON FUNCTION minqing.link_delete(minqing.household, bigint, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.household_link_remove(p_household bigint, p_contact bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{officer,handler,admin}');
BEGIN
	PERFORM minqing.link_delete(minqing.link_household(s, p_household), p_contact, 'contact');
END
$$;
COMMENT ON FUNCTION minqing.household_link_remove(bigint, bigint) IS
	'党员联户: the contact p_contact no longer looks after the household p_household. Officers, handlers '
	'and administrators of the village or above. Audited.';
REVOKE ALL ON FUNCTION minqing.household_link_remove(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.household_link_remove(bigint, bigint) TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.household_link_move(p_household bigint, p_from_contact bigint,
                                                       p_to_contact bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{officer,handler,admin}');
	h minqing.household := minqing.link_household(s, p_household);
BEGIN
	IF p_from_contact = p_to_contact THEN
		RAISE EXCEPTION 'household % is already looked after by this contact', h.household_no
			USING ERRCODE = 'unique_violation', COLUMN = 'to_contact';
	END IF;
	-- One statement's worth of work in one transaction: when the new link is
	-- refused (an eleventh household, not a contact) the old one stays.
	PERFORM minqing.link_delete(h, p_from_contact, 'from_contact');
	PERFORM minqing.link_insert(s, h, p_to_contact, 'to_contact');
END
$$;
COMMENT ON FUNCTION minqing.household_link_move(bigint, bigint, bigint) IS
	'党员联户: the household p_household passes from the contact p_from_contact to p_to_contact, at once: '
	'when the new link is refused (the rules of household_link_add) the old one stays. Audited (a DELETE '
	'and an INSERT of one transaction).';
REVOKE ALL ON FUNCTION minqing.household_link_move(bigint, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.household_link_move(bigint, bigint, bigint)
	TO mq_officer, mq_handler, mq_admin;

RESET ROLE;
