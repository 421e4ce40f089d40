/* SPDX-License-Identifier: ISC */
/*
 * api-collect-server.c - the collection transaction over certdeskd, as
 * the driver's steps (struct cd_collect_ops, drive.h): the server takes
 * the request, issues and packages; this side (the operator's process)
 * writes the files, imports into the operator's store and waits for USB
 * drives, reporting each file to the server before writing it and
 * recording it in the client's own journal (api-journal.c): certdeskd
 * never touches the operator's files, this side rolls them back.
 *
 * A typed password is sent once and kept here only in secret memory for
 * a SystemStore import; a generated one never reaches this process.
 * Progress and stop requests are this side's own.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "api-int.h"
#include "conf.h"
#include "json-collect.h"
#include "journal.h"
#include "json-model.h"
#include "certdesk/usbdrive.h"
#include "util.h"

#define PW_MAX 256

struct remote {
	struct cd_api *a;
	int64_t id;			/* the server's collection id */
	int64_t attempt;		/* the engine's attempt id */
	int64_t request;
	struct cdj_profile_buf prof;
	int n;
	struct cd_collect_item items[CD_MAX_POLICIES_PER_PROFILE];
	unsigned char *p12[CD_MAX_POLICIES_PER_PROFILE];
	size_t p12len[CD_MAX_POLICIES_PER_PROFILE];
	char *pw;			/* typed password, secret memory */
	cd_progress_fn progress;
	void *parg;
	time_t beat;			/* last heartbeat sent */
	int ended;			/* committed or cancelled */
	int commit_tried;		/* its outcome may be unknown here */
	char note[512];
};

static void
path_of(char *buf, size_t len, const struct remote *x, const char *step)
{
	snprintf(buf, len, "/v1/collections/%lld/%s", (long long)x->id, step);
}

static int
post(struct remote *x, const char *step, json_t *body, json_t **out,
    struct cd_err *err)
{
	char path[96];

	path_of(path, sizeof(path), x, step);
	return cd_srv_call(x->a, "POST", path, body != NULL ? body :
	    json_object(), out, err);
}

static int
items_parse(struct remote *x, const json_t *reply, int with_p12,
    struct cd_err *err)
{
	const json_t *arr = json_object_get(reply, "items"), *v;
	const char *b64;
	size_t i, blen;
	int r, len;

	if (!json_is_array(arr) || json_array_size(arr) >
	    CD_MAX_POLICIES_PER_PROFILE)
		return cd_err_set(err, CD_E_INTERNAL, "certdeskd sent no items");
	for (i = 0; i < json_array_size(arr); i++) {
		v = json_array_get(arr, i);
		if ((r = cdj_collect_item_parse(v, &x->prof, &x->items[i],
		    err)) != 0)
			return r;
		if (!with_p12)
			continue;
		if (!json_is_string(json_object_get(v, "pkcs12")))
			return cd_err_set(err, CD_E_INTERNAL, "certdeskd sent "
			    "no package for item %zu", i);
		b64 = json_string_value(json_object_get(v, "pkcs12"));
		blen = strlen(b64);
		free(x->p12[i]);
		if ((x->p12[i] = malloc(blen / 4 * 3 + 3)) == NULL)
			return cd_err_set(err, CD_E_NOMEM, NULL);
		if (blen % 4 != 0 || (len = EVP_DecodeBlock(x->p12[i],
		    (const unsigned char *)b64, (int)blen)) < 0)
			return cd_err_set(err, CD_E_INTERNAL, "certdeskd sent "
			    "a package that is not base64");
		while (blen > 0 && b64[blen - 1] == '=') {
			blen--;
			len--;
		}
		x->p12len[i] = (size_t)len;
	}
	x->n = (int)i;
	return 0;
}

/* ---- the steps ------------------------------------------------------------- */

