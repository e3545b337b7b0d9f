-- Generates the prelude of phase C of tests/sql/adversary_generic.sh: for
-- every identifier in the source of every function of schema minqing (that
-- is not a reserved word), a temporary :kind of that name in the attacker's
-- session. A table fails loudly (SHADOWED) on any write through statement
-- triggers; a view fails loudly when read, through a function of the
-- caller's; each is open to everyone, as an attacker would make it. If a
-- definer function ever resolved a name to the caller's temporary schema,
-- the attacker's code would run as its owner.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on
SELECT '\set ON_ERROR_STOP 0';
SELECT CASE :'kind'
	WHEN 'table' THEN 'CREATE FUNCTION pg_temp.adv_boom() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN '
	                  'RAISE EXCEPTION ''SHADOWED table % reached as %'', TG_TABLE_NAME, current_user; END $f$;'
	ELSE 'CREATE FUNCTION pg_temp.adv_boom() RETURNS integer LANGUAGE plpgsql AS $f$ BEGIN '
	     'RAISE EXCEPTION ''SHADOWED view reached as %'', current_user; END $f$;' END;
WITH words AS (
	SELECT DISTINCT w[1] AS word
	  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,
	       regexp_matches(lower(p.prosrc), '([a-z_][a-z0-9_]*)', 'g') AS w
	 WHERE n.nspname = 'minqing' AND length(w[1]) > 1
	   AND w[1] NOT IN (SELECT k.word FROM pg_get_keywords() k WHERE k.catcode IN ('R', 'T', 'C'))
	   AND w[1] !~ '^pg_')
SELECT CASE :'kind'
	WHEN 'table' THEN format('CREATE TEMP TABLE %I (dummy integer); CREATE TRIGGER adv_boom BEFORE INSERT OR '
	                         'UPDATE OR DELETE OR TRUNCATE ON pg_temp.%I FOR EACH STATEMENT EXECUTE FUNCTION '
	                         'pg_temp.adv_boom(); GRANT ALL ON pg_temp.%I TO PUBLIC;', word, word, word)
	ELSE format('CREATE TEMP VIEW %I AS SELECT pg_temp.adv_boom() AS dummy; GRANT ALL ON pg_temp.%I TO PUBLIC;',
	            word, word) END
  FROM words ORDER BY word;
SELECT '\set ON_ERROR_STOP 0';
