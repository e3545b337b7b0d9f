/*
 * The screens mq-load plays, and what each role does with them.
 *
 * A screen's reads are built as the console builds them, from the same
 * files: a view's page by view_call_page() (the console's list engine), a
 * record and its lines as screen-record.c reads them, a form's call by
 * mq_form_build_call() with the form's defaults and the values a person
 * would type, in BEGIN ... COMMIT after case_expect_version() when the
 * case screen submits it (screen-form-submit.c). Where the console's
 * statement is a literal of its own (the case screen, the session's
 * set-up, the status line), the same literal is written here, under the
 * same name --debug-timing gives it.
 *
 * Each script is a protothread: SCRIPT_BEGIN ... SCRIPT_END around code
 * that queues statements (load_add) and says STEP (run them, come back
 * with their results in s->res[]) or THINK (the person looks at the screen
 * for a while: notifications may make the session read again meanwhile,
 * which replaces s->res[], so what a script needs after thinking it keeps
 * in s->list or s->record). Locals do not survive a STEP or a THINK: a
 * script keeps its state in the session.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "load.h"
#include "mq/common.h"
#include "mq/width.h"

#define SCRIPT_BEGIN(s)                                                                            \
	switch ((s)->pc) {                                                                         \
	default:                                                                                   \
	case 0:
#define STEP_AT(s, at)                                                                             \
	do {                                                                                       \
		(s)->pc = (at);                                                                    \
		return STEP_RUN;                                                                   \
	case (at):;                                                                                \
	} while (0)
#define THINK_AT(s, at)                                                                            \
	do {                                                                                       \
		(s)->pc = (at);                                                                    \
		return STEP_THINK;                                                                 \
	case (at):;                                                                                \
	} while (0)
/* (Even places for STEP and THINK, odd ones for SEE's THINK: one line, two places.) */
#define STEP(s)  STEP_AT(s, 2 * __LINE__)
#define THINK(s) THINK_AT(s, 2 * __LINE__)
/* Run what was queued, show what it read, and let the person look at it. */
#define SEE(s)                                                                                     \
	do {                                                                                       \
		STEP_AT(s, 2 * __LINE__);                                                          \
		show(s);                                                                           \
		THINK_AT(s, 2 * __LINE__ + 1);                                                     \
	} while (0)
/* As SEE, the screen given up when it shows nothing (an empty list, a case gone from sight). */
#define SEE_SOME(s)                                                                                \
	do {                                                                                       \
		STEP_AT(s, 2 * __LINE__);                                                          \
		if (!show(s))                                                                      \
			return STEP_DONE;                                                          \
		THINK_AT(s, 2 * __LINE__ + 1);                                                     \
	} while (0)
#define SCRIPT_END(s)                                                                              \
	}                                                                                          \
	return STEP_DONE

/* The console's own statements (console.c, db.c, screen-case.c, report.c, screen-entry.c). */
static const char sql_case[] = "SELECT * FROM minqing.case_detail($1, $2::boolean, $3::integer)";
static const char sql_case_links[] = "SELECT * FROM minqing.case_contacts($1)";
static const char sql_case_timeline[] = "SELECT * FROM minqing.case_timeline($1, $2::integer)";
static const char sql_result_sms[] = "SELECT * FROM minqing.case_result_sms($1)";
static const char sql_expect_version[] = "SELECT minqing.case_expect_version($1, $2)";
static const char sql_pending[] = "SELECT minqing.inbox_count() AS n";
static const char sql_news[] =
	"SELECT last_event, yellow, orange, red FROM minqing.my_news($1::bigint)";
static const char sql_urges[] =
	"SELECT last_event, urges, case_no, title FROM minqing.my_urges($1::bigint)";
static const char sql_as_of[] = "SELECT extract(epoch FROM a.as_of)::bigint AS at, "
				"       extract(epoch FROM a.lag)::bigint AS lag, a.on_standby "
				"  FROM minqing.report_as_of() a";
static const char sql_duplicates[] = "SELECT d.case_no, d.title, to_char(d.created_at, 'MM-DD') "
				     "AS day   FROM minqing.case_duplicates($1, $2) d";

/* What a follow-up read (a notification's) was, for load_follow_done(). */
enum { FOLLOW_RELAY, FOLLOW_PENDING, FOLLOW_NEWS, FOLLOW_LIST, FOLLOW_CASE };

/* --- small things ------------------------------------------------------------------------- */

static bool chance(struct load_session *s, int percent)
{
	return (int)(load_rand(&s->rng) % 100) < percent;
}

static const char *pick_text(struct load_session *s, const char *const *list, size_t n)
{
	return list[load_rand(&s->rng) % n];
}

static const char *cell(const PGresult *res, int row, const char *column)
{
	return res != NULL ? view_result_value(res, row, column) : NULL;
}

static bool cell_is(const PGresult *res, int row, const char *column, const char *value)
{
	const char *v = cell(res, row, column);

	return v != NULL && strcmp(v, value) == 0;
}

