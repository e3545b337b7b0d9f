-- 035_case_search_units.sql: a case's units beside its words, so that a
-- search by words in a village or department reads only that unit's cases.
--
-- case_find_words() looked through the newest 2,000 cases of the caller's
-- unit and then, for the older ones, took every case of the district whose
-- bigrams hold the word's (the GIN index of case_search) and kept those of
-- the unit: "路灯" is in 12,000 cases of the demo district at scale 10 and
-- 111 of a village's 13,000, so a village's search read 12,000 rows for a
-- hundred, 200–900 ms, and find cases was a quarter of the server's time in
-- the load test at 400 sessions (docs/operations.md, "Load").
--
-- case_search now holds the case's receiving unit (fixed at intake) and its
-- handling unit (changed by dispatch and return, copied by a trigger on
-- cases), each with a btree index: the bitmap of the unit's cases is ANDed
-- with the bigram index's bitmap before any row is read. The table is
-- written anew (no million dead rows of an UPDATE), with its indexes,
-- policies and grants as they were.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE TABLE minqing.case_search_new (
	case_id          bigint NOT NULL,
	doc              text NOT NULL,
	grams            text[] NOT NULL,
	origin_unit_id   integer NOT NULL,
	assigned_unit_id integer
);
RESET ROLE;
-- (As the superuser: every row, past row-level security.)
INSERT INTO minqing.case_search_new (case_id, doc, grams, origin_unit_id, assigned_unit_id)
SELECT s.case_id, s.doc, s.grams, c.origin_unit_id, c.assigned_unit_id
  FROM minqing.case_search s JOIN minqing.cases c ON c.case_id = s.case_id
 ORDER BY s.case_id;
SET LOCAL ROLE mq_owner;

DROP TABLE minqing.case_search;
ALTER TABLE minqing.case_search_new RENAME TO case_search;
ALTER TABLE minqing.case_search ADD PRIMARY KEY (case_id);
COMMENT ON TABLE minqing.case_search IS
	'Searchable text of a case (lower-cased title, content and submitter name), its bigrams (GIN) and its '
	'receiving and handling units (so that a unit''s search ANDs the unit''s cases with the bigrams). Kept by '
	'triggers from cases; rows visible exactly when their case is.';
COMMENT ON COLUMN minqing.case_search.origin_unit_id IS 'cases.origin_unit_id (fixed at intake).';
COMMENT ON COLUMN minqing.case_search.assigned_unit_id IS
	'cases.assigned_unit_id, copied by the trigger case_search_units when a dispatch or a return changes it.';
CREATE INDEX case_search_grams ON minqing.case_search USING gin (grams);
CREATE INDEX case_search_origin ON minqing.case_search (origin_unit_id);
CREATE INDEX case_search_assigned ON minqing.case_search (assigned_unit_id) WHERE assigned_unit_id IS NOT NULL;

ALTER TABLE minqing.case_search ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.case_search FORCE ROW LEVEL SECURITY;
CREATE POLICY case_search_read ON minqing.case_search FOR SELECT
	USING (EXISTS (SELECT 1 FROM minqing.cases c WHERE c.case_id = case_search.case_id));
CREATE POLICY case_search_write ON minqing.case_search FOR INSERT TO mq_owner WITH CHECK (true);
CREATE POLICY case_search_owner ON minqing.case_search FOR SELECT TO mq_owner USING (true);
-- The units' copy (case_search_units_sync(), owner mq_owner) changes one column of the case's row.
CREATE POLICY case_search_units ON minqing.case_search FOR UPDATE TO mq_owner USING (true) WITH CHECK (true);
GRANT SELECT ON minqing.case_search TO mq_staff;

-- The trigger that copies the handling unit (case_search_units_sync(),
-- 50_console.sql; created here first so that the trigger can name it).
-- A row trigger with WHEN: the many updates of a case that keep its units
-- (accept, start, warnings, resolve, close) cost a comparison. ENABLE
-- ALWAYS, as case_search_insert: the search rows never disagree with the
-- cases, whatever session_replication_role says.
CREATE FUNCTION minqing.case_search_units_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN NULL; -- replaced by schema/functions/50_console.sql in this transaction
END
$$;
REVOKE ALL ON FUNCTION minqing.case_search_units_sync() FROM PUBLIC;
CREATE TRIGGER case_search_units AFTER UPDATE ON minqing.cases FOR EACH ROW
	WHEN ((OLD.origin_unit_id, OLD.assigned_unit_id) IS DISTINCT FROM (NEW.origin_unit_id, NEW.assigned_unit_id))
	EXECUTE FUNCTION minqing.case_search_units_sync();
ALTER TABLE minqing.cases ENABLE ALWAYS TRIGGER case_search_units;

RESET ROLE;
ANALYZE minqing.case_search;
