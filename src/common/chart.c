/*
 * Terminal charts (include/mq/chart.h): sparklines, bars and changes.
 *
 * Why these glyphs: the eight lower blocks U+2581..U+2588 and the left
 * eighths U+2589..U+258F are in every monospace font that has box drawing,
 * and terminals (and our mq_strwidth) give them one column; the ASCII ramp
 * keeps the order readable where they are missing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mq/chart.h"
#include "mq/common.h"

static const char *const spark_utf8[9] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
static const char spark_ascii[] = " _.-:=+*#";
/* Left blocks of 1..7 eighths of a column. */
static const char *const bar_eighths[8] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};

bool mq_chart_number(const char *s, double *out, int *decimals)
{
	const char *p = s, *dot = NULL;
	char *end;

	if (s == NULL)
		return false;
	if (*p == '-' || *p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	for (; *p != '\0'; p++) {
		if (*p == '.' && dot == NULL)
			dot = p;
		else if (*p < '0' || *p > '9')
			return false;
	}
	if (dot != NULL && dot[1] == '\0')
		return false;
	*out = strtod(s, &end);
	if (*end != '\0' || !isfinite(*out))
		return false;
	if (decimals != NULL)
		*decimals = dot != NULL ? (int)(p - dot - 1) : 0;
	return true;
}

/* The numbers of "{1,2,NULL}" into v (NAN for NULL): their count, -1 when it is not one. */
static int spark_parse(const char *array, double *v, int max)
{
	const char *p = array;
	char item[64];
	int n = 0;

	if (array == NULL || *p++ != '{')
		return -1;
	if (*p == '}')
		return p[1] == '\0' ? 0 : -1;
	for (;;) {
		size_t len = strcspn(p, ",}");

		if (len == 0 || len >= sizeof item || p[len] == '\0')
			return -1;
		memcpy(item, p, len);
		item[len] = '\0';
		if (n < max) {
			if (strcmp(item, "NULL") == 0)
				v[n] = NAN;
			else if (!mq_chart_number(item, &v[n], NULL))
				return -1;
		}
		n++;
		p += len;
		if (*p == '}')
			return p[1] == '\0' ? (n < max ? n : max) : -1;
		p++;
	}
}

char *mq_chart_spark(const char *array, bool ascii)
{
	double v[MQ_CHART_SPARK_MAX], top = 0;
	int n = spark_parse(array, v, MQ_CHART_SPARK_MAX), i, level;
	char *out, *o;

	if (n <= 0)
		return xstrdup("");
	for (i = 0; i < n; i++)
		if (!isnan(v[i]) && v[i] > top)
			top = v[i];
	/* at most 3 bytes a glyph */
	o = out = xmalloc((size_t)n * 3 + 1);
	for (i = 0; i < n; i++) {
		/* 0 (and below, and NULL) blank; above it 1..8 eighths of the largest */
		if (isnan(v[i]) || v[i] <= 0 || top <= 0)
			level = 0;
		else
			level = 1 + (int)floor(v[i] / top * 7.0 + 0.5);
		if (level > 8)
			level = 8;
		if (ascii)
			*o++ = spark_ascii[level];
		else
			o = stpcpy(o, spark_utf8[level]);
	}
	*o = '\0';
	return out;
}

char *mq_chart_bar(const char *value, double max, int width, bool ascii)
{
	double v;
	long units, full, i;
	int per = ascii ? 2 : 8, part;
	char *out, *o;

	if (width < 0)
		width = 0;
	/* a full block is 3 bytes in UTF-8 */
	o = out = xmalloc((size_t)width * 3 + 1);
	if (!mq_chart_number(value, &v, NULL) || max <= 0 || v <= 0)
		v = 0;
	if (v > max)
		v = max;
	units = max > 0 ? lround(v / max * (double)width * per) : 0;
	/* something to see for any value above 0 */
	if (units == 0 && v > 0 && width > 0)
		units = 1;
	full = units / per;
	part = (int)(units % per);
	for (i = 0; i < full; i++)
		o = ascii ? (*o++ = '#', o) : stpcpy(o, "█");
	if (part > 0) {
		o = ascii ? (*o++ = '=', o) : stpcpy(o, bar_eighths[part]);
		full++;
	}
	for (i = full; i < width; i++)
		*o++ = ' ';
	*o = '\0';
	return out;
}

char *mq_chart_delta(const char *value, const char *base, bool ascii)
{
	double a, b, d;
	int da, db, dec;

	if (!mq_chart_number(value, &a, &da) || !mq_chart_number(base, &b, &db))
		return xstrdup("");
	dec = da > db ? da : db;
	if (dec > 6)
		dec = 6;
	d = a - b;
	/* equal at the precision shown */
	if (fabs(d) < 0.5 * pow(10.0, -dec))
		return xasprintf("%s%.*f", ascii ? "=" : "→", dec, 0.0);
	return xasprintf("%s%.*f", d > 0 ? (ascii ? "+" : "↑") : (ascii ? "-" : "↓"), dec, fabs(d));
}

bool mq_charts_ascii(const char *setting, const char *term)
{
	if (setting != NULL && strcmp(setting, "ascii") == 0)
		return true;
	if (setting != NULL && strcmp(setting, "unicode") == 0)
		return false;
	return term != NULL && (strcmp(term, "linux") == 0 || strncmp(term, "vt", 2) == 0);
}
