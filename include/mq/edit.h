/*
 * The field editor model: the text of one input field, its cursor and the
 * part of it a view of a given size shows, with no terminal in sight (the
 * console draws it; the tests and the fuzz harness drive it directly).
 *
 * The text is an array of code points (wchar_t) and every position is an
 * index into it. Columns come from include/mq/width.h: a Chinese character
 * is two columns and is never shown cut in half. Zero-width characters
 * (combining marks, variation selectors) belong to the character before
 * them: the cursor moves over such a "cluster" as a whole and never stops
 * inside one. A stored text holds no control character other than '\n' (in
 * a multi-line field only), no surrogate and no U+0000, so it always encodes
 * to well-formed UTF-8.
 *
 * Limits: max_chars counts code points ('\n' included); max_cols counts the
 * display width of the whole text ('\n' takes no column). Neither is ever
 * exceeded: an insertion that would is refused with a status saying which.
 *
 * Layout. A single-line field scrolls horizontally: the cursor is always
 * inside the view, and a wide character cut by the left or right edge is not
 * shown (its visible column is blank). When the cursor is after the last
 * character it takes a column of its own, so a view that should show a full
 * field without scrolling needs max_cols + 1 columns. A multi-line field wraps
 * by display width (a character that does not fit at the end of a row starts
 * the next one; '\n' ends a row; the cell of the cursor after the last
 * character of a row, at a '\n' or at the end, also needs a column, so a row
 * filled exactly is followed by an empty one) and scrolls vertically so that
 * the cursor row is visible.
 *
 * Every operation is O(n) at worst in the length of the text (a paste
 * inserts all its characters in one move). The editor allocates through
 * xmalloc(): out of memory is fatal().
 */
#ifndef MQ_EDIT_H
#define MQ_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

typedef struct mq_edit mq_edit;

/* What an operation did. Every operation returns one of these. */
enum mq_edit_status {
	MQ_EDIT_OK = 0,     /* done: the text or the cursor changed */
	MQ_EDIT_NOOP,       /* nothing to do (left at the start, delete at the end,
			       up on the first row): the caller may beep or use
			       the key itself, e.g. to move to the next field */
	MQ_EDIT_FULL_CHARS, /* refused (or cut): max_chars reached */
	MQ_EDIT_FULL_COLS,  /* refused (or cut): the character would exceed max_cols */
	MQ_EDIT_INVALID,    /* refused: a control character, or a newline in a
			       single-line field, or not a Unicode scalar value */
};

/* The options of a field, given to mq_edit_new(). */
struct mq_edit_options {
	size_t max_chars; /* most code points; 0: unlimited */
	int max_cols;     /* most display columns of the whole text; <= 0: unlimited */
	bool multiline;   /* '\n' allowed, the text wraps */
	int view_cols;    /* columns of the view (< 1 is taken as 1) */
	int view_rows;    /* rows of the view of a multi-line field (< 1 is taken
			     as 1); a single-line field has one row */
};

/* Cursor movements for mq_edit_move(). */
enum mq_edit_move {
	MQ_EDIT_LEFT,       /* one character (cluster) */
	MQ_EDIT_RIGHT,      /* one character (cluster) */
	MQ_EDIT_HOME,       /* start of the line (of the field when single-line) */
	MQ_EDIT_END,        /* end of the line: before its '\n', or the end */
	MQ_EDIT_WORD_LEFT,  /* start of this or the previous word */
	MQ_EDIT_WORD_RIGHT, /* start of the next word (after the spaces) */
	MQ_EDIT_UP,         /* previous row, same goal column (multi-line) */
	MQ_EDIT_DOWN,       /* next row, same goal column (multi-line) */
	MQ_EDIT_PAGE_UP,    /* view_rows rows up (multi-line) */
	MQ_EDIT_PAGE_DOWN,  /* view_rows rows down (multi-line) */
	MQ_EDIT_START,      /* start of the text */
	MQ_EDIT_FINISH,     /* end of the text */
};

