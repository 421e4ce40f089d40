/* SPDX-License-Identifier: ISC */
/*
 * screen-person.c - View Person: tabs Details, Requests, Devices and
 * Certificates.  Enter on a request (or certificate) opens View Request,
 * on a device View Device.  'n' requests a soft certificate for the
 * person with a credential profile from the configuration; when the new
 * request is ready to collect, its View Request opens at once.  'd'
 * disables the person (after a confirmation; the engine says whether
 * live certificates must be revoked, and a second confirmation names
 * how many), 'e' enables a disabled person again.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui-int.h"
#include "certdesk/cdutil.h"

enum { T_DETAILS, T_REQUESTS, T_DEVICES, T_CERTS };

static const char *const tab_labels[] = {
	"Details", "Requests", "Devices", "Certificates"
};

struct vperson {
	struct screen s;
	int64_t id;
	struct cd_person p;
	int loaded;
	int cols;		/* width the rows were made for */
	struct tabview tv;
};

static const char person_help[] =
    "View Person shows one person: Details, their Requests, Devices "
    "(collected soft certificate packages, USB drives) and Certificates.\n"
    "\nKeys: Tab/^N/Right next tab, ^P/Left previous tab, 1-4 a tab, "
    "Up/Down choose, Enter open the request or device, n request a soft "
    "certificate for this person, d disable the person (their requests "
    "can then not be approved, validated or collected, and their live "
    "certificates are revoked, reason affiliationChanged, after a "
    "confirmation), e enable a disabled person again, ^R reload, q back.";

void
tui_device_row(char *buf, size_t len, const struct cd_device *d, int w)
{
	char id[24], when[32];

	buf[0] = '\0';
	if (d == NULL) {
		snprintf(id, sizeof(id), "%5s", "ID");
		cd_strlcpy(when, "Created", sizeof(when));
	} else {
		snprintf(id, sizeof(id), "%5lld", (long long)d->id);
		cd_time_text(d->created_at, when, sizeof(when));
	}
	tui_col(buf, len, id, 5);
	tui_col(buf, len, d != NULL ? d->type : "Type", 18);
	tui_col(buf, len, d != NULL ? d->serial : "Serial", w - 5 - 18 - 10 -
	    16 - 4);
	tui_col(buf, len, d != NULL ? d->status : "Status", 10);
	tui_col(buf, len, when, 16);
}

void
tui_cert_row(char *buf, size_t len, const struct cd_cert *c, int w)
{
	char until[32];

	buf[0] = '\0';
	if (c != NULL) {
		cd_time_text(c->not_after, until, sizeof(until));
		until[10] = '\0';	/* the day */
	} else
		cd_strlcpy(until, "Expires", sizeof(until));
	tui_col(buf, len, c != NULL ? c->serial : "Serial", w - 12 - 18 - 10 -
	    8 - 5);
	tui_col(buf, len, c != NULL ? c->policy : "Policy", 12);
	tui_col(buf, len, c != NULL ? cd_cert_status_name(c->status) :
	    "Status", 18);
	tui_col(buf, len, until, 10);
	if (c != NULL)
		snprintf(buf + strlen(buf), len - strlen(buf), "req %lld",
		    (long long)c->request_id);
	else
		tui_col(buf, len, "Request", 8);
}

static void
details(struct vperson *v)
{
	struct lines *l = &v->tv.l[T_DETAILS];
	const struct cd_person *p = &v->p;
	char roles[256], when[32];

	cd_roles_format(p->roles, roles, sizeof(roles));
	cd_time_text(p->created_at, when, sizeof(when));
	lines_add(l, 0, "%-20s%s", "Full name:", p->full_name);
	lines_add(l, 0, "%-20s%s", "Logon name:", p->logon);
	lines_add(l, 0, "%-20s%s", "Email:", p->email);
	lines_add(l, 0, "%-20s%s", "Employee ID:", p->employee_id);
	lines_add(l, 0, "%-20s%s", "Group:", p->group_name);
	lines_add(l, 0, "%-20s%s", "UPN:", p->upn);
	lines_add(l, 0, "%-20s%s", "Status:", p->status == CD_PS_ACTIVE ?
	    "active" : "disabled");
	lines_add(l, 0, "%-20s%s", "Roles:", roles);
	lines_add(l, 0, "%-20s%s", "Added:", when);
}

