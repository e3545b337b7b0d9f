/*
 * minqing-escalate: runs the escalation pass (minqing.escalation_pass) that
 * sends reminders and raises yellow, orange and red warnings. All the rules
 * live in the database; this program only calls the function, once for cron
 * or a systemd timer (--once), or in a loop every --interval seconds.
 *
 * A pass is one transaction: killed halfway, it leaves nothing behind and the
 * next pass does the work. Two passes at once cannot happen: the function
 * takes an advisory lock and a second caller gets "skipped" at once; when
 * the function says the job is stalled (skipped, and no pass has completed
 * for longer than the district allows) that is an error.
 * --now lets tests and dry runs choose the time the pass believes it is.
 * After each pass that ran, the same time reminds the hosts of the dialogue
 * meetings whose review falls due (minqing.meeting_review_pass), once a
 * district day after the time its district sets, sends the district
 * centre's overdue report (minqing.overdue_report_pass), raises the steps
 * of the inspection findings being rectified (minqing.finding_escalation_pass),
 * moves the report log into the report figures (minqing.report_fold), sums
 * the overview's counts of people per village (minqing.people_count_fold),
 * and recounts the outreach summaries of the reports when older than five
 * minutes (minqing.report_outreach_refresh, docs/reports.md).
 *
 * Exit codes (docs/cases.md): 0 a pass ran or was skipped, 1 it failed, was
 * interrupted (its server session ended) or the job is stalled, 2 usage,
 * 3 cannot connect at all, 4 schema version.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mq/common.h"
#include "mq/config.h"
#include "mq/db.h"
#include "mq/i18n.h"
#include "mq/program.h"

static volatile sig_atomic_t escalate_stop;

static void escalate_on_signal(int sig)
{
	escalate_stop = sig;
}

static void escalate_usage(FILE *f)
{
	fprintf(f,
		_("Usage: minqing-escalate [-c FILE] [--once | --interval SECONDS] [--now TIME]\n"
		  "\n"
		  "Runs the escalation pass of Minqing e-Station: reminders before the deadline,\n"
		  "yellow, orange and red warnings after it, with their messages.\n"
		  "\n"
		  "  -c, --config FILE      read FILE after the system and user configuration\n"
		  "      --once             one pass, then exit (for cron or a systemd timer)\n"
		  "      --interval SECONDS a pass every SECONDS (default 60) until stopped;\n"
		  "                         after a lost connection it reconnects and goes on\n"
		  "      --now TIME         the time the pass takes as now (tests, dry runs)\n"
		  "  -h, --help             show this help\n"
		  "      --help-config      show every setting of the configuration file (type,\n"
		  "                         default, allowed values) and exit\n"
		  "  -V, --version          show the version\n"
		  "\n"
		  "After each pass it prints cases=N reminders=N yellow=N orange=N red=N\n"
		  "messages=N, and locked=N ended_sessions=N when the database reports them.\n"
		  "\n"
		  "Exit codes: 0 ok (also when another pass was running), 1 the pass failed,\n"
		  "was interrupted or the job is stalled (no pass has completed for too long),\n"
		  "2 usage or configuration, 3 cannot connect, 4 schema version mismatch.\n"));
}

/* A timestamp for log lines, in UTC. */
static void escalate_log(const char *fmt, ...) MQ_PRINTF(1, 2);
static void escalate_log(const char *fmt, ...)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	fprintf(stderr, "%s minqing-escalate: ", stamp);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * The value of column name in the first row of res, or NULL when the column
 * does not exist or is NULL. The result of minqing.escalation_pass is read by
 * name: migration 007 adds columns (locked, ended_sessions, stalled,
 * last_completed), and this program works with the function before and after
 * it, a missing column counting as 0, false or NULL.
 */
static const char *escalate_col(const PGresult *res, const char *name)
{
	int f = PQfnumber(res, name);

	if (f < 0 || PQntuples(res) < 1 || PQgetisnull(res, 0, f))
		return NULL;
	return PQgetvalue(res, 0, f);
}

