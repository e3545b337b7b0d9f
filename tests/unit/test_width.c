/*
 * Unit tests for the display-width API (src/common/width.c): columns of
 * Chinese, combining marks, controls, invisible characters (bidirectional
 * controls, zero-width and format characters: shown as U+FFFD) and invalid
 * UTF-8, decoding that refuses overlongs and surrogates, and fitting and
 * padding that never cut a character and always give exactly the columns
 * asked for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mq/width.h"

#define REPL "\xEF\xBF\xBD" /* U+FFFD */
#define ELL  "\xE2\x80\xA6" /* U+2026 */

static void test_wcwidth_basic(void **state)
{
	(void)state;
	assert_int_equal(mq_wcwidth(L'a'), 1);
	assert_int_equal(mq_wcwidth(L' '), 1);
	assert_int_equal(mq_wcwidth(0x00E9), 1);  /* é */
	assert_int_equal(mq_wcwidth(0x4E2D), 2);  /* 中 */
	assert_int_equal(mq_wcwidth(0x3042), 2);  /* あ */
	assert_int_equal(mq_wcwidth(0x30A2), 2);  /* ア */
	assert_int_equal(mq_wcwidth(0xAC00), 2);  /* 가 */
	assert_int_equal(mq_wcwidth(0xD7A3), 2);  /* last Hangul syllable */
	assert_int_equal(mq_wcwidth(0x1F600), 2); /* 😀 */
	assert_int_equal(mq_wcwidth(0x2026), 1);  /* … */
	assert_int_equal(mq_wcwidth(0xFFFD), 1);
}

static void test_wcwidth_range_edges(void **state)
{
	(void)state;
	/* CJK Unified Ideographs and extension A */
	assert_int_equal(mq_wcwidth(0x4E00), 2);
	assert_int_equal(mq_wcwidth(0x9FFF), 2);
	assert_int_equal(mq_wcwidth(0x3400), 2);
	assert_int_equal(mq_wcwidth(0x4DBF), 2);
	/* CJK symbols and punctuation: 3000-303E wide, 303F not */
	assert_int_equal(mq_wcwidth(0x3000), 2);
	assert_int_equal(mq_wcwidth(0x3002), 2); /* 。 */
	assert_int_equal(mq_wcwidth(0x303E), 2);
	assert_int_equal(mq_wcwidth(0x303F), 1);
	assert_int_equal(mq_wcwidth(0x2E7F), 1);
	assert_int_equal(mq_wcwidth(0x2E80), 2); /* CJK radicals */
	/* Fullwidth forms; halfwidth katakana is narrow */
	assert_int_equal(mq_wcwidth(0xFF00), 2); /* unassigned, kept with its block */
	assert_int_equal(mq_wcwidth(0xFF01), 2); /* ！ */
	assert_int_equal(mq_wcwidth(0xFF0C), 2); /* ， */
	assert_int_equal(mq_wcwidth(0xFF60), 2);
	assert_int_equal(mq_wcwidth(0xFF61), 1);
	assert_int_equal(mq_wcwidth(0xFFE0), 2);
	assert_int_equal(mq_wcwidth(0xFFE6), 2);
	assert_int_equal(mq_wcwidth(0xFFE7), 1);
	/* CJK compatibility ideographs */
	assert_int_equal(mq_wcwidth(0xF900), 2);
	assert_int_equal(mq_wcwidth(0xFAD9), 2);
	/* Hangul Jamo leading consonants wide, vowels zero */
	assert_int_equal(mq_wcwidth(0x1100), 2);
	assert_int_equal(mq_wcwidth(0x115F), 2);
	assert_int_equal(mq_wcwidth(0x1160), 0);
	/* Emoji presentation */
	assert_int_equal(mq_wcwidth(0x1F300), 2);
	assert_int_equal(mq_wcwidth(0x1F64F), 2);
	assert_int_equal(mq_wcwidth(0x1F900), 1); /* text presentation */
	assert_int_equal(mq_wcwidth(0x1F90C), 2);
	assert_int_equal(mq_wcwidth(0x1F9FF), 2);
	assert_int_equal(mq_wcwidth(0x1FA00), 1);
	/* Supplementary ideographic planes, assigned or not */
	assert_int_equal(mq_wcwidth(0x20000), 2);
	assert_int_equal(mq_wcwidth(0x2A6DF), 2);
	assert_int_equal(mq_wcwidth(0x2FFFD), 2);
	assert_int_equal(mq_wcwidth(0x2FFFE), 1);
	assert_int_equal(mq_wcwidth(0x30000), 2);
	assert_int_equal(mq_wcwidth(0x3FFFD), 2);
	assert_int_equal(mq_wcwidth(0x3FFFE), 1);
	assert_int_equal(mq_wcwidth(0x1FFFF), 1);
}

