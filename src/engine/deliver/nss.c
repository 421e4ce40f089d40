/* SPDX-License-Identifier: ISC */
/*
 * nss.c - import PKCS#12 packages into a personal NSS certificate store
 * through libnss3 (SEC_PKCS12Decoder*), in a private NSS init context.
 *
 * An import: resolve and create the store directory, open the store
 * read-write, initialise a fresh database with an empty password or log
 * in to a protected one, decode and verify the package, set the
 * preferred nickname on the certificates that come with their key, note
 * the objects already in the store, validate and import the bags, and on
 * failure destroy every key, certificate and trust object that was not
 * there before.  The nickname and serial of the imported certificate are
 * read back from the store.  libnss3 is loaded on the first import or
 * password check (dl-nss.c), not when the program starts.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <nss/nss.h>
#include <cert.h>
#include <p12.h>
#include <pk11pub.h>
#include <pkcs11n.h>
#include <prerror.h>
#include <secerr.h>
#include <secitem.h>
#include <secport.h>

#include "dl-nss.h"
#include "nss.h"
#include "util.h"

#define NICK_MAX	((int)sizeof(((struct cd_nss_result *)0)->nickname))
#define NICK_SUFFIX_MAX	9999	/* "NAME (9999)", then give up */
#define P12_MAX		(16u * 1024 * 1024)
#define DIR_MAX		1024	/* longest store directory */
#define SPEC_MAX	((int)sizeof(((struct cd_nss_result *)0)->dbspec))

/* One open store: the init context and its internal key slot. */
struct nss_session {
	NSSInitContext *ictx;
	PK11SlotInfo *slot;
};

/* Passed as the wincx/pwdata argument to NSS. */
struct nss_pw {
	const char *pw;		/* the store password or NULL */
};

/* Handles of the token objects present before an import. */
struct nss_snap {
	CK_OBJECT_HANDLE *h;
	size_t n, cap;
};

/* The certificates in the package that come with their private key. */
struct nss_leaves {
	SECItem **der;
	size_t n, cap;
};

struct nss_import {
	struct nss_session s;
	struct nss_pw pw;
	SECItem bmp;			/* package password, BMPString */
	size_t bmpcap;			/* bytes allocated for bmp.data */
	SEC_PKCS12DecoderContext *dcx;
	const char *nickname;
	SECItem *subject;		/* of the first leaf renamed */
	struct nss_leaves leaves;
	struct nss_snap snap;
};

static const CK_OBJECT_CLASS snap_classes[] = {
	CKO_PRIVATE_KEY, CKO_PUBLIC_KEY, CKO_CERTIFICATE, CKO_NSS_TRUST
};

/* ------------------------------------------------------------ errors */

/* Set err to "sentence: NSS text (NAME)" from the current NSS error. */
__attribute__((format(printf, 3, 4)))
static int
nss_err(struct cd_err *err, int code, const char *fmt, ...)
{
	PRErrorCode e = PORT_GetError();
	const char *text, *name;
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	cd_err_vset(err, code, fmt, ap);
	va_end(ap);
	if (err == NULL || e == 0)
		return code;
	text = PR_ErrorToString(e, PR_LANGUAGE_I_DEFAULT);
	name = PR_ErrorToName(e);
	len = strlen(err->msg);
	snprintf(err->msg + len, sizeof(err->msg) - len, ": %s (%s)",
	    text != NULL && *text != '\0' ? text : "unknown NSS error",
	    name != NULL ? name : "?");
	return code;
}

/* ------------------------------------------------------------ the spec */

static int
home_dir(char *out, size_t len, struct cd_err *err)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h == NULL || *h != '/') {
		pw = getpwuid(getuid());
		h = pw != NULL ? pw->pw_dir : NULL;
	}
	if (h == NULL || *h != '/')
		return cd_err_set(err, CD_E_CONFIG, "the home directory is "
		    "unknown, so the personal certificate store cannot be "
		    "found; set nssdb in the configuration");
	if (cd_strlcpy(out, h, len) >= len)
		return cd_err_set(err, CD_E_CONFIG, "the home directory path "
		    "is too long");
	return 0;
}

