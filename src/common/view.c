/*
 * View files (include/mq/view.h, docs/views.md): reading and checking them.
 *
 * A file is read with the safe libconfig reader (mq_libconfig_read) and
 * checked setting by setting, as forms are: a misspelt setting is an error at
 * its line, never silently ignored, and everything a view holds (identifiers,
 * texts, formatters, duties) is checked here, so the engine can draw it
 * without further checks. What only the database knows (does the function
 * exist, has it these parameters and columns) is the linter's.
 *
 * A view may name a `base` view of the same directory: each top-level
 * setting it does not give is taken from the base (the three centres are
 * Find cases with a fixed centre and their own title).
 */
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "mq/cfgread.h"
#include "mq/chart.h"
#include "mq/common.h"
#include "mq/config.h"
#include "mq/i18n.h"
#include "mq/view.h"

#define VIEW_MAX_ITEMS 64 /* columns, choices, sorts, actions, ... each */

const char *const mq_view_format_names[] = {
	"text",    "status", "marker", "warning", "date", "datetime", "countdown",
	"overdue", "phone",  "para",   "spark",   "bar",  "delta",    NULL,
};
const char *const mq_view_duties[] = {"officer", "handler", "supervisor", "admin", "kiosk", NULL};
static const char *const view_menus[] = {"basic",      "work",   "assessment",
					 "registers",  "memos",  "service",
					 "activities", "system", NULL};
static const char *const view_layouts[] = {"list", "record", NULL};
/* Where the function is read: the main connection, or the reports' (mq/db-report.h). */
static const char *const view_sources[] = {"primary", "report", NULL};

static const char *const view_root_settings[] = {"view", NULL};
static const char *const view_settings[] = {
	"base",    "title",      "empty",  "count",        "function", "id",     "limit", "warning",
	"status",  "open",       "notify", "jurisdiction", "duty",     "menu",   "fixed", "columns",
	"sorts",   "choices",    "search", "actions",      "start",    "layout", "given", "lines",
	"on_open", "menu_order", "report", "optional",     "source",   "mark",   NULL,
};
static const char *const view_column_settings[] = {
	"name", "en", "label", "min", "weight", "align", "format", "values", "from", "scale", NULL};
static const char *const view_value_settings[] = {"value", "label", NULL};
static const char *const view_bind_settings[] = {"param", "column", NULL};
static const char *const view_fixed_settings[] = {"param", "value", NULL};
static const char *const view_fill_settings[] = {"field", "column", "shown", NULL};
static const char *const view_sort_settings[] = {"column", "param", "value", "after", NULL};
static const char *const view_choices_settings[] = {"param", "label", "cycle", "values", NULL};
static const char *const view_choice_settings[] = {"key", "value", "label", "empty", NULL};
static const char *const view_search_settings[] = {"keys", "param", "classify", "prompt",    "help",
						   "all",  "empty", "kinds",    "max_chars", NULL};
static const char *const view_kind_settings[] = {"kind", "label", "refuse", NULL};
static const char *const view_action_settings[] = {"key",  "form",  "view",  "bind",
						   "fill", "title", "label", "status",
						   "duty", "row",   "rows",  NULL};
static const char *const view_open_settings[] = {"view", "bind", "title", "when", "else", NULL};
static const char *const view_else_settings[] = {"view", "bind", "title", NULL};

/* The reader of one file, and the base view's group when it has one. */
struct view_reader {
	struct mq_cfg_reader r;
	struct mq_cfg_reader base_r;
	const config_setting_t *own, *base;
};

/* Where a top-level setting comes from: the file's own group, else the base's. */
static const config_setting_t *view_src(struct view_reader *vr, const char *name,
					struct mq_cfg_reader **r)
{
	if (vr->base != NULL && config_setting_get_member(vr->own, name) == NULL &&
	    config_setting_get_member(vr->base, name) != NULL) {
		*r = &vr->base_r;
		return vr->base;
	}
	*r = &vr->r;
	return vr->own;
}

/* A string setting copied (NULL when absent and !required); any text, one line. */
static int view_copy_string(struct mq_cfg_reader *r, const config_setting_t *g, const char *name,
			    bool required, char **out)
{
	const char *v;

	if (mq_cfg_string(r, g, name, required, &v, NULL) != 0)
		return -1;
	*out = v != NULL ? xstrdup(v) : NULL;
	return 0;
}

/* A key name: a short string (the console checks that it names a key). */
static int view_key(struct mq_cfg_reader *r, const config_setting_t *g, const char *name,
		    bool required, char **out)
{
	const config_setting_t *at;
	const char *v;

	if (mq_cfg_string(r, g, name, required, &v, &at) != 0)
		return -1;
	if (v == NULL)
		return 0;
	if (v[0] == '\0' || strlen(v) > 16)
		return mq_cfg_fail(r, at, _("%s \"%s\" is not a key name (a, F3, C-f, Enter, ...)"),
				   name, v);
	*out = xstrdup(v);
	return 0;
}

