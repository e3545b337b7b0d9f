#!/usr/bin/env bash
# Deadlines, reminders and warnings against times worked out by hand.
#
# case_flow.sh takes its pass times from minqing.escalation_due_at(), the code
# under test: a bug that moved every step by four hours would move its passes
# with it. Here every expected time is a literal (Asia/Shanghai, derived in the
# comments from the published rules: office hours 08:30-17:30 on working days,
# no lunch break; weekends plus the PRC 2026 holiday table of 002_calendar.sql
# with its make-up working days; reminder at 80% of the working time, yellow at
# the deadline, orange 3 and red 7 working days of working time after it).
#
#   1. the calendar functions (add_working_hours, working_seconds_between,
#      the deadline of a commitment) against literal results, across the
#      Mid-Autumn and National Day holidays, make-up Saturdays and weekends;
#   2. an ordinary case made by the real functions as the demo accounts, its
#      clock set (as the superuser, after dispatch) to a literal start and
#      deadline: the bookkeeping trigger stores the schedule from them, and
#      each step (reminder, yellow, orange, red) has NOT happened in a pass one
#      minute before its literal time and has happened one minute after;
#   3. a key case dispatched at orange: only red follows, at its literal time;
#   4. who is told of each step, by login, written down from the demo data;
#   5. a pause: the deadline moves by exactly the working time spent waiting
#      (an independent day-by-day sum in this file, from the holiday rows).
#
# It runs in a scratch database of its own (migrate + demo data, scale 0.1,
# seed 1: the same logins), dropped on exit: in the shared test database
# other tests run passes at later times (case_flow.sh, at now and months on),
# which would escalate this test's cases between its own passes. There each
# pass below concerns exactly one step of one case, so the digests of a pass
# must go to exactly the expected people.
#
# To see it fail against a broken function, give SQL to run as postgres in the
# scratch database once it is loaded (e.g. a CREATE OR REPLACE FUNCTION):
#   MQ_TIMES_MUTATE="$(cat mutation.sql)" bash tests/sql/escalation_times.sh
# (No set -e: a failed step is reported and counted, and the run goes on.)
set -uo pipefail
: "${PGDATABASE:?run through ./dev.sh test}" "${MQ_BUILD_DIR:?}"
results=$(mktemp)
db=mq_escalation_times_$$
cleanup() {
	psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	rm -f "$results"
}
trap cleanup EXIT

# Results go to a file: some checks run inside $(...) subshells.
ok() { echo "ok: $*" >&2; echo ok >>"$results"; }
bad() { echo "FAIL: $*" >&2; echo fail >>"$results"; }
super() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }
# as ACCOUNT SQL: run and print the single value; fail the test on an error.
as() {
	local out
	if ! out=$(psql -qXtA -U "$1" -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -c "$2" 2>&1); then
		bad "$1 could not: $2: $out"
		return 1
	fi
	printf '%s' "$out"
}
expect() { # what, got, want
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi
}
finish() {
	local pass fails
	pass=$(grep -c '^ok' "$results")
	fails=$(grep -c '^fail' "$results")
	echo "$pass passed, $fails failed"
	[ "$fails" -eq 0 ]
	exit
}
# local_at EXPR: a timestamptz as local time in Asia/Shanghai (whatever the
# session's TimeZone), to the second.
local_at() { super "SELECT to_char(($1) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')"; }

