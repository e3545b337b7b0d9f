#!/usr/bin/env bash
# The holes found by attacking the database from psql (schema 007), each
# reproduced as the attack was made; every check failed before 007.
set -uo pipefail
: "${PGDATABASE:?run through ./dev.sh test}" "${MQ_BUILD_DIR:?}"
results=$(mktemp)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	psql -qX -U postgres -c "UPDATE minqing.job_setting SET staff_idle_in_transaction = '1 minute', staff_max_transaction = '5 minutes'" >/dev/null 2>&1
	psql -qX -U postgres -f "$(dirname "$0")/adversary/unworld.sql" >/dev/null 2>&1
	rm -f "$results"
}
trap cleanup EXIT
source "$(dirname "$0")/lib.bash"
# (here: the output whatever happened, errors included; the checks judge it)
as() { psql -qXtA -U "$1" -v ON_ERROR_STOP=1 -c "$2" 2>&1; }
# until SQL [what]: poll (0.1 s) until the superuser's SQL says t, at most 15 s.
until_true() {
	local i
	for i in $(seq 150); do
		[ "$(super "$1")" = t ] && return 0
		sleep 0.1
	done
	bad "waited 15 s for: ${2:-$1}"
	return 1
}
super "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'minqing_escalate')
       THEN CREATE ROLE minqing_escalate LOGIN IN ROLE mq_escalator; END IF; END \$\$" >/dev/null
cat=$(super "SELECT min(category_id) FROM minqing.case_category WHERE district_id = 1 AND parent_id IS NOT NULL")
new_case() { # a case of T01V01 dispatched to the village: due, one day, far past
	local id
	id=$(as demo_village "SELECT case_id FROM minqing.case_intake('walk_in', '井盖缺失', '村口井盖缺失，夜间危险。', $cat, '李四', '13957700777')")
	as demo_town "SELECT minqing.case_accept($id)" >/dev/null
	as demo_town "SELECT minqing.case_dispatch($id, 'T01V01')" >/dev/null
	echo "$id"
}

# 1. A temporary table made first by the caller ran its trigger as mq_owner.
out=$(psql -qXtA -U postgres -c "GRANT TEMPORARY ON DATABASE \"$PGDATABASE\" TO demo_village" 2>&1)
out=$(as demo_village "BEGIN;
  CREATE TEMP TABLE case_find_window (case_id bigint, created_at timestamptz);
  GRANT ALL ON case_find_window TO PUBLIC;
  CREATE FUNCTION pg_temp.evil() RETURNS trigger LANGUAGE plpgsql AS \$f\$ BEGIN
    RAISE EXCEPTION 'running as %', current_user; END \$f\$;
  CREATE TRIGGER t AFTER INSERT ON case_find_window FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.evil();
  SELECT count(*) FROM minqing.case_find_words('道路');
  ROLLBACK;")
super "REVOKE TEMPORARY ON DATABASE \"$PGDATABASE\" FROM demo_village" >/dev/null
[[ $out != *"running as"* ]] && ok "the caller's temp table is not used by case_find_words" || bad "temp table hijack: $out"
refused demo_village 42501 "CREATE TEMP TABLE x (a int)" "staff may not create temporary tables"

# 2. Any login held the advisory lock and every pass was skipped; now the
# job's lock is a table nobody else may lock.
as demo_kiosk "SELECT pg_advisory_lock(hashtext('minqing.escalation_pass')); SELECT pg_sleep(20)" >/dev/null &
pids+=($!)
until_true "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid)
            WHERE l.locktype = 'advisory' AND l.granted AND a.usename = 'demo_kiosk')" "the kiosk's advisory lock"
r=$(PGUSER=minqing_escalate "$MQ_BUILD_DIR/minqing-escalate" --once 2>&1)
[[ $r == *"cases="* ]] && ok "a kiosk's advisory lock does not stop the pass" || bad "pass with an advisory lock held: $r"
for who in demo_kiosk demo_village demo_supervisor demo_admin; do
	refused "$who" 42501 "BEGIN; LOCK TABLE minqing.escalation_work IN ACCESS SHARE MODE" "$who cannot take the job's lock"
