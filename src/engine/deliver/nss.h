/* SPDX-License-Identifier: ISC */
/*
 * nss.h - import PKCS#12 packages into a personal NSS certificate store
 * (the user's shared database, sql:$HOME/.pki/nssdb, by default).
 *
 * Imports go through the NSS library in a private init context that is
 * shut down again before returning.  A failed import leaves nothing
 * behind: the keys, certificates and trust objects it created are
 * removed.  NSS keeps one nickname per subject name, so a certificate
 * whose subject is already in the store gets that subject's nickname;
 * a nickname already used by a different subject becomes "NAME (2)",
 * "NAME (3)", ...  The nickname actually used is reported.
 *
 * The engine must be the only NSS user in the process: if NSS was
 * initialised by someone else, these calls refuse with CD_E_NSS.
 */
#ifndef CD_NSS_H
#define CD_NSS_H

#include <stddef.h>

#include "certdesk/error.h"

struct cd_nss_result {
	char nickname[256];
	char serial[80];	/* lower-case hex */
	char dbspec[1100];	/* "sql:/abs/dir" */
};

/*
 * Import the key and certificate(s) of the package p12 (len bytes,
 * protected by p12_password) into the store dbspec ("" or NULL =
 * sql:$HOME/.pki/nssdb; "sql:/dir" or a plain directory).  The directory
 * (0700) and the database are created if missing.  db_password (may be
 * NULL) unlocks a password-protected store.  nickname is the preferred
 * nickname.  res gets the nickname used and the serial of the (first)
 * certificate that has its key in the package.
 *
 * Errors: CD_E_AUTH (store password missing or wrong), CD_E_NSS (the
 * package password was not accepted, the import failed), CD_E_CONFIG
 * (bad dbspec), CD_E_IO, CD_E_INVAL.
 */
int cd_nss_import(const char *dbspec, const char *db_password,
    const unsigned char *p12, size_t len, const char *p12_password,
    const char *nickname, struct cd_nss_result *res, struct cd_err *err);

/* Resolve the spec to "sql:/abs/dir" (for audit/UI). */
int cd_nss_resolve(const char *dbspec, char *out, size_t outlen,
    struct cd_err *err);

/*
 * 1 if the DB exists and needs a password (so a UI can ask before
 * importing).
 */
int cd_nss_needs_password(const char *dbspec, int *out, struct cd_err *err);

#endif