static void test_wcwidth_zero(void **state)
{
	(void)state;
	assert_int_equal(mq_wcwidth(0x0300), 0);
	assert_int_equal(mq_wcwidth(0x0301), 0);
	assert_int_equal(mq_wcwidth(0x036F), 0);
	assert_int_equal(mq_wcwidth(0x0370), 1);
	assert_int_equal(mq_wcwidth(0x02FF), 1);
	assert_int_equal(mq_wcwidth(0x2010), 1);
	assert_int_equal(mq_wcwidth(0x034F), 0); /* combining grapheme joiner (Mn) */
	assert_int_equal(mq_wcwidth(0x180B), 0); /* Mongolian variation selector */
	assert_int_equal(mq_wcwidth(0xFE00), 0);
	assert_int_equal(mq_wcwidth(0xFE0F), 0); /* emoji variation selector */
	assert_int_equal(mq_wcwidth(0x3099), 0); /* combining kana voiced mark */
	assert_int_equal(mq_wcwidth(0xE0100), 0);
	assert_int_equal(mq_wcwidth(0xE01EF), 0);
}

/*
 * Characters that are there but not seen: shown as U+FFFD (one column), like
 * the controls, never written to the terminal as they are.
 */
static const unsigned invisible[] = {
	0x00AD,                                     /* soft hyphen */
	0x061C,                                     /* arabic letter mark */
	0x180E,                                     /* mongolian vowel separator */
	0x200B,  0x200C,  0x200D,                   /* ZWSP, ZWNJ, ZWJ */
	0x200E,  0x200F,                            /* LRM, RLM */
	0x2028,  0x2029,                            /* line, paragraph separator */
	0x202A,  0x202B,  0x202C,  0x202D,  0x202E, /* LRE RLE PDF LRO RLO */
	0x2060,  0x2061,  0x2064,                   /* word joiner, invisible operators */
	0x2066,  0x2067,  0x2068,  0x2069,          /* LRI RLI FSI PDI */
	0x206A,  0x206F,                            /* deprecated format characters */
	0xFEFF,                                     /* BOM, zero width no-break space */
	0xFFF9,  0xFFFB,                            /* interlinear annotation */
	0x13430, 0x1BCA0, 0x1D173, 0x1D17A,         /* other format controls */
	0xE0001, 0xE0020, 0xE007F,                  /* language tag, tags */
};

/* The UTF-8 of one code point. */
static void encode(unsigned cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		out[1] = '\0';
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		out[2] = '\0';
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		out[3] = '\0';
	} else {
		out[0] = (char)(0xF0 | cp >> 18);
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		out[4] = '\0';
	}
}

static void test_invisible_shown(void **state)
{
	char ch[8], in[32], want[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof invisible / sizeof invisible[0]; i++) {
		char *got;

		assert_int_equal(mq_wcwidth((wchar_t)invisible[i]), 1);
		encode(invisible[i], ch);
		/* between two Chinese characters: 中<x>文 is five columns */
		snprintf(in, sizeof in, "中%s文", ch);
		assert_int_equal(mq_strwidth(in), 5);
		got = mq_strpad(in, 6, -1);
		if (strcmp(got, "中" REPL "文 ") != 0)
			fail_msg("U+%04X: got \"%s\"", invisible[i], got);
		free(got);
		/* alone, cut, and at the edge of a cut */
		got = mq_strpad(ch, 1, -1);
		assert_string_equal(got, REPL);
		free(got);
		snprintf(in, sizeof in, "ab%scd", ch);
		got = mq_strpad(in, 4, -1);
		assert_string_equal(got, "ab" REPL ELL);
		free(got);
	}
	/* A right-to-left override in a title is seen, and reorders nothing. */
	snprintf(want, sizeof want, "%s", "路灯" REPL "坏了  ");
	{
		char *got = mq_strpad("路灯\xE2\x80\xAE坏了", 11, -1);

		assert_string_equal(got, want);
		free(got);
	}
}

