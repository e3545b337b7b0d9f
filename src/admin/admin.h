/*
 * minqing-admin: the administration command line. One file per command
 * (admin-migrate.c, admin-demo.c, admin-user.c, admin-check.c), each exported
 * as a descriptor, as tmux does with its commands.
 */
#ifndef MQ_ADMIN_H
#define MQ_ADMIN_H

#include "mq/config.h"
#include "mq/db.h"

struct admin_ctx {
	struct mq_config cfg;
	const char *config_path; /* -c FILE or NULL */
};

struct admin_cmd {
	const char *name;
	const char *usage; /* English; translated when printed */
	const char *help;
	bool needs_schema; /* refuse a database at another schema version */
	/* Returns an enum mq_exit code. argv[0] is the command name. */
	int (*exec)(struct admin_ctx *ctx, struct mq_db *db, int argc, char **argv);
};

extern const struct admin_cmd admin_cmd_migrate;
extern const struct admin_cmd admin_cmd_demo_data;
extern const struct admin_cmd admin_cmd_user;
extern const struct admin_cmd admin_cmd_check;
extern const struct admin_cmd admin_cmd_stats;
extern const struct admin_cmd admin_cmd_import;

/* Print a database error as "minqing-admin: message" with detail and hint. */
void admin_db_error(const struct mq_db_error *err);

/* Is the connected role a superuser? */
bool admin_is_superuser(struct mq_db *db);

/* Run a script (several statements, simple protocol). 0 or -1 with err set. */
int admin_exec_script(struct mq_db *db, const char *sql, struct mq_db_error *err);

#endif
