-- account: demo_village
-- An information officer of village T01V01 with psql, trying everything a
-- curious or hostile person would: reading and changing another village's
-- households, reading ID numbers, writing the audit trail, widening their
-- own privileges. tests/sql/adversary.sh checks afterwards, as a superuser,
-- that nothing of the other village changed.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(38);

-- Count the rows a statement really touched (RLS makes them silently zero).
CREATE FUNCTION pg_temp.affected(sql text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE sql;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
CREATE TEMP TABLE t AS
SELECT (SELECT u.unit_id FROM staff s JOIN org_unit u USING (unit_id) WHERE s.login = 'demo_village2')
	AS other_unit,
       (SELECT u.unit_id FROM staff s JOIN org_unit u USING (unit_id) WHERE s.login = 'demo_village')
	AS own_unit;

SELECT is((SELECT duty::text || ' ' || unit_code FROM whoami()), 'officer T01V01', 'I am the officer of T01V01');
SELECT ok((SELECT count(*) FROM household) > 0, 'I see the households of my village');
SELECT is((SELECT count(*) FROM household WHERE unit_id <> (SELECT own_unit FROM t)), 0::bigint,
	'I see no household outside my village');
SELECT is((SELECT count(*) FROM household WHERE path <@ 'LW.T02'), 0::bigint,
	'I see nothing of another town');
SELECT is((SELECT count(*) FROM resident WHERE NOT path <@ 'LW.T01.T01V01'), 0::bigint,
	'residents: only my village');
SELECT is((SELECT count(*) FROM party_member WHERE NOT path <@ 'LW.T01.T01V01'), 0::bigint,
	'party members: only my village');
SELECT is((SELECT count(*) FROM outbox WHERE NOT path <@ 'LW.T01.T01V01'), 0::bigint,
	'the messages of other villages are invisible (the case timeline shows its own)');
SELECT throws_ok($$UPDATE outbox SET status = 'sent'$$, '42501', NULL,
	'an officer cannot touch the outbox');
SELECT is((SELECT count(*) FROM inbox(p_limit => 10000) i JOIN cases c USING (case_id)
	WHERE NOT (c.origin_path <@ 'LW.T01.T01V01' OR c.assigned_path <@ 'LW.T01.T01V01')), 0::bigint,
	'the inbox (read past row-level security) holds only cases of the village');
SELECT is((SELECT count(*) FROM case_find_words('村民') f JOIN cases c USING (case_id)), 
	(SELECT count(*) FROM case_find_words('村民')), 'every case found by words is one the officer may see');
SELECT is((SELECT count(*) FROM household_link WHERE NOT path <@ 'LW.T01.T01V01'), 0::bigint,
	'links: only my village');

SELECT is(pg_temp.affected(format('UPDATE household SET address = %L WHERE unit_id = %s',
	'被篡改', (SELECT other_unit FROM t))), 0::bigint, 'updating the other village changes nothing');
SELECT is(pg_temp.affected('UPDATE household SET address = ''被篡改'' WHERE NOT path <@ ''LW.T01.T01V01'''),
	0::bigint, 'updating anything outside my village changes nothing');
SELECT is(pg_temp.affected('DELETE FROM resident WHERE NOT path <@ ''LW.T01.T01V01'''), 0::bigint,
	'deleting residents outside my village deletes nothing');
SELECT is(pg_temp.affected('DELETE FROM household_link WHERE NOT path <@ ''LW.T01.T01V01'''), 0::bigint,
	'deleting links outside my village deletes nothing');
SELECT throws_ok(format('INSERT INTO household (unit_id, household_no, address) VALUES (%s, %L, %L)',
	(SELECT other_unit FROM t), 'EVIL-1', '伪造'), '42501', NULL,
	'I cannot add a household to the other village');
SELECT throws_ok($$INSERT INTO resident (household_id, name, relation)
	SELECT g, '伪造', 'other' FROM generate_series(1, 2000) g
	 WHERE g NOT IN (SELECT household_id FROM household)$$, '23503', NULL,
	'I cannot add a resident to a household I cannot see');
SELECT throws_ok(format('UPDATE household SET unit_id = %s WHERE household_id = (SELECT min(household_id) FROM household)',
	(SELECT other_unit FROM t)), '42501', NULL, 'I cannot move a household to another village');
SELECT throws_ok($$UPDATE household SET path = 'LW.T02' WHERE household_id = (SELECT min(household_id) FROM household)$$,
	'42501', NULL, 'I cannot write the path');
SELECT throws_ok($$UPDATE resident SET household_id = (SELECT min(g) FROM generate_series(1, 100000) g
	WHERE g NOT IN (SELECT household_id FROM household)) WHERE resident_id = (SELECT min(resident_id) FROM resident)$$,
	'23503', NULL,
	'I cannot move a resident into a household I cannot see');

SELECT throws_ok('SELECT id_card FROM resident LIMIT 1', '42501', NULL, 'I cannot read ID numbers');
SELECT throws_ok('SELECT count(*) FROM resident WHERE id_card LIKE ''3303%''', '42501', NULL,
	'I cannot probe ID numbers with a WHERE clause');
SELECT lives_ok('SELECT id_card_masked FROM resident LIMIT 1', 'I read masked ID numbers');
SELECT throws_ok('SELECT resident_id_card((SELECT min(resident_id) FROM resident))', '42501', NULL,
	'an officer cannot call the full ID number function');

SELECT throws_ok('SELECT * FROM audit_log LIMIT 1', '42501', NULL, 'I cannot read the audit trail');
SELECT throws_ok($$INSERT INTO audit_log (table_name, row_id, op) VALUES ('x', '1', 'INSERT')$$, '42501', NULL,
	'I cannot forge audit rows');
SELECT throws_ok('DELETE FROM audit_log', '42501', NULL, 'I cannot delete audit rows');

SELECT throws_ok('GRANT mq_admin TO demo_village', '42501', NULL, 'I cannot grant myself administrator');
SELECT throws_ok('ALTER ROLE demo_village CREATEROLE', '42501', NULL, 'I cannot give myself CREATEROLE');
SELECT throws_ok('SET ROLE mq_admin', '42501', NULL, 'I cannot become administrator');
SELECT throws_ok('SET ROLE mq_owner', '42501', NULL, 'I cannot become the owner');
SELECT throws_ok($$SELECT user_add('evil', '坏人', 'LW', 'admin')$$, '42501', NULL,
	'I cannot create accounts');
SELECT throws_ok($$UPDATE staff SET unit_id = 1 WHERE login = 'demo_village'$$, '42501', NULL,
	'I cannot move myself to the district');
SELECT throws_ok('SET session_replication_role = replica', '42501', NULL, 'I cannot switch triggers off');
SELECT throws_ok('ALTER TABLE household DISABLE ROW LEVEL SECURITY', '42501', NULL,
	'I cannot switch row-level security off');
SELECT throws_ok('CREATE FUNCTION minqing.my_scope2() RETURNS int LANGUAGE sql AS ''SELECT 1''', '42501', NULL,
	'I cannot create objects in the minqing schema');

-- SET ROLE to my own group role does not widen anything: identity is session_user.
-- (pgTAP's own temporary tables belong to demo_village: keep the result in a setting.)
SET ROLE mq_officer;
SELECT set_config('mqtest.outside', (SELECT count(*) FROM household WHERE NOT path <@ 'LW.T01.T01V01')::text, false);
RESET ROLE;
SELECT is(current_setting('mqtest.outside'), '0', 'after SET ROLE mq_officer I still see only my village');
SELECT ok((SELECT count(*) FROM org_unit) > 100 AND (SELECT count(*) FROM station) > 255,
	'units and stations are published to everyone');

SELECT * FROM finish();
ROLLBACK;
