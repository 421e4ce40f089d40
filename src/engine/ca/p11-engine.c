/* SPDX-License-Identifier: ISC */
/*
 * p11-engine.c - the token's key as an EVP_PKEY through the libp11
 * OpenSSL engine ("pkcs11", package libengine-pkcs11-openssl), loaded at
 * run time.  This is the only file that uses the ENGINE interface
 * (deprecated in OpenSSL 3): a PKCS#11 provider can replace it behind
 * p11.h.
 */
#include "config.h"

#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <stdlib.h>
#include <string.h>

#include <openssl/engine.h>
#include <openssl/err.h>

#include "p11.h"

struct cd_p11 {
	ENGINE *e;
	EVP_PKEY *key;
};

EVP_PKEY *
cd_p11_pkey(struct cd_p11 *p)
{
	return p->key;
}

void
cd_p11_close(struct cd_p11 *p)
{
	if (p == NULL)
		return;
	EVP_PKEY_free(p->key);
	if (p->e != NULL) {
		ENGINE_finish(p->e);
		ENGINE_free(p->e);
	}
	free(p);
}

int
cd_p11_open(const char *module, const char *uri, const char *pin,
    struct cd_p11 **out, struct cd_err *err)
{
	struct cd_p11 *p;
	ENGINE *e;
	int r;

	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	ENGINE_load_builtin_engines();
	if ((e = ENGINE_by_id("pkcs11")) == NULL) {
		r = cd_err_ssl(err, CD_E_CA, "cannot load the OpenSSL engine "
		    "'pkcs11' (is libengine-pkcs11-openssl installed?)");
		goto fail;
	}
	if (ENGINE_ctrl_cmd_string(e, "MODULE_PATH", module, 0) != 1 ||
	    (pin != NULL && ENGINE_ctrl_cmd_string(e, "PIN", pin, 0) != 1) ||
	    ENGINE_init(e) != 1) {
		ENGINE_free(e);
		r = cd_err_ssl(err, CD_E_CA, "cannot start the pkcs11 engine "
		    "with %s", module);
		goto fail;
	}
	p->e = e;
	if ((p->key = ENGINE_load_private_key(e, uri, NULL, NULL)) == NULL) {
		r = cd_err_ssl(err, CD_E_CA, "the pkcs11 engine cannot load "
		    "the key %s", uri);
		goto fail;
	}
	*out = p;
	return 0;
fail:
	cd_p11_close(p);
	return r;
}
