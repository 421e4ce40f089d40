/* SPDX-License-Identifier: ISC */
/*
 * x509.c - keys, subject names and subjectAltNames for certificate
 * requests, built with the OpenSSL 3 API.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "util.h"
#include "x509.h"

int
cd_key_generate(enum cd_key_type t, EVP_PKEY **out, struct cd_err *err)
{
	switch (t) {
	case CD_KEY_RSA2048:
		*out = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
		break;
	case CD_KEY_RSA3072:
		*out = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072);
		break;
	case CD_KEY_RSA4096:
		*out = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)4096);
		break;
	case CD_KEY_EC_P256:
		*out = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		break;
	case CD_KEY_EC_P384:
		*out = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
		break;
	default:
		*out = NULL;
		return cd_err_set(err, CD_E_INVAL, "unknown key type %d", t);
	}
	if (*out == NULL)
		return cd_err_ssl(err, CD_E_CRYPTO, "cannot generate a %s key",
		    cd_key_type_name(t));
	return 0;
}

/*
 * Split text at unescaped commas; each piece is unescaped and trimmed.
 * Calls fn(piece, arg) for every non-empty piece.
 */
static int
split_list(const char *text, int (*fn)(char *, void *, struct cd_err *),
    void *arg, struct cd_err *err)
{
	char *buf, *w;
	const char *p;
	int r = 0;

	if ((buf = malloc(strlen(text) + 1)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	for (p = text; ; p++) {
		w = buf;
		for (; *p != '\0' && *p != ','; p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			*w++ = *p;
		}
		*w = '\0';
		cd_trim(buf);
		if (*buf != '\0' && (r = fn(buf, arg, err)) != 0)
			break;
		if (*p == '\0')
			break;
	}
	free(buf);
	return r;
}

static const char *
rdn_name(const char *key)
{
	static const char *const names[][2] = {
		{ "CN", "CN" }, { "O", "O" }, { "OU", "OU" }, { "C", "C" },
		{ "L", "L" }, { "ST", "ST" }, { "E", "emailAddress" },
		{ "EMAILADDRESS", "emailAddress" }, { "UID", "UID" },
		{ "SERIALNUMBER", "serialNumber" }, { "DC", "DC" }
	};
	size_t i;

	for (i = 0; i < CD_NELEM(names); i++)
		if (cd_strieq(key, names[i][0]))
			return names[i][1];
	return NULL;
}

static int
add_rdn(char *piece, void *arg, struct cd_err *err)
{
	X509_NAME *name = arg;
	char *eq = strchr(piece, '='), *val;
	const char *field;

	if (eq == NULL)
		return cd_err_set(err, CD_E_INVAL, "'%s' is not NAME=value",
		    piece);
	*eq = '\0';
	val = cd_trim(eq + 1);
	if ((field = rdn_name(cd_trim(piece))) == NULL)
		return cd_err_set(err, CD_E_INVAL, "unknown name attribute "
		    "'%s'", piece);
	if (*val == '\0')
		return 0;
	if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
	    (const unsigned char *)val, -1, -1, 0) != 1)
		return cd_err_ssl(err, CD_E_INVAL, "cannot use '%s' as %s",
		    val, field);
	return 0;
}