/* Known NSS database prefixes other than sql:. */
static int
other_prefix(const char *s)
{
	static const char *const pfx[] = { "dbm:", "extern:", "rdb:",
	    "multiaccess:" };
	size_t i;

	for (i = 0; i < CD_NELEM(pfx); i++)
		if (strncmp(s, pfx[i], strlen(pfx[i])) == 0)
			return 1;
	return 0;
}

int
cd_nss_resolve(const char *dbspec, char *out, size_t outlen,
    struct cd_err *err)
{
	char base[PATH_MAX], dir[PATH_MAX + DIR_MAX];
	const char *p = dbspec != NULL ? dbspec : "";
	size_t n;
	int r;

	if (strncmp(p, "sql:", 4) == 0)
		p += 4;
	else if (other_prefix(p))
		return cd_err_set(err, CD_E_CONFIG, "the personal certificate "
		    "store '%s' is not an SQL NSS database; only sql: stores "
		    "are supported", p);
	if (*p == '\0' && dbspec != NULL && *dbspec != '\0')
		return cd_err_set(err, CD_E_CONFIG, "the personal certificate "
		    "store '%s' names no directory", dbspec);
	if (*p == '\0' || *p == '~') {
		if (*p == '~' && p[1] != '\0' && p[1] != '/')
			return cd_err_set(err, CD_E_CONFIG, "'%s': only ~/ is "
			    "understood in the personal certificate store", p);
		if ((r = home_dir(base, sizeof(base), err)) != 0)
			return r;
		n = (size_t)snprintf(dir, sizeof(dir), "%s/%s", base,
		    *p == '\0' ? ".pki/nssdb" : p + (p[1] == '/' ? 2 : 1));
	} else if (*p != '/') {
		if (getcwd(base, sizeof(base)) == NULL)
			return cd_err_set(err, CD_E_IO, "cannot find the "
			    "current directory: %s", strerror(errno));
		n = (size_t)snprintf(dir, sizeof(dir), "%s/%s", base, p);
	} else
		n = (size_t)snprintf(dir, sizeof(dir), "%s", p);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	if (n + 5 > outlen || n >= DIR_MAX)
		return cd_err_set(err, CD_E_CONFIG, "the personal certificate "
		    "store path is too long");
	snprintf(out, outlen, "sql:%s", dir);
	return 0;
}

/* 1 if dir holds an NSS SQL database (cert9.db and key4.db). */
static int
db_exists(const char *dir)
{
	char path[SPEC_MAX + 16];
	struct stat st;

	snprintf(path, sizeof(path), "%s/cert9.db", dir);
	if (stat(path, &st) != 0)
		return 0;
	snprintf(path, sizeof(path), "%s/key4.db", dir);
	return stat(path, &st) == 0;
}

/* Create the store directory (0700) if missing; it must be a directory. */
static int
store_dir(const char *dir, struct cd_err *err)
{
	struct stat st;
	int r;

	if ((r = cd_mkdir_p(dir, 0700, err)) != 0)
		return cd_err_context(err, r, "personal certificate store");
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return cd_err_set(err, CD_E_IO, "the personal certificate "
		    "store %s is not a directory", dir);
	return 0;
}

/* ------------------------------------------------------------ sessions */

/* Give the store password once; NULL on a retry so NSS stops asking. */
static char *
pw_func(PK11SlotInfo *slot, PRBool retry, void *arg)
{
	const struct nss_pw *p = arg;

	if (retry || p == NULL || p->pw == NULL || *p->pw == '\0')
		return NULL;
	return PORT_Strdup(p->pw);
}

static int
session_open(const char *spec, int rdonly, struct nss_session *s,
    struct cd_err *err)
{
	PRUint32 flags = NSS_INIT_NOROOTINIT | NSS_INIT_OPTIMIZESPACE;

