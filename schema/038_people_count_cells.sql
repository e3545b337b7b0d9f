-- 038_people_count_cells.sql: the households in a grid cell counted per
-- village beside the households (people_count, 034_people_count.sql).
--
-- 未入网格的农户 (households_without_cell()) tested every household of the
-- unit against household_cell to find the few, or none, without a cell:
-- 9–14 ms for a village of 6,000 households at scale 10, 30 ms for a town,
-- for an empty list. A household's cell row has the household's path (its
-- own unit: the foreign key on cell and unit), so a village whose
-- households outnumber its cell rows is one that has a household without a
-- cell, and the others need not be read (as unlinked_households() does
-- with the party links).
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

ALTER TABLE minqing.people_count DROP CONSTRAINT people_count_kind_check;
ALTER TABLE minqing.people_count ADD CONSTRAINT people_count_kind_check
	CHECK (kind IN ('households', 'residents', 'party_members', 'party_linked', 'in_cell'));
COMMENT ON TABLE minqing.people_count IS
	'Counts of households, residents, party members, households linked to a party member (party_linked) and '
	'households in a grid cell (in_cell) per path, as changes (n signed) appended by the triggers on those '
	'tables and summed per path and kind by people_count_fold(). The sum over the paths a person sees is what '
	'they see of those tables.';

RESET ROLE;
-- The same triggers as on the other tables (034), counting household_cell's
-- rows (as the superuser: people_count_sync() belongs to mq_summariser, and
-- mq_owner may not execute it).
CREATE TRIGGER people_count_insert AFTER INSERT ON minqing.household_cell
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION minqing.people_count_sync('in_cell');
CREATE TRIGGER people_count_delete AFTER DELETE ON minqing.household_cell
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION minqing.people_count_sync('in_cell');
CREATE TRIGGER people_count_move AFTER UPDATE ON minqing.household_cell FOR EACH ROW
	WHEN (OLD.path OPERATOR(ext.<>) NEW.path) EXECUTE FUNCTION minqing.people_count_sync('in_cell');
CREATE TRIGGER people_count_truncate AFTER TRUNCATE ON minqing.household_cell
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.people_count_sync('in_cell');

-- The rows there are, as the superuser (past row-level security).
INSERT INTO minqing.people_count (path, kind, n)
SELECT path, 'in_cell', count(*) FROM minqing.household_cell GROUP BY path;
