#!/usr/bin/env bash
# The upgrade an administrator makes (docs/operations.md, "Upgrade"): the
# demo district loaded by the FIRST schema version's own program, then this
# build's `minqing-admin migrate`.
#
# The first version is commit 280eb18 (MQ_UPGRADE_FROM names another):
# schema/ holds 001_spine.sql alone and its minqing-admin has the seeded demo
# generator. It is the earliest commit that builds: the two before it at
# version 1 (587d25f, the first with demo-data, and f7529ac) name a console
# and a tests/ directory their trees do not have, and CMake stops. Its
# minqing-admin is built from `git archive` of the commit (-DMQ_WERROR=OFF:
# today's compiler may warn where that one did not) and kept in
# build/upgrade-from-COMMIT (with its build.log), so a second run builds
# nothing. A shallow clone
# without that commit skips the test (exit 77) and says so.
#
# Checked after the migration:
#   - the schema version is this build's;
#   - no table of the first version has fewer rows, no sequence went back
#     (tests/ops/rows.sql before and after);
#   - `minqing-admin check` passes;
#   - the same functions and views as a fresh install, and the same pg_dump
#     --schema-only (same_as_fresh of tests/sql/lib.bash);
#   - every staff login of the first version has the session limits that
#     migration 007 gives in this database;
#   - the row-level security tests of several duties (pgTAP) and the
#     adversary test pass on the upgraded data;
#   - work goes on: a case intake as demo_village, accept and dispatch to the
#     village as demo_town (its household's party member the proxy), and an
#     escalation pass a month past the deadline turns it red.
# Prints the times of the load and the migration, and "N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.bash
source "$here/lib.bash"
FROM=${MQ_UPGRADE_FROM:-280eb18}
db=mq_upgrade_v1_$$
fresh=mq_upgrade_fresh_$$
export PGDATABASE=$db

# --- the first version's program, from the history -----------------------------------------
git=(git -C "$MQ_SOURCE_DIR")
if ! "${git[@]}" rev-parse --git-dir >/dev/null 2>&1; then
	echo "skip: $MQ_SOURCE_DIR is not a git checkout; the first version is taken from its history"
	exit 77
fi
if ! commit=$("${git[@]}" rev-parse --verify -q "$FROM^{commit}"); then
	if [ "$("${git[@]}" rev-parse --is-shallow-repository)" = true ]; then
		echo "skip: this shallow clone lacks commit $FROM of the first schema version (git fetch --unshallow)"
		exit 77
	fi
	die "commit $FROM is not in the repository"
fi
old_dir=$MQ_SOURCE_DIR/build/upgrade-from-${commit:0:12}
OLD_ADMIN=$old_dir/build/minqing-admin
t0=$(now)
mkdir -p "$old_dir"
(
	flock 9 # (two runs at once: one builds, the other waits and uses it)
	[ -x "$OLD_ADMIN" ] && exit 0
	rm -rf "$old_dir/src" "$old_dir/build"
	mkdir -p "$old_dir/src"
	"${git[@]}" archive "$commit" | tar -x -C "$old_dir/src" &&
		cmake -S "$old_dir/src" -B "$old_dir/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMQ_WERROR=OFF &&
		cmake --build "$old_dir/build" --target minqing-admin -j "$(nproc)"
) 9>"$old_dir/lock" >"$old_dir/build.log" 2>&1 ||
	die "the first version's minqing-admin did not build: $(tail -20 "$old_dir/build.log")"
echo "the first version's minqing-admin (${commit:0:12}): $(since "$t0") s (built once, kept in $old_dir)"

# --- the demo district at the first version ---------------------------------------------------
t0=$(now)
ops_db "$db"
"$OLD_ADMIN" migrate >"$TMP/old.log" 2>&1 &&
	"$OLD_ADMIN" demo-data --scale "$scale" --seed 1 >>"$TMP/old.log" 2>&1 ||
	die "the first version could not load the demo district: $(tail -20 "$TMP/old.log")"
t_load=$(since "$t0")
version() { super "SELECT max(version) FROM minqing.schema_version"; }
expect "the first version's demo district is at schema version 1" "$(version)" 1
psql -qXtA -v ON_ERROR_STOP=1 -f "$here/rows.sql" >"$TMP/rows.v1" || die "rows.sql failed"
echo "the demo district at scale $scale by the first version: $t_load s" \
	"($(awk -F'|' '/^table / { n += $2 } END { print n }' "$TMP/rows.v1") rows in $(grep -c '^table ' "$TMP/rows.v1") tables)"

# --- the upgrade -------------------------------------------------------------------------------
t0=$(now)
# (stderr apart: the error, written at once, would be above the progress
# lines on stdout, which are flushed at exit, and out of a tail)
if "$MQ_BUILD_DIR/minqing-admin" migrate >"$TMP/migrate.log" 2>"$TMP/migrate.err"; then
	t_migrate=$(since "$t0")
	ok "minqing-admin migrate: $(grep -c . "$TMP/migrate.log") lines, $t_migrate s"
