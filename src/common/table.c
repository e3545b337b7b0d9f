/*
 * Tables for files (include/mq/table.h): CSV with the formula guard, text
 * aligned by display width, and the encodings Excel and WPS open.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mq/common.h"
#include "mq/table.h"
#include "mq/width.h"

/* Would a spreadsheet read the cell as a formula? */
static bool table_formula_like(const char *s)
{
	if (s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' || s[0] == '\r')
		return true;
	return s[0] == '-' && s[1] != '\0' && !(s[1] >= '0' && s[1] <= '9') && s[1] != ' ';
}

/* One CSV field, quoted when it must be (RFC 4180). */
static void table_csv_field(FILE *f, const char *s, bool first)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ';
	const char *p;

	if (!first)
		fputc(',', f);
	if (quote)
		fputc('"', f);
	if (table_formula_like(s))
		fputc('\'', f);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	if (quote)
		fputc('"', f);
}

static const char *table_cell(const struct mq_table *t, size_t row, int col)
{
	const char *s = t->cells[row * (size_t)t->ncols + (size_t)col];

	return s != NULL ? s : "";
}

char *mq_table_csv(const struct mq_table *t)
{
	char *text = NULL;
	size_t cap = 0, i;
	int j;
	FILE *m;

	if ((m = open_memstream(&text, &cap)) == NULL)
		fatal("open_memstream: %s", strerror(errno));
	for (j = 0; j < t->ncols; j++)
		table_csv_field(m, t->titles[j], j == 0);
	fputs("\r\n", m);
	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->ncols; j++)
			table_csv_field(m, table_cell(t, i, j), j == 0);
		fputs("\r\n", m);
	}
	fclose(m);
	return text;
}

char *mq_table_text(const struct mq_table *t, const char *heading)
{
	char *text = NULL, *pad;
	size_t cap = 0, i;
	int j, *w;
	FILE *m;

	w = xcalloc((size_t)t->ncols + 1, sizeof *w);
	for (j = 0; j < t->ncols; j++)
		w[j] = mq_strwidth(t->titles[j]);
	for (i = 0; i < t->nrows; i++)
		for (j = 0; j < t->ncols; j++) {
			int cw = mq_strwidth(table_cell(t, i, j));

			if (cw > w[j])
				w[j] = cw;
		}
	for (j = 0; j < t->ncols; j++)
		if (w[j] > MQ_TABLE_TEXT_MAX_COLS)
			w[j] = MQ_TABLE_TEXT_MAX_COLS;
	if ((m = open_memstream(&text, &cap)) == NULL)
		fatal("open_memstream: %s", strerror(errno));
	fputs(heading, m);
	for (i = 0; i <= t->nrows; i++)
		for (j = 0; j < t->ncols; j++) {
			/* mq_strpad cuts at a whole character and marks the cut with "…" */
			pad = mq_strpad(i == 0 ? t->titles[j] : table_cell(t, i - 1, j), w[j],
					t->aligns[j]);
			fprintf(m, "%s%s", pad, j + 1 < t->ncols ? "  " : "\n");
			free(pad);
		}
	fclose(m);
	free(w);
	return text;
}

int mq_table_write(FILE *f, const char *text, const char *encoding, bool bom, size_t *lost)
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
