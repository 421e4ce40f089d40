/* SPDX-License-Identifier: ISC */
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
#include <openssl/pkcs7.h>

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

/* Is alg the bag encryption p asks for? */
static int
bag_alg_ok(const X509_ALGOR *alg, const struct cd_p12_params *p)
{
	const ASN1_OBJECT *obj;

	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	return OBJ_obj2nid(obj) == (p->legacy ?
	    NID_pbe_WithSHA1And3_Key_TripleDES_CBC : NID_pbes2);
}

/* Key bags in a plain (data) safe, each encrypted as p says; -1 if not. */
static int
count_key_bags(PKCS7 *p7, const struct cd_p12_params *p)
{
	STACK_OF(PKCS12_SAFEBAG) *bags;
	const X509_ALGOR *alg;
	int i, n = 0;

	if ((bags = PKCS12_unpack_p7data(p7)) == NULL)
		return -1;
	for (i = 0; i < sk_PKCS12_SAFEBAG_num(bags) && n >= 0; i++) {
		const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);

		if (PKCS12_SAFEBAG_get_nid(bag) != NID_pkcs8ShroudedKeyBag) {
			n = -1;
			break;
		}
		X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &alg, NULL);
		n = bag_alg_ok(alg, p) ? n + 1 : -1;
	}
	sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	return n;
}

/*
 * The layout cd_p12_build makes: one safe holding one shrouded key bag
 * and one encrypted safe (the certificates), both encrypted as p says.
 */
static int
check_layout(PKCS12 *p12, const struct cd_p12_params *p)
{
	STACK_OF(PKCS7) *safes;
	int i, keys = 0, certs = 0, ok = 1;

	if ((safes = PKCS12_unpack_authsafes(p12)) == NULL)
		return 0;
	for (i = 0; i < sk_PKCS7_num(safes) && ok; i++) {
		PKCS7 *p7 = sk_PKCS7_value(safes, i);
		int n;

		switch (OBJ_obj2nid(p7->type)) {
		case NID_pkcs7_data:
			if ((n = count_key_bags(p7, p)) < 0)
				ok = 0;
			keys += n;
			break;
		case NID_pkcs7_encrypted:
			ok = p7->d.encrypted != NULL && bag_alg_ok(
			    p7->d.encrypted->enc_data->algorithm, p);
			certs++;
			break;
		default:
			ok = 0;
		}
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
	return ok && keys == 1 && certs == 1;
}

/* Decrypt everything: a key matching its certificate, expect_cert. */
static int
check_contents(PKCS12 *p12, const char *password, const X509 *expect_cert,
    struct cd_err *err)
{
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	STACK_OF(X509) *ca = NULL;
	int r = CD_E_CRYPTO;

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
	EVP_PKEY_free(key);
	X509_free(cert);
	sk_X509_pop_free(ca, X509_free);
	return r;
}

int
cd_p12_verify(const unsigned char *der, size_t len, const char *password,
    const X509 *expect_cert, const struct cd_p12_params *p, int full,
    struct cd_err *err)
{
	const unsigned char *q = der;
	PKCS12 *p12 = NULL;
	int r = CD_E_CRYPTO;

	if ((p12 = d2i_PKCS12(NULL, &q, (long)len)) == NULL ||
	    q != der + len) {
		cd_err_ssl(err, r, "the package cannot be decoded");
		goto out;
	}
	if (PKCS12_verify_mac(p12, password, -1) != 1) {
		cd_err_ssl(err, r, "the package MAC does not verify");
		goto out;
	}
	if (!check_layout(p12, p)) {
		r = cd_err_set(err, r, "the package does not hold one key and "
		    "its certificates encrypted as configured");
		goto out;
	}
	r = full ? check_contents(p12, password, expect_cert, err) : 0;
out:
	ERR_clear_error();
	PKCS12_free(p12);
	return r;
}
