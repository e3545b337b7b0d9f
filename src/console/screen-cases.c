/*
 * Find cases (案件查询): every case the person can see (row-level security
 * decides), newest first, a page at a time by keyset (created_at, case_id)
 * on the index cases_created; s orders by case number instead (keyset on
 * the unique number).
 *
 * f or Ctrl-F asks what to find (`/` stays the list's own filter of the
 * loaded rows), and what is typed decides how the database is asked
 * (listfmt_classify()):
 *
 *   LW-2026-0009…     the beginning of a case number (a range on the
 *                     text_pattern_ops index)
 *   936, 000936       the serial ending the case number, in any year: the
 *                     numbers <district>-<year>-000936 looked up one by one
 *   13957700001       a mainland mobile number: the submitter's phone
 *   路灯, 低保申请    words in title, content or the submitter's name: the
 *                     bigrams of case_search (all of the word's pieces, LIKE
 *                     rechecking their order), case by case newest first
 *   one character     too short for the bigram index: the person is told
 *
 * Enter opens the case.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "console.h"
#include "list.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

#define CASES_QUERY_MAX 96 /* bytes of what is typed */

enum {
	CASES_MARK,
	CASES_NO,
	CASES_STATUS,
	CASES_CREATED,
	CASES_TITLE,
	CASES_SUBMITTER,
	CASES_UNIT,
	CASES_NCOLS,
	/* hidden */
	CASES_CREATED_RAW = CASES_NCOLS, /* the keyset of "newest first" */
	CASES_NHIDDEN = 1,
};

static const struct list_column cases_columns[] = {
	[CASES_MARK] = {"", 1, 0, -1, false},
	[CASES_NO] = {N_("Case no."), 14, 0, -1, true},
	[CASES_STATUS] = {N_("Status"), 10, 0, -1, false},
	[CASES_CREATED] = {N_("Received"), 10, 0, -1, true},
	[CASES_TITLE] = {N_("Title"), 14, 6, -1, false},
	[CASES_SUBMITTER] = {N_("Submitter"), 6, 1, -1, false},
	[CASES_UNIT] = {N_("Unit"), 8, 2, -1, false},
};

/* The screen's own keys; cases_keys gets the list's first (list_help()). */
static const struct key_help cases_own_keys[] = {
	{N_("f  Ctrl-F"), N_("find: case number, mobile number or words")},
	{NULL, NULL},
};
static struct key_help cases_keys[16];

struct cases_state {
	struct list *list;
	const char *centre_where; /* a centre's screen: its condition; NULL: every case */
	enum listfmt_query kind;  /* of the search in effect */
	char *search;             /* its normalised text (listfmt_classify) */
	char *params[2];          /* what $1 (and $2) get */
	int nparams;
	bool prompting; /* the search line is being typed */
	char typed[CASES_QUERY_MAX];
};

static const char cases_cols_sql[] =
	"SELECT c.case_id, c.case_no, c.status, c.warning_level, c.created_at, "
	"       extract(epoch FROM c.created_at)::bigint, c.title, c.submitter_name, u.name "
	"  FROM minqing.cases c "
	"  JOIN minqing.org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id) ";

/*
 * The condition of each kind of search on its parameters $1 (and $2), as the
 * planner can use an index for it under row-level security: only leakproof
 * operators (=, <, ~>=~ ...) may become index conditions ahead of the policy
 * of cases, so a prefix is a range, not LIKE.
 */
static const char *cases_where(enum listfmt_query kind)
{
	switch (kind) {
	case LISTFMT_Q_CASE_NO:
		/* [prefix, prefix with its last byte + 1): the text_pattern_ops index */
		return "WHERE c.case_no ~>=~ $1 AND c.case_no ~<~ $2 ";
	case LISTFMT_Q_SERIAL:
		/* <district code>-<year>-<serial, six digits at least>, every year: = ANY. */
		return "WHERE c.case_no = ANY (ARRAY("
		       "  SELECT d.code || '-' || y || '-' || lpad($1::text, greatest(6, "
		       "length($1::text)), '0') "
		       "    FROM minqing.org_unit d, "
		       "         generate_series(2000, extract(year FROM now())::integer + 1) AS y "
		       "   WHERE d.parent_id IS NULL)) ";
	case LISTFMT_Q_PHONE:
		return "WHERE c.submitter_phone = $1::text ";
	case LISTFMT_Q_WORDS:
		/*
		 * Checked case by case along the order of the list (newest first),
		 * so a page of a common word costs a few hundred probes. The GIN
		 * index of case_search cannot serve under its row-level security
		 * (@> is not leakproof), so a rare word walks every visible case.
		 */
		return "WHERE (SELECT s.grams @> minqing.text_bigrams($1::text) "
		       "          AND s.doc LIKE minqing.like_contains($1::text) "
		       "         FROM minqing.case_search s WHERE s.case_id = c.case_id) ";
	default:
		return "WHERE true ";
	}
}

