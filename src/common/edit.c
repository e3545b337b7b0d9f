/*
 * The field editor model (include/mq/edit.h): text as code points, a cursor,
 * limits, and the layout of a view, with no terminal: the console draws what
 * mq_edit_view_row() and mq_edit_view_utf8() describe.
 *
 * Every public operation ends in edit_done(), which keeps the cursor on a
 * cluster boundary, re-wraps a changed multi-line text (one pass over it)
 * and scrolls so the cursor is visible. Columns always come from
 * mq_wcwidth(), decoding from mq_utf8_decode() (include/mq/width.h).
 *
 * Over 800 lines on purpose: one data structure whose invariants (cursor on
 * a cluster boundary, limits never exceeded, rows re-wrapped after every
 * change) every operation must keep, so they stay in one file beside each
 * other; unit.edit and the fuzzer (tests/fuzz/fuzz_edit.c) hold it to them.
 *
 * Ownership: the editor owns its text, its row table and its pending bytes;
 * mq_edit_free() frees them. The strings returned by mq_edit_utf8() and
 * mq_edit_view_utf8() belong to the caller.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mq/common.h"
#include "mq/edit.h"
#include "mq/width.h"

#define EDIT_REPLACEMENT 0xFFFD

struct mq_edit {
	struct mq_edit_options opt; /* normalised: view_cols, view_rows >= 1 */

	wchar_t *text; /* [cap], NUL-terminated at len */
	size_t len;
	size_t cap;
	size_t cursor; /* 0..len, always on a cluster boundary */
	size_t width;  /* columns of the whole text ('\n' counts 0) */

	/* Layout of a multi-line field: the index where each wrapped row starts. */
	size_t *rows; /* [rows_cap], strictly increasing, rows[0] == 0 */
	size_t nrows;
	size_t rows_cap;
	size_t top;     /* first row shown */
	bool dirty;     /* the text changed since the last wrap */
	size_t hscroll; /* single-line: columns scrolled off at the left */

	bool has_goal; /* a run of vertical moves is going on */
	size_t goal;   /* its column */

	unsigned char pending[4]; /* the start of a sequence cut by a paste */
	size_t npending;
	bool after_cr; /* the last pasted character was a '\r' turned into '\n' */
};

/* --- characters ------------------------------------------------------------------ */

static bool edit_is_control(wchar_t wc)
{
	return (wc >= 0 && wc < 0x20) || (wc >= 0x7F && wc < 0xA0);
}

/* A code point that UTF-8 can carry. */
static bool edit_is_scalar(wchar_t wc)
{
	return wc >= 0 && wc <= 0x10FFFF && !(wc >= 0xD800 && wc <= 0xDFFF);
}

/* Columns a stored character adds to the text's width. */
static size_t edit_wc_cols(wchar_t wc)
{
	return wc == L'\n' ? 0 : (size_t)mq_wcwidth(wc);
}

/* A zero-width character: part of the cluster of the character before it. */
static bool edit_is_zero(wchar_t wc)
{
	return wc != L'\n' && mq_wcwidth(wc) == 0;
}

