/*
 * Display width of UTF-8 text, independent of the process locale.
 *
 * Every piece of layout on the screen goes through here, so the console lays
 * out Chinese the same way whatever LANG says and the tests are
 * deterministic. The two tables below (wide and zero-width code points) were
 * generated from the wcwidth() of glibc 2.36 (Unicode 14.0, East Asian
 * Width W and F; combining marks, format characters and Hangul medial and
 * final jamo as zero), so our columns agree with what ncurses and the
 * terminal do with the same characters. Unassigned code points inside a
 * range were folded into it, and the ideographic planes 2 and 3 are wide as a
 * whole, as the standard reserves them (and so is U+FF00, unassigned, with
 * the rest of the fullwidth forms).
 *
 * Controls (C0, DEL, C1), surrogates and anything that is not valid UTF-8 are
 * shown as U+FFFD, one column, so a stray byte can never move the cursor.
 * So are the characters that are there but not seen (the table width_invisible
 * below): the bidirectional controls, which reorder what follows them on the
 * line (a title with U+202E would read backwards), the zero-width spaces and
 * joiners, the soft hyphen, the line and paragraph separators and the other
 * format characters of Unicode 14 (category Cf) that glibc gives no width. Text
 * from the database is anybody's text: what is in it must be seen. Combining
 * marks and variation selectors (Mn) keep their zero width and are drawn.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mq/common.h"
#include "mq/width.h"

#define WIDTH_REPLACEMENT    0xFFFD
#define WIDTH_REPLACEMENT_U8 "\xEF\xBF\xBD"
#define WIDTH_ELLIPSIS_U8    "\xE2\x80\xA6" /* U+2026, one column */

struct width_range {
	uint32_t first;
	uint32_t last;
};

/* East Asian Wide and Fullwidth: two columns. */
/* clang-format off */
static const struct width_range width_wide[] = {
	{0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC},
	{0x23F0, 0x23F0}, {0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615},
	{0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
	{0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE},
	{0x26D4, 0x26D4}, {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5},
	{0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B},
	{0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755},
	{0x2757, 0x2757}, {0x2795, 0x2797}, {0x27B0, 0x27B0}, {0x27BF, 0x27BF},
	{0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55}, {0x2E80, 0x3029},
	{0x302E, 0x303E}, {0x3041, 0x3096}, {0x309B, 0xA4C6}, {0xA960, 0xA97C},
	{0xAC00, 0xD7A3}, {0xF900, 0xFAD9}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6B},
	{0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x16FE3}, {0x16FF0, 0x18D08},
	{0x1AFF0, 0x1B2FB}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E},
	{0x1F191, 0x1F19A}, {0x1F200, 0x1F320}, {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C},
	{0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA}, {0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0},
	{0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC},
	{0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A},
	{0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4}, {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5},
	{0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2}, {0x1F6D5, 0x1F6DF}, {0x1F6EB, 0x1F6EC},
	{0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7F0}, {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945},
	{0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAF6}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};
/* clang-format on */

