/*
 * Unit tests for the report charts (src/common/chart.c): sparklines of
 * PostgreSQL arrays, bars of exactly their width, changes with arrows, in
 * Unicode and in ASCII; malformed input shown as nothing, never guessed at;
 * and the chart columns of a view (mq_view_chart).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mq/chart.h"
#include "mq/view.h"
#include "mq/width.h"

#define CHECK_STR(call, want)                                                                      \
	do {                                                                                       \
		char *got_ = (call);                                                               \
		assert_string_equal(got_, want);                                                   \
		free(got_);                                                                        \
	} while (0)

static void test_spark(void **state)
{
	(void)state;
	CHECK_STR(mq_chart_spark("{0,1,2,3,4,5,6,7}", false), " ▂▃▄▅▆▇█");
	CHECK_STR(mq_chart_spark("{0,1,2,3,4,5,6,7}", true), " .-:=+*#");
	/* NULL and zero are blank, the largest is the full block */
	CHECK_STR(mq_chart_spark("{NULL,10,0}", false), " █ ");
	/* the smallest value above zero is still seen */
	CHECK_STR(mq_chart_spark("{1,1000}", false), "▁█");
	CHECK_STR(mq_chart_spark("{2.5,5.0}", true), "=#");
	CHECK_STR(mq_chart_spark("{0,0}", false), "  ");
	CHECK_STR(mq_chart_spark("{}", false), "");
}

static void test_spark_malformed(void **state)
{
	static const char *const bad[] = {
		NULL,   "",      "{",   "}",    "{1,2",    "1,2}",    "{1,,2}", "{a}",
		"{1}x", "{1e5}", "{-}", "{1.}", "{\"1\"}", "{{1,2}}", "{1, 2}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK_STR(mq_chart_spark(bad[i], false), "");
}

static void test_spark_width(void **state)
{
	char buf[1024], *s;
	int i;

	(void)state;
	/* 12 months are 12 columns */
	s = mq_chart_spark("{5,3,0,NULL,9,1,2,8,7,6,4,3}", false);
	assert_int_equal(mq_strwidth(s), 12);
	free(s);
	/* more than MQ_CHART_SPARK_MAX values: the first ones */
	strcpy(buf, "{1");
	for (i = 1; i < MQ_CHART_SPARK_MAX + 10; i++)
		strcat(buf, ",1");
	strcat(buf, "}");
	s = mq_chart_spark(buf, true);
	assert_int_equal(strlen(s), MQ_CHART_SPARK_MAX);
	free(s);
}

static void test_bar(void **state)
{
	(void)state;
	CHECK_STR(mq_chart_bar("50", 100, 4, false), "██  ");
	CHECK_STR(mq_chart_bar("100", 100, 4, false), "████");
	CHECK_STR(mq_chart_bar("150", 100, 4, false), "████");
	CHECK_STR(mq_chart_bar("0", 100, 4, false), "    ");
	CHECK_STR(mq_chart_bar("96.2", 100, 10, false), "█████████▋");
	CHECK_STR(mq_chart_bar("96.2", 100, 10, true), "#########=");
	CHECK_STR(mq_chart_bar("25", 100, 10, true), "##=       ");
	/* a tiny value is not invisible */
	CHECK_STR(mq_chart_bar("0.01", 100, 4, false), "▏   ");
	CHECK_STR(mq_chart_bar(NULL, 100, 3, false), "   ");
	CHECK_STR(mq_chart_bar("x", 100, 3, false), "   ");
	CHECK_STR(mq_chart_bar("-5", 100, 3, false), "   ");
	CHECK_STR(mq_chart_bar("5", 0, 3, false), "   ");
}

static void test_bar_width(void **state)
{
	char value[16], *s;
	int v, w;

	(void)state;
	for (w = 1; w <= 12; w++)
		for (v = 0; v <= 100; v += 7) {
			snprintf(value, sizeof value, "%d", v);
			s = mq_chart_bar(value, 100, w, false);
			assert_int_equal(mq_strwidth(s), w);
			free(s);
			s = mq_chart_bar(value, 100, w, true);
			assert_int_equal(strlen(s), (size_t)w);
			free(s);
		}
}

static void test_delta(void **state)
{
	(void)state;
	CHECK_STR(mq_chart_delta("112", "100", false), "↑12");
	CHECK_STR(mq_chart_delta("97", "100", false), "↓3");
	CHECK_STR(mq_chart_delta("100", "100", false), "→0");
	CHECK_STR(mq_chart_delta("96.2", "94.7", false), "↑1.5");
	CHECK_STR(mq_chart_delta("96.2", "94.7", true), "+1.5");
	CHECK_STR(mq_chart_delta("90", "94.7", true), "-4.7");
	CHECK_STR(mq_chart_delta("94.70", "94.7", true), "=0.00");
	CHECK_STR(mq_chart_delta("5", NULL, false), "");
	CHECK_STR(mq_chart_delta(NULL, "5", false), "");
	CHECK_STR(mq_chart_delta("5", "", false), "");
	CHECK_STR(mq_chart_delta("-3", "2", false), "↓5");
}

static void test_number(void **state)
{
	double d;
	int dec;

	(void)state;
	assert_true(mq_chart_number("12.50", &d, &dec));
	assert_true(d == 12.5);
	assert_int_equal(dec, 2);
	assert_true(mq_chart_number("-7", &d, &dec));
	assert_int_equal(dec, 0);
	assert_false(mq_chart_number("NaN", &d, &dec));
	assert_false(mq_chart_number("Infinity", &d, &dec));
	assert_false(mq_chart_number("1e3", &d, &dec));
	assert_false(mq_chart_number(" 1", &d, &dec));
	assert_false(mq_chart_number(".5", &d, &dec));
}

static void test_charts_ascii(void **state)
{
	(void)state;
	assert_true(mq_charts_ascii("ascii", "xterm-256color"));
	assert_false(mq_charts_ascii("unicode", "linux"));
	assert_true(mq_charts_ascii("auto", "linux"));
	assert_true(mq_charts_ascii("auto", "vt100"));
	assert_false(mq_charts_ascii("auto", "tmux-256color"));
	assert_false(mq_charts_ascii("auto", NULL));
}

static void test_view_chart(void **state)
{
	struct mq_view_column col = {0};

	(void)state;
	col.min = 6;
	col.format = MQ_VIEW_TEXT;
	assert_null(mq_view_chart(&col, "5", NULL, 10, false));
	col.format = MQ_VIEW_BAR;
	CHECK_STR(mq_view_chart(&col, "5", NULL, 10, false), "███   ");
	col.scale = 20;
	CHECK_STR(mq_view_chart(&col, "5", NULL, 10, true), "#=    ");
	col.format = MQ_VIEW_DELTA;
	CHECK_STR(mq_view_chart(&col, "5", "3", 0, false), "↑2");
	col.format = MQ_VIEW_SPARK;
	CHECK_STR(mq_view_chart(&col, "{1,2}", NULL, 0, true), "=#");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spark),       cmocka_unit_test(test_spark_malformed),
		cmocka_unit_test(test_spark_width), cmocka_unit_test(test_bar),
		cmocka_unit_test(test_bar_width),   cmocka_unit_test(test_delta),
		cmocka_unit_test(test_number),      cmocka_unit_test(test_charts_ascii),
		cmocka_unit_test(test_view_chart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
