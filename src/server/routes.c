/* SPDX-License-Identifier: ISC */
/*
 * routes.c - certdeskd's API (/v1/...): the route table, the request
 * decoder and one short handler per route.  Handlers call the engine as
 * the request's operator (already set on the handle) and put the result
 * into JSON with the shared codecs (json-model.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certdesk/collect.h"
#include "json-collect.h"
#include "json-model.h"
#include "server.h"
#include "util.h"

/* ---- helpers ------------------------------------------------------------ */

/* Append each record to the array named key of out->json. */
struct lister {
	json_t *arr;
	json_t *(*enc)(const void *);
};

static int
list_add(struct lister *l, json_t *v)
{
	if (v == NULL || json_array_append_new(l->arr, v) != 0)
		return CD_E_NOMEM;
	return 0;
}

static int
add_person(const struct cd_person *p, void *arg)
{
	return list_add(arg, cdj_person(p));
}

static int
add_request(const struct cd_request *r, void *arg)
{
	return list_add(arg, cdj_request(r));
}

static int
add_device(const struct cd_device *d, void *arg)
{
	return list_add(arg, cdj_device(d));
}

static int
add_cert(const struct cd_cert *c, void *arg)
{
	return list_add(arg, cdj_cert(c));
}

static int
add_audit(const struct cd_audit *a, void *arg)
{
	return list_add(arg, cdj_audit(a));
}

/* Finish a list: {"key":[...]} in out, or the error. */
static int
list_done(int r, struct lister *l, const char *key, struct cds_reply *out,
    struct cd_err *err)
{
	if (r == CD_E_NOMEM)
		cd_err_set(err, r, NULL);
	if (r != 0) {
		json_decref(l->arr);
		return r;
	}
	out->json = json_pack("{s:o}", key, l->arr);
	return out->json != NULL ? 0 : cd_err_set(err, CD_E_NOMEM, NULL);
}

