/*
 * Case detail (案件详情): every field of one case, the household's linked
 * party member or villager representative (the proxy, 全程代理), and the
 * whole timeline: each event of the case and each message sent because of
 * it, in order. From here the person acts on the case: each action is a
 * form of forms/ submitted to the workflow function, after the check that
 * the case is still the version shown (so nobody's change is overwritten
 * silently). The action bar lists only the actions the case's state and
 * the person's duty allow; the database decides in the end.
 *
 * The screen keeps the lines it shows (broken by mq_linebreak() for the
 * width of the terminal when they were built: a case number or a word is
 * never split, no line starts with a comma) and rebuilds them after a
 * resize, an action, a reload, or a notification about this case; scrolling
 * only moves over them. The labels take a column as wide as the longest of
 * the person's language; the actions take as many rows at the bottom as
 * they need, each whole. Any one text is laid out up to MQ_TEXT_MAX characters
 * and the cut marked with "…" (the queries read no more than one character
 * past that), so a note of megabytes opens as fast as a short one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "console.h"
#include "form-screen.h"
#include "hints.h"
#include "list.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"
#include "textlines.h"
#include "vocab.h"

/* Bits of case_status, for the actions (bit i: vocab_status_index() i). */
enum {
	ST_RECEIVED = 1 << 0,
	ST_ACCEPTED = 1 << 1,
	ST_DISPATCHED = 1 << 2,
	ST_IN_PROGRESS = 1 << 3,
	ST_WAITING = 1 << 4,
	ST_RESOLVED = 1 << 5,
	ST_REPORTED = 1 << 6,
	ST_CLOSED = 1 << 7,
	ST_WITHDRAWN = 1 << 8,
};

#define ST_OPEN (ST_ACCEPTED | ST_DISPATCHED | ST_IN_PROGRESS | ST_WAITING)

/*
 * The actions: the forms whose file offers them on this screen (offer = {
 * screen = "case"; ... } in forms/NAME.form), in their order; read at start by
 * case_actions_load(), with the key table made from them. The id of an
 * action in the table is its index here.
 */
struct case_action {
	const struct mq_form *form; /* owned by main() (the console's forms) */
	unsigned status;            /* ST_* bits it applies to */
	unsigned duties;            /* DUTY_* bits */
	bool extension;             /* needs a pending extension */
};
static struct case_action *case_actions;
static size_t case_nactions;
static struct keytab *case_tab;

/* The screen's own actions, after those of case_actions. */
enum {
	CASE_DOWN = 1000,
	CASE_UP,
	CASE_PAGE_DOWN,
	CASE_PAGE_UP,
	CASE_TOP,
	CASE_BOTTOM,
	CASE_RELOAD,
};

static const struct {
	int id;
	const char *name, *keys, *hint, *help;
} case_fixed[] = {
	{CASE_DOWN, NULL, "Down j", NULL, N_("scroll")},
	{CASE_UP, NULL, "Up", NULL, N_("scroll")},
	{CASE_PAGE_DOWN, NULL, "PgDn Space", NULL, N_("scroll")},
	{CASE_PAGE_UP, NULL, "PgUp", NULL, N_("scroll")},
	{CASE_TOP, NULL, "Home g", NULL, N_("to the top / the end")},
	{CASE_BOTTOM, NULL, "End G", NULL, N_("to the top / the end")},
	{CASE_RELOAD, "reload", "r F5", N_("reload"), N_("reload")},
};

static int case_action_cmp(const void *a, const void *b)
{
	const struct case_action *x = a, *y = b;

	return (x->form->offer->order > y->form->offer->order) -
	       (x->form->offer->order < y->form->offer->order);
}

/* An offer's words as bits. */
static unsigned case_offer_bits(char *const *words, bool duties)
{
	unsigned bits = 0;
	size_t i;
	int k;

	if (words == NULL)
		return duties ? DUTY_STAFF : 0;
	for (i = 0; words[i] != NULL; i++)
		if (duties)
			bits |= console_duty_bit(words[i]);
		else if ((k = vocab_status_index(words[i])) >= 0)
			bits |= 1u << k;
	return bits;
}

