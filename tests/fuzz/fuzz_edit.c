/*
 * Fuzz harness for the field editor model (src/common/edit.c): the input is
 * a script of editing operations and the text they type.
 *
 * Bytes 0..4 choose the field: flags (multi-line, a limit on characters, a
 * limit on columns), view columns and rows, max_chars and max_cols. Every
 * following byte is an operation (byte % 32): a cursor move, delete,
 * backspace, the kills, newline, clear, flush, one code point from a table,
 * a resize, a cursor jump, mq_edit_set_utf8() of the next bytes, or (most
 * often) mq_edit_insert_utf8() of the next bytes, so a paste may end inside a
 * UTF-8 sequence and the next one complete it.
 *
 * After every operation it checks, against models written here:
 *   - the text: cursor <= len, NUL-terminated, no control character but
 *     '\n' (multi-line only), no surrogate, len <= max_chars, the width
 *     (recounted with mq_wcwidth, '\n' 0) is mq_edit_width() and <= max_cols,
 *     the cursor on a cluster boundary;
 *   - mq_edit_utf8() is well-formed UTF-8 that decodes to exactly the text,
 *     and loads back into an equal editor unchanged (the round trip);
 *   - what the operation reported: a refusal changed nothing, NOOP changed
 *     nothing, a paste inserted as many characters as it says, limits are
 *     only reported when they are reached;
 *   - the view: every row fits in view_cols (lead + cols), shows the columns
 *     it claims, never half a character; the cursor is inside the view; a
 *     single-line row and the cursor agree on one horizontal offset, the
 *     first character shown is the first that starts inside the view and as
 *     many follow as fit; multi-line rows are exactly those of an independent
 *     wrap of the text; mq_edit_view_utf8() is exactly view_cols columns of
 *     printable, well-formed UTF-8.
 *
 * The whole input, fed a byte at a time to mq_utf8_stream (how the console
 * assembles terminal reads cut anywhere), decodes to exactly what decoding
 * it whole gives: no byte lost, none invented.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mq/edit.h"
#include "mq/width.h"

#include "fuzz.h"

#define FUZZ_MAX_OPS 1000

/* Code points for the "insert one" operation: text, limits, junk. */
static const wchar_t fuzz_chars[] = {
	L'a',   L'Z',   L' ',   L'_',     0x4E2D,  0x6587,  0xFF0C, 0x3002, 0x201C, 0x3000, 0x00E9,
	0x0301, 0xFE0F, 0x200B, 0xFFFD,   0x1F600, 0x20000, L'\t',  L'\n',  L'\r',  0x1B,   0x00,
	0x7F,   0x85,   0xD800, 0x110000, -1,      0xFF61,  0xAC00, 0x1160, L'.',   L'9',
};

struct fuzz_opts {
	bool multiline;
	size_t max_chars;
	int max_cols;
};

static bool fuzz_is_zero(wchar_t wc)
{
	return wc != L'\n' && mq_wcwidth(wc) == 0;
}

static size_t fuzz_wc_cols(wchar_t wc)
{
	return wc == L'\n' ? 0 : (size_t)mq_wcwidth(wc);
}

/* Columns of t[from..to). */
static size_t fuzz_cols(const wchar_t *t, size_t from, size_t to)
{
	size_t cols = 0;

	for (; from < to; from++)
		cols += fuzz_wc_cols(t[from]);
	return cols;
}

/* A zero-width character after something other than '\n' continues a cluster. */
static bool fuzz_boundary(const wchar_t *t, size_t len, size_t i)
{
	return i == 0 || i >= len || !fuzz_is_zero(t[i]) || t[i - 1] == L'\n';
}

/* Columns of the cluster at i. */
static size_t fuzz_cluster_cols(const wchar_t *t, size_t len, size_t i, size_t *next)
{
	size_t w = fuzz_wc_cols(t[i]);

	for (*next = i + 1; *next < len && !fuzz_boundary(t, len, *next); (*next)++)
		w += fuzz_wc_cols(t[*next]);
	return w;
}

