/*
 * Unit tests for src/console/errtext.c: a database error in the person's
 * language. The refusals the database sends for a text too long (22001),
 * the SMS limit (53400), a case someone else holds past the console's
 * lock_timeout (55P03) and a statement timeout (57014) read as one Chinese
 * sentence, without the server's English; the functions' own refusals are
 * followed by what the function said, in the person's words (servertext.c),
 * and by nothing English in Chinese when it is no template; an unknown
 * SQLSTATE is shown as the server said it. In Chinese (the first language)
 * and in English. Every RAISE EXCEPTION of schema/functions has its template
 * and every template its Chinese, with no English word left in it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "mq/db.h"
#include "mq/i18n.h"

static void use_language(const char *lang)
{
	setenv("MINQING_LOCALEDIR", MQ_TEST_LOCALEDIR, 1);
	mq_i18n_init(lang);
}

/* The text for an error with this SQLSTATE and server message (column: may be NULL). */
static void check(const char *sqlstate, const char *message, const char *column, const char *want)
{
	struct mq_db_error err;
	char *got;

	memset(&err, 0, sizeof err);
	snprintf(err.sqlstate, sizeof err.sqlstate, "%s", sqlstate);
	err.message = (char *)message;
	err.column = (char *)column;
	got = console_error_text(&err);
	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", sqlstate, got, want);
	free(got);
}

static void test_new_refusals_chinese(void **state)
{
	(void)state;
	use_language("zh_CN");
	check("22001", "value too long for type character varying(2000)", "note", "内容过长。");
	check("22021", "the title contains control, invisible or direction-changing characters",
	      "title", "含有不可见字符或控制字符，请去掉后重新输入。");
	check("53400", "the district has sent its 500 messages of today", NULL,
	      "短信发送已达上限，请联系督查员。");
	check("55P03", "canceling statement due to lock timeout", NULL,
	      "有人正在修改此案件，请稍后再试。");
	check("57014", "canceling statement due to statement timeout", NULL,
	      "数据库处理超时，请再试一次。");
	/* without a message too */
	check("57014", NULL, NULL, "数据库处理超时，请再试一次。");
}

static void test_new_refusals_english(void **state)
{
	(void)state;
	use_language("en");
	check("22001", "value too long for type character varying(2000)", "note",
	      "This is too long.");
	check("22021", "hidden characters", "title",
	      "This contains invisible or control characters; type it again without them.");
	check("53400", "quota", NULL, "The message limit has been reached; ask a supervisor.");
	check("55P03", "canceling statement due to lock timeout", NULL,
	      "Someone else is changing this case right now; try again in a moment.");
	check("57014", "canceling statement due to statement timeout", NULL,
	      "The database took too long; try again.");
	use_language("zh_CN");
}

static void test_known_and_unknown(void **state)
{
	struct mq_db_error err;
	char *got;

	(void)state;
	use_language("zh_CN");
	/* a function's refusal: the sentence, then what the function said, in Chinese */
	check("40001", "case LW-2026-000001 was changed by someone else since you opened it", NULL,
	      "您打开之后，已有他人修改过它。（您打开案件 LW-2026-000001 "
	      "后，已有他人修改过它）");
	check("25000", "case LW-2026-000001 is in_progress; it cannot be resolved at once", NULL,
	      "当前状态不允许此操作。（案件 LW-2026-000001 当前为“办理中”，不能“当场办结”）");
	check("42501", "your duty (officer) does not allow this", NULL,
	      "您的岗位或单位无权进行此操作。（您的岗位（信息员）不能进行此操作）");
	/* a word of the schema with no Chinese, a message of no template: the sentence alone */
	check("23502", "the submitter_name is required", "submitter_name", "此项必填。");
	check("23514",
	      "new row for relation \"cases\" violates check constraint \"cases_phone_check\"",
	      NULL, "此值不被接受。");
	check("25000", "case LW-2026-000001 is reopened; it cannot be accepted", NULL,
	      "当前状态不允许此操作。");
	check("42501", "", NULL, "您的岗位或单位无权进行此操作。");
	/* an unknown SQLSTATE: as the server said it, with the code */
	check("XX000", "internal error", NULL, "internal error (XX000)");
	/* the connection lost */
	memset(&err, 0, sizeof err);
	err.connection_lost = true;
	got = console_error_text(&err);
	assert_string_equal(got, "与数据库的连接已中断。");
	free(got);
}

static void test_functions_in_english(void **state)
{
	(void)state;
	use_language("en");
	/* the words of the schema in English words too, the rest as the function said */
	check("25000", "case LW-2026-000001 is in_progress; it cannot be resolved at once", NULL,
	      "Its state does not allow this now. (case LW-2026-000001 is in progress; it "
	      "cannot be resolved at once)");
	check("23514",
	      "new row for relation \"cases\" violates check constraint \"cases_phone_check\"",
	      NULL,
	      "This value is not accepted. (new row for relation \"cases\" violates check "
	      "constraint \"cases_phone_check\")");
	use_language("zh_CN");
}