static PGresult *take(struct load_session *s, int i)
{
	PGresult *r = s->res[i];

	s->res[i] = NULL;
	return r;
}

static const struct mq_view *view_get(const struct load *L, const char *name)
{
	const struct mq_view *v = mq_view_find(L->views, L->nviews, name);

	if (v == NULL)
		fatal("mq-load: forms/%s.view is missing", name); /* load_screens_check() said so */
	return v;
}

static const struct mq_form *form_get(const struct load *L, const char *name)
{
	const struct mq_form *f = mq_form_find(L->forms, L->nforms, name);

	if (f == NULL)
		fatal("mq-load: forms/%s.form is missing", name);
	return f;
}

static const struct load_action *action_of(const struct load_session *s)
{
	return &load_roles[s->seat->role].actions[s->action];
}

static struct load_view *top_view(struct load_session *s)
{
	return s->nviews > 0 ? &s->views[s->nviews - 1] : NULL;
}

static bool top_is_list(struct load_session *s)
{
	struct load_view *lv = top_view(s);

	return lv != NULL && lv->v->layout == MQ_VIEW_LIST;
}

static bool is_staff(const struct load_session *s)
{
	return s->duty[0] != '\0' && strcmp(s->duty, "kiosk") != 0;
}

/* --- the views: a stack as the console's, the reads of a list or a record ------------------- */

void load_view_clear(struct load_view *lv)
{
	size_t i;

	for (i = 0; i < lv->ngiven; i++) {
		free((char *)lv->given[i].param);
		free((char *)lv->given[i].value);
	}
	free(lv->query);
	memset(lv, 0, sizeof *lv);
}

void load_views_clear(struct load_session *s)
{
	while (s->nviews > 0)
		load_view_clear(&s->views[--s->nviews]);
}

/*
 * Push view name, its given parameters bound from row of res (bind: param
 * <- column), started as the console starts it (view_start); now and then
 * the person picks another value of a group of choices (a report's period,
 * the inbox's filter) before reading.
 */
static struct load_view *view_push(struct load_session *s, const char *name,
				   const struct mq_view_bind *bind, size_t nbind,
				   const PGresult *res, int row)
{
	struct load_view *lv;
	size_t i;

	if (s->nviews == LOAD_MAX_VIEWS) { /* the bottom of a deep stack is not read again */
		load_view_clear(&s->views[0]);
		memmove(&s->views[0], &s->views[1], (LOAD_MAX_VIEWS - 1) * sizeof s->views[0]);
		memset(&s->views[LOAD_MAX_VIEWS - 1], 0, sizeof s->views[0]);
		s->nviews--;
	}
	lv = &s->views[s->nviews++];
	lv->v = view_get(s->L, name);
	if (nbind > LOAD_MAX_GIVEN || lv->v->nchoices > LOAD_MAX_GROUPS)
		fatal("mq-load: view %s: too many parameters", name);
	for (i = 0; i < nbind; i++) {
		const char *v = cell(res, row, bind[i].column);

		lv->given[i].param = xstrdup(bind[i].param);
		lv->given[i].value = v != NULL ? xstrdup(v) : NULL;
	}
	lv->ngiven = nbind;
	view_start(lv->v, lv->given, &lv->ngiven, lv->choice, &lv->query);
	for (i = 0; i < lv->v->nchoices; i++)
		if (chance(s, 20))
			lv->choice[i] = (int)(load_rand(&s->rng) % lv->v->choices[i].nvalues);
	return lv;
}

/* The last row of the list shown: the keyset of the next page. */
static const char *list_last(void *arg, const char *column)
{
	struct load_session *s = arg;

	return cell(s->list, PQntuples(s->list) - 1, column);
}

static void add_named(struct load_session *s, const char *view, const char *what, const char *sql,
		      const struct view_call *call)
{
	char *kind = xasprintf("%s.%s", view, what);

	load_add(s, kind, sql, call->n, call->params);
	free(kind);
}

/*
 * Queue the read of lv: a list's first page (or, next, the page after the
 * list shown), or a record, its lines and, the first time, its on_open; a
 * report's first read after how current it is. s->shown is the index of
 * the main read among the step's statements.
 */
static void queue_view(struct load_session *s, struct load_view *lv, bool next)
{
	const struct mq_view *v = lv->v;
	struct view_call call;
	char *sql;

	if (v->source_report && !next)
		load_add(s, "report.as_of", sql_as_of, 0, NULL);
	s->shown = s->nq;
	s->shown_case = false;
	if (v->layout == MQ_VIEW_RECORD) {
		view_call_init(&call);
		view_call_given(&call, v, lv->given, lv->ngiven);
		view_call_select(&call, v);
		add_named(s, v->name, "record", call.sql, &call);
		if (v->lines != NULL) {
			sql = xasprintf("SELECT * FROM %s(%s)", v->lines, call.args);
			add_named(s, v->name, "lines", sql, &call);
			free(sql);
		}
		if (v->on_open != NULL && !lv->opened) {
			sql = xasprintf("SELECT %s(%s)", v->on_open, call.args);
			add_named(s, v->name, "on_open", sql, &call);
			free(sql);
			lv->opened = true;
		}
		view_call_free(&call);
		return;
	}
	view_call_page(&call, v, lv->given, lv->ngiven, lv->choice, lv->query, 0,
		       next ? list_last : NULL, s);
	add_named(s, v->name, next ? "next" : "first", call.sql, &call);
	view_call_free(&call);
}

