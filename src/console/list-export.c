/*
 * E in a list: its rows — all of them, loaded to the end (at most
 * LIST_MAX_ROWS), or those the filter shows — written to two files in the
 * export directory (export.dir, by default ~/minqing-exports): a CSV file
 * that Excel and WPS open as they are (UTF-8 with a byte-order mark, or GBK
 * / GB18030 without one: export.encoding) and a text file for printing, the
 * columns aligned by display width (a Chinese character is two). The cells
 * are as the screen shows them (status labels, masked phones, dates where
 * the person is), never more than the person may see.
 *
 * A cell that a spreadsheet would take for a formula (= + @, or - before
 * something that is not a number) is written with a leading apostrophe:
 * what residents typed must not run in the clerk's spreadsheet.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "list.h"
#include "mq/common.h"
#include "mq/config.h"
#include "mq/i18n.h"
#include "mq/table.h"
#include "mq/width.h"

/* A path as the person reads it best: their home as ~. Caller frees. */
static char *export_shown(const char *path)
{
	const char *home = getenv("HOME");
	size_t n = home != NULL ? strlen(home) : 0;

	if (n > 1 && strncmp(path, home, n) == 0 && path[n] == '/')
		return xasprintf("~%s", path + n);
	return xstrdup(path);
}

/* The export directory: export.dir, or ~/minqing-exports. Caller frees. */
static char *export_dir(const struct console *c)
{
	const char *home = getenv("HOME");

	if (c->cfg->export_dir != NULL && c->cfg->export_dir[0] != '\0')
		return xstrdup(c->cfg->export_dir);
	return xasprintf("%s/minqing-exports", home != NULL && home[0] != '\0' ? home : ".");
}

/*
 * The rows shown as a table: the titles and every cell as drawn now. The
 * caller frees the cells (nrows * ncols) and the arrays with export_table_free.
 */
static void export_table(const struct list *l, size_t nrows, time_t now, struct mq_table *t)
{
	const struct list_column *cols = list_columns(l, &t->ncols);
	const char **titles = xcalloc((size_t)t->ncols + 1, sizeof *titles);
	int *aligns = xcalloc((size_t)t->ncols + 1, sizeof *aligns), j;
	size_t i;

	for (j = 0; j < t->ncols; j++) {
		titles[j] = cols[j].title;
		aligns[j] = cols[j].align;
	}
	t->titles = titles;
	t->aligns = aligns;
	t->nrows = nrows;
	t->cells = xcalloc(nrows * (size_t)t->ncols + 1, sizeof *t->cells);
	for (i = 0; i < nrows; i++)
		for (j = 0; j < t->ncols; j++)
			t->cells[i * (size_t)t->ncols + (size_t)j] =
				list_cell_text(l, list_shown_row(l, i), j, now);
}

static void export_table_free(struct mq_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free((void *)t->titles);
	free((void *)t->aligns);
}

/* The printable text: the title and time, then the columns aligned. Caller frees. */
static char *export_text(const struct console *c, const char *title, const struct mq_table *t,
			 time_t now)
{
	char *head, *text, stamp[32];
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M", &tm);
	head = xasprintf(_("%s   exported by %s (%s) at %s, %zu rows\n\n"), title,
			 c->id.display_name, c->id.login, stamp, t->nrows);
	text = mq_table_text(t, head);
	free(head);
	return text;
}

/* Write text to path in the encoding; false after saying why. */
static bool export_file(struct console *c, const char *path, const char *text, const char *encoding,
			bool bom, size_t *lost)
{
	/* Names and circumstances of residents: for the person only (0600), never over a file. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), saved;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (fd >= 0 && f == NULL)
		close(fd);
	if (f == NULL || mq_table_write(f, text, encoding, bom, lost) != 0) {
		saved = errno;
		if (f != NULL)
			fclose(f);
		console_message(c, true, _("Cannot write %s: %s"), path, strerror(saved));
		return false;
	}
	if (fclose(f) != 0) {
		console_message(c, true, _("Cannot write %s: %s"), path, strerror(errno));
		return false;
	}
	return true;
}

void export_table_files(struct console *c, const char *name, const char *title,
			const struct mq_table *t, bool capped)
{
	const char *encoding = c->cfg->export_encoding;
	char *dir, *base, *csv_path, *txt_path, *csv, *txt, stamp[32];
	size_t lost = 0;
	time_t now = mq_now();
	struct tm tm;

	dir = export_dir(c);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		console_message(c, true, _("Cannot write %s: %s"), dir, strerror(errno));
		free(dir);
		return;
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	base = xasprintf("%s/%s-%s", dir, name, stamp);
	csv_path = xasprintf("%s.csv", base);
	txt_path = xasprintf("%s.txt", base);
	csv = mq_table_csv(t);
	txt = export_text(c, title, t, now);
	/* The printed text is in the person's terminal encoding: UTF-8, like the console. */
	if (export_file(c, csv_path, csv, encoding, true, &lost) &&
	    export_file(c, txt_path, txt, "UTF-8", false, &(size_t){0})) {
		char *shown = export_shown(csv_path);

		if (capped)
			console_message(
				c, true,
				_("Exported the first %zu rows only (the list stops there): %s "
				  "(and .txt for printing)."),
				t->nrows, shown);
		else if (lost > 0)
			console_message(
				c, true,
				_("Exported %zu rows: %s (and .txt for printing); %zu characters "
				  "%s lacks are written as ?."),
				t->nrows, shown, lost, encoding);
		else
			console_message(c, false,
					_("Exported %zu rows: %s (and .txt for printing)."),
					t->nrows, shown);
		free(shown);
	}
	free(csv);
	free(txt);
	free(csv_path);
	free(txt_path);
	free(base);
	free(dir);
}

void list_export(struct console *c, struct list *l)
{
	struct mq_table table;

	if (list_load_all(c, l) != 0)
		return;
	export_table(l, list_shown(l), mq_now(), &table);
	export_table_files(c, list_export_name(l), list_export_title(l), &table, list_capped(l));
	export_table_free(&table);
}
