-- account: postgres
-- The audit trail: every insert, update and delete leaves who, when, which
-- row, before and after; the ID number never appears; and the trail cannot
-- be changed, not even by a superuser.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(14);

CREATE TEMP TABLE t_ids AS
SELECT (SELECT unit_id FROM minqing.org_unit WHERE code = 'T01V01') AS unit_id;

INSERT INTO minqing.household (district_id, unit_id, path, household_no, address)
SELECT 1, unit_id, 'x', 'AUDIT-1', '测试地址1号' FROM t_ids;
SELECT is((SELECT op || ' ' || actor || ' ' || (after ->> 'address') || ' ' || (after ->> 'path')
             FROM minqing.audit_log
            WHERE table_name = 'household' AND after ->> 'household_no' = 'AUDIT-1'),
	'INSERT postgres 测试地址1号 LW.T01.T01V01', 'insert recorded with actor and derived path');

UPDATE minqing.household SET address = '测试地址2号' WHERE household_no = 'AUDIT-1';
SELECT is((SELECT (before ->> 'address') || ' -> ' || (after ->> 'address') FROM minqing.audit_log
            WHERE table_name = 'household' AND op = 'UPDATE' AND after ->> 'household_no' = 'AUDIT-1'),
	'测试地址1号 -> 测试地址2号', 'update recorded with before and after');
SELECT is((SELECT (after ->> 'row_version')::int FROM minqing.audit_log
            WHERE table_name = 'household' AND op = 'UPDATE' AND after ->> 'household_no' = 'AUDIT-1'),
	2, 'an update bumps the row version');

INSERT INTO minqing.resident (district_id, household_id, path, name, relation, id_card)
SELECT 1, household_id, 'x', '审计测试', 'head', '11010519491231002X'
  FROM minqing.household WHERE household_no = 'AUDIT-1';
SELECT ok((SELECT NOT (after ? 'id_card') AND after ->> 'id_card_masked' = '110105********002X'
             FROM minqing.audit_log WHERE table_name = 'resident' AND after ->> 'name' = '审计测试'),
	'the audit row holds the masked ID number, never the number');

DELETE FROM minqing.resident WHERE name = '审计测试';
DELETE FROM minqing.household WHERE household_no = 'AUDIT-1';
SELECT is((SELECT (before ->> 'address') || ' ' || coalesce(after::text, 'null') FROM minqing.audit_log
            WHERE table_name = 'household' AND op = 'DELETE' AND before ->> 'household_no' = 'AUDIT-1'),
	'测试地址2号 null', 'delete recorded with the row as it was');
SELECT is((SELECT count(DISTINCT txid) FROM minqing.audit_log
            WHERE row_id IN (SELECT row_id FROM minqing.audit_log
                              WHERE after ->> 'household_no' = 'AUDIT-1')), 1::bigint,
	'audit rows carry the transaction id');

SELECT throws_ok($$UPDATE minqing.audit_log SET actor = 'nobody'$$, '42501', NULL,
	'a superuser cannot update the audit trail');
SELECT throws_ok($$DELETE FROM minqing.audit_log$$, '42501', NULL,
	'a superuser cannot delete from the audit trail');
SELECT throws_ok($$TRUNCATE minqing.audit_log$$, '42501', NULL,
	'a superuser cannot truncate the audit trail');

SELECT throws_ok($$INSERT INTO minqing.household (district_id, unit_id, path, household_no, address)
	SELECT 1, unit_id, 'x', 'AUDIT-2', 'x' FROM minqing.org_unit WHERE code = 'T01'$$,
	'23514', NULL, 'a household belongs to a village, not a town');
SELECT throws_ok($$INSERT INTO minqing.resident (district_id, household_id, path, name, relation, id_card)
	SELECT 1, min(household_id), 'x', '坏号码', 'head', '110105194912310021'
	  FROM minqing.household$$, '23514', NULL, 'an ID number with a wrong check digit is refused');
SELECT throws_ok($$UPDATE minqing.org_unit SET code = 'X1' WHERE code = 'T01'$$, '23514', NULL,
	'the code of a unit cannot change (paths depend on it)');

-- A link is identified by both of its keys.
CREATE TEMP TABLE t_link AS
SELECT household_id, contact_resident_id FROM minqing.household_link
 WHERE path <@ 'LW.T01.T01V01' ORDER BY 1, 2 LIMIT 1;
DELETE FROM minqing.household_link l USING t_link t
 WHERE l.household_id = t.household_id AND l.contact_resident_id = t.contact_resident_id;
SELECT is((SELECT row_id FROM minqing.audit_log WHERE table_name = 'household_link' AND op = 'DELETE'
            ORDER BY audit_id DESC LIMIT 1),
	(SELECT household_id || '/' || contact_resident_id FROM t_link),
	'a link''s audit row names both keys');

-- A party member who links no household at all is reported too.
CREATE TEMP TABLE t_before AS
SELECT n FROM minqing.integrity_report WHERE problem = 'party members linking fewer than 5 households';
INSERT INTO minqing.party_member (resident_id, district_id, path, branch)
SELECT r.resident_id, 1, 'x', '测试支部' FROM minqing.resident r
 WHERE r.path <@ 'LW.T01.T01V01'
   AND NOT EXISTS (SELECT 1 FROM minqing.party_member p WHERE p.resident_id = r.resident_id)
 ORDER BY r.resident_id LIMIT 1;
SELECT is((SELECT n FROM minqing.integrity_report WHERE problem = 'party members linking fewer than 5 households'),
	(SELECT n + 1 FROM t_before), 'a party member without linked households is counted');

SELECT * FROM finish();
ROLLBACK;
