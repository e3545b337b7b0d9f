/*
 * Unit tests for the field editor model (src/common/edit.c): typing and
 * deleting Chinese, cursor columns, word moves over Chinese punctuation,
 * limits that refuse a wide character rather than overflow, horizontal
 * scrolling that never shows half a character, wrapping by display width,
 * the goal column of vertical moves, loading text from the database, and
 * pastes cut in the middle of a UTF-8 sequence.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mq/edit.h"
#include "mq/width.h"

#define REPL "\xEF\xBF\xBD" /* U+FFFD */

static mq_edit *edit_make(size_t max_chars, int max_cols, bool multiline, int cols, int rows)
{
	struct mq_edit_options opt = {
		.max_chars = max_chars,
		.max_cols = max_cols,
		.multiline = multiline,
		.view_cols = cols,
		.view_rows = rows,
	};

	return mq_edit_new(&opt);
}

/* Paste s and check that all of it went in. */
static void edit_type(mq_edit *e, const char *s)
{
	struct mq_edit_paste res;

	mq_edit_insert_utf8(e, s, strlen(s), &res);
	assert_int_equal(res.refused, 0);
	assert_int_equal(res.status, MQ_EDIT_OK);
	assert_int_equal(mq_edit_pending(e), 0);
}

static void assert_text(const mq_edit *e, const char *want)
{
	char *got = mq_edit_utf8(e);

	assert_string_equal(got, want);
	free(got);
}

static void assert_view(const mq_edit *e, int r, const char *want)
{
	char *got = mq_edit_view_utf8(e, r);

	assert_string_equal(got, want);
	free(got);
}

static int cursor_col(const mq_edit *e)
{
	int col = -1;

	mq_edit_view_cursor(e, NULL, &col);
	return col;
}

static int cursor_row(const mq_edit *e)
{
	int row = -1;

	mq_edit_view_cursor(e, &row, NULL);
	return row;
}

/* Columns of text[from..to), counted here independently ('\n' is 0). */
static size_t cols_of(const mq_edit *e, size_t from, size_t to)
{
	const wchar_t *t = mq_edit_text(e);
	size_t cols = 0;

	for (; from < to; from++)
		cols += t[from] == L'\n' ? 0 : (size_t)mq_wcwidth(t[from]);
	return cols;
}

static void test_insert_chinese_then_backspace(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 20, 1);

	(void)state;
	assert_int_equal(mq_edit_insert(e, 0x4E2D), MQ_EDIT_OK); /* 中 */
	assert_int_equal(mq_edit_insert(e, 0x6587), MQ_EDIT_OK); /* 文 */
	assert_text(e, "中文");
	assert_int_equal(mq_edit_len(e), 2);
	assert_int_equal(mq_edit_width(e), 4);
	assert_int_equal(cursor_col(e), 4);
	assert_int_equal(mq_edit_backspace(e), MQ_EDIT_OK);
	assert_text(e, "中");
	assert_int_equal(mq_edit_cursor(e), 1);
	assert_int_equal(mq_edit_width(e), 2);
	assert_int_equal(cursor_col(e), 2);
	assert_int_equal(mq_edit_backspace(e), MQ_EDIT_OK);
	assert_int_equal(mq_edit_backspace(e), MQ_EDIT_NOOP);
	assert_text(e, "");
	assert_int_equal(cursor_col(e), 0);
	mq_edit_free(e);
}

static void test_cursor_columns_mixed(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 40, 1);
	static const int want[] = {0, 1, 3, 4, 6, 7, 9}; /* a中b文c字 */
	int i;

	(void)state;
	edit_type(e, "a中b文c字");
	assert_int_equal(mq_edit_width(e), 9);
	for (i = 6; i >= 0; i--) {
		assert_int_equal(mq_edit_cursor(e), (size_t)i);
		assert_int_equal(cursor_col(e), want[i]);
		assert_int_equal(mq_edit_move(e, MQ_EDIT_LEFT), i > 0 ? MQ_EDIT_OK : MQ_EDIT_NOOP);
	}
	mq_edit_free(e);
}

static void test_left_right_home_end(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 40, 1);

	(void)state;
	assert_int_equal(mq_edit_move(e, MQ_EDIT_LEFT), MQ_EDIT_NOOP);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_RIGHT), MQ_EDIT_NOOP);
	edit_type(e, "民情e站");
	assert_int_equal(mq_edit_move(e, MQ_EDIT_RIGHT), MQ_EDIT_NOOP);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_HOME), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 0);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_HOME), MQ_EDIT_NOOP);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_RIGHT), MQ_EDIT_OK);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_RIGHT), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 2);
	assert_int_equal(cursor_col(e), 4);
	assert_int_equal(mq_edit_insert(e, L'x'), MQ_EDIT_OK);
	assert_text(e, "民情xe站");
	assert_int_equal(mq_edit_move(e, MQ_EDIT_END), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 5);
	assert_int_equal(cursor_col(e), 8);
	mq_edit_free(e);
}

static void test_home_end_of_line_multiline(void **state)
{
	mq_edit *e = edit_make(0, 0, true, 40, 5);

	(void)state;
	edit_type(e, "第一行\n第二行\n");
	mq_edit_set_cursor(e, 5); /* 二 */
	assert_int_equal(mq_edit_move(e, MQ_EDIT_HOME), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 4);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_END), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 7); /* before the '\n' */
	assert_int_equal(mq_edit_move(e, MQ_EDIT_END), MQ_EDIT_NOOP);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_START), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 0);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_FINISH), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 8);
	assert_int_equal(cursor_row(e), 2);
	assert_int_equal(cursor_col(e), 0);
	mq_edit_free(e);
}

