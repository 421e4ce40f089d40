/* SPDX-License-Identifier: ISC */
/*
 * query.h - what a search asks for (filters: zero / empty fields do not
 * filter) and the callbacks that receive each record found.  Public:
 * front-ends pass these to engine.h's list and search calls; the engine
 * passes them on to the store (store.h).
 */
#ifndef CD_QUERY_H
#define CD_QUERY_H

#include <stdint.h>

#include "certdesk/model.h"

/* Search for requests.  Zero / empty fields do not filter. */
struct cd_request_filter {
	/*
	 * Name words: each space-separated word must match the start of a
	 * word of the person's full name or of the logon name (logon names
	 * split at . _ - @ too), case-insensitively; all words must match.
	 */
	char name[CD_FIELD_MAX];
	int64_t id;
	int status;			/* -1 = any */
	int type;			/* -1 = any */
	char profile[64];
	int64_t person_id;
	int64_t device_id;
	int64_t created_from;		/* inclusive */
	int64_t created_to;		/* exclusive */
	int limit;			/* 0 = no limit */
	int offset;
	int oldest_first;		/* else newest first */
};
void cd_request_filter_init(struct cd_request_filter *f);

struct cd_person_filter {
	char name[CD_FIELD_MAX];	/* same word rule as requests */
	int limit;
	int offset;
};

struct cd_cert_filter {
	int64_t request_id;
	int64_t person_id;
	int64_t device_id;
	int64_t attempt_id;
	int status;			/* -1 = any */
	int64_t revoke_due_by;		/* revoke_after in (0, this] */
	char serial[CD_SERIAL_MAX];
};
void cd_cert_filter_init(struct cd_cert_filter *f);

struct cd_device_filter {
	int64_t owner_id;
	char type[32];
	char serial[CD_FIELD_MAX];
	int limit;
};

typedef int (*cd_person_cb)(const struct cd_person *, void *);
typedef int (*cd_request_cb)(const struct cd_request *, void *);
typedef int (*cd_cert_cb)(const struct cd_cert *, void *);
typedef int (*cd_device_cb)(const struct cd_device *, void *);
typedef int (*cd_audit_cb)(const struct cd_audit *, void *);

#endif