/* The groups of a list: each element must be a group with the allowed names. */
static int view_list(struct mq_cfg_reader *r, const config_setting_t *g, const char *name,
		     bool required, const char *const *allowed, const config_setting_t **list,
		     size_t *n)
{
	int i, len;

	*n = 0;
	if (mq_cfg_list(r, g, name, required, false, list) != 0)
		return -1;
	if (*list == NULL)
		return 0;
	len = config_setting_length(*list);
	if (required && len == 0)
		return mq_cfg_fail(r, *list, _("%s must not be empty"), name);
	if (len > VIEW_MAX_ITEMS)
		return mq_cfg_fail(r, *list, _("%s has more than %d entries"), name,
				   VIEW_MAX_ITEMS);
	for (i = 0; i < len; i++) {
		const config_setting_t *e = config_setting_get_elem(*list, (unsigned int)i);

		if (!config_setting_is_group(e))
			return mq_cfg_fail(r, e, _("%s: each entry must be a group { ... }"), name);
		if (mq_cfg_check_names(r, e, allowed) != 0)
			return -1;
	}
	*n = (size_t)len;
	return 0;
}

static const config_setting_t *view_elem(const config_setting_t *list, size_t i)
{
	return config_setting_get_elem(list, (unsigned int)i);
}

/* One of words, as its index; absent: *out unchanged. */
static int view_enum(struct mq_cfg_reader *r, const config_setting_t *g, const char *name,
		     const char *const *words, int *out)
{
	const config_setting_t *at;
	const char *v, *guess;
	int i;

	if (mq_cfg_string(r, g, name, false, &v, &at) != 0)
		return -1;
	if (v == NULL)
		return 0;
	for (i = 0; words[i] != NULL; i++)
		if (strcmp(v, words[i]) == 0) {
			*out = i;
			return 0;
		}
	if ((guess = mq_cfg_suggest(v, words)) != NULL)
		return mq_cfg_fail(r, at, _("%s: unknown \"%s\" (did you mean \"%s\"?)"), name, v,
				   guess);
	return mq_cfg_fail(r, at, _("%s: unknown \"%s\""), name, v);
}

static const config_setting_t *view_elem(const config_setting_t *list, size_t i);

/*
 * values = ( { value = "notice"; label = { zh = "通知"; en = "Notice"; }; }, ... ); a
 * value without a label is shown as nothing (a flag's false).
 */
static int view_read_values(struct mq_cfg_reader *r, const config_setting_t *e,
			    struct mq_view_column *col)
{
	const config_setting_t *list;
	size_t i, n;

	if (view_list(r, e, "values", false, view_value_settings, &list, &n) != 0)
		return -1;
	col->values = xcalloc(n + 1, sizeof *col->values);
	col->nvalues = n;
	for (i = 0; i < n; i++)
		if (view_copy_string(r, view_elem(list, i), "value", true, &col->values[i].value) !=
			    0 ||
		    mq_cfg_text(r, view_elem(list, i), "label", false, false,
				&col->values[i].label) != 0)
			return -1;
	return 0;
}

static int view_read_columns(struct mq_cfg_reader *r, const config_setting_t *g, struct mq_view *v)
{
	static const char *const aligns[] = {"left", "centre", "right", NULL};
	const config_setting_t *list;
	size_t i, n;

	if (view_list(r, g, "columns", true, view_column_settings, &list, &n) != 0)
		return -1;
	v->columns = xcalloc(n, sizeof *v->columns);
	v->ncolumns = n;
	for (i = 0; i < n; i++) {
		const config_setting_t *e = view_elem(list, i);
		struct mq_view_column *col = &v->columns[i];
		int fmt = MQ_VIEW_TEXT, align = 0, scale = 0;

		col->line = config_setting_source_line(e);
		col->min = 4;
		if (mq_cfg_identifier(r, e, "name", true, &col->name) != 0 ||
		    mq_cfg_identifier(r, e, "en", false, &col->en) != 0 ||
		    mq_cfg_text(r, e, "label", false, false, &col->label) != 0 ||
		    mq_cfg_int(r, e, "min", 1, 200, &col->min) != 0 ||
		    mq_cfg_int(r, e, "weight", 0, 100, &col->weight) != 0 ||
		    view_enum(r, e, "align", aligns, &align) != 0 ||
		    view_enum(r, e, "format", mq_view_format_names, &fmt) != 0)
			return -1;
		col->align = align - 1;
		col->format = (enum mq_view_format)fmt;
		if (view_read_values(r, e, col) != 0 ||
		    mq_cfg_identifier(r, e, "from", col->format == MQ_VIEW_DELTA, &col->from) !=
			    0 ||
		    mq_cfg_int(r, e, "scale", 1, 1000000000, &scale) != 0)
			return -1;
		col->scale = scale;
		if (col->from != NULL && col->format != MQ_VIEW_DELTA)
			return mq_cfg_fail(r, e,
					   _("from is for a delta column (format = \"delta\")"));
		if (scale != 0 && col->format != MQ_VIEW_BAR)
			return mq_cfg_fail(r, e, _("scale is for a bar column (format = \"bar\")"));
	}
	return 0;
}

