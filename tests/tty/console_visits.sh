#!/usr/bin/env bash
# 常态服务 on the console, at 80x24, as the information officer of 天兴社区
# (demo_village), on a database of its own (the test records a visit and
# makes a case):
#
#   - 日常工作 › 常态服务 › 走访记录, n: a night visit to five households
#     typed in the households field as tails (two typed a key at a time), a
#     range and a fragment of a head's name (in a burst), with what was
#     found; F2 saves it: one visit, night, five households in the database;
#   - Enter on the new visit lists its five households; c turns the first
#     one's finding into a case (a category picked, F2): the message and the
#     row show the case number, and the case is the household's, from a
#     party member's visit;
#   - 走访覆盖率 shows the village's coverage against the 80 % target, as the
#     database counts it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_visits_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
trap tt_cleanup EXIT
tt_scratch_db
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }

# A household of the village (not 21-24) whose head's last two characters
# find it alone among the village's heads.
read -r hno head < <(q "
	SELECT h.household_no, r.name
	  FROM minqing.household h JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	  JOIN minqing.org_unit u ON u.unit_id = h.unit_id AND u.code = 'T01V01'
	 WHERE char_length(r.name) = 3 AND h.active AND h.household_no NOT BETWEEN 'T01V01-0021' AND 'T01V01-0024'
	   AND (SELECT count(*) FROM minqing.resident x JOIN minqing.household y ON y.head_resident_id = x.resident_id
	         WHERE y.unit_id = h.unit_id AND strpos(x.name, right(r.name, 2)) > 0) = 1
	 ORDER BY h.household_no LIMIT 1" | tr '|' ' ')
[ -n "$hno" ] || fail "no head of the village has a name to find alone"
frag=${head:1:2}
before=$(q "SELECT count(*) FROM minqing.visit")

tt_start main 80 24
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color TZ=UTC PGTZ=UTC PGUSER=demo_village $MINQING; echo EXIT=\$?"
tt_wait main 基础信息
tt_menu main 日常工作
tt_menu main 常态服务
tt_menu main 走访记录
tt_wait main "走访记录   辖区：天兴社区"
tt_keys main n
tt_wait main 走访农户
for ch in 2 1 ' ' 2 2 ' '; do
	tt_keys main -l "$ch"
	sleep 0.05
done
tt_keys main -l "23-24，$frag"
tt_keys main Tab
tt_keys main Right
tt_wait main "夜访 ▾"
for _ in 1 2 3 4; do tt_keys main Tab; done
tt_keys main -l "楼道灯损坏，老人夜间出行不便"
tt_layout main 80 24 "the visit form"
tt_keys main F2
tt_wait main 已保存
[ "$(q "SELECT count(*) FROM minqing.visit")" = $((before + 1)) ] || fail "no visit was recorded"
read -r vid shift n nos < <(q "
	SELECT v.visit_id, v.shift, v.households,
	       (SELECT string_agg(h.household_no, ',' ORDER BY h.household_no) FROM minqing.visit_household x
	          JOIN minqing.household h USING (household_id) WHERE x.visit_id = v.visit_id)
	  FROM minqing.visit v WHERE v.recorded_by = 'demo_village' ORDER BY v.visit_id DESC LIMIT 1" | tr '|' ' ')
[ "$shift $n" = "night 5" ] || fail "the visit is $shift with $n households, not a night visit of five"
want=$(printf 'T01V01-00%s,' 21 22 23 24 | sed 's/,$//')
[ "$nos" = "$(echo "$want,$hno" | tr ',' '\n' | sort | paste -sd,)" ] ||
	fail "the visit's households are $nos, not 21-24 and $hno"
echo "ok: a night visit to five households typed as 21 22 23-24 $frag (visit $vid: $nos)"

tt_keys main g
tt_wait_re main '^>.* 夜访 .* 5 +5 +楼道灯损坏'
tt_keys main Enter
tt_wait main "户数：5"
tt_layout main 80 24 "the visit's households"
tt_keys main c
tt_wait main 走访发现转为案件
tt_keys main Enter
tt_wait main 问题类别
tt_keys main -l 水电
tt_wait main SVC_UTILITIES
tt_keys main Enter
tt_wait main "问题类别*  水电气维修"
tt_keys main F2
tt_wait_re main '已保存：案件编号 LW-[0-9]{4}-[0-9]{6}'
read -r cno chh channel < <(q "
	SELECT x.case_no, h.household_no, c.channel FROM minqing.visit_household x
	  JOIN minqing.cases c USING (case_id) JOIN minqing.household h ON h.household_id = c.household_id
	 WHERE x.visit_id = $vid" | tr '|' ' ')
[ -n "$cno" ] || fail "the visit keeps no case"
[ "$channel" = party_visit ] || fail "case $cno came through $channel, not a party member's visit"
tt_has main "已保存：案件编号 $cno"
tt_wait_re main "^>$chh .* $cno "
echo "ok: c turns household $chh's finding into case $cno (党员走访); the visit keeps it"

tt_keys main Escape
tt_wait main "走访记录   辖区：天兴社区"
tt_keys main Escape
tt_menu main 走访覆盖率
tt_wait main "走访覆盖率   按：村社区   期间：近一年"
cov=$(q "SELECT round(100.0 * count(*) FILTER (
             WHERE hc.last_visited_on > (now() AT TIME ZONE 'Asia/Shanghai')::date - interval '1 year') / count(*), 1)
             || '%' FROM minqing.household_cell hc JOIN minqing.org_unit u USING (unit_id) WHERE u.code = 'T01V01'")
tt_screen main | grep -qE "^>天兴社区 +社区 +[0-9]+ +[0-9]+ +$cov +80 " ||
	fail "天兴社区's coverage is not shown as $cov against 80 %"
tt_layout main 80 24 "the coverage list"
echo "ok: 走访覆盖率 shows 天兴社区 at $cov against the 80 % target"
tt_keys main F10
tt_wait main EXIT=0
