/* SPDX-License-Identifier: ISC */
/*
 * drive.c - the collection driver: preview, prepare every delivery
 * target, begin, password, issue, package, deliver per target, commit;
 * on any failure or stop, cancel and let each target roll back.  The one
 * copy of the collection's sequence; the front-ends only answer its
 * questions (drive.h).  Uses the public collection API only.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-int.h"
#include "target.h"
#include "target-int.h"
#include "util.h"

#define NTARGETS (CD_STORE_SYSTEMSTORE + 1)
#define PW_MAX 256

struct cd_drive {
	struct cd_engine *e;		/* NULL when the steps run elsewhere */
	const struct cd_collect_ops *ops;
	void *src;			/* what ops->begin takes */
	const struct cd_conf *conf;
	void *h;			/* the attempt, after begin */
	const struct cd_drive_ui *ui;
	struct cd_drive_ui none;	/* when the caller gives no ui */
	struct cd_collect_preview pv;
	struct cd_collect *c;
	int own_c;			/* c is freed with the driver */
	void *state[NTARGETS];
	int begun;
	int deferred;			/* run_deferred done, finish not yet */
	char folder[CD_PATH_MAX];
	char undone[512];
};

static const struct cd_target_ops *const targets[NTARGETS] = {
	[CD_STORE_FILESTORE] = &cd_target_folder,
	[CD_STORE_AUTOSAVE] = &cd_target_usb,
	[CD_STORE_SYSTEMSTORE] = &cd_target_nss,
};

/*
 * Delivery order: the folder, then the personal store, then the USB
 * drive (the one a person may walk away from), so that a drive that
 * never comes fails last.
 */
static const int order[NTARGETS] = {
	CD_STORE_FILESTORE, CD_STORE_SYSTEMSTORE, CD_STORE_AUTOSAVE
};

const struct cd_target_ops *
cd_target_find(int storage)
{
	if (storage < 0 || storage >= NTARGETS)
		return NULL;
	return targets[storage];
}

/* ---- accessors ----------------------------------------------------------- */

const struct cd_collect_preview *
cd_drive_preview(const struct cd_drive *d)
{
	return &d->pv;
}

const char *
cd_drive_undone(const struct cd_drive *d)
{
	return d->undone;
}

int
cd_drive_begun(const struct cd_drive *d)
{
	return d->begun;
}

struct cd_collect *
cd_drive_collect(const struct cd_drive *d)
{
	return d->ops == &cd_collect_local ? d->c : NULL;
}

int
cd_drive_nitems(const struct cd_drive *d)
{
	return d->h != NULL ? d->ops->nitems(d->h) : d->pv.n;
}

const struct cd_collect_item *
cd_drive_item(const struct cd_drive *d, int i)
{
	if (i < 0 || i >= cd_drive_nitems(d))
		return NULL;
	return d->h != NULL ? d->ops->item(d->h, i) : &d->pv.items[i];
}

const struct cd_conf *
cd_drive_conf(const struct cd_drive *d)
{
	return d->conf;
}

const char *
cd_drive_folder(const struct cd_drive *d)
{
	return d->folder;
}

void
cd_drive_set_folder(struct cd_drive *d, const char *dir)
{
	cd_strlcpy(d->folder, dir, sizeof(d->folder));
}

struct cd_engine *
cd_drive_engine(const struct cd_drive *d)
{
	return d->e;
}

const struct cd_drive_ui *
cd_drive_ui(const struct cd_drive *d)
{
	return d->ui;
}

int
cd_drive_tick(struct cd_drive *d, struct cd_err *err)
{
	if (d == NULL || d->h == NULL || !d->begun)
		return 0;
	return d->ops->tick(d->h, err);
}

int
cd_drive_after_question(struct cd_drive *d, int r, struct cd_err *err)
{
	struct cd_err sub;
	int t;

	if ((t = cd_drive_tick(d, &sub)) == CD_E_LOST)
		return cd_err_set(err, t, "%s", sub.msg);
	return r;
}

/* ---- the attempt's steps, for the targets ----------------------------------- */

int
cd_dc_nitems(const struct cd_drive *d)
{
	return d->ops->nitems(d->h);
}

const struct cd_collect_item *
cd_dc_item(const struct cd_drive *d, int i)
{
	return d->ops->item(d->h, i);
}

int
cd_dc_package_data(const struct cd_drive *d, int i,
    const unsigned char **data, size_t *len, struct cd_err *err)
{
	return d->ops->package_data(d->h, i, data, len, err);
}

int
cd_dc_journal_file(struct cd_drive *d, const char *path,
    const unsigned char *data, size_t len, struct cd_err *err)
{
	return d->ops->journal_file(d->h, path, data, len, err);
}

int
cd_dc_item_delivered(struct cd_drive *d, int i, const char *location,
    struct cd_err *err)
{
	return d->ops->item_delivered(d->h, i, location, err);
}

