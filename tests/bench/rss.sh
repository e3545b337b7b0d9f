#!/usr/bin/env bash
# Memory of one idle console session, since a hundred officers share one SSH
# host: RSS of `minqing` at its main menu, against `psql` idle at its prompt,
# both measured here and now, as demo_village on the demo database.
# Also the time from start to the main menu. Printed, not asserted.
set -euo pipefail
: "${MQ_BUILD_DIR:?}" "${PGHOST:?}"
sock=mqbench-$$
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null || true' EXIT
db=${PGDATABASE:-minqing}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
wait_for() { # session, text
	local i
	for i in $(seq 1 200); do
		tm capture-pane -t "$1" -p 2>/dev/null | grep -qF -- "$2" && return 0
		sleep 0.05
	done
	echo "timed out waiting for '$2' in $1" >&2; tm capture-pane -t "$1" -p >&2; return 1
}

t0=$(date +%s%N)
tm new-session -d -s console -x 100 -y 30 \
	"env LANG=C.UTF-8 TERM=tmux-256color PGDATABASE=$db PGUSER=demo_village $MQ_BUILD_DIR/minqing"
wait_for console 考核通报
t1=$(date +%s%N)
tm new-session -d -s psql -x 100 -y 30 \
	"env LANG=C.UTF-8 TERM=tmux-256color PGDATABASE=$db PGUSER=demo_village psql -X"
wait_for psql "=>"
sleep 1
cpid=$(tm list-panes -t console -F '#{pane_pid}')
ppid=$(tm list-panes -t psql -F '#{pane_pid}')
printf 'console start to main menu: %d ms (includes tmux start and polling at 50 ms)\n' $(((t1 - t0) / 1000000))
printf 'RSS idle minqing: %s kB\n' "$(rss_kb "$cpid")"
printf 'RSS idle psql:    %s kB (reference, same machine, same account)\n' "$(rss_kb "$ppid")"
