/*
 * Small helpers shared by every program: allocation that cannot fail
 * silently, formatted strings, and the one fatal() path.
 *
 * fatal() is for broken invariants and out-of-memory only; everything else
 * returns -1 with a caller-freed "cause" string (the tmux convention) so that
 * the screen or command that asked can show it to the person.
 */
#ifndef MQ_COMMON_H
#define MQ_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define MQ_UNUSED       __attribute__((unused))
#define MQ_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define MQ_NORETURN     __attribute__((noreturn))
#define MQ_NITEMS(a)    (sizeof(a) / sizeof((a)[0]))

/* Exit codes shared by all programs: the table is in docs/development.md ("Exit codes"). */
enum mq_exit {
	MQ_EXIT_OK = 0,
	MQ_EXIT_FAILURE = 1,  /* the command ran and failed */
	MQ_EXIT_USAGE = 2,    /* bad command line or bad configuration file */
	MQ_EXIT_CONNECT = 3,  /* database unreachable, authentication failed */
	MQ_EXIT_SCHEMA = 4,   /* database schema version is not the one we know */
	MQ_EXIT_TERMINAL = 5, /* terminal cannot be used (locale, not a tty) */
};

/* Allocation: abort through fatal() on out-of-memory. Caller frees. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) MQ_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) MQ_PRINTF(1, 0);

/*
 * Set *cause to a newly allocated formatted message (if cause is not NULL)
 * and return -1, so error paths read: return mq_fail(cause, "...", ...);
 */
int mq_fail(char **cause, const char *fmt, ...) MQ_PRINTF(2, 3);

/*
 * A hook run by fatal() before it prints and exits: the console installs one
 * that restores the terminal, so no exit leaves a broken screen behind.
 */
void mq_set_fatal_hook(void (*hook)(void));
void fatal(const char *fmt, ...) MQ_PRINTF(1, 2) MQ_NORETURN;

/* The program name used as the prefix of messages on stderr. */
extern const char *mq_progname;
void mq_warnx(const char *fmt, ...) MQ_PRINTF(1, 2);

/*
 * The time a person is shown (deadlines counted down, the status line's
 * clock, a report's "as of"): the database server's, not this machine's. A
 * station terminal's clock may be minutes or days off, while the deadlines
 * and escalations are the server's; mq_now_set_server() takes the server's
 * clock as read once per session (its Unix time), mq_now() is time(NULL)
 * moved by the difference. Intervals (a message shown for N seconds, a
 * retry after N seconds) keep the local clock.
 */
void mq_now_set_server(double server_epoch);
time_t mq_now(void);

/*
 * The district's clock for this process, as the session read it
 * (minqing.my_time_zone() and the server's epoch): TZ set to tz when it is
 * given (times this process formats: the district's, whatever the
 * machine's), and mq_now() moved to server_epoch when it is given. NULL or
 * empty leaves each as it was (a reading that failed is no reason to stop).
 */
void mq_clock_district(const char *tz, const char *server_epoch);

/*
 * "DIR/name" when the directory DIR of the running program has a directory
 * called name (the build tree's forms/ and locale/), else NULL. Caller frees.
 */
char *mq_dir_beside_exe(const char *name);

#endif
