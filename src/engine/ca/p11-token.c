/* SPDX-License-Identifier: ISC */
/*
 * p11-token.c - PKCS#11 spoken to the module itself: parse the URI
 * (RFC 7512), find the token by label, log in, and find the private key
 * or generate it in the token (CKA_SENSITIVE true, CKA_EXTRACTABLE
 * false, so it never leaves).  Used to say clearly what is wrong before
 * the engine (p11-engine.c) loads the key, and by 'certdesk ca init
 * --pkcs11'.  Each call initialises the module and finalises it again
 * (unless something else in the process had it initialised already).
 */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <p11-kit/pkcs11.h>

#include "p11.h"
#include "util.h"

/* Percent-decode s[0..n) into out (size len); -1 if it does not fit. */
static long
pct_decode(const char *s, size_t n, unsigned char *out, size_t len)
{
	size_t i, o = 0;
	unsigned v;

	for (i = 0; i < n; i++) {
		if (o + 1 >= len)
			return -1;
		if (s[i] == '%' && i + 2 < n &&
		    sscanf(s + i + 1, "%2x", &v) == 1) {
			out[o++] = (unsigned char)v;
			i += 2;
		} else
			out[o++] = (unsigned char)s[i];
	}
	out[o] = '\0';
	return (long)o;
}

int
cd_p11_uri_parse(const char *uri, struct cd_p11_uri *out, struct cd_err *err)
{
	const char *p, *end, *eq;
	size_t klen;
	long n;

	memset(out, 0, sizeof(*out));
	if (strncmp(uri, "pkcs11:", 7) != 0)
		return cd_err_set(err, CD_E_INVAL, "'%s' is not a PKCS#11 URI "
		    "(pkcs11:token=...;object=...)", uri);
	for (p = uri + 7; *p != '\0' && *p != '?'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, ";?");
		if ((eq = memchr(p, '=', (size_t)(end - p))) == NULL)
			continue;
		klen = (size_t)(eq - p);
		n = 0;
		if (klen == 5 && strncmp(p, "token", 5) == 0)
			n = pct_decode(eq + 1, (size_t)(end - eq - 1),
			    (unsigned char *)out->token, sizeof(out->token));
		else if (klen == 6 && strncmp(p, "object", 6) == 0)
			n = pct_decode(eq + 1, (size_t)(end - eq - 1),
			    (unsigned char *)out->object, sizeof(out->object));
		else if (klen == 2 && strncmp(p, "id", 2) == 0) {
			n = pct_decode(eq + 1, (size_t)(end - eq - 1), out->id,
			    sizeof(out->id));
			out->id_len = n > 0 ? (size_t)n : 0;
		}
		if (n < 0)
			return cd_err_set(err, CD_E_INVAL, "a part of the "
			    "PKCS#11 URI is too long");
	}
	if (strstr(uri, "pin-value") != NULL || strstr(uri, "pin-source") !=
	    NULL)
		return cd_err_set(err, CD_E_INVAL, "the PKCS#11 URI carries a "
		    "PIN: give it in a file (pin_file) or a credential "
		    "(pin_credential), never in the configuration");
	if (out->token[0] == '\0')
		return cd_err_set(err, CD_E_INVAL, "the PKCS#11 URI names no "
		    "token (token=...)");
	if (out->object[0] == '\0' && out->id_len == 0)
		return cd_err_set(err, CD_E_INVAL, "the PKCS#11 URI names no "
		    "key (object=... or id=...)");
	return 0;
}

/* One conversation with a module. */
struct tok {
	void *dl;
	CK_FUNCTION_LIST *f;
	int initialised;	/* we called C_Initialize successfully */
	CK_SESSION_HANDLE s;
	int open;
};

static void
tok_end(struct tok *t)
{
	if (t->open)
		t->f->C_CloseSession(t->s);
	if (t->initialised)
		t->f->C_Finalize(NULL);
	if (t->dl != NULL)
		dlclose(t->dl);
}

