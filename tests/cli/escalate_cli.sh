#!/usr/bin/env bash
# minqing-escalate from the outside, in a scratch database of its own (the
# test kills its server sessions and takes locks that would disturb the other
# tests in the shared test database):
#   - the command line: --once with --interval (either order) is a usage
#     error (2); no server at all is 3;
#   - a pass whose server session is terminated while it runs (it waits on a
#     lock on minqing.case_due that another session holds) exits 1 and says
#     the pass was interrupted, not 3; a second pass meanwhile is skipped (0)
#     and names the last completed pass; with --interval the job reconnects
#     and goes on;
#   - a stalled job (schema 007): a pass holds the job's lock, and none has
#     completed for longer than job_setting.escalation_stall_after: an ERROR
#     line naming the last completed pass and since when which server process
#     holds the lock; exit 1 with --once, logged at every pass with
#     --interval (which goes on);
#   - the result of minqing.escalation_pass is read by column name, in the
#     shape before migration 007 (cases … skipped) and after it (… locked,
#     ended_sessions, stalled, last_completed, in any order), through stand-in
#     functions with chosen results: the key=value line gains locked= and
#     ended_sessions= when they exist; locked cases and ended sessions are
#     logged; skipped and stalled without a lock holder to name.
set -euo pipefail
: "${MQ_BUILD_DIR:?set MQ_BUILD_DIR (ctest does)}" "${PGHOST:?}"
escalate=$MQ_BUILD_DIR/minqing-escalate
admin=$MQ_BUILD_DIR/minqing-admin
tmp=$(mktemp -d)
db=mq_escalate_cli_$$
login=escalate_cli_$$
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	psql -qX -U postgres -d postgres -c "DROP ROLE IF EXISTS $login" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
export PGDATABASE=$db LANG=C.UTF-8
unset PGUSER PGAPPNAME
fails=0
pass=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
is() { # got, want, description
	if [ "$1" = "$2" ]; then ok "$3"; else bad "$3: got '$1', want '$2'"; fi
}
has() { # file, text, description
	if grep -qF -- "$2" "$1"; then ok "$3"; else bad "$3: '$2' not in: $(cat "$1")"; fi
}
hasnt() { # file, text, description
	if grep -qF -- "$2" "$1"; then bad "$3: '$2' in: $(cat "$1")"; else ok "$3"; fi
}
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 "$@"; }
# run ARGS...: minqing-escalate as the job's login, in English; rc in $rc
run() {
	rc=0
	PGUSER=$login "$escalate" -c "$tmp/en.conf" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
}
# until SECONDS SQL: wait until the query (as postgres) prints t
until_sql() {
	local i
	for i in $(seq $(($1 * 10))); do
		[ "$(q -d "$db" -c "$2")" = t ] && return 0
		sleep 0.1
	done
	return 1
}
# until_file SECONDS FILE TEXT [COUNT]: wait until FILE has COUNT lines with TEXT
until_file() {
	local i
	for i in $(seq $(($1 * 10))); do
		[ "$(grep -cF -- "$3" "$2" 2>/dev/null || true)" -ge "${4:-1}" ] && return 0
		sleep 0.1
	done
	return 1
}
# The escalation job's session, blocked on a lock.
blocked="SELECT count(*) = 1 FROM pg_stat_activity WHERE datname = '$db'
	AND application_name = 'minqing-escalate' AND wait_event_type = 'Lock'"
terminate="SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
	WHERE datname = '$db' AND application_name = 'minqing-escalate'"
# hold_case_due: another session holds minqing.case_due (the pass needs it)
# in an open transaction; its pid in $holder
hold_case_due() {
	PGAPPNAME=escalate_cli_holder psql -qXtA -U postgres -c "BEGIN" \
		-c "LOCK TABLE minqing.case_due IN ACCESS EXCLUSIVE MODE" -c "SELECT pg_sleep(120)" \
		>/dev/null 2>&1 &
	holder=$!
	pids+=("$holder")
	until_sql 10 "SELECT count(*) = 1 FROM pg_stat_activity WHERE datname = '$db'
		AND application_name = 'escalate_cli_holder' AND wait_event = 'PgSleep'" ||
		bad "the session holding case_due did not start"
}
release_case_due() {
	q -d "$db" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = '$db' AND application_name = 'escalate_cli_holder'" >/dev/null
	wait "$holder" 2>/dev/null || true
}

# --- a scratch database and the job's login ----------------------------------------
q -d postgres -c "CREATE DATABASE $db" >/dev/null
PGUSER=postgres "$admin" migrate >/dev/null
q -d postgres -c "CREATE ROLE $login LOGIN IN ROLE mq_escalator" >/dev/null
printf 'ui = { language = "en"; };\n' >"$tmp/en.conf"

