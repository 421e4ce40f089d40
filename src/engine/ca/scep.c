/* SPDX-License-Identifier: ISC */
/*
 * scep.c - SCEP (RFC 8894) messages with OpenSSL's PKCS#7: GetCACaps
 * algorithm choice, GetCACert parsing, PKCSReq and CertPoll built as
 * signedData over envelopedData, and CertRep verified (signer among the
 * CA's certificates, transactionID, recipientNonce) and opened.  No
 * network here: ca-scep.c carries the messages.
 */
#include "config.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include "ca.h"
#include "scep.h"
#include "util.h"

/* The SCEP signed attributes (id-VeriSign 1.9.x). */
enum { A_MSGTYPE, A_STATUS, A_FAILINFO, A_SNONCE, A_RNONCE, A_TXID, A_N };
static const char *const attr_oid[A_N] = {
	"2.16.840.1.113733.1.9.2", "2.16.840.1.113733.1.9.3",
	"2.16.840.1.113733.1.9.4", "2.16.840.1.113733.1.9.5",
	"2.16.840.1.113733.1.9.6", "2.16.840.1.113733.1.9.7"
};
static const char *const attr_sn[A_N] = {
	"scep-messageType", "scep-pkiStatus", "scep-failInfo",
	"scep-senderNonce", "scep-recipientNonce", "scep-transactionID"
};
static int attr_nid[A_N];
static CRYPTO_ONCE attr_once = CRYPTO_ONCE_STATIC_INIT;

/*
 * CAs such as scepserver encrypt their answer with single DES, which
 * OpenSSL 3 keeps in its legacy provider: answers are decrypted in a
 * library context of their own with the default and legacy providers,
 * so that the rest of the process never uses legacy algorithms.  The
 * answer carries only the public certificate; its integrity comes from
 * the CA's signature, checked first.
 */
static OSSL_LIB_CTX *rep_ctx;
static CRYPTO_ONCE rep_once = CRYPTO_ONCE_STATIC_INIT;

static void
rep_ctx_init(void)
{
	if ((rep_ctx = OSSL_LIB_CTX_new()) == NULL)
		return;
	if (OSSL_PROVIDER_load(rep_ctx, "default") == NULL) {
		OSSL_LIB_CTX_free(rep_ctx);
		rep_ctx = NULL;
		return;
	}
	/* without it, AES and DES3 answers still open */
	OSSL_PROVIDER_load(rep_ctx, "legacy");
	ERR_clear_error();
}

#define MSG_CERTREP "3"
#define MSG_PKCSREQ "19"
#define MSG_CERTPOLL "20"

static void
attr_init(void)
{
	int i, nid;

	for (i = 0; i < A_N; i++) {
		if ((nid = OBJ_txt2nid(attr_oid[i])) == NID_undef)
			nid = OBJ_create(attr_oid[i], attr_sn[i], attr_sn[i]);
		attr_nid[i] = nid;
	}
}

static int
attrs_ready(struct cd_err *err)
{
	int i;

	if (!CRYPTO_THREAD_run_once(&attr_once, attr_init))
		return cd_err_ssl(err, CD_E_CRYPTO, "SCEP attributes");
	for (i = 0; i < A_N; i++)
		if (attr_nid[i] == NID_undef)
			return cd_err_ssl(err, CD_E_CRYPTO, "SCEP attributes");
	return 0;
}

