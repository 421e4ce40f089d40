/* SPDX-License-Identifier: ISC */
/*
 * target-usb.c - the AutoSave delivery target: wait for the first empty,
 * mounted, writable USB drive, save the packages to it atomically, sync
 * (and eject) it, and record the drive as a device of the package.  The
 * watcher is opened before anything is issued, so a station that cannot
 * watch for drives fails first.  While it waits, the front-end's wait
 * hook runs (keys, a dialog) and the attempt is kept alive.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine-int.h"
#include "target.h"
#include "target-int.h"
#include "usb.h"
#include "util.h"

struct usb_st {
	struct cd_usb_watch *w;
	struct cd_usb_drive drive;	/* the one being written */
	int shown;			/* the wait dialog is up */
	struct cd_tgt_written written;
};

static int
usb_prepare(struct cd_drive *d, void **state, struct cd_err *err)
{
	const struct cd_conf *conf = cd_drive_conf(d);
	struct cd_usb_opts o;
	struct usb_st *st;

	if (cd_drive_ui(d)->usb == NULL)
		return cd_err_set(err, CD_E_INVAL, "this package has AutoSave "
		    "certificates and nobody is there to insert a USB drive");
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	*state = st;
	memset(&o, 0, sizeof(o));
	o.mountinfo = getenv("CERTDESK_MOUNTINFO");
	o.mount = conf->usb_mount;
	o.poll_seconds = conf->usb_poll;
	o.nignore = conf->nignore;
	o.ignore = (const char (*)[64])conf->usb_ignore;
	o.min_free = 64 * 1024;
	return cd_usb_open(&o, &st->w, err);
}

static int
tell(struct cd_drive *d, struct usb_st *st, int phase,
    const struct cd_usb_drive *list, int n)
{
	const struct cd_drive_ui *ui = cd_drive_ui(d);

	if (phase == CD_DRIVE_USB_START)
		st->shown = 1;
	if (phase == CD_DRIVE_USB_END) {
		if (!st->shown)
			return 0;
		st->shown = 0;
	}
	return ui->usb(ui->arg, d, phase, list, n);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One round of waiting: the front-end's hook or poll(2), then changes. */
static int
wait_round(struct cd_drive *d, struct usb_st *st, int left,
    struct cd_err *err)
{
	const struct cd_drive_ui *ui = cd_drive_ui(d);
	const struct cd_usb_drive *list;
	struct pollfd fds[4];
	int n, tmo = -1, r;

	n = cd_usb_pollfds(st->w, fds, 4, &tmo);
	if (tmo < 0 || tmo > 1000)
		tmo = 1000;
	if (left >= 0 && tmo > left)
		tmo = left;
	if (ui->wait != NULL)
		r = ui->wait(ui->arg, d, fds, n, tmo);
	else
		r = poll(fds, (nfds_t)n, tmo) < 0 && errno != EINTR ?
		    cd_err_set(err, CD_E_IO, "poll: %s", strerror(errno)) : 0;
	if (r > 0 || r == CD_E_CANCELLED)
		return cd_err_set(err, CD_E_CANCELLED, "the wait for a USB "
		    "drive was cancelled");
	if (r != 0 || (r = cd_drive_tick(d, err)) != 0)
		return r;
	if ((r = cd_usb_process(st->w, err)) < 0)
		return err != NULL && err->code != 0 ? err->code : CD_E_USB;
	if (r > 0) {
		n = cd_usb_drives(st->w, &list);
		if (tell(d, st, CD_DRIVE_USB_LIST, list, n) != 0)
			return cd_err_set(err, CD_E_CANCELLED, "the wait for a "
			    "USB drive was cancelled");
	}
	return 0;
}

/* Wait for the first ready drive. */
static int
usb_open(struct cd_drive *d, void *state, struct cd_err *err)
{
	const struct cd_drive_ui *ui = cd_drive_ui(d);
	const struct cd_usb_drive *list, *ready;
	struct usb_st *st = state;
	int64_t deadline = ui->usb_wait_ms < 0 ? -1 : now_ms() +
	    ui->usb_wait_ms;
	int n, r, left;

	if ((r = cd_usb_process(st->w, err)) < 0)
		return err != NULL && err->code != 0 ? err->code : CD_E_USB;
	n = cd_usb_drives(st->w, &list);
	if (tell(d, st, CD_DRIVE_USB_START, list, n) != 0)
		return cd_err_set(err, CD_E_CANCELLED, "the wait for a USB "
		    "drive was cancelled");
	while ((ready = cd_usb_ready(st->w)) == NULL) {
		left = -1;
		if (deadline >= 0 && (left = (int)(deadline - now_ms())) <= 0)
			return cd_err_set(err, CD_E_TIMEOUT, "no empty USB "
			    "drive appeared within %d seconds",
			    ui->usb_wait_ms / 1000);
		if ((r = wait_round(d, st, left, err)) != 0)
			return r;
	}
	st->drive = *ready;
	if (tell(d, st, CD_DRIVE_USB_SAVING, &st->drive, 1) != 0)
		return cd_err_set(err, CD_E_CANCELLED, "the wait for a USB "
		    "drive was cancelled");
	return 0;
}

static int
usb_write(struct cd_drive *d, void *state, int i, struct cd_err *err)
{
	struct usb_st *st = state;
	const struct cd_usb_drive *dr = &st->drive;
	char where[CD_DETAIL_MAX];
	int r;

	if ((r = cd_dc_progress(d, "Saving to the USB drive", i,
	    cd_dc_nitems(d), err)) != 0)
		return r;
	snprintf(where, sizeof(where), "USB drive %s%s%s: ",
	    dr->label[0] ? dr->label : dr->model, dr->serial[0] ? " serial " :
	    "", dr->serial);
	r = cd_tgt_write_file(d, &st->written, dr->mountpoint, i, 1, where,
	    err);
	if (r != 0 && !cd_usb_still_present(st->w, dr))
		return cd_err_set(err, CD_E_USB, "the USB drive was removed "
		    "while saving %s", cd_dc_item(d, i)->file_name);
	return r;
}

static int
usb_close(struct cd_drive *d, void *state, struct cd_err *err)
{
	struct usb_st *st = state;
	const struct cd_conf *conf = cd_drive_conf(d);
	int r;

	if ((r = cd_usb_finish(st->w, &st->drive, conf->usb_eject, err)) != 0)
		return r;
	tell(d, st, CD_DRIVE_USB_END, NULL, 0);
	return cd_dc_record_drive(d, &st->drive, err);
}

static int
usb_rollback(struct cd_drive *d, void *state)
{
	struct usb_st *st = state;

	tell(d, st, CD_DRIVE_USB_END, NULL, 0);
	return cd_tgt_written_remove(&st->written);
}

static void
usb_commit(struct cd_drive *d, void *state)
{
	struct usb_st *st = state;

	tell(d, st, CD_DRIVE_USB_END, NULL, 0);
	st->written.n = 0;
}

static void
usb_release(void *state)
{
	struct usb_st *st = state;

	if (st->w != NULL)
		cd_usb_close(st->w);
	free(st);
}

const struct cd_target_ops cd_target_usb = {
	"AutoSave", CD_STORE_AUTOSAVE,
	CD_TGT_ROLLBACK_REMOVES | CD_TGT_NEEDS_PERSON,
	"first empty USB drive",
	usb_prepare, usb_open, usb_write, usb_close, usb_commit,
	usb_rollback, usb_release
};
