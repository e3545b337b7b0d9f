/*
 * Terminal charts for the report screens and `minqing-admin report`: a
 * sparkline of a monthly series, a horizontal bar, a change with its arrow.
 * Unicode block characters (▁▂▃▄▅▆▇█, ▏▎▍▌▋▊▉) by default; with ascii set,
 * only ASCII (for a terminal whose font or locale lacks them). Every glyph
 * is one display column wide, so a chart of n values is n columns and a bar
 * is exactly its width: the list engine fits them as any other cell.
 *
 * The values come as PostgreSQL prints them (numbers, arrays "{1,2,NULL}");
 * anything else is shown as nothing, never guessed at. No terminal and no
 * database here: the console, the admin tool, the unit tests and the fuzzer
 * link it alone.
 */
#ifndef MQ_CHART_H
#define MQ_CHART_H

#include <stdbool.h>

#define MQ_CHART_SPARK_MAX 120 /* values of a sparkline drawn at most */

/*
 * A one-dimensional array of numbers as PostgreSQL prints it ("{3,0,NULL,12}")
 * as a sparkline, a glyph per value scaled from 0 to the largest value: 0 and
 * NULL a blank, the largest the full block. Not an array of numbers: "".
 * Caller frees.
 */
char *mq_chart_spark(const char *array, bool ascii);

/*
 * value out of max as a bar of exactly width display columns (eighths of a
 * column in Unicode, halves in ASCII), blanks after it. A value that is not
 * a number, or max <= 0: width blanks. Caller frees.
 */
char *mq_chart_bar(const char *value, double max, int width, bool ascii);

/*
 * The change from base to value with its direction: "↑12", "↓3.5", "→0"
 * ("+12", "-3.5", "=0" in ASCII), as many decimals as the more precise of
 * the two. Either not a number (a NULL, a period without data): "". Caller
 * frees.
 */
char *mq_chart_delta(const char *value, const char *base, bool ascii);

/*
 * Whether charts are drawn in ASCII: setting is ui.charts ("auto",
 * "unicode", "ascii"); auto is ASCII on the Linux console and terminals
 * named vt*, whose fonts have no eighth blocks.
 */
bool mq_charts_ascii(const char *setting, const char *term);

/* A number as PostgreSQL prints it (integer or numeric, no exponent): true and its value. */
bool mq_chart_number(const char *s, double *out, int *decimals);

#endif
