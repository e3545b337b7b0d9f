/*
 * The pure parts of the view engine (viewfmt.h): building a call of a
 * view's function, formatting a value as the screens show it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "mq/chart.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "viewfmt.h"
#include "vocab.h"

bool view_format_is_time(enum mq_view_format f)
{
	return f == MQ_VIEW_DATE || f == MQ_VIEW_DATETIME || f == MQ_VIEW_COUNTDOWN ||
	       f == MQ_VIEW_OVERDUE;
}

/* --- formatting ------------------------------------------------------------------------- */

char *view_time_format(enum mq_view_format format, const char *epoch, const char *status,
		       time_t now)
{
	char buf[32];
	struct tm tm;
	time_t t;

	if (epoch == NULL)
		return xstrdup("-");
	t = (time_t)atoll(epoch);
	switch (format) {
	case MQ_VIEW_DATE:
	case MQ_VIEW_DATETIME:
		/* Where the person is, as the clock of the status line. */
		localtime_r(&t, &tm);
		strftime(buf, sizeof buf, format == MQ_VIEW_DATE ? "%Y-%m-%d" : "%Y-%m-%d %H:%M",
			 &tm);
		return xstrdup(buf);
	case MQ_VIEW_COUNTDOWN:
		if (status != NULL && strcmp(status, "waiting") == 0)
			return xstrdup(_("paused"));
		if (status != NULL && !vocab_clock_runs(status))
			return xstrdup("-");
		return listfmt_countdown(t, now);
	case MQ_VIEW_OVERDUE:
		if (status != NULL && strcmp(status, "waiting") == 0)
			return xstrdup(_("paused"));
		if (t > now)
			return xstrdup(_("not yet"));
		return listfmt_duration((long long)now - (long long)t);
	default:
		return NULL;
	}
}

/* 13957700001 -> 139****0001; anything else as it is. Caller frees. */
static char *view_mask_phone(const char *v)
{
	char *s = xstrdup(v);

	if (strlen(s) == 11)
		memcpy(s + 3, "****", 4);
	return s;
}

char *view_value_format(enum mq_view_format format, const char *raw)
{
	switch (format) {
	case MQ_VIEW_STATUS:
		return xstrdup(raw != NULL ? vocab_status_label(raw) : "");
	case MQ_VIEW_MARKER:
		return xstrdup(vocab_warning_marker(raw));
	case MQ_VIEW_WARNING:
		return xstrdup(raw != NULL ? vocab_warning_label(raw) : "");
	case MQ_VIEW_PHONE:
		return raw != NULL ? view_mask_phone(raw) : NULL;
	case MQ_VIEW_TEXT:
	case MQ_VIEW_PARA:
		return raw != NULL ? xstrdup(raw) : NULL;
	default:
		return NULL;
	}
}

/* The first line of a long text, "…" when there is more. Caller frees. */
char *view_first_line(const char *raw)
{
	size_t n = strcspn(raw, "\n");

	return raw[n] == '\0' ? xstrdup(raw) : xasprintf("%.*s…", (int)n, raw);
}

/* --- the call ----------------------------------------------------------------------------- */

void view_call_init(struct view_call *call)
{
	memset(call, 0, sizeof *call);
	call->args = xstrdup("");
}

void view_call_param(struct view_call *call, const char *name, const char *value)
{
	char *prev = call->args;

	if (call->n >= VIEW_MAX_PARAMS)
		fatal("view: more than %d parameters", VIEW_MAX_PARAMS);
	call->params[call->n++] = value;
	call->args = xasprintf("%s%s%s => $%d", prev, prev[0] != '\0' ? ", " : "", name, call->n);
	free(prev);
}

void view_call_given(struct view_call *call, const struct mq_view *v,
		     const struct view_given *given, size_t ngiven)
{
	size_t i;

	for (i = 0; i < ngiven; i++)
		view_call_param(call, given[i].param, given[i].value);
	for (i = 0; i < v->nfixed; i++)
		view_call_param(call, v->fixed[i].param, v->fixed[i].column);
}

void view_start(const struct mq_view *v, struct view_given *given, size_t *ngiven, int *choice,
		char **query)
{
	size_t i, j, k, kept = 0;

	/* The view's start values (triage: the inbox on what waits for triage). */
	for (k = 0; k < v->nstart; k++)
		for (i = 0; i < v->nchoices; i++)
			for (j = 0; strcmp(v->choices[i].param, v->start[k].param) == 0 &&
				    j < v->choices[i].nvalues;
			     j++)
				if (v->choices[i].values[j].value != NULL &&
				    strcmp(v->choices[i].values[j].value, v->start[k].column) == 0)
					choice[i] = (int)j;
	/*
	 * An optional parameter the opener bound that is a group of choices or
	 * the search: the screen starts there (the drill-down keeps its period,
	 * and the person may still change it), and it is not passed a second time.
	 */
	for (k = 0; k < *ngiven; k++) {
		struct view_given *g = &given[k];
		bool taken = false;

		for (i = 0; i < v->nchoices; i++) {
			if (strcmp(v->choices[i].param, g->param) != 0)
				continue;
			for (j = 0; j < v->choices[i].nvalues; j++)
				if (v->choices[i].values[j].value != NULL && g->value != NULL &&
				    strcmp(v->choices[i].values[j].value, g->value) == 0) {
					choice[i] = (int)j;
					taken = true;
				}
		}
		if (!taken && v->search != NULL && strcmp(v->search->param, g->param) == 0) {
			free(*query);
			*query = g->value != NULL ? xstrdup(g->value) : NULL;
			taken = true;
		}
		if (taken && mq_view_optional(v, g->param)) {
			free((char *)g->param);
			free((char *)g->value);
			continue;
		}
		given[kept++] = *g;
	}
	*ngiven = kept;
}

