/* SPDX-License-Identifier: ISC */
/*
 * revoke.c - revocation on demand: one certificate by serial with an
 * RFC 5280 reason, every certificate of a package, releasing a hold,
 * the certificates of a person being disabled; and the CRL's
 * publication (atomically, into [ca] crl_publish_dir, then pushed by
 * [ca] crl_publish_command) after every revocation and by the sweep
 * when the published one nears its next update.  Every revocation goes
 * through the CA backend (cd_ca_revoke), the authority on revocation.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/wait.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "engine-int.h"
#include "util.h"

extern char **environ;

#define CRL_FILE "certdesk.crl"

static const struct {
	int code;
	const char *name;
} reasons[] = {
	{ CD_CRL_UNSPECIFIED, "unspecified" },
	{ CD_CRL_KEY_COMPROMISE, "keyCompromise" },
	{ CD_CRL_AFFILIATION_CHANGED, "affiliationChanged" },
	{ CD_CRL_SUPERSEDED, "superseded" },
	{ CD_CRL_CESSATION, "cessationOfOperation" },
	{ CD_CRL_CERTIFICATE_HOLD, "certificateHold" },
	{ CD_CRL_PRIVILEGE_WITHDRAWN, "privilegeWithdrawn" },
};

int
cd_crl_reason_parse(const char *name)
{
	size_t i;

	for (i = 0; i < CD_NELEM(reasons); i++)
		if (cd_strieq(name, reasons[i].name))
			return reasons[i].code;
	return -1;
}

const char *
cd_crl_reason_name(int reason)
{
	size_t i;

	for (i = 0; i < CD_NELEM(reasons); i++)
		if (reasons[i].code == reason)
			return reasons[i].name;
	return "unspecified";
}

static int
reason_known(int reason)
{
	size_t i;

	for (i = 0; i < CD_NELEM(reasons); i++)
		if (reasons[i].code == reason)
			return 1;
	return 0;
}

/* "0A:f3" or "0x0af3" as lower-case hex without leading zeros. */
static int
serial_norm(const char *in, char *out, size_t len)
{
	size_t n = 0;

	if (in[0] == '0' && (in[1] == 'x' || in[1] == 'X'))
		in += 2;
	for (; *in != '\0'; in++) {
		if (*in == ':')
			continue;
		if (strchr("0123456789abcdefABCDEF", *in) == NULL)
			return -1;
		if (n == 0 && *in == '0')
			continue;
		if (n + 1 >= len)
			return -1;
		out[n++] = (char)(*in >= 'A' && *in <= 'F' ? *in - 'A' + 'a' :
		    *in);
	}
	if (n == 0)
		return -1;
	out[n] = '\0';
	return 0;
}

static int
first_cert(const struct cd_cert *c, void *arg)
{
	*(struct cd_cert *)arg = *c;
	return 1;
}

/* Audit a refusal (after any rollback) and return its code. */
static int
refused(struct cd_engine *e, const char *action, const char *obj, int r,
    struct cd_err *err)
{
	cd_audit(e, action, obj, "refused", "%s", err != NULL ? err->msg :
	    "refused");
	return r;
}

/*
 * Revoke the certificate cur (read in this transaction) at the CA and
 * in the store, audited under its request.  A certificate on hold may
 * be revoked for good: the hold is released at the CA first.
 */
