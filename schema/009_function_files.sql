-- 009_function_files.sql: the bookkeeping of the function files.
--
-- From this version on, the current definition of every function and view,
-- with their grants and comments, lives in schema/functions/NN_area.sql
-- (docs/development.md, "Functions, views and grants"), not in a migration.
-- `minqing-admin migrate` applies those files in name order, in the
-- transaction of the last migration it applies (or a transaction of their
-- own), and records their hash here; every program refuses a database whose
-- last recorded hash is not the one it was built with.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE TABLE minqing.schema_functions (
	applied_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	hash       text NOT NULL CHECK (hash ~ '^[0-9a-f]{16}$'),
	version    integer NOT NULL REFERENCES minqing.schema_version,
	applied_at timestamptz NOT NULL DEFAULT now(),
	applied_by name NOT NULL DEFAULT session_user
);
COMMENT ON TABLE minqing.schema_functions IS
	'Each application of the function files by minqing-admin migrate: their hash (FNV-1a 64 of '
	'schema/functions/*.sql) and the schema version it was applied at. The last row is the state.';
-- Like schema_version: the programs compare it before anything else, as
-- any login, so that a login that is not staff is told what is wrong.
GRANT SELECT ON minqing.schema_functions TO PUBLIC;

RESET ROLE;
