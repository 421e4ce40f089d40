/* SPDX-License-Identifier: ISC */
/*
 * api-server.c - the client API over certdeskd's HTTP/JSON interface,
 * on the server's Unix socket (uhttp.c, one kept-alive connection).
 *
 * The server decides who the operator is (the socket's peer); this side
 * only sends the call's arguments.  What the operator's side must do as
 * the operator (writing or printing the transport document, writing the
 * CRL) is done here, with the bytes the server returns.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "api-int.h"
#include "conf.h"
#include "json-collect.h"
#include "json-model.h"
#include "print.h"
#include "uhttp.h"
#include "util.h"

#define MAX_REPLY (256u << 20)

/* A previewed profile (by content) and the last preview of a request. */
struct kept {
	char *key;			/* its JSON, sorted */
	struct cdj_profile_buf *buf;
};
struct previewed {
	int64_t request_id;
	const struct cdj_profile_buf *buf;
};

struct srv {
	struct cd_api api;
	struct cd_uhttp *h;
	char socket[CD_PATH_MAX];
	char as[CD_LOGON_MAX];
	char source[CD_PATH_MAX + 16];
	int fetched;			/* the profiles were asked for */
	int nprof;
	struct cdj_profile_buf *prof;	/* nprof, policies inside */
	int nkept, npv;
	struct kept *kept;
	struct previewed *pv;
	struct cd_conf *conf;		/* the client's own settings */
};

#define S(a) ((struct srv *)(a))

struct buf {
	char *p;
	size_t len;
};

/* "?k=v&k=v" from an object of strings (NULL or empty: ""). */
static char *
query_string(const json_t *q)
{
	const char *key;
	json_t *v;
	char *out, *ek, *ev, *np;
	size_t len = 0;

	if ((out = calloc(1, 1)) == NULL)
		return NULL;
	json_object_foreach((json_t *)q, key, v) {
		if (!json_is_string(v))
			continue;
		ek = cd_uhttp_escape(key);
		ev = cd_uhttp_escape(json_string_value(v));
		np = ek && ev ? realloc(out, len + strlen(ek) + strlen(ev) +
		    3) : NULL;
		if (np != NULL) {
			out = np;
			len += (size_t)sprintf(out + len, "%c%s=%s",
			    len ? '&' : '?', ek, ev);
		}
		free(ek);
		free(ev);
		if (np == NULL) {
			free(out);
			return NULL;
		}
	}
	return out;
}

/*
 * One HTTP exchange.  body (may be NULL) of type ctype.  The reply goes
 * to *rb; a status of 400 or more becomes the CD_E_* code of its error
 * body.
 */
static int
exchange(struct srv *s, const char *method, const char *path, const json_t *q,
    const void *body, size_t len, const char *ctype, struct buf *rb,
    struct cd_err *err)
{
	struct cd_uhttp_reply rep;
	const char *hdr[3] = { NULL };
	char ct[64], as[CD_LOGON_MAX + 32], *qs, *target;
	json_t *j;
	int r, n = 0;

	if ((qs = query_string(q)) == NULL ||
	    (target = malloc(strlen(path) + strlen(qs) + 1)) == NULL) {
		free(qs);
		return cd_err_set(err, CD_E_NOMEM, NULL);
	}
	sprintf(target, "%s%s", path, qs);
	free(qs);
	if (body != NULL) {
		snprintf(ct, sizeof(ct), "Content-Type: %s", ctype);
		hdr[n++] = ct;
	}
	if (s->as[0] != '\0') {
		snprintf(as, sizeof(as), "X-Certdesk-As: %s", s->as);
		hdr[n++] = as;
	}
	r = cd_uhttp_exchange(s->h, method, target, hdr, body, len, MAX_REPLY,
	    &rep, err);
	free(target);
	if (r == CD_E_IO)
		return cd_err_context(err, r, "cannot reach certdeskd at %s",
		    s->socket);
	if (r != 0)
		return r;
	rb->p = rep.body;
	rb->len = rep.len;
	if (rep.status >= 400) {
		j = json_loadb(rb->p, rb->len, 0, NULL);
		r = cdj_error_parse(j, rep.status, err);
		json_decref(j);
	}
	return r;
}

