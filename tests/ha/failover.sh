#!/usr/bin/env bash
# High availability with pg_auto_failover (docs/operations.md, "High
# availability"): a monitor, a primary and a synchronous secondary, private
# servers of this test (127.0.0.1 only, ports of their own), every program
# connecting with the multi-host connection string and
# target_session_attrs=read-write. Then the primary dies hard (its keeper
# and its postmaster killed with SIGKILL, as when the machine goes):
#
#   - the monitor promotes the secondary (the time it took is printed);
#   - a console half-way through a case intake (80x24) shows the banner,
#     reconnects to the new primary by itself, and the form, still filled
#     in, is submitted and saved once;
#   - a second console with its inbox open reconnects too, and a case
#     dispatched to its person after the failover appears without a key
#     press (LISTEN said again on the new primary);
#   - minqing-escalate (--interval) and minqing-notify (gammu transport,
#     exactly once) carry on: a pass completes after the failover, and the
#     messages queued before it (twenty of them just before, while the
#     drainer is at work) and after it are all sent, each exactly once (one
#     Gammu outbox row per message: none lost, none twice);
#   - every case committed before the failure is on the new primary;
#   - the old primary, started again, rejoins as the secondary (pg_rewind by
#     pg_autoctl) and the formation is whole again.
#
# The servers are stopped at the end whatever happens. Skipped (77) when
# pg_auto_failover is not installed (Debian: pg-auto-failover-cli,
# postgresql-15-auto-failover; ./dev.sh installs them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export PGDATABASE=minqing_ha LANG=C.UTF-8
# shellcheck source=../tty/tmuxlib.bash
source "$here/../tty/tmuxlib.bash"
# shellcheck source=../cli/gammulib.bash
source "$here/../cli/gammulib.bash"
PGBIN=${MQ_PGBIN:-/usr/lib/postgresql/15/bin}
command -v pg_autoctl >/dev/null || { echo "skip: pg_autoctl is not installed"; exit 77; }
[ "$(id -u)" -ne 0 ] || id postgres >/dev/null 2>&1 || { echo "skip: no postgres account"; exit 77; }

MINQING=$MQ_BUILD_DIR/minqing
ADMIN=$MQ_BUILD_DIR/minqing-admin
D=$(mktemp -d /tmp/mqha.XXXXXX)
mkdir -p "$D/sock" "$D/spool"
chmod 755 "$D"
[ "$(id -u)" -ne 0 ] || chown -R postgres: "$D"
# Three free TCP ports on 127.0.0.1.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
base=$((56000 + ($$ % 600) * 3))
while ! { port_free "$base" && port_free $((base + 1)) && port_free $((base + 2)); }; do base=$((base + 3)); done
PM=$base P1=$((base + 1)) P2=$((base + 2))

# pg_autoctl as the postgres account, its configuration and state under $D.
autoctl_env=(env -u PGDATABASE -u PGUSER -u PGPORT -u PGTARGETSESSIONATTRS XDG_CONFIG_HOME="$D/config" XDG_DATA_HOME="$D/data" XDG_RUNTIME_DIR="$D/run"
	PG_REGRESS_SOCK_DIR="$D/sock" PGHOST="$D/sock")