/*
 * What mq_edit_insert_utf8() did: code points inserted and refused (control
 * characters, and everything after the field became full), and the status of
 * the first refusal (MQ_EDIT_OK when nothing was refused).
 */
struct mq_edit_paste {
	size_t inserted;
	size_t refused;
	enum mq_edit_status status;
};

/*
 * One row of the view. Draw `count` code points from index `first` of
 * mq_edit_text() at column `lead` of the row; the other columns of the row are
 * blank. lead is 1 when a wide character is cut by the left edge (single-line
 * only), else 0; lead + cols <= view_cols. A row below the end of the text
 * has count 0. mq_edit_view_utf8() gives the same row as printable text.
 */
struct mq_edit_row {
	size_t first;
	size_t count;
	int lead;
	int cols;
};

/*
 * A new empty field with the options of opt (copied; NULL: all defaults, a
 * one-column single-line view). The caller frees it with mq_edit_free().
 */
mq_edit *mq_edit_new(const struct mq_edit_options *opt);
void mq_edit_free(mq_edit *e);

/*
 * Resize the view (the same rules as the options); the text re-wraps and
 * scrolls so the cursor stays visible. Not an edit: the goal column of a
 * run of vertical moves survives it (a screen sets the view at every draw).
 */
void mq_edit_set_view(mq_edit *e, int view_cols, int view_rows);

/*
 * Replace the text with s (UTF-8, e.g. a value from the database; NULL is
 * empty) and put the cursor at the start. Every invalid byte becomes U+FFFD;
 * a tab becomes a space; in a multi-line field "\r\n" and a lone '\r' become
 * '\n'; every other control character (and '\n' in a single-line field)
 * becomes U+FFFD, so it stays visible as such and is safe to draw. A text
 * longer than the limits is cut before the first character that does not
 * fit, and the status says which limit cut it (else MQ_EDIT_OK). Forgets any
 * pending bytes of mq_edit_insert_utf8().
 */
enum mq_edit_status mq_edit_set_utf8(mq_edit *e, const char *s);

/*
 * The text as a newly allocated NUL-terminated UTF-8 string; the caller
 * frees it. Exactly what mq_edit_set_utf8() was given when that was
 * well-formed UTF-8 without control characters (other than '\n' in a
 * multi-line field) within the limits.
 */
char *mq_edit_utf8(const mq_edit *e);

/*
 * The text as code points, NUL-terminated; owned by the editor and valid
 * until the next call that changes the text. Its length is mq_edit_len().
 */
const wchar_t *mq_edit_text(const mq_edit *e);
size_t mq_edit_len(const mq_edit *e);
size_t mq_edit_cursor(const mq_edit *e);
size_t mq_edit_width(const mq_edit *e); /* display columns of the whole text */

/*
 * Move the cursor to index pos (clamped to the length; moved forward out of
 * a cluster). MQ_EDIT_NOOP when it was there already.
 */
enum mq_edit_status mq_edit_set_cursor(mq_edit *e, size_t pos);

/*
 * Insert one code point at the cursor and move the cursor after it. A tab
 * is inserted as a space; '\n' only in a multi-line field (it counts as a
 * character, not as a column). Refused, changing nothing: control
 * characters, U+0000, surrogates and values beyond U+10FFFF (MQ_EDIT_INVALID),
 * and any character that would make the text longer than max_chars
 * (MQ_EDIT_FULL_CHARS) or wider than max_cols (MQ_EDIT_FULL_COLS: a two-column
 * character when one column is left is refused, never squeezed in).
 */
enum mq_edit_status mq_edit_insert(mq_edit *e, wchar_t wc);

/* mq_edit_insert(e, '\n'): MQ_EDIT_INVALID in a single-line field. */
enum mq_edit_status mq_edit_newline(mq_edit *e);

