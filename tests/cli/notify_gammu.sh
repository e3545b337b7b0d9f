#!/usr/bin/env bash
# minqing-notify end to end with Gammu SMSD, the real SMS gateway daemon, on
# its dummy phone. Gammu's own tables (its pgsql.sql) are loaded into the
# schema "gammu" of a scratch database, beside our outbox, so the insert into
# Gammu's outbox is part of the drainer's transaction (exactly once):
#   - a short text is one row, Coding Unicode_No_Compression, CreatorID
#     minqing:<message_id>; a long one is one concatenated SMS (MultiPart,
#     UDH, the further parts in outbox_multipart), at most 67 characters each;
#   - a message already in Gammu's tables (a crash after the insert with a
#     separate Gammu database) is not inserted again;
#   - gammu-smsd (model dummy) sends every row: all parts land in sentitems;
#   - delivery is read back from sentitems: the dummy phone's
#     SendingOKNoReport is 'accepted' (the multipart message once every part
#     is there); delivery reports (here: UPDATEs of sentitems) make one
#     message 'delivered' and another, whose second part failed, dead with
#     "gateway: SendingError", and nothing is sent again; with a separate
#     Gammu database too, and through a lost connection to it.
set -euo pipefail
# shellcheck source=gammulib.bash
source "$(dirname "$0")/gammulib.bash"
: "${MQ_BUILD_DIR:?set MQ_BUILD_DIR (ctest does)}" "${MQ_SOURCE_DIR:?}" "${PGHOST:?}" "${PGPORT:?}"
notify=$MQ_BUILD_DIR/minqing-notify
admin=$MQ_BUILD_DIR/minqing-admin
gammu_sql=/usr/share/doc/gammu-smsd/examples/pgsql.sql
command -v gammu-smsd >/dev/null && [ -f "$gammu_sql" ] ||
	{ echo "FAIL: gammu-smsd is not installed (Debian packages gammu-smsd and gammu)"; exit 1; }
tmp=$(mktemp -d)
chmod 755 "$tmp"
db=mq_notify_gammu_$$
db2=mq_notify_gammu2_$$
drainer=notify_test_gammu_$$
daemon=
cleanup() {
	local d
	[ -n "$daemon" ] && kill -9 "$daemon" 2>/dev/null || true
	for d in "$db" "$db2"; do
		psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true
	done
	psql -qX -U postgres -d postgres -c "DROP ROLE IF EXISTS $drainer" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
export PGDATABASE=$db LANG=C.UTF-8
unset PGUSER
fails=0
pass=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
is() { if [ "$1" = "$2" ]; then ok "$3"; else bad "$3: got '$1', want '$2'"; fi; }
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 "$@"; }
enqueue() { # KEY PHONE BODY
	q -v key="$1" -v phone="$2" -v body="$3" <<'SQL'
SELECT minqing.outbox_enqueue(1::smallint, 'LW.T01'::ext.ltree, :'phone', '王五', :'body', :'key')
SQL
}
drain() {
	rc=0
	PGUSER=$drainer "$notify" -c "$tmp/en.conf" --transport gammu --once "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	! grep -q "Sanitizer" "$tmp/err" || bad "sanitizer report: $(cat "$tmp/err")"
}
# Gammu's schema into SCHEMA of database DB, the drainer's grants on it.
load_gammu() { # db schema
	gammu_schema_sql "$2" | q -d "$1" >/dev/null
	q -d "$1" -c "GRANT USAGE ON SCHEMA $2 TO mq_notifier;
		GRANT SELECT, INSERT, DELETE ON ALL TABLES IN SCHEMA $2 TO mq_notifier;
		GRANT USAGE ON ALL SEQUENCES IN SCHEMA $2 TO mq_notifier;
		CREATE INDEX sentitems_creator ON $2.sentitems (\"CreatorID\");" >/dev/null
}

psql -qX -U postgres -d postgres -c "CREATE DATABASE $db" -c "CREATE DATABASE $db2" >/dev/null
PGUSER=postgres "$admin" migrate >/dev/null
if [ "$(q -c "SELECT to_regclass('minqing.outbox') IS NULL")" = t ]; then
	q -1 -f "$MQ_SOURCE_DIR/schema/wip/003_outbox.sql" >/dev/null
fi
q -c "INSERT INTO minqing.district (district_id, code, name) VALUES (1, '330303', '龙湾区') ON CONFLICT DO NOTHING" >/dev/null
q -d postgres -c "CREATE ROLE $drainer LOGIN IN ROLE mq_notifier" >/dev/null
load_gammu "$db" gammu
printf 'ui = { language = "en"; };\n' >"$tmp/en.conf"

short=$(q -c "SELECT minqing.render_template('case_resolved_sms', '{\"case_no\": \"LW-2026-000456\", \"result\": \"已协调物业疏通下水道\", \"unit\": \"状元街道民情中心\"}')")
long=$(q -c "SELECT repeat('关于您反映的小区停车难问题，街道已会同城管、交警和物业召开协调会。', 3)")
s1=$(enqueue g:1 '+86 138 0000 2001' "$short")
s2=$(enqueue g:2 13800002002 "$long")
s3=$(enqueue g:3 '12345' "坏号码")

drain --gammu-schema nosuchschema
is "$rc" 2 "Gammu's tables not found: a usage error, said clearly"
grep -q "Gammu SMSD's tables" "$tmp/err" && ok "the message names Gammu's tables" || bad "$(cat "$tmp/err")"

drain --gammu-schema gammu
is "$rc" 0 "the gammu run exits 0"
is "$(q -c "SELECT \"DestinationNumber\" || ' ' || \"Coding\" || ' ' || \"MultiPart\" || ' ' || \"CreatorID\" FROM gammu.outbox WHERE \"CreatorID\" = 'minqing:$s1'")" \
	"13800002001 Unicode_No_Compression false minqing:$s1" "a short text: one row in Gammu's outbox, Unicode, with our CreatorID"