# --- the command line ----------------------------------------------------------------
run --once --interval 5
is "$rc" 2 "--once --interval 5 is a usage error"
has "$tmp/err" "--once and --interval" "the message names both options"
run --interval 5 --once
is "$rc" 2 "--interval 5 --once, the other order, too"
rc=0; PGUSER=$login "$escalate" --once --interval 5 2>"$tmp/err" || rc=$?
is "$rc" 2 "in Chinese too"
has "$tmp/err" "不能同时使用" "the message is translated"
run --help
is "$rc" 0 "--help"
has "$tmp/out" "1 检查失败、被中断或作业停滞" "--help (in Chinese: it comes before the configuration) explains exit 1"
run --once --interval 0
is "$rc" 2 "--interval 0 is refused"
rc=0; PGHOST=/nonexistent PGUSER=$login "$escalate" -c "$tmp/en.conf" --once >"$tmp/out" 2>"$tmp/err" || rc=$?
is "$rc" 3 "no server at all: exit 3"
has "$tmp/err" "/nonexistent" "the message names the socket"

# --- a pass, then one interrupted by a terminated session -------------------------------
run --once
is "$rc" 0 "a pass on the scratch database"
grep -qE '^cases=0 reminders=0 yellow=0 orange=0 red=0 messages=0( locked=0 ended_sessions=0)?$' "$tmp/out" &&
	ok "it prints the key=value line" || bad "output: $(cat "$tmp/out")"

hold_case_due
PGUSER=$login "$escalate" -c "$tmp/en.conf" --once >"$tmp/once.out" 2>"$tmp/once.err" </dev/null &
victim=$!
pids+=("$victim")
until_sql 10 "$blocked" && ok "the pass waits for case_due" || bad "the pass did not block: $(cat "$tmp/once.err")"
run --once
is "$rc" 0 "a second pass meanwhile is skipped: exit 0"
has "$tmp/err" "skipped: another pass is running; the last pass completed at " "the skip is logged, with the last completed pass"
is "$(cat "$tmp/out")" "" "a skipped pass prints no key=value line"
is "$(q -d "$db" -c "$terminate")" 1 "the blocked pass's session is terminated"
rc=0; wait "$victim" || rc=$?
is "$rc" 1 "a pass terminated mid-way exits 1, not 3"
has "$tmp/once.err" "pass interrupted" "it says the pass was interrupted"
has "$tmp/once.err" "terminating connection due to administrator command" "and why, in the server's words"
is "$(cat "$tmp/once.out")" "" "an interrupted pass prints no key=value line"
release_case_due

# --interval: the same, and the job reconnects and goes on
hold_case_due
PGUSER=$login "$escalate" -c "$tmp/en.conf" --interval 1 >"$tmp/loop.out" 2>"$tmp/loop.err" </dev/null &
loop=$!
pids+=("$loop")
until_sql 10 "$blocked" || bad "the looping pass did not block: $(cat "$tmp/loop.err")"
q -d "$db" -c "$terminate" >/dev/null
release_case_due
until_file 15 "$tmp/loop.out" "cases=" && ok "--interval: after a terminated session the next pass runs" ||
	bad "--interval: no pass after the terminated session: $(cat "$tmp/loop.err")"
has "$tmp/loop.err" "pass interrupted" "--interval: the interrupted pass is logged"
has "$tmp/loop.err" "reconnected" "--interval: the reconnection is logged"
kill -0 "$loop" 2>/dev/null && ok "--interval: the job is still running" || bad "--interval: the job exited"
kill -TERM "$loop"
rc=0; wait "$loop" || rc=$?
is "$rc" 0 "--interval: SIGTERM exits 0"

# --- a stalled job -----------------------------------------------------------------------
hold_case_due
PGUSER=$login "$escalate" -c "$tmp/en.conf" --once >"$tmp/stuck.out" 2>"$tmp/stuck.err" </dev/null &
stuck=$!
pids+=("$stuck")
until_sql 10 "$blocked" || bad "the stuck pass did not block: $(cat "$tmp/stuck.err")"
q -d "$db" -c "UPDATE minqing.job_state SET last_completed_at = '2026-01-02 03:04:05+00' WHERE job = 'escalation'" >/dev/null
holder=$(q -d "$db" -c "SELECT pid || ' ' || to_char(xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
	FROM pg_stat_activity WHERE datname = '$db' AND application_name = 'minqing-escalate' AND wait_event_type = 'Lock'")
run --once
is "$rc" 1 "stalled with --once: exit 1"
has "$tmp/err" "ERROR: no escalation pass has completed since 2026-01-02T03:04:05Z; another pass has held the job lock since ${holder#* } (server process ${holder%% *})" \
	"stalled: an ERROR line with the last completed pass, and since when which process holds the lock"
is "$(cat "$tmp/out")" "" "stalled: no key=value line"
PGUSER=$login "$escalate" -c "$tmp/en.conf" --interval 1 >"$tmp/loop.out" 2>"$tmp/loop.err" </dev/null &
loop=$!
pids+=("$loop")
until_file 20 "$tmp/loop.err" "ERROR: no escalation pass has completed" 2 &&
	ok "stalled with --interval: the ERROR line at every pass" ||
	bad "stalled with --interval: $(cat "$tmp/loop.err")"
kill -0 "$loop" 2>/dev/null && ok "stalled with --interval: the job goes on" || bad "the job exited"
kill -TERM "$loop"
rc=0; wait "$loop" || rc=$?
is "$rc" 0 "stalled with --interval: SIGTERM exits 0"
q -d "$db" -c "$terminate" >/dev/null
rc=0; wait "$stuck" || rc=$?
release_case_due
pids=()
is "$rc" 1 "the stuck pass, terminated: exit 1"
run --once
is "$rc" 0 "then a pass runs again"
grep -q '^cases=0 ' "$tmp/out" && ok "and prints its line" || bad "output: $(cat "$tmp/out")"

# --- the result, read by name: stand-ins for minqing.escalation_pass ---------------------
q -c "CREATE TABLE public.stub_result (cases int, reminders int, yellow int, orange int, red int,
	messages int, skipped boolean, locked int, ended_sessions int, stalled boolean,
	last_completed timestamptz)" >/dev/null
