#!/usr/bin/env bash
# Developer entry point: installs what is missing, builds, runs a private
# PostgreSQL 15 cluster under build/ on a Unix socket, loads the demo district,
# opens the console or runs the whole test suite. See README.md.
#
#   ./dev.sh demo [ACCOUNT]   set everything up, open the console as ACCOUNT
#   ./dev.sh test             set everything up, run the whole suite (ctest)
#   ./dev.sh setup            everything demo does but opening the console
#   ./dev.sh start | stop     the private cluster
#   ./dev.sh standby [stop]   a hot standby of it, for reports (prints its exports)
#   ./dev.sh scratch [stop]   an empty second cluster, for restores and the guide (prints its exports)
#   ./dev.sh psql [ACCOUNT]   psql on the demo database as ACCOUNT
#   ./dev.sh env              print exports for the running cluster
#   ./dev.sh bench            benchmarks (tests/bench), printed, not asserted
#   ./dev.sh check REGEX      part of the suite (ctest -R REGEX), fresh test database
#   ./dev.sh mutate [NAME...] mutation testing (tests/mutate.sh): slow, not in test
#   ./dev.sh guide            rewrite the screens in docs/console.md from the console
#   ./dev.sh probe MOMENT [REGEX]  part of the suite against a cluster whose clock starts at MOMENT
#   ./dev.sh reset            drop and reload the demo database
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=$ROOT/build
DEV_BUILD=$BUILD/dev
ASAN_BUILD=$BUILD/asan
PGBIN=/usr/lib/postgresql/15/bin
PORT=${MQ_PGPORT:-54329}
DEMO_DB=minqing
TEST_DB=minqing_test
DEMO_ACCOUNTS=(demo_village demo_town handler_t01v01 demo_dept demo_supervisor demo_admin demo_village2 demo_kiosk
	demo_town_supervisor demo_town_admin)

PACKAGES=(postgresql-15 postgresql-contrib postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
	libpq-dev libcmocka-dev libconfig-dev libncurses-dev tmux gettext locales cmake
	pkg-config gcc make valgrind clang clang-format libclang-rt-14-dev git gammu gammu-smsd tzdata
	dpkg-dev lintian groff man-db systemd adduser procps postgresql-15-auto-failover pg-auto-failover-cli
	libfaketime)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'dev.sh: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# --- packages -------------------------------------------------------------------
deps() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if is_root; then
		say "installing ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	else
		echo "Missing Debian packages. Install them with:" >&2
		echo "  sudo apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
}

# --- build ----------------------------------------------------------------------
build_one() { # dir, extra cmake args...
	local dir=$1; shift
	if [ ! -f "$dir/CMakeCache.txt" ]; then
		cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
	fi
	cmake --build "$dir" -j"$(nproc)" -- --no-print-directory >/dev/null ||
		cmake --build "$dir" -j1 # on failure, again with the errors readable
}
build_dev() { say "building (build/dev)"; build_one "$DEV_BUILD"; }
build_asan() { say "building with ASan+UBSan (build/asan)"; build_one "$ASAN_BUILD" -DMQ_SANITIZE=ON; }

# --- the private cluster ------------------------------------------------------------
# The cluster lives in build/pg. When the postgres account cannot reach that
# directory (a checkout under a private home or a mode-700 temp dir, when run
# as root) or the socket path would be too long, it lives in /tmp and
# build/pg is a symbolic link to it.
PGDIR=$BUILD/pg

