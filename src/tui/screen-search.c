/* SPDX-License-Identifier: ISC */
/*
 * screen-search.c - the main screen "Search for a request" (with its
 * "Additional search criteria"), and the people and device searches
 * reached from it.  Three screens over one shape: a form of criteria
 * (struct field_def[]) above a result list; Enter on a row opens it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui-int.h"
#include "certdesk/cdutil.h"

#define MAX_ROWS 200

enum kind { K_REQUESTS, K_PEOPLE, K_DEVICES };

struct devrow {
	struct cd_device d;
	char owner[CD_FIELD_MAX];
};

struct search {
	struct screen s;
	enum kind kind;
	struct tform *tf;
	struct lines res;
	struct tlist tl;
	int focus;		/* 0 criteria, 1 results */
	int extra;		/* additional criteria shown */
	int searched;
	int more;		/* more than MAX_ROWS matched */
	int formatted_w;	/* width the lines were made for */
	void *rows;		/* struct cd_request / cd_person / devrow */
	size_t esz;
	int nrows;
	const char *status_items[CD_RS__COUNT + 1];
	const char *type_items[2];
	const char **prof_items;
};

enum { F_NAME, F_ID, F_STATUS, F_TYPE, F_FROM, F_TO, F_PROFILE };

static const struct field_def request_fields[] = {
	{ "Name or logon:", FD_TEXT, 30, 0, 1, 20, 0 },
	{ "Request ID:", FD_NUMBER, 10, 0, 54, 12, 0 },
	{ "Status:", FD_CHOICE, 22, 1, 1, 20, 0 },
	{ "Type:", FD_CHOICE, 38, 3, 3, 20, 1 },
	{ "Created from:", FD_DATE, 16, 4, 3, 20, 1 },
	{ "to:", FD_DATE, 16, 4, 42, 4, 1 },
	{ "Credential profile:", FD_CHOICE, 44, 5, 3, 20, 1 },
};

static const struct field_def people_fields[] = {
	{ "Name or logon:", FD_TEXT, 30, 0, 1, 20, 0 },
};

static const struct field_def device_fields[] = {
	{ "Owner name/logon:", FD_TEXT, 30, 0, 1, 20, 0 },
	{ "Serial number:", FD_TEXT, 30, 1, 1, 20, 0 },
};

static const char request_help[] =
    "Search for a request.  Type part of a name or logon (each word must "
    "start a word of the person's name or logon name), a request number, "
    "or choose a status, then press Enter.  The Additional search "
    "criteria (^T, or 'a' in the list) add the request type, a creation "
    "date range (YYYY-MM-DD) and the credential profile.  At most 200 "
    "rows are listed; '200+' means there are more: narrow the search.\n"
    "\nIn the list: Enter view request, s back to the criteria, "
    "a additional criteria, p search people, d search devices, "
    "^R search again, q quit.";

static const char people_help[] =
    "Search for people by name or logon name (each word must start a "
    "word of the name).  Enter on a row opens View Person.\n"
    "\nIn the list: Enter view person, s back to the criteria, "
    "d search devices, q back.";

static const char device_help[] =
    "Search for devices (soft certificate packages, USB drives) by their "
    "owner's name or logon, or by the exact serial number.  Enter on a "
    "row opens View Device.\n"
    "\nIn the list: Enter view device, s back to the criteria, "
    "p search people, q back.";

/* ------------------------------------------------------------ layout */

static int
list_top(const struct search *ss)
{
	switch (ss->kind) {
	case K_REQUESTS:
		return TUI_BODY + (ss->extra ? 7 : 4);
	case K_PEOPLE:
		return TUI_BODY + 2;
	default:
		return TUI_BODY + 3;
	}
}

static void
person_row(char *buf, size_t len, const struct cd_person *p, int w)
{
	int rest = w - 20 - 24 - 16 - 4;

	buf[0] = '\0';
	tui_col(buf, len, p != NULL ? p->logon : "Logon name", 20);
	tui_col(buf, len, p != NULL ? p->full_name : "Full name", 24);
	tui_col(buf, len, p != NULL ? p->group_name : "Group", 16);
	tui_col(buf, len, p != NULL ? p->email : "Email", rest > 0 ? rest : 0);
}

