/* SPDX-License-Identifier: ISC */
/*
 * http.c - certdeskd's HTTP side on libmicrohttpd: one thread per
 * connection, bodies gathered up to a limit (413 beyond), the peer's
 * identity from SO_PEERCRED, and a pool of engine handles (an engine
 * handle is single-threaded: each request borrows one, sets its
 * operator, and gives it back).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "json-model.h"
#include "server.h"
#include "util.h"

/* ---- the engine pool -------------------------------------------------- */

#define POOL_MAX 256

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct cd_engine *free[POOL_MAX];
	int nfree, nopen, max;
	char conf_path[CD_PATH_MAX];
	int64_t instance_id;	/* this server's row: every handle's */
	int64_t clock_offset;
} pool = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static int
pool_open(struct cd_engine **e, struct cd_err *err)
{
	struct cd_open_opts o;
	int r;

	memset(&o, 0, sizeof(o));
	o.conf_path = pool.conf_path;
	o.system = 1;
	o.no_sweep = 1;
	o.open_ca = 1;		/* a bad CA stops certdeskd at start */
	o.clock_offset = pool.clock_offset;
	if ((r = cd_engine_open(&o, e, err)) != 0 || pool.instance_id == 0)
		return r;
	if ((r = cd_engine_instance_attach(*e, pool.instance_id, err)) != 0) {
		cd_engine_close(*e);
		*e = NULL;
	}
	return r;
}

/*
 * Handles of ended attempts, kept for the next: an attempt then starts
 * on an open store connection and CA (SQLite syncs the folder on a new
 * connection's first commit, a PKCS#11 CA logs in again).
 */
static struct {
	pthread_mutex_t mu;
	struct cd_engine *e[POOL_MAX];
	int n;
} spare = { .mu = PTHREAD_MUTEX_INITIALIZER };

struct cd_engine *
cds_engine_open(struct cd_err *err)
{
	struct cd_engine *e = NULL;

	pthread_mutex_lock(&spare.mu);
	if (spare.n > 0)
		e = spare.e[--spare.n];
	pthread_mutex_unlock(&spare.mu);
	if (e != NULL)
		return e;
	return pool_open(&e, err) == 0 ? e : NULL;
}

void
cds_engine_release(struct cd_engine *e)
{
	if (e == NULL)
		return;
	cd_engine_set_operator(e, NULL, 0, NULL);
	pthread_mutex_lock(&spare.mu);
	if (spare.n < pool.max) {
		spare.e[spare.n++] = e;
		e = NULL;
	}
	pthread_mutex_unlock(&spare.mu);
	cd_engine_close(e);
}

int
cds_pool_init(const struct cds_config *c, struct cd_err *err)
{
	struct cd_engine *e;
	int r;

	cd_strlcpy(pool.conf_path, c->conf_path, sizeof(pool.conf_path));
	pool.clock_offset = c->clock_offset;
	pool.max = c->workers < 1 ? 1 : c->workers > POOL_MAX ? POOL_MAX :
	    c->workers;
	if ((r = pool_open(&e, err)) != 0)	/* fail at start, not later */
		return r;
	/* this server's instance row, before any handle claims */
	if ((r = cd_engine_instance_register(e, &pool.instance_id, err)) !=
	    0) {
		cd_engine_close(e);
		return r;
	}
	pool.free[pool.nfree++] = e;
	pool.nopen = 1;
	return 0;
}

struct cd_engine *
cds_pool_get(struct cd_err *err)
{
	struct cd_engine *e = NULL;

	pthread_mutex_lock(&pool.mu);
	while (pool.nfree == 0 && pool.nopen >= pool.max)
		pthread_cond_wait(&pool.cv, &pool.mu);
	if (pool.nfree > 0) {
		e = pool.free[--pool.nfree];
		pthread_mutex_unlock(&pool.mu);
		return e;
	}
	pool.nopen++;
	pthread_mutex_unlock(&pool.mu);
	if (pool_open(&e, err) == 0)
		return e;
	pthread_mutex_lock(&pool.mu);
	pool.nopen--;
	pthread_cond_signal(&pool.cv);
	pthread_mutex_unlock(&pool.mu);
	return NULL;
}

void
cds_pool_put(struct cd_engine *e)
{
	cd_engine_set_operator(e, NULL, 0, NULL);
	pthread_mutex_lock(&pool.mu);
	pool.free[pool.nfree++] = e;
	pthread_cond_signal(&pool.cv);
	pthread_mutex_unlock(&pool.mu);
}

void
cds_pool_fini(void)
{
	pthread_mutex_lock(&pool.mu);
	while (pool.nfree > 0)
		cd_engine_close(pool.free[--pool.nfree]);
	pool.nopen = 0;
	pthread_mutex_unlock(&pool.mu);
	pthread_mutex_lock(&spare.mu);
	while (spare.n > 0)
		cd_engine_close(spare.e[--spare.n]);
	pthread_mutex_unlock(&spare.mu);
}

