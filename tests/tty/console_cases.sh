#!/usr/bin/env bash
# The whole life of a case in real terminals, three consoles at once, as the
# people of the demo district would do it:
#
#   demo_village (officer, village T01V01) enters a case in Chinese, with
#     backspace, cursor moves and Home in the title, picks the category from
#     the centre tree, saves, sees the case number, and finds the case again
#     by a word of its title;
#   demo_town (the town's handler) finds it in the inbox (triage of what the
#     villages receive), accepts it and dispatches it to the village and its
#     handler;
#   handler_t01v01, whose inbox is open all along, sees it arrive without a
#     key press (within 2 s: LISTEN in the input loop), starts and resolves
#     it;
#   demo_village reports back, seeing the SMS that goes to the resident; the
#     SMS is then delivered by minqing-notify to a spool directory.
#
# Then a conflict: two people open the same case; one records progress, the
# other's form (opened before) is refused with "changed by someone else",
# keeps its text, reloads with F5 and submits. And the layout at 80x24 (the
# title bar and status line laid out for 80 columns, the case's heading row
# exact).
#
# Every search waits for its own label ("按案件编号查找：…   件数：1") and checks
# the rows found, since the case sought is often on the screen before.
#
# Runs in a scratch database of its own (the suite runs tests in parallel).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_cases_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
ADMIN=$MQ_BUILD_DIR/minqing-admin
NOTIFY=$MQ_BUILD_DIR/minqing-notify
SPOOL=$(mktemp -d)
DRAINER=notify_tty_$$
cleanup() {
	tt_cleanup
	psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $PGDATABASE WITH (FORCE)" \
		-c "DROP ROLE IF EXISTS $DRAINER" >/dev/null 2>&1 || true
	rm -rf "$SPOOL"
}
trap cleanup EXIT
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }

psql -qX -U postgres -d postgres -c "CREATE DATABASE $PGDATABASE" >/dev/null
PGUSER=postgres "$ADMIN" migrate >/dev/null
PGUSER=postgres "$ADMIN" demo-data --scale 1 --seed 1 >/dev/null

console() { # session account [cols rows]
	tt_start "$1" "${3:-100}" "${4:-30}"
	tt_run "$1" "env LANG=C.UTF-8 TERM=tmux-256color PGUSER=$2 $MINQING 2>$SPOOL/$1.err; echo EXIT=\$?"
	tt_wait "$1" 基础信息
}

# The case numbers of a list on the screen, in order.
shown_cases() { # session
	tt_screen "$1" | grep -oE '^[ >][ YOR] [A-Z]+-[0-9]{4}-[0-9]+' | cut -c4- || true
}
# Move the selection ('>') down to the row of case NO: each Down waits for
# the selection to move (no fixed pause between key and screen).
select_case() { # session no
	local sel before deadline
	for _ in $(seq 1 30); do
		sel=$(tt_screen "$1" | grep -oE '^>[ YOR] [A-Z]+-[0-9]{4}-[0-9]+' | cut -c4- || true)
		[ "$sel" = "$2" ] && return 0
		before=$sel
		tt_keys "$1" Down
		deadline=$((SECONDS + 5))
		while [ "$(tt_screen "$1" | grep -oE '^>[ YOR] [A-Z]+-[0-9]{4}-[0-9]+' | cut -c4- || true)" = "$before" ]; do
			[ "$SECONDS" -lt "$deadline" ] || fail "Down did not move the selection from '$before' towards $2"
			sleep 0.05
		done
	done
	fail "$2 could not be selected"
}
# Find cases by a case number: wait for the search's own label, exactly one
# row, that number.
find_case_no() { # session no
	tt_keys "$1" f
	tt_wait "$1" 查找：
	tt_keys "$1" -l "$2"
	tt_keys "$1" Enter
	tt_wait "$1" "按案件编号查找：$2   件数：1"
	[ "$(shown_cases "$1")" = "$2" ] || fail "the search for $2 shows [$(shown_cases "$1" | tr '\n' ' ')]"
}

# --- the handler's inbox is open before anything happens -------------------------------------
console handler handler_t01v01
tt_keys handler 2
tt_wait handler 我的待办
tt_keys handler 2
tt_wait handler 案件编号

