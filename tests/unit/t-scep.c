/* SPDX-License-Identifier: ISC */
/*
 * t-scep.c - the SCEP messages of scep.c against a CA played here with
 * OpenSSL: the algorithm choice from GetCACaps (AES/SHA-256 first, a CA
 * offering neither AES nor DES3 refused); a PKCSReq the CA can verify
 * and open (signed by the requester's self-signed certificate, the
 * transactionID and a fresh nonce, the CSR with the challenge); CertRep
 * answers: SUCCESS gives the certificate, PENDING and FAILURE (failInfo
 * named) are told apart, and an answer signed by another key, for
 * another transaction or without our nonce is refused.
 */
#include "config.h"

#include <string.h>

#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>

#include "ca.h"
#include "scep.h"
#include "tap.h"

static EVP_PKEY *
rsa(void)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
}

static X509 *
cert(EVP_PKEY *key, EVP_PKEY *signer, const char *cn, long serial)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, n);
	X509_set_pubkey(x, key);
	X509_sign(x, signer, EVP_sha256());
	X509_NAME_free(n);
	return x;
}

static int
nid(const char *oid)
{
	return OBJ_txt2nid(oid);
}

static void
add(PKCS7_SIGNER_INFO *si, const char *oid, int type, const void *v,
    int len)
{
	ASN1_STRING *s = ASN1_STRING_type_new(type);

	ASN1_STRING_set(s, v, len);
	PKCS7_add_signed_attribute(si, nid(oid), type, s);
}

/* A CertRep as a CA would send it (status "0", "2" or "3"). */
static unsigned char *
certrep(EVP_PKEY *cakey, X509 *cacert, const struct scep_tx *tx,
    const char *txid, const unsigned char *nonce, const char *status,
    X509 *issued, size_t *len)
{
	PKCS7 *deg = NULL, *env = NULL, *p7 = PKCS7_new();
	STACK_OF(X509) *to = sk_X509_new_null();
	unsigned char *degder = NULL, *envder = NULL, *out = NULL;
	PKCS7_SIGNER_INFO *si;
	BIO *in = NULL;
	int n = 0;

	if (issued != NULL) {
		deg = PKCS7_new();
		PKCS7_set_type(deg, NID_pkcs7_signed);
		PKCS7_content_new(deg, NID_pkcs7_data);
		PKCS7_add_certificate(deg, issued);
		n = i2d_PKCS7(deg, &degder);
		sk_X509_push(to, tx->signer);
		in = BIO_new_mem_buf(degder, n);
		env = PKCS7_encrypt(to, in, EVP_aes_128_cbc(), PKCS7_BINARY);
		BIO_free(in);
		n = i2d_PKCS7(env, &envder);
	}
	PKCS7_set_type(p7, NID_pkcs7_signed);
	PKCS7_content_new(p7, NID_pkcs7_data);
	si = PKCS7_sign_add_signer(p7, cacert, cakey, EVP_sha256(),
	    PKCS7_BINARY | PKCS7_NOSMIMECAP);
	add(si, "2.16.840.1.113733.1.9.2", V_ASN1_PRINTABLESTRING, "3", 1);
	add(si, "2.16.840.1.113733.1.9.3", V_ASN1_PRINTABLESTRING, status, 1);
	if (strcmp(status, "2") == 0)
		add(si, "2.16.840.1.113733.1.9.4", V_ASN1_PRINTABLESTRING,
		    "2", 1);
	add(si, "2.16.840.1.113733.1.9.6", V_ASN1_OCTET_STRING, nonce, 16);
	add(si, "2.16.840.1.113733.1.9.7", V_ASN1_PRINTABLESTRING, txid,
	    (int)strlen(txid));
	in = BIO_new_mem_buf(envder != NULL ? envder : (unsigned char *)"",
	    envder != NULL ? n : 0);
	PKCS7_final(p7, in, PKCS7_BINARY);
	*len = (size_t)i2d_PKCS7(p7, &out);
	BIO_free(in);
	OPENSSL_free(degder);
	OPENSSL_free(envder);
	PKCS7_free(deg);
	PKCS7_free(env);
	PKCS7_free(p7);
	sk_X509_free(to);
	return out;
}