static int
r_preview(void *src, int64_t id, struct cd_collect_preview *out,
    struct cd_err *err)
{
	struct cd_api *a = src;
	const struct cdj_profile_buf *kept;
	struct cdj_profile_buf *b;
	char path[64];
	json_t *reply;
	int i, r;

	snprintf(path, sizeof(path), "/v1/requests/%lld/collection",
	    (long long)id);
	if ((r = cd_srv_call(a, "GET", path, NULL, &reply, err)) != 0)
		return r;
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		json_decref(reply);
		return cd_err_set(err, CD_E_NOMEM, NULL);
	}
	r = cdj_preview_parse(json_object_get(reply, "preview"), out, b, err);
	json_decref(reply);
	/* The preview points into the handle's copy, kept until close. */
	if (r == 0 && (kept = cd_srv_intern_profile(a, id, b)) == NULL)
		r = cd_err_set(err, CD_E_NOMEM, NULL);
	if (r == 0) {
		out->prof = &kept->prof;
		for (i = 0; i < out->n; i++)
			out->items[i].policy = &kept->pol[out->items[i].policy -
			    b->pol];
	}
	free(b);
	return r;
}

static int
r_begin(void *src, int64_t id, void **h, struct cd_err *err)
{
	struct cd_api *a = src;
	const struct cdj_profile_buf *prof;
	struct remote *x;
	char path[64];
	json_t *reply;
	int r;

	*h = NULL;
	if ((prof = cd_srv_preview_profile(a, id)) == NULL)
		return cd_err_set(err, CD_E_STATE, "request %lld was not "
		    "previewed", (long long)id);
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	x->a = a;
	x->prof = *prof;
	x->request = id;
	snprintf(path, sizeof(path), "/v1/requests/%lld/collection",
	    (long long)id);
	if ((r = cd_srv_call(a, "POST", path, json_object(), &reply,
	    err)) != 0) {
		free(x);
		return r;
	}
	r = cdj_get_int(reply, "collection", &x->id, err);
	if (r == 0)
		r = cdj_get_int(reply, "attempt", &x->attempt, err);
	if (r == 0)
		r = items_parse(x, reply, 0, err);
	json_decref(reply);
	if (r != 0 && x->id == 0) {
		free(x);
		return r;
	}
	x->beat = time(NULL);
	*h = x;
	return r;
}

static void
r_set_progress(void *h, cd_progress_fn fn, void *arg)
{
	struct remote *x = h;

	x->progress = fn;
	x->parg = arg;
}

static int
r_progress(void *h, const char *what, int done, int total, struct cd_err *err)
{
	struct remote *x = h;

	if (x->progress != NULL && x->progress(x->parg, what, done, total))
		return cd_err_set(err, CD_E_CANCELLED, "cancelled by the "
		    "operator");
	return 0;
}