#define CASE_HELP_GROUP 4 /* actions a line of the help names (consecutive ones share it) */

/*
 * "受理、当场办结、调整类别、分流交办": the help line of action i's group, each
 * label's own spaces no-break spaces ("ask for more time" is never broken
 * over two rows of the help). Caller frees.
 */
static char *case_help_group(size_t i, const char *lang)
{
	size_t first = i - i % CASE_HELP_GROUP, k;
	char *out = xstrdup(""), *next, *label, *p;

	for (k = first; k < first + CASE_HELP_GROUP && k < case_nactions; k++) {
		label = xstrdup(mq_text_get(&case_actions[k].form->offer->label, lang));
		for (p = strchr(label, ' '); p != NULL; p = strchr(label, ' ')) {
			next = xasprintf("%.*s\xc2\xa0%s", (int)(p - label), label, p + 1);
			free(label);
			label = next;
		}
		next = xasprintf("%s%s%s", out, out[0] != '\0' ? _(", ") : "", label);
		free(label);
		free(out);
		out = next;
	}
	return out;
}

/* The key table: the fixed keys, then each action's, labelled in lang. */
static int case_table_build(const char *lang, char **cause)
{
	size_t i;

	case_tab = keytab_new("case", _("Case detail"), KEYTAB_LITERAL, "back help quit");
	for (i = 0; i < MQ_NITEMS(case_fixed); i++)
		if (keytab_add(case_tab, case_fixed[i].id, case_fixed[i].name, case_fixed[i].keys,
			       NULL, case_fixed[i].hint != NULL ? _(case_fixed[i].hint) : NULL,
			       _(case_fixed[i].help), cause) != 0)
			return -1;
	for (i = 0; i < case_nactions; i++) {
		const struct mq_form *f = case_actions[i].form;
		char *help = case_help_group(i, lang);
		int rc = keytab_add(case_tab, (int)i, f->offer->name, f->offer->key, NULL, NULL,
				    help, cause);

		free(help);
		if (rc != 0)
			return -1;
	}
	return 0;
}

const struct keytab *case_actions_load(struct mq_form *const *forms, size_t n, const char *lang,
				       char **cause)
{
	size_t i;
	char *why = NULL;

	case_actions_free();
	case_actions = xcalloc(n + 1, sizeof *case_actions);
	for (i = 0; i < n; i++) {
		const struct mq_form_offer *o = forms[i]->offer;

		if (o == NULL || strcmp(o->screen, "case") != 0)
			continue;
		case_actions[case_nactions].form = forms[i];
		case_actions[case_nactions].status = case_offer_bits(o->status, false);
		case_actions[case_nactions].duties = case_offer_bits(o->duty, true);
		case_actions[case_nactions].extension = o->extension;
		case_nactions++;
	}
	qsort(case_actions, case_nactions, sizeof *case_actions, case_action_cmp);
	if (case_table_build(lang, &why) != 0) {
		mq_fail(cause, _("the actions of the case screen: %s"), why);
		free(why);
		case_actions_free();
		return NULL;
	}
	return case_tab;
}

void case_actions_free(void)
{
	if (case_tab != NULL)
		keytab_free(case_tab);
	case_tab = NULL;
	free(case_actions);
	case_actions = NULL;
	case_nactions = 0;
}

/* The entry of the table for case_actions[k]. */
static const struct keytab_entry *case_action_entry(size_t k)
{
	size_t i;

	for (i = 0; i < case_tab->n; i++)
		if (case_tab->entries[i].id == (int)k)
			return &case_tab->entries[i];
	fatal("case: action %zu has no key", k);
}

/* The word of an action in the person's language. */
static const char *case_action_label(const struct console *c, const struct case_action *a)
{
	const char *s = mq_text_get(&a->form->offer->label, c->lang);

	return s != NULL ? s : a->form->name;
}

/*
 * The reads of this screen are named functions (schema/functions/56_reads.sql),
 * read by column name: the same rows a person gets in psql.
 */
static const char case_sql[] = "SELECT * FROM minqing.case_detail($1, $2::boolean, $3::integer)";
/* The household's contacts: the linked party member and representatives. */
static const char case_links_sql[] = "SELECT * FROM minqing.case_contacts($1)";
/* The timeline: events and messages, in time order. */
static const char case_timeline_sql[] = "SELECT * FROM minqing.case_timeline($1, $2::integer)";