stub() { # VALUES of stub_result
	q -c "TRUNCATE public.stub_result" -c "INSERT INTO public.stub_result VALUES ($1)" >/dev/null
}
# install SHAPE: the function with the result columns of SHAPE (old or new)
install() {
	local cols
	if [ "$1" = old ]; then
		cols="cases int, reminders int, yellow int, orange int, red int, messages int, skipped boolean"
	else # the new columns, and not in the documented order: read by name
		cols="skipped boolean, stalled boolean, last_completed timestamptz, cases int, reminders int,
		      yellow int, orange int, red int, messages int, ended_sessions int, locked int"
	fi
	q -c "DROP FUNCTION minqing.escalation_pass(timestamptz)" \
		-c "CREATE FUNCTION minqing.escalation_pass(p_now timestamptz DEFAULT now())
		    RETURNS TABLE ($cols) LANGUAGE sql SECURITY DEFINER SET search_path = pg_temp
		    AS \$\$ SELECT $(sed -E 's/ (int|boolean|timestamptz)//g; s/([a-z_]+)/s.\1/g' <<<"$cols")
		            FROM public.stub_result s \$\$" \
		-c "GRANT EXECUTE ON FUNCTION minqing.escalation_pass(timestamptz) TO mq_escalator" >/dev/null
}

install old
stub "1, 2, 3, 4, 5, 6, false, 7, 8, false, NULL"
run --once
is "$rc" 0 "old shape: exit 0"
is "$(cat "$tmp/out")" "cases=1 reminders=2 yellow=3 orange=4 red=5 messages=6" \
	"old shape: the key=value line without locked= and ended_sessions="
hasnt "$tmp/err" "locked" "old shape: nothing about locked cases"
stub "0, 0, 0, 0, 0, 0, true, 0, 0, true, NULL"
run --once
is "$rc" 0 "old shape: a skipped pass exits 0"
has "$tmp/err" "skipped: another pass is running" "old shape: the skip is logged"

install new
stub "1, 2, 3, 4, 5, 6, false, 7, 8, false, '2026-01-02 03:04:05+00'"
run --once
is "$rc" 0 "new shape: exit 0"
is "$(cat "$tmp/out")" "cases=1 reminders=2 yellow=3 orange=4 red=5 messages=6 locked=7 ended_sessions=8" \
	"new shape: the key=value line gains locked= and ended_sessions="
has "$tmp/err" "7 due cases were locked by other sessions; they will be retried at the next pass" \
	"new shape: the locked cases are logged"
has "$tmp/err" "ended 8 staff sessions that held a transaction open too long" \
	"new shape: the ended sessions are logged"
stub "1, 0, 1, 0, 0, 1, false, 0, 0, false, NULL"
run --once
is "$(cat "$tmp/out")" "cases=1 reminders=0 yellow=1 orange=0 red=0 messages=1 locked=0 ended_sessions=0" \
	"new shape: zeros are printed too"
hasnt "$tmp/err" "locked" "new shape: no locked line when none was locked"

stub "0, 0, 0, 0, 0, 0, true, 0, 0, false, '2026-01-02 03:04:05+00'"
run --once
is "$rc" 0 "new shape: skipped, not stalled: exit 0"
has "$tmp/err" "skipped: another pass is running; the last pass completed at 2026-01-02T03:04:05Z" \
	"new shape: the skip names the last completed pass (UTC)"
hasnt "$tmp/err" "ERROR" "new shape: a skip is no error"
is "$(cat "$tmp/out")" "" "new shape: a skipped pass prints no key=value line"

stub "0, 0, 0, 0, 0, 0, true, 0, 0, true, '2026-01-02 03:04:05+00'"
run --once
is "$rc" 1 "new shape: stalled, nobody holding the lock any more: exit 1"
has "$tmp/err" "ERROR: no escalation pass has completed since 2026-01-02T03:04:05Z; another pass holds the job lock" \
	"new shape: stalled: the ERROR line without a holder to name"
stub "0, 0, 0, 0, 0, 0, true, 0, 0, true, NULL"
run --once
is "$rc" 1 "new shape: stalled, no pass ever completed: exit 1"
has "$tmp/err" "ERROR: no escalation pass has ever completed" "new shape: stalled: says no pass ever completed"

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
