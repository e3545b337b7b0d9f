-- 011_news_bulletin.sql: news (动态信息), the bulletin board (公告栏) and the
-- public pages of the stations: the district's published consultation and
-- complaint channels (向社会公布咨询举报电话、邮箱) and the receiving staff of
-- every unit (受理人名单). docs/bulletin.md has the model.
--
-- Tables only (with their row-level security, grants, text rules, audit and
-- derive triggers): the functions that read and change them are in
-- schema/functions/58_bulletin.sql. The two helpers the policies name,
-- my_unit_path() and my_home_district(), are created here with the same
-- text as their function file, which then replaces them.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Who reads: any active staff member or kiosk, by its unit
------------------------------------------------------------------------------
-- The path of the caller's unit, for every duty, kiosks included (my_scope()
-- is NULL for a kiosk): what is published "down the tree" is read by the
-- units below the publishing one, and a kiosk reads the public notices of
-- its station's tree.
CREATE FUNCTION minqing.my_unit_path() RETURNS ext.ltree
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN (SELECT u.path FROM minqing.staff s JOIN minqing.org_unit u ON u.unit_id = s.unit_id
	         WHERE s.login = session_user AND s.active);
END
$$;
REVOKE ALL ON FUNCTION minqing.my_unit_path() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.my_unit_path() TO mq_staff, mq_kiosk;

-- The district of the caller, kiosks included (my_district() is NULL for them).
CREATE FUNCTION minqing.my_home_district() RETURNS smallint
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN (SELECT s.district_id FROM minqing.staff s WHERE s.login = session_user AND s.active);
END
$$;
REVOKE ALL ON FUNCTION minqing.my_home_district() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.my_home_district() TO mq_staff, mq_kiosk, mq_publisher;

------------------------------------------------------------------------------
-- Types
------------------------------------------------------------------------------
CREATE TYPE minqing.news_kind AS ENUM ('work', 'activity', 'policy');
COMMENT ON TYPE minqing.news_kind IS
	'A news item: work news 工作动态, activity report 活动报道, policy explanation 政策解读.';
CREATE TYPE minqing.notice_kind AS ENUM ('notice', 'contacts', 'commitment', 'results', 'circular');
COMMENT ON TYPE minqing.notice_kind IS
	'A notice: notice 通知公告, contact channels 联系方式, service commitment 服务承诺, results publication '
	'结果公示, inspection circular 督查通报.';
CREATE TYPE minqing.notice_audience AS ENUM ('staff', 'public');
COMMENT ON TYPE minqing.notice_audience IS 'Who a notice is for: staff only, or the public (the kiosks too).';
CREATE TYPE minqing.notice_state AS ENUM ('draft', 'published', 'withdrawn');
COMMENT ON TYPE minqing.notice_state IS 'draft → published → withdrawn; only a draft changes.';
CREATE TYPE minqing.public_contact_kind AS ENUM ('consult_phone', 'complaint_phone', 'mailbox');
COMMENT ON TYPE minqing.public_contact_kind IS
	'A published channel: consultation phone 咨询电话, complaint (reporting) phone 举报电话, mailbox 邮箱.';

------------------------------------------------------------------------------
-- News (动态信息)
------------------------------------------------------------------------------
CREATE TABLE minqing.news (
	news_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id  smallint NOT NULL REFERENCES minqing.district,
	unit_id      integer NOT NULL REFERENCES minqing.org_unit,
	path         ext.ltree NOT NULL,
	kind         minqing.news_kind NOT NULL,
	title        text NOT NULL,
	body         text NOT NULL,
	published_at timestamptz NOT NULL DEFAULT now(),
	author       name NOT NULL DEFAULT session_user,
	withdrawn_at timestamptz,
	withdrawn_by name,
	row_version  integer NOT NULL DEFAULT 1,
	created_at   timestamptz NOT NULL DEFAULT now(),
	updated_at   timestamptz NOT NULL DEFAULT now(),
	CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL))
);
COMMENT ON TABLE minqing.news IS
	'动态信息: news items of a unit (work news, activity reports, policy explanations), read down the tree '
	'(a village reads its own, its town''s and the district''s; a town also its villages''). Written only '
	'through news_post/news_edit/news_withdraw; a withdrawn item stays, hidden from lists.';
