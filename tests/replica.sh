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
#     it naming the standby the report session is on the standby and the
#     screen shows 数据截至 in the district's time; with the standby stopped,
#     r reads it from the primary and says so once (报表备库不可用，改从主库读取),
#     no crash, nothing on stderr.
#
# On a database of its own (the test records a case), made before the copy.
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
tt_scratch_db
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
# One session on the standby polls (a new snapshot every statement) and
# notes when it sees the case; the primary notes when its intake ends (the
# commit follows at once). The same machine's clock.
sq demo_supervisor -c "DO \$\$
BEGIN
	WHILE NOT EXISTS (SELECT 1 FROM minqing.cases WHERE title = '$title') LOOP
		IF clock_timestamp() > now() + interval '20 seconds' THEN
			RAISE EXCEPTION 'not seen in 20 seconds';
		END IF;
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

# --- the console -----------------------------------------------------------------------------
tz=$(pq demo_supervisor -c 'SELECT minqing.my_time_zone()')
recorded_row="^ *受理登记 +$((before + 1))( |\$)"
console() { # CONFIG: start the console as demo_supervisor and open 民情e站概况
	tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color TZ=UTC PGTZ=UTC COLUMNS=80 LINES=24 PGAPPNAME=mq-replica-$$ PGUSER=demo_supervisor $MINQING -c $1 2>$TMP/stderr; echo EXIT=\$?"
	tt_wait main 基础信息
	tt_menu main 考核通报
	tt_menu main 民情e站概况
	tt_wait main 数据截至
	tt_wait_re main "$recorded_row"
}
# 数据截至 HH:MM:SS in the district's time: this minute or the one before.
as_of_check() {
	local now1 now2
	now1=$(TZ=$tz date +%H:%M)
	now2=$(TZ=$tz date -d '1 minute ago' +%H:%M)
	tt_screen main | grep -qE "数据截至 ($now1|$now2):[0-9]{2}" ||
		fail "数据截至 is not the time in $tz ($now1)"
}
quit() {
	tt_keys main F10
	tt_wait main EXIT=0
	[ ! -s "$TMP/stderr" ] || fail "the console wrote on stderr: $(cat "$TMP/stderr")"
}
tt_start main 81 25

# The default: no report_conninfo, the primary.
: >"$TMP/default.conf"
console "$TMP/default.conf"
as_of_check
tt_layout main 80 24 "the summary"
tt_hasnt main 报表备库不可用
[ "$(sq postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mq-replica-$$'")" = 0 ] ||
	fail "without report_conninfo the console connected to the standby"
quit
echo "ok: without report_conninfo 民情e站概况 is read from the primary, with 数据截至"

# report_conninfo: the standby.
printf 'database = { report_conninfo = "host=%s port=%s"; };\n' "$MQ_STANDBY_HOST" "$MQ_STANDBY_PORT" \
	>"$TMP/standby.conf"
console "$TMP/standby.conf"
as_of_check
tt_layout main 80 24 "the summary from the standby"
tt_hasnt main 报表备库不可用
[ "$(sq postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mq-replica-$$'
                        AND usename = 'demo_supervisor' AND datname = '$PGDATABASE'")" = 1 ] ||
	fail "the console's report session is not on the standby"
echo "ok: with report_conninfo 民情e站概况 is read on the standby as demo_supervisor, with 数据截至"

# The standby stops: the next read is the primary's, said once.
standby stop 2>/dev/null
tt_keys main r
tt_wait main 报表备库不可用，改从主库读取
tt_wait_re main "$recorded_row"
as_of_check
tt_keys main r
sleep 0.5
tt_hasnt main 报表备库不可用
tt_wait_re main "$recorded_row"
quit
echo "ok: with the standby stopped the summary is read from the primary, said once, no crash"
echo "all ok ($((SECONDS - t_start)) s)"
