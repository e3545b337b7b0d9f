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
#include <iconv.h>
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
#include "mq/width.h"

#define EXPORT_TEXT_MAX_COLS 40 /* a column of the printed text at most */

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

/* Would a spreadsheet read the cell as a formula? */
static bool export_formula_like(const char *s)
{
	if (s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' || s[0] == '\r')
		return true;
	return s[0] == '-' && s[1] != '\0' && !(s[1] >= '0' && s[1] <= '9') && s[1] != ' ';
}

/* One CSV field, quoted when it must be (RFC 4180). */
static void export_csv_field(FILE *f, const char *s, bool first)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ';
	const char *p;

	if (!first)
		fputc(',', f);
	if (quote)
		fputc('"', f);
	if (export_formula_like(s))
		fputc('\'', f);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	if (quote)
		fputc('"', f);
}

/*
 * The whole text in the export's encoding into f: UTF-8 as it is (with a
 * byte-order mark when bom: Excel reads UTF-8 by it); GBK or GB18030 converted, a
 * character the encoding lacks written as '?' and counted in *lost.
 * 0, or -1 with errno.
 */
static int export_write(FILE *f, const char *text, const char *encoding, bool bom, size_t *lost)
{
	iconv_t cd;
	char *in = (char *)text, out[4096], *o;
	size_t inleft = strlen(text), outleft, r;

	if (strcmp(encoding, "UTF-8") == 0)
		return (bom && fputs("\xef\xbb\xbf", f) == EOF) || fputs(text, f) == EOF ? -1 : 0;
	if ((cd = iconv_open(encoding, "UTF-8")) == (iconv_t)-1)
		return -1;
	while (inleft > 0) {
		o = out;
		outleft = sizeof out;
		r = iconv(cd, &in, &inleft, &o, &outleft);
		fwrite(out, 1, sizeof out - outleft, f);
		if (r == (size_t)-1 && errno == EILSEQ) {
			/* a character the encoding does not have: '?', then the next one */
			size_t skip = 1;

			while (skip < inleft && ((unsigned char)in[skip] & 0xC0) == 0x80)
				skip++;
			fputc('?', f);
			in += skip;
			inleft -= skip;
			(*lost)++;
		} else if (r == (size_t)-1 && errno != E2BIG) {
			iconv_close(cd);
			return -1;
		}
	}
	iconv_close(cd);
	return ferror(f) ? -1 : 0;
}

/* The CSV: a header of the column titles, then the rows. Caller frees. */
static char *export_csv(const struct list *l, size_t nrows, time_t now)
{
	const struct list_column *cols;
	char *text = NULL, *cell;
	size_t cap = 0, i;
	int ncols, j;
	FILE *m;

	cols = list_columns(l, &ncols);
	if ((m = open_memstream(&text, &cap)) == NULL)
		fatal("open_memstream: %s", strerror(errno));
	for (j = 0; j < ncols; j++)
		export_csv_field(m, cols[j].title, j == 0);
	fputs("\r\n", m);
	for (i = 0; i < nrows; i++) {
		const struct list_row *r = list_shown_row(l, i);

		for (j = 0; j < ncols; j++) {
			cell = list_cell_text(l, r, j, now);
			export_csv_field(m, cell, j == 0);
			free(cell);
		}
		fputs("\r\n", m);
	}
	fclose(m);
	return text;
}

/* The printable text: the title and time, then the columns aligned. Caller frees. */
static char *export_text(const struct console *c, const struct list *l, size_t nrows, time_t now)
{
	const struct list_column *cols;
	char *text = NULL, *cell, *pad, stamp[32];
	size_t cap = 0, i;
	int ncols, j, *w;
	struct tm tm;
	FILE *m;

	cols = list_columns(l, &ncols);
	w = xcalloc((size_t)ncols + 1, sizeof *w);
	for (j = 0; j < ncols; j++)
		w[j] = mq_strwidth(cols[j].title);
	for (i = 0; i < nrows; i++)
		for (j = 0; j < ncols; j++) {
			int cw;

			cell = list_cell_text(l, list_shown_row(l, i), j, now);
			if ((cw = mq_strwidth(cell)) > w[j])
				w[j] = cw;
			free(cell);
		}
	for (j = 0; j < ncols; j++)
		if (w[j] > EXPORT_TEXT_MAX_COLS)
			w[j] = EXPORT_TEXT_MAX_COLS;
	if ((m = open_memstream(&text, &cap)) == NULL)
		fatal("open_memstream: %s", strerror(errno));
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M", &tm);
	fprintf(m, _("%s   exported by %s (%s) at %s, %zu rows\n\n"), list_export_title(l),
		c->id.display_name, c->id.login, stamp, nrows);
	for (i = 0; i <= nrows; i++)
		for (j = 0; j < ncols; j++) {
			cell = i == 0 ? xstrdup(cols[j].title)
				      : list_cell_text(l, list_shown_row(l, i - 1), j, now);
			/* mq_strpad cuts at a whole character and marks the cut with "…" */
			pad = mq_strpad(cell, w[j], cols[j].align);
			fprintf(m, "%s%s", pad, j + 1 < ncols ? "  " : "\n");
			free(pad);
			free(cell);
		}
	fclose(m);
	free(w);
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
	if (f == NULL || export_write(f, text, encoding, bom, lost) != 0) {
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

void list_export(struct console *c, struct list *l)
{
	const char *encoding = c->cfg->export_encoding;
	char *dir, *base, *csv_path, *txt_path, *csv, *txt, stamp[32];
	size_t nrows, lost = 0;
	time_t now = time(NULL);
	struct tm tm;

	if (list_load_all(c, l) != 0)
		return;
	nrows = list_shown(l);
	dir = export_dir(c);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		console_message(c, true, _("Cannot write %s: %s"), dir, strerror(errno));
		free(dir);
		return;
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	base = xasprintf("%s/%s-%s", dir, list_export_name(l), stamp);
	csv_path = xasprintf("%s.csv", base);
	txt_path = xasprintf("%s.txt", base);
	csv = export_csv(l, nrows, now);
	txt = export_text(c, l, nrows, now);
	/* The printed text is in the person's terminal encoding: UTF-8, like the console. */
	if (export_file(c, csv_path, csv, encoding, true, &lost) &&
	    export_file(c, txt_path, txt, "UTF-8", false, &(size_t){0})) {
		char *shown = export_shown(csv_path);

		if (list_capped(l))
			console_message(
				c, true,
				_("Exported the first %zu rows only (the list stops there): %s "
				  "(and .txt for printing)."),
				nrows, shown);
		else if (lost > 0)
			console_message(
				c, true,
				_("Exported %zu rows: %s (and .txt for printing); %zu characters "
				  "%s lacks are written as ?."),
				nrows, shown, lost, encoding);
		else
			console_message(c, false,
					_("Exported %zu rows: %s (and .txt for printing)."), nrows,
					shown);
		free(shown);
	}
	free(csv);
	free(txt);
	free(csv_path);
	free(txt_path);
	free(base);
	free(dir);
}