/* A call with a JSON text body (may be NULL): *out gets the reply. */
static int
call_text(struct cd_api *a, const char *method, const char *path,
    const json_t *q, const char *text, json_t **out, struct cd_err *err)
{
	struct buf rb = { 0 };
	json_error_t je;
	int r;

	if (out != NULL)
		*out = NULL;
	r = exchange(S(a), method, path, q, text, text ? strlen(text) : 0,
	    "application/json", &rb, err);
	if (r == 0 && out != NULL) {
		*out = rb.p ? json_loadb(rb.p, rb.len, 0, &je) : NULL;
		if (!json_is_object(*out)) {
			json_decref(*out);
			*out = NULL;
			r = cd_err_set(err, CD_E_INTERNAL, "certdeskd sent a "
			    "reply that is not a JSON object");
		}
	}
	free(rb.p);
	return r;
}

/* A JSON call: *out gets the reply object (if out is not NULL). */
static int
call(struct cd_api *a, const char *method, const char *path, const json_t *q,
    json_t *body, json_t **out, struct cd_err *err)
{
	char *text = NULL;
	int r;

	if (out != NULL)
		*out = NULL;
	if (body != NULL && (text = json_dumps(body, JSON_COMPACT)) == NULL) {
		json_decref(body);
		return cd_err_set(err, CD_E_NOMEM, NULL);
	}
	json_decref(body);
	r = call_text(a, method, path, q, text, out, err);
	if (text != NULL)
		explicit_bzero(text, strlen(text));
	free(text);
	return r;
}

int
cd_srv_call(struct cd_api *a, const char *method, const char *path,
    json_t *body, json_t **out, struct cd_err *err)
{
	return call(a, method, path, NULL, body, out, err);
}

int
cd_srv_post_text(struct cd_api *a, const char *path, const char *text,
    json_t **out, struct cd_err *err)
{
	return call_text(a, "POST", path, NULL, text, out, err);
}

/* ---- opening ----------------------------------------------------------- */

/*
 * A start settles what a killed client of this operator left (the
 * client's journal); a server that cannot be reached now is asked next
 * time.
 */
static void
startup_sweep(struct cd_api *a)
{
	struct cd_sweep_result res;
	struct cd_err err;

	memset(&res, 0, sizeof(res));
	cd_cj_sweep(a, &res, &err);
}

int
cd_srv_open(const struct cd_api_opts *o, struct cd_conf *conf,
    struct cd_api **out, struct cd_err *err)
{
	struct srv *s;
	int r;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		r = cd_err_set(err, CD_E_NOMEM, NULL);
		goto fail;
	}
	cd_strlcpy(s->socket, o->socket ? o->socket : CD_API_DEFAULT_SOCKET,
	    sizeof(s->socket));
	if ((s->h = cd_uhttp_new(s->socket)) == NULL) {
		free(s);
		r = cd_err_set(err, CD_E_NOMEM, NULL);
		goto fail;
	}
	s->api.ops = &cd_api_server;
	s->conf = conf;
	if (o->as_logon != NULL)
		cd_strlcpy(s->as, o->as_logon, sizeof(s->as));
	snprintf(s->source, sizeof(s->source), "certdeskd:%s", s->socket);
	cd_cj_scope(s->socket);
	*out = &s->api;
	if (!o->no_sweep)
		startup_sweep(&s->api);
	return 0;
fail:
	cd_conf_free(conf);
	return r;
}

/* The ops table's open: the client's own settings read here. */
static int
srv_open(const struct cd_api_opts *o, struct cd_api **out, struct cd_err *err)
{
	struct cd_conf *conf;
	int r;

	if ((r = cd_api_client_conf(o, &conf, err)) != 0)
		return r;
	return cd_srv_open(o, conf, out, err);
}

const struct cd_conf *
cd_srv_conf(struct cd_api *a)
{
	return S(a)->conf;
}

static void
srv_close(struct cd_api *a)
{
	struct srv *s = S(a);
	int i;

	cd_uhttp_free(s->h);
	cd_conf_free(s->conf);
	for (i = 0; i < s->nkept; i++) {
		free(s->kept[i].key);
		free(s->kept[i].buf);
	}
	free(s->kept);
	free(s->pv);
	free(s->prof);
	free(a);
}

/* ---- profiles kept by the handle ----------------------------------------- */