struct case_state {
	long long case_id;
	bool loaded;
	/* the fields of case_sql, by column */
	PGresult *row;
	unsigned status_bit;
	int row_version;
	long long extension_id;
	PGresult *links, *timeline;
	struct text_lines tl; /* the case laid out (tl.labelw: its label column) */
	int built_cols;
	int scroll;
	const struct case_action *pending; /* the action whose form is open */
	bool stale;          /* a notification may concern it: read again at the next tick */
	long long loaded_ms; /* when it was last read (monotonic) */
};

static long long case_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The status's ST_ bit: the bits are in the order of vocab_status_index(). */
static unsigned case_status_bit(const char *status)
{
	int i = vocab_status_index(status);

	return i >= 0 ? 1u << i : 0;
}

/* A column of the case, by name ("" for NULL, and for a name the function lacks). */
static const char *case_field(const struct case_state *st, const char *name)
{
	const char *v = mq_db_field(st->row, 0, name);

	return v != NULL ? v : "";
}

/*
 * The labels of the fields, for the width of their column: the longest in
 * the person's language decides it.
 */
static const char *const case_labels[] = {
	N_("Category"),        N_("Channel"),        N_("Urgency"),   N_("Received at"),
	N_("Assigned to"),     N_("Handler"),        N_("Proxy"),     N_("Commitment"),
	N_("Deadline"),        N_("Paused because"), N_("Recorded"),  N_("Entered by"),
	N_("Submitter"),       N_("Phone"),          N_("Household"), N_("Linked contact"),
	N_("Extension asked"), N_("Satisfaction"),
};

/* The label column (the longest label and 2), or 0 when it would leave the values too little. */
static int case_label_cols(int cols)
{
	int w = 0, lw;
	size_t i;

	for (i = 0; i < MQ_NITEMS(case_labels); i++)
		if ((lw = mq_strwidth(_(case_labels[i]))) > w)
			w = lw;
	w += 2;
	return w <= cols / 3 ? w : 0;
}

/*
 * How the deadline stands, after it: "剩余 2天19小时" or "已超期 3天" while the
 * clock runs; the time it had left when paused while the case waits (the
 * pause is added to the deadline at the resume); "按时办结" or "超期 3天2小时
 * 办结" once resolved (also reported and closed), measured at the
 * resolution; nothing once withdrawn. case_detail gives the seconds left at
 * the moment the clock stopped. NULL for nothing; caller frees.
 */
static char *case_term_state(const struct case_state *st)
{
	bool overdue = strcmp(case_field(st, "overdue"), "t") == 0;
	char *d, *out;

	if (case_field(st, "seconds_left")[0] == '\0' || (st->status_bit & ST_WITHDRAWN) != 0)
		return NULL;
	/* the time in seconds, worded as in the lists: 2天3小时, never the server's "2d 3h" */
	d = listfmt_duration(strtoll(case_field(st, "seconds_left"), NULL, 10));
	if ((st->status_bit & (ST_RESOLVED | ST_REPORTED | ST_CLOSED)) != 0)
		out = overdue ? xasprintf(_("resolved %s late"), d)
			      : xstrdup(_("resolved in time"));
	else if ((st->status_bit & ST_WAITING) != 0)
		out = xasprintf(overdue ? _("clock paused, %s overdue when paused")
					: _("clock paused, %s left when paused"),
				d);
	else
		out = xasprintf("%s %s", overdue ? _("overdue") : _("left"), d);
	free(d);
	return out;
}

/* The time promise: the commitment and the deadline with how it stands. */
static void case_build_terms(struct case_state *st, int cols)
{
	char *line, *state;

	if (case_field(st, "commitment")[0] != '\0') {
		char kind[16] = "";
		int amount = 0;

		if (sscanf(case_field(st, "commitment"), "%15s %d", kind, &amount) == 2) {
			line = strcmp(kind, "immediate") == 0
				       ? xstrdup(vocab_enum_label(kind))
				       : xasprintf("%d %s", amount, vocab_enum_label(kind));
			textlines_add_field(&st->tl, _("Commitment"), line, cols);
			free(line);
		}
	}
	if (case_field(st, "due_at")[0] != '\0') {
		state = case_term_state(st);
		line = state != NULL ? xasprintf("%s (%s)", case_field(st, "due_at"), state)
				     : xstrdup(case_field(st, "due_at"));
		textlines_add_field(&st->tl, _("Deadline"), line, cols);
		free(state);
		free(line);
	}
}

