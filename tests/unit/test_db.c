/*
 * Unit tests for what the database gateway (src/common/db.c) and
 * mq_program_connect() (src/common/program.c) do without a server: reading
 * a result's columns by name (exactly that name, loudly NULL when it is not
 * there: never another column), the one-line error text, and the exit code
 * and message when no server answers. What needs a server (transactions,
 * scripts, LISTEN, the reset, the exit code of a connection lost during the
 * schema check) is exercised by tests/cli and tests/tty.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mq/common.h"
#include "mq/config.h"
#include "mq/db.h"
#include "mq/program.h"

/* A result of two rows with the columns login and due_at, made without a server. */
static PGresult *make_result(void)
{
	PGresAttDesc attrs[2];
	PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);

	memset(attrs, 0, sizeof attrs);
	attrs[0].name = "login";
	attrs[0].format = 0;
	attrs[1].name = "due_at";
	attrs[1].format = 0;
	assert_non_null(res);
	assert_int_equal(PQsetResultAttrs(res, 2, attrs), 1);
	assert_int_equal(PQsetvalue(res, 0, 0, "demo_town", 9), 1);
	assert_int_equal(PQsetvalue(res, 0, 1, "2026-01-02", 10), 1);
	assert_int_equal(PQsetvalue(res, 1, 0, "demo_dept", 9), 1);
	assert_int_equal(PQsetvalue(res, 1, 1, "2026-03-04", 10), 1);
	return res;
}

static void test_field_by_name(void **state)
{
	PGresult *res = make_result();

	(void)state;
	assert_int_equal(mq_db_col(res, "login"), 0);
	assert_int_equal(mq_db_col(res, "due_at"), 1);
	assert_string_equal(mq_db_field(res, 0, "due_at"), "2026-01-02");
	assert_string_equal(mq_db_field(res, 1, "login"), "demo_dept");
	PQclear(res);
}

static void test_missing_column_is_loud(void **state)
{
	PGresult *res = make_result();

	(void)state;
	/* A missing name, another case, a quoted name: never a column by accident. */
	assert_int_equal(mq_db_col(res, "case_no"), -1);
	assert_int_equal(mq_db_col(res, "LOGIN"), -1);
	assert_int_equal(mq_db_col(res, "\"login\""), -1);
	assert_null(mq_db_field(res, 0, "case_no"));
	/* A row that is not there. */
	assert_null(mq_db_field(res, 2, "login"));
	assert_null(mq_db_field(res, -1, "login"));
	PQclear(res);
}

static void test_error_text(void **state)
{
	struct mq_db_error err;
	char *text;

	(void)state;
	memset(&err, 0, sizeof err);
	snprintf(err.sqlstate, sizeof err.sqlstate, "%s", "40001");
	err.message = xstrdup("the case was changed");
	text = mq_db_error_text(&err);
	assert_string_equal(text, "the case was changed (40001)");
	free(text);
	err.detail = xstrdup("row version 3, expected 2");
	text = mq_db_error_text(&err);
	assert_string_equal(text, "the case was changed (40001) row version 3, expected 2");
	free(text);
	err.connection_lost = true;
	text = mq_db_error_text(&err);
	assert_string_equal(text, "connection to the database lost: the case was changed");
	free(text);
	mq_db_error_clear(&err);
	assert_null(err.message);
	assert_string_equal(err.sqlstate, "");
}

/* No server at the socket: MQ_EXIT_CONNECT, no connection, a message naming the socket. */
static void test_program_connect_no_server(void **state)
{
	const struct mq_program_db how = {
		.appname = "test_db",
		.prompt = MQ_DB_NO_PROMPT,
		.schema = true,
	};
	char dir[] = "/tmp/mq_test_db_XXXXXX";
	struct mq_config cfg;
	struct mq_db *db = (struct mq_db *)&how; /* must be set to NULL */
	char *cause = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	memset(&cfg, 0, sizeof cfg);
	mq_config_defaults(&cfg);
	free(cfg.db_conninfo);
	cfg.db_conninfo = xasprintf("host=%s port=5999 dbname=x user=x", dir);
	assert_int_equal(mq_program_connect(&cfg, &how, &db, &cause), MQ_EXIT_CONNECT);
	assert_null(db);
	assert_non_null(cause);
	assert_non_null(strstr(cause, dir));
	free(cause);
	mq_config_free(&cfg);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_by_name),
		cmocka_unit_test(test_missing_column_is_loud),
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_program_connect_no_server),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
