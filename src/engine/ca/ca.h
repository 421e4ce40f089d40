/* SPDX-License-Identifier: ISC */
/*
 * ca.h - the certificate authority interface.
 *
 * A backend is a const struct cd_ca_ops chosen by name from the
 * configuration ([ca] backend = local), which reads its own settings
 * from the [ca] section and declares what it can do (CD_CA_* bits).  It
 * is given a certificate request (a CSR with proof of possession, plus
 * the policy's parameters) and answers with a certificate at once or,
 * for a CA across a network, with a ticket the caller polls or cancels.
 * The local CA keeps its key, certificate and revocation list under
 * DATADIR/ca.  A CA that revokes is the authority on revocation: it keeps
 * its own list of revoked serials and publishes the CRL.
 */
#ifndef CD_CA_H
#define CD_CA_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "conf.h"
#include "certdesk/error.h"

struct cd_ca;

/* What a backend can do; callers check these instead of assuming. */
enum cd_ca_cap {
	CD_CA_CAN_REVOKE = 1 << 0,	/* revoke() and is_revoked() work */
	CD_CA_MAKES_CRL = 1 << 1,	/* crl() signs a CRL */
	CD_CA_NEEDS_CSR = 1 << 2,	/* wants proof of possession (a CSR) */
	CD_CA_ANSWERS_LATER = 1 << 3,	/* submit() may answer PENDING; the
					   CA is across a network */
	CD_CA_CAN_INIT = 1 << 4		/* init() creates or imports a CA */
};

/*
 * What the certificate policy says to certify.  A CA takes the subject,
 * subjectAltName, key usages and validity from here, never blindly from
 * the CSR.  The CA picks the serial.
 */
struct cd_issue {
	const char *policy;		/* policy ID, for CAs that map it */
	X509_NAME *subject;
	GENERAL_NAMES *san;		/* may be NULL */
	unsigned key_usage;		/* CD_KU_* */
	unsigned ext_key_usage;		/* CD_EKU_* */
	int validity_days;
	int64_t not_before;		/* 0 = now */
	/* Borrowed from the configuration; NULL or "" = left out. */
	const char *crl_url;		/* cRLDistributionPoints URI */
	const char *ca_issuers_url;	/* authorityInfoAccess caIssuers */
	const char *policy_oid;		/* certificatePolicies OID */
};

/*
 * A certificate request: the CSR (cd_x509_csr_build: the same subject,
 * SAN and usages as an extensionRequest, signed by the subject's fresh
 * key as proof of possession) and the policy's parameters.
 */
struct cd_ca_req {
	X509_REQ *csr;
	struct cd_issue params;
	/*
	 * The subject's key (a reference, set by cd_ca_req_build), for a
	 * protocol that must sign more than the CSR with it (SCEP).
	 */
	EVP_PKEY *key;
};

/*
 * Fill req->csr from key and req->params (subject, SAN, usages): the CSR
 * a collection sends.  cd_ca_req_clear frees the CSR, subject and SAN.
 */
int cd_ca_req_build(EVP_PKEY *key, struct cd_ca_req *req, struct cd_err *err);
void cd_ca_req_clear(struct cd_ca_req *req);

/* How init creates or imports the CA. */
struct cd_ca_init {
	const char *common_name;	/* for a fresh CA; NULL = "certdesk CA" */
	const char *organisation;	/* may be NULL */
	enum cd_key_type key_type;	/* for a fresh CA */
	int validity_days;		/* for a fresh CA; 0 = 3650 */
	const char *import_cert;	/* PEM file, or NULL for a fresh CA */
	const char *import_key;		/* PEM file (unencrypted) */
	/*
	 * local: a two-tier hierarchy, a root whose key is written once to
	 * root_key (0600, outside the data directory, for offline keeping)
	 * and an issuing CA (pathLen 0) signed by it.
	 */
	int two_tier;
	const char *root_key;
	const char *root_name;		/* NULL: "<common_name> Root" */
	const char *key_uri;		/* pkcs11: NULL = [ca] key_uri */
};

