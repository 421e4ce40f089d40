/* SPDX-License-Identifier: ISC */
/*
 * t-api.c - the client API (src/api) through one implementation against
 * a real store: tests/server/api.sh runs it once with "embedded" and once
 * with "server" (a real certdeskd), as the same Unix user, so the same
 * checks prove both paths give the same results and the same codes.
 *
 * usage: t-api MODE CONF SOCKET TAG  (TAG keeps the two runs' people apart)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "util.h"
#include "tap.h"

static struct cd_api *api;
static char tag[32], logon[64], dir[256];

#define A (api->ops)

static int
count_person(const struct cd_person *p, void *arg)
{
	if (strcmp(p->logon, logon) == 0)
		++*(int *)arg;
	return 0;
}

static int
count_request(const struct cd_request *r, void *arg)
{
	++*(int *)arg;
	return 0;
}

static int
count_audit(const struct cd_audit *a, void *arg)
{
	++*(int *)arg;
	return 0;
}

static int
count_any(const void *x, void *arg)
{
	++*(int *)arg;
	return 0;
}

static int
stop_at_first(const struct cd_request *r, void *arg)
{
	++*(int *)arg;
	return 7;		/* a callback's stop value comes back */
}

static void
check_people(void)
{
	struct cd_person p, q;
	struct cd_person_filter pf;
	struct cd_err err;
	int n = 0;

	memset(&p, 0, sizeof(p));
	snprintf(logon, sizeof(logon), "api.%s", tag);
	cd_strlcpy(p.logon, logon, sizeof(p.logon));
	snprintf(p.full_name, sizeof(p.full_name), "Api Person %s", tag);
	cd_strlcpy(p.email, "api@example.com", sizeof(p.email));
	p.roles = CD_ROLE_VIEW;
	ok(A->person_add(api, &p, &err) == 0, "person add (%s)", err.msg);
	ok(p.id > 0, "person add gives an id");
	q = p;
	is_int(A->person_add(api, &q, &err), CD_E_EXISTS,
	    "adding the same logon twice: CD_E_EXISTS");
	memset(&q, 0, sizeof(q));
	ok(A->person_get(api, 0, logon, &q, &err) == 0, "person get by logon");
	is_str(q.full_name, p.full_name, "the full name came back");
	is_int(q.roles, CD_ROLE_VIEW, "the roles came back");
	memset(&q, 0, sizeof(q));
	ok(A->person_get(api, p.id, NULL, &q, &err) == 0, "person get by id");
	is_str(q.logon, logon, "by id: the same person");
	q.roles = CD_ROLE_VIEW | CD_ROLE_APPROVE;
	ok(A->person_edit(api, &q, 0, NULL, &err) == 0, "person edit (%s)", err.msg);
	A->person_get(api, p.id, NULL, &q, &err);
	is_int(q.roles, CD_ROLE_VIEW | CD_ROLE_APPROVE, "the edit is kept");
	memset(&pf, 0, sizeof(pf));
	snprintf(pf.name, sizeof(pf.name), "Api Person %s", tag);
	ok(A->person_list(api, &pf, count_person, &n, &err) == 0 && n == 1,
	    "person list with a name filter finds it (%d)", n);
	is_int(A->person_get(api, 0, "nobody.at.all", &q, &err),
	    CD_E_NOTFOUND, "an unknown person: CD_E_NOTFOUND");
	ok(strstr(err.msg, "nobody.at.all") != NULL,
	    "the message names it: %s", err.msg);
}

