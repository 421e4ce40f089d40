/* SPDX-License-Identifier: ISC */
/*
 * t-error.c - errors: every code has its text, a NULL struct cd_err is
 * safe in the error helpers and in the engine's entry points on their
 * failure paths (refusals, not found, bad input, a failed commit), and
 * refusals are classified by code (denied, state, busy) whatever their
 * text.  Also a disabled person's requests: refused with CD_E_STATE and
 * the reason, left out of the collectable list.  Real store and CA in a
 * temp dir; run it under --enable-asan too.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "certdesk/collect.h"
#include "certdesk/engine.h"
#include "tap.h"

static char dir[256], conf[300], out[300];

static void
write_conf(void)
{
	FILE *f;
	const char *src = getenv("top_srcdir");

	snprintf(conf, sizeof(conf), "%s/certdesk.conf", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	if ((f = fopen(conf, "w")) == NULL)
		return;
	fprintf(f, "[general]\ndatadir = %s/data\ntemplatedir = %s/etc/"
	    "templates\n[security]\nrevoke_delay = 300\npfx_iterations = 1000\n"
	    "[print]\ncups_server = %s/no-cupsd.sock\n"
	    "[policy.sig]\nname = Signing\nkey = ec-p256\nvalidity = 30\n"
	    "key_usage = digitalSignature\nsubject = CN=[[People.FullName]]\n"
	    "storage = FileStore\n"
	    "[profile.p]\npassword = user\npassword_min = 8\n"
	    "policies = sig\ntransport_template = transport.txt\n"
	    "[profile.a]\npassword = user\npassword_min = 8\napproval = yes\n"
	    "validation = yes\npolicies = sig\n"
	    "[profile.v]\npassword = user\npassword_min = 8\nvalidation = yes\n"
	    "policies = sig\n"
	    "[profile.g]\npassword = generated\npassword_min = 12\n"
	    "policies = sig\npin_mailer_template = pin-mailer.txt\n",
	    dir, src ? src : ".", dir);
	fclose(f);
	mkdir(out, 0700);
}

static struct cd_engine *
open_as(const char *logon)
{
	struct cd_open_opts o;
	struct cd_engine *e = NULL;
	struct cd_err err;

	memset(&o, 0, sizeof(o));
	o.conf_path = conf;
	o.as_logon = logon;
	if (cd_engine_open(&o, &e, &err) != 0)
		diag("open as %s: %s", logon ? logon : "(me)", err.msg);
	return e;
}

static void
add_person(struct cd_engine *e, const char *logon, unsigned roles)
{
	struct cd_person p;
	struct cd_err err;

	memset(&p, 0, sizeof(p));
	snprintf(p.logon, sizeof(p.logon), "%s", logon);
	snprintf(p.full_name, sizeof(p.full_name), "%s Test", logon);
	snprintf(p.email, sizeof(p.email), "%s@example.com", logon);
	p.roles = roles;
	if (cd_person_add(e, &p, &err) != 0)
		diag("person add %s: %s", logon, err.msg);
}

static int64_t
request(struct cd_engine *e, const char *logon, const char *profile)
{
	struct cd_err err;
	int64_t id = 0;
	int st;

	if (cd_request_new(e, logon, profile, &id, &st, &err) != 0)
		diag("request new: %s", err.msg);
	return id;
}

static int
set_status(struct cd_engine *e, const char *logon, int status)
{
	struct cd_person p;
	int r;

	if ((r = cd_person_get(e, 0, logon, &p, NULL)) != 0)
		return r;
	p.status = status;
	return cd_person_edit(e, &p, NULL);
}

/* The detail of the newest audit record with this action and outcome. */
struct last_audit {
	const char *action, *outcome;
	char detail[CD_DETAIL_MAX];
};