static int
revoke_cert(struct cd_engine *e, struct cd_cert *cur, int reason,
    const char *why, struct cd_err *err)
{
	char obj[64], detail[CD_DETAIL_MAX];
	int r;

	if (cur->status == CD_CS_REVOKED && (reason ==
	    CD_CRL_CERTIFICATE_HOLD || strcmp(cur->revoke_reason,
	    "certificateHold") != 0))
		return cd_err_set(err, CD_E_STATE, "certificate %s is already "
		    "revoked (%s)", cur->serial, cur->revoke_reason);
	if (cur->status == CD_CS_REVOKED && (r = cd_ca_unrevoke(e->cao,
	    e->ca_caps, e->ca, cur->serial, err)) != 0)
		return r;
	if ((r = cd_ca_revoke(e->cao, e->ca_caps, e->ca, cur->serial, reason,
	    cd_engine_now(e), err)) != 0)
		return r;
	cur->status = CD_CS_REVOKED;
	cur->revoked_at = cd_engine_now(e);
	cur->revoke_after = 0;
	cd_strlcpy(cur->revoke_reason, cd_crl_reason_name(reason),
	    sizeof(cur->revoke_reason));
	if ((r = e->so->cert_update(e->st, cur, err)) != 0)
		return r;
	snprintf(obj, sizeof(obj), "request %lld", (long long)cur->request_id);
	snprintf(detail, sizeof(detail), "certificate %s (%s) revoked: %s%s%s",
	    cur->serial, cur->policy, cd_crl_reason_name(reason),
	    why != NULL ? "; " : "", why != NULL ? why : "");
	return cd_eng_audit(e, "cert.revoke", obj, "ok", detail, err);
}

/*
 * One certificate by serial, in its own transaction.  The CA is opened
 * first: a token's login never happens while the store is locked.
 */
static int
revoke_serial(struct cd_engine *e, const char *serial, int reason,
    const char *why, struct cd_err *err)
{
	struct cd_cert_filter f;
	struct cd_cert cur;
	int r;

	if ((r = cd_eng_ca(e, err)) != 0 ||
	    (r = e->so->begin(e->st, err)) != 0)
		return r;
	cd_cert_filter_init(&f);
	cd_strlcpy(f.serial, serial, sizeof(f.serial));
	memset(&cur, 0, sizeof(cur));
	if ((r = e->so->cert_list(e->st, &f, first_cert, &cur, err)) < 0)
		goto fail;
	if (cur.id == 0) {
		r = cd_err_set(err, CD_E_NOTFOUND, "no certificate with serial "
		    "%s", serial);
		goto fail;
	}
	if ((r = revoke_cert(e, &cur, reason, why, err)) != 0)
		goto fail;
	return e->so->commit(e->st, err);
fail:
	e->so->rollback(e->st);
	return r;
}

/* After a revocation: publish; a failure says the revocation stands. */
static int
after_revoke(struct cd_engine *e, struct cd_err *err)
{
	int r;

	if ((r = cd_eng_crl_publish(e, 1, err)) != 0)
		cd_err_prefix(err, "revoked, but the CRL was not published");
	return r;
}

int
cd_cert_revoke(struct cd_engine *e, const char *serial, int reason,
    struct cd_err *err)
{
	char sn[CD_SERIAL_MAX], obj[CD_SERIAL_MAX + 8];
	int r;

	snprintf(obj, sizeof(obj), "cert %.*s", CD_SERIAL_MAX - 1, serial);
	if ((r = cd_eng_need_role(e, CD_ROLE_REVOKE, "revoking certificates",
	    err)) != 0)
		return refused(e, "cert.revoke", obj, r, err);
	if (serial_norm(serial, sn, sizeof(sn)) != 0)
		return cd_err_set(err, CD_E_INVAL, "'%s' is not a serial "
		    "number (hexadecimal)", serial);
	if (!reason_known(reason))
		return cd_err_set(err, CD_E_INVAL, "reason %d cannot be given "
		    "to a revocation", reason);
	if ((r = revoke_serial(e, sn, reason, NULL, err)) != 0) {
		if (r == CD_E_STATE || r == CD_E_CA || r == CD_E_NOTFOUND)
			return refused(e, "cert.revoke", obj, r, err);
		return r;
	}
	return after_revoke(e, err);
}