static char *
profile_key(const struct cdj_profile_buf *b)
{
	json_t *j = cdj_profile(&b->prof);
	char *k = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

	json_decref(j);
	return k;
}

/* The last preview of request_id uses b. */
static int
remember(struct srv *s, int64_t request_id, const struct cdj_profile_buf *b)
{
	struct previewed *np;
	int i;

	for (i = 0; i < s->npv; i++)
		if (s->pv[i].request_id == request_id) {
			s->pv[i].buf = b;
			return 0;
		}
	if ((np = realloc(s->pv, (s->npv + 1) * sizeof(*np))) == NULL)
		return -1;
	s->pv = np;
	s->pv[s->npv].request_id = request_id;
	s->pv[s->npv++].buf = b;
	return 0;
}

/*
 * A copy of b the handle keeps until it is closed: one per distinct
 * profile, so that the drivers of one process (the TUI's) each point at
 * their own preview's profile and the memory stays bounded.
 */
const struct cdj_profile_buf *
cd_srv_intern_profile(struct cd_api *a, int64_t request_id,
    const struct cdj_profile_buf *b)
{
	struct srv *s = S(a);
	struct kept *nk;
	struct cdj_profile_buf *c;
	char *key;
	int i, k;

	if ((key = profile_key(b)) == NULL)
		return NULL;
	for (i = 0; i < s->nkept; i++)
		if (strcmp(s->kept[i].key, key) == 0)
			break;
	if (i == s->nkept) {
		nk = realloc(s->kept, (s->nkept + 1) * sizeof(*nk));
		c = malloc(sizeof(*c));
		if (nk != NULL)
			s->kept = nk;
		if (nk == NULL || c == NULL) {
			free(c);
			free(key);
			return NULL;
		}
		*c = *b;
		for (k = 0; k < c->prof.npolicies; k++)
			c->prof.policies[k] = &c->pol[k];
		s->kept[i].key = key;
		s->kept[i].buf = c;
		s->nkept++;
	} else
		free(key);
	if (remember(s, request_id, s->kept[i].buf) != 0)
		return NULL;
	return s->kept[i].buf;
}

const struct cdj_profile_buf *
cd_srv_preview_profile(struct cd_api *a, int64_t request_id)
{
	struct srv *s = S(a);
	int i;

	for (i = 0; i < s->npv; i++)
		if (s->pv[i].request_id == request_id)
			return s->pv[i].buf;
	return NULL;
}

/* ---- lists ---------------------------------------------------------------- */

/* GET path with a filter; each element of reply[key] through each(). */
static int
list(struct cd_api *a, const char *path, json_t *filter, const char *key,
    int (*each)(const json_t *, void *), void *ctx, struct cd_err *err)
{
	json_t *reply = NULL, *arr, *v;
	size_t i;
	int r;

	if (filter == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	r = call(a, "GET", path, filter, NULL, &reply, err);
	json_decref(filter);
	if (r != 0)
		return r;
	if (!json_is_array(arr = json_object_get(reply, key))) {
		json_decref(reply);
		return cd_err_set(err, CD_E_INTERNAL, "certdeskd's reply has no "
		    "'%s' list", key);
	}
	json_array_foreach(arr, i, v) {
		if ((r = each(v, ctx)) != 0)
			break;
	}
	json_decref(reply);
	return r;
}

struct each_ctx {
	void *cb;
	void *arg;
	struct cd_err *err;
};

#define EACH(name, type, parse, cbtype) \
static int \
name(const json_t *v, void *arg) \
{ \
	struct each_ctx *c = arg; \
	type rec; \
	int r; \
	memset(&rec, 0, sizeof(rec)); \
	if ((r = parse(v, &rec, c->err)) != 0) \
		return r; \
	return ((cbtype)c->cb)(&rec, c->arg); \
}
EACH(each_person, struct cd_person, cdj_person_parse, cd_person_cb)
EACH(each_request, struct cd_request, cdj_request_parse, cd_request_cb)
EACH(each_device, struct cd_device, cdj_device_parse, cd_device_cb)
EACH(each_cert, struct cd_cert, cdj_cert_parse, cd_cert_cb)
EACH(each_audit, struct cd_audit, cdj_audit_parse, cd_audit_cb)

/* One record reply[key] through parse. */
static int
one(json_t *reply, const char *key, int (*parse)(const json_t *, void *,
    struct cd_err *), void *out, struct cd_err *err)
{
	int r;

	r = parse(json_object_get(reply, key), out, err);
	json_decref(reply);
	return r;
}

typedef int (*parse_fn)(const json_t *, void *, struct cd_err *);

/* ---- calls --------------------------------------------------------------- */

static int
srv_whoami(struct cd_api *a, struct cd_person *out, int *impersonated,
    struct cd_err *err)
{
	json_t *reply;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = call(a, "GET", "/v1/whoami", NULL, NULL, &reply, err)) != 0)
		return r;
	if (impersonated != NULL)
		*impersonated = json_is_true(json_object_get(reply,
		    "impersonated"));
	return one(reply, "operator", (parse_fn)cdj_person_parse, out, err);
}

