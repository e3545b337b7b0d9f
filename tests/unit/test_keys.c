/*
 * The key layer of the console (src/console/keytab.c, no terminal): key
 * names, a person's bindings and how they resolve, the checks that refuse
 * a key for two actions of one screen, and what is made from a table: the
 * hint line (80 columns with Chinese labels, never a character cut) and
 * the help lines.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "keytab.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

/* --- tables like the console's -------------------------------------------------------- */

enum { T_LEFT, T_HOME, T_NEWLINE, F_SUBMIT, F_NEXT, F_PREV, F_BACK, F_RELOAD };
enum { G_BACK = 100, G_QUIT, G_HELP, G_REDRAW };
enum { C_ACCEPT, C_URGE, C_RELOAD, C_DOWN };

static const struct keytab_entry text_entries[] = {
	{T_LEFT, NULL, {KEYC_F(KEY_LEFT)}, NULL, NULL, "move in the text"},
	{T_HOME, NULL, {KEYC_F(KEY_HOME), KEYC_CTRL('A')}, NULL, NULL, "move in the text"},
	{T_NEWLINE, NULL, {'\r', '\n'}, NULL, NULL, NULL},
};
static const struct keytab text_tab = {
	.name = "form.text",
	.title = "Text fields",
	.flags = KEYTAB_TAKES_TEXT,
	KEYTAB_ENTRIES(text_entries),
};
static const struct keytab *const form_inputs[] = {&text_tab, NULL};

static const struct keytab_entry form_entries[] = {
	{F_NEXT,
	 "next_field",
	 {'\t', KEYC_F(KEY_DOWN)},
	 NULL,
	 "next field",
	 "next / previous field"},
	{F_PREV,
	 "prev_field",
	 {KEYC_F(KEY_BTAB), KEYC_F(KEY_UP)},
	 NULL,
	 NULL,
	 "next / previous field"},
	{F_SUBMIT, "submit", {KEYC_F(KEY_F(2)), KEYC_CTRL('X')}, NULL, "submit", "submit"},
	{F_BACK, "back", {KEYC_ESCAPE}, NULL, "leave", "leave (twice when something was typed)"},
	{F_RELOAD,
	 "reload",
	 {KEYC_F(KEY_F(5)), KEYC_CTRL('R')},
	 NULL,
	 NULL,
	 "reload the case after a conflict"},
};
static const struct keytab form_tab = {
	.name = "form",
	.title = "Forms",
	.flags = KEYTAB_NO_CHARS,
	KEYTAB_ENTRIES(form_entries),
	.inputs = form_inputs,
	.hint_global = "help",
};

static const struct keytab_entry case_entries[] = {
	{C_DOWN, NULL, {KEYC_F(KEY_DOWN), 'j'}, NULL, NULL, "scroll"},
	{C_RELOAD, "reload", {'r', KEYC_F(KEY_F(5))}, NULL, "reload", "reload"},
	{C_ACCEPT, "accept", {'a'}, NULL, NULL, "accept"},
	{C_URGE, "urge", {'u'}, NULL, NULL, "urge"},
};
static const struct keytab case_tab = {
	.name = "case",
	.title = "Case detail",
	KEYTAB_ENTRIES(case_entries),
	.hint_global = "back help quit",
};

static const struct keytab_entry global_entries[] = {
	{G_BACK, "back", {KEYC_ESCAPE, KEYC_F(KEY_LEFT), 'h'}, NULL, "back", "go back"},
	{G_QUIT, "quit", {KEYC_F(KEY_F(10))}, NULL, "quit", "quit"},
	{G_HELP, "help", {'?', KEYC_F(KEY_F(1))}, NULL, "help", "this help"},
	{G_REDRAW, "redraw", {KEYC_CTRL('L')}, NULL, NULL, "redraw the screen"},
};
static const struct keytab global_tab = {
	.name = "global",
	.title = "every screen",
	.flags = KEYTAB_NO_CHARS,
	KEYTAB_ENTRIES(global_entries),
};

static const struct keytab *const screens[] = {&form_tab, &case_tab};