int
cd_dc_progress(struct cd_drive *d, const char *what, int done, int total,
    struct cd_err *err)
{
	return d->ops->progress(d->h, what, done, total, err);
}

int
cd_dc_with_password(struct cd_drive *d,
    int (*fn)(void *arg, const char *pw, struct cd_err *err), void *arg,
    struct cd_err *err)
{
	return d->ops->with_password(d->h, fn, arg, err);
}

int
cd_dc_record_drive(struct cd_drive *d, const struct cd_usb_drive *dr,
    struct cd_err *err)
{
	return d->ops->record_drive(d->h, dr, err);
}

void
cd_dc_rollback_note(struct cd_drive *d, const char *text)
{
	d->ops->rollback_note(d->h, text);
}

/* ---- life ------------------------------------------------------------------ */

int
cd_drive_new_via(const struct cd_collect_ops *ops, void *src,
    const struct cd_conf *conf, int64_t request_id,
    const struct cd_drive_ui *ui, struct cd_drive **out, struct cd_err *err)
{
	struct cd_drive *d;
	int r;

	*out = NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	d->ops = ops;
	d->src = src;
	d->conf = conf;
	d->none.usb_wait_ms = -1;
	d->ui = ui != NULL ? ui : &d->none;
	if ((r = ops->preview(src, request_id, &d->pv, err)) != 0) {
		free(d);
		return r;
	}
	*out = d;
	return 0;
}

int
cd_drive_new(struct cd_engine *e, int64_t request_id,
    const struct cd_drive_ui *ui, struct cd_drive **out, struct cd_err *err)
{
	int r;

	if ((r = cd_drive_new_via(&cd_collect_local, e, cd_engine_conf(e),
	    request_id, ui, out, err)) == 0)
		(*out)->e = e;
	return r;
}

int
cd_drive_for_collect(struct cd_collect *c, struct cd_drive **out,
    struct cd_err *err)
{
	struct cd_drive *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	d->none.usb_wait_ms = -1;
	d->ui = &d->none;
	d->ops = &cd_collect_local;
	d->c = c;
	d->h = c;
	d->begun = 1;
	*out = d;
	return 0;
}

static void
release_targets(struct cd_drive *d)
{
	int m;

	for (m = 0; m < NTARGETS; m++)
		if (d->state[m] != NULL) {
			targets[m]->release(d->state[m]);
			d->state[m] = NULL;
		}
}

/* ---- the sequence ----------------------------------------------------------- */

static int
wanted(const struct cd_drive *d, int m)
{
	return (d->pv.storages & (1u << m)) != 0;
}

/* Before begin: every question and check that needs no certificate. */
static int
prepare(struct cd_drive *d, struct cd_err *err)
{
	int k, r;

	if (d->pv.blocked_code != 0)
		return cd_err_set(err, d->pv.blocked_code, "%s", d->pv.blocked);
	if (d->pv.user_pin && d->ui->password == NULL)
		return cd_err_set(err, CD_E_PASSWORD, "profile %s needs a "
		    "password set by the operator", d->pv.prof->id);
	for (k = 0; k < NTARGETS; k++)
		if (wanted(d, order[k]) && (r = targets[order[k]]->prepare(d,
		    &d->state[order[k]], err)) != 0)
			return r;
	return 0;
}

static int
begin(struct cd_drive *d, struct cd_err *err)
{
	int r;

	if ((r = d->ops->begin(d->src, d->pv.request_id, &d->h, err)) != 0)
		return r;
	if (d->ops == &cd_collect_local)
		d->c = d->h;
	d->own_c = 1;
	d->begun = 1;
	d->ops->set_progress(d->h, d->ui->progress, d->ui->arg);
	if (d->ui->begun != NULL)
		d->ui->begun(d->ui->arg, d);
	return 0;
}

