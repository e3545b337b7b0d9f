#!/usr/bin/env bash
# Benchmark (printed, never asserted): the whole district at once (issue 15,
# part 4; docs/operations.md, "Load"). mq-load plays MQ_BENCH_LOAD_SESSIONS
# (default 400) sessions for MQ_BENCH_LOAD_SECONDS (default 120) on the demo
# district at scale MQ_BENCH_LOAD_SCALE (default 10: about a million cases):
# 255 station terminals (each as its station's responsible handler), 100
# information officers, 20 supervisors and the 11 public kiosks, the rest
# of the 400 more terminals of the stations; each session one connection
# holding its LISTEN, screens played with 1-5 s of think time, re-reading
# on notifications as the console does; then the same without that
# re-reading (--no-follow), and the CPU one session costs at
# MQ_BENCH_LOAD_STEP (default 100) sessions, where the server keeps up.
# Printed: per statement the count, errors, round trip and server time
# (p50, p95, p99) and its share of the server's time, errors by SQLSTATE,
# deadlocks, the server's memory and CPU per session.
#
# The reference, in the same run on the same server: pgbench -S (a
# primary-key SELECT, extended protocol) with as many clients, at the
# statement rate the district's run reached, for MQ_BENCH_LOAD_REF_SECONDS
# (default 30); its latencies from pgbench's per-transaction log.
#
# The server is one of this benchmark's own (the private cluster has
# max_connections = 200): build/pg-load, a Unix socket only, on port
# MQ_BENCH_LOAD_PGPORT (default the cluster's + 20), max_connections = 500,
# shared_buffers = 256MB and fsync = off as the private cluster; every
# statement's duration is logged while mq-load runs (log_min_duration_statement
# = 0, the parameters left out), which is where the server times come from
# (mq-load --server-log). It is stopped at the end if this script started
# it; its data directory stays (MQ_BENCH_LOAD_KEEP=1 keeps the database too,
# MQ_BENCH_LOAD_DB=NAME measures again in a kept one without loading).
# Run by `./dev.sh bench`, which sets MQ_BUILD_DIR and PG*.
set -euo pipefail

