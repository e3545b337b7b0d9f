/*
 * minqing --lint-forms, for view files: what only the database and the
 * console know about a view (include/mq/view.h). The function exists, once
 * (no overloads to guess between), every parameter the view passes is one
 * of its input parameters, every column it reads is one of its output
 * columns; the classify function gives (kind, norm); the forms its actions
 * open are installed; every key names a key, and no key of the view is
 * another of its keys or one the list itself uses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "lint.h"
#include "mq/common.h"
#include "mq/db.h"
#include "mq/i18n.h"
#include "mq/view.h"

#define LINT_MAX_ARGS 128

struct lint_fn {
	char *in[LINT_MAX_ARGS], *out[LINT_MAX_ARGS];
	int nin, nout;
};

static void lint_fn_free(struct lint_fn *fn)
{
	int i;

	for (i = 0; i < fn->nin; i++)
		free(fn->in[i]);
	for (i = 0; i < fn->nout; i++)
		free(fn->out[i]);
}

static bool lint_has(char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; name != NULL && i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* The named parameters of schema.name: 0, -1 with *cause (2 bad, 3 lost in *rc). */
static int lint_read_fn(struct mq_db *db, const char *qualified, struct lint_fn *fn, char **cause,
			bool *lost)
{
	static const char sql[] =
		"SELECT p.oid::bigint AS oid, a.name, coalesce(a.mode, 'i') AS mode "
		"  FROM pg_catalog.pg_proc p "
		"  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
		"  LEFT JOIN LATERAL unnest(p.proargnames, p.proargmodes::text[]) "
		"       AS a(name, mode) ON true "
		" WHERE n.nspname = $1 AND p.proname = $2";
	struct mq_db_error err = {0};
	const char *dot = strchr(qualified, '.');
	char *schema = xstrndup(qualified, (size_t)(dot - qualified));
	const char *params[2] = {schema, dot + 1};
	PGresult *res = mq_db_query(db, &err, sql, 2, params);
	int i, n;
	long long oid = 0;

	free(schema);
	if (res == NULL) {
		*lost = err.connection_lost;
		mq_fail(cause, "%s", err.message != NULL ? err.message : "?");
		mq_db_error_clear(&err);
		return -1;
	}
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		const char *name = mq_db_field(res, i, "name"), *mode = mq_db_field(res, i, "mode");

		if (oid != 0 && oid != atoll(mq_db_field(res, i, "oid"))) {
			PQclear(res);
			return mq_fail(cause, _("%s is overloaded: a view needs one function"),
				       qualified);
		}
		oid = atoll(mq_db_field(res, i, "oid"));
		if (name[0] == '\0')
			continue;
		if ((mode[0] == 'i' || mode[0] == 'b' || mode[0] == 'v') && fn->nin < LINT_MAX_ARGS)
			fn->in[fn->nin++] = xstrdup(name);
		if ((mode[0] == 'o' || mode[0] == 't' || mode[0] == 'b') &&
		    fn->nout < LINT_MAX_ARGS)
			fn->out[fn->nout++] = xstrdup(name);
	}
	PQclear(res);
	if (n == 0)
		return mq_fail(cause, _("function %s does not exist"), qualified);
	return 0;
}

/* Append "path:line: message" to *msgs. */
static void lint_say(char **msgs, const struct mq_view *v, int line, const char *fmt, ...)
	MQ_PRINTF(4, 5);
static void lint_say(char **msgs, const struct mq_view *v, int line, const char *fmt, ...)
{
	va_list ap;
	char *m, *prev = *msgs;

	va_start(ap, fmt);
	m = xvasprintf(fmt, ap);
	va_end(ap);
	*msgs = xasprintf("%s%s%s:%d: %s", prev != NULL ? prev : "", prev != NULL ? "\n" : "",
			  v->path, line > 0 ? line : 1, m);
	free(prev);
	free(m);
}

static void lint_param(char **msgs, const struct mq_view *v, const struct lint_fn *fn,
		       const char *param, int line)
{
	if (param != NULL && !lint_has(fn->in, fn->nin, param))
		lint_say(msgs, v, line, _("%s has no parameter %s"), v->function, param);
}

static void lint_column(char **msgs, const struct mq_view *v, const struct lint_fn *fn,
			const char *column, int line)
{
	if (column != NULL && !lint_has(fn->out, fn->nout, column))
		lint_say(msgs, v, line, _("%s gives no column %s"), v->function, column);
}

