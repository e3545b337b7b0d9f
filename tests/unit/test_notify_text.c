/*
 * Unit tests for what every transport of minqing-notify shares
 * (src/notify/notify-text.c): the UCS-2 length of a text as an SMS counts it,
 * cutting a text into segments (one SMS of 70 units as it is; numbered
 * parts "(i/n)" of at most 70 units with the number inside; unnumbered parts
 * of 67 for a concatenated SMS; never inside a character or a surrogate
 * pair; refused beyond 255 parts), and mainland mobile numbers (+86, 0086,
 * 86, spaces and dashes accepted; landlines, short, long and other
 * characters refused) and their masking for logs. Every check compares exact
 * strings and counts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "mq/common.h"
#include "notify.h"

#define ZH    "\xE4\xB8\xAD"     /* 中 U+4E2D: one unit, 3 bytes */
#define WEN   "\xE6\x96\x87"     /* 文 U+6587 */
#define EMOJI "\xF0\x9F\x98\x80" /* 😀 U+1F600: two units (a surrogate pair), 4 bytes */
#define EURO  "\xE2\x82\xAC"     /* € U+20AC: one unit */

/* A newly allocated string of count copies of unit. Caller frees. */
static char *repeat(const char *unit, size_t count)
{
	size_t len = strlen(unit), i;
	char *s = xmalloc(len * count + 1);

	for (i = 0; i < count; i++)
		memcpy(s + i * len, unit, len);
	s[len * count] = '\0';
	return s;
}

/* a then b, newly allocated; frees neither. */
static char *cat(const char *a, const char *b)
{
	return xasprintf("%s%s", a, b);
}

/* The number of parts in a NULL-terminated array. */
static size_t count_parts(char **parts)
{
	size_t n = 0;

	while (parts[n] != NULL)
		n++;
	return n;
}

/* Split, expecting success; checks *n against the array itself. */
static char **split_ok(const char *text, size_t units, bool numbered, size_t *n)
{
	char *cause = NULL;
	char **parts;

	*n = 0;
	parts = notify_split(text, units, numbered, n, &cause);
	assert_non_null(parts);
	assert_null(cause);
	assert_int_equal(count_parts(parts), *n);
	return parts;
}

/* "(i/n)" followed by count copies of unit, newly allocated. */
static char *numbered(size_t i, size_t n, const char *unit, size_t count)
{
	char *body = repeat(unit, count), *s = xasprintf("(%zu/%zu)%s", i, n, body);

	free(body);
	return s;
}

static void assert_part(const char *part, const char *expected)
{
	assert_string_equal(part, expected);
}

static void test_units(void **state)
{
	char *s;

	(void)state;
	assert_int_equal(notify_text_units(""), 0);
	assert_int_equal(notify_text_units("abc"), 3);
	assert_int_equal(notify_text_units(ZH WEN), 2);
	assert_int_equal(notify_text_units(EMOJI), 2);
	assert_int_equal(notify_text_units("a" ZH EMOJI EURO), 5);
	/* An invalid byte counts as one (U+FFFD). */
	assert_int_equal(notify_text_units("a\xFF"
					   "b"),
			 3);
	s = repeat(ZH, 70);
	assert_int_equal(notify_text_units(s), 70);
	assert_int_equal(strlen(s), 210);
	free(s);
}

/* Up to 70 units: one SMS, the text as it is, with no number. */
static void test_one_segment(void **state)
{
	char **parts;
	char *s;
	size_t n;

	(void)state;
	s = repeat(ZH, 70);
	parts = split_ok(s, NOTIFY_SEGMENT_UNITS, true, &n);
	assert_int_equal(n, 1);
	assert_part(parts[0], s);
	notify_parts_free(parts);
	parts = split_ok(s, NOTIFY_MULTIPART_UNITS, false, &n);
	assert_int_equal(n, 1);
	assert_part(parts[0], s);
	notify_parts_free(parts);
	free(s);

	/* 68 Chinese characters and an emoji: 70 units, still one. */
	{
		char *zh = repeat(ZH, 68);

		s = cat(zh, EMOJI);
		free(zh);
	}
	parts = split_ok(s, NOTIFY_SEGMENT_UNITS, true, &n);
	assert_int_equal(n, 1);
	assert_part(parts[0], s);
	notify_parts_free(parts);
	free(s);

	/* 70 ASCII letters: counted as UCS-2 too, one segment. */
	s = repeat("a", 70);
	parts = split_ok(s, NOTIFY_SEGMENT_UNITS, true, &n);
	assert_int_equal(n, 1);
	assert_part(parts[0], s);
	notify_parts_free(parts);
	free(s);
}

