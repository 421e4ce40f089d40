/* SPDX-License-Identifier: ISC */
/*
 * collect-deliver.c - the attempt's side of delivery: the calls the
 * collection driver and its targets (drive.c, target-*.c) make to read a
 * package, journal a file before writing it, say an item was delivered,
 * record a USB drive, and the read-only preview of a collection that the
 * Collect dialog shows and the driver checks before anything is issued.
 * The targets themselves never see the attempt's internals.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect-int.h"
#include "fname.h"
#include "password.h"
#include "subst.h"
#include "usb.h"
#include "util.h"

static int
packaged(const struct cd_collect *c, int i, struct cd_err *err)
{
	if (c->stage != CD_CS_PACKAGED)
		return cd_err_set(err, CD_E_STATE, "the packages are not "
		    "ready to be saved");
	if (i < 0 || i >= c->n)
		return cd_err_set(err, CD_E_INVAL, "no item %d", i);
	return 0;
}

int
cd_collect_package_data(const struct cd_collect *c, int i,
    const unsigned char **data, size_t *len, struct cd_err *err)
{
	int r;

	if ((r = packaged(c, i, err)) != 0)
		return r;
	*data = c->items[i].p12;
	*len = c->items[i].p12len;
	return 0;
}

int
cd_collect_journal_file(struct cd_collect *c, const char *path,
    const unsigned char *data, size_t len, struct cd_err *err)
{
	if (c->stage != CD_CS_PACKAGED)
		return cd_err_set(err, CD_E_STATE, "the packages are not "
		    "ready to be saved");
	if (path == NULL || path[0] != '/')
		return cd_err_set(err, CD_E_INVAL, "the journal takes "
		    "absolute paths only");
	return cd_coll_journal(c, path, data, len, err);
}

int
cd_collect_item_delivered(struct cd_collect *c, int i, const char *location,
    struct cd_err *err)
{
	static const char *const action[] = {
		[CD_STORE_FILESTORE] = "collect.file",
		[CD_STORE_AUTOSAVE] = "collect.usb",
		[CD_STORE_SYSTEMSTORE] = "collect.systemstore",
	};
	int r, st;

	if ((r = packaged(c, i, err)) != 0)
		return r;
	st = c->items[i].pub.policy->storage;
	if (st < 0 || st >= (int)CD_NELEM(action) || action[st] == NULL)
		return cd_err_set(err, CD_E_INTERNAL, "unknown storage");
	return cd_coll_delivered(c, &c->items[i], location, action[st], err);
}

int
cd_collect_progress(struct cd_collect *c, const char *what, int done,
    int total, struct cd_err *err)
{
	return cd_coll_progress(c, what, done, total, err);
}

int
cd_collect_with_password(struct cd_collect *c,
    int (*fn)(void *arg, const char *pw, struct cd_err *err), void *arg,
    struct cd_err *err)
{
	int r;

	if (c->pw == NULL || c->stage != CD_CS_PACKAGED)
		return cd_err_set(err, CD_E_STATE, "the packages are not "
		    "ready to be saved");
	/* the personal store's import is outside the file journal */
	if ((r = cd_coll_durable(c, err)) != 0)
		return r;
	return fn(arg, c->pw, err);
}

