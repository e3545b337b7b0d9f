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
 *
 * A run killed while writing leaves its temporary file behind. spool_init
 * removes such files when the drainer starts, and logs it. The writer holds
 * an exclusive flock on its temporary file until it has renamed it, and
 * spool_init removes only the files it can lock, so a drainer that starts
 * beside another one sharing the directory never removes the other's file in
 * progress.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mq/i18n.h"
#include "notify.h"

/* Is name one of our temporary files: ".<digits>.tmp.XXXXXX" (mkstemp)? */
static bool spool_is_temporary(const char *name)
{
	size_t k;

	if (*name++ != '.')
		return false;
	k = strspn(name, "0123456789");
	if (k == 0 || strncmp(name + k, ".tmp.", 5) != 0)
		return false;
	name += k + 5;
	return strlen(name) == 6 &&
	       strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == 6;
}

/*
 * Remove the temporary files that runs killed while writing left in the
 * directory: those nobody holds a flock on (a live writer does). Logs what
 * it removed, and what it could not.
 */
static void spool_remove_leftovers(const char *dir)
{
	struct dirent *de;
	struct stat st, now;
	DIR *d;
	int dfd, fd, removed = 0, busy = 0;

	if ((d = opendir(dir)) == NULL) {
		notify_log(_("spool directory %s: %s"), dir, strerror(errno));
		return;
	}
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		if (!spool_is_temporary(de->d_name))
			continue;
		fd = openat(dfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue; /* gone meanwhile, or not a file of ours (a link) */
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			continue;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			busy++; /* another drainer is writing it */
			close(fd);
			continue;
		}
		/* Still this file under this name? Then nobody will rename it. */
		if (fstatat(dfd, de->d_name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
		    now.st_dev == st.st_dev && now.st_ino == st.st_ino) {
			if (unlinkat(dfd, de->d_name, 0) == 0)
				removed++;
			else
				notify_log(_("spool directory %s: cannot remove %s: %s"), dir,
					   de->d_name, strerror(errno));
		}
		close(fd);
	}
	closedir(d);
	if (removed > 0)
		notify_log(_("spool directory %s: removed %d temporary files left by an "
			     "interrupted run"),
			   dir, removed);
	if (busy > 0)
		notify_log(_("spool directory %s: %d temporary files are being written by another "
			     "drainer; left alone"),
			   dir, busy);
}

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
	spool_remove_leftovers(ctx->spool_dir);
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

/*
 * Create the temporary file for msg, exclusively flocked: its fd, with *tmp
 * its name (caller frees), or -1 (errno set). The lock keeps a drainer that
 * starts meanwhile from taking it for a leftover; if one took it between
 * mkstemp and flock, the name is gone and a new file is made.
 */
static int spool_create_temporary(const struct notify_ctx *ctx, const struct notify_msg *msg,
				  char **tmp)
{
	struct stat mine, named;
	int fd, tries, saved;

	for (tries = 0; tries < 5; tries++) {
		*tmp = xasprintf("%s/.%s.tmp.XXXXXX", ctx->spool_dir, msg->id_text);
		if ((fd = mkstemp(*tmp)) < 0) {
			saved = errno;
			free(*tmp);
			*tmp = NULL;
			errno = saved;
			return -1;
		}
		/* (A file system without flock: no lock, the name check still holds.) */
		while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
			;
		if (fstat(fd, &mine) == 0 && stat(*tmp, &named) == 0 &&
		    mine.st_dev == named.st_dev && mine.st_ino == named.st_ino)
			return fd;
		close(fd);
		free(*tmp);
	}
	*tmp = NULL;
	errno = EAGAIN;
	return -1;
}

static enum notify_outcome spool_send(struct notify_ctx *ctx, const struct notify_msg *msg,
				      int *segments, char **ref, char **cause)
{
	char *tmp = NULL, *final, *text;
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

	final = xasprintf("%s/%s.txt", ctx->spool_dir, msg->id_text);
	fd = spool_create_temporary(ctx, msg, &tmp);
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
	/* Renamed while still locked, then closed (which releases the lock). */
	if (rename(tmp, final) != 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		mq_fail(cause, _("cannot write %s: %s"), final, strerror(saved));
		goto fail;
	}
	if (close(fd) != 0) {
		mq_fail(cause, _("cannot write %s: %s"), final, strerror(errno));
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
