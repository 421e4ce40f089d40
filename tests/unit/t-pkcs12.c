/* SPDX-License-Identifier: ISC */
/*
 * t-pkcs12.c - building PKCS#12 packages and reading them back
 * (pkcs12.c) in both profiles and both read-back modes: a good package
 * passes; a wrong password, a truncated or extended encoding, a package
 * of the other profile and (in full mode) a package holding another
 * certificate are refused.
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pkcs12.h"
#include "tap.h"

static EVP_PKEY *
ec_key(void)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

/* A self-signed certificate for key. */
static X509 *
self_cert(EVP_PKEY *key, const char *cn)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, n);
	X509_set_pubkey(x, key);
	X509_sign(x, key, EVP_sha256());
	X509_NAME_free(n);
	return x;
}

static void
profile(int legacy)
{
	struct cd_p12_params p = { legacy, 1000, 1000 };
	struct cd_p12_params other = { !legacy, 1000, 1000 };
	EVP_PKEY *key = ec_key(), *key2 = ec_key();
	X509 *cert = self_cert(key, "one"), *cert2 = self_cert(key2, "two");
	unsigned char *der = NULL, *big;
	const char *name = legacy ? "legacy" : "modern";
	struct cd_err err;
	size_t len = 0;

	is_int(cd_p12_build(key, cert, NULL, "one", "Pa55-word", &p, &der,
	    &len, &err), 0, "%s: built", name);
	is_int(cd_p12_verify(der, len, "Pa55-word", cert, &p, 0, &err), 0,
	    "%s: reads back (MAC and layout)", name);
	is_int(cd_p12_verify(der, len, "Pa55-word", cert, &p, 1, &err), 0,
	    "%s: reads back in full", name);
	ok(cd_p12_verify(der, len, "Pa55-worD", cert, &p, 0, &err) != 0,
	    "%s: a wrong password is refused", name);
	like(err.msg, "MAC does not verify", "%s: ... by the MAC", name);
	ok(cd_p12_verify(der, len - 1, "Pa55-word", cert, &p, 0, &err) != 0,
	    "%s: a truncated package is refused", name);
	big = OPENSSL_malloc(len + 1);
	memcpy(big, der, len);
	big[len] = 0;
	ok(cd_p12_verify(big, len + 1, "Pa55-word", cert, &p, 0, &err) != 0,
	    "%s: trailing bytes are refused", name);
	OPENSSL_free(big);
	ok(cd_p12_verify(der, len, "Pa55-word", cert, &other, 0, &err) != 0,
	    "%s: the other profile's encryption is refused", name);
	like(err.msg, "encrypted as configured", "%s: ... saying so", name);
	ok(cd_p12_verify(der, len, "Pa55-word", cert2, &p, 1, &err) != 0,
	    "%s: full read-back refuses another certificate", name);
	OPENSSL_clear_free(der, len);
	X509_free(cert);
	X509_free(cert2);
	EVP_PKEY_free(key);
	EVP_PKEY_free(key2);
}

int
main(void)
{
	profile(0);
	profile(1);
	return done_testing();
}