is "$(q -c "SELECT \"TextDecoded\" FROM gammu.outbox WHERE \"CreatorID\" = 'minqing:$s1'")" "$short" "the text is the rendered template"
parts=$(q -c "SELECT 1 + (SELECT count(*) FROM gammu.outbox_multipart m WHERE m.\"ID\" = o.\"ID\") FROM gammu.outbox o WHERE \"CreatorID\" = 'minqing:$s2'")
is "$(q -c "SELECT \"MultiPart\" || ' ' || \"UDH\" FROM gammu.outbox WHERE \"CreatorID\" = 'minqing:$s2'")" \
	"true 050003$(printf '%02X%02X' $((s2 & 255)) "$parts")01" "a long text: one concatenated SMS with its header"
is "$(q -c "SELECT string_agg(t, '' ORDER BY p) FROM (SELECT 1 AS p, \"TextDecoded\" AS t FROM gammu.outbox WHERE \"CreatorID\" = 'minqing:$s2' UNION ALL SELECT m.\"SequencePosition\", m.\"TextDecoded\" FROM gammu.outbox_multipart m JOIN gammu.outbox o USING (\"ID\") WHERE o.\"CreatorID\" = 'minqing:$s2') x")" \
	"$long" "the parts join to the whole text"
is "$(q -c "SELECT max(length(\"TextDecoded\")) <= 67 FROM gammu.outbox_multipart")" t "every part is at most 67 characters"
is "$(q -c "SELECT segments FROM minqing.outbox WHERE message_id = $s2")" "$parts" "the outbox row records the $parts segments"
is "$(q -c "SELECT string_agg(status, ' ' ORDER BY message_id) FROM minqing.outbox")" "sent sent dead" "sent, sent, and the bad number dead"
is "$(q -c "SELECT transport_ref FROM minqing.outbox WHERE message_id = $s1")" \
	"gammu:$(q -c "SELECT \"ID\" FROM gammu.outbox WHERE \"CreatorID\" = 'minqing:$s1'")" "the reference is Gammu's ID"

# A separate Gammu database, with the message already there (as after a crash
# between Gammu's commit and ours): not inserted again.
load_gammu "$db2" public
s4=$(enqueue g:4 13800002004 "第二个网关数据库测试")
q -d "$db2" -c "INSERT INTO outbox (\"DestinationNumber\", \"TextDecoded\", \"Coding\", \"CreatorID\") VALUES ('13800002004', '第二个网关数据库测试', 'Unicode_No_Compression', 'minqing:$s4')" >/dev/null
s5=$(enqueue g:5 13800002005 "第二个网关数据库测试五")
drain --gammu-conninfo "host=$PGHOST port=$PGPORT dbname=$db2"
is "$rc" 0 "with --gammu-conninfo"
is "$(q -d "$db2" -c "SELECT string_agg(\"CreatorID\", ' ' ORDER BY \"ID\") FROM outbox")" \
	"minqing:$s4 minqing:$s5" "a message already in Gammu's outbox is not inserted twice"
