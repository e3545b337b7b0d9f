/*
 * A session of mq-load: one libpq connection in non-blocking mode, driven
 * by main.c's poll() loop. It connects (PQconnectStartParams and
 * PQconnectPoll), then runs its screens (screens.c) as steps: a step is the
 * statements the console runs for one key press, sent one after another
 * (PQsendQueryParams), each timed from its sending to its last result.
 * Between steps the person thinks; meanwhile the session reads its
 * notifications (PQconsumeInput, PQnotifies) and, as the console does,
 * reads again what they make stale (screens.c, load_follow).
 *
 * A statement that fails is counted by its SQLSTATE; the screen is given
 * up (a transaction left failed is rolled back first, as the console's
 * form does) and the person goes on to the next after thinking.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "mq/common.h"

/* A connection that has not come up in this long is a failure. */
#define CONNECT_TIMEOUT 30.0

int load_kind_id(struct load *L, const char *name)
{
	int i;

	for (i = 0; i < L->nkinds; i++)
		if (strcmp(L->kinds[i].name, name) == 0)
			return i;
	if (L->nkinds == L->capkinds) {
		L->capkinds = L->capkinds == 0 ? 64 : 2 * L->capkinds;
		L->kinds = xrealloc(L->kinds, (size_t)L->capkinds * sizeof *L->kinds);
	}
	memset(&L->kinds[L->nkinds], 0, sizeof *L->kinds);
	L->kinds[L->nkinds].name = xstrdup(name);
	return L->nkinds++;
}

void load_add(struct load_session *s, const char *kind, const char *sql, int nparams,
	      const char *const *params)
{
	struct load_stmt *st;
	int i;

	if (s->nq == LOAD_MAX_STMTS)
		fatal("mq-load: more than %d statements in one step", LOAD_MAX_STMTS);
	st = &s->q[s->nq++];
	st->kind = load_kind_id(s->L, kind);
	st->sql = xstrdup(sql);
	st->nparams = nparams;
	st->params = xcalloc((size_t)nparams + 1, sizeof *st->params);
	for (i = 0; i < nparams; i++)
		st->params[i] = params[i] != NULL ? xstrdup(params[i]) : NULL;
}

static void step_free_statements(struct load_session *s)
{
	int i, k;

	for (i = 0; i < s->nq; i++) {
		for (k = 0; k < s->q[i].nparams; k++)
			free(s->q[i].params[k]);
		free(s->q[i].params);
		free(s->q[i].sql);
	}
	s->nq = s->iq = 0;
}

static void step_free_results(struct load_session *s)
{
	int i;

	for (i = 0; i < LOAD_MAX_STMTS; i++) {
		PQclear(s->res[i]);
		s->res[i] = NULL;
	}
}

/* The connection is gone (the server closed it, or a send failed): counted on what was sent. */
static void session_lost(struct load_session *s)
{
	struct load *L = s->L;

	L->lost++;
	load_error_count(
		L, load_kind_id(L, s->nq > 0 ? L->kinds[s->q[s->iq].kind].name : "session.idle"),
		"08006", PQerrorMessage(s->conn));
	step_free_statements(s);
	load_session_close(s);
}

static void stmt_send(struct load_session *s)
{
	struct load_stmt *st = &s->q[s->iq];
	int rc;

	if (s->nsent == s->capsent) {
		s->capsent = s->capsent == 0 ? 256 : 2 * s->capsent;
		s->sent = xrealloc(s->sent, s->capsent * sizeof *s->sent);
	}
	s->sent[s->nsent].kind = st->kind;
	s->sent[s->nsent++].hash = load_hash(st->sql, strlen(st->sql));
	s->sent_at = load_now();
	s->state = SESS_BUSY;
	s->L->statements++;
	if (!PQsendQueryParams(s->conn, st->sql, st->nparams, NULL, (const char *const *)st->params,
			       NULL, NULL, 0)) {
		session_lost(s);
		return;
	}
	rc = PQflush(s->conn);
	if (rc < 0)
		session_lost(s);
	else
		s->want_write = rc == 1;
}

/* Send the step queued by a script (load_add): the first statement now. */
static void step_start(struct load_session *s)
{
	step_free_results(s);
	s->iq = 0;
	stmt_send(s);
}

static void session_think(struct load_session *s)
{
	struct load *L = s->L;

	s->state = SESS_IDLE;
	s->wake_at =
		load_now() + L->think_min + (L->think_max - L->think_min) * load_uniform(&s->rng);
}

