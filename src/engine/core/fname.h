/* SPDX-License-Identifier: ISC */
/*
 * fname.h - safe file names for saved certificate packages.
 *
 * A name is the configured format (filename_format, see subst.h) expanded
 * for one certificate, made safe for FAT, exFAT and NTFS, and given the
 * ".pfx" extension: "Susan.Smith Signing.pfx".
 */
#ifndef CD_FNAME_H
#define CD_FNAME_H

#include <stddef.h>
#include <stdint.h>

#include "certdesk/cdutil.h"

#include "certdesk/error.h"
#include "certdesk/model.h"
#include "subst.h"

/* Longest name before ".pfx", in bytes. */
#define CD_FNAME_MAX_BYTES 200

/*
 * Expand fmt and make the result safe: / \ : * ? " < > |, control
 * characters, DEL and invalid UTF-8 bytes become '_'; leading spaces and
 * dots and trailing dots and spaces go; reserved DOS device names (CON,
 * PRN, AUX, NUL, COM0-9, LPT0-9, CONIN$, CONOUT$, also with an extension)
 * get a leading '_'; the name is cut to CD_FNAME_MAX_BYTES without
 * splitting a UTF-8 sequence; an empty name becomes "certificate"; then
 * ".pfx" is appended.  Errors come from cd_subst_expand, or CD_E_INVAL
 * when out is too small.
 */
int cd_fname_make(const char *fmt, const struct cd_subst_ctx *ctx,
    char *out, size_t outlen, struct cd_err *err);

/*
 * Make the names of one package distinct, comparing as FAT does (ignoring
 * ASCII case): the second and later copies get " (2)", " (3)", ... before
 * the extension: "Susan.Smith Signing (2).pfx".
 */
void cd_fname_dedupe(char names[][CD_FIELD_MAX], int n);

/* cd_utf8_next: in cdutil.h */

#endif
