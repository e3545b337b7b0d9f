#!/usr/bin/env bash
# A lost database connection. First the server ends the console's session
# (pg_terminate_backend): the console reconnects at once and says so, and
# libpq's complaint must not be written over the screen (stderr stays
# empty); with the inbox open, a case dispatched to the person after the
# reconnection appears without a key press (LISTEN said again). Then the
# console connects through a small proxy (pgproxy.pl); the
# proxy is killed, the console must show the banner and "connection lost"
# without a key press, keep working (a query fails with a message, no
# crash), and when the proxy is back, reconnect by itself within a few
# seconds, clear the banner and read the database again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
: "${PGHOST:?set PGHOST to the socket directory of the server}"
PORT=${PGPORT:-5432}
[ -S "$PGHOST/.s.PGSQL.$PORT" ] || { echo "skip: the server is not on a Unix socket"; exit 77; }

# Short: a socket path must fit in 108 bytes.
PROXY_DIR=$(mktemp -d /tmp/mqpx.XXXXXX)
PROXY_PID=
start_proxy() {
	perl "$here/pgproxy.pl" "$PROXY_DIR/.s.PGSQL.$PORT" "$PGHOST/.s.PGSQL.$PORT" &
	PROXY_PID=$!
	local deadline=$((SECONDS + 5))
	until [ -S "$PROXY_DIR/.s.PGSQL.$PORT" ]; do
		[ "$SECONDS" -lt "$deadline" ] || fail "the proxy did not start"
		sleep 0.05
	done
}
stop_proxy() {
	if [ -n "$PROXY_PID" ]; then
		kill "$PROXY_PID" 2>/dev/null || true
		wait "$PROXY_PID" 2>/dev/null || true
		PROXY_PID=
	fi
	rm -f "$PROXY_DIR/.s.PGSQL.$PORT"
}
trap 'tt_cleanup; stop_proxy; rm -rf "$PROXY_DIR"' EXIT

village_n=$(psql -XtA -U demo_village -c 'select count(*) from minqing.household')

APP=minqing-reconnect-$$
tt_start main 100 30

# --- the server ends the session: reconnected at once ----------------------------------------
tt_run main "env LANG=C.UTF-8 TERM=tmux-256color PGAPPNAME=$APP PGUSER=demo_village $MINQING 2>$PROXY_DIR/stderr; echo EXIT=\$?"
tt_wait main 基础信息
tt_has main 已连接
killed=$(psql -XtA -U postgres -c "select count(pg_terminate_backend(pid)) from pg_stat_activity
                                    where application_name = '$APP'")
[ "$killed" = 1 ] || fail "expected to end one session of $APP, ended $killed"
tt_wait main 已重新连接到数据库
tt_has main 已连接
tt_keys main 1
tt_wait main 辖区概况
tt_keys main 5
tt_wait_re main "^ *户数 +$village_n( |\$)"
tt_keys main F10
tt_wait main EXIT=0
[ ! -s "$PROXY_DIR/stderr" ] || fail "the console wrote on stderr: $(cat "$PROXY_DIR/stderr")"

# --- the open inbox still follows the cases after the reconnection -------------------------
# A LISTEN does not survive a reconnection: the console must say it again.
# handler_t01v05's inbox is open (a village no other test works in); the
# server ends the session; once the console has reconnected (the message, and
# a new session of its in pg_stat_activity), a case is dispatched to
# handler_t01v05 from another session and must appear without a key press.
APP2=minqing-reconnect-inbox-$$
backend() { psql -XtA -U postgres -c "select pid from pg_stat_activity where application_name = '$APP2'"; }
n0=$(psql -XtA -U handler_t01v05 -c 'select count(*) from minqing.inbox(p_limit => 100)')
[ "$n0" -lt 18 ] || fail "handler_t01v05's inbox has $n0 cases: a new one might not be on the screen"
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGAPPNAME=$APP2 PGUSER=handler_t01v05 $MINQING 2>$PROXY_DIR/stderr; echo EXIT=\$?"
tt_wait main 基础信息
tt_keys main 2
tt_wait main 我的待办
tt_keys main 2
tt_wait main "显示：全部   中心：全部中心   件数：$n0"
tt_wait main "待办 $n0 | 已连接"
old=$(backend)
[ -n "$old" ] || fail "no session of $APP2 in pg_stat_activity"
killed=$(psql -XtA -U postgres -c "select count(pg_terminate_backend(pid)) from pg_stat_activity
                                    where application_name = '$APP2'")
[ "$killed" = 1 ] || fail "expected to end one session of $APP2, ended $killed"
tt_wait main 已重新连接到数据库
deadline=$((SECONDS + 10))
until new=$(backend) && [ -n "$new" ] && [ "$new" != "$old" ]; do
	[ "$SECONDS" -lt "$deadline" ] || fail "no new session of $APP2 after the reconnection"
	sleep 0.1
done
# (the district's category: a test beside this one may add a second district)
cat=$(psql -XtA -U postgres -c "select k.category_id from minqing.case_category k
                                 join minqing.staff s using (district_id)
                                 where k.code = 'SVC_OTHER' and s.login = 'demo_village'")
id=$(psql -XqtA -v ON_ERROR_STOP=1 -U demo_village -c "select case_id from minqing.case_intake('walk_in',
        '重连后的实时待办', '终端测试：重新连接之后，打开的待办列表仍然自动刷新。', $cat, '周建国', '13957700004')")
no=$(psql -XtA -U postgres -c "select case_no from minqing.cases where case_id = $id")
start=$(date +%s%N)
psql -XqtA -v ON_ERROR_STOP=1 -U demo_town -c "select minqing.case_accept($id)" \
	-c "select minqing.case_dispatch($id, 'T01V05', 'handler_t01v05')" >/dev/null
# (changed from psql with no drainer running: relayed by the console within
# 5 s, the list reloaded within 2 s, the status line's count within 10 s)
tt_wait main "$no" 15
echo "ok: after the reconnection $no appeared in the open inbox by itself in $((($(date +%s%N) - start) / 1000000)) ms"
tt_wait main "件数：$((n0 + 1))"
tt_wait main "待办 $((n0 + 1)) | 已连接" 20
tt_keys main F10
tt_wait main EXIT=0
[ ! -s "$PROXY_DIR/stderr" ] || fail "the console wrote on stderr: $(cat "$PROXY_DIR/stderr")"

# --- through the proxy: cut, and restored ---------------------------------------------------
start_proxy
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGHOST=$PROXY_DIR PGUSER=demo_village $MINQING 2>$PROXY_DIR/stderr; echo EXIT=\$?"
tt_wait main 基础信息
tt_has main 已连接
tt_hasnt main 数据库连接中断

# Cut the connection: the banner appears by itself (no key pressed).
stop_proxy
tt_wait main "数据库连接中断，正在重新连接…"
tt_has main 连接中断
tt_hasnt main 已连接

# Still usable: the overview reports the failure instead of crashing.
tt_keys main 1
tt_wait main 辖区概况
tt_keys main 5
tt_wait main "与数据库的连接中断"
tt_has main "未能读取数据"

# The proxy is back: the console reconnects within CONSOLE_RESET_PERIOD (5 s).
start_proxy
tt_gone main "数据库连接中断，正在重新连接…" 15
tt_wait main 已连接
tt_keys main r
tt_wait_re main "^ *户数 +$village_n( |\$)"

tt_keys main F10
tt_wait main EXIT=0
[ ! -s "$PROXY_DIR/stderr" ] || fail "the console wrote on stderr: $(cat "$PROXY_DIR/stderr")"
echo "ok: console reconnect"