static void fuzz_check_text(const mq_edit *e, const struct fuzz_opts *o)
{
	const wchar_t *t = mq_edit_text(e);
	size_t len = mq_edit_len(e), i;

	FUZZ_CHECK(t != NULL);
	FUZZ_CHECK(t[len] == L'\0');
	FUZZ_CHECK(mq_edit_cursor(e) <= len);
	FUZZ_CHECK(fuzz_boundary(t, len, mq_edit_cursor(e)));
	for (i = 0; i < len; i++) {
		wchar_t c = t[i];

		FUZZ_CHECK(c > 0 && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF));
		FUZZ_CHECK(!(c < 0x20 || (c >= 0x7F && c < 0xA0)) || (c == L'\n' && o->multiline));
	}
	FUZZ_CHECK(fuzz_cols(t, 0, len) == mq_edit_width(e));
	if (o->max_chars > 0)
		FUZZ_CHECK(len <= o->max_chars);
	if (o->max_cols > 0)
		FUZZ_CHECK(mq_edit_width(e) <= (size_t)o->max_cols);
}

static void fuzz_check_utf8(const mq_edit *e, const struct fuzz_opts *o, int vc, int vr)
{
	const wchar_t *t = mq_edit_text(e);
	size_t len = mq_edit_len(e), i = 0, off = 0, n;
	char *s = mq_edit_utf8(e);
	struct mq_edit_options opt = {o->max_chars, o->max_cols, o->multiline, vc, vr};
	mq_edit *back;

	FUZZ_CHECK(s != NULL);
	n = strlen(s);
	while (off < n) {
		wchar_t wc;
		size_t got = mq_utf8_decode(s + off, n - off, &wc);

		FUZZ_CHECK(i < len && wc == t[i]);
		/* U+FFFD only where the text has one, never from a bad byte. */
		if (wc == 0xFFFD)
			FUZZ_CHECK(got == 3 && memcmp(s + off, "\xEF\xBF\xBD", 3) == 0);
		off += got;
		i++;
	}
	FUZZ_CHECK(i == len);

	back = mq_edit_new(&opt);
	FUZZ_CHECK(mq_edit_set_utf8(back, s) == MQ_EDIT_OK);
	FUZZ_CHECK(mq_edit_len(back) == len);
	FUZZ_CHECK(memcmp(mq_edit_text(back), t, len * sizeof *t) == 0);
	FUZZ_CHECK(mq_edit_width(back) == mq_edit_width(e));
	mq_edit_free(back);
	free(s);
}

/* mq_edit_view_utf8(e, r): exactly vc columns of well-formed, printable UTF-8. */
static void fuzz_check_row_text(const mq_edit *e, int r, int vc)
{
	char *s = mq_edit_view_utf8(e, r);
	size_t n = strlen(s), off = 0;

	FUZZ_CHECK(mq_strwidth(s) == vc);
	while (off < n) {
		wchar_t wc;
		size_t got = mq_utf8_decode(s + off, n - off, &wc);

		FUZZ_CHECK(!(wc < 0x20 || (wc >= 0x7F && wc < 0xA0)));
		if (wc == 0xFFFD)
			FUZZ_CHECK(got == 3 && memcmp(s + off, "\xEF\xBF\xBD", 3) == 0);
		off += got;
	}
	free(s);
}

/* A row's own claims: in the text, its columns, within the view. */
static void fuzz_check_row(const mq_edit *e, const struct mq_edit_row *row, int vc)
{
	const wchar_t *t = mq_edit_text(e);
	size_t len = mq_edit_len(e), i;

	FUZZ_CHECK(row->lead >= 0 && row->cols >= 0);
	FUZZ_CHECK(row->lead + row->cols <= vc);
	FUZZ_CHECK(row->first <= len && row->count <= len - row->first);
	FUZZ_CHECK((size_t)row->cols == fuzz_cols(t, row->first, row->first + row->count));
	for (i = row->first; i < row->first + row->count; i++)
		FUZZ_CHECK(t[i] != L'\n');
	/* Whole clusters only. */
	if (row->count > 0) {
		FUZZ_CHECK(fuzz_boundary(t, len, row->first));
		FUZZ_CHECK(fuzz_boundary(t, len, row->first + row->count));
	}
}