static int
r_password(void *h, const char *pw, struct cd_err *err)
{
	struct remote *x = h;
	char path[96], *text;
	json_t *j, *v;
	int r;

	path_of(path, sizeof(path), x, "password");
	if (pw == NULL)
		return post(x, "password", NULL, NULL, err);
	if ((j = json_pack("{s:s}", "password", pw)) == NULL)
		return cd_err_set(err, CD_E_INVAL, "the password is not "
		    "valid text");
	text = json_dumps(j, JSON_COMPACT);
	v = json_object_get(j, "password");
	explicit_bzero((char *)json_string_value(v), strlen(pw));
	json_decref(j);
	if (text == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	r = cd_srv_post_text(x->a, path, text, NULL, err);
	explicit_bzero(text, strlen(text));
	free(text);
	if (r == 0 && x->pw == NULL && (x->pw = cd_secret_alloc(PW_MAX)))
		cd_strlcpy(x->pw, pw, PW_MAX);
	return r;
}

static int
r_issue(void *h, struct cd_err *err)
{
	struct remote *x = h;
	json_t *reply;
	int r;

	if ((r = r_progress(x, "Issuing and packaging on the server", 0, 1,
	    err)) != 0)
		return r;
	if ((r = post(x, "issue", NULL, &reply, err)) != 0)
		return r;
	r = items_parse(x, reply, 1, err);
	json_decref(reply);
	if (r == 0)
		r = r_progress(x, "Packaged", 1, 1, err);
	return r;
}

static int
r_package(void *h, struct cd_err *err)
{
	(void)h;
	(void)err;
	return 0;	/* the server packages with the issue step */
}

static int
r_nitems(const void *h)
{
	return ((const struct remote *)h)->n;
}

static const struct cd_collect_item *
r_item(const void *h, int i)
{
	const struct remote *x = h;

	return i >= 0 && i < x->n ? &x->items[i] : NULL;
}

static int
r_package_data(const void *h, int i, const unsigned char **data, size_t *len,
    struct cd_err *err)
{
	const struct remote *x = h;

	if (i < 0 || i >= x->n || x->p12[i] == NULL)
		return cd_err_set(err, CD_E_STATE, "the packages are not "
		    "ready to be saved");
	*data = x->p12[i];
	*len = x->p12len[i];
	return 0;
}

/* Which item's package data is (the targets journal by content). */
static int
item_of(const struct remote *x, const unsigned char *data, size_t len)
{
	int i;

	for (i = 0; i < x->n; i++)
		if (x->p12[i] != NULL && x->p12len[i] == len &&
		    memcmp(x->p12[i], data, len) == 0)
			return i;
	return -1;
}

/*
 * The client's record of the file at path (item i) and of the packages
 * not yet delivered that go beside it (same storage, same folder, their
 * own names), in one durable write, as certdeskd journals them: a
 * record of a file that is then never written is harmless.
 */
static int
journal_here(struct remote *x, int i, const char *path, const char *hex,
    struct cd_err *err)
{
	char paths[CD_MAX_POLICIES_PER_PROFILE][CD_JPATH_MAX];
	char hexes[CD_MAX_POLICIES_PER_PROFILE][65];
	const char *pp[CD_MAX_POLICIES_PER_PROFILE];
	const char *hp[CD_MAX_POLICIES_PER_PROFILE];
	const char *slash = strrchr(path, '/');
	int j, n = 0;

	pp[n] = path;
	hp[n++] = hex;
	if (slash == NULL || strcmp(slash + 1, x->items[i].file_name) != 0)
		goto out;
	for (j = 0; j < x->n; j++) {
		if (j == i || x->p12[j] == NULL || x->items[j].delivered ||
		    x->items[j].policy->storage != x->items[i].policy->storage)
			continue;
		if (snprintf(paths[n], sizeof(paths[n]), "%.*s/%s",
		    (int)(slash - path), path, x->items[j].file_name) >=
		    (int)sizeof(paths[n]))
			continue;
		cd_journal_hash(x->p12[j], x->p12len[j], hexes[n]);
		pp[n] = paths[n];
		hp[n] = hexes[n];
		n++;
	}
out:
	return cd_cj_add(x->attempt, x->request, n, pp, hp, err);
}

static int
r_journal_file(void *h, const char *path, const unsigned char *data,
    size_t len, struct cd_err *err)
{
	struct remote *x = h;
	char hex[65];
	int i, r;

	if ((i = item_of(x, data, len)) < 0)
		return cd_err_set(err, CD_E_INTERNAL, "a file to journal is "
		    "none of the packages");
	cd_journal_hash(data, len, hex);
	if ((r = post(x, "journal", json_pack("{s:i,s:o,s:s}", "item", i,
	    "path", cdj_string(path), "sha256", hex), NULL, err)) != 0)
		return r;
	if (x->attempt == 0)
		return cd_err_set(err, CD_E_INTERNAL, "certdeskd did not say "
		    "which attempt this is: no file can be journalled");
	return journal_here(x, i, path, hex, err);
}

static int
r_item_delivered(void *h, int i, const char *location, struct cd_err *err)
{
	struct remote *x = h;
	int r;

	if (i < 0 || i >= x->n)
		return cd_err_set(err, CD_E_INVAL, "no item %d", i);
	if ((r = post(x, "delivered", json_pack("{s:i,s:o}", "item", i,
	    "location", cdj_string(location)), NULL, err)) != 0)
		return r;
	cd_strlcpy(x->items[i].location, location,
	    sizeof(x->items[i].location));
	x->items[i].delivered = 1;
	x->beat = time(NULL);
	return 0;
}

static int
r_with_password(void *h, int (*fn)(void *, const char *, struct cd_err *),
    void *arg, struct cd_err *err)
{
	struct remote *x = h;

	if (x->pw == NULL)
		return cd_err_set(err, CD_E_CONFIG, "the package password was "
		    "generated by certdeskd and never leaves it: this client "
		    "cannot import the package");
	return fn(arg, x->pw, err);
}

static int
r_record_drive(void *h, const struct cd_usb_drive *d, struct cd_err *err)
{
	return post(h, "drive", json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}",
	    "vendor", cdj_string(d->vendor), "model", cdj_string(d->model),
	    "serial", cdj_string(d->serial), "label", cdj_string(d->label),
	    "fstype", cdj_string(d->fstype), "uuid", cdj_string(d->uuid)),
	    NULL, err);
}

