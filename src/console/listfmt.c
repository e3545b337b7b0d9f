/*
 * The pure parts of the list widget and its screens: how the columns share
 * the width, one row fitted by display width (a Chinese character is two
 * columns and is never cut: the cut gets "…" at a character boundary),
 * whether a row matches the filter, how long until a deadline ("2天3小时",
 * "超期5小时"), the names and letters of states and warning levels, and what
 * a search typed in Find cases looks like (a case number, a serial, a mobile
 * number, words). No terminal and no database here, so tests/unit/test_list.c
 * links this file alone.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

void listfmt_widths(const struct list_column *cols, int ncols, int total, int gap, int *widths)
{
	int i, n, need = 0, spare, wsum = 0, given = 0, add;

	for (i = 0; i < ncols; i++)
		widths[i] = 0;
	if (ncols <= 0 || total <= 0)
		return;
	/* The columns that fit at their minimum, from the left. */
	for (n = 0; n < ncols; n++) {
		add = cols[n].min + (n > 0 ? gap : 0);
		if (need + add > total)
			break;
		need += add;
	}
	if (n == 0) {
		widths[0] = total; /* not even the first one: it gets what there is */
		return;
	}
	for (i = 0; i < n; i++) {
		widths[i] = cols[i].min;
		wsum += cols[i].weight;
	}
	spare = total - need;
	if (wsum == 0) {
		widths[n - 1] += spare;
		return;
	}
	for (i = 0; i < n; i++) {
		add = spare * cols[i].weight / wsum;
		widths[i] += add;
		given += add;
	}
	for (i = 0; given < spare; i = (i + 1) % n)
		if (cols[i].weight > 0) {
			widths[i]++;
			given++;
		}
}

char *listfmt_row(const struct list_column *cols, const char *const *cells, const int *widths,
		  int ncols, int gap)
{
	size_t len = 0, cap = 64;
	char *line = xmalloc(cap), *cell;
	bool first = true;
	int i, g;

	line[0] = '\0';
	for (i = 0; i < ncols; i++) {
		size_t n;

		if (widths[i] <= 0)
			continue;
		cell = mq_strpad(cells[i] != NULL ? cells[i] : "", widths[i], cols[i].align);
		n = strlen(cell);
		g = first ? 0 : gap;
		while (len + (size_t)g + n + 1 > cap)
			cap *= 2;
		line = xrealloc(line, cap);
		memset(line + len, ' ', (size_t)g);
		memcpy(line + len + (size_t)g, cell, n + 1);
		len += (size_t)g + n;
		first = false;
		free(cell);
	}
	return line;
}

/* strstr() with ASCII letters folded (Chinese has no case). */
static bool listfmt_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	for (; *hay != '\0'; hay++) {
		for (i = 0; i < n && hay[i] != '\0'; i++)
			if (tolower((unsigned char)hay[i]) != tolower((unsigned char)needle[i]))
				break;
		if (i == n)
			return true;
	}
	return false;
}

bool listfmt_match(const char *const *cells, int ncells, const char *needle)
{
	int i;

	if (needle == NULL || *needle == '\0')
		return true;
	for (i = 0; i < ncells; i++)
		if (cells[i] != NULL && listfmt_contains(cells[i], needle))
			return true;
	return false;
}

char *listfmt_duration(long long seconds)
{
	long long d, h, m;

	if (seconds < 0)
		seconds = -seconds;
	d = seconds / 86400;
	h = seconds % 86400 / 3600;
	m = seconds % 3600 / 60;
	if (d > 0 && h > 0)
		/* TRANSLATORS: days and hours, short: 2天3小时 */
		return xasprintf(_("%lldd %lldh"), d, h);
	if (d > 0)
		/* TRANSLATORS: days, short: 2天 */
		return xasprintf(_("%lldd"), d);
	if (h > 0 && m > 0)
		/* TRANSLATORS: hours and minutes, short: 5小时10分 */
		return xasprintf(_("%lldh %lldm"), h, m);
	if (h > 0)
		/* TRANSLATORS: hours, short: 5小时 */
		return xasprintf(_("%lldh"), h);
	if (m > 0)
		/* TRANSLATORS: minutes, short: 12分钟 */
		return xasprintf(_("%lldm"), m);
	/* TRANSLATORS: less than a minute, short */
	return xstrdup(_("<1m"));
}

