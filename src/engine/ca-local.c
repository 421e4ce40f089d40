/*
 * ca-local.c - the local CA: a key and self-signed (or imported)
 * certificate under DATADIR/ca, issuing with OpenSSL, keeping its own
 * list of revoked serials and signing CRLs from it.
 *
 *   DATADIR/ca/ca.key     PEM private key, 0600
 *   DATADIR/ca/ca.crt     PEM certificate
 *   DATADIR/ca/revoked    "serial epoch reason" lines
 *   DATADIR/ca/crlnumber  the last CRL number
 *   DATADIR/ca/lock       flock() serialises updates across processes
 *
 * It has no settings of its own in [ca].  It answers every request at
 * once: the CSR's signature is checked (proof of possession), then its
 * key is certified with the policy's subject, SAN, usages and validity.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "ca.h"
#include "util.h"
#include "x509.h"

struct cd_ca {
	char dir[CD_PATH_MAX];
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) *chain;
};

static int
ca_path(char *out, size_t len, const char *dir, const char *name)
{
	return cd_path_join(out, len, dir, name, NULL);
}

/* Add an extension given in openssl.cnf syntax. */
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

/* A positive random serial of 128 bits (top bit clear). */
static int
random_serial(X509 *x)
{
	unsigned char buf[16];
	BIGNUM *bn;
	int ok;

	if (RAND_bytes(buf, sizeof(buf)) != 1)
		return 0;
	buf[0] &= 0x7f;
	buf[0] |= 0x40;		/* keep it 16 bytes long */
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

static int
set_validity(X509 *x, int64_t from, int days)
{
	return X509_time_adj_ex(X509_getm_notBefore(x), 0, 0,
	    &(time_t){ (time_t)from }) != NULL &&
	    X509_time_adj_ex(X509_getm_notAfter(x), days, 0,
	    &(time_t){ (time_t)from }) != NULL;
}

/* ---- init ---------------------------------------------------------------- */

static int
write_pem(const char *dir, const char *name, EVP_PKEY *key, X509 *cert,
    mode_t mode, struct cd_err *err)
{
	BIO *bio;
	char *data;
	long len;
	int r;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((key != NULL && PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0,
	    NULL, NULL) != 1) || (cert != NULL &&
	    PEM_write_bio_X509(bio, cert) != 1)) {
		BIO_free(bio);
		return cd_err_ssl(err, CD_E_CRYPTO, "cannot encode %s", name);
	}
	len = BIO_get_mem_data(bio, &data);
	r = cd_write_atomic(dir, name, data, (size_t)len, mode, NULL, 0, err);
	OPENSSL_cleanse(data, (size_t)len);
	BIO_free(bio);
	return r;
}

static int
self_signed(const struct cd_ca_init *how, EVP_PKEY *key, X509 **out,
    struct cd_err *err)
{
	X509 *x;
	X509_NAME *name = NULL;
	char subj[512];
	int ok;

	snprintf(subj, sizeof(subj), "CN=%s%s%s", how->common_name ?
	    how->common_name : "certdesk CA", how->organisation ? ", O=" : "",
	    how->organisation ? how->organisation : "");
	if (cd_x509_name_parse(subj, &name, err) != 0)
		return CD_E_CONFIG;
	if ((x = X509_new()) == NULL) {
		X509_NAME_free(name);
		return cd_err_set(err, CD_E_NOMEM, NULL);
	}
	ok = X509_set_version(x, 2) && random_serial(x) &&
	    X509_set_subject_name(x, name) && X509_set_issuer_name(x, name) &&
	    set_validity(x, (int64_t)time(NULL) - 60, how->validity_days ?
	    how->validity_days : 3650) && X509_set_pubkey(x, key) &&
	    add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE") &&
	    add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign") &&
	    add_ext(x, x, NID_subject_key_identifier, "hash") &&
	    add_ext(x, x, NID_authority_key_identifier, "keyid:always") &&
	    X509_sign(x, key, sign_md(key)) > 0;
	X509_NAME_free(name);
	if (!ok) {
		X509_free(x);
		return cd_err_ssl(err, CD_E_CRYPTO, "cannot make the CA "
		    "certificate");
	}
	*out = x;
	return 0;
}

