/* SPDX-License-Identifier: ISC */
/*
 * usb.h - watch for USB drives (udev) and tell which one is ready for
 * AutoSave: mounted, read-write, empty apart from ignored names, with
 * free space.
 *
 * Single-threaded and poll-driven: a front-end adds the descriptors from
 * cd_usb_pollfds() to its own poll() loop and calls cd_usb_process() when
 * one is ready or the timeout passes; cd_usb_wait() is that loop for a
 * command line.  Pointers into the drive list stay valid until the next
 * cd_usb_process(), cd_usb_wait() or cd_usb_close().  Internal: the drive
 * record and the polling calls a UI makes are in usbdrive.h.
 */
#ifndef CD_USB_H
#define CD_USB_H

#include "certdesk/error.h"
#include "certdesk/usbdrive.h"

struct cd_usb_opts {
	const char *mountinfo;	/* NULL = /proc/self/mountinfo */
	int mount;		/* mount with udisksctl when not mounted */
	int poll_seconds;	/* re-check interval; <= 0 means 2 */
	int nignore;
	const char (*ignore)[64];	/* NULL = the built-in list */
	unsigned long long min_free;	/* bytes; 0 means 64 KiB */
};

/*
 * Start watching: the udev monitor is enabled before the drives present
 * now are enumerated, so none is missed.
 */
int cd_usb_open(const struct cd_usb_opts *o, struct cd_usb_watch **out,
    struct cd_err *err);

/*
 * Wait up to timeout_ms (-1 forever) for a ready drive.  cb (may be NULL)
 * is called once at the start, after every change, and when a signal
 * interrupts the wait; a non-zero return cancels (CD_E_CANCELLED).
 * CD_E_TIMEOUT when the time runs out.  On success *out is the drive.
 */
typedef int (*cd_usb_change_fn)(void *arg, const struct cd_usb_drive *list,
    int n);
int cd_usb_wait(struct cd_usb_watch *w, int timeout_ms, cd_usb_change_fn cb,
    void *arg, const struct cd_usb_drive **out, struct cd_err *err);

/*
 * Is the drive still there and mounted at the same place?  1 yes, 0 no.
 * Does not change the drive list.
 */
int cd_usb_still_present(struct cd_usb_watch *w, const struct cd_usb_drive *d);

/*
 * After a successful save: flush the filesystem (syncfs on the mount
 * point); when eject is set, "udisksctl unmount" and "udisksctl
 * power-off" the drive.
 */
int cd_usb_finish(struct cd_usb_watch *w, const struct cd_usb_drive *d,
    int eject, struct cd_err *err);

void cd_usb_close(struct cd_usb_watch *w);

#endif
