/*
 * t-store.c - the store conformance suite, run against every backend in
 * cd_store_backends on a real store in a fresh temporary directory, then
 * a few checks that only make sense for the SQLite backend (file modes,
 * the append-only audit triggers, schema versions), which look at the
 * database file directly and are kept apart at the end.
 */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "error.h"
#include "model.h"
#include "store.h"
#include "fixture.h"
#include "util.h"

/* The backend under test, its open store and the last error. */
static const struct cd_store_ops *O;
static struct cd_store *S;
static struct cd_err E;
static struct fx fx;
static const char *topdir = fx.dir;

/* ------------------------------------------------------------ helpers */

struct ids {
	int64_t v[512];
	int n;
	int stop_after;		/* return 5 from the callback after this many */
	char names[4096];	/* people: full names joined by '|' */
};

static int
take(struct ids *x, int64_t id)
{
	if (x->n < (int)CD_NELEM(x->v))
		x->v[x->n] = id;
	x->n++;
	return x->stop_after > 0 && x->n >= x->stop_after ? 5 : 0;
}

static int
cb_person(const struct cd_person *p, void *arg)
{
	struct ids *x = arg;
	size_t n = strlen(x->names);

	snprintf(x->names + n, sizeof(x->names) - n, "%s%s", n ? "|" : "",
	    p->full_name);
	return take(x, p->id);
}

static int
cb_request(const struct cd_request *r, void *arg)
{
	return take(arg, r->id);
}

static int
cb_cert(const struct cd_cert *c, void *arg)
{
	return take(arg, c->id);
}

static int
cb_device(const struct cd_device *d, void *arg)
{
	return take(arg, d->id);
}

static int
cb_attempt(const struct cd_attempt *a, void *arg)
{
	return take(arg, a->id);
}

static int
cb_audit(const struct cd_audit *a, void *arg)
{
	return take(arg, a->at);
}

/* "3,2,1" for what a list returned. */
static const char *
got(const struct ids *x)
{
	static char buf[2][4096];
	static int k;
	char *b = buf[k++ & 1];
	size_t n = 0;
	int i;

	b[0] = '\0';
	for (i = 0; i < x->n && i < (int)CD_NELEM(x->v); i++)
		n += (size_t)snprintf(b + n, sizeof(buf[0]) - n, "%s%lld",
		    i ? "," : "", (long long)x->v[i]);
	return b;
}

/* The same text for n int64_t ids. */
static const char *
want(int n, ...)
{
	static char buf[2][4096];
	static int k;
	char *b = buf[k++ & 1];
	size_t len = 0;
	va_list ap;
	int i;

	b[0] = '\0';
	va_start(ap, n);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(b + len, sizeof(buf[0]) - len,
		    "%s%lld", i ? "," : "", (long long)va_arg(ap, int64_t));
	va_end(ap);
	return b;
}

/* Replace a whole string field, so that structs compare with memcmp. */
static void
set_text(char *field, const char *s, size_t size)
{
	memset(field, 0, size);
	cd_strlcpy(field, s, size);
}

static int64_t
add_person(const char *logon, const char *name)
{
	struct cd_person p;

	memset(&p, 0, sizeof(p));
	cd_strlcpy(p.logon, logon, sizeof(p.logon));
	cd_strlcpy(p.full_name, name, sizeof(p.full_name));
	if (O->person_add(S, &p, &E) != 0) {
		diag("person_add %s: %s", logon, E.msg);
		return 0;
	}
	return p.id;
}

static int64_t
add_request(int64_t person, int status, const char *profile,
    int64_t created, int64_t device)
{
	struct cd_request r;

	memset(&r, 0, sizeof(r));
	r.type = CD_RT_SOFT_CERT;
	r.status = status;
	r.person_id = person;
	r.device_id = device;
	cd_strlcpy(r.profile, profile, sizeof(r.profile));
	r.created_at = created;
	if (O->request_add(S, &r, &E) != 0) {
		diag("request_add: %s", E.msg);
		return 0;
	}
	return r.id;
}

static const char *
search(const struct cd_request_filter *f)
{
	struct ids x;
	int r;

	memset(&x, 0, sizeof(x));
	if ((r = O->request_search(S, f, cb_request, &x, &E)) != 0) {
		diag("request_search: %d %s", r, E.msg);
		return "error";
	}
	return got(&x);
}

/* Full names of the people whose words match name, '|'-joined. */
static const char *
people_named(const char *name)
{
	static struct ids x;
	struct cd_person_filter f;

	memset(&f, 0, sizeof(f));
	memset(&x, 0, sizeof(x));
	cd_strlcpy(f.name, name, sizeof(f.name));
	if (O->person_list(S, &f, cb_person, &x, &E) != 0)
		return "error";
	return x.names;
}

static int
store_open(const char *dir, int create)
{
	cd_err_clear(&E);
	return O->open(dir, create, &S, &E);
}

static void
store_close(void)
{
	if (S != NULL)
		O->close(S);
	S = NULL;
}

/* ------------------------------------------------------------ registry */

static void
test_registry(void)
{
	struct cd_request_filter rf;
	struct cd_cert_filter cf;

	ok(cd_store_backends[0] == &cd_store_sqlite_ops,
	    "sqlite is the first (default) backend");
	ok(cd_store_find(NULL) == cd_store_backends[0] &&
	    cd_store_find("") == cd_store_backends[0],
	    "NULL and \"\" give the default backend");
	ok(cd_store_find("SQLite") == &cd_store_sqlite_ops,
	    "backend names are case-insensitive");
	ok(cd_store_find("nosuch") == NULL, "an unknown backend is NULL");
	memset(&rf, 0x55, sizeof(rf));
	cd_request_filter_init(&rf);
	ok(rf.status == -1 && rf.type == -1 && rf.id == 0 &&
	    rf.name[0] == '\0' && rf.limit == 0 && rf.created_to == 0,
	    "request filter init: status and type any, the rest zero");
	memset(&cf, 0x55, sizeof(cf));
	cd_cert_filter_init(&cf);
	ok(cf.status == -1 && cf.request_id == 0 && cf.serial[0] == '\0' &&
	    cf.revoke_due_by == 0, "cert filter init: status any");
}

