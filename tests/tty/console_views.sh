#!/usr/bin/env bash
# Screens made of files (forms/*.view, docs/views.md), at 80x24, in a real
# terminal:
#   - 提示催办, a list added as a view file and a function: a case a
#     supervisor urged shows how often and when, another urge shows on its
#     row live while the list is open; Enter opens the case.
#   - a new screen added with one file and no C change: a copy of forms/
#     with overdue.view (the inbox function with a fixed filter and
#     `menu = "work"`) puts a row at the end of Daily work for the duties it
#     names only, and that row lists exactly the overdue cases of the inbox.
#   - a row's form: Triage offers case_accept on a received row (A), refuses
#     case_dispatch (D) there, and reads the list again after the form.
#   - a broken view file stops the console before the screen is taken, with
#     its file:line (exit 2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_views_$$ LANG=C.UTF-8
unset PGUSER
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
TMP=$(mktemp -d)
cleanup() {
	tt_cleanup
	rm -rf "$TMP"
}
trap cleanup EXIT
tt_scratch_db

sql() { psql -XqtA -v ON_ERROR_STOP=1 -U "$1" -c "$2"; }
console() { # account [config]
	tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGUSER=$1 $MINQING ${2:+-c $2}; echo EXIT=\$?"
	tt_wait main 基础信息
}

open_case() { # the oldest open case demo_supervisor may urge
	sql postgres "SELECT case_id FROM minqing.cases
	               WHERE status IN ('accepted', 'dispatched', 'in_progress') ORDER BY case_id LIMIT 1"
}
A=$(open_case)
A_NO=$(sql postgres "SELECT case_no FROM minqing.cases WHERE case_id = $A")
sql demo_supervisor "SELECT minqing.case_urge($A, '请抓紧办理，群众等着回复')" >/dev/null

tt_start main 80 24
console demo_supervisor
tt_keys main 3
tt_wait main 提示催办
tt_keys main 1
tt_wait main "提示催办   临近到期：3个工作日"
row=$(tt_screen main | grep -F "$A_NO") || fail "the urged case $A_NO is not listed"
grep -qE ' 1 +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}' <<<"$row" ||
	fail "$A_NO does not show one urge and when: [$row]"
echo "ok: the urged case $A_NO with how often and when it was urged"

