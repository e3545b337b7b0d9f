-- 003_outbox.sql: messages through a transactional outbox.
--
-- Anything that must reach a person (the result to the resident by SMS, a
-- reminder to a handler, a warning to the district centre) is written to
-- minqing.outbox in the same transaction as the event that causes it, by a
-- SECURITY DEFINER function of a later migration calling outbox_enqueue().
-- The text comes from Chinese templates an administrator can edit
-- (message_template, render_template()). A separate daemon, minqing-notify,
-- drains the outbox: woken by NOTIFY minqing_outbox at commit, it locks the due
-- messages (FOR UPDATE SKIP LOCKED, so two drainers never take the same one),
-- hands each to a transport and marks it sent, or failed with exponential
-- backoff, or dead after too many failures, where supervisors see it. With
-- Gammu it then reads the delivery back (outbox_mark_delivery): a message the
-- gateway failed to send becomes dead too.
-- Nothing is lost while the gateway is down (the row stays until it is
-- marked), nothing is queued twice for one event (dedupe_key is unique).
-- docs/notify.md describes the daemon and the guarantees.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

-- Roles are cluster-wide; see 001 for why the lock.
LOCK TABLE pg_catalog.pg_authid IN SHARE ROW EXCLUSIVE MODE;
DO $$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['mq_system', 'mq_notifier'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;
	IF NOT pg_has_role('mq_notifier', 'mq_system', 'MEMBER') THEN
		GRANT mq_system TO mq_notifier;
	END IF;
END
$$;
COMMENT ON ROLE mq_system IS
	'Minqing system jobs (minqing-notify, minqing-escalate): see the whole tree, never a person.';
COMMENT ON ROLE mq_notifier IS
	'The outbox drainer (minqing-notify): the only role that may execute outbox_due/_mark_*.';

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Message templates
------------------------------------------------------------------------------
CREATE TABLE minqing.message_template (
	template_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code        text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,62}$'),
	district_id smallint REFERENCES minqing.district,
	body        text NOT NULL CHECK (body <> ''),
	description text,
	row_version integer NOT NULL DEFAULT 1,
	created_at  timestamptz NOT NULL DEFAULT now(),
	updated_at  timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT message_template_code_district UNIQUE NULLS NOT DISTINCT (code, district_id)
);
COMMENT ON TABLE minqing.message_template IS
	'Chinese message texts with {placeholders}; district_id NULL is the default for every '
	'district, a row with a district_id overrides it there. Administrators edit body.';
COMMENT ON COLUMN minqing.message_template.code IS
	'What the message is for: case_resolved_sms, case_reminder, case_warning_yellow, ...';
COMMENT ON COLUMN minqing.message_template.body IS
	'The text; {name} is replaced by the variable name (case_no, title, result, deadline, unit, '
	'handler, ...), a missing variable by nothing.';

CREATE TRIGGER message_template_touch BEFORE UPDATE ON minqing.message_template
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER message_template_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.message_template
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('template_id');

-- Readable by all staff (the console previews messages); an administrator
-- changes the text of the templates of their district, a district-level
-- administrator the defaults too. Codes and districts never change.
ALTER TABLE minqing.message_template ENABLE ROW LEVEL SECURITY;
CREATE POLICY message_template_read ON minqing.message_template FOR SELECT USING (true);
CREATE POLICY message_template_update ON minqing.message_template FOR UPDATE
	USING (ext.nlevel((SELECT minqing.my_write_scope())) = 1
	       AND (district_id IS NULL
	            OR district_id = (SELECT u.district_id FROM minqing.org_unit u
	                               WHERE u.path = (SELECT minqing.my_write_scope()))))
	WITH CHECK (true);
GRANT SELECT ON minqing.message_template TO mq_staff, mq_system;
GRANT UPDATE (body, description) ON minqing.message_template TO mq_admin;

