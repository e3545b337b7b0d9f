#!/usr/bin/env bash
# The real programs under valgrind (memcheck), in the build without
# sanitizers: no invalid access, no use of uninitialised memory, no definite
# or indirect leak, on the paths a person or a script takes most.
set -euo pipefail
: "${PGDATABASE:?run through ./dev.sh test}" "${MQ_BUILD_DIR:?}"
# --trace-children: `env VAR=... program` is checked, not only env. The
# console would execute itself again to set GNUTLS_NO_IMPLICIT_INIT (see
# src/console/main.c); set here, it runs once, under valgrind.
export GNUTLS_NO_IMPLICIT_INIT=1
vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
	--show-leak-kinds=definite,indirect --track-origins=yes --trace-children=yes)
fails=0
run() { # expected rc, command...
	local want=$1 rc=0; shift
	"${vg[@]}" "$@" >/dev/null 2>"$MQ_BUILD_DIR/valgrind.err" || rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL ($rc, expected $want): $*"; cat "$MQ_BUILD_DIR/valgrind.err"; fails=$((fails + 1))
	else
		echo "ok: $*"
	fi
}
run 0 "$MQ_BUILD_DIR/minqing-admin" --help
run 0 "$MQ_BUILD_DIR/minqing-admin" check
run 0 env PGUSER=demo_admin "$MQ_BUILD_DIR/minqing-admin" user list --unit T01
run 2 "$MQ_BUILD_DIR/minqing-admin" -c /nonexistent.conf check
run 3 env PGHOST=/nonexistent "$MQ_BUILD_DIR/minqing-admin" check
run 2 "$MQ_BUILD_DIR/minqing-admin" stats --from 2026-03-01 --to 2026-02-01
# An import whose every row is rejected (nothing written): COPY, the report, a GBK reject file.
printf '村代码,户号,地址,电话,网格\nNOPE,1,某地,,\n' | iconv -f UTF-8 -t GBK >"$MQ_BUILD_DIR/valgrind-import.csv"
run 1 env PGUSER=demo_admin "$MQ_BUILD_DIR/minqing-admin" import households "$MQ_BUILD_DIR/valgrind-import.csv" \
	--encoding gbk --reject-file "$MQ_BUILD_DIR/valgrind-import.rej"
run 0 env PGUSER=demo_village "$MQ_BUILD_DIR/minqing" --check
run 0 "$MQ_BUILD_DIR/minqing" --help
run 3 env PGHOST=/nonexistent PGUSER=demo_village "$MQ_BUILD_DIR/minqing" --check
run 0 "$MQ_BUILD_DIR/minqing-escalate" --once
run 2 "$MQ_BUILD_DIR/minqing-escalate" --once --interval 5
run 3 env PGHOST=/nonexistent "$MQ_BUILD_DIR/minqing-escalate" --once
run 0 "$MQ_BUILD_DIR/mq-load" --help
run 2 "$MQ_BUILD_DIR/mq-load" --think 5-1
run 3 env PGHOST=/nonexistent "$MQ_BUILD_DIR/mq-load" --sessions 1 --duration 1
# The load driver's sessions: a station terminal, an officer, a supervisor and a
# kiosk for a few seconds (their screens, forms and notifications).
run 0 "$MQ_BUILD_DIR/mq-load" --sessions 4 --duration 4 --think 0.1-0.3 \
	--mix station=1,officer=1,supervisor=1,kiosk=1
# The console itself, interactive, in a real terminal (tmux): the main menu,
# case entry in Chinese with the picker, submitting to the database, the case
# detail it opens, and quitting. valgrind's verdict is the exit code.
if command -v tmux >/dev/null; then
	sock=mqvg-$$
	tm() { tmux -L "$sock" -f /dev/null "$@"; }
	out=$MQ_BUILD_DIR/valgrind-console.err
	tm new-session -d -s vg -x 100 -y 30 "env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_village \
		${vg[*]} $MQ_BUILD_DIR/minqing 2>$out; echo EXIT=\$? >>$out; sleep 60"
	wait_for() { # text
		local i
		for i in $(seq 1 300); do
			tm capture-pane -t vg -p | grep -qF -- "$1" && return 0
			sleep 0.1
		done
		echo "FAIL: '$1' did not appear under valgrind"; tm capture-pane -t vg -p; return 1
	}
	step() { tm send-keys -t vg "$@"; }
	if wait_for 基础信息 && step 2 && wait_for 信息录入 && step 1 && wait_for 诉求内容 &&
		step Tab && step -l '内存检查的标题' && step BSpace Left && step Tab &&
		step -l '在valgrind下录入的内容' && step Tab Enter && wait_for 民情调处中心 &&
		step -l '道路' && wait_for 道路环境卫生 && step Enter && step Tab && step -l '钱七' &&
		step F2 && wait_for 已保存 && step F10; then
		for _ in $(seq 1 100); do grep -q EXIT= "$out" 2>/dev/null && break; sleep 0.1; done
		if grep -q '^EXIT=0$' "$out"; then
			echo "ok: the console under valgrind: case entry, submit, detail, quit"
		else
			echo "FAIL: the console under valgrind:"; cat "$out"; fails=$((fails + 1))
		fi
	else
		fails=$((fails + 1))
	fi
	tm kill-server 2>/dev/null || true
fi
[ "$fails" -eq 0 ]
