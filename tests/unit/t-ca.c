/* SPDX-License-Identifier: ISC */
/*
 * t-ca.c - conformance suite for the CA interface, run against every
 * built backend in a fresh data directory: init, issue from a CSR
 * (subject, SAN, key usage, validity, signature; the subject and
 * extensions come from the policy, not the CSR; a CSR whose signature
 * does not verify is refused), the pending path (submit, poll, cancel,
 * and the issue-and-wait loop's stop and time-out) for backends that may
 * answer later, serial uniqueness and size, revocation and CRLs (or the
 * checked refusal when a backend lacks them), importing an existing CA,
 * unreadable keys.  The pkcs11 backend runs when
 * $CERTDESK_TEST_P11_CONF names a configuration with its settings (a
 * SoftHSM2 token: tests/ca/pkcs11.sh); its key is in the token, so the
 * key-file checks become "no key in the data directory", importing is
 * refused, and the unreadable file is the CA certificate.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "ca.h"
#include "fixture.h"
#include "x509.h"

static const struct cd_ca_ops *O;
static void *CFG;		/* the backend's settings, or NULL */
static struct cd_conf *p11_conf;
static struct fx fx;
static const char *base = fx.dir;

static void
fresh_dir(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s-%s", base, O->name, name);
	mkdir(out, 0700);
}

/* The request a collection makes: policy parameters and their CSR. */
static void
make_req(struct cd_ca_req *req, EVP_PKEY *key, const char *subj,
    const char *san)
{
	struct cd_err err;

	memset(req, 0, sizeof(*req));
	if (cd_x509_name_parse(subj, &req->params.subject, &err) != 0 ||
	    (san && cd_x509_san_parse(san, &req->params.san, &err) != 0))
		diag("setup: %s", err.msg);
	req->params.policy = "test";
	req->params.key_usage = CD_KU_DIGITAL_SIGNATURE |
	    CD_KU_NON_REPUDIATION;
	req->params.ext_key_usage = CD_EKU_CLIENT_AUTH |
	    CD_EKU_EMAIL_PROTECTION;
	req->params.validity_days = 30;
	if (cd_ca_req_build(key, req, &err) != 0)
		diag("CSR: %s", err.msg);
}

/* submit, then poll until answered (no waiting: a contract test). */
static int
submit_poll(struct cd_ca *ca, const struct cd_ca_req *req, X509 **x,
    int *polls, struct cd_err *err)
{
	char ticket[CD_CA_TICKET_MAX];
	int r, n = 0;

	r = O->submit(ca, req, x, ticket, err);
	while (r == CD_CA_PENDING && n < 100) {
		n++;
		r = O->poll(ca, ticket, x, err);
	}
	if (polls != NULL)
		*polls = n;
	return r;
}

static X509 *
issue(struct cd_ca *ca, enum cd_key_type kt, const char *subj,
    const char *san, EVP_PKEY **keyp)
{
	struct cd_ca_req req;
	struct cd_err err;
	EVP_PKEY *key = NULL;
	X509 *x = NULL;

	if (cd_key_generate(kt, &key, &err) != 0)
		diag("setup: %s", err.msg);
	make_req(&req, key, subj, san);
	if (submit_poll(ca, &req, &x, NULL, &err) != 0)
		diag("issue: %s", err.msg);
	cd_ca_req_clear(&req);
	if (keyp)
		*keyp = key;
	else
		EVP_PKEY_free(key);
	return x;
}