static void
device_row(char *buf, size_t len, const struct devrow *r, int w)
{
	char id[24], when[32];
	int rest = w - 6 - 17 - 9 - 11 - 5;

	buf[0] = '\0';
	if (r == NULL) {
		snprintf(id, sizeof(id), "%5s", "ID");
		cd_strlcpy(when, "Created", sizeof(when));
	} else {
		snprintf(id, sizeof(id), "%5lld", (long long)r->d.id);
		cd_time_text(r->d.created_at, when, sizeof(when));
		when[10] = '\0';	/* the day */
	}
	tui_col(buf, len, id, 5);
	tui_col(buf, len, r != NULL ? r->d.type : "Type", 16);
	tui_col(buf, len, r != NULL ? r->d.serial : "Serial", rest / 2);
	tui_col(buf, len, r != NULL ? r->owner : "Owner", rest - rest / 2);
	tui_col(buf, len, r != NULL ? r->d.status : "Status", 8);
	tui_col(buf, len, when, 10);
}

static void
format_row(struct search *ss, int i, char *buf, size_t len, int w)
{
	const char *row = i < 0 ? NULL : (const char *)ss->rows +
	    (size_t)i * ss->esz;

	switch (ss->kind) {
	case K_REQUESTS:
		tui_request_row(buf, len, (const struct cd_request *)row, w);
		break;
	case K_PEOPLE:
		person_row(buf, len, (const struct cd_person *)row, w);
		break;
	case K_DEVICES:
		device_row(buf, len, (const struct devrow *)row, w);
		break;
	}
}

static int64_t
row_id(struct search *ss, int i)
{
	const char *row = (const char *)ss->rows + (size_t)i * ss->esz;

	switch (ss->kind) {
	case K_REQUESTS:
		return ((const struct cd_request *)row)->id;
	case K_PEOPLE:
		return ((const struct cd_person *)row)->id;
	default:
		return ((const struct devrow *)row)->d.id;
	}
}

/* (Re)make the list lines for the current width. */
static void
format_rows(struct search *ss)
{
	char buf[1024];
	int i, w = COLS - 3, sel = ss->tl.sel, top = ss->tl.top;

	lines_clear(&ss->res);
	for (i = 0; i < ss->nrows; i++) {
		format_row(ss, i, buf, sizeof(buf), w);
		lines_add(&ss->res, row_id(ss, i), "%s", buf);
	}
	ss->formatted_w = w;
	ss->tl.sel = sel < ss->nrows ? sel : 0;
	ss->tl.top = top;
	ss->tl.dirty = TL_ALL;
}

/* ------------------------------------------------------------ drawing */

static void
draw_count(struct search *ss)
{
	char where[96], buf[192];
	const char *what = ss->kind == K_REQUESTS ? "request" :
	    ss->kind == K_PEOPLE ? "person" : "device";

	tlist_where(&ss->tl, where, sizeof(where));
	if (!ss->searched)
		buf[0] = '\0';
	else if (ss->more)
		snprintf(buf, sizeof(buf), "200+ %ss found: the first 200 are "
		    "shown; narrow the search.  %s", what, where);
	else
		snprintf(buf, sizeof(buf), "%d %s%s found.  %s", ss->nrows,
		    ss->kind == K_PEOPLE && ss->nrows != 1 ? "people" : what,
		    ss->kind == K_PEOPLE || ss->nrows == 1 ? "" : "s", where);
	tui_put(tui_bar_row(), 1, COLS - 1, buf);
}