is "$(q -c "SELECT status FROM minqing.outbox WHERE message_id = $s4")" sent "and it is marked sent"

# The real daemon on its dummy phone: every row of our outbox moves to sentitems.
mkdir -p "$tmp/phone"
gammu_smsdrc "$tmp/smsdrc" "$tmp/phone" "$db" "$tmp/smsd.log"
# Gammu's queries name the tables unqualified: its search_path picks the schema.
for i in $(seq 30); do
	PGOPTIONS='-c search_path=gammu' timeout 3 gammu-smsd -c "$tmp/smsdrc" >/dev/null 2>&1 || true
	[ "$(q -c "SELECT count(*) FROM gammu.outbox")" = 0 ] && break
done
is "$(q -c "SELECT count(*) FROM gammu.outbox")" 0 "gammu-smsd took every row of its outbox"
is "$(q -c "SELECT string_agg(\"CreatorID\" || '#' || \"SequencePosition\", ' ' ORDER BY \"CreatorID\", \"SequencePosition\") FROM gammu.sentitems")" \
	"$(printf 'minqing:%s#1' "$s1"; for p in $(seq "$parts"); do printf ' minqing:%s#%s' "$s2" "$p"; done)" \
	"sentitems has the short message and every part of the long one"
is "$(q -c "SELECT count(*) FROM gammu.sentitems WHERE \"Status\" LIKE 'SendingOK%'")" "$((1 + parts))" \
	"the dummy phone sent them all (SendingOK)"
grep -q "Transmitted" "$tmp/smsd.log" && ok "gammu-smsd logged the transmissions" || bad "smsd log: $(tail -5 "$tmp/smsd.log")"

# --- Delivery read back from sentitems ------------------------------------------------
gammu_rows() { q -c "SELECT (SELECT count(*) FROM gammu.outbox) + (SELECT count(*) FROM gammu.outbox_multipart) || ' ' || (SELECT count(*) FROM gammu.sentitems)"; }
before=$(gammu_rows)
is "$(q -c "SELECT count(*) FROM minqing.outbox WHERE delivery_status IS NOT NULL OR delivered_at IS NOT NULL")" 0 \
	"before the read-back no delivery is known"
drain --gammu-schema gammu
is "$rc" 0 "the read-back run exits 0"
is "$(q -c "SELECT string_agg(message_id || '=' || coalesce(delivery_status, '-'), ' ' ORDER BY message_id) FROM minqing.outbox WHERE message_id IN ($s1, $s2)")" \
	"$s1=accepted $s2=accepted" "SendingOKNoReport: both accepted, the multipart one included"
is "$(q -c "SELECT bool_and(delivered_at BETWEEN now() - interval '10 minutes' AND now() + interval '1 minute') FROM minqing.outbox WHERE message_id IN ($s1, $s2)")" \
	t "delivered_at is the sending time (Gammu's local time read right)"
is "$(q -c "SELECT string_agg(coalesce(delivery_status, '-'), ' ' ORDER BY message_id) FROM minqing.outbox WHERE message_id IN ($s3, $s4, $s5)")" \
	"- - -" "a dead message, and messages not in this Gammu's sentitems, stay unknown"
grep -q "delivery read back: 0 delivered, 2 accepted" "$tmp/err" && ok "the run logs what it read back" || bad "log: $(cat "$tmp/err")"
drain --gammu-schema gammu
is "$rc" 0 "reading back again"
grep -q "delivery read back" "$tmp/err" && bad "the same state read twice is logged as news: $(cat "$tmp/err")" || ok "the same state again changes nothing"

# Delivery reports: s1 reached the phone; the second part of s2 failed.
q -c "UPDATE gammu.sentitems SET \"Status\" = 'DeliveryOK', \"DeliveryDateTime\" = LOCALTIMESTAMP(0) WHERE \"CreatorID\" = 'minqing:$s1'" >/dev/null
q -c "UPDATE gammu.sentitems SET \"Status\" = 'SendingError' WHERE \"CreatorID\" = 'minqing:$s2' AND \"SequencePosition\" = 2" >/dev/null
attempts2=$(q -c "SELECT attempts FROM minqing.outbox WHERE message_id = $s2")
drain --gammu-schema gammu
is "$rc" 0 "the run after the delivery reports exits 0"
is "$(q -c "SELECT status || ' ' || delivery_status || ' ' || (delivered_at IS NOT NULL) FROM minqing.outbox WHERE message_id = $s1")" \
	"sent delivered true" "DeliveryOK: delivered"