/* ------------------------------------------------------------ suite */

static void
test_open(const char *dir)
{
	int v = 0, r;

	is_int(store_open(dir, 0), CD_E_NOTFOUND,
	    "%s: open without create refuses a missing store", O->name);
	like(E.msg, "certdesk init", "%s: ... and says to run init",
	    O->name);
	is_int(store_open(dir, 1), 0, "%s: open with create", O->name);
	if (S == NULL)
		return;
	r = O->schema_version(S, &v, &E);
	ok(r == 0 && v >= 1, "%s: schema version %d", O->name, v);
}

static void
test_people(void)
{
	struct cd_person p, q;
	int64_t n = -1;
	int r;

	memset(&p, 0, sizeof(p));
	cd_strlcpy(p.logon, "alice", sizeof(p.logon));
	cd_strlcpy(p.full_name, "Alice Archer", sizeof(p.full_name));
	cd_strlcpy(p.email, "alice@example.org", sizeof(p.email));
	cd_strlcpy(p.employee_id, "E-1001", sizeof(p.employee_id));
	cd_strlcpy(p.group_name, "OU=Finance", sizeof(p.group_name));
	cd_strlcpy(p.upn, "alice@corp.example", sizeof(p.upn));
	p.status = CD_PS_DISABLED;
	p.roles = CD_ROLE_ALL | 0x80000000u;
	p.created_at = INT64_C(1790000000);
	ok(O->person_add(S, &p, &E) == 0 && p.id > 0,
	    "%s: person_add fills the id", O->name);
	memset(&q, 0x55, sizeof(q));
	ok(O->person_get(S, p.id, NULL, &q, &E) == 0 &&
	    memcmp(&p, &q, sizeof(p)) == 0,
	    "%s: person by id: every field round-trips", O->name);
	memset(&q, 0x55, sizeof(q));
	ok(O->person_get(S, 0, "alice", &q, &E) == 0 &&
	    memcmp(&p, &q, sizeof(p)) == 0, "%s: person by logon", O->name);
	is_int(O->person_get(S, 0, "ALICE", &q, &E), CD_E_NOTFOUND,
	    "%s: logon lookup is case-sensitive", O->name);
	is_int(O->person_get(S, 999999, NULL, &q, &E), CD_E_NOTFOUND,
	    "%s: missing id is NOTFOUND", O->name);
	like(E.msg, "999999", "%s: ... naming the id", O->name);

	q = p;
	q.id = 0;
	cd_strlcpy(q.full_name, "Another Alice", sizeof(q.full_name));
	is_int(O->person_add(S, &q, &E), CD_E_EXISTS,
	    "%s: duplicate logon is EXISTS", O->name);
	like(E.msg, "a person with logon name alice already exists",
	    "%s: ... with a clear message", O->name);

	set_text(p.email, "a@example.org", sizeof(p.email));
	p.status = CD_PS_ACTIVE;
	p.roles = CD_ROLE_VIEW;
	ok(O->person_update(S, &p, &E) == 0 &&
	    O->person_get(S, p.id, NULL, &q, &E) == 0 &&
	    memcmp(&p, &q, sizeof(p)) == 0, "%s: person_update", O->name);
	q = p;
	q.id = 999999;
	cd_strlcpy(q.logon, "ghost", sizeof(q.logon));
	is_int(O->person_update(S, &q, &E), CD_E_NOTFOUND,
	    "%s: updating a missing person is NOTFOUND", O->name);
	q.id = add_person("bob", "Bob Baker");
	cd_strlcpy(q.logon, "alice", sizeof(q.logon));
	is_int(O->person_update(S, &q, &E), CD_E_EXISTS,
	    "%s: renaming onto a taken logon is EXISTS", O->name);
	r = O->person_count(S, &n, &E);
	ok(r == 0 && n == 2, "%s: person_count (%lld)", O->name,
	    (long long)n);
}

static void
test_name_words(void)
{
	struct cd_person p;

	add_person("jsamson", "John Samson");
	add_person("slittlejohn", "Sam Littlejohn");
	add_person("ann.lee-ext_x@corp", "Ann Lee");
	add_person("ezola", "\xc3\x89mile Zola");
	is_str(people_named("Sam John"), "John Samson",
	    "%s: 'Sam John' finds John Samson, not Sam Littlejohn", O->name);
	is_str(people_named("sam"), "John Samson|Sam Littlejohn",
	    "%s: one prefix matches either word", O->name);
	is_str(people_named("JOHN"), "John Samson",
	    "%s: case-insensitive, word starts only", O->name);
	is_str(people_named("littlejohn sam"), "Sam Littlejohn",
	    "%s: word order does not matter", O->name);
	is_str(people_named("ext"), "Ann Lee",
	    "%s: logon split at '-'", O->name);
	is_str(people_named("x corp"), "Ann Lee",
	    "%s: logon split at '_' and '@'", O->name);
	is_str(people_named("ann.lee"), "Ann Lee",
	    "%s: the start of the whole logon name", O->name);
	is_str(people_named("jsam"), "John Samson",
	    "%s: logon prefix", O->name);
	is_str(people_named("ann zzz"), "",
	    "%s: every word must match", O->name);
	is_str(people_named("  lee   ann "), "Ann Lee",
	    "%s: extra blanks are ignored", O->name);
	is_str(people_named("\xc3\x89mi"), "\xc3\x89mile Zola",
	    "%s: non-ASCII bytes match as they are", O->name);
	is_str(people_named("ohn"), "",
	    "%s: a word's middle does not match", O->name);

	memset(&p, 0, sizeof(p));
	if (O->person_get(S, 0, "jsamson", &p, &E) == 0) {
		cd_strlcpy(p.full_name, "Jon Samsonite", sizeof(p.full_name));
		O->person_update(S, &p, &E);
	}
	is_str(people_named("john samson"), "",
	    "%s: update replaces the name words", O->name);
	is_str(people_named("jon sams"), "Jon Samsonite",
	    "%s: ... and indexes the new ones", O->name);
}