COMMENT ON COLUMN minqing.news.path IS 'The unit''s path (set by trigger from unit_id).';
COMMENT ON COLUMN minqing.news.author IS 'The login that posted it.';
CREATE INDEX news_published ON minqing.news (published_at DESC, news_id DESC);
CREATE INDEX news_path_gist ON minqing.news USING gist (path);
CREATE INDEX news_unit ON minqing.news (unit_id, published_at DESC);

------------------------------------------------------------------------------
-- The bulletin board (公告栏)
------------------------------------------------------------------------------
CREATE TABLE minqing.notice (
	notice_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id  smallint NOT NULL REFERENCES minqing.district,
	unit_id      integer NOT NULL REFERENCES minqing.org_unit,
	path         ext.ltree NOT NULL,
	kind         minqing.notice_kind NOT NULL,
	audience     minqing.notice_audience NOT NULL,
	title        text NOT NULL,
	body         text NOT NULL,
	state        minqing.notice_state NOT NULL DEFAULT 'draft',
	publish_at   timestamptz,
	expire_at    timestamptz,
	pinned       boolean NOT NULL DEFAULT false,
	author       name NOT NULL DEFAULT session_user,
	published_by name,
	withdrawn_at timestamptz,
	withdrawn_by name,
	row_version  integer NOT NULL DEFAULT 1,
	created_at   timestamptz NOT NULL DEFAULT now(),
	updated_at   timestamptz NOT NULL DEFAULT now(),
	CHECK (expire_at IS NULL OR publish_at IS NULL OR expire_at > publish_at),
	CHECK (state = 'draft' OR (publish_at IS NOT NULL AND published_by IS NOT NULL)),
	CHECK ((state = 'withdrawn') = (withdrawn_at IS NOT NULL AND withdrawn_by IS NOT NULL))
);
COMMENT ON TABLE minqing.notice IS
	'公告栏: notices of a unit by kind and audience (staff or public), shown from publish_at until expire_at '
	'(none: until withdrawn), pinned ones first. draft → published → withdrawn, through notice_save, '
	'notice_publish and notice_withdraw. Staff read the published notices of their tree (down the tree: '
	'ancestors and their own subtree) and the drafts and withdrawn ones of the units they write for; a kiosk '
	'reads only public, published, in-date notices of its station''s tree.';
COMMENT ON COLUMN minqing.notice.publish_at IS
	'When the notice shows (the list''s order); planned on a draft, set (to now at the latest) when published.';
COMMENT ON COLUMN minqing.notice.expire_at IS 'When it stops showing to the public; NULL: until withdrawn.';
CREATE INDEX notice_publish ON minqing.notice (publish_at DESC, notice_id DESC);
CREATE INDEX notice_path_gist ON minqing.notice USING gist (path);
CREATE INDEX notice_unit ON minqing.notice (unit_id, publish_at DESC);

-- A person's reading of a notice (the unread flag), recorded by notice_mark_read().
CREATE TABLE minqing.notice_read (
	notice_id   bigint NOT NULL REFERENCES minqing.notice,
	login       name NOT NULL DEFAULT session_user,
	district_id smallint NOT NULL,
	path        ext.ltree NOT NULL,
	read_at     timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (notice_id, login)
);
COMMENT ON TABLE minqing.notice_read IS
	'Read receipts: who (login) read which notice when; written by notice_mark_read(), read by each person '
	'for their own notices'' unread flags. path and district_id are the notice''s.';
CREATE INDEX notice_read_login ON minqing.notice_read (login, notice_id);

