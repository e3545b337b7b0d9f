/*
 * Checking what a person typed into a form's field (mq_field_validate):
 * the friendly early check; the database's check is the one that counts.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "mq/cfgread.h"
#include "mq/common.h"
#include "mq/form.h"
#include "mq/i18n.h"
#include "mq/width.h"
#include "form-internal.h"

/* --- checking what a person typed ------------------------------------------------------- */

static bool form_all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

static int form_number(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int form_days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return days[month - 1];
}

/* YYYY-MM-DD at s: -1 not that shape, 0 no such date, 1 a real date. */
static int form_date(const char *s)
{
	int y, m, d;

	if (strlen(s) < 10 || !form_all_digits(s, 4) || s[4] != '-' || !form_all_digits(s + 5, 2) ||
	    s[7] != '-' || !form_all_digits(s + 8, 2))
		return -1;
	y = form_number(s, 4);
	m = form_number(s + 5, 2);
	d = form_number(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > form_days_in_month(y, m))
		return 0;
	return 1;
}

static int form_validate_date(const char *v, bool with_time, char **msg)
{
	const char *shape = with_time ? _("not a date and time: use YYYY-MM-DD HH:MM")
				      : _("not a date: use YYYY-MM-DD");
	int rc;

	if (strlen(v) != (with_time ? 16u : 10u) || (with_time && v[10] != ' '))
		return mq_fail(msg, "%s", shape);
	rc = form_date(v);
	if (rc < 0)
		return mq_fail(msg, "%s", shape);
	if (rc == 0)
		return mq_fail(msg, _("no such date: %.10s"), v);
	if (!with_time)
		return 0;
	if (!form_all_digits(v + 11, 2) || v[13] != ':' || !form_all_digits(v + 14, 2))
		return mq_fail(msg, "%s", shape);
	if (form_number(v + 11, 2) > 23 || form_number(v + 14, 2) > 59)
		return mq_fail(msg, _("no such time: %s"), v + 11);
	return 0;
}

static int form_validate_integer(const struct mq_form_field *f, const char *v, char **msg)
{
	const char *digits = v + (v[0] == '-' || v[0] == '+');
	long long n;
	char *end;

	if (digits[0] == '\0' || !form_all_digits(digits, strlen(digits)))
		return mq_fail(msg, _("not a whole number"));
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno == ERANGE)
		return mq_fail(msg, _("too large a number"));
	if (f->has_min && n < f->min)
		return mq_fail(msg, _("must be at least %lld"), f->min);
	if (f->has_max && n > f->max)
		return mq_fail(msg, _("must be at most %lld"), f->max);
	return 0;
}

/* GB 11643: 17 digits weighted 2^(17-i) mod 11, check character "10X98765432"[sum % 11]. */
static int form_validate_idcard(const char *v, char **msg)
{
	static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int i, sum = 0;

	if (strlen(v) != 18 || !form_all_digits(v, 17) ||
	    !((v[17] >= '0' && v[17] <= '9') || v[17] == 'X'))
		return mq_fail(msg, _("not a resident ID number: 17 digits and a check character "
				      "(0-9 or upper-case X)"));
	for (i = 0; i < 17; i++)
		sum += (v[i] - '0') * weight[i];
	if ("10X98765432"[sum % 11] != v[17])
		return mq_fail(msg, _("the ID number's check character does not match: a digit "
				      "is probably mistyped"));
	return 0;
}

static int form_validate_lookup(const struct mq_form_field *f, const char *v, char **msg)
{
	size_t i, len = strlen(v);

	switch (f->lookup) {
	case MQ_LOOKUP_CATEGORY:
	case MQ_LOOKUP_RESIDENT:
	case MQ_LOOKUP_HOUSEHOLD:
	case MQ_LOOKUP_STATION:
		if (len == 0 || len > 18 || !form_all_digits(v, len) || strspn(v, "0") == len)
			return mq_fail(msg, _("not a valid record number"));
		return 0;
	case MQ_LOOKUP_UNIT:
	case MQ_LOOKUP_STAFF:
		for (i = 0; i < len; i++) {
			if ((unsigned char)v[i] <= ' ' || v[i] == 0x7F)
				break;
		}
		if (len == 0 || len > FORM_IDENT_MAX || i < len)
			return mq_fail(msg, f->lookup == MQ_LOOKUP_UNIT ? _("not a valid unit code")
									: _("not a valid login"));
		return 0;
	}
	fatal("field %s has an unknown lookup kind %d", f->name, (int)f->lookup);
}

int mq_field_validate(const struct mq_form_field *f, const char *v, char **msg)
{
	bool control;
	long chars;

	if (v == NULL)
		v = "";
	if (mq_cfg_blank(v)) {
		if (f->required)
			return mq_fail(msg, _("required"));
		if (v[0] == '\0')
			return 0;
	}
	chars = form_utf8_chars(v, f->type == MQ_FIELD_MULTILINE ? "\n\t" : "", &control);
	if (chars < 0)
		return mq_fail(msg, _("not valid UTF-8 text"));
	if (control)
		return mq_fail(msg, strchr(v, '\n') != NULL
					    ? _("must be one line")
					    : _("must not contain control characters"));
	/* The other types have a format, checked below, which says more. */
	if ((f->type == MQ_FIELD_TEXT || f->type == MQ_FIELD_MULTILINE) && chars > f->max_length)
		return mq_fail(msg, _("at most %d characters (this has %ld)"), f->max_length,
			       chars);

	switch (f->type) {
	case MQ_FIELD_TEXT:
	case MQ_FIELD_MULTILINE:
		break;
	case MQ_FIELD_INTEGER:
		return form_validate_integer(f, v, msg);
	case MQ_FIELD_DATE:
		return form_validate_date(v, false, msg);
	case MQ_FIELD_DATETIME:
		return form_validate_date(v, true, msg);
	case MQ_FIELD_PHONE:
		if (strlen(v) != 11 || !form_all_digits(v, 11) || v[0] != '1' || v[1] < '3')
			return mq_fail(msg, _("not a mobile number: 11 digits starting with 13 to "
					      "19"));
		return 0;
	case MQ_FIELD_IDCARD:
		return form_validate_idcard(v, msg);
	case MQ_FIELD_CHOICE:
		if (mq_form_option_find(f, v) == NULL)
			return mq_fail(msg, _("not one of the choices"));
		return 0;
	case MQ_FIELD_LOOKUP:
		return form_validate_lookup(f, v, msg);
	case MQ_FIELD_YESNO:
		if (mq_yesno_parse(v) < 0)
			return mq_fail(msg, _("answer yes or no"));
		return 0;
	}
	if (f->regex != NULL) {
		regmatch_t m;

		/* The whole value must match, not a part of it. */
		if (regexec(f->regex, v, 1, &m, 0) != 0 || m.rm_so != 0 ||
		    (size_t)m.rm_eo != strlen(v))
			return mq_fail(msg, _("not in the required form (%s)"), f->pattern);
	}
	return 0;
}
