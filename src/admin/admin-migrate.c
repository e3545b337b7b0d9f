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

/* Say why a transaction failed (what failed: a migration or a function file) and undo it. */
static void migrate_failed(struct mq_db *db, struct mq_db_error *err, const char *what, bool file,
			   int version)
{
	if (file)
		mq_warnx(_("function file %s failed; the database stays at version %d"),
			 what != NULL ? what : "schema_functions", version);
	else
		mq_warnx(_("migration %s failed; the database stays at version %d"), what, version);
	admin_db_error(err);
	mq_db_error_clear(err);
	mq_db_rollback(db, NULL);
}

/*
 * One migration in its own transaction, with the function files after it
 * when it is the last one. 0, or -1 after saying why (rolled back).
 */
static int migrate_one(struct mq_db *db, const struct mq_migration *m, bool with_functions,
		       int version)
{
	struct mq_db_error err;
	const char *failed = m->name;
	const char *params[2];
	char vbuf[16];
	double t0 = migrate_now();

	snprintf(vbuf, sizeof vbuf, "%d", m->version);
	params[0] = vbuf;
	params[1] = m->name;
	if (mq_db_begin(db, &err) != 0 || admin_exec_script(db, m->sql, &err) != 0 ||
	    mq_db_exec(db, &err,
		       "INSERT INTO minqing.schema_version (version, name) VALUES ($1, $2)", 2,
		       params) != 0 ||
	    (with_functions && migrate_functions(db, m->version, &err, &failed) != 0) ||
	    mq_db_commit(db, &err) != 0) {
		/* failed moves on from m->name only in migrate_functions(). */
		migrate_failed(db, &err, failed, failed != m->name, version);
		return -1;
	}
	printf(_("applied %s (%.2f s)\n"), m->name, migrate_now() - t0);
	return 0;
}

/* The function files alone, in a transaction of their own. 0, or -1 after saying why. */
static int migrate_functions_only(struct mq_db *db, int version)
{
	struct mq_db_error err;
	const char *failed = NULL;
	double t0 = migrate_now();

	if (mq_db_begin(db, &err) != 0 || migrate_functions(db, version, &err, &failed) != 0 ||
	    mq_db_commit(db, &err) != 0) {
		mq_warnx(_("function file %s failed; the functions stay as they were"),
			 failed != NULL ? failed : "schema_functions");
		admin_db_error(&err);
		mq_db_error_clear(&err);
		mq_db_rollback(db, NULL);
		return -1;
	}
	printf(_("applied the function files %s (%.2f s)\n"), mq_functions_hash,
	       migrate_now() - t0);
	return 0;
}

/*
 * Before anything is applied: a superuser, the lock that keeps two migrates
 * apart, a version this program knows, and whether the function files must
 * be applied (their hash differs). -1 to go on, or the exit code.
 */
static int migrate_start(struct mq_db *db, int *version, bool *functions)
{
	struct mq_db_error err;
	char *cause = NULL, *hash = NULL;

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
	if (mq_db_schema_version(db, version, &cause) != 0 ||
	    mq_db_functions_hash(db, &hash, &cause) != 0) {
		mq_warnx("%s", cause);
		free(cause);
		return MQ_EXIT_FAILURE;
	}
	if (*version > mq_schema_version) {
		mq_warnx(_("the database schema is version %d, newer than this program knows "
			   "(version %d); install the newer programs"),
			 *version, mq_schema_version);
		free(hash);
		return MQ_EXIT_SCHEMA;
	}
	*functions = hash == NULL || strcmp(hash, mq_functions_hash) != 0;
	free(hash);
	return -1;
}

static int migrate_exec(struct admin_ctx *ctx MQ_UNUSED, struct mq_db *db, int argc,
			char **argv MQ_UNUSED)
{
	int version, applied = 0, rc;
	size_t i, last = 0;
	bool functions = false;

	if (argc > 1) {
		mq_warnx(_("usage: minqing-admin migrate"));
		return MQ_EXIT_USAGE;
	}
	if ((rc = migrate_start(db, &version, &functions)) >= 0)
		return rc;
	/*
	 * After any migration too: one may have dropped a view or function to
	 * change a table, which only the files create again.
	 */
	for (i = 0; i < mq_nmigrations; i++)
		if (mq_migrations[i].version > version) {
			functions = true;
			last = i;
		}
	for (i = 0; i < mq_nmigrations; i++) {
		if (mq_migrations[i].version <= version)
			continue;
		if (migrate_one(db, &mq_migrations[i], i == last, version) != 0)
			return MQ_EXIT_FAILURE;
		version = mq_migrations[i].version;
		applied++;
	}
	if (functions && applied == 0 && migrate_functions_only(db, version) != 0)
		return MQ_EXIT_FAILURE;
	if (functions && applied > 0)
		printf(_("applied the function files %s\n"), mq_functions_hash);
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