/* Does the caps text have this capability on a line of its own? */
static int
has_cap(const char *caps, const char *cap)
{
	size_t n = strlen(cap);
	const char *p = caps;

	while (p != NULL && *p != '\0') {
		if (strncasecmp(p, cap, n) == 0 && (p[n] == '\0' ||
		    p[n] == '\r' || p[n] == '\n'))
			return 1;
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return 0;
}

int
scep_caps_algs(const char *caps, struct scep_algs *a, struct cd_err *err)
{
	memset(a, 0, sizeof(*a));
	if (has_cap(caps, "AES"))
		a->cipher = EVP_aes_128_cbc();
	else if (has_cap(caps, "DES3"))
		a->cipher = EVP_des_ede3_cbc();
	if (has_cap(caps, "SHA-256") || has_cap(caps, "SCEPStandard"))
		a->md = EVP_sha256();
	else if (has_cap(caps, "SHA-1"))
		a->md = EVP_sha1();
	a->post = has_cap(caps, "POSTPKIOperation");
	if (a->cipher == NULL)
		return cd_err_set(err, CD_E_CA, "the SCEP CA offers neither AES "
		    "nor DES3 (GetCACaps); certdesk will not use single DES");
	if (a->md == NULL)
		return cd_err_set(err, CD_E_CA, "the SCEP CA offers neither "
		    "SHA-256 nor SHA-1 (GetCACaps); certdesk will not use MD5");
	return 0;
}

/* A certificate messages may be encrypted to: keyEncipherment or none. */
static int
can_encrypt(X509 *x)
{
	uint32_t ku = X509_get_key_usage(x);

	return ku == UINT32_MAX || (ku & KU_KEY_ENCIPHERMENT);
}

int
scep_parse_cacert(const unsigned char *der, size_t len,
    STACK_OF(X509) **certs, X509 **recip, struct cd_err *err)
{
	const unsigned char *p = der;
	STACK_OF(X509) *sk = NULL;
	PKCS7 *p7 = NULL;
	X509 *x;
	int i, r = CD_E_CA;

	*certs = NULL;
	*recip = NULL;
	if ((sk = sk_X509_new_null()) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((x = d2i_X509(NULL, &p, (long)len)) != NULL) {
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			goto fail;
		}
	} else {
		p = der;
		if ((p7 = d2i_PKCS7(NULL, &p, (long)len)) == NULL ||
		    !PKCS7_type_is_signed(p7) || p7->d.sign->cert == NULL) {
			cd_err_ssl(err, CD_E_CA, "the SCEP CA's GetCACert "
			    "answer is neither a certificate nor a PKCS#7 "
			    "certificate list");
			goto fail;
		}
		for (i = 0; i < sk_X509_num(p7->d.sign->cert); i++) {
			x = sk_X509_value(p7->d.sign->cert, i);
			if (!X509_up_ref(x))
				goto fail;
			/* the CA (self-issued, or CA:TRUE) first */
			if (!sk_X509_insert(sk, x, X509_check_ca(x) ? 0 : -1)) {
				X509_free(x);
				goto fail;
			}
		}
	}
	if (sk_X509_num(sk) == 0) {
		cd_err_set(err, CD_E_CA, "the SCEP CA sent no certificate");
		goto fail;
	}
	for (i = sk_X509_num(sk) - 1; i >= 0 && *recip == NULL; i--)
		if (can_encrypt(sk_X509_value(sk, i)))
			*recip = sk_X509_value(sk, i);
	if (*recip == NULL)
		*recip = sk_X509_value(sk, 0);
	*certs = sk;
	sk = NULL;
	r = 0;
fail:
	if (r != 0 && err != NULL && err->code == 0)
		cd_err_set(err, CD_E_NOMEM, NULL);
	PKCS7_free(p7);
	sk_X509_pop_free(sk, X509_free);
	return r;
}

int
scep_tx_init(struct scep_tx *tx, EVP_PKEY *key, const X509_NAME *subject,
    const EVP_MD *md, struct cd_err *err)
{
	unsigned char *spki = NULL, hash[32], serial[8];
	X509 *x = NULL;
	BIGNUM *bn = NULL;
	int n, r = CD_E_CRYPTO;

	memset(tx, 0, sizeof(*tx));
	if ((n = i2d_PUBKEY(key, &spki)) <= 0 ||
	    !EVP_Digest(spki, (size_t)n, hash, NULL, EVP_sha256(), NULL))
		goto out;
	cd_hex(hash, sizeof(hash), tx->txid);
	if (RAND_bytes(serial, sizeof(serial)) != 1)
		goto out;
	serial[0] &= 0x7f;
	if ((x = X509_new()) == NULL || !X509_set_version(x, 2) ||
	    (bn = BN_bin2bn(serial, sizeof(serial), NULL)) == NULL ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL ||
	    !X509_set_subject_name(x, subject) ||
	    !X509_set_issuer_name(x, subject) ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -300) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 86400) == NULL ||
	    !X509_set_pubkey(x, key) || X509_sign(x, key, md) <= 0)
		goto out;
	if (!EVP_PKEY_up_ref(key))
		goto out;
	tx->key = key;
	tx->signer = x;
	x = NULL;
	r = 0;
out:
	if (r != 0)
		cd_err_ssl(err, r, "making the SCEP signing certificate");
	OPENSSL_free(spki);
	BN_free(bn);
	X509_free(x);
	return r;
}

void
scep_tx_clear(struct scep_tx *tx)
{
	EVP_PKEY_free(tx->key);
	X509_free(tx->signer);
	memset(tx, 0, sizeof(*tx));
}