/* ---- connections ------------------------------------------------------ */

static struct MHD_Daemon *daemon_;
static size_t body_limit;
static char keep_alive[32];	/* "timeout=N": the idle timeout, told */

/* One request being received. */
struct conn {
	char *body;
	size_t len, cap;
	size_t seen;		/* bytes received, kept or not */
	int too_large;
	struct cds_peer peer;
	int peer_ok;
};

static int
peer_of(struct MHD_Connection *c, struct cds_peer *p)
{
	const union MHD_ConnectionInfo *ci;
	struct passwd pw, *res = NULL;
	struct ucred uc;
	socklen_t len = sizeof(uc);
	char buf[4096];

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci == NULL || getsockopt(ci->connect_fd, SOL_SOCKET, SO_PEERCRED,
	    &uc, &len) != 0)
		return -1;
	p->uid = uc.uid;
	p->pid = uc.pid;
	if (getpwuid_r(uc.uid, &pw, buf, sizeof(buf), &res) != 0 ||
	    res == NULL)
		return -1;
	cd_strlcpy(p->login, pw.pw_name, sizeof(p->login));
	return 0;
}

static enum MHD_Result
queue(struct MHD_Connection *c, int status, void *data, size_t len,
    const char *type)
{
	struct MHD_Response *resp;
	enum MHD_Result r;

	resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(data);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	/* a client that knows when an idle connection closes does not send
	 * on one the server is closing at that moment */
	MHD_add_response_header(resp, "Keep-Alive", keep_alive);
	r = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result
queue_json(struct MHD_Connection *c, int status, json_t *j)
{
	char *s = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;

	json_decref(j);
	if (s == NULL)
		return MHD_NO;
	return queue(c, status, s, strlen(s), "application/json");
}

/* The one error shape; status 0 = the code's own. */
static enum MHD_Result
queue_error(struct MHD_Connection *c, int status, int code, const char *msg)
{
	json_t *j = cdj_error(code, msg);

	if (status != 0 && j != NULL)
		json_object_set_new(json_object_get(j, "error"), "status",
		    json_integer(status));
	return queue_json(c, status ? status : cdj_http_status(code), j);
}

/* The error shape, with a handler's "report" (CSV import) kept. */
static enum MHD_Result
queue_error_with(struct MHD_Connection *c, int code, const char *msg,
    json_t *extra)
{
	json_t *j = cdj_error(code, msg), *rep;

	if (j != NULL && (rep = json_object_get(extra, "report")) != NULL)
		json_object_set(json_object_get(j, "error"), "report", rep);
	json_decref(extra);
	return queue_json(c, cdj_http_status(code), j);
}

static enum MHD_Result
add_query(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	json_t *q = cls;

	if (json_object_get(q, key) != NULL) {
		json_object_set_new(q, "\001dup", json_true());
		return MHD_YES;
	}
	json_object_set_new(q, key, cdj_string(value ? value : ""));
	return MHD_YES;
}

/* Set the operator: the peer, or for root the X-Certdesk-As operator. */
static int
identify(struct cd_engine *e, const struct cds_req *q, struct cd_err *err)
{
	const struct cds_peer *p = q->peer;
	char obj[CD_LOGON_MAX + 16];
	int r;

	if (p->as[0] == '\0')
		return cd_engine_set_operator(e, p->login, 0, err);
	if (p->uid == 0)
		return cd_engine_set_operator(e, p->as, 1, err);
	if ((r = cd_engine_set_operator(e, p->login, 0, err)) != 0)
		return r;
	snprintf(obj, sizeof(obj), "operator %s", p->as);
	cd_audit(e, "operator.impersonate", obj, "refused", "uid %u asked to "
	    "act as %s", (unsigned)p->uid, p->as);
	return cd_err_set(err, CD_E_DENIED, "only root may act as another "
	    "operator (X-Certdesk-As: %s)", p->as);
}

/* Decode, borrow an engine, run the handler, answer. */
static enum MHD_Result
dispatch(struct MHD_Connection *c, const char *url, const char *method,
    struct conn *cn)
{
	struct cds_reply out;
	struct cds_req q;
	struct cd_engine *e = NULL;
	struct cd_err err;
	json_t *query;
	int status, r;

	cd_err_clear(&err);
	memset(&out, 0, sizeof(out));
	if ((query = json_object()) == NULL)
		return MHD_NO;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_query, query);
	if (json_object_get(query, "\001dup") != NULL) {
		json_decref(query);
		return queue_error(c, 400, CD_E_INVAL, "a query field is "
		    "given twice");
	}
	if ((r = cds_decode(method, url, query, cn->body, cn->len, &q, &status,
	    &err)) != 0) {
		json_decref(query);
		return queue_error(c, status, r, err.msg);
	}
	q.peer = &cn->peer;
	if ((e = cds_pool_get(&err)) == NULL) {
		r = err.code ? err.code : CD_E_INTERNAL;
		goto out;
	}
	if ((r = identify(e, &q, &err)) != 0)
		goto out;
	if ((r = q.route->fn(e, &q, &out, &err)) == CD_E_DENIED)
		cd_audit(e, "api.refused", q.route->pattern, "refused",
		    "%s %s: %s", method, url, err.msg);
out:
	if (e != NULL)
		cds_pool_put(e);
	cds_req_free(&q);
	json_decref(query);
	if (r != 0) {
		free(out.bytes);
		return queue_error_with(c, r, err.msg, out.json);
	}
	if (out.bytes != NULL)
		return queue(c, out.status ? out.status : 200, out.bytes,
		    out.len, out.type);
	return queue_json(c, out.status ? out.status : 200, out.json);
}

