/* SPDX-License-Identifier: ISC */
/*
 * collect.c - the collection transaction: take a collectable request,
 * obtain fresh keys and certificates, pack them as PKCS#12 with one
 * password, deliver each package where its certificate policy says, and
 * either commit everything or roll every file back and leave the
 * certificates to be revoked.
 *
 * Crash safety: the attempt is a store record with a heartbeat; every
 * file is journalled (a store row) before it is written.  If the process
 * dies or goes silent, the sweep (sweep.c) aborts the attempt, removes
 * its journalled files and marks its certificates for revocation.
 *
 * The claim: the request is taken, heartbeats are sent, files journalled
 * and the collection committed only through the store's conditional
 * operations, which apply only while this attempt holds the request.
 * Once the sweep has aborted it, every one of them returns CD_E_LOST and
 * the attempt can only be rolled back: it is never revived or committed.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/x509v3.h>

#include "collect-int.h"
#include "fname.h"
#include "journal.h"
#include "password.h"
#include "pkcs12.h"
#include "subst.h"
#include "util.h"
#include "x509.h"

#define PW_MAX 256

int cd_eng_mark_attempt_certs(struct cd_engine *e, int64_t attempt_id,
    int64_t revoke_after, int *count, struct cd_err *err);

/* ---- small accessors --------------------------------------------------- */

const struct cd_request *
cd_collect_request(const struct cd_collect *c)
{
	return &c->req;
}

const struct cd_person *
cd_collect_person(const struct cd_collect *c)
{
	return &c->person;
}

const struct cd_profile *
cd_collect_profile(const struct cd_collect *c)
{
	return c->prof;
}

int
cd_collect_nitems(const struct cd_collect *c)
{
	return c->n;
}

const struct cd_collect_item *
cd_collect_item(const struct cd_collect *c, int i)
{
	if (i < 0 || i >= c->n)
		return NULL;
	return &c->items[i].pub;
}

unsigned
cd_collect_storages(const struct cd_collect *c)
{
	unsigned bits = 0;
	int i;

	for (i = 0; i < c->n; i++)
		bits |= 1u << c->items[i].pub.policy->storage;
	return bits;
}

int
cd_collect_user_pin(const struct cd_collect *c)
{
	return c->prof->user_pin;
}

void
cd_collect_set_progress(struct cd_collect *c, cd_progress_fn fn, void *arg)
{
	c->progress = fn;
	c->progress_arg = arg;
}

/* Report progress; CD_E_CANCELLED if the front-end asks to stop. */
int
cd_coll_progress(struct cd_collect *c, const char *what, int done, int total,
    struct cd_err *err)
{
	if (c->progress != NULL && c->progress(c->progress_arg, what, done,
	    total) != 0)
		return cd_err_set(err, CD_E_CANCELLED, "cancelled by the "
		    "operator");
	return 0;
}

int
cd_collect_heartbeat(struct cd_collect *c, struct cd_err *err)
{
	return cd_coll_heartbeat(c, err);
}

int
cd_collect_durable(struct cd_collect *c, struct cd_err *err)
{
	if (c->stage < CD_CS_BEGUN || c->stage >= CD_CS_COMMITTED ||
	    c->att.id == 0)
		return cd_err_set(err, CD_E_STATE, "no attempt to make "
		    "durable");
	return cd_coll_durable(c, err);
}

/* CD_E_LOST once the attempt is no longer in progress. */
static int
still_in_progress(struct cd_collect *c, struct cd_err *err)
{
	struct cd_attempt cur;
	int r;

	if ((r = c->e->so->attempt_get(c->e->st, c->att.id, &cur, err)) != 0)
		return r;
	if (cur.state != CD_AS_IN_PROGRESS)
		return cd_err_set(err, CD_E_LOST, "this collection was %s "
		    "(no activity for more than %d seconds); nothing of it "
		    "will be committed", cd_attempt_state_name(cur.state),
		    c->e->conf->attempt_timeout);
	return 0;
}

/*
 * Between heartbeats a tick only reads the attempt's state (no write),
 * so a front-end may call it as often as it likes.
 */
int
cd_collect_tick(struct cd_collect *c, struct cd_err *err)
{
	int64_t now = cd_engine_now(c->e);
	int every = c->e->conf->attempt_timeout / 4;

	if (c->att.id == 0)
		return 0;
	if (every < 1)
		every = 1;
	if (now - c->att.heartbeat_at < every)
		return still_in_progress(c, err);
	return cd_coll_heartbeat(c, err);
}

/*
 * Keep the attempt alive for the sweep: only its heartbeat time is
 * written, and only while it holds the request (CD_E_LOST otherwise).
 */
static int
beat(struct cd_collect *c, int lazy, struct cd_err *err)
{
	int64_t now = cd_engine_now(c->e);
	int r;

	cd_coll_lazy(c, lazy);
	r = c->e->so->attempt_heartbeat(c->e->st, c->att.id, now, err);
	cd_coll_lazy(c, 0);
	if (r == CD_E_LOST)
		return still_in_progress(c, err) == CD_E_LOST ? CD_E_LOST : r;
	if (r == 0)
		c->att.heartbeat_at = now;
	return r;
}

int
cd_coll_heartbeat(struct cd_collect *c, struct cd_err *err)
{
	return beat(c, 1, err);
}

/*
 * A heartbeat in a durable commit: what the attempt wrote lazily (its
 * claim, its certificates, its heartbeats) is on disk when it returns.
 */
