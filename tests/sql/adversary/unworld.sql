-- Takes back what tests/sql/adversary/world.sql made that the integrity
-- report counts (a household without a head or a linked party member), so
-- `minqing-admin check` stays clean for the tests after. The second
-- district, its units, staff and cases stay (cases are never deleted).
\set ON_ERROR_STOP 1
-- (Memo revisions are append-only: their triggers refuse a DELETE, so
-- they are taken back with the row triggers off, as the superuser may.)
SET session_replication_role = replica;
DELETE FROM minqing.household_memo_revision WHERE household_id IN
	(SELECT household_id FROM minqing.household WHERE household_no = 'XQ-0001');
SET session_replication_role = origin;
DELETE FROM minqing.household_memo WHERE household_id IN
	(SELECT household_id FROM minqing.household WHERE household_no = 'XQ-0001');
DELETE FROM minqing.household_demand WHERE household_id IN
	(SELECT household_id FROM minqing.household WHERE household_no = 'XQ-0001');
DELETE FROM minqing.hardship_mark WHERE household_id IN
	(SELECT household_id FROM minqing.household WHERE household_no = 'XQ-0001');
DELETE FROM minqing.service_card WHERE household_id IN
	(SELECT household_id FROM minqing.household WHERE household_no = 'XQ-0001');
DELETE FROM minqing.meeting_invitee WHERE meeting_id IN (SELECT meeting_id FROM minqing.meeting WHERE title = 'XQ机密恳谈');
DELETE FROM minqing.meeting_matter WHERE meeting_id IN (SELECT meeting_id FROM minqing.meeting WHERE title = 'XQ机密恳谈');
DELETE FROM minqing.meeting WHERE title = 'XQ机密恳谈';
DELETE FROM minqing.visit_household WHERE household_id IN
	(SELECT household_id FROM minqing.household WHERE household_no = 'XQ-0001');
DELETE FROM minqing.visit WHERE findings = 'XQ机密走访';
DELETE FROM minqing.service_team_member WHERE resident_id IN
	(SELECT resident_id FROM minqing.resident WHERE name = 'XQ机密居民');
DELETE FROM minqing.resident WHERE name = 'XQ机密居民';
DELETE FROM minqing.household WHERE household_no = 'XQ-0001';
