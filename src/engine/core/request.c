/* SPDX-License-Identifier: ISC */
/*
 * request.c - the request lifecycle.  Every transition is decided here
 * and audited; front-ends only ask.
 *
 *   new ──> awaiting approval ──approve──> awaiting validation ──validate──>
 *           awaiting collection ──collect──> being collected ──> completed
 *   approval and validation are skipped when the profile does not need
 *   them; reject ends a request awaiting approval or validation; cancel
 *   ends any request not yet completed and not being collected.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-int.h"
#include "util.h"

static void
req_object(int64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "request %lld", (long long)id);
}

/* Status a request enters after its approval stage. */
static int
after_approval(const struct cd_profile *prof)
{
	return prof != NULL && prof->need_validation ?
	    CD_RS_AWAIT_VALIDATION : CD_RS_AWAIT_COLLECTION;
}

int
cd_request_new(struct cd_engine *e, const char *person_logon,
    const char *profile_id, int64_t *id, int *status, struct cd_err *err)
{
	const struct cd_profile *prof;
	struct cd_person p;
	struct cd_request r;
	struct cd_err local;
	char obj[64], detail[CD_DETAIL_MAX];
	int rc;

	if (err == NULL)		/* the refusal's reason is audited */
		err = &local;
	if ((prof = cd_conf_profile(e->conf, profile_id)) == NULL)
		return cd_err_set(err, CD_E_NOTFOUND,
		    "no credential profile '%s'", profile_id);
	rc = e->so->person_get(e->st, 0, person_logon, &p, err);
	if (rc == CD_E_NOTFOUND)
		return cd_err_set(err, rc, "no person with logon name '%s'",
		    person_logon);
	if (rc != 0)
		return rc;
	snprintf(obj, sizeof(obj), "person %s", p.logon);
	if (p.id != e->op.id && (rc = cd_eng_need_role(e, CD_ROLE_REQUEST,
	    "requesting a certificate for someone else", err)) != 0) {
		cd_audit(e, "request.new", obj, "refused", "profile %s: %s",
		    prof->id, err->msg);
		return rc;
	}
	if (p.status != CD_PS_ACTIVE) {
		cd_audit(e, "request.new", obj, "refused", "profile %s: the "
		    "person %s is disabled", prof->id, p.logon);
		return cd_err_set(err, CD_E_STATE, "the person %s is disabled",
		    p.logon);
	}
	memset(&r, 0, sizeof(r));
	r.type = CD_RT_SOFT_CERT;
	r.person_id = p.id;
	cd_strlcpy(r.profile, prof->id, sizeof(r.profile));
	cd_strlcpy(r.created_by, e->op.logon, sizeof(r.created_by));
	r.created_at = r.updated_at = cd_engine_now(e);
	r.status = prof->need_approval ? CD_RS_AWAIT_APPROVAL :
	    after_approval(prof);
	if ((rc = e->so->begin(e->st, err)) != 0)
		return rc;
	if ((rc = e->so->request_add(e->st, &r, err)) != 0)
		goto fail;
	req_object(r.id, obj, sizeof(obj));
	snprintf(detail, sizeof(detail), "for %s, profile %s: %s", p.logon,
	    prof->id, cd_status_name(r.status));
	if ((rc = cd_eng_audit(e, "request.new", obj, "ok", detail, err)))
		goto fail;
	if ((rc = e->so->commit(e->st, err)) != 0)
		return rc;
	*id = r.id;
	if (status != NULL)
		*status = r.status;
	return 0;
fail:
	e->so->rollback(e->st);
	return rc;
}

int
cd_request_get(struct cd_engine *e, int64_t id, struct cd_request *out,
    struct cd_err *err)
{
	int r;

	r = e->so->request_get(e->st, id, out, err);
	if (r == CD_E_NOTFOUND)
		return cd_err_set(err, r, "no request %lld", (long long)id);
	if (r != 0)
		return r;
	if (out->person_id != e->op.id && (r = cd_eng_need_role(e,
	    CD_ROLE_VIEW, "viewing other people's requests", err)) != 0)
		return r;
	return 0;
}

