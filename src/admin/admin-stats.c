/*
 * `minqing-admin stats [--unit CODE] [--from DATE] [--to DATE]`: the summary
 * of cases and messages for the caller's jurisdiction (minqing.case_stats),
 * one `name: value` line per figure so cron jobs and checks can read it.
 * The names are English and stable; the figures are the database's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "mq/common.h"
#include "mq/i18n.h"

/*
 * --from and --to are dates as PostgreSQL reads them (the query casts them
 * the same way), and the period they give must not end before it starts: a
 * usage error (exit 2), not a run printing zeros. MQ_EXIT_OK, or the code to
 * exit with after saying why.
 */
static int stats_check_period(struct mq_db *db, const char *from, const char *to)
{
	const char *params[2] = {from, to};
	struct mq_db_error err;
	PGresult *res;
	bool later;

	if (from == NULL && to == NULL)
		return MQ_EXIT_OK;
	res = mq_db_query(db, &err, "SELECT $1::date > $2::date", 2, params);
	if (res == NULL) {
		int rc = MQ_EXIT_FAILURE;

		/* class 22: invalid_datetime_format, datetime_field_overflow, ... */
		if (strncmp(err.sqlstate, "22", 2) == 0) {
			mq_warnx(_("not a date: %s (--from and --to take YYYY-MM-DD)"),
				 err.message);
			rc = MQ_EXIT_USAGE;
		} else {
			admin_db_error(&err);
		}
		mq_db_error_clear(&err);
		return rc;
	}
	later = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (later) {
		mq_warnx(_("--from %s is later than --to %s: the period would be empty"), from, to);
		return MQ_EXIT_USAGE;
	}
	return MQ_EXIT_OK;
}

static int stats_exec(struct admin_ctx *ctx MQ_UNUSED, struct mq_db *db, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"unit", required_argument, NULL, 'u'},
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	const char *params[3] = {NULL, NULL, NULL};
	struct mq_db_error err;
	PGresult *res;
	int c, i;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'u':
			params[0] = optarg;
			break;
		case 'f':
			params[1] = optarg;
			break;
		case 't':
			params[2] = optarg;
			break;
		default:
			mq_warnx(_("usage: minqing-admin stats [--unit CODE] [--from DATE] [--to "
				   "DATE]"));
			return MQ_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		mq_warnx(_("usage: minqing-admin stats [--unit CODE] [--from DATE] [--to DATE]"));
		return MQ_EXIT_USAGE;
	}
	if ((c = stats_check_period(db, params[1], params[2])) != MQ_EXIT_OK)
		return c;
	res = mq_db_query(db, &err,
			  "SELECT name, value FROM minqing.case_stats($1, $2::date, $3::date)", 3,
			  params);
	if (res == NULL) {
		admin_db_error(&err);
		mq_db_error_clear(&err);
		return MQ_EXIT_FAILURE;
	}
	for (i = 0; i < PQntuples(res); i++)
		printf("%s: %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
	PQclear(res);
	return MQ_EXIT_OK;
}

const struct admin_cmd admin_cmd_stats = {
	.name = "stats",
	.usage = N_("stats [--unit CODE] [--from DATE] [--to DATE]"),
	.help = N_("figures of cases and messages in your jurisdiction"),
	.needs_schema = true,
	.exec = stats_exec,
};
