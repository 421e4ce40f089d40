/* SPDX-License-Identifier: ISC */
/*
 * ossl-loop.c - the lower bound for one collection: the OpenSSL calls
 * certdesk makes for one certificate, in a tight loop in one process.
 *
 *   EVP keygen, X509 build with certdesk's extensions, signed with the CA
 *   key (SHA-384 for an EC P-384 CA, as ca-local.c), PKCS12_create_ex +
 *   PKCS12_set_mac with the same PBE, MAC digest and iteration counts as
 *   pkcs12.c, DER encoding, and an atomic file write (temporary file,
 *   fsync, rename, fsync of the folder) as util.c's cd_write_atomic.
 *
 * With -r it also reads every package back in full (MAC, parse,
 * key/certificate match), as certdesk does with [security] readback =
 * full; the default read-back (MAC and layout) is not in the loop.
 *
 * usage: ossl-loop -k ec-p256|rsa2048|rsa3072 -n N -C ca.crt -K ca.key
 *            -d DIR [-l] [-i ITER] [-m MAC_ITER] [-r]
 * Prints "per_cert_ms MEDIAN MEAN" and "total_s S".
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <sys/stat.h>

#include "stats.h"

#define PASSWORD "Bench-Passw0rd"

struct opts {
	const char *key;
	const char *ca_cert;
	const char *ca_key;
	const char *dir;
	int n;
	int legacy;
	int iter;
	int mac_iter;
	int readback;
};

struct ca {
	EVP_PKEY *key;
	X509 *cert;
};

static EVP_PKEY *
keygen(const char *type)
{
	if (strcmp(type, "ec-p256") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (strcmp(type, "rsa2048") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	if (strcmp(type, "rsa3072") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072);
	return NULL;
}

static int
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

static int
set_serial(X509 *x)
{
	unsigned char buf[16];
	BIGNUM *bn;
	int ok;

	if (RAND_bytes(buf, sizeof(buf)) != 1)
		return 0;
	buf[0] = (unsigned char)((buf[0] & 0x7f) | 0x40);
	if ((bn = BN_bin2bn(buf, sizeof(buf), NULL)) == NULL)
		return 0;
	ok = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
	BN_free(bn);
	return ok;
}

static const EVP_MD *
sign_md(EVP_PKEY *key)
{
	return EVP_PKEY_get_bits(key) > 256 && EVP_PKEY_is_a(key, "EC") ?
	    EVP_sha384() : EVP_sha256();
}

/* The subject, validity and extensions certdesk gives a signing cert. */
static X509 *
issue(const struct ca *ca, EVP_PKEY *pub)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	int ok;

	ok = x != NULL && name != NULL &&
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)"Susan Smith", -1, -1, 0) &&
	    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
	    (const unsigned char *)"Bench Ltd", -1, -1, 0) &&
	    X509_set_version(x, 2) && set_serial(x) &&
	    X509_set_issuer_name(x, X509_get_subject_name(ca->cert)) &&
	    X509_set_subject_name(x, name) &&
	    X509_gmtime_adj(X509_getm_notBefore(x), 0) &&
	    X509_gmtime_adj(X509_getm_notAfter(x), 365L * 86400) &&
	    X509_set_pubkey(x, pub) &&
	    add_ext(x, ca->cert, NID_basic_constraints, "critical,CA:FALSE") &&
	    add_ext(x, ca->cert, NID_key_usage,
	    "critical,digitalSignature,nonRepudiation") &&
	    add_ext(x, ca->cert, NID_ext_key_usage,
	    "clientAuth,emailProtection") &&
	    add_ext(x, ca->cert, NID_subject_key_identifier, "hash") &&
	    add_ext(x, ca->cert, NID_authority_key_identifier,
	    "keyid,issuer") &&
	    add_ext(x, ca->cert, NID_subject_alt_name,
	    "email:susan.smith@example.com") &&
	    X509_sign(x, ca->key, sign_md(ca->key)) > 0;
	X509_NAME_free(name);
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* PKCS12_create_ex without MAC, then the pinned-digest MAC: pkcs12.c. */
static int
package(const struct opts *o, const struct ca *ca, EVP_PKEY *key, X509 *x,
    unsigned char **der)
{
	STACK_OF(X509) *chain = sk_X509_new_null();
	PKCS12 *p12 = NULL;
	int nid, n = -1;

	nid = o->legacy ? NID_pbe_WithSHA1And3_Key_TripleDES_CBC :
	    NID_aes_256_cbc;
	if (chain == NULL || !sk_X509_push(chain, ca->cert))
		goto out;
	p12 = PKCS12_create_ex(PASSWORD, "Susan Smith - Signing", key, x,
	    chain, nid, nid, o->iter, -1, 0, NULL, NULL);
	if (p12 == NULL || PKCS12_set_mac(p12, PASSWORD, -1, NULL, 0,
	    o->mac_iter, o->legacy ? EVP_sha1() : EVP_sha256()) != 1)
		goto out;
	n = i2d_PKCS12(p12, der);
out:
	sk_X509_free(chain);
	PKCS12_free(p12);
	return n;
}