------------------------------------------------------------------------------
-- The public pages
------------------------------------------------------------------------------
CREATE TABLE minqing.public_contact (
	contact_id  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id smallint NOT NULL REFERENCES minqing.district,
	kind        minqing.public_contact_kind NOT NULL,
	label       text NOT NULL,
	value       text NOT NULL,
	note        text,
	sort_order  integer NOT NULL DEFAULT 0,
	row_version integer NOT NULL DEFAULT 1,
	created_at  timestamptz NOT NULL DEFAULT now(),
	updated_at  timestamptz NOT NULL DEFAULT now(),
	UNIQUE (district_id, label),
	CHECK (CASE kind WHEN 'mailbox' THEN value ~ '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$'
	                 ELSE value ~ '^(0[0-9]{2,3}-?[0-9]{7,8}|1[3-9][0-9]{9}|12345|[0-9]{3,5})$' END)
);
COMMENT ON TABLE minqing.public_contact IS
	'向社会公布咨询举报电话、邮箱: the consultation and complaint phone numbers and mailboxes a district '
	'publishes at every station. Set by the district''s administrator (contacts_set); read by everyone of '
	'the district, kiosks included (public_contacts()).';
COMMENT ON COLUMN minqing.public_contact.label IS 'What the channel is, e.g. 区民情e站咨询电话 (unique in the district).';
COMMENT ON COLUMN minqing.public_contact.note IS 'When it answers, e.g. 工作日 8:30-17:00.';

CREATE TABLE minqing.receiver (
	receiver_id  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id  smallint NOT NULL REFERENCES minqing.district,
	unit_id      integer NOT NULL REFERENCES minqing.org_unit,
	path         ext.ltree NOT NULL,
	name         text NOT NULL,
	post         text NOT NULL,
	office_phone minqing.phone NOT NULL,
	sort_order   integer NOT NULL DEFAULT 0,
	active       boolean NOT NULL DEFAULT true,
	row_version  integer NOT NULL DEFAULT 1,
	created_at   timestamptz NOT NULL DEFAULT now(),
	updated_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.receiver IS
	'受理人名单: the people who receive residents'' matters at each unit, with post and office phone, as the '
	'stations publish them (not the staff directory: no login, no mobile number). Kept by administrators '
	'of the unit''s tree (receiver_save); read by everyone of the district, kiosks included (public_receivers()).';
CREATE INDEX receiver_path_gist ON minqing.receiver USING gist (path);
CREATE INDEX receiver_unit ON minqing.receiver (unit_id, sort_order);

------------------------------------------------------------------------------
-- Derive, touch, audit, text rules
------------------------------------------------------------------------------
CREATE TRIGGER news_derive BEFORE INSERT OR UPDATE OF unit_id ON minqing.news
	FOR EACH ROW EXECUTE FUNCTION minqing.unit_attached_derive();
CREATE TRIGGER notice_derive BEFORE INSERT OR UPDATE OF unit_id ON minqing.notice
	FOR EACH ROW EXECUTE FUNCTION minqing.unit_attached_derive();
CREATE TRIGGER receiver_derive BEFORE INSERT OR UPDATE OF unit_id ON minqing.receiver
	FOR EACH ROW EXECUTE FUNCTION minqing.unit_attached_derive();
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT * FROM (VALUES ('news', '{news_id}'::text[], true), ('notice', '{notice_id}', true),
	                               ('notice_read', '{notice_id,login}', false),
	                               ('public_contact', '{contact_id}', true), ('receiver', '{receiver_id}', true))
	                      AS v(tab, pk, touch) LOOP
		IF t.touch THEN
			EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON minqing.%I FOR EACH ROW '
			               'EXECUTE FUNCTION minqing.touch_row()', t.tab || '_touch', t.tab);
		END IF;
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON minqing.%I '
		               'FOR EACH ROW EXECUTE FUNCTION minqing.audit_row(%s)',
		               t.tab || '_audit', t.tab,
		               (SELECT string_agg(quote_literal(k), ', ') FROM unnest(t.pk) AS k));
	END LOOP;
END
$$;

