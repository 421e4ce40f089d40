/* SPDX-License-Identifier: ISC */
/*
 * ca-local.c - the local CA: a key and self-signed (or imported, or
 * root-signed) certificate under DATADIR/ca, issuing with OpenSSL,
 * keeping its own list of revoked serials and signing CRLs from it
 * (ca-util.c).
 *
 *   DATADIR/ca/ca.key     PEM PKCS#8 private key, 0600; encrypted with
 *                         AES-256 when a passphrase source is set
 *   DATADIR/ca/ca.crt     PEM certificate, then the rest of its chain
 *   DATADIR/ca/revoked, crlnumber, lock   (ca-int.h)
 *
 * Its settings in [ca]: key_passphrase_file = PATH or
 * key_passphrase_credential = NAME (a systemd credential); never the
 * passphrase itself.  The key is read and checked against the
 * certificate when the CA is opened, so that a wrong passphrase stops
 * the program at start.  It answers every request at once: the CSR's
 * signature is checked (proof of possession), then its key is certified
 * with the policy's subject, SAN, usages and validity.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "ca-int.h"
#include "util.h"
#include "x509.h"

struct lcfg {
	char pass_file[CD_PATH_MAX];
	char pass_cred[256];
};

struct cd_ca {
	char dir[CD_PATH_MAX];
	EVP_PKEY *key;
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
local_conf_load(const struct cd_conf_src *src, const char *sec, void **cfg,
    struct cd_err *err)
{
	struct lcfg *c;
	int r;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((r = opt_path(src, sec, "key_passphrase_file", c->pass_file, sizeof(c->pass_file))) != 0 ||
	    (r = cd_conf_str(src, sec, "key_passphrase_credential", "",
	    c->pass_cred, sizeof(c->pass_cred))) != 0)
		goto fail;
	if (c->pass_file[0] != '\0' && c->pass_cred[0] != '\0') {
		r = cd_conf_fail(src, sec, "key_passphrase_credential",
		    "give key_passphrase_file or key_passphrase_credential, "
		    "not both");
		goto fail;
	}
	if (strchr(c->pass_cred, '/') != NULL) {
		r = cd_conf_fail(src, sec, "key_passphrase_credential",
		    "a credential name has no '/'");
		goto fail;
	}
	*cfg = c;
	return 0;
fail:
	free(c);
	return r;
}

/* The passphrase, or *pass NULL when none is configured. */
static int
passphrase(const struct lcfg *c, char **pass, size_t *len,
    struct cd_err *err)
{
	*pass = NULL;
	*len = 0;
	if (c == NULL || (c->pass_file[0] == '\0' && c->pass_cred[0] == '\0'))
		return 0;
	return cd_cau_secret(c->pass_file, c->pass_cred,
	    "CA key passphrase", pass, len, err);
}

static void
pass_free(char *pass, size_t len)
{
	if (pass != NULL)
		cd_secret_free(pass, len);
}

static int
ca_path(char *out, size_t len, const char *dir, const char *name)
{
	return cd_path_join(out, len, dir, name, NULL);
}

static int
read_key(const char *path, const char *pass, EVP_PKEY **out,
    struct cd_err *err)
{
	FILE *f;

	if ((f = fopen(path, "re")) == NULL)
		return cd_err_set(err, CD_E_CA, "cannot read the CA key %s: %s",
		    path, strerror(errno));
	*out = PEM_read_PrivateKey(f, NULL, NULL, (void *)(pass ? pass : ""));
	fclose(f);
	if (*out == NULL && pass != NULL)
		return cd_err_ssl(err, CD_E_CA, "cannot decrypt the CA key %s "
		    "with the configured passphrase (a wrong passphrase?)",
		    path);
	if (*out == NULL)
		return cd_err_ssl(err, CD_E_CA, "%s is not an unencrypted PEM "
		    "private key (is it encrypted? set [ca] "
		    "key_passphrase_file)", path);
	return 0;
}

static int
read_cert(const char *path, X509 **out, struct cd_err *err)
{
	STACK_OF(X509) *sk;
	int r;

	if ((r = cd_cau_read_certs(path, &sk, err)) != 0)
		return r;
	*out = sk_X509_shift(sk);
	sk_X509_pop_free(sk, X509_free);
	return 0;
}

/* ---- init ---------------------------------------------------------------- */

static int
imported(const struct cd_ca_init *how, EVP_PKEY **key, X509 **cert,
    struct cd_err *err)
{
	int r;

	if ((r = read_cert(how->import_cert, cert, err)) != 0 ||
	    (r = read_key(how->import_key, NULL, key, err)) != 0)
		return r;
	if (X509_check_private_key(*cert, *key) != 1)
		return cd_err_ssl(err, CD_E_CA, "the key %s does not belong to "
		    "the certificate %s", how->import_key, how->import_cert);
	if (X509_check_ca(*cert) == 0)
		return cd_err_set(err, CD_E_CA, "%s is not a CA certificate",
		    how->import_cert);
	return 0;
}

