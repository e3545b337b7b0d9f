#!/usr/bin/env bash
# The demo and test databases come with the jobs' logins (dev.sh
# job_accounts), as docs/cases.md and docs/notify.md tell a DBA to make them:
# minqing_escalate in mq_escalator and minqing_notify in mq_notifier, each
# able to log in and to do its job's one thing, and nothing of the other's.
set -uo pipefail
: "${PGDATABASE:?run through ./dev.sh test}"
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
as() { psql -qXtA -U "$1" -c "$2" 2>&1; }
[ "$(as minqing_escalate "SELECT pg_has_role(session_user, 'mq_escalator', 'MEMBER')")" = t ] &&
	ok "minqing_escalate logs in, in mq_escalator" || bad "minqing_escalate: $(as minqing_escalate 'SELECT 1')"
[ "$(as minqing_notify "SELECT pg_has_role(session_user, 'mq_notifier', 'MEMBER')")" = t ] &&
	ok "minqing_notify logs in, in mq_notifier" || bad "minqing_notify: $(as minqing_notify 'SELECT 1')"
[ "$(as minqing_escalate "SELECT has_function_privilege('minqing.escalation_pass(timestamptz)', 'EXECUTE')")" = t ] &&
	ok "the escalation login may run a pass" || bad "the escalation login may not run a pass"
[ "$(as minqing_notify "SELECT has_function_privilege('minqing.escalation_pass(timestamptz)', 'EXECUTE')")" = f ] &&
	ok "the notifier may not" || bad "the notifier may run a pass"
[ "$(as minqing_notify "SELECT has_function_privilege('minqing.outbox_due(integer, timestamptz)', 'EXECUTE')")" = t ] &&
	ok "the notifier may take due messages" || bad "the notifier may not take due messages"
[ "$(as minqing_escalate "SELECT has_function_privilege('minqing.outbox_due(integer, timestamptz)', 'EXECUTE')")" = f ] &&
	ok "the escalation login may not" || bad "the escalation login may take due messages"
[ "$fails" -eq 0 ] && echo "0 failures" || { echo "$fails failures"; exit 1; }