/* The empty text is one empty segment (the outbox never holds one, but it must not crash). */
static void test_empty(void **state)
{
	char **parts;
	size_t n;

	(void)state;
	parts = split_ok("", NOTIFY_SEGMENT_UNITS, true, &n);
	assert_int_equal(n, 1);
	assert_part(parts[0], "");
	notify_parts_free(parts);
	parts = split_ok("", NOTIFY_MULTIPART_UNITS, false, &n);
	assert_int_equal(n, 1);
	assert_part(parts[0], "");
	notify_parts_free(parts);
}

/*
 * Numbered parts of 70 units: "(1/2)" takes 5 of them, so 65 characters a
 * part while n < 10.
 */
static void test_numbered_71(void **state)
{
	char **parts;
	char *s, *want;
	size_t n;

	(void)state;
	s = repeat(ZH, 71);
	parts = split_ok(s, NOTIFY_SEGMENT_UNITS, true, &n);
	assert_int_equal(n, 2);
	want = numbered(1, 2, ZH, 65);
	assert_part(parts[0], want);
	free(want);
	want = numbered(2, 2, ZH, 6);
	assert_part(parts[1], want);
	free(want);
	assert_int_equal(notify_text_units(parts[0]), 70);
	notify_parts_free(parts);
	free(s);
}

static void test_numbered_130_140_141(void **state)
{
	char **parts;
	char *s, *want;
	size_t n;

	(void)state;
	/* 130: exactly two full parts. */
	s = repeat(ZH, 130);
	parts = split_ok(s, NOTIFY_SEGMENT_UNITS, true, &n);
	assert_int_equal(n, 2);
	want = numbered(2, 2, ZH, 65);
	assert_part(parts[1], want);
	free(want);
	notify_parts_free(parts);
	free(s);

	/* 140: two parts hold 130, so three (1/3) (2/3) (3/3). */
	s = repeat(ZH, 140);
	parts = split_ok(s, NOTIFY_SEGMENT_UNITS, true, &n);
	assert_int_equal(n, 3);
	want = numbered(1, 3, ZH, 65);
	assert_part(parts[0], want);
	free(want);
	want = numbered(2, 3, ZH, 65);
	assert_part(parts[1], want);
	free(want);
	want = numbered(3, 3, ZH, 10);
	assert_part(parts[2], want);
	free(want);
	notify_parts_free(parts);
	free(s);

	s = repeat(ZH, 141);
	parts = split_ok(s, NOTIFY_SEGMENT_UNITS, true, &n);
	assert_int_equal(n, 3);
	want = numbered(3, 3, ZH, 11);
	assert_part(parts[2], want);
	free(want);
	notify_parts_free(parts);
	free(s);
}

/* Ten parts or more: "(10/10)" takes 7 units, so 63 characters a part. */
static void test_numbered_ten(void **state)
{
	char **parts;
	char *s, *want;
	size_t n;

	(void)state;
	s = repeat(ZH, 9 * 65 + 1); /* one more than nine parts hold */
	parts = split_ok(s, NOTIFY_SEGMENT_UNITS, true, &n);
	assert_int_equal(n, 10);
	want = numbered(1, 10, ZH, 63);
	assert_part(parts[0], want);
	free(want);
	want = numbered(10, 10, ZH, 9 * 65 + 1 - 9 * 63);
	assert_part(parts[9], want);
	free(want);
	notify_parts_free(parts);
	free(s);
}

/* Mixed ASCII and Chinese: every character one unit, cut by characters. */
static void test_mixed(void **state)
{
	char **parts;
	char *ab, *zh, *s, *want, *tail;
	size_t n;

	(void)state;
	ab = repeat("ab", 30);  /* 60 units */
	zh = repeat(ZH WEN, 6); /* 12 units */
	s = cat(ab, zh);        /* 72 units */
	parts = split_ok(s, NOTIFY_SEGMENT_UNITS, true, &n);
	assert_int_equal(n, 2);
	/* 65 units: the 60 letters and 中文中文中 */
	want = xasprintf("(1/2)%s" ZH WEN ZH WEN ZH, ab);
	assert_part(parts[0], want);
	free(want);
	tail = repeat(ZH WEN, 3);
	want = xasprintf("(2/2)" WEN "%s", tail);
	assert_part(parts[1], want);
	free(want);
	free(tail);
	notify_parts_free(parts);
	free(s);
	free(zh);
	free(ab);
}

