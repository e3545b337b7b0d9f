-- account: postgres
-- Revisions are append-only for everyone: the owner the definer functions
-- run as and the superuser included (the triggers refuse); nobody holds a
-- write privilege on the archive's tables.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(10);

SELECT throws_ok($$UPDATE minqing.archive_revision SET content = '{}' WHERE revision_id = 1$$, '42501', NULL,
	'the superuser cannot edit a revision');
SELECT throws_ok($$DELETE FROM minqing.archive_revision WHERE revision_id = 1$$, '42501', NULL,
	'nor delete one');
SELECT throws_ok($$TRUNCATE minqing.archive_revision$$, '42501', NULL, 'nor empty the table');
-- (Row-level security would hide every row from the owner: lifted here, in
-- this transaction, so that the statements reach the rows.)
ALTER TABLE minqing.archive_revision NO FORCE ROW LEVEL SECURITY;
SET LOCAL ROLE mq_owner;
SELECT throws_ok($$UPDATE minqing.archive_revision SET changed = '{}'$$, '42501', NULL,
	'the owner (as whom the definer functions run) cannot edit a revision');
SELECT throws_ok($$DELETE FROM minqing.archive_revision$$, '42501', NULL, 'nor delete one');
SELECT throws_ok($$TRUNCATE minqing.archive_revision$$, '42501', NULL, 'nor empty the table');
RESET ROLE;
ALTER TABLE minqing.archive_revision FORCE ROW LEVEL SECURITY;
SELECT is((SELECT array_agg(DISTINCT g.grantee::text || ':' || g.privilege_type ORDER BY g.grantee::text || ':' || g.privilege_type)
             FROM information_schema.role_table_grants g
            WHERE g.table_schema = 'minqing'
              AND (g.table_name LIKE 'archive\_%' OR g.table_name = 'hardship_mark')
              AND g.grantee NOT IN ('mq_owner') AND g.privilege_type <> 'SELECT'), NULL,
	'nobody but the owner holds a write privilege on the archive''s tables');
SELECT is((SELECT array_agg(DISTINCT g.grantee::text ORDER BY g.grantee::text)
             FROM information_schema.role_table_grants g
            WHERE g.table_schema = 'minqing' AND g.table_name = 'archive_revision' AND g.grantee <> 'mq_owner'),
	'{mq_staff}'::text[], 'staff read revisions (row-level security decides which); the kiosk not');
SELECT is((SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'minqing'::regnamespace AND c.relkind = 'r'
             AND (c.relname LIKE 'archive\_%' OR c.relname = 'hardship_mark')
             AND NOT (c.relrowsecurity AND c.relforcerowsecurity)), 0::bigint,
	'row-level security binds the owner on every archive table');

SELECT ok(NOT has_function_privilege('mq_staff', 'minqing.archive_counts(ext.ltree, integer)', 'EXECUTE')
	AND pg_get_userbyid((SELECT proowner FROM pg_proc WHERE proname = 'archive_counts')) = 'mq_lister',
	'the counts past row-level security: owned by mq_lister, callable by no staff (only through archive_section)');

SELECT * FROM finish();
ROLLBACK;
