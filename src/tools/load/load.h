/*
 * mq-load, the load driver (docs/operations.md, "Load"): many sessions of
 * the district's people at once, each one libpq connection holding its
 * LISTEN as the console's does, all in one process over libpq's
 * asynchronous API and one poll(). Each session plays a role (a station
 * terminal, an information officer, a supervisor, a public kiosk) screen
 * after screen, with think time between them, and runs the statements the
 * console runs for those screens: built from the same view and form files
 * by the console's own builders (viewfmt.c, mq_form_build_call), under the
 * console's names for them (minqing --debug-timing).
 *
 *   main.c     options, the roster of accounts, the loop, the exit code
 *   session.c  a session: connecting, its steps of statements, results,
 *              errors, notifications and what the console re-reads on them
 *   screens.c  the screens (views, records, forms, the case screen) and
 *              what each role does with them
 *   report.c   the figures: round trips, server times read from the
 *              server's log, errors by SQLSTATE, memory per session
 */
#ifndef MQ_LOAD_H
#define MQ_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libpq-fe.h>

#include "mq/form.h"
#include "mq/view.h"
#include "pace.h" /* the console's pace for others' changes */
#include "viewfmt.h"

/* What a session is at a terminal (the roster, main.c). */
enum load_role { ROLE_STATION, ROLE_OFFICER, ROLE_SUPERVISOR, ROLE_KIOSK, ROLE_COUNT };

/* One account at one terminal: the strings are owned by the roster. */
struct load_seat {
	enum load_role role;
	char *login;
	char *station; /* a station terminal's station_id, else NULL */
	char *here;    /* the unit a case is dispatched to when kept here (NULL: none) */
	char *up;      /* the town above a village, else NULL */
};

/* Figures gathered for one kind of statement (report.c). */
struct load_samples {
	double *v; /* milliseconds */
	size_t n, cap;
};

struct load_kind {
	char *name; /* the console's name: inbox.first, case.row, case_accept, tx.commit ... */
	long count, errors;
	struct load_samples rtt, server;
};

/* Errors by SQLSTATE and statement kind, with the first message seen. */
struct load_error {
	char sqlstate[6];
	int kind;
	long n;
	char *message;
};

/* A screen of a role (screens.c): its weight among the role's, and what it does. */
struct load_session;
enum load_step { STEP_RUN, STEP_THINK, STEP_DONE };
struct load_action {
	const char *name;
	int weight;
	enum load_step (*run)(struct load_session *s);
	const char *view; /* the view it opens, for the screens that browse one */
};
struct load_role_def {
	const char *name;
	const struct load_action *actions;
	size_t nactions;
};
extern const struct load_role_def load_roles[ROLE_COUNT];

/* A view opened on a session's screen stack, as the console's view screen keeps it. */
#define LOAD_MAX_GIVEN  8
#define LOAD_MAX_GROUPS 8
struct load_view {
	const struct mq_view *v;
	struct view_given given[LOAD_MAX_GIVEN]; /* strings owned */
	size_t ngiven;
	int choice[LOAD_MAX_GROUPS];
	char *query; /* owned; NULL: no search */
	bool opened; /* a record's on_open was called */
};

/* One statement of a step, owned by the session until the step is over. */
struct load_stmt {
	int kind;
	char *sql;
	char **params;
	int nparams;
};

/* What a statement sent was, to find its server time in the log (report.c). */
struct load_sent {
	int kind;
	uint64_t hash; /* FNV-1a of the SQL text */
};

enum load_state {
	SESS_WAITING,    /* not connected yet: its start is spread over the ramp */
	SESS_CONNECTING, /* PQconnectPoll */
	SESS_BUSY,       /* a step's statement is on the wire */
	SESS_IDLE,       /* thinking, listening */
	SESS_CLOSED,
};

/* What is on top of the session's screen, for what a notification makes it read again. */
enum load_top { TOP_MENU, TOP_LIST, TOP_CASE };

#define LOAD_MAX_STMTS 8
#define LOAD_MAX_VIEWS 4
#define LOAD_TEXT      128

struct load_session {
	struct load *L;
	int idx;
	const struct load_seat *seat;
	PGconn *conn;
	int pid;
	enum load_state state;
	PostgresPollingStatusType connect_poll;
	bool want_write; /* PQflush said more is to be sent */
	uint64_t rng;    /* think times, rows, texts */
	uint64_t rng_action;
	double start_at, wake_at, sent_at;

