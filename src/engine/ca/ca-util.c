/* SPDX-License-Identifier: ISC */
/*
 * ca-util.c - what the CA backends that sign themselves share: building
 * and signing CA and subscriber certificates with any EVP_PKEY (a key
 * file or a key in a token), PEM files, secrets from a file or a systemd
 * credential, and the revocation list and CRLs kept under a CA directory
 * (ca-int.h).
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

#include "ca-int.h"
#include "util.h"
#include "x509.h"

int
cd_cau_add_ext(X509 *x, X509 *issuer, int nid, const char *value)
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

const EVP_MD *
cd_cau_md(EVP_PKEY *key)
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

int
cd_cau_ca_cert(const struct cd_ca_init *how, const char *cn, EVP_PKEY *pub,
    EVP_PKEY *key, X509 *issuer, int path_len, X509 **out,
    struct cd_err *err)
{
	X509 *x;
	X509_NAME *name = NULL;
	char subj[512], bc[64];
	int ok;

	*out = NULL;
	snprintf(subj, sizeof(subj), "CN=%s%s%s", cn, how->organisation ?
	    ", O=" : "", how->organisation ? how->organisation : "");
	if (path_len >= 0)
		snprintf(bc, sizeof(bc), "critical,CA:TRUE,pathlen:%d",
		    path_len);
	else
		cd_strlcpy(bc, "critical,CA:TRUE", sizeof(bc));
	if (cd_x509_name_parse(subj, &name, err) != 0)
		return CD_E_CONFIG;
	if ((x = X509_new()) == NULL) {
		X509_NAME_free(name);
		return cd_err_set(err, CD_E_NOMEM, NULL);
	}
	if (issuer == NULL)
		issuer = x;
	ok = X509_set_version(x, 2) && random_serial(x) &&
	    X509_set_subject_name(x, name) &&
	    X509_set_issuer_name(x, issuer == x ? name :
	    X509_get_subject_name(issuer)) &&
	    set_validity(x, (int64_t)time(NULL) - 60, how->validity_days ?
	    how->validity_days : 3650) && X509_set_pubkey(x, pub) &&
	    cd_cau_add_ext(x, issuer, NID_basic_constraints, bc) &&
	    cd_cau_add_ext(x, issuer, NID_key_usage,
	    "critical,keyCertSign,cRLSign") &&
	    cd_cau_add_ext(x, issuer, NID_subject_key_identifier, "hash") &&
	    cd_cau_add_ext(x, issuer, NID_authority_key_identifier,
	    "keyid:always") &&
	    X509_sign(x, key, cd_cau_md(key)) > 0;
	X509_NAME_free(name);
	if (!ok) {
		X509_free(x);
		return cd_err_ssl(err, CD_E_CRYPTO, "cannot make the CA "
		    "certificate");
	}
	*out = x;
	return 0;
}

int
cd_cau_sign(X509 *cacert, EVP_PKEY *key, EVP_PKEY *pub,
    const struct cd_issue *p, X509 **out, struct cd_err *err)
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
	    X509_set_issuer_name(x, X509_get_subject_name(cacert)) &&
	    X509_set_subject_name(x, p->subject) &&
	    set_validity(x, p->not_before ? p->not_before :
	    (int64_t)time(NULL), p->validity_days) &&
	    X509_set_pubkey(x, pub) &&
	    cd_cau_add_ext(x, cacert, NID_basic_constraints,
	    "critical,CA:FALSE") &&
	    (ku[0] == '\0' || cd_cau_add_ext(x, cacert, NID_key_usage, ku)) &&
	    (eku[0] == '\0' || cd_cau_add_ext(x, cacert, NID_ext_key_usage,
	    eku)) &&
	    cd_cau_add_ext(x, cacert, NID_subject_key_identifier, "hash") &&
	    cd_cau_add_ext(x, cacert, NID_authority_key_identifier,
	    "keyid,issuer") &&
	    (p->san == NULL || X509_add1_ext_i2d(x, NID_subject_alt_name,
	    p->san, 0, X509V3_ADD_DEFAULT) == 1) &&
	    cd_x509_add_practice(x, p->crl_url, p->ca_issuers_url,
	    p->policy_oid) &&
	    X509_sign(x, key, cd_cau_md(key)) > 0;
	if (!ok) {
		X509_free(x);
		return cd_err_ssl(err, CD_E_CA, "the CA could not issue the "
		    "certificate");
	}
	*out = x;
	return 0;
}

/* ---- files --------------------------------------------------------------- */