static long escalate_col_long(const PGresult *res, const char *name)
{
	const char *v = escalate_col(res, name);

	return v != NULL ? strtol(v, NULL, 10) : 0;
}

static bool escalate_col_bool(const PGresult *res, const char *name)
{
	const char *v = escalate_col(res, name);

	return v != NULL && strcmp(v, "t") == 0;
}

/*
 * The first line of a server or libpq message without its severity prefix
 * ("FATAL:  terminating connection ..." -> "terminating connection ...").
 * Caller frees.
 */
static char *escalate_first_line(const char *msg)
{
	const char *p = strstr(msg, ":  ");
	size_t line = strcspn(msg, "\n");

	if (p != NULL && (size_t)(p - msg) < line && p - msg < 24)
		msg = p + 3;
	return xstrndup(msg, strcspn(msg, "\n"));
}

/*
 * What a skipped pass is told about: the time the last pass completed, in
 * UTC like the log's stamps (*last, NULL when none has), and the server
 * process that holds the job's lock and the start of its transaction (*pid,
 * *since; NULL when not found, or when the holder's session is not visible
 * to this login). The lock is ACCESS EXCLUSIVE on minqing.escalation_work
 * since schema 007, before it the advisory lock of
 * hashtext('minqing.escalation_pass'); either is looked for. All
 * caller-freed. Best effort: on an error the raw last_completed is kept and
 * the holder stays unknown.
 */
static void escalate_skip_facts(struct mq_db *db, const char *last_completed, char **last,
				char **pid, char **since)
{
	const char *params[1] = {last_completed};
	struct mq_db_error err;
	PGresult *res;

	*last = last_completed != NULL ? xstrdup(last_completed) : NULL;
	*pid = *since = NULL;
	res = mq_db_query(
		db, &err,
		"SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', "
		"               'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
		"       h.pid, "
		"       to_char(h.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
		"  FROM (SELECT hashtext('minqing.escalation_pass')::bigint AS k) j "
		"  LEFT JOIN LATERAL ("
		"       SELECT l.pid, a.xact_start "
		"         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
		"        WHERE l.granted AND l.pid <> pg_backend_pid() "
		"          AND l.database = (SELECT oid FROM pg_database "
		"                             WHERE datname = current_database()) "
		"          AND ((l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock' "
		"                AND l.relation = to_regclass('minqing.escalation_work')) "
		"            OR (l.locktype = 'advisory' AND l.objsubid = 1 "
		"                AND l.classid::bigint = (j.k >> 32) & 4294967295 "
		"                AND l.objid::bigint = j.k & 4294967295)) "
		"        LIMIT 1) h ON true",
		1, params);
	if (res == NULL) {
		mq_db_error_clear(&err);
		return;
	}
	if (!PQgetisnull(res, 0, 0)) {
		free(*last);
		*last = xstrdup(PQgetvalue(res, 0, 0));
	}
	if (!PQgetisnull(res, 0, 1))
		*pid = xstrdup(PQgetvalue(res, 0, 1));
	if (!PQgetisnull(res, 0, 2))
		*since = xstrdup(PQgetvalue(res, 0, 2));
	PQclear(res);
}

/*
 * A skipped pass: another one holds the job lock. Logged with the time the
 * last pass completed when the function reports it. Stalled (skipped, and no
 * pass has completed for longer than the district allows) is an ERROR line
 * and MQ_EXIT_FAILURE; otherwise MQ_EXIT_OK.
 */