static void
vperson_load(struct vperson *v)
{
	struct tui *t = v->s.t;
	struct cd_request_filter rf;
	struct cd_device_filter df;
	struct cd_cert_filter cf;
	struct rowctx rc;
	struct cd_err err;
	char buf[512];
	int i, w = COLS - 3;

	for (i = 0; i < TV_MAX; i++) {
		lines_clear(&v->tv.l[i]);
		v->tv.tl[i].dirty = TL_ALL;
	}
	v->cols = COLS;
	v->tv.dirty = 1;
	if (cd_api_person_get(t->a, v->id, NULL, &v->p, &err) != 0) {
		lines_add(&v->tv.l[T_DETAILS], 0, "%s", err.msg);
		return;
	}
	v->loaded = 1;
	/* Too long for the title row: cut with "..." when drawn. */
	snprintf(v->s.title, sizeof(v->s.title), "View Person: %s (%s)",
	    v->p.full_name, v->p.logon);
	details(v);
	cd_request_filter_init(&rf);
	rf.person_id = v->id;
	rc.w = w;
	rc.l = &v->tv.l[T_REQUESTS];
	if (cd_api_request_search(t->a, &rf, tui_rows_request, &rc, &err) < 0)
		tui_error(t, &err);
	memset(&df, 0, sizeof(df));
	df.owner_id = v->id;
	rc.l = &v->tv.l[T_DEVICES];
	if (cd_api_device_list(t->a, &df, tui_rows_device, &rc, &err) < 0)
		tui_error(t, &err);
	cd_cert_filter_init(&cf);
	cf.person_id = v->id;
	rc.l = &v->tv.l[T_CERTS];
	if (cd_api_cert_list(t->a, &cf, tui_rows_cert, &rc, &err) < 0)
		tui_error(t, &err);
	tui_request_row(buf, sizeof(buf), NULL, w);
	cd_strlcpy(v->tv.head[T_REQUESTS], buf, sizeof(v->tv.head[0]));
	tui_device_row(buf, sizeof(buf), NULL, w);
	cd_strlcpy(v->tv.head[T_DEVICES], buf, sizeof(v->tv.head[0]));
	tui_cert_row(buf, sizeof(buf), NULL, w);
	cd_strlcpy(v->tv.head[T_CERTS], buf, sizeof(v->tv.head[0]));
}

static void
vperson_draw(struct screen *s, int full)
{
	struct vperson *v = (struct vperson *)s;

	if (full && v->cols != COLS)
		vperson_load(v);
	tabview_draw(&v->tv, full);
}

static const char *
vperson_keys(struct screen *s)
{
	struct vperson *v = (struct vperson *)s;
	int off = v->loaded && v->p.status == CD_PS_DISABLED;

	switch (v->tv.cur) {
	case T_REQUESTS:
	case T_CERTS:
		return off ? " Tab/^P tabs  Enter view request  n new request  "
		    "e enable  ? help  q back" : " Tab/^P tabs  Enter view "
		    "request  n new request  d disable  ? help  q back";
	case T_DEVICES:
		return off ? " Tab/^P tabs  Enter view device  n new request  "
		    "e enable  ? help  q back" : " Tab/^P tabs  Enter view "
		    "device  n new request  d disable  ? help  q back";
	default:
		return off ? " Tab/^P tabs  1-4 tab  n request soft certificate"
		    "  e enable  ? help  q back" : " Tab/^P tabs  1-4 tab  n "
		    "request soft certificate  d disable  ? help  q back";
	}
}

static void
vperson_cursor(struct screen *s)
{
	tabview_cursor(&((struct vperson *)s)->tv);
}