# --- the scratch database -------------------------------------------------------------
export PGDATABASE=$db
if ! out=$(psql -qX -U postgres -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" 2>&1) ||
	! out=$(PGUSER=postgres "$MQ_BUILD_DIR/minqing-admin" migrate 2>&1) ||
	! out=$(PGUSER=postgres "$MQ_BUILD_DIR/minqing-admin" demo-data --scale 0.1 --seed 1 2>&1); then
	bad "could not make the scratch database $db: ${out:-}"
	finish
fi
# The escalation job's login (cluster-wide; case_flow.sh may make it at the same time).
super "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'minqing_escalate')
       THEN CREATE ROLE minqing_escalate LOGIN IN ROLE mq_escalator; END IF; END \$\$" >/dev/null 2>&1 ||
	[ "$(super "SELECT count(*) FROM pg_roles WHERE rolname = 'minqing_escalate'")" = 1 ] ||
	bad "no login minqing_escalate"
# Only this test's cases may be in the escalation queue (at scale 0.1 the
# demo's cases are all closed or withdrawn; should any be open, withdraw it).
super "UPDATE minqing.cases SET status = 'withdrawn'
        WHERE status IN ('received', 'accepted', 'dispatched', 'in_progress', 'waiting')" >/dev/null
expect "the escalation queue starts empty" "$(super "SELECT count(*) FROM minqing.case_due")" 0
if [ -n "${MQ_TIMES_MUTATE:-}" ]; then
	echo "# applying MQ_TIMES_MUTATE in $db" >&2
	super "$MQ_TIMES_MUTATE" >/dev/null || bad "the mutation did not apply"
fi

# The rules this file's arithmetic assumes (read, not computed).
expect "office hours 08:30-17:30 Asia/Shanghai" \
	"$(super "SELECT time_zone || ' ' || day_start || '-' || day_end FROM minqing.work_calendar_setting WHERE district_id = 1")" \
	"Asia/Shanghai 08:30:00-17:30:00"
expect "the escalation rules" \
	"$(super "SELECT string_agg(step || '=' || basis || ':' || value::float8, ' ' ORDER BY array_position('{reminder,yellow,orange,red}'::text[], step)) FROM minqing.escalation_rule WHERE district_id = 1")" \
	"reminder=elapsed_fraction:0.8 yellow=overdue_working_days:0 orange=overdue_working_days:3 red=overdue_working_days:7"
expect "the holidays and make-up days of September-October 2026" \
	"$(super "SELECT string_agg(to_char(day, 'MM-DD') || left(kind, 1), ' ' ORDER BY day) FROM minqing.holiday WHERE district_id = 1 AND day BETWEEN '2026-09-01' AND '2026-10-31'")" \
	"09-20w 09-25h 09-26h 09-27h 10-01h 10-02h 10-03h 10-04h 10-05h 10-06h 10-07h 10-10w"
# Days used below (2026): Sun 09-20 make-up workday; Fri 09-25 .. Sun 09-27
# Mid-Autumn; Thu 10-01 .. Wed 10-07 National Day; Sat 10-10 make-up workday.

# --- 1. the calendar, literal in and literal out -----------------------------------------
awh() { local_at "minqing.add_working_hours(1::smallint, '$1', $2)"; }
wsb() { super "SELECT minqing.working_seconds_between(1::smallint, '$1', '$2')::bigint"; }
# Wed 09-30 15:00 + 4 h: 2.5 h to 17:30, then 10-01..07 are holidays: 1.5 h of Thu 10-08
expect "4 working hours across National Day" "$(awh '2026-09-30 15:00+08' 4)" "2026-10-08 10:00:00"
expect "and back: the same 4 h (14400 s)" "$(wsb '2026-09-30 15:00+08' '2026-10-08 10:00+08')" 14400
# Fri 10-16 16:00 + 3 h: 1.5 h to 17:30, Sat/Sun 10-17/18, 1.5 h of Mon 10-19
expect "3 working hours across a weekend" "$(awh '2026-10-16 16:00+08' 3)" "2026-10-19 10:00:00"
expect "and back: 10800 s" "$(wsb '2026-10-16 16:00+08' '2026-10-19 10:00+08')" 10800
# Fri 10-09 17:00 + 2 h: 0.5 h, then Sat 10-10 is a make-up working day: 1.5 h of it
expect "2 working hours into a make-up Saturday" "$(awh '2026-10-09 17:00+08' 2)" "2026-10-10 10:00:00"
expect "and back: 7200 s" "$(wsb '2026-10-09 17:00+08' '2026-10-10 10:00+08')" 7200
# a start on a holiday moves to the next working day's 08:30: Thu 10-08 08:30 + 1 h
expect "a start on a holiday moves to the next working morning" "$(awh '2026-10-03 12:00+08' 1)" "2026-10-08 09:30:00"
# 9 h from 08:30 end at 17:30 of the same day, not at 08:30 of the next
expect "a full day ends at 17:30, not next morning" "$(awh '2026-10-09 08:30+08' 9)" "2026-10-09 17:30:00"
expect "no working time on National Day" "$(wsb '2026-10-01 09:00+08' '2026-10-07 17:00+08')" 0
# no lunch break in this calendar: 11:30-13:30 is two working hours
expect "midday counts (no lunch break in the calendar)" "$(wsb '2026-10-09 11:30+08' '2026-10-09 13:30+08')" 7200
# the span of case A below: Tue 09-29 10:00-17:30 7.5 h, Wed 09-30 9 h, (holidays),
# Thu 10-08 9 h, Fri 10-09 9 h = 34.5 h = 124200 s
expect "case A's working time across National Day" "$(wsb '2026-09-29 10:00+08' '2026-10-09 17:30+08')" 124200
# the span of case B below: Thu 09-17 15:00-17:30 2.5 h, Fri 09-18 9 h, (Sat), Sun 09-20
# make-up 9 h, Mon-Wed 09-21..23 27 h = 47.5 h = 171000 s
expect "case B's working time with a make-up Sunday" "$(wsb '2026-09-17 15:00+08' '2026-09-23 17:30+08')" 171000

cat=$(super "SELECT category_id FROM minqing.case_category WHERE district_id = 1 AND code = 'MED_NEIGHBOUR'")
expect "MED_NEIGHBOUR promises 3 working days at a village (the centre's row)" \
	"$(super "SELECT kind || ' ' || amount FROM minqing.commitment_for($cat, 'village')")" "days 3"
expect "and 5 at a town" "$(super "SELECT kind || ' ' || amount FROM minqing.commitment_for($cat, 'town')")" "days 5"
# 3 working days from Tue 09-29 10:00: Wed 09-30 (1), 10-01..07 holidays, Thu 10-08 (2),
# Fri 10-09 (3): the end of office hours of Fri 10-09
expect "case A's deadline: 3 working days across National Day" \
	"$(local_at "(minqing.case_deadline(1::smallint, $cat, 'village', '2026-09-29 10:00+08')).due")" "2026-10-09 17:30:00"
# 5 working days from Thu 09-17 15:00: Fri 09-18 (1), Sun 09-20 make-up (2), Mon 09-21 (3),
# Tue 09-22 (4), Wed 09-23 (5)
expect "case B's deadline: 5 working days with a make-up Sunday" \
	"$(local_at "(minqing.case_deadline(1::smallint, $cat, 'town', '2026-09-17 15:00+08')).due")" "2026-09-23 17:30:00"

# --- 2. the cases, by the real functions ----------------------------------------------------
intake() { # title, content
	as demo_village "SELECT case_id FROM minqing.case_intake('walk_in', '$1', '$2', $cat, '李大伟', '13957700002')"
}
steps() { super "SELECT coalesce(string_agg(data->>'step', ',' ORDER BY event_id), '') FROM minqing.case_event WHERE case_id = $1 AND kind IN ('reminder', 'warning')"; }

# A: an ordinary case, dispatched by the town to the village, started there.
a=$(intake '村道排水沟堵塞' '村东头排水沟被建筑垃圾堵塞，下雨天路面积水严重，请村里组织清理。')
as demo_town "SELECT minqing.case_accept($a)" >/dev/null
as demo_town "SELECT minqing.case_dispatch($a, 'T01V01')" >/dev/null
as handler_t01v01 "SELECT minqing.case_start($a)" >/dev/null
expect "case A is with handler_t01v01" \
	"$(super "SELECT c.status || ' ' || s.login FROM minqing.cases c JOIN minqing.staff s ON s.staff_id = c.handler_staff_id WHERE case_id = $a")" \
	"in_progress handler_t01v01"
# B: a key case the town takes on itself, starting at orange.
b=$(intake '宅基地界址纠纷' '两户因宅基地界址多次发生冲突，需街道牵头调处。')
as demo_town "SELECT minqing.case_accept($b)" >/dev/null
as demo_town "SELECT minqing.case_dispatch($b, 'T01', NULL, true, 'orange', '重点复杂，街道牵头')" >/dev/null
expect "case B is dispatched to T01 at orange" \
	"$(super "SELECT status || ' ' || warning_level || ' ' || is_key FROM minqing.cases WHERE case_id = $b")" "dispatched orange true"

# The clocks, set to literal moments as the superuser: the bookkeeping trigger
# (it runs for superusers too) stores the schedule from these, and the queue
# (case_due) follows by its statement trigger.
super "UPDATE minqing.cases SET started_at = '2026-09-29 10:00+08', due_at = '2026-10-09 17:30+08' WHERE case_id = $a" >/dev/null
super "UPDATE minqing.cases SET started_at = '2026-09-17 15:00+08', due_at = '2026-09-23 17:30+08' WHERE case_id = $b" >/dev/null
sched() { super "SELECT concat_ws(' | ', to_char(remind_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI:SS'),
	to_char(yellow_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI:SS'), to_char(orange_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI:SS'),
	to_char(red_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI:SS')) FROM minqing.cases WHERE case_id = $1"; }
# Case A, started Tue 09-29 10:00, due Fri 10-09 17:30 (124200 s of working time):
#  reminder: 80% = 99360 s = 27.6 h = 27 h 36 min after the start: 09-29 7.5 h
#            (7.5), 09-30 9 h (16.5), holidays, 10-08 9 h (25.5), 2 h 06 min of
#            Fri 10-09 -> 10-09 08:30 + 2:06 = 10:36
#  yellow:   the deadline, 10-09 17:30
#  orange:   3 x 9 h = 27 h after the deadline (which is at the end of a day):
#            Sat 10-10 (make-up) 9 h, Mon 10-12 9 h, Tue 10-13 9 h -> 10-13 17:30
#  red:      7 x 9 h = 63 h after it: 10-10, 10-12, 10-13, 10-14, 10-15, 10-16,
#            (weekend 10-17/18), Mon 10-19 -> 10-19 17:30
expect "case A's stored schedule" "$(sched "$a")" "10-09 10:36:00 | 10-09 17:30:00 | 10-13 17:30:00 | 10-19 17:30:00"
expect "case A is queued for its reminder" "$(local_at "(SELECT due_at FROM minqing.case_due WHERE case_id = $a)")" "2026-10-09 10:36:00"
# Case B, started Thu 09-17 15:00, due Wed 09-23 17:30; already orange, so only
#  red: 7 working days of 9 h after the deadline: Thu 09-24 (1), Fri 09-25 ..
#       Sun 09-27 Mid-Autumn, Mon 09-28 (2), Tue 09-29 (3), Wed 09-30 (4),
#       10-01..07 National Day, Thu 10-08 (5), Fri 10-09 (6), Sat 10-10 make-up
#       (7) -> 10-10 17:30
expect "case B is queued for red only" "$(local_at "(SELECT due_at FROM minqing.case_due WHERE case_id = $b)")" "2026-10-10 17:30:00"
expect "case B's red time" "$(local_at "(SELECT red_at FROM minqing.cases WHERE case_id = $b)")" "2026-10-10 17:30:00"

# --- 3. passes a minute before and a minute after each literal time ------------------------
# pass TIME: one pass as the job's login; prints its key=value line (or, if
# there is none, all it said).
pass() {
	local out
	out=$(PGUSER=minqing_escalate "$MQ_BUILD_DIR/minqing-escalate" --once --now "$1" 2>&1)
	grep -m1 '^cases=' <<<"$out" || printf '%s' "${out//$'\n'/ }"
}
# digest UTC STEP: the logins told of STEP by the pass at UTC (the dedupe key's
# form, YYYYMMDDTHHMMSS), sorted; "!phone" when a message went to another phone
# than the person's.
digest() {
	super "SELECT coalesce(string_agg(s.login, ',' ORDER BY s.login), '')
	              || CASE WHEN bool_and(o.recipient_phone = s.phone) IS FALSE THEN ' !phone' ELSE '' END
	         FROM minqing.outbox o JOIN minqing.staff s ON s.staff_id = split_part(o.dedupe_key, ':', 4)::integer
	        WHERE o.dedupe_key LIKE 'escalation:$1:$2:%'"
}
# steps of the digests of the pass at UTC
digest_steps() { super "SELECT coalesce(string_agg(DISTINCT split_part(dedupe_key, ':', 3), ','), '') FROM minqing.outbox WHERE dedupe_key LIKE 'escalation:$1:%'"; }
nothing="cases=0 reminders=0 yellow=0 orange=0 red=0 messages=0 locked=0 ended_sessions=0"

# reminder of A at 10-09 10:36 (+08) = 02:36 UTC
r=$(pass '2026-10-09 10:35+08')
expect "10-09 10:35: no reminder yet ($r)" "$(steps "$a")" ""
expect "10-09 10:35: nothing at all in the pass" "$r" "$nothing"
r=$(pass '2026-10-09 10:37+08')
expect "10-09 10:37: the reminder" "$(steps "$a")" "reminder"
expect "10-09 10:37: one case, one reminder, one message" "$r" "cases=1 reminders=1 yellow=0 orange=0 red=0 messages=1 locked=0 ended_sessions=0"
expect "the reminder event records the pass time" \
	"$(local_at "(SELECT (data->>'at')::timestamptz FROM minqing.case_event WHERE case_id = $a AND kind = 'reminder')")" "2026-10-09 10:37:00"
expect "the reminder goes to the case's handler (key 20261009T023700)" "$(digest 20261009T023700 reminder)" "handler_t01v01"
expect "and is the pass's only digest" "$(digest_steps 20261009T023700)" "reminder"

# yellow of A at 10-09 17:30 (+08) = 09:30 UTC
r=$(pass '2026-10-09 17:29+08')
expect "10-09 17:29: not yellow yet ($r)" "$(steps "$a")" "reminder"
expect "10-09 17:29: nothing in the pass" "$r" "$nothing"
r=$(pass '2026-10-09 17:31+08')
expect "10-09 17:31: yellow" "$(steps "$a")" "reminder,yellow"
expect "10-09 17:31: one yellow, three messages" "$r" "cases=1 reminders=0 yellow=1 orange=0 red=0 messages=3 locked=0 ended_sessions=0"
expect "yellow tells the village's and the town's handlers (key 20261009T093100)" \
	"$(digest 20261009T093100 yellow)" "demo_town,handler_t01,handler_t01v01"
expect "and nothing else" "$(digest_steps 20261009T093100)" "yellow"
expect "case A is yellow" "$(super "SELECT warning_level FROM minqing.cases WHERE case_id = $a")" yellow

# red of B at 10-10 17:30 (+08) = 09:30 UTC; A has nothing due until 10-13
r=$(pass '2026-10-10 17:29+08')
expect "10-10 17:29: the key case has nothing yet ($r)" "$(steps "$b")" ""
expect "10-10 17:29: nothing in the pass" "$r" "$nothing"
r=$(pass '2026-10-10 17:31+08')
expect "10-10 17:31: the key case goes red, nothing before it" "$(steps "$b")" "red"
expect "10-10 17:31: one red, three messages" "$r" "cases=1 reminders=0 yellow=0 orange=0 red=1 messages=3 locked=0 ended_sessions=0"
expect "red tells the district's supervisors (LW has no handler) (key 20261010T093100)" \
	"$(digest 20261010T093100 red)" "demo_supervisor,supervisor_02,supervisor_03"
expect "and nothing else" "$(digest_steps 20261010T093100)" "red"
expect "case A is untouched by it" "$(steps "$a")" "reminder,yellow"

# orange of A at 10-13 17:30 (+08) = 09:30 UTC
r=$(pass '2026-10-13 17:29+08')
expect "10-13 17:29: not orange yet ($r)" "$(steps "$a")" "reminder,yellow"
expect "10-13 17:29: nothing in the pass" "$r" "$nothing"
r=$(pass '2026-10-13 17:31+08')
expect "10-13 17:31: orange" "$(steps "$a")" "reminder,yellow,orange"
expect "10-13 17:31: one orange, two messages" "$r" "cases=1 reminders=0 yellow=0 orange=1 red=0 messages=2 locked=0 ended_sessions=0"
expect "orange tells the town's handlers (key 20261013T093100)" "$(digest 20261013T093100 orange)" "demo_town,handler_t01"
expect "and nothing else" "$(digest_steps 20261013T093100)" "orange"

# red of A at 10-19 17:30 (+08) = 09:30 UTC
r=$(pass '2026-10-19 17:29+08')
expect "10-19 17:29: not red yet ($r)" "$(steps "$a")" "reminder,yellow,orange"
expect "10-19 17:29: nothing in the pass" "$r" "$nothing"
r=$(pass '2026-10-19 17:31+08')
expect "10-19 17:31: red" "$(steps "$a")" "reminder,yellow,orange,red"
expect "10-19 17:31: one red, three messages" "$r" "cases=1 reminders=0 yellow=0 orange=0 red=1 messages=3 locked=0 ended_sessions=0"
expect "red tells the district's supervisors (key 20261019T093100)" \
	"$(digest 20261019T093100 red)" "demo_supervisor,supervisor_02,supervisor_03"
expect "and nothing else" "$(digest_steps 20261019T093100)" "red"

r=$(pass '2026-12-31 12:00+08')
expect "nothing follows red" "$r" "$nothing"
expect "the timelines" "$(steps "$a") / $(steps "$b")" "reminder,yellow,orange,red / red"
expect "both cases red and out of the queue" \
	"$(super "SELECT string_agg(warning_level || ' ' || (next_escalation_at IS NULL), ',') FROM minqing.cases WHERE case_id IN ($a, $b)")" \
	"red true,red true"
expect "no digest outside the passes above" \
	"$(super "SELECT count(*) FROM minqing.outbox WHERE dedupe_key LIKE 'escalation:%'
	          AND split_part(dedupe_key, ':', 2) NOT IN ('20261009T023700', '20261009T093100', '20261010T093100', '20261013T093100', '20261019T093100')")" 0

# --- 4. a pause moves the deadline by the working time spent waiting ------------------------
# Working seconds from a to b, day by day from the holiday rows, 08:30-17:30
# (this file's own sum, not the function under test).
ws_sql() {
	printf '%s' "(SELECT coalesce(sum(greatest(0, extract(epoch FROM
	        least(($2)::timestamptz, (d::date + time '17:30') AT TIME ZONE 'Asia/Shanghai')
	        - greatest(($1)::timestamptz, (d::date + time '08:30') AT TIME ZONE 'Asia/Shanghai')))), 0)::bigint
	   FROM generate_series((($1)::timestamptz AT TIME ZONE 'Asia/Shanghai')::date,
	                        (($2)::timestamptz AT TIME ZONE 'Asia/Shanghai')::date, interval '1 day') d
	  WHERE coalesce((SELECT h.kind = 'workday' FROM minqing.holiday h WHERE h.district_id = 1 AND h.day = d::date),
	                 extract(isodow FROM d) < 6))"
}
expect "this file's sum agrees with the literals" \
	"$(super "SELECT $(ws_sql "'2026-09-29 10:00+08'" "'2026-10-09 17:30+08'") || ' ' || $(ws_sql "'2026-10-09 17:00+08'" "'2026-10-10 10:00+08'")")" "124200 7200"
