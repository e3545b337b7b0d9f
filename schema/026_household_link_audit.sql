-- 026_household_link_audit.sql: the audit trigger of household_link names
-- a link by both its keys (row_id "household_id/contact_resident_id"), in
-- every database.
--
-- 001_spine.sql was changed in place after its first version: the first
-- one audited a link by household_id alone (audit_row('household_id')), so
-- a household's links could not be told apart in the trail. A database
-- made by that version (the first buildable commit, 280eb18, of
-- tests/ops/upgrade.sh) kept the old trigger through every migration and
-- differed from a fresh install. The trigger is made again as 001 makes it
-- now; in a database that has it already, this changes nothing. The audit
-- rows written before keep their row_id.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

DROP TRIGGER household_link_audit ON minqing.household_link;
CREATE TRIGGER household_link_audit AFTER INSERT OR UPDATE OR DELETE ON minqing.household_link
	FOR EACH ROW EXECUTE FUNCTION minqing.audit_row('household_id', 'contact_resident_id');
