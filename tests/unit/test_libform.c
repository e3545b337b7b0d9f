/*
 * Why the console has its own field editor (src/common/edit.c) and not
 * ncurses' libform: the same Chinese input typed into a real formw field on
 * this machine and into mq_edit, side by side.
 *
 * The libform half runs the real library with no terminal: newterm() on
 * /dev/null in a UTF-8 locale, a one-row static field posted on a window,
 * characters fed with form_driver_w() as a console would, and the text read
 * back with field_buffer() after REQ_VALIDATION. What it asserts is what
 * libform (ncurses 6.4, Debian 12) was seen to do, wrong as it is:
 *
 *   1. a Chinese character (2 columns) typed when 1 column is free is
 *      accepted, and the field holds more columns than it has (also when it
 *      is inserted in front of a text that leaves 1 column free); its right
 *      half is written into the window's cell after the field;
 *   2. O_BLANK, on by default, wipes a pre-filled field when a character is
 *      typed at its first position;
 *   3. the wide-character build checks no character as it is typed (the
 *      field type's character check is never called, for ASCII either), so
 *      only the check of the whole value at REQ_VALIDATION refuses it;
 *   4. a control character is accepted and stored as its two-cell picture
 *      "^A" while the cursor moves one cell, so the next character typed
 *      lands inside that picture.
 *
 * Memory: inserting a 2-column character, ncursesw 6.4's wins_wch() (which
 * form_driver_w() calls) reads the cell before the insertion column (at the
 * field's first column: before the field) and, in the field's last column,
 * writes the cell after the field (case 1). With the field at column 0 of a
 * window of exactly its size both are outside the window's line: valgrind
 * reports invalid reads and an invalid write in wins_wch (ASan cannot see
 * into the uninstrumented library). So the field here sits one column in
 * from each edge of its window, where those cells are the window's own.
 *
 * mq_edit, given the same input, refuses what does not fit (MQ_EDIT_FULL_COLS)
 * and what is not text (MQ_EDIT_INVALID), and inserts at the first position.
 *
 * IF AN ASSERTION ON LIBFORM'S BEHAVIOUR FAILS, libform changed: look at the
 * choice again (this file is the record of what libform does with Chinese) rather than
 * just updating the expected value. The assertions on mq_edit are its
 * contract and must hold whatever libform does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "mq/edit.h"
#include "mq/form.h"
#include "mq/width.h"

/* After the project's headers: curses.h defines many short macros. */
#include <curses.h>
#include <form.h>

#define CH_ZHONG ((wchar_t)0x4E2D) /* 中 */
#define CH_WEN   ((wchar_t)0x6587) /* 文 */
#define CH_MIN   ((wchar_t)0x6C11) /* 民 */

/* The one curses screen of the whole run, on /dev/null. */
static struct {
	FILE *in, *out;
	SCREEN *screen;
} term;

/*
 * One libform field posted alone on a window one column wider than it on
 * each side (see "Memory" above): the field is at row 0, column LF_LEFT.
 */
#define LF_LEFT 1

struct lf {
	FIELD *fields[2];
	FORM *form;
	WINDOW *win;
	int width;
	char *text; /* the last lf_text() */
};

static int group_setup(void **state)
{
	static const char *const types[] = {"xterm-256color", "xterm", "vt100"};
	size_t i;

	(void)state;
	/* Without a UTF-8 locale formw shows Chinese as blanks (seen on Debian 12). */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "test_libform: no C.UTF-8 locale\n");
		return -1;
	}
	term.in = fopen("/dev/null", "r");
	term.out = fopen("/dev/null", "w");
	if (term.in == NULL || term.out == NULL)
		return -1;
	for (i = 0; i < sizeof(types) / sizeof(types[0]) && term.screen == NULL; i++)
		term.screen = newterm(types[i], term.out, term.in);
	if (term.screen == NULL)
		fprintf(stderr, "test_libform: no terminfo entry for xterm or vt100\n");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (term.screen != NULL) {
		endwin();
		delscreen(term.screen);
	}
	if (term.in != NULL)
		fclose(term.in);
	if (term.out != NULL)
		fclose(term.out);
	return 0;
}

