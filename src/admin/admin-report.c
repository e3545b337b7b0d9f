/*
 * `minqing-admin report [NAME] [--unit CODE] [--period P] [--by KEY]
 * [--format text|csv|json] [--encoding E] [--output FILE]`: a report screen
 * of the console for cron and spreadsheets.
 *
 * A report is a view file (forms/NAME.view) with `report = "NAME";`: the
 * same function, parameters and columns as the screen, so every figure on a
 * screen is here too and no second definition can drift. Without NAME the
 * reports are listed. --unit, --period and --by give p_unit, p_period and
 * p_by, whether the view takes them as given parameters (a drill-down
 * level), as a group of choices or as its search (a period typed is
 * classified by the view's classify function, as the screen does); a choice
 * not given is the screen's first.
 *
 * --format csv writes exactly what E on the screen writes (src/common/table.c:
 * the cells as shown, charts included, UTF-8 with a byte-order mark or the
 * encoding asked for); text is aligned for printing; json gives the raw
 * values by column name (numbers as numbers, arrays of numbers as arrays)
 * for programs. Runs as the caller's login, so the database decides what is
 * counted (row-level security, the jurisdiction). Exit codes: 0 written, 1
 * refused or not writable, 2 usage (an unknown report, a period not
 * understood).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin.h"
#include "mq/chart.h"
#include "mq/common.h"
#include "mq/db-report.h"
#include "mq/i18n.h"
#include "mq/table.h"
#include "mq/view.h"
#include "viewfmt.h"

#define REPORT_PAGE     500    /* rows a call of a paged view */
#define REPORT_MAX_ROWS 100000 /* rows written at most */

enum report_format { REPORT_TEXT, REPORT_CSV, REPORT_JSON };

/* What the options ask for: a value for each of these parameters (NULL: not given). */
struct report_opts {
	const char *param[3]; /* "p_unit", "p_period", "p_by" */
	const char *value[3];
	enum report_format format;
	const char *encoding; /* iconv name */
	const char *output;
	bool english;
	bool ascii; /* charts in ASCII: ui.charts and TERM, as the console decides */
};

static int report_usage(void)
{
	mq_warnx(_("usage: minqing-admin report [NAME] [--unit CODE] [--period P] [--by KEY] "
		   "[--format text|csv|json] [--encoding utf-8|gbk|gb18030] [--output FILE]"));
	return MQ_EXIT_USAGE;
}

static const char *report_text(const struct report_opts *o, const struct mq_text *t)
{
	const char *s = mq_text_get(t, o->english ? "en" : "zh_CN");

	return s != NULL ? s : "";
}

/* The option's value for param, or NULL. */
static const char *report_opt(const struct report_opts *o, const char *param)
{
	size_t i;

	for (i = 0; i < MQ_NITEMS(o->param); i++)
		if (strcmp(o->param[i], param) == 0)
			return o->value[i];
	return NULL;
}

/* Is param a group of choices'? */
static bool report_chosen_choice(const struct mq_view *v, const char *param)
{
	size_t i;

	for (i = 0; i < v->nchoices; i++)
		if (strcmp(v->choices[i].param, param) == 0)
			return true;
	return false;
}

/* Is param a group of choices' or the search's? */
static bool report_chosen(const struct mq_view *v, const char *param)
{
	return report_chosen_choice(v, param) ||
	       (v->search != NULL && strcmp(v->search->param, param) == 0);
}

/* Is param one the view takes (given, optional, a choice, the search)? */
static bool report_takes(const struct mq_view *v, const char *param)
{
	size_t i;

	for (i = 0; v->given != NULL && v->given[i] != NULL; i++)
		if (strcmp(v->given[i], param) == 0)
			return true;
	return mq_view_optional(v, param) || report_chosen(v, param);
}

/*
 * A value given for the search's parameter, classified as the screen does:
 * its norm (caller frees), or NULL after saying why (*rc the exit code).
 */
