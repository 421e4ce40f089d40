/* SPDX-License-Identifier: ISC */
/*
 * screen-request.c - View Request: the request, its person, device,
 * credential profile, certificate policies with their storage methods,
 * certificates and history, with a button bar of the actions the engine
 * allows now (cd_request_actions) and, when Collect is missing, why.
 * Also the helpers other screens use to open requests, people, devices.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui-int.h"
#include "certdesk/cdutil.h"

struct vreq {
	struct screen s;
	int64_t id;
	struct cd_request r;
	struct cd_actions act;
	int loaded;
	struct lines text;
	struct tlist tl;
	struct bbar bb;
	int cols;		/* width the text was made for */
};

/* The actions, in the order the bar shows them, with their keys. */
static const struct action {
	unsigned act;
	const char *label;
	int key;
	const char *hint;	/* footer */
	const char *done;	/* "Request 5 approved." */
	const char *verb;	/* dialog title: "Cancel request 5" */
} actions[] = {
	{ CD_ACT_COLLECT, "Collect", 'c', "collect", NULL, "Collect" },
	{ CD_ACT_APPROVE, "Approve", 'a', "approve", "approved", "Approve" },
	{ CD_ACT_VALIDATE, "Validate", 'v', "validate", "validated",
	    "Validate" },
	{ CD_ACT_REJECT, "Reject", 'r', "reject", "rejected", "Reject" },
	{ CD_ACT_CANCEL, "Cancel Request", 'x', "cancel", "cancelled",
	    "Cancel" },
	{ CD_ACT_PRINT, "Print transport document", 't', "print", NULL,
	    "Print" },
};

static const char request_help[] =
    "View Request shows everything about one request.  The button bar "
    "holds the actions you may take on it now; those that do not fit "
    "are behind '...'.  When Collect is not offered, the line above the "
    "bar says why.\n"
    "\nKeys: c collect, a approve, v validate, r reject, x cancel "
    "request, t print transport document, . more actions, Left/Right "
    "and Enter the bar, Up/Down/PgUp/PgDn scroll, p view person, "
    "d view device, ^R reload, q back.";

/* ------------------------------------------------------------ helpers */

void
tui_person_text(struct tui *t, int64_t id, char *buf, size_t len)
{
	struct cd_person p;
	struct cd_err err;

	if (id != 0 && cd_api_person_get(t->a, id, NULL, &p, &err) == 0)
		snprintf(buf, len, "%s (%s)", p.full_name, p.logon);
	else
		snprintf(buf, len, id != 0 ? "person %lld" : "-",
		    (long long)id);
}

void
tui_request_row(char *buf, size_t len, const struct cd_request *r, int w)
{
	char id[24], when[32], who[2 * CD_FIELD_MAX];
	const char *tn = cd_request_type_name(CD_RT_SOFT_CERT);
	int date = w >= 100 ? 16 : 10, rem = w - 5 - 19 - date - 6;
	int type, wh, prof;

	if ((int)strlen(tn) + 34 > rem)
		tn = cd_request_type_short(CD_RT_SOFT_CERT);
	type = (int)strlen(tn);
	wh = (rem - type) * 3 / 5;
	prof = rem - type - wh;
	buf[0] = '\0';
	if (r == NULL) {
		snprintf(id, sizeof(id), "%5s", "ID");
		tui_col(buf, len, id, 5);
		tui_col(buf, len, "Who", wh);
		tui_col(buf, len, "Type", type);
		tui_col(buf, len, "Status", 19);
		tui_col(buf, len, "Profile", prof);
		tui_col(buf, len, "Created", date);
		return;
	}
	snprintf(id, sizeof(id), "%5lld", (long long)r->id);
	snprintf(who, sizeof(who), "%s", r->person_name[0] != '\0' ?
	    r->person_name : r->person_logon);
	cd_time_text(r->created_at, when, sizeof(when));
	when[date] = '\0';	/* the day alone below 100 columns */
	tui_col(buf, len, id, 5);
	tui_col(buf, len, who, wh);
	tui_col(buf, len, type == 8 ? cd_request_type_short(r->type) :
	    cd_request_type_name(r->type), type);
	tui_col(buf, len, cd_status_name(r->status), 19);
	tui_col(buf, len, r->profile, prof);
	tui_col(buf, len, when, date);
}

void
tui_open_request(struct tui *t, int64_t id)
{
	tui_push(t, screen_request_new(t, id));
}

void
tui_open_person(struct tui *t, int64_t id)
{
	tui_push(t, screen_person_new(t, id));
}

