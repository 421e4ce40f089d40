/* SPDX-License-Identifier: ISC */
/*
 * t-nss.c - cd_nss_import into scratch NSS databases, checked with the
 * real certutil: AES and 3DES packages, several certificates of one
 * person, database creation, nickname collisions, password-protected
 * stores, a wrong package password, rollback of a failed import and
 * re-import.  The packages are made here with OpenSSL.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "nss.h"
#include "fixture.h"
#include "util.h"

#define PFXPW	"Tr0ub4dor&3 pfx"
#define DBPW	"store secret 42"

static struct fx fx;
static const char *tmp = fx.dir;
static EVP_PKEY *ca_key;
static X509 *ca_cert;

struct pkg {
	unsigned char *der;
	size_t len;
	char serial[80];
	EVP_PKEY *key;
	X509 *cert;
};

/* ------------------------------------------------------------ fixtures */

static EVP_PKEY *
new_key(void)
{
	return EVP_RSA_gen(2048);
}

static int
set_serial(X509 *x, const BIGNUM *bn, char *hex, size_t hexlen)
{
	char *h;
	size_t i;

	if (BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL ||
	    (h = BN_bn2hex(bn)) == NULL)
		return 0;
	for (i = 0; h[i] != '\0'; i++)
		h[i] = (char)(h[i] >= 'A' && h[i] <= 'F' ? h[i] + 32 : h[i]);
	if (hex != NULL)
		snprintf(hex, hexlen, "%s", h);
	OPENSSL_free(h);
	return 1;
}

static int
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/*
 * A certificate for key with subject "CN=cn[,OU=ou],O=Example Ltd",
 * signed by the CA (or self-signed if issuer is NULL).  serial NULL =
 * a random 128-bit one; hex gets it.
 */
static X509 *
mk_cert(EVP_PKEY *key, const char *cn, const char *ou, X509 *issuer,
    EVP_PKEY *ikey, const BIGNUM *serial, char *hex, size_t hexlen)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	BIGNUM *bn = BN_new();
	int ok;

	ok = x != NULL && n != NULL && bn != NULL &&
	    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0) &&
	    (ou == NULL || X509_NAME_add_entry_by_txt(n, "OU", MBSTRING_UTF8,
	    (const unsigned char *)ou, -1, -1, 0)) &&
	    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8,
	    (const unsigned char *)"Example Ltd", -1, -1, 0) &&
	    (serial != NULL ? BN_copy(bn, serial) != NULL :
	    BN_rand(bn, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY)) &&
	    X509_set_version(x, 2) && set_serial(x, bn, hex, hexlen) &&
	    X509_set_subject_name(x, n) &&
	    X509_set_issuer_name(x, issuer != NULL ?
	    X509_get_subject_name(issuer) : n) &&
	    X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
	    X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365) &&
	    X509_set_pubkey(x, key);
	if (ok && issuer == NULL)
		ok = add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE") &&
		    add_ext(x, x, NID_key_usage,
		    "critical,keyCertSign,cRLSign");
	else if (ok)
		ok = add_ext(x, issuer, NID_basic_constraints, "CA:FALSE") &&
		    add_ext(x, issuer, NID_key_usage,
		    "critical,digitalSignature,keyEncipherment");
	ok = ok && X509_sign(x, ikey != NULL ? ikey : key, EVP_sha256()) > 0;
	X509_NAME_free(n);
	BN_free(bn);
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* The PKCS#12 DER of key+cert (+ the CA), AES-256/SHA-256 or 3DES/SHA-1. */
static int
mk_p12(struct pkg *p, const char *name, const char *pass, int legacy)
{
	STACK_OF(X509) *cas = sk_X509_new_null();
	int nid = legacy ? NID_pbe_WithSHA1And3_Key_TripleDES_CBC :
	    NID_aes_256_cbc;
	PKCS12 *p12 = NULL;
	unsigned char *out = NULL;
	int len = -1;

	if (cas != NULL && sk_X509_push(cas, ca_cert) > 0)
		p12 = PKCS12_create_ex(pass, name, p->key, p->cert, cas,
		    nid, nid, 2048, -1, 0, NULL, NULL);
	if (p12 != NULL && PKCS12_set_mac(p12, pass, -1, NULL, 0, 2048,
	    legacy ? EVP_sha1() : EVP_sha256()))
		len = i2d_PKCS12(p12, &out);
	PKCS12_free(p12);
	sk_X509_free(cas);
	if (len <= 0)
		return 0;
	OPENSSL_free(p->der);
	p->der = out;
	p->len = (size_t)len;
	return 1;
}