int
cd_request_search(struct cd_engine *e, const struct cd_request_filter *f,
    cd_request_cb cb, void *arg, struct cd_err *err)
{
	int r;

	if ((r = cd_eng_need_role(e, CD_ROLE_VIEW, "searching requests", err)))
		return r;
	return e->so->request_search(e->st, f, cb, arg, err);
}

/* Is the operator the person the request is for? */
static int
is_recipient(struct cd_engine *e, const struct cd_request *r)
{
	return r->person_id == e->op.id;
}

/*
 * Why a rule refuses: the code the refusal returns (0 when the rule
 * allows it) and the reason for the operator.  Callers pass the code on;
 * nothing reads the reason but people.
 */
struct refusal {
	int code;		/* 0, CD_E_STATE, CD_E_DENIED or CD_E_BUSY */
	char why[CD_FIELD_MAX];
};

static struct refusal
refuse(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static struct refusal
refuse(int code, const char *fmt, ...)
{
	struct refusal rf;
	va_list ap;

	rf.code = code;
	va_start(ap, fmt);
	vsnprintf(rf.why, sizeof(rf.why), fmt, ap);
	va_end(ap);
	return rf;
}

static struct refusal
allowed(void)
{
	struct refusal rf = { 0, "" };

	return rf;
}

/* A disabled person's requests go no further (p may be NULL: unknown). */
static struct refusal
holder_refusal(const struct cd_person *p)
{
	if (p != NULL && p->status != CD_PS_ACTIVE)
		return refuse(CD_E_STATE, "the person %s is disabled",
		    p->logon);
	return allowed();
}

/* Why the operator may not approve r, leaving its person aside. */
static struct refusal
approve_rule(struct cd_engine *e, const struct cd_request *r)
{
	if (r->status != CD_RS_AWAIT_APPROVAL)
		return refuse(CD_E_STATE, "it is not awaiting approval");
	if (!(e->op.roles & CD_ROLE_APPROVE))
		return refuse(CD_E_DENIED, "approving needs the 'approve' "
		    "role");
	if (strcmp(r->created_by, e->op.logon) == 0)
		return refuse(CD_E_DENIED, "you made this request: another "
		    "operator must approve it");
	if (is_recipient(e, r))
		return refuse(CD_E_DENIED, "it is your own request: another "
		    "operator must approve it");
	return allowed();
}

static struct refusal
validate_rule(struct cd_engine *e, const struct cd_request *r)
{
	if (r->status != CD_RS_AWAIT_VALIDATION)
		return refuse(CD_E_STATE, "it is not awaiting validation");
	if (!(e->op.roles & CD_ROLE_VALIDATE))
		return refuse(CD_E_DENIED, "validating needs the 'validate' "
		    "role");
	if (is_recipient(e, r))
		return refuse(CD_E_DENIED, "it is your own request: another "
		    "operator must validate it");
	return allowed();
}

static struct refusal
approve_refusal(struct cd_engine *e, const struct cd_request *r,
    const struct cd_person *p)
{
	struct refusal rf = approve_rule(e, r);

	return rf.code != 0 ? rf : holder_refusal(p);
}

static struct refusal
validate_refusal(struct cd_engine *e, const struct cd_request *r,
    const struct cd_person *p)
{
	struct refusal rf = validate_rule(e, r);

	return rf.code != 0 ? rf : holder_refusal(p);
}

/* Rejecting is for approvers and validators, whoever the person is. */
static struct refusal
reject_refusal(struct cd_engine *e, const struct cd_request *r,
    const struct cd_person *p)
{
	(void)p;
	if (r->status == CD_RS_AWAIT_APPROVAL)
		return approve_rule(e, r);
	if (r->status == CD_RS_AWAIT_VALIDATION)
		return validate_rule(e, r);
	return refuse(CD_E_STATE, "only a request awaiting approval or "
	    "validation can be rejected");
}

static struct refusal
cancel_refusal(struct cd_engine *e, const struct cd_request *r,
    const struct cd_person *p)
{
	(void)p;
	switch (r->status) {
	case CD_RS_AWAIT_APPROVAL:
	case CD_RS_AWAIT_VALIDATION:
	case CD_RS_AWAIT_COLLECTION:
		break;
	case CD_RS_BEING_COLLECTED:
		return refuse(CD_E_BUSY, "it is being collected");
	default:
		return refuse(CD_E_STATE, "it is already finished");
	}
	if (strcmp(r->created_by, e->op.logon) == 0 || is_recipient(e, r) ||
	    (e->op.roles & (CD_ROLE_REQUEST | CD_ROLE_ADMIN)))
		return allowed();
	return refuse(CD_E_DENIED, "cancelling someone else's request needs "
	    "the 'request' role");
}

static int
first_attempt(const struct cd_attempt *a, void *arg)
{
	*(struct cd_attempt *)arg = *a;
	return 1;
}

/* "being collected by alice since 2026-11-24 13:05 (process 123 on h)" */
const char *
cd_eng_holder_text(struct cd_engine *e, int64_t request_id, char *buf,
    size_t len)
{
	struct cd_attempt_filter f = { request_id, CD_AS_IN_PROGRESS, 0 };
	struct cd_attempt a;
	char when[32];

	memset(&a, 0, sizeof(a));
	if (e->so->attempt_list(e->st, &f, first_attempt, &a, NULL) != 1) {
		snprintf(buf, len, "being collected");
		return buf;
	}
	cd_time_text(a.started_at, when, sizeof(when));
	snprintf(buf, len, "being collected by %s since %s (process %d on %s)",
	    a.operator_, when, a.pid, a.host);
	return buf;
}

/* Why r cannot be collected by the operator, leaving its person aside. */
static struct refusal
collect_rule(struct cd_engine *e, const struct cd_request *r)
{
	struct refusal rf;

	switch (r->status) {
	case CD_RS_AWAIT_APPROVAL:
		return refuse(CD_E_STATE, "awaiting approval by another "
		    "operator");
	case CD_RS_AWAIT_VALIDATION:
		return refuse(CD_E_STATE, "requires validation");
	case CD_RS_AWAIT_COLLECTION:
		break;
	case CD_RS_BEING_COLLECTED:
		rf.code = CD_E_BUSY;
		cd_eng_holder_text(e, r->id, rf.why, sizeof(rf.why));
		return rf;
	case CD_RS_COMPLETED:
		return refuse(CD_E_STATE, "already collected");
	case CD_RS_REJECTED:
		return refuse(CD_E_STATE, "the request was rejected");
	case CD_RS_CANCELLED:
		return refuse(CD_E_STATE, "the request was cancelled");
	default:
		return refuse(CD_E_STATE, "the request has expired");
	}
	if (!is_recipient(e, r) && !(e->op.roles & CD_ROLE_COLLECT))
		return refuse(CD_E_DENIED, "collecting for someone else needs "
		    "the 'collect' role");
	return allowed();
}

static struct refusal
collect_refusal(struct cd_engine *e, const struct cd_request *r,
    const struct cd_person *p)
{
	struct refusal rf = collect_rule(e, r);

	return rf.code != 0 ? rf : holder_refusal(p);
}

/* The person a request is for; a refusal when they cannot be read. */
static struct refusal
holder_get(struct cd_engine *e, const struct cd_request *r,
    struct cd_person *p)
{
	struct cd_err sub;
	int rc;

	if ((rc = e->so->person_get(e->st, r->person_id, NULL, p, &sub)) != 0)
		return refuse(rc, "%s", cd_err_msg(&sub));
	return allowed();
}

int
cd_eng_collect_refusal(struct cd_engine *e, const struct cd_request *r,
    char *buf, size_t len)
{
	struct cd_person p;
	struct refusal rf;

	if ((rf = collect_rule(e, r)).code == 0 &&
	    (rf = holder_get(e, r, &p)).code == 0)
		rf = holder_refusal(&p);
	cd_strlcpy(buf, rf.why, len);
	return rf.code;
}

struct ready_list {
	struct cd_engine *e;
	int64_t *ids, *pids;	/* requests, and whom each is for */
	int n, cap;
	int failed;		/* out of memory */
	int seen;		/* rows the store returned */
};

static int
ready_one(const struct cd_request *r, void *arg)
{
	struct ready_list *l = arg;
	int64_t *grown;

	l->seen++;
	if (collect_rule(l->e, r).code != 0)
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		if ((grown = realloc(l->ids, (size_t)l->cap *
		    sizeof(*grown))) == NULL)
			goto nomem;
		l->ids = grown;
		if ((grown = realloc(l->pids, (size_t)l->cap *
		    sizeof(*grown))) == NULL)
			goto nomem;
		l->pids = grown;
	}
	l->ids[l->n] = r->id;
	l->pids[l->n++] = r->person_id;
	return 0;
nomem:
	l->failed = 1;
	return 1;
}