void
tui_open_device(struct tui *t, int64_t id)
{
	tui_push(t, screen_device_new(t, id));
}

/* ------------------------------------------------------------ loading */

static void
add_when(struct lines *l, const char *what, int64_t at, const char *who)
{
	char when[32];

	if (at == 0)
		return;
	cd_time_text(at, when, sizeof(when));
	lines_add(l, 0, "%-20s%s by %s", what, when, who);
}

static void
add_person(struct vreq *v)
{
	struct cd_person p;
	struct cd_err err;

	if (cd_api_person_get(v->s.t->a, v->r.person_id, NULL, &p, &err) != 0) {
		lines_add(&v->text, 0, "%-20s%s (%s)", "Person:",
		    v->r.person_name, err.msg);
		return;
	}
	lines_add(&v->text, 0, "%-20s%s (%s)", "Person:", p.full_name,
	    p.logon);
	lines_add(&v->text, 0, "%-20s%s%s%s", "", p.email,
	    p.group_name[0] != '\0' ? ", " : "", p.group_name);
}

static void
add_profile(struct vreq *v)
{
	const struct cd_profile *pr = tui_profile(v->s.t,
	    v->r.profile);
	struct lines *l = &v->text;
	int i;

	if (pr == NULL) {
		lines_add(l, 0, "%-20s%s (no longer in the configuration)",
		    "Credential profile:", v->r.profile);
		return;
	}
	lines_add(l, 0, "%-20s%s (%s)", "Credential profile:", pr->name,
	    pr->id);
	if (pr->description[0] != '\0')
		lines_wrap(l, "", 20, pr->description, COLS - 3);
	lines_add(l, 0, "%-20s%s", "Password:", pr->user_pin ?
	    "user-specified PIN, typed by the operator at collection" :
	    "generated, sent to the user by PIN mailer");
	lines_add(l, 0, "%-20sapproval %s, validation %s", "Needs:",
	    pr->need_approval ? "yes" : "no",
	    pr->need_validation ? "yes" : "no");
	lines_add(l, 0, "%s", "");
	lines_add(l, 0, "Certificate policies:");
	for (i = 0; i < pr->npolicies; i++) {
		const struct cd_policy *po = pr->policies[i];

		lines_add(l, 0, "  %-22s %-10s %4d days   %s", po->name,
		    cd_key_type_name(po->key_type), po->validity_days,
		    cd_storage_name(po->storage));
	}
}

/* Serial (up to 40 hex digits) and status, then policy and dates. */
static int
on_cert(const struct cd_cert *c, void *arg)
{
	struct lines *l = arg;
	char until[32], buf[512];

	cd_time_text(c->not_after, until, sizeof(until));
	lines_add(l, 0, "  %-40s %s", c->serial,
	    cd_cert_status_name(c->status));
	snprintf(buf, sizeof(buf), "%s, valid until %.10s", c->policy, until);
	lines_wrap(l, "", 6, buf, COLS - 3);
	if (c->location[0] != '\0')
		lines_wrap(l, "", 6, c->location, COLS - 3);
	if (c->status == CD_CS_REVOKED) {
		cd_time_text(c->revoked_at, until, sizeof(until));
		snprintf(buf, sizeof(buf), "revoked %s: %s", until,
		    c->revoke_reason[0] ? c->revoke_reason : "unspecified");
		lines_wrap(l, "", 6, buf, COLS - 3);
	}
	return 0;
}

static int
on_history(const struct cd_audit *a, void *arg)
{
	struct lines *l = arg;
	char when[32];

	cd_time_text(a->at, when, sizeof(when));
	lines_add(l, 0, "  %s %-16s %-18s %s", when, a->operator_, a->action,
	    a->outcome);
	if (a->detail[0] != '\0')
		lines_wrap(l, "", 6, a->detail, COLS - 3);
	return 0;
}

static void
add_device(struct vreq *v)
{
	struct cd_err err;
	struct cd_device d;

	if (v->r.device_id != 0 &&
	    cd_api_device_get(v->s.t->a, v->r.device_id, &d, &err) == 0)
		lines_add(&v->text, 0, "%-20s%lld  %s %s (%s)", "Device:",
		    (long long)d.id, d.type, d.serial, d.status);
}