int
cd_coll_durable(struct cd_collect *c, struct cd_err *err)
{
	return beat(c, 0, err);
}

static void
req_object(const struct cd_collect *c, char *buf, size_t len)
{
	snprintf(buf, len, "request %lld", (long long)c->req.id);
}

/*
 * Store writes of an attempt that no file or answer depends on yet (the
 * claim, heartbeats, the certificates just issued, delivery audit rows)
 * are lazy: they become durable with the next durable commit, which
 * always comes before anything is written outside the store (the file
 * journal) and before the collection is reported done (the commit).
 * Lost in a power cut, they leave an attempt that never got further.
 */
void
cd_coll_lazy(struct cd_collect *c, int on)
{
	if (c->e->so->lazy != NULL)
		(void)c->e->so->lazy(c->e->st, on, NULL);
}

/* ---- begin ------------------------------------------------------------- */

/* Generated file names for every item (serials filled in after issue). */
static int
name_items(struct cd_collect *c, struct cd_err *err)
{
	char names[CD_MAX_POLICIES_PER_PROFILE][CD_FIELD_MAX];
	struct cd_subst_ctx ctx;
	int i, r;

	for (i = 0; i < c->n; i++) {
		memset(&ctx, 0, sizeof(ctx));
		ctx.person = &c->person;
		ctx.policy_name = c->items[i].pub.policy->name;
		ctx.request_id = c->req.id;
		ctx.serial = c->items[i].pub.serial;
		ctx.now = c->started;
		if ((r = cd_fname_make(c->e->conf->filename_format, &ctx,
		    names[i], sizeof(names[i]), err)) != 0)
			return r;
	}
	cd_fname_dedupe(names, c->n);
	for (i = 0; i < c->n; i++)
		cd_strlcpy(c->items[i].pub.file_name, names[i],
		    sizeof(c->items[i].pub.file_name));
	return 0;
}

/* Inside the write transaction: check and take the request. */
static int
take_request(struct cd_collect *c, int64_t id, struct cd_err *err)
{
	struct cd_engine *e = c->e;
	char buf[CD_FIELD_MAX];
	int r;

	if ((r = e->so->request_get(e->st, id, &c->req, err)) != 0)
		return r == CD_E_NOTFOUND ? cd_err_set(err, r,
		    "no request %lld", (long long)id) : r;
	if (c->req.status == CD_RS_BEING_COLLECTED)
		return cd_err_set(err, CD_E_BUSY, "request %lld is %s",
		    (long long)id, cd_eng_holder_text(e, id, buf,
		    sizeof(buf)));
	if ((r = cd_eng_collect_refusal(e, &c->req, buf, sizeof(buf))) != 0)
		return cd_err_set(err, r, "request %lld cannot be collected: "
		    "%s", (long long)id, buf);
	if ((r = e->so->person_get(e->st, c->req.person_id, NULL, &c->person,
	    err)) != 0)
		return r;
	if ((c->prof = cd_conf_profile(e->conf, c->req.profile)) == NULL)
		return cd_err_set(err, CD_E_CONFIG, "request %lld names the "
		    "credential profile '%s', which is no longer configured",
		    (long long)id, c->req.profile);
	return 0;
}

/* The claim: the request is ours only if it was still awaiting us. */
static int
start_attempt(struct cd_collect *c, struct cd_err *err)
{
	struct cd_engine *e = c->e;
	char obj[64];
	int r;

	memset(&c->att, 0, sizeof(c->att));
	c->att.request_id = c->req.id;
	cd_strlcpy(c->att.operator_, e->op.logon, sizeof(c->att.operator_));
	c->att.pid = (int)getpid();
	gethostname(c->att.host, sizeof(c->att.host) - 1);
	c->att.started_at = c->att.heartbeat_at = c->started;
	c->att.state = CD_AS_IN_PROGRESS;
	if ((r = e->so->claim(e->st, &c->att, err)) != 0)
		return r;
	c->req.status = CD_RS_BEING_COLLECTED;
	c->req.attempt_id = c->att.id;
	c->req.updated_at = c->started;
	req_object(c, obj, sizeof(obj));
	return cd_audit(e, "collect.begin", obj, "ok", "attempt %lld for %s, "
	    "profile %s", (long long)c->att.id, c->person.logon, c->prof->id);
}

int
cd_collect_begin(struct cd_engine *e, int64_t request_id,
    struct cd_collect **out, struct cd_err *err)
{
	struct cd_collect *c;
	char obj[64];
	int i, r;

	*out = NULL;
	/* a CA that cannot sign shows before the claim and the password */
	if ((r = cd_eng_ca(e, err)) != 0)
		return r;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	c->e = e;
	c->started = cd_engine_now(e);
	cd_coll_lazy(c, 1);
	if ((r = e->so->begin(e->st, err)) != 0) {
		cd_coll_lazy(c, 0);
		goto out;
	}
	if ((r = take_request(c, request_id, err)) != 0) {
		e->so->rollback(e->st);
		cd_coll_lazy(c, 0);
		snprintf(obj, sizeof(obj), "request %lld",
		    (long long)request_id);
		cd_audit(e, "collect.begin", obj, "refused", "%s", err ?
		    err->msg : "");
		goto out;
	}
	if ((r = start_attempt(c, err)) != 0 ||
	    (r = e->so->commit(e->st, err)) != 0) {
		e->so->rollback(e->st);
		cd_coll_lazy(c, 0);
		if (c->att.id == 0)
			snprintf(obj, sizeof(obj), "request %lld",
			    (long long)request_id);
		if (c->att.id == 0 && (r == CD_E_BUSY || r == CD_E_STATE))
			cd_audit(e, "collect.begin", obj, "refused", "%s",
			    err ? err->msg : "");
		memset(&c->att, 0, sizeof(c->att));
		goto out;
	}
	cd_coll_lazy(c, 0);
	c->stage = CD_CS_BEGUN;
	c->n = c->prof->npolicies;
	for (i = 0; i < c->n; i++)
		c->items[i].pub.policy = c->prof->policies[i];
	if ((r = name_items(c, err)) != 0) {
		cd_collect_cancel(c, "file names could not be made", NULL, 0,
		    NULL);
		goto out;
	}
	*out = c;
	c = NULL;
out:
	cd_collect_free(c);
	return r;
}

