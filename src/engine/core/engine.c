/* SPDX-License-Identifier: ISC */
/*
 * engine.c - opening and closing the engine: configuration, store, CA,
 * the operator's identity, the clock and the audit trail.
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/pem.h>

#include "engine-int.h"
#include "util.h"

const char *
cd_unix_login(void)
{
	static char login[CD_LOGON_MAX];
	struct passwd *pw;

	if ((pw = getpwuid(geteuid())) == NULL)
		return "";
	cd_strlcpy(login, pw->pw_name, sizeof(login));
	return login;
}

int
cd_eng_open_backends(struct cd_engine *e, const char *conf_path, int create,
    struct cd_err *err)
{
	char path[CD_PATH_MAX];
	int r;

	if ((r = cd_conf_locate(conf_path, path, sizeof(path), err)) != 0 ||
	    (r = cd_conf_load(path, &e->conf, err)) != 0)
		return r;
	/* The loader found them: [store] backend, [ca] backend. */
	e->so = e->conf->store.ops;
	e->cao = e->conf->ca.ops;
	e->ca_caps = e->conf->ca.caps;
	if (create && (r = cd_mkdir_p(e->conf->datadir, 0700, err)) != 0)
		return r;
	if ((r = e->so->open(e->conf->store.cfg, e->conf->datadir, create,
	    &e->st, err)) != 0)
		return r;
	snprintf(e->source, sizeof(e->source), "%s:%s", e->so->name,
	    e->conf->datadir);
	return 0;
}

/*
 * A refused identification, audited under the Unix login (e->op is not
 * set yet): --as by a non-root user, an unknown or disabled operator.
 */
static int
refuse_operator(struct cd_engine *e, int code, const char *logon,
    struct cd_err *err)
{
	char obj[160];

	snprintf(obj, sizeof(obj), "operator %s", logon);
	e->impersonated = 0;	/* recorded under the Unix login */
	cd_audit(e, "operator.identify", obj, "refused", "%s", err ?
	    err->msg : cd_strerror(code));
	return code;
}

static int
identify(struct cd_engine *e, const char *as_logon, struct cd_err *err)
{
	const char *login = cd_unix_login();
	struct cd_err sub;
	int r;

	cd_strlcpy(e->unix_login, login, sizeof(e->unix_login));
	if (*login == '\0')
		return cd_err_set(err, CD_E_AUTH,
		    "cannot tell who is running certdesk (no user name for "
		    "uid %u)", (unsigned)geteuid());
	if (as_logon != NULL && *as_logon != '\0' &&
	    strcmp(as_logon, login) != 0) {
		if (geteuid() != 0)
			return refuse_operator(e, cd_err_set(err, CD_E_DENIED,
			    "only root may act as another operator (--as %s)",
			    as_logon), as_logon, err);
		login = as_logon;
		e->impersonated = 1;
	}
	r = e->so->person_get(e->st, 0, login, &e->op, &sub);
	if (r == CD_E_NOTFOUND)
		return refuse_operator(e, cd_err_set(err, CD_E_AUTH,
		    "'%s' is not a certdesk operator: an administrator can add "
		    "you with 'certdesk person add --logon %s'", login, login),
		    login, err);
	if (r != 0)
		return cd_err_set(err, r, "%s", sub.msg);
	if (e->op.status != CD_PS_ACTIVE) {
		cd_strlcpy(sub.msg, e->op.logon, sizeof(sub.msg));
		memset(&e->op, 0, sizeof(e->op));
		return refuse_operator(e, cd_err_set(err, CD_E_AUTH,
		    "operator '%s' is disabled", login), sub.msg, err);
	}
	return 0;
}

/* The sweep service acts as the data directory's owner, or root. */
static int
system_identity(struct cd_engine *e, struct cd_err *err)
{
	struct stat st;

	if (stat(e->conf->datadir, &st) == -1)
		return cd_err_set(err, CD_E_IO, "cannot read %s: %s",
		    e->conf->datadir, strerror(errno));
	if (geteuid() != 0 && geteuid() != st.st_uid)
		return cd_err_set(err, CD_E_DENIED, "the sweep must run as "
		    "root or as the owner of %s", e->conf->datadir);
	cd_strlcpy(e->unix_login, cd_unix_login(), sizeof(e->unix_login));
	snprintf(e->op.logon, sizeof(e->op.logon), "sweep (%s)",
	    e->unix_login);
	e->op.roles = 0;
	return 0;
}

int
cd_engine_open(const struct cd_open_opts *o, struct cd_engine **out,
    struct cd_err *err)
{
	struct cd_engine *e;
	struct cd_sweep_result sw;
	int r;