/*
 * An emoji (two units, a surrogate pair, four bytes) where a part ends: it
 * goes whole into the next part, never split in its bytes or its pair.
 */
static void test_emoji_at_boundary(void **state)
{
	char **parts;
	char *head, *tail, *s, *want;
	size_t n;

	(void)state;
	/* Numbered: 64 + the emoji = 66 > 65, so the first part has 64 units. */
	head = repeat(ZH, 64);
	tail = repeat(ZH, 10);
	s = xasprintf("%s" EMOJI "%s", head, tail);
	assert_int_equal(notify_text_units(s), 76);
	parts = split_ok(s, NOTIFY_SEGMENT_UNITS, true, &n);
	assert_int_equal(n, 2);
	want = xasprintf("(1/2)%s", head);
	assert_part(parts[0], want);
	free(want);
	want = xasprintf("(2/2)" EMOJI "%s", tail);
	assert_part(parts[1], want);
	free(want);
	notify_parts_free(parts);
	free(s);
	free(head);

	/* Unnumbered parts of 67 (gammu): 66 + the emoji = 68 > 67. */
	head = repeat(ZH, 66);
	s = xasprintf("%s" EMOJI "%s", head, tail);
	parts = split_ok(s, NOTIFY_MULTIPART_UNITS, false, &n);
	assert_int_equal(n, 2);
	assert_part(parts[0], head);
	want = xasprintf(EMOJI "%s", tail);
	assert_part(parts[1], want);
	free(want);
	notify_parts_free(parts);
	free(s);
	free(head);

	/* The emoji fits exactly: 65 + 2 = 67 units in the first part. */
	head = repeat(ZH, 65);
	s = xasprintf("%s" EMOJI "%s", head, tail);
	parts = split_ok(s, NOTIFY_MULTIPART_UNITS, false, &n);
	assert_int_equal(n, 2);
	want = xasprintf("%s" EMOJI, head);
	assert_part(parts[0], want);
	free(want);
	assert_part(parts[1], tail);
	notify_parts_free(parts);
	free(s);
	free(head);
	free(tail);
}

/* Only emoji: 36 of them are 72 units; a part of 65 holds 32 (64 units). */
static void test_only_emoji(void **state)
{
	char **parts;
	char *s, *want;
	size_t n, i;

	(void)state;
	s = repeat(EMOJI, 36);
	parts = split_ok(s, NOTIFY_SEGMENT_UNITS, true, &n);
	assert_int_equal(n, 2);
	want = numbered(1, 2, EMOJI, 32);
	assert_part(parts[0], want);
	free(want);
	want = numbered(2, 2, EMOJI, 4);
	assert_part(parts[1], want);
	free(want);
	for (i = 0; i < n; i++)
		assert_true(notify_text_units(parts[i]) <= NOTIFY_SEGMENT_UNITS);
	notify_parts_free(parts);
	free(s);
}

/* Unnumbered parts of 67 units for a concatenated SMS. */
static void test_unnumbered(void **state)
{
	char **parts;
	char *s, *want;
	size_t n;

	(void)state;
	s = repeat(ZH, 134);
	parts = split_ok(s, NOTIFY_MULTIPART_UNITS, false, &n);
	assert_int_equal(n, 2);
	want = repeat(ZH, 67);
	assert_part(parts[0], want);
	assert_part(parts[1], want);
	free(want);
	notify_parts_free(parts);
	free(s);

	s = repeat(ZH, 135);
	parts = split_ok(s, NOTIFY_MULTIPART_UNITS, false, &n);
	assert_int_equal(n, 3);
	assert_part(parts[2], ZH);
	notify_parts_free(parts);
	free(s);

	/* 71 units: over one SMS, so two parts of a concatenated one. */
	s = repeat(ZH, 71);
	parts = split_ok(s, NOTIFY_MULTIPART_UNITS, false, &n);
	assert_int_equal(n, 2);
	want = repeat(ZH, 4);
	assert_part(parts[1], want);
	free(want);
	notify_parts_free(parts);
	free(s);
}

