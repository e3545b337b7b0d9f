/*
 * Where reports are read (database.report_conninfo, docs/reports.md "Hot
 * standby for reports"): a hot standby streaming from the primary, so that
 * counting a district's figures does not load the server the officers type
 * into. The standby is opened the first time a report reads, as the person
 * of the main connection (mq_db_connect_beside(): nothing is asked again),
 * and kept; a lost one is opened again at the next read. When the setting
 * is empty the reports read the main connection; when the standby cannot be
 * reached, they read the main connection too and the caller is told once
 * (a notice), until the standby has been back.
 *
 * Only reading goes there: a standby refuses every write, so forms and an
 * action's functions always use the main connection.
 */
#ifndef MQ_DB_REPORT_H
#define MQ_DB_REPORT_H

#include <libpq-fe.h>

#include "mq/db.h"

struct mq_config;
struct mq_report;

/* Seconds during which a standby that could not be reached is not tried again. */
#define MQ_REPORT_RETRY 30

/*
 * The reports' connections of a program: cfg and primary are the caller's
 * and must outlive the result; appname is the standby's application_name
 * (copied). Nothing is opened yet. mq_report_free() closes the standby.
 */
struct mq_report *mq_report_new(const struct mq_config *cfg, struct mq_db *primary,
				const char *appname);
void mq_report_free(struct mq_report *r);

/*
 * Where the server's notices on the standby go (as mq_db_set_notice(); fn
 * NULL: libpq's default); kept for the standby opened later.
 */
void mq_report_set_notice(struct mq_report *r, mq_db_notice_fn fn, void *arg);

/*
 * The connection a report reads now: the standby (opened, or opened again,
 * here), or the primary when none is configured or it cannot be reached.
 * When the standby fails for the first time since it last worked, *notice
 * (caller frees; else left NULL) says that the primary is read instead, and
 * why. Owned by r (the standby) or the caller (the primary): never close it.
 */
struct mq_db *mq_report_db(struct mq_report *r, char **notice);

/*
 * mq_db_query() on mq_report_db(): a standby lost on the way is opened once
 * more, or the primary asked instead, so a report never fails because of
 * the standby alone. *used (when not NULL) is the connection that answered,
 * to tell a lost primary. Ownership as mq_db_query(); *notice as above.
 */
PGresult *mq_report_query(struct mq_report *r, struct mq_db_error *err, const char *sql,
			  int nparams, const char *const *params, char **notice,
			  struct mq_db **used);

/* True when reports are read from a standby now (configured and open). */
bool mq_report_on_standby(const struct mq_report *r);

#endif
