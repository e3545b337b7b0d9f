#!/usr/bin/env bash
# minqing-admin from the outside: exit codes and messages for the cases an
# administrator meets, account management through the real functions, and
# demo data that is the same for the same seed.
set -euo pipefail
: "${PGDATABASE:?run through ./dev.sh test}" "${MQ_BUILD_DIR:?}"
admin=$MQ_BUILD_DIR/minqing-admin
tmp=$(mktemp -d)
scratch=(mq_cli_empty_$$ mq_cli_seed_a_$$ mq_cli_seed_b_$$ mq_cli_new_$$)
cleanup() {
	for db in "${scratch[@]}"; do psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
	psql -qX -U postgres -d postgres -c "DROP ROLE IF EXISTS cli_test_officer" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
pass=0
check() { # description, expected rc, command...
	local what=$1 want=$2; shift 2
	local rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL: $what: exit $rc, expected $want"; sed 's/^/  | /' "$tmp/out" "$tmp/err"
		fails=$((fails + 1))
	else
		echo "ok: $what"; pass=$((pass + 1))
	fi
}
expect_in() { # file, text, description
	if grep -qF -- "$2" "$1"; then echo "ok: $3"; pass=$((pass + 1)); else
		echo "FAIL: $3: '$2' not in:"; sed 's/^/  | /' "$1"; fails=$((fails + 1)); fi
}

check "--version" 0 "$admin" --version
version=$(ls "$MQ_SOURCE_DIR"/schema/[0-9][0-9][0-9]_*.sql | wc -l)
expect_in "$tmp/out" "schema version $version" "--version names the schema version (the last migration)"
check "--help" 0 "$admin" --help
expect_in "$tmp/out" "demo-data" "--help lists the commands"
check "no command" 2 "$admin"
check "unknown command" 2 "$admin" frobnicate

printf 'ui = {\n  language = "en";\n  colour = true;\n};\n' >"$tmp/bad.conf"
check "unknown setting in the config" 2 "$admin" -c "$tmp/bad.conf" check
expect_in "$tmp/err" "bad.conf:3:" "the error names file and line"
printf 'database = { conninfo = "dbname=x password=secret"; };\n' >"$tmp/pw.conf"
check "a password in the config" 2 "$admin" -c "$tmp/pw.conf" check
check "missing -c file" 2 "$admin" -c "$tmp/none.conf" check

check "unreachable server" 3 env PGHOST=/nonexistent "$admin" check
expect_in "$tmp/err" "/nonexistent/.s.PGSQL" "the message names the socket"
check "unknown account" 3 env PGUSER=no_such_person "$admin" check
expect_in "$tmp/err" "no_such_person" "the message quotes the server"

check "migrate when up to date" 0 "$admin" migrate
expect_in "$tmp/out" "无需迁移" "migrate says (in Chinese) there is nothing to do"
printf 'ui = { language = "en"; };\n' >"$tmp/en.conf"
check "migrate in English" 0 "$admin" -c "$tmp/en.conf" migrate
expect_in "$tmp/out" "nothing to do" "English by configuration"
check "migrate as a non-superuser" 1 env PGUSER=demo_admin "$admin" migrate
check "check on the test database" 0 "$admin" check
expect_in "$tmp/out" "status: ok" "the demo district is healthy"
check "check as a supervisor (own scope)" 0 env PGUSER=demo_supervisor "$admin" check

# stats: the figures, and a period that ends before it starts is a usage error
check "stats" 0 "$admin" -c "$tmp/en.conf" stats
expect_in "$tmp/out" "recorded: " "stats prints the figures"
check "stats --from later than --to" 2 "$admin" -c "$tmp/en.conf" stats --from 2026-03-01 --to 2026-02-01
expect_in "$tmp/err" "--from 2026-03-01 is later than --to 2026-02-01" "the message names both dates"
if [ -s "$tmp/out" ]; then echo "FAIL: stats printed figures for an empty period"; fails=$((fails + 1))
else echo "ok: no figures for a period that ends before it starts"; pass=$((pass + 1)); fi
check "stats --from equal to --to (one day)" 0 "$admin" -c "$tmp/en.conf" stats --from 2026-03-01 --to 2026-03-01
check "stats with a date that does not exist" 2 "$admin" -c "$tmp/en.conf" stats --from 2026-02-30
expect_in "$tmp/err" "2026-02-30" "the message quotes the bad date"
check "stats --from later than --to, in Chinese" 2 "$admin" stats --to 2026-02-01 --from 2026-03-01
expect_in "$tmp/err" "晚于" "the message is translated"

psql -qX -U postgres -d postgres -c "CREATE DATABASE ${scratch[0]}" >/dev/null
check "a database without the schema" 4 env PGDATABASE="${scratch[0]}" "$admin" check
expect_in "$tmp/err" "minqing-admin migrate" "the message says what to run"
check "migrate from empty" 0 env PGDATABASE="${scratch[0]}" "$admin" migrate
expect_in "$tmp/out" "已应用 001_spine.sql" "migrate applied the spine"
psql -qX -U postgres -d "${scratch[0]}" -c "INSERT INTO minqing.schema_version (version, name) VALUES (999, 'future')" >/dev/null
check "a database newer than the program" 4 env PGDATABASE="${scratch[0]}" "$admin" check
expect_in "$tmp/err" "999" "the message names the database's version"
check "migrate refuses a newer database" 4 env PGDATABASE="${scratch[0]}" "$admin" migrate

# Upgrading a database that has a district at version 1: the later
# migrations give it categories, calendar and thresholds at once.
scratch+=(mq_cli_upgrade_$$)
psql -qX -U postgres -d postgres -c "CREATE DATABASE ${scratch[-1]}" >/dev/null
psql -qX -U postgres -d "${scratch[-1]}" -v ON_ERROR_STOP=1 -1 -f "$MQ_SOURCE_DIR/schema/001_spine.sql" >/dev/null 2>&1
psql -qX -U postgres -d "${scratch[-1]}" -c "INSERT INTO minqing.schema_version (version, name) VALUES (1, '001_spine.sql');
	INSERT INTO minqing.district VALUES (1, '330303', '龙湾区', 'Longwan')" >/dev/null
check "migrate from version 1 with a district" 0 env PGDATABASE="${scratch[-1]}" "$admin" migrate
got=$(psql -qXtA -U postgres -d "${scratch[-1]}" -c "SELECT (SELECT count(*) > 0 FROM minqing.case_category) AND (SELECT count(*) = 4 FROM minqing.escalation_rule)")
if [ "$got" = t ]; then echo "ok: the upgraded district has categories and thresholds"; pass=$((pass + 1))
else echo "FAIL: the upgraded district has no defaults"; fails=$((fails + 1)); fi

check "demo-data into a loaded database" 1 "$admin" demo-data
check "demo-data with a bad scale" 2 "$admin" demo-data --scale lots
check "demo-data as a non-superuser" 1 env PGUSER=demo_admin "$admin" demo-data

# The same seed gives the same district; another seed another one.
digest() {
	psql -qXtA -U postgres -d "$1" -c "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
	  SELECT concat_ws(',', code, name, path) AS x FROM minqing.org_unit
	  UNION ALL SELECT concat_ws(',', household_no, address, path) FROM minqing.household
	  UNION ALL SELECT concat_ws(',', name, relation, phone, id_card, birth_date) FROM minqing.resident) t"
}
for db in "${scratch[1]}" "${scratch[2]}" "${scratch[3]}"; do
	psql -qX -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
	PGDATABASE=$db "$admin" migrate >/dev/null