# (From /: runuser keeps the working directory, which postgres may not reach.)
as_pg() { if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

pg_dir() { pg_dir_of "$PGDIR"; }
pg_dir_of() { # build/pg or build/pg-standby: the directory, made if missing
	[ -e "$1" ] && { readlink -f "$1"; return; }
	mkdir -p "$BUILD"
	local want=$1
	if { is_root && ! runuser -u postgres -- test -x "$BUILD"; } || [ ${#want} -gt 80 ]; then
		want=$(mktemp -d /tmp/minqing-pg.XXXXXX)
		ln -s "$want" "$1"
	else
		mkdir -p "$want"
	fi
	is_root && chown postgres: "$want"
	chmod 700 "$want"
	readlink -f "$1"
}

pg_env() {
	export PGHOST PGPORT=$PORT PGUSER=${PGUSER_OVERRIDE:-postgres}
	PGHOST=$(readlink -f "$PGDIR")
}

# A new cluster in $1/data: the superuser postgres, trusted on the socket.
pg_initdb() {
	(cd /tmp && as_pg "$PGBIN/initdb" -D "$1/data" -U postgres -A trust -E UTF8 \
		--locale=C.UTF-8 --no-sync >"$1/initdb.log" 2>&1) ||
		{ cat "$1/initdb.log" >&2; die "initdb failed"; }
}

# Start the server of $1/data on port $2, its socket in $1 and no TCP, with
# the settings after (-c NAME=VALUE ...); $3 names it in the messages. The
# environment of the server: env(1) arguments in PG_SERVER_ENV (none by default).
PG_SERVER_ENV=()
pg_server_start() {
	local dir=$1 port=$2 what=$3
	shift 3
	(cd /tmp && as_pg env "${PG_SERVER_ENV[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -k $dir -p $port -c fsync=off -c max_connections=200 $*" \
		start >/dev/null) || { tail -n 20 "$dir/server.log" >&2; die "$what did not start"; }
}

# Stop the server of the link or directory $1 (by its data directory) and
# remove its data; $2 names it in the message.
pg_server_remove() {
	[ -e "$1" ] || return 0
	local dir
	dir=$(readlink -f "$1")
	if as_pg "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		say "stopping $2"
		as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	fi
	as_pg rm -rf "$dir/data"
}

start() {
	local dir; dir=$(pg_dir)
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		say "creating a private PostgreSQL cluster in $dir"
		pg_initdb "$dir"
	fi
	# One role authenticates by password (scram) even here, so the tests can
	# try a wrong password and the prompt; everyone else is trusted.
	if ! grep -q '^local all test_password_user scram-sha-256' "$dir/data/pg_hba.conf"; then
		as_pg sed -i '1i local all test_password_user scram-sha-256' "$dir/data/pg_hba.conf"
		as_pg "$PGBIN/pg_ctl" -D "$dir/data" reload >/dev/null 2>&1 || true
	fi
	if as_pg "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		pg_env; return 0
	fi
	say "starting PostgreSQL on $dir (port $PORT, Unix socket only)"
	pg_server_start "$dir" "$PORT" PostgreSQL -c shared_buffers=256MB \
		-c shared_preload_libraries=pg_stat_statements
	pg_env
}

stop() {
	standby_stop
	scratch_stop
	[ -e "$PGDIR" ] || return 0
	local dir; dir=$(readlink -f "$PGDIR")
	if as_pg "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		say "stopping PostgreSQL"
		as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	fi
}

# --- a hot standby of the private cluster ---------------------------------------------
# For the reports read from a standby (database.report_conninfo,
# docs/reports.md; tests/replica.sh): a streaming replica of the private
# cluster in build/pg-standby (a link into /tmp as build/pg may be), on its
# own port (MQ_STANDBY_PORT, default the cluster's + 10) and socket
# directory, made afresh by every start: pg_basebackup -R over the cluster's
# socket (initdb's pg_hba.conf trusts local replication connections, and
# PostgreSQL 15's defaults are wal_level = replica, max_wal_senders = 10).
# No replication slot: a standby left stopped is not kept up with, it is
# copied again.
SBDIR=$BUILD/pg-standby
STANDBY_PORT=${MQ_STANDBY_PORT:-$((PORT + 10))}

standby_start() {
	start
	local dir
	dir=$(pg_dir_of "$SBDIR")
	if ! as_pg "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		say "copying the cluster into a hot standby in $dir (port $STANDBY_PORT)"
		as_pg rm -rf "$dir/data"
		as_pg "$PGBIN/pg_basebackup" -h "$PGHOST" -p "$PORT" -U postgres -D "$dir/data" -R \
			-X stream -c fast --no-sync || die "pg_basebackup failed"
		pg_server_start "$dir" "$STANDBY_PORT" "the standby" -c hot_standby=on -c shared_buffers=64MB
	fi
	printf 'export MQ_STANDBY_HOST=%q MQ_STANDBY_PORT=%q\n' "$dir" "$STANDBY_PORT"
}

# Stop the standby (its own postmaster, by its data directory) and remove the copy.
standby_stop() { pg_server_remove "$SBDIR" "the standby"; }

# --- an empty second cluster ------------------------------------------------------------
# For restoring a backup into a cluster of its own (tests/ops/backup_restore.sh,
# docs/operations.md): a new, empty cluster in build/pg-scratch (a link into
# /tmp as build/pg may be; MQ_SCRATCH_DIR names another), initdb'd afresh by
# every start, on its own port (MQ_SCRATCH_PORT, default the cluster's + 1)
# and socket directory, no TCP. Prints its exports; ./dev.sh scratch stop
# stops it and removes it.
#
# MQ_SCRATCH_CLOCK (a moment date(1) reads, such as "2026-12-08 10:00 +0800"):
# the server's clock starts at that moment and runs on from it (libfaketime,
# as one offset from the real clock, so that every server process agrees;
# the monotonic clock, which timeouts use, stays real). For screens that
# depend on the day and the hour (tests/tty/console_guide.sh). Not for
# timeouts: on a clock moved forward libfaketime moves the server's interval
# timers by as much (lock_timeout, statement_timeout set to 2 s fire weeks
# later), so the tests of a refused lock or a stalled job fail there.
SCDIR=${MQ_SCRATCH_DIR:-$BUILD/pg-scratch}
SCRATCH_PORT=${MQ_SCRATCH_PORT:-$((PORT + 1))}
FAKETIME_LIB=/usr/lib/$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)/faketime/libfaketime.so.1

scratch_start() {
	scratch_stop
	local dir at
	if [ -n "${MQ_SCRATCH_CLOCK:-}" ]; then
		[ -f "$FAKETIME_LIB" ] || die "no $FAKETIME_LIB (./dev.sh deps installs libfaketime)"
		at=$(date -d "$MQ_SCRATCH_CLOCK" +%s) || die "MQ_SCRATCH_CLOCK: not a moment: $MQ_SCRATCH_CLOCK"
		at=$((at - $(date +%s)))
		[ "$at" -lt 0 ] || at=+$at
		PG_SERVER_ENV=(LD_PRELOAD="$FAKETIME_LIB" FAKETIME="${at}s" FAKETIME_DONT_FAKE_MONOTONIC=1)
	fi
	dir=$(pg_dir_of "$SCDIR")
	say "creating an empty cluster in $dir (port $SCRATCH_PORT${MQ_SCRATCH_CLOCK:+, its clock from $MQ_SCRATCH_CLOCK})"
	pg_initdb "$dir"
	pg_server_start "$dir" "$SCRATCH_PORT" "the scratch cluster" -c shared_buffers=128MB
	printf 'export MQ_SCRATCH_HOST=%q MQ_SCRATCH_PORT=%q\n' "$dir" "$SCRATCH_PORT"
}
scratch_stop() { pg_server_remove "$SCDIR" "the scratch cluster"; }

# The logins of the two jobs, as a DBA makes them (docs/cases.md,
# docs/notify.md): minqing_escalate in mq_escalator, minqing_notify in
# mq_notifier. Roles are per cluster; the demo cluster trusts local logins.
job_accounts() {
	psql -qX -d "$1" -v ON_ERROR_STOP=1 -f "$ROOT/tests/job_accounts.sql" >/dev/null
}

# The jobs beside a demo console, for as long as it runs: a pass a minute,
# and the SMS into build/spool (one file a message), logged in
# build/demo-jobs.log. Two demo consoles run two of each: the pass's lock and
# the drainer's SKIP LOCKED make that safe.
demo_jobs_start() {
	mkdir -p "$BUILD/spool"
	PGUSER=minqing_escalate "$DEV_BUILD/minqing-escalate" --interval 60 >>"$BUILD/demo-jobs.log" 2>&1 &
	DEMO_JOB_PIDS="$!"
	PGUSER=minqing_notify "$DEV_BUILD/minqing-notify" --transport spool --spool-dir "$BUILD/spool" \
		>>"$BUILD/demo-jobs.log" 2>&1 &
	DEMO_JOB_PIDS="$DEMO_JOB_PIDS $!"
	# shellcheck disable=SC2064
	trap "kill $DEMO_JOB_PIDS 2>/dev/null; wait $DEMO_JOB_PIDS 2>/dev/null" EXIT
}

# Create (if missing), migrate and load the demo district into database $1.
load_db() {
	local db=$1 fresh=${2:-}
	local admin=$DEV_BUILD/minqing-admin
	[ -n "$fresh" ] && psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
	if ! psql -qXtA -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
		psql -qX -d postgres -c "CREATE DATABASE $db" >/dev/null
	fi
	PGDATABASE=$db "$admin" migrate
	job_accounts "$db"
	if [ "$(psql -qXtA -d "$db" -c 'SELECT count(*) FROM minqing.org_unit')" = 0 ]; then
		say "loading the demo district into $db"
		PGDATABASE=$db "$admin" demo-data --scale "${MQ_DEMO_SCALE:-1}" --seed "${MQ_DEMO_SEED:-1}"
	fi
}

setup() {
	deps
	build_dev
	start
	load_db "$DEMO_DB"
}

env_cmd() {
	local dir
	[ -e "$PGDIR" ] || die "no cluster yet: run ./dev.sh setup"
	dir=$(readlink -f "$PGDIR")
	as_pg "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 || die "the cluster is not running: ./dev.sh start"
	printf 'export PGHOST=%q PGPORT=%q PGDATABASE=%q PATH=%q\n' "$dir" "$PORT" "$DEMO_DB" "$DEV_BUILD:$PATH"
	printf 'export MINQING_LOCALEDIR=%q\n' "$DEV_BUILD/locale"
}

utf8_env() {
	case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
	*UTF-8* | *utf8* | *UTF8* | *utf-8*) ;;
	*) export LANG=C.UTF-8; unset LC_ALL LC_CTYPE ;;
	esac
}

