-- schema/functions/58_bulletin.sql: news (动态信息), the bulletin board
-- (公告栏) and the public pages of the stations (docs/bulletin.md).
--
-- Reads are named functions returning columns by name; the lists are newest
-- first, a page at a time by keyset. The news and notice reads are SECURITY
-- INVOKER: row-level security (011_news_bulletin.sql) decides what the
-- caller sees, as for any query of theirs. Writes are SECURITY DEFINER
-- functions that check the caller's duty and jurisdiction (FORCE binds them
-- to the caller's scope as well), the state and the row version the caller
-- saw (40001 when it moved); every change is audited by the tables'
-- triggers.
--
-- The current definition of these functions, with their grants and comments:
-- idempotent, re-applied by `minqing-admin migrate` whenever the function
-- files change (docs/development.md, "Functions, views and grants").

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Who reads
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.my_unit_path() RETURNS ext.ltree
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN (SELECT u.path FROM minqing.staff s JOIN minqing.org_unit u ON u.unit_id = s.unit_id
	         WHERE s.login = session_user AND s.active);
END
$$;
COMMENT ON FUNCTION minqing.my_unit_path() IS
	'The path of the caller''s unit, for every duty (a kiosk''s too, unlike my_scope()): what the bulletin '
	'board and the news are read down the tree from.';
REVOKE ALL ON FUNCTION minqing.my_unit_path() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.my_unit_path() TO mq_staff, mq_kiosk;

CREATE OR REPLACE FUNCTION minqing.my_home_district() RETURNS smallint
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN (SELECT s.district_id FROM minqing.staff s WHERE s.login = session_user AND s.active);
END
$$;
COMMENT ON FUNCTION minqing.my_home_district() IS
	'The district of the caller, kiosks included (my_district() is NULL for them): whose public pages it reads.';
REVOKE ALL ON FUNCTION minqing.my_home_district() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.my_home_district() TO mq_staff, mq_kiosk, mq_publisher;

-- The unit a writer of news and notices acts for: an officer, handler or
-- administrator, for a unit of their jurisdiction (their own unit when
-- p_unit_code is NULL). Called by the definer functions below.
CREATE OR REPLACE FUNCTION minqing.bulletin_unit(p_unit_code text) RETURNS minqing.org_unit
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	u minqing.org_unit;
BEGIN
	SELECT * INTO s FROM minqing.staff x WHERE x.login = session_user AND x.active;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'you are not registered as staff of the e-station'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF s.duty NOT IN ('officer', 'handler', 'admin') THEN
		RAISE EXCEPTION 'your duty (%) does not allow this', s.duty
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_unit_code IS NULL THEN
		SELECT * INTO u FROM minqing.org_unit o WHERE o.unit_id = s.unit_id;
	ELSE
		SELECT * INTO u FROM minqing.org_unit o WHERE o.code = p_unit_code AND o.active;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'no active unit with code %', left(p_unit_code, 40)
				USING ERRCODE = 'no_data_found', COLUMN = 'unit_code';
		END IF;
	END IF;
	IF NOT coalesce(u.path OPERATOR(ext.<@) minqing.my_write_scope(), false) THEN
		RAISE EXCEPTION 'unit % is outside your jurisdiction', u.code
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN u;
END
$$;
COMMENT ON FUNCTION minqing.bulletin_unit(text) IS
	'The unit a caller posts news or notices for (NULL: their own): raises unless they are an officer, '
	'handler or administrator and the unit is in their jurisdiction.';
REVOKE ALL ON FUNCTION minqing.bulletin_unit(text) FROM PUBLIC;