/* Proof of possession, and the policy (not the CSR) decides content. */
static void
test_csr(struct cd_ca *ca)
{
	EVP_PKEY *key = NULL, *other = NULL;
	struct cd_ca_req req, fake;
	struct cd_err err;
	GENERAL_NAMES *san;
	X509 *x = NULL;
	char text[256] = "";
	int r;

	cd_key_generate(CD_KEY_EC_P256, &key, &err);
	cd_key_generate(CD_KEY_EC_P256, &other, &err);
	/* A CSR that asks for more than the policy gives. */
	make_req(&fake, key, "CN=Mallory, O=Evil", "dns:evil.example");
	make_req(&req, key, "CN=Susan Smith", "email:susan@example.com");
	X509_REQ_free(req.csr);
	req.csr = fake.csr;
	fake.csr = NULL;
	r = submit_poll(ca, &req, &x, NULL, &err);
	ok(r == 0 && x != NULL, "%s: issue from a CSR", O->name);
	if (x != NULL) {
		cd_x509_name_text(X509_get_subject_name(x), text,
		    sizeof(text));
		is_str(text, "CN=Susan Smith", "%s: the subject is the "
		    "policy's, not the CSR's", O->name);
		san = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
		ok(san != NULL && sk_GENERAL_NAME_num(san) == 1 &&
		    sk_GENERAL_NAME_value(san, 0)->type == GEN_EMAIL,
		    "%s: so is the subjectAltName", O->name);
		GENERAL_NAMES_free(san);
		ok(X509_check_private_key(x, key) == 1, "%s: for the CSR's "
		    "key", O->name);
	}
	X509_free(x);
	x = NULL;
	/* Another key swapped in after signing: no proof of possession. */
	X509_REQ_set_pubkey(req.csr, other);
	r = submit_poll(ca, &req, &x, NULL, &err);
	ok(r == CD_E_CA && x == NULL, "%s: a CSR whose signature does not "
	    "verify is refused", O->name);
	like(err.msg, "proof of possession", "%s: saying why", O->name);
	X509_free(x);
	cd_ca_req_clear(&req);
	cd_ca_req_clear(&fake);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
}

static int waits;

static int
wait_count(void *arg, int waited_s)
{
	waits++;
	return arg != NULL;	/* non-NULL: stop at once */
}

/* submit -> pending(ticket) -> poll -> done; cancel; the wait loop. */
static void
test_pending(struct cd_ca *ca)
{
	char ticket[CD_CA_TICKET_MAX] = "";
	struct cd_ca_req req;
	struct cd_err err;
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	int r, polls = 0;

	cd_key_generate(CD_KEY_EC_P256, &key, &err);
	make_req(&req, key, "CN=Slow Answer", NULL);
	if (!(O->caps & CD_CA_ANSWERS_LATER)) {
		ok(O->submit(ca, &req, &x, ticket, &err) == 0 && x != NULL &&
		    ticket[0] == '\0', "%s: answers at once, no ticket",
		    O->name);
		X509_free(x);
		x = NULL;
		ok(cd_ca_issue(O, ca, &req, 0, wait_count, NULL, &x,
		    &err) == 0 && x != NULL && waits == 0, "%s: issue-and-wait "
		    "asks once and never waits", O->name);
		goto out;
	}
	ok(O->poll != NULL && O->cancel != NULL, "%s: may answer later, so "
	    "it can be polled and cancelled", O->name);
	r = O->submit(ca, &req, &x, ticket, &err);
	ok(r == CD_CA_PENDING && x == NULL && ticket[0] != '\0',
	    "%s: submit answers pending with a ticket", O->name);
	ok(O->cancel(ca, ticket, &err) == 0, "%s: cancel it", O->name);
	ok(O->poll(ca, ticket, &x, &err) == CD_E_CA && x == NULL,
	    "%s: a cancelled ticket is not answered", O->name);
	ok(submit_poll(ca, &req, &x, &polls, &err) == 0 && x != NULL &&
	    polls > 0, "%s: polled until the certificate came", O->name);
	X509_free(x);
	x = NULL;
	waits = 0;
	ok(cd_ca_issue(O, ca, &req, 60, wait_count, NULL, &x, &err) == 0 &&
	    x != NULL && waits > 0, "%s: issue-and-wait waits, then answers",
	    O->name);
	X509_free(x);
	x = NULL;
	ok(cd_ca_issue(O, ca, &req, 60, wait_count, "stop", &x, &err) ==
	    CD_E_CANCELLED && x == NULL, "%s: the wait callback stops it",
	    O->name);
	like(err.msg, "cancelled", "%s: and the request is cancelled",
	    O->name);
	ok(cd_ca_issue(O, ca, &req, 0, NULL, NULL, &x, &err) ==
	    CD_E_TIMEOUT && x == NULL, "%s: out of time: CD_E_TIMEOUT",
	    O->name);
	like(err.msg, "did not answer within 0 seconds", "%s: saying so",
	    O->name);
out:
	X509_free(x);
	cd_ca_req_clear(&req);
	EVP_PKEY_free(key);
}