struct reqs {
	int64_t a, b, dev, r1, r2, r3, r4;
};

static void
test_request_roundtrip(struct reqs *k)
{
	struct cd_request r, q;

	memset(&r, 0, sizeof(r));
	r.type = CD_RT_SOFT_CERT;
	r.status = CD_RS_COMPLETED;
	r.person_id = k->a;
	r.device_id = k->dev;
	cd_strlcpy(r.profile, "signing", sizeof(r.profile));
	cd_strlcpy(r.created_by, "op1", sizeof(r.created_by));
	r.created_at = 5;
	cd_strlcpy(r.approved_by, "op2", sizeof(r.approved_by));
	r.approved_at = 6;
	cd_strlcpy(r.validated_by, "op3", sizeof(r.validated_by));
	r.validated_at = 7;
	cd_strlcpy(r.collected_by, "op4", sizeof(r.collected_by));
	r.collected_at = 8;
	cd_strlcpy(r.cancelled_by, "op5", sizeof(r.cancelled_by));
	r.cancelled_at = 9;
	r.updated_at = 10;
	cd_strlcpy(r.note, "note \"quoted\" ' ; --", sizeof(r.note));
	cd_strlcpy(r.person_logon, "ignored", sizeof(r.person_logon));
	ok(O->request_add(S, &r, &E) == 0 && r.id > 0,
	    "%s: request_add fills the id", O->name);
	cd_strlcpy(r.person_logon, "rq.alpha", sizeof(r.person_logon));
	cd_strlcpy(r.person_name, "Rita Alpha", sizeof(r.person_name));
	memset(&q, 0x55, sizeof(q));
	ok(O->request_get(S, r.id, &q, &E) == 0 &&
	    memcmp(&r, &q, sizeof(r)) == 0,
	    "%s: request: every field round-trips, person filled", O->name);
	r.status = CD_RS_CANCELLED;
	set_text(r.note, "changed", sizeof(r.note));
	r.device_id = 0;
	ok(O->request_update(S, &r, &E) == 0 &&
	    O->request_get(S, r.id, &q, &E) == 0 &&
	    memcmp(&r, &q, sizeof(r)) == 0, "%s: request_update", O->name);
	is_int(O->request_get(S, 999999, &q, &E), CD_E_NOTFOUND,
	    "%s: missing request is NOTFOUND", O->name);
	r.id = 999999;
	is_int(O->request_update(S, &r, &E), CD_E_NOTFOUND,
	    "%s: updating a missing request is NOTFOUND", O->name);
}

static void
test_request_search(struct reqs *k)
{
	struct cd_request_filter f;
	struct ids x;

	cd_request_filter_init(&f);
	f.profile[0] = '\0';
	f.created_from = 1000;
	is_str(search(&f), want(4, k->r4, k->r3, k->r2, k->r1),
	    "%s: newest first, ties by id", O->name);
	cd_request_filter_init(&f);
	f.id = k->r2;
	is_str(search(&f), want(1, k->r2), "%s: by id", O->name);
	cd_request_filter_init(&f);
	f.status = CD_RS_AWAIT_COLLECTION;
	is_str(search(&f), want(2, k->r3, k->r2), "%s: by status", O->name);
	cd_request_filter_init(&f);
	f.type = 1;
	is_str(search(&f), "", "%s: by type", O->name);
	cd_request_filter_init(&f);
	cd_strlcpy(f.profile, "p1", sizeof(f.profile));
	is_str(search(&f), want(2, k->r3, k->r1), "%s: by profile", O->name);
	cd_request_filter_init(&f);
	f.person_id = k->a;
	f.created_from = 1000;
	is_str(search(&f), want(2, k->r2, k->r1), "%s: by person", O->name);
	cd_request_filter_init(&f);
	f.device_id = k->dev;
	f.created_from = 1000;
	is_str(search(&f), want(1, k->r2), "%s: by device", O->name);
	cd_request_filter_init(&f);
	f.created_from = 2000;
	is_str(search(&f), want(3, k->r4, k->r3, k->r2),
	    "%s: created_from is inclusive", O->name);
	f.created_to = 3000;
	is_str(search(&f), want(2, k->r3, k->r2),
	    "%s: created_to is exclusive", O->name);
	cd_request_filter_init(&f);
	cd_strlcpy(f.name, "bra", sizeof(f.name));
	is_str(search(&f), want(2, k->r4, k->r3), "%s: by name word",
	    O->name);
	cd_strlcpy(f.name, "RITA alp", sizeof(f.name));
	f.created_from = 1000;
	is_str(search(&f), want(2, k->r2, k->r1), "%s: by name words",
	    O->name);
	cd_request_filter_init(&f);
	f.status = CD_RS_AWAIT_COLLECTION;
	f.person_id = k->b;
	is_str(search(&f), want(1, k->r3), "%s: filters combine", O->name);
	cd_request_filter_init(&f);
	f.created_from = 1000;
	f.limit = 2;
	is_str(search(&f), want(2, k->r4, k->r3), "%s: limit", O->name);
	f.offset = 1;
	is_str(search(&f), want(2, k->r3, k->r2), "%s: limit and offset",
	    O->name);
	f.limit = 0;
	f.offset = 3;
	is_str(search(&f), want(1, k->r1), "%s: offset alone", O->name);
	cd_request_filter_init(&f);
	memset(&x, 0, sizeof(x));
	x.stop_after = 1;
	is_int(O->request_search(S, &f, cb_request, &x, &E), 5,
	    "%s: a callback's non-zero result stops and is returned",
	    O->name);
	is_int(x.n, 1, "%s: ... after one row", O->name);
}

