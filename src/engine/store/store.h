/* SPDX-License-Identifier: ISC */
/*
 * store.h - the store interface: where people, requests, certificates,
 * devices, collection attempts and the audit trail live.
 *
 * A backend is a const struct cd_store_ops chosen by name from the
 * configuration ([store] backend = sqlite | postgresql), which reads its own settings
 * from the [store] section (conf_load).  Nothing above this interface
 * knows which backend is in use.  Contract for every operation:
 *  - returns 0, CD_E_NOTFOUND (get/update of a missing row), CD_E_EXISTS
 *    (unique key taken) or CD_E_STORE / CD_E_BUSY with err filled;
 *  - strings are NUL-terminated and truncated to the struct field size;
 *  - list callbacks return 0 to go on, non-zero to stop (that value is
 *    returned by the list call);
 *  - writes outside an explicit begin/commit are atomic on their own;
 *  - begin() takes the write lock at once (no upgrade deadlocks) and waits
 *    up to the busy timeout for it; transactions do not nest.
 *
 * Collection attempts and the requests they hold change only through the
 * conditional operations claim, attempt_heartbeat, attempt_commit and
 * attempt_release: each is a compare-and-set on (request id, attempt id,
 * state), atomic on its own, and says whether it applied.  An attempt
 * that no longer holds its request (the sweep aborted it) can never be
 * revived, heartbeat or committed: those return CD_E_LOST.
 */
#ifndef CD_STORE_H
#define CD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "certdesk/error.h"
#include "certdesk/model.h"
#include "certdesk/query.h"

struct cd_store;		/* backend-private */
struct cd_conf_src;		/* conf.h */

/* What a store backend can do. */
enum cd_store_cap {
	CD_STORE_SHARED = 1 << 0	/* several hosts may use it at once */
};

struct cd_attempt_filter {
	int64_t request_id;
	int state;			/* -1 = any */
	int64_t heartbeat_before;	/* heartbeat_at < this; 0 = any */
};

typedef int (*cd_attempt_cb)(const struct cd_attempt *, void *);
typedef int (*cd_journal_cb)(const struct cd_journal *, void *);

/*
 * Moving a store between backends: every table as rows of text values
 * (NULL for SQL NULL) in the same columns on every backend, in the order
 * of cd_store_tables[] (a table's references come before it).
 */
#define CD_STORE_COLS_MAX 24
struct cd_store_table {
	const char *name;
	const char *cols;		/* "id, logon, ..." */
	int ncols;
	const char *order;		/* "id" */
};
extern const struct cd_store_table cd_store_tables[];	/* name NULL ends */
typedef int (*cd_row_cb)(const char *const *vals, int n, void *arg);

/* The outcome of attempt_commit, written to the request. */
struct cd_commit_info {
	int64_t device_id;
	char collected_by[CD_LOGON_MAX];
	int64_t at;
};

struct cd_store_ops {
	const char *name;
	unsigned caps;			/* CD_STORE_* */

	/*
	 * Read the backend's own settings from the [store] section with
	 * the cd_conf_* lookups of conf.h; *cfg (or NULL) is passed to open
	 * and freed with conf_free.  NULL hook: no settings.
	 */
	int (*conf_load)(const struct cd_conf_src *src, const char *section,
	    void **cfg, struct cd_err *err);
	void (*conf_free)(void *cfg);
	/*
	 * Settings from one command-line word (certdesk store migrate
	 * --to postgresql:DSN), checked like conf_load's.  NULL hook: the
	 * word is the data directory passed to open.
	 */
	int (*conf_arg)(const char *arg, void **cfg, struct cd_err *err);

	/*
	 * Open (creating and migrating as needed) the store kept in datadir,
	 * with the settings cfg from conf_load (NULL for none).  create = 0
	 * refuses a missing store with CD_E_NOTFOUND.
	 */
	int (*open)(const void *cfg, const char *datadir, int create,
	    struct cd_store **out, struct cd_err *err);
	void (*close)(struct cd_store *s);
	int (*schema_version)(struct cd_store *s, int *out, struct cd_err *err);

	int (*begin)(struct cd_store *s, struct cd_err *err);
	int (*commit)(struct cd_store *s, struct cd_err *err);
	int (*rollback)(struct cd_store *s);
	/*
	 * lazy(s, 1): until lazy(s, 0), commits need not be durable on their
	 * own; each becomes durable with the next ordinary commit, which
	 * comes after it (a power cut loses them in commit order, never one
	 * without the ones before it).  Only between transactions.  NULL:
	 * every commit is durable.
	 */
	int (*lazy)(struct cd_store *s, int on, struct cd_err *err);

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
	/*
	 * Not for a request being collected, nor into that status
	 * (CD_E_STATE): only claim, attempt_commit and attempt_release
	 * move a request into or out of a collection.
	 */
	int (*request_update)(struct cd_store *s, const struct cd_request *r,
	    struct cd_err *err);
	int (*request_get)(struct cd_store *s, int64_t id,
	    struct cd_request *out, struct cd_err *err);
	/* newest first (created_at desc, id desc), or oldest first (asc)
	   with f->oldest_first; f->limit is applied in the query */
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

