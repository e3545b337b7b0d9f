/*
 * `minqing-admin migrate`: bring the database to the schema version and the
 * function files of this build. Each migration runs in its own transaction
 * together with its row in minqing.schema_version, so a failure leaves the
 * database at the previous version, never in between. The function files
 * (schema/functions/, in name order) are then applied in the transaction of
 * the last migration, or in one of their own when no migration was pending,
 * whenever a migration was applied or the hash recorded in
 * minqing.schema_functions is not this build's; their row there is written in
 * the same transaction. An advisory lock keeps two migrations apart.
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

/*
 * Apply every function file in order and record their hash at version, in
 * the caller's transaction. 0, or -1 with *err set and *failed naming the
 * file (or NULL when recording the hash failed).
 */
static int migrate_functions(struct mq_db *db, int version, struct mq_db_error *err,
			     const char **failed)
{
	char vbuf[16];
	const char *params[2];
	size_t i;

	for (i = 0; i < mq_nfunction_files; i++) {
		*failed = mq_function_files[i].name;
		if (admin_exec_script(db, mq_function_files[i].sql, err) != 0)
			return -1;
	}
	*failed = NULL;
	snprintf(vbuf, sizeof vbuf, "%d", version);
	params[0] = mq_functions_hash;
	params[1] = vbuf;
	/* The files end with RESET ROLE: this row is written by the migrating superuser. */
	return mq_db_exec(db, err,
			  "INSERT INTO minqing.schema_functions (hash, version) VALUES ($1, $2)", 2,
			  params);
}

static void migrate_rollback(struct mq_db *db)
{
	struct mq_db_error ignored;

	if (mq_db_exec(db, &ignored, "ROLLBACK", 0, NULL) != 0)
		mq_db_error_clear(&ignored);
}

static int migrate_exec(struct admin_ctx *ctx MQ_UNUSED, struct mq_db *db, int argc,
			char **argv MQ_UNUSED)
{
	struct mq_db_error err;
	char *cause = NULL, *hash = NULL;
	const char *failed = NULL;
	int version, applied = 0;
	size_t i, last = 0;
	bool functions;
	double t0;

	if (argc > 1) {
		mq_warnx(_("usage: minqing-admin migrate"));
		return MQ_EXIT_USAGE;
	}
	if (!admin_is_superuser(db)) {
		mq_warnx(_("migrate must run as a superuser (the database administrator's "
			   "account at the database host), not as %s"),
			 mq_db_user(db));
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
	if (mq_db_functions_hash(db, &hash, &cause) != 0) {
		mq_warnx("%s", cause);
		free(cause);
		return MQ_EXIT_FAILURE;
	}
	/*
	 * After any migration too: one may have dropped a view or function to
	 * change a table, which only the files create again.
	 */
	functions = hash == NULL || strcmp(hash, mq_functions_hash) != 0;
	free(hash);
	for (i = 0; i < mq_nmigrations; i++)
		if (mq_migrations[i].version > version) {
			functions = true;
			last = i;
		}
	for (i = 0; i < mq_nmigrations; i++) {
		const struct mq_migration *m = &mq_migrations[i];
		char vbuf[16];
		const char *params[2];

		if (m->version <= version)
			continue;
		t0 = migrate_now();
		snprintf(vbuf, sizeof vbuf, "%d", m->version);
		params[0] = vbuf;
		params[1] = m->name;
		failed = m->name;
		if (mq_db_exec(db, &err, "BEGIN", 0, NULL) != 0 ||
		    admin_exec_script(db, m->sql, &err) != 0 ||
		    mq_db_exec(db, &err,
			       "INSERT INTO minqing.schema_version (version, name) VALUES ($1, $2)",
			       2, params) != 0 ||
		    (i == last && migrate_functions(db, m->version, &err, &failed) != 0) ||
		    mq_db_exec(db, &err, "COMMIT", 0, NULL) != 0) {
			/* failed moves on from m->name only in migrate_functions(). */
			if (failed != m->name)
				mq_warnx(_("function file %s failed; the database stays at version "
					   "%d"),
					 failed != NULL ? failed : "schema_functions", version);
			else
				mq_warnx(_("migration %s failed; the database stays at version %d"),
					 m->name, version);
			admin_db_error(&err);
			mq_db_error_clear(&err);
			migrate_rollback(db);
			return MQ_EXIT_FAILURE;
		}
		version = m->version;
		applied++;
		printf(_("applied %s (%.2f s)\n"), m->name, migrate_now() - t0);
	}
	if (functions && applied == 0) {
		t0 = migrate_now();
		if (mq_db_exec(db, &err, "BEGIN", 0, NULL) != 0 ||
		    migrate_functions(db, version, &err, &failed) != 0 ||
		    mq_db_exec(db, &err, "COMMIT", 0, NULL) != 0) {
			mq_warnx(_("function file %s failed; the functions stay as they were"),
				 failed != NULL ? failed : "schema_functions");
			admin_db_error(&err);
			mq_db_error_clear(&err);
			migrate_rollback(db);
			return MQ_EXIT_FAILURE;
		}
		printf(_("applied the function files %s (%.2f s)\n"), mq_functions_hash,
		       migrate_now() - t0);
	} else if (functions) {
		printf(_("applied the function files %s\n"), mq_functions_hash);
	}
	if (applied == 0 && !functions)
		printf(_("schema is at version %d; nothing to do\n"), version);
	else
		printf(_("schema is now at version %d\n"), version);
	return MQ_EXIT_OK;
}

const struct admin_cmd admin_cmd_migrate = {
	.name = "migrate",
	.usage = N_("migrate"),
	.help = N_("apply the schema migrations and function files this build carries"),
	.needs_schema = false,
	.exec = migrate_exec,
};