as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
autoctl() { as_pg "${autoctl_env[@]}" pg_autoctl "$@"; }
declare -A keeper=()
keeper_start() { # name: `pg_autoctl run` of that node, in the background
	as_pg "${autoctl_env[@]}" pg_autoctl run --pgdata "$D/$1" >>"$D/$1.log" 2>&1 &
	keeper[$1]=$!
	disown "$!" # (its death by SIGKILL is the test's doing, not news)
}
# The processes under PID (pg_autoctl, its services, postgres and its
# backends), deepest first.
descendants() {
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		descendants "$c"
		echo "$c"
	done
}
keeper_kill() { # node signal
	local p
	[ -n "${keeper[$1]:-}" ] || return 0
	for p in $(descendants "${keeper[$1]}") "${keeper[$1]}"; do kill "-$2" "$p" 2>/dev/null || true; done
}
jobs_pids=()
cleanup() {
	local n p
	tt_cleanup
	for p in "${jobs_pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for n in node1 node2 monitor; do keeper_kill "$n" TERM; done
	sleep 2
	for n in node1 node2 monitor; do
		[ -f "$D/$n/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$D/$n" -m immediate -w stop >/dev/null 2>&1 || true
	done
	rm -rf "$D"
}
trap cleanup EXIT

t_all=$SECONDS
autoctl create monitor --pgctl "$PGBIN/pg_ctl" --pgdata "$D/monitor" --pgport "$PM" --listen 127.0.0.1 \
	--hostname 127.0.0.1 --auth trust --no-ssl >"$D/monitor.create.log" 2>&1 ||
	{ cat "$D/monitor.create.log"; fail "pg_autoctl create monitor"; }
keeper_start monitor
MONITOR="postgres://autoctl_node@127.0.0.1:$PM/pg_auto_failover?sslmode=disable"
for _ in $(seq 1 60); do psql -qXtA "$MONITOR" -c 'select 1' >/dev/null 2>&1 && break; sleep 0.5; done
# Failure detected within seconds (the defaults wait about 30 s), for a test.
psql -qX -U postgres -h 127.0.0.1 -p "$PM" -d pg_auto_failover >/dev/null <<'SQL'
ALTER SYSTEM SET pgautofailover.health_check_period TO 1000;
ALTER SYSTEM SET pgautofailover.health_check_timeout TO 1000;
ALTER SYSTEM SET pgautofailover.health_check_retry_delay TO 500;
ALTER SYSTEM SET pgautofailover.health_check_max_retries TO 1;
ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout TO 3000;
ALTER SYSTEM SET pgautofailover.primary_demote_timeout TO 5000;
SELECT pg_reload_conf();
SQL
for n in 1 2; do
	port=$P1
	[ "$n" = 2 ] && port=$P2
	autoctl create postgres --pgctl "$PGBIN/pg_ctl" --pgdata "$D/node$n" --pgport "$port" --listen 127.0.0.1 \
		--hostname 127.0.0.1 --name "node$n" --auth trust --no-ssl --monitor "$MONITOR" \
		>"$D/node$n.create.log" 2>&1 || { tail -n 20 "$D/node$n.create.log"; fail "pg_autoctl create postgres node$n"; }
	keeper_start "node$n"
done
state() { autoctl show state --pgdata "$D/monitor" 2>/dev/null; }
wait_state() { # node state seconds
	local i
	for i in $(seq 1 $(($3 * 2))); do
		state | grep -Eq "^ *$1 .*\| +$2 \| +$2 *\$" && return 0
		sleep 0.5
	done
	state >&2
	fail "$1 did not reach $2 in $3 s"
}
wait_state node1 primary 60
wait_state node2 secondary 90
echo "ok: the formation is up (primary, synchronous secondary) in $((SECONDS - t_all)) s"
sync=$(psql -qXtA -U postgres -h 127.0.0.1 -p "$P1" -d postgres -c 'SHOW synchronous_standby_names')
[ -n "$sync" ] || fail "node1 has no synchronous standby"
echo "ok: synchronous_standby_names on the primary: $sync"

# Everything connects through both nodes, to whichever is the primary.
CONNINFO="host=127.0.0.1,127.0.0.1 port=$P1,$P2 dbname=$PGDATABASE target_session_attrs=read-write connect_timeout=3"
cat >"$D/minqing.conf" <<CONF
database = { conninfo = "$CONNINFO"; };
CONF
chmod 644 "$D/minqing.conf"
unset PGHOST PGPORT
export PGHOST=127.0.0.1,127.0.0.1 PGPORT=$P1,$P2 PGTARGETSESSIONATTRS=read-write
pq() { psql -qXtA -v ON_ERROR_STOP=1 "$@"; }
pq -U postgres -d postgres -c "CREATE DATABASE $PGDATABASE" >/dev/null
PGUSER=postgres "$ADMIN" migrate >/dev/null
PGUSER=postgres "$ADMIN" demo-data --scale 1 --seed 1 >/dev/null
gammu_schema_sql gammu | pq -U postgres >/dev/null
pq -U postgres >/dev/null <<'SQL'
CREATE ROLE minqing_escalate LOGIN IN ROLE mq_escalator;
CREATE ROLE minqing_notify LOGIN IN ROLE mq_notifier;
GRANT USAGE ON SCHEMA gammu TO mq_notifier;
GRANT SELECT, INSERT, DELETE ON ALL TABLES IN SCHEMA gammu TO mq_notifier;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA gammu TO mq_notifier;
SQL
echo "ok: the database is on the primary (migrated, the demo district)"

# The jobs, as their own logins, through the configuration's conninfo.
PGUSER=minqing_escalate "$MQ_BUILD_DIR/minqing-escalate" -c "$D/minqing.conf" --interval 2 >"$D/escalate.out" 2>"$D/escalate.err" &
jobs_pids+=($!)
PGUSER=minqing_notify "$MQ_BUILD_DIR/minqing-notify" -c "$D/minqing.conf" --transport gammu --gammu-schema gammu \
	--no-inbox --interval 1 >"$D/notify.out" 2>"$D/notify.err" &
notify_pid=$!
jobs_pids+=("$notify_pid")

# Two consoles: handler_t01v05's inbox open, demo_village half-way through an intake.
n0=$(pq -U handler_t01v05 -c 'select count(*) from minqing.inbox(p_limit => 100)')
tt_start inbox 80 24
tt_run inbox "env LANG=C.UTF-8 TERM=tmux-256color PGUSER=handler_t01v05 $MINQING -c $D/minqing.conf 2>$D/stderr.inbox; echo EXIT=\$?"
tt_wait inbox 基础信息
tt_keys inbox 2
tt_wait inbox 我的待办
tt_keys inbox 2
tt_wait inbox "件数：$n0"
tt_start main 80 24
tt_run main "env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_village $MINQING -c $D/minqing.conf 2>$D/stderr; echo EXIT=\$?"
tt_wait main 基础信息
tt_keys main 2
tt_wait main 信息录入
tt_keys main 1
tt_wait main 诉求内容
tt_keys main Tab
tt_keys main -l '故障切换时的标题'
tt_keys main Tab
tt_keys main -l '主库宕机时填到一半的内容'

# Cases committed before the failure (each an intake with an SMS receipt).
cat_id=$(pq -U postgres -c "SELECT category_id FROM minqing.case_category WHERE code = 'SVC_OTHER'")
before=()
for i in 1 2 3; do
	before+=("$(pq -U demo_village -c "SELECT case_id FROM minqing.case_intake('walk_in', '切换前的案件$i',
		'高可用测试：主库宕机之前提交的案件。', $cat_id, '钱七', '1395770001$i')")")
done
for _ in $(seq 1 40); do
	[ "$(pq -U postgres -c "SELECT count(*) FROM minqing.outbox WHERE status IN ('queued', 'failed')")" = 0 ] && break
	sleep 0.5
done
sent_before=$(pq -U postgres -c "SELECT count(*) FROM minqing.outbox WHERE status = 'sent' AND transport = 'gammu'")
[ "$(pq -U postgres -c "SELECT count(*) FROM minqing.job_state WHERE job = 'escalation' AND last_completed_at IS NOT NULL")" = 1 ] ||
	{ sleep 3; }

# Twenty more, committed just before the failure: the drainer, woken by
# their NOTIFY, is likely sending them when the primary dies; whatever it
# had done, each is sent once.
pq -U postgres -c "SELECT minqing.outbox_enqueue(1::smallint, 'LW.T01'::ext.ltree, '13957700' || (100 + g)::text,
	'孙八', '切换之前排队的短信 ' || g, 'ha-before-' || g) FROM generate_series(1, 20) g" >/dev/null