static void lang(const char *l)
{
	setenv("MINQING_LOCALEDIR", MQ_TEST_LOCALEDIR, 1);
	mq_i18n_init(l);
}

/* Bindings from "action=key" pairs; the check of keytab_check(), its cause or NULL. */
static char *check(const char *a1, const char *k1, const char *a2, const char *k2)
{
	struct keybinds kb = {0};
	char *cause = NULL;

	if (a1 != NULL)
		assert_int_equal(keybinds_add(&kb, a1, k1, &cause), 0);
	if (a2 != NULL)
		assert_int_equal(keybinds_add(&kb, a2, k2, &cause), 0);
	if (keytab_check(screens, MQ_NITEMS(screens), &global_tab, &kb, &cause) == 0)
		cause = NULL;
	else
		assert_non_null(cause);
	keybinds_free(&kb);
	return cause;
}

/* --- key names ---------------------------------------------------------------------- */

/* For keytab_hint_offered(): every action but 7. */
static bool not_seven(int id, void *arg)
{
	(void)arg;
	return id != 7;
}

static void test_parse(void **state)
{
	key_code k = 0;

	(void)state;
	assert_int_equal(keys_parse("F9", &k), 0);
	assert_int_equal(k, KEYC_F(KEY_F(9)));
	assert_int_equal(keys_parse("f12", &k), 0);
	assert_int_equal(k, KEYC_F(KEY_F(12)));
	assert_int_equal(keys_parse("C-x", &k), 0);
	assert_int_equal(k, KEYC_CTRL('x'));
	assert_int_equal(keys_parse("c-X", &k), 0);
	assert_int_equal(k, 0x18);
	assert_int_equal(keys_parse("enter", &k), 0);
	assert_int_equal(k, '\r');
	assert_int_equal(keys_parse("Esc", &k), 0);
	assert_int_equal(k, KEYC_ESCAPE);
	assert_int_equal(keys_parse("BTab", &k), 0);
	assert_int_equal(k, KEYC_F(KEY_BTAB));
	assert_int_equal(keys_parse("C-Left", &k), 0);
	assert_int_equal(k, KEYC_WORD_LEFT);
	assert_int_equal(keys_parse("a", &k), 0);
	assert_int_equal(k, 'a');
	assert_int_equal(keys_parse("中", &k), 0);
	assert_int_equal(k, 0x4E2D);
	/* not keys */
	assert_int_equal(keys_parse("F13", &k), -1);
	assert_int_equal(keys_parse("F0", &k), -1);
	assert_int_equal(keys_parse("F99", &k), -1);
	assert_int_equal(keys_parse("F2x", &k), -1);
	assert_int_equal(keys_parse("C-1", &k), -1);
	assert_int_equal(keys_parse("C-", &k), -1);
	assert_int_equal(keys_parse("ab", &k), -1);
	assert_int_equal(keys_parse("", &k), -1);
	assert_int_equal(keys_parse(NULL, &k), -1);
	assert_int_equal(keys_parse("\x01", &k), -1);
	assert_int_equal(keys_parse("\x7f", &k), -1);
	assert_int_equal(keys_parse("\xff", &k), -1);
	assert_true(keys_printable('a'));
	assert_true(keys_printable(0x4E2D));
	assert_false(keys_printable(KEYC_CTRL('x')));
	assert_false(keys_printable(KEYC_F(KEY_F(3))));
	assert_false(keys_printable(0x7f));
}

static void test_names(void **state)
{
	char *s;

	(void)state;
	lang("en");
	s = keys_name(KEYC_F(KEY_F(2)));
	assert_string_equal(s, "F2");
	free(s);
	s = keys_name(KEYC_CTRL('x'));
	assert_string_equal(s, "Ctrl-X");
	free(s);
	s = keys_name('\n');
	assert_string_equal(s, "Enter");
	free(s);
	s = keys_name(KEYC_F(KEY_ENTER));
	assert_string_equal(s, "Enter");
	free(s);
	s = keys_name(KEYC_F(KEY_DOWN));
	assert_string_equal(s, "↓");
	free(s);
	s = keys_name(0x4E2D);
	assert_string_equal(s, "中");
	free(s);
	s = keys_name(' ');
	assert_string_equal(s, "Space");
	free(s);
	lang("zh_CN");
	s = keys_name(' ');
	assert_string_equal(s, "空格");
	free(s);
}