-- The text of template p_code (the district's own, else the default) with
-- each {name} replaced by p_vars->>name. One pass from left to right, so a
-- value that itself contains "{x}" is never expanded again.
CREATE FUNCTION minqing.render_template(p_code text, p_vars jsonb, p_district smallint DEFAULT NULL)
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
GRANT EXECUTE ON FUNCTION minqing.render_template(text, jsonb, smallint) TO mq_staff, mq_system;

INSERT INTO minqing.message_template (code, body, description) VALUES
('case_resolved_sms',
 '【民情e站】您反映的问题（{case_no}）已办结：{result}。如有疑问请联系{unit}。',
 'To the resident when the case is resolved. Variables: case_no, result, unit.'),
('case_reminder',
 '【民情e站】{handler}您好，您承办的事项（{case_no}）“{title}”将于{deadline}到期，请抓紧办理并及时反馈。',
 'To the handler before the deadline. Variables: handler, case_no, title, deadline.'),
('case_warning_yellow',
 '【民情e站·黄牌预警】事项（{case_no}）“{title}”已超过办理时限（{deadline}），请{unit}立即办结并反馈。',
 'Overdue: the village must resolve it; to the village handler and its town. '
 'Variables: case_no, title, deadline, unit.'),
('case_warning_orange',
 '【民情e站·橙牌预警】事项（{case_no}）“{title}”超期未办结（时限{deadline}），现由{unit}接手督办，请{handler}协调处理。',
 'Overdue longer: the town takes over; to the town handler. '
 'Variables: case_no, title, deadline, unit, handler.'),
('case_warning_red',
 '【民情e站·红牌预警】事项（{case_no}）“{title}”严重超期（时限{deadline}），已提交区民情中心协调，请{unit}主要负责人高度重视。',
 'Overdue longest, or key/complex: the district centre coordinates. '
 'Variables: case_no, title, deadline, unit.'),
('district_overdue_report',
 '【民情e站】截至{date}，全区在办事项{open}件，超期{overdue}件（黄牌{yellow}件、橙牌{orange}件、红牌{red}件），详情请登录民情e站查看。',
 'The district centre''s overdue report. Variables: date, open, overdue, yellow, orange, red.');

------------------------------------------------------------------------------
-- The outbox
------------------------------------------------------------------------------
CREATE TABLE minqing.outbox (
	message_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id     smallint NOT NULL REFERENCES minqing.district,
	path            ext.ltree NOT NULL,
	created_at      timestamptz NOT NULL DEFAULT now(),
	recipient_phone text NOT NULL,
	recipient_name  text,
	body            text NOT NULL CHECK (body <> ''),
	dedupe_key      text NOT NULL UNIQUE CHECK (dedupe_key <> ''),
	case_id         bigint,
	event_id        bigint,
	status          text NOT NULL DEFAULT 'queued'
	                CHECK (status IN ('queued', 'sent', 'failed', 'dead')),
	attempts        integer NOT NULL DEFAULT 0,
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	last_error      text,
	sent_at         timestamptz,
	transport       text,
	transport_ref   text,
	segments        integer,
	delivery_status text
	                CHECK (delivery_status IN ('accepted', 'delivered', 'pending', 'failed')),
	delivered_at    timestamptz,
	CHECK (delivery_status IS NULL OR status IN ('sent', 'dead')),
	CHECK (delivery_status <> 'failed' OR status = 'dead')
);
COMMENT ON TABLE minqing.outbox IS
	'Messages to people, written in the transaction of the event that causes them and drained '
	'by minqing-notify. Written only through outbox_enqueue and the drainer''s functions.';
COMMENT ON COLUMN minqing.outbox.path IS 'The jurisdiction of the event (RLS): who may see the message.';
COMMENT ON COLUMN minqing.outbox.recipient_phone IS
	'As given; the drainer validates it (mainland mobile) and marks a bad one dead.';
COMMENT ON COLUMN minqing.outbox.dedupe_key IS
	'One message per event and recipient, e.g. case:123:resolved:resident; a second enqueue is ignored.';
COMMENT ON COLUMN minqing.outbox.case_id IS 'The case the message is about (foreign key added by the cases migration).';
COMMENT ON COLUMN minqing.outbox.event_id IS 'The event that caused the message, when there is one.';
COMMENT ON COLUMN minqing.outbox.status IS
	'queued (new), sent (handed to the gateway), failed (will be retried at next_attempt_at), '
	'dead (permanent error, too many failures, or the gateway reported a failure; '
	'supervisors see it).';
COMMENT ON COLUMN minqing.outbox.attempts IS 'Delivery attempts so far.';
COMMENT ON COLUMN minqing.outbox.next_attempt_at IS 'When the drainer may try (again): exponential backoff.';
COMMENT ON COLUMN minqing.outbox.transport IS 'spool, command or gammu: how it was sent.';
COMMENT ON COLUMN minqing.outbox.transport_ref IS
	'The transport''s own reference: the spool file, the Gammu outbox ID, the command.';
COMMENT ON COLUMN minqing.outbox.segments IS 'How many SMS (of at most 70 characters) the text took.';
COMMENT ON COLUMN minqing.outbox.delivery_status IS
	'What the gateway reported after the message was sent (gammu: read back from Gammu''s '
	'sentitems): NULL not known yet, accepted (handed to the network: SendingOK, '
	'SendingOKNoReport), pending (DeliveryPending, DeliveryUnknown), delivered (DeliveryOK), '
	'failed (SendingError, DeliveryFailed, Error: the message is then dead, never resent).';
COMMENT ON COLUMN minqing.outbox.delivered_at IS
	'When the gateway reported delivery_status (the delivery report, else the sending time).';
CREATE INDEX outbox_due ON minqing.outbox (next_attempt_at) WHERE status IN ('queued', 'failed');
CREATE INDEX outbox_path_gist ON minqing.outbox USING gist (path);
CREATE INDEX outbox_case ON minqing.outbox (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX outbox_dead ON minqing.outbox (created_at) WHERE status = 'dead';
-- The messages whose delivery minqing-notify still reads back from Gammu:
-- sent, not yet delivered (failed ones are dead), paged by sent_at within a
-- window of recent days, so a round costs what was sent lately, not the table.
CREATE INDEX outbox_readback ON minqing.outbox (sent_at, message_id)
	WHERE transport = 'gammu' AND status = 'sent' AND delivery_status IS DISTINCT FROM 'delivered';

-- Supervisors and administrators read the messages of their jurisdiction
-- (dead ones too); members of mq_system (the drainer) read and update all.
-- The system rule is by session_user, so it holds inside the definer
-- functions, and needs no help from my_scope(). Only mq_owner (inside the
-- definer functions below) inserts and updates: nobody holds a write grant.
ALTER TABLE minqing.outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY outbox_read ON minqing.outbox FOR SELECT
	USING (path <@ (SELECT minqing.my_scope())
	       OR (SELECT pg_has_role(session_user, 'mq_system', 'MEMBER')));
CREATE POLICY outbox_enqueue ON minqing.outbox FOR INSERT TO mq_owner WITH CHECK (true);
CREATE POLICY outbox_drain ON minqing.outbox FOR UPDATE TO mq_owner
	USING ((SELECT pg_has_role(session_user, 'mq_system', 'MEMBER')))
	WITH CHECK (true);
GRANT SELECT ON minqing.outbox TO mq_supervisor, mq_admin, mq_system;

-- NOTIFY is delivered at commit: the drainer wakes for committed rows only.
-- One notification per statement, not per row: the drainer takes whatever is
-- due when it wakes, and an escalation pass inserts thousands of rows at once.
CREATE FUNCTION minqing.outbox_notify() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	PERFORM pg_notify('minqing_outbox', '');
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION minqing.outbox_notify() IS
	'AFTER INSERT on outbox (per statement): NOTIFY minqing_outbox (delivered at commit).';
CREATE TRIGGER outbox_notify AFTER INSERT ON minqing.outbox
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.outbox_notify();

CREATE FUNCTION minqing.outbox_enqueue(p_district smallint, p_path ext.ltree, p_phone text,
                                       p_name text, p_body text, p_dedupe_key text,
                                       p_case_id bigint DEFAULT NULL, p_event_id bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n integer;
BEGIN
	IF p_district IS NULL OR p_path IS NULL OR p_dedupe_key IS NULL OR p_dedupe_key = '' THEN
		RAISE EXCEPTION 'outbox_enqueue: district, path and dedupe key are required'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- (No RETURNING: it would need the row to pass the SELECT policy of the
	-- caller, and the caller is whoever caused the event.)
	INSERT INTO minqing.outbox (district_id, path, recipient_phone, recipient_name, body,
	                            dedupe_key, case_id, event_id)
	VALUES (p_district, p_path, coalesce(p_phone, ''), p_name, p_body, p_dedupe_key, p_case_id,
	        p_event_id)
	ON CONFLICT (dedupe_key) DO NOTHING;
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n = 0 THEN
		RETURN NULL;
	END IF;
	RETURN currval(pg_get_serial_sequence('minqing.outbox', 'message_id'));
END
$$;
COMMENT ON FUNCTION minqing.outbox_enqueue(smallint, ext.ltree, text, text, text, text, bigint, bigint) IS
	'Queue a message in the caller''s transaction; the message_id, or NULL when dedupe_key was '
	'already queued. Called only by other definer functions (executable by nobody else).';
REVOKE ALL ON FUNCTION minqing.outbox_enqueue(smallint, ext.ltree, text, text, text, text, bigint, bigint)
	FROM PUBLIC;

-- The drainer's functions: SECURITY DEFINER, executable by mq_notifier only.
CREATE FUNCTION minqing.outbox_due(p_limit integer, p_now timestamptz DEFAULT now())
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

CREATE FUNCTION minqing.outbox_mark_sent(p_id bigint, p_transport text, p_ref text, p_segments integer)
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

CREATE FUNCTION minqing.outbox_mark_failed(p_id bigint, p_error text, p_permanent boolean,
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

-- What the gateway reported about a sent message (minqing-notify reads it
-- back from Gammu's sentitems). A failure is final: the message becomes dead
-- with last_error 'gateway: <what Gammu said>', where supervisors see it, and
-- is never resent automatically (the phone may have received part of it, or
-- all of it before a failed report: a resend could reach it twice).
-- 'delivered' is final too. The same report again changes nothing.
CREATE FUNCTION minqing.outbox_mark_delivery(p_id bigint, p_delivery text, p_at timestamptz,
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

REVOKE ALL ON FUNCTION minqing.outbox_due(integer, timestamptz),
	minqing.outbox_mark_sent(bigint, text, text, integer),
	minqing.outbox_mark_failed(bigint, text, boolean, integer, timestamptz),
	minqing.outbox_mark_delivery(bigint, text, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.outbox_due(integer, timestamptz),
	minqing.outbox_mark_sent(bigint, text, text, integer),
	minqing.outbox_mark_failed(bigint, text, boolean, integer, timestamptz),
	minqing.outbox_mark_delivery(bigint, text, timestamptz, text) TO mq_notifier;

-- How many messages in each state, within the caller's jurisdiction.
CREATE VIEW minqing.outbox_summary WITH (security_invoker = true) AS
SELECT s.status, count(o.message_id) AS n
  FROM (VALUES (1, 'queued'), (2, 'failed'), (3, 'sent'), (4, 'dead')) AS s(ord, status)
  LEFT JOIN minqing.outbox o ON o.status = s.status
 GROUP BY s.ord, s.status
 ORDER BY s.ord;
COMMENT ON VIEW minqing.outbox_summary IS
	'Messages queued, failed (waiting to be retried), sent and dead, in the caller''s jurisdiction.';
GRANT SELECT ON minqing.outbox_summary TO mq_supervisor, mq_admin, mq_system;

RESET ROLE;
