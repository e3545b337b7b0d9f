/*
 * How current a report is: minqing.report_as_of() read through the
 * reports' connection just before the report's own rows (so the rows are at
 * least that current), and the heading it makes — 数据截至 14:03:07, and on
 * a hot standby that lags by more than CONSOLE_LAG_SHOWN seconds 延迟 12 秒.
 * Times are the district's: the console set TZ (console_time_zone()).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "mq/common.h"
#include "mq/i18n.h"

bool console_as_of_lags(const struct console_as_of *a)
{
	return a->standby && (!a->known || a->lag > CONSOLE_LAG_SHOWN);
}

void console_as_of_read(struct console *c, struct console_as_of *a)
{
	struct mq_db_error err = {0};
	const char *at, *lag, *standby;
	PGresult *res;

	memset(a, 0, sizeof *a);
	res = console_report_query(c, "report.as_of", &err,
				   "SELECT extract(epoch FROM a.as_of)::bigint AS at, "
				   "       extract(epoch FROM a.lag)::bigint AS lag, a.on_standby "
				   "  FROM minqing.report_as_of() a",
				   0, NULL);
	if (res == NULL) {
		/* The heading goes without it; the report's own query says what is wrong. */
		mq_db_error_clear(&err);
		return;
	}
	at = mq_db_field(res, 0, "at");
	lag = mq_db_field(res, 0, "lag");
	standby = mq_db_field(res, 0, "on_standby");
	if (PQntuples(res) == 1) {
		a->read = true;
		a->standby = standby != NULL && strcmp(standby, "t") == 0;
		/* NULL: a standby that has replayed nothing since it started and does not stream.
		 */
		a->known = at != NULL && at[0] != '\0';
		a->at = a->known ? (time_t)strtoll(at, NULL, 10) : 0;
		a->lag = a->known && lag != NULL ? strtoll(lag, NULL, 10) : 0;
	}
	PQclear(res);
}

char *console_as_of_text(const struct console_as_of *a)
{
	char when[32];
	struct tm tm, today;
	time_t now = mq_now();

	if (!a->read)
		return xstrdup("");
	if (!a->known)
		return xstrdup(_("As of: unknown (the standby's lag is unknown)"));
	localtime_r(&a->at, &tm);
	localtime_r(&now, &today);
	strftime(when, sizeof when,
		 tm.tm_year == today.tm_year && tm.tm_yday == today.tm_yday ? "%H:%M:%S"
									    : "%Y-%m-%d %H:%M:%S",
		 &tm);
	if (console_as_of_lags(a))
		return xasprintf(_("As of %s   lag %lld s"), when, a->lag);
	return xasprintf(_("As of %s"), when);
}