int
cd_cau_read_certs(const char *path, STACK_OF(X509) **out, struct cd_err *err)
{
	STACK_OF(X509) *sk;
	X509 *x;
	FILE *f;

	*out = NULL;
	if ((f = fopen(path, "re")) == NULL)
		return cd_err_set(err, CD_E_CA, "cannot read the CA "
		    "certificate %s: %s", path, strerror(errno));
	if ((sk = sk_X509_new_null()) == NULL) {
		fclose(f);
		return cd_err_set(err, CD_E_NOMEM, NULL);
	}
	while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL)
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			break;
		}
	fclose(f);
	ERR_clear_error();	/* the end of the file */
	if (sk_X509_num(sk) == 0) {
		sk_X509_free(sk);
		return cd_err_set(err, CD_E_CA, "%s is not a PEM certificate",
		    path);
	}
	*out = sk;
	return 0;
}

int
cd_cau_write_pem(const char *dir, const char *name, EVP_PKEY *key,
    const char *pass, const STACK_OF(X509) *certs, mode_t mode, int excl,
    struct cd_err *err)
{
	BIO *bio;
	char *data;
	long len;
	int i, ok = 1, r;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if (key != NULL)
		ok = PEM_write_bio_PKCS8PrivateKey(bio, key, pass ?
		    EVP_aes_256_cbc() : NULL, NULL, 0, NULL,
		    (void *)pass) == 1;
	for (i = 0; ok && i < sk_X509_num(certs); i++)
		ok = PEM_write_bio_X509(bio, sk_X509_value(certs, i)) == 1;
	if (!ok) {
		BIO_free(bio);
		return cd_err_ssl(err, CD_E_CRYPTO, "cannot encode %s", name);
	}
	len = BIO_get_mem_data(bio, &data);
	r = (excl ? cd_write_new : cd_write_atomic)(dir, name, data,
	    (size_t)len, mode, NULL, 0, err);
	OPENSSL_cleanse(data, (size_t)len);
	BIO_free(bio);
	return r;
}

int
cd_cau_secret(const char *file, const char *cred, const char *what,
    char **out, size_t *len, struct cd_err *err)
{
	char path[CD_PATH_MAX];
	const char *dir;
	struct cd_err sub;
	unsigned char *data = NULL;
	size_t n = 0;
	int r;

	*out = NULL;
	if (file == NULL || *file == '\0') {
		if ((dir = getenv("CREDENTIALS_DIRECTORY")) == NULL ||
		    *dir == '\0')
			return cd_err_set(err, CD_E_CA, "the %s is a systemd "
			    "credential '%s', but $CREDENTIALS_DIRECTORY is "
			    "not set", what, cred);
		if ((r = cd_path_join(path, sizeof(path), dir, cred,
		    err)) != 0)
			return r;
		file = path;
	}
	if (cd_read_file(file, 4096, &data, &n, &sub) != 0)
		return cd_err_set(err, CD_E_CA, "cannot read the %s: %s", what,
		    sub.msg);
	while (n > 0 && (data[n - 1] == '\n' || data[n - 1] == '\r'))
		n--;
	data[n] = '\0';
	if (n == 0)
		r = cd_err_set(err, CD_E_CA, "the %s in %s is empty", what,
		    file);
	else if ((*out = cd_secret_strdup((char *)data, len)) == NULL)
		r = cd_err_set(err, CD_E_NOMEM, NULL);
	cd_wipe_free(data, n);
	return r;
}

/* ---- revocation ---------------------------------------------------------- */

