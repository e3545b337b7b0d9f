#!/usr/bin/env bash
# Backup and restore as docs/operations.md ("Backup and restore") tells an
# administrator: the demo district (MQ_OPS_SCALE, default 1) in a database
# of its own, `pg_dumpall --roles-only` and `pg_dump -Fc` of it, restored
# into a NEW empty cluster (./dev.sh scratch: initdb'd here, its own port,
# the suite's + 1, and socket directory under build/, no TCP, stopped and
# removed at the end whatever happens): the roles, then `pg_restore --create`
# (the database's own privileges and settings come only with it), then
# ANALYZE (statistics are not in a dump). Then the restored database has
#
#   - as many rows in every table of schema minqing, and every sequence at
#     the same value (tests/ops/rows.sql);
#   - the same roles, memberships, role settings, privileges of the
#     database, schemas, relations and columns, default privileges,
#     policies, extensions (ltree, pg_trgm in schema ext) with the same
#     attributes of their functions, triggers (tests/ops/access.sql); the
#     same functions and views (tests/sql/functions/catalogue.sql, but for
#     the parentheses of SQL-standard bodies, which are printed back from
#     their parse trees and parsed again by the restore);
#   - the same answers to the row-level security tests of several duties,
#     run on both (pgTAP through tests/sql/pgtap.sh, every line compared),
#     and the adversary test (tests/sql/adversary.sh) passes there;
#   - `minqing-admin check` passes and says the same as on the original;
#   - as demo_village, whoami() and the console's inbox and Find cases
#     (minqing.inbox, minqing.find_cases) read the same, and a case intake
#     works (the sequences go on).
#
# Prints the times of the dump and the restore, and "N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.bash
source "$here/lib.bash"
ADMIN=$MQ_BUILD_DIR/minqing-admin
db=mq_backup_$$
export PGDATABASE=$db
scratch() { MQ_PGPORT=$PGPORT bash "$MQ_SOURCE_DIR/dev.sh" scratch "$@"; }
ops_stop() { scratch stop >/dev/null 2>&1 || echo "could not stop the scratch cluster (./dev.sh scratch stop)" >&2; }

# The original and the restored copy: the same database name, another server.
orig() { "$@"; }
copy() { PGHOST=$MQ_SCRATCH_HOST PGPORT=$MQ_SCRATCH_PORT "$@"; }
sqlf() { psql -qXtA -v ON_ERROR_STOP=1 -f "$1"; }
same() { # WHAT FILE1 FILE2
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		bad "$1: the original (<) and the restored copy (>) differ:"
		diff "$2" "$3" | head -20 >&2
	fi
}

# --- the original ----------------------------------------------------------------------
t0=$(now)
ops_db "$db"
"$ADMIN" migrate >/dev/null || die "migrate failed"
"$ADMIN" demo-data --scale "$scale" --seed 1 >/dev/null || die "demo-data failed"
echo "the demo district at scale $scale in $db: $(since "$t0") s"
sqlf "$here/rows.sql" >"$TMP/rows.orig" || die "rows.sql failed"
sqlf "$MQ_SOURCE_DIR/tests/sql/functions/catalogue.sql" | tr -d '()' >"$TMP/catalogue.orig"
"$ADMIN" check >"$TMP/check.orig" 2>&1 || die "check fails on the original: $(cat "$TMP/check.orig")"
console_reads() { # the console's first reads as demo_village
	as demo_village "SELECT login || ' ' || duty || ' ' || unit_code FROM minqing.whoami()" &&
		as demo_village "SELECT 'inbox ' || count(*) FROM minqing.inbox(p_limit => 10000)" &&
		as demo_village "SELECT 'cases ' || count(*) || ' ' || md5(string_agg(case_no || status, ',' ORDER BY case_id))
		                   FROM minqing.find_cases(p_limit => 10000)"
}
console_reads >"$TMP/console.orig" || die "demo_village cannot read the original"

# --- the backup, as the administrator takes it --------------------------------------------
# Roles are the cluster's, shared with the suite's other databases: the
# snapshot of them is taken just before and after the dump, again if
# another test changed them in between.
for try in 1 2 3; do
	sqlf "$here/access.sql" >"$TMP/access.orig" || die "access.sql failed"
	t0=$(now)
	pg_dumpall --roles-only -f "$TMP/roles.sql" || die "pg_dumpall --roles-only failed"
	t_roles=$(since "$t0")
	sqlf "$here/access.sql" >"$TMP/access.after"
	cmp -s "$TMP/access.orig" "$TMP/access.after" && break
	echo "the roles changed during pg_dumpall (another test): again ($try)"
done
t0=$(now)
pg_dump -Fc -f "$TMP/minqing.dump" "$db" || die "pg_dump failed"
t_dump=$(since "$t0")
size=$(super "SELECT pg_size_pretty(pg_database_size('$db'))")
echo "backup: pg_dumpall --roles-only $t_roles s ($(wc -c <"$TMP/roles.sql") bytes)," \
	"pg_dump -Fc $t_dump s ($(du -h "$TMP/minqing.dump" | cut -f1) of a $size database)"

# --- the restore into a new cluster -----------------------------------------------------------
t0=$(now)
eval "$(scratch 2>"$TMP/scratch.log")" || die "the scratch cluster did not start: $(cat "$TMP/scratch.log")"
: "${MQ_SCRATCH_HOST:?}" "${MQ_SCRATCH_PORT:?}"
echo "a new empty cluster on port $MQ_SCRATCH_PORT: $(since "$t0") s"
# The roles file creates every role, the superuser postgres too, who exists
# already: that one error, and no other.
copy psql -qX -d postgres -f "$TMP/roles.sql" >/dev/null 2>"$TMP/roles.err"
expect "the roles are restored (the only error: postgres exists already)" \
	"$(sed 's/^psql:[^ ]* //' "$TMP/roles.err")" 'ERROR:  role "postgres" already exists'
