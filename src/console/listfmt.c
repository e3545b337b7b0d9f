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