/* ---- password ------------------------------------------------------------ */

int
cd_collect_check_password(const struct cd_collect *c, const char *pw,
    struct cd_err *err)
{
	return cd_pw_check(&c->prof->pw, pw, err);
}

int
cd_collect_password(struct cd_collect *c, const char *pw,
    struct cd_err *err)
{
	int r;

	if (c->stage != CD_CS_BEGUN)
		return cd_err_set(err, CD_E_STATE, "the password is set "
		    "before the certificates are issued");
	if (c->pw == NULL && (c->pw = cd_secret_alloc(PW_MAX)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if (c->prof->user_pin) {
		if (pw == NULL || *pw == '\0')
			return cd_err_set(err, CD_E_PASSWORD, "this profile "
			    "needs a password set by the operator");
		if ((r = cd_pw_check(&c->prof->pw, pw, err)) != 0)
			return r;
		if (cd_strlcpy(c->pw, pw, PW_MAX) >= PW_MAX)
			return cd_err_set(err, CD_E_PASSWORD,
			    "the password is too long");
		c->generated = 0;
	} else {
		if (pw != NULL)
			return cd_err_set(err, CD_E_INVAL, "this profile "
			    "generates the password; none may be given");
		if ((r = cd_pw_generate(&c->prof->pw, c->pw, PW_MAX, err)))
			return r;
		c->generated = 1;
	}
	c->stage = CD_CS_PASSWORD;
	return 0;
}

/* ---- issue ----------------------------------------------------------------- */

/* Copy src escaping ',' and '\' so a value stays one RDN / SAN entry. */
static void
escape_list(char *dst, size_t len, const char *src)
{
	size_t o = 0;

	for (; *src != '\0' && o + 2 < len; src++) {
		if (*src == ',' || *src == '\\')
			dst[o++] = '\\';
		dst[o++] = *src;
	}
	dst[o] = '\0';
}

/* The person with every field escaped for a comma-separated list. */
static void
escaped_person(const struct cd_person *p, struct cd_person *q)
{
	*q = *p;
	escape_list(q->full_name, sizeof(q->full_name), p->full_name);
	escape_list(q->email, sizeof(q->email), p->email);
	escape_list(q->employee_id, sizeof(q->employee_id), p->employee_id);
	escape_list(q->group_name, sizeof(q->group_name), p->group_name);
	escape_list(q->upn, sizeof(q->upn), p->upn);
	escape_list(q->logon, sizeof(q->logon), p->logon);
}

/* Expand a policy template (subject or SAN) for this person. */
static int
expand(struct cd_collect *c, const struct cd_policy *pol, const char *fmt,
    char *out, size_t len, struct cd_err *err)
{
	struct cd_subst_ctx ctx;
	struct cd_person q;

	escaped_person(&c->person, &q);
	memset(&ctx, 0, sizeof(ctx));
	ctx.person = &q;
	ctx.policy_name = pol->name;
	ctx.request_id = c->req.id;
	ctx.now = c->started;
	return cd_subst_expand(fmt, &ctx, out, len, err);
}

/*
 * The certificate request for item it: the policy's parameters (subject
 * and SAN expanded for the person) and a CSR with the same content,
 * signed by the item's fresh key (proof of possession).
 */
/*
 * A leaf never outlives its CA: the validity is cut to whole days that
 * end on or before the issuing CA's notAfter (when the backend shows its
 * chain).  CD_E_CA when less than a day is left.
 */
static int
clamp_validity(struct cd_collect *c, struct cd_issue *iss,
    struct cd_err *err)
{
	const STACK_OF(X509) *chain;
	X509 *ca;
	struct tm tm;
	int64_t ca_end, days;

	if (c->e->cao->chain == NULL ||
	    (chain = c->e->cao->chain(c->e->ca)) == NULL ||
	    sk_X509_num(chain) < 1)
		return 0;
	ca = sk_X509_value(chain, 0);
	if (ASN1_TIME_to_tm(X509_get0_notAfter(ca), &tm) != 1)
		return 0;
	ca_end = (int64_t)timegm(&tm);
	days = (ca_end - iss->not_before) / 86400;
	if (days < 1)
		return cd_err_set(err, CD_E_CA, "the CA certificate expires "
		    "in less than a day: a certificate it signed would outlive "
		    "it; renew the CA");
	if (iss->validity_days > days)
		iss->validity_days = (int)days;
	return 0;
}

static int
build_issue(struct cd_collect *c, struct cd_coll_item *it,
    struct cd_ca_req *req, struct cd_err *err)
{
	const struct cd_policy *pol = it->pub.policy;
	const struct cd_conf *conf = c->e->conf;
	struct cd_issue *iss = &req->params;
	char text[1024];
	int r;

	memset(req, 0, sizeof(*req));
	iss->policy = pol->id;
	iss->key_usage = pol->key_usage;
	iss->ext_key_usage = pol->ext_key_usage;
	iss->validity_days = pol->validity_days;
	/* backdated: a relying party whose clock is behind accepts it */
	iss->not_before = cd_engine_now(c->e) - conf->backdate;
	iss->crl_url = conf->crl_url;
	iss->ca_issuers_url = conf->ca_issuers_url;
	iss->policy_oid = pol->policy_oid;
	if ((r = clamp_validity(c, iss, err)) != 0)
		return r;
	if ((r = expand(c, pol, pol->subject, text, sizeof(text), err)) != 0 ||
	    (r = cd_x509_name_parse(text, &iss->subject, err)) != 0)
		return cd_err_context(err, r, "policy %s subject", pol->id);
	if (pol->san[0] != '\0' && ((r = expand(c, pol, pol->san, text,
	    sizeof(text), err)) != 0 ||
	    (r = cd_x509_san_parse(text, &iss->san, err)) != 0))
		return cd_err_context(err, r, "policy %s subjectAltName",
		    pol->id);
	return cd_ca_req_build(it->key, req, err);
}

static int64_t
asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return (int64_t)timegm(&tm);
}

static int
record_cert(struct cd_collect *c, struct cd_coll_item *it,
    struct cd_err *err)
{
	struct cd_cert rec;
	char obj[64];
	int r;