INSERT INTO minqing.text_rule VALUES
	('news', 'title', 100, false, NULL),
	('news', 'body', 4000, true, NULL),
	('notice', 'title', 100, false, NULL),
	('notice', 'body', 4000, true, NULL),
	('public_contact', 'label', 50, false, NULL),
	('public_contact', 'value', 100, false, NULL),
	('public_contact', 'note', 200, false, NULL),
	('receiver', 'name', 50, false, NULL),
	('receiver', 'post', 50, false, NULL);
-- The guard triggers and check constraints of these rules, by the function
-- 60_security.sql defines (created here first, with its text: the function
-- files are applied after the migrations).
-- Put the text rules of tables p_tables (rows of text_rule) on them: the
-- guard trigger (the clear refusal) and a check constraint per column (the
-- rule itself). For the migrations that add tables with texts; nobody else
-- may run it.
CREATE OR REPLACE FUNCTION minqing.text_rules_apply(p_tables text[]) RETURNS void
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT r.table_name, array_agg(r.column_name ORDER BY r.column_name) AS cols,
	                array_agg(format('%s:%s:%s:%s', r.column_name, r.max_chars,
	                                 CASE WHEN r.multiline THEN 'm' ELSE '' END, coalesce(r.field, ''))
	                          ORDER BY r.column_name) AS specs
	           FROM minqing.text_rule r
	          WHERE r.table_name = ANY (p_tables)
	          GROUP BY r.table_name LOOP
		EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OF %s ON minqing.%I FOR EACH ROW '
		               'EXECUTE FUNCTION minqing.text_guard(%s)',
		               t.table_name || '_text_guard',
		               (SELECT string_agg(quote_ident(c), ', ') FROM unnest(t.cols) AS c),
		               t.table_name,
		               (SELECT string_agg(quote_literal(s), ', ') FROM unnest(t.specs) AS s));
	END LOOP;
	FOR t IN SELECT r.* FROM minqing.text_rule r WHERE r.table_name = ANY (p_tables) LOOP
		EXECUTE format('ALTER TABLE minqing.%I ADD CONSTRAINT %I CHECK (minqing.text_ok(%I, %s, %s))',
		               t.table_name, t.table_name || '_' || t.column_name || '_text', t.column_name,
		               t.max_chars, t.multiline::text);
	END LOOP;
END
$$;
COMMENT ON FUNCTION minqing.text_rules_apply(text[]) IS
	'For migrations: puts the text rules (text_rule) of the tables named on them, the guard trigger '
	'and a check constraint per column.';
REVOKE ALL ON FUNCTION minqing.text_rules_apply(text[]) FROM PUBLIC;
SELECT minqing.text_rules_apply(ARRAY['news', 'notice', 'public_contact', 'receiver']);