enum view_bind_kind {
	VIEW_BIND,  /* { param = "p_x"; column = "c"; } */
	VIEW_FIXED, /* { param = "p_x"; value = "v"; } */
	VIEW_FILL,  /* { field = "title"; column = "c"; } (kept as param, column) */
};

/* A list of bindings into *out. */
static int view_read_binds(struct mq_cfg_reader *r, const config_setting_t *g, const char *name,
			   enum view_bind_kind kind, struct mq_view_bind **out, size_t *nout)
{
	const char *const *settings = kind == VIEW_FIXED  ? view_fixed_settings
				      : kind == VIEW_FILL ? view_fill_settings
							  : view_bind_settings;
	const config_setting_t *list;
	size_t i, n;

	if (view_list(r, g, name, false, settings, &list, &n) != 0)
		return -1;
	*out = xcalloc(n + 1, sizeof **out);
	*nout = n;
	for (i = 0; i < n; i++) {
		const config_setting_t *e = view_elem(list, i);

		if (mq_cfg_identifier(r, e, kind == VIEW_FILL ? "field" : "param", true,
				      &(*out)[i].param) != 0)
			return -1;
		if (kind == VIEW_FIXED ? view_copy_string(r, e, "value", true, &(*out)[i].column)
				       : mq_cfg_identifier(r, e, "column", true, &(*out)[i].column))
			return -1;
		if (kind == VIEW_FILL &&
		    mq_cfg_identifier(r, e, "shown", false, &(*out)[i].shown) != 0)
			return -1;
	}
	return 0;
}

static int view_read_sorts(struct mq_cfg_reader *r, const config_setting_t *g, struct mq_view *v)
{
	const config_setting_t *list;
	size_t i, n;

	if (view_list(r, g, "sorts", true, view_sort_settings, &list, &n) != 0)
		return -1;
	v->sorts = xcalloc(n, sizeof *v->sorts);
	v->nsorts = n;
	for (i = 0; i < n; i++) {
		const config_setting_t *e = view_elem(list, i);
		struct mq_view_sort *s = &v->sorts[i];

		s->line = config_setting_source_line(e);
		if (mq_cfg_identifier(r, e, "column", true, &s->column) != 0 ||
		    mq_cfg_identifier(r, e, "param", false, &s->param) != 0 ||
		    view_copy_string(r, e, "value", s->param != NULL, &s->value) != 0 ||
		    view_read_binds(r, e, "after", VIEW_BIND, &s->after, &s->nafter) != 0)
			return -1;
		if (s->nafter == 0)
			return mq_cfg_fail(
				r, e,
				_("a sort needs its keyset: after = ( { param = \"...\"; "
				  "column = \"...\"; } );"));
		if (n > 1 && s->param == NULL)
			return mq_cfg_fail(r, e,
					   _("with more than one sort, each names its param and "
					     "value"));
	}
	return 0;
}

static int view_read_choice(struct mq_cfg_reader *r, const config_setting_t *e,
			    struct mq_view_choice *ch)
{
	return view_key(r, e, "key", false, &ch->key) != 0 ||
			       view_copy_string(r, e, "value", false, &ch->value) != 0 ||
			       mq_cfg_text(r, e, "label", true, false, &ch->label) != 0 ||
			       mq_cfg_text(r, e, "empty", false, false, &ch->empty) != 0
		       ? -1
		       : 0;
}

static int view_read_choices(struct mq_cfg_reader *r, const config_setting_t *g, struct mq_view *v)
{
	const config_setting_t *list, *values;
	size_t i, j, n, nv;

	if (view_list(r, g, "choices", false, view_choices_settings, &list, &n) != 0)
		return -1;
	v->choices = xcalloc(n + 1, sizeof *v->choices);
	v->nchoices = n;
	for (i = 0; i < n; i++) {
		const config_setting_t *e = view_elem(list, i);
		struct mq_view_choices *cs = &v->choices[i];

		cs->line = config_setting_source_line(e);
		if (mq_cfg_identifier(r, e, "param", true, &cs->param) != 0 ||
		    mq_cfg_text(r, e, "label", true, false, &cs->label) != 0 ||
		    view_key(r, e, "cycle", false, &cs->cycle) != 0 ||
		    view_list(r, e, "values", true, view_choice_settings, &values, &nv) != 0)
			return -1;
		cs->values = xcalloc(nv, sizeof *cs->values);
		cs->nvalues = nv;
		for (j = 0; j < nv; j++)
			if (view_read_choice(r, view_elem(values, j), &cs->values[j]) != 0)
				return -1;
	}
	return 0;
}

