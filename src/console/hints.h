/*
 * Notifications are hints (hints.c): what a payload names, and the news
 * (minqing.my_news()) read, not believed.
 */
#ifndef MQ_CONSOLE_HINTS_H
#define MQ_CONSOLE_HINTS_H

#include <stdbool.h>

#include <libpq-fe.h>

/* --- hints.c: notifications are hints; the news is read, not believed ---------------------- */

/*
 * The case a notification's payload names: true with *id when the payload is
 * a case id in decimal, false when it is empty or anything else (read it as
 * "several cases changed": read again whatever is shown).
 */
bool hint_case_id(const char *payload, long long *id);
/* Should a screen showing case_id read it again? Its id, or no id at all. */
bool hint_concerns_case(const char *payload, long long case_id);

/* One row of minqing.my_news(p_after_event). */
struct news {
	bool known;           /* last_event was given (not NULL) */
	long long last_event; /* the newest event: p_after_event of the next call */
	long long yellow;     /* warning events raised since p_after_event, */
	long long orange;     /* on cases the caller can see */
	long long red;
};
/* Read the row by column name: 0, or -1 when a column is missing or not a count. */
int news_read(const PGresult *res, struct news *news);
/* The highest level with a count ("red", "orange", "yellow") and *count; NULL when none. */
const char *news_level(const struct news *news, long long *count);

#endif
