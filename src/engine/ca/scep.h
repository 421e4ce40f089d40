/* SPDX-License-Identifier: ISC */
/*
 * scep.h - SCEP (RFC 8894) messages without the network: the algorithms
 * a CA's GetCACaps allows, its GetCACert answer, PKCSReq and CertPoll
 * (GetCertInitial) messages, and CertRep parsed and verified.
 */
#ifndef CD_SCEP_H
#define CD_SCEP_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "certdesk/error.h"

#define SCEP_NONCE_LEN 16
#define SCEP_TXID_MAX 65

/* What GetCACaps allows, and what we use from it. */
struct scep_algs {
	const EVP_CIPHER *cipher;	/* AES-128-CBC, else DES-EDE3-CBC */
	const EVP_MD *md;		/* SHA-256, else SHA-1 */
	int post;			/* POSTPKIOperation */
};

/*
 * Choose from the GetCACaps text (one capability a line): AES and SHA-256
 * when offered, else DES3 and SHA-1 when offered; CD_E_CA otherwise.
 */
int scep_caps_algs(const char *caps, struct scep_algs *a, struct cd_err *err);

/*
 * The GetCACert answer (a DER certificate, or a degenerate PKCS#7 with
 * the CA and RA certificates): *certs gets all of them, CA first, and
 * *recip (a reference in certs) the one messages are encrypted to: an RA
 * certificate when there is one, else the CA's.
 */
int scep_parse_cacert(const unsigned char *der, size_t len,
    STACK_OF(X509) **certs, X509 **recip, struct cd_err *err);

/*
 * One enrolment: the subject's key, the self-signed certificate that
 * signs its messages (as SCEP asks of a requester without a certificate),
 * the transactionID (hex SHA-256 of the public key) and the senderNonce
 * of the last message sent.
 */
struct scep_tx {
	EVP_PKEY *key;
	X509 *signer;
	char txid[SCEP_TXID_MAX];
	unsigned char nonce[SCEP_NONCE_LEN];
};

int scep_tx_init(struct scep_tx *tx, EVP_PKEY *key, const X509_NAME *subject,
    const EVP_MD *md, struct cd_err *err);
void scep_tx_clear(struct scep_tx *tx);

/*
 * PKCSReq: csr with challenge (may be NULL) added as challengePassword
 * and signed again by tx->key, enveloped to recip, signed by tx->signer.
 * *der is the message (OPENSSL_free it).
 */
int scep_pkcsreq(struct scep_tx *tx, const X509_REQ *csr,
    const char *challenge, X509 *recip, const struct scep_algs *a,
    unsigned char **der, size_t *len, struct cd_err *err);

/* CertPoll (GetCertInitial): IssuerAndSubject for the same transaction. */
int scep_certpoll(struct scep_tx *tx, const X509_NAME *issuer,
    const X509_NAME *subject, X509 *recip, const struct scep_algs *a,
    unsigned char **der, size_t *len, struct cd_err *err);

/*
 * A CertRep for tx: signed by one of cacerts (checked), with tx's
 * transactionID and our senderNonce as recipientNonce.  0: *out is the
 * certificate for tx->key.  CD_CA_PENDING (ca.h): the CA will answer
 * later.  CD_E_CA: FAILURE (the message names the failInfo) or a bad
 * answer.
 */
int scep_certrep(const struct scep_tx *tx, const unsigned char *der,
    size_t len, STACK_OF(X509) *cacerts, X509 **out, struct cd_err *err);

/* "badRequest" for a failInfo value ("2"), "unknown" otherwise. */
const char *scep_failinfo_name(const char *v);

#endif