	memset(s, 0, sizeof(*s));
	if (NSS_IsInitialized())
		return cd_err_set(err, CD_E_NSS, "NSS is already in use in "
		    "this program, so the personal certificate store %s cannot "
		    "be opened", spec);
	if (rdonly)
		flags |= NSS_INIT_READONLY;
	s->ictx = NSS_InitContext(spec, "", "", SECMOD_DB, NULL, flags);
	if (s->ictx == NULL)
		return nss_err(err, CD_E_NSS, "cannot open the personal "
		    "certificate store %s", spec);
	PK11_SetPasswordFunc(pw_func);
	s->slot = PK11_GetInternalKeySlot();
	if (s->slot == NULL)
		return nss_err(err, CD_E_NSS, "the personal certificate store "
		    "%s has no key slot", spec);
	return 0;
}

/* Close; returns CD_E_NSS if NSS still holds references (a leak). */
static int
session_close(struct nss_session *s, const char *spec, struct cd_err *err)
{
	int r = 0;

	if (s->slot != NULL)
		PK11_FreeSlot(s->slot);
	s->slot = NULL;
	if (s->ictx != NULL && NSS_ShutdownContext(s->ictx) != SECSuccess)
		r = nss_err(err, CD_E_NSS, "the personal certificate store %s "
		    "could not be closed cleanly", spec);
	s->ictx = NULL;
	return r;
}

/* A fresh database gets an empty password; a protected one is unlocked. */
static int
session_login(struct nss_session *s, const char *spec, struct nss_pw *pw,
    struct cd_err *err)
{
	const char *dir = spec + 4;

	if (PK11_NeedUserInit(s->slot) &&
	    PK11_InitPin(s->slot, NULL, "") != SECSuccess)
		return nss_err(err, CD_E_NSS, "cannot initialise the new "
		    "personal certificate store %s", dir);
	if (!PK11_NeedLogin(s->slot) || PK11_IsLoggedIn(s->slot, pw))
		return 0;
	if (pw->pw == NULL || *pw->pw == '\0')
		return cd_err_set(err, CD_E_AUTH, "the personal certificate "
		    "store %s is protected by a password", dir);
	if (PK11_Authenticate(s->slot, PR_TRUE, pw) == SECSuccess &&
	    PK11_IsLoggedIn(s->slot, pw))
		return 0;
	return cd_err_set(err, CD_E_AUTH, "wrong password for the personal "
	    "certificate store %s", dir);
}

int
cd_nss_needs_password(const char *dbspec, int *out, struct cd_err *err)
{
	struct nss_session s;
	char spec[SPEC_MAX];
	int r, r2;

	*out = 0;
	if ((r = cd_nss_resolve(dbspec, spec, sizeof(spec), err)) != 0)
		return r;
	if (!db_exists(spec + 4))
		return 0;
	if ((r = cd_dl_nss(err)) != 0)
		return r;
	if ((r = session_open(spec, 1, &s, err)) == 0)
		*out = !PK11_NeedUserInit(s.slot) && PK11_NeedLogin(s.slot) &&
		    !PK11_IsLoggedIn(s.slot, NULL);
	r2 = session_close(&s, spec, r == 0 ? err : NULL);
	return r != 0 ? r : r2;
}

/* ------------------------------------------------------------ password */

/*
 * UTF-8 password to BMPString: UTF-16BE with a 2-byte NUL terminator.
 * libnssutil's PORT_UCS2_UTF8Conversion already writes big-endian
 * (seen with NSS 3.87 on x86_64), so no byte swap here.
 */
