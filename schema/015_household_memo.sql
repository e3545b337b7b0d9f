-- 015_household_memo.sql: the household memo (户情民意备忘录): per household
-- a memo (living conditions, difficulties, reasonable demands, resolution)
-- saved as a whole, every save an append-only revision; the household's
-- demands (诉求), each open, resolved or turned into a case; and the search
-- table behind finding a household as an officer types (number, head's
-- name, address, phone or its tail, the tail of an ID number).
-- docs/memo.md has the model; schema/functions/61_memo.sql the functions.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- The memo and its revisions
------------------------------------------------------------------------------
CREATE TABLE minqing.household_memo (
	household_id  bigint PRIMARY KEY REFERENCES minqing.household,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	unit_id       integer NOT NULL REFERENCES minqing.org_unit,
	path          ext.ltree NOT NULL,
	living        text,
	difficulties  text,
	demands_note  text,
	resolution    text,
	revision_no   integer NOT NULL DEFAULT 1 CHECK (revision_no >= 1),
	saved_at      timestamptz NOT NULL DEFAULT now(),
	saved_by      name NOT NULL DEFAULT session_user,
	row_version   integer NOT NULL DEFAULT 1,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.household_memo IS
	'The household memo (户情民意备忘录) as it stands: living conditions (家庭生活情况), difficulties '
	'(困难问题), reasonable demands (合理诉求, a summary; the demands themselves are household_demand) '
	'and how they were resolved (化解情况); the latest revision''s number, when and by whom. Written by '
	'memo_save() only; audited.';
-- (No index on path: the lists walk a village's memos by the time they
-- were saved; an ltree index, estimated at a fixed 0.1 %, would be chosen
-- for the row-level security condition and fetch them all.)
CREATE INDEX household_memo_saved ON minqing.household_memo (unit_id, saved_at, household_id);
CREATE INDEX household_memo_saved_all ON minqing.household_memo (saved_at, household_id);

CREATE TABLE minqing.household_memo_revision (
	revision_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	household_id  bigint NOT NULL REFERENCES minqing.household,
	revision_no   integer NOT NULL CHECK (revision_no >= 1),
	district_id   smallint NOT NULL REFERENCES minqing.district,
	path          ext.ltree NOT NULL,
	saved_at      timestamptz NOT NULL DEFAULT now(),
	saved_by      name NOT NULL DEFAULT session_user,
	living        text,
	difficulties  text,
	demands_note  text,
	resolution    text,
	changed       text[] NOT NULL DEFAULT '{}',
	UNIQUE (household_id, revision_no)
);
COMMENT ON TABLE minqing.household_memo_revision IS
	'Every save of a household memo: who, when, the four fields as saved and which of them changed. '
	'Append-only: no role may update, delete or truncate it, the owner included.';
CREATE INDEX household_memo_revision_path_gist ON minqing.household_memo_revision USING gist (path);
CREATE TRIGGER household_memo_revision_no_update BEFORE UPDATE OR DELETE ON minqing.household_memo_revision
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_refuse();
CREATE TRIGGER household_memo_revision_no_truncate BEFORE TRUNCATE ON minqing.household_memo_revision
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.audit_refuse();

------------------------------------------------------------------------------
-- Demands (诉求)
------------------------------------------------------------------------------
CREATE TABLE minqing.household_demand (
	demand_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	household_id  bigint NOT NULL REFERENCES minqing.household,
	district_id   smallint NOT NULL REFERENCES minqing.district,
	unit_id       integer NOT NULL REFERENCES minqing.org_unit,
	path          ext.ltree NOT NULL,
	content       text NOT NULL,
	raised_on     date NOT NULL DEFAULT current_date,
	raised_by     name NOT NULL DEFAULT session_user,
	status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'case')),
	resolution    text,
	resolved_at   timestamptz,
	resolved_by   name,
	case_id       bigint REFERENCES minqing.cases,
	case_no       text,
	row_version   integer NOT NULL DEFAULT 1,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	CHECK ((status = 'case') = (case_id IS NOT NULL)),
	CHECK (status <> 'resolved' OR resolved_at IS NOT NULL)
);
COMMENT ON TABLE minqing.household_demand IS
	'A demand (诉求) a household raised: open, resolved (with a note) or turned into a case '
	'(demand_to_case(): case_id and its number). Written through demand_add/_resolve/_to_case; audited.';
