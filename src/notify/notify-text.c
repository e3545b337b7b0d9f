/*
 * What every transport of minqing-notify shares: validating and masking
 * mainland mobile numbers, counting the length of a text as an SMS counts it
 * and splitting it into segments.
 *
 * An SMS in Chinese is UCS-2: 70 code units in one message, 67 in each part
 * of a concatenated one (the user data header takes 6 of the 140 bytes). A
 * Chinese character is one unit, a character outside the Basic Multilingual
 * Plane two (a surrogate pair). The text is decoded with the width module's
 * UTF-8 decoder, so a segment never ends inside a UTF-8 sequence, and a
 * surrogate pair is never split either.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mq/i18n.h"
#include "mq/width.h"
#include "notify.h"

int notify_phone_normalise(const char *in, char out[12])
{
	char digits[32];
	const char *d;
	size_t n = 0, i;
	bool plus = false;

	for (; *in != '\0'; in++) {
		if (*in == ' ' || *in == '-' || *in == '\t')
			continue;
		if (*in == '+' && n == 0 && !plus) {
			plus = true; /* once, before the first digit */
			continue;
		}
		if (*in < '0' || *in > '9' || n + 1 >= sizeof digits)
			return -1;
		digits[n++] = *in;
	}
	digits[n] = '\0';
	d = digits;
	/*
	 * After "+" comes a country code: only +86 is a mainland number
	 * (+1 381 234 5678 is North American, not 138 1234 5678).
	 */
	if (plus && (n != 13 || strncmp(d, "86", 2) != 0))
		return -1;
	if (n == 15 && strncmp(d, "0086", 4) == 0)
		d += 4;
	else if (n == 13 && strncmp(d, "86", 2) == 0)
		d += 2;
	if (strlen(d) != 11 || d[0] != '1' || d[1] < '3' || d[1] > '9')
		return -1;
	for (i = 0; i < 11; i++)
		if (d[i] < '0' || d[i] > '9')
			return -1;
	memcpy(out, d, 12);
	return 0;
}

void notify_phone_mask(const char *phone, char out[12])
{
	if (strlen(phone) != 11) {
		snprintf(out, 12, "%s", "***");
		return;
	}
	snprintf(out, 12, "%.3s****%.4s", phone, phone + 7);
}

/* Code units of one code point in UTF-16. */
static size_t text_cp_units(wchar_t wc)
{
	return (unsigned long)wc > 0xFFFF ? 2 : 1;
}

size_t notify_text_units(const char *s)
{
	size_t len = strlen(s), off = 0, units = 0, k;
	wchar_t wc;

	while (off < len) {
		k = mq_utf8_decode(s + off, len - off, &wc);
		units += text_cp_units(wc);
		off += k;
	}
	return units;
}

void notify_parts_free(char **parts)
{
	size_t i;

	if (parts == NULL)
		return;
	for (i = 0; parts[i] != NULL; i++)
		free(parts[i]);
	free(parts);
}

/*
 * Cut text into pieces of at most cap units, each piece prefixed by "(i/n)"
 * when n > 0. Returns the number of pieces (and the array in *out) or 0 when
 * more than max pieces would be needed.
 */
static size_t text_cut(const char *text, size_t cap, size_t n, size_t max, char ***out)
{
	size_t len = strlen(text), off = 0, count = 0, start, units, k;
	char **parts = xcalloc(max + 1, sizeof *parts);
	wchar_t wc;

	while (off < len || count == 0) {
		if (count == max) {
			notify_parts_free(parts);
			return 0;
		}
		start = off;
		units = 0;
		while (off < len) {
			k = mq_utf8_decode(text + off, len - off, &wc);
			if (units + text_cp_units(wc) > cap)
				break;
			units += text_cp_units(wc);
			off += k;
		}
		if (n > 0)
			parts[count] = xasprintf("(%zu/%zu)%.*s", count + 1, n, (int)(off - start),
						 text + start);
		else
			parts[count] = xstrndup(text + start, off - start);
		count++;
		if (off == start && off < len) { /* cap smaller than one character */
			notify_parts_free(parts);
			return 0;
		}
	}
	*out = parts;
	return count;
}

char **notify_split(const char *text, size_t units, bool numbered, size_t *n, char **cause)
{
	size_t total = notify_text_units(text), parts_wanted, got, prefix;
	char **parts = NULL;
	char buf[32];

	if (total <= NOTIFY_SEGMENT_UNITS) {
		/* One SMS (70 units, no header needed): the text as it is. */
		parts = xcalloc(2, sizeof *parts);
		parts[0] = xstrdup(text);
		*n = 1;
		return parts;
	}
	if (!numbered) {
		got = text_cut(text, units, 0, NOTIFY_MAX_SEGMENTS, &parts);
		if (got == 0)
			goto too_long;
		*n = got;
		return parts;
	}
	/*
	 * Numbered: find the smallest n whose n parts of (units - strlen("(n/n)"))
	 * hold the text, cut with that width, and try again with a larger n when a
	 * surrogate pair at a boundary made one more part necessary.
	 */
	for (parts_wanted = 2; parts_wanted <= NOTIFY_MAX_SEGMENTS; parts_wanted++) {
		prefix = (size_t)snprintf(buf, sizeof buf, "(%zu/%zu)", parts_wanted, parts_wanted);
		if (prefix >= units)
			break;
		if (parts_wanted * (units - prefix) < total)
			continue;
		got = text_cut(text, units - prefix, parts_wanted, parts_wanted, &parts);
		if (got == parts_wanted) {
			*n = got;
			return parts;
		}
		if (got != 0) {
			notify_parts_free(parts);
			parts = NULL;
		}
	}
too_long:
	mq_fail(cause, _("the text is too long for %d SMS segments"), NOTIFY_MAX_SEGMENTS);
	return NULL;
}