/* What is not invisible stays as it is: Chinese, combining marks, emoji selectors. */
static void test_visible_kept(void **state)
{
	char *got;

	(void)state;
	got = mq_strpad("中文", 4, -1);
	assert_string_equal(got, "中文");
	free(got);
	got = mq_strpad("e\xCC\x81t\xC3\xA9", 3, -1); /* e + U+0301, t, é */
	assert_string_equal(got, "e\xCC\x81t\xC3\xA9");
	free(got);
	got = mq_strpad("\xE2\x9D\xA4\xEF\xB8\x8F", 1, -1); /* U+2764 U+FE0F */
	assert_string_equal(got, "\xE2\x9D\xA4\xEF\xB8\x8F");
	free(got);
	got = mq_strpad("\xE3\x81\x8B\xE3\x82\x99", 2, -1); /* か + U+3099 */
	assert_string_equal(got, "\xE3\x81\x8B\xE3\x82\x99");
	free(got);
	/* U+2010 HYPHEN and U+2027 HYPHENATION POINT are seen as they are */
	got = mq_strpad("a\xE2\x80\x90\xE2\x80\xA7", 3, -1);
	assert_string_equal(got, "a\xE2\x80\x90\xE2\x80\xA7");
	free(got);
}

static void test_wcwidth_controls_and_invalid(void **state)
{
	(void)state;
	assert_int_equal(mq_wcwidth(0x00), 1);
	assert_int_equal(mq_wcwidth(0x07), 1);
	assert_int_equal(mq_wcwidth(L'\t'), 1);
	assert_int_equal(mq_wcwidth(0x1B), 1);
	assert_int_equal(mq_wcwidth(0x7F), 1);
	assert_int_equal(mq_wcwidth(0x85), 1);
	assert_int_equal(mq_wcwidth(0x9F), 1);
	assert_int_equal(mq_wcwidth(0xD800), 1);
	assert_int_equal(mq_wcwidth(0xDFFF), 1);
	assert_int_equal(mq_wcwidth(0x110000), 1);
	assert_int_equal(mq_wcwidth(-1), 1);
	assert_int_equal(mq_wcwidth(0x7FFFFFFF), 1);
}

/* Decode s (n bytes) and check the code point and the bytes consumed. */
static void check_decode(const char *s, size_t n, wchar_t want, size_t want_len)
{
	wchar_t wc = 0;
	size_t len = mq_utf8_decode(s, n, &wc);

	assert_int_equal(len, want_len);
	assert_int_equal(wc, want);
}

static void test_decode_valid(void **state)
{
	(void)state;
	check_decode("A", 1, L'A', 1);
	check_decode("", 1, L'\0', 1);
	check_decode("\xC3\xA9", 2, 0xE9, 2);
	check_decode("\xC2\x80", 2, 0x80, 2); /* smallest 2-byte */
	check_decode("中文", 6, 0x4E2D, 3);
	check_decode("\xE0\xA0\x80", 3, 0x800, 3); /* smallest 3-byte */
	check_decode("\xEF\xBF\xBF", 3, 0xFFFF, 3);
	check_decode("\xED\x9F\xBF", 3, 0xD7FF, 3); /* just below surrogates */
	check_decode("\xEE\x80\x80", 3, 0xE000, 3); /* just above */
	check_decode("\xF0\x90\x80\x80", 4, 0x10000, 4);
	check_decode("\xF0\x9F\x98\x80", 4, 0x1F600, 4);
	check_decode("\xF0\xA0\x80\x80", 4, 0x20000, 4);
	check_decode("\xF4\x8F\xBF\xBF", 4, 0x10FFFF, 4);
}

static void test_decode_invalid(void **state)
{
	wchar_t wc = 42;

	(void)state;
	/* overlongs */
	check_decode("\xC0\x80", 2, 0xFFFD, 1);
	check_decode("\xC1\xBF", 2, 0xFFFD, 1);
	check_decode("\xE0\x80\x80", 3, 0xFFFD, 1);
	check_decode("\xE0\x9F\xBF", 3, 0xFFFD, 1);
	check_decode("\xF0\x80\x80\x80", 4, 0xFFFD, 1);
	check_decode("\xF0\x8F\xBF\xBF", 4, 0xFFFD, 1);
	/* surrogates */
	check_decode("\xED\xA0\x80", 3, 0xFFFD, 1);
	check_decode("\xED\xBF\xBF", 3, 0xFFFD, 1);
	/* beyond U+10FFFF, and bytes that never occur */
	check_decode("\xF4\x90\x80\x80", 4, 0xFFFD, 1);
	check_decode("\xF5\x80\x80\x80", 4, 0xFFFD, 1);
	check_decode("\xFF", 1, 0xFFFD, 1);
	check_decode("\xFE", 1, 0xFFFD, 1);
	/* lone continuation bytes */
	check_decode("\x80", 1, 0xFFFD, 1);
	check_decode("\xBF", 1, 0xFFFD, 1);
	/* truncated: by n, by a NUL, by an ASCII byte */
	check_decode("\xE4\xB8\xAD", 2, 0xFFFD, 1);
	check_decode("\xE4\xB8\xAD", 1, 0xFFFD, 1);
	check_decode("\xF0\x9F\x98", 3, 0xFFFD, 1);
	check_decode("\xE4\xB8", 3, 0xFFFD, 1);
	check_decode("\xE4\x41", 2, 0xFFFD, 1);
	check_decode("\xC3\x41", 2, 0xFFFD, 1);
	/* nothing to decode */
	assert_int_equal(mq_utf8_decode("abc", 0, &wc), 0);
}