static int
add_str(PKCS7_SIGNER_INFO *si, int a, int type, const unsigned char *v,
    int len)
{
	ASN1_STRING *s;

	if ((s = ASN1_STRING_type_new(type)) == NULL)
		return 0;
	if (!ASN1_STRING_set(s, v, len) ||
	    !PKCS7_add_signed_attribute(si, attr_nid[a], type, s)) {
		ASN1_STRING_free(s);
		return 0;
	}
	return 1;
}

/* Encrypt content to recip (envelopedData, DER). */
static int
envelope(const unsigned char *in, size_t inlen, X509 *recip,
    const EVP_CIPHER *cipher, unsigned char **der, int *dlen)
{
	STACK_OF(X509) *to = NULL;
	BIO *bio = NULL;
	PKCS7 *p7 = NULL;
	int ok = 0;

	*der = NULL;
	if ((to = sk_X509_new_null()) == NULL || !sk_X509_push(to, recip) ||
	    (bio = BIO_new_mem_buf(in, (int)inlen)) == NULL ||
	    (p7 = PKCS7_encrypt(to, bio, cipher, PKCS7_BINARY)) == NULL ||
	    (*dlen = i2d_PKCS7(p7, der)) <= 0)
		goto out;
	ok = 1;
out:
	PKCS7_free(p7);
	BIO_free(bio);
	sk_X509_free(to);
	return ok;
}

/* signedData over content, with the SCEP attributes of message type. */
static int
sign_msg(struct scep_tx *tx, const char *type, const unsigned char *content,
    int clen, const EVP_MD *md, unsigned char **der, size_t *len)
{
	PKCS7_SIGNER_INFO *si;
	PKCS7 *p7 = NULL;
	BIO *bio = NULL;
	int n, ok = 0;

	*der = NULL;
	if (RAND_bytes(tx->nonce, sizeof(tx->nonce)) != 1 ||
	    (p7 = PKCS7_new()) == NULL ||
	    !PKCS7_set_type(p7, NID_pkcs7_signed) ||
	    !PKCS7_content_new(p7, NID_pkcs7_data) ||
	    (si = PKCS7_sign_add_signer(p7, tx->signer, tx->key, md,
	    PKCS7_BINARY | PKCS7_NOSMIMECAP)) == NULL ||
	    !add_str(si, A_MSGTYPE, V_ASN1_PRINTABLESTRING,
	    (const unsigned char *)type, (int)strlen(type)) ||
	    !add_str(si, A_TXID, V_ASN1_PRINTABLESTRING,
	    (const unsigned char *)tx->txid, (int)strlen(tx->txid)) ||
	    !add_str(si, A_SNONCE, V_ASN1_OCTET_STRING, tx->nonce,
	    sizeof(tx->nonce)) ||
	    (bio = BIO_new_mem_buf(content, clen)) == NULL ||
	    !PKCS7_final(p7, bio, PKCS7_BINARY) ||
	    (n = i2d_PKCS7(p7, der)) <= 0)
		goto out;
	*len = (size_t)n;
	ok = 1;
out:
	BIO_free(bio);
	PKCS7_free(p7);
	return ok;
}

/* Envelope content to recip and sign it as a message of type. */
static int
wrap(struct scep_tx *tx, const char *type, const unsigned char *content,
    size_t clen, X509 *recip, const struct scep_algs *a,
    unsigned char **der, size_t *len, struct cd_err *err)
{
	unsigned char *env = NULL;
	int elen = 0, ok, r;

	*der = NULL;
	if ((r = attrs_ready(err)) != 0)
		return r;
	ok = envelope(content, clen, recip, a->cipher, &env, &elen) &&
	    sign_msg(tx, type, env, elen, a->md, der, len);
	OPENSSL_free(env);
	if (!ok)
		return cd_err_ssl(err, CD_E_CRYPTO, "building the SCEP "
		    "message");
	return 0;
}

int
scep_pkcsreq(struct scep_tx *tx, const X509_REQ *csr,
    const char *challenge, X509 *recip, const struct scep_algs *a,
    unsigned char **der, size_t *len, struct cd_err *err)
{
	X509_REQ *req;
	unsigned char *body = NULL;
	int n = 0, r;

	*der = NULL;
	if ((req = X509_REQ_dup(csr)) == NULL)
		return cd_err_ssl(err, CD_E_CRYPTO, "copying the CSR");
	if ((challenge != NULL && *challenge != '\0' &&
	    !X509_REQ_add1_attr_by_NID(req, NID_pkcs9_challengePassword,
	    MBSTRING_UTF8, (const unsigned char *)challenge, -1)) ||
	    X509_REQ_sign(req, tx->key, a->md) <= 0 ||
	    (n = i2d_X509_REQ(req, &body)) <= 0) {
		r = cd_err_ssl(err, CD_E_CRYPTO, "adding the challenge to "
		    "the CSR");
		goto out;
	}
	r = wrap(tx, MSG_PKCSREQ, body, (size_t)n, recip, a, der, len, err);
out:
	if (body != NULL)
		OPENSSL_clear_free(body, (size_t)n);
	X509_REQ_free(req);
	return r;
}

