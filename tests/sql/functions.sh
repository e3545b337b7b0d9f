#!/usr/bin/env bash
# The function files (schema/functions/, docs/development.md), on scratch
# databases installed by minqing-admin migrate:
#  - they define every function and view of the schema: applied again in one
#    transaction, they rewrite the catalogue row of each (its xmin is that
#    transaction's), so none lives only in a migration or was made by hand;
#  - at the move to the files (the hash pinned below) they define exactly what
#    migrations 001-008 had defined: a database of those migrations alone has
#    the catalogue of a fresh install (tests/sql/functions/catalogue.sql);
#  - migrate re-applies them when the recorded hash is not the program's: a
#    function, a comment and a grant changed by hand come back as the files
#    have them, in one new row of schema_functions; and not when it is equal;
#  - a function file that fails leaves functions and hash as they were.
set -uo pipefail
: "${PGDATABASE:?run through ./dev.sh test}" "${MQ_BUILD_DIR:?}" "${MQ_SOURCE_DIR:?}"
results=$(mktemp)
# shellcheck source=tests/sql/lib.bash
. "$MQ_SOURCE_DIR/tests/sql/lib.bash"
admin=$MQ_BUILD_DIR/minqing-admin
fresh=mq_functions_fresh_$$
hist=mq_functions_hist_$$
tmp=$(mktemp -d)
cleanup() {
	psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $fresh WITH (FORCE)" \
		-c "DROP DATABASE IF EXISTS $hist WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$tmp" "$results"
}
trap cleanup EXIT
# The hash of the files as they were moved out of migrations 001-008.
MOVED_HASH=1e1aa7cdc76acf8b

q() { psql -qXtA -U postgres -d "$fresh" -v ON_ERROR_STOP=1 -c "$1"; }
catalogue() { psql -qXtA -U postgres -d "$1" -v ON_ERROR_STOP=1 -f "$MQ_SOURCE_DIR/tests/sql/functions/catalogue.sql"; }

psql -qX -U postgres -d postgres -c "CREATE DATABASE $fresh" >/dev/null
PGDATABASE=$fresh "$admin" migrate >"$tmp/out" 2>&1 || { cat "$tmp/out"; bad "a fresh install failed"; finish; exit 1; }
hash=$(q "SELECT hash FROM minqing.schema_functions ORDER BY applied_id DESC LIMIT 1")
expect "a fresh install records the function files once, at the last version" \
	"$(q "SELECT count(*) || ' ' || max(version) FROM minqing.schema_functions")" \
	"1 $(q "SELECT max(version) FROM minqing.schema_version")"
catalogue "$fresh" >"$tmp/fresh"

# 1. Every function and view is defined by the files.
untouched=$({
	echo "BEGIN;"
	cat "$MQ_SOURCE_DIR"/schema/functions/[0-9][0-9]_*.sql
	echo "SELECT 'function ' || p.oid::regprocedure FROM pg_proc p
	       WHERE p.pronamespace IN ('minqing'::regnamespace, 'ext'::regnamespace)
	         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
	                          AND d.objid = p.oid AND d.deptype = 'e')
	         AND p.xmin::text::bigint <> txid_current() % 4294967296
	      UNION ALL
	      SELECT 'view ' || c.oid::regclass FROM pg_class c JOIN pg_rewrite r ON r.ev_class = c.oid
	       WHERE c.relnamespace IN ('minqing'::regnamespace, 'ext'::regnamespace) AND c.relkind = 'v'
	         AND r.xmin::text::bigint <> txid_current() % 4294967296;"
	echo "ROLLBACK;"
} | psql -qXtA -U postgres -d "$fresh" -v ON_ERROR_STOP=1 2>&1)
n=$(grep -c '^function \|^view ' "$tmp/fresh")
if [ -z "$untouched" ] && [ "$n" -gt 90 ]; then
	ok "the function files define all $n functions and views of the schema"
