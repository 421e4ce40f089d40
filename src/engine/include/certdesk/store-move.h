/* SPDX-License-Identifier: ISC */
/*
 * store-move.h - moving a whole store from one backend to another
 * (certdesk store migrate): every table, the audit trail included, with
 * row counts and a checksum per table checked on the target afterwards.
 */
#ifndef CD_STORE_MOVE_H
#define CD_STORE_MOVE_H

#include <stdint.h>

#include "certdesk/error.h"

#define CD_MOVE_TABLES 16

struct cd_move_report {
	int ntables;
	struct {
		char name[32];
		int64_t rows;
		char sha256[65];	/* of the rows, in the table's order */
	} t[CD_MOVE_TABLES];
};

/*
 * Copy store from ("BACKEND:ARG", e.g. "sqlite:/var/lib/certdesk" or
 * "sqlite:/var/lib/certdesk/certdesk.db") into store to ("postgresql:
 * DSN"), in one transaction of the target, then read the target back
 * and compare counts and checksums.  A target that is not empty is
 * refused (CD_E_EXISTS) and nothing is written; a mismatch is CD_E_STORE
 * (the copy was committed: say so).  rep may be NULL.
 */
int cd_store_move(const char *from, const char *to,
    struct cd_move_report *rep, struct cd_err *err);

#endif
