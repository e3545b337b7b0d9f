#!/usr/bin/env bash
# 恳谈与活动 on the console, at 80x24, on a database of its own (the demo
# district; the test signs a volunteer up and records attendance):
#
#   - as demo_village (天兴社区): 日常工作 › 恳谈与活动 › 志愿者 lists the
#     village's volunteers; / finds one not on the activity going on; p signs
#     them up by the activity's number (F2: 已保存); 主题活动, / and Enter open
#     the activity's volunteers, where the one signed up shows 已报名; t
#     records 3 hours of attendance today (F2), shown with today's date;
#     on the activity to come, t is refused (活动日（…）之前不能登记出勤);
#   - as demo_admin: 收到的短信 lists the messages waiting in triage (a "1"
#     with no invitation, an empty message, a number of several households).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_volunteers_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
trap tt_cleanup EXIT
tt_scratch_db
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }
# Today in the district's calendar, as the console shows it (from 16:00 UTC
# the server's current_date is a day behind it).
today=$(q "SELECT minqing.district_local_time(u.district_id, now())::date FROM minqing.org_unit u
            WHERE u.code = 'T01V01'")

# The village's activity going on and the one to come; a volunteer of the
# village not on the first.
read -r act title < <(q "
	SELECT a.activity_id, a.title FROM minqing.activity a JOIN minqing.org_unit u USING (unit_id)
	 WHERE u.code = 'T01V01' AND a.starts_on <= '$today' AND a.ends_on > '$today'
	 ORDER BY a.activity_id LIMIT 1" | tr '|' ' ')
read -r future ftitle < <(q "
	SELECT a.activity_id, a.title FROM minqing.activity a JOIN minqing.org_unit u USING (unit_id)
	 WHERE u.code = 'T01V01' AND a.starts_on > '$today' ORDER BY a.activity_id LIMIT 1" | tr '|' ' ')
read -r vol name < <(q "
	SELECT v.volunteer_id, v.name FROM minqing.volunteer v JOIN minqing.org_unit u USING (unit_id)
	 WHERE u.code = 'T01V01' AND v.active
	   AND NOT EXISTS (SELECT 1 FROM minqing.activity_signup g WHERE g.activity_id = $act AND g.volunteer_id = v.volunteer_id)
	   AND (SELECT count(*) FROM minqing.volunteer w WHERE w.unit_id = v.unit_id AND w.name = v.name) = 1
	 ORDER BY v.volunteer_id LIMIT 1" | tr '|' ' ')
[ -n "$act" ] && [ -n "$future" ] && [ -n "$vol" ] || fail "the demo village has no activity going on, to come, or volunteer free"
signed=$(q "SELECT g.volunteer_id FROM minqing.activity_signup g WHERE g.activity_id = $future AND g.status = 'signed' LIMIT 1")
sname=$(q "SELECT name FROM minqing.volunteer WHERE volunteer_id = $signed")

# Escape (a filter first, then the screen) until TEXT shows.
back_to() { # text
	local i j
	for i in 1 2 3; do
		tt_keys main Escape
		for j in $(seq 10); do
			tt_screen main | grep -qF -- "$1" && return 0
			sleep 0.1
		done
	done
	tt_wait main "$1"
}
filter() { # text (a filter still set is cleared first)
	if tt_screen main | grep -qF "筛选："; then
		tt_keys main Escape
		tt_gone main "筛选："
	fi
	tt_keys main /
	tt_keys main -l "$1"
	tt_keys main Enter
}

tt_start main 80 24
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_village $MINQING; echo EXIT=\$?"
tt_wait main 基础信息
tt_menu main 日常工作
tt_wait main 恳谈与活动
tt_menu main 恳谈与活动
tt_wait main 收到的短信
tt_layout main 80 24 "the menu of 恳谈与活动"
tt_menu main 志愿者
tt_wait main "志愿者   辖区：天兴社区"
tt_has main "p 报名活动"
tt_layout main 80 24 "the volunteers"
echo "ok: 恳谈与活动 › 志愿者 lists the village's volunteers"

filter "$name"
tt_wait_re main "^> *$vol $name"
tt_keys main p
tt_wait main 志愿者报名活动
tt_keys main -l "$act"
tt_keys main F2
tt_wait main 已保存
[ "$(q "SELECT status || ' ' || via FROM minqing.activity_signup WHERE activity_id = $act AND volunteer_id = $vol")" = "signed console" ] ||
	fail "the sign-up is not in the database"
echo "ok: p signs $name up for activity $act"

back_to 收到的短信
tt_menu main 主题活动
tt_wait main "主题活动   辖区：天兴社区"
tt_layout main 80 24 "the activities"
filter "${title:4:4}"
tt_wait_re main "^> *$act "
tt_keys main Enter
tt_wait main "$title   人数："
filter "$name"
tt_wait_re main "^>$name +天兴社区 +已报名"
tt_keys main t
tt_wait main 登记出勤与时长
tt_keys main -l 3
tt_keys main F2
tt_wait main 已保存
tt_wait_re main "^>$name +天兴社区 +已报名 +登记 +$today +3\.0"
tt_layout main 80 24 "the activity's volunteers"
echo "ok: the activity's volunteers show $name, and t records 3 hours today"

back_to "主题活动   辖区：天兴社区"
filter "${ftitle:4:4}"
tt_wait_re main "^> *$future "
tt_keys main Enter
tt_wait main "$ftitle   人数："
filter "$sname"
tt_wait_re main "^>$sname +天兴社区 +已报名"
tt_keys main t
tt_wait main 登记出勤与时长
tt_keys main -l 2
tt_keys main F2
tt_wait main "之前不能登记"
[ "$(q "SELECT count(*) FROM minqing.activity_signup WHERE activity_id = $future AND attended_on IS NOT NULL")" = 0 ] ||
	fail "attendance before the day was stored"
echo "ok: attendance on the activity to come is refused before its day"
tt_keys main F10
tt_wait main "再按一次 F10"
tt_keys main F10
tt_wait main EXIT=0

tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_admin $MINQING; echo EXIT=\$?"
tt_wait main 基础信息
tt_menu main 日常工作
tt_wait main 恳谈与活动
tt_menu main 恳谈与活动
tt_wait main 收到的短信
tt_menu main 收到的短信
tt_wait main "显示：待处理"
tt_wait main "条数：4"
tt_has main 回复没有对应
tt_has main 号码对应多户
tt_has main （空短信）
tt_has main "c 转为案件"
tt_layout main 80 24 "the messages received"
echo "ok: as demo_admin, 收到的短信 lists the four messages waiting in triage"
tt_keys main a
tt_wait main "显示：全部"
tt_wait main 已处理
echo "ok: a shows every message received, the handled one too"
tt_keys main Escape
tt_keys main F10
tt_wait main EXIT=0
echo "all ok"