/* Decode s[0..n) whole, as mq_utf8_decode() reads a string: what a stream fed any way must give. */
static size_t whole_decode(const char *s, size_t n, wchar_t *out)
{
	size_t off = 0, k = 0;

	while (off < n)
		off += mq_utf8_decode(s + off, n - off, &out[k++]);
	return k;
}

/* Feed s a byte at a time (every cut at once), then flush what waits. */
static size_t stream_decode(const char *s, size_t n, wchar_t *out)
{
	struct mq_utf8_stream st = {0};
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += mq_utf8_stream_feed(&st, (unsigned char)s[i], out + k);
	k += mq_utf8_stream_flush(&st, out + k);
	assert_int_equal(st.n, 0);
	return k;
}

static void test_stream_split_bytes(void **state)
{
	static const char *const texts[] = {
		"王小明",        "a中b😀c\xc3\xa9",   "\xe5\x41",
		"\xed\xa0\x80x", "\xf0\x9f\x98",     "\xff\xfe\x80",
		"\xe0\x80\xaf",  "\xf4\x90\x80\x80", "中\xe5",
	};
	struct mq_utf8_stream st = {0};
	wchar_t a[64], b[64];
	size_t i, na, nb;

	(void)state;
	/* 小 cut after two bytes, as an SSH packet cuts it: nothing yet, then the character */
	assert_int_equal(mq_utf8_stream_feed(&st, 0xe5, a), 0);
	assert_int_equal(mq_utf8_stream_feed(&st, 0xb0, a), 0);
	assert_int_equal(st.n, 2);
	assert_int_equal(mq_utf8_stream_feed(&st, 0x8f, a), 1);
	assert_int_equal(a[0], L'小');
	assert_int_equal(st.n, 0);
	/* a byte that cannot continue the sequence: U+FFFD, then the byte itself */
	assert_int_equal(mq_utf8_stream_feed(&st, 0xe5, a), 0);
	assert_int_equal(mq_utf8_stream_feed(&st, 'A', a), 2);
	assert_int_equal(a[0], 0xFFFD);
	assert_int_equal(a[1], L'A');
	/* given up: one U+FFFD per waiting byte, none lost */
	mq_utf8_stream_feed(&st, 0xf0, a);
	mq_utf8_stream_feed(&st, 0x9f, a);
	mq_utf8_stream_feed(&st, 0x98, a);
	assert_int_equal(mq_utf8_stream_flush(&st, a), 3);
	assert_int_equal(a[0], 0xFFFD);
	assert_int_equal(a[2], 0xFFFD);
	assert_int_equal(mq_utf8_stream_flush(&st, a), 0);
	/* fed a byte at a time, every text decodes as it does whole */
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		na = whole_decode(texts[i], strlen(texts[i]), a);
		nb = stream_decode(texts[i], strlen(texts[i]), b);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na * sizeof a[0]);
	}
}