int
scep_certpoll(struct scep_tx *tx, const X509_NAME *issuer,
    const X509_NAME *subject, X509 *recip, const struct scep_algs *a,
    unsigned char **der, size_t *len, struct cd_err *err)
{
	unsigned char *i = NULL, *s = NULL, *body = NULL, *p;
	int il, sl, total, r;

	*der = NULL;
	if ((il = i2d_X509_NAME(issuer, &i)) <= 0 ||
	    (sl = i2d_X509_NAME(subject, &s)) <= 0) {
		r = cd_err_ssl(err, CD_E_CRYPTO, "encoding the names");
		goto out;
	}
	total = ASN1_object_size(1, il + sl, V_ASN1_SEQUENCE);
	if ((body = OPENSSL_malloc((size_t)total)) == NULL) {
		r = cd_err_set(err, CD_E_NOMEM, NULL);
		goto out;
	}
	p = body;
	ASN1_put_object(&p, 1, il + sl, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL);
	memcpy(p, i, (size_t)il);
	memcpy(p + il, s, (size_t)sl);
	r = wrap(tx, MSG_CERTPOLL, body, (size_t)total, recip, a, der, len,
	    err);
out:
	OPENSSL_free(i);
	OPENSSL_free(s);
	OPENSSL_free(body);
	return r;
}

const char *
scep_failinfo_name(const char *v)
{
	static const char *const names[] = { "badAlg", "badMessageCheck",
	    "badRequest", "badTime", "badCertId" };

	if (v != NULL && v[0] >= '0' && v[0] <= '4' && v[1] == '\0')
		return names[v[0] - '0'];
	return "unknown";
}

/* A signed attribute's string value into buf ("" when absent). */
static int
attr_str(PKCS7_SIGNER_INFO *si, int a, unsigned char *buf, size_t size)
{
	ASN1_TYPE *t = PKCS7_get_signed_attribute(si, attr_nid[a]);
	const ASN1_STRING *s;
	int n;

	buf[0] = '\0';
	if (t == NULL || (t->type != V_ASN1_PRINTABLESTRING &&
	    t->type != V_ASN1_OCTET_STRING && t->type != V_ASN1_UTF8STRING &&
	    t->type != V_ASN1_IA5STRING))
		return -1;
	s = t->value.asn1_string;
	if ((n = ASN1_STRING_length(s)) < 0 || (size_t)n >= size)
		return -1;
	memcpy(buf, ASN1_STRING_get0_data(s), (size_t)n);
	buf[n] = '\0';
	return n;
}

/* Decrypt the envelope in content and find tx's certificate in it. */
static int
open_success(const struct scep_tx *tx, BIO *content, X509 **out,
    struct cd_err *err)
{
	PKCS7 *env = NULL, *deg = NULL;
	BIO *plain = NULL;
	const unsigned char *p;
	char *data;
	long n;
	STACK_OF(X509) *certs;
	int i, r = CD_E_CA;

	if (!CRYPTO_THREAD_run_once(&rep_once, rep_ctx_init) ||
	    rep_ctx == NULL) {
		r = cd_err_ssl(err, CD_E_CRYPTO, "OpenSSL library context");
		goto out;
	}
	if ((env = PKCS7_new_ex(rep_ctx, NULL)) == NULL ||
	    d2i_PKCS7_bio(content, &env) == NULL ||
	    !PKCS7_type_is_enveloped(env) ||
	    (plain = BIO_new(BIO_s_mem())) == NULL ||
	    !PKCS7_decrypt(env, tx->key, tx->signer, plain, 0)) {
		cd_err_ssl(err, CD_E_CA, "the SCEP CA's answer cannot be "
		    "decrypted");
		goto out;
	}
	n = BIO_get_mem_data(plain, &data);
	p = (const unsigned char *)data;
	if ((deg = d2i_PKCS7(NULL, &p, n)) == NULL ||
	    !PKCS7_type_is_signed(deg) ||
	    (certs = deg->d.sign->cert) == NULL) {
		cd_err_ssl(err, CD_E_CA, "the SCEP CA's answer holds no "
		    "certificate list");
		goto out;
	}
	for (i = 0; i < sk_X509_num(certs) && *out == NULL; i++)
		if (X509_check_private_key(sk_X509_value(certs, i), tx->key) &&
		    X509_up_ref(sk_X509_value(certs, i)))
			*out = sk_X509_value(certs, i);
	ERR_clear_error();
	if (*out == NULL) {
		cd_err_set(err, CD_E_CA, "the SCEP CA's answer holds no "
		    "certificate for the key sent");
		goto out;
	}
	r = 0;
out:
	BIO_free(plain);
	PKCS7_free(env);
	PKCS7_free(deg);
	return r;
}