/*
 * Insert UTF-8 bytes at the cursor (a paste, an input method's burst, bytes
 * read from the terminal) in one move, as mq_edit_insert() would one by one:
 * control characters are refused and skipped; a tab becomes a space; in a
 * multi-line field "\r\n" and '\r' become '\n'; invalid bytes become U+FFFD.
 * Once a character does not fit, it and every character after it are
 * refused (a paste is cut, never filtered by width). A sequence cut at the
 * end of s is kept inside the editor (at most 3 bytes) and completed by the
 * first bytes of the next call; mq_edit_flush() ends it. Returns the number
 * of code points inserted; *res (if not NULL) receives the details.
 */
size_t mq_edit_insert_utf8(mq_edit *e, const char *s, size_t n, struct mq_edit_paste *res);

/* Bytes of an incomplete sequence waiting for the next mq_edit_insert_utf8(). */
size_t mq_edit_pending(const mq_edit *e);

/*
 * Give up waiting: insert the pending bytes as U+FFFD (one per byte, as
 * mq_edit_set_utf8() would) and forget them. MQ_EDIT_OK, or the limit that
 * cut them (some may have gone in); MQ_EDIT_NOOP when nothing pends.
 */
enum mq_edit_status mq_edit_flush(mq_edit *e);

/* Delete the character (cluster) under the cursor; at the end MQ_EDIT_NOOP. */
enum mq_edit_status mq_edit_delete(mq_edit *e);

/*
 * Delete the code point before the cursor (a combining mark alone, so an
 * accent can be taken back); at the start MQ_EDIT_NOOP.
 */
enum mq_edit_status mq_edit_backspace(mq_edit *e);

/*
 * Ctrl-K: delete from the cursor to the end of the line (the '\n' stays); at
 * the end of a line of a multi-line field delete the '\n', joining the next
 * line. MQ_EDIT_NOOP at the end of the text.
 */
enum mq_edit_status mq_edit_kill_to_end(mq_edit *e);

/*
 * Ctrl-U: a single-line field is emptied. In a multi-line field the current
 * line is emptied (its '\n' stays); when it is empty already, the line itself
 * goes (with its '\n', or with the one before it when it is the last line).
 * The cursor ends at the start of the line. MQ_EDIT_NOOP when the field is
 * empty.
 */
enum mq_edit_status mq_edit_kill_line(mq_edit *e);

/* Empty the field and forget pending bytes. MQ_EDIT_NOOP when it was empty. */
enum mq_edit_status mq_edit_clear(mq_edit *e);

/*
 * Move the cursor. Up and down keep a goal column: the column the cursor had
 * before the first of a run of vertical moves; on a shorter row the cursor
 * stops at the last position not beyond it (before a wide character that
 * straddles it). Word moves know four classes: spaces; letters and digits
 * (ASCII, Latin and other alphabets, fullwidth ones); CJK ideographs, kana
 * and Hangul; punctuation and symbols (ASCII and Chinese: ，。、；：？！“”（）
 * ...). MQ_EDIT_NOOP when the cursor cannot move (vertical moves in a
 * single-line field, up on the first row, down on the last).
 */
enum mq_edit_status mq_edit_move(mq_edit *e, enum mq_edit_move how);

/* Wrapped rows of the whole text (1 for a single-line field) and the first shown. */
size_t mq_edit_row_count(const mq_edit *e);
size_t mq_edit_top_row(const mq_edit *e);

/*
 * Row r of the view (0 <= r < view_rows; 0 for a single-line field; any
 * other r gives an empty row).
 */
void mq_edit_view_row(const mq_edit *e, int r, struct mq_edit_row *row);

/*
 * Where the cursor is in the view: 0 <= *row < view_rows (0 for a single-
 * line field) and 0 <= *col < view_cols. Either pointer may be NULL.
 */
void mq_edit_view_cursor(const mq_edit *e, int *row, int *col);

/*
 * Row r of the view as a newly allocated UTF-8 string of exactly view_cols
 * columns (blanks included), with every control or invalid code point shown
 * as U+FFFD, ready to print at the start of the row; the caller frees it.
 */
char *mq_edit_view_utf8(const mq_edit *e, int r);

#endif
