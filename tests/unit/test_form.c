/*
 * Unit tests for forms (src/common/form.c): a file with every type and
 * setting read back completely; each kind of mistake in a form file
 * reported at its exact file and line (tests/unit/data/forms/bad/, one
 * mistake per file, the line named in the file's first comment); files that
 * cannot be read at all (BOM, NUL, invalid UTF-8, a directory); @include; a
 * directory of forms; the shipped forms/; the check of typed values for
 * every field type (the calendar with its 29 Februaries, the GB 11643 check
 * character); and the call a form submits, with and without optional
 * fields. The check against a database is tested by tests/cli/forms_lint.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mq/common.h"
#include "mq/form.h"

#ifndef MQ_TEST_DATA
#error "MQ_TEST_DATA must name tests/unit/data"
#endif

#define FORMS   MQ_TEST_DATA "/forms"
#define GOOD    FORMS "/good"
#define BAD     FORMS "/bad"
#define SHIPPED MQ_TEST_DATA "/../../../forms"
#define IDENT_HELP                                                                                 \
	"is not an identifier: use a-z, 0-9 and _, not starting with a digit, at most 63 "         \
	"characters"

static char tmpdir[] = "/tmp/mq-test-form-XXXXXX";

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
	/* Patterns are compiled in the locale's character set, as in the console. */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return -1;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write size bytes to tmpdir/name and return the path (caller frees). */
static char *write_bytes(const char *name, const char *bytes, size_t size)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, size, f), size);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* Load path, which must fail with exactly "path:expected". */
static void expect_load_error(const char *path, const char *expected)
{
	char *cause = NULL, *want = xasprintf("%s:%s", path, expected);
	struct mq_form *form = mq_form_load(path, &cause);

	assert_null(form);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
}

static struct mq_form *load_ok(const char *path)
{
	char *cause = NULL;
	struct mq_form *form = mq_form_load(path, &cause);

	if (form == NULL)
		fail_msg("%s", cause);
	assert_null(cause);
	return form;
}

/* --- a good file, read back completely ------------------------------------------------- */

