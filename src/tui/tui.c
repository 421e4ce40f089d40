/* SPDX-License-Identifier: ISC */
/*
 * tui.c - the operator UI's frame and main loop: terminal set-up and
 * restore, the screen stack, header / title / status / key lines, the
 * one place that draws (tui_flush), resize and "too small" handling,
 * and SIGHUP/SIGTERM/SIGINT turned into an orderly stop.  The screens
 * reach the engine only through the client API (t->a, api.h), so they
 * work the same on the engine in this process and on certdeskd.
 */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui-int.h"
#include "tui.h"
#include "certdesk/cdutil.h"

volatile sig_atomic_t tui_signalled;

static const char common_help[] =
    "\nKeys on every screen:\n"
    "  Tab ^N Down   next field       ^P Up    previous field\n"
    "  Enter         select / run     ESC      back one level\n"
    "  ^G  ESC ?     this help, also in a text field (? elsewhere, F1)\n"
    "  q             back; on the main screen it quits certdesk\n"
    "  ^L            repaint the terminal\n"
    "Letters are commands when the cursor is not in a text field.";

static void
on_signal(int sig)
{
	tui_signalled = sig;
}

static void
signals_set(struct sigaction *old)
{
	static const int sigs[] = { SIGHUP, SIGTERM, SIGINT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < CD_NELEM(sigs); i++)
		sigaction(sigs[i], &sa, &old[i]);
}

static void
signals_restore(const struct sigaction *old)
{
	sigaction(SIGHUP, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
	sigaction(SIGINT, &old[2], NULL);
}

const struct cd_profile *
tui_profile(struct tui *t, const char *id)
{
	const struct cd_profile *p;
	int i, n = cd_api_nprofiles(t->a);

	for (i = 0; i < n; i++)
		if ((p = cd_api_profile_at(t->a, i)) != NULL &&
		    strcmp(p->id, id) == 0)
			return p;
	return NULL;
}

void
tui_put(int y, int x, int w, const char *s)
{
	char buf[1024];

	if (w <= 0 || y < 0 || y >= LINES)
		return;
	tui_fit(buf, sizeof(buf), s, w, 1);
	mvaddstr(y, x, buf);
}

void
tui_status(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->status, sizeof(t->status), fmt, ap);
	va_end(ap);
	t->status_err = 0;
	t->status_dirty = 1;
}

void
tui_error(struct tui *t, const struct cd_err *err)
{
	const char *msg = cd_err_msg(err);

	if ((int)strlen(msg) <= COLS - 2) {
		cd_strlcpy(t->status, msg, sizeof(t->status));
		t->status_err = 1;
		t->status_dirty = 1;
		return;
	}
	t->status[0] = '\0';
	t->status_dirty = 1;
	tui_msgbox(t, "Error", msg);
}

void
tui_overlay_push(struct tui *t, struct overlay *o)
{
	o->below = t->ov;
	t->ov = o;
	t->full = 1;
}

void
tui_overlay_pop(struct tui *t, struct overlay *o)
{
	if (o->unpost != NULL)
		o->unpost(o->arg);
	if (t->ov == o)
		t->ov = o->below;
	t->full = 1;
}

void
tui_push(struct tui *t, struct screen *s)
{
	if (s == NULL)
		return;
	if (t->top != NULL && t->top->ops->unpost != NULL)
		t->top->ops->unpost(t->top);
	s->t = t;
	s->below = t->top;
	t->top = s;
	t->full = 1;
}

static void
screen_pop(struct tui *t)
{
	struct screen *s = t->top;

	if (s == NULL)
		return;
	if (s->ops->unpost != NULL)
		s->ops->unpost(s);
	t->top = s->below;
	s->ops->free(s);
	t->full = 1;
	if (t->top != NULL && t->top->ops->reload != NULL)
		t->top->ops->reload(t->top);
}

void
tui_tabs(int y, const char *const *labels, int n, int cur)
{
	int i, x = 1;

	move(y, 0);
	clrtoeol();
	for (i = 0; i < n; i++) {
		if (i == cur)
			attron(A_REVERSE);
		mvprintw(y, x, " %d %s ", i + 1, labels[i]);
		if (i == cur)
			attroff(A_REVERSE);
		x += (int)strlen(labels[i]) + 5;
		if (i + 1 < n)
			mvaddch(y, x - 1, '|');
	}
}