# shellcheck source=benchlib.bash
source "$(dirname "$0")/benchlib.bash"
SESSIONS=${MQ_BENCH_LOAD_SESSIONS:-400}
SECONDS_RUN=${MQ_BENCH_LOAD_SECONDS:-120}
SCALE=${MQ_BENCH_LOAD_SCALE:-10}
REF_SECONDS=${MQ_BENCH_LOAD_REF_SECONDS:-30}
# MQ_BENCH_LOAD_SKIP: screens left out of the run (mq-load --skip), e.g. one
# so slow that it would hide every other figure (办理结果公示 was, until it
# read by the index of resolution times); public_results is then measured
# alone at the end.
SKIP=${MQ_BENCH_LOAD_SKIP-}
LOAD=$MQ_BUILD_DIR/mq-load
PGBIN=${MQ_PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$LOAD" ] || { echo "load.sh: $LOAD is missing; build first" >&2; exit 1; }

# --- the server of this benchmark --------------------------------------------------------
LDIR=${MQ_BENCH_LOAD_PGDIR:-$(dirname "$MQ_BUILD_DIR")/pg-load}
LPORT=${MQ_BENCH_LOAD_PGPORT:-$((PGPORT + 20))}
as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
# The postgres account must reach it, and a socket path is short (as dev.sh's build/pg).
if [ ! -d "$LDIR" ] && { [ ${#LDIR} -gt 80 ] ||
	{ [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$(dirname "$LDIR")"; }; }; then
	LDIR=$(mktemp -d /tmp/mq-load-pg.XXXXXX)
fi
mkdir -p "$LDIR"
[ "$(id -u)" -ne 0 ] || chown postgres: "$LDIR"
chmod 700 "$LDIR"
if [ ! -f "$LDIR/data/PG_VERSION" ]; then
	as_pg "$PGBIN/initdb" -D "$LDIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
		--no-sync >"$LDIR/initdb.log" 2>&1 || { cat "$LDIR/initdb.log" >&2; exit 1; }
fi
STARTED=
if ! as_pg "$PGBIN/pg_ctl" -D "$LDIR/data" status >/dev/null 2>&1; then
	(cd /tmp && as_pg "$PGBIN/pg_ctl" -D "$LDIR/data" -l "$LDIR/server.log" -w -t 120 \
		-o "-c listen_addresses='' -k $LDIR -p $LPORT -c fsync=off -c max_connections=500 -c shared_buffers=256MB" \
		start >/dev/null) || { tail -n 20 "$LDIR/server.log" >&2; exit 1; }
	STARTED=1
fi
export PGHOST=$LDIR PGPORT=$LPORT
PGBENCH_DB=mq_bench_load_pgbench_$$
# After demo_db's cleanup (benchlib.bash), and alone before demo_db has run.
bench_at_exit() {
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$PGBENCH_DB\" WITH (FORCE)" >/dev/null 2>&1 || true
	# (the statements' log is off again, whatever happened)
	psql -X -q -d postgres -c "ALTER SYSTEM RESET log_min_duration_statement" \
		-c "SELECT pg_reload_conf()" >/dev/null 2>&1 || true
	jobs_stop
	if [ -n "$STARTED" ]; then
		as_pg "$PGBIN/pg_ctl" -D "$LDIR/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "${TMPD:-}"
}
# The jobs of a deployment run beside the district, as the package's units
# run them: the escalation pass every minute (which also folds the report
# log and the overview's counts into their summaries: without it every
# report reads the whole unfolded log) and the notifier, relaying the case
# news every half second and sending the SMS (to a spool here).
JOB_PIDS=
jobs_start() {
	local p
	q -f "$(dirname "$0")/../job_accounts.sql" >/dev/null
	mkdir -p "$TMPD/spool"
	PGDATABASE=$DB PGUSER=minqing_escalate "$MQ_BUILD_DIR/minqing-escalate" --interval 60 \
		>>"$TMPD/jobs.log" 2>&1 &
	JOB_PIDS=$!
	PGDATABASE=$DB PGUSER=minqing_notify "$MQ_BUILD_DIR/minqing-notify" --transport spool \
		--spool-dir "$TMPD/spool" >>"$TMPD/jobs.log" 2>&1 &
	JOB_PIDS="$JOB_PIDS $!"
	# (the first pass folds what earlier runs left in the logs before any screen reads them)
	for p in $(seq 1 600); do
		grep -q 'cases=' "$TMPD/jobs.log" 2>/dev/null && break
		sleep 0.5
	done
	echo "jobs: minqing-escalate --interval 60 and minqing-notify --transport spool ($(grep -c 'cases=' "$TMPD/jobs.log") pass before the runs)"
}
jobs_stop() {
	local p
	for p in $JOB_PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $JOB_PIDS; do wait "$p" 2>/dev/null || true; done
	JOB_PIDS=
}
MAXCONN=$(psql -X -At -d postgres -c 'SHOW max_connections')
if [ "$MAXCONN" -lt $((SESSIONS + 10)) ]; then
	echo "load.sh: the server in $LDIR has max_connections = $MAXCONN, fewer than $SESSIONS sessions need" >&2
	[ -z "$STARTED" ] || as_pg "$PGBIN/pg_ctl" -D "$LDIR/data" -m fast -w stop >/dev/null
	exit 1
fi

trap bench_at_exit EXIT
demo_db load "$SCALE"
[ -z "$DEMO_DB_CREATED" ] || q -c "VACUUM ANALYZE" >/dev/null
echo "  $(q -c "SELECT count(*) FROM minqing.cases") cases, $(q -c "SELECT count(*) FROM minqing.case_event") events," \
	"$(q -c "SELECT count(*) FROM minqing.household") households, database $(q -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
echo "server: max_connections $MAXCONN, shared_buffers $(q -c 'SHOW shared_buffers'), fsync $(q -c 'SHOW fsync');" \
	"the run's statements' durations logged to $LDIR/server.log"
TMPD=$(mktemp -d)
jobs_start

# --- the district ------------------------------------------------------------------------
# district LABEL ARGS...: a run of mq-load with the statements' durations logged.
district() {
	local label=$1 rc=0 args
	shift
	args=(--seed 1 --server-log "$LDIR/server.log" "$@")
	[ -z "$SKIP" ] || args+=(--skip "$SKIP")
	echo
	echo "$label"
	echo "\$ mq-load ${args[*]}"
	q -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "ALTER SYSTEM SET log_parameter_max_length = 0" \
		-c "ALTER SYSTEM SET log_line_prefix = '%m [%p] '" -c "SELECT pg_reload_conf()" >/dev/null
	sleep 1
	PGDATABASE=$DB "$LOAD" "${args[@]}" >"$TMPD/load.out" || rc=$?
	q -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" >/dev/null
	cat "$TMPD/load.out"
	[ "$rc" -eq 0 ] || { echo "load.sh: mq-load failed ($rc)" >&2; exit 1; }
}
district "The district as the consoles are: re-reading on notifications (the inbox count every 10 s at most, the news every 3 s, a list on top every 2 s, the case on top every 0.3 s; relaying the case news every 5 s)" \
	--sessions "$SESSIONS" --duration "$SECONDS_RUN"
RATE=$(sed -n 's/.* statements (\([0-9]*\)\/s).*/\1/p' "$TMPD/load.out" | head -n 1)
district "The same without re-reading on notifications: what the screens alone cost" \
	--sessions "$SESSIONS" --duration "$SECONDS_RUN" --no-follow

# What one session costs the server where it is not saturated: its backend's CPU
# time (no statement log) with and without the re-reading, at MQ_BENCH_LOAD_STEP
# sessions (default 100) for 60 s.
STEP=${MQ_BENCH_LOAD_STEP:-100}
echo
echo "CPU per session where the server keeps up ($STEP sessions, 60 s, no statement log):"
for follow in "" --no-follow; do
	args=(--sessions "$STEP" --duration 60 --seed 1)
	[ -z "$follow" ] || args+=("$follow")
	[ -z "$SKIP" ] || args+=(--skip "$SKIP")
	PGDATABASE=$DB "$LOAD" "${args[@]}" >"$TMPD/step.out" || { cat "$TMPD/step.out"; exit 1; }
	echo "\$ mq-load ${args[*]}"
	grep -E '^  [0-9]+ connected|^server CPU|^errors by|^[ *] (inbox.first|case.row|status.pending) ' "$TMPD/step.out"
done

# --- the reference ---------------------------------------------------------------------------
jobs_stop
echo "jobs: $(grep -c 'cases=' "$TMPD/jobs.log") escalation passes, $(find "$TMPD/spool" -type f | wc -l) SMS sent;" \
	"$(grep -vc 'cases=' "$TMPD/jobs.log") other lines logged"
echo
psql -X -q -d postgres -c "CREATE DATABASE \"$PGBENCH_DB\"" >/dev/null
pgbench -q -i -s 10 "$PGBENCH_DB" >/dev/null 2>&1
echo "reference: pgbench -S -M extended -c $SESSIONS -j 2 -R ${RATE:-0} -T $REF_SECONDS (a primary-key SELECT, as many clients, the first run's statement rate)"
(cd "$TMPD" && pgbench -S -M extended -n -c "$SESSIONS" -j 2 -R "${RATE:-100}" -T "$REF_SECONDS" -l \
	--log-prefix=ref "$PGBENCH_DB" >"$TMPD/pgbench.out" 2>&1) ||
	{ cat "$TMPD/pgbench.out"; exit 1; }
# The third field of each line of the per-transaction log is its latency in µs.
cat "$TMPD"/ref.* | awk '{ print $3 / 1000 }' | sort -g | awk '{ a[NR] = $1 }
	END { if (NR == 0) { print "  no transaction logged"; exit }
	      printf "  %d transactions, round trip p50 %.2f ms, p95 %.2f ms, p99 %.2f ms\n", NR,
	             a[int(NR * 0.50 + 0.999999)], a[int(NR * 0.95 + 0.999999)], a[int(NR * 0.99 + 0.999999)] }'
grep -E '^(tps|latency average)' "$TMPD/pgbench.out" | sed 's/^/  /'

if [ -n "$SKIP" ]; then
	echo
	echo "left out of the run, measured alone (as demo_kiosk, its statement timeout):"
	t0=$(now)
	if as demo_kiosk -c "SELECT count(*) FROM minqing.public_results(p_limit => 50)" \
		>/dev/null 2>"$TMPD/alone.err"; then
		echo "  public_results, first page: $(secs "$t0" "$(now)") s"
	else
		echo "  public_results, first page: $(secs "$t0" "$(now)") s, $(head -n 1 "$TMPD/alone.err")"
	fi
fi