static int view_read_search(struct mq_cfg_reader *r, const config_setting_t *g, struct mq_view *v)
{
	const config_setting_t *s = config_setting_get_member(g, "search"), *kinds;
	struct mq_view_search *se;
	size_t i, n;

	if (s == NULL)
		return 0;
	if (!config_setting_is_group(s))
		return mq_cfg_fail(r, s, _("%s must be a group of settings: %s = { ... };"),
				   "search", "search");
	if (mq_cfg_check_names(r, s, view_search_settings) != 0)
		return -1;
	se = v->search = xcalloc(1, sizeof *se);
	se->line = config_setting_source_line(s);
	se->max_chars = 32;
	if (mq_cfg_words(r, s, "keys", NULL, &se->keys) != 0 ||
	    mq_cfg_identifier(r, s, "param", true, &se->param) != 0 ||
	    (config_setting_get_member(s, "classify") != NULL &&
	     mq_cfg_function(r, s, "classify", &se->classify) != 0) ||
	    mq_cfg_text(r, s, "prompt", true, false, &se->prompt) != 0 ||
	    mq_cfg_text(r, s, "help", false, false, &se->help) != 0 ||
	    mq_cfg_text(r, s, "all", false, false, &se->all) != 0 ||
	    mq_cfg_text(r, s, "empty", false, false, &se->empty) != 0 ||
	    mq_cfg_int(r, s, "max_chars", 1, 200, &se->max_chars) != 0 ||
	    view_list(r, s, "kinds", false, view_kind_settings, &kinds, &n) != 0)
		return -1;
	if (se->keys == NULL)
		return mq_cfg_fail(r, s, _("%s is missing"), "keys");
	se->kinds = xcalloc(n + 1, sizeof *se->kinds);
	se->nkinds = n;
	for (i = 0; i < n; i++) {
		const config_setting_t *e = view_elem(kinds, i);

		if (mq_cfg_identifier(r, e, "kind", true, &se->kinds[i].kind) != 0 ||
		    mq_cfg_text(r, e, "label", false, false, &se->kinds[i].label) != 0 ||
		    mq_cfg_text(r, e, "refuse", false, false, &se->kinds[i].refuse) != 0)
			return -1;
	}
	if (n > 0 && se->classify == NULL)
		return mq_cfg_fail(r, s, _("kinds need a classify function"));
	return 0;
}

/* rows = "marked": the marked rows' ids go to the form (a view with mark = true). */
static int view_read_rows(struct mq_cfg_reader *r, const config_setting_t *e,
			  const struct mq_view *v, struct mq_view_action *a)
{
	static const char *const rows[] = {"selected", "marked", NULL};
	int k = 0;

	if (config_setting_get_member(e, "rows") == NULL)
		return 0;
	if (view_enum(r, e, "rows", rows, &k) != 0)
		return -1;
	a->marked = k == 1;
	if (a->marked && (a->form == NULL || a->no_row || a->nfill > 0))
		return mq_cfg_fail(
			r, config_setting_get_member(e, "rows"),
			_("rows = \"marked\" is for an action that opens a form on rows, "
			  "without fill"));
	if (a->marked && !v->mark)
		return mq_cfg_fail(r, config_setting_get_member(e, "rows"),
				   _("rows = \"marked\" needs mark = true in the view"));
	return 0;
}

static int view_read_actions(struct mq_cfg_reader *r, const config_setting_t *g, struct mq_view *v)
{
	const config_setting_t *list;
	size_t i, n;

	if (view_list(r, g, "actions", false, view_action_settings, &list, &n) != 0)
		return -1;
	v->actions = xcalloc(n + 1, sizeof *v->actions);
	v->nactions = n;
	for (i = 0; i < n; i++) {
		const config_setting_t *e = view_elem(list, i);
		struct mq_view_action *a = &v->actions[i];

		a->line = config_setting_source_line(e);
		/* status: the values of the view's status column (any identifier). */
		if (view_key(r, e, "key", true, &a->key) != 0 ||
		    mq_cfg_identifier(r, e, "form", false, &a->form) != 0 ||
		    mq_cfg_identifier(r, e, "view", false, &a->view) != 0 ||
		    view_read_binds(r, e, "bind", VIEW_BIND, &a->bind, &a->nbind) != 0 ||
		    view_read_binds(r, e, "fill", VIEW_FILL, &a->fill, &a->nfill) != 0 ||
		    mq_cfg_identifier(r, e, "title", false, &a->title) != 0 ||
		    mq_cfg_text(r, e, "label", true, false, &a->label) != 0 ||
		    mq_cfg_words(r, e, "status", NULL, &a->status) != 0 ||
		    mq_cfg_words(r, e, "duty", mq_view_duties, &a->duty) != 0)
			return -1;
		if ((a->form == NULL) == (a->view == NULL))
			return mq_cfg_fail(r, e, _("an action opens either a form or a view"));
		if (a->form != NULL && a->nbind > 0)
			return mq_cfg_fail(r, e, _("bind is for an action that opens a view"));
		if (a->view != NULL && a->nfill > 0)
			return mq_cfg_fail(r, e, _("fill is for an action that opens a form"));
		if (a->form != NULL && a->title != NULL)
			return mq_cfg_fail(r, e, _("title is for an action that opens a view"));
		a->no_row = false;
		if (config_setting_get_member(e, "row") != NULL) {
			bool row = true;

			if (mq_cfg_bool(r, e, "row", &row) != 0)
				return -1;
			a->no_row = !row;
		}
		if (a->no_row && (a->view != NULL || a->nfill > 0 || a->status != NULL))
			return mq_cfg_fail(r, e,
					   _("an action without a row (row = false) opens a form, "
					     "and neither fills it nor tests a status"));
		if (view_read_rows(r, e, v, a) != 0)
			return -1;
	}
	if (n > 0 && v->id == NULL)
		return mq_cfg_fail(r, list, _("actions need the view's id column"));
	return 0;
}

