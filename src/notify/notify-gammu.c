/*
 * The gammu transport: inserts each message into the "outbox" table of Gammu
 * SMSD (the SMS gateway daemon, gammu-smsd-tables(7)), which sends it
 * through the modem and moves it to "sentitems".
 *
 * A text of at most 70 characters is one row, Coding Unicode_No_Compression.
 * A longer one is one concatenated (multipart) SMS, as gammu-smsd-inject
 * makes it: parts of 67 characters, each with the 6-byte user data header
 * 05 00 03 <reference> <parts> <part>; the first in "outbox" with MultiPart
 * true, the others in "outbox_multipart" with SequencePosition 2, 3, ...
 *
 * Idempotent per message: "CreatorID" is "<creator>:<message_id>", and a
 * message whose CreatorID is already in outbox or sentitems is not inserted
 * again. When Gammu's tables are in the outbox's own database (the default:
 * no --gammu-conninfo) the insert is part of the drainer's transaction, so
 * the message reaches Gammu exactly once: both commit or neither does. With
 * a separate Gammu database the parts of a message are inserted in one
 * transaction there, which commits before the drainer's; after a crash in
 * between, the check finds the message and it is not inserted again.
 *
 * Delivery is read back (gammu_poll, after each round and on each wake-up):
 * our messages sent through Gammu in the last GAMMU_READBACK_DAYS days and
 * not yet delivered, a page of GAMMU_READBACK_PAGE at a time, are looked up
 * in "sentitems" by CreatorID; the parts of a message are folded into one
 * state, the worst winning (failed, then pending, then accepted, then
 * delivered), and 'accepted' or better only once every part is there; each
 * goes to minqing.outbox_mark_delivery in one transaction on the outbox
 * connection. A failure makes the message dead; it is not resent.
 *
 * Messages received are read too (gammu_inbox, after the read-back): the
 * rows of Gammu's "inbox" not yet "Processed", a page at a time, each handed
 * to minqing.sms_receive (a case, an answer to an invitation, or the triage
 * list) in one transaction on the outbox connection; only after its COMMIT
 * are they marked "Processed" in Gammu's table. At-least-once: a crash in
 * between reads them again, and sms_receive's unique key on Gammu's inbox ID
 * makes the second reading change nothing. --no-inbox turns it off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mq/i18n.h"
#include "notify.h"

/* Read back messages sent in the last days, this many per transaction. */
#define GAMMU_READBACK_DAYS "7"
#define GAMMU_READBACK_PAGE 300
/* Messages received handed to sms_receive per transaction. */
#define GAMMU_INBOX_PAGE 100

struct gammu_state {
	bool separate;     /* --gammu-conninfo: Gammu's tables in another database */
	struct mq_db *own; /* that connection; NULL while it is lost */
	char *outbox, *multipart, *sentitems, *version, *inbox; /* qualified, quoted names */
	/* The read-back position: the last (sent_at, message_id) of a full page. */
	char *after_at, *after_id;
};

static struct mq_db *gammu_db(struct notify_ctx *ctx)
{
	struct gammu_state *gs = ctx->tdata;

	return gs->separate ? gs->own : ctx->db;
}

/* (Re)connect to the separate Gammu database: 0, or -1 with *cause. */
static int gammu_connect_own(struct notify_ctx *ctx, char **cause)
{
	struct gammu_state *gs = ctx->tdata;
	struct mq_config cfg = ctx->cfg;

	if (!gs->separate || gs->own != NULL)
		return 0;
	cfg.db_service = NULL;
	cfg.db_conninfo = (char *)ctx->gammu_conninfo;
	gs->own = mq_db_connect(&cfg, "minqing-notify (gammu)", MQ_DB_NO_PROMPT, cause);
	return gs->own != NULL ? 0 : -1;
}

/* Before using Gammu's database: reconnect a lost separate connection. */
static int gammu_ready(struct notify_ctx *ctx, char **cause)
{
	struct gammu_state *gs = ctx->tdata;
	char *why = NULL;

	if (!gs->separate)
		return 0;
	if (gs->own != NULL && !mq_db_lost(gs->own))
		return 0;
	mq_db_close(gs->own);
	gs->own = NULL;
	if (gammu_connect_own(ctx, &why) == 0) {
		notify_log(_("reconnected to Gammu SMSD's database"));
		return 0;
	}
	mq_fail(cause, _("Gammu SMSD's database is unreachable, will retry: %s"), why);
	free(why);
	return -1;
}

