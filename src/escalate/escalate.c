/*
 * minqing-escalate: runs the escalation pass (minqing.escalation_pass) that
 * sends reminders and raises yellow, orange and red warnings. All the rules
 * live in the database; this program only calls the function, once for cron
 * or a systemd timer (--once), or in a loop every --interval seconds.
 *
 * A pass is one transaction: killed halfway, it leaves nothing behind and the
 * next pass does the work. Two passes at once cannot happen: the function
 * takes an advisory lock and a second caller gets "skipped" at once.
 * --now lets tests and dry runs choose the time the pass believes it is.
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
		  "      --interval SECONDS a pass every SECONDS (default 60) until stopped\n"
		  "      --now TIME         the time the pass takes as now (tests, dry runs)\n"
		  "  -h, --help             show this help\n"
		  "  -V, --version          show the version\n"
		  "\n"
		  "Exit codes: 0 ok (also when another pass was running), 1 the pass failed,\n"
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

/* One pass. MQ_EXIT_OK, or MQ_EXIT_FAILURE / MQ_EXIT_CONNECT. */
static int escalate_pass(struct mq_db *db, const char *now)
{
	const char *params[1] = {now};
	struct mq_db_error err;
	PGresult *res;
	int rc;

	res = mq_db_query(db, &err,
			  "SELECT cases, reminders, yellow, orange, red, messages, skipped "
			  "FROM minqing.escalation_pass(coalesce($1::timestamptz, now()))",
			  1, params);
	if (res == NULL) {
		char *text = mq_db_error_text(&err);

		escalate_log(_("pass failed: %s"), text);
		free(text);
		rc = err.connection_lost ? MQ_EXIT_CONNECT : MQ_EXIT_FAILURE;
		mq_db_error_clear(&err);
		return rc;
	}
	if (strcmp(PQgetvalue(res, 0, 6), "t") == 0)
		escalate_log("%s", _("skipped: another pass is running"));
	else
		/* Stable English keys: scripts read this line. */
		printf("cases=%s reminders=%s yellow=%s orange=%s red=%s messages=%s\n",
		       PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
		       PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 4), PQgetvalue(res, 0, 5));
	fflush(stdout);
	PQclear(res);
	return MQ_EXIT_OK;
}

/* Sleep up to seconds, waking early on a signal. */
static void escalate_sleep(int seconds)
{
	struct timespec ts = {.tv_sec = seconds, .tv_nsec = 0};

	while (!escalate_stop && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"once", no_argument, NULL, 'o'},
		{"interval", required_argument, NULL, 'i'},
		{"now", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct mq_config cfg;
	struct sigaction sa;
	struct mq_db *db = NULL;
	const char *config_path = NULL, *now = NULL;
	char *cause = NULL, *end;
	bool once = false;
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
			break;
		case 'n':
			now = optarg;
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
	if (mq_config_load(&cfg, config_path, &cause) != 0) {
		mq_warnx("%s", cause);
		free(cause);
		mq_config_free(&cfg);
		return MQ_EXIT_USAGE;
	}
	mq_i18n_init(cfg.ui_language);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = escalate_on_signal; /* no SA_RESTART: interrupt the sleep */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	while (!escalate_stop) {
		if (db == NULL) {
			db = mq_db_connect(&cfg, "minqing-escalate", MQ_DB_NO_PROMPT, &cause);
			if (db != NULL && mq_db_require_schema(db, &cause) != 0) {
				mq_warnx("%s", cause);
				free(cause);
				rc = MQ_EXIT_SCHEMA;
				break;
			}
			if (db == NULL) {
				escalate_log("%s", cause);
				free(cause);
				cause = NULL;
				rc = MQ_EXIT_CONNECT;
				if (once)
					break;
				escalate_sleep(backoff);
				backoff = backoff < 60 ? backoff * 2 : 60;
				continue;
			}
			backoff = 1;
		}
		rc = escalate_pass(db, now);
		if (rc == MQ_EXIT_CONNECT) {
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