/*
 * The top-level settings, each from the file or its base (view_src). One
 * statement a setting: the reader r must be chosen before it is passed.
 */
/*
 * A target of Enter into *view, *bind, *title: "case", or { view = "news_item";
 * bind = ( ... ); title = "..."; } (extra: the settings the group may have).
 */
static int view_read_target(struct mq_cfg_reader *r, const config_setting_t *o,
			    const char *const *settings, char **view, struct mq_view_bind **bind,
			    size_t *nbind, char **title)
{
	if (!config_setting_is_group(o)) {
		const char *word = config_setting_get_string(o);

		if (word == NULL || strcmp(word, "case") != 0)
			return mq_cfg_fail(
				r, o,
				_("open is \"case\" or a group: open = { view = \"...\"; "
				  "bind = ( ... ); };"));
		*view = xstrdup(word);
		return 0;
	}
	if (mq_cfg_check_names(r, o, settings) != 0 ||
	    mq_cfg_identifier(r, o, "view", true, view) != 0 ||
	    view_read_binds(r, o, "bind", VIEW_BIND, bind, nbind) != 0 ||
	    mq_cfg_identifier(r, o, "title", false, title) != 0)
		return -1;
	if (strcmp(*view, "case") == 0)
		return mq_cfg_fail(r, o, _("the case screen is opened with open = \"case\";"));
	return 0;
}

/* open = "case"; or open = { view = "news_item"; bind = ( ... ); [when; else] }; */
static int view_read_open(struct mq_cfg_reader *r, const config_setting_t *g, struct mq_view *v)
{
	const config_setting_t *o = config_setting_get_member(g, "open"), *e;

	if (o == NULL)
		return 0;
	v->open_line = config_setting_source_line(o);
	if (view_read_target(r, o, view_open_settings, &v->open, &v->open_bind, &v->nopen_bind,
			     &v->open_title) != 0)
		return -1;
	if (!config_setting_is_group(o))
		return 0;
	if (mq_cfg_identifier(r, o, "when", false, &v->open_when) != 0)
		return -1;
	e = config_setting_get_member(o, "else");
	if ((v->open_when == NULL) != (e == NULL))
		return mq_cfg_fail(r, o,
				   _("when and else go together: when = \"column\"; else = "
				     "\"case\"; (or else = { view = ...; })"));
	if (e != NULL && view_read_target(r, e, view_else_settings, &v->else_open, &v->else_bind,
					  &v->nelse_bind, &v->else_title) != 0)
		return -1;
	return 0;
}

static int view_read_scalars(struct view_reader *vr, struct mq_view *v)
{
	struct mq_cfg_reader *r;
	const config_setting_t *g;
	int menu = -1, layout = MQ_VIEW_LIST, source = 0;

#define VIEW_READ(name, call)                                                                      \
	do {                                                                                       \
		g = view_src(vr, name, &r);                                                        \
		if ((call) != 0)                                                                   \
			return -1;                                                                 \
	} while (0)
	VIEW_READ("title", mq_cfg_text(r, g, "title", true, false, &v->title));
	VIEW_READ("empty", mq_cfg_text(r, g, "empty", true, false, &v->empty));
	VIEW_READ("count", mq_cfg_text(r, g, "count", false, false, &v->count));
	VIEW_READ("layout", view_enum(r, g, "layout", view_layouts, &layout));
	v->layout = (enum mq_view_layout)layout;
	VIEW_READ("source", view_enum(r, g, "source", view_sources, &source));
	v->source_report = source == 1;
	VIEW_READ("function", mq_cfg_function(r, g, "function", &v->function));
	VIEW_READ("id", mq_cfg_identifier(r, g, "id", false, &v->id));
	VIEW_READ("limit", mq_cfg_identifier(r, g, "limit", false, &v->limit));
	VIEW_READ("given", mq_cfg_words(r, g, "given", NULL, &v->given));
	VIEW_READ("optional", mq_cfg_words(r, g, "optional", NULL, &v->optional));
	VIEW_READ("lines", config_setting_get_member(g, "lines") != NULL
				   ? mq_cfg_function(r, g, "lines", &v->lines)
				   : 0);
	VIEW_READ("on_open", config_setting_get_member(g, "on_open") != NULL
				     ? mq_cfg_function(r, g, "on_open", &v->on_open)
				     : 0);
	VIEW_READ("warning", mq_cfg_identifier(r, g, "warning", false, &v->warning));
	VIEW_READ("status", mq_cfg_identifier(r, g, "status", false, &v->status));
	VIEW_READ("notify", mq_cfg_identifier(r, g, "notify", false, &v->notify));
	VIEW_READ("jurisdiction", mq_cfg_bool(r, g, "jurisdiction", &v->jurisdiction));
	VIEW_READ("mark", mq_cfg_bool(r, g, "mark", &v->mark));
	VIEW_READ("duty", mq_cfg_words(r, g, "duty", mq_view_duties, &v->duty));
	VIEW_READ("menu", view_enum(r, g, "menu", view_menus, &menu));
	v->menu_order = 50;
	VIEW_READ("menu_order", mq_cfg_int(r, g, "menu_order", 1, 99, &v->menu_order));
	if (menu < 0 && config_setting_get_member(g, "menu_order") != NULL)
		return mq_cfg_fail(r, config_setting_get_member(g, "menu_order"),
				   _("menu_order is for a view with a menu"));
	VIEW_READ("open", view_read_open(r, g, v));
#undef VIEW_READ
	/* Its own: a view made from a report is not the same report. */
	if (mq_cfg_identifier(&vr->r, vr->own, "report", false, &v->report) != 0)
		return -1;
	v->menu = menu >= 0 ? xstrdup(view_menus[menu]) : NULL;
	if (v->open != NULL && v->id == NULL)
		return mq_cfg_fail(r, g, _("open needs the view's id column"));
	if (v->mark && (v->layout != MQ_VIEW_LIST || v->id == NULL))
		return mq_cfg_fail(r, g, _("mark is for a list with an id column"));
	if (v->layout == MQ_VIEW_LIST && (v->lines != NULL || v->on_open != NULL))
		return mq_cfg_fail(r, g,
				   _("lines and on_open are for a record (layout = \"record\")"));
	for (size_t i = 0; v->optional != NULL && v->optional[i] != NULL; i++)
		for (size_t j = 0; v->given != NULL && v->given[j] != NULL; j++)
			if (strcmp(v->optional[i], v->given[j]) == 0)
				return mq_cfg_fail(r, g, _("%s is both given and optional"),
						   v->given[j]);
	if (v->menu != NULL && v->given != NULL)
		return mq_cfg_fail(r, g,
				   _("a view with given parameters is opened from another view, "
				     "not from a menu"));
	return 0;
}