/* The timeline: each event and message of the case, oldest first. */
static void case_build_timeline(struct case_state *st, int cols)
{
	char *line;
	int i;

	textlines_add(&st->tl, TTY_NORMAL, "");
	textlines_add(&st->tl, TTY_HEADING, _("Timeline"));
	for (i = 0; st->timeline != NULL && i < PQntuples(st->timeline); i++) {
		const char *kind = mq_db_field(st->timeline, i, "kind");
		const char *from = mq_db_field(st->timeline, i, "from_status");
		const char *to = mq_db_field(st->timeline, i, "to_status");
		const char *step = mq_db_field(st->timeline, i, "step");
		char *text = mq_text_clip(mq_db_field(st->timeline, i, "note"), MQ_TEXT_MAX);
		char *what;

		if (strcmp(kind, "sms") == 0)
			what = xasprintf("[%s] %s", vocab_sms_status_label(step), text);
		else if (strcmp(kind, "warning") == 0 || strcmp(kind, "reminder") == 0)
			what = xstrdup(strcmp(kind, "warning") == 0 ? vocab_warning_label(step)
								    : "");
		else if (from[0] != '\0' && to[0] != '\0' && strcmp(from, to) != 0)
			what = xasprintf("%s→%s %s", vocab_status_label(from),
					 vocab_status_label(to), text);
		else
			what = xstrdup(text);
		free(text);
		line = xasprintf("%s  %s  %s", vocab_event_label(kind),
				 mq_db_field(st->timeline, i, "who"), what);
		free(what);
		/* the time in a column of its own ("12-03 10:00  "), the rest beside it */
		textlines_add_text(&st->tl,
				   strcmp(mq_db_field(st->timeline, i, "kind"), "warning") == 0
					   ? TTY_ERROR
					   : TTY_NORMAL,
				   mq_db_field(st->timeline, i, "at_text")[0] != '\0'
					   ? mq_db_field(st->timeline, i, "at_text")
					   : " ",
				   line, cols, 13);
		free(line);
	}
}