static void test_word_right(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 40, 1);
	static const size_t stops[] = {3, 8, 9, 11};
	size_t i;

	(void)state;
	/* 你0 好1 ' '2 w3 o4 r5 l6 d7 ，8 再9 见10 */
	edit_type(e, "你好 world，再见");
	mq_edit_move(e, MQ_EDIT_START);
	for (i = 0; i < sizeof stops / sizeof stops[0]; i++) {
		assert_int_equal(mq_edit_move(e, MQ_EDIT_WORD_RIGHT), MQ_EDIT_OK);
		assert_int_equal(mq_edit_cursor(e), stops[i]);
	}
	assert_int_equal(mq_edit_move(e, MQ_EDIT_WORD_RIGHT), MQ_EDIT_NOOP);
	mq_edit_free(e);
}

static void test_word_left(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 40, 1);
	static const size_t stops[] = {9, 8, 3, 0};
	size_t i;

	(void)state;
	edit_type(e, "你好 world，再见");
	for (i = 0; i < sizeof stops / sizeof stops[0]; i++) {
		assert_int_equal(mq_edit_move(e, MQ_EDIT_WORD_LEFT), MQ_EDIT_OK);
		assert_int_equal(mq_edit_cursor(e), stops[i]);
	}
	assert_int_equal(mq_edit_move(e, MQ_EDIT_WORD_LEFT), MQ_EDIT_NOOP);
	mq_edit_free(e);
}

static void test_word_chinese_punctuation(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 80, 1);
	/* 请0 问1 ：2 ：3 材4 料5 ”6 （7 二8 ）9 好10 、11 ；12 吗13 ？14 ！15 a16 b17 c18 */
	static const size_t want[] = {2, 4, 6, 8, 9, 10, 11, 13, 14, 16, 19};
	size_t i;

	(void)state;
	mq_edit_set_utf8(e, "请问：：材料”（二）好、；吗？！abc");
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(mq_edit_move(e, MQ_EDIT_WORD_RIGHT), MQ_EDIT_OK);
		assert_int_equal(mq_edit_cursor(e), want[i]);
	}
	for (i = sizeof want / sizeof want[0] - 1; i > 0; i--) {
		assert_int_equal(mq_edit_move(e, MQ_EDIT_WORD_LEFT), MQ_EDIT_OK);
		assert_int_equal(mq_edit_cursor(e), want[i - 1]);
	}
	assert_int_equal(mq_edit_move(e, MQ_EDIT_WORD_LEFT), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 0);
	mq_edit_free(e);
}

static void test_delete(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 20, 1);

	(void)state;
	assert_int_equal(mq_edit_delete(e), MQ_EDIT_NOOP);
	edit_type(e, "中a文");
	assert_int_equal(mq_edit_delete(e), MQ_EDIT_NOOP); /* at the end */
	assert_text(e, "中a文");
	mq_edit_set_cursor(e, 1);
	assert_int_equal(mq_edit_delete(e), MQ_EDIT_OK);
	assert_text(e, "中文");
	assert_int_equal(mq_edit_cursor(e), 1);
	assert_int_equal(mq_edit_delete(e), MQ_EDIT_OK);
	assert_text(e, "中");
	assert_int_equal(mq_edit_delete(e), MQ_EDIT_NOOP);
	assert_int_equal(mq_edit_width(e), 2);
	mq_edit_free(e);
}

static void test_max_cols_refuses_wide_char(void **state)
{
	mq_edit *e = edit_make(0, 5, false, 20, 1);

	(void)state;
	assert_int_equal(mq_edit_insert(e, 0x4E2D), MQ_EDIT_OK);
	assert_int_equal(mq_edit_insert(e, 0x6587), MQ_EDIT_OK);
	/* One column left: a wide character is refused, never squeezed in. */
	assert_int_equal(mq_edit_insert(e, 0x5B57), MQ_EDIT_FULL_COLS);
	assert_text(e, "中文");
	assert_int_equal(mq_edit_width(e), 4);
	assert_int_equal(mq_edit_insert(e, L'a'), MQ_EDIT_OK);
	assert_int_equal(mq_edit_width(e), 5);
	assert_int_equal(mq_edit_insert(e, L'b'), MQ_EDIT_FULL_COLS);
	/* Deleting frees the columns again. */
	mq_edit_set_cursor(e, 0);
	assert_int_equal(mq_edit_delete(e), MQ_EDIT_OK);
	assert_int_equal(mq_edit_insert(e, 0x5B57), MQ_EDIT_OK);
	assert_text(e, "字文a");
	mq_edit_free(e);
}

static void test_max_chars(void **state)
{
	mq_edit *e = edit_make(3, 0, false, 20, 1);
	struct mq_edit_paste res;

	(void)state;
	edit_type(e, "ab");
	assert_int_equal(mq_edit_insert(e, 0x4E2D), MQ_EDIT_OK);
	assert_int_equal(mq_edit_insert(e, L'c'), MQ_EDIT_FULL_CHARS);
	assert_int_equal(mq_edit_insert(e, 0x4E2D), MQ_EDIT_FULL_CHARS);
	assert_text(e, "ab中");
	mq_edit_clear(e);
	assert_int_equal(mq_edit_insert_utf8(e, "民情e站", strlen("民情e站"), &res), 3);
	assert_int_equal(res.inserted, 3);
	assert_int_equal(res.refused, 1);
	assert_int_equal(res.status, MQ_EDIT_FULL_CHARS);
	assert_text(e, "民情e");
	mq_edit_free(e);
}

