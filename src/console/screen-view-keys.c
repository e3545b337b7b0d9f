/*
 * The key table of a view's screen (view_keytab_new(), console.h), built
 * when the view files are read, before the bindings are checked: the
 * values of its groups of choices (one hint for a group: "a/o/m/u/n 显示"),
 * each group's cycle key, the search prompt, the forms offered on a row,
 * then the list widget's own actions (list.c). A bindable name is made from
 * the file ("filter.overdue", "centre.next", "find", "accept"), so a person's
 * keys.filter.overdue applies in every list that has that choice.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "list.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/view.h"
#include "screen-view.h"

/* "filter.overdue": a bindable name from a parameter and a value. Caller frees. */
static char *view_action_name(const char *param, const char *value)
{
	return xasprintf("%s.%s", strncmp(param, "p_", 2) == 0 ? param + 2 : param,
			 value != NULL ? value : "all");
}

/* The keys of the groups of choices: a value's own, the group's cycle. */
static int view_keytab_choices(struct keytab *t, const struct mq_view *v, const char *lang,
			       char **cause)
{
	const char *label;
	char *name, *keys;
	size_t g, j;
	int rc = 0;

	for (g = 0; g < v->nchoices && rc == 0; g++) {
		const struct mq_view_choices *cs = &v->choices[g];

		label = mq_text_get(&cs->label, lang);
		keys = xstrdup("");
		for (j = 0; j < cs->nvalues; j++)
			if (cs->values[j].key != NULL) {
				char *next = xasprintf("%s%s%s", keys, keys[0] != '\0' ? "/" : "",
						       cs->values[j].key);

				free(keys);
				keys = next;
			}
		for (j = 0; j < cs->nvalues && rc == 0; j++) {
			if (cs->values[j].key == NULL)
				continue;
			name = view_action_name(cs->param, cs->values[j].value);
			/* One hint for the group ("a/o/m/u/n 显示"), on its first value. */
			rc = keytab_add(t, VIEW_A_CHOICE + (int)(g * VIEW_GROUP_SPAN + j), name,
					cs->values[j].key, keys, keys[0] != '\0' ? label : NULL,
					mq_text_get(&cs->values[j].label, lang), cause);
			free(name);
			keys[0] = '\0';
		}
		free(keys);
		if (rc == 0 && cs->cycle != NULL) {
			name = view_action_name(cs->param, "next");
			rc = keytab_add(t, VIEW_A_CYCLE + (int)g, name, cs->cycle, NULL, label,
					label, cause);
			free(name);
		}
	}
	return rc;
}

/* The search's keys and the rows' forms. */
static int view_keytab_search_forms(struct keytab *t, const struct mq_view *v, const char *lang,
				    char **cause)
{
	char *keys, *next, *name, *help;
	const char *what;
	size_t i;
	int rc = 0;

	if (v->search != NULL) {
		keys = xstrdup("");
		for (i = 0; v->search->keys[i] != NULL; i++) {
			next = xasprintf("%s%s%s", keys, i > 0 ? " " : "", v->search->keys[i]);
			free(keys);
			keys = next;
		}
		/* In the help, what can be found: "查找：案件编号（LW-…）、手机号…" */
		what = mq_text_get(&v->search->help, lang);
		help = xasprintf("%s%s", mq_text_get(&v->search->prompt, lang),
				 what != NULL ? what : "");
		rc = keytab_add(t, VIEW_A_FIND, "find", keys, NULL, _("find"), help, cause);
		free(help);
		free(keys);
	}
	for (i = 0; i < v->nactions && rc == 0; i++) {
		const char *form =
			v->actions[i].form != NULL ? v->actions[i].form : v->actions[i].view;

		name = xstrdup(strncmp(form, "case_", 5) == 0 ? form + 5 : form);
		/* A record lists the actions that apply below it: not in the hint line too. */
		rc = keytab_add(t, VIEW_A_FORM + (int)i, name, v->actions[i].key, NULL,
				v->layout == MQ_VIEW_RECORD
					? NULL
					: mq_text_get(&v->actions[i].label, lang),
				mq_text_get(&v->actions[i].label, lang), cause);
		free(name);
	}
	return rc;
}

struct keytab *view_keytab_new(const struct mq_view *v, const char *lang, char **cause)
{
	struct keytab *t =
		keytab_new(v->name, mq_text_get(&v->title, lang), KEYTAB_LITERAL, "back help");
	char *why = NULL;

	if (view_keytab_choices(t, v, lang, &why) != 0 ||
	    view_keytab_search_forms(t, v, lang, &why) != 0 ||
	    list_keytab_add_some(t, v->nsorts > 1, v->open != NULL, v->layout == MQ_VIEW_LIST,
				 v->mark, &why) != 0 ||
	    (v->layout == MQ_VIEW_RECORD && v->report != NULL &&
	     list_keytab_add_export(t, &why) != 0)) {
		mq_fail(cause, "%s: %s", v->path, why);
		free(why);
		keytab_free(t);
		return NULL;
	}
	return t;
}