c=$(intake '路灯损坏' '村口路灯损坏，夜间出行不便。')
as demo_town "SELECT minqing.case_accept($c)" >/dev/null
as demo_town "SELECT minqing.case_dispatch($c, 'T01V01')" >/dev/null
as handler_t01v01 "SELECT minqing.case_start($c)" >/dev/null
super "UPDATE minqing.cases SET started_at = '2026-09-29 10:00+08', due_at = '2026-10-09 17:30+08' WHERE case_id = $c" >/dev/null
as handler_t01v01 "SELECT minqing.case_pause($c, '等待村民提供现场照片')" >/dev/null
# The wait began at a literal moment (the functions use now(), which a test
# cannot choose): Thu 10-08 08:30, so it holds at least the working days from
# then to the run (10-08 and 10-09 alone are 64800 s).
super "UPDATE minqing.cases SET paused_at = '2026-10-08 08:30+08' WHERE case_id = $c AND status = 'waiting'" >/dev/null
expect "no escalation while waiting" "$(super "SELECT next_escalation_at IS NULL AND NOT EXISTS (SELECT 1 FROM minqing.case_due WHERE case_id = $c) FROM minqing.cases WHERE case_id = $c")" t
as handler_t01v01 "SELECT minqing.case_resume($c)" >/dev/null
# the resume's time: now() of its transaction, which the trigger wrote to updated_at
resumed=$(super "SELECT updated_at FROM minqing.cases WHERE case_id = $c")
waited=$(super "SELECT $(ws_sql "'2026-10-08 08:30+08'" "'$resumed'")")
[ "${waited:-0}" -ge 64800 ] && ok "the wait holds working time ($waited s)" || bad "the wait: '$waited' s"
expect "the resume event counts the same working time" \
	"$(super "SELECT (data->>'paused_working_seconds')::numeric::bigint FROM minqing.case_event WHERE case_id = $c AND kind = 'resume'")" "$waited"
expect "the deadline moved by exactly the working time waited (from Fri 10-09 17:30)" \
	"$(super "SELECT $(ws_sql "'2026-10-09 17:30+08'" "due_at") FROM minqing.cases WHERE case_id = $c")" "$waited"
expect "the new deadline lies in office hours of a working day" \
	"$(super "SELECT (due_at AT TIME ZONE 'Asia/Shanghai')::time BETWEEN '08:30' AND '17:30'
	          AND $(ws_sql "due_at - interval '1 second'" "due_at") = 1 FROM minqing.cases WHERE case_id = $c")" t
expect "the schedule follows the new deadline" \
	"$(super "SELECT yellow_at = due_at AND status = 'in_progress' FROM minqing.cases WHERE case_id = $c")" t

finish