/*
 * The person's text is sent as it is: JSON carries only UTF-8, so text
 * that is not (which the engine refuses) is refused here, with the
 * engine's words, instead of reaching certdeskd repaired.
 */
static int
person_text(const struct cd_person *p, struct cd_err *err)
{
	const char *f[] = { p->logon, p->full_name, p->email, p->employee_id,
	    p->group_name, p->upn };
	size_t i, n, len;
	const char *s;
	uint32_t c;

	for (i = 0; i < CD_NELEM(f); i++)
		for (s = f[i], n = strlen(s); n > 0; s += len, n -= len)
			if ((len = cd_utf8_next(s, n, &c)) == 0)
				return cd_err_set(err, CD_E_INVAL, "a field "
				    "holds control characters, bidirectional "
				    "text controls or is not valid UTF-8");
	return 0;
}

static int
srv_person_add(struct cd_api *a, struct cd_person *p, struct cd_err *err)
{
	json_t *reply;
	int r;

	if ((r = person_text(p, err)) != 0 ||
	    (r = call(a, "POST", "/v1/people", NULL, cdj_person(p), &reply,
	    err)) != 0)
		return r;
	memset(p, 0, sizeof(*p));
	return one(reply, "person", (parse_fn)cdj_person_parse, p, err);
}

/* "/v1/people/<logon escaped>" */
static int
person_path(struct cd_api *a, const char *logon, char *path, size_t len,
    struct cd_err *err)
{
	char *e = cd_uhttp_escape(logon);

	if (e == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	snprintf(path, len, "/v1/people/%s", e);
	free(e);
	return 0;
}

static int
srv_person_edit(struct cd_api *a, const struct cd_person *p, unsigned flags,
    int *revoked, struct cd_err *err)
{
	char path[CD_LOGON_MAX * 3 + 16];
	json_t *body, *reply = NULL;
	int64_t n = 0;
	int r;

	if (revoked != NULL)
		*revoked = 0;
	if ((r = person_text(p, err)) != 0 ||
	    (r = person_path(a, p->logon, path, sizeof(path), err)) != 0)
		return r;
	body = cdj_person(p);
	if (body != NULL && (flags & CD_PE_REVOKE))
		json_object_set_new(body, "revoke_certificates", json_true());
	r = call(a, "PUT", path, NULL, body, &reply, err);
	if (reply != NULL && cdj_get_int(reply, "revoked", &n, NULL) == 0 &&
	    revoked != NULL)
		*revoked = (int)n;
	json_decref(reply);
	return r;
}

static int
srv_person_get(struct cd_api *a, int64_t id, const char *logon,
    struct cd_person *out, struct cd_err *err)
{
	char path[CD_LOGON_MAX * 3 + 32];
	json_t *reply;
	int r;

	if (id != 0)
		snprintf(path, sizeof(path), "/v1/people/by-id/%lld",
		    (long long)id);
	else if ((r = person_path(a, logon ? logon : "", path, sizeof(path),
	    err)) != 0)
		return r;
	if ((r = call(a, "GET", path, NULL, NULL, &reply, err)) != 0)
		return r;
	memset(out, 0, sizeof(*out));
	return one(reply, "person", (parse_fn)cdj_person_parse, out, err);
}

static int
srv_person_list(struct cd_api *a, const struct cd_person_filter *f,
    cd_person_cb cb, void *arg, struct cd_err *err)
{
	struct each_ctx c = { (void *)cb, arg, err };

	return list(a, "/v1/people", cdj_person_filter(f), "people",
	    each_person, &c, err);
}

static int
srv_person_import_csv(struct cd_api *a, const char *path,
    struct cd_import_result *res, struct cd_err *err)
{
	unsigned char *data = NULL;
	struct buf rb = { 0 };
	json_t *j;
	size_t len;
	int r;