static void test_strwidth(void **state)
{
	(void)state;
	assert_int_equal(mq_strwidth(""), 0);
	assert_int_equal(mq_strwidth("abc"), 3);
	assert_int_equal(mq_strwidth("中文"), 4);
	assert_int_equal(mq_strwidth("a中b"), 4);
	assert_int_equal(mq_strwidth("民情e站"), 7);
	assert_int_equal(mq_strwidth("，。！"), 6);
	/* combining marks take no column */
	assert_int_equal(mq_strwidth("e\xCC\x81"), 1);                /* e + U+0301 */
	assert_int_equal(mq_strwidth("a\xCC\x81\xCC\x82\x62"), 2);    /* two marks */
	assert_int_equal(mq_strwidth("\xE2\x9D\xA4\xEF\xB8\x8F"), 1); /* ❤ + VS16 */
	/* invalid bytes are one column each */
	assert_int_equal(mq_strwidth("\xFF"), 1);
	assert_int_equal(mq_strwidth("a\xFF\x62"), 3);
	assert_int_equal(mq_strwidth("a\xE4\xB8"), 3);    /* truncated 中: 2 x U+FFFD */
	assert_int_equal(mq_strwidth("\xC0\x80"), 2);     /* overlong NUL */
	assert_int_equal(mq_strwidth("\xED\xA0\x80"), 3); /* surrogate */
	/* controls are one column */
	assert_int_equal(mq_strwidth("a\tb\n"), 4);
	assert_int_equal(mq_strwidth("\x1B[31m"), 5);
	assert_int_equal(mq_strwidth("\xC2\x85"), 1); /* C1 NEL */
	assert_int_equal(mq_strwidth("😀"), 2);
}

static void test_strfit(void **state)
{
	int cols = -1;

	(void)state;
	/* the boundary between the two columns of a wide character */
	assert_int_equal(mq_strfit("中文", 3, &cols), 3);
	assert_int_equal(cols, 2);
	assert_int_equal(mq_strfit("中文", 4, &cols), 6);
	assert_int_equal(cols, 4);
	assert_int_equal(mq_strfit("中文", 2, &cols), 3);
	assert_int_equal(cols, 2);
	assert_int_equal(mq_strfit("中文", 1, &cols), 0);
	assert_int_equal(cols, 0);
	assert_int_equal(mq_strfit("中文", 100, &cols), 6);
	assert_int_equal(cols, 4);
	assert_int_equal(mq_strfit("a中", 2, &cols), 1);
	assert_int_equal(cols, 1);
	assert_int_equal(mq_strfit("a中", 3, &cols), 4);
	assert_int_equal(cols, 3);
	/* nothing fits in zero or fewer columns */
	assert_int_equal(mq_strfit("abc", 0, &cols), 0);
	assert_int_equal(cols, 0);
	assert_int_equal(mq_strfit("abc", -5, &cols), 0);
	assert_int_equal(cols, 0);
	assert_int_equal(mq_strfit("", 5, &cols), 0);
	assert_int_equal(cols, 0);
	/* a combining mark stays with its base */
	assert_int_equal(mq_strfit("e\xCC\x81x", 1, &cols), 3);
	assert_int_equal(cols, 1);
	/* invalid bytes are one column each and never merged */
	assert_int_equal(mq_strfit("\xFF\xFE\x61", 2, &cols), 2);
	assert_int_equal(cols, 2);
	assert_int_equal(mq_strfit("a\xE4\xB8", 2, &cols), 2);
	assert_int_equal(cols, 2);
	/* cols may be NULL */
	assert_int_equal(mq_strfit("abc", 2, NULL), 2);
}

/* mq_strpad(s, cols, align) must give exactly want. */
static void check_pad(const char *s, int cols, int align, const char *want)
{
	char *got = mq_strpad(s, cols, align);

	assert_string_equal(got, want);
	free(got);
}

static void test_strpad_fits(void **state)
{
	(void)state;
	check_pad("中文", 4, -1, "中文");
	check_pad("中文", 5, -1, "中文 ");
	check_pad("中文", 5, 1, " 中文");
	check_pad("中文", 6, 0, " 中文 ");
	check_pad("中文", 7, 0, " 中文  "); /* the odd column goes right */
	check_pad("中文", 8, 1, "    中文");
	check_pad("a中b", 4, 0, "a中b");
	check_pad("", 3, -1, "   ");
	check_pad("", 3, 0, "   ");
	check_pad("e\xCC\x81", 3, 1, "  e\xCC\x81");
	check_pad("abc", 0, -1, "");
	check_pad("abc", -4, 0, "");
	check_pad("", 0, 0, "");
}

static void test_strpad_cut(void **state)
{
	(void)state;
	check_pad("abcdef", 4, -1, "abc" ELL);
	check_pad("abcdef", 4, 1, "abc" ELL);
	check_pad("abcdef", 1, -1, ELL);
	check_pad("中文字", 5, -1, "中文" ELL);
	/* 中 + … is 3 columns; the half of 文 that would fit becomes a space */
	check_pad("中文字", 4, -1, "中" ELL " ");
	check_pad("中文字", 4, 1, " 中" ELL);
	check_pad("中文字", 4, 0, "中" ELL " ");
	check_pad("中文字", 3, -1, "中" ELL);
	check_pad("中文字", 2, -1, ELL " ");
	check_pad("中文字", 2, 1, " " ELL);
	check_pad("中", 1, -1, ELL);
	check_pad("a中文", 3, -1, "a" ELL " ");
	check_pad("a中文", 4, -1, "a中" ELL);
	/* just one column too wide */
	check_pad("abcde", 4, 0, "abc" ELL);
	check_pad("中文", 3, -1, "中" ELL);
}