done
check "demo-data scale 0.05 seed 7 (a)" 0 env PGDATABASE="${scratch[1]}" "$admin" demo-data --scale 0.05 --seed 7
check "demo-data scale 0.05 seed 7 (b)" 0 env PGDATABASE="${scratch[2]}" "$admin" demo-data --scale 0.05 --seed 7
check "demo-data scale 0.05 seed 8" 0 env PGDATABASE="${scratch[3]}" "$admin" demo-data --scale 0.05 --seed 8
a=$(digest "${scratch[1]}"); b=$(digest "${scratch[2]}"); c=$(digest "${scratch[3]}")
if [ "$a" = "$b" ] && [ "$a" != "$c" ]; then echo "ok: same seed, same district; other seed, other district"; pass=$((pass + 1))
else echo "FAIL: digests seed7=$a seed7=$b seed8=$c"; fails=$((fails + 1)); fi

# The load drops indexes, keys and triggers for its bulk statements and puts
# them back: the schema after it is the one migrate made. And what it writes
# in one pass instead of the triggers is what they (and a recount) would
# have: the search rows, the escalation queue, the report figures (the
# summaries with the log folded in) and marks (scale 0.7: 328 cases, with
# warnings, reopenings and red marks).
scratch+=(mq_cli_load_$$)
psql -qX -U postgres -d postgres -c "CREATE DATABASE ${scratch[-1]}" >/dev/null
PGDATABASE=${scratch[-1]} "$admin" migrate >/dev/null
schema() { pg_dump -U postgres -s -d "$1" | grep -Ev '^\\(un)?restrict '; }
schema "${scratch[-1]}" >"$tmp/schema.migrated"
check "demo-data scale 0.7" 0 env PGDATABASE="${scratch[-1]}" "$admin" demo-data --scale 0.7
schema "${scratch[-1]}" >"$tmp/schema.loaded"
if diff "$tmp/schema.migrated" "$tmp/schema.loaded" >"$tmp/schema.diff"; then
	echo "ok: the load leaves the schema as migrate made it"; pass=$((pass + 1))