	/*
	 * The claim: add attempt a (in progress; fills a->id) and move
	 * request a->request_id from awaiting collection to being collected
	 * with a as its holder, at a->started_at -- only if the request is
	 * still awaiting collection.  Otherwise nothing is written and the
	 * result is CD_E_NOTFOUND, CD_E_BUSY (another attempt holds it; the
	 * message names who, since when, which process) or CD_E_STATE.
	 */
	int (*claim)(struct cd_store *s, struct cd_attempt *a,
	    struct cd_err *err);
	/*
	 * Set only heartbeat_at, only while the attempt is in progress and
	 * holds its request; CD_E_LOST otherwise (never revives one).
	 */
	int (*attempt_heartbeat)(struct cd_store *s, int64_t attempt_id,
	    int64_t now, struct cd_err *err);
	/*
	 * The attempt completes and its request becomes completed (with
	 * ci's device, collector and time), and its pending journal rows
	 * of files (kind CD_JK_FILE) are kept; rows of print jobs stay
	 * pending until the job is purged
	 * -- only while the attempt is in progress and holds the request;
	 * CD_E_LOST and nothing written otherwise.
	 */
	int (*attempt_commit)(struct cd_store *s, int64_t attempt_id,
	    const struct cd_commit_info *ci, struct cd_err *err);
	/*
	 * The attempt moves from in progress to state (cancelled, failed,
	 * aborted) at now, and its request goes back to awaiting collection
	 * if the attempt still holds it.  stale_before != 0 applies it only
	 * if the heartbeat is older than that (the sweep).  CD_E_LOST and
	 * nothing written when the attempt was no longer in progress (or
	 * not stale), so two sweeps abort an attempt exactly once.
	 */
	int (*attempt_release)(struct cd_store *s, int64_t attempt_id,
	    int state, int64_t now, int64_t stale_before, struct cd_err *err);
	int (*attempt_get)(struct cd_store *s, int64_t id,
	    struct cd_attempt *out, struct cd_err *err);
	int (*attempt_list)(struct cd_store *s,
	    const struct cd_attempt_filter *f, cd_attempt_cb cb, void *arg,
	    struct cd_err *err);

	/*
	 * Server instances.  instance_register adds a row (host, pid,
	 * started and heartbeat at now) and makes it this handle's instance:
	 * a claim through the handle records it as the attempt's holder
	 * (unless the attempt names one), and attempt_heartbeat also moves
	 * the holding instance's heartbeat.  instance_heartbeat sets the
	 * handle's instance's heartbeat.  Staleness stays the attempt's
	 * heartbeat age, whichever instance holds it.  instance_attach makes
	 * an instance registered through another handle this handle's too
	 * (a server's handles share one row); CD_E_NOTFOUND if no such row.
	 */
	int (*instance_register)(struct cd_store *s, const char *host,
	    int pid, int64_t now, int64_t *id, struct cd_err *err);
	int (*instance_attach)(struct cd_store *s, int64_t id,
	    struct cd_err *err);
	int (*instance_heartbeat)(struct cd_store *s, int64_t now,
	    struct cd_err *err);

	/*
	 * The file journal.  journal_add fills j->id and applies only while
	 * the attempt is in progress (CD_E_LOST otherwise), so an aborted
	 * attempt cannot write another file.  journal_list: the rows of one
	 * attempt (0 = every attempt) in a state (-1 = any), oldest first.
	 * journal_mark sets a row's state and note.  Rows carry a kind
	 * (enum cd_journal_kind, schema 5): files and print jobs.
	 */
	int (*journal_add)(struct cd_store *s, struct cd_journal *j,
	    struct cd_err *err);
	int (*journal_list)(struct cd_store *s, int64_t attempt_id, int state,
	    cd_journal_cb cb, void *arg, struct cd_err *err);
	int (*journal_mark)(struct cd_store *s, int64_t id, int state,
	    const char *note, struct cd_err *err);

	/* append-only: there is no update or delete */
	int (*audit_add)(struct cd_store *s, struct cd_audit *a,
	    struct cd_err *err);
	/* oldest first, at >= since */
	int (*audit_list)(struct cd_store *s, int64_t since, cd_audit_cb cb,
	    void *arg, struct cd_err *err);
	/* the records about one object ("request 12"), oldest first */
	int (*audit_object)(struct cd_store *s, const char *object,
	    cd_audit_cb cb, void *arg, struct cd_err *err);

	/*
	 * Moving a store (certdesk store migrate).  is_empty: no people,
	 * requests, devices, certificates, attempts or audit.  rows_list:
	 * table t's rows in t->order.  rows_put: insert one row as given,
	 * ids included, inside the caller's transaction (references are
	 * checked at its commit); rows_done: after the last row, so that
	 * new ids follow the copied ones.  rows_put NULL: not a target.
	 */
	int (*is_empty)(struct cd_store *s, int *empty, struct cd_err *err);
	int (*rows_list)(struct cd_store *s, const struct cd_store_table *t,
	    cd_row_cb cb, void *arg, struct cd_err *err);
	int (*rows_put)(struct cd_store *s, const struct cd_store_table *t,
	    const char *const *vals, struct cd_err *err);
	int (*rows_done)(struct cd_store *s, struct cd_err *err);
};

/* NULL-terminated list of built backends; the first is the default. */
extern const struct cd_store_ops *const cd_store_backends[];
/* By name; NULL or "" gives the default.  NULL if unknown. */
const struct cd_store_ops *cd_store_find(const char *name);

/*
 * For a backend's claim that did not apply: the refusal for request r
 * (as it is now) and its holder a (NULL if it could not be read):
 * CD_E_STATE when r is not being collected, else CD_E_BUSY naming the
 * holder.  One text for every backend.
 */
int cd_store_claim_refusal(const struct cd_request *r,
    const struct cd_attempt *a, struct cd_err *err);

extern const struct cd_store_ops cd_store_sqlite_ops;
#ifdef HAVE_LIBPQ
extern const struct cd_store_ops cd_store_pg_ops;
#endif

#endif
