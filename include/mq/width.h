/*
 * Display width: the one API for every piece of layout on the screen.
 *
 * Strings are UTF-8. A Chinese (East Asian Wide/Fullwidth) character takes
 * two columns, combining marks zero; invalid UTF-8 is treated as U+FFFD (one
 * column) and control characters are shown as U+FFFD too, so a byte never
 * breaks the screen. So are the invisible characters (bidirectional controls
 * such as U+202E, zero-width spaces and joiners, the soft hyphen, other format
 * characters): text from the database shows what is in it. Nothing here ever
 * cuts a character in half.
 */
#ifndef MQ_WIDTH_H
#define MQ_WIDTH_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/*
 * Columns of one code point: 0, 1 or 2 (controls and invisible characters
 * count as 1: they are shown as U+FFFD).
 */
int mq_wcwidth(wchar_t wc);

/*
 * Decode one character from s (at most n bytes). Stores the code point
 * (U+FFFD for an invalid or truncated sequence) in *wc and returns the number
 * of bytes consumed (>= 1 when n >= 1; 0 when n == 0).
 */
size_t mq_utf8_decode(const char *s, size_t n, wchar_t *wc);

/*
 * Whether p[0..n) is the start of a well-formed sequence that needs more
 * bytes (Unicode table 3-7): a read or a paste cut there may complete it.
 */
bool mq_utf8_incomplete(const unsigned char *p, size_t n);

/*
 * UTF-8 assembled from bytes that arrive in any pieces (a terminal read, an
 * SSH packet or an input method's burst cut between the bytes of a
 * character): bytes of an unfinished character wait here, never lost. Zero
 * it to start.
 */
struct mq_utf8_stream {
	unsigned char buf[4];
	size_t n;
};
/*
 * Add one byte. Returns how many code points it completed (0 to 4) and
 * stores them in out: a character, or U+FFFD for each byte that cannot
 * begin or continue one, then whatever followed it.
 */
size_t mq_utf8_stream_feed(struct mq_utf8_stream *st, unsigned char byte, wchar_t out[4]);
/* Give up waiting: each pending byte as U+FFFD in out; returns how many (0 to 3). */
size_t mq_utf8_stream_flush(struct mq_utf8_stream *st, wchar_t out[4]);

/*
 * The most characters (code points) of any one text the console lays out. A
 * longer text is cut there and the cut marked with "…" (mq_text_clip), and
 * mq_strfit and mq_strpad never look further, so laying out any text takes
 * microseconds whatever the database holds (a note of megabytes, a title of
 * a million combining marks). The database caps texts at 2,000 characters,
 * so nothing it accepts is cut.
 */
#define MQ_TEXT_MAX 4000

/*
 * Display width in columns of a NUL-terminated UTF-8 string: all of it, so
 * for the program's own texts (labels, messages); text from the database is
 * laid out with mq_strfit() and mq_strpad(), which stop at what can be drawn.
 */
int mq_strwidth(const char *s);

/*
 * The number of bytes of s that fit in max_cols columns without splitting a
 * character, and of at most MQ_TEXT_MAX characters; *cols (if not NULL)
 * receives the columns they take. Reads s no further than that (and the
 * character after it).
 */
size_t mq_strfit(const char *s, int max_cols, int *cols);

/*
 * A newly allocated copy of the first max characters of s, with "…" appended
 * when s has more (invalid bytes count as one character each and are copied
 * as they are). Reads s no further than that. Caller frees.
 */
char *mq_text_clip(const char *s, size_t max);

/*
 * A newly allocated copy of s fitted to exactly `cols` columns: cut at a
 * character boundary with "…" when too long (the ellipsis takes one column;
 * more than MQ_TEXT_MAX characters are too long whatever their width),
 * padded with spaces on the right (align < 0), left (align > 0) or both
 * (align == 0, centred). Invalid bytes, controls and invisible characters
 * become U+FFFD.
 * Caller frees.
 */
char *mq_strpad(const char *s, int cols, int align);

/*
 * One line of s broken for a width of cols columns, by the usual rules of
 * Chinese text (cols below 2 count as 2: a line holds a Chinese character):
 *
 *   - a newline ends the line;
 *   - a line may break at spaces (dropped there: a line never ends with one,
 *     the next never starts with one), and between two characters of which
 *     one is wide: between two Chinese characters, or a Chinese character
 *     and a letter or digit;
 *   - never between two narrow characters: a run of letters, digits and
 *     punctuation such as LW-2026-000963 stays whole;
 *   - never before closing punctuation (，。、；：？！）」』】》〉…, , . ; : ? ! )
 *     ] } and the like: mq_break_closing()) or a zero-width character, never
 *     after opening punctuation (（「『【《〈 ( [ { and the like:
 *     mq_break_opening());
 *   - the line ends at the last place it may break before it would pass
 *     cols; when there is none (one run is wider than the line), after the
 *     last character that fits: a character is never cut.
 *
 * Spaces at the start of the text or after a newline are kept (an indent),
 * unless they leave no room for the character after them: then the line is
 * empty and the next starts at that character.
 *
 * Returns the number of bytes of the line, s[0..n) (its trailing spaces left
 * out), *width (if not NULL) its columns, and *next where the following
 * line starts: past the spaces dropped and the newline. The text is done
 * when **next is '\0' (a newline at its very end makes no empty line). Reads
 * s no further than the line, the spaces after it and one character more.
 * One line at a time, so a caller may give each line its own width:
 *
 *	const char *p = text, *next;
 *	do {
 *		size_t n = mq_linebreak(p, cols, NULL, &next);
 *		... draw the n bytes at p ...
 *		p = next;
 *	} while (*p != '\0');
 */
size_t mq_linebreak(const char *s, int cols, int *width, const char **next);

/*
 * All the lines of s broken by mq_linebreak() for cols columns, as strings:
 * returns how many (at least 1: the empty text is one empty line) and
 * *lines, freed with mq_wrap_free().
 */
size_t mq_wrap(const char *s, int cols, char ***lines);
void mq_wrap_free(char **lines, size_t n);

/* No line starts with wc (closing punctuation). */
bool mq_break_closing(wchar_t wc);
/* No line ends with wc (opening punctuation). */
bool mq_break_opening(wchar_t wc);

#endif
