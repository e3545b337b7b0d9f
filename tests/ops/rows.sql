-- The rows of the database, one line a table or sequence of schema minqing,
-- sorted: "table NAME|rows" (every row, as a superuser: row-level security
-- does not apply) and "sequence NAME|last value" (what the next id follows).
-- Two databases with equal outputs hold as many rows in every table. Used by
-- tests/ops/backup_restore.sh (equal after a restore) and tests/ops/upgrade.sh
-- (none fewer after a migration); psql -f as a superuser.
SET search_path = pg_catalog;
SELECT 'table ' || c.oid::regclass::text || '|'
       || (xpath('/row/n/text()',
                 query_to_xml(format('SELECT count(*) AS n FROM %s', c.oid::regclass), false, true, '')))[1]::text
  FROM pg_class c
 WHERE c.relnamespace = 'minqing'::regnamespace AND c.relkind IN ('r', 'p')
UNION ALL
SELECT 'sequence ' || format('%I.%I', s.schemaname, s.sequencename) || '|' || coalesce(s.last_value::text, '-')
  FROM pg_sequences s
 WHERE s.schemaname = 'minqing'
ORDER BY 1;
