-- account: postgres
-- The shape of the schema: every table is protected, every definer function
-- pins its search_path, nothing is granted to PUBLIC that should not be.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(25);

SELECT is((SELECT max(version) FROM minqing.schema_version),
	(SELECT count(*)::int FROM minqing.schema_version), 'migrations applied in order, none missing');
-- (That the files define every function and view: tests/sql/functions.sh.)
SELECT is((SELECT version FROM minqing.schema_functions ORDER BY applied_id DESC LIMIT 1),
	(SELECT max(version) FROM minqing.schema_version),
	'the function files (schema/functions/) were applied at the current schema version');
SELECT has_extension('ltree', 'ltree is installed');
SELECT tables_are('minqing', ARRAY['schema_version', 'schema_functions', 'district', 'org_unit', 'staff', 'station',
	'household', 'resident', 'party_member', 'villager_representative', 'household_link',
	'audit_log', 'work_calendar_setting', 'holiday', 'case_category', 'service_commitment',
	'escalation_rule', 'message_template', 'outbox', 'cases', 'case_event', 'case_extension',
	'case_due', 'case_search', 'text_rule', 'message_limit', 'job_setting', 'job_state',
	'escalation_work', 'news', 'notice', 'notice_read', 'public_contact', 'receiver',
	'import_run', 'import_row', 'import_reject', 'archive_setting', 'archive_section',
	'archive_revision', 'archive_overview', 'archive_member', 'archive_rule', 'archive_economy',
	'archive_facility', 'archive_stability', 'hardship_mark', 'household_memo', 'household_memo_revision',
	'household_demand', 'household_search', 'service_card', 'pairing_help_item', 'pairing', 'pairing_activity',
	'resident_cadre', 'cadre_contact', 'meeting', 'meeting_matter', 'meeting_invitee', 'grid_cell',
	'household_cell', 'service_team', 'service_team_member', 'service_team_cell', 'visit', 'visit_household',
	'visit_setting', 'volunteer', 'enterprise', 'activity', 'activity_target', 'activity_signup',
	'activity_case', 'sms_inbound', 'report_case_day', 'report_case_month', 'report_case_hours', 'report_case_mark', 'report_case_log', 'case_news', 'outbox_news', 'report_outreach_state',
	'report_outreach_day', 'assessment_metric', 'assessment_rule_set', 'assessment_rule', 'assessment',
	'assessment_item', 'assessment_unit', 'assessment_score', 'assessment_adjustment', 'staff_login_day', 'inspection',
	'inspection_finding', 'finding_event', 'circular', 'people_count', 'contact_count', 'entry_count', 'team_visit_count', 'station_open_count'],
	'exactly the tables of the migrations exist');

SELECT is(
	(SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c
	  JOIN pg_namespace n ON n.oid = c.relnamespace
	 WHERE n.nspname = 'minqing' AND c.relkind = 'r' AND NOT c.relrowsecurity
	   AND c.relname NOT IN ('schema_version', 'schema_functions')),
	NULL, 'row-level security is enabled on every table but schema_version and schema_functions');
SELECT is(
	(SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c
	  JOIN pg_namespace n ON n.oid = c.relnamespace
	 WHERE n.nspname = 'minqing' AND c.relkind = 'r' AND NOT c.relforcerowsecurity
	   AND c.relname IN ('household', 'resident', 'party_member', 'villager_representative',
	                     'household_link', 'audit_log', 'station', 'outbox', 'cases', 'case_event',
	                     'case_extension', 'case_search', 'news', 'notice', 'notice_read', 'public_contact',
	                     'receiver', 'archive_setting', 'archive_section',
	                     'archive_revision', 'archive_overview', 'archive_member', 'archive_rule',
	                     'archive_economy', 'archive_facility', 'archive_stability', 'hardship_mark',
	                     'household_memo', 'household_memo_revision', 'household_demand', 'household_search',
	                     'service_card', 'pairing', 'pairing_activity', 'resident_cadre', 'cadre_contact',
	                     'meeting', 'meeting_matter', 'meeting_invitee', 'grid_cell', 'household_cell',
	                     'service_team', 'service_team_member', 'service_team_cell', 'visit',
	                     'visit_household', 'visit_setting', 'volunteer', 'enterprise', 'activity',
	                     'activity_target', 'activity_signup', 'activity_case', 'sms_inbound',
	                     'report_case_day', 'report_case_month', 'report_case_hours', 'report_case_mark', 'report_case_log', 'case_news', 'outbox_news', 'report_outreach_state',
	                     'report_outreach_day', 'assessment_metric', 'assessment_rule_set', 'assessment_rule',
	                     'assessment', 'assessment_item', 'assessment_unit', 'assessment_score',
	                     'assessment_adjustment', 'staff_login_day', 'inspection',
	                     'inspection_finding', 'finding_event', 'circular', 'people_count', 'contact_count', 'entry_count', 'team_visit_count', 'station_open_count')),
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
	                                           'mq_case_mover', 'mq_lister', 'mq_checker', 'mq_reaper',
	                                           'mq_summariser', 'mq_monitor')),
	NULL, 'definer functions are owned by the NOLOGIN owner roles, never a superuser');
