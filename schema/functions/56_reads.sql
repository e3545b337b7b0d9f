-- schema/functions/56_reads.sql: the console's other reads as named
-- functions: the case screen (the case, its household's contacts, its
-- timeline, the result SMS), the jurisdiction overview and the pick lists.
-- Each gives in psql exactly what the console shows the same person: all
-- are SECURITY INVOKER (row-level security decides what the caller sees)
-- and the console reads their columns by name.
--
-- PL/pgSQL rather than SQL, whose functions are inlined into the caller's
-- statement and planned with it at every call (the console's statements are
-- not prepared): the case screen's four took 2.3, 0.9, 0.7 and 0.4 ms to
-- plan for 0.3, 0.1, 0.2 and 0.1 ms of work; PL/pgSQL keeps each plan for
-- the session.
--
-- The current definition of these functions, with their grants and comments:
-- idempotent, re-applied by `minqing-admin migrate` whenever the function
-- files change (docs/development.md, "Functions, views and grants").

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- The case screen (案件详情)
------------------------------------------------------------------------------
-- One row when the caller can see the case, none otherwise. Texts a person
-- wrote are cut to p_text_max characters (the console asks one more than it
-- lays out, so the cut shows as "…"); times are on the district's clock
-- (its work calendar's zone), whatever the session's TimeZone, so psql and
-- the console show the same. seconds_left and overdue measure the deadline
-- against the moment the case's clock stopped: its resolution once it is
-- resolved (resolved, reported, closed: was it resolved in time, and by how
-- much), its pause while it waits (the time it had left when paused: the
-- pause is added to the deadline at the resume), its withdrawal; now while
-- it runs.
CREATE OR REPLACE FUNCTION minqing.case_detail(p_case bigint, p_english boolean DEFAULT false,
                                               p_text_max integer DEFAULT 201)
RETURNS TABLE (case_no text, status minqing.case_status, warning_level minqing.warning_level,
               channel text, title text, content text, submitter_name text, submitter_phone text,
               anonymous boolean, urgency text, is_key boolean, category text, centre text,
               origin_unit text, assigned_unit text, handler text, due_at text, created_at text,
               entered_by text, result text, satisfaction text, row_version integer,
               household_address text, proxy text, commitment text, pause_reason text,
               extension_id bigint, extension_asked text, seconds_left bigint, overdue boolean)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT c.case_no, c.status, c.warning_level, c.channel::text, left(c.title, p_text_max),
	       left(c.content, p_text_max), coalesce(c.submitter_name, ''),
	       coalesce(c.submitter_phone, ''), c.anonymous, c.urgency::text, c.is_key,
	       CASE WHEN p_english THEN coalesce(cat.name_en, cat.name) ELSE cat.name END,
	       cat.centre::text, ou.name, coalesce(au.name, ''), coalesce(h.display_name, ''),
	       coalesce(to_char(c.due_at AT TIME ZONE z.time_zone, 'YYYY-MM-DD HH24:MI'), ''),
	       coalesce(to_char(c.created_at AT TIME ZONE z.time_zone, 'YYYY-MM-DD HH24:MI'), ''),
	       c.entered_by::text,
	       coalesce(left(c.result, p_text_max), ''), coalesce(c.satisfaction::text, ''),
	       c.row_version, coalesce(hh.address, ''), coalesce(px.name, ''),
	       coalesce(c.commitment_kind || ' ' || c.commitment_amount, ''),
	       coalesce(left(c.pause_reason, p_text_max), ''),
	       (SELECT x.extension_id FROM minqing.case_extension x
	         WHERE x.case_id = c.case_id AND x.decision IS NULL),
	       (SELECT x.working_days || ' · ' || left(x.reason, p_text_max)
	          FROM minqing.case_extension x
	         WHERE x.case_id = c.case_id AND x.decision IS NULL),
	       floor(extract(epoch FROM c.due_at - stop.at))::bigint,
	       coalesce(c.due_at < stop.at, false)
	  FROM minqing.cases c
	 CROSS JOIN LATERAL minqing.calendar_setting(c.district_id) z
	 CROSS JOIN LATERAL (SELECT CASE
	                     WHEN c.status IN ('resolved', 'reported', 'closed')
	                          THEN coalesce(c.resolved_at, c.closed_at, now())
	                     WHEN c.status = 'waiting' THEN coalesce(c.paused_at, now())
	                     WHEN c.status = 'withdrawn' THEN coalesce(c.closed_at, now())
	                     ELSE now() END AS at) stop
	  JOIN minqing.case_category cat ON cat.category_id = c.category_id
	  JOIN minqing.org_unit ou ON ou.unit_id = c.origin_unit_id
	  LEFT JOIN minqing.org_unit au ON au.unit_id = c.assigned_unit_id
	  LEFT JOIN minqing.staff h ON h.staff_id = c.handler_staff_id
	  LEFT JOIN minqing.household hh ON hh.household_id = c.household_id
	  LEFT JOIN minqing.resident px ON px.resident_id = c.proxy_resident_id
	 WHERE c.case_id = p_case;
END
$$;
COMMENT ON FUNCTION minqing.case_detail(bigint, boolean, integer) IS
	'The case screen (案件详情): one case the caller can see, every field as the console shows it.';
REVOKE ALL ON FUNCTION minqing.case_detail(bigint, boolean, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_detail(bigint, boolean, integer) TO mq_staff;

-- The party member and representatives linked to the case's household.
CREATE OR REPLACE FUNCTION minqing.case_contacts(p_case bigint)
RETURNS TABLE (contact_kind text, name text, phone text)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT l.contact_kind::text, r.name, coalesce(minqing.mask_phone(r.phone), '')
	  FROM minqing.cases c
	  JOIN minqing.household_link l ON l.household_id = c.household_id
	  JOIN minqing.resident r ON r.resident_id = l.contact_resident_id
	 WHERE c.case_id = p_case
	 ORDER BY l.contact_kind, r.name;
END
$$;
COMMENT ON FUNCTION minqing.case_contacts(bigint) IS
	'The contacts of a case''s household (its party member, its representatives), phones masked.';
REVOKE ALL ON FUNCTION minqing.case_contacts(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_contacts(bigint) TO mq_staff;

-- The timeline: the case's events and the messages it caused, in time order,
-- their times on the clock of the case's district (looked up once).
CREATE OR REPLACE FUNCTION minqing.case_timeline(p_case bigint, p_text_max integer DEFAULT 201)
RETURNS TABLE (at_text text, kind text, who text, from_status text, to_status text, step text,
               note text)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT to_char(t.at AT TIME ZONE (SELECT (minqing.calendar_setting(c.district_id)).time_zone
	                                    FROM minqing.cases c WHERE c.case_id = p_case),
	               'MM-DD HH24:MI'),
	       t.kind, t.who, t.from_s, t.to_s, t.step, t.text
	  FROM (SELECT e.at, e.event_id AS k, e.kind, coalesce(s.display_name, e.actor::text) AS who,
	               e.from_status::text AS from_s, e.to_status::text AS to_s,
	               coalesce(e.data->>'step', '') AS step, coalesce(left(e.note, p_text_max), '') AS text
	          FROM minqing.case_event e LEFT JOIN minqing.staff s ON s.login = e.actor
	         WHERE e.case_id = p_case
	        UNION ALL
	        SELECT o.created_at, o.event_id, 'sms',
	               concat_ws(' ', o.recipient_name, minqing.mask_phone(o.recipient_phone)),
	               NULL, NULL, o.status::text, left(o.body, p_text_max)
	          FROM minqing.outbox o WHERE o.case_id = p_case) t
	 ORDER BY t.at, t.k;
END
$$;
COMMENT ON FUNCTION minqing.case_timeline(bigint, integer) IS
	'The timeline of a case the caller can see: its events and the messages it caused, oldest first.';
REVOKE ALL ON FUNCTION minqing.case_timeline(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_timeline(bigint, integer) TO mq_staff;

-- The newest result SMS of a case (what the resident was told), phone masked.
CREATE OR REPLACE FUNCTION minqing.case_result_sms(p_case bigint)
RETURNS TABLE (status text, phone text, body text)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT o.status::text, minqing.mask_phone(o.recipient_phone), o.body
	  FROM minqing.outbox o
	 WHERE o.case_id = p_case AND o.dedupe_key LIKE 'case:' || p_case || ':result:%'
	 ORDER BY o.message_id DESC LIMIT 1;
END
$$;
COMMENT ON FUNCTION minqing.case_result_sms(bigint) IS
	'The newest result SMS of a case the caller can see: its state, the masked phone and the text.';
REVOKE ALL ON FUNCTION minqing.case_result_sms(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_result_sms(bigint) TO mq_staff;

------------------------------------------------------------------------------
-- The jurisdiction overview (辖区概况)
------------------------------------------------------------------------------
-- (section, kind, count): 1 the units and 2 the stations of the caller's
-- jurisdiction by kind, in enum order; 3 households, residents, party
-- members and the households without a party member the caller can see:
-- the counts per village of people_count (034_people_count.sql) summed
-- over the villages row-level security shows the caller, which are the
-- rows of those tables the caller sees.
CREATE OR REPLACE FUNCTION minqing.jurisdiction_overview()
RETURNS TABLE (section integer, kind text, n bigint)
LANGUAGE sql STABLE AS $$
	WITH scope AS (SELECT minqing.my_scope() AS path),
	people AS (
		SELECT coalesce(sum(p.n) FILTER (WHERE p.kind = 'households'), 0)::bigint AS households,
		       coalesce(sum(p.n) FILTER (WHERE p.kind = 'residents'), 0)::bigint AS residents,
		       coalesce(sum(p.n) FILTER (WHERE p.kind = 'party_members'), 0)::bigint AS party_members,
		       coalesce(sum(p.n) FILTER (WHERE p.kind = 'party_linked'), 0)::bigint AS party_linked
		  FROM minqing.people_count p
	),
	rows (section, kind, n, ord) AS (
		SELECT 1, u.kind::text, count(*),
		       array_position(enum_range(NULL::minqing.unit_kind), u.kind)
		  FROM minqing.org_unit u, scope
		 WHERE u.active AND u.path OPERATOR(ext.<@) scope.path GROUP BY u.kind
		UNION ALL
		SELECT 2, s.kind::text, count(*),
		       array_position(enum_range(NULL::minqing.station_kind), s.kind)
		  FROM minqing.station s, scope
		 WHERE s.active AND s.path OPERATOR(ext.<@) scope.path GROUP BY s.kind
		UNION ALL
		SELECT 3, x.kind, x.n, x.ord
		  FROM people, LATERAL (VALUES ('households', people.households, 1),
		                               ('residents', people.residents, 2),
		                               ('party_members', people.party_members, 3),
		                               ('unlinked', people.households - people.party_linked, 4)) x(kind, n, ord))
	SELECT r.section, r.kind, r.n FROM rows r ORDER BY r.section, r.ord
$$;
COMMENT ON FUNCTION minqing.jurisdiction_overview() IS
	'The jurisdiction overview (辖区概况): units and stations by kind, households, residents, party '
	'members and households without a party member, as far as the caller can see.';
REVOKE ALL ON FUNCTION minqing.jurisdiction_overview() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.jurisdiction_overview() TO mq_staff;

------------------------------------------------------------------------------
-- Pick lists (选择) of the forms' lookup fields
------------------------------------------------------------------------------
-- value: what the form submits; label, detail: what the person reads;
-- depth: the indentation in a tree.
CREATE OR REPLACE FUNCTION minqing.pick_categories(p_english boolean DEFAULT false)
RETURNS TABLE (value text, label text, detail text, depth integer)
LANGUAGE sql STABLE AS $$
	SELECT c.category_id::text,
	       CASE WHEN p_english THEN coalesce(c.name_en, c.name) ELSE c.name END,
	       c.code, ext.nlevel(c.path) - 1
	  FROM minqing.case_category c
	  JOIN minqing.staff s ON s.login = session_user AND s.active
	 WHERE c.active AND c.district_id = s.district_id
	 ORDER BY c.path
$$;
COMMENT ON FUNCTION minqing.pick_categories(boolean) IS
	'The case categories of the caller''s district, as a tree, for a form''s category field.';
REVOKE ALL ON FUNCTION minqing.pick_categories(boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.pick_categories(boolean) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.pick_units()
RETURNS TABLE (value text, label text, detail text, depth integer)
LANGUAGE sql STABLE AS $$
	SELECT u.code, u.name, u.code, ext.nlevel(u.path) - 1
	  FROM minqing.org_unit u
	  JOIN minqing.staff s ON s.login = session_user AND s.active
	 WHERE u.active AND u.district_id = s.district_id
	   AND u.level IN ('district', 'town', 'village')
	 ORDER BY u.path
$$;
COMMENT ON FUNCTION minqing.pick_units() IS
	'The district, its towns and villages, as a tree, for a form''s unit field.';
REVOKE ALL ON FUNCTION minqing.pick_units() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.pick_units() TO mq_staff;

-- The stations a case may be received at (case_intake's rule: those of the
-- caller's subtree, and the district's own), by code: a person picks ST001
-- by its code and name, the form submits its id.
CREATE OR REPLACE FUNCTION minqing.pick_stations()
RETURNS TABLE (value text, label text, detail text, depth integer)
LANGUAGE sql STABLE AS $$
	SELECT x.station_id::text, x.code || '  ' || x.name, u.name, 0
	  FROM minqing.station x JOIN minqing.org_unit u ON u.unit_id = x.unit_id
	  JOIN minqing.staff s ON s.login = session_user AND s.active
	 WHERE x.active AND x.district_id = s.district_id
	   AND (x.path OPERATOR(ext.<@) s.path OR u.level = 'district')
	 ORDER BY x.code
$$;
COMMENT ON FUNCTION minqing.pick_stations() IS
	'The stations a case of the caller may be received at (of the caller''s subtree, and the '
	'district''s own), by code, for a form''s station field (the value is the station''s id).';
REVOKE ALL ON FUNCTION minqing.pick_stations() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.pick_stations() TO mq_staff;

-- Handlers of the district, those of unit p_unit_code first.
CREATE OR REPLACE FUNCTION minqing.pick_handlers(p_unit_code text DEFAULT NULL)
RETURNS TABLE (value text, label text, detail text, depth integer)
LANGUAGE sql STABLE AS $$
	SELECT h.login::text, h.display_name, u.name || ' · ' || u.code, 0
	  FROM minqing.staff h JOIN minqing.org_unit u ON u.unit_id = h.unit_id
	  JOIN minqing.staff s ON s.login = session_user AND s.active
	 WHERE h.active AND h.duty = 'handler' AND h.district_id = s.district_id
	 ORDER BY (u.code = coalesce(p_unit_code, '')) DESC, u.path, h.display_name
$$;
COMMENT ON FUNCTION minqing.pick_handlers(text) IS
	'The handlers of the caller''s district, those of one unit first, for a form''s staff field.';
REVOKE ALL ON FUNCTION minqing.pick_handlers(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.pick_handlers(text) TO mq_staff;

-- Residents found by name (part of it), phone or household number; at most 100.
CREATE OR REPLACE FUNCTION minqing.pick_residents(p_query text DEFAULT '')
RETURNS TABLE (value text, label text, detail text, depth integer)
LANGUAGE sql STABLE AS $$
	SELECT r.resident_id::text, r.name,
	       concat_ws(' · ', h.address, minqing.mask_phone(r.phone), r.id_card_masked), 0
	  FROM minqing.resident r JOIN minqing.household h ON h.household_id = r.household_id
	 WHERE r.active AND (coalesce(p_query, '') = '' OR r.name LIKE minqing.like_contains(p_query)
	                     OR r.phone = p_query OR h.household_no = p_query)
	 ORDER BY r.name, r.resident_id LIMIT 100
$$;
COMMENT ON FUNCTION minqing.pick_residents(text) IS
	'Residents the caller can see found by name, phone or household number (at most 100), for a '
	'form''s resident field.';
REVOKE ALL ON FUNCTION minqing.pick_residents(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.pick_residents(text) TO mq_staff;

-- Households found by number, head's name, address or phone; at most 100.
CREATE OR REPLACE FUNCTION minqing.pick_households(p_query text DEFAULT '')
RETURNS TABLE (value text, label text, detail text, depth integer)
LANGUAGE sql STABLE AS $$
	SELECT h.household_id::text, h.household_no || ' ' || coalesce(r.name, ''), h.address, 0
	  FROM minqing.household h
	  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	 WHERE h.active AND (coalesce(p_query, '') = '' OR h.household_no = p_query
	                     OR r.name LIKE minqing.like_contains(p_query)
	                     OR h.address LIKE minqing.like_contains(p_query) OR h.phone = p_query)
	 ORDER BY h.household_no, h.household_id LIMIT 100
$$;
COMMENT ON FUNCTION minqing.pick_households(text) IS
	'Households the caller can see found by number, head, address or phone (at most 100), for a '
	'form''s household field.';
REVOKE ALL ON FUNCTION minqing.pick_households(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.pick_households(text) TO mq_staff;

------------------------------------------------------------------------------
-- The time zone a person reads times in
------------------------------------------------------------------------------
-- The work calendar's zone of the caller's district (Asia/Shanghai by
-- default), whatever the server's TimeZone: the console sets its session
-- and its own clock to it, so every time it shows is the district's. A
-- definer, so that a kiosk (which may not read the staff table) learns its
-- district's zone too; it tells the caller nothing but that zone.
CREATE OR REPLACE FUNCTION minqing.my_time_zone() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	SELECT (minqing.calendar_setting(s.district_id)).time_zone
	  FROM minqing.staff s
	 WHERE s.login = session_user AND s.active
$$;
COMMENT ON FUNCTION minqing.my_time_zone() IS
	'The time zone of the caller''s district (its work calendar''s), in which the console shows every time.';
REVOKE ALL ON FUNCTION minqing.my_time_zone() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.my_time_zone() TO mq_staff, mq_kiosk;

RESET ROLE;
