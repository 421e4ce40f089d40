/* SPDX-License-Identifier: ISC */
/*
 * demo.c - 'certdesk init --demo': a realistic demo data set.  A few dozen
 * people in departments, two operators, and requests of every configured
 * credential profile in every status a request can reach, some collected
 * with real certificates from the CA.  A history that could have
 * happened: every step in the past, by an operator who may take it, with
 * its audit record (an expired request lapsed before anyone collected it).  Deterministic: the same data every time.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine-int.h"
#include "util.h"
#include "x509.h"

static const char *const first[] = {
	"Susan", "John", "Maria", "Ahmed", "Chen", "Olga", "Pierre", "Aisha",
	"Lars", "Fatima", "Kenji", "Grace", "Tomasz", "Ingrid", "Rafael",
	"Nora", "Samuel", "Yuki", "Elena", "David", "Amara", "Jonas", "Leila",
	"Marek", "Sofia", "Oscar", "Hannah", "Ravi", "Beatriz", "Noah",
	"Zofia", "Felix"
};
static const char *const last[] = {
	"Smith", "Samson", "Garcia", "Khan", "Wei", "Petrova", "Dubois",
	"Okafor", "Nilsson", "Haddad", "Tanaka", "Littlejohn", "Nowak",
	"Berg", "Costa", "Murphy", "Adeyemi", "Sato", "Rossi", "Cohen",
	"Mensah", "Weber", "Farah", "Novak", "Silva", "Lindqvist", "Fischer",
	"Patel", "Santos", "Brown", "Kowalska", "Müller"
};
static const char *const groups[] = {
	"Finance", "Engineering", "Human Resources", "Legal", "Sales",
	"Operations"
};

static unsigned demo_seed = 20261124;

static unsigned
demo_rand(unsigned n)
{
	demo_seed = demo_seed * 1103515245u + 12345u;
	return (demo_seed >> 8) % n;
}

static int
add_person(struct cd_engine *e, const char *fn, const char *ln, int i,
    unsigned roles, struct cd_person *p, struct cd_err *err)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->logon, sizeof(p->logon), "%s.%s", fn, ln);
	if (strcmp(ln, "Müller") == 0)
		snprintf(p->logon, sizeof(p->logon), "%s.Mueller", fn);
	snprintf(p->full_name, sizeof(p->full_name), "%s %s", fn, ln);
	snprintf(p->email, sizeof(p->email), "%s@example.com", p->logon);
	snprintf(p->upn, sizeof(p->upn), "%s@corp.example.com", p->logon);
	snprintf(p->employee_id, sizeof(p->employee_id), "E%05d", 1000 + i);
	cd_strlcpy(p->group_name, groups[i % (int)CD_NELEM(groups)],
	    sizeof(p->group_name));
	p->roles = roles;
	p->status = CD_PS_ACTIVE;
	p->created_at = cd_engine_now(e) - 86400 * 90;
	return e->so->person_add(e->st, p, err);
}

/* Issue real certificates for a completed demo request. */
static int
demo_collected(struct cd_engine *e, struct cd_request *r,
    const struct cd_profile *prof, const struct cd_person *p,
    struct cd_err *err)
{
	struct cd_device d;
	struct cd_cert c;
	struct cd_ca_req req;
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	char subj[CD_FIELD_MAX + 16];
	int i, rc;

	memset(&d, 0, sizeof(d));
	cd_strlcpy(d.type, "Soft Certificate", sizeof(d.type));
	snprintf(d.serial, sizeof(d.serial), "SC-%lld-demo",
	    (long long)r->id);
	d.owner_id = p->id;
	cd_strlcpy(d.status, "active", sizeof(d.status));
	d.created_at = r->collected_at;
	snprintf(d.detail, sizeof(d.detail), "demo package (no files)");
	if ((rc = e->so->device_add(e->st, &d, err)) != 0)
		return rc;
	r->device_id = d.id;
	for (i = 0; i < prof->npolicies; i++) {
		memset(&req, 0, sizeof(req));
		snprintf(subj, sizeof(subj), "CN=%s", p->full_name);
		if ((rc = cd_key_generate(CD_KEY_EC_P256, &key, err)) != 0 ||
		    (rc = cd_x509_name_parse(subj, &req.params.subject,
		    err)) != 0)
			goto out;
		req.params.policy = prof->policies[i]->id;
		req.params.key_usage = prof->policies[i]->key_usage;
		req.params.ext_key_usage = prof->policies[i]->ext_key_usage;
		req.params.validity_days = prof->policies[i]->validity_days;
		if ((rc = cd_ca_req_build(key, &req, err)) == 0 &&
		    (rc = cd_eng_ca(e, err)) == 0)
			rc = cd_ca_issue(e->cao, e->ca, &req,
			    e->conf->ca_timeout, NULL, NULL, &x, err);
		cd_ca_req_clear(&req);
		if (rc != 0)
			goto out;
		memset(&c, 0, sizeof(c));
		cd_x509_serial_hex(x, c.serial, sizeof(c.serial));
		cd_x509_name_text(X509_get_issuer_name(x), c.issuer,
		    sizeof(c.issuer));
		cd_strlcpy(c.subject, subj + 3, sizeof(c.subject));
		c.request_id = r->id;
		c.person_id = p->id;
		c.device_id = d.id;
		cd_strlcpy(c.policy, prof->policies[i]->id, sizeof(c.policy));
		c.status = CD_CS_ACTIVE;
		c.not_before = r->collected_at;
		c.not_after = r->collected_at + 86400LL *
		    prof->policies[i]->validity_days;
		c.created_at = r->collected_at;
		cd_strlcpy(c.location, "demo data: not saved",
		    sizeof(c.location));
		if ((rc = e->so->cert_add(e->st, &c, err)) != 0)
			goto out;
		EVP_PKEY_free(key);
		X509_free(x);
		key = NULL;
		x = NULL;
	}
	rc = 0;
out:
	EVP_PKEY_free(key);
	X509_free(x);
	return rc;
}

