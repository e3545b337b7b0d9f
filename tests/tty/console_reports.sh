#!/usr/bin/env bash
# 考核通报 on the console, at 80x24, as the district's supervisor
# (demo_supervisor), the server at UTC, on a database of its own:
#
#   - 民情e站概况 shows the seed's figures; E writes its figures to
#     ~/minqing-exports, and the CSV is what `minqing-admin report summary
#     --format csv` writes, byte for byte (but for the minute of 数据截至);
#   - 统计报表: the year typed key by key (f 2 0 2 6), the district's total as
#     the database counts it; Enter down to 永中街道, to a village, to its
#     cases and to a case, and Esc back up the same path, each level at 80x24;
#   - the charts in colour, with NO_COLOR (no colour, the same blocks) and
#     with ui.charts = "ascii" (no block character at all);
#   - E on 统计报表 writes what `minqing-admin report units --period 2026
#     --format csv` writes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_reports_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
ADMIN=$MQ_BUILD_DIR/minqing-admin
[ -x "$MINQING" ] || fail "$MINQING is not built"
home=$(mktemp -d)
cleanup() { tt_cleanup; rm -rf "$home"; }
trap cleanup EXIT
tt_scratch_db

console() { # name user [env...]: the console at 80x24 (the pane one larger: tt_layout)
	local name=$1 user=$2; shift 2
	tt_start "$name" 81 25
	tt_run "$name" "clear; env HOME=$home COLUMNS=80 LINES=24 LANG=C.UTF-8 TERM=tmux-256color TZ=UTC PGTZ=UTC PGUSER=$user $* $MINQING; echo EXIT=\$?"
	tt_wait "$name" 基础信息
}
# The newest export of a screen (name-<time>.csv).
newest() { ls -t "$home"/minqing-exports/"$1"-*.csv 2>/dev/null | head -n 1; }

# --- 民情e站概况 and its export ------------------------------------------------------
console main demo_supervisor
tt_menu main 考核通报
tt_menu main 民情e站概况
tt_wait main 3480
tt_has main 255
tt_has main 956
tt_layout main 80 24 "the summary"
tt_keys main E
tt_wait main 已导出
csv=$(newest summary)
[ -n "$csv" ] || fail "E wrote no summary CSV under $home/minqing-exports"
[ "$(stat -c %a "$csv")" = 600 ] || fail "the export is not the person's alone (mode $(stat -c %a "$csv"))"
PGUSER=demo_supervisor HOME=$home TZ=UTC "$ADMIN" report summary --format csv --output "$home/cli.csv"
diff <(grep -v '^数据截至' "$csv") <(grep -v '^数据截至' "$home/cli.csv") >&2 ||
	fail "the screen's export and minqing-admin report summary --format csv differ"
grep -q '^数据截至,' "$csv" || fail "the export does not say how current the figures are"
echo "ok: E on 民情e站概况 writes the CSV minqing-admin report summary writes"
tt_keys main Escape
tt_wait main 民情e站概况