static int
reply(struct cds_reply *out, json_t *j, struct cd_err *err)
{
	if ((out->json = j) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	return 0;
}

/* ---- who am I ---------------------------------------------------------- */

static int
h_whoami(struct cd_engine *e, const struct cds_req *q, struct cds_reply *out,
    struct cd_err *err)
{
	return reply(out, json_pack("{s:o,s:b,s:i,s:o,s:o}", "operator",
	    cdj_person(cd_engine_operator(e)), "impersonated",
	    q->peer->as[0] != '\0', "uid", (int)q->peer->uid, "unix_login",
	    cdj_string(q->peer->login), "source",
	    cdj_string(cd_engine_source(e))), err);
}

/* ---- people --------------------------------------------------------------- */

static int
h_people_list(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct cd_person_filter f;
	struct lister l = { json_array(), NULL };
	int r;

	if ((r = cdj_person_filter_parse(q->query, &f, err)) != 0) {
		json_decref(l.arr);
		return r;
	}
	r = cd_person_list(e, &f, add_person, &l, err);
	return list_done(r, &l, "people", out, err);
}

static int
h_people_get(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct cd_person p;
	int r;

	if ((r = cd_person_get(e, q->id, q->id ? NULL : q->logon, &p, err)))
		return r;
	return reply(out, json_pack("{s:o}", "person", cdj_person(&p)), err);
}

static int
h_people_add(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct cd_person p;
	int r;

	memset(&p, 0, sizeof(p));
	if ((r = cdj_person_parse(q->body, &p, err)) != 0)
		return r;
	p.id = 0;
	if ((r = cd_person_add(e, &p, err)) != 0)
		return r;
	out->status = 201;
	return reply(out, json_pack("{s:o}", "person", cdj_person(&p)), err);
}

static int
h_people_edit(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct cd_person old, p;
	int revoke, n = 0, r;

	if ((r = cd_person_get(e, 0, q->logon, &old, err)) != 0)
		return r;
	p = old;
	if ((r = cdj_person_parse(q->body, &p, err)) != 0)
		return r;
	if (p.id != old.id || strcmp(p.logon, old.logon) != 0)
		return cd_err_set(err, CD_E_INVAL, "the logon name and id of "
		    "a person cannot change");
	revoke = json_is_true(json_object_get(q->body,
	    "revoke_certificates"));
	if ((r = cd_person_edit_ex(e, &p, revoke ? CD_PE_REVOKE : 0, &n,
	    err)) != 0)
		return r;
	return reply(out, json_pack("{s:o,s:i}", "person", cdj_person(&p),
	    "revoked", n), err);
}

/* The CSV travels as the body; the engine reads it from a private file. */
static int
h_people_import(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct cd_import_result res;
	const char *tmp = getenv("TMPDIR");
	char path[CD_PATH_MAX];
	int fd, r;

	memset(&res, 0, sizeof(res));
	snprintf(path, sizeof(path), "%s/certdeskd-import.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if ((fd = mkstemp(path)) == -1)
		return cd_err_set(err, CD_E_IO, "cannot create a temporary "
		    "file: %s", strerror(errno));
	if (write(fd, q->raw, q->rawlen) != (ssize_t)q->rawlen) {
		r = cd_err_set(err, CD_E_IO, "cannot write a temporary file");
		close(fd);
		goto out;
	}
	close(fd);
	r = cd_person_import_csv(e, path, &res, err);
	if (r == 0 || res.bad_rows > 0)
		out->json = cdj_import_result(&res);
	if (r == 0 && out->json == NULL)
		r = cd_err_set(err, CD_E_NOMEM, NULL);
out:
	unlink(path);
	return r;
}

/* ---- devices and certificates ------------------------------------------------ */

static int
h_devices_list(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct cd_device_filter f;
	struct lister l = { json_array(), NULL };
	int r;

	if ((r = cdj_device_filter_parse(q->query, &f, err)) != 0) {
		json_decref(l.arr);
		return r;
	}
	r = cd_device_list(e, &f, add_device, &l, err);
	return list_done(r, &l, "devices", out, err);
}

static int
h_devices_get(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct cd_device d;
	int r;

	if ((r = cd_device_get(e, q->id, &d, err)) != 0)
		return r;
	return reply(out, json_pack("{s:o}", "device", cdj_device(&d)), err);
}

static int
h_certs_list(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct cd_cert_filter f;
	struct lister l = { json_array(), NULL };
	int r;

	if ((r = cdj_cert_filter_parse(q->query, &f, err)) != 0) {
		json_decref(l.arr);
		return r;
	}
	r = cd_cert_list(e, &f, add_cert, &l, err);
	return list_done(r, &l, "certificates", out, err);
}

/* ---- requests --------------------------------------------------------------- */

static int
h_requests_search(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct cd_request_filter f;
	struct lister l = { json_array(), NULL };
	int r;

	if ((r = cdj_request_filter_parse(q->query, &f, err)) != 0) {
		json_decref(l.arr);
		return r;
	}
	r = cd_request_search(e, &f, add_request, &l, err);
	return list_done(r, &l, "requests", out, err);
}

static int
h_requests_get(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct cd_request rq;
	int r;

	if ((r = cd_request_get(e, q->id, &rq, err)) != 0)
		return r;
	return reply(out, json_pack("{s:o}", "request", cdj_request(&rq)),
	    err);
}

static int
h_requests_new(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	char person[CD_LOGON_MAX] = "", profile[64] = "";
	int64_t id = 0;
	int status = 0, r;

	if ((r = cdj_get_str(q->body, "person", person, sizeof(person),
	    err)) != 0 ||
	    (r = cdj_get_str(q->body, "profile", profile, sizeof(profile),
	    err)) != 0)
		return r;
	if (person[0] == '\0' || profile[0] == '\0')
		return cd_err_set(err, CD_E_INVAL, "a new request needs "
		    "'person' (a logon name) and 'profile'");
	if ((r = cd_request_new(e, person, profile, &id, &status, err)) != 0)
		return r;
	out->status = 201;
	return reply(out, json_pack("{s:I,s:s}", "id", (json_int_t)id,
	    "status", cd_status_short(status)), err);
}

typedef int (*transition_fn)(struct cd_engine *, int64_t, const char *,
    struct cd_err *);

static int
transition(transition_fn fn, struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	char note[CD_FIELD_MAX] = "";
	int r;

	if ((r = cdj_get_str(q->body, "note", note, sizeof(note), err)) != 0)
		return r;
	if ((r = fn(e, q->id, note[0] ? note : NULL, err)) != 0)
		return r;
	return h_requests_get(e, q, out, err);
}

#define TRANSITION(name, fn) \
static int \
name(struct cd_engine *e, const struct cds_req *q, struct cds_reply *out, \
    struct cd_err *err) \
{ \
	return transition(fn, e, q, out, err); \
}
TRANSITION(h_approve, cd_request_approve)
TRANSITION(h_reject, cd_request_reject)
TRANSITION(h_validate, cd_request_validate)
TRANSITION(h_cancel, cd_request_cancel)

static int
h_requests_actions(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct cd_actions a;
	int r;

	memset(&a, 0, sizeof(a));
	if ((r = cd_request_actions(e, q->id, &a, err)) != 0)
		return r;
	return reply(out, cdj_actions(&a), err);
}

static int
h_requests_history(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct lister l = { json_array(), NULL };
	int r;

	r = cd_request_history(e, q->id, add_audit, &l, err);
	return list_done(r, &l, "audit", out, err);
}

/* {"ids": [...]} from n ids (freed). */
static int
ids_reply(struct cds_reply *out, int64_t *ids, int n, struct cd_err *err)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; arr != NULL && i < n; i++)
		json_array_append_new(arr, json_integer(ids[i]));
	free(ids);
	return reply(out, json_pack("{s:o*}", "ids", arr), err);
}