/* Release a hold in one transaction. */
static int
release_serial(struct cd_engine *e, const char *sn, struct cd_err *err)
{
	struct cd_cert_filter f;
	struct cd_cert cur;
	char obj[64];
	int r;

	if ((r = cd_eng_ca(e, err)) != 0 ||
	    (r = e->so->begin(e->st, err)) != 0)
		return r;
	cd_cert_filter_init(&f);
	cd_strlcpy(f.serial, sn, sizeof(f.serial));
	memset(&cur, 0, sizeof(cur));
	if ((r = e->so->cert_list(e->st, &f, first_cert, &cur, err)) < 0)
		goto fail;
	if (cur.id == 0) {
		r = cd_err_set(err, CD_E_NOTFOUND, "no certificate with serial "
		    "%s", sn);
		goto fail;
	}
	if (cur.status != CD_CS_REVOKED ||
	    strcmp(cur.revoke_reason, "certificateHold") != 0) {
		r = cd_err_set(err, CD_E_STATE, "certificate %s is not on hold "
		    "(%s%s%s): only certificateHold can be released", sn,
		    cd_cert_status_name(cur.status), cur.status ==
		    CD_CS_REVOKED ? ", " : "", cur.revoke_reason);
		goto fail;
	}
	if ((r = cd_ca_unrevoke(e->cao, e->ca_caps, e->ca, sn, err)) != 0)
		goto fail;
	cur.status = cur.device_id != 0 ? CD_CS_ACTIVE : CD_CS_PENDING;
	cur.revoked_at = 0;
	cur.revoke_reason[0] = '\0';
	if ((r = e->so->cert_update(e->st, &cur, err)) != 0)
		goto fail;
	snprintf(obj, sizeof(obj), "request %lld", (long long)cur.request_id);
	if ((r = cd_audit(e, "cert.unrevoke", obj, "ok", "certificate %s (%s) "
	    "released from hold (removeFromCRL)", sn, cur.policy)) != 0)
		goto fail;
	return e->so->commit(e->st, err);
fail:
	e->so->rollback(e->st);
	return r;
}

int
cd_cert_unrevoke(struct cd_engine *e, const char *serial,
    struct cd_err *err)
{
	char sn[CD_SERIAL_MAX], obj[CD_SERIAL_MAX + 8];
	int r;

	snprintf(obj, sizeof(obj), "cert %.*s", CD_SERIAL_MAX - 1, serial);
	if ((r = cd_eng_need_role(e, CD_ROLE_REVOKE, "releasing certificates "
	    "on hold", err)) != 0)
		return refused(e, "cert.unrevoke", obj, r, err);
	if (serial_norm(serial, sn, sizeof(sn)) != 0)
		return cd_err_set(err, CD_E_INVAL, "'%s' is not a serial "
		    "number (hexadecimal)", serial);
	if ((r = release_serial(e, sn, err)) != 0) {
		if (r == CD_E_STATE || r == CD_E_CA || r == CD_E_NOTFOUND)
			return refused(e, "cert.unrevoke", obj, r, err);
		return r;
	}
	return after_revoke(e, err);
}

/* ---- many at once --------------------------------------------------------- */

struct serials {
	char (*list)[CD_SERIAL_MAX];
	int n, cap;
	int64_t now;
};

/* Live certificates: issued or collected, not revoked, not expired. */
static int
collect_live(const struct cd_cert *c, void *arg)
{
	struct serials *s = arg;
	char (*nl)[CD_SERIAL_MAX];

	if (c->status == CD_CS_REVOKED || (c->not_after != 0 &&
	    c->not_after < s->now))
		return 0;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		if ((nl = realloc(s->list, (size_t)s->cap * sizeof(*nl))) ==
		    NULL)
			return CD_E_NOMEM;
		s->list = nl;
	}
	cd_strlcpy(s->list[s->n++], c->serial, CD_SERIAL_MAX);
	return 0;
}

static int
live_serials(struct cd_engine *e, const struct cd_cert_filter *f,
    struct serials *s, struct cd_err *err)
{
	memset(s, 0, sizeof(*s));
	s->now = cd_engine_now(e);
	return e->so->cert_list(e->st, f, collect_live, s, err) < 0 ?
	    CD_E_STORE : 0;
}

/* Revoke each; stop at the first failure (*count says how far). */
static int
revoke_all(struct cd_engine *e, struct serials *s, int reason,
    const char *why, int *count, struct cd_err *err)
{
	int i, r = 0;

	for (i = 0; i < s->n && r == 0; i++)
		if ((r = revoke_serial(e, s->list[i], reason, why, err)) == 0)
			(*count)++;
	if (*count > 0) {
		struct cd_err perr;

		if (cd_eng_crl_publish(e, 1, &perr) != 0 && r == 0)
			r = cd_err_set(err, perr.code, "revoked, but the CRL "
			    "was not published: %s", perr.msg);
	}
	return r;
}