/* The condition of a centre's screen (fixed texts: the centre is not typed). */
static const char *cases_centre_sql(const char *centre)
{
	if (strcmp(centre, "mediation") == 0)
		return "AND c.category_id IN (SELECT k.category_id FROM minqing.case_category k "
		       "WHERE k.centre = 'mediation') ";
	if (strcmp(centre, "policy") == 0)
		return "AND c.category_id IN (SELECT k.category_id FROM minqing.case_category k "
		       "WHERE k.centre = 'policy') ";
	return "AND c.category_id IN (SELECT k.category_id FROM minqing.case_category k "
	       "WHERE k.centre = 'service') ";
}

static int cases_fetch(struct console *c, void *arg, struct list *l, const struct list_row *last)
{
	struct cases_state *st = arg;
	struct mq_db_error err = {0};
	char limit[16], after[24], created[64], *sql, *keyset;
	const char *params[5], *order;
	PGresult *res;
	int i, n, np = 0;
	bool by_no = list_sort(l) == CASES_NO;
	struct tm tm;
	time_t t;

	for (i = 0; i < st->nparams; i++)
		params[np++] = st->params[i];
	if (last == NULL)
		keyset = xstrdup("");
	else if (by_no) {
		params[np++] = last->cells[CASES_NO];
		keyset = xasprintf("AND c.case_no > $%d ", np);
	} else {
		snprintf(after, sizeof after, "%lld", last->id);
		params[np++] = last->cells[CASES_CREATED_RAW];
		params[np++] = after;
		keyset = xasprintf(
			"AND (c.created_at, c.case_id) < ($%d::timestamptz, $%d::bigint) ", np - 1,
			np);
	}
	snprintf(limit, sizeof limit, "%d", LIST_PAGE);
	params[np++] = limit;
	order = by_no ? "ORDER BY c.case_no" : "ORDER BY c.created_at DESC, c.case_id DESC";
	if (st->kind == LISTFMT_Q_WORDS && !by_no && st->centre_where == NULL) {
		/*
		 * Newest first by words: minqing.case_find_words() pages through
		 * the bigram index (which the caller's row-level security would
		 * keep from being used here) within the caller's jurisdiction.
		 */
		if (last == NULL) {
			params[1] = NULL;
			params[2] = NULL;
			params[3] = limit;
		}
		np = 4;
		sql = xasprintf("%sJOIN minqing.case_find_words($1::text, $2::timestamptz, "
				"$3::bigint, $4::integer) f ON f.case_id = c.case_id %s",
				cases_cols_sql, order);
	} else
		sql = xasprintf("%s%s%s%s%s LIMIT $%d", cases_cols_sql, cases_where(st->kind),
				st->centre_where != NULL ? st->centre_where : "", keyset, order,
				np);
	free(keyset);
	res = console_query(c, last == NULL ? "cases.first" : "cases.next", &err, sql, np, params);
	free(sql);
	if (res == NULL) {
		console_db_error(c, &err);
		mq_db_error_clear(&err);
		return -1;
	}
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		const char *level = PQgetvalue(res, i, 3);
		struct list_row *r =
			list_add(l, atoll(PQgetvalue(res, i, 0)), listfmt_warning_role(level));

		list_set(l, r, CASES_MARK, listfmt_marker(level));
		list_set(l, r, CASES_NO, PQgetvalue(res, i, 1));
		list_set(l, r, CASES_STATUS, listfmt_status(PQgetvalue(res, i, 2)));
		list_set(l, r, CASES_CREATED_RAW, PQgetvalue(res, i, 4));
		/* The date where the person is, as the clock of the status line. */
		t = (time_t)atoll(PQgetvalue(res, i, 5));
		localtime_r(&t, &tm);
		strftime(created, sizeof created, "%Y-%m-%d", &tm);
		list_set(l, r, CASES_CREATED, created);
		list_set(l, r, CASES_TITLE, PQgetvalue(res, i, 6));
		list_set(l, r, CASES_SUBMITTER, PQgetvalue(res, i, 7));
		list_set(l, r, CASES_UNIT, PQgetvalue(res, i, 8));
	}
	PQclear(res);
	return n;
}

