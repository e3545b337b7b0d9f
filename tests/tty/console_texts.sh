#!/usr/bin/env bash
# Text at 80x24 in a real terminal (issue 11: mixed languages and cut text):
# what the console shows is whole, never cut where a person must read it.
#
#   - The case screen's actions: each "key label" whole, on as many rows as
#     they need (a town handler has eight on a case in progress).
#   - The case screen's labels ("联系党员/代表", "Linked contact") and a
#     form's ("Reason for the delay") whole, in Chinese and in English; a
#     label too long for a column beside its field on a row above it.
#   - A form's help at the bottom: whole, on as many rows as it needs.
#   - The help box (F1): every line whole, broken into rows where it is
#     long; when it does not fit the box (triage's, in English) it scrolls, says so ("↓ more") and
#     ↓ does not close it; closed, the screen under it is whole again.
#   - Text broken into lines by the rules of Chinese: the result SMS (in
#     the case's timeline and in the report-back notice) keeps the case
#     number on one row, and no row starts with closing punctuation (a
#     title whose 31st character is "，").
#   - The publication lookup (kiosk): the result whole, the progress in
#     the person's words.
#   - The time promise of a case whose clock stopped: resolved (and closed)
#     in time or late, measured at the resolution; paused, the time it had
#     left when it was paused.
#
# Every check runs to the end and the failures are counted, so one run
# shows all that is wrong. Runs in a scratch database of its own (the
# suite runs tests in parallel).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_texts_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
TMP=$(mktemp -d)
cleanup() {
	tt_cleanup
	rm -rf "$TMP"
}
trap cleanup EXIT
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }
as() { psql -qXtA -U "$1" -v ON_ERROR_STOP=1 -c "$2"; }

tt_scratch_db
printf 'ui = { language = "en"; };\n' >"$TMP/en.conf"

failures=0
bad() { # message: a failed check, the screen with it; the test goes on
	echo "FAIL: $*" >&2
	echo "--- screen ---" >&2
	tt_screen main >&2 || true
	echo "---" >&2
	failures=$((failures + 1))
}
ok_at=0
ok() { # message: said when no check failed since the last one
	[ "$failures" -gt "$ok_at" ] || echo "ok: $*"
	ok_at=$failures
}
# check_has TEXT WHAT / check_hasnt TEXT WHAT: on the screen now (or not)
check_has() { tt_screen main | grep -qF -- "$1" || bad "$2: '$1' is not on the screen"; }
check_hasnt() { ! tt_screen main | grep -qF -- "$1" || bad "$2: '$1' is on the screen"; }
# No row of the screen starts with closing punctuation (after its margin).
check_starts() { # what
	local rows
	rows=$(tt_screen main | grep -E '^ *[，。、；：？！）」』】》〉…,.;:?!)]' || true)
	[ -z "$rows" ] || bad "$1: a row starts with closing punctuation: $rows"
}
# key KEY...: one key, then let the console redraw before the next.
key() {
	local k
	for k in "$@"; do
		tt_keys main "$k"
		sleep 0.25
	done
}
console() { # account [config]
	tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGUSER=$1 $MINQING ${2:+-c $2}; echo EXIT=\$?"
	tt_wait_re main '基础信息|Basic information'
}
quit() {
	tt_keys main F10
	tt_wait main EXIT=0
}
# Open case NO from the main menu: 日常工作 > 案件查询, Find by its number.
open_case() { # no
	tt_keys main 2
	tt_wait_re main '日常工作|Daily work'
	tt_keys main 3
	tt_wait_re main '案件编号|Case no'
	tt_keys main f
	tt_wait_re main '查找：|Find:'
	tt_keys main -l "$1"
	tt_keys main Enter
	tt_wait_re main "(件数|Cases)[：:] ?1"
	tt_keys main Enter
	tt_wait_re main "^  $1  "
}

