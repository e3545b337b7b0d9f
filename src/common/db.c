/*
 * The database gateway: connecting by libpq's rules (with an optional
 * password prompt on the terminal), running parameterised statements,
 * turning every failure into a struct mq_db_error that carries the SQLSTATE
 * and the server's words, and the schema-version handshake every program
 * performs before it does anything else.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "mq/common.h"
#include "mq/config.h"
#include "mq/db.h"
#include "mq/i18n.h"

struct mq_db {
	PGconn *conn;
	/* libpq's own notice processor, restored by mq_db_set_notice(db, NULL, NULL). */
	PQnoticeProcessor default_notice;
	void *default_notice_arg;
};

void mq_db_error_clear(struct mq_db_error *err)
{
	free(err->message);
	free(err->detail);
	free(err->hint);
	free(err->column);
	free(err->context);
	memset(err, 0, sizeof *err);
}

static char *db_dup_field(const PGresult *res, int field)
{
	const char *v = PQresultErrorField(res, field);

	return v != NULL ? xstrdup(v) : NULL;
}

/* Strip the trailing newline libpq leaves on its messages (in place). */
static char *db_chomp(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	return s;
}

static void db_error_from(struct mq_db *db, struct mq_db_error *err, const PGresult *res);

static char *db_describe_conn(PGconn *conn)
{
	const char *host = PQhost(conn), *port = PQport(conn);

	if (host == NULL || *host == '\0')
		host = "/var/run/postgresql";
	if (host[0] == '/')
		return xasprintf(_("socket %s/.s.PGSQL.%s"), host, port != NULL ? port : "5432");
	return xasprintf(_("host %s port %s"), host, port != NULL ? port : "5432");
}