	memset(res, 0, sizeof(*res));
	if ((r = cd_read_file(path, 64u << 20, &data, &len, err)) != 0)
		return r;
	r = exchange(S(a), "POST", "/v1/people/import", NULL, data, len,
	    "text/csv", &rb, err);
	free(data);
	j = rb.p ? json_loadb(rb.p, rb.len, 0, NULL) : NULL;
	if (r == 0)
		r = cdj_import_result_parse(j, res, err);
	else
		cdj_get_str(json_object_get(j, "error"), "report",
		    res->report, sizeof(res->report), NULL);
	json_decref(j);
	free(rb.p);
	return r;
}

static int
srv_device_get(struct cd_api *a, int64_t id, struct cd_device *out,
    struct cd_err *err)
{
	char path[64];
	json_t *reply;
	int r;

	snprintf(path, sizeof(path), "/v1/devices/%lld", (long long)id);
	if ((r = call(a, "GET", path, NULL, NULL, &reply, err)) != 0)
		return r;
	memset(out, 0, sizeof(*out));
	return one(reply, "device", (parse_fn)cdj_device_parse, out, err);
}

static int
srv_device_list(struct cd_api *a, const struct cd_device_filter *f,
    cd_device_cb cb, void *arg, struct cd_err *err)
{
	struct each_ctx c = { (void *)cb, arg, err };

	return list(a, "/v1/devices", cdj_device_filter(f), "devices",
	    each_device, &c, err);
}

static int
srv_request_new(struct cd_api *a, const char *person_logon,
    const char *profile_id, int64_t *id, int *status, struct cd_err *err)
{
	json_t *reply;
	int64_t v = 0;
	int r;

	if ((r = call(a, "POST", "/v1/requests", NULL, json_pack("{s:o,s:o}",
	    "person", cdj_string(person_logon), "profile",
	    cdj_string(profile_id)), &reply, err)) != 0)
		return r;
	cdj_get_int(reply, "id", &v, NULL);
	*id = v;
	*status = cd_status_parse(json_string_value(json_object_get(reply,
	    "status")) ? json_string_value(json_object_get(reply, "status")) :
	    "");
	json_decref(reply);
	return 0;
}

static int
srv_request_get(struct cd_api *a, int64_t id, struct cd_request *out,
    struct cd_err *err)
{
	char path[64];
	json_t *reply;
	int r;

	snprintf(path, sizeof(path), "/v1/requests/%lld", (long long)id);
	if ((r = call(a, "GET", path, NULL, NULL, &reply, err)) != 0)
		return r;
	memset(out, 0, sizeof(*out));
	return one(reply, "request", (parse_fn)cdj_request_parse, out, err);
}

static int
srv_request_search(struct cd_api *a, const struct cd_request_filter *f,
    cd_request_cb cb, void *arg, struct cd_err *err)
{
	struct each_ctx c = { (void *)cb, arg, err };

	return list(a, "/v1/requests", cdj_request_filter(f), "requests",
	    each_request, &c, err);
}

static int
transition(struct cd_api *a, int64_t id, const char *verb, const char *note,
    struct cd_err *err)
{
	char path[96];