static int
password(struct cd_drive *d, struct cd_err *err)
{
	char *pw;
	int r;

	if (!d->pv.user_pin)
		return d->ops->password(d->h, NULL, err);
	if ((pw = cd_secret_alloc(PW_MAX)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	r = d->ui->password(d->ui->arg, d, pw, PW_MAX, err);
	if ((r = cd_drive_after_question(d, r, err)) == 0)
		r = d->ops->password(d->h, pw, err);
	cd_secret_free(pw, PW_MAX);
	return r;
}

/* Each target in turn: get ready, write its items, finish. */
static int
deliver(struct cd_drive *d, struct cd_err *err)
{
	const struct cd_target_ops *t;
	const struct cd_collect_item *it;
	int k, m, i, r;

	if (d->ui->delivering != NULL)
		d->ui->delivering(d->ui->arg, d);
	for (k = 0; k < NTARGETS; k++) {
		m = order[k];
		if (!wanted(d, m))
			continue;
		t = targets[m];
		if (t->open != NULL && (r = t->open(d, d->state[m], err)) != 0)
			return r;
		for (i = 0; i < d->ops->nitems(d->h); i++) {
			it = d->ops->item(d->h, i);
			if ((int)it->policy->storage != m || it->delivered)
				continue;
			if ((r = t->write(d, d->state[m], i, err)) != 0)
				return r;
		}
		if (t->close != NULL && (r = t->close(d, d->state[m], err)))
			return r;
		if ((r = cd_drive_tick(d, err)) != 0)
			return r;
	}
	return 0;
}

static int
steps(struct cd_drive *d, struct cd_err *err)
{
	int r;

	if ((r = prepare(d, err)) != 0 || (r = begin(d, err)) != 0 ||
	    (r = password(d, err)) != 0 ||
	    (r = d->ops->issue(d->h, err)) != 0 ||
	    (r = d->ops->package(d->h, err)) != 0 ||
	    (r = deliver(d, err)) != 0)
		return r;
	/* A stop asked for during the last write still cancels. */
	return d->ops->progress(d->h, "Finishing...", 1, 1, err);
}

/* Cancel the attempt, then let each target undo what is left. */
static void
roll_back(struct cd_drive *d, const struct cd_err *why)
{
	struct cd_err sub;
	int m, removed = 0;
	size_t used;

	d->undone[0] = '\0';
	if (d->h == NULL)
		return;
	if (d->ops->cancel(d->h, why->msg[0] ? why->msg :
	    cd_strerror(why->code), d->undone, sizeof(d->undone), &sub) != 0)
		snprintf(d->undone, sizeof(d->undone), "%s", sub.msg);
	for (m = 0; m < NTARGETS; m++)
		if (d->state[m] != NULL && targets[m]->rollback != NULL)
			removed += targets[m]->rollback(d, d->state[m]);
	used = strlen(d->undone);
	if (removed > 0)
		snprintf(d->undone + used, sizeof(d->undone) - used, "%s%d more "
		    "file%s deleted", used ? "; " : "", removed,
		    removed == 1 ? "" : "s");
	if (d->undone[0] == '\0')
		cd_strlcpy(d->undone, "the collection was rolled back",
		    sizeof(d->undone));
}

/* A step failed (r, err): cancel, roll back, release the targets. */
static int
fail(struct cd_drive *d, int r, struct cd_err *err)
{
	d->deferred = 0;
	if (err->code == 0)
		err->code = r;
	if (r == CD_E_CANCELLED && d->ui->stopped != NULL)
		d->ui->stopped(d->ui->arg, err);
	roll_back(d, err);
	release_targets(d);
	return r;
}

/* Every step up to the commit; mailer: send the PIN mailer too. */
static int
run_until_commit(struct cd_drive *d, int mailer, struct cd_err *err)
{
	int r;

	cd_err_clear(err);
	d->undone[0] = '\0';
	if (d->h != NULL)
		return cd_err_set(err, CD_E_STATE, "this driver already ran");
	if ((r = steps(d, err)) != 0 || (mailer && d->ops->mailer_start !=
	    NULL && (r = d->ops->mailer_start(d->h, err)) != 0))
		return fail(d, r, err);
	d->deferred = 1;
	return 0;
}

int
cd_drive_run_deferred(struct cd_drive *d, struct cd_err *err)
{
	struct cd_err local;

	return run_until_commit(d, 1, err != NULL ? err : &local);
}

int
cd_drive_finish(struct cd_drive *d, struct cd_err *err)
{
	struct cd_err local;
	int m, r;

	if (err == NULL)
		err = &local;
	cd_err_clear(err);
	if (!d->deferred)
		return cd_err_set(err, CD_E_STATE, "nothing to finish: run the "
		    "driver first");
	if ((r = d->ops->commit(d->h, err)) != 0)
		return fail(d, r, err);
	d->deferred = 0;
	for (m = 0; m < NTARGETS; m++)
		if (d->state[m] != NULL && targets[m]->commit != NULL)
			targets[m]->commit(d, d->state[m]);
	release_targets(d);
	return 0;
}

int
cd_drive_run(struct cd_drive *d, struct cd_err *err)
{
	struct cd_err local;
	int r;

	if (err == NULL)
		err = &local;
	/* one request: the mailer is sent and followed by the commit */
	if ((r = run_until_commit(d, 0, err)) != 0)
		return r;
	return cd_drive_finish(d, err);
}

void
cd_drive_free(struct cd_drive *d)
{
	struct cd_err why;

	if (d == NULL)
		return;
	if (d->deferred) {
		cd_err_set(&why, CD_E_CANCELLED, "the collection was closed "
		    "before it finished");
		fail(d, CD_E_CANCELLED, &why);
	}
	release_targets(d);
	if (d->own_c)
		d->ops->free(d->h);
	free(d);
}

const char *
cd_drive_where(int storage)
{
	const struct cd_target_ops *t = cd_target_find(storage);

	return t != NULL ? t->where : "";
}