static int
h_requests_collectable(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	char profile[64] = "";
	int64_t limit = 0, *ids = NULL;
	int n = 0, r;

	if ((r = cdj_get_str(q->query, "profile", profile, sizeof(profile),
	    err)) != 0 || (r = cdj_get_int(q->query, "limit", &limit, err)))
		return r;
	if (profile[0] == '\0' || limit < 0 || limit > 1000000)
		return cd_err_set(err, CD_E_INVAL, "collectable requests need "
		    "'profile' and a 'limit' from 0 to 1000000");
	if ((r = cd_request_collectable(e, profile, (int)limit, &ids, &n,
	    err)) != 0)
		return r;
	return ids_reply(out, ids, n, err);
}

/* The transport document's PostScript: the client prints it. */
static int
h_transport(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	const char *tmp = getenv("TMPDIR");
	char dir[CD_PATH_MAX], path[CD_PATH_MAX + 16], job[CD_PATH_MAX];
	unsigned char *data = NULL;
	size_t len = 0;
	int r;

	snprintf(dir, sizeof(dir), "%s/certdeskd-doc.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return cd_err_set(err, CD_E_IO, "cannot create a temporary "
		    "folder: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/transport.ps", dir);
	r = cd_print_transport(e, q->id, NULL, path, job, sizeof(job), err);
	if (r == 0)
		r = cd_read_file(path, 64 << 20, &data, &len, err);
	unlink(path);
	rmdir(dir);
	if (r != 0)
		return r;
	out->bytes = data;
	out->len = len;
	out->type = "application/postscript";
	return 0;
}

/* ---- audit and CRL ------------------------------------------------------------ */

static int
h_audit(struct cd_engine *e, const struct cds_req *q, struct cds_reply *out,
    struct cd_err *err)
{
	struct lister l = { json_array(), NULL };
	int64_t since = 0;
	int r;

	if ((r = cdj_get_int(q->query, "since", &since, err)) != 0) {
		json_decref(l.arr);
		return r;
	}
	r = cd_audit_list(e, since, add_audit, &l, err);
	return list_done(r, &l, "audit", out, err);
}

static int
h_crl(struct cd_engine *e, const struct cds_req *q, struct cds_reply *out,
    struct cd_err *err)
{
	char fmt[8] = "pem";
	FILE *f;
	long n;
	int r;