static void case_build(struct console *c MQ_UNUSED, struct case_state *st)
{
	int cols = COLS - 4, i;
	char *line;

	textlines_clear(&st->tl);
	st->built_cols = COLS;
	st->tl.labelw = case_label_cols(cols);
	if (st->row == NULL)
		return;
	line = xasprintf("%s  %s", case_field(st, "case_no"),
			 case_field(st, "title")); /* title: left() */
	textlines_add_wrapped(&st->tl, TTY_HEADING, line, cols, 2);
	free(line);
	line = xasprintf("%s · %s%s%s", vocab_status_label(case_field(st, "status")),
			 vocab_warning_label(case_field(st, "warning_level")),
			 strcmp(case_field(st, "is_key"), "t") == 0 ? " · " : "",
			 strcmp(case_field(st, "is_key"), "t") == 0 ? _("key or complex") : "");
	textlines_add(&st->tl,
		      strcmp(case_field(st, "warning_level"), "none") != 0 ? TTY_ERROR : TTY_NORMAL,
		      line);
	free(line);
	textlines_add(&st->tl, TTY_NORMAL, "");
	textlines_add_field(&st->tl, _("Category"), case_field(st, "category"), cols);
	textlines_add_field(&st->tl, _("Channel"), vocab_enum_label(case_field(st, "channel")),
			    cols);
	textlines_add_field(&st->tl, _("Urgency"), vocab_enum_label(case_field(st, "urgency")),
			    cols);
	textlines_add_field(&st->tl, _("Received at"), case_field(st, "origin_unit"), cols);
	textlines_add_field(&st->tl, _("Assigned to"), case_field(st, "assigned_unit"), cols);
	textlines_add_field(&st->tl, _("Handler"), case_field(st, "handler"), cols);
	textlines_add_field(&st->tl, _("Proxy"), case_field(st, "proxy"), cols);
	case_build_terms(st, cols);
	textlines_add_field(&st->tl, _("Paused because"), case_field(st, "pause_reason"), cols);
	textlines_add_field(&st->tl, _("Recorded"), case_field(st, "created_at"), cols);
	textlines_add_field(&st->tl, _("Entered by"), case_field(st, "entered_by"), cols);
	if (strcmp(case_field(st, "anonymous"), "t") == 0)
		textlines_add_field(&st->tl, _("Submitter"), _("anonymous"), cols);
	else {
		textlines_add_field(&st->tl, _("Submitter"), case_field(st, "submitter_name"),
				    cols);
		textlines_add_field(&st->tl, _("Phone"), case_field(st, "submitter_phone"), cols);
	}
	textlines_add_field(&st->tl, _("Household"), case_field(st, "household_address"), cols);
	for (i = 0; st->links != NULL && i < PQntuples(st->links); i++) {
		line = xasprintf(
			"%s %s (%s)", mq_db_field(st->links, i, "name"),
			mq_db_field(st->links, i, "phone"),
			strcmp(mq_db_field(st->links, i, "contact_kind"), "party_member") == 0
				? _("party member")
				: _("villager representative"));
		textlines_add_field(&st->tl, i == 0 ? _("Linked contact") : "", line, cols);
		free(line);
	}
	if (case_field(st, "extension_id")[0] != '\0')
		textlines_add_field(&st->tl, _("Extension asked"),
				    case_field(st, "extension_asked"), cols);
	textlines_add(&st->tl, TTY_NORMAL, "");
	textlines_add(&st->tl, TTY_HEADING, _("Content"));
	textlines_add_wrapped(&st->tl, TTY_NORMAL, case_field(st, "content"), cols, 0);
	if (case_field(st, "result")[0] != '\0') {
		textlines_add(&st->tl, TTY_NORMAL, "");
		textlines_add(&st->tl, TTY_HEADING, _("Result"));
		textlines_add_wrapped(&st->tl, TTY_NORMAL, case_field(st, "result"), cols, 0);
		if (case_field(st, "satisfaction")[0] != '\0')
			textlines_add_field(&st->tl, _("Satisfaction"),
					    vocab_enum_label(case_field(st, "satisfaction")), cols);
	}
	case_build_timeline(st, cols);
}

/* (Re)read the case; false when it cannot be read (gone from sight). */
static bool case_load(struct console *c, struct case_state *st)
{
	struct mq_db_error err = {0};
	char id[24], limit[24];
	const char *params[3] = {id, c->english ? "true" : "false", limit};
	const char *tparams[2] = {id, limit};
	PGresult *row;

	snprintf(id, sizeof id, "%lld", st->case_id);
	st->loaded_ms = case_now_ms();
	/* One character more than is laid out, so that the cut is seen ("…"). */
	snprintf(limit, sizeof limit, "%d", MQ_TEXT_MAX + 1);
	row = console_query(c, "case.row", &err, case_sql, 3, params);
	if (row == NULL) {
		console_db_error(c, &err);
		mq_db_error_clear(&err);
		return false;
	}
	if (PQntuples(row) == 0) {
		PQclear(row);
		console_message(c, true, "%s",
				_("This case is not (or no longer) in your jurisdiction."));
		return false;
	}
	PQclear(st->row);
	st->row = row;
	st->status_bit = case_status_bit(case_field(st, "status"));
	st->row_version = atoi(case_field(st, "row_version"));
	st->extension_id = atoll(case_field(st, "extension_id"));
	PQclear(st->links);
	st->links = console_query(c, "case.links", &err, case_links_sql, 1, params);
	if (st->links == NULL)
		mq_db_error_clear(&err);
	PQclear(st->timeline);
	st->timeline = console_query(c, "case.timeline", &err, case_timeline_sql, 2, tparams);
	if (st->timeline == NULL)
		mq_db_error_clear(&err);
	st->loaded = true;
	case_build(c, st);
	return true;
}

