-- The cards and pairings migration: service cards (便民服务卡) handed to
-- households, at most one live card a household, a lost card void and kept;
-- pairings (结对共建) of an agency or department party organisation with a
-- village, community or enterprise branch, with an activity log against the
-- five help items (五帮五促); resident cadres (驻村干部) of a village with a
-- contact log. docs/cards-pairings.md has the model;
-- schema/functions/67_cards_pairings.sql the functions.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Service cards
------------------------------------------------------------------------------
CREATE TABLE minqing.service_card (
	card_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id    smallint NOT NULL REFERENCES minqing.district,
	household_id   bigint NOT NULL REFERENCES minqing.household,
	unit_id        integer NOT NULL REFERENCES minqing.org_unit,
	path           ext.ltree NOT NULL,
	seq            integer NOT NULL CHECK (seq BETWEEN 1 AND 99999),
	card_no        text NOT NULL,
	member_name    text,
	member_phone   minqing.phone,
	officer_name   text,
	officer_phone  minqing.phone,
	station_phone  minqing.phone,
	issued_on      date NOT NULL DEFAULT current_date,
	issued_by      name NOT NULL DEFAULT session_user,
	voided_at      timestamptz,
	voided_by      name,
	void_reason    text,
	replaced_by    bigint REFERENCES minqing.service_card,
	row_version    integer NOT NULL DEFAULT 1,
	created_at     timestamptz NOT NULL DEFAULT now(),
	updated_at     timestamptz NOT NULL DEFAULT now(),
	UNIQUE (district_id, card_no),
	UNIQUE (unit_id, seq),
	CHECK ((voided_at IS NULL) = (void_reason IS NULL) AND (voided_at IS NULL) = (voided_by IS NULL)),
	CHECK (replaced_by IS NULL OR voided_at IS NOT NULL)
);
COMMENT ON TABLE minqing.service_card IS
	'A service card (便民服务卡) handed to a household: its number (the village''s code and a sequence, '
	'unique in the district), the contacts printed on it (the linked party member, the village''s officer, '
	'the station''s phone), who issued it and when. A lost card is void (voided_at, by whom, why) and kept; '
	'replaced_by is the card reissued in its place. At most one live card a household. Written by '
	'card_issue/card_reissue/card_void only; audited.';
CREATE UNIQUE INDEX service_card_live ON minqing.service_card (household_id) WHERE voided_at IS NULL;
CREATE INDEX service_card_household ON minqing.service_card (household_id);
CREATE INDEX service_card_issued ON minqing.service_card (issued_on, card_id);

------------------------------------------------------------------------------
-- Pairings (结对共建) and the five help items (五帮五促)
------------------------------------------------------------------------------
CREATE TABLE minqing.pairing_help_item (
	code      text PRIMARY KEY CHECK (code ~ '^[a-z_]{1,32}$'),
	ord       smallint NOT NULL UNIQUE,
	label_zh  text NOT NULL,
	label_en  text NOT NULL
);
COMMENT ON TABLE minqing.pairing_help_item IS
	'The five help items of a pairing (五帮五促): each activity of a pairing is logged against one.';
INSERT INTO minqing.pairing_help_item VALUES
	('ideas', 1, '帮思路促发展', 'ideas for development'),
	('team', 2, '帮班子促团结', 'the leading team, for unity'),
	('rules', 3, '帮制度促规范', 'rules and institutions, for good order'),
	('projects', 4, '帮项目促增收', 'projects, for higher incomes'),
	('hardship', 5, '帮困难促和谐', 'hardship, for harmony');

CREATE TABLE minqing.pairing (
	pairing_id      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id     smallint NOT NULL REFERENCES minqing.district,
	agency_unit_id  integer NOT NULL REFERENCES minqing.org_unit,
	agency_path     ext.ltree NOT NULL,
	unit_id         integer NOT NULL REFERENCES minqing.org_unit,
	path            ext.ltree NOT NULL,
	since           date NOT NULL,
	until           date,
	agency_contact  text,
	agency_phone    minqing.phone,
	unit_contact    text,
	unit_phone      minqing.phone,
	note            text,
	created_by      name NOT NULL DEFAULT session_user,
	row_version     integer NOT NULL DEFAULT 1,
	created_at      timestamptz NOT NULL DEFAULT now(),
	updated_at      timestamptz NOT NULL DEFAULT now(),
	UNIQUE (agency_unit_id, unit_id, since),
	CHECK (until IS NULL OR until >= since),
	CHECK (agency_unit_id <> unit_id)
);
COMMENT ON TABLE minqing.pairing IS
	'A pairing (结对共建) of an agency or department party organisation (agency_unit_id, agency_path) with '
	'a village, community or enterprise branch (unit_id, path), since/until, with a contact and phone on '
	'each side. Readable from either side''s jurisdiction; created by district administrators '
	'(pairing_add); audited.';
