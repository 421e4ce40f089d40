/* SPDX-License-Identifier: ISC */
/*
 * screen-device.c - View Device: tabs Details, Device Requests and
 * Certificates.  Enter on a request or certificate opens View Request;
 * 'o' opens the owner's View Person; 'r' revokes every certificate of
 * the package after a reason and a confirmation.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui-int.h"
#include "certdesk/cdutil.h"

enum { T_DETAILS, T_REQUESTS, T_CERTS };

static const char *const tab_labels[] = {
	"Details", "Device Requests", "Certificates"
};

struct vdevice {
	struct screen s;
	int64_t id;
	struct cd_device d;
	int loaded;
	int cols;
	struct tabview tv;
};

static const char device_help[] =
    "View Device shows one device (a soft certificate package or a USB "
    "drive): its Details, the Device Requests that produced it and its "
    "Certificates.\n"
    "\nKeys: Tab/^N/Right next tab, ^P/Left previous tab, 1-3 a tab, "
    "Up/Down choose, Enter view the request, o view the owner, r revoke "
    "every certificate of the package (revoke role; asks for a reason and "
    "a confirmation), ^R reload, q back.";

static void
details(struct vdevice *v)
{
	struct lines *l = &v->tv.l[T_DETAILS];
	char owner[2 * CD_FIELD_MAX], when[32], *p, *nl;

	tui_person_text(v->s.t, v->d.owner_id, owner, sizeof(owner));
	cd_time_text(v->d.created_at, when, sizeof(when));
	lines_add(l, 0, "%-20s%lld", "Device:", (long long)v->d.id);
	lines_add(l, 0, "%-20s%s", "Type:", v->d.type);
	lines_add(l, 0, "%-20s%s", "Serial number:", v->d.serial);
	lines_add(l, 0, "%-20s%s", "Owner:", owner);
	lines_add(l, 0, "%-20s%s", "Status:", v->d.status);
	lines_add(l, 0, "%-20s%s", "Created:", when);
	if (v->d.parent_id != 0)
		lines_add(l, 0, "%-20s%lld", "Stored on device:",
		    (long long)v->d.parent_id);
	lines_add(l, 0, "Detail:");
	for (p = v->d.detail; p != NULL && *p != '\0'; p = nl) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		lines_add(l, 0, "  %s", p);
	}
}

static void
vdevice_load(struct vdevice *v)
{
	struct tui *t = v->s.t;
	struct cd_request_filter rf;
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
	if (cd_api_device_get(t->a, v->id, &v->d, &err) != 0) {
		lines_add(&v->tv.l[T_DETAILS], 0, "%s", err.msg);
		return;
	}
	v->loaded = 1;
	/* Too long for the title row: cut with "..." when drawn. */
	snprintf(v->s.title, sizeof(v->s.title), "View Device %lld: %s %s",
	    (long long)v->d.id, v->d.type, v->d.serial);
	details(v);
	cd_request_filter_init(&rf);
	rf.device_id = v->id;
	rc.w = w;
	rc.l = &v->tv.l[T_REQUESTS];
	if (cd_api_request_search(t->a, &rf, tui_rows_request, &rc, &err) < 0)
		tui_error(t, &err);
	cd_cert_filter_init(&cf);
	cf.device_id = v->id;
	rc.l = &v->tv.l[T_CERTS];
	if (cd_api_cert_list(t->a, &cf, tui_rows_cert, &rc, &err) < 0)
		tui_error(t, &err);
	tui_request_row(buf, sizeof(buf), NULL, w);
	cd_strlcpy(v->tv.head[T_REQUESTS], buf, sizeof(v->tv.head[0]));
	tui_cert_row(buf, sizeof(buf), NULL, w);
	cd_strlcpy(v->tv.head[T_CERTS], buf, sizeof(v->tv.head[0]));
}

static void
vdevice_draw(struct screen *s, int full)
{
	struct vdevice *v = (struct vdevice *)s;

	if (full && v->cols != COLS)
		vdevice_load(v);
	tabview_draw(&v->tv, full);
}

