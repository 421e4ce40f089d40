/* SPDX-License-Identifier: ISC */
/*
 * sweep.c - the clean-up that runs at every certdesk start and as
 * 'certdesk sweep': abort collection attempts that went silent (no
 * heartbeat for [security] attempt_timeout; removing the files they
 * wrote and purging the print jobs they left), retry removals and purges
 * that failed before, revoke certificates that were not fully collected
 * once their delay has passed, and publish the CRL again when the
 * published one nears its next update.
 */
#include "config.h"

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
};

/* The filter already chose by heartbeat age: keep every one. */
static int
collect_stale(const struct cd_attempt *a, void *arg)
{
	struct stale *s = arg;
	struct cd_attempt *nl;

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

/*
 * Abort one stale attempt, in one transaction: the conditional release
 * applies only if the attempt is still in progress with a heartbeat
 * older than the cutoff, so of two sweeps at once (or a sweep and the
 * attempt's own commit) exactly one gets it.  Only the sweep that got
 * it removes the files and marks the certificates.  *done is 0 when
 * another got there first.
 */
static int
abort_attempt(struct cd_engine *e, struct cd_attempt *a, int64_t cutoff,
    int *done, struct cd_sweep_result *res, struct cd_err *err)
{
	struct cd_undo u;
	char obj[64], files[sizeof(u.failures) + 128], detail[CD_DETAIL_MAX];
	int certs = 0, r;

	*done = 0;
	if ((r = e->so->begin(e->st, err)) != 0)
		return r;
	if ((r = e->so->attempt_release(e->st, a->id, CD_AS_ABORTED,
	    cd_engine_now(e), cutoff, err)) == CD_E_LOST) {
		e->so->rollback(e->st);
		return 0;
	}
	if (r != 0 || (r = cd_journal_undo(e, a->id, 0, &u, err)) != 0 ||
	    (r = cd_eng_mark_attempt_certs(e, a->id, a->heartbeat_at +
	    e->conf->revoke_delay, &certs, err)) != 0)
		goto fail;
	cd_undo_text(&u, "removed", files, sizeof(files));
	snprintf(obj, sizeof(obj), "request %lld", (long long)a->request_id);
	snprintf(detail, sizeof(detail), "attempt %lld by %s (process %d on "
	    "%s) stopped without finishing (no heartbeat for more than %d s): "
	    "%s, %d certificate%s to be revoked", (long long)a->id,
	    a->operator_, a->pid, a->host, e->conf->attempt_timeout, files,
	    certs, certs == 1 ? "" : "s");
	if ((r = cd_eng_audit(e, "collect.abort", obj, "aborted", detail,
	    err)) != 0)
		goto fail;
	if ((r = e->so->commit(e->st, err)) != 0)
		return r;
	*done = 1;
	res->files_removed += u.removed;
	res->files_failed += u.failed;
	return 0;
fail:
	e->so->rollback(e->st);
	return r;
}

/* The ids of attempts with journal rows still pending. */
struct pending {
	int64_t *ids;
	int n, cap;
};

static int
collect_pending(const struct cd_journal *j, void *arg)
{
	struct pending *p = arg;
	int64_t *nl;

	if (p->n > 0 && p->ids[p->n - 1] == j->attempt_id)
		return 0;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		if ((nl = realloc(p->ids, (size_t)p->cap * sizeof(*nl))) ==
		    NULL)
			return CD_E_NOMEM;
		p->ids = nl;
	}
	p->ids[p->n++] = j->attempt_id;
	return 0;
}

/*
 * Try again the files an ended attempt could not remove (a read-only
 * folder, another host).  Audited when something was removed or a
 * removal failed for a new reason, so a sweep at every start does not
 * repeat the same record.
 */
static int
retry_one(struct cd_engine *e, int64_t id, struct cd_sweep_result *res,
    struct cd_err *err)
{
	struct cd_attempt a;
	struct cd_undo u;
	char obj[64], files[sizeof(u.failures) + 128];
	int r;

	if ((r = e->so->begin(e->st, err)) != 0)
		return r;
	if ((r = e->so->attempt_get(e->st, id, &a, err)) != 0)
		goto fail;
	/* a completed attempt's pending rows are print jobs to purge */
	if (a.state == CD_AS_IN_PROGRESS) {
		e->so->rollback(e->st);
		return 0;
	}
	if ((r = cd_journal_undo(e, id, 0, &u, err)) != 0)
		goto fail;
	cd_undo_text(&u, "removed", files, sizeof(files));
	snprintf(obj, sizeof(obj), "request %lld", (long long)a.request_id);
	if ((u.removed > 0 || u.purged > 0 || u.changed > 0) &&
	    (r = cd_audit(e,
	    "collect.cleanup", obj, u.failed ? "failed" : "ok", "attempt "
	    "%lld (%s): %s", (long long)id, cd_attempt_state_name(a.state),
	    files)) != 0)
		goto fail;
	if ((r = e->so->commit(e->st, err)) != 0)
		return r;
	res->files_removed += u.removed;
	res->files_failed += u.failed;
	return 0;
fail:
	e->so->rollback(e->st);
	return r;
}