else echo "FAIL: the schema differs after the load:"; sed 's/^/  | /' "$tmp/schema.diff" | head -40; fails=$((fails + 1)); fi
got=$(psql -qXtA -U postgres -d "${scratch[-1]}" -v ON_ERROR_STOP=1 <<-'SQL'
	BEGIN;
	SELECT minqing.report_fold() >= 0 AS folded \gset
	CREATE TEMP TABLE d AS SELECT * FROM minqing.report_case_day;
	CREATE TEMP TABLE h AS SELECT * FROM minqing.report_case_hours;
	CREATE TEMP TABLE m AS SELECT * FROM minqing.report_case_mark;
	SELECT minqing.report_rebuild() > 0 AS rebuilt \gset
	SELECT (SELECT count(*) FROM minqing.cases WHERE warning_level = 'red') > 0
	       AND (SELECT count(*) FROM m) > 0
	       AND (SELECT count(*) FROM minqing.case_due) > 0,
	       (SELECT count(*) FROM ((TABLE d EXCEPT ALL TABLE minqing.report_case_day)
	                              UNION ALL (TABLE minqing.report_case_day EXCEPT ALL TABLE d)) x),
	       (SELECT count(*) FROM ((TABLE h EXCEPT ALL TABLE minqing.report_case_hours)
	                              UNION ALL (TABLE minqing.report_case_hours EXCEPT ALL TABLE h)) x),
	       (SELECT count(*) FROM ((TABLE m EXCEPT ALL TABLE minqing.report_case_mark)
	                              UNION ALL (TABLE minqing.report_case_mark EXCEPT ALL TABLE m)) x),
	       (SELECT count(*) FROM minqing.cases k FULL JOIN minqing.case_search s USING (case_id)
	         WHERE s.doc IS DISTINCT FROM minqing.case_search_doc(k.title, k.content, k.submitter_name)
	            OR s.grams IS DISTINCT FROM minqing.text_bigrams(s.doc)
	            OR (s.origin_unit_id, s.assigned_unit_id) IS DISTINCT FROM (k.origin_unit_id, k.assigned_unit_id)),
	       (SELECT count(*) FROM minqing.cases k FULL JOIN minqing.case_due q USING (case_id)
	         WHERE q.due_at IS DISTINCT FROM k.next_escalation_at);
	ROLLBACK;
SQL
)
if [ "$got" = "t|0|0|0|0|0" ]; then
	echo "ok: search rows, escalation queue, summaries and marks as the triggers and a recount make them"
	pass=$((pass + 1))
