/*
 * Allocation that never returns NULL, formatted strings, and the single
 * fatal() path that first runs the hook restoring the terminal.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mq/common.h"

const char *mq_progname = "minqing";
static void (*mq_fatal_hook)(void);

/* The server's clock minus this machine's, in whole seconds (mq_now()). */
static time_t mq_clock_skew;

void mq_now_set_server(double server_epoch)
{
	struct timespec ts;
	double d;

	clock_gettime(CLOCK_REALTIME, &ts);
	d = server_epoch - ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
	mq_clock_skew = (time_t)(d >= 0 ? d + 0.5 : d - 0.5); /* to the nearest second */
}

time_t mq_now(void)
{
	return time(NULL) + mq_clock_skew;
}

void mq_clock_district(const char *tz, const char *server_epoch)
{
	if (tz != NULL && tz[0] != '\0') {
		setenv("TZ", tz, 1);
		tzset();
	}
	if (server_epoch != NULL && server_epoch[0] != '\0')
		mq_now_set_server(strtod(server_epoch, NULL));
}

void mq_set_fatal_hook(void (*hook)(void))
{
	mq_fatal_hook = hook;
}

void fatal(const char *fmt, ...)
{
	va_list ap;

	if (mq_fatal_hook != NULL) {
		void (*hook)(void) = mq_fatal_hook;

		mq_fatal_hook = NULL; /* never re-enter if the hook fails */
		hook();
	}
	fprintf(stderr, "%s: fatal: ", mq_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(70); /* EX_SOFTWARE: a broken invariant, never a user error */
}

void mq_warnx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", mq_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size == 0 ? 1 : size);

	if (p == NULL)
		fatal("out of memory (%zu bytes)", size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

	if (p == NULL)
		fatal("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *xrealloc(void *old, size_t size)
{
	void *p = realloc(old, size == 0 ? 1 : size);

	if (p == NULL)
		fatal("out of memory (%zu bytes)", size);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p;
	size_t len = strnlen(s, n);

	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list copy;
	int len;
	char *p;

	va_copy(copy, ap);
	len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (len < 0)
		fatal("bad format string: %s", fmt);
	p = xmalloc((size_t)len + 1);
	vsnprintf(p, (size_t)len + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

int mq_fail(char **cause, const char *fmt, ...)
{
	va_list ap;

	if (cause != NULL) {
		va_start(ap, fmt);
		*cause = xvasprintf(fmt, ap);
		va_end(ap);
	}
	return -1;
}

char *mq_dir_beside_exe(const char *name)
{
	char exe[PATH_MAX];
	char *slash, *dir;
	struct stat sb;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash == NULL)
		return NULL;
	*slash = '\0';
	dir = xasprintf("%s/%s", exe, name);
	if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return dir;
	free(dir);
	return NULL;
}
