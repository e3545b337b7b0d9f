/*
 * Fuzz harness for the display-width functions (src/common/width.c): the
 * input is any bytes, taken as a UTF-8 string (a NUL-terminated copy, so it
 * ends at the first NUL byte; the decoder alone also walks the bytes past it).
 *
 * Besides "no crash", it checks what include/mq/width.h promises against an
 * independent model written here from the Unicode standard:
 *   - mq_utf8_decode agrees with a strict decoder (Unicode 14, table 3-7:
 *     no overlongs, surrogates or code points above U+10FFFF; anything else
 *     is U+FFFD for one byte) for every prefix length, consumes >= 1 byte
 *     when n >= 1 and 0 when n == 0;
 *   - mq_wcwidth is 0, 1 or 2 for any wchar_t, 1 for controls and the
 *     invisible characters (bidirectional, zero-width and format controls);
 *   - mq_strwidth is the sum of the widths of the decoded characters;
 *   - mq_strfit returns a character boundary, the columns of the bytes it
 *     keeps, never more than asked, and stops only when the next character
 *     would not fit or after MQ_TEXT_MAX characters;
 *   - mq_text_clip copies the first max characters, "…" when there are more;
 *   - mq_strpad returns exactly cols columns of well-formed UTF-8 with no
 *     controls or invisible characters: the cleaned text (U+FFFD for every
 *     invalid sequence, control and invisible character), cut with "…" when
 *     too long, with the spaces the alignment asks for;
 *   - mq_linebreak, line after line over the whole text, gives what a model
 *     of the rules gives (fuzz_model_line: the break positions of a
 *     paragraph listed first, then the last one that fits taken, else the
 *     longest prefix that fits): each line a prefix of whole characters, no
 *     wider than the line, not ending in a space, only spaces and at most
 *     one newline dropped between two lines.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mq/width.h"

#include "fuzz.h"

#define FUZZ_REPLACEMENT 0xFFFDu
#define FUZZ_MAX_LINES   200000
#define FUZZ_ELLIPSIS_U8 "\xE2\x80\xA6"

/* One decoded character of the model. */
struct fuzz_char {
	size_t len;  /* bytes consumed */
	uint32_t cp; /* code point; FUZZ_REPLACEMENT when !valid */
	bool valid;  /* a well-formed sequence */
};

/* The strict decoder of the model: well-formed sequences per table 3-7. */
static struct fuzz_char fuzz_decode(const unsigned char *p, size_t n)
{
	struct fuzz_char ch = {1, FUZZ_REPLACEMENT, false};
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len, i;
	uint32_t cp;

	if (p[0] < 0x80) {
		ch.cp = p[0];
		ch.valid = true;
		return ch;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3;
		if (p[0] == 0xE0)
			lo = 0xA0; /* overlong below */
		else if (p[0] == 0xED)
			hi = 0x9F; /* surrogates above */
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		if (p[0] == 0xF0)
			lo = 0x90; /* overlong below */
		else if (p[0] == 0xF4)
			hi = 0x8F; /* beyond U+10FFFF above */
	} else {
		return ch;
	}
	if (n < len || p[1] < lo || p[1] > hi)
		return ch;
	for (i = 2; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return ch;
	}
	cp = p[0] & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
	for (i = 1; i < len; i++)
		cp = (cp << 6) | (p[i] & 0x3F);
	ch.len = len;
	ch.cp = cp;
	ch.valid = true;
	return ch;
}

/*
 * Never written as they are: the controls, and the characters that are there
 * but not seen (Unicode 14: the soft hyphen, the format characters of zero
 * width (Cf), the line and paragraph separators).
 */
static bool fuzz_unprintable(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xAD || cp == 0x61C ||
	       cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
	       (cp >= 0x13430 && cp <= 0x13438) || (cp >= 0x1BCA0 && cp <= 0x1BCA3) ||
	       (cp >= 0x1D173 && cp <= 0x1D17A) || (cp >= 0xE0001 && cp <= 0xE007F);
}

