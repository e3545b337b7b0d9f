/*
 * `minqing-admin check`: is this database healthy for the e-station? Prints
 * one `name: value` line per figure, so cron jobs and monitoring can read it,
 * and exits 1 when any integrity problem is found in the caller's scope.
 */
#include <stdio.h>
#include <stdlib.h>

#include "admin.h"
#include "mq/common.h"
#include "mq/i18n.h"

static int check_exec(struct admin_ctx *ctx MQ_UNUSED, struct mq_db *db, int argc,
		      char **argv MQ_UNUSED)
{
	struct mq_db_error err;
	PGresult *res;
	long problems = 0;
	int i;

	if (argc > 1) {
		mq_warnx(_("usage: minqing-admin check"));
		return MQ_EXIT_USAGE;
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
	admin_db_error(&err);
	mq_db_error_clear(&err);
	return MQ_EXIT_FAILURE;
}

const struct admin_cmd admin_cmd_check = {
	.name = "check",
	.usage = N_("check"),
	.help = N_("check the schema version and the integrity of the data"),
	.needs_schema = true,
	.exec = check_exec,
};
