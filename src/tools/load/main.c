/*
 * mq-load: the district at once (docs/operations.md, "Load"). See load.h.
 *
 *   mq-load [--sessions N] [--duration S] [--ramp S] [--think MIN-MAX]
 *           [--seed N] [--mix station=N,officer=N,supervisor=N,kiosk=N]
 *           [--skip SCREEN,...]
 *           [--server-log FILE] [--no-follow] [--check] [--forms DIR]
 *
 * The database is libpq's (PGHOST, PGPORT, PGDATABASE). The roster is read
 * as PGUSER (a superuser or the schema's owner: it reads the staff and the
 * stations); each session connects as its account over the same host.
 * Exit codes: 0, 1 (--check found a fault, or no session could run), 2 (a
 * bad argument), 3 (a connection failed).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "load.h"
#include "mq/common.h"

static volatile sig_atomic_t load_signalled;

static void load_on_signal(int sig)
{
	load_signalled = sig;
}

double load_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* splitmix64: small, fast, and the same sequence for the same seed everywhere. */
uint64_t load_rand(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

double load_uniform(uint64_t *state)
{
	return (double)(load_rand(state) >> 11) * 0x1.0p-53;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: mq-load [options]\n"
		"  -s, --sessions N        sessions at once (default 400)\n"
		"  -d, --duration S        seconds of the run (default 120)\n"
		"      --ramp S            connections spread over S seconds (default: one per\n"
		"                          25 ms, at most 10 s)\n"
		"      --think MIN-MAX     a person's seconds between screens (default 1-5)\n"
		"      --seed N            the choices and think times (default 1)\n"
		"      --mix ROLE=N,...    seats per cycle of the roster: station (a station's\n"
		"                          terminal, as its responsible handler), officer,\n"
		"                          supervisor, kiosk (default station=255,officer=100,\n"
		"                          supervisor=20,kiosk=11)\n"
		"      --skip SCREEN,...   screens left out (NAME or ROLE.NAME; see the report's\n"
		"                          \"screens done\" line)\n"
		"      --server-log FILE   the server's log (log_min_duration_statement = 0,\n"
		"                          log_line_prefix '%%m [%%p] '): server times\n"
		"      --no-follow         no re-reading on notifications (the console does)\n"
		"      --check             exit 1 on an error other than 40001, a deadlock, a\n"
		"                          screen never played, or no notification\n"
		"      --forms DIR         the form and view files (default: the programs')\n"
		"  -h, --help\n"
		"The database is libpq's (PGHOST, PGPORT, PGDATABASE); the roster is read as\n"
		"PGUSER, each session connects as its own account.\n");
}