/* The root key goes where the operator said, never under datadir. */
static int
root_key_place(const char *path, const char *datadir, char *dir,
    size_t dirlen, const char **name, struct cd_err *err)
{
	char real_dir[PATH_MAX], real_data[PATH_MAX], tmp[CD_PATH_MAX];
	char *slash;
	size_t n;

	if (path == NULL || *path == '\0')
		return cd_err_set(err, CD_E_INVAL, "a two-tier CA needs the "
		    "path to write the root key to");
	cd_strlcpy(tmp, path, sizeof(tmp));
	if ((slash = strrchr(tmp, '/')) == NULL) {
		cd_strlcpy(dir, ".", dirlen);
		*name = path;
	} else {
		*slash = '\0';
		cd_strlcpy(dir, slash == tmp ? "/" : tmp, dirlen);
		*name = path + (slash - tmp) + 1;
	}
	if (**name == '\0')
		return cd_err_set(err, CD_E_INVAL, "%s names no file", path);
	if (realpath(dir, real_dir) == NULL)
		return cd_err_set(err, CD_E_IO, "cannot use %s for the root "
		    "key: %s", dir, strerror(errno));
	if (realpath(datadir, real_data) != NULL) {
		n = strlen(real_data);
		if (strncmp(real_dir, real_data, n) == 0 &&
		    (real_dir[n] == '\0' || real_dir[n] == '/'))
			return cd_err_set(err, CD_E_INVAL, "the root key must "
			    "be kept offline, not in the data directory %s",
			    datadir);
	}
	return 0;
}

/*
 * A root (self-signed) and an issuing CA (pathLen 0) signed by it; the
 * root key is written to how->root_key at once.  *key, *chain: the
 * issuing CA's key and its chain (issuing, root).
 */
static int
two_tier(const struct cd_ca_init *how, const char *datadir, const char *pass,
    EVP_PKEY **key, STACK_OF(X509) **chain, struct cd_err *err)
{
	char rdir[CD_PATH_MAX], rcn[300];
	const char *rname = NULL, *cn = how->common_name ? how->common_name :
	    "certdesk CA";
	EVP_PKEY *rkey = NULL;
	X509 *root = NULL, *sub = NULL;
	int r;

	if ((r = root_key_place(how->root_key, datadir, rdir, sizeof(rdir),
	    &rname, err)) != 0)
		return r;
	snprintf(rcn, sizeof(rcn), "%s Root", cn);
	if ((r = cd_key_generate(how->key_type, &rkey, err)) != 0 ||
	    (r = cd_key_generate(how->key_type, key, err)) != 0 ||
	    (r = cd_cau_ca_cert(how, how->root_name ? how->root_name : rcn,
	    rkey, rkey, NULL, -1, &root, err)) != 0 ||
	    (r = cd_cau_ca_cert(how, cn, *key, rkey, root, 0, &sub,
	    err)) != 0)
		goto out;
	if ((*chain = sk_X509_new_null()) == NULL ||
	    !sk_X509_push(*chain, sub)) {
		r = cd_err_set(err, CD_E_NOMEM, NULL);
		goto out;
	}
	sub = NULL;
	if (!sk_X509_push(*chain, root)) {
		r = cd_err_set(err, CD_E_NOMEM, NULL);
		goto out;
	}
	root = NULL;
	r = cd_cau_write_pem(rdir, rname, rkey, pass, NULL, 0600, 1, err);
	if (r == CD_E_EXISTS)
		r = cd_err_set(err, CD_E_EXISTS, "%s exists already: the root "
		    "key is never overwritten", how->root_key);
out:
	EVP_PKEY_free(rkey);
	X509_free(root);
	X509_free(sub);
	return r;
}

static int
one_tier(const struct cd_ca_init *how, EVP_PKEY **key,
    STACK_OF(X509) **chain, struct cd_err *err)
{
	X509 *cert = NULL;
	int r;

	if (how->import_cert != NULL)
		r = imported(how, key, &cert, err);
	else if ((r = cd_key_generate(how->key_type, key, err)) == 0)
		r = cd_cau_ca_cert(how, how->common_name ? how->common_name :
		    "certdesk CA", *key, *key, NULL, -1, &cert, err);
	if (r != 0) {
		X509_free(cert);
		return r;
	}
	if ((*chain = sk_X509_new_null()) == NULL ||
	    !sk_X509_push(*chain, cert)) {
		X509_free(cert);
		return cd_err_set(err, CD_E_NOMEM, NULL);
	}
	return 0;
}