COMMENT ON COLUMN minqing.household_demand.case_no IS
	'The number of the case the demand became, kept here so that it shows even where the case does not.';
CREATE INDEX household_demand_household ON minqing.household_demand (household_id);
CREATE INDEX household_demand_open ON minqing.household_demand (unit_id, raised_on, demand_id) WHERE status = 'open';
CREATE INDEX household_demand_open_all ON minqing.household_demand (raised_on, demand_id) WHERE status = 'open';

------------------------------------------------------------------------------
-- The search table: one row per household, kept by triggers on household
-- and resident (household_search_sync, 61_memo.sql). Read only by the
-- definer function household_search(), through the owner's policy, which
-- limits every read to the caller's jurisdiction itself: under the callers'
-- policy the GIN indexes could not serve (@> and LIKE are not leakproof).
------------------------------------------------------------------------------
CREATE TABLE minqing.household_search (
	household_id bigint PRIMARY KEY REFERENCES minqing.household ON DELETE CASCADE,
	district_id  smallint NOT NULL,
	path         ext.ltree NOT NULL,
	sort_key     text COLLATE "C" NOT NULL,
	household_no text COLLATE "C" NOT NULL,
	head_name    text COLLATE "C" NOT NULL DEFAULT '',
	doc          text NOT NULL,
	grams        text[] NOT NULL,
	phones       text[] NOT NULL DEFAULT '{}',
	id_tails     text[] NOT NULL DEFAULT '{}',
	keys         text[] NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE minqing.household_search IS
	'What a household is found by (household_search()): sort_key (the unit''s path and the household '
	'number: the order of every list), the number, the head''s name, doc (head''s name and address, lower '
	'case) and its bigrams, the phones of the household and its members, the last six characters of '
	'the members'' ID numbers, and keys: p4:<the last four digits of a phone>, i4:<the last four '
	'characters of an ID number> (few distinct keys: a small index, quickly built). Kept by triggers; '
	'no client role may read it.';
CREATE INDEX household_search_sort ON minqing.household_search (sort_key, household_id);
CREATE INDEX household_search_no ON minqing.household_search (household_no);
CREATE INDEX household_search_head ON minqing.household_search (head_name);
CREATE INDEX household_search_grams ON minqing.household_search USING gin (grams);
CREATE INDEX household_search_keys ON minqing.household_search USING gin (keys);
ALTER TABLE minqing.household_search ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.household_search FORCE ROW LEVEL SECURITY;
CREATE POLICY household_search_owner ON minqing.household_search TO mq_owner USING (true) WITH CHECK (true);

------------------------------------------------------------------------------
-- Text rules
------------------------------------------------------------------------------
INSERT INTO minqing.text_rule VALUES
	('household_memo', 'living', 2000, true, NULL),
	('household_memo', 'difficulties', 2000, true, NULL),
	('household_memo', 'demands_note', 2000, true, NULL),
	('household_memo', 'resolution', 2000, true, NULL),
	('household_memo_revision', 'living', 2000, true, NULL),
	('household_memo_revision', 'difficulties', 2000, true, NULL),
	('household_memo_revision', 'demands_note', 2000, true, NULL),
	('household_memo_revision', 'resolution', 2000, true, NULL),
	('household_demand', 'content', 1000, true, NULL),
	('household_demand', 'resolution', 1000, true, NULL);

SELECT minqing.text_rules_apply(ARRAY['household_memo', 'household_memo_revision', 'household_demand']);

------------------------------------------------------------------------------
-- Audit: the memo head and the demands like households; the memo's history
-- is its revisions.
------------------------------------------------------------------------------
CREATE TRIGGER household_memo_touch BEFORE UPDATE ON minqing.household_memo
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER household_memo_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.household_memo
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('household_id');
CREATE TRIGGER household_demand_touch BEFORE UPDATE ON minqing.household_demand
	FOR EACH ROW EXECUTE FUNCTION minqing.touch_row();
CREATE TRIGGER household_demand_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.household_demand
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('demand_id');

------------------------------------------------------------------------------
-- Row-level security: read within my_scope(), written (by the definer
-- functions, FORCE binds them) within my_write_scope(). No client role
-- holds a write privilege; memos and demands are never deleted.
------------------------------------------------------------------------------
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['household_memo', 'household_demand'] LOOP
		EXECUTE format('ALTER TABLE minqing.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE minqing.%I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR SELECT '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()))', t || '_read', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR INSERT TO mq_owner '
		               'WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))',
		               t || '_insert', t);
		EXECUTE format('CREATE POLICY %I ON minqing.%I FOR UPDATE TO mq_owner '
		               'USING (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope())) '
		               'WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()))',
		               t || '_update', t);
		EXECUTE format('GRANT SELECT ON minqing.%I TO mq_staff', t);
	END LOOP;