static int
tok_start(struct tok *t, const char *module, struct cd_err *err)
{
	CK_C_GetFunctionList get;
	CK_C_INITIALIZE_ARGS args;
	CK_RV rv;

	memset(t, 0, sizeof(*t));
	if ((t->dl = dlopen(module, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return cd_err_set(err, CD_E_CA, "cannot load the PKCS#11 "
		    "module %s: %s", module, dlerror());
	if ((get = (CK_C_GetFunctionList)dlsym(t->dl,
	    "C_GetFunctionList")) == NULL || get(&t->f) != CKR_OK)
		return cd_err_set(err, CD_E_CA, "%s is not a PKCS#11 module",
		    module);
	memset(&args, 0, sizeof(args));
	args.flags = CKF_OS_LOCKING_OK;
	rv = t->f->C_Initialize(&args);
	if (rv == CKR_OK)
		t->initialised = 1;
	else if (rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
		return cd_err_set(err, CD_E_CA, "the PKCS#11 module %s does "
		    "not start (CKR 0x%lx)", module, (unsigned long)rv);
	return 0;
}

/* The slot whose token's label is label. */
static int
find_slot(struct tok *t, const char *label, CK_SLOT_ID *slot,
    struct cd_err *err)
{
	CK_SLOT_ID ids[64];
	CK_ULONG n = 64, i;
	CK_TOKEN_INFO ti;
	char lab[33];
	size_t len;

	if (t->f->C_GetSlotList(CK_TRUE, ids, &n) != CKR_OK)
		return cd_err_set(err, CD_E_CA, "cannot list the PKCS#11 "
		    "slots");
	for (i = 0; i < n; i++) {
		if (t->f->C_GetTokenInfo(ids[i], &ti) != CKR_OK)
			continue;
		memcpy(lab, ti.label, 32);
		lab[32] = '\0';
		for (len = 32; len > 0 && lab[len - 1] == ' '; len--)
			lab[len - 1] = '\0';
		if (strcmp(lab, label) == 0) {
			*slot = ids[i];
			return 0;
		}
	}
	return cd_err_set(err, CD_E_CA, "no PKCS#11 token '%s' is present "
	    "(is the token plugged in and initialised?)", label);
}

static int
login(struct tok *t, const struct cd_p11_uri *u, const char *pin,
    struct cd_err *err)
{
	CK_SLOT_ID slot = 0;
	CK_RV rv;
	int r;

	if ((r = find_slot(t, u->token, &slot, err)) != 0)
		return r;
	if ((rv = t->f->C_OpenSession(slot, CKF_SERIAL_SESSION |
	    CKF_RW_SESSION, NULL, NULL, &t->s)) != CKR_OK)
		return cd_err_set(err, CD_E_CA, "cannot open a session with "
		    "the token '%s' (CKR 0x%lx)", u->token, (unsigned long)rv);
	t->open = 1;
	rv = t->f->C_Login(t->s, CKU_USER, (CK_UTF8CHAR *)pin,
	    pin ? strlen(pin) : 0);
	if (rv == CKR_PIN_INCORRECT)
		return cd_err_set(err, CD_E_CA, "the PIN for the token '%s' "
		    "is wrong", u->token);
	if (rv == CKR_PIN_LOCKED)
		return cd_err_set(err, CD_E_CA, "the PIN for the token '%s' "
		    "is locked", u->token);
	if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
		return cd_err_set(err, CD_E_CA, "cannot log in to the token "
		    "'%s' (CKR 0x%lx)", u->token, (unsigned long)rv);
	return 0;
}

/* 1 if the token holds the private key u names, 0 if not. */
static int
has_key(struct tok *t, const struct cd_p11_uri *u)
{
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE a[3];
	CK_OBJECT_HANDLE h;
	CK_ULONG n = 0, got = 0;

	a[n++] = (CK_ATTRIBUTE){ CKA_CLASS, &cls, sizeof(cls) };
	if (u->object[0] != '\0')
		a[n++] = (CK_ATTRIBUTE){ CKA_LABEL, (void *)u->object,
		    strlen(u->object) };
	if (u->id_len > 0)
		a[n++] = (CK_ATTRIBUTE){ CKA_ID, (void *)u->id, u->id_len };
	if (t->f->C_FindObjectsInit(t->s, a, n) != CKR_OK)
		return 0;
	if (t->f->C_FindObjects(t->s, &h, 1, &got) != CKR_OK)
		got = 0;
	t->f->C_FindObjectsFinal(t->s);
	return got > 0;
}

/* DER OIDs of the curves */
static const unsigned char p256_oid[] = { 0x06, 0x08, 0x2a, 0x86, 0x48,
    0xce, 0x3d, 0x03, 0x01, 0x07 };
static const unsigned char p384_oid[] = { 0x06, 0x05, 0x2b, 0x81, 0x04,
    0x00, 0x22 };

static int
generate(struct tok *t, const struct cd_p11_uri *u, enum cd_key_type kt,
    struct cd_err *err)
{
	CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	CK_MECHANISM mech = { CKM_EC_KEY_PAIR_GEN, NULL, 0 };
	CK_ULONG bits = 3072;
	CK_BYTE e65537[] = { 0x01, 0x00, 0x01 };
	unsigned char id[16];
	CK_ATTRIBUTE pub[6], priv[8];
	CK_ULONG np = 0, nk = 0;
	CK_OBJECT_HANDLE hpub, hpriv;
	size_t idlen = u->id_len;
	CK_RV rv;

	memcpy(id, u->id, idlen > sizeof(id) ? sizeof(id) : idlen);
	if (idlen == 0) {	/* an id pairs the public and private keys */
		idlen = 8;
		RAND_bytes(id, (int)idlen);
	} else if (idlen > sizeof(id))
		idlen = sizeof(id);
	pub[np++] = (CK_ATTRIBUTE){ CKA_TOKEN, &yes, sizeof(yes) };
	pub[np++] = (CK_ATTRIBUTE){ CKA_VERIFY, &yes, sizeof(yes) };
	pub[np++] = (CK_ATTRIBUTE){ CKA_ID, id, idlen };
	if (kt == CD_KEY_EC_P256 || kt == CD_KEY_EC_P384)
		pub[np++] = (CK_ATTRIBUTE){ CKA_EC_PARAMS, kt == CD_KEY_EC_P256 ?
		    (void *)p256_oid : (void *)p384_oid, kt == CD_KEY_EC_P256 ?
		    sizeof(p256_oid) : sizeof(p384_oid) };
	else {
		mech.mechanism = CKM_RSA_PKCS_KEY_PAIR_GEN;
		bits = kt == CD_KEY_RSA2048 ? 2048 : kt == CD_KEY_RSA4096 ?
		    4096 : 3072;
		pub[np++] = (CK_ATTRIBUTE){ CKA_MODULUS_BITS, &bits,
		    sizeof(bits) };
		pub[np++] = (CK_ATTRIBUTE){ CKA_PUBLIC_EXPONENT, e65537,
		    sizeof(e65537) };
	}
	priv[nk++] = (CK_ATTRIBUTE){ CKA_TOKEN, &yes, sizeof(yes) };
	priv[nk++] = (CK_ATTRIBUTE){ CKA_PRIVATE, &yes, sizeof(yes) };
	priv[nk++] = (CK_ATTRIBUTE){ CKA_SENSITIVE, &yes, sizeof(yes) };
	priv[nk++] = (CK_ATTRIBUTE){ CKA_EXTRACTABLE, &no, sizeof(no) };
	priv[nk++] = (CK_ATTRIBUTE){ CKA_SIGN, &yes, sizeof(yes) };
	priv[nk++] = (CK_ATTRIBUTE){ CKA_ID, id, idlen };
	if (u->object[0] != '\0') {
		pub[np++] = (CK_ATTRIBUTE){ CKA_LABEL, (void *)u->object,
		    strlen(u->object) };
		priv[nk++] = (CK_ATTRIBUTE){ CKA_LABEL, (void *)u->object,
		    strlen(u->object) };
	}
	rv = t->f->C_GenerateKeyPair(t->s, &mech, pub, np, priv, nk, &hpub,
	    &hpriv);
	if (rv != CKR_OK)
		return cd_err_set(err, CD_E_CA, "the token '%s' cannot "
		    "generate the key (CKR 0x%lx)", u->token,
		    (unsigned long)rv);
	return 0;
}

int
cd_p11_token_key(const char *module, const char *uri, const char *pin,
    int gen, enum cd_key_type kt, int *made, struct cd_err *err)
{
	struct cd_p11_uri u;
	struct tok t;
	int r;

	if (made != NULL)
		*made = 0;
	if ((r = cd_p11_uri_parse(uri, &u, err)) != 0)
		return r;
	if ((r = tok_start(&t, module, err)) != 0 ||
	    (r = login(&t, &u, pin, err)) != 0)
		goto out;
	if (has_key(&t, &u))
		goto out;
	if (!gen) {
		r = cd_err_set(err, CD_E_CA, "the token '%s' holds no private "
		    "key %s%s", u.token, u.object[0] ? "labelled " : "with "
		    "the id given", u.object);
		goto out;
	}
	if ((r = generate(&t, &u, kt, err)) == 0 && made != NULL)
		*made = 1;
out:
	tok_end(&t);
	return r;
}