static int
local_init(const void *cfg, const char *datadir,
    const struct cd_ca_init *how, struct cd_err *err)
{
	char dir[CD_PATH_MAX], path[CD_PATH_MAX + 16], *pass = NULL;
	EVP_PKEY *key = NULL;
	STACK_OF(X509) *chain = NULL;
	size_t plen = 0;
	int r;

	if ((r = cd_path_join(dir, sizeof(dir), datadir, "ca", err)) != 0 ||
	    (r = cd_mkdir_p(dir, 0700, err)) != 0)
		return r;
	ca_path(path, sizeof(path), dir, "ca.key");
	if (access(path, F_OK) == 0)
		return cd_err_set(err, CD_E_EXISTS, "a CA exists already in %s",
		    dir);
	if ((r = passphrase(cfg, &pass, &plen, err)) != 0)
		return r;
	if (how->two_tier && how->import_cert != NULL)
		r = cd_err_set(err, CD_E_INVAL, "a two-tier CA is made "
		    "fresh, not imported");
	else if (how->two_tier)
		r = two_tier(how, datadir, pass, &key, &chain, err);
	else
		r = one_tier(how, &key, &chain, err);
	if (r == 0 && (r = cd_cau_write_pem(dir, "ca.crt", NULL, NULL, chain,
	    0644, 0, err)) == 0)
		r = cd_cau_write_pem(dir, "ca.key", key, pass, NULL, 0600, 0,
		    err);
	pass_free(pass, plen);
	EVP_PKEY_free(key);
	sk_X509_pop_free(chain, X509_free);
	return r;
}

/* ---- open ---------------------------------------------------------------- */

static void local_close(struct cd_ca *ca);

static int
local_open(const void *cfg, const char *datadir, struct cd_ca **out,
    struct cd_err *err)
{
	struct cd_ca *ca;
	char path[CD_PATH_MAX + 16], *pass = NULL;
	size_t plen = 0;
	int r;

	*out = NULL;
	if ((ca = calloc(1, sizeof(*ca))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((r = cd_path_join(ca->dir, sizeof(ca->dir), datadir, "ca",
	    err)) != 0)
		goto fail;
	ca_path(path, sizeof(path), ca->dir, "ca.crt");
	if ((r = cd_cau_read_certs(path, &ca->chain, err)) != 0)
		goto fail;
	ca->cert = sk_X509_value(ca->chain, 0);
	X509_up_ref(ca->cert);
	ca_path(path, sizeof(path), ca->dir, "ca.key");
	if ((r = passphrase(cfg, &pass, &plen, err)) != 0 ||
	    (r = read_key(path, pass, &ca->key, err)) != 0)
		goto fail;
	if (X509_check_private_key(ca->cert, ca->key) != 1) {
		r = cd_err_ssl(err, CD_E_CA, "the CA key %s does not belong "
		    "to the CA certificate", path);
		goto fail;
	}
	pass_free(pass, plen);
	*out = ca;
	return 0;
fail:
	pass_free(pass, plen);
	local_close(ca);
	return r;
}

static void
local_close(struct cd_ca *ca)
{
	if (ca == NULL)
		return;
	EVP_PKEY_free(ca->key);
	X509_free(ca->cert);
	sk_X509_pop_free(ca->chain, X509_free);
	free(ca);
}

static const STACK_OF(X509) *
local_chain(struct cd_ca *ca)
{
	return ca->chain;
}

/* ---- issue and revoke ---------------------------------------------------- */

/* The local CA answers at once: it never gives a ticket. */
static int
local_submit(struct cd_ca *ca, const struct cd_ca_req *req, X509 **out,
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
local_is_revoked(struct cd_ca *ca, const char *serial, int *out,
    struct cd_err *err)
{
	return cd_cau_is_revoked(ca->dir, serial, out, err);
}

static int
local_revoke(struct cd_ca *ca, const char *serial, int reason, int64_t when,
    struct cd_err *err)
{
	return cd_cau_revoke(ca->dir, serial, reason, when, err);
}

static int
local_crl_until(struct cd_ca *ca, int64_t now, int64_t next, X509_CRL **out,
    struct cd_err *err)
{
	return cd_cau_crl(ca->dir, ca->cert, ca->key, now, next, out, err);
}

static int
local_crl(struct cd_ca *ca, int64_t now, X509_CRL **out, struct cd_err *err)
{
	return local_crl_until(ca, now, now + 7 * 86400, out, err);
}

/* Release a hold (certificateHold only). */
static int
local_unrevoke(struct cd_ca *ca, const char *serial, struct cd_err *err)
{
	return cd_cau_unrevoke(ca->dir, serial, err);
}

const struct cd_ca_ops cd_ca_local_ops = {
	.name = "local",
	.caps = CD_CA_CAN_REVOKE | CD_CA_MAKES_CRL | CD_CA_NEEDS_CSR |
	    CD_CA_CAN_INIT,
	.conf_load = local_conf_load,
	.conf_free = free,
	.init = local_init,
	.open = local_open,
	.close = local_close,
	.submit = local_submit,
	.revoke = local_revoke,
	.is_revoked = local_is_revoked,
	.crl = local_crl,
	.chain = local_chain,
	.unrevoke = local_unrevoke,
	.crl_until = local_crl_until,
};