static void
test_requests(struct reqs *k)
{
	struct cd_device d;

	k->a = add_person("rq.alpha", "Rita Alpha");
	k->b = add_person("rq.bravo", "Rob Bravo");
	memset(&d, 0, sizeof(d));
	cd_strlcpy(d.type, "Soft Certificate", sizeof(d.type));
	O->device_add(S, &d, &E);
	k->dev = d.id;
	test_request_roundtrip(k);
	k->r1 = add_request(k->a, CD_RS_AWAIT_APPROVAL, "p1", 1000, 0);
	k->r2 = add_request(k->a, CD_RS_AWAIT_COLLECTION, "p2", 2000, k->dev);
	k->r3 = add_request(k->b, CD_RS_AWAIT_COLLECTION, "p1", 2000, 0);
	k->r4 = add_request(k->b, CD_RS_COMPLETED, "p2", 3000, 0);
	test_request_search(k);
}

static void
test_devices(const struct reqs *k)
{
	struct cd_device d, d2, d3, q;
	struct cd_device_filter f;
	struct ids x;

	memset(&d, 0, sizeof(d));
	cd_strlcpy(d.type, "USB Drive", sizeof(d.type));
	cd_strlcpy(d.serial, "SER-1", sizeof(d.serial));
	d.owner_id = k->a;
	cd_strlcpy(d.status, "active", sizeof(d.status));
	memset(d.detail, 'x', sizeof(d.detail) - 1);
	d.created_at = 42;
	ok(O->device_add(S, &d, &E) == 0 && d.id > 0,
	    "%s: device_add fills the id", O->name);
	memset(&q, 0x55, sizeof(q));
	ok(O->device_get(S, d.id, &q, &E) == 0 &&
	    memcmp(&d, &q, sizeof(d)) == 0,
	    "%s: device: every field round-trips (full detail)", O->name);
	d2 = d;
	cd_strlcpy(d2.type, "Soft Certificate", sizeof(d2.type));
	cd_strlcpy(d2.serial, "SER-2", sizeof(d2.serial));
	d2.parent_id = d.id;
	O->device_add(S, &d2, &E);
	d3 = d2;
	d3.owner_id = k->b;
	O->device_add(S, &d3, &E);
	cd_strlcpy(d.status, "cancelled", sizeof(d.status));
	ok(O->device_update(S, &d, &E) == 0 &&
	    O->device_get(S, d.id, &q, &E) == 0 &&
	    strcmp(q.status, "cancelled") == 0, "%s: device_update", O->name);
	is_int(O->device_get(S, 999999, &q, &E), CD_E_NOTFOUND,
	    "%s: missing device is NOTFOUND", O->name);
	q.id = 999999;
	is_int(O->device_update(S, &q, &E), CD_E_NOTFOUND,
	    "%s: updating a missing device is NOTFOUND", O->name);

	memset(&f, 0, sizeof(f));
	memset(&x, 0, sizeof(x));
	f.owner_id = k->a;
	O->device_list(S, &f, cb_device, &x, &E);
	is_str(got(&x), want(2, d.id, d2.id), "%s: devices by owner",
	    O->name);
	memset(&f, 0, sizeof(f));
	memset(&x, 0, sizeof(x));
	cd_strlcpy(f.type, "Soft Certificate", sizeof(f.type));
	cd_strlcpy(f.serial, "SER-2", sizeof(f.serial));
	O->device_list(S, &f, cb_device, &x, &E);
	is_str(got(&x), want(2, d2.id, d3.id), "%s: devices by type and "
	    "serial", O->name);
	memset(&x, 0, sizeof(x));
	f.limit = 1;
	O->device_list(S, &f, cb_device, &x, &E);
	is_str(got(&x), want(1, d2.id), "%s: device list limit", O->name);
}

struct atts {
	int64_t a1, a2, a3;
};

static const char *
attempts(int64_t request, int state, int64_t before)
{
	struct cd_attempt_filter f = { request, state, before };
	static struct ids x;

	memset(&x, 0, sizeof(x));
	if (O->attempt_list(S, &f, cb_attempt, &x, &E) != 0)
		return "error";
	return got(&x);
}

static int64_t
add_attempt(int64_t request, int state, int64_t heartbeat)
{
	struct cd_attempt a;

	memset(&a, 0, sizeof(a));
	a.request_id = request;
	a.state = state;
	a.heartbeat_at = heartbeat;
	if (O->attempt_add(S, &a, &E) != 0)
		diag("attempt_add: %s", E.msg);
	return a.id;
}

static void
test_attempts(const struct reqs *k, struct atts *t)
{
	struct cd_attempt a, q;

	memset(&a, 0, sizeof(a));
	a.request_id = k->r2;
	cd_strlcpy(a.operator_, "op1", sizeof(a.operator_));
	a.pid = 4242;
	cd_strlcpy(a.host, "desk1", sizeof(a.host));
	a.started_at = 90;
	a.heartbeat_at = 100;
	a.state = CD_AS_IN_PROGRESS;
	cd_strlcpy(a.detail, "file /tmp/x.pfx\n", sizeof(a.detail));
	ok(O->attempt_add(S, &a, &E) == 0 && a.id > 0,
	    "%s: attempt_add fills the id", O->name);
	t->a1 = a.id;
	memset(&q, 0x55, sizeof(q));
	ok(O->attempt_get(S, a.id, &q, &E) == 0 &&
	    memcmp(&a, &q, sizeof(a)) == 0,
	    "%s: attempt: every field round-trips", O->name);
	t->a2 = add_attempt(k->r2, CD_AS_COMPLETED, 300);
	t->a3 = add_attempt(k->r3, CD_AS_IN_PROGRESS, 500);
	is_str(attempts(k->r2, -1, 0), want(2, t->a1, t->a2),
	    "%s: attempts by request", O->name);
	is_str(attempts(0, CD_AS_IN_PROGRESS, 0), want(2, t->a1, t->a3),
	    "%s: attempts by state", O->name);
	is_str(attempts(0, -1, 400), want(2, t->a1, t->a2),
	    "%s: attempts by heartbeat_before (exclusive)", O->name);
	is_str(attempts(0, -1, 100), "", "%s: ... strictly before", O->name);
	is_str(attempts(k->r2, CD_AS_IN_PROGRESS, 0), want(1, t->a1),
	    "%s: attempt filters combine", O->name);
	a.state = CD_AS_FAILED;
	a.ended_at = 120;
	ok(O->attempt_update(S, &a, &E) == 0 &&
	    O->attempt_get(S, a.id, &q, &E) == 0 &&
	    memcmp(&a, &q, sizeof(a)) == 0, "%s: attempt_update", O->name);
	is_int(O->attempt_get(S, 999999, &q, &E), CD_E_NOTFOUND,
	    "%s: missing attempt is NOTFOUND", O->name);
	a.id = 999999;
	is_int(O->attempt_update(S, &a, &E), CD_E_NOTFOUND,
	    "%s: updating a missing attempt is NOTFOUND", O->name);
}

