#!/usr/bin/env bash
# Passwords, the way station terminals authenticate (scram-sha-256): the
# private cluster asks the role test_password_user for one (dev.sh puts it
# first in pg_hba.conf). An administrator sets it with
# `minqing-admin user add --password` at a terminal (hashed on the client);
# a wrong one is refused with exit 3 and the server's words; without one and
# without a terminal the program says so; at a terminal it asks.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tmuxlib.bash"
login=test_password_user
secret='正确-Horse-7'
super() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 "$@"; }
cleanup() {
	tt_cleanup
	# Disabled, not dropped: the staff row stays consistent for later checks.
	super -c "SELECT minqing.user_disable('$login') FROM minqing.staff WHERE login = '$login' AND active" >/dev/null 2>&1 || true
}
trap cleanup EXIT
super -c "DELETE FROM minqing.staff WHERE login = '$login'" >/dev/null
# A role with a password is somebody's account: user_add will not adopt it
# (schema 007), so the one an earlier run left in the cluster goes first.
super -c "DROP ROLE IF EXISTS $login" >/dev/null

# 1. The administrator adds the account with a password, typed twice.
tt_start admin 100 30
tt_run admin "PGUSER=demo_admin $MQ_BUILD_DIR/minqing-admin user add $login --name 密码测试员 --unit T01V01 --duty officer --password; echo rc=\$?"
tt_wait admin "新密码："
tt_keys admin -l "$secret"
tt_keys admin Enter
tt_wait admin "再输入一次："
tt_screen admin | grep -qF "$secret" && fail "the password was echoed"
tt_keys admin -l "$secret"
tt_keys admin Enter
tt_wait admin "rc=0"
[ "$(super -c "SELECT rolpassword LIKE 'SCRAM-SHA-256\$%' FROM pg_authid WHERE rolname = '$login'")" = t ] ||
	fail "the stored password is not a SCRAM verifier"
echo "ok: user add --password asked twice without echo and stored a SCRAM verifier"

# 2. Wrong password: exit 3, the server's words, no crash.
rc=0
out=$(PGUSER=$login PGPASSWORD=wrong "$MQ_BUILD_DIR/minqing" --check 2>&1) || rc=$?
[ "$rc" -eq 3 ] || fail "wrong password: exit $rc, expected 3: $out"
grep -q "password authentication failed" <<<"$out" || fail "wrong password: no server message: $out"
echo "ok: a wrong password exits 3 with the server's words"

# 3. No password and no terminal to ask on: exit 3, says why.
rc=0
out=$(PGUSER=$login setsid "$MQ_BUILD_DIR/minqing" --check </dev/null 2>&1) || rc=$?
[ "$rc" -eq 3 ] || fail "no password: exit $rc, expected 3: $out"
grep -qi "password" <<<"$out" || fail "no password: the message does not say so: $out"
echo "ok: without a password or a terminal it exits 3"

# 4. The right password from PGPASSWORD (as from ~/.pgpass) works.
out=$(PGUSER=$login PGPASSWORD=$secret "$MQ_BUILD_DIR/minqing" --check)
grep -q "^account: $login\$" <<<"$out" || fail "right password: $out"
echo "ok: the right password logs in"

# 5. At a terminal the console asks for it, without echo.
tt_run admin "clear; PGUSER=$login $MQ_BUILD_DIR/minqing --check; echo rc=\$?"
tt_wait admin "$login 的密码："
tt_keys admin -l "$secret"
tt_keys admin Enter
tt_wait admin "rc=0"
tt_screen admin | grep -qF "account: $login" || fail "prompted login did not reach --check output"
tt_screen admin | grep -qF "$secret" && fail "the password was echoed"
echo "ok: at a terminal the password is asked for and not echoed"