static void lint_params_and_columns(char **msgs, const struct mq_view *v, const struct lint_fn *fn)
{
	size_t i, j;

	for (i = 0; i < v->nfixed; i++)
		lint_param(msgs, v, fn, v->fixed[i].param, 0);
	for (i = 0; i < v->nchoices; i++)
		lint_param(msgs, v, fn, v->choices[i].param, v->choices[i].line);
	for (i = 0; i < v->nsorts; i++) {
		lint_param(msgs, v, fn, v->sorts[i].param, v->sorts[i].line);
		lint_column(msgs, v, fn, v->sorts[i].column, v->sorts[i].line);
		for (j = 0; j < v->sorts[i].nafter; j++) {
			lint_param(msgs, v, fn, v->sorts[i].after[j].param, v->sorts[i].line);
			lint_column(msgs, v, fn, v->sorts[i].after[j].column, v->sorts[i].line);
		}
	}
	if (v->search != NULL)
		lint_param(msgs, v, fn, v->search->param, v->search->line);
	lint_param(msgs, v, fn, v->limit, 0);
	for (i = 0; i < v->ncolumns; i++) {
		lint_column(msgs, v, fn, v->columns[i].name, v->columns[i].line);
		lint_column(msgs, v, fn, v->columns[i].en, v->columns[i].line);
		lint_column(msgs, v, fn, v->columns[i].from, v->columns[i].line);
	}
	lint_column(msgs, v, fn, v->id, 0);
	lint_column(msgs, v, fn, v->warning, 0);
	lint_column(msgs, v, fn, v->status, 0);
	for (i = 0; v->given != NULL && v->given[i] != NULL; i++)
		lint_param(msgs, v, fn, v->given[i], 0);
	for (i = 0; v->optional != NULL && v->optional[i] != NULL; i++)
		lint_param(msgs, v, fn, v->optional[i], 0);
	for (i = 0; i < v->nopen_bind; i++)
		lint_column(msgs, v, fn, v->open_bind[i].column, v->open_line);
	lint_column(msgs, v, fn, v->open_title, v->open_line);
	lint_column(msgs, v, fn, v->open_when, v->open_line);
	for (i = 0; i < v->nelse_bind; i++)
		lint_column(msgs, v, fn, v->else_bind[i].column, v->open_line);
	lint_column(msgs, v, fn, v->else_title, v->open_line);
	for (i = 0; i < v->nactions; i++) {
		for (j = 0; j < v->actions[i].nbind; j++)
			lint_column(msgs, v, fn, v->actions[i].bind[j].column, v->actions[i].line);
		for (j = 0; j < v->actions[i].nfill; j++) {
			lint_column(msgs, v, fn, v->actions[i].fill[j].column, v->actions[i].line);
			lint_column(msgs, v, fn, v->actions[i].fill[j].shown, v->actions[i].line);
		}
		lint_column(msgs, v, fn, v->actions[i].title, v->actions[i].line);
	}
}

/*
 * A record's other functions (lines, on_open) are called with the same
 * parameters: each must take them; lines must give its four columns.
 */
static void lint_record_fn(struct mq_db *db, char **msgs, const struct mq_view *v,
			   const char *function, bool lines, bool *lost)
{
	static const char *const line_cols[] = {"label_zh", "label_en", "value", "depth", NULL};
	struct lint_fn fn = {0};
	char *why = NULL;
	size_t i;

	if (function == NULL || *lost)
		return;
	if (lint_read_fn(db, function, &fn, &why, lost) != 0) {
		lint_say(msgs, v, 1, "%s", why);
		free(why);
		return;
	}
	for (i = 0; v->given != NULL && v->given[i] != NULL; i++)
		if (!lint_has(fn.in, fn.nin, v->given[i]))
			lint_say(msgs, v, 1, _("%s has no parameter %s"), function, v->given[i]);
	for (i = 0; i < v->nfixed; i++)
		if (!lint_has(fn.in, fn.nin, v->fixed[i].param))
			lint_say(msgs, v, 1, _("%s has no parameter %s"), function,
				 v->fixed[i].param);
	for (i = 0; lines && line_cols[i] != NULL; i++)
		if (!lint_has(fn.out, fn.nout, line_cols[i]))
			lint_say(msgs, v, 1, _("%s gives no column %s"), function, line_cols[i]);
	lint_fn_free(&fn);
}

/*
 * A view read through the reports' connection (source = "report") may be
 * read on a hot standby, which refuses every write: its function and lines
 * must not be VOLATILE (a volatile function may write; STABLE promises not).
 */
static void lint_report_fn(struct mq_db *db, char **msgs, const struct mq_view *v,
			   const char *function, bool *lost)
{
	struct mq_db_error err = {0};
	PGresult *res;

	if (!v->source_report || function == NULL || *lost)
		return;
	res = mq_db_query(db, &err,
			  "SELECT p.provolatile = 'v' AS volatile FROM pg_catalog.pg_proc p "
			  " WHERE p.oid = pg_catalog.to_regproc($1)",
			  1, &function);
	if (res == NULL) {
		*lost = err.connection_lost;
		lint_say(msgs, v, 1, "%s", err.message != NULL ? err.message : "");
		mq_db_error_clear(&err);
		return;
	}
	if (PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0)
		lint_say(msgs, v, 1,
			 _("%s is VOLATILE: a view with source = \"report\" may be read on a "
			   "standby, which allows no writes (declare it STABLE)"),
			 function);
	PQclear(res);
}

