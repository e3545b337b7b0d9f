#!/usr/bin/env bash
# Reports read from a hot standby (database.report_conninfo; docs/reports.md,
# "Hot standby for reports"), with a real streaming replica of the suite's
# private cluster, started here (./dev.sh standby: pg_basebackup -R, a second
# private server on its own port and socket directory) and stopped at the end:
#
#   - a case committed on the primary is seen on the standby within its replay
#     lag (a poll on the standby in one session; the lag measured is printed),
#     and the summary (report_summary_lines) read there counts it;
#     report_as_of() there says it is a standby;
#   - row-level security applies on the standby as on the primary (the same
#     roles, the same policies: a copy): the town supervisor's reads give the
#     same on both, less than the district supervisor's;
#   - the standby refuses writes (a case intake: read-only transaction);
#   - the console at 80x24 (the machine and the session at UTC): without
#     report_conninfo (the default) 民情e站概况 is read from the primary; with
#     the standby's replay paused and a second case committed, with
#     report_conninfo naming the standby the report session is on the standby,
#     shows the first case only, 数据截至 in the district's time and 延迟 N 秒,
#     and the second once replay resumes (r); with the standby stopped, r
#     reads the primary and says so once (报表备库不可用，改从主库读取), no
#     crash, nothing on stderr;
#   - minqing-admin report summary reads the standby with report_conninfo
#     (the first case only, replay paused) and the primary without; without
#     its standby it reads the primary and says so on stderr.
#
# On a database of its own (the test records cases; the demo district at
# scale 0.1), made before the copy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}" "${PGPORT:?}" "${MQ_SOURCE_DIR:?}"
export PGDATABASE=mq_replica_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tty/tmuxlib.bash
source "$here/tty/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
DEV=$MQ_SOURCE_DIR/dev.sh
[ -x "$MINQING" ] || fail "$MINQING is not built"
# The standby is a copy of dev.sh's private cluster: it must be the server of this run.
if [ "$(readlink -f "$MQ_SOURCE_DIR/build/pg")" != "$(readlink -f "$PGHOST")" ]; then
	echo "skip: the server is not dev.sh's private cluster (build/pg)"
	exit 77
