#!/usr/bin/env bash
# The man pages of docs/man (issue 15). Each page renders without a single
# warning from man-db (`man --warnings -l`, as a person reads it at 80
# columns) and from groff (`groff -ww`), is ASCII (groff 1.22 reads its input
# as Latin-1: Chinese is written \[uXXXX]) and is titled after its file. And
# the pages say what the programs do, checked against the programs themselves
# so that they cannot drift apart:
#
#   - every long option of each program's --help, in English and in Chinese
#     (which must name the same options), is in the program's page, and so is
#     every long option of the getopt tables in the program's source (the help
#     of minqing-admin shows the commands' usages cut at 40 columns);
#   - every setting of `minqing --help-config` has its entry in minqing.conf(5),
#     and every entry there is a setting;
#   - every command of `minqing-admin --help` (and of the command table in
#     src/admin) has its section in minqing-admin(8);
#   - every setting, type, format and value the form and view readers know
#     (src/common/form-read.c, form.c, view.c, cfgread.c) is in bold in
#     minqing-forms(5).
#
# Each of these checks is also run on a copy of its page with one name taken
# out, and must fail there: a check that cannot fail checks nothing.
#
# Usage: MQ_BUILD_DIR=build/dev MQ_SOURCE_DIR=$PWD bash tests/man/check.sh
# It needs no database and no terminal. Prints "N passed, M failed".
set -uo pipefail
: "${MQ_BUILD_DIR:?set MQ_BUILD_DIR (the build with the programs)}"
: "${MQ_SOURCE_DIR:?set MQ_SOURCE_DIR (the source tree)}"
BUILD=$(cd "$MQ_BUILD_DIR" && pwd) || exit 2
SRC=$(cd "$MQ_SOURCE_DIR" && pwd) || exit 2
MAN=$SRC/docs/man

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# No server, no configuration of this machine or this person.
export PGHOST=/nonexistent PGPORT=1 PGCONNECT_TIMEOUT=1
export MINQING_SYSTEM_CONFIG=/nonexistent/minqing.conf XDG_CONFIG_HOME=$TMP/xdg
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset PGSERVICE PGDATABASE MINQING_LOCALEDIR

passed=0
failed=0
ok() {
	echo "ok: $*"
	passed=$((passed + 1))
}
bad() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}

PAGES=(minqing.1 minqing-admin.8 minqing-escalate.8 minqing-notify.8 minqing.conf.5 minqing-forms.5)
declare -A PAGE_OF=([minqing]=minqing.1 [minqing-admin]=minqing-admin.8
	[minqing-escalate]=minqing-escalate.8 [minqing-notify]=minqing-notify.8)
declare -A SOURCES_OF=([minqing]="src/console/main.c" [minqing-admin]="src/admin/*.c"
	[minqing-escalate]="src/escalate/escalate.c" [minqing-notify]="src/notify/notify.c")

# render PAGE: the page as plain text on one very long line per paragraph, so
# that no option or name is broken across lines.
render() {
	groff -man -Tutf8 -rLL=2000n -P-cbou "$1" 2>/dev/null
}

# words_in TEXT_FILE WORD...: prints the words that do not occur in the file
# as whole words (not inside a longer name such as --partial for --part).
missing_words() {
	local file=$1 w
	shift
	for w in "$@"; do
		grep -qE -- "(^|[^A-Za-z0-9_.-])${w//./\\.}([^A-Za-z0-9_-]|$)" "$file" || echo "$w"
	done
}

# --- rendering --------------------------------------------------------------------------

for f in "$MAN"/*; do
	name=${f##*/}
	[[ " ${PAGES[*]} " == *" $name "* ]] || bad "docs/man/$name is not a page this test knows: add it to PAGES"
done

