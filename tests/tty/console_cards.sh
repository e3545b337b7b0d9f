#!/usr/bin/env bash
# 便民服务卡 on the console, at 80x24, as the information officer of 天兴社区
# (demo_village), on a database of its own (the test issues a card):
#
#   - 日常工作 › 常态服务 › 未发服务卡的农户: the village's households without a
#     live card; i opens the issue form filled with the household's linked
#     party member and the officer; F2 issues the card, and the household
#     leaves the list;
#   - 便民服务卡: the new card first (newest first); Enter shows it as it is
#     printed: a frame of 72 columns whose lines are whole (each exactly as
#     wide as the top, its right edge in place: no Chinese character cut in
#     two), with the number, the household's head and the contacts;
#   - R (挂失补办) voids it with a reason and shows the new number's card.
#
# The console runs in a pane one column and one row larger than it is told
# (COLUMNS, LINES): anything drawn past 80x24 would show (tt_layout).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_cards_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
trap tt_cleanup EXIT
tt_scratch_db
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }

# The first household of the officer's list, as the officer reads it.
IFS='|' read -r hid hno head member < <(psql -qXtA -U demo_village -c "
	SELECT household_id, household_no, head_name, coalesce(member_name, '')
	  FROM minqing.households_without_card(p_limit => 1)")
[ -n "$hid" ] || fail "demo_village has no household without a card"

# Every line of the printed card on the screen: as wide as its top line
# (display columns, a Chinese character two), starting and ending with a
# frame character. Prints the bad lines.
frame_check() {
	tt_screen main | perl -CSD -Mutf8 -ne '
		chomp; s/\s+$//;
		next unless /[┌│├└]/;
		my $w = () = /./g; $w += () = /[\p{Ea=W}\p{Ea=F}]/g;
		$top //= $w if /┌/;
		$n++;
		print "line $.: $w columns, not 74: $_\n" if $w != 74;
		print "line $.: not framed: $_\n" unless /^  [┌│├└].*[┐│┤┘]$/;
		END { print "only $n frame lines\n" if $n < 14 }'
}

tt_start main 81 25
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color COLUMNS=80 LINES=24 PGUSER=demo_village $MINQING; echo EXIT=\$?"
tt_wait main 基础信息
tt_menu main 日常工作
tt_menu main 常态服务
tt_menu main 未发服务卡的农户
tt_wait main "未发服务卡的农户   辖区：天兴社区"
tt_screen main | grep -qE "^>$hno +$head " || fail "the household $hno of $head is not the first row"
tt_layout main 80 24 "the households without a card"
echo "ok: the village's households without a card, $hno first"

tt_keys main i
tt_wait main 发放便民服务卡
[ -z "$member" ] || tt_has main "联系党员  $member"
tt_keys main F2
tt_wait main 已保存
tt_gone main "$hno"
no=$(q "SELECT card_no FROM minqing.service_card WHERE household_id = $hid AND voided_at IS NULL")
[[ $no =~ ^T01V01-[0-9]{4}$ ]] || fail "no live card $no for $hno"
tt_has main "已保存：卡号 $no。"
echo "ok: i and F2 issue card $no to $hno, which leaves the list; the message line names it"

tt_keys main Escape
tt_menu main 便民服务卡
tt_wait main "便民服务卡   显示：有效卡"
tt_screen main | grep -qE "^>$no +$hno +$head " || fail "the new card $no is not the first row"
tt_keys main Enter
tt_wait main "便民服务卡 $no"
tt_wait main "└"
tt_has main "卡号：$no"
tt_has main "户主：$head"
[ -z "$member" ] || tt_has main "联系党员：$member"
tt_has main "R 挂失补办"
bad=$(frame_check)
[ -z "$bad" ] || fail "the printed card: $bad"
tt_layout main 80 24 "the printed card"
echo "ok: Enter shows the printed card $no, its frame whole at 80x24"

tt_keys main R
tt_wait main 便民服务卡挂失补办
tt_keys main -l 户主报告卡片遗失
tt_keys main F2
tt_wait main 已保存
tt_wait_re main "状态 +已作废"
tt_wait main 户主报告卡片遗失
new=$(q "SELECT card_no FROM minqing.service_card WHERE household_id = $hid AND voided_at IS NULL")
tt_has main "已保存：卡号 $new。"
[ -n "$new" ] && [ "$new" != "$no" ] || fail "no new card after the reissue"
tt_screen main | grep -qE "补办新卡 +$new" || fail "the void card does not name $new"
[ "$(q "SELECT count(*) FROM minqing.service_card WHERE household_id = $hid")" = 2 ] ||
	fail "the old card is not kept"
bad=$(frame_check)
[ -z "$bad" ] || fail "the void card: $bad"
echo "ok: R voids $no with the reason and issues $new"

tt_keys main Escape Escape Escape Escape F10
tt_wait main EXIT=0
echo "ok: console_cards"
