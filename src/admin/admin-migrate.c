/*
 * `minqing-admin migrate`: bring the database to the schema version of this
 * build. Each migration runs in its own transaction together with its row in
 * minqing.schema_version, so a failure leaves the database at the previous
 * version, never in between. An advisory lock keeps two migrations apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/migrations.h"

#define MIGRATE_LOCK "SELECT pg_advisory_lock(hashtext('minqing.migrate'))"

static double migrate_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int migrate_exec(struct admin_ctx *ctx MQ_UNUSED, struct mq_db *db, int argc,
			char **argv MQ_UNUSED)
{
	struct mq_db_error err;
	char *cause = NULL;
	int version, applied = 0;
	size_t i;

	if (argc > 1) {
		mq_warnx(_("usage: minqing-admin migrate"));
		return MQ_EXIT_USAGE;
	}
	if (!admin_is_superuser(db)) {
		mq_warnx(_("migrate must run as a superuser (the database administrator's "
			   "account at the database host), not as %s"),
			 PQuser(mq_db_conn(db)));
		return MQ_EXIT_FAILURE;
	}
	if (mq_db_exec(db, &err, MIGRATE_LOCK, 0, NULL) != 0) {
		admin_db_error(&err);
		mq_db_error_clear(&err);
		return MQ_EXIT_FAILURE;
	}
	if (mq_db_schema_version(db, &version, &cause) != 0) {
		mq_warnx("%s", cause);
		free(cause);
		return MQ_EXIT_FAILURE;
	}
	if (version > mq_schema_version) {
		mq_warnx(_("the database schema is version %d, newer than this program knows "
			   "(version %d); install the newer programs"),
			 version, mq_schema_version);
		return MQ_EXIT_SCHEMA;
	}
	for (i = 0; i < mq_nmigrations; i++) {
		const struct mq_migration *m = &mq_migrations[i];
		char vbuf[16];
		const char *params[2];
		double t0;

		if (m->version <= version)
			continue;
		t0 = migrate_now();
		snprintf(vbuf, sizeof vbuf, "%d", m->version);
		params[0] = vbuf;
		params[1] = m->name;
		if (mq_db_exec(db, &err, "BEGIN", 0, NULL) != 0 ||
		    admin_exec_script(db, m->sql, &err) != 0 ||
		    mq_db_exec(db, &err,
			       "INSERT INTO minqing.schema_version (version, name) VALUES ($1, $2)",
			       2, params) != 0 ||
		    mq_db_exec(db, &err, "COMMIT", 0, NULL) != 0) {
			struct mq_db_error ignored;

			mq_warnx(_("migration %s failed; the database stays at version %d"),
				 m->name, version);
			admin_db_error(&err);
			mq_db_error_clear(&err);
			if (mq_db_exec(db, &ignored, "ROLLBACK", 0, NULL) != 0)
				mq_db_error_clear(&ignored);
			return MQ_EXIT_FAILURE;
		}
		version = m->version;
		applied++;
		printf(_("applied %s (%.2f s)\n"), m->name, migrate_now() - t0);
	}
	if (applied == 0)
		printf(_("schema is at version %d; nothing to do\n"), version);
	else
		printf(_("schema is now at version %d\n"), version);
	return MQ_EXIT_OK;
}

const struct admin_cmd admin_cmd_migrate = {
	.name = "migrate",
	.usage = N_("migrate"),
	.help = N_("apply the schema migrations this build carries"),
	.needs_schema = false,
	.exec = migrate_exec,
};
