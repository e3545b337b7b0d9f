#!/usr/bin/env bash
# The console in a real terminal (tmux, private server), as demo_village:
# the Chinese main menu and status line, moving into a module, the
# jurisdiction overview counting what row-level security lets this account
# see (compared with psql as the same account, and with demo_town), going
# back, the help overlay, a window too small and resized back, quitting,
# and the terminal restored afterwards (echo, icanon) both after q and after
# SIGTERM; then the English interface chosen by a configuration file.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

TMP=$(mktemp -d)
trap 'tt_cleanup; rm -rf "$TMP"' EXIT
MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
RUN="env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_village $MINQING"

sql() { psql -XtA -v ON_ERROR_STOP=1 "$@"; }
name=$(sql -U postgres -c "select display_name from minqing.staff where login = 'demo_village'")
unit=$(sql -U postgres -c "select u.name from minqing.staff s join minqing.org_unit u
                             using (unit_id) where s.login = 'demo_village'")
village_n=$(sql -U demo_village -c 'select count(*) from minqing.household')
town_n=$(sql -U demo_town -c 'select count(*) from minqing.household')
[ -n "$name" ] && [ -n "$unit" ] || fail "demo_village is not in the database (demo data loaded?)"
[ "$town_n" -gt "$village_n" ] ||
	fail "demo_town should see more households ($town_n) than demo_village ($village_n)"

# The terminal settings of the shell after the console has gone.
check_stty() { # label
	rm -f "$TMP/stty"
	tt_run main "stty -a > $TMP/stty.tmp; mv $TMP/stty.tmp $TMP/stty"
	local deadline=$((SECONDS + 5))
	until [ -s "$TMP/stty" ]; do
		[ "$SECONDS" -lt "$deadline" ] || fail "$1: stty did not run"
		sleep 0.1
	done
	tr ' ;' '\n\n' <"$TMP/stty" | grep -qx echo || fail "$1: echo is off: $(cat "$TMP/stty")"
	tr ' ;' '\n\n' <"$TMP/stty" | grep -qx icanon || fail "$1: icanon is off: $(cat "$TMP/stty")"
}

tt_start main 100 30

# --- the main menu and the status line ------------------------------------------------
tt_run main "$RUN; echo EXIT=\$?"
tt_wait main 基础信息
tt_has main 日常工作
tt_has main 考核通报
tt_has main "民情e站 · 龙湾区"
tt_has main "$name"
tt_has main demo_village
tt_has main 信息员
tt_has main "$unit"
tt_has main 已连接
# An officer has no function in assessment: the module is shown but does not open.
tt_keys main 3
tt_wait main "「考核通报」中没有属于您职责范围的功能"
tt_hasnt main 考核评分

# --- into a module with Down and Enter, and back with Esc ---------------------------------
tt_keys main Home Down Enter
tt_wait main 信息录入
tt_has main 我的待办
tt_has main 民情调处中心
tt_hasnt main 分流处理 # a handler's item, not an officer's
tt_keys main 4
tt_wait main 案件编号 # a centre: the cases of its categories
tt_keys main Escape
tt_wait main 便民服务中心
tt_keys main Escape
tt_wait main 关于

# --- the jurisdiction overview: what RLS lets demo_village see --------------------------
tt_keys main Home Enter
tt_wait main 辖区概况
tt_keys main 5
tt_wait main "户与人口"
tt_wait_re main "^ *户数 +$village_n( |\$)"
tt_has main 居民人数
tt_has main 党员人数
tt_has main 未联系党员的户数
tt_keys main Escape
tt_wait main 村情档案
tt_hasnt main 户与人口

# --- the help overlay ---------------------------------------------------------------------
tt_keys main '?'
tt_wait main "帮助：基础信息"
tt_has main 返回上一级
tt_has main 打开所选项
tt_keys main Space
tt_gone main "帮助：基础信息"
tt_has main 村情档案

# --- too small a window, then large enough again ---------------------------------------------
"${TT_TMUX[@]}" resize-window -t main -x 70 -y 20
tt_wait main 终端窗口太小
tt_has main 80x24
tt_has main 70x20
# ... however narrow, said whole on as many rows as it needs
"${TT_TMUX[@]}" resize-window -t main -x 30 -y 12
tt_wait main 30x12
tt_has main 80x24
tt_has main 按 q 退出
"${TT_TMUX[@]}" resize-window -t main -x 100 -y 30
tt_wait main 村情档案
tt_gone main 终端窗口太小

# --- About / my account ------------------------------------------------------------------
tt_keys main q
tt_wait main 关于
tt_menu main "关于 / 我的账户"
tt_wait main 数据结构版本
tt_has main demo_village
tt_has main 龙湾区
tt_has main PostgreSQL
tt_has main 套接字
tt_keys main Left
tt_wait main 日常工作

# --- q quits from the main menu; the terminal is as before ----------------------------------
tt_keys main q
tt_wait main EXIT=0
check_stty "after q"

# --- a second run ended by SIGTERM restores the terminal too ------------------------------
tt_run main "clear; bash -c 'echo \$\$ > $TMP/pid; exec $RUN'; echo EXIT=\$?"
tt_wait main 基础信息
pane_tty=$("${TT_TMUX[@]}" display-message -p -t main '#{pane_tty}')
# While the console runs, the terminal is raw: so the check below can fail.
stty -a -F "$pane_tty" | tr ' ;' '\n\n' | grep -qx -- -icanon ||
	fail "the console does not seem to have set up the terminal"
kill -TERM "$(cat "$TMP/pid")"
tt_wait main EXIT=143
check_stty "after SIGTERM"

# --- the same overview as demo_town counts the whole town ---------------------------------
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_town $MINQING; echo EXIT=\$?"
tt_wait main 基础信息
tt_has main 信息处理责任人
tt_keys main 1
tt_wait main 辖区概况
tt_keys main 5
tt_wait_re main "^ *户数 +$town_n( |\$)"
tt_keys main F10
tt_wait main EXIT=0

# --- colours, and monochrome when NO_COLOR is set ---------------------------------------------
# The title bar is white on blue in colour, reverse video without colour.
title_line() { "${TT_TMUX[@]}" capture-pane -t main -p -e -S 0 -E 0; }
tt_run main "clear; $RUN; echo EXIT=\$?"
tt_wait main 基础信息
title_line | grep -qF $'\e[44m' || fail "no blue title bar in colour: $(title_line | cat -v)"
tt_keys main F10
tt_wait main EXIT=0
tt_run main "clear; env NO_COLOR=1 $RUN; echo EXIT=\$?"
tt_wait main 基础信息
! title_line | grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7])m' || fail "colours despite NO_COLOR: $(title_line | cat -v)"
title_line | grep -qE $'\e\\[([0-9]+;)*7m' || fail "no reverse title bar without colour: $(title_line | cat -v)"
tt_keys main F10
tt_wait main EXIT=0

# --- English, chosen by a configuration file ------------------------------------------------
printf 'ui = { language = "en"; };\n' >"$TMP/en.conf"
tt_run main "clear; $RUN -c $TMP/en.conf; echo EXIT=\$?"
tt_wait main "Basic information"
tt_has main "Daily work"
tt_has main "Assessment and notification"
tt_has main "information officer"
tt_has main connected
tt_keys main F10
tt_wait main EXIT=0
echo "ok: console"
