/*
 * The reports' connection (mq/db-report.h): a hot standby when
 * database.report_conninfo names one, else the primary; the standby opened
 * lazily, kept, opened again after a loss, and the primary read instead
 * while it cannot be reached (tried again every MQ_REPORT_RETRY seconds).
 */
#include <stdlib.h>
#include <time.h>

#include "mq/common.h"
#include "mq/config.h"
#include "mq/db-report.h"
#include "mq/db.h"
#include "mq/i18n.h"

struct mq_report {
	const struct mq_config *cfg; /* the caller's */
	struct mq_db *primary;       /* the caller's */
	struct mq_db *standby;       /* owned; NULL until opened, or after it failed */
	char *appname;               /* owned */
	mq_db_notice_fn notice_fn;   /* for the standby: the caller's, or NULL */
	void *notice_arg;
	time_t failed_at; /* the last attempt to open the standby failed then (0: none) */
	bool told;        /* the caller was told the primary is read instead */
};

struct mq_report *mq_report_new(const struct mq_config *cfg, struct mq_db *primary,
				const char *appname)
{
	struct mq_report *r = xcalloc(1, sizeof *r);

	r->cfg = cfg;
	r->primary = primary;
	r->appname = xstrdup(appname);
	return r;
}

void mq_report_free(struct mq_report *r)
{
	if (r == NULL)
		return;
	mq_db_close(r->standby);
	free(r->appname);
	free(r);
}

void mq_report_set_notice(struct mq_report *r, mq_db_notice_fn fn, void *arg)
{
	r->notice_fn = fn;
	r->notice_arg = arg;
	if (r->standby != NULL)
		mq_db_set_notice(r->standby, fn, arg);
}

bool mq_report_on_standby(const struct mq_report *r)
{
	return r->standby != NULL && !mq_db_lost(r->standby);
}

/*
 * Open the standby as the primary's person, with the primary's schema (a
 * standby behind a migration is not read) and its session's time zone (the
 * district's, as the console set it). 0, or -1 with *cause.
 */
static int report_open(struct mq_report *r, char **cause)
{
	struct mq_db_error err = {0};
	const char *tz = mq_db_parameter(r->primary, "TimeZone");

	r->standby = mq_db_connect_beside(r->cfg, r->primary, r->cfg->db_report_conninfo,
					  r->appname, cause);
	if (r->standby == NULL)
		return -1;
	if (r->notice_fn != NULL)
		mq_db_set_notice(r->standby, r->notice_fn, r->notice_arg);
	if (mq_db_require_schema(r->standby, cause) != 0)
		goto fail;
	if (tz != NULL &&
	    mq_db_exec(r->standby, &err, "SELECT set_config('TimeZone', $1, false)", 1, &tz) != 0) {
		*cause = mq_db_error_text(&err);
		mq_db_error_clear(&err);
		goto fail;
	}
	return 0;
fail:
	mq_db_close(r->standby);
	r->standby = NULL;
	return -1;
}

struct mq_db *mq_report_db(struct mq_report *r, char **notice)
{
	char *cause = NULL;
	time_t now;

	if (r->cfg->db_report_conninfo == NULL || r->cfg->db_report_conninfo[0] == '\0')
		return r->primary;
	if (r->standby != NULL && !mq_db_lost(r->standby))
		return r->standby;
	now = time(NULL);
	if (r->failed_at != 0 && now - r->failed_at < MQ_REPORT_RETRY)
		return r->primary;
	/* Lost (a restart, a failover) or never opened: a new session. */
	mq_db_close(r->standby);
	r->standby = NULL;
	if (report_open(r, &cause) == 0) {
		r->failed_at = 0;
		r->told = false;
		return r->standby;
	}
	r->failed_at = now;
	if (!r->told) {
		r->told = true;
		*notice = xasprintf(_("The reports' standby cannot be reached; reading from the "
				      "primary instead (%s)"),
				    cause);
	}
	free(cause);
	return r->primary;
}

PGresult *mq_report_query(struct mq_report *r, struct mq_db_error *err, const char *sql,
			  int nparams, const char *const *params, char **notice,
			  struct mq_db **used)
{
	struct mq_db *db = mq_report_db(r, notice);
	PGresult *res = mq_db_query(db, err, sql, nparams, params);

	if (res == NULL && db != r->primary && mq_db_lost(db)) {
		/* The standby went away under the query: once more, wherever it goes now. */
		mq_db_error_clear(err);
		db = mq_report_db(r, notice);
		res = mq_db_query(db, err, sql, nparams, params);
	}
	if (used != NULL)
		*used = db;
	return res;
}
