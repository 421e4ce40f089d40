/*
 * collect-usb.c - AutoSave delivery: wait for the first empty, mounted,
 * writable USB drive, save the packages to it atomically, sync it, and
 * record the drive as a device linked to the package.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect-int.h"
#include "usb.h"
#include "util.h"

int
cd_collect_usb_watch(struct cd_collect *c, struct cd_usb_watch **out,
    struct cd_err *err)
{
	const struct cd_conf *conf = c->e->conf;
	struct cd_usb_opts o;
	int r;

	if (c->usb == NULL) {
		memset(&o, 0, sizeof(o));
		o.mountinfo = getenv("CERTDESK_MOUNTINFO");
		o.mount = conf->usb_mount;
		o.poll_seconds = conf->usb_poll;
		o.nignore = conf->nignore;
		o.ignore = (const char (*)[64])conf->usb_ignore;
		o.min_free = 64 * 1024;
		if ((r = cd_usb_open(&o, &c->usb, err)) != 0)
			return r;
	}
	*out = c->usb;
	return 0;
}

void
cd_collect_usb_close(struct cd_collect *c)
{
	if (c->usb != NULL)
		cd_usb_close(c->usb);
	c->usb = NULL;
}

static int
record_drive(struct cd_collect *c, const struct cd_usb_drive *d,
    struct cd_err *err)
{
	struct cd_device dev;
	char obj[64];
	int r;

	memset(&dev, 0, sizeof(dev));
	cd_strlcpy(dev.type, "USB Drive", sizeof(dev.type));
	snprintf(dev.serial, sizeof(dev.serial), "%s", d->serial[0] ?
	    d->serial : d->uuid);
	dev.owner_id = c->person.id;
	cd_strlcpy(dev.status, "active", sizeof(dev.status));
	dev.created_at = cd_engine_now(c->e);
	snprintf(dev.detail, sizeof(dev.detail), "vendor %s, model %s, serial "
	    "%s, label %s, filesystem %s UUID %s", d->vendor, d->model,
	    d->serial, d->label, d->fstype, d->uuid);
	if ((r = c->e->so->device_add(c->e->st, &dev, err)) != 0)
		return r;
	c->usb_device_id = dev.id;
	snprintf(obj, sizeof(obj), "request %lld", (long long)c->req.id);
	return cd_audit(c->e, "collect.usb-drive", obj, "ok", "device %lld: "
	    "%s", (long long)dev.id, dev.detail) ? cd_err_set(err, CD_E_STORE,
	    "cannot record the USB drive") : 0;
}

int
cd_collect_deliver_usb_drive(struct cd_collect *c,
    const struct cd_usb_drive *d, struct cd_err *err)
{
	char where[CD_DETAIL_MAX];
	int i, r;

	if (c->stage != CD_CS_PACKAGED)
		return cd_err_set(err, CD_E_STATE, "the packages are not "
		    "ready to be saved");
	if (d == NULL || d->state != CD_USB_READY)
		return cd_err_set(err, CD_E_USB, "that USB drive is not ready");
	snprintf(where, sizeof(where), "USB drive %s%s%s: ",
	    d->label[0] ? d->label : d->model, d->serial[0] ? " serial " : "",
	    d->serial);
	for (i = 0; i < c->n; i++) {
		struct cd_coll_item *it = &c->items[i];

		if (it->pub.policy->storage != CD_STORE_AUTOSAVE ||
		    it->pub.delivered)
			continue;
		if ((r = cd_coll_progress(c, "Saving to the USB drive", i, c->n,
		    err)) != 0)
			return r;
		r = cd_coll_write_item(c, it, d->mountpoint, "collect.usb",
		    where, err);
		if (r != 0 && !cd_usb_still_present(c->usb, d))
			return cd_err_set(err, CD_E_USB, "the USB drive was "
			    "removed while saving %s", it->pub.file_name);
		if (r != 0)
			return r;
	}
	if ((r = cd_usb_finish(c->usb, d, c->e->conf->usb_eject, err)) != 0)
		return r;
	return record_drive(c, d, err);
}

int
cd_collect_deliver_usb(struct cd_collect *c, int timeout_ms,
    cd_usb_list_fn cb, void *arg, struct cd_err *err)
{
	struct cd_usb_watch *w;
	const struct cd_usb_drive *d = NULL;
	int slice = c->e->conf->attempt_timeout * 1000 / 3, left = timeout_ms;
	int r;

	if ((r = cd_collect_usb_watch(c, &w, err)) != 0)
		return r;
	/* Wait in slices, keeping the attempt alive for the sweep. */
	for (;;) {
		int t = left < 0 || left > slice ? slice : left;

		r = cd_usb_wait(w, t, cb, arg, &d, err);
		if (r != CD_E_TIMEOUT)
			break;
		if (left >= 0 && (left -= t) <= 0)
			return cd_err_set(err, r, "no empty USB drive appeared "
			    "within %d seconds", timeout_ms / 1000);
		if ((r = cd_coll_heartbeat(c, err)) != 0)
			return r;
	}
	if (r != 0)
		return r;
	return cd_collect_deliver_usb_drive(c, d, err);
}