int
cd_collect_record_drive(struct cd_collect *c, const struct cd_usb_drive *d,
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

void
cd_collect_rollback_note(struct cd_collect *c, const char *text)
{
	size_t used = strlen(c->nss_note);

	if (used + 1 < sizeof(c->nss_note))
		cd_strlcpy(c->nss_note + used, text, sizeof(c->nss_note) - used);
}

/* ---- preview ------------------------------------------------------------- */

/* What makes a profile's collection fail whatever the operator does. */
static int
profile_blocked(struct cd_engine *e, const struct cd_profile *prof,
    char *why, size_t len)
{
	struct cd_err sub;
	int r;

	if (prof->user_pin)
		return 0;
	if (prof->pin_mailer_template[0] == '\0') {
		snprintf(why, len, "profile %s generates the password but has "
		    "no PIN mailer template, so nobody could tell the user the "
		    "password", prof->id);
		return CD_E_CONFIG;
	}
	if ((r = cd_eng_print_ready(e, 1, &sub)) != 0) {
		snprintf(why, len, "profile %s generates the password, which "
		    "only a printed PIN mailer tells the user: %s", prof->id,
		    sub.msg);
		return r;
	}
	return 0;
}

int
cd_collect_profile_check(struct cd_engine *e, const char *profile_id,
    struct cd_err *err)
{
	const struct cd_profile *prof;
	char why[CD_ERR_MSGLEN];
	int r;

	if ((prof = cd_conf_profile(e->conf, profile_id)) == NULL)
		return cd_err_set(err, CD_E_NOTFOUND, "no credential profile "
		    "'%s'", profile_id);
	if ((r = profile_blocked(e, prof, why, sizeof(why))) != 0)
		return cd_err_set(err, r, "%s", why);
	return 0;
}

/* The generated file names, as cd_collect_begin would make them now. */
static int
preview_names(struct cd_engine *e, const struct cd_request *req,
    const struct cd_person *person, struct cd_collect_preview *p,
    struct cd_err *err)
{
	char names[CD_MAX_POLICIES_PER_PROFILE][CD_FIELD_MAX];
	struct cd_subst_ctx ctx;
	int i, r;

	for (i = 0; i < p->n; i++) {
		memset(&ctx, 0, sizeof(ctx));
		ctx.person = person;
		ctx.policy_name = p->items[i].policy->name;
		ctx.request_id = req->id;
		ctx.serial = "";
		ctx.now = cd_engine_now(e);
		if ((r = cd_fname_make(e->conf->filename_format, &ctx,
		    names[i], sizeof(names[i]), err)) != 0)
			return r;
	}
	cd_fname_dedupe(names, p->n);
	for (i = 0; i < p->n; i++)
		cd_strlcpy(p->items[i].file_name, names[i],
		    sizeof(p->items[i].file_name));
	return 0;
}

static int
preview(struct cd_engine *e, int64_t id, struct cd_collect_preview *p,
    struct cd_err *err)
{
	struct cd_request req;
	struct cd_person person;
	char buf[CD_FIELD_MAX];
	int i, r;

	memset(p, 0, sizeof(*p));
	if ((r = e->so->request_get(e->st, id, &req, err)) != 0)
		return r == CD_E_NOTFOUND ? cd_err_set(err, r,
		    "no request %lld", (long long)id) : r;
	if (req.status == CD_RS_BEING_COLLECTED)
		return cd_err_set(err, CD_E_BUSY, "request %lld is %s",
		    (long long)id, cd_eng_holder_text(e, id, buf,
		    sizeof(buf)));
	if ((r = cd_eng_collect_refusal(e, &req, buf, sizeof(buf))) != 0)
		return cd_err_set(err, r, "request %lld cannot be collected: "
		    "%s", (long long)id, buf);
	if ((r = e->so->person_get(e->st, req.person_id, NULL, &person,
	    err)) != 0)
		return r;
	if ((p->prof = cd_conf_profile(e->conf, req.profile)) == NULL)
		return cd_err_set(err, CD_E_CONFIG, "request %lld names the "
		    "credential profile '%s', which is no longer configured",
		    (long long)id, req.profile);
	p->request_id = id;
	cd_strlcpy(p->person_name, person.full_name, sizeof(p->person_name));
	cd_strlcpy(p->person_logon, person.logon, sizeof(p->person_logon));
	p->user_pin = p->prof->user_pin;
	p->n = p->prof->npolicies;
	for (i = 0; i < p->n; i++) {
		p->items[i].policy = p->prof->policies[i];
		p->storages |= 1u << p->prof->policies[i]->storage;
	}
	p->blocked_code = profile_blocked(e, p->prof, p->blocked,
	    sizeof(p->blocked));
	return preview_names(e, &req, &person, p, err);
}

/*
 * A preview takes nothing and records nothing, but a refusal is audited
 * as the collection's begin would be.
 */
int
cd_collect_preview(struct cd_engine *e, int64_t id,
    struct cd_collect_preview *p, struct cd_err *err)
{
	char obj[64];
	int r;

	if ((r = preview(e, id, p, err)) != 0 && r != CD_E_NOMEM &&
	    r != CD_E_STORE) {
		snprintf(obj, sizeof(obj), "request %lld", (long long)id);
		cd_audit(e, "collect.begin", obj, "refused", "%s", err ?
		    err->msg : cd_strerror(r));
	}
	return r;
}

int
cd_collect_preview_password(const struct cd_collect_preview *p,
    const char *pw, struct cd_err *err)
{
	return cd_pw_check(&p->prof->pw, pw, err);
}