	memset(&rec, 0, sizeof(rec));
	cd_x509_serial_hex(it->cert, rec.serial, sizeof(rec.serial));
	cd_x509_name_text(X509_get_issuer_name(it->cert), rec.issuer,
	    sizeof(rec.issuer));
	cd_x509_name_text(X509_get_subject_name(it->cert), rec.subject,
	    sizeof(rec.subject));
	rec.request_id = c->req.id;
	rec.person_id = c->person.id;
	rec.attempt_id = c->att.id;
	cd_strlcpy(rec.policy, it->pub.policy->id, sizeof(rec.policy));
	rec.status = CD_CS_PENDING;
	rec.created_at = cd_engine_now(c->e);
	rec.not_before = asn1_time(X509_get0_notBefore(it->cert));
	rec.not_after = asn1_time(X509_get0_notAfter(it->cert));
	if ((r = c->e->so->cert_add(c->e->st, &rec, err)) != 0)
		return r;
	it->cert_id = rec.id;
	cd_strlcpy(it->pub.serial, rec.serial, sizeof(it->pub.serial));
	req_object(c, obj, sizeof(obj));
	return cd_audit(c->e, "cert.issue", obj, "ok", "certificate %s for "
	    "policy %s, %s, subject %s, attempt %lld", rec.serial,
	    it->pub.policy->id, cd_key_type_name(it->pub.policy->key_type),
	    rec.subject, (long long)c->att.id);
}

/* While a CA that answers later has not answered: the progress call
   (which lets the front-end stop) and the attempt's heartbeat. */
static int
issue_wait(void *arg, int waited_s)
{
	struct cd_collect *c = arg;
	char what[96];

	snprintf(what, sizeof(what), "Waiting for the CA (%d s)", waited_s);
	if (c->progress != NULL && c->progress(c->progress_arg, what, 0,
	    1) != 0)
		return 1;
	return cd_collect_tick(c, NULL) != 0;
}

/*
 * The certificate just issued, with its audit row, in one transaction:
 * visible to the sweep at once.  When certdesk itself signs (a CA that
 * makes its own CRL: a key file or a token), the certificate exists
 * nowhere else yet, so the commit is lazy and made durable by the
 * journal's commit (cd_coll_journal) before it can leave this process.
 * A remote CA (SCEP) keeps its own record of what it issued: then the
 * row is durable at once, so that a power cut never leaves a
 * certificate the CA knows and the store does not.
 */
static int
record_issued(struct cd_collect *c, struct cd_err *err)
{
	struct cd_engine *e = c->e;
	int todo[CD_MAX_POLICIES_PER_PROFILE];
	int i, r, n = 0;

	for (i = 0; i < c->n; i++)
		if (c->items[i].cert != NULL && c->items[i].cert_id == 0)
			todo[n++] = i;
	if (n == 0)
		return 0;
	cd_coll_lazy(c, (e->ca_caps & CD_CA_MAKES_CRL) != 0);
	if ((r = e->so->begin(e->st, err)) != 0)
		goto out;
	for (i = 0; r == 0 && i < n; i++)
		r = record_cert(c, &c->items[todo[i]], err);
	if (r == 0)
		r = e->so->commit(e->st, err);
	if (r != 0) {
		e->so->rollback(e->st);
		for (i = 0; i < n; i++)
			c->items[todo[i]].cert_id = 0;
	}
out:
	cd_coll_lazy(c, 0);
	if (r != 0)
		return r;
	cd_fault("after-issue");
	return cd_coll_heartbeat(c, err);
}

static int
issue_one(struct cd_collect *c, int i, struct cd_err *err)
{
	struct cd_coll_item *it = &c->items[i];
	struct cd_ca_req req;
	char what[160];
	int r;

	if (it->cert != NULL)		/* issued before a failure: keep it */
		return it->cert_id != 0 ? 0 : record_issued(c, err);
	snprintf(what, sizeof(what), "Generating %s key for %s",
	    cd_key_type_name(it->pub.policy->key_type), it->pub.policy->name);
	if ((r = cd_coll_progress(c, what, 2 * i, 2 * c->n, err)) != 0)
		return r;
	if ((r = cd_key_generate(it->pub.policy->key_type, &it->key, err)))
		return r;
	cd_fault("after-keygen");
	snprintf(what, sizeof(what), "Issuing certificate for %s",
	    it->pub.policy->name);
	if ((r = cd_coll_progress(c, what, 2 * i + 1, 2 * c->n, err)) != 0)
		return r;
	r = build_issue(c, it, &req, err);
	if (r == 0)
		r = cd_ca_issue(c->e->cao, c->e->ca, &req,
		    c->e->conf->ca_timeout, issue_wait, c, &it->cert, err);
	cd_ca_req_clear(&req);
	if (r != 0)
		return r;
	return record_issued(c, err);
}

int
cd_collect_issue(struct cd_collect *c, struct cd_err *err)
{
	int i, r;

	if (c->stage != CD_CS_PASSWORD)
		return cd_err_set(err, CD_E_STATE, "set the password before "
		    "issuing the certificates");
	if ((r = cd_eng_ca(c->e, err)) != 0)
		return r;
	for (i = 0; i < c->n; i++)
		if ((r = issue_one(c, i, err)) != 0)
			return r;
	c->stage = CD_CS_ISSUED;
	/* [[Serial]] in the file name format needs the serials. */
	if ((r = name_items(c, err)) != 0)
		return r;
	return cd_coll_progress(c, "Certificates issued", 2 * c->n, 2 * c->n,
	    err);
}

/* ---- package ------------------------------------------------------------- */

int
cd_collect_package(struct cd_collect *c, struct cd_err *err)
{
	const struct cd_conf *conf = c->e->conf;
	struct cd_p12_params p;
	char friendly[CD_FIELD_MAX + 80], what[160];
	int i, r;

	if (c->stage != CD_CS_ISSUED)
		return cd_err_set(err, CD_E_STATE, "issue the certificates "
		    "before packaging them");
	p.legacy = conf->sha1_pfx;
	p.iter = conf->pfx_iter;
	p.mac_iter = conf->mac_iter;
	for (i = 0; i < c->n; i++) {
		struct cd_coll_item *it = &c->items[i];

		snprintf(what, sizeof(what), "Packing %s", it->pub.file_name);
		if ((r = cd_coll_progress(c, what, i, c->n, err)) != 0)
			return r;
		snprintf(friendly, sizeof(friendly), "%s - %s",
		    c->person.full_name, it->pub.policy->name);
		if ((r = cd_p12_build(it->key, it->cert,
		    c->e->cao->chain(c->e->ca), friendly, c->pw, &p, &it->p12,
		    &it->p12len, err)) != 0)
			return r;
		if ((r = cd_p12_verify(it->p12, it->p12len, c->pw, it->cert,
		    &p, conf->readback_full, err)) != 0)
			return cd_err_context(err, r, "the package for %s "
			    "did not read back", it->pub.policy->name);
		EVP_PKEY_free(it->key);
		it->key = NULL;
	}
	c->stage = CD_CS_PACKAGED;
	return cd_coll_heartbeat(c, err);
}

/* ---- delivery: shared steps ---------------------------------------------- */

/* Journal row j for item it (content data) inside the open transaction. */
static int
journal_row(struct cd_collect *c, struct cd_coll_item *it, const char *path,
    const unsigned char *data, size_t len, struct cd_err *err)
{
	struct cd_journal j;
	int r;

	memset(&j, 0, sizeof(j));
	if (cd_strlcpy(j.path, path, sizeof(j.path)) >= sizeof(j.path))
		return cd_err_set(err, CD_E_INVAL, "path too long: %s", path);
	j.attempt_id = c->att.id;
	cd_strlcpy(j.host, c->att.host, sizeof(j.host));
	cd_journal_hash(data, len, j.sha256);
	j.at = cd_engine_now(c->e);
	if ((r = c->e->so->journal_add(c->e->st, &j, err)) != 0)
		return r;
	if (it != NULL) {
		cd_strlcpy(it->jpath, j.path, sizeof(it->jpath));
		cd_strlcpy(it->jsha, j.sha256, sizeof(it->jsha));
	}
	return 0;
}

/*
 * The packages not yet journalled that go beside item k's file (same
 * storage, its folder, their own names): journalled with it, so that
 * one durable commit covers every file of the folder.  A row for a file
 * that is then never written is harmless: undoing it finds it gone.
 */
static int
journal_siblings(struct cd_collect *c, int k, const char *path,
    struct cd_err *err)
{
	char dir[CD_JPATH_MAX], p[CD_JPATH_MAX * 2];
	const char *slash = strrchr(path, '/');
	int i, r;