SELECT is(
	(SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
	  JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'minqing' AND has_function_privilege('public', p.oid, 'EXECUTE')),
	ARRAY['id_card_valid', 'mask_id_card', 'mask_name', 'mask_phone', 'my_scope',
	      'my_write_scope', 'text_has_hidden', 'text_is_blank', 'text_ok', 'whoami'],
	'only harmless functions are executable by PUBLIC');
SELECT is(
	(SELECT array_agg(table_name::text || ':' || privilege_type::text ORDER BY table_name, privilege_type)
	   FROM information_schema.role_table_grants
	  WHERE table_schema = 'minqing' AND grantee = 'PUBLIC'),
	ARRAY['schema_functions:SELECT', 'schema_version:SELECT'],
	'PUBLIC may read only the schema version and function files (so a non-staff login is told so)');
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
	'staff rows change only through user_add and the staff_set_* functions');
SELECT is((SELECT rolcanlogin FROM pg_roles WHERE rolname = 'mq_role_manager'), false,
	'the role manager cannot log in');
SELECT is((SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
	  WHERE r.rolname IN ('mq_role_manager', 'mq_owner', 'mq_reaper', 'mq_checker', 'mq_summariser')), 0::bigint,
	'nobody is a member of mq_owner, mq_role_manager, mq_reaper, mq_checker or mq_summariser');