/* A view opened from the menu: the stack starts again with it. */
static void queue_menu_view(struct load_session *s, const char *name)
{
	load_views_clear(s);
	queue_view(s, view_push(s, name, NULL, 0, NULL, 0), false);
}

/* The page after the list shown, when there is one. */
static bool queue_next(struct load_session *s)
{
	struct load_view *lv = top_view(s);

	if (lv == NULL || lv->v->limit == NULL || lv->v->nsorts == 0 || s->list == NULL ||
	    PQntuples(s->list) < LIST_PAGE)
		return false;
	queue_view(s, lv, true);
	return true;
}

/* --- the case screen ---------------------------------------------------------------------- */

static void queue_case(struct load_session *s, long long id)
{
	char idt[24], limit[24];
	const char *p[3] = {idt, "false", limit}, *t[2] = {idt, limit};

	snprintf(idt, sizeof idt, "%lld", id);
	snprintf(limit, sizeof limit, "%d", MQ_TEXT_MAX + 1);
	s->case_id = id;
	s->shown = s->nq;
	s->shown_case = true;
	load_add(s, "case.row", sql_case, 3, p);
	load_add(s, "case.links", sql_case_links, 1, p);
	load_add(s, "case.timeline", sql_case_timeline, 2, t);
}

/* Show what the step read (s->shown): a list, a record, or the case. false: nothing there. */
static bool show(struct load_session *s)
{
	struct load_view *lv = top_view(s);
	PGresult *r = take(s, s->shown);

	s->top_at = load_now();
	s->top_stale = false;
	if (s->shown_case) {
		PQclear(s->record);
		s->record = r;
		s->top = TOP_CASE;
		if (r == NULL || PQntuples(r) != 1)
			return false;
		s->row_version = atoi(cell(r, 0, "row_version"));
		return true;
	}
	s->top = lv != NULL && lv->v->notify != NULL ? TOP_LIST : TOP_MENU;
	if (lv != NULL && lv->v->layout == MQ_VIEW_RECORD) {
		PQclear(s->record);
		s->record = r;
		return r != NULL && PQntuples(r) == 1;
	}
	PQclear(s->list);
	s->list = r;
	return r != NULL && PQntuples(r) > 0;
}

/* Enter on a row of the list shown, picked at random: what the view opens. */
static bool open_row(struct load_session *s)
{
	struct load_view *lv = top_view(s);
	const struct mq_view *v;
	const struct mq_view_bind *bind;
	const char *target, *when;
	size_t nbind;
	int row;

	if (lv == NULL || s->list == NULL || PQntuples(s->list) == 0 || lv->v->open == NULL)
		return false;
	v = lv->v;
	row = (int)(load_rand(&s->rng) % (uint64_t)PQntuples(s->list));
	target = v->open;
	bind = v->open_bind;
	nbind = v->nopen_bind;
	when = v->open_when != NULL ? cell(s->list, row, v->open_when) : "t";
	if (when == NULL || strcmp(when, "t") != 0) {
		target = v->else_open;
		bind = v->else_bind;
		nbind = v->nelse_bind;
	}
	if (strcmp(target, "case") == 0) {
		const char *id = cell(s->list, row, v->id);

		if (id == NULL || atoll(id) < 1)
			return false;
		queue_case(s, atoll(id));
		return true;
	}
	queue_view(s, view_push(s, target, bind, nbind, s->list, row), false);
	return true;
}

/* --- forms -------------------------------------------------------------------------------- */

struct field_value {
	const char *name, *value;
};

/*
 * Submit form name with the values a person types (the others at the
 * form's defaults) and the opener's context; check_version: in a
 * transaction after case_expect_version(), as the case screen submits.
 * A value the form refuses is a fault of this program's.
 */