END
$$;

ALTER TABLE minqing.household_memo_revision ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.household_memo_revision FORCE ROW LEVEL SECURITY;
CREATE POLICY household_memo_revision_read ON minqing.household_memo_revision FOR SELECT
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()));
CREATE POLICY household_memo_revision_append ON minqing.household_memo_revision FOR INSERT TO mq_owner
	WITH CHECK (path OPERATOR(ext.<@) (SELECT minqing.my_write_scope()));
GRANT SELECT ON minqing.household_memo_revision TO mq_staff;

-- The triggers that keep household_search (their function is
-- household_search_sync() of 61_memo.sql; created here first, with the
-- same text, so that the triggers can name it). Statement triggers with
-- transition tables: an import of thousands of residents refreshes each
-- household once.
CREATE FUNCTION minqing.household_search_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN NULL; -- replaced by schema/functions/61_memo.sql in this transaction
END
$$;
REVOKE ALL ON FUNCTION minqing.household_search_sync() FROM PUBLIC;
CREATE TRIGGER household_search_insert AFTER INSERT ON minqing.household
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION minqing.household_search_sync();
CREATE TRIGGER household_search_update AFTER UPDATE ON minqing.household
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.household_search_sync();
CREATE TRIGGER resident_search_insert AFTER INSERT ON minqing.resident
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION minqing.household_search_sync();
CREATE TRIGGER resident_search_update AFTER UPDATE ON minqing.resident
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.household_search_sync();
CREATE TRIGGER resident_search_delete AFTER DELETE ON minqing.resident
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION minqing.household_search_sync();

RESET ROLE;

-- The search rows of the households already there, as the migrating
-- superuser (mq_owner would see none of them under FORCE row-level
-- security). household_search_rows() has the text of its function file.
CREATE FUNCTION minqing.household_search_rows(p_ids bigint[])
RETURNS SETOF minqing.household_search
LANGUAGE sql STABLE AS $$
	SELECT h.household_id, h.district_id, h.path,
	       (h.path::text || ' ' || h.household_no) COLLATE "C", h.household_no COLLATE "C",
	       coalesce(r.name, '') COLLATE "C", d.doc, minqing.text_bigrams(d.doc), ph.phones, i.tails,
	       ARRAY(SELECT DISTINCT k.k
	               FROM (SELECT 'p4:' || right(p.p, 4) FROM unnest(ph.phones) AS p(p)
	                     UNION ALL SELECT 'i4:' || right(t.t, 4) FROM unnest(i.tails) AS t(t)) k(k)
	              ORDER BY 1)
	  FROM minqing.household h
	  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	 CROSS JOIN LATERAL (SELECT pg_catalog.lower(pg_catalog.concat_ws(' ', r.name, h.address)) AS doc) d
	 CROSS JOIN LATERAL (SELECT ARRAY(SELECT DISTINCT x.p
	                                    FROM (SELECT h.phone::text
	                                          UNION ALL
	                                          SELECT m.phone::text FROM minqing.resident m
	                                           WHERE m.household_id = h.household_id AND m.active) x(p)
	                                   WHERE x.p IS NOT NULL ORDER BY 1) AS phones) ph
	 CROSS JOIN LATERAL (SELECT ARRAY(SELECT right(m.id_card, 6) FROM minqing.resident m
	                                   WHERE m.household_id = h.household_id AND m.active
	                                     AND m.id_card IS NOT NULL ORDER BY 1) AS tails) i
	 WHERE h.active AND (p_ids IS NULL OR h.household_id = ANY (p_ids))
$$;
ALTER FUNCTION minqing.household_search_rows(bigint[]) OWNER TO mq_owner;
REVOKE ALL ON FUNCTION minqing.household_search_rows(bigint[]) FROM PUBLIC;
INSERT INTO minqing.household_search SELECT * FROM minqing.household_search_rows(NULL);