static const char *
vdevice_keys(struct screen *s)
{
	if (((struct vdevice *)s)->tv.cur == T_DETAILS)
		return " Tab/^P tabs  1-3 tab  o owner  r revoke  ? help  q back";
	return " Tab/^P tabs  Enter view request  o owner  r revoke  ? help  "
	    "q back";
}

static void
vdevice_cursor(struct screen *s)
{
	tabview_cursor(&((struct vdevice *)s)->tv);
}

/* The reasons offered, in the engine's names. */
static const char *const reason_items[] = {
	"keyCompromise", "affiliationChanged", "superseded",
	"cessationOfOperation", "certificateHold", "privilegeWithdrawn",
	"unspecified"
};

/* Revoke: a reason, a confirmation, then the engine decides. */
static void
vdevice_revoke(struct vdevice *v)
{
	static const struct button b[] = {
		{ "Revoke", 'r', 0, 0 },
		{ "Cancel", 'c', 1, 0 },
	};
	struct tui *t = v->s.t;
	struct cd_err err;
	char text[512];
	int k, n = 0, r;

	if (!v->loaded)
		return;
	k = tui_menu(t, "Revoke: reason", reason_items,
	    (int)CD_NELEM(reason_items), 0);
	if (k < 0 || k == TUI_KEY_SIGNAL || k >= (int)CD_NELEM(reason_items))
		return;
	snprintf(text, sizeof(text), "Revoke every certificate of device "
	    "%lld (%s %s) with reason %s?  Only certificateHold can be "
	    "released later.", (long long)v->d.id, v->d.type, v->d.serial,
	    reason_items[k]);
	if (tui_choice(t, "Revoke certificates", text, b, 2) != 0)
		return;
	r = cd_api_device_revoke(t->a, v->id, cd_crl_reason_parse(
	    reason_items[k]), &n, &err);
	if (r != 0)
		tui_error(t, &err);
	else
		tui_status(t, "%d certificate%s revoked (%s)", n, n == 1 ? "" :
		    "s", reason_items[k]);
	vdevice_load(v);
}

static int
vdevice_key(struct screen *s, int ch)
{
	struct vdevice *v = (struct vdevice *)s;
	int64_t id;

	if (tabview_key(&v->tv, ch))
		return TUI_OK;
	switch (ch) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (v->tv.cur != T_DETAILS &&
		    (id = tlist_id(&v->tv.tl[v->tv.cur])) != 0)
			tui_open_request(s->t, id);
		break;
	case 'o':
		if (v->loaded && v->d.owner_id != 0)
			tui_open_person(s->t, v->d.owner_id);
		break;
	case 'r':
		vdevice_revoke(v);
		break;
	case TUI_CTRL('r'):
		vdevice_load(v);
		break;
	case 'q':
	case TUI_ESC:
		return TUI_BACK;
	}
	return TUI_OK;
}

static void
vdevice_reload(struct screen *s)
{
	struct vdevice *v = (struct vdevice *)s;
	int sel[TV_MAX], i;

	for (i = 0; i < TV_MAX; i++)
		sel[i] = v->tv.tl[i].sel;
	vdevice_load(v);
	for (i = 0; i < TV_MAX; i++)
		v->tv.tl[i].sel = sel[i] < v->tv.l[i].n ? sel[i] : 0;
}

static void
vdevice_free(struct screen *s)
{
	struct vdevice *v = (struct vdevice *)s;

	tabview_free(&v->tv);
	free(v);
}

static const struct screen_ops vdevice_ops = {
	"View Device", device_help, vdevice_keys, vdevice_draw, NULL,
	vdevice_cursor, vdevice_key, vdevice_reload, vdevice_free
};

struct screen *
screen_device_new(struct tui *t, int64_t id)
{
	struct vdevice *v;

	if ((v = calloc(1, sizeof(*v))) == NULL)
		return NULL;
	v->s.ops = &vdevice_ops;
	v->s.t = t;
	v->id = id;
	tabview_init(&v->tv, tab_labels, 3);
	v->tv.tl[T_DETAILS].view = 1;
	v->tv.tl[T_REQUESTS].empty = "No requests.";
	v->tv.tl[T_CERTS].empty = "No certificates.";
	vdevice_load(v);
	return &v->s;
}