/* An action's form: installed, its fills name its fields, its "row." context the view's columns. */
static void lint_action_form(char **msgs, const struct mq_view *v, const struct lint_fn *fn,
			     const struct mq_view_action *a, struct mq_form *const *forms,
			     size_t nforms)
{
	const struct mq_form *f = mq_form_find(forms, nforms, a->form);
	size_t j, k, skip = strlen(MQ_FORM_CONTEXT_ROW);

	if (f == NULL) {
		lint_say(msgs, v, a->line, _("no form %s.form is installed"), a->form);
		return;
	}
	for (j = 0; j < a->nfill; j++) {
		for (k = 0; k < f->nfields && strcmp(f->fields[k].name, a->fill[j].param) != 0; k++)
			;
		if (k == f->nfields)
			lint_say(msgs, v, a->line, _("form %s has no field %s"), a->form,
				 a->fill[j].param);
	}
	for (j = 0; fn != NULL && j < f->ncontext; j++)
		if (strncmp(f->context[j].from, MQ_FORM_CONTEXT_ROW, skip) == 0)
			lint_column(msgs, v, fn, f->context[j].from + skip, a->line);
}

/* The keys the list widget itself reads (list.c; E exports), which a view cannot take. */
static const char *const lint_list_keys[] = {
	"k",    "j",    "b",    "g",   "G",   "/",  "s", "r", "Space", "Enter", "Up", "Down",
	"PgUp", "PgDn", "Home", "End", "Esc", "F5", "q", "h", "?",     "E",     NULL};
/* ... and in a list that marks rows (mark = true), its marking keys. */
static const char *const lint_mark_keys[] = {"m", "Insert", "M", NULL};

/* Each key of the view names a key, once, and is not the list's own. */
static void lint_keys(char **msgs, const struct mq_view *v)
{
	const char *names[128];
	int lines[128], n = 0, i, j;
	size_t a, b;
	key_code k, kj;

	for (a = 0; a < v->nchoices; a++) {
		for (b = 0; b < v->choices[a].nvalues && n < 120; b++)
			if (v->choices[a].values[b].key != NULL) {
				lines[n] = v->choices[a].line;
				names[n++] = v->choices[a].values[b].key;
			}
		if (v->choices[a].cycle != NULL) {
			lines[n] = v->choices[a].line;
			names[n++] = v->choices[a].cycle;
		}
	}
	for (a = 0; v->search != NULL && v->search->keys[a] != NULL && n < 120; a++) {
		lines[n] = v->search->line;
		names[n++] = v->search->keys[a];
	}
	for (a = 0; a < v->nactions && n < 120; a++) {
		lines[n] = v->actions[a].line;
		names[n++] = v->actions[a].key;
	}
	for (i = 0; i < n; i++) {
		if (keys_parse(names[i], &k) != 0) {
			lint_say(msgs, v, lines[i],
				 _("\"%s\" is not a key (a, F3, C-f, Enter, ...)"), names[i]);
			continue;
		}
		for (j = 0; lint_list_keys[j] != NULL; j++)
			if (keys_parse(lint_list_keys[j], &kj) == 0 && kj == k)
				lint_say(msgs, v, lines[i], _("key %s is the list's own"),
					 names[i]);
		for (j = 0; v->mark && lint_mark_keys[j] != NULL; j++)
			if (keys_parse(lint_mark_keys[j], &kj) == 0 && kj == k)
				lint_say(msgs, v, lines[i], _("key %s is the list's own"),
					 names[i]);
		for (j = 0; j < i; j++)
			if (keys_parse(names[j], &kj) == 0 && kj == k)
				lint_say(msgs, v, lines[i], _("key %s is used twice in this view"),
					 names[i]);
	}
}

int lint_view_db(struct mq_db *db, const struct mq_view *v, struct mq_form *const *forms,
		 size_t nforms, char **cause, bool *lost)
{
	struct lint_fn fn = {0}, cl = {0};
	char *msgs = NULL, *why = NULL;
	size_t i;
	bool have_fn = false;

	*lost = false;
	if (lint_read_fn(db, v->function, &fn, &why, lost) != 0) {
		lint_say(&msgs, v, 1, "%s", why);
		free(why);
	} else {
		have_fn = true;
		lint_params_and_columns(&msgs, v, &fn);
	}
	lint_record_fn(db, &msgs, v, v->lines, true, lost);
	lint_record_fn(db, &msgs, v, v->on_open, false, lost);
	lint_report_fn(db, &msgs, v, v->function, lost);
	lint_report_fn(db, &msgs, v, v->lines, lost);
	if (!*lost && v->search != NULL && v->search->classify != NULL) {
		if (lint_read_fn(db, v->search->classify, &cl, &why, lost) != 0) {
			lint_say(&msgs, v, v->search->line, "%s", why);
			free(why);
		} else if (!lint_has(cl.out, cl.nout, "kind") || !lint_has(cl.out, cl.nout, "norm"))
			lint_say(&msgs, v, v->search->line,
				 _("%s must give the columns kind and norm"), v->search->classify);
	}
	for (i = 0; i < v->nactions; i++)
		if (v->actions[i].form != NULL)
			lint_action_form(&msgs, v, have_fn ? &fn : NULL, &v->actions[i], forms,
					 nforms);
	lint_keys(&msgs, v);
	lint_fn_free(&fn);
	lint_fn_free(&cl);
	if (msgs == NULL)
		return 0;
	*cause = msgs;
	return -1;
}
