-- schema/functions/67_cards_pairings.sql: service cards (便民服务卡) and
-- pairings (结对共建) with resident cadres (驻村干部): issuing, reissuing and
-- voiding a card, the printable card, the lists of cards and of households
-- without one; creating pairings and cadres, logging a pairing's activities
-- against the five help items (五帮五促) and a cadre's contacts, the lists of
-- villages without a pairing and of cadres without a recent contact.
-- docs/cards-pairings.md has the model; the tables are the cards and
-- pairings migration's.
--
-- The writers are definers by the rules of docs/development.md: the caller
-- from case_caller() (duty), the household or unit inside the caller's
-- subtree (staff_covers), the row locked, row_version checked (40001). The
-- readers run as the caller under row-level security, except
-- households_without_card, which reads household_search as the memo lists do.
--
-- The current definition of these functions, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` whenever the
-- function files change (docs/development.md).

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Display width: a Chinese (wide) character takes two columns
------------------------------------------------------------------------------
-- The columns a text takes on a terminal or a printed page (the East Asian
-- wide and fullwidth ranges count two, as mq_wcwidth in src/common/width.c).
CREATE OR REPLACE FUNCTION minqing.text_width(p_text text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN char_length(p_text)
       + char_length(regexp_replace(p_text, '[^\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF'
                                            '\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF'
                                            '\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]', '', 'g'));
COMMENT ON FUNCTION minqing.text_width(text) IS
	'The display columns of a text: a Chinese (East Asian wide or fullwidth) character counts two.';
REVOKE ALL ON FUNCTION minqing.text_width(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.text_width(text) TO mq_staff;

-- A text cut to at most p_width columns, whole characters only, with "…"
-- when cut; then padded with blanks to exactly p_width columns.
CREATE OR REPLACE FUNCTION minqing.text_fit(p_text text, p_width integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	t text := coalesce(p_text, '');
	w integer := minqing.text_width(t);
	acc text := '';
	ow integer := 0;
	ch text;
	cw integer;
BEGIN
	IF w > p_width THEN
		FOREACH ch IN ARRAY regexp_split_to_array(t, '') LOOP
			cw := minqing.text_width(ch);
			EXIT WHEN ow + cw > p_width - 1;
			acc := acc || ch;
			ow := ow + cw;
		END LOOP;
		t := acc || '…';
		w := ow + 1;
	END IF;
	RETURN t || repeat(' ', greatest(p_width - w, 0));
END
$$;
COMMENT ON FUNCTION minqing.text_fit(text, integer) IS
	'A text in exactly p_width display columns: cut at a whole character with "…" when longer, padded '
	'with blanks when shorter (the printed service card''s lines).';
REVOKE ALL ON FUNCTION minqing.text_fit(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.text_fit(text, integer) TO mq_staff;

------------------------------------------------------------------------------
-- Who an account is, by name (the lists show who issued or recorded a row)
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.login_display_name(p_login name) RETURNS text
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp
RETURN coalesce((SELECT st.display_name FROM minqing.staff st WHERE st.login = p_login), p_login::text);
COMMENT ON FUNCTION minqing.login_display_name(name) IS
	'The display name of a staff account by its login (the login itself when it is not staff): who issued '
	'a card or recorded an activity or contact.';
REVOKE ALL ON FUNCTION minqing.login_display_name(name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.login_display_name(name) TO mq_staff;

------------------------------------------------------------------------------
-- Service cards: what is printed on a new card by default
------------------------------------------------------------------------------
-- The contacts of a household's card by default: its linked party member
-- (household_link), the village's information officer (or else its
-- handler) and the village station's phone (or else the unit's). Runs
-- inside the definers below and the list of households without a card.
CREATE OR REPLACE FUNCTION minqing.card_defaults(p_household bigint,
	OUT member_name text, OUT member_phone text, OUT officer_name text, OUT officer_phone text,
	OUT station_phone text)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT (SELECT r.name FROM minqing.household_link l JOIN minqing.resident r ON r.resident_id = l.contact_resident_id
	         WHERE l.household_id = h.household_id AND l.contact_kind = 'party_member'),
	       (SELECT r.phone FROM minqing.household_link l JOIN minqing.resident r ON r.resident_id = l.contact_resident_id
	         WHERE l.household_id = h.household_id AND l.contact_kind = 'party_member'),
	       o.display_name, o.phone,
	       coalesce((SELECT st.responsible_phone FROM minqing.station st
	                  WHERE st.unit_id = h.unit_id AND st.active AND st.responsible_phone IS NOT NULL
	                  ORDER BY st.station_id LIMIT 1),
	                (SELECT u.phone FROM minqing.org_unit u WHERE u.unit_id = h.unit_id))
	  FROM minqing.household h
	  LEFT JOIN LATERAL (SELECT s.display_name, s.phone FROM minqing.staff s
	                      WHERE s.unit_id = h.unit_id AND s.active AND s.duty IN ('officer', 'handler')
	                      ORDER BY s.duty, s.staff_id LIMIT 1) o ON true
	 WHERE h.household_id = p_household
$$;
COMMENT ON FUNCTION minqing.card_defaults(bigint) IS
	'What a new service card of a household prints by default: the linked party member and phone, the '
	'village''s information officer (else handler) and phone, the station''s phone.';
REVOKE ALL ON FUNCTION minqing.card_defaults(bigint) FROM PUBLIC;

-- Inserts a live card of household h numbered after the unit's last one
-- (the unit's row locked: two officers of a village issue one after the
-- other); the contacts given, or else the defaults.
CREATE OR REPLACE FUNCTION minqing.card_insert(h minqing.household, p_member_name text, p_member_phone text,
                                               p_officer_name text, p_officer_phone text,
                                               p_station_phone text, p_issued_on date)
RETURNS minqing.service_card
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit;
	d record;
	n integer;
	c minqing.service_card;
BEGIN
	IF p_issued_on > current_date THEN
		RAISE EXCEPTION 'a card cannot be issued on a day still to come'
			USING ERRCODE = 'check_violation', COLUMN = 'issued_on';
	END IF;
	SELECT * INTO d FROM minqing.card_defaults(h.household_id);
	SELECT * INTO u FROM minqing.org_unit x WHERE x.unit_id = h.unit_id FOR NO KEY UPDATE;
	SELECT coalesce(max(k.seq), 0) + 1 INTO n FROM minqing.service_card k WHERE k.unit_id = h.unit_id;
	INSERT INTO minqing.service_card (district_id, household_id, unit_id, path, seq, card_no, member_name,
	                                  member_phone, officer_name, officer_phone, station_phone, issued_on)
	VALUES (h.district_id, h.household_id, h.unit_id, h.path, n, u.code || '-' || lpad(n::text, 4, '0'),
	        coalesce(nullif(btrim(p_member_name), ''), d.member_name),
	        coalesce(nullif(btrim(p_member_phone), ''), d.member_phone),
	        coalesce(nullif(btrim(p_officer_name), ''), d.officer_name),
	        coalesce(nullif(btrim(p_officer_phone), ''), d.officer_phone),
	        coalesce(nullif(btrim(p_station_phone), ''), d.station_phone),
	        coalesce(p_issued_on, current_date))
	RETURNING * INTO c;
	RETURN c;
END
$$;
COMMENT ON FUNCTION minqing.card_insert(minqing.household, text, text, text, text, text, date) IS
	'Inserts a household''s next service card (number: unit code, dash, sequence); for card_issue and '
	'card_reissue.';
REVOKE ALL ON FUNCTION minqing.card_insert(minqing.household, text, text, text, text, text, date) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.card_issue(p_household bigint, p_member_name text DEFAULT NULL,
                                              p_member_phone text DEFAULT NULL, p_officer_name text DEFAULT NULL,
                                              p_officer_phone text DEFAULT NULL,
                                              p_station_phone text DEFAULT NULL, p_issued_on date DEFAULT NULL)
RETURNS TABLE (card_id bigint, card_no text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{officer,handler,admin}');
	h minqing.household := minqing.link_household(s, p_household);
	old text;
	c minqing.service_card;
BEGIN
	IF NOT h.active THEN
		RAISE EXCEPTION 'household % not found', p_household USING ERRCODE = 'no_data_found', COLUMN = 'household';
	END IF;
	SELECT k.card_no INTO old FROM minqing.service_card k WHERE k.household_id = h.household_id AND k.voided_at IS NULL;
	IF FOUND THEN
		RAISE EXCEPTION 'household % already has a live service card: %', h.household_no, old
			USING ERRCODE = 'unique_violation', COLUMN = 'household',
			      HINT = 'a lost card is reissued, which voids the old number';
	END IF;
	c := minqing.card_insert(h, p_member_name, p_member_phone, p_officer_name, p_officer_phone, p_station_phone,
	                         p_issued_on);
	RETURN QUERY SELECT c.card_id, c.card_no;
END
$$;
COMMENT ON FUNCTION minqing.card_issue(bigint, text, text, text, text, text, date) IS
	'便民服务卡: issues a service card to the household p_household (officer, handler or administrator of '
	'its village or above): the next number of the village (T01V01-0001), the contacts printed on it (the '
	'linked party member, the village''s officer and the station''s phone unless given), issued by the '
	'caller, on p_issued_on (default today; not a future day). Refused when the household has a live card. '
	'Audited.';
REVOKE ALL ON FUNCTION minqing.card_issue(bigint, text, text, text, text, text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.card_issue(bigint, text, text, text, text, text, date)
	TO mq_officer, mq_handler, mq_admin;

-- The live card p_card, locked, for the caller s; its version checked.
CREATE OR REPLACE FUNCTION minqing.card_live(s minqing.staff, p_card bigint, p_row_version integer)
RETURNS minqing.service_card
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	c minqing.service_card;
BEGIN
	SELECT * INTO c FROM minqing.service_card k WHERE k.card_id = p_card FOR UPDATE;
	IF NOT FOUND OR NOT minqing.staff_covers(s, c.path) THEN
		RAISE EXCEPTION 'service card % not found', p_card USING ERRCODE = 'no_data_found', COLUMN = 'card';
	END IF;
	IF c.voided_at IS NOT NULL THEN
		RAISE EXCEPTION 'service card % is void already', c.card_no
			USING ERRCODE = 'invalid_transaction_state', COLUMN = 'card';
	END IF;
	IF p_row_version IS NOT NULL AND p_row_version <> c.row_version THEN
		RAISE EXCEPTION 'service card % was changed by someone else since you opened it', c.card_no
			USING ERRCODE = 'serialization_failure', HINT = 'reload the card and try again';
	END IF;
	RETURN c;
END
$$;
COMMENT ON FUNCTION minqing.card_live(minqing.staff, bigint, integer) IS
	'The live service card of a void or reissue, locked, in the caller''s jurisdiction, at the version read.';
REVOKE ALL ON FUNCTION minqing.card_live(minqing.staff, bigint, integer) FROM PUBLIC;

-- Marks the live card c void with the reason (required), now, by the caller.
CREATE OR REPLACE FUNCTION minqing.card_mark_void(c minqing.service_card, p_reason text) RETURNS void
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	PERFORM minqing.require_text(p_reason, 'reason');
	UPDATE minqing.service_card k SET voided_at = now(), voided_by = session_user, void_reason = btrim(p_reason)
	 WHERE k.card_id = c.card_id;
END
$$;
COMMENT ON FUNCTION minqing.card_mark_void(minqing.service_card, text) IS
	'Marks a live service card void with the reason, now, by the caller; for card_void and card_reissue.';
REVOKE ALL ON FUNCTION minqing.card_mark_void(minqing.service_card, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.card_void(p_card bigint, p_reason text, p_row_version integer DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{officer,handler,admin}');
	c minqing.service_card := minqing.card_live(s, p_card, p_row_version);
BEGIN
	PERFORM minqing.card_mark_void(c, p_reason);
END
$$;
COMMENT ON FUNCTION minqing.card_void(bigint, text, integer) IS
	'便民服务卡作废: the live card p_card becomes void (kept, with the reason, when and by whom) without a '
	'new one: the household is listed without a card again. Officers, handlers, administrators of its '
	'village or above; p_row_version as read (40001 when changed since). Audited.';
REVOKE ALL ON FUNCTION minqing.card_void(bigint, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.card_void(bigint, text, integer) TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.card_reissue(p_card bigint, p_reason text, p_row_version integer DEFAULT NULL)
RETURNS TABLE (card_id bigint, card_no text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{officer,handler,admin}');
	c minqing.service_card := minqing.card_live(s, p_card, p_row_version);
	h minqing.household := minqing.link_household(s, c.household_id);
	n minqing.service_card;
BEGIN
	PERFORM minqing.card_mark_void(c, p_reason);
	n := minqing.card_insert(h, c.member_name, c.member_phone, c.officer_name, c.officer_phone, c.station_phone,
	                         current_date);
	UPDATE minqing.service_card k SET replaced_by = n.card_id WHERE k.card_id = c.card_id;
	RETURN QUERY SELECT n.card_id, n.card_no;
END
$$;
COMMENT ON FUNCTION minqing.card_reissue(bigint, text, integer) IS
	'便民服务卡补办: the live card p_card (lost, damaged) becomes void with the reason, and the household '
	'gets a new card with a new number and the same contacts, issued today by the caller; the old card '
	'keeps its number and points to the new one. Officers, handlers, administrators of its village or '
	'above; p_row_version as read (40001 when changed since). Audited.';
REVOKE ALL ON FUNCTION minqing.card_reissue(bigint, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.card_reissue(bigint, text, integer) TO mq_officer, mq_handler, mq_admin;

------------------------------------------------------------------------------
-- Service cards: the lists and the printed card
------------------------------------------------------------------------------
-- The cards of the caller's jurisdiction (or of unit p_unit), newest first;
-- p_status: 'live' (default), 'void' or 'all'.
CREATE OR REPLACE FUNCTION minqing.service_cards(p_unit text DEFAULT NULL, p_status text DEFAULT 'live',
                                                 p_after_on date DEFAULT NULL, p_after_id bigint DEFAULT NULL,
                                                 p_limit integer DEFAULT 50)
RETURNS TABLE (card_id bigint, card_no text, household_id bigint, household_no text, head_name text,
               unit_name text, member_name text, officer_name text, issued_on date, issued_by_name text,
               status text, voided_at timestamptz, void_reason text, row_version integer)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp SET enable_bitmapscan = off SET enable_sort = off
SET jit = off AS $$
DECLARE
	-- The page of cards first, then what the page shows of each: a unit's
	-- (p_unit, or the caller's when no unit is below it) by
	-- service_card_unit_issued, the others by service_card_issued, read
	-- backwards and stopped after a page; planned with the values. No sort
	-- but the page's: guessing that the policy keeps one card in a hundred,
	-- the planner read all 36,000 cards and sorted a village's 2,500.
	unit integer := CASE WHEN coalesce(p_unit, '') <> ''
	                     THEN (SELECT x.unit_id FROM minqing.org_unit x WHERE x.code = p_unit)
	                     ELSE minqing.my_leaf_unit() END;
BEGIN
	IF coalesce(p_unit, '') <> '' AND unit IS NULL THEN
		RETURN;
	END IF;
	RETURN QUERY EXECUTE
		'SELECT c.card_id, c.card_no, h.household_id, h.household_no, coalesce(r.name, ''''), u.name,'
		'       c.member_name, c.officer_name, c.issued_on, minqing.login_display_name(c.issued_by),'
		'       CASE WHEN c.voided_at IS NULL THEN ''live'' ELSE ''void'' END, c.voided_at, c.void_reason,'
		'       c.row_version'
		'  FROM (SELECT k.* FROM minqing.service_card k WHERE true'
		|| CASE WHEN unit IS NOT NULL THEN ' AND k.unit_id = $1' ELSE '' END
		|| CASE coalesce(p_status, 'live') WHEN 'live' THEN ' AND k.voided_at IS NULL'
		                                   WHEN 'void' THEN ' AND k.voided_at IS NOT NULL' ELSE '' END
		|| CASE WHEN p_after_on IS NOT NULL THEN ' AND (k.issued_on, k.card_id) < ($2, $3)' ELSE '' END ||
		'         ORDER BY k.issued_on DESC, k.card_id DESC LIMIT $4) c'
		'  JOIN minqing.household h ON h.household_id = c.household_id'
		'  JOIN minqing.org_unit u ON u.unit_id = c.unit_id'
		'  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id'
		' ORDER BY c.issued_on DESC, c.card_id DESC'
		USING unit, p_after_on, p_after_id, least(greatest(coalesce(p_limit, 50), 1), 500);
END
$$;
COMMENT ON FUNCTION minqing.service_cards(text, text, date, bigint, integer) IS
	'The service cards of the caller''s jurisdiction (or of unit p_unit), newest first: live (default), '
	'void or all; the next page: p_after_on, p_after_id = issued_on, card_id of the last row.';
REVOKE ALL ON FUNCTION minqing.service_cards(text, text, date, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.service_cards(text, text, date, bigint, integer) TO mq_staff;

-- The households without a live card, by village and number, with what a
-- new card would print (the issue form starts from it).
CREATE OR REPLACE FUNCTION minqing.households_without_card(p_unit text DEFAULT NULL, p_after_key text DEFAULT NULL,
                                                           p_after_id bigint DEFAULT NULL,
                                                           p_limit integer DEFAULT 50)
RETURNS TABLE (household_id bigint, household_no text, unit_name text, head_name text, address text,
               member_name text, member_phone text, officer_name text, officer_phone text, station_phone text,
               voided integer, sort_key text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	scope ext.ltree;
	lo text;
	hi text;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	scope := minqing.memo_scope(s, p_unit);
	SELECT r.lo, r.hi INTO lo, hi FROM minqing.household_key_range(scope) r;
	RETURN QUERY
	SELECT h.household_id, h.household_no, u.name, x.head_name, h.address, d.member_name, d.member_phone,
	       d.officer_name, d.officer_phone, d.station_phone,
	       (SELECT count(*) FROM minqing.service_card k WHERE k.household_id = h.household_id)::integer, x.sort_key
	  FROM (SELECT y.household_id, y.sort_key, y.head_name FROM minqing.household_search y
	         WHERE y.sort_key >= lo COLLATE "C" AND y.sort_key < hi COLLATE "C"
	           AND (y.sort_key, y.household_id) > (coalesce(p_after_key, '') COLLATE "C", coalesce(p_after_id, -1))
	           AND NOT EXISTS (SELECT 1 FROM minqing.service_card k
	                            WHERE k.household_id = y.household_id AND k.voided_at IS NULL)
	         ORDER BY y.sort_key, y.household_id
	         LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)) x
	  JOIN minqing.household h ON h.household_id = x.household_id
	  JOIN minqing.org_unit u ON u.unit_id = h.unit_id
	 CROSS JOIN LATERAL minqing.card_defaults(h.household_id) d
	 ORDER BY x.sort_key, x.household_id;
END
$$;
COMMENT ON FUNCTION minqing.households_without_card(text, text, bigint, integer) IS
	'The households without a live service card (未发便民服务卡) of the caller''s jurisdiction or of unit '
	'p_unit in it, by village and number, with the contacts a new card would print and how many void '
	'cards the household had; the next page: p_after_key, p_after_id = sort_key, household_id of the last row.';
REVOKE ALL ON FUNCTION minqing.households_without_card(text, text, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.households_without_card(text, text, bigint, integer) TO mq_staff;

-- One card as a record (the console's service_card.view).
CREATE OR REPLACE FUNCTION minqing.service_card(p_card bigint)
RETURNS TABLE (card_id bigint, title text, card_no text, status text, household_id bigint, household_no text,
               head_name text, address text, unit_name text, issued_on date, issued_by_name text,
               voided_at timestamptz, void_reason text, replaced_by_no text, replaces_no text, row_version integer)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT c.card_id, '便民服务卡 ' || c.card_no, c.card_no, CASE WHEN c.voided_at IS NULL THEN 'live' ELSE 'void' END,
	       h.household_id, h.household_no, coalesce(r.name, ''), h.address, u.name, c.issued_on,
	       minqing.login_display_name(c.issued_by),
	       c.voided_at, c.void_reason,
	       (SELECT n.card_no FROM minqing.service_card n WHERE n.card_id = c.replaced_by),
	       (SELECT o.card_no FROM minqing.service_card o WHERE o.replaced_by = c.card_id),
	       c.row_version
	  FROM minqing.service_card c
	  JOIN minqing.household h ON h.household_id = c.household_id
	  JOIN minqing.org_unit u ON u.unit_id = c.unit_id
	  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	 WHERE c.card_id = p_card
$$;
COMMENT ON FUNCTION minqing.service_card(bigint) IS
	'A service card of the caller''s jurisdiction: its number, live or void (when, why, the number that '
	'replaced it), the household, who issued it and when, row_version (for card_void and card_reissue).';
REVOKE ALL ON FUNCTION minqing.service_card(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.service_card(bigint) TO mq_staff;

-- The printed card: lines of exactly 72 display columns, framed (an 80
-- column page or screen with room to spare; a Chinese character is never
-- cut). p_en: the English labels.
CREATE OR REPLACE FUNCTION minqing.service_card_print(p_card bigint, p_en boolean DEFAULT false)
RETURNS TABLE (line_no integer, line text)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	WITH c AS (SELECT k.*, h.household_no, h.address, coalesce(r.name, '') AS head_name, u.name AS unit_name,
	                  d.name AS district_name,
	                  minqing.login_display_name(k.issued_by) AS issuer
	             FROM minqing.service_card k
	             JOIN minqing.household h ON h.household_id = k.household_id
	             JOIN minqing.org_unit u ON u.unit_id = k.unit_id
	             JOIN minqing.district d ON d.district_id = k.district_id
	             LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	            WHERE k.card_id = p_card),
	     body (n, kind, text) AS (
		SELECT 1, 'top', NULL::text FROM c
		UNION ALL
		SELECT 2, 'centre', CASE WHEN p_en THEN c.district_name || ' e-Station · Service card'
		                         ELSE c.district_name || '民情e站 · 便民服务卡' END FROM c
		UNION ALL
		SELECT 3, 'centre', CASE WHEN p_en THEN 'Come to the e-station with any matter or difficulty'
		                         ELSE '有事找e站  有难找e站' END FROM c
		UNION ALL
		SELECT 4, 'rule', NULL FROM c
		UNION ALL
		SELECT 5, 'text', minqing.text_fit(CASE WHEN p_en THEN 'Card no.  ' ELSE '卡号：' END || c.card_no, 34)
		                  || CASE WHEN p_en THEN 'Issued ' ELSE '发卡日期：' END || c.issued_on FROM c
		UNION ALL
		SELECT 6, 'text', minqing.text_fit(CASE WHEN p_en THEN 'Household ' ELSE '户号：' END || c.household_no, 34)
		                  || CASE WHEN p_en THEN 'Head ' ELSE '户主：' END || c.head_name FROM c
		UNION ALL
		SELECT 7, 'text', CASE WHEN p_en THEN 'Address   ' ELSE '住址：' END || c.unit_name || ' ' || c.address FROM c
		UNION ALL
		SELECT 8, 'rule', NULL FROM c
		UNION ALL
		SELECT 9, 'text', minqing.text_fit(CASE WHEN p_en THEN 'Party member ' ELSE '联系党员：' END
		                                   || coalesce(c.member_name, '-'), 34)
		                  || CASE WHEN p_en THEN 'Phone ' ELSE '电话：' END || coalesce(c.member_phone, '-') FROM c
		UNION ALL
		SELECT 10, 'text', minqing.text_fit(CASE WHEN p_en THEN 'Village contact ' ELSE '村（社区）联系人：' END
		                                    || coalesce(c.officer_name, '-'), 34)
		                   || CASE WHEN p_en THEN 'Phone ' ELSE '电话：' END || coalesce(c.officer_phone, '-') FROM c
		UNION ALL
		SELECT 11, 'text', CASE WHEN p_en THEN 'E-station phone ' ELSE '民情e站电话：' END
		                   || coalesce(c.station_phone, '-') FROM c
		UNION ALL
		SELECT 12, 'rule', NULL FROM c
		UNION ALL
		SELECT 13, 'text', CASE WHEN p_en THEN 'Issued by ' ELSE '发卡人：' END || c.issuer || '（' || c.unit_name || '）'
		                   || CASE WHEN c.voided_at IS NOT NULL
		                           THEN CASE WHEN p_en THEN '  VOID' ELSE '  【已作废】' END ELSE '' END FROM c
		UNION ALL
		SELECT 14, 'bottom', NULL FROM c)
	SELECT b.n, CASE b.kind
	              WHEN 'top' THEN '┌' || repeat('─', 70) || '┐'
	              WHEN 'rule' THEN '├' || repeat('─', 70) || '┤'
	              WHEN 'bottom' THEN '└' || repeat('─', 70) || '┘'
	              WHEN 'centre' THEN '│' || repeat(' ', greatest((68 - minqing.text_width(b.text)) / 2, 0))
	                                 || minqing.text_fit(b.text, 68 - greatest((68 - minqing.text_width(b.text)) / 2, 0))
	                                 || '  │'
	              ELSE '│ ' || minqing.text_fit(b.text, 68) || ' │' END
	  FROM body b ORDER BY b.n
$$;
COMMENT ON FUNCTION minqing.service_card_print(bigint, boolean) IS
	'The printed service card (便民服务卡), line by line, each exactly 72 display columns (a Chinese '
	'character counts two and is never cut; a long address ends in "…"): a frame with the district''s '
	'e-station, the number and date, the household, the contacts and phones, who issued it; p_en: English.';
REVOKE ALL ON FUNCTION minqing.service_card_print(bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.service_card_print(bigint, boolean) TO mq_staff;

-- The printed card as the record's lines (service_card.view), and as one
-- text for printing from psql: `SELECT minqing.service_card_text(ID)`.
CREATE OR REPLACE FUNCTION minqing.service_card_lines(p_card bigint)
RETURNS TABLE (label_zh text, label_en text, value text, value_en text, depth integer)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT '', '', z.line, e.line, 0
	  FROM minqing.service_card_print(p_card, false) z
	  JOIN minqing.service_card_print(p_card, true) e ON e.line_no = z.line_no
	 ORDER BY z.line_no
$$;
COMMENT ON FUNCTION minqing.service_card_lines(bigint) IS
	'The printed service card as a record''s lines (no label; value in Chinese, value_en in English).';
REVOKE ALL ON FUNCTION minqing.service_card_lines(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.service_card_lines(bigint) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.service_card_text(p_card bigint, p_en boolean DEFAULT false) RETURNS text
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT string_agg(z.line, E'\n' ORDER BY z.line_no) || E'\n' FROM minqing.service_card_print(p_card, p_en) z
$$;
COMMENT ON FUNCTION minqing.service_card_text(bigint, boolean) IS
	'The printed service card as one text of 72-column lines, for a printer: '
	'psql -Atc "SELECT minqing.service_card_text(ID)" | lp.';
REVOKE ALL ON FUNCTION minqing.service_card_text(bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.service_card_text(bigint, boolean) TO mq_staff;

------------------------------------------------------------------------------
-- Pairings (结对共建)
------------------------------------------------------------------------------
-- The unit of code p_code for caller s, of one of the kinds p_kinds; p_column
-- names the form's field.
CREATE OR REPLACE FUNCTION minqing.pairing_unit(s minqing.staff, p_code text, p_kinds minqing.unit_kind[],
                                                p_column text)
RETURNS minqing.org_unit
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit;
BEGIN
	IF p_code IS NULL OR p_code = '' THEN
		PERFORM minqing.require_text(NULL, p_column);
	END IF;
	SELECT * INTO u FROM minqing.org_unit x WHERE x.code = p_code AND x.active;
	IF NOT FOUND OR NOT minqing.staff_covers(s, u.path) THEN
		RAISE EXCEPTION 'unit % not found', left(p_code, 50) USING ERRCODE = 'no_data_found', COLUMN = p_column;
	END IF;
	IF NOT u.kind = ANY (p_kinds) THEN
		RAISE EXCEPTION 'unit % (a %) cannot be used here', u.name, u.kind
			USING ERRCODE = 'check_violation', COLUMN = p_column;
	END IF;
	RETURN u;
END
$$;
COMMENT ON FUNCTION minqing.pairing_unit(minqing.staff, text, minqing.unit_kind[], text) IS
	'A unit of a pairing or a cadre by code, in the caller''s jurisdiction and of the kinds allowed.';
REVOKE ALL ON FUNCTION minqing.pairing_unit(minqing.staff, text, minqing.unit_kind[], text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.pairing_add(p_agency_code text, p_unit_code text, p_since date DEFAULT NULL,
                                               p_until date DEFAULT NULL, p_agency_contact text DEFAULT NULL,
                                               p_agency_phone text DEFAULT NULL, p_unit_contact text DEFAULT NULL,
                                               p_unit_phone text DEFAULT NULL, p_note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{admin}');
	a minqing.org_unit := minqing.pairing_unit(s, p_agency_code, '{agency,department}', 'agency');
	u minqing.org_unit := minqing.pairing_unit(s, p_unit_code, '{village,community,enterprise}', 'unit');
	id integer;
BEGIN
	IF p_until < coalesce(p_since, current_date) THEN
		RAISE EXCEPTION 'a pairing cannot end before it starts' USING ERRCODE = 'check_violation', COLUMN = 'until';
	END IF;
	IF EXISTS (SELECT 1 FROM minqing.pairing p
	            WHERE p.agency_unit_id = a.unit_id AND p.unit_id = u.unit_id
	              AND (p.until IS NULL OR p.until >= coalesce(p_since, current_date))) THEN
		RAISE EXCEPTION '% and % are paired already', a.name, u.name
			USING ERRCODE = 'unique_violation', COLUMN = 'unit';
	END IF;
	INSERT INTO minqing.pairing (district_id, agency_unit_id, agency_path, unit_id, path, since, until,
	                             agency_contact, agency_phone, unit_contact, unit_phone, note)
	VALUES (u.district_id, a.unit_id, a.path, u.unit_id, u.path, coalesce(p_since, current_date), p_until,
	        nullif(btrim(p_agency_contact), ''), nullif(btrim(p_agency_phone), ''),
	        nullif(btrim(p_unit_contact), ''), nullif(btrim(p_unit_phone), ''), nullif(btrim(p_note), ''))
	RETURNING pairing_id INTO id;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.pairing_add(text, text, date, date, text, text, text, text, text) IS
	'结对共建: pairs the agency or department p_agency_code with the village, community or enterprise '
	'p_unit_code from p_since (default today) until p_until, with a contact and phone on each side. '
	'Administrators whose jurisdiction holds both units (the district''s); refused when the two are paired '
	'already. Audited.';
REVOKE ALL ON FUNCTION minqing.pairing_add(text, text, date, date, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.pairing_add(text, text, date, date, text, text, text, text, text) TO mq_admin;

CREATE OR REPLACE FUNCTION minqing.pairing_activity_add(p_pairing integer, p_item text, p_content text,
                                                        p_done_on date DEFAULT NULL,
                                                        p_problems_solved integer DEFAULT 0,
                                                        p_case bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{officer,handler,admin}');
	p minqing.pairing;
	on_day date := coalesce(p_done_on, current_date);
	id bigint;
BEGIN
	SELECT * INTO p FROM minqing.pairing x WHERE x.pairing_id = p_pairing FOR SHARE;
	IF NOT FOUND OR NOT (minqing.staff_covers(s, p.path) OR minqing.staff_covers(s, p.agency_path)) THEN
		RAISE EXCEPTION 'pairing % not found', p_pairing USING ERRCODE = 'no_data_found', COLUMN = 'pairing';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM minqing.pairing_help_item i WHERE i.code = p_item) THEN
		RAISE EXCEPTION 'no help item %', left(p_item, 32) USING ERRCODE = 'invalid_parameter_value', COLUMN = 'item';
	END IF;
	PERFORM minqing.require_text(p_content, 'content');
	IF on_day > current_date OR on_day < p.since OR on_day > p.until THEN
		RAISE EXCEPTION 'the day % is outside the pairing (% to %) or still to come', on_day, p.since,
		                coalesce(p.until::text, '')
			USING ERRCODE = 'check_violation', COLUMN = 'done_on';
	END IF;
	IF p_case IS NOT NULL AND NOT EXISTS (SELECT 1 FROM minqing.cases c WHERE c.case_id = p_case) THEN
		RAISE EXCEPTION 'case % not found', p_case USING ERRCODE = 'no_data_found', COLUMN = 'case';
	END IF;
	INSERT INTO minqing.pairing_activity (pairing_id, district_id, agency_path, path, item, done_on, content,
	                                      problems_solved, case_id, by_agency)
	VALUES (p.pairing_id, p.district_id, p.agency_path, p.path, p_item, on_day, btrim(p_content),
	        coalesce(p_problems_solved, 0), p_case, NOT minqing.staff_covers(s, p.path))
	RETURNING activity_id INTO id;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.pairing_activity_add(integer, text, text, date, integer, bigint) IS
	'结对共建活动: logs what the pairing p_pairing did on p_done_on (default today; within the pairing, not '
	'a future day) under the help item p_item (五帮五促: ideas, team, rules, projects, hardship), how many '
	'problems it solved and optionally the case it produced or closed (one the caller can see). Officers, '
	'handlers and administrators of either side (by_agency: the agency''s side). Audited.';
REVOKE ALL ON FUNCTION minqing.pairing_activity_add(integer, text, text, date, integer, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.pairing_activity_add(integer, text, text, date, integer, bigint)
	TO mq_officer, mq_handler, mq_admin;

-- The help items in the person's language.
CREATE OR REPLACE FUNCTION minqing.pairing_item_label(p_item text, p_en boolean) RETURNS text
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp
RETURN (SELECT CASE WHEN p_en THEN i.label_en ELSE i.label_zh END FROM minqing.pairing_help_item i
         WHERE i.code = p_item);
COMMENT ON FUNCTION minqing.pairing_item_label(text, boolean) IS
	'A help item of the pairings (五帮五促) by its code, in Chinese or English.';
REVOKE ALL ON FUNCTION minqing.pairing_item_label(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.pairing_item_label(text, boolean) TO mq_staff;

-- The pairings the caller can see (either side in the jurisdiction), by
-- agency then partner; p_filter: 'current' (default) or 'all'.
CREATE OR REPLACE FUNCTION minqing.pairings(p_filter text DEFAULT 'current', p_after_key text DEFAULT NULL,
                                            p_after_id integer DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (pairing_id integer, agency_name text, unit_name text, unit_kind text, since date, until date,
               agency_contact text, agency_phone text, unit_contact text, unit_phone text, activities integer,
               last_done date, problems_solved integer, sort_key text, row_version integer)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT p.pairing_id, a.name, u.name, u.kind::text, p.since, p.until, coalesce(p.agency_contact, ''),
	       coalesce(p.agency_phone, ''), coalesce(p.unit_contact, ''), coalesce(p.unit_phone, ''),
	       coalesce(x.n, 0), x.last_done, coalesce(x.solved, 0), (a.code || ' ' || u.code) COLLATE "C",
	       p.row_version
	  FROM minqing.pairing p
	  JOIN minqing.org_unit a ON a.unit_id = p.agency_unit_id
	  JOIN minqing.org_unit u ON u.unit_id = p.unit_id
	  LEFT JOIN LATERAL (SELECT count(*)::integer AS n, max(t.done_on) AS last_done,
	                            sum(t.problems_solved)::integer AS solved
	                       FROM minqing.pairing_activity t WHERE t.pairing_id = p.pairing_id) x ON true
	 WHERE (coalesce(p_filter, 'current') <> 'current' OR p.until IS NULL OR p.until >= current_date)
	   AND ((a.code || ' ' || u.code) COLLATE "C", p.pairing_id)
	       > (coalesce(p_after_key, '') COLLATE "C", coalesce(p_after_id, -1))
	 ORDER BY (a.code || ' ' || u.code) COLLATE "C", p.pairing_id
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.pairings(text, text, integer, integer) IS
	'The pairings (结对共建) the caller can see (the agency''s or the partner''s side in the jurisdiction), '
	'current (default) or all, by agency and partner code, with the activities logged, the last one''s day '
	'and the problems solved; the next page: p_after_key, p_after_id = sort_key, pairing_id of the last row.';
REVOKE ALL ON FUNCTION minqing.pairings(text, text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.pairings(text, text, integer, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.pairing_activities(p_pairing integer, p_after_on date DEFAULT NULL,
                                                      p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (activity_id bigint, pairing_id integer, done_on date, item text, item_label text, item_label_en text,
               content text, problems_solved integer, case_no text, side text, side_en text, recorded_by_name text)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT t.activity_id, t.pairing_id, t.done_on, t.item, minqing.pairing_item_label(t.item, false),
	       minqing.pairing_item_label(t.item, true), t.content, t.problems_solved,
	       (SELECT c.case_no FROM minqing.cases c WHERE c.case_id = t.case_id),
	       CASE WHEN t.by_agency THEN '机关' ELSE '基层' END, CASE WHEN t.by_agency THEN 'agency' ELSE 'branch' END,
	       minqing.login_display_name(t.recorded_by)
	  FROM minqing.pairing_activity t
	 WHERE t.pairing_id = p_pairing
	   AND (p_after_on IS NULL OR (t.done_on, t.activity_id) < (p_after_on, p_after_id))
	 ORDER BY t.done_on DESC, t.activity_id DESC
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.pairing_activities(integer, date, bigint, integer) IS
	'A pairing''s activity log, newest first: the day, the help item (五帮五促), what was done, problems '
	'solved, the case it produced or closed, which side recorded it and who; the next page: p_after_on, '
	'p_after_id = done_on, activity_id of the last row.';
REVOKE ALL ON FUNCTION minqing.pairing_activities(integer, date, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.pairing_activities(integer, date, bigint, integer) TO mq_staff;

-- Villages and communities of the jurisdiction without a current pairing.
CREATE OR REPLACE FUNCTION minqing.villages_without_pairing(p_after_code text DEFAULT NULL,
                                                            p_limit integer DEFAULT 50)
RETURNS TABLE (unit_id integer, code text, name text, kind text, town_name text, last_until date, cadres integer)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT u.unit_id, u.code, u.name, u.kind::text, t.name,
	       (SELECT max(p.until) FROM minqing.pairing p WHERE p.unit_id = u.unit_id),
	       (SELECT count(*)::integer FROM minqing.resident_cadre c
	         WHERE c.unit_id = u.unit_id AND (c.until IS NULL OR c.until >= current_date))
	  FROM minqing.org_unit u
	  LEFT JOIN minqing.org_unit t ON t.unit_id = u.parent_id
	 WHERE u.kind IN ('village', 'community') AND u.active
	   AND u.path OPERATOR(ext.<@) (SELECT minqing.my_scope())
	   AND NOT EXISTS (SELECT 1 FROM minqing.pairing p
	                    WHERE p.unit_id = u.unit_id AND (p.until IS NULL OR p.until >= current_date))
	   AND u.code COLLATE "C" > coalesce(p_after_code, '') COLLATE "C"
	 ORDER BY u.code COLLATE "C"
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.villages_without_pairing(text, integer) IS
	'The villages and communities of the caller''s jurisdiction without a current pairing (未结对), by code, '
	'with the end of their last pairing and their resident cadres; the next page: p_after_code.';
REVOKE ALL ON FUNCTION minqing.villages_without_pairing(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.villages_without_pairing(text, integer) TO mq_staff;

------------------------------------------------------------------------------
-- Resident cadres (驻村干部)
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.cadre_add(p_unit_code text, p_login text DEFAULT NULL, p_name text DEFAULT NULL,
                                             p_phone text DEFAULT NULL, p_from_code text DEFAULT NULL,
                                             p_since date DEFAULT NULL, p_until date DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{admin}');
	v minqing.org_unit := minqing.pairing_unit(s, p_unit_code, '{village,community}', 'unit');
	f minqing.org_unit;
	st minqing.staff;
	id integer;
BEGIN
	IF nullif(p_login, '') IS NOT NULL THEN
		SELECT * INTO st FROM minqing.staff x WHERE x.login = p_login AND x.active;
		IF NOT FOUND OR NOT minqing.staff_covers(s, st.path) THEN
			RAISE EXCEPTION 'staff member % not found', left(p_login, 63)
				USING ERRCODE = 'no_data_found', COLUMN = 'login';
		END IF;
	ELSIF p_name IS NULL OR minqing.text_is_blank(p_name) THEN
		RAISE EXCEPTION 'a resident cadre is a staff member or a named person'
			USING ERRCODE = 'not_null_violation', COLUMN = 'name';
	END IF;
	IF nullif(p_from_code, '') IS NOT NULL THEN
		f := minqing.pairing_unit(s, p_from_code, '{district,town,street,agency,department}', 'from_unit');
	ELSIF st.staff_id IS NOT NULL THEN
		SELECT * INTO f FROM minqing.org_unit x WHERE x.unit_id = st.unit_id;
	END IF;
	IF p_until < coalesce(p_since, current_date) THEN
		RAISE EXCEPTION 'a resident cadre cannot leave before arriving' USING ERRCODE = 'check_violation',
			COLUMN = 'until';
	END IF;
	INSERT INTO minqing.resident_cadre (district_id, unit_id, path, staff_id, name, phone, from_unit_id, from_path,
	                                    since, until)
	VALUES (v.district_id, v.unit_id, v.path, st.staff_id, coalesce(nullif(btrim(p_name), ''), st.display_name),
	        coalesce(nullif(btrim(p_phone), ''), st.phone), f.unit_id, f.path, coalesce(p_since, current_date),
	        p_until)
	RETURNING cadre_id INTO id;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.cadre_add(text, text, text, text, text, date, date) IS
	'驻村干部: stations a resident cadre in the village or community p_unit_code: the staff member p_login '
	'(name and phone from the account unless given) or a named outside person (p_name, p_phone), from the '
	'unit p_from_code (an agency, department or town; default the staff member''s unit), from p_since '
	'(default today) until p_until. Administrators whose jurisdiction holds the units. Audited.';
REVOKE ALL ON FUNCTION minqing.cadre_add(text, text, text, text, text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.cadre_add(text, text, text, text, text, date, date) TO mq_admin;

CREATE OR REPLACE FUNCTION minqing.cadre_contact_add(p_cadre integer, p_content text, p_contacted_on date DEFAULT NULL,
                                                     p_passed_to_code text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff := minqing.case_caller('{officer,handler,admin}');
	c minqing.resident_cadre;
	on_day date := coalesce(p_contacted_on, current_date);
	to_unit integer;
	id bigint;
BEGIN
	SELECT * INTO c FROM minqing.resident_cadre x WHERE x.cadre_id = p_cadre FOR SHARE;
	IF NOT FOUND OR NOT (minqing.staff_covers(s, c.path) OR minqing.staff_covers(s, c.from_path)
	                     OR coalesce(c.staff_id = s.staff_id, false)) THEN
		RAISE EXCEPTION 'cadre % not found', p_cadre USING ERRCODE = 'no_data_found', COLUMN = 'cadre';
	END IF;
	PERFORM minqing.require_text(p_content, 'content');
	IF on_day > current_date OR on_day < c.since OR on_day > c.until THEN
		RAISE EXCEPTION 'the day % is outside the cadre''s stay (% to %) or still to come', on_day, c.since,
		                coalesce(c.until::text, '')
			USING ERRCODE = 'check_violation', COLUMN = 'contacted_on';
	END IF;
	-- The paired agency the information went to: the one named, which must
	-- be paired with the village; by default the village's current pairing.
	SELECT p.agency_unit_id INTO to_unit
	  FROM minqing.pairing p JOIN minqing.org_unit a ON a.unit_id = p.agency_unit_id
	 WHERE p.unit_id = c.unit_id AND (nullif(p_passed_to_code, '') IS NULL OR a.code = p_passed_to_code)
	 ORDER BY (p.until IS NULL OR p.until >= on_day) DESC, p.since DESC LIMIT 1;
	IF to_unit IS NULL AND nullif(p_passed_to_code, '') IS NOT NULL THEN
		RAISE EXCEPTION 'unit % is not paired with this village', left(p_passed_to_code, 50)
			USING ERRCODE = 'check_violation', COLUMN = 'passed_to';
	END IF;
	INSERT INTO minqing.cadre_contact (cadre_id, district_id, path, from_path, contacted_on, content, passed_to)
	VALUES (c.cadre_id, c.district_id, c.path, c.from_path, on_day, btrim(p_content), to_unit)
	RETURNING contact_id INTO id;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.cadre_contact_add(integer, text, date, text) IS
	'驻村干部联系记录: the resident cadre p_cadre was in touch with the village on p_contacted_on (default '
	'today; within the stay, not a future day) and passed on p_content to the paired agency p_passed_to_code '
	'(default the village''s current pairing). Officers, handlers and administrators of the village''s or '
	'the cadre''s unit, or the cadre themself. Audited.';
REVOKE ALL ON FUNCTION minqing.cadre_contact_add(integer, text, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.cadre_contact_add(integer, text, date, text) TO mq_officer, mq_handler, mq_admin;

-- The resident cadres the caller can see (either side), by village; with
-- p_days, only the current ones without a contact in the last p_days days.
CREATE OR REPLACE FUNCTION minqing.resident_cadres(p_days integer DEFAULT NULL, p_after_key text DEFAULT NULL,
                                                   p_after_id integer DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (cadre_id integer, unit_name text, name text, phone text, from_name text, since date, until date,
               contacts integer, last_contact date, days_since integer, sort_key text, row_version integer)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT c.cadre_id, u.name, c.name, coalesce(c.phone, ''), coalesce(f.name, ''), c.since, c.until,
	       coalesce(x.n, 0), x.last_on, current_date - coalesce(x.last_on, c.since), u.code COLLATE "C",
	       c.row_version
	  FROM minqing.resident_cadre c
	  JOIN minqing.org_unit u ON u.unit_id = c.unit_id
	  LEFT JOIN minqing.org_unit f ON f.unit_id = c.from_unit_id
	  LEFT JOIN LATERAL (SELECT count(*)::integer AS n, max(k.contacted_on) AS last_on
	                       FROM minqing.cadre_contact k WHERE k.cadre_id = c.cadre_id) x ON true
	 WHERE (p_days IS NULL
	        OR ((c.until IS NULL OR c.until >= current_date)
	            AND coalesce(x.last_on, c.since) < current_date - least(greatest(p_days, 1), 3650)))
	   AND (u.code COLLATE "C", c.cadre_id) > (coalesce(p_after_key, '') COLLATE "C", coalesce(p_after_id, -1))
	 ORDER BY u.code COLLATE "C", c.cadre_id
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.resident_cadres(integer, text, integer, integer) IS
	'The resident cadres (驻村干部) the caller can see (the village''s or the cadre''s unit in the '
	'jurisdiction), by village code, with their contacts and the last one; with p_days only the current '
	'cadres without a contact in the last p_days days (since they arrived when none). Next page: '
	'p_after_key, p_after_id = sort_key, cadre_id of the last row.';
REVOKE ALL ON FUNCTION minqing.resident_cadres(integer, text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.resident_cadres(integer, text, integer, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.cadres_without_contact(p_days integer DEFAULT 30, p_after_key text DEFAULT NULL,
                                                          p_after_id integer DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (cadre_id integer, unit_name text, name text, phone text, from_name text, since date, until date,
               contacts integer, last_contact date, days_since integer, sort_key text, row_version integer)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT * FROM minqing.resident_cadres(coalesce(p_days, 30), p_after_key, p_after_id, p_limit)
$$;
COMMENT ON FUNCTION minqing.cadres_without_contact(integer, text, integer, integer) IS
	'The current resident cadres without a contact in the last p_days days (default 30), by village code.';
REVOKE ALL ON FUNCTION minqing.cadres_without_contact(integer, text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.cadres_without_contact(integer, text, integer, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.cadre_contacts(p_cadre integer, p_after_on date DEFAULT NULL,
                                                  p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (contact_id bigint, cadre_id integer, contacted_on date, content text, passed_to_name text,
               recorded_by_name text)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT k.contact_id, k.cadre_id, k.contacted_on, k.content,
	       coalesce((SELECT a.name FROM minqing.org_unit a WHERE a.unit_id = k.passed_to), ''),
	       minqing.login_display_name(k.recorded_by)
	  FROM minqing.cadre_contact k
	 WHERE k.cadre_id = p_cadre
	   AND (p_after_on IS NULL OR (k.contacted_on, k.contact_id) < (p_after_on, p_after_id))
	 ORDER BY k.contacted_on DESC, k.contact_id DESC
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.cadre_contacts(integer, date, bigint, integer) IS
	'A resident cadre''s contact log, newest first: the day, what village information was passed on, to '
	'which paired agency, who recorded it; the next page: p_after_on, p_after_id of the last row.';
REVOKE ALL ON FUNCTION minqing.cadre_contacts(integer, date, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.cadre_contacts(integer, date, bigint, integer) TO mq_staff;

RESET ROLE;
