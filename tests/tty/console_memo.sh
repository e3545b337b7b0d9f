#!/usr/bin/env bash
# 户情民意 on the console, at 80x24, as a village officer, with the machine
# and the server's session at UTC, on a database of its own (the test saves
# a memo and makes a case):
#
#   - Basic information › 户情民意 › 户情查询: f and two characters of a head's
#     name (typed a key at a time) find the household; the heading says how
#     the search was read; Enter opens its card with its members;
#   - e edits the memo in Chinese; F2 saves it as a new revision, the card
#     shows it, v the history and Enter what changed;
#   - a records a demand; d lists it 待解决; c turns it into a case: the intake
#     form filled with the demand, a category picked, F2; the message says the
#     case number, the demand shows 已转案件 with it, and the case is the
#     household's in the database with the head as the submitter.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_memo_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
trap tt_cleanup EXIT
tt_scratch_db
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }

# A household of the officer's village whose head's name has three
# characters and whose last two find it alone.
read -r hid hno head < <(q "
	SELECT h.household_id, h.household_no, r.name
	  FROM minqing.household h JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	  JOIN minqing.staff s ON s.login = 'demo_village' AND s.unit_id = h.unit_id
	 WHERE char_length(r.name) = 3 AND h.active
	   AND (SELECT count(*) FROM minqing.resident x JOIN minqing.household y ON y.head_resident_id = x.resident_id
	         WHERE y.unit_id = h.unit_id AND x.name LIKE '%' || right(r.name, 2) || '%') = 1
	 ORDER BY h.household_no LIMIT 1" | tr '|' ' ')
[ -n "$hid" ] || fail "no household of the village has a head with a name to find alone"
frag=${head:1:2}
revs=$(q "SELECT coalesce(max(revision_no), 0) FROM minqing.household_memo_revision WHERE household_id = $hid")

tt_start main 80 24
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color TZ=UTC PGTZ=UTC PGUSER=demo_village $MINQING; echo EXIT=\$?"
tt_wait main 基础信息
tt_keys main 1
tt_wait main 户情民意
tt_keys main 4
tt_wait main 户情查询
tt_keys main 1
tt_wait main "户情查询   全部农户"
tt_keys main f
tt_wait main 查找农户
for ch in $(grep -o . <<<"$frag"); do
	tt_keys main -l "$ch"
	sleep 0.05
done
tt_keys main Enter
tt_wait main "按姓名或住址查找：$frag"
tt_wait main "户数：1"
tt_screen main | grep -qE "^>$hno +$head " || fail "the household $hno of $head is not the one row"
tt_layout main 80 24 "the household search"
echo "ok: f and two characters of the head's name ($frag) find household $hno alone"

tt_keys main Enter
tt_wait main "  $hno"
tt_wait main 家庭成员
tt_has main "户主        $head"
tt_has main "e 修改备忘录"
echo "ok: Enter opens the card of $hno with its members"

tt_keys main e
tt_wait main 修改户情民意备忘录
tt_keys main -l "家中老人行动不便"
tt_keys main Tab
tt_keys main -l "屋顶漏雨"
tt_keys main F2
tt_wait main 已保存
tt_wait main "备忘录版本  $((revs + 1))"
tt_has main 屋顶漏雨
[ "$(q "SELECT difficulties FROM minqing.household_memo WHERE household_id = $hid")" = 屋顶漏雨 ] ||
	fail "the memo's difficulties are not saved"
tt_keys main v
tt_wait main "备忘录修订历史   修订：$((revs + 1))"
tt_keys main Enter
tt_wait main 改动对比
tt_has main 屋顶漏雨
tt_keys main Escape
tt_wait main 备忘录修订历史
tt_keys main Escape
tt_wait main "e 修改备忘录"
echo "ok: e saves the memo as revision $((revs + 1)); v and Enter show what changed"

tt_keys main a
tt_wait main 记录群众诉求
tt_keys main -l "请求修缮屋顶"
tt_keys main F2
tt_wait main 已保存
# the demands come after the memo and the members: the end of the card
tt_keys main End
tt_wait main "【待解决】请求修缮屋顶"
tt_keys main d
tt_wait main "群众诉求   条数：1"
tt_screen main | grep -qE '^>.* 待解决 +请求修缮屋顶' || fail "the demand is not listed 待解决"
tt_keys main c
tt_wait main 诉求转为案件
tt_has main "标题*  请求修缮屋顶"
# 问题类别 is the fourth field: its picker, searched by code
for _ in 1 2 3; do tt_keys main Tab; done
tt_keys main Enter
tt_wait main 问题类别
tt_keys main -l 水电
tt_wait main SVC_UTILITIES
tt_keys main Enter
tt_wait main "问题类别*  水电气维修"
tt_keys main F2
tt_wait_re main '已保存：案件编号 LW-[0-9]{4}-[0-9]{6}'
no=$(q "SELECT c.case_no FROM minqing.household_demand d JOIN minqing.cases c USING (case_id)
         WHERE d.household_id = $hid AND d.status = 'case'")
[ -n "$no" ] || fail "the demand is not linked to a case"
tt_wait main "已转案件 请求修缮屋顶"
tt_has main "$no"
[ "$(q "SELECT household_id = $hid AND submitter_name = '$head' FROM minqing.cases WHERE case_no = '$no'")" = t ] ||
	fail "case $no is not the household's, with its head as the submitter"
echo "ok: c turns the demand into case $no in one step; the demand shows 已转案件 and the case"
tt_keys main F10
tt_wait main EXIT=0