char *mq_db_read_password(const char *prompt)
{
	struct termios saved, quiet;
	char buf[256];
	int fd;
	FILE *tty;
	char *pw = NULL;

	fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	tty = fdopen(fd, "r+");
	if (tty == NULL) {
		close(fd);
		return NULL;
	}
	fputs(prompt, tty);
	fflush(tty);
	if (tcgetattr(fd, &saved) == 0) {
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	if (fgets(buf, sizeof buf, tty) != NULL) {
		buf[strcspn(buf, "\r\n")] = '\0';
		if (buf[0] != '\0')
			pw = xstrdup(buf);
	}
	tcsetattr(fd, TCSAFLUSH, &saved);
	fputc('\n', tty);
	memset(buf, 0, sizeof buf);
	fclose(tty);
	return pw;
}

/* Every connection's last parameters (3 entries from n on): its name, UTF-8, the end. */
static void db_params_end(const char **keys, const char **vals, int n, const char *appname)
{
	keys[n] = "fallback_application_name";
	vals[n++] = appname;
	keys[n] = "client_encoding";
	vals[n++] = "UTF8";
	keys[n] = NULL;
	vals[n] = NULL;
}

static PGconn *db_try_connect(const struct mq_config *cfg, const char *appname,
			      const char *password)
{
	const char *keys[8], *vals[8];
	char timeout[16];
	int n = 0;

	/* Earlier entries are overridden by later ones; "dbname" expands a conninfo. */
	if (cfg->db_service != NULL && cfg->db_service[0] != '\0') {
		keys[n] = "service";
		vals[n++] = cfg->db_service;
	}
	if (cfg->db_conninfo != NULL && cfg->db_conninfo[0] != '\0') {
		keys[n] = "dbname";
		vals[n++] = cfg->db_conninfo;
	}
	snprintf(timeout, sizeof timeout, "%d", cfg->db_connect_timeout);
	keys[n] = "connect_timeout";
	vals[n++] = timeout;
	if (password != NULL) {
		keys[n] = "password";
		vals[n++] = password;
	}
	db_params_end(keys, vals, n, appname);
	return PQconnectdbParams(keys, vals, 1);
}

/*
 * A connection attempt's result as our struct (owning conn), or NULL with
 * *cause naming where and quoting libpq (conn finished).
 */
static struct mq_db *db_wrap(PGconn *conn, char **cause)
{
	struct mq_db *db;

	if (PQstatus(conn) == CONNECTION_BAD) {
		char *msg = db_chomp(xstrdup(PQerrorMessage(conn))),
		     *where = db_describe_conn(conn);

		mq_fail(cause, _("cannot connect to the database at %s: %s"), where, msg);
		free(where);
		free(msg);
		PQfinish(conn);
		return NULL;
	}
	db = xcalloc(1, sizeof *db);
	db->conn = conn;
	/* With a NULL processor libpq only reports the current one. */
	db->default_notice = PQsetNoticeProcessor(conn, NULL, NULL);
	db->default_notice_arg = NULL;
	return db;
}

struct mq_db *mq_db_connect(const struct mq_config *cfg, const char *appname,
			    enum mq_db_prompt prompt, char **cause)
{
	PGconn *conn;
	char *pw;

	conn = db_try_connect(cfg, appname, NULL);
	if (conn == NULL)
		fatal("out of memory in libpq");
	if (PQstatus(conn) == CONNECTION_BAD && PQconnectionNeedsPassword(conn) &&
	    prompt == MQ_DB_PROMPT_ON_TTY) {
		char *question = xasprintf(_("Password for %s: "), PQuser(conn));

		pw = mq_db_read_password(question);
		free(question);
		if (pw != NULL) {
			PQfinish(conn);
			conn = db_try_connect(cfg, appname, pw);
			memset(pw, 0, strlen(pw));
			free(pw);
			if (conn == NULL)
				fatal("out of memory in libpq");
		}
	}
	return db_wrap(conn, cause);
}

struct mq_db *mq_db_connect_beside(const struct mq_config *cfg, struct mq_db *db,
				   const char *conninfo, const char *appname, char **cause)
{
	const char **keys, **vals;
	PQconninfoOption *opts, *o;
	char *errmsg = NULL, timeout[16];
	const char *pass = PQpass(db->conn);
	bool dbname = false, has_timeout = false;
	PGconn *conn;
	int n = 0, max = 8;

	opts = PQconninfoParse(conninfo, &errmsg);
	if (opts == NULL) {
		if (errmsg == NULL)
			fatal("out of memory parsing a connection string");
		mq_fail(cause, "%s", db_chomp(errmsg));
		PQfreemem(errmsg);
		return NULL;
	}
	for (o = opts; o->keyword != NULL; o++)
		max++;
	keys = xcalloc(max, sizeof *keys);
	vals = xcalloc(max, sizeof *vals);
	/* Where, from conninfo (the configuration refused a login or password in it). */
	for (o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL || strcmp(o->keyword, "user") == 0 ||
		    strcmp(o->keyword, "password") == 0)
			continue;
		dbname = dbname || strcmp(o->keyword, "dbname") == 0;
		has_timeout = has_timeout || strcmp(o->keyword, "connect_timeout") == 0;
		keys[n] = o->keyword;
		vals[n++] = o->val;
	}
	/* Who: the person of db, with the password db was opened with (never asked again). */
	keys[n] = "user";
	vals[n++] = PQuser(db->conn);
	if (pass != NULL && pass[0] != '\0') {
		keys[n] = "password";
		vals[n++] = pass;
	}
	if (!dbname) {
		keys[n] = "dbname";
		vals[n++] = PQdb(db->conn);
	}
	snprintf(timeout, sizeof timeout, "%d", cfg->db_connect_timeout);
	if (!has_timeout) {
		keys[n] = "connect_timeout";
		vals[n++] = timeout;
	}
	db_params_end(keys, vals, n, appname);
	/* expand_dbname 0: the values are values, none a connection string of its own. */
	conn = PQconnectdbParams(keys, vals, 0);
	/* keys and vals point into opts and db's connection: free the arrays only. */
	free(keys);
	free(vals);
	PQconninfoFree(opts);
	if (conn == NULL)
		fatal("out of memory in libpq");
	return db_wrap(conn, cause);
}

