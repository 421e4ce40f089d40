/* SPDX-License-Identifier: ISC */
/*
 * usbdrive.h - the USB drives the engine's watcher sees, for a UI that
 * shows them while it waits for AutoSave: each drive with its state and
 * the reason it cannot be used yet, and the calls that let the UI poll
 * the watcher (cd_collect_usb_watch, collect.h) from its own event loop.
 * Pointers into the drive list stay valid until the next
 * cd_usb_process().  Public.
 */
#ifndef CD_USBDRIVE_H
#define CD_USBDRIVE_H

#include <poll.h>

#include "certdesk/error.h"

enum cd_usb_state {
	CD_USB_READY,		/* "ready" */
	/* "inserted, not mounted", or "mount failed: ..." */
	CD_USB_NOT_MOUNTED,
	CD_USB_NOT_EMPTY,	/* "not empty: N entries" */
	CD_USB_READ_ONLY,	/* "read-only", "not writable: ..." */
	CD_USB_FULL,		/* "full: N KiB free" */
	CD_USB_MOUNTING		/* "mounting..." */
};

struct cd_usb_drive {
	char syspath[512];
	char devnode[128];		/* "/dev/sdb1" */
	unsigned major, minor;
	char vendor[64], model[128], serial[128], label[128], uuid[64],
	    fstype[32];
	char mountpoint[1024];		/* "" when not mounted */
	int state;			/* enum cd_usb_state */
	int entries;			/* not ignored; -1 unknown */
	char reason[128];		/* operator-readable state */
};

struct cd_usb_watch;

/*
 * Descriptors to poll (udev monitor POLLIN, mount table POLLPRI, inotify
 * POLLIN, a running udisksctl's output POLLIN); returns how many were
 * written (at most max, 4 is always enough).  *timeout_ms (may be NULL)
 * is the longest to wait before calling cd_usb_process again, -1 when
 * only an event can change anything.
 */
int cd_usb_pollfds(struct cd_usb_watch *w, struct pollfd *fds, int max,
    int *timeout_ms);

/*
 * Drain events and re-evaluate every drive (the mount table is re-read on
 * every call).  Returns 1 if the drive list or any state changed, 0 if
 * not, < 0 on error.
 */
int cd_usb_process(struct cd_usb_watch *w, struct cd_err *err);

/* The drives seen now, in the order they appeared; returns the count. */
int cd_usb_drives(struct cd_usb_watch *w, const struct cd_usb_drive **list);

/* The first ready drive, or NULL. */
const struct cd_usb_drive *cd_usb_ready(struct cd_usb_watch *w);

#endif
