-- schema/functions/30_outbox.sql: the SMS outbox: templates, enqueueing, the
-- drainer's functions and the outbox summary.
--
-- The current definition of these functions and views, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` in the migration
-- transaction whenever the function files change (docs/development.md,
-- "Functions, views and grants"). Change a function here, not in a migration.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- The text of template p_code (the district's own, else the default) with
-- each {name} replaced by p_vars->>name. One pass from left to right, so a
-- value that itself contains "{x}" is never expanded again.
CREATE OR REPLACE FUNCTION minqing.render_template(p_code text, p_vars jsonb, p_district smallint DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	t text;
	result text := '';
	rest text;
	name text;
	j integer;
BEGIN
	SELECT body INTO t FROM minqing.message_template
	 WHERE code = p_code AND (district_id IS NULL OR district_id = p_district)
	 ORDER BY district_id NULLS LAST LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown message template "%"', p_code USING ERRCODE = 'no_data_found',
			HINT = 'The templates are in minqing.message_template.';
	END IF;
	rest := t;
	LOOP
		j := strpos(rest, '{');
		IF j = 0 THEN
			result := result || rest;
			EXIT;
		END IF;
		result := result || left(rest, j - 1);
		rest := substr(rest, j);
		name := substring(rest FROM '^\{([A-Za-z_][A-Za-z0-9_]*)\}');
		IF name IS NULL THEN
			result := result || '{';
			rest := substr(rest, 2);
		ELSE
			result := result || coalesce(p_vars ->> name, '');
			rest := substr(rest, length(name) + 3);
		END IF;
	END LOOP;
	RETURN result;
END
$$;
COMMENT ON FUNCTION minqing.render_template(text, jsonb, smallint) IS
	'The text of a message template with {name} replaced by p_vars->>name (missing: empty); '
	'the district''s own template if it has one, else the default. Unknown code: error P0002.';
REVOKE ALL ON FUNCTION minqing.render_template(text, jsonb, smallint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.render_template(text, jsonb, smallint) TO mq_staff, mq_system;

-- The drainer's wake-up, out of the queuing transaction (032_outbox_news.sql):
-- a NOTIFY here would make every commit that queues a message wait for all
-- other notifying commits. One row per statement, not per row: an
-- escalation pass inserts thousands of messages at once.
CREATE OR REPLACE FUNCTION minqing.outbox_notify() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	INSERT INTO minqing.outbox_news DEFAULT VALUES;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION minqing.outbox_notify() IS
	'AFTER INSERT on outbox (per statement): a row in outbox_news, for outbox_news_relay() to notify.';
REVOKE ALL ON FUNCTION minqing.outbox_notify() FROM PUBLIC;

-- Notify minqing_outbox once if messages were queued since the last relay,
-- in the caller's transaction (delivered at its commit, which is short).
-- Rows another relay holds are skipped, not waited for: that relay
-- notifies. 1 when it notified, else 0.
CREATE OR REPLACE FUNCTION minqing.outbox_news_relay() RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	WITH taken AS (
		DELETE FROM minqing.outbox_news n
		 WHERE n.ctid = ANY (ARRAY(SELECT x.ctid FROM minqing.outbox_news x FOR UPDATE SKIP LOCKED))
		RETURNING 1
	)
	SELECT count(pg_notify('minqing_outbox', ''))::integer
	  FROM (SELECT 1 FROM taken LIMIT 1) t
$$;
COMMENT ON FUNCTION minqing.outbox_news_relay() IS
	'Notify minqing_outbox (no payload) if messages were queued since the last relay; 1 if it did. Called by '
	'case_news_relay() and by the drainer every half second.';
REVOKE ALL ON FUNCTION minqing.outbox_news_relay() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.outbox_news_relay() TO mq_staff, mq_system;

-- The queue, with the limits for messages a person's action causes (jobs
-- and superusers are not limited: their messages are the system's).
CREATE OR REPLACE FUNCTION minqing.outbox_enqueue(p_district smallint, p_path ext.ltree, p_phone text,
                                                  p_name text, p_body text, p_dedupe_key text,
                                                  p_case_id bigint DEFAULT NULL, p_event_id bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	sender name;
	k record;
	lim minqing.message_limit;
BEGIN
	IF p_district IS NULL OR p_path IS NULL OR p_dedupe_key IS NULL OR p_dedupe_key = '' THEN
		RAISE EXCEPTION 'outbox_enqueue: district, path and dedupe key are required'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF EXISTS (SELECT 1 FROM minqing.staff s WHERE s.login = session_user) THEN
		sender := session_user;
		SELECT * INTO lim FROM minqing.message_limit WHERE district_id = p_district;
		IF NOT FOUND THEN
			lim := ROW(p_district, 60, 300, 10, 1, now(), now())::minqing.message_limit;
		END IF;
		-- (counted up to the limits: reaching one is what matters)
		k := minqing.message_counts(sender, coalesce(p_phone, ''), p_dedupe_key, lim.per_sender_hour,
		                            lim.per_sender_day, lim.per_phone_day);
		IF k.queued THEN
			RETURN NULL;
		END IF;
		IF k.sender_hour >= lim.per_sender_hour OR k.sender_day >= lim.per_sender_day THEN
			RAISE LOG 'minqing: message limit reached for % (% this hour, % today)', sender,
				k.sender_hour, k.sender_day;
			RAISE EXCEPTION 'your actions have queued % messages in the last hour and % today: the limit is % and %',
				k.sender_hour, k.sender_day, lim.per_sender_hour, lim.per_sender_day
				USING ERRCODE = 'configuration_limit_exceeded',
				      HINT = 'a district administrator can raise the limits (minqing.message_limit)';
		END IF;
		IF k.phone_day >= lim.per_phone_day THEN
			RAISE LOG 'minqing: message limit reached for phone % (% today), action of %',
				minqing.mask_phone(p_phone), k.phone_day, sender;
			RAISE EXCEPTION '% messages went to this phone number today: the limit is %', k.phone_day,
				lim.per_phone_day
				USING ERRCODE = 'configuration_limit_exceeded',
				      HINT = 'a district administrator can raise the limits (minqing.message_limit)';
		END IF;
	END IF;
	-- (Neither RETURNING nor ON CONFLICT: both need the new row to pass the
	-- SELECT policy of the caller, and the caller is whoever caused the
	-- event: a department's handler resolving a village's case, a town's
	-- handler urging a case assigned to a department. The key was looked
	-- up above; a concurrent twin is caught here.)
	BEGIN
		INSERT INTO minqing.outbox (district_id, path, recipient_phone, recipient_name, body,
		                            dedupe_key, case_id, event_id, caused_by)
		VALUES (p_district, p_path, coalesce(p_phone, ''), p_name, p_body, p_dedupe_key, p_case_id,
		        p_event_id, sender);
	EXCEPTION WHEN unique_violation THEN
		RETURN NULL;
	END;
	RETURN currval(pg_get_serial_sequence('minqing.outbox', 'message_id'));
END
$$;
COMMENT ON FUNCTION minqing.outbox_enqueue(smallint, ext.ltree, text, text, text, text, bigint, bigint) IS
	'Queue a message in the caller''s transaction; the message_id, or NULL when dedupe_key was '
	'already queued. Called only by other definer functions (executable by nobody else).';
REVOKE ALL ON FUNCTION minqing.outbox_enqueue(smallint, ext.ltree, text, text, text, text, bigint, bigint) FROM PUBLIC;

-- The drainer's functions: SECURITY DEFINER, executable by mq_notifier only.
CREATE OR REPLACE FUNCTION minqing.outbox_due(p_limit integer, p_now timestamptz DEFAULT now())
RETURNS SETOF minqing.outbox
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	SELECT * FROM minqing.outbox
	 WHERE status IN ('queued', 'failed') AND next_attempt_at <= p_now
	 ORDER BY next_attempt_at, message_id
	 LIMIT p_limit
	   FOR UPDATE SKIP LOCKED
$$;
COMMENT ON FUNCTION minqing.outbox_due(integer, timestamptz) IS
	'The messages due at p_now, oldest first, locked FOR UPDATE SKIP LOCKED until the caller''s '
	'transaction ends: call it inside the drainer''s transaction, then mark each one.';
REVOKE ALL ON FUNCTION minqing.outbox_due(integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.outbox_due(integer, timestamptz) TO mq_notifier;

CREATE OR REPLACE FUNCTION minqing.outbox_mark_sent(p_id bigint, p_transport text, p_ref text, p_segments integer)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	UPDATE minqing.outbox
	   SET status = 'sent', sent_at = now(), attempts = attempts + 1, transport = p_transport,
	       transport_ref = p_ref, segments = p_segments
	 WHERE message_id = p_id AND status IN ('queued', 'failed');
	IF NOT FOUND THEN
		RAISE EXCEPTION 'outbox message % is not waiting to be sent', p_id
			USING ERRCODE = 'no_data_found';
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.outbox_mark_sent(bigint, text, text, integer) IS
	'The drainer handed message p_id to the gateway: status sent, with transport and reference.';
REVOKE ALL ON FUNCTION minqing.outbox_mark_sent(bigint, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.outbox_mark_sent(bigint, text, text, integer) TO mq_notifier;

CREATE OR REPLACE FUNCTION minqing.outbox_mark_failed(p_id bigint, p_error text, p_permanent boolean,
                                           p_max_attempts integer, p_now timestamptz DEFAULT now())
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	st text;
BEGIN
	UPDATE minqing.outbox
	   SET attempts = attempts + 1,
	       status = CASE WHEN p_permanent OR attempts + 1 >= p_max_attempts THEN 'dead'
	                     ELSE 'failed' END,
	       -- 2, 4, 8 ... minutes after the 1st, 2nd, 3rd ... failure, at most a day.
	       next_attempt_at = p_now + least(power(2, attempts + 1) * interval '1 minute',
	                                       interval '1 day'),
	       last_error = p_error
	 WHERE message_id = p_id AND status IN ('queued', 'failed')
	RETURNING status INTO st;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'outbox message % is not waiting to be sent', p_id
			USING ERRCODE = 'no_data_found';
	END IF;
	RETURN st;
END
$$;
COMMENT ON FUNCTION minqing.outbox_mark_failed(bigint, text, boolean, integer, timestamptz) IS
	'A delivery attempt failed: attempts + 1, retry after 2^attempts minutes (at most a day); '
	'dead when p_permanent or attempts reach p_max_attempts. Returns the new status.';
REVOKE ALL ON FUNCTION minqing.outbox_mark_failed(bigint, text, boolean, integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.outbox_mark_failed(bigint, text, boolean, integer, timestamptz) TO mq_notifier;

-- What the gateway reported about a sent message (minqing-notify reads it
-- back from Gammu's sentitems). A failure is final: the message becomes dead
-- with last_error 'gateway: <what Gammu said>', where supervisors see it, and
-- is never resent automatically (the phone may have received part of it, or
-- all of it before a failed report: a resend could reach it twice).
-- 'delivered' is final too. The same report again changes nothing.
CREATE OR REPLACE FUNCTION minqing.outbox_mark_delivery(p_id bigint, p_delivery text, p_at timestamptz,
                                             p_detail text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	o record;
BEGIN
	IF p_delivery IS NULL OR p_delivery NOT IN ('accepted', 'delivered', 'pending', 'failed') THEN
		RAISE EXCEPTION 'outbox_mark_delivery: unknown delivery state "%"', p_delivery
			USING ERRCODE = 'invalid_parameter_value',
			HINT = 'accepted, delivered, pending or failed';
	END IF;
	SELECT status, delivery_status, delivered_at INTO o
	  FROM minqing.outbox WHERE message_id = p_id FOR UPDATE;
	IF NOT FOUND OR o.status NOT IN ('sent', 'dead')
	   OR (o.status = 'dead' AND o.delivery_status IS DISTINCT FROM 'failed') THEN
		RAISE EXCEPTION 'outbox message % has not been sent', p_id
			USING ERRCODE = 'no_data_found';
	END IF;
	-- Final states stay; the same report twice is not a change.
	IF o.delivery_status IN ('delivered', 'failed')
	   OR (o.delivery_status = p_delivery AND o.delivered_at IS NOT DISTINCT FROM p_at) THEN
		RETURN false;
	END IF;
	IF p_delivery = 'failed' THEN
		UPDATE minqing.outbox
		   SET status = 'dead', delivery_status = 'failed', delivered_at = p_at,
		       last_error = 'gateway: ' || coalesce(nullif(p_detail, ''), 'failed')
		 WHERE message_id = p_id;
	ELSE
		UPDATE minqing.outbox SET delivery_status = p_delivery, delivered_at = p_at
		 WHERE message_id = p_id;
	END IF;
	RETURN true;
END
$$;
COMMENT ON FUNCTION minqing.outbox_mark_delivery(bigint, text, timestamptz, text) IS
	'Record what the gateway reported about sent message p_id at p_at: accepted, pending, '
	'delivered, or failed (the message becomes dead, last_error ''gateway: '' || p_detail; no '
	'automatic resend). delivered and failed are final. True when something changed.';
REVOKE ALL ON FUNCTION minqing.outbox_mark_delivery(bigint, text, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.outbox_mark_delivery(bigint, text, timestamptz, text) TO mq_notifier;

-- How many messages in each state, within the caller's jurisdiction.
CREATE OR REPLACE VIEW minqing.outbox_summary WITH (security_invoker = true) AS
SELECT s.status, count(o.message_id) AS n
  FROM (VALUES (1, 'queued'), (2, 'failed'), (3, 'sent'), (4, 'dead')) AS s(ord, status)
  LEFT JOIN minqing.outbox o ON o.status = s.status
 GROUP BY s.ord, s.status
 ORDER BY s.ord;
COMMENT ON VIEW minqing.outbox_summary IS
	'Messages queued, failed (waiting to be retried), sent and dead, in the caller''s jurisdiction.';
GRANT SELECT ON minqing.outbox_summary TO mq_supervisor, mq_admin, mq_system;

RESET ROLE;