/* Combining marks, format characters, variation selectors: zero columns. */
/* clang-format off */
static const struct width_range width_zero[] = {
	{0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF},
	{0x05C1, 0x05C2}, {0x05C4, 0x05C5}, {0x05C7, 0x05C7}, {0x0610, 0x061A},
	{0x061C, 0x061C}, {0x064B, 0x065F}, {0x0670, 0x0670}, {0x06D6, 0x06DC},
	{0x06DF, 0x06E4}, {0x06E7, 0x06E8}, {0x06EA, 0x06ED}, {0x0711, 0x0711},
	{0x0730, 0x074A}, {0x07A6, 0x07B0}, {0x07EB, 0x07F3}, {0x07FD, 0x07FD},
	{0x0816, 0x0819}, {0x081B, 0x0823}, {0x0825, 0x0827}, {0x0829, 0x082D},
	{0x0859, 0x085B}, {0x0898, 0x089F}, {0x08CA, 0x08E1}, {0x08E3, 0x0902},
	{0x093A, 0x093A}, {0x093C, 0x093C}, {0x0941, 0x0948}, {0x094D, 0x094D},
	{0x0951, 0x0957}, {0x0962, 0x0963}, {0x0981, 0x0981}, {0x09BC, 0x09BC},
	{0x09C1, 0x09C4}, {0x09CD, 0x09CD}, {0x09E2, 0x09E3}, {0x09FE, 0x0A02},
	{0x0A3C, 0x0A3C}, {0x0A41, 0x0A51}, {0x0A70, 0x0A71}, {0x0A75, 0x0A75},
	{0x0A81, 0x0A82}, {0x0ABC, 0x0ABC}, {0x0AC1, 0x0AC8}, {0x0ACD, 0x0ACD},
	{0x0AE2, 0x0AE3}, {0x0AFA, 0x0B01}, {0x0B3C, 0x0B3C}, {0x0B3F, 0x0B3F},
	{0x0B41, 0x0B44}, {0x0B4D, 0x0B56}, {0x0B62, 0x0B63}, {0x0B82, 0x0B82},
	{0x0BC0, 0x0BC0}, {0x0BCD, 0x0BCD}, {0x0C00, 0x0C00}, {0x0C04, 0x0C04},
	{0x0C3C, 0x0C3C}, {0x0C3E, 0x0C40}, {0x0C46, 0x0C56}, {0x0C62, 0x0C63},
	{0x0C81, 0x0C81}, {0x0CBC, 0x0CBC}, {0x0CBF, 0x0CBF}, {0x0CC6, 0x0CC6},
	{0x0CCC, 0x0CCD}, {0x0CE2, 0x0CE3}, {0x0D00, 0x0D01}, {0x0D3B, 0x0D3C},
	{0x0D41, 0x0D44}, {0x0D4D, 0x0D4D}, {0x0D62, 0x0D63}, {0x0D81, 0x0D81},
	{0x0DCA, 0x0DCA}, {0x0DD2, 0x0DD6}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A},
	{0x0E47, 0x0E4E}, {0x0EB1, 0x0EB1}, {0x0EB4, 0x0EBC}, {0x0EC8, 0x0ECD},
	{0x0F18, 0x0F19}, {0x0F35, 0x0F35}, {0x0F37, 0x0F37}, {0x0F39, 0x0F39},
	{0x0F71, 0x0F7E}, {0x0F80, 0x0F84}, {0x0F86, 0x0F87}, {0x0F8D, 0x0FBC},
	{0x0FC6, 0x0FC6}, {0x102D, 0x1030}, {0x1032, 0x1037}, {0x1039, 0x103A},
	{0x103D, 0x103E}, {0x1058, 0x1059}, {0x105E, 0x1060}, {0x1071, 0x1074},
	{0x1082, 0x1082}, {0x1085, 0x1086}, {0x108D, 0x108D}, {0x109D, 0x109D},
	{0x1160, 0x11FF}, {0x135D, 0x135F}, {0x1712, 0x1714}, {0x1732, 0x1733},
	{0x1752, 0x1753}, {0x1772, 0x1773}, {0x17B4, 0x17B5}, {0x17B7, 0x17BD},
	{0x17C6, 0x17C6}, {0x17C9, 0x17D3}, {0x17DD, 0x17DD}, {0x180B, 0x180F},
	{0x1885, 0x1886}, {0x18A9, 0x18A9}, {0x1920, 0x1922}, {0x1927, 0x1928},
	{0x1932, 0x1932}, {0x1939, 0x193B}, {0x1A17, 0x1A18}, {0x1A1B, 0x1A1B},
	{0x1A56, 0x1A56}, {0x1A58, 0x1A60}, {0x1A62, 0x1A62}, {0x1A65, 0x1A6C},
	{0x1A73, 0x1A7F}, {0x1AB0, 0x1B03}, {0x1B34, 0x1B34}, {0x1B36, 0x1B3A},
	{0x1B3C, 0x1B3C}, {0x1B42, 0x1B42}, {0x1B6B, 0x1B73}, {0x1B80, 0x1B81},
	{0x1BA2, 0x1BA5}, {0x1BA8, 0x1BA9}, {0x1BAB, 0x1BAD}, {0x1BE6, 0x1BE6},
	{0x1BE8, 0x1BE9}, {0x1BED, 0x1BED}, {0x1BEF, 0x1BF1}, {0x1C2C, 0x1C33},
	{0x1C36, 0x1C37}, {0x1CD0, 0x1CD2}, {0x1CD4, 0x1CE0}, {0x1CE2, 0x1CE8},
	{0x1CED, 0x1CED}, {0x1CF4, 0x1CF4}, {0x1CF8, 0x1CF9}, {0x1DC0, 0x1DFF},
	{0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x206F}, {0x20D0, 0x20F0},
	{0x2CEF, 0x2CF1}, {0x2D7F, 0x2D7F}, {0x2DE0, 0x2DFF}, {0x302A, 0x302D},
	{0x3099, 0x309A}, {0xA66F, 0xA672}, {0xA674, 0xA67D}, {0xA69E, 0xA69F},
	{0xA6F0, 0xA6F1}, {0xA802, 0xA802}, {0xA806, 0xA806}, {0xA80B, 0xA80B},
	{0xA825, 0xA826}, {0xA82C, 0xA82C}, {0xA8C4, 0xA8C5}, {0xA8E0, 0xA8F1},
	{0xA8FF, 0xA8FF}, {0xA926, 0xA92D}, {0xA947, 0xA951}, {0xA980, 0xA982},
	{0xA9B3, 0xA9B3}, {0xA9B6, 0xA9B9}, {0xA9BC, 0xA9BD}, {0xA9E5, 0xA9E5},
	{0xAA29, 0xAA2E}, {0xAA31, 0xAA32}, {0xAA35, 0xAA36}, {0xAA43, 0xAA43},
	{0xAA4C, 0xAA4C}, {0xAA7C, 0xAA7C}, {0xAAB0, 0xAAB0}, {0xAAB2, 0xAAB4},
	{0xAAB7, 0xAAB8}, {0xAABE, 0xAABF}, {0xAAC1, 0xAAC1}, {0xAAEC, 0xAAED},
	{0xAAF6, 0xAAF6}, {0xABE5, 0xABE5}, {0xABE8, 0xABE8}, {0xABED, 0xABED},
	{0xD7B0, 0xD7FB}, {0xFB1E, 0xFB1E}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
	{0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFB}, {0x101FD, 0x101FD}, {0x102E0, 0x102E0},
	{0x10376, 0x1037A}, {0x10A01, 0x10A0F}, {0x10A38, 0x10A3F}, {0x10AE5, 0x10AE6},
	{0x10D24, 0x10D27}, {0x10EAB, 0x10EAC}, {0x10F46, 0x10F50}, {0x10F82, 0x10F85},
	{0x11001, 0x11001}, {0x11038, 0x11046}, {0x11070, 0x11070}, {0x11073, 0x11074},
	{0x1107F, 0x11081}, {0x110B3, 0x110B6}, {0x110B9, 0x110BA}, {0x110C2, 0x110C2},
	{0x11100, 0x11102}, {0x11127, 0x1112B}, {0x1112D, 0x11134}, {0x11173, 0x11173},
	{0x11180, 0x11181}, {0x111B6, 0x111BE}, {0x111C9, 0x111CC}, {0x111CF, 0x111CF},
	{0x1122F, 0x11231}, {0x11234, 0x11234}, {0x11236, 0x11237}, {0x1123E, 0x1123E},
	{0x112DF, 0x112DF}, {0x112E3, 0x112EA}, {0x11300, 0x11301}, {0x1133B, 0x1133C},
	{0x11340, 0x11340}, {0x11366, 0x11374}, {0x11438, 0x1143F}, {0x11442, 0x11444},
	{0x11446, 0x11446}, {0x1145E, 0x1145E}, {0x114B3, 0x114B8}, {0x114BA, 0x114BA},
	{0x114BF, 0x114C0}, {0x114C2, 0x114C3}, {0x115B2, 0x115B5}, {0x115BC, 0x115BD},
	{0x115BF, 0x115C0}, {0x115DC, 0x115DD}, {0x11633, 0x1163A}, {0x1163D, 0x1163D},
	{0x1163F, 0x11640}, {0x116AB, 0x116AB}, {0x116AD, 0x116AD}, {0x116B0, 0x116B5},
	{0x116B7, 0x116B7}, {0x1171D, 0x1171F}, {0x11722, 0x11725}, {0x11727, 0x1172B},
	{0x1182F, 0x11837}, {0x11839, 0x1183A}, {0x1193B, 0x1193C}, {0x1193E, 0x1193E},
	{0x11943, 0x11943}, {0x119D4, 0x119DB}, {0x119E0, 0x119E0}, {0x11A01, 0x11A0A},
	{0x11A33, 0x11A38}, {0x11A3B, 0x11A3E}, {0x11A47, 0x11A47}, {0x11A51, 0x11A56},
	{0x11A59, 0x11A5B}, {0x11A8A, 0x11A96}, {0x11A98, 0x11A99}, {0x11C30, 0x11C3D},
	{0x11C3F, 0x11C3F}, {0x11C92, 0x11CA7}, {0x11CAA, 0x11CB0}, {0x11CB2, 0x11CB3},
	{0x11CB5, 0x11CB6}, {0x11D31, 0x11D45}, {0x11D47, 0x11D47}, {0x11D90, 0x11D91},
	{0x11D95, 0x11D95}, {0x11D97, 0x11D97}, {0x11EF3, 0x11EF4}, {0x13430, 0x13438},
	{0x16AF0, 0x16AF4}, {0x16B30, 0x16B36}, {0x16F4F, 0x16F4F}, {0x16F8F, 0x16F92},
	{0x16FE4, 0x16FE4}, {0x1BC9D, 0x1BC9E}, {0x1BCA0, 0x1BCA3}, {0x1CF00, 0x1CF46},
	{0x1D167, 0x1D169}, {0x1D173, 0x1D182}, {0x1D185, 0x1D18B}, {0x1D1AA, 0x1D1AD},
	{0x1D242, 0x1D244}, {0x1DA00, 0x1DA36}, {0x1DA3B, 0x1DA6C}, {0x1DA75, 0x1DA75},
	{0x1DA84, 0x1DA84}, {0x1DA9B, 0x1DAAF}, {0x1E000, 0x1E02A}, {0x1E130, 0x1E136},
	{0x1E2AE, 0x1E2AE}, {0x1E2EC, 0x1E2EF}, {0x1E8D0, 0x1E8D6}, {0x1E944, 0x1E94A},
	{0xE0001, 0xE01EF},
};
/* clang-format on */