static int
bmp_password(const char *pw, SECItem *out, size_t *capp, struct cd_err *err)
{
	size_t len = strlen(pw), cap;
	unsigned int used = 0;
	unsigned char *buf;

	if (len > 1024)
		return cd_err_set(err, CD_E_INVAL, "the package password is "
		    "too long");
	cap = 2 * len + 4;
	if ((buf = cd_secret_alloc(cap)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	if (len > 0 && !PORT_UCS2_UTF8Conversion(PR_TRUE,
	    (unsigned char *)(uintptr_t)pw, (unsigned int)len, buf,
	    (unsigned int)cap - 2, &used)) {
		cd_secret_free(buf, cap);
		return cd_err_set(err, CD_E_INVAL, "the package password is "
		    "not valid UTF-8");
	}
	buf[used] = buf[used + 1] = 0;
	out->type = siBuffer;
	out->data = buf;
	out->len = used + 2;
	*capp = cap;
	return 0;
}

/* ------------------------------------------------------------ nicknames */

/* A SECItem for a nickname as NSS wants it: NUL-terminated, len = strlen. */
static SECItem *
nick_item(const char *s)
{
	size_t n = strlen(s);
	SECItem *it;

	if ((it = SECITEM_AllocItem(NULL, NULL, (unsigned int)n + 1)) == NULL)
		return NULL;
	memcpy(it->data, s, n + 1);
	it->type = siAsciiString;
	it->len = (unsigned int)n;
	return it;
}

/*
 * "NAME" -> "NAME (2)", "NAME (N)" -> "NAME (N+1)".  Returns 0, or -1
 * when the numbers run out.
 */
static int
nick_next(const char *old, size_t oldlen, char *out, size_t outlen)
{
	size_t base = oldlen, i;
	long n = 2;

	if (oldlen > 4 && old[oldlen - 1] == ')') {
		i = oldlen - 2;
		while (i > 0 && old[i] >= '0' && old[i] <= '9')
			i--;
		if (i >= 2 && i < oldlen - 2 && old[i] == '(' &&
		    old[i - 1] == ' ' && old[i + 1] != '0') {
			n = strtol(old + i + 1, NULL, 10) + 1;
			base = i - 1;
		}
	}
	if (n > NICK_SUFFIX_MAX)
		return -1;
	/* Leave room for the suffix, even if the name must be shortened. */
	if (base > outlen - 8)
		base = outlen - 8;
	snprintf(out, outlen, "%.*s (%ld)", (int)base, old, n);
	return 0;
}

/* Collision callback: the next "NAME (N)"; NSS re-checks it and loops. */
static SECItem *
nick_collision(SECItem *old, PRBool *cancel, void *arg)
{
	char buf[NICK_MAX];
	const char *s = "certdesk";
	size_t len = strlen(s);

	*cancel = PR_FALSE;
	if (old != NULL && old->data != NULL && old->len > 0) {
		s = (const char *)old->data;
		len = strnlen(s, old->len);
	}
	if (nick_next(s, len, buf, sizeof(buf)) != 0) {
		*cancel = PR_TRUE;
		return NULL;
	}
	return nick_item(buf);
}

static int
is_leaf(const struct nss_import *im, const SECItem *der)
{
	size_t i;

	for (i = 0; i < im->leaves.n; i++)
		if (SECITEM_ItemsAreEqual(im->leaves.der[i], der))
			return 1;
	return 0;
}

/*
 * Rename callback: the preferred nickname for the certificates that come
 * with their key and have the first one's subject.  Others (rare: a
 * package of several people) keep the package's friendlyName.
 */
static SECStatus
nick_rename(const CERTCertificate *cert, const SECItem *def, SECItem **nn,
    void *arg)
{
	struct nss_import *im = arg;

	*nn = NULL;
	if (!is_leaf(im, &cert->derCert))
		return SECSuccess;
	if (im->subject == NULL &&
	    (im->subject = SECITEM_DupItem(&cert->derSubject)) == NULL)
		return SECFailure;
	if (!SECITEM_ItemsAreEqual(&cert->derSubject, im->subject))
		return SECSuccess;
	if ((*nn = nick_item(im->nickname)) == NULL)
		return SECFailure;
	return SECSuccess;
}

/* ------------------------------------------------------------ leaves */

static int
leaves_add(struct nss_leaves *l, const SECItem *der)
{
	SECItem **nd;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4;
		if ((nd = realloc(l->der, l->cap * sizeof(*nd))) == NULL)
			return -1;
		l->der = nd;
	}
	if ((l->der[l->n] = SECITEM_DupItem(der)) == NULL)
		return -1;
	l->n++;
	return 0;
}

static void
leaves_free(struct nss_leaves *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		SECITEM_FreeItem(l->der[i], PR_TRUE);
	free(l->der);
	memset(l, 0, sizeof(*l));
}

/* Note the certificates that come with their key. */
static int
find_leaves(struct nss_import *im, struct cd_err *err)
{
	const SEC_PKCS12DecoderItem *it;

	if (SEC_PKCS12DecoderIterateInit(im->dcx) != SECSuccess)
		return nss_err(err, CD_E_NSS, "cannot read the package");
	while (SEC_PKCS12DecoderIterateNext(im->dcx, &it) == SECSuccess) {
		if (it->type != SEC_OID_PKCS12_V1_CERT_BAG_ID ||
		    !it->hasKey || it->der == NULL)
			continue;
		if (leaves_add(&im->leaves, it->der) != 0)
			return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	if (im->leaves.n == 0)
		return cd_err_set(err, CD_E_INVAL, "the package holds no "
		    "certificate with its private key");
	return 0;
}

/* ------------------------------------------------------------ rollback */

static int
snap_has(const struct nss_snap *sn, CK_OBJECT_HANDLE h)
{
	size_t i;

	for (i = 0; i < sn->n; i++)
		if (sn->h[i] == h)
			return 1;
	return 0;
}

static int
snap_add(struct nss_snap *sn, CK_OBJECT_HANDLE h)
{
	CK_OBJECT_HANDLE *nh;

	if (sn->n == sn->cap) {
		sn->cap = sn->cap ? 2 * sn->cap : 64;
		if ((nh = realloc(sn->h, sn->cap * sizeof(*nh))) == NULL)
			return -1;
		sn->h = nh;
	}
	sn->h[sn->n++] = h;
	return 0;
}

/* Record the handles of all key, certificate and trust objects. */
static int
snap_take(struct nss_import *im, struct cd_err *err)
{
	PK11GenericObject *list, *o;
	size_t i;
	int r = 0;

	for (i = 0; i < CD_NELEM(snap_classes); i++) {
		list = PK11_FindGenericObjects(im->s.slot, snap_classes[i]);
		for (o = list; o != NULL && r == 0;
		    o = PK11_GetNextGenericObject(o))
			if (snap_add(&im->snap, PK11_GetObjectHandle(
			    PK11_TypeGeneric, o, NULL)) != 0)
				r = cd_err_set(err, CD_E_NOMEM,
				    "out of memory");
		if (list != NULL)
			PK11_DestroyGenericObjects(list);
	}
	return r;
}

/* Destroy every object that was not in the snapshot; count them. */
static int
snap_rollback(struct nss_import *im)
{
	PK11GenericObject *list, *o;
	CK_OBJECT_HANDLE h;
	size_t i;
	int n = 0;

	for (i = 0; i < CD_NELEM(snap_classes); i++) {
		list = PK11_FindGenericObjects(im->s.slot, snap_classes[i]);
		for (o = list; o != NULL; o = PK11_GetNextGenericObject(o)) {
			h = PK11_GetObjectHandle(PK11_TypeGeneric, o, NULL);
			if (snap_has(&im->snap, h))
				continue;
			if (PK11_DestroyTokenObject(im->s.slot, h) ==
			    SECSuccess)
				n++;
		}
		if (list != NULL)
			PK11_DestroyGenericObjects(list);
	}
	return n;
}

/* ------------------------------------------------------------ import */

/* Decode the package and check its password and integrity. */
static int
p12_decode(struct nss_import *im, const unsigned char *p12, size_t len,
    const char *p12_password, struct cd_err *err)
{
	PRErrorCode e;
	SECStatus rv;
	int r;

	if ((r = bmp_password(p12_password, &im->bmp, &im->bmpcap,
	    err)) != 0)
		return r;
	im->dcx = SEC_PKCS12DecoderStart(&im->bmp, im->s.slot, &im->pw,
	    NULL, NULL, NULL, NULL, NULL);
	if (im->dcx == NULL)
		return nss_err(err, CD_E_NSS, "cannot start reading the "
		    "package");
	rv = SEC_PKCS12DecoderUpdate(im->dcx, (unsigned char *)(uintptr_t)p12,
	    (unsigned long)len);
	if (rv == SECSuccess)
		rv = SEC_PKCS12DecoderVerify(im->dcx);
	if (rv == SECSuccess)
		return 0;
	e = PORT_GetError();
	if (e == SEC_ERROR_BAD_PASSWORD ||
	    e == SEC_ERROR_DECRYPTION_DISALLOWED ||
	    e == SEC_ERROR_PKCS12_PRIVACY_PASSWORD_INCORRECT ||
	    e == SEC_ERROR_PKCS12_INVALID_MAC)
		return cd_err_set(err, CD_E_NSS, "the package password was "
		    "not accepted");
	return nss_err(err, CD_E_NSS, "the package could not be read");
}

/* Validate and import the bags; undo everything on failure. */
static int
p12_import(struct nss_import *im, const char *dir, struct cd_err *err)
{
	PRErrorCode e;
	int r, n;

	if (SEC_PKCS12DecoderRenameCertNicknames(im->dcx, nick_rename, im) !=
	    SECSuccess)
		return nss_err(err, CD_E_NSS, "cannot set the nickname");
	if ((r = snap_take(im, err)) != 0)
		return r;
	if (SEC_PKCS12DecoderValidateBags(im->dcx, nick_collision) !=
	    SECSuccess) {
		if (PORT_GetError() == SEC_ERROR_USER_CANCELLED)
			return cd_err_set(err, CD_E_NSS, "no free nickname "
			    "like \"%s\" is left in the personal certificate "
			    "store %s", im->nickname, dir);
		r = nss_err(err, CD_E_NSS, "the package cannot be imported "
		    "into the personal certificate store %s", dir);
		goto undo;
	}
	cd_fault("nss.import");
	if (SEC_PKCS12DecoderImportBags(im->dcx) == SECSuccess)
		return 0;
	e = PORT_GetError();
	if (e == SEC_ERROR_REUSED_ISSUER_AND_SERIAL)
		r = cd_err_set(err, CD_E_NSS, "the personal certificate store "
		    "%s already holds a different certificate with the same "
		    "issuer and serial number", dir);
	else
		r = nss_err(err, CD_E_NSS, "the import into the personal "
		    "certificate store %s failed", dir);
undo:
	PORT_SetError(0);
	n = snap_rollback(im);
	if (n > 0 && err != NULL) {
		size_t used = strlen(err->msg);
		snprintf(err->msg + used, sizeof(err->msg) - used,
		    "; the %d object%s it had added were removed", n,
		    n == 1 ? "" : "s");
	}
	return r;
}

/* "NSS Certificate DB:NAME" -> "NAME" (the label, as certutil shows it). */
static const char *
strip_token(PK11SlotInfo *slot, const char *nick)
{
	const char *tok = PK11_GetTokenName(slot);
	size_t n = tok != NULL ? strlen(tok) : 0;

	if (n > 0 && strncmp(nick, tok, n) == 0 && nick[n] == ':')
		return nick + n + 1;
	return nick;
}

/* Read the nickname and serial of the first leaf back from the store. */
static int
fill_result(struct nss_import *im, struct cd_nss_result *res,
    struct cd_err *err)
{
	CERTCertificate *c;
	const unsigned char *sn;
	size_t len, i;
	int r = 0;

	c = PK11_FindCertFromDERCertItem(im->s.slot, im->leaves.der[0],
	    &im->pw);
	if (c == NULL)
		return nss_err(err, CD_E_NSS, "the imported certificate is "
		    "not in the personal certificate store");
	if (c->nickname == NULL)
		r = cd_err_set(err, CD_E_NSS, "the imported certificate has "
		    "no nickname");
	else
		cd_strlcpy(res->nickname, strip_token(im->s.slot, c->nickname),
		    sizeof(res->nickname));
	sn = c->serialNumber.data;
	len = c->serialNumber.len;
	while (len > 1 && sn[0] == 0) {
		sn++;
		len--;
	}
	if (len * 2 + 1 > sizeof(res->serial))
		len = (sizeof(res->serial) - 1) / 2;
	for (i = 0; i < len; i++)
		snprintf(res->serial + 2 * i, 3, "%02x", sn[i]);
	CERT_DestroyCertificate(c);
	return r;
}

static int
check_args(const unsigned char *p12, size_t len, const char *p12_password,
    const char *nickname, struct cd_nss_result *res, struct cd_err *err)
{
	if (res == NULL || p12_password == NULL)
		return cd_err_set(err, CD_E_INVAL, "missing argument");
	if (p12 == NULL || len == 0 || len > P12_MAX)
		return cd_err_set(err, CD_E_INVAL, "the package is empty or "
		    "too large");
	if (nickname == NULL || *nickname == '\0')
		return cd_err_set(err, CD_E_INVAL, "the nickname is empty");
	return 0;
}

/* Copy the nickname, shortened at a UTF-8 boundary if need be. */
static void
nick_copy(char *out, size_t outlen, const char *nick)
{
	size_t n = strlen(nick);

	if (n > outlen - 1) {
		n = outlen - 1;
		while (n > 0 && ((unsigned char)nick[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out, nick, n);
	out[n] = '\0';
}

int
cd_nss_import(const char *dbspec, const char *db_password,
    const unsigned char *p12, size_t len, const char *p12_password,
    const char *nickname, struct cd_nss_result *res, struct cd_err *err)
{
	struct nss_import im;
	char spec[SPEC_MAX], nick[NICK_MAX - 16];
	const char *dir;
	int r, r2;

	if ((r = check_args(p12, len, p12_password, nickname, res, err)) != 0 ||
	    (r = cd_dl_nss(err)) != 0)
		return r;
	memset(res, 0, sizeof(*res));
	memset(&im, 0, sizeof(im));
	im.pw.pw = db_password;
	nick_copy(nick, sizeof(nick), nickname);
	im.nickname = nick;
	if ((r = cd_nss_resolve(dbspec, spec, sizeof(spec), err)) != 0)
		return r;
	dir = spec + 4;
	if ((r = store_dir(dir, err)) != 0)
		return r;
	if ((r = session_open(spec, 0, &im.s, err)) != 0)
		goto out;
	if ((r = session_login(&im.s, spec, &im.pw, err)) != 0 ||
	    (r = p12_decode(&im, p12, len, p12_password, err)) != 0 ||
	    (r = find_leaves(&im, err)) != 0 ||
	    (r = p12_import(&im, dir, err)) != 0 ||
	    (r = fill_result(&im, res, err)) != 0)
		goto out;
	cd_strlcpy(res->dbspec, spec, sizeof(res->dbspec));
out:
	if (im.dcx != NULL)
		SEC_PKCS12DecoderFinish(im.dcx);
	cd_secret_free(im.bmp.data, im.bmpcap);
	leaves_free(&im.leaves);
	if (im.subject != NULL)
		SECITEM_FreeItem(im.subject, PR_TRUE);
	free(im.snap.h);
	r2 = session_close(&im.s, spec, r == 0 ? err : NULL);
	return r != 0 ? r : r2;
}
