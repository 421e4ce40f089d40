/* SPDX-License-Identifier: ISC */
/*
 * widget.c - the one list widget every screen uses (lines of text with a
 * selection, or a scrolling text view), button bars with a "..." entry,
 * and the modal dialogs: message box, choice, drop-down menu, prompt.
 *
 * Lists redraw only the rows that changed when the selection moves, so a
 * cursor key on a serial line costs a few dozen bytes.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <openssl/crypto.h>

#include "tui-int.h"
#include "certdesk/cdutil.h"

/* ------------------------------------------------------------ lines */

void
lines_clear(struct lines *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->ids);
	memset(l, 0, sizeof(*l));
}

void
lines_add(struct lines *l, int64_t id, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (l->n == l->cap) {
		int cap = l->cap != 0 ? 2 * l->cap : 32;
		char **v = realloc(l->v, (size_t)cap * sizeof(*v));
		int64_t *ids;

		if (v == NULL)
			return;
		l->v = v;
		if ((ids = realloc(l->ids, (size_t)cap * sizeof(*ids))) == NULL)
			return;
		l->ids = ids;
		l->cap = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s == NULL)
		return;
	l->v[l->n] = s;
	l->ids[l->n] = id;
	l->n++;
}

/* ------------------------------------------------------------ cells */

/* One UTF-8 character at p: its length in bytes; *cp = U+FFFD if bad. */
static int
u8_next(const unsigned char *p, uint32_t *cp)
{
	int n, i;

	if (*p < 0x80) {
		*cp = *p;
		return 1;
	}
	if ((*p & 0xe0) == 0xc0) {
		n = 2;
		*cp = *p & 0x1f;
	} else if ((*p & 0xf0) == 0xe0) {
		n = 3;
		*cp = *p & 0x0f;
	} else if ((*p & 0xf8) == 0xf0) {
		n = 4;
		*cp = *p & 0x07;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return i;
		}
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	return n;
}

/* Cells of cp on this terminal: 0, 1 or 2; -1 = show a '?' instead. */
static int
cp_cells(uint32_t cp)
{
	int w;

	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xfffd)
		return -1;
	if (cp < 0x7f)
		return 1;
	if (MB_CUR_MAX == 1)
		return -1;	/* LANG=C: only ASCII can be shown */
	w = wcwidth((wchar_t)cp);
	return w < 0 ? -1 : w;
}

/* Cells of s, with trailing blanks if trail, else without them. */
static int
cells(const char *s, int trail)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	uint32_t cp;
	int n = 0, last = 0, w;

	while (*p != '\0') {
		p += u8_next(p, &cp);
		w = cp_cells(cp);
		n += w < 0 ? 1 : w;
		if (cp != ' ')
			last = n;
	}
	return trail ? n : last;
}

int
tui_cells(const char *s)
{
	return cells(s, 1);
}

int
tui_fit(char *out, size_t len, const char *s, int w, int pad)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	int used = 0, room = w, cut = 0, k, cw;
	size_t n = 0;
	uint32_t cp;

	if (len == 0)
		return 0;
	if (w < 0)
		w = room = 0;
	if (cells(s, 0) > w && w > (int)strlen(TUI_ELLIPSIS)) {
		room = w - (int)strlen(TUI_ELLIPSIS);
		cut = 1;
	}
	while (*p != '\0') {
		k = u8_next(p, &cp);
		cw = cp_cells(cp);
		if (used + (cw < 0 ? 1 : cw) > room || n + (size_t)k + 4 >= len)
			break;
		if (cw < 0)
			out[n++] = '?';
		else {
			memcpy(out + n, p, (size_t)k);
			n += (size_t)k;
		}
		used += cw < 0 ? 1 : cw;
		p += k;
	}
	if (cut) {
		for (k = 0; TUI_ELLIPSIS[k] != '\0' && n + 1 < len; k++)
			out[n++] = TUI_ELLIPSIS[k];
		used += k;
	}
	while (pad && used < w && n + 1 < len) {
		out[n++] = ' ';
		used++;
	}
	out[n] = '\0';
	return used;
}

/* Append s cut or padded to w columns, then one blank. */
void
tui_col(char *buf, size_t len, const char *s, int w)
{
	size_t n = strlen(buf);

	if (n + 2 >= len)
		return;
	tui_fit(buf + n, len - n - 1, s, w, 1);
	n = strlen(buf);
	buf[n++] = ' ';
	buf[n] = '\0';
}

