/*
 * sweep.c - the clean-up that runs at every certdesk start and as
 * 'certdesk sweep': abort collection attempts whose process died or went
 * silent (removing the files they wrote), and revoke certificates that
 * were not fully collected once their delay has passed.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine-int.h"
#include "journal.h"
#include "util.h"

struct stale {
	struct cd_attempt *list;
	int n, cap;
	int64_t cutoff;
	char host[64];
};

/* Is the attempt's process gone (same host only) or silent too long? */
static int
attempt_dead(const struct cd_attempt *a, const struct stale *s)
{
	if (a->heartbeat_at < s->cutoff)
		return 1;
	if (strcmp(a->host, s->host) != 0 || a->pid <= 0)
		return 0;
	return kill(a->pid, 0) == -1 && errno == ESRCH;
}

static int
collect_stale(const struct cd_attempt *a, void *arg)
{
	struct stale *s = arg;
	struct cd_attempt *nl;

	if (!attempt_dead(a, s))
		return 0;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		if ((nl = realloc(s->list, (size_t)s->cap * sizeof(*nl))) ==
		    NULL)
			return CD_E_NOMEM;
		s->list = nl;
	}
	s->list[s->n++] = *a;
	return 0;
}

struct mark {
	struct cd_engine *e;
	int64_t revoke_after;
	int n;
	int rc;
	struct cd_err *err;
};

static int
mark_cert(const struct cd_cert *c, void *arg)
{
	struct mark *m = arg;
	struct cd_cert u = *c;

	if (c->status != CD_CS_PENDING || c->revoke_after != 0)
		return 0;
	u.revoke_after = m->revoke_after;
	cd_strlcpy(u.revoke_reason, "cessationOfOperation",
	    sizeof(u.revoke_reason));
	if ((m->rc = m->e->so->cert_update(m->e->st, &u, m->err)) != 0)
		return 1;
	m->n++;
	return 0;
}

int cd_eng_mark_attempt_certs(struct cd_engine *e, int64_t attempt_id,
    int64_t revoke_after, int *count, struct cd_err *err);

/* Mark the attempt's pending certificates for revocation at a time. */
int
cd_eng_mark_attempt_certs(struct cd_engine *e, int64_t attempt_id,
    int64_t revoke_after, int *count, struct cd_err *err)
{
	struct cd_cert_filter f;
	struct mark m = { e, revoke_after, 0, 0, err };
	int r;

	cd_cert_filter_init(&f);
	f.attempt_id = attempt_id;
	f.status = CD_CS_PENDING;
	r = e->so->cert_list(e->st, &f, mark_cert, &m, err);
	if (m.rc != 0)
		return m.rc;
	if (r < 0)
		return r;
	if (count != NULL)
		*count = m.n;
	return 0;
}

static int
abort_attempt(struct cd_engine *e, struct cd_attempt *a, struct cd_err *err)
{
	struct cd_request req;
	char obj[64], detail[CD_DETAIL_MAX];
	int files = 0, certs = 0, r;

	files = cd_journal_remove_files(a->detail);
	if ((r = e->so->begin(e->st, err)) != 0)
		return r;
	if ((r = cd_eng_mark_attempt_certs(e, a->id, a->heartbeat_at +
	    e->conf->revoke_delay, &certs, err)) != 0)
		goto fail;
	a->state = CD_AS_ABORTED;
	a->ended_at = cd_engine_now(e);
	if ((r = e->so->attempt_update(e->st, a, err)) != 0)
		goto fail;
	if (e->so->request_get(e->st, a->request_id, &req, NULL) == 0 &&
	    req.status == CD_RS_BEING_COLLECTED) {
		req.status = CD_RS_AWAIT_COLLECTION;
		req.updated_at = a->ended_at;
		if ((r = e->so->request_update(e->st, &req, err)) != 0)
			goto fail;
	}
	snprintf(obj, sizeof(obj), "request %lld", (long long)a->request_id);
	snprintf(detail, sizeof(detail), "attempt %lld by %s (process %d on "
	    "%s) stopped without finishing: %d file%s removed, %d "
	    "certificate%s to be revoked", (long long)a->id, a->operator_,
	    a->pid, a->host, files, files == 1 ? "" : "s", certs,
	    certs == 1 ? "" : "s");
	if ((r = cd_eng_audit(e, "collect.abort", obj, "aborted", detail,
	    err)) != 0)
		goto fail;
	return e->so->commit(e->st, err);
fail:
	e->so->rollback(e->st);
	return r;
}

struct due {
	struct cd_cert *list;
	int n, cap;
};