/* The screen is over (done, or given up): the next one after thinking. */
static void session_screen_over(struct load_session *s)
{
	s->action = -2;
	s->pc = 0;
	session_think(s);
}

/*
 * The next screen: each of the role's once first (from a place of the
 * session's own), then by weight; never one left out (--skip).
 */
static void session_choose(struct load_session *s)
{
	const struct load_role_def *r = &load_roles[s->seat->role];
	const bool *skip = s->L->skip[s->seat->role];
	int total = 0, pick;
	size_t i;

	for (; (size_t)s->nfirst < r->nactions; s->nfirst++) {
		i = ((size_t)s->idx + (size_t)s->nfirst) % r->nactions;
		if (!skip[i]) {
			s->nfirst++;
			s->action = (int)i;
			return;
		}
	}
	for (i = 0; i < r->nactions; i++)
		total += skip[i] ? 0 : r->actions[i].weight;
	pick = (int)(load_rand(&s->rng_action) % (uint64_t)total);
	for (i = 0; i < r->nactions; i++) {
		if (skip[i])
			continue;
		if (pick < r->actions[i].weight)
			break;
		pick -= r->actions[i].weight;
	}
	s->action = (int)i;
}

/* Run the script on until it has sent a step, thinks or is done. */
static void session_run(struct load_session *s)
{
	const struct load_role_def *r = &load_roles[s->seat->role];
	enum load_step step;

	for (;;) {
		if (s->action == -1)
			step = load_setup(s);
		else
			step = r->actions[s->action].run(s);
		if (step == STEP_RUN) {
			if (s->nq == 0)
				continue; /* nothing to read: on at once */
			step_start(s);
			return;
		}
		if (step == STEP_THINK) {
			session_think(s);
			return;
		}
		if (s->action >= 0) {
			s->L->actions_done[s->seat->role][s->action]++;
			s->nactions_done++;
		}
		session_screen_over(s);
		return;
	}
}

/* A step failed: the screen is given up, a failed transaction rolled back first. */
static void step_failed(struct load_session *s)
{
	step_free_statements(s);
	if (PQtransactionStatus(s->conn) == PQTRANS_INERROR) {
		load_add(s, "tx.rollback", "ROLLBACK", 0, NULL);
		s->aborting = true;
		step_start(s);
		return;
	}
	if (s->follow_step) {
		s->follow_step = false;
		s->state = SESS_IDLE;
		return;
	}
	/* The set-up goes on without what failed, as the console does. */
	if (s->action == -1) {
		session_run(s);
		return;
	}
	if (s->action >= 0)
		s->nactions_done++;
	session_screen_over(s);
}

static void step_done(struct load_session *s)
{
	step_free_statements(s);
	if (s->aborting) { /* the rollback after a failure */
		s->aborting = false;
		if (s->follow_step) {
			s->follow_step = false;
			s->state = SESS_IDLE;
			return;
		}
		if (s->action >= 0)
			s->nactions_done++;
		session_screen_over(s);
		return;
	}
	if (s->follow_step) {
		s->follow_step = false;
		load_follow_done(s);
		s->state = SESS_IDLE;
		return;
	}
	if (s->L->stopping) {
		s->state = SESS_IDLE;
		return;
	}
	session_run(s);
}

/* A statement's results: the last one kept, its time and its error counted. */
static void stmt_results(struct load_session *s)
{
	struct load *L = s->L;
	struct load_stmt *st = &s->q[s->iq];
	struct load_kind *k = &L->kinds[st->kind];
	PGresult *r;
	bool failed = false;
	double ms;

	while (!PQisBusy(s->conn)) {
		r = PQgetResult(s->conn);
		if (r == NULL) {
			ms = (load_now() - s->sent_at) * 1000.0;
			k->count++;
			load_sample(&k->rtt, ms);
			if (s->res[s->iq] == NULL ||
			    (PQresultStatus(s->res[s->iq]) != PGRES_TUPLES_OK &&
			     PQresultStatus(s->res[s->iq]) != PGRES_COMMAND_OK))
				failed = true;
			if (failed) {
				const PGresult *e = s->res[s->iq];
				const char *state =
					e != NULL ? PQresultErrorField(e, PG_DIAG_SQLSTATE) : NULL;

				k->errors++;
				load_error_count(L, st->kind, state != NULL ? state : "XX000",
						 e != NULL ? PQresultErrorMessage(e)
							   : PQerrorMessage(s->conn));
				step_failed(s);
				return;
			}
			if (++s->iq < s->nq)
				stmt_send(s);
			else
				step_done(s);
			return;
		}
		PQclear(s->res[s->iq]);
		s->res[s->iq] = r;
	}
}