static void queue_form(struct load_session *s, const char *name, const struct field_value *fv,
		       size_t nfv, struct mq_form_context_values *ctx, bool check_version)
{
	const struct mq_form *f = form_get(s->L, name);
	const char **values = xcalloc(f->nfields + 1, sizeof *values), **params;
	char *sql, *msg = NULL;
	size_t i, k;
	int n;

	for (i = 0; i < f->nfields; i++) {
		values[i] = f->fields[i].default_value;
		for (k = 0; k < nfv; k++)
			if (strcmp(fv[k].name, f->fields[i].name) == 0)
				values[i] = fv[k].value;
		if (mq_field_validate(&f->fields[i], values[i], &msg) != 0)
			fatal("mq-load: %s.%s = %s: %s", name, f->fields[i].name,
			      values[i] != NULL ? values[i] : "(none)", msg);
	}
	mq_form_build_call(f, values, ctx != NULL ? mq_form_context_lookup : NULL, ctx, &sql,
			   &params, &n);
	if (check_version) {
		const char *vp[2] = {mq_form_context_value(ctx, "case_id"),
				     mq_form_context_value(ctx, "row_version")};

		load_add(s, "tx.begin", "BEGIN", 0, NULL);
		load_add(s, "case.expect_version", sql_expect_version, 2, vp);
	}
	load_add(s, f->name, sql, n, params);
	if (check_version)
		load_add(s, "tx.commit", "COMMIT", 0, NULL);
	/* What the console does after the person's change (console_changed()). */
	s->relay_due = true;
	s->pending_stale = true;
	s->pending_next = 0;
	free(sql);
	free(params);
	free(values);
}

/* The case shown as a form's context (the case screen's). */
static void case_context(struct load_session *s, struct mq_form_context_values *ctx)
{
	char v[24];

	memset(ctx, 0, sizeof *ctx);
	snprintf(v, sizeof v, "%lld", s->case_id);
	mq_form_context_put(ctx, "case_id", v);
	snprintf(v, sizeof v, "%d", s->row_version);
	mq_form_context_put(ctx, "row_version", v);
}

static const char *const results[] = {
	"已联系相关部门现场处理完毕，群众表示认可。",
	"经协调，问题已解决，已电话告知反映人。",
	"已安排人员维修，设施恢复正常。",
	"已按政策答复，并协助办理相关手续。",
};
static const char *const notes[] = {
	"已电话联系反映人，正在协调处理。",
	"已到现场查看，明日安排人员处理。",
	"已转交相关负责人跟进。",
};

/*
 * The step the person takes on the case shown, as the case screen offers
 * it to a handler or an information officer (docs/cases.md): triage,
 * dispatch (kept at the unit, or for a village now and then to its town),
 * start, resolve (with a reason past the deadline), resume, report back
 * and close at the unit that received it; an officer notes progress,
 * settles an immediate matter, reports back and closes. Then the case
 * screen reads the case again (s->shown). false: nothing to do here.
 */
static bool case_act(struct load_session *s)
{
	const PGresult *c = s->record;
	bool handler = strcmp(s->duty, "handler") == 0, officer = strcmp(s->duty, "officer") == 0;
	bool here = cell_is(c, 0, "origin_unit", s->unit_name);
	/* Assigned to the person's unit or in their hands: the case screen offers
	 * start, resolve and resume on the status alone, the server refuses them
	 * to anyone else (a case just dispatched up to the town). */
	bool ours = cell_is(c, 0, "assigned_unit", s->unit_name) ||
		    cell_is(c, 0, "handler", s->display_name);
	struct field_value fv[2];
	struct mq_form_context_values ctx;
	const char *form = NULL, *unit;
	size_t n = 0;

	if (c == NULL || PQntuples(c) != 1 || (!handler && !officer))
		return false;
	case_context(s, &ctx);
	if (handler && cell_is(c, 0, "status", "received")) {
		form = "case_accept";
	} else if (handler && cell_is(c, 0, "status", "accepted")) {
		unit = s->seat->up != NULL && chance(s, 20) ? s->seat->up : s->seat->here;
		if (unit == NULL)
			return false;
		form = "case_dispatch";
		fv[n++] = (struct field_value){"unit", unit};
	} else if (handler && ours && cell_is(c, 0, "status", "dispatched")) {
		form = "case_start";
	} else if (handler && ours && cell_is(c, 0, "status", "in_progress")) {
		form = "case_resolve";
		fv[n++] = (struct field_value){"result", pick_text(s, results, MQ_NITEMS(results))};
		if (cell_is(c, 0, "overdue", "t"))
			fv[n++] = (struct field_value){"overdue_reason",
						       "涉及多个部门协调，用时较长。"};
	} else if (handler && ours && cell_is(c, 0, "status", "waiting")) {
		form = "case_resume";
	} else if (officer && here && cell_is(c, 0, "status", "received") && chance(s, 15)) {
		form = "case_resolve_at_once";
		fv[n++] = (struct field_value){"result", pick_text(s, results, MQ_NITEMS(results))};
	} else if (officer &&
		   (cell_is(c, 0, "status", "dispatched") ||
		    cell_is(c, 0, "status", "in_progress") || cell_is(c, 0, "status", "waiting"))) {
		form = "case_progress";
		fv[n++] = (struct field_value){"note", pick_text(s, notes, MQ_NITEMS(notes))};
	} else if (here && cell_is(c, 0, "status", "resolved")) {
		form = "case_report_back";
		/* Report back shows the result SMS before it is confirmed. */
		load_add(s, "case.result_sms", sql_result_sms, 1,
			 (const char *[]){mq_form_context_value(&ctx, "case_id")});
	} else if (here && cell_is(c, 0, "status", "reported")) {
		form = "case_close";
		fv[n++] = (struct field_value){"satisfaction",
					       chance(s, 80) ? "satisfied" : "basically_satisfied"};
	}
	if (form == NULL)
		return false;
	queue_form(s, form, fv, n, &ctx, true);
	queue_case(s, s->case_id);
	return true;
}