/* Keep up to body_limit bytes; beyond it only count. */
static int
gather(struct conn *cn, const char *data, size_t n)
{
	char *nb;
	size_t cap;

	cn->seen += n;
	if (cn->too_large || cn->len + n > body_limit) {
		cn->too_large = 1;
		return cn->seen > body_limit * 4 + 65536 ? -1 : 0;
	}
	if (cn->len + n + 1 > cn->cap) {
		cap = cn->cap ? cn->cap : 4096;
		while (cap < cn->len + n + 1)
			cap *= 2;
		if ((nb = realloc(cn->body, cap)) == NULL)
			return -1;
		cn->body = nb;
		cn->cap = cap;
	}
	memcpy(cn->body + cn->len, data, n);
	cn->len += n;
	cn->body[cn->len] = '\0';
	return 0;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **con_cls)
{
	struct conn *cn = *con_cls;
	const char *cl, *as;
	char *end;
	unsigned long long n;

	if (cn == NULL) {
		if ((cn = calloc(1, sizeof(*cn))) == NULL)
			return MHD_NO;
		*con_cls = cn;
		cn->peer_ok = peer_of(c, &cn->peer) == 0;
		as = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    "X-Certdesk-As");
		if (as != NULL)
			cd_strlcpy(cn->peer.as, as, sizeof(cn->peer.as));
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL && ((n = strtoull(cl, &end, 10)), *end == '\0') &&
		    n > body_limit) {
			cn->too_large = 1;
			return queue_error(c, 413, CD_E_INVAL, "the request body "
			    "is larger than the server's limit");
		}
		return MHD_YES;
	}
	if (*upload_size != 0) {
		if (gather(cn, upload_data, *upload_size) != 0)
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	if (cn->too_large)
		return queue_error(c, 413, CD_E_INVAL, "the request body is "
		    "larger than the server's limit");
	if (!cn->peer_ok)
		return queue_error(c, 403, CD_E_AUTH, "cannot tell which user "
		    "is connected (no SO_PEERCRED or no user name)");
	if (cn->peer.as[0] != '\0' && strlen(cn->peer.as) >=
	    sizeof(cn->peer.as) - 1)
		return queue_error(c, 400, CD_E_INVAL, "X-Certdesk-As is too "
		    "long");
	return dispatch(c, url, method, cn);
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode why)
{
	struct conn *cn = *con_cls;

	if (cn != NULL) {
		if (cn->body != NULL)	/* it may have held a password */
			explicit_bzero(cn->body, cn->cap);
		free(cn->body);
		free(cn);
	}
	*con_cls = NULL;
}

static void
log_mhd(void *cls, const char *fmt, va_list ap)
{
	fprintf(stderr, "certdeskd: libmicrohttpd: ");
	vfprintf(stderr, fmt, ap);
}

int
cds_http_start(const struct cds_config *cfg, struct cd_err *err)
{
	body_limit = cfg->body_limit;
	snprintf(keep_alive, sizeof(keep_alive), "timeout=%u",
	    cfg->idle_timeout);
	daemon_ = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG,
	    0, NULL, NULL, handler, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
	    MHD_OPTION_LISTEN_SOCKET, cfg->listen_fd,
	    MHD_OPTION_CONNECTION_TIMEOUT, cfg->idle_timeout,
	    MHD_OPTION_CONNECTION_LIMIT, cfg->max_conn,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_END);
	if (daemon_ == NULL)
		return cd_err_set(err, CD_E_INTERNAL, "cannot start the HTTP "
		    "server (libmicrohttpd)");
	return 0;
}

void
cds_http_stop(void)
{
	if (daemon_ != NULL)
		MHD_stop_daemon(daemon_);
	daemon_ = NULL;
}