/* The model of the string: its characters, boundaries and prefix widths. */
struct fuzz_text {
	const char *s;
	size_t len;     /* strlen(s) */
	bool *boundary; /* [len + 1]: a character starts (or the text ends) here */
	int *prefix;    /* [len + 1]: columns of s[0..i) at a boundary i */
	int *next;      /* [len + 1]: columns of the character at boundary i */
	size_t *chars;  /* [len + 1]: characters of s[0..i) at a boundary i */
	int width;
	size_t nchars;
};

static void fuzz_text_init(struct fuzz_text *t, const char *s)
{
	size_t off = 0;

	t->s = s;
	t->len = strlen(s);
	t->boundary = calloc(t->len + 1, sizeof *t->boundary);
	t->prefix = calloc(t->len + 1, sizeof *t->prefix);
	t->next = calloc(t->len + 1, sizeof *t->next);
	t->chars = calloc(t->len + 1, sizeof *t->chars);
	FUZZ_CHECK(t->boundary != NULL && t->prefix != NULL && t->next != NULL && t->chars != NULL);
	t->width = 0;
	t->nchars = 0;
	while (off < t->len) {
		struct fuzz_char ch = fuzz_decode((const unsigned char *)s + off, t->len - off);
		int w = mq_wcwidth(ch.valid ? (wchar_t)ch.cp : (wchar_t)FUZZ_REPLACEMENT);

		t->boundary[off] = true;
		t->prefix[off] = t->width;
		t->next[off] = w;
		t->chars[off] = t->nchars++;
		t->width += w;
		off += ch.len;
	}
	t->boundary[t->len] = true;
	t->prefix[t->len] = t->width;
	t->chars[t->len] = t->nchars;
}

static void fuzz_text_free(struct fuzz_text *t)
{
	free(t->boundary);
	free(t->prefix);
	free(t->next);
	free(t->chars);
}

/*
 * The first n bytes of s cleaned as mq_strpad promises, appended to out
 * (room for 3 * n bytes). Returns the new end.
 */
static char *fuzz_clean(char *out, const char *s, size_t n)
{
	size_t off = 0;

	while (off < n) {
		struct fuzz_char ch = fuzz_decode((const unsigned char *)s + off, n - off);

		if (!ch.valid || fuzz_unprintable(ch.cp) || ch.cp == FUZZ_REPLACEMENT) {
			memcpy(out, "\xEF\xBF\xBD", 3);
			out += 3;
		} else {
			memcpy(out, s + off, ch.len);
			out += ch.len;
		}
		off += ch.len;
	}
	return out;
}

static void fuzz_check_decode(const uint8_t *data, size_t size)
{
	size_t off = 0, k;
	wchar_t wc = L'x';

	FUZZ_CHECK(mq_utf8_decode((const char *)data, 0, &wc) == 0 && wc == L'\0');
	while (off < size) {
		size_t rest = size - off, got = 0;

		/* Every shorter n sees a truncated sequence the same way. */
		for (k = 1; k <= rest && k <= 4; k++) {
			struct fuzz_char ch = fuzz_decode(data + off, k);

			got = mq_utf8_decode((const char *)data + off, k, &wc);
			FUZZ_CHECK(got >= 1 && got <= k);
			FUZZ_CHECK(got == ch.len);
			FUZZ_CHECK((uint32_t)wc == ch.cp);
		}
		got = mq_utf8_decode((const char *)data + off, rest, &wc);
		FUZZ_CHECK(got >= 1 && got <= 4 && got <= rest);
		FUZZ_CHECK(got == fuzz_decode(data + off, rest).len);
		off += got;
	}
}