/*
 * A field of one row and `width` columns, static (it must never grow),
 * without autoskip (typing into a full field does not move on), with
 * O_BLANK as asked, holding `init` (UTF-8, or NULL), posted with the cursor
 * at its first position.
 */
static void lf_open(struct lf *lf, int width, const char *init, bool blank)
{
	int rows, cols;

	if (term.screen == NULL)
		skip(); /* no terminal type known to this machine's terminfo */
	memset(lf, 0, sizeof(*lf));
	lf->width = width;
	lf->fields[0] = new_field(1, width, 0, LF_LEFT, 0, 0);
	assert_non_null(lf->fields[0]);
	assert_int_equal(field_opts_on(lf->fields[0], O_STATIC), E_OK);
	assert_int_equal(field_opts_off(lf->fields[0], O_AUTOSKIP), E_OK);
	if (blank)
		assert_true(field_opts(lf->fields[0]) & O_BLANK); /* the default */
	else
		assert_int_equal(field_opts_off(lf->fields[0], O_BLANK), E_OK);
	if (init != NULL)
		assert_int_equal(set_field_buffer(lf->fields[0], 0, init), E_OK);
	lf->form = new_form(lf->fields);
	assert_non_null(lf->form);
	assert_int_equal(scale_form(lf->form, &rows, &cols), E_OK);
	assert_int_equal(cols, LF_LEFT + width);
	lf->win = newwin(rows, cols + 1, 0, 0); /* and one column after the field */
	assert_non_null(lf->win);
	assert_int_equal(set_form_win(lf->form, lf->win), E_OK);
	assert_int_equal(set_form_sub(lf->form, lf->win), E_OK);
	assert_int_equal(post_form(lf->form), E_OK);
}

static void lf_close(struct lf *lf)
{
	assert_int_equal(unpost_form(lf->form), E_OK);
	assert_int_equal(free_form(lf->form), E_OK);
	assert_int_equal(free_field(lf->fields[0]), E_OK);
	assert_int_equal(delwin(lf->win), OK);
	free(lf->text);
}

/* Type one character as a console reading get_wch() would. */
static int lf_key(struct lf *lf, wchar_t wc)
{
	return form_driver_w(lf->form, OK, wc);
}

/* The window's cell right after the field, leaving the window's cursor alone. */
static void lf_cell_after(struct lf *lf, cchar_t *cell)
{
	int y, x;

	getyx(lf->win, y, x);
	memset(cell, 0, sizeof(*cell));
	assert_int_equal(mvwin_wch(lf->win, 0, LF_LEFT + lf->width, cell), OK);
	assert_int_equal(wmove(lf->win, y, x), OK);
}

/*
 * The field's text after REQ_VALIDATION (which must give `validation`),
 * without the blanks that pad it to the field's size; valid until the next
 * call or lf_close().
 */
static const char *lf_text(struct lf *lf, int validation)
{
	size_t n;

	assert_int_equal(form_driver(lf->form, REQ_VALIDATION), validation);
	free(lf->text);
	lf->text = strdup(field_buffer(lf->fields[0], 0));
	assert_non_null(lf->text);
	n = strlen(lf->text);
	while (n > 0 && lf->text[n - 1] == ' ')
		lf->text[--n] = '\0';
	return lf->text;
}

/* A single-line mq_edit field of at most max_cols columns. */
static mq_edit *edit_open(int max_cols, const char *init)
{
	struct mq_edit_options opt = {
		.max_cols = max_cols,
		.view_cols = max_cols + 1,
	};
	mq_edit *e = mq_edit_new(&opt);

	assert_int_equal(mq_edit_set_utf8(e, init), MQ_EDIT_OK);
	return e;
}

static void assert_edit_text(const mq_edit *e, const char *expected)
{
	char *s = mq_edit_utf8(e);

	assert_string_equal(s, expected);
	assert_int_equal(mq_edit_width(e), (size_t)mq_strwidth(s));
	free(s);
}

/*
 * Case 1: 中文 (4 columns) in a 5-column field, then 中 with 1 column free.
 * libform takes it and holds 6 columns in 5; mq_edit refuses it.
 */