void mq_db_close(struct mq_db *db)
{
	if (db == NULL)
		return;
	PQfinish(db->conn);
	free(db);
}

char *mq_db_describe_target(struct mq_db *db)
{
	return db_describe_conn(db->conn);
}

const char *mq_db_user(struct mq_db *db)
{
	const char *v = PQuser(db->conn);

	return v != NULL ? v : "";
}

const char *mq_db_name(struct mq_db *db)
{
	const char *v = PQdb(db->conn);

	return v != NULL ? v : "";
}

const char *mq_db_parameter(struct mq_db *db, const char *name)
{
	return PQparameterStatus(db->conn, name);
}

bool mq_db_is_superuser(struct mq_db *db)
{
	const char *v = PQparameterStatus(db->conn, "is_superuser");

	return v != NULL && strcmp(v, "on") == 0;
}

bool mq_db_lost(struct mq_db *db)
{
	return PQstatus(db->conn) == CONNECTION_BAD;
}

int mq_db_socket(struct mq_db *db)
{
	return PQsocket(db->conn);
}

bool mq_db_reset_start(struct mq_db *db)
{
	return PQresetStart(db->conn) != 0;
}

enum mq_db_poll mq_db_reset_poll(struct mq_db *db)
{
	switch (PQresetPoll(db->conn)) {
	case PGRES_POLLING_OK:
		return MQ_DB_POLL_OK;
	case PGRES_POLLING_READING:
		return MQ_DB_POLL_READING;
	case PGRES_POLLING_WRITING:
		return MQ_DB_POLL_WRITING;
	default: /* FAILED, and the obsolete ACTIVE */
		return MQ_DB_POLL_FAILED;
	}
}

void mq_db_set_notice(struct mq_db *db, mq_db_notice_fn fn, void *arg)
{
	if (fn == NULL)
		PQsetNoticeProcessor(db->conn, db->default_notice, db->default_notice_arg);
	else
		PQsetNoticeProcessor(db->conn, fn, arg);
}

int mq_db_begin(struct mq_db *db, struct mq_db_error *err)
{
	return mq_db_exec(db, err, "BEGIN", 0, NULL);
}

int mq_db_commit(struct mq_db *db, struct mq_db_error *err)
{
	return mq_db_exec(db, err, "COMMIT", 0, NULL);
}

int mq_db_rollback(struct mq_db *db, struct mq_db_error *err)
{
	struct mq_db_error ignored;

	if (err != NULL)
		return mq_db_exec(db, err, "ROLLBACK", 0, NULL);
	if (mq_db_exec(db, &ignored, "ROLLBACK", 0, NULL) == 0)
		return 0;
	mq_db_error_clear(&ignored);
	return -1;
}