/* The templates of RAISE EXCEPTION in one function file, as servertext.c writes them. */
static size_t raised_templates(const char *path, char **out, size_t max)
{
	FILE *f = fopen(path, "r");
	static char buf[1 << 20];
	size_t n, k = 0;
	char *p;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (p = buf; (p = strstr(p, "RAISE EXCEPTION '")) != NULL;) {
		char tpl[1024];
		size_t len = 0;

		p += strlen("RAISE EXCEPTION ");
		/* string constants, and the continuation of one on the next line */
		while (*p == '\'') {
			for (p++; *p != '\0'; p++) {
				if (p[0] == '\'' && p[1] == '\'') {
					tpl[len++] = '\'';
					p++;
				} else if (p[0] == '\'') {
					p++;
					break;
				} else if (p[0] == '%') {
					tpl[len++] = '%';
					tpl[len++] = 's';
				} else
					tpl[len++] = *p;
				assert_true(len < sizeof tpl - 2);
			}
			if (strspn(p, " \t\n") == 0 || memchr(p, '\n', strspn(p, " \t\n")) == NULL)
				break;
			p += strspn(p, " \t\n");
		}
		tpl[len] = '\0';
		assert_true(k < max);
		out[k++] = strdup(tpl);
	}
	return k;
}

static bool known_template(const char *tpl)
{
	const char *t, *kinds;
	size_t i;

	for (i = 0; (t = servertext_template(i, &kinds)) != NULL; i++)
		if (strcmp(t, tpl) == 0)
			return true;
	return false;
}

static void test_every_refusal_has_its_template(void **state)
{
	char *raised[512], path[4096];
	size_t n = 0, i, j, nt;
	struct dirent *d;
	const char *t, *kinds;
	DIR *dir = opendir(MQ_SOURCE_FUNCTIONS);

	(void)state;
	assert_non_null(dir);
	while ((d = readdir(dir)) != NULL) {
		size_t l = strlen(d->d_name);

		if (l < 5 || strcmp(d->d_name + l - 4, ".sql") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", MQ_SOURCE_FUNCTIONS, d->d_name);
		n += raised_templates(path, raised + n, MQ_NITEMS(raised) - n);
	}
	closedir(dir);
	assert_true(n > 50);
	for (i = 0; i < n; i++)
		if (!known_template(raised[i]))
			fail_msg("RAISE EXCEPTION '%s' has no template in src/console/servertext.c",
				 raised[i]);
	/* and no template is left over from a message no function raises */
	for (nt = 0; (t = servertext_template(nt, &kinds)) != NULL; nt++) {
		for (j = 0; j < n && strcmp(raised[j], t) != 0; j++)
			;
		if (j == n)
			fail_msg("servertext.c: no function raises '%s'", t);
	}
	for (i = 0; i < n; i++)
		free(raised[i]);
}

/* A message of template t with a sample for each parameter, as a function would raise it. */
static char *sample_message(const char *t, const char *kinds)
{
	static const struct {
		char kind;
		const char *value;
	} samples[] = {{'v', "LW-2026-000123"}, {'s', "closed"},     {'a', "accepted"},
		       {'u', "village"},        {'t', "enterprise"}, {'d', "handler"},
		       {'o', "DELETE"},         {'x', "title"}};
	char *out = malloc(strlen(t) + 64 * 4 + 1), *o = out;
	size_t k = 0, i;

	assert_non_null(out);
	while (*t != '\0') {
		if (t[0] == '%' && t[1] == 's') {
			for (i = 0; i < MQ_NITEMS(samples) && samples[i].kind != kinds[k]; i++)
				;
			assert_true(i < MQ_NITEMS(samples));
			o += sprintf(o, "%s", samples[i].value);
			k++;
			t += 2;
		} else
			*o++ = *t++;
	}
	*o = '\0';
	assert_int_equal(k, strlen(kinds));
	return out;
}

static void test_every_template_in_chinese(void **state)
{
	const char *t, *kinds, *p;
	char *msg, *got;
	size_t i;

	(void)state;
	use_language("zh_CN");
	for (i = 0; (t = servertext_template(i, &kinds)) != NULL; i++) {
		msg = sample_message(t, kinds);
		got = servertext_translate(msg);
		if (strchr(kinds, 'x') != NULL) {
			/* a schema word the person has no word for: not shown at all */
			assert_null(got);
			free(msg);
			continue;
		}
		if (got == NULL) {
			fail_msg("no Chinese for \"%s\"", msg);
			return;
		}
		for (p = got; *p != '\0'; p++)
			if (p[0] >= 'a' && p[0] <= 'z' && p[1] >= 'a' && p[1] <= 'z')
				fail_msg("English in the Chinese of \"%s\": \"%s\"", msg, got);
		if (strchr(kinds, 'v') != NULL && strstr(got, "LW-2026-000123") == NULL)
			fail_msg("the Chinese of \"%s\" lost a parameter: \"%s\"", msg, got);
		free(got);
		free(msg);
	}
	/* a megabyte's parameter is not matched (and not shown) */
	msg = malloc(1 << 20);
	assert_non_null(msg);
	memset(msg, 'A', (1 << 20) - 1);
	memcpy(msg, "unknown order \"", 15);
	msg[(1 << 20) - 2] = '"';
	msg[(1 << 20) - 1] = '\0';
	assert_null(servertext_translate(msg));
	free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_refusals_chinese),
		cmocka_unit_test(test_new_refusals_english),
		cmocka_unit_test(test_known_and_unknown),
		cmocka_unit_test(test_functions_in_english),
		cmocka_unit_test(test_every_refusal_has_its_template),
		cmocka_unit_test(test_every_template_in_chinese),
	};

	/* gettext reads LANGUAGE only outside the C locale (glibc). */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
