#!/usr/bin/env bash
# --help-config of all four programs: the settings table printed from the one
# description in src/common/config.c, exit 0, with no database (PGHOST points
# nowhere) and no terminal; every setting (the key actions read from
# include/mq/config.h, not from the program) on a line of its own, in Chinese
# by default and in English with ui.language = "en"; the columns aligned by
# display width (a Chinese character is two columns); --help mentions it; a
# bad configuration file is still refused with 2. minqing-admin's -h in the
# configured language and each command's own --help, with no database.
set -euo pipefail
: "${MQ_BUILD_DIR:?set MQ_BUILD_DIR (ctest does)}"
: "${MQ_SOURCE_DIR:?set MQ_SOURCE_DIR (ctest does)}"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
# No server anywhere, no configuration of this machine or this person.
export PGHOST=/nonexistent PGPORT=1 PGCONNECT_TIMEOUT=1
export MINQING_SYSTEM_CONFIG=/nonexistent/minqing.conf XDG_CONFIG_HOME=$TMP/xdg
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset PGSERVICE PGDATABASE

printf 'ui = { language = "en"; };\n' >"$TMP/en.conf"
printf 'ui = { colour = true; };\n' >"$TMP/bad.conf"

# The names the table must hold: the fixed ones and keys.<action> for every
# action of the X-macro list in the header.
names=(database.conninfo database.service database.connect_timeout database.report_conninfo ui.language ui.color
	ui.bell ui.charts forms.dir export.dir export.encoding)
while read -r action; do
	names+=("keys.$action")
done < <(sed -n 's/^[[:space:]]*X(\([a-z_]*\) *)[[:space:]\\]*$/\1/p' \
	"$MQ_SOURCE_DIR/include/mq/config.h")
[ "${#names[@]}" -ge 30 ] || fail "read only ${#names[@]} setting names from config.h"

# run WHAT CMD...: runs CMD without a terminal; rc, $TMP/out, $TMP/err.
run() {
	set +e
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	set -e
}