for page in "${PAGES[@]}"; do
	f=$MAN/$page
	if [ ! -f "$f" ]; then
		bad "$page: missing"
		continue
	fi
	if LC_ALL=C grep -nP '[^\x00-\x7F]' "$f" >"$TMP/nonascii"; then
		bad "$page: non-ASCII at $(head -3 "$TMP/nonascii" | cut -d: -f1 | tr '\n' ' ')(write it as \\[uXXXX]: perl -CSD -pe 's/([^\\x00-\\x7f])/sprintf(\"\\\\[u%04X]\",ord \$1)/ge')"
	else
		ok "$page: ASCII"
	fi
	# .TH NAME SECTION: the file name, upper case, and its extension.
	th=$(sed -n 's/^\.TH \([^ ]*\) \([^ ]*\) .*/\1 \2/p' "$f" | head -1)
	want="$(echo "${page%.*}" | tr '[:lower:]' '[:upper:]') ${page##*.}"
	if [ "$th" = "$want" ]; then
		ok "$page: .TH $th"
	else
		bad "$page: .TH says '$th', expected '$want'"
	fi

	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$f" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$TMP/err" ] && [ -s "$TMP/out" ]; then
		ok "$page: man --warnings -l renders it without a warning"
	else
		bad "$page: man --warnings -l: exit $rc: $(head -5 "$TMP/err")"
	fi
	# An example too wide for the terminal is not a warning, but is cut or
	# wrapped there: no line wider than 80 columns (a Chinese character is two).
	perl -CSD -ne 'chomp; (my $w = $_) =~ s/[\p{Han}\x{3000}-\x{303F}\x{FF01}-\x{FF60}\x{FFE0}-\x{FFE6}]/xx/g;
		print "$.:" . length($w) . " " if length($w) > 80' "$TMP/out" >"$TMP/wide"
	if [ -s "$TMP/out" ] && [ ! -s "$TMP/wide" ]; then
		ok "$page: fits 80 columns"
	else
		bad "$page: lines wider than 80 columns (line:width): $(cat "$TMP/wide")"
	fi
	groff -ww -z -man -Tutf8 "$f" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$TMP/err" ]; then
		ok "$page: groff -ww is silent"
	else
		bad "$page: groff -ww: exit $rc: $(head -5 "$TMP/err")"
	fi
done

# --- options ------------------------------------------------------------------------------

# help_options PROGRAM LANG: the long options its --help names, one a line; an
# option the help cuts short ("--part…") is printed with its ellipsis. With
# LANG en the catalogue is not found and the msgids (English) are printed.
help_options() {
	local prog=$1 lang=$2
	if [ "$lang" = en ]; then
		MINQING_LOCALEDIR=$TMP/no-catalogue "$BUILD/$prog" --help </dev/null
	else
		"$BUILD/$prog" --help </dev/null
	fi | grep -oE -- '--[a-z][a-z0-9-]*…?' | sort -u
}

# source_options PROGRAM: the long options of the getopt tables of its source.
source_options() {
	# shellcheck disable=SC2086 # the sources are a glob
	(cd "$SRC" && grep -ohE '\{"[a-z][a-z0-9-]*", *(no|required|optional)_argument' ${SOURCES_OF[$1]}) |
		sed -E 's/^\{"([^"]*)".*/--\1/' | sort -u
}

# same_options A B: the options of the list A that B lacks and the other way
# round; nothing when they agree. A whole option agrees with a cut one
# ("--p…") that begins it; a cut one is not reported (the other language's
# help may be cut before it).
same_options() {
	local a=$1 b=$2
	awk '
		FNR == 1 { file++ }
		{ opt[file, $0] = 1; list[file] = list[file] " " $0 }
		END {
			for (f = 1; f <= 2; f++) {
				n = split(list[f], mine, " ")
				split(list[3 - f], theirs, " ")
				for (i = 1; i <= n; i++) {
					o = mine[i]
					if ((3 - f, o) in opt) continue
					# a cut one may be missing from the help in the other language
					# (cut earlier there); the page check below has it
					if (o ~ /…$/) continue
					found = 0
					for (j in theirs) {
						t = theirs[j]
						if (t ~ /…$/ && index(o, substr(t, 1, length(t) - length("…"))) == 1) found = 1
						if (o ~ /…$/ && index(t, substr(o, 1, length(o) - length("…"))) == 1) found = 1
					}
					if (!found) printf "%s only in %s; ", o, (f == 1 ? "English" : "Chinese")
				}
			}
		}' "$a" "$b"
}

