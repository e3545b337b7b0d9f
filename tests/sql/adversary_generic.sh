#!/usr/bin/env bash
# The generic adversary: every SECURITY DEFINER function in the catalogue, and
# every other one staff or kiosks may call but the immutable ones,
# found there (not listed here), attacked by every duty with psql over real
# connections. A function added by a later migration is attacked without
# anyone remembering to.
#
#  A. foreign rows: each function called by each duty with the ids, unit codes
#     and logins of another jurisdiction (another district; another town for
#     village, town and department accounts), once per state of the foreign
#     case; each call in its own transaction, rolled back. It passes when it
#     was refused, or wrote nothing (no transaction id was assigned) and
#     returned none of the foreign rows' marker text, case numbers or ID number.
#     Two functions write by design and take no argument: case_news_relay()
#     and outbox_news_relay() notify (and so take) whatever news is waiting,
#     the same for every caller (030_case_news.sql, 032_outbox_news.sql);
#     they must not leak either.
#  B. hostile text: every call that works on the caller's own case with a
#     normal text is made again with each text parameter oversized (1,000,000
#     characters), blank (U+3000), carrying U+202E, U+200B or a control
#     character: it must be refused (or store nothing bad: a blank optional
#     note becomes no note), quickly.
#  C. shadowed names: a caller allowed temporary objects creates a temporary
#     table (with triggers that fail loudly) or view (calling a function that
#     fails loudly) for every identifier in the source of every function of
#     the schema, then runs A and B again: nothing may reach them.
# Prints its figures: functions, duties, attempts, refusals, timings.
set -uo pipefail
: "${PGDATABASE:?run through ./dev.sh test}" "${MQ_BUILD_DIR:?}"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'psql -qX -U postgres -c "REVOKE TEMPORARY ON DATABASE \"$PGDATABASE\" FROM demo_town, demo_village" >/dev/null 2>&1
      psql -qX -U postgres -f "$here/adversary/unworld.sql" >/dev/null 2>&1; rm -rf "$work"' EXIT
super() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 "$@"; }
as() { # account sql: one value, or fail the whole test
	local out
	out=$(psql -qXtA -U "$1" -v ON_ERROR_STOP=1 -c "$2" 2>&1) || { echo "setup failed as $1: $2: $out"; exit 1; }
	printf '%s' "$out"
}

# --- the foreign world: a second district, and cases in every state ---------------
PGOPTIONS="-c client_min_messages=warning" super -f "$here/adversary/world.sql" >/dev/null || { echo "setup of the second district failed"; exit 1; }
cat_of() { super -c "SELECT min(category_id) FROM minqing.case_category WHERE district_id = $1 AND parent_id IS NOT NULL AND active"; }
# make_cases PREFIX OFFICER TOWN_HANDLER VILLAGE_HANDLER VILLAGE_CODE DISTRICT PHONE:
# seven cases of the officer's village, received .. reported. Titles and
# case numbers are public (the publication board); the content, the full
# name and the phone number are not, and carry the prefix's marker.
make_cases() {
	local p=$1 off=$2 th=$3 vh=$4 vcode=$5 cat ids=() i id
	cat=$(cat_of "$6")
	for i in 1 2 3 4 5 6 7; do
		id=$(as "$off" "SELECT case_id FROM minqing.case_intake('walk_in', '${p}标题$i', '${p}机密内容$i', $cat, '${p}机密人', '${7}000$i')")
		ids+=("$id")
		[ "$i" -ge 2 ] && as "$th" "SELECT minqing.case_accept($id)" >/dev/null
		[ "$i" -ge 3 ] && as "$th" "SELECT minqing.case_dispatch($id, '$vcode', '$vh')" >/dev/null
		[ "$i" -ge 4 ] && as "$vh" "SELECT minqing.case_start($id)" >/dev/null
		[ "$i" -eq 5 ] && as "$vh" "SELECT minqing.case_pause($id, '等待补充材料')" >/dev/null
		[ "$i" -ge 6 ] && as "$vh" "SELECT minqing.case_resolve($id, '已办结', '测试')" >/dev/null
		[ "$i" -ge 7 ] && as "$off" "SELECT minqing.case_report_back($id)" >/dev/null
		[ "$i" -eq 3 ] && as "$vh" "SELECT minqing.case_request_extension($id, 2, '需要协调')" >/dev/null
	done
	echo "${ids[*]}"
}
x_cases=$(make_cases XQ adv_x_officer adv_x_handler adv_x_vhandler XQT01V01 2 1391110)
# The second district's messages (the intakes' receipts) dead, for a retry
# (outbox_retry) to aim at.
super -c "UPDATE minqing.outbox SET status = 'dead', last_error = 'XQ机密错误' WHERE district_id = 2" >/dev/null
t2_handler=$(super -c "SELECT login FROM minqing.staff s JOIN minqing.org_unit u USING (unit_id) WHERE u.code = 'T02' AND s.duty = 'handler' AND s.active ORDER BY staff_id LIMIT 1")
t2v_handler=$(super -c "SELECT login FROM minqing.staff s JOIN minqing.org_unit u USING (unit_id) WHERE u.code = 'T02V01' AND s.duty = 'handler' AND s.active ORDER BY staff_id LIMIT 1")
t2_cases=$(make_cases T2 demo_village2 "$t2_handler" "$t2v_handler" T02V01 1 1392220)
own_cases=$(make_cases OWN demo_village demo_town handler_t01v01 T01V01 1 1393330)
super -c "DELETE FROM adv_test.target; INSERT INTO adv_test.target (scope, case_id) SELECT 'district', unnest('{${x_cases// /,}}'::bigint[]);
          INSERT INTO adv_test.target (scope, case_id) SELECT 'town', unnest('{${t2_cases// /,}}'::bigint[]);
          INSERT INTO adv_test.target (scope, case_id) SELECT 'own', unnest('{${own_cases// /,}}'::bigint[])" >/dev/null