static int view_read_lists(struct view_reader *vr, struct mq_view *v)
{
	struct mq_cfg_reader *r;
	const config_setting_t *g;

	g = view_src(vr, "columns", &r);
	if (view_read_columns(r, g, v) != 0)
		return -1;
	g = view_src(vr, "sorts", &r);
	/* Paged: by a keyset; one call for all (no limit), or a record: no sorts. */
	if (v->limit != NULL && view_read_sorts(r, g, v) != 0)
		return -1;
	if (v->limit == NULL && config_setting_get_member(g, "sorts") != NULL)
		return mq_cfg_fail(r, config_setting_get_member(g, "sorts"),
				   _("sorts page the rows: they need the limit parameter"));
	if (v->layout == MQ_VIEW_RECORD && v->limit != NULL)
		return mq_cfg_fail(r, g, _("a record is one row: it has no limit"));
	g = view_src(vr, "fixed", &r);
	if (view_read_binds(r, g, "fixed", VIEW_FIXED, &v->fixed, &v->nfixed) != 0)
		return -1;
	g = view_src(vr, "start", &r);
	if (view_read_binds(r, g, "start", VIEW_FIXED, &v->start, &v->nstart) != 0)
		return -1;
	g = view_src(vr, "choices", &r);
	if (view_read_choices(r, g, v) != 0)
		return -1;
	g = view_src(vr, "search", &r);
	if (view_read_search(r, g, v) != 0)
		return -1;
	g = view_src(vr, "actions", &r);
	return view_read_actions(r, g, v);
}

/* The group view = { ... } of a file read into c. */
static const config_setting_t *view_group(struct mq_cfg_reader *r, config_t *c, const char *path)
{
	const config_setting_t *root = config_root_setting(c), *g;

	if (mq_cfg_check_names(r, root, view_root_settings) != 0)
		return NULL;
	if ((g = config_setting_get_member(root, "view")) == NULL) {
		mq_fail(r->cause, _("%s:1: the file must define view = { ... };"), path);
		return NULL;
	}
	if (!config_setting_is_group(g)) {
		mq_cfg_fail(r, g, _("%s must be a group of settings: %s = { ... };"), "view",
			    "view");
		return NULL;
	}
	if (mq_cfg_check_names(r, g, view_settings) != 0)
		return NULL;
	return g;
}

/* Read the base view's file beside path into c: its group, or NULL with *cause. */
static const config_setting_t *view_read_base(struct view_reader *vr, config_t *c, const char *path,
					      const char *base, char **bpath)
{
	const char *slash = strrchr(path, '/');
	const config_setting_t *g;

	if (!mq_cfg_is_identifier(base)) {
		mq_cfg_fail(&vr->r, config_setting_get_member(vr->own, "base"),
			    _("base \"%s\" is not a view name"), base);
		return NULL;
	}
	*bpath = slash != NULL
			 ? xasprintf("%.*s/%s%s", (int)(slash - path), path, base, MQ_VIEW_SUFFIX)
			 : xasprintf("%s%s", base, MQ_VIEW_SUFFIX);
	vr->base_r.path = *bpath;
	vr->base_r.cause = vr->r.cause;
	if (mq_libconfig_read(c, *bpath, true, vr->r.cause) != 1)
		return NULL;
	if ((g = view_group(&vr->base_r, c, *bpath)) == NULL)
		return NULL;
	if (config_setting_get_member(g, "base") != NULL) {
		mq_cfg_fail(&vr->base_r, config_setting_get_member(g, "base"),
			    _("a base view cannot have a base itself"));
		return NULL;
	}
	return g;
}

