-- Who may do what in this database, one line a fact, sorted: the roles of
-- the e-station (its group roles mq_*, the logins of its staff and of the
-- two jobs) with their attributes and password verifiers (hashed again
-- here), their memberships, their settings (global and in this database),
-- the database's privileges and settings, the schemas', the default
-- privileges, every relation's owner, privileges and row-level security,
-- column privileges, the policies, the extensions and the attributes of
-- their functions, the triggers. Two databases with equal outputs grant
-- the same and enforce the same policies; the functions and views
-- themselves are compared by tests/sql/functions/catalogue.sql. Used by
-- tests/ops/backup_restore.sh (psql -f as a superuser: pg_authid).
SET search_path = pg_catalog;
-- Privileges in a sorted list: a restore grants them again, in its own order.
CREATE FUNCTION pg_temp.acl(a aclitem[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce((SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(a) AS x), '(default)')
$$;
-- Expressions on one line.
CREATE FUNCTION pg_temp.line(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(regexp_replace(t, '\s+', ' ', 'g'), '-')
$$;
WITH ours AS (
	SELECT oid FROM pg_authid
	 WHERE rolname LIKE 'mq\_%' OR rolname IN ('minqing_escalate', 'minqing_notify')
	    OR rolname IN (SELECT login FROM minqing.staff)
)
SELECT 'role ' || a.rolname || ' super ' || a.rolsuper || ' inherit ' || a.rolinherit
       || ' createrole ' || a.rolcreaterole || ' createdb ' || a.rolcreatedb || ' login ' || a.rolcanlogin
       || ' replication ' || a.rolreplication || ' bypassrls ' || a.rolbypassrls
       || ' connlimit ' || a.rolconnlimit || ' password ' || coalesce(md5(a.rolpassword), '-')
       || ' until ' || coalesce(a.rolvaliduntil::text, '-')
  FROM pg_authid a WHERE a.oid IN (SELECT oid FROM ours)
UNION ALL
SELECT 'member ' || m.rolname || ' of ' || r.rolname || ' admin ' || am.admin_option
  FROM pg_auth_members am
  JOIN pg_roles r ON r.oid = am.roleid
  JOIN pg_roles m ON m.oid = am.member
 WHERE am.member IN (SELECT oid FROM ours) OR am.roleid IN (SELECT oid FROM ours)
UNION ALL
SELECT 'setting of ' || coalesce(r.rolname, '(every role)') || ' in '
       || CASE WHEN s.setdatabase = 0 THEN '(every database)' ELSE 'this database' END
       || ': ' || s.setconfig::text
  FROM pg_db_role_setting s
  LEFT JOIN pg_roles r ON r.oid = s.setrole
 WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
    OR (s.setdatabase = 0 AND s.setrole IN (SELECT oid FROM ours))
UNION ALL
SELECT 'database owner ' || pg_get_userbyid(d.datdba) || ' encoding ' || pg_encoding_to_char(d.encoding)
       || ' collate ' || d.datcollate || ' ctype ' || d.datctype || ' acl ' || pg_temp.acl(d.datacl)
  FROM pg_database d WHERE d.datname = current_database()
UNION ALL
SELECT 'schema ' || n.nspname || ' owner ' || pg_get_userbyid(n.nspowner)
       || ' acl ' || pg_temp.acl(n.nspacl)
  FROM pg_namespace n WHERE n.nspname IN ('minqing', 'ext', 'public')
UNION ALL
SELECT 'default privileges for ' || pg_get_userbyid(da.defaclrole) || ' in '
       || coalesce(da.defaclnamespace::regnamespace::text, '(every schema)') || ' on ' || da.defaclobjtype::text
       || ': ' || pg_temp.acl(da.defaclacl)
  FROM pg_default_acl da
UNION ALL
SELECT 'relation ' || c.oid::regclass::text || ' kind ' || c.relkind::text || ' owner ' || pg_get_userbyid(c.relowner)
       || ' acl ' || pg_temp.acl(c.relacl)
       || ' rls ' || c.relrowsecurity || ' forced ' || c.relforcerowsecurity
  FROM pg_class c
 WHERE c.relnamespace IN ('minqing'::regnamespace, 'ext'::regnamespace) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
UNION ALL
SELECT 'column ' || a.attrelid::regclass::text || '.' || a.attname || ' acl ' || pg_temp.acl(a.attacl)
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace IN ('minqing'::regnamespace, 'ext'::regnamespace) AND a.attacl IS NOT NULL
UNION ALL
SELECT 'policy ' || p.tablename || '.' || p.policyname || ' ' || p.permissive || ' ' || p.cmd
       || ' to ' || p.roles::text || ' using ' || pg_temp.line(p.qual) || ' check ' || pg_temp.line(p.with_check)
  FROM pg_policies p WHERE p.schemaname = 'minqing'
UNION ALL
SELECT 'extension ' || e.extname || ' ' || e.extversion || ' in ' || e.extnamespace::regnamespace::text
  FROM pg_extension e
UNION ALL
SELECT 'extension function ' || p.oid::regprocedure::text || ' owner ' || pg_get_userbyid(p.proowner)
       || ' acl ' || pg_temp.acl(p.proacl) || ' config ' || coalesce(p.proconfig::text, '-')
       || ' cost ' || p.procost || ' rows ' || p.prorows || ' volatile ' || p.provolatile::text
       || ' parallel ' || p.proparallel::text || ' strict ' || p.proisstrict || ' definer ' || p.prosecdef
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE p.pronamespace = 'ext'::regnamespace
UNION ALL
SELECT 'trigger ' || t.tgrelid::regclass::text || '.' || t.tgname || ' enabled ' || t.tgenabled::text
       || ': ' || pg_get_triggerdef(t.oid)
  FROM pg_trigger t
 WHERE NOT t.tgisinternal
ORDER BY 1;