static void test_paste_is_cut_not_filtered(void **state)
{
	mq_edit *e = edit_make(0, 5, false, 20, 1);
	struct mq_edit_paste res;

	(void)state;
	/* 中 fits in 4 columns, 文 does not; c would, but the paste stops. */
	assert_int_equal(mq_edit_insert_utf8(e, "ab中文c", strlen("ab中文c"), &res), 3);
	assert_int_equal(res.refused, 2);
	assert_int_equal(res.status, MQ_EDIT_FULL_COLS);
	assert_text(e, "ab中");
	assert_int_equal(mq_edit_cursor(e), 3);
	mq_edit_free(e);
}

static void test_controls_refused(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 20, 1);
	struct mq_edit_paste res;

	(void)state;
	assert_int_equal(mq_edit_insert(e, 0x1B), MQ_EDIT_INVALID);
	assert_int_equal(mq_edit_insert(e, 0), MQ_EDIT_INVALID);
	assert_int_equal(mq_edit_insert(e, 0x7F), MQ_EDIT_INVALID);
	assert_int_equal(mq_edit_insert(e, 0x85), MQ_EDIT_INVALID);
	assert_int_equal(mq_edit_insert(e, 0xD800), MQ_EDIT_INVALID);
	assert_int_equal(mq_edit_insert(e, 0x110000), MQ_EDIT_INVALID);
	assert_int_equal(mq_edit_insert(e, -5), MQ_EDIT_INVALID);
	assert_int_equal(mq_edit_newline(e), MQ_EDIT_INVALID);
	assert_int_equal(mq_edit_len(e), 0);
	assert_int_equal(mq_edit_insert(e, L'\t'), MQ_EDIT_OK);
	assert_text(e, " ");
	assert_int_equal(mq_edit_insert_utf8(e, "a\x1b[Ab\n", 6, &res), 4);
	assert_int_equal(res.refused, 2);
	assert_int_equal(res.status, MQ_EDIT_INVALID);
	assert_text(e, " a[Ab");
	mq_edit_free(e);
}

static void test_multiline_newline_limits(void **state)
{
	mq_edit *e = edit_make(4, 4, true, 20, 3);

	(void)state;
	assert_int_equal(mq_edit_insert(e, 0x4E2D), MQ_EDIT_OK);
	assert_int_equal(mq_edit_newline(e), MQ_EDIT_OK);
	assert_int_equal(mq_edit_insert(e, L'\r'), MQ_EDIT_OK); /* as '\n' */
	assert_int_equal(mq_edit_width(e), 2);                  /* newlines take no column */
	assert_int_equal(mq_edit_insert(e, 0x6587), MQ_EDIT_OK);
	assert_int_equal(mq_edit_newline(e), MQ_EDIT_FULL_CHARS); /* they count as characters */
	assert_text(e, "中\n\n文");
	assert_int_equal(cursor_row(e), 2);
	mq_edit_free(e);
}

/*
 * The invariants of a single-line view, checked from outside: the row and
 * the cursor agree with one horizontal offset, no character is cut, the
 * slice is as long as the view allows, the cursor is inside the view and the
 * character under it is shown whenever it can be.
 */
static void check_single_view(const mq_edit *e, int vc)
{
	const wchar_t *t = mq_edit_text(e);
	struct mq_edit_row row;
	size_t len = mq_edit_len(e), cur = mq_edit_cursor(e), h;
	int col = cursor_col(e);
	char *s;

	mq_edit_view_row(e, 0, &row);
	assert_true(row.lead == 0 || row.lead == 1);
	assert_true(row.lead + row.cols <= vc);
	assert_true(row.first + row.count <= len);
	assert_int_equal((size_t)row.cols, cols_of(e, row.first, row.first + row.count));
	assert_true(cols_of(e, 0, row.first) >= (size_t)row.lead);
	h = cols_of(e, 0, row.first) - (size_t)row.lead; /* the offset */
	/* The character before the first shown one starts left of the view. */
	if (row.first > 0)
		assert_true(cols_of(e, 0, row.first - 1) < h);
	/* Nothing more fits. */
	if (row.first + row.count < len)
		assert_true(row.lead + row.cols + mq_wcwidth(t[row.first + row.count]) > vc);
	assert_true(col >= 0 && col < vc);
	assert_int_equal((size_t)col + h, cols_of(e, 0, cur));
	if (cur < len && mq_wcwidth(t[cur]) <= vc)
		assert_true(cur >= row.first && cur < row.first + row.count);
	s = mq_edit_view_utf8(e, 0);
	assert_int_equal(mq_strwidth(s), vc);
	free(s);
}