char *listfmt_countdown(time_t due, time_t now)
{
	char *d, *s;

	if (due >= now)
		return listfmt_duration((long long)due - (long long)now);
	d = listfmt_duration((long long)now - (long long)due);
	/* TRANSLATORS: past the deadline by a duration: 超期5小时 */
	s = xasprintf(_("overdue %s"), d);
	free(d);
	return s;
}

/* The same msgids as the case screen (screen-case.c), so one translation serves both. */
static const struct {
	const char *status;
	const char *name;
} listfmt_statuses[] = {
	{"received", N_("received")},
	{"accepted", N_("accepted")},
	{"dispatched", N_("dispatched")},
	{"in_progress", N_("in progress")},
	{"waiting", N_("waiting for the resident")},
	{"resolved", N_("resolved")},
	{"reported", N_("reported back")},
	{"closed", N_("closed")},
	{"withdrawn", N_("withdrawn")},
};

const char *listfmt_status(const char *status)
{
	size_t i;

	for (i = 0; i < MQ_NITEMS(listfmt_statuses); i++)
		if (strcmp(status, listfmt_statuses[i].status) == 0)
			return _(listfmt_statuses[i].name);
	return status;
}

const char *listfmt_marker(const char *level)
{
	if (level == NULL)
		return "";
	if (strcmp(level, "yellow") == 0)
		return "Y";
	if (strcmp(level, "orange") == 0)
		return "O";
	if (strcmp(level, "red") == 0)
		return "R";
	return "";
}

enum tty_role listfmt_warning_role(const char *level)
{
	if (level == NULL)
		return TTY_NORMAL;
	if (strcmp(level, "yellow") == 0)
		return TTY_WARN_YELLOW;
	if (strcmp(level, "orange") == 0)
		return TTY_WARN_ORANGE;
	if (strcmp(level, "red") == 0)
		return TTY_WARN_RED;
	return TTY_NORMAL;
}

/* Characters (code points) of s. */
static size_t listfmt_nchars(const char *s)
{
	size_t n = 0, len = strlen(s), k;
	wchar_t wc;

	while (len > 0) {
		k = mq_utf8_decode(s, len, &wc);
		s += k;
		len -= k;
		n++;
	}
	return n;
}

enum listfmt_query listfmt_classify(const char *q, char **norm)
{
	const char *start = q != NULL ? q : "", *end;
	size_t len, i, letters = 0;
	bool digits = true;
	char *t;

	/* Trim ASCII blanks and the ideographic space U+3000 (an input method's). */
	for (;;) {
		if (*start == ' ' || *start == '\t')
			start++;
		else if (strncmp(start, "\xE3\x80\x80", 3) == 0)
			start += 3;
		else
			break;
	}
	end = start + strlen(start);
	for (;;) {
		if (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		else if (end - start >= 3 && strncmp(end - 3, "\xE3\x80\x80", 3) == 0)
			end -= 3;
		else
			break;
	}
	len = (size_t)(end - start);
	t = xstrndup(start, len);
	*norm = t;
	if (len == 0)
		return LISTFMT_Q_EMPTY;

	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)t[i]))
			digits = false;
	if (digits && len == 11 && t[0] == '1' && t[1] >= '3' && t[1] <= '9')
		return LISTFMT_Q_PHONE;
	if (digits && len >= 3)
		return LISTFMT_Q_SERIAL;

	/* Letters, a dash, then digits, letters and dashes: LW-, LW-2026-0009. */
	while (letters < len && isalpha((unsigned char)t[letters]))
		letters++;
	if (letters > 0 && letters < len && t[letters] == '-') {
		for (i = letters + 1; i < len; i++)
			if (!isalnum((unsigned char)t[i]) && t[i] != '-')
				break;
		if (i == len) {
			for (i = 0; i < len; i++)
				t[i] = (char)toupper((unsigned char)t[i]);
			return LISTFMT_Q_CASE_NO;
		}
	}
	if (listfmt_nchars(t) < 2)
		return LISTFMT_Q_SHORT;
	return LISTFMT_Q_WORDS;
}

char *listfmt_prefix_end(const char *s)
{
	size_t n = strlen(s);
	char *end;

	while (n > 0 && (unsigned char)s[n - 1] == 0xFF)
		n--;
	if (n == 0)
		return NULL;
	end = xstrndup(s, n);
	end[n - 1] = (char)((unsigned char)end[n - 1] + 1);
	return end;
}