# --- the cases -----------------------------------------------------------------------------------
cat=$(q "SELECT k.category_id FROM minqing.case_category k JOIN minqing.staff s USING (district_id)
          WHERE k.code = 'SVC_OTHER' AND s.login = 'demo_village'")
hh=$(q "SELECT h.household_id FROM minqing.household h
         WHERE h.path::text LIKE 'LW.T01.T01V01%'
           AND EXISTS (SELECT 1 FROM minqing.household_link l WHERE l.household_id = h.household_id)
         ORDER BY h.household_id LIMIT 1")
[ -n "$hh" ] || fail "no household of T01V01 with a linked contact"
# The heading's first row holds the case number, two spaces and 30 characters
# of the title at 80 columns: its 31st is a comma.
title='村民反映村口至小学门前道路两侧路灯长期不亮而且线路老化严重了，请尽快派人检修'
in_progress() { # title: a new case of demo_village, accepted, dispatched, started: its id
	local id
	id=$(as demo_village "SELECT case_id FROM minqing.case_intake('walk_in', '$1',
	       '终端测试：文字在八十乘二十四的屏幕上完整显示。', $cat, '王小明', '13812345678', $hh)")
	as demo_town "SELECT minqing.case_accept($id)" >/dev/null
	as demo_town "SELECT minqing.case_dispatch($id, 'T01V01', 'handler_t01v01')" >/dev/null
	as handler_t01v01 "SELECT minqing.case_start($id)" >/dev/null
	echo "$id"
}
id=$(in_progress "$title")
no=$(q "SELECT case_no FROM minqing.cases WHERE case_id = $id")

tt_start main 80 24

# --- the case screen in Chinese: actions, labels, the title ---------------------------------------
console demo_town
open_case "$no"
# A town handler's actions on a case in progress: eight, each whole.
for a in 'd 分流交办' 'p 办理进展' 'x 办结' 't 退回' 'z 暂停计时' 'e 申请延期' 'w 撤回' 'u 催办'; do
	check_has "$a" "the case screen's actions"
done
check_hasnt '…' "the case screen cuts nothing"
ok "the case screen shows each of its eight actions whole at 80x24"
check_starts "the case's heading"
# (the title broken before the character ahead of its comma)
tt_screen main | grep -qE "^  $no  .*老化严重\$" || bad "the title's first row does not end before '了，'"
ok "the title's second row does not start with its comma"
for _ in 1 2 3 4 5 6; do key Down; done
tt_wait main 联系党员
check_has '联系党员/代表  ' "the label of the linked contact"
ok "the label 联系党员/代表 is whole"

# The help: each action whole.
key F1
tt_wait main '帮助：案件详情'
for a in 受理 当场办结 调整类别 分流交办 开始办理 办理进展 办结 退回 暂停计时 恢复计时 申请延期 审批延期 \
	反馈群众 回访关闭 撤回 催办; do
	check_has "$a" "the case screen's help"
done
check_hasnt '…' "the case screen's help cuts nothing"
key Escape
tt_gone main '帮助：'
ok "the case screen's help names every action whole"
key Escape Escape Escape
tt_wait main 基础信息

# A list's help: its long line broken into two rows, not cut.
tt_keys main 2
tt_wait main 日常工作
tt_keys main 2
tt_wait main 我的待办
key F1
tt_wait main '帮助：我的待办'
check_has '筛选已载入的行（Enter 保留，Esc 清除）' "the inbox's help"
check_hasnt '…' "the inbox's help cuts nothing"
key Escape
ok "the inbox's help shows its lines whole"
quit

# --- in English: labels, a form, the help that scrolls --------------------------------------------
console demo_town "$TMP/en.conf"
open_case "$no"
for a in 'd dispatch' 'p progress' 'x resolve' 't return' 'z pause' 'e ask for more time' 'w withdraw' 'u urge'; do
	check_has "$a" "the case screen's actions in English"
done
for _ in 1 2 3 4 5 6; do key Down; done
tt_wait main 'Linked'
check_has 'Linked contact  ' "the label of the linked contact in English"
check_hasnt '…' "the case screen in English cuts nothing"
ok "the case screen in English: actions and labels whole"
key F1
tt_wait main 'Help: Case detail'
# (the help may scroll: every line is looked for on every page; a label's
# own spaces are no-break spaces, read as spaces here)
nbsp() { sed 's/\xc2\xa0/ /g'; }
seen=$(tt_screen main | nbsp)
for _ in 1 2 3 4 5 6 7 8; do
	tt_screen main | grep -qF '↓ more' || break
	key Down
	seen+=$'\n'$(tt_screen main | nbsp)
done
for a in 'accept, resolve at once, category, dispatch' 'ask for more time' 'decide extension' \
	'report back, close, withdraw, urge'; do
	grep -qF -- "$a" <<<"$seen" || bad "the case screen's help in English lacks '$a'"
done
! grep -qF '…' <<<"$seen" || bad "the case screen's help in English cuts a line: $(grep -F '…' <<<"$seen")"
key Escape
tt_gone main 'Help: '
ok "the case screen's help in English names every action whole"
# A form's labels: the longest in English is whole.
key x
tt_wait main 'Reason for'
check_has 'Reason for the delay' "the resolve form's longest label in English"
check_hasnt '…' "the resolve form in English"
ok "the resolve form's labels are whole in English"
key Escape
tt_wait main 'Case detail'
key Escape Escape Escape
tt_wait main 'Basic information'

# Triage's help in English is longer than its box (19 rows): it scrolls and says so.
tt_keys main 2
tt_wait main 'Daily work'
tt_keys main 4
tt_wait main 'Triage and dispatch'
key F1
tt_wait main 'Help: Triage and dispatch'
check_has '↓ more' "the long help's sign that there is more"
check_hasnt 'redraw the screen' "the long help's last line (below the box)"
key Down
if tt_screen main | grep -qF 'Help: Triage and dispatch'; then
	key NPage
	check_has 'redraw the screen' "the long help scrolled to its end"
	check_has '↑ more' "the long help's sign that there is more above"
	ok "triage's help in English scrolls with ↓ and shows there is more"
else
	bad "↓ closed a help with more to show"
fi
key Escape
tt_gone main 'Help: '
quit

# --- the help closes cleanly over a form ----------------------------------------------------------
console demo_town
open_case "$no"
key x
tt_wait main 超期原因
key F1
tt_wait main '帮助：办结'
key Space
tt_gone main '帮助：'
sleep 0.3
tt_screen main | grep -qE '^ +超期原因 *$' ||
	bad "after the help closed, the resolve form's row reads: $(tt_screen main | grep -F 期原因)"
ok "after the help closes, the form under it is whole"
key Escape
tt_wait main 案件详情
quit

# --- a form's help, whole at the bottom ----------------------------------------------------------
# The entry form's own help (on its buttons) is wider than the screen: two rows.
console demo_village
tt_keys main 2
tt_wait main 信息录入
tt_keys main 1
tt_wait main 诉求内容
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do key Tab; done
tt_wait main '提交 (F2)'
help='记录群众反映的诉求、投诉或咨询。提交后显示案件编号和近30天内同一电话的相似案件。'
tt_screen main | tr -d ' \n' | grep -qF "$help" || bad "the entry form's help is not whole: $(tt_screen main | tail -4)"
check_hasnt '…' "the entry form on its buttons"
ok "the entry form's help is whole, on two rows"
key Escape
quit

# --- a label too long for a column: on a row of its own ---------------------------------------------
# The forms of a station whose resolve form has a label of 50 columns: beside
# it an input would have less than 30, so every label of the form is drawn
# above its field, whole.
mkdir -p "$TMP/forms"
cp "$MQ_SOURCE_DIR"/forms/* "$TMP/forms/"
long='超过办理时限的原因（请写明协调过程、等待事项和预计完成日期）'
sed -i "s/zh = \"超期原因\"/zh = \"$long\"/" "$TMP/forms/case_resolve.form"
grep -qF "$long" "$TMP/forms/case_resolve.form" || fail "the long label is not in the copied form"
printf 'forms = { dir = "%s"; };\n' "$TMP/forms" >"$TMP/forms.conf"
console demo_town "$TMP/forms.conf"
open_case "$no"
key x
tt_wait main 超过办理时限
tt_screen main | grep -qE "^  $long\$" || bad "the long label is not whole on a row of its own"
tt_screen main | grep -qE '^  办理结果\*$' || bad "the form's other labels are not on rows of their own"
check_hasnt '…' "the form with a long label"
ok "a label too long for the column is whole on a row above its field"
key Escape
tt_wait main 案件详情
quit

# --- the result SMS, broken by the rules ----------------------------------------------------------
result='已更换村口至小学门前道路两侧的路灯灯泡并更新老化线路，经夜间检查照明正常。'
as handler_t01v01 "SELECT minqing.case_resolve($id, '$result')" >/dev/null
console demo_village
open_case "$no"
# Finished: measured at its resolution (the deadline is days away).
check_has '(按时办结)' "a case resolved in time"
ok "a resolved case reads 按时办结"
key End
tt_wait main '短信'
sms=$(tt_screen main | grep -F '（LW' || true)
grep -qF "（$no）" <<<"$sms" || bad "the timeline's SMS splits the case number: $sms"
check_starts "the timeline"
ok "the timeline's SMS keeps $no on one row"
key b
tt_wait main 反馈情况
key F2
tt_wait main '发给群众的短信'
grep -qF "（$no）" <<<"$(tt_screen main)" || bad "the report-back notice splits the case number"
check_starts "the report-back notice"
ok "the report-back notice keeps $no on one row"
key F2
tt_wait main '已完成：反馈群众'
quit

# Closed, resolved late: 3 days 2 hours past its deadline.
as demo_village "SELECT minqing.case_close($id, 'satisfied')" >/dev/null
q "UPDATE minqing.cases SET due_at = resolved_at - interval '3 days 2 hours' WHERE case_id = $id"
console demo_village
open_case "$no"
check_has '(超期 3天2小时办结)' "a closed case resolved late"
check_hasnt '已超期' "a closed case does not count on from now"
ok "a closed case resolved late reads 超期 3天2小时办结"
quit

# The publication lookup at the kiosk: the result whole on two rows, the
# progress in Chinese.
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_kiosk $MINQING; echo EXIT=\$?"
tt_wait main 公示查询
tt_keys main 1
tt_wait main 公告栏
tt_keys main 1
tt_wait main 手机后四位
tt_keys main -l "$no"
tt_keys main Tab
tt_keys main -l 5678
tt_keys main F2
tt_wait main 办理结果
tt_screen main | tr -d ' \n' | grep -qF "$result" || bad "the publication's result is not whole"
check_hasnt '…' "the publication"
check_has '办理进度  已关闭' "the publication's progress in the person's words"
ok "the publication lookup shows the result whole and the progress in Chinese"
quit

# Paused a day ago with about five days left: the time it had, not less.
id2=$(in_progress '暂停计时的案件')
no2=$(q "SELECT case_no FROM minqing.cases WHERE case_id = $id2")
as handler_t01v01 "SELECT minqing.case_pause($id2, '等群众补充照片')" >/dev/null
q "UPDATE minqing.cases SET paused_at = now() - interval '1 day',
          due_at = now() - interval '1 day' + interval '5 days 3 hours 20 minutes' WHERE case_id = $id2"
console demo_town
open_case "$no2"
check_has '(计时暂停，暂停时剩余 5天3小时)' "a paused case"
ok "a paused case reads 计时暂停，暂停时剩余 5天3小时"
quit

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed" >&2; exit 1; }
echo "all ok"
