/*
 * Unit tests for the pure parts of the console's list widget
 * (src/console/listfmt.c): how columns share the width (at 80 columns, too
 * narrow, without weights), rows fitted by display width with Chinese cut
 * at a character boundary with "…", the filter's matching, the countdowns
 * in English and in Chinese ("2天3小时", "超期5小时"), state names and warning
 * letters, how a search typed in Find cases is read, and the end of a
 * case number prefix's range.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "vocab.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

#define ELL "\xE2\x80\xA6" /* U+2026 */

/* The columns of My inbox (screen-inbox.c), as a realistic set. */
static const struct list_column inbox_like[] = {
	{"", 1, 0, -1, false, TTY_NORMAL},        {"Case no.", 14, 0, -1, true, TTY_NORMAL},
	{"Status", 10, 0, -1, false, TTY_NORMAL}, {"Due", 12, 1, -1, true, TTY_NORMAL},
	{"Title", 12, 6, -1, false, TTY_NORMAL},  {"Submitter", 6, 1, -1, false, TTY_NORMAL},
	{"Unit", 8, 2, -1, false, TTY_NORMAL},    {"Handler", 6, 1, -1, false, TTY_NORMAL},
};
#define NINBOX ((int)MQ_NITEMS(inbox_like))

static int total_of(const int *w, int n, int gap)
{
	int i, sum = 0, visible = 0;

	for (i = 0; i < n; i++)
		if (w[i] > 0) {
			sum += w[i];
			visible++;
		}
	return sum + (visible > 1 ? (visible - 1) * gap : 0);
}

/* No U+FFFD in s: nothing was cut inside a character or made invalid. */
static void assert_clean_utf8(const char *s)
{
	size_t len = strlen(s), k;
	wchar_t wc;

	while (len > 0) {
		k = mq_utf8_decode(s, len, &wc);
		assert_int_not_equal(wc, 0xFFFD);
		s += k;
		len -= k;
	}
}

static void test_widths_80(void **state)
{
	int w[NINBOX], i;

	(void)state;
	listfmt_widths(inbox_like, NINBOX, 80, 1, w);
	assert_int_equal(total_of(w, NINBOX, 1), 80);
	for (i = 0; i < NINBOX; i++)
		assert_true(w[i] >= inbox_like[i].min);
	/* 80 - 7 gaps - 69 of minimums = 4 spare, by weight 1:6:1:2:1 (of 11): 2 to
	   the title, and the remainder a column at a time from the left. */
	assert_int_equal(w[0], 1);
	assert_int_equal(w[1], 14);
	assert_int_equal(w[2], 10);
	assert_int_equal(w[3], 13);
	assert_int_equal(w[4], 15);
	assert_int_equal(w[5], 6);
	assert_int_equal(w[6], 8);
	assert_int_equal(w[7], 6);
}

static void test_widths_wide_and_exact(void **state)
{
	int w[NINBOX], total;

	(void)state;
	for (total = 76; total <= 300; total++) {
		listfmt_widths(inbox_like, NINBOX, total, 1, w);
		assert_int_equal(total_of(w, NINBOX, 1), total);
	}
	listfmt_widths(inbox_like, NINBOX, 200, 1, w);
	/* The title has the largest weight: it takes the most. */
	assert_true(w[4] > w[6] && w[6] > w[5]);
	assert_int_equal(w[1], 14); /* no weight: stays at its minimum */
}

static void test_widths_narrow(void **state)
{
	int w[NINBOX];

	(void)state;
	/* 1+14+10+12+12 and 4 gaps = 53; the submitter would make it 60. */
	listfmt_widths(inbox_like, NINBOX, 58, 1, w);
	assert_int_equal(w[5], 0);
	assert_int_equal(w[6], 0);
	assert_int_equal(w[7], 0);
	assert_int_equal(total_of(w, NINBOX, 1), 58);
	assert_int_equal(w[3], 13); /* 5 spare: 4 to the title (6/7), 1 left over */
	assert_int_equal(w[4], 16);
	listfmt_widths(inbox_like, NINBOX, 60, 1, w);
	assert_int_equal(w[5], 6);
	assert_int_equal(w[6], 0);
	/* Not even the first column: it gets what there is. */
	listfmt_widths(inbox_like + 1, 1, 5, 1, w);
	assert_int_equal(w[0], 5);
}

static void test_widths_no_weight(void **state)
{
	static const struct list_column cols[] = {
		{"a", 3, 0, -1, false, TTY_NORMAL},
		{"b", 4, 0, -1, false, TTY_NORMAL},
	};
	int w[2];

	(void)state;
	listfmt_widths(cols, 2, 20, 2, w);
	assert_int_equal(w[0], 3);
	assert_int_equal(w[1], 15);
}

static void test_row_chinese(void **state)
{
	static const struct list_column cols[] = {
		{"", 1, 0, -1, false, TTY_NORMAL},
		{"", 9, 0, -1, false, TTY_NORMAL},
		{"", 8, 0, -1, false, TTY_NORMAL},
		{"", 6, 0, 1, false, TTY_NORMAL},
	};
	const char *cells[] = {"R", "宅基地界址纠纷", "宅基地界址纠纷", "12"};
	int w[] = {1, 9, 8, 6};
	char *line;

	(void)state;
	line = listfmt_row(cols, cells, w, 4, 1);
	/* 9 columns: four characters and the ellipsis; 8: three, ellipsis, a blank. */
	assert_string_equal(line, "R 宅基地界" ELL " 宅基地" ELL "      12");
	assert_int_equal(mq_strwidth(line), 1 + 9 + 8 + 6 + 3);
	assert_clean_utf8(line);
	free(line);
}