/* Choose a credential profile and make the request. */
static void
new_request(struct vperson *v)
{
	struct tui *t = v->s.t;
	int n = cd_api_nprofiles(t->a);
	const struct cd_profile *prof;
	const char **items;
	struct cd_err err;
	int64_t id;
	int i, k, status;

	if (!v->loaded || n == 0)
		return;
	if ((items = calloc((size_t)n, sizeof(*items))) == NULL)
		return;
	for (i = 0; i < n; i++)
		items[i] = cd_api_profile_at(t->a, i)->name;
	k = tui_menu(t, "Request soft certificate: credential profile",
	    items, n, 0);
	free(items);
	if (k < 0 || k == TUI_KEY_SIGNAL ||
	    (prof = cd_api_profile_at(t->a, k)) == NULL)
		return;
	if (cd_api_request_new(t->a, v->p.logon, prof->id, &id, &status,
	    &err) != 0) {
		tui_error(t, &err);
		return;
	}
	tui_status(t, "Request %lld made for %s: %s.", (long long)id,
	    v->p.full_name, cd_status_name(status));
	vperson_load(v);
	v->tv.cur = T_REQUESTS;
	if (status == CD_RS_AWAIT_COLLECTION)
		tui_open_request(t, id);
}

/*
 * The status change of v's person to status, on the person as stored now
 * (not as loaded: other fields may have changed since); flags as
 * cd_api_person_edit.  Returns its code; *revoked gets how many
 * certificates were revoked.
 */
static int
set_status(struct vperson *v, int status, unsigned flags, int *revoked,
    struct cd_err *err)
{
	struct cd_person p;
	int r;

	if ((r = cd_api_person_get(v->s.t->a, v->id, NULL, &p, err)) != 0)
		return r;
	p.status = status;
	return cd_api_person_edit(v->s.t->a, &p, flags, revoked, err);
}

/* After a change: the outcome on the status line, the screen reloaded. */
static void
status_done(struct vperson *v, int r, const struct cd_err *err,
    const char *done, int revoked)
{
	struct tui *t = v->s.t;
	char who[300];

	snprintf(who, sizeof(who), "%s (%s)", v->p.full_name, v->p.logon);
	vperson_load(v);
	if (r != 0)
		tui_error(t, err);
	else if (revoked > 0)
		tui_status(t, "%s %s; %d certificate%s revoked "
		    "(affiliationChanged).", who, done, revoked,
		    revoked == 1 ? "" : "s");
	else
		tui_status(t, "%s %s.", who, done);
}

/*
 * Disable: refused at once without the role; else a confirmation, then
 * the engine.  When it answers CD_E_CONFIRM (live certificates; its
 * message says how many), a second confirmation, then again with
 * CD_PE_REVOKE.  Cancelling either changes nothing.
 */
static void
disable_person(struct vperson *v)
{
	static const struct button b[] = {
		{ "Disable", 'd', 0, 0 },
		{ "Cancel", 'c', 1, 0 },
	};
	static const struct button rb[] = {
		{ "Revoke and disable", 'r', 0, 0 },
		{ "Cancel", 'c', 1, 0 },
	};
	struct tui *t = v->s.t;
	struct cd_err err;
	char text[CD_ERR_MSGLEN + 400];
	int r, n = 0;

	if (!v->loaded)
		return;
	if (v->p.status == CD_PS_DISABLED) {
		tui_status(t, "%s is already disabled (e enables).",
		    v->p.full_name);
		return;
	}
	if (cd_api_person_may_change(t->a, "person.edit", v->p.logon,
	    "status: disabled", &err) != 0) {
		tui_error(t, &err);
		return;
	}
	snprintf(text, sizeof(text), "Disable %s (%s)?  Their requests can "
	    "then no longer be approved, validated or collected.  If they "
	    "have live certificates, you are asked before those are revoked.",
	    v->p.full_name, v->p.logon);
	if (tui_choice(t, "Disable person", text, b, 2) != 0)
		return;
	r = set_status(v, CD_PS_DISABLED, 0, &n, &err);
	if (r == CD_E_CONFIRM) {
		snprintf(text, sizeof(text), "%s.  Disable %s and revoke "
		    "them?", cd_err_msg(&err), v->p.full_name);
		if (tui_choice(t, "Revoke certificates", text, rb, 2) != 0) {
			tui_status(t, "Nothing changed: %s is still active.",
			    v->p.full_name);
			return;
		}
		r = set_status(v, CD_PS_DISABLED, CD_PE_REVOKE, &n, &err);
	}
	status_done(v, r, &err, "disabled", n);
}