choose_account() {
	local i=1 a
	echo "Demo accounts (see README.md):" >&2
	for a in "${DEMO_ACCOUNTS[@]}"; do
		printf '  %d) %-16s %s\n' "$i" "$a" \
			"$(psql -qXtA -d "$DEMO_DB" -c "SELECT s.display_name || '  ' || s.duty || '  ' || u.name FROM minqing.staff s JOIN minqing.org_unit u USING (unit_id) WHERE login = '$a'")" >&2
		i=$((i + 1))
	done
	read -r -p "Account [1]: " a
	a=${a:-1}
	[[ $a =~ ^[0-9]+$ ]] && [ "$a" -ge 1 ] && [ "$a" -le ${#DEMO_ACCOUNTS[@]} ] || die "no such choice: $a"
	echo "${DEMO_ACCOUNTS[$((a - 1))]}"
}

demo() {
	setup
	local account=${1:-}
	if [ -z "$account" ]; then
		if [ -t 0 ]; then account=$(choose_account); else account=demo_village; fi
	fi
	utf8_env
	export PGDATABASE=$DEMO_DB MINQING_LOCALEDIR=$DEV_BUILD/locale
	demo_jobs_start
	PGUSER=$account "$DEV_BUILD/minqing"
}

test_cmd() {
	local t0=$SECONDS
	deps
	build_dev
	build_asan
	start
	say "preparing the test database $TEST_DB"
	load_db "$TEST_DB" fresh
	export PGDATABASE=$TEST_DB PGUSER=postgres
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	say "running the suite (ASan+UBSan build)"
	# (--no-tests=error: a suite that found nothing to run has not passed)
	ctest --test-dir "$ASAN_BUILD" --output-on-failure --no-tests=error -j2
	say "running valgrind checks (plain build)"
	ctest --test-dir "$DEV_BUILD" --output-on-failure --no-tests=error -L valgrind
	say "fuzzing the parsers for ${MQ_FUZZ_SECONDS:=10} s each (clang, libFuzzer)"
	MQ_FUZZ_SECONDS=$MQ_FUZZ_SECONDS bash "$ROOT/tests/fuzz/run.sh"
	say "all tests passed in $((SECONDS - t0)) s"
}

# Part of the suite, on a fresh test database: ctest -R REGEX (ASan build).
check_cmd() {
	[ -n "${1:-}" ] || die "usage: ./dev.sh check REGEX (ctest -R; e.g. sql.holes)"
	deps
	build_dev
	build_asan
	start
	load_db "$TEST_DB" fresh
	export PGDATABASE=$TEST_DB PGUSER=postgres
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	ctest --test-dir "$ASAN_BUILD" --output-on-failure --no-tests=error -R "$1"
}

# The user guide's captures (docs/console.md) made again by the test that
# checks them, tests/tty/console_guide.sh, which writes them in place with
# MQ_GUIDE_UPDATE=1 (on a scratch database of its own; review git diff).
guide_cmd() {
	deps
	build_dev
	start
	utf8_env
	MQ_GUIDE_UPDATE=1 MQ_BUILD_DIR=$DEV_BUILD MQ_SOURCE_DIR=$ROOT PGUSER=postgres \
		PGDATABASE=postgres bash "$ROOT/tests/tty/console_guide.sh"
}

psql_cmd() {
	start
	local account=${1:-postgres}; shift || true
	utf8_env
	exec psql -X -d "$DEMO_DB" -U "$account" "$@"
}

# The suite (ctest -R REGEX; by default the tests of the database, the
# screens and the commands) against a scratch cluster whose clock starts at
# MOMENT (MQ_SCRATCH_CLOCK: libfaketime in that server only; the demo
# district loaded at that moment): a test that holds only on some days,
# or a screen that counts by the wrong clock, fails here first. Not part of
# test: some failures are the fake clock's own, see scratch_start (timeouts
# fire late, so the refused locks and the stalled jobs fail) and the cluster
# trusts every local login (tty.password). The cluster is removed after.
probe_cmd() {
	[ -n "${1:-}" ] || die "usage: ./dev.sh probe 'MOMENT' [REGEX] (a moment date(1) reads: '2027-01-01 00:20 +0800')"
	local moment=$1 regex=${2:-'^tty\.|^sql\.|^cli\.'} rc=0
	deps
	build_dev
	build_asan
	SCDIR=$BUILD/pg-probe SCRATCH_PORT=$((PORT + 3)) MQ_SCRATCH_CLOCK=$moment scratch_start >/dev/null
	# shellcheck disable=SC2064
	trap "SCDIR='$BUILD/pg-probe' scratch_stop" EXIT
	export PGHOST PGPORT=$((PORT + 3)) PGUSER=postgres PGDATABASE=$TEST_DB
	PGHOST=$(readlink -f "$BUILD/pg-probe")
	say "the probe's clock: $(psql -qXtA -d postgres -c "SELECT now()")"
	load_db "$TEST_DB" fresh
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	ctest --test-dir "$ASAN_BUILD" --output-on-failure --no-tests=error -j2 -R "$regex" || rc=$?
	return "$rc"
}

bench() {
	deps
	build_dev
	start
	local b
	for b in "$ROOT"/tests/bench/*.sh; do
		say "bench: $(basename "$b")"
		MQ_BUILD_DIR=$DEV_BUILD MQ_SOURCE_DIR=$ROOT bash "$b"
	done
}

cmd=${1:-help}
shift || true
case $cmd in
deps) deps ;;
build) deps; build_dev ;;
start) start ;;
stop) stop ;;
standby) if [ "${1:-}" = stop ]; then standby_stop; else standby_start; fi ;;
scratch) if [ "${1:-}" = stop ]; then scratch_stop; else scratch_start; fi ;;
setup) setup ;;
demo) demo "$@" ;;
test) test_cmd ;;
check) check_cmd "$@" ;;
mutate) deps; bash "$ROOT/tests/mutate.sh" "$@" ;;
guide) guide_cmd ;;
probe) probe_cmd "$@" ;;
psql) psql_cmd "$@" ;;
env) env_cmd ;;
bench) bench ;;
reset) deps; build_dev; start; load_db "$DEMO_DB" fresh ;;
help | -h | --help) sed -n '2,/^set /p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' ;;
*) die "unknown command: $cmd (try ./dev.sh help)" ;;
esac