	if (slash == NULL || strcmp(slash + 1, c->items[k].pub.file_name) != 0)
		return 0;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	for (i = 0; i < c->n; i++) {
		struct cd_coll_item *it = &c->items[i];

		if (i == k || it->jpath[0] != '\0' || it->pub.delivered ||
		    it->p12 == NULL || it->pub.policy->storage !=
		    c->items[k].pub.policy->storage)
			continue;
		if (cd_path_join(p, sizeof(p), dir[0] ? dir : "/",
		    it->pub.file_name, NULL) != 0 || strlen(p) >= CD_JPATH_MAX)
			continue;
		if ((r = journal_row(c, it, p, it->p12, it->p12len, err)) != 0)
			return r;
	}
	return 0;
}

/*
 * Journal a file before it is written -- absolute and resolved, with the
 * SHA-256 of its content -- so a crash between here and the commit
 * leaves a row the sweep can undo from any working directory.  Refused
 * (CD_E_LOST) once the attempt no longer holds its request.  This is
 * the attempt's first durable commit: the certificates, claim and
 * heartbeats before it become durable with it, before any file exists.
 */
int
cd_coll_journal(struct cd_collect *c, const char *path,
    const unsigned char *data, size_t len, struct cd_err *err)
{
	struct cd_engine *e = c->e;
	char resolved[CD_JPATH_MAX], sha[65];
	int i, k = -1, r;

	if ((r = cd_journal_resolve(path, resolved, sizeof(resolved),
	    err)) != 0)
		return r;
	cd_journal_hash(data, len, sha);
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->items[i].jpath, resolved) == 0 &&
		    strcmp(c->items[i].jsha, sha) == 0)
			return cd_coll_heartbeat(c, err);	/* done ahead */
		if (c->items[i].p12 == data && c->items[i].jpath[0] == '\0')
			k = i;
	}
	if ((r = e->so->begin(e->st, err)) != 0)
		return r;
	r = journal_row(c, k >= 0 ? &c->items[k] : NULL, resolved, data, len,
	    err);
	if (r == 0 && k >= 0)
		r = journal_siblings(c, k, resolved, err);
	if (r == 0)
		r = e->so->commit(e->st, err);
	if (r != 0) {
		e->so->rollback(e->st);
		for (i = 0; i < c->n; i++)
			c->items[i].jpath[0] = '\0';
		return r;
	}
	return cd_coll_heartbeat(c, err);
}