void
lines_wrap(struct lines *l, const char *label, int indent, const char *text,
    int w)
{
	const unsigned char *p = (const unsigned char *)text, *start, *brk;
	char line[1024];
	uint32_t cp;
	int used, cw, width = w - indent;

	if (width < 10)
		width = 10;
	do {
		start = p;
		brk = NULL;
		used = 0;
		while (*p != '\0' && *p != '\n') {
			int k = u8_next(p, &cp);

			cw = cp_cells(cp);
			if (used + (cw < 0 ? 1 : cw) > width)
				break;
			used += cw < 0 ? 1 : cw;
			p += k;
			if (cp == ' ')
				brk = p;
		}
		if (*p != '\0' && *p != '\n' && brk != NULL)
			p = brk;
		snprintf(line, sizeof(line), "%-*s%.*s", indent,
		    label != NULL ? label : "", (int)(p - start),
		    (const char *)start);
		lines_add(l, 0, "%s", line);
		label = NULL;
		while (*p == ' ' || *p == '\n')
			if (*p++ == '\n')
				break;
	} while (*p != '\0');
}

/* ------------------------------------------------------------ list */

void
tlist_init(struct tlist *tl, struct lines *l, int view)
{
	memset(tl, 0, sizeof(*tl));
	tl->l = l;
	tl->view = view;
	tl->dirty = TL_ALL;
	tl->empty = "(nothing to show)";
}

void
tlist_reset(struct tlist *tl)
{
	tl->sel = 0;
	tl->top = 0;
	tl->dirty = TL_ALL;
}

static int
tlist_max_top(const struct tlist *tl)
{
	int m = tl->l->n - (tl->h > 0 ? tl->h : 1);

	return m > 0 ? m : 0;
}

static void
tlist_move(struct tlist *tl, int delta)
{
	int n = tl->l->n, sel = tl->sel + delta, top = tl->top;

	if (n == 0)
		return;
	if (tl->view) {
		top += delta;
		if (top > tlist_max_top(tl))
			top = tlist_max_top(tl);
		if (top < 0)
			top = 0;
		if (top != tl->top)
			tl->dirty = TL_ALL;
		tl->top = top;
		return;
	}
	if (sel >= n)
		sel = n - 1;
	if (sel < 0)
		sel = 0;
	if (sel == tl->sel)
		return;
	if (sel < top)
		top = sel;
	if (tl->h > 0 && sel >= top + tl->h)
		top = sel - tl->h + 1;
	if (top != tl->top || tl->dirty == TL_ALL)
		tl->dirty = TL_ALL;
	else if (tl->dirty == 0) {
		tl->dirty = TL_SEL;
		tl->old_sel = tl->sel;
	}
	tl->top = top;
	tl->sel = sel;
}

int
tlist_key(struct tlist *tl, int ch)
{
	int page = tl->h > 1 ? tl->h - 1 : 1;

	switch (ch) {
	case KEY_UP:
		tlist_move(tl, -1);
		return 1;
	case KEY_DOWN:
		tlist_move(tl, 1);
		return 1;
	case KEY_PPAGE:
	case TUI_CTRL('b'):
		tlist_move(tl, -page);
		return 1;
	case KEY_NPAGE:
	case TUI_CTRL('f'):
		tlist_move(tl, page);
		return 1;
	case KEY_HOME:
		tlist_move(tl, -tl->l->n - tl->top);
		return 1;
	case KEY_END:
		tlist_move(tl, tl->l->n + tl->h);
		return 1;
	}
	return 0;
}

static void
tlist_row(struct tlist *tl, int r)
{
	int i = tl->top + r, attr = A_NORMAL;
	const char *text = "";
	char mark = ' ';

	if (i < tl->l->n)
		text = tl->l->v[i];
	else if (i == 0 && tl->l->n == 0)
		text = tl->empty;
	if (!tl->view && i == tl->sel && i < tl->l->n)
		attr = tl->focused ? A_REVERSE : A_BOLD;
	if (r == 0 && tl->top > 0)
		mark = '^';
	if (r == tl->h - 1 && tl->top + tl->h < tl->l->n)
		mark = 'v';
	/* The selection is the whole row, in reverse video (bold: unfocused). */
	attron(attr);
	tui_put(tl->y + r, tl->x, tl->w - 1, text);
	attroff(attr);
	mvaddch(tl->y + r, tl->x + tl->w - 1, (chtype)mark);
}