# A reminder while the list is open: the row of the case shows it, live.
B=$(sql postgres "SELECT case_id FROM minqing.cases WHERE status IN ('accepted', 'dispatched', 'in_progress')
                   AND case_id <> $A ORDER BY case_id LIMIT 1")
B_NO=$(sql postgres "SELECT case_no FROM minqing.cases WHERE case_id = $B")
sql demo_supervisor "SELECT minqing.case_urge($B, '第二次催办')" >/dev/null
tt_wait_re main "$B_NO.* 1 +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}"
echo "ok: an urge shows on its row while the list is open"

# The selection stayed on the row it was on ($A_NO): Enter opens that case.
tt_screen main | grep -qE "^>.*$A_NO" || fail "the selection did not stay on $A_NO"
tt_keys main Enter
tt_wait main 案件详情
tt_wait main "$A_NO"
tt_keys main Escape
tt_wait main "提示催办   临近到期：3个工作日"
echo "ok: the selection stays on its row across the reload; Enter opens the case, Esc comes back"
tt_keys main F10
tt_wait main EXIT=0

# --- a row's form: triage accepts on the list ------------------------------------------------
# forms/triage.view offers case_accept on a received row (A) and
# case_dispatch on an accepted one (D); the list reads again when the form
# is submitted, and the row's version goes with it.
cat=$(sql postgres "SELECT k.category_id FROM minqing.case_category k JOIN minqing.staff s USING (district_id)
                    WHERE k.code = 'SVC_OTHER' AND s.login = 'demo_village'")
R=$(sql demo_village "SELECT case_id FROM minqing.case_intake('walk_in', '分流列表里直接受理',
       '终端测试：在分流处理列表上按 A 受理。', $cat, '周建国', '13957700005')")
R_NO=$(sql postgres "SELECT case_no FROM minqing.cases WHERE case_id = $R")
console demo_town
tt_keys main 2
tt_wait main 分流处理
n=$(tt_screen main | grep -E '^ +>?[0-9]+  ' | grep -n 分流处理 | cut -d: -f1)
tt_keys main "$n"
tt_wait main "分流处理   显示：待分流"
tt_wait main "A 受理"
# The filter puts the selection on the new case.
tt_keys main /
tt_keys main -l "$R_NO"
tt_keys main Enter
tt_wait_re main "^>.*$R_NO"
tt_keys main D
tt_wait main "交办：这一行不能办理"
tt_keys main A
tt_wait main 受理
tt_wait main 备注
tt_keys main -l '列表上受理'
tt_keys main F2
tt_wait main "分流处理   显示：待分流"
[ "$(sql postgres "SELECT status FROM minqing.cases WHERE case_id = $R")" = accepted ] ||
	fail "A on the triage list did not accept $R_NO"
tt_wait_re main "$R_NO +已受理"
echo "ok: a row's form from the list (A accepts a received case; D is refused on it), the row reads again"
tt_keys main F10
tt_wait main EXIT=0

# --- a new screen, one file -----------------------------------------------------------------
mkdir "$TMP/forms"
cp "$MQ_SOURCE_DIR"/forms/*.form "$MQ_SOURCE_DIR"/forms/*.view "$TMP/forms/"
cat >"$TMP/forms/overdue.view" <<'VIEW'
view = {
	base = "inbox";
	title = { zh = "超期待办"; en = "Overdue cases"; };
	menu = "work";
	duty = ["handler", "admin"];
	fixed = ( { param = "p_filter"; value = "overdue"; } );
	choices = ();
	empty = { zh = "没有超期的待办。"; en = "Nothing in your inbox is overdue."; };
};
VIEW
printf 'forms = { dir = "%s"; };\n' "$TMP/forms" >"$TMP/minqing.conf"
PGUSER=demo_admin "$MINQING" -c "$TMP/minqing.conf" --lint-forms "$TMP/forms" >"$TMP/lint" 2>&1 ||
	fail "the new view does not pass --lint-forms: $(cat "$TMP/lint")"
grep -q "overdue.view: ok" "$TMP/lint" || fail "--lint-forms did not check overdue.view"

# Two cases of demo_town's inbox made overdue.
for c in $(sql demo_town "SELECT case_id FROM minqing.inbox('all', NULL, NULL, NULL, 50)
                          WHERE status IN ('accepted', 'dispatched', 'in_progress') LIMIT 2"); do
	sql postgres "UPDATE minqing.cases SET due_at = now() - interval '2 days' WHERE case_id = $c" >/dev/null
done
want=$(sql demo_town "SELECT case_no FROM minqing.inbox('overdue', NULL, NULL, NULL, 50)")
[ -n "$want" ] || fail "demo_town has no overdue case to show"

console demo_town "$TMP/minqing.conf"
tt_keys main 2
tt_wait main 超期待办
n=$(tt_screen main | grep -E '^ +>? *[0-9]+  ' | grep -n 超期待办 | cut -d: -f1)
last=$(tt_screen main | grep -cE '^ +>? *[0-9]+  ')
[ "$n" = "$last" ] || fail "the new screen should be the last row of Daily work (row $n of $last)"
# (Digits open rows 1 to 9; with the daily-work modules the row may be the tenth.)
if [ "$n" -le 9 ]; then
	tt_keys main "$n"
else
	for _ in $(seq 2 "$n"); do tt_keys main Down; done
	tt_keys main Enter
fi
tt_wait main "超期待办   件数：$(grep -c . <<<"$want")"
got=$(tt_screen main | grep -oE '^[ >][ YOR] [A-Z]+-[0-9]{4}-[0-9]+' | cut -c4-)
[ "$got" = "$want" ] || fail "the new screen shows [$got], the inbox's overdue cases are [$want]"
echo "ok: a new screen from one file: a row at the end of Daily work, the overdue cases"
tt_keys main F10
tt_wait main EXIT=0

# The duties it names only: a village officer has no such row.
console demo_village "$TMP/minqing.conf"
tt_keys main 2
tt_wait main 案件查询
tt_screen main | grep -q 超期待办 && fail "an officer sees a screen for handlers"
echo "ok: not in the menu of a duty the view does not name"
tt_keys main F10
tt_wait main EXIT=0

# --- a broken view file stops the console with its file:line -----------------------------------
printf 'view = {\n\ttitle = { zh = "坏"; en = "Bad"; };\n\tfunction = "minqing.inbox";\n\tcolums = ();\n};\n' \
	>"$TMP/forms/bad.view"
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_town $MINQING -c $TMP/minqing.conf; echo EXIT=\$?"
tt_wait main EXIT=2
tt_screen main | grep -q 'bad.view:4: .*colums' || fail "the error does not name bad.view:4"
echo "ok: a broken view file stops the console with its file:line and a suggestion"
