#!/usr/bin/env bash
# What comes from the database is anybody's text, shown in a real terminal
# (tmux) as the people of the demo district would see it:
#
#   a title with U+202E (RIGHT-TO-LEFT OVERRIDE) is shown with a visible
#     marker (U+FFFD) in the list and in the case detail, and reorders
#     nothing;
#
# Runs in a scratch database of its own (the suite runs tests in parallel);
# the rows are written as the superuser, past the workflow functions, as an
# attacker with a foothold (or an older program) could.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_untrusted_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
ADMIN=$MQ_BUILD_DIR/minqing-admin
TMP=$(mktemp -d)
cleanup() {
	tt_cleanup
	psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $PGDATABASE WITH (FORCE)" \
		>/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }
as() { # account sql
	psql -qXtA -U "$1" -v ON_ERROR_STOP=1 -c "$2"
}

psql -qX -U postgres -d postgres -c "CREATE DATABASE $PGDATABASE" >/dev/null
PGUSER=postgres "$ADMIN" migrate >/dev/null
PGUSER=postgres "$ADMIN" demo-data --scale 1 --seed 1 >/dev/null

console() { # session account [cols rows]
	tt_start "$1" "${3:-100}" "${4:-30}"
	tt_run "$1" "env LANG=C.UTF-8 TERM=tmux-256color PGUSER=$2 $MINQING 2>$TMP/$1.err; echo EXIT=\$?"
	tt_wait "$1" 基础信息
}

# Open a case by its number through Find cases (日常工作 > 案件查询), from the main menu.
open_case() { # session case_no
	tt_keys "$1" 2
	tt_wait "$1" 案件查询
	tt_keys "$1" 3
	tt_wait "$1" 案件编号
	tt_keys "$1" f
	tt_keys "$1" -l "$2"
	tt_keys "$1" Enter
	tt_wait "$1" "$2"
	tt_keys "$1" Enter
	tt_wait "$1" 案件详情
}

# Two cases demo_town can see (row-level security decides), by number.
read -r id1 no1 < <(as demo_town "SELECT case_id, case_no FROM minqing.cases
	WHERE status IN ('dispatched', 'in_progress') ORDER BY case_id LIMIT 1" | tr '|' ' ')
[ -n "${id1:-}" ] || fail "demo_town sees no case in progress"

# --- a right-to-left override in a title is seen, not obeyed ---------------------------------
q "UPDATE minqing.cases SET title = E'路灯\u202E坏了' WHERE case_id = $id1" >/dev/null
console town demo_town
open_case town "$no1"
tt_wait town "$no1  路灯�坏了"
tt_hasnt town $'\u202E'
tt_keys town Escape
tt_wait town 案件查询
tt_wait town '路灯�坏了'
echo "ok: U+202E in a title is shown as a marker (list and detail)"
tt_keys town Escape Escape
tt_wait town 基础信息

for s in town; do
	tt_keys $s F10
	tt_wait $s EXIT=0
	[ ! -s "$TMP/$s.err" ] || fail "stderr of $s: $(cat "$TMP/$s.err")"
done
echo "all ok"