/* Enable a disabled person again (their revoked certificates stay so). */
static void
enable_person(struct vperson *v)
{
	static const struct button b[] = {
		{ "Enable", 'e', 0, 0 },
		{ "Cancel", 'c', 1, 0 },
	};
	struct tui *t = v->s.t;
	struct cd_err err;
	char text[400];
	int r;

	if (!v->loaded)
		return;
	if (v->p.status != CD_PS_DISABLED) {
		tui_status(t, "%s is active (d disables).", v->p.full_name);
		return;
	}
	if (cd_api_person_may_change(t->a, "person.edit", v->p.logon,
	    "status: active", &err) != 0) {
		tui_error(t, &err);
		return;
	}
	snprintf(text, sizeof(text), "Enable %s (%s) again?  Certificates "
	    "revoked when they were disabled stay revoked.", v->p.full_name,
	    v->p.logon);
	if (tui_choice(t, "Enable person", text, b, 2) != 0)
		return;
	r = set_status(v, CD_PS_ACTIVE, 0, NULL, &err);
	status_done(v, r, &err, "enabled", 0);
}

static int
vperson_key(struct screen *s, int ch)
{
	struct vperson *v = (struct vperson *)s;
	int64_t id;

	if (tabview_key(&v->tv, ch))
		return TUI_OK;
	switch (ch) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		if ((id = tlist_id(&v->tv.tl[v->tv.cur])) == 0)
			break;
		if (v->tv.cur == T_DEVICES)
			tui_open_device(s->t, id);
		else if (v->tv.cur != T_DETAILS)
			tui_open_request(s->t, id);
		break;
	case 'n':
		new_request(v);
		break;
	case 'd':
		disable_person(v);
		break;
	case 'e':
		enable_person(v);
		break;
	case TUI_CTRL('r'):
		vperson_load(v);
		break;
	case 'q':
	case TUI_ESC:
		return TUI_BACK;
	}
	return TUI_OK;
}

static void
vperson_reload(struct screen *s)
{
	struct vperson *v = (struct vperson *)s;
	int sel[TV_MAX], top[TV_MAX], i;

	for (i = 0; i < TV_MAX; i++) {
		sel[i] = v->tv.tl[i].sel;
		top[i] = v->tv.tl[i].top;
	}
	vperson_load(v);
	for (i = 0; i < TV_MAX; i++) {
		v->tv.tl[i].sel = sel[i] < v->tv.l[i].n ? sel[i] : 0;
		v->tv.tl[i].top = top[i];
	}
}

static void
vperson_free(struct screen *s)
{
	struct vperson *v = (struct vperson *)s;

	tabview_free(&v->tv);
	free(v);
}

static const struct screen_ops vperson_ops = {
	"View Person", person_help, vperson_keys, vperson_draw, NULL,
	vperson_cursor, vperson_key, vperson_reload, vperson_free
};

struct screen *
screen_person_new(struct tui *t, int64_t id)
{
	struct vperson *v;

	if ((v = calloc(1, sizeof(*v))) == NULL)
		return NULL;
	v->s.ops = &vperson_ops;
	v->s.t = t;
	v->id = id;
	tabview_init(&v->tv, tab_labels, 4);
	v->tv.tl[T_DETAILS].view = 1;
	v->tv.tl[T_REQUESTS].empty = "No requests.";
	v->tv.tl[T_DEVICES].empty = "No devices.";
	v->tv.tl[T_CERTS].empty = "No certificates.";
	vperson_load(v);
	return &v->s;
}