CREATE INDEX pairing_unit ON minqing.pairing (unit_id);
CREATE INDEX pairing_agency ON minqing.pairing (agency_unit_id);

CREATE TABLE minqing.pairing_activity (
	activity_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	pairing_id       integer NOT NULL REFERENCES minqing.pairing,
	district_id      smallint NOT NULL REFERENCES minqing.district,
	agency_path      ext.ltree NOT NULL,
	path             ext.ltree NOT NULL,
	item             text NOT NULL REFERENCES minqing.pairing_help_item,
	done_on          date NOT NULL,
	content          text NOT NULL,
	problems_solved  integer NOT NULL DEFAULT 0 CHECK (problems_solved BETWEEN 0 AND 1000),
	case_id          bigint REFERENCES minqing.cases,
	by_agency        boolean NOT NULL,
	recorded_by      name NOT NULL DEFAULT session_user,
	row_version      integer NOT NULL DEFAULT 1,
	created_at       timestamptz NOT NULL DEFAULT now(),
	updated_at       timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.pairing_activity IS
	'What a pairing did (共建活动): the day, the help item (五帮五促), what was done, how many problems it '
	'solved and optionally the case it produced or closed; by_agency: recorded by the agency''s side. '
	'Written by pairing_activity_add; audited.';
CREATE INDEX pairing_activity_pairing ON minqing.pairing_activity (pairing_id, done_on, activity_id);

------------------------------------------------------------------------------
-- Resident cadres (驻村干部) and their contact log
------------------------------------------------------------------------------
CREATE TABLE minqing.resident_cadre (
	cadre_id      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	unit_id       integer NOT NULL REFERENCES minqing.org_unit,
	path          ext.ltree NOT NULL,
	staff_id      integer REFERENCES minqing.staff,
	name          text NOT NULL,
	phone         minqing.phone,
	from_unit_id  integer REFERENCES minqing.org_unit,
	from_path     ext.ltree,
	since         date NOT NULL,
	until         date,
	created_by    name NOT NULL DEFAULT session_user,
	row_version   integer NOT NULL DEFAULT 1,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	CHECK (until IS NULL OR until >= since),
	CHECK ((from_unit_id IS NULL) = (from_path IS NULL))
);
COMMENT ON TABLE minqing.resident_cadre IS
	'A resident cadre (驻村干部) of a village or community: a staff member or a named outside person with '
	'a phone, from an agency (from_unit_id), since/until. Created by district administrators (cadre_add); '
	'audited.';
CREATE INDEX resident_cadre_unit ON minqing.resident_cadre (unit_id);

CREATE TABLE minqing.cadre_contact (
	contact_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	cadre_id       integer NOT NULL REFERENCES minqing.resident_cadre,
	district_id    smallint NOT NULL REFERENCES minqing.district,
	path           ext.ltree NOT NULL,
	from_path      ext.ltree,
	contacted_on   date NOT NULL,
	content        text NOT NULL,
	passed_to      integer REFERENCES minqing.org_unit,
	recorded_by    name NOT NULL DEFAULT session_user,
	row_version    integer NOT NULL DEFAULT 1,
	created_at     timestamptz NOT NULL DEFAULT now(),
	updated_at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.cadre_contact IS
	'A resident cadre''s contact with the village: the day, what village information was passed on, and '
	'to which paired agency (passed_to). Written by cadre_contact_add; audited.';
CREATE INDEX cadre_contact_cadre ON minqing.cadre_contact (cadre_id, contacted_on, contact_id);

------------------------------------------------------------------------------
-- Text rules
------------------------------------------------------------------------------
INSERT INTO minqing.text_rule VALUES
	('service_card', 'card_no', 40, false, NULL),
	('service_card', 'member_name', 50, false, 'member_name'),
	('service_card', 'officer_name', 50, false, 'officer_name'),
	('service_card', 'void_reason', 200, false, 'reason'),
	('pairing_help_item', 'code', 32, false, NULL),
	('pairing_help_item', 'label_zh', 20, false, NULL),
	('pairing_help_item', 'label_en', 60, false, NULL),
	('pairing', 'agency_contact', 50, false, 'agency_contact'),
	('pairing', 'unit_contact', 50, false, 'unit_contact'),
	('pairing', 'note', 500, true, 'note'),
	('pairing_activity', 'item', 32, false, 'item'),
	('pairing_activity', 'content', 1000, true, 'content'),
	('resident_cadre', 'name', 50, false, 'name'),
	('cadre_contact', 'content', 1000, true, 'content');

SELECT minqing.text_rules_apply(ARRAY['service_card', 'pairing_help_item', 'pairing', 'pairing_activity',
                                      'resident_cadre', 'cadre_contact']);

------------------------------------------------------------------------------
-- Audit
------------------------------------------------------------------------------
CREATE TRIGGER service_card_touch BEFORE UPDATE ON minqing.service_card
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER service_card_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.service_card
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('card_id');
CREATE TRIGGER pairing_touch BEFORE UPDATE ON minqing.pairing
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER pairing_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.pairing
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('pairing_id');
CREATE TRIGGER pairing_activity_touch BEFORE UPDATE ON minqing.pairing_activity
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER pairing_activity_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.pairing_activity
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('activity_id');
CREATE TRIGGER resident_cadre_touch BEFORE UPDATE ON minqing.resident_cadre
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER resident_cadre_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.resident_cadre
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('cadre_id');
CREATE TRIGGER cadre_contact_touch BEFORE UPDATE ON minqing.cadre_contact
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER cadre_contact_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.cadre_contact
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('contact_id');

------------------------------------------------------------------------------
-- Row-level security. Cards: read within my_scope(), written (by the
-- definer functions; FORCE binds them) within my_write_scope(). Pairings,
-- their activities, cadres and contacts: readable from either side (the
-- village's or enterprise's subtree, or the agency's), written within the
-- write scope of either side. No client role holds a write privilege;
-- nothing is deleted.
------------------------------------------------------------------------------
ALTER TABLE minqing.service_card ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.service_card FORCE ROW LEVEL SECURITY;
CREATE POLICY service_card_read ON minqing.service_card FOR SELECT
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()));
CREATE POLICY service_card_insert ON minqing.service_card FOR INSERT TO mq_owner
	WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()));