static int
read_key(const char *path, EVP_PKEY **out, struct cd_err *err)
{
	FILE *f;

	if ((f = fopen(path, "re")) == NULL)
		return cd_err_set(err, CD_E_CA, "cannot read the CA key %s: %s",
		    path, strerror(errno));
	*out = PEM_read_PrivateKey(f, NULL, NULL, (void *)"");
	fclose(f);
	if (*out == NULL)
		return cd_err_ssl(err, CD_E_CA, "%s is not an unencrypted PEM "
		    "private key", path);
	return 0;
}

static int
read_cert(const char *path, X509 **out, struct cd_err *err)
{
	FILE *f;

	if ((f = fopen(path, "re")) == NULL)
		return cd_err_set(err, CD_E_CA, "cannot read the CA "
		    "certificate %s: %s", path, strerror(errno));
	*out = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (*out == NULL)
		return cd_err_ssl(err, CD_E_CA, "%s is not a PEM certificate",
		    path);
	return 0;
}

static int
imported(const struct cd_ca_init *how, EVP_PKEY **key, X509 **cert,
    struct cd_err *err)
{
	int r;

	if ((r = read_cert(how->import_cert, cert, err)) != 0 ||
	    (r = read_key(how->import_key, key, err)) != 0)
		return r;
	if (X509_check_private_key(*cert, *key) != 1)
		return cd_err_ssl(err, CD_E_CA, "the key %s does not belong to "
		    "the certificate %s", how->import_key, how->import_cert);
	if (X509_check_ca(*cert) == 0)
		return cd_err_set(err, CD_E_CA, "%s is not a CA certificate",
		    how->import_cert);
	return 0;
}

static int
local_init(const void *cfg, const char *datadir,
    const struct cd_ca_init *how, struct cd_err *err)
{
	char dir[CD_PATH_MAX], path[CD_PATH_MAX + 16];
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	int r;

	if ((r = cd_path_join(dir, sizeof(dir), datadir, "ca", err)) != 0 ||
	    (r = cd_mkdir_p(dir, 0700, err)) != 0)
		return r;
	ca_path(path, sizeof(path), dir, "ca.key");
	if (access(path, F_OK) == 0)
		return cd_err_set(err, CD_E_EXISTS, "a CA exists already in %s",
		    dir);
	if (how->import_cert != NULL)
		r = imported(how, &key, &cert, err);
	else if ((r = cd_key_generate(how->key_type, &key, err)) == 0)
		r = self_signed(how, key, &cert, err);
	if (r == 0 && (r = write_pem(dir, "ca.crt", NULL, cert, 0644, err)) ==
	    0)
		r = write_pem(dir, "ca.key", key, NULL, 0600, err);
	EVP_PKEY_free(key);
	X509_free(cert);
	return r;
}

/* ---- open ---------------------------------------------------------------- */

static void local_close(struct cd_ca *ca);

static int
local_open(const void *cfg, const char *datadir, struct cd_ca **out,
    struct cd_err *err)
{
	struct cd_ca *ca;
	char path[CD_PATH_MAX + 16];
	int r;