struct mq_view *mq_view_load(const char *path, char **cause)
{
	struct view_reader vr = {.r = {.path = path, .cause = cause}};
	struct mq_view *v;
	config_t c, bc;
	char *bpath = NULL;
	const char *base = NULL;
	int rc = -1;

	config_init(&c);
	config_init(&bc);
	v = xcalloc(1, sizeof *v);
	v->name = mq_cfg_name_of(path, MQ_VIEW_SUFFIX);
	v->path = xstrdup(path);
	if (mq_libconfig_read(&c, path, true, cause) == 1 &&
	    (vr.own = view_group(&vr.r, &c, path)) != NULL &&
	    mq_cfg_string(&vr.r, vr.own, "base", false, &base, NULL) == 0 &&
	    (base == NULL || (vr.base = view_read_base(&vr, &bc, path, base, &bpath)) != NULL)) {
		v->base = base != NULL ? xstrdup(base) : NULL;
		rc = view_read_scalars(&vr, v) != 0 || view_read_lists(&vr, v) != 0 ? -1 : 0;
	}
	config_destroy(&c);
	config_destroy(&bc);
	free(bpath);
	if (rc != 0) {
		mq_view_free(v);
		return NULL;
	}
	return v;
}

static void view_binds_free(struct mq_view_bind *b, size_t n)
{
	size_t i;

	for (i = 0; b != NULL && i < n; i++) {
		free(b[i].param);
		free(b[i].column);
		free(b[i].shown);
	}
	free(b);
}

static void view_search_free(struct mq_view_search *se)
{
	size_t i;

	if (se == NULL)
		return;
	mq_cfg_words_free(se->keys);
	free(se->param);
	free(se->classify);
	mq_text_free(&se->prompt);
	mq_text_free(&se->help);
	mq_text_free(&se->all);
	mq_text_free(&se->empty);
	for (i = 0; se->kinds != NULL && i < se->nkinds; i++) {
		free(se->kinds[i].kind);
		mq_text_free(&se->kinds[i].label);
		mq_text_free(&se->kinds[i].refuse);
	}
	free(se->kinds);
	free(se);
}

static void view_lists_free(struct mq_view *v)
{
	size_t i, j;

	for (i = 0; v->columns != NULL && i < v->ncolumns; i++) {
		free(v->columns[i].name);
		free(v->columns[i].en);
		free(v->columns[i].from);
		mq_text_free(&v->columns[i].label);
		for (j = 0; v->columns[i].values != NULL && j < v->columns[i].nvalues; j++) {
			free(v->columns[i].values[j].value);
			mq_text_free(&v->columns[i].values[j].label);
		}
		free(v->columns[i].values);
	}
	free(v->columns);
	for (i = 0; v->sorts != NULL && i < v->nsorts; i++) {
		free(v->sorts[i].column);
		free(v->sorts[i].param);
		free(v->sorts[i].value);
		view_binds_free(v->sorts[i].after, v->sorts[i].nafter);
	}
	free(v->sorts);
	for (i = 0; v->choices != NULL && i < v->nchoices; i++) {
		struct mq_view_choices *cs = &v->choices[i];

		free(cs->param);
		mq_text_free(&cs->label);
		free(cs->cycle);
		for (j = 0; cs->values != NULL && j < cs->nvalues; j++) {
			free(cs->values[j].key);
			free(cs->values[j].value);
			mq_text_free(&cs->values[j].label);
			mq_text_free(&cs->values[j].empty);
		}
		free(cs->values);
	}
	free(v->choices);
	for (i = 0; v->actions != NULL && i < v->nactions; i++) {
		free(v->actions[i].key);
		free(v->actions[i].form);
		free(v->actions[i].view);
		free(v->actions[i].title);
		view_binds_free(v->actions[i].bind, v->actions[i].nbind);
		view_binds_free(v->actions[i].fill, v->actions[i].nfill);
		mq_text_free(&v->actions[i].label);
		mq_cfg_words_free(v->actions[i].status);
		mq_cfg_words_free(v->actions[i].duty);
	}
	free(v->actions);
}

void mq_view_free(struct mq_view *v)
{
	if (v == NULL)
		return;
	view_lists_free(v);
	view_binds_free(v->fixed, v->nfixed);
	view_binds_free(v->start, v->nstart);
	view_search_free(v->search);
	free(v->name);
	free(v->path);
	free(v->base);
	mq_text_free(&v->title);
	mq_text_free(&v->empty);
	mq_text_free(&v->count);
	free(v->function);
	free(v->id);
	free(v->limit);
	free(v->warning);
	free(v->status);
	free(v->open);
	view_binds_free(v->open_bind, v->nopen_bind);
	free(v->open_title);
	free(v->open_when);
	free(v->report);
	free(v->else_open);
	view_binds_free(v->else_bind, v->nelse_bind);
	free(v->else_title);
	mq_cfg_words_free(v->given);
	mq_cfg_words_free(v->optional);
	free(v->lines);
	free(v->on_open);
	free(v->notify);
	mq_cfg_words_free(v->duty);
	free(v->menu);
	free(v);
}