static void test_wide_char_in_last_column(void **state)
{
	struct lf lf;
	cchar_t before, after;
	mq_edit *e;

	(void)state;
	lf_open(&lf, 5, NULL, true);
	assert_int_equal(lf_key(&lf, CH_ZHONG), E_OK);
	assert_int_equal(lf_key(&lf, CH_WEN), E_OK);
	assert_string_equal(lf_text(&lf, E_OK), "中文");
	lf_cell_after(&lf, &before);
	/* OBSERVED (wrong): accepted, and the field now overflows. */
	assert_int_equal(lf_key(&lf, CH_ZHONG), E_OK);
	assert_string_equal(lf_text(&lf, E_OK), "中文中");
	assert_int_equal(mq_strwidth(lf.text), 6);
	assert_true(mq_strwidth(lf.text) > 5);
	/* OBSERVED: the cell after the field took 中's right half. */
	lf_cell_after(&lf, &after);
	assert_true(memcmp(&before, &after, sizeof(before)) != 0);
	lf_close(&lf);

	e = edit_open(5, NULL);
	assert_int_equal(mq_edit_insert(e, CH_ZHONG), MQ_EDIT_OK);
	assert_int_equal(mq_edit_insert(e, CH_WEN), MQ_EDIT_OK);
	assert_int_equal(mq_edit_insert(e, CH_ZHONG), MQ_EDIT_FULL_COLS);
	assert_edit_text(e, "中文");
	assert_int_equal(mq_edit_width(e), 4);
	assert_int_equal(mq_edit_cursor(e), 2);
	/* The free column still takes a one-column character. */
	assert_int_equal(mq_edit_insert(e, L'a'), MQ_EDIT_OK);
	assert_edit_text(e, "中文a");
	assert_int_equal(mq_edit_width(e), 5);
	mq_edit_free(e);
}

/*
 * Case 1, the even width for contrast: with no column free libform does
 * refuse (E_REQUEST_DENIED), so only the odd column is mishandled.
 */
static void test_wide_char_in_full_field(void **state)
{
	struct lf lf;
	mq_edit *e;

	(void)state;
	lf_open(&lf, 4, NULL, true);
	assert_int_equal(lf_key(&lf, CH_ZHONG), E_OK);
	assert_int_equal(lf_key(&lf, CH_WEN), E_OK);
	assert_int_equal(lf_key(&lf, CH_ZHONG), E_REQUEST_DENIED); /* OBSERVED (right) */
	assert_string_equal(lf_text(&lf, E_OK), "中文");
	lf_close(&lf);

	e = edit_open(4, NULL);
	assert_int_equal(mq_edit_insert(e, CH_ZHONG), MQ_EDIT_OK);
	assert_int_equal(mq_edit_insert(e, CH_WEN), MQ_EDIT_OK);
	assert_int_equal(mq_edit_insert(e, CH_ZHONG), MQ_EDIT_FULL_COLS);
	assert_edit_text(e, "中文");
	mq_edit_free(e);
}

/*
 * Case 1 by insertion: 民 typed in front of 中文 in a 5-column field (O_BLANK
 * off, so the text stays). libform shifts 中文 right past the edge; mq_edit
 * refuses.
 */
static void test_wide_char_inserted_in_front(void **state)
{
	struct lf lf;
	mq_edit *e;

	(void)state;
	lf_open(&lf, 5, "中文", false);
	assert_string_equal(lf_text(&lf, E_OK), "中文");
	/* OBSERVED (wrong): accepted, 6 columns in 5. */
	assert_int_equal(lf_key(&lf, CH_MIN), E_OK);
	assert_string_equal(lf_text(&lf, E_OK), "民中文");
	assert_int_equal(mq_strwidth(lf.text), 6);
	lf_close(&lf);

	e = edit_open(5, "中文");
	assert_int_equal(mq_edit_cursor(e), 0);
	assert_int_equal(mq_edit_insert(e, CH_MIN), MQ_EDIT_FULL_COLS);
	assert_edit_text(e, "中文");
	assert_int_equal(mq_edit_cursor(e), 0);
	mq_edit_free(e);
}

/*
 * Case 2: O_BLANK (libform's default). A field holding 中文 with room to
 * spare: typing 民 at the first position wipes the text; mq_edit inserts.
 * Without O_BLANK libform inserts too, so every field would need it off.
 */