/* A package for a new key and certificate. */
static int
mk_pkg(struct pkg *p, const char *cn, const char *ou, const BIGNUM *serial,
    const char *name, int legacy)
{
	memset(p, 0, sizeof(*p));
	if ((p->key = new_key()) == NULL)
		return 0;
	p->cert = mk_cert(p->key, cn, ou, ca_cert, ca_key, serial, p->serial,
	    sizeof(p->serial));
	return p->cert != NULL && mk_p12(p, name, PFXPW, legacy);
}

static void
pkg_free(struct pkg *p)
{
	OPENSSL_free(p->der);
	EVP_PKEY_free(p->key);
	X509_free(p->cert);
	memset(p, 0, sizeof(*p));
}

/* ------------------------------------------------------------ certutil */

/* Run a shell command; its stdout in out (NUL-terminated); exit status. */
static int
run(const char *cmd, char *out, size_t outlen)
{
	FILE *f;
	size_t n = 0, k;
	int st;

	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	while (n + 1 < outlen && (k = fread(out + n, 1, outlen - n - 1,
	    f)) > 0)
		n += k;
	out[n] = '\0';
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * certutil -L: count certificates and user certificates (trust u,u,u);
 * has_nick gets 1 if a certificate is listed as nick with trust u,u,u.
 */
static int
list_certs(const char *dir, int *users, const char *nick, int *has_nick)
{
	char cmd[512], out[16384], *line, *save, *end;
	int n = 0, header = 1;

	*users = 0;
	if (has_nick != NULL)
		*has_nick = 0;
	snprintf(cmd, sizeof(cmd), "certutil -L -d sql:%s 2>&1", dir);
	if (run(cmd, out, sizeof(out)) != 0)
		return -1;
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (header) {
			if (strstr(line, "SSL,S/MIME") != NULL)
				header = 0;
			continue;
		}
		cd_trim(line);
		if (*line == '\0')
			continue;
		n++;
		end = strrchr(line, ' ');
		if (end == NULL || strcmp(end + 1, "u,u,u") != 0)
			continue;
		(*users)++;
		*end = '\0';
		cd_trim(line);
		if (nick != NULL && strcmp(line, nick) == 0)
			*has_nick = 1;
	}
	return n;
}

/* certutil -K: the number of private keys (orphans included). */
static int
count_keys(const char *dir, const char *pwfile)
{
	char cmd[512], out[16384], *line, *save;
	int n = 0;

	snprintf(cmd, sizeof(cmd), "certutil -K -d sql:%s %s%s 2>/dev/null",
	    dir, pwfile != NULL ? "-f " : "", pwfile != NULL ? pwfile : "");
	if (run(cmd, out, sizeof(out)) != 0)
		return strstr(out, "no keys") != NULL ? 0 : -1;
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (line[0] == '<')
			n++;
	return n;
}

/* ------------------------------------------------------------ helpers */

static void
dbdir(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", tmp, name);
}

static int
import(const char *dir, const char *dbpw, const struct pkg *p,
    const char *pfxpw, const char *nick, struct cd_nss_result *res,
    struct cd_err *err)
{
	char spec[600];

