/* SPDX-License-Identifier: ISC */
/*
 * routes-collect.c - the collection transaction over the API: preview,
 * begin, password, issue (with packaging), journal, delivered, drive,
 * heartbeat, commit, cancel.  Each begun attempt lives here with an
 * engine handle of its own, bound to the operator (peer uid) that began
 * it; every step names the attempt and is refused for anybody else.
 * The engine's compare-and-set on the store decides whether an attempt
 * still holds its request (CD_E_LOST once the sweep aborted it), so an
 * aborted attempt can never commit.  Generated passwords stay in the
 * engine's secret memory: no reply carries one.  A typed password is
 * wiped from the decoded body once the engine has its copy.
 *
 * The files are the client's: it writes them as the operator, keeps its
 * own journal of them and rolls them back itself.  The journal step here
 * only checks the package's SHA-256 and that the attempt still holds its
 * request; nothing of the operator's files reaches the store, so neither
 * a cancel nor the sweep on this side ever touches them.  So the step
 * that hands the packages to the client ends with a durable commit: the
 * store knows every certificate before its key can reach a disk.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "certdesk/collect.h"
#include "engine-int.h"
#include "conf.h"
#include "json-collect.h"
#include "json-model.h"
#include "server.h"
#include "certdesk/usbdrive.h"
#include "util.h"

#define NATT 256

struct attempt {
	int64_t id;			/* 0: free slot */
	uid_t uid;
	char as[CD_LOGON_MAX];
	struct cd_engine *e;
	struct cd_collect *c;
	pthread_mutex_t mu;		/* one step at a time */
	time_t used;			/* last step (monotonic seconds) */
	int timeout;			/* idle seconds before it is reaped */
	int64_t attempt;		/* the engine's attempt id */
	int busy;
};

static pthread_mutex_t tab_mu = PTHREAD_MUTEX_INITIALIZER;
static struct attempt tab[NATT];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
init_tab(void)
{
	int i;

	for (i = 0; i < NATT; i++)
		pthread_mutex_init(&tab[i].mu, NULL);
}

static time_t
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* The attempt id of the request, held (mutex locked) for the peer. */
static struct attempt *
take(const struct cds_req *q, struct cd_err *err)
{
	struct attempt *a = NULL;
	int i;

	pthread_once(&once, init_tab);
	pthread_mutex_lock(&tab_mu);
	for (i = 0; i < NATT; i++)
		if (tab[i].id == q->id && q->id != 0)
			a = &tab[i];
	if (a != NULL && (a->uid != q->peer->uid ||
	    strcmp(a->as, q->peer->as) != 0))
		a = NULL;		/* somebody else's: as if absent */
	if (a != NULL)
		a->busy++;
	pthread_mutex_unlock(&tab_mu);
	if (a == NULL) {
		cd_err_set(err, CD_E_NOTFOUND, "no collection %lld of yours is "
		    "open on the server (it ended or was aborted)",
		    (long long)q->id);
		return NULL;
	}
	pthread_mutex_lock(&a->mu);
	a->used = mono();
	return a;
}

static void
drop(struct attempt *a)
{
	pthread_mutex_unlock(&a->mu);
	pthread_mutex_lock(&tab_mu);
	a->busy--;
	pthread_mutex_unlock(&tab_mu);
}

/* End an attempt (locked by the caller): free its collection and engine. */
static void
end(struct attempt *a)
{
	cd_collect_free(a->c);		/* cancels it unless committed */
	cds_engine_release(a->e);
	pthread_mutex_lock(&tab_mu);
	a->c = NULL;
	a->e = NULL;
	a->id = 0;
	pthread_mutex_unlock(&tab_mu);
}

void
cds_collect_reap(int all)
{
	time_t now = mono();
	int i;

	pthread_once(&once, init_tab);
	for (i = 0; i < NATT; i++) {
		struct attempt *a = &tab[i];

		pthread_mutex_lock(&tab_mu);
		if (a->id == 0 || a->busy || (!all && now - a->used <=
		    a->timeout)) {
			pthread_mutex_unlock(&tab_mu);
			continue;
		}
		a->busy++;
		pthread_mutex_unlock(&tab_mu);
		pthread_mutex_lock(&a->mu);
		if (a->id != 0)
			end(a);
		drop(a);
	}
}

/* ---- JSON -------------------------------------------------------------- */

static int
items_json(const struct cd_collect *c, int with_p12, json_t **out,
    struct cd_err *err)
{
	const unsigned char *data;
	json_t *arr = json_array(), *it;
	unsigned char *b64;
	size_t len;
	int i, n = cd_collect_nitems(c), r = 0;

