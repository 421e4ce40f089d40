/*
 * util.h - small helpers shared by the engine: bounded strings, atomic
 * 0600 file writes, secret memory, fault points.
 */
#ifndef CD_UTIL_H
#define CD_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

#define CD_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Copy with truncation; always NUL-terminates (size > 0). */
size_t cd_strlcpy(char *dst, const char *src, size_t size);
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

/* mkdir -p with mode for the directories it creates. */
int cd_mkdir_p(const char *path, mode_t mode, struct cd_err *err);

/* Join dir and name with one '/'. Returns CD_E_INVAL if it does not fit. */
int cd_path_join(char *out, size_t outlen, const char *dir,
    const char *name, struct cd_err *err);

/*
 * Secret memory: zeroed pages of its own, locked in RAM where permitted
 * (mlock), left out of core dumps (MADV_DONTDUMP), wiped with
 * OPENSSL_cleanse and unmapped on free (len is the length given to
 * cd_secret_alloc).  Core dumps are also disabled process-wide by
 * cd_disable_core_dumps().
 */
void *cd_secret_alloc(size_t len);
void cd_secret_free(void *p, size_t len);
/* Duplicate a NUL-terminated secret into secret memory. */
char *cd_secret_strdup(const char *s, size_t *lenp);
/* 1 if the last cd_secret_alloc could lock its pages. */
int cd_secret_locked(void);

/* Disable core dumps for this process (RLIMIT_CORE 0, not dumpable). */
int cd_disable_core_dumps(struct cd_err *err);

/*
 * A named fault point.  In builds configured with --enable-fault-injection,
 * when $CERTDESK_FAULT equals name the process is killed with SIGKILL
 * here.  Otherwise it does nothing.
 */
void cd_fault(const char *name);

/* Lower-case hex of len bytes into out (2*len+1 bytes). */
void cd_hex(const unsigned char *in, size_t len, char *out);

/* Format a Unix time as "2026-11-24 13:05" (local time). */
void cd_time_text(int64_t t, char *buf, size_t len);
/* ISO 8601 UTC "2026-11-24T13:05:00Z". */
void cd_time_iso(int64_t t, char *buf, size_t len);
/* Parse "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (local) or "@epoch"; -1. */
int64_t cd_time_parse(const char *s);

#endif