void
tlist_draw(struct tlist *tl, int full)
{
	int r;

	if (tl->h <= 0)
		return;
	if (tl->top > tlist_max_top(tl))
		tl->top = tlist_max_top(tl);
	if (full || tl->dirty == TL_ALL) {
		for (r = 0; r < tl->h; r++)
			tlist_row(tl, r);
	} else if (tl->dirty == TL_SEL) {
		if (tl->old_sel >= tl->top && tl->old_sel < tl->top + tl->h)
			tlist_row(tl, tl->old_sel - tl->top);
		tlist_row(tl, tl->sel - tl->top);
	}
	tl->dirty = 0;
}

int64_t
tlist_id(const struct tlist *tl)
{
	if (tl->sel < 0 || tl->sel >= tl->l->n)
		return 0;
	return tl->l->ids[tl->sel];
}

void
tlist_where(const struct tlist *tl, char *buf, size_t len)
{
	int last = tl->top + tl->h;

	if (tl->l->n == 0) {
		buf[0] = '\0';
		return;
	}
	if (last > tl->l->n)
		last = tl->l->n;
	snprintf(buf, len, "rows %d-%d of %d%s%s", tl->top + 1, last,
	    tl->l->n, tl->top > 0 ? ", more above" : "",
	    last < tl->l->n ? ", more below" : "");
}

/* ------------------------------------------------------------ tabs */

void
tabview_init(struct tabview *tv, const char *const *labels, int n)
{
	int i;

	memset(tv, 0, sizeof(*tv));
	tv->labels = labels;
	tv->n = n;
	for (i = 0; i < n; i++)
		tlist_init(&tv->tl[i], &tv->l[i], 0);
}

void
tabview_draw(struct tabview *tv, int full)
{
	struct tlist *tl = &tv->tl[tv->cur];
	char where[96];
	int i, top = TUI_BODY + 2;

	if (tv->dirty)
		full = 1;
	if (full) {
		tui_tabs(TUI_BODY, tv->labels, tv->n, tv->cur);
		attron(A_UNDERLINE);
		tui_put(TUI_BODY + 1, 1, COLS - 3, tv->head[tv->cur]);
		attroff(A_UNDERLINE);
		for (i = 0; i < tv->n; i++) {
			tv->tl[i].y = top;
			tv->tl[i].x = 1;
			tv->tl[i].h = tui_bar_row() - top;
			tv->tl[i].w = COLS - 2;
			tv->tl[i].focused = 1;
		}
		tv->dirty = 0;
	}
	tlist_draw(tl, full);
	tlist_where(tl, where, sizeof(where));
	tui_put(tui_bar_row(), 1, COLS - 2, where);
}

int
tabview_key(struct tabview *tv, int ch)
{
	int cur = tv->cur;

	switch (ch) {
	case '\t':
	case TUI_CTRL('n'):
	case KEY_RIGHT:
		cur = (cur + 1) % tv->n;
		break;
	case TUI_CTRL('p'):
	case KEY_LEFT:
		cur = (cur + tv->n - 1) % tv->n;
		break;
	default:
		if (ch >= '1' && ch < '1' + tv->n)
			cur = ch - '1';
		else
			return tlist_key(&tv->tl[tv->cur], ch);
	}
	if (cur != tv->cur) {
		tv->cur = cur;
		tv->dirty = 1;
	}
	return 1;
}

void
tabview_cursor(struct tabview *tv)
{
	struct tlist *tl = &tv->tl[tv->cur];

	curs_set(0);
	move(tl->y + (tl->sel - tl->top), tl->x);
}

void
tabview_free(struct tabview *tv)
{
	int i;

	for (i = 0; i < tv->n; i++)
		lines_clear(&tv->l[i]);
}

/* ------------------------------------------------------------ buttons */

void
bbar_clear(struct bbar *bb)
{
	bb->n = 0;
	bb->focus = 0;
	bb->dirty = 1;
}

void
bbar_add(struct bbar *bb, const char *label, int key, int id, int disabled)
{
	if (bb->n >= (int)CD_NELEM(bb->b))
		return;
	bb->b[bb->n].label = label;
	bb->b[bb->n].key = key;
	bb->b[bb->n].id = id;
	bb->b[bb->n].disabled = disabled;
	bb->n++;
	bb->dirty = 1;
}

static int
button_width(const struct button *b)
{
	return (int)strlen(b->label) + 5;	/* "[ x ] " */
}