	*out = NULL;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	e->clock_offset = o->clock_offset;
	if ((r = cd_eng_open_backends(e, o->conf_path, 0, err)) != 0)
		goto out;
	if (o->open_ca && (r = cd_eng_ca(e, err)) != 0)
		goto out;
	if (o->system)
		r = system_identity(e, err);
	else
		r = identify(e, o->as_logon, err);
	if (r != 0)
		goto out;
	/* At start-up, never wait on a CA across a network. */
	if (!o->no_sweep && (r = cd_eng_sweep(e, &sw, CD_SWEEP_STARTUP,
	    err)) != 0)
		goto out;
	*out = e;
	e = NULL;
	r = 0;
out:
	cd_engine_close(e);
	return r;
}

int
cd_eng_ca(struct cd_engine *e, struct cd_err *err)
{
	if (e->ca != NULL)
		return 0;
	return e->cao->open(e->conf->ca.cfg, e->conf->datadir, &e->ca, err);
}

int
cd_engine_instance_register(struct cd_engine *e, int64_t *id,
    struct cd_err *err)
{
	char host[256];

	memset(host, 0, sizeof(host));
	gethostname(host, sizeof(host) - 1);
	return e->so->instance_register(e->st, host, (int)getpid(),
	    cd_engine_now(e), id, err);
}

int
cd_engine_instance_attach(struct cd_engine *e, int64_t id,
    struct cd_err *err)
{
	return e->so->instance_attach(e->st, id, err);
}

int
cd_engine_instance_heartbeat(struct cd_engine *e, struct cd_err *err)
{
	return e->so->instance_heartbeat(e->st, cd_engine_now(e), err);
}

static void
drop_operator(struct cd_engine *e)
{
	memset(&e->op, 0, sizeof(e->op));
	e->impersonated = 0;
}

int
cd_engine_set_operator(struct cd_engine *e, const char *logon,
    int impersonated, struct cd_err *err)
{
	struct cd_err sub;
	char obj[CD_LOGON_MAX + 16];
	const char *why;
	int r;

	drop_operator(e);
	if (logon == NULL)
		return 0;
	r = e->so->person_get(e->st, 0, logon, &e->op, &sub);
	if (r != 0 && r != CD_E_NOTFOUND) {
		drop_operator(e);
		return cd_err_set(err, r, "%s", sub.msg);
	}
	if (r == 0 && e->op.status == CD_PS_ACTIVE) {
		e->impersonated = impersonated != 0;
		return 0;
	}
	/*
	 * Refused: audited under who asked, as the embedded engine does (the
	 * Unix login): the peer, or for an impersonation root, who alone may
	 * act as another operator; the object names the operator asked for.
	 */
	why = r == CD_E_NOTFOUND ? "not a certdesk operator" : "disabled";
	if (impersonated)
		why = r == CD_E_NOTFOUND ? "not a certdesk operator (root "
		    "acting as another operator)" : "disabled (root acting as "
		    "another operator)";
	drop_operator(e);
	cd_strlcpy(e->op.logon, impersonated ? "root" : logon,
	    sizeof(e->op.logon));
	snprintf(obj, sizeof(obj), "operator %s", logon);
	cd_eng_audit(e, "operator.identify", obj, "refused", why, NULL);
	drop_operator(e);
	if (r == CD_E_NOTFOUND)
		return cd_err_set(err, CD_E_AUTH,
		    "'%s' is not a certdesk operator: an administrator can add "
		    "you with 'certdesk person add --logon %s'", logon, logon);
	return cd_err_set(err, CD_E_AUTH, "operator '%s' is disabled", logon);
}

void
cd_engine_close(struct cd_engine *e)
{
	if (e == NULL)
		return;
	if (e->ca != NULL)
		e->cao->close(e->ca);
	if (e->st != NULL)
		e->so->close(e->st);
	cd_conf_free(e->conf);
	free(e);
}

const struct cd_conf *
cd_engine_conf(const struct cd_engine *e)
{
	return e->conf;
}

int
cd_engine_nprofiles(const struct cd_engine *e)
{
	return e->conf->nprofiles;
}

const struct cd_profile *
cd_engine_profile_at(const struct cd_engine *e, int i)
{
	if (i < 0 || i >= e->conf->nprofiles)
		return NULL;
	return &e->conf->profiles[i];
}

const struct cd_profile *
cd_engine_profile(const struct cd_engine *e, const char *id)
{
	return cd_conf_profile(e->conf, id);
}

int
cd_config_path(const char *explicit_path, char *out, size_t outlen,
    struct cd_err *err)
{
	return cd_conf_locate(explicit_path, out, outlen, err);
}

const char *
cd_engine_datadir(const struct cd_engine *e)
{
	return e->conf->datadir;
}

const struct cd_person *
cd_engine_operator(const struct cd_engine *e)
{
	return &e->op;
}

const char *
cd_engine_source(const struct cd_engine *e)
{
	return e->source;
}

