/*
 * x509.h - key generation and the parts of a certificate request built
 * from configuration text: subject names and subjectAltNames.
 */
#ifndef CD_X509_H
#define CD_X509_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "conf.h"
#include "error.h"

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

#endif
