/* SPDX-License-Identifier: ISC */
/*
 * util.h - small helpers shared by the engine: bounded strings, atomic
 * 0600 file writes, secret memory, fault points.  Internal; the part
 * front-ends use too is cdutil.h.
 */
#ifndef CD_UTIL_H
#define CD_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "certdesk/cdutil.h"
#include "certdesk/error.h"

/* Trim leading and trailing white space in place; returns s. */
char *cd_trim(char *s);
/* Case-insensitive ASCII comparison of whole strings. */
int cd_strieq(const char *a, const char *b);

/*
 * Write data to dir/name atomically: a temporary file ".name.XXXXXX"
 * created with mode in dir, written, fsynced, renamed over name, then the
 * directory fsynced.  On any error the temporary file is removed and
 * nothing exists under name that was not there before.  final (may be
 * NULL) gets the full path.
 */
int cd_write_atomic(const char *dir, const char *name, const void *data,
    size_t len, mode_t mode, char *final, size_t finallen,
    struct cd_err *err);

/*
 * The same, but never replacing a file: when dir/name exists, CD_E_EXISTS
 * and the existing file is left untouched (renameat2 RENAME_NOREPLACE, or
 * link(2) on file systems without it).
 */
int cd_write_new(const char *dir, const char *name, const void *data,
    size_t len, mode_t mode, char *final, size_t finallen,
    struct cd_err *err);

/*
 * Either of them (CD_WF_REPLACE: cd_write_atomic, else cd_write_new);
 * with CD_WF_NODIRSYNC the folder is not synced: the caller calls
 * cd_sync_dir once after the last file, before relying on any of them.
 */
#define CD_WF_REPLACE	1
#define CD_WF_NODIRSYNC	2
int cd_write_file(const char *dir, const char *name, const void *data,
    size_t len, mode_t mode, int flags, char *final, size_t finallen,
    struct cd_err *err);
int cd_sync_dir(const char *dir, struct cd_err *err);

/*
 * Write an output file the operator named (-o FILE): "-" is standard
 * output; an existing character device or FIFO, also through a symbolic
 * link, is written into and never replaced (a path to standard output's
 * own file, such as /dev/stdout, writes to standard output); an existing
 * regular file is replaced atomically; a new name is created with mode.
 * Refused (CD_E_DENIED): a folder, a symbolic link to anything else, any
 * other kind of file, and anything inside protect (the data directory;
 * may be NULL).
 */
int cd_write_output(const char *path, const char *protect, const void *data,
    size_t len, mode_t mode, struct cd_err *err);

/* Read a whole file (at most max bytes, else CD_E_INVAL). */
int cd_read_file(const char *path, size_t max, unsigned char **data,
    size_t *len, struct cd_err *err);

/* Join dir and name with one '/'. Returns CD_E_INVAL if it does not fit. */
int cd_path_join(char *out, size_t outlen, const char *dir,
    const char *name, struct cd_err *err);

/*
 * A named fault point.  In builds configured with --enable-fault-injection,
 * when $CERTDESK_FAULT equals name the process is killed with SIGKILL
 * here.  Otherwise it does nothing.
 */
void cd_fault(const char *name);

/* Wipe len bytes of p, then free it (p may be NULL). */
void cd_wipe_free(void *p, size_t len);

/*
 * A buffer of cap bytes holding the first used bytes of p; p (oldcap
 * bytes, may be NULL) is wiped and freed.  NULL when out of memory, p
 * untouched.  For buffers that may hold a secret: realloc(3) would
 * leave the old copy behind.
 */
void *cd_wipe_realloc(void *p, size_t used, size_t oldcap, size_t cap);

/* Lower-case hex of len bytes into out (2*len+1 bytes). */
void cd_hex(const unsigned char *in, size_t len, char *out);

#endif
