#!/usr/bin/env bash
# minqing-admin report: the report screens' figures for cron and
# spreadsheets, read through the same view files as the console. Checked
# against the database's own functions as the caller (row-level security
# decides), in text, CSV (as E writes it: BOM, CRLF) and JSON, with the
# exit codes an administrator's script relies on.
set -euo pipefail
: "${PGDATABASE:?run through ./dev.sh test}" "${MQ_BUILD_DIR:?}"
admin=$MQ_BUILD_DIR/minqing-admin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=clilib.bash
source "$(dirname "$0")/clilib.bash"
as() { local who=$1; shift; env PGUSER="$who" "$admin" "$@"; }
q() { psql -qAtX -U "$1" -c "$2"; }

# --- the list of reports, and what is not one -----------------------------------
check "the reports are listed" 0 as demo_supervisor report
expect_in "$tmp/out" "summary" "the summary is a report"
expect_in "$tmp/out" "民情e站概况" "listed with its Chinese title"
check "an unknown report" 2 as demo_supervisor report no_such_report
expect_in "$tmp/err" "no_such_report" "the message names it"
check "two names" 2 as demo_supervisor report summary summary
check "a format that is not one" 2 as demo_supervisor report summary --format xml
check "an option the report does not take" 2 as demo_supervisor report summary --by centre
expect_in "$tmp/err" "by" "the message names the option"

# --- the summary, as the district supervisor and as a town's ------------------------
# The cases recorded as the function counts them, just before and just
# after a report ran: the other tests record cases in this database at the
# same time, so the report's figure lies between the two.
recorded() { q "$1" "SELECT value FROM minqing.report_summary_lines() WHERE label_zh = '受理登记'"; }
within() { # got, before, after, description
	if [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; then echo "ok: $4"; pass=$((pass + 1)); else
		echo "FAIL: $4: got [$1], want $2 to $3"; fails=$((fails + 1)); fi
}
for who in demo_supervisor demo_town_supervisor; do
	before=$(recorded "$who")
	check "summary as $who" 0 as "$who" report summary
	after=$(recorded "$who")
	expect_in "$tmp/out" "受理登记" "$who: the figures are labelled in Chinese"
	got=$(grep '受理登记' "$tmp/out" | awk '{print $NF}')
	within "$got" "$before" "$after" "$who: cases recorded as the function counts them"

	check "summary as CSV ($who)" 0 as "$who" report summary --format csv --output "$tmp/s.csv"
	same "$(head -c 3 "$tmp/s.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "$who: the CSV starts with a byte-order mark"
	same "$(grep -c $'\r$' "$tmp/s.csv")" "$(wc -l <"$tmp/s.csv")" "$who: every CSV line ends in CRLF"
	same "$(grep -c '' "$tmp/s.csv")" "$(( $(q "$who" "SELECT count(*) FROM minqing.report_summary_lines()") + 3 ))" \
		"$who: a header, the jurisdiction and the time, and a line a figure"
	expect_in "$tmp/s.csv" "数据截至" "$who: the CSV says how current the figures are"

	before=$(recorded "$who")
	check "summary as JSON ($who)" 0 as "$who" report summary --format json
	after=$(recorded "$who")
	n=$(psql -qAtX -U "$who" -v j="$(cat "$tmp/out")" <<<"SELECT jsonb_array_length(:'j'::jsonb->'lines')")
	same "$n" "$(q "$who" "SELECT count(*) FROM minqing.report_summary_lines()")" "$who: JSON parses, an object a figure"
	got=$(psql -qAtX -U "$who" -v j="$(cat "$tmp/out")" <<<"SELECT e->>'value' FROM jsonb_array_elements(:'j'::jsonb->'lines') e WHERE e->>'label' = '受理登记'")
	within "$got" "$before" "$after" "$who: JSON values are the raw figures"
done
district=$(q demo_supervisor "SELECT value FROM minqing.report_summary_lines() WHERE label_zh = '受理登记'")
town=$(q demo_town_supervisor "SELECT value FROM minqing.report_summary_lines() WHERE label_zh = '受理登记'")
[ "$town" -lt "$district" ] && { echo "ok: a town supervisor counts fewer cases than the district"; pass=$((pass + 1)); } ||
	{ echo "FAIL: town $town, district $district"; fails=$((fails + 1)); }

check "summary in GBK" 0 as demo_supervisor report summary --format csv --encoding gbk --output "$tmp/g.csv"
same "$(iconv -f GBK -t UTF-8 "$tmp/g.csv" | head -1 | tr -d '\r')" "项目,数值" "GBK: converted, no byte-order mark"
expect_in "$tmp/g.csv" "$(printf '辖区' | iconv -t GBK)" "GBK: the Chinese is GBK"

# --- 统计报表 by unit and by kind: the function's rows, as the caller -----------------
check "units for 2026" 0 as demo_supervisor report units --period 2026 --format csv --output "$tmp/u.csv"
same "$(grep -c '' "$tmp/u.csv")" "$(( $(q demo_supervisor "SELECT count(*) FROM minqing.report_units(NULL, '2026')") + 1 ))" \
	"units: a header and a row a unit"
total=$(q demo_supervisor "SELECT recorded FROM minqing.report_units(NULL, '2026') WHERE is_total")
same "$(sed -n 2p "$tmp/u.csv" | cut -d, -f2)" "$total" "units: the district's total first, as the function counts"
check "units, a month typed in Chinese" 0 as demo_supervisor report units --period 2026年3月 --format json
n=$(psql -qAtX -U demo_supervisor -v j="$(cat "$tmp/out")" <<<"SELECT jsonb_array_length(:'j'::jsonb)")
same "$n" "$(q demo_supervisor "SELECT count(*) FROM minqing.report_units(NULL, '2026-03')")" "units: 2026年3月 is the period 2026-03"
check "a period that is not one" 2 as demo_supervisor report units --period 明年某天
expect_in "$tmp/err" "看不懂这个期间" "the screen's own words for it"
check "units of a town, as its supervisor" 0 as demo_town_supervisor report units --unit T01 --format csv --output "$tmp/t.csv"
same "$(grep -c '' "$tmp/t.csv")" "$(( $(q demo_town_supervisor "SELECT count(*) FROM minqing.report_units('T01', NULL)") + 1 ))" \
	"a town supervisor: the town and its units"
check "another town, as that supervisor" 0 as demo_town_supervisor report units --unit T02 --format csv --output "$tmp/t2.csv"
same "$(grep -c '' "$tmp/t2.csv")" 1 "another town: the header alone (row-level security)"
check "by category" 0 as demo_supervisor report breakdown --by category --period 2026 --format json
n=$(psql -qAtX -U demo_supervisor -v j="$(cat "$tmp/out")" <<<"SELECT jsonb_array_length(:'j'::jsonb)")
same "$n" "$(q demo_supervisor "SELECT count(*) FROM minqing.report_breakdown(NULL, '2026', 'category')")" "breakdown: a row a category"
check "by something that is not a kind" 2 as demo_supervisor report breakdown --by colour

# --- refusals come from the database --------------------------------------------------
check "a kiosk may not read the summary" 1 as demo_kiosk report summary
check "an unwritable output" 1 as demo_supervisor report summary --output /nonexistent/dir/x.csv

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