static int
last_audit_cb(const struct cd_audit *a, void *arg)
{
	struct last_audit *l = arg;

	if (strcmp(a->action, l->action) == 0 &&
	    strcmp(a->outcome, l->outcome) == 0)
		snprintf(l->detail, sizeof(l->detail), "%s", a->detail);
	return 0;
}

static const char *
last_audit(struct cd_engine *e, struct last_audit *l, const char *action,
    const char *outcome)
{
	l->action = action;
	l->outcome = outcome;
	l->detail[0] = '\0';
	cd_audit_list(e, 0, last_audit_cb, l, NULL);
	return l->detail;
}

static void
test_helpers(void)
{
	struct cd_err err;
	int c, texts = 1;

	is_int(cd_err_set(NULL, CD_E_IO, "x %d", 1), CD_E_IO,
	    "cd_err_set(NULL) returns the code");
	is_int(cd_err_ssl(NULL, CD_E_CRYPTO, "x"), CD_E_CRYPTO,
	    "cd_err_ssl(NULL) returns the code");
	is_int(cd_err_context(NULL, CD_E_CA, "ctx"), CD_E_CA,
	    "cd_err_context(NULL) returns the code it was given");
	is_int(cd_err_prefix(NULL, "ctx"), CD_E_INTERNAL,
	    "cd_err_prefix(NULL) says it has no code");
	cd_err_clear(NULL);
	is_str(cd_err_msg(NULL), "", "cd_err_msg(NULL) is empty");
	cd_err_set(&err, CD_E_NOTFOUND, NULL);
	is_str(cd_err_msg(&err), "not found", "no text: the code's text");
	cd_err_set(&err, CD_E_IO, "cannot open x");
	is_int(cd_err_context(&err, CD_E_CONFIG, "template"), CD_E_CONFIG,
	    "cd_err_context returns its code");
	is_str(err.msg, "template: cannot open x", "and prefixes the message");
	is_int(err.code, CD_E_CONFIG, "and records the code");
	for (c = 0; c > CD_E__LAST; c--)
		if (strcmp(cd_strerror(c), "unknown error") == 0) {
			diag("code %d has no text", c);
			texts = 0;
		}
	ok(texts, "every code has its own text");
	is_str(cd_strerror(CD_E__LAST), "unknown error", "past the last: unknown");
	is_str(cd_strerror(1), "unknown error", "positive: unknown");
}

static void
test_open_null(void)
{
	struct cd_open_opts o;
	struct cd_init_opts io;
	struct cd_engine *e = (struct cd_engine *)&o;
	char bad[320];

	memset(&o, 0, sizeof(o));
	snprintf(bad, sizeof(bad), "%s/missing.conf", dir);
	o.conf_path = bad;
	ok(cd_engine_open(&o, &e, NULL) < 0 && e == NULL,
	    "engine open with a missing configuration, err NULL");
	o.conf_path = conf;
	o.as_logon = "nobody.here";
	is_int(cd_engine_open(&o, &e, NULL), CD_E_AUTH,
	    "an unknown operator, err NULL: CD_E_AUTH");
	memset(&io, 0, sizeof(io));
	io.conf_path = conf;
	is_int(cd_init(&io, NULL), CD_E_EXISTS,
	    "init over an existing store, err NULL: CD_E_EXISTS");
}

static void
test_people_null(struct cd_engine *e)
{
	struct cd_person p;
	struct cd_import_result res;
	char path[320];

	is_int(cd_person_get(e, 0, "nobody", &p, NULL), CD_E_NOTFOUND,
	    "person get: not found");
	memset(&p, 0, sizeof(p));
	is_int(cd_person_add(e, &p, NULL), CD_E_INVAL,
	    "person add without a logon: bad input");
	memset(&p, 0, sizeof(p));
	snprintf(p.logon, sizeof(p.logon), "alice");
	snprintf(p.full_name, sizeof(p.full_name), "Alice Again");
	is_int(cd_person_add(e, &p, NULL), CD_E_EXISTS,
	    "person add twice: exists");
	memset(&p, 0, sizeof(p));
	p.id = 999999;
	snprintf(p.logon, sizeof(p.logon), "ghost");
	snprintf(p.full_name, sizeof(p.full_name), "Ghost");
	ok(cd_person_edit(e, &p, NULL) < 0, "person edit of nobody fails");
	snprintf(path, sizeof(path), "%s/none.csv", dir);
	memset(&res, 0, sizeof(res));
	ok(cd_person_import_csv(e, path, &res, NULL) < 0,
	    "import of a missing file fails");
}