void view_call_page(struct view_call *call, const struct mq_view *v, const struct view_given *given,
		    size_t ngiven, const int *choice, const char *query, size_t sort,
		    view_row_fn last, void *row)
{
	const struct mq_view_sort *so = v->nsorts > 0 ? &v->sorts[sort] : NULL;
	size_t i;

	view_call_init(call);
	view_call_given(call, v, given, ngiven);
	for (i = 0; i < v->nchoices; i++)
		/* what was searched for replaces a choice of the same parameter (a period typed) */
		if (query == NULL || v->search == NULL ||
		    strcmp(v->search->param, v->choices[i].param) != 0)
			view_call_param(call, v->choices[i].param,
					v->choices[i].values[choice[i]].value);
	if (so != NULL && so->param != NULL)
		view_call_param(call, so->param, so->value);
	if (v->search != NULL && query != NULL)
		view_call_param(call, v->search->param, query);
	for (i = 0; so != NULL && last != NULL && i < so->nafter; i++)
		view_call_param(call, so->after[i].param, last(row, so->after[i].column));
	snprintf(call->limit, sizeof call->limit, "%d", LIST_PAGE);
	if (v->limit != NULL)
		view_call_param(call, v->limit, call->limit);
	view_call_select(call, v);
}

void view_call_select(struct view_call *call, const struct mq_view *v)
{
	char *extra = xstrdup(""), *prev;
	size_t i;

	for (i = 0; i < v->ncolumns; i++) {
		if (!view_format_is_time(v->columns[i].format))
			continue;
		prev = extra;
		extra = xasprintf("%s, extract(epoch FROM f.%s)::bigint AS \"%s:epoch\"", prev,
				  v->columns[i].name, v->columns[i].name);
		free(prev);
	}
	call->sql = xasprintf("SELECT f.*%s FROM %s(%s) f", extra, v->function, call->args);
	free(extra);
}

void view_call_free(struct view_call *call)
{
	free(call->sql);
	free(call->args);
	call->sql = call->args = NULL;
}

/* --- a record as a table -------------------------------------------------------------------- */

const char *view_result_value(const PGresult *res, int row, const char *name)
{
	char *quoted;
	int f;

	if (res == NULL || name == NULL || row >= PQntuples(res))
		return NULL;
	quoted = xasprintf("\"%s\"", name);
	f = PQfnumber(res, quoted);
	free(quoted);
	return f < 0 || PQgetisnull(res, row, f) ? NULL : PQgetvalue(res, row, f);
}

static const char *record_label(const struct mq_text *t, bool english)
{
	const char *s = mq_text_get(t, english ? "en" : "zh_CN");

	return s != NULL ? s : "";
}

char *view_record_field(const struct mq_view *v, const struct mq_view_column *col,
			const PGresult *row, bool english, bool ascii, time_t now)
{
	const char *raw =
		view_result_value(row, 0, english && col->en != NULL ? col->en : col->name);
	char *text, *epoch;
	double max = 0;
	size_t i;

	if (raw == NULL)
		return NULL;
	for (i = 0; i < col->nvalues; i++)
		if (strcmp(col->values[i].value, raw) == 0) {
			raw = record_label(&col->values[i].label, english);
			break;
		}
	if (col->format == MQ_VIEW_BAR)
		mq_chart_number(raw, &max, NULL);
	if ((text = mq_view_chart(col, raw, view_result_value(row, 0, col->from), max, ascii)) !=
	    NULL)
		return text;
	if (view_format_is_time(col->format)) {
		epoch = xasprintf("%s:epoch", col->name);
		text = view_time_format(col->format, view_result_value(row, 0, epoch),
					view_result_value(row, 0, v->status), now);
		free(epoch);
		return text;
	}
	return view_value_format(col->format, raw);
}

void view_record_table(const struct mq_view *v, const PGresult *row, const PGresult *lines,
		       bool english, bool ascii, time_t now, struct mq_table *t)
{
	static const char *titles[2];
	static const int aligns[2] = {-1, 1};
	int nlines = lines != NULL ? PQntuples(lines) : 0, i, depth;
	size_t n = 0, c;
	const char *label, *value;

	titles[0] = _("Item");
	titles[1] = _("Value");
	t->ncols = 2;
	t->titles = titles;
	t->aligns = aligns;
	t->cells = xcalloc((v->ncolumns + (size_t)nlines) * 2 + 1, sizeof *t->cells);
	for (c = 0; row != NULL && PQntuples(row) > 0 && c < v->ncolumns; c++) {
		if (v->columns[c].label.zh == NULL)
			continue;
		t->cells[n * 2] = xstrdup(record_label(&v->columns[c].label, english));
		t->cells[n * 2 + 1] =
			view_record_field(v, &v->columns[c], row, english, ascii, now);
		if (t->cells[n * 2 + 1] == NULL)
			t->cells[n * 2 + 1] = xstrdup("");
		n++;
	}
	for (i = 0; i < nlines; i++) {
		label = view_result_value(lines, i, english ? "label_en" : "label_zh");
		value = english && view_result_value(lines, i, "value_en") != NULL
				? view_result_value(lines, i, "value_en")
				: view_result_value(lines, i, "value");
		depth = view_result_value(lines, i, "depth") != NULL
				? atoi(view_result_value(lines, i, "depth"))
				: 0;
		if (depth < 0 || depth > 8)
			depth = 0;
		t->cells[n * 2] = xasprintf("%*s%s", depth * 2, "", label != NULL ? label : "");
		t->cells[n * 2 + 1] = xstrdup(value != NULL ? value : "");
		n++;
	}
	t->nrows = n;
}

void view_record_table_free(struct mq_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * 2; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = 0;
}