/* What cd_p12_verify does with a fresh package. */
static int
readback(const unsigned char *der, int len, X509 *expect)
{
	const unsigned char *p = der;
	PKCS12 *p12 = d2i_PKCS12(NULL, &p, len);
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	STACK_OF(X509) *ca = NULL;
	int ok;

	ok = p12 != NULL && PKCS12_verify_mac(p12, PASSWORD, -1) == 1 &&
	    PKCS12_parse(p12, PASSWORD, &key, &cert, &ca) == 1 &&
	    key != NULL && cert != NULL &&
	    X509_check_private_key(cert, key) == 1 && X509_cmp(cert, expect) == 0;
	EVP_PKEY_free(key);
	X509_free(cert);
	sk_X509_pop_free(ca, X509_free);
	PKCS12_free(p12);
	return ok ? 0 : -1;
}

/* Temporary file, fsync, rename, fsync the folder: cd_write_atomic. */
static int
write_atomic(const char *dir, const unsigned char *data, int len)
{
	char tmp[4096], dst[4096];
	int fd, dfd, r = -1;

	snprintf(tmp, sizeof(tmp), "%s/.Susan.Smith Signing.pfx.XXXXXX", dir);
	snprintf(dst, sizeof(dst), "%s/Susan.Smith Signing.pfx", dir);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1)
		return -1;
	if (fchmod(fd, 0600) == -1 || write(fd, data, (size_t)len) != len ||
	    fsync(fd) == -1) {
		close(fd);
		goto out;
	}
	if (close(fd) == -1 || rename(tmp, dst) == -1)
		goto out;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		goto out;
	r = fsync(dfd);
	close(dfd);
out:
	unlink(tmp);
	return r;
}

static int
one_cert(const struct opts *o, const struct ca *ca)
{
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	unsigned char *der = NULL;
	int len = 0, r = -1;

	if ((key = keygen(o->key)) == NULL || (x = issue(ca, key)) == NULL)
		goto out;
	if ((len = package(o, ca, key, x, &der)) <= 0)
		goto out;
	if (o->readback && readback(der, len, x) != 0)
		goto out;
	r = write_atomic(o->dir, der, len);
out:
	OPENSSL_clear_free(der, len > 0 ? (size_t)len : 0);
	X509_free(x);
	EVP_PKEY_free(key);
	return r;
}

static int
load_ca(const struct opts *o, struct ca *ca)
{
	FILE *f;

	if ((f = fopen(o->ca_key, "r")) == NULL)
		return -1;
	ca->key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if ((f = fopen(o->ca_cert, "r")) == NULL)
		return -1;
	ca->cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	return ca->key != NULL && ca->cert != NULL ? 0 : -1;
}

static int
parse(int argc, char **argv, struct opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->n = 20;
	o->iter = 10000;
	o->mac_iter = 2048;
	while ((ch = getopt(argc, argv, "k:n:C:K:d:li:m:r")) != -1) {
		switch (ch) {
		case 'k': o->key = optarg; break;
		case 'n': o->n = atoi(optarg); break;
		case 'C': o->ca_cert = optarg; break;
		case 'K': o->ca_key = optarg; break;
		case 'd': o->dir = optarg; break;
		case 'l': o->legacy = 1; break;
		case 'i': o->iter = atoi(optarg); break;
		case 'm': o->mac_iter = atoi(optarg); break;
		case 'r': o->readback = 1; break;
		default: return -1;
		}
	}
	return o->key && o->ca_cert && o->ca_key && o->dir && o->n > 0 ?
	    0 : -1;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct ca ca = { NULL, NULL };
	double *ms = NULL, t0, sum = 0, start;
	int i, rc = 1;

	if (parse(argc, argv, &o) != 0) {
		fputs("usage: ossl-loop -k ec-p256|rsa2048|rsa3072 -n N "
		    "-C ca.crt -K ca.key -d DIR [-l] [-i ITER] [-m MAC_ITER] "
		    "[-r]\n", stderr);
		return 2;
	}
	if (load_ca(&o, &ca) != 0 || (ms = calloc((size_t)o.n,
	    sizeof(*ms))) == NULL) {
		fputs("ossl-loop: cannot load the CA\n", stderr);
		goto out;
	}
	start = now_ms();
	for (i = 0; i < o.n; i++) {
		t0 = now_ms();
		if (one_cert(&o, &ca) != 0) {
			ERR_print_errors_fp(stderr);
			goto out;
		}
		ms[i] = now_ms() - t0;
		sum += ms[i];
	}
	qsort(ms, (size_t)o.n, sizeof(*ms), cmp_double);
	printf("per_cert_ms %.3f %.3f\ntotal_s %.3f\n", ms[o.n / 2],
	    sum / o.n, (now_ms() - start) / 1e3);
	rc = 0;
out:
	free(ms);
	EVP_PKEY_free(ca.key);
	X509_free(ca.cert);
	return rc;
}