static void test_all_types(void **state)
{
	struct mq_form *form = load_ok(GOOD "/all_types.form");
	const struct mq_form_field *f;

	(void)state;
	assert_string_equal(form->name, "all_types");
	assert_string_equal(form->path, GOOD "/all_types.form");
	assert_int_equal(form->line, 2);
	assert_string_equal(mq_form_title(form, "zh_CN"), "全部类型");
	assert_string_equal(mq_form_title(form, "en"), "All types");
	assert_string_equal(mq_form_help(form, NULL), "第一行\n第二行");
	assert_string_equal(mq_form_help(form, "en"), "Line one\nline two");
	assert_string_equal(form->schema, "test_schema");
	assert_string_equal(form->function, "all_types");
	assert_int_equal(form->function_line, 5);
	assert_int_equal(form->nresult, 2);
	assert_string_equal(form->result[0], "out_id");
	assert_string_equal(form->result[1], "out_no");
	assert_int_equal(form->result_line, 6);
	assert_int_equal(form->ncontext, 2);
	assert_string_equal(form->context[0].param, "p_case");
	assert_string_equal(form->context[0].from, "case_id");
	assert_int_equal(form->context[0].line, 7);
	assert_string_equal(form->context[1].param, "p_version");
	assert_string_equal(form->context[1].from, "row_version");
	assert_int_equal(form->context[1].line, 8);
	assert_int_equal(form->nfields, 16);

	f = &form->fields[0];
	assert_string_equal(f->name, "title");
	assert_string_equal(f->param, "p_title");
	assert_int_equal(f->type, MQ_FIELD_TEXT);
	assert_int_equal(f->line, 10);
	assert_int_equal(f->width, 30);
	assert_int_equal(f->height, 1);
	assert_int_equal(f->max_length, 10);
	assert_true(f->required);
	assert_string_equal(f->pattern, "[^0-9]*");
	assert_non_null(f->regex);
	assert_string_equal(f->default_value, "默认标题");
	assert_string_equal(mq_form_label(f, "zh_CN"), "标题");
	assert_string_equal(mq_form_label(f, "en"), "Title");
	assert_string_equal(mq_form_field_help(f, "en"), "One line");

	f = &form->fields[1]; /* multiline with the defaults */
	assert_int_equal(f->type, MQ_FIELD_MULTILINE);
	assert_int_equal(f->width, 60);
	assert_int_equal(f->height, 5);
	assert_int_equal(f->max_length, 2000);
	assert_false(f->required);
	assert_null(f->pattern);
	assert_null(f->default_value);
	assert_null(mq_form_field_help(f, "en"));
	assert_null(mq_form_field_help(f, "zh_CN"));

	f = &form->fields[2];
	assert_int_equal(f->type, MQ_FIELD_INTEGER);
	assert_true(f->has_min && f->has_max);
	assert_int_equal(f->min, 1);
	assert_int_equal(f->max, 60);
	assert_string_equal(f->default_value, "5");
	assert_int_equal(f->width, 10);
	assert_false(form->fields[3].has_min || form->fields[3].has_max);

	assert_int_equal(form->fields[4].type, MQ_FIELD_DATE);
	assert_int_equal(form->fields[4].width, 10);
	assert_int_equal(form->fields[5].type, MQ_FIELD_DATETIME);
	assert_int_equal(form->fields[5].width, 16);
	assert_int_equal(form->fields[6].type, MQ_FIELD_PHONE);
	assert_int_equal(form->fields[6].max_length, 11);
	assert_int_equal(form->fields[7].type, MQ_FIELD_IDCARD);
	assert_int_equal(form->fields[7].max_length, 18);

	f = &form->fields[8];
	assert_int_equal(f->type, MQ_FIELD_CHOICE);
	assert_string_equal(f->default_value, "walk_in");
	assert_int_equal(f->noptions, 2);
	assert_string_equal(f->options[1].value, "hotline");
	assert_int_equal(f->options[1].line, 31);
	assert_string_equal(mq_form_option_label(&f->options[1], "zh_CN"), "热线");
	assert_string_equal(mq_form_option_label(&f->options[1], "en"), "Hotline");
	assert_ptr_equal(mq_form_option_find(f, "hotline"), &f->options[1]);
	assert_null(mq_form_option_find(f, "email"));

	assert_int_equal(form->fields[9].type, MQ_FIELD_LOOKUP);
	assert_int_equal(form->fields[9].lookup, MQ_LOOKUP_CATEGORY);
	assert_int_equal(form->fields[10].lookup, MQ_LOOKUP_UNIT);
	assert_int_equal(form->fields[11].lookup, MQ_LOOKUP_STAFF);
	assert_int_equal(form->fields[12].lookup, MQ_LOOKUP_RESIDENT);
	assert_int_equal(form->fields[13].lookup, MQ_LOOKUP_HOUSEHOLD);
	assert_string_equal(mq_lookup_kind_name(form->fields[11].lookup), "staff");

	f = &form->fields[14];
	assert_int_equal(f->type, MQ_FIELD_YESNO);
	assert_string_equal(f->default_value, "false");
	assert_false(f->required);
	assert_true(form->fields[15].required);
	assert_null(form->fields[15].default_value);
	assert_string_equal(mq_field_type_name(f->type), "yesno");
	mq_form_free(form);
}

static void test_minimal(void **state)
{
	struct mq_form *form = load_ok(GOOD "/minimal.form");

	(void)state;
	assert_string_equal(form->name, "minimal");
	assert_int_equal(form->nfields, 0);
	assert_int_equal(form->ncontext, 0);
	assert_int_equal(form->nresult, 0);
	assert_null(mq_form_help(form, "en"));
	mq_form_free(form);
	mq_form_free(NULL); /* harmless */
}

/* --- every kind of mistake, at its line --------------------------------------------------- */