/* Mark an item delivered and audit where it went. */
int
cd_coll_delivered(struct cd_collect *c, struct cd_coll_item *it,
    const char *location, const char *action, struct cd_err *err)
{
	char obj[64];
	int r;

	cd_strlcpy(it->pub.location, location, sizeof(it->pub.location));
	it->pub.delivered = 1;
	req_object(c, obj, sizeof(obj));
	cd_coll_lazy(c, 1);	/* durable with the commit or the rollback */
	r = cd_audit(c->e, action, obj, "ok", "certificate %s (%s) saved to "
	    "%s", it->pub.serial, it->pub.policy->id, location);
	cd_coll_lazy(c, 0);
	if (r != 0)
		return cd_err_set(err, CD_E_STORE, "cannot record the delivery "
		    "of %s", it->pub.file_name);
	return 0;
}

/* ---- bulk collection --------------------------------------------------- */

int
cd_collect_bulk_check(struct cd_engine *e, const char *profile_id,
    struct cd_err *err)
{
	const struct cd_profile *prof;
	struct cd_err local;
	char obj[96];
	int i, r = 0;

	if (err == NULL)		/* the refusal's reason is audited */
		err = &local;
	if ((prof = cd_conf_profile(e->conf, profile_id)) == NULL)
		return cd_err_set(err, CD_E_NOTFOUND, "no credential profile "
		    "'%s'", profile_id);
	r = cd_eng_need_role(e, CD_ROLE_COLLECT, "collecting in bulk", err);
	if (r == 0 && prof->user_pin)
		r = cd_err_set(err, CD_E_PASSWORD, "profile %s has a "
		    "user-specified password: its requests are collected one "
		    "at a time, with the password typed for each", prof->id);
	for (i = 0; r == 0 && i < prof->npolicies; i++)
		if (prof->policies[i]->storage != CD_STORE_FILESTORE)
			r = cd_err_set(err, CD_E_INVAL, "profile %s has %s "
			    "certificates (policy %s): only profiles whose "
			    "certificates all go to a folder (FileStore) can be "
			    "collected in bulk", prof->id,
			    cd_storage_name(prof->policies[i]->storage),
			    prof->policies[i]->id);
	if (r != 0) {
		snprintf(obj, sizeof(obj), "profile %s", prof->id);
		cd_audit(e, "collect.bulk", obj, "refused", "%s", err->msg);
	}
	return r;
}

int
cd_collect_bulk_start(struct cd_engine *e, const char *profile_id,
    int limit, int jobs, const char *folder, int64_t **ids, int *n,
    struct cd_err *err)
{
	char obj[96];
	int r;

	*ids = NULL;
	*n = 0;
	if ((r = cd_collect_bulk_check(e, profile_id, err)) != 0 ||
	    (r = cd_collect_profile_check(e, profile_id, err)) != 0 ||
	    (r = cd_request_collectable(e, profile_id, limit, ids, n,
	    err)) != 0)
		return r;
	snprintf(obj, sizeof(obj), "profile %s", profile_id);
	cd_audit(e, "collect.bulk", obj, "ok", "%d request%s ready, "
	    "%d worker%s, folder %s", *n, *n == 1 ? "" : "s", jobs,
	    jobs == 1 ? "" : "s", folder != NULL ? folder : "");
	return 0;
}

/* ---- commit ---------------------------------------------------------------- */

static int
all_delivered(struct cd_collect *c, struct cd_err *err)
{
	int i, waiting = 0;

	for (i = 0; i < c->n; i++)
		if (!c->items[i].pub.delivered)
			waiting++;
	if (c->stage != CD_CS_PACKAGED || waiting > 0)
		return cd_err_set(err, CD_E_STATE, "%d certificate%s not saved "
		    "yet", waiting ? waiting : c->n, (waiting ? waiting :
		    c->n) == 1 ? " is" : "s are");
	return 0;
}