# check_table WHAT LANG: the table in $TMP/out is complete, in LANG, aligned.
check_table() {
	local what=$1 lang=$2 name lines
	[ "$rc" -eq 0 ] || fail "$what: exit $rc, expected 0; stderr: $(cat "$TMP/err")"
	[ ! -s "$TMP/err" ] || fail "$what: wrote to stderr: $(cat "$TMP/err")"
	for name in "${names[@]}"; do
		grep -qE "^${name//./\\.}  " "$TMP/out" || fail "$what: no row for $name"
	done
	lines=$(wc -l <"$TMP/out")
	[ "$lines" -eq $((${#names[@]} + 1)) ] ||
		fail "$what: $lines lines, expected a header and ${#names[@]} rows"
	if [ "$lang" = zh ]; then
		head -1 "$TMP/out" | grep -qE '^设置 +类型 +默认值 +允许值 +说明$' ||
			fail "$what: Chinese header expected: $(head -1 "$TMP/out")"
		grep -qE '^database\.connect_timeout +整数 +10 +1\.\.300 +等待数据库服务器的秒数$' \
			"$TMP/out" || fail "$what: connect_timeout row not in Chinese"
		grep -qE '^ui\.language +选项 +"zh_CN" +"zh_CN", "en" +界面和提示信息的语言$' \
			"$TMP/out" || fail "$what: ui.language row not in Chinese"
	else
		head -1 "$TMP/out" | grep -qE '^SETTING +TYPE +DEFAULT +ALLOWED +DESCRIPTION$' ||
			fail "$what: English header expected: $(head -1 "$TMP/out")"
		grep -qE '^database\.connect_timeout +integer +10 +1\.\.300 +seconds to wait for the database server$' \
			"$TMP/out" || fail "$what: connect_timeout row not in English"
		grep -qE '^ui\.bell +boolean +false +true, false +ring the terminal bell on errors$' \
			"$TMP/out" || fail "$what: ui.bell row not in English"
		! grep -qP '[\x{4e00}-\x{9fff}]' "$TMP/out" || fail "$what: Chinese in the English table"
	fi
	# Every column starts at the same display column on every line: the cells
	# are separated by two or more spaces, and a CJK character is 2 columns.
	perl -CSD -Mutf8 -ne '
		chomp;
		my @cells = split /(?<=\S)(  +)(?=\S)/, $_, 5;
		my ($col, @starts) = (0);
		for my $i (0 .. $#cells) {
			push @starts, $col if $i % 2 == 0;
			my $w = 0;
			$w += /[\x{1100}-\x{115f}\x{2e80}-\x{a4cf}\x{ac00}-\x{d7a3}\x{f900}-\x{faff}\x{fe30}-\x{fe4f}\x{ff00}-\x{ff60}\x{ffe0}-\x{ffe6}]/ ? 2 : 1
				for split //, $cells[$i];
			$col += $w;
		}
		die "line $.: " . scalar(@starts) . " cells\n" unless @starts == 5;
		$want //= "@starts";
		die "line $.: columns start at @starts, the header at $want\n" unless "@starts" eq $want;
	' "$TMP/out" 2>"$TMP/align" || fail "$what: columns not aligned: $(cat "$TMP/align")"
}

for prog in minqing minqing-admin minqing-escalate minqing-notify; do
	bin=$MQ_BUILD_DIR/$prog
	run env LANGUAGE=zh_CN "$bin" --help-config
	check_table "$prog --help-config" zh
	cp "$TMP/out" "$TMP/$prog.zh"
	run "$bin" -c "$TMP/en.conf" --help-config
	check_table "$prog -c en.conf --help-config" en
	cp "$TMP/out" "$TMP/$prog.en"
	# The same table from every program.
	cmp -s "$TMP/$prog.zh" "$TMP/minqing.zh" || fail "$prog: Chinese table differs from minqing's"
	cmp -s "$TMP/$prog.en" "$TMP/minqing.en" || fail "$prog: English table differs from minqing's"
	# A bad configuration file is still a configuration error.
	run "$bin" -c "$TMP/bad.conf" --help-config
	[ "$rc" -eq 2 ] || fail "$prog -c bad.conf --help-config: exit $rc, expected 2"
	grep -qF "bad.conf:1:" "$TMP/err" || fail "$prog: bad.conf not reported: $(cat "$TMP/err")"
	# --help names it, in both languages.
	run "$bin" --help
	[ "$rc" -eq 0 ] || fail "$prog --help: exit $rc"
	grep -qE '^ +--help-config +列出配置文件的每项设置' "$TMP/out" ||
		fail "$prog --help does not mention --help-config: $(cat "$TMP/out")"
done

# minqing-admin: a global option, before any command; no command is needed.
run "$MQ_BUILD_DIR/minqing-admin" -c "$TMP/en.conf" --help-config
check_table "minqing-admin --help-config" en
run "$MQ_BUILD_DIR/minqing-admin" --help-config migrate
check_table "minqing-admin --help-config migrate" zh

# minqing-admin's help in the configured language, and a command's own help,
# with no database.
run "$MQ_BUILD_DIR/minqing-admin" -c "$TMP/en.conf" -h
[ "$rc" -eq 0 ] && grep -qF 'Usage: minqing-admin [-c FILE] COMMAND [ARGS]' "$TMP/out" ||
	fail "minqing-admin -c en.conf -h is not English: $rc $(cat "$TMP/out")"
for cmd in user import export report status; do
	run "$MQ_BUILD_DIR/minqing-admin" "$cmd" --help
	[ "$rc" -eq 0 ] && grep -qF "用法：minqing-admin [-c 文件] $cmd" "$TMP/out" ||
		fail "minqing-admin $cmd --help: exit $rc: $(cat "$TMP/out" "$TMP/err")"
done
run "$MQ_BUILD_DIR/minqing-admin" -c "$TMP/en.conf" user -h
grep -qF 'user add LOGIN --name NAME --unit CODE --duty DUTY [--position TEXT] [--phone NUMBER]' "$TMP/out" ||
	fail "minqing-admin user -h does not give user add's options: $(cat "$TMP/out")"
run "$MQ_BUILD_DIR/minqing-admin" -c "$TMP/bad.conf" -h
[ "$rc" -eq 0 ] && grep -qF '用法：minqing-admin' "$TMP/out" && grep -qF "bad.conf:1:" "$TMP/err" ||
	fail "minqing-admin -c bad.conf -h: exit $rc: $(cat "$TMP/out" "$TMP/err")"
echo "ok: minqing-admin -h in the configured language; each command's --help without a database"

echo "ok: --help-config of the four programs, ${#names[@]} settings"
