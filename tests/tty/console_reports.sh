#!/usr/bin/env bash
# 考核通报 on the console, at 80x24, as the district's supervisor
# (demo_supervisor), the server at UTC, on a database of its own:
#
#   - 民情e站概况 shows the seed's figures; E writes its figures to
#     ~/minqing-exports, and the CSV is what `minqing-admin report summary
#     --format csv` writes, byte for byte (but for the minute of 数据截至).
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

tt_keys main F10
tt_wait main EXIT=0
echo "ok: console_reports"