	snprintf(spec, sizeof(spec), "sql:%s", dir);
	cd_err_clear(err);
	return cd_nss_import(spec, dbpw, p->der, p->len, pfxpw, nick, res,
	    err);
}

/* ------------------------------------------------------------ tests */

static void
test_resolve(void)
{
	char out[1100], cwd[512], want[1200];
	struct cd_err err;

	setenv("HOME", tmp, 1);
	is_int(cd_nss_resolve(NULL, out, sizeof(out), &err), 0,
	    "resolve NULL");
	snprintf(want, sizeof(want), "sql:%s/.pki/nssdb", tmp);
	is_str(out, want, "NULL means sql:$HOME/.pki/nssdb");
	cd_nss_resolve("", out, sizeof(out), &err);
	is_str(out, want, "\"\" means sql:$HOME/.pki/nssdb");
	cd_nss_resolve("sql:/var/db/nss//", out, sizeof(out), &err);
	is_str(out, "sql:/var/db/nss", "sql: spec kept, trailing / dropped");
	cd_nss_resolve("/srv/nssdb", out, sizeof(out), &err);
	is_str(out, "sql:/srv/nssdb", "a plain directory means sql:");
	cd_nss_resolve("~/db", out, sizeof(out), &err);
	snprintf(want, sizeof(want), "sql:%s/db", tmp);
	is_str(out, want, "~/ is the home directory");
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		cwd[0] = '\0';
	cd_nss_resolve("sql:rel/db", out, sizeof(out), &err);
	snprintf(want, sizeof(want), "sql:%s/rel/db", cwd);
	is_str(out, want, "a relative directory is made absolute");
	is_int(cd_nss_resolve("dbm:/old/db", out, sizeof(out), &err),
	    CD_E_CONFIG, "dbm: stores are refused");
	like(err.msg, "only sql:", "... with a reason");
}

/* A new AES package into a store that does not exist yet ($HOME). */
static void
test_create_default(void)
{
	struct cd_nss_result res;
	struct cd_err err;
	struct pkg p;
	char dir[512], want[600];
	struct stat st;
	int users, has, np;

	setenv("HOME", tmp, 1);
	snprintf(dir, sizeof(dir), "%s/.pki/nssdb", tmp);
	np = 0;
	cd_nss_needs_password(NULL, &np, &err);
	is_int(np, 0, "a missing store needs no password");
	if (!ok(mk_pkg(&p, "Susan Smith", NULL, NULL, "Susan Smith", 0),
	    "AES package made"))
		return;
	cd_err_clear(&err);
	is_int(cd_nss_import(NULL, NULL, p.der, p.len, PFXPW,
	    "Susan Smith - Signing", &res, &err), 0,
	    "AES package imported into a new default store");
	if (err.code != 0)
		diag("%s", err.msg);
	ok(stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	    (st.st_mode & 0777) == 0700, "store directory created 0700");
	snprintf(want, sizeof(want), "%s/cert9.db", dir);
	ok(access(want, F_OK) == 0, "cert9.db created");
	snprintf(want, sizeof(want), "sql:%s", dir);
	is_str(res.dbspec, want, "result names the store");
	is_str(res.nickname, "Susan Smith - Signing", "preferred nickname");
	is_str(res.serial, p.serial, "serial reported in lower-case hex");
	list_certs(dir, &users, "Susan Smith - Signing", &has);
	is_int(users, 1, "certutil -L: one user certificate");
	ok(has, "certutil -L: listed by nickname with u,u,u");
	is_int(count_keys(dir, NULL), 1, "certutil -K: its key");
	np = 1;
	is_int(cd_nss_needs_password("", &np, &err), 0, "needs_password ok");
	is_int(np, 0, "an empty-password store needs no password");
	pkg_free(&p);
}

