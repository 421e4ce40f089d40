/* SPDX-License-Identifier: ISC */
/*
 * journal.h - the files a collection attempt writes, kept as journal rows
 * in the store (struct cd_journal) before each write, so that a cancel,
 * or the sweep after a crash, can remove exactly those files and nothing
 * else.  A path is journalled absolute and resolved, so a sweep started
 * from any directory finds it; a file is only removed while its content
 * still hashes to the recorded SHA-256, so a later package written under
 * the same name is never touched.  A removal that fails is reported and
 * its row stays pending, for the next sweep to try again.  A print job
 * that may hold a secret (a PIN mailer) is journalled the same way before
 * its document is sent, and purged from its scheduler on undo.
 */
#ifndef CD_JOURNAL_H
#define CD_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "certdesk/error.h"

struct cd_engine;

/* SHA-256 of data as lower-case hex. */
void cd_journal_hash(const unsigned char *data, size_t len, char out[65]);

/*
 * The absolute, resolved form of path: realpath() of its folder, then
 * its name (the file itself need not exist yet).
 */
int cd_journal_resolve(const char *path, char *out, size_t len,
    struct cd_err *err);

enum cd_journal_removal {
	CD_JR_REMOVED = 0,	/* removed */
	CD_JR_GONE,		/* missing, or replaced by another file */
	CD_JR_FAILED		/* still there: why says why */
};

/*
 * Remove path if its content hashes to sha256, and any temporary
 * ".NAME.PID.XXXXXX" left beside it by this process or a dead one (a
 * live writer's temporary of the same name is left alone).
 */
int cd_journal_remove_one(const char *path, const char *sha256, char *why,
    size_t whylen);

/*
 * Purge a journalled print job, path "BACKEND<TAB>JOB" (see struct
 * cd_journal): CD_JR_REMOVED once the job is gone from its scheduler,
 * CD_JR_FAILED with why otherwise.
 */
int cd_journal_purge_one(const char *path, char *why, size_t whylen);

/* A print job's row path for people: "print job cups host:631 q 42". */
void cd_journal_print_name(const char *path, char *buf, size_t len);

/* What undoing an attempt's files and print jobs did. */
struct cd_undo {
	int removed;		/* files removed */
	int prints;		/* pending print jobs tried */
	int purged;		/* print jobs purged */
	int failed;		/* files or jobs that could not be undone */
	int changed;		/* failures with a reason not seen before */
	char failures[2048];	/* "path: reason; path: reason" */
};

/*
 * Undo the journalled files of an attempt and mark their rows: every
 * row not kept (owner = 1, the attempt's own process) or only the
 * pending ones (owner = 0, the sweep).  Rows of files that could not be
 * removed stay pending.  Store errors are returned.
 */
int cd_journal_undo(struct cd_engine *e, int64_t attempt_id, int owner,
    struct cd_undo *u, struct cd_err *err);

/*
 * "2 files removed" or "1 file removed, 1 could not be removed: ...";
 * with print jobs: "0 files removed, 1 print job purged".
 */
void cd_undo_text(const struct cd_undo *u, const char *verb, char *buf,
    size_t len);

#endif