static void
test_requests_null(struct cd_engine *e, struct cd_engine *vic)
{
	struct cd_request r;
	struct cd_actions act;
	struct cd_device d;
	struct cd_sweep_result sw;
	struct last_audit la;
	char job[256], crl[320];
	int64_t mine, a, *ids = NULL;
	int n;

	is_int(cd_request_new(e, "alice", "nope", &a, NULL, NULL),
	    CD_E_NOTFOUND, "request for an unknown profile: not found");
	is_int(cd_request_new(e, "nobody", "p", &a, NULL, NULL),
	    CD_E_NOTFOUND, "request for an unknown person: not found");
	if (vic != NULL) {
		is_int(cd_request_new(vic, "alice", "p", &a, NULL, NULL),
		    CD_E_DENIED, "a viewer requesting for someone else: "
		    "denied");
		like(last_audit(e, &la, "request.new", "refused"),
		    "'request' role", "audited with its reason though err "
		    "was NULL");
	}
	is_int(cd_request_get(e, 99999, &r, NULL), CD_E_NOTFOUND,
	    "request get: not found");
	is_int(cd_request_approve(e, 99999, NULL, NULL), CD_E_NOTFOUND,
	    "approve of no request: not found");
	is_int(cd_request_actions(e, 99999, &act, NULL), CD_E_NOTFOUND,
	    "actions of no request: not found");
	is_int(cd_request_history(e, 99999, NULL, NULL, NULL), CD_E_NOTFOUND,
	    "history of no request: not found");
	is_int(cd_request_collectable(e, "nope", 0, &ids, &n, NULL),
	    CD_E_NOTFOUND, "collectable of an unknown profile: not found");
	is_int(cd_device_get(e, 99999, &d, NULL), CD_E_NOTFOUND,
	    "device get: not found");
	if (vic != NULL)
		is_int(cd_audit_list(vic, 0, last_audit_cb, &la, NULL),
		    CD_E_DENIED, "audit trail for a viewer: denied");

	/* classified by code: who may (denied) and when (state) */
	mine = request(e, "alice", "a");
	is_int(cd_request_approve(e, mine, NULL, NULL), CD_E_DENIED,
	    "approving a request one made: denied");
	if (vic != NULL)
		is_int(cd_request_approve(vic, mine, NULL, NULL), CD_E_DENIED,
		    "approving without the role: denied");
	is_int(cd_request_validate(e, mine, NULL, NULL), CD_E_STATE,
	    "validating a request awaiting approval: state");
	if (vic != NULL) {
		is_int(cd_request_cancel(vic, mine, NULL, NULL), CD_E_DENIED,
		    "cancelling someone else's request without the role: "
		    "denied");
		like(last_audit(e, &la, "request.cancel", "refused"),
		    "'request' role", "the refusal is audited with its "
		    "reason");
	}
	a = request(e, "alice", "p");
	is_int(cd_request_approve(e, a, NULL, NULL), CD_E_STATE,
	    "approving a request awaiting collection: state");
	is_int(cd_request_reject(e, a, NULL, NULL), CD_E_STATE,
	    "rejecting a request awaiting collection: state");
	is_int(cd_print_transport(e, a, NULL, NULL, job, sizeof(job), NULL),
	    CD_E_STATE, "transport document before collection: state");
	is_int(cd_print_transport(e, 99999, NULL, NULL, job, sizeof(job),
	    NULL), CD_E_NOTFOUND, "transport document of no request");
	snprintf(crl, sizeof(crl), "%s/no/such/dir/crl.pem", dir);
	ok(cd_crl_write(e, crl, 0, -1, NULL) < 0, "CRL to a missing folder");
	is_int(cd_collect_bulk_check(e, "nope", NULL), CD_E_NOTFOUND,
	    "bulk check of an unknown profile: not found");
	is_int(cd_collect_bulk_check(e, "p", NULL), CD_E_PASSWORD,
	    "bulk check of a user-PIN profile: password");
	like(last_audit(e, &la, "collect.bulk", "refused"), "user-specified",
	    "audited with its reason though err was NULL");
	is_int(cd_sweep(e, &sw, NULL), 0, "sweep with err NULL");
	free(ids);
}