# The primary dies: its keeper, its postmaster and every backend killed at once.
t_fail_db=$(pq -U postgres -c "SELECT now()")
t_fail=$(date +%s.%N)
keeper_kill node1 KILL
unset 'keeper[node1]'
tt_wait main 数据库连接中断 20
tt_has main 故障切换时的标题
for _ in $(seq 1 120); do
	port=$(psql -qXtA -U postgres -d postgres -c 'SELECT inet_server_port()' 2>/dev/null) && break
	sleep 0.5
done
[ "${port:-}" = "$P2" ] || { state >&2; fail "no primary after 60 s"; }
echo "ok: node2 promoted: read-write $(echo "$(date +%s.%N) - $t_fail" | bc | cut -c1-4) s after the kill"

tt_wait main 已重新连接到数据库 30
tt_gone main 数据库连接中断 10
tt_has main 故障切换时的标题
tt_has main 主库宕机时填到一半的内容
echo "ok: the console half-way through a form reconnected to the new primary, the form still filled in"
tt_wait inbox 已重新连接到数据库 30
tt_gone inbox 数据库连接中断 10

# Every case committed before the failure is there.
n=$(pq -U postgres -c "SELECT count(*) FROM minqing.cases WHERE case_id IN ($(IFS=,; echo "${before[*]}"))")
[ "$n" = 3 ] || fail "of the 3 cases committed before the failure, $n are on the new primary"
echo "ok: the 3 cases committed before the failure are on the new primary"

# The open inbox follows again: a case dispatched after the failover.
id=$(pq -U demo_village -c "SELECT case_id FROM minqing.case_intake('walk_in', '切换后的实时待办',
	'高可用测试：切换之后，打开的待办列表仍然自动刷新。', $cat_id, '吴桂芳', '13957700006')")