/* Legacy 3DES packages: several policies of one person, one subject. */
static void
test_legacy_several(void)
{
	static const char *const pol[] = { "Signing", "Encryption" };
	struct cd_nss_result res;
	struct cd_err err;
	struct pkg p[3];
	char dir[512], nick[128];
	int i, users, has;

	dbdir(dir, sizeof(dir), "legacy");
	for (i = 0; i < 2; i++) {
		snprintf(nick, sizeof(nick), "Susan Smith - %s", pol[i]);
		if (!ok(mk_pkg(&p[i], "Susan Smith", NULL, NULL, nick, 1),
		    "3DES package %s made", pol[i]))
			return;
		is_int(import(dir, NULL, &p[i], PFXPW, nick, &res, &err), 0,
		    "3DES package %s imported", pol[i]);
		if (err.code != 0)
			diag("%s", err.msg);
		is_str(res.serial, p[i].serial, "serial of %s", pol[i]);
		/* NSS keeps one nickname per subject. */
		is_str(res.nickname, "Susan Smith - Signing",
		    "nickname of %s is the subject's", pol[i]);
	}
	/* A policy with its own subject gets its own nickname. */
	if (!ok(mk_pkg(&p[2], "Susan Smith", "Staff", NULL, "x", 0),
	    "AES package with another subject made"))
		return;
	is_int(import(dir, NULL, &p[2], PFXPW, "Susan Smith - Staff", &res,
	    &err), 0, "AES package with another subject imported");
	is_str(res.nickname, "Susan Smith - Staff", "its own nickname");
	list_certs(dir, &users, "Susan Smith - Signing", &has);
	is_int(users, 3, "certutil -L: three user certificates");
	ok(has, "certutil -L: the shared nickname is a user certificate");
	list_certs(dir, &users, "Susan Smith - Staff", &has);
	ok(has, "certutil -L: the own nickname is a user certificate");
	is_int(count_keys(dir, NULL), 3, "certutil -K: three keys");
	for (i = 0; i < 3; i++)
		pkg_free(&p[i]);
}

/* Different subjects wanting one nickname: NAME, NAME (2), NAME (3). */
static void
test_collision(void)
{
	static const char *const want[] = { "Team Key", "Team Key (2)",
	    "Team Key (3)" };
	static const char *const cn[] = { "Alice Example", "Bob Example",
	    "Carol Example" };
	struct cd_nss_result res;
	struct cd_err err;
	struct pkg p;
	char dir[512];
	int i, users, has;

	dbdir(dir, sizeof(dir), "collide");
	for (i = 0; i < 3; i++) {
		if (!mk_pkg(&p, cn[i], NULL, NULL, "Team Key", 0)) {
			ok(0, "package made");
			return;
		}
		is_int(import(dir, NULL, &p, PFXPW, "Team Key", &res, &err), 0,
		    "%s imported", cn[i]);
		is_str(res.nickname, want[i], "%s gets the next nickname",
		    cn[i]);
		list_certs(dir, &users, want[i], &has);
		ok(has, "certutil -L lists \"%s\" with u,u,u", want[i]);
		if (i == 2) {
			/* The same file again is harmless. */
			is_int(import(dir, NULL, &p, PFXPW, "Team Key", &res,
			    &err), 0, "re-import of the same file succeeds");
			is_str(res.nickname, want[i], "... same nickname");
			list_certs(dir, &users, NULL, NULL);
			is_int(users, 3, "... no extra certificate");
			is_int(count_keys(dir, NULL), 3, "... no extra key");
		}
		pkg_free(&p);
	}
}

