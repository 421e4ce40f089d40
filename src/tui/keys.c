/* SPDX-License-Identifier: ISC */
/*
 * keys.c - the one place where the operator UI turns terminal input into
 * keys.  ncurses decodes the sequences the terminal database knows; the
 * rest arrives as ESC and bytes, and is read whole here: every common form
 * of the cursor, PgUp/PgDn, Home/End and Delete keys (vt100, vt220, xterm,
 * rxvt, Linux console, with or without modifiers) is mapped, any other
 * CSI or SS3 sequence is swallowed, and only an ESC with nothing after it
 * is TUI_ESC.  The help keys (^G, ESC ?, F1 in any form) all become
 * KEY_F(1).  Also: ESCDELAY, and the check that a terminal can address
 * the cursor.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui-int.h"
/* After tui-int.h: term.h defines macros named like common words. */
#include <term.h>

#define KEY_NONE (-2)
#define SEQ_MAX 32		/* bytes of a sequence read at most */

/*
 * Milliseconds to wait for the next byte of a sequence.  At 9600 baud
 * the bytes of one key arrive about 1 ms apart; 150 ms leaves room for a
 * sequence split over network packets and still feels immediate for ESC.
 */
static int escdelay_ms = 150;

void
tui_keys_init(void)
{
	const char *s = getenv("ESCDELAY");
	char *end;
	long v;

	if (s != NULL && *s != '\0') {
		v = strtol(s, &end, 10);
		if (*end == '\0' && v >= 10 && v <= 5000)
			escdelay_ms = (int)v;
	}
	set_escdelay(escdelay_ms);
}

int
tui_escdelay(void)
{
	return escdelay_ms;
}

static int
next_byte(int ms)
{
	int ch;

	wtimeout(stdscr, ms);
	ch = getch();
	if (ch != ERR && (ch < 0 || ch > 0xff)) {
		/* A decoded key or KEY_RESIZE: not part of this sequence. */
		ungetch(ch);
		return ERR;
	}
	return ch;
}

/* "ESC [ n ~" (vt220, Linux console, xterm) and rxvt's ^ $ @ forms. */
static int
tilde_key(int n)
{
	switch (n) {
	case 1:
	case 7:
		return KEY_HOME;
	case 4:
	case 8:
		return KEY_END;
	case 3:
		return KEY_DC;
	case 5:
		return KEY_PPAGE;
	case 6:
		return KEY_NPAGE;
	case 11:
		return KEY_F(1);
	}
	return KEY_NONE;
}

static int
final_key(int final, int n)
{
	switch (final) {
	case 'A':
	case 'a':		/* rxvt shift-up */
		return KEY_UP;
	case 'B':
	case 'b':
		return KEY_DOWN;
	case 'C':
	case 'c':
		return KEY_RIGHT;
	case 'D':
	case 'd':
		return KEY_LEFT;
	case 'H':
		return KEY_HOME;
	case 'F':
		return KEY_END;
	case 'P':		/* xterm modified F1: CSI 1 ; 2 P */
		return n == 1 ? KEY_F(1) : KEY_NONE;
	case '~':
	case '^':
	case '$':
	case '@':
		return tilde_key(n);
	}
	return KEY_NONE;
}

/* After "ESC [": parameters, intermediates, one final byte. */
static int
csi(void)
{
	int ch, n = 0, first = 1, len = 0;

	ch = next_byte(escdelay_ms);
	if (ch == '[') {
		/* Linux console F1-F5: ESC [ [ A..E */
		ch = next_byte(escdelay_ms);
		return ch == 'A' ? KEY_F(1) : KEY_NONE;
	}
	for (; ch != ERR && len < SEQ_MAX; len++) {
		if (ch >= '0' && ch <= '9') {
			if (first && n < 1000)
				n = n * 10 + ch - '0';
		} else if (ch >= 0x3a && ch <= 0x3f)
			first = 0;		/* ; : < = > ? */
		else if (ch == '$' && len > 0)
			return final_key(ch, n);	/* rxvt shift */
		else if (ch >= 0x20 && ch <= 0x2f)
			;			/* intermediate */
		else if (ch >= 0x40 && ch <= 0x7e)
			return final_key(ch, n);
		else {
			/* Not a sequence byte: a key typed after it. */
			ungetch(ch);
			return KEY_NONE;
		}
		ch = next_byte(escdelay_ms);
	}
	return KEY_NONE;
}

/* After "ESC O": one byte (application cursor and keypad keys). */
static int
ss3(void)
{
	static const char keypad[] = "*+,-./0123456789";
	int ch = next_byte(escdelay_ms);

	/* Modified forms (ESC O 5 A): skip the digits. */
	while (ch >= '0' && ch <= '9')
		ch = next_byte(escdelay_ms);
	if (ch == ERR)
		return KEY_NONE;
	if (ch == 'M')
		return '\r';
	if (ch == 'P')
		return KEY_F(1);
	if (ch >= 'j' && ch <= 'y')
		return keypad[ch - 'j'];
	if (ch == 'X')
		return '=';
	return final_key(ch, 0);
}

/* An extended key ncurses numbers above KEY_MAX (xterm's kUP5 ...). */
static int
extended_key(int ch)
{
	static const struct { const char *prefix; int key; } map[] = {
		{ "kUP", KEY_UP }, { "kDN", KEY_DOWN }, { "kLFT", KEY_LEFT },
		{ "kRIT", KEY_RIGHT }, { "kHOM", KEY_HOME },
		{ "kEND", KEY_END }, { "kNXT", KEY_NPAGE },
		{ "kPRV", KEY_PPAGE }, { "kDC", KEY_DC },
	};
	const char *name = keyname(ch);
	size_t i;

	for (i = 0; name != NULL && i < sizeof(map) / sizeof(map[0]); i++)
		if (strncmp(name, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].key;
	return KEY_NONE;
}

int
tui_key_decode(int ch)
{
	int next;

	if (ch == TUI_CTRL('g'))
		return KEY_F(1);
	if (ch > KEY_MAX)
		return extended_key(ch);
	if (ch != TUI_ESC)
		return ch;
	/*
	 * ncurses has already waited ESCDELAY after the ESC: what belongs
	 * to it is buffered by now, so a short wait is enough here.
	 */
	next = next_byte(escdelay_ms / 4);
	switch (next) {
	case ERR:
		return TUI_ESC;
	case '[':
		return csi();
	case 'O':
		return ss3();
	case '?':
		return KEY_F(1);
	default:
		/* ESC and then a key: both count. */
		ungetch(next);
		return TUI_ESC;
	}
}

int
tui_key_ignored(int ch)
{
	return ch == KEY_NONE;
}

int
tui_term_usable(void)
{
	const char *cup;
	int erret = 0, ok;

	if (setupterm(NULL, 1, &erret) != OK)
		return 1;	/* newterm reports an unknown terminal */
	cup = tigetstr("cup");
	ok = cup != NULL && cup != (char *)-1 && !hard_copy &&
	    !generic_type;
	del_curterm(cur_term);
	cur_term = NULL;
	return ok;
}