static void
wipe_password(struct cd_collect *c)
{
	cd_secret_free(c->pw, PW_MAX);
	c->pw = NULL;
}

static int
make_device(struct cd_collect *c, struct cd_device *d, struct cd_err *err)
{
	size_t used = 0;
	int i;

	memset(d, 0, sizeof(*d));
	cd_strlcpy(d->type, "Soft Certificate", sizeof(d->type));
	snprintf(d->serial, sizeof(d->serial), "SC-%lld-%lld",
	    (long long)c->req.id, (long long)c->att.id);
	d->owner_id = c->person.id;
	d->parent_id = c->usb_device_id;
	cd_strlcpy(d->status, "active", sizeof(d->status));
	d->created_at = cd_engine_now(c->e);
	for (i = 0; i < c->n && used < sizeof(d->detail); i++)
		used += (size_t)snprintf(d->detail + used,
		    sizeof(d->detail) - used, "%s%s: %s", i ? "\n" : "",
		    c->items[i].pub.policy->name, c->items[i].pub.location);
	return c->e->so->device_add(c->e->st, d, err);
}

static int
first_cert(const struct cd_cert *cert, void *arg)
{
	*(struct cd_cert *)arg = *cert;
	return 1;
}

static int
activate_certs(struct cd_collect *c, int64_t device_id, struct cd_err *err)
{
	struct cd_cert_filter f;
	struct cd_cert cert;
	int i, r;

	for (i = 0; i < c->n; i++) {
		cd_cert_filter_init(&f);
		f.attempt_id = c->att.id;
		cd_strlcpy(f.serial, c->items[i].pub.serial, sizeof(f.serial));
		memset(&cert, 0, sizeof(cert));
		if ((r = c->e->so->cert_list(c->e->st, &f, first_cert, &cert,
		    err)) < 0)
			return r;
		if (cert.id == 0)
			return cd_err_set(err, CD_E_INTERNAL, "certificate %s "
			    "is missing from the store", c->items[i].pub.serial);
		cert.status = CD_CS_ACTIVE;
		cert.device_id = device_id;
		cd_strlcpy(cert.location, c->items[i].pub.location,
		    sizeof(cert.location));
		if ((r = c->e->so->cert_update(c->e->st, &cert, err)) != 0)
			return r;
	}
	return 0;
}

/*
 * Inside the commit transaction: the device and active certificates are
 * written, then the conditional commit applies only while this attempt
 * still holds the request; when it does not (CD_E_LOST) the transaction
 * is rolled back and nothing of the commit survives.
 */
static int
commit_records(struct cd_collect *c, struct cd_err *err)
{
	struct cd_engine *e = c->e;
	struct cd_commit_info ci;
	struct cd_device dev;
	char obj[64];
	int r;

	if ((r = e->so->begin(e->st, err)) != 0)
		return r;
	if ((r = make_device(c, &dev, err)) != 0 ||
	    (r = activate_certs(c, dev.id, err)) != 0)
		goto fail;
	memset(&ci, 0, sizeof(ci));
	ci.device_id = dev.id;
	cd_strlcpy(ci.collected_by, e->op.logon, sizeof(ci.collected_by));
	ci.at = cd_engine_now(e);
	if ((r = e->so->attempt_commit(e->st, c->att.id, &ci, err)) != 0) {
		if (r == CD_E_LOST)
			still_in_progress(c, err);
		goto fail;
	}
	c->req.status = CD_RS_COMPLETED;
	c->req.device_id = dev.id;
	cd_strlcpy(c->req.collected_by, ci.collected_by,
	    sizeof(c->req.collected_by));
	c->req.collected_at = c->req.updated_at = ci.at;
	c->att.state = CD_AS_COMPLETED;
	c->att.ended_at = ci.at;
	req_object(c, obj, sizeof(obj));
	if ((r = cd_audit(e, "collect.commit", obj, "ok", "%d certificate%s "
	    "collected as device %s (%s PFX, password %s)", c->n, c->n == 1 ?
	    "" : "s", dev.serial, e->conf->sha1_pfx ? "SHA-1/3DES" :
	    "AES-256/SHA-256", c->generated ? "generated, sent by PIN mailer" :
	    "set by the operator")) != 0)
		goto fail;
	cd_fault("before-commit");
	return e->so->commit(e->st, err);
fail:
	e->so->rollback(e->st);
	return r;
}

/*
 * Every certificate delivered and the attempt still holding the request:
 * else the collection is rolled back (a lost attempt prints no PIN
 * mailer and commits nothing).
 */
static int
ready_to_commit(struct cd_collect *c, struct cd_err *err)
{
	int r;

	if ((r = all_delivered(c, err)) != 0)
		return r;
	if ((r = cd_coll_heartbeat(c, err)) != 0) {
		struct cd_err sub;

		cd_collect_cancel(c, err->msg, NULL, 0, &sub);
	}
	return r;
}

/* The PIN mailer failed (r): roll back, saying why. */
static int
mailer_failed(struct cd_collect *c, int r, struct cd_err *err)
{
	cd_err_prefix(err, "the PIN mailer could not be printed, so nobody "
	    "could tell the user the password; the collection was rolled "
	    "back");
	cd_collect_cancel(c, err->msg, NULL, 0, NULL);
	return r;
}

