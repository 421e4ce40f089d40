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
	char obj[64], detail[CD_DETAIL_MAX];
	int rc;

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
		    prof->id, err ? err->msg : "needs the 'request' role");
		return rc;
	}
	if (p.status != CD_PS_ACTIVE) {
		cd_audit(e, "request.new", obj, "refused", "profile %s: %s is "
		    "disabled", prof->id, p.logon);
		return cd_err_set(err, CD_E_STATE, "%s is disabled",
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

/* Why the operator may not approve r (NULL if they may). */
static const char *
approve_refusal(struct cd_engine *e, const struct cd_request *r)
{
	if (r->status != CD_RS_AWAIT_APPROVAL)
		return "it is not awaiting approval";
	if (!(e->op.roles & CD_ROLE_APPROVE))
		return "approving needs the 'approve' role";
	if (strcmp(r->created_by, e->op.logon) == 0)
		return "you made this request: another operator must approve "
		    "it";
	if (is_recipient(e, r))
		return "it is your own request: another operator must "
		    "approve it";
	return NULL;
}

static const char *
validate_refusal(struct cd_engine *e, const struct cd_request *r)
{
	if (r->status != CD_RS_AWAIT_VALIDATION)
		return "it is not awaiting validation";
	if (!(e->op.roles & CD_ROLE_VALIDATE))
		return "validating needs the 'validate' role";
	if (is_recipient(e, r))
		return "it is your own request: another operator must "
		    "validate it";
	return NULL;
}

static const char *
reject_refusal(struct cd_engine *e, const struct cd_request *r)
{
	if (r->status == CD_RS_AWAIT_APPROVAL)
		return approve_refusal(e, r);
	if (r->status == CD_RS_AWAIT_VALIDATION)
		return validate_refusal(e, r);
	return "only a request awaiting approval or validation can be "
	    "rejected";
}

static const char *
cancel_refusal(struct cd_engine *e, const struct cd_request *r)
{
	switch (r->status) {
	case CD_RS_AWAIT_APPROVAL:
	case CD_RS_AWAIT_VALIDATION:
	case CD_RS_AWAIT_COLLECTION:
		break;
	case CD_RS_BEING_COLLECTED:
		return "it is being collected";
	default:
		return "it is already finished";
	}
	if (strcmp(r->created_by, e->op.logon) == 0 || is_recipient(e, r) ||
	    (e->op.roles & (CD_ROLE_REQUEST | CD_ROLE_ADMIN)))
		return NULL;
	return "cancelling someone else's request needs the 'request' role";
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

/* Why r cannot be collected by the operator, or NULL. */
static const char *
collect_refusal(struct cd_engine *e, const struct cd_request *r, char *buf,
    size_t len)
{
	switch (r->status) {
	case CD_RS_AWAIT_APPROVAL:
		return "awaiting approval by another operator";
	case CD_RS_AWAIT_VALIDATION:
		return "requires validation";
	case CD_RS_AWAIT_COLLECTION:
		break;
	case CD_RS_BEING_COLLECTED:
		return cd_eng_holder_text(e, r->id, buf, len);
	case CD_RS_COMPLETED:
		return "already collected";
	case CD_RS_REJECTED:
		return "the request was rejected";
	case CD_RS_CANCELLED:
		return "the request was cancelled";
	default:
		return "the request has expired";
	}
	if (!is_recipient(e, r) && !(e->op.roles & CD_ROLE_COLLECT))
		return "collecting for someone else needs the 'collect' role";
	return NULL;
}

const char *cd_eng_collect_refusal(struct cd_engine *e,
    const struct cd_request *r, char *buf, size_t len);

const char *
cd_eng_collect_refusal(struct cd_engine *e, const struct cd_request *r,
    char *buf, size_t len)
{
	return collect_refusal(e, r, buf, len);
}

struct ready_list {
	struct cd_engine *e;
	int64_t *ids;
	int n, cap;
	int failed;		/* out of memory */
};

static int
ready_one(const struct cd_request *r, void *arg)
{
	struct ready_list *l = arg;
	char buf[CD_FIELD_MAX];
	int64_t *grown;

	if (collect_refusal(l->e, r, buf, sizeof(buf)) != NULL)
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		if ((grown = realloc(l->ids, (size_t)l->cap *
		    sizeof(*grown))) == NULL) {
			l->failed = 1;
			return 1;
		}
		l->ids = grown;
	}
	l->ids[l->n++] = r->id;
	return 0;
}

int
cd_request_collectable(struct cd_engine *e, const char *profile_id,
    int limit, int64_t **ids, int *n, struct cd_err *err)
{
	struct cd_request_filter f;
	struct ready_list l = { e, NULL, 0, 0, 0 };
	int64_t t;
	int i, r;

	*ids = NULL;
	*n = 0;
	if (cd_conf_profile(e->conf, profile_id) == NULL)
		return cd_err_set(err, CD_E_NOTFOUND, "no credential profile "
		    "'%s'", profile_id);
	cd_request_filter_init(&f);
	f.status = CD_RS_AWAIT_COLLECTION;
	cd_strlcpy(f.profile, profile_id, sizeof(f.profile));
	r = e->so->request_search(e->st, &f, ready_one, &l, err);
	if (l.failed)
		r = cd_err_set(err, CD_E_NOMEM, NULL);
	if (r < 0) {
		free(l.ids);
		return r;
	}
	for (i = 0; i < l.n / 2; i++) {		/* newest first -> oldest */
		t = l.ids[i];
		l.ids[i] = l.ids[l.n - 1 - i];
		l.ids[l.n - 1 - i] = t;
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
	const char *why;
	char buf[CD_FIELD_MAX];
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
	if ((why = collect_refusal(e, &r, buf, sizeof(buf))) == NULL)
		out->allowed |= CD_ACT_COLLECT;
	else
		cd_strlcpy(out->why_not_collect, why,
		    sizeof(out->why_not_collect));
	if (approve_refusal(e, &r) == NULL)
		out->allowed |= CD_ACT_APPROVE;
	if (validate_refusal(e, &r) == NULL)
		out->allowed |= CD_ACT_VALIDATE;
	if (reject_refusal(e, &r) == NULL)
		out->allowed |= CD_ACT_REJECT;
	if (cancel_refusal(e, &r) == NULL)
		out->allowed |= CD_ACT_CANCEL;
	if (r.status == CD_RS_COMPLETED && (is_recipient(e, &r) ||
	    (e->op.roles & CD_ROLE_COLLECT)))
		out->allowed |= CD_ACT_PRINT;
	return 0;
}

typedef const char *(*refusal_fn)(struct cd_engine *,
    const struct cd_request *);

/*
 * One transition: re-read the request inside a write transaction, ask
 * the rule, apply the new status, audit.  Refusals are audited too.
 */
static int
transition(struct cd_engine *e, int64_t id, const char *action,
    refusal_fn refusal, const char *note, struct cd_err *err)
{
	const struct cd_profile *prof;
	struct cd_request r;
	const char *why;
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
	if ((why = refusal(e, &r)) != NULL) {
		e->so->rollback(e->st);
		cd_audit(e, action, obj, "refused", "%s", why);
		return cd_err_set(err, strstr(why, "role") ? CD_E_DENIED :
		    CD_E_STATE, "cannot %s request %lld: %s",
		    strchr(action, '.') + 1, (long long)id, why);
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