static int
collect_due(const struct cd_cert *c, void *arg)
{
	struct due *d = arg;
	struct cd_cert *nl;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		if ((nl = realloc(d->list, (size_t)d->cap * sizeof(*nl))) ==
		    NULL)
			return CD_E_NOMEM;
		d->list = nl;
	}
	d->list[d->n++] = *c;
	return 0;
}

/*
 * A certificate the CA backend cannot revoke stays pending (marked, so
 * that it is listed again) and each sweep audits that it must be revoked
 * at the CA by hand.
 */
static int
cannot_revoke(struct cd_engine *e, struct cd_cert *c, struct cd_err *err)
{
	char obj[128], detail[CD_DETAIL_MAX];
	struct cd_err why;

	cd_ca_revoke(e->cao, e->ca_caps, e->ca, c->serial, CD_CRL_CESSATION,
	    cd_engine_now(e), &why);
	snprintf(obj, sizeof(obj), "request %lld", (long long)c->request_id);
	snprintf(detail, sizeof(detail), "certificate %s (%s) was not fully "
	    "collected and is not revoked: %s", c->serial, c->policy,
	    why.msg);
	return cd_eng_audit(e, "cert.revoke", obj, "refused", detail, err);
}

static int
revoke_one(struct cd_engine *e, struct cd_cert *c, struct cd_err *err)
{
	char obj[128], detail[CD_DETAIL_MAX];
	int r;

	if (!(e->ca_caps & CD_CA_CAN_REVOKE))
		return cannot_revoke(e, c, err);
	if ((r = cd_ca_revoke(e->cao, e->ca_caps, e->ca, c->serial,
	    CD_CRL_CESSATION, cd_engine_now(e), err)) != 0)
		return r;
	c->status = CD_CS_REVOKED;
	c->revoked_at = cd_engine_now(e);
	if ((r = e->so->cert_update(e->st, c, err)) != 0)
		return r;
	snprintf(obj, sizeof(obj), "request %lld", (long long)c->request_id);
	snprintf(detail, sizeof(detail), "certificate %s (%s) revoked: not "
	    "fully collected%s%s", c->serial, c->policy,
	    c->location[0] ? "; it had been delivered to " : "", c->location);
	return cd_eng_audit(e, "cert.revoke", obj, "ok", detail, err);
}

int
cd_eng_sweep(struct cd_engine *e, struct cd_sweep_result *res,
    unsigned flags, struct cd_err *err)
{
	struct cd_attempt_filter af = { 0, CD_AS_IN_PROGRESS, 0 };
	struct cd_cert_filter cf;
	struct stale s;
	struct due d = { NULL, 0, 0 };
	int i, r;

	memset(res, 0, sizeof(*res));
	memset(&s, 0, sizeof(s));
	s.cutoff = cd_engine_now(e) - e->conf->attempt_timeout;
	gethostname(s.host, sizeof(s.host) - 1);
	if ((r = e->so->attempt_list(e->st, &af, collect_stale, &s, err)) < 0)
		goto out;
	for (i = 0; i < s.n; i++) {
		if ((r = abort_attempt(e, &s.list[i], err)) != 0)
			goto out;
		res->aborted++;
	}
	/* Revocations call the CA: not at start-up if it may be slow. */
	if ((flags & CD_SWEEP_STARTUP) &&
	    (e->ca_caps & CD_CA_ANSWERS_LATER)) {
		r = 0;
		goto out;
	}
	cd_cert_filter_init(&cf);
	cf.status = CD_CS_PENDING;
	cf.revoke_due_by = cd_engine_now(e);
	if ((r = e->so->cert_list(e->st, &cf, collect_due, &d, err)) < 0)
		goto out;
	for (i = 0; i < d.n; i++) {
		if ((r = revoke_one(e, &d.list[i], err)) != 0)
			goto out;
		if (e->ca_caps & CD_CA_CAN_REVOKE)
			res->revoked++;
	}
	r = 0;
out:
	free(s.list);
	free(d.list);
	return r;
}

static int
count_waiting(const struct cd_cert *c, void *arg)
{
	if (c->revoke_after > 0)
		(*(int *)arg)++;
	return 0;
}

int
cd_sweep(struct cd_engine *e, struct cd_sweep_result *res,
    struct cd_err *err)
{
	struct cd_cert_filter cf;
	int r;

	if ((r = cd_eng_sweep(e, res, 0, err)) != 0)
		return r;
	cd_cert_filter_init(&cf);
	cf.status = CD_CS_PENDING;
	return e->so->cert_list(e->st, &cf, count_waiting, &res->waiting,
	    err) < 0 ? CD_E_STORE : 0;
}
