/* SPDX-License-Identifier: ISC */
/*
 * form.c - forms described as data (struct field_def[]) driven through
 * libform: text, number, date, password (O_PUBLIC off: nothing typed is
 * ever drawn) and drop-down fields, groups of fields that can be shown or
 * hidden, and unposting that keeps half-typed input across a resize.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "tui-int.h"
#include "certdesk/cdutil.h"

static FIELD *
make_field(const struct field_def *d)
{
	FIELD *f;

	if ((f = new_field(1, d->width, d->row, d->col + d->lwidth, 0, 0)) ==
	    NULL)
		return NULL;
	set_field_back(f, A_UNDERLINE);
	field_opts_off(f, O_AUTOSKIP | O_BLANK);
	switch (d->type) {
	case FD_PASSWORD:
		field_opts_off(f, O_PUBLIC | O_STATIC);
		set_max_field(f, 256);
		break;
	case FD_CHOICE:
		field_opts_off(f, O_EDIT);
		break;
	case FD_PATH:
		field_opts_off(f, O_STATIC);
		set_max_field(f, CD_PATH_MAX - 1);
		break;
	default:
		break;
	}
	if (d->group != 0)
		field_opts_off(f, O_VISIBLE | O_ACTIVE);
	return f;
}

static int
form_make(struct tform *tf)
{
	if ((tf->form = new_form(tf->f)) == NULL)
		return -1;
	set_form_win(tf->form, stdscr);
	return 0;
}

struct tform *
tform_new(const struct field_def *defs, int n, int y0)
{
	struct tform *tf;
	int i;

	if ((tf = calloc(1, sizeof(*tf))) == NULL)
		return NULL;
	tf->defs = defs;
	tf->n = n;
	tf->y0 = y0;
	tf->f = calloc((size_t)n + 1, sizeof(*tf->f));
	tf->items = calloc((size_t)n, sizeof(*tf->items));
	tf->nitems = calloc((size_t)n, sizeof(*tf->nitems));
	tf->sel = calloc((size_t)n, sizeof(*tf->sel));
	if (tf->f == NULL || tf->items == NULL || tf->nitems == NULL ||
	    tf->sel == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		if ((tf->f[i] = make_field(&defs[i])) == NULL)
			goto fail;
	/* Field positions are relative to a sub-window at (y0, x0). */
	tf->y0 = y0;
	tf->x0 = 0;
	if (form_make(tf) != 0)
		goto fail;
	return tf;
fail:
	tform_free(tf);
	return NULL;
}

void
tform_free(struct tform *tf)
{
	int i;

	if (tf == NULL)
		return;
	if (tf->form != NULL) {
		if (tf->posted)
			unpost_form(tf->form);
		free_form(tf->form);
	}
	if (tf->sub != NULL)
		delwin(tf->sub);
	for (i = 0; tf->f != NULL && i < tf->n; i++)
		if (tf->f[i] != NULL)
			free_field(tf->f[i]);
	free(tf->f);
	free(tf->items);
	free(tf->nitems);
	free(tf->sel);
	free(tf);
}

/* The form's sub-window is made at each full draw, at (y0, x0). */
void
tform_place(struct tform *tf, int y0, int x0)
{
	tf->y0 = y0;
	tf->x0 = x0;
}

void
tform_set_items(struct tform *tf, int i, const char *const *items, int n)
{
	tf->items[i] = items;
	tf->nitems[i] = n;
	tform_set_choice(tf, i, 0);
}

int
tform_choice(const struct tform *tf, int i)
{
	return tf->sel[i];
}

void
tform_set_choice(struct tform *tf, int i, int sel)
{
	if (sel < 0 || sel >= tf->nitems[i])
		return;
	tf->sel[i] = sel;
	set_field_buffer(tf->f[i], 0, tf->items[i][sel]);
}

static int
shown(const struct tform *tf, int i)
{
	int g = tf->defs[i].group;

	return g == 0 || (tf->groups & (1u << g)) != 0;
}

void
tform_show_group(struct tform *tf, int group, int on)
{
	int i;

	tform_unpost(tf);
	if (on)
		tf->groups |= 1u << group;
	else
		tf->groups &= ~(1u << group);
	for (i = 0; i < tf->n; i++) {
		if (tf->defs[i].group != group)
			continue;
		if (on)
			field_opts_on(tf->f[i], O_VISIBLE | O_ACTIVE);
		else
			field_opts_off(tf->f[i], O_VISIBLE | O_ACTIVE);
	}
	if (!shown(tf, tform_current(tf)))
		tform_set_current(tf, tform_first(tf));
}

void
tform_unpost(struct tform *tf)
{
	if (tf == NULL || !tf->posted)
		return;
	/* Keep what is being typed: without this it is lost at unpost. */
	form_driver(tf->form, REQ_VALIDATION);
	unpost_form(tf->form);
	tf->posted = 0;
}

static int
editable(const struct tform *tf, int i)
{
	return tf->defs[i].type != FD_CHOICE;
}

/*
 * A sub-window just big enough for the fields: posting and unposting
 * erase the form's sub-window, and that must not be the whole screen.
 */
static int
make_sub(struct tform *tf)
{
	int i, h = 1, w = 1;

	set_form_sub(tf->form, NULL);
	if (tf->sub != NULL)
		delwin(tf->sub);
	for (i = 0; i < tf->n; i++) {
		const struct field_def *d = &tf->defs[i];

		if (d->row + 1 > h)
			h = d->row + 1;
		if (d->col + d->lwidth + d->width > w)
			w = d->col + d->lwidth + d->width;
	}
	if ((tf->sub = derwin(stdscr, h, w, tf->y0, tf->x0)) == NULL)
		return -1;
	set_form_sub(tf->form, tf->sub);
	return 0;
}

