/*
 * `minqing-admin demo-data [--scale N] [--seed S]`: load the demo district
 * (the embedded scripts of schema/demo) into an empty database, in one transaction.
 * The scripts are set-based and read the scale and seed from the settings
 * minqing_demo.scale and minqing_demo.seed; the same seed gives the same
 * district. Needs a superuser: the scripts create login roles and load the
 * bulk of the rows with session_replication_role = replica, which turns off
 * every trigger including the foreign-key checks, so the scripts fill path
 * and district themselves and get every reference right by construction
 * (tests/cli/admin_cli.sh and `minqing-admin check` verify the result).
 * The audit trail gets one IMPORT row instead of one per row.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/migrations.h"

static double demo_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void demo_rollback(struct mq_db *db)
{
	mq_db_rollback(db, NULL);
}

static void demo_summary(struct mq_db *db)
{
	struct mq_db_error err;
	PGresult *res;
	int i;

	res = mq_db_query(
		db, &err,
		"SELECT 'units ' || kind, count(*) FROM minqing.org_unit GROUP BY kind "
		"UNION ALL SELECT 'stations ' || kind, count(*) FROM minqing.station "
		"GROUP BY kind UNION ALL SELECT 'staff ' || duty, count(*) FROM "
		"minqing.staff GROUP BY duty UNION ALL SELECT 'households', count(*) FROM "
		"minqing.household UNION ALL SELECT 'residents', count(*) FROM "
		"minqing.resident UNION ALL SELECT 'party members', count(*) FROM "
		"minqing.party_member UNION ALL SELECT 'villager representatives', "
		"count(*) FROM minqing.villager_representative UNION ALL SELECT "
		"'household links', count(*) FROM minqing.household_link ORDER BY 1",
		0, NULL);
	if (res == NULL) {
		admin_db_error(&err);
		mq_db_error_clear(&err);
		return;
	}
	for (i = 0; i < PQntuples(res); i++)
		printf("%s: %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
	PQclear(res);
}

/* Over 80 lines on purpose: options, then the one transaction of every script, in order. */
static int demo_exec(struct admin_ctx *ctx MQ_UNUSED, struct mq_db *db, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"scale", required_argument, NULL, 's'},
		{"seed", required_argument, NULL, 'S'},
		{NULL, 0, NULL, 0},
	};
	struct mq_db_error err;
	const char *scale = "1", *seed = "1";
	const char *params[2];
	PGresult *res;
	double t0, scale_value;
	char *end;
	size_t i;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			scale = optarg;
			break;
		case 'S':
			seed = optarg;
			break;
		default:
			mq_warnx(_("usage: minqing-admin demo-data [--scale N] [--seed S]"));
			return MQ_EXIT_USAGE;
		}
	}
	scale_value = strtod(scale, &end);
	if (*end != '\0' || scale_value < 0.01 || scale_value > 100) {
		mq_warnx(_("--scale must be a number from 0.01 to 100, not \"%s\""), scale);
		return MQ_EXIT_USAGE;
	}
	(void)strtol(seed, &end, 10);
	if (*seed == '\0' || *end != '\0') {
		mq_warnx(_("--seed must be a whole number, not \"%s\""), seed);
		return MQ_EXIT_USAGE;
	}
	if (!mq_db_is_superuser(db)) {
		mq_warnx(_("demo-data must run as a superuser: it creates the demo login roles"));
		return MQ_EXIT_FAILURE;
	}
	res = mq_db_query(db, &err, "SELECT count(*) FROM minqing.org_unit", 0, NULL);
	if (res == NULL) {
		admin_db_error(&err);
		mq_db_error_clear(&err);
		return MQ_EXIT_FAILURE;
	}
	if (atol(PQgetvalue(res, 0, 0)) != 0) {
		PQclear(res);
		mq_warnx(_("the database already holds a district; demo data goes into an "
			   "empty database (./dev.sh reset recreates the demo database)"));
		return MQ_EXIT_FAILURE;
	}
	PQclear(res);

	t0 = demo_now();
	params[0] = scale;
	params[1] = seed;
	if (mq_db_begin(db, &err) != 0 ||
	    mq_db_exec(db, &err,
		       "SELECT set_config('minqing_demo.scale', $1, true), "
		       "set_config('minqing_demo.seed', $2, true)",
		       2, params) != 0)
		goto failed;
	for (i = 0; i < mq_ndemo_scripts; i++) {
		double ts = demo_now();

		if (mq_db_run_script(db, &err, mq_demo_scripts[i].sql) != 0) {
			mq_warnx(_("demo script %s failed; nothing was loaded"),
				 mq_demo_scripts[i].name);
			goto failed;
		}
		printf(_("ran %s (%.2f s)\n"), mq_demo_scripts[i].name, demo_now() - ts);
	}
	/* (The scripts analyse what they load: it commits with fresh statistics.) */
	if (mq_db_commit(db, &err) != 0)
		goto failed;
	demo_summary(db);
	printf(_("demo district loaded at scale %s, seed %s in %.2f s\n"), scale, seed,
	       demo_now() - t0);
	return MQ_EXIT_OK;

failed:
	admin_db_error(&err);
	mq_db_error_clear(&err);
	demo_rollback(db);
	return MQ_EXIT_FAILURE;
}

const struct admin_cmd admin_cmd_demo_data = {
	.name = "demo-data",
	.usage = N_("demo-data [--scale N] [--seed S]"),
	.help = N_("load the demo district into an empty database"),
	.needs_schema = true,
	.exec = demo_exec,
};