int
cd_device_revoke(struct cd_engine *e, int64_t device_id, int reason,
    int *count, struct cd_err *err)
{
	struct cd_device d;
	struct cd_cert_filter f;
	struct serials s = { NULL, 0, 0, 0 };
	char obj[64], why[96];
	int n = 0, r;

	snprintf(obj, sizeof(obj), "device %lld", (long long)device_id);
	if (count != NULL)
		*count = 0;
	if ((r = cd_eng_need_role(e, CD_ROLE_REVOKE, "revoking certificates",
	    err)) != 0)
		return refused(e, "device.revoke", obj, r, err);
	if (!reason_known(reason))
		return cd_err_set(err, CD_E_INVAL, "reason %d cannot be given "
		    "to a revocation", reason);
	if ((r = e->so->device_get(e->st, device_id, &d, err)) != 0)
		return r == CD_E_NOTFOUND ? cd_err_set(err, r, "no device %lld",
		    (long long)device_id) : r;
	cd_cert_filter_init(&f);
	f.device_id = device_id;
	if ((r = live_serials(e, &f, &s, err)) != 0)
		goto out;
	if (s.n == 0) {
		r = cd_err_set(err, CD_E_STATE, "device %lld (%s) holds no "
		    "certificate that is not already revoked or expired",
		    (long long)device_id, d.type);
		refused(e, "device.revoke", obj, r, err);
		goto out;
	}
	snprintf(why, sizeof(why), "package %lld revoked", (long long)device_id);
	r = revoke_all(e, &s, reason, why, &n, err);
	if (n == s.n) {
		cd_strlcpy(d.status, "revoked", sizeof(d.status));
		e->so->device_update(e->st, &d, NULL);
	}
	cd_audit(e, "device.revoke", obj, r == 0 ? "ok" : "failed",
	    "%d of %d certificate%s revoked: %s", n, s.n, s.n == 1 ? "" : "s",
	    cd_crl_reason_name(reason));
out:
	if (count != NULL)
		*count = n;
	free(s.list);
	return r;
}

/*
 * The live certificates of a person being disabled (person.c, with the
 * person already disabled): revoked with affiliationChanged.
 */
int
cd_eng_revoke_person(struct cd_engine *e, int64_t person_id,
    const char *logon, int *count, struct cd_err *err)
{
	struct cd_cert_filter f;
	struct serials s;
	char why[CD_LOGON_MAX + 32];
	int r;

	*count = 0;
	cd_cert_filter_init(&f);
	f.person_id = person_id;
	if ((r = live_serials(e, &f, &s, err)) != 0)
		return r;
	snprintf(why, sizeof(why), "%s was disabled", logon);
	r = revoke_all(e, &s, CD_CRL_AFFILIATION_CHANGED, why, count, err);
	free(s.list);
	return r;
}

int
cd_eng_person_live_certs(struct cd_engine *e, int64_t person_id, int *n,
    struct cd_err *err)
{
	struct cd_cert_filter f;
	struct serials s;
	int r;

	cd_cert_filter_init(&f);
	f.person_id = person_id;
	r = live_serials(e, &f, &s, err);
	*n = s.n;
	free(s.list);
	return r;
}

/* ---- publication ---------------------------------------------------------- */