else
	bad "not defined by schema/functions/ (only by a migration or by hand): $untouched"
fi

# 2. At the move: the files define what migrations 001-008 had defined.
if [ "$hash" = "$MOVED_HASH" ]; then
	psql -qX -U postgres -d postgres -c "CREATE DATABASE $hist" >/dev/null
	for f in "$MQ_SOURCE_DIR"/schema/00[1-8]_*.sql; do
		n=$(basename "$f")
		{ echo "BEGIN;"; cat "$f"; echo "INSERT INTO minqing.schema_version (version, name) VALUES (${n:0:3}, '$n'); COMMIT;"; } |
			PGOPTIONS="-c client_min_messages=warning" psql -qX -U postgres -d "$hist" -v ON_ERROR_STOP=1 >/dev/null ||
			bad "could not apply $n"
	done
	catalogue "$hist" >"$tmp/hist"
	if diff "$tmp/hist" "$tmp/fresh" >"$tmp/diff"; then
		ok "migrations 001-008 alone and a fresh install have the same functions and views"
	else
		bad "the function files differ from migrations 001-008:"; head -40 "$tmp/diff"
	fi
else
	echo "ok: (the files changed since the move to them; the move was checked at hash $MOVED_HASH)"
fi

# 3. A stale database: a function body, a comment and a grant changed by
# hand, and the hash of other files recorded. migrate puts all back.
q "CREATE OR REPLACE FUNCTION minqing.mask_name(n text) RETURNS text LANGUAGE sql IMMUTABLE RETURN 'changed';
   COMMENT ON FUNCTION minqing.mask_name(text) IS 'changed';
   REVOKE EXECUTE ON FUNCTION minqing.mask_name(text) FROM PUBLIC;
   INSERT INTO minqing.schema_functions (hash, version)
   SELECT '0123456789abcdef', max(version) FROM minqing.schema_version" >/dev/null
PGDATABASE=$fresh "$admin" -c /dev/null migrate >"$tmp/out" 2>&1
expect "migrate re-applies the files when the recorded hash differs" \
	"$(grep -c "$hash" "$tmp/out")" 1
expect "the function is the file's again" "$(q "SELECT minqing.mask_name('王小明')")" "王**"
catalogue "$fresh" >"$tmp/again"
if diff "$tmp/fresh" "$tmp/again" >"$tmp/diff"; then
	ok "body, comment and grant are the files' again"
else
	bad "after re-applying:"; head -20 "$tmp/diff"
fi
expect "one new row records it" "$(q "SELECT count(*) || ' ' || (array_agg(hash ORDER BY applied_id DESC))[1] FROM minqing.schema_functions")" "3 $hash"
PGDATABASE=$fresh "$admin" migrate >"$tmp/out" 2>&1
expect "and not again when the hash is the program's" "$(q "SELECT count(*) FROM minqing.schema_functions")" 3
grep -q "无需迁移" "$tmp/out" && ok "migrate says there is nothing to do" || bad "migrate said: $(cat "$tmp/out")"

# 4. A function file that fails (a view that can no longer be replaced: its
# column is renamed under it) rolls back the files and leaves the hash.
q "ALTER VIEW minqing.outbox_summary RENAME COLUMN status TO state;
   INSERT INTO minqing.schema_functions (hash, version)
   SELECT '0123456789abcdef', max(version) FROM minqing.schema_version" >/dev/null
rc=0
PGDATABASE=$fresh "$admin" migrate >"$tmp/out" 2>&1 || rc=$?
expect "migrate fails when a function file fails" "$rc" 1
grep -q "30_outbox.sql" "$tmp/out" && ok "the message names the file" || bad "no file named: $(cat "$tmp/out")"
expect "the recorded hash stays the stale one" \
	"$(q "SELECT hash FROM minqing.schema_functions ORDER BY applied_id DESC LIMIT 1")" 0123456789abcdef
finish