static bool parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool parse_seconds(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool parse_think(struct load *L, const char *arg)
{
	char *copy = xstrdup(arg), *dash = strchr(copy, '-');
	bool ok;

	if (dash == NULL) {
		ok = parse_seconds(copy, 0, 3600, &L->think_min);
		L->think_max = L->think_min;
	} else {
		*dash = '\0';
		ok = parse_seconds(copy, 0, 3600, &L->think_min) &&
		     parse_seconds(dash + 1, 0, 3600, &L->think_max) &&
		     L->think_min <= L->think_max;
	}
	free(copy);
	return ok;
}

static bool parse_mix(struct load *L, const char *arg)
{
	char *copy = xstrdup(arg), *save = NULL, *item, *eq;
	bool ok = true;
	long n;
	int r;

	memset(L->mix, 0, sizeof L->mix);
	for (item = strtok_r(copy, ",", &save); ok && item != NULL;
	     item = strtok_r(NULL, ",", &save)) {
		ok = (eq = strchr(item, '=')) != NULL;
		if (!ok)
			break;
		*eq = '\0';
		for (r = 0; r < ROLE_COUNT && strcmp(load_roles[r].name, item) != 0; r++)
			;
		ok = r < ROLE_COUNT && parse_int(eq + 1, 0, 100000, &n);
		if (ok)
			L->mix[r] = (int)n;
	}
	free(copy);
	return ok;
}

/* --skip SCREEN,...: a screen's name (of whichever roles have it), or ROLE.SCREEN. */
static bool parse_skip(struct load *L, const char *arg)
{
	char *copy = xstrdup(arg), *save = NULL, *item, *dot;
	bool ok = true, found;
	size_t r, i;

	for (item = strtok_r(copy, ",", &save); ok && item != NULL;
	     item = strtok_r(NULL, ",", &save)) {
		dot = strchr(item, '.');
		found = false;
		for (r = 0; r < ROLE_COUNT; r++)
			for (i = 0; i < load_roles[r].nactions; i++)
				if (dot != NULL ? strncmp(item, load_roles[r].name,
							  (size_t)(dot - item)) == 0 &&
							  load_roles[r].name[dot - item] == '\0' &&
							  strcmp(dot + 1,
								 load_roles[r].actions[i].name) == 0
						: strcmp(item, load_roles[r].actions[i].name) == 0)
					found = L->skip[r][i] = true;
		ok = found;
	}
	for (r = 0; ok && r < ROLE_COUNT; r++) {
		for (i = 0; i < load_roles[r].nactions && L->skip[r][i]; i++)
			;
		ok = i < load_roles[r].nactions; /* a role keeps one screen at least */
	}
	free(copy);
	return ok;
}

static int bad_arg(const char *what, const char *value)
{
	mq_warnx("bad %s: %s (see --help)", what, value);
	return MQ_EXIT_USAGE;
}

static int parse_args(struct load *L, int argc, char **argv, const char **forms)
{
	static const struct option longs[] = {
		{"sessions", required_argument, NULL, 's'},
		{"duration", required_argument, NULL, 'd'},
		{"ramp", required_argument, NULL, 'r'},
		{"think", required_argument, NULL, 't'},
		{"seed", required_argument, NULL, 'S'},
		{"mix", required_argument, NULL, 'm'},
		{"skip", required_argument, NULL, 'k'},
		{"server-log", required_argument, NULL, 'l'},
		{"no-follow", no_argument, NULL, 'F'},
		{"check", no_argument, NULL, 'c'},
		{"forms", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long n;
	int opt;

	while ((opt = getopt_long(argc, argv, "s:d:h", longs, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (!parse_int(optarg, 1, 10000, &n))
				return bad_arg("number of sessions (1-10000)", optarg);
			L->nsessions = (int)n;
			break;
		case 'd':
			if (!parse_seconds(optarg, 0.1, 86400, &L->duration))
				return bad_arg("duration (seconds)", optarg);
			break;
		case 'r':
			if (!parse_seconds(optarg, 0, 3600, &L->ramp))
				return bad_arg("ramp (seconds)", optarg);
			break;
		case 't':
			if (!parse_think(L, optarg))
				return bad_arg("think time (MIN-MAX seconds)", optarg);
			break;
		case 'S':
			if (!parse_int(optarg, 0, 2147483647L, &n))
				return bad_arg("seed", optarg);
			L->seed = (uint64_t)n;
			break;
		case 'm':
			if (!parse_mix(L, optarg))
				return bad_arg("mix (station=N,officer=N,supervisor=N,kiosk=N)",
					       optarg);
			break;
		case 'k':
			if (!parse_skip(L, optarg))
				return bad_arg("screens to skip (a role keeps one at least)",
					       optarg);
			break;
		case 'l':
			L->server_log = optarg;
			break;
		case 'F':
			L->follow = false;
			break;
		case 'c':
			L->check = true;
			break;
		case 'f':
			*forms = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(MQ_EXIT_OK);
		default:
			usage(stderr);
			return MQ_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return bad_arg("argument", argv[optind]);
	return MQ_EXIT_OK;
}

/* --- the roster ---------------------------------------------------------------------------- */

/*
 * The accounts of each role: a station terminal is logged in as the
 * station's responsible handler (the demo district has no login of a
 * station's own), with where its cases are dispatched when kept (its unit,
 * or the town of a town's agency, or the first department for a district's
 * agency, which cannot take a case) and the town above a village.
 */
static const char roster_sql[] =
	"SELECT 0 AS role, st.code AS ord, s.login, st.station_id::text AS station,"
	"       CASE WHEN u.kind IN ('village', 'community', 'town', 'street', 'department')"
	"            THEN u.code WHEN p.kind IN ('town', 'street') THEN p.code"
	"            ELSE (SELECT d.code FROM minqing.org_unit d WHERE d.kind = 'department'"
	"                     AND d.active AND d.district_id = u.district_id"
	"                   ORDER BY d.code LIMIT 1) END AS here,"
	"       CASE WHEN u.kind IN ('village', 'community') AND p.kind IN ('town', 'street')"
	"            THEN p.code END AS up"
	"  FROM minqing.station st"
	"  JOIN minqing.staff s ON s.staff_id = st.responsible_staff_id"
	"  JOIN minqing.org_unit u ON u.unit_id = s.unit_id"
	"  LEFT JOIN minqing.org_unit p ON p.unit_id = u.parent_id"
	" WHERE st.active AND st.kind <> 'central' AND s.active AND s.duty = 'handler'"
	" UNION ALL "
	"SELECT CASE s.duty WHEN 'officer' THEN 1 WHEN 'supervisor' THEN 2 ELSE 3 END,"
	"       s.login, s.login, NULL, NULL, NULL FROM minqing.staff s"
	" WHERE s.active AND s.duty IN ('officer', 'supervisor', 'kiosk')"
	" ORDER BY 1, 2";

static char *dup_or_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

/*
 * One cycle of seats: L->mix[r] of role r, each role's accounts taken in
 * turn, the roles interleaved (smooth weighted round robin after one seat
 * of each) so that a few sessions have every role and many keep the mix.
 */
static int roster_build(struct load *L, const PGresult *res, char **cause)
{
	int first[ROLE_COUNT], count[ROLE_COUNT], next[ROLE_COUNT] = {0}, cur[ROLE_COUNT] = {0};
	int left[ROLE_COUNT], total = 0, i, r, best;
	bool started[ROLE_COUNT] = {false};

	for (r = 0; r < ROLE_COUNT; r++)
		first[r] = count[r] = 0;
	for (i = PQntuples(res) - 1; i >= 0; i--) {
		r = atoi(PQgetvalue(res, i, 0));
		first[r] = i;
		count[r]++;
	}
	for (r = 0; r < ROLE_COUNT; r++) {
		if (count[r] == 0 && L->mix[r] > 0) {
			mq_warnx("no %s account in the database: none of them in the mix",
				 load_roles[r].name);
			L->mix[r] = 0;
		}
		left[r] = L->mix[r];
		total += L->mix[r];
	}
	if (total == 0)
		return mq_fail(cause, "no account to play: the mix is empty");
	L->roster = xcalloc((size_t)total, sizeof *L->roster);
	for (L->nroster = 0; L->nroster < (size_t)total; L->nroster++) {
		struct load_seat *seat = &L->roster[L->nroster];
		int row;

		best = -1;
		for (r = 0; r < ROLE_COUNT && best < 0; r++)
			if (left[r] > 0 && !started[r])
				best = r;
		if (best < 0) {
			for (r = 0; r < ROLE_COUNT; r++)
				if (left[r] > 0 &&
				    ((cur[r] += L->mix[r]), best < 0 || cur[r] > cur[best]))
					best = r;
			cur[best] -= total;
		}
		started[best] = true;
		left[best]--;
		row = first[best] + next[best]++ % count[best];
		seat->role = (enum load_role)best;
		seat->login = xstrdup(PQgetvalue(res, row, 2));
		seat->station = dup_or_null(res, row, 3);
		seat->here = dup_or_null(res, row, 4);
		seat->up = dup_or_null(res, row, 5);
	}
	return 0;
}

static int roster_read(struct load *L, char **cause)
{
	const char *keys[] = {"fallback_application_name", NULL}, *vals[] = {"mq-load", NULL};
	PGconn *conn = PQconnectdbParams(keys, vals, 0);
	PGresult *res;
	int rc;

	if (PQstatus(conn) != CONNECTION_OK) {
		mq_fail(cause, "cannot connect: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return MQ_EXIT_CONNECT;
	}
	res = PQexec(conn, roster_sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		mq_fail(cause, "cannot read the staff and stations (as %s): %s", PQuser(conn),
			PQresultErrorMessage(res));
		PQclear(res);
		PQfinish(conn);
		return MQ_EXIT_FAILURE;
	}
	rc = roster_build(L, res, cause) == 0 ? MQ_EXIT_OK : MQ_EXIT_FAILURE;
	PQclear(res);
	PQfinish(conn);
	return rc;
}

static void roster_free(struct load *L)
{
	size_t i;

	for (i = 0; i < L->nroster; i++) {
		free(L->roster[i].login);
		free(L->roster[i].station);
		free(L->roster[i].here);
		free(L->roster[i].up);
	}
	free(L->roster);
}

/* --- the run ------------------------------------------------------------------------------- */

static void sessions_make(struct load *L)
{
	int i;

	L->sessions = xcalloc((size_t)L->nsessions, sizeof *L->sessions);
	for (i = 0; i < L->nsessions; i++) {
		struct load_session *s = &L->sessions[i];

		s->L = L;
		s->idx = i;
		s->seat = &L->roster[(size_t)i % L->nroster];
		s->state = SESS_WAITING;
		s->action = -2;
		s->rng = L->seed * UINT64_C(0x100000001B3) + (uint64_t)i * 2 + 1;
		s->rng_action = s->rng ^ UINT64_C(0x5DEECE66D);
		s->start_at = L->t0 + (L->nsessions > 1 ? L->ramp * i / (L->nsessions - 1) : 0);
	}
}

static bool sessions_busy(const struct load *L)
{
	int i;

	for (i = 0; i < L->nsessions; i++)
		if (L->sessions[i].state == SESS_BUSY || L->sessions[i].state == SESS_CONNECTING)
			return true;
	return false;
}

/* The loop: every session's due work, then one poll() over every socket. */
static void run(struct load *L)
{
	struct pollfd *fds = xcalloc((size_t)L->nsessions + 1, sizeof *fds);
	int *who = xcalloc((size_t)L->nsessions + 1, sizeof *who);
	double now, wait;
	int i, n;

	for (;;) {
		now = load_now();
		if (!L->stopping && (now >= L->t0 + L->duration || load_signalled != 0 ||
				     L->connect_failures > 0)) {
			L->stopping = true;
			L->stop_at = now;
		}
		/* Stopping: the steps on the wire finish (a transaction is one step). */
		if (L->stopping && (!sessions_busy(L) || now > L->stop_at + 30.0))
			break;
		wait = 0.05;
		for (n = i = 0; i < L->nsessions; i++) {
			struct load_session *s = &L->sessions[i];

			load_session_tick(s, now);
			/* (stopping, nobody wakes: the steps on the wire are waited for) */
			if (s->state == SESS_IDLE && !L->stopping && s->wake_at - now < wait)
				wait = s->wake_at - now;
			if (load_session_events(s) == 0 || PQsocket(s->conn) < 0)
				continue;
			fds[n].fd = PQsocket(s->conn);
			fds[n].events = load_session_events(s);
			fds[n].revents = 0;
			who[n++] = i;
		}
		if (poll(fds, (nfds_t)n, wait > 0 ? (int)(wait * 1000.0) + 1 : 0) < 0 &&
		    errno != EINTR)
			fatal("poll: %s", strerror(errno));
		for (i = 0; i < n; i++)
			if (fds[i].revents != 0)
				load_session_event(&L->sessions[who[i]], fds[i].revents);
	}
	free(fds);
	free(who);
}

static void sessions_free(struct load *L)
{
	int i;

	for (i = 0; i < L->nsessions; i++) {
		struct load_session *s = &L->sessions[i];

		if (s->conn != NULL)
			load_session_close(s);
		load_views_clear(s);
		PQclear(s->list);
		PQclear(s->record);
		free(s->sent);
	}
	free(L->sessions);
}

int main(int argc, char **argv)
{
	struct load L;
	const char *forms_opt = NULL;
	char *forms = NULL, *cause = NULL;
	struct sigaction sa;
	struct stat st;
	int rc;

	mq_progname = "mq-load";
	memset(&L, 0, sizeof L);
	L.nsessions = 400;
	L.duration = 120;
	L.ramp = -1;
	L.think_min = 1;
	L.think_max = 5;
	L.seed = 1;
	L.follow = true;
	L.mix[ROLE_STATION] = 255;
	L.mix[ROLE_OFFICER] = 100;
	L.mix[ROLE_SUPERVISOR] = 20;
	L.mix[ROLE_KIOSK] = 11;
	if ((rc = parse_args(&L, argc, argv, &forms_opt)) != MQ_EXIT_OK)
		return rc;
	if (L.ramp < 0)
		L.ramp = L.nsessions * 0.025 < 10 ? L.nsessions * 0.025 : 10;
	if (L.server_log != NULL) {
		if (stat(L.server_log, &st) != 0) {
			mq_warnx("cannot read the server's log %s: %s", L.server_log,
				 strerror(errno));
			return MQ_EXIT_USAGE;
		}
		L.server_log_from = (long)st.st_size;
	}
	forms = forms_opt != NULL ? xstrdup(forms_opt) : mq_dir_beside_exe("forms");
	if (forms == NULL)
		forms = xstrdup(MQ_DATADIR "/forms");
	if (mq_views_load_dir(forms, &L.views, &L.nviews, &cause) != 0 ||
	    mq_forms_load_dir(forms, &L.forms, &L.nforms, &cause) != 0 ||
	    load_screens_check(&L, &cause) != 0) {
		mq_warnx("%s: %s", forms, cause);
		free(cause);
		free(forms);
		mq_views_free(L.views, L.nviews);
		mq_forms_free(L.forms, L.nforms);
		return MQ_EXIT_USAGE;
	}
	free(forms);
	if ((rc = roster_read(&L, &cause)) != MQ_EXIT_OK) {
		mq_warnx("%s", cause);
		free(cause);
		roster_free(&L);
		mq_views_free(L.views, L.nviews);
		mq_forms_free(L.forms, L.nforms);
		return rc;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = load_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	L.t0 = load_now();
	sessions_make(&L);
	run(&L);
	load_memory(&L);
	rc = MQ_EXIT_OK;
	if (L.connect_failures > 0) {
		mq_warnx("%ld session(s) could not connect: the run was stopped",
			 L.connect_failures);
		rc = MQ_EXIT_CONNECT;
	}
	for (int i = 0; i < L.nsessions; i++)
		if (L.sessions[i].conn != NULL)
			load_session_close(&L.sessions[i]);
	if (L.server_log != NULL && load_server_times(&L, &cause) != 0) {
		mq_warnx("%s", cause);
		free(cause);
	}
	load_report(&L, stdout);
	if (rc == MQ_EXIT_OK && L.check && load_checks(&L, stdout) != 0)
		rc = MQ_EXIT_FAILURE;
	sessions_free(&L);
	load_free_figures(&L);
	roster_free(&L);
	mq_views_free(L.views, L.nviews);
	mq_forms_free(L.forms, L.nforms);
	return rc;
}
