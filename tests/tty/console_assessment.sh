#!/usr/bin/env bash
# 考核评分 on the console, at 80x24, the server's clock at UTC, on a database
# of its own (the demo district; the year's default rules, without the
# manual item, made beforehand in SQL; the year is that of three months ago,
# so that it holds months of the demo's cases whatever day the test runs on:
# on the 1st of January this year has none yet):
#
#   - as demo_admin: 考核通报 › 考核评分 is empty; c computes the year's
#     assessment (the period typed, the cut-off left to now): a draft row;
#     Enter shows the towns ranked with their items' scores; Enter on the
#     first town its villages; i the town's items with their explanations;
#     Enter on 按时办结率 the cases behind it, Enter on one opens the case;
#     a adjusts the town's on-time score with a reason typed in Chinese key
#     by key (已保存; the item shows 是 and the reason; the database keeps the
#     adjustment by demo_admin); P publishes (已发布);
#   - 公告栏 shows the circular with the towns' ranking, as demo_village.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_assessment_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
trap tt_cleanup EXIT
tt_scratch_db
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }
as() { psql -qXtA -U "$1" -v ON_ERROR_STOP=1 -c "$2"; }
console() { # account
	tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color TZ=UTC PGTZ=UTC PGUSER=$1 $MINQING; echo EXIT=\$?"
	tt_wait main 已连接
}
back_to() { # text: Escape until it shows
	local i j
	for i in 1 2 3 4; do
		tt_keys main Escape
		for j in $(seq 10); do
			tt_screen main | grep -qF -- "$1" && return 0
			sleep 0.1
		done
	done
	tt_wait main "$1"
}

year=$(q "SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai' - interval '3 months')::int")
as demo_admin "SELECT minqing.assessment_rule_set_add('$year', '${year}年度考核细则')" >/dev/null
as demo_admin "SELECT minqing.assessment_rule_remove(r.rule_id, r.row_version) FROM minqing.assessment_rules('$year') r
               WHERE r.kind = 'manual'" >/dev/null

tt_start main 80 24
console demo_admin
tt_menu main 考核通报
tt_wait main 考核评分
tt_menu main 考核评分
tt_wait main "还没有考核"
tt_keys main c
tt_wait main 计算考核
tt_keys main -l "$year"
tt_keys main F2
tt_wait_re main "^> *$year +1 +草稿"
tt_layout main 80 24 "the assessments"
id=$(q "SELECT assessment_id FROM minqing.assessment WHERE period = '$year'")
[ "$(q "SELECT count(*) FROM minqing.assessment_unit WHERE assessment_id = $id AND level = 'town'")" = 10 ] ||
	fail "the draft does not hold the district's ten towns"
echo "ok: c computes the assessment of $year into a draft"

first=$(q "SELECT o.name FROM minqing.assessment_unit u JOIN minqing.org_unit o USING (unit_id)
           WHERE u.assessment_id = $id AND u.level = 'town' ORDER BY u.rank, o.code LIMIT 1")
fcode=$(q "SELECT code FROM minqing.org_unit WHERE name = '$first'")
total=$(q "SELECT total FROM minqing.assessment_unit u JOIN minqing.org_unit o USING (unit_id)
           WHERE u.assessment_id = $id AND o.code = '$fcode'")
tt_keys main Enter
tt_wait main "镇街：10"
tt_wait_re main "^> *1 +$first +$total "
tt_has main "总分"
tt_layout main 80 24 "the towns ranked"
echo "ok: Enter shows the towns ranked, $first first with $total"

tt_keys main Enter
tt_wait main "村社区："
tt_wait_re main "^> *1 "
tt_layout main 80 24 "the villages of a town"
back_to "$first"
tt_keys main i
tt_wait main 按时办结率
tt_has main 满分
tt_layout main 80 24 "the town's items"
echo "ok: the town's villages, and i its items"

# The cases behind the town's on-time rate; Enter opens the first.
tt_keys main Enter
tt_wait_re main "^> *案件 +[A-Z]+-[0-9]{4}-[0-9]{6} "
tt_layout main 80 24 "the evidence"
case_no=$(tt_screen main | grep -oE '^> *案件 +[A-Z]+-[0-9]{4}-[0-9]{6}' | grep -oE '[A-Z]+-[0-9]{4}-[0-9]{6}')
tt_keys main Enter
tt_wait main "$case_no"
tt_wait main 案件详情
back_to "项目："
echo "ok: the cases behind 按时办结率, and Enter opens $case_no"

# Adjust the town's on-time score, the reason typed a key at a time.
tt_keys main a
tt_wait main 调整得分
tt_keys main -l 14
tt_keys main Tab
reason=超期件经核实属群众原因
for ch in $(grep -o . <<<"$reason"); do
	tt_keys main -l "$ch"
	sleep 0.05
done
tt_wait main "$reason"
tt_keys main F2
tt_wait main 已保存
tt_wait_re main "^> *1 +按时办结率 .* 14.00 +15.00 +是"
[ "$(q "SELECT new_score || ' ' || reason || ' ' || author FROM minqing.assessment_adjustment a
        JOIN minqing.org_unit o USING (unit_id) WHERE a.assessment_id = $id AND o.code = '$fcode'")" = \
	"14.00 $reason demo_admin" ] || fail "the adjustment is not in the database"
echo "ok: a adjusts the score with the reason typed key by key"

back_to 计算时间
tt_wait_re main "^> *$year +1 +草稿"
tt_keys main P
tt_wait main 发布考核结果
tt_keys main F2
tt_wait_re main "^> *$year +1 +已发布"
tt_layout main 80 24 "the assessment published"
[ "$(q "SELECT status FROM minqing.assessment WHERE assessment_id = $id")" = published ] || fail "not published"
echo "ok: P publishes it"
tt_keys main Escape
tt_keys main F10
tt_wait main EXIT=0

# The circular on the bulletin board, as a village's officer.
title="${year}年度考核结果通报"
console demo_village
tt_menu main 基础信息
tt_wait main 公告栏
tt_menu main 公告栏
tt_wait main "$title"
filter_row=$(tt_screen main | grep -F "$title" | head -n 1)
[ -n "$filter_row" ] || fail "the circular is not on the board"
while ! tt_screen main | grep -qE "^>.*$title"; do
	tt_keys main Down
	sleep 0.1
done
tt_keys main Enter
# First as published: the adjustment above may have moved the town it lowered
# (how far depends on the day's data).
top=$(q "SELECT o.name FROM minqing.assessment_unit u JOIN minqing.org_unit o USING (unit_id)
         WHERE u.assessment_id = $id AND u.level = 'town' ORDER BY u.rank, o.code LIMIT 1")
tt_wait main "1. $top"
tt_layout main 80 24 "the circular"
echo "ok: 公告栏 shows the circular with $top first"
tt_keys main Escape
tt_keys main F10
tt_wait main EXIT=0
echo "all ok"