static char *report_classify(struct mq_db *db, const struct report_opts *o, const struct mq_view *v,
			     const char *typed, int *rc)
{
	const struct mq_view_search *se = v->search;
	struct mq_db_error err;
	PGresult *res;
	char *sql, *norm = NULL;
	size_t i;

	if (se->classify == NULL)
		return xstrdup(typed);
	sql = xasprintf("SELECT x.kind, x.norm FROM %s($1) x", se->classify);
	res = mq_db_query(db, &err, sql, 1, &typed);
	free(sql);
	if (res == NULL) {
		admin_db_error(&err);
		mq_db_error_clear(&err);
		*rc = MQ_EXIT_FAILURE;
		return NULL;
	}
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 1) && PQgetvalue(res, 0, 1)[0] != '\0')
		norm = xstrdup(PQgetvalue(res, 0, 1));
	for (i = 0; PQntuples(res) == 1 && i < se->nkinds; i++)
		if (strcmp(se->kinds[i].kind, PQgetvalue(res, 0, 0)) == 0 &&
		    se->kinds[i].refuse.zh != NULL) {
			mq_warnx("%s: %s", typed, report_text(o, &se->kinds[i].refuse));
			free(norm);
			norm = NULL;
		}
	PQclear(res);
	if (norm == NULL) {
		if (*rc == MQ_EXIT_OK)
			mq_warnx(_("not understood: %s"), typed);
		*rc = MQ_EXIT_USAGE;
	}
	return norm;
}

/*
 * The call's parameters other than the keyset and the limit: given ones
 * from the options (NULL when not given: the function's own default, the
 * person's jurisdiction), the fixed ones, each group of choices (the option,
 * else its first value), the search from the option. *owned collects the
 * strings to free after the call.
 */
static int report_params(struct mq_db *db, const struct report_opts *o, const struct mq_view *v,
			 struct view_call *call, char **owned, size_t *nowned)
{
	const char *val;
	size_t i;
	int rc = MQ_EXIT_OK;
	bool searched = false;

	/* a given or optional parameter that is also a choice or the search is given there */
	for (i = 0; v->given != NULL && v->given[i] != NULL; i++)
		if (!report_chosen(v, v->given[i]))
			view_call_param(call, v->given[i], report_opt(o, v->given[i]));
	for (i = 0; v->optional != NULL && v->optional[i] != NULL; i++)
		if (!report_chosen(v, v->optional[i]) && report_opt(o, v->optional[i]) != NULL)
			view_call_param(call, v->optional[i], report_opt(o, v->optional[i]));
	for (i = 0; i < v->nfixed; i++)
		view_call_param(call, v->fixed[i].param, v->fixed[i].column);
	for (i = 0; i < v->nchoices; i++) {
		const struct mq_view_choices *cs = &v->choices[i];
		size_t j;

		val = report_opt(o, cs->param);
		for (j = 0; val != NULL && j < cs->nvalues; j++)
			if (cs->values[j].value != NULL && strcmp(cs->values[j].value, val) == 0)
				break;
		if (val != NULL && j == cs->nvalues) {
			/* not one of the choices: the search's, as typed on the screen */
			if (v->search != NULL && strcmp(v->search->param, cs->param) == 0) {
				searched = true;
				continue;
			}
			mq_warnx(_("%s: %s is not one of its values"), cs->param + 2, val);
			return MQ_EXIT_USAGE;
		}
		view_call_param(call, cs->param, val != NULL ? val : cs->values[0].value);
	}
	if (v->search != NULL && (val = report_opt(o, v->search->param)) != NULL &&
	    (searched || !report_chosen_choice(v, v->search->param))) {
		char *norm = report_classify(db, o, v, val, &rc);

		if (norm == NULL)
			return rc;
		owned[(*nowned)++] = norm;
		view_call_param(call, v->search->param, norm);
	}
	return MQ_EXIT_OK;
}

