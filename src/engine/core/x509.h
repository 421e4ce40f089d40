/* SPDX-License-Identifier: ISC */
/*
 * x509.h - key generation, the parts of a certificate request built
 * from configuration text (subject names and subjectAltNames), and
 * certificate signing requests.
 */
#ifndef CD_X509_H
#define CD_X509_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "conf.h"
#include "certdesk/error.h"

/* A new key of the given type (RSA e=65537, or an EC named curve). */
int cd_key_generate(enum cd_key_type t, EVP_PKEY **out, struct cd_err *err);

/*
 * "CN=Susan Smith, O=Example Ltd" (comma-separated RDNs, backslash
 * escapes a comma or backslash, spaces around names and values trimmed,
 * empty values dropped).  Known names: CN O OU C L ST E emailAddress UID
 * SERIALNUMBER DC.  CD_E_INVAL when nothing remains or a name is unknown.
 */
int cd_x509_name_parse(const char *text, X509_NAME **out, struct cd_err *err);

/*
 * "email:a@b, upn:a@corp, dns:host, uri:https://x" -> GENERAL_NAMES.
 * Empty values are dropped; *out is NULL when nothing remains.
 */
int cd_x509_san_parse(const char *text, GENERAL_NAMES **out,
    struct cd_err *err);

/*
 * keyUsage and extendedKeyUsage values in openssl.cnf syntax from
 * CD_KU_* / CD_EKU_* bits ("" when none).
 */
void cd_x509_ku_text(unsigned ku, char *buf, size_t len);
void cd_x509_eku_text(unsigned eku, char *buf, size_t len);

/*
 * A certificate signing request for key: the subject, the SAN and the
 * key usages as an extensionRequest, signed by key itself (proof of
 * possession).  *out is freed with X509_REQ_free.
 */
int cd_x509_csr_build(EVP_PKEY *key, const X509_NAME *subject,
    const GENERAL_NAMES *san, unsigned ku, unsigned eku, X509_REQ **out,
    struct cd_err *err);

/*
 * The CSR's public key, after checking that the CSR is signed by it;
 * CD_E_CA ("proof of possession failed") otherwise.  *pub is a new
 * reference.
 */
int cd_x509_csr_verify(X509_REQ *csr, EVP_PKEY **pub, struct cd_err *err);

/*
 * Add the certificate-practice extensions a relying party follows: a
 * cRLDistributionPoints URI, an authorityInfoAccess caIssuers URI and a
 * certificatePolicies OID, each left out when NULL or "".  1 on
 * success, 0 on failure (OpenSSL's convention, for chaining).
 */
int cd_x509_add_practice(X509 *x, const char *crl_url,
    const char *ca_issuers_url, const char *policy_oid);

#endif