done
# a pass that really holds the lock: the second is skipped; stalled when no
# pass completed for longer than the limit
super "UPDATE minqing.job_state SET last_completed_at = now() - interval '1 hour' WHERE job = 'escalation'" >/dev/null
PGUSER=minqing_escalate psql -qXtA -c "BEGIN; SELECT skipped FROM minqing.escalation_pass(); SELECT pg_sleep(6); COMMIT" >/dev/null &
pids+=($!)
until_true "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'minqing.escalation_work'::regclass AND granted)" "a pass holding the job's lock"
r=$(psql -qXtA -U minqing_escalate -c "SELECT skipped, stalled FROM minqing.escalation_pass()" 2>&1)
expect "a pass skipped while none completed for an hour is stalled" "$r" "t|t"
expect "and the district centre is alerted" "$(super "SELECT count(*) > 0 FROM minqing.outbox WHERE dedupe_key LIKE 'job:escalation:stalled:%'")" t
wait "${pids[-1]}" 2>/dev/null

# 3. An officer's open transaction held cases: the pass now ends staff
# sessions idle in a transaction past the limit and takes the cases.
id=$(new_case)
due=$(super "SELECT due_at + interval '30 days' FROM minqing.cases WHERE case_id = $id")
ver=$(super "SELECT row_version FROM minqing.cases WHERE case_id = $id")
PGAPPNAME=mq_holder psql -qXtA -U demo_village -c "BEGIN; SELECT minqing.case_expect_version($id, $ver);
  SELECT minqing.case_progress($id, '占住'); SELECT pg_sleep(30)" >/dev/null 2>&1 &
pids+=($!)
until_true "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'mq_holder' AND wait_event = 'PgSleep'
            AND xact_start < clock_timestamp() - interval '1.2 seconds')" "the officer's transaction, older than a second"
r=$(as minqing_escalate "SELECT locked FROM minqing.escalation_pass('$due')")
[ "${r:-0}" -ge 1 ] && ok "a due case held by a session is counted as locked ($r)" || bad "locked: $r"
super "UPDATE minqing.job_setting SET staff_max_transaction = '1 second'" >/dev/null
r=$(as minqing_escalate "SELECT ended_sessions || ' ' || cases FROM minqing.escalation_pass('$due')")
[[ $r == [1-9]*" "[1-9]* ]] && ok "the pass ended the session and escalated ($r)" || bad "ended/cases: $r"
expect "the held case is red now" "$(super "SELECT warning_level FROM minqing.cases WHERE case_id = $id")" red
expect "the holder is gone" "$(super "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mq_holder'")" 0
super "UPDATE minqing.job_setting SET staff_max_transaction = '5 minutes'" >/dev/null
expect "case_expect_version locks nothing" "$(as demo_village "BEGIN; SELECT minqing.case_expect_version($id, (SELECT row_version FROM minqing.cases WHERE case_id = $id)); SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'transactionid'; ROLLBACK" | tail -1)" 0

# Every table a staff login may lock (UPDATE, DELETE or TRUNCATE allows LOCK
# TABLE ... ACCESS EXCLUSIVE), held in a forgotten transaction: the next
# pass ends the session (past the limit) and completes.
super "UPDATE minqing.job_setting SET staff_idle_in_transaction = '1 second'" >/dev/null
fifo=$(mktemp -u); mkfifo "$fifo"
for who in demo_admin demo_village; do
	for t in $(super "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	                  WHERE n.nspname = 'minqing' AND c.relkind = 'r'
	                    AND (has_table_privilege('$who', c.oid, 'UPDATE') OR has_table_privilege('$who', c.oid, 'DELETE')
	                         OR has_table_privilege('$who', c.oid, 'TRUNCATE')) ORDER BY 1"); do
		# (idle in the transaction: psql waits on its input, kept open)
		{ echo "BEGIN; LOCK TABLE minqing.$t IN ACCESS EXCLUSIVE MODE;"; exec sleep 30; } >"$fifo" &
		feeder=$!
		PGAPPNAME=mq_table_holder psql -qXtA -U "$who" <"$fifo" >/dev/null 2>&1 &
		holder=$!
		until_true "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'mq_table_holder'
		            AND state = 'idle in transaction' AND state_change < clock_timestamp() - interval '1.2 seconds')" \
			"$who idle in a transaction holding $t, for more than a second"
		r=$(PGUSER=minqing_escalate timeout 60 "$MQ_BUILD_DIR/minqing-escalate" --once --now "$due" 2>&1; echo "rc=$?")
		[[ $r == *"rc=0"* && $r == *"cases="* && $r == *"ended_sessions=1"* ]] &&
			ok "$who holding $t: the pass ends the session and completes" || bad "$who holding $t: $r"
		kill "$feeder" "$holder" 2>/dev/null; wait "$feeder" "$holder" 2>/dev/null
	done
