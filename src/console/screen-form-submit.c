/*
 * Submitting a form (screen-form.h): every field is checked here first
 * (mq_field_validate), then the call is built from the form
 * (mq_form_build_call: fields left empty are not passed, so the function's
 * defaults apply), and run; with a case version in the context, in one
 * transaction after minqing.case_expect_version(), so a case changed by
 * someone else since it was opened is never overwritten silently. The
 * database has the last word: its refusal is shown on the field it names
 * (the COLUMN of the error), in the person's language, and the form keeps
 * everything typed, also when the connection was lost.
 */
#include <stdlib.h>
#include <string.h>

#include "mq/common.h"
#include "mq/db.h"
#include "mq/form.h"
#include "mq/i18n.h"
#include "screen-form.h"

/* --- submitting ------------------------------------------------------------------- */

static const char *form_context(const char *from, void *arg)
{
	struct form_state *st = arg;

	/* The marked rows' ids (too long for the context values); NULL: not given. */
	if (strcmp(from, "row_ids") == 0)
		return st->row_ids;
	/* What the opener put (form_args.context); a source it did not is not given. */
	return mq_form_context_value(&st->args.context, from);
}

/* The values of the fields as mq_form_build_call() wants them; free with form_values_free(). */
static char **form_values(const struct form_state *st)
{
	char **v = xcalloc(st->n + 1, sizeof *v);
	size_t i;

	for (i = 0; i < st->n; i++)
		v[i] = st->f[i].edit != NULL
			       ? mq_edit_utf8(st->f[i].edit)
			       : (st->f[i].value != NULL ? xstrdup(st->f[i].value) : NULL);
	return v;
}

static void form_values_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

const char *form_value(const struct form_values_view *fv, const char *name)
{
	size_t i;

	for (i = 0; i < fv->n; i++)
		if (strcmp(fv->form->fields[i].name, name) == 0)
			return fv->values[i] != NULL && fv->values[i][0] != '\0' ? fv->values[i]
										 : NULL;
	return NULL;
}

/* Close the form and hand the result to the opener (which may open a screen). */
static void form_finish(struct console *c, struct form_state *st, PGresult *res)
{
	void (*done)(struct console *, void *, PGresult *) = st->args.done;
	void *arg = st->args.arg;

	console_pop(c); /* frees st */
	console_changed(c);
	if (done != NULL)
		done(c, arg, res);
	PQclear(res);
}

static void form_server_error(struct console *c, struct form_state *st,
			      const struct mq_db_error *err)
{
	const struct mq_form_field *def = NULL;
	char *text = console_error_text(err);
	size_t i;

	if (err->column != NULL)
		def = mq_form_field_for_param(st->args.form, err->column);
	st->conflict = strcmp(err->sqlstate, "40001") == 0;
	if (def != NULL) {
		for (i = 0; i < st->n; i++)
			if (st->f[i].def == def) {
				form_set_error(&st->f[i], text);
				st->cur = (int)i;
			}
		console_message(c, true, "%s",
				_("The database did not accept the form: see the field."));
	} else if (st->conflict && st->args.reload != NULL) {
		console_message(c, true, "%s %s", text,
				_("Press F5 to reload the case; what you typed stays."));
	} else if (err->connection_lost) {
		console_message(
			c, true, "%s",
			_("The connection was lost: what you typed stays. Submit again once "
			  "it is back."));
	} else
		console_message(c, true, "%s", text);
	free(text);
}

/* Run the call, in a transaction after the version check when there is one. */
static PGresult *form_run(struct console *c, struct form_state *st, const char *sql, int nparams,
			  const char *const *params, struct mq_db_error *err)
{
	const char *vp[2] = {mq_form_context_value(&st->args.context, "case_id"),
			     mq_form_context_value(&st->args.context, "row_version")};
	PGresult *res;

	if (!st->args.check_version)
		return console_query(c, st->args.form->name, err, sql, nparams, params);
	if (mq_db_begin(c->db, err) != 0)
		return NULL;
	if (mq_db_exec(c->db, err, "SELECT minqing.case_expect_version($1, $2)", 2, vp) != 0) {
		mq_db_rollback(c->db, NULL);
		return NULL;
	}
	res = console_query(c, st->args.form->name, err, sql, nparams, params);
	if (res == NULL || mq_db_commit(c->db, err) != 0) {
		mq_db_rollback(c->db, NULL);
		PQclear(res);
		return NULL;
	}
	return res;
}

void form_submit(struct console *c, struct form_state *st)
{
	struct mq_db_error err = {0};
	struct form_values_view fv;
	char **values, *sql, *msg, *warn;
	const char **params;
	int nparams, bad = -1;
	PGresult *res;
	size_t i;

	if (c->conn != CONN_OK) {
		console_message(c, true, "%s",
				_("Not connected: what you typed stays. Submit again once the "
				  "connection is back."));
		return;
	}
	values = form_values(st);
	for (i = 0; i < st->n; i++) {
		msg = NULL;
		if (mq_field_validate(st->f[i].def, values[i], &msg) != 0) {
			form_set_error(&st->f[i], msg);
			if (bad < 0)
				bad = (int)i;
		} else
			form_set_error(&st->f[i], NULL);
		free(msg);
	}
	if (bad >= 0) {
		st->cur = bad;
		console_message(c, true, "%s", _("Some fields need attention (marked in red)."));
		form_values_free(values, st->n);
		return;
	}
	/* A check of the opener's before saving (the duplicate hint of intake). */
	fv.form = st->args.form;
	fv.values = (const char *const *)values;
	fv.n = st->n;
	if (st->args.precheck != NULL && !st->confirmed &&
	    (warn = st->args.precheck(c, st->args.arg, &fv)) != NULL) {
		free(st->notice);
		st->notice = warn;
		st->confirmed = true;
		st->cur = (int)st->n;
		console_message(c, true, "%s",
				_("Read the notice above; press F2 again to submit."));
		form_values_free(values, st->n);
		return;
	}
	mq_form_build_call(st->args.form, (const char *const *)values, form_context, st, &sql,
			   &params, &nparams);
	res = form_run(c, st, sql, nparams, params, &err);
	free(sql);
	free(params);
	form_values_free(values, st->n);
	if (res == NULL) {
		form_server_error(c, st, &err);
		mq_db_error_clear(&err);
		return;
	}
	form_finish(c, st, res);
}