static void
test_collect_null(struct cd_engine *e, struct cd_engine *vic)
{
	struct cd_collect *c = NULL, *c2 = NULL;
	struct cd_request r;
	struct last_audit la;
	int64_t a, g, mine;

	is_int(cd_collect_begin(e, 99999, &c, NULL), CD_E_NOTFOUND,
	    "collect of no request: not found");
	mine = request(e, "alice", "a");
	is_int(cd_collect_begin(e, mine, &c, NULL), CD_E_STATE,
	    "collect of a request awaiting approval: state");
	a = request(e, "alice", "p");
	if (vic != NULL)
		is_int(cd_collect_begin(vic, a, &c, NULL), CD_E_DENIED,
		    "collect for someone else without the role: denied");
	if (!ok(cd_collect_begin(e, a, &c, NULL) == 0, "collect begins"))
		return;
	is_int(cd_collect_begin(e, a, &c2, NULL), CD_E_BUSY,
	    "a second collector: busy");
	is_int(cd_collect_check_password(c, "short", NULL), CD_E_PASSWORD,
	    "a short password: password");
	is_int(cd_collect_password(c, "short", NULL), CD_E_PASSWORD,
	    "set a short password: password");
	is_int(cd_collect_commit(c, NULL), CD_E_STATE,
	    "commit before anything was saved: state");
	ok(cd_collect_deliver_folder(c, out, 0, NULL) < 0,
	    "deliver before issuance fails");
	is_int(cd_collect_cancel(c, "test", NULL, 0, NULL), 0,
	    "cancel with err NULL");
	cd_collect_free(c);
	c = NULL;

	/* a commit whose PIN mailer cannot print rolls back, with reason */
	g = request(e, "alice", "g");
	if (!ok(cd_collect_begin(e, g, &c, NULL) == 0 &&
	    cd_collect_password(c, NULL, NULL) == 0 &&
	    cd_collect_issue(c, NULL) == 0 &&
	    cd_collect_package(c, NULL) == 0 &&
	    cd_collect_deliver_folder(c, out, 1, NULL) == 0,
	    "a generated-password collection up to delivery"))
		goto out;
	ok(cd_collect_commit(c, NULL) < 0,
	    "commit fails when the PIN mailer cannot print (err NULL)");
	ok(cd_request_get(e, g, &r, NULL) == 0 &&
	    r.status == CD_RS_AWAIT_COLLECTION, "the request is back");
	like(last_audit(e, &la, "collect.cancel", "cancelled"), "PIN mailer",
	    "the rollback is audited with its reason");
out:
	cd_collect_free(c);
}