	for (i = 0; arr != NULL && r == 0 && i < n; i++) {
		if ((it = cdj_collect_item(cd_collect_item(c, i))) == NULL)
			break;
		if (with_p12 && (r = cd_collect_package_data(c, i, &data, &len,
		    err)) == 0) {
			if ((b64 = malloc(4 * ((len + 2) / 3) + 1)) == NULL)
				r = cd_err_set(err, CD_E_NOMEM, NULL);
			else {
				EVP_EncodeBlock(b64, data, (int)len);
				json_object_set_new(it, "pkcs12",
				    json_string((char *)b64));
				free(b64);
			}
		}
		json_array_append_new(arr, it);
	}
	if (r != 0 || arr == NULL || (int)json_array_size(arr) != n) {
		json_decref(arr);
		return r ? r : cd_err_set(err, CD_E_NOMEM, NULL);
	}
	*out = arr;
	return 0;
}

static int
reply_items(struct cds_reply *out, struct attempt *a, int with_p12,
    struct cd_err *err)
{
	json_t *items = NULL;
	int r;

	if ((r = items_json(a->c, with_p12, &items, err)) != 0)
		return r;
	out->json = json_pack("{s:I,s:I,s:o}", "collection",
	    (json_int_t)a->id, "attempt", (json_int_t)a->attempt, "items",
	    items);
	return out->json != NULL ? 0 : cd_err_set(err, CD_E_NOMEM, NULL);
}

/*
 * The client saves the packages itself and never has a generated
 * password, so it cannot import those into a personal store.
 */
int
cds_profile_blocked(const struct cd_profile *p, char *msg, size_t len)
{
	int i;

	if (p->user_pin)
		return 0;
	for (i = 0; i < p->npolicies; i++)
		if (p->policies[i]->storage == CD_STORE_SYSTEMSTORE) {
			snprintf(msg, len, "profile %s generates the password, "
			    "which never leaves certdeskd, so its SystemStore "
			    "certificates cannot be imported by the client "
			    "(collect it in embedded mode, or give the profile "
			    "a user-specified password)", p->id);
			return 1;
		}
	return 0;
}

static void
server_blocks(struct cd_collect_preview *pv)
{
	if (pv->blocked_code == 0 && cds_profile_blocked(pv->prof,
	    pv->blocked, sizeof(pv->blocked)))
		pv->blocked_code = CD_E_CONFIG;
}

/* ---- routes -------------------------------------------------------------- */

int
cds_h_collect_preview(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct cd_collect_preview pv;
	int r;

	if ((r = cd_collect_preview(e, q->id, &pv, err)) != 0)
		return r;
	server_blocks(&pv);
	out->json = json_pack("{s:o}", "preview", cdj_preview(&pv));
	return out->json != NULL ? 0 : cd_err_set(err, CD_E_NOMEM, NULL);
}

static int
new_id(int64_t *id)
{
	uint64_t v;

	do {
		if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
			return -1;
		*id = (int64_t)(v >> 1);
	} while (*id == 0);
	return 0;
}

/* A free slot, marked busy and locked, or NULL. */
static struct attempt *
slot(const struct cds_req *q, struct cd_err *err)
{
	struct attempt *a = NULL;
	int i;

	pthread_once(&once, init_tab);
	pthread_mutex_lock(&tab_mu);
	for (i = 0; i < NATT && a == NULL; i++)
		if (tab[i].id == 0 && tab[i].busy == 0 && tab[i].e == NULL)
			a = &tab[i];
	if (a != NULL) {
		a->busy = 1;
		a->id = -1;	/* reserved */
	}
	pthread_mutex_unlock(&tab_mu);
	if (a == NULL) {
		cd_err_set(err, CD_E_BUSY, "too many collections are open on "
		    "the server; try again later");
		return NULL;
	}
	pthread_mutex_lock(&a->mu);
	a->uid = q->peer->uid;
	cd_strlcpy(a->as, q->peer->as, sizeof(a->as));
	return a;
}

/* The attempt that holds request id (just begun): the store says. */
static int64_t
attempt_of(struct cd_engine *e, int64_t id)
{
	struct cd_request rq;
	struct cd_err err;

	if (cd_request_get(e, id, &rq, &err) != 0)
		return 0;
	return rq.attempt_id;
}