/* A non-ASCII package password must reach NSS as the same BMPString. */
static void
test_utf8_password(void)
{
	static const char pw[] = "p\xc3\xa4ssw\xc3\xb6rd \xe2\x82\xac";
	struct cd_nss_result res;
	struct cd_err err;
	struct pkg p;
	char dir[512], longnick[700];
	int legacy;
	size_t i;

	/* 300 two-byte characters: shortened at a character boundary. */
	for (i = 0; i < 300; i++)
		memcpy(longnick + 2 * i, "\xc3\xa9", 2);
	longnick[600] = '\0';
	dbdir(dir, sizeof(dir), "utf8");
	for (legacy = 0; legacy < 2; legacy++) {
		if (!ok(mk_pkg(&p, legacy ? "Hugo Example" : "Ida Example",
		    NULL, NULL, "x", legacy), "package made") ||
		    !ok(mk_p12(&p, "x", pw, legacy), "UTF-8 password set"))
			return;
		is_int(import(dir, NULL, &p, pw, legacy ? longnick : "Umlaut",
		    &res, &err), 0, "UTF-8 package password accepted (%s)",
		    legacy ? "3DES" : "AES");
		if (err.code != 0)
			diag("%s", err.msg);
		if (legacy)
			ok(strlen(res.nickname) > 200 &&
			    strlen(res.nickname) % 2 == 0 &&
			    strncmp(res.nickname, longnick,
			    strlen(res.nickname)) == 0,
			    "a long nickname is shortened between characters");
		pkg_free(&p);
	}
	is_int(count_keys(dir, NULL), 2, "certutil -K: both keys");
}

static void
test_wrong_pfx_password(void)
{
	struct cd_nss_result res;
	struct cd_err err;
	struct pkg p;
	char dir[512];
	int users;

	dbdir(dir, sizeof(dir), "badpfx");
	if (!ok(mk_pkg(&p, "Dan Example", NULL, NULL, "Dan", 0),
	    "package made"))
		return;
	is_int(import(dir, NULL, &p, "not the password", "Dan", &res, &err),
	    CD_E_NSS, "wrong package password refused (AES)");
	is_str(err.msg, "the package password was not accepted",
	    "... with the sentence");
	ok(strstr(err.msg, PFXPW) == NULL, "... without the password");
	pkg_free(&p);
	if (!ok(mk_pkg(&p, "Dan Example", NULL, NULL, "Dan", 1),
	    "3DES package made"))
		return;
	is_int(import(dir, NULL, &p, "", "Dan", &res, &err), CD_E_NSS,
	    "wrong package password refused (3DES)");
	is_str(err.msg, "the package password was not accepted",
	    "... with the sentence");
	list_certs(dir, &users, NULL, NULL);
	is_int(users, 0, "no certificate imported");
	is_int(count_keys(dir, NULL), 0, "no key imported");
	pkg_free(&p);
}

/* Issuer+serial of an existing, different cert: nothing is left behind. */
static void
test_rollback(void)
{
	struct cd_nss_result res;
	struct cd_err err;
	struct pkg a, b;
	BIGNUM *sn = NULL;
	char dir[512];
	int n, users, keys;

	dbdir(dir, sizeof(dir), "rollback");
	if (!ok(mk_pkg(&a, "Erin Example", NULL, NULL, "Erin", 0),
	    "first package made"))
		return;
	is_int(import(dir, NULL, &a, PFXPW, "Erin", &res, &err), 0,
	    "first package imported");
	BN_hex2bn(&sn, a.serial);
	if (!ok(mk_pkg(&b, "Frank Example", NULL, sn, "Frank", 0),
	    "package reusing issuer and serial made"))
		return;
	n = list_certs(dir, &users, NULL, NULL);
	keys = count_keys(dir, NULL);
	is_int(keys, 1, "one key before");
	is_int(import(dir, NULL, &b, PFXPW, "Frank", &res, &err), CD_E_NSS,
	    "import of a reused issuer and serial fails");
	like(err.msg, "same issuer and serial number", "... and says why");
	like(err.msg, "were removed", "... and that it cleaned up");
	is_int(count_keys(dir, NULL), keys, "certutil -K: no orphan key");
	is_int(list_certs(dir, &users, NULL, NULL), n,
	    "certutil -L: no certificate added");
	is_int(users, 1, "the first certificate is still there");
	pkg_free(&a);
	pkg_free(&b);
	BN_free(sn);
}