/* --- bindings and lookup ------------------------------------------------------------------ */

static void test_lookup(void **state)
{
	struct keybinds kb = {0};
	char *cause = NULL;
	int i;

	(void)state;
	lang("en");
	assert_int_equal(keybinds_add(&kb, "accept", "F3", &cause), 0);
	assert_int_equal(keybinds_add(&kb, "submit", "F9", &cause), 0);
	assert_int_equal(keybinds_add(&kb, "urge", "", &cause), 0); /* binds nothing */
	assert_int_equal(kb.n, 2);
	assert_int_equal(keybinds_key(&kb, "accept"), KEYC_F(KEY_F(3)));
	assert_int_equal(keybinds_key(&kb, "urge"), 0);
	assert_int_equal(keybinds_key(NULL, "accept"), 0);

	/* The bound key runs the action; the default keeps working. */
	i = keytab_lookup(&case_tab, &kb, KEYC_F(KEY_F(3)));
	assert_true(i >= 0);
	assert_int_equal(case_tab.entries[i].id, C_ACCEPT);
	i = keytab_lookup(&case_tab, &kb, 'a');
	assert_int_equal(case_tab.entries[i].id, C_ACCEPT);
	assert_int_equal(keytab_lookup(&case_tab, &kb, 'q'), KEYTAB_NONE);

	/* In a text field F3 is nothing, and a letter is text, never accept. */
	assert_int_equal(keytab_lookup(&text_tab, &kb, KEYC_F(KEY_F(3))), KEYTAB_NONE);
	assert_int_equal(keytab_lookup(&text_tab, &kb, 'a'), KEYTAB_TEXT);
	assert_int_equal(keytab_lookup(&text_tab, &kb, 0x4E2D), KEYTAB_TEXT);
	assert_int_equal(keytab_lookup(&text_tab, &kb, KEYC_CTRL('X')), KEYTAB_NONE);
	/* The form's table: F9 and the old keys submit; F3 does not. */
	i = keytab_lookup(&form_tab, &kb, KEYC_F(KEY_F(9)));
	assert_int_equal(form_tab.entries[i].id, F_SUBMIT);
	i = keytab_lookup(&form_tab, &kb, KEYC_CTRL('X'));
	assert_int_equal(form_tab.entries[i].id, F_SUBMIT);
	i = keytab_lookup(&form_tab, &kb, KEYC_F(KEY_F(2)));
	assert_int_equal(form_tab.entries[i].id, F_SUBMIT);
	assert_int_equal(keytab_lookup(&form_tab, &kb, KEYC_F(KEY_F(3))), KEYTAB_NONE);
	/* Enter is CR, LF or the keypad's: one key. */
	i = keytab_lookup(&text_tab, &kb, KEYC_F(KEY_ENTER));
	assert_int_equal(text_tab.entries[i].id, T_NEWLINE);

	assert_int_equal(keybinds_add(&kb, "accept", "F99", &cause), -1);
	assert_non_null(strstr(cause, "keys.accept: \"F99\""));
	free(cause);
	keybinds_free(&kb);
}

/* --- the checks ------------------------------------------------------------------------- */