	*out = NULL;
	if ((ca = calloc(1, sizeof(*ca))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((r = cd_path_join(ca->dir, sizeof(ca->dir), datadir, "ca",
	    err)) != 0)
		goto fail;
	ca_path(path, sizeof(path), ca->dir, "ca.crt");
	if ((r = read_cert(path, &ca->cert, err)) != 0)
		goto fail;
	ca_path(path, sizeof(path), ca->dir, "ca.key");
	if ((r = read_key(path, &ca->key, err)) != 0)
		goto fail;
	if ((ca->chain = sk_X509_new_null()) == NULL ||
	    !sk_X509_push(ca->chain, ca->cert)) {
		r = cd_err_set(err, CD_E_NOMEM, NULL);
		goto fail;
	}
	X509_up_ref(ca->cert);
	*out = ca;
	return 0;
fail:
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

/* ---- issue --------------------------------------------------------------- */

/* Certify pub with the policy's parameters (never the CSR's own). */
static int
sign_cert(struct cd_ca *ca, EVP_PKEY *pub, const struct cd_issue *p,
    X509 **out, struct cd_err *err)
{
	X509 *x;
	char ku[160], eku[200];
	int ok;

	*out = NULL;
	if ((x = X509_new()) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	cd_x509_ku_text(p->key_usage, ku, sizeof(ku));
	cd_x509_eku_text(p->ext_key_usage, eku, sizeof(eku));
	ok = X509_set_version(x, 2) && random_serial(x) &&
	    X509_set_issuer_name(x, X509_get_subject_name(ca->cert)) &&
	    X509_set_subject_name(x, p->subject) &&
	    set_validity(x, p->not_before ? p->not_before :
	    (int64_t)time(NULL), p->validity_days) &&
	    X509_set_pubkey(x, pub) &&
	    add_ext(x, ca->cert, NID_basic_constraints, "critical,CA:FALSE") &&
	    (ku[0] == '\0' || add_ext(x, ca->cert, NID_key_usage, ku)) &&
	    (eku[0] == '\0' || add_ext(x, ca->cert, NID_ext_key_usage, eku)) &&
	    add_ext(x, ca->cert, NID_subject_key_identifier, "hash") &&
	    add_ext(x, ca->cert, NID_authority_key_identifier,
	    "keyid,issuer") &&
	    (p->san == NULL || X509_add1_ext_i2d(x, NID_subject_alt_name,
	    p->san, 0, X509V3_ADD_DEFAULT) == 1) &&
	    cd_x509_add_practice(x, p->crl_url, p->ca_issuers_url,
	    p->policy_oid) &&
	    X509_sign(x, ca->key, sign_md(ca->key)) > 0;
	if (!ok) {
		X509_free(x);
		return cd_err_ssl(err, CD_E_CA, "the CA could not issue the "
		    "certificate");
	}
	*out = x;
	return 0;
}

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
	r = sign_cert(ca, pub, &req->params, out, err);
	EVP_PKEY_free(pub);
	return r;
}

/* ---- revocation ---------------------------------------------------------- */

static int
lock_ca(struct cd_ca *ca, struct cd_err *err)
{
	char path[CD_PATH_MAX + 16];
	int fd;

	ca_path(path, sizeof(path), ca->dir, "lock");
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		return cd_err_set(err, CD_E_CA, "cannot lock %s: %s", path,
		    strerror(errno));
	while (flock(fd, LOCK_EX) == -1)
		if (errno != EINTR) {
			close(fd);
			return cd_err_set(err, CD_E_CA, "cannot lock %s: %s",
			    path, strerror(errno));
		}
	return fd;
}

/* The revocation list file's text ("" when there is none). */
static int
read_revoked(struct cd_ca *ca, char **text, struct cd_err *err)
{
	char path[CD_PATH_MAX + 16];
	unsigned char *data;
	size_t len;
	int r;

	ca_path(path, sizeof(path), ca->dir, "revoked");
	if (access(path, F_OK) != 0) {
		*text = strdup("");
		return *text ? 0 : cd_err_set(err, CD_E_NOMEM, NULL);
	}
	r = cd_read_file(path, 256 << 20, &data, &len, err);
	*text = (char *)data;
	return r;
}

/* Line of serial in text, or NULL. */
static const char *
find_serial(const char *text, const char *serial)
{
	size_t n = strlen(serial);
	const char *p = text;

	while ((p = strstr(p, serial)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return p;
		p += n;
	}
	return NULL;
}

static int
local_is_revoked(struct cd_ca *ca, const char *serial, int *out,
    struct cd_err *err)
{
	char *text;
	int r;

	if ((r = read_revoked(ca, &text, err)) != 0)
		return r;
	*out = find_serial(text, serial) != NULL;
	free(text);
	return 0;
}

static int
local_revoke(struct cd_ca *ca, const char *serial, int reason, int64_t when,
    struct cd_err *err)
{
	char *text = NULL, *next = NULL, line[160];
	size_t len;
	int fd, r;

	if (*serial == '\0' || strspn(serial, "0123456789abcdef") !=
	    strlen(serial))
		return cd_err_set(err, CD_E_INVAL, "'%s' is not a serial",
		    serial);
	if ((fd = lock_ca(ca, err)) < 0)
		return fd;
	if ((r = read_revoked(ca, &text, err)) != 0)
		goto out;
	if (find_serial(text, serial) != NULL)
		goto out;
	snprintf(line, sizeof(line), "%s %lld %d\n", serial, (long long)when,
	    reason);
	len = strlen(text);
	if ((next = malloc(len + strlen(line) + 1)) == NULL) {
		r = cd_err_set(err, CD_E_NOMEM, NULL);
		goto out;
	}
	memcpy(next, text, len);
	strcpy(next + len, line);
	r = cd_write_atomic(ca->dir, "revoked", next, strlen(next), 0600, NULL,
	    0, err);
out:
	free(text);
	free(next);
	close(fd);
	return r;
}

static int
add_crl_entry(X509_CRL *crl, const char *line)
{
	char serial[80];
	long long when;
	int reason, ok = 0;
	BIGNUM *bn = NULL;
	ASN1_INTEGER *sn = NULL;
	ASN1_TIME *t = NULL;
	ASN1_ENUMERATED *rc = NULL;
	X509_REVOKED *rev = NULL;

	if (sscanf(line, "%79s %lld %d", serial, &when, &reason) != 3)
		return 1;	/* skip a damaged line rather than fail */
	if (BN_hex2bn(&bn, serial) == 0 || (sn = BN_to_ASN1_INTEGER(bn,
	    NULL)) == NULL || (t = ASN1_TIME_set(NULL, (time_t)when)) ==
	    NULL || (rev = X509_REVOKED_new()) == NULL ||
	    (rc = ASN1_ENUMERATED_new()) == NULL ||
	    ASN1_ENUMERATED_set(rc, reason) != 1)
		goto out;
	if (X509_REVOKED_set_serialNumber(rev, sn) != 1 ||
	    X509_REVOKED_set_revocationDate(rev, t) != 1 ||
	    (reason != 0 && X509_REVOKED_add1_ext_i2d(rev, NID_crl_reason, rc,
	    0, 0) != 1) || X509_CRL_add0_revoked(crl, rev) != 1)
		goto out;
	rev = NULL;
	ok = 1;
out:
	X509_REVOKED_free(rev);
	ASN1_ENUMERATED_free(rc);
	ASN1_TIME_free(t);
	ASN1_INTEGER_free(sn);
	BN_free(bn);
	return ok;
}

/* Next CRL number, persisted (call with the lock held). */
static long
next_crl_number(struct cd_ca *ca)
{
	char path[CD_PATH_MAX + 16], buf[32];
	unsigned char *data;
	size_t len;
	long n = 0;

	ca_path(path, sizeof(path), ca->dir, "crlnumber");
	if (cd_read_file(path, 64, &data, &len, NULL) == 0) {
		n = strtol((char *)data, NULL, 10);
		free(data);
	}
	n++;
	snprintf(buf, sizeof(buf), "%ld\n", n);
	if (cd_write_atomic(ca->dir, "crlnumber", buf, strlen(buf), 0600,
	    NULL, 0, NULL) != 0)
		return -1;
	return n;
}

static int
crl_fill(struct cd_ca *ca, X509_CRL *crl, const char *text, int64_t now,
    int64_t next, long number)
{
	const char *line;
	ASN1_TIME *t1 = ASN1_TIME_set(NULL, (time_t)now);
	ASN1_TIME *t2 = ASN1_TIME_set(NULL, (time_t)next);
	ASN1_INTEGER *num = ASN1_INTEGER_new();
	X509V3_CTX ctx;
	X509_EXTENSION *aki;
	int ok;

	ok = t1 && t2 && num && ASN1_INTEGER_set(num, number) &&
	    X509_CRL_set_version(crl, 1) &&
	    X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca->cert)) &&
	    X509_CRL_set1_lastUpdate(crl, t1) &&
	    X509_CRL_set1_nextUpdate(crl, t2) &&
	    X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0, 0) == 1;
	for (line = text; ok && *line != '\0'; line = strchr(line, '\n') + 1) {
		ok = add_crl_entry(crl, line);
		if (strchr(line, '\n') == NULL)
			break;
	}
	if (ok) {
		X509V3_set_ctx(&ctx, ca->cert, NULL, NULL, crl, 0);
		aki = X509V3_EXT_conf_nid(NULL, &ctx,
		    NID_authority_key_identifier, "keyid,issuer");
		ok = aki != NULL && X509_CRL_add_ext(crl, aki, -1);
		X509_EXTENSION_free(aki);
	}
	ASN1_TIME_free(t1);
	ASN1_TIME_free(t2);
	ASN1_INTEGER_free(num);
	return ok && X509_CRL_sort(crl) &&
	    X509_CRL_sign(crl, ca->key, sign_md(ca->key)) > 0;
}

static int
local_crl_until(struct cd_ca *ca, int64_t now, int64_t next, X509_CRL **out,
    struct cd_err *err)
{
	X509_CRL *crl = NULL;
	char *text = NULL;
	long number;
	int fd, r;