static int
lock_publication(struct cd_engine *e, struct cd_err *err)
{
	char path[CD_PATH_MAX + 32];
	int fd;

	snprintf(path, sizeof(path), "%s/crl-publish.lock", e->conf->datadir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		return cd_err_set(err, CD_E_IO, "cannot lock %s: %s", path,
		    strerror(errno));
	while (flock(fd, LOCK_EX) == -1)
		if (errno != EINTR) {
			close(fd);
			return cd_err_set(err, CD_E_IO, "cannot lock %s: %s",
			    path, strerror(errno));
		}
	return fd;
}

/* nextUpdate of the published CRL, or 0 when there is none to read. */
static int64_t
published_next_update(const char *dir)
{
	char path[CD_PATH_MAX + 32];
	X509_CRL *crl = NULL;
	const ASN1_TIME *t;
	struct tm tm;
	int64_t next = 0;
	BIO *bio;

	snprintf(path, sizeof(path), "%s/%s", dir, CRL_FILE);
	if ((bio = BIO_new_file(path, "rb")) == NULL) {
		ERR_clear_error();
		return 0;
	}
	if ((crl = d2i_X509_CRL_bio(bio, NULL)) != NULL &&
	    (t = X509_CRL_get0_nextUpdate(crl)) != NULL &&
	    ASN1_TIME_to_tm(t, &tm) == 1)
		next = (int64_t)timegm(&tm);
	ERR_clear_error();
	X509_CRL_free(crl);
	BIO_free(bio);
	return next;
}

/* Run [ca] crl_publish_command (words, no shell) with the file's path. */
static int
push_crl(const char *command, const char *path, struct cd_err *err)
{
	char buf[CD_PATH_MAX], *argv[34], *save = NULL, *w;
	int argc = 0, e, status;
	pid_t pid;

	cd_strlcpy(buf, command, sizeof(buf));
	for (w = strtok_r(buf, " \t", &save); w != NULL && argc < 32;
	    w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	argv[argc++] = (char *)path;
	argv[argc] = NULL;
	if ((e = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ)) != 0)
		return cd_err_set(err, CD_E_IO, "cannot run crl_publish_command "
		    "%s: %s", argv[0], strerror(e));
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return cd_err_set(err, CD_E_IO, "crl_publish_command: "
			    "%s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return cd_err_set(err, CD_E_IO, "crl_publish_command %s failed "
		    "(%s %d)", argv[0], WIFEXITED(status) ? "exit status" :
		    "signal", WIFEXITED(status) ? WEXITSTATUS(status) :
		    WTERMSIG(status));
	return 0;
}

/* Sign, encode (DER) and write the CRL atomically; then push it. */
static int
publish_now(struct cd_engine *e, struct cd_err *err)
{
	const struct cd_conf *conf = e->conf;
	X509_CRL *crl = NULL;
	unsigned char *der = NULL;
	char path[CD_PATH_MAX + 32];
	int64_t now = cd_engine_now(e);
	int len, r;

	if ((r = cd_eng_ca(e, err)) != 0)
		return r;
	if ((r = cd_ca_crl_until(e->cao, e->ca_caps, e->ca, now, now +
	    conf->crl_validity, &crl, err)) != 0)
		return r;
	if ((len = i2d_X509_CRL(crl, &der)) <= 0) {
		r = cd_err_ssl(err, CD_E_CRYPTO, "cannot encode the CRL");
		goto out;
	}
	/* public: 0644; temporary name, then rename */
	if ((r = cd_write_atomic(conf->crl_publish_dir, CRL_FILE, der,
	    (size_t)len, 0644, path, sizeof(path), err)) != 0)
		goto out;
	if (conf->crl_publish_command[0] != '\0')
		r = push_crl(conf->crl_publish_command, path, err);
out:
	OPENSSL_free(der);
	X509_CRL_free(crl);
	return r;
}

/*
 * Publish the CRL to [ca] crl_publish_dir when one is configured: always
 * when force, else only when the published one is missing or within
 * [ca] crl_overlap of its next update.  Serialised by a lock, so that
 * an older CRL never replaces a newer one.  Failures are audited.
 */
int
cd_eng_crl_publish(struct cd_engine *e, int force, struct cd_err *err)
{
	const struct cd_conf *conf = e->conf;
	int64_t next;
	int fd, r = 0;

	if (conf->crl_publish_dir[0] == '\0' ||
	    !(e->ca_caps & CD_CA_MAKES_CRL))
		return 0;
	if ((fd = lock_publication(e, err)) < 0)
		return fd;
	next = published_next_update(conf->crl_publish_dir);
	if (force || next == 0 || cd_engine_now(e) >= next - conf->crl_overlap)
		r = publish_now(e, err);
	close(fd);
	if (r != 0)
		cd_audit(e, "crl.publish", conf->crl_publish_dir, "failed",
		    "%s", err != NULL ? err->msg : "failed");
	return r;
}