/* --- the session's set-up and the status line, as console.c --------------------------------- */

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src != NULL ? src : "");
}

static void queue_news(struct load_session *s)
{
	const char *n[1] = {s->news_after[0] != '\0' ? s->news_after : NULL};
	const char *u[1] = {s->urge_after[0] != '\0' ? s->urge_after : NULL};

	load_add(s, "status.news", sql_news, 1, n);
	load_add(s, "status.urges", sql_urges, 1, u);
}

static void take_news(struct load_session *s, int i)
{
	const char *news = cell(s->res[i], 0, "last_event"),
		   *urges = cell(s->res[i + 1], 0, "last_event");

	if (news != NULL)
		copy_text(s->news_after, sizeof s->news_after, news);
	if (urges != NULL)
		copy_text(s->urge_after, sizeof s->urge_after, urges);
}

/*
 * What the console does between connecting and its main menu: the schema
 * handshake and whoami() (program.c, db.c), the session's lock timeout,
 * time zone and login mark, LISTEN, then the news and the inbox count of
 * the status line.
 */
enum load_step load_setup(struct load_session *s)
{
	const char *p[1];

	SCRIPT_BEGIN(s);
	load_add(s, "session.schema", "SELECT to_regclass('minqing.schema_version') IS NOT NULL", 0,
		 NULL);
	load_add(s, "session.schema",
		 "SELECT coalesce(max(version), 0) FROM minqing.schema_version", 0, NULL);
	load_add(s, "session.schema", "SELECT to_regclass('minqing.schema_functions') IS NOT NULL",
		 0, NULL);
	load_add(s, "session.schema",
		 "SELECT hash FROM minqing.schema_functions ORDER BY applied_id DESC LIMIT 1", 0,
		 NULL);
	load_add(s, "session.whoami",
		 "SELECT login, display_name, duty, unit_code, unit_name, unit_kind, unit_level, "
		 "district_name FROM minqing.whoami()",
		 0, NULL);
	STEP(s);
	copy_text(s->duty, sizeof s->duty, cell(s->res[4], 0, "duty"));
	copy_text(s->unit_name, sizeof s->unit_name, cell(s->res[4], 0, "unit_name"));
	copy_text(s->display_name, sizeof s->display_name, cell(s->res[4], 0, "display_name"));
	load_add(s, "session.lock_timeout", "SET lock_timeout = '5s'", 0, NULL);
	load_add(s, "session.time_zone", "SELECT minqing.my_time_zone() AS tz", 0, NULL);
	STEP(s);
	copy_text(s->text, sizeof s->text, cell(s->res[1], 0, "tz"));
	if (s->text[0] != '\0') {
		p[0] = s->text;
		load_add(s, "session.time_zone", "SELECT set_config('TimeZone', $1, false)", 1, p);
	}
	p[0] = s->seat->login;
	if (is_staff(s))
		load_add(s, "session.login_mark", "SELECT minqing.login_mark($1)", 1, p);
	load_add(s, "session.listen", "LISTEN \"minqing_case\"", 0, NULL);
	STEP(s);
	s->news_at = load_now();
	/* The console's next count and relay: a share of their pace, by its process id. */
	s->pending_next = (long)s->news_at + 1 + s->idx % CONSOLE_PENDING_SECONDS;
	s->relay_next = (long)s->news_at + 1 + s->idx % CONSOLE_RELAY_SECONDS;
	if (is_staff(s)) {
		queue_news(s);
		load_add(s, "status.pending", sql_pending, 0, NULL);
		STEP(s);
		take_news(s, 0);
	}
	SCRIPT_END(s);
}

/*
 * A notification came: the console reads again, coalesced, between key
 * presses: the inbox count every 10 s at most, the news every 3 s, a
 * list on top (its view names the channel) every 2 s, the case on top every
 * 0.3 s at most (console.c, list.c, screen-case.c). STEP_RUN when something was
 * queued.
 */
enum load_step load_follow(struct load_session *s, double now)
{
	long sec = (long)now;