static void test_check(void **state)
{
	char *cause;

	(void)state;
	lang("en");
	assert_null(check(NULL, NULL, NULL, NULL));
	assert_null(check("submit", "F9", "quit", "C-q"));
	assert_null(check("accept", "F3", "urge", "F4"));
	/* A function key for two actions of one screen: both named. */
	cause = check("submit", "F9", "reload", "F9");
	assert_non_null(strstr(cause, "is bound to another action too"));
	assert_non_null(strstr(cause, "keys.submit"));
	assert_non_null(strstr(cause, "keys.reload"));
	free(cause);
	/* ... but two screens may use one key for different actions. */
	assert_null(check("submit", "F8", "accept", "F8"));
	/* The form's submit key for an action of another screen: fine there (C-x urges). */
	assert_null(check("urge", "C-x", NULL, NULL));
	/* Another action's default key in the same screen. */
	cause = check("accept", "u", NULL, NULL);
	assert_non_null(strstr(cause, "keys.accept"));
	assert_non_null(strstr(cause, "keys.urge"));
	free(cause);
	/* A key of a text field (Ctrl-A: start of the line) for a form action. */
	cause = check("submit", "C-a", NULL, NULL);
	assert_non_null(strstr(cause, "keys.submit"));
	assert_non_null(strstr(cause, "move in the text"));
	free(cause);
	/* A screen's key taken for a global action, and the other way round. */
	cause = check("quit", "F2", NULL, NULL);
	assert_non_null(strstr(cause, "keys.quit"));
	assert_non_null(strstr(cause, "keys.submit"));
	free(cause);
	cause = check("accept", "F10", NULL, NULL);
	assert_non_null(strstr(cause, "keys.quit"));
	free(cause);
	/* A character for an action of a screen that takes text; allowed in the case screen. */
	cause = check("submit", "s", NULL, NULL);
	assert_non_null(strstr(cause, "keys.submit: \"s\" is a character"));
	free(cause);
	cause = check("quit", "Q", NULL, NULL);
	assert_non_null(strstr(cause, "is a character"));
	free(cause);
	assert_null(check("accept", "A", NULL, NULL));
	/* A default key of the action said again changes nothing (back = Left). */
	assert_null(check("back", "Left", NULL, NULL));
	/* No such action. */
	cause = check("acept", "F3", NULL, NULL);
	assert_non_null(strstr(cause, "keys.acept: there is no such action"));
	free(cause);
}

static void test_check_defaults(void **state)
{
	static const struct keytab_entry bad_entries[] = {
		{1, "one", {'x'}, NULL, NULL, "one"},
		{2, "two", {KEYC_F(KEY_F(4)), 'x'}, NULL, NULL, "two"},
	};
	static const struct keytab bad = {
		.name = "bad",
		.title = "Bad",
		KEYTAB_ENTRIES(bad_entries),
	};
	const struct keytab *tabs[] = {&bad};
	char *cause = NULL;

	(void)state;
	lang("en");
	assert_int_equal(keytab_check(tabs, 1, &global_tab, NULL, &cause), -1);
	assert_non_null(strstr(cause, "keys.one"));
	assert_non_null(strstr(cause, "keys.two"));
	free(cause);
}

/* --- a table built at run time (a list screen of a view file) ---------------------------- */

static void test_runtime(void **state)
{
	struct keytab *t = keytab_new("inbox", "我的待办", KEYTAB_LITERAL, "back help");
	const struct keytab *tabs[1];
	struct keybinds kb = {0};
	char *cause = NULL, *hint;
	int i;

	(void)state;
	lang("en");
	assert_int_equal(keytab_add(t, 7, "accept", "a F6", NULL, "受理", "受理所选案件", &cause),
			 0);
	assert_int_equal(
		keytab_add(t, 8, "filter.overdue", "o", NULL, "已超期", "只显示已超期的", &cause),
		0);
	assert_int_equal(keytab_add(t, 9, NULL, "Enter", NULL, "打开", NULL, &cause), 0);
	assert_int_equal(t->n, 3);
	/* a wrong key, a key twice, an action twice */
	assert_int_equal(keytab_add(t, 10, "x", "F77", NULL, NULL, NULL, &cause), -1);
	assert_non_null(strstr(cause, "F77"));
	free(cause);
	assert_int_equal(keytab_add(t, 10, "y", "o", NULL, NULL, NULL, &cause), -1);
	free(cause);
	assert_int_equal(keytab_add(t, 10, "accept", "F8", NULL, NULL, NULL, &cause), -1);
	free(cause);
	assert_int_equal(t->n, 3);

	assert_int_equal(keybinds_add(&kb, "filter.overdue", "F7", &cause), 0);
	i = keytab_lookup(t, &kb, KEYC_F(KEY_F(7)));
	assert_int_equal(t->entries[i].id, 8);
	i = keytab_lookup(t, &kb, KEYC_F(KEY_F(6)));
	assert_int_equal(t->entries[i].id, 7);
	i = keytab_lookup(t, &kb, '\n');
	assert_int_equal(t->entries[i].id, 9);
	tabs[0] = t;
	assert_int_equal(keytab_check(tabs, 1, &global_tab, &kb, &cause), 0);
	hint = keytab_hint(t, &global_tab, &kb, 80);
	assert_string_equal(hint, "a 受理  F7 已超期  Enter 打开  Esc back  ? help");
	free(hint);
	/* What the person's duty does not allow is not offered (the screen says). */
	hint = keytab_hint_offered(t, &global_tab, &kb, 80, not_seven, NULL);
	assert_string_equal(hint, "F7 已超期  Enter 打开  Esc back  ? help");
	free(hint);
	keybinds_free(&kb);
	/* A binding of an action no table has is refused once the table is gone. */
	assert_int_equal(keybinds_add(&kb, "filter.overdue", "F7", &cause), 0);
	assert_int_equal(keytab_check(screens, MQ_NITEMS(screens), &global_tab, &kb, &cause), -1);
	free(cause);
	keybinds_free(&kb);
	keytab_free(t);
}

