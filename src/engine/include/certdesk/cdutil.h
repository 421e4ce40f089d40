/* SPDX-License-Identifier: ISC */
/*
 * cdutil.h - the engine's small helpers that front-ends use too: bounded
 * strings, times as text, secret memory for passwords, no core dumps, and
 * creating a folder.  Public.
 */
#ifndef CD_CDUTIL_H
#define CD_CDUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "certdesk/error.h"

#define CD_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Copy with truncation; always NUL-terminates (size > 0). */
size_t cd_strlcpy(char *dst, const char *src, size_t size);

/* Format a Unix time as "2026-11-24 13:05" (local time). */
void cd_time_text(int64_t t, char *buf, size_t len);
/* ISO 8601 UTC "2026-11-24T13:05:00Z". */
void cd_time_iso(int64_t t, char *buf, size_t len);
/* Parse "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (local) or "@epoch"; -1. */
int64_t cd_time_parse(const char *s);

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

/* mkdir -p with mode for the directories it creates. */
int cd_mkdir_p(const char *path, mode_t mode, struct cd_err *err);

/*
 * Decode one UTF-8 character from s (n bytes available): its length
 * (1-4) with the code point in *cp, or 0 if s does not start with a valid,
 * shortest-form sequence (surrogates and values above U+10FFFF are
 * invalid).  Shared by the engine and the front-ends'
 * output escaping.
 */
size_t cd_utf8_next(const char *s, size_t n, uint32_t *cp);

#endif
