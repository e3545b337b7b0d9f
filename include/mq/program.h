/*
 * How every program (minqing, minqing-admin, minqing-escalate,
 * minqing-notify) gets from its loaded configuration to a usable database
 * connection, and which exit code each failure on the way gives. The
 * codes are enum mq_exit (mq/common.h), explained in one table in
 * docs/development.md ("Exit codes"); the programs' --help repeat it.
 *
 * The configuration is loaded by each program itself, before this, because
 * it decides the language of every message (and --help-config needs no
 * database); a bad configuration is MQ_EXIT_USAGE there.
 */
#ifndef MQ_PROGRAM_H
#define MQ_PROGRAM_H

#include <stdbool.h>

#include "mq/db.h"

struct mq_config;

/*
 * Load the configuration (mq_config_load(): the defaults, the system and the
 * user's file, then path if not NULL) and switch the messages to its
 * language; when a file is wrong, say so in the language loaded so far and
 * free cfg. MQ_EXIT_OK, or MQ_EXIT_USAGE after the message.
 */
int mq_program_config(struct mq_config *cfg, const char *path);

/* What a program needs of its connection. */
struct mq_program_db {
	const char *appname;      /* application_name, e.g. "minqing-escalate" */
	enum mq_db_prompt prompt; /* may a password be asked on the terminal */
	bool schema;              /* refuse a database at another schema version */
	/* Not NULL: read who is logged in (minqing.whoami()) into it; free with mq_identity_free().
	 */
	struct mq_identity *identity;
};

/*
 * Connect, check the schema version (when how->schema) and read the
 * identity (when how->identity). Returns an enum mq_exit:
 *
 *   MQ_EXIT_OK       *dbp is the connection (caller mq_db_close()s it)
 *   MQ_EXIT_CONNECT  the server cannot be reached or refuses the login, or
 *                    the connection was lost at any later step (a schema
 *                    check that never got its answer is not a mismatch)
 *   MQ_EXIT_SCHEMA   the database is at another schema version (or has none)
 *   MQ_EXIT_FAILURE  the account is not staff of the e-station
 *
 * On failure *dbp is NULL and *cause (caller frees) is the message to show.
 */
int mq_program_connect(const struct mq_config *cfg, const struct mq_program_db *how,
		       struct mq_db **dbp, char **cause);

#endif