static void fuzz_check_single(const mq_edit *e, int vc)
{
	const wchar_t *t = mq_edit_text(e);
	size_t len = mq_edit_len(e), cur = mq_edit_cursor(e), h, before, limit, next;
	struct mq_edit_row row;
	int crow = -1, ccol = -1;

	FUZZ_CHECK(mq_edit_row_count(e) == 1 && mq_edit_top_row(e) == 0);
	mq_edit_view_row(e, 0, &row);
	fuzz_check_row(e, &row, vc);
	FUZZ_CHECK(row.lead == 0 || row.lead == 1);
	before = fuzz_cols(t, 0, row.first);
	FUZZ_CHECK(before >= (size_t)row.lead);
	h = before - (size_t)row.lead; /* the horizontal offset */
	FUZZ_CHECK(fuzz_boundary(t, len, row.first));
	if (row.lead > 0)
		FUZZ_CHECK(row.first > 0);
	if (row.first > 0) {
		/* The cluster before the first shown starts left of the view. */
		size_t prev = row.first - 1;

		while (!fuzz_boundary(t, len, prev))
			prev--;
		FUZZ_CHECK(fuzz_cols(t, 0, prev) < h);
	}
	if (row.first + row.count < len) /* nothing more fits */
		FUZZ_CHECK(row.lead + row.cols +
				   fuzz_cluster_cols(t, len, row.first + row.count, &next) >
			   (size_t)vc);
	/* No blank on the right while text is hidden on the left. */
	limit = mq_edit_width(e) + 1 > (size_t)vc ? mq_edit_width(e) + 1 - (size_t)vc : 0;
	FUZZ_CHECK(h <= limit);

	mq_edit_view_cursor(e, &crow, &ccol);
	FUZZ_CHECK(crow == 0);
	FUZZ_CHECK(ccol >= 0 && ccol < vc);
	FUZZ_CHECK((size_t)ccol + h == fuzz_cols(t, 0, cur));
	/* The character under the cursor is shown whenever it can be. */
	if (cur < len && fuzz_cluster_cols(t, len, cur, &next) <= (size_t)vc)
		FUZZ_CHECK(cur >= row.first && next <= row.first + row.count);

	for (int r = 1; r < 3; r++) {
		mq_edit_view_row(e, r, &row);
		FUZZ_CHECK(row.count == 0 && row.cols == 0 && row.lead == 0);
	}
	mq_edit_view_row(e, -1, &row);
	FUZZ_CHECK(row.count == 0);
	fuzz_check_row_text(e, 0, vc);
}

/* The model of wrapping: the start of every row, per code point. */
static size_t *fuzz_wrap(const wchar_t *t, size_t len, size_t vc, size_t *nrows)
{
	size_t *rows = malloc((len + 2) * sizeof *rows), n = 0, col = 0, i;

	FUZZ_CHECK(rows != NULL);
	rows[n++] = 0;
	for (i = 0; i < len; i++) {
		size_t w;

		if (t[i] == L'\n') {
			if (col > 0 && col + 1 > vc)
				rows[n++] = i;
			rows[n++] = i + 1;
			col = 0;
			continue;
		}
		if (!fuzz_boundary(t, len, i))
			continue; /* zero columns, with its cluster */
		w = fuzz_wc_cols(t[i]);
		if (col > 0 && col + w > vc) {
			rows[n++] = i;
			col = 0;
		}
		col += w;
	}
	if (col > 0 && col + 1 > vc)
		rows[n++] = len;
	FUZZ_CHECK(n <= len + 2);
	*nrows = n;
	return rows;
}