done
super "UPDATE minqing.job_setting SET staff_idle_in_transaction = '1 minute'" >/dev/null
rm -f "$fifo"

# 4. Reading an ID number is in the server log even when rolled back.
log=$(super "SHOW data_directory")/../server.log
[ -r "$log" ] || log=$PGHOST/server.log
rid=$(super "SELECT min(resident_id) FROM minqing.resident r JOIN minqing.staff s ON s.login = 'handler_t01v01' WHERE r.path = s.path AND r.id_card IS NOT NULL")
pid=$(as handler_t01v01 "BEGIN; SELECT pg_backend_pid(); SELECT minqing.resident_id_card($rid) IS NOT NULL; ROLLBACK" | head -1)
for _ in $(seq 50); do grep -q "\[$pid\] LOG:  minqing audit" "$log" && break; sleep 0.1; done
grep -q "\[$pid\] LOG:  minqing audit: handler_t01v01 read the ID number of resident $rid " "$log" &&
	ok "a rolled-back ID read is in the server log" || bad "no log line of session $pid for the ID read in $log"

# 5. user_add adopted the notifier's role and set its password.
super "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'adv_notify') THEN
       CREATE ROLE adv_notify LOGIN IN ROLE mq_notifier; END IF; END \$\$" >/dev/null
refused demo_admin 42501 "SELECT minqing.user_add('adv_notify', 'x', 'T01', 'officer', 'chosen-pw')" "a job's role is never adopted"
super "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'adv_pw') THEN
       CREATE ROLE adv_pw LOGIN PASSWORD 'secret'; END IF; END \$\$" >/dev/null
refused demo_admin 42501 "SELECT minqing.user_add('adv_pw', 'x', 'T01', 'officer')" "a role with a password is never adopted"

# 6. A long title pinned a CPU: now refused at once, bigrams linear.
# (with a statement timeout of its own: before 007 this ran past 300 s)
PGOPTIONS="-c statement_timeout=20s" refused demo_village 22001 "SELECT minqing.case_intake('walk_in', repeat('很', 1000000), '内容', $cat, '张三')" "a million-character title"
t0=$(date +%s%N)
PGOPTIONS="-c statement_timeout=20s" super "SELECT cardinality(minqing.text_bigrams(repeat('路灯不亮', 5000 + (random() * 0)::int)))" >/dev/null
t=$((($(date +%s%N) - t0) / 1000000))
[ "$t" -lt 2000 ] && ok "bigrams of 20,000 characters in $t ms" || bad "bigrams took $t ms"
refused demo_village 23502 "SELECT minqing.case_intake('walk_in', E'\\u3000\\u3000', '内容', $cat, '张三')" "a title of ideographic spaces"
refused demo_village 22021 "SELECT minqing.case_intake('walk_in', E'标题\\u202e反转', '内容', $cat, '张三')" "a title with a direction override"
expect "staff logins have a statement_timeout" "$(as demo_village "SHOW statement_timeout")" 30s

# 8. Messages: per person and per phone, urges once a day.
super "UPDATE minqing.message_limit SET per_phone_day = 2 WHERE district_id = 1" >/dev/null
phone=1395770$(printf %04d $((RANDOM % 10000)))
n_ok=0
for i in 1 2 3; do
	cid=$(as demo_village "SELECT case_id FROM minqing.case_intake('walk_in', '咨询$i', '咨询内容', $cat, '王五', '$phone')")
	if as demo_village "SELECT minqing.case_resolve_at_once($cid, '已答复')" >/dev/null; then n_ok=$((n_ok + 1)); fi