static void
search_draw(struct screen *s, int full)
{
	struct search *ss = (struct search *)s;
	char buf[1024];
	int top = list_top(ss);

	if (full) {
		tform_draw(ss->tf, 1);
		if (ss->kind == K_REQUESTS)
			tui_put(TUI_BODY + 2, 1, COLS - 2, ss->extra ?
			    "Additional search criteria (^T to hide):" :
			    "Additional search criteria: hidden (^T to show)");
		if (ss->formatted_w != COLS - 3)
			format_rows(ss);
		format_row(ss, -1, buf, sizeof(buf), COLS - 3);
		attron(A_UNDERLINE);
		tui_put(top - 1, 1, COLS - 3, buf);
		attroff(A_UNDERLINE);
		ss->tl.y = top;
		ss->tl.x = 1;
		ss->tl.h = tui_bar_row() - top;
		ss->tl.w = COLS - 2;
	}
	ss->tl.focused = ss->focus == 1;
	tlist_draw(&ss->tl, full);
	draw_count(ss);
}

static void
search_cursor(struct screen *s)
{
	struct search *ss = (struct search *)s;

	if (ss->focus == 0) {
		ss->tf->focused = 1;
		tform_cursor(ss->tf);
		return;
	}
	curs_set(0);
	move(ss->tl.y + (ss->tl.sel - ss->tl.top), ss->tl.x);
}

static void
search_unpost(struct screen *s)
{
	tform_unpost(((struct search *)s)->tf);
}

static const char *
search_keys(struct screen *s)
{
	struct search *ss = (struct search *)s;
	int cur;

	if (ss->focus == 0) {
		cur = tform_current(ss->tf);
		if (ss->tf->defs[cur].type == FD_CHOICE)
			return " Enter/Space choose  ^R search  Tab/^N ^P fields  "
			    "^T more criteria  ^G help";
		if (ss->kind == K_REQUESTS)
			return " Enter search  Tab/^N ^P fields  ^T more criteria"
			    "  ESC to list  ^G help";
		return " Enter search  Tab/^N ^P fields  ESC to list  ^G help";
	}
	switch (ss->kind) {
	case K_REQUESTS:
		return " Enter view  s criteria  a more criteria  p people  "
		    "d devices  ? help  q quit";
	case K_PEOPLE:
		return " Enter view person  s criteria  d devices  ? help  "
		    "q back";
	default:
		return " Enter view device  s criteria  p people  ? help  q back";
	}
}

/* ------------------------------------------------------------ searching */

struct collector {
	struct search *ss;
	int cap;
};

static int
keep_row(struct collector *c, const void *row)
{
	struct search *ss = c->ss;
	char *p;

	if (ss->nrows == MAX_ROWS) {
		ss->more = 1;
		return 1;
	}
	if (ss->nrows == c->cap) {
		c->cap = c->cap != 0 ? 2 * c->cap : 32;
		if ((p = realloc(ss->rows, (size_t)c->cap * ss->esz)) == NULL)
			return 1;
		ss->rows = p;
	}
	memcpy((char *)ss->rows + (size_t)ss->nrows * ss->esz, row, ss->esz);
	ss->nrows++;
	return 0;
}

static int
on_request(const struct cd_request *r, void *arg)
{
	return keep_row(arg, r);
}

static int
on_person(const struct cd_person *p, void *arg)
{
	return keep_row(arg, p);
}

struct devctx {
	struct collector *c;
	struct tui *t;
};

static int
on_device(const struct cd_device *d, void *arg)
{
	struct devctx *dc = arg;
	struct devrow row;

	memset(&row, 0, sizeof(row));
	row.d = *d;
	tui_person_text(dc->t, d->owner_id, row.owner, sizeof(row.owner));
	return keep_row(dc->c, &row);
}

/* A date criterion: "" = none; a day alone covers the whole day. */
static int
parse_date(struct tui *t, const char *s, int end, int64_t *out)
{
	*out = 0;
	if (*s == '\0')
		return 0;
	if ((*out = cd_time_parse(s)) < 0) {
		tui_status(t, "Dates are YYYY-MM-DD or 'YYYY-MM-DD HH:MM': "
		    "'%s' is not a date.", s);
		t->status_err = 1;
		return -1;
	}
	if (end && strlen(s) == 10)
		*out += 86400;
	return 0;
}