static const char *
certs(struct cd_cert_filter *f)
{
	static struct ids x;

	memset(&x, 0, sizeof(x));
	if (O->cert_list(S, f, cb_cert, &x, &E) != 0)
		return "error";
	return got(&x);
}

static int64_t
add_cert(const char *serial, int64_t req, int64_t person, int64_t att,
    int64_t dev, int status, int64_t revoke_after)
{
	struct cd_cert c;

	memset(&c, 0, sizeof(c));
	cd_strlcpy(c.serial, serial, sizeof(c.serial));
	cd_strlcpy(c.issuer, "CN=Test CA", sizeof(c.issuer));
	c.request_id = req;
	c.person_id = person;
	c.attempt_id = att;
	c.device_id = dev;
	c.status = status;
	c.revoke_after = revoke_after;
	if (O->cert_add(S, &c, &E) != 0)
		diag("cert_add: %s", E.msg);
	return c.id;
}

static int
cb_cert_copy(const struct cd_cert *c, void *arg)
{
	*(struct cd_cert *)arg = *c;
	return 1;
}

static void
test_cert_roundtrip(const struct reqs *k, const struct atts *t)
{
	struct cd_cert_filter f;
	struct cd_cert c, q;

	memset(&c, 0, sizeof(c));
	cd_strlcpy(c.serial, "7f00aa", sizeof(c.serial));
	cd_strlcpy(c.issuer, "CN=Test CA", sizeof(c.issuer));
	cd_strlcpy(c.subject, "CN=Rita Alpha,O=Example", sizeof(c.subject));
	c.request_id = k->r4;
	c.person_id = k->b;
	c.attempt_id = t->a3;
	c.device_id = k->dev;
	cd_strlcpy(c.policy, "1.3.6.1.4.1.99999.1", sizeof(c.policy));
	c.status = CD_CS_REVOKED;
	c.not_before = 1;
	c.not_after = INT64_C(4102444800);
	c.revoke_after = 99999;
	cd_strlcpy(c.revoke_reason, "cessationOfOperation",
	    sizeof(c.revoke_reason));
	c.revoked_at = 4;
	cd_strlcpy(c.location, "/media/usb/rita.pfx", sizeof(c.location));
	c.created_at = 5;
	ok(O->cert_add(S, &c, &E) == 0 && c.id > 0,
	    "%s: cert_add fills the id", O->name);
	cd_cert_filter_init(&f);
	cd_strlcpy(f.serial, "7f00aa", sizeof(f.serial));
	memset(&q, 0x55, sizeof(q));
	ok(O->cert_list(S, &f, cb_cert_copy, &q, &E) == 1 &&
	    memcmp(&c, &q, sizeof(c)) == 0,
	    "%s: cert: every field round-trips", O->name);
	c.id = 0;
	is_int(O->cert_add(S, &c, &E), CD_E_EXISTS,
	    "%s: same serial and issuer is EXISTS", O->name);
	like(E.msg, "7f00aa", "%s: ... naming the serial", O->name);
	cd_strlcpy(c.issuer, "CN=Other CA", sizeof(c.issuer));
	ok(O->cert_add(S, &c, &E) == 0, "%s: same serial, other issuer",
	    O->name);
	c.id = 999999;
	is_int(O->cert_update(S, &c, &E), CD_E_NOTFOUND,
	    "%s: updating a missing cert is NOTFOUND", O->name);
}

static void
test_certs(const struct reqs *k, const struct atts *t)
{
	struct cd_cert_filter f;
	struct cd_cert c;
	int64_t c1, c2, c3;

	test_cert_roundtrip(k, t);
	c1 = add_cert("0a01", k->r1, k->a, t->a1, 0, CD_CS_PENDING, 0);
	c2 = add_cert("0a02", k->r2, k->a, 0, k->dev, CD_CS_ACTIVE, 500);
	c3 = add_cert("0a03", k->r3, k->b, t->a1, 0, CD_CS_PENDING, 1500);
	cd_cert_filter_init(&f);
	f.request_id = k->r1;
	is_str(certs(&f), want(1, c1), "%s: certs by request", O->name);
	cd_cert_filter_init(&f);
	f.person_id = k->a;
	is_str(certs(&f), want(2, c1, c2), "%s: certs by person", O->name);
	cd_cert_filter_init(&f);
	f.device_id = k->dev;
	f.status = CD_CS_ACTIVE;
	is_str(certs(&f), want(1, c2), "%s: certs by device and status",
	    O->name);
	cd_cert_filter_init(&f);
	f.attempt_id = t->a1;
	is_str(certs(&f), want(2, c1, c3), "%s: certs by attempt", O->name);
	f.status = CD_CS_PENDING;
	is_str(certs(&f), want(2, c1, c3), "%s: ... and pending", O->name);
	cd_cert_filter_init(&f);
	f.revoke_due_by = 1000;
	is_str(certs(&f), want(1, c2), "%s: revoke_due_by skips 0 and later",
	    O->name);
	f.revoke_due_by = 1500;
	is_str(certs(&f), want(2, c2, c3), "%s: revoke_due_by is inclusive",
	    O->name);
	cd_cert_filter_init(&f);
	cd_strlcpy(f.serial, "0a03", sizeof(f.serial));
	memset(&c, 0, sizeof(c));
	O->cert_list(S, &f, cb_cert_copy, &c, &E);
	is_int(c.id, c3, "%s: certs by serial", O->name);
	c.status = CD_CS_REVOKED;
	c.revoke_after = 0;
	c.revoked_at = 1600;
	cd_strlcpy(c.revoke_reason, "keyCompromise", sizeof(c.revoke_reason));
	ok(O->cert_update(S, &c, &E) == 0, "%s: cert_update", O->name);
	cd_cert_filter_init(&f);
	f.status = CD_CS_REVOKED;
	f.request_id = k->r3;
	memset(&c, 0, sizeof(c));
	O->cert_list(S, &f, cb_cert_copy, &c, &E);
	ok(c.id == c3 && c.revoked_at == 1600 &&
	    strcmp(c.revoke_reason, "keyCompromise") == 0,
	    "%s: ... the update is kept", O->name);
}

