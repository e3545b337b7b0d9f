/*
 * The case vocabulary (vocab.h). The msgids are those the case screen has
 * always used, so the existing translations serve every screen.
 */
#include <string.h>

#include "mq/common.h"
#include "mq/i18n.h"
#include "vocab.h"

static const struct {
	const char *status;
	const char *label;
} vocab_statuses[] = {
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

static const struct {
	const char *level;
	const char *label;
	const char *marker;
	enum tty_role role;
} vocab_levels[] = {
	{"yellow", N_("yellow warning"), "Y", TTY_WARN_YELLOW},
	{"orange", N_("orange warning"), "O", TTY_WARN_ORANGE},
	{"red", N_("red warning"), "R", TTY_WARN_RED},
};

int vocab_status_index(const char *status)
{
	size_t i;

	for (i = 0; status != NULL && i < MQ_NITEMS(vocab_statuses); i++)
		if (strcmp(status, vocab_statuses[i].status) == 0)
			return (int)i;
	return -1;
}

const char *vocab_status_label(const char *status)
{
	int i = vocab_status_index(status);

	return i >= 0 ? _(vocab_statuses[i].label) : status;
}

const char *vocab_sms_status_label(const char *status)
{
	if (strcmp(status, "sent") == 0)
		return _("sent");
	if (strcmp(status, "dead") == 0)
		return _("undeliverable");
	if (strcmp(status, "failed") == 0)
		return _("retrying");
	return _("queued");
}

/* A word of a table (value -> English msgid), translated; an unknown value as it is. */
struct vocab_word {
	const char *value, *label;
};

static const char *vocab_lookup(const struct vocab_word *words, size_t n, const char *value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(words[i].value, value) == 0)
			return _(words[i].label);
	return value;
}

const char *vocab_enum_label(const char *value)
{
	static const struct vocab_word labels[] = {
		{"walk_in", N_("walk-in")},
		{"hotline", N_("hotline")},
		{"email", N_("e-mail")},
		{"letter", N_("letter")},
		{"party_visit", N_("party member's visit")},
		{"dialogue_meeting", N_("dialogue meeting")},
		{"station_terminal", N_("station terminal")},
		{"sms", N_("text message")},
		{"normal", N_("normal")},
		{"urgent", N_("urgent")},
		{"very_urgent", N_("very urgent")},
		{"satisfied", N_("satisfied")},
		{"basically_satisfied", N_("basically satisfied")},
		{"not_satisfied", N_("not satisfied")},
		{"days", N_("working days")},
		{"hours", N_("working hours")},
		{"immediate", N_("immediate")},
	};

	return vocab_lookup(labels, MQ_NITEMS(labels), value);
}

const char *vocab_event_label(const char *kind)
{
	static const struct vocab_word kinds[] = {
		{"intake", N_("recorded")},
		{"resolve_at_once", N_("resolved at once")},
		{"accept", N_("accepted")},
		{"dispatch", N_("dispatched")},
		{"redispatch", N_("dispatched again")},
		{"start", N_("started")},
		{"progress", N_("progress")},
		{"resolve", N_("resolved")},
		{"report_back", N_("reported back")},
		{"close", N_("closed")},
		{"reopen", N_("reopened")},
		{"return", N_("returned")},
		{"pause", N_("paused")},
		{"resume", N_("resumed")},
		{"withdraw", N_("withdrawn")},
		{"extension_requested", N_("more time asked")},
		{"extension_approved", N_("more time approved")},
		{"extension_refused", N_("more time refused")},
		{"urge", N_("urged")},
		{"recategorised", N_("category changed")},
		{"reminder", N_("reminder")},
		{"warning", N_("warning")},
		{"sms", N_("SMS")},
	};

	return vocab_lookup(kinds, MQ_NITEMS(kinds), kind);
}

static int vocab_level(const char *level)
{
	size_t i;

	for (i = 0; level != NULL && i < MQ_NITEMS(vocab_levels); i++)
		if (strcmp(level, vocab_levels[i].level) == 0)
			return (int)i;
	return -1;
}

const char *vocab_warning_label(const char *level)
{
	int i = vocab_level(level);

	return i >= 0 ? _(vocab_levels[i].label) : _("no warning");
}

const char *vocab_warning_marker(const char *level)
{
	int i = vocab_level(level);

	return i >= 0 ? vocab_levels[i].marker : "";
}

enum tty_role vocab_warning_role(const char *level)
{
	int i = vocab_level(level);

	return i >= 0 ? vocab_levels[i].role : TTY_NORMAL;
}

bool vocab_clock_runs(const char *status)
{
	/* rectifying: an inspection finding being rectified (docs/inspections.md) */
	return status != NULL &&
	       (strcmp(status, "accepted") == 0 || strcmp(status, "dispatched") == 0 ||
		strcmp(status, "in_progress") == 0 || strcmp(status, "rectifying") == 0);
}

static const struct {
	const char *duty;
	unsigned bit;
	const char *name;
} console_duties[] = {
	{"officer", DUTY_OFFICER, N_("information officer")},
	{"handler", DUTY_HANDLER, N_("case handler")},
	{"supervisor", DUTY_SUPERVISOR, N_("supervisor")},
	{"admin", DUTY_ADMIN, N_("administrator")},
	{"kiosk", DUTY_KIOSK, N_("public kiosk")},
};

const char *console_duty_name(const char *duty)
{
	size_t i;

	for (i = 0; i < MQ_NITEMS(console_duties); i++)
		if (strcmp(duty, console_duties[i].duty) == 0)
			return _(console_duties[i].name);
	return duty;
}

unsigned console_duty_bit(const char *duty)
{
	size_t i;

	for (i = 0; i < MQ_NITEMS(console_duties); i++)
		if (strcmp(duty, console_duties[i].duty) == 0)
			return console_duties[i].bit;
	return 0;
}

/* A kind of unit or station as the overview counts it (English msgids). */
struct vocab_kind {
	const char *kind, *label;
};

static const char *vocab_kind(const struct vocab_kind *kinds, size_t n, const char *kind)
{
	size_t i;

	for (i = 0; kind != NULL && i < n; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return _(kinds[i].label);
	return NULL;
}

const char *vocab_unit_kind_label(const char *kind)
{
	static const struct vocab_kind kinds[] = {
		{"district", N_("District")},   {"town", N_("Town")},
		{"street", N_("Street")},       {"village", N_("Village")},
		{"community", N_("Community")}, {"department", N_("Department")},
		{"agency", N_("Agency")},       {"enterprise", N_("Enterprise")},
		{"other", N_("Other")},
	};

	return vocab_kind(kinds, MQ_NITEMS(kinds), kind);
}

const char *vocab_station_kind_label(const char *kind)
{
	static const struct vocab_kind kinds[] = {
		{"central", N_("Central station")},       {"village", N_("Village station")},
		{"enterprise", N_("Enterprise station")}, {"agency", N_("Agency station")},
		{"other", N_("Other station")},
	};

	return vocab_kind(kinds, MQ_NITEMS(kinds), kind);
}
