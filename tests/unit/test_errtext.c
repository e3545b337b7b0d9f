/*
 * Unit tests for src/console/errtext.c: a database error in the person's
 * language. The refusals the database sends for a text too long (22001),
 * the SMS limit (53400), a case someone else holds past the console's
 * lock_timeout (55P03) and a statement timeout (57014) read as one Chinese
 * sentence, without the server's English; the functions' own refusals keep
 * the server's words after the sentence; an unknown SQLSTATE is shown as the
 * server said it. In Chinese (the first language) and in English.
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
	/* a function's refusal: the sentence, then the server's words */
	check("40001", "case LW-2026-000001 was changed by someone else since you opened it", NULL,
	      "您打开此案件后，已有他人修改过它。 (case LW-2026-000001 was changed by someone "
	      "else since you opened it)");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_refusals_chinese),
		cmocka_unit_test(test_new_refusals_english),
		cmocka_unit_test(test_known_and_unknown),
	};

	/* gettext reads LANGUAGE only outside the C locale (glibc). */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
