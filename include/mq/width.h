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

#endif