static void test_bad_files(void **state)
{
	static const struct {
		const char *file, *error;
	} cases[] = {
		{"syntax", "4: syntax error"},
		{"unknown_type", "6: unknown field type 'txt' (did you mean 'text'?)"},
		{"unknown_type_far",
		 "6: unknown field type 'blob' (one of: text, multiline, integer, "
		 "date, datetime, phone, idcard, choice, lookup, yesno)"},
		{"duplicate_name", "8: duplicate field name 'note' (also at line 6)"},
		{"duplicate_param", "8: duplicate param 'p_note' (also at line 6)"},
		{"duplicate_param_context", "7: duplicate param 'p_case' (also at line 5)"},
		{"missing_label", "6: label is missing"},
		{"missing_label_en",
		 "7: label.en is missing: every text is in Chinese and English"},
		{"label_newline", "7: label.zh must be one line without control characters"},
		{"label_blank", "7: label.en must not be empty"},
		{"bad_name", "6: name \"Note\" " IDENT_HELP},
		{"bad_param", "6: param \"p-note\" " IDENT_HELP},
		{"unknown_lookup",
		 "6: unknown lookup kind 'village' (one of: category, unit, staff, "
		 "resident, household, station)"},
		{"lookup_missing", "6: a lookup field needs lookup = \"KIND\"; (one of: category, "
				   "unit, staff, resident, household, station)"},
		{"unknown_setting", "7: unknown setting 'lable' (did you mean 'label'?)"},
		{"unknown_form_setting", "4: unknown setting 'fuction' (did you mean 'function'?)"},
		{"unknown_top", "2: unknown setting 'forms' (did you mean 'form'?)"},
		{"no_form", "1: the file must define form = { ... };"},
		{"title_missing", "2: title is missing"},
		{"fields_missing", "2: fields is missing"},
		{"field_not_group", "5: each field is a group: { name = \"...\"; param = \"...\"; "
				    "type = \"...\"; label = { ... }; }"},
		{"bad_function",
		 "4: function must be schema.name, e.g. \"minqing.case_intake\", not "
		 "\"case_accept\""},
		{"wrong_kind", "6: width must be a whole number from 1 to 200"},
		{"width_range", "6: width must be from 1 to 200, not 500"},
		{"required_kind", "6: required must be true or false"},
		{"height_text", "6: height is only for multiline fields"},
		{"min_text", "6: min is only for integer fields"},
		{"min_max", "6: max (1) is less than min (10)"},
		{"choice_no_options", "6: a choice field needs options = ( ... );"},
		{"duplicate_option", "9: duplicate option value 'a'"},
		{"bad_default", "7: default \"c\" is not valid: not one of the choices"},
		{"bad_date_default", "6: default \"2023-02-29\" is not valid: no such date: "
				     "2023-02-29"},
		{"default_kind", "6: default must be true or false"},
		{"context_from", "5: unknown context source 'case' (one of: case_id, extension_id, "
				 "row_version, row_ids)"},
		{"result_dup", "6: duplicate result column 'case_id'"},
		{"include_dir", "2: cannot include " BAD "/.: not a regular file"},
		{"offer_status", "6: status: unknown \"lost\""},
		{"offer_screen", "5: screen: unknown \"inbox\""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < MQ_NITEMS(cases); i++) {
		char *path = xasprintf("%s/%s.form", BAD, cases[i].file);

		expect_load_error(path, cases[i].error);
		free(path);
	}
}

/* The regex library's own words vary: the place and the start of the message are ours. */
static void test_bad_regex(void **state)
{
	const char *want = BAD "/bad_regex.form:7: bad regular expression \"([a-z]\": ";
	char *cause = NULL;

	(void)state;
	assert_null(mq_form_load(BAD "/bad_regex.form", &cause));
	assert_non_null(cause);
	assert_memory_equal(cause, want, strlen(want));
	assert_true(strlen(cause) > strlen(want));
	free(cause);
}

/* Every file of bad/ is tested above: a new one without a case fails here. */
static void test_every_bad_file_has_a_case(void **state)
{
	char **paths;
	size_t n;
	char *cause = NULL;

	(void)state;
	assert_int_equal(mq_forms_scan_dir(BAD, &paths, &n, &cause), 0);
	assert_int_equal(n, 39); /* the 38 cases of test_bad_files and bad_regex */
	mq_forms_free_paths(paths, n);
}

static void test_unreadable_files(void **state)
{
	static const char bom[] = "\xEF\xBB\xBF"
				  "form: { };\n";
	static const char nul[] = "# a NUL on line 2\nform: {\0};\n";
	static const char bad_utf8[] = "form: {\n"
				       "  title = { zh = \"\xE6\xB0\"; en = \"Bad\"; };\n"
				       "  function = \"minqing.case_accept\";\n"
				       "  fields = ( );\n"
				       "};\n";
	static const char control[] = "form: {\n"
				      "  title = { zh = \"x\"; en = \"B\x01\"; };\n"
				      "};\n";
	char *path, *cause = NULL;

	(void)state;
	path = write_bytes("bom.form", bom, sizeof bom - 1);
	expect_load_error(path, "1: remove the UTF-8 byte-order mark");
	free(path);
	path = write_bytes("nul.form", nul, sizeof nul - 1);
	expect_load_error(path, "2: the file contains a NUL byte");
	free(path);
	path = write_bytes("utf8.form", bad_utf8, sizeof bad_utf8 - 1);
	expect_load_error(path, "2: title.zh is not valid UTF-8");
	free(path);
	path = write_bytes("control.form", control, sizeof control - 1);
	expect_load_error(path, "2: title.en must be one line without control characters");
	free(path);

	path = xasprintf("%s/missing.form", tmpdir);
	assert_null(mq_form_load(path, &cause));
	assert_non_null(strstr(cause, "missing.form: cannot open: "));
	free(cause);
	free(path);
	assert_null(mq_form_load(GOOD "/sub.form", &cause));
	assert_string_equal(cause, GOOD "/sub.form: cannot open: Is a directory");
	free(cause);
}

static void test_include(void **state)
{
	struct mq_form *form = load_ok(FORMS "/include/main.form");

	(void)state;
	assert_int_equal(form->nfields, 1);
	assert_int_equal(form->fields[0].noptions, 2);
	assert_string_equal(form->fields[0].options[1].value, "not_satisfied");
	mq_form_free(form);
}

/* A mistake in an included file is reported in that file, at its line. */
static void test_include_names_its_file(void **state)
{
	char *cause = NULL;

	(void)state;
	assert_null(mq_form_load(FORMS "/include/bad_main.form", &cause));
	assert_string_equal(cause, FORMS "/include/bad_fields.inc:2: unknown field type 'choise' "
					 "(did you mean 'choice'?)");
	free(cause);
}

/* --- directories ---------------------------------------------------------------------------- */

static void test_dir(void **state)
{
	struct mq_form **forms;
	char **paths, *cause = NULL, *path;
	size_t n;

	(void)state;
	/* Only regular *.form files, not hidden, not README.txt, not the directory sub.form. */
	assert_int_equal(mq_forms_scan_dir(GOOD, &paths, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(paths[0], GOOD "/all_types.form");
	assert_string_equal(paths[1], GOOD "/minimal.form");
	mq_forms_free_paths(paths, n);

	assert_int_equal(mq_forms_load_dir(GOOD, &forms, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_ptr_equal(mq_form_find(forms, n, "minimal"), forms[1]);
	assert_ptr_equal(mq_form_find(forms, n, "all_types"), forms[0]);
	assert_null(mq_form_find(forms, n, "all_types.form"));
	assert_null(mq_form_find(forms, n, "nothing"));
	mq_forms_free(forms, n);

	/* The first bad file in name order stops it; nothing is returned. */
	assert_int_equal(mq_forms_load_dir(BAD, &forms, &n, &cause), -1);
	assert_null(forms);
	assert_int_equal(n, 0);
	assert_string_equal(cause, BAD "/bad_date_default.form:6: default \"2023-02-29\" is not "
				       "valid: no such date: 2023-02-29");
	free(cause);

	assert_int_equal(mq_forms_load_dir(FORMS "/nothing", &forms, &n, &cause), -1);
	assert_string_equal(cause, FORMS "/nothing: cannot read the forms directory: No such file "
					 "or directory");
	free(cause);
	/* An empty directory has no forms, which is not an error here. */
	path = xasprintf("%s/empty", tmpdir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(mq_forms_load_dir(path, &forms, &n, &cause), 0);
	assert_int_equal(n, 0);
	mq_forms_free(forms, n);
	free(path);
}

/*
 * The forms shipped in forms/ load, there is one for every workflow function
 * of schema/004_cases.sql a person fills in, and intake offers exactly the
 * channels of the schema's case_channel.
 */
static void test_shipped_forms(void **state)
{
	static const char *const channels[] = {
		"walk_in",          "hotline",          "email", "letter", "party_visit",
		"dialogue_meeting", "station_terminal", "sms"};
	static const char *const names[] = {
		"case_accept",   "case_close",           "case_decide_extension",
		"case_dispatch", "case_intake",          "case_pause",
		"case_progress", "case_report_back",     "case_request_extension",
		"case_resolve",  "case_resolve_at_once", "case_resume",
		"case_return",   "case_start",           "case_urge",
		"case_withdraw"};
	const struct mq_form *intake;
	const struct mq_form_field *channel;
	struct mq_form **forms;
	char *cause = NULL;
	size_t n, i;

	(void)state;
	if (mq_forms_load_dir(SHIPPED, &forms, &n, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(n >= MQ_NITEMS(names));
	for (i = 0; i < MQ_NITEMS(names); i++) {
		const struct mq_form *form = mq_form_find(forms, n, names[i]);

		if (form == NULL)
			fail_msg("no form %s in forms/", names[i]);
		/* Each case form submits to the function it is named after. */
		assert_string_equal(form->schema, "minqing");
		assert_string_equal(form->function, names[i]);
	}
	/* Every workflow step offers itself on the case screen, with a key. */
	for (i = 0; i < MQ_NITEMS(names); i++) {
		const struct mq_form *form = mq_form_find(forms, n, names[i]);

		if (strcmp(names[i], "case_intake") == 0) {
			assert_null(form->offer);
			continue;
		}
		if (form->offer == NULL)
			fail_msg("%s offers itself on no screen", names[i]);
		assert_string_equal(form->offer->screen, "case");
		assert_non_null(form->offer->key);
		assert_non_null(form->offer->status);
		assert_non_null(form->offer->label.zh);
		/* One name for one thing: the form is titled as the action that opens it. */
		if (strcmp(form->title.zh, form->offer->label.zh) != 0)
			fail_msg("%s: the action %s opens a form titled %s", names[i],
				 form->offer->label.zh, form->title.zh);
	}
	/* The names a person's keys.<name> used before stay. */
	assert_string_equal(mq_form_find(forms, n, "case_set_category")->offer->name, "category");
	assert_string_equal(mq_form_find(forms, n, "case_request_extension")->offer->name,
			    "extend");
	assert_string_equal(mq_form_find(forms, n, "case_accept")->offer->name, "accept");
	assert_true(mq_form_find(forms, n, "case_decide_extension")->offer->extension);
	intake = mq_form_find(forms, n, "case_intake");
	assert_non_null(intake);
	channel = mq_form_field_for_param(intake, "p_channel");
	assert_non_null(channel);
	assert_int_equal(channel->noptions, MQ_NITEMS(channels));
	for (i = 0; i < MQ_NITEMS(channels); i++)
		assert_string_equal(channel->options[i].value, channels[i]);
	mq_forms_free(forms, n);
}

/* --- checking typed values ------------------------------------------------------------------ */

/* value must be accepted by field f (NULL expected) or refused with exactly expected. */
static void check(const struct mq_form_field *f, const char *value, const char *expected)
{
	char *msg = NULL;
	int rc = mq_field_validate(f, value, &msg);
	/* (printf's %s of NULL is undefined; an optimised build says so) */
	const char *shown = value != NULL ? value : "(NULL)";

	if (expected == NULL) {
		if (rc != 0)
			fail_msg("\"%s\" refused by %s: %s", shown, f->name,
				 msg != NULL ? msg : "");
		assert_null(msg);
		return;
	}
	if (rc == 0)
		fail_msg("\"%s\" accepted by %s, expected: %s", shown, f->name, expected);
	assert_int_equal(rc, -1);
	assert_string_equal(msg, expected);
	free(msg);
}

static const struct mq_form_field *field(const struct mq_form *form, const char *name)
{
	size_t i;

	for (i = 0; i < form->nfields; i++) {
		if (strcmp(form->fields[i].name, name) == 0)
			return &form->fields[i];
	}
	fail_msg("no field %s", name);
	return NULL;
}

static void test_validate_text(void **state)
{
	struct mq_form *form = load_ok(GOOD "/all_types.form");
	const struct mq_form_field *title = field(form, "title"), *content = field(form, "content");

	(void)state;
	check(title, NULL, "required");
	check(title, "", "required");
	check(title, "  \t", "required");
	check(title, "\xE3\x80\x80", "required"); /* the ideographic space */
	check(title, "路灯坏了", NULL);
	check(title, "一二三四五六七八九十", NULL); /* max_length counts characters, not bytes */
	check(title, "一二三四五六七八九十一", "at most 10 characters (this has 11)");
	check(title, "路灯坏了3盏", "not in the required form ([^0-9]*)"); /* the whole value */
	check(title, "两行\n文字", "must be one line");
	check(title, "铃\a", "must not contain control characters");
	check(title, "\xE8\xB7", "not valid UTF-8 text");
	check(title, "\xEF\xBF\xBD", NULL); /* U+FFFD itself is a character */

	check(content, NULL, NULL); /* optional: empty is fine */
	check(content, "", NULL);
	check(content, "第一行\n第二行\t缩进", NULL);
	check(content, "铃\a", "must not contain control characters");
	mq_form_free(form);
}

static void test_validate_integer(void **state)
{
	struct mq_form *form = load_ok(GOOD "/all_types.form");
	const struct mq_form_field *days = field(form, "days"), *count = field(form, "count");

	(void)state;
	check(days, "1", NULL);
	check(days, "60", NULL);
	check(days, "+7", NULL);
	check(days, "007", NULL);
	check(days, "0", "must be at least 1");
	check(days, "61", "must be at most 60");
	check(days, "-3", "must be at least 1");
	check(days, "3.5", "not a whole number");
	check(days, "三", "not a whole number");
	check(days, "-", "not a whole number");
	check(days, " 3", "not a whole number");
	check(count, "-9223372036854775808", NULL);
	check(count, "9223372036854775808", "too large a number");
	check(count, "", NULL);
	mq_form_free(form);
}

static void test_validate_date(void **state)
{
	struct mq_form *form = load_ok(GOOD "/all_types.form");
	const struct mq_form_field *born = field(form, "born"), *at = field(form, "at");

	(void)state;
	check(born, "2024-02-29", NULL); /* a leap year */
	check(born, "2000-02-29", NULL); /* divisible by 400 */
	check(born, "2023-02-29", "no such date: 2023-02-29");
	check(born, "1900-02-29", "no such date: 1900-02-29"); /* divisible by 100 */
	check(born, "2023-02-28", NULL);
	check(born, "2023-04-31", "no such date: 2023-04-31");
	check(born, "2023-12-31", NULL);
	check(born, "2023-13-01", "no such date: 2023-13-01");
	check(born, "2023-00-10", "no such date: 2023-00-10");
	check(born, "0000-01-01", "no such date: 0000-01-01");
	check(born, "2023-2-1", "not a date: use YYYY-MM-DD");
	check(born, "20230201", "not a date: use YYYY-MM-DD");
	check(born, "2023/02/01", "not a date: use YYYY-MM-DD");
	check(born, "2023-02-01 ", "not a date: use YYYY-MM-DD");

	check(at, "2024-02-29 23:59", NULL);
	check(at, "2024-02-29 00:00", NULL);
	check(at, "2023-02-29 10:00", "no such date: 2023-02-29");
	check(at, "2024-02-29 24:00", "no such time: 24:00");
	check(at, "2024-02-29 10:60", "no such time: 10:60");
	check(at, "2024-02-29T10:00", "not a date and time: use YYYY-MM-DD HH:MM");
	check(at, "2024-02-29", "not a date and time: use YYYY-MM-DD HH:MM");
	check(at, "2024-02-29 10:00:00", "not a date and time: use YYYY-MM-DD HH:MM");
	check(at, "2024-02-29 1a:00", "not a date and time: use YYYY-MM-DD HH:MM");
	mq_form_free(form);
}

static void test_validate_phone_idcard(void **state)
{
	struct mq_form *form = load_ok(GOOD "/all_types.form");
	const struct mq_form_field *phone = field(form, "phone"), *id = field(form, "idcard");
	const char *not_mobile = "not a mobile number: 11 digits starting with 13 to 19";
	const char *not_id = "not a resident ID number: 17 digits and a check character (0-9 or "
			     "upper-case X)";
	const char *check_char = "the ID number's check character does not match: a digit is "
				 "probably mistyped";

	(void)state;
	check(phone, "13800138000", NULL);
	check(phone, "19912345678", NULL);
	check(phone, "12800138000", not_mobile);
	check(phone, "23800138000", not_mobile);
	check(phone, "1380013800", not_mobile);
	check(phone, "138001380001", not_mobile);
	check(phone, "1380013800a", not_mobile);
	check(phone, "0577-8888888", not_mobile); /* a landline is not a mobile number */

	/*
	 * Computed by GB 11643, one for each remainder of the weighted sum
	 * (so each of the 11 check characters), all accepted by
	 * minqing.id_card_valid() too.
	 */
	check(id, "440304199912311181", NULL); /* 0 -> 1 */
	check(id, "440304199912311130", NULL); /* 1 -> 0 */
	check(id, "44030419991231119X", NULL); /* 2 -> X */
	check(id, "440304199912311149", NULL); /* 3 -> 9 */
	check(id, "440304199912312168", NULL); /* 4 -> 8 */
	check(id, "440304199912311157", NULL); /* 5 -> 7 */
	check(id, "440304199912311106", NULL); /* 6 -> 6 */
	check(id, "440304199912311165", NULL); /* 7 -> 5 */
	check(id, "440304199912311114", NULL); /* 8 -> 4 */
	check(id, "440304199912311173", NULL); /* 9 -> 3 */
	check(id, "440304199912311122", NULL); /* 10 -> 2 */
	check(id, "11010519491231002X", NULL);
	check(id, "330303200002291234", NULL);
	check(id, "440304199912311123", check_char);
	check(id, "330303198001010014", check_char);
	check(id, "110105194912310021", check_char);
	check(id, "11010519491231002x", not_id); /* the database wants an upper-case X */
	check(id, "11010519491231002", not_id);
	check(id, "11010519491231002X1", not_id);
	check(id, "1101051949123100AX", not_id);
	mq_form_free(form);
}

static void test_validate_choice_lookup_yesno(void **state)
{
	struct mq_form *form = load_ok(GOOD "/all_types.form");
	const struct mq_form_field *channel = field(form, "channel");

	(void)state;
	check(channel, "walk_in", NULL);
	check(channel, "hotline", NULL);
	check(channel, "Hotline", "not one of the choices");
	check(channel, "来访", "not one of the choices"); /* the value, not the label */

	check(field(form, "category"), "12", NULL);
	check(field(form, "category"), "0", "not a valid record number");
	check(field(form, "resident"), "-1", "not a valid record number");
	check(field(form, "household"), "1234567890123456789", "not a valid record number");
	check(field(form, "unit"), "T01V01", NULL);
	check(field(form, "unit"), "T01 V01", "not a valid unit code");
	check(field(form, "handler"), "demo_town", NULL);
	check(field(form, "handler"), "demo\ttown", "must not contain control characters");
	check(field(form, "handler"), "demo town", "not a valid login");

	check(field(form, "urgent"), "true", NULL);
	check(field(form, "urgent"), "no", NULL);
	check(field(form, "urgent"), "", NULL);
	check(field(form, "urgent"), "maybe", "answer yes or no");
	check(field(form, "key"), "", "required");
	check(field(form, "key"), "false", NULL); /* a required no is an answer */
	mq_form_free(form);
}

static void test_yesno_parse(void **state)
{
	(void)state;
	assert_int_equal(mq_yesno_parse("true"), 1);
	assert_int_equal(mq_yesno_parse("YES"), 1);
	assert_int_equal(mq_yesno_parse("t"), 1);
	assert_int_equal(mq_yesno_parse("1"), 1);
	assert_int_equal(mq_yesno_parse("On"), 1);
	assert_int_equal(mq_yesno_parse("false"), 0);
	assert_int_equal(mq_yesno_parse("No"), 0);
	assert_int_equal(mq_yesno_parse("0"), 0);
	assert_int_equal(mq_yesno_parse("off"), 0);
	assert_int_equal(mq_yesno_parse("是"), -1);
	assert_int_equal(mq_yesno_parse(""), -1);
	assert_int_equal(mq_yesno_parse(NULL), -1);
}

static void test_languages(void **state)
{
	struct mq_form *form = load_ok(GOOD "/all_types.form");
	const struct mq_form_field *f = &form->fields[0];

	(void)state;
	assert_string_equal(mq_form_label(f, NULL), "标题");
	assert_string_equal(mq_form_label(f, "zh_CN"), "标题");
	assert_string_equal(mq_form_label(f, "en"), "Title");
	assert_string_equal(mq_form_label(f, "en_GB"), "Title");
	assert_string_equal(mq_form_label(f, "eo"), "标题");
	assert_string_equal(mq_form_label(f, "english"), "标题");
	mq_form_free(form);
}

/* --- the call a form submits ---------------------------------------------------------------------
 */

static const char *context_values(const char *from, void *arg)
{
	(void)arg;
	if (strcmp(from, "case_id") == 0)
		return "42";
	return NULL; /* row_version unknown: left out */
}

static void test_build_call(void **state)
{
	struct mq_form *form = load_ok(GOOD "/all_types.form");
	const char *values[16] = {NULL};
	const char **params;
	char *sql;
	int n;

	(void)state;
	assert_int_equal(form->nfields, 16);
	values[0] = "路灯坏了"; /* title */
	values[1] = "";         /* content: empty, left out */
	values[2] = "5";        /* days */
	values[8] = "hotline";  /* channel */
	values[10] = "T01V01";  /* unit */
	values[14] = "yes";     /* urgent: sent as true */
	values[15] = "0";       /* key: sent as false */
	mq_form_build_call(form, values, context_values, NULL, &sql, &params, &n);
	assert_string_equal(sql, "SELECT * FROM \"test_schema\".\"all_types\"(\"p_title\" => $1, "
				 "\"p_days\" => $2, \"p_channel\" => $3, \"p_unit\" => $4, "
				 "\"p_urgent\" => $5, \"p_key\" => $6, \"p_case\" => $7)");
	assert_int_equal(n, 7);
	assert_ptr_equal(params[0], values[0]);
	assert_string_equal(params[1], "5");
	assert_string_equal(params[2], "hotline");
	assert_string_equal(params[3], "T01V01");
	assert_string_equal(params[4], "true");
	assert_string_equal(params[5], "false");
	assert_string_equal(params[6], "42");
	free(sql);
	free(params);

	/* $n back to its field; the context's $7 is no field. */
	assert_ptr_equal(mq_form_field_for_arg(form, values, 1), &form->fields[0]);
	assert_ptr_equal(mq_form_field_for_arg(form, values, 2), &form->fields[2]);
	assert_ptr_equal(mq_form_field_for_arg(form, values, 6), &form->fields[15]);
	assert_null(mq_form_field_for_arg(form, values, 7));
	assert_null(mq_form_field_for_arg(form, values, 0));

	/* Nothing given, no context: every parameter keeps its default. */
	mq_form_build_call(form, NULL, NULL, NULL, &sql, &params, &n);
	assert_string_equal(sql, "SELECT * FROM \"test_schema\".\"all_types\"()");
	assert_int_equal(n, 0);
	free(sql);
	free(params);
	mq_form_free(form);
}

/* The opener's table of context values: what it puts is given, the rest left out. */
static void test_context_values(void **state)
{
	struct mq_form *form = load_ok(GOOD "/all_types.form");
	struct mq_form_context_values cv;
	const char **params;
	char *sql;
	int n;

	(void)state;
	memset(&cv, 0, sizeof cv);
	assert_null(mq_form_context_value(&cv, "case_id"));
	mq_form_context_put(&cv, "case_id", "7");
	mq_form_context_put(&cv, "case_id", "42"); /* replaced, not added */
	assert_int_equal(cv.n, 1);
	assert_string_equal(mq_form_context_value(&cv, "case_id"), "42");
	assert_null(mq_form_context_value(&cv, "row_version"));
	mq_form_build_call(form, NULL, mq_form_context_lookup, &cv, &sql, &params, &n);
	assert_string_equal(sql, "SELECT * FROM \"test_schema\".\"all_types\"(\"p_case\" => $1)");
	assert_int_equal(n, 1);
	assert_string_equal(params[0], "42");
	free(sql);
	free(params);
	/* The sources a form may name are the ones an opener may put. */
	assert_string_equal(mq_form_context_sources[0], "case_id");
	mq_form_context_put(&cv, "row_version", "3");
	mq_form_context_put(&cv, "extension_id", "5");
	assert_int_equal(cv.n, 3);
	assert_string_equal(mq_form_context_value(&cv, "extension_id"), "5");
	mq_form_free(form);
}

static void test_field_for_param(void **state)
{
	struct mq_form *form = load_ok(GOOD "/all_types.form");

	(void)state;
	/* The param itself, the field's name, or the COLUMN a function names (p_ removed). */
	assert_ptr_equal(mq_form_field_for_param(form, "p_days"), &form->fields[2]);
	assert_ptr_equal(mq_form_field_for_param(form, "days"), &form->fields[2]);
	assert_ptr_equal(mq_form_field_for_param(form, "handler"), &form->fields[11]);
	assert_null(mq_form_field_for_param(form, "p_case")); /* context, not a field */
	assert_null(mq_form_field_for_param(form, "nothing"));
	assert_null(mq_form_field_for_param(form, NULL));
	mq_form_free(form);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_types),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_regex),
		cmocka_unit_test(test_every_bad_file_has_a_case),
		cmocka_unit_test(test_unreadable_files),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_include_names_its_file),
		cmocka_unit_test(test_dir),
		cmocka_unit_test(test_shipped_forms),
		cmocka_unit_test(test_validate_text),
		cmocka_unit_test(test_validate_integer),
		cmocka_unit_test(test_validate_date),
		cmocka_unit_test(test_validate_phone_idcard),
		cmocka_unit_test(test_validate_choice_lookup_yesno),
		cmocka_unit_test(test_yesno_parse),
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_build_call),
		cmocka_unit_test(test_context_values),
		cmocka_unit_test(test_field_for_param),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