static void
test_issue(struct cd_ca *ca)
{
	const STACK_OF(X509) *chain = O->chain(ca);
	X509 *cacert = sk_X509_value(chain, 0), *x;
	EVP_PKEY *key;
	GENERAL_NAMES *san;
	char text[512];
	int days, secs;

	ok(sk_X509_num(chain) >= 1 && X509_check_ca(cacert),
	    "%s: chain starts with a CA certificate", O->name);
	x = issue(ca, CD_KEY_EC_P256, "CN=Susan Smith, O=Example\\, Ltd",
	    "email:susan@example.com, upn:susan@corp.example.com, dns:", &key);
	ok(x != NULL, "%s: issue an EC P-256 certificate", O->name);
	if (x == NULL)
		return;
	cd_x509_name_text(X509_get_subject_name(x), text, sizeof(text));
	is_str(text, "O=Example\\, Ltd,CN=Susan Smith",
	    "%s: subject with an escaped comma", O->name);
	ok(X509_verify(x, X509_get0_pubkey(cacert)) == 1,
	    "%s: signed by the CA", O->name);
	ok(X509_check_private_key(x, key) == 1, "%s: for the given key",
	    O->name);
	san = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	is_int(san ? sk_GENERAL_NAME_num(san) : 0, 2,
	    "%s: e-mail and UPN in subjectAltName, empty dns dropped", O->name);
	GENERAL_NAMES_free(san);
	ok((X509_get_key_usage(x) & (KU_DIGITAL_SIGNATURE |
	    KU_NON_REPUDIATION)) == (KU_DIGITAL_SIGNATURE |
	    KU_NON_REPUDIATION) && !(X509_get_key_usage(x) &
	    KU_KEY_CERT_SIGN), "%s: key usage as asked", O->name);
	ok(X509_get_extended_key_usage(x) == (XKU_SSL_CLIENT | XKU_SMIME),
	    "%s: extended key usage as asked", O->name);
	ok(X509_check_ca(x) == 0, "%s: not a CA", O->name);
	ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(x),
	    X509_get0_notAfter(x));
	is_int(days, 30, "%s: validity in days", O->name);
	X509_free(x);
	EVP_PKEY_free(key);
	x = issue(ca, CD_KEY_RSA2048, "CN=Rsa User", NULL, NULL);
	ok(x != NULL && EVP_PKEY_get_bits(X509_get0_pubkey(x)) == 2048,
	    "%s: issue an RSA-2048 certificate", O->name);
	X509_free(x);
}

static void
test_serials(struct cd_ca *ca, char first[][80], int keep)
{
	char seen[200][80];
	int i, j, dup = 0, small = 0;
	X509 *x;
	BIGNUM *bn;

	for (i = 0; i < 200; i++) {
		x = issue(ca, CD_KEY_EC_P256, "CN=Serial Test", NULL, NULL);
		cd_x509_serial_hex(x, seen[i], sizeof(seen[i]));
		bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
		if (BN_num_bits(bn) < 64 || BN_is_negative(bn))
			small++;
		BN_free(bn);
		X509_free(x);
		for (j = 0; j < i; j++)
			dup += strcmp(seen[i], seen[j]) == 0;
	}
	is_int(dup, 0, "%s: 200 serials, all distinct", O->name);
	is_int(small, 0, "%s: serials positive with at least 64 bits",
	    O->name);
	for (i = 0; i < keep; i++)
		snprintf(first[i], 80, "%s", seen[i]);
}