static void
bbar_layout(struct bbar *bb, int w, int maxshown)
{
	int i, used = 0;

	bb->more = 0;
	for (i = 0; i < bb->n; i++) {
		int rest = i + 1 < bb->n ? 8 : 0;	/* room for "[ ... ]" */

		if (i >= maxshown || used + button_width(&bb->b[i]) + rest > w)
			break;
		used += button_width(&bb->b[i]);
	}
	bb->nshown = i;
	bb->more = i < bb->n;
	if (bb->focus > bb->nshown)
		bb->focus = bb->nshown;
}

void
bbar_draw(struct bbar *bb, int y, int x0, int w, int maxshown)
{
	int i, x = x0 + 1;

	bbar_layout(bb, w - 2, maxshown);
	tui_put(y, x0, w, "");
	for (i = 0; i <= bb->nshown && i < bb->n + 1; i++) {
		const char *label;
		int focus = bb->focused && bb->focus == i, dis = 0;

		if (i == bb->nshown) {
			if (!bb->more)
				break;
			label = "...";
		} else {
			label = bb->b[i].label;
			dis = bb->b[i].disabled;
		}
		if (focus)
			attron(A_REVERSE);
		mvprintw(y, x, dis ? "  %s  " : "[ %s ]", label);
		if (focus)
			attroff(A_REVERSE);
		x += (int)strlen(label) + 5;
	}
	bb->dirty = 0;
}

static int
bbar_more(struct tui *t, struct bbar *bb)
{
	const char *items[12];
	int idx[12], i, n = 0, k;

	for (i = bb->nshown; i < bb->n; i++) {
		if (bb->b[i].disabled)
			continue;
		idx[n] = i;
		items[n++] = bb->b[i].label;
	}
	if (n == 0)
		return -2;
	k = tui_menu(t, "More actions", items, n, 0);
	if (k < 0)
		return k == TUI_KEY_SIGNAL ? TUI_KEY_SIGNAL : -2;
	return bb->b[idx[k]].id;
}

int
bbar_key(struct tui *t, struct bbar *bb, int ch)
{
	int i, slots = bb->nshown + (bb->more ? 1 : 0);

	switch (ch) {
	case KEY_LEFT:
		if (bb->focus > 0)
			bb->focus--;
		bb->dirty = 1;
		return -2;
	case KEY_RIGHT:
		if (bb->focus + 1 < slots)
			bb->focus++;
		bb->dirty = 1;
		return -2;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (bb->focus == bb->nshown && bb->more)
			return bbar_more(t, bb);
		if (bb->focus < bb->n && !bb->b[bb->focus].disabled)
			return bb->b[bb->focus].id;
		return -2;
	case '.':
		if (bb->more)
			return bbar_more(t, bb);
		return -2;
	}
	for (i = 0; i < bb->n; i++)
		if (bb->b[i].key == ch && ch != 0)
			return bb->b[i].disabled ? -2 : bb->b[i].id;
	return -1;
}

/* ------------------------------------------------------------ boxes */