	/*
	 * The console relays the case news after the person's change and every
	 * CONSOLE_RELAY_SECONDS besides, the first after a share of that
	 * (console.c, console_relay()).
	 */
	if (is_staff(s) && (s->relay_due || sec >= s->relay_next)) {
		s->relay_due = false;
		s->relay_next = sec + CONSOLE_RELAY_SECONDS;
		s->follow_what = FOLLOW_RELAY;
		load_add(s, "status.relay", "SELECT minqing.case_news_relay()", 0, NULL);
		return STEP_RUN;
	}
	if (is_staff(s) && s->pending_stale && sec >= s->pending_next) {
		s->pending_stale = false;
		s->pending_next = sec + CONSOLE_PENDING_SECONDS;
		s->follow_what = FOLLOW_PENDING;
		load_add(s, "status.pending", sql_pending, 0, NULL);
		return STEP_RUN;
	}
	if (is_staff(s) && s->news_stale && now - s->news_at >= CONSOLE_NEWS_PACE_MS / 1000.0) {
		s->news_stale = false;
		s->news_at = now;
		s->follow_what = FOLLOW_NEWS;
		queue_news(s);
		return STEP_RUN;
	}
	if (s->top_stale &&
	    now - s->top_at >= (s->top == TOP_LIST ? LIST_RELOAD_MS : CONSOLE_NEWS_MS) / 1000.0 &&
	    (s->top == TOP_LIST || s->top == TOP_CASE)) {
		s->top_stale = false;
		s->top_at = now;
		if (s->top == TOP_CASE) {
			s->follow_what = FOLLOW_CASE;
			queue_case(s, s->case_id);
		} else {
			s->follow_what = FOLLOW_LIST;
			queue_view(s, top_view(s), false);
		}
		return STEP_RUN;
	}
	return STEP_DONE;
}

void load_follow_done(struct load_session *s)
{
	switch (s->follow_what) {
	case FOLLOW_NEWS:
		take_news(s, 0);
		break;
	case FOLLOW_LIST:
	case FOLLOW_CASE:
		show(s);
		break;
	default:
		break;
	}
}

/* --- what the roles do -------------------------------------------------------------------- */

/*
 * A list of cases (the inbox, triage, warnings): the first page, perhaps
 * the next, a case opened, and from the inbox or triage the steps the case
 * screen offers (one, sometimes two); then back to the list, read again.
 */
static enum load_step act_cases(struct load_session *s)
{
	SCRIPT_BEGIN(s);
	queue_menu_view(s, action_of(s)->view);
	SEE(s);
	if (chance(s, 25) && queue_next(s))
		SEE(s);
	if (!open_row(s))
		return STEP_DONE;
	SEE_SOME(s);
	s->acts = 0;
	while (s->acts < 2 && strcmp(action_of(s)->view, "warnings") != 0 &&
	       chance(s, s->acts == 0 ? 70 : 50) && case_act(s)) {
		SEE(s);
		s->acts++;
	}
	queue_view(s, top_view(s), false);
	STEP(s);
	show(s);
	SCRIPT_END(s);
}