/*
 * Invisible characters, shown as U+FFFD: the soft hyphen, format characters
 * (Cf) of zero width (ARABIC LETTER MARK, MONGOLIAN VOWEL SEPARATOR, ZWSP,
 * ZWNJ, ZWJ, LRM, RLM, LRE..RLO, WORD JOINER and the invisible operators,
 * LRI..PDI and the deprecated format characters, the BOM, the interlinear
 * annotation marks, the Egyptian, shorthand and musical format controls, the
 * tags), and the line and paragraph separators U+2028 and U+2029 (glibc:
 * not printable). Unassigned code points inside a range were folded into it.
 */
/* clang-format off */
static const struct width_range width_invisible[] = {
	{0x00AD, 0x00AD}, {0x061C, 0x061C}, {0x180E, 0x180E}, {0x200B, 0x200F},
	{0x2028, 0x202E}, {0x2060, 0x206F}, {0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFB},
	{0x13430, 0x13438}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE007F},
};
/* clang-format on */

static bool width_in_table(uint32_t c, const struct width_range *table, size_t n)
{
	size_t lo = 0, hi = n;

	if (n == 0 || c < table[0].first || c > table[n - 1].last)
		return false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c > table[mid].last)
			lo = mid + 1;
		else if (c < table[mid].first)
			hi = mid;
		else
			return true;
	}
	return false;
}