static int
request_filter(struct search *ss, struct cd_request_filter *f)
{
	struct tui *t = ss->s.t;
	char buf[CD_FIELD_MAX], *end;
	int k;

	cd_request_filter_init(f);
	tform_get(ss->tf, F_NAME, f->name, sizeof(f->name));
	tform_get(ss->tf, F_ID, buf, sizeof(buf));
	if (buf[0] != '\0') {
		f->id = strtoll(buf, &end, 10);
		if (*end != '\0' || f->id <= 0) {
			tui_status(t, "The request ID is a number, such as 42.");
			t->status_err = 1;
			return -1;
		}
	}
	k = tform_choice(ss->tf, F_STATUS);
	f->status = k == 0 ? -1 : k - 1;
	if (ss->extra) {
		k = tform_choice(ss->tf, F_TYPE);
		f->type = k == 0 ? -1 : CD_RT_SOFT_CERT + k - 1;
		tform_get(ss->tf, F_FROM, buf, sizeof(buf));
		if (parse_date(t, buf, 0, &f->created_from) != 0)
			return -1;
		tform_get(ss->tf, F_TO, buf, sizeof(buf));
		if (parse_date(t, buf, 1, &f->created_to) != 0)
			return -1;
		k = tform_choice(ss->tf, F_PROFILE);
		if (k > 0 && cd_api_profile_at(t->a, k - 1) != NULL)
			cd_strlcpy(f->profile, cd_api_profile_at(t->a,
			    k - 1)->id, sizeof(f->profile));
	}
	f->limit = MAX_ROWS + 1;
	return 0;
}

static int
search_devices(struct search *ss, struct collector *c, struct cd_err *err)
{
	struct devctx dc = { c, ss->s.t };
	struct cd_device_filter df;
	struct cd_person_filter pf;
	struct lines owners;
	char name[CD_FIELD_MAX];
	int i, rc;

	memset(&df, 0, sizeof(df));
	memset(&pf, 0, sizeof(pf));
	memset(&owners, 0, sizeof(owners));
	tform_get(ss->tf, 0, name, sizeof(name));
	tform_get(ss->tf, 1, df.serial, sizeof(df.serial));
	df.limit = MAX_ROWS + 1;
	if (name[0] == '\0')
		return cd_api_device_list(ss->s.t->a, &df, on_device, &dc, err);
	/* Devices of each person whose name matches. */
	cd_strlcpy(pf.name, name, sizeof(pf.name));
	pf.limit = MAX_ROWS;
	ss->esz = sizeof(struct cd_person);
	rc = cd_api_person_list(ss->s.t->a, &pf, on_person, c, err);
	for (i = 0; rc >= 0 && i < ss->nrows; i++)
		lines_add(&owners, ((struct cd_person *)ss->rows)[i].id, "-");
	ss->nrows = 0;
	ss->more = 0;
	ss->esz = sizeof(struct devrow);
	free(ss->rows);
	ss->rows = NULL;
	c->cap = 0;
	for (i = 0; rc >= 0 && i < owners.n && !ss->more; i++) {
		df.owner_id = owners.ids[i];
		rc = cd_api_device_list(ss->s.t->a, &df, on_device, &dc, err);
	}
	lines_clear(&owners);
	return rc < 0 ? rc : 0;
}

static void
run_search(struct search *ss)
{
	struct tui *t = ss->s.t;
	struct cd_request_filter rf;
	struct cd_person_filter pf;
	struct collector c = { ss, 0 };
	struct cd_err err;
	int rc = 0;

	if (ss->kind == K_REQUESTS && request_filter(ss, &rf) != 0)
		return;
	free(ss->rows);
	ss->rows = NULL;
	ss->nrows = 0;
	ss->more = 0;
	cd_err_clear(&err);
	switch (ss->kind) {
	case K_REQUESTS:
		rc = cd_api_request_search(t->a, &rf, on_request, &c, &err);
		break;
	case K_PEOPLE:
		memset(&pf, 0, sizeof(pf));
		tform_get(ss->tf, 0, pf.name, sizeof(pf.name));
		pf.limit = MAX_ROWS + 1;
		rc = cd_api_person_list(t->a, &pf, on_person, &c, &err);
		break;
	case K_DEVICES:
		rc = search_devices(ss, &c, &err);
		break;
	}
	ss->searched = 1;
	tlist_reset(&ss->tl);
	format_rows(ss);
	if (rc < 0)
		tui_error(t, &err);
	else if (t->status[0] != '\0')
		tui_status(t, "%s", "");
	if (ss->nrows > 0)
		ss->focus = 1;
	t->full = 1;
}

