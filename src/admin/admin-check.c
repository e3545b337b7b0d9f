/*
 * `minqing-admin check`: is this database healthy for the e-station? Prints
 * one `name: value` line per figure, so cron jobs and monitoring can read it,
 * and exits 1 when any integrity problem is found in the caller's scope. It
 * needs the schema version of this build but not its function files: stale
 * functions are reported as a problem (run migrate), not refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "mq/common.h"
#include "mq/i18n.h"

static int check_exec(struct admin_ctx *ctx MQ_UNUSED, struct mq_db *db, int argc,
		      char **argv MQ_UNUSED)
{
	struct mq_db_error err;
	PGresult *res;
	char *cause = NULL, *hash = NULL;
	long problems = 0;
	int i;

	if (argc > 1) {
		mq_warnx(_("usage: minqing-admin check"));
		return MQ_EXIT_USAGE;
	}
	if (mq_db_require_version(db, &cause) != 0 ||
	    mq_db_functions_hash(db, &hash, &cause) != 0) {
		mq_warnx("%s", cause);
		free(cause);
		/* As mq_program_connect(): a connection gone by now is 3, whatever the step. */
		return mq_db_lost(db) ? MQ_EXIT_CONNECT : MQ_EXIT_SCHEMA;
	}
	res = mq_db_query(db, &err,
			  "SELECT current_database(), session_user, "
			  "(SELECT max(version) FROM minqing.schema_version), "
			  "current_setting('server_version')",
			  0, NULL);
	if (res == NULL)
		goto failed;
	printf("database: %s\naccount: %s\nschema version: %s\nserver version: %s\n",
	       PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
	       PQgetvalue(res, 0, 3));
	PQclear(res);
	/* The line of the database, and a problem when it is not this build's. */
	printf("function files: %s\n", hash != NULL ? hash : "-");
	if (hash == NULL || strcmp(hash, mq_functions_hash) != 0) {
		mq_warnx(_("the database's functions are not those of this program (function files "
			   "%s, this program: %s); run: minqing-admin migrate"),
			 hash != NULL ? hash : _("never applied"), mq_functions_hash);
		printf("stale function files: 1\n");
		problems++;
	}
	free(hash);
	hash = NULL;

	res = mq_db_query(db, &err, "SELECT problem, n FROM minqing.integrity_report", 0, NULL);
	if (res == NULL)
		goto failed;
	for (i = 0; i < PQntuples(res); i++) {
		printf("%s: %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
		problems += atol(PQgetvalue(res, i, 1));
	}
	PQclear(res);
	printf("status: %s\n", problems == 0 ? "ok" : "problems");
	return problems == 0 ? MQ_EXIT_OK : MQ_EXIT_FAILURE;

failed:
	free(hash);
	admin_db_error(&err);
	mq_db_error_clear(&err);
	return MQ_EXIT_FAILURE;
}

const struct admin_cmd admin_cmd_check = {
	.name = "check",
	.usage = N_("check"),
	.help = N_("check the schema version and the integrity of the data"),
	/* mq_db_require_version() above: stale functions are a finding here. */
	.needs_schema = false,
	.exec = check_exec,
};
