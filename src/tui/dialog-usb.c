/* SPDX-License-Identifier: ISC */
/*
 * dialog-usb.c - the AutoSave wait: "Insert an empty USB drive", a live
 * list of the USB drives certdesk sees with the reason each one cannot
 * be used yet, elapsed time, and Cancel.  The collection driver owns the
 * wait (its AutoSave target): it calls usb_dialog() at each phase and
 * usb_dialog_wait() to wait, which polls the watcher's descriptors
 * together with the terminal, so keys, resizes and heartbeats go on.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certdesk/drive.h"
#include "tui-int.h"
#include "certdesk/usbdrive.h"
#include "certdesk/cdutil.h"

#define USB_ROWS 8		/* drives listed; more are counted */
#define USB_W 76
#define USB_H (USB_ROWS + 8)

struct usbdlg {
	const struct cd_usb_drive *list;	/* the driver's, until the next change */
	int n;
	int dirty;
	time_t started;
	int spin;
	char msg[160];
};

/* One wait dialog at a time, driven by the collection driver's phases. */
static struct usbdlg dlg;
static struct overlay dlg_ov;
static int dlg_up;

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

	n = u->n;
	d = u->list;
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
	if (u->started != 0) {
		snprintf(head, sizeof(head), "%c waiting %lds", "|/-\\"[u->spin
		    % 4], (long)(time(NULL) - u->started));
		tui_put(y + USB_H - 3, x + 2, USB_W - 4, head);
	}
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

int
usb_dialog(struct tui *t, int phase, const struct cd_usb_drive *list, int n)
{
	char name[512];

	switch (phase) {
	case CD_DRIVE_USB_START:
		memset(&dlg, 0, sizeof(dlg));
		dlg.started = time(NULL);
		cd_strlcpy(dlg.msg, "c or ESC: cancel the collection",
		    sizeof(dlg.msg));
		memset(&dlg_ov, 0, sizeof(dlg_ov));
		dlg_ov.draw = usb_draw;
		dlg_ov.arg = &dlg;
		tui_overlay_push(t, &dlg_ov);
		dlg_up = 1;
		/* FALLTHROUGH */
	case CD_DRIVE_USB_LIST:
		dlg.list = list;
		dlg.n = n;
		dlg.dirty = 1;
		break;
	case CD_DRIVE_USB_SAVING:
		dlg.list = NULL;
		dlg.n = 0;
		if (n > 0) {
			drive_name(name, sizeof(name), list);
			snprintf(dlg.msg, sizeof(dlg.msg), "Saving to %.120s...",
			    name);
		}
		dlg.dirty = 1;
		tui_flush(t);
		break;
	case CD_DRIVE_USB_END:
		if (dlg_up)
			tui_overlay_pop(t, &dlg_ov);
		dlg_up = 0;
		break;
	}
	return tui_signalled != 0;
}

int
usb_dialog_wait(struct tui *t, struct pollfd *fds, int nfds, int ms)
{
	struct pollfd all[8];
	int ch, i, n = 0;

	ch = tui_waitkey(t, 0);
	if (is_cancel(ch))
		return 1;
	all[n].fd = STDIN_FILENO;
	all[n++].events = POLLIN;
	for (i = 0; i < nfds && n < (int)CD_NELEM(all); i++)
		all[n++] = fds[i];
	if (poll(all, (nfds_t)n, ms) < 0 && errno != EINTR)
		return CD_E_IO;
	for (i = 1; i < n; i++)
		fds[i - 1].revents = all[i].revents;
	dlg.spin++;
	dlg.dirty = 1;
	return tui_signalled != 0;
}
