/* SPDX-License-Identifier: ISC */
/*
 * pkcs12.h - password-protected PKCS#12 packages: one key, its
 * certificate and the CA chain, in the modern or the legacy profile.
 */
#ifndef CD_PKCS12_H
#define CD_PKCS12_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "certdesk/error.h"

struct cd_p12_params {
	/*
	 * 0: AES-256-CBC with PBES2/PBKDF2-HMAC-SHA256 for key and
	 *    certificates, HMAC-SHA256 MAC;
	 * 1: pbeWithSHA1And3-KeyTripleDES-CBC for both, HMAC-SHA1 MAC.
	 */
	int legacy;
	int iter;			/* key and certificate encryption */
	int mac_iter;
};

/*
 * Build the DER package; friendlyName on the key and certificate bags,
 * localKeyID = SHA-1 of the DER certificate.  *der is OPENSSL_malloc'd:
 * free it with OPENSSL_clear_free.
 */
int cd_p12_build(EVP_PKEY *key, X509 *cert, const STACK_OF(X509) *chain,
    const char *friendly, const char *password,
    const struct cd_p12_params *p, unsigned char **der, size_t *len,
    struct cd_err *err);

/*
 * Read a package back.  Always: it decodes, its MAC verifies with the
 * password (the same password conversion a reader makes), and it holds
 * one shrouded key bag and the certificates, encrypted as p says.  With
 * full set it is also decrypted: the key matches its certificate and the
 * certificate is expect_cert (twice the key-derivation work again).
 */
int cd_p12_verify(const unsigned char *der, size_t len,
    const char *password, const X509 *expect_cert,
    const struct cd_p12_params *p, int full, struct cd_err *err);

#endif