int mq_db_run_script(struct mq_db *db, struct mq_db_error *err, const char *sql)
{
	PGresult *res;
	int rc = 0;

	memset(err, 0, sizeof *err);
	/* PQsendQuery runs a multi-statement string; PQexecParams would refuse it. */
	if (!PQsendQuery(db->conn, sql)) {
		err->message = xstrdup(PQerrorMessage(db->conn));
		err->connection_lost = PQstatus(db->conn) == CONNECTION_BAD;
		return -1;
	}
	/* Every result must be read before the connection is usable again. */
	while ((res = PQgetResult(db->conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);

		if (rc == 0 && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
		    st != PGRES_EMPTY_QUERY) {
			rc = -1;
			db_error_from(db, err, res);
			/* Where in a long script it failed: the detail plus the context. */
			{
				char *detail =
					xasprintf("%s%s%s", err->detail != NULL ? err->detail : "",
						  err->context != NULL ? "\n" : "",
						  err->context != NULL ? err->context : "");

				free(err->detail);
				err->detail = detail;
			}
		}
		PQclear(res);
	}
	if (rc != 0)
		err->connection_lost = PQstatus(db->conn) == CONNECTION_BAD;
	return rc;
}

/* "LISTEN channel" or "UNLISTEN channel", the name quoted. */
static int db_listen_cmd(struct mq_db *db, struct mq_db_error *err, const char *verb,
			 const char *channel)
{
	char *name = mq_db_quote_ident(db, channel), *sql;
	int rc;

	sql = xasprintf("%s %s", verb, name);
	rc = mq_db_exec(db, err, sql, 0, NULL);
	free(sql);
	free(name);
	return rc;
}

int mq_db_listen(struct mq_db *db, struct mq_db_error *err, const char *channel)
{
	return db_listen_cmd(db, err, "LISTEN", channel);
}

int mq_db_unlisten(struct mq_db *db, struct mq_db_error *err, const char *channel)
{
	return db_listen_cmd(db, err, "UNLISTEN", channel);
}

int mq_db_notifications(struct mq_db *db, mq_db_notify_fn fn, void *arg)
{
	PGnotify *n;
	int count = 0;

	if (PQconsumeInput(db->conn) == 0 || PQstatus(db->conn) == CONNECTION_BAD)
		return -1;
	while ((n = PQnotifies(db->conn)) != NULL) {
		if (fn != NULL)
			fn(arg, n->relname, n->extra);
		PQfreemem(n);
		count++;
	}
	return count;
}

char *mq_db_quote_ident(struct mq_db *db, const char *s)
{
	char *q = PQescapeIdentifier(db->conn, s, strlen(s)), *out;

	if (q == NULL)
		fatal("out of memory quoting an identifier");
	out = xstrdup(q);
	PQfreemem(q);
	return out;
}

char *mq_db_encrypt_password(struct mq_db *db, const char *password, const char *user, char **cause)
{
	char *hash = PQencryptPasswordConn(db->conn, password, user, NULL), *out;

	if (hash == NULL) {
		mq_fail(cause, "%s", PQerrorMessage(db->conn));
		return NULL;
	}
	out = xstrdup(hash);
	memset(hash, 0, strlen(hash));
	PQfreemem(hash);
	return out;
}

/* Fill *err from a failed result (res may be NULL: libpq's own message then). */
static void db_error_from(struct mq_db *db, struct mq_db_error *err, const PGresult *res)
{
	if (res != NULL && PQresultErrorField(res, PG_DIAG_SQLSTATE) != NULL) {
		snprintf(err->sqlstate, sizeof err->sqlstate, "%s",
			 PQresultErrorField(res, PG_DIAG_SQLSTATE));
		err->message = db_dup_field(res, PG_DIAG_MESSAGE_PRIMARY);
		err->detail = db_dup_field(res, PG_DIAG_MESSAGE_DETAIL);
		err->hint = db_dup_field(res, PG_DIAG_MESSAGE_HINT);
		err->column = db_dup_field(res, PG_DIAG_COLUMN_NAME);
		err->context = db_dup_field(res, PG_DIAG_CONTEXT);
	}
	if (err->message == NULL)
		err->message = db_chomp(xstrdup(PQerrorMessage(db->conn)));
	err->connection_lost = PQstatus(db->conn) == CONNECTION_BAD;
}

PGresult *mq_db_query(struct mq_db *db, struct mq_db_error *err, const char *sql, int nparams,
		      const char *const *params)
{
	return mq_db_query_typed(db, err, sql, nparams, NULL, params);
}

bool mq_db_in_transaction(struct mq_db *db)
{
	return PQtransactionStatus(db->conn) == PQTRANS_INTRANS;
}

PGresult *mq_db_query_typed(struct mq_db *db, struct mq_db_error *err, const char *sql, int nparams,
			    const unsigned int *types, const char *const *params)
{
	PGresult *res;
	ExecStatusType st;

	memset(err, 0, sizeof *err);
	/* Oid is unsigned int in libpq (postgres_ext.h). */
	res = PQexecParams(db->conn, sql, nparams, types, params, NULL, NULL, 0);
	st = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	db_error_from(db, err, res);
	PQclear(res);
	return NULL;
}

int mq_db_copy_in(struct mq_db *db, struct mq_db_error *err, const char *sql,
		  mq_db_copy_read_fn read, void *arg, const char *cause_if_failed)
{
	PGresult *res;
	char buf[65536];
	long n;
	int rc = 0;

	memset(err, 0, sizeof *err);
	res = PQexec(db->conn, sql);
	if (res == NULL || PQresultStatus(res) != PGRES_COPY_IN) {
		db_error_from(db, err, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	/* In blocking mode PQputCopyData waits for room; -1 only when the connection failed. */
	while ((n = read(arg, buf, sizeof buf)) > 0)
		if (PQputCopyData(db->conn, buf, (int)n) != 1)
			break;
	/* The server ends the COPY with an error when told the input failed. */
	PQputCopyEnd(db->conn, n < 0 ? cause_if_failed : NULL);
	/* Every result must be read before the connection is usable again. */
	while ((res = PQgetResult(db->conn)) != NULL) {
		if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK) {
			rc = -1;
			db_error_from(db, err, res);
		}
		PQclear(res);
	}
	if (rc == 0 && n != 0) {
		rc = -1;
		db_error_from(db, err, NULL);
	}
	return rc;
}

int mq_db_exec(struct mq_db *db, struct mq_db_error *err, const char *sql, int nparams,
	       const char *const *params)
{
	PGresult *res = mq_db_query(db, err, sql, nparams, params);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int mq_db_col(const PGresult *res, const char *name)
{
	char *names;
	int i;

	/* Exactly the name (PQfnumber would fold case and strip quotes). */
	for (i = 0; i < PQnfields(res); i++)
		if (strcmp(PQfname(res, i), name) == 0)
			return i;
	/* A programming error (the query and its reader disagree): say which. */
	names = xstrdup("");
	for (i = 0; i < PQnfields(res); i++) {
		char *next = xasprintf("%s%s%s", names, i > 0 ? ", " : "", PQfname(res, i));

		free(names);
		names = next;
	}
	mq_warnx(_("internal error: the query has no column \"%s\" (its columns: %s)"), name,
		 names);
	free(names);
	return -1;
}

const char *mq_db_field(const PGresult *res, int row, const char *name)
{
	int col = mq_db_col(res, name);

	if (col < 0)
		return NULL;
	if (row < 0 || row >= PQntuples(res)) {
		mq_warnx(_("internal error: row %d of column \"%s\" asked, the query has %d rows"),
			 row, name, PQntuples(res));
		return NULL;
	}
	return PQgetvalue(res, row, col);
}

char *mq_db_error_text(const struct mq_db_error *err)
{
	const char *msg = err->message != NULL ? err->message : _("unknown error");

	if (err->connection_lost)
		return xasprintf(_("connection to the database lost: %s"), msg);
	if (err->detail != NULL && err->sqlstate[0] != '\0')
		return xasprintf("%s (%s) %s", msg, err->sqlstate, err->detail);
	if (err->sqlstate[0] != '\0')
		return xasprintf("%s (%s)", msg, err->sqlstate);
	return xstrdup(msg);
}

/* Run sql and set *cause from the error (caller frees the result). */
static PGresult *db_query_cause(struct mq_db *db, const char *sql, int nparams,
				const char *const *params, char **cause)
{
	struct mq_db_error err;
	PGresult *res = mq_db_query(db, &err, sql, nparams, params);

	if (res == NULL) {
		if (cause != NULL)
			*cause = mq_db_error_text(&err);
		mq_db_error_clear(&err);
	}
	return res;
}

int mq_db_schema_version(struct mq_db *db, int *version, char **cause)
{
	PGresult *res;

	bool exists;

	/* Two steps: a query naming a missing table fails at parse time. */
	res = db_query_cause(db, "SELECT to_regclass('minqing.schema_version') IS NOT NULL", 0,
			     NULL, cause);
	if (res == NULL)
		return -1;
	exists = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	*version = 0;
	if (!exists)
		return 0;
	res = db_query_cause(db, "SELECT coalesce(max(version), 0) FROM minqing.schema_version", 0,
			     NULL, cause);
	if (res == NULL)
		return -1;
	*version = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

int mq_db_functions_hash(struct mq_db *db, char **hash, char **cause)
{
	PGresult *res;
	bool exists;

	*hash = NULL;
	/* As above: the table arrived with schema version 9. */
	res = db_query_cause(db, "SELECT to_regclass('minqing.schema_functions') IS NOT NULL", 0,
			     NULL, cause);
	if (res == NULL)
		return -1;
	exists = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!exists)
		return 0;
	res = db_query_cause(
		db, "SELECT hash FROM minqing.schema_functions ORDER BY applied_id DESC LIMIT 1", 0,
		NULL, cause);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1)
		*hash = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

int mq_db_require_version(struct mq_db *db, char **cause)
{
	int version;

	if (mq_db_schema_version(db, &version, cause) != 0)
		return -1;
	if (version == mq_schema_version)
		return 0;
	if (version == 0)
		return mq_fail(cause,
			       _("the database has no Minqing schema; this program needs schema "
				 "version %d (run: minqing-admin migrate)"),
			       mq_schema_version);
	if (version < mq_schema_version)
		return mq_fail(cause,
			       _("the database schema is version %d but this program needs "
				 "version %d (run: minqing-admin migrate)"),
			       version, mq_schema_version);
	return mq_fail(cause,
		       _("the database schema is version %d, newer than this program knows "
			 "(version %d); install the newer programs"),
		       version, mq_schema_version);
}

int mq_db_require_schema(struct mq_db *db, char **cause)
{
	char *hash = NULL;
	int rc;

	if (mq_db_require_version(db, cause) != 0 || mq_db_functions_hash(db, &hash, cause) != 0)
		return -1;
	/* Functions of other files than ours: older or newer, we cannot tell. */
	if (hash != NULL && strcmp(hash, mq_functions_hash) == 0)
		rc = 0;
	else
		rc = mq_fail(
			cause,
			_("the database's functions are not those of this program (function "
			  "files %s, this program: %s); run: minqing-admin migrate, or install "
			  "the programs that match the database"),
			hash != NULL ? hash : _("never applied"), mq_functions_hash);
	free(hash);
	return rc;
}

int mq_db_whoami(struct mq_db *db, struct mq_identity *id, char **cause)
{
	PGresult *res;

	memset(id, 0, sizeof *id);
	res = db_query_cause(db,
			     "SELECT login, display_name, duty, unit_code, unit_name, unit_kind, "
			     "unit_level, district_name FROM minqing.whoami()",
			     0, NULL, cause);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return mq_fail(cause,
			       _("the account %s is not registered as staff of the e-station "
				 "(ask the administrator: minqing-admin user add)"),
			       mq_db_user(db));
	}
	id->login = xstrdup(mq_db_field(res, 0, "login"));
	id->display_name = xstrdup(mq_db_field(res, 0, "display_name"));
	id->duty = xstrdup(mq_db_field(res, 0, "duty"));
	id->unit_code = xstrdup(mq_db_field(res, 0, "unit_code"));
	id->unit_name = xstrdup(mq_db_field(res, 0, "unit_name"));
	id->unit_kind = xstrdup(mq_db_field(res, 0, "unit_kind"));
	id->unit_level = xstrdup(mq_db_field(res, 0, "unit_level"));
	id->district_name = xstrdup(mq_db_field(res, 0, "district_name"));
	PQclear(res);
	return 0;
}

void mq_identity_free(struct mq_identity *id)
{
	free(id->login);
	free(id->display_name);
	free(id->duty);
	free(id->unit_code);
	free(id->unit_name);
	free(id->unit_kind);
	free(id->unit_level);
	free(id->district_name);
	memset(id, 0, sizeof *id);
}