static int escalate_skipped(struct mq_db *db, const PGresult *res)
{
	char *last, *pid, *since, *a, *b;
	bool stalled = escalate_col_bool(res, "stalled");

	if (PQfnumber(res, "last_completed") < 0 && !stalled) {
		/* The function before migration 007: nothing more to say. */
		escalate_log("%s", _("skipped: another pass is running"));
		return MQ_EXIT_OK;
	}
	escalate_skip_facts(db, escalate_col(res, "last_completed"), &last, &pid, &since);
	if (!stalled) {
		if (last != NULL)
			escalate_log(_("skipped: another pass is running; the last pass completed "
				       "at %s"),
				     last);
		else
			escalate_log(
				"%s",
				_("skipped: another pass is running; no pass has completed yet"));
		free(last);
		free(pid);
		free(since);
		return MQ_EXIT_OK;
	}
	a = last != NULL ? xasprintf(_("no escalation pass has completed since %s"), last)
			 : xstrdup(_("no escalation pass has ever completed"));
	b = since != NULL ? xasprintf(_("another pass has held the job lock since %s"), since)
			  : xstrdup(_("another pass holds the job lock"));
	/* (The translation keeps "ERROR": monitoring greps the log for it.) */
	if (pid != NULL)
		escalate_log(_("ERROR: %s; %s (server process %s)"), a, b, pid);
	else
		escalate_log(_("ERROR: %s; %s"), a, b);
	free(a);
	free(b);
	free(last);
	free(pid);
	free(since);
	return MQ_EXIT_FAILURE;
}

/*
 * A statement run after a pass that ran, at the pass's time ($1), in a
 * statement of its own so that the key=value line of the pass stays as
 * scripts read it: its result (the caller clears it), or NULL with *text
 * the server's refusal (the caller frees it) and *lost set as for the pass.
 */
static PGresult *escalate_after(struct mq_db *db, const char *sql, const char *now, bool *lost,
				char **text)
{
	const char *params[1] = {now};
	struct mq_db_error err;
	PGresult *res;

	res = mq_db_query(db, &err, sql, 1, params);
	if (res == NULL) {
		*text = mq_db_error_text(&err);
		*lost = err.connection_lost || strncmp(err.sqlstate, "57P", 3) == 0;
		mq_db_error_clear(&err);
	}
	return res;
}

/*
 * After a pass that ran, one job that queues messages at the same time
 * (sql: a statement giving n, the messages queued, with $1 the time); each
 * job is idempotent. what names the job in the log (its failure; what it
 * queued, when it queued something). MQ_EXIT_OK, or MQ_EXIT_FAILURE with
 * *lost set as for the pass.
 */
static int escalate_follow_up(struct mq_db *db, const char *now, bool *lost, const char *sql,
			      const char *what)
{
	char *text = NULL;
	PGresult *res;
	long n;

	res = escalate_after(db, sql, now, lost, &text);
	if (res == NULL) {
		escalate_log(_("%s failed: %s"), what, text);
		free(text);
		return MQ_EXIT_FAILURE;
	}
	n = escalate_col_long(res, "n");
	PQclear(res);
	if (n > 0)
		escalate_log(_("%s: queued %ld messages"), what, n);
	return MQ_EXIT_OK;
}

/*
 * The jobs after a pass: the reminders of the dialogue meetings' reviews
 * that fall due (minqing.meeting_review_pass, docs/meetings.md: each review
 * once), then the district centre's overdue report once its time of day has
 * come (minqing.overdue_report_pass, docs/reports.md: once per district day).
 */
static int escalate_meeting_reviews(struct mq_db *db, const char *now, bool *lost)
{
	if (escalate_follow_up(
		    db, now, lost,
		    "SELECT minqing.meeting_review_pass(coalesce($1::timestamptz, now())) AS n",
		    _("meeting review reminders")) != MQ_EXIT_OK)
		return MQ_EXIT_FAILURE;
	return escalate_follow_up(
		db, now, lost,
		"SELECT minqing.overdue_report_pass(coalesce($1::timestamptz, now())) AS n",
		_("the district's overdue report"));
}

