#!/usr/bin/env bash
# The console's command line, without a terminal: --check prints who is
# logged in (the keys are stable for scripts), --version and --help, and
# every refusal with its exit code: a bad configuration file (2), no server
# or no such role (3), a database without the schema or with a newer one (4),
# a locale that is not UTF-8, no terminal, or a terminal that cannot address
# the cursor (TERM=dumb) (5), a role that is not staff (1).
set -euo pipefail
: "${MQ_BUILD_DIR:?set MQ_BUILD_DIR (ctest does)}"
: "${PGDATABASE:?set PGDATABASE to a migrated database with the demo district (ctest does)}"

MINQING=$MQ_BUILD_DIR/minqing
ADMIN=$MQ_BUILD_DIR/minqing-admin
TMP=$(mktemp -d)
SCRATCH_EMPTY=mq_console_cli_empty_$$
SCRATCH_NEWER=mq_console_cli_newer_$$
NOSTAFF=mq_console_nostaff_$$
cleanup() {
	dropdb -U postgres --if-exists "$SCRATCH_EMPTY" 2>/dev/null || true
	dropdb -U postgres --if-exists "$SCRATCH_NEWER" 2>/dev/null || true
	psql -XqA -U postgres -c "DROP ROLE IF EXISTS $NOSTAFF" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}
# run CMD...: sets rc, and $TMP/out and $TMP/err.
run() {
	set +e
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	set -e
}
expect_rc() { # code what
	[ "$rc" -eq "$1" ] || fail "$2: exit $rc, expected $1
stdout: $(cat "$TMP/out")
stderr: $(cat "$TMP/err")"
}
expect_out() { # text what
	grep -qxF -- "$1" "$TMP/out" || fail "$2: no line '$1' in: $(cat "$TMP/out")"
}
expect_err() { # text what
	grep -qF -- "$1" "$TMP/err" || fail "$2: '$1' not in stderr: $(cat "$TMP/err")"
}
sql() { psql -XtA -v ON_ERROR_STOP=1 -U postgres "$@"; }

printf 'ui = { language = "en"; };\n' >"$TMP/en.conf"