static void cases_open(struct console *c, void *arg MQ_UNUSED, const struct list_row *row)
{
	case_open(c, row->id);
}

static const struct list_ops cases_ops = {
	.fetch = cases_fetch,
	.open = cases_open,
};

/* Run the search typed: classify it, and read the first page. */
static void cases_search(struct console *c, struct cases_state *st, const char *typed)
{
	char *norm;
	enum listfmt_query kind = listfmt_classify(typed, &norm);

	if (kind == LISTFMT_Q_SHORT) {
		console_message(c, true, "%s",
				_("Type at least two characters to search by words (one character "
				  "alone is not indexed)."));
		free(norm);
		return;
	}
	free(st->search);
	free(st->params[0]);
	free(st->params[1]);
	st->kind = kind;
	st->search = norm;
	st->params[0] = st->params[1] = NULL;
	st->nparams = 0;
	if (kind == LISTFMT_Q_CASE_NO) {
		st->params[0] = xstrdup(norm);
		st->params[1] = listfmt_prefix_end(norm);
		st->nparams = 2;
	} else if (kind != LISTFMT_Q_EMPTY) {
		st->params[0] = xstrdup(norm);
		st->nparams = 1;
	}
	list_set_empty(st->list, kind == LISTFMT_Q_EMPTY ? N_("You can see no case yet.")
							 : N_("No case found."));
	list_reload(c, st->list, false);
}

static void cases_init(struct console *c, struct screen_inst *s)
{
	struct cases_state *st = xcalloc(1, sizeof *st);

	st->list =
		list_new(cases_columns, CASES_NCOLS, CASES_NHIDDEN, CASES_CREATED, &cases_ops, st);
	list_help(cases_keys, MQ_NITEMS(cases_keys), cases_own_keys);
	s->data = st;
	/*
	 * The three centres of the daily-work menu (民情调处, 政策咨询, 便民服务)
	 * are this screen limited to the categories of one centre. (A search by
	 * words there is checked case by case, newest first, not through
	 * case_find_words(), whose pages would be cut by the centre afterwards.)
	 */
	if (strcmp(s->screen->name, "centre-mediation") == 0)
		st->centre_where = cases_centre_sql("mediation");
	else if (strcmp(s->screen->name, "centre-policy") == 0)
		st->centre_where = cases_centre_sql("policy");
	else if (strcmp(s->screen->name, "centre-service") == 0)
		st->centre_where = cases_centre_sql("service");
	cases_search(c, st, "");
}

static void cases_free(struct screen_inst *s)
{
	struct cases_state *st = s->data;

	if (st == NULL)
		return;
	list_free(st->list);
	free(st->search);
	free(st->params[0]);
	free(st->params[1]);
	free(st);
	s->data = NULL;
}

static const char *cases_kind_label(enum listfmt_query kind)
{
	switch (kind) {
	case LISTFMT_Q_CASE_NO:
		return _("case number");
	case LISTFMT_Q_SERIAL:
		return _("serial number");
	case LISTFMT_Q_PHONE:
		return _("phone");
	case LISTFMT_Q_WORDS:
		return _("words");
	default:
		return "";
	}
}

