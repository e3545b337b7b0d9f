-- account: demo_town
-- A town handler sees and changes every village of the town, nothing beyond.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(6);

CREATE FUNCTION pg_temp.affected(sql text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE sql;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

SELECT is((SELECT duty::text || ' ' || unit_code FROM whoami()), 'handler T01', 'I am the handler of T01');
SELECT ok((SELECT count(DISTINCT unit_id) FROM household) > 1, 'I see households of several villages');
SELECT is((SELECT count(*) FROM household WHERE NOT path <@ 'LW.T01'), 0::bigint, 'all of them in my town');
SELECT is((SELECT count(DISTINCT unit_id) FROM household),
	(SELECT count(*) FROM org_unit WHERE path <@ 'LW.T01' AND kind IN ('village', 'community')
	    AND EXISTS (SELECT 1 FROM household h WHERE h.unit_id = org_unit.unit_id)),
	'every village of my town with households is visible');
SELECT ok(pg_temp.affected('UPDATE household SET grid_cell = grid_cell WHERE path <@ ''LW.T01''') > 0,
	'I can change households of my town');
SELECT is(pg_temp.affected('UPDATE household SET grid_cell = ''x'' WHERE NOT path <@ ''LW.T01'''), 0::bigint,
	'and none elsewhere');

SELECT * FROM finish();
ROLLBACK;
