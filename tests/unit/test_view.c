/*
 * The view reader (src/common/view.c): the installed views load with what
 * the engine relies on; a view made from a base takes the base's settings
 * it does not give; every kind of mistake is refused with the file and the
 * line of the setting at fault (a misspelt name with the nearest known one).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mq/common.h"
#include "mq/view.h"

static char tmpdir[] = "/tmp/mq-test-view-XXXXXX";

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
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* Write NAME.view in the test directory; its path (static buffer). */
static const char *write_view(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s.view", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

#define MINIMAL                                                                                    \
	"view = {\n"                                                                               \
	"  title = { zh = \"测试\"; en = \"Test\"; };\n"                                         \
	"  empty = { zh = \"无\"; en = \"None\"; };\n"                                            \
	"  function = \"minqing.inbox\";\n"                                                        \
	"  limit = \"p_limit\";\n"                                                                 \
	"  id = \"case_id\";\n"                                                                    \
	"  columns = ( { name = \"case_no\"; label = { zh = \"编号\"; en = "                     \
	"\"No.\"; }; min = 14; } );\n"                                                             \
	"  sorts = ( { column = \"case_no\"; after = ( { param = \"p_after_no\"; "                 \
	"column = \"case_no\"; } ); } );\n"

/* The view text MINIMAL plus extra settings; refused with a message containing want. */
static void refused(const char *extra, const char *want)
{
	char *text = xasprintf("%s%s};\n", MINIMAL, extra), *cause = NULL;
	struct mq_view *v = mq_view_load(write_view("bad", text), &cause);

	if (v != NULL)
		fail_msg("accepted: %s", extra);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("for [%s] the message is [%s], not containing [%s]", extra, cause, want);
	free(cause);
	free(text);
}

static void test_installed(void **state)
{
	struct mq_view **views;
	const struct mq_view *v;
	char *cause = NULL;
	size_t n;

	(void)state;
	if (mq_views_load_dir(MQ_SOURCE_FORMS, &views, &n, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(n >= 8);
	v = mq_view_find(views, n, "inbox");
	assert_non_null(v);
	assert_string_equal(v->function, "minqing.inbox");
	assert_string_equal(v->title.zh, "我的待办");
	assert_int_equal(v->nchoices, 2);
	assert_int_equal(v->choices[0].nvalues, 5);
	assert_string_equal(v->choices[0].values[1].key, "o");
	assert_null(v->choices[1].values[0].value); /* all centres: SQL NULL */
	assert_string_equal(v->choices[1].cycle, "c");
	assert_int_equal(v->columns[3].format, MQ_VIEW_COUNTDOWN);
	assert_int_equal(v->sorts[0].nafter, 2);
	/* a centre: Find cases with a fixed centre and its own title */
	v = mq_view_find(views, n, "centre_policy");
	assert_non_null(v);
	assert_string_equal(v->base, "cases");
	assert_string_equal(v->title.zh, "政策咨询中心");
	assert_string_equal(v->function, "minqing.find_cases");
	assert_int_equal(v->nsorts, 2);
	assert_non_null(v->search);
	assert_int_equal(v->nfixed, 1);
	assert_string_equal(v->fixed[0].param, "p_centre");
	assert_string_equal(v->fixed[0].column, "policy");
	/* triage: the inbox opened on what waits for triage */
	/* 提示催办: rows are marked, u takes the marked ones */
	v = mq_view_find(views, n, "reminders");
	assert_non_null(v);
	assert_true(v->mark);
	assert_string_equal(v->actions[0].form, "case_urge_many");
	assert_true(v->actions[0].marked);
	assert_false(v->actions[1].marked);
	v = mq_view_find(views, n, "triage");
	assert_non_null(v);
	assert_int_equal(v->nstart, 1);
	assert_string_equal(v->start[0].column, "triage");
	assert_int_equal(v->nchoices, 2);
	mq_views_free(views, n);
}

static void test_minimal_and_base(void **state)
{
	char *text = xasprintf("%s};\n", MINIMAL), *cause = NULL;
	struct mq_view *v;

	(void)state;
	write_view("plain", text);
	v = mq_view_load(write_view("derived", "view = {\n base = \"plain\";\n"
					       "  title = { zh = \"派生\"; en = \"Derived\"; };\n"
					       "  menu = \"work\";\n};\n"),
			 &cause);
	if (v == NULL)
		fail_msg("%s", cause);
	assert_string_equal(v->name, "derived");
	assert_string_equal(v->title.en, "Derived");
	assert_string_equal(v->empty.en, "None");
	assert_string_equal(v->function, "minqing.inbox");
	assert_string_equal(v->menu, "work");
	assert_int_equal(v->menu_order, 50);
	assert_int_equal(v->ncolumns, 1);
	assert_int_equal(v->columns[0].min, 14);
	assert_int_equal(v->columns[0].format, MQ_VIEW_TEXT);
	assert_false(v->source_report); /* source = "primary", the default */
	assert_null(v->duty);
	mq_view_free(v);
	free(text);
}

static void test_mistakes(void **state)
{
	(void)state;
	refused("  colums = ();\n",
		"bad.view:9: unknown setting 'colums' (did you mean 'columns'?)");
	refused("  menu = \"wrk\";\n",
		"bad.view:9: menu: unknown \"wrk\" (did you mean \"work\"?)");
	refused("  duty = [\"officer\", \"mayor\"];\n", "duty: unknown \"mayor\"");
	refused("  menu_order = 10;\n", "menu_order is for a view with a menu");
	refused("  menu = \"work\";\n  menu_order = 100;\n", "menu_order");
	refused("  open = \"household\";\n", "open is \"case\" or a group");
	refused("  open = { view = \"case\"; };\n", "opened with open = \"case\"");
	refused("  open = { view = \"x\"; bind = ( { param = \"p\"; } ); };\n",
		"column is missing");
	refused("  notify = \"minqing case\";\n", "is not an identifier");
	refused("  fixed = ( { param = \"p_x\"; } );\n", "value is missing");
	refused("  choices = ( { param = \"p_filter\"; label = { zh = \"显示\"; en = \"Show\"; }; "
		"values = (); } );\n",
		"values must not be empty");
	refused("  choices = ( { param = \"p_filter\"; label = { zh = \"显示\"; }; values = ( { "
		"label = { zh = \"全部\"; en = \"All\"; }; } ); } );\n",
		"label.en is missing: every text is in Chinese and English");
	refused("  actions = ( { key = \"A\"; label = { zh = \"受理\"; en = \"Accept\"; }; } );\n",
		"an action opens either a form or a view");
	refused("  actions = ( { key = \"A\"; form = \"f\"; view = \"v\"; label = { zh = \"受理\"; "
		"en = \"Accept\"; }; } );\n",
		"an action opens either a form or a view");
	refused("  actions = ( { key = \"A\"; form = \"f\"; bind = ( { param = \"p\"; column = "
		"\"c\"; } ); label = { zh = \"受理\"; en = \"Accept\"; }; } );\n",
		"bind is for an action that opens a view");
	refused("  actions = ( { key = \"A\"; view = \"v\"; fill = ( { field = \"f\"; column = "
		"\"c\"; } ); label = { zh = \"受理\"; en = \"Accept\"; }; } );\n",
		"fill is for an action that opens a form");
	refused("  actions = ( { key = \"A\"; form = \"f\"; row = false; status = [\"received\"]; "
		"label = { zh = \"受理\"; en = \"Accept\"; }; } );\n",
		"an action without a row");
	refused("  actions = ( { key = \"A\"; form = \"f\"; fill = ( { param = \"f\"; column = "
		"\"c\"; } ); label = { zh = \"受理\"; en = \"Accept\"; }; } );\n",
		"unknown setting 'param'");
	refused("  actions = ( { key = \"u\"; form = \"f\"; rows = \"marked\"; label = { zh = "
		"\"催办\"; en = \"Urge\"; }; } );\n",
		"rows = \"marked\" needs mark = true in the view");
	refused("  mark = true;\n  actions = ( { key = \"u\"; form = \"f\"; rows = \"all\"; label "
		"= "
		"{ zh = \"催办\"; en = \"Urge\"; }; } );\n",
		"rows: unknown \"all\"");
	refused("  mark = true;\n  actions = ( { key = \"u\"; view = \"v\"; rows = \"marked\"; "
		"label = { zh = \"催办\"; en = \"Urge\"; }; } );\n",
		"rows = \"marked\" is for an action that opens a form");
	refused("  layout = \"record\";\n  mark = true;\n", "mark is for a list");
	refused("  lines = \"minqing.lines\";\n", "lines and on_open are for a record");
	refused("  menu = \"basic\";\n  given = [\"p_unit\"];\n", "opened from another view");
	refused("  layout = \"record\";\n", "a record is one row: it has no limit");
	refused("  layout = \"table\";\n", "layout: unknown \"table\"");
	refused("  source = \"reprot\";\n",
		"source: unknown \"reprot\" (did you mean \"report\"?)");
	refused("  search = { param = \"p_query\"; prompt = { zh = \"查找：\"; en = \"Find:\"; }; "
		"};\n",
		"keys is missing");
	refused("  search = { keys = \"f\"; param = \"p_query\"; prompt = { zh = \"查找：\"; en = "
		"\"Find:\"; }; kinds = ( { kind = \"words\"; } ); };\n",
		"kinds need a classify function");
	refused("  base = \"nowhere\";\n", "nowhere.view");
	refused("  base = \"../x\";\n", "is not a view name");
}

static void test_column_mistakes(void **state)
{
	char *cause = NULL;
	struct mq_view *v;

	(void)state;
	v = mq_view_load(write_view("cols",
				    "view = {\n"
				    "  title = { zh = \"测试\"; en = \"Test\"; };\n"
				    "  empty = { zh = \"无\"; en = \"None\"; };\n"
				    "  function = \"inbox\";\n"
				    "  limit = \"p_limit\";\n"
				    "  columns = ( { name = \"x\"; } );\n"
				    "  sorts = ( { column = \"x\"; after = ( { param = \"p\"; "
				    "column = \"x\"; } ); } );\n};\n"),
			 &cause);
	assert_null(v);
	assert_non_null(strstr(cause, "cols.view:4: function \"inbox\" must be schema.name"));
	free(cause);
	cause = NULL;
	v = mq_view_load(write_view("cols",
				    "view = {\n"
				    "  title = { zh = \"测试\"; en = \"Test\"; };\n"
				    "  empty = { zh = \"无\"; en = \"None\"; };\n"
				    "  function = \"minqing.inbox\";\n"
				    "  limit = \"p_limit\";\n"
				    "  columns = ( { name = \"x\"; format = \"money\"; } );\n"
				    "  sorts = ( { column = \"x\"; } );\n};\n"),
			 &cause);
	assert_null(v);
	assert_non_null(strstr(cause, "cols.view:6: format: unknown \"money\""));
	free(cause);
}

/* A record, and the checks between views: what is opened must be there and get its given
 * parameters. */
static void test_records_and_links(void **state)
{
	static const char record[] = "view = {\n"
				     "  title = { zh = \"记录\"; en = \"Record\"; };\n"
				     "  empty = { zh = \"无\"; en = \"None\"; };\n"
				     "  layout = \"record\";\n"
				     "  function = \"minqing.news_item\";\n"
				     "  lines = \"minqing.lines\";\n"
				     "  on_open = \"minqing.opened\";\n"
				     "  source = \"report\";\n"
				     "  given = [\"p_news\"];\n"
				     "  columns = ( { name = \"title\"; },\n"
				     "              { name = \"kind\"; en = \"kind_en\"; label = { "
				     "zh = \"类别\"; en = \"Kind\"; };\n"
				     "                values = ( { value = \"w\"; label = { zh = "
				     "\"工作\"; en = \"work\"; }; },\n"
				     "                           { value = \"f\"; } ); },\n"
				     "              { name = \"body\"; format = \"para\"; label = "
				     "{ zh = \"正文\"; en = \"Text\"; }; } );\n"
				     "};\n";
	char *list, *cause = NULL, *dir = xasprintf("%s/links", tmpdir), *path;
	struct mq_view **views, *v;
	size_t n;
	FILE *f;

	(void)state;
	assert_int_equal(mkdir(dir, 0700), 0);
	path = xasprintf("%s/item.view", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(record, f);
	fclose(f);
	v = mq_view_load(path, &cause);
	if (v == NULL)
		fail_msg("%s", cause);
	assert_int_equal(v->layout, MQ_VIEW_RECORD);
	assert_null(v->limit);
	assert_int_equal(v->nsorts, 0);
	assert_string_equal(v->lines, "minqing.lines");
	assert_string_equal(v->on_open, "minqing.opened");
	assert_true(v->source_report);
	assert_string_equal(v->given[0], "p_news");
	assert_string_equal(v->columns[1].en, "kind_en");
	assert_int_equal(v->columns[1].nvalues, 2);
	assert_null(v->columns[1].values[1].label.zh); /* shown as nothing */
	assert_int_equal(v->columns[2].format, MQ_VIEW_PARA);
	mq_view_free(v);
	free(path);

	/* A list that opens it, binding p_news, titled by a column: loads. */
	list = xasprintf(
		"%s  open = { view = \"item\"; title = \"case_no\"; bind = ( { param = "
		"\"p_news\"; column = \"case_id\"; } ); };\n"
		"  actions = ( { key = \"n\"; form = \"news_post\"; row = false; label = { zh = "
		"\"发布\"; en = \"Post\"; }; } );\n};\n",
		MINIMAL);
	path = xasprintf("%s/list.view", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(list, f);
	fclose(f);
	if (mq_views_load_dir(dir, &views, &n, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(n, 2);
	v = (struct mq_view *)mq_view_find(views, n, "list");
	assert_string_equal(v->open, "item");
	assert_string_equal(v->open_title, "case_no");
	assert_true(v->actions[0].no_row);
	mq_views_free(views, n);
	free(list);

	/* Opening it without binding p_news, or a view that is not there: refused, with the line.
	 */
	list = xasprintf("%s  open = { view = \"item\"; };\n};\n", MINIMAL);
	f = fopen(path, "w");
	fputs(list, f);
	fclose(f);
	assert_int_not_equal(mq_views_load_dir(dir, &views, &n, &cause), 0);
	if (strstr(cause, "list.view:9: item needs p_news bound") == NULL)
		fail_msg("%s", cause);
	free(cause);
	free(list);
	list = xasprintf(
		"%s  actions = ( { key = \"v\"; view = \"gone\"; label = { zh = \"看\"; en "
		"= \"See\"; }; } );\n};\n",
		MINIMAL);
	f = fopen(path, "w");
	fputs(list, f);
	fclose(f);
	assert_int_not_equal(mq_views_load_dir(dir, &views, &n, &cause), 0);
	if (strstr(cause, "list.view:9: there is no view gone") == NULL)
		fail_msg("%s", cause);
	free(cause);
	free(list);
	free(path);
	free(dir);
}

/* Chart columns (spark, bar, delta with its from, a bar's scale) and Enter by the row (when/else).
 */
#define CHARTS_HEAD                                                                                \
	"view = {\n"                                                                               \
	"  title = { zh = \"报表\"; en = \"Report\"; };\n"                                       \
	"  empty = { zh = \"无\"; en = \"None\"; };\n"                                            \
	"  function = \"minqing.report_units\";\n"                                                 \
	"  id = \"unit_id\";\n"

static struct mq_view *charts_load(const char *body, char **cause)
{
	char *text = xasprintf("%s%s};\n", CHARTS_HEAD, body);
	struct mq_view *v = mq_view_load(write_view("charts", text), cause);

	free(text);
	return v;
}

static void charts_refused(const char *body, const char *want)
{
	char *cause = NULL;
	struct mq_view *v = charts_load(body, &cause);

	if (v != NULL)
		fail_msg("accepted: %s", body);
	if (strstr(cause, want) == NULL)
		fail_msg("for [%s] the message is [%s], not containing [%s]", body, cause, want);
	free(cause);
}

static void test_charts_and_when(void **state)
{
	char *cause = NULL;
	struct mq_view *v;

	(void)state;
	v = charts_load(
		"  columns = ( { name = \"trend\"; format = \"spark\"; min = 12; },\n"
		"              { name = \"rate\"; format = \"bar\"; scale = 100; },\n"
		"              { name = \"n\"; format = \"delta\"; from = \"n_prev\"; } );\n"
		"  open = { view = \"units\"; bind = ( { param = \"p_unit\"; column = "
		"\"unit_code\"; } ); when = \"has_children\"; else = \"case\"; };\n",
		&cause);
	if (v == NULL)
		fail_msg("%s", cause);
	assert_int_equal(v->columns[0].format, MQ_VIEW_SPARK);
	assert_int_equal(v->columns[1].format, MQ_VIEW_BAR);
	assert_true(v->columns[1].scale == 100);
	assert_string_equal(v->columns[2].from, "n_prev");
	assert_string_equal(v->open, "units");
	assert_string_equal(v->open_when, "has_children");
	assert_string_equal(v->else_open, "case");
	mq_view_free(v);

	v = charts_load("  columns = ( { name = \"n\"; } );\n"
			"  open = { view = \"units\"; when = \"has_children\"; else = { view = "
			"\"cases\"; bind = ( { param = \"p_unit\"; column = \"unit_code\"; } ); "
			"title = \"unit_name\"; }; };\n",
			&cause);
	if (v == NULL)
		fail_msg("%s", cause);
	assert_string_equal(v->else_open, "cases");
	assert_int_equal(v->nelse_bind, 1);
	assert_string_equal(v->else_title, "unit_name");
	mq_view_free(v);

	v = charts_load("  columns = ( { name = \"n\"; } );\n"
			"  optional = [\"p_unit\", \"p_period\"];\n",
			&cause);
	if (v == NULL)
		fail_msg("%s", cause);
	assert_true(mq_view_optional(v, "p_period"));
	assert_false(mq_view_optional(v, "p_by"));
	mq_view_free(v);
	charts_refused("  columns = ( { name = \"n\"; } );\n"
		       "  optional = [\"p_unit\"];\n  given = [\"p_unit\"];\n",
		       "p_unit is both given and optional");
	charts_refused("  columns = ( { name = \"n\"; format = \"delta\"; } );\n", "from");
	charts_refused("  columns = ( { name = \"n\"; from = \"m\"; } );\n",
		       "from is for a delta column");
	charts_refused("  columns = ( { name = \"n\"; format = \"spark\"; scale = 5; } );\n",
		       "scale is for a bar column");
	charts_refused("  columns = ( { name = \"n\"; format = \"bar\"; scale = 0; } );\n",
		       "scale must be from 1");
	charts_refused("  columns = ( { name = \"n\"; } );\n"
		       "  open = { view = \"units\"; when = \"has_children\"; };\n",
		       "when and else go together");
	charts_refused("  columns = ( { name = \"n\"; } );\n"
		       "  open = { view = \"units\"; else = \"case\"; };\n",
		       "when and else go together");
	charts_refused("  columns = ( { name = \"n\"; } );\n"
		       "  open = { view = \"units\"; when = \"h\"; else = \"units\"; };\n",
		       "open is \"case\" or a group");
	charts_refused("  columns = ( { name = \"n\"; } );\n"
		       "  open = { view = \"units\"; when = \"h\"; else = { view = \"x\"; "
		       "when = \"y\"; }; };\n",
		       "when");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_installed),         cmocka_unit_test(test_minimal_and_base),
		cmocka_unit_test(test_mistakes),          cmocka_unit_test(test_column_mistakes),
		cmocka_unit_test(test_records_and_links), cmocka_unit_test(test_charts_and_when),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