fi
TMP=$(mktemp -d /tmp/mqrep.XXXXXX)
standby() { MQ_PGPORT=$PGPORT bash "$DEV" standby "$@"; }
cleanup() {
	tt_cleanup
	standby stop >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT
t_start=$SECONDS
# The demo district at a tenth of its size (tmuxlib's tt_scratch_db loads
# it whole): quicker to load and to copy; tt_cleanup drops it.
TT_SCRATCH_DB=$PGDATABASE
psql -qX -U postgres -d postgres -c "CREATE DATABASE $PGDATABASE" >/dev/null
PGUSER=postgres "$MQ_BUILD_DIR/minqing-admin" migrate >/dev/null
PGUSER=postgres "$MQ_BUILD_DIR/minqing-admin" demo-data --scale 0.1 --seed 1 >/dev/null
eval "$(standby 2>"$TMP/standby.log")" || fail "the standby did not start: $(cat "$TMP/standby.log")"
: "${MQ_STANDBY_HOST:?}" "${MQ_STANDBY_PORT:?}"
echo "ok: a hot standby of the cluster on port $MQ_STANDBY_PORT ($((SECONDS - t_start)) s with the scratch database)"

pq() { # ACCOUNT ARGS...: psql on the primary
	local u=$1
	shift
	psql -qXtA -v ON_ERROR_STOP=1 -U "$u" "$@"
}
sq() { # ACCOUNT ARGS...: psql on the standby
	local u=$1
	shift
	psql -qXtA -v ON_ERROR_STOP=1 -h "$MQ_STANDBY_HOST" -p "$MQ_STANDBY_PORT" -U "$u" "$@"
}
deadline=$((SECONDS + 30))
until sq demo_supervisor -c 'SELECT 1' >/dev/null 2>&1; do
	[ "$SECONDS" -lt "$deadline" ] || fail "the standby does not let demo_supervisor into $PGDATABASE"
	sleep 0.1
done
[ "$(sq postgres -c 'SELECT pg_is_in_recovery()')" = t ] || fail "the standby is not in recovery"
[ "$(sq demo_supervisor -c 'SELECT on_standby FROM minqing.report_as_of()')" = t ] ||
	fail "report_as_of() on the standby does not say standby"
[ "$(pq demo_supervisor -c 'SELECT on_standby FROM minqing.report_as_of()')" = f ] ||
	fail "report_as_of() on the primary says standby"

# Wait until the standby has replayed everything the primary has written so far.
caught_up() {
	local lsn deadline=$((SECONDS + 20))
	lsn=$(pq postgres -c 'SELECT pg_current_wal_lsn()')
	until [ "$(sq postgres -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ]; do
		[ "$SECONDS" -lt "$deadline" ] || fail "the standby did not replay up to $lsn"
		sleep 0.05
	done
}
caught_up

# --- a case committed on the primary, seen on the standby ----------------------------------
fig() { "$1" "$2" -c "SELECT value FROM minqing.report_summary_lines() WHERE label_zh = '受理登记'"; }
before=$(fig sq demo_supervisor)
[ "$before" = "$(fig pq demo_supervisor)" ] || fail "the standby counts $before cases, the primary $(fig pq demo_supervisor)"
title="备库报表测试 $$"
# One session on the standby polls and notes when it sees the case; the
# primary notes when its intake ends (the commit follows at once). The same
# machine's clock. Each look is a transaction of its own (COMMIT in the
# loop): one transaction would hold its lock on cases between looks, and a
# lock the primary logs on that table (autovacuum truncating it after the
# demo load) would then wait for it in replay, up to
# max_standby_streaming_delay (30 s), longer than the poll lasts.
sq demo_supervisor -c "DO \$\$
DECLARE
	t0 timestamptz := clock_timestamp();
BEGIN
	WHILE NOT EXISTS (SELECT 1 FROM minqing.cases WHERE title = '$title') LOOP
		IF clock_timestamp() > t0 + interval '60 seconds' THEN
			RAISE EXCEPTION 'not seen in 60 seconds';
		END IF;
		COMMIT;
		PERFORM pg_sleep(0.001);
	END LOOP;
	RAISE NOTICE 'seen %', extract(epoch FROM clock_timestamp());
END
\$\$" 2>"$TMP/seen" &
poller=$!
deadline=$((SECONDS + 10))
until [ "$(sq postgres -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%$title%' AND pid <> pg_backend_pid()")" = 1 ]; do
	[ "$SECONDS" -lt "$deadline" ] || fail "the poller did not start on the standby"
	sleep 0.05
done
committed=$(pq demo_village -c "SELECT extract(epoch FROM clock_timestamp()) FROM minqing.case_intake('walk_in',
	'$title', '备库测试：主库提交的案件在备库的报表上出现。',
	(SELECT category_id FROM minqing.case_category WHERE code = 'SVC_OTHER'), '吴桂芳', '13957700006')" | tail -n 1)
wait "$poller" || fail "the standby did not see the case: $(cat "$TMP/seen")"
seen=$(sed -n 's/.*seen \([0-9.]*\).*/\1/p' "$TMP/seen")
[ -n "$seen" ] || fail "no time from the poller: $(cat "$TMP/seen")"
lag_ms=$(awk -v a="$committed" -v b="$seen" 'BEGIN { printf "%.1f", (b - a) * 1000 }')
echo "ok: the case committed on the primary was seen on the standby ${lag_ms} ms later (replay lag)"
[ "$(fig sq demo_supervisor)" = $((before + 1)) ] ||
	fail "the summary on the standby counts $(fig sq demo_supervisor) cases, expected $((before + 1))"
echo "ok: the summary read on the standby counts it: $before -> $((before + 1)) cases recorded"
IFS='|' read -r lag standby < <(sq demo_supervisor -c "SELECT extract(epoch FROM lag), on_standby FROM minqing.report_as_of()")
echo "ok: report_as_of() on the standby: on_standby $standby, lag ${lag} s"

# --- row-level security on the standby as on the primary ---------------------------------
caught_up
for q in "SELECT count(*) FROM minqing.household" \
	"SELECT count(*) FROM minqing.cases" \
	"SELECT count(*) FROM minqing.station" \
	"SELECT unit_name FROM minqing.report_summary()" \
	"SELECT string_agg(label_zh || '=' || coalesce(value, ''), ';') FROM minqing.report_summary_lines()"; do
	p=$(pq demo_town_supervisor -c "$q")
	s=$(sq demo_town_supervisor -c "$q")
	[ "$p" = "$s" ] || fail "as demo_town_supervisor, $q: primary $p, standby $s"
done
for t in household cases; do
	town=$(sq demo_town_supervisor -c "SELECT count(*) FROM minqing.$t")
	district=$(sq demo_supervisor -c "SELECT count(*) FROM minqing.$t")
	[ "$town" -gt 0 ] && [ "$town" -lt "$district" ] ||
		fail "on the standby the town supervisor reads $town rows of $t, the district's $district"
done
[ "$(sq demo_town_supervisor -c 'SELECT unit_name FROM minqing.report_summary()')" = 永中街道 ] ||
	fail "the town supervisor's summary on the standby is not the town's"
echo "ok: row-level security on the standby as on the primary (demo_town_supervisor: the same rows, the town's)"

# --- the standby refuses writes -------------------------------------------------------------
if out=$(sq demo_village -c "SELECT minqing.case_intake('walk_in', '备库写入', '不应写入。',
	(SELECT category_id FROM minqing.case_category WHERE code = 'SVC_OTHER'), '吴桂芳', '13957700006')" 2>&1); then
	fail "the standby accepted a case intake"
fi
grep -q "read-only transaction" <<<"$out" || fail "the standby refused the intake otherwise: $out"
echo "ok: the standby refuses a write (read-only transaction)"

# --- the console and minqing-admin report ---------------------------------------------------
tz=$(pq demo_supervisor -c 'SELECT minqing.my_time_zone()')
n1=$((before + 1))
console() { # CONFIG: start the console as demo_supervisor and open 民情e站概况
	tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color TZ=UTC PGTZ=UTC COLUMNS=80 LINES=24 PGAPPNAME=mq-replica-$$ PGUSER=demo_supervisor $MINQING -c $1 2>$TMP/stderr; echo EXIT=\$?"
	tt_wait main 基础信息
	tt_menu main 考核通报
	tt_menu main 民情e站概况
	tt_wait main 数据截至
}
recorded() { tt_wait_re main "^ *受理登记 +$1( |\$)"; }
# 数据截至 in the district's time (the summary's as_of field): this minute or the one before.
# (The screen is taken first and the clock read after it: the console may
# reload in between, and a time read before the screen can be a minute
# behind what it shows.)
as_of_check() {
	local now1 now2 screen
	screen=$(tt_screen main)
	now1=$(TZ=$tz date +%H:%M)
	now2=$(TZ=$tz date -d '1 minute ago' +%H:%M)
	grep -qE "数据截至 +([0-9]{4}-[0-9]{2}-[0-9]{2} )?($now1|$now2)" <<<"$screen" ||
		fail "数据截至 is not the time in $tz ($now1)"
}
quit() {
	tt_keys main F10
	tt_wait main EXIT=0
	[ ! -s "$TMP/stderr" ] || fail "the console wrote on stderr: $(cat "$TMP/stderr")"
}
on_standby() { # the console's sessions on the standby
	sq postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mq-replica-$$'
	                   AND usename = 'demo_supervisor' AND datname = '$PGDATABASE'"
}
report() { # CONFIG: minqing-admin report summary as demo_supervisor: the cases recorded
	env PGUSER=demo_supervisor "$MQ_BUILD_DIR/minqing-admin" -c "$1" report summary --format csv \
		>"$TMP/report.csv" 2>"$TMP/report.err" || fail "minqing-admin report: $(cat "$TMP/report.err")"
	grep '受理登记' "$TMP/report.csv" | tr -d '\r' | awk -F, '{ print $NF }'
}
: >"$TMP/default.conf"
printf 'database = { report_conninfo = "host=%s port=%s"; };\n' "$MQ_STANDBY_HOST" "$MQ_STANDBY_PORT" \
	>"$TMP/standby.conf"
tt_start main 81 25

# The default: no report_conninfo, the primary.
console "$TMP/default.conf"
recorded $n1
as_of_check
tt_layout main 80 24 "the summary"
tt_hasnt main 报表备库不可用
tt_hasnt main 延迟
[ "$(on_standby)" = 0 ] || fail "without report_conninfo the console connected to the standby"
quit
echo "ok: without report_conninfo 民情e站概况 is read from the primary, with 数据截至"

# The standby stops replaying (it still receives): a second case is on the
# primary only, so what a report shows tells where it was read.
sq postgres -c 'SELECT pg_wal_replay_pause()' >/dev/null
pq demo_village -c "SELECT 1 FROM minqing.case_intake('walk_in', '$title 之二', '备库暂停重放时主库提交的案件。',
	(SELECT category_id FROM minqing.case_category WHERE code = 'SVC_OTHER'), '吴桂芳', '13957700006')" >/dev/null
n2=$((before + 2))
deadline=$((SECONDS + 10))
until [ "$(sq postgres -c 'SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()')" = t ]; do
	[ "$SECONDS" -lt "$deadline" ] || fail "the standby did not receive the second case"
	sleep 0.05
done
[ "$(report "$TMP/standby.conf")" = $n1 ] || fail "minqing-admin report with report_conninfo: $(cat "$TMP/report.csv")"
[ ! -s "$TMP/report.err" ] || fail "minqing-admin report wrote: $(cat "$TMP/report.err")"
[ "$(report "$TMP/default.conf")" = $n2 ] || fail "minqing-admin report without report_conninfo: $(cat "$TMP/report.csv")"
echo "ok: minqing-admin report summary reads the standby ($n1 cases, replay paused) with report_conninfo, the primary ($n2) without"
deadline=$((SECONDS + 15))
until [ "$(sq demo_supervisor -c "SELECT lag > interval '6 seconds' FROM minqing.report_as_of()")" = t ]; do
	[ "$SECONDS" -lt "$deadline" ] || fail "the paused standby's lag did not grow"
	sleep 0.2
done

# report_conninfo: the standby, lagging; then replaying again.
console "$TMP/standby.conf"
tt_wait_re main "数据截至 [0-9:]{8}   延迟 [0-9]+ 秒"
tt_keys main NPage # (the row of the lag pushed the last figures below)
recorded $n1
as_of_check
tt_layout main 80 24 "the summary from the standby"
tt_hasnt main 报表备库不可用
[ "$(on_standby)" = 1 ] || fail "the console's report session is not on the standby"
echo "ok: with report_conninfo 民情e站概况 is read on the standby as demo_supervisor: $n1 cases, $(tt_screen main | grep -oE '延迟 [0-9]+ 秒')"
sq postgres -c 'SELECT pg_wal_replay_resume()' >/dev/null
caught_up
tt_keys main r
recorded $n2
tt_gone main 延迟
echo "ok: replaying again, r shows $n2 cases and no lag"

# The standby stops: the next read is the primary's, said once.
standby stop 2>/dev/null
tt_keys main r
tt_wait main 报表备库不可用，改从主库读取
recorded $n2
as_of_check
tt_keys main r
sleep 0.5
tt_hasnt main 报表备库不可用
recorded $n2
quit
echo "ok: with the standby stopped the summary is read from the primary, said once, no crash"
[ "$(report "$TMP/standby.conf")" = $n2 ] || fail "minqing-admin report without its standby: $(cat "$TMP/report.csv")"
grep -q 报表备库不可用，改从主库读取 "$TMP/report.err" || fail "minqing-admin report did not say it read the primary: $(cat "$TMP/report.err")"
echo "ok: minqing-admin report without its standby reads the primary and says so on stderr"
echo "all ok ($((SECONDS - t_start)) s)"
