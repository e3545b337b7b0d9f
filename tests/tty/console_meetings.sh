#!/usr/bin/env bash
# 民情恳谈会 on the console, at 80x24, as the information officer of 天兴社区,
# on a database of its own with the demo district (the test plans a meeting
# and makes cases):
#
#   - 日常工作 › 恳谈与活动 › 民情恳谈会 lists the community's meetings; n plans
#     one (a month ahead, so it comes first); Enter opens its record;
#   - o (hold) before anything is gathered is refused with the reason;
#     u lists the community's open cases (会前汇总) and a gathers one, whose
#     submitter is then on the invitation list; t adds a topic;
#   - o holds it with the cadres' notes (干部问事) and the review's date;
#     p records a matter raised (群众说事); d lists the matters, c turns the
#     raised one into a case (channel dialogue_meeting, linked to it), d
#     records the decision (民主议事) and t turns it into a case accepted at
#     once with the commitment's deadline (限期办事);
#   - v records the review (定期评事) with the satisfaction; n shows the
#     minutes with the five steps, every line within 80 columns.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_meetings_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
trap tt_cleanup EXIT
tt_scratch_db
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }

# An open case of the community, for 会前汇总 (the demo's are mostly closed).
open_no=$(psql -qXtA -U demo_village -v ON_ERROR_STOP=1 -c "
	SELECT case_no FROM minqing.case_intake('walk_in', '小区东门路灯不亮', '东门路灯坏了一个月。',
	       (SELECT category_id FROM minqing.case_category WHERE code = 'SVC_UTILITIES'), '路灯反映人', '13900001111')")
[ -n "$open_no" ] || fail "no open case could be recorded"
# (Days from the server's today in the district, which the meetings are dated by.)
day=$(q "SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date + 30")
review=$(q "SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date + 45")

tt_start main 80 24
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_village $MINQING; echo EXIT=\$?"
tt_wait main 日常工作
tt_menu main 日常工作
tt_menu main 恳谈与活动
tt_menu main 民情恳谈会
tt_wait main "民情恳谈会   显示：全部   辖区：天兴社区"
tt_has main 已召开
tt_keys main n
tt_wait main 计划恳谈会
tt_keys main Tab Tab
tt_keys main -l "路灯和停车恳谈"
tt_keys main Tab
tt_keys main -l "$day 19:30"
tt_keys main Tab
tt_keys main -l "社区会议室"
tt_keys main F2
tt_wait main 已保存
tt_wait main "$day 19:30 计划"
tt_keys main g
tt_wait main ">$day"
tt_screen main | grep -qE "^>$day 19:30 计划 +天兴社区 +路灯和停车恳谈" || fail "the new meeting is not the first row"
tt_layout main 80 24 "the list of meetings"
echo "ok: n plans a meeting; it is listed as planned"

tt_keys main Enter
tt_wait main "  路灯和停车恳谈"
tt_wait main "u 会前汇总"
tt_keys main o
tt_wait main 召开恳谈会
tt_keys main -l "问事"
tt_keys main Tab Tab
tt_keys main -l "$review"
tt_keys main F2
tt_wait main 没有会前汇总的事项，恳谈会不能标记为已召开
tt_keys main Escape
tt_keys main Escape
tt_wait main "u 会前汇总"
echo "ok: a meeting without a gathered matter cannot be held"

tt_keys main u
tt_wait main "会前汇总   件数：1"
tt_has main "$open_no"
tt_keys main a
tt_wait main 汇总此案
tt_keys main F2
tt_wait main 本单位没有未汇总的在办案件
tt_keys main Escape
tt_wait main "u 会前汇总"
tt_keys main t
tt_wait main 添加议题
tt_keys main -l "公共停车位规划"
tt_keys main F2
tt_wait main 已保存
tt_wait main "$open_no 小区东门路灯不亮"
tt_has main "2.  公共停车位规划"
tt_keys main l
tt_wait main "邀请名单   人数：1"
tt_has main "路灯反映人"
tt_has main "139****1111"
tt_keys main Escape
tt_wait main "u 会前汇总"
echo "ok: u and a gather the open case $open_no, its submitter invited; t adds a topic"

tt_keys main o
tt_wait main 召开恳谈会
tt_keys main -l "干部询问了路灯和停车情况"
tt_keys main Tab
tt_keys main -l 18
tt_keys main Tab
tt_keys main -l "$review"
tt_keys main F2
tt_wait main 已保存
tt_wait main "状态      已召开"
tt_has main "干部询问了路灯和停车情况"
tt_keys main p
tt_wait main 群众说事
tt_keys main -l "张阿姨"
tt_keys main Tab
tt_keys main -l "楼道灯不亮，晚上出行不便"
tt_keys main F2
tt_wait main 已保存
echo "ok: o holds it with the cadres' notes; p records a matter raised"

tt_keys main d
tt_wait main "议事办事   事项：3"
tt_keys main j j
tt_wait main "> 3 说事 楼道灯不亮"
tt_keys main c
tt_wait main 说事转为案件
tt_has main "标题*  楼道灯不亮，晚上出行不便"
tt_keys main Tab Tab Enter
tt_wait main 问题类别
tt_keys main -l 水电
tt_wait main SVC_UTILITIES
tt_keys main Enter
tt_wait main "问题类别*  水电气维修"
tt_keys main F2
tt_wait_re main '已保存：案件编号 LW-[0-9]{4}-[0-9]{6}'
raised_no=$(q "SELECT x.case_no FROM minqing.meeting_matter x JOIN minqing.cases c USING (case_id)
                WHERE x.source = 'raised' AND c.channel = 'dialogue_meeting' AND x.raised_by = '张阿姨'")
[ -n "$raised_no" ] || fail "the raised matter is not a case with channel dialogue_meeting"
tt_wait main "$raised_no"
tt_layout main 80 24 "the matters"
# (the list reads the matters again after the form: wait for it, so that the
# decision's form has the matter's new row version)
tt_keys main r
sleep 0.5
echo "ok: c turns the raised matter into case $raised_no (channel dialogue_meeting), linked to it"

tt_keys main d
tt_wait main 民主议事
tt_keys main -l "一周内修好楼道灯"
tt_keys main F2
tt_wait main 已保存
tt_wait main "一周内修"
tt_keys main t
tt_wait main 限期办事
tt_keys main Tab Enter
tt_wait main 问题类别
tt_keys main -l 水电
tt_wait main SVC_UTILITIES
tt_keys main Enter
tt_keys main F2
tt_wait_re main '已保存：案件编号 LW-[0-9]{4}-[0-9]{6}'
read -r due_no due_local < <(q "
	SELECT c.case_no, to_char(c.due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')
	  FROM minqing.meeting_matter x JOIN minqing.cases c ON c.case_id = x.due_case_id
	 WHERE x.raised_by = '张阿姨' AND c.status = 'accepted' AND c.due_at > c.started_at
	   AND c.next_escalation_at IS NOT NULL" | tr '|' ' ')
[ -n "$due_no" ] || fail "the decision is not a case accepted with a deadline"
tt_wait main "$due_no $due_local"
tt_layout main 80 24 "the matters"
echo "ok: d records the decision; t makes it case $due_no, accepted, due $due_local"

tt_keys main Escape
tt_wait main "p 群众说事"
tt_keys main r
tt_keys main v
tt_wait main 定期评事
tt_keys main -l "楼道灯已修好，群众满意"
tt_keys main Tab
tt_keys main -l 15
tt_keys main Tab
tt_keys main -l 2
tt_keys main Tab
tt_keys main -l 1
tt_keys main F2
tt_wait main 已保存
tt_wait main "状态      已评事"
tt_has main "满意 15，基本满意 2，不满意 1"
echo "ok: v records the review with the satisfaction"

tt_keys main n
tt_wait main "会议纪要   行数："
tt_has main "天兴社区民情恳谈会纪要"
tt_has main "一、会前汇总"
tt_has main "二、干部问事"
tt_has main "三、群众说事"
tt_has main "（转为案件 $raised_no）"
tt_has main "四、民主议事"
tt_layout main 80 24 "the minutes"
tt_keys main G
tt_wait main "评议：楼道灯已修好，群众满意"
tt_has main "五、限期办事"
tt_has main "$due_no 时限 $due_local 已受理"
tt_has main "六、定期评事（$review）"
tt_layout main 80 24 "the end of the minutes"
[ "$(q "SELECT max(minqing.text_width(line)) <= 78
          FROM minqing.meeting_minutes((SELECT max(meeting_id) FROM minqing.meeting))")" = t ] ||
	fail "a line of the minutes is wider than 78 columns"
echo "ok: n shows the minutes with the five steps, within 80 columns"
tt_keys main F10
tt_wait main EXIT=0
