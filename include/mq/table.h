/*
 * A table of cells as a person sees them, written for a spreadsheet or for
 * printing: the E key of every list (src/console/list-export.c) and
 * `minqing-admin report` write the same bytes for the same cells.
 *
 * CSV: a header of the titles, rows ending in CRLF (RFC 4180), a field
 * quoted when it holds a comma, quote or line break (or starts with a
 * blank), and a cell a spreadsheet would take for a formula (= + @, a tab
 * or CR, or - before something that is not a number) written with a leading
 * apostrophe: what residents typed must not run in a clerk's spreadsheet.
 *
 * Text: the columns aligned by display width (a Chinese character is two,
 * never cut: mq_strpad), two blanks between them, each at most
 * MQ_TABLE_TEXT_MAX_COLS wide.
 */
#ifndef MQ_TABLE_H
#define MQ_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define MQ_TABLE_TEXT_MAX_COLS 40

struct mq_table {
	int ncols;
	const char *const *titles; /* ncols, the header */
	const int *aligns;         /* ncols, as mq_strpad: -1 left, 0 centred, 1 right */
	size_t nrows;
	char **cells; /* nrows * ncols, row by row; NULL is "" (the caller owns them) */
};

/* The CSV text (UTF-8, no byte-order mark). Caller frees. */
char *mq_table_csv(const struct mq_table *t);
/* The aligned text, after the heading line(s) given (may be ""). Caller frees. */
char *mq_table_text(const struct mq_table *t, const char *heading);

/*
 * text into f in encoding: "UTF-8" as it is (a byte-order mark first when
 * bom: Excel reads UTF-8 by it), GBK or GB18030 converted, a character the
 * encoding lacks written as '?' and counted in *lost. 0, or -1 with errno.
 */
int mq_table_write(FILE *f, const char *text, const char *encoding, bool bom, size_t *lost);

#endif