-- A search typed by a person: trimmed of blanks and U+3000, at most 100
-- characters (refused before anything else looks at it).
CREATE OR REPLACE FUNCTION minqing.bulletin_query(p_query text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	q text;
BEGIN
	IF char_length(p_query) > 1000 THEN
		RAISE EXCEPTION 'the search is too long: % characters, at most 100', char_length(p_query)
			USING ERRCODE = 'string_data_right_truncation', COLUMN = 'query';
	END IF;
	q := btrim(coalesce(p_query, ''), E' \t\u3000');
	IF char_length(q) > 100 THEN
		RAISE EXCEPTION 'the search is too long: % characters, at most 100', char_length(q)
			USING ERRCODE = 'string_data_right_truncation', COLUMN = 'query';
	END IF;
	RETURN q;
END
$$;
COMMENT ON FUNCTION minqing.bulletin_query(text) IS
	'A search of the news: trimmed (U+3000 too), at most 100 characters; empty when nothing was typed.';
REVOKE ALL ON FUNCTION minqing.bulletin_query(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.bulletin_query(text) TO mq_staff;

------------------------------------------------------------------------------
-- News (动态信息): reads
------------------------------------------------------------------------------
-- The news the caller can see (row-level security: down the tree and their
-- jurisdiction), withdrawn items left out, newest first, a page at a time
-- after (p_after_at, p_after_id); p_unit_code: one unit's only; p_kind: one
-- kind; p_query: words found anywhere in the title or the text (a literal
-- substring, as Find cases checks its words: like_contains).
CREATE OR REPLACE FUNCTION minqing.news_list(p_unit_code text DEFAULT NULL,
                                  p_kind minqing.news_kind DEFAULT NULL,
                                  p_query text DEFAULT NULL,
                                  p_after_at timestamptz DEFAULT NULL, p_after_id bigint DEFAULT NULL,
                                  p_limit integer DEFAULT 50)
RETURNS TABLE (news_id bigint, unit_code text, unit_name text, kind minqing.news_kind, title text,
               published_at timestamptz, author_name text)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	q text := minqing.bulletin_query(p_query);
	pat text;
	lim integer := least(greatest(coalesce(p_limit, 50), 1), 500);
BEGIN
	IF q <> '' THEN
		pat := minqing.like_contains(q);
	END IF;
	RETURN QUERY
	SELECT n.news_id, u.code, u.name, n.kind, n.title, n.published_at, s.display_name
	  FROM minqing.news n
	  JOIN minqing.org_unit u ON u.unit_id = n.unit_id
	  LEFT JOIN minqing.staff s ON s.login = n.author
	 WHERE n.withdrawn_at IS NULL
	   AND (p_unit_code IS NULL OR u.code = p_unit_code)
	   AND (p_kind IS NULL OR n.kind = p_kind)
	   AND (pat IS NULL OR lower(n.title) LIKE pat OR lower(n.body) LIKE pat)
	   AND (p_after_id IS NULL OR (n.published_at, n.news_id) < (p_after_at, p_after_id))
	 ORDER BY n.published_at DESC, n.news_id DESC
	 LIMIT lim;
END
$$;
COMMENT ON FUNCTION minqing.news_list(text, minqing.news_kind, text, timestamptz, bigint, integer) IS
	'动态信息: the news the caller can see (down the tree), newest first, a page at a time by keyset '
	'(p_after_at, p_after_id); filtered by unit code and kind, searched by words in title and text.';
REVOKE ALL ON FUNCTION minqing.news_list(text, minqing.news_kind, text, timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.news_list(text, minqing.news_kind, text, timestamptz, bigint, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.news_item(p_news bigint)
RETURNS TABLE (news_id bigint, unit_code text, unit_name text, kind minqing.news_kind, title text,
               body text, published_at timestamptz, author_name text, withdrawn_at timestamptz,
               row_version integer, can_edit boolean)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT n.news_id, u.code, u.name, n.kind, n.title, n.body, n.published_at, s.display_name,
	       n.withdrawn_at, n.row_version,
	       n.withdrawn_at IS NULL AND coalesce(n.path OPERATOR(ext.<@) minqing.my_write_scope(), false)
	  FROM minqing.news n
	  JOIN minqing.org_unit u ON u.unit_id = n.unit_id
	  LEFT JOIN minqing.staff s ON s.login = n.author
	 WHERE n.news_id = p_news
$$;
COMMENT ON FUNCTION minqing.news_item(bigint) IS
	'One news item the caller can see, with its text, its row version (for news_edit) and whether the '
	'caller may edit it; no row when it is not theirs to read.';
REVOKE ALL ON FUNCTION minqing.news_item(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.news_item(bigint) TO mq_staff;

------------------------------------------------------------------------------
-- News: writes
------------------------------------------------------------------------------
-- The item to change, locked, for a writer of its unit at the version they saw.
CREATE OR REPLACE FUNCTION minqing.news_for(p_news bigint, p_row_version integer) RETURNS minqing.news
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n minqing.news;
	code text;
BEGIN
	SELECT u.code INTO code FROM minqing.news x JOIN minqing.org_unit u ON u.unit_id = x.unit_id
	 WHERE x.news_id = p_news;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'news item % not found', p_news USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM minqing.bulletin_unit(code);
	IF p_row_version IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'row_version'
			USING ERRCODE = 'not_null_violation', COLUMN = 'row_version';
	END IF;
	SELECT * INTO n FROM minqing.news x WHERE x.news_id = p_news FOR UPDATE;
	IF n.withdrawn_at IS NOT NULL THEN
		RAISE EXCEPTION 'news item % is withdrawn', p_news USING ERRCODE = 'invalid_transaction_state';
	END IF;
	IF n.row_version <> p_row_version THEN
		RAISE EXCEPTION 'news item % was changed by someone else since you opened it', p_news
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('version %s when opened, %s now', p_row_version, n.row_version),
			      HINT = 'reload it and try again';
	END IF;
	RETURN n;
END
$$;
COMMENT ON FUNCTION minqing.news_for(bigint, integer) IS
	'A news item locked for a change: raises unless the caller writes for its unit, it is not withdrawn '
	'and its row version is p_row_version (40001).';
REVOKE ALL ON FUNCTION minqing.news_for(bigint, integer) FROM PUBLIC;

-- Every parameter has a default so that a form may leave the unit out (its
-- own unit); kind, title and body are checked as required inside.
CREATE OR REPLACE FUNCTION minqing.news_post(p_unit_code text DEFAULT NULL, p_kind minqing.news_kind DEFAULT NULL,
                                  p_title text DEFAULT NULL, p_body text DEFAULT NULL)
RETURNS TABLE (new_news_id bigint, new_row_version integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit := minqing.bulletin_unit(p_unit_code);
	id bigint;
BEGIN
	IF p_kind IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'kind' USING ERRCODE = 'not_null_violation', COLUMN = 'kind';
	END IF;
	PERFORM minqing.require_text(p_title, 'title');
	PERFORM minqing.require_text(p_body, 'body');
	INSERT INTO minqing.news (unit_id, kind, title, body)
	VALUES (u.unit_id, p_kind, p_title, p_body)
	RETURNING minqing.news.news_id INTO id;
	new_news_id := id;
	new_row_version := 1;
	RETURN NEXT;
END
$$;
COMMENT ON FUNCTION minqing.news_post(text, minqing.news_kind, text, text) IS
	'Post a news item for a unit of the caller''s jurisdiction (NULL: their own); officers, handlers and '
	'administrators. Returns its id and row version.';
REVOKE ALL ON FUNCTION minqing.news_post(text, minqing.news_kind, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.news_post(text, minqing.news_kind, text, text) TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.news_edit(p_news bigint, p_row_version integer, p_kind minqing.news_kind,
                                  p_title text, p_body text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n minqing.news := minqing.news_for(p_news, p_row_version);
	v integer;
BEGIN
	PERFORM minqing.require_text(p_title, 'title');
	PERFORM minqing.require_text(p_body, 'body');
	UPDATE minqing.news x
	   SET kind = coalesce(p_kind, n.kind), title = p_title, body = p_body
	 WHERE x.news_id = n.news_id;
	SELECT x.row_version INTO v FROM minqing.news x WHERE x.news_id = n.news_id;
	RETURN v;
END
$$;
COMMENT ON FUNCTION minqing.news_edit(bigint, integer, minqing.news_kind, text, text) IS
	'Change a news item''s kind (NULL: as it was), title and text, at the row version the caller saw '
	'(40001 when it moved); returns the new row version.';
REVOKE ALL ON FUNCTION minqing.news_edit(bigint, integer, minqing.news_kind, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.news_edit(bigint, integer, minqing.news_kind, text, text)
	TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.news_withdraw(p_news bigint, p_row_version integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n minqing.news := minqing.news_for(p_news, p_row_version);
BEGIN
	UPDATE minqing.news x SET withdrawn_at = now(), withdrawn_by = session_user
	 WHERE x.news_id = n.news_id;
END
$$;
COMMENT ON FUNCTION minqing.news_withdraw(bigint, integer) IS
	'Withdraw a news item (it leaves the lists; the row and its audit trail stay), at the row version the '
	'caller saw.';
REVOKE ALL ON FUNCTION minqing.news_withdraw(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.news_withdraw(bigint, integer) TO mq_officer, mq_handler, mq_admin;

------------------------------------------------------------------------------
-- The bulletin board (公告栏): reads
------------------------------------------------------------------------------
-- The notices the caller can see (row-level security), pinned ones in force
-- first, then newest first by publish_at (a draft without one: when it was
-- made), a page at a time after (p_after_pinned, p_after_at, p_after_id).
-- p_filter: 'current' (published and in date), 'unread' (current ones the
-- caller has not read), 'all' (expired, withdrawn and drafts too, as far as
-- the caller may see them), 'drafts'. unread: for staff, whether they have
-- not read a published notice (notice_mark_read); NULL for a kiosk.
CREATE OR REPLACE FUNCTION minqing.notices(p_filter text DEFAULT 'current', p_unit_code text DEFAULT NULL,
                                p_kind minqing.notice_kind DEFAULT NULL,
                                p_after_pinned boolean DEFAULT NULL, p_after_at timestamptz DEFAULT NULL,
                                p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (notice_id bigint, unit_code text, unit_name text, kind minqing.notice_kind,
               audience minqing.notice_audience, title text, state minqing.notice_state,
               publish_at timestamptz, expire_at timestamptz, pinned boolean, in_force boolean,
               sort_at timestamptz, unread boolean)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	f text := coalesce(p_filter, 'current');
	lim integer := least(greatest(coalesce(p_limit, 50), 1), 500);
BEGIN
	IF f NOT IN ('current', 'unread', 'all', 'drafts') THEN
		RAISE EXCEPTION 'unknown filter "%": current, unread, all or drafts', left(f, 40)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF minqing.my_scope() IS NULL THEN
		-- a kiosk: what its policy lets through is public and in force; no receipts
		RETURN QUERY
		SELECT n.notice_id, u.code, u.name, n.kind, n.audience, n.title, n.state, n.publish_at,
		       n.expire_at, n.pinned, true, n.publish_at, NULL::boolean
		  FROM minqing.notice n
		  JOIN minqing.org_unit u ON u.unit_id = n.unit_id
		 WHERE f IN ('current', 'all')
		   AND n.state = 'published' AND n.publish_at <= now() AND (n.expire_at IS NULL OR n.expire_at > now())
		   AND (p_unit_code IS NULL OR u.code = p_unit_code)
		   AND (p_kind IS NULL OR n.kind = p_kind)
		   AND (p_after_id IS NULL
		        OR (n.pinned, n.publish_at, n.notice_id) < (p_after_pinned, p_after_at, p_after_id))
		 ORDER BY n.pinned DESC, n.publish_at DESC, n.notice_id DESC
		 LIMIT lim;
		RETURN;
	END IF;
	RETURN QUERY
	SELECT x.notice_id, x.code, x.name, x.kind, x.audience, x.title, x.state, x.publish_at, x.expire_at,
	       x.pin, x.in_force, x.sort_at,
	       CASE WHEN x.state = 'published' AND x.publish_at <= now()
	            THEN NOT EXISTS (SELECT 1 FROM minqing.notice_read r
	                              WHERE r.notice_id = x.notice_id AND r.login = session_user) END
	  FROM (SELECT n.*, u.code, u.name,
	               (n.state = 'published' AND n.publish_at <= now()
	                AND (n.expire_at IS NULL OR n.expire_at > now())) AS in_force,
	               n.pinned AND n.state = 'published' AND n.publish_at <= now()
	                AND (n.expire_at IS NULL OR n.expire_at > now()) AS pin,
	               coalesce(n.publish_at, n.created_at) AS sort_at
	          FROM minqing.notice n
	          JOIN minqing.org_unit u ON u.unit_id = n.unit_id
	         WHERE (p_unit_code IS NULL OR u.code = p_unit_code)
	           AND (p_kind IS NULL OR n.kind = p_kind)) x
	 WHERE CASE f WHEN 'drafts' THEN x.state = 'draft'
	              WHEN 'all' THEN true
	              WHEN 'unread' THEN x.in_force
	                                 AND NOT EXISTS (SELECT 1 FROM minqing.notice_read r
	                                                  WHERE r.notice_id = x.notice_id AND r.login = session_user)
	              ELSE x.in_force END
	   AND (p_after_id IS NULL OR (x.pin, x.sort_at, x.notice_id) < (p_after_pinned, p_after_at, p_after_id))
	 ORDER BY x.pin DESC, x.sort_at DESC, x.notice_id DESC
	 LIMIT lim;
END
$$;
COMMENT ON FUNCTION minqing.notices(text, text, minqing.notice_kind, boolean, timestamptz, bigint, integer) IS
	'公告栏: the notices the caller can see, pinned ones in force first, then newest first, a page at a time '
	'by keyset (p_after_pinned, p_after_at, p_after_id = the last row''s pinned, sort_at, notice_id). '
	'p_filter current, unread, all or drafts; unread: not yet read by the caller (staff; NULL for a kiosk). '
	'A kiosk sees only public, published notices in date.';
REVOKE ALL ON FUNCTION minqing.notices(text, text, minqing.notice_kind, boolean, timestamptz, bigint, integer)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.notices(text, text, minqing.notice_kind, boolean, timestamptz, bigint, integer)
	TO mq_staff, mq_kiosk;

-- One notice. Reading it records nothing: the console calls
-- notice_mark_read() when the person has opened it.
CREATE OR REPLACE FUNCTION minqing.notice(p_notice bigint)
RETURNS TABLE (notice_id bigint, unit_code text, unit_name text, kind minqing.notice_kind,
               audience minqing.notice_audience, title text, body text, state minqing.notice_state,
               publish_at timestamptz, expire_at timestamptz, pinned boolean, in_force boolean,
               author_name text, read_at timestamptz, row_version integer, can_edit boolean)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF minqing.my_scope() IS NULL THEN
		RETURN QUERY
		SELECT n.notice_id, u.code, u.name, n.kind, n.audience, n.title, n.body, n.state, n.publish_at,
		       n.expire_at, n.pinned, true, NULL::text, NULL::timestamptz, NULL::integer, false
		  FROM minqing.notice n
		  JOIN minqing.org_unit u ON u.unit_id = n.unit_id
		 WHERE n.notice_id = p_notice
		   AND n.state = 'published' AND n.publish_at <= now() AND (n.expire_at IS NULL OR n.expire_at > now());
		RETURN;
	END IF;
	RETURN QUERY
	SELECT n.notice_id, u.code, u.name, n.kind, n.audience, n.title, n.body, n.state, n.publish_at,
	       n.expire_at, n.pinned,
	       (n.state = 'published' AND n.publish_at <= now() AND (n.expire_at IS NULL OR n.expire_at > now())),
	       s.display_name,
	       (SELECT r.read_at FROM minqing.notice_read r WHERE r.notice_id = n.notice_id AND r.login = session_user),
	       n.row_version,
	       n.state = 'draft' AND coalesce(n.path OPERATOR(ext.<@) minqing.my_write_scope(), false)
	  FROM minqing.notice n
	  JOIN minqing.org_unit u ON u.unit_id = n.unit_id
	  LEFT JOIN minqing.staff s ON s.login = n.author
	 WHERE n.notice_id = p_notice;
END
$$;
COMMENT ON FUNCTION minqing.notice(bigint) IS
	'One notice the caller can see, with its text; for staff also when they read it (NULL: unread), its row '
	'version and whether they may change it (a draft of their jurisdiction). Records nothing: see '
	'notice_mark_read().';
REVOKE ALL ON FUNCTION minqing.notice(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.notice(bigint) TO mq_staff, mq_kiosk;

------------------------------------------------------------------------------
-- The bulletin board: writes
------------------------------------------------------------------------------
-- The notice to change, locked, for a writer of its unit at the version they saw.
CREATE OR REPLACE FUNCTION minqing.notice_for(p_notice bigint, p_row_version integer) RETURNS minqing.notice
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n minqing.notice;
	code text;
BEGIN
	SELECT u.code INTO code FROM minqing.notice x JOIN minqing.org_unit u ON u.unit_id = x.unit_id
	 WHERE x.notice_id = p_notice;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'notice % not found', p_notice USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM minqing.bulletin_unit(code);
	IF p_row_version IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'row_version'
			USING ERRCODE = 'not_null_violation', COLUMN = 'row_version';
	END IF;
	SELECT * INTO n FROM minqing.notice x WHERE x.notice_id = p_notice FOR UPDATE;
	IF n.row_version <> p_row_version THEN
		RAISE EXCEPTION 'notice % was changed by someone else since you opened it', p_notice
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('version %s when opened, %s now', p_row_version, n.row_version),
			      HINT = 'reload it and try again';
	END IF;
	RETURN n;
END
$$;
COMMENT ON FUNCTION minqing.notice_for(bigint, integer) IS
	'A notice locked for a change: raises unless the caller writes for its unit and its row version is '
	'p_row_version (40001).';
REVOKE ALL ON FUNCTION minqing.notice_for(bigint, integer) FROM PUBLIC;

-- Times a notice would show: expiry after publication (and after now when
-- it is published now).
CREATE OR REPLACE FUNCTION minqing.notice_check_times(p_publish_at timestamptz, p_expire_at timestamptz)
RETURNS void
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF p_expire_at IS NOT NULL AND p_expire_at <= greatest(coalesce(p_publish_at, now()), now()) THEN
		RAISE EXCEPTION 'the expiry time must be after the publication time and in the future'
			USING ERRCODE = 'check_violation', COLUMN = 'expire_at';
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.notice_check_times(timestamptz, timestamptz) IS
	'Raises unless a notice''s expiry (if any) is after its publication time and after now.';
REVOKE ALL ON FUNCTION minqing.notice_check_times(timestamptz, timestamptz) FROM PUBLIC;

-- Save a draft: a new one (p_notice NULL) for a unit of the caller's
-- jurisdiction (p_unit_code NULL: their own), or a change to a draft at the
-- row version the caller saw (its unit stays).
-- Every parameter has a default so that a form for a new notice leaves the
-- notice, its version and the unit out; kind, audience, title and body are
-- checked as required inside.
CREATE OR REPLACE FUNCTION minqing.notice_save(p_notice bigint DEFAULT NULL, p_row_version integer DEFAULT NULL,
                                    p_unit_code text DEFAULT NULL,
                                    p_kind minqing.notice_kind DEFAULT NULL,
                                    p_audience minqing.notice_audience DEFAULT NULL,
                                    p_title text DEFAULT NULL, p_body text DEFAULT NULL,
                                    p_publish_at timestamptz DEFAULT NULL,
                                    p_expire_at timestamptz DEFAULT NULL, p_pinned boolean DEFAULT false)
RETURNS TABLE (saved_notice_id bigint, saved_row_version integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit;
	n minqing.notice;
	id bigint;
BEGIN
	IF p_notice IS NULL THEN
		u := minqing.bulletin_unit(p_unit_code);
	ELSE
		n := minqing.notice_for(p_notice, p_row_version);
		IF n.state <> 'draft' THEN
			RAISE EXCEPTION 'notice % is not a draft: only a draft can be changed or published', p_notice
				USING ERRCODE = 'invalid_transaction_state';
		END IF;
	END IF;
	IF p_kind IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'kind' USING ERRCODE = 'not_null_violation', COLUMN = 'kind';
	END IF;
	IF p_audience IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'audience'
			USING ERRCODE = 'not_null_violation', COLUMN = 'audience';
	END IF;
	PERFORM minqing.require_text(p_title, 'title');
	PERFORM minqing.require_text(p_body, 'body');
	PERFORM minqing.notice_check_times(p_publish_at, p_expire_at);
	IF p_notice IS NULL THEN
		INSERT INTO minqing.notice (unit_id, kind, audience, title, body, publish_at, expire_at, pinned)
		VALUES (u.unit_id, p_kind, p_audience, p_title, p_body, p_publish_at, p_expire_at,
		        coalesce(p_pinned, false))
		RETURNING minqing.notice.notice_id INTO id;
	ELSE
		id := n.notice_id;
		UPDATE minqing.notice x
		   SET kind = p_kind, audience = p_audience, title = p_title, body = p_body,
		       publish_at = p_publish_at, expire_at = p_expire_at, pinned = coalesce(p_pinned, false)
		 WHERE x.notice_id = id;
	END IF;
	saved_notice_id := id;
	SELECT x.row_version INTO saved_row_version FROM minqing.notice x WHERE x.notice_id = id;
	RETURN NEXT;
END
$$;
COMMENT ON FUNCTION minqing.notice_save(bigint, integer, text, minqing.notice_kind, minqing.notice_audience,
                                        text, text, timestamptz, timestamptz, boolean) IS
	'Save a draft notice: new when p_notice is NULL (for p_unit_code, NULL: the caller''s unit), else a '
	'change to a draft at the row version the caller saw (40001 when it moved). Officers, handlers and '
	'administrators of the unit''s tree. Returns the id and the row version.';
REVOKE ALL ON FUNCTION minqing.notice_save(bigint, integer, text, minqing.notice_kind, minqing.notice_audience,
                                           text, text, timestamptz, timestamptz, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.notice_save(bigint, integer, text, minqing.notice_kind, minqing.notice_audience,
                                              text, text, timestamptz, timestamptz, boolean)
	TO mq_officer, mq_handler, mq_admin;

-- draft → published: shows from its planned publish_at, or now if none or past.
CREATE OR REPLACE FUNCTION minqing.notice_publish(p_notice bigint, p_row_version integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n minqing.notice := minqing.notice_for(p_notice, p_row_version);
	shown timestamptz;
	v integer;
BEGIN
	IF n.state <> 'draft' THEN
		RAISE EXCEPTION 'notice % is not a draft: only a draft can be changed or published', p_notice
			USING ERRCODE = 'invalid_transaction_state';
	END IF;
	shown := greatest(coalesce(n.publish_at, now()), now());
	PERFORM minqing.notice_check_times(shown, n.expire_at);
	UPDATE minqing.notice x SET state = 'published', publish_at = shown, published_by = session_user
	 WHERE x.notice_id = n.notice_id;
	SELECT x.row_version INTO v FROM minqing.notice x WHERE x.notice_id = n.notice_id;
	RETURN v;
END
$$;
COMMENT ON FUNCTION minqing.notice_publish(bigint, integer) IS
	'Publish a draft notice (from its planned time, or now), at the row version the caller saw; returns '
	'the new row version.';
REVOKE ALL ON FUNCTION minqing.notice_publish(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.notice_publish(bigint, integer) TO mq_officer, mq_handler, mq_admin;

-- published → withdrawn: it leaves every board; the row and its trail stay.
CREATE OR REPLACE FUNCTION minqing.notice_withdraw(p_notice bigint, p_row_version integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n minqing.notice := minqing.notice_for(p_notice, p_row_version);
	v integer;
BEGIN
	IF n.state <> 'published' THEN
		RAISE EXCEPTION 'notice % is not published: only a published notice can be withdrawn', p_notice
			USING ERRCODE = 'invalid_transaction_state';
	END IF;
	UPDATE minqing.notice x SET state = 'withdrawn', withdrawn_at = now(), withdrawn_by = session_user
	 WHERE x.notice_id = n.notice_id;
	SELECT x.row_version INTO v FROM minqing.notice x WHERE x.notice_id = n.notice_id;
	RETURN v;
END
$$;
COMMENT ON FUNCTION minqing.notice_withdraw(bigint, integer) IS
	'Withdraw a published notice, at the row version the caller saw; returns the new row version.';
REVOKE ALL ON FUNCTION minqing.notice_withdraw(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.notice_withdraw(bigint, integer) TO mq_officer, mq_handler, mq_admin;

-- The caller has read a published notice they can see: its receipt (the
-- first reading's time stays).
CREATE OR REPLACE FUNCTION minqing.notice_mark_read(p_notice bigint) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n minqing.notice;
	first_read timestamptz;
BEGIN
	IF minqing.my_scope() IS NULL THEN
		RAISE EXCEPTION 'your duty (%) does not allow this',
			coalesce((SELECT s.duty::text FROM minqing.staff s WHERE s.login = session_user AND s.active), 'kiosk')
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT * INTO n FROM minqing.notice x
	 WHERE x.notice_id = p_notice AND x.state = 'published' AND x.publish_at <= now();
	IF NOT FOUND THEN
		RAISE EXCEPTION 'notice % not found', p_notice USING ERRCODE = 'no_data_found';
	END IF;
	SELECT r.read_at INTO first_read FROM minqing.notice_read r WHERE r.notice_id = n.notice_id AND r.login = session_user;
	IF FOUND THEN
		RETURN first_read;
	END IF;
	BEGIN
		INSERT INTO minqing.notice_read (notice_id, login, district_id, path)
		VALUES (n.notice_id, session_user, n.district_id, n.path);
	EXCEPTION WHEN unique_violation THEN
		NULL; -- read at the same moment in another session
	END;
	SELECT r.read_at INTO first_read FROM minqing.notice_read r WHERE r.notice_id = n.notice_id AND r.login = session_user;
	RETURN first_read;
END
$$;
COMMENT ON FUNCTION minqing.notice_mark_read(bigint) IS
	'Record that the calling staff member has read a published notice they can see (the unread flag of '
	'notices()); returns when they first read it.';
REVOKE ALL ON FUNCTION minqing.notice_mark_read(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.notice_mark_read(bigint) TO mq_staff;

------------------------------------------------------------------------------
-- The public pages
------------------------------------------------------------------------------
-- 向社会公布咨询举报电话、邮箱: the district's published channels.
-- A notice as the console's record shows it: notice() with what the
-- person may do with it now (editable: draft or published when they may
-- change it, else readonly) and its times as the form edits them, in the
-- district's time.
CREATE OR REPLACE FUNCTION minqing.notice_record(p_notice bigint)
RETURNS TABLE (notice_id bigint, unit_code text, unit_name text, kind minqing.notice_kind,
               audience minqing.notice_audience, title text, body text, state minqing.notice_state,
               publish_at timestamptz, expire_at timestamptz, pinned boolean, in_force boolean,
               author_name text, read_at timestamptz, row_version integer, editable text,
               publish_local text, expire_local text)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT n.notice_id, n.unit_code, n.unit_name, n.kind, n.audience, n.title, n.body, n.state, n.publish_at,
	       n.expire_at, n.pinned, n.in_force, n.author_name, n.read_at, n.row_version,
	       -- notice().can_edit is for drafts only (a published notice's text
	       -- stays); withdrawing a published one needs the same write scope.
	       CASE WHEN n.state IN ('draft', 'published')
	             AND coalesce((SELECT x.path FROM minqing.notice x WHERE x.notice_id = n.notice_id)
	                          OPERATOR(ext.<@) minqing.my_write_scope(), false)
	            THEN n.state::text ELSE 'readonly' END,
	       to_char(n.publish_at AT TIME ZONE minqing.my_time_zone(), 'YYYY-MM-DD HH24:MI'),
	       to_char(n.expire_at AT TIME ZONE minqing.my_time_zone(), 'YYYY-MM-DD HH24:MI')
	  FROM minqing.notice(p_notice) n
$$;
COMMENT ON FUNCTION minqing.notice_record(bigint) IS
	'notice() as the console shows it: editable (draft or published when the caller may change it, else '
	'readonly) and the publish and expiry times as text in the district''s time, for the edit form.';
REVOKE ALL ON FUNCTION minqing.notice_record(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.notice_record(bigint) TO mq_staff, mq_kiosk;

-- What the console calls when a notice is opened: staff have read it (when
-- it is published and in date); a kiosk, or a draft, records nothing.
CREATE OR REPLACE FUNCTION minqing.notice_opened(p_notice bigint) RETURNS timestamptz
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF minqing.my_scope() IS NULL OR NOT EXISTS (
		SELECT 1 FROM minqing.notice x
		 WHERE x.notice_id = p_notice AND x.state = 'published' AND x.publish_at <= now()) THEN
		RETURN NULL;
	END IF;
	RETURN minqing.notice_mark_read(p_notice);
END
$$;
COMMENT ON FUNCTION minqing.notice_opened(bigint) IS
	'A notice was opened on the console: notice_mark_read() for staff and a published notice; nothing for '
	'a kiosk or a draft (NULL).';
REVOKE ALL ON FUNCTION minqing.notice_opened(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.notice_opened(bigint) TO mq_staff, mq_kiosk;

CREATE OR REPLACE FUNCTION minqing.public_contacts()
RETURNS TABLE (kind minqing.public_contact_kind, label text, value text, note text)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT c.kind, c.label, c.value, c.note FROM minqing.public_contact c
	 ORDER BY c.sort_order, c.contact_id
$$;
COMMENT ON FUNCTION minqing.public_contacts() IS
	'向社会公布咨询举报电话、邮箱: the consultation and complaint phone numbers and mailboxes of the caller''s '
	'district, in the order they are shown.';
REVOKE ALL ON FUNCTION minqing.public_contacts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.public_contacts() TO mq_staff, mq_kiosk;

-- Set (or, with p_value NULL, remove) the channel labelled p_label.
CREATE OR REPLACE FUNCTION minqing.contacts_set(p_district smallint, p_label text,
                                     p_kind minqing.public_contact_kind, p_value text,
                                     p_note text DEFAULT NULL, p_sort integer DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	id integer;
	v text := btrim(p_value);
BEGIN
	IF minqing.my_admin_district() IS DISTINCT FROM p_district THEN
		RAISE EXCEPTION 'only an administrator of district % may change its public contacts', p_district
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	PERFORM minqing.require_text(p_label, 'label');
	SELECT c.contact_id INTO id FROM minqing.public_contact c
	 WHERE c.district_id = p_district AND c.label = p_label FOR UPDATE;
	IF p_value IS NULL THEN
		DELETE FROM minqing.public_contact c WHERE c.contact_id = id;
		RETURN NULL;
	END IF;
	IF p_kind IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'kind' USING ERRCODE = 'not_null_violation', COLUMN = 'kind';
	END IF;
	IF char_length(v) > 100 THEN
		RAISE EXCEPTION 'the % is too long: % characters, at most %', 'value', char_length(v), 100
			USING ERRCODE = 'string_data_right_truncation', COLUMN = 'value';
	END IF;
	IF p_kind = 'mailbox' AND v !~ '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$' THEN
		RAISE EXCEPTION 'a mailbox address is name@domain, not %', v
			USING ERRCODE = 'check_violation', COLUMN = 'value';
	END IF;
	IF p_kind <> 'mailbox' AND v !~ '^(0[0-9]{2,3}-?[0-9]{7,8}|1[3-9][0-9]{9}|12345|[0-9]{3,5})$' THEN
		RAISE EXCEPTION 'a phone number has an area code, like 0577-88888888, or is a hotline: not %', v
			USING ERRCODE = 'check_violation', COLUMN = 'value';
	END IF;
	IF id IS NULL THEN
		INSERT INTO minqing.public_contact (district_id, kind, label, value, note, sort_order)
		VALUES (p_district, p_kind, p_label, v, p_note,
		        coalesce(p_sort, (SELECT coalesce(max(c.sort_order), 0) + 10 FROM minqing.public_contact c
		                           WHERE c.district_id = p_district)))
		RETURNING minqing.public_contact.contact_id INTO id;
	ELSE
		UPDATE minqing.public_contact c
		   SET kind = p_kind, value = v, note = p_note, sort_order = coalesce(p_sort, c.sort_order)
		 WHERE c.contact_id = id;
	END IF;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.contacts_set(smallint, text, minqing.public_contact_kind, text, text, integer) IS
	'The district''s administrator sets the published channel labelled p_label (a phone number or a '
	'mailbox), or removes it when p_value is NULL. Returns its id.';
REVOKE ALL ON FUNCTION minqing.contacts_set(smallint, text, minqing.public_contact_kind, text, text, integer)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.contacts_set(smallint, text, minqing.public_contact_kind, text, text, integer)
	TO mq_admin;

-- 受理人名单: the receiving staff of the units (of p_unit_code's subtree).
CREATE OR REPLACE FUNCTION minqing.public_receivers(p_unit_code text DEFAULT NULL)
RETURNS TABLE (unit_code text, unit_name text, name text, post text, office_phone text)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT u.code, u.name, r.name, r.post, r.office_phone::text
	  FROM minqing.receiver r
	  JOIN minqing.org_unit u ON u.unit_id = r.unit_id
	 WHERE r.active
	   AND (p_unit_code IS NULL
	        OR r.path OPERATOR(ext.<@) (SELECT o.path FROM minqing.org_unit o WHERE o.code = p_unit_code))
	 ORDER BY u.path, r.sort_order, r.receiver_id
$$;
COMMENT ON FUNCTION minqing.public_receivers(text) IS
	'受理人名单: who receives residents'' matters at each unit of the caller''s district (p_unit_code: that '
	'unit and the units below it): name, post, office phone.';
REVOKE ALL ON FUNCTION minqing.public_receivers(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.public_receivers(text) TO mq_staff, mq_kiosk;

-- An administrator keeps the list for the units of their jurisdiction: a
-- new receiver (p_receiver NULL) or a change at the row version seen.
CREATE OR REPLACE FUNCTION minqing.receiver_save(p_receiver integer, p_row_version integer, p_unit_code text,
                                      p_name text, p_post text, p_office_phone text,
                                      p_active boolean DEFAULT true, p_sort integer DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit;
	r minqing.receiver;
	id integer;
	phone text := btrim(p_office_phone);
BEGIN
	IF NOT EXISTS (SELECT 1 FROM minqing.staff s WHERE s.login = session_user AND s.active AND s.duty = 'admin') THEN
		RAISE EXCEPTION 'your duty (%) does not allow this',
			coalesce((SELECT s.duty::text FROM minqing.staff s WHERE s.login = session_user AND s.active), 'kiosk')
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_receiver IS NULL THEN
		u := minqing.bulletin_unit(p_unit_code);
	ELSE
		SELECT * INTO r FROM minqing.receiver x
		 WHERE x.receiver_id = p_receiver AND x.path OPERATOR(ext.<@) minqing.my_write_scope() FOR UPDATE;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'receiver % not found', p_receiver USING ERRCODE = 'no_data_found';
		END IF;
		IF r.row_version IS DISTINCT FROM p_row_version THEN
			RAISE EXCEPTION 'receiver % was changed by someone else since you opened it', p_receiver
				USING ERRCODE = 'serialization_failure',
				      DETAIL = format('version %s when opened, %s now', p_row_version, r.row_version),
				      HINT = 'reload it and try again';
		END IF;
	END IF;
	PERFORM minqing.require_text(p_name, 'name');
	PERFORM minqing.require_text(p_post, 'post');
	IF phone IS NULL OR phone !~ '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$' THEN
		RAISE EXCEPTION 'a phone number has an area code, like 0577-88888888, or is a hotline: not %',
			coalesce(left(phone, 40), '')
			USING ERRCODE = 'check_violation', COLUMN = 'office_phone';
	END IF;
	IF p_receiver IS NULL THEN
		INSERT INTO minqing.receiver (unit_id, name, post, office_phone, active, sort_order)
		VALUES (u.unit_id, p_name, p_post, phone, coalesce(p_active, true), coalesce(p_sort, 0))
		RETURNING minqing.receiver.receiver_id INTO id;
	ELSE
		id := r.receiver_id;
		UPDATE minqing.receiver x
		   SET name = p_name, post = p_post, office_phone = phone, active = coalesce(p_active, x.active),
		       sort_order = coalesce(p_sort, x.sort_order)
		 WHERE x.receiver_id = id;
	END IF;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.receiver_save(integer, integer, text, text, text, text, boolean, integer) IS
	'An administrator adds a receiving staff member (受理人) to a unit of their jurisdiction (p_receiver '
	'NULL), or changes one at the row version they saw (p_active false takes them off the list). Returns the id.';
REVOKE ALL ON FUNCTION minqing.receiver_save(integer, integer, text, text, text, text, boolean, integer)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.receiver_save(integer, integer, text, text, text, text, boolean, integer)
	TO mq_admin;

-- 服务承诺: every active category of the caller's district at each level,
-- with the time promised (commitment_for: its own row, its nearest
-- ancestor's, or the district's default). A definer, so that a kiosk reads
-- it without the calendar's rights; it tells nothing but the promises.
CREATE OR REPLACE FUNCTION minqing.public_commitments()
RETURNS TABLE (centre text, centre_name text, category_code text, category text, level minqing.unit_level,
               level_name text, kind text, amount integer, promise text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	SELECT k.centre, top.name, k.code, k.name, l.level,
	       CASE l.level WHEN 'village' THEN '村（社区）' WHEN 'town' THEN '镇（街道）' ELSE '区级部门' END,
	       x.kind, x.amount,
	       CASE x.kind WHEN 'immediate' THEN '即时办结'
	                   WHEN 'hours' THEN x.amount::text || '小时内办结'
	                   ELSE x.amount::text || '个工作日内办结' END
	  FROM minqing.case_category k
	  JOIN minqing.case_category top ON top.district_id = k.district_id AND top.parent_id IS NULL
	                                AND top.centre = k.centre
	 CROSS JOIN (VALUES (1, 'village'::minqing.unit_level), (2, 'town'), (3, 'district')) AS l(ord, level)
	 CROSS JOIN LATERAL minqing.commitment_for(k.category_id, l.level) x
	 WHERE k.district_id = (SELECT minqing.my_home_district()) AND k.parent_id IS NOT NULL AND k.active
	 ORDER BY k.path, l.ord
$$;
COMMENT ON FUNCTION minqing.public_commitments() IS
	'服务承诺表: each active category of the caller''s district × level (village, town, district department) '
	'→ immediate, N working hours or N working days, from the commitments the cases use (commitment_for), '
	'with the promise in words.';
REVOKE ALL ON FUNCTION minqing.public_commitments() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.public_commitments() TO mq_staff, mq_kiosk;

-- 定期公示办理进度和结果: the resolved cases of the caller's district (resolved,
-- reported back or closed) by the town (street) where they were handled and
-- the month (district time) they were resolved in, from the masked
-- publication view; newest first, a page at a time after (p_after_resolved,
-- p_after_no). p_month: any day of the month (NULL: this month); p_town_code
-- NULL: every town. A case handled by a district department has no town.
-- Bitmap scans off (docs/operations.md, "List screens at a million cases").
-- PL/pgSQL, so that the district, its time zone and the month's bounds are
-- worked out once, not per row (the time zone of every row's date was a
-- calendar_setting() call: 5 ms a page), and the query's plan is kept for
-- the session (an SQL function with SET clauses is planned at every call:
-- 8 ms at scale 10).
-- Owned by mq_publisher (docs/security.md): replaced by the superuser, which keeps the owner.
RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.public_results(p_town_code text DEFAULT NULL, p_month date DEFAULT NULL,
                                       p_after_resolved timestamptz DEFAULT NULL,
                                       p_after_no text DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (town_code text, town_name text, case_no text, title text, category text, handling_unit text,
               submitter text, received_on date, resolved_at timestamptz, resolved_on date, result text,
               status minqing.case_status)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET enable_bitmapscan = off
SET jit = off AS $$
#variable_conflict use_column
DECLARE
	d smallint := minqing.my_home_district();
	tz text;
	m timestamp;
	lo timestamptz;
	hi timestamptz;
BEGIN
	IF d IS NULL THEN
		RETURN;
	END IF;
	tz := (minqing.calendar_setting(d)).time_zone;
	-- The month's bounds as moments (the district's clock), so that the
	-- cases are read through the index of resolution times
	-- (cases_assess_resolved) newest first, a page at a time: filtering on
	-- the local month of each case read every resolved case of the
	-- district (minutes at scale 10).
	m := date_trunc('month', coalesce(p_month::timestamp, now() AT TIME ZONE tz));
	lo := m AT TIME ZONE tz;
	hi := (m + interval '1 month') AT TIME ZONE tz;
	RETURN QUERY
	SELECT t.code, t.name, p.case_no, p.title, p.category, p.handling_unit, p.submitter, p.received_on,
	       c.resolved_at, (c.resolved_at AT TIME ZONE tz)::date, p.result, p.status
	  FROM minqing.cases c
	  JOIN minqing.case_publication p ON p.case_no = c.case_no
	  JOIN minqing.org_unit t
	    ON t.path = ext.subpath(coalesce(c.assigned_path, c.origin_path), 0, 2)
	   AND t.kind IN ('town', 'street')
	 WHERE c.district_id = d AND c.resolved_at >= lo AND c.resolved_at < hi
	   AND c.status IN ('resolved', 'reported', 'closed')
	   AND ext.nlevel(coalesce(c.assigned_path, c.origin_path)) >= 2
	   AND (p_town_code IS NULL OR t.code = p_town_code)
	   AND (p_after_no IS NULL OR (c.resolved_at, c.case_no) < (p_after_resolved, p_after_no))
	 ORDER BY c.resolved_at DESC, c.case_no DESC
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500);
END
$$;
ALTER FUNCTION minqing.public_results(text, date, timestamptz, text, integer) OWNER TO mq_publisher;
COMMENT ON FUNCTION minqing.public_results(text, date, timestamptz, text, integer) IS
	'定期公示办理进度和结果: the resolved cases of the caller''s district handled in a town (street) and resolved '
	'in a month (district time; NULL: this month), from the masked publication view, newest first, by keyset '
	'(p_after_resolved, p_after_no).';
REVOKE ALL ON FUNCTION minqing.public_results(text, date, timestamptz, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.public_results(text, date, timestamptz, text, integer) TO mq_staff, mq_kiosk;
SET LOCAL ROLE mq_owner;

RESET ROLE;
