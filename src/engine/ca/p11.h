/* SPDX-License-Identifier: ISC */
/*
 * p11.h - the CA key in a PKCS#11 token.  p11-token.c speaks PKCS#11 to
 * the module itself (finding the token, logging in, finding or making
 * the key: clear errors, and key generation that OpenSSL's engine
 * interface lacks); p11-engine.c gives the key to OpenSSL as an
 * EVP_PKEY through the libp11 engine, the only ENGINE-specific code.
 */
#ifndef CD_P11_H
#define CD_P11_H

#include <openssl/evp.h>

#include "conf.h"
#include "certdesk/error.h"

/* The parts of a PKCS#11 URI (RFC 7512) certdesk uses, percent-decoded. */
struct cd_p11_uri {
	char token[64];
	char object[128];
	unsigned char id[64];
	size_t id_len;
};

/*
 * Parse uri.  CD_E_INVAL when it is not a pkcs11: URI, names no token,
 * names no object or id, or carries a PIN (pin-value, pin-source): the
 * PIN comes from a file or a credential, never from the URI.
 */
int cd_p11_uri_parse(const char *uri, struct cd_p11_uri *out,
    struct cd_err *err);

/*
 * Find the token and the private key in module, logged in with pin:
 * CD_E_CA naming what is wrong (no module, no such token, a wrong PIN,
 * no such key).  With generate (key type kt): make the key in the
 * token when it is not there (sensitive, never extractable); *made is
 * set to 1 when it did.
 */
int cd_p11_token_key(const char *module, const char *uri, const char *pin,
    int generate, enum cd_key_type kt, int *made, struct cd_err *err);

/* The key as an EVP_PKEY whose operations happen in the token. */
struct cd_p11;
int cd_p11_open(const char *module, const char *uri, const char *pin,
    struct cd_p11 **out, struct cd_err *err);
EVP_PKEY *cd_p11_pkey(struct cd_p11 *p);
void cd_p11_close(struct cd_p11 *p);

#endif