/* Check the attributes of a CertRep against tx; 0 or CD_E_CA. */
static int
check_attrs(const struct scep_tx *tx, PKCS7_SIGNER_INFO *si,
    struct cd_err *err)
{
	unsigned char v[128];
	int n;

	if (attr_str(si, A_MSGTYPE, v, sizeof(v)) < 0 ||
	    strcmp((char *)v, MSG_CERTREP) != 0)
		return cd_err_set(err, CD_E_CA, "the SCEP CA's answer is not "
		    "a CertRep");
	if (attr_str(si, A_TXID, v, sizeof(v)) < 0 ||
	    strcmp((char *)v, tx->txid) != 0)
		return cd_err_set(err, CD_E_CA, "the SCEP CA's answer is for "
		    "another transaction");
	if ((n = attr_str(si, A_RNONCE, v, sizeof(v))) != SCEP_NONCE_LEN ||
	    CRYPTO_memcmp(v, tx->nonce, SCEP_NONCE_LEN) != 0)
		return cd_err_set(err, CD_E_CA, "the SCEP CA's answer does "
		    "not carry our nonce (recipientNonce): a replay?");
	return 0;
}

int
scep_certrep(const struct scep_tx *tx, const unsigned char *der,
    size_t len, STACK_OF(X509) *cacerts, X509 **out, struct cd_err *err)
{
	const unsigned char *p = der;
	STACK_OF(PKCS7_SIGNER_INFO) *sis;
	PKCS7_SIGNER_INFO *si;
	PKCS7 *p7 = NULL;
	BIO *content = NULL, *empty = NULL;
	unsigned char st[16], fi[16];
	int r = CD_E_CA;

	*out = NULL;
	if ((r = attrs_ready(err)) != 0)
		return r;
	r = CD_E_CA;
	if ((p7 = d2i_PKCS7(NULL, &p, (long)len)) == NULL ||
	    !PKCS7_type_is_signed(p7)) {
		cd_err_ssl(err, CD_E_CA, "the SCEP CA's answer is not a "
		    "signed PKCS#7 message");
		goto out;
	}
	if ((content = BIO_new(BIO_s_mem())) == NULL ||
	    (PKCS7_get_detached(p7) &&
	    (empty = BIO_new_mem_buf("", 0)) == NULL))
		goto nomem;
	if (!PKCS7_verify(p7, cacerts, NULL, empty, content, PKCS7_NOVERIFY |
	    PKCS7_NOINTERN | PKCS7_BINARY)) {
		cd_err_ssl(err, CD_E_CA, "the SCEP CA's answer is not signed "
		    "by the CA's certificate (GetCACert)");
		goto out;
	}
	if ((sis = PKCS7_get_signer_info(p7)) == NULL ||
	    (si = sk_PKCS7_SIGNER_INFO_value(sis, 0)) == NULL) {
		cd_err_set(err, CD_E_CA, "the SCEP CA's answer has no signer");
		goto out;
	}
	if ((r = check_attrs(tx, si, err)) != 0)
		goto out;
	r = CD_E_CA;
	attr_str(si, A_STATUS, st, sizeof(st));
	if (strcmp((char *)st, "3") == 0)
		r = CD_CA_PENDING;
	else if (strcmp((char *)st, "2") == 0) {
		attr_str(si, A_FAILINFO, fi, sizeof(fi));
		cd_err_set(err, CD_E_CA, "the SCEP CA refused the request: "
		    "FAILURE, failInfo %s", scep_failinfo_name((char *)fi));
	} else if (strcmp((char *)st, "0") == 0)
		r = open_success(tx, content, out, err);
	else
		cd_err_set(err, CD_E_CA, "the SCEP CA's answer has an unknown "
		    "pkiStatus '%s'", (char *)st);
	goto out;
nomem:
	r = cd_err_set(err, CD_E_NOMEM, NULL);
out:
	BIO_free(content);
	BIO_free(empty);
	PKCS7_free(p7);
	return r;
}
