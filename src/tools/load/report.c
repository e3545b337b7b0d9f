/*
 * The figures of a run of mq-load: per kind of statement the count, the
 * errors, the percentiles of the round trip (from sending the statement to
 * its last result, on this machine's monotonic clock) and of the server's
 * time; errors by SQLSTATE; the memory of the sessions' backends.
 *
 * Server time: the server's log, written with log_min_duration_statement
 * = 0 and log_line_prefix '%m [%p] ' (tests/bench/load.sh starts such a
 * server): every statement of the extended protocol logs the duration of
 * its parse, bind and execute, and their sum is the time the server spent
 * on it. Each session knows its backend's pid and what it sent, in order,
 * with a hash of each statement's text: the n-th statement the log
 * completes for a pid (its execute line, or its ERROR) is the session's
 * n-th, and the text must hash the same, or it is not counted (counted as
 * unmatched instead). pg_stat_statements would give means only; timing
 * EXPLAIN-free on the client would include this process's own waiting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "load.h"
#include "mq/common.h"

#define FNV_OFFSET UINT64_C(14695981039346656037)
#define FNV_PRIME  UINT64_C(1099511628211)

/* The target for a screen's statement: p95 under this (issue 15, part 4). */
#define TARGET_P95_MS 20.0

uint64_t load_hash(const char *s, size_t n)
{
	uint64_t h = FNV_OFFSET;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= FNV_PRIME;
	}
	return h;
}

void load_sample(struct load_samples *sm, double ms)
{
	if (sm->n == sm->cap) {
		sm->cap = sm->cap == 0 ? 64 : 2 * sm->cap;
		sm->v = xrealloc(sm->v, sm->cap * sizeof *sm->v);
	}
	sm->v[sm->n++] = ms;
}

void load_error_count(struct load *L, int kind, const char *sqlstate, const char *message)
{
	struct load_error *e;
	size_t i;

	for (i = 0; i < L->nerrors; i++)
		if (L->errors[i].kind == kind && strcmp(L->errors[i].sqlstate, sqlstate) == 0) {
			L->errors[i].n++;
			return;
		}
	if (L->nerrors == L->caperrors) {
		L->caperrors = L->caperrors == 0 ? 16 : 2 * L->caperrors;
		L->errors = xrealloc(L->errors, L->caperrors * sizeof *L->errors);
	}
	e = &L->errors[L->nerrors++];
	memset(e, 0, sizeof *e);
	snprintf(e->sqlstate, sizeof e->sqlstate, "%s", sqlstate);
	e->kind = kind;
	e->n = 1;
	e->message = xstrdup(message != NULL ? message : "");
	/* one line: libpq's messages end in a newline and may carry DETAIL lines */
	e->message[strcspn(e->message, "\n")] = '\0';
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The nearest-rank percentile q (0..1) of sorted v. */
static double percentile(const double *v, size_t n, double q)
{
	size_t r = (size_t)(q * (double)n + 0.999999);

	return n == 0 ? 0 : v[r == 0 ? 0 : (r > n ? n : r) - 1];
}

static void sort_samples(struct load_samples *sm)
{
	if (sm->n > 1)
		qsort(sm->v, sm->n, sizeof *sm->v, cmp_double);
}

/* --- memory -------------------------------------------------------------------------------- */

/* A backend's Rss, Pss and private memory in kB from /proc/PID/smaps_rollup: -1 if unreadable. */
static int smaps(int pid, long long *rss, long long *pss, long long *priv)
{
	char path[64], line[256];
	long long v;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/smaps_rollup", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "Rss: %lld", &v) == 1)
			*rss += v;
		else if (sscanf(line, "Pss: %lld", &v) == 1)
			*pss += v;
		else if (sscanf(line, "Private_Clean: %lld", &v) == 1 ||
			 sscanf(line, "Private_Dirty: %lld", &v) == 1)
			*priv += v;
	}
	fclose(f);
	return 0;
}