void
tform_draw(struct tform *tf, int full)
{
	int i;

	if (!full)
		return;
	tform_unpost(tf);
	if (make_sub(tf) != 0 || post_form(tf->form) != E_OK)
		return;
	tf->posted = 1;
	for (i = 0; i < tf->n; i++) {
		const struct field_def *d = &tf->defs[i];

		if (!shown(tf, i))
			continue;
		tui_put(tf->y0 + d->row, tf->x0 + d->col, d->lwidth, d->label);
		if (d->type == FD_CHOICE)
			mvaddch(tf->y0 + d->row, tf->x0 + d->col + d->lwidth +
			    d->width, 'v');
	}
	if (editable(tf, tform_current(tf)))
		form_driver(tf->form, REQ_END_FIELD);
}

void
tform_cursor(struct tform *tf)
{
	if (!tf->posted || !tf->focused) {
		curs_set(0);
		return;
	}
	curs_set(1);
	pos_form_cursor(tf->form);
}

int
tform_current(const struct tform *tf)
{
	FIELD *f = current_field(tf->form);
	int i;

	for (i = 0; i < tf->n; i++)
		if (tf->f[i] == f)
			return i;
	return 0;
}

void
tform_set_current(struct tform *tf, int i)
{
	if (i < 0 || i >= tf->n)
		return;
	set_current_field(tf->form, tf->f[i]);
	if (tf->posted && editable(tf, i))
		form_driver(tf->form, REQ_END_FIELD);
}

int
tform_first(const struct tform *tf)
{
	int i;

	for (i = 0; i < tf->n; i++)
		if (shown(tf, i))
			return i;
	return 0;
}

int
tform_last(const struct tform *tf)
{
	int i;

	for (i = tf->n - 1; i > 0; i--)
		if (shown(tf, i))
			return i;
	return 0;
}

static void
step(struct tform *tf, int req)
{
	form_driver(tf->form, req);
	if (editable(tf, tform_current(tf)))
		form_driver(tf->form, REQ_END_FIELD);
}

static int
choose(struct tui *t, struct tform *tf, int i)
{
	int k;

	if (tf->nitems[i] == 0)
		return 1;
	k = tui_menu(t, tf->defs[i].label, tf->items[i], tf->nitems[i],
	    tf->sel[i]);
	if (k >= 0 && k != TUI_KEY_SIGNAL)
		tform_set_choice(tf, i, k);
	return 1;
}

int
tform_key(struct tui *t, struct tform *tf, int ch)
{
	int cur = tform_current(tf);

	switch (ch) {
	case '\t':
	case KEY_DOWN:
	case TUI_CTRL('n'):
		if (cur == tform_last(tf))
			return 0;
		step(tf, REQ_NEXT_FIELD);
		return 1;
	case KEY_UP:
	case TUI_CTRL('p'):
		if (cur == tform_first(tf))
			return 0;
		step(tf, REQ_PREV_FIELD);
		return 1;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (!editable(tf, cur))
			return choose(t, tf, cur);
		return 0;
	case ' ':
		if (!editable(tf, cur))
			return choose(t, tf, cur);
		break;
	}
	if (!editable(tf, cur))
		return ch >= 32 && ch < 127;
	switch (ch) {
	case KEY_LEFT:
		form_driver(tf->form, REQ_PREV_CHAR);
		return 1;
	case KEY_RIGHT:
		form_driver(tf->form, REQ_NEXT_CHAR);
		return 1;
	case KEY_HOME:
		form_driver(tf->form, REQ_BEG_FIELD);
		return 1;
	case KEY_END:
	case TUI_CTRL('e'):
		form_driver(tf->form, REQ_END_FIELD);
		return 1;
	case KEY_BACKSPACE:
	case 127:
	case TUI_CTRL('h'):
		form_driver(tf->form, REQ_DEL_PREV);
		return 1;
	case KEY_DC:
	case TUI_CTRL('d'):
		form_driver(tf->form, REQ_DEL_CHAR);
		return 1;
	case TUI_CTRL('u'):
		form_driver(tf->form, REQ_CLR_FIELD);
		return 1;
	case TUI_CTRL('k'):
		form_driver(tf->form, REQ_CLR_EOF);
		return 1;
	}
	if (ch >= 32 && ch < 256 && ch != 127) {
		form_driver(tf->form, ch);
		return 1;
	}
	return 0;
}

void
tform_get(struct tform *tf, int i, char *buf, size_t len)
{
	const char *s;
	size_t n;

	if (tf->posted)
		form_driver(tf->form, REQ_VALIDATION);
	s = field_buffer(tf->f[i], 0);
	if (tf->defs[i].type != FD_PASSWORD)
		while (s != NULL && *s == ' ')
			s++;
	cd_strlcpy(buf, s != NULL ? s : "", len);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
}

void
tform_clear(struct tform *tf, int i)
{
	char *s = field_buffer(tf->f[i], 0), *blank;
	size_t n = s != NULL ? strlen(s) : 0;

	if (tf->defs[i].type == FD_PASSWORD && n > 0 &&
	    (blank = malloc(n + 1)) != NULL) {
		memset(blank, ' ', n);
		blank[n] = '\0';
		set_field_buffer(tf->f[i], 0, blank);
		free(blank);
	}
	set_field_buffer(tf->f[i], 0, "");
}

void
tform_set(struct tform *tf, int i, const char *text)
{
	set_field_buffer(tf->f[i], 0, text);
	if (tf->posted && tform_current(tf) == i)
		form_driver(tf->form, REQ_END_FIELD);
}