static int
retry_removals(struct cd_engine *e, struct cd_sweep_result *res,
    struct cd_err *err)
{
	struct pending p = { NULL, 0, 0 };
	int i, r;

	r = e->so->journal_list(e->st, 0, CD_JS_PENDING, collect_pending, &p,
	    err);
	for (i = 0; r == 0 && i < p.n; i++)
		r = retry_one(e, p.ids[i], res, err);
	free(p.ids);
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
first_cert(const struct cd_cert *c, void *arg)
{
	*(struct cd_cert *)arg = *c;
	return 1;
}

/* Not revoked now (why): it stays pending and due for the next sweep. */
static int
retry_later(struct cd_engine *e, const struct cd_cert *c,
    const struct cd_err *why, struct cd_err *err)
{
	char obj[128], detail[CD_DETAIL_MAX];

	snprintf(obj, sizeof(obj), "request %lld", (long long)c->request_id);
	snprintf(detail, sizeof(detail), "certificate %s (%s) not revoked, "
	    "to be retried: %s", c->serial, c->policy, why->msg);
	return cd_eng_audit(e, "cert.revoke", obj, "failed", detail, err);
}

/*
 * Revoke one certificate, in one transaction that first checks it is
 * still pending and due: of two sweeps at once only one revokes it.
 * *done is 0 when another sweep got there first.  The CA is opened
 * before: a token's login never happens while the store is locked.
 */
static int
revoke_one(struct cd_engine *e, struct cd_cert *c, int *done,
    struct cd_err *err)
{
	struct cd_cert_filter f;
	struct cd_cert cur;
	struct cd_err why;
	char obj[128], detail[CD_DETAIL_MAX], how[1024];
	int r;

	*done = 0;
	if (!(e->ca_caps & CD_CA_CAN_REVOKE))
		return cannot_revoke(e, c, err);
	if (cd_eng_ca(e, &why) != 0)
		return retry_later(e, c, &why, err);
	if ((r = e->so->begin(e->st, err)) != 0)
		return r;
	cd_cert_filter_init(&f);
	f.request_id = c->request_id;
	f.status = CD_CS_PENDING;
	f.revoke_due_by = cd_engine_now(e);
	cd_strlcpy(f.serial, c->serial, sizeof(f.serial));
	memset(&cur, 0, sizeof(cur));
	if ((r = e->so->cert_list(e->st, &f, first_cert, &cur, err)) < 0)
		goto fail;
	if (cur.id != c->id) {
		e->so->rollback(e->st);
		return 0;
	}
	if (cd_ca_revoke_all(e->conf, e->ca, c->serial, CD_CRL_CESSATION,
	    cd_engine_now(e), how, sizeof(how), &why) != 0) {
		e->so->rollback(e->st);
		return retry_later(e, c, &why, err);
	}
	cur.status = CD_CS_REVOKED;
	cur.revoked_at = cd_engine_now(e);
	if ((r = e->so->cert_update(e->st, &cur, err)) != 0)
		goto fail;
	snprintf(obj, sizeof(obj), "request %lld", (long long)c->request_id);
	snprintf(detail, sizeof(detail), "certificate %s (%s) revoked: not "
	    "fully collected%s%s%s%s", c->serial, c->policy,
	    c->location[0] ? "; it had been delivered to " : "", c->location,
	    how[0] ? "; " : "", how);
	if ((r = cd_eng_audit(e, "cert.revoke", obj, "ok", detail, err)) != 0)
		goto fail;
	if ((r = e->so->commit(e->st, err)) == 0)
		*done = 1;
	return r;
fail:
	e->so->rollback(e->st);
	return r;
}

/*
 * Stale is decided only by the heartbeat's age: an attempt whose last
 * heartbeat is older than [security] attempt_timeout is aborted, whatever
 * its process looks like (a stopped or unreachable process is as stale as
 * a dead one, and a pid says nothing about another host).
 */
int
cd_eng_sweep(struct cd_engine *e, struct cd_sweep_result *res,
    unsigned flags, struct cd_err *err)
{
	struct cd_attempt_filter af = { 0, CD_AS_IN_PROGRESS, 0 };
	struct cd_cert_filter cf;
	struct stale s;
	struct due d = { NULL, 0, 0 };
	int i, done, r;

	memset(res, 0, sizeof(*res));
	memset(&s, 0, sizeof(s));
	/* first the removals that failed before, then this run's aborts */
	if ((r = retry_removals(e, res, err)) != 0)
		return r;
	af.heartbeat_before = cd_engine_now(e) - e->conf->attempt_timeout;
	if ((r = e->so->attempt_list(e->st, &af, collect_stale, &s, err)) < 0)
		goto out;
	for (i = 0; i < s.n; i++) {
		if ((r = abort_attempt(e, &s.list[i], af.heartbeat_before,
		    &done, res, err)) != 0)
			goto out;
		res->aborted += done;
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
		if ((r = revoke_one(e, &d.list[i], &done, err)) != 0)
			goto out;
		res->revoked += done;
	}
	/*
	 * The published CRL: fresh after revocations, and renewed when its
	 * next update is near.  A failure is audited and does not stop the
	 * sweep (the next one tries again).
	 */
	cd_eng_crl_publish(e, res->revoked > 0, NULL);
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
