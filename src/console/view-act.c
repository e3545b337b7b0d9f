/*
 * What a row of a view offers (the actions of docs/views.md), the same for
 * a list's selected row and for a record: a form, given the row's values
 * it names ("row.<column>" context, fill), or another view opened with its
 * given parameters bound from the row's columns.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "form-screen.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "screen-view.h"

bool view_action_applies(const struct console *c, const struct mq_view_action *a,
			 const char *status)
{
	size_t j;

	if (!view_duty_allows(c, a->duty))
		return false;
	for (j = 0; a->status != NULL && status != NULL && a->status[j] != NULL; j++)
		if (strcmp(a->status[j], status) == 0)
			return true;
	return a->status == NULL;
}

/*
 * The form's context from the row: a case row gives case_id and its version
 * (checked before the call, as on the case screen); any row gives its
 * row_version and the columns the form names. false (with a message) when
 * a value is too long to be a context value.
 */
static bool view_form_context(struct console *c, const struct view_row_ref *ref,
			      const struct mq_form *f, struct form_args *args)
{
	const char *version = ref->get(ref->row, "row_version"), *v;
	size_t k, skip = strlen(MQ_FORM_CONTEXT_ROW);
	char id[24];

	/* Many rows (row_ids): no one case's version to check. */
	if (ref->row_ids == NULL && ref->view->open != NULL &&
	    strcmp(ref->view->open, "case") == 0) {
		snprintf(id, sizeof id, "%lld", ref->id);
		mq_form_context_put(&args->context, "case_id", id);
		args->check_version = version != NULL;
	}
	if (version != NULL && strlen(version) < MQ_FORM_CONTEXT_VALUE_MAX)
		mq_form_context_put(&args->context, "row_version", version);
	for (k = 0; k < f->ncontext; k++) {
		if (strncmp(f->context[k].from, MQ_FORM_CONTEXT_ROW, skip) != 0 ||
		    (v = ref->get(ref->row, f->context[k].from + skip)) == NULL)
			continue;
		if (strlen(v) >= MQ_FORM_CONTEXT_VALUE_MAX) {
			console_message(c, true, _("%s: the value of %s is too long for a form."),
					f->name, f->context[k].from + skip);
			return false;
		}
		mq_form_context_put(&args->context, f->context[k].from, v);
	}
	return true;
}

static void view_run_form(struct console *c, const struct view_row_ref *ref,
			  const struct mq_view_action *a)
{
	const struct mq_form *f = mq_form_find(c->forms, c->nforms, a->form);
	struct form_args args = {0};
	struct form_preset *preset;
	size_t k, n = 0;

	if (f == NULL) {
		console_message(c, true, _("The form %s.form is missing from %s."), a->form,
				c->cfg->forms_dir);
		return;
	}
	if (!view_form_context(c, ref, f, &args))
		return;
	/* The fields the row fills in first (an edit starts from what is there). */
	preset = xcalloc(a->nfill + 1, sizeof *preset);
	for (k = 0; k < a->nfill; k++) {
		const char *v = ref->get(ref->row, a->fill[k].column);

		if (v != NULL) {
			preset[n].name = a->fill[k].param;
			preset[n].shown = a->fill[k].shown != NULL
						  ? ref->get(ref->row, a->fill[k].shown)
						  : NULL;
			preset[n++].value = v;
		}
	}
	args.preset = preset;        /* read by form_open() only */
	args.row_ids = ref->row_ids; /* copied by the form */
	args.done = ref->done;
	args.arg = ref->done_arg;
	form_open(c, a->form, &args);
	free(preset);
}

void view_run_action(struct console *c, const struct view_row_ref *ref, size_t i)
{
	const struct mq_view_action *a = &ref->view->actions[i];
	const char *status =
		ref->view->status != NULL ? ref->get(ref->row, ref->view->status) : NULL;

	if (a->no_row && a->form != NULL) {
		/* Something new: nothing of the row goes with it. */
		struct form_args args = {.done = ref->done, .arg = ref->done_arg};

		if (!view_duty_allows(c, a->duty))
			console_message(c, true, _("%s: not possible for you."),
					view_text(c, &a->label));
		else
			form_open(c, a->form, &args);
		return;
	}
	if (!view_action_applies(c, a, status)) {
		console_message(c, true, _("%s: not possible for this row."),
				view_text(c, &a->label));
		return;
	}
	if (a->form != NULL)
		view_run_form(c, ref, a);
	else
		view_open_bound(c, a->view, a->bind, a->nbind, a->title, ref->get, ref->row);
}

/* A result column's value in the first row, or NULL (none, empty or absent). */
static const char *view_done_value(const PGresult *res, const char *column)
{
	const char *v = view_result_value(res, 0, column);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

void view_done_message(struct console *c, PGresult *res)
{
	const char *no, *skipped;

	/* A batch (case_urge_many) says how many it did and how many it could not. */
	if ((no = view_done_value(res, "urged")) != NULL &&
	    (skipped = view_done_value(res, "skipped")) != NULL) {
		if (strcmp(skipped, "0") == 0)
			console_message(c, false, _("Urged %s case(s)."), no);
		else
			console_message(c, strcmp(no, "0") == 0,
					_("Urged %s case(s); %s could not be urged."), no, skipped);
		return;
	}
	/* So does a retry of dead messages (outbox_retry). */
	if ((no = view_done_value(res, "retried")) != NULL &&
	    (skipped = view_done_value(res, "skipped")) != NULL) {
		if (strcmp(skipped, "0") == 0)
			console_message(c, false, _("Put %s message(s) back in the queue."), no);
		else
			console_message(c, strcmp(no, "0") == 0,
					_("Put %s message(s) back in the queue; %s could not be."),
					no, skipped);
		return;
	}
	/* And days taken out of the calendar (holiday_remove). */
	if ((no = view_done_value(res, "removed")) != NULL &&
	    (skipped = view_done_value(res, "skipped")) != NULL) {
		if (strcmp(skipped, "0") == 0)
			console_message(c, false, _("Removed %s day(s) from the calendar."), no);
		else
			console_message(
				c, strcmp(no, "0") == 0,
				_("Removed %s day(s) from the calendar; %s were not in it."), no,
				skipped);
		return;
	}
	/* Days entered (holiday_set): how many changed, none when all were so already. */
	if ((no = view_done_value(res, "holiday_set")) != NULL) {
		if (strcmp(no, "0") == 0)
			console_message(c, false, "%s",
					_("Saved: the calendar already had these days so."));
		else
			console_message(c, false, _("Saved: %s day(s) of the calendar."), no);
		return;
	}
	/* A form that made a case (a demand turned into one) or a card says its number. */
	if ((no = view_done_value(res, "case_no")) != NULL)
		console_message(c, false, _("Saved: case number %s."), no);
	else if ((no = view_done_value(res, "card_no")) != NULL)
		console_message(c, false, _("Saved: card number %s."), no);
	else
		console_message(c, false, "%s", _("Saved."));
}

bool view_open_bound(struct console *c, const char *name, const struct mq_view_bind *bind,
		     size_t nbind, const char *title, view_row_fn get, void *row)
{
	struct view_given *given = xcalloc(nbind + 1, sizeof *given);
	size_t k;
	bool opened;

	/* The values are copied by the screen's init; these point into the row. */
	for (k = 0; k < nbind; k++) {
		given[k].param = bind[k].param;
		given[k].value = get(row, bind[k].column);
	}
	opened = view_push(c, name, title != NULL ? get(row, title) : NULL, given, nbind);
	free(given);
	return opened;
}
