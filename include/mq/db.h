/*
 * The one gateway to PostgreSQL (after pg_auto_failover's pgsql.c and psql's
 * AcceptResult): every statement goes through mq_db_query() with its
 * parameters passed separately (PQexecParams), every result is checked in
 * one place, and the SQLSTATE and the server's own words travel back to the
 * screen or command that asked.
 *
 * Connection follows libpq's usual rules: the configured conninfo or service,
 * then PGHOST/PGPORT/PGUSER/PGDATABASE and ~/.pgpass. When the server asks
 * for a password that nothing supplied, the caller may allow a prompt.
 */
#ifndef MQ_DB_H
#define MQ_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <libpq-fe.h>

struct mq_config;

/* An error from the server or the connection. Fields are owned by the struct. */
struct mq_db_error {
	char sqlstate[6]; /* "" when the error is not from the server */
	char *message;    /* primary message, in the server's language */
	char *detail;
	char *hint;
	char *column;  /* column the error concerns, when the server says */
	char *context; /* CONTEXT lines (the function or statement it failed in) */
	bool connection_lost;
};

void mq_db_error_clear(struct mq_db_error *err);

struct mq_db;

enum mq_db_prompt {
	MQ_DB_NO_PROMPT,     /* fail if a password is needed (scripts, tests) */
	MQ_DB_PROMPT_ON_TTY, /* ask on /dev/tty if the server wants a password */
};

/*
 * Connect using cfg (conninfo/service/timeout); application_name is set to
 * appname. On failure returns NULL and sets *cause (caller frees) to a message
 * naming the host or socket and quoting the server's words.
 */
struct mq_db *mq_db_connect(const struct mq_config *cfg, const char *appname,
			    enum mq_db_prompt prompt, char **cause);
void mq_db_close(struct mq_db *db);

/*
 * A second connection for the person of db (the reports' hot standby,
 * database.report_conninfo): conninfo says where (host, port, options, and
 * dbname when it differs); the login, the password db was opened with (typed
 * at the prompt or from ~/.pgpass) and the database are db's, so nothing is
 * asked again; connect_timeout is cfg's unless conninfo gives one. NULL with
 * *cause (caller frees; it never holds the password) when it fails. The
 * caller mq_db_close()s the result; db stays the caller's.
 */
struct mq_db *mq_db_connect_beside(const struct mq_config *cfg, struct mq_db *db,
				   const char *conninfo, const char *appname, char **cause);

/*
 * Ask on /dev/tty with echo off. NULL when there is no terminal or the answer
 * is empty. Caller frees (after scrubbing it with memset).
 */
char *mq_db_read_password(const char *prompt);

/* "socket /path port 5432" or "host h port p": where we (tried to) connect. Caller frees. */
char *mq_db_describe_target(struct mq_db *db);

/* --- what the connection is: for --check, the About screen and messages ------------- */

/* The login (PQuser) and the database name (PQdb); owned by db, never NULL. */
const char *mq_db_user(struct mq_db *db);
const char *mq_db_name(struct mq_db *db);

/*
 * A parameter the server reported at connection start (server_version,
 * is_superuser, ...), or NULL when it did not. Owned by db.
 */
const char *mq_db_parameter(struct mq_db *db, const char *name);

/* True when the server said is_superuser = on. */
bool mq_db_is_superuser(struct mq_db *db);

/* --- the state of the connection ------------------------------------------------------ */

/* True when the connection is gone (libpq's CONNECTION_BAD). */
bool mq_db_lost(struct mq_db *db);

/* The socket to poll() for input (or output while resetting); -1 when there is none. */
int mq_db_socket(struct mq_db *db);

/* The states of a reconnection in progress (libpq's PostgresPollingStatusType). */
enum mq_db_poll {
	MQ_DB_POLL_FAILED,
	MQ_DB_POLL_READING, /* wait until the socket is readable, then poll again */
	MQ_DB_POLL_WRITING, /* wait until the socket is writable, then poll again */
	MQ_DB_POLL_OK,      /* connected again */
};

/*
 * Reconnect without blocking (PQresetStart): false when the attempt failed
 * at once. Then wait as the last state says (MQ_DB_POLL_WRITING first) and
 * call mq_db_reset_poll() until it says OK or FAILED. The notice processor
 * set with mq_db_set_notice() stays; LISTENs do not survive (listen again).
 */
bool mq_db_reset_start(struct mq_db *db);
enum mq_db_poll mq_db_reset_poll(struct mq_db *db);

/*
 * Where the server's notices and warnings go (same signature as libpq's
 * PQnoticeProcessor; message ends in a newline). fn NULL restores libpq's
 * default (print on stderr); arg must live as long as fn is set.
 */
typedef void (*mq_db_notice_fn)(void *arg, const char *message);
void mq_db_set_notice(struct mq_db *db, mq_db_notice_fn fn, void *arg);

/* --- transactions, scripts, LISTEN ---------------------------------------------------- */

/*
 * BEGIN, COMMIT, ROLLBACK: 0, or -1 with *err filled (caller clears). For
 * mq_db_rollback() err may be NULL when the caller has already failed and
 * only needs the transaction gone (a failed ROLLBACK leaves nothing to undo).
 */
int mq_db_begin(struct mq_db *db, struct mq_db_error *err);
int mq_db_commit(struct mq_db *db, struct mq_db_error *err);
int mq_db_rollback(struct mq_db *db, struct mq_db_error *err);

/*
 * Run a script of several statements without parameters (a migration, the
 * demo data): every statement runs, the first error is kept. 0, or -1 with
 * *err whose detail says where in the script it failed (the server's detail,
 * a newline, its CONTEXT lines). Caller clears err.
 */