static void test_hscroll_never_half(void **state)
{
	static const char *texts[] = {
		"中文字符串", "a中b文c", "abcdefgh", "中a", "ab中文cd字ef", "，。中a文b", "",
	};
	size_t i, k;
	int vc;

	(void)state;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		for (vc = 1; vc <= 9; vc++) {
			mq_edit *e = edit_make(0, 0, false, vc, 1);
			size_t len;

			mq_edit_set_utf8(e, texts[i]);
			len = mq_edit_len(e);
			check_single_view(e, vc);
			/* Right to the end, left back to the start, then jumps. */
			for (k = 0; k < len; k++) {
				assert_int_equal(mq_edit_move(e, MQ_EDIT_RIGHT), MQ_EDIT_OK);
				check_single_view(e, vc);
			}
			for (k = 0; k < len; k++) {
				assert_int_equal(mq_edit_move(e, MQ_EDIT_LEFT), MQ_EDIT_OK);
				check_single_view(e, vc);
			}
			for (k = 0; k <= len; k++) {
				mq_edit_set_cursor(e, (k * 7) % (len + 1));
				check_single_view(e, vc);
			}
			mq_edit_free(e);
		}
	}
}

static void test_view_one_column(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 1, 1);
	struct mq_edit_row row;

	(void)state;
	mq_edit_set_utf8(e, "a中b");
	assert_view(e, 0, "a");
	assert_int_equal(cursor_col(e), 0);
	mq_edit_move(e, MQ_EDIT_RIGHT); /* on 中: it cannot be shown */
	mq_edit_view_row(e, 0, &row);
	assert_int_equal(row.count, 0);
	assert_int_equal(row.lead + row.cols, row.lead);
	assert_view(e, 0, " ");
	assert_int_equal(cursor_col(e), 0);
	mq_edit_move(e, MQ_EDIT_RIGHT);
	assert_view(e, 0, "b");
	assert_int_equal(cursor_col(e), 0);
	mq_edit_move(e, MQ_EDIT_RIGHT); /* at the end */
	assert_view(e, 0, " ");
	assert_int_equal(cursor_col(e), 0);
	mq_edit_free(e);
}

static void test_view_two_columns_wide_only(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 2, 1);
	struct mq_edit_row row;

	(void)state;
	mq_edit_set_utf8(e, "中文字");
	assert_view(e, 0, "中");
	mq_edit_move(e, MQ_EDIT_RIGHT);
	assert_view(e, 0, "文");
	assert_int_equal(cursor_col(e), 0);
	mq_edit_move(e, MQ_EDIT_RIGHT);
	assert_view(e, 0, "字");
	mq_edit_move(e, MQ_EDIT_RIGHT);
	/* The cursor after 字 needs a column: 字 would be cut, so it is not shown. */
	mq_edit_view_row(e, 0, &row);
	assert_int_equal(row.first, 3);
	assert_int_equal(row.count, 0);
	assert_int_equal(row.lead, 1);
	assert_int_equal(cursor_col(e), 1);
	assert_view(e, 0, "  ");
	mq_edit_move(e, MQ_EDIT_LEFT);
	assert_view(e, 0, "字");
	assert_int_equal(cursor_col(e), 0);
	mq_edit_free(e);
}

static void test_hscroll_follows_typing(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 5, 1);
	struct mq_edit_row row;

	(void)state;
	edit_type(e, "ab中文");
	/* 6 columns and the cursor's do not fit in 5: "ab" scrolls off. */
	mq_edit_view_row(e, 0, &row);
	assert_int_equal(row.first, 2);
	assert_int_equal(row.count, 2);
	assert_int_equal(row.lead, 0);
	assert_int_equal(cursor_col(e), 4);
	assert_view(e, 0, "中文 ");
	mq_edit_move(e, MQ_EDIT_HOME);
	assert_view(e, 0, "ab中 ");
	assert_int_equal(cursor_col(e), 0);
	mq_edit_free(e);
}

static void test_multiline_wrap_wide_at_edge(void **state)
{
	mq_edit *e = edit_make(0, 0, true, 5, 4);
	struct mq_edit_row row;

	(void)state;
	edit_type(e, "ab中文字");
	/* "ab中" takes 4 columns: 文 does not fit in the fifth and starts row 1. */
	assert_int_equal(mq_edit_row_count(e), 2);
	mq_edit_view_row(e, 0, &row);
	assert_int_equal(row.first, 0);
	assert_int_equal(row.count, 3);
	assert_int_equal(row.cols, 4);
	mq_edit_view_row(e, 1, &row);
	assert_int_equal(row.first, 3);
	assert_int_equal(row.count, 2);
	assert_view(e, 0, "ab中 ");
	assert_view(e, 1, "文字 ");
	assert_view(e, 2, "     ");
	assert_int_equal(cursor_row(e), 1);
	assert_int_equal(cursor_col(e), 4);
	/* Odd width 3: one wide character a row, the third column blank. */
	mq_edit_set_view(e, 3, 4);
	assert_int_equal(mq_edit_row_count(e), 4);
	assert_view(e, 0, "ab ");
	assert_view(e, 1, "中 ");
	assert_view(e, 2, "文 ");
	assert_view(e, 3, "字 ");
	assert_int_equal(cursor_row(e), 3);
	assert_int_equal(cursor_col(e), 2);
	mq_edit_free(e);
}

static void test_multiline_wrap_odd_width(void **state)
{
	mq_edit *e = edit_make(0, 0, true, 3, 4);

	(void)state;
	edit_type(e, "a中文字");
	/* a中 (3) | 文 (2, 字 would need 4) | 字 and the cursor (3) */
	assert_int_equal(mq_edit_row_count(e), 3);
	assert_view(e, 0, "a中");
	assert_view(e, 1, "文 ");
	assert_view(e, 2, "字 ");
	assert_view(e, 3, "   ");
	assert_int_equal(cursor_row(e), 2);
	assert_int_equal(cursor_col(e), 2);
	mq_edit_free(e);
}