/* --- hint line and help ------------------------------------------------------------------- */

static void test_hint(void **state)
{
	struct keybinds kb = {0};
	char *cause = NULL, *hint;

	(void)state;
	lang("zh_CN");
	hint = keytab_hint(&form_tab, &global_tab, NULL, 80);
	/* F1, not "?": a question mark is typed in a form's fields. */
	assert_string_equal(hint, "Tab 下一栏  F2 提交  Esc 离开  F1 帮助");
	free(hint);
	hint = keytab_hint(&case_tab, &global_tab, NULL, 80);
	assert_string_equal(hint, "r 重新读取  Esc 返回  ? 帮助  F10 退出");
	free(hint);
	/* The person's key is the one shown. */
	assert_int_equal(keybinds_add(&kb, "submit", "F9", &cause), 0);
	hint = keytab_hint(&form_tab, &global_tab, &kb, 80);
	assert_string_equal(hint, "Tab 下一栏  F9 提交  Esc 离开  F1 帮助");
	free(hint);
	keybinds_free(&kb);
	lang("en");
	hint = keytab_hint(&form_tab, &global_tab, NULL, 80);
	assert_string_equal(hint, "Tab next field  F2 submit  Esc leave  F1 help");
	free(hint);
}

/* Many Chinese labels: the line fits 80 columns, whole items only, valid UTF-8. */
static void test_hint_fits(void **state)
{
	static const char *const labels[] = {
		"受理", "分流交办", "调整问题类别", "开始办理", "记录办理进展", "办结",
		"退回", "暂停计时", "恢复计时",     "申请延期", "反馈群众",     "回访关闭"};
	struct keytab *t = keytab_new("many", "很多", KEYTAB_LITERAL, "back help quit");
	char keyname[8], *hint, *p, *cause = NULL;
	size_t i, n;
	wchar_t wc;
	int cols;

	(void)state;
	lang("zh_CN");
	for (i = 0; i < MQ_NITEMS(labels); i++) {
		snprintf(keyname, sizeof keyname, "F%zu", i + 1);
		assert_int_equal(
			keytab_add(t, (int)i, NULL, keyname, NULL, labels[i], NULL, &cause), 0);
	}
	for (cols = 79; cols >= 10; cols -= 7) {
		hint = keytab_hint(t, &global_tab, NULL, cols);
		assert_true(mq_strwidth(hint) <= cols);
		assert_true(mq_strwidth(hint) > cols - 20 || cols < 20);
		/* every byte sequence decodes; no label is cut */
		for (p = hint; *p != '\0'; p += n) {
			n = mq_utf8_decode(p, strlen(p), &wc);
			assert_true(n > 0);
			assert_true(wc != 0xFFFD);
		}
		for (i = 0; i < MQ_NITEMS(labels); i++) {
			char *item = xasprintf("F%zu %s", i + 1, labels[i]);
			char *at = strstr(hint, item);

			/* an item is there whole (followed by a separator or the end) or not at all
			 */
			if (at != NULL)
				assert_true(at[strlen(item)] == '\0' || at[strlen(item)] == ' ');
			free(item);
		}
		free(hint);
	}
	hint = keytab_hint(t, &global_tab, NULL, 80);
	assert_true(mq_strwidth(hint) <= 80);
	assert_non_null(strstr(hint, "F1 受理"));
	free(hint);
	keytab_free(t);
}

