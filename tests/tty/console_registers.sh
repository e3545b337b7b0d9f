#!/usr/bin/env bash
# The registers (docs/registers.md) at 80x24 as the district's administrator,
# on a database of its own (the test takes a station out of use):
#
#   - Basic information has 分站登记 (and 工作人员账号, 信息员名册);
#   - 分站登记 lists the stations in use by code, the central station first,
#     the responsible person's phone masked; a station taken out of use in
#     the database leaves the list and shows under u (已停用);
#   - f finds a station by part of its name.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_registers_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
trap tt_cleanup EXIT
tt_scratch_db
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }

central=$(q "SELECT name FROM minqing.station WHERE kind = 'central'")
phone=$(q "SELECT responsible_phone FROM minqing.station WHERE kind = 'central'")
masked=$(q "SELECT minqing.mask_phone('$phone')")
[ -n "$phone" ] || fail "the central station has no phone in the demo data"
second=$(q "SELECT code || ' ' || name FROM minqing.station WHERE kind <> 'central' ORDER BY code LIMIT 1")
read -r second_code second_name <<<"$second"

tt_start main 80 24
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_admin $MINQING; echo EXIT=\$?"
tt_wait main 基础信息
tt_keys main 1
# 登记管理 holds the three registers (its row says what is in it)
tt_wait main 登记管理
tt_has main 分站登记
tt_keys main 7
tt_wait main 工作人员账号
tt_has main 信息员名册
# 分站登记 is the last row (the view files' rows come in the order of their
# file names: officers, staff, stations)
tt_keys main G
sleep 0.3
tt_keys main Enter
tt_wait main "本年在办"
tt_wait main "$central"
tt_has main "$masked"
tt_hasnt main "$phone"
tt_has main "状态：在用"
echo "ok: 分站登记 lists the stations in use, the central station first, its phone masked"

q "UPDATE minqing.station SET active = false WHERE code = '$second_code'"
tt_keys main r
tt_gone main "$second_name"
tt_keys main u
tt_wait main "状态：已停用"
tt_wait main "$second_name"
echo "ok: a station out of use leaves the list and shows under 已停用"

tt_keys main u
tt_wait main "状态：全部"
tt_keys main f
tt_wait main 查找分站
tt_keys main "$central" Enter
tt_wait main "查找：$central"
n=$(tt_screen main | sed -n '5,22p' | grep -c '^.ST[0-9]' || true)
[ "$n" = 1 ] || fail "the search shows $n stations, not the one"
echo "ok: f finds a station by its name"
tt_keys main F10
tt_wait main EXIT=0