/* Drop the requests from index from on of people who are disabled. */
static int
ready_people(struct ready_list *l, int from, struct cd_err *err)
{
	struct cd_person p;
	int i, k, rc;

	p.id = 0;
	for (i = k = from; i < l->n; i++) {
		if (p.id != l->pids[i] && (rc = l->e->so->person_get(
		    l->e->st, l->pids[i], NULL, &p, err)) != 0)
			return rc;
		if (holder_refusal(&p).code == 0)
			l->ids[k++] = l->ids[i];
	}
	l->n = k;
	return 0;
}

/*
 * Oldest first, at most limit (0: all): the store reads limit rows at a
 * time (LIMIT in its query), and another page only when requests were
 * left out (held by a disabled person, or not collectable by the rule).
 */
int
cd_request_collectable(struct cd_engine *e, const char *profile_id,
    int limit, int64_t **ids, int *n, struct cd_err *err)
{
	struct cd_request_filter f;
	struct ready_list l = { e, NULL, NULL, 0, 0, 0, 0 };
	int from, seen, r;

	*ids = NULL;
	*n = 0;
	if (cd_conf_profile(e->conf, profile_id) == NULL)
		return cd_err_set(err, CD_E_NOTFOUND, "no credential profile "
		    "'%s'", profile_id);
	cd_request_filter_init(&f);
	f.status = CD_RS_AWAIT_COLLECTION;
	cd_strlcpy(f.profile, profile_id, sizeof(f.profile));
	f.oldest_first = 1;
	f.limit = limit > 0 ? limit : 0;
	for (;;) {
		from = l.n;
		seen = l.seen;
		r = e->so->request_search(e->st, &f, ready_one, &l, err);
		if (l.failed)
			r = cd_err_set(err, CD_E_NOMEM, NULL);
		if (r >= 0)
			r = ready_people(&l, from, err);
		if (r < 0 || f.limit == 0 || l.n >= limit ||
		    l.seen - seen < f.limit)
			break;
		f.offset += f.limit;
	}
	free(l.pids);
	if (r < 0) {
		free(l.ids);
		return r;
	}
	*ids = l.ids;
	*n = limit > 0 && limit < l.n ? limit : l.n;
	return 0;
}

