/* SPDX-License-Identifier: ISC */
/*
 * ca-pkcs11.c - the CA whose signing key lives in a PKCS#11 token (an
 * HSM, a smart card, SoftHSM2) and never leaves it.  Its settings in
 * [ca]:
 *
 *   module      = PATH   the PKCS#11 module (required)
 *   key_uri     = pkcs11:token=LABEL;object=LABEL   (RFC 7512; required;
 *                 a URI carrying pin-value or pin-source is refused)
 *   pin_file    = PATH   or pin_credential = NAME (a systemd credential)
 *   certificate = PATH   the CA certificate and its chain (PEM); default
 *                 DATADIR/ca/ca.crt
 *
 * The token is found, logged in to and the key loaded (p11-token.c,
 * p11-engine.c) when the CA is opened, so a missing token or a wrong PIN
 * stops the program at start.  Issuing, the revocation list under
 * DATADIR/ca and CRLs are those of the local CA (ca-util.c), signed by
 * the token.  init generates the key in the token (sensitive, never
 * extractable) unless it is there, and makes the self-signed CA
 * certificate.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ca-int.h"
#include "p11.h"
#include "util.h"
#include "x509.h"

struct pcfg {
	char module[CD_PATH_MAX];
	char uri[1024];
	char pin_file[CD_PATH_MAX];
	char pin_cred[256];
	char cert[CD_PATH_MAX];
};

struct cd_ca {
	char dir[CD_PATH_MAX];
	struct cd_p11 *p11;
	EVP_PKEY *key;			/* borrowed from p11 */
	X509 *cert;
	STACK_OF(X509) *chain;
};

/* An optional path: "" when not set, else resolved like cd_conf_path. */
static int
opt_path(const struct cd_conf_src *src, const char *sec, const char *key,
    char *buf, size_t size)
{
	int r;

	if ((r = cd_conf_str(src, sec, key, "", buf, size)) != 0 ||
	    buf[0] == '\0')
		return r;
	return cd_conf_path(src, sec, key, NULL, buf, size);
}

static int
p_conf_load(const struct cd_conf_src *src, const char *sec, void **cfg,
    struct cd_err *err)
{
	struct cd_p11_uri u;
	struct cd_err sub;
	struct pcfg *c;
	int r;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((r = cd_conf_path(src, sec, "module", NULL, c->module,
	    sizeof(c->module))) != 0 ||
	    (r = cd_conf_str(src, sec, "key_uri", NULL, c->uri,
	    sizeof(c->uri))) != 0 ||
	    (r = opt_path(src, sec, "pin_file", c->pin_file,
	    sizeof(c->pin_file))) != 0 ||
	    (r = cd_conf_str(src, sec, "pin_credential", "", c->pin_cred,
	    sizeof(c->pin_cred))) != 0 ||
	    (r = opt_path(src, sec, "certificate", c->cert,
	    sizeof(c->cert))) != 0)
		goto fail;
	if (cd_p11_uri_parse(c->uri, &u, &sub) != 0) {
		r = cd_conf_fail(src, sec, "key_uri", "%s", sub.msg);
		goto fail;
	}
	if ((c->pin_file[0] == '\0') == (c->pin_cred[0] == '\0')) {
		r = cd_conf_fail(src, sec, "pin_file", "give the token's PIN "
		    "with pin_file or pin_credential (one of them)");
		goto fail;
	}
	if (strchr(c->pin_cred, '/') != NULL) {
		r = cd_conf_fail(src, sec, "pin_credential", "a credential "
		    "name has no '/'");
		goto fail;
	}
	*cfg = c;
	return 0;
fail:
	free(c);
	return r;
}

static int
no_cfg(const void *cfg, struct cd_err *err)
{
	if (cfg != NULL)
		return 0;
	return cd_err_set(err, CD_E_CONFIG, "the pkcs11 CA needs [ca] "
	    "module, key_uri and pin_file or pin_credential");
}

static void
cert_path(const struct pcfg *c, const char *dir, char *out, size_t len)
{
	if (c->cert[0] != '\0')
		cd_strlcpy(out, c->cert, len);
	else
		cd_path_join(out, len, dir, "ca.crt", NULL);
}

/* Token, PIN, key: the key loaded through the engine. */
static int
token_open(const struct pcfg *c, const char *uri, int gen,
    enum cd_key_type kt, struct cd_p11 **p11, struct cd_err *err)
{
	char *pin = NULL;
	size_t plen = 0;
	int r;

	if ((r = cd_cau_secret(c->pin_file, c->pin_cred, "token PIN", &pin,
	    &plen, err)) != 0)
		return r;
	if ((r = cd_p11_token_key(c->module, uri, pin, gen, kt, NULL,
	    err)) == 0)
		r = cd_p11_open(c->module, uri, pin, p11, err);
	cd_secret_free(pin, plen);
	return r;
}

static int
p_init(const void *cfg, const char *datadir, const struct cd_ca_init *how,
    struct cd_err *err)
{
	const struct pcfg *c = cfg;
	char dir[CD_PATH_MAX], path[CD_PATH_MAX], cdir[CD_PATH_MAX], *slash;
	struct cd_p11 *p11 = NULL;
	STACK_OF(X509) *sk = NULL;
	X509 *x = NULL;
	int r;