static void test_multiline_full_row_and_newline(void **state)
{
	mq_edit *e = edit_make(0, 0, true, 4, 5);
	struct mq_edit_row row;

	(void)state;
	edit_type(e, "中文");
	/* A row filled exactly: the cursor after it gets the next row. */
	assert_int_equal(mq_edit_row_count(e), 2);
	assert_int_equal(cursor_row(e), 1);
	assert_int_equal(cursor_col(e), 0);
	edit_type(e, "\nab\n\n");
	assert_view(e, 0, "中文");
	assert_view(e, 1, "    "); /* the '\n' after the full row */
	assert_view(e, 2, "ab  ");
	assert_view(e, 3, "    ");
	mq_edit_view_row(e, 2, &row);
	assert_int_equal(row.first, 3);
	assert_int_equal(row.count, 2);
	assert_int_equal(mq_edit_row_count(e), 5);
	assert_int_equal(cursor_row(e), 4);
	mq_edit_free(e);
}

static void test_up_down_goal_column(void **state)
{
	mq_edit *e = edit_make(0, 0, true, 20, 5);

	(void)state;
	edit_type(e, "abcdef\n中\nabcdef");
	mq_edit_set_cursor(e, 5);
	assert_int_equal(cursor_col(e), 5);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_DOWN), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 8); /* end of "中" */
	assert_int_equal(cursor_col(e), 2);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_DOWN), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 14); /* the goal column 5 again */
	assert_int_equal(cursor_col(e), 5);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_DOWN), MQ_EDIT_NOOP);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_UP), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 8);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_UP), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 5);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_UP), MQ_EDIT_NOOP);
	/* A horizontal move forgets the goal. */
	mq_edit_move(e, MQ_EDIT_LEFT);
	mq_edit_move(e, MQ_EDIT_DOWN);
	mq_edit_move(e, MQ_EDIT_DOWN);
	assert_int_equal(cursor_col(e), 4);
	mq_edit_free(e);
}

/*
 * The screen sets the view before every draw; a person presses Down, the
 * screen redraws, Down again: the goal column must survive the redraws
 * (issue 11: pressed one at a time the cursor drifted to the short row's
 * column, pressed in a burst it did not).
 */
static void test_goal_column_survives_redraws(void **state)
{
	mq_edit *e = edit_make(0, 0, true, 20, 5);

	(void)state;
	edit_type(e, "abcdef\n中\nabcdef");
	mq_edit_set_cursor(e, 5);
	mq_edit_set_view(e, 20, 5); /* a draw */
	assert_int_equal(mq_edit_move(e, MQ_EDIT_DOWN), MQ_EDIT_OK);
	assert_int_equal(cursor_col(e), 2);
	mq_edit_set_view(e, 20, 5); /* a draw between the two key presses */
	assert_int_equal(mq_edit_move(e, MQ_EDIT_DOWN), MQ_EDIT_OK);
	assert_int_equal(cursor_col(e), 5);
	mq_edit_set_view(e, 18, 4); /* a resize keeps it too */
	assert_int_equal(mq_edit_move(e, MQ_EDIT_UP), MQ_EDIT_OK);
	mq_edit_set_view(e, 18, 4);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_UP), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 5);
	mq_edit_free(e);
}

static void test_up_down_wide_and_wrapped(void **state)
{
	mq_edit *e = edit_make(0, 0, true, 6, 5);

	(void)state;
	edit_type(e, "abc\n中文字xyz");
	/* rows: "abc" | "中文字" (6, soft) | "xyz" */
	assert_int_equal(mq_edit_row_count(e), 3);
	mq_edit_set_cursor(e, 3); /* column 3, at the '\n' */
	assert_int_equal(mq_edit_move(e, MQ_EDIT_DOWN), MQ_EDIT_OK);
	/* Column 3 is the middle of 文: the cursor stops before it. */
	assert_int_equal(mq_edit_cursor(e), 5);
	assert_int_equal(cursor_col(e), 2);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_DOWN), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 10); /* x0 y1 z2 |3 */
	assert_int_equal(cursor_col(e), 3);
	mq_edit_move(e, MQ_EDIT_END);
	assert_int_equal(cursor_col(e), 3);
	/* Up from column 3 on a soft-wrapped row ends on its last character, not after it. */
	mq_edit_set_cursor(e, 7); /* after 字 is the next row */
	assert_int_equal(cursor_row(e), 2);
	assert_int_equal(cursor_col(e), 0);
	mq_edit_move(e, MQ_EDIT_FINISH);
	mq_edit_move(e, MQ_EDIT_RIGHT);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_UP), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 5); /* 文 starts at 2, ends at 4 > 3 */
	mq_edit_free(e);
}