else echo "FAIL: some red, marks and queue | day, hours, marks, search, queue differences: $got"; fails=$((fails + 1)); fi
check "check on the loaded district" 0 env PGDATABASE="${scratch[-1]}" "$admin" check
expect_in "$tmp/out" "status: ok" "the loaded district is healthy"

# Accounts through the real functions, as the demo administrator.
check "user add as demo_admin" 0 env PGUSER=demo_admin "$admin" user add cli_test_officer --name 测试信息员 --unit T01V01 --duty officer --phone 13800001111
check "the new account logs in" 0 env PGUSER=cli_test_officer "$admin" check
check "user add twice" 1 env PGUSER=demo_admin "$admin" user add cli_test_officer --name x --unit T01V01 --duty officer
check "user add with a bad duty" 1 env PGUSER=demo_admin "$admin" user add cli_test_x --name x --unit T01V01 --duty king
check "user add as an officer" 1 env PGUSER=demo_village "$admin" user add cli_test_y --name x --unit T01V01 --duty admin
check "user list" 0 env PGUSER=demo_admin "$admin" user list --unit T01V01
expect_in "$tmp/out" "测试信息员" "the list shows the new account"
check "user disable" 0 env PGUSER=demo_admin "$admin" user disable cli_test_officer
check "a disabled account cannot log in" 3 env PGUSER=cli_test_officer "$admin" check
check "user enable" 0 env PGUSER=demo_admin "$admin" user enable cli_test_officer
check "an enabled account logs in again" 0 env PGUSER=cli_test_officer "$admin" check
check "user enable without a login" 2 env PGUSER=demo_admin "$admin" user enable
check "user move" 0 env PGUSER=demo_admin "$admin" user move cli_test_officer T01V02
expect_in "$tmp/out" "T01V02" "it says where the account went"
got=$(psql -qXtA -U postgres -c "SELECT path FROM minqing.staff WHERE login = 'cli_test_officer'")
if [ "$got" = "LW.T01.T01V02" ]; then echo "ok: the account's jurisdiction moved"; pass=$((pass + 1))
else echo "FAIL: the account's path is '$got'"; fails=$((fails + 1)); fi
check "user move to an unknown unit" 1 env PGUSER=demo_admin "$admin" user move cli_test_officer NOWHERE
check "user move as an officer" 1 env PGUSER=demo_village "$admin" user move cli_test_officer T01V01
check "user move as a town's administrator, out of the town" 1 env PGUSER=demo_town_admin "$admin" user move cli_test_officer T02V01
check "user duty" 0 env PGUSER=demo_admin "$admin" user duty cli_test_officer handler
expect_in "$tmp/out" "cli_test_officer" "it names the account"
got=$(psql -qXtA -U postgres -c "SELECT s.duty || ' ' || pg_has_role(s.login, 'mq_handler', 'MEMBER') || ' ' ||
  pg_has_role(s.login, 'mq_officer', 'MEMBER') FROM minqing.staff s WHERE s.login = 'cli_test_officer'")
if [ "$got" = "handler true false" ]; then echo "ok: the duty and the group role changed together"; pass=$((pass + 1))
else echo "FAIL: duty, handler, officer: '$got'"; fails=$((fails + 1)); fi
check "user duty with a bad duty" 1 env PGUSER=demo_admin "$admin" user duty cli_test_officer king
check "user duty as an officer" 1 env PGUSER=demo_village "$admin" user duty cli_test_officer admin
check "user duty of oneself" 1 env PGUSER=demo_admin "$admin" user duty demo_admin officer
check "user duty without a duty" 2 env PGUSER=demo_admin "$admin" user duty cli_test_officer
check "user disable again" 0 env PGUSER=demo_admin "$admin" user disable cli_test_officer
psql -qX -U postgres -c "DELETE FROM minqing.staff WHERE login = 'cli_test_officer'" >/dev/null 2>&1 || true

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
