/* SPDX-License-Identifier: ISC */
/*
 * engine-int.h - the engine handle and helpers shared by engine modules.
 * Not for front-ends.
 */
#ifndef CD_ENGINE_INT_H
#define CD_ENGINE_INT_H

#include "ca.h"
#include "conf.h"
#include "certdesk/engine.h"
#include "store.h"

struct cd_engine {
	struct cd_conf *conf;
	const struct cd_store_ops *so;
	struct cd_store *st;
	const struct cd_ca_ops *cao;
	struct cd_ca *ca;
	unsigned ca_caps;		/* CD_CA_* with this configuration */
	struct cd_person op;		/* the operator */
	int impersonated;		/* root acting with --as */
	char unix_login[CD_LOGON_MAX];
	char source[CD_PATH_MAX + 32];
	int64_t clock_offset;
};

/*
 * The CA, opened on first use: searching and viewing never load a CA key,
 * log in to a token or wait for one.  certdeskd opens it at start
 * (cd_open_opts.open_ca), so that a bad CA stops it there.
 */
int cd_eng_ca(struct cd_engine *e, struct cd_err *err);

/* The whole configuration: for the engine only (front-ends use the
 * accessors in engine.h). */
const struct cd_conf *cd_engine_conf(const struct cd_engine *e);

/* CD_E_DENIED with "you need the X role to Y" unless op has role. */
int cd_eng_need_role(struct cd_engine *e, unsigned role, const char *what,
    struct cd_err *err);

/* Write an audit record; failures are returned, never printed. */
int cd_eng_audit(struct cd_engine *e, const char *action,
    const char *object, const char *outcome, const char *detail,
    struct cd_err *err);

/* Open config + store + CA without an operator (init, sweep service). */
int cd_eng_open_backends(struct cd_engine *e, const char *conf_path,
    int create, struct cd_err *err);

/*
 * Revoke certificates whose delay passed; abort dead attempts.  flags
 * CD_SWEEP_STARTUP: the sweep at every engine open, which never waits on
 * a CA that may answer later (CD_CA_ANSWERS_LATER): their revocations are
 * left to 'certdesk sweep' and its timer.
 */
#define CD_SWEEP_STARTUP 1
int cd_eng_sweep(struct cd_engine *e, struct cd_sweep_result *res,
    unsigned flags, struct cd_err *err);

/* Who holds a request being collected, for refusals (request.c). */
const char *cd_eng_holder_text(struct cd_engine *e, int64_t request_id,
    char *buf, size_t len);

/*
 * May the operator collect r now (request.c)?  0, or the refusal's code
 * (CD_E_STATE, CD_E_DENIED, CD_E_BUSY, or the store's) with the reason
 * in buf: the request's state, the operator's roles, a disabled person.
 */
int cd_eng_collect_refusal(struct cd_engine *e, const struct cd_request *r,
    char *buf, size_t len);

/*
 * Can the print backend print a PIN mailer (pin_mailer 1) or a transport
 * document now, as configured?  0, or a code with the reason.
 */
int cd_eng_print_ready(struct cd_engine *e, int pin_mailer,
    struct cd_err *err);

/*
 * Publish the CRL to [ca] crl_publish_dir (revoke.c): always when force,
 * else when the published one is missing or near its next update.  0
 * when no directory is configured.
 */
int cd_eng_crl_publish(struct cd_engine *e, int force, struct cd_err *err);
/* Live (not revoked, not expired) certificates of a person (revoke.c). */
int cd_eng_person_live_certs(struct cd_engine *e, int64_t person_id,
    int *n, struct cd_err *err);
/* Revoke them with affiliationChanged; *count gets how many. */
int cd_eng_revoke_person(struct cd_engine *e, int64_t person_id,
    const char *logon, int *count, struct cd_err *err);

/* The short demo data set builder (demo.c). */
int cd_demo_build(struct cd_engine *e, struct cd_err *err);

#endif