/*
 * After the meeting reviews: the escalation of the inspection findings being
 * rectified (minqing.finding_escalation_pass, docs/inspections.md), at the
 * same time and through the same rules as the cases. It runs only after a
 * pass that was not skipped, so the job's lock, skip and stall behaviour is
 * the cases' pass's. Logged only when a step was raised. MQ_EXIT_OK, or
 * MQ_EXIT_FAILURE with *lost set as for the pass.
 */
static int escalate_findings(struct mq_db *db, const char *now, bool *lost)
{
	char *text = NULL;
	PGresult *res;
	long n;

	res = escalate_after(
		db,
		"SELECT * FROM minqing.finding_escalation_pass(coalesce($1::timestamptz, now()))",
		now, lost, &text);
	if (res == NULL) {
		escalate_log(_("the findings' escalation failed: %s"), text);
		free(text);
		return MQ_EXIT_FAILURE;
	}
	n = escalate_col_long(res, "findings");
	if (n > 0)
		escalate_log(_("findings: %ld (reminders %ld, yellow %ld, orange %ld, red %ld, "
			       "messages %ld)"),
			     n, escalate_col_long(res, "reminders"),
			     escalate_col_long(res, "yellow"), escalate_col_long(res, "orange"),
			     escalate_col_long(res, "red"), escalate_col_long(res, "messages"));
	PQclear(res);
	return MQ_EXIT_OK;
}

/*
 * After the pass, housekeeping that takes no time argument: sql (one
 * statement) is run and its result dropped. 0; or -1 with *text the
 * server's refusal (the caller logs it and frees it: a refusal does not fail
 * the pass) and *lost set when the connection is gone.
 */
static int escalate_housekeeping(struct mq_db *db, const char *sql, bool *lost, char **text)
{
	struct mq_db_error err;
	PGresult *res;

	res = mq_db_query(db, &err, sql, 0, NULL);
	if (res == NULL) {
		*text = mq_db_error_text(&err);
		*lost = err.connection_lost || strncmp(err.sqlstate, "57P", 3) == 0;
		mq_db_error_clear(&err);
		return -1;
	}
	PQclear(res);
	return 0;
}

/*
 * Last: the outreach summaries of the reports (minqing.report_outreach_refresh,
 * docs/reports.md), recounted when older than five minutes. A failure is
 * logged and does not fail the pass (the reports show when the figures were
 * counted). MQ_EXIT_OK, or MQ_EXIT_FAILURE when the connection is lost
 * (*lost set).
 */
static int escalate_report_outreach(struct mq_db *db, const char *now, bool *lost)
{
	char *text = NULL;
	PGresult *res;

	res = escalate_after(
		db,
		"SELECT minqing.report_outreach_refresh(coalesce($1::timestamptz, now())) AS done",
		now, lost, &text);
	if (res == NULL) {
		escalate_log(_("recounting the outreach figures of the reports failed: %s"), text);
		free(text);
		return *lost ? MQ_EXIT_FAILURE : MQ_EXIT_OK;
	}
	PQclear(res);
	return MQ_EXIT_OK;
}

/*
 * One pass. MQ_EXIT_OK (done or skipped), or MQ_EXIT_FAILURE (the pass
 * failed, was interrupted, or the job is stalled). *lost is set when the
 * connection is gone (the caller makes a new one, or with --once exits 1:
 * the pass was interrupted; exit 3 is for a first connection that fails).
 */
