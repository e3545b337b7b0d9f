/*
 * The command transport: runs `PATH NUMBER TEXT` for each SMS segment of a
 * message (gammu-smsd-inject through a small wrapper, or any SMS provider's
 * command-line tool), with execv and no shell, so nothing in a text is ever
 * interpreted. The environment carries MINQING_MESSAGE_ID and
 * MINQING_SEGMENT ("1/3") so the program can deduplicate on its side.
 *
 * Exit status 0: sent; 65 (EX_DATAERR): the message can never be sent
 * (dead at once); anything else, a signal or a timeout: try again later.
 * The last line the program wrote to stderr becomes the message's error.
 *
 * At-least-once: the program has sent when it exits, but the drainer marks
 * the message sent only at COMMIT, so a crash in between (or a failure of a
 * later segment) sends it, or its first segments, again.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mq/i18n.h"
#include "notify.h"

#define COMMAND_EX_DATAERR 65
#define COMMAND_ERR_MAX    512

static int command_init(struct notify_ctx *ctx, char **cause)
{
	if (ctx->command == NULL)
		return mq_fail(cause, _("the command transport needs --command PATH"));
	if (strchr(ctx->command, '/') == NULL)
		return mq_fail(cause, _("--command needs a path (no shell, no PATH search): %s"),
			       ctx->command);
	if (access(ctx->command, X_OK) != 0)
		return mq_fail(cause, _("command %s: %s"), ctx->command, strerror(errno));
	return 0;
}

static long long command_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The last non-empty line of buf (in place). */
static char *command_last_line(char *buf)
{
	char *end = buf + strlen(buf), *nl;

	while (end > buf && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		*--end = '\0';
	nl = strrchr(buf, '\n');
	return nl != NULL ? nl + 1 : buf;
}

/*
 * Run the command for one segment. Returns the outcome; *cause (caller
 * frees) on failure. Over 80 lines on purpose: one child's whole life (the
 * pipes, fork and exec, the text written, its stderr read within the
 * timeout, the wait and what its status means) reads best in one place.
 */
static enum notify_outcome command_run(struct notify_ctx *ctx, const struct notify_msg *msg,
				       size_t part, char **cause)
{
	char errbuf[COMMAND_ERR_MAX], seg[32], chunk[256];
	size_t errlen = 0;
	long long deadline;
	int pipefd[2], status, devnull;
	bool timed_out = false, eof = false;
	pid_t pid;

	if (pipe(pipefd) != 0) {
		mq_fail(cause, _("cannot run %s: %s"), ctx->command, strerror(errno));
		return NOTIFY_RETRY;
	}
	snprintf(seg, sizeof seg, "%zu/%zu", part + 1, msg->nparts);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		mq_fail(cause, _("cannot run %s: %s"), ctx->command, strerror(errno));
		return NOTIFY_RETRY;
	}
	if (pid == 0) {
		char *const argv[] = {(char *)ctx->command, (char *)msg->phone,
				      (char *)msg->parts[part], NULL};

		/* A process group of its own: a Ctrl-C at the drainer's terminal
		 * is the drainer's to handle, not a half-sent message. */
		setpgid(0, 0);
		devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			close(devnull);
		}
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		setenv("MINQING_MESSAGE_ID", msg->id_text, 1);
		setenv("MINQING_SEGMENT", seg, 1);
		setenv("MINQING_RECIPIENT_NAME", msg->name, 1);
		execv(ctx->command, argv);
		dprintf(STDERR_FILENO, "exec %s: %s\n", ctx->command, strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);

	/* Read its stderr until it closes, within the timeout. */
	errbuf[0] = '\0';
	deadline = command_now_ms() + (long long)ctx->command_timeout * 1000;
	while (!eof) {
		struct pollfd pfd = {.fd = pipefd[0], .events = POLLIN};
		long long left = deadline - command_now_ms();
		ssize_t k;

		if (left <= 0) {
			timed_out = true;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			break;
		}
		if (poll(&pfd, 1, (int)(left > 1000 ? 1000 : left)) < 0 && errno != EINTR)
			break;
		if (pfd.revents == 0)
			continue;
		k = read(pipefd[0], chunk, sizeof chunk);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			eof = true;
			break;
		}
		/* Keep the tail: the last line is what matters. */
		if (errlen + (size_t)k >= sizeof errbuf) {
			size_t drop = errlen + (size_t)k - (sizeof errbuf - 1);

			if (drop > errlen)
				drop = errlen;
			memmove(errbuf, errbuf + drop, errlen - drop);
			errlen -= drop;
		}
		if ((size_t)k > sizeof errbuf - 1 - errlen)
			k = (ssize_t)(sizeof errbuf - 1 - errlen);
		memcpy(errbuf + errlen, chunk, (size_t)k);
		errlen += (size_t)k;
		errbuf[errlen] = '\0';
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			mq_fail(cause, _("cannot wait for %s: %s"), ctx->command, strerror(errno));
			return NOTIFY_RETRY;
		}
	}
	if (timed_out) {
		mq_fail(cause, _("%s did not finish within %d s"), ctx->command,
			ctx->command_timeout);
		return NOTIFY_RETRY;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return NOTIFY_SENT;
	if (WIFSIGNALED(status)) {
		mq_fail(cause, _("%s was killed by signal %d"), ctx->command, WTERMSIG(status));
		return NOTIFY_RETRY;
	}
	mq_fail(cause, _("%s exited with status %d: %s"), ctx->command, WEXITSTATUS(status),
		command_last_line(errbuf));
	return WEXITSTATUS(status) == COMMAND_EX_DATAERR ? NOTIFY_PERMANENT : NOTIFY_RETRY;
}

static enum notify_outcome command_send(struct notify_ctx *ctx, const struct notify_msg *msg,
					int *segments, char **ref, char **cause)
{
	enum notify_outcome rc;
	size_t i;

	for (i = 0; i < msg->nparts; i++) {
		rc = command_run(ctx, msg, i, cause);
		if (rc != NOTIFY_SENT)
			return rc;
	}
	*segments = (int)msg->nparts;
	*ref = xstrdup(ctx->command);
	return NOTIFY_SENT;
}

static void command_free(struct notify_ctx *ctx MQ_UNUSED)
{
}

const struct notify_transport notify_transport_command = {
	.name = "command",
	.init = command_init,
	.send = command_send,
	.free = command_free,
};