int
cd_request_actions(struct cd_engine *e, int64_t id, struct cd_actions *out,
    struct cd_err *err)
{
	struct cd_request r;
	struct cd_person p;
	struct refusal rf;
	int rc;

	memset(out, 0, sizeof(*out));
	/* What may be done to a request is the business of those who may
	 * view it, and of collectors (who act on it without 'view'). */
	if ((rc = e->so->request_get(e->st, id, &r, err)) != 0)
		return rc == CD_E_NOTFOUND ? cd_err_set(err, rc, "no request "
		    "%lld", (long long)id) : rc;
	if (r.person_id != e->op.id && !(e->op.roles & CD_ROLE_COLLECT) &&
	    (rc = cd_eng_need_role(e, CD_ROLE_VIEW, "viewing other people's "
	    "requests", err)) != 0)
		return rc;
	if ((rc = e->so->person_get(e->st, r.person_id, NULL, &p, err)) != 0)
		return rc;
	if ((rf = collect_refusal(e, &r, &p)).code == 0)
		out->allowed |= CD_ACT_COLLECT;
	else
		cd_strlcpy(out->why_not_collect, rf.why,
		    sizeof(out->why_not_collect));
	if (approve_refusal(e, &r, &p).code == 0)
		out->allowed |= CD_ACT_APPROVE;
	if (validate_refusal(e, &r, &p).code == 0)
		out->allowed |= CD_ACT_VALIDATE;
	if (reject_refusal(e, &r, &p).code == 0)
		out->allowed |= CD_ACT_REJECT;
	if (cancel_refusal(e, &r, &p).code == 0)
		out->allowed |= CD_ACT_CANCEL;
	if (r.status == CD_RS_COMPLETED && (is_recipient(e, &r) ||
	    (e->op.roles & CD_ROLE_COLLECT)))
		out->allowed |= CD_ACT_PRINT;
	return 0;
}

