-- 033_household_no.sql: a visit's households found by their number
-- through an index.
--
-- visit_pick() (the households of visit_record) looked a token up among all
-- the households of the caller's jurisdiction, testing each row's number
-- and its head's name: for a town's handler 51,000 rows and a regular
-- expression per row, 20 ms of a 30 ms visit idle, and the largest write of
-- the load test at 400 sessions (docs/operations.md, "Load"). An index on
-- upper(household_no) would not help: row-level security's condition is
-- tested first, and a condition that passes a column to a function not
-- marked leakproof (upper, substring) may not go before it, so never into an
-- index scan. Two stored generated columns hold what is compared (the number
-- in capitals, and its trailing digits as a number: the last 18, which a
-- bigint holds), compared with leakproof equality.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

ALTER TABLE minqing.household
	ADD COLUMN household_no_key text GENERATED ALWAYS AS (upper(household_no)) STORED,
	ADD COLUMN household_no_tail bigint
		GENERATED ALWAYS AS (right(substring(household_no FROM '([0-9]+)$'), 18)::bigint) STORED;
COMMENT ON COLUMN minqing.household.household_no_key IS
	'household_no in capitals (generated): visit_pick() finds a number as typed by it.';
COMMENT ON COLUMN minqing.household.household_no_tail IS
	'The trailing digits of household_no as a number, the last 18 (generated; NULL when it ends in none): '
	'visit_pick() finds "12" by it.';
CREATE INDEX household_no_key ON minqing.household (household_no_key);
CREATE INDEX household_no_tail ON minqing.household (household_no_tail);
-- (Statistics of the new columns now, not at the next autovacuum: without
-- them the planner guesses thousands of rows per number.)
ANALYZE minqing.household;