static void
r_rollback_note(void *h, const char *text)
{
	struct remote *x = h;
	size_t used = strlen(x->note);

	snprintf(x->note + used, sizeof(x->note) - used, "%s", text);
}

static int
r_heartbeat(struct remote *x, struct cd_err *err)
{
	int r;

	if ((r = post(x, "heartbeat", NULL, NULL, err)) == 0)
		x->beat = time(NULL);
	else if (r == CD_E_NOTFOUND)
		r = cd_err_set(err, CD_E_LOST, "certdeskd aborted this "
		    "collection (no heartbeat in time)");
	return r;
}

/* A heartbeat every few seconds at most: cheap to call often. */
static int
r_tick(void *h, struct cd_err *err)
{
	struct remote *x = h;

	if (x->ended || time(NULL) - x->beat < 5)
		return 0;
	return r_heartbeat(x, err);
}

/*
 * A commit whose answer was lost may have completed on the server: its
 * files then stay.  0 it completed (record dropped), -1 unknown (the
 * record stays for the sweep; nothing is removed), 1 go on cancelling.
 */
static int
commit_outcome(struct remote *x, char *undone, size_t len)
{
	struct cd_err sub;
	int completed = 0, r;

	memset(&sub, 0, sizeof(sub));
	if ((r = cd_cj_state(x->a, x->attempt, &completed, &sub)) < 0) {
		x->ended = 1;
		if (undone != NULL)
			snprintf(undone, len, "certdeskd cannot be asked whether "
			    "the collection completed; its files stay until "
			    "the next sweep");
		return -1;
	}
	if (r == 0 && completed) {
		x->ended = 1;
		cd_cj_drop(x->attempt);
		if (undone != NULL)
			snprintf(undone, len, "the collection had completed on "
			    "the server");
		return 0;
	}
	return 1;
}

static int
r_mailer_start(void *h, struct cd_err *err)
{
	struct remote *x = h;
	int r;

	if ((r = post(x, "mailer", NULL, NULL, err)) == CD_E_NOTFOUND)
		r = cd_err_set(err, CD_E_LOST, "certdeskd aborted this "
		    "collection");
	return r;
}

static int
r_commit(void *h, struct cd_err *err)
{
	struct remote *x = h;
	json_t *reply;
	int r;

	x->commit_tried = 1;
	if ((r = post(x, "commit", NULL, &reply, err)) == 0) {
		x->ended = 1;
		cd_cj_drop(x->attempt);
		json_decref(reply);
	} else if (r == CD_E_NOTFOUND)
		r = cd_err_set(err, CD_E_LOST, "certdeskd aborted this "
		    "collection: it cannot commit");
	else if (r == CD_E_IO && commit_outcome(x, NULL, 0) == 0)
		r = 0;	/* the answer was lost, the commit was not */
	return r;
}