/* Encode one code point (U+FFFD when it is not a scalar value); returns bytes. */
static size_t edit_encode(wchar_t wc, char *out)
{
	uint32_t c = edit_is_scalar(wc) ? (uint32_t)wc : EDIT_REPLACEMENT;

	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* Word classes of mq_edit_move(). */
enum edit_class {
	EDIT_SPACE,
	EDIT_WORD,
	EDIT_CJK,
	EDIT_PUNCT,
};

static bool edit_in(wchar_t wc, uint32_t first, uint32_t last)
{
	return wc >= 0 && (uint32_t)wc >= first && (uint32_t)wc <= last;
}

static enum edit_class edit_class(wchar_t wc)
{
	if (wc == L' ' || wc == L'\n' || wc == L'\t' || wc == 0xA0 || wc == 0x1680 ||
	    edit_in(wc, 0x2000, 0x200A) || wc == 0x2028 || wc == 0x2029 || wc == 0x202F ||
	    wc == 0x205F || wc == 0x3000)
		return EDIT_SPACE;
	if (wc < 0x80) {
		if ((wc >= L'0' && wc <= L'9') || (wc >= L'A' && wc <= L'Z') ||
		    (wc >= L'a' && wc <= L'z') || wc == L'_')
			return EDIT_WORD;
		return EDIT_PUNCT;
	}
	/* Ideographs, kana, bopomofo, Hangul, Yi, the CJK iteration marks. */
	if (edit_in(wc, 0x1100, 0x11FF) || edit_in(wc, 0x2E80, 0x2FDF) ||
	    edit_in(wc, 0x3005, 0x3007) || edit_in(wc, 0x3021, 0x3029) ||
	    edit_in(wc, 0x3031, 0x3035) || edit_in(wc, 0x3038, 0x303B) ||
	    edit_in(wc, 0x3041, 0x309F) || edit_in(wc, 0x30A1, 0x30FA) ||
	    edit_in(wc, 0x30FC, 0x31FF) || edit_in(wc, 0x3400, 0x4DBF) ||
	    edit_in(wc, 0x4E00, 0x9FFF) || edit_in(wc, 0xA000, 0xA4CF) ||
	    edit_in(wc, 0xAC00, 0xD7AF) || edit_in(wc, 0xF900, 0xFAFF) ||
	    edit_in(wc, 0x20000, 0x3FFFF))
		return EDIT_CJK;
	/* Punctuation and symbols: Latin-1, general, CJK, fullwidth, emoji. */
	if (edit_in(wc, 0x80, 0xBF) || wc == 0xD7 || wc == 0xF7 || edit_in(wc, 0x2010, 0x2027) ||
	    edit_in(wc, 0x2030, 0x205E) || edit_in(wc, 0x20A0, 0x20CF) ||
	    edit_in(wc, 0x2100, 0x2BFF) || edit_in(wc, 0x2E00, 0x2E7F) ||
	    edit_in(wc, 0x3001, 0x303F) || wc == 0x30A0 || wc == 0x30FB ||
	    edit_in(wc, 0xFE10, 0xFE6F) || edit_in(wc, 0xFF01, 0xFF0F) ||
	    edit_in(wc, 0xFF1A, 0xFF20) || edit_in(wc, 0xFF3B, 0xFF40) ||
	    edit_in(wc, 0xFF5B, 0xFF65) || edit_in(wc, 0xFFE0, 0xFFEE) || wc == 0xFFFD ||
	    edit_in(wc, 0x1F000, 0x1FAFF))
		return EDIT_PUNCT;
	return EDIT_WORD; /* letters and digits of every other script */
}

/* --- clusters ---------------------------------------------------------------------- */

/* Whether a cluster starts at i (or i is the end). */
static bool edit_is_boundary(const mq_edit *e, size_t i)
{
	return i == 0 || i >= e->len || !edit_is_zero(e->text[i]) || e->text[i - 1] == L'\n';
}

/* The start of the next cluster after the one at i. */
static size_t edit_next(const mq_edit *e, size_t i)
{
	if (i >= e->len)
		return e->len;
	if (e->text[i++] == L'\n')
		return i;
	while (i < e->len && edit_is_zero(e->text[i]))
		i++;
	return i;
}

/* The start of the cluster before i. */
static size_t edit_prev(const mq_edit *e, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	if (e->text[i] == L'\n')
		return i;
	while (i > 0 && edit_is_zero(e->text[i]) && e->text[i - 1] != L'\n')
		i--;
	return i;
}

/* Columns of text[from..to) ('\n' counts 0). */
static size_t edit_cols(const mq_edit *e, size_t from, size_t to)
{
	size_t cols = 0;

	for (; from < to; from++)
		cols += edit_wc_cols(e->text[from]);
	return cols;
}

/* --- text changes ------------------------------------------------------------------ */

/* Replace text[pos..pos+ndel) by ins[0..nins); the width follows. */
static void edit_splice(mq_edit *e, size_t pos, size_t ndel, const wchar_t *ins, size_t nins)
{
	size_t newlen, i;

	for (i = pos; i < pos + ndel; i++)
		e->width -= edit_wc_cols(e->text[i]);
	newlen = e->len - ndel + nins;
	if (newlen >= e->cap) {
		size_t cap = e->cap * 2 > newlen + 1 ? e->cap * 2 : newlen + 1;

		if (cap > SIZE_MAX / sizeof *e->text)
			fatal("field text too long (%zu characters)", newlen);
		e->text = xrealloc(e->text, cap * sizeof *e->text);
		e->cap = cap;
	}
	memmove(e->text + pos + nins, e->text + pos + ndel,
		(e->len - pos - ndel) * sizeof *e->text);
	if (nins > 0)
		memcpy(e->text + pos, ins, nins * sizeof *e->text);
	for (i = 0; i < nins; i++)
		e->width += edit_wc_cols(ins[i]);
	e->len = newlen;
	e->text[e->len] = L'\0';
	e->dirty = true;
}

/* Whether wc may be added to a text of len + nmore characters and width + wmore columns. */
static enum mq_edit_status edit_fits(const mq_edit *e, size_t nmore, size_t wmore, wchar_t wc)
{
	if (e->opt.max_chars > 0 && e->len + nmore >= e->opt.max_chars)
		return MQ_EDIT_FULL_CHARS;
	if (e->opt.max_cols > 0 && e->width + wmore + edit_wc_cols(wc) > (size_t)e->opt.max_cols)
		return MQ_EDIT_FULL_COLS;
	return MQ_EDIT_OK;
}

/* How edit_feed() treats control characters. */
enum edit_feed_mode {
	EDIT_FEED_LOAD,  /* shown as U+FFFD (mq_edit_set_utf8) */
	EDIT_FEED_PASTE, /* refused (mq_edit_insert_utf8) */
};

/*
 * Decode the pending bytes followed by s[0..n) and insert the result at the
 * cursor in one splice. Unless final, a sequence cut at the end is kept
 * pending. *res receives the counts.
 */
static void edit_feed(mq_edit *e, const char *s, size_t n, bool final, enum edit_feed_mode mode,
		      struct mq_edit_paste *res)
{
	size_t total = e->npending + n, off = 0, nout = 0, wout = 0;
	unsigned char *in = xmalloc(total);
	wchar_t *out = xmalloc((total + 1) * sizeof *out);
	bool full = false;

	memset(res, 0, sizeof *res);
	memcpy(in, e->pending, e->npending);
	if (n > 0)
		memcpy(in + e->npending, s, n);
	e->npending = 0;

	while (off < total) {
		enum mq_edit_status st;
		wchar_t wc;

		if (!final && mq_utf8_incomplete(in + off, total - off)) {
			e->npending = total - off;
			memcpy(e->pending, in + off, e->npending);
			break;
		}
		off += mq_utf8_decode((const char *)in + off, total - off, &wc);

		if (e->opt.multiline) {
			if (wc == L'\n' && e->after_cr) {
				e->after_cr = false; /* the second half of "\r\n" */
				continue;
			}
			e->after_cr = wc == L'\r';
			if (wc == L'\r')
				wc = L'\n';
		}
		if (wc == L'\t')
			wc = L' ';
		if (edit_is_control(wc) && !(wc == L'\n' && e->opt.multiline)) {
			if (mode == EDIT_FEED_PASTE) {
				if (res->status == MQ_EDIT_OK)
					res->status = MQ_EDIT_INVALID;
				res->refused++;
				continue;
			}
			wc = EDIT_REPLACEMENT;
		}
		if (full) {
			res->refused++;
			continue;
		}
		st = edit_fits(e, nout, wout, wc);
		if (st != MQ_EDIT_OK) {
			full = true;
			if (res->status == MQ_EDIT_OK)
				res->status = st;
			res->refused++;
			continue;
		}
		out[nout++] = wc;
		wout += edit_wc_cols(wc);
	}
	if (nout > 0) {
		edit_splice(e, e->cursor, 0, out, nout);
		e->cursor += nout;
	}
	res->inserted = nout;
	free(out);
	free(in);
}

/* --- layout ------------------------------------------------------------------------ */

static void edit_add_row(mq_edit *e, size_t start)
{
	if (e->nrows == e->rows_cap) {
		e->rows_cap = e->rows_cap == 0 ? 16 : 2 * e->rows_cap;
		e->rows = xrealloc(e->rows, e->rows_cap * sizeof *e->rows);
	}
	e->rows[e->nrows++] = start;
}

/*
 * Wrap a multi-line text into rows of view_cols columns. A cluster that does
 * not fit starts a new row (unless the row is empty: a wide character in a
 * one-column view gets a row of its own); '\n' ends a row. The cursor's cell
 * at a '\n' or at the end of the text needs a column too.
 */
static void edit_wrap(mq_edit *e)
{
	size_t vc = (size_t)e->opt.view_cols, col = 0, i = 0;

	e->nrows = 0;
	edit_add_row(e, 0);
	while (i < e->len) {
		size_t next, w;

		if (e->text[i] == L'\n') {
			if (col > 0 && col + 1 > vc)
				edit_add_row(e, i);
			i++;
			edit_add_row(e, i);
			col = 0;
			continue;
		}
		next = edit_next(e, i);
		w = edit_cols(e, i, next);
		if (col > 0 && col + w > vc) {
			edit_add_row(e, i);
			col = 0;
		}
		col += w;
		i = next;
	}
	if (col > 0 && col + 1 > vc)
		edit_add_row(e, e->len);
	e->dirty = false;
}

/* The wrapped row holding index pos (the last row starting at or before it). */
static size_t edit_row_of(const mq_edit *e, size_t pos)
{
	size_t lo = 0, hi = e->nrows; /* rows[lo] <= pos < rows[hi] */

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->rows[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* One past the last character shown on row r (its '\n' excluded). */
static size_t edit_row_end(const mq_edit *e, size_t r)
{
	size_t end;

	if (r + 1 >= e->nrows)
		return e->len;
	end = e->rows[r + 1];
	if (end > e->rows[r] && e->text[end - 1] == L'\n')
		end--;
	return end;
}

/* The last position the cursor may take on row r (soft rows end before the next). */
static size_t edit_row_last(const mq_edit *e, size_t r)
{
	size_t end = edit_row_end(e, r), pos, next;

	if (r + 1 >= e->nrows || e->rows[r + 1] != end)
		return end; /* the last row, or a '\n' ends it: the position at the end */
	pos = e->rows[r];
	for (;;) {
		next = edit_next(e, pos);
		if (next >= end)
			return pos;
		pos = next;
	}
}

/* Columns from the start of the cursor's row (single-line: of the text) to the cursor. */
static size_t edit_cursor_col(const mq_edit *e)
{
	size_t start = e->opt.multiline ? e->rows[edit_row_of(e, e->cursor)] : 0;

	return edit_cols(e, start, e->cursor);
}

static void edit_scroll_single(mq_edit *e)
{
	size_t vc = (size_t)e->opt.view_cols, col = edit_cursor_col(e), need, limit;

	need = e->cursor < e->len ? edit_cols(e, e->cursor, edit_next(e, e->cursor)) : 1;
	if (need < 1)
		need = 1;
	if (need > vc)
		need = vc;
	/* No blank on the right while text is hidden on the left. */
	limit = e->width + 1 > vc ? e->width + 1 - vc : 0;
	if (e->hscroll > limit)
		e->hscroll = limit;
	if (col < e->hscroll)
		e->hscroll = col;
	if (col + need > e->hscroll + vc)
		e->hscroll = col + need - vc;
}

static void edit_scroll_multi(mq_edit *e)
{
	size_t vr = (size_t)e->opt.view_rows, row;

	if (e->dirty)
		edit_wrap(e);
	row = edit_row_of(e, e->cursor);
	if (e->nrows <= vr)
		e->top = 0;
	else if (e->top > e->nrows - vr)
		e->top = e->nrows - vr;
	if (row < e->top)
		e->top = row;
	if (row >= e->top + vr)
		e->top = row - vr + 1;
}

/* The end of every public operation: cursor on a boundary, layout, scroll. */
static void edit_done(mq_edit *e)
{
	if (e->cursor > e->len)
		e->cursor = e->len;
	while (!edit_is_boundary(e, e->cursor))
		e->cursor++;
	if (e->opt.multiline)
		edit_scroll_multi(e);
	else
		edit_scroll_single(e);
}

/* The start of an operation other than a vertical move or a paste. */
static void edit_begin(mq_edit *e)
{
	e->has_goal = false;
	e->after_cr = false;
}

/* --- life cycle and text ------------------------------------------------------------- */

static void edit_set_view(mq_edit *e, int view_cols, int view_rows)
{
	e->opt.view_cols = view_cols < 1 ? 1 : view_cols;
	e->opt.view_rows = view_rows < 1 || !e->opt.multiline ? 1 : view_rows;
	e->dirty = true;
}

mq_edit *mq_edit_new(const struct mq_edit_options *opt)
{
	mq_edit *e = xcalloc(1, sizeof *e);

	if (opt != NULL)
		e->opt = *opt;
	if (e->opt.max_cols < 0)
		e->opt.max_cols = 0;
	edit_set_view(e, e->opt.view_cols, e->opt.view_rows);
	e->cap = 16;
	e->text = xcalloc(e->cap, sizeof *e->text);
	edit_done(e);
	return e;
}

void mq_edit_free(mq_edit *e)
{
	if (e == NULL)
		return;
	free(e->text);
	free(e->rows);
	free(e);
}

void mq_edit_set_view(mq_edit *e, int view_cols, int view_rows)
{
	/*
	 * Not an edit (no edit_begin()): the screen sets the view before every
	 * draw, and a draw between two presses of Down must not forget their
	 * goal column, nor a paste's pending CR.
	 */
	edit_set_view(e, view_cols, view_rows);
	edit_done(e);
}

enum mq_edit_status mq_edit_set_utf8(mq_edit *e, const char *s)
{
	struct mq_edit_paste res;

	edit_begin(e);
	e->len = 0;
	e->text[0] = L'\0';
	e->width = 0;
	e->cursor = 0;
	e->npending = 0;
	e->hscroll = 0;
	e->top = 0;
	e->dirty = true;
	if (s != NULL)
		edit_feed(e, s, strlen(s), true, EDIT_FEED_LOAD, &res);
	else
		res.status = MQ_EDIT_OK;
	e->after_cr = false;
	e->cursor = 0;
	edit_done(e);
	return res.status;
}

char *mq_edit_utf8(const mq_edit *e)
{
	char *s, *out;
	size_t i;

	if (e->len > (SIZE_MAX - 1) / 4)
		fatal("field text too long (%zu characters)", e->len);
	s = xmalloc(4 * e->len + 1);
	out = s;
	for (i = 0; i < e->len; i++)
		out += edit_encode(e->text[i], out);
	*out = '\0';
	return s;
}

const wchar_t *mq_edit_text(const mq_edit *e)
{
	return e->text;
}

size_t mq_edit_len(const mq_edit *e)
{
	return e->len;
}

size_t mq_edit_cursor(const mq_edit *e)
{
	return e->cursor;
}

size_t mq_edit_width(const mq_edit *e)
{
	return e->width;
}

size_t mq_edit_pending(const mq_edit *e)
{
	return e->npending;
}

enum mq_edit_status mq_edit_set_cursor(mq_edit *e, size_t pos)
{
	size_t old = e->cursor;

	edit_begin(e);
	e->cursor = pos > e->len ? e->len : pos;
	edit_done(e);
	return e->cursor == old ? MQ_EDIT_NOOP : MQ_EDIT_OK;
}

/* --- editing -------------------------------------------------------------------------- */

enum mq_edit_status mq_edit_insert(mq_edit *e, wchar_t wc)
{
	enum mq_edit_status st;

	edit_begin(e);
	if (!edit_is_scalar(wc))
		return MQ_EDIT_INVALID;
	if (wc == L'\t')
		wc = L' ';
	if (wc == L'\r' && e->opt.multiline)
		wc = L'\n';
	if (edit_is_control(wc) && !(wc == L'\n' && e->opt.multiline))
		return MQ_EDIT_INVALID;
	st = edit_fits(e, 0, 0, wc);
	if (st != MQ_EDIT_OK)
		return st;
	edit_splice(e, e->cursor, 0, &wc, 1);
	e->cursor++;
	edit_done(e);
	return MQ_EDIT_OK;
}

enum mq_edit_status mq_edit_newline(mq_edit *e)
{
	return mq_edit_insert(e, L'\n');
}

size_t mq_edit_insert_utf8(mq_edit *e, const char *s, size_t n, struct mq_edit_paste *res)
{
	struct mq_edit_paste r;

	e->has_goal = false;
	edit_feed(e, s, s == NULL ? 0 : n, false, EDIT_FEED_PASTE, &r);
	edit_done(e);
	if (res != NULL)
		*res = r;
	return r.inserted;
}

enum mq_edit_status mq_edit_flush(mq_edit *e)
{
	struct mq_edit_paste r;

	edit_begin(e);
	if (e->npending == 0)
		return MQ_EDIT_NOOP;
	edit_feed(e, NULL, 0, true, EDIT_FEED_PASTE, &r);
	edit_done(e);
	return r.status;
}

enum mq_edit_status mq_edit_delete(mq_edit *e)
{
	edit_begin(e);
	if (e->cursor >= e->len)
		return MQ_EDIT_NOOP;
	edit_splice(e, e->cursor, edit_next(e, e->cursor) - e->cursor, NULL, 0);
	edit_done(e);
	return MQ_EDIT_OK;
}

enum mq_edit_status mq_edit_backspace(mq_edit *e)
{
	edit_begin(e);
	if (e->cursor == 0)
		return MQ_EDIT_NOOP;
	e->cursor--;
	edit_splice(e, e->cursor, 1, NULL, 0);
	edit_done(e);
	return MQ_EDIT_OK;
}

/* The start of the logical line holding pos. */
static size_t edit_line_start(const mq_edit *e, size_t pos)
{
	while (pos > 0 && e->text[pos - 1] != L'\n')
		pos--;
	return pos;
}

/* The end of the logical line holding pos: its '\n' or the end of the text. */
static size_t edit_line_end(const mq_edit *e, size_t pos)
{
	while (pos < e->len && e->text[pos] != L'\n')
		pos++;
	return pos;
}

enum mq_edit_status mq_edit_kill_to_end(mq_edit *e)
{
	size_t end;

	edit_begin(e);
	end = edit_line_end(e, e->cursor);
	if (end == e->cursor) {
		if (end == e->len)
			return MQ_EDIT_NOOP;
		end++; /* at the '\n': join the next line */
	}
	edit_splice(e, e->cursor, end - e->cursor, NULL, 0);
	edit_done(e);
	return MQ_EDIT_OK;
}

enum mq_edit_status mq_edit_kill_line(mq_edit *e)
{
	size_t start, end;

	edit_begin(e);
	if (e->len == 0)
		return MQ_EDIT_NOOP;
	start = edit_line_start(e, e->cursor);
	end = edit_line_end(e, e->cursor);
	if (start < end) {
		edit_splice(e, start, end - start, NULL, 0);
		e->cursor = start;
	} else if (end < e->len) {
		edit_splice(e, start, 1, NULL, 0); /* an empty line and its '\n' */
		e->cursor = start;
	} else {
		/* The empty last line: its '\n' before it goes. */
		edit_splice(e, start - 1, 1, NULL, 0);
		e->cursor = edit_line_start(e, start - 1);
	}
	edit_done(e);
	return MQ_EDIT_OK;
}

enum mq_edit_status mq_edit_clear(mq_edit *e)
{
	bool empty = e->len == 0 && e->npending == 0;

	edit_begin(e);
	e->npending = 0;
	if (empty)
		return MQ_EDIT_NOOP;
	edit_splice(e, 0, e->len, NULL, 0);
	e->cursor = 0;
	edit_done(e);
	return MQ_EDIT_OK;
}

/* --- moving ------------------------------------------------------------------------------ */

static size_t edit_word_right(const mq_edit *e, size_t i)
{
	enum edit_class cls;

	if (i >= e->len)
		return i;
	cls = edit_class(e->text[i]);
	if (cls != EDIT_SPACE) {
		while (i < e->len && edit_class(e->text[i]) == cls)
			i = edit_next(e, i);
	}
	while (i < e->len && edit_class(e->text[i]) == EDIT_SPACE)
		i = edit_next(e, i);
	return i;
}

static size_t edit_word_left(const mq_edit *e, size_t i)
{
	enum edit_class cls;

	while (i > 0 && edit_class(e->text[edit_prev(e, i)]) == EDIT_SPACE)
		i = edit_prev(e, i);
	if (i == 0)
		return 0;
	cls = edit_class(e->text[edit_prev(e, i)]);
	while (i > 0 && edit_class(e->text[edit_prev(e, i)]) == cls)
		i = edit_prev(e, i);
	return i;
}

/* The position on row r closest to column goal without passing it. */
static size_t edit_pos_at_col(const mq_edit *e, size_t r, size_t goal)
{
	size_t pos = e->rows[r], last = edit_row_last(e, r), col = 0;

	while (pos < last) {
		size_t next = edit_next(e, pos), w = edit_cols(e, pos, next);

		if (col + w > goal)
			break;
		col += w;
		pos = next;
	}
	return pos;
}

/* Up, down and the pages of a multi-line field: rows is the signed distance. */
static enum mq_edit_status edit_move_rows(mq_edit *e, long rows, bool page)
{
	size_t row, target, vr = (size_t)e->opt.view_rows;

	if (!e->opt.multiline)
		return MQ_EDIT_NOOP;
	row = edit_row_of(e, e->cursor);
	if ((rows < 0 && row == 0) || (rows > 0 && row + 1 >= e->nrows))
		return MQ_EDIT_NOOP;
	if (!e->has_goal) {
		e->goal = edit_cursor_col(e);
		e->has_goal = true;
	}
	if (rows < 0)
		target = row >= (size_t)-rows ? row - (size_t)-rows : 0;
	else
		target = row + (size_t)rows < e->nrows ? row + (size_t)rows : e->nrows - 1;
	if (page) /* the view moves with the cursor; edit_done() clamps it */
		e->top = rows < 0 ? (e->top >= vr ? e->top - vr : 0) : e->top + vr;
	e->cursor = edit_pos_at_col(e, target, e->goal);
	return MQ_EDIT_OK;
}

enum mq_edit_status mq_edit_move(mq_edit *e, enum mq_edit_move how)
{
	size_t old = e->cursor, pos = e->cursor;
	enum mq_edit_status st;
	long vr = e->opt.view_rows;

	e->after_cr = false;
	if (how == MQ_EDIT_UP || how == MQ_EDIT_DOWN || how == MQ_EDIT_PAGE_UP ||
	    how == MQ_EDIT_PAGE_DOWN) {
		if (how == MQ_EDIT_UP)
			st = edit_move_rows(e, -1, false);
		else if (how == MQ_EDIT_DOWN)
			st = edit_move_rows(e, 1, false);
		else if (how == MQ_EDIT_PAGE_UP)
			st = edit_move_rows(e, -vr, true);
		else
			st = edit_move_rows(e, vr, true);
		edit_done(e);
		return st;
	}

	e->has_goal = false;
	switch (how) {
	case MQ_EDIT_LEFT:
		pos = edit_prev(e, pos);
		break;
	case MQ_EDIT_RIGHT:
		pos = edit_next(e, pos);
		break;
	case MQ_EDIT_HOME:
		pos = edit_line_start(e, pos);
		break;
	case MQ_EDIT_END:
		pos = edit_line_end(e, pos);
		break;
	case MQ_EDIT_WORD_LEFT:
		pos = edit_word_left(e, pos);
		break;
	case MQ_EDIT_WORD_RIGHT:
		pos = edit_word_right(e, pos);
		break;
	case MQ_EDIT_START:
		pos = 0;
		break;
	case MQ_EDIT_FINISH:
		pos = e->len;
		break;
	default:
		return MQ_EDIT_NOOP;
	}
	e->cursor = pos;
	edit_done(e);
	return e->cursor == old ? MQ_EDIT_NOOP : MQ_EDIT_OK;
}

/* --- the view ------------------------------------------------------------------------------- */

size_t mq_edit_row_count(const mq_edit *e)
{
	return e->opt.multiline ? e->nrows : 1;
}

size_t mq_edit_top_row(const mq_edit *e)
{
	return e->opt.multiline ? e->top : 0;
}

void mq_edit_view_row(const mq_edit *e, int r, struct mq_edit_row *row)
{
	size_t vc = (size_t)e->opt.view_cols, i, end, cols = 0, lead = 0;

	row->first = e->len;
	row->count = 0;
	row->lead = 0;
	row->cols = 0;
	if (r < 0 || r >= e->opt.view_rows)
		return;
	if (e->opt.multiline) {
		size_t wrapped = e->top + (size_t)r;

		if (wrapped >= e->nrows)
			return;
		i = e->rows[wrapped];
		end = edit_row_end(e, wrapped);
	} else {
		/* Skip the clusters that start left of the view. */
		i = 0;
		while (i < e->len && cols < e->hscroll) {
			size_t next = edit_next(e, i);

			cols += edit_cols(e, i, next);
			i = next;
		}
		/* 1 when a wide character is cut by the left edge */
		lead = cols > e->hscroll ? cols - e->hscroll : 0;
		cols = 0;
		end = e->len;
	}
	row->first = i;
	while (i < end) {
		size_t next = edit_next(e, i), w = edit_cols(e, i, next);

		if (lead + cols + w > vc)
			break;
		cols += w;
		i = next;
	}
	row->count = i - row->first;
	row->lead = (int)lead;
	row->cols = (int)cols;
}

void mq_edit_view_cursor(const mq_edit *e, int *row, int *col)
{
	size_t c = edit_cursor_col(e);

	if (e->opt.multiline) {
		if (row != NULL)
			*row = (int)(edit_row_of(e, e->cursor) - e->top);
		if (col != NULL)
			*col = (int)c;
	} else {
		if (row != NULL)
			*row = 0;
		if (col != NULL)
			*col = (int)(c - e->hscroll);
	}
}

char *mq_edit_view_utf8(const mq_edit *e, int r)
{
	struct mq_edit_row row;
	char *slice, *padded, *s, *out;
	size_t i, n;

	mq_edit_view_row(e, r, &row);
	slice = xmalloc(4 * row.count + 1);
	out = slice;
	for (i = row.first; i < row.first + row.count; i++)
		out += edit_encode(e->text[i], out);
	*out = '\0';
	/* mq_strpad shows controls as U+FFFD and pads to the columns left. */
	padded = mq_strpad(slice, e->opt.view_cols - row.lead, -1);
	n = strlen(padded);
	s = xmalloc((size_t)row.lead + n + 1);
	memset(s, ' ', (size_t)row.lead);
	memcpy(s + row.lead, padded, n + 1);
	free(padded);
	free(slice);
	return s;
}