static void test_row_80_columns(void **state)
{
	const char *cells[] = {"O",
			       "LW-2026-000947",
			       "waiting for the resident",
			       "overdue 12d 23h",
			       "村务公开不及时，村民多次反映未果",
			       "欧阳晓明",
			       "区自然资源和规划局",
			       NULL};
	int w[NINBOX], cut;
	char *line;

	(void)state;
	listfmt_widths(inbox_like, NINBOX, 80, 1, w);
	line = listfmt_row(inbox_like, cells, w, NINBOX, 1);
	assert_int_equal(mq_strwidth(line), 80);
	assert_clean_utf8(line);
	/* Every cut cell ends with the ellipsis, none with half a character. */
	cut = 0;
	for (const char *p = line; (p = strstr(p, ELL)) != NULL; p += 3)
		cut++;
	assert_true(cut >= 4);
	assert_non_null(strstr(line, "LW-2026-000947"));
	free(line);
	/* An odd width after a Chinese character is padded, not split. */
	{
		static const struct list_column one[] = {{"", 5, 0, -1, false, TTY_NORMAL}};
		const char *c1[] = {"路灯不亮"};
		int w1[] = {5};

		line = listfmt_row(one, c1, w1, 1, 1);
		assert_string_equal(line, "路灯" ELL);
		free(line);
	}
}

static void test_match(void **state)
{
	const char *cells[] = {"Y", "LW-2026-000947", NULL, "村务公开不及时"};

	(void)state;
	assert_true(listfmt_match(cells, 4, ""));
	assert_true(listfmt_match(cells, 4, NULL));
	assert_true(listfmt_match(cells, 4, "公开"));
	assert_true(listfmt_match(cells, 4, "lw-2026"));
	assert_true(listfmt_match(cells, 4, "000947"));
	assert_false(listfmt_match(cells, 4, "路灯"));
	assert_false(listfmt_match(cells, 4, "公开公开"));
	/* Only the cells given: a hidden cell beyond ncells is not searched. */
	assert_false(listfmt_match(cells, 3, "公开"));
}

static void use_language(const char *lang)
{
	setenv("MINQING_LOCALEDIR", MQ_TEST_LOCALEDIR, 1);
	mq_i18n_init(lang);
}

static void check_text(char *got, const char *want)
{
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_countdown_english(void **state)
{
	time_t now = 1800000000;

	(void)state;
	use_language("en");
	check_text(listfmt_countdown(now + 2 * 86400 + 3 * 3600 + 59, now), "2d 3h");
	check_text(listfmt_countdown(now + 2 * 86400 + 120, now), "2d");
	check_text(listfmt_countdown(now + 5 * 3600 + 10 * 60, now), "5h 10m");
	check_text(listfmt_countdown(now + 3600, now), "1h");
	check_text(listfmt_countdown(now + 12 * 60 + 30, now), "12m");
	check_text(listfmt_countdown(now + 20, now), "<1m");
	check_text(listfmt_countdown(now - 5 * 3600, now), "overdue 5h");
	check_text(listfmt_countdown(now - 3 * 86400 - 7200, now), "overdue 3d 2h");
	check_text(listfmt_countdown(now - 59, now), "overdue <1m");
	check_text(listfmt_duration(-90 * 60), "1h 30m");
	assert_string_equal(vocab_status_label("in_progress"), "in progress");
	assert_string_equal(vocab_status_label("someday"), "someday");
}

static void test_countdown_chinese(void **state)
{
	time_t now = 1800000000;

	(void)state;
	use_language("zh_CN");
	check_text(listfmt_countdown(now + 2 * 86400 + 3 * 3600, now), "2天3小时");
	check_text(listfmt_countdown(now + 2 * 86400, now), "2天");
	check_text(listfmt_countdown(now + 5 * 3600 + 10 * 60, now), "5小时10分");
	check_text(listfmt_countdown(now + 12 * 60, now), "12分钟");
	check_text(listfmt_countdown(now - 5 * 3600, now), "超期5小时");
	check_text(listfmt_countdown(now - 86400 - 3600, now), "超期1天1小时");
	assert_string_equal(vocab_status_label("in_progress"), "办理中");
	use_language("en");
}

static void test_marker_and_role(void **state)
{
	(void)state;
	assert_string_equal(vocab_warning_marker("yellow"), "Y");
	assert_string_equal(vocab_warning_marker("orange"), "O");
	assert_string_equal(vocab_warning_marker("red"), "R");
	assert_string_equal(vocab_warning_marker("none"), "");
	assert_string_equal(vocab_warning_marker(NULL), "");
	assert_int_equal(vocab_warning_role("red"), TTY_WARN_RED);
	assert_int_equal(vocab_warning_role("orange"), TTY_WARN_ORANGE);
	assert_int_equal(vocab_warning_role("yellow"), TTY_WARN_YELLOW);
	assert_int_equal(vocab_warning_role("none"), TTY_NORMAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_widths_80),
		cmocka_unit_test(test_widths_wide_and_exact),
		cmocka_unit_test(test_widths_narrow),
		cmocka_unit_test(test_widths_no_weight),
		cmocka_unit_test(test_row_chinese),
		cmocka_unit_test(test_row_80_columns),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_countdown_english),
		cmocka_unit_test(test_countdown_chinese),
		cmocka_unit_test(test_marker_and_role),
	};

	/* gettext reads LANGUAGE only outside the C locale (glibc). */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
