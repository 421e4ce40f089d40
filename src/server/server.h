/* SPDX-License-Identifier: ISC */
/*
 * server.h - certdeskd's parts: the route table and request decoder
 * (routes.c), the HTTP side on libmicrohttpd with the engine pool
 * (http.c), and the daemon's start-up (main.c).  Internal to certdeskd.
 */
#ifndef CD_SERVER_H
#define CD_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "certdesk/engine.h"

/* Who sent a request: from SO_PEERCRED, never from the request. */
struct cds_peer {
	uid_t uid;
	pid_t pid;
	char login[CD_LOGON_MAX];	/* the peer's Unix login */
	char as[CD_LOGON_MAX];		/* X-Certdesk-As (root only), or "" */
};

enum cds_body { CDS_BODY_NONE, CDS_BODY_JSON, CDS_BODY_RAW };

struct cds_req;
struct cds_reply;
typedef int (*cds_handler)(struct cd_engine *e, const struct cds_req *q,
    struct cds_reply *out, struct cd_err *err);

struct cds_route {
	const char *method;
	const char *pattern;	/* "/v1/requests/{id}/approve" */
	enum cds_body body;
	cds_handler fn;
	const char *summary;
};

/* A decoded request: route, path parameters, query and body. */
struct cds_req {
	const struct cds_route *route;
	int64_t id;			/* {id} */
	char logon[CD_LOGON_MAX];	/* {logon} */
	json_t *query;			/* object of strings, never NULL */
	json_t *body;			/* CDS_BODY_JSON: an object */
	const char *raw;		/* CDS_BODY_RAW */
	size_t rawlen;
	const struct cds_peer *peer;
};

/* What a handler answers: JSON, or bytes of a given type. */
struct cds_reply {
	int status;			/* 200 unless set */
	json_t *json;
	unsigned char *bytes;		/* malloc'd */
	size_t len;
	const char *type;		/* for bytes */
};

extern const struct cds_route cds_routes[];
extern const size_t cds_nroutes;

/*
 * Match method and path against the routes and decode the body.  Returns
 * 0, or a CD_E_* code with *status the HTTP status to answer (404 no
 * such path, 405 wrong method, 400 bad path parameter or body).  On
 * success the caller owns q->body (json_decref) and q->query stays the
 * caller's.
 */
int cds_decode(const char *method, const char *path, json_t *query,
    const char *body, size_t len, struct cds_req *q, int *status,
    struct cd_err *err);
void cds_req_free(struct cds_req *q);

/* ---- http.c --------------------------------------------------------- */

struct cds_config {
	const char *conf_path;
	int listen_fd;
	size_t body_limit;
	unsigned idle_timeout;
	unsigned max_conn;
	int workers;
	int sweep_interval;		/* seconds; 0 = no sweep timer */
	int64_t clock_offset;		/* the test clock (fault-injection builds) */
};

/*
 * The engine pool; cds_pool_init also registers this server's instance
 * row, which every handle opened after it (the pool's, cds_engine_open's)
 * shares.
 */
int cds_pool_init(const struct cds_config *c, struct cd_err *err);
struct cd_engine *cds_pool_get(struct cd_err *err);
void cds_pool_put(struct cd_engine *e);
void cds_pool_fini(void);
/*
 * An engine handle of its own (a collection attempt keeps one), given
 * back with cds_engine_release when the attempt ends: kept for the next
 * attempt, up to [server] workers of them, or closed.
 */
struct cd_engine *cds_engine_open(struct cd_err *err);
void cds_engine_release(struct cd_engine *e);

/* ---- routes-collect.c: the collection transaction ------------------- */

int cds_h_collect_preview(struct cd_engine *, const struct cds_req *,
    struct cds_reply *, struct cd_err *);
int cds_h_collect_begin(struct cd_engine *, const struct cds_req *,
    struct cds_reply *, struct cd_err *);
int cds_h_collect_password(struct cd_engine *, const struct cds_req *,
    struct cds_reply *, struct cd_err *);
int cds_h_collect_issue(struct cd_engine *, const struct cds_req *,
    struct cds_reply *, struct cd_err *);
int cds_h_collect_journal(struct cd_engine *, const struct cds_req *,
    struct cds_reply *, struct cd_err *);
int cds_h_collect_delivered(struct cd_engine *, const struct cds_req *,
    struct cds_reply *, struct cd_err *);
int cds_h_collect_drive(struct cd_engine *, const struct cds_req *,
    struct cds_reply *, struct cd_err *);
int cds_h_collect_heartbeat(struct cd_engine *, const struct cds_req *,
    struct cds_reply *, struct cd_err *);
int cds_h_collect_mailer(struct cd_engine *, const struct cds_req *,
    struct cds_reply *, struct cd_err *);
int cds_h_collect_commit(struct cd_engine *, const struct cds_req *,
    struct cds_reply *, struct cd_err *);
int cds_h_collect_cancel(struct cd_engine *, const struct cds_req *,
    struct cds_reply *, struct cd_err *);
int cds_h_attempt_get(struct cd_engine *, const struct cds_req *,
    struct cds_reply *, struct cd_err *);
/*
 * 1 (msg says why) when the client cannot collect profile p: a
 * SystemStore package whose generated password never leaves certdeskd.
 */
int cds_profile_blocked(const struct cd_profile *p, char *msg, size_t len);
/* Free attempts idle for longer than their timeout (they are cancelled). */
void cds_collect_reap(int all);

int cds_http_start(const struct cds_config *c, struct cd_err *err);
void cds_http_stop(void);

#endif
