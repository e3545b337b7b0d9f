#!/usr/bin/env bash
# The database server restarts while a person is half-way through a form:
# (and the form is submitted with a key the person bound in the configuration)
# nothing typed is lost. The console shows the banner, reconnects by itself
# when the server is back, and the form, still filled in, is then submitted
# and saved once. A second console, its inbox open through the restart, shows
# a case dispatched to its person afterwards without a key press (the LISTEN
# said again on the new session).
#
# A real restart (pg_ctl restart -m immediate, the way a crash looks) of a
# private cluster of this test's own, so the tests running beside it on the
# suite's cluster are not disturbed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PGBIN=${MQ_PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$PGBIN/initdb" ] || { echo "skip: no $PGBIN/initdb"; exit 77; }
export PGDATABASE=minqing_restart LANG=C.UTF-8
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
ADMIN=$MQ_BUILD_DIR/minqing-admin
DIR=$(mktemp -d /tmp/mqrs.XXXXXX)
PORT=$((55000 + $$ % 1000))
as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
pgctl() { as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" "$@"; }
cleanup() {
	tt_cleanup
	pgctl -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$DIR"
}
trap cleanup EXIT
[ "$(id -u)" -ne 0 ] || chown postgres: "$DIR"
chmod 700 "$DIR"
as_pg "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
	>"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log"; fail "initdb failed"; }
OPTS="-c listen_addresses='' -k $DIR -p $PORT -c fsync=off"
pgctl -w -t 60 -o "$OPTS" start >/dev/null || fail "the private server did not start"
export PGHOST=$DIR PGPORT=$PORT
psql -qX -U postgres -d postgres -c "CREATE DATABASE $PGDATABASE" >/dev/null
PGUSER=postgres "$ADMIN" migrate >/dev/null
PGUSER=postgres "$ADMIN" demo-data --scale 1 --seed 1 >/dev/null

# A key of the person's own for submitting (keys.<action> in the configuration);
# F2 is used nowhere below.
cat >"$DIR/minqing.conf" <<'CONF'
keys = { submit = "F9"; };
CONF
# A second console with its inbox open through the restart: handler_t01v05's
# (a village no other part of this test touches).
n0=$(psql -XtA -U handler_t01v05 -c 'select count(*) from minqing.inbox(p_limit => 100)')
[ "$n0" -lt 18 ] || fail "handler_t01v05's inbox has $n0 cases: a new one might not be on the screen"
tt_start inbox 100 30
tt_run inbox "env LANG=C.UTF-8 TERM=tmux-256color PGUSER=handler_t01v05 $MINQING 2>$DIR/stderr.inbox; echo EXIT=\$?"
tt_wait inbox 基础信息
tt_keys inbox 2
tt_wait inbox 我的待办
tt_keys inbox 2
tt_wait inbox "显示：全部   中心：全部中心   件数：$n0"

tt_start main 100 30
tt_run main "env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_village $MINQING -c $DIR/minqing.conf 2>$DIR/stderr; echo EXIT=\$?"
tt_wait main 基础信息
tt_keys main 2
tt_wait main 信息录入
tt_keys main 1
tt_wait main 诉求内容
tt_keys main Tab
tt_keys main -l '停电后的标题'
tt_keys main Tab
tt_keys main -l '服务器重启时填到一半的内容'

# The server goes away (as in a crash) and comes back.
pgctl -m immediate -w stop >/dev/null
tt_wait main 数据库连接中断 15
tt_has main 停电后的标题
pgctl -w -t 60 -o "$OPTS" start >/dev/null || fail "the private server did not start again"
tt_wait main 已重新连接到数据库 20
tt_gone main 数据库连接中断 5
tt_has main 停电后的标题
tt_has main 服务器重启时填到一半的内容
echo "ok: the half-filled form survived the restart, the console reconnected"

# The open inbox follows the cases again: a case dispatched to handler_t01v05
# after the restart appears without a key press (LISTEN said again on the new
# session).
tt_wait inbox 已重新连接到数据库 20
tt_gone inbox 数据库连接中断 5
id=$(psql -XqtA -v ON_ERROR_STOP=1 -U demo_village -c "SELECT case_id FROM minqing.case_intake('walk_in',
        '重启后的实时待办', '终端测试：数据库重启之后，打开的待办列表仍然自动刷新。',
        (SELECT category_id FROM minqing.case_category WHERE code = 'SVC_OTHER'), '吴桂芳', '13957700006')")
no=$(psql -XtA -U postgres -c "SELECT case_no FROM minqing.cases WHERE case_id = $id")
start=$(date +%s%N)
psql -XqtA -v ON_ERROR_STOP=1 -U demo_town -c "SELECT minqing.case_accept($id)" \
	-c "SELECT minqing.case_dispatch($id, 'T01V05', 'handler_t01v05')" >/dev/null
tt_wait inbox "$no" 10
echo "ok: after the restart $no appeared in the open inbox by itself in $((($(date +%s%N) - start) / 1000000)) ms"
tt_wait inbox "件数：$((n0 + 1))"
tt_wait inbox "待办 $((n0 + 1)) | 已连接"

# Finish it: the category, then submit once.
tt_keys main Tab Enter
tt_wait main 民情调处中心
tt_keys main -l '道路'
tt_wait main 道路环境卫生
tt_keys main Enter
tt_keys main -l ''
tt_keys main Tab
tt_keys main -l '赵六'
tt_keys main F9
tt_wait_re main '已保存：案件编号 LW-[0-9]{4}-[0-9]{6}'
n=$(psql -qXtA -U postgres -c "SELECT count(*) FROM minqing.cases WHERE title = '停电后的标题'
                                  AND content = '服务器重启时填到一半的内容'")
[ "$n" = 1 ] || fail "expected the case saved once, found $n"
echo "ok: submitted after the restart (with F9, bound by keys.submit), saved once"
tt_keys main F10
tt_wait main EXIT=0
tt_keys inbox F10
tt_wait inbox EXIT=0
for f in stderr stderr.inbox; do
	[ ! -s "$DIR/$f" ] || fail "the console wrote on stderr: $(cat "$DIR/$f")"
done
echo "all ok"