	snprintf(path, sizeof(path), "/v1/requests/%lld/%s", (long long)id,
	    verb);
	return call(a, "POST", path, NULL, note ? json_pack("{s:o}", "note",
	    cdj_string(note)) : json_object(), NULL, err);
}

static int
srv_request_approve(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err)
{
	return transition(a, id, "approve", note, err);
}

static int
srv_request_reject(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err)
{
	return transition(a, id, "reject", note, err);
}

static int
srv_request_validate(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err)
{
	return transition(a, id, "validate", note, err);
}

static int
srv_request_cancel(struct cd_api *a, int64_t id, const char *note,
    struct cd_err *err)
{
	return transition(a, id, "cancel", note, err);
}

/* The "ids" array of a reply (consumed) into *ids (free()) and *n. */
static int
ids_of(json_t *reply, int64_t **ids, int *n, struct cd_err *err)
{
	const json_t *arr = json_object_get(reply, "ids"), *v;
	size_t i;

	if (json_array_size(arr) > 0 &&
	    (*ids = calloc(json_array_size(arr), sizeof(**ids))) == NULL) {
		json_decref(reply);
		return cd_err_set(err, CD_E_NOMEM, NULL);
	}
	json_array_foreach(arr, i, v)
		(*ids)[(*n)++] = json_integer_value(v);
	json_decref(reply);
	return 0;
}

static int
srv_request_collectable(struct cd_api *a, const char *profile_id, int limit,
    int64_t **ids, int *n, struct cd_err *err)
{
	json_t *q, *reply;
	char lim[16];
	int r;

	*ids = NULL;
	*n = 0;
	snprintf(lim, sizeof(lim), "%d", limit);
	q = json_pack("{s:o,s:s}", "profile", cdj_string(profile_id), "limit",
	    lim);
	r = call(a, "GET", "/v1/requests/collectable", q, NULL, &reply, err);
	json_decref(q);
	if (r != 0)
		return r;
	return ids_of(reply, ids, n, err);
}

static int
srv_request_actions(struct cd_api *a, int64_t id, struct cd_actions *out,
    struct cd_err *err)
{
	char path[96];
	json_t *reply;
	int r;

	snprintf(path, sizeof(path), "/v1/requests/%lld/actions",
	    (long long)id);
	if ((r = call(a, "GET", path, NULL, NULL, &reply, err)) != 0)
		return r;
	memset(out, 0, sizeof(*out));
	r = cdj_actions_parse(reply, out, err);
	json_decref(reply);
	return r;
}

static int
srv_request_history(struct cd_api *a, int64_t id, cd_audit_cb cb, void *arg,
    struct cd_err *err)
{
	struct each_ctx c = { (void *)cb, arg, err };
	char path[96];

	snprintf(path, sizeof(path), "/v1/requests/%lld/history",
	    (long long)id);
	return list(a, path, json_object(), "audit", each_audit, &c, err);
}

static int
srv_cert_list(struct cd_api *a, const struct cd_cert_filter *f,
    cd_cert_cb cb, void *arg, struct cd_err *err)
{
	struct each_ctx c = { (void *)cb, arg, err };

	return list(a, "/v1/certificates", cdj_cert_filter(f),
	    "certificates", each_cert, &c, err);
}

static int
srv_audit_list(struct cd_api *a, int64_t since, cd_audit_cb cb, void *arg,
    struct cd_err *err)
{
	struct each_ctx c = { (void *)cb, arg, err };
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)since);
	return list(a, "/v1/audit", json_pack("{s:s}", "since", buf), "audit",
	    each_audit, &c, err);
}

/*
 * Bytes certdeskd sent to what the operator named: to fd when path is
 * NULL, else as the engine writes an output (cd_write_output: "-", a
 * device, FIFO or standard output's own file is written into, a regular
 * file replaced atomically, a new one created with mode).  The client
 * does not know the server's data directory; it writes as the operator,
 * who cannot write there.
 */
static int
put_bytes(const char *path, int fd, const void *data, size_t len, mode_t mode,
    struct cd_err *err)
{
	size_t off = 0;
	ssize_t n;

