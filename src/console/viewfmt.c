/*
 * The pure parts of the view engine (viewfmt.h): building a call of a
 * view's function, formatting a value as the screens show it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
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
