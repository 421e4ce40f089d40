/*
 * ca.h - the certificate authority interface.
 *
 * A backend is a const struct cd_ca_ops chosen by name from the
 * configuration ([general] ca = local).  The local CA keeps its key,
 * certificate and revocation list under DATADIR/ca; a remote CA protocol
 * can implement the same table.  The CA is the authority on revocation:
 * it keeps its own list of revoked serials and publishes the CRL.
 */
#ifndef CD_CA_H
#define CD_CA_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "conf.h"
#include "error.h"

struct cd_ca;

/* What the caller wants certified.  The CA picks the serial. */
struct cd_issue {
	EVP_PKEY *pubkey;		/* the subject's key (public part used) */
	X509_NAME *subject;
	GENERAL_NAMES *san;		/* may be NULL */
	unsigned key_usage;		/* CD_KU_* */
	unsigned ext_key_usage;		/* CD_EKU_* */
	int validity_days;
	int64_t not_before;		/* 0 = now */
};

/* How init creates or imports the CA. */
struct cd_ca_init {
	const char *common_name;	/* for a fresh CA; NULL = "certdesk CA" */
	const char *organisation;	/* may be NULL */
	enum cd_key_type key_type;	/* for a fresh CA */
	int validity_days;		/* for a fresh CA; 0 = 3650 */
	const char *import_cert;	/* PEM file, or NULL for a fresh CA */
	const char *import_key;		/* PEM file (unencrypted) */
};

/* CRL reason codes (RFC 5280). */
enum cd_crl_reason {
	CD_CRL_UNSPECIFIED = 0,
	CD_CRL_KEY_COMPROMISE = 1,
	CD_CRL_SUPERSEDED = 4,
	CD_CRL_CESSATION = 5
};

struct cd_ca_ops {
	const char *name;

	/* Create the CA under datadir (fails with CD_E_EXISTS if present). */
	int (*init)(const char *datadir, const struct cd_ca_init *how,
	    struct cd_err *err);
	int (*open)(const char *datadir, struct cd_ca **out,
	    struct cd_err *err);
	void (*close)(struct cd_ca *ca);

	/* Issue; *out is a new reference the caller frees. */
	int (*issue)(struct cd_ca *ca, const struct cd_issue *req, X509 **out,
	    struct cd_err *err);
	/* serial: lower-case hex.  Revoking twice is not an error. */
	int (*revoke)(struct cd_ca *ca, const char *serial, int reason,
	    int64_t when, struct cd_err *err);
	/* 1 if revoked, 0 if not */
	int (*is_revoked)(struct cd_ca *ca, const char *serial, int *out,
	    struct cd_err *err);
	/* A freshly signed CRL; caller frees with X509_CRL_free. */
	int (*crl)(struct cd_ca *ca, int64_t now, X509_CRL **out,
	    struct cd_err *err);
	/* Issuing chain, CA first-level first; borrowed, do not free. */
	const STACK_OF(X509) *(*chain)(struct cd_ca *ca);
};

extern const struct cd_ca_ops *const cd_ca_backends[];
const struct cd_ca_ops *cd_ca_find(const char *name);

extern const struct cd_ca_ops cd_ca_local_ops;

/* Serial of a certificate as lower-case hex (no leading zeros kept). */
void cd_x509_serial_hex(const X509 *x, char *buf, size_t len);
/* One-line RFC 2253 text of a name. */
void cd_x509_name_text(const X509_NAME *n, char *buf, size_t len);

#endif