int
cd_x509_name_parse(const char *text, X509_NAME **out, struct cd_err *err)
{
	X509_NAME *name;
	int r;

	*out = NULL;
	if ((name = X509_NAME_new()) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((r = split_list(text, add_rdn, name, err)) != 0)
		goto fail;
	if (X509_NAME_entry_count(name) == 0) {
		r = cd_err_set(err, CD_E_INVAL, "the subject '%s' is empty",
		    text);
		goto fail;
	}
	*out = name;
	return 0;
fail:
	X509_NAME_free(name);
	return r;
}

/* otherName UPN (1.3.6.1.4.1.311.20.2.3) as a UTF8String. */
static GENERAL_NAME *
upn_name(const char *val)
{
	GENERAL_NAME *gn = NULL;
	ASN1_TYPE *t = NULL;
	ASN1_UTF8STRING *s = NULL;
	ASN1_OBJECT *oid = NULL;

	if ((gn = GENERAL_NAME_new()) == NULL || (t = ASN1_TYPE_new()) ==
	    NULL || (s = ASN1_UTF8STRING_new()) == NULL ||
	    (oid = OBJ_txt2obj("1.3.6.1.4.1.311.20.2.3", 1)) == NULL ||
	    ASN1_STRING_set(s, val, -1) != 1)
		goto fail;
	ASN1_TYPE_set(t, V_ASN1_UTF8STRING, s);
	s = NULL;
	if (GENERAL_NAME_set0_othername(gn, oid, t) != 1)
		goto fail;
	return gn;
fail:
	ASN1_OBJECT_free(oid);
	ASN1_UTF8STRING_free(s);
	ASN1_TYPE_free(t);
	GENERAL_NAME_free(gn);
	return NULL;
}

static GENERAL_NAME *
string_name(int type, const char *val)
{
	GENERAL_NAME *gn;
	ASN1_IA5STRING *s;

	if ((gn = GENERAL_NAME_new()) == NULL)
		return NULL;
	if ((s = ASN1_IA5STRING_new()) == NULL ||
	    ASN1_STRING_set(s, val, -1) != 1) {
		ASN1_IA5STRING_free(s);
		GENERAL_NAME_free(gn);
		return NULL;
	}
	GENERAL_NAME_set0_value(gn, type, s);
	return gn;
}

static int
add_san(char *piece, void *arg, struct cd_err *err)
{
	GENERAL_NAMES *names = arg;
	GENERAL_NAME *gn = NULL;
	char *colon = strchr(piece, ':'), *val;

	if (colon == NULL)
		return cd_err_set(err, CD_E_INVAL, "'%s' is not TYPE:value",
		    piece);
	*colon = '\0';
	val = cd_trim(colon + 1);
	if (*val == '\0')
		return 0;
	if (cd_strieq(piece, "email"))
		gn = string_name(GEN_EMAIL, val);
	else if (cd_strieq(piece, "dns"))
		gn = string_name(GEN_DNS, val);
	else if (cd_strieq(piece, "uri"))
		gn = string_name(GEN_URI, val);
	else if (cd_strieq(piece, "upn"))
		gn = upn_name(val);
	else
		return cd_err_set(err, CD_E_INVAL, "unknown subjectAltName "
		    "type '%s' (email, upn, dns, uri)", piece);
	if (gn == NULL || sk_GENERAL_NAME_push(names, gn) == 0) {
		GENERAL_NAME_free(gn);
		return cd_err_set(err, CD_E_NOMEM, NULL);
	}
	return 0;
}

int
cd_x509_san_parse(const char *text, GENERAL_NAMES **out, struct cd_err *err)
{
	GENERAL_NAMES *names;
	int r;

	*out = NULL;
	if ((names = sk_GENERAL_NAME_new_null()) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((r = split_list(text, add_san, names, err)) != 0) {
		GENERAL_NAMES_free(names);
		return r;
	}
	if (sk_GENERAL_NAME_num(names) == 0)
		GENERAL_NAMES_free(names);
	else
		*out = names;
	return 0;
}

/* ---- certificate signing requests ---------------------------------------- */

void
cd_x509_ku_text(unsigned ku, char *buf, size_t len)
{
	static const char *const names[] = { "digitalSignature",
	    "nonRepudiation", "keyEncipherment", "dataEncipherment",
	    "keyAgreement" };
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < CD_NELEM(names) && used < len; i++)
		if (ku & (1u << i))
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
			    used ? "," : "critical,", names[i]);
}

void
cd_x509_eku_text(unsigned eku, char *buf, size_t len)
{
	static const char *const names[] = { "clientAuth",
	    "emailProtection", "codeSigning", "1.3.6.1.4.1.311.20.2.2",
	    "1.3.6.1.5.5.7.3.36", "serverAuth" };
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < CD_NELEM(names) && used < len; i++)
		if (eku & (1u << i))
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
			    used ? "," : "", names[i]);
}

/* Push an extension given in openssl.cnf syntax (no-op for ""). */
static int
push_ext(STACK_OF(X509_EXTENSION) *exts, int nid, const char *value)
{
	X509_EXTENSION *ext;

	if (value[0] == '\0')
		return 1;
	if ((ext = X509V3_EXT_conf_nid(NULL, NULL, nid, value)) == NULL)
		return 0;
	if (!sk_X509_EXTENSION_push(exts, ext)) {
		X509_EXTENSION_free(ext);
		return 0;
	}
	return 1;
}