int
cds_h_collect_begin(struct cd_engine *pe, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	const struct cds_peer *p = q->peer;
	struct attempt *a;
	int64_t id;
	int r;

	cds_collect_reap(0);
	if (new_id(&id) != 0)
		return cd_err_set(err, CD_E_INTERNAL, "no random numbers");
	if ((a = slot(q, err)) == NULL)
		return err->code;
	if ((a->e = cds_engine_open(err)) == NULL) {
		r = err->code ? err->code : CD_E_INTERNAL;
		goto fail;
	}
	if ((r = cd_engine_set_operator(a->e, p->as[0] ? p->as : p->login,
	    p->as[0] != '\0', err)) != 0 ||
	    (r = cd_collect_begin(a->e, q->id, &a->c, err)) != 0)
		goto fail;
	a->timeout = cd_engine_conf(a->e)->attempt_timeout * 2 + 60;
	a->attempt = attempt_of(a->e, q->id);
	a->used = mono();
	pthread_mutex_lock(&tab_mu);
	a->id = id;
	pthread_mutex_unlock(&tab_mu);
	out->status = 201;
	r = reply_items(out, a, 0, err);
	drop(a);
	return r;
fail:
	end(a);
	drop(a);
	return r;
}

int
cds_h_collect_password(struct cd_engine *pe, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	json_t *v = json_object_get(q->body, "password");
	struct attempt *a;
	char *pw;
	int r;

	if (v != NULL && !json_is_string(v))
		return cd_err_set(err, CD_E_INVAL, "'password' is a string");
	if ((a = take(q, err)) == NULL)
		r = err->code;
	else {
		r = cd_collect_password(a->c, v != NULL ?
		    json_string_value(v) : NULL, err);
		drop(a);
	}
	if (v != NULL) {	/* the engine has its own copy */
		pw = (char *)json_string_value(v);
		explicit_bzero(pw, strlen(pw));
	}
	if (r == 0)
		out->json = json_pack("{s:b}", "ok", 1);
	return r;
}

int
cds_h_collect_issue(struct cd_engine *pe, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct attempt *a;
	int r;

	if ((a = take(q, err)) == NULL)
		return err->code;
	/* the packages leave with the reply: the store knows them first */
	if ((r = cd_collect_issue(a->c, err)) == 0 &&
	    (r = cd_collect_package(a->c, err)) == 0 &&
	    (r = cd_collect_durable(a->c, err)) == 0)
		r = reply_items(out, a, 1, err);
	drop(a);
	return r;
}

static int
hex_sha(const char *hex, unsigned char *sha)
{
	unsigned v;
	int i;

	if (hex == NULL || strlen(hex) != 2 * SHA256_DIGEST_LENGTH)
		return -1;
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++) {
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		sha[i] = (unsigned char)v;
	}
	return 0;
}

/* {"item":i,"path":"/abs","sha256":"hex"}: the item's own package only. */
int
cds_h_collect_journal(struct cd_engine *pe, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	unsigned char want[SHA256_DIGEST_LENGTH], got[SHA256_DIGEST_LENGTH];
	const unsigned char *data;
	char path[CD_PATH_MAX * 2] = "", hex[80] = "";
	struct attempt *a;
	int64_t item = -1;
	size_t len;
	int r;

	if ((r = cdj_get_int(q->body, "item", &item, err)) ||
	    (r = cdj_get_str(q->body, "path", path, sizeof(path), err)) ||
	    (r = cdj_get_str(q->body, "sha256", hex, sizeof(hex), err)))
		return r;
	if (hex_sha(hex, want) != 0)
		return cd_err_set(err, CD_E_INVAL, "'sha256' is 64 hex digits");
	if ((a = take(q, err)) == NULL)
		return err->code;
	if (item < 0 || item >= cd_collect_nitems(a->c))
		r = cd_err_set(err, CD_E_INVAL, "no item %lld", (long long)item);
	else if ((r = cd_collect_package_data(a->c, (int)item, &data, &len,
	    err)) == 0) {
		SHA256(data, len, got);
		if (memcmp(got, want, sizeof(got)) != 0)
			r = cd_err_set(err, CD_E_INVAL, "the SHA-256 is not the "
			    "one of item %lld's package", (long long)item);
		else if (path[0] != '/')
			r = cd_err_set(err, CD_E_INVAL, "the journal takes "
			    "absolute paths");
		else	/* the client journals the file: only the claim here */
			r = cd_collect_heartbeat(a->c, err);
	}
	drop(a);
	if (r == 0)
		out->json = json_pack("{s:b}", "ok", 1);
	return r;
}