static void test_blank_wipes_field(void **state)
{
	struct lf lf;
	mq_edit *e;

	(void)state;
	lf_open(&lf, 8, "中文", true);
	assert_string_equal(lf_text(&lf, E_OK), "中文");
	assert_int_equal(lf_key(&lf, CH_MIN), E_OK);
	assert_string_equal(lf_text(&lf, E_OK), "民"); /* OBSERVED: 中文 is gone */
	lf_close(&lf);

	/* The same with ASCII: "abc", then x at the start, leaves "x". */
	lf_open(&lf, 8, "abc", true);
	assert_int_equal(lf_key(&lf, L'x'), E_OK);
	assert_string_equal(lf_text(&lf, E_OK), "x"); /* OBSERVED */
	lf_close(&lf);

	lf_open(&lf, 8, "中文", false);
	assert_int_equal(lf_key(&lf, CH_MIN), E_OK);
	assert_string_equal(lf_text(&lf, E_OK), "民中文"); /* OBSERVED */
	lf_close(&lf);

	e = edit_open(8, "中文");
	assert_int_equal(mq_edit_cursor(e), 0);
	assert_int_equal(mq_edit_insert(e, CH_MIN), MQ_EDIT_OK);
	assert_edit_text(e, "民中文");
	assert_int_equal(mq_edit_cursor(e), 1);
	mq_edit_free(e);
}

/*
 * Case 3: no check while typing. A TYPE_INTEGER field takes 中 from
 * form_driver_w() and even 'x' from form_driver() (formw's wide-character
 * branch never calls the type's character check, ASCII included); only
 * REQ_VALIDATION refuses the value. The console checks the whole value too,
 * on submit (mq_field_validate()), and refuses the same text.
 */
static void test_no_check_while_typing(void **state)
{
	struct mq_form_field number = {
		.name = "n",
		.param = "p_n",
		.type = MQ_FIELD_INTEGER,
		.width = 8,
		.height = 1,
		.max_length = 8,
	};
	struct lf lf;
	char *msg = NULL;

	(void)state;
	lf_open(&lf, 8, NULL, true);
	assert_int_equal(set_field_type(lf.fields[0], TYPE_INTEGER, 0, 0L, 0L), E_OK);
	assert_int_equal(lf_key(&lf, CH_ZHONG), E_OK);     /* OBSERVED: not checked */
	assert_int_equal(form_driver(lf.form, 'x'), E_OK); /* OBSERVED: not checked */
	assert_int_equal(form_driver(lf.form, '5'), E_OK);
	assert_string_equal(lf_text(&lf, E_INVALID_FIELD), "中x5");
	lf_close(&lf);

	assert_int_equal(mq_field_validate(&number, "中x5", &msg), -1);
	assert_non_null(msg);
	free(msg);
	msg = NULL;
	assert_int_equal(mq_field_validate(&number, "5", &msg), 0);
	assert_null(msg);
}

/*
 * Case 4: a control character (Ctrl-A, say from a paste) between a and b.
 * libform accepts it, stores its picture "^A" in two cells but moves the
 * cursor one, so b lands between ^ and A. mq_edit refuses it.
 */
static void test_control_char(void **state)
{
	struct lf lf;
	mq_edit *e;

	(void)state;
	lf_open(&lf, 8, NULL, true);
	assert_int_equal(lf_key(&lf, L'a'), E_OK);
	assert_int_equal(lf_key(&lf, (wchar_t)0x01), E_OK); /* OBSERVED: accepted */
	assert_int_equal(lf_key(&lf, L'b'), E_OK);
	assert_string_equal(lf_text(&lf, E_OK), "a^bA"); /* OBSERVED: corrupted */
	lf_close(&lf);

	e = edit_open(8, NULL);
	assert_int_equal(mq_edit_insert(e, L'a'), MQ_EDIT_OK);
	assert_int_equal(mq_edit_insert(e, (wchar_t)0x01), MQ_EDIT_INVALID);
	assert_int_equal(mq_edit_insert(e, L'b'), MQ_EDIT_OK);
	assert_edit_text(e, "ab");
	mq_edit_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wide_char_in_last_column),
		cmocka_unit_test(test_wide_char_in_full_field),
		cmocka_unit_test(test_wide_char_inserted_in_front),
		cmocka_unit_test(test_blank_wipes_field),
		cmocka_unit_test(test_no_check_while_typing),
		cmocka_unit_test(test_control_char),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