/* The rows of one call (res) appended to *all as their own PGresults. */
static int report_fetch(struct mq_db *db, const struct report_opts *o, const struct mq_view *v,
			PGresult ***pages, size_t *npages)
{
	const struct mq_view_sort *so = v->nsorts > 0 ? &v->sorts[0] : NULL;
	PGresult *last = NULL;
	size_t total = 0, j;
	int rc;

	for (;;) {
		struct view_call call;
		struct mq_db_error err;
		char *owned[4];
		size_t nowned = 0;
		PGresult *res;

		view_call_init(&call);
		if ((rc = report_params(db, o, v, &call, owned, &nowned)) != MQ_EXIT_OK) {
			view_call_free(&call);
			return rc;
		}
		if (so != NULL && so->param != NULL)
			view_call_param(&call, so->param, so->value);
		for (j = 0; so != NULL && last != NULL && j < so->nafter; j++) {
			int f = PQfnumber(last, so->after[j].column);

			view_call_param(&call, so->after[j].param,
					f < 0 || PQgetisnull(last, PQntuples(last) - 1, f)
						? NULL
						: PQgetvalue(last, PQntuples(last) - 1, f));
		}
		snprintf(call.limit, sizeof call.limit, "%d", REPORT_PAGE);
		if (v->limit != NULL)
			view_call_param(&call, v->limit, call.limit);
		view_call_select(&call, v);
		res = mq_db_query(db, &err, call.sql, call.n, call.params);
		view_call_free(&call);
		for (j = 0; j < nowned; j++)
			free(owned[j]);
		if (res == NULL) {
			admin_db_error(&err);
			mq_db_error_clear(&err);
			return MQ_EXIT_FAILURE;
		}
		*pages = xrealloc(*pages, (*npages + 1) * sizeof **pages);
		(*pages)[(*npages)++] = res;
		total += (size_t)PQntuples(res);
		if (v->limit == NULL || so == NULL || PQntuples(res) < REPORT_PAGE ||
		    total >= REPORT_MAX_ROWS)
			return MQ_EXIT_OK;
		last = res;
	}
}

/*
 * A record's row and its lines (its `lines` function with the same
 * parameters), as the record screen reads them.
 */
static int report_fetch_record(struct mq_db *db, const struct report_opts *o,
			       const struct mq_view *v, PGresult **row, PGresult **lines)
{
	struct view_call call;
	struct mq_db_error err;
	char *owned[4], *sql;
	size_t nowned = 0, j;
	int rc;

	view_call_init(&call);
	if ((rc = report_params(db, o, v, &call, owned, &nowned)) != MQ_EXIT_OK) {
		view_call_free(&call);
		return rc;
	}
	view_call_select(&call, v);
	*row = mq_db_query(db, &err, call.sql, call.n, call.params);
	if (*row != NULL && v->lines != NULL) {
		sql = xasprintf("SELECT * FROM %s(%s)", v->lines, call.args);
		if ((*lines = mq_db_query(db, &err, sql, call.n, call.params)) == NULL) {
			PQclear(*row);
			*row = NULL;
		}
		free(sql);
	}
	view_call_free(&call);
	for (j = 0; j < nowned; j++)
		free(owned[j]);
	if (*row == NULL) {
		admin_db_error(&err);
		mq_db_error_clear(&err);
		return MQ_EXIT_FAILURE;
	}
	return MQ_EXIT_OK;
}

/* A cell as the screen shows it. Caller frees. */
static char *report_cell(const struct report_opts *o, const struct mq_view *v,
			 const struct mq_view_column *col, const PGresult *res, int row,
			 double bar_max, time_t now)
{
	const char *raw =
		view_result_value(res, row, o->english && col->en != NULL ? col->en : col->name);
	char *text, *epoch_name;
	size_t i;

	for (i = 0; raw != NULL && i < col->nvalues; i++)
		if (strcmp(col->values[i].value, raw) == 0) {
			raw = report_text(o, &col->values[i].label);
			break;
		}
	if ((text = mq_view_chart(col, raw, view_result_value(res, row, col->from), bar_max,
				  o->ascii)) != NULL)
		return text;
	if (view_format_is_time(col->format)) {
		epoch_name = xasprintf("%s:epoch", col->name);
		text = view_time_format(col->format, view_result_value(res, row, epoch_name),
					view_result_value(res, row, v->status), now);
		free(epoch_name);
		return text;
	}
	if (col->format == MQ_VIEW_PARA && raw != NULL)
		return view_first_line(raw);
	text = view_value_format(col->format, raw);
	return text != NULL ? text : xstrdup("");
}

/* A JSON string. */
static void report_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* A raw value as JSON: null, a number, an array of numbers ("{1,NULL}"), else a string. */
static void report_json_value(FILE *f, const char *raw)
{
	double d;
	size_t n;

	if (raw == NULL) {
		fputs("null", f);
		return;
	}
	if (mq_chart_number(raw, &d, NULL) && raw[0] != '+' && raw[strlen(raw) - 1] != '.' &&
	    !(raw[0] == '0' && raw[1] >= '0' && raw[1] <= '9')) {
		fputs(raw, f);
		return;
	}
	n = strlen(raw);
	if (n >= 2 && raw[0] == '{' && raw[n - 1] == '}') {
		char *spark = mq_chart_spark(raw, true);
		bool numbers = spark[0] != '\0' || strcmp(raw, "{}") == 0;

		free(spark);
		if (numbers) {
			const char *p = raw + 1;

			fputc('[', f);
			while (*p != '}') {
				size_t len = strcspn(p, ",}");

				if (len == 4 && strncmp(p, "NULL", 4) == 0)
					fputs("null", f);
				else
					fwrite(p, 1, len, f);
				p += len;
				if (*p == ',') {
					fputc(',', f);
					p++;
				}
			}
			fputc(']', f);
			return;
		}
	}
	report_json_string(f, raw);
}

