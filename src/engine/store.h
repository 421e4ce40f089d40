/*
 * store.h - the store interface: where people, requests, certificates,
 * devices, collection attempts and the audit trail live.
 *
 * A backend is a const struct cd_store_ops chosen by name from the
 * configuration ([general] store = sqlite).  Nothing above this interface
 * knows which backend is in use.  Contract for every operation:
 *  - returns 0, CD_E_NOTFOUND (get/update of a missing row), CD_E_EXISTS
 *    (unique key taken) or CD_E_STORE / CD_E_BUSY with err filled;
 *  - strings are NUL-terminated and truncated to the struct field size;
 *  - list callbacks return 0 to go on, non-zero to stop (that value is
 *    returned by the list call);
 *  - writes outside an explicit begin/commit are atomic on their own;
 *  - begin() takes the write lock at once (no upgrade deadlocks) and waits
 *    up to the busy timeout for it; transactions do not nest.
 */
#ifndef CD_STORE_H
#define CD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "model.h"
#include "query.h"

struct cd_store;		/* backend-private */

struct cd_attempt_filter {
	int64_t request_id;
	int state;			/* -1 = any */
	int64_t heartbeat_before;	/* heartbeat_at < this; 0 = any */
};

typedef int (*cd_attempt_cb)(const struct cd_attempt *, void *);

struct cd_store_ops {
	const char *name;

	/*
	 * Open (creating and migrating as needed) the store kept in datadir.
	 * create = 0 refuses a missing store with CD_E_NOTFOUND.
	 */
	int (*open)(const char *datadir, int create, struct cd_store **out,
	    struct cd_err *err);
	void (*close)(struct cd_store *s);
	int (*schema_version)(struct cd_store *s, int *out, struct cd_err *err);

	int (*begin)(struct cd_store *s, struct cd_err *err);
	int (*commit)(struct cd_store *s, struct cd_err *err);
	int (*rollback)(struct cd_store *s);

	/* people: add fills p->id; logon is unique */
	int (*person_add)(struct cd_store *s, struct cd_person *p,
	    struct cd_err *err);
	int (*person_update)(struct cd_store *s, const struct cd_person *p,
	    struct cd_err *err);
	/* by id when id != 0, else by logon (case-sensitive) */
	int (*person_get)(struct cd_store *s, int64_t id, const char *logon,
	    struct cd_person *out, struct cd_err *err);
	int (*person_list)(struct cd_store *s, const struct cd_person_filter *f,
	    cd_person_cb cb, void *arg, struct cd_err *err);
	int (*person_count)(struct cd_store *s, int64_t *out,
	    struct cd_err *err);

	/* requests: add fills r->id */
	int (*request_add)(struct cd_store *s, struct cd_request *r,
	    struct cd_err *err);
	int (*request_update)(struct cd_store *s, const struct cd_request *r,
	    struct cd_err *err);
	int (*request_get)(struct cd_store *s, int64_t id,
	    struct cd_request *out, struct cd_err *err);
	/* newest first (created_at desc, id desc) */
	int (*request_search)(struct cd_store *s,
	    const struct cd_request_filter *f, cd_request_cb cb, void *arg,
	    struct cd_err *err);

	/* certificates: add fills c->id; serial+issuer unique */
	int (*cert_add)(struct cd_store *s, struct cd_cert *c,
	    struct cd_err *err);
	int (*cert_update)(struct cd_store *s, const struct cd_cert *c,
	    struct cd_err *err);
	int (*cert_list)(struct cd_store *s, const struct cd_cert_filter *f,
	    cd_cert_cb cb, void *arg, struct cd_err *err);

	int (*device_add)(struct cd_store *s, struct cd_device *d,
	    struct cd_err *err);
	int (*device_update)(struct cd_store *s, const struct cd_device *d,
	    struct cd_err *err);
	int (*device_get)(struct cd_store *s, int64_t id,
	    struct cd_device *out, struct cd_err *err);
	int (*device_list)(struct cd_store *s, const struct cd_device_filter *f,
	    cd_device_cb cb, void *arg, struct cd_err *err);

	int (*attempt_add)(struct cd_store *s, struct cd_attempt *a,
	    struct cd_err *err);
	int (*attempt_update)(struct cd_store *s, const struct cd_attempt *a,
	    struct cd_err *err);
	int (*attempt_get)(struct cd_store *s, int64_t id,
	    struct cd_attempt *out, struct cd_err *err);
	int (*attempt_list)(struct cd_store *s,
	    const struct cd_attempt_filter *f, cd_attempt_cb cb, void *arg,
	    struct cd_err *err);

	/* append-only: there is no update or delete */
	int (*audit_add)(struct cd_store *s, struct cd_audit *a,
	    struct cd_err *err);
	/* oldest first, at >= since */
	int (*audit_list)(struct cd_store *s, int64_t since, cd_audit_cb cb,
	    void *arg, struct cd_err *err);
	/* the records about one object ("request 12"), oldest first */
	int (*audit_object)(struct cd_store *s, const char *object,
	    cd_audit_cb cb, void *arg, struct cd_err *err);
};

/* NULL-terminated list of built backends; the first is the default. */
extern const struct cd_store_ops *const cd_store_backends[];
/* By name; NULL or "" gives the default.  NULL if unknown. */
const struct cd_store_ops *cd_store_find(const char *name);

extern const struct cd_store_ops cd_store_sqlite_ops;

#endif