------------------------------------------------------------------------------
-- Row-level security. Reads: policies; writes: only the definer functions
-- of 58_bulletin.sql (as mq_owner, bound by FORCE).
------------------------------------------------------------------------------
-- News: down the tree (the publishing unit is the reader's or above it) or
-- inside the reader's jurisdiction; withdrawn items only to those who write
-- for the unit. Kiosks read no news.
ALTER TABLE minqing.news ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.news FORCE ROW LEVEL SECURITY;
CREATE POLICY news_read ON minqing.news FOR SELECT
	USING ((path @> (SELECT minqing.my_unit_path()) OR path <@ (SELECT minqing.my_scope()))
	       AND (withdrawn_at IS NULL OR path <@ (SELECT minqing.my_write_scope())));
CREATE POLICY news_insert ON minqing.news FOR INSERT TO mq_owner
	WITH CHECK (path <@ (SELECT minqing.my_write_scope()));
CREATE POLICY news_update ON minqing.news FOR UPDATE TO mq_owner
	USING (path <@ (SELECT minqing.my_write_scope()))
	WITH CHECK (path <@ (SELECT minqing.my_write_scope()));
GRANT SELECT ON minqing.news TO mq_staff;

-- Notices. Staff (my_scope() set): the tree; published ones from publish_at
-- on, all of them (drafts, withdrawn, planned) for those who write for the
-- unit. Anyone with a unit (a kiosk too): public, published, in date, of
-- the tree of its unit.
ALTER TABLE minqing.notice ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.notice FORCE ROW LEVEL SECURITY;
CREATE POLICY notice_read ON minqing.notice FOR SELECT
	USING ((path @> (SELECT minqing.my_unit_path()) OR path <@ (SELECT minqing.my_unit_path()))
	       AND (((SELECT minqing.my_scope()) IS NOT NULL
	             AND ((state = 'published' AND publish_at <= now())
	                  OR path <@ (SELECT minqing.my_write_scope())))
	            OR (audience = 'public' AND state = 'published' AND publish_at <= now()
	                AND (expire_at IS NULL OR expire_at > now()))));
CREATE POLICY notice_insert ON minqing.notice FOR INSERT TO mq_owner
	WITH CHECK (path <@ (SELECT minqing.my_write_scope()));
CREATE POLICY notice_update ON minqing.notice FOR UPDATE TO mq_owner
	USING (path <@ (SELECT minqing.my_write_scope()))
	WITH CHECK (path <@ (SELECT minqing.my_write_scope()));
GRANT SELECT ON minqing.notice TO mq_staff;
GRANT SELECT (notice_id, district_id, unit_id, path, kind, audience, title, body, state, publish_at,
              expire_at, pinned) ON minqing.notice TO mq_kiosk;

-- Receipts: each person's own.
ALTER TABLE minqing.notice_read ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.notice_read FORCE ROW LEVEL SECURITY;
CREATE POLICY notice_read_own ON minqing.notice_read FOR SELECT USING (login = session_user);
CREATE POLICY notice_read_insert ON minqing.notice_read FOR INSERT TO mq_owner
	WITH CHECK (login = session_user);
GRANT SELECT ON minqing.notice_read TO mq_staff;

-- Public contacts and receivers: everyone of the district reads them.
ALTER TABLE minqing.public_contact ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.public_contact FORCE ROW LEVEL SECURITY;
CREATE POLICY public_contact_read ON minqing.public_contact FOR SELECT
	USING (district_id = (SELECT minqing.my_home_district()));
CREATE POLICY public_contact_insert ON minqing.public_contact FOR INSERT TO mq_owner
	WITH CHECK (district_id = (SELECT minqing.my_admin_district()));
CREATE POLICY public_contact_update ON minqing.public_contact FOR UPDATE TO mq_owner
	USING (district_id = (SELECT minqing.my_admin_district()))
	WITH CHECK (district_id = (SELECT minqing.my_admin_district()));
CREATE POLICY public_contact_delete ON minqing.public_contact FOR DELETE TO mq_owner
	USING (district_id = (SELECT minqing.my_admin_district()));
GRANT SELECT ON minqing.public_contact TO mq_staff, mq_kiosk;

ALTER TABLE minqing.receiver ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.receiver FORCE ROW LEVEL SECURITY;
CREATE POLICY receiver_read ON minqing.receiver FOR SELECT
	USING (district_id = (SELECT minqing.my_home_district()));
CREATE POLICY receiver_insert ON minqing.receiver FOR INSERT TO mq_owner
	WITH CHECK (path <@ (SELECT minqing.my_write_scope()));
CREATE POLICY receiver_update ON minqing.receiver FOR UPDATE TO mq_owner
	USING (path <@ (SELECT minqing.my_write_scope()))
	WITH CHECK (path <@ (SELECT minqing.my_write_scope()));
GRANT SELECT ON minqing.receiver TO mq_staff;
GRANT SELECT (receiver_id, district_id, unit_id, path, name, post, office_phone, sort_order, active)
	ON minqing.receiver TO mq_kiosk;

-- The audit rows of the district's contacts have no path: its district-level
-- supervisors and administrators read them (as 002's district configuration).
CREATE POLICY audit_log_read_public_contact ON minqing.audit_log FOR SELECT
	USING (table_name = 'public_contact'
	       AND district_id = (SELECT minqing.my_district())
	       AND ext.nlevel((SELECT minqing.my_scope())) = 1);

RESET ROLE;
