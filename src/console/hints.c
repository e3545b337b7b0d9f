/*
 * Notifications are hints, never data. Anyone who can connect can send a
 * notification on minqing_case with any payload, so the console takes one
 * only as a reason to read again, through its own row-level security: the
 * payload is the id of the case that changed (decimal text) or empty
 * ("several changed"), and anything else is read as empty. What is announced
 * in the status line (a warning reached in the person's jurisdiction) comes
 * from minqing.my_news(), never from the payload.
 *
 * No terminal here (tests/unit/test_hints.c links this file alone).
 */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "console.h"
#include "hints.h"

bool hint_case_id(const char *payload, long long *id)
{
	long long v = 0;
	const char *p;

	if (payload == NULL || payload[0] == '\0' || payload[0] == '0')
		return false;
	for (p = payload; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || p - payload >= 18)
			return false; /* not a case id: a hint to read everything again */
		v = v * 10 + (*p - '0');
	}
	*id = v;
	return true;
}

bool hint_concerns_case(const char *payload, long long case_id)
{
	long long id;

	return !hint_case_id(payload, &id) || id == case_id;
}

/* A non-negative integer column of row 0 by name; -1 when missing, NULL or not a number. */
static long long news_column(const PGresult *res, const char *name)
{
	int col = PQfnumber(res, name);
	const char *v, *p;
	long long n = 0;

	if (col < 0 || PQgetisnull(res, 0, col))
		return -1;
	v = PQgetvalue(res, 0, col);
	if (v[0] == '\0')
		return -1;
	for (p = v; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || p - v >= 18)
			return -1;
		n = n * 10 + (*p - '0');
	}
	return n;
}

int news_read(const PGresult *res, struct news *news)
{
	long long last, yellow, orange, red;

	if (res == NULL || PQntuples(res) != 1)
		return -1;
	yellow = news_column(res, "yellow");
	orange = news_column(res, "orange");
	red = news_column(res, "red");
	if (yellow < 0 || orange < 0 || red < 0)
		return -1;
	/* A sequence never used has no last event yet: keep asking from the start. */
	last = news_column(res, "last_event");
	news->known = last >= 0;
	news->last_event = last >= 0 ? last : 0;
	news->yellow = yellow;
	news->orange = orange;
	news->red = red;
	return 0;
}

const char *news_level(const struct news *news, long long *count)
{
	if (news->red > 0) {
		*count = news->red;
		return "red";
	}
	if (news->orange > 0) {
		*count = news->orange;
		return "orange";
	}
	if (news->yellow > 0) {
		*count = news->yellow;
		return "yellow";
	}
	*count = 0;
	return NULL;
}
