-- schema/functions/69_sms_inbox.sql: text messages received (two-way SMS;
-- docs/notify.md, "Messages received", and docs/volunteers.md).
--
-- minqing-notify reads Gammu SMSD's inbox and hands each message to
-- sms_receive() (executable by mq_notifier only), once per Gammu inbox ID:
-- the unique key of sms_inbound makes a message read twice change nothing.
-- A volunteer's "1" or "2" answers their latest open invitation; any other
-- text from a resident becomes a case in triage with channel sms at the
-- district's unit (matched to the household register when the number is
-- known) and a receipt "已收到，编号 …" through the outbox; what cannot be
-- read (an answer with no invitation, an empty text, a number of several
-- households) waits in the triage list of messages received, where a
-- handler turns it into a case (sms_to_case, through case_intake()) or
-- marks it handled (sms_mark_handled).
--
-- The current definition of these functions, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` whenever the
-- function files change (docs/development.md, "Functions, views and grants").

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- A sender's number as the register keeps it: digits only, without +86.
CREATE OR REPLACE FUNCTION minqing.sms_phone(p_phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = minqing, ext, pg_temp AS $$
	SELECT CASE WHEN d ~ '^(0086|86)1[3-9][0-9]{9}$' THEN right(d, 11) ELSE d END
	  FROM (SELECT left(regexp_replace(coalesce(p_phone, ''), '[^0-9]', '', 'g'), 20) AS d) x
$$;
COMMENT ON FUNCTION minqing.sms_phone(text) IS
	'A sender''s number as the registers keep it: digits only, a leading 86/0086 before a mobile dropped.';
REVOKE ALL ON FUNCTION minqing.sms_phone(text) FROM PUBLIC;

-- The case of a resident's text message, opened by the drainer. The drainer
-- is not staff (case_intake() takes the caller's unit, and the per-person
-- message limits would count the receipts), so this records the case as
-- case_intake() does, at the district's unit, channel sms, in the district's
-- convenience service centre (便民服务中心, SVC) until triage classifies it.
CREATE OR REPLACE FUNCTION minqing.sms_case_open(p_district smallint, p_household bigint, p_phone text,
                                                 p_body text)
RETURNS minqing.cases
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit;
	cat minqing.case_category;
	r minqing.resident;
	c minqing.cases;
BEGIN
	SELECT * INTO u FROM minqing.org_unit x
	 WHERE x.district_id = p_district AND x.level = 'district' ORDER BY x.unit_id LIMIT 1;
	SELECT * INTO cat FROM minqing.case_category x
	 WHERE x.district_id = p_district AND x.active ORDER BY x.code <> 'SVC', x.path, x.category_id LIMIT 1;
	IF u.unit_id IS NULL OR cat.category_id IS NULL THEN
		RAISE EXCEPTION 'district % has no district unit or no case category', p_district
			USING ERRCODE = 'no_data_found';
	END IF;
	IF p_household IS NOT NULL THEN
		SELECT * INTO r FROM minqing.resident x
		 WHERE x.household_id = p_household AND x.active AND x.phone = p_phone
		 ORDER BY x.resident_id LIMIT 1;
	END IF;
	INSERT INTO minqing.cases (district_id, case_no, channel, origin_unit_id, origin_path, household_id, resident_id,
	                           submitter_name, submitter_phone, anonymous, title, content, category_id, urgency,
	                           is_key)
	VALUES (p_district,
	        format('%s-%s-%s', split_part(u.path::text, '.', 1),
	               to_char(minqing.district_local_time(p_district, now()), 'YYYY'),
	               (SELECT lpad(n::text, greatest(6, length(n::text)), '0') FROM nextval('minqing.case_no_seq') AS n)),
	        'sms', u.unit_id, u.path, p_household, r.resident_id,
	        coalesce(r.name, '短信 ' || minqing.mask_phone(p_phone)), p_phone, false,
	        left(coalesce(nullif(btrim(split_part(p_body, E'\n', 1)), ''), '短信'), 40), p_body, cat.category_id,
	        'normal', cat.is_key)
	RETURNING * INTO c;
	PERFORM minqing.case_log(c, 'intake', NULL, NULL, jsonb_build_object('channel', 'sms', 'category', cat.code));
	RETURN c;
END
$$;
REVOKE ALL ON FUNCTION minqing.sms_case_open(smallint, bigint, text, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.sms_receive(p_gammu_id bigint, p_phone text, p_text text,
                                               p_received_at timestamptz DEFAULT NULL,
                                               p_district smallint DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	dist smallint := p_district;
	ph text := minqing.sms_phone(p_phone);
	body text;
	t text;
	g record;
	hh bigint[];
	hpath ext.ltree;
	dpath ext.ltree;
	c minqing.cases;
	id bigint;
BEGIN
	IF NOT pg_catalog.pg_has_role(session_user, 'mq_notifier', 'MEMBER') THEN
		RAISE EXCEPTION 'only the SMS drainer records messages received'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_gammu_id IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'gammu_id' USING ERRCODE = 'not_null_violation';
	END IF;
	IF dist IS NULL THEN
		SELECT min(d.district_id), count(*) INTO dist, id FROM minqing.district d;
		IF id <> 1 THEN
			RAISE EXCEPTION 'several districts: name the district of the messages received'
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END IF;
	-- Once per Gammu inbox ID: read again, nothing changes.
	IF EXISTS (SELECT 1 FROM minqing.sms_inbound x WHERE x.district_id = dist AND x.gammu_id = p_gammu_id) THEN
		RETURN 'duplicate';
	END IF;
	SELECT u.path INTO dpath FROM minqing.org_unit u
	 WHERE u.district_id = dist AND u.level = 'district' ORDER BY u.unit_id LIMIT 1;
	-- The text as the table may hold it (text_ok): no control, invisible or
	-- direction characters but line breaks and tabs, at most 2,000
	-- characters; an empty message is kept as such, in words.
	body := left(regexp_replace(coalesce(p_text, ''),
	                            '[\x01-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]',
	                            '', 'g'), 2000);
	t := translate(btrim(body, E' \t\r\n\u3000'), '１２', '12');
	IF minqing.text_is_blank(body) THEN
		body := '（空短信）';
		t := '';
	END IF;
	IF ph = '' THEN
		ph := '?';
	END IF;

	IF t IN ('1', '2') THEN
		-- An answer: the latest open invitation to a volunteer of this number.
		SELECT s.signup_id, s.path, a.title, a.starts_on, a.district_id, v.name INTO g
		  FROM minqing.activity_signup s
		  JOIN minqing.volunteer v ON v.volunteer_id = s.volunteer_id
		  JOIN minqing.activity a ON a.activity_id = s.activity_id
		 WHERE v.phone = ph AND v.active AND s.status = 'invited' AND a.ends_on >= current_date
		   AND s.district_id = dist
		 ORDER BY s.invited_at DESC, s.signup_id DESC LIMIT 1
		   FOR UPDATE OF s;
		IF FOUND THEN
			UPDATE minqing.activity_signup x
			   SET status = CASE t WHEN '1' THEN 'signed' ELSE 'declined' END, via = 'sms', answered_at = now()
			 WHERE x.signup_id = g.signup_id;
			INSERT INTO minqing.sms_inbound (gammu_id, district_id, path, phone, body, received_at, outcome, signup_id)
			VALUES (p_gammu_id, dist, g.path, ph, body, coalesce(p_received_at, now()), 'signup', g.signup_id);
			PERFORM minqing.outbox_enqueue(dist, g.path, ph, g.name,
				minqing.render_template('activity_reply_ack', jsonb_build_object(
					'answer', CASE t WHEN '1' THEN '参加' ELSE '不参加' END, 'title', g.title,
					'date', to_char(g.starts_on, 'FMMM"月"FMDD"日"')), dist),
				format('sms:%s:%s:ack', dist, p_gammu_id));
			RETURN 'signup';
		END IF;
		INSERT INTO minqing.sms_inbound (gammu_id, district_id, path, phone, body, received_at, outcome, reason)
		VALUES (p_gammu_id, dist, dpath, ph, body, coalesce(p_received_at, now()), 'triage',
		        '回复没有对应的活动邀请');
		RETURN 'triage';
	END IF;

	IF t = '' THEN
		INSERT INTO minqing.sms_inbound (gammu_id, district_id, path, phone, body, received_at, outcome, reason)
		VALUES (p_gammu_id, dist, dpath, ph, body, coalesce(p_received_at, now()), 'triage', '空短信');
		RETURN 'triage';
	END IF;

	-- A resident's message: the household register by phone.
	hh := ARRAY(SELECT DISTINCT x.household_id FROM (
	              SELECT r.household_id FROM minqing.resident r WHERE r.phone = ph AND r.active
	              UNION SELECT h.household_id FROM minqing.household h WHERE h.phone = ph AND h.active) x
	             WHERE x.household_id IS NOT NULL ORDER BY 1 LIMIT 2);
	IF cardinality(hh) > 1 THEN
		INSERT INTO minqing.sms_inbound (gammu_id, district_id, path, phone, body, received_at, outcome, reason)
		VALUES (p_gammu_id, dist, dpath, ph, body, coalesce(p_received_at, now()), 'triage',
		        '号码对应多户，请核实后转为案件');
		RETURN 'triage';
	END IF;
	IF ph !~ '^1[3-9][0-9]{9}$' THEN
		INSERT INTO minqing.sms_inbound (gammu_id, district_id, path, phone, body, received_at, outcome, reason)
		VALUES (p_gammu_id, dist, dpath, left(ph, 20), body, coalesce(p_received_at, now()), 'triage',
		        '发送号码不是手机号');
		RETURN 'triage';
	END IF;
	SELECT h.path INTO hpath FROM minqing.household h WHERE h.household_id = hh[1];
	c := minqing.sms_case_open(dist, hh[1], ph, body);
	INSERT INTO minqing.sms_inbound (gammu_id, district_id, path, phone, body, received_at, outcome, household_id,
	                                 case_id, case_no)
	VALUES (p_gammu_id, dist, coalesce(hpath, dpath), ph, body, coalesce(p_received_at, now()), 'case', hh[1],
	        c.case_id, c.case_no);
	PERFORM minqing.outbox_enqueue(dist, c.origin_path, ph, c.submitter_name,
		minqing.render_template('sms_case_received', jsonb_build_object('case_no', c.case_no), dist),
		format('sms:%s:%s:received', dist, p_gammu_id), c.case_id);
	RETURN 'case';
END
$$;
COMMENT ON FUNCTION minqing.sms_receive(bigint, text, text, timestamptz, smallint) IS
	'A text message Gammu SMSD received (its inbox ID, sender, text, time; the district: the only one when '
	'not given), recorded once per ID: ''duplicate'' when already read. "1"/"2" from a volunteer answers '
	'their latest open invitation (''signup''); another text becomes a case in triage with channel sms '
	'(''case'': matched to the household of the number, receipt 已收到，编号 … by SMS); what cannot be read '
	'waits in the triage list (''triage''). The SMS drainer (mq_notifier) only.';
REVOKE ALL ON FUNCTION minqing.sms_receive(bigint, text, text, timestamptz, smallint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.sms_receive(bigint, text, text, timestamptz, smallint) TO mq_notifier;

-- A message waiting in triage, of the caller's jurisdiction, locked.
CREATE OR REPLACE FUNCTION minqing.sms_inbound_for(s minqing.staff, p_inbound bigint) RETURNS minqing.sms_inbound
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	m minqing.sms_inbound;
BEGIN
	SELECT * INTO m FROM minqing.sms_inbound x WHERE x.inbound_id = p_inbound FOR UPDATE;
	IF NOT FOUND OR NOT minqing.staff_covers(s, m.path) THEN
		RAISE EXCEPTION 'message % not found', coalesce(p_inbound::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = 'inbound';
	END IF;
	IF m.outcome <> 'triage' THEN
		RAISE EXCEPTION 'message % is already dealt with', p_inbound
			USING ERRCODE = 'invalid_transaction_state', COLUMN = 'inbound';
	END IF;
	RETURN m;
END
$$;
REVOKE ALL ON FUNCTION minqing.sms_inbound_for(minqing.staff, bigint) FROM PUBLIC;

-- A message of the triage list becomes a case: case_intake() with channel
-- sms, the sender as the submitter.
CREATE OR REPLACE FUNCTION minqing.sms_to_case(
	p_inbound bigint, p_category integer, p_title text DEFAULT NULL, p_content text DEFAULT NULL,
	p_household bigint DEFAULT NULL, p_submitter_name text DEFAULT NULL, p_urgency minqing.urgency DEFAULT 'normal',
	OUT case_id bigint, OUT case_no text, OUT duplicates jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_variable
DECLARE
	s minqing.staff;
	m minqing.sms_inbound;
	c record;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	m := minqing.sms_inbound_for(s, p_inbound);
	SELECT * INTO c
	  FROM minqing.case_intake('sms'::minqing.case_channel,
	                           coalesce(nullif(btrim(p_title), ''), left(split_part(m.body, E'\n', 1), 40)),
	                           coalesce(nullif(btrim(p_content), ''), m.body), p_category,
	                           coalesce(nullif(btrim(p_submitter_name), ''), '短信 ' || minqing.mask_phone(m.phone)),
	                           CASE WHEN m.phone ~ '^1[3-9][0-9]{9}$' THEN m.phone END, p_household, NULL, false,
	                           p_urgency);
	UPDATE minqing.sms_inbound x
	   SET outcome = 'case', case_id = c.case_id, case_no = c.case_no, household_id = p_household,
	       handled_by = session_user, handled_at = now()
	 WHERE x.inbound_id = m.inbound_id;
	case_id := c.case_id;
	case_no := c.case_no;
	duplicates := c.duplicates;
END
$$;
COMMENT ON FUNCTION minqing.sms_to_case(bigint, integer, text, text, bigint, text, minqing.urgency) IS
	'Turn a message of the triage list into a case: case_intake() with channel sms, the sender''s number '
	'as the submitter''s phone, its text as the content (title, content, household and name may be given), '
	'in one transaction; the message then shows the case. Returns what case_intake returns.';
REVOKE ALL ON FUNCTION minqing.sms_to_case(bigint, integer, text, text, bigint, text, minqing.urgency) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.sms_to_case(bigint, integer, text, text, bigint, text, minqing.urgency)
	TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.sms_mark_handled(p_inbound bigint, p_row_version integer, p_note text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	m minqing.sms_inbound;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	m := minqing.sms_inbound_for(s, p_inbound);
	PERFORM minqing.volunteer_row_check('message', m.inbound_id, m.row_version, p_row_version);
	PERFORM minqing.require_text(p_note, 'note');
	UPDATE minqing.sms_inbound x
	   SET outcome = 'handled', handled_note = btrim(p_note), handled_by = session_user, handled_at = now()
	 WHERE x.inbound_id = m.inbound_id;
END
$$;
COMMENT ON FUNCTION minqing.sms_mark_handled(bigint, integer, text) IS
	'Mark a message of the triage list handled (not a case: a greeting, a wrong number, answered by phone), '
	'with a note; p_row_version as seen (40001). Audited.';
REVOKE ALL ON FUNCTION minqing.sms_mark_handled(bigint, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.sms_mark_handled(bigint, integer, text) TO mq_officer, mq_handler, mq_admin;

-- The messages received (view sms_inbox): those waiting in triage, or all.
CREATE OR REPLACE FUNCTION minqing.sms_inbound_rows(p_filter text DEFAULT 'triage',
                                                    p_after_received timestamptz DEFAULT NULL,
                                                    p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (inbound_id bigint, received_at timestamptz, phone text, body text, title text, outcome text,
               outcome_name text, reason text, case_no text, row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT m.inbound_id, m.received_at, m.phone, m.body, left(split_part(m.body, E'\n', 1), 40), m.outcome,
	       CASE m.outcome WHEN 'case' THEN '已转案件' WHEN 'signup' THEN '活动回复' WHEN 'triage' THEN '待处理'
	                      ELSE '已处理' END,
	       coalesce(m.case_no, m.handled_note, m.reason, ''), coalesce(m.case_no, ''), m.row_version
	  FROM minqing.sms_inbound m
	 WHERE (coalesce(p_filter, 'triage') = 'all' OR m.outcome = 'triage')
	   AND ((p_after_received IS NULL AND p_after_id IS NULL)
	        OR (m.received_at, m.inbound_id) < (p_after_received, p_after_id))
	 ORDER BY m.received_at DESC, m.inbound_id DESC
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.sms_inbound_rows(text, timestamptz, bigint, integer) IS
	'Text messages received in the caller''s jurisdiction, newest first: those waiting in triage (p_filter '
	'''triage'', the default: an answer with no invitation, an empty text, a number of several households) '
	'or all of them (''all''), with what became of each (reason: why it waits, the case''s number, or the '
	'note it was handled with).';
REVOKE ALL ON FUNCTION minqing.sms_inbound_rows(text, timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.sms_inbound_rows(text, timestamptz, bigint, integer) TO mq_staff;

-- The triage list of messages received, as a view (the lead's query; the
-- console pages sms_inbound_rows).
CREATE OR REPLACE VIEW minqing.sms_triage WITH (security_invoker = true) AS
SELECT m.inbound_id, m.received_at, m.phone, m.body, m.reason, m.row_version
  FROM minqing.sms_inbound m WHERE m.outcome = 'triage';
COMMENT ON VIEW minqing.sms_triage IS
	'The messages received that wait in triage (nothing is lost: each stays until a case is made of it or '
	'it is marked handled), under the caller''s row-level security.';
GRANT SELECT ON minqing.sms_triage TO mq_staff;

RESET ROLE;