static void fuzz_check_multi(const mq_edit *e, int vc, int vr)
{
	const wchar_t *t = mq_edit_text(e);
	size_t len = mq_edit_len(e), cur = mq_edit_cursor(e), nrows, top, crow, k, end;
	size_t *rows = fuzz_wrap(t, len, (size_t)vc, &nrows);
	struct mq_edit_row row;
	int vrow = -1, vcol = -1, r;

	FUZZ_CHECK(mq_edit_row_count(e) == nrows);
	top = mq_edit_top_row(e);
	FUZZ_CHECK(top < nrows);
	FUZZ_CHECK(nrows <= (size_t)vr ? top == 0 : top <= nrows - (size_t)vr);
	for (crow = 0; crow + 1 < nrows && rows[crow + 1] <= cur; crow++)
		;
	mq_edit_view_cursor(e, &vrow, &vcol);
	FUZZ_CHECK(vrow >= 0 && vrow < vr && (size_t)vrow + top == crow);
	FUZZ_CHECK(vcol >= 0 && vcol < vc);
	FUZZ_CHECK((size_t)vcol == fuzz_cols(t, rows[crow], cur));

	for (r = 0; r < vr; r++) {
		size_t wr = top + (size_t)r, i, cols = 0;

		mq_edit_view_row(e, r, &row);
		fuzz_check_row(e, &row, vc);
		FUZZ_CHECK(row.lead == 0);
		if (wr >= nrows) {
			FUZZ_CHECK(row.count == 0 && row.cols == 0);
			continue;
		}
		FUZZ_CHECK(row.first == rows[wr]);
		end = wr + 1 < nrows ? rows[wr + 1] : len;
		if (end > rows[wr] && t[end - 1] == L'\n')
			end--;
		/* As many characters as fit: all but a wide one alone in one column. */
		for (i = rows[wr]; i < end; i++) {
			if (cols + fuzz_wc_cols(t[i]) > (size_t)vc)
				break;
			cols += fuzz_wc_cols(t[i]);
		}
		FUZZ_CHECK(row.count == i - rows[wr]);
		if (i < end)
			FUZZ_CHECK(cols == 0 && vc == 1);
		fuzz_check_row_text(e, r, vc);
	}
	mq_edit_view_row(e, vr, &row);
	FUZZ_CHECK(row.count == 0);
	for (k = 1; k < nrows; k++)
		FUZZ_CHECK(rows[k] > rows[k - 1]);
	free(rows);
}

static void fuzz_check(const mq_edit *e, const struct fuzz_opts *o, int vc, int vr)
{
	fuzz_check_text(e, o);
	fuzz_check_utf8(e, o, vc, vr);
	if (o->multiline)
		fuzz_check_multi(e, vc, vr);
	else
		fuzz_check_single(e, vc);
}

/* What changed: length, width, cursor and a copy of the text. */
struct fuzz_snap {
	size_t len, width, cursor;
	wchar_t *text;
};

static void fuzz_snap(const mq_edit *e, struct fuzz_snap *s)
{
	s->len = mq_edit_len(e);
	s->width = mq_edit_width(e);
	s->cursor = mq_edit_cursor(e);
	s->text = malloc((s->len + 1) * sizeof *s->text);
	FUZZ_CHECK(s->text != NULL);
	memcpy(s->text, mq_edit_text(e), (s->len + 1) * sizeof *s->text);
}

static bool fuzz_same_text(const mq_edit *e, const struct fuzz_snap *s)
{
	return mq_edit_len(e) == s->len &&
	       memcmp(mq_edit_text(e), s->text, s->len * sizeof *s->text) == 0;
}

