/* SPDX-License-Identifier: ISC */
/*
 * target-int.h - helpers shared by the delivery targets (target-*.c) and
 * the driver (drive.c).  Built on the public collection API only.
 */
#ifndef CD_TARGET_INT_H
#define CD_TARGET_INT_H

#include <openssl/sha.h>

#include "target.h"

/* Files a target wrote, with their SHA-256, for its rollback. */
struct cd_tgt_written {
	int n;
	char path[CD_MAX_POLICIES_PER_PROFILE][CD_PATH_MAX * 2];
	unsigned char sha[CD_MAX_POLICIES_PER_PROFILE][SHA256_DIGEST_LENGTH];
};
void cd_tgt_written_add(struct cd_tgt_written *w, const char *path,
    const unsigned char *data, size_t len);
int cd_tgt_written_remove(struct cd_tgt_written *w);

/*
 * Journal item i, write it 0600 into dir (flags CD_WF_REPLACE: over a
 * same-named file, else CD_E_EXISTS; CD_WF_NODIRSYNC: the caller syncs
 * dir before the commit), remember it in w, and report it delivered at
 * where + path.
 */
int cd_tgt_write_file(struct cd_drive *d, struct cd_tgt_written *w,
    const char *dir, int i, int replace, const char *where,
    struct cd_err *err);

/* A driver around a collection begun elsewhere (step-level calls). */
int cd_drive_for_collect(struct cd_collect *c, struct cd_drive **out,
    struct cd_err *err);

#endif