CREATE POLICY service_card_update ON minqing.service_card FOR UPDATE TO mq_owner
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))
	WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()));
GRANT SELECT ON minqing.service_card TO mq_staff;

ALTER TABLE minqing.pairing_help_item ENABLE ROW LEVEL SECURITY;
CREATE POLICY pairing_help_item_read ON minqing.pairing_help_item FOR SELECT USING (true);
GRANT SELECT ON minqing.pairing_help_item TO mq_staff;

DO $$
DECLARE
	t text;
	other text;
BEGIN
	FOREACH t IN ARRAY ARRAY['pairing', 'pairing_activity', 'resident_cadre', 'cadre_contact'] LOOP
		other := CASE WHEN t IN ('pairing', 'pairing_activity') THEN 'agency_path' ELSE 'from_path' END;
		EXECUTE format('ALTER TABLE minqing.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE minqing.%I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR SELECT '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()) '
		               'OR %I OPERATOR(ext.<@) (SELECT minqing.my_scope()))', t || '_read', t, other);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR INSERT TO mq_owner '
		               'WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()) '
		               'OR %I OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))', t || '_insert', t, other);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR UPDATE TO mq_owner '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()) '
		               'OR %I OPERATOR(ext.<@) (SELECT minqing.my_write_scope())) '
		               'WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()) '
		               'OR %I OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))', t || '_update', t, other,
		               other);
		EXECUTE format('GRANT SELECT ON minqing.%I TO mq_staff', t);
	END LOOP;
END
$$;

RESET ROLE;