static int
crl_has(X509_CRL *crl, const char *serial, int *reason)
{
	STACK_OF(X509_REVOKED) *revs = X509_CRL_get_REVOKED(crl);
	char hex[80];
	int i;

	for (i = 0; i < sk_X509_REVOKED_num(revs); i++) {
		X509_REVOKED *r = sk_X509_REVOKED_value(revs, i);
		BIGNUM *bn = ASN1_INTEGER_to_BN(
		    X509_REVOKED_get0_serialNumber(r), NULL);
		char *h = BN_bn2hex(bn), *p;
		ASN1_ENUMERATED *e;

		for (p = h; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'F' ? *p + 32 : *p);
		snprintf(hex, sizeof(hex), "%s", h);
		OPENSSL_free(h);
		BN_free(bn);
		if (strcmp(hex, serial) != 0)
			continue;
		e = X509_REVOKED_get_ext_d2i(r, NID_crl_reason, NULL, NULL);
		*reason = e ? (int)ASN1_ENUMERATED_get(e) : 0;
		ASN1_ENUMERATED_free(e);
		return 1;
	}
	return 0;
}

static long
crl_number(X509_CRL *crl)
{
	ASN1_INTEGER *n = X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL,
	    NULL);
	long v = n ? ASN1_INTEGER_get(n) : -1;

	ASN1_INTEGER_free(n);
	return v;
}

static void
test_revocation(struct cd_ca *ca)
{
	char s[3][80];
	struct cd_err err;
	X509_CRL *c1 = NULL, *c2 = NULL;
	int rev = -1, reason = -1;

	test_serials(ca, s, 3);
	ok(cd_ca_revoke(O, 0, ca, s[0], CD_CRL_CESSATION, 1000, &err) ==
	    CD_E_CA, "%s: without the capability, revoking is refused",
	    O->name);
	like(err.msg, "cannot revoke", "%s: clearly", O->name);
	ok(cd_ca_crl(O, 0, ca, 1000, &c1, &err) == CD_E_CA && c1 == NULL,
	    "%s: without the capability, a CRL is refused", O->name);
	like(err.msg, "does not make CRLs", "%s: clearly", O->name);
	if (!(O->caps & CD_CA_CAN_REVOKE) || !(O->caps & CD_CA_MAKES_CRL)) {
		ok(O->caps & CD_CA_CAN_REVOKE ? O->revoke != NULL :
		    cd_ca_revoke(O, O->caps, ca, s[0], 0, 0, &err) == CD_E_CA,
		    "%s: its declared revocation holds", O->name);
		return;
	}
	ok(O->revoke(ca, s[0], CD_CRL_CESSATION, 1000, &err) == 0 &&
	    O->revoke(ca, s[0], CD_CRL_CESSATION, 2000, &err) == 0,
	    "%s: revoking twice is harmless", O->name);
	ok(O->revoke(ca, s[1], CD_CRL_KEY_COMPROMISE, 1000, &err) == 0,
	    "%s: revoke another", O->name);
	ok(O->revoke(ca, "not hex!", 0, 1000, &err) == CD_E_INVAL,
	    "%s: a malformed serial is refused", O->name);
	ok(O->is_revoked(ca, s[0], &rev, &err) == 0 && rev == 1,
	    "%s: is_revoked yes", O->name);
	ok(O->is_revoked(ca, s[2], &rev, &err) == 0 && rev == 0,
	    "%s: is_revoked no", O->name);
	ok(O->crl(ca, 5000, &c1, &err) == 0 && c1 != NULL, "%s: CRL",
	    O->name);
	if (c1 == NULL)
		return;
	ok(X509_CRL_verify(c1, X509_get0_pubkey(sk_X509_value(O->chain(ca),
	    0))) == 1, "%s: CRL signed by the CA", O->name);
	is_int(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(c1)), 2,
	    "%s: CRL lists each revoked serial once", O->name);
	ok(crl_has(c1, s[0], &reason) && reason == CD_CRL_CESSATION,
	    "%s: with its reason", O->name);
	ok(crl_has(c1, s[1], &reason) && reason == CD_CRL_KEY_COMPROMISE,
	    "%s: key compromise reason", O->name);
	ok(!crl_has(c1, s[2], &reason), "%s: not the others", O->name);
	ok(O->crl(ca, 6000, &c2, &err) == 0 && crl_number(c2) >
	    crl_number(c1), "%s: the CRL number increases", O->name);
	X509_CRL_free(c1);
	X509_CRL_free(c2);
}