t0=$(now)
if copy pg_restore --create -j 2 -d postgres "$TMP/minqing.dump" 2>"$TMP/restore.err" && [ ! -s "$TMP/restore.err" ]; then
	ok "pg_restore --create -j 2: no error ($(since "$t0") s)"
else
	bad "pg_restore: $(head -20 "$TMP/restore.err")"
fi
t_restore=$(since "$t0")
t0=$(now)
copy vacuumdb -q --analyze-only -d "$db" || bad "vacuumdb --analyze-only failed"
t_analyze=$(since "$t0")
echo "restore: pg_restore --create -j 2 $t_restore s, vacuumdb --analyze-only $t_analyze s"

# --- the same database ------------------------------------------------------------------------
copy sqlf "$here/rows.sql" >"$TMP/rows.copy"
same "the same rows in all $(grep -c '^table ' "$TMP/rows.orig") tables of minqing" \
	"$TMP/rows.orig" "$TMP/rows.copy"
echo "  ($(awk -F'|' '/^table / { n += $2 } END { print n }' "$TMP/rows.orig") rows; every sequence at the same value)"
copy sqlf "$here/access.sql" >"$TMP/access.copy"
same "the same roles, memberships, settings, privileges, policies, extensions and triggers ($(wc -l <"$TMP/access.orig") facts)" \
	"$TMP/access.orig" "$TMP/access.copy"
if grep -q '^extension ltree .* in ext$' "$TMP/access.copy" && grep -q '^extension pg_trgm .* in ext$' "$TMP/access.copy"; then
	ok "ltree and pg_trgm are back in schema ext"
else
	bad "the extensions are not in ext: $(grep '^extension ' "$TMP/access.copy")"
fi
copy sqlf "$MQ_SOURCE_DIR/tests/sql/functions/catalogue.sql" | tr -d '()' >"$TMP/catalogue.copy"
same "the same $(grep -c '^function \|^view ' "$TMP/catalogue.orig") functions and views" \
	"$TMP/catalogue.orig" "$TMP/catalogue.copy"
if copy "$ADMIN" check >"$TMP/check.copy" 2>&1; then
	same "minqing-admin check passes and says the same" "$TMP/check.orig" "$TMP/check.copy"
else
	bad "minqing-admin check fails on the restored copy: $(cat "$TMP/check.copy")"
fi
copy console_reads >"$TMP/console.copy" 2>&1
same "as demo_village, whoami(), inbox and find_cases read the same ($(cut -d' ' -f1-2 "$TMP/console.orig" | tr '\n' ' '))" \
	"$TMP/console.orig" "$TMP/console.copy"

# --- the same answers to the row-level security tests -----------------------------------------
tap=(20_village_officer.sql 30_town_handler.sql 31_kiosk.sql 32_supervisor.sql 33_department.sql 34_admin.sql
	71_archive_village2.sql 72_archive_town.sql 77_memo_town.sql 81_cards_dept.sql)
pgtap() { MQ_PROVE_FLAGS=--verbose bash "$MQ_SOURCE_DIR/tests/sql/pgtap.sh" "${tap[@]}"; }
answers() { grep -E '^(not )?ok [0-9]+|^# .* as ' "$1"; }
orig pgtap >"$TMP/tap.orig" 2>&1 || bad "the RLS tests fail on the original: $(grep -E '^not ok|^#' "$TMP/tap.orig" | head)"
if copy pgtap >"$TMP/tap.copy" 2>&1; then
	answers "$TMP/tap.orig" >"$TMP/answers.orig"
	answers "$TMP/tap.copy" >"$TMP/answers.copy"
	same "the RLS tests of ${#tap[@]} files pass on the copy with the same $(grep -c '^ok' "$TMP/answers.copy") answers" \
		"$TMP/answers.orig" "$TMP/answers.copy"
else
	bad "the RLS tests fail on the restored copy: $(grep -E '^not ok|^#' "$TMP/tap.copy" | head -20)"
fi
if out=$(copy bash "$MQ_SOURCE_DIR/tests/sql/adversary.sh" 2>&1); then
	ok "the adversary test passes on the copy ($(grep -c '^ok' <<<"$out") checks)"
else
	bad "the adversary test fails on the copy: $out"
fi

# --- and work goes on ---------------------------------------------------------------------------
last=$(copy super "SELECT max(case_id) FROM minqing.cases")
if id=$(copy as demo_village "SELECT case_id FROM minqing.case_intake('walk_in', '恢复后受理', '备份恢复后的第一件诉求。',
	(SELECT category_id FROM minqing.case_category WHERE code = 'SVC_OTHER'), '吴桂芳', '13957700006')") &&
	[[ $id =~ ^[0-9]+$ ]] && [ "$id" -gt "${last:-0}" ]; then
	ok "a case intake as demo_village on the copy: case $id after $last"
else
	bad "a case intake on the copy: $id"
fi

echo "figures (scale $scale, $size): pg_dumpall --roles-only $t_roles s, pg_dump -Fc $t_dump s," \
	"pg_restore --create -j 2 $t_restore s, vacuumdb --analyze-only $t_analyze s"
finish
