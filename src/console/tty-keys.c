/*
 * What terminfo says, where ncurses has no call for it: the code of a key
 * that terminfo knows by a capability name but ncurses has no KEY_ constant
 * for (Ctrl-Left is "kLFT5"), found once the terminal is set up; and, before
 * the terminal is taken over, whether its type can address the cursor at
 * all. Apart from tty.c because <term.h> defines a macro for every
 * capability (key_help, lines, ...), which would clash with console.h.
 */
#include <unistd.h>

#include <curses.h>
#include <term.h>

int tty_terminfo_key(const char *capname);
int tty_terminfo_cursor(void);
const char *tty_terminfo_string(const char *capname);

const char *tty_terminfo_string(const char *capname)
{
	char *seq = tigetstr(capname);

	return seq == NULL || seq == (char *)-1 || seq[0] == '\0' ? NULL : seq;
}

int tty_terminfo_key(const char *capname)
{
	const char *seq = tty_terminfo_string(capname);

	return seq == NULL ? -1 : key_defined(seq);
}

/*
 * Can the terminal type of $TERM move the cursor to any place (cup)? 1 yes,
 * 0 no (dumb, a hardcopy or generic type), -1 the type is unknown. Reads
 * the terminfo entry and lets it go again; call before newterm().
 */
int tty_terminfo_cursor(void)
{
	TERMINAL *entry;
	char *cup;
	int err = 0, ok;

	/* ncurses refuses generic and hardcopy types itself (err 1, or 0 when unknown). */
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return err == 1 ? 0 : -1;
	cup = tigetstr("cup");
	ok = cup != NULL && cup != (char *)-1 && cup[0] != '\0';
	entry = cur_term;
	set_curterm(NULL);
	del_curterm(entry);
	return ok;
}