/* Notifications that arrived (with a result or alone): what the console marks stale. */
static void session_notifies(struct load_session *s)
{
	PGnotify *n;

	while ((n = PQnotifies(s->conn)) != NULL) {
		s->notifications++;
		s->L->notifications++;
		if (strcmp(n->relname, "minqing_case") == 0) {
			long long id = atoll(n->extra);

			s->pending_stale = true;
			s->news_stale = true;
			/* A list re-reads on any; a case on its own id or on none. */
			if (s->top == TOP_LIST ||
			    (s->top == TOP_CASE && (id <= 0 || id == s->case_id)))
				s->top_stale = true;
		}
		PQfreemem(n);
	}
}

static void session_connected(struct load_session *s)
{
	if (PQsetnonblocking(s->conn, 1) != 0) {
		session_lost(s);
		return;
	}
	s->pid = PQbackendPID(s->conn);
	s->action = -1;
	s->pc = 0;
	session_run(s);
}

static void session_connect_failed(struct load_session *s, const char *why)
{
	struct load *L = s->L;

	if (L->connect_failures++ == 0)
		mq_warnx("cannot connect as %s: %s", s->seat->login, why);
	load_session_close(s);
}

void load_session_start(struct load_session *s)
{
	const char *keys[] = {"user", "application_name", NULL};
	const char *vals[] = {s->seat->login, "mq-load", NULL};

	s->conn = PQconnectStartParams(keys, vals, 0);
	s->start_at = load_now();
	if (s->conn == NULL) {
		session_connect_failed(s, "out of memory");
		return;
	}
	if (PQstatus(s->conn) == CONNECTION_BAD) {
		session_connect_failed(s, PQerrorMessage(s->conn));
		return;
	}
	s->state = SESS_CONNECTING;
	s->connect_poll = PGRES_POLLING_WRITING;
}

short load_session_events(const struct load_session *s)
{
	switch (s->state) {
	case SESS_CONNECTING:
		return s->connect_poll == PGRES_POLLING_READING ? POLLIN : POLLOUT;
	case SESS_BUSY:
		return (short)(POLLIN | (s->want_write ? POLLOUT : 0));
	case SESS_IDLE:
		return POLLIN;
	default:
		return 0;
	}
}

void load_session_event(struct load_session *s, short revents)
{
	if (s->state == SESS_CONNECTING) {
		s->connect_poll = PQconnectPoll(s->conn);
		if (s->connect_poll == PGRES_POLLING_OK)
			session_connected(s);
		else if (s->connect_poll == PGRES_POLLING_FAILED)
			session_connect_failed(s, PQerrorMessage(s->conn));
		return;
	}
	if (s->state == SESS_BUSY && s->want_write && (revents & POLLOUT) != 0) {
		int rc = PQflush(s->conn);

		if (rc < 0) {
			session_lost(s);
			return;
		}
		s->want_write = rc == 1;
	}
	if ((revents & (POLLIN | POLLHUP | POLLERR)) == 0)
		return;
	if (!PQconsumeInput(s->conn)) {
		session_lost(s);
		return;
	}
	if (s->state == SESS_BUSY)
		stmt_results(s);
	if (s->state != SESS_CLOSED)
		session_notifies(s);
}

void load_session_tick(struct load_session *s, double now)
{
	struct load *L = s->L;

	switch (s->state) {
	case SESS_WAITING:
		if (now >= s->start_at && !L->stopping)
			load_session_start(s);
		return;
	case SESS_CONNECTING:
		if (now - s->start_at > CONNECT_TIMEOUT)
			session_connect_failed(s, "timed out");
		return;
	case SESS_IDLE:
		if (L->stopping)
			return;
		/* What the console reads again on notifications, between key presses. */
		if (L->follow && load_follow(s, now) == STEP_RUN && s->nq > 0) {
			s->follow_step = true;
			step_start(s);
			return;
		}
		if (now < s->wake_at)
			return;
		if (s->action == -2)
			session_choose(s);
		session_run(s);
		return;
	default:
		return;
	}
}

void load_session_close(struct load_session *s)
{
	step_free_results(s);
	PQfinish(s->conn);
	s->conn = NULL;
	s->state = SESS_CLOSED;
}
