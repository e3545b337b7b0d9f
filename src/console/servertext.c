/*
 * The functions' refusals in the person's language. The workflow and
 * administration functions raise English messages ("case LW-2026-000123 is
 * closed; it cannot be accepted"): each message template of schema/functions
 * is here as an English msgid with a %s for each of its parameters (Chinese
 * in src/po/zh_CN.po, which may reorder them with %1$s), and a letter for
 * each parameter saying what it is, so that a word of the schema (a status,
 * an action, a kind of unit, a duty) is shown in the person's words, never
 * in English. tests/unit/test_errtext.c holds this table to the function
 * files: every RAISE EXCEPTION there has its template here.
 *
 * No terminal here (the unit test links this file with errtext.c and vocab.c).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "vocab.h"

/*
 * Parameters: v as it is (a number, a case number, an account, a name, a
 * value the person gave); s a case status; a an action on a case; u a kind
 * of unit; t a kind of station; d a duty; o a kind of change (INSERT ...).
 */
static const struct servertext {
	const char *msgid;
	const char *kinds;
} servertext_table[] = {
	{N_("%s messages went to this phone number today: the limit is %s"), "vv"},
	{N_("a %s station cannot be attached to a unit of kind %s"), "tu"},
	{N_("a case is dispatched to a village, a town or a department of its district, not %s"),
	 "u"},
	{N_("a case needs a submitter: a resident of the archive, a name, or anonymous"), ""},
	{N_("a contact looks after at most 10 households"), ""},
	{N_("a contact looks after households of their own village"), ""},
	{N_("a household belongs to a village or community"), ""},
	{N_("a mailbox address is name@domain, not %s"), "v"},
	{N_("a phone number has an area code, like 0577-88888888, or is a hotline: not %s"), "v"},
	{N_("a top-level category is a centre: give centre (mediation, policy or service)"), ""},
	{N_("a unit of kind %s cannot be placed under a %s"), "uu"},
	{N_("account %s already exists"), "v"},
	{N_("account %s is outside your jurisdiction"), "v"},
	{N_("an extension is decided one level above the unit handling the case"), ""},
	{N_("an extension of case %s is already waiting for a decision"), "v"},
	{N_("case %s cannot be %s by your unit"), "va"},
	{N_("case %s is %s; it cannot be %s"), "vsa"},
	{N_("case %s is past its deadline: state the reason"), "v"},
	{N_("case %s not found"), "v"},
	{N_("case %s was changed by someone else since you opened it"), "v"},
	{N_("category %s not found"), "v"},
	{N_("district %s not found"), "v"},
	{N_("district must be given"), ""},
	{N_("household %s not found"), "v"},
	{N_("import %s is finished"), "v"},
	{N_("import %s not found"), "v"},
	{N_("login \"%s\" is reserved"), "v"},
	{N_("login \"%s\" must be lower-case letters, digits and _, starting with a letter"), "v"},
	{N_("news item %s is withdrawn"), "v"},
	{N_("news item %s not found"), "v"},
	{N_("news item %s was changed by someone else since you opened it"), "v"},
	{N_("no %s working days after %s (district %s): check the holiday table"), "vvv"},
	{N_("no account %s"), "v"},
	{N_("no active category %s in this district"), "v"},
	{N_("no active unit with code %s"), "v"},
	{N_("no handler %s at %s"), "vv"},
	{N_("no import is open in this session"), ""},
	{N_("no pending extension %s"), "v"},
	{N_("no unit with code %s"), "v"},
	{N_("notice %s is not a draft: only a draft can be changed or published"), "v"},
	{N_("notice %s is not published: only a published notice can be withdrawn"), "v"},
	{N_("notice %s not found"), "v"},
	{N_("notice %s was changed by someone else since you opened it"), "v"},
	{N_("only a key or complex case starts with a warning"), ""},
	{N_("only an administrator may add accounts"), ""},
	{N_("only an administrator of district %s may change its public contacts"), "v"},
	{N_("only an administrator may import registers"), ""},
	{N_("only an administrator of district %s may seed its configuration"), "v"},
	{N_("outbox message %s has not been sent"), "v"},
	{N_("outbox message %s is not waiting to be sent"), "v"},
	{N_("outbox_enqueue: district, path and dedupe key are required"), ""},
	{N_("outbox_mark_delivery: unknown delivery state \"%s\""), "v"},
	{N_("parent category %s not found"), "v"},
	{N_("parent unit %s not found"), "v"},
	{N_("receiver %s not found"), "v"},
	{N_("receiver %s was changed by someone else since you opened it"), "v"},
	{N_("resident %s is not a %s"), "vx"},
	{N_("resident %s not found"), "v"},
	{N_("resident %s not found in that household"), "v"},
	{N_("role %s exists and belongs to %s (a system or job account): it cannot become a "
	    "staff account"),
	 "vv"},
	{N_("role %s exists and has a password: it is somebody's account already"), "v"},
	{N_("role %s exists and has members: it cannot become a staff account"), "v"},
	{N_("role %s exists with privileges a staff account must not have"), "v"},
	{N_("say why the resident is not satisfied"), ""},
	{N_("station %s is not one of your unit's"), "v"},
	{N_("the %s contains control, invisible or direction-changing characters"), "x"},
	{N_("the %s is required"), "x"},
	{N_("the %s is too long: %s characters, at most %s"), "xvv"},
	{N_("the audit trail is append-only: %s is not allowed"), "o"},
	{N_("the code, parent and kind of a unit cannot change; create a new unit"), ""},
	{N_("the code, parent, centre and district of a category cannot change; create a new "
	    "category and deactivate this one"),
	 ""},
	{N_("the expiry time must be after the publication time and in the future"), ""},
	{N_("the head of a household must be one of its members"), ""},
	{N_("the number of working days must not be negative (%s)"), "v"},
	{N_("the number of working hours must not be negative (%s)"), "v"},
	{N_("the search is too long: %s characters, at most 100"), "v"},
	{N_("the search words are too long: %s characters, at most 100"), "v"},
	{N_("this ID number is already registered"), ""},
	{N_("unit %s is outside your jurisdiction"), "v"},
	{N_("unit %s not found"), "v"},
	{N_("unknown centre \"%s\": mediation, policy or service"), "v"},
	{N_("unknown filter \"%s\": current, unread, all or drafts"), "v"},
	{N_("unknown kind of register: %s"), "v"},
	{N_("unknown message template \"%s\""), "v"},
	{N_("unknown order \"%s\": newest or case_no"), "v"},
	{N_("you are not registered as staff of the e-station"), ""},
	{N_("your actions have queued %s messages in the last hour and %s today: the limit is %s "
	    "and %s"),
	 "vvvv"},
	{N_("your duty (%s) does not allow this"), "d"},
	{N_("a hardship mark cannot begin in the future"), ""},
	{N_("archive revision %s not found"), "v"},
	{N_("section %s of the archive has no list of items"), "v"},
	{N_("there is no item %s in this section"), "v"},
	{N_("hardship mark %s has already ended"), "v"},
	{N_("hardship mark %s not found"), "v"},
	{N_("only an administrator of district %s may set its stale period"), "v"},
	{N_("revisions %s and %s are not of the same section"), "vv"},
	{N_("section %s of the archive of %s was saved by someone else since you opened it"), "vv"},
	{N_("the %s has too many items: %s, at most 200"), "xv"},
	{N_("the %s is not a phone number"), "x"},
	{N_("the %s must be a date (YYYY-MM-DD)"), "x"},
	{N_("the %s must be a list"), "x"},
	{N_("the %s must be a number"), "x"},
	{N_("the %s must be a whole number"), "x"},
	{N_("the %s must be text"), "x"},
	{N_("the %s must not be negative"), "x"},
	{N_("the content of an archive section is a JSON object"), ""},
	{N_("the end date is before the start date"), ""},
	{N_("the stale period is from 1 to 60 months, not %s"), "v"},
	{N_("the village archive has no field \"%s\" here"), "v"},
	{N_("the village archive is kept for villages and communities, not a %s"), "u"},
	{N_("the year %s appears twice"), "v"},
	{N_("the year %s is not a year from 1949 to 2100"), "v"},
	{N_("unknown archive section %s: 1 to 8"), "v"},
	{N_("unknown committee \"%s\": party, villagers or supervisory"), "v"},
	{N_("unknown facility kind \"%s\": school, clinic, elderly_care, culture_hall, road or "
	    "other"),
	 "v"},
	{N_("unknown hardship kind \"%s\""), "v"},
	{N_("unknown stability item kind \"%s\": dispute or attention"), "v"},
	{N_("%s is neither a party member nor a villager representative"), "v"},
	{N_("household %s already has a party member as its contact: %s"), "vv"},
	{N_("household %s is already looked after by this contact"), "v"},
	{N_("household %s is not looked after by this contact"), "v"},
	{N_("a station code is 1 to 32 letters, digits, - or _: not %s"), "v"},
	{N_("station code %s is taken"), "v"},
	{N_("a phone number is a mobile number or has an area code, like 0577-88888888: not %s"),
	 "v"},
	{N_("station %s not found"), "v"},
	{N_("station %s is outside your jurisdiction"), "v"},
	{N_("station %s was changed by someone else since you opened it"), "v"},
	{N_("only an administrator may change accounts"), ""},
	{N_("you cannot change your own account"), ""},
	{N_("account %s was changed by someone else since you opened it"), "v"},
	/* The household memo (61_memo.sql) */
	{N_("a demand cannot be raised in the future"), ""},
	{N_("demand %s is no longer open"), "v"},
	{N_("demand %s not found"), "v"},
	{N_("memo revision %s not found"), "v"},
	{N_("memo revisions %s and %s are not of the same household"), "vv"},
	{N_("the memo of household %s was saved by someone else since you opened it"), "v"},
	/* Service cards, pairings and resident cadres (67_cards_pairings.sql) */
	{N_("%s and %s are paired already"), "vv"},
	{N_("a card cannot be issued on a day still to come"), ""},
	{N_("a pairing cannot end before it starts"), ""},
	{N_("a resident cadre cannot leave before arriving"), ""},
	{N_("a resident cadre is a staff member or a named person"), ""},
	{N_("household %s already has a live service card: %s"), "vv"},
	{N_("no help item %s"), "v"},
	{N_("pairing %s not found"), "v"},
	{N_("cadre %s not found"), "v"},
	{N_("service card %s is void already"), "v"},
	{N_("service card %s not found"), "v"},
	{N_("service card %s was changed by someone else since you opened it"), "v"},
	{N_("staff member %s not found"), "v"},
	{N_("the day %s is outside the cadre's stay (%s to %s) or still to come"), "vvv"},
	{N_("the day %s is outside the pairing (%s to %s) or still to come"), "vvv"},
	{N_("unit %s (a %s) cannot be used here"), "vu"},
	{N_("unit %s is not paired with this village"), "v"},
	/* Dialogue meetings (70_meetings.sql) */
	{N_("meetings are held by villages, communities and towns, not %s"), "u"},
	{N_("the host must be active staff of the meeting's unit or of a unit above it"), ""},
	{N_("meeting %s not found"), "v"},
	{N_("meeting %s was changed by someone else since you opened it"), "v"},
	{N_("this step is for a planned meeting"), ""},
	{N_("this step is for a meeting that has been held"), ""},
	{N_("matter %s not found"), "v"},
	{N_("matter %s was changed by someone else since you opened it"), "v"},
	{N_("case %s is not an open case of the meeting's unit"), "v"},
	{N_("case %s is already gathered for this meeting"), "v"},
	{N_("this phone number is already invited"), ""},
	{N_("a meeting cannot be marked held without at least one gathered matter"), ""},
	{N_("the review date must be on or after the meeting's day"), ""},
	{N_("matter %s is already a case"), "v"},
	{N_("the decision on matter %s is already a case"), "v"},
	{N_("record the decision on matter %s first"), "v"},
	{N_("satisfaction counts cannot be negative"), ""},
	{N_("\"%s\" is already a member of the team"), "v"},
	{N_("\"%s\" is ambiguous: %s"), "vv"},
	{N_("\"%s\" names a household already in the list"), "v"},
	{N_("a case needs its content: what the visit found"), ""},
	{N_("a grid cell of %s already has the code %s or the name %s"), "vvv"},
	{N_("a household is named twice"), ""},
	{N_("a return visit must name the case it goes back to (reported back or closed)"), ""},
	{N_("a service team belongs to a village, community or town, not to %s"), "v"},
	{N_("a visit cannot be recorded before it happens"), ""},
	{N_("a visit covers at most 200 households"), ""},
	{N_("a visit is by day or by night, not %s"), "v"},
	{N_("a visit needs at least one household"), ""},
	{N_("case %s is neither reported back nor closed: a return visit goes back to such a case"),
	 "v"},
	{N_("grid cell %s is not a cell of the household's village"), "v"},
	{N_("grid cell %s not found"), "v"},
	{N_("grid cell %s was changed by someone else since you opened it"), "v"},
	{N_("grid cells belong to a village or community, not to %s"), "v"},
	{N_("household %s was not visited on visit %s"), "vv"},
	{N_("member %s of the team not found"), "v"},
	{N_("no household \"%s\" among those you may visit"), "v"},
	{N_("no staff account or resident \"%s\" in the team's unit"), "v"},
	{N_("only an administrator of district %s may set its visit target"), "v"},
	{N_("service team %s does not serve %s"), "vv"},
	{N_("service team %s not found"), "v"},
	{N_("service team %s was changed by someone else since you opened it"), "v"},
	{N_("several residents are called \"%s\": give the ID number"), "v"},
	{N_("the households of one visit must be of one village"), ""},
	{N_("the range \"%s\" must go upwards and name at most 50 households"), "v"},
	{N_("the visit target is from 1 to 100 percent, not %s"), "v"},
	{N_("there is already a service team called %s"), "v"},
	{N_("this finding already became case %s"), "v"},
	{N_("unknown kind of visit %s"), "v"},
	/* Inspections, findings and circulars (75_inspections.sql) */
	{N_("inspection %s not found"), "v"},
	{N_("finding %s not found"), "v"},
	{N_("finding %s was changed by someone else since you opened it"), "v"},
	{N_("finding %s is not being rectified"), "v"},
	{N_("finding %s has no rectification waiting for acceptance"), "v"},
	{N_("the rectification period must be 1 to 90 working days, not %s"), "v"},
	{N_("the rectification deadline must be in the future and within a year"), ""},
	{N_("an inspection is scheduled or unannounced, not %s"), "v"},
	{N_("the rating is excellent, good, fair or poor, not %s"), "v"},
	{N_("the day of the inspection must be within the last year, not in the future"), ""},
	{N_("the list of units is too long: %s characters, at most 2000"), "v"},
	{N_("a circular is drafted from the data for inspection or warnings, not %s"), "v"},
	{N_("the period must end after it starts and last at most 400 days"), ""},
	{N_("a circular is of kind inspection, warnings, assessment or free, not %s"), "v"},
	{N_("circular %s not found"), "v"},
	{N_("circular %s was changed by someone else since you opened it"), "v"},
	{N_("circular %s is published: only a draft can be changed or published"), "v"},
	{N_("the circular concerns no unit: name the units it is published to"), ""},
	/* Volunteers, activities, messages received (68_volunteers.sql, 69_sms_inbox.sql) */
	{N_("a target is one village, enterprise or household"), ""},
	{N_("a volunteer is a resident, a staff member or an outside person"), ""},
	{N_("a volunteer's phone must be a mobile number"), ""},
	{N_("account %s not found"), "v"},
	{N_("activity %s is not organised by your unit"), "v"},
	{N_("activity %s is over"), "v"},
	{N_("activity %s not found"), "v"},
	{N_("activity %s was changed by someone else since you opened it"), "v"},
	{N_("an activity ends on or after its first day, within a year"), ""},
	{N_("attendance cannot be recorded before the activity's day (%s)"), "v"},
	{N_("district %s has no district unit or no case category"), "v"},
	{N_("enterprise %s is already registered"), "v"},
	{N_("hours must be more than 0 and at most 240"), ""},
	{N_("message %s is already dealt with"), "v"},
	{N_("message %s not found"), "v"},
	{N_("message %s was changed by someone else since you opened it"), "v"},
	{N_("nothing can be recorded before the activity's day (%s)"), "v"},
	{N_("only the SMS drainer records messages received"), ""},
	{N_("several districts: name the district of the messages received"), ""},
	{N_("sign-up %s not found"), "v"},
	{N_("sign-up %s was changed by someone else since you opened it"), "v"},
	{N_("the contact phone is not a phone number"), ""},
	{N_("the day attended must be within the activity and not in the future"), ""},
	{N_("the target is outside your jurisdiction"), ""},
	{N_("the volunteer has not signed up for this activity"), ""},
	{N_("unit %s is not a village or community"), "v"},
	{N_("unknown activity kind %s"), "v"},
	{N_("volunteer %s is already signed up"), "v"},
	{N_("volunteer %s is not active"), "v"},
	{N_("volunteer %s is not of your unit"), "v"},
	{N_("volunteer %s not found"), "v"},
	{N_("volunteer %s was changed by someone else since you opened it"), "v"},
	{N_("only a system job may recount the report summaries"), ""},
	{N_("unknown breakdown \"%s\": centre, category, channel or level"), "v"},
	{N_("unknown figure \"%s\": recorded, resolved, overdue_now, red, reopened or unsatisfied"),
	 "v"},
	{N_("unknown report period \"%s\""), "v"},
	{N_("a period is a year (2026) or a quarter (2026Q4), not %s"), "v"},
	{N_("account %s is not yours"), "v"},
	{N_("an item is computed or manual, not %s"), "v"},
	{N_("assessment %s has manual items without a score: adjust them first"), "v"},
	{N_("assessment %s has no item %s for unit %s"), "vvv"},
	{N_("assessment %s is published and cannot change: a correction is a new version"), "v"},
	{N_("assessment %s not found"), "v"},
	{N_("assessment %s was changed by someone else since you opened it"), "v"},
	{N_("assessments are kept: %s cannot be truncated"), "v"},
	{N_("only an administrator of the whole district keeps its assessment"), ""},
	{N_("only the latest published version of an assessment is corrected by a new version"),
	 ""},
	{N_("the assessment rules for period %s exist already"), "v"},
	{N_("the cut-off must be after the start of the period and not in the future"), ""},
	{N_("the score must be from 0 to %s points"), "v"},
	{N_("there are no assessment rules for period %s"), "v"},
	{N_("there is no item %s in the assessment rules"), "v"},
	{N_("item %s of the assessment rules was changed by someone else since you opened it"),
	 "v"},
	{N_("there is no metric %s"), "v"},
	/* 提示催办 (schema/functions/74_urging.sql) */
	{N_("at most 500 cases can be urged at once, not %s"), "v"},
	{N_("no case was chosen to urge"), ""},
	{N_("only an administrator of district %s may set the time of its overdue report"), "v"},
	{N_("the time of the overdue report is hh:mm (00:00 to 23:59), not \"%s\""), "v"},
	/* 运行状态 (schema/functions/77_operations.sql) */
	{N_("at most 500 messages can be retried at once, not %s"), "v"},
	{N_("no message was chosen to retry"), ""},
	/* 79_calendar_admin.sql */
	{N_("only the administrator of the district may change its work calendar"), ""},
	{N_("a day of the calendar is a holiday or a make-up working day, not %s"), "v"},
	{N_("the last day %s is before the first day %s"), "vv"},
	{N_("a period of the calendar is at most 31 days, not %s"), "v"},
	{N_("a make-up working day is a Saturday or a Sunday; %s is neither"), "v"},
	{N_("no day was chosen"), ""},
	{N_("at most 400 days can be removed at once, not %s"), "v"},
};

