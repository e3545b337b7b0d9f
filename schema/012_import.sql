-- 012_import.sql: paper registers into the system (`minqing-admin import`,
-- docs/import.md). A file goes through PostgreSQL's own COPY into a staging
-- table, is checked set-based by a definer function of its kind
-- (schema/functions/59_import.sql) and written only when every row passes
-- (or, asked for, the good rows).
--
--  import_run     one row per import: who, what kind, when, the figures.
--  import_row     the rows of the file as COPY read them, numbered.
--  import_reject  every rejected row: line, column, reason (an English
--                 template with its parameters, translated by the client).
--  import_input   the view COPY writes into: COPY FROM refuses a table with
--                 row-level security, and a temporary table is not for
--                 staff (TEMPORARY is revoked, docs/security.md), so COPY
--                 goes to a view whose INSTEAD OF trigger (a definer) files
--                 each row under the caller's open import.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE TABLE minqing.import_run (
	import_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	district_id smallint NOT NULL REFERENCES minqing.district,
	login       name NOT NULL DEFAULT session_user,
	path        ext.ltree NOT NULL,
	kind        text NOT NULL CHECK (kind IN ('households', 'residents', 'party-members', 'links')),
	partial     boolean,
	started_at  timestamptz NOT NULL DEFAULT now(),
	finished_at timestamptz,
	read_rows   integer,
	inserted    integer,
	updated     integer,
	unchanged   integer,
	rejected    integer,
	written     boolean
);
COMMENT ON TABLE minqing.import_run IS
	'One import of a paper register (minqing-admin import): who, which kind, the caller''s write '
	'scope at the start, and the figures once checked. Read by its own importer only.';
COMMENT ON COLUMN minqing.import_run.written IS
	'Whether the good rows were written: false when rows were rejected and partial was not asked.';
CREATE INDEX import_run_login ON minqing.import_run (login, started_at);

CREATE TABLE minqing.import_row (
	import_id bigint NOT NULL REFERENCES minqing.import_run ON DELETE CASCADE,
	line      integer NOT NULL,
	fields    text[] NOT NULL,
	PRIMARY KEY (import_id, line)
);
COMMENT ON TABLE minqing.import_row IS
	'The rows of an import as COPY read them (through the view import_input), by their line in '
	'the file (the header is line 1). Deleted when the import is checked.';

CREATE TABLE minqing.import_reject (
	import_id bigint NOT NULL REFERENCES minqing.import_run ON DELETE CASCADE,
	line      integer NOT NULL,
	field     text NOT NULL,
	reason    text NOT NULL,
	args      text[] NOT NULL DEFAULT '{}',
	PRIMARY KEY (import_id, line, field, reason)
);
COMMENT ON TABLE minqing.import_reject IS
	'Why a row of an import was rejected: the column and an English template (a msgid of the '
	'admin program) with its parameters; ID numbers appear masked only.';

-- The importer reads their own imports; the definer functions (mq_owner,
-- FORCE) see only the caller's too.
ALTER TABLE minqing.import_run ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.import_run FORCE ROW LEVEL SECURITY;
CREATE POLICY import_run_own ON minqing.import_run USING (login = session_user)
	WITH CHECK (login = session_user);
ALTER TABLE minqing.import_row ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.import_row FORCE ROW LEVEL SECURITY;
CREATE POLICY import_row_own ON minqing.import_row
	USING (EXISTS (SELECT 1 FROM minqing.import_run r
	                WHERE r.import_id = import_row.import_id AND r.login = session_user));
ALTER TABLE minqing.import_reject ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.import_reject FORCE ROW LEVEL SECURITY;
CREATE POLICY import_reject_own ON minqing.import_reject
	USING (EXISTS (SELECT 1 FROM minqing.import_run r
	                WHERE r.import_id = import_reject.import_id AND r.login = session_user));
GRANT SELECT ON minqing.import_run, minqing.import_reject TO mq_admin;

-- The view COPY writes into, and its trigger (the same text as in
-- schema/functions/59_import.sql, which replaces both).
CREATE VIEW minqing.import_input AS
SELECT NULL::text AS c1, NULL::text AS c2, NULL::text AS c3, NULL::text AS c4,
       NULL::text AS c5, NULL::text AS c6, NULL::text AS c7, NULL::text AS c8
 WHERE false;

CREATE FUNCTION minqing.import_input_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'no import is open in this session' USING ERRCODE = 'object_not_in_prerequisite_state';
END
$$;
REVOKE ALL ON FUNCTION minqing.import_input_row() FROM PUBLIC;
CREATE TRIGGER import_input_row INSTEAD OF INSERT ON minqing.import_input
	FOR EACH ROW EXECUTE FUNCTION minqing.import_input_row();
GRANT INSERT ON minqing.import_input TO mq_admin;

RESET ROLE;

-- The set-based check of a residents import asks whether ID numbers are
-- registered anywhere (past the caller's row-level security): mq_checker
-- reads them (007 granted it resident_id and id_card); household_id too.
GRANT SELECT (household_id) ON minqing.resident TO mq_checker;