# --- 统计报表: down from the district to a case and back --------------------------------
sup() { psql -qXtA -U demo_supervisor -v ON_ERROR_STOP=1 -c "$1"; }
# The row of a unit in a report (0: the total), as the function orders them.
row_of() { # unit period code
	sup "SELECT n - 1 FROM (SELECT unit_code, row_number() OVER () AS n FROM minqing.report_units($1, '$2')) r
	      WHERE unit_code = '$3'"
}
down() { # n: j pressed n times, one key at a time
	local i
	for ((i = 0; i < $1; i++)); do tt_keys main j; sleep 0.05; done
}
total=$(sup "SELECT recorded FROM minqing.report_units(NULL, '2026') WHERE is_total")
read -r vcode vname vn < <(sup "SELECT unit_code, unit_name, recorded FROM minqing.report_units('T01', '2026')
	WHERE NOT is_total AND NOT drill AND recorded > 0 ORDER BY unit_code LIMIT 1" | tr '|' ' ')
[ -n "$vcode" ] || fail "no village of 永中街道 has cases recorded in 2026"
first_case=$(sup "SELECT case_no FROM minqing.report_cases_list('$vcode', '2026') LIMIT 1")

tt_menu main 统计报表
tt_wait main "统计报表   期间：本月"
tt_keys main f
tt_wait main 期间：
for ch in 2 0 2 6; do tt_keys main "$ch"; sleep 0.05; done
tt_keys main Enter
tt_wait main "统计报表   期间：2026"
tt_wait_re main "^>龙湾区 +$total "
tt_layout main 80 24 "统计报表 for 2026"
echo "ok: 统计报表 for 2026 typed key by key: the district recorded $total cases, as the database counts"

down "$(row_of NULL 2026 T01)"
tt_wait_re main "^>永中街道 "
tt_keys main Enter
tt_wait main "考核通报 > 统计报表 > 永中街道"
tt_wait main "永中街道   期间：2026"
tt_layout main 80 24 "永中街道's units"
down "$(row_of "'T01'" 2026 "$vcode")"
tt_wait_re main "^>$vname +$vn "
tt_keys main Enter
tt_wait main "> 永中街道 > $vname"
tt_wait main "$first_case"
tt_layout main 80 24 "the village's cases"
tt_keys main Enter
tt_wait main "$first_case"
tt_keys main Escape
tt_wait main "$vname   显示：全部受理"
tt_keys main Escape
tt_wait main "永中街道   期间：2026"
tt_wait_re main "^>$vname "
tt_keys main Escape
tt_wait main "统计报表   期间：2026"
tt_wait_re main "^>永中街道 "
echo "ok: Enter from the district to 永中街道, $vname, its cases and $first_case; Esc back up the same path"

# --- E, against the command line ------------------------------------------------------
tt_keys main E
tt_wait main 已导出
csv=$(newest reports)
[ -n "$csv" ] || fail "E wrote no CSV of 统计报表"
PGUSER=demo_supervisor HOME=$home TZ=UTC "$ADMIN" report units --period 2026 --format csv --output "$home/units.csv"
cmp "$csv" "$home/units.csv" || fail "E on 统计报表 and minqing-admin report units --period 2026 --format csv differ"
grep -q '▁\|▂\|▃\|▄\|▅\|▆\|▇\|█' "$csv" || fail "the exported CSV has no sparkline"
echo "ok: E on 统计报表 writes what minqing-admin report units --format csv writes ($(wc -l <"$csv") lines)"

# --- the charts in colour, without colour, in ASCII -------------------------------------
blocks='[▁▂▃▄▅▆▇█]'
# the sparkline of the second row (the first town), drawn in the chart's colour (green)
tt_screen_e() { "${TT_TMUX[@]}" capture-pane -e -t main -p; }
tt_screen_e | grep -q $'\e\[32m[^\e]*'"$blocks" || fail "the charts are not drawn in colour"
echo "ok: the charts are in colour"
tt_keys main F10
tt_wait main EXIT=0

chart_screen() { # environment, options: the screen of 统计报表 for 2026
	tt_run main "clear; env HOME=$home COLUMNS=80 LINES=24 LANG=C.UTF-8 TERM=tmux-256color TZ=UTC PGTZ=UTC PGUSER=demo_supervisor $1 $MINQING $2; echo EXIT=\$?"
	tt_wait main 基础信息
	tt_menu main 考核通报
	tt_menu main 统计报表
	tt_wait main "统计报表   期间：本月"
	tt_keys main f
	tt_keys main -l 2026
	tt_keys main Enter
	tt_wait main "统计报表   期间：2026"
}
chart_screen NO_COLOR=1 ""
# (39 and 49 are the default colours: no colour)
tt_screen_e | grep -qE $'\e\\[([34][0-7]|38;|48;)' && fail "NO_COLOR: the screen still has colours"
tt_screen main | grep -q "$blocks" || fail "NO_COLOR: the charts are gone"
tt_layout main 80 24 "统计报表 without colour"
echo "ok: NO_COLOR: no colour, the same block characters"
tt_keys main F10
tt_wait main EXIT=0
printf 'ui = { charts = "ascii"; };\n' >"$home/ascii.conf"
chart_screen "" "-c $home/ascii.conf"
tt_screen main | grep -q "$blocks" && fail "ui.charts = ascii: block characters are still drawn"
tt_wait_re main '^>龙湾区 .*[_.:=+*#-]{6}'
tt_layout main 80 24 "统计报表 in ASCII"
echo "ok: ui.charts = \"ascii\": the charts in ASCII"

tt_keys main F10
tt_wait main EXIT=0
echo "ok: console_reports"