static void test_page_and_vertical_scroll(void **state)
{
	mq_edit *e = edit_make(0, 0, true, 10, 3);
	char line[8];
	int i;

	(void)state;
	for (i = 0; i < 10; i++) {
		snprintf(line, sizeof line, "%s%d", i > 0 ? "\n" : "", i);
		edit_type(e, line);
		/* The cursor row stays visible while typing. */
		assert_true(cursor_row(e) >= 0 && cursor_row(e) < 3);
	}
	assert_int_equal(mq_edit_row_count(e), 10);
	assert_int_equal(mq_edit_top_row(e), 7);
	assert_view(e, 2, "9         ");
	assert_int_equal(mq_edit_move(e, MQ_EDIT_PAGE_UP), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 13); /* row 6, after its "6" */
	assert_int_equal(mq_edit_top_row(e), 4);
	assert_int_equal(cursor_row(e), 2);
	assert_view(e, 0, "4         ");
	mq_edit_move(e, MQ_EDIT_PAGE_UP);
	mq_edit_move(e, MQ_EDIT_PAGE_UP);
	assert_int_equal(mq_edit_cursor(e), 1); /* row 0 */
	assert_int_equal(mq_edit_top_row(e), 0);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_PAGE_UP), MQ_EDIT_NOOP);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_PAGE_DOWN), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 7); /* row 3 */
	assert_int_equal(mq_edit_top_row(e), 3);
	mq_edit_move(e, MQ_EDIT_PAGE_DOWN);
	mq_edit_move(e, MQ_EDIT_PAGE_DOWN);
	assert_int_equal(mq_edit_cursor(e), 19); /* the last row */
	assert_int_equal(mq_edit_top_row(e), 7);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_PAGE_DOWN), MQ_EDIT_NOOP);
	mq_edit_free(e);
}

static void test_vertical_moves_single_line(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 10, 3);

	(void)state;
	edit_type(e, "abc");
	assert_int_equal(mq_edit_move(e, MQ_EDIT_UP), MQ_EDIT_NOOP);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_DOWN), MQ_EDIT_NOOP);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_PAGE_DOWN), MQ_EDIT_NOOP);
	assert_int_equal(mq_edit_cursor(e), 3);
	assert_int_equal(mq_edit_row_count(e), 1);
	mq_edit_free(e);
}

static void test_set_utf8_invalid_bytes(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 20, 1);
	const wchar_t *t;

	(void)state;
	assert_int_equal(mq_edit_set_utf8(e, "a\xFF"
					     "b\xE4\xB8\xC0\xAF\xED\xA0\x80"),
			 MQ_EDIT_OK);
	t = mq_edit_text(e);
	assert_int_equal(mq_edit_len(e), 10);
	assert_int_equal(t[0], L'a');
	assert_int_equal(t[1], 0xFFFD);
	assert_int_equal(t[2], L'b');
	assert_int_equal(t[3], 0xFFFD);
	assert_int_equal(mq_edit_cursor(e), 0);
	assert_text(e, "a" REPL "b" REPL REPL REPL REPL REPL REPL REPL);
	assert_int_equal(mq_edit_set_utf8(e, NULL), MQ_EDIT_OK);
	assert_int_equal(mq_edit_len(e), 0);
	mq_edit_free(e);
}

static void test_set_utf8_controls(void **state)
{
	mq_edit *single = edit_make(0, 0, false, 20, 1);
	mq_edit *multi = edit_make(0, 0, true, 20, 4);

	(void)state;
	mq_edit_set_utf8(single, "a\tb\x1b\nc\r\x7f\xC2\x85");
	assert_text(single, "a b" REPL REPL "c" REPL REPL REPL);
	assert_view(single, 0, "a b" REPL REPL "c" REPL REPL REPL "           ");
	mq_edit_set_utf8(multi, "a\r\nb\rc\n\x01\x7f\r");
	assert_text(multi, "a\nb\nc\n" REPL REPL "\n");
	assert_int_equal(mq_edit_row_count(multi), 5);
	assert_view(multi, 3, REPL REPL "                  ");
	mq_edit_free(single);
	mq_edit_free(multi);
}

static void test_set_utf8_cut_to_limits(void **state)
{
	mq_edit *chars = edit_make(3, 0, false, 20, 1);
	mq_edit *cols = edit_make(0, 5, false, 20, 1);

	(void)state;
	assert_int_equal(mq_edit_set_utf8(chars, "abcdef"), MQ_EDIT_FULL_CHARS);
	assert_text(chars, "abc");
	assert_int_equal(mq_edit_set_utf8(chars, "abc"), MQ_EDIT_OK);
	assert_int_equal(mq_edit_set_utf8(cols, "中文字"), MQ_EDIT_FULL_COLS);
	assert_text(cols, "中文");
	assert_int_equal(mq_edit_set_utf8(cols, "中文a"), MQ_EDIT_OK);
	assert_text(cols, "中文a");
	mq_edit_free(chars);
	mq_edit_free(cols);
}

static void test_paste_split_sequence(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 20, 1);
	struct mq_edit_paste res;

	(void)state;
	/* 中 is E4 B8 AD: the burst is cut after two of its bytes. */
	assert_int_equal(mq_edit_insert_utf8(e, "a\xE4\xB8", 3, &res), 1);
	assert_int_equal(res.refused, 0);
	assert_int_equal(mq_edit_pending(e), 2);
	assert_text(e, "a");
	assert_int_equal(mq_edit_insert_utf8(e,
					     "\xAD"
					     "b",
					     2, &res),
			 2);
	assert_int_equal(mq_edit_pending(e), 0);
	assert_text(e, "a中b");
	/* A four-byte sequence in three calls. */
	assert_int_equal(mq_edit_insert_utf8(e, "\xF0\x9F", 2, NULL), 0);
	assert_int_equal(mq_edit_insert_utf8(e, "\x98", 1, NULL), 0);
	assert_int_equal(mq_edit_pending(e), 3);
	assert_int_equal(mq_edit_insert_utf8(e, "\x80", 1, NULL), 1);
	assert_text(e, "a中b\xF0\x9F\x98\x80");
	assert_int_equal(mq_edit_width(e), 6);
	mq_edit_free(e);
}