no=$(pq -U postgres -c "SELECT case_no FROM minqing.cases WHERE case_id = $id")
pq -U demo_town -c "SELECT minqing.case_accept($id)" -c "SELECT minqing.case_dispatch($id, 'T01V05', 'handler_t01v05')" >/dev/null
tt_wait inbox "$no" 15
echo "ok: after the failover $no appeared in the open inbox by itself"

# The form is finished and submitted once.
tt_keys main Tab Enter
tt_wait main 民情调处中心
tt_keys main -l '道路'
tt_wait main 道路环境卫生
tt_keys main Enter
tt_keys main Tab
tt_keys main -l '赵六'
tt_keys main F2
tt_wait_re main '已保存：案件编号 LW-[0-9]{4}-[0-9]{6}' 15
n=$(pq -U postgres -c "SELECT count(*) FROM minqing.cases WHERE title = '故障切换时的标题' AND content = '主库宕机时填到一半的内容'")
[ "$n" = 1 ] || fail "expected the half-filled case saved once, found $n"
echo "ok: the half-filled form was submitted after the failover and saved once"

# Messages queued on the new primary.
for i in 1 2 3; do
	pq -U postgres -c "SELECT minqing.outbox_enqueue(1::smallint, 'LW.T01'::ext.ltree, '1395770002$i', '孙八',
		'切换之后排队的短信 $i', 'ha-after-$i')" >/dev/null
done

# The jobs carried on: a pass completed after the failure; every message,
# queued before or after it, sent exactly once (one Gammu row each).
for _ in $(seq 1 90); do
	[ "$(pq -U postgres -c "SELECT count(*) FROM minqing.job_state WHERE job = 'escalation'
	                          AND last_completed_at > '$t_fail_db'")" = 1 ] && break
	sleep 1
done
[ "$(pq -U postgres -c "SELECT count(*) FROM minqing.job_state WHERE job = 'escalation' AND last_completed_at > '$t_fail_db'")" = 1 ] ||
	fail "no escalation pass completed after the failover: $(tail -n 5 "$D/escalate.err")"
echo "ok: minqing-escalate carried on (a pass completed on the new primary)"
for _ in $(seq 1 60); do
	[ "$(pq -U postgres -c "SELECT count(*) FROM minqing.outbox WHERE status IN ('queued', 'failed')")" = 0 ] && break
	sleep 1
done
left=$(pq -U postgres -c "SELECT count(*) FROM minqing.outbox WHERE status IN ('queued', 'failed')")
[ "$left" = 0 ] || fail "$left messages still queued: $(tail -n 5 "$D/notify.err")"
check=$(pq -U postgres -c "
	WITH s AS (SELECT message_id FROM minqing.outbox WHERE status = 'sent' AND transport = 'gammu'),
	     g AS (SELECT split_part(\"CreatorID\", ':', 2)::bigint AS message_id FROM gammu.outbox
	            WHERE \"CreatorID\" LIKE 'minqing:%')
	SELECT (SELECT count(*) FROM s) || ' ' || (SELECT count(*) FROM g) || ' '
	    || (SELECT count(DISTINCT message_id) FROM g) || ' '
	    || (SELECT count(*) FROM s FULL JOIN (SELECT DISTINCT message_id FROM g) g2 USING (message_id)
	         WHERE s.message_id IS NULL OR g2.message_id IS NULL)")
read -r sent rows distinct unmatched <<<"$check"
[ "$sent_before" -gt 0 ] && [ "$sent" -gt "$sent_before" ] && [ "$rows" = "$sent" ] && [ "$distinct" = "$sent" ] && [ "$unmatched" = 0 ] ||
	fail "messages: $sent_before sent by gammu before the failure, $sent in all, $rows Gammu rows ($distinct distinct), $unmatched unmatched"
echo "ok: minqing-notify carried on: $sent messages sent ($sent_before before the failure), each exactly once ($rows Gammu rows), none lost"
kill -TERM "$notify_pid"
wait "$notify_pid" || fail "minqing-notify exited $? on SIGTERM"

# The old primary comes back as the secondary.
keeper_start node1
wait_state node1 secondary 120
echo "ok: the old primary rejoined as the secondary"

tt_keys main F10
tt_wait main EXIT=0
tt_keys inbox F10
tt_wait inbox EXIT=0
for f in stderr stderr.inbox; do
	[ ! -s "$D/$f" ] || fail "the console wrote on stderr: $(cat "$D/$f")"
done
echo "all ok ($((SECONDS - t_all)) s)"