static const EVP_MD *
csr_md(EVP_PKEY *key)
{
	return EVP_PKEY_get_bits(key) > 256 && EVP_PKEY_is_a(key, "EC") ?
	    EVP_sha384() : EVP_sha256();
}

int
cd_x509_csr_build(EVP_PKEY *key, const X509_NAME *subject,
    const GENERAL_NAMES *san, unsigned ku, unsigned eku, X509_REQ **out,
    struct cd_err *err)
{
	STACK_OF(X509_EXTENSION) *exts = NULL;
	X509_EXTENSION *ext;
	X509_REQ *req = NULL;
	char kut[160], ekut[200];
	int ok;

	*out = NULL;
	cd_x509_ku_text(ku, kut, sizeof(kut));
	cd_x509_eku_text(eku, ekut, sizeof(ekut));
	if ((req = X509_REQ_new()) == NULL ||
	    (exts = sk_X509_EXTENSION_new_null()) == NULL) {
		ok = 0;
		goto out;
	}
	ok = X509_REQ_set_version(req, 0) &&
	    X509_REQ_set_subject_name(req, subject) &&
	    X509_REQ_set_pubkey(req, key) &&
	    push_ext(exts, NID_key_usage, kut) &&
	    push_ext(exts, NID_ext_key_usage, ekut);
	if (ok && san != NULL) {
		ext = X509V3_EXT_i2d(NID_subject_alt_name, 0, (void *)san);
		ok = ext != NULL && sk_X509_EXTENSION_push(exts, ext);
		if (!ok)
			X509_EXTENSION_free(ext);
	}
	ok = ok && (sk_X509_EXTENSION_num(exts) == 0 ||
	    X509_REQ_add_extensions(req, exts)) &&
	    X509_REQ_sign(req, key, csr_md(key)) > 0;
out:
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	if (!ok) {
		X509_REQ_free(req);
		return cd_err_ssl(err, CD_E_CRYPTO, "cannot build the "
		    "certificate request");
	}
	*out = req;
	return 0;
}

int
cd_x509_csr_verify(X509_REQ *csr, EVP_PKEY **pub, struct cd_err *err)
{
	EVP_PKEY *key;

	*pub = NULL;
	if (csr == NULL || (key = X509_REQ_get0_pubkey(csr)) == NULL)
		return cd_err_set(err, CD_E_CA, "the certificate request "
		    "has no public key");
	if (X509_REQ_verify(csr, key) != 1) {
		ERR_clear_error();
		return cd_err_set(err, CD_E_CA, "the certificate request is "
		    "not signed by its key (proof of possession failed)");
	}
	EVP_PKEY_up_ref(key);
	*pub = key;
	return 0;
}

static int
practice_ext(X509 *x, int nid, const char *prefix, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	char buf[600];
	int ok;

	if (value == NULL || *value == '\0')
		return 1;
	if ((size_t)snprintf(buf, sizeof(buf), "%s%s", prefix, value) >=
	    sizeof(buf))
		return 0;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, NULL, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, buf)) == NULL)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* certificatePolicies with one policy OID and no qualifiers. */
static int
policy_ext(X509 *x, const char *oid)
{
	CERTIFICATEPOLICIES *pols = NULL;
	POLICYINFO *pi = NULL;
	int ok = 0;

	if (oid == NULL || *oid == '\0')
		return 1;
	if ((pols = sk_POLICYINFO_new_null()) == NULL ||
	    (pi = POLICYINFO_new()) == NULL)
		goto out;
	ASN1_OBJECT_free(pi->policyid);
	if ((pi->policyid = OBJ_txt2obj(oid, 1)) == NULL ||
	    !sk_POLICYINFO_push(pols, pi))
		goto out;
	pi = NULL;
	ok = X509_add1_ext_i2d(x, NID_certificate_policies, pols, 0,
	    X509V3_ADD_DEFAULT) == 1;
out:
	POLICYINFO_free(pi);
	sk_POLICYINFO_pop_free(pols, POLICYINFO_free);
	return ok;
}

int
cd_x509_add_practice(X509 *x, const char *crl_url,
    const char *ca_issuers_url, const char *policy_oid)
{
	return practice_ext(x, NID_crl_distribution_points, "URI:",
	    crl_url) && practice_ext(x, NID_info_access, "caIssuers;URI:",
	    ca_issuers_url) && policy_ext(x, policy_oid);
}