static void test_paste_pending_broken_or_flushed(void **state)
{
	mq_edit *e = edit_make(0, 0, true, 20, 3);

	(void)state;
	/* The next byte does not continue the sequence: U+FFFD, then it. */
	assert_int_equal(mq_edit_insert_utf8(e, "\xE4", 1, NULL), 0);
	assert_int_equal(mq_edit_insert_utf8(e, "b", 1, NULL), 2);
	assert_text(e, REPL "b");
	/* Given up: one U+FFFD a byte. */
	assert_int_equal(mq_edit_flush(e), MQ_EDIT_NOOP);
	mq_edit_insert_utf8(e, "\xE4\xB8", 2, NULL);
	assert_int_equal(mq_edit_flush(e), MQ_EDIT_OK);
	assert_text(e, REPL "b" REPL REPL);
	/* "\r\n" split between two bursts is one newline. */
	mq_edit_clear(e);
	mq_edit_insert_utf8(e, "a\r", 2, NULL);
	mq_edit_insert_utf8(e, "\nb\r\rc", 5, NULL);
	assert_text(e, "a\nb\n\nc");
	/* A paste that can never complete is not kept. */
	mq_edit_clear(e);
	assert_int_equal(mq_edit_insert_utf8(e, "\xE0\x80", 2, NULL), 2);
	assert_int_equal(mq_edit_pending(e), 0);
	mq_edit_free(e);
}

static void test_utf8_round_trip(void **state)
{
	static const char *single[] = {
		"",
		"民情e站 欢迎您！",
		"e\xCC\x81 \xF0\x9F\x98\x80 ｱｲｳ ，。",
		"龍灣區 Longwan",
		"\xF0\xA0\x80\x80\xEF\xBF\xBD",
	};
	static const char *multi[] = {
		"第一行\n第二行\n\n",
		"\n",
		"a\nb",
		"一二三四五六七八九十\n甲乙丙丁",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof single / sizeof single[0]; i++) {
		mq_edit *e = edit_make(0, 0, false, 5, 1);

		assert_int_equal(mq_edit_set_utf8(e, single[i]), MQ_EDIT_OK);
		assert_text(e, single[i]);
		assert_int_equal(mq_edit_width(e), mq_strwidth(single[i]));
		mq_edit_free(e);
	}
	for (i = 0; i < sizeof multi / sizeof multi[0]; i++) {
		mq_edit *e = edit_make(0, 0, true, 5, 2);

		assert_int_equal(mq_edit_set_utf8(e, multi[i]), MQ_EDIT_OK);
		assert_text(e, multi[i]);
		mq_edit_free(e);
	}
}

static void test_kill_to_end(void **state)
{
	mq_edit *single = edit_make(0, 0, false, 20, 1);
	mq_edit *multi = edit_make(0, 0, true, 20, 4);

	(void)state;
	mq_edit_set_utf8(single, "民情e站");
	mq_edit_set_cursor(single, 2);
	assert_int_equal(mq_edit_kill_to_end(single), MQ_EDIT_OK);
	assert_text(single, "民情");
	assert_int_equal(mq_edit_kill_to_end(single), MQ_EDIT_NOOP);

	mq_edit_set_utf8(multi, "第一行\n第二行");
	mq_edit_set_cursor(multi, 1);
	assert_int_equal(mq_edit_kill_to_end(multi), MQ_EDIT_OK);
	assert_text(multi, "第\n第二行");
	assert_int_equal(mq_edit_kill_to_end(multi), MQ_EDIT_OK); /* joins the lines */
	assert_text(multi, "第第二行");
	assert_int_equal(mq_edit_cursor(multi), 1);
	mq_edit_free(single);
	mq_edit_free(multi);
}

static void test_kill_line(void **state)
{
	mq_edit *single = edit_make(0, 0, false, 20, 1);
	mq_edit *multi = edit_make(0, 0, true, 20, 4);

	(void)state;
	mq_edit_set_utf8(single, "民情e站");
	mq_edit_set_cursor(single, 2);
	assert_int_equal(mq_edit_kill_line(single), MQ_EDIT_OK);
	assert_text(single, "");
	assert_int_equal(mq_edit_cursor(single), 0);
	assert_int_equal(mq_edit_kill_line(single), MQ_EDIT_NOOP);

	mq_edit_set_utf8(multi, "一\n二二\n三");
	mq_edit_set_cursor(multi, 3);
	assert_int_equal(mq_edit_kill_line(multi), MQ_EDIT_OK);
	assert_text(multi, "一\n\n三");
	assert_int_equal(mq_edit_cursor(multi), 2);
	assert_int_equal(mq_edit_kill_line(multi), MQ_EDIT_OK); /* the empty line goes */
	assert_text(multi, "一\n三");
	assert_int_equal(mq_edit_cursor(multi), 2);
	assert_int_equal(mq_edit_kill_line(multi), MQ_EDIT_OK);
	assert_text(multi, "一\n");
	assert_int_equal(mq_edit_kill_line(multi), MQ_EDIT_OK); /* the last empty line */
	assert_text(multi, "一");
	assert_int_equal(mq_edit_cursor(multi), 0);
	assert_int_equal(mq_edit_kill_line(multi), MQ_EDIT_OK);
	assert_int_equal(mq_edit_kill_line(multi), MQ_EDIT_NOOP);
	mq_edit_free(single);
	mq_edit_free(multi);
}

