/*
 * Unit tests for src/console/hints.c: a notification's payload is read as a
 * case id only when it is exactly one (anything else, the JSON of older
 * databases or a forgery, means "read again"), and the row of
 * minqing.my_news() is read by column name, whatever the order of its
 * columns, with the highest level raised announced. The rows are built with
 * libpq's PQmakeEmptyPGresult(), no server.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "console.h"
#include "hints.h"

static void test_case_id(void **state)
{
	long long id = -1;

	(void)state;
	assert_true(hint_case_id("12345", &id));
	assert_int_equal(id, 12345);
	assert_true(hint_case_id("1", &id));
	assert_int_equal(id, 1);
	assert_true(hint_case_id("999999999999999999", &id)); /* 18 digits */
	assert_int_equal(id, 999999999999999999LL);

	/* Not a case id: a hint to read everything again. */
	assert_false(hint_case_id("", &id));
	assert_false(hint_case_id(NULL, &id));
	assert_false(hint_case_id("0", &id));
	assert_false(hint_case_id("012", &id));
	assert_false(hint_case_id("-5", &id));
	assert_false(hint_case_id("+5", &id));
	assert_false(hint_case_id(" 5", &id));
	assert_false(hint_case_id("5 ", &id));
	assert_false(hint_case_id("5\n", &id));
	assert_false(hint_case_id("12a", &id));
	assert_false(hint_case_id("1e3", &id));
	assert_false(hint_case_id("9999999999999999999", &id)); /* 19 digits */
	assert_false(hint_case_id("99999999999999999999999999999999", &id));
	assert_false(hint_case_id("{\"case_id\" : 12345, \"event\" : \"warning\"}", &id));
	assert_false(hint_case_id("１２３", &id)); /* fullwidth digits */
}

static void test_concerns_case(void **state)
{
	(void)state;
	assert_true(hint_concerns_case("42", 42));
	assert_false(hint_concerns_case("43", 42));
	assert_false(hint_concerns_case("420", 42));
	assert_true(hint_concerns_case("", 42));
	assert_true(hint_concerns_case(NULL, 42));
	assert_true(hint_concerns_case("{\"case_id\" : 43}", 42)); /* unparsable: read again */
	assert_true(hint_concerns_case("forged", 42));
}

/* A one-row result with the given columns and values (NULL value: SQL NULL). */
static PGresult *row(int n, const char *const *names, const char *const *values)
{
	PGresAttDesc attrs[8];
	PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	int i;

	assert_non_null(res);
	assert_true(n <= 8);
	memset(attrs, 0, sizeof attrs);
	for (i = 0; i < n; i++) {
		attrs[i].name = (char *)names[i];
		attrs[i].typid = 20; /* int8; the reader goes by name, not type */
		attrs[i].typlen = -1;
		attrs[i].atttypmod = -1;
	}
	assert_int_equal(PQsetResultAttrs(res, n, attrs), 1);
	for (i = 0; i < n; i++)
		assert_int_equal(PQsetvalue(res, 0, i, (char *)values[i],
					    values[i] != NULL ? (int)strlen(values[i]) : -1),
				 1);
	return res;
}

static void test_news_by_name(void **state)
{
	static const char *const names[] = {"red", "last_event", "yellow", "orange"};
	static const char *const values[] = {"0", "123456", "4", "2"};
	struct news news;
	const char *level;
	long long count = -1;
	PGresult *res = row(4, names, values);

	(void)state;
	assert_int_equal(news_read(res, &news), 0);
	assert_true(news.known);
	assert_int_equal(news.last_event, 123456);
	assert_int_equal(news.yellow, 4);
	assert_int_equal(news.orange, 2);
	assert_int_equal(news.red, 0);
	level = news_level(&news, &count);
	assert_string_equal(level, "orange"); /* the highest level raised, its count */
	assert_int_equal(count, 2);
	PQclear(res);
}

static void test_news_levels(void **state)
{
	struct news news = {true, 9, 0, 0, 0};
	long long count = -1;

	(void)state;
	assert_null(news_level(&news, &count));
	assert_int_equal(count, 0);
	news.yellow = 3;
	assert_string_equal(news_level(&news, &count), "yellow");
	assert_int_equal(count, 3);
	news.red = 1;
	assert_string_equal(news_level(&news, &count), "red");
	assert_int_equal(count, 1);
}

static void test_news_refused(void **state)
{
	static const char *const names[] = {"last_event", "yellow", "orange", "red"};
	static const char *const no_red[] = {"last_event", "yellow", "orange", "cases"};
	static const char *const ok[] = {"7", "0", "0", "0"};
	static const char *const null_last[] = {NULL, "0", "0", "0"};
	static const char *const null_count[] = {"7", NULL, "0", "0"};
	static const char *const bad_count[] = {"7", "1; DROP", "0", "0"};
	static const char *const negative[] = {"7", "-1", "0", "0"};
	struct news news;
	PGresult *res;

	(void)state;
	assert_int_equal(news_read(NULL, &news), -1);
	res = row(4, no_red, ok); /* a column missing */
	assert_int_equal(news_read(res, &news), -1);
	PQclear(res);
	res = row(4, names, null_count);
	assert_int_equal(news_read(res, &news), -1);
	PQclear(res);
	res = row(4, names, bad_count);
	assert_int_equal(news_read(res, &news), -1);
	PQclear(res);
	res = row(4, names, negative);
	assert_int_equal(news_read(res, &news), -1);
	PQclear(res);
	/* No event yet: no baseline, asked again from the start. */
	res = row(4, names, null_last);
	assert_int_equal(news_read(res, &news), 0);
	assert_false(news.known);
	PQclear(res);
	/* No row at all. */
	res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	assert_int_equal(news_read(res, &news), -1);
	PQclear(res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_id),      cmocka_unit_test(test_concerns_case),
		cmocka_unit_test(test_news_by_name), cmocka_unit_test(test_news_levels),
		cmocka_unit_test(test_news_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