static void
draw_header(struct tui *t)
{
	const char *src = cd_api_source(t->a);
	char buf[512];

	snprintf(buf, sizeof(buf), " certdesk   Operator: %s (%s)   Data: %s",
	    t->op.full_name, t->op.logon, src != NULL ? src : "?");
	attron(A_REVERSE);
	tui_put(0, 0, COLS, buf);
	attroff(A_REVERSE);
	attron(A_BOLD);
	tui_put(1, 1, COLS - 1, t->top->title[0] != '\0' ? t->top->title :
	    t->top->ops->title);
	attroff(A_BOLD);
}

static void
draw_status(struct tui *t)
{
	if (t->status_err)
		attron(A_BOLD);
	tui_put(tui_status_row(), 0, COLS, t->status);
	if (t->status_err)
		attroff(A_BOLD);
	t->status_dirty = 0;
}

static void
draw_keys(struct tui *t)
{
	const char *k = t->ov != NULL && t->ov == t->ov_keys_for &&
	    t->ov_keys != NULL ? t->ov_keys(t->ov->arg) :
	    t->top->ops->keys(t->top);

	tui_put(tui_keys_row(), 0, COLS, k);
}

static void
draw_overlays(struct overlay *o)
{
	if (o == NULL)
		return;
	draw_overlays(o->below);
	o->draw(o->arg, 1);
}

static void
unpost_all(struct tui *t)
{
	struct overlay *o;

	for (o = t->ov; o != NULL; o = o->below)
		if (o->unpost != NULL)
			o->unpost(o->arg);
	if (t->top != NULL && t->top->ops->unpost != NULL)
		t->top->ops->unpost(t->top);
}

static void
draw_small(void)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "Terminal too small: %dx%d. certdesk needs "
	    "at least %dx%d.", COLS, LINES, TUI_MIN_COLS, TUI_MIN_LINES);
	erase();
	mvaddnstr(0, 0, buf, COLS);
	if (LINES > 1)
		mvaddnstr(1, 0, "Make the window larger to go on.", COLS);
	move(0, 0);
}

static void
place_cursor(struct tui *t)
{
	if (t->ov != NULL && t->ov->cursor != NULL)
		t->ov->cursor(t->ov->arg);
	else if (t->ov == NULL && t->top->ops->cursor != NULL)
		t->top->ops->cursor(t->top);
	else {
		curs_set(0);
		move(tui_keys_row(), COLS - 1);
	}
}

void
tui_flush(struct tui *t)
{
	if (t->small) {
		if (t->full) {
			unpost_all(t);
			draw_small();
			t->full = 0;
		}
	} else if (t->full) {
		unpost_all(t);
		erase();
		draw_header(t);
		t->top->ops->draw(t->top, 1);
		draw_overlays(t->ov);
		draw_status(t);
		draw_keys(t);
		t->full = 0;
	} else {
		if (t->ov != NULL)
			t->ov->draw(t->ov->arg, 0);
		else
			t->top->ops->draw(t->top, 0);
		if (t->status_dirty)
			draw_status(t);
		draw_keys(t);
	}
	if (!t->small)
		place_cursor(t);
	wnoutrefresh(stdscr);
	doupdate();
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The idle hook's interval: t->idle_ms, else 10 s. */
static int
idle_every(const struct tui *t)
{
	return t->idle != NULL && t->idle_ms > 0 ? t->idle_ms : 10000;
}

static void
run_idle(struct tui *t)
{
	int64_t now = now_ms();

	if (t->idle == NULL || now - t->idle_last < idle_every(t))
		return;
	t->idle_last = now;
	t->idle(t->idle_arg);
}

/* How long one getch() may wait: ms, but never past the next idle. */
static int
wait_step(const struct tui *t, int ms)
{
	int step = idle_every(t) < 1000 ? idle_every(t) : 1000;

	return ms >= 0 && ms < step ? ms : step;
}

int
tui_waitkey(struct tui *t, int ms)
{
	int ch;

	for (;;) {
		if (tui_signalled)
			return TUI_KEY_SIGNAL;
		tui_flush(t);
		wtimeout(stdscr, wait_step(t, ms));
		ch = getch();
		if (tui_signalled)
			return TUI_KEY_SIGNAL;
		run_idle(t);
		if (ch == ERR) {
			if (ms >= 0)
				return ERR;
			continue;
		}
		if (ch != KEY_RESIZE)
			ch = tui_key_decode(ch);
		if (tui_key_ignored(ch))
			continue;
		if (ch == KEY_RESIZE) {
			t->small = LINES < TUI_MIN_LINES || COLS < TUI_MIN_COLS;
			t->full = 1;
			continue;
		}
		if (ch == TUI_CTRL('l')) {
			clearok(curscr, TRUE);
			t->full = 1;
			continue;
		}
		if (t->small)
			continue;
		return ch;
	}
}

int
tui_getkey(struct tui *t)
{
	return tui_waitkey(t, -1);
}

void
tui_help(struct tui *t, const char *title, const char *text)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s\n%s", text, common_help);
	tui_msgbox(t, title, buf);
}

