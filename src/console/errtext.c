/*
 * A database error in the person's language: a sentence for its SQLSTATE
 * (the refusals the workflow functions raise, and those the server itself
 * raises for the console's session: a lock held too long by someone else,
 * a statement that took too long), then, for the functions' refusals, what
 * the function said in the person's words (servertext.c). The server's words
 * of its own refusals are left out: they are English and say nothing more to
 * the person ("canceling statement due to lock timeout").
 *
 * No terminal here (tests/unit/test_errtext.c links this file alone).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "mq/common.h"
#include "mq/db.h"
#include "mq/i18n.h"

/* Sentences for the SQLSTATEs (English msgids). */
static const struct {
	const char *sqlstate;
	const char *text;
	bool server_words; /* the server's message follows in parentheses */
} errtext_sqlstates[] = {
	{"23502", N_("This is required."), true},
	{"23514", N_("This value is not accepted."), true},
	{"23505", N_("This exists already."), true},
	{"23503", N_("This refers to something that does not exist."), true},
	{"22023", N_("This value is not valid."), true},
	{"22P02", N_("This value is not valid."), true},
	{"22007", N_("This date or time is not valid."), true},
	{"22008", N_("This date or time is not valid."), true},
	{"42501", N_("Your duty or unit may not do this."), true},
	{"25000", N_("Its state does not allow this now."), true},
	{"P0002", N_("Not found, or not in your jurisdiction."), true},
	{"02000", N_("Not found, or not in your jurisdiction."), true},
	{"40001", N_("Someone else changed this since you opened it."), true},
	/* string_data_right_truncation: a text over the database's limit (the field is marked) */
	{"22001", N_("This is too long."), false},
	/* character_not_in_repertoire: a control, zero-width or direction character */
	{"22021", N_("This contains invisible or control characters; type it again without them."),
	 false},
	/* configuration_limit_exceeded: the district's SMS quota */
	{"53400", N_("The message limit has been reached; ask a supervisor."), false},
	/* lock_not_available: the console's lock_timeout ran out on a case someone holds */
	{"55P03", N_("Someone else is changing this case right now; try again in a moment."),
	 false},
	/* query_canceled: a statement timeout */
	{"57014", N_("The database took too long; try again."), false},
};

/*
 * The sentence, then what the function said: in the person's words when it
 * is one of the functions' templates; otherwise as the server said it only
 * to a person who reads English (the sentence has no translation), never
 * English words in a Chinese screen.
 */
static char *errtext_with_words(const char *sentence, const char *message)
{
	char *words = servertext_translate(message), *out;

	/* English (the sentences are not translated): the server's words are the person's. */
	if (words == NULL && strcmp(_(errtext_sqlstates[0].text), errtext_sqlstates[0].text) == 0)
		words = xstrdup(message);
	if (words == NULL)
		return xstrdup(sentence);
	/* TRANSLATORS: a refusal's sentence, then what the database said (in brackets) */
	out = xasprintf(_("%s (%s)"), sentence, words);
	free(words);
	return out;
}

char *console_error_text(const struct mq_db_error *err)
{
	size_t i;

	if (err->connection_lost)
		return xstrdup(_("The connection to the database was lost."));
	for (i = 0; i < MQ_NITEMS(errtext_sqlstates); i++) {
		if (strcmp(err->sqlstate, errtext_sqlstates[i].sqlstate) != 0)
			continue;
		if (!errtext_sqlstates[i].server_words || err->message == NULL ||
		    err->message[0] == '\0')
			return xstrdup(_(errtext_sqlstates[i].text));
		return errtext_with_words(_(errtext_sqlstates[i].text), err->message);
	}
	return mq_db_error_text(err);
}