static void test_strpad_sanitises(void **state)
{
	(void)state;
	check_pad("a\xFF\x62", 3, -1, "a" REPL "b");
	check_pad("a\tb", 4, -1, "a" REPL "b ");
	check_pad("\x1B[1m", 4, -1, REPL "[1m");
	check_pad("\xC2\x85x", 2, -1, REPL "x");
	check_pad("\x7F", 1, -1, REPL);
	check_pad("\xE4\xB8", 3, 1, " " REPL REPL);
	check_pad("\xC0\x80\x61\x62", 3, -1, REPL REPL ELL);
	check_pad("\xED\xA0\x80", 3, -1, REPL REPL REPL);
	check_pad("\xFF\xFF\xFF\xFF", 3, -1, REPL REPL ELL);
}

/* Every result is exactly cols columns of valid, printable UTF-8. */
static void test_strpad_always_exact(void **state)
{
	static const char *const inputs[] = {
		"",
		"a",
		"中",
		"中文",
		"a中b",
		"中a文b字",
		"民情e站 欢迎您！",
		"e\xCC\x81\xCC\x82",
		"\xFF\xE4\xB8",
		"\t\x1B\x7F",
		"😀😀a",
		"ｱｲｳ",
		"，。",
		"\xED\xA0\x80中",
	};
	size_t i;
	int cols, align;

	(void)state;
	for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		for (cols = -1; cols <= 14; cols++) {
			for (align = -1; align <= 1; align++) {
				char *got = mq_strpad(inputs[i], cols, align);
				size_t n = strlen(got), off = 0;

				assert_int_equal(mq_strwidth(got), cols < 0 ? 0 : cols);
				while (off < n) {
					wchar_t wc;
					size_t len = mq_utf8_decode(got + off, n - off, &wc);

					/* no invalid byte, no control */
					assert_true(wc >= 0x20 && !(wc >= 0x7F && wc < 0xA0));
					if (wc == 0xFFFD)
						assert_memory_equal(got + off, REPL, 3);
					off += len;
				}
				free(got);
			}
		}
	}
}

static void test_text_clip(void **state)
{
	char *got;

	(void)state;
	got = mq_text_clip("", 3);
	assert_string_equal(got, "");
	free(got);
	got = mq_text_clip("中文字", 3);
	assert_string_equal(got, "中文字");
	free(got);
	got = mq_text_clip("中文字符", 3);
	assert_string_equal(got, "中文字" ELL);
	free(got);
	got = mq_text_clip("ab", 0);
	assert_string_equal(got, ELL);
	free(got);
	/* an invalid byte is one character, copied as it is (mq_strpad cleans it) */
	got = mq_text_clip("a\xFF\xE4\xB8\xAD\x62", 3); /* a, 0xFF, 中, b */
	assert_string_equal(got, "a\xFF\xE4\xB8\xAD" ELL);
	free(got);
}

/*
 * A text of megabytes is laid out from its beginning only: mq_strfit and
 * mq_strpad never look past MQ_TEXT_MAX characters, even where every one of
 * them would fit (a million combining marks take no columns at all).
 */
static void test_huge_text(void **state)
{
	size_t n = 4 * 1000 * 1000, i;
	char *huge = malloc(2 * n + 2), *got;
	int cols = -1;

	(void)state;
	assert_non_null(huge);
	huge[0] = 'e';
	for (i = 0; i < n; i++)
		memcpy(huge + 1 + 2 * i, "\xCC\x81", 2); /* U+0301 */
	huge[1 + 2 * n] = '\0';
	assert_int_equal(mq_strfit(huge, 10, &cols), 1 + 2 * (MQ_TEXT_MAX - 1));
	assert_int_equal(cols, 1);
	got = mq_strpad(huge, 10, -1);
	assert_int_equal(mq_strwidth(got), 10);
	assert_memory_equal(got, "e\xCC\x81", 3);
	assert_non_null(strstr(got, ELL));
	free(got);
	got = mq_text_clip(huge, MQ_TEXT_MAX);
	assert_int_equal(strlen(got), 1 + 2 * (MQ_TEXT_MAX - 1) + 3);
	free(got);

	/* Chinese: a screen line of it, cut with the ellipsis */
	for (i = 0; i < n / 3; i++)
		memcpy(huge + 3 * i, "中", 3);
	huge[3 * i] = '\0';
	got = mq_strpad(huge, 9, -1);
	assert_string_equal(got, "中中中中" ELL);
	free(got);
	assert_int_equal(mq_strfit(huge, 9, &cols), 12);
	assert_int_equal(cols, 8);
	free(huge);
}