	*out = NULL;
	if ((fd = lock_ca(ca, err)) < 0)
		return fd;
	if ((r = read_revoked(ca, &text, err)) != 0)
		goto out;
	if ((number = next_crl_number(ca)) < 0) {
		r = cd_err_set(err, CD_E_CA, "cannot update the CRL number in "
		    "%s", ca->dir);
		goto out;
	}
	if ((crl = X509_CRL_new()) == NULL ||
	    !crl_fill(ca, crl, text, now, next, number)) {
		r = cd_err_ssl(err, CD_E_CA, "cannot sign the CRL");
		goto out;
	}
	*out = crl;
	crl = NULL;
out:
	X509_CRL_free(crl);
	free(text);
	close(fd);
	return r;
}

static int
local_crl(struct cd_ca *ca, int64_t now, X509_CRL **out, struct cd_err *err)
{
	return local_crl_until(ca, now, now + 7 * 86400, out, err);
}

/* Release a hold: drop the serial's line if its reason is certificateHold. */
static int
local_unrevoke(struct cd_ca *ca, const char *serial, struct cd_err *err)
{
	char *text = NULL;
	const char *line, *end;
	long long when;
	int fd, reason, r;

	if ((fd = lock_ca(ca, err)) < 0)
		return fd;
	if ((r = read_revoked(ca, &text, err)) != 0 ||
	    (line = find_serial(text, serial)) == NULL)
		goto out;
	if (sscanf(line + strlen(serial), " %lld %d", &when, &reason) != 2 ||
	    reason != CD_CRL_CERTIFICATE_HOLD) {
		r = cd_err_set(err, CD_E_STATE, "certificate %s is revoked "
		    "for good, not on hold", serial);
		goto out;
	}
	end = strchr(line, '\n');
	end = end != NULL ? end + 1 : line + strlen(line);
	memmove((char *)line, end, strlen(end) + 1);
	r = cd_write_atomic(ca->dir, "revoked", text, strlen(text), 0600, NULL,
	    0, err);
out:
	free(text);
	close(fd);
	return r;
}

const struct cd_ca_ops cd_ca_local_ops = {
	.name = "local",
	.caps = CD_CA_CAN_REVOKE | CD_CA_MAKES_CRL | CD_CA_NEEDS_CSR |
	    CD_CA_CAN_INIT,
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