/* A code point we never write to the screen as is (shown as U+FFFD). */
static bool width_is_unprintable(uint32_t c)
{
	return c < 0x20 || (c >= 0x7F && c < 0xA0) || (c >= 0xD800 && c <= 0xDFFF) ||
	       c > 0x10FFFF || width_in_table(c, width_invisible, MQ_NITEMS(width_invisible));
}

int mq_wcwidth(wchar_t wc)
{
	uint32_t c;

	if (wc < 0)
		return 1;
	c = (uint32_t)wc;
	if (width_is_unprintable(c))
		return 1;
	if (c < 0x300)
		return 1; /* fast path: Latin */
	if (width_in_table(c, width_zero, MQ_NITEMS(width_zero)))
		return 0;
	if (width_in_table(c, width_wide, MQ_NITEMS(width_wide)))
		return 2;
	return 1;
}

size_t mq_utf8_decode(const char *s, size_t n, wchar_t *wc)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c, min;
	size_t len, i;

	if (n == 0) {
		*wc = L'\0';
		return 0;
	}
	if (p[0] < 0x80) {
		*wc = (wchar_t)p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
		c = p[0] & 0x1F;
		min = 0x80;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3;
		c = p[0] & 0x0F;
		min = 0x800;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		c = p[0] & 0x07;
		min = 0x10000;
	} else {
		/* A continuation byte, C0/C1 (always overlong) or F5..FF. */
		*wc = WIDTH_REPLACEMENT;
		return 1;
	}
	if (n < len)
		goto invalid;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			goto invalid;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto invalid;
	*wc = (wchar_t)c;
	return len;

