-- What the function files define, as the catalogue has it, one line an
-- object, sorted: each function's full definition (pg_get_functiondef),
-- owner, privileges and comment; each view's definition, options, owner,
-- privileges and comments (its own and its columns'). Two databases whose
-- outputs are equal have the same functions and views. Used by
-- tests/sql/upgrade.sh, tests/sql/functions.sh and tests/ops (psql -f, any
-- account that may read the catalogue). Privileges are written as what they
-- grant: the default ones (no ACL) spelt out, every list sorted, so a
-- restore (pg_restore grants again in its own order, and leaves the ACL
-- empty where it equals the default) compares equal.
SET search_path = pg_catalog;
SELECT 'function ' || p.oid::regprocedure::text || E'\n'
       || pg_get_functiondef(p.oid)
       || 'owner: ' || pg_get_userbyid(p.proowner) || E'\n'
       || 'acl: ' || (SELECT string_agg(x::text, ',' ORDER BY x::text)
                        FROM unnest(coalesce(p.proacl, acldefault('f', p.proowner))) AS x) || E'\n'
       || 'comment: ' || coalesce(obj_description(p.oid, 'pg_proc'), '(none)') || E'\n'
  FROM pg_proc p
 WHERE p.pronamespace IN ('minqing'::regnamespace, 'ext'::regnamespace)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d
                    WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'view ' || c.oid::regclass::text || E'\n'
       || pg_get_viewdef(c.oid) || E'\n'
       || 'options: ' || coalesce(c.reloptions::text, '(none)') || E'\n'
       || 'owner: ' || pg_get_userbyid(c.relowner) || E'\n'
       || 'acl: ' || (SELECT string_agg(x::text, ',' ORDER BY x::text)
                        FROM unnest(coalesce(c.relacl, acldefault('r', c.relowner))) AS x) || E'\n'
       || 'comment: ' || coalesce(obj_description(c.oid, 'pg_class'), '(none)') || E'\n'
       || coalesce((SELECT string_agg('column ' || a.attname || ': ' || coalesce(col_description(c.oid, a.attnum), '(none)')
                                      || ' acl ' || coalesce((SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(a.attacl) AS x), '(default)'),
                                      E'\n' ORDER BY a.attnum)
                      FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
  FROM pg_class c
 WHERE c.relnamespace IN ('minqing'::regnamespace, 'ext'::regnamespace) AND c.relkind IN ('v', 'm')
ORDER BY 1;