/* The rows as JSON: an array of objects, the view's columns by name, raw. Caller frees. */
static char *report_json(const struct mq_view *v, PGresult *const *pages, size_t npages)
{
	char *text = NULL;
	size_t cap = 0, p, c;
	bool first = true;
	FILE *m;
	int i;

	if ((m = open_memstream(&text, &cap)) == NULL)
		fatal("open_memstream: %s", strerror(errno));
	fputs("[", m);
	for (p = 0; p < npages; p++)
		for (i = 0; i < PQntuples(pages[p]); i++) {
			fputs(first ? "\n  {" : ",\n  {", m);
			first = false;
			for (c = 0; c < v->ncolumns; c++) {
				size_t k;

				/* a column shown twice (a figure and its bar) once */
				for (k = 0; k < c; k++)
					if (strcmp(v->columns[k].name, v->columns[c].name) == 0)
						break;
				if (k < c)
					continue;
				if (c > 0)
					fputs(", ", m);
				report_json_string(m, v->columns[c].name);
				fputs(": ", m);
				report_json_value(
					m, view_result_value(pages[p], i, v->columns[c].name));
			}
			fputs("}", m);
		}
	fputs(first ? "]\n" : "\n]\n", m);
	fclose(m);
	return text;
}

/* The reports there are: name and title, one a line. */
static int report_list(const struct report_opts *o, struct mq_view *const *views, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		if (views[i]->report != NULL) {
			printf("%-16s %s\n", views[i]->report, report_text(o, &views[i]->title));
			count++;
		}
	if (count == 0)
		mq_warnx(_("no view file declares a report (report = \"NAME\";)"));
	return MQ_EXIT_OK;
}

/* Write text to o->output (or stdout) in the encoding; an exit code. */
static int report_write(const struct report_opts *o, const char *text, bool bom)
{
	FILE *f = stdout;
	size_t lost = 0;
	int rc = MQ_EXIT_OK;

	if (o->output != NULL && (f = fopen(o->output, "w")) == NULL) {
		mq_warnx(_("cannot write %s: %s"), o->output, strerror(errno));
		return MQ_EXIT_FAILURE;
	}
	if (mq_table_write(f, text, o->encoding, bom, &lost) != 0) {
		mq_warnx(_("cannot write %s: %s"), o->output != NULL ? o->output : "-",
			 strerror(errno));
		rc = MQ_EXIT_FAILURE;
	} else if (lost > 0) {
		mq_warnx(_("%zu characters %s lacks are written as ?"), lost, o->encoding);
		rc = MQ_EXIT_FAILURE;
	}
	if (f != stdout && fclose(f) != 0) {
		mq_warnx(_("cannot write %s: %s"), o->output, strerror(errno));
		rc = MQ_EXIT_FAILURE;
	}
	return rc;
}

/*
 * A table written as asked: CSV as E writes it (Excel reads UTF-8 by its
 * byte-order mark), or text for printing under the report's title and time.
 */
static int report_write_table(const struct report_opts *o, const struct mq_view *v,
			      const struct mq_table *t, time_t now)
{
	char *text, *head, stamp[32];
	struct tm tm;
	int rc;

	if (o->format == REPORT_CSV) {
		text = mq_table_csv(t);
		rc = report_write(o, text, true);
	} else {
		localtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M", &tm);
		head = xasprintf(_("%s   as of %s, %zu rows\n\n"), report_text(o, &v->title), stamp,
				 t->nrows);
		text = mq_table_text(t, head);
		free(head);
		rc = report_write(o, text, false);
	}
	free(text);
	return rc;
}