static void case_init(struct console *c, struct screen_inst *s)
{
	struct case_state *st = xcalloc(1, sizeof *st);

	st->case_id = *(const long long *)s->arg;
	s->data = st;
	s->keytab = case_tab;
	case_load(c, st);
}

static void case_free(struct screen_inst *s)
{
	struct case_state *st = s->data;

	if (st == NULL)
		return;
	textlines_free(&st->tl);
	PQclear(st->row);
	PQclear(st->links);
	PQclear(st->timeline);
	free(st);
}

static bool case_action_applies(const struct console *c, const struct case_state *st,
				const struct case_action *a)
{
	return (a->status & st->status_bit) != 0 && (a->duties & c->duty) != 0 &&
	       (!a->extension || st->extension_id > 0);
}

/*
 * The actions this person may take now, with their keys ("d 分流交办"), in
 * rows of cols columns: as many rows as they need, an action never cut.
 * Returns how many rows; *rows freed with mq_wrap_free().
 */
static size_t case_action_rows(struct console *c, const struct case_state *st, int cols,
			       char ***rows)
{
	char **items = xcalloc(case_nactions + 1, sizeof *items), *key;
	size_t n = 0, k, nrows;

	for (k = 0; k < case_nactions; k++) {
		if (!case_action_applies(c, st, &case_actions[k]))
			continue;
		key = keytab_entry_key(case_tab, case_action_entry(k), &c->keybinds);
		items[n++] = xasprintf("%s %s", key != NULL ? key : "",
				       case_action_label(c, &case_actions[k]));
		free(key);
	}
	if (n == 0)
		items[n++] = xstrdup(_("No action of yours applies to this case now."));
	nrows = keytab_pack(items, n, cols, rows);
	for (k = 0; k < n; k++)
		free(items[k]);
	free(items);
	return nrows;
}

static void case_draw(struct console *c, struct screen_inst *s, int top, int height)
{
	struct case_state *st = s->data;
	int rows;
	char **bar;
	size_t nbar, total, k;

	if (!st->loaded) {
		tty_put(top + 1, 2, COLS - 4, -1, TTY_HINT, _("The case could not be read."));
		return;
	}
	if (st->built_cols != COLS)
		case_build(c, st);
	/* The actions at the bottom, a blank row above them; the case above that. */
	nbar = total = case_action_rows(c, st, COLS - 4, &bar);
	if ((int)nbar > height / 2)
		nbar = (size_t)(height / 2);
	rows = height - 1 - (int)nbar;
	textlines_draw(&st->tl, &st->scroll, top, rows, 2, COLS - 4);
	for (k = 0; k < nbar; k++)
		tty_put(top + rows + 1 + (int)k, 2, COLS - 4, -1, TTY_HEADING, bar[k]);
	mq_wrap_free(bar, total);
}

/* --- actions ------------------------------------------------------------------------- */

static void case_done(struct console *c, void *arg, PGresult *res MQ_UNUSED)
{
	struct case_state *st = arg;
	const char *what = st->pending != NULL ? case_action_label(c, st->pending) : "";

	console_message(c, false, _("Done: %s."), what);
	st->pending = NULL;
	case_load(c, st);
}

static int case_reload(struct console *c, void *arg)
{
	struct case_state *st = arg;

	return case_load(c, st) ? st->row_version : -1;
}

/* Report back: show the result SMS the resident gets (or got) before confirming. */
static char *case_sms_notice(struct console *c, void *arg,
			     const struct form_values_view *fv MQ_UNUSED)
{
	struct case_state *st = arg;
	struct mq_db_error err = {0};
	char id[24], *notice = NULL;
	const char *params[1] = {id};
	PGresult *res;

	snprintf(id, sizeof id, "%lld", st->case_id);
	res = console_query(c, "case.result_sms", &err, "SELECT * FROM minqing.case_result_sms($1)",
			    1, params);
	if (res == NULL) {
		mq_db_error_clear(&err);
		return NULL;
	}
	if (PQntuples(res) == 1)
		notice = xasprintf(_("SMS to the resident (%s, %s): %s"),
				   mq_db_field(res, 0, "phone"),
				   vocab_sms_status_label(mq_db_field(res, 0, "status")),
				   mq_db_field(res, 0, "body"));
	else
		notice = xstrdup(_("No SMS goes to the resident (no phone, or anonymous)."));
	PQclear(res);
	return notice;
}