static void
add_lists(struct vreq *v)
{
	struct cd_cert_filter cf;
	struct cd_err err;
	int n;

	lines_add(&v->text, 0, "%s", "");
	lines_add(&v->text, 0, "Certificates:");
	cd_cert_filter_init(&cf);
	cf.request_id = v->id;
	n = v->text.n;
	if (cd_api_cert_list(v->s.t->a, &cf, on_cert, &v->text, &err) < 0)
		lines_add(&v->text, 0, "  %s", err.msg);
	else if (n == v->text.n)
		lines_add(&v->text, 0, "  (none yet)");
	lines_add(&v->text, 0, "%s", "");
	lines_add(&v->text, 0, "History:");
	if (cd_api_request_history(v->s.t->a, v->id, on_history, &v->text,
	    &err) < 0)
		lines_add(&v->text, 0, "  %s", err.msg);
}

static void
build_bar(struct vreq *v)
{
	size_t i;

	bbar_clear(&v->bb);
	for (i = 0; i < CD_NELEM(actions); i++)
		if (v->act.allowed & actions[i].act)
			bbar_add(&v->bb, actions[i].label, actions[i].key,
			    (int)i, 0);
}

static void
vreq_load(struct vreq *v)
{
	struct cd_err err;
	struct lines *l = &v->text;

	lines_clear(l);
	v->loaded = 0;
	v->cols = COLS;
	memset(&v->act, 0, sizeof(v->act));
	if (cd_api_request_get(v->s.t->a, v->id, &v->r, &err) != 0 ||
	    cd_api_request_actions(v->s.t->a, v->id, &v->act, &err) != 0) {
		lines_add(l, 0, "%s", err.msg);
		build_bar(v);
		return;
	}
	v->loaded = 1;
	lines_add(l, 0, "%-20s%lld", "Request:", (long long)v->r.id);
	lines_add(l, 0, "%-20s%s", "Type:", cd_request_type_name(v->r.type));
	lines_add(l, 0, "%-20s%s", "Status:", cd_status_name(v->r.status));
	add_person(v);
	add_when(l, "Requested:", v->r.created_at, v->r.created_by);
	add_when(l, "Approved:", v->r.approved_at, v->r.approved_by);
	add_when(l, "Validated:", v->r.validated_at, v->r.validated_by);
	add_when(l, "Collected:", v->r.collected_at, v->r.collected_by);
	add_when(l, v->r.status == CD_RS_REJECTED ? "Rejected:" :
	    "Cancelled:", v->r.cancelled_at, v->r.cancelled_by);
	if (v->r.note[0] != '\0')
		lines_add(l, 0, "%-20s%s", "Note:", v->r.note);
	add_device(v);
	add_profile(v);
	add_lists(v);
	build_bar(v);
	v->tl.dirty = TL_ALL;
}

/* ------------------------------------------------------------ drawing */

/*
 * The button bar's width: the terminal's, or less with
 * CERTDESK_BAR_WIDTH (tests: more actions than fit, behind "...").
 */
static int
bar_width(void)
{
	const char *s = getenv("CERTDESK_BAR_WIDTH");
	int w = s != NULL ? atoi(s) : 0;

	return w >= 20 && w < COLS ? w : COLS;
}

/* Why Collect is missing, on the rows above the bar: 0, 1 or 2 rows. */
static int
draw_why(struct vreq *v, int draw)
{
	char buf[CD_FIELD_MAX + 64];
	struct lines l;
	int i, n;

	if (!v->loaded || (v->act.allowed & CD_ACT_COLLECT))
		return 0;
	snprintf(buf, sizeof(buf), "Collect is not available: %s.",
	    v->act.why_not_collect);
	memset(&l, 0, sizeof(l));
	lines_wrap(&l, "", 0, buf, COLS - 2);
	n = l.n > 2 ? 2 : l.n;
	for (i = 0; draw && i < n; i++) {
		attron(A_BOLD);
		/* a third line's text is cut: "..." */
		tui_put(tui_bar_row() - n + i, 1, COLS - 2, i == 1 && l.n > 2 ?
		    buf + strlen(l.v[0]) : l.v[i]);
		attroff(A_BOLD);
	}
	lines_clear(&l);
	return n;
}

static void
vreq_draw(struct screen *s, int full)
{
	struct vreq *v = (struct vreq *)s;
	int why, top;

	if (full && v->cols != COLS) {
		top = v->tl.top;
		vreq_load(v);
		v->tl.top = top;
	}
	if (full) {
		why = draw_why(v, 1);
		v->tl.y = TUI_BODY;
		v->tl.x = 1;
		v->tl.w = COLS - 2;
		v->tl.h = tui_bar_row() - TUI_BODY - why;
	}
	tlist_draw(&v->tl, full);
	if (full || v->bb.dirty)
		bbar_draw(&v->bb, tui_bar_row(), 0, bar_width(),
		    (int)CD_NELEM(v->bb.b));
}