is "$(q -c "SELECT status || ' ' || delivery_status || ' ' || last_error FROM minqing.outbox WHERE message_id = $s2")" \
	"dead failed gateway: SendingError" "one failed part: the whole message dead, last_error names SendingError"
is "$(q -c "SELECT attempts FROM minqing.outbox WHERE message_id = $s2")" "$attempts2" "the gateway's failure is not another attempt"
grep -q "message $s2 is dead: the gateway reports SendingError" "$tmp/err" && ok "the log says the message is dead and why" || bad "log: $(cat "$tmp/err")"
drain --gammu-schema gammu
is "$rc" 0 "once more"
is "$(gammu_rows)" "$before" "nothing was put into Gammu's tables again (outbox, sentitems)"
is "$(q -c "SELECT count(*) FROM minqing.outbox_due(100)")" 0 "and nothing of ours is due to be sent again"
is "$(q -c "SELECT n FROM minqing.outbox_summary WHERE status = 'dead'")" 2 "supervisors count the gateway's failure among the dead"

# A separate Gammu database: read back over --gammu-conninfo, and through a
# lost connection (the daemon logs it, reconnects, and goes on).
q -d "$db2" -c "INSERT INTO sentitems (\"DestinationNumber\", \"TextDecoded\", \"Coding\", \"CreatorID\", \"ID\", \"SenderID\", \"Text\", \"UDH\", \"Status\") SELECT \"DestinationNumber\", \"TextDecoded\", \"Coding\", \"CreatorID\", \"ID\", 'minqingtest', '', '', 'DeliveryOK' FROM outbox WHERE \"CreatorID\" = 'minqing:$s4'" >/dev/null
drain --gammu-conninfo "host=$PGHOST port=$PGPORT dbname=$db2"
is "$rc" 0 "reading back from a separate Gammu database"
is "$(q -c "SELECT delivery_status FROM minqing.outbox WHERE message_id = $s4")" delivered "delivered, read from the other database"
PGUSER=$drainer "$notify" -c "$tmp/en.conf" --transport gammu --interval 1 \
	--gammu-conninfo "host=$PGHOST port=$PGPORT dbname=$db2" >"$tmp/dout" 2>"$tmp/derr" &
daemon=$!
# (the daemon is connected to Gammu's database when its session is there)
for i in $(seq 100); do
	[ "$(q -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db2' AND usename = '$drainer'")" -ge 1 ] && break
	sleep 0.1
done
q -d postgres -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$db2'" >/dev/null
q -d "$db2" -c "INSERT INTO sentitems (\"DestinationNumber\", \"TextDecoded\", \"Coding\", \"CreatorID\", \"ID\", \"SenderID\", \"Text\", \"UDH\", \"Status\") SELECT \"DestinationNumber\", \"TextDecoded\", \"Coding\", \"CreatorID\", \"ID\", 'minqingtest', '', '', 'DeliveryFailed' FROM outbox WHERE \"CreatorID\" = 'minqing:$s5'" >/dev/null
for i in $(seq 50); do
	[ "$(q -c "SELECT status FROM minqing.outbox WHERE message_id = $s5")" = dead ] && break
	sleep 0.2
done
is "$(q -c "SELECT status || ' ' || last_error FROM minqing.outbox WHERE message_id = $s5")" \
	"dead gateway: DeliveryFailed" "after the Gammu connection was cut: DeliveryFailed read back, dead"
kill -0 "$daemon" 2>/dev/null && ok "the daemon survived the lost Gammu connection" || bad "the daemon died: $(cat "$tmp/derr")"
grep -q "reconnected to Gammu SMSD's database" "$tmp/derr" && ok "it logged the reconnection" || bad "log: $(cat "$tmp/derr")"
kill -TERM "$daemon"
rc=0; wait "$daemon" || rc=$?
daemon=
is "$rc" 0 "SIGTERM: the daemon exits 0"
echo "# the daemon's log:"; sed 's/^/#   /' "$tmp/derr"

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