static void cases_draw(struct console *c MQ_UNUSED, struct screen_inst *s, int top, int height)
{
	struct cases_state *st = s->data;
	char count[32];

	snprintf(count, sizeof count, "%zu%s", list_count(st->list),
		 list_complete(st->list) ? "" : "+");
	if (st->prompting) {
		tty_putf(top, 1, COLS - 2, -1, TTY_INPUT_FOCUS, "%s %s▏", _("Find:"), st->typed);
		tty_put(top + 1, 1, COLS - 2, -1, TTY_HINT,
			_("A case number (LW-…, or its last digits), a mobile number, or two "
			  "or more characters of the title, content or name; Enter finds, Esc "
			  "cancels."));
		list_draw(st->list, top + 2, 0, height - 2, COLS);
		return;
	}
	if (st->kind == LISTFMT_Q_EMPTY)
		tty_putf(top, 1, COLS - 2, -1, TTY_HEADING,
			 _("%s   all cases, newest first   Cases: %s"), s->title, count);
	else
		tty_putf(top, 1, COLS - 2, -1, TTY_HEADING, _("%s   Found by %s: %s   Cases: %s"),
			 s->title, cases_kind_label(st->kind), st->search, count);
	list_draw(st->list, top + 1, 0, height - 1, COLS);
}

/* Keys while the search line is typed. */
static enum key_result cases_prompt_key(struct console *c, struct cases_state *st, key_code key)
{
	size_t len = strlen(st->typed);
	char buf[MB_LEN_MAX];
	int n;

	switch (key) {
	case KEYC_ESCAPE:
		st->prompting = false;
		return SCREEN_HANDLED;
	case '\r':
	case '\n':
	case KEYC_F(KEY_ENTER):
		st->prompting = false;
		cases_search(c, st, st->typed);
		return SCREEN_HANDLED;
	case KEYC_F(KEY_BACKSPACE):
	case 127:
	case KEYC_CTRL('H'):
		while (len > 0 && ((unsigned char)st->typed[--len] & 0xC0) == 0x80)
			;
		st->typed[len] = '\0';
		return SCREEN_HANDLED;
	case KEYC_CTRL('U'):
		st->typed[0] = '\0';
		return SCREEN_HANDLED;
	default:
		break;
	}
	if ((key & KEYC_FUNCTION) != 0 || key < 0x20 || key == 0x7f)
		return SCREEN_HANDLED;
	n = wctomb(buf, (wchar_t)key);
	if (n > 0 && len + (size_t)n < sizeof st->typed) {
		memcpy(st->typed + len, buf, (size_t)n);
		st->typed[len + (size_t)n] = '\0';
	}
	return SCREEN_HANDLED;
}

static enum key_result cases_key(struct console *c, struct screen_inst *s, key_code key)
{
	struct cases_state *st = s->data;
	enum key_result r;

	if (st->prompting)
		return cases_prompt_key(c, st, key);
	r = list_key(c, st->list, key);
	if (r != SCREEN_IGNORED)
		return r;
	if (key == 'f' || key == KEYC_CTRL('F')) {
		st->prompting = true;
		return SCREEN_HANDLED;
	}
	return SCREEN_IGNORED;
}

const struct screen screen_cases = {
	.name = "cases",
	.init = cases_init,
	.free = cases_free,
	.draw = cases_draw,
	.key = cases_key,
	.keys = cases_keys,
	.hint = N_("f find  Enter open  / filter  s sort  r refresh  Esc back  ? help"),
};

/* The centres (民情调处中心, 政策咨询中心, 便民服务中心): cases of one centre. */

const struct screen screen_centre_mediation = {
	.name = "centre-mediation",
	.init = cases_init,
	.free = cases_free,
	.draw = cases_draw,
	.key = cases_key,
	.keys = cases_keys,
	.hint = N_("f find  Enter open  / filter  s sort  r refresh  Esc back  ? help"),
};

const struct screen screen_centre_policy = {
	.name = "centre-policy",
	.init = cases_init,
	.free = cases_free,
	.draw = cases_draw,
	.key = cases_key,
	.keys = cases_keys,
	.hint = N_("f find  Enter open  / filter  s sort  r refresh  Esc back  ? help"),
};

const struct screen screen_centre_service = {
	.name = "centre-service",
	.init = cases_init,
	.free = cases_free,
	.draw = cases_draw,
	.key = cases_key,
	.keys = cases_keys,
	.hint = N_("f find  Enter open  / filter  s sort  r refresh  Esc back  ? help"),
};