/* ------------------------------------------------------------ keys */

static void
toggle_extra(struct search *ss)
{
	if (ss->kind != K_REQUESTS)
		return;
	ss->extra = !ss->extra;
	tform_show_group(ss->tf, 1, ss->extra);
	if (ss->extra) {
		ss->focus = 0;
		tform_set_current(ss->tf, F_TYPE);
	}
	ss->s.t->full = 1;
}

static void
open_row(struct search *ss)
{
	int64_t id = tlist_id(&ss->tl);

	if (id == 0)
		return;
	switch (ss->kind) {
	case K_REQUESTS:
		tui_open_request(ss->s.t, id);
		break;
	case K_PEOPLE:
		tui_open_person(ss->s.t, id);
		break;
	case K_DEVICES:
		tui_open_device(ss->s.t, id);
		break;
	}
}

static int
form_key(struct search *ss, int ch)
{
	if (tform_key(ss->s.t, ss->tf, ch))
		return TUI_OK;
	switch (ch) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		run_search(ss);
		break;
	case '\t':
	case KEY_DOWN:
	case TUI_CTRL('n'):
		if (ss->nrows > 0)
			ss->focus = 1;
		else
			tform_set_current(ss->tf, tform_first(ss->tf));
		break;
	case TUI_ESC:
		/* Back one level: to the list, or off a search screen. */
		if (ss->nrows > 0)
			ss->focus = 1;
		else if (ss->kind != K_REQUESTS)
			return TUI_BACK;
		else
			tui_status(ss->s.t, "Press q in the list to quit "
			    "certdesk.");
		break;
	}
	return TUI_OK;
}

static int
list_key(struct search *ss, int ch)
{
	struct tui *t = ss->s.t;

	if (tlist_key(&ss->tl, ch))
		return TUI_OK;
	switch (ch) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		open_row(ss);
		break;
	case '\t':
	case TUI_CTRL('n'):
	case 's':
	case '/':
		ss->focus = 0;
		tform_set_current(ss->tf, tform_first(ss->tf));
		break;
	case 'a':
		toggle_extra(ss);
		break;
	case 'p':
		if (ss->kind != K_PEOPLE)
			tui_push(t, screen_people_new(t));
		break;
	case 'd':
		if (ss->kind != K_DEVICES)
			tui_push(t, screen_devices_new(t));
		break;
	case TUI_ESC:
		/* The main screen has no level above: ESC never quits. */
		if (ss->kind != K_REQUESTS)
			return TUI_BACK;
		tui_status(t, "Press q to quit certdesk.");
		break;
	case 'q':
		return TUI_BACK;
	}
	return TUI_OK;
}

static int
search_key(struct screen *s, int ch)
{
	struct search *ss = (struct search *)s;
	int focus = ss->focus, r;

	if (ch == TUI_CTRL('t') || ch == KEY_F(3))
		toggle_extra(ss);
	else if (ch == TUI_CTRL('r') || ch == KEY_F(5))
		run_search(ss);
	else if (ss->focus == 0) {
		if ((r = form_key(ss, ch)) != TUI_OK)
			return r;
	} else if ((r = list_key(ss, ch)) != TUI_OK)
		return r;
	if (focus != ss->focus && ss->tl.dirty == 0) {
		ss->tl.dirty = TL_SEL;
		ss->tl.old_sel = ss->tl.sel;
	}
	ss->tf->focused = ss->focus == 0;
	s->typing = ss->focus == 0;
	return TUI_OK;
}