/* --- line breaking ------------------------------------------------------------------------ */

/*
 * The lines of text broken for cols columns, joined with "|"; each line's
 * columns checked against what mq_linebreak says and against cols.
 */
static char *wrap(const char *text, int cols)
{
	size_t cap = 4 * strlen(text) + 16, len = 0;
	char *out = malloc(cap);
	const char *p = text, *next;
	bool first = true;

	assert_non_null(out);
	out[0] = '\0';
	do {
		int w = -1;
		size_t n = mq_linebreak(p, cols, &w, &next);
		char *line = strndup(p, n);

		assert_non_null(line);
		assert_int_equal(mq_strwidth(line), w);
		assert_true(w <= (cols < 2 ? 2 : cols));
		assert_true(next > p || *p == '\0');
		if (!first)
			out[len++] = '|';
		first = false;
		memcpy(out + len, line, n + 1);
		len += n;
		free(line);
		p = next;
	} while (*p != '\0');
	return out;
}

#define assert_wrap(text, cols, want)                                                              \
	do {                                                                                       \
		char *got_ = wrap(text, cols);                                                     \
		assert_string_equal(got_, want);                                                   \
		free(got_);                                                                        \
	} while (0)

static void test_linebreak_chinese(void **state)
{
	(void)state;
	/* between any two Chinese characters */
	assert_wrap("村口的路灯坏了一个星期", 10, "村口的路灯|坏了一个星|期");
	assert_wrap("村口的路灯坏了一个星期", 11, "村口的路灯|坏了一个星|期");
	/* a wide character that does not fit is never cut */
	assert_wrap("中文", 3, "中|文");
	/* cols below 2 count as 2 */
	assert_wrap("中文", 0, "中|文");
	assert_wrap("中文", 1, "中|文");
	assert_wrap("", 10, "");
	assert_wrap("短", 10, "短");
}

static void test_linebreak_words(void **state)
{
	(void)state;
	/* the case number stays whole: the break is before its opening bracket */
	assert_wrap("您反映的问题（LW-2026-000963）已办结", 20,
		    "您反映的问题|（LW-2026-000963）已|办结");
	assert_wrap("问题（LW-2026-000963）已办结", 14, "问题|（LW-2026-0009|63）已办结");
	/* English breaks at spaces, which are dropped there */
	assert_wrap("How the resident was told", 10, "How the|resident|was told");
	assert_wrap("a  b", 1, "a|b");
	/* a word longer than the line is cut at a character */
	assert_wrap("LW-2026-000963", 6, "LW-202|6-0009|63");
	/* between a Chinese character and a letter or digit */
	assert_wrap("剩余2天19小时", 7, "剩余2天|19小时");
	assert_wrap("剩余2天19小时", 6, "剩余2|天19小|时");
	/* letters and digits with Chinese around keep together */
	assert_wrap("共计123456元", 8, "共计|123456元");
}

static void test_linebreak_punctuation(void **state)
{
	(void)state;
	/* no line starts with closing punctuation: the character before goes along */
	assert_wrap("村口路灯不亮，晚上出行不便。", 12, "村口路灯不|亮，晚上出行|不便。");
	assert_wrap("一二三四五，六", 10, "一二三四|五，六");
	assert_wrap("一二三四五。」六", 10, "一二三四|五。」六");
	assert_wrap("一二三四五…六", 10, "一二三四|五…六");
	assert_wrap("abc def, ghi", 7, "abc|def,|ghi");
	/* no line ends with opening punctuation: it goes to the next */
	assert_wrap("一二三四《五六》", 10, "一二三四|《五六》");
	assert_wrap("一二三「四五」", 8, "一二三|「四五」");
	/* closing then opening: a break between them is fine */
	assert_wrap("一二三，（四五）", 8, "一二三，|（四五）");
	/* a combining mark stays with its letter */
	assert_wrap("中e\xCC\x81\xCC\x81", 2, "中|e\xCC\x81\xCC\x81");
	/* forced: nothing else fits, the punctuation is cut off */
	assert_wrap("，，，，", 4, "，，|，，");
}