int64_t
cd_engine_now(const struct cd_engine *e)
{
#ifdef CD_FAULT_INJECTION
	return (int64_t)time(NULL) + e->clock_offset;
#else
	(void)e;	/* the test clock exists only for tests */
	return (int64_t)time(NULL);
#endif
}

int
cd_eng_need_role(struct cd_engine *e, unsigned role, const char *what,
    struct cd_err *err)
{
	if ((e->op.roles & role) == role)
		return 0;
	return cd_err_set(err, CD_E_DENIED,
	    "%s needs the '%s' role, which %s does not have", what,
	    cd_role_name((enum cd_role)role), e->op.logon);
}

int
cd_eng_audit(struct cd_engine *e, const char *action, const char *object,
    const char *outcome, const char *detail, struct cd_err *err)
{
	struct cd_audit a;

	memset(&a, 0, sizeof(a));
	a.at = cd_engine_now(e);
	if (e->impersonated)
		snprintf(a.operator_, sizeof(a.operator_), "%s (as root)",
		    e->op.logon);
	else if (e->op.logon[0] != '\0')
		cd_strlcpy(a.operator_, e->op.logon, sizeof(a.operator_));
	else
		cd_strlcpy(a.operator_, cd_unix_login(), sizeof(a.operator_));
	cd_strlcpy(a.action, action, sizeof(a.action));
	cd_strlcpy(a.object, object, sizeof(a.object));
	cd_strlcpy(a.outcome, outcome, sizeof(a.outcome));
	cd_strlcpy(a.detail, detail ? detail : "", sizeof(a.detail));
	return e->so->audit_add(e->st, &a, err);
}

int
cd_audit(struct cd_engine *e, const char *action, const char *object,
    const char *outcome, const char *fmt, ...)
{
	char detail[CD_DETAIL_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return cd_eng_audit(e, action, object, outcome, detail, NULL);
}

int
cd_audit_list(struct cd_engine *e, int64_t since, cd_audit_cb cb, void *arg,
    struct cd_err *err)
{
	int r;

	if ((r = cd_eng_need_role(e, CD_ROLE_ADMIN, "reading the audit trail",
	    err)) != 0) {
		cd_audit(e, "audit.read", "audit trail", "refused", "%s",
		    err ? err->msg : "needs the 'admin' role");
		return r;
	}
	return e->so->audit_list(e->st, since, cb, arg, err);
}

int
cd_device_get(struct cd_engine *e, int64_t id, struct cd_device *out,
    struct cd_err *err)
{
	int r;

	if ((r = cd_eng_need_role(e, CD_ROLE_VIEW, "viewing devices", err)))
		return r;
	r = e->so->device_get(e->st, id, out, err);
	if (r == CD_E_NOTFOUND)
		return cd_err_set(err, r, "no device %lld", (long long)id);
	return r;
}

int
cd_device_list(struct cd_engine *e, const struct cd_device_filter *f,
    cd_device_cb cb, void *arg, struct cd_err *err)
{
	int r;

	if ((r = cd_eng_need_role(e, CD_ROLE_VIEW, "viewing devices", err)))
		return r;
	return e->so->device_list(e->st, f, cb, arg, err);
}

int
cd_cert_list(struct cd_engine *e, const struct cd_cert_filter *f,
    cd_cert_cb cb, void *arg, struct cd_err *err)
{
	int r;

	if ((r = cd_eng_need_role(e, CD_ROLE_VIEW, "viewing certificates",
	    err)))
		return r;
	return e->so->cert_list(e->st, f, cb, arg, err);
}

int
cd_crl_write(struct cd_engine *e, const char *path, int der, int fd,
    struct cd_err *err)
{
	X509_CRL *crl = NULL;
	BIO *bio = NULL;
	char *data;
	long len;
	int r;

	if ((r = cd_eng_ca(e, err)) != 0)
		return r;
	if ((r = cd_ca_crl_until(e->cao, e->ca_caps, e->ca, cd_engine_now(e),
	    cd_engine_now(e) + e->conf->crl_validity, &crl, err)) != 0)
		return r;
	r = CD_E_CRYPTO;
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		goto out;
	if ((der ? i2d_X509_CRL_bio(bio, crl) : PEM_write_bio_X509_CRL(bio,
	    crl)) != 1) {
		cd_err_ssl(err, r, "cannot encode the CRL");
		goto out;
	}
	len = BIO_get_mem_data(bio, &data);
	if (path != NULL) {
		r = cd_write_output(path, e->conf->datadir, data, (size_t)len,
		    0644, err);
	} else {
		ssize_t n = write(fd, data, (size_t)len);
		r = n == len ? 0 : cd_err_set(err, CD_E_IO,
		    "cannot write the CRL");
	}
out:
	BIO_free(bio);
	X509_CRL_free(crl);
	return r;
}