static int escalate_pass(struct mq_db *db, const char *now, bool *lost)
{
	const char *params[1] = {now};
	struct mq_db_error err;
	PGresult *res;
	long locked, ended;
	int rc = MQ_EXIT_OK;
	char *text = NULL;

	*lost = false;
	/* (SELECT *: the columns are read by name, whichever the function has.) */
	res = mq_db_query(db, &err,
			  "SELECT * FROM minqing.escalation_pass(coalesce($1::timestamptz, now()))",
			  1, params);
	if (res == NULL) {
		/* 57P01..57P04: the server ended the session (terminated, shut down). */
		*lost = err.connection_lost || strncmp(err.sqlstate, "57P", 3) == 0;
		if (*lost) {
			char *why = escalate_first_line(err.message != NULL ? err.message : "");

			escalate_log(
				_("pass interrupted: the connection to the database was lost (%s); "
				  "the next pass does what this one left undone"),
				why);
			free(why);
		} else {
			text = mq_db_error_text(&err);
			escalate_log(_("pass failed: %s"), text);
			free(text);
		}
		mq_db_error_clear(&err);
		return MQ_EXIT_FAILURE;
	}
	if (escalate_col_bool(res, "skipped") || escalate_col_bool(res, "stalled")) {
		rc = escalate_skipped(db, res);
		PQclear(res);
		return rc;
	}
	/* Stable English keys: scripts read this line. */
	printf("cases=%ld reminders=%ld yellow=%ld orange=%ld red=%ld messages=%ld",
	       escalate_col_long(res, "cases"), escalate_col_long(res, "reminders"),
	       escalate_col_long(res, "yellow"), escalate_col_long(res, "orange"),
	       escalate_col_long(res, "red"), escalate_col_long(res, "messages"));
	locked = escalate_col_long(res, "locked");
	ended = escalate_col_long(res, "ended_sessions");
	if (PQfnumber(res, "locked") >= 0)
		printf(" locked=%ld", locked);
	if (PQfnumber(res, "ended_sessions") >= 0)
		printf(" ended_sessions=%ld", ended);
	putchar('\n');
	fflush(stdout);
	if (locked > 0)
		escalate_log(
			_("%ld due cases were locked by other sessions; they will be retried at "
			  "the next pass"),
			locked);
	if (ended > 0)
		escalate_log(_("ended %ld staff sessions that held a transaction open too long"),
			     ended);
	PQclear(res);
	rc = escalate_meeting_reviews(db, now, lost);
	if (rc != MQ_EXIT_OK)
		return rc;
	rc = escalate_findings(db, now, lost);
	if (rc != MQ_EXIT_OK)
		return rc;
	/*
	 * The report log (minqing.report_fold, docs/reports.md): the changes of
	 * the report figures since the last pass, which the workflow's
	 * transactions append instead of updating the few hot summary rows
	 * themselves. The reports read the log too: a fold that fails loses
	 * nothing; the next pass folds it all.
	 */
	if (escalate_housekeeping(db, "SELECT minqing.report_fold()", lost, &text) != 0) {
		escalate_log(_("moving the report log into the report figures failed: %s"), text);
		free(text);
		if (*lost)
			return MQ_EXIT_FAILURE;
	}
	/*
	 * The jurisdiction overview's counts of people (034_people_count.sql):
	 * each village's changes summed into one row; unfolded rows are read
	 * too, so a failure costs the readers a little time, nothing more.
	 */
	if (escalate_housekeeping(db, "SELECT minqing.people_count_fold()", lost, &text) != 0) {
		escalate_log(_("summing the counts of people failed: %s"), text);
		free(text);
		if (*lost)
			return MQ_EXIT_FAILURE;
	}
	/* The consoles hear of the cases the follow-ups changed (030_case_news.sql). */
	if (escalate_housekeeping(db, "SELECT minqing.case_news_relay()", lost, &text) != 0) {
		escalate_log(_("notifying the consoles of changed cases failed: %s"), text);
		free(text);
		if (*lost)
			return MQ_EXIT_FAILURE;
	}
	return escalate_report_outreach(db, now, lost);
}

