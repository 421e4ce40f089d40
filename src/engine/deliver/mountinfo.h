/* SPDX-License-Identifier: ISC */
/*
 * mountinfo.h - find where a block device is mounted (from the kernel's
 * mount table, /proc/self/mountinfo) and decide whether a folder is
 * "empty" apart from the litter operating systems leave on drives.
 */
#ifndef CD_MOUNTINFO_H
#define CD_MOUNTINFO_H

#include "certdesk/error.h"

#define CD_MOUNTINFO_DEFAULT "/proc/self/mountinfo"

struct cd_mount {
	unsigned major, minor;
	char root[1024];	/* the part of the filesystem mounted ("/") */
	char mountpoint[1024];	/* octal escapes decoded */
	char fstype[32];
	char source[256];
	int readonly;		/* "ro" in per-mount or super options */
};

/*
 * Parse one mountinfo line (trailing newline allowed).  Returns 0, or
 * CD_E_INVAL when the line is malformed or a field does not fit.
 */
int cd_mountinfo_parse_line(const char *line, struct cd_mount *out);

/*
 * Find the first mount of device major:minor whose root is "/" (so bind
 * mounts of a subfolder are skipped) in the mount table at path (NULL =
 * /proc/self/mountinfo).  Returns 1 and fills out when found, 0 when the
 * device is not mounted, CD_E_IO when the table cannot be read.
 */
int cd_mountinfo_find(const char *path, unsigned major, unsigned minor,
    struct cd_mount *out, struct cd_err *err);

/*
 * The built-in list of names that do not make a drive "not empty", used
 * when a caller passes ignore == NULL.
 */
extern const char cd_ignore_default[][64];
extern const int cd_nignore_default;

/*
 * Count the entries of dir other than ".", ".." and names matching one of
 * the nignore glob patterns (fnmatch, case-insensitive; ignore == NULL
 * means the built-in list).  Returns 0 and sets *count, or CD_E_IO.
 */
int cd_dir_count_entries(const char *dir, int nignore,
    const char (*ignore)[64], int *count, struct cd_err *err);

#endif
