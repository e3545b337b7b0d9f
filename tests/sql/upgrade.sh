#!/usr/bin/env bash
# Upgrading a database of schema 6 whose old rows break the text rules of
# schema 7 (a carriage return in a case's content, a direction override in
# its title, a blank address, a control character in a queued message): the
# migration cleans them, says so, validates every rule, and the escalation
# pass and the drainer's updates of those very rows work afterwards (a check
# left NOT VALID would still be checked on their every update). And the
# upgraded database has the very functions and views of a fresh install
# (schema/functions/ applied by migrate): definitions, owners, privileges
# and comments (tests/sql/functions/catalogue.sql).
set -uo pipefail
: "${PGDATABASE:?run through ./dev.sh test}" "${MQ_BUILD_DIR:?}" "${MQ_SOURCE_DIR:?}"
db=mq_upgrade_test
fresh=mq_upgrade_fresh_$$
results=$(mktemp)
source "$(dirname "$0")/lib.bash"
q() { psql -qXtA -U postgres -d "$db" -v ON_ERROR_STOP=1 -c "$1"; }
trap 'rm -f "$results"; psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "DROP DATABASE IF EXISTS $fresh WITH (FORCE)" >/dev/null 2>&1' EXIT
PGOPTIONS="-c client_min_messages=warning" psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null

# Schema 6, as minqing-admin migrate would have left it.
for f in "$MQ_SOURCE_DIR"/schema/00[1-6]_*.sql; do
	n=$(basename "$f")
	{ echo "BEGIN;"; cat "$f"; echo "INSERT INTO minqing.schema_version (version, name) VALUES (${n:0:3}, '$n'); COMMIT;"; } |
		PGOPTIONS="-c client_min_messages=warning" psql -qX -U postgres -d "$db" -v ON_ERROR_STOP=1 >/dev/null ||
		{ echo "FAIL: could not apply $n"; exit 1; }
done
# Old rows, written when nothing refused them.
q "SET session_replication_role = origin;
   INSERT INTO minqing.district (district_id, code, name) VALUES (1, '330303', '龙湾区');
   INSERT INTO minqing.org_unit (district_id, code, name, kind) VALUES (1, 'LW', '龙湾区', 'district');
   INSERT INTO minqing.org_unit (parent_id, code, name, kind) SELECT unit_id, 'T01', '永中街道', 'street' FROM minqing.org_unit WHERE code = 'LW';
   INSERT INTO minqing.org_unit (parent_id, code, name, kind) SELECT unit_id, 'T01V01', '一村', 'village' FROM minqing.org_unit WHERE code = 'T01';
   SELECT minqing.district_seed_defaults(1::smallint);
   INSERT INTO minqing.household (unit_id, household_no, address) SELECT unit_id, 'H1', '  ' FROM minqing.org_unit WHERE code = 'T01V01';
   INSERT INTO minqing.cases (district_id, case_no, channel, origin_unit_id, origin_path, submitter_name, title, content,
                              category_id, status, accepted_at, assigned_unit_id, assigned_path)
   SELECT 1, 'LW-2025-000001', 'walk_in', u.unit_id, u.path, '老王', E'路灯\u202e不亮', E'村口路灯不亮\r\n已经一周', k.category_id,
          'accepted', now() - interval '30 days', NULL, NULL
     FROM minqing.org_unit u, (SELECT min(category_id) AS category_id FROM minqing.case_category WHERE parent_id IS NOT NULL) k
    WHERE u.code = 'T01V01';
   SELECT minqing.outbox_enqueue(1::smallint, 'LW.T01.T01V01', '13800000000', '老王', E'您的诉求已受理\r', 'old:1');" >/dev/null ||
	{ echo "FAIL: the old rows could not be made"; exit 1; }

out=$(PGDATABASE=$db "$MQ_BUILD_DIR/minqing-admin" migrate 2>&1)
latest=$(ls "$MQ_SOURCE_DIR"/schema/[0-9][0-9][0-9]_*.sql | wc -l)
[ "$(q "SELECT max(version) FROM minqing.schema_version")" = "$latest" ] && ok "migrated to $latest" || bad "migrate: $out"
for col in cases.title cases.content household.address outbox.body; do
	[[ $out == *"cleaned 1 old rows of $col"* ]] && ok "the migration says it cleaned $col" || bad "no word of $col: $out"
done
[ "$(q "SELECT count(*) FROM pg_constraint WHERE conname LIKE '%\_text' AND NOT convalidated")" = 0 ] &&
	ok "every text rule is validated" || bad "a text rule is left NOT VALID"
got=$(q "SELECT title || '|' || content FROM minqing.cases")
[ "$got" = $'路灯不亮|村口路灯不亮\n已经一周' ] && ok "the old case is cleaned: CR LF to LF, the override gone" || bad "cleaned case: $got"
[ "$(q "SELECT address FROM minqing.household")" = '（空）' ] && ok "a blank required text says it is empty" || bad "address"
# The rows are updated as usual afterwards: escalation and the drainer.
q "UPDATE minqing.cases SET warning_level = 'yellow'" >/dev/null && ok "the old case can be updated" || bad "the old case cannot be updated"
q "UPDATE minqing.outbox SET status = 'sent', sent_at = now()" >/dev/null && ok "the old message can be marked sent" ||
	bad "the old message cannot be marked"

# The functions and views of the upgraded database are those of a fresh install.
psql -qX -U postgres -d postgres -c "CREATE DATABASE $fresh" >/dev/null
PGDATABASE=$fresh "$MQ_BUILD_DIR/minqing-admin" migrate >/dev/null || bad "a fresh install failed"
same_as_fresh "$db" "$fresh"
finish