typedef struct refusal (*refusal_fn)(struct cd_engine *,
    const struct cd_request *, const struct cd_person *);

/*
 * One transition: re-read the request (and its person) inside a write
 * transaction, ask the rule, apply the new status, audit.  Refusals are
 * audited too, and return the rule's code.
 */
static int
transition(struct cd_engine *e, int64_t id, const char *action,
    refusal_fn refusal, const char *note, struct cd_err *err)
{
	const struct cd_profile *prof;
	struct cd_request r;
	struct cd_person p;
	struct refusal rf;
	char obj[64], detail[CD_DETAIL_MAX];
	int rc, from;

	req_object(id, obj, sizeof(obj));
	if ((rc = e->so->begin(e->st, err)) != 0)
		return rc;
	if ((rc = e->so->request_get(e->st, id, &r, err)) != 0) {
		if (rc == CD_E_NOTFOUND)
			cd_err_set(err, rc, "no request %lld", (long long)id);
		goto fail;
	}
	if ((rc = e->so->person_get(e->st, r.person_id, NULL, &p, err)) != 0)
		goto fail;
	if ((rf = refusal(e, &r, &p)).code != 0) {
		e->so->rollback(e->st);
		cd_audit(e, action, obj, "refused", "%s", rf.why);
		return cd_err_set(err, rf.code, "cannot %s request %lld: %s",
		    strchr(action, '.') + 1, (long long)id, rf.why);
	}
	prof = cd_conf_profile(e->conf, r.profile);
	from = r.status;
	r.updated_at = cd_engine_now(e);
	if (strcmp(action, "request.approve") == 0) {
		r.status = after_approval(prof);
		cd_strlcpy(r.approved_by, e->op.logon, sizeof(r.approved_by));
		r.approved_at = r.updated_at;
	} else if (strcmp(action, "request.validate") == 0) {
		r.status = CD_RS_AWAIT_COLLECTION;
		cd_strlcpy(r.validated_by, e->op.logon,
		    sizeof(r.validated_by));
		r.validated_at = r.updated_at;
	} else {
		r.status = strcmp(action, "request.reject") == 0 ?
		    CD_RS_REJECTED : CD_RS_CANCELLED;
		cd_strlcpy(r.cancelled_by, e->op.logon,
		    sizeof(r.cancelled_by));
		r.cancelled_at = r.updated_at;
	}
	if (note != NULL && *note != '\0')
		cd_strlcpy(r.note, note, sizeof(r.note));
	if ((rc = e->so->request_update(e->st, &r, err)) != 0)
		goto fail;
	snprintf(detail, sizeof(detail), "%s -> %s%s%s", cd_status_name(from),
	    cd_status_name(r.status), note && *note ? "; note: " : "",
	    note ? note : "");
	if ((rc = cd_eng_audit(e, action, obj, "ok", detail, err)) != 0)
		goto fail;
	return e->so->commit(e->st, err);
fail:
	e->so->rollback(e->st);
	return rc;
}

int
cd_request_approve(struct cd_engine *e, int64_t id, const char *note,
    struct cd_err *err)
{
	return transition(e, id, "request.approve", approve_refusal, note, err);
}

int
cd_request_validate(struct cd_engine *e, int64_t id, const char *note,
    struct cd_err *err)
{
	return transition(e, id, "request.validate", validate_refusal, note,
	    err);
}

int
cd_request_reject(struct cd_engine *e, int64_t id, const char *note,
    struct cd_err *err)
{
	return transition(e, id, "request.reject", reject_refusal, note, err);
}

int
cd_request_cancel(struct cd_engine *e, int64_t id, const char *note,
    struct cd_err *err)
{
	return transition(e, id, "request.cancel", cancel_refusal, note, err);
}

int
cd_request_history(struct cd_engine *e, int64_t id, cd_audit_cb cb,
    void *arg, struct cd_err *err)
{
	struct cd_request r;
	char obj[64];
	int rc;

	if ((rc = cd_request_get(e, id, &r, err)) != 0)
		return rc;
	req_object(id, obj, sizeof(obj));
	return e->so->audit_object(e->st, obj, cb, arg, err);
}
