/* SPDX-License-Identifier: ISC */
/*
 * ca-deferred.c - "deferred", a CA backend for tests only (built with
 * --enable-fault-injection): the local CA behind the interface of a CA
 * across a network.  It declares CD_CA_ANSWERS_LATER and answers each
 * request only after a number of polls, so that the callers' waiting,
 * polling, stopping and time-out paths run against real certificates.
 * Its own settings in [ca]:
 *
 *   polls  = N    polls before the answer (0: at once; default 2)
 *   revoke = no   declare no revocation (default yes)
 *   crl    = no   declare no CRLs (default yes)
 *
 * The request is signed at submit time and the certificate held in
 * memory until it is polled for; a cancelled request's certificate is
 * dropped.  The data directory is the local CA's (DATADIR/ca).
 */
#include "config.h"

#ifdef CD_FAULT_INJECTION

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ca.h"
#include "util.h"

#define MAX_JOBS 16

struct dcfg {
	int polls;
	int revoke;
	int crl;
};

struct job {
	char ticket[CD_CA_TICKET_MAX];
	X509 *cert;
	int left;			/* polls still to answer PENDING */
};

/* The handle: the local CA it wraps (opaque here) and the open jobs. */
struct cd_ca {
	void *local;
	struct dcfg cfg;
	struct job jobs[MAX_JOBS];
	unsigned seq;
};

#define L cd_ca_local_ops
#define INNER(ca) ((struct cd_ca *)(ca)->local)

static int
d_conf_load(const struct cd_conf_src *src, const char *sec, void **cfg,
    struct cd_err *err)
{
	struct dcfg *c;
	int r;

	(void)err;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((r = cd_conf_int(src, sec, "polls", "2", 0, 1000000,
	    &c->polls)) != 0 ||
	    (r = cd_conf_bool(src, sec, "revoke", "yes", &c->revoke)) != 0 ||
	    (r = cd_conf_bool(src, sec, "crl", "yes", &c->crl)) != 0) {
		free(c);
		return r;
	}
	*cfg = c;
	return 0;
}

static unsigned
d_caps_of(const void *cfg)
{
	const struct dcfg *c = cfg;
	unsigned caps = ~(unsigned)(CD_CA_CAN_REVOKE | CD_CA_MAKES_CRL);

	if (c == NULL || c->revoke)
		caps |= CD_CA_CAN_REVOKE;
	if (c == NULL || c->crl)
		caps |= CD_CA_MAKES_CRL;
	return caps;
}

static int
d_init(const void *cfg, const char *datadir, const struct cd_ca_init *how,
    struct cd_err *err)
{
	return L.init(NULL, datadir, how, err);	/* its cfg is not the local CA's */
}

static int
d_open(const void *cfg, const char *datadir, struct cd_ca **out,
    struct cd_err *err)
{
	struct cd_ca *ca, *inner = NULL;
	int r;

	*out = NULL;
	if ((ca = calloc(1, sizeof(*ca))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if ((r = L.open(NULL, datadir, &inner, err)) != 0) {
		free(ca);
		return r;
	}
	ca->local = inner;
	ca->cfg.polls = 2;
	ca->cfg.revoke = ca->cfg.crl = 1;
	if (cfg != NULL)
		ca->cfg = *(const struct dcfg *)cfg;
	*out = ca;
	return 0;
}

static void
d_close(struct cd_ca *ca)
{
	int i;

	if (ca == NULL)
		return;
	for (i = 0; i < MAX_JOBS; i++)
		X509_free(ca->jobs[i].cert);
	L.close(INNER(ca));
	free(ca);
}

static struct job *
find_job(struct cd_ca *ca, const char *ticket)
{
	int i;

	for (i = 0; ticket != NULL && i < MAX_JOBS; i++)
		if (ca->jobs[i].cert != NULL &&
		    strcmp(ca->jobs[i].ticket, ticket) == 0)
			return &ca->jobs[i];
	return NULL;
}

static int
d_submit(struct cd_ca *ca, const struct cd_ca_req *req, X509 **out,
    char *ticket, struct cd_err *err)
{
	struct job *j = NULL;
	X509 *x = NULL;
	int i, r;

	*out = NULL;
	ticket[0] = '\0';
	if ((r = L.submit(INNER(ca), req, &x, NULL, err)) != 0)
		return r;
	if (ca->cfg.polls == 0) {
		*out = x;
		return 0;
	}
	for (i = 0; i < MAX_JOBS && j == NULL; i++)
		if (ca->jobs[i].cert == NULL)
			j = &ca->jobs[i];
	if (j == NULL) {
		X509_free(x);
		return cd_err_set(err, CD_E_CA, "the CA has too many requests "
		    "waiting");
	}
	snprintf(j->ticket, sizeof(j->ticket), "deferred-%ld-%u",
	    (long)getpid(), ++ca->seq);
	j->cert = x;
	j->left = ca->cfg.polls;
	cd_strlcpy(ticket, j->ticket, CD_CA_TICKET_MAX);
	return CD_CA_PENDING;
}

static int
d_poll(struct cd_ca *ca, const char *ticket, X509 **out, struct cd_err *err)
{
	struct job *j;

	*out = NULL;
	if ((j = find_job(ca, ticket)) == NULL)
		return cd_err_set(err, CD_E_CA, "the CA knows no request %s",
		    ticket);
	if (--j->left > 0)
		return CD_CA_PENDING;
	*out = j->cert;
	j->cert = NULL;
	return 0;
}

static int
d_cancel(struct cd_ca *ca, const char *ticket, struct cd_err *err)
{
	struct job *j;

	if ((j = find_job(ca, ticket)) == NULL)
		return cd_err_set(err, CD_E_CA, "the CA knows no request %s",
		    ticket);
	X509_free(j->cert);
	j->cert = NULL;
	return 0;
}

static int
d_revoke(struct cd_ca *ca, const char *serial, int reason, int64_t when,
    struct cd_err *err)
{
	return L.revoke(INNER(ca), serial, reason, when, err);
}

static int
d_is_revoked(struct cd_ca *ca, const char *serial, int *out,
    struct cd_err *err)
{
	return L.is_revoked(INNER(ca), serial, out, err);
}

static int
d_crl(struct cd_ca *ca, int64_t now, X509_CRL **out, struct cd_err *err)
{
	return L.crl(INNER(ca), now, out, err);
}

static const STACK_OF(X509) *
d_chain(struct cd_ca *ca)
{
	return L.chain(INNER(ca));
}

const struct cd_ca_ops cd_ca_deferred_ops = {
	.name = "deferred",
	.caps = CD_CA_CAN_REVOKE | CD_CA_MAKES_CRL | CD_CA_NEEDS_CSR |
	    CD_CA_ANSWERS_LATER | CD_CA_CAN_INIT,
	.caps_of = d_caps_of,
	.conf_load = d_conf_load,
	.conf_free = free,
	.init = d_init,
	.open = d_open,
	.close = d_close,
	.submit = d_submit,
	.poll = d_poll,
	.cancel = d_cancel,
	.revoke = d_revoke,
	.is_revoked = d_is_revoked,
	.crl = d_crl,
	.chain = d_chain,
};

#else
typedef int cd_ca_deferred_not_built;
#endif /* CD_FAULT_INJECTION */