	if ((r = cdj_get_str(q->query, "format", fmt, sizeof(fmt), err)))
		return r;
	if (strcmp(fmt, "pem") != 0 && strcmp(fmt, "der") != 0)
		return cd_err_set(err, CD_E_INVAL, "'format' is pem or der");
	if ((f = tmpfile()) == NULL)
		return cd_err_set(err, CD_E_IO, "cannot create a temporary "
		    "file: %s", strerror(errno));
	if ((r = cd_crl_write(e, NULL, fmt[0] == 'd', fileno(f), err)) != 0)
		goto out;
	r = cd_err_set(err, CD_E_IO, "cannot read the CRL back");
	if ((n = lseek(fileno(f), 0, SEEK_END)) <= 0 ||
	    lseek(fileno(f), 0, SEEK_SET) != 0 ||
	    (out->bytes = malloc((size_t)n)) == NULL)
		goto out;
	if (read(fileno(f), out->bytes, (size_t)n) != n)
		goto out;
	out->len = (size_t)n;
	out->type = fmt[0] == 'd' ? "application/pkix-crl" :
	    "application/x-pem-file";
	cd_err_clear(err);
	r = 0;
out:
	fclose(f);
	return r;
}

/* ---- revocation ------------------------------------------------------------- */

/* "reason" of the body as a CRL reason code (default unspecified). */
static int
body_reason(const json_t *body, int *reason, struct cd_err *err)
{
	char name[64] = "unspecified";
	int r;

	if ((r = cdj_get_str(body, "reason", name, sizeof(name), err)) != 0)
		return r;
	if ((*reason = cd_crl_reason_parse(name)) < 0)
		return cd_err_set(err, CD_E_INVAL, "unknown reason '%s'", name);
	return 0;
}

static int
h_cert_revoke(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	char serial[CD_SERIAL_MAX] = "";
	int reason, r;

	if ((r = cdj_get_str(q->body, "serial", serial, sizeof(serial),
	    err)) != 0 || (r = body_reason(q->body, &reason, err)) != 0)
		return r;
	if ((r = cd_cert_revoke(e, serial, reason, err)) != 0)
		return r;
	return reply(out, json_pack("{s:s,s:s}", "serial", serial, "reason",
	    cd_crl_reason_name(reason)), err);
}

static int
h_cert_unrevoke(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	char serial[CD_SERIAL_MAX] = "";
	int r;

	if ((r = cdj_get_str(q->body, "serial", serial, sizeof(serial),
	    err)) != 0)
		return r;
	if ((r = cd_cert_unrevoke(e, serial, err)) != 0)
		return r;
	return reply(out, json_pack("{s:s}", "serial", serial), err);
}

static int
h_device_revoke(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	int reason, n = 0, r;

	if ((r = body_reason(q->body, &reason, err)) != 0)
		return r;
	if ((r = cd_device_revoke(e, q->id, reason, &n, err)) != 0)
		return r;
	return reply(out, json_pack("{s:i,s:s}", "revoked", n, "reason",
	    cd_crl_reason_name(reason)), err);
}

/* ---- profiles, person changes, bulk runs, pending revocations ---------- */