/* Sleep up to seconds, waking early on a signal. */
static void escalate_sleep(int seconds)
{
	struct timespec ts = {.tv_sec = seconds, .tv_nsec = 0};

	while (!escalate_stop && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/*
 * Over 80 lines on purpose: options, configuration, signals and the
 * connect-and-pass loop with its back-off are one sequence of exit codes.
 */
int main(int argc, char **argv)
{
	enum { OPT_HELP_CONFIG = 256 };
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"once", no_argument, NULL, 'o'},
		{"interval", required_argument, NULL, 'i'},
		{"now", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{"help-config", no_argument, NULL, OPT_HELP_CONFIG},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const struct mq_program_db how = {
		.appname = "minqing-escalate",
		.prompt = MQ_DB_NO_PROMPT,
		.schema = true,
	};
	struct mq_config cfg;
	struct sigaction sa;
	struct mq_db *db = NULL;
	const char *config_path = NULL, *now = NULL;
	char *cause = NULL, *end;
	bool once = false, interval_given = false, connected = false, lost;
	bool help_config = false;
	long interval = 60;
	int c, rc = MQ_EXIT_OK, backoff = 1;

	mq_progname = "minqing-escalate";
	setlocale(LC_ALL, "");
	memset(&cfg, 0, sizeof cfg);
	mq_i18n_init(NULL);
	while ((c = getopt_long(argc, argv, "c:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case 'o':
			once = true;
			break;
		case 'i':
			interval = strtol(optarg, &end, 10);
			if (*end != '\0' || interval < 1 || interval > 86400) {
				mq_warnx(_("--interval must be 1 to 86400 seconds"));
				return MQ_EXIT_USAGE;
			}
			interval_given = true;
			break;
		case 'n':
			now = optarg;
			break;
		case OPT_HELP_CONFIG:
			help_config = true;
			break;
		case 'h':
			escalate_usage(stdout);
			return MQ_EXIT_OK;
		case 'V':
			printf("minqing-escalate %s (schema version %d)\n", MQ_VERSION,
			       mq_schema_version);
			return MQ_EXIT_OK;
		default:
			escalate_usage(stderr);
			return MQ_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		escalate_usage(stderr);
		return MQ_EXIT_USAGE;
	}
	if ((rc = mq_program_config(&cfg, config_path)) != MQ_EXIT_OK)
		return rc;
	if (help_config) {
		mq_config_print_table();
		mq_config_free(&cfg);
		return MQ_EXIT_OK;
	}
	/* (After the configuration, so the message is in its language.) */
	if (once && interval_given) {
		mq_warnx("%s", _("--once and --interval cannot be used together: --once runs one "
				 "pass and exits, --interval runs a pass every SECONDS"));
		mq_config_free(&cfg);
		return MQ_EXIT_USAGE;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = escalate_on_signal; /* no SA_RESTART: interrupt the sleep */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	/*
	 * Exit 3 only when the database cannot be reached at all (--once: the
	 * one connection fails). A connection lost during a pass is exit 1 with
	 * --once (the pass was interrupted); with --interval the job connects
	 * again at the next pass (retrying after 1 s, doubling to 60 s, while
	 * that fails) and goes on.
	 */
	while (!escalate_stop) {
		if (db == NULL) {
			rc = mq_program_connect(&cfg, &how, &db, &cause);
			if (rc == MQ_EXIT_SCHEMA) {
				mq_warnx("%s", cause);
				free(cause);
				break;
			}
			if (rc != MQ_EXIT_OK) {
				escalate_log("%s", cause);
				free(cause);
				cause = NULL;
				if (once)
					break;
				escalate_sleep(backoff);
				backoff = backoff < 60 ? backoff * 2 : 60;
				continue;
			}
			if (connected)
				escalate_log("%s", _("reconnected"));
			connected = true;
			backoff = 1;
		}
		rc = escalate_pass(db, now, &lost);
		if (lost) {
			mq_db_close(db);
			db = NULL;
		}
		if (once)
			break;
		escalate_sleep((int)interval);
	}
	mq_db_close(db);
	mq_config_free(&cfg);
	if (escalate_stop && !once)
		return MQ_EXIT_OK;
	return rc;
}