/* An audit record of the demo's past, at a time of its own. */
static int
demo_audit(struct cd_engine *e, int64_t at, const char *op,
    const char *action, int64_t id, const char *detail, struct cd_err *err)
{
	struct cd_audit a;

	memset(&a, 0, sizeof(a));
	a.at = at;
	cd_strlcpy(a.operator_, op, sizeof(a.operator_));
	cd_strlcpy(a.action, action, sizeof(a.action));
	snprintf(a.object, sizeof(a.object), "request %lld", (long long)id);
	cd_strlcpy(a.outcome, "ok", sizeof(a.outcome));
	cd_strlcpy(a.detail, detail, sizeof(a.detail));
	return e->so->audit_add(e->st, &a, err);
}

/* One change of status: the request's fields and its audit record. */
static int
demo_step(struct cd_engine *e, struct cd_request *r, int64_t at,
    const char *op, const char *action, int to, struct cd_err *err)
{
	char detail[160];

	snprintf(detail, sizeof(detail), "%s -> %s", cd_status_name(r->status),
	    cd_status_name(to));
	r->status = to;
	r->updated_at = at;
	return demo_audit(e, at, op, action, r->id, detail, err);
}

static int
demo_collect(struct cd_engine *e, struct cd_request *r,
    const struct cd_profile *prof, const struct cd_person *p, int64_t at,
    int64_t step, const char *op, struct cd_err *err)
{
	char detail[256];
	int rc;

	snprintf(detail, sizeof(detail), "demo attempt for %s, profile %s",
	    p->logon, prof->id);
	if ((rc = demo_audit(e, at, op, "collect.begin", r->id, detail, err)))
		return rc;
	cd_strlcpy(r->collected_by, op, sizeof(r->collected_by));
	r->collected_at = r->updated_at = at + step;
	r->status = CD_RS_COMPLETED;
	if ((rc = demo_collected(e, r, prof, p, err)) != 0)
		return rc;
	snprintf(detail, sizeof(detail), "%d certificate%s collected as device "
	    "SC-%lld-demo (demo data: no files)", prof->npolicies,
	    prof->npolicies == 1 ? "" : "s", (long long)r->id);
	return demo_audit(e, at + step, op, "collect.commit", r->id, detail,
	    err);
}

/*
 * A request made at when and taken to status as the engine would have:
 * created, approved, validated, collected, rejected or cancelled, each step
 * by the operator who may take it, in the past, each with its audit record.
 */
