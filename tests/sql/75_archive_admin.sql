-- account: demo_admin
-- The district administrator: the stale period is the district's setting,
-- its change is audited; revisions stay as they are even for them.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(15);

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

-- A new village: its sections are empty until the first save (revision 0 opened).
INSERT INTO org_unit (parent_id, code, name, kind)
SELECT unit_id, 'T01V99', '测试新村', 'village' FROM org_unit WHERE code = 'T01';
SELECT is((SELECT count(*) FROM archive_sections('T01V99') WHERE NOT filled AND NOT stale AND revision_no = 0),
	8::bigint, 'a new village has eight empty sections, none stale');
SELECT is((SELECT revision_no FROM archive_save_section('T01V99', 1, '{"area_km2": 2.5, "villager_groups": 6}', 0)),
	1, 'the first save is revision 1');
SELECT is((SELECT content FROM archive_section('T01V99', 1)), '{"area_km2": 2.50, "villager_groups": 6}'::jsonb,
	'the content as the columns keep it');
SELECT throws_ok($$SELECT * FROM archive_save_section('T01V99', 1, '{"area_km2": 3}', 0)$$, '40001', NULL,
	'a second first save is refused');
SELECT throws_ok($$SELECT * FROM archive_sections('T01')$$, '22023', NULL, 'a town has no village archive');

SELECT * FROM finish();
ROLLBACK;