done
expect "two result SMS to one phone a day, the third action refused" "$n_ok" 2
refused demo_village 53400 "SELECT minqing.case_resolve_at_once($cid, '已答复')" "the limit is a clear refusal"
super "UPDATE minqing.message_limit SET per_phone_day = 10 WHERE district_id = 1" >/dev/null
uid=$(new_case)
for i in 1 2 3; do as demo_town "SELECT minqing.case_urge($uid, '请抓紧')" >/dev/null; done
expect "three urges on one day, one SMS" "$(super "SELECT count(*) FROM minqing.outbox WHERE dedupe_key LIKE 'case:$uid:urge:%'")" 1
# (before: INSERT ... ON CONFLICT needed the message to pass the caller's
# SELECT policy, so a town could not urge a case assigned to a department,
# nor a department resolve a village's case with its result SMS)
did=$(as demo_village "SELECT case_id FROM minqing.case_intake('walk_in', '社保转移', '咨询社保关系转移手续。', $cat, '孙八', '13957700888')")
as demo_town "SELECT minqing.case_accept($did)" >/dev/null
as demo_town "SELECT minqing.case_dispatch($did, (SELECT u.code FROM minqing.staff s JOIN minqing.org_unit u USING (unit_id) WHERE s.login = 'demo_dept'), 'demo_dept')" >/dev/null
as demo_dept "SELECT minqing.case_start($did)" >/dev/null
expect "a town urges a case assigned to a department" "$(as demo_town "SELECT 1 FROM minqing.case_urge($did, '请抓紧')")" 1
expect "a department resolves a village's case, the result SMS queued" "$(as demo_dept "SELECT 1 FROM minqing.case_resolve($did, '已告知办理流程')")" 1
expect "the result SMS is there" "$(super "SELECT count(*) FROM minqing.outbox WHERE dedupe_key LIKE 'case:$did:result:%'")" 1
expect "supervisors see who sent how many" "$(as demo_supervisor "SELECT count(*) > 0 FROM minqing.message_senders WHERE login = 'demo_village'")" t

# 9. Notification payloads carry a case id at most.
got=$(PGAPPNAME=mq_listener psql -qXtA -U demo_kiosk -c "LISTEN minqing_case" -c "SELECT pg_sleep(3)" -c "SELECT 1" 2>&1 &
	until_true "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'mq_listener' AND wait_event = 'PgSleep')" \
		"the kiosk listening" 2>/dev/null
	# (the change, then the relay the console runs after it: 030_case_news.sql)
	as demo_village "SELECT minqing.case_progress($uid, '进展')" >/dev/null
	as demo_village "SELECT minqing.case_news_relay()" >/dev/null; wait)
[[ $got == *'payload "'[0-9]*'"'* && $got != *origin* ]] && ok "a listener learns a case id, nothing else" || bad "payload: $got"

# 10. Dispatch outside the district, intake at another town's station.
PGOPTIONS="-c client_min_messages=warning" psql -qXtA -U postgres -v ON_ERROR_STOP=1 -f "$(dirname "$0")/adversary/world.sql" >/dev/null || bad "the second district could not be made"
id=$(as demo_village "SELECT case_id FROM minqing.case_intake('walk_in', '路面破损', '路面破损严重。', $cat, '赵六')")
as demo_town "SELECT minqing.case_accept($id)" >/dev/null
refused demo_town 23514 "SELECT minqing.case_dispatch($id, 'XQT01V01')" "no dispatch to another district"
st=$(super "SELECT min(station_id) FROM minqing.station s JOIN minqing.org_unit u USING (unit_id) WHERE u.code LIKE 'T02%'")
refused demo_village 23503 "SELECT minqing.case_intake('walk_in', '标题', '内容', $cat, '张三', NULL, NULL, NULL, false, 'normal', NULL, $st)" "no intake at another town's station"
idc=$(super "SELECT id_card FROM minqing.resident WHERE name = 'XQ机密居民'")
hh=$(as demo_village "SELECT min(household_id) FROM minqing.household")
out=$(as demo_village "INSERT INTO minqing.resident (household_id, name, relation, id_card) VALUES ($hh, '钱七', 'other', '$idc')")
[[ $out == *"already registered"* && $out != *"$idc"* && $out != *XQ* ]] && ok "a known ID number is refused without saying where" || bad "duplicate ID: $out"

finish