int mq_db_run_script(struct mq_db *db, struct mq_db_error *err, const char *sql);

/* LISTEN / UNLISTEN channel (quoted here): 0, or -1 with *err. */
int mq_db_listen(struct mq_db *db, struct mq_db_error *err, const char *channel);
int mq_db_unlisten(struct mq_db *db, struct mq_db_error *err, const char *channel);

/*
 * Read what arrived on the socket and hand every pending notification to
 * fn (fn may be NULL to drop them; channel and payload live for the call).
 * The number handed over, or -1 when the connection is lost.
 */
typedef void (*mq_db_notify_fn)(void *arg, const char *channel, const char *payload);
int mq_db_notifications(struct mq_db *db, mq_db_notify_fn fn, void *arg);

/* --- helpers ---------------------------------------------------------------------------- */

/* s quoted as an SQL identifier ("a""b"), by libpq's rules. Caller frees. */
char *mq_db_quote_ident(struct mq_db *db, const char *s);

/*
 * The server-side SCRAM verifier of password for user (PQencryptPasswordConn,
 * the server's password_encryption). NULL with *cause on failure. Caller
 * scrubs and frees the result.
 */
char *mq_db_encrypt_password(struct mq_db *db, const char *password, const char *user,
			     char **cause);

/*
 * Run one statement with text parameters. Returns the result (caller
 * PQclear()s) when it succeeded (COMMAND_OK or TUPLES_OK); on error returns
 * NULL and fills *err (caller calls mq_db_error_clear()).
 */
PGresult *mq_db_query(struct mq_db *db, struct mq_db_error *err, const char *sql, int nparams,
		      const char *const *params);

/*
 * As mq_db_query() with the type (a pg_type oid) of each parameter given,
 * for a value that must be read by one type's input function (the form
 * linter checks an option that way). types may hold 0 for "infer".
 */
PGresult *mq_db_query_typed(struct mq_db *db, struct mq_db_error *err, const char *sql, int nparams,
			    const unsigned int *types, const char *const *params);

/*
 * COPY ... FROM STDIN: run sql (a COPY statement without parameters), then
 * send what read() gives until it returns 0 (the end) or -1 (the input
 * failed: the COPY is abandoned, *err says so with cause_if_failed). read()
 * fills at most size bytes of buf and returns how many. 0, or -1 with *err
 * (its context names the line COPY stopped at). Caller clears err.
 */
typedef long (*mq_db_copy_read_fn)(void *arg, char *buf, size_t size);
int mq_db_copy_in(struct mq_db *db, struct mq_db_error *err, const char *sql,
		  mq_db_copy_read_fn read, void *arg, const char *cause_if_failed);

/* True inside a transaction block (where a failed statement needs a savepoint). */
bool mq_db_in_transaction(struct mq_db *db);

/* As mq_db_query() for statements whose rows do not matter: 0 or -1. */
int mq_db_exec(struct mq_db *db, struct mq_db_error *err, const char *sql, int nparams,
	       const char *const *params);

/*
 * Reading a result by column name, so that a reordered SELECT list cannot
 * feed one column's value to another. mq_db_col() is the column number of
 * name, or -1 (and a message on stderr naming the column and the query's
 * columns: a programming error, loud in every test). mq_db_field() is the
 * value at row (owned by res; "" for NULL as PQgetvalue gives), or NULL when
 * the column or row does not exist (with the same message).
 */
int mq_db_col(const PGresult *res, const char *name);
const char *mq_db_field(const PGresult *res, int row, const char *name);

/* A one-line message for err (caller frees): "message (SQLSTATE) detail". */
char *mq_db_error_text(const struct mq_db_error *err);

/* The schema version these programs were built for (the last migration). */
extern const int mq_schema_version;

/*
 * The hash of the function files these programs were built with
 * (schema/functions/, see src/tools/embed.c): 16 hexadecimal digits.
 */
extern const char mq_functions_hash[];

/*
 * Read the database's schema version into *version (0 when the version table
 * does not exist). -1 with *cause on error.
 */
int mq_db_schema_version(struct mq_db *db, int *version, char **cause);

/*
 * Read the hash of the function files last applied to the database into
 * *hash (caller frees; NULL when none were ever applied, as before schema
 * version 9). -1 with *cause on error.
 */
int mq_db_functions_hash(struct mq_db *db, char **hash, char **cause);

/*
 * 0 when the database is at mq_schema_version; otherwise -1 and *cause says
 * which version the database has and which one this program needs.
 */
int mq_db_require_version(struct mq_db *db, char **cause);

/*
 * 0 when the database is at mq_schema_version and its functions were last
 * applied from the same function files as this program's
 * (mq_functions_hash); otherwise -1 and *cause says what is wrong and that
 * `minqing-admin migrate` brings the database up to date.
 */
int mq_db_require_schema(struct mq_db *db, char **cause);

/* Who is logged in, as the database sees it (minqing.whoami()). */
struct mq_identity {
	char *login;        /* PostgreSQL role (session_user) */
	char *display_name; /* staff name, Chinese */
	char *duty;         /* officer | handler | supervisor | admin | kiosk */
	char *unit_code;
	char *unit_name;
	char *unit_kind;
	char *unit_level; /* district | town | village */
	char *district_name;
};

/* 0, or -1 with *cause (e.g. the role has no staff row). Free with _free(). */
int mq_db_whoami(struct mq_db *db, struct mq_identity *id, char **cause);
void mq_identity_free(struct mq_identity *id);

#endif