/* CRL reason codes (RFC 5280). */
enum cd_crl_reason {
	CD_CRL_UNSPECIFIED = 0,
	CD_CRL_KEY_COMPROMISE = 1,
	CD_CRL_AFFILIATION_CHANGED = 3,
	CD_CRL_SUPERSEDED = 4,
	CD_CRL_CESSATION = 5,
	CD_CRL_CERTIFICATE_HOLD = 6,
	CD_CRL_REMOVE_FROM_CRL = 8,
	CD_CRL_PRIVILEGE_WITHDRAWN = 9
};

/* submit() and poll(): the CA has not answered yet (not an error). */
#define CD_CA_PENDING 1
/* A pending request's handle: printable, kept by the caller. */
#define CD_CA_TICKET_MAX 128

struct cd_ca_ops {
	const char *name;
	unsigned caps;			/* CD_CA_*: what the backend can do */
	/*
	 * When not NULL: the capabilities with these settings (a subset of
	 * caps; e.g. revocation only when a revoke command is configured).
	 */
	unsigned (*caps_of)(const void *cfg);

	/*
	 * Read the backend's own settings from section (the [ca] section;
	 * "backend" and "timeout" are read by the caller) with the
	 * cd_conf_* lookups, which name FILE:LINE on errors.  *cfg gets a
	 * private object freed with conf_free, or NULL.  NULL hook: the
	 * backend has no settings.
	 */
	int (*conf_load)(const struct cd_conf_src *src, const char *section,
	    void **cfg, struct cd_err *err);
	void (*conf_free)(void *cfg);
	/*
	 * When not NULL: 0 if the backend can certify policy p, else
	 * non-zero with the reason in why (checked at config load).
	 */
	int (*policy_check)(const void *cfg, const struct cd_policy *p,
	    char *why, size_t whylen);

	/* Create the CA under datadir (fails with CD_E_EXISTS if present). */
	int (*init)(const void *cfg, const char *datadir,
	    const struct cd_ca_init *how, struct cd_err *err);
	int (*open)(const void *cfg, const char *datadir, struct cd_ca **out,
	    struct cd_err *err);
	void (*close)(struct cd_ca *ca);

	/*
	 * Ask for a certificate.  0: *out is a new reference the caller
	 * frees.  CD_CA_PENDING: not answered yet; ticket (at least
	 * CD_CA_TICKET_MAX bytes) names the request for poll() and cancel().
	 * CD_E_CA: refused (a CSR whose signature does not verify, among
	 * others) or failed.  Backends without CD_CA_ANSWERS_LATER never
	 * answer CD_CA_PENDING.
	 */
	int (*submit)(struct cd_ca *ca, const struct cd_ca_req *req,
	    X509 **out, char *ticket, struct cd_err *err);
	/* Ask again about a pending request: as submit. */
	int (*poll)(struct cd_ca *ca, const char *ticket, X509 **out,
	    struct cd_err *err);
	/* Give up a pending request (the CA is told when it can be). */
	int (*cancel)(struct cd_ca *ca, const char *ticket,
	    struct cd_err *err);

	/*
	 * serial: lower-case hex.  Revoking twice is not an error.  Without
	 * CD_CA_CAN_REVOKE: NULL, and cd_ca_revoke() refuses with CD_E_CA.
	 */
	int (*revoke)(struct cd_ca *ca, const char *serial, int reason,
	    int64_t when, struct cd_err *err);
	/* 1 if revoked, 0 if not */
	int (*is_revoked)(struct cd_ca *ca, const char *serial, int *out,
	    struct cd_err *err);
	/*
	 * A freshly signed CRL; caller frees with X509_CRL_free.  Without
	 * CD_CA_MAKES_CRL: NULL, and cd_ca_crl() refuses with CD_E_CA.
	 */
	int (*crl)(struct cd_ca *ca, int64_t now, X509_CRL **out,
	    struct cd_err *err);
	/* Issuing chain, CA first-level first; borrowed, do not free. */
	const STACK_OF(X509) *(*chain)(struct cd_ca *ca);

	/*
	 * Optional.  Release a certificate on hold (revoked with
	 * certificateHold): it leaves the list and the next CRL
	 * (removeFromCRL).  CD_E_STATE when it is revoked for another
	 * reason; not revoked is not an error.  NULL: cd_ca_unrevoke()
	 * refuses with CD_E_CA.
	 */
	int (*unrevoke)(struct cd_ca *ca, const char *serial,
	    struct cd_err *err);
	/*
	 * Optional.  As crl(), with nextUpdate at next_update.  NULL: the
	 * backend's own crl() and its own next update.
	 */
	int (*crl_until)(struct cd_ca *ca, int64_t now, int64_t next_update,
	    X509_CRL **out, struct cd_err *err);
};

