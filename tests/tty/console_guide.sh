#!/usr/bin/env bash
# The user guide's screens are the console's (issue 11): every fenced block
# of docs/console.md is marked "<!-- capture: NAME -->" and is the capture
# NAME this test makes, so the guide cannot drift from the console again.
#
# The demo data are placed relative to the day and the hour they are loaded
# (the cases of this month on the results board, the countdowns, what is
# still waiting to be reported back), so the screens are made at one moment:
# on a cluster of the test's own (./dev.sh scratch) whose clock starts at
# 10:00 district time on Tuesday 2026-12-08 (MQ_GUIDE_CLOCK), whatever the
# day and the hour of the machine (UTC or not). On a database made there from
# the demo data (scale 1, seed 1), the console runs in tmux at exactly 80x24 and is driven to each
# screen the guide shows, as a person would: demo_village's menus, the
# intake form filled in, the category picker, the case saved; demo_town's
# inbox, triage, Find cases and Warnings; demo_supervisor's Reminders; the
# kiosk's menu and public pages; demo_village's news and bulletin board;
# demo_town's village archives (a section, its history, a difference). `minqing --keys` gives the key table. A screen is taken
# when two captures 0.3 s apart agree, and masked by tests/tty/guide.pl
# (dates, times, the clock, the year and the demo data's serials of case
# numbers, countdowns: what changes from run to run; the list is there and
# in docs/development.md).
#
# The guide with every block replaced by its fresh capture must be the
# guide: otherwise the test fails with the diff. With MQ_GUIDE_UPDATE=1
# (what `./dev.sh guide` runs) it writes the fresh captures into
# docs/console.md instead.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_guide_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
GUIDE=${MQ_GUIDE_DOC:-$MQ_SOURCE_DIR/docs/console.md}
[ -x "$MINQING" ] || fail "$MINQING is not built"
[ -f "$GUIDE" ] || fail "no user guide at $GUIDE"
TMP=$(mktemp -d)
scratch() {
	MQ_SCRATCH_DIR=$MQ_SOURCE_DIR/build/pg-guide MQ_SCRATCH_PORT=$((PGPORT + 2)) \
		MQ_SCRATCH_CLOCK=${MQ_GUIDE_CLOCK:-2026-12-08 10:00:00 +0800} bash "$MQ_SOURCE_DIR/dev.sh" scratch "$@"
}
cleanup() {
	tt_cleanup
	scratch stop >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT
eval "$(scratch 2>"$TMP/scratch.log")" || fail "the guide's cluster did not start: $(cat "$TMP/scratch.log")"
# Everything after (psql, the console in tmux) on that cluster.
export PGHOST=$MQ_SCRATCH_HOST PGPORT=$MQ_SCRATCH_PORT
echo "ok: the guide's cluster, its clock at $(psql -XqtA -U postgres -d postgres -c "SELECT now() AT TIME ZONE 'Asia/Shanghai'") district time"
tt_scratch_db

sql() { psql -XqtA -v ON_ERROR_STOP=1 -U "$1" -c "$2"; }
# The serials up to here are the demo data's: guide.pl masks them.
MQ_GUIDE_DEMO_CASES=$(sql postgres "SELECT coalesce(max(substring(case_no FROM '[0-9]+\$')::int), 0)
                                      FROM minqing.cases")
export MQ_GUIDE_DEMO_CASES
mkdir "$TMP/shots"

console() { # account
	tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGUSER=$1 $MINQING; echo EXIT=\$?"
	tt_wait main 已连接
}
quit() {
	tt_keys main F10
	tt_wait main EXIT=0
}
# shot NAME TEXT: wait for TEXT, then keep the masked screen once two
# captures 0.3 s apart agree (the clock is masked, so it settles).
shot() {
	local a b tries=0
	tt_wait main "$2"
	a=$(tt_screen main | perl "$here/guide.pl" mask)
	while :; do
		sleep 0.3
		b=$(tt_screen main | perl "$here/guide.pl" mask)
		[ "$a" != "$b" ] || break
		a=$b
		tries=$((tries + 1))
		[ "$tries" -lt 20 ] || fail "the screen of $1 does not settle"
	done
	grep -qF -- "$2" <<<"$a" || fail "$1: '$2' went from the screen"
	printf '%s\n' "$a" >"$TMP/shots/$1"
	echo "ok: captured $1"
}

tt_start main 80 24

# --- an information officer: menus, the intake form, the picker, the saved case ------------
console demo_village
shot main_menu "待办 0"
tt_keys main 2
shot work_menu "6  便民服务中心"
tt_keys main 1
tt_wait main 诉求内容
tt_keys main Tab
tt_keys main -l 村口路灯不亮
tt_keys main Tab
tt_keys main -l 村口的路灯坏了一个星期，晚上出行不便，请尽快维修。
tt_keys main Tab
shot intake_form "决定办理时限"
tt_keys main Enter
tt_wait main "查找："
tt_keys main -l 纠纷
shot category_picker "显示 4 行"
tt_keys main C-u
tt_keys main -l 道路环境
tt_wait main "显示 1 行"
tt_keys main Enter
tt_wait main "道路环境卫生 ▾"
tt_keys main Tab
tt_keys main -l 王小明
tt_keys main Tab
tt_keys main -l 13812345678
tt_wait main 13812345678
tt_keys main F2
shot case_saved "已保存：案件编号"
quit
CASE_ID=$(sql postgres "SELECT case_id FROM minqing.cases WHERE title = '村口路灯不亮'")
[ -n "$CASE_ID" ] || fail "the intake form did not save the case"

# --- a town's handler: the inbox, triage, Find cases, Warnings -------------------------------
console demo_town
tt_keys main 2
tt_wait main 分流处理
tt_keys main 2
shot inbox "我的待办   显示：全部"
tt_keys main Escape
tt_wait main 分流处理
tt_keys main 4
shot triage "分流处理   显示：待分流"
tt_keys main Escape
tt_wait main 分流处理
tt_keys main 3
tt_wait main "案件查询   "
tt_keys main f
tt_wait main "查找："
tt_keys main -l 路灯
tt_keys main Enter
shot find_cases "按字词查找：路灯"
tt_keys main Escape
tt_wait main 分流处理
tt_keys main Escape
tt_wait main 考核通报
tt_keys main 3
tt_wait main 预警督办
tt_keys main 2
shot warnings "预警督办   辖区："
quit

# --- a supervisor urges the case: Reminders --------------------------------------------------
sql demo_town "SELECT minqing.case_accept($CASE_ID)" >/dev/null
sql demo_supervisor "SELECT minqing.case_urge($CASE_ID, '请抓紧办理，群众等着回复')" >/dev/null
console demo_supervisor
tt_keys main 3
tt_wait main 提示催办
tt_keys main 1
shot reminders "提示催办   临近到期：3个工作日"
quit

# --- the kiosk: its menu and the public pages --------------------------------------------------
console demo_kiosk
tt_keys main 1
shot kiosk_menu "2  公告栏"
tt_keys main 3
shot public_commitments "服务承诺   条数："
tt_keys main Escape
tt_wait main 办理结果公示
tt_keys main 4
shot public_contacts "咨询举报电话   条数："
tt_keys main Escape
tt_wait main 办理结果公示
tt_keys main 6
shot public_results "办理结果公示   件数："
quit

# --- an information officer: news and the bulletin board ----------------------------------------
console demo_village
tt_keys main 1
tt_wait main 动态信息
tt_keys main 1
shot news "动态信息   类别：全部"
tt_keys main Escape
tt_wait main 未联系党员的农户
tt_keys main 3
shot bulletin "公告栏   显示：有效公告"
quit

# --- a town's handler: the village archives ------------------------------------------------------
console demo_town
tt_keys main 1
tt_wait main 村情档案
tt_keys main 2
shot archive_villages "村情档案   辖区："
tt_keys main Enter
tt_wait main "部分：8"
tt_keys main Enter
shot archive_section "e 修改概况"
# the history of a section saved more than once: 班子建设
tt_keys main Escape
tt_wait main "部分：8"
tt_keys main Down v
shot archive_history "修订历史   修订："
tt_keys main Enter
shot archive_changes "改动对比   对比：上一版本"
quit

# --- minqing --keys with a key of one's own --------------------------------------------------
printf 'keys = { accept = "F3"; };\n' >"$TMP/keys.conf"
# (The table, up to the explanation after it, which the guide says in its words.)
PGUSER=demo_village "$MINQING" -c "$TMP/keys.conf" --keys >"$TMP/keys.out" ||
	fail "minqing --keys failed: $(cat "$TMP/keys.out")"
sed '/^$/,$d' "$TMP/keys.out" >"$TMP/shots/keys"
grep -qF '（您的按键：F3）' "$TMP/shots/keys" || fail "minqing --keys does not mark the key of one's own"
echo "ok: captured keys (minqing --keys)"

# --- the guide against the captures ----------------------------------------------------------
perl "$here/guide.pl" splice "$GUIDE" "$TMP/shots" >"$TMP/guide.md" ||
	fail "the blocks of $GUIDE do not match the captures (above)"
if [ "${MQ_GUIDE_UPDATE:-}" = 1 ]; then
	if cmp -s "$GUIDE" "$TMP/guide.md"; then
		echo "ok: $GUIDE is up to date"
	else
		cat "$TMP/guide.md" >"$GUIDE"
		echo "updated: $GUIDE (review it with git diff)"
	fi
	exit 0
fi
if ! diff -u --label "$GUIDE" --label "the console now" "$GUIDE" "$TMP/guide.md"; then
	echo "FAIL: the screens in $GUIDE differ from the console's (diff above: - the guide, + the console)." >&2
	echo "If the console is right, regenerate them with ./dev.sh guide (or MQ_GUIDE_UPDATE=1 on this test) and review git diff." >&2
	exit 1
fi
echo "ok: every screen of $GUIDE is the console's"