static const char *const titles[] = {
	"路灯不亮影响夜间出行", "小区楼道堆放杂物", "邻里排水纠纷",     "低保申请咨询",
	"医保报销问题",         "噪音扰民",         "自来水停水",       "宅基地界址争议",
	"垃圾清运不及时",       "道路破损需修补",   "农田灌溉用水纠纷", "养老保险缴费咨询",
};
static const char *const places[] = {"村口", "小区", "菜市场旁", "学校附近", "河道边", "工业区"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
static const char *const given_names[] = {"建国", "秀英", "志强", "丽华", "海燕", "国平", "玉兰"};

/* The case entry form filled in and submitted (with its duplicate check first, as F2 runs it). */
static bool queue_intake(struct load_session *s)
{
	const PGresult *cats = s->list;
	char content[256], name[32], phone[16], *category = NULL;
	const char *title = pick_text(s, titles, MQ_NITEMS(titles)), *dup[2] = {phone, content};
	struct field_value fv[7];
	size_t n = 0;
	int i, tries;

	/* A category of the second level or below, as a person picks one. */
	for (tries = 0; cats != NULL && PQntuples(cats) > 0 && tries < 20 && category == NULL;
	     tries++) {
		i = (int)(load_rand(&s->rng) % (uint64_t)PQntuples(cats));
		if (atoi(cell(cats, i, "depth") != NULL ? cell(cats, i, "depth") : "0") >= 1)
			category = xstrdup(cell(cats, i, "value"));
	}
	if (category == NULL)
		return false;
	snprintf(content, sizeof content, "%s%s，%s（第%d号终端第%d次登记）",
		 pick_text(s, places, MQ_NITEMS(places)), title,
		 chance(s, 50) ? "请尽快处理" : "希望有关部门协调解决", s->idx + 1,
		 s->nactions_done + 1);
	snprintf(name, sizeof name, "%s%s", pick_text(s, surnames, MQ_NITEMS(surnames)),
		 pick_text(s, given_names, MQ_NITEMS(given_names)));
	snprintf(phone, sizeof phone, "13%d%08d", 5 + (int)(load_rand(&s->rng) % 5),
		 (int)(load_rand(&s->rng) % 100000000));
	fv[n++] = (struct field_value){"channel", chance(s, 60) ? "walk_in" : "hotline"};
	fv[n++] = (struct field_value){"title", title};
	fv[n++] = (struct field_value){"content", content};
	fv[n++] = (struct field_value){"category", category};
	fv[n++] = (struct field_value){"submitter_name", name};
	fv[n++] = (struct field_value){"submitter_phone", phone};
	if (s->seat->station != NULL)
		fv[n++] = (struct field_value){"station", s->seat->station};
	load_add(s, "entry.duplicates", sql_duplicates, 2, dup);
	queue_form(s, "case_intake", fv, n, NULL, false);
	free(category);
	return true;
}

/* Case entry: the category picker, the form, then the new case opens. */
static enum load_step act_intake(struct load_session *s)
{
	const char *id;

	SCRIPT_BEGIN(s);
	load_views_clear(s);
	s->top = TOP_MENU;
	load_add(s, "pick.list", "SELECT * FROM minqing.pick_categories($1::boolean)", 1,
		 (const char *[]){"false"});
	STEP(s);
	PQclear(s->list);
	s->list = take(s, 0);
	THINK(s); /* typing it in */
	if (!queue_intake(s))
		return STEP_DONE;
	STEP(s);
	id = cell(s->res[1], 0, "case_id");
	if (id == NULL)
		return STEP_DONE;
	queue_case(s, atoll(id));
	STEP(s);
	show(s);
	SCRIPT_END(s);
}

/* The visit plan, a household's visit recorded from it (v), the plan read again. */
static enum load_step act_visit(struct load_session *s)
{
	struct field_value fv[3];
	const char *no;

	SCRIPT_BEGIN(s);
	queue_menu_view(s, "visit_plan");
	SEE_SOME(s);
	no = cell(s->list, (int)(load_rand(&s->rng) % (uint64_t)PQntuples(s->list)),
		  "household_no");
	if (no == NULL)
		return STEP_DONE;
	fv[0] = (struct field_value){"households", no};
	fv[1] = (struct field_value){"persons_met", "2"};
	fv[2] = (struct field_value){"findings", "入户走访，了解生产生活情况，无新的诉求。"};
	queue_form(s, "visit_record", fv, MQ_NITEMS(fv), NULL, false);
	queue_view(s, top_view(s), false);
	STEP(s);
	show(s);
	SCRIPT_END(s);
}

/* Village archives: the villages, one village's sections, a section; its note edited now and then.
 */
static enum load_step act_archive(struct load_session *s)
{
	struct mq_form_context_values ctx;
	struct field_value fv[1];
	char note[160];

	SCRIPT_BEGIN(s);
	queue_menu_view(s, "archives");
	SEE(s);
	if (!open_row(s))
		return STEP_DONE;
	SEE(s);
	if (!open_row(s))
		return STEP_DONE;
	SEE_SOME(s);
	if (strcmp(s->duty, "supervisor") == 0 || !chance(s, 40))
		return STEP_DONE;
	memset(&ctx, 0, sizeof ctx);
	mq_form_context_put(&ctx, "row.unit_code", cell(s->record, 0, "unit_code"));
	mq_form_context_put(&ctx, "row.section", cell(s->record, 0, "section"));
	mq_form_context_put(&ctx, "row.revision_no", cell(s->record, 0, "revision_no"));
	snprintf(note, sizeof note, "%s核对更新（第%d号终端）。",
		 chance(s, 50) ? "按村两委会议记录" : "按最新台账", s->idx + 1);
	fv[0] = (struct field_value){"note", note};
	queue_form(s, "archive_edit_note", fv, 1, &ctx, false);
	queue_view(s, top_view(s), false);
	STEP(s);
	show(s);
	SCRIPT_END(s);
}

static const char *const searches[] = {"路灯",   "噪音", "低保", "排水",   "停水",
				       "宅基地", "医保", "垃圾", "王建国", "楼道"};

/* Find cases: newest first, then something typed in the search, a case opened. */
static enum load_step act_find(struct load_session *s)
{
	struct load_view *lv;
	const char *kind, *norm, *typed[1];
	char *sql;
	size_t i;

	SCRIPT_BEGIN(s);
	queue_menu_view(s, "cases");
	SEE(s);
	if (chance(s, 60)) {
		lv = top_view(s);
		if (chance(s, 80))
			copy_text(s->text, sizeof s->text,
				  pick_text(s, searches, MQ_NITEMS(searches)));
		else
			snprintf(s->text, sizeof s->text, "%d",
				 1000 + (int)(load_rand(&s->rng) % 9000));
		typed[0] = s->text;
		sql = xasprintf("SELECT x.kind, x.norm FROM %s($1) x", lv->v->search->classify);
		load_add(s, "view.classify", sql, 1, typed);
		free(sql);
		STEP(s);
		lv = top_view(s);
		kind = cell(s->res[0], 0, "kind");
		norm = cell(s->res[0], 0, "norm");
		for (i = 0; kind != NULL && i < lv->v->search->nkinds; i++)
			if (strcmp(lv->v->search->kinds[i].kind, kind) == 0 &&
			    lv->v->search->kinds[i].refuse.zh != NULL)
				return STEP_DONE;
		free(lv->query);
		lv->query = norm != NULL && norm[0] != '\0' ? xstrdup(norm) : NULL;
		queue_view(s, lv, false);
		SEE(s);
	}
	if (!chance(s, 50) || !open_row(s))
		return STEP_DONE;
	STEP(s);
	show(s);
	SCRIPT_END(s);
}

/*
 * Any other list or record of the menus: read, perhaps the next page, and
 * rows opened down to two levels (a report's drill-down to a town, then to
 * its cases; a notice of the board).
 */
static enum load_step act_browse(struct load_session *s)
{
	SCRIPT_BEGIN(s);
	queue_menu_view(s, action_of(s)->view);
	SEE(s);
	if (!top_is_list(s))
		return STEP_DONE;
	if (chance(s, 30) && queue_next(s))
		SEE(s);
	s->acts = 0;
	while (s->acts < 2 && !s->shown_case && chance(s, 60) && top_is_list(s) && open_row(s)) {
		SEE(s);
		s->acts++;
	}
	SCRIPT_END(s);
}

/* The jurisdiction overview (辖区概况, screen-overview.c). */
static enum load_step act_overview(struct load_session *s)
{
	SCRIPT_BEGIN(s);
	load_views_clear(s);
	s->top = TOP_MENU;
	load_add(s, "overview", "SELECT * FROM minqing.jurisdiction_overview()", 0, NULL);
	STEP(s);
	SCRIPT_END(s);
}

static const struct load_action station_actions[] = {
	{"inbox", 30, act_cases, "inbox"},   {"intake", 20, act_intake, NULL},
	{"triage", 8, act_cases, "triage"},  {"warnings", 8, act_cases, "warnings"},
	{"find", 8, act_find, NULL},         {"visit", 8, act_visit, NULL},
	{"archive", 8, act_archive, NULL},   {"bulletin", 5, act_browse, "bulletin"},
	{"overview", 5, act_overview, NULL},
};
static const struct load_action officer_actions[] = {
	{"inbox", 25, act_cases, "inbox"},  {"intake", 20, act_intake, NULL},
	{"archive", 20, act_archive, NULL}, {"visit", 20, act_visit, NULL},
	{"find", 10, act_find, NULL},       {"bulletin", 5, act_browse, "bulletin"},
};
static const struct load_action supervisor_actions[] = {
	{"warnings", 25, act_cases, "warnings"},      {"reports", 25, act_browse, "reports"},
	{"summary", 15, act_browse, "summary"},       {"find", 15, act_find, NULL},
	{"assessment", 10, act_browse, "assessment"}, {"overview", 10, act_overview, NULL},
};
static const struct load_action kiosk_actions[] = {
	{"public_board", 30, act_browse, "public_board"},
	{"public_results", 25, act_browse, "public_results"},
	{"public_commitments", 15, act_browse, "public_commitments"},
	{"public_contacts", 15, act_browse, "public_contacts"},
	{"public_receivers", 15, act_browse, "public_receivers"},
};

const struct load_role_def load_roles[ROLE_COUNT] = {
	{"station", station_actions, MQ_NITEMS(station_actions)},
	{"officer", officer_actions, MQ_NITEMS(officer_actions)},
	{"supervisor", supervisor_actions, MQ_NITEMS(supervisor_actions)},
	{"kiosk", kiosk_actions, MQ_NITEMS(kiosk_actions)},
};

/* Every view and form the scripts open, and where a view opens: there (0), or why not. */
int load_screens_check(struct load *L, char **cause)
{
	static const char *const views[] = {"cases", "visit_plan", "archives"};
	static const char *const forms[] = {
		"case_accept", "case_dispatch",        "case_start",    "case_resolve",
		"case_resume", "case_resolve_at_once", "case_progress", "case_report_back",
		"case_close",  "case_intake",          "visit_record",  "archive_edit_note",
	};
	size_t r, i;

	for (i = 0; i < MQ_NITEMS(views); i++)
		if (mq_view_find(L->views, L->nviews, views[i]) == NULL)
			return mq_fail(cause, "no view %s.view in the forms directory", views[i]);
	for (r = 0; r < ROLE_COUNT; r++)
		for (i = 0; i < load_roles[r].nactions; i++)
			if (load_roles[r].actions[i].view != NULL &&
			    mq_view_find(L->views, L->nviews, load_roles[r].actions[i].view) ==
				    NULL)
				return mq_fail(cause, "no view %s.view in the forms directory",
					       load_roles[r].actions[i].view);
	for (i = 0; i < MQ_NITEMS(forms); i++)
		if (mq_form_find(L->forms, L->nforms, forms[i]) == NULL)
			return mq_fail(cause, "no form %s.form in the forms directory", forms[i]);
	if (mq_view_find(L->views, L->nviews, "cases")->search == NULL)
		return mq_fail(cause, "cases.view has no search");
	return 0;
}
