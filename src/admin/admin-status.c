/*
 * `minqing-admin status [--format text|csv|json] [--output FILE]`: the
 * screen 运行状态 of the console's system administration menu
 * (forms/ops.view: the escalation job, the SMS outbox, the database and
 * its largest tables, replication, sessions by duty; docs/operations.md)
 * for the administrator's shell and for monitoring. It is `report status`
 * under a name of its own: the same view, the same reader.
 */
#include <stdlib.h>

#include "admin.h"
#include "mq/common.h"
#include "mq/i18n.h"

static int status_exec(struct admin_ctx *ctx, struct mq_db *db, int argc, char **argv)
{
	/* "report" "status" and the options given; args holds argv's strings, not copies. */
	char **args = xcalloc((size_t)argc + 2, sizeof *args);
	int i, rc;

	args[0] = "report";
	args[1] = "status";
	for (i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	rc = admin_cmd_report.exec(ctx, db, argc + 1, args);
	free(args);
	return rc;
}

const struct admin_cmd admin_cmd_status = {
	.name = "status",
	.usage = N_("status [--format text|csv|json] [--output FILE]"),
	.help = N_("the jobs, the SMS outbox, the database, replication and sessions (the "
		   "console's system status)"),
	.needs_schema = true,
	.exec = status_exec,
};
