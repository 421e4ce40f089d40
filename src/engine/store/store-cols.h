/* SPDX-License-Identifier: ISC */
/*
 * store-cols.h - the store's rows as columns, shared by the SQLite and
 * PostgreSQL backends: for each table, its name, the noun its messages
 * use, and each column's name, kind and place in the model struct.  The
 * backends bind and read rows through these tables, so the two can
 * never disagree on what a row holds.
 */
#ifndef CD_STORE_COLS_H
#define CD_STORE_COLS_H

#include <stddef.h>

#include "certdesk/model.h"

enum col_kind {
	K_TEXT,		/* char[size] */
	K_I64,		/* int64_t */
	K_INT,		/* int */
	K_UINT,		/* unsigned */
	K_REF		/* int64_t id of another row; 0 <-> NULL */
};

struct col {
	const char *name;
	enum col_kind kind;
	size_t off;
	size_t size;
};

#define COL(st, f, n, k) { n, k, offsetof(struct st, f), \
	sizeof(((struct st *)0)->f) }

struct table {
	const char *name;
	const char *noun;		/* for messages */
	const struct col *cols;		/* cols[0] is the id */
	int ncols;
};

extern const struct table person_t, request_t, cert_t, device_t,
    attempt_t, audit_t, journal_t;

#endif