static void
test_caps(void)
{
	struct scep_algs a;

	ok(scep_caps_algs("Renewal\nSHA-1\nSHA-256\nAES\nDES3\n"
	    "POSTPKIOperation\n", &a, NULL) == 0 &&
	    a.cipher == EVP_aes_128_cbc() && a.md == EVP_sha256() && a.post,
	    "caps: AES and SHA-256 chosen when offered, POST seen");
	ok(scep_caps_algs("DES3\r\nSHA-1\r\n", &a, NULL) == 0 &&
	    a.cipher == EVP_des_ede3_cbc() && a.md == EVP_sha1() && !a.post,
	    "caps: DES3 and SHA-1 only when nothing better is offered");
	ok(scep_caps_algs("SHA-256\n", &a, NULL) == CD_E_CA,
	    "caps: no AES nor DES3 is refused (no single DES)");
	ok(scep_caps_algs("AESX\nSHA-256\n", &a, NULL) == CD_E_CA,
	    "caps: whole lines only");
}

/* Open a PKCSReq as the CA: signature, attributes, CSR and challenge. */
static void
test_pkcsreq(EVP_PKEY *cakey, X509 *cacert, EVP_PKEY *key,
    struct scep_tx *tx)
{
	struct scep_algs a = { EVP_aes_128_cbc(), EVP_sha256(), 1 };
	unsigned char *der = NULL, buf[64];
	const unsigned char *p;
	X509_REQ *csr = X509_REQ_new(), *got = NULL;
	PKCS7 *p7 = NULL, *env = NULL;
	BIO *content = BIO_new(BIO_s_mem()), *plain = BIO_new(BIO_s_mem());
	PKCS7_SIGNER_INFO *si;
	ASN1_TYPE *t;
	X509_ATTRIBUTE *at;
	char *data;
	size_t len = 0;
	long n;
	int i;

	X509_REQ_set_pubkey(csr, key);
	X509_REQ_set_subject_name(csr, X509_get_subject_name(tx->signer));
	X509_REQ_sign(csr, key, EVP_sha256());
	ok(scep_pkcsreq(tx, csr, "s3cret", cacert, &a, &der, &len, NULL) == 0,
	    "PKCSReq built");
	p = der;
	p7 = d2i_PKCS7(NULL, &p, (long)len);
	ok(p7 != NULL && PKCS7_verify(p7, NULL, NULL, NULL, content,
	    PKCS7_NOVERIFY | PKCS7_BINARY),
	    "PKCSReq: signed by the certificate it carries");
	ok(p7 != NULL && X509_cmp(sk_X509_value(p7->d.sign->cert, 0),
	    tx->signer) == 0, "PKCSReq: the signer is the self-signed "
	    "certificate of the new key");
	si = sk_PKCS7_SIGNER_INFO_value(PKCS7_get_signer_info(p7), 0);
	t = PKCS7_get_signed_attribute(si, nid("2.16.840.1.113733.1.9.2"));
	ok(t != NULL && ASN1_STRING_length(t->value.asn1_string) == 2 &&
	    memcmp(ASN1_STRING_get0_data(t->value.asn1_string), "19", 2) == 0,
	    "PKCSReq: messageType 19");
	t = PKCS7_get_signed_attribute(si, nid("2.16.840.1.113733.1.9.7"));
	ok(t != NULL && strlen(tx->txid) == 64 &&
	    ASN1_STRING_length(t->value.asn1_string) == 64 &&
	    memcmp(ASN1_STRING_get0_data(t->value.asn1_string), tx->txid,
	    64) == 0, "PKCSReq: transactionID");
	t = PKCS7_get_signed_attribute(si, nid("2.16.840.1.113733.1.9.5"));
	ok(t != NULL && ASN1_STRING_length(t->value.asn1_string) == 16 &&
	    memcmp(ASN1_STRING_get0_data(t->value.asn1_string), tx->nonce,
	    16) == 0, "PKCSReq: senderNonce");
	env = d2i_PKCS7_bio(content, NULL);
	ok(env != NULL && PKCS7_type_is_enveloped(env) &&
	    PKCS7_decrypt(env, cakey, cacert, plain, 0),
	    "PKCSReq: the CA opens the envelope");
	n = BIO_get_mem_data(plain, &data);
	p = (const unsigned char *)data;
	got = d2i_X509_REQ(NULL, &p, n);
	ok(got != NULL && X509_REQ_verify(got, key) == 1,
	    "PKCSReq: the CSR is signed by the new key");
	i = got != NULL ? X509_REQ_get_attr_by_NID(got,
	    NID_pkcs9_challengePassword, -1) : -1;
	at = i >= 0 ? X509_REQ_get_attr(got, i) : NULL;
	t = at != NULL ? X509_ATTRIBUTE_get0_type(at, 0) : NULL;
	memset(buf, 0, sizeof(buf));
	if (t != NULL && ASN1_STRING_length(t->value.asn1_string) < 60)
		memcpy(buf, ASN1_STRING_get0_data(t->value.asn1_string),
		    (size_t)ASN1_STRING_length(t->value.asn1_string));
	is_str((char *)buf, "s3cret", "PKCSReq: the challengePassword");
	OPENSSL_free(der);
	X509_REQ_free(csr);
	X509_REQ_free(got);
	PKCS7_free(p7);
	PKCS7_free(env);
	BIO_free(content);
	BIO_free(plain);
}