static void test_help(void **state)
{
	struct keytab_help *lines;
	struct keybinds kb = {0};
	char *cause = NULL;
	size_t n, i;

	(void)state;
	lang("en");
	assert_int_equal(keybinds_add(&kb, "submit", "F9", &cause), 0);
	n = keytab_help_lines(&form_tab, &global_tab, &kb, &lines);
	/* text: 1 (two entries of one help), form: 4, global: 4 */
	assert_int_equal(n, 9);
	assert_string_equal(lines[0].keys, "← Home/Ctrl-A");
	assert_string_equal(lines[0].help, "move in the text");
	assert_string_equal(lines[1].keys, "Tab/↓ Shift-Tab/↑");
	assert_string_equal(lines[1].help, "next / previous field");
	/* the person's key first */
	assert_string_equal(lines[2].keys, "F9/F2/Ctrl-X");
	assert_string_equal(lines[2].help, "submit");
	/* the global back without ← (the text field's) and Esc (the form's leave) */
	assert_string_equal(lines[5].keys, "h");
	assert_string_equal(lines[5].help, "go back");
	for (i = 0; i < n; i++)
		assert_true(mq_strwidth(lines[i].keys) > 0);
	keytab_help_free(lines, n);
	keybinds_free(&kb);
	/* the help in Chinese */
	lang("zh_CN");
	n = keytab_help_lines(&case_tab, &global_tab, NULL, &lines);
	assert_string_equal(lines[n - 2].help, "显示本帮助");
	keytab_help_free(lines, n);
}

/* Too many for the line: the help's item stays (it lists the others), every item whole. */
static void test_hint_keeps_help(void **state)
{
	static const char *const labels[] = {"受理",     "分流交办",     "调整问题类别",
					     "开始办理", "记录办理进展", "办结",
					     "退回",     "暂停计时"};
	struct keytab *t = keytab_new("many", "很多", KEYTAB_LITERAL, "back help quit");
	char keyname[8], *hint, *cause = NULL;
	size_t i;
	int cols;

	(void)state;
	lang("zh_CN");
	for (i = 0; i < MQ_NITEMS(labels); i++) {
		snprintf(keyname, sizeof keyname, "F%zu", i + 2);
		assert_int_equal(
			keytab_add(t, (int)i, NULL, keyname, NULL, labels[i], NULL, &cause), 0);
	}
	for (cols = 20; cols <= 80; cols++) {
		hint = keytab_hint(t, &global_tab, NULL, cols);
		assert_true(mq_strwidth(hint) <= cols);
		assert_non_null(strstr(hint, "? 帮助"));
		free(hint);
	}
	/* when all fit, all are there in their order */
	hint = keytab_hint(t, &global_tab, NULL, 200);
	assert_string_equal(hint,
			    "F2 受理  F3 分流交办  F4 调整问题类别  F5 开始办理  F6 记录办理进展  "
			    "F7 办结  F8 退回  F9 暂停计时  Esc 返回  ? 帮助  F10 退出");
	free(hint);
	keytab_free(t);
}