/* "schema"."table" or "table", quoted by libpq. Caller frees. */
static char *gammu_name(struct mq_db *db, const char *schema, const char *table)
{
	char *s, *t, *out;

	t = mq_db_quote_ident(db, table);
	if (schema == NULL)
		return t;
	s = mq_db_quote_ident(db, schema);
	out = xasprintf("%s.%s", s, t);
	free(s);
	free(t);
	return out;
}

static void gammu_free(struct notify_ctx *ctx)
{
	struct gammu_state *gs = ctx->tdata;

	if (gs == NULL)
		return;
	mq_db_close(gs->own);
	free(gs->outbox);
	free(gs->multipart);
	free(gs->sentitems);
	free(gs->version);
	free(gs->inbox);
	free(gs->after_at);
	free(gs->after_id);
	free(gs);
	ctx->tdata = NULL;
}

static int gammu_init(struct notify_ctx *ctx, char **cause)
{
	struct gammu_state *gs;
	struct mq_db_error err;
	PGresult *res;
	struct mq_db *db;
	char *sql, *text;

	gammu_free(ctx); /* after a reconnect */
	gs = xcalloc(1, sizeof *gs);
	ctx->tdata = gs;
	gs->separate = ctx->gammu_conninfo != NULL;
	if (gammu_connect_own(ctx, cause) != 0)
		return -1;
	db = gammu_db(ctx);
	gs->outbox = gammu_name(db, ctx->gammu_schema, "outbox");
	gs->multipart = gammu_name(db, ctx->gammu_schema, "outbox_multipart");
	gs->sentitems = gammu_name(db, ctx->gammu_schema, "sentitems");
	gs->version = gammu_name(db, ctx->gammu_schema, "gammu");
	gs->inbox = gammu_name(db, ctx->gammu_schema, "inbox");

	/* Gammu's tables are there, in a version we know (17 in Gammu 1.42). */
	sql = xasprintf("SELECT max(\"Version\") FROM %s", gs->version);
	res = mq_db_query(gammu_db(ctx), &err, sql, 0, NULL);
	free(sql);
	if (res == NULL) {
		text = mq_db_error_text(&err);
		mq_fail(cause, _("cannot find Gammu SMSD's tables: %s"), text);
		free(text);
		mq_db_error_clear(&err);
		return -1;
	}
	if (atoi(PQgetvalue(res, 0, 0)) < 14) {
		mq_fail(cause, _("Gammu SMSD's tables are version %s; at least 14 is needed"),
			PQgetvalue(res, 0, 0));
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

/*
 * Run sql on Gammu's database; on error set *cause (caller frees) and return
 * NULL. A lost separate connection is dropped, to be re-made by gammu_ready.
 */
static PGresult *gammu_query(struct notify_ctx *ctx, const char *sql, int n,
			     const char *const *params, char **cause)
{
	struct gammu_state *gs = ctx->tdata;
	struct mq_db_error err;
	PGresult *res;
	char *text;

	if (gs->separate && gs->own == NULL) {
		mq_fail(cause, _("Gammu SMSD's database: the connection is lost"));
		return NULL;
	}
	res = mq_db_query(gammu_db(ctx), &err, sql, n, params);
	if (res == NULL) {
		text = mq_db_error_text(&err);
		mq_fail(cause, _("Gammu SMSD database: %s"), text);
		free(text);
		if (gs->separate && (err.connection_lost || mq_db_lost(gs->own))) {
			mq_db_close(gs->own);
			gs->own = NULL;
		}
		mq_db_error_clear(&err);
	}
	return res;
}

static int gammu_exec(struct notify_ctx *ctx, const char *sql, char **cause)
{
	PGresult *res = gammu_query(ctx, sql, 0, NULL, cause);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* Over 80 lines on purpose: the multipart insert is one transaction, read top to bottom. */
static enum notify_outcome gammu_send(struct notify_ctx *ctx, const struct notify_msg *msg,
				      int *segments, char **ref, char **cause)
{
	struct gammu_state *gs = ctx->tdata;
	char *creator, *sql, **parts, udh[32], pos[32];
	const char *params[5];
	PGresult *res;
	size_t n, i;
	enum notify_outcome rc = NOTIFY_RETRY;

	parts = notify_split(msg->body, NOTIFY_MULTIPART_UNITS, false, &n, cause);
	if (parts == NULL)
		return NOTIFY_PERMANENT;
	if (gammu_ready(ctx, cause) != 0) {
		notify_parts_free(parts);
		return NOTIFY_RETRY;
	}
	creator = xasprintf("%s:%s", ctx->gammu_creator, msg->id_text);

	/* Already handed to Gammu (a batch taken again after a crash)? */
	sql = xasprintf("SELECT \"ID\" FROM %s WHERE \"CreatorID\" = $1 UNION ALL "
			"SELECT \"ID\" FROM %s WHERE \"CreatorID\" = $1 LIMIT 1",
			gs->outbox, gs->sentitems);
	params[0] = creator;
	res = gammu_query(ctx, sql, 1, params, cause);
	free(sql);
	if (res == NULL)
		goto out;
	if (PQntuples(res) > 0) {
		*ref = xasprintf("gammu:%s", PQgetvalue(res, 0, 0));
		*segments = (int)n;
		PQclear(res);
		rc = NOTIFY_SENT;
		goto out;
	}
	PQclear(res);

	/* A separate database: the parts go in together or not at all (and
	 * gammu-smsd never sees the first part without the others). */
	if (gs->separate && gammu_exec(ctx, "BEGIN", cause) != 0)
		goto out;

	/* The first (or only) part. The reference of a concatenated SMS is one
	 * byte; the message id's low byte differs between neighbours. */
	if (n > 1)
		snprintf(udh, sizeof udh, "050003%02X%02X01", (unsigned)(msg->id & 0xFF),
			 (unsigned)n);
	sql = xasprintf("INSERT INTO %s (\"DestinationNumber\", \"TextDecoded\", \"Coding\", "
			"\"CreatorID\", \"MultiPart\", \"UDH\") "
			"VALUES ($1, $2, 'Unicode_No_Compression', $3, $4, $5) RETURNING \"ID\"",
			gs->outbox);
	params[0] = msg->phone;
	params[1] = parts[0];
	params[2] = creator;
	params[3] = n > 1 ? "true" : "false";
	params[4] = n > 1 ? udh : NULL;
	res = gammu_query(ctx, sql, 5, params, cause);
	free(sql);
	if (res == NULL) {
		if (gs->own != NULL) {
			char *ignored = NULL;

			gammu_exec(ctx, "ROLLBACK", &ignored);
			free(ignored);
		}
		goto out;
	}
	*ref = xasprintf("gammu:%s", PQgetvalue(res, 0, 0));
	params[0] = *ref + strlen("gammu:");
	sql = xasprintf(
		"INSERT INTO %s (\"ID\", \"SequencePosition\", \"TextDecoded\", \"Coding\", "
		"\"UDH\") VALUES ($1, $2, $3, 'Unicode_No_Compression', $4)",
		gs->multipart);
	for (i = 1; i < n; i++) {
		snprintf(udh, sizeof udh, "050003%02X%02X%02X", (unsigned)(msg->id & 0xFF),
			 (unsigned)n, (unsigned)(i + 1));
		snprintf(pos, sizeof pos, "%zu", i + 1);
		params[1] = pos;
		params[2] = parts[i];
		params[3] = udh;
		PQclear(res);
		res = gammu_query(ctx, sql, 4, params, cause);
		if (res == NULL)
			break;
	}
	free(sql);
	if (res == NULL) {
		/* Same connection: the caller rolls back to its savepoint. */
		if (gs->own != NULL) {
			char *ignored = NULL;

			gammu_exec(ctx, "ROLLBACK", &ignored);
			free(ignored);
		}
		free(*ref);
		*ref = NULL;
		goto out;
	}
	if (gs->separate && gammu_exec(ctx, "COMMIT", cause) != 0) {
		PQclear(res);
		free(*ref);
		*ref = NULL;
		goto out;
	}
	PQclear(res);
	*segments = (int)n;
	rc = NOTIFY_SENT;
out:
	free(creator);
	notify_parts_free(parts);
	return rc;
}

/*
 * What a status of Gammu's sentitems means for us, with its rank: the worst
 * status of a message's parts wins. Unknown statuses (a newer Gammu) count as
 * pending, so they are neither final nor lost.
 */
enum gammu_delivery {
	GAMMU_DELIVERED = 1,
	GAMMU_ACCEPTED,
	GAMMU_PENDING,
	GAMMU_FAILED,
};

static enum gammu_delivery gammu_delivery_of(const char *status)
{
	static const struct {
		const char *status;
		enum gammu_delivery d;
	} map[] = {
		{"DeliveryOK", GAMMU_DELIVERED},       {"SendingOK", GAMMU_ACCEPTED},
		{"SendingOKNoReport", GAMMU_ACCEPTED}, {"DeliveryPending", GAMMU_PENDING},
		{"DeliveryUnknown", GAMMU_PENDING},    {"SendingError", GAMMU_FAILED},
		{"DeliveryFailed", GAMMU_FAILED},      {"Error", GAMMU_FAILED},
	};
	size_t i;

	for (i = 0; i < MQ_NITEMS(map); i++)
		if (strcmp(status, map[i].status) == 0)
			return map[i].d;
	return GAMMU_PENDING;
}

static const char *gammu_delivery_name(enum gammu_delivery d)
{
	switch (d) {
	case GAMMU_DELIVERED:
		return "delivered";
	case GAMMU_ACCEPTED:
		return "accepted";
	case GAMMU_PENDING:
		return "pending";
	case GAMMU_FAILED:
		return "failed";
	}
	return "pending";
}

/* Append s to *buf as a double-quoted element of a PostgreSQL array literal. */
static void gammu_array_add(char **buf, const char *s)
{
	size_t len = *buf != NULL ? strlen(*buf) : 0, i, j;
	char *out = xmalloc(len + 2 * strlen(s) + 4);

	if (len > 0)
		memcpy(out, *buf, len);
	out[len] = len > 0 ? ',' : '{';
	len++;
	out[len++] = '"';
	for (i = 0, j = len; s[i] != '\0'; i++) {
		if (s[i] == '"' || s[i] == '\\')
			out[j++] = '\\';
		out[j++] = s[i];
	}
	out[j++] = '"';
	out[j] = '\0';
	free(*buf);
	*buf = out;
}

/* Roll back the outbox transaction of a read-back page, quietly. */
static void gammu_rollback(struct notify_ctx *ctx)
{
	struct mq_db_error err;

	if (mq_db_lost(ctx->db))
		return;
	if (mq_db_rollback(ctx->db, &err) != 0)
		mq_db_error_clear(&err);
}

/* An error of the outbox connection into *cause. */
static void gammu_outbox_error(char **cause, const char *what, struct mq_db_error *err)
{
	char *text = mq_db_error_text(err);

	mq_fail(cause, "%s: %s", what, text);
	free(text);
	mq_db_error_clear(err);
}

/*
 * Record the delivery state d of message id (at: Gammu's time as epoch
 * seconds, or NULL) in the outbox transaction; counts a change in
 * changed[d] and, for a failure, appends a line to *log. 0, or -1 with *cause.
 */
static int gammu_mark(struct notify_ctx *ctx, const char *id, enum gammu_delivery d, const char *at,
		      const char *detail, int changed[GAMMU_FAILED + 1], char **log, char **cause)
{
	struct mq_db_error err;
	const char *params[4];
	PGresult *res;
	char *old, *line;

	params[0] = id;
	params[1] = gammu_delivery_name(d);
	params[2] = at;
	params[3] = detail;
	res = mq_db_query(ctx->db, &err,
			  "SELECT minqing.outbox_mark_delivery($1, $2, "
			  "coalesce(to_timestamp($3::double precision), now()), $4)",
			  4, params);
	if (res == NULL) {
		gammu_outbox_error(cause, _("cannot record a delivery"), &err);
		return -1;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		changed[d]++;
		if (d == GAMMU_FAILED) {
			old = *log;
			line = xasprintf(
				_("message %s is dead: the gateway reports %s (not resent)"), id,
				detail);
			*log = xasprintf("%s%s%s", old != NULL ? old : "", old != NULL ? "\n" : "",
					 line);
			free(old);
			free(line);
		}
	}
	PQclear(res);
	return 0;
}

/*
 * One page of the read-back in one transaction; changed[state] counts the
 * messages whose state changed. Sets *full when the page was full (there may
 * be more after it). 0, or -1 with *cause. Over 80 lines on purpose: the
 * page is one transaction whose steps share its state.
 */
static int gammu_readback_page(struct notify_ctx *ctx, int changed[GAMMU_FAILED + 1], bool *full,
			       char **cause)
{
	struct gammu_state *gs = ctx->tdata;
	struct mq_db_error err;
	PGresult *cand, *sent = NULL;
	const char *params[4];
	char page[16], *creators = NULL, *sql, *prefix, *log = NULL;
	int i, j, n, mine[GAMMU_FAILED + 1] = {0};
	size_t plen;

	*full = false;
	if (mq_db_begin(ctx->db, &err) != 0) {
		gammu_outbox_error(cause, _("cannot read delivery back"), &err);
		return -1;
	}
	snprintf(page, sizeof page, "%d", GAMMU_READBACK_PAGE);
	params[0] = GAMMU_READBACK_DAYS;
	params[1] = gs->after_at != NULL ? gs->after_at : "-infinity";
	params[2] = gs->after_id != NULL ? gs->after_id : "0";
	params[3] = page;
	/* The predicate is the one of the partial index outbox_readback. */
	cand = mq_db_query(ctx->db, &err,
			   "SELECT message_id, coalesce(segments, 1), sent_at::text AS after_at "
			   "FROM minqing.outbox "
			   "WHERE transport = 'gammu' AND status = 'sent' "
			   "AND delivery_status IS DISTINCT FROM 'delivered' "
			   "AND sent_at >= now() - make_interval(days => $1::integer) "
			   "AND (sent_at, message_id) > ($2::timestamptz, $3::bigint) "
			   "ORDER BY sent_at, message_id LIMIT $4",
			   4, params);
	if (cand == NULL) {
		gammu_outbox_error(cause, _("cannot read delivery back"), &err);
		gammu_rollback(ctx);
		return -1;
	}
	n = PQntuples(cand);
	if (n == 0) {
		PQclear(cand);
		gammu_rollback(ctx);
		free(gs->after_at);
		free(gs->after_id);
		gs->after_at = gs->after_id = NULL;
		return 0;
	}

	prefix = xasprintf("%s:", ctx->gammu_creator);
	plen = strlen(prefix);
	for (i = 0; i < n; i++) {
		char *creator = xasprintf("%s%s", prefix, PQgetvalue(cand, i, 0));

		gammu_array_add(&creators, creator);
		free(creator);
	}
	sql = creators;
	creators = xasprintf("%s}", sql);
	free(sql);

	/* Each message's parts in Gammu's sentitems: how many, their statuses. */
	sql = xasprintf("SELECT \"CreatorID\", count(DISTINCT \"SequencePosition\"), "
			"string_agg(DISTINCT \"Status\", ','), "
			"extract(epoch FROM max(coalesce(\"DeliveryDateTime\", "
			"\"SendingDateTime\"))::timestamptz) "
			"FROM %s WHERE \"CreatorID\" = ANY ($1::text[]) GROUP BY \"CreatorID\"",
			gs->sentitems);
	params[0] = creators;
	if (gammu_ready(ctx, cause) == 0)
		sent = gammu_query(ctx, sql, 1, params, cause);
	free(sql);
	free(creators);
	if (sent == NULL)
		goto fail;

	for (j = 0; j < PQntuples(sent); j++) {
		const char *creator = PQgetvalue(sent, j, 0), *id, *parts, *statuses, *worst = NULL;
		enum gammu_delivery d = GAMMU_DELIVERED, one;
		char *list, *tok, *save = NULL, *detail;
		int rc;

		if (strncmp(creator, prefix, plen) != 0)
			continue;
		id = creator + plen;
		for (i = 0; i < n; i++)
			if (strcmp(PQgetvalue(cand, i, 0), id) == 0)
				break;
		if (i == n)
			continue;
		parts = PQgetvalue(sent, j, 1);
		statuses = PQgetvalue(sent, j, 2);
		list = xstrdup(statuses);
		for (tok = strtok_r(list, ",", &save); tok != NULL;
		     tok = strtok_r(NULL, ",", &save)) {
			one = gammu_delivery_of(tok);
			if (worst == NULL || one > d) {
				d = one;
				worst = statuses + (tok - list);
			}
		}
		/* Not every part has left yet: only a failure is already final. */
		if (d != GAMMU_FAILED && atoi(parts) < atoi(PQgetvalue(cand, i, 1))) {
			free(list);
			continue;
		}
		detail = xstrdup(worst != NULL ? worst : "");
		detail[strcspn(detail, ",")] = '\0';
		free(list);
		rc = gammu_mark(ctx, id, d, PQgetisnull(sent, j, 3) ? NULL : PQgetvalue(sent, j, 3),
				detail, mine, &log, cause);
		free(detail);
		if (rc != 0)
			goto fail;
	}
	PQclear(sent);
	sent = NULL;
	if (mq_db_commit(ctx->db, &err) != 0) {
		gammu_outbox_error(cause, _("cannot read delivery back"), &err);
		goto fail;
	}
	for (i = GAMMU_DELIVERED; i <= GAMMU_FAILED; i++)
		changed[i] += mine[i];
	if (log != NULL) {
		char *line, *save = NULL;

		for (line = strtok_r(log, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save))
			notify_log("%s", line);
	}

	/* The next page starts after this one; a short page: from the start. */
	free(gs->after_at);
	free(gs->after_id);
	gs->after_at = gs->after_id = NULL;
	if (n == GAMMU_READBACK_PAGE) {
		gs->after_at = xstrdup(PQgetvalue(cand, n - 1, 2));
		gs->after_id = xstrdup(PQgetvalue(cand, n - 1, 0));
		*full = true;
	}
	PQclear(cand);
	free(prefix);
	free(log);
	return 0;
fail:
	PQclear(sent);
	PQclear(cand);
	free(prefix);
	free(log);
	gammu_rollback(ctx);
	return -1;
}

/* What sms_receive said about a message: counted for the log line. */
struct gammu_inbox_counts {
	int cases, answers, triage, again;
};

static void gammu_inbox_count(struct gammu_inbox_counts *n, const char *outcome)
{
	if (strcmp(outcome, "case") == 0)
		n->cases++;
	else if (strcmp(outcome, "signup") == 0)
		n->answers++;
	else if (strcmp(outcome, "triage") == 0)
		n->triage++;
	else
		n->again++;
}

/*
 * One page of messages received: read from Gammu's inbox, recorded through
 * sms_receive in one transaction on the outbox connection (a savepoint per
 * message: one that fails stays unprocessed in Gammu's table and is tried
 * again next round, the others go on), then, after the COMMIT, marked
 * Processed in Gammu's table. Sets *full when the page was full. 0, or -1
 * with *cause. Over 80 lines on purpose: the page is one transaction.
 */
static int gammu_inbox_page(struct notify_ctx *ctx, struct gammu_inbox_counts *counts, bool *full,
			    char **cause)
{
	struct gammu_state *gs = ctx->tdata;
	struct gammu_inbox_counts mine = {0};
	struct mq_db_error err;
	PGresult *in, *res;
	const char *params[4];
	char page[16], *sql, *done = NULL;
	int i, n;

	*full = false;
	if (gammu_ready(ctx, cause) != 0)
		return -1;
	snprintf(page, sizeof page, "%d", GAMMU_INBOX_PAGE);
	params[0] = page;
	sql = xasprintf("SELECT \"ID\", \"SenderNumber\", \"TextDecoded\", "
			"extract(epoch FROM \"ReceivingDateTime\"::timestamptz) "
			"FROM %s WHERE NOT \"Processed\" ORDER BY \"ID\" LIMIT $1::integer",
			gs->inbox);
	in = gammu_query(ctx, sql, 1, params, cause);
	free(sql);
	if (in == NULL)
		return -1;
	n = PQntuples(in);
	if (n == 0) {
		PQclear(in);
		return 0;
	}
	if (mq_db_begin(ctx->db, &err) != 0) {
		gammu_outbox_error(cause, _("cannot record the messages received"), &err);
		PQclear(in);
		return -1;
	}
	for (i = 0; i < n; i++) {
		params[0] = PQgetvalue(in, i, 0);
		params[1] = PQgetvalue(in, i, 1);
		params[2] = PQgetvalue(in, i, 2);
		params[3] = PQgetisnull(in, i, 3) ? NULL : PQgetvalue(in, i, 3);
		res = mq_db_query(ctx->db, &err, "SAVEPOINT inbox", 0, NULL);
		if (res != NULL) {
			PQclear(res);
			res = mq_db_query(ctx->db, &err,
					  "SELECT minqing.sms_receive($1::bigint, $2, $3, "
					  "to_timestamp($4::double precision)) AS outcome",
					  4, params);
		}
		if (res == NULL) {
			char *text = mq_db_error_text(&err);

			notify_log(_("message received %s not recorded, will retry: %s"), params[0],
				   text);
			free(text);
			mq_db_error_clear(&err);
			if (mq_db_lost(ctx->db))
				break;
			res = mq_db_query(ctx->db, &err, "ROLLBACK TO SAVEPOINT inbox", 0, NULL);
			if (res == NULL)
				break;
			PQclear(res);
			continue;
		}
		gammu_inbox_count(&mine, PQgetvalue(res, 0, 0));
		PQclear(res);
		gammu_array_add(&done, params[0]);
	}
	if (i < n || mq_db_commit(ctx->db, &err) != 0) {
		if (i < n)
			mq_fail(cause, _("cannot record the messages received"));
		else
			gammu_outbox_error(cause, _("cannot record the messages received"), &err);
		gammu_rollback(ctx);
		PQclear(in);
		free(done);
		return -1;
	}
	/* Another page only when this one moved on: a full page of messages
	 * sms_receive refuses every time would otherwise be read for ever. */
	*full = n == GAMMU_INBOX_PAGE && done != NULL;
	PQclear(in);
	counts->cases += mine.cases;
	counts->answers += mine.answers;
	counts->triage += mine.triage;
	counts->again += mine.again;
	if (done == NULL)
		return 0;

	/* Ours is committed: now Gammu's mark (a crash before it reads them again,
	 * which sms_receive's unique key makes harmless). */
	sql = done;
	done = xasprintf("%s}", sql);
	free(sql);
	params[0] = done;
	sql = xasprintf("UPDATE %s SET \"Processed\" = true WHERE \"ID\" = ANY ($1::integer[])",
			gs->inbox);
	res = gammu_query(ctx, sql, 1, params, cause);
	free(sql);
	free(done);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* The messages received, every page (a page per round would leave a burst
 * of replies waiting for minutes). */
static int gammu_inbox(struct notify_ctx *ctx, char **cause)
{
	struct gammu_inbox_counts n = {0};
	bool full;
	int rc;

	if (ctx->no_inbox)
		return 0;
	do {
		rc = gammu_inbox_page(ctx, &n, &full, cause);
	} while (rc == 0 && full);
	if (n.cases + n.answers + n.triage + n.again > 0)
		notify_log(_("messages received: %d cases, %d answers to invitations, "
			     "%d to triage, %d already recorded"),
			   n.cases, n.answers, n.triage, n.again);
	return rc;
}

/*
 * The read-back: one page per round in the daemon (the next round goes on
 * where it stopped), every page with --once; then the messages received.
 */
static int gammu_poll(struct notify_ctx *ctx, char **cause)
{
	int changed[GAMMU_FAILED + 1] = {0}, rc;
	bool full;

	do {
		rc = gammu_readback_page(ctx, changed, &full, cause);
	} while (rc == 0 && full && ctx->once);
	if (changed[GAMMU_DELIVERED] + changed[GAMMU_ACCEPTED] + changed[GAMMU_PENDING] +
		    changed[GAMMU_FAILED] >
	    0)
		notify_log(
			_("delivery read back: %d delivered, %d accepted, %d pending, %d failed"),
			changed[GAMMU_DELIVERED], changed[GAMMU_ACCEPTED], changed[GAMMU_PENDING],
			changed[GAMMU_FAILED]);
	if (rc != 0)
		return rc;
	return gammu_inbox(ctx, cause);
}

const struct notify_transport notify_transport_gammu = {
	.name = "gammu",
	.reinit = true,
	.init = gammu_init,
	.send = gammu_send,
	.free = gammu_free,
	.poll = gammu_poll,
};
