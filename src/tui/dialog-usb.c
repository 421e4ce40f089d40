/*
 * dialog-usb.c - the AutoSave wait: "Insert an empty USB drive", a live
 * list of the USB drives certdesk sees with the reason each one cannot
 * be used yet, and Cancel.  The drive watcher is the engine's (usb.h);
 * this dialog polls its descriptors together with the terminal, so keys,
 * resizes and heartbeats go on while it waits.  The first ready drive
 * gets the packages at once, through the engine.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "tui-int.h"
#include "usbdrive.h"
#include "cdutil.h"

#define USB_ROWS 8		/* drives listed; more are counted */
#define USB_W 76
#define USB_H (USB_ROWS + 8)

struct usbdlg {
	struct cd_usb_watch *w;
	int dirty;
	char msg[160];
};

/* "sdb1  Kingston DataTraveler (STICK)" */
static void
drive_name(char *buf, size_t len, const struct cd_usb_drive *d)
{
	const char *dev = strrchr(d->devnode, '/');

	snprintf(buf, len, "%s %s %s%s%s%s", dev != NULL ? dev + 1 :
	    d->devnode, d->vendor, d->model, d->label[0] ? " (" : "",
	    d->label, d->label[0] ? ")" : "");
}

static void
usb_rows(struct usbdlg *u, int y, int x)
{
	const struct cd_usb_drive *d;
	char name[512], row[700];
	int n, i;

	n = cd_usb_drives(u->w, &d);
	for (i = 0; i < USB_ROWS; i++) {
		row[0] = '\0';
		if (i < n && (i < USB_ROWS - 1 || n == USB_ROWS)) {
			drive_name(name, sizeof(name), &d[i]);
			tui_col(row, sizeof(row), name, 40);
			tui_col(row, sizeof(row), d[i].reason, USB_W - 46);
		} else if (i < n)
			snprintf(row, sizeof(row), "... and %d more", n - i);
		else if (i == 0)
			cd_strlcpy(row, "No USB drive found yet.", sizeof(row));
		tui_put(y + i, x, USB_W - 4, row);
	}
}

static void
usb_draw(void *arg, int full)
{
	struct usbdlg *u = arg;
	int y = (LINES - USB_H) / 2, x = (COLS - USB_W) / 2;
	char head[128] = "";

	if (!full && !u->dirty)
		return;
	if (full) {
		tui_box(y, x, USB_H, USB_W, "Waiting for a USB drive");
		tui_put(y + 1, x + 2, USB_W - 4, "Insert an empty USB drive. "
		    "The certificates are saved to the first");
		tui_put(y + 2, x + 2, USB_W - 4, "empty, writable USB drive "
		    "found.");
		tui_col(head, sizeof(head), "Drive", 40);
		tui_col(head, sizeof(head), "State", USB_W - 46);
		attron(A_UNDERLINE);
		tui_put(y + 4, x + 2, USB_W - 4, head);
		attroff(A_UNDERLINE);
	}
	usb_rows(u, y + 5, x + 2);
	attron(A_BOLD);
	tui_put(y + USB_H - 2, x + 2, USB_W - 4, u->msg);
	attroff(A_BOLD);
	u->dirty = 0;
}

static int
is_cancel(int ch)
{
	return ch == TUI_ESC || ch == TUI_KEY_SIGNAL || ch == 'c' ||
	    ch == 'C' || ch == 'q' || ch == 'x';
}

/* Wait for the terminal or the watcher, at most a second. */
static int
usb_poll(struct usbdlg *u, struct cd_err *err)
{
	struct pollfd fds[5];
	int n, tmo = -1, r;

	fds[0].fd = STDIN_FILENO;
	fds[0].events = POLLIN;
	n = cd_usb_pollfds(u->w, fds + 1, 4, &tmo);
	if (tmo < 0 || tmo > 1000)
		tmo = 1000;
	if (poll(fds, (nfds_t)n + 1, tmo) < 0 && errno != EINTR)
		return cd_err_set(err, CD_E_IO, "poll: %s", strerror(errno));
	if ((r = cd_usb_process(u->w, err)) < 0)
		return err->code != 0 ? err->code : CD_E_USB;
	if (r > 0)
		u->dirty = 1;
	return 0;
}

/* Save to the ready drive d, saying so while it happens. */
static int
usb_save(struct tui *t, struct usbdlg *u, struct cd_collect *c,
    const struct cd_usb_drive *d, struct cd_err *err)
{
	char name[512];

	drive_name(name, sizeof(name), d);
	snprintf(u->msg, sizeof(u->msg), "Saving to %.120s...", name);
	u->dirty = 1;
	tui_flush(t);
	return cd_collect_deliver_usb_drive(c, d, err);
}

int
usb_wait_dialog(struct tui *t, struct cd_collect *c, struct cd_err *err)
{
	struct usbdlg u;
	struct overlay o = { usb_draw, NULL, NULL, &u, NULL };
	const struct cd_usb_drive *d;
	int rc, ch;

	memset(&u, 0, sizeof(u));
	cd_strlcpy(u.msg, "c or ESC: cancel the collection", sizeof(u.msg));
	if ((rc = cd_collect_usb_watch(c, &u.w, err)) != 0)
		return rc;
	if (cd_usb_process(u.w, err) < 0)
		return err->code != 0 ? err->code : CD_E_USB;
	tui_overlay_push(t, &o);
	for (;;) {
		if ((d = cd_usb_ready(u.w)) != NULL) {
			rc = usb_save(t, &u, c, d, err);
			break;
		}
		ch = tui_waitkey(t, 0);
		if (is_cancel(ch)) {
			rc = cd_err_set(err, CD_E_CANCELLED, "The wait for a "
			    "USB drive was cancelled.");
			break;
		}
		if (ch == ERR && (rc = usb_poll(&u, err)) != 0)
			break;
	}
	tui_overlay_pop(t, &o);
	return rc;
}