# check_options PROGRAM PAGE_FILE: every option of the help and the source is
# in the page (a cut one as the start of one). Says what is missing; 1 then.
check_options() {
	local prog=$1 file=$2 text=$TMP/options.txt miss=() o
	render "$file" >"$text"
	while read -r o; do
		if [[ $o == *… ]]; then
			grep -qE -- "(^|[^A-Za-z0-9-])${o%…}[a-z0-9-]*" "$text" || miss+=("$o")
		else
			[ -z "$(missing_words "$text" "$o")" ] || miss+=("$o")
		fi
	done < <(
		help_options "$prog" en
		help_options "$prog" zh
		source_options "$prog"
	)
	if [ "${#miss[@]}" -gt 0 ]; then
		echo "not in ${file##*/}: $(printf '%s\n' "${miss[@]}" | sort -u | tr '\n' ' ')"
		return 1
	fi
}

for prog in minqing minqing-admin minqing-escalate minqing-notify; do
	if [ ! -x "$BUILD/$prog" ]; then
		bad "$prog: not built in $BUILD"
		continue
	fi
	help_options "$prog" en >"$TMP/en"
	help_options "$prog" zh >"$TMP/zh"
	MINQING_LOCALEDIR=$TMP/no-catalogue "$BUILD/$prog" --help </dev/null 2>&1 | head -1 >"$TMP/en.head"
	"$BUILD/$prog" --help </dev/null 2>&1 | head -1 >"$TMP/zh.head"
	# Each language really is one: else the comparison below compares a text with itself.
	if grep -q '^Usage: ' "$TMP/en.head" && grep -qP '\p{Han}' "$TMP/zh.head"; then
		ok "$prog: --help in English and in Chinese"
	else
		bad "$prog: --help not in both languages: '$(cat "$TMP/en.head")' / '$(cat "$TMP/zh.head")'"
	fi
	# The same options in both; where one language's help cuts an option
	# short ("--pe…" beside "--period"), what is left must begin it.
	differ=$(same_options "$TMP/en" "$TMP/zh")
	if [ -z "$differ" ]; then
		ok "$prog: English and Chinese --help name the same $(grep -vc '…' "$TMP/en") options"
	else
		bad "$prog: English and Chinese --help name different options: $differ"
	fi
	n=$(source_options "$prog" | wc -l)
	[ "$n" -ge 4 ] || bad "$prog: read only $n long options from ${SOURCES_OF[$prog]}"
	if out=$(check_options "$prog" "$MAN/${PAGE_OF[$prog]}"); then
		ok "$prog: every long option of --help and of the source ($n) is in ${PAGE_OF[$prog]}"
	else
		bad "$prog: $out"
	fi
done

# --- settings -----------------------------------------------------------------------------

printf 'ui = { language = "en"; };\n' >"$TMP/en.conf"
"$BUILD/minqing" --help-config -c "$TMP/en.conf" </dev/null | awk 'NR > 1 { print $1 }' >"$TMP/settings"

# check_settings PAGE_FILE: every setting is an entry (a .TP tag in bold) of
# the page, and every such entry with a dot is a setting.
check_settings() {
	local file=$1 rc=0 miss extra
	awk 'prev ~ /^\.TP/ && /^\.B [a-z_]+\.[a-z_.]+$/ { print $2 } { prev = $0 }' "$file" |
		sort -u >"$TMP/entries"
	miss=$(comm -23 <(sort -u "$TMP/settings") "$TMP/entries" | tr '\n' ' ')
	extra=$(comm -13 <(sort -u "$TMP/settings") "$TMP/entries" | tr '\n' ' ')
	[ -z "$miss" ] || {
		echo "no entry in ${file##*/} for: $miss"
		rc=1
	}
	[ -z "$extra" ] || {
		echo "entries of ${file##*/} that --help-config does not know: $extra"
		rc=1
	}
	return $rc
}

n=$(wc -l <"$TMP/settings")
if [ "$n" -lt 30 ]; then
	bad "minqing --help-config: only $n settings read"
elif out=$(check_settings "$MAN/minqing.conf.5"); then
	ok "minqing.conf.5: an entry for each of the $n settings of --help-config, and no other"
else
	bad "minqing.conf.5: $out"
fi

# --- minqing-admin's commands ----------------------------------------------------------------

MINQING_LOCALEDIR=$TMP/no-catalogue "$BUILD/minqing-admin" --help </dev/null |
	awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on && /^  [^ ]/ { print $1 }' >"$TMP/commands"