	if ((r = no_cfg(cfg, err)) != 0)
		return r;
	if (how->import_cert != NULL || how->two_tier)
		return cd_err_set(err, CD_E_CA, "the pkcs11 CA makes its key "
		    "in the token: it neither imports a key nor makes a "
		    "two-tier hierarchy (give a CA certificate made "
		    "elsewhere with [ca] certificate)");
	if (how->key_uri != NULL && strcmp(how->key_uri, c->uri) != 0)
		return cd_err_set(err, CD_E_CONFIG, "the key %s is not [ca] "
		    "key_uri (%s): certdesk would not find it", how->key_uri,
		    c->uri);
	if ((r = cd_path_join(dir, sizeof(dir), datadir, "ca", err)) != 0 ||
	    (r = cd_mkdir_p(dir, 0700, err)) != 0)
		return r;
	cert_path(c, dir, path, sizeof(path));
	if (access(path, F_OK) == 0)
		return cd_err_set(err, CD_E_EXISTS, "a CA certificate exists "
		    "already: %s", path);
	if ((r = token_open(c, c->uri, 1,
	    how->key_type, &p11, err)) != 0 ||
	    (r = cd_cau_ca_cert(how, how->common_name ? how->common_name :
	    "certdesk CA", cd_p11_pkey(p11), cd_p11_pkey(p11), NULL, -1, &x,
	    err)) != 0)
		goto out;
	if (path[0] != '/')
		snprintf(cdir, sizeof(cdir), "./%s", path);
	else
		cd_strlcpy(cdir, path, sizeof(cdir));
	slash = strrchr(cdir, '/');
	if ((sk = sk_X509_new_null()) == NULL || !sk_X509_push(sk, x)) {
		r = cd_err_set(err, CD_E_NOMEM, NULL);
		goto out;
	}
	x = NULL;
	*slash = '\0';
	r = cd_cau_write_pem(*cdir ? cdir : "/", slash + 1, NULL, NULL, sk,
	    0644, 1, err);
out:
	sk_X509_pop_free(sk, X509_free);
	X509_free(x);
	cd_p11_close(p11);
	return r;
}

static void p_close(struct cd_ca *ca);

static int
p_open(const void *cfg, const char *datadir, struct cd_ca **out,
    struct cd_err *err)
{
	const struct pcfg *c = cfg;
	char path[CD_PATH_MAX];
	struct cd_ca *ca;
	int r;

	*out = NULL;
	if ((r = no_cfg(cfg, err)) != 0)
		return r;
	if ((ca = calloc(1, sizeof(*ca))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((r = cd_path_join(ca->dir, sizeof(ca->dir), datadir, "ca",
	    err)) != 0 || (r = cd_mkdir_p(ca->dir, 0700, err)) != 0)
		goto fail;
	cert_path(c, ca->dir, path, sizeof(path));
	if ((r = cd_cau_read_certs(path, &ca->chain, err)) != 0 ||
	    (r = token_open(c, c->uri, 0, CD_KEY_EC_P384, &ca->p11,
	    err)) != 0)
		goto fail;
	ca->cert = sk_X509_value(ca->chain, 0);
	X509_up_ref(ca->cert);
	ca->key = cd_p11_pkey(ca->p11);
	if (X509_check_private_key(ca->cert, ca->key) != 1) {
		r = cd_err_ssl(err, CD_E_CA, "the token key %s does not belong "
		    "to the CA certificate %s", c->uri, path);
		goto fail;
	}
	*out = ca;
	return 0;
fail:
	p_close(ca);
	return r;
}

static void
p_close(struct cd_ca *ca)
{
	if (ca == NULL)
		return;
	X509_free(ca->cert);
	sk_X509_pop_free(ca->chain, X509_free);
	cd_p11_close(ca->p11);
	free(ca);
}

static const STACK_OF(X509) *
p_chain(struct cd_ca *ca)
{
	return ca->chain;
}

static int
p_submit(struct cd_ca *ca, const struct cd_ca_req *req, X509 **out,
    char *ticket, struct cd_err *err)
{
	EVP_PKEY *pub = NULL;
	int r;

	*out = NULL;
	if (ticket != NULL)
		ticket[0] = '\0';
	if ((r = cd_x509_csr_verify(req->csr, &pub, err)) != 0)
		return r;
	r = cd_cau_sign(ca->cert, ca->key, pub, &req->params, out, err);
	EVP_PKEY_free(pub);
	return r;
}

static int
p_revoke(struct cd_ca *ca, const char *serial, int reason, int64_t when,
    struct cd_err *err)
{
	return cd_cau_revoke(ca->dir, serial, reason, when, err);
}

static int
p_is_revoked(struct cd_ca *ca, const char *serial, int *out,
    struct cd_err *err)
{
	return cd_cau_is_revoked(ca->dir, serial, out, err);
}

static int
p_crl_until(struct cd_ca *ca, int64_t now, int64_t next, X509_CRL **out,
    struct cd_err *err)
{
	return cd_cau_crl(ca->dir, ca->cert, ca->key, now, next, out, err);
}

static int
p_crl(struct cd_ca *ca, int64_t now, X509_CRL **out, struct cd_err *err)
{
	return p_crl_until(ca, now, now + 7 * 86400, out, err);
}

static int
p_unrevoke(struct cd_ca *ca, const char *serial, struct cd_err *err)
{
	return cd_cau_unrevoke(ca->dir, serial, err);
}

const struct cd_ca_ops cd_ca_pkcs11_ops = {
	.name = "pkcs11",
	.caps = CD_CA_CAN_REVOKE | CD_CA_MAKES_CRL | CD_CA_NEEDS_CSR |
	    CD_CA_CAN_INIT,
	.conf_load = p_conf_load,
	.conf_free = free,
	.init = p_init,
	.open = p_open,
	.close = p_close,
	.submit = p_submit,
	.revoke = p_revoke,
	.is_revoked = p_is_revoked,
	.crl = p_crl,
	.chain = p_chain,
	.unrevoke = p_unrevoke,
	.crl_until = p_crl_until,
};