/* The capabilities of backend o with settings cfg. */
unsigned cd_ca_caps(const struct cd_ca_ops *o, const void *cfg);

/*
 * The checked entry points: each refuses with CD_E_CA and a message
 * naming the backend when its capabilities (caps, from cd_ca_caps) lack
 * the operation, so that no caller calls a NULL operation.
 */
int cd_ca_revoke(const struct cd_ca_ops *o, unsigned caps, struct cd_ca *ca,
    const char *serial, int reason, int64_t when, struct cd_err *err);
/*
 * Every revocation certdesk decides: through the backend when it can
 * revoke, and through conf's [ca] revoke_command when one is set (run
 * with serial and the reason name; detail gets its outcome and output
 * for the audit trail).  Without either: cd_ca_revoke's refusal.
 */
int cd_ca_revoke_all(const struct cd_conf *conf, struct cd_ca *ca,
    const char *serial, int reason, int64_t when, char *detail,
    size_t dlen, struct cd_err *err);
/*
 * Run cmd serial reason (execve, no shell, stdin /dev/null), killed after
 * timeout seconds.  0 on exit status 0 (out: what ran and its output,
 * cut); CD_E_CA otherwise, with the output in the message.
 */
int cd_ca_revoke_command(const char *cmd, int timeout, const char *serial,
    int reason, char *out, size_t outlen, struct cd_err *err);
/* "cessationOfOperation" etc. */
const char *cd_crl_reason_name(int reason);
int cd_ca_crl(const struct cd_ca_ops *o, unsigned caps, struct cd_ca *ca,
    int64_t now, X509_CRL **out, struct cd_err *err);
/* cd_ca_crl with a next update (the backend's own when it cannot). */
int cd_ca_crl_until(const struct cd_ca_ops *o, unsigned caps,
    struct cd_ca *ca, int64_t now, int64_t next_update, X509_CRL **out,
    struct cd_err *err);
/* Release a hold; CD_E_CA when the backend cannot. */
int cd_ca_unrevoke(const struct cd_ca_ops *o, unsigned caps,
    struct cd_ca *ca, const char *serial, struct cd_err *err);
int cd_ca_init_checked(const struct cd_ca_ops *o, const void *cfg,
    const char *datadir, const struct cd_ca_init *how, struct cd_err *err);

/*
 * Issue and wait: submit, then while the CA has not answered, call
 * wait(arg) between polls (non-zero stops: the request is cancelled and
 * CD_E_CANCELLED returned) until timeout seconds have passed (then the
 * request is cancelled and CD_E_TIMEOUT returned).  wait may be NULL.
 * A backend that answers at once is simply asked once.
 */
typedef int (*cd_ca_wait_fn)(void *arg, int waited_s);
int cd_ca_issue(const struct cd_ca_ops *o, struct cd_ca *ca,
    const struct cd_ca_req *req, int timeout, cd_ca_wait_fn wait, void *arg,
    X509 **out, struct cd_err *err);


extern const struct cd_ca_ops *const cd_ca_backends[];
const struct cd_ca_ops *cd_ca_find(const char *name);

extern const struct cd_ca_ops cd_ca_local_ops;
extern const struct cd_ca_ops cd_ca_scep_ops;
extern const struct cd_ca_ops cd_ca_pkcs11_ops;
#ifdef CD_FAULT_INJECTION
/*
 * "deferred" (test builds only): the local CA behind a network-like
 * interface: ANSWERS_LATER, answers after [ca] polls = N polls, and
 * can be told to lack revocation or CRLs ([ca] revoke = no, crl = no).
 */
extern const struct cd_ca_ops cd_ca_deferred_ops;
#endif

/* Serial of a certificate as lower-case hex (no leading zeros kept). */
void cd_x509_serial_hex(const X509 *x, char *buf, size_t len);
/* One-line RFC 2253 text of a name. */
void cd_x509_name_text(const X509_NAME *n, char *buf, size_t len);

#endif