grep -ohE '\.name = "[a-z-]+"' "$SRC"/src/admin/*.c | sed -E 's/.*"(.*)"/\1/' >>"$TMP/commands"
sort -u -o "$TMP/commands" "$TMP/commands"

# check_commands PAGE_FILE: a section (.SS) for every command.
check_commands() {
	local file=$1 miss
	sed -n 's/^\.SS "\{0,1\}\([^ "]*\).*/\1/p' "$file" | sed 's/\\-/-/g' | sort -u >"$TMP/sections"
	miss=$(comm -23 "$TMP/commands" "$TMP/sections" | tr '\n' ' ')
	[ -z "$miss" ] || {
		echo "no section in ${file##*/} for: $miss"
		return 1
	}
}

n=$(wc -l <"$TMP/commands")
if [ "$n" -lt 8 ]; then
	bad "minqing-admin: only $n commands read from --help and src/admin"
elif out=$(check_commands "$MAN/minqing-admin.8"); then
	ok "minqing-admin.8: a section for each of the $n commands"
else
	bad "minqing-admin.8: $out"
fi

# --- the form and view files ---------------------------------------------------------------

# Every word of the readers' tables: settings, types, lookup kinds, context
# sources, formats, menus, layouts, sources, alignments, statuses, duties.
(cd "$SRC/src/common" && perl -0ne '
	while (/const\s+char\s*\*\s*const\s+(\w+)\s*\[[^\]]*\]\s*(?:MQ_UNUSED\s*)?=\s*\{(.*?)\};/sg) {
		my ($name, $body) = ($1, $2);
		next if $name eq "yes" || $name eq "no";   # what a yes/no field reads
		print "$_\n" for $body =~ /"([^"]+)"/g;
	}' form-read.c form.c view.c cfgread.c) | sort -u >"$TMP/form_words"

# check_forms PAGE_FILE: every word is in bold in the page (rendered with
# overstrikes: a bold character is "c\bc").
check_forms() {
	local file=$1 miss
	groff -man -Tutf8 -rLL=2000n -P-c -P-u "$file" 2>/dev/null |
		perl -CSD -ne 'while (/((?:(.)\x08\2)+)/g) { (my $b = $1) =~ s/.\x08//g;
			for (split /\s+/, $b) { s/^[^a-z0-9_]+//; s/[^a-z0-9_]+$//; print "$_\n" if length } }' |
		sort -u >"$TMP/bold"
	miss=$(comm -23 "$TMP/form_words" "$TMP/bold" | tr '\n' ' ')
	[ -z "$miss" ] || {
		echo "not in bold in ${file##*/}: $miss"
		return 1
	}
}

n=$(wc -l <"$TMP/form_words")
if [ "$n" -lt 100 ]; then
	bad "minqing-forms.5: only $n words read from the readers' tables"
elif out=$(check_forms "$MAN/minqing-forms.5"); then
	ok "minqing-forms.5: all $n settings and values of the form and view readers, in bold"
else
	bad "minqing-forms.5: $out"
fi

# --- the checks can fail ---------------------------------------------------------------------

# A page with one name taken out (sed script) must fail its check.
must_fail() {
	local what=$1 page=$2 script=$3
	shift 3
	sed "$script" "$MAN/$page" >"$TMP/$page"
	if cmp -s "$MAN/$page" "$TMP/$page"; then
		bad "self-test $what: the edit '$script' changed nothing in $page"
	elif "$@" "$TMP/$page" >/dev/null; then
		bad "self-test $what: $page without it still passes"
	else
		ok "self-test $what: $page without it fails"
	fi
}
must_fail "an option" minqing-notify.8 's/no\\-inbox/no\\-inbax/g' check_options minqing-notify
must_fail "a setting" minqing.conf.5 's/^\.B keys\.urge$/.B keys.urgent/' check_settings
must_fail "a command" minqing-admin.8 's/^\.SS export$/.SS exporting/' check_commands
must_fail "a view setting" minqing-forms.5 's/max_chars/maxchars/g' check_forms
# An option one language's help has and the other's lacks (even cut short).
printf '%s\n' --batch --once >"$TMP/a"
printf '%s\n' --batch --onc… --no-inbox >"$TMP/b"
differ=$(same_options "$TMP/a" "$TMP/b")
if [ "$differ" = "--no-inbox only in Chinese; " ]; then
	ok "self-test the two languages: an option only one names is found"
else
	bad "self-test the two languages: got '$differ'"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