/* A refusal or NOOP changed nothing; a limit is reported only when reached. */
static void fuzz_check_status(const mq_edit *e, const struct fuzz_opts *o,
			      const struct fuzz_snap *s, enum mq_edit_status st)
{
	switch (st) {
	case MQ_EDIT_OK:
		break;
	case MQ_EDIT_NOOP:
		FUZZ_CHECK(fuzz_same_text(e, s) && mq_edit_cursor(e) == s->cursor);
		break;
	case MQ_EDIT_FULL_CHARS:
		FUZZ_CHECK(o->max_chars > 0 && s->len == o->max_chars);
		FUZZ_CHECK(fuzz_same_text(e, s) && mq_edit_cursor(e) == s->cursor);
		break;
	case MQ_EDIT_FULL_COLS:
		FUZZ_CHECK(o->max_cols > 0 && s->width + 1 >= (size_t)o->max_cols);
		FUZZ_CHECK(fuzz_same_text(e, s) && mq_edit_cursor(e) == s->cursor);
		break;
	case MQ_EDIT_INVALID:
		FUZZ_CHECK(fuzz_same_text(e, s) && mq_edit_cursor(e) == s->cursor);
		break;
	default:
		FUZZ_CHECK(st == MQ_EDIT_OK); /* an unknown status */
	}
}