invalid:
	*wc = WIDTH_REPLACEMENT;
	return 1;
}

bool mq_utf8_incomplete(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need;

	if (n == 0 || n >= 4)
		return false;
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		need = 2;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		need = 3;
		if (p[0] == 0xE0)
			lo = 0xA0; /* below is overlong */
		else if (p[0] == 0xED)
			hi = 0x9F; /* above are surrogates */
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		need = 4;
		if (p[0] == 0xF0)
			lo = 0x90;
		else if (p[0] == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else {
		return false;
	}
	if (n >= need)
		return false;
	if (n >= 2 && (p[1] < lo || p[1] > hi))
		return false;
	if (n >= 3 && (p[2] & 0xC0) != 0x80)
		return false;
	return true;
}

size_t mq_utf8_stream_feed(struct mq_utf8_stream *st, unsigned char byte, wchar_t out[4])
{
	size_t nout = 0, used;

	/* Never full here: a pending sequence is at most 3 bytes (incomplete). */
	st->buf[st->n++] = byte;
	while (st->n > 0 && !mq_utf8_incomplete(st->buf, st->n)) {
		used = mq_utf8_decode((const char *)st->buf, st->n, &out[nout++]);
		memmove(st->buf, st->buf + used, st->n - used);
		st->n -= used;
	}
	return nout;
}

size_t mq_utf8_stream_flush(struct mq_utf8_stream *st, wchar_t out[4])
{
	size_t i, n = st->n;

	for (i = 0; i < n; i++)
		out[i] = WIDTH_REPLACEMENT;
	st->n = 0;
	return n;
}

int mq_strwidth(const char *s)
{
	size_t n = strlen(s), off = 0;
	int width = 0;

	while (off < n) {
		wchar_t wc;

		off += mq_utf8_decode(s + off, n - off, &wc);
		if (width > INT_MAX - 2)
			break; /* absurdly long: saturate rather than overflow */
		width += mq_wcwidth(wc);
	}
	return width;
}

/* Decode the character at s, reading no further than its bytes (or the NUL). */
static size_t width_decode_at(const char *s, wchar_t *wc)
{
	return mq_utf8_decode(s, strnlen(s, 4), wc);
}

size_t mq_strfit(const char *s, int max_cols, int *cols)
{
	size_t off = 0, nchars = 0;
	int width = 0;

	/* No strlen(): a text of megabytes costs what fits, not what it holds. */
	while (max_cols > 0 && s[off] != '\0' && nchars < MQ_TEXT_MAX) {
		wchar_t wc;
		size_t len = width_decode_at(s + off, &wc);
		int w = mq_wcwidth(wc);

		if (w > max_cols - width)
			break;
		width += w;
		off += len;
		nchars++;
	}
	if (cols != NULL)
		*cols = width;
	return off;
}

char *mq_text_clip(const char *s, size_t max)
{
	size_t off = 0, nchars = 0;
	char *out;

	while (s[off] != '\0' && nchars < max) {
		wchar_t wc;

		off += width_decode_at(s + off, &wc);
		nchars++;
	}
	if (s[off] == '\0')
		return xstrdup(s);
	out = xmalloc(off + sizeof WIDTH_ELLIPSIS_U8);
	memcpy(out, s, off);
	memcpy(out + off, WIDTH_ELLIPSIS_U8, sizeof WIDTH_ELLIPSIS_U8);
	return out;
}

/*
 * Append the first n bytes of s to out, every invalid sequence and control
 * character replaced by U+FFFD; out must have room for 3 * n bytes. Returns
 * the new end of out.
 */
static char *width_copy_clean(char *out, const char *s, size_t n)
{
	size_t off = 0;

	while (off < n) {
		wchar_t wc;
		size_t len = mq_utf8_decode(s + off, n - off, &wc);

		if (wc == WIDTH_REPLACEMENT || width_is_unprintable((uint32_t)wc)) {
			memcpy(out, WIDTH_REPLACEMENT_U8, 3);
			out += 3;
		} else {
			memcpy(out, s + off, len);
			out += len;
		}
		off += len;
	}
	return out;
}

char *mq_strpad(const char *s, int cols, int align)
{
	size_t keep;
	int width, left, right;
	bool cut;
	char *buf, *out;

	if (cols <= 0)
		return xstrdup("");

	/* Too long when something is left after what fits (never measured whole). */
	keep = mq_strfit(s, cols, &width);
	cut = s[keep] != '\0';
	if (cut) {
		/* Leave one column for the ellipsis. */
		keep = mq_strfit(s, cols - 1, &width);
		width++;
	}

	/* width <= cols: a wide character that did not fit leaves a space. */
	if (align < 0)
		left = 0;
	else if (align > 0)
		left = cols - width;
	else
		left = (cols - width) / 2;
	right = cols - width - left;

	buf = xmalloc(3 * keep + 3 + (size_t)cols + 1);
	out = buf;
	memset(out, ' ', (size_t)left);
	out += left;
	out = width_copy_clean(out, s, keep);
	if (cut) {
		memcpy(out, WIDTH_ELLIPSIS_U8, 3);
		out += 3;
	}
	memset(out, ' ', (size_t)right);
	out += right;
	*out = '\0';
	return buf;
}

/* --- line breaking ----------------------------------------------------------------------- */

/* Closing punctuation, no line starts with it (sorted). */
/* clang-format off */
static const uint32_t width_closing[] = {
	'!', ')', ',', '.', ':', ';', '?', ']', '}',
	0x2019 /* ’ */, 0x201D /* ” */, 0x2025 /* ‥ */, 0x2026 /* … */,
	0x3001 /* 、 */, 0x3002 /* 。 */, 0x3009 /* 〉 */, 0x300B /* 》 */,
	0x300D /* 」 */, 0x300F /* 』 */, 0x3011 /* 】 */, 0x3015 /* 〕 */,
	0x3017 /* 〗 */, 0x3019 /* 〙 */, 0x301B /* 〛 */, 0xFF01 /* ！ */,
	0xFF09 /* ） */, 0xFF0C /* ， */, 0xFF0E /* ． */, 0xFF1A /* ： */,
	0xFF1B /* ； */, 0xFF1F /* ？ */, 0xFF3D /* ］ */, 0xFF5D /* ｝ */,
	0xFF60 /* ｠ */, 0xFF61 /* ｡ */, 0xFF63 /* ｣ */, 0xFF64 /* ､ */,
};

/* Opening punctuation, no line ends with it (sorted). */
static const uint32_t width_opening[] = {
	'(', '[', '{',
	0x2018 /* ‘ */, 0x201C /* “ */, 0x3008 /* 〈 */, 0x300A /* 《 */,
	0x300C /* 「 */, 0x300E /* 『 */, 0x3010 /* 【 */, 0x3014 /* 〔 */,
	0x3016 /* 〖 */, 0x3018 /* 〘 */, 0x301A /* 〚 */, 0xFF08 /* （ */,
	0xFF3B /* ［ */, 0xFF5B /* ｛ */, 0xFF5F /* ｟ */, 0xFF62 /* ｢ */,
};
/* clang-format on */

static bool width_in_list(wchar_t wc, const uint32_t *list, size_t n)
{
	size_t lo = 0, hi = n;

	if (wc < 0)
		return false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((uint32_t)wc > list[mid])
			lo = mid + 1;
		else if ((uint32_t)wc < list[mid])
			hi = mid;
		else
			return true;
	}
	return false;
}