static void
test_password_db(void)
{
	struct cd_nss_result res;
	struct cd_err err;
	struct pkg p;
	char dir[512], pwfile[600], cmd[1400], out[4096];
	int np, users, has;
	FILE *f;

	dbdir(dir, sizeof(dir), "locked");
	snprintf(pwfile, sizeof(pwfile), "%s/pwfile", tmp);
	mkdir(dir, 0700);
	if ((f = fopen(pwfile, "w")) != NULL) {
		fputs(DBPW "\n", f);
		fclose(f);
	}
	snprintf(cmd, sizeof(cmd), "certutil -N -d sql:%s -f %s 2>&1", dir,
	    pwfile);
	if (run(cmd, out, sizeof(out)) != 0) {
		skip("password-protected store", "certutil -N failed");
		return;
	}
	np = 0;
	is_int(cd_nss_needs_password(dir, &np, &err), 0, "needs_password");
	is_int(np, 1, "a protected store needs a password");
	if (!ok(mk_pkg(&p, "Gina Example", NULL, NULL, "Gina", 0),
	    "package made"))
		return;
	is_int(import(dir, NULL, &p, PFXPW, "Gina", &res, &err), CD_E_AUTH,
	    "no store password: CD_E_AUTH");
	snprintf(cmd, sizeof(cmd), "the personal certificate store %s is "
	    "protected by a password", dir);
	is_str(err.msg, cmd, "... protected by a password");
	is_int(import(dir, "wrong", &p, PFXPW, "Gina", &res, &err), CD_E_AUTH,
	    "wrong store password: CD_E_AUTH");
	snprintf(cmd, sizeof(cmd), "wrong password for the personal "
	    "certificate store %s", dir);
	is_str(err.msg, cmd, "... wrong password");
	is_int(import(dir, DBPW, &p, PFXPW, "Gina", &res, &err), 0,
	    "right store password: imported");
	if (err.code != 0)
		diag("%s", err.msg);
	list_certs(dir, &users, "Gina", &has);
	ok(has, "certutil -L: Gina u,u,u");
	is_int(count_keys(dir, pwfile), 1, "certutil -K -f: its key");
	pkg_free(&p);
}

static void
test_bad_input(void)
{
	struct cd_nss_result res;
	struct cd_err err;
	char dir[512];
	unsigned char junk[64];

	dbdir(dir, sizeof(dir), "junk");
	memset(junk, 0x30, sizeof(junk));
	cd_err_clear(&err);
	ok(cd_nss_import(dir, NULL, junk, sizeof(junk), PFXPW, "X", &res,
	    &err) < 0, "junk is refused");
	ok(err.msg[0] != '\0', "... with a message: %s", err.msg);
	is_int(cd_nss_import(dir, NULL, junk, sizeof(junk), PFXPW, "", &res,
	    &err), CD_E_INVAL, "an empty nickname is refused");
}

static int
make_ca(void)
{
	if ((ca_key = new_key()) == NULL)
		return 0;
	ca_cert = mk_cert(ca_key, "certdesk Test CA", NULL, NULL, NULL, NULL,
	    NULL, 0);
	return ca_cert != NULL;
}

int
main(void)
{
	char out[256];

	if (run("certutil -H >/dev/null 2>&1; command -v certutil", out,
	    sizeof(out)) != 0)
		skip_all("certutil (libnss3-tools) not installed");
	fx_init(&fx, "t-nss");
	if (!ok(make_ca(), "test CA made"))
		return done_testing();
	test_resolve();
	test_create_default();
	test_legacy_several();
	test_collision();
	test_utf8_password();
	test_wrong_pfx_password();
	test_rollback();
	test_password_db();
	test_bad_input();
	EVP_PKEY_free(ca_key);
	X509_free(ca_cert);
	fx_cleanup(&fx);
	return done_testing();
}