	/* whoami() */
	char unit_name[LOAD_TEXT], display_name[LOAD_TEXT], duty[16];

	/* The step being run: its statements and their results (freed by the next step). */
	struct load_stmt q[LOAD_MAX_STMTS];
	PGresult *res[LOAD_MAX_STMTS];
	int nq, iq;
	bool follow_step; /* the step is a re-read the console makes on a notification */
	bool aborting;    /* the step is the rollback of a failed one */

	/* The screen being played (screens.c). */
	int action; /* index in its role's actions; -1: the session's set-up */
	int pc;     /* where its script resumes (screens.c) */
	int nactions_done;
	int nfirst;      /* screens of the first round (each of the role's once) chosen */
	int acts;        /* steps taken on the case in hand, rows opened */
	int shown;       /* the index of the step's main read (screens.c, show()) */
	bool shown_case; /* ... and it is the case screen's */
	int follow_what; /* what a follow-up step reads (screens.c) */
	struct load_view views[LOAD_MAX_VIEWS];
	int nviews;
	PGresult *list; /* the list the person looks at (owned) */
	PGresult *record;
	long long case_id;
	int row_version;
	char text[LOAD_TEXT]; /* a value carried from one screen to the next */

	/* What the console does on a notification (console.c): coalesced re-reads. */
	enum load_top top;
	bool top_stale, pending_stale, news_stale;
	double top_at, news_at;
	long pending_next; /* count again no sooner (console.c: CONSOLE_PENDING_SECONDS) */
	long relay_next;   /* relay the case news no sooner (console.c: CONSOLE_RELAY_SECONDS) */
	bool relay_due;    /* after its own change: at once, as the console */
	char news_after[24], urge_after[24];

	struct load_sent *sent;
	size_t nsent, capsent;
	long notifications;
};

struct load {
	/* options */
	int nsessions;
	double duration, ramp, think_min, think_max;
	uint64_t seed;
	bool follow, check;
	const char *server_log;
	int mix[ROLE_COUNT];
	bool skip[ROLE_COUNT][16]; /* screens left out (--skip) */

	struct mq_view **views;
	size_t nviews;
	struct mq_form **forms;
	size_t nforms;

	struct load_seat *roster; /* one cycle of seats, in the order sessions take them */
	size_t nroster;
	struct load_session *sessions;

	struct load_kind *kinds;
	int nkinds, capkinds;
	struct load_error *errors;
	size_t nerrors, caperrors;
	long actions_done[ROLE_COUNT][16];
	long statements, notifications, connect_failures, lost;
	long server_matched, server_unmatched;
	double t0, stop_at;
	bool stopping;
	long server_log_from; /* the log's size when the run started */
	/* memory of the sessions' backends at the end (report.c), kB summed */
	long mem_sessions;
	long long mem_rss, mem_pss, mem_private;
	double server_cpu; /* their CPU time, seconds */
};

/* main.c */
double load_now(void);
uint64_t load_rand(uint64_t *state);
double load_uniform(uint64_t *state);

/* session.c */
int load_kind_id(struct load *L, const char *name);
void load_add(struct load_session *s, const char *kind, const char *sql, int nparams,
	      const char *const *params);
void load_session_start(struct load_session *s);
void load_session_event(struct load_session *s, short revents);
void load_session_tick(struct load_session *s, double now);
short load_session_events(const struct load_session *s);
void load_session_close(struct load_session *s);

/* screens.c */
void load_view_clear(struct load_view *lv);
enum load_step load_setup(struct load_session *s);
enum load_step load_follow(struct load_session *s, double now);
void load_follow_done(struct load_session *s);
void load_views_clear(struct load_session *s);
int load_screens_check(struct load *L, char **cause);

/* report.c */
void load_sample(struct load_samples *sm, double ms);
void load_error_count(struct load *L, int kind, const char *sqlstate, const char *message);
void load_memory(struct load *L); /* and the backends' CPU time */
int load_server_times(struct load *L, char **cause);
void load_report(struct load *L, FILE *out);
int load_checks(struct load *L, FILE *out);
void load_free_figures(struct load *L);
uint64_t load_hash(const char *s, size_t n);

#endif