static void fuzz_check_wcwidth(const uint8_t *data, size_t size)
{
	size_t i;

	/* Any 32 bits as a wchar_t: negative, surrogate, beyond U+10FFFF. */
	for (i = 0; i + 4 <= size && i < 64; i += 4) {
		uint32_t u = (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 |
			     (uint32_t)data[i + 2] << 16 | (uint32_t)data[i + 3] << 24;
		int w = mq_wcwidth((wchar_t)u);

		FUZZ_CHECK(w >= 0 && w <= 2);
		if (fuzz_unprintable(u) || (u >= 0xD800 && u <= 0xDFFF) || u > 0x10FFFF)
			FUZZ_CHECK(w == 1);
	}
}

static void fuzz_check_strfit(const struct fuzz_text *t, int max_cols)
{
	int cols = -1;
	size_t off = mq_strfit(t->s, max_cols, &cols);

	FUZZ_CHECK(mq_strfit(t->s, max_cols, NULL) == off);
	FUZZ_CHECK(off <= t->len);
	FUZZ_CHECK(t->boundary[off]); /* never splits a character */
	FUZZ_CHECK(cols == t->prefix[off]);
	if (max_cols <= 0) {
		FUZZ_CHECK(off == 0 && cols == 0);
		return;
	}
	FUZZ_CHECK(cols <= max_cols);
	FUZZ_CHECK(t->chars[off] <= MQ_TEXT_MAX);
	/* It stops at the end, at a character that does not fit, or at the cap. */
	FUZZ_CHECK(off == t->len || t->next[off] > max_cols - cols || t->chars[off] == MQ_TEXT_MAX);
}

static void fuzz_check_clip(const struct fuzz_text *t, size_t max)
{
	char *got = mq_text_clip(t->s, max);
	size_t off = 0;

	FUZZ_CHECK(got != NULL);
	if (t->nchars <= max) {
		FUZZ_CHECK(strcmp(got, t->s) == 0);
	} else {
		/* the boundary after max characters */
		while (t->chars[off] < max || !t->boundary[off])
			off++;
		FUZZ_CHECK(strncmp(got, t->s, off) == 0);
		FUZZ_CHECK(strcmp(got + off, FUZZ_ELLIPSIS_U8) == 0);
	}
	free(got);
}

static void fuzz_check_strpad(const struct fuzz_text *t, int cols, int align)
{
	char *got = mq_strpad(t->s, cols, align), *want, *out;
	int width, left, right;
	size_t keep, off, glen;
	bool cut;

	FUZZ_CHECK(got != NULL);
	if (cols <= 0) {
		FUZZ_CHECK(got[0] == '\0');
		free(got);
		return;
	}
	glen = strlen(got);
	FUZZ_CHECK(mq_strwidth(got) == cols);

	/* Well-formed, no controls: safe to write to the terminal. */
	for (off = 0; off < glen;) {
		struct fuzz_char ch = fuzz_decode((const unsigned char *)got + off, glen - off);

		FUZZ_CHECK(ch.valid && !fuzz_unprintable(ch.cp));
		off += ch.len;
	}

	/* Exactly the text the header describes. */
	cut = t->width > cols || t->nchars > MQ_TEXT_MAX;
	if (cut) {
		keep = mq_strfit(t->s, cols - 1, &width);
		width++;
	} else {
		keep = t->len;
		width = t->width;
	}
	left = align < 0 ? 0 : align > 0 ? cols - width : (cols - width) / 2;
	right = cols - width - left;
	FUZZ_CHECK(left >= 0 && right >= 0);
	if (align == 0)
		FUZZ_CHECK(right - left == 0 || right - left == 1);
	want = malloc(3 * keep + 3 + (size_t)cols + 1);
	FUZZ_CHECK(want != NULL);
	out = want;
	memset(out, ' ', (size_t)left);
	out = fuzz_clean(out + left, t->s, keep);
	if (cut) {
		memcpy(out, FUZZ_ELLIPSIS_U8, 3);
		out += 3;
	}
	memset(out, ' ', (size_t)right);
	out[right] = '\0';
	FUZZ_CHECK(strcmp(got, want) == 0);
	free(want);
	free(got);
}

/* --- line breaking ------------------------------------------------------------------------ */

/* The punctuation of the rules, as include/mq/width.h lists it. */
static bool fuzz_closing(uint32_t cp)
{
	static const char *const ascii = ",.;:?!)]}";
	static const uint32_t wide[] = {0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01,
					0xFF09, 0x300D, 0x300F, 0x3011, 0x300B, 0x3009, 0x2026,
					0x2025, 0x201D, 0x2019, 0x3015, 0x3017, 0x3019, 0x301B,
					0xFF0E, 0xFF3D, 0xFF5D, 0xFF60, 0xFF61, 0xFF63, 0xFF64};
	size_t i;

	if (cp > 0 && cp < 0x80)
		return strchr(ascii, (int)cp) != NULL;
	for (i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (wide[i] == cp)
			return true;
	return false;
}

static bool fuzz_opening(uint32_t cp)
{
	static const char *const ascii = "([{";
	static const uint32_t wide[] = {0xFF08, 0x300C, 0x300E, 0x3010, 0x300A, 0x3008,
					0x201C, 0x2018, 0x3014, 0x3016, 0x3018, 0x301A,
					0xFF3B, 0xFF5B, 0xFF5F, 0xFF62};
	size_t i;

	if (cp > 0 && cp < 0x80)
		return strchr(ascii, (int)cp) != NULL;
	for (i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (wide[i] == cp)
			return true;
	return false;
}

/* One decoded character of a paragraph. */
struct fuzz_glyph {
	size_t off, len;
	uint32_t cp;
	int w;
};

/*
 * The model: the line starting at byte p of t, broken for cols. Sets *end
 * (the line is s[p..end)), *width and *next. Written from the rules, not
 * from width.c: the characters of the paragraph are decoded first, the
 * places a break is allowed listed, then the choice made.
 */
static void fuzz_model_line(const struct fuzz_text *t, size_t p, int cols, size_t *end, int *width,
			    size_t *next)
{
	size_t max = cols < 2 ? 2 : (size_t)cols, n = 0, cap = 16, i, k, last;
	struct fuzz_glyph *g = malloc(cap * sizeof *g);
	size_t *cum = malloc(cap * sizeof *cum); /* cum[i]: columns of glyphs [0, i] */
	bool found = false, whole;
	size_t best = 0, best_next = 0;

	FUZZ_CHECK(g != NULL && cum != NULL);
	/*
	 * The paragraph's characters, up to its end or the first one (not a
	 * space) past the line: nothing after that one matters.
	 */
	for (i = p; i < t->len && t->s[i] != '\n'; i += g[n++].len) {
		struct fuzz_char ch = fuzz_decode((const unsigned char *)t->s + i, t->len - i);

		if (n > 0 && g[n - 1].cp != ' ' && cum[n - 1] > max)
			break;
		if (n == cap) {
			cap *= 2;
			g = realloc(g, cap * sizeof *g);
			cum = realloc(cum, cap * sizeof *cum);
			FUZZ_CHECK(g != NULL && cum != NULL);
		}
		g[n].off = i;
		g[n].len = ch.len;
		g[n].cp = ch.valid ? ch.cp : FUZZ_REPLACEMENT;
		g[n].w = mq_wcwidth((wchar_t)g[n].cp);
		cum[n] = (n > 0 ? cum[n - 1] : 0) + (size_t)g[n].w;
	}
	whole = i >= t->len || t->s[i] == '\n';
	/* The whole paragraph, when it fits without its trailing spaces. */
	for (last = n; last > 0 && g[last - 1].cp == ' '; last--)
		;
	if (whole && (last == 0 || cum[last - 1] <= max)) {
		*end = last > 0 ? g[last - 1].off + g[last - 1].len : p;
		*width = last > 0 ? (int)cum[last - 1] : 0;
		*next = i < t->len ? i + 1 : i;
		free(g);
		free(cum);
		return;
	}
	/*
	 * Breaks: after glyph i (not a space, not the indent) and before the next
	 * glyph k that is not a space, allowed by the rules, the line (up to i)
	 * fitting.
	 */
	for (i = 0; i < n; i++) {
		uint32_t a = 0;
		int wa = 0;
		size_t j;

		if (g[i].cp == ' ' || cum[i] > max)
			continue;
		for (k = i + 1; k < n && g[k].cp == ' '; k++)
			;
		if (k == n)
			break;
		for (j = i + 1; j-- > 0;)
			if (g[j].cp != ' ' && g[j].w > 0) {
				a = g[j].cp;
				wa = g[j].w;
				break;
			}
		if (g[k].w == 0 || fuzz_closing(g[k].cp) || fuzz_opening(a))
			continue;
		if (k == i + 1 && wa != 2 && g[k].w != 2)
			continue;
		found = true;
		best = i;
		best_next = k;
	}
	if (found) {
		*end = g[best].off + g[best].len;
		*width = (int)cum[best];
		*next = g[best_next].off;
	} else {
		/* Forced: up to the first glyph (not a space) that does not fit. */
		for (k = 0; k < n && (g[k].cp == ' ' || cum[k] <= max); k++)
			;
		FUZZ_CHECK(k < n);
		for (last = k; last > 0 && g[last - 1].cp == ' '; last--)
			;
		*end = last > 0 ? g[last - 1].off + g[last - 1].len : p;
		*width = last > 0 ? (int)cum[last - 1] : 0;
		*next = g[k].off;
	}
	free(g);
	free(cum);
}

static void fuzz_check_linebreak(const struct fuzz_text *t, int cols)
{
	size_t p = 0, lines = 0, max = cols < 2 ? 2 : (size_t)cols;

	do {
		const char *next = NULL;
		int w = -1, mw = -1;
		size_t n = mq_linebreak(t->s + p, cols, &w, &next), me, mn, q;

		FUZZ_CHECK(next != NULL && next >= t->s + p && next <= t->s + t->len);
		fuzz_model_line(t, p, cols, &me, &mw, &mn);
		FUZZ_CHECK(p + n == me);
		FUZZ_CHECK(w == mw);
		FUZZ_CHECK((size_t)(next - t->s) == mn);
		/* Whole characters, the columns said, no wider than the line. */
		FUZZ_CHECK(t->boundary[p + n]);
		FUZZ_CHECK(w == t->prefix[p + n] - t->prefix[p]);
		FUZZ_CHECK((size_t)w <= max);
		FUZZ_CHECK(n == 0 || t->s[p + n - 1] != ' ');
		/* Only spaces and at most one newline (the last) are dropped. */
		for (q = p + n; q < (size_t)(next - t->s); q++) {
			FUZZ_CHECK(t->s[q] == ' ' ||
				   (t->s[q] == '\n' && q + 1 == (size_t)(next - t->s)));
		}
		/* Progress, except for the empty line of a text that is empty. */
		FUZZ_CHECK(next > t->s + p || t->len == 0);
		p = (size_t)(next - t->s);
		FUZZ_CHECK(++lines <= FUZZ_MAX_LINES);
	} while (p < t->len);
}

/* Append v to the n values of set unless it is there already. */
static void fuzz_add(int *set, size_t *n, int v)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (set[i] == v)
			return;
	}
	set[(*n)++] = v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_text t;
	char *s;
	int first, cols[16];
	size_t i, ncols = 0;

	fuzz_check_decode(data, size);
	fuzz_check_wcwidth(data, size);

	s = malloc(size + 1);
	FUZZ_CHECK(s != NULL);
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	fuzz_text_init(&t, s);
	FUZZ_CHECK(mq_strwidth(s) == t.width);

	/*
	 * Widths to fit and pad to (each once: the width functions are most of
	 * the time spent): from the first byte, -16..239, so negative, zero and
	 * small widths come up too; the limits; and around the text's width.
	 */
	first = size > 0 ? (int)data[0] - 16 : 0;
	fuzz_add(cols, &ncols, first);
	fuzz_add(cols, &ncols, first / 8);
	fuzz_add(cols, &ncols, -1);
	fuzz_add(cols, &ncols, 0);
	fuzz_add(cols, &ncols, 1);
	fuzz_add(cols, &ncols, 2);
	fuzz_add(cols, &ncols, t.width - 1);
	fuzz_add(cols, &ncols, t.width);
	fuzz_add(cols, &ncols, t.width + 3);

	fuzz_check_strfit(&t, INT_MIN);
	fuzz_check_strfit(&t, INT_MAX);
	fuzz_check_clip(&t, 0);
	fuzz_check_clip(&t, 1);
	fuzz_check_clip(&t, t.nchars / 2);
	fuzz_check_clip(&t, MQ_TEXT_MAX);
	for (i = 0; i < ncols; i++) {
		fuzz_check_strfit(&t, cols[i]);
		fuzz_check_strpad(&t, cols[i], -1);
		fuzz_check_strpad(&t, cols[i], 0);
		fuzz_check_strpad(&t, cols[i], 1);
		fuzz_check_linebreak(&t, cols[i]);
	}
	fuzz_check_linebreak(&t, 80);

	fuzz_text_free(&t);
	free(s);
	return 0;
}