static int
r_cancel(void *h, const char *reason, char *undone, size_t len,
    struct cd_err *err)
{
	struct remote *x = h;
	json_t *reply = NULL;
	char files[128];
	int removed = 0, failed = 0, r;

	if (undone != NULL && len > 0)
		undone[0] = '\0';
	if (x->ended)
		return 0;
	if (x->commit_tried && (r = commit_outcome(x, undone, len)) <= 0)
		return 0;
	/* This side's own files first: the server never touches them. */
	if (x->attempt != 0 && cd_cj_undo(x->attempt, &removed, &failed) == 0 &&
	    removed + failed > 0) {
		snprintf(files, sizeof(files), "%s%d file%s removed by the "
		    "client%s", x->note[0] ? "; " : "", removed, removed == 1 ?
		    "" : "s", failed ? ", some could not be removed (kept for "
		    "the next sweep)" : "");
		r_rollback_note(x, files);
	}
	r = post(x, "cancel", json_pack("{s:o,s:o}", "reason",
	    cdj_string(reason ? reason : ""), "note", cdj_string(x->note)),
	    &reply, err);
	x->ended = 1;
	if (r == CD_E_NOTFOUND) {	/* the server had aborted it */
		cd_err_clear(err);
		r = 0;
		if (undone != NULL)
			snprintf(undone, len, "the server had already aborted "
			    "the collection");
	} else if (r == 0 && undone != NULL)
		cdj_get_str(reply, "undone", undone, len, NULL);
	if (undone != NULL && removed + failed > 0) {
		size_t used = strlen(undone);

		snprintf(undone + used, len - used, "%s%d file%s removed by "
		    "this client%s", used ? "; " : "", removed, removed == 1 ?
		    "" : "s", failed ? " (some could not be: kept for the next "
		    "sweep)" : "");
	}
	json_decref(reply);
	return r;
}

static void
r_free(void *h)
{
	struct remote *x = h;
	struct cd_err err;
	int i;

	if (x == NULL)
		return;
	if (!x->ended)
		r_cancel(x, "the client let go of the collection", NULL, 0,
		    &err);
	for (i = 0; i < CD_MAX_POLICIES_PER_PROFILE; i++)
		free(x->p12[i]);
	if (x->pw != NULL)
		cd_secret_free(x->pw, PW_MAX);
	free(x);
}

const struct cd_collect_ops cd_collect_remote = {
	.name = "server",
	.preview = r_preview,
	.begin = r_begin,
	.set_progress = r_set_progress,
	.password = r_password,
	.issue = r_issue,
	.package = r_package,
	.nitems = r_nitems,
	.item = r_item,
	.package_data = r_package_data,
	.journal_file = r_journal_file,
	.item_delivered = r_item_delivered,
	.progress = r_progress,
	.with_password = r_with_password,
	.record_drive = r_record_drive,
	.rollback_note = r_rollback_note,
	.tick = r_tick,
	.mailer_start = r_mailer_start,
	.commit = r_commit,
	.cancel = r_cancel,
	.free = r_free,
};

/* ---- the collection -------------------------------------------------------- */

/*
 * The operator's delivery settings ([systemstore], [autosave]) are the
 * handle's: read from the client's own file when it opened, every
 * default without one (an operator of a server needs no file).
 */
int
cd_srv_drive_new(struct cd_api *a, int64_t request_id,
    const struct cd_drive_ui *ui, struct cd_drive **out, struct cd_err *err)
{
	return cd_drive_new_via(&cd_collect_remote, a, cd_srv_conf(a),
	    request_id, ui, out, err);
}
