#!/usr/bin/env bash
# Two-way SMS end to end through Gammu SMSD's dummy phone: a text message
# dropped into the phone's inbox directory (DEVICE/sms/1/N, Gammu's SMS
# backup format) is taken by gammu-smsd into its `inbox` table; minqing-notify
# (--transport gammu, logged in as a member of mq_notifier with SELECT and
# UPDATE ("Processed") on that table only) reads it through sms_receive():
#   - a resident's message becomes a case in triage with channel sms, matched
#     to the household of the number, and the receipt "已收到，编号 …" goes
#     out through the outbox into Gammu's outbox;
#   - a volunteer's reply "1" to an invitation signs them up (by SMS);
#   - a "2" with no invitation waits in the triage list of messages received;
#   - each row is marked Processed in Gammu's table only after our commit; a
#     row read again (Processed set back to false: a crash before the mark)
#     changes nothing: one case per Gammu inbox ID;
#   - --no-inbox leaves the inbox alone.
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
db=mq_sms_inbound_$$
drainer=sms_test_drainer_$$
cleanup() {
	psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
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
drain() {
	rc=0
	PGUSER=$drainer "$notify" -c "$tmp/en.conf" --transport gammu --gammu-schema gammu --once "$@" \
		>"$tmp/out" 2>"$tmp/err" || rc=$?
	! grep -q "Sanitizer" "$tmp/err" || bad "sanitizer report: $(cat "$tmp/err")"
}
# An incoming SMS on the dummy phone: Gammu's SMS backup format, the text as
# hexadecimal UCS-2.
phone_sms() { # location number text
	local hex num
	hex=$(printf '%s' "$3" | iconv -f UTF-8 -t UCS-2BE | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
	num=$(printf '%s' "$2" | iconv -f UTF-8 -t UCS-2BE | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
	cat >"$tmp/phone/sms/1/$1" <<SMS
[SMSBackup000]
SMSC = "+8613800577500"
Sent = $(date -u +%Y%m%dT%H%M%S)
DateTime = $(date -u +%Y%m%dT%H%M%S)
State = UnRead
PDU = Deliver
Number = "$2"
NumberUnicode = $num
Name = ""
NameUnicode =
Text00 = $hex
Coding = Unicode
Folder = 1
Length = ${#3}
Class = -1
SMS
}
# gammu-smsd on the dummy phone until Gammu's inbox holds N rows.
smsd_until() { # rows
	local i
	for i in $(seq 20); do
		PGOPTIONS='-c search_path=gammu' timeout 3 gammu-smsd -c "$tmp/smsdrc" >/dev/null 2>&1 || true
		[ "$(q -c "SELECT count(*) FROM gammu.inbox")" -ge "$1" ] && return 0
	done
	return 1
}

# --- a small district: a village, a household with a phone, a volunteer invited --------
psql -qX -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
PGUSER=postgres "$admin" migrate >/dev/null
q >/dev/null <<'SQL'
INSERT INTO minqing.district (district_id, code, name) VALUES (1, '330303', '龙湾区');
INSERT INTO minqing.org_unit (district_id, parent_id, code, name, kind) VALUES (1, NULL, 'LW', '龙湾区', 'district');
INSERT INTO minqing.org_unit (parent_id, code, name, kind)
SELECT unit_id, 'T01', '永中街道', 'street' FROM minqing.org_unit WHERE code = 'LW';
INSERT INTO minqing.org_unit (parent_id, code, name, kind)
SELECT unit_id, 'T01V01', '天兴社区', 'community' FROM minqing.org_unit WHERE code = 'T01';
SELECT minqing.district_seed_defaults(1::smallint);
INSERT INTO minqing.household (district_id, unit_id, path, household_no, address, phone)
SELECT 1, unit_id, path, 'T01V01-0001', '天兴路1号', '13800005001' FROM minqing.org_unit WHERE code = 'T01V01';
INSERT INTO minqing.volunteer (district_id, unit_id, path, kind, name, phone)
SELECT 1, unit_id, path, 'outside', '林志愿', '13800005002' FROM minqing.org_unit WHERE code = 'T01V01';
INSERT INTO minqing.activity (district_id, unit_id, path, title, kind, starts_on, ends_on)
SELECT 1, unit_id, path, '天兴社区环境整治', 'villages', current_date + 3, current_date + 3
  FROM minqing.org_unit WHERE code = 'T01V01';
INSERT INTO minqing.activity_signup (activity_id, volunteer_id, district_id, path, activity_path, status, via, invited_at)
SELECT a.activity_id, v.volunteer_id, 1, v.path, a.path, 'invited', 'sms', now()
  FROM minqing.activity a, minqing.volunteer v;
SQL
gammu_schema_sql gammu | q >/dev/null
# The drainer: its outbox work as before, and of Gammu's inbox only reading
# and the Processed mark.
q -d postgres -c "CREATE ROLE $drainer LOGIN IN ROLE mq_notifier" >/dev/null
q -c "GRANT USAGE ON SCHEMA gammu TO mq_notifier;
      GRANT SELECT, INSERT ON gammu.outbox, gammu.outbox_multipart TO mq_notifier;
      GRANT SELECT ON gammu.sentitems, gammu.gammu TO mq_notifier;
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA gammu TO mq_notifier;
      GRANT SELECT, UPDATE (\"Processed\") ON gammu.inbox TO mq_notifier;" >/dev/null
printf 'ui = { language = "en"; };\n' >"$tmp/en.conf"

mkdir -p "$tmp/phone/sms/1"
gammu_smsdrc "$tmp/smsdrc" "$tmp/phone" "$db" "$tmp/smsd.log"

# --- the phone receives three messages ------------------------------------------------------
phone_sms 1 '+8613800005001' '天兴路1号门口路灯坏了三天，晚上太黑。'
phone_sms 2 '+8613800005002' '1'
phone_sms 3 '+8613900009999' '2'
if smsd_until 3; then ok "gammu-smsd took the three messages from the dummy phone into its inbox"; else
	bad "gammu-smsd did not fill its inbox: $(tail -20 "$tmp/smsd.log")"; fi
is "$(ls "$tmp/phone/sms/1" | wc -l)" 0 "and deleted them from the phone"
is "$(q -c "SELECT string_agg(\"SenderNumber\" || ':' || \"TextDecoded\", ' ' ORDER BY \"ID\") FROM gammu.inbox")" \
	"+8613800005001:天兴路1号门口路灯坏了三天，晚上太黑。 +8613800005002:1 +8613900009999:2" "as Gammu decoded them"

drain --no-inbox
is "$rc" 0 "--no-inbox: exit 0"
is "$(q -c "SELECT count(*) FROM minqing.sms_inbound")" 0 "--no-inbox reads nothing"

drain
is "$rc" 0 "the drainer exits 0"
grep -q "messages received: 1 cases, 1 answers to invitations, 1 to triage, 0 already recorded" "$tmp/err" &&
	ok "it logs what became of them" || bad "log: $(cat "$tmp/err")"
is "$(q -c "SELECT c.channel || ' ' || c.status || ' ' || h.household_no || ' ' || c.submitter_phone FROM minqing.cases c JOIN minqing.household h USING (household_id)")" \
	"sms received T01V01-0001 13800005001" "the resident's message is a case in triage, channel sms, of the household of the number"
case_no=$(q -c "SELECT case_no FROM minqing.cases")
is "$(q -c "SELECT status || ' ' || via FROM minqing.activity_signup")" "signed sms" "the volunteer's 1 signed them up"
is "$(q -c "SELECT phone || ' ' || reason FROM minqing.sms_inbound WHERE outcome = 'triage'")" \
	"13900009999 回复没有对应的活动邀请" "the 2 with no invitation waits in the triage list"
is "$(q -c "SELECT bool_and(\"Processed\") FROM gammu.inbox")" t "Gammu's rows are marked processed after our commit"
is "$(q -c "SELECT count(*) FROM minqing.outbox WHERE body = '【民情e站】已收到，编号$case_no。我们会尽快办理并告知结果。'")" 1 \
	"the receipt 已收到，编号 … is queued"

# Read again (a crash between our commit and Gammu's mark): nothing changes.
q -c "UPDATE gammu.inbox SET \"Processed\" = false" >/dev/null
drain
is "$rc" 0 "reading them again exits 0"
grep -q "0 cases, 0 answers to invitations, 0 to triage, 3 already recorded" "$tmp/err" &&
	ok "the second reading finds them recorded" || bad "log: $(cat "$tmp/err")"
is "$(q -c "SELECT count(*) FROM minqing.cases") $(q -c "SELECT count(*) FROM minqing.sms_inbound") $(q -c "SELECT count(*) FROM minqing.outbox")" \
	"1 3 2" "still one case, three messages, two messages out (one case per Gammu ID)"
# The receipt and the acknowledgement (queued by the first run, after its
# sending) went out through Gammu's outbox with this run.
is "$(q -c "SELECT count(*) FROM gammu.outbox WHERE \"TextDecoded\" LIKE '%已收到，编号$case_no%' AND \"DestinationNumber\" = '13800005001'")" 1 \
	"the receipt is in Gammu's outbox, to the resident"
is "$(q -c "SELECT count(*) FROM gammu.outbox WHERE \"TextDecoded\" LIKE '%已收到您的回复：参加%' AND \"DestinationNumber\" = '13800005002'")" 1 \
	"the volunteer's answer is acknowledged"

# The drainer reads and marks Gammu's inbox and nothing more of it.
is "$(psql -qXtA -U "$drainer" -c "DELETE FROM gammu.inbox" 2>&1 | grep -c 'permission denied')" 1 \
	"the drainer may not delete from Gammu's inbox"
is "$(psql -qXtA -U "$drainer" -c "UPDATE gammu.inbox SET \"TextDecoded\" = 'x'" 2>&1 | grep -c 'permission denied')" 1 \
	"nor change a message's text"

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