/* The case screen's actions at 80 columns: as many rows as they need, none cut. */
static void test_pack(void **state)
{
	char *items[] = {"d 分流交办", "p 办理进展", "x 办结", "t 退回",
			 "z 暂停计时", "e 申请延期", "w 撤回", "u 催办"};
	char **rows;
	size_t n, i;
	int cols;

	(void)state;
	n = keytab_pack(items, MQ_NITEMS(items), 76, &rows);
	assert_int_equal(n, 2);
	assert_string_equal(
		rows[0], "d 分流交办  p 办理进展  x 办结  t 退回  z 暂停计时  e 申请延期  w 撤回");
	assert_string_equal(rows[1], "u 催办");
	mq_wrap_free(rows, n);
	/* at any width: each item whole on one row, in order, rows within the width */
	for (cols = 1; cols <= 100; cols++) {
		size_t at = 0;

		n = keytab_pack(items, MQ_NITEMS(items), cols, &rows);
		assert_true(n >= 1 && n <= MQ_NITEMS(items));
		for (i = 0; i < n; i++) {
			const char *p = rows[i];

			assert_true(mq_strwidth(rows[i]) <= cols || strstr(rows[i], "  ") == NULL);
			while (at < MQ_NITEMS(items) && (p = strstr(p, items[at])) != NULL) {
				p += strlen(items[at]);
				at++;
			}
		}
		assert_int_equal(at, MQ_NITEMS(items));
		mq_wrap_free(rows, n);
	}
	assert_int_equal(keytab_pack(items, 0, 80, &rows), 0);
	mq_wrap_free(rows, 0);
}

/* The help's lines in two columns: long ones broken into rows, no word or label cut. */
static void test_help_wrap(void **state)
{
	const struct keytab_help lines[] = {
		{"/", "筛选已载入的行（Enter 保留，Esc 清除）"},
		{"↑/k ↓/j PgUp/b PgDn/空格 Home/g End/G", "移动（End 载入更多）"},
		{"z m e v", "pause, resume, ask\xc2\xa0"
			    "for\xc2\xa0"
			    "more\xc2\xa0"
			    "time, decide\xc2\xa0"
			    "extension"},
	};
	struct keytab_help *rows;
	size_t n, i;

	(void)state;
	n = keytab_help_wrap(lines, MQ_NITEMS(lines), 24, 24, &rows);
	for (i = 0; i < n; i++) {
		assert_true(mq_strwidth(rows[i].keys) <= 24);
		assert_true(mq_strwidth(rows[i].help) <= 24);
	}
	assert_int_equal(n, 7);
	assert_string_equal(rows[0].keys, "/");
	assert_string_equal(rows[0].help, "筛选已载入的行（Enter 保");
	assert_string_equal(rows[1].keys, "");
	assert_string_equal(rows[1].help, "留，Esc 清除）");
	assert_string_equal(rows[2].keys, "↑/k ↓/j PgUp/b PgDn/空格");
	assert_string_equal(rows[2].help, "移动（End 载入更多）");
	assert_string_equal(rows[3].keys, "Home/g End/G");
	assert_string_equal(rows[3].help, "");
	/* a label's no-break spaces keep it on one row */
	assert_string_equal(rows[4].help, "pause, resume,");
	assert_string_equal(rows[5].help, "ask\xc2\xa0"
					  "for\xc2\xa0"
					  "more\xc2\xa0"
					  "time,");
	assert_string_equal(rows[6].help, "decide\xc2\xa0"
					  "extension");
	keytab_help_free(rows, n);
}

static void test_print(void **state)
{
	const struct keytab *tabs[] = {&global_tab, &form_tab, &case_tab};
	struct keybinds kb = {0};
	char *cause = NULL, *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	lang("en");
	assert_int_equal(keybinds_add(&kb, "accept", "F3", &cause), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	keytab_print(f, tabs, MQ_NITEMS(tabs), &kb);
	fclose(f);
	assert_non_null(strstr(buf, "ACTION"));
	assert_non_null(strstr(buf, "submit             F2, Ctrl-X"));
	assert_non_null(strstr(buf, "Forms"));
	assert_non_null(strstr(buf, "accept             a"));
	assert_non_null(strstr(buf, "(yours: F3)"));
	/* reload has other keys in the form than in the case: two lines */
	assert_non_null(strstr(buf, "reload             F5, Ctrl-R"));
	assert_non_null(strstr(buf, "reload             r, F5"));
	/* fixed keys are not listed */
	assert_null(strstr(buf, "Ctrl-A"));
	free(buf);
	keybinds_free(&kb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_check_defaults),
		cmocka_unit_test(test_runtime),
		cmocka_unit_test(test_hint),
		cmocka_unit_test(test_hint_fits),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_hint_keeps_help),
		cmocka_unit_test(test_pack),
		cmocka_unit_test(test_help_wrap),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