super -c "GRANT SELECT ON adv_test.target TO PUBLIC" >/dev/null

# What must never come back to an attacker: the foreign cases' content, full
# names and phone numbers, the foreign resident's name and ID number.
secrets=$work/secrets
super -c "SELECT id_card FROM minqing.resident WHERE name = 'XQ机密居民'
          UNION ALL VALUES ('XQ机密'), ('机密居民'), ('1391110')" >"$secrets"
t2_secrets=$work/t2_secrets
printf '%s\n' 'T2机密' '1392220' >"$t2_secrets"

# --- A. foreign rows -------------------------------------------------------------------
# account scope: 'district' (the second district is foreign) or 'town'
# (T02 is foreign too: for accounts below the district).
attackers=("demo_village town" "demo_town town" "demo_dept town" "demo_kiosk district"
	"demo_supervisor district" "demo_admin district" "handler_t01v01 town")
total=0 refused=0 fails=0
judge() { # file account secrets-files...: reads a psql log, counts, reports failures
	local log=$1 who=$2; shift 2
	awk -v who="$who" -v sec="$*" '
		BEGIN { n = split(sec, files, " "); k = 0
			for (i = 1; i <= n; i++) while ((getline s < files[i]) > 0) if (s != "") secret[k++] = s }
		/^@@CALL / { call = substr($0, 8); out = ""; next }
		function leak(   j) { for (j = 0; j < k; j++) if (index(out, secret[j]) > 0) { print "FAIL: " who " got " secret[j] " from " call; fails++; return } }
		/^@@REFUSED/ { total++; refused++; leak()
			if ($0 ~ /57014/) { print "FAIL: " who ": ran into the statement timeout: " call; fails++ }
			next }
		/^@@DONE/ { total++
			if ($0 ~ /wrote=t/ && call !~ /^minqing\.(case|outbox)_news_relay\(/) { print "FAIL: " who " wrote with " call; fails++ }
			leak(); next }
		/SHADOWED/ { print "FAIL: " who ": a shadow object was reached: " $0 " in " call; fails++ }
		{ out = out "\n" $0 }
		END { printf "%d %d %d\n", total, refused, fails > "/dev/stderr" }' "$log"
}
run_phase_a() { # account scope [psql prelude file]
	local who=$1 scope=$2 prelude=${3:-/dev/null} script=$work/a_$1.sql log=$work/a_$1.log
	super -v who="$who" -v scope="$scope" -f "$here/adversary/calls.sql" >"$script" || { echo "generating calls failed"; exit 1; }
	cat "$prelude" "$script" | PGOPTIONS="-c statement_timeout=20s" psql -X -q -U "$who" -v ON_ERROR_STOP=0 -P pager=off -At >"$log" 2>&1
	local sec=$secrets
	[ "$scope" = town ] && sec="$secrets $t2_secrets"
	judge "$log" "$who" $sec 2>"$work/counts"
	read -r t r f <"$work/counts"
	total=$((total + t)) refused=$((refused + r)) fails=$((fails + f))
	echo "A: $who ($scope foreign): $t calls, $r refused, $f failures"
}
for a in "${attackers[@]}"; do
	# shellcheck disable=SC2086
	run_phase_a $a
done
nfun=$(super -c "SELECT count(*) FROM adv_test.definer_fn")
covered=$(grep -h '^@@CALL ' "$work"/a_*.log | sed 's/^@@CALL minqing\.\([a-z_0-9]*\).*/\1/' | sort -u | wc -l)
echo "A: $nfun functions in the catalogue (definers, and what staff or kiosks may call), $covered attacked"
[ "$covered" -eq "$nfun" ] || { echo "FAIL: not every function was attacked"; fails=$((fails + 1)); }

# --- B. hostile text on the caller's own cases ---------------------------------------------
run_phase_b() { # account [prelude]
	local who=$1 prelude=${2:-/dev/null} script=$work/b_$1.sql log=$work/b_$1.log
	super -v who="$who" -f "$here/adversary/text.sql" >"$script" || { echo "generating text calls failed"; exit 1; }
	cat "$prelude" "$script" | PGOPTIONS="-c statement_timeout=20s" psql -X -q -U "$who" -v ON_ERROR_STOP=0 -P pager=off -At >"$log" 2>&1
	awk -v who="$who" '
		/^@@GOOD / { call = substr($0, 8); good = 1; next }
		/^@@BAD / { call = substr($0, 7); good = 0; next }
		/^@@OK/ { if (good) works[call] = 1; else { bad_ok++; print "FAIL: " who " stored hostile text: " call } next }
		/^@@FIXED/ { if (!good) fixed++; next }
		/^@@REFUSED/ { if (!good) refusedb++
			if ($0 ~ /57014/) { print "FAIL: " who ": ran into the statement timeout: " call; bad_ok++ }
			next }
		/^Time: / { t = $2 + 0; if (!good && t > maxt) { maxt = t; maxcall = call } next }
		/SHADOWED/ { print "FAIL: " who ": a shadow object was reached: " $0 " in " call; bad_ok++ }
		END { printf "B: %s: %d calls work with normal text; hostile text: %d refused, %d stored without harm, %d failures; slowest refusal %.1f ms (%s)\n",
			who, length(works), refusedb, fixed, bad_ok, maxt, maxcall
			exit bad_ok > 0 }' "$log" || fails=$((fails + 1))
	[ "$(grep -c '^@@GOOD' "$log")" -gt 0 ] || { echo "FAIL: no text calls for $who"; fails=$((fails + 1)); }
}
for who in demo_village demo_town handler_t01v01; do run_phase_b "$who"; done

# --- C. shadowed names -------------------------------------------------------------------
super -c "GRANT TEMPORARY ON DATABASE \"$PGDATABASE\" TO demo_town, demo_village" >/dev/null
for kind in table view; do
	prelude=$work/shadow_$kind.sql
	super -v kind="$kind" -f "$here/adversary/shadow.sql" >"$prelude" || { echo "generating shadows failed"; exit 1; }
	n=$(grep -c '^CREATE TEMP' "$prelude")
	echo "C: $n temporary ${kind}s shadow the identifiers of the schema's functions"
	run_phase_a demo_town town "$prelude"
	run_phase_b demo_town "$prelude"
	run_phase_b demo_village "$prelude"
done
super -c "REVOKE TEMPORARY ON DATABASE \"$PGDATABASE\" FROM demo_town, demo_village" >/dev/null

echo "adversary: $nfun functions, ${#attackers[@]} accounts of 5 duties, $total attempts with foreign rows, $refused refused"
if [ "$fails" -ne 0 ]; then
	echo "$fails failures"
	exit 1
fi
echo "0 failures"
