#!/usr/bin/env bash
# Runs every libFuzzer harness of tests/fuzz for a while: builds build/fuzz
# (clang, -DMQ_FUZZ=ON; configured once, then reused), then runs each
# fuzz_NAME for MQ_FUZZ_SECONDS (default 15) over build/fuzz/corpus-run/NAME,
# a working copy of tests/fuzz/corpus/NAME (the checked-in seeds are copied in
# each time; what the runs find stays there for the next run, so longer runs
# build on shorter ones; delete the directory to start over).
#
#   bash tests/fuzz/run.sh                       # from ./dev.sh test
#   MQ_FUZZ_SECONDS=600 bash tests/fuzz/run.sh   # a longer run by hand
#   MQ_FUZZ_TARGETS="width" bash tests/fuzz/run.sh
#
# Prints one line per target (executions, seconds, coverage); exits 1 if a
# target crashed, leaked, timed out or ran out of memory, printing where
# libFuzzer saved the input (build/fuzz/artifacts/NAME/) and the end of its
# log (build/fuzz/logs/NAME.log). Replay a saved input with
#   build/fuzz/tests/fuzz/fuzz_NAME FILE
# and, once fixed, copy it into tests/fuzz/corpus/NAME/ as a regression test.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$ROOT/build/fuzz
SECONDS_EACH=${MQ_FUZZ_SECONDS:-15}
TARGETS=${MQ_FUZZ_TARGETS:-config width edit form view chart}

die() { printf 'run.sh: %s\n' "$*" >&2; exit 2; }

command -v clang >/dev/null || die "clang is needed (apt-get install clang libclang-rt-14-dev)"
[[ $SECONDS_EACH =~ ^[1-9][0-9]*$ ]] || die "MQ_FUZZ_SECONDS must be a whole number of seconds"

# --- build ------------------------------------------------------------------------
mkdir -p "$BUILD"
if ! grep -qs '^MQ_FUZZ:BOOL=ON$' "$BUILD/CMakeCache.txt"; then
	# Optimised with debug information, but without -DNDEBUG: assert() counts.
	cmake -S "$ROOT" -B "$BUILD" -DCMAKE_C_COMPILER=clang -DMQ_FUZZ=ON \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g" \
		>"$BUILD/configure.log" 2>&1 || {
		cat "$BUILD/configure.log" >&2
		die "cannot configure $BUILD"
	}
fi
build_targets=()
for t in $TARGETS; do build_targets+=("fuzz_$t"); done
cmake --build "$BUILD" -j"$(nproc)" --target "${build_targets[@]}" \
	>/dev/null 2>&1 || cmake --build "$BUILD" -j1 --target "${build_targets[@]}" ||
	die "cannot build ${build_targets[*]}"

# --- run ----------------------------------------------------------------------------
# lsan.supp: leaks inside libconfig that mq cannot fix (see the file).
export LSAN_OPTIONS="suppressions=$ROOT/tests/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
mkdir -p "$BUILD/logs"
failed=0
for t in $TARGETS; do
	bin=$BUILD/tests/fuzz/fuzz_$t
	seeds=$ROOT/tests/fuzz/corpus/$t
	work=$BUILD/corpus-run/$t
	artifacts=$BUILD/artifacts/$t/
	log=$BUILD/logs/$t.log
	[ -x "$bin" ] || die "$bin was not built"
	[ -d "$seeds" ] || die "no seed corpus $seeds"
	mkdir -p "$work" "$artifacts"
	cp -p "$seeds"/* "$work"/

	# -close_fd_mask=1: libconfig echoes stray characters of an @include
	# name to stdout, which only fills the log.
	rc=0
	start=$(date +%s)
	"$bin" -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 \
		-rss_limit_mb=2048 -close_fd_mask=1 -print_final_stats=1 -artifact_prefix="$artifacts" \
		"$work" >"$log" 2>&1 || rc=$?
	elapsed=$(($(date +%s) - start))

	# Final stats: "stat::number_of_executed_units: N"; the last status line
	# ("#N DONE cov: C ft: F corp: K/S ... exec/s: E ...") has the coverage.
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
	last=$(grep -E '^#[0-9]+' "$log" | grep ' cov: ' | tail -n1 || true)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
	if [ "$rc" -eq 0 ]; then
		status=ok
	else
		status="FAILED (exit $rc)"
		failed=1
	fi
	printf 'fuzz_%s: %s execs in %s s (%s/s), cov: %s ft: %s corpus: %s inputs -- %s\n' \
		"$t" "${execs:-?}" "$elapsed" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" \
		"$status"
	if [ "$rc" -ne 0 ]; then
		echo "---- end of $log ----" >&2
		grep -v -E '^#[0-9]+' "$log" | tail -n 40 >&2
		saved=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n1)
		if [ -n "$saved" ]; then
			echo "fuzz_$t: the input is saved in $saved" >&2
			echo "  replay: $bin $saved" >&2
		fi
	fi
done
exit "$failed"
