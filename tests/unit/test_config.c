/*
 * Unit tests for the configuration reader (src/common/config.c): defaults,
 * every setting read from a file with Chinese in comments and values, each
 * kind of mistake reported with the right file and line, passwords refused
 * wherever they appear, the order in which the files override each other,
 * and the printed table.
 *
 * Files with mistakes are written by the tests into a temporary directory so
 * the expected line number sits next to the text; the environment variables
 * that choose the system and user files point into that directory too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mq/common.h"
#include "mq/config.h"

#ifndef MQ_TEST_DATA
#error "MQ_TEST_DATA must name tests/unit/data"
#endif

#define PASSWORD_MSG                                                                               \
	"a password does not belong in the configuration file; use ~/.pgpass or let the program "  \
	"ask for it"

static char tmpdir[] = "/tmp/mq-test-config-XXXXXX";

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	/* Never read the real system or user files. */
	setenv("MINQING_SYSTEM_CONFIG", "/nonexistent/minqing.conf", 1);
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/nonexistent", 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* tmpdir/name; caller frees. */
static char *tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/*
 * Write text to tmpdir/name, creating the directories on the way, and
 * return the path (caller frees).
 */
static char *write_file(const char *name, const char *text)
{
	char *path = tmp_path(name), *p;
	FILE *f;

	for (p = path + strlen(tmpdir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", path, strerror(errno));
		*p = '/';
	}
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	return path;
}

/* Compare two configurations field by field. */
static void assert_config_equal(const struct mq_config *a, const struct mq_config *b)
{
	assert_string_equal(a->db_conninfo, b->db_conninfo);
	assert_string_equal(a->db_service, b->db_service);
	assert_int_equal(a->db_connect_timeout, b->db_connect_timeout);
	assert_string_equal(a->ui_language, b->ui_language);
	assert_int_equal(a->ui_color, b->ui_color);
	assert_int_equal(a->ui_bell, b->ui_bell);
	assert_string_equal(a->forms_dir, b->forms_dir);
}

/*
 * Load text (as tmpdir/t.conf) over the defaults and expect it to be refused
 * with "<path>:<want>"; the configuration must be left as it was.
 */
static void expect_error(const char *text, const char *want)
{
	struct mq_config cfg, defaults;
	char *path = write_file("t.conf", text), *cause = NULL, *full;

	mq_config_defaults(&cfg);
	mq_config_defaults(&defaults);
	assert_int_equal(mq_config_load_file(&cfg, path, true, &cause), -1);
	assert_non_null(cause);
	full = xasprintf("%s:%s", path, want);
	assert_string_equal(cause, full);
	assert_config_equal(&cfg, &defaults);
	free(full);
	free(cause);
	free(path);
	mq_config_free(&cfg);
	mq_config_free(&defaults);
}

/* Load text (as tmpdir/t.conf) over the defaults into cfg; it must succeed. */
static void expect_ok(const char *text, struct mq_config *cfg)
{
	char *path = write_file("t.conf", text), *cause = NULL;
	int rc;

	mq_config_defaults(cfg);
	rc = mq_config_load_file(cfg, path, true, &cause);
	if (rc != 0)
		fail_msg("unexpected error: %s", cause);
	assert_null(cause);
	free(path);
}

static void test_table(void **state)
{
	static const char *const names[] = {
		"database.conninfo",
		"database.service",
		"database.connect_timeout",
		"database.report_conninfo",
		"ui.language",
		"ui.color",
		"ui.bell",
		"ui.charts",
		"forms.dir",
		"export.dir",
		"export.encoding",
	};
	size_t i;

	(void)state;
	/* the fixed settings, then keys.<action> for every action of the console */
	assert_int_equal(mq_nsettings, MQ_NITEMS(names) + MQ_NKEYS);
	assert_string_equal(mq_settings[MQ_NITEMS(names)].name, "keys.quit");
	assert_string_equal(mq_settings[mq_nsettings - 1].name, "keys.urge");
	for (i = 0; i < mq_nsettings; i++) {
		if (i < MQ_NITEMS(names))
			assert_string_equal(mq_settings[i].name, names[i]);
		else
			assert_int_equal(strncmp(mq_settings[i].name, "keys.", 5), 0);
		assert_non_null(mq_settings[i].help);
		assert_non_null(mq_settings[i].default_value);
	}
	assert_int_equal(mq_settings[2].type, MQ_SETTING_INT);
	assert_int_equal(mq_settings[2].min, 1);
	assert_int_equal(mq_settings[2].max, 300);
	assert_int_equal(mq_settings[4].type, MQ_SETTING_CHOICE);
	assert_string_equal(mq_settings[4].choices[0], "zh_CN");
	assert_string_equal(mq_settings[4].choices[1], "en");
	assert_null(mq_settings[4].choices[2]);
}

static void test_defaults(void **state)
{
	struct mq_config cfg;

	(void)state;
	mq_config_defaults(&cfg);
	assert_string_equal(cfg.db_conninfo, "");
	assert_string_equal(cfg.db_service, "");
	assert_int_equal(cfg.db_connect_timeout, 10);
	assert_string_equal(cfg.ui_language, "zh_CN");
	assert_true(cfg.ui_color);
	assert_false(cfg.ui_bell);
	assert_string_equal(cfg.forms_dir, MQ_DATADIR "/forms");
	mq_config_free(&cfg);
	assert_null(cfg.db_conninfo);
	assert_null(cfg.forms_dir);
	mq_config_free(&cfg); /* twice is harmless */
}

static void test_full_file(void **state)
{
	struct mq_config cfg;
	char *cause = NULL;
	int pass;

	(void)state;
	mq_config_defaults(&cfg);
	/* Twice: the second load must free the strings of the first (ASan). */
	for (pass = 0; pass < 2; pass++) {
		assert_int_equal(
			mq_config_load_file(&cfg, MQ_TEST_DATA "/config/full.conf", true, &cause),
			0);
		assert_null(cause);
		assert_string_equal(cfg.db_conninfo, "host=/tmp port=54329 dbname=民情 "
						     "application_name='民情 e站'");
		assert_string_equal(cfg.db_service, "街道办");
		assert_int_equal(cfg.db_connect_timeout, 45);
		assert_string_equal(cfg.ui_language, "en");
		assert_false(cfg.ui_color);
		assert_true(cfg.ui_bell);
		assert_string_equal(cfg.forms_dir, "/srv/民情/表单");
	}
	mq_config_free(&cfg);
}

static void test_each_setting(void **state)
{
	struct mq_config cfg;

	(void)state;
	expect_ok("database = { conninfo = \"service=测试 sslmode=require\"; };\n", &cfg);
	assert_string_equal(cfg.db_conninfo, "service=测试 sslmode=require");
	assert_int_equal(cfg.db_connect_timeout, 10);
	mq_config_free(&cfg);

	expect_ok("database = { conninfo = \"postgresql://alice@db.example/minqing\"; };\n", &cfg);
	assert_string_equal(cfg.db_conninfo, "postgresql://alice@db.example/minqing");
	mq_config_free(&cfg);

	expect_ok("database = { service = \"minqing\"; };\n", &cfg);
	assert_string_equal(cfg.db_service, "minqing");
	assert_string_equal(cfg.db_conninfo, "");
	mq_config_free(&cfg);

	expect_ok("database = { connect_timeout = 1; };\n", &cfg);
	assert_int_equal(cfg.db_connect_timeout, 1);
	mq_config_free(&cfg);

	expect_ok("database = { connect_timeout = 300; };\n", &cfg);
	assert_int_equal(cfg.db_connect_timeout, 300);
	mq_config_free(&cfg);

	expect_ok("database = { connect_timeout = 0x1E; };\n", &cfg);
	assert_int_equal(cfg.db_connect_timeout, 30);
	mq_config_free(&cfg);

	expect_ok("database = { connect_timeout = 60L; };\n", &cfg);
	assert_int_equal(cfg.db_connect_timeout, 60);
	mq_config_free(&cfg);

	expect_ok("ui = { language = \"en\"; };\n", &cfg);
	assert_string_equal(cfg.ui_language, "en");
	mq_config_free(&cfg);

	expect_ok("ui = { language = \"zh_CN\"; };\n", &cfg);
	assert_string_equal(cfg.ui_language, "zh_CN");
	mq_config_free(&cfg);

	expect_ok("ui = { color = false; };\n", &cfg);
	assert_false(cfg.ui_color);
	assert_false(cfg.ui_bell);
	mq_config_free(&cfg);

	expect_ok("ui = { bell = true; };\n", &cfg);
	assert_true(cfg.ui_bell);
	assert_true(cfg.ui_color);
	mq_config_free(&cfg);

	expect_ok("forms = { dir = \"/opt/表单\"; };\n", &cfg);
	assert_string_equal(cfg.forms_dir, "/opt/表单");
	mq_config_free(&cfg);

	/* libconfig's other separators are accepted too */
	expect_ok("ui : { bell = true, color = false };\n", &cfg);
	assert_true(cfg.ui_bell);
	assert_false(cfg.ui_color);
	mq_config_free(&cfg);
}

static void test_empty_and_comments(void **state)
{
	struct mq_config cfg, defaults;

	(void)state;
	mq_config_defaults(&defaults);
	expect_ok("", &cfg);
	assert_config_equal(&cfg, &defaults);
	mq_config_free(&cfg);

	expect_ok("# 只有注释\n// 注释\n/* 多行\n   注释 */\n\n", &cfg);
	assert_config_equal(&cfg, &defaults);
	mq_config_free(&cfg);

	expect_ok("ui = { };\ndatabase = {};\n", &cfg);
	assert_config_equal(&cfg, &defaults);
	mq_config_free(&cfg);
	mq_config_free(&defaults);
}

static void test_unknown_setting(void **state)
{
	(void)state;
	expect_error("# 界面\n"
		     "database = {\n"
		     "\tconninfo = \"\";\n"
		     "};\n"
		     "ui = {\n"
		     "\tlanguage = \"en\";\n"
		     "\tcolour = true;\n"
		     "};\n",
		     "7: unknown setting 'ui.colour'");
	expect_error("ui = { color = true; };\n\nthemes = { dark = true; };\n",
		     "3: unknown setting 'themes'");
	expect_error("ui = {\n\tcolors = {\n\t\tred = 1;\n\t};\n};\n",
		     "2: unknown setting 'ui.colors'");
	expect_error("\n\nconninfo = \"host=/tmp\";\n",
		     "3: unknown setting 'conninfo' (did you mean 'database.conninfo'?)");
	expect_error("ui = { language = \"en\"; };\nlanguage = \"en\";\n",
		     "2: unknown setting 'language' (did you mean 'ui.language'?)");
	expect_error("forms = {\n\tui = { bell = true; };\n};\n", "2: unknown setting 'forms.ui'");
}

/*
 * keys.<name> for an action the table does not know (one of a screen built
 * at run time): kept for the console to check, a dotted name as groups; the
 * value must still be a string; a later file replaces an earlier binding.
 */
static void test_key_extra(void **state)
{
	struct mq_config cfg;
	char *path, *cause = NULL;

	(void)state;
	expect_ok("keys = {\n\taccept = \"F3\";\n\tfilter = { overdue = \"F6\"; };\n"
		  "\tsort_due = \"C-d\";\n};\n",
		  &cfg);
	assert_string_equal(cfg.keys[MQ_KEY_accept], "F3");
	assert_int_equal(cfg.nkey_extra, 2);
	assert_string_equal(cfg.key_extra[0].action, "filter.overdue");
	assert_string_equal(cfg.key_extra[0].key, "F6");
	assert_string_equal(cfg.key_extra[1].action, "sort_due");
	assert_string_equal(cfg.key_extra[1].key, "C-d");
	path = write_file("t2.conf", "keys = { filter = { overdue = \"F7\"; }; };\n");
	assert_int_equal(mq_config_load_file(&cfg, path, true, &cause), 0);
	assert_int_equal(cfg.nkey_extra, 2);
	assert_string_equal(cfg.key_extra[0].key, "F7");
	free(path);
	mq_config_free(&cfg);
	assert_int_equal(cfg.nkey_extra, 0);
	assert_null(cfg.key_extra);
	expect_error("keys = {\n\tfoo = 3;\n};\n", "2: keys.foo must be a string in double quotes");
	expect_error("keys = {\n\tfilter = {\n\t\toverdue = true;\n\t};\n};\n",
		     "3: keys.filter.overdue must be a string in double quotes");
}

static void test_wrong_type(void **state)
{
	(void)state;
	expect_error("ui = {\n\tbell = \"yes\";\n};\n", "2: ui.bell must be true or false");
	expect_error("ui = {\n\tcolor = 1;\n};\n", "2: ui.color must be true or false");
	expect_error("database = {\n\n\tconnect_timeout = \"10\";\n};\n",
		     "3: database.connect_timeout must be a whole number from 1 to 300");
	expect_error("database = { connect_timeout = 1.5; };\n",
		     "1: database.connect_timeout must be a whole number from 1 to 300");
	expect_error("database = { conninfo = 5; };\n",
		     "1: database.conninfo must be a string in double quotes");
	expect_error("database = { service = true; };\n",
		     "1: database.service must be a string in double quotes");
	expect_error("forms = {\n\tdir = [\"a\", \"b\"];\n};\n",
		     "2: forms.dir must be a string in double quotes");
	expect_error("forms = {\n\tdir = { path = \"/x\"; };\n};\n",
		     "2: forms.dir must be a string in double quotes");
	expect_error("# x\nui = true;\n", "2: ui must be a group of settings: ui = { ... };");
	expect_error("database = ( \"host=/tmp\" );\n",
		     "1: database must be a group of settings: database = { ... };");
}

static void test_out_of_range(void **state)
{
	(void)state;
	expect_error("database = {\n\tconnect_timeout = 0;\n};\n",
		     "2: database.connect_timeout must be from 1 to 300, not 0");
	expect_error("database = {\n\tconnect_timeout = 301;\n};\n",
		     "2: database.connect_timeout must be from 1 to 300, not 301");
	expect_error("database = {\n\tconnect_timeout = -5;\n};\n",
		     "2: database.connect_timeout must be from 1 to 300, not -5");
	expect_error("database = {\n\tconnect_timeout = 10000000000L;\n};\n",
		     "2: database.connect_timeout must be from 1 to 300, not 10000000000");
}

static void test_bad_choice(void **state)
{
	(void)state;
	expect_error("ui = {\n\tlanguage = \"fr\";\n};\n",
		     "2: ui.language must be one of \"zh_CN\", \"en\", not \"fr\"");
	expect_error("ui = {\n\tlanguage = \"中文\";\n};\n",
		     "2: ui.language must be one of \"zh_CN\", \"en\", not \"中文\"");
	expect_error("ui = {\n\tlanguage = \"zh_cn\";\n};\n",
		     "2: ui.language must be one of \"zh_CN\", \"en\", not \"zh_cn\"");
	expect_error("ui = {\n\tlanguage = 1;\n};\n",
		     "2: ui.language must be one of \"zh_CN\", \"en\"");
}

static void test_password(void **state)
{
	(void)state;
	/* in the conninfo, in every form libpq accepts */
	expect_error("database = {\n\tconninfo = \"host=/tmp password=secret\";\n};\n",
		     "2: " PASSWORD_MSG);
	expect_error("database = {\n\tconninfo = \"host=/tmp password=''\";\n};\n",
		     "2: " PASSWORD_MSG);
	expect_error(
		"database = {\n\n\n\tconninfo = \"postgresql://alice:secret@db/minqing\";\n};\n",
		"4: " PASSWORD_MSG);
	expect_error("database = {\n\tconninfo = \"postgresql://db/minqing?password=x\";\n};\n",
		     "2: " PASSWORD_MSG);
	/* as a setting of its own, wherever it is */
	expect_error("database = {\n\tconninfo = \"host=/tmp\";\n\tpassword = \"秘密\";\n};\n",
		     "3: " PASSWORD_MSG);
	expect_error("# 密码\npassword = \"x\";\n", "2: " PASSWORD_MSG);
	expect_error("ui = { bell = true; };\ndb_Password = \"x\";\n", "2: " PASSWORD_MSG);
	expect_error("database = {\n\tpasswd = \"x\";\n};\n", "2: " PASSWORD_MSG);
	expect_error("password = {\n\tvalue = \"x\";\n};\n", "1: " PASSWORD_MSG);
}

static void test_bad_conninfo(void **state)
{
	(void)state;
	expect_error("database = {\n\tconninfo = \"host=/tmp bogus=1\";\n};\n",
		     "2: database.conninfo is not a valid connection string: "
		     "invalid connection option \"bogus\"");
	expect_error("database = {\n\tconninfo = \"host='/tmp\";\n};\n",
		     "2: database.conninfo is not a valid connection string: "
		     "unterminated quoted string in connection info string");
}

/* The reports' standby: a conninfo without login or password (the person's own are used). */
static void test_report_conninfo(void **state)
{
	struct mq_config cfg;

	(void)state;
	expect_ok("database = { report_conninfo = \"host=/run/standby port=5433\"; };\n", &cfg);
	assert_string_equal(cfg.db_report_conninfo, "host=/run/standby port=5433");
	mq_config_free(&cfg);
	mq_config_defaults(&cfg);
	assert_string_equal(cfg.db_report_conninfo, "");
	mq_config_free(&cfg);
	expect_error("database = {\n\treport_conninfo = \"host=/tmp user=boss\";\n};\n",
		     "2: database.report_conninfo names the standby (host, port, options), not a "
		     "login: reports are read as the person logged in");
	expect_error("database = {\n\treport_conninfo = \"host=/tmp password=x\";\n};\n",
		     "2: " PASSWORD_MSG);
	expect_error("database = {\n\treport_conninfo = \"host=/tmp bogus=1\";\n};\n",
		     "2: database.report_conninfo is not a valid connection string: "
		     "invalid connection option \"bogus\"");
}

static void test_syntax_error(void **state)
{
	(void)state;
	expect_error("ui = {\n\tbell = true;\n\tcolor = = false;\n};\n", "3: syntax error");
	expect_error("# 注释\nui = {\n\tbell = true;\n", "4: syntax error");
	/* setting names must be ASCII */
	expect_error("ui = {\n\t颜色 = true;\n};\n", "2: syntax error");
	/* a name given twice */
	expect_error("ui = {\n\tbell = true;\n\tbell = false;\n};\n", "3: duplicate setting name");
}

static void test_bom(void **state)
{
	(void)state;
	expect_error("\xEF\xBB\xBFui = { bell = true; };\n", "1: remove the UTF-8 byte-order mark");
	expect_error("\xEF\xBB\xBF", "1: remove the UTF-8 byte-order mark");
}

static void test_missing_and_unreadable(void **state)
{
	struct mq_config cfg, defaults;
	char *path = tmp_path("no-such.conf"), *cause = NULL, *want;

	(void)state;
	mq_config_defaults(&cfg);
	mq_config_defaults(&defaults);

	/* optional: not there is fine */
	assert_int_equal(mq_config_load_file(&cfg, path, false, &cause), 0);
	assert_null(cause);
	assert_config_equal(&cfg, &defaults);

	/* required */
	assert_int_equal(mq_config_load_file(&cfg, path, true, &cause), -1);
	want = xasprintf("%s: cannot open: No such file or directory", path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;

	/* a directory is not a file, optional or not */
	assert_int_equal(mq_config_load_file(&cfg, tmpdir, false, &cause), -1);
	want = xasprintf("%s: cannot open: Is a directory", tmpdir);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	free(path);

	/* there but unreadable: an error even when optional (root reads it) */
	path = write_file("secret.conf", "ui = { bell = true; };\n");
	assert_int_equal(chmod(path, 0), 0);
	if (access(path, R_OK) != 0) {
		assert_int_equal(mq_config_load_file(&cfg, path, false, &cause), -1);
		want = xasprintf("%s: cannot open: Permission denied", path);
		assert_string_equal(cause, want);
		free(want);
		free(cause);
		cause = NULL;
	}
	free(path);

	assert_config_equal(&cfg, &defaults);
	mq_config_free(&cfg);
	mq_config_free(&defaults);
}

static void test_include_reports_its_file(void **state)
{
	struct mq_config cfg;
	char *inc, *main_path, *cause = NULL, *want;

	(void)state;
	inc = write_file("inc/part.conf", "ui = {\n\tcolour = true;\n};\n");
	main_path = write_file("inc/main.conf", "# 主文件\n@include \"part.conf\"\n");
	mq_config_defaults(&cfg);
	assert_int_equal(mq_config_load_file(&cfg, main_path, true, &cause), -1);
	want = xasprintf("%s:2: unknown setting 'ui.colour'", inc);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	free(inc);
	free(main_path);

	/* a syntax error inside the included file */
	inc = write_file("inc/broken.conf", "# 坏的\nui = {\n\tbell = = true;\n};\n");
	main_path = write_file("inc/main2.conf",
			       "database = { service = \"x\"; };\n@include \"broken.conf\"\n");
	assert_int_equal(mq_config_load_file(&cfg, main_path, true, &cause), -1);
	want = xasprintf("%s:3: syntax error", inc);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	free(inc);
	free(main_path);

	/* and a good one is read */
	free(write_file("inc/good.conf", "ui = { bell = true; };\n"));
	main_path = write_file("inc/main3.conf", "@include \"good.conf\"\n");
	assert_int_equal(mq_config_load_file(&cfg, main_path, true, &cause), 0);
	assert_true(cfg.ui_bell);
	free(main_path);

	/* a directory would make libconfig exit(2): refused with file:line first */
	main_path = write_file("inc/main4.conf", "# 目录\n@include \".\"\n");
	assert_int_equal(mq_config_load_file(&cfg, main_path, true, &cause), -1);
	assert_non_null(strstr(cause, "main4.conf:2: cannot include"));
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);
	cause = NULL;
	free(main_path);
	mq_config_free(&cfg);
}

static void test_load_order(void **state)
{
	struct mq_config cfg;
	char *sys, *user, *home_user, *explicit, *xdg, *home, *cause = NULL;

	(void)state;
	sys = write_file("order/sys.conf",
			 "# 系统\n"
			 "database = { service = \"系统\"; connect_timeout = 20; };\n"
			 "ui = { language = \"en\"; bell = true; };\n");
	user = write_file("order/xdg/minqing/minqing.conf",
			  "database = { service = \"用户\"; connect_timeout = 30; };\n");
	home_user = write_file("order/home/.config/minqing/minqing.conf",
			       "database = { connect_timeout = 40; };\n");
	explicit = write_file("order/explicit.conf", "ui = { bell = false; };\n");
	xdg = tmp_path("order/xdg");
	home = tmp_path("order/home");

	setenv("MINQING_SYSTEM_CONFIG", sys, 1);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	setenv("HOME", home, 1);

	/* system, then $XDG_CONFIG_HOME, then -c */
	assert_int_equal(mq_config_load(&cfg, explicit, &cause), 0);
	assert_null(cause);
	assert_string_equal(cfg.db_service, "用户");
	assert_int_equal(cfg.db_connect_timeout, 30);
	assert_string_equal(cfg.ui_language, "en");
	assert_false(cfg.ui_bell);
	assert_true(cfg.ui_color);
	assert_string_equal(cfg.db_conninfo, "");
	mq_config_free(&cfg);

	/* no -c: the system file's bell stays */
	assert_int_equal(mq_config_load(&cfg, NULL, &cause), 0);
	assert_true(cfg.ui_bell);
	assert_int_equal(cfg.db_connect_timeout, 30);
	mq_config_free(&cfg);

	/* without XDG_CONFIG_HOME (or with a relative one): ~/.config */
	unsetenv("XDG_CONFIG_HOME");
	assert_int_equal(mq_config_load(&cfg, NULL, &cause), 0);
	assert_int_equal(cfg.db_connect_timeout, 40);
	assert_string_equal(cfg.db_service, "系统");
	mq_config_free(&cfg);
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	assert_int_equal(mq_config_load(&cfg, NULL, &cause), 0);
	assert_int_equal(cfg.db_connect_timeout, 40);
	mq_config_free(&cfg);

	/* none of the optional files there: defaults */
	setenv("MINQING_SYSTEM_CONFIG", "/nonexistent/minqing.conf", 1);
	setenv("HOME", "/nonexistent", 1);
	unsetenv("XDG_CONFIG_HOME");
	assert_int_equal(mq_config_load(&cfg, NULL, &cause), 0);
	assert_int_equal(cfg.db_connect_timeout, 10);
	assert_string_equal(cfg.ui_language, "zh_CN");
	assert_string_equal(cfg.db_service, "");
	mq_config_free(&cfg);
	unsetenv("HOME");
	assert_int_equal(mq_config_load(&cfg, explicit, &cause), 0);
	assert_false(cfg.ui_bell);
	mq_config_free(&cfg);

	free(sys);
	free(user);
	free(home_user);
	free(explicit);
	free(xdg);
	free(home);
	setenv("HOME", "/nonexistent", 1);
}

static void test_load_errors(void **state)
{
	struct mq_config cfg;
	char *missing, *bad_user, *xdg, *cause = NULL, *want;

	(void)state;
	/* -c FILE must exist */
	missing = tmp_path("errors/missing.conf");
	assert_int_equal(mq_config_load(&cfg, missing, &cause), -1);
	want = xasprintf("%s: cannot open: No such file or directory", missing);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	mq_config_free(&cfg);

	/* a mistake in the user's file stops the load, with its name */
	bad_user = write_file("errors/xdg/minqing/minqing.conf",
			      "ui = {\n\tbell = true;\n\tlanguage = \"de\";\n};\n");
	xdg = tmp_path("errors/xdg");
	setenv("XDG_CONFIG_HOME", xdg, 1);
	assert_int_equal(mq_config_load(&cfg, NULL, &cause), -1);
	want = xasprintf("%s:3: ui.language must be one of \"zh_CN\", \"en\", not \"de\"",
			 bad_user);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	mq_config_free(&cfg);
	unsetenv("XDG_CONFIG_HOME");

	/* and in the system file */
	setenv("MINQING_SYSTEM_CONFIG", bad_user, 1);
	assert_int_equal(mq_config_load(&cfg, NULL, &cause), -1);
	assert_non_null(strstr(cause, ":3: ui.language"));
	free(cause);
	mq_config_free(&cfg);
	setenv("MINQING_SYSTEM_CONFIG", "/nonexistent/minqing.conf", 1);

	free(missing);
	free(bad_user);
	free(xdg);
}

static void test_print_table(void **state)
{
	char *path = tmp_path("table.txt"), line[512];
	size_t name_width = strlen("database.connect_timeout"), i = 0;
	int saved, fd;
	FILE *f;

	(void)state;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	mq_config_print_table();
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);

	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		/* every row's second column starts in the same place */
		assert_true(strlen(line) > name_width + 2);
		assert_int_equal(line[name_width], ' ');
		assert_int_equal(line[name_width + 1], ' ');
		assert_true(line[name_width + 2] != ' ');
		if (i == 0)
			assert_memory_equal(line, "SETTING ", 8);
		else
			assert_memory_equal(line, mq_settings[i - 1].name,
					    strlen(mq_settings[i - 1].name));
		if (i == 3) {
			assert_non_null(strstr(line, "integer"));
			assert_non_null(strstr(line, " 10 "));
			assert_non_null(strstr(line, "1..300"));
		}
		if (i == 5)
			assert_non_null(strstr(line, "\"zh_CN\", \"en\""));
		if (i == 9)
			assert_non_null(strstr(line, "\"" MQ_DATADIR "/forms\""));
		i++;
	}
	fclose(f);
	assert_int_equal(i, mq_nsettings + 1);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_key_extra),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_each_setting),
		cmocka_unit_test(test_empty_and_comments),
		cmocka_unit_test(test_unknown_setting),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_bad_choice),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_bad_conninfo),
		cmocka_unit_test(test_report_conninfo),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_missing_and_unreadable),
		cmocka_unit_test(test_include_reports_its_file),
		cmocka_unit_test(test_load_order),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_print_table),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
