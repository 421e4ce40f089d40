/* SPDX-License-Identifier: ISC */
/*
 * ca-int.h - what the CA backends that sign themselves share (ca-util.c):
 * certificate building and signing with any EVP_PKEY (a file key or a
 * token's), PEM files, secrets read from a file or a systemd credential,
 * and the revocation list and CRLs kept under a CA directory:
 *
 *   DIR/revoked    "serial epoch reason" lines
 *   DIR/crlnumber  the last CRL number
 *   DIR/lock       flock() serialises updates across processes
 */
#ifndef CD_CA_INT_H
#define CD_CA_INT_H

#include <sys/types.h>

#include "ca.h"

/* Add an extension in openssl.cnf syntax; 1 on success. */
int cd_cau_add_ext(X509 *x, X509 *issuer, int nid, const char *value);
/* The digest to sign with key. */
const EVP_MD *cd_cau_md(EVP_PKEY *key);

/*
 * A CA certificate for pub named by how (common_name, organisation,
 * validity_days), signed by signer as issuer (NULL: self-signed with
 * key); path_len >= 0 adds pathlen:N to basicConstraints.
 */
int cd_cau_ca_cert(const struct cd_ca_init *how, const char *cn,
    EVP_PKEY *pub, EVP_PKEY *key, X509 *issuer, int path_len, X509 **out,
    struct cd_err *err);
/* Certify pub with the policy's parameters, signed by key as cacert. */
int cd_cau_sign(X509 *cacert, EVP_PKEY *key, EVP_PKEY *pub,
    const struct cd_issue *p, X509 **out, struct cd_err *err);

/* Every certificate of a PEM file (at least one, else CD_E_CA). */
int cd_cau_read_certs(const char *path, STACK_OF(X509) **out,
    struct cd_err *err);
/*
 * Write key (PEM PKCS#8; encrypted with AES-256 when pass is not NULL)
 * and/or certs as dir/name with mode.  excl: never replace a file.
 */
int cd_cau_write_pem(const char *dir, const char *name, EVP_PKEY *key,
    const char *pass, const STACK_OF(X509) *certs, mode_t mode, int excl,
    struct cd_err *err);

/*
 * A secret (a passphrase or a PIN) from file, or from the systemd
 * credential cred ($CREDENTIALS_DIRECTORY/cred); what names it in
 * messages is what.  The trailing newline is dropped.  *out is secret
 * memory: free with cd_secret_free(*out, *len).
 */
int cd_cau_secret(const char *file, const char *cred, const char *what,
    char **out, size_t *len, struct cd_err *err);

/* The revocation list and CRLs kept under dir. */
int cd_cau_revoke(const char *dir, const char *serial, int reason,
    int64_t when, struct cd_err *err);
int cd_cau_is_revoked(const char *dir, const char *serial, int *out,
    struct cd_err *err);
int cd_cau_crl(const char *dir, X509 *cacert, EVP_PKEY *key, int64_t now,
    int64_t next, X509_CRL **out, struct cd_err *err);
/* Release a certificateHold (CD_E_STATE for any other reason). */
int cd_cau_unrevoke(const char *dir, const char *serial, struct cd_err *err);

#endif
