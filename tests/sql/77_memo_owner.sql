-- account: postgres
-- Memo revisions are append-only for everyone, the owner the definer
-- functions run as and the superuser included; nobody holds a write
-- privilege on the memo's tables; the search table is the owner's alone.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(9);

SELECT throws_ok($$UPDATE minqing.household_memo_revision SET living = 'x' WHERE revision_id = 1$$, '42501', NULL,
	'the superuser cannot edit a memo revision');
SELECT throws_ok($$DELETE FROM minqing.household_memo_revision WHERE revision_id = 1$$, '42501', NULL, 'nor delete one');
SELECT throws_ok($$TRUNCATE minqing.household_memo_revision$$, '42501', NULL, 'nor empty the table');
ALTER TABLE minqing.household_memo_revision NO FORCE ROW LEVEL SECURITY;
SET LOCAL ROLE mq_owner;
SELECT throws_ok($$UPDATE minqing.household_memo_revision SET changed = '{}'$$, '42501', NULL,
	'the owner (as whom the definer functions run) cannot edit a revision');
SELECT throws_ok($$DELETE FROM minqing.household_memo_revision$$, '42501', NULL, 'nor delete one');
RESET ROLE;
ALTER TABLE minqing.household_memo_revision FORCE ROW LEVEL SECURITY;
SELECT is((SELECT array_agg(DISTINCT g.grantee::text || ':' || g.privilege_type)
             FROM information_schema.role_table_grants g
            WHERE g.table_schema = 'minqing' AND g.table_name IN ('household_memo', 'household_memo_revision',
                                                                  'household_demand', 'household_search')
              AND g.grantee <> 'mq_owner' AND g.privilege_type <> 'SELECT'), NULL,
	'nobody but the owner holds a write privilege on the memo''s tables');
SELECT is((SELECT array_agg(DISTINCT g.grantee::text) FROM information_schema.role_table_grants g
            WHERE g.table_schema = 'minqing' AND g.table_name = 'household_search' AND g.grantee <> 'mq_owner'),
	NULL, 'nobody but the owner reads the search table');
-- The search table follows the registers (as an officer changes them).
SELECT household_id AS h FROM household WHERE household_no = 'T01V01-0001' \gset
SET LOCAL SESSION AUTHORIZATION demo_village;
UPDATE minqing.household SET address = '天兴新村99号' WHERE household_id = :h;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT doc LIKE '%天兴新村99号' FROM household_search WHERE household_id = :h), true,
	'a changed address is searchable at once');
SET LOCAL SESSION AUTHORIZATION demo_village;
UPDATE minqing.resident SET phone = '13900009999'
 WHERE resident_id = (SELECT head_resident_id FROM minqing.household WHERE household_id = :h);
RESET SESSION AUTHORIZATION;
SELECT is((SELECT '13900009999' = ANY (phones) AND keys @> '{p4:9999}' FROM household_search WHERE household_id = :h),
	true, 'and a member''s new phone');

SELECT * FROM finish();
ROLLBACK;