/* The credential profiles with their policies (json-collect.c). */
static int
h_profiles(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	json_t *arr = json_array(), *v;
	int i, n = cd_engine_nprofiles(e);

	(void)q;
	for (i = 0; arr != NULL && i < n; i++) {
		if ((v = cdj_profile(cd_engine_profile_at(e, i))) == NULL ||
		    json_array_append_new(arr, v) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	if (arr == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	return reply(out, json_pack("{s:o}", "profiles", arr), err);
}

/* {"action":"...","asked":"..."}: cd_person_may_change for {logon}. */
static int
h_people_may_change(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	char action[64] = "", asked[CD_TEXT_MAX] = "";
	int r;

	if ((r = cdj_get_str(q->body, "action", action, sizeof(action),
	    err)) != 0 || (r = cdj_get_str(q->body, "asked", asked,
	    sizeof(asked), err)) != 0)
		return r;
	if (strncmp(action, "person.", 7) != 0 || action[7] == '\0')
		return cd_err_set(err, CD_E_INVAL, "'action' is a change to a "
		    "person: \"person.edit\", \"person.disable\", ...");
	if ((r = cd_person_may_change(e, action, q->logon, asked, err)) != 0)
		return r;
	return reply(out, json_pack("{s:b}", "ok", 1), err);
}

/*
 * {"profile":"id","limit":n,"jobs":n,"folder":"/path"}: a bulk run is
 * checked and recorded (collect.bulk) and its ready requests returned.
 */
static int
h_bulk(struct cd_engine *e, const struct cds_req *q, struct cds_reply *out,
    struct cd_err *err)
{
	char profile[CD_NAME_MAX] = "", folder[CD_PATH_MAX] = "";
	int64_t limit = 0, jobs = 1, *ids = NULL;
	int n = 0, r;

	if ((r = cdj_get_str(q->body, "profile", profile, sizeof(profile),
	    err)) != 0 || (r = cdj_get_int(q->body, "limit", &limit, err)) ||
	    (r = cdj_get_int(q->body, "jobs", &jobs, err)) ||
	    (r = cdj_get_str(q->body, "folder", folder, sizeof(folder), err)))
		return r;
	if (profile[0] == '\0' || limit < 0 || limit > 1000000 || jobs < 1 ||
	    jobs > 1000)
		return cd_err_set(err, CD_E_INVAL, "a bulk run needs "
		    "'profile', a 'limit' from 0 to 1000000 and 'jobs' from 1 "
		    "to 1000");
	if ((r = cd_collect_bulk_start(e, profile, (int)limit, (int)jobs,
	    folder, &ids, &n, err)) != 0)
		return r;
	return ids_reply(out, ids, n, err);
}

static int
h_pending_revocations(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err)
{
	struct lister l = { json_array(), NULL };
	int n = 0, r;

	(void)q;
	r = cd_pending_revocations(e, add_cert, &l, &n, err);
	if ((r = list_done(r, &l, "certificates", out, err)) != 0)
		return r;
	json_object_set_new(out->json, "count", json_integer(n));
	return 0;
}

/* ---- the table ---------------------------------------------------------------- */

const struct cds_route cds_routes[] = {
	{ "GET", "/v1/whoami", CDS_BODY_NONE, h_whoami,
	    "the operator the server sees" },
	{ "GET", "/v1/people", CDS_BODY_NONE, h_people_list, "list people" },
	{ "POST", "/v1/people", CDS_BODY_JSON, h_people_add, "add a person" },
	{ "POST", "/v1/people/import", CDS_BODY_RAW, h_people_import,
	    "import people from CSV, all rows or none" },
	{ "GET", "/v1/people/by-id/{id}", CDS_BODY_NONE, h_people_get,
	    "one person by id" },
	{ "GET", "/v1/people/{logon}", CDS_BODY_NONE, h_people_get,
	    "one person by logon name" },
	{ "PUT", "/v1/people/{logon}", CDS_BODY_JSON, h_people_edit,
	    "edit a person" },
	{ "POST", "/v1/people/{logon}/may-change", CDS_BODY_JSON,
	    h_people_may_change, "may the operator make a change to a person" },
	{ "GET", "/v1/profiles", CDS_BODY_NONE, h_profiles,
	    "the credential profiles with their policies" },
	{ "POST", "/v1/bulk", CDS_BODY_JSON, h_bulk,
	    "start a bulk run: checked, recorded, its ready requests" },
	{ "GET", "/v1/revocations/pending", CDS_BODY_NONE,
	    h_pending_revocations, "certificates waiting to be revoked" },
	{ "GET", "/v1/devices", CDS_BODY_NONE, h_devices_list,
	    "list devices" },
	{ "GET", "/v1/devices/{id}", CDS_BODY_NONE, h_devices_get,
	    "one device" },
	{ "POST", "/v1/certificates/revoke", CDS_BODY_JSON, h_cert_revoke,
	    "revoke a certificate" },
	{ "POST", "/v1/certificates/unrevoke", CDS_BODY_JSON, h_cert_unrevoke,
	    "release a certificate on hold" },
	{ "POST", "/v1/devices/{id}/revoke", CDS_BODY_JSON, h_device_revoke,
	    "revoke every certificate of a package" },
	{ "GET", "/v1/certificates", CDS_BODY_NONE, h_certs_list,
	    "list certificates" },
	{ "GET", "/v1/requests", CDS_BODY_NONE, h_requests_search,
	    "search requests" },
	{ "POST", "/v1/requests", CDS_BODY_JSON, h_requests_new,
	    "new request" },
	{ "GET", "/v1/requests/collectable", CDS_BODY_NONE,
	    h_requests_collectable, "requests of a profile to collect now" },
	{ "GET", "/v1/requests/{id}", CDS_BODY_NONE, h_requests_get,
	    "one request" },
	{ "POST", "/v1/requests/{id}/approve", CDS_BODY_JSON, h_approve,
	    "approve" },
	{ "POST", "/v1/requests/{id}/reject", CDS_BODY_JSON, h_reject,
	    "reject" },
	{ "POST", "/v1/requests/{id}/validate", CDS_BODY_JSON, h_validate,
	    "validate" },
	{ "POST", "/v1/requests/{id}/cancel", CDS_BODY_JSON, h_cancel,
	    "cancel" },
	{ "GET", "/v1/requests/{id}/actions", CDS_BODY_NONE,
	    h_requests_actions, "what the operator may do now" },
	{ "GET", "/v1/requests/{id}/history", CDS_BODY_NONE,
	    h_requests_history, "audit entries of one request" },
	{ "GET", "/v1/requests/{id}/transport", CDS_BODY_NONE, h_transport,
	    "the transport document (PostScript)" },
	{ "GET", "/v1/requests/{id}/collection", CDS_BODY_NONE,
	    cds_h_collect_preview, "what collecting would do (no attempt)" },
	{ "POST", "/v1/requests/{id}/collection", CDS_BODY_JSON,
	    cds_h_collect_begin, "begin a collection (take the request)" },
	{ "POST", "/v1/collections/{id}/password", CDS_BODY_JSON,
	    cds_h_collect_password, "set the typed password, or generate one" },
	{ "POST", "/v1/collections/{id}/issue", CDS_BODY_JSON,
	    cds_h_collect_issue, "issue and package: the PKCS#12 bytes" },
	{ "POST", "/v1/collections/{id}/journal", CDS_BODY_JSON,
	    cds_h_collect_journal, "record a file before the client writes it" },
	{ "POST", "/v1/collections/{id}/delivered", CDS_BODY_JSON,
	    cds_h_collect_delivered, "an item is saved at a location" },
	{ "POST", "/v1/collections/{id}/drive", CDS_BODY_JSON,
	    cds_h_collect_drive, "record the USB drive of the AutoSave items" },
	{ "POST", "/v1/collections/{id}/heartbeat", CDS_BODY_JSON,
	    cds_h_collect_heartbeat, "the client is still there" },
	{ "POST", "/v1/collections/{id}/mailer", CDS_BODY_JSON,
	    cds_h_collect_mailer, "send the PIN mailer, do not wait for it" },
	{ "POST", "/v1/collections/{id}/commit", CDS_BODY_JSON,
	    cds_h_collect_commit, "commit (refused once aborted)" },
	{ "POST", "/v1/collections/{id}/cancel", CDS_BODY_JSON,
	    cds_h_collect_cancel, "cancel and roll back" },
	{ "GET", "/v1/attempts/{id}", CDS_BODY_NONE, cds_h_attempt_get,
	    "a collection attempt's state (the client's journal)" },
	{ "GET", "/v1/audit", CDS_BODY_NONE, h_audit, "the audit trail" },
	{ "GET", "/v1/crl", CDS_BODY_NONE, h_crl, "a fresh CRL" },
};
const size_t cds_nroutes = CD_NELEM(cds_routes);

/* ---- the decoder ----------------------------------------------------------- */

/* Next segment of *p ("a/b" -> "a"), its length in *n. */
static const char *
segment(const char **p, size_t *n)
{
	const char *s = *p, *slash;

	if (*s == '\0')
		return NULL;
	slash = strchr(s, '/');
	*n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	*p = slash != NULL ? slash + 1 : s + *n;
	return s;
}

/*
 * Match path against pattern: 1 if it does (filling id / logon), 0 if
 * not, -1 if the shape matches but a parameter is bad.
 */
static int
match(const char *pattern, const char *path, struct cds_req *q)
{
	const char *pp = pattern + 1, *ps = path + 1, *a, *b;
	size_t na, nb, i;
	int64_t v;

	if (*path != '/')
		return 0;
	for (;;) {
		a = segment(&pp, &na);
		b = segment(&ps, &nb);
		if (a == NULL || b == NULL)
			return a == NULL && b == NULL && path[strlen(path) -
			    1] != '/';
		if (na == 4 && strncmp(a, "{id}", 4) == 0) {
			for (v = 0, i = 0; i < nb; i++) {
				if (b[i] < '0' || b[i] > '9' || v >
				    (INT64_MAX - 9) / 10)
					return -1;
				v = v * 10 + (b[i] - '0');
			}
			if (nb == 0 || v == 0)
				return -1;
			q->id = v;
		} else if (na == 7 && strncmp(a, "{logon}", 7) == 0) {
			if (nb == 0 || nb >= sizeof(q->logon) ||
			    memchr(b, '\0', nb) != NULL)
				return -1;
			memcpy(q->logon, b, nb);
			q->logon[nb] = '\0';
		} else if (na != nb || strncmp(a, b, na) != 0)
			return 0;
	}
}

static int
decode_body(struct cds_req *q, const char *body, size_t len, int *status,
    struct cd_err *err)
{
	json_error_t je;

	if (q->route->body == CDS_BODY_RAW) {
		q->raw = body != NULL ? body : "";
		q->rawlen = body != NULL ? len : 0;
		return 0;
	}
	if (q->route->body == CDS_BODY_NONE || len == 0) {
		q->body = json_object();
		return q->body ? 0 : cd_err_set(err, CD_E_NOMEM, NULL);
	}
	q->body = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (q->body == NULL) {
		*status = 400;
		return cd_err_set(err, CD_E_INVAL, "the body is not valid "
		    "JSON: %s (line %d)", je.text, je.line);
	}
	if (!json_is_object(q->body)) {
		json_decref(q->body);
		q->body = NULL;
		*status = 400;
		return cd_err_set(err, CD_E_INVAL, "the body must be a JSON "
		    "object");
	}
	return 0;
}

int
cds_decode(const char *method, const char *path, json_t *query,
    const char *body, size_t len, struct cds_req *q, int *status,
    struct cd_err *err)
{
	struct cds_req t;
	int path_seen = 0, m;
	size_t i;

	memset(q, 0, sizeof(*q));
	q->query = query;
	*status = 404;
	for (i = 0; i < cds_nroutes; i++) {
		memset(&t, 0, sizeof(t));
		if ((m = match(cds_routes[i].pattern, path, &t)) == 0)
			continue;
		if (m < 0) {
			*status = 400;
			return cd_err_set(err, CD_E_INVAL, "bad parameter in "
			    "the path %.200s", path);
		}
		path_seen = 1;
		if (strcmp(cds_routes[i].method, method) != 0)
			continue;
		q->route = &cds_routes[i];
		q->id = t.id;
		memcpy(q->logon, t.logon, sizeof(q->logon));
		*status = 200;
		return decode_body(q, body, len, status, err);
	}
	if (path_seen) {
		*status = 405;
		return cd_err_set(err, CD_E_INVAL, "%.16s is not allowed on "
		    "%.200s", method, path);
	}
	return cd_err_set(err, CD_E_NOTFOUND, "no such resource: %.200s",
	    path);
}

void
cds_req_free(struct cds_req *q)
{
	json_decref(q->body);
	q->body = NULL;
}