/* The stream decoder against decoding the bytes whole (mq_utf8_decode). */
static void fuzz_check_stream(const uint8_t *data, size_t size)
{
	struct mq_utf8_stream st = {0};
	wchar_t got[4], want;
	size_t i, k, n, off = 0;

	for (i = 0; i <= size; i++) {
		n = i < size ? mq_utf8_stream_feed(&st, data[i], got)
			     : mq_utf8_stream_flush(&st, got);
		FUZZ_CHECK(st.n <= 3);
		for (k = 0; k < n; k++) {
			FUZZ_CHECK(off < size);
			off += mq_utf8_decode((const char *)data + off, size - off, &want);
			FUZZ_CHECK(got[k] == want);
		}
	}
	FUZZ_CHECK(off == size && st.n == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mq_edit_options opt = {0};
	struct fuzz_opts o;
	size_t i = 5, ops = 0;
	int vc, vr;
	mq_edit *e;

	fuzz_check_stream(data, size);
	if (size < 5)
		return 0;
	o.multiline = data[0] & 1;
	o.max_chars = (data[0] & 2) ? 1 + data[3] % 48 : 0;
	o.max_cols = (data[0] & 4) ? 1 + data[4] % 64 : 0;
	vc = 1 + data[1] % 12;
	vr = o.multiline ? 1 + data[2] % 6 : 1;
	opt.max_chars = o.max_chars;
	opt.max_cols = o.max_cols;
	opt.multiline = o.multiline;
	opt.view_cols = vc;
	opt.view_rows = vr;
	e = mq_edit_new(&opt);
	fuzz_check(e, &o, vc, vr);

	while (i < size && ops++ < FUZZ_MAX_OPS) {
		unsigned op = data[i++] % 32, arg = 0;
		enum mq_edit_status st = MQ_EDIT_OK;
		struct fuzz_snap before;

		/* Operations 19 and up take an argument byte. */
		if (op >= 19 && i < size)
			arg = data[i++];

		fuzz_snap(e, &before);
		if (op <= MQ_EDIT_FINISH) {
			st = mq_edit_move(e, (enum mq_edit_move)op);
			if (st == MQ_EDIT_NOOP)
				FUZZ_CHECK(mq_edit_cursor(e) == before.cursor);
			FUZZ_CHECK(fuzz_same_text(e, &before));
		} else if (op == 12) {
			st = mq_edit_delete(e);
			if (st == MQ_EDIT_OK)
				FUZZ_CHECK(mq_edit_len(e) < before.len);
		} else if (op == 13) {
			st = mq_edit_backspace(e);
			if (st == MQ_EDIT_OK)
				FUZZ_CHECK(mq_edit_len(e) == before.len - 1);
		} else if (op == 14) {
			st = mq_edit_kill_to_end(e);
		} else if (op == 15) {
			st = mq_edit_kill_line(e);
		} else if (op == 16) {
			st = mq_edit_newline(e);
			FUZZ_CHECK(o.multiline || st == MQ_EDIT_INVALID);
		} else if (op == 17) {
			st = mq_edit_clear(e);
			FUZZ_CHECK(mq_edit_len(e) == 0 && mq_edit_pending(e) == 0);
		} else if (op == 18) {
			size_t pending = mq_edit_pending(e);

			st = mq_edit_flush(e);
			FUZZ_CHECK(mq_edit_pending(e) == 0);
			FUZZ_CHECK(pending > 0 || st == MQ_EDIT_NOOP);
			FUZZ_CHECK(mq_edit_len(e) <= before.len + pending);
			/* A flush may be cut by a limit after a part went in. */
			if (st == MQ_EDIT_FULL_CHARS)
				FUZZ_CHECK(o.max_chars > 0 && mq_edit_len(e) == o.max_chars);
			if (st == MQ_EDIT_FULL_COLS)
				FUZZ_CHECK(o.max_cols > 0);
			FUZZ_CHECK(st != MQ_EDIT_INVALID);
			if (st != MQ_EDIT_NOOP)
				st = MQ_EDIT_OK;
		} else if (op == 19) {
			wchar_t wc = fuzz_chars[arg % (sizeof fuzz_chars / sizeof fuzz_chars[0])];

			st = mq_edit_insert(e, wc);
			if (st == MQ_EDIT_OK)
				FUZZ_CHECK(mq_edit_len(e) == before.len + 1 &&
					   mq_edit_cursor(e) > before.cursor);
		} else if (op == 20) {
			vc = 1 + arg % 12;
			if (o.multiline)
				vr = 1 + (arg / 12) % 6;
			mq_edit_set_view(e, vc, vr);
			FUZZ_CHECK(fuzz_same_text(e, &before) &&
				   mq_edit_cursor(e) == before.cursor);
		} else if (op == 21) {
			size_t pos = before.len > 0 ? arg % (before.len + 2) : arg % 2;

			st = mq_edit_set_cursor(e, pos);
			FUZZ_CHECK(mq_edit_cursor(e) >= (pos > before.len ? before.len : pos));
		} else if (op == 22) {
			size_t n = arg % 32;
			char *s;

			if (n > size - i)
				n = size - i;
			s = malloc(n + 1);
			FUZZ_CHECK(s != NULL);
			memcpy(s, data + i, n);
			s[n] = '\0';
			i += n;
			st = mq_edit_set_utf8(e, s);
			FUZZ_CHECK(mq_edit_cursor(e) == 0 && mq_edit_pending(e) == 0);
			FUZZ_CHECK(st == MQ_EDIT_OK || st == MQ_EDIT_FULL_CHARS ||
				   st == MQ_EDIT_FULL_COLS);
			if (st == MQ_EDIT_OK)
				FUZZ_CHECK(mq_edit_len(e) <= strlen(s));
			free(s);
			st = MQ_EDIT_OK;
		} else {
			size_t n = arg % 24;
			struct mq_edit_paste res;
			size_t got;

			if (n > size - i)
				n = size - i;
			got = mq_edit_insert_utf8(e, (const char *)data + i, n, &res);
			i += n;
			FUZZ_CHECK(got == res.inserted);
			FUZZ_CHECK(mq_edit_len(e) == before.len + got);
			FUZZ_CHECK(mq_edit_cursor(e) >= before.cursor + got);
			FUZZ_CHECK(mq_edit_pending(e) <= 3);
			FUZZ_CHECK((res.refused == 0) == (res.status == MQ_EDIT_OK));
			FUZZ_CHECK(res.status != MQ_EDIT_NOOP);
			if (res.status == MQ_EDIT_FULL_CHARS)
				FUZZ_CHECK(o.max_chars > 0 && mq_edit_len(e) == o.max_chars);
			if (res.status == MQ_EDIT_FULL_COLS)
				FUZZ_CHECK(o.max_cols > 0);
		}
		fuzz_check_status(e, &o, &before, st);
		free(before.text);
		fuzz_check(e, &o, vc, vr);
	}
	mq_edit_free(e);
	return 0;
}