static int
is_help_key(struct screen *s, int ch)
{
	return ch == KEY_F(1) || (ch == '?' && !s->typing);
}

int
tui_quit_ok(struct tui *t)
{
	static const struct button b[] = {
		{ "Quit and roll back", 'y', 0, 0 },
		{ "Stay", 'n', 1, 0 },
	};

	if (t->busy == NULL || !t->busy(t->busy_arg))
		return 1;
	return tui_choice(t, "Quit certdesk?", "A collection is in progress. "
	    "Quitting cancels it and rolls it back: its certificates are "
	    "revoked and no file is kept.", b, 2) == 0;
}

static void
free_all(struct tui *t)
{
	while (t->top != NULL)
		screen_pop(t);
}

static int
term_open(SCREEN **scr, struct cd_err *err)
{
	const char *term = getenv("TERM") != NULL ? getenv("TERM") : "";

	if (!tui_term_usable())
		return cd_err_set(err, CD_E_INVAL, "The terminal '%s' cannot "
		    "move the cursor, so certdesk cannot draw its screens on "
		    "it.  Use the commands instead (certdesk --help, certdesk "
		    "request search, certdesk collect ...), or set TERM to a "
		    "terminal type such as vt100 or xterm.", term);
	if ((*scr = newterm(NULL, stdout, stdin)) == NULL)
		return cd_err_set(err, CD_E_INVAL, "Cannot use the terminal "
		    "'%s': set TERM to a known terminal type (vt100, xterm, "
		    "...).", getenv("TERM") != NULL ? getenv("TERM") : "");
	set_term(*scr);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	tui_keys_init();
	wtimeout(stdscr, 1000);
	return 0;
}

int
tui_main(struct cd_api *a, struct cd_err *err)
{
	struct sigaction old[3];
	struct tui t;
	struct screen *s;
	SCREEN *scr = NULL;
	int ch, r, rc = 0;

	memset(&t, 0, sizeof(t));
	t.a = a;
	/* Who the operator is, for the header: also proves the way works. */
	if ((rc = cd_api_whoami(a, &t.op, NULL, err)) != 0)
		return rc;
	tui_signalled = 0;
	signals_set(old);
	if ((rc = term_open(&scr, err)) != 0)
		goto out;
	t.small = LINES < TUI_MIN_LINES || COLS < TUI_MIN_COLS;
	tui_push(&t, screen_search_new(&t));
	while (t.top != NULL) {
		ch = tui_getkey(&t);
		if (ch == TUI_KEY_SIGNAL)
			break;
		s = t.top;
		if (is_help_key(s, ch)) {
			tui_help(&t, s->ops->title, s->ops->help);
			continue;
		}
		if (t.status[0] != '\0') {
			t.status[0] = '\0';
			t.status_err = 0;
			t.status_dirty = 1;
		}
		r = s->ops->key(s, ch);
		if (tui_signalled)
			break;
		if ((r == TUI_QUIT || (r == TUI_BACK && s->below == NULL)) &&
		    !tui_quit_ok(&t))
			continue;
		if (r == TUI_QUIT)
			break;
		if (r == TUI_BACK)
			screen_pop(&t);
	}
	free_all(&t);
	if (tui_signalled)
		rc = cd_err_set(err, CD_E_CANCELLED, "Stopped by signal %d; "
		    "a collection in progress was cancelled and rolled back.",
		    (int)tui_signalled);
out:
	if (scr != NULL) {
		endwin();
		delscreen(scr);
	}
	signals_restore(old);
	return rc;
}