static int
lock_dir(const char *dir, struct cd_err *err)
{
	char path[CD_PATH_MAX + 16];
	int fd;

	cd_path_join(path, sizeof(path), dir, "lock", NULL);
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
read_revoked(const char *dir, char **text, struct cd_err *err)
{
	char path[CD_PATH_MAX + 16];
	unsigned char *data;
	size_t len;
	int r;

	cd_path_join(path, sizeof(path), dir, "revoked", NULL);
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

int
cd_cau_is_revoked(const char *dir, const char *serial, int *out,
    struct cd_err *err)
{
	char *text;
	int r;

	if ((r = read_revoked(dir, &text, err)) != 0)
		return r;
	*out = find_serial(text, serial) != NULL;
	free(text);
	return 0;
}

int
cd_cau_revoke(const char *dir, const char *serial, int reason, int64_t when,
    struct cd_err *err)
{
	char *text = NULL, *next = NULL, line[160];
	size_t len;
	int fd, r;

	if (*serial == '\0' || strspn(serial, "0123456789abcdef") !=
	    strlen(serial))
		return cd_err_set(err, CD_E_INVAL, "'%s' is not a serial",
		    serial);
	if ((fd = lock_dir(dir, err)) < 0)
		return fd;
	if ((r = read_revoked(dir, &text, err)) != 0)
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
	r = cd_write_atomic(dir, "revoked", next, strlen(next), 0600, NULL,
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
next_crl_number(const char *dir)
{
	char path[CD_PATH_MAX + 16], buf[32];
	unsigned char *data;
	size_t len;
	long n = 0;

	cd_path_join(path, sizeof(path), dir, "crlnumber", NULL);
	if (cd_read_file(path, 64, &data, &len, NULL) == 0) {
		n = strtol((char *)data, NULL, 10);
		free(data);
	}
	n++;
	snprintf(buf, sizeof(buf), "%ld\n", n);
	if (cd_write_atomic(dir, "crlnumber", buf, strlen(buf), 0600,
	    NULL, 0, NULL) != 0)
		return -1;
	return n;
}

static int
crl_fill(X509 *cacert, EVP_PKEY *key, X509_CRL *crl, const char *text,
    int64_t now, int64_t next, long number)
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
	    X509_CRL_set_issuer_name(crl, X509_get_subject_name(cacert)) &&
	    X509_CRL_set1_lastUpdate(crl, t1) &&
	    X509_CRL_set1_nextUpdate(crl, t2) &&
	    X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0, 0) == 1;
	for (line = text; ok && *line != '\0'; line = strchr(line, '\n') + 1) {
		ok = add_crl_entry(crl, line);
		if (strchr(line, '\n') == NULL)
			break;
	}
	if (ok) {
		X509V3_set_ctx(&ctx, cacert, NULL, NULL, crl, 0);
		aki = X509V3_EXT_conf_nid(NULL, &ctx,
		    NID_authority_key_identifier, "keyid,issuer");
		ok = aki != NULL && X509_CRL_add_ext(crl, aki, -1);
		X509_EXTENSION_free(aki);
	}
	ASN1_TIME_free(t1);
	ASN1_TIME_free(t2);
	ASN1_INTEGER_free(num);
	return ok && X509_CRL_sort(crl) &&
	    X509_CRL_sign(crl, key, cd_cau_md(key)) > 0;
}

int
cd_cau_crl(const char *dir, X509 *cacert, EVP_PKEY *key, int64_t now,
    int64_t next, X509_CRL **out, struct cd_err *err)
{
	X509_CRL *crl = NULL;
	char *text = NULL;
	long number;
	int fd, r;

	*out = NULL;
	if ((fd = lock_dir(dir, err)) < 0)
		return fd;
	if ((r = read_revoked(dir, &text, err)) != 0)
		goto out;
	if ((number = next_crl_number(dir)) < 0) {
		r = cd_err_set(err, CD_E_CA, "cannot update the CRL number in "
		    "%s", dir);
		goto out;
	}
	if ((crl = X509_CRL_new()) == NULL ||
	    !crl_fill(cacert, key, crl, text, now, next, number)) {
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

/* Release a hold: drop the serial's line if its reason is certificateHold. */
int
cd_cau_unrevoke(const char *dir, const char *serial, struct cd_err *err)
{
	char *text = NULL;
	const char *line, *end;
	long long when;
	int fd, reason, r;

	if ((fd = lock_dir(dir, err)) < 0)
		return fd;
	if ((r = read_revoked(dir, &text, err)) != 0 ||
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
	r = cd_write_atomic(dir, "revoked", text, strlen(text), 0600, NULL, 0,
	    err);
out:
	free(text);
	close(fd);
	return r;
}