/* The report's table: titles and cells as the screen shows them; then written. */
static int report_table(const struct report_opts *o, const struct mq_view *v,
			PGresult *const *pages, size_t npages)
{
	struct mq_table t = {0};
	const char **titles = xcalloc(v->ncolumns + 1, sizeof *titles);
	int *aligns = xcalloc(v->ncolumns + 1, sizeof *aligns), i, rc;
	double *bar_max = xcalloc(v->ncolumns + 1, sizeof *bar_max), x;
	time_t now = mq_now();
	size_t p, c, row = 0, nrows = 0;

	for (p = 0; p < npages; p++)
		nrows += (size_t)PQntuples(pages[p]);
	t.ncols = (int)v->ncolumns;
	t.titles = titles;
	t.aligns = aligns;
	t.nrows = nrows;
	t.cells = xcalloc(nrows * v->ncolumns + 1, sizeof *t.cells);
	for (c = 0; c < v->ncolumns; c++) {
		titles[c] = report_text(o, &v->columns[c].label);
		aligns[c] = v->columns[c].align;
		/* a bar without a scale is out of the largest value of the rows, as on the screen
		 */
		for (p = 0; p < npages; p++)
			for (i = 0; v->columns[c].format == MQ_VIEW_BAR && i < PQntuples(pages[p]);
			     i++)
				if (mq_chart_number(
					    view_result_value(pages[p], i, v->columns[c].name), &x,
					    NULL) &&
				    x > bar_max[c])
					bar_max[c] = x;
	}
	for (p = 0; p < npages; p++)
		for (i = 0; i < PQntuples(pages[p]); i++, row++)
			for (c = 0; c < v->ncolumns; c++)
				t.cells[row * v->ncolumns + c] = report_cell(
					o, v, &v->columns[c], pages[p], i, bar_max[c], now);
	rc = report_write_table(o, v, &t, now);
	for (row = 0; row < nrows * v->ncolumns; row++)
		free(t.cells[row]);
	free(t.cells);
	free(titles);
	free(aligns);
	free(bar_max);
	return rc;
}

/*
 * A record: CSV and text the table E writes on its screen (the labelled
 * fields, then the lines); JSON its raw fields by column name and its lines.
 */
static int report_record(const struct report_opts *o, const struct mq_view *v, const PGresult *row,
			 const PGresult *lines)
{
	struct mq_table t;
	char *text;
	time_t now = mq_now();
	FILE *m;
	size_t cap = 0, c;
	int i, rc;

	if (o->format == REPORT_JSON) {
		text = NULL;
		if ((m = open_memstream(&text, &cap)) == NULL)
			fatal("open_memstream: %s", strerror(errno));
		fputs("{", m);
		for (c = 0; PQntuples(row) > 0 && c < v->ncolumns; c++) {
			report_json_string(m, v->columns[c].name);
			fputs(": ", m);
			report_json_value(m, view_result_value(row, 0, v->columns[c].name));
			fputs(", ", m);
		}
		fputs("\"lines\": [", m);
		for (i = 0; lines != NULL && i < PQntuples(lines); i++) {
			fputs(i == 0 ? "\n  {\"label\": " : ",\n  {\"label\": ", m);
			report_json_value(m, view_result_value(lines, i, "label_zh"));
			fputs(", \"label_en\": ", m);
			report_json_value(m, view_result_value(lines, i, "label_en"));
			fputs(", \"value\": ", m);
			report_json_value(m, view_result_value(lines, i, "value"));
			fputs(", \"depth\": ", m);
			report_json_value(m, view_result_value(lines, i, "depth"));
			fputs("}", m);
		}
		fputs("]}\n", m);
		fclose(m);
		rc = report_write(o, text, false);
		free(text);
		return rc;
	}
	view_record_table(v, row, lines, o->english, o->ascii, now, &t);
	rc = report_write_table(o, v, &t, now);
	view_record_table_free(&t);
	return rc;
}

/*
 * Dates and times on the district's clock and by the server's time (the
 * deadlines'), as the console shows them.
 */