# --- demo_village enters a case in Chinese -----------------------------------------------------
console village demo_village
tt_keys village 2
tt_wait village 信息录入
tt_keys village 1
tt_wait village 诉求内容
tt_keys village Tab
tt_keys village -l '路灯不亮了啊'
tt_keys village BSpace Left Left
tt_keys village -l '很'
tt_keys village Home
tt_keys village -l '村口'
tt_wait village '村口路灯不很亮了'
tt_keys village Tab
tt_keys village -l '村口的路灯坏了一个星期，晚上出行很不方便，老人小孩容易摔倒，请尽快派人维修。'
tt_keys village Tab Enter
tt_wait village 民情调处中心
tt_keys village -l '道路'
tt_wait village 道路环境卫生
tt_keys village Enter
tt_wait village 道路环境卫生
tt_keys village Tab
tt_keys village -l '王小明'
tt_keys village Tab
tt_keys village -l '13812345678'
tt_keys village F2
tt_wait_re village '已保存：案件编号 LW-[0-9]{4}-[0-9]{6}'
case_no=$(tt_screen village | grep -oE 'LW-[0-9]{4}-[0-9]{6}' | head -1)
[ -n "$case_no" ] || fail "no case number on the screen"
got=$(q "SELECT title || '|' || content || '|' || submitter_name || '|' || submitter_phone
           FROM minqing.cases WHERE case_no = '$case_no'")
want='村口路灯不很亮了|村口的路灯坏了一个星期，晚上出行很不方便，老人小孩容易摔倒，请尽快派人维修。|王小明|13812345678'
[ "$got" = "$want" ] || fail "saved as '$got', typed '$want'"
echo "ok: entered $case_no in Chinese with backspace, cursor moves and Home"
tt_has village 道路环境卫生

# Find it again by words of its title (two characters are enough).
tt_keys village Escape
tt_wait village 案件查询
tt_keys village 3
tt_wait village 案件编号
tt_keys village f
tt_wait village 查找：
tt_keys village -l '不很亮'
tt_keys village Enter
# (the new case tops the list of every case before the search too: wait for
# the search's own label, then the exact rows, as demo_village sees them in SQL)
want=$(PGUSER=demo_village psql -XqtA -c "SELECT case_no FROM minqing.cases
         WHERE position('不很亮' in title || ' ' || content || ' ' || coalesce(submitter_name, '')) > 0
         ORDER BY created_at DESC, case_id DESC")
[ "$want" = "$case_no" ] || fail "demo_village should see $case_no alone with 不很亮, sees [$want]"
tt_wait village "按字词查找：不很亮   件数：1"
[ "$(shown_cases village)" = "$want" ] || fail "the search for 不很亮 shows [$(shown_cases village | tr '\n' ' ')]"
echo "ok: found by a word of the title, and nothing else"
tt_keys village Escape Escape
tt_wait village 基础信息

# --- demo_town triages: accept, dispatch to the village and its handler --------------------------
console town demo_town
tt_keys town 2
tt_wait town 分流处理
tt_keys town 4
tt_wait town "$case_no"
echo "ok: the new case waits in the town's triage list"
tt_keys town Escape
tt_wait town 分流处理
tt_keys town 3
tt_wait town 案件编号
find_case_no town "$case_no"
tt_keys town Enter
tt_wait town 案件详情
tt_wait town 村口路灯不很亮了
tt_keys town a
tt_wait town 提交
tt_keys town F2
tt_wait town '已完成：受理'
# accepted: the detail shows the deadline and the time left, worded in
# Chinese as in the lists (it once read "剩余 4d 17h")
tt_wait town 办理期限
dl=$(tt_screen town | grep 办理期限)
[[ $dl == *剩余* ]] && ! grep -qE '[0-9]+[dh]( |\)|$)' <<<"$dl" ||
	fail "the deadline line reads: $dl"
echo "ok: the time left is in Chinese: $(sed 's/^ *//' <<<"$dl")"
# The village handler's inbox (open all along) has it too, as received at the
# village and accepted by the town, not yet dispatched.
row_reads() { # session no "status|…|handler" [seconds]
	local deadline=$((SECONDS + ${4:-10})) got
	until got=$(tt_cells "$1" 案件编号 "$2" | cut -d'|' -f4,9) && [ "$got" = "$3" ]; do
		[ "$SECONDS" -lt "$deadline" ] || fail "the row of $2 reads '$got' (status|handler), want '$3'"
		sleep 0.1
	done
}
town_name=$(q "SELECT display_name FROM minqing.staff WHERE login = 'demo_town'")
vh_name=$(q "SELECT display_name FROM minqing.staff WHERE login = 'handler_t01v01'")
row_reads handler "$case_no" "已受理|$town_name"
tt_keys town d
tt_wait town 承办单位
tt_keys town Enter
tt_wait town 查找
tt_keys town -l 'T01V01'
tt_wait town 天兴社区
tt_keys town Enter
tt_wait town 承办责任人
tt_keys town Tab Enter
tt_wait town 查找
tt_keys town Enter
tt_wait town 承办责任人
tt_keys town F2
tt_wait town '已完成：分流交办'
dispatched=$(date +%s%N)
got=$(q "SELECT c.status || ' ' || s.login FROM minqing.cases c JOIN minqing.staff s
           ON s.staff_id = c.handler_staff_id WHERE case_no = '$case_no'")
[ "$got" = "dispatched handler_t01v01" ] || fail "after dispatch: '$got'"
echo "ok: accepted and dispatched by demo_town"

# --- it appears in the handler's open inbox without a key press ----------------------------------
row_reads handler "$case_no" "已交办|$vh_name"
echo "ok: the handler's open inbox shows the case dispatched to them by itself ($((($(date +%s%N) - dispatched) / 1000000)) ms after the message)"
select_case handler "$case_no"
tt_keys handler Enter
tt_wait handler 村口路灯不很亮了
tt_keys handler s
tt_wait handler 提交
tt_keys handler F2
tt_wait handler '已完成：开始办理'
tt_keys handler x
tt_wait handler 办理结果
tt_keys handler -l '已更换村口路灯灯泡，经夜间检查照明正常。'
tt_keys handler F2
tt_wait handler '已完成：办结'
echo "ok: started and resolved by the village handler"

# --- the officer reports back and sees the SMS going out -----------------------------------------
tt_keys village 2
tt_wait village 我的待办
tt_keys village 2
tt_wait village "$case_no"
select_case village "$case_no"
tt_keys village Enter
tt_wait village 村口路灯不很亮了
tt_keys village b
tt_wait village 反馈
tt_keys village F2
tt_wait village '发给群众的短信'
tt_has village '经夜间检查照明正常'
tt_keys village F2
tt_wait village '已完成：反馈群众'
[ "$(q "SELECT status FROM minqing.cases WHERE case_no = '$case_no'")" = reported ] ||
	fail "the case is not reported back"
echo "ok: reported back, the SMS shown before confirming"

q "CREATE ROLE $DRAINER LOGIN IN ROLE mq_notifier" >/dev/null
PGUSER=$DRAINER "$NOTIFY" --transport spool --spool-dir "$SPOOL" --once >/dev/null
grep -l "$case_no" "$SPOOL"/*.txt >/dev/null 2>&1 || fail "no SMS with $case_no in the spool"
sms=$(grep -l "$case_no" "$SPOOL"/*.txt | head -1)
[ "$(head -1 "$sms")" = 13812345678 ] || fail "the SMS goes to $(head -1 "$sms")"
grep -q '已更换村口路灯灯泡' "$sms" || fail "the SMS lacks the result: $(cat "$sms")"
echo "ok: the result SMS reached the spool"

# --- a concurrent edit is never silently overwritten ---------------------------------------------
# A second case, dispatched to the village handler, opened by the handler and
# by the town; the town opens a progress form, the handler records progress
# first; the town's submit is refused, keeps its text, reloads and succeeds.
id2=$(q "SELECT case_id FROM minqing.cases WHERE status = 'in_progress'
          AND assigned_unit_id = (SELECT unit_id FROM minqing.org_unit WHERE code = 'T01V01') LIMIT 1")
if [ -z "$id2" ]; then
	id2=$(PGUSER=demo_village psql -qXtA -c "SELECT case_id FROM minqing.case_intake('walk_in', '并发测试',
		'两人同时处理同一件事', (SELECT category_id FROM minqing.case_category WHERE code = 'SVC_ENVIRONMENT'), '李四')")
	PGUSER=demo_town psql -qXtA -c "SELECT minqing.case_accept($id2)" >/dev/null
	PGUSER=demo_town psql -qXtA -c "SELECT minqing.case_dispatch($id2, 'T01V01', 'handler_t01v01')" >/dev/null
	PGUSER=handler_t01v01 psql -qXtA -c "SELECT minqing.case_start($id2)" >/dev/null
fi
no2=$(q "SELECT case_no FROM minqing.cases WHERE case_id = $id2")
for who in handler town; do
	tt_keys $who Escape Escape Escape Escape
	tt_wait $who 基础信息
	tt_keys $who 2
	tt_wait $who 案件查询
	tt_keys $who 3
	tt_wait $who 案件编号
	find_case_no $who "$no2"
	tt_keys $who Enter
	tt_wait $who 案件详情
	tt_wait_re $who "^  $no2  "
done
tt_keys town p
tt_wait town 办理进展
tt_keys town -l '镇里已协调电力公司'
# (a progress note changes nothing of the case; pausing it does)
tt_keys handler z
tt_wait handler 暂停原因
tt_keys handler -l '等群众补充照片'
tt_keys handler F2
tt_wait handler '已完成：暂停计时'
tt_keys town F2
tt_wait town '已有他人修改过它'
tt_has town '镇里已协调电力公司'
tt_keys town F5
tt_wait town '案件已重新读取'
tt_keys town F2
tt_wait town '已完成'
n=$(q "SELECT count(*) FROM minqing.case_event WHERE case_id = $id2
        AND ((kind = 'progress' AND note = '镇里已协调电力公司') OR (kind = 'pause' AND note = '等群众补充照片'))")
[ "$n" = 2 ] || fail "expected the pause and the progress note recorded, found $n"
echo "ok: a concurrent change is refused, the form keeps its text, F5 reloads, then it is saved"

# --- 80x24 and back ------------------------------------------------------------------------------
"${TT_TMUX[@]}" resize-window -t town -x 80 -y 24
tt_keys town C-l
tt_wait town 案件详情
# (capture-pane never returns more than 80 columns here: what is checked is
# that the title bar and the status line are laid out for 80 columns, each
# ending in its last column but one, their right parts whole; the left of
# the status line may be an alert of the inbox for a few seconds)
title2=$(q "SELECT title FROM minqing.cases WHERE case_id = $id2")
width() { perl -CSD -ne 'chomp; my $w = () = /./g; $w += () = /[\p{Ea=W}\p{Ea=F}]/g; print $w'; }
deadline=$((SECONDS + 10))
until [ "$(tt_screen town | sed -n 1p | width)" = 79 ] &&
	tt_screen town | sed -n 1p | grep -qE '^ 民情e站 · 龙湾区 .* > 案件详情$' &&
	[ "$(tt_screen town | sed -n 24p | width)" = 79 ] &&
	tt_screen town | sed -n 24p | grep -qE '^ .+ 待办 [0-9]+ \| 已连接 \| [0-9]{2}:[0-9]{2}:[0-9]{2}$'; do
	[ "$SECONDS" -lt "$deadline" ] || fail "the title bar or the status line is not laid out for 80 columns"
	sleep 0.1
done
tt_wait_re town "^  $no2  $title2\$"
tt_layout town 80 24 "the case detail at 80x24"
"${TT_TMUX[@]}" resize-window -t town -x 100 -y 30
tt_keys town C-l
tt_wait town "$no2"
echo "ok: the case detail holds at 80x24 and back"

for s in handler village town; do
	tt_keys $s F10
	tt_wait $s EXIT=0
	[ ! -s "$SPOOL/$s.err" ] || fail "stderr of $s: $(cat "$SPOOL/$s.err")"
done
echo "all ok"