static void
search_reload(struct screen *s)
{
	struct search *ss = (struct search *)s;
	int sel = ss->tl.sel, top = ss->tl.top, focus = ss->focus;

	/* Statuses change behind us: search again, keep the place. */
	if (!ss->searched)
		return;
	run_search(ss);
	ss->tl.sel = sel < ss->nrows ? sel : 0;
	ss->tl.top = top;
	ss->focus = ss->nrows > 0 ? focus : 0;
	ss->tf->focused = ss->focus == 0;
	s->typing = ss->focus == 0;
}

static void
search_free(struct screen *s)
{
	struct search *ss = (struct search *)s;

	tform_free(ss->tf);
	lines_clear(&ss->res);
	free(ss->rows);
	free(ss->prof_items);
	free(ss);
}

static const struct screen_ops request_ops = {
	"Search for a request", request_help, search_keys, search_draw,
	search_unpost, search_cursor, search_key, search_reload, search_free
};

static const struct screen_ops people_ops = {
	"Search for people", people_help, search_keys, search_draw,
	search_unpost, search_cursor, search_key, search_reload, search_free
};

static const struct screen_ops device_ops = {
	"Search for devices", device_help, search_keys, search_draw,
	search_unpost, search_cursor, search_key, search_reload, search_free
};

static void
request_choices(struct search *ss)
{
	struct cd_api *a = ss->s.t->a;
	int i, n = cd_api_nprofiles(a);

	ss->status_items[0] = "Any";
	for (i = 0; i < CD_RS__COUNT; i++)
		ss->status_items[i + 1] = cd_status_name(i);
	tform_set_items(ss->tf, F_STATUS, ss->status_items, CD_RS__COUNT + 1);
	ss->type_items[0] = "Any";
	ss->type_items[1] = cd_request_type_name(CD_RT_SOFT_CERT);
	tform_set_items(ss->tf, F_TYPE, ss->type_items, 2);
	ss->prof_items = calloc((size_t)n + 1, sizeof(*ss->prof_items));
	if (ss->prof_items == NULL)
		return;
	ss->prof_items[0] = "Any";
	for (i = 0; i < n; i++)
		ss->prof_items[i + 1] = cd_api_profile_at(a, i)->name;
	tform_set_items(ss->tf, F_PROFILE, ss->prof_items, n + 1);
}

static struct screen *
search_new(struct tui *t, enum kind kind)
{
	struct search *ss;

	if ((ss = calloc(1, sizeof(*ss))) == NULL)
		return NULL;
	ss->s.t = t;
	ss->kind = kind;
	switch (kind) {
	case K_REQUESTS:
		ss->s.ops = &request_ops;
		ss->tf = tform_new(request_fields, CD_NELEM(request_fields),
		    TUI_BODY);
		ss->esz = sizeof(struct cd_request);
		ss->tl.empty = "No requests match.";
		break;
	case K_PEOPLE:
		ss->s.ops = &people_ops;
		ss->tf = tform_new(people_fields, CD_NELEM(people_fields),
		    TUI_BODY);
		ss->esz = sizeof(struct cd_person);
		break;
	case K_DEVICES:
		ss->s.ops = &device_ops;
		ss->tf = tform_new(device_fields, CD_NELEM(device_fields),
		    TUI_BODY);
		ss->esz = sizeof(struct devrow);
		break;
	}
	if (ss->tf == NULL) {
		free(ss);
		return NULL;
	}
	tlist_init(&ss->tl, &ss->res, 0);
	ss->tl.empty = kind == K_REQUESTS ? "No requests match." :
	    kind == K_PEOPLE ? "Nobody matches." : "No devices match.";
	if (kind == K_REQUESTS)
		request_choices(ss);
	ss->tf->focused = 1;
	ss->s.typing = 1;
	/* Start with everything (newest first), the cursor in the form. */
	run_search(ss);
	ss->focus = 0;
	ss->s.typing = 1;
	return &ss->s;
}

struct screen *
screen_search_new(struct tui *t)
{
	return search_new(t, K_REQUESTS);
}

struct screen *
screen_people_new(struct tui *t)
{
	return search_new(t, K_PEOPLE);
}

struct screen *
screen_devices_new(struct tui *t)
{
	return search_new(t, K_DEVICES);
}