#define SERVERTEXT_MAX_PARAMS 4
/* Longer messages are not matched (a parameter of a megabyte is nobody's to read). */
#define SERVERTEXT_MAX_MESSAGE 1000

/*
 * The actions of case_for() ("case X cannot be accepted"), worded as the
 * case screen's actions are; the changes the audit trail's guard refuses.
 */
static const struct {
	const char *action, *label;
} servertext_actions[] = {
	{"accepted", N_("accept")},
	{"closed", N_("close")},
	{"dispatched", N_("dispatch")},
	{"extended", N_("ask for more time")},
	{"noted", N_("progress")},
	{"paused", N_("pause")},
	{"reported back", N_("report back")},
	{"resolved at once", N_("resolve at once")},
	{"resolved", N_("resolve")},
	{"resumed", N_("resume")},
	{"returned", N_("return")},
	{"started", N_("start")},
	{"urged", N_("urge")},
	{"withdrawn", N_("withdraw")},
	{"INSERT", N_("adding")},
	{"UPDATE", N_("changing")},
	{"DELETE", N_("deleting")},
	{"TRUNCATE", N_("emptying")},
};

/*
 * Does msg match tpl (a %s matches one or more characters)? The parameters
 * are stored in p (pointers into msg) with their lengths in len. Backtracks
 * over where each parameter ends; with at most four parameters and short
 * messages that is cheap.
 */
