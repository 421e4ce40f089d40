/* SPDX-License-Identifier: ISC */
/*
 * uhttp.h - a small HTTP/1.1 client for a server on a local Unix socket
 * (certdeskd): one kept-alive connection, one request at a time.
 */
#ifndef CD_UHTTP_H
#define CD_UHTTP_H

#include <stddef.h>

#include <certdesk/error.h>

struct cd_uhttp;

/* A client for the socket at path (not connected yet); NULL: no memory. */
struct cd_uhttp *cd_uhttp_new(const char *path);
void cd_uhttp_free(struct cd_uhttp *h);

/* A reply: its status and body (NUL-terminated, len without the NUL). */
struct cd_uhttp_reply {
	int status;
	char *body;
	size_t len;
};

/*
 * Send one request and read its reply.  target is the path and query;
 * hdr a NULL-terminated list of "Name: value" lines (may be NULL); body
 * (may be NULL) of len bytes.  A reply body over max bytes is refused.
 * Returns 0 with *out filled (free with cd_uhttp_reply_free), or
 * CD_E_IO / CD_E_NOMEM with a message saying what failed ("connection
 * refused", "the reply is too large", ...).  A kept connection the
 * server has closed is opened again first; a request that may have
 * reached the server is never sent twice, except a GET.
 */
int cd_uhttp_exchange(struct cd_uhttp *h, const char *method,
    const char *target, const char *const *hdr, const void *body, size_t len,
    size_t max, struct cd_uhttp_reply *out, struct cd_err *err);

/* Wipe and free a reply's body. */
void cd_uhttp_reply_free(struct cd_uhttp_reply *r);

/* s with every byte but A-Z a-z 0-9 - . _ ~ as %XX; NULL: no memory. */
char *cd_uhttp_escape(const char *s);

#endif