int
cds_h_collect_delivered(struct cd_engine *pe, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	char loc[CD_DETAIL_MAX] = "";
	struct attempt *a;
	int64_t item = -1;
	int r;

	if ((r = cdj_get_int(q->body, "item", &item, err)) ||
	    (r = cdj_get_str(q->body, "location", loc, sizeof(loc), err)))
		return r;
	if ((a = take(q, err)) == NULL)
		return err->code;
	if (item < 0 || item >= cd_collect_nitems(a->c))
		r = cd_err_set(err, CD_E_INVAL, "no item %lld", (long long)item);
	else
		r = cd_collect_item_delivered(a->c, (int)item, loc, err);
	drop(a);
	if (r == 0)
		out->json = json_pack("{s:b}", "ok", 1);
	return r;
}

int
cds_h_collect_drive(struct cd_engine *pe, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct cd_usb_drive d;
	struct attempt *a;
	int r;

	memset(&d, 0, sizeof(d));
	if ((r = cdj_get_str(q->body, "vendor", d.vendor, sizeof(d.vendor),
	    err)) || (r = cdj_get_str(q->body, "model", d.model,
	    sizeof(d.model), err)) || (r = cdj_get_str(q->body, "serial",
	    d.serial, sizeof(d.serial), err)) || (r = cdj_get_str(q->body,
	    "label", d.label, sizeof(d.label), err)) ||
	    (r = cdj_get_str(q->body, "fstype", d.fstype, sizeof(d.fstype),
	    err)) || (r = cdj_get_str(q->body, "uuid", d.uuid,
	    sizeof(d.uuid), err)))
		return r;
	if ((a = take(q, err)) == NULL)
		return err->code;
	r = cd_collect_record_drive(a->c, &d, err);
	drop(a);
	if (r == 0)
		out->json = json_pack("{s:b}", "ok", 1);
	return r;
}

/* A step with no arguments, answered {"ok":true}. */
static int
plain_step(const struct cds_req *q, struct cds_reply *out,
    int (*step)(struct cd_collect *, struct cd_err *), struct cd_err *err)
{
	struct attempt *a;
	int r;

	if ((a = take(q, err)) == NULL)
		return err->code;
	r = step(a->c, err);
	drop(a);
	if (r == 0)
		out->json = json_pack("{s:b}", "ok", 1);
	return r;
}

int
cds_h_collect_heartbeat(struct cd_engine *pe, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	return plain_step(q, out, cd_collect_heartbeat, err);
}

/*
 * The PIN mailer sent and not waited for (a bulk worker goes on with its
 * next request); the commit waits for it.  On failure the attempt is
 * rolled back, as a failed commit is.
 */
int
cds_h_collect_mailer(struct cd_engine *pe, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	return plain_step(q, out, cd_collect_mailer_start, err);
}

/* Commit: the PIN mailer is printed here; CD_E_LOST once aborted. */
int
cds_h_collect_commit(struct cd_engine *pe, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct attempt *a;
	int r;

	if ((a = take(q, err)) == NULL)
		return err->code;
	if ((r = cd_collect_commit(a->c, err)) == 0)
		r = reply_items(out, a, 0, err);
	if (r == 0 || r == CD_E_LOST)
		end(a);
	drop(a);
	return r;
}

int
cds_h_collect_cancel(struct cd_engine *pe, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	char reason[CD_ERR_MSGLEN] = "", note[CD_DETAIL_MAX] = "";
	char undone[512] = "";
	struct attempt *a;
	int r;

	if ((r = cdj_get_str(q->body, "reason", reason, sizeof(reason),
	    err)) || (r = cdj_get_str(q->body, "note", note, sizeof(note),
	    err)))
		return r;
	if ((a = take(q, err)) == NULL)
		return err->code;
	if (note[0] != '\0')
		cd_collect_rollback_note(a->c, note);
	r = cd_collect_cancel(a->c, reason[0] ? reason : "cancelled by the "
	    "client", undone, sizeof(undone), err);
	end(a);
	drop(a);
	if (r == 0)
		out->json = json_pack("{s:o}", "undone", cdj_string(undone));
	return r;
}

/*
 * An attempt's state, for a client settling its journal: only the
 * operator who made it may ask.
 */
int
cds_h_attempt_get(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct cd_attempt at;
	int r;

	if ((r = e->so->attempt_get(e->st, q->id, &at, err)) != 0)
		return r;
	if (strcmp(at.operator_, cd_engine_operator(e)->logon) != 0)
		return cd_err_set(err, CD_E_NOTFOUND, "no attempt %lld of "
		    "yours", (long long)q->id);
	out->json = json_pack("{s:{s:I,s:I,s:s}}", "attempt", "id",
	    (json_int_t)at.id, "request", (json_int_t)at.request_id, "state",
	    cd_attempt_state_name(at.state));
	return out->json != NULL ? 0 : cd_err_set(err, CD_E_NOMEM, NULL);
}