static const char *
vreq_keys(struct screen *s)
{
	struct vreq *v = (struct vreq *)s;
	static char buf[256];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < CD_NELEM(actions); i++) {
		if (!(v->act.allowed & actions[i].act))
			continue;
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
		    " %c %s", actions[i].key, actions[i].hint);
	}
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
	    "%s p person%s ? help q back", v->bb.more ? " . more" : "",
	    v->r.device_id != 0 ? " d device" : "");
	return buf;
}

static void
vreq_cursor(struct screen *s)
{
	curs_set(0);
	move(tui_bar_row(), 1);
}

/* ------------------------------------------------------------ actions */

static void
decide(struct vreq *v, const struct action *a)
{
	struct tui *t = v->s.t;
	struct cd_err err;
	char note[CD_FIELD_MAX] = "", title[96];
	int r, rc;

	snprintf(title, sizeof(title), "%s request %lld", a->verb,
	    (long long)v->id);
	r = tui_prompt(t, title, "Note (optional):", note, sizeof(note), 0);
	if (r != 1)
		return;
	switch (a->act) {
	case CD_ACT_APPROVE:
		rc = cd_api_request_approve(t->a, v->id, note, &err);
		break;
	case CD_ACT_VALIDATE:
		rc = cd_api_request_validate(t->a, v->id, note, &err);
		break;
	case CD_ACT_REJECT:
		rc = cd_api_request_reject(t->a, v->id, note, &err);
		break;
	default:
		rc = cd_api_request_cancel(t->a, v->id, note, &err);
		break;
	}
	if (rc != 0)
		tui_error(t, &err);
	else
		tui_status(t, "Request %lld %s.", (long long)v->id, a->done);
	vreq_load(v);
	t->full = 1;
}

static int
run_action(struct vreq *v, int id)
{
	const struct action *a;

	if (id < 0 || id >= (int)CD_NELEM(actions))
		return TUI_OK;
	a = &actions[id];
	switch (a->act) {
	case CD_ACT_COLLECT:
		tui_push(v->s.t, screen_collect_new(v->s.t, v->id));
		break;
	case CD_ACT_PRINT:
		tui_print_transport(v->s.t, v->id);
		break;
	default:
		decide(v, a);
		break;
	}
	return TUI_OK;
}

static int
vreq_key(struct screen *s, int ch)
{
	struct vreq *v = (struct vreq *)s;
	int id;

	if (tlist_key(&v->tl, ch))
		return TUI_OK;
	switch (ch) {
	case '\t':
	case TUI_CTRL('n'):
		ch = KEY_RIGHT;
		break;
	case TUI_CTRL('p'):
		ch = KEY_LEFT;
		break;
	case TUI_ESC:
	case 'q':
		return TUI_BACK;
	case 'p':
		if (v->loaded)
			tui_open_person(s->t, v->r.person_id);
		return TUI_OK;
	case 'd':
		if (v->loaded && v->r.device_id != 0)
			tui_open_device(s->t, v->r.device_id);
		return TUI_OK;
	case TUI_CTRL('r'):
		vreq_load(v);
		s->t->full = 1;
		return TUI_OK;
	}
	v->bb.focused = 1;
	id = bbar_key(s->t, &v->bb, ch);
	if (id == TUI_KEY_SIGNAL)
		return TUI_QUIT;
	if (id < 0)
		return TUI_OK;
	return run_action(v, id);
}

static void
vreq_reload(struct screen *s)
{
	struct vreq *v = (struct vreq *)s;
	int top = v->tl.top;

	vreq_load(v);
	v->tl.top = top;
}

static void
vreq_free(struct screen *s)
{
	struct vreq *v = (struct vreq *)s;

	lines_clear(&v->text);
	free(v);
}

static const struct screen_ops vreq_ops = {
	"View Request", request_help, vreq_keys, vreq_draw, NULL,
	vreq_cursor, vreq_key, vreq_reload, vreq_free
};

struct screen *
screen_request_new(struct tui *t, int64_t id)
{
	struct vreq *v;

	if ((v = calloc(1, sizeof(*v))) == NULL)
		return NULL;
	v->s.ops = &vreq_ops;
	v->s.t = t;
	v->id = id;
	snprintf(v->s.title, sizeof(v->s.title), "View Request %lld",
	    (long long)id);
	tlist_init(&v->tl, &v->text, 1);
	v->bb.focused = 1;
	vreq_load(v);
	return &v->s;
}
