-- account: demo_admin
-- The district administrator: the stale period is the district's setting,
-- its change is audited; revisions stay as they are even for them.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(10);

SELECT is((SELECT count(*) FROM archive_overview() WHERE stale),
	(SELECT count(*) FROM archive_section WHERE saved_at < now() - interval '12 months'),
	'by default a section is stale after 12 months');
SELECT lives_ok($$SELECT archive_set_stale_months(1::smallint, 3)$$, 'I set the district''s period to 3 months');
SELECT is((SELECT count(*) FROM archive_overview() WHERE stale),
	(SELECT count(*) FROM archive_section WHERE saved_at < now() - interval '3 months'),
	'now a section is stale after 3 months');
SELECT is((SELECT count(*) FROM archive_sections('T01V01') WHERE stale),
	(SELECT count(*) FROM archive_section WHERE path = 'LW.T01.T01V01' AND saved_at < now() - interval '3 months'),
	'in a village''s list of sections too');
SELECT is((SELECT after ->> 'stale_months' FROM audit_log WHERE table_name = 'archive_setting'
            ORDER BY audit_id DESC LIMIT 1), '3', 'the change is in the audit trail');
SELECT throws_ok($$SELECT archive_set_stale_months(1::smallint, 0)$$, '22023', NULL, 'at least a month');
SELECT throws_ok($$SELECT archive_set_stale_months(2::smallint, 6)$$, '42501', NULL, 'another district''s: refused');
SELECT throws_ok($$UPDATE archive_revision SET content = '{}'$$, '42501', NULL, 'I cannot edit a revision');
SELECT throws_ok($$DELETE FROM archive_revision$$, '42501', NULL, 'nor delete one');
SELECT throws_ok($$TRUNCATE archive_revision$$, '42501', NULL, 'nor empty the table');

SELECT * FROM finish();
ROLLBACK;