bool mq_break_closing(wchar_t wc)
{
	return width_in_list(wc, width_closing, MQ_NITEMS(width_closing));
}

bool mq_break_opening(wchar_t wc)
{
	return width_in_list(wc, width_opening, MQ_NITEMS(width_opening));
}

/*
 * May a line break between a (the last character before, wa its columns) and
 * b (the next one), with spaces between them or not?
 */
static bool width_break_ok(wchar_t a, int wa, wchar_t b, int wb, bool spaces)
{
	if (wb == 0 || mq_break_closing(b) || mq_break_opening(a))
		return false;
	if (spaces)
		return true;
	return wa == 2 || wb == 2; /* never inside a run of narrow characters */
}

size_t mq_linebreak(const char *s, int cols, int *width, const char **next)
{
	/* The line so far is s[0..end), col columns; the spaces after it are not counted yet. */
	size_t end = 0, q = 0, spaces = 0, col = 0, max;
	/* The last place the line may break: it would be s[0..brk_end), brk_col columns. */
	size_t brk_end = 0, brk_next = 0, brk_col = 0;
	bool brk = false;
	wchar_t prev = 0;
	int prev_w = 0;

	max = cols < 2 ? 2 : (size_t)cols;
	for (;;) {
		wchar_t wc;
		size_t len;
		int w;
		bool allowed;

		if (s[q] == '\0' || s[q] == '\n') {
			/* The paragraph ends here: all of it fits. */
			*next = s + q + (s[q] == '\n');
			break;
		}
		if (s[q] == ' ') {
			spaces++;
			q++;
			continue;
		}
		len = width_decode_at(s + q, &wc);
		w = mq_wcwidth(wc);
		allowed = end > 0 && width_break_ok(prev, prev_w, wc, w, spaces > 0);
		if (spaces > max || col + spaces + (size_t)w > max) {
			if (allowed) {
				*next = s + q; /* right before this character */
			} else if (brk) {
				end = brk_end;
				col = brk_col;
				*next = s + brk_next;
			} else if (end > 0 || spaces > 0) {
				/* One run wider than the line (or an indent too wide): cut it. */
				*next = s + q;
			} else {
				/* Not even one character fits (cols is at least 2: never). */
				end = len;
				col = (size_t)w;
				*next = s + len;
			}
			break;
		}
		if (allowed) {
			brk = true;
			brk_end = end;
			brk_next = q;
			brk_col = col;
		}
		col += spaces + (size_t)w;
		spaces = 0;
		end = q + len;
		q = end;
		if (w > 0) {
			prev = wc;
			prev_w = w;
		}
	}
	if (width != NULL)
		*width = (int)col;
	return end;
}

size_t mq_wrap(const char *s, int cols, char ***lines)
{
	const char *p = s, *next;
	size_t n = 0, len;

	*lines = NULL;
	do {
		len = mq_linebreak(p, cols, NULL, &next);
		*lines = xrealloc(*lines, (n + 1) * sizeof **lines);
		(*lines)[n++] = xstrndup(p, len);
		p = next;
	} while (*p != '\0');
	return n;
}

void mq_wrap_free(char **lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}