/* A CA made outside certdesk, written as PEM files. */
static void
external_ca(const char *dir, int is_ca)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	char path[512];
	FILE *f;

	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)"External CA", -1, -1, 0);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 4242);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, n);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, key);
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
	    is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	X509_sign(x, key, EVP_sha256());
	snprintf(path, sizeof(path), "%s/ext.crt", dir);
	f = fopen(path, "w");
	PEM_write_X509(f, x);
	fclose(f);
	snprintf(path, sizeof(path), "%s/ext.key", dir);
	f = fopen(path, "w");
	PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	X509_NAME_free(n);
	X509_free(x);
	EVP_PKEY_free(key);
}

/* A backend whose key is in a token never imports one. */
static int
token_backend(void)
{
	struct cd_ca_init how;
	struct cd_err err;
	char dir[400];

	if (O != &cd_ca_pkcs11_ops)
		return 0;
	fresh_dir(dir, sizeof(dir), "import");
	memset(&how, 0, sizeof(how));
	how.import_cert = "/dev/null";
	how.import_key = "/dev/null";
	ok(O->init(CFG, dir, &how, &err) == CD_E_CA, "%s: importing a key is "
	    "refused", O->name);
	like(err.msg, "in the token", "%s: saying why", O->name);
	return 1;
}

static void
test_import(void)
{
	char dir[400], crt[512], keyf[512], other[400];
	struct cd_ca_init how;
	struct cd_ca *ca = NULL;
	struct cd_err err;

	if (token_backend())
		return;
	fresh_dir(other, sizeof(other), "other");
	external_ca(other, 1);
	fresh_dir(dir, sizeof(dir), "import");
	external_ca(dir, 1);	/* a different key: mismatched with other */
	memset(&how, 0, sizeof(how));
	snprintf(crt, sizeof(crt), "%s/ext.crt", other);
	snprintf(keyf, sizeof(keyf), "%s/ext.key", dir);
	how.import_cert = crt;
	how.import_key = keyf;
	ok(O->init(CFG, dir, &how, &err) == CD_E_CA, "%s: a key of another "
	    "certificate is refused", O->name);
	like(err.msg, "does not belong", "%s: saying so", O->name);
	snprintf(keyf, sizeof(keyf), "%s/ext.key", other);
	ok(O->init(CFG, dir, &how, &err) == 0 && O->open(CFG, dir, &ca, &err) == 0,
	    "%s: import an existing CA", O->name);
	if (ca != NULL) {
		X509 *x = issue(ca, CD_KEY_EC_P256, "CN=Imported", NULL, NULL);
		char text[256] = "";

		if (x != NULL)
			cd_x509_name_text(X509_get_issuer_name(x), text,
			    sizeof(text));
		is_str(text, "CN=External CA", "%s: issues under the imported "
		    "CA", O->name);
		X509_free(x);
		O->close(ca);
	}
	fresh_dir(dir, sizeof(dir), "notca");
	external_ca(dir, 0);
	snprintf(crt, sizeof(crt), "%s/ext.crt", dir);
	snprintf(keyf, sizeof(keyf), "%s/ext.key", dir);
	ok(O->init(CFG, dir, &how, &err) == CD_E_CA, "%s: a non-CA certificate is "
	    "refused", O->name);
}