/* A process's CPU time (user and system) in seconds from /proc/PID/stat: -1 if unreadable. */
static double cpu_seconds(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	size_t n;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* after the command in parentheses: state, then 10 fields, then utime and stime */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

void load_memory(struct load *L)
{
	double cpu;
	int i;

	for (i = 0; i < L->nsessions; i++) {
		const struct load_session *s = &L->sessions[i];

		if (s->conn == NULL || s->pid <= 0)
			continue;
		if (smaps(s->pid, &L->mem_rss, &L->mem_pss, &L->mem_private) == 0)
			L->mem_sessions++;
		if ((cpu = cpu_seconds(s->pid)) >= 0)
			L->server_cpu += cpu;
	}
}

/* --- server times from the log --------------------------------------------------------------- */

struct pid_ref {
	int pid;
	struct load_session *s;
	size_t next;   /* the session's statement the log completes next */
	double parsed; /* parse and bind of that statement so far, ms */
};

static int cmp_pid(const void *a, const void *b)
{
	const struct pid_ref *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* A statement of r completed in the log: with its text and time, or failed (sql NULL). */
static void log_complete(struct load *L, struct pid_ref *r, const char *sql, double ms)
{
	const struct load_sent *sent;

	if (r->next >= r->s->nsent) {
		L->server_unmatched++;
		return;
	}
	sent = &r->s->sent[r->next++];
	if (sql == NULL) {
		r->parsed = 0;
		return;
	}
	if (load_hash(sql, strlen(sql)) == sent->hash) {
		load_sample(&L->kinds[sent->kind].server, r->parsed + ms);
		L->server_matched++;
	} else {
		L->server_unmatched++;
	}
	r->parsed = 0;
}

/* One line of the log: "<time> [<pid>] LOG:  duration: <ms> ms  <what>: <sql>" or an ERROR. */
static void log_line(struct load *L, struct pid_ref *refs, size_t nrefs, char *line)
{
	struct pid_ref key, *r;
	char *p = strstr(line, " ["), *end, *what, *sql;
	double ms;

	if (p == NULL)
		return;
	key.pid = (int)strtol(p + 2, &end, 10);
	if (end == p + 2 || strncmp(end, "] ", 2) != 0)
		return;
	if ((r = bsearch(&key, refs, nrefs, sizeof *refs, cmp_pid)) == NULL)
		return;
	p = end + 2;
	line[strcspn(line, "\n")] = '\0';
	if (strncmp(p, "ERROR:  ", 8) == 0) {
		log_complete(L, r, NULL, 0);
		return;
	}
	if (strncmp(p, "LOG:  duration: ", 16) != 0)
		return;
	ms = strtod(p + 16, &what);
	if (strncmp(what, " ms  ", 5) != 0)
		return;
	what += 5;
	if (strncmp(what, "parse ", 6) == 0 || strncmp(what, "bind ", 5) == 0) {
		r->parsed += ms;
		return;
	}
	if (strncmp(what, "statement: ", 11) == 0)
		sql = what + 11;
	else if (strncmp(what, "execute ", 8) == 0 && (sql = strstr(what, ": ")) != NULL)
		sql += 2;
	else
		return;
	log_complete(L, r, sql, ms);
}

int load_server_times(struct load *L, char **cause)
{
	struct pid_ref *refs = xcalloc((size_t)L->nsessions + 1, sizeof *refs);
	size_t nrefs = 0, cap = 0;
	char *line = NULL;
	FILE *f;
	int i;

	if ((f = fopen(L->server_log, "r")) == NULL) {
		free(refs);
		return mq_fail(cause, "cannot read the server's log %s", L->server_log);
	}
	for (i = 0; i < L->nsessions; i++)
		if (L->sessions[i].pid > 0) {
			refs[nrefs].pid = L->sessions[i].pid;
			refs[nrefs++].s = &L->sessions[i];
		}
	qsort(refs, nrefs, sizeof *refs, cmp_pid);
	if (fseek(f, L->server_log_from, SEEK_SET) == 0)
		while (getline(&line, &cap, f) > 0)
			log_line(L, refs, nrefs, line);
	free(line);
	fclose(f);
	free(refs);
	return 0;
}

/* --- printing ------------------------------------------------------------------------------ */

/* Reads of the screens (0), what writes (1: a form's call, a transaction's, on_open), the session
 * and its status line (2). */
static int kind_group(const struct load *L, const char *name)
{
	if (strncmp(name, "session.", 8) == 0 || strncmp(name, "status.", 7) == 0)
		return 2;
	if (mq_form_find(L->forms, L->nforms, name) != NULL || strncmp(name, "tx.", 3) == 0 ||
	    strcmp(name, "case.expect_version") == 0 || strstr(name, ".on_open") != NULL)
		return 1;
	return 0;
}

/* qsort has no argument: the run being reported. */
static const struct load *sorting;

static int cmp_kind(const void *a, const void *b)
{
	const struct load_kind *x = *(struct load_kind *const *)a,
			       *y = *(struct load_kind *const *)b;
	int gx = kind_group(sorting, x->name), gy = kind_group(sorting, y->name);

	return gx != gy ? gx - gy : strcmp(x->name, y->name);
}

static void print_percentiles(FILE *out, const struct load_samples *sm)
{
	if (sm->n == 0)
		fprintf(out, " %8s %8s %8s", "-", "-", "-");
	else
		fprintf(out, " %8.2f %8.2f %8.2f", percentile(sm->v, sm->n, 0.50),
			percentile(sm->v, sm->n, 0.95), percentile(sm->v, sm->n, 0.99));
}

static void print_kinds(struct load *L, FILE *out)
{
	static const char *const groups[] = {"screens (reads)", "workflow (writes)",
					     "session set-up and status line"};
	struct load_kind **k = xcalloc((size_t)L->nkinds + 1, sizeof *k);
	double total = 0, sum;
	int i, group = -1;
	size_t n;
	bool missed = false;

	for (i = 0; i < L->nkinds; i++) {
		k[i] = &L->kinds[i];
		sort_samples(&k[i]->rtt);
		sort_samples(&k[i]->server);
	}
	sorting = L;
	qsort(k, (size_t)L->nkinds, sizeof *k, cmp_kind);
	for (i = 0; i < L->nkinds; i++)
		for (n = 0; n < L->kinds[i].server.n; n++)
			total += L->kinds[i].server.v[n];
	fprintf(out, "%-34s %7s %5s  %-26s   %-26s\n", "", "", "", "round trip, ms", "server, ms");
	fprintf(out, "%-34s %7s %5s %8s %8s %8s  %8s %8s %8s %6s\n", "statement", "count", "err",
		"p50", "p95", "p99", "p50", "p95", "p99", "share");
	for (i = 0; i < L->nkinds; i++) {
		const struct load_samples *t = k[i]->server.n > 0 ? &k[i]->server : &k[i]->rtt;
		bool over = kind_group(L, k[i]->name) == 0 && t->n > 0 &&
			    percentile(t->v, t->n, 0.95) > TARGET_P95_MS;

		if (kind_group(L, k[i]->name) != group) {
			group = kind_group(L, k[i]->name);
			fprintf(out, "%s\n", groups[group]);
		}
		fprintf(out, "%c %-32s %7ld %5ld", over ? '*' : ' ', k[i]->name, k[i]->count,
			k[i]->errors);
		print_percentiles(out, &k[i]->rtt);
		fprintf(out, " ");
		print_percentiles(out, &k[i]->server);
		for (sum = 0, n = 0; n < k[i]->server.n; n++)
			sum += k[i]->server.v[n];
		if (total > 0)
			fprintf(out, " %5.1f%%", 100.0 * sum / total);
		fprintf(out, "\n");
		missed |= over;
	}
	if (missed)
		fprintf(out, "* a screen's read with p95 above %.0f ms (server time where known)\n",
			TARGET_P95_MS);
	/* How many backends were busy on average: the cores the district keeps busy. */
	if (total > 0)
		fprintf(out,
			"server time in all %.1f s in %.0f s: %.2f backends busy on average "
			"(share: of that time)\n",
			total / 1000.0, L->stop_at - L->t0, total / 1000.0 / (L->stop_at - L->t0));
	free(k);
}

static long errors_of(const struct load *L, const char *sqlstate, bool other)
{
	long n = 0;
	size_t i;

	for (i = 0; i < L->nerrors; i++)
		if ((strcmp(L->errors[i].sqlstate, sqlstate) == 0) != other)
			n += L->errors[i].n;
	return n;
}

void load_report(struct load *L, FILE *out)
{
	long long sessions = 0, idle = 0, roles[ROLE_COUNT] = {0};
	double secs = L->stop_at - L->t0;
	struct rusage ru;
	size_t i, r;
	int j;

	for (j = 0; j < L->nsessions; j++) {
		roles[L->sessions[j].seat->role]++;
		sessions += L->sessions[j].pid > 0;
		idle += L->sessions[j].notifications;
	}
	fprintf(out, "mq-load: %d sessions (", L->nsessions);
	for (r = 0; r < ROLE_COUNT; r++)
		fprintf(out, "%s%lld %s", r > 0 ? ", " : "", roles[r], load_roles[r].name);
	fprintf(out, "), %.0f s, think %.1f-%.1f s, seed %llu, %s\n", secs, L->think_min,
		L->think_max, (unsigned long long)L->seed,
		L->follow ? "re-reading on notifications as the console does"
			  : "no re-reading on notifications");
	fprintf(out,
		"  %lld connected, %ld failed to connect, %ld lost; %ld statements (%.0f/s); "
		"%ld notifications received (%.0f per session)\n",
		sessions, L->connect_failures, L->lost, L->statements,
		secs > 0 ? (double)L->statements / secs : 0.0, L->notifications,
		sessions > 0 ? (double)idle / (double)sessions : 0.0);
	if (L->server_log != NULL)
		fprintf(out, "  server times from %s: %ld statements matched, %ld not\n",
			L->server_log, L->server_matched, L->server_unmatched);
	print_kinds(L, out);
	fprintf(out, "errors by SQLSTATE: %ld in all\n", errors_of(L, "", true));
	for (i = 0; i < L->nerrors; i++)
		fprintf(out, "  %s %-28s %6ld  %s\n", L->errors[i].sqlstate,
			L->kinds[L->errors[i].kind].name, L->errors[i].n, L->errors[i].message);
	fprintf(out,
		"deadlocks (40P01): %ld; serialization failures (40001: a case or section changed "
		"since it was read, the console's reload-and-retry): %ld; lock timeouts (55P03): "
		"%ld\n",
		errors_of(L, "40P01", false), errors_of(L, "40001", false),
		errors_of(L, "55P03", false));
	if (L->mem_sessions > 0)
		fprintf(out,
			"server memory per session (%ld backends, /proc/PID/smaps_rollup at the "
			"end): Rss %.1f MB, Pss %.1f MB, private %.1f MB\n",
			L->mem_sessions, (double)L->mem_rss / 1024.0 / (double)L->mem_sessions,
			(double)L->mem_pss / 1024.0 / (double)L->mem_sessions,
			(double)L->mem_private / 1024.0 / (double)L->mem_sessions);
	else
		fprintf(out, "server memory per session: not readable here\n");
	if (L->mem_sessions > 0)
		fprintf(out,
			"server CPU of the sessions' backends: %.1f s in %.0f s, %.2f cores busy, "
			"%.1f ms per session and second\n",
			L->server_cpu, secs, L->server_cpu / secs,
			1000.0 * L->server_cpu / secs / (double)L->mem_sessions);
	fprintf(out, "screens done:");
	for (r = 0; r < ROLE_COUNT; r++)
		for (i = 0; roles[r] > 0 && i < load_roles[r].nactions; i++)
			fprintf(out, " %s.%s=%ld", load_roles[r].name,
				load_roles[r].actions[i].name, L->actions_done[r][i]);
	fprintf(out, "\n");
	getrusage(RUSAGE_SELF, &ru);
	fprintf(out, "mq-load itself: %.1f s CPU\n",
		(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
			(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
}

int load_checks(struct load *L, FILE *out)
{
	bool roles[ROLE_COUNT] = {false};
	int j, bad = 0;
	size_t r, i;

	for (j = 0; j < L->nsessions; j++)
		roles[L->sessions[j].seat->role] = true;
	if (errors_of(L, "40001", true) > 0) {
		fprintf(out, "check failed: %ld errors other than 40001\n",
			errors_of(L, "40001", true));
		bad++;
	}
	if (errors_of(L, "40P01", false) > 0) {
		fprintf(out, "check failed: %ld deadlocks\n", errors_of(L, "40P01", false));
		bad++;
	}
	for (r = 0; r < ROLE_COUNT; r++)
		for (i = 0; roles[r] && i < load_roles[r].nactions; i++)
			if (L->actions_done[r][i] == 0 && !L->skip[r][i]) {
				fprintf(out, "check failed: no %s did %s\n", load_roles[r].name,
					load_roles[r].actions[i].name);
				bad++;
			}
	if (L->notifications == 0) {
		fprintf(out, "check failed: no session received a notification\n");
		bad++;
	}
	if (bad == 0)
		fprintf(out, "checks passed: no error but 40001, no deadlock, every screen of "
			     "every role played, notifications received\n");
	return bad == 0 ? 0 : -1;
}

void load_free_figures(struct load *L)
{
	size_t i;
	int k;

	for (k = 0; k < L->nkinds; k++) {
		free(L->kinds[k].name);
		free(L->kinds[k].rtt.v);
		free(L->kinds[k].server.v);
	}
	free(L->kinds);
	for (i = 0; i < L->nerrors; i++)
		free(L->errors[i].message);
	free(L->errors);
}
