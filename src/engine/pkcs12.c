/*
 * pkcs12.c - writing and reading back PKCS#12 packages with OpenSSL 3.
 *
 * The MAC digest is always set explicitly (PKCS12_set_mac) so the result
 * does not depend on library defaults; 3DES and PKCS12KDF live in the
 * default provider, so the legacy profile needs no legacy provider.
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>

#include "pkcs12.h"

int
cd_p12_build(EVP_PKEY *key, X509 *cert, const STACK_OF(X509) *chain,
    const char *friendly, const char *password,
    const struct cd_p12_params *p, unsigned char **der, size_t *len,
    struct cd_err *err)
{
	STACK_OF(X509) *ca = NULL;
	PKCS12 *p12 = NULL;
	unsigned char *buf = NULL;
	int nid, n, i, r = CD_E_CRYPTO;

	*der = NULL;
	*len = 0;
	nid = p->legacy ? NID_pbe_WithSHA1And3_Key_TripleDES_CBC :
	    NID_aes_256_cbc;
	if ((ca = sk_X509_new_null()) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	for (i = 0; chain != NULL && i < sk_X509_num(chain); i++)
		if (!sk_X509_push(ca, sk_X509_value(chain, i)))
			goto out;
	/* mac_iter -1: no MAC yet; it is set below with a pinned digest */
	p12 = PKCS12_create_ex(password, friendly, key, cert, ca, nid, nid,
	    p->iter, -1, 0, NULL, NULL);
	if (p12 == NULL) {
		cd_err_ssl(err, r, "cannot build the PKCS#12 package");
		goto out;
	}
	if (PKCS12_set_mac(p12, password, -1, NULL, 0, p->mac_iter,
	    p->legacy ? EVP_sha1() : EVP_sha256()) != 1) {
		cd_err_ssl(err, r, "cannot add the PKCS#12 MAC");
		goto out;
	}
	if ((n = i2d_PKCS12(p12, &buf)) <= 0) {
		cd_err_ssl(err, r, "cannot encode the PKCS#12 package");
		goto out;
	}
	*der = buf;
	*len = (size_t)n;
	r = 0;
out:
	sk_X509_free(ca);
	PKCS12_free(p12);
	return r;
}

int
cd_p12_verify(const unsigned char *der, size_t len, const char *password,
    const X509 *expect_cert, struct cd_err *err)
{
	const unsigned char *p = der;
	PKCS12 *p12 = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	STACK_OF(X509) *ca = NULL;
	int r = CD_E_CRYPTO;

	if ((p12 = d2i_PKCS12(NULL, &p, (long)len)) == NULL) {
		cd_err_ssl(err, r, "the package cannot be decoded");
		goto out;
	}
	if (PKCS12_verify_mac(p12, password, -1) != 1) {
		cd_err_ssl(err, r, "the package MAC does not verify");
		goto out;
	}
	if (PKCS12_parse(p12, password, &key, &cert, &ca) != 1 ||
	    key == NULL || cert == NULL) {
		cd_err_ssl(err, r, "the package does not hold a key and a "
		    "certificate");
		goto out;
	}
	if (X509_check_private_key(cert, key) != 1) {
		cd_err_ssl(err, r, "the key does not match the certificate");
		goto out;
	}
	if (expect_cert != NULL && X509_cmp(cert, expect_cert) != 0) {
		r = cd_err_set(err, r, "the package holds another certificate");
		goto out;
	}
	r = 0;
out:
	ERR_clear_error();
	EVP_PKEY_free(key);
	X509_free(cert);
	sk_X509_pop_free(ca, X509_free);
	PKCS12_free(p12);
	return r;
}