static void
test_certrep(EVP_PKEY *cakey, X509 *cacert, EVP_PKEY *key,
    const struct scep_tx *tx)
{
	STACK_OF(X509) *cas = sk_X509_new_null();
	EVP_PKEY *other = rsa();
	X509 *issued = cert(key, cakey, "Susan Smith", 42), *out = NULL;
	X509 *fake = cert(other, other, "SCEP CA", 1);
	unsigned char *der, bad[16];
	struct cd_err err;
	size_t len;
	int r;

	sk_X509_push(cas, cacert);
	der = certrep(cakey, cacert, tx, tx->txid, tx->nonce, "0", issued,
	    &len);
	r = scep_certrep(tx, der, len, cas, &out, &err);
	ok(r == 0 && out != NULL && X509_cmp(out, issued) == 0,
	    "CertRep SUCCESS: the certificate for our key");
	X509_free(out);
	out = NULL;
	OPENSSL_free(der);
	der = certrep(cakey, cacert, tx, tx->txid, tx->nonce, "3", NULL, &len);
	is_int(scep_certrep(tx, der, len, cas, &out, &err), CD_CA_PENDING,
	    "CertRep PENDING");
	OPENSSL_free(der);
	der = certrep(cakey, cacert, tx, tx->txid, tx->nonce, "2", NULL, &len);
	r = scep_certrep(tx, der, len, cas, &out, &err);
	ok(r == CD_E_CA && strstr(err.msg, "FAILURE, failInfo badRequest"),
	    "CertRep FAILURE: the failInfo named (%s)", err.msg);
	OPENSSL_free(der);
	der = certrep(other, fake, tx, tx->txid, tx->nonce, "0", issued, &len);
	r = scep_certrep(tx, der, len, cas, &out, &err);
	ok(r == CD_E_CA && strstr(err.msg, "not signed by the CA"),
	    "CertRep signed by another key: refused (%s)", err.msg);
	OPENSSL_free(der);
	der = certrep(cakey, cacert, tx, "0123abcd", tx->nonce, "0", issued,
	    &len);
	r = scep_certrep(tx, der, len, cas, &out, &err);
	ok(r == CD_E_CA && strstr(err.msg, "another transaction"),
	    "CertRep for another transaction: refused");
	OPENSSL_free(der);
	memcpy(bad, tx->nonce, sizeof(bad));
	bad[0] ^= 1;
	der = certrep(cakey, cacert, tx, tx->txid, bad, "0", issued, &len);
	r = scep_certrep(tx, der, len, cas, &out, &err);
	ok(r == CD_E_CA && strstr(err.msg, "nonce"),
	    "CertRep without our nonce: refused");
	OPENSSL_free(der);
	r = scep_certrep(tx, (const unsigned char *)"junk", 4, cas, &out,
	    &err);
	ok(r == CD_E_CA && out == NULL, "junk: refused");
	X509_free(issued);
	X509_free(fake);
	EVP_PKEY_free(other);
	sk_X509_free(cas);
}

int
main(void)
{
	EVP_PKEY *cakey = rsa(), *key = rsa();
	X509 *cacert = cert(cakey, cakey, "SCEP CA", 1);
	X509_NAME *subj = X509_NAME_new();
	struct scep_tx tx;

	X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_ASC,
	    (const unsigned char *)"Susan Smith", -1, -1, 0);
	test_caps();
	ok(scep_tx_init(&tx, key, subj, EVP_sha256(), NULL) == 0,
	    "a transaction: self-signed certificate and transactionID");
	test_pkcsreq(cakey, cacert, key, &tx);
	test_certrep(cakey, cacert, key, &tx);
	scep_tx_clear(&tx);
	X509_NAME_free(subj);
	X509_free(cacert);
	EVP_PKEY_free(cakey);
	EVP_PKEY_free(key);
	return done_testing();
}