static void test_linebreak_spaces_and_newlines(void **state)
{
	const char *next;
	int w;

	(void)state;
	/* a newline ends a line; an empty line stays; a final newline adds none */
	assert_wrap("一\n\n二\n", 10, "一||二");
	assert_wrap("a   \nb", 10, "a|b");
	/* an indent is kept, spaces at a break are dropped */
	assert_wrap("  中文 English words", 10, "  中文|English|words");
	/* an indent too wide for the character after it: an empty line */
	assert_wrap("      中", 6, "|中");
	assert_wrap("   ", 4, "");
	/* next points past the dropped spaces */
	assert_int_equal(mq_linebreak("abc   def", 4, &w, &next), 3);
	assert_int_equal(w, 3);
	assert_string_equal(next, "def");
	/* controls and invalid bytes take a column, as mq_strpad shows them */
	assert_wrap("\t\xFF"
		    "ab",
		    2, "\t\xFF|ab");
}

static void test_linebreak_classes(void **state)
{
	static const wchar_t closing[] = {L'，', L'。', L'、', L'；', L'：', L'？', L'！', L'）',
					  L'」', L'』', L'】', L'》', L'〉', L'…',  L',',  L'.',
					  L';',  L':',  L'?',  L'!',  L')',  L']'};
	static const wchar_t opening[] = {L'（', L'「', L'『', L'【', L'《', L'〈', L'(', L'['};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof closing / sizeof closing[0]; i++) {
		assert_true(mq_break_closing(closing[i]));
		assert_false(mq_break_opening(closing[i]));
	}
	for (i = 0; i < sizeof opening / sizeof opening[0]; i++) {
		assert_true(mq_break_opening(opening[i]));
		assert_false(mq_break_closing(opening[i]));
	}
	assert_false(mq_break_closing(L'中'));
	assert_false(mq_break_opening(L'a'));
	assert_false(mq_break_closing(-1));
}

/* The SMS of a case, at the widths of the case screen and of a form's notice. */
static void test_linebreak_sms(void **state)
{
	static const char sms[] =
		"【民情e站】您反映的问题（LW-2026-000963）已办结：已对东头破损路面"
		"进行修补，通行恢复正常。如有疑问请联系瑞湖社区。";
	int cols;

	(void)state;
	for (cols = 8; cols <= 80; cols++) {
		const char *p = sms, *next;
		bool seen = false;

		do {
			size_t n = mq_linebreak(p, cols, NULL, &next);
			char *line = strndup(p, n);
			wchar_t wc;

			assert_non_null(line);
			if (strstr(line, "LW-2026-000963") != NULL)
				seen = true;
			/* a line holding part of the number holds all of it (when it fits) */
			if (cols >= 18 &&
			    (strstr(line, "LW") != NULL || strstr(line, "963") != NULL))
				assert_non_null(strstr(line, "LW-2026-000963"));
			if (n > 0 && cols >= 18) {
				mq_utf8_decode(line, n, &wc);
				if (mq_break_closing(wc))
					fail_msg("cols %d: a line starts with closing punctuation: "
						 "%s",
						 cols, line);
			}
			free(line);
			p = next;
		} while (*p != '\0');
		assert_true(seen || cols < 18); /* （LW-2026-000963） is 18 columns */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wcwidth_basic),
		cmocka_unit_test(test_wcwidth_range_edges),
		cmocka_unit_test(test_wcwidth_zero),
		cmocka_unit_test(test_wcwidth_controls_and_invalid),
		cmocka_unit_test(test_invisible_shown),
		cmocka_unit_test(test_visible_kept),
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_stream_split_bytes),
		cmocka_unit_test(test_strwidth),
		cmocka_unit_test(test_strfit),
		cmocka_unit_test(test_strpad_fits),
		cmocka_unit_test(test_strpad_cut),
		cmocka_unit_test(test_strpad_sanitises),
		cmocka_unit_test(test_strpad_always_exact),
		cmocka_unit_test(test_text_clip),
		cmocka_unit_test(test_huge_text),
		cmocka_unit_test(test_linebreak_chinese),
		cmocka_unit_test(test_linebreak_words),
		cmocka_unit_test(test_linebreak_punctuation),
		cmocka_unit_test(test_linebreak_spaces_and_newlines),
		cmocka_unit_test(test_linebreak_classes),
		cmocka_unit_test(test_linebreak_sms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
