-- account: postgres
-- The shape of the schema: every table is protected, every definer function
-- pins its search_path, nothing is granted to PUBLIC that should not be.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(16);

SELECT is((SELECT max(version) FROM minqing.schema_version),
	(SELECT count(*)::int FROM minqing.schema_version), 'migrations applied in order, none missing');
SELECT has_extension('ltree', 'ltree is installed');
SELECT tables_are('minqing', ARRAY['schema_version', 'district', 'org_unit', 'staff', 'station',
	'household', 'resident', 'party_member', 'villager_representative', 'household_link',
	'audit_log', 'work_calendar_setting', 'holiday', 'case_category', 'service_commitment',
	'escalation_rule', 'message_template', 'outbox', 'cases', 'case_event', 'case_extension',
	'case_due', 'case_search'],
	'exactly the tables of the migrations exist');

SELECT is(
	(SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c
	  JOIN pg_namespace n ON n.oid = c.relnamespace
	 WHERE n.nspname = 'minqing' AND c.relkind = 'r' AND NOT c.relrowsecurity
	   AND c.relname <> 'schema_version'),
	NULL, 'row-level security is enabled on every table but schema_version');
SELECT is(
	(SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c
	  JOIN pg_namespace n ON n.oid = c.relnamespace
	 WHERE n.nspname = 'minqing' AND c.relkind = 'r' AND NOT c.relforcerowsecurity
	   AND c.relname IN ('household', 'resident', 'party_member', 'villager_representative',
	                     'household_link', 'audit_log', 'station', 'outbox', 'cases', 'case_event',
	                     'case_extension', 'case_search')),
	NULL, 'row-level security binds the owner (FORCE) on the jurisdiction tables');
SELECT is(
	(SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
	  JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'minqing' AND p.prosecdef
	   AND NOT coalesce(p.proconfig, '{}') @> ARRAY['search_path=minqing, ext, pg_temp']),
	NULL, 'every SECURITY DEFINER function pins search_path');
SELECT is(
	(SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
	  JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'minqing' AND p.prosecdef
	   AND pg_get_userbyid(p.proowner) NOT IN ('mq_owner', 'mq_role_manager', 'mq_publisher',
	                                           'mq_case_mover', 'mq_lister')),
	NULL, 'definer functions are owned by the NOLOGIN owner roles, never a superuser');
SELECT is(
	(SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
	  JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'minqing' AND has_function_privilege('public', p.oid, 'EXECUTE')),
	ARRAY['id_card_valid', 'mask_id_card', 'mask_name', 'mask_phone', 'my_scope',
	      'my_write_scope', 'whoami'],
	'only harmless functions are executable by PUBLIC');
SELECT is(
	(SELECT array_agg(table_name::text || ':' || privilege_type::text ORDER BY 1)
	   FROM information_schema.role_table_grants
	  WHERE table_schema = 'minqing' AND grantee = 'PUBLIC'),
	ARRAY['schema_version:SELECT'],
	'PUBLIC may read only the schema version (so a non-staff login is told so)');
SELECT ok(NOT has_column_privilege('mq_staff', 'minqing.resident', 'id_card', 'SELECT'),
	'staff cannot read the ID number column');
SELECT ok(has_column_privilege('mq_staff', 'minqing.resident', 'id_card_masked', 'SELECT'),
	'staff read the masked ID number');
SELECT ok(NOT has_table_privilege('mq_admin', 'minqing.audit_log', 'UPDATE')
	AND NOT has_table_privilege('mq_admin', 'minqing.audit_log', 'DELETE')
	AND NOT has_table_privilege('mq_admin', 'minqing.audit_log', 'INSERT'),
	'not even administrators may write the audit trail');
SELECT ok(NOT has_column_privilege('mq_officer', 'minqing.household', 'path', 'UPDATE')
	AND NOT has_column_privilege('mq_officer', 'minqing.household', 'unit_id', 'UPDATE')
	AND NOT has_column_privilege('mq_officer', 'minqing.household', 'district_id', 'INSERT'),
	'nobody writes path, unit or district of a household directly');
SELECT ok(NOT has_table_privilege('mq_staff', 'minqing.staff', 'UPDATE')
	AND NOT has_table_privilege('mq_staff', 'minqing.staff', 'INSERT'),
	'staff rows change only through user_add/user_disable');
SELECT is((SELECT rolcanlogin FROM pg_roles WHERE rolname = 'mq_role_manager'), false,
	'the role manager cannot log in');
SELECT is((SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
	  WHERE r.rolname IN ('mq_role_manager', 'mq_owner')), 0::bigint,
	'nobody is a member of mq_owner or mq_role_manager');

SELECT * FROM finish();
ROLLBACK;
