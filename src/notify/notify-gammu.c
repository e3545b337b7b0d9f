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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mq/i18n.h"
#include "notify.h"

struct gammu_state {
	struct mq_db *own; /* a separate connection (--gammu-conninfo), or NULL */
	char *outbox, *multipart, *sentitems, *version; /* qualified, quoted names */
};

static struct mq_db *gammu_db(struct notify_ctx *ctx)
{
	struct gammu_state *gs = ctx->tdata;

	return gs->own != NULL ? gs->own : ctx->db;
}

/* "schema"."table" or "table", quoted by libpq. Caller frees. */
static char *gammu_name(PGconn *conn, const char *schema, const char *table)
{
	char *s, *t, *out;

	t = PQescapeIdentifier(conn, table, strlen(table));
	if (t == NULL)
		fatal("out of memory quoting an identifier");
	if (schema == NULL) {
		out = xstrdup(t);
		PQfreemem(t);
		return out;
	}
	s = PQescapeIdentifier(conn, schema, strlen(schema));
	if (s == NULL)
		fatal("out of memory quoting an identifier");
	out = xasprintf("%s.%s", s, t);
	PQfreemem(s);
	PQfreemem(t);
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
	free(gs);
	ctx->tdata = NULL;
}

static int gammu_init(struct notify_ctx *ctx, char **cause)
{
	struct gammu_state *gs;
	struct mq_db_error err;
	PGresult *res;
	PGconn *conn;
	char *sql, *text;

	gammu_free(ctx); /* after a reconnect */
	gs = xcalloc(1, sizeof *gs);
	ctx->tdata = gs;
	if (ctx->gammu_conninfo != NULL) {
		struct mq_config cfg = ctx->cfg;

		cfg.db_service = NULL;
		cfg.db_conninfo = (char *)ctx->gammu_conninfo;
		gs->own = mq_db_connect(&cfg, "minqing-notify (gammu)", MQ_DB_NO_PROMPT, cause);
		if (gs->own == NULL)
			return -1;
	}
	conn = mq_db_conn(gammu_db(ctx));
	gs->outbox = gammu_name(conn, ctx->gammu_schema, "outbox");
	gs->multipart = gammu_name(conn, ctx->gammu_schema, "outbox_multipart");
	gs->sentitems = gammu_name(conn, ctx->gammu_schema, "sentitems");
	gs->version = gammu_name(conn, ctx->gammu_schema, "gammu");

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

/* Run sql; on error set *cause (caller frees) and return NULL. */
static PGresult *gammu_query(struct notify_ctx *ctx, const char *sql, int n,
			     const char *const *params, char **cause)
{
	struct mq_db_error err;
	PGresult *res = mq_db_query(gammu_db(ctx), &err, sql, n, params);
	char *text;

	if (res == NULL) {
		text = mq_db_error_text(&err);
		mq_fail(cause, _("Gammu SMSD database: %s"), text);
		free(text);
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
	if (gs->own != NULL && gammu_exec(ctx, "BEGIN", cause) != 0)
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
	if (gs->own != NULL && gammu_exec(ctx, "COMMIT", cause) != 0) {
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

const struct notify_transport notify_transport_gammu = {
	.name = "gammu",
	.reinit = true,
	.init = gammu_init,
	.send = gammu_send,
	.free = gammu_free,
};