/* e makes the requests, ann (approve, validate) decides on them. */
static void
test_disabled(struct cd_engine *e, struct cd_engine *ann)
{
	struct cd_collect *c = NULL;
	struct cd_actions act;
	struct cd_err err;
	int64_t ap, va, co, rj, *ids = NULL;
	int i, n = 0, listed = 0;

	ap = request(e, "bob", "a");
	va = request(e, "bob", "v");
	co = request(e, "bob", "p");
	rj = request(e, "bob", "a");
	is_int(set_status(e, "bob", CD_PS_DISABLED), 0, "disable bob");
	is_int(cd_request_approve(ann, ap, NULL, &err), CD_E_STATE,
	    "approving a disabled person's request: state");
	like(err.msg, "the person bob is disabled", "with the reason");
	is_int(cd_request_approve(ann, ap, NULL, NULL), CD_E_STATE,
	    "the same with err NULL");
	is_int(cd_request_validate(ann, va, NULL, &err), CD_E_STATE,
	    "validating a disabled person's request: state");
	like(err.msg, "the person bob is disabled", "with the reason");
	is_int(cd_collect_begin(e, co, &c, &err), CD_E_STATE,
	    "collecting a disabled person's request: state");
	like(err.msg, "the person bob is disabled", "with the reason");
	is_int(cd_collect_begin(e, co, &c, NULL), CD_E_STATE,
	    "the same with err NULL");
	ok(cd_request_actions(e, co, &act, NULL) == 0 &&
	    !(act.allowed & CD_ACT_COLLECT), "actions: no collect");
	like(act.why_not_collect, "disabled", "and why");
	ok(cd_request_actions(ann, ap, &act, NULL) == 0 &&
	    !(act.allowed & CD_ACT_APPROVE) && (act.allowed & CD_ACT_REJECT),
	    "actions: no approve, reject still");
	ok(cd_request_collectable(e, "p", 0, &ids, &n, NULL) == 0,
	    "collectable list");
	for (i = 0; i < n; i++)
		listed |= ids[i] == co;
	ok(!listed, "leaves out the disabled person's request");
	free(ids);
	is_int(cd_request_reject(ann, rj, "left", NULL), 0,
	    "a disabled person's request can be rejected");
	is_int(set_status(e, "bob", CD_PS_ACTIVE), 0, "enable bob again");
	is_int(cd_request_approve(ann, ap, NULL, NULL), 0,
	    "then approve works");
	ok(cd_request_collectable(e, "p", 0, &ids, &n, NULL) == 0,
	    "collectable list again");
	for (i = listed = 0; i < n; i++)
		listed |= ids[i] == co;
	ok(listed, "now lists the request");
	free(ids);
}

int
main(void)
{
	struct cd_init_opts io;
	struct cd_engine *e, *vic, *ann;
	struct cd_err err;
	const char *tmp = getenv("TMPDIR");
	char cmd[600];

	snprintf(dir, sizeof(dir), "%s/t-error.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL || chdir(dir) != 0)
		return 1;
	setenv("CUPS_SERVER", "127.0.0.1:1", 1);
	write_conf();
	test_helpers();
	memset(&io, 0, sizeof(io));
	io.conf_path = conf;
	if (!ok(cd_init(&io, &err) == 0, "init"))
		diag("%s", err.msg);
	if ((e = open_as(NULL)) == NULL)
		return done_testing() | 1;
	add_person(e, "alice", CD_ROLE_VIEW);
	add_person(e, "bob", CD_ROLE_VIEW);
	add_person(e, "vic", CD_ROLE_VIEW);
	add_person(e, "ann", CD_ROLE_VIEW | CD_ROLE_APPROVE |
	    CD_ROLE_VALIDATE);
	test_open_null();
	vic = ann = NULL;
	if (geteuid() != 0 || (vic = open_as("vic")) == NULL ||
	    (ann = open_as("ann")) == NULL)
		skip("refusals by role, a disabled person", "needs root to "
		    "act as another operator");
	test_people_null(e);
	test_requests_null(e, vic);
	test_collect_null(e, vic);
	if (ann != NULL)
		test_disabled(e, ann);
	cd_engine_close(ann);
	cd_engine_close(vic);
	cd_engine_close(e);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("cleanup failed");
	return done_testing();
}