static void
check_import(void)
{
	struct cd_import_result res;
	struct cd_err err;
	char path[300], text[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/people.csv", dir);
	snprintf(text, sizeof(text), "logon,full_name,email\n"
	    "imp1.%s,Imported One,one@example.com\n"
	    "imp2.%s,Imported Two,two@example.com\n", tag, tag);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
	ok(A->person_import_csv(api, path, &res, &err) == 0 && res.added == 2,
	    "CSV import adds two (%s)", err.msg);
	if ((f = fopen(path, "w")) != NULL) {
		fputs("logon,full_name\n,No Logon\n", f);
		fclose(f);
	}
	ok(A->person_import_csv(api, path, &res, &err) != 0 &&
	    res.added == 0 && res.report[0] != '\0',
	    "a bad CSV adds nobody and reports why: %s", res.report);
}

static int64_t
check_requests(void)
{
	struct cd_request r;
	struct cd_request_filter f;
	struct cd_actions act;
	struct cd_err err;
	int64_t id = 0, id2 = 0, *ids = NULL;
	int status = -1, n = 0;

	ok(A->request_new(api, logon, "approved", &id, &status, &err) == 0,
	    "request new (%s)", err.msg);
	is_int(status, CD_RS_AWAIT_APPROVAL, "it awaits approval");
	ok(A->request_get(api, id, &r, &err) == 0, "request get");
	is_str(r.person_logon, logon, "for the person");
	is_str(r.profile, "approved", "with the profile");
	memset(&act, 0, sizeof(act));
	ok(A->request_actions(api, id, &act, &err) == 0 &&
	    (act.allowed & CD_ACT_CANCEL) && !(act.allowed & CD_ACT_COLLECT),
	    "actions: cancel, no collect (%s)", act.why_not_collect);
	cd_request_filter_init(&f);
	f.id = id;
	ok(A->request_search(api, &f, count_request, &n, &err) == 0 && n == 1,
	    "search by id finds it");
	cd_request_filter_init(&f);
	f.status = CD_RS_AWAIT_APPROVAL;
	n = 0;
	ok(A->request_search(api, &f, stop_at_first, &n, &err) == 7 && n == 1,
	    "a callback's stop value ends the search and comes back");
	is_int(A->request_approve(api, id, "my own", &err), CD_E_DENIED,
	    "approving one's own request: CD_E_DENIED");
	like(err.msg, "another operator must approve", "and why");
	A->request_get(api, id, &r, &err);
	is_int(r.status, CD_RS_AWAIT_APPROVAL, "it still awaits approval");
	n = 0;
	ok(A->request_history(api, id, count_audit, &n, &err) == 0 && n >= 1,
	    "history (%d entries)", n);
	ok(A->request_new(api, logon, "user-pin", &id2, &status, &err) == 0 &&
	    status == CD_RS_AWAIT_COLLECTION, "a request without approval "
	    "awaits collection at once");
	n = 0;
	ok(A->request_collectable(api, "user-pin", 0, &ids, &n, &err) == 0 &&
	    n >= 1 && ids[n - 1] == id2, "collectable lists it, oldest first "
	    "(%d)", n);
	free(ids);
	ok(A->request_cancel(api, id2, NULL, &err) == 0, "cancel it");
	is_int(A->request_cancel(api, id2, NULL, &err), CD_E_STATE,
	    "cancelling twice: CD_E_STATE");
	is_int(A->request_new(api, logon, "no-such-profile", &id, &status,
	    &err), CD_E_NOTFOUND, "an unknown profile: CD_E_NOTFOUND");
	is_int(A->request_get(api, 999999, &r, &err), CD_E_NOTFOUND,
	    "an unknown request: CD_E_NOTFOUND");
	return id;
}

static void
check_rest(int64_t id)
{
	struct cd_cert_filter cf;
	struct cd_device_filter df;
	struct cd_request_filter rf;
	struct cd_err err;
	char path[300], job[300], buf[64];
	FILE *f;
	int n = 0;

	cd_cert_filter_init(&cf);
	cf.request_id = id;
	ok(A->cert_list(api, &cf, (cd_cert_cb)count_any, &n, &err) == 0 &&
	    n == 0, "no certificates for an uncollected request");
	memset(&df, 0, sizeof(df));
	ok(A->device_list(api, &df, (cd_device_cb)count_any, &n, &err) == 0,
	    "device list");
	n = 0;
	ok(A->audit_list(api, 0, count_audit, &n, &err) == 0 && n > 5,
	    "audit list (%d)", n);
	snprintf(path, sizeof(path), "%s/crl.pem", dir);
	ok(A->crl_write(api, path, 0, -1, &err) == 0, "CRL (%s)", err.msg);
	buf[0] = '\0';
	if ((f = fopen(path, "r")) != NULL) {
		if (fgets(buf, sizeof(buf), f) == NULL)
			buf[0] = '\0';
		fclose(f);
	}
	like(buf, "BEGIN X509 CRL", "the CRL is PEM");
	snprintf(path, sizeof(path), "%s/transport.ps", dir);
	is_int(A->print_transport(api, id, NULL, path, job, sizeof(job), &err),
	    CD_E_STATE, "no transport document before a collection");
	ok(A->request_cancel(api, id, "done testing", &err) == 0, "cancel");
	cd_request_filter_init(&rf);
	rf.status = 42;
	ok(A->request_search(api, &rf, count_request, &n, &err) == 0 ||
	    err.code == CD_E_INVAL, "an out-of-range status filter is "
	    "harmless");
}

int
main(int argc, char **argv)
{
	struct cd_api_opts o;
	struct cd_person me;
	struct cd_err err;
	int imp = -1;

	if (argc != 5) {
		fprintf(stderr, "usage: t-api MODE CONF SOCKET TAG\n");
		return 2;
	}
	memset(&o, 0, sizeof(o));
	o.mode = argv[1];
	o.conf_path = argv[2];
	o.socket = argv[3];
	o.no_sweep = 1;
	cd_strlcpy(tag, argv[4], sizeof(tag));
	snprintf(dir, sizeof(dir), "%s", getenv("TAPI_DIR") ?
	    getenv("TAPI_DIR") : "/tmp");
	if (cd_api_open(&o, &api, &err) != 0) {
		printf("not ok 1 - open %s: %s\n1..1\n", argv[1], err.msg);
		return 1;
	}
	is_str(api->ops->name, argv[1], "the %s implementation", argv[1]);
	ok(A->whoami(api, &me, &imp, &err) == 0, "whoami (%s)", err.msg);
	ok(me.roles == CD_ROLE_ALL && imp == 0, "the operator is the "
	    "administrator, not impersonated (%s)", me.logon);
	check_people();
	check_import();
	check_rest(check_requests());
	cd_api_close(api);
	return done_testing();
}
