/*
 * Fuzz harness for the report charts (src/common/chart.c): the input is any
 * bytes, taken as the text of a database value (a NUL-terminated copy). What
 * include/mq/chart.h promises, checked on every input:
 *   - mq_chart_spark gives "" or one glyph per array element (a glyph one
 *     column wide), never more than MQ_CHART_SPARK_MAX, in UTF-8 and in ASCII;
 *   - mq_chart_bar is exactly its width in display columns whatever the value;
 *   - mq_chart_delta of the input against itself is "" or "no change";
 *   - mq_chart_number accepts only digits with one optional sign and point.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mq/chart.h"
#include "mq/width.h"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *out;
	double d;
	int w, dec;
	size_t n;

	FUZZ_CHECK(s != NULL);
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';

	out = mq_chart_spark(s, true);
	n = strlen(out);
	FUZZ_CHECK(n <= MQ_CHART_SPARK_MAX);
	free(out);
	out = mq_chart_spark(s, false);
	FUZZ_CHECK((size_t)mq_strwidth(out) == n);
	free(out);

	for (w = 0; w <= 12; w += 5) {
		out = mq_chart_bar(s, 100, w, false);
		FUZZ_CHECK(mq_strwidth(out) == w);
		free(out);
		out = mq_chart_bar(s, 7.5, w, true);
		FUZZ_CHECK(strlen(out) == (size_t)w);
		free(out);
	}

	out = mq_chart_delta(s, s, true);
	FUZZ_CHECK(out[0] == '\0' || out[0] == '=');
	free(out);

	if (mq_chart_number(s, &d, &dec)) {
		FUZZ_CHECK(strspn(s, "+-0123456789.") == strlen(s));
		FUZZ_CHECK(dec >= 0 && (size_t)dec < strlen(s));
	}
	free(s);
	return 0;
}