static void case_act(struct console *c, struct case_state *st, const struct case_action *a)
{
	struct form_args fa;
	char v[24];

	memset(&fa, 0, sizeof fa);
	snprintf(v, sizeof v, "%lld", st->case_id);
	mq_form_context_put(&fa.context, "case_id", v);
	snprintf(v, sizeof v, "%d", st->row_version);
	mq_form_context_put(&fa.context, "row_version", v);
	if (st->extension_id > 0) {
		snprintf(v, sizeof v, "%lld", st->extension_id);
		mq_form_context_put(&fa.context, "extension_id", v);
	}
	fa.check_version = true;
	fa.done = case_done;
	fa.reload = case_reload;
	fa.arg = st;
	if (strcmp(a->form->name, "case_report_back") == 0)
		fa.precheck = case_sms_notice;
	st->pending = a;
	form_open(c, a->form->name, &fa);
}

static enum key_result case_action(struct console *c, struct screen_inst *s, int action,
				   key_code key MQ_UNUSED)
{
	struct case_state *st = s->data;

	switch (action) {
	case CASE_DOWN:
		st->scroll++;
		return SCREEN_HANDLED;
	case CASE_UP:
		st->scroll--;
		return SCREEN_HANDLED;
	case CASE_PAGE_DOWN:
		st->scroll += LINES - 8;
		return SCREEN_HANDLED;
	case CASE_PAGE_UP:
		st->scroll -= LINES - 8;
		return SCREEN_HANDLED;
	case CASE_TOP:
		st->scroll = 0;
		return SCREEN_HANDLED;
	case CASE_BOTTOM:
		st->scroll = st->tl.n;
		return SCREEN_HANDLED;
	case CASE_RELOAD:
		console_reloaded(c);
		if (case_load(c, st))
			console_message(c, false, "%s", _("Reloaded."));
		return SCREEN_HANDLED;
	default:
		break;
	}
	if (!st->loaded || action < 0 || (size_t)action >= case_nactions)
		return SCREEN_IGNORED;
	if (!case_action_applies(c, st, &case_actions[action])) {
		console_message(c, true, "%s", _("That action does not apply to this case now."));
		return SCREEN_HANDLED;
	}
	case_act(c, st, &case_actions[action]);
	return SCREEN_HANDLED;
}

/*
 * A notification names this case, or no case (several changed; or a payload
 * that is not a case id, which is read the same way): read the case again at
 * the next tick, through the person's own row-level security. Nothing of the
 * payload is shown.
 */
static void case_notify(struct console *c MQ_UNUSED, struct screen_inst *s, const char *channel,
			const char *payload)
{
	struct case_state *st = s->data;

	if (strcmp(channel, "minqing_case") != 0 || !st->loaded)
		return;
	if (hint_concerns_case(payload, st->case_id))
		st->stale = true;
}

/* The deferred reload of a notification, at most every CONSOLE_NEWS_MS. */
static void case_tick(struct console *c, struct screen_inst *s)
{
	struct case_state *st = s->data;
	int version = st->row_version;
	int events = st->timeline != NULL ? PQntuples(st->timeline) : -1;
	long long now = case_now_ms();

	if (!st->stale || now - st->loaded_ms < CONSOLE_NEWS_MS)
		return;
	st->stale = false;
	if (!case_load(c, st))
		return;
	/* Said only when something did change (a hint may be about another case). */
	if (st->row_version != version ||
	    (st->timeline != NULL ? PQntuples(st->timeline) : -1) != events)
		console_message(c, false, "%s",
				_("This case was just changed; it is shown as it is now."));
}

const struct screen screen_case = {
	.name = "case",
	.init = case_init,
	.free = case_free,
	.draw = case_draw,
	.action = case_action,
	.notify = case_notify,
	.tick = case_tick,
};

void case_open(struct console *c, long long case_id)
{
	/* s->arg is read by init only, during console_push(). */
	console_push(c, &screen_case, _("Case detail"), &case_id);
}