void
tui_box(int y, int x, int h, int w, const char *title)
{
	int r;

	for (r = 0; r < h; r++)
		tui_put(y + r, x, w, "");
	mvaddch(y, x, ACS_ULCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	if (title != NULL && *title != '\0' && w > 6) {
		char buf[512];

		tui_fit(buf, sizeof(buf), title, w - 6, 0);
		attron(A_BOLD);
		mvprintw(y, x + 2, " %s ", buf);
		attroff(A_BOLD);
	}
}

/*
 * Word-wrap text to width; calls fn for each line (may be NULL) and
 * returns the number of lines.
 */
static int
wrap(const char *text, int width, void (*fn)(void *, int, const char *,
    int), void *arg)
{
	const char *p = text;
	int n = 0;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		int len = nl != NULL ? (int)(nl - p) : (int)strlen(p), cut = len;

		if (len > width) {
			for (cut = width; cut > 0 && p[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = width;
		}
		if (fn != NULL)
			fn(arg, n, p, cut);
		n++;
		p += cut;
		if (*p == ' ' && cut < len)
			p++;
		else if (*p == '\n')
			p++;
	}
	return n;
}

struct dlg {
	struct tui *t;
	const char *title;
	const char *text;
	const char *hint;
	int y, x, h, w;
	struct bbar bb;		/* choice */
	struct lines items;	/* menu */
	struct tlist tl;
	struct tform *tf;	/* prompt */
	int extra;		/* rows below the text */
};

static void
dlg_line(void *arg, int n, const char *s, int len)
{
	struct dlg *d = arg;
	char buf[512];

	snprintf(buf, sizeof(buf), "%.*s", len, s);
	tui_put(d->y + 1 + n, d->x + 2, d->w - 4, buf);
}

/* Size and place the dialog for the current terminal. */
static void
dlg_place(struct dlg *d, int minw)
{
	int tw = COLS - 8, n;

	d->w = minw + 4;
	if (d->text != NULL && (int)strlen(d->text) + 4 > d->w)
		d->w = (int)strlen(d->text) + 4;
	if (d->w > tw)
		d->w = tw;
	n = d->text != NULL ? wrap(d->text, d->w - 4, NULL, NULL) : 0;
	d->h = n + d->extra + 2;
	if (d->h > LINES - 4)
		d->h = LINES - 4;
	d->y = (LINES - d->h) / 2;
	d->x = (COLS - d->w) / 2;
}

static void
dlg_frame(struct dlg *d)
{
	tui_box(d->y, d->x, d->h, d->w, d->title);
	if (d->text != NULL)
		wrap(d->text, d->w - 4, dlg_line, d);
	if (d->hint != NULL)
		tui_put(d->y + d->h - 1, d->x + d->w - (int)strlen(d->hint) - 3,
		    (int)strlen(d->hint) + 1, d->hint);
}

static void
msg_draw(void *arg, int full)
{
	struct dlg *d = arg;

	if (!full)
		return;
	dlg_place(d, 36);
	dlg_frame(d);
}

int
tui_msgbox(struct tui *t, const char *title, const char *text)
{
	struct dlg d = { .t = t, .title = title, .text = text,
	    .hint = " Enter: close ", .extra = 0 };
	struct overlay o = { msg_draw, NULL, NULL, &d, NULL };
	int ch;

	tui_overlay_push(t, &o);
	for (;;) {
		ch = tui_getkey(t);
		if (ch == TUI_KEY_SIGNAL || ch == '\r' || ch == '\n' ||
		    ch == KEY_ENTER || ch == TUI_ESC || ch == 'q' || ch == ' ')
			break;
	}
	tui_overlay_pop(t, &o);
	return ch;
}

static void
choice_draw(void *arg, int full)
{
	struct dlg *d = arg;

	if (full) {
		dlg_place(d, 50);
		dlg_frame(d);
	}
	if (full || d->bb.dirty)
		bbar_draw(&d->bb, d->y + d->h - 2, d->x + 1, d->w - 2, 10);
}

int
tui_choice(struct tui *t, const char *title, const char *text,
    const struct button *b, int n)
{
	struct dlg d = { .t = t, .title = title, .text = text, .extra = 2,
	    .hint = NULL };
	struct overlay o = { choice_draw, NULL, NULL, &d, NULL };
	int i, ch, r = -1;

	bbar_clear(&d.bb);
	for (i = 0; i < n; i++)
		bbar_add(&d.bb, b[i].label, b[i].key, i, b[i].disabled);
	d.bb.focused = 1;
	tui_overlay_push(t, &o);
	for (;;) {
		ch = tui_getkey(t);
		if (ch == TUI_KEY_SIGNAL) {
			r = TUI_KEY_SIGNAL;
			break;
		}
		if (ch == TUI_ESC)
			break;
		if (ch == '\t' || ch == TUI_CTRL('n'))
			ch = KEY_RIGHT;
		if (ch == TUI_CTRL('p'))
			ch = KEY_LEFT;
		if ((r = bbar_key(t, &d.bb, ch)) >= 0)
			break;
		r = -1;
	}
	tui_overlay_pop(t, &o);
	return r;
}

static void
menu_draw(void *arg, int full)
{
	struct dlg *d = arg;
	int i, wmax = 20;

	if (full) {
		for (i = 0; i < d->items.n; i++)
			if ((int)strlen(d->items.v[i]) + 2 > wmax)
				wmax = (int)strlen(d->items.v[i]) + 2;
		if ((int)strlen(d->title) + 6 > wmax)
			wmax = (int)strlen(d->title) + 6;
		d->extra = d->items.n;
		dlg_place(d, wmax);
		dlg_frame(d);
		d->tl.y = d->y + 1;
		d->tl.x = d->x + 1;
		d->tl.h = d->h - 2;
		d->tl.w = d->w - 2;
	}
	tlist_draw(&d->tl, full);
}

static void
menu_cursor(void *arg)
{
	struct dlg *d = arg;

	curs_set(0);
	move(d->tl.y + d->tl.sel - d->tl.top, d->tl.x);
}

int
tui_menu(struct tui *t, const char *title, const char *const *items,
    int n, int sel)
{
	struct dlg d = { .t = t, .title = title, .hint = " Enter: choose  "
	    "ESC: cancel " };
	struct overlay o = { menu_draw, NULL, menu_cursor, &d, NULL };
	int i, ch, r = -1;

	for (i = 0; i < n; i++)
		lines_add(&d.items, i + 1, " %s", items[i]);
	tlist_init(&d.tl, &d.items, 0);
	d.tl.focused = 1;
	d.tl.sel = sel >= 0 && sel < n ? sel : 0;
	tui_overlay_push(t, &o);
	for (;;) {
		ch = tui_getkey(t);
		if (ch == TUI_KEY_SIGNAL) {
			r = TUI_KEY_SIGNAL;
			break;
		}
		if (ch == TUI_ESC || ch == 'q')
			break;
		if (ch == '\r' || ch == '\n' || ch == KEY_ENTER || ch == ' ') {
			r = d.tl.sel;
			break;
		}
		if (ch == '\t' || ch == TUI_CTRL('n'))
			ch = KEY_DOWN;
		if (ch == TUI_CTRL('p'))
			ch = KEY_UP;
		tlist_key(&d.tl, ch);
	}
	tui_overlay_pop(t, &o);
	lines_clear(&d.items);
	return r;
}

/* ------------------------------------------------------------ prompt */

static void
prompt_draw(void *arg, int full)
{
	struct dlg *d = arg;

	if (!full)
		return;
	dlg_place(d, 60);
	dlg_frame(d);
	tform_place(d->tf, d->y + d->h - 3, d->x + 2);
	tform_draw(d->tf, 1);
}

static void
prompt_unpost(void *arg)
{
	struct dlg *d = arg;

	tform_unpost(d->tf);
}

static void
prompt_cursor(void *arg)
{
	struct dlg *d = arg;

	tform_cursor(d->tf);
}

int
tui_prompt(struct tui *t, const char *title, const char *label, char *buf,
    size_t len, int masked)
{
	struct field_def def[1] = { { label, masked ? FD_PASSWORD : FD_TEXT,
	    40, 0, 0, 18, 0 } };
	struct dlg d = { .t = t, .title = title, .text = " ", .extra = 2,
	    .hint = " Enter: OK  ESC: cancel " };
	struct overlay o = { prompt_draw, prompt_unpost, prompt_cursor, &d,
	    NULL };
	int ch, r = 0;

	if ((d.tf = tform_new(def, 1, 0)) == NULL)
		return 0;
	d.tf->focused = 1;
	if (!masked && buf[0] != '\0')
		tform_set(d.tf, 0, buf);
	tui_overlay_push(t, &o);
	for (;;) {
		ch = tui_getkey(t);
		if (ch == TUI_KEY_SIGNAL) {
			r = TUI_KEY_SIGNAL;
			break;
		}
		if (ch == TUI_ESC)
			break;
		if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
			tform_get(d.tf, 0, buf, len);
			r = 1;
			break;
		}
		tform_key(t, d.tf, ch);
	}
	tform_clear(d.tf, 0);
	tui_overlay_pop(t, &o);
	tform_free(d.tf);
	return r;
}

/* ---- listing callbacks: one row per record ----------------------------- */

int
tui_rows_request(const struct cd_request *r, void *arg)
{
	struct rowctx *rc = arg;
	char buf[1024];

	tui_request_row(buf, sizeof(buf), r, rc->w);
	lines_add(rc->l, r->id, "%s", buf);
	return 0;
}

int
tui_rows_device(const struct cd_device *d, void *arg)
{
	struct rowctx *rc = arg;
	char buf[1024];

	tui_device_row(buf, sizeof(buf), d, rc->w);
	lines_add(rc->l, d->id, "%s", buf);
	return 0;
}

/* A certificate row selects its request. */
int
tui_rows_cert(const struct cd_cert *c, void *arg)
{
	struct rowctx *rc = arg;
	char buf[1024];

	tui_cert_row(buf, sizeof(buf), c, rc->w);
	lines_add(rc->l, c->request_id, "%s", buf);
	return 0;
}