# --- --check as demo_village -----------------------------------------------------------
unit=$(sql -c "select u.code || ' ' || u.name from minqing.staff s
                 join minqing.org_unit u using (unit_id) where s.login = 'demo_village'")
name=$(sql -c "select display_name from minqing.staff where login = 'demo_village'")
district=$(sql -c "select d.name from minqing.staff s join minqing.district d
                     using (district_id) where s.login = 'demo_village'")
version=$(sql -c "select max(version) from minqing.schema_version")
run env PGUSER=demo_village "$MINQING" --check
expect_rc 0 "--check as demo_village"
expect_out "account: demo_village" "--check"
expect_out "name: $name" "--check"
expect_out "duty: officer" "--check"
expect_out "unit: $unit" "--check"
expect_out "district: $district" "--check"
expect_out "schema version: $version" "--check"
grep -q '^connection: ' "$TMP/out" || fail "--check: no connection line"

# --- --version and --help ----------------------------------------------------------------
run "$MINQING" --version
expect_rc 0 "--version"
grep -q "^minqing .*schema version $version" "$TMP/out" || fail "--version: $(cat "$TMP/out")"
run "$MINQING" --help
expect_rc 0 "--help"
grep -q -- "--check" "$TMP/out" || fail "--help does not mention --check"
run "$MINQING" --no-such-option
expect_rc 2 "an unknown option"

# --- a configuration file with an unknown setting: file:line --------------------------------
printf '# the console\nui = { colour = true; };\n' >"$TMP/bad.conf"
run env PGUSER=demo_village "$MINQING" -c "$TMP/bad.conf" --check
expect_rc 2 "unknown setting"
expect_err "$TMP/bad.conf:2:" "unknown setting"
run env PGUSER=demo_village "$MINQING" -c "$TMP/missing.conf" --check
expect_rc 2 "a missing -c file"

# --- key bindings by action name: a bad key, a character, a key bound twice -------------------
printf 'ui = { language = "en"; };\nkeys = { submit = "F99"; };\n' >"$TMP/keys.conf"
run env PGUSER=demo_village "$MINQING" -c "$TMP/keys.conf" --check
expect_rc 2 "a key that does not exist"
expect_err 'keys.submit: "F99" is not a key' "a key that does not exist"
printf 'ui = { language = "en"; };\nkeys = { submit = "s"; };\n' >"$TMP/keys.conf"
run env PGUSER=demo_village "$MINQING" -c "$TMP/keys.conf" --check
expect_rc 2 "a character as a key"
expect_err 'keys.submit: "s" is a character' "a character as a key"
printf 'ui = { language = "en"; };\nkeys = { submit = "F9"; reload = "F9"; };\n' >"$TMP/keys.conf"
run env PGUSER=demo_village "$MINQING" -c "$TMP/keys.conf" --check
expect_rc 2 "one key for two actions"
expect_err 'is bound to another action too' "one key for two actions"
printf 'ui = { language = "en"; };\nkeys = { submit = "F9"; quit = "C-q"; back = "Left"; };\n' >"$TMP/keys.conf"
run env PGUSER=demo_village "$MINQING" -c "$TMP/keys.conf" --check
expect_rc 0 "good key bindings"

# --- no server, no such role -----------------------------------------------------------------
run env PGHOST=/nonexistent PGUSER=demo_village "$MINQING" --check
expect_rc 3 "PGHOST=/nonexistent"
expect_err "/nonexistent/.s.PGSQL" "PGHOST=/nonexistent"
run env PGUSER=nobody_here "$MINQING" --check
expect_rc 3 "PGUSER=nobody_here"
expect_err "nobody_here" "PGUSER=nobody_here"

# --- a database without the schema; one with a newer schema ------------------------------------
createdb -U postgres "$SCRATCH_EMPTY"
run env PGUSER=postgres PGDATABASE="$SCRATCH_EMPTY" "$MINQING" --check
expect_rc 4 "a database without the schema"
expect_err "minqing-admin migrate" "a database without the schema"

createdb -U postgres "$SCRATCH_NEWER"
PGUSER=postgres PGDATABASE=$SCRATCH_NEWER "$ADMIN" migrate >/dev/null
sql -d "$SCRATCH_NEWER" -qc "insert into minqing.schema_version (version, name) values (999, '999_future.sql')"
run env PGUSER=postgres PGDATABASE="$SCRATCH_NEWER" "$MINQING" --check
expect_rc 4 "a newer schema"
expect_err "999" "a newer schema"
expect_err "更新" "a newer schema (Chinese)"
run env PGUSER=postgres PGDATABASE="$SCRATCH_NEWER" "$MINQING" -c "$TMP/en.conf" --check
expect_rc 4 "a newer schema"
expect_err "newer" "a newer schema (English)"

# --- not UTF-8 ------------------------------------------------------------------------------------
run env LANG=C LC_ALL=C PGUSER=demo_village "$MINQING" --check
expect_rc 5 "LC_ALL=C"
expect_err "UTF-8" "LC_ALL=C"
expect_err "LANG=C.UTF-8" "LC_ALL=C"
run env LANG=C LC_ALL=C PGUSER=demo_village "$MINQING"
expect_rc 5 "LC_ALL=C, interactive"

# --- a role that can log in but is not staff -----------------------------------------------------
sql -qc "CREATE ROLE $NOSTAFF LOGIN"
run env PGUSER="$NOSTAFF" "$MINQING" --check
[ "$rc" -ne 0 ] || fail "a role that is not staff: --check succeeded"
[ "$rc" -ne 70 ] || fail "a role that is not staff: fatal error: $(cat "$TMP/err")"
expect_err "未登记为民情e站的工作人员" "a role that is not staff (Chinese)"
run env PGUSER="$NOSTAFF" "$MINQING" -c "$TMP/en.conf" --check
[ "$rc" -ne 0 ] || fail "a role that is not staff: --check succeeded"
expect_err "not registered as staff" "a role that is not staff (English)"

# --- the interactive console without a terminal ----------------------------------------------
run env PGUSER=demo_village "$MINQING"
expect_rc 5 "stdin not a terminal"
expect_err "终端" "stdin not a terminal"

# --- a terminal that cannot address the cursor: refused before connecting ----------------------
# script(1) gives the console a terminal (a pty); what it prints comes back on stdout.
# PGHOST points nowhere: the terminal is refused first (5), not the connection (3).
in_pty() { # command line
	run script -qec "$1" /dev/null
}
expect_tty() { # text what
	grep -qF -- "$1" "$TMP/out" || fail "$2: '$1' not in: $(cat "$TMP/out")"
}
NOWHERE="PGHOST=/nonexistent PGUSER=demo_village"
in_pty "env TERM=dumb $NOWHERE $MINQING"
expect_rc 5 "TERM=dumb"
expect_tty "终端类型“dumb”不能定位光标" "TERM=dumb (Chinese)"
in_pty "env TERM=dumb $NOWHERE $MINQING -c $TMP/en.conf"
expect_rc 5 "TERM=dumb, English"
expect_tty "the terminal type 'dumb' cannot move the cursor" "TERM=dumb (English)"
# A terminfo entry of our own, without cup.
printf 'mq-nocup|a terminal without cursor addressing,\n\tam, cols#80, lines#24,\n\tbel=^G, cr=\\r, clear=\\E[H\\E[2J, cud1=\\n, ind=\\n,\n' >"$TMP/nocup.ti"
tic -o "$TMP/terminfo" "$TMP/nocup.ti"
in_pty "env TERMINFO=$TMP/terminfo TERM=mq-nocup $NOWHERE $MINQING"
expect_rc 5 "a terminfo entry without cup"
expect_tty "终端类型“mq-nocup”不能定位光标" "a terminfo entry without cup"
in_pty "env TERM=mq-no-such-terminal $NOWHERE $MINQING"
expect_rc 5 "an unknown TERM"
expect_tty "无法使用终端类型“mq-no-such-terminal”" "an unknown TERM"
in_pty "env -u TERM $NOWHERE $MINQING"
expect_rc 5 "no TERM"
expect_tty "未设置终端类型" "no TERM"
# A terminal that can (the same pty as xterm) goes on to connect: here, to nowhere (3).
in_pty "env TERM=xterm $NOWHERE $MINQING"
expect_rc 3 "TERM=xterm"

echo "ok: console command line"
