/*
 * Keys that terminfo knows by a capability name but ncurses has no KEY_
 * constant for (Ctrl-Left is "kLFT5"): their code, found once the terminal
 * is set up. Apart from tty.c because <term.h> defines a macro for every
 * capability (key_help, lines, ...), which would clash with console.h.
 */
#include <curses.h>
#include <term.h>

int tty_terminfo_key(const char *capname);

int tty_terminfo_key(const char *capname)
{
	char *seq = tigetstr(capname);

	if (seq == NULL || seq == (char *)-1)
		return -1;
	return key_defined(seq);
}