static int
demo_request(struct cd_engine *e, const struct cd_person *p,
    const struct cd_profile *prof, int status, int64_t when,
    const char *op, struct cd_err *err)
{
	static const char approver[] = "Adam.Approver";
	struct cd_request r;
	char detail[256];
	int64_t step, t = when, now = cd_engine_now(e);
	int rc;

	/* at most five steps, all before now */
	step = (now - when) / 6;
	if (step > 3600)
		step = 3600;
	memset(&r, 0, sizeof(r));
	r.type = CD_RT_SOFT_CERT;
	r.person_id = p->id;
	r.status = prof->need_approval ? CD_RS_AWAIT_APPROVAL :
	    prof->need_validation ? CD_RS_AWAIT_VALIDATION :
	    CD_RS_AWAIT_COLLECTION;
	cd_strlcpy(r.profile, prof->id, sizeof(r.profile));
	cd_strlcpy(r.created_by, op, sizeof(r.created_by));
	r.created_at = r.updated_at = when;
	if ((rc = e->so->request_add(e->st, &r, err)) != 0)
		return rc;
	snprintf(detail, sizeof(detail), "for %s, profile %s: %s", p->logon,
	    prof->id, cd_status_name(r.status));
	if ((rc = demo_audit(e, t, op, "request.new", r.id, detail, err)))
		return rc;
	if (status == CD_RS_CANCELLED) {
		cd_strlcpy(r.cancelled_by, op, sizeof(r.cancelled_by));
		r.cancelled_at = t += step;
		rc = demo_step(e, &r, t, op, "request.cancel", status, err);
		goto out;
	}
	if (status == CD_RS_EXPIRED) {
		/* left uncollected until it lapsed */
		rc = demo_step(e, &r, t += step, "sweep (certdesk)",
		    "request.expire", status, err);
		goto out;
	}
	if (status == CD_RS_REJECTED) {
		cd_strlcpy(r.cancelled_by, approver, sizeof(r.cancelled_by));
		r.cancelled_at = t += step;
		rc = demo_step(e, &r, t, approver, "request.reject", status,
		    err);
		goto out;
	}
	if (r.status == CD_RS_AWAIT_APPROVAL && status != r.status) {
		cd_strlcpy(r.approved_by, approver, sizeof(r.approved_by));
		r.approved_at = t += step;
		if ((rc = demo_step(e, &r, t, approver, "request.approve",
		    prof->need_validation ? CD_RS_AWAIT_VALIDATION :
		    CD_RS_AWAIT_COLLECTION, err)) != 0)
			return rc;
	}
	if (r.status == CD_RS_AWAIT_VALIDATION && status != r.status) {
		cd_strlcpy(r.validated_by, approver, sizeof(r.validated_by));
		r.validated_at = t += step;
		if ((rc = demo_step(e, &r, t, approver, "request.validate",
		    CD_RS_AWAIT_COLLECTION, err)) != 0)
			return rc;
	}
	if (status == CD_RS_COMPLETED && (rc = demo_collect(e, &r, prof, p,
	    t + step, step, op, err)) != 0)
		return rc;
out:
	if (rc != 0)
		return rc;
	return e->so->request_update(e->st, &r, err);
}

/* Statuses a profile's requests may be in. */
static int
status_fits(const struct cd_profile *prof, int s)
{
	if (s == CD_RS_AWAIT_APPROVAL || s == CD_RS_REJECTED)
		return prof->need_approval || prof->need_validation;
	if (s == CD_RS_AWAIT_VALIDATION)
		return prof->need_validation;
	return s != CD_RS_BEING_COLLECTED;	/* nobody is collecting */
}

static int
demo_requests(struct cd_engine *e, struct cd_person *people, int n,
    struct cd_err *err)
{
	const struct cd_conf *conf = e->conf;
	int64_t now = cd_engine_now(e);
	int i, s, k = 0, rc;

	for (i = 0; i < conf->nprofiles; i++) {
		const struct cd_profile *prof = &conf->profiles[i];

		for (s = 0; s < CD_RS__COUNT; s++) {
			if (!status_fits(prof, s))
				continue;
			k++;
			if ((rc = demo_request(e, &people[demo_rand(n)], prof, s,
			    now - 86400LL * (int64_t)(demo_rand(60) + 1) -
			    k * 600, "Olivia.Operator", err)) != 0)
				return rc;
		}
		/* plenty ready to collect, recent, for trying it out */
		for (s = 0; s < 3; s++)
			if ((rc = demo_request(e, &people[(i * 3 + s) % n],
			    prof, CD_RS_AWAIT_COLLECTION, now - 3600 * (s + 1),
			    "Olivia.Operator", err)) != 0)
				return rc;
	}
	return 0;
}

int
cd_demo_build(struct cd_engine *e, struct cd_err *err)
{
	struct cd_person people[CD_NELEM(first)], op;
	int i, n = (int)CD_NELEM(first), rc;

	if ((rc = e->so->begin(e->st, err)) != 0)
		return rc;
	if ((rc = add_person(e, "Olivia", "Operator", 98, CD_ROLE_VIEW |
	    CD_ROLE_REQUEST | CD_ROLE_COLLECT, &op, err)) != 0 ||
	    (rc = add_person(e, "Adam", "Approver", 99, CD_ROLE_VIEW |
	    CD_ROLE_APPROVE | CD_ROLE_VALIDATE, &op, err)) != 0)
		goto fail;
	for (i = 0; i < n; i++)
		if ((rc = add_person(e, first[i], last[i], i, 0, &people[i],
		    err)) != 0)
			goto fail;
	if ((rc = demo_requests(e, people, n, err)) != 0)
		goto fail;
	if ((rc = cd_eng_audit(e, "init.demo", "store", "ok", "demo data set "
	    "created", err)) != 0)
		goto fail;
	return e->so->commit(e->st, err);
fail:
	e->so->rollback(e->st);
	if (rc == CD_E_EXISTS)
		cd_err_prefix(err, "the demo data set is already there");
	return rc;
}