static bool servertext_match(const char *tpl, const char *msg, const char **p, size_t *len,
			     size_t k)
{
	const char *end;

	for (;;) {
		if (tpl[0] == '%' && tpl[1] == 's') {
			if (k >= SERVERTEXT_MAX_PARAMS || *msg == '\0')
				return false;
			p[k] = msg;
			if (tpl[2] == '\0') { /* the last parameter takes the rest */
				len[k] = strlen(msg);
				return true;
			}
			for (end = msg + 1; *end != '\0'; end++) {
				len[k] = (size_t)(end - msg);
				if (servertext_match(tpl + 2, end, p, len, k + 1))
					return true;
			}
			return false;
		}
		if (*tpl != *msg)
			return false;
		if (*tpl == '\0')
			return true;
		tpl++;
		msg++;
	}
}

static const char *servertext_action(const char *action)
{
	size_t i;

	for (i = 0; i < MQ_NITEMS(servertext_actions); i++) {
		const char *label;

		if (strcmp(servertext_actions[i].action, action) != 0)
			continue;
		/* Untranslated (English): the function's own word fits its sentence. */
		label = _(servertext_actions[i].label);
		return label == servertext_actions[i].label ? servertext_actions[i].action : label;
	}
	return NULL;
}

/* Does s hold an English word (two lower-case ASCII letters in a row)? */
static bool servertext_has_word(const char *s)
{
	for (; s[0] != '\0'; s++)
		if (s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z')
			return true;
	return false;
}

/* A parameter in the person's words (caller frees), or NULL when it would be English. */
static char *servertext_param(char kind, const char *value)
{
	const char *word = NULL;

	switch (kind) {
	case 's':
		if (vocab_status_index(value) >= 0)
			word = vocab_status_label(value);
		break;
	case 'a':
	case 'o':
		word = servertext_action(value);
		break;
	case 'u':
		word = vocab_unit_kind_label(value);
		break;
	case 't':
		word = vocab_station_kind_label(value);
		break;
	case 'd':
		if (console_duty_bit(value) != 0)
			word = console_duty_name(value);
		break;
	case 'v':
		return xstrdup(value);
	default:
		break; /* x: a word of the schema with no words of the person's */
	}
	if (word != NULL)
		return xstrdup(word);
	/* A code or number where a word was expected (a unit's code) may be shown. */
	return servertext_has_word(value) ? NULL : xstrdup(value);
}

/* fmt (a translation: %s, %N$s, %%) with the parameters; caller frees. */
static char *servertext_format(const char *fmt, char *const *param, size_t n)
{
	size_t cap = strlen(fmt) + 1, len = 0, next = 0, i, add, idx;
	char *out;
	const char *s;

	for (i = 0; i < n; i++)
		cap += strlen(param[i]);
	out = xmalloc(cap);
	for (s = fmt; *s != '\0'; s++) {
		if (s[0] == '%' && s[1] == '%') {
			out[len++] = '%';
			s++;
			continue;
		}
		if (s[0] == '%' && s[1] == 's')
			idx = next++;
		else if (s[0] == '%' && s[1] >= '1' && s[1] <= '9' && s[2] == '$' && s[3] == 's')
			idx = (size_t)(s[1] - '1');
		else {
			out[len++] = *s;
			continue;
		}
		s += s[1] == 's' ? 1 : 3;
		if (idx >= n)
			continue; /* a translation naming a parameter that is not there */
		add = strlen(param[idx]);
		/* each parameter at most once per use, and cap counted each once: grow if reused */
		if (len + add + strlen(s) + 1 > cap) {
			cap = len + add + strlen(s) + 1 + cap;
			out = xrealloc(out, cap);
		}
		memcpy(out + len, param[idx], add);
		len += add;
	}
	out[len] = '\0';
	return out;
}

char *servertext_translate(const char *message)
{
	const char *p[SERVERTEXT_MAX_PARAMS];
	size_t len[SERVERTEXT_MAX_PARAMS], i, k, n, best = MQ_NITEMS(servertext_table);
	char *param[SERVERTEXT_MAX_PARAMS], *out = NULL;
	bool ok = true;

	if (message == NULL || strlen(message) > SERVERTEXT_MAX_MESSAGE)
		return NULL;
	/* The template with the fewest parameters that matches: "the search is too long: %s
	   characters, at most 100" rather than "the %s is too long: ..." */
	for (i = 0; i < MQ_NITEMS(servertext_table); i++)
		if ((best == MQ_NITEMS(servertext_table) ||
		     strlen(servertext_table[i].kinds) < strlen(servertext_table[best].kinds)) &&
		    servertext_match(servertext_table[i].msgid, message, p, len, 0))
			best = i;
	if (best == MQ_NITEMS(servertext_table))
		return NULL;
	servertext_match(servertext_table[best].msgid, message, p, len, 0);
	n = strlen(servertext_table[best].kinds);
	for (k = 0; k < n; k++) {
		char *raw = xstrndup(p[k], len[k]);

		param[k] = ok ? servertext_param(servertext_table[best].kinds[k], raw) : NULL;
		ok = param[k] != NULL;
		free(raw);
	}
	if (ok)
		out = servertext_format(_(servertext_table[best].msgid), param, n);
	for (k = 0; k < n; k++)
		free(param[k]);
	return out;
}

const char *servertext_template(size_t i, const char **kinds)
{
	if (i >= MQ_NITEMS(servertext_table))
		return NULL;
	*kinds = servertext_table[i].kinds;
	return servertext_table[i].msgid;
}