	if (path != NULL)
		return cd_write_output(path, NULL, data, len, mode, err);
	while (off < len) {
		if ((n = write(fd, (const char *)data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			return cd_err_set(err, CD_E_IO, "cannot write the "
			    "output: %s", strerror(errno));
		}
		off += (size_t)n;
	}
	return 0;
}

/*
 * The transport document, rendered by certdeskd, printed by this
 * process as the operator: to outfile, to printer, or with the [print]
 * settings of the client's own configuration (cd_conf_load_client).
 */
static int
srv_print_transport(struct cd_api *a, int64_t request_id,
    const char *printer, const char *outfile, char *job, size_t joblen,
    struct cd_err *err)
{
	const struct cd_conf *conf = S(a)->conf;
	struct buf rb = { 0 };
	char path[96], title[64];
	int r;

	snprintf(path, sizeof(path), "/v1/requests/%lld/transport",
	    (long long)request_id);
	if ((r = exchange(S(a), "GET", path, NULL, NULL, 0, NULL, &rb, err)))
		goto out;
	if (outfile != NULL) {
		if ((r = put_bytes(outfile, -1, rb.p, rb.len, 0600, err)) == 0)
			cd_strlcpy(job, outfile, joblen);
		goto out;
	}
	snprintf(title, sizeof(title), "certdesk transport document %lld",
	    (long long)request_id);
	r = ((const struct cd_print_ops *)conf->print.ops)->submit(
	    conf->print.cfg, CD_PRINT_TRANSPORT, printer, title, rb.p, rb.len,
	    job, joblen, NULL, err);
out:
	free(rb.p);
	return r;
}

static int
srv_crl_write(struct cd_api *a, const char *path, int der, int fd,
    struct cd_err *err)
{
	struct buf rb = { 0 };
	json_t *q = json_pack("{s:s}", "format", der ? "der" : "pem");
	int r;

	r = exchange(S(a), "GET", "/v1/crl", q, NULL, 0, NULL, &rb, err);
	json_decref(q);
	if (r == 0)
		r = put_bytes(path, fd, rb.p, rb.len, 0644, err);
	free(rb.p);
	return r;
}

static int
srv_cert_revoke(struct cd_api *a, const char *serial, int reason,
    struct cd_err *err)
{
	return call(a, "POST", "/v1/certificates/revoke", NULL,
	    json_pack("{s:o,s:s}", "serial", cdj_string(serial), "reason",
	    cd_crl_reason_name(reason)), NULL, err);
}

static int
srv_cert_unrevoke(struct cd_api *a, const char *serial, struct cd_err *err)
{
	return call(a, "POST", "/v1/certificates/unrevoke", NULL,
	    json_pack("{s:o}", "serial", cdj_string(serial)), NULL, err);
}

static int
srv_device_revoke(struct cd_api *a, int64_t device_id, int reason,
    int *count, struct cd_err *err)
{
	char path[64];
	json_t *rep = NULL;
	int r;

	if (count != NULL)
		*count = 0;
	snprintf(path, sizeof(path), "/v1/devices/%lld/revoke",
	    (long long)device_id);
	r = call(a, "POST", path, NULL, json_pack("{s:s}", "reason",
	    cd_crl_reason_name(reason)), &rep, err);
	if (r == 0 && count != NULL)
		*count = (int)json_integer_value(json_object_get(rep,
		    "revoked"));
	json_decref(rep);
	return r;
}

static const char *
srv_datadir(struct cd_api *a)
{
	(void)a;
	return NULL;
}

static int
srv_person_may_change(struct cd_api *a, const char *action,
    const char *logon, const char *asked, struct cd_err *err)
{
	char path[CD_LOGON_MAX * 3 + 32];
	int r;

	if ((r = person_path(a, logon ? logon : "", path, sizeof(path),
	    err)) != 0)
		return r;
	snprintf(path + strlen(path), sizeof(path) - strlen(path),
	    "/may-change");
	return call(a, "POST", path, NULL, json_pack("{s:o,s:o}", "action",
	    cdj_string(action ? action : ""), "asked", cdj_string(asked ?
	    asked : "")), NULL, err);
}

static const char *
srv_source(struct cd_api *a)
{
	return S(a)->source;
}

/* GET /v1/profiles, once per handle; a failure is no profiles. */
static void
fetch_profiles(struct srv *s)
{
	struct cd_err err;
	json_t *reply = NULL, *arr;
	size_t i, n;
	int k;

	if (s->fetched)
		return;
	s->fetched = 1;
	if (call(&s->api, "GET", "/v1/profiles", NULL, NULL, &reply,
	    &err) != 0)
		return;
	arr = json_object_get(reply, "profiles");
	n = json_array_size(arr);
	if (n > 0 && (s->prof = calloc(n, sizeof(*s->prof))) != NULL) {
		for (i = 0; i < n; i++) {
			if (cdj_profile_parse(json_array_get(arr, i),
			    &s->prof[s->nprof], &err) != 0)
				continue;
			for (k = 0; k < s->prof[s->nprof].prof.npolicies; k++)
				s->prof[s->nprof].prof.policies[k] =
				    &s->prof[s->nprof].pol[k];
			s->nprof++;
		}
	}
	json_decref(reply);
}

static int
srv_nprofiles(struct cd_api *a)
{
	fetch_profiles(S(a));
	return S(a)->nprof;
}

static const struct cd_profile *
srv_profile_at(struct cd_api *a, int i)
{
	fetch_profiles(S(a));
	return i >= 0 && i < S(a)->nprof ? &S(a)->prof[i].prof : NULL;
}

/*
 * The transport document is printed by this process, as the operator,
 * with the [print] settings of its own configuration
 * (srv_print_transport): that is where it goes.
 */
static void
srv_print_destination(struct cd_api *a, char *buf, size_t len)
{
	const struct cd_conf *conf = S(a)->conf;

	((const struct cd_print_ops *)conf->print.ops)->describe(
	    conf->print.cfg, CD_PRINT_TRANSPORT, buf, len);
}

static int
srv_bulk_start(struct cd_api *a, const char *profile_id, int limit, int jobs,
    const char *folder, int64_t **ids, int *n, struct cd_err *err)
{
	json_t *reply;
	int r;

	*ids = NULL;
	*n = 0;
	if ((r = call(a, "POST", "/v1/bulk", NULL, json_pack(
	    "{s:o,s:i,s:i,s:o}", "profile", cdj_string(profile_id), "limit",
	    limit, "jobs", jobs, "folder", cdj_string(folder ? folder : "")),
	    &reply, err)) != 0)
		return r;
	return ids_of(reply, ids, n, err);
}

static int
srv_pending_revocations(struct cd_api *a, cd_cert_cb cb, void *arg,
    int *count, struct cd_err *err)
{
	struct each_ctx c = { (void *)cb, arg, err };
	json_t *reply = NULL, *arr, *v;
	size_t i;
	int r;

	if (count != NULL)
		*count = 0;
	if ((r = call(a, "GET", "/v1/revocations/pending", NULL, NULL, &reply,
	    err)) != 0)
		return r;
	if (!json_is_array(arr = json_object_get(reply, "certificates"))) {
		json_decref(reply);
		return cd_err_set(err, CD_E_INTERNAL, "certdeskd's reply has no "
		    "'certificates' list");
	}
	if (count != NULL)
		*count = (int)json_integer_value(json_object_get(reply,
		    "count"));
	json_array_foreach(arr, i, v)
		if (cb != NULL && (r = each_cert(v, &c)) != 0)
			break;
	json_decref(reply);
	return r;
}

/*
 * The sweep of this side: certdeskd sweeps its store itself (its
 * timer); the client's journal lists the files this operator's clients
 * wrote for attempts that did not complete.
 */
static int
srv_sweep(struct cd_api *a, struct cd_sweep_result *res, struct cd_err *err)
{
	memset(res, 0, sizeof(*res));
	return cd_cj_sweep(a, res, err);
}

const struct cd_api_ops cd_api_server = {
	.name = "server",
	.open = srv_open,
	.close = srv_close,
	.whoami = srv_whoami,
	.person_add = srv_person_add,
	.person_edit = srv_person_edit,
	.person_get = srv_person_get,
	.person_list = srv_person_list,
	.person_import_csv = srv_person_import_csv,
	.device_get = srv_device_get,
	.device_list = srv_device_list,
	.request_new = srv_request_new,
	.request_get = srv_request_get,
	.request_search = srv_request_search,
	.request_approve = srv_request_approve,
	.request_reject = srv_request_reject,
	.request_validate = srv_request_validate,
	.request_cancel = srv_request_cancel,
	.request_collectable = srv_request_collectable,
	.request_actions = srv_request_actions,
	.request_history = srv_request_history,
	.cert_list = srv_cert_list,
	.print_transport = srv_print_transport,
	.audit_list = srv_audit_list,
	.crl_write = srv_crl_write,
	.cert_revoke = srv_cert_revoke,
	.cert_unrevoke = srv_cert_unrevoke,
	.device_revoke = srv_device_revoke,
	.drive_new = cd_srv_drive_new,
	.datadir = srv_datadir,
	.person_may_change = srv_person_may_change,
	.source = srv_source,
	.nprofiles = srv_nprofiles,
	.profile_at = srv_profile_at,
	.print_destination = srv_print_destination,
	.bulk_start = srv_bulk_start,
	.pending_revocations = srv_pending_revocations,
	.sweep = srv_sweep,
};