static void
test_audit(void)
{
	static const int64_t at[] = { 300, 100, 200, 100 };
	struct cd_audit a;
	struct ids x;
	size_t i;
	int r = 0;

	memset(&a, 0, sizeof(a));
	cd_strlcpy(a.operator_, "op1", sizeof(a.operator_));
	cd_strlcpy(a.action, "request.approve", sizeof(a.action));
	cd_strlcpy(a.object, "request 12", sizeof(a.object));
	cd_strlcpy(a.outcome, "ok", sizeof(a.outcome));
	cd_strlcpy(a.detail, "approved", sizeof(a.detail));
	for (i = 0; i < CD_NELEM(at); i++) {
		a.id = 0;
		a.at = at[i];
		r |= O->audit_add(S, &a, &E);
	}
	ok(r == 0 && a.id > 0, "%s: audit_add fills the id", O->name);
	memset(&x, 0, sizeof(x));
	O->audit_list(S, 0, cb_audit, &x, &E);
	is_str(got(&x), want(4, (int64_t)100, (int64_t)100, (int64_t)200,
	    (int64_t)300), "%s: audit oldest first", O->name);
	memset(&x, 0, sizeof(x));
	O->audit_list(S, 200, cb_audit, &x, &E);
	is_str(got(&x), want(2, (int64_t)200, (int64_t)300),
	    "%s: audit since (inclusive)", O->name);
	a.id = 0;
	a.at = 50;
	cd_strlcpy(a.object, "request 13", sizeof(a.object));
	O->audit_add(S, &a, &E);
	memset(&x, 0, sizeof(x));
	O->audit_object(S, "request 13", cb_audit, &x, &E);
	is_str(got(&x), want(1, (int64_t)50), "%s: audit of one object",
	    O->name);
	memset(&x, 0, sizeof(x));
	O->audit_object(S, "request 12", cb_audit, &x, &E);
	is_str(got(&x), want(4, (int64_t)300, (int64_t)100, (int64_t)200,
	    (int64_t)100), "%s: audit of an object in the order written",
	    O->name);
}

static void
test_transactions(void)
{
	struct cd_person p;
	struct cd_err e2;

	ok(O->begin(S, &E) == 0, "%s: begin", O->name);
	add_person("tx.gone", "Gone Person");
	ok(O->begin(S, &e2) != 0, "%s: transactions do not nest", O->name);
	is_int(O->rollback(S), 0, "%s: rollback", O->name);
	is_int(O->person_get(S, 0, "tx.gone", &p, &E), CD_E_NOTFOUND,
	    "%s: rollback discards", O->name);
	is_str(people_named("gone"), "", "%s: ... and its name words",
	    O->name);
	O->begin(S, &E);
	add_person("tx.kept", "Kept Person");
	memset(&p, 0, sizeof(p));
	cd_strlcpy(p.logon, "tx.kept", sizeof(p.logon));
	is_int(O->person_add(S, &p, &E), CD_E_EXISTS,
	    "%s: a failed write inside a transaction", O->name);
	add_person("tx.after", "After Person");
	is_int(O->commit(S, &E), 0, "%s: ... does not spoil the commit",
	    O->name);
	ok(O->person_get(S, 0, "tx.kept", &p, &E) == 0 &&
	    O->person_get(S, 0, "tx.after", &p, &E) == 0,
	    "%s: commit keeps", O->name);
	is_str(people_named("kept"), "Kept Person", "%s: ... name words too",
	    O->name);
}

static void
test_busy(const char *dir)
{
	const struct cd_store_ops *o = O;
	struct cd_store *s2 = NULL;
	struct cd_person p;
	struct cd_err e2;
	int64_t n = 0;

	cd_err_clear(&e2);
	if (!ok(o->open(dir, 0, &s2, &e2) == 0, "%s: a second handle",
	    o->name)) {
		diag("%s", e2.msg);
		return;
	}
	ok(o->begin(S, &E) == 0, "%s: first handle takes the lock", o->name);
	is_int(o->begin(s2, &e2), CD_E_BUSY,
	    "%s: second handle's begin is BUSY", o->name);
	like(e2.msg, "locked by another certdesk process",
	    "%s: ... with a clear message", o->name);
	memset(&p, 0, sizeof(p));
	cd_strlcpy(p.logon, "busy.one", sizeof(p.logon));
	is_int(o->person_add(s2, &p, &e2), CD_E_BUSY,
	    "%s: a single write is BUSY too", o->name);
	ok(o->person_count(s2, &n, &e2) == 0 && n > 0,
	    "%s: reading is still possible", o->name);
	o->commit(S, &E);
	ok(o->begin(s2, &e2) == 0 && o->person_add(s2, &p, &e2) == 0 &&
	    o->commit(s2, &e2) == 0, "%s: free again after commit", o->name);
	ok(o->person_get(S, 0, "busy.one", &p, &E) == 0,
	    "%s: the first handle sees the second's write", o->name);
	o->close(s2);
}

