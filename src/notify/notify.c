/*
 * minqing-notify: drains minqing.outbox through a transport (spool, command
 * or gammu). Options, the loop and the batch live here; each transport is in
 * its own file (notify.h).
 *
 * The loop: LISTEN minqing_outbox, then poll() on the connection's socket
 * with --interval as the timeout (the fallback for anything a notification
 * did not announce, e.g. a retry falling due), relaying the news (the
 * cases' and the outbox's) every half second meanwhile and folding the
 * report log every ten seconds (notify_idle). Each batch is one
 * transaction: BEGIN; minqing.outbox_due($batch) locks the due messages
 * (SKIP LOCKED: a second drainer takes others); each message is validated,
 * split into segments, sent and marked under a savepoint of its own, so one
 * message's database error does not undo the others; COMMIT. A drainer that
 * dies mid-batch leaves no mark: its messages are taken again, which is why
 * the transports are idempotent per message_id. After each round of batches
 * (a notification or the --interval timeout) a transport with a poll hook
 * runs it: gammu reads the delivery of sent messages back from sentitems.
 *
 * SIGTERM and SIGINT finish the message in hand, commit the batch so far and
 * exit 0. A lost connection is logged and re-made with backoff (1 s doubling
 * to 60 s); the program never exits for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mq/i18n.h"
#include "mq/program.h"
#include "notify.h"

#define NOTIFY_CHANNEL     "minqing_outbox"
#define NOTIFY_BACKOFF_MAX 60
/* How often the waiting drainer relays the outbox's news (notify_idle). */
#define NOTIFY_RELAY_MS    500
#define NOTIFY_RELAY_PAUSE 60 /* seconds without relaying after a failed relay */
/*
 * How often the waiting drainer folds the report log into the report
 * figures (minqing.report_fold, docs/reports.md). The escalation job folds
 * after its pass, once a minute; until then every report expands the
 * minute's changes again (a thousand rows at 400 sessions, tens of ms a
 * report). The drainer is the one job that runs all the time, and a fold of
 * ten seconds' changes takes a few ms. A failed fold is logged and tried
 * again after NOTIFY_RELAY_PAUSE.
 */
#define NOTIFY_FOLD_S 10

static const struct notify_transport *notify_transports[] = {
	&notify_transport_spool,
	&notify_transport_command,
	&notify_transport_gammu,
};

static volatile sig_atomic_t notify_stop;

/*
 * The signal handler also writes a byte to this pipe, which the loop's
 * poll() and the reconnection's sleep watch: a flag alone is missed when the
 * signal comes after the last look at it and before poll(), which then
 * waits the whole --interval. -1 when the pipe could not be made (the flag
 * still works, late).
 */
static int notify_wake[2] = {-1, -1};

/* Counts of one batch, for its summary line. */
struct notify_stats {
	int sent, failed, dead;
};

static void notify_on_signal(int sig MQ_UNUSED)
{
	int saved = errno;
	ssize_t k MQ_UNUSED;

	notify_stop = 1;
	if (notify_wake[1] >= 0)
		k = write(notify_wake[1], "", 1); /* (full: poll() is awake anyway) */
	errno = saved;
}

/* The wake-up pipe, non-blocking and closed in children. */
static void notify_wake_init(void)
{
	int i;

	if (pipe(notify_wake) != 0) {
		notify_wake[0] = notify_wake[1] = -1;
		return;
	}
	for (i = 0; i < 2; i++) {
		fcntl(notify_wake[i], F_SETFL, fcntl(notify_wake[i], F_GETFL) | O_NONBLOCK);
		fcntl(notify_wake[i], F_SETFD, FD_CLOEXEC);
	}
}

/*
 * Wait up to ms for fd to be readable (fd < 0: just wait) or a signal: 1
 * when fd is readable, 0 on the timeout or a signal, -1 when poll() fails.
 */