static void test_combining_cluster(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 20, 1);

	(void)state;
	mq_edit_set_utf8(e, "e\xCC\x81x"); /* e, U+0301, x */
	assert_int_equal(mq_edit_move(e, MQ_EDIT_RIGHT), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 2); /* over the accent too */
	assert_int_equal(cursor_col(e), 1);
	assert_int_equal(mq_edit_move(e, MQ_EDIT_LEFT), MQ_EDIT_OK);
	assert_int_equal(mq_edit_cursor(e), 0);
	assert_int_equal(mq_edit_set_cursor(e, 1), MQ_EDIT_OK); /* never inside */
	assert_int_equal(mq_edit_cursor(e), 2);
	assert_int_equal(mq_edit_backspace(e), MQ_EDIT_OK); /* the accent alone */
	assert_text(e, "ex");
	mq_edit_set_utf8(e, "e\xCC\x81x");
	assert_int_equal(mq_edit_delete(e), MQ_EDIT_OK); /* the whole cluster */
	assert_text(e, "x");
	mq_edit_free(e);
}

static void test_resize(void **state)
{
	mq_edit *e = edit_make(0, 0, false, 4, 1);
	struct mq_edit_row row;

	(void)state;
	edit_type(e, "0123456789");
	assert_int_equal(cursor_col(e), 3);
	mq_edit_set_view(e, 20, 1);
	mq_edit_view_row(e, 0, &row);
	assert_int_equal(row.first, 0);
	assert_int_equal(row.count, 10);
	assert_int_equal(cursor_col(e), 10);
	mq_edit_set_view(e, 3, 1);
	assert_int_equal(cursor_col(e), 2);
	assert_view(e, 0, "89 ");
	mq_edit_set_view(e, 0, 1); /* taken as 1 */
	assert_int_equal(cursor_col(e), 0);
	assert_view(e, 0, " ");
	mq_edit_free(e);
}

static void test_large_paste(void **state)
{
	mq_edit *e = edit_make(0, 0, true, 80, 24);
	size_t n = 20000, i;
	char *big = malloc(3 * n + 1), *out;
	struct mq_edit_paste res;

	(void)state;
	assert_non_null(big);
	for (i = 0; i < n; i++)
		memcpy(big + 3 * i, "中", 3);
	big[3 * n] = '\0';
	assert_int_equal(mq_edit_insert_utf8(e, big, 3 * n, &res), n);
	assert_int_equal(res.refused, 0);
	assert_int_equal(mq_edit_len(e), n);
	assert_int_equal(mq_edit_width(e), 2 * n);
	/* 40 a row: 500 full rows and the cursor's own. */
	assert_int_equal(mq_edit_row_count(e), 501);
	assert_int_equal(cursor_row(e), 23);
	assert_int_equal(mq_edit_top_row(e), 501 - 24);
	/* Half of it again at the start, in pieces cut inside characters. */
	mq_edit_move(e, MQ_EDIT_START);
	for (i = 0; i < 3 * n / 2; i += 1000)
		mq_edit_insert_utf8(e, big + i, 1000, NULL);
	assert_int_equal(mq_edit_len(e), n + n / 2);
	assert_int_equal(mq_edit_cursor(e), n / 2);
	out = mq_edit_utf8(e);
	assert_int_equal(strlen(out), 3 * (n + n / 2));
	free(out);
	free(big);
	mq_edit_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_chinese_then_backspace),
		cmocka_unit_test(test_cursor_columns_mixed),
		cmocka_unit_test(test_left_right_home_end),
		cmocka_unit_test(test_home_end_of_line_multiline),
		cmocka_unit_test(test_word_right),
		cmocka_unit_test(test_word_left),
		cmocka_unit_test(test_word_chinese_punctuation),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_max_cols_refuses_wide_char),
		cmocka_unit_test(test_max_chars),
		cmocka_unit_test(test_paste_is_cut_not_filtered),
		cmocka_unit_test(test_controls_refused),
		cmocka_unit_test(test_multiline_newline_limits),
		cmocka_unit_test(test_hscroll_never_half),
		cmocka_unit_test(test_view_one_column),
		cmocka_unit_test(test_view_two_columns_wide_only),
		cmocka_unit_test(test_hscroll_follows_typing),
		cmocka_unit_test(test_multiline_wrap_wide_at_edge),
		cmocka_unit_test(test_multiline_wrap_odd_width),
		cmocka_unit_test(test_multiline_full_row_and_newline),
		cmocka_unit_test(test_up_down_goal_column),
		cmocka_unit_test(test_goal_column_survives_redraws),
		cmocka_unit_test(test_up_down_wide_and_wrapped),
		cmocka_unit_test(test_page_and_vertical_scroll),
		cmocka_unit_test(test_vertical_moves_single_line),
		cmocka_unit_test(test_set_utf8_invalid_bytes),
		cmocka_unit_test(test_set_utf8_controls),
		cmocka_unit_test(test_set_utf8_cut_to_limits),
		cmocka_unit_test(test_paste_split_sequence),
		cmocka_unit_test(test_paste_pending_broken_or_flushed),
		cmocka_unit_test(test_utf8_round_trip),
		cmocka_unit_test(test_kill_to_end),
		cmocka_unit_test(test_kill_line),
		cmocka_unit_test(test_combining_cluster),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_large_paste),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
