#!/usr/bin/env bash
# 村情档案 on the console, at 80x24, as a village officer, with the machine
# and the server's session at UTC, on a database of its own (the test saves
# revisions):
#
#   - Basic information › 村情档案 lists the officer's village; Enter opens
#     its eight sections, Enter on 村情概况 the section as a record;
#   - e edits it: 主要产业 typed in Chinese one key at a time and then as a
#     burst, F2 saves; the record shows the new text and one more revision;
#   - v opens the history: the new revision first, saying 主要产业; Enter
#     shows 改动对比 with before and after; c compares with 现在的内容;
#   - 班子建设: m adds a member, who shows on the record as 班子成员 N.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_archive_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
trap tt_cleanup EXIT
tt_scratch_db
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }
# A section's content, as the officer reads it.
section() { psql -qXtA -U demo_village -v ON_ERROR_STOP=1 -c "SELECT $2 FROM minqing.archive_section('$village', $1)"; }

village=$(q "SELECT u.code FROM minqing.staff s JOIN minqing.org_unit u USING (unit_id) WHERE s.login = 'demo_village'")
vname=$(q "SELECT name FROM minqing.org_unit WHERE code = '$village'")
rev1=$(section 1 revision_no)
old=$(section 1 "content ->> 'main_industries'")
members=$(section 2 "jsonb_array_length(content -> 'members')")
if [ -z "$old" ] || [ "$rev1" -lt 1 ] || [ "$members" -lt 1 ]; then fail "the demo data has no overview or members"; fi
new=茶叶种植、乡村旅游

tt_start main 80 24
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color TZ=UTC PGTZ=UTC PGUSER=demo_village $MINQING; echo EXIT=\$?"
tt_wait main 基础信息
tt_keys main 1
tt_wait main 村情档案
tt_keys main 2
tt_wait main "村情档案   辖区：$vname   村（社区）数：1"
tt_screen main | grep -qE "^>$vname " || fail "the village is not the list's row"
tt_keys main Enter
tt_wait main "$vname   部分：8"
tt_screen main | grep -qE '^> +1 村情概况' || fail "村情概况 is not the first section"
tt_keys main Enter
tt_wait main "$vname · 村情概况"
tt_wait main "修订次数  $rev1"
tt_has main "主要产业          $old"
tt_has main "e 修改概况"
echo "ok: 村情档案 → $vname → 村情概况 opens the section as a record"

tt_keys main e
tt_wait main "修改村情概况"
# 主要产业 is the seventh field
for _ in 1 2 3 4 5 6; do tt_keys main Tab; done
tt_keys main C-u
for ch in 茶 叶 种 植; do
	tt_keys main -l "$ch"
	sleep 0.05
done
tt_wait main "主要产业  茶叶种植"
tt_keys main -l "、乡村旅游"
tt_wait main "主要产业  $new"
tt_layout main 80 24 "the edit form"
tt_keys main F2
tt_wait main 已保存
tt_wait main "修订次数  $((rev1 + 1))"
tt_has main "主要产业          $new"
[ "$(section 1 "content ->> 'main_industries'")" = "$new" ] || fail "the database does not hold $new"
echo "ok: e edits 主要产业, typed a key at a time and as a burst; F2 saves revision $((rev1 + 1))"

tt_keys main v
tt_wait main "修订历史   修订：$((rev1 + 1))"
tt_screen main | grep -qE "^> +$((rev1 + 1)) .* 主要产业 *$" || fail "the new revision is not first, listing 主要产业"
tt_layout main 80 24 "the history"
echo "ok: v shows the history, the new revision first with 主要产业"
tt_keys main Enter
tt_wait main "改动对比   对比：上一版本   改动：1"
row=$(tt_screen main | grep -E '^>主要产业') || fail "the difference does not list 主要产业"
[[ $row == *"$old"* && $row == *"$new"* ]] || fail "before and after are not shown: [$row]"
tt_layout main 80 24 "the differences"
echo "ok: Enter shows 改动对比: 主要产业 from $old to $new"
tt_keys main c
tt_wait main "改动对比   对比：现在的内容   改动：0"
tt_wait main 这一版本之后没有改动
tt_keys main Escape
tt_wait main "修订历史   修订：$((rev1 + 1))"
tt_keys main Down Enter
tt_wait main "改动对比   对比：上一版本"
tt_keys main c
tt_wait main "改动对比   对比：现在的内容   改动：1"
row=$(tt_screen main | grep -E '^>主要产业') || fail "against the current content, 主要产业 is not listed"
[[ $row == *"$old"* && $row == *"$new"* ]] || fail "the revision before and now are not shown: [$row]"
echo "ok: c compares a revision with 现在的内容"

tt_keys main Escape
tt_wait main "修订历史"
tt_keys main Escape
tt_wait main "$vname · 村情概况"
tt_keys main Escape
tt_wait main "$vname   部分：8"
tt_keys main Down Enter
tt_wait main "$vname · 班子建设"
tt_wait main "m 添加成员"
tt_keys main m
tt_wait main 添加班子成员
tt_keys main Tab
tt_keys main -l 林晓燕
tt_keys main Tab
tt_keys main -l 委员
tt_keys main F2
tt_wait main 已保存
tt_keys main End
tt_wait main "班子成员 $((members + 1))"
tt_screen main | grep -A3 -F "班子成员 $((members + 1))" | grep -qF 林晓燕 ||
	fail "the new member is not 班子成员 $((members + 1))"
tt_layout main 80 24 "the section's record"
echo "ok: m adds a member, shown as 班子成员 $((members + 1))"

tt_keys main F10
tt_wait main EXIT=0
