#!/usr/bin/env bash
# Mutation testing: break the code on purpose, one small named change at a
# time, and see whether the suite notices. Each mutation below is a perl
# substitution on one file (a function file of schema/functions/, a
# migration or a C source), with the tests that should catch it (a ctest
# regular expression; --full runs the whole suite instead). For each: apply, `./dev.sh check REGEX` (rebuild, fresh test
# database, those tests), restore the file, and say "caught" (the tests
# failed) or "SURVIVED" (they passed: a hole in the suite). A mutation whose
# pattern no longer matches the source is reported as "stale" (the list must
# follow the code).
#
#   ./dev.sh mutate            every mutation
#   ./dev.sh mutate NAME...    only these
#   ./dev.sh mutate --full ... each with the whole suite (slow: minutes each)
#   ./dev.sh mutate --list
#   ./dev.sh mutate --dry      apply and restore each, to see that all still match
#
# Not part of ./dev.sh test (it takes 20-40 minutes). Run it after changing
# the tests, or the rules they guard (docs/development.md).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# name <TAB> file <TAB> perl substitution (applied with -0: may span lines)
# <TAB> tests
MUTATIONS=$(cat <<'EOF'
side-check-removed	schema/functions/40_cases.sql	s/IF \(p_side = 'origin' AND NOT minqing.staff_covers/IF false AND (p_side = 'origin' AND NOT minqing.staff_covers/	sql\.workflow_sides
extension-level-check-removed	schema/functions/40_cases.sql	s/IF NOT \(c.assigned_path <@ s.path AND c.assigned_path <> s.path\) THEN/IF false THEN/	sql\.case_flow
escalation-4h-early	schema/functions/40_cases.sql	s/(\t\tCASE r.step\n)/\t\tt := t - interval '4 hours';\n$1/	sql\.(escalation_times|pgtap|case_flow)
resume-keeps-deadline	schema/functions/40_cases.sql	s/due_at = minqing.add_working_hours\(c.district_id, c.due_at, paused \/ 3600.0\)/due_at = c.due_at/	sql\.(escalation_times|case_flow)
backspace-deletes-two	src/common/edit.c	s/(\te->cursor--;\n\tedit_splice\(e, e->cursor, 1, NULL, 0\);\n)/$1\tif (e->cursor > 0) {\n\t\te->cursor--;\n\t\tedit_splice(e, e->cursor, 1, NULL, 0);\n\t}\n/	unit\.edit
countdown-always-dash	src/console/listfmt.c	s/(char \*listfmt_countdown\(time_t due, time_t now\)\n\{\n\tchar \*d, \*s;\n)/$1\n\tif (due != 0)\n\t\treturn xstrdup("-");/	unit\.list|tty\.console_lists
view-keyset-dropped	src/console/screen-view.c	s/for \(i = 0; last != NULL && i < so->nafter; i\+\+\)/for (i = 0; last != NULL \&\& false; i++)/	tty\.console_lists
case-query-no-phone	schema/functions/55_lists.sql	s/\t +WHEN q ~ '\^1\[3-9\]\[0-9\]\{9\}\$' THEN 'phone'\n//	sql\.pgtap
no-listen-after-reconnect	src/console/console.c	s/(\tconsole_session\(c\);\n)\tconsole_listen\(c\);\n/$1/	tty\.console_(reconnect|restart)
never-listen	src/console/console.c	s/mq_db_listen\(c->db, &err, "minqing_case"\)/mq_db_exec(c->db, \&err, "SELECT 1", 0, NULL)/	tty\.console_cases
temp-for-everyone	schema/007_security.sql	s/REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC/GRANT TEMPORARY ON DATABASE %I TO PUBLIC/	sql\.(pgtap|holes)
job-lock-advisory	schema/functions/40_cases.sql	s/LOCK TABLE minqing.escalation_work IN ACCESS EXCLUSIVE MODE;/PERFORM pg_advisory_xact_lock(hashtext('minqing.escalation_pass'));/	sql\.(pgtap|holes|case_flow)
expect-version-locks	schema/functions/50_console.sql	s/(FROM minqing.cases c WHERE c.case_id = p_case);/$1 FOR UPDATE;/	sql\.holes
id-read-not-logged	schema/functions/10_spine.sql	s/RAISE LOG 'minqing audit:/RAISE DEBUG 'minqing audit:/	sql\.holes
job-role-adopted	schema/functions/10_spine.sql	s/IF other IS NOT NULL THEN/IF false THEN/	sql\.holes
text-length-unchecked	schema/functions/60_security.sql	s/IF char_length\(v\) > lim THEN/IF false THEN/	sql\.(holes|adversary_generic)
phone-limit-off	schema/functions/30_outbox.sql	s/IF k.phone_day >= lim.per_phone_day THEN/IF false THEN/	sql\.holes
payload-with-data	schema/functions/40_cases.sql	s/SELECT count\(pg_notify\('minqing_case', d.case_id::text\)\)::integer/SELECT count(pg_notify('minqing_case', (SELECT row_to_json(c) FROM minqing.cases c WHERE c.case_id = d.case_id)::text))::integer/	sql\.holes
dispatch-any-district	schema/functions/40_cases.sql	s/WHERE code = p_unit_code AND active AND district_id = c.district_id;/WHERE code = p_unit_code AND active;/	sql\.(holes|adversary_generic)
bidi-shown-raw	src/common/width.c	s/\|\| width_in_table\(c, width_invisible, MQ_NITEMS\(width_invisible\)\)/|| (width_in_table(c, width_invisible, MQ_NITEMS(width_invisible)) \&\& c == 0)/	unit\.width|tty\.console_untrusted
phone-plus-any-country	src/notify/notify-text.c	s/\tif \(plus && \(n != 13 \|\| strncmp\(d, "86", 2\) != 0\)\)\n\t\treturn -1;\n//	unit\.notify_text
sms-emoji-one-unit	src/notify/notify-text.c	s/return \(unsigned long\)wc > 0xFFFF \? 2 : 1;/return (unsigned long)wc > 0xFFFF ? 1 : 1;/	unit\.notify_text
functions-not-reapplied	src/admin/admin-migrate.c	s/functions = hash == NULL \|\| strcmp\(hash, mq_functions_hash\) != 0;/functions = hash == NULL;/	sql\.functions|cli\.functions_stale
handshake-ignores-functions	src/common/db.c	s/if \(hash != NULL && strcmp\(hash, mq_functions_hash\) == 0\)/if (true)/	cli\.functions_stale
help-config-pads-bytes	src/common/config.c	s/char \*cell = mq_strpad\(cells\[col\], widths\[col\], -1\);/char *cell = xasprintf("%-*s", widths[col], cells[col]);/	cli\.help_config
lost-schema-check-is-mismatch	src/common/program.c	s/\tif \(mq_db_lost\(\*dbp\)\)\n\t\tcode = MQ_EXIT_CONNECT;\n//	cli\.exit_codes
column-name-folded	src/common/db.c	s/if \(strcmp\(PQfname\(res, i\), name\) == 0\)/if (strcasecmp(PQfname(res, i), name) == 0)/	unit\.db
bound-key-ignored	src/console/keytab.c	s/return \(bound != 0 && keys_same\(bound, key\)\) \|\| keytab_default_has\(e, key\);/return (bound != 0 \&\& false) || keytab_default_has(e, key);/	unit\.keys|tty\.console_keys
key-clash-allowed	src/console/keytab.c	s/\t\t\t\t\tif \(!keytab_entry_has\(f, kb, k\)\)\n/\t\t\t\t\tif (true)\n/	unit\.keys|cli\.console_(keys|cli)
text-after-screen-table	src/console/console.c	s/\tin = top->screen->input != NULL \? top->screen->input\(c, top\) : NULL;/\tin = NULL;/	tty\.console_(keys|cases)
urge-deadline-shanghai	schema/functions/74_urging.sql	s/to_char\(minqing.district_local_time\(r.district_id, r.due_at\), 'MM-DD HH24:MI'\)/to_char(r.due_at AT TIME ZONE 'Asia\/Shanghai', 'MM-DD HH24:MI')/	sql\.pgtap
urge-sms-every-urge	schema/functions/74_urging.sql	s/AND NOT p.event_id = ANY \(p_events\)\)/AND false)/	sql\.pgtap
overdue-report-utc-day	schema/functions/74_urging.sql	s/minqing.district_local_time\(u.district_id, p_now\) AS local/(p_now AT TIME ZONE 'UTC') AS local/	sql\.pgtap
stats-days-of-session	schema/functions/40_cases.sql	s/\ttz := \(minqing.calendar_setting\(dist\)\).time_zone;/\ttz := current_setting('TimeZone');/	sql\.pgtap
detail-times-of-session	schema/functions/56_reads.sql	s/to_char\(c.due_at AT TIME ZONE z.time_zone, /to_char(c.due_at, /	sql\.pgtap
notifications-not-drained	src/console/console.c	s/\t\tif \(c.conn == CONN_OK\)\n\t\t\tconsole_db_activity\(&c\);\n//	tty\.console_status
utf8-cut-is-invalid	src/common/width.c	s/\tif \(n >= need\)\n\t\treturn false;/\tif (n >= need || need > 0)\n\t\treturn false;/	unit\.(width|edit)|tty\.console_typing
paste-not-bracketed	src/console/tty.c	s/\ttty_write_seq\(tty_paste_on\);\n//	tty\.console_typing
refusal-words-raw	src/console/errtext.c	s/char \*words = servertext_translate\(message\), \*out;/char *words = xstrdup(message), *out;/	unit\.errtext
break-inside-words	src/common/width.c	s/\treturn wa == 2 \|\| wb == 2; \/\* never inside a run of narrow characters \*\//\treturn wa >= 0 || wb == 2;/	unit\.width|fuzz\.width|tty\.console_texts
line-starts-with-comma	src/common/width.c	s/if \(wb == 0 \|\| mq_break_closing\(b\) \|\| mq_break_opening\(a\)\)/if (wb == 0 || (mq_break_closing(b) \&\& b == 0) || mq_break_opening(a))/	unit\.width|fuzz\.width|tty\.console_texts
case-actions-one-row	src/console/screen-case.c	s/\tif \(\(int\)nbar > height \/ 2\)\n\t\tnbar = \(size_t\)\(height \/ 2\);/\tnbar = 1;/	tty\.console_texts
finished-case-counts-from-now	schema/functions/56_reads.sql	s/THEN coalesce\(c.resolved_at, c.closed_at, now\(\)\)/THEN now()/	sql\.pgtap|tty\.console_texts
bulletin-kiosk-sees-staff-notices	schema/011_news_bulletin.sql	s/OR \(audience = 'public' AND state = 'published'/OR (true AND state = 'published'/	sql\.(pgtap|bulletin_reads)
bulletin-news-across-the-tree	schema/011_news_bulletin.sql	s/USING \(\(path @> \(SELECT minqing.my_unit_path\(\)\) OR path <@ \(SELECT minqing.my_scope\(\)\)\)/USING ((true)/	sql\.pgtap
bulletin-receipts-shared	schema/011_news_bulletin.sql	s/FOR SELECT USING \(login = session_user\)/FOR SELECT USING (true)/	sql\.(pgtap|bulletin_reads)
bulletin-published-notice-editable	schema/functions/58_bulletin.sql	s/IF n.state <> 'draft' THEN\n(\t+RAISE EXCEPTION 'notice % is not a draft)/IF false THEN\n$1/	sql\.pgtap
bulletin-news-version-unchecked	schema/functions/58_bulletin.sql	s/IF n.row_version <> p_row_version THEN\n(\t+RAISE EXCEPTION 'news item)/IF false THEN\n$1/	sql\.pgtap
archive-jurisdiction-removed	schema/functions/57_archive.sql	s/IF NOT minqing.staff_covers\(s, u.path\) THEN/IF false THEN/	sql\.(pgtap|adversary_generic)
archive-revision-check-removed	schema/functions/57_archive.sql	s/IF h.revision_no <> p_expect_revision THEN/IF false THEN/	sql\.pgtap
archive-revision-updatable	schema/013_village_archive.sql	s/(CREATE TRIGGER archive_revision_no_update BEFORE )UPDATE OR DELETE/$1DELETE/	sql\.pgtap
archive-stale-period-ignored	schema/functions/57_archive.sql	s/RETURN coalesce\(\(SELECT s.stale_months FROM minqing.archive_setting s WHERE s.district_id = p_district\), 12\)/RETURN 12/	sql\.pgtap
registers-account-scope-removed	schema/functions/63_registers.sql	s/IF NOT coalesce\(s.path OPERATOR\(ext.<@\) minqing.my_write_scope\(\), false\) THEN/IF false THEN/	sql\.pgtap|cli\.admin_cli
registers-own-account-changeable	schema/functions/63_registers.sql	s/IF p_login = session_user THEN/IF false THEN/	sql\.pgtap|cli\.admin_cli
registers-old-duty-kept	schema/functions/63_registers.sql	s/IF d <> p_duty AND pg_catalog.pg_has_role/IF false AND pg_catalog.pg_has_role/	sql\.pgtap|cli\.admin_cli
registers-station-version-unchecked	schema/functions/63_registers.sql	s/IF p_row_version IS NOT NULL AND r.row_version <> p_row_version THEN/IF false THEN/	sql\.pgtap
registers-station-scope-removed	schema/functions/63_registers.sql	s/IF NOT coalesce\(r.path OPERATOR\(ext.<@\) minqing.my_write_scope\(\), false\) THEN/IF false THEN/	sql\.pgtap|sql\.adversary_generic
memo-household-jurisdiction-removed	schema/functions/61_memo.sql	s/IF NOT FOUND OR NOT minqing.staff_covers\(s, h.path\) THEN\n(\t+RAISE EXCEPTION 'household % not found', coalesce)/IF NOT FOUND THEN\n$1/	sql\.(pgtap|adversary_generic)
memo-version-unchecked	schema/functions/61_memo.sql	s/IF coalesce\(m.row_version, 0\) <> p_row_version THEN/IF false THEN/	sql\.pgtap
memo-revision-updatable	schema/015_household_memo.sql	s/(CREATE TRIGGER household_memo_revision_no_update BEFORE )UPDATE OR DELETE/$1DELETE/	sql\.pgtap
meeting-held-without-matters	schema/functions/70_meetings.sql	s/IF NOT EXISTS \(SELECT 1 FROM minqing.meeting_matter x\n/IF false AND NOT EXISTS (SELECT 1 FROM minqing.meeting_matter x\n/	sql\.pgtap|tty\.console_meetings
meeting-review-reminded-early	schema/functions/70_meetings.sql	s/(AND m.review_on <= minqing.district_local_time\(m.district_id, p_now\)::date)/$1 + 7/	sql\.pgtap
meeting-decision-not-accepted	schema/functions/70_meetings.sql	s/UPDATE minqing.cases y SET status = 'accepted', accepted_at = now\(\), handler_staff_id = s.staff_id/UPDATE minqing.cases y SET handler_staff_id = s.staff_id/	sql\.pgtap|tty\.console_meetings
visits-return-case-unchecked	schema/functions/66_visits.sql	s/IF c.status NOT IN \('reported', 'closed'\) THEN/IF false THEN/	sql\.pgtap
visits-last-visit-not-kept	schema/functions/66_visits.sql	s/AND \(hc.last_visited_on IS NULL OR hc.last_visited_on < d\)/AND true/	sql\.pgtap
volunteer-attend-before-day	schema/functions/68_volunteers.sql	s/IF current_date < a.starts_on OR d < a.starts_on THEN/IF false THEN/	sql\.pgtap
sms-receive-not-idempotent	schema/functions/69_sms_inbox.sql	s/IF EXISTS \(SELECT 1 FROM minqing.sms_inbound x WHERE x.district_id = dist AND x.gammu_id = p_gammu_id\) THEN/IF false THEN/	sql\.pgtap|cli\.sms_inbound
EOF
)

full=false list=false dry=false
want=()
for a in "$@"; do
	case $a in
	--full) full=true ;;
	--list) list=true ;;
	--dry) dry=true ;;
	*) want+=("$a") ;;
	esac
done

mkdir -p "$ROOT/build"
backup=$(mktemp)
current=""
restore() { [ -n "$current" ] && cp "$backup" "$current" && current=""; }
trap 'restore; rm -f "$backup"' EXIT INT TERM

# First the chosen tests on the code as it is: they must pass, or no
# mutation result would mean anything.
if ! $list && ! $dry; then
	all=$(while IFS=$'\t' read -r name _ _ tests; do
		[ -n "$name" ] || continue
		if [ ${#want[@]} -gt 0 ] && [[ " ${want[*]} " != *" $name "* ]]; then continue; fi
		printf '%s\n' "$tests"
	done <<<"$MUTATIONS" | sort -u | paste -sd'|')
	echo "==> the tests on the code as it is: $all" >&2
	if ! "$ROOT/dev.sh" check "$all" >"$ROOT/build/mutate-baseline.log" 2>&1; then
		echo "the tests fail without any mutation: see $ROOT/build/mutate-baseline.log" >&2
		exit 1
	fi
fi

results=()
survivors=0 stale=0 broken=0
while IFS=$'\t' read -r name file subst tests; do
	[ -n "$name" ] || continue
	if $list; then printf '%-30s %-28s %s\n' "$name" "$file" "$tests"; continue; fi
	if [ ${#want[@]} -gt 0 ] && [[ " ${want[*]} " != *" $name "* ]]; then continue; fi
	cp "$file" "$backup"
	current=$file
	MQ_SUBST=$subst perl -0pi -e 'eval "\$_ =~ $ENV{MQ_SUBST}" or die "no match\n"' "$file" 2>/dev/null
	if cmp -s "$file" "$backup"; then
		restore
		results+=("$(printf '%-30s stale (the pattern is not in %s)' "$name" "$file")")
		stale=$((stale + 1))
		continue
	fi
	if $dry; then
		restore
		results+=("$(printf '%-30s applies' "$name")")
		continue
	fi
	echo "==> mutation $name ($file), tests: $($full && echo all || echo "$tests")" >&2
	log=$ROOT/build/mutate-$name.log
	if $full; then
		"$ROOT/dev.sh" test >"$log" 2>&1
	else
		"$ROOT/dev.sh" check "$tests" >"$log" 2>&1
	fi
	rc=$?
	restore
	# Caught only when the tests ran and failed: a build that breaks, or a
	# database that cannot be loaded, proves nothing about the tests.
	if [ $rc -eq 0 ]; then
		results+=("$(printf '%-30s SURVIVED (log: %s)' "$name" "$log")")
		survivors=$((survivors + 1))
	elif grep -qE '^[0-9]+% tests passed, [1-9][0-9]* tests? failed' "$log"; then
		results+=("$(printf '%-30s caught   %s' "$name" "$(grep -m1 -E '^(FAIL|not ok|# Failed test)' "$log" | cut -c1-80)")")
	else
		results+=("$(printf '%-30s BROKEN   (no test ran to the end; log: %s)' "$name" "$log")")
		broken=$((broken + 1))
	fi
done <<<"$MUTATIONS"
$list && exit 0

printf '%s\n' "${results[@]}"
echo "mutations: ${#results[@]}, survivors: $survivors, stale: $stale, broken: $broken"
[ $survivors -eq 0 ] && [ $stale -eq 0 ] && [ $broken -eq 0 ]