static void
test_persistence(const char *dir, const struct reqs *k)
{
	struct cd_request r;
	struct cd_person p;
	struct ids x;

	store_close();
	if (!ok(store_open(dir, 0) == 0, "%s: reopen without create",
	    O->name)) {
		diag("%s", E.msg);
		return;
	}
	ok(O->person_get(S, 0, "tx.kept", &p, &E) == 0 &&
	    strcmp(p.full_name, "Kept Person") == 0,
	    "%s: people persist", O->name);
	ok(O->request_get(S, k->r4, &r, &E) == 0 &&
	    strcmp(r.person_name, "Rob Bravo") == 0 &&
	    r.created_at == 3000, "%s: requests persist", O->name);
	memset(&x, 0, sizeof(x));
	O->audit_list(S, 0, cb_audit, &x, &E);
	is_int(x.n, 5, "%s: audit persists", O->name);
	is_str(people_named("sam"), "Jon Samsonite|Sam Littlejohn",
	    "%s: name words persist", O->name);
}

/* ------------------------------------------------------------ scale */

#define SCALE_PEOPLE 2000
#define SCALE_REQUESTS 20000

static const char *const firsts[] = {
	"Alice", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Greta",
	"Hiro", "Ines", "Jonas"
};

/* Person i is "<first> Surname<i>"; request j is for person j % 2000. */
static int
scale_fill(int64_t *pid)
{
	char logon[32], name[64];
	int i, j, r;

	if ((r = O->begin(S, &E)) != 0)
		return r;
	for (i = 0; i < SCALE_PEOPLE; i++) {
		snprintf(logon, sizeof(logon), "u%04d", i);
		snprintf(name, sizeof(name), "%s Surname%04d",
		    firsts[i % CD_NELEM(firsts)], i);
		if ((pid[i] = add_person(logon, name)) == 0)
			goto fail;
	}
	for (j = 0; j < SCALE_REQUESTS; j++)
		if (add_request(pid[j % SCALE_PEOPLE], j % CD_RS__COUNT,
		    "scale", INT64_C(2000000000) + j, 0) == 0)
			goto fail;
	return O->commit(S, &E);
fail:
	O->rollback(S);
	return CD_E_STORE;
}

struct scale_check {
	int64_t *pid;
	int n, bad;
	int64_t prev;
	const char *first;	/* required first name, or NULL */
	int maxi;		/* person index must be below */
};

static int
cb_scale(const struct cd_request *r, void *arg)
{
	struct scale_check *c = arg;
	int j = (int)(r->created_at - INT64_C(2000000000));
	int i = j % SCALE_PEOPLE;

	if (j < 0 || j >= SCALE_REQUESTS || r->person_id != c->pid[i] ||
	    i >= c->maxi || (c->prev != 0 && r->created_at >= c->prev) ||
	    strncmp(r->person_name, "", 1) == 0 ||
	    (c->first != NULL && strncmp(r->person_name, c->first,
	    strlen(c->first)) != 0))
		c->bad++;
	c->prev = r->created_at;
	c->n++;
	return 0;
}

struct idlist {
	int64_t id[400];
	int n;
};

static int
cb_ids(const struct cd_request *r, void *arg)
{
	struct idlist *l = arg;

	if (l->n < (int)CD_NELEM(l->id))
		l->id[l->n++] = r->id;
	return 0;
}

/*
 * A name matching half the people with a limit walks the requests newest
 * first; without a limit it reads the people's requests.  Both plans give
 * the same rows in the same order, with and without a status.
 */
static void
scale_plans(int64_t *pid)
{
	struct cd_request_filter f;
	struct idlist walk, all;
	int st, same;

	(void)pid;
	for (st = -1; st <= 3; st += 4) {
		cd_request_filter_init(&f);
		cd_strlcpy(f.name, "surname0", sizeof(f.name));
		f.status = st;
		f.limit = 150;
		memset(&walk, 0, sizeof(walk));
		memset(&all, 0, sizeof(all));
		O->request_search(S, &f, cb_ids, &walk, &E);
		f.limit = 0;
		O->request_search(S, &f, cb_ids, &all, &E);
		same = walk.n == 150 && all.n >= 150 &&
		    memcmp(walk.id, all.id, sizeof(walk.id[0]) * 150) == 0;
		ok(same, "%s: walk and read give the same first rows (status "
		    "%d)", O->name, st);
	}
}

static void
test_scale(void)
{
	struct cd_request_filter f;
	struct scale_check c;
	int64_t *pid;
	int r;

	if ((pid = calloc(SCALE_PEOPLE, sizeof(*pid))) == NULL)
		return;
	if (!ok(scale_fill(pid) == 0, "%s: %d requests for %d people in "
	    "one transaction", O->name, SCALE_REQUESTS, SCALE_PEOPLE)) {
		diag("%s", E.msg);
		free(pid);
		return;
	}
	cd_request_filter_init(&f);
	cd_strlcpy(f.name, "surname0", sizeof(f.name));
	f.limit = 200;
	memset(&c, 0, sizeof(c));
	c.pid = pid;
	c.maxi = 1000;
	r = O->request_search(S, &f, cb_scale, &c, &E);
	ok(r == 0 && c.n == 200 && c.bad == 0, "%s: name prefix search, limit 200: %d rows, %d "
	    "wrong", O->name, c.n, c.bad);
	/* the newest of them: j = 18999 is person 999 */
	cd_strlcpy(f.name, "ali surname00", sizeof(f.name));
	f.limit = 200;
	memset(&c, 0, sizeof(c));
	c.pid = pid;
	c.maxi = 100;
	c.first = "Alice ";
	r = O->request_search(S, &f, cb_scale, &c, &E);
	ok(r == 0 && c.n == 100 && c.bad == 0, "%s: two-word search: %d rows (want 100), %d wrong",
	    O->name, c.n, c.bad);
	scale_plans(pid);
	free(pid);
}

static void
run_suite(const struct cd_store_ops *ops)
{
	char dir[1024];
	struct reqs k;
	struct atts t;

	O = ops;
	snprintf(dir, sizeof(dir), "%s/%s", topdir, ops->name);
	if (mkdir(dir, 0700) == -1) {
		ok(0, "%s: mkdir %s: %s", ops->name, dir, strerror(errno));
		return;
	}
	test_open(dir);
	if (S == NULL)
		return;
	memset(&k, 0, sizeof(k));
	memset(&t, 0, sizeof(t));
	test_people();
	test_name_words();
	test_requests(&k);
	test_devices(&k);
	test_attempts(&k, &t);
	test_certs(&k, &t);
	test_audit();
	test_transactions();
	test_busy(dir);
	test_persistence(dir, &k);
	if (S != NULL)
		test_scale();
	store_close();
}