/* More than 255 parts: refused with a reason, nothing returned. */
static void test_too_long(void **state)
{
	char *cause = NULL, *s;
	char **parts;
	size_t n = 99;

	(void)state;
	s = repeat(ZH, 255 * 67 + 1);
	parts = notify_split(s, NOTIFY_MULTIPART_UNITS, false, &n, &cause);
	assert_null(parts);
	assert_non_null(cause);
	assert_string_equal(cause, "the text is too long for 255 SMS segments");
	free(cause);
	cause = NULL;
	/* Exactly 255 parts still go. */
	s[255 * 67 * 3] = '\0';
	parts = split_ok(s, NOTIFY_MULTIPART_UNITS, false, &n);
	assert_int_equal(n, 255);
	notify_parts_free(parts);
	free(s);

	/* Numbered: from 100 parts "(100/100)" takes 9 units, 61 a part. */
	s = repeat(ZH, 255 * 61 + 1);
	parts = notify_split(s, NOTIFY_SEGMENT_UNITS, true, &n, &cause);
	assert_null(parts);
	assert_string_equal(cause, "the text is too long for 255 SMS segments");
	free(cause);
	s[255 * 61 * 3] = '\0';
	parts = split_ok(s, NOTIFY_SEGMENT_UNITS, true, &n);
	assert_int_equal(n, 255);
	{
		char *want = numbered(255, 255, ZH, 61);

		assert_part(parts[254], want);
		free(want);
	}
	notify_parts_free(parts);
	free(s);
}

/* Normalise, expecting success: the 11 digits. */
static void assert_phone(const char *in, const char *expected)
{
	char out[12];

	memset(out, 'x', sizeof out);
	if (notify_phone_normalise(in, out) != 0)
		fail_msg("\"%s\" refused, expected %s", in, expected);
	assert_string_equal(out, expected);
}

static void assert_phone_refused(const char *in)
{
	char out[12];

	if (notify_phone_normalise(in, out) != -1)
		fail_msg("\"%s\" accepted, expected refused", in);
}

static void test_phone_accepted(void **state)
{
	(void)state;
	assert_phone("13812345678", "13812345678");
	assert_phone("+8613812345678", "13812345678");
	assert_phone("+86 138 1234 5678", "13812345678");
	assert_phone("008613812345678", "13812345678");
	assert_phone("0086-138-1234-5678", "13812345678");
	assert_phone("8613812345678", "13812345678");
	assert_phone("138-1234-5678", "13812345678");
	assert_phone(" 138 1234 5678 ", "13812345678");
	assert_phone("138\t1234\t5678", "13812345678");
	/* Every second digit 3 to 9. */
	assert_phone("19912345678", "19912345678");
	assert_phone("13000000000", "13000000000");
}

static void test_phone_refused(void **state)
{
	(void)state;
	assert_phone_refused("");
	assert_phone_refused("+");
	assert_phone_refused("+86");
	/* Landlines: area code 0xx / 0xxx. */
	assert_phone_refused("01012345678");
	assert_phone_refused("010-1234-5678");
	assert_phone_refused("057788123456");
	assert_phone_refused("+86 10 1234 5678");
	/* A mobile's second digit is 3 to 9. */
	assert_phone_refused("12812345678");
	assert_phone_refused("11812345678");
	/* Short and long. */
	assert_phone_refused("1381234567");
	assert_phone_refused("138123456789");
	assert_phone_refused("+86138123456789");
	assert_phone_refused("123");
	assert_phone_refused("00000000000000000000000000000000000000013812345678");
	/* Other characters. */
	assert_phone_refused("1381234567a");
	assert_phone_refused("138.1234.5678");
	assert_phone_refused("(138)12345678");
	assert_phone_refused("138+12345678");
	assert_phone_refused("+86+13812345678");
	assert_phone_refused("\xEF\xBC\x91"
			     "3812345678"); /* a full-width 1 */
	/* "+" starts a country code: only +86, written once, before the digits. */
	assert_phone_refused("+13812345678");
	assert_phone_refused("+1 381 234 5678");
	assert_phone_refused("++8613812345678");
	assert_phone_refused("+ +86 13812345678");
	assert_phone_refused("+008613812345678");
	/* A country code other than China's. */
	assert_phone_refused("+8513812345678");
	assert_phone_refused("0085213812345678");
}

static void test_phone_mask(void **state)
{
	char out[12];

	(void)state;
	notify_phone_mask("13812345678", out);
	assert_string_equal(out, "138****5678");
	notify_phone_mask("1381234567", out);
	assert_string_equal(out, "***");
	notify_phone_mask("", out);
	assert_string_equal(out, "***");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_one_segment),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_numbered_71),
		cmocka_unit_test(test_numbered_130_140_141),
		cmocka_unit_test(test_numbered_ten),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_emoji_at_boundary),
		cmocka_unit_test(test_only_emoji),
		cmocka_unit_test(test_unnumbered),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_phone_accepted),
		cmocka_unit_test(test_phone_refused),
		cmocka_unit_test(test_phone_mask),
	};

	/* The messages are the English msgids: no catalogue is bound. */
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