static void
test_backend(void)
{
	char dir[400], path[512];
	struct cd_ca_init how;
	struct cd_ca *ca = NULL;
	struct cd_err err;
	struct stat st;

	fresh_dir(dir, sizeof(dir), "data");
	memset(&how, 0, sizeof(how));
	how.key_type = CD_KEY_EC_P384;
	how.common_name = "Test CA";
	ok(O->init(CFG, dir, &how, &err) == 0, "%s: init a fresh CA", O->name);
	snprintf(path, sizeof(path), "%s/ca/ca.key", dir);
	if (O == &cd_ca_pkcs11_ops)
		ok(stat(path, &st) == -1, "%s: no CA key in the data "
		    "directory", O->name);
	else
		ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
		    "%s: the CA key is 0600", O->name);
	ok(O->init(CFG, dir, &how, &err) == CD_E_EXISTS, "%s: init twice refused",
	    O->name);
	ok(O->open(CFG, dir, &ca, &err) == 0, "%s: open", O->name);
	if (ca == NULL)
		return;
	test_issue(ca);
	test_csr(ca);
	test_pending(ca);
	test_revocation(ca);
	O->close(ca);
	test_import();
	/* an unreadable key: a directory where the key file should be */
	fresh_dir(dir, sizeof(dir), "broken");
	O->init(CFG, dir, &how, &err);
	snprintf(path, sizeof(path), "%s/ca/%s", dir, O == &cd_ca_pkcs11_ops ?
	    "ca.crt" : "ca.key");
	unlink(path);
	mkdir(path, 0700);
	ca = NULL;
	ok(O->open(CFG, dir, &ca, &err) == CD_E_CA, "%s: an unreadable CA "
	    "file", O->name);
	like(err.msg, strrchr(path, '/') + 1, "%s: names the file", O->name);
}

/* The pkcs11 backend's settings from $CERTDESK_TEST_P11_CONF. */
static int
p11_settings(void)
{
	const char *path = getenv("CERTDESK_TEST_P11_CONF");
	struct cd_err err;

	if (path == NULL || *path == '\0') {
		/* not a skip: tests/ca/pkcs11.sh runs this program again
		   with a SoftHSM2 token, and fails if the suite did not run */
		diag("pkcs11: the conformance suite runs in tests/ca/pkcs11.sh");
		return 0;
	}
	if (cd_conf_load(path, &p11_conf, &err) != 0)
		bail_out("%s: %s", path, err.msg);
	if (p11_conf->ca.ops != &cd_ca_pkcs11_ops)
		bail_out("%s: [ca] backend is not pkcs11", path);
	CFG = p11_conf->ca.cfg;
	return 1;
}

int
main(void)
{
	int i;

	fx_init(&fx, "t-ca");
	for (i = 0; cd_ca_backends[i] != NULL; i++) {
		O = cd_ca_backends[i];
		if (O == &cd_ca_pkcs11_ops && !p11_settings())
			continue;
		/* a CA set up outside certdesk: its own suite (scep.sh) */
		if (O->caps & CD_CA_CAN_INIT)
			test_backend();
		CFG = NULL;
	}
	cd_conf_free(p11_conf);
	ok(cd_ca_find(NULL) == cd_ca_backends[0] && cd_ca_find("LOCAL") ==
	    &cd_ca_local_ops && cd_ca_find("remote-x") == NULL,
	    "backends are found by name");
	for (i = 0; cd_ca_backends[i] != NULL; i++) {
		O = cd_ca_backends[i];
		ok((cd_ca_caps(O, NULL) & ~O->caps) == 0 && (O->caps &
		    CD_CA_NEEDS_CSR) && (!(O->caps & CD_CA_CAN_REVOKE) ||
		    (O->revoke != NULL && O->is_revoked != NULL)) &&
		    (!(O->caps & CD_CA_MAKES_CRL) || O->crl != NULL) &&
		    (!(O->caps & CD_CA_ANSWERS_LATER) || (O->poll != NULL &&
		    O->cancel != NULL)), "%s: its operations match its "
		    "capability bits", O->name);
	}
	fx_cleanup(&fx);
	return done_testing();
}