-- A caller's temporary objects are the names a definer function could be
-- made to use (a temp table with the caller's trigger ran as the owner).
SELECT ok(NOT has_database_privilege('public', current_database(), 'TEMPORARY'),
	'PUBLIC may not create temporary objects');
SELECT is(
	(SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
	  JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'minqing'
	   AND p.prosrc ~* '\m(temp|temporary)\M|pg_temp\.|create\s+(unlogged\s+)?table|advisory'),
	NULL, 'no function creates or names a temporary table, or takes an advisory lock');
SELECT is(
	(SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
	  JOIN pg_namespace n ON n.oid = p.pronamespace
	  JOIN pg_language l ON l.oid = p.prolang
	 WHERE n.nspname = 'minqing' AND l.lanname = 'plpgsql'
	   AND NOT coalesce(p.proconfig, '{}') @> ARRAY['search_path=minqing, ext, pg_temp']),
	NULL, 'every PL/pgSQL function pins search_path, pg_temp last');
SELECT is(
	(SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
	  JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'minqing' AND p.prosecdef
	   AND p.prosrc ~* '\mexecute\M\s'
	   AND p.proname NOT IN ('user_add', 'user_disable', 'login_defaults', 'staff_set_duty', 'staff_set_active')),
	NULL, 'dynamic SQL in definer functions only where roles are managed (format with %I and %L)');

-- Every text column a person writes has a length and content rule: a check
-- constraint (validated) and the guard trigger that explains a refusal.
SELECT is(
	(SELECT array_agg(c.table_name || '.' || c.column_name ORDER BY c.table_name, c.column_name)
	   FROM information_schema.columns c
	   JOIN information_schema.tables t USING (table_schema, table_name)
	  WHERE c.table_schema = 'minqing' AND t.table_type = 'BASE TABLE'
	    AND c.data_type IN ('text', 'character varying', 'character') AND c.domain_name IS NULL
	    AND NOT EXISTS (SELECT 1 FROM minqing.text_rule r
	                     WHERE r.table_name = c.table_name AND r.column_name = c.column_name)),
	-- codes, states and keys with checks of their own, derived text, system columns
	ARRAY['activity.kind', 'activity_case.case_no', 'activity_signup.status', 'activity_signup.via',
	      'archive_facility.kind', 'archive_member.committee', 'archive_stability.kind', 'assessment.period',
	      'assessment.status', 'assessment_item.code', 'assessment_item.kind', 'assessment_item.metric_code', 'assessment_item.name_en',
	      'assessment_item.name_zh', 'assessment_item.scoring', 'assessment_metric.description',
	      'assessment_metric.evidence_function', 'assessment_metric.facts_function', 'assessment_metric.metric_code',
	      'assessment_metric.name_en', 'assessment_metric.name_zh', 'assessment_metric.scoring',
	      'assessment_metric.value_function', 'assessment_rule.code', 'assessment_rule.kind',
	      'assessment_rule.metric_code', 'assessment_rule_set.period', 'assessment_score.basis',
	      'assessment_score.explanation', 'assessment_unit.level', 'audit_log.op',
	      'audit_log.row_id', 'audit_log.table_name', 'case_category.centre', 'case_category.code',
	      'case_event.kind', 'case_extension.decision', 'case_search.doc', 'cases.case_no',
	      'cases.commitment_kind', 'circular.kind', 'circular.status', 'district.code', 'escalation_rule.basis', 'escalation_rule.step',
	      'escalation_work.case_no', 'escalation_work.step', 'escalation_work.title',
	      'escalation_work.unit_name', 'finding_event.kind', 'hardship_mark.kind', 'holiday.kind', 'household.household_no_key', 'household_demand.case_no',
	      'household_demand.status', 'household_search.doc', 'household_search.head_name',
	      'household_search.household_no', 'household_search.sort_key', 'import_reject.field',
	      'import_reject.reason', 'import_run.kind', 'inspection.kind', 'inspection.rating',
	      'inspection_finding.finding_no', 'inspection_finding.status', 'job_state.job', 'meeting.form', 'meeting.kind',
	      'meeting.status', 'meeting_matter.case_no', 'meeting_matter.due_case_no',
	      'meeting_matter.source', 'message_template.code', 'org_unit.code', 'outbox.dedupe_key',
	      'outbox.delivery_status', 'outbox.last_error', 'outbox.recipient_phone', 'outbox.status',
	      'outbox.transport', 'outbox.transport_ref', 'people_count.kind', 'report_case_day.dim', 'report_case_day.key',
	      'report_case_hours.dim', 'report_case_hours.key', 'report_case_log.answer', 'report_case_log.event', 'report_case_mark.kind',
	      'report_case_month.dim', 'report_case_month.key', 'resident.gender', 'resident.id_card',
	      'resident.id_card_masked', 'schema_functions.hash', 'schema_version.name',
	      'service_commitment.kind', 'service_team_member.kind', 'sms_inbound.case_no',
	      'sms_inbound.outcome', 'sms_inbound.phone', 'station.code', 'text_rule.column_name',
	      'text_rule.field', 'text_rule.table_name', 'visit.kind', 'visit.shift',
	      'visit_household.case_no', 'volunteer.kind', 'work_calendar_setting.time_zone'],
	'every text column a person writes has a text rule; the rest are codes, keys and system text');
SELECT is(
	(SELECT array_agg(r.table_name || '.' || r.column_name ORDER BY r.table_name, r.column_name) FROM minqing.text_rule r
	  WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k
	                     WHERE k.conname = r.table_name || '_' || r.column_name || '_text'
	                       AND k.convalidated)
	     OR NOT EXISTS (SELECT 1 FROM pg_trigger g
	                     WHERE g.tgrelid = ('minqing.' || r.table_name)::regclass
	                       AND g.tgname = r.table_name || '_text_guard')),
	NULL, 'each text rule has its validated check constraint and the guard trigger');
SELECT is(
	(SELECT array_agg(r.rolname::text ORDER BY r.rolname) FROM minqing.staff s JOIN pg_roles r ON r.rolname = s.login
	  WHERE NOT EXISTS (SELECT 1 FROM pg_db_role_setting d JOIN pg_database b ON b.oid = d.setdatabase
	                     WHERE d.setrole = r.oid AND b.datname = current_database()
	                       AND d.setconfig @> ARRAY['statement_timeout=30s'])),
	NULL, 'every staff login has a statement_timeout in this database');

SELECT is(
	(SELECT array_agg(p.oid::regprocedure::text ORDER BY p.proname) FROM pg_proc p
	  JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'minqing' AND obj_description(p.oid, 'pg_proc') IS NULL
	   AND EXISTS (SELECT 1 FROM unnest(ARRAY['mq_officer', 'mq_handler', 'mq_supervisor', 'mq_admin',
	                                          'mq_kiosk', 'mq_escalator', 'mq_notifier']) AS r
	                WHERE has_function_privilege(r, p.oid, 'EXECUTE'))),
	NULL, 'every function a person, the console or a job may call has a COMMENT ON');

SELECT * FROM finish();
ROLLBACK;