else
	t_migrate=-
	bad "minqing-admin migrate failed: $(cat "$TMP/migrate.err") (after: $(tail -3 "$TMP/migrate.log"))"
fi
latest=$(find "$MQ_SOURCE_DIR/schema" -maxdepth 1 -name '[0-9][0-9][0-9]_*.sql' | wc -l)
expect "the schema is at this build's version" "$(version)" "$latest"
psql -qXtA -v ON_ERROR_STOP=1 -f "$here/rows.sql" >"$TMP/rows.now"
fewer=$(awk -F'|' 'NR == FNR { now[$1] = $2; next }
	!($1 in now) { print $1 " is gone"; next }
	now[$1] + 0 < $2 + 0 { print $1 ": " $2 " -> " now[$1] }' "$TMP/rows.now" "$TMP/rows.v1")
expect "no table of the first version lost rows, no sequence went back ($(grep -c . "$TMP/rows.v1") checked)" "$fewer" ""
if "$MQ_BUILD_DIR/minqing-admin" check >"$TMP/check" 2>&1; then
	ok "minqing-admin check passes on the upgraded database"
else
	bad "minqing-admin check: $(cat "$TMP/check")"
fi
ops_db "$fresh"
PGDATABASE=$fresh "$MQ_BUILD_DIR/minqing-admin" migrate >/dev/null || bad "a fresh install failed"
same_as_fresh "$db" "$fresh"
expect "every staff login of the first version has its session limits in this database" "$(super "
	SELECT count(*) FROM minqing.staff s
	 WHERE NOT EXISTS (SELECT 1 FROM pg_db_role_setting x JOIN pg_roles r ON r.oid = x.setrole
	                    WHERE r.rolname = s.login AND 'statement_timeout=30s' = ANY (x.setconfig)
	                      AND x.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()))")" 0

# --- the tests on the upgraded data -------------------------------------------------------------
tap=(20_village_officer.sql 30_town_handler.sql 31_kiosk.sql 32_supervisor.sql 33_department.sql 34_admin.sql)
if bash "$MQ_SOURCE_DIR/tests/sql/pgtap.sh" "${tap[@]}" >"$TMP/tap" 2>&1; then
	ok "the row-level security tests of ${#tap[@]} duties pass on the upgraded data"
else
	bad "the RLS tests fail on the upgraded data: $(grep -E '^not ok|^#|Failed' "$TMP/tap" | head -20)"
fi
if out=$(bash "$MQ_SOURCE_DIR/tests/sql/adversary.sh" 2>&1); then
	ok "the adversary test passes on the upgraded data"
else
	bad "the adversary test: $out"
fi

# --- work goes on: intake, accept, dispatch, escalation ----------------------------------------------
super "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'minqing_escalate')
       THEN CREATE ROLE minqing_escalate LOGIN IN ROLE mq_escalator; END IF; END \$\$" >/dev/null
hh=$(super "SELECT h.household_id FROM minqing.household h
            JOIN minqing.household_link l ON l.household_id = h.household_id AND l.contact_kind = 'party_member'
            WHERE h.unit_id = (SELECT unit_id FROM minqing.staff WHERE login = 'demo_village') ORDER BY 1 LIMIT 1")
proxy=$(super "SELECT contact_resident_id FROM minqing.household_link WHERE household_id = $hh AND contact_kind = 'party_member'")
cat=$(super "SELECT category_id FROM minqing.case_category WHERE parent_id IS NOT NULL ORDER BY category_id LIMIT 1")
status() { super "SELECT status || ' ' || warning_level FROM minqing.cases WHERE case_id = $id"; }
if id=$(as demo_village "SELECT case_id FROM minqing.case_intake('walk_in', '升级后受理', '第一版数据升级后的第一件诉求。',
	$cat, '吴桂芳', '13957700006', $hh)") && [ -n "$id" ]; then
	expect "a case intake as demo_village on the first version's household $hh" "$(status)" "received none"
	as demo_town "SELECT minqing.case_accept($id, '升级测试')" >/dev/null &&
		expect "accepted by demo_town" "$(status)" "accepted none"
	as demo_town "SELECT minqing.case_dispatch($id, 'T01V01')" >/dev/null &&
		expect "dispatched to the village, the household's party member the proxy" \
			"$(status) $(super "SELECT proxy_resident_id FROM minqing.cases WHERE case_id = $id")" "dispatched none $proxy"
	late=$(super "SELECT due_at + interval '30 days' FROM minqing.cases WHERE case_id = $id")
	as minqing_escalate "SELECT cases FROM minqing.escalation_pass('$late')" >/dev/null &&
		expect "an escalation pass a month past the deadline turns it red" "$(status)" "dispatched red"
fi

echo "figures (scale $scale): the first version's demo-data $t_load s, minqing-admin migrate 1 -> $latest $t_migrate s"
finish