static void report_time_zone(struct mq_db *db)
{
	struct mq_db_error err;
	PGresult *res = mq_db_query(
		db, &err, "SELECT minqing.my_time_zone(), extract(epoch FROM clock_timestamp())", 0,
		NULL);

	if (res == NULL) {
		mq_db_error_clear(&err);
		return;
	}
	if (PQntuples(res) == 1)
		mq_clock_district(PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	PQclear(res);
}

static int report_exec(struct admin_ctx *ctx, struct mq_db *db, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"unit", required_argument, NULL, 'u'},
		{"period", required_argument, NULL, 'p'},
		{"by", required_argument, NULL, 'b'},
		{"format", required_argument, NULL, 'f'},
		{"encoding", required_argument, NULL, 'e'},
		{"output", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	struct report_opts o = {
		.param = {"p_unit", "p_period", "p_by"},
		.format = REPORT_TEXT,
		.encoding = "UTF-8",
	};
	struct mq_view **views = NULL;
	const struct mq_view *v = NULL;
	struct mq_report *rep;
	struct mq_db *rdb;
	char *notice = NULL;
	PGresult **pages = NULL;
	enum admin_encoding enc;
	size_t nviews = 0, npages = 0, i;
	char *cause = NULL, *json;
	int c, rc;

	o.english = strcmp(ctx->cfg.ui_language, "en") == 0;
	o.ascii = mq_charts_ascii(ctx->cfg.ui_charts, getenv("TERM"));
	optind = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'u':
			o.value[0] = optarg;
			break;
		case 'p':
			o.value[1] = optarg;
			break;
		case 'b':
			o.value[2] = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				o.format = REPORT_TEXT;
			else if (strcmp(optarg, "csv") == 0)
				o.format = REPORT_CSV;
			else if (strcmp(optarg, "json") == 0)
				o.format = REPORT_JSON;
			else
				return report_usage();
			break;
		case 'e':
			if (admin_parse_encoding(optarg, &enc) != 0)
				return MQ_EXIT_USAGE;
			o.encoding = admin_iconv_encoding[enc];
			break;
		case 'o':
			o.output = optarg;
			break;
		default:
			return report_usage();
		}
	}
	if (argc - optind > 1)
		return report_usage();
	if (mq_views_load_dir(ctx->cfg.forms_dir, &views, &nviews, &cause) != 0) {
		mq_warnx("%s", cause);
		free(cause);
		return MQ_EXIT_FAILURE;
	}
	if (optind == argc) {
		rc = report_list(&o, views, nviews);
		mq_views_free(views, nviews);
		return rc;
	}
	for (i = 0; i < nviews && v == NULL; i++)
		if (views[i]->report != NULL && strcmp(views[i]->report, argv[optind]) == 0)
			v = views[i];
	if (v == NULL) {
		mq_warnx(_("no report %s (minqing-admin report lists them)"), argv[optind]);
		mq_views_free(views, nviews);
		return MQ_EXIT_USAGE;
	}
	for (i = 0; i < MQ_NITEMS(o.param); i++)
		if (o.value[i] != NULL && !report_takes(v, o.param[i])) {
			mq_warnx(_("report %s does not take %s"), v->report, o.param[i] + 2);
			mq_views_free(views, nviews);
			return MQ_EXIT_USAGE;
		}
	report_time_zone(db);
	/*
	 * A report view (source = "report") reads where the screen does: the
	 * standby of database.report_conninfo, or db when there is none or it
	 * cannot be reached (said on stderr). rep owns the standby; db stays ours.
	 */
	rep = mq_report_new(&ctx->cfg, db, "minqing-admin report");
	rdb = v->source_report ? mq_report_db(rep, &notice) : db;
	if (notice != NULL) {
		mq_warnx("%s", notice);
		free(notice);
	}
	if (v->layout == MQ_VIEW_RECORD) {
		PGresult *row = NULL, *lines = NULL;

		if ((rc = report_fetch_record(rdb, &o, v, &row, &lines)) == MQ_EXIT_OK)
			rc = report_record(&o, v, row, lines);
		PQclear(row);
		PQclear(lines);
		mq_report_free(rep);
		mq_views_free(views, nviews);
		return rc;
	}
	rc = report_fetch(rdb, &o, v, &pages, &npages);
	if (rc == MQ_EXIT_OK && o.format == REPORT_JSON) {
		json = report_json(v, pages, npages);
		rc = report_write(&o, json, false);
		free(json);
	} else if (rc == MQ_EXIT_OK) {
		rc = report_table(&o, v, pages, npages);
	}
	for (i = 0; i < npages; i++)
		PQclear(pages[i]);
	free(pages);
	mq_report_free(rep);
	mq_views_free(views, nviews);
	return rc;
}

const struct admin_cmd admin_cmd_report = {
	.name = "report",
	.usage = N_("report [NAME] [--unit CODE] [--period P] [--by KEY] [--format text|csv|json] "
		    "[--encoding E] [--output FILE]"),
	.help = N_("a report screen's figures for cron and spreadsheets (no NAME: the list)"),
	.needs_schema = true,
	.exec = report_exec,
};