void mq_views_free(struct mq_view **views, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		mq_view_free(views[i]);
	free(views);
}

/*
 * A view opened from another (open, an action) must be there, and every
 * parameter it is given must be bound, and nothing else: "file:line:
 * message" of the opener, -1.
 */
static int view_check_target(struct mq_view *const *views, size_t n, const struct mq_view *from,
			     int line, const char *name, const struct mq_view_bind *bind,
			     size_t nbind, char **cause)
{
	const struct mq_view *to = mq_view_find(views, n, name);
	size_t i, j, ngiven = 0;

	if (to == NULL) {
		mq_fail(cause, _("%s:%d: there is no view %s (forms/%s.view)"), from->path, line,
			name, name);
		return -1;
	}
	for (i = 0; to->given != NULL && to->given[i] != NULL; i++, ngiven++) {
		for (j = 0; j < nbind && strcmp(bind[j].param, to->given[i]) != 0; j++)
			;
		if (j == nbind) {
			mq_fail(cause,
				_("%s:%d: %s needs %s bound (bind = ( { param = \"%s\"; "
				  "column = \"...\"; } );)"),
				from->path, line, name, to->given[i], to->given[i]);
			return -1;
		}
	}
	for (j = 0; j < nbind; j++) {
		for (i = 0; i < ngiven && strcmp(bind[j].param, to->given[i]) != 0; i++)
			;
		if (i == ngiven && mq_view_optional(to, bind[j].param))
			continue;
		if (i == ngiven) {
			mq_fail(cause,
				_("%s:%d: %s does not take %s (its given = [...] names what it "
				  "takes)"),
				from->path, line, name, bind[j].param);
			return -1;
		}
	}
	return 0;
}

static int view_check_links(struct mq_view *const *views, size_t n, char **cause)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct mq_view *v = views[i];

		if (v->open != NULL && strcmp(v->open, "case") != 0 &&
		    view_check_target(views, n, v, v->open_line, v->open, v->open_bind,
				      v->nopen_bind, cause) != 0)
			return -1;
		if (v->else_open != NULL && strcmp(v->else_open, "case") != 0 &&
		    view_check_target(views, n, v, v->open_line, v->else_open, v->else_bind,
				      v->nelse_bind, cause) != 0)
			return -1;
		for (k = 0; k < i && v->report != NULL; k++)
			if (views[k]->report != NULL && strcmp(views[k]->report, v->report) == 0) {
				mq_fail(cause, _("%s: report \"%s\" is %s's name already"), v->path,
					v->report, views[k]->path);
				return -1;
			}
		for (k = 0; k < v->nactions; k++)
			if (v->actions[k].view != NULL &&
			    view_check_target(views, n, v, v->actions[k].line, v->actions[k].view,
					      v->actions[k].bind, v->actions[k].nbind, cause) != 0)
				return -1;
	}
	return 0;
}

int mq_views_load_dir(const char *dir, struct mq_view ***views, size_t *n, char **cause)
{
	struct mq_view **out;
	char **paths;
	size_t count, i;

	*views = NULL;
	*n = 0;
	if (mq_cfg_scan_dir(dir, MQ_VIEW_SUFFIX, &paths, &count, cause) != 0)
		return -1;
	out = xcalloc(count + 1, sizeof *out);
	for (i = 0; i < count; i++) {
		if ((out[i] = mq_view_load(paths[i], cause)) == NULL) {
			mq_views_free(out, i);
			mq_cfg_free_paths(paths, count);
			return -1;
		}
	}
	mq_cfg_free_paths(paths, count);
	if (view_check_links(out, count, cause) != 0) {
		mq_views_free(out, count);
		return -1;
	}
	*views = out;
	*n = count;
	return 0;
}

const struct mq_view *mq_view_find(struct mq_view *const *views, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(views[i]->name, name) == 0)
			return views[i];
	return NULL;
}

char *mq_view_chart(const struct mq_view_column *col, const char *raw, const char *from, double max,
		    bool ascii)
{
	switch (col->format) {
	case MQ_VIEW_SPARK:
		return mq_chart_spark(raw, ascii);
	case MQ_VIEW_BAR:
		/* a bar is as wide as the column's minimum: the spare goes to others */
		return mq_chart_bar(raw, col->scale > 0 ? col->scale : max, col->min, ascii);
	case MQ_VIEW_DELTA:
		return mq_chart_delta(raw, from, ascii);
	default:
		return NULL;
	}
}

bool mq_view_optional(const struct mq_view *v, const char *param)
{
	size_t i;

	for (i = 0; v->optional != NULL && v->optional[i] != NULL; i++)
		if (strcmp(v->optional[i], param) == 0)
			return true;
	return false;
}