int
cd_collect_mailer_start(struct cd_collect *c, struct cd_err *err)
{
	struct cd_err local;
	int r;

	if (err == NULL)
		err = &local;
	if (!c->generated || c->pin != NULL)
		return 0;
	if ((r = ready_to_commit(c, err)) != 0)
		return r;
	if ((r = cd_coll_pin_start(c, err)) != 0)
		return mailer_failed(c, r, err);
	return 0;
}

int
cd_collect_commit(struct cd_collect *c, struct cd_err *err)
{
	struct cd_err local;
	int r;

	if (err == NULL)		/* a rollback's reason is audited */
		err = &local;
	if ((r = ready_to_commit(c, err)) != 0)
		return r;
	if (c->generated && (r = cd_coll_pin_mailer(c, err)) != 0)
		return mailer_failed(c, r, err);
	/* A stop asked for while the PIN mailer printed still cancels. */
	if (c->generated && (r = cd_coll_progress(c, "PIN mailer printed", 1,
	    1, err)) != 0) {
		cd_collect_cancel(c, err->msg, NULL, 0, NULL);
		return r;
	}
	wipe_password(c);
	if ((r = commit_records(c, err)) != 0) {
		struct cd_err sub;

		cd_collect_cancel(c, "the store could not record the "
		    "collection", NULL, 0, &sub);
		return r;
	}
	c->stage = CD_CS_COMMITTED;
	return 0;
}

/* ---- cancel ---------------------------------------------------------------- */

/*
 * The conditional cancel: the attempt moves to cancelled only from in
 * progress and the request goes back only if this attempt still holds
 * it.  When the sweep got there first (*lost), the attempt stays as the
 * sweep left it; the files written since are still removed and the
 * certificates issued since still marked (marking skips those already
 * marked, so each is marked once).
 */
static int
rollback_records(struct cd_collect *c, const char *reason,
    struct cd_undo *u, int *certs, int *lost, struct cd_err *err)
{
	struct cd_engine *e = c->e;
	char obj[64], files[sizeof(u->failures) + 128];
	int r;

	*lost = 0;
	memset(u, 0, sizeof(*u));
	if ((r = e->so->begin(e->st, err)) != 0)
		return r;
	r = e->so->attempt_release(e->st, c->att.id, CD_AS_CANCELLED,
	    cd_engine_now(e), 0, err);
	if (r == CD_E_LOST)
		*lost = 1, r = 0;
	if (r != 0 || (r = cd_journal_undo(e, c->att.id, 1, u, err)) != 0 ||
	    (r = cd_eng_mark_attempt_certs(e, c->att.id, cd_engine_now(e) +
	    e->conf->revoke_delay, certs, err)) != 0)
		goto fail;
	cd_undo_text(u, "deleted", files, sizeof(files));
	req_object(c, obj, sizeof(obj));
	if ((r = cd_audit(e, "collect.cancel", obj, *lost ? "lost" :
	    "cancelled", "attempt %lld: %s; %s, %d certificate%s to be "
	    "revoked in %d s%s%s", (long long)c->att.id, reason ? reason :
	    "cancelled", files, *certs, *certs == 1 ? "" : "s",
	    e->conf->revoke_delay, c->nss_note, *lost ? "; the sweep had "
	    "already stopped this attempt" : "")) != 0)
		goto fail;
	return e->so->commit(e->st, err);
fail:
	e->so->rollback(e->st);
	return r;
}

int
cd_collect_cancel(struct cd_collect *c, const char *reason, char *undone,
    size_t undonelen, struct cd_err *err)
{
	struct cd_undo u;
	struct cd_err mailer;
	char files[sizeof(u.failures) + 128];
	int certs = 0, kept = 0, lost = 0, i, r;

	if (c == NULL)
		return 0;
	wipe_password(c);
	/* a PIN mailer still printing is cancelled and purged */
	cd_coll_pin_end(c, 1, &mailer);
	if (c->stage == CD_CS_COMMITTED)
		return cd_err_set(err, CD_E_STATE, "the collection is already "
		    "complete");
	if (c->stage == CD_CS_CANCELLED || c->stage == CD_CS_NONE)
		return 0;
	for (i = 0; i < c->n; i++) {
		if (c->items[i].pub.policy->storage == CD_STORE_SYSTEMSTORE &&
		    c->items[i].pub.delivered)
			kept++;
		c->items[i].pub.delivered = 0;
	}
	r = rollback_records(c, reason, &u, &certs, &lost, err);
	c->stage = CD_CS_CANCELLED;
	cd_undo_text(&u, "deleted", files, sizeof(files));
	if (undone != NULL)
		snprintf(undone, undonelen, "%s, %d certificate%s will be "
		    "revoked%s%s", files, certs, certs == 1 ? "" : "s", kept ?
		    "; certificates already in the personal store stay there" :
		    "", lost ? "; the sweep had already stopped this "
		    "collection" : "");
	return r;
}

void
cd_collect_free(struct cd_collect *c)
{
	int i;

	if (c == NULL)
		return;
	if (c->stage != CD_CS_COMMITTED && c->stage != CD_CS_CANCELLED &&
	    c->stage != CD_CS_NONE)
		cd_collect_cancel(c, "the collection was closed before it "
		    "finished", NULL, 0, NULL);
	wipe_password(c);
	for (i = 0; i < c->n; i++) {
		EVP_PKEY_free(c->items[i].key);
		X509_free(c->items[i].cert);
		if (c->items[i].p12 != NULL)
			OPENSSL_clear_free(c->items[i].p12,
			    c->items[i].p12len);
	}
	free(c);
}
