/* SPDX-License-Identifier: ISC */
/*
 * ca.c - the CA backend registry, the capability-checked entry points,
 * the issue-and-wait loop over submit/poll/cancel, and X.509 text
 * helpers.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>

#include "ca.h"
#include "util.h"
#include "x509.h"

const struct cd_ca_ops *const cd_ca_backends[] = {
	&cd_ca_local_ops,
	&cd_ca_scep_ops,
	&cd_ca_pkcs11_ops,
#ifdef CD_FAULT_INJECTION
	&cd_ca_deferred_ops,
#endif
	NULL
};

const struct cd_ca_ops *
cd_ca_find(const char *name)
{
	int i;

	if (name == NULL || *name == '\0')
		return cd_ca_backends[0];
	for (i = 0; cd_ca_backends[i] != NULL; i++)
		if (cd_strieq(cd_ca_backends[i]->name, name))
			return cd_ca_backends[i];
	return NULL;
}

int
cd_ca_req_build(EVP_PKEY *key, struct cd_ca_req *req, struct cd_err *err)
{
	const struct cd_issue *p = &req->params;

	X509_REQ_free(req->csr);
	req->csr = NULL;
	EVP_PKEY_free(req->key);
	req->key = NULL;
	if (EVP_PKEY_up_ref(key))
		req->key = key;
	return cd_x509_csr_build(key, p->subject, p->san, p->key_usage,
	    p->ext_key_usage, &req->csr, err);
}

void
cd_ca_req_clear(struct cd_ca_req *req)
{
	X509_REQ_free(req->csr);
	X509_NAME_free(req->params.subject);
	GENERAL_NAMES_free(req->params.san);
	EVP_PKEY_free(req->key);
	memset(req, 0, sizeof(*req));
}

unsigned
cd_ca_caps(const struct cd_ca_ops *o, const void *cfg)
{
	return o->caps_of != NULL ? o->caps & o->caps_of(cfg) : o->caps;
}

int
cd_ca_revoke(const struct cd_ca_ops *o, unsigned caps, struct cd_ca *ca,
    const char *serial, int reason, int64_t when, struct cd_err *err)
{
	if (!(caps & CD_CA_CAN_REVOKE) || o->revoke == NULL)
		return cd_err_set(err, CD_E_CA, "the CA backend '%s' cannot "
		    "revoke certificates: revoke %s at the CA itself", o->name,
		    serial);
	return o->revoke(ca, serial, reason, when, err);
}

int
cd_ca_crl(const struct cd_ca_ops *o, unsigned caps, struct cd_ca *ca,
    int64_t now, X509_CRL **out, struct cd_err *err)
{
	*out = NULL;
	if (!(caps & CD_CA_MAKES_CRL) || o->crl == NULL)
		return cd_err_set(err, CD_E_CA, "the CA backend '%s' does not "
		    "make CRLs: get the revocation list from the CA itself",
		    o->name);
	return o->crl(ca, now, out, err);
}

int
cd_ca_crl_until(const struct cd_ca_ops *o, unsigned caps, struct cd_ca *ca,
    int64_t now, int64_t next_update, X509_CRL **out, struct cd_err *err)
{
	*out = NULL;
	if ((caps & CD_CA_MAKES_CRL) && o->crl_until != NULL)
		return o->crl_until(ca, now, next_update, out, err);
	return cd_ca_crl(o, caps, ca, now, out, err);
}

int
cd_ca_unrevoke(const struct cd_ca_ops *o, unsigned caps, struct cd_ca *ca,
    const char *serial, struct cd_err *err)
{
	if (!(caps & CD_CA_CAN_REVOKE) || o->unrevoke == NULL)
		return cd_err_set(err, CD_E_CA, "the CA backend '%s' cannot "
		    "release a certificate on hold: release %s at the CA "
		    "itself", o->name, serial);
	return o->unrevoke(ca, serial, err);
}

int
cd_ca_init_checked(const struct cd_ca_ops *o, const void *cfg,
    const char *datadir, const struct cd_ca_init *how, struct cd_err *err)
{
	if (!(o->caps & CD_CA_CAN_INIT) || o->init == NULL)
		return cd_err_set(err, CD_E_CA, "the CA backend '%s' cannot "
		    "create a CA: it is set up outside certdesk", o->name);
	return o->init(cfg, datadir, how, err);
}

static double
mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleep ms milliseconds, then double ms up to a second. */
static void
backoff(long *ms)
{
	struct timespec ts = { *ms / 1000, (*ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
	if (*ms < 1000)
		*ms = *ms * 2 > 1000 ? 1000 : *ms * 2;
}

/* Stop waiting on ticket: cancel it, keep the first error's message. */
static int
give_up(const struct cd_ca_ops *o, struct cd_ca *ca, const char *ticket,
    int code, struct cd_err *err, const char *why)
{
	if (o->cancel != NULL)
		o->cancel(ca, ticket, NULL);
	return cd_err_set(err, code, "%s; the request to the CA (%s) was "
	    "cancelled", why, ticket);
}

int
cd_ca_issue(const struct cd_ca_ops *o, struct cd_ca *ca,
    const struct cd_ca_req *req, int timeout, cd_ca_wait_fn wait, void *arg,
    X509 **out, struct cd_err *err)
{
	char ticket[CD_CA_TICKET_MAX] = "", why[128];
	double start = mono_s();
	long ms = 50;
	int r;

	*out = NULL;
	r = o->submit(ca, req, out, ticket, err);
	while (r == CD_CA_PENDING) {
		if (o->poll == NULL || !(o->caps & CD_CA_ANSWERS_LATER))
			return give_up(o, ca, ticket, CD_E_INTERNAL, err,
			    "the CA backend answered later but cannot be "
			    "asked again");
		if (wait != NULL && wait(arg, (int)(mono_s() - start)) != 0)
			return give_up(o, ca, ticket, CD_E_CANCELLED, err,
			    "stopped while waiting for the CA");
		if (mono_s() - start >= timeout) {
			snprintf(why, sizeof(why), "the CA did not answer "
			    "within %d seconds", timeout);
			return give_up(o, ca, ticket, CD_E_TIMEOUT, err, why);
		}
		backoff(&ms);
		r = o->poll(ca, ticket, out, err);
	}
	if (r == 0 && *out == NULL)
		return cd_err_set(err, CD_E_CA, "the CA answered without a "
		    "certificate");
	return r;
}

void
cd_x509_serial_hex(const X509 *x, char *buf, size_t len)
{
	BIGNUM *bn;
	char *hex, *p;

	cd_strlcpy(buf, "", len);
	if ((bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL)) ==
	    NULL)
		return;
	if ((hex = BN_bn2hex(bn)) != NULL) {
		for (p = hex; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'F')
				*p = (char)(*p - 'A' + 'a');
		cd_strlcpy(buf, hex, len);
		OPENSSL_free(hex);
	}
	BN_free(bn);
}

void
cd_x509_name_text(const X509_NAME *n, char *buf, size_t len)
{
	BIO *bio;
	char *data;
	long got;

	cd_strlcpy(buf, "", len);
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return;
	if (X509_NAME_print_ex(bio, n, 0, XN_FLAG_RFC2253 &
	    ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		got = BIO_get_mem_data(bio, &data);
		if (got >= 0 && (size_t)got < len) {
			memcpy(buf, data, (size_t)got);
			buf[got] = '\0';
		} else if (got > 0) {
			memcpy(buf, data, len - 1);
			buf[len - 1] = '\0';
		}
	}
	BIO_free(bio);
}