static int notify_wait(int fd, int ms)
{
	struct pollfd pfd[2] = {
		{.fd = notify_wake[0], .events = POLLIN},
		{.fd = fd, .events = POLLIN},
	};

	if (notify_stop)
		return 0;
	if (poll(pfd, 2, ms) < 0)
		return errno == EINTR ? 0 : -1;
	return fd >= 0 && pfd[1].revents != 0;
}

/*
 * "2026-01-02T03:04:05Z minqing-notify: " into buf. The log is the operator's
 * (stderr, a journal), not a text a resident or a handler reads: it is in UTC
 * and says so, as minqing-escalate's, whatever the machine's TZ.
 */
static void notify_stamp(char *buf, size_t size)
{
	char stamp[32];
	struct tm tm;
	time_t now = time(NULL);

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(buf, size, "%s %s: ", stamp, mq_progname);
}

void notify_log(const char *fmt, ...)
{
	char stamp[96];
	va_list ap;

	notify_stamp(stamp, sizeof stamp);
	fputs(stamp, stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

/*
 * Append a stamped line to *log (the caller frees): the lines of a batch are
 * printed after its COMMIT, so the log never says "sent" for a rollback.
 */
static void notify_note(char **log, const char *fmt, ...) MQ_PRINTF(2, 3);
static void notify_note(char **log, const char *fmt, ...)
{
	char stamp[96], *line, *old = *log;
	va_list ap;

	notify_stamp(stamp, sizeof stamp);
	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	*log = xasprintf("%s%s%s\n", old != NULL ? old : "", stamp, line);
	free(old);
	free(line);
}

static void notify_usage(FILE *f)
{
	fprintf(f,
		_("Usage: minqing-notify [OPTIONS]\n\n"
		  "Sends the messages of the outbox (minqing.outbox) through a transport.\n\n"
		  "Options:\n"
		  "  -c, --config FILE          read FILE after the system and user configuration\n"
		  "  -t, --transport NAME       spool, command or gammu (default: spool)\n"
		  "      --spool-dir DIR        spool: write DIR/<message_id>.txt\n"
		  "      --command PATH         command: run PATH NUMBER TEXT per segment\n"
		  "      --command-timeout S    command: kill it after S seconds (default 60)\n"
		  "      --gammu-conninfo STR   gammu: Gammu SMSD's database (default: this one)\n"
		  "      --gammu-schema NAME    gammu: the schema of Gammu's tables\n"
		  "      --gammu-creator NAME   gammu: CreatorID prefix (default minqing)\n"
		  "      --no-inbox             gammu: do not read the messages received\n"
		  "  -b, --batch N              messages per transaction (default 50)\n"
		  "  -m, --max-attempts N       dead after N failed attempts (default 8)\n"
		  "  -1, --once                 send what is due and exit\n"
		  "  -i, --interval SECONDS     poll at least this often (default 30)\n"
		  "  -h, --help                 show this help\n"
		  "      --help-config          show every setting of the configuration file\n"
		  "                             (type, default, allowed values) and exit\n"
		  "  -V, --version              show the version and the schema version\n\n"
		  "The database is chosen by the configuration file, then PGHOST, PGPORT,\n"
		  "PGUSER and PGDATABASE; the account must be a member of mq_notifier.\n"
		  "Exit codes: 0 ok, 1 failed, 2 usage, 3 cannot connect, 4 schema version.\n"));
}

/* Parse a positive int option: 0 or -1. */
static int notify_parse_int(const char *arg, const char *opt, int min, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < min || v > max) {
		mq_warnx(_("%s: expected a number from %d to %d, not \"%s\""), opt, min, max, arg);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static void notify_db_warn(const char *what, const struct mq_db_error *err)
{
	char *text = mq_db_error_text(err);

	notify_log("%s: %s", what, text);
	free(text);
}

/* Run a statement whose rows do not matter; log and return -1 on error. */
static int notify_exec(struct notify_ctx *ctx, const char *sql, int n, const char *const *params,
		       bool *lost)
{
	struct mq_db_error err;

	if (mq_db_exec(ctx->db, &err, sql, n, params) == 0)
		return 0;
	notify_db_warn(sql, &err);
	if (err.connection_lost || mq_db_lost(ctx->db))
		*lost = true;
	mq_db_error_clear(&err);
	return -1;
}

/*
 * Mark one message failed (or dead). Appends the log line to *log. 0, or -1
 * on a database error (the caller abandons the batch).
 */
static int notify_mark_failed(struct notify_ctx *ctx, const char *id, const char *masked,
			      const char *error, bool permanent, struct notify_stats *st,
			      char **log, bool *lost)
{
	struct mq_db_error err;
	char maxbuf[16];
	const char *params[4];
	PGresult *res;

	snprintf(maxbuf, sizeof maxbuf, "%d", ctx->max_attempts);
	params[0] = id;
	params[1] = error;
	params[2] = permanent ? "true" : "false";
	params[3] = maxbuf;
	res = mq_db_query(ctx->db, &err,
			  "SELECT minqing.outbox_mark_failed($1, $2, $3, $4) AS state", 4, params);
	if (res == NULL) {
		notify_db_warn(_("cannot mark a message failed"), &err);
		*lost = err.connection_lost || mq_db_lost(ctx->db);
		mq_db_error_clear(&err);
		return -1;
	}
	if (strcmp(mq_db_field(res, 0, "state"), "dead") == 0) {
		st->dead++;
		notify_note(log, _("message %s to %s is dead: %s"), id, masked, error);
	} else {
		st->failed++;
		notify_note(log, _("message %s to %s failed, will retry: %s"), id, masked, error);
	}
	PQclear(res);
	return 0;
}

/*
 * One message of a batch (row i of res), under a savepoint. 0, or -1 when
 * the batch must be abandoned (a database error outside the message).
 */
static int notify_one(struct notify_ctx *ctx, PGresult *res, int i, struct notify_stats *st,
		      char **log, bool *lost)
{
	struct notify_msg msg;
	struct mq_db_error err;
	enum notify_outcome rc;
	char phone[12], masked[12], segbuf[16], *cause = NULL, *ref = NULL;
	const char *params[4];
	int segments = 0, ret = 0;

	memset(&msg, 0, sizeof msg);
	msg.id_text = mq_db_field(res, i, "message_id");
	msg.id = strtoll(msg.id_text, NULL, 10);
	msg.name = mq_db_field(res, i, "recipient_name");
	msg.body = mq_db_field(res, i, "body");
	msg.phone = phone;

	if (notify_exec(ctx, "SAVEPOINT notify_message", 0, NULL, lost) != 0)
		return -1;
	if (notify_phone_normalise(mq_db_field(res, i, "recipient_phone"), phone) != 0) {
		char *error = xasprintf("invalid mobile number: %s",
					mq_db_field(res, i, "recipient_phone"));

		ret = notify_mark_failed(ctx, msg.id_text, "***", error, true, st, log, lost);
		free(error);
		goto release;
	}
	notify_phone_mask(phone, masked);
	msg.parts = notify_split(msg.body, NOTIFY_SEGMENT_UNITS, true, &msg.nparts, &cause);
	if (msg.parts == NULL) {
		ret = notify_mark_failed(ctx, msg.id_text, masked, cause, true, st, log, lost);
		goto release;
	}

	rc = ctx->transport->send(ctx, &msg, &segments, &ref, &cause);
	if (rc != NOTIFY_SENT) {
		/* Undo whatever the transport did in our transaction (gammu). */
		if (notify_exec(ctx, "ROLLBACK TO SAVEPOINT notify_message", 0, NULL, lost) != 0) {
			ret = -1;
			goto out;
		}
		ret = notify_mark_failed(ctx, msg.id_text, masked,
					 cause != NULL ? cause : "unknown error",
					 rc == NOTIFY_PERMANENT, st, log, lost);
		goto release;
	}
	snprintf(segbuf, sizeof segbuf, "%d", segments);
	params[0] = msg.id_text;
	params[1] = ctx->transport->name;
	params[2] = ref;
	params[3] = segbuf;
	if (mq_db_exec(ctx->db, &err, "SELECT minqing.outbox_mark_sent($1, $2, $3, $4)", 4,
		       params) != 0) {
		notify_db_warn(_("cannot mark a message sent"), &err);
		*lost = err.connection_lost || mq_db_lost(ctx->db);
		mq_db_error_clear(&err);
		ret = -1;
		goto out;
	}
	st->sent++;
	notify_note(log, _("message %s to %s sent by %s (%d segments): %s"), msg.id_text, masked,
		    ctx->transport->name, segments, ref);

release:
	if (ret == 0 && notify_exec(ctx, "RELEASE SAVEPOINT notify_message", 0, NULL, lost) != 0)
		ret = -1;
out:
	notify_parts_free(msg.parts);
	free(cause);
	free(ref);
	return ret;
}

/*
 * One batch in one transaction. Returns the number of messages taken, or -1
 * after a database error (rolled back; *lost when the connection is gone).
 */
static int notify_batch(struct notify_ctx *ctx, bool *lost)
{
	struct notify_stats st = {0, 0, 0};
	struct mq_db_error err;
	char batch[16], *log = NULL;
	const char *params[1];
	PGresult *res;
	int i, n, done = 0;
	bool broken = false;

	if (notify_exec(ctx, "BEGIN", 0, NULL, lost) != 0)
		return -1;
	snprintf(batch, sizeof batch, "%d", ctx->batch);
	params[0] = batch;
	res = mq_db_query(ctx->db, &err,
			  "SELECT message_id, recipient_phone, "
			  "coalesce(recipient_name, '') AS recipient_name, body "
			  "FROM minqing.outbox_due($1)",
			  1, params);
	if (res == NULL) {
		notify_db_warn(_("cannot read the outbox"), &err);
		*lost = err.connection_lost || mq_db_lost(ctx->db);
		mq_db_error_clear(&err);
		if (!*lost)
			notify_exec(ctx, "ROLLBACK", 0, NULL, lost);
		return -1;
	}
	n = PQntuples(res);
	for (i = 0; i < n && !notify_stop; i++) {
		if (notify_one(ctx, res, i, &st, &log, lost) != 0) {
			broken = true;
			break;
		}
		done++;
	}
	PQclear(res);
	if (broken) {
		/* A database error: nothing of this batch happened. */
		if (!*lost)
			notify_exec(ctx, "ROLLBACK", 0, NULL, lost);
		notify_log(_("batch rolled back; its %d messages will be taken again"), n);
		free(log);
		return -1;
	}
	if (notify_exec(ctx, "COMMIT", 0, NULL, lost) != 0) {
		notify_log(_("batch rolled back; its %d messages will be taken again"), n);
		free(log);
		return -1;
	}
	if (log != NULL)
		fputs(log, stderr);
	free(log);
	if (n > 0)
		notify_log(_("batch: %d sent, %d failed, %d dead, %d left for the next run"),
			   st.sent, st.failed, st.dead, n - done);
	return done;
}

/* Connect, check the schema and the role, LISTEN, (re)initialise the transport. */
static int notify_connect(struct notify_ctx *ctx, bool first, char **cause, int *exitcode)
{
	const struct mq_program_db how = {
		.appname = "minqing-notify",
		.prompt = MQ_DB_NO_PROMPT,
		.schema = true,
	};
	struct mq_db_error err;
	PGresult *res;
	char *text;

	*exitcode = mq_program_connect(&ctx->cfg, &how, &ctx->db, cause);
	if (*exitcode != MQ_EXIT_OK)
		return -1;
	*exitcode = MQ_EXIT_FAILURE;
	res = mq_db_query(ctx->db, &err,
			  "SELECT session_user AS login, "
			  "pg_has_role(session_user, 'mq_notifier', 'MEMBER') AS notifier",
			  0, NULL);
	if (res == NULL) {
		text = mq_db_error_text(&err);
		mq_fail(cause, "%s", text);
		free(text);
		mq_db_error_clear(&err);
		goto fail;
	}
	if (strcmp(mq_db_field(res, 0, "notifier"), "t") != 0) {
		mq_fail(cause, _("the account %s is not a member of mq_notifier"),
			mq_db_field(res, 0, "login"));
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	if (!ctx->once && mq_db_listen(ctx->db, &err, NOTIFY_CHANNEL) != 0) {
		notify_db_warn("LISTEN " NOTIFY_CHANNEL, &err);
		mq_db_error_clear(&err);
		mq_fail(cause, _("cannot LISTEN %s"), NOTIFY_CHANNEL);
		goto fail;
	}
	if (first || ctx->transport->reinit) {
		*exitcode = MQ_EXIT_USAGE;
		if (ctx->transport->init(ctx, cause) != 0)
			goto fail;
	}
	return 0;
fail:
	mq_db_close(ctx->db);
	ctx->db = NULL;
	return -1;
}

/* Sleep up to seconds, waking early on a signal. */
static void notify_sleep(int seconds)
{
	notify_wait(-1, seconds * 1000);
}

/* Reconnect with backoff until it works or we are told to stop. */
static void notify_reconnect(struct notify_ctx *ctx)
{
	int wait = 1, code;
	char *cause = NULL;

	mq_db_close(ctx->db);
	ctx->db = NULL;
	while (!notify_stop) {
		notify_log(_("connection to the database lost; reconnecting in %d s"), wait);
		notify_sleep(wait);
		if (notify_stop)
			break;
		if (notify_connect(ctx, false, &cause, &code) == 0) {
			notify_log(_("reconnected"));
			return;
		}
		notify_log("%s", cause);
		free(cause);
		cause = NULL;
		wait = wait * 2 > NOTIFY_BACKOFF_MAX ? NOTIFY_BACKOFF_MAX : wait * 2;
	}
}

/* Consume input and drop the notifications: 1 if there were any, -1 if lost. */
static int notify_drain_notifies(struct notify_ctx *ctx)
{
	int n = mq_db_notifications(ctx->db, NULL, NULL);

	return n < 0 ? -1 : n > 0;
}

/*
 * The transport's poll (reading delivery back), after a round of batches and
 * on each wake-up. A failure is logged, never fatal: -1, and *lost when the
 * outbox connection is gone.
 */
static int notify_poll(struct notify_ctx *ctx, bool *lost)
{
	char *cause = NULL;

	if (ctx->transport->poll == NULL || notify_stop)
		return 0;
	if (ctx->transport->poll(ctx, &cause) == 0)
		return 0;
	notify_log("%s", cause != NULL ? cause : "poll failed");
	free(cause);
	if (mq_db_lost(ctx->db))
		*lost = true;
	return -1;
}

/* Send what is due, batch after batch. -1 after a database error. */
static int notify_drain(struct notify_ctx *ctx, bool *lost)
{
	int n;

	do {
		n = notify_batch(ctx, lost);
	} while (n == ctx->batch && !notify_stop);
	return n < 0 ? -1 : 0;
}

/*
 * Wait for a notification, at most --interval. Every NOTIFY_RELAY_MS the
 * news is relayed, and every NOTIFY_FOLD_S after a relay the report log is
 * folded (case_news_relay(): the cases' for the consoles, and the
 * outbox's): a message queued by a transaction that did not notify itself
 * (032_outbox_news.sql: the queuing transactions leave the NOTIFY to a
 * relay, and with no console open nobody else relays) wakes us within that
 * time, and the consoles hear of changes made from psql or an import
 * within it too (the one relay of the district that runs all the time). 1 when woken (a
 * notification, here or already read by the relay's query), 0 after --interval or a signal, -1 when
 * poll() fails; *lost when the relay found the connection gone.
 */
static int notify_idle(struct notify_ctx *ctx, bool *lost)
{
	long limit = ctx->interval * 1000L, waited = 0;
	int ready, slice;

	while (!notify_stop && waited < limit) {
		slice = limit - waited < NOTIFY_RELAY_MS ? (int)(limit - waited) : NOTIFY_RELAY_MS;
		ready = notify_wait(mq_db_socket(ctx->db), slice);
		if (ready != 0)
			return ready;
		waited += slice;
		if (notify_stop)
			break;
		if (time(NULL) < ctx->relay_resume)
			continue;
		if (notify_exec(ctx, "SELECT minqing.case_news_relay()", 0, NULL, lost) != 0) {
			if (*lost)
				return 0;
			/*
			 * Logged; tried again a minute on, not every half second
			 * (a read-only server during a switch-over, a role without
			 * the right): the outbox is still drained at --interval.
			 */
			ctx->relay_resume = time(NULL) + NOTIFY_RELAY_PAUSE;
			continue;
		}
		ready = notify_drain_notifies(ctx);
		if (ready != 0) {
			*lost = ready < 0;
			return ready > 0;
		}
		if (time(NULL) < ctx->fold_next)
			continue;
		ctx->fold_next = time(NULL) + NOTIFY_FOLD_S;
		if (notify_exec(ctx, "SELECT minqing.report_fold()", 0, NULL, lost) != 0) {
			if (*lost)
				return 0;
			ctx->fold_next = time(NULL) + NOTIFY_RELAY_PAUSE; /* logged */
		}
	}
	return 0;
}

static int notify_loop(struct notify_ctx *ctx)
{
	bool lost = false;
	int rc = MQ_EXIT_OK, ready;

	while (!notify_stop) {
		lost = false;
		if (notify_drain(ctx, &lost) != 0) {
			if (ctx->once)
				return MQ_EXIT_FAILURE;
			if (lost || mq_db_lost(ctx->db)) {
				notify_reconnect(ctx);
				continue;
			}
			/* Another error (logged): wait for the next interval. */
		} else if (notify_poll(ctx, &lost) != 0) {
			if (ctx->once)
				return MQ_EXIT_FAILURE;
			if (lost) {
				notify_reconnect(ctx);
				continue;
			}
			/* Logged; read back again at the next round. */
		}
		if (ctx->once)
			break;
		/* Notifications that arrived during the batch are already read. */
		ready = notify_drain_notifies(ctx);
		if (ready < 0) {
			notify_reconnect(ctx);
			continue;
		}
		if (ready > 0)
			continue;
		if (mq_db_socket(ctx->db) < 0) {
			notify_reconnect(ctx);
			continue;
		}
		ready = notify_idle(ctx, &lost);
		if (ready < 0) {
			notify_log("poll: %s", strerror(errno));
			rc = MQ_EXIT_FAILURE;
			break;
		}
		if (lost || (ready > 0 && notify_drain_notifies(ctx) < 0))
			notify_reconnect(ctx);
	}
	return rc;
}

/*
 * Over 80 lines on purpose: the options of three transports are parsed and
 * checked in one place, each mistake with its own exit code.
 */
int main(int argc, char **argv)
{
	enum {
		OPT_SPOOL_DIR = 256,
		OPT_COMMAND,
		OPT_COMMAND_TIMEOUT,
		OPT_GAMMU_CONNINFO,
		OPT_GAMMU_SCHEMA,
		OPT_GAMMU_CREATOR,
		OPT_NO_INBOX,
		OPT_HELP_CONFIG,
	};
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"transport", required_argument, NULL, 't'},
		{"spool-dir", required_argument, NULL, OPT_SPOOL_DIR},
		{"command", required_argument, NULL, OPT_COMMAND},
		{"command-timeout", required_argument, NULL, OPT_COMMAND_TIMEOUT},
		{"gammu-conninfo", required_argument, NULL, OPT_GAMMU_CONNINFO},
		{"gammu-schema", required_argument, NULL, OPT_GAMMU_SCHEMA},
		{"gammu-creator", required_argument, NULL, OPT_GAMMU_CREATOR},
		{"no-inbox", no_argument, NULL, OPT_NO_INBOX},
		{"batch", required_argument, NULL, 'b'},
		{"max-attempts", required_argument, NULL, 'm'},
		{"once", no_argument, NULL, '1'},
		{"interval", required_argument, NULL, 'i'},
		{"help", no_argument, NULL, 'h'},
		{"help-config", no_argument, NULL, OPT_HELP_CONFIG},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct notify_ctx ctx;
	struct sigaction sa;
	const char *config_path = NULL, *transport = "spool";
	char *cause = NULL;
	size_t i;
	int c, rc, code;
	bool usage_error = false, help_config = false;

	mq_progname = "minqing-notify";
	setlocale(LC_ALL, "");
	memset(&ctx, 0, sizeof ctx);
	ctx.batch = 50;
	ctx.max_attempts = 8;
	ctx.interval = 30;
	ctx.command_timeout = 60;
	ctx.gammu_creator = "minqing";
	while ((c = getopt_long(argc, argv, "c:t:b:m:1i:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case 't':
			transport = optarg;
			break;
		case OPT_SPOOL_DIR:
			ctx.spool_dir = optarg;
			break;
		case OPT_COMMAND:
			ctx.command = optarg;
			break;
		case OPT_COMMAND_TIMEOUT:
			usage_error |= notify_parse_int(optarg, "--command-timeout", 1, 86400,
							&ctx.command_timeout) != 0;
			break;
		case OPT_GAMMU_CONNINFO:
			ctx.gammu_conninfo = optarg;
			break;
		case OPT_GAMMU_SCHEMA:
			ctx.gammu_schema = optarg;
			break;
		case OPT_GAMMU_CREATOR:
			ctx.gammu_creator = optarg;
			break;
		case OPT_NO_INBOX:
			ctx.no_inbox = true;
			break;
		case OPT_HELP_CONFIG:
			help_config = true;
			break;
		case 'b':
			usage_error |=
				notify_parse_int(optarg, "--batch", 1, 10000, &ctx.batch) != 0;
			break;
		case 'm':
			usage_error |= notify_parse_int(optarg, "--max-attempts", 1, 1000,
							&ctx.max_attempts) != 0;
			break;
		case '1':
			ctx.once = true;
			break;
		case 'i':
			usage_error |= notify_parse_int(optarg, "--interval", 1, 86400,
							&ctx.interval) != 0;
			break;
		case 'h':
			mq_i18n_init(NULL);
			notify_usage(stdout);
			return MQ_EXIT_OK;
		case 'V':
			printf("minqing-notify %s (schema version %d)\n", MQ_VERSION,
			       mq_schema_version);
			return MQ_EXIT_OK;
		default:
			usage_error = true;
			break;
		}
	}
	if ((rc = mq_program_config(&ctx.cfg, config_path)) != MQ_EXIT_OK)
		return rc;
	if (help_config && !usage_error && optind == argc) {
		mq_config_print_table();
		mq_config_free(&ctx.cfg);
		return MQ_EXIT_OK;
	}
	for (i = 0; i < MQ_NITEMS(notify_transports); i++)
		if (strcmp(transport, notify_transports[i]->name) == 0)
			ctx.transport = notify_transports[i];
	if (ctx.transport == NULL) {
		mq_warnx(_("unknown transport: %s (spool, command or gammu)"), transport);
		usage_error = true;
	}
	if (usage_error || optind < argc) {
		notify_usage(stderr);
		mq_config_free(&ctx.cfg);
		return MQ_EXIT_USAGE;
	}

	notify_wake_init();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = notify_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: poll() and sleeps return at once */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (notify_connect(&ctx, true, &cause, &code) != 0) {
		mq_warnx("%s", cause);
		free(cause);
		if (ctx.tdata != NULL)
			ctx.transport->free(&ctx);
		mq_config_free(&ctx.cfg);
		return code;
	}
	notify_log(_("draining the outbox through %s%s"), ctx.transport->name,
		   ctx.once ? _(" (once)") : "");
	rc = notify_loop(&ctx);
	if (notify_stop)
		notify_log(_("stopping on a signal"));
	ctx.transport->free(&ctx);
	mq_db_close(ctx.db);
	mq_config_free(&ctx.cfg);
	return rc;
}
