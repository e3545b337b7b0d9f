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
#include <libpq-fe.h>

struct mq_config;

/* An error from the server or the connection. Fields are owned by the struct. */
struct mq_db_error {
	char sqlstate[6]; /* "" when the error is not from the server */
	char *message;    /* primary message, in the server's language */
	char *detail;
	char *hint;
	char *column; /* column the error concerns, when the server says */
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
 * Ask on /dev/tty with echo off. NULL when there is no terminal or the answer
 * is empty. Caller frees (after scrubbing it with memset).
 */
char *mq_db_read_password(const char *prompt);
PGconn *mq_db_conn(struct mq_db *db);

/* "socket /path port 5432" or "host h port p": where we tried to connect. */
char *mq_db_describe_target(PGconn *conn);

/*
 * Run one statement with text parameters. Returns the result (caller
 * PQclear()s) when it succeeded (COMMAND_OK or TUPLES_OK); on error returns
 * NULL and fills *err (caller calls mq_db_error_clear()).
 */
PGresult *mq_db_query(struct mq_db *db, struct mq_db_error *err, const char *sql, int nparams,
		      const char *const *params);

/* As mq_db_query() for statements whose rows do not matter: 0 or -1. */
int mq_db_exec(struct mq_db *db, struct mq_db_error *err, const char *sql, int nparams,
	       const char *const *params);

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