/* ------------------------------------------------------------ sqlite only */

/*
 * These look at the database file with a raw SQLite connection, below
 * the store interface, to check what the interface cannot show.
 */
static int
raw_exec(const char *path, const char *sql, char *msg, size_t len)
{
	sqlite3 *db = NULL;
	char *m = NULL;
	int rc;

	if ((rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
	    NULL)) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 2000);
		rc = sqlite3_exec(db, sql, NULL, NULL, &m);
	}
	if (msg != NULL)
		snprintf(msg, len, "%s", m != NULL ? m : "");
	sqlite3_free(m);
	sqlite3_close(db);
	return rc;
}

static int
cb_text(void *arg, int n, char **vals, char **names)
{
	if (n > 0 && vals[0] != NULL)
		snprintf(arg, 64, "%s", vals[0]);
	return 0;
}

static void
raw_text(const char *path, const char *sql, char out[64])
{
	sqlite3 *db = NULL;

	out[0] = '\0';
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK)
		sqlite3_exec(db, sql, cb_text, out, NULL);
	sqlite3_close(db);
}

static void
sqlite_files(const char *dir, const char *db)
{
	char wal[1100];
	struct stat st;
	mode_t old;
	unsigned mode;

	old = umask(0);
	O = &cd_store_sqlite_ops;
	is_int(store_open(dir, 1), 0, "sqlite: create with umask 0");
	umask(old);
	add_person("mode.check", "Mode Check");
	mode = stat(db, &st) == 0 ? st.st_mode & 0777 : 0;
	ok(mode == 0600, "sqlite: certdesk.db is 0600 (%o)", mode);
	snprintf(wal, sizeof(wal), "%.1090s-wal", db);
	mode = stat(wal, &st) == 0 ? st.st_mode & 0777 : 0;
	ok(mode == 0600, "sqlite: the WAL file is 0600 too (%o)", mode);
}

static void
sqlite_raw(const char *db)
{
	char msg[256], v[64];
	struct cd_person p;
	struct cd_request r;
	struct cd_audit a;

	raw_text(db, "PRAGMA journal_mode", v);
	is_str(v, "wal", "sqlite: WAL journal mode");
	memset(&a, 0, sizeof(a));
	a.at = 1;
	cd_strlcpy(a.action, "test", sizeof(a.action));
	O->audit_add(S, &a, &E);
	ok(raw_exec(db, "UPDATE audit SET outcome = 'forged'", msg,
	    sizeof(msg)) != SQLITE_OK, "sqlite: UPDATE of audit is refused");
	like(msg, "append-only", "sqlite: ... by the trigger");
	ok(raw_exec(db, "DELETE FROM audit", msg, sizeof(msg)) != SQLITE_OK,
	    "sqlite: DELETE of audit is refused");
	raw_text(db, "SELECT count(*) || outcome FROM audit", v);
	is_str(v, "1", "sqlite: the audit row is untouched");
	raw_exec(db, "UPDATE people SET full_name = printf('%.300c', 'n')",
	    NULL, 0);
	ok(O->person_get(S, 0, "mode.check", &p, &E) == 0 &&
	    strlen(p.full_name) == sizeof(p.full_name) - 1,
	    "sqlite: long values are truncated to the field");
	memset(&r, 0, sizeof(r));
	r.person_id = 999999;
	is_int(O->request_add(S, &r, &E), CD_E_NOTFOUND,
	    "sqlite: a request for a missing person is refused");
}

/*
 * A store of schema version 1 (before the covering search indexes) is
 * moved forward when opened, and keeps its requests.
 */
static void
sqlite_migrate(const char *dir, const char *db)
{
	char v[64] = "";
	int n = 0;

	store_close();
	raw_exec(db, "DROP INDEX requests_person_status;"
	    "DROP INDEX requests_status_created;"
	    "CREATE INDEX requests_status_created ON requests(status,"
	    " created_at);"
	    "DROP INDEX requests_created;"
	    "CREATE INDEX requests_created ON requests(created_at, id);"
	    "PRAGMA user_version = 1;", NULL, 0);
	is_int(store_open(dir, 0), 0, "sqlite: a version 1 store opens");
	O->schema_version(S, &n, &E);
	is_int(n, 2, "sqlite: ... and is moved to version 2");
	raw_text(db, "SELECT count(*) FROM sqlite_master WHERE name IN "
	    "('requests_person_status', 'requests_status_created',"
	    " 'requests_created') AND sql LIKE '%person_id%'", v);
	is_str(v, "3", "sqlite: ... with the search indexes");
}

static void
sqlite_newer(const char *dir, const char *db)
{
	char sql[64];
	int v = 0;

	O->schema_version(S, &v, &E);
	store_close();
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
	raw_exec(db, sql, NULL, 0);
	is_int(store_open(dir, 0), CD_E_STORE,
	    "sqlite: a store newer than the code is refused");
	like(E.msg, "newer", "sqlite: ... saying so");
	store_close();
}

static void
run_sqlite(void)
{
	char dir[1024], db[1100];

	snprintf(dir, sizeof(dir), "%s/sqlite-raw", topdir);
	snprintf(db, sizeof(db), "%s/certdesk.db", dir);
	if (mkdir(dir, 0700) == -1)
		return;
	sqlite_files(dir, db);
	if (S == NULL)
		return;
	sqlite_raw(db);
	sqlite_migrate(dir, db);
	sqlite_newer(dir, db);
}

int
main(void)
{
	int i;

	fx_init(&fx, "t-store");
	/* lock conflicts show up after 200 ms instead of 10 s */
	setenv("CERTDESK_BUSY_TIMEOUT_MS", "200", 1);
	test_registry();
	for (i = 0; cd_store_backends[i] != NULL; i++)
		run_suite(cd_store_backends[i]);
	run_sqlite();
	fx_cleanup(&fx);
	return done_testing();
}
